/* check_engine_fast: the engine's fast paths (issue 16) give bit for bit
 * what a straightforward implementation gives, replication by replication.
 *
 * - engine_settle_grid on §1 regions (first_come: prefix sums, binary
 *   search and the suffix minimum; cheapest_first: one merge) against a
 *   reference written here (the plain greedy pass at every grid point, as
 *   DESIGN §1 states it) and against engine_pay at every grid point, on
 *   randomised scenarios (distributions with ties, zero costs, copays,
 *   stays, removal, regimes, grids that do not divide the budget), both
 *   policies;
 * - the same on §7 ledger regions against engine_settle at every grid
 *   point (the reuse bound of grid_ledger);
 * - eval_run's per-replication curves (on_curves, the one pass that serves
 *   the evaluation and wait-and-see) against curve_compute's on the same
 *   stream, with and without the ledger, and the evaluation itself
 *   unchanged by asking for them. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "curve.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"

#include "engine_util.h"

/* splitmix64: the generator's own choices, independent of fianza's streams. */
static uint64_t gen_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define ONE_OF(st, arr) ((arr)[gen_next(st) % (sizeof(arr) / sizeof *(arr))])

/* Scenario k: two §1 regions (ledger = 0) or §7 ones (ledger = 1). */
static scenario *gen_scenario(uint64_t k, int ledger, scenario_policy p)
{
    uint64_t st = 0xfa57ull + k * 104729;
    static const char *budgets[] = {"20000", "60000", "150000", "301000"};
    static const char *grans[] = {"500", "1000", "333.3", "2500", "77"};
    static const char *bonds[] = {"fixed(1500)",
                                  "fixed(0)",
                                  "uniform(min=1000, max=6000)",
                                  "lognormal(median=2800, sigma=0.8, min=1500, max=50000)",
                                  "mixture(0.42: fixed(1500); 0.58: lognormal(median=2800, sigma=0.8, min=1500, "
                                  "max=50000))",
                                  "mixture(0.5: fixed(1500); 0.5: fixed(3000))",
                                  "gamma(shape=2, scale=2000)"};
    static const char *costs[] = {"0", "0", "250", "1000.5"};
    static const char *hearings[] = {"fixed(0)", "uniform(min=0, max=25)", "exponential(mean=8)",
                                     "gamma(shape=2, scale=5)"};
    static const char *delays[] = {"fixed(0)", "fixed(1)", "exponential(mean=2)"};
    static const char *initial[] = {"0", "10", "60"};
    static const char *arrivals[] = {"0.3", "1", "3"};
    static const char *grants[] = {"0.4", "0.9", "1"};
    static const char *hazards[] = {"0", "0", "0.02"};
    static const char *extras[] = {"", "", "copay_usd = uniform(min=0, max=1200)\n",
                                   "stay_prob = 0.3\nstay_days = uniform(min=1, max=15)\n"};
    static const char *ledgers[] = {"donations_usd_per_month = 3000\n", "queue = wait\nmax_wait_days = 10\n",
                                    "posting_days = weekdays\n", "queue = wait\nposting_days = weekdays\n"};
    static const char *ledger_regions[] = {"", "refund_prob = 0.7\ncase_duration_days = uniform(min=2, max=20)\n",
                                           "max_payments_per_day = 2\n"};
    char buf[4096];
    size_t o = 0;
    o += (size_t)snprintf(buf + o, sizeof buf - o,
                          "[fund]\nbudget_usd = %s\nhorizon_days = %s\ngranularity_usd = %s\npolicy = %s\n%s"
                          "[simulation]\nseed = %d\n",
                          ONE_OF(&st, budgets), gen_next(&st) % 2 ? "90" : "45.5", ONE_OF(&st, grans),
                          p == POLICY_CHEAPEST_FIRST ? "cheapest_first" : "first_come",
                          ledger ? ONE_OF(&st, ledgers) : "", (int)(gen_next(&st) % 100000));
    for (int c = 0; c < 2; c++)
        o += (size_t)snprintf(
            buf + o, sizeof buf - o,
            "[region.r%d]\ninitial_detained = %s\narrivals_per_day = %s\nbond_grant_prob = %s\n"
            "family_pays_prob = %s\nbond_usd = %s\ncase_cost_usd = %s\nhearing_delay_days = %s\n"
            "release_delay_days = %s\nremoval_hazard_per_day = %s\n%s%s",
            c, ONE_OF(&st, initial), ONE_OF(&st, arrivals), ONE_OF(&st, grants), gen_next(&st) % 2 ? "0" : "0.2",
            ONE_OF(&st, bonds), ONE_OF(&st, costs), ONE_OF(&st, hearings), ONE_OF(&st, delays), ONE_OF(&st, hazards),
            p == POLICY_FIRST_COME ? ONE_OF(&st, extras) : "", ledger ? ONE_OF(&st, ledger_regions) : "");
    if (gen_next(&st) % 4 == 0 && p == POLICY_FIRST_COME) /* a regime: phases */
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "[regime.tight]\nstart_day = 20\nend_day = 40\nbond_grant_prob = 0.2\n");
    return load_text(buf);
}

