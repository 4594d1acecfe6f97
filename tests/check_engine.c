/* check_engine: the Monte Carlo engine (DESIGN §1) through the library API.
 *
 * - hand-solvable scenarios (fixed bonds, no attrition): exactly
 *   floor(x / (1500 + case cost)) releases in every replication, both policies;
 * - policy order: cases sorted by cost (cheapest_first) or decision time
 *   (first_come), ties by draw order; cheapest_first pays the longest
 *   affordable prefix and never releases fewer than first_come; nothing
 *   spends more than its allocation;
 * - the expected fundable count against its closed form (Poisson arrivals,
 *   grants, family payments, removal, a bond cap), within 4 standard errors;
 * - days in detention and of freedom with fixed delays;
 * - determinism: thread count, streams, replication order and offsets.
 *
 * Scenarios are INI text written to mkstemps files, loaded with
 * scenario_load and unlinked at once. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "check_common.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"

/* ---- helpers ---- */

static scenario *load_text(const char *text)
{
    const char *base = getenv("TMPDIR");
    char path[256];
    snprintf(path, sizeof path, "%s/fz_engine_XXXXXX.ini",
             base && *base && strlen(base) < 200 ? base : "/tmp");
    int fd = mkstemps(path, 4);
    ck_assert_msg(fd >= 0, "mkstemps failed");
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    scenario *s = NULL;
    fz_error err = {0, ""};
    int rc = scenario_load(&s, path, NULL, 0, &err);
    unlink(path);
    ck_assert_msg(rc == 0, "scenario_load: %s\n%s", err.msg, text);
    return s;
}

static engine_ws *ws_new(void)
{
    engine_ws *ws = engine_ws_new();
    ck_assert_ptr_nonnull(ws);
    return ws;
}

static void draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy p, uint64_t stream,
                 uint64_t rep)
{
    fz_error err = {0, ""};
    int rc = engine_draw(ws, s, region, p, stream, rep, &err);
    ck_assert_msg(rc == 0, "engine_draw: %s", err.msg);
}

static eval_result *run_eval(const scenario *s, const double *allocs, size_t nalloc, eval_options *opt)
{
    eval_result *r = NULL;
    fz_error err = {0, ""};
    int rc = eval_run(&r, s, allocs, nalloc, opt, &err);
    ck_assert_msg(rc == 0, "eval_run: %s", err.msg);
    ck_assert_ptr_nonnull(r);
    return r;
}

static const scenario_policy both_policies[] = {POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME};

/* ---- hand-solvable: fixed bonds, no attrition ---- */

/* 500 people at time 0 plus random arrivals (so the fundable count varies),
 * every one granted, a bond of exactly 1500 + case cost, decisions before
 * the horizon: x USD buy exactly floor(x / cost) of them while
 * x < 500 * cost, whatever the policy and the replication. */
static void check_fixed_exact(double case_cost)
{
    char text[512];
    snprintf(text, sizeof text,
             "[fund]\nbudget_usd = 2000000\nhorizon_days = 90\n"
             "[region.only]\ninitial_detained = 500\narrivals_per_day = 3\n"
             "bond_usd = fixed(1500)\ncase_cost_usd = %g\n"
             "hearing_delay_days = uniform(min=0, max=30)\n",
             case_cost);
    scenario *s = load_text(text);
    const double cost = 1500 + case_cost;
    const double xs[] = {0, 1, 1499.99, 1500, 1500.01, 2999, 3000, 4500.5, 10000, 100000,
                         299999, 300000, 499 * cost + 1, 500 * cost - 0.5};
    const size_t nx = sizeof xs / sizeof *xs;
    engine_ws *ws = ws_new();
    for (int pi = 0; pi < 2; pi++) {
        scenario_policy p = both_policies[pi];
        for (uint64_t rep = 0; rep < 200; rep++) {
            draw(ws, s, 0, p, RNG_STREAM_EVALUATE, rep);
            size_t n;
            engine_cases(ws, &n);
            ck_assert_uint_ge(n, 500); /* the 500 initial detainees at least */
            ck_assert_uint_le(n, engine_people(ws));
            for (size_t i = 0; i < nx; i++) {
                engine_stats st;
                engine_pay(&st, ws, p, xs[i], s->horizon_days, NULL);
                double want = floor(xs[i] / cost);
                ck_assert_msg(st.releases == want, "policy %d rep %d x %.2f: %g releases, want %g", pi,
                              (int)rep, xs[i], st.releases, want);
                ck_assert_double_eq(st.spent, cost * want);
                ck_assert_double_eq(st.fundable, (double)n);
                ck_assert(st.spent <= xs[i]);
            }
        }
    }
    engine_ws_free(ws);

    /* The same through eval_run: every replication's total is exact. */
    size_t K = nx;
    for (int pi = 0; pi < 2; pi++) {
        scenario_policy pol[sizeof xs / sizeof *xs];
        for (size_t k = 0; k < K; k++)
            pol[k] = both_policies[pi];
        eval_options opt = {.stream = RNG_STREAM_OPTIMIZE, .nreps = 1500, .threads = 2, .policies = pol};
        eval_result *r = run_eval(s, xs, K, &opt);
        for (size_t k = 0; k < K; k++) {
            double want = floor(xs[k] / cost);
            for (size_t i = 0; i < r->nreps; i++)
                ck_assert_msg(r->allocs[k].totals[i] == want, "eval rep %zu x %.2f: %g, want %g", i, xs[k],
                              r->allocs[k].totals[i], want);
            ck_assert_double_eq(r->allocs[k].releases.mean, want);
            ck_assert_double_eq(stat_sd(&r->allocs[k].releases), 0);
            ck_assert_double_eq(r->allocs[k].regions[0].spent.mean, cost * want);
        }
        eval_free(r);
    }
    scenario_free(s);
}

