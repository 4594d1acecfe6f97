/* check_time_stats: DESIGN §7's person-level draws (stays, copays, refunds,
 * regimes by decision time) through engine_draw and eval_run, as
 * statistics with tolerances derived from their standard errors (4 SE: a
 * false alarm about once in 16,000 runs per assertion), plus exact checks
 * where the draws fix the answer:
 *
 * - stays past H and revoked stays make cases unfundable (binomial SE);
 *   a stay of 5 days adds exactly 5 days in detention to the stayed cases;
 * - copays: k < b decides fundability, the fund pays b - k;
 * - refunds: the share of paid money back within H;
 * - regimes by decision time on bond_usd, max_bond_paid_usd and
 *   family_pays_prob; a regime of one region leaves the other region's
 *   results bit-identical;
 * - every §7 key written at its default changes nothing, bit for bit, on
 *   every shipped scenario;
 * - cheapest_first pays equal costs in order of ready time (e, stays
 *   included), not draw order. */
#define _GNU_SOURCE
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"

#include "engine_util.h"
#include "eval_same.h"

static int under_valgrind(void) { return getenv("FIANZA_TEST_VALGRIND") != NULL; }

/* Replications for the statistical tests (N people each). */
static size_t reps(void) { return under_valgrind() ? 40 : 400; }

/* eval_run of one allocation x over reps() replications. */
static eval_result *eval_one(const scenario *s, const double *x)
{
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(), .threads = 2};
    return run_eval(s, x, 1, &opt);
}

/* A fraction p_hat of n independent trials against p: |p_hat - p| <= 4 SE,
 * SE = sqrt(p (1 - p) / n). */
static void expect_fraction(double p_hat, double p, double n, const char *what)
{
    double se = sqrt(p * (1 - p) / n);
    ck_assert_msg(fabs(p_hat - p) <= 4 * se, "%s: %.5f, want %.5f +- %.5f (4 SE, n %.0f)", what, p_hat, p, 4 * se, n);
}

/* ---- stays ---- */

/* N people decided at day 1 (H = 90), every one fundable without stays;
 * `keys` adds the stay.  `ledger` adds a capacity nobody reaches, so the
 * ledger's draw and settlement run instead of §1's pass. */
static scenario *stay_scenario(const char *keys, int ledger)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "[fund]\nbudget_usd = 1000000\npolicy = first_come\n[simulation]\nseed = 77\n"
             "[region.r]\ninitial_detained = 200\nhearing_delay_days = fixed(2)\nrelease_delay_days = fixed(1)\n"
             "%s%s",
             keys, ledger ? "max_payments_per_day = 100000\n" : "");
    return load_text(buf);
}

START_TEST(test_stays_unfundable)
{
    const double N = 200, x = 1000000;
    for (int ledger = 0; ledger < 2; ledger++) {
        scenario *s = stay_scenario("", ledger);
        eval_result *r = eval_one(s, &x);
        /* no stays: all N fundable (and paid) in every replication */
        ck_assert_double_eq(r->allocs[0].regions[0].fundable.mean, N);
        ck_assert_double_eq(r->allocs[0].regions[0].fundable.m2, 0);
        ck_assert_double_eq(r->allocs[0].releases.mean, N);
        eval_free(r);
        scenario_free(s);
        /* half stayed, each either past H (2 + 90 >= H) or revoked: each
         * person is fundable with probability 1/2, independently, so the
         * fundable fraction of N R people has SE 1 / (2 sqrt(N R)) */
        const char *keys[] = {"stay_prob = 0.5\nstay_days = fixed(90)\n",
                              "stay_prob = 0.5\nstay_days = fixed(88)\n", /* e = 90 = H: not < H */
                              "stay_prob = 0.5\nstay_days = fixed(5)\nstay_revoke_prob = 1\n"};
        for (size_t k = 0; k < 3; k++) {
            s = stay_scenario(keys[k], ledger);
            r = eval_one(s, &x);
            const eval_region *g = &r->allocs[0].regions[0];
            char what[160];
            snprintf(what, sizeof what, "%s%s: fundable fraction", ledger ? "ledger, " : "", keys[k]);
            expect_fraction(g->fundable.mean / N, 0.5, N * (double)reps(), what);
            ck_assert_double_eq(g->releases.mean, g->fundable.mean); /* money for all */
            ck_assert_double_eq(g->unpaid.mean, 0);
            eval_free(r);
            scenario_free(s);
        }
    }
}
END_TEST

