/* check_timeline: DESIGN §7's timeline (eval_result.timeline) and the
 * accumulator behind it (sim/run/timeline.h).
 *
 * - eval_timeline_grid: 0, g, 2g, ... and H with g = ceil(H / 200), H once;
 * - tl_acc on synthetic series: integer releases give GSL's type-7
 *   quantiles exactly while the bins are one unit wide and within one bin
 *   width after they widen; balances within one bin (top / EVAL_TL_BINS);
 *   equal replications give their value exactly; means are plain averages;
 * - eval_run on ledger scenarios (refunds, donations, weekdays, capacity,
 *   wait queue, regimes, stays, copays): the timeline's last point equals
 *   the releases and balance_end statistics, the reserve is B - sum x plus
 *   its share of donations, money is conserved in the means, the series is
 *   a replay of engine_settle's traces, and results do not depend on
 *   threads or on where a run starts (first_rep);
 * - the ledger with nothing to hold a case back pays what §1's pass pays;
 * - every shipped scenario's timeline ends at its statistics. */
#define _GNU_SOURCE
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "check_common.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"
#include "timeline.h"

#include "engine_util.h"
#include "eval_same.h"

static int under_valgrind(void) { return getenv("FIANZA_TEST_VALGRIND") != NULL; }

/* ---- the day grid ---- */

/* The rule written out independently: k g for every k with k g < H, then H. */
static void check_grid(double H, size_t want_n)
{
    size_t n = 0;
    double *day = eval_timeline_grid(H, &n);
    ck_assert_ptr_nonnull(day);
    double g = ceil(H / 200);
    size_t k = 0;
    for (; (double)k * g < H; k++) {
        ck_assert_msg(k < n, "H %g: only %zu points", H, n);
        ck_assert_msg(day[k] == (double)k * g, "H %g: point %zu is %.17g, want %.17g", H, k, day[k], (double)k * g);
    }
    ck_assert_msg(n == k + 1, "H %g: %zu points, want %zu", H, n, k + 1);
    ck_assert_msg(day[n - 1] == H, "H %g: last point %.17g", H, day[n - 1]);
    for (size_t j = 1; j < n; j++)
        ck_assert_msg(day[j] > day[j - 1], "H %g: points %zu and %zu not increasing (duplicate H?)", H, j - 1, j);
    if (want_n)
        ck_assert_msg(n == want_n, "H %g: %zu points, want %zu", H, n, want_n);
    free(day);
}

START_TEST(test_grid)
{
    check_grid(90, 91);     /* g = 1: 0 .. 90 */
    check_grid(1095, 184);  /* g = 6: 0, 6, ..., 1092 (183 points) and 1095 */
    check_grid(1200, 201);  /* g = 6: 0 .. 1194 (200 points) and 1200, once */
    check_grid(0.5, 2);     /* g = 1: 0 and 0.5 */
    check_grid(200.5, 102); /* g = 2: 0 .. 200 (101 points) and 200.5 */
    check_grid(200, 201);   /* g = 1 */
    check_grid(201, 102);   /* g = 2: 0 .. 200 and 201 */
    check_grid(400, 201);   /* g = 2: 0 .. 398 and 400 */
    check_grid(36500, 0);   /* the longest horizon: g = 183 */
    for (int i = 1; i <= 4000; i++) /* fractional horizons, multiples of g among them */
        check_grid(i * 0.37, 0);
}
END_TEST

/* ---- tl_acc on synthetic series ---- */

/* A run of N replications on npts grid points, values from fill(rep,
 * point): the accumulator's result, and GSL's quantiles of the sorted
 * values of each point, and their plain averages. */
#define NPTS 8 /* at most */
typedef struct synth {
    eval_timeline t;
    double rq[3][NPTS], bq[3][NPTS], rmean[NPTS], bmean[NPTS], rmax;
} synth;

typedef double (*fill_fn)(gsl_rng *r, size_t j, int balance);

static const double qs[3] = {0.05, 0.50, 0.95};

