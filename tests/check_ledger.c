/* check_ledger: DESIGN §7's ledger (engine_settle), against hand-solved
 * answers and against an independent second implementation
 * (tests/ledger_ref.c, a plain event loop written from DESIGN's text).
 *
 * - hand-solvable ledgers with exact answers: a refund that returns before
 *   the next case is ready pays it; capacity 1/day; weekday posting from a
 *   Friday; wait vs skip with a donation; max_wait_days; stays past H;
 *   copays; a regime that halves the fundable cases (4 SE, binomial);
 *   piecewise-constant arrivals (4 SE, Poisson);
 * - randomised small scenarios: engine_settle equals the reference
 *   replication by replication (counts exactly, money and days to 1e-6
 *   relative), engine_settle_grid equals engine_settle at every grid point,
 *   and the invariants hold on every replication.
 *
 * Payment days: engine_trace gives each paid person's days in detention
 * (t + r - a, in no stated order) and cumulative releases and balance on a
 * grid, not payment times.  With a = 0 and r = 0 the sorted detention days
 * are the payment times, which the hand cases use; elsewhere the weekday and
 * capacity invariants are checked on the reference's payment times, and the
 * engine is tied to them through its sorted detention days and its
 * releases and balance on a one-day grid, which must equal the reference's. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "engine.h"
#include "engine_util.h"
#include "ledger_ref.h"
#include "rng.h"
#include "scenario.h"

/* ---- helpers ---- */

/* the scenario loader of the engine suites */
static scenario *load(const char *text) { return load_text(text); }

static void draw_rep(engine_ws *ws, const scenario *s, size_t c, uint64_t rep)
{
    fz_error err = {0, ""};
    int rc = engine_draw(ws, s, c, s->policy, RNG_STREAM_EVALUATE, rep, &err);
    ck_assert_msg(rc == 0, "engine_draw: %s", err.msg);
}

/* The fundable cases of the last draw as ledger cases (malloc'd, *n of
 * them): engine_lcases when the region uses the ledger, else §1's cases
 * (paid at e, never removed before e + r, no refund). */
static engine_lcase *cases_of(const engine_ws *ws, const scenario *s, size_t c, size_t *n)
{
    engine_lcase *out;
    if (scenario_uses_ledger(s, c)) {
        const engine_lcase *lc = engine_lcases(ws, n);
        out = malloc((*n ? *n : 1) * sizeof *out);
        ck_assert_ptr_nonnull(out);
        if (*n)
            memcpy(out, lc, *n * sizeof *out);
    } else {
        const engine_case *cs = engine_cases(ws, n);
        out = malloc((*n ? *n : 1) * sizeof *out);
        ck_assert_ptr_nonnull(out);
        for (size_t i = 0; i < *n; i++)
            out[i] = (engine_lcase){.cost = cs[i].cost,
                                    .arrive = cs[i].arrive,
                                    .ready = cs[i].ready,
                                    .delay = cs[i].release - cs[i].ready,
                                    .removal = INFINITY,
                                    .back = 0,
                                    .refund_after = INFINITY,
                                    .id = (uint32_t)i};
    }
    ck_assert_uint_eq(*n, engine_fundable(ws));
    return out;
}

static int close_to(double a, double b, double rel)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= rel * (scale > 1 ? scale : 1);
}

/* Engine and reference agree: counts exactly, money and days to 1e-6
 * relative (sums may be taken in another order). */