/* Removal during a stay: everyone stayed 20 days (decided at 2, released
 * a day after e = 22), removal at Exponential(0.01): fundable iff m > 23,
 * p = exp(-0.23) (DESIGN §7: m > e + r, the stay included). */
START_TEST(test_stay_then_removal)
{
    const double N = 200, x = 1000000, p = exp(-0.01 * 23);
    for (int ledger = 0; ledger < 2; ledger++) {
        scenario *s = stay_scenario("stay_prob = 1\nstay_days = fixed(20)\nremoval_hazard_per_day = 0.01\n", ledger);
        eval_result *r = eval_one(s, &x);
        const eval_region *g = &r->allocs[0].regions[0];
        expect_fraction(g->fundable.mean / N, p, N * (double)reps(), ledger ? "ledger: stay, then removal" :
                                                                               "stay, then removal");
        ck_assert_double_eq(g->releases.mean, g->fundable.mean);
        ck_assert(near_rel(r->allocs[0].freedom_days.mean, g->releases.mean * (90 - 23), 1e-12));
        eval_free(r);
        scenario_free(s);
    }
}
END_TEST

/* A stay of 5 days: ready at 2 or 7, released a day later, so each paid
 * person is 3 or 8 days in detention (a = 0), exactly; the stayed share is
 * Binomial(N R, 1/2)/(N R). */
START_TEST(test_stay_shifts_detention)
{
    const double N = 200, x = 1000000;
    for (int ledger = 0; ledger < 2; ledger++) {
        scenario *s = stay_scenario("stay_prob = 0.5\nstay_days = fixed(5)\n", ledger);
        engine_ws *ws = ws_new();
        double *days = malloc(256 * sizeof *days), stayed = 0;
        for (uint64_t rep = 0; rep < reps(); rep++) {
            draw(ws, s, 0, s->policy, RNG_STREAM_EVALUATE, rep);
            size_t n = 0;
            const double *ready = NULL;
            double lready[256];
            if (ledger) { /* paid in ready order at e: days[i] is lcases[i]'s */
                const engine_lcase *lc = engine_lcases(ws, &n);
                for (size_t i = 0; i < n; i++)
                    lready[i] = lc[i].ready;
                ready = lready;
            } else {
                const engine_case *cs = engine_cases(ws, &n);
                for (size_t i = 0; i < n; i++)
                    lready[i] = cs[i].ready;
                ready = lready;
            }
            ck_assert_uint_eq(n, (size_t)N);
            engine_trace tr = {.days = days};
            engine_stats st;
            engine_settle(&st, ws, s, 0, s->policy, x, &tr);
            ck_assert_double_eq(st.releases, N);
            ck_assert_double_eq(st.waited_days, 0);
            double k = 0;
            for (size_t i = 0; i < n; i++) {
                ck_assert_msg(ready[i] == 2 || ready[i] == 7, "ready at %g", ready[i]);
                ck_assert_msg(days[i] == ready[i] + 1, "case ready at %g: %g days in detention", ready[i], days[i]);
                k += ready[i] == 7;
            }
            ck_assert_double_eq(st.detention_days, 3 * N + 5 * k);
            ck_assert_double_eq(st.freedom_days, (90 - 3) * (N - k) + (90 - 8) * k);
            stayed += k;
        }
        expect_fraction(stayed / (N * (double)reps()), 0.5, N * (double)reps(), "stayed share");
        free(days);
        engine_ws_free(ws);
        scenario_free(s);
    }
}
END_TEST

/* ---- copays ---- */

/* Bonds of 1500, copays k ~ U(0, 3000): fundable iff k < 1500, p = 1/2
 * (SE as above).  Given that, k ~ U(0, 1500), so the fund's cost 1500 - k
 * has mean 750 and sd 1500 / sqrt(12) = 433.0; with money for every case the
 * mean cost over the n paid cases has SE 433.0 / sqrt(n). */