static void synth_run(synth *o, size_t N, size_t npts, double top, fill_fn fill, unsigned long seed, int reverse)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *day = malloc(npts * sizeof *day), *rel = malloc(N * npts * sizeof *rel),
           *bal = malloc(N * npts * sizeof *bal), *col = malloc(N * sizeof *col);
    ck_assert(day && rel && bal && col);
    for (size_t j = 0; j < npts; j++)
        day[j] = (double)j;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < npts; j++) {
            rel[i * npts + j] = fill(r, j, 0);
            bal[i * npts + j] = fill(r, j, 1);
        }
    tl_acc *a = tl_acc_new(day, npts, top);
    ck_assert_ptr_nonnull(a);
    for (size_t i = 0; i < N; i++) {
        size_t k = reverse ? N - 1 - i : i;
        tl_acc_add(a, rel + k * npts, bal + k * npts);
    }
    ck_assert_int_eq(tl_acc_finish(a, &o->t), 0);
    tl_acc_free(a);
    ck_assert_uint_eq(o->t.n, npts);
    ck_assert_uint_le(npts, NPTS);
    o->rmax = 0;
    for (int w = 0; w < 2; w++)
        for (size_t j = 0; j < npts; j++) {
            const double *src = w ? bal : rel;
            double sum = 0;
            for (size_t i = 0; i < N; i++) {
                col[i] = src[i * npts + j];
                sum += col[i];
                if (!w && col[i] > o->rmax)
                    o->rmax = col[i];
            }
            (w ? o->bmean : o->rmean)[j] = sum / (double)N;
            gsl_sort(col, 1, N);
            for (int q = 0; q < 3; q++)
                (w ? o->bq : o->rq)[q][j] = gsl_stats_quantile_from_sorted_data(col, 1, N, qs[q]);
        }
    gsl_rng_free(r);
    free(day);
    free(rel);
    free(bal);
    free(col);
}

static void synth_free(synth *o) { tl_free(&o->t); }

/* Percentile q (0, 1, 2: p05, p50, p95) of releases or balances. */
#define rel_q(t, q) ((q) == 0 ? (t)->releases_p05 : (q) == 1 ? (t)->releases_p50 : (t)->releases_p95)
#define bal_q(t, q) ((q) == 0 ? (t)->balance_p05 : (q) == 1 ? (t)->balance_p50 : (t)->balance_p95)

/* Releases within rtol of GSL's (0: exactly), balances within btol; means to 1e-12. */
static void synth_check(const synth *o, double rtol, double btol, const char *what)
{
    for (size_t j = 0; j < o->t.n; j++) {
        ck_assert_msg(near_rel(o->t.releases_mean[j], o->rmean[j], 1e-12), "%s point %zu: releases mean %.17g, want %.17g",
                      what, j, o->t.releases_mean[j], o->rmean[j]);
        ck_assert_msg(near_rel(o->t.balance_mean[j], o->bmean[j], 1e-12), "%s point %zu: balance mean %.17g, want %.17g",
                      what, j, o->t.balance_mean[j], o->bmean[j]);
        for (int q = 0; q < 3; q++) {
            double got = rel_q(&o->t, q)[j], want = o->rq[q][j];
            ck_assert_msg(rtol == 0 ? got == want : fabs(got - want) <= rtol,
                          "%s point %zu: releases p%02.0f %.17g, GSL %.17g (tolerance %g)", what, j, 100 * qs[q], got,
                          want, rtol);
            got = bal_q(&o->t, q)[j];
            want = o->bq[q][j];
            ck_assert_msg(btol == 0 ? got == want : fabs(got - want) <= btol,
                          "%s point %zu: balance p%02.0f %.17g, GSL %.17g (tolerance %g)", what, j, 100 * qs[q], got,
                          want, btol);
        }
    }
}

#define TOP 100000.0

/* point j: releases in [0, 300 j] (integers), balances in [0, TOP] */
static double fill_small(gsl_rng *r, size_t j, int balance)
{
    return balance ? TOP * gsl_rng_uniform(r) : (double)gsl_rng_uniform_int(r, 300 * j + 1);
}