static void expect_same(const engine_stats *e, const engine_stats *r, const char *what)
{
    ck_assert_msg(e->releases == r->releases && e->fundable == r->fundable && e->unpaid == r->unpaid,
                  "%s: engine releases/fundable/unpaid %g/%g/%g, reference %g/%g/%g", what, e->releases, e->fundable,
                  e->unpaid, r->releases, r->fundable, r->unpaid);
    const double m[][2] = {{e->spent, r->spent},
                           {e->refunded, r->refunded},
                           {e->balance_end, r->balance_end},
                           {e->detention_days, r->detention_days},
                           {e->freedom_days, r->freedom_days},
                           {e->waited_days, r->waited_days}};
    const char *names[] = {"spent", "refunded", "balance_end", "detention_days", "freedom_days", "waited_days"};
    for (size_t k = 0; k < 6; k++)
        ck_assert_msg(close_to(m[k][0], m[k][1], 1e-6), "%s: %s engine %.17g, reference %.17g", what, names[k], m[k][0],
                      m[k][1]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One settlement of region c at x, by the engine (with its detention days,
 * sorted, in days[]: room for the fundable count) and by the reference
 * (payment times in paid_at[], per case of *cases); both must agree. */
typedef struct both {
    engine_stats eng, ref;
    engine_lcase *cases;
    size_t n;
    double *days, *paid_at;
} both;

static void settle_both_in(both *b, engine_ws *ws, const scenario *s, size_t c, double x, const char *ctx)
{
    b->cases = cases_of(ws, s, c, &b->n);
    b->days = calloc(b->n + 1, sizeof *b->days);
    b->paid_at = calloc(b->n + 1, sizeof *b->paid_at);
    ck_assert(b->days && b->paid_at);
    engine_trace tr = {.days = b->days};
    engine_settle(&b->eng, ws, s, c, s->policy, x, &tr);
    qsort(b->days, (size_t)b->eng.releases, sizeof *b->days, cmp_double);
    ledger_ref_in in;
    ledger_ref_params(&in, s, c, x);
    ck_assert_int_eq(ledger_ref_run(&in, b->cases, b->n, &b->ref, b->paid_at, NULL, 0, NULL, NULL), 0);
    char what[160];
    snprintf(what, sizeof what, "%sregion %zu x %g", ctx, c, x);
    expect_same(&b->eng, &b->ref, what);
}

static void settle_both(both *b, engine_ws *ws, const scenario *s, size_t c, double x)
{
    settle_both_in(b, ws, s, c, x, "");
}

static void both_free(both *b)
{
    free(b->cases);
    free(b->days);
    free(b->paid_at);
}

/* The reference's payment times, sorted (NAN: unpaid, dropped). */
static size_t paid_times(const both *b, double *out)
{
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!isnan(b->paid_at[i]))
            out[k++] = b->paid_at[i];
    qsort(out, k, sizeof *out, cmp_double);
    return k;
}

/* Exact outcome of a settlement whose people all arrive at 0 and are
 * released at payment (a = r = 0): payment times (engine: sorted
 * detention days; reference: its payment times), spent, refunded, balance. */
static void expect_exact(const both *b, size_t npaid, const double *times, double spent, double refunded,
                         double balance)
{
    ck_assert_msg(b->eng.releases == (double)npaid, "releases %g, want %zu", b->eng.releases, npaid);
    ck_assert_double_eq(b->eng.spent, spent);
    ck_assert_double_eq(b->eng.refunded, refunded);
    ck_assert_double_eq(b->eng.balance_end, balance);
    ck_assert_double_eq(b->eng.unpaid, b->eng.fundable - (double)npaid);
    double *rt = calloc(b->n + 1, sizeof *rt);
    ck_assert_ptr_nonnull(rt);
    ck_assert_uint_eq(paid_times(b, rt), npaid);
    for (size_t i = 0; i < npaid; i++) {
        ck_assert_msg(b->days[i] == times[i], "engine payment %zu at %g, want %g", i, b->days[i], times[i]);
        ck_assert_msg(rt[i] == times[i], "reference payment %zu at %g, want %g", i, rt[i], times[i]);
    }
    free(rt);
}

/* ---- (a) a refund back before the next case is ready pays it ---- */

START_TEST(test_refund_pays_next)
{
    static const char *text = "[fund]\nbudget_usd = 1500\nhorizon_days = 90\npolicy = first_come\n"
                              "[region.r]\ninitial_detained = 2\nhearing_delay_days = uniform(min=0, max=20)\n"
                              "refund_prob = %g\ncase_duration_days = fixed(2)\n";
    char buf[512];
    for (int refunds = 0; refunds < 2; refunds++) {
        snprintf(buf, sizeof buf, text, (double)refunds);
        scenario *s = load(buf);
        engine_ws *ws = engine_ws_new();
        int seen[2] = {0, 0};
        for (uint64_t rep = 0; rep < 60; rep++) {
            draw_rep(ws, s, 0, rep);
            both b;
            settle_both(&b, ws, s, 0, 1500);
            ck_assert_uint_eq(b.n, 2);
            double e1 = fmin(b.cases[0].ready, b.cases[1].ready), e2 = fmax(b.cases[0].ready, b.cases[1].ready);
            /* case 1 paid at e1, its 1500 back at e1 + 2 (< 22 < H): case 2,
             * ready at e2, is paid iff the refund came first (or at e2:
             * refunds count first at equal times) */
            int second = refunds && e2 >= e1 + 2;
            seen[second]++;
            double times[2] = {e1, e2};
            expect_exact(&b, second ? 2 : 1, times, second ? 3000 : 1500, refunds ? (second ? 3000 : 1500) : 0,
                         refunds ? 1500 : 0);
            both_free(&b);
        }
        ck_assert(seen[1] > 0 || !refunds);
        ck_assert(seen[0] > 0);
        engine_ws_free(ws);
        scenario_free(s);
    }
}
END_TEST

/* ---- (b) capacity 1 a day, 3 cases ready on day 0 ---- */

START_TEST(test_capacity_one)
{
    scenario *s = load("[fund]\nbudget_usd = 10000\npolicy = first_come\n"
                       "[region.r]\ninitial_detained = 3\nmax_payments_per_day = 1\n");
    engine_ws *ws = engine_ws_new();
    draw_rep(ws, s, 0, 0);
    both b;
    settle_both(&b, ws, s, 0, 10000);
    const double t3[] = {0, 1, 2};
    expect_exact(&b, 3, t3, 4500, 0, 5500);
    ck_assert_double_eq(b.eng.waited_days, 3);
    ck_assert_double_eq(b.eng.freedom_days, 90 + 89 + 88);
    ck_assert_double_eq(b.eng.detention_days, 3);
    /* the trace on a one-day grid: releases 1, 2, 3 on days 0, 1, 2 */
    double grid[91], rel[91], bal[91];
    for (int j = 0; j <= 90; j++)
        grid[j] = j;
    engine_trace tr = {.grid = grid, .ngrid = 91, .rel = rel, .bal = bal};
    engine_stats st;
    engine_settle(&st, ws, s, 0, s->policy, 10000, &tr);
    ck_assert_double_eq(rel[0], 1);
    ck_assert_double_eq(rel[1], 2);
    ck_assert_double_eq(rel[2], 3);
    ck_assert_double_eq(rel[90], 3);
    ck_assert_double_eq(bal[0], 8500);
    ck_assert_double_eq(bal[2], 5500);
    both_free(&b);
    /* 3000: two paid on days 0 and 1, the third tried on day 2 and short */
    settle_both(&b, ws, s, 0, 3000);
    expect_exact(&b, 2, t3, 3000, 0, 0);
    both_free(&b);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* ---- (c) weekdays from a Friday ---- */

START_TEST(test_weekdays_friday)
{
    /* day 0 Friday, 1 Saturday, 2 Sunday, 3 Monday, ..., 7 Friday, 8 Saturday */
    const double ready[] = {0.5, 1, 1.5, 2.99, 3, 6.5, 7.25, 8, 9.75};
    const double paid[] = {0.5, 3, 3, 3, 3, 6.5, 7.25, 10, 10};
    for (size_t k = 0; k < sizeof ready / sizeof *ready; k++) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 "[fund]\nbudget_usd = 10000\npolicy = first_come\nposting_days = weekdays\nstart_weekday = 4\n"
                 "[region.r]\ninitial_detained = 1\nhearing_delay_days = fixed(%g)\n",
                 ready[k]);
        scenario *s = load(buf);
        engine_ws *ws = engine_ws_new();
        draw_rep(ws, s, 0, 0);
        both b;
        settle_both(&b, ws, s, 0, 10000);
        expect_exact(&b, 1, &paid[k], 1500, 0, 8500);
        ck_assert_double_eq(b.eng.waited_days, paid[k] - ready[k]);
        both_free(&b);
        engine_ws_free(ws);
        scenario_free(s);
    }
}
END_TEST