START_TEST(test_copays)
{
    const double N = 200, x = 1000000;
    for (int ledger = 0; ledger < 2; ledger++) {
        scenario *s = stay_scenario("copay_usd = uniform(min=0, max=3000)\n", ledger);
        eval_result *r = eval_one(s, &x);
        const eval_region *g = &r->allocs[0].regions[0];
        expect_fraction(g->fundable.mean / N, 0.5, N * (double)reps(), "copay: fundable fraction");
        ck_assert_double_eq(g->releases.mean, g->fundable.mean);
        double paid = g->releases.mean * (double)reps(), cost = g->spent.mean / g->releases.mean;
        double se = 1500 / sqrt(12.0) / sqrt(paid);
        ck_assert_msg(fabs(cost - 750) <= 4 * se, "copay: mean cost %.2f, want 750 +- %.2f", cost, 4 * se);
        ck_assert(g->spent.mean < 1500 * g->releases.mean);
        eval_free(r);
        scenario_free(s);
    }
    /* max_bond_paid_usd caps the bond, not the fund's share: a 3000 bond
     * with a 2000 copay is over a 2000 cap; at a 3000 cap it costs 1000 */
    for (int cap = 2000; cap <= 3000; cap += 1000) {
        char keys[256];
        snprintf(keys, sizeof keys, "bond_usd = fixed(3000)\ncopay_usd = fixed(2000)\nmax_bond_paid_usd = %d\n", cap);
        scenario *s = stay_scenario(keys, 0);
        eval_result *r = eval_one(s, &x);
        ck_assert_double_eq(r->allocs[0].regions[0].fundable.mean, cap == 2000 ? 0 : N);
        ck_assert_double_eq(r->allocs[0].spent.mean, cap == 2000 ? 0 : 1000 * N);
        eval_free(r);
        scenario_free(s);
    }
}
END_TEST

/* ---- refunds ---- */

/* Every paid bond (1500, no copay) is refunded with p = 0.3: paid at
 * d = 1, released at 2, the case ends at 3 and the money is back at 4, long
 * before H = 200, so
 * refunded / paid = (refunded count) / N: SE sqrt(0.3 x 0.7 / (N R)).  A
 * case duration past H returns nothing. */
START_TEST(test_refunds)
{
    const double N = 200, x = 1000000;
    scenario *s = load_text("[fund]\nbudget_usd = 1000000\nhorizon_days = 200\npolicy = first_come\n"
                            "[region.r]\ninitial_detained = 200\nhearing_delay_days = fixed(1)\n"
                            "release_delay_days = fixed(1)\nrefund_prob = 0.3\ncase_duration_days = fixed(1)\n"
                            "refund_lag_days = fixed(1)\n");
    eval_result *r = eval_one(s, &x);
    const eval_region *g = &r->allocs[0].regions[0];
    ck_assert_double_eq(g->releases.mean, N);
    ck_assert_double_eq(g->spent.mean, 1500 * N);
    expect_fraction(g->refunded.mean / g->spent.mean, 0.3, N * (double)reps(), "refunded / paid");
    ck_assert(near_rel(g->balance_end.mean, x - g->spent.mean + g->refunded.mean, 1e-12));
    eval_free(r);
    scenario_free(s);
    s = load_text("[fund]\nbudget_usd = 1000000\nhorizon_days = 200\npolicy = first_come\n"
                  "[region.r]\ninitial_detained = 200\nhearing_delay_days = fixed(1)\n"
                  "release_delay_days = fixed(1)\nrefund_prob = 0.3\ncase_duration_days = fixed(190)\n"
                  "refund_lag_days = fixed(8)\n"); /* back at 200 = H: too late */
    r = eval_one(s, &x);
    ck_assert_double_eq(r->allocs[0].regions[0].refunded.mean, 0);
    ck_assert_double_eq(r->allocs[0].regions[0].balance_end.mean, x - 1500 * N);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* ---- regimes by decision time ---- */

/* N people at a = 0 decided at d ~ U(0, 60): a regime from day 30 applies
 * to each with p = 1/2 by its decision time (by arrival time it would
 * apply to nobody).  `keys` are the region's and the regime's. */
static scenario *regime_scenario(const char *region_keys, const char *regime_keys)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "[fund]\nbudget_usd = 1000000\npolicy = first_come\n[simulation]\nseed = 99\n"
             "[region.r]\ninitial_detained = 200\nhearing_delay_days = uniform(min=0, max=60)\n%s"
             "[regime.ruling]\nstart_day = 30\n%s",
             region_keys, regime_keys);
    return load_text(buf);
}

/* Counts of the fundable cases decided before and from day 30 over reps(),
 * checking each case's cost with check(cost, ready). */