/* DESIGN §1's pass, written plainly: at every grid point, pay the cases in
 * policy order while the money lasts (cheapest_first stops at the first
 * case it cannot pay). */
static void ref_grid(const engine_case *cs, size_t n, scenario_policy p, double H, double step, size_t G, double *rel,
                     double *fre)
{
    for (size_t g = 0; g < G; g++) {
        double x = (double)g * step, spent = 0, r = 0, f = 0;
        for (size_t i = 0; i < n; i++) {
            if (spent + cs[i].cost > x) {
                if (p == POLICY_CHEAPEST_FIRST)
                    break;
                continue;
            }
            spent += cs[i].cost;
            r += 1;
            f += H > cs[i].release ? H - cs[i].release : 0;
        }
        rel[g] = r;
        fre[g] = f;
    }
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void check_grid_plain(scenario_policy p)
{
    engine_ws *ws = ws_new();
    size_t compared = 0, nonzero = 0;
    for (uint64_t k = 0; k < 60; k++) {
        scenario *s = gen_scenario(k, 0, p);
        const size_t G = scenario_grid_points(s);
        double *rel = malloc(G * sizeof *rel), *fre = malloc(G * sizeof *fre);
        double *rrel = malloc(G * sizeof *rrel), *rfre = malloc(G * sizeof *rfre);
        ck_assert(rel && fre && rrel && rfre);
        for (uint64_t rep = 0; rep < 25; rep++)
            for (size_t c = 0; c < s->nregions; c++) {
                ck_assert(!scenario_uses_ledger(s, c));
                draw(ws, s, c, p, RNG_STREAM_OPTIMIZE, rep);
                size_t n;
                const engine_case *cs = engine_cases(ws, &n);
                engine_settle_grid(ws, s, c, p, s->granularity_usd, G, rel, fre);
                ref_grid(cs, n, p, s->horizon_days, s->granularity_usd, G, rrel, rfre);
                for (size_t g = 0; g < G; g++) {
                    ck_assert_msg(same_bits(rel[g], rrel[g]) && same_bits(fre[g], rfre[g]),
                                  "scenario %d rep %d region %zu grid %zu: (%.17g, %.17g), reference (%.17g, %.17g)",
                                  (int)k, (int)rep, c, g, rel[g], fre[g], rrel[g], rfre[g]);
                    if (g % 7 == 0) { /* engine_pay too (every point would be slow) */
                        engine_stats st;
                        engine_pay(&st, ws, p, (double)g * s->granularity_usd, s->horizon_days, NULL);
                        ck_assert(same_bits(st.releases, rel[g]) && same_bits(st.freedom_days, fre[g]));
                    }
                    nonzero += rel[g] > 0 && rel[g] < (double)n;
                }
                compared += G;
            }
        free(rel);
        free(fre);
        free(rrel);
        free(rfre);
        scenario_free(s);
    }
    engine_ws_free(ws);
    ck_assert_uint_gt(compared, 100000);
    ck_assert_uint_gt(nonzero, compared / 10); /* the budget binds often: the search matters */
}

START_TEST(grid_first_come_exact) { check_grid_plain(POLICY_FIRST_COME); }
END_TEST

START_TEST(grid_cheapest_exact) { check_grid_plain(POLICY_CHEAPEST_FIRST); }
END_TEST

/* Hand-made cases: zero costs, equal prefix sums, a grid point exactly at a
 * prefix sum, the last case the only one that fits. */
START_TEST(grid_first_come_edges)
{
    scenario *s = load_text("[fund]\nbudget_usd = 10000\ngranularity_usd = 500\npolicy = first_come\n"
                            "[region.a]\ninitial_detained = 5\narrivals_per_day = 1\nbond_usd = fixed(1500)\n");
    engine_ws *ws = ws_new();
    draw(ws, s, 0, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, 0);
    const size_t G = scenario_grid_points(s);
    double rel[64], fre[64], rrel[64], rfre[64];
    ck_assert_uint_le(G, 64);
    engine_settle_grid(ws, s, 0, POLICY_FIRST_COME, 500, G, rel, fre);
    size_t n;
    const engine_case *cs = engine_cases(ws, &n);
    ref_grid(cs, n, POLICY_FIRST_COME, s->horizon_days, 500, G, rrel, rfre);
    for (size_t g = 0; g < G; g++) {
        ck_assert(same_bits(rel[g], rrel[g]) && same_bits(fre[g], rfre[g]));
        double want = floor((double)g * 500 / 1500);
        ck_assert_double_eq(rel[g], want < (double)n ? want : (double)n);
    }
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* §7: engine_settle_grid against engine_settle at every grid point. */
START_TEST(grid_ledger_exact)
{
    engine_ws *ws = ws_new();
    size_t compared = 0;
    for (uint64_t k = 0; k < 16; k++) {
        scenario *s = gen_scenario(1000 + k, 1, POLICY_FIRST_COME);
        const size_t G = scenario_grid_points(s);
        double *rel = malloc(G * sizeof *rel), *fre = malloc(G * sizeof *fre);
        ck_assert(rel && fre);
        for (uint64_t rep = 0; rep < 3; rep++)
            for (size_t c = 0; c < s->nregions; c++) {
                ck_assert(scenario_uses_ledger(s, c));
                draw(ws, s, c, POLICY_FIRST_COME, RNG_STREAM_OPTIMIZE, rep);
                engine_settle_grid(ws, s, c, POLICY_FIRST_COME, s->granularity_usd, G, rel, fre);
                for (size_t g = 0; g < G; g += 1 + G / 97) {
                    engine_stats st;
                    engine_settle(&st, ws, s, c, POLICY_FIRST_COME, (double)g * s->granularity_usd, NULL);
                    ck_assert_msg(same_bits(st.releases, rel[g]) && same_bits(st.freedom_days, fre[g]),
                                  "scenario %d rep %d region %zu grid %zu: (%.17g, %.17g), settle (%.17g, %.17g)",
                                  (int)k, (int)rep, c, g, rel[g], fre[g], st.releases, st.freedom_days);
                    compared++;
                }
            }
        free(rel);
        free(fre);
        scenario_free(s);
    }
    engine_ws_free(ws);
    ck_assert_uint_gt(compared, 2000);
}
END_TEST

/* The ledger's cases come in ready then draw order (what qsort with that
 * total order gives): a permutation of the draw, strictly increasing in
 * (ready, id); with ties (fixed delays), many cases, and few. */
START_TEST(lcases_order)
{
    engine_ws *ws = ws_new();
    size_t checked = 0;
    for (uint64_t k = 0; k < 40; k++) {
        scenario *s = gen_scenario(3000 + k, 1, POLICY_FIRST_COME);
        for (uint64_t rep = 0; rep < 6; rep++)
            for (size_t c = 0; c < s->nregions; c++) {
                fz_error err = {0, ""};
                ck_assert_int_eq(engine_draw_lcases(ws, s, c, RNG_STREAM_OPTIMIZE, rep, &err), 0);
                size_t n;
                const engine_lcase *l = engine_lcases(ws, &n);
                char *seen = calloc(n + 1, 1);
                ck_assert_ptr_nonnull(seen);
                for (size_t i = 0; i < n; i++) {
                    ck_assert_uint_lt(l[i].id, n);
                    ck_assert(!seen[l[i].id]);
                    seen[l[i].id] = 1;
                    if (i > 0)
                        ck_assert_msg(l[i - 1].ready < l[i].ready ||
                                          (l[i - 1].ready == l[i].ready && l[i - 1].id < l[i].id),
                                      "scenario %d rep %d: cases %zu and %zu out of order", (int)k, (int)rep, i - 1, i);
                    ck_assert_uint_eq(l[i].region, c);
                }
                free(seen);
                checked += n;
            }
        scenario_free(s);
    }
    engine_ws_free(ws);
    ck_assert_uint_gt(checked, 10000);
}
END_TEST

/* ---- one pass for the evaluation and wait-and-see ---- */

typedef struct keep_curves { /* every replication's curves, in order */
    double *rel, *fre;
    size_t per_rep, have;
    uint64_t next;
} keep_curves;

static int keep(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)err;
    keep_curves *k = ctx;
    ck_assert_uint_eq(first, k->next); /* in replication order */
    memcpy(k->rel + k->have * k->per_rep, rel, n * k->per_rep * sizeof *rel);
    memcpy(k->fre + k->have * k->per_rep, fre, n * k->per_rep * sizeof *fre);
    k->have += n;
    k->next += n;
    return 0;
}

static void check_eval_curves(scenario *s, int threads, size_t S)
{
    const size_t C = s->nregions, G = scenario_grid_points(s);
    keep_curves a = {malloc(S * C * G * sizeof(double)), malloc(S * C * G * sizeof(double)), C * G, 0, 3};
    keep_curves b = {malloc(S * C * G * sizeof(double)), malloc(S * C * G * sizeof(double)), C * G, 0, 3};
    ck_assert(a.rel && a.fre && b.rel && b.fre);
    curve_options co = {.stream = RNG_STREAM_EVALUATE,
                        .first_rep = 3,
                        .nreps = S,
                        .threads = threads,
                        .on_block = keep,
                        .block_ctx = &a};
    curve_set *cs = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(curve_compute(&cs, s, &co, &err) == 0, "%s", err.msg);
    curve_free(cs);
    double allocs[2 * SCENARIO_MAX_REGIONS];
    for (size_t c = 0; c < C; c++) {
        allocs[c] = s->budget_usd / (double)C;
        allocs[C + c] = c == 0 ? s->budget_usd : 0;
    }
    eval_options plain = {.stream = RNG_STREAM_EVALUATE, .first_rep = 3, .nreps = S, .threads = threads};
    eval_options with = plain;
    with.on_curves = keep;
    with.curves_ctx = &b;
    eval_result *r0 = run_eval(s, allocs, 2, &plain), *r1 = run_eval(s, allocs, 2, &with);
    ck_assert_uint_eq(b.have, S);
    ck_assert_msg(!memcmp(a.rel, b.rel, S * C * G * sizeof(double)), "releases curves differ");
    ck_assert_msg(!memcmp(a.fre, b.fre, S * C * G * sizeof(double)), "freedom curves differ");
    for (size_t k = 0; k < 2; k++) { /* the evaluation is the same with or without them */
        ck_assert(!memcmp(r0->allocs[k].totals, r1->allocs[k].totals, S * sizeof(double)));
        ck_assert(same_bits(r0->allocs[k].releases.mean, r1->allocs[k].releases.mean));
        ck_assert(same_bits(r0->allocs[k].freedom_days.mean, r1->allocs[k].freedom_days.mean));
        ck_assert(same_bits(r0->allocs[k].spent.mean, r1->allocs[k].spent.mean));
    }
    /* and the curves are the evaluation's: allocation 1 puts the whole
     * budget (a grid point here) in region 0, nothing in region 1 */
    for (size_t i = 0; i < S; i++) {
        double want = b.rel[i * C * G + (G - 1)] + b.rel[(i * C + 1) * G];
        ck_assert(same_bits(r1->allocs[1].totals[i], want));
    }
    eval_free(r0);
    eval_free(r1);
    free(a.rel);
    free(a.fre);
    free(b.rel);
    free(b.fre);
}

START_TEST(eval_curves_plain)
{
    for (int p = 0; p < 2; p++) {
        scenario *s = gen_scenario(77 + (uint64_t)p, 0, p ? POLICY_CHEAPEST_FIRST : POLICY_FIRST_COME);
        /* the budget a grid point; 2,001 of them: blocks of 65 replications */
        s->budget_usd = (p ? 100 : 2000) * s->granularity_usd;
        check_eval_curves(s, p + 1, p ? 700 : 300);
        scenario_free(s);
    }
}
END_TEST

START_TEST(eval_curves_ledger)
{
    scenario *s = gen_scenario(2024, 1, POLICY_FIRST_COME);
    s->budget_usd = 40 * s->granularity_usd;
    check_eval_curves(s, 2, 200);
    scenario_free(s);
}
END_TEST

/* Mixed policies cannot share the draw with the curves: refused. */
START_TEST(eval_curves_mixed_refused)
{
    scenario *s = gen_scenario(5, 0, POLICY_FIRST_COME);
    double allocs[4] = {1000, 1000, 1000, 1000};
    scenario_policy pol[2] = {POLICY_FIRST_COME, POLICY_CHEAPEST_FIRST};
    keep_curves k = {NULL, NULL, 0, 0, 0};
    eval_options o = {
        .stream = RNG_STREAM_EVALUATE, .nreps = 10, .threads = 1, .policies = pol, .on_curves = keep, .curves_ctx = &k};
    eval_result *r = NULL;
    fz_error err = {0, ""};
    ck_assert_int_ne(eval_run(&r, s, allocs, 2, &o, &err), 0);
    ck_assert_ptr_null(r);
    ck_assert(strstr(err.msg, "policy") != NULL);
    scenario_free(s);
}
END_TEST

Suite *make_engine_fast_suite(void)
{
    Suite *s = suite_create("engine_fast");
    TCase *t = tcase_create("grid");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, grid_first_come_exact);
    tcase_add_test(t, grid_cheapest_exact);
    tcase_add_test(t, grid_first_come_edges);
    tcase_add_test(t, grid_ledger_exact);
    tcase_add_test(t, lcases_order);
    suite_add_tcase(s, t);
    TCase *e = tcase_create("eval");
    tcase_set_timeout(e, 240);
    tcase_add_test(e, eval_curves_plain);
    tcase_add_test(e, eval_curves_ledger);
    tcase_add_test(e, eval_curves_mixed_refused);
    suite_add_tcase(s, e);
    return s;
}

FZ_CHECK_MAIN(engine_fast)