/* ---- (d), (e) wait pays on a donation, skip does not; max_wait_days ---- */

static void donation_case(const char *queue, const char *max_wait, double x, size_t npaid, double when, double balance)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "[fund]\nbudget_usd = 1000\npolicy = first_come\ndonations_usd_per_month = 1000\nqueue = %s\n%s"
             "[region.r]\ninitial_detained = 1\n",
             queue, max_wait);
    scenario *s = load(buf);
    engine_ws *ws = engine_ws_new();
    draw_rep(ws, s, 0, 0);
    both b;
    settle_both(&b, ws, s, 0, x);
    expect_exact(&b, npaid, &when, npaid ? 1500 : 0, 0, balance);
    ck_assert_double_eq(b.eng.waited_days, npaid ? when : 0);
    ck_assert_double_eq(b.eng.unpaid, 1 - (double)npaid);
    both_free(&b);
    engine_ws_free(ws);
    scenario_free(s);
}

START_TEST(test_wait_vs_skip)
{
    /* x = 1000, a 1500 bond at t = 0; 1000 more at t = 30 and 60 (not 90 = H) */
    donation_case("skip", "", 1000, 0, 0, 3000);
    donation_case("wait", "", 1000, 1, 30, 1500);
    /* x = 500: 500 a month, enough at t = 60 */
    donation_case("wait", "", 500, 1, 60, 0);
    donation_case("skip", "", 500, 0, 0, 1500);
}
END_TEST