static void regime_counts(const scenario *s, void (*check)(double cost, double ready), double *before, double *after)
{
    engine_ws *ws = ws_new();
    *before = *after = 0;
    for (uint64_t rep = 0; rep < reps(); rep++) {
        draw(ws, s, 0, s->policy, RNG_STREAM_EVALUATE, rep);
        size_t n = 0;
        const engine_case *cs = engine_cases(ws, &n);
        for (size_t i = 0; i < n; i++) {
            check(cs[i].cost, cs[i].ready);
            *(cs[i].ready < 30 ? before : after) += 1;
        }
    }
    engine_ws_free(ws);
}

static void bond_by_day(double cost, double ready)
{
    ck_assert_msg(cost == (ready < 30 ? 1000 : 3000), "decided at %g: cost %g", ready, cost);
}

static void cap_by_day(double cost, double ready)
{
    ck_assert_msg(cost >= 1000 && cost <= 3000 && (ready < 30 || cost <= 2000), "decided at %g: cost %g", ready, cost);
}

static void any_cost(double cost, double ready)
{
    (void)ready;
    ck_assert_double_eq(cost, 1500);
}

START_TEST(test_regime_bond_usd)
{
    /* each case costs 1000 (p = 1/2) or 3000: the mean cost is
     * 1000 p + 3000 (1 - p) with p the share decided before day 30, and
     * that share is Binomial(N R, 1/2) / (N R) */
    const double NR = 200 * (double)reps(), x = 1000000;
    scenario *s = regime_scenario("bond_usd = fixed(1000)\n", "bond_usd = fixed(3000)\n");
    double before, after;
    regime_counts(s, bond_by_day, &before, &after);
    ck_assert_double_eq(before + after, NR);
    expect_fraction(before / NR, 0.5, NR, "bond regime: decided before day 30");
    eval_result *r = eval_one(s, &x);
    const eval_region *g = &r->allocs[0].regions[0];
    ck_assert_double_eq(g->releases.mean, 200);
    double p = before / NR;
    ck_assert_msg(near_rel(g->spent.mean / g->releases.mean, 1000 * p + 3000 * (1 - p), 1e-12),
                  "mean cost %.6f, want %.6f", g->spent.mean / g->releases.mean, 1000 * p + 3000 * (1 - p));
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* Overlapping regimes, the later section winning each key it sets:
 * bonds 1000; 3000 on [20, 60); 5000 on [40, 50); nothing over 4000 paid
 * on [45, 50): each case's cost follows from its decision day exactly. */
static void overlap_cost(double cost, double d)
{
    double want = d < 20 ? 1000 : d < 40 ? 3000 : d < 45 ? 5000 : d < 50 ? -1 : 3000;
    ck_assert_msg(want > 0, "decided at %g, under the cap of 4000: cost %g", d, cost);
    ck_assert_msg(cost == want, "decided at %g: cost %g, want %g", d, cost, want);
}

START_TEST(test_regime_overlap)
{
    const double NR = 200 * (double)reps();
    scenario *s = load_text("[fund]\npolicy = first_come\n[simulation]\nseed = 99\n"
                            "[region.r]\ninitial_detained = 200\nhearing_delay_days = uniform(min=0, max=60)\n"
                            "bond_usd = fixed(1000)\n"
                            "[regime.first]\nstart_day = 20\nend_day = 60\nbond_usd = fixed(3000)\n"
                            "[regime.second]\nstart_day = 40\nend_day = 50\nbond_usd = fixed(5000)\n"
                            "[regime.third]\nstart_day = 45\nend_day = 50\nmax_bond_paid_usd = 4000\n");
    double before, after;
    regime_counts(s, overlap_cost, &before, &after);
    /* d ~ U(0, 60): [45, 50) is 1/12 of it */
    expect_fraction((before + after) / NR, 11.0 / 12, NR, "overlapping regimes: fundable");
    scenario_free(s);
}
END_TEST

START_TEST(test_regime_cap_and_family)
{
    /* bonds U(1000, 3000), at most 2000 paid from day 30: fundable with
     * p = 1/2 + 1/2 x 1/2 = 3/4 */
    const double NR = 200 * (double)reps();
    scenario *s = regime_scenario("bond_usd = uniform(min=1000, max=3000)\n", "max_bond_paid_usd = 2000\n");
    double before, after;
    regime_counts(s, cap_by_day, &before, &after);
    expect_fraction((before + after) / NR, 0.75, NR, "cap regime: fundable");
    expect_fraction(after / NR, 0.25, NR, "cap regime: fundable and decided from day 30");
    scenario_free(s);
    /* families pay half the bonds decided from day 30: fundable 3/4, of
     * which decided from day 30 with p = 1/4 of all people */
    s = regime_scenario("family_pays_prob = 0\n", "family_pays_prob = 0.5\n");
    regime_counts(s, any_cost, &before, &after);
    expect_fraction(before / NR, 0.5, NR, "family regime: decided before day 30");
    expect_fraction(after / NR, 0.25, NR, "family regime: fundable and decided from day 30");
    scenario_free(s);
    /* and the reverse: families pay everything before day 30 only */
    s = regime_scenario("family_pays_prob = 1\n", "family_pays_prob = 0\n");
    regime_counts(s, any_cost, &before, &after);
    ck_assert_double_eq(before, 0);
    expect_fraction(after / NR, 0.5, NR, "family regime ending: decided from day 30");
    scenario_free(s);
}
END_TEST

/* A regime of region a only: region b draws from its own stream, so its
 * results are bit-identical with or without the regime (under §1's pass
 * and under the ledger); region a's change. */
START_TEST(test_regime_other_region)
{
    static const char base[] =
        "[fund]\nbudget_usd = 300000\npolicy = first_come\n[simulation]\nseed = 5\n"
        "[region.a]\ninitial_detained = 80\narrivals_per_day = 1.5\nbond_grant_prob = 0.6\n"
        "bond_usd = lognormal(median=2500, sigma=0.6, min=1500)\nhearing_delay_days = uniform(min=0, max=30)\n"
        "release_delay_days = fixed(1)\nremoval_hazard_per_day = 0.004\nstay_days = fixed(10)\n"
        "[region.b]\ninitial_detained = 40\narrivals_per_day = 1\nbond_grant_prob = 0.5\n"
        "bond_usd = fixed(2000)\nhearing_delay_days = uniform(min=3, max=20)\n%s";
    static const char regime[] = "[regime.ruling]\nstart_day = 20\nregions = a\nbond_grant_prob = 0.1\n"
                                 "stay_prob = 0.3\n";
    const double allocs[] = {60000, 40000, 150000, 150000};
    for (int ledger = 0; ledger < 2; ledger++) {
        char with[2048], without[2048], b_keys[64];
        snprintf(b_keys, sizeof b_keys, "%s", ledger ? "refund_prob = 0.5\ncase_duration_days = fixed(20)\n" : "");
        snprintf(without, sizeof without, base, b_keys);
        snprintf(with, sizeof with, "%s%s", without, regime);
        scenario *s0 = load_text(without), *s1 = load_text(with);
        ck_assert_uint_eq(s1->regions[0].nphases, 2);
        ck_assert_uint_eq(s1->regions[1].nphases, 1);
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(), .threads = 2};
        eval_result *r0 = run_eval(s0, allocs, 2, &opt), *r1 = run_eval(s1, allocs, 2, &opt);
        for (size_t k = 0; k < 2; k++)
            same_region(r0, r1, k, 1, ledger ? "region b (ledger)" : "region b");
        ck_assert_msg(r1->allocs[0].regions[0].fundable.mean < 0.8 * r0->allocs[0].regions[0].fundable.mean,
                      "region a: fundable %g with the regime, %g without", r1->allocs[0].regions[0].fundable.mean,
                      r0->allocs[0].regions[0].fundable.mean);
        eval_free(r0);
        eval_free(r1);
        scenario_free(s0);
        scenario_free(s1);
    }
}
END_TEST