START_TEST(test_fixed_bonds_exact) { check_fixed_exact(0); }
END_TEST

START_TEST(test_case_cost_adds) { check_fixed_exact(250); }
END_TEST

/* More money than cases: everyone fundable is paid, the rest stays unspent. */
START_TEST(test_money_exceeds_cases)
{
    scenario *s = load_text("[region.r]\ninitial_detained = 40\nbond_usd = fixed(1500)\n");
    engine_ws *ws = ws_new();
    for (int pi = 0; pi < 2; pi++) {
        draw(ws, s, 0, both_policies[pi], RNG_STREAM_EVALUATE, 3);
        engine_stats st;
        engine_pay(&st, ws, both_policies[pi], 1e6, s->horizon_days, NULL);
        ck_assert_double_eq(st.releases, 40);
        ck_assert_double_eq(st.spent, 60000);
        ck_assert_double_eq(st.fundable, 40);
    }
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* Nobody granted, everybody family-paid, decisions after the horizon,
 * bonds above the cap: nobody is fundable and nothing is spent. */
START_TEST(test_nobody_fundable)
{
    const char *texts[] = {
        "[region.r]\ninitial_detained = 50\narrivals_per_day = 2\nbond_grant_prob = 0\n",
        "[region.r]\ninitial_detained = 50\narrivals_per_day = 2\nfamily_pays_prob = 1\n",
        "[fund]\nhorizon_days = 30\n[region.r]\ninitial_detained = 50\narrivals_per_day = 2\n"
        "hearing_delay_days = fixed(30)\n",
        "[region.r]\ninitial_detained = 50\nbond_usd = uniform(min=2000, max=3000)\n"
        "max_bond_paid_usd = 1999\n",
    };
    engine_ws *ws = ws_new();
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        scenario *s = load_text(texts[t]);
        for (uint64_t rep = 0; rep < 50; rep++) {
            draw(ws, s, 0, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, rep);
            ck_assert_uint_ge(engine_people(ws), 50);
            engine_stats st;
            engine_pay(&st, ws, POLICY_FIRST_COME, 1e9, s->horizon_days, NULL);
            ck_assert_msg(st.fundable == 0 && st.releases == 0 && st.spent == 0, "case %zu rep %d", t,
                          (int)rep);
        }
        scenario_free(s);
    }
    engine_ws_free(ws);
}
END_TEST

/* ---- policies ---- */

static const char random_text[] =
    "[fund]\nbudget_usd = 300000\nhorizon_days = 90\n"
    "[region.chicago]\ninitial_detained = 150\narrivals_per_day = 2.5\nbond_grant_prob = 0.6\n"
    "bond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\nmax_bond_paid_usd = 25000\n"
    "hearing_delay_days = gamma(mean=14, sd=7)\nrelease_delay_days = fixed(1)\n"
    "removal_hazard_per_day = 0.005\nfamily_pays_prob = 0.2\n"
    "[region.kc]\ninitial_detained = 60\narrivals_per_day = 1\nbond_grant_prob = 0.5\n"
    "bond_usd = lognormal(median=4000, sigma=0.8, min=1500)\ncase_cost_usd = 120\n"
    "hearing_delay_days = uniform(min=3, max=40)\nrelease_delay_days = exponential(mean=2)\n";

/* engine_cases is sorted by the policy's key, cheapest_first pays exactly the
 * longest prefix that fits, first_come pays greedily in decision order. */
START_TEST(test_policy_order_and_greedy)
{
    scenario *s = load_text(random_text);
    engine_ws *ws = ws_new();
    const double xs[] = {0, 1000, 5000, 30000, 150000, 300000};
    for (size_t c = 0; c < s->nregions; c++)
        for (uint64_t rep = 0; rep < 300; rep++)
            for (int pi = 0; pi < 2; pi++) {
                scenario_policy p = both_policies[pi];
                draw(ws, s, c, p, RNG_STREAM_EVALUATE, rep);
                size_t n;
                const engine_case *cs = engine_cases(ws, &n);
                for (size_t i = 0; i < n; i++) {
                    ck_assert(cs[i].decide < s->horizon_days);
                    ck_assert(cs[i].release >= cs[i].decide);
                    ck_assert(cs[i].decide >= cs[i].arrive);
                    ck_assert(cs[i].cost >= 1500);
                    if (c == 0)
                        ck_assert(cs[i].cost <= 25000);
                    if (i > 0 && p == POLICY_CHEAPEST_FIRST)
                        ck_assert(cs[i - 1].cost <= cs[i].cost);
                    if (i > 0 && p == POLICY_FIRST_COME)
                        ck_assert(cs[i - 1].decide <= cs[i].decide);
                }
                for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
                    double rel = 0, spent = 0;
                    if (p == POLICY_CHEAPEST_FIRST) {
                        while (rel < (double)n && spent + cs[(size_t)rel].cost <= xs[k])
                            spent += cs[(size_t)rel++].cost;
                    } else {
                        for (size_t i = 0; i < n; i++)
                            if (spent + cs[i].cost <= xs[k]) {
                                spent += cs[i].cost;
                                rel++;
                            }
                    }
                    engine_stats st;
                    engine_pay(&st, ws, p, xs[k], s->horizon_days, NULL);
                    ck_assert_double_eq(st.releases, rel);
                    ck_assert_double_eq(st.spent, spent);
                    ck_assert(st.spent <= xs[k]);
                    ck_assert_double_eq(st.fundable, (double)n);
                }
            }
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* Insertion sort by one key (stable), for the tie-breaking check. */
static void stable_sort(engine_case *c, size_t n, int by_cost)
{
    for (size_t i = 1; i < n; i++) {
        engine_case x = c[i];
        double k = by_cost ? x.cost : x.decide;
        size_t j = i;
        while (j > 0 && (by_cost ? c[j - 1].cost : c[j - 1].decide) > k) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = x;
    }
}