START_TEST(test_max_wait)
{
    donation_case("wait", "max_wait_days = 29\n", 1000, 0, 0, 3000);
    donation_case("wait", "max_wait_days = 30\n", 1000, 1, 30, 1500); /* t - e = 30, not > 30 */
    donation_case("wait", "max_wait_days = 59.5\n", 500, 0, 0, 1500);
    donation_case("wait", "max_wait_days = 60\n", 500, 1, 60, 0);
}
END_TEST

/* ---- (f) stays; (g) copays ---- */

static both one_region(const char *region_keys, const char *fund_keys, double x, engine_ws *ws, scenario **sp)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "[fund]\nbudget_usd = 10000\npolicy = first_come\n%s[region.r]\n%s", fund_keys,
             region_keys);
    *sp = load(buf);
    draw_rep(ws, *sp, 0, 0);
    both b;
    settle_both(&b, ws, *sp, 0, x);
    return b;
}

START_TEST(test_stays)
{
    engine_ws *ws = engine_ws_new();
    scenario *s;
    const char *past[] = {"stay_days = fixed(100)\n", "stay_days = fixed(90)\n",
                          "stay_days = fixed(10)\nstay_revoke_prob = 1\n"};
    for (size_t k = 0; k < 3; k++) {
        char keys[256];
        snprintf(keys, sizeof keys, "initial_detained = 5\nstay_prob = 1\n%s", past[k]);
        both b = one_region(keys, "", 10000, ws, &s);
        ck_assert_double_eq(b.eng.fundable, 0);
        ck_assert_double_eq(b.eng.releases, 0);
        ck_assert_double_eq(b.eng.balance_end, 10000);
        both_free(&b);
        scenario_free(s);
    }
    /* ready at 89.5 < H: all five paid then; released at 90.5, after H */
    both b = one_region("initial_detained = 5\nstay_prob = 1\nstay_days = fixed(89.5)\n"
                        "release_delay_days = fixed(1)\n",
                        "", 10000, ws, &s);
    ck_assert_double_eq(b.eng.fundable, 5);
    ck_assert_double_eq(b.eng.releases, 5);
    ck_assert_double_eq(b.eng.freedom_days, 0);
    ck_assert_double_eq(b.eng.detention_days, 5 * 90.5);
    ck_assert_double_eq(b.eng.waited_days, 0);
    both_free(&b);
    scenario_free(s);
    /* one a day from 88.5: paid at 88.5 and 89 (day 89 starts); day 90 is H */
    b = one_region("initial_detained = 5\nstay_prob = 1\nstay_days = fixed(88.5)\nmax_payments_per_day = 1\n", "",
                   10000, ws, &s);
    const double t2[] = {88.5, 89};
    expect_exact(&b, 2, t2, 3000, 0, 7000);
    ck_assert_double_eq(b.eng.unpaid, 3);
    both_free(&b);
    scenario_free(s);
    engine_ws_free(ws);
}
END_TEST

START_TEST(test_copays)
{
    engine_ws *ws = engine_ws_new();
    scenario *s;
    const char *none[] = {"copay_usd = fixed(1500)\n", "copay_usd = fixed(2000)\n"};
    for (size_t k = 0; k < 2; k++) {
        char keys[256];
        snprintf(keys, sizeof keys, "initial_detained = 4\ncase_cost_usd = 100\n%s", none[k]);
        both b = one_region(keys, "", 10000, ws, &s);
        ck_assert_double_eq(b.eng.fundable, 0);
        both_free(&b);
        scenario_free(s);
    }
    /* copay 1499: each case costs 1 + 100; 300 pays two */
    both b = one_region("initial_detained = 4\ncase_cost_usd = 100\ncopay_usd = fixed(1499)\n", "", 300, ws, &s);
    const double t0[] = {0, 0, 0, 0};
    expect_exact(&b, 2, t0, 202, 0, 98);
    both_free(&b);
    scenario_free(s);
    /* refunds return the fund's share b - k = 1, never the case cost */
    b = one_region("initial_detained = 4\ncase_cost_usd = 100\ncopay_usd = fixed(1499)\nrefund_prob = 1\n"
                   "case_duration_days = fixed(5)\n",
                   "", 10000, ws, &s);
    expect_exact(&b, 4, t0, 404, 4, 9600);
    both_free(&b);
    scenario_free(s);
    engine_ws_free(ws);
}
END_TEST

