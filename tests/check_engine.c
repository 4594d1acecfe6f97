/* check_engine: the Monte Carlo engine (DESIGN §1) through the library API:
 * engine_draw and engine_pay (eval_run's side: check_eval).
 *
 * - hand-solvable scenarios (fixed bonds, no attrition): exactly
 *   floor(x / (1500 + case cost)) releases in every replication, both policies;
 * - policy order: cases sorted by cost (cheapest_first) or decision time
 *   (first_come), ties by draw order; cheapest_first pays the longest
 *   affordable prefix and never releases fewer than first_come; nothing
 *   spends more than its allocation;
 * - days in detention and of freedom with fixed delays.
 *
 * Helpers (scenario loading, draws, eval_run) are in engine_util.h. */
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

#include "engine_batch_ref.h"
#include "engine_util.h"

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
    const double xs[] = {0,      1,     1499.99, 1500,   1500.01, 2999,           3000,
                         4500.5, 10000, 100000,  299999, 300000,  499 * cost + 1, 500 * cost - 0.5};
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
                ck_assert_msg(st.releases == want, "policy %d rep %d x %.2f: %g releases, want %g", pi, (int)rep, xs[i],
                              st.releases, want);
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
            ck_assert_msg(st.fundable == 0 && st.releases == 0 && st.spent == 0, "case %zu rep %d", t, (int)rep);
        }
        scenario_free(s);
    }
    engine_ws_free(ws);
}
END_TEST

/* ---- policies ---- */

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
                    ck_assert(cs[i].ready < s->horizon_days);
                    ck_assert(cs[i].release >= cs[i].ready);
                    ck_assert(cs[i].ready >= cs[i].arrive);
                    ck_assert(cs[i].cost >= 1500);
                    if (c == 0)
                        ck_assert(cs[i].cost <= 25000);
                    if (i > 0 && p == POLICY_CHEAPEST_FIRST)
                        ck_assert(cs[i - 1].cost <= cs[i].cost);
                    if (i > 0 && p == POLICY_FIRST_COME)
                        ck_assert(cs[i - 1].ready <= cs[i].ready);
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

/* Stable insertion sort in policy order: by cost then ready time
 * (cheapest_first, DESIGN §7) or by ready time (first_come). */
static int goes_after(const engine_case *a, const engine_case *b, int by_cost)
{
    if (!by_cost)
        return a->ready > b->ready;
    return a->cost > b->cost || (a->cost == b->cost && a->ready > b->ready);
}

static void stable_sort(engine_case *c, size_t n, int by_cost)
{
    for (size_t i = 1; i < n; i++) {
        engine_case x = c[i];
        size_t j = i;
        while (j > 0 && goes_after(&c[j - 1], &x, by_cost)) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = x;
    }
}

/* Ties are broken by ready time, then draw order.  Cases are told apart by
 * their release time (random release delay).  With every cost equal,
 * cheapest_first orders by ready time then draw order (DESIGN §7), so
 * stably sorting it by ready time (two tied groups) must give first_come's
 * order exactly; with every decision time equal
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
 * draw order documented at the top of engine.c: the people count, then the
 * thinned counts K0 ~ Binomial(n0, p) and K1 ~ Binomial(N, p) with
 * p = grant (1 - family) (issue 16), then per kept person arrival, hearing
 * delay, amount (ref_bond), release delay, removal (or, when vrng covers
 * the three distributions, reference_batch); draws after the one that makes a
 * person unfundable are skipped.  It lists the fundable cases in draw
 * order; stably sorted by the policy's key they must equal engine_cases
 * exactly, ties included.  A change of the draw order (which changes every
 * result for a given seed) must update this oracle; check_thinning tests
 * the distribution against an unthinned reference. */
static size_t ref_binomial(gsl_rng *r, double p, size_t n)
{
    return n == 0 || !(p > 0) ? 0 : p >= 1 ? n : gsl_ran_binomial(r, p, (unsigned)n);
}

/* The bond as engine.c draws it: dist_sample, except that a lognormal
 * truncated at or above its median rejects from |N| (issue 16). */
static double ref_bond(const dist *d, gsl_rng *r)
{
    dist_draw p;
    dist_draw_plan(d, &p);
    if (!(p.kind == DIST_DRAW_LOGNORMAL_REJECT && p.lo > 0 && log(p.lo) >= p.a))
        return dist_sample(d, r);
    for (int t = 0; t < DIST_REJECT_TRIES; t++) {
        double x = exp(p.a + fabs(gsl_ran_gaussian_ziggurat(r, p.b)));
        if (x >= p.lo && x <= p.hi)
            return x;
    }
    return dist_sample_inverse(d, r);
}

static size_t reference_draw(engine_case *out, size_t cap, const scenario *s, size_t region, uint64_t stream,
                             uint64_t rep)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days;
    gsl_rng *r = rng_new();
    ck_assert_ptr_nonnull(r);
    rng_seed(r, s->seed, stream, rep, region);
    size_t n0 = (size_t)g->initial_detained, n = 0;
    size_t arrivals = g->arrivals_per_day > 0 ? gsl_ran_poisson(r, g->arrivals_per_day * H) : 0;
    double p = g->bond_grant_prob * (1 - g->family_pays_prob);
    size_t k0 = ref_binomial(r, p, n0), kept = k0 + ref_binomial(r, p, arrivals);
    dist_draw pl[3];
    if (kept >= 32 /* ENGINE_BATCH_MIN */ && ref_batchable(g->hearing_delay_days, &pl[0]) &&
        ref_batchable(g->bond_usd, &pl[1]) && ref_batchable(g->release_delay_days, &pl[2])) {
        gsl_rng_free(r);
        return reference_batch(out, cap, s, region, stream, rep, kept, k0, pl);
    }
    for (size_t i = 0; i < kept; i++) {
        double a = i < k0 ? 0 : H * gsl_rng_uniform(r);
        double d = a + dist_sample(g->hearing_delay_days, r);
        if (!(d < H))
            continue;
        double b = ref_bond(g->bond_usd, r);
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
                    ck_assert_msg(memcmp(cs, ref, n * sizeof *cs) == 0, "scenario %zu region %zu rep %d policy %d", t,
                                  c, (int)rep, pi);
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
    const double allocs[] = {0,      0,      0,      0,     20000,  5000,  20000, 5000, 150000, 150000,
                             150000, 150000, 290000, 10000, 290000, 10000, 1e6,   1e6,  1e6,    1e6};
    scenario_policy pol[10];
    for (size_t k = 0; k < 10; k++)
        pol[k] = both_policies[k % 2];
    bound_ctx b = {allocs, 10, 2, pol, 0, 0, 0};
    eval_options opt = {.stream = RNG_STREAM_EVALUATE,
                        .nreps = 2500,
                        .threads = 2,
                        .policies = pol,
                        .on_block = check_block,
                        .block_ctx = &b};
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
        ck_assert_double_eq_tol(r->allocs[8].regions[c].releases.mean, r->allocs[8].regions[c].fundable.mean, 1e-9);
        ck_assert_double_eq_tol(r->allocs[9].regions[c].releases.mean, r->allocs[9].regions[c].fundable.mean, 1e-9);
    }
    eval_free(r);
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

    TCase *days = tcase_create("days");
    tcase_set_timeout(days, 60);
    tcase_add_test(days, test_days_fixed_delays);
    tcase_add_test(days, test_days_release_after_horizon);
    tcase_add_test(days, test_days_arrivals);
    suite_add_tcase(s, days);

    return s;
}

FZ_CHECK_MAIN(engine)