/* releases up to 20000: bins 16 wide (2048 x 8 = 16384 is too few) */
static double fill_large(gsl_rng *r, size_t j, int balance)
{
    if (balance)
        return j == 0 ? TOP : (double)(j - 1) * TOP / 4 * gsl_rng_uniform(r);
    return (double)gsl_rng_uniform_int(r, 20001 * j / 4 + 1);
}

START_TEST(test_tl_integers_exact)
{
    const size_t Ns[] = {1, 2, 3, 20, 101, 1000};
    for (size_t t = 0; t < sizeof Ns / sizeof *Ns; t++) {
        synth o;
        synth_run(&o, Ns[t], 6, TOP, fill_small, 11 + t, 0);
        ck_assert(o.rmax < EVAL_TL_BINS); /* one unit a bin: exact */
        char what[64];
        snprintf(what, sizeof what, "N %zu", Ns[t]);
        synth_check(&o, 0, TOP / EVAL_TL_BINS, what);
        synth_free(&o);
    }
}
END_TEST

/* The widest bin count: the least power of 2, w, with max < w EVAL_TL_BINS. */
static double bin_width(double max)
{
    double w = 1;
    while (max >= w * EVAL_TL_BINS)
        w *= 2;
    return w;
}

START_TEST(test_tl_widened)
{
    const size_t N = under_valgrind() ? 200 : 2000;
    synth o, back;
    synth_run(&o, N, 5, TOP, fill_large, 7, 0);
    double w = bin_width(o.rmax);
    ck_assert(w >= 8); /* the bins widened at least three times */
    /* an order statistic read off a bin of integers [b w, b w + w - 1]
     * lies in it, so it is off by at most w - 1, and so is an
     * interpolation between two of them */
    synth_check(&o, w - 1, TOP / EVAL_TL_BINS, "widened");
    /* replications in the opposite order (the largest count may come
     * first): the same histograms, so the same percentiles, bit for bit */
    synth_run(&back, N, 5, TOP, fill_large, 7, 1);
    for (int q = 0; q < 3; q++) {
        ck_assert(memcmp(rel_q(&o.t, q), rel_q(&back.t, q), 5 * sizeof(double)) == 0);
        ck_assert(memcmp(bal_q(&o.t, q), bal_q(&back.t, q), 5 * sizeof(double)) == 0);
    }
    synth_free(&o);
    synth_free(&back);
}
END_TEST

/* every replication the same: releases 5000 (bins of 4) and 37, balances
 * off the bin edges; the percentiles must be the value itself */
static double fill_equal(gsl_rng *r, size_t j, int balance)
{
    (void)r;
    if (balance)
        return j == 0 ? 0 : j == 1 ? TOP : 12345.678 * (double)j;
    return j == 0 ? 0 : j == 1 ? 37 : 5000;
}

START_TEST(test_tl_all_equal)
{
    const size_t Ns[] = {1, 2, 57};
    for (size_t t = 0; t < sizeof Ns / sizeof *Ns; t++) {
        synth o;
        synth_run(&o, Ns[t], 4, TOP, fill_equal, 1, 0);
        char what[64];
        snprintf(what, sizeof what, "all equal, N %zu", Ns[t]);
        synth_check(&o, 0, 0, what);
        synth_free(&o);
    }
}
END_TEST

/* ---- eval_run on ledger scenarios ---- */

/* Two regions, 400 days, every §7 feature at once: refunds (region a
 * after 30-200 days and a 14-day lag, region b after 100), donations,
 * weekday posting from a Wednesday, 2 payments a day in region a, a wait
 * queue with max_wait_days, a regime in region a, stays with revocation,
 * copays, removal, releases after H (delays up to 3 days). */