/* ---- equal times: refunds and donations count first ---- */

START_TEST(test_equal_times)
{
    engine_ws *ws = engine_ws_new();
    scenario *s;
    /* zero-delay refunds: 1500 pays all three cases ready at 0, one after the other */
    both b = one_region("initial_detained = 3\nrefund_prob = 1\n", "", 1500, ws, &s);
    const double t0[] = {0, 0, 0};
    expect_exact(&b, 3, t0, 4500, 4500, 1500);
    both_free(&b);
    scenario_free(s);
    /* a donation at 30 pays a case ready at 30, under skip */
    b = one_region("initial_detained = 1\nhearing_delay_days = fixed(30)\n", "donations_usd_per_month = 10000\n", 1000,
                   ws, &s);
    const double t30 = 30;
    expect_exact(&b, 1, &t30, 1500, 0, 1000 + 1000 + 1000 - 1500);
    both_free(&b);
    scenario_free(s);
    /* a refund due at 12 (paid at 2, released at 3, case of 9 days) pays a
     * case ready at 12; its own refund is back at 22 */
    s = load("[fund]\nbudget_usd = 10000\npolicy = first_come\n[region.r]\ninitial_detained = 2\n"
             "hearing_delay_days = mixture(0.5: fixed(2); 0.5: fixed(12))\nrelease_delay_days = fixed(1)\n"
             "refund_prob = 1\ncase_duration_days = fixed(9)\n");
    int seen = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        draw_rep(ws, s, 0, rep);
        settle_both(&b, ws, s, 0, 1500);
        ck_assert_uint_eq(b.n, 2);
        if (fmin(b.cases[0].ready, b.cases[1].ready) == 2 && fmax(b.cases[0].ready, b.cases[1].ready) == 12) {
            seen++;
            ck_assert_double_eq(b.eng.releases, 2);
            ck_assert_double_eq(b.eng.refunded, 3000);
            ck_assert_double_eq(b.eng.balance_end, 1500);
            ck_assert_double_eq(b.eng.detention_days, 3 + 13);
        }
        both_free(&b);
    }
    ck_assert_int_gt(seen, 0);
    scenario_free(s);
    engine_ws_free(ws);
}
END_TEST

/* engine_settle_grid equals engine_settle where donations decide (D x / B
 * = x / 2 a month): under wait a 1500 bond ready at 0 is paid at 30 with
 * x = 1000 (1500 by then), not with x = 500 (1000 by 60); under skip, one
 * ready at 45 is paid iff x + x / 2 >= 1500.  The grid's first point, x = 0,
 * has neither money nor donations and must not stand for the others. */
START_TEST(test_grid_donations)
{
    for (int wait = 0; wait < 2; wait++) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 "[fund]\nbudget_usd = 2000\ngranularity_usd = 500\npolicy = first_come\n"
                 "donations_usd_per_month = 1000\nqueue = %s\n[region.r]\ninitial_detained = 1\n"
                 "hearing_delay_days = fixed(%s)\n",
                 wait ? "wait" : "skip", wait ? "0" : "45");
        scenario *s = load(buf);
        engine_ws *ws = engine_ws_new();
        draw_rep(ws, s, 0, 0);
        double rel[5], fre[5];
        engine_settle_grid(ws, s, 0, s->policy, 500, 5, rel, fre);
        const double want[] = {0, 0, 1, 1, 1};
        for (size_t g = 0; g < 5; g++) {
            engine_stats st;
            engine_settle(&st, ws, s, 0, s->policy, 500.0 * (double)g, NULL);
            ck_assert_msg(st.releases == want[g], "%s x %zu: settle %g, want %g", wait ? "wait" : "skip", 500 * g,
                          st.releases, want[g]);
            ck_assert_msg(rel[g] == want[g] && fre[g] == st.freedom_days, "%s x %zu: settle_grid %g/%g, settle %g/%g",
                          wait ? "wait" : "skip", 500 * g, rel[g], fre[g], st.releases, st.freedom_days);
        }
        engine_ws_free(ws);
        scenario_free(s);
    }
}
END_TEST