/* ---- every §7 key at its default, written out ---- */

/* Appends "--set" text for every §7 key of s at its default (those not at
 * it are left alone: a scenario that sets them keeps them). */
static size_t default_sets(const scenario *s, char sets[][128], size_t cap)
{
    size_t n = 0;
#define ADD(...)                                                                                                       \
    do {                                                                                                               \
        ck_assert_uint_lt(n, cap);                                                                                     \
        snprintf(sets[n++], 128, __VA_ARGS__);                                                                         \
    } while (0)
    if (s->donations_usd_per_month == 0)
        ADD("fund.donations_usd_per_month=0");
    if (s->queue == QUEUE_SKIP)
        ADD("fund.queue=skip");
    if (isinf(s->max_wait_days))
        ADD("fund.max_wait_days=unlimited");
    if (s->posting_days == POSTING_ALL)
        ADD("fund.posting_days=all");
    if (s->start_weekday == 0)
        ADD("fund.start_weekday=0");
    for (size_t c = 0; c < s->nregions; c++) {
        const scenario_region *g = &s->regions[c];
        const char *R = g->name;
        char buf[128];
        if (g->stay_prob == 0)
            ADD("region.%s.stay_prob=0", R);
        dist_format(g->stay_days, buf, sizeof buf);
        if (!strcmp(buf, "fixed(0)"))
            ADD("region.%s.stay_days=fixed(0)", R);
        if (g->stay_revoke_prob == 0)
            ADD("region.%s.stay_revoke_prob=0", R);
        dist_format(g->copay_usd, buf, sizeof buf);
        if (!strcmp(buf, "fixed(0)"))
            ADD("region.%s.copay_usd=fixed(0)", R);
        if (g->refund_prob == 0)
            ADD("region.%s.refund_prob=0", R);
        dist_format(g->case_duration_days, buf, sizeof buf);
        if (!strcmp(buf, "fixed(0)"))
            ADD("region.%s.case_duration_days=fixed(0)", R);
        dist_format(g->refund_lag_days, buf, sizeof buf);
        if (!strcmp(buf, "fixed(0)"))
            ADD("region.%s.refund_lag_days=fixed(0)", R);
        if (isinf(g->max_payments_per_day))
            ADD("region.%s.max_payments_per_day=unlimited", R);
    }
#undef ADD
    return n;
}