/* Ties are broken by draw order.  Cases are told apart by their release
 * time (random release delay).  With every cost equal, cheapest_first keeps
 * the draw order, so stably sorting it by decision time (two tied groups)
 * must give first_come's order exactly; with every decision time equal
 * (initial detainees, fixed hearing delay), first_come keeps the draw order
 * and a stable sort by cost (three tied groups) must give cheapest_first's. */
START_TEST(test_ties_by_draw_order)
{
    scenario *tied_cost = load_text("[region.r]\ninitial_detained = 200\nbond_usd = fixed(2000)\n"
                                    "hearing_delay_days = mixture(1: fixed(2); 1: fixed(9))\n"
                                    "release_delay_days = exponential(mean=3)\n");
    scenario *tied_decide = load_text("[region.r]\ninitial_detained = 200\n"
                                      "bond_usd = mixture(1: fixed(3000); 1: fixed(1500); 1: fixed(2000))\n"
                                      "hearing_delay_days = fixed(5)\nrelease_delay_days = exponential(mean=3)\n");
    engine_ws *ws = ws_new();
    struct {
        scenario *s;
        scenario_policy drawn_first, other;
        int by_cost;
    } cases[] = {{tied_cost, POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME, 0},
                 {tied_decide, POLICY_FIRST_COME, POLICY_CHEAPEST_FIRST, 1}};
    for (size_t t = 0; t < 2; t++)
        for (uint64_t rep = 0; rep < 50; rep++) {
            size_t n, m;
            draw(ws, cases[t].s, 0, cases[t].drawn_first, RNG_STREAM_OPTIMIZE, rep);
            const engine_case *a = engine_cases(ws, &n);
            engine_case *copy = malloc((n ? n : 1) * sizeof *copy);
            ck_assert_ptr_nonnull(copy);
            memcpy(copy, a, n * sizeof *copy);
            stable_sort(copy, n, cases[t].by_cost);
            draw(ws, cases[t].s, 0, cases[t].other, RNG_STREAM_OPTIMIZE, rep);
            const engine_case *b = engine_cases(ws, &m);
            ck_assert_uint_eq(n, m);
            ck_assert_msg(memcmp(copy, b, n * sizeof *b) == 0, "case %zu rep %d: order differs", t, (int)rep);
            free(copy);
        }
    engine_ws_free(ws);
    scenario_free(tied_cost);
    scenario_free(tied_decide);
}
END_TEST

/* A reference implementation of DESIGN §1, written from the spec and the
 * per-person draw order documented at the top of engine.c (arrival, grant,
 * family pays, hearing delay, amount, release delay, removal; draws after
 * the one that makes a person unfundable are skipped).  It lists the
 * fundable cases in draw order; stably sorted by the policy's key they must
 * equal engine_cases exactly, ties included.  A change of the draw order
 * (which changes every result for a given seed) must update this oracle. */
static size_t reference_draw(engine_case *out, size_t cap, const scenario *s, size_t region, uint64_t stream,
                             uint64_t rep)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days;
    gsl_rng *r = rng_new();
    ck_assert_ptr_nonnull(r);
    rng_seed(r, s->seed, stream, rep, region);
    size_t n0 = (size_t)g->initial_detained, n = 0;
    size_t people = n0 + (g->arrivals_per_day > 0 ? gsl_ran_poisson(r, g->arrivals_per_day * H) : 0);
    for (size_t i = 0; i < people; i++) {
        double a = i < n0 ? 0 : H * gsl_rng_uniform(r);
        if (!(gsl_rng_uniform(r) < g->bond_grant_prob))
            continue;
        if (g->family_pays_prob > 0 && gsl_rng_uniform(r) < g->family_pays_prob)
            continue;
        double d = a + dist_sample(g->hearing_delay_days, r);
        if (!(d < H))
            continue;
        double b = dist_sample(g->bond_usd, r);
        if (!(b <= g->max_bond_paid_usd))
            continue;
        double rel = d + dist_sample(g->release_delay_days, r);
        if (g->removal_hazard_per_day > 0 && !(a + gsl_ran_exponential(r, 1 / g->removal_hazard_per_day) > rel))
            continue;
        ck_assert_uint_lt(n, cap);
        out[n++] = (engine_case){b + g->case_cost_usd, a, rel, d};
    }
    gsl_rng_free(r);
    return n;
}

START_TEST(test_reference_draws)
{
    const char *texts[] = {
        /* ties in cost (three bond values) and in decision time (initial detainees) */
        "[fund]\nhorizon_days = 40\n[region.x]\ninitial_detained = 150\narrivals_per_day = 2\n"
        "bond_grant_prob = 0.8\nfamily_pays_prob = 0.1\n"
        "bond_usd = mixture(1: fixed(3000); 1: fixed(1500); 1: fixed(2000))\ncase_cost_usd = 50\n"
        "hearing_delay_days = mixture(2: fixed(4); 1: fixed(11))\nrelease_delay_days = exponential(mean=3)\n"
        "removal_hazard_per_day = 0.01\n",
        random_text,
    };
    engine_ws *ws = ws_new();
    size_t cap = 4096;
    engine_case *ref = malloc(cap * sizeof *ref);
    ck_assert_ptr_nonnull(ref);
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        scenario *s = load_text(texts[t]);
        for (size_t c = 0; c < s->nregions; c++)
            for (uint64_t rep = 0; rep < 40; rep++)
                for (int pi = 0; pi < 2; pi++) {
                    size_t m = reference_draw(ref, cap, s, c, RNG_STREAM_EVALUATE, rep), n;
                    stable_sort(ref, m, both_policies[pi] == POLICY_CHEAPEST_FIRST);
                    draw(ws, s, c, both_policies[pi], RNG_STREAM_EVALUATE, rep);
                    const engine_case *cs = engine_cases(ws, &n);
                    ck_assert_uint_eq(n, m);
                    ck_assert_msg(memcmp(cs, ref, n * sizeof *cs) == 0, "scenario %zu region %zu rep %d policy %d",
                                  t, c, (int)rep, pi);
                }
        scenario_free(s);
    }
    free(ref);
    engine_ws_free(ws);
}
END_TEST