/* ---- (h) a regime by decision time; (i) piecewise arrivals ---- */

START_TEST(test_regime_halves)
{
    /* N people at t = 0, decisions d ~ U[0, 20), bond_grant_prob 0 from day
     * 10: each is fundable iff d < 10, independently with p = 1/2.  Over R
     * replications the fundable total is Binomial(N R, 1/2): mean N R / 2,
     * sd sqrt(N R / 4), so the fraction fundable has standard error
     * 1 / (2 sqrt(N R)) = 0.0025 for N = R = 200; 4 SE = 0.01. */
    const int N = 200, R = 200;
    char buf[512];
    snprintf(buf, sizeof buf,
             "[fund]\npolicy = first_come\n[region.r]\ninitial_detained = %d\n"
             "hearing_delay_days = uniform(min=0, max=20)\n[regime.cut]\nstart_day = 10\nbond_grant_prob = 0\n",
             N);
    scenario *s = load(buf);
    engine_ws *ws = engine_ws_new();
    double total = 0;
    for (int rep = 0; rep < R; rep++) {
        draw_rep(ws, s, 0, (uint64_t)rep);
        size_t n;
        engine_lcase *cs = cases_of(ws, s, 0, &n);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(cs[i].ready < 10, "a case decided at %g, under the regime", cs[i].ready);
        ck_assert_uint_eq(engine_people(ws), (size_t)N);
        total += (double)n;
        free(cs);
    }
    double frac = total / ((double)N * R), se = 1 / (2 * sqrt((double)N * R));
    ck_assert_msg(fabs(frac - 0.5) <= 4 * se, "fundable fraction %g, want 0.5 +- %g", frac, 4 * se);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

START_TEST(test_piecewise_arrivals)
{
    /* rate 2 on [0, 30) and [60, 90), 5 on [30, 60): the counts are
     * independent Poisson(60), Poisson(150), Poisson(60), 270 in all; the
     * mean of R replications has SE sqrt(mean / R). */
    const int R = 400;
    scenario *s = load("[fund]\npolicy = first_come\n[region.r]\narrivals_per_day = 2\n"
                       "[regime.surge]\nstart_day = 30\nend_day = 60\narrivals_per_day = 5\n");
    engine_ws *ws = engine_ws_new();
    double people = 0, part[3] = {0, 0, 0};
    for (int rep = 0; rep < R; rep++) {
        draw_rep(ws, s, 0, (uint64_t)rep);
        size_t n;
        engine_lcase *cs = cases_of(ws, s, 0, &n);
        ck_assert_uint_eq(n, engine_people(ws)); /* everyone is fundable */
        people += (double)engine_people(ws);
        for (size_t i = 0; i < n; i++) {
            ck_assert(cs[i].arrive >= 0 && cs[i].arrive < 90);
            part[cs[i].arrive < 30 ? 0 : cs[i].arrive < 60 ? 1 : 2] += 1;
        }
        free(cs);
    }
    const double want[] = {60, 150, 60};
    for (int k = 0; k < 3; k++)
        ck_assert_msg(fabs(part[k] / R - want[k]) <= 4 * sqrt(want[k] / R), "interval %d: mean %g, want %g", k,
                      part[k] / R, want[k]);
    ck_assert_msg(fabs(people / R - 270) <= 4 * sqrt(270.0 / R), "people: mean %g, want 270", people / R);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

#include "ledger_random.h"

Suite *make_ledger_suite(void)
{
    Suite *s = suite_create("ledger");
    TCase *tc = tcase_create("hand");
    tcase_add_test(tc, test_refund_pays_next);
    tcase_add_test(tc, test_capacity_one);
    tcase_add_test(tc, test_weekdays_friday);
    tcase_add_test(tc, test_wait_vs_skip);
    tcase_add_test(tc, test_max_wait);
    tcase_add_test(tc, test_stays);
    tcase_add_test(tc, test_copays);
    tcase_add_test(tc, test_equal_times);
    tcase_add_test(tc, test_grid_donations);
    tcase_add_test(tc, test_regime_halves);
    tcase_add_test(tc, test_piecewise_arrivals);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("random");
    tcase_set_timeout(tr, 300);
    tcase_add_test(tr, test_random_agreement);
    tcase_add_test(tr, test_random_settle_grid);
    suite_add_tcase(s, tr);
    return s;
}

FZ_CHECK_MAIN(ledger)