static const char ledger_text[] =
    "[fund]\nbudget_usd = 100000\nhorizon_days = 400\npolicy = first_come\n"
    "donations_usd_per_month = 5000\nqueue = %s\nmax_wait_days = 60\nposting_days = %s\nstart_weekday = 2\n"
    "[simulation]\nseed = 4242\n"
    "[region.a]\ninitial_detained = 30\narrivals_per_day = 0.5\nbond_grant_prob = 0.7\n"
    "bond_usd = mixture(0.4: fixed(1500); 0.6: uniform(min=1500, max=8000))\n"
    "hearing_delay_days = uniform(min=0, max=20)\nrelease_delay_days = fixed(1)\nremoval_hazard_per_day = 0.002\n"
    "stay_prob = 0.2\nstay_days = fixed(10)\nstay_revoke_prob = 0.1\ncopay_usd = uniform(min=0, max=2000)\n"
    "refund_prob = 0.4\ncase_duration_days = uniform(min=30, max=200)\nrefund_lag_days = fixed(14)\n"
    "max_payments_per_day = %s\n"
    "[region.b]\ninitial_detained = 10\narrivals_per_day = 0.3\nbond_usd = fixed(3000)\n"
    "hearing_delay_days = fixed(3)\nrelease_delay_days = uniform(min=0, max=3)\n"
    "refund_prob = 0.5\ncase_duration_days = fixed(100)\n"
    "[regime.cut]\nstart_day = 100\nend_day = 250\nregions = a\nbond_grant_prob = 0.2\narrivals_per_day = 1\n";

static scenario *ledger_scenario(int variant)
{
    char buf[2048];
    snprintf(buf, sizeof buf, ledger_text, variant ? "skip" : "wait", variant ? "all" : "weekdays",
             variant ? "unlimited" : "2");
    scenario *s = load_text(buf);
    ck_assert(scenario_uses_ledger(s, 0) && scenario_uses_ledger(s, 1));
    return s;
}

/* Allocations: a 40000 and b 30000 (a reserve of 30000), then all of it to b. */
static const double ledger_allocs[] = {40000, 30000, 0, 100000};