typedef struct bound_ctx {
    const double *allocs;
    size_t K, C;
    const scenario_policy *pol;
    size_t blocks, reps;
    int bad;
} bound_ctx;

/* on_block: spent <= allocation everywhere; per region and replication,
 * cheapest_first (allocation 2j) releases at least first_come (2j + 1). */
static int check_block(void *vctx, const eval_result *res, uint64_t first_rep, size_t n, const engine_stats *st,
                       fz_error *err)
{
    (void)res, (void)first_rep, (void)err;
    bound_ctx *b = vctx;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < b->K; k++)
            for (size_t c = 0; c < b->C; c++) {
                const engine_stats *e = &st[(i * b->K + k) * b->C + c];
                if (e->spent > b->allocs[k * b->C + c] || e->spent < 0 || e->releases > e->fundable)
                    b->bad++;
                if (k % 2 == 0 && e->releases < st[(i * b->K + k + 1) * b->C + c].releases)
                    b->bad++;
            }
    b->blocks++;
    b->reps += n;
    return 0;
}

START_TEST(test_cheapest_dominates_first_come)
{
    scenario *s = load_text(random_text);
    /* pairs (cheapest_first, first_come) of the same allocation */
    const double allocs[] = {0, 0,         0, 0,         20000, 5000,  20000, 5000,
                             150000, 150000, 150000, 150000, 290000, 10000, 290000, 10000,
                             1e6, 1e6,     1e6, 1e6};
    scenario_policy pol[10];
    for (size_t k = 0; k < 10; k++)
        pol[k] = both_policies[k % 2];
    bound_ctx b = {allocs, 10, 2, pol, 0, 0, 0};
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = 2500, .threads = 2, .policies = pol,
                        .on_block = check_block, .block_ctx = &b};
    eval_result *r = run_eval(s, allocs, 10, &opt);
    ck_assert_int_eq(b.bad, 0);
    ck_assert_uint_eq(b.reps, 2500);
    ck_assert_uint_eq(b.blocks, (2500 + EVAL_BLOCK - 1) / EVAL_BLOCK);
    int strict = 0;
    for (size_t k = 0; k < 10; k += 2)
        for (size_t i = 0; i < r->nreps; i++) {
            ck_assert(r->allocs[k].totals[i] >= r->allocs[k + 1].totals[i]);
            strict += r->allocs[k].totals[i] > r->allocs[k + 1].totals[i];
        }
    ck_assert_msg(strict > 0, "the policies never differ: the test scenario is too easy");
    for (size_t k = 0; k < 10; k++) {
        ck_assert(r->allocs[k].spent.mean <= allocs[2 * k] + allocs[2 * k + 1]);
        /* paired difference against allocation 0 (zero releases) */
        ck_assert_double_eq_tol(r->allocs[k].diff_releases.mean, r->allocs[k].releases.mean, 1e-9);
    }
    /* zero allocation, zero releases; unlimited money pays every fundable case */
    ck_assert_double_eq(r->allocs[0].releases.mean, 0);
    ck_assert_double_eq(r->allocs[1].spent.mean, 0);
    for (size_t c = 0; c < 2; c++) {
        ck_assert_double_eq_tol(r->allocs[8].regions[c].releases.mean, r->allocs[8].regions[c].fundable.mean,
                                1e-9);
        ck_assert_double_eq_tol(r->allocs[9].regions[c].releases.mean, r->allocs[9].regions[c].fundable.mean,
                                1e-9);
    }
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* ---- expected fundable count ---- */

/* Derivation (DESIGN §1), for one region with initial_detained N0, Poisson
 * arrivals of rate λ on [0, H), grant probability g, family-pays probability
 * p, fixed hearing delay D, fixed release delay R, removal hazard h and the
 * bond cap admitting a fraction q of bonds (q = 1 when unlimited):
 *
 * A person arriving at a is fundable iff granted (g), not family-paid
 * (1 - p), bond <= cap (q), d = a + D < H, and removal m = a + E > d + R,
 * i.e. E > D + R for E ~ Exponential(h): probability e^{-h(D+R)}.  These are
 * independent, so P(fundable | a) = g (1 - p) q e^{-h(D+R)} 1{a < H - D}.
 * - Initial detainees (a = 0): N0 g (1-p) q e^{-h(D+R)} 1{D < H}.
 * - Arrivals: by Poisson thinning (or: E[count] = λH, a ~ U[0, H), so
 *   P(a < H - D) = max(0, H - D) / H): λ max(0, H - D) g (1-p) q e^{-h(D+R)}.
 * E[fundable] = g (1-p) q e^{-h(D+R)} [N0 1{D<H} + λ max(0, H - D)].
 * With h = 0 the factor is 1 ("never removed"). */
static double expected_fundable(double N0, double lambda, double H, double g, double p, double q, double D,
                                double R, double h)
{
    return g * (1 - p) * q * exp(-h * (D + R)) * (N0 * (D < H ? 1 : 0) + lambda * fmax(0, H - D));
}