START_TEST(test_defaults_explicit)
{
    glob_t gl;
    ck_assert_int_eq(glob(FZ_TEST_DIR "/../scenarios/*.ini", 0, NULL, &gl), 0);
    ck_assert_uint_ge(gl.gl_pathc, 3);
    for (size_t f = 0; f < gl.gl_pathc; f++) {
        const char *path = gl.gl_pathv[f];
        scenario *s0 = NULL, *s1 = NULL;
        fz_error err = {0, ""};
        ck_assert_msg(scenario_load(&s0, path, NULL, 0, &err) == 0, "%s: %s", path, err.msg);
        char sets[16 + 8 * SCENARIO_MAX_REGIONS][128];
        const char *ptr[16 + 8 * SCENARIO_MAX_REGIONS];
        size_t n = default_sets(s0, sets, sizeof sets / sizeof *sets);
        ck_assert_uint_gt(n, 0);
        for (size_t i = 0; i < n; i++)
            ptr[i] = sets[i];
        ck_assert_msg(scenario_load(&s1, path, ptr, n, &err) == 0, "%s with defaults: %s", path, err.msg);
        /* and the same through scenario_copy_set, one override at a time;
         * a copy shares distributions with its source, so every link is
         * kept until the end and freed newest first */
        scenario *chain[16 + 8 * SCENARIO_MAX_REGIONS];
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(scenario_copy_set(&chain[i], i ? chain[i - 1] : s0, sets[i], NULL, &err) == 0, "%s: %s: %s",
                          path, sets[i], err.msg);
        scenario *s2 = chain[n - 1];
        const size_t C = s0->nregions;
        double allocs[2 * SCENARIO_MAX_REGIONS];
        for (size_t c = 0; c < C; c++) { /* an even split, and all to the first region */
            allocs[c] = floor(s0->budget_usd / (double)C / s0->granularity_usd) * s0->granularity_usd;
            allocs[C + c] = c == 0 ? s0->budget_usd : 0;
        }
        int ledger = 0;
        for (size_t c = 0; c < C; c++) {
            ck_assert_int_eq(scenario_uses_ledger(s1, c), scenario_uses_ledger(s0, c));
            ledger |= scenario_uses_ledger(s0, c);
        }
        /* both policies, unless the ledger rules cheapest_first out */
        const scenario_policy pol[] = {POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME};
        eval_options opt = {.stream = RNG_STREAM_EVALUATE,
                            .nreps = under_valgrind() ? 20 : 300,
                            .threads = 2,
                            .policies = ledger ? NULL : pol};
        const scenario *variants[] = {s1, s2};
        eval_result *r0 = run_eval(s0, allocs, 2, &opt);
        for (int v = 0; v < 2; v++) {
            eval_result *r1 = run_eval(variants[v], allocs, 2, &opt);
            char ctx[512];
            snprintf(ctx, sizeof ctx, "%s, defaults by %s", path, v ? "scenario_copy_set" : "--set");
            same_results(r0, r1, ctx);
            eval_free(r1);
        }
        eval_free(r0);
        for (size_t i = n; i-- > 0;)
            scenario_free(chain[i]);
        scenario_free(s1);
        scenario_free(s0);
    }
    globfree(&gl);
}
END_TEST