START_TEST(test_eval_ledger_identities)
{
    for (int variant = 0; variant < 2; variant++) {
        scenario *s = ledger_scenario(variant);
        const size_t N = under_valgrind() ? 100 : 1500, C = 2;
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = N, .threads = 2};
        eval_result *r = run_eval(s, ledger_allocs, 2, &opt);
        /* M donations: at 30, 60, ..., 390 < H = 400 */
        const double B = s->budget_usd, D = s->donations_usd_per_month, M = 13;
        for (size_t k = 0; k < 2; k++) {
            const eval_alloc *a = &r->allocs[k];
            double sumx = 0;
            for (size_t c = 0; c < C; c++) {
                const eval_region *g = &a->regions[c];
                double x = ledger_allocs[k * C + c], don = M * D * x / B;
                sumx += x;
                ck_assert_msg(near_rel(g->spent.mean - g->refunded.mean, x + don - g->balance_end.mean, 1e-9),
                              "allocation %zu region %zu: paid %g - refunded %g != x %g + donations %g - balance %g", k,
                              c, g->spent.mean, g->refunded.mean, x, don, g->balance_end.mean);
                ck_assert_msg(near_rel(g->unpaid.mean, g->fundable.mean - g->releases.mean, 1e-9),
                              "allocation %zu region %zu: unpaid %g, fundable %g, releases %g", k, c, g->unpaid.mean,
                              g->fundable.mean, g->releases.mean);
                ck_assert(g->releases.mean <= g->fundable.mean);
                ck_assert(g->refunded.mean <= g->spent.mean);
            }
            /* the reserve: B - sum x and its share of every donation */
            double left = B - sumx, reserve = left + M * D * left / B;
            ck_assert_msg(near_rel(a->reserve_end, reserve, 1e-12), "allocation %zu: reserve %.17g, want %.17g", k,
                          a->reserve_end, reserve);
            ck_assert_msg(near_rel(a->spent.mean - a->refunded.mean, B + M * D - a->balance_end.mean, 1e-9),
                          "allocation %zu: paid - refunded %g, budget + donations - balance %g", k,
                          a->spent.mean - a->refunded.mean, B + M * D - a->balance_end.mean);
            ck_assert(a->refunded.mean > 0); /* refunds did happen */
            /* days waited: none when every case can be posted at e and
             * skips (variant 1); some under weekdays, capacity and the queue */
            double waited = eval_waited_mean(r, k, SIZE_MAX);
            ck_assert_msg(variant ? waited == 0 : waited > 0, "variant %d allocation %zu: %g days waited", variant, k,
                          waited);
        }
        /* the timeline (allocation 0) ends at the statistics of the run */
        const eval_timeline *t = &r->timeline;
        const eval_alloc *a0 = &r->allocs[0];
        ck_assert_uint_eq(t->n, 201); /* g = 2 */
        ck_assert_msg(near_rel(t->releases_mean[t->n - 1], a0->releases.mean, 1e-9),
                      "timeline releases at H %.17g, releases %.17g", t->releases_mean[t->n - 1], a0->releases.mean);
        ck_assert_msg(near_rel(t->balance_mean[t->n - 1], a0->balance_end.mean, 1e-9),
                      "timeline balance at H %.17g, balance_end %.17g", t->balance_mean[t->n - 1], a0->balance_end.mean);
        /* releases after H (fixed(1) and up to 3 days of delay) count at H */
        ck_assert(t->releases_mean[t->n - 1] > t->releases_mean[t->n - 2]);
        for (size_t j = 0; j < t->n; j++) {
            if (j > 0)
                ck_assert_msg(t->releases_mean[j] >= t->releases_mean[j - 1], "releases fall at point %zu", j);
            const double rq[3] = {t->releases_p05[j], t->releases_p50[j], t->releases_p95[j]};
            const double bq[3] = {t->balance_p05[j], t->balance_p50[j], t->balance_p95[j]};
            for (int q = 0; q < 3; q++) {
                ck_assert_msg(isfinite(rq[q]) && isfinite(bq[q]), "point %zu: p%02.0f releases %g, balance %g", j,
                              100 * qs[q], rq[q], bq[q]);
                ck_assert(q == 0 || (rq[q] >= rq[q - 1] && bq[q] >= bq[q - 1]));
            }
            ck_assert(bq[0] >= 0 && bq[2] <= B + M * D);
        }
        eval_free(r);
        scenario_free(s);
    }
}
END_TEST

/* Day 0 holds the payments made at t = 0 and nothing else: 3 initial
 * detainees decided at 0 in region a (paid at once, released at once),
 * region b's arrivals decided half a day later.  The balance at day 0 is
 * B - 3 x 1500 in every replication, releases 3. */
START_TEST(test_eval_day_zero)
{
    scenario *s = load_text("[fund]\nbudget_usd = 20000\nhorizon_days = 90\npolicy = first_come\n"
                            "donations_usd_per_month = 1000\n"
                            "[region.a]\ninitial_detained = 3\nhearing_delay_days = fixed(0)\n"
                            "release_delay_days = fixed(0)\n"
                            "[region.b]\narrivals_per_day = 2\nhearing_delay_days = fixed(0.5)\n");
    const double allocs[] = {6000, 10000};
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = under_valgrind() ? 50 : 400, .threads = 2};
    eval_result *r = run_eval(s, allocs, 1, &opt);
    const eval_timeline *t = &r->timeline;
    ck_assert_uint_eq(t->n, 91);
    const double want[] = {20000 - 4500, 3};
    const double *got[] = {t->balance_mean, t->balance_p05, t->balance_p50, t->balance_p95,
                           t->releases_mean, t->releases_p05, t->releases_p50, t->releases_p95};
    for (int i = 0; i < 8; i++)
        ck_assert_msg(got[i][0] == want[i / 4], "day 0, series %d: %.17g, want %g", i, got[i][0], want[i / 4]);
    /* region a's account is 1500 at H plus its donations at 30 and 60 (not 90 = H) */
    ck_assert_double_eq_tol(r->allocs[0].regions[0].balance_end.mean, 1500 + 2 * 300, 1e-9);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* One replication (first_rep 7): the timeline is the sum of the regions'
 * engine_settle traces on the grid plus the reserve, and every percentile
 * is the value itself. */