static void check_fundable_mean(const char *text, double want, size_t nreps)
{
    scenario *s = load_text(text);
    double alloc = 0;
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = nreps, .threads = 2};
    eval_result *r = run_eval(s, &alloc, 1, &opt);
    const stat_acc *f = &r->allocs[0].regions[0].fundable;
    ck_assert_double_eq(f->n, (double)nreps);
    double se = stat_sd(f) / sqrt(f->n);
    ck_assert_msg(se > 0, "no variation in the fundable count");
    ck_assert_msg(fabs(f->mean - want) < 4 * se, "fundable mean %.4f, expected %.4f (SE %.4f, %.2f SE)\n%s",
                  f->mean, want, se, (f->mean - want) / se, text);
    eval_free(r);
    scenario_free(s);
}

START_TEST(test_fundable_poisson_mean)
{
    char text[1024];
    struct {
        double N0, lambda, H, g, p, D, R, h;
    } cases[] = {
        {40, 1.5, 60, 0.7, 0.2, 10, 3, 0.01},   /* everything at once */
        {0, 4, 30, 1, 0, 0, 0, 0},              /* plain Poisson */
        {25, 0.8, 45, 0.55, 0.35, 44.5, 2, 0.02}, /* decisions just before the horizon */
        {100, 2, 20, 0.9, 0.1, 25, 1, 0.005},   /* D >= H: nobody of arrivals or N0 */
        {10, 3, 90, 0.6, 0, 14, 0.5, 0.05},     /* strong removal */
    };
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        snprintf(text, sizeof text,
                 "[fund]\nhorizon_days = %.17g\n[region.r]\ninitial_detained = %.0f\n"
                 "arrivals_per_day = %.17g\nbond_grant_prob = %.17g\nfamily_pays_prob = %.17g\n"
                 "bond_usd = lognormal(median=2500, sigma=0.7)\n"
                 "hearing_delay_days = fixed(%.17g)\nrelease_delay_days = fixed(%.17g)\n"
                 "removal_hazard_per_day = %.17g\n",
                 cases[t].H, cases[t].N0, cases[t].lambda, cases[t].g, cases[t].p, cases[t].D, cases[t].R,
                 cases[t].h);
        double want = expected_fundable(cases[t].N0, cases[t].lambda, cases[t].H, cases[t].g, cases[t].p, 1,
                                        cases[t].D, cases[t].R, cases[t].h);
        if (want == 0) { /* D >= H: exactly zero, every replication */
            scenario *s = load_text(text);
            double alloc = 1e9;
            eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = 500, .threads = 1};
            eval_result *r = run_eval(s, &alloc, 1, &opt);
            ck_assert_double_eq(r->allocs[0].regions[0].fundable.mean, 0);
            ck_assert_double_eq(r->allocs[0].releases.mean, 0);
            eval_free(r);
            scenario_free(s);
            continue;
        }
        check_fundable_mean(text, want, 20000);
    }
}
END_TEST

/* A cap at 2000 on uniform(1000, 5000) bonds keeps q = 1/4 of them; a cap
 * inside a truncated lognormal's support keeps its truncated-cdf share. */