/* ---- cheapest_first: equal costs by ready time ---- */

/* Two people at a = 0 with equal bonds (1500), ready at 1 and at 5 in
 * either draw order, money for one: the one ready at 1 is paid (DESIGN
 * §7), so 1 day in detention and H - 1 of freedom, whichever was drawn
 * first.  Ready times come from hearing delays (mixture atoms) or, with
 * equal decisions at day 1, from a 4-day stay: e, not d, decides.  Person
 * 1's draws do not depend on whether person 2 exists (no arrivals: no
 * Poisson draw), so a one-person scenario tells who came first. */
START_TEST(test_cheapest_ties_by_ready)
{
    static const char *people[] = {
        "hearing_delay_days = mixture(0.5: fixed(5); 0.5: fixed(1))\n",
        "hearing_delay_days = fixed(1)\nstay_prob = 0.5\nstay_days = fixed(4)\n",
    };
    for (size_t v = 0; v < 2; v++) {
        char one[512], two[512];
        const char *fmt = "[fund]\nbudget_usd = 1500\npolicy = cheapest_first\n[simulation]\nseed = 3\n"
                          "[region.r]\ninitial_detained = %d\nbond_grant_prob = 1\nfamily_pays_prob = 0\n%s";
        snprintf(one, sizeof one, fmt, 1, people[v]);
        snprintf(two, sizeof two, fmt, 2, people[v]);
        scenario *s1 = load_text(one), *s2 = load_text(two);
        engine_ws *ws = ws_new();
        int late_first = 0, early_first = 0;
        for (uint64_t rep = 0; rep < 200; rep++) {
            size_t n = 0;
            draw(ws, s1, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, rep);
            const engine_case *c1 = engine_cases(ws, &n);
            ck_assert_uint_eq(n, 1);
            double first = c1[0].ready;
            draw(ws, s2, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, rep);
            const engine_case *cs = engine_cases(ws, &n);
            ck_assert_uint_eq(n, 2);
            ck_assert(cs[0].ready == first || cs[1].ready == first);
            double other = cs[0].ready == first ? cs[1].ready : cs[0].ready;
            if (first == other)
                continue;
            late_first += first == 5;
            early_first += first == 1;
            double days[2];
            engine_stats st;
            engine_trace tr = {.days = days};
            engine_settle(&st, ws, s2, 0, POLICY_CHEAPEST_FIRST, 1500, &tr);
            ck_assert_double_eq(st.releases, 1);
            ck_assert_msg(days[0] == 1 && st.freedom_days == 89,
                          "variant %zu rep %llu (first drawn ready at %g): paid the case with %g days in detention, "
                          "%g days of freedom",
                          v, (unsigned long long)rep, first, days[0], st.freedom_days);
        }
        ck_assert_int_gt(late_first, 0); /* the order the old rule got wrong did occur */
        ck_assert_int_gt(early_first, 0);
        engine_ws_free(ws);
        scenario_free(s1);
        scenario_free(s2);
    }
}
END_TEST

Suite *make_time_stats_suite(void)
{
    Suite *s = suite_create("time_stats");
    TCase *tc = tcase_create("time_stats");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_stays_unfundable);
    tcase_add_test(tc, test_stay_then_removal);
    tcase_add_test(tc, test_stay_shifts_detention);
    tcase_add_test(tc, test_copays);
    tcase_add_test(tc, test_refunds);
    tcase_add_test(tc, test_regime_bond_usd);
    tcase_add_test(tc, test_regime_overlap);
    tcase_add_test(tc, test_regime_cap_and_family);
    tcase_add_test(tc, test_regime_other_region);
    tcase_add_test(tc, test_defaults_explicit);
    tcase_add_test(tc, test_cheapest_ties_by_ready);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(time_stats)