START_TEST(test_eval_replays_traces)
{
    scenario *s = ledger_scenario(0);
    const uint64_t rep = 7;
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .first_rep = rep, .nreps = 1, .threads = 1};
    eval_result *r = run_eval(s, ledger_allocs, 1, &opt);
    const eval_timeline *t = &r->timeline;
    size_t G = 0;
    double *grid = eval_timeline_grid(s->horizon_days, &G);
    ck_assert_uint_eq(G, t->n);
    double *rel = calloc(4 * G, sizeof *rel), *bal = rel + G, *tr = bal + G, *tb = tr + G;
    double *days = calloc(4096, sizeof *days);
    ck_assert(rel && days);
    const double B = s->budget_usd, left = B - ledger_allocs[0] - ledger_allocs[1];
    for (size_t j = 0; j < G; j++) /* the reserve: left plus its donations at 30 m <= day j */
        bal[j] = left + floor(fmin(grid[j], 390) / 30) * s->donations_usd_per_month * left / B;
    engine_ws *ws = ws_new();
    double releases = 0;
    for (size_t c = 0; c < 2; c++) {
        draw(ws, s, c, s->policy, RNG_STREAM_EVALUATE, rep);
        ck_assert(engine_fundable(ws) < 4096);
        engine_trace trace = {days, NULL, grid, G, tr, tb, 0};
        engine_stats st;
        engine_settle(&st, ws, s, c, s->policy, ledger_allocs[c], &trace);
        releases += st.releases;
        for (size_t j = 0; j < G; j++) {
            rel[j] += tr[j];
            bal[j] += tb[j];
        }
    }
    ck_assert_double_eq(t->releases_mean[G - 1], releases);
    for (size_t j = 0; j < G; j++) {
        ck_assert_msg(t->releases_mean[j] == rel[j], "day %g: releases %g, traces %g", grid[j], t->releases_mean[j],
                      rel[j]);
        ck_assert_msg(near_rel(t->balance_mean[j], bal[j], 1e-12), "day %g: balance %.17g, traces %.17g", grid[j],
                      t->balance_mean[j], bal[j]);
        const double v[] = {t->releases_p05[j], t->releases_p50[j], t->releases_p95[j]};
        const double w[] = {t->balance_p05[j], t->balance_p50[j], t->balance_p95[j]};
        for (int q = 0; q < 3; q++) {
            ck_assert_msg(v[q] == t->releases_mean[j], "day %g: releases p%02.0f %g of one replication %g", grid[j],
                          100 * qs[q], v[q], t->releases_mean[j]);
            ck_assert_msg(w[q] == t->balance_mean[j], "day %g: balance p%02.0f %.17g of one replication %.17g",
                          grid[j], 100 * qs[q], w[q], t->balance_mean[j]);
        }
    }
    engine_ws_free(ws);
    free(grid);
    free(rel);
    free(days);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* Threads 1 and 2, on more than one block: every statistic and the
 * timeline bit for bit. */
START_TEST(test_eval_threads_identical)
{
    scenario *s = ledger_scenario(0);
    const size_t N = under_valgrind() ? 150 : EVAL_BLOCK + 700;
    eval_result *r[2];
    for (int t = 0; t < 2; t++) {
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = N, .threads = t + 1};
        r[t] = run_eval(s, ledger_allocs, 2, &opt);
    }
    same_results(r[0], r[1], "threads 1 vs 2");
    eval_free(r[0]);
    eval_free(r[1]);
    scenario_free(s);
}
END_TEST

/* The ledger with nothing to hold a case back (a capacity nobody reaches,
 * skip) pays what §1's pass pays, at the same times: on two random
 * regions, every count, USD and day bit for bit (the same sums in the same
 * order), balances and the timeline to rounding (the ledger subtracts each
 * payment from the balance, §1 subtracts the total). */