START_TEST(test_fundable_bond_cap)
{
    const char *text = "[fund]\nhorizon_days = 60\n[region.r]\ninitial_detained = 30\narrivals_per_day = 1.5\n"
                       "bond_grant_prob = 0.8\nfamily_pays_prob = 0.25\n"
                       "bond_usd = uniform(min=1000, max=5000)\nmax_bond_paid_usd = 2000\n"
                       "hearing_delay_days = fixed(12)\nrelease_delay_days = fixed(2)\n"
                       "removal_hazard_per_day = 0.01\n";
    check_fundable_mean(text, expected_fundable(30, 1.5, 60, 0.8, 0.25, 0.25, 12, 2, 0.01), 20000);

    /* and no case above the cap is ever kept, in cost terms (cap + case cost) */
    scenario *s = load_text("[region.r]\ninitial_detained = 300\nbond_usd = uniform(min=1000, max=5000)\n"
                            "max_bond_paid_usd = 3000\ncase_cost_usd = 100\n");
    engine_ws *ws = ws_new();
    double kept = 0, people = 0;
    for (uint64_t rep = 0; rep < 200; rep++) {
        draw(ws, s, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, rep);
        size_t n;
        const engine_case *cs = engine_cases(ws, &n);
        for (size_t i = 0; i < n; i++)
            ck_assert(cs[i].cost >= 1100 && cs[i].cost <= 3100);
        kept += (double)n;
        people += (double)engine_people(ws);
    }
    /* binomial(60000, 1/2): SE of the share 0.002 */
    ck_assert_double_eq_tol(kept / people, 0.5, 0.01);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* ---- days ---- */

START_TEST(test_days_fixed_delays)
{
    /* D = 7.5, R = 2.25, H = 90: every release spends 9.75 days detained and
     * has 80.25 days of freedom; all three are exact in binary. */
    scenario *s = load_text("[fund]\nhorizon_days = 90\n[region.r]\ninitial_detained = 50\n"
                            "bond_usd = uniform(min=1500, max=4000)\nhearing_delay_days = fixed(7.5)\n"
                            "release_delay_days = fixed(2.25)\n");
    engine_ws *ws = ws_new();
    double days[64];
    const double xs[] = {0, 1500, 10000, 60000, 1e6};
    for (int pi = 0; pi < 2; pi++)
        for (uint64_t rep = 0; rep < 100; rep++) {
            draw(ws, s, 0, both_policies[pi], RNG_STREAM_EVALUATE, rep);
            size_t n;
            engine_cases(ws, &n);
            ck_assert_uint_eq(n, 50);
            for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
                for (size_t i = 0; i < 64; i++)
                    days[i] = -1;
                engine_stats st;
                engine_pay(&st, ws, both_policies[pi], xs[k], s->horizon_days, days);
                ck_assert_double_eq(st.detention_days, 9.75 * st.releases);
                ck_assert_double_eq(st.freedom_days, 80.25 * st.releases);
                for (size_t i = 0; i < (size_t)st.releases; i++)
                    ck_assert_double_eq(days[i], 9.75);
                ck_assert_double_eq(days[(size_t)st.releases], -1); /* nothing written past them */
                if (xs[k] >= 1e6)
                    ck_assert_double_eq(st.releases, 50);
            }
        }
    engine_ws_free(ws);

    double allocs[] = {20000, 1e6};
    scenario_policy pol[] = {POLICY_FIRST_COME, POLICY_CHEAPEST_FIRST};
    eval_options opt = {.stream = RNG_STREAM_OPTIMIZE, .nreps = 300, .threads = 2, .policies = pol};
    eval_result *r = run_eval(s, allocs, 2, &opt);
    for (size_t k = 0; k < 2; k++) {
        /* the mean divides by releases.mean * n: exact up to rounding */
        ck_assert_double_eq_tol(eval_detention_mean(r, k, 0), 9.75, 1e-12);
        ck_assert_double_eq_tol(r->allocs[k].regions[0].freedom_days.mean,
                                80.25 * r->allocs[k].regions[0].releases.mean, 1e-9);
    }
    ck_assert_double_eq(r->allocs[1].releases.mean, 50);
    ck_assert_double_eq(r->allocs[1].freedom_days.mean, 50 * 80.25);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* Release after the horizon: fundable (d < H), detention d + r, no freedom. */
START_TEST(test_days_release_after_horizon)
{
    scenario *s = load_text("[fund]\nhorizon_days = 90\n[region.r]\ninitial_detained = 10\n"
                            "hearing_delay_days = fixed(80)\nrelease_delay_days = fixed(20)\n");
    engine_ws *ws = ws_new();
    double days[16];
    draw(ws, s, 0, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, 0);
    engine_stats st;
    engine_pay(&st, ws, POLICY_FIRST_COME, 1e6, s->horizon_days, days);
    ck_assert_double_eq(st.releases, 10);
    ck_assert_double_eq(st.detention_days, 1000);
    ck_assert_double_eq(st.freedom_days, 0);
    ck_assert_double_eq(days[9], 100);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* Arrivals: detention is still D + R for each release (d + r - a), and
 * freedom is H - a - D - R. */
START_TEST(test_days_arrivals)
{
    scenario *s = load_text("[fund]\nhorizon_days = 60\n[region.r]\narrivals_per_day = 3\n"
                            "hearing_delay_days = fixed(6)\nrelease_delay_days = fixed(1.5)\n");
    engine_ws *ws = ws_new();
    double *days = malloc(1024 * sizeof *days);
    ck_assert_ptr_nonnull(days);
    for (uint64_t rep = 0; rep < 100; rep++) {
        draw(ws, s, 0, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, rep);
        size_t n;
        const engine_case *cs = engine_cases(ws, &n);
        ck_assert_uint_lt(n, 1024);
        double freedom = 0;
        for (size_t i = 0; i < n; i++) {
            ck_assert(cs[i].arrive + 6 < 60);
            freedom += fmax(0, 60 - cs[i].release);
        }
        engine_stats st;
        engine_pay(&st, ws, POLICY_FIRST_COME, 1e9, s->horizon_days, days);
        ck_assert_double_eq(st.releases, (double)n);
        for (size_t i = 0; i < n; i++)
            ck_assert_double_eq_tol(days[i], 7.5, 1e-9);
        ck_assert_double_eq_tol(st.detention_days, 7.5 * (double)n, 1e-6);
        ck_assert_double_eq_tol(st.freedom_days, freedom, 1e-6);
    }
    free(days);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* ---- determinism ---- */

static void assert_stat_eq(const stat_acc *a, const stat_acc *b)
{
    ck_assert_msg(memcmp(a, b, sizeof *a) == 0, "stat differs: %.17g/%.17g vs %.17g/%.17g", a->mean, a->m2,
                  b->mean, b->m2);
}

static void assert_results_identical(const eval_result *a, const eval_result *b)
{
    ck_assert_uint_eq(a->nalloc, b->nalloc);
    ck_assert_uint_eq(a->nreps, b->nreps);
    ck_assert_uint_eq(a->nregions, b->nregions);
    ck_assert(a->people == b->people);
    for (size_t k = 0; k < a->nalloc; k++) {
        const eval_alloc *x = &a->allocs[k], *y = &b->allocs[k];
        ck_assert(memcmp(x->totals, y->totals, a->nreps * sizeof *x->totals) == 0);
        assert_stat_eq(&x->releases, &y->releases);
        assert_stat_eq(&x->spent, &y->spent);
        assert_stat_eq(&x->freedom_days, &y->freedom_days);
        assert_stat_eq(&x->diff_releases, &y->diff_releases);
        assert_stat_eq(&x->diff_freedom, &y->diff_freedom);
        ck_assert(x->reach_target == y->reach_target);
        for (size_t c = 0; c < a->nregions; c++) {
            assert_stat_eq(&x->regions[c].releases, &y->regions[c].releases);
            assert_stat_eq(&x->regions[c].spent, &y->regions[c].spent);
            assert_stat_eq(&x->regions[c].fundable, &y->regions[c].fundable);
            assert_stat_eq(&x->regions[c].freedom_days, &y->regions[c].freedom_days);
            ck_assert(x->regions[c].detention_days_sum == y->regions[c].detention_days_sum);
        }
    }
}

/* Records every block's engine_stats at [rep - base]. */
typedef struct record_ctx {
    engine_stats *all;
    uint64_t base;
    size_t per_rep, cap;
    uint64_t next; /* blocks must arrive in replication order */
    int out_of_order;
} record_ctx;

static int record_block(void *vctx, const eval_result *res, uint64_t first_rep, size_t n, const engine_stats *st,
                        fz_error *err)
{
    (void)err;
    ck_assert_uint_eq(res->first_rep, ((record_ctx *)vctx)->base);
    record_ctx *r = vctx;
    if (first_rep != r->next)
        r->out_of_order = 1;
    r->next = first_rep + n;
    ck_assert_uint_le(first_rep - r->base + n, r->cap);
    memcpy(r->all + (first_rep - r->base) * r->per_rep, st, n * r->per_rep * sizeof *st);
    return 0;
}

static const double det_allocs[] = {150000, 150000, 250000, 50000, 0, 300000};
static const scenario_policy det_pol[] = {POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME, POLICY_CHEAPEST_FIRST};

START_TEST(test_threads_identical)
{
    scenario *s = load_text(random_text);
    eval_result *r[3];
    const int threads[] = {1, 2, 3};
    for (int t = 0; t < 3; t++) {
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = 2500, .threads = threads[t],
                            .policies = det_pol};
        r[t] = run_eval(s, det_allocs, 3, &opt);
    }
    assert_results_identical(r[0], r[1]);
    assert_results_identical(r[0], r[2]);
    for (int t = 0; t < 3; t++)
        eval_free(r[t]);
    scenario_free(s);
}
END_TEST

START_TEST(test_streams_differ)
{
    scenario *s = load_text(random_text);
    eval_options a = {.stream = RNG_STREAM_OPTIMIZE, .nreps = 500, .threads = 2};
    eval_options b = {.stream = RNG_STREAM_EVALUATE, .nreps = 500, .threads = 2};
    eval_options c = {.stream = RNG_STREAM_BATCH + 3, .nreps = 500, .threads = 2};
    eval_result *ra = run_eval(s, det_allocs, 1, &a), *rb = run_eval(s, det_allocs, 1, &b),
                *rc = run_eval(s, det_allocs, 1, &c);
    int same_ab = 0, same_bc = 0;
    for (size_t i = 0; i < 500; i++) {
        same_ab += ra->allocs[0].totals[i] == rb->allocs[0].totals[i];
        same_bc += rb->allocs[0].totals[i] == rc->allocs[0].totals[i];
    }
    ck_assert(memcmp(ra->allocs[0].totals, rb->allocs[0].totals, 500 * sizeof(double)) != 0);
    ck_assert(memcmp(rb->allocs[0].totals, rc->allocs[0].totals, 500 * sizeof(double)) != 0);
    /* independent streams: agreement only by chance (totals spread over ~10 values) */
    ck_assert_int_lt(same_ab, 250);
    ck_assert_int_lt(same_bc, 250);
    ck_assert(ra->people != rb->people);
    eval_free(ra);
    eval_free(rb);
    eval_free(rc);

    /* another seed changes the draws of the same stream too */
    scenario *s2 = load_text(random_text);
    s2->seed = s->seed + 1;
    eval_result *r1 = run_eval(s, det_allocs, 1, &b), *r2 = run_eval(s2, det_allocs, 1, &b);
    ck_assert(memcmp(r1->allocs[0].totals, r2->allocs[0].totals, 500 * sizeof(double)) != 0);
    eval_free(r1);
    eval_free(r2);
    scenario_free(s2);
    scenario_free(s);
}
END_TEST

/* A run starting at first_rep reproduces the matching slice of a full run
 * (totals and every per-replication statistic), for several offsets that
 * cut blocks differently. */
START_TEST(test_first_rep_slices)
{
    scenario *s = load_text(random_text);
    const size_t N = 3000, C = 2, K = 3, per = K * C;
    record_ctx full = {calloc(N * per, sizeof(engine_stats)), 0, per, N, 0, 0};
    ck_assert_ptr_nonnull(full.all);
    eval_options fo = {.stream = RNG_STREAM_EVALUATE, .nreps = N, .threads = 2, .policies = det_pol,
                       .on_block = record_block, .block_ctx = &full};
    eval_result *rf = run_eval(s, det_allocs, K, &fo);
    ck_assert_int_eq(full.out_of_order, 0);
    ck_assert_uint_eq(full.next, N);
    const struct {
        uint64_t first;
        size_t n;
    } slices[] = {{0, 1}, {1100, 700}, {1023, 2}, {2999, 1}, {7, 2048}, {1024, 1024}};
    for (size_t t = 0; t < sizeof slices / sizeof *slices; t++) {
        record_ctx part = {calloc(slices[t].n * per, sizeof(engine_stats)), slices[t].first, per, slices[t].n,
                           slices[t].first, 0};
        ck_assert_ptr_nonnull(part.all);
        eval_options po = {.stream = RNG_STREAM_EVALUATE, .first_rep = slices[t].first, .nreps = slices[t].n,
                           .threads = 1 + (int)(t % 2), .policies = det_pol, .on_block = record_block,
                           .block_ctx = &part};
        eval_result *rp = run_eval(s, det_allocs, K, &po);
        ck_assert_int_eq(part.out_of_order, 0);
        ck_assert_uint_eq(rp->first_rep, slices[t].first);
        for (size_t k = 0; k < K; k++)
            ck_assert_msg(memcmp(rp->allocs[k].totals, rf->allocs[k].totals + slices[t].first,
                                 slices[t].n * sizeof(double)) == 0,
                          "slice %zu allocation %zu: totals differ", t, k);
        ck_assert_msg(memcmp(part.all, full.all + slices[t].first * per, slices[t].n * per * sizeof(engine_stats)) ==
                          0,
                      "slice %zu: per-replication stats differ", t);
        eval_free(rp);
        free(part.all);
    }
    eval_free(rf);
    free(full.all);
    scenario_free(s);
}
END_TEST

/* engine_draw depends on (seed, stream, rep, region) only: drawing the
 * replications backwards, interleaved with other regions and streams on a
 * workspace that has drawn other things, gives the same cases. */
START_TEST(test_draw_order_independent)
{
    scenario *s = load_text(random_text);
    enum { NREP = 60 };
    engine_case *first[NREP][2];
    size_t nfirst[NREP][2];
    engine_ws *ws = ws_new();
    for (uint64_t rep = 0; rep < NREP; rep++)
        for (size_t c = 0; c < 2; c++) {
            draw(ws, s, c, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, rep);
            const engine_case *cs = engine_cases(ws, &nfirst[rep][c]);
            first[rep][c] = malloc((nfirst[rep][c] + 1) * sizeof(engine_case));
            ck_assert_ptr_nonnull(first[rep][c]);
            memcpy(first[rep][c], cs, nfirst[rep][c] * sizeof(engine_case));
        }
    engine_ws_free(ws);

    engine_ws *w2 = ws_new();
    for (uint64_t k = NREP; k-- > 0;)
        for (size_t cc = 2; cc-- > 0;) {
            draw(w2, s, 1 - cc, POLICY_CHEAPEST_FIRST, RNG_STREAM_OPTIMIZE, k * 7 + 1000); /* unrelated */
            draw(w2, s, cc, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, k);
            size_t n;
            const engine_case *cs = engine_cases(w2, &n);
            ck_assert_uint_eq(n, nfirst[k][cc]);
            ck_assert_msg(memcmp(cs, first[k][cc], n * sizeof *cs) == 0, "rep %d region %zu differs", (int)k, cc);
        }
    engine_ws_free(w2);
    for (size_t rep = 0; rep < NREP; rep++)
        for (size_t c = 0; c < 2; c++)
            free(first[rep][c]);

    /* different regions of the same replication are different draws */
    engine_ws *w3 = ws_new();
    scenario *twin = load_text("[region.a]\ninitial_detained = 100\nbond_usd = uniform(min=1500, max=9000)\n"
                               "[region.b]\ninitial_detained = 100\nbond_usd = uniform(min=1500, max=9000)\n");
    draw(w3, twin, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, 5);
    size_t na, nb;
    engine_case *a = malloc(100 * sizeof *a);
    ck_assert_ptr_nonnull(a);
    const engine_case *ca = engine_cases(w3, &na);
    ck_assert_uint_eq(na, 100);
    memcpy(a, ca, na * sizeof *a);
    draw(w3, twin, 1, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, 5);
    const engine_case *b = engine_cases(w3, &nb);
    ck_assert_uint_eq(na, 100);
    ck_assert_uint_eq(nb, 100);
    ck_assert(memcmp(a, b, 100 * sizeof *a) != 0);
    free(a);
    engine_ws_free(w3);
    scenario_free(twin);
    scenario_free(s);
}
END_TEST

/* Allocations with different policies in one eval_run agree with separate
 * single-policy runs (the engine re-sorts the same people). */
START_TEST(test_mixed_policies_match_separate)
{
    scenario *s = load_text(random_text);
    eval_options mixed = {.stream = RNG_STREAM_EVALUATE, .nreps = 1200, .threads = 2, .policies = det_pol};
    eval_result *rm = run_eval(s, det_allocs, 3, &mixed);
    for (size_t k = 0; k < 3; k++) {
        eval_options one = {.stream = RNG_STREAM_EVALUATE, .nreps = 1200, .threads = 1, .policies = &det_pol[k]};
        eval_result *r1 = run_eval(s, det_allocs + 2 * k, 1, &one);
        ck_assert(memcmp(r1->allocs[0].totals, rm->allocs[k].totals, 1200 * sizeof(double)) == 0);
        for (size_t c = 0; c < 2; c++)
            assert_stat_eq(&r1->allocs[0].regions[c].fundable, &rm->allocs[k].regions[c].fundable);
        ck_assert(r1->people == rm->people);
        eval_free(r1);
    }
    eval_free(rm);
    scenario_free(s);
}
END_TEST

Suite *make_engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *exact = tcase_create("hand_solvable");
    tcase_set_timeout(exact, 60);
    tcase_add_test(exact, test_fixed_bonds_exact);
    tcase_add_test(exact, test_case_cost_adds);
    tcase_add_test(exact, test_money_exceeds_cases);
    tcase_add_test(exact, test_nobody_fundable);
    suite_add_tcase(s, exact);

    TCase *pol = tcase_create("policies");
    tcase_set_timeout(pol, 60);
    tcase_add_test(pol, test_policy_order_and_greedy);
    tcase_add_test(pol, test_ties_by_draw_order);
    tcase_add_test(pol, test_reference_draws);
    tcase_add_test(pol, test_cheapest_dominates_first_come);
    suite_add_tcase(s, pol);

    TCase *mean = tcase_create("expected_fundable");
    tcase_set_timeout(mean, 120);
    tcase_add_test(mean, test_fundable_poisson_mean);
    tcase_add_test(mean, test_fundable_bond_cap);
    suite_add_tcase(s, mean);

    TCase *days = tcase_create("days");
    tcase_set_timeout(days, 60);
    tcase_add_test(days, test_days_fixed_delays);
    tcase_add_test(days, test_days_release_after_horizon);
    tcase_add_test(days, test_days_arrivals);
    suite_add_tcase(s, days);

    TCase *det = tcase_create("determinism");
    tcase_set_timeout(det, 60);
    tcase_add_test(det, test_threads_identical);
    tcase_add_test(det, test_streams_differ);
    tcase_add_test(det, test_first_rep_slices);
    tcase_add_test(det, test_draw_order_independent);
    tcase_add_test(det, test_mixed_policies_match_separate);
    suite_add_tcase(s, det);
    return s;
}

FZ_CHECK_MAIN(engine)