START_TEST(test_ledger_matches_plain)
{
    static const char *sets[] = {"fund.policy=first_come", "region.chicago.max_payments_per_day=10000000",
                                 "region.kc.max_payments_per_day=10000000"};
    scenario *s = load_text(random_text), *v[3]; /* each a copy of the one before */
    fz_error err = {0, ""};
    for (int i = 0; i < 3; i++)
        ck_assert_msg(scenario_copy_set(&v[i], i ? v[i - 1] : s, sets[i], NULL, &err) == 0, "%s", err.msg);
    scenario *plain = v[0], *l2 = v[2];
    ck_assert(!scenario_uses_ledger(plain, 0) && !scenario_uses_ledger(plain, 1));
    ck_assert(scenario_uses_ledger(l2, 0) && scenario_uses_ledger(l2, 1));
    const double allocs[] = {150000, 150000, 250000, 50000, 60000, 20000};
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = under_valgrind() ? 60 : 1500, .threads = 2};
    eval_result *a = run_eval(plain, allocs, 3, &opt), *b = run_eval(l2, allocs, 3, &opt);
    const char *ctx = "ledger vs plain";
    for (size_t k = 0; k < 3; k++) {
        for (size_t c = 0; c < 2; c++) {
            const eval_region *x = &a->allocs[k].regions[c], *y = &b->allocs[k].regions[c];
            SAME_STAT(x->releases, y->releases, "releases", k, c);
            SAME_STAT(x->fundable, y->fundable, "fundable", k, c);
            SAME_STAT(x->spent, y->spent, "spent", k, c);
            SAME_STAT(x->freedom_days, y->freedom_days, "freedom_days", k, c);
            SAME_STAT(x->detention_days_sum, y->detention_days_sum, "detention_days_sum", k, c);
            SAME_STAT(x->unpaid, y->unpaid, "unpaid", k, c);
            ck_assert_double_eq(y->waited_days_sum, 0);
            ck_assert_double_eq(y->refunded.mean, 0);
            ck_assert(near_rel(x->balance_end.mean, y->balance_end.mean, 1e-9));
        }
        ck_assert(memcmp(a->allocs[k].totals, b->allocs[k].totals, opt.nreps * sizeof(double)) == 0);
    }
    const eval_timeline *t = &a->timeline, *u = &b->timeline;
    ck_assert_uint_eq(t->n, u->n);
    for (size_t j = 0; j < t->n; j++) {
        ck_assert_msg(t->releases_mean[j] == u->releases_mean[j], "day %g: releases %g vs %g", t->day[j],
                      t->releases_mean[j], u->releases_mean[j]);
        ck_assert(near_rel(t->balance_mean[j], u->balance_mean[j], 1e-9));
        ck_assert(fabs(t->balance_p50[j] - u->balance_p50[j]) <= 2 * 300000.0 / EVAL_TL_BINS);
    }
    eval_free(a);
    eval_free(b);
    for (int i = 3; i-- > 0;)
        scenario_free(v[i]);
    scenario_free(s);
}
END_TEST

/* Every shipped scenario, an even split: the timeline ends at releases and
 * balance_end; releases never fall; without the ledger no money comes in,
 * so the balance never rises and ends at B - paid. */
START_TEST(test_shipped_timelines)
{
    glob_t gl;
    ck_assert_int_eq(glob(FZ_TEST_DIR "/../scenarios/*.ini", 0, NULL, &gl), 0);
    ck_assert_uint_ge(gl.gl_pathc, 3);
    for (size_t f = 0; f < gl.gl_pathc; f++) {
        scenario *s = NULL;
        fz_error err = {0, ""};
        ck_assert_msg(scenario_load(&s, gl.gl_pathv[f], NULL, 0, &err) == 0, "%s", err.msg);
        double x[SCENARIO_MAX_REGIONS];
        int ledger = s->donations_usd_per_month > 0;
        for (size_t c = 0; c < s->nregions; c++) {
            x[c] = floor(s->budget_usd / (double)s->nregions / s->granularity_usd) * s->granularity_usd;
            ledger |= scenario_uses_ledger(s, c);
        }
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = under_valgrind() ? 20 : 300, .threads = 2};
        eval_result *r = run_eval(s, x, 1, &opt);
        const eval_timeline *t = &r->timeline;
        const eval_alloc *a = &r->allocs[0];
        const char *name = gl.gl_pathv[f];
        ck_assert_msg(near_rel(t->releases_mean[t->n - 1], a->releases.mean, 1e-9), "%s: releases at H %.17g vs %.17g",
                      name, t->releases_mean[t->n - 1], a->releases.mean);
        ck_assert_msg(near_rel(t->balance_mean[t->n - 1], a->balance_end.mean, 1e-9), "%s: balance at H %.17g vs %.17g",
                      name, t->balance_mean[t->n - 1], a->balance_end.mean);
        if (!ledger)
            ck_assert_msg(near_rel(a->balance_end.mean, s->budget_usd - a->spent.mean, 1e-9), "%s: balance_end %.17g",
                          name, a->balance_end.mean);
        for (size_t j = 1; j < t->n; j++) {
            ck_assert_msg(t->releases_mean[j] >= t->releases_mean[j - 1], "%s: releases fall at %g", name, t->day[j]);
            ck_assert_msg(ledger || t->balance_mean[j] <= t->balance_mean[j - 1], "%s: balance rises at %g", name,
                          t->day[j]);
        }
        eval_free(r);
        scenario_free(s);
    }
    globfree(&gl);
}
END_TEST

/* A run from first_rep in the middle (700) reproduces that slice of a run from 0, every
 * per-replication statistic of the ledger bit for bit. */
START_TEST(test_eval_first_rep_slice)
{
    scenario *s = ledger_scenario(0);
    const size_t N = under_valgrind() ? 120 : 1600, first = N * 7 / 16, n = N / 2, per = 2 * 2;
    rec full = {calloc(N * per, sizeof(engine_stats)), 0, per}, part = {calloc(n * per, sizeof(engine_stats)), first, per};
    ck_assert(full.all && part.all);
    eval_options fo = {.stream = RNG_STREAM_EVALUATE, .nreps = N, .threads = 2, .on_block = record, .block_ctx = &full};
    eval_options po = {.stream = RNG_STREAM_EVALUATE,
                       .first_rep = first,
                       .nreps = n,
                       .threads = 1,
                       .on_block = record,
                       .block_ctx = &part};
    eval_result *rf = run_eval(s, ledger_allocs, 2, &fo), *rp = run_eval(s, ledger_allocs, 2, &po);
    ck_assert(memcmp(part.all, full.all + first * per, n * per * sizeof(engine_stats)) == 0);
    for (size_t k = 0; k < 2; k++)
        ck_assert(memcmp(rp->allocs[k].totals, rf->allocs[k].totals + first, n * sizeof(double)) == 0);
    eval_free(rf);
    eval_free(rp);
    free(full.all);
    free(part.all);
    scenario_free(s);
}
END_TEST

Suite *make_timeline_suite(void)
{
    Suite *s = suite_create("timeline");
    TCase *tc = tcase_create("timeline");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_grid);
    tcase_add_test(tc, test_tl_integers_exact);
    tcase_add_test(tc, test_tl_widened);
    tcase_add_test(tc, test_tl_all_equal);
    tcase_add_test(tc, test_eval_ledger_identities);
    tcase_add_test(tc, test_eval_day_zero);
    tcase_add_test(tc, test_eval_replays_traces);
    tcase_add_test(tc, test_eval_threads_identical);
    tcase_add_test(tc, test_eval_first_rep_slice);
    tcase_add_test(tc, test_ledger_matches_plain);
    tcase_add_test(tc, test_shipped_timelines);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(timeline)
