/* check_fit_censored: right-censored maximum likelihood (models/fit_censored.c),
 * the Kaplan-Meier estimate (models/km.c), and `fianza fit --censored`,
 * `--posted/--returned` (a fund's ledger) and `--rate K/N`
 * (sim/cli/cmd_fit_censored.c).
 *
 *   - exponential: the closed form mean = total time / events and
 *     se = mean / sqrt(events), exactly (1e-9 relative), by hand below;
 *   - Weibull and lognormal: n = 2,000 simulated durations, ~40% censored by
 *     independent uniform follow-up times, fitted back within 4 SE; the fit
 *     that ignores censoring (censored values taken as events) misses;
 *   - no censoring: the censored fit equals fit_family_mle's (same
 *     likelihood, so the same optimum up to the simplex tolerance);
 *   - all censored: refused (no maximum);
 *   - Kaplan-Meier against a hand computation with Greenwood's variance;
 *   - the command: table, paste line, fit_km.csv, summary.json; the synthetic
 *     ledger recovers its true Weibull within 4 SE; bad inputs exit 2 naming
 *     file:line; --rate 7/20 prints the Wilson interval computed by hand. */
#define _GNU_SOURCE
#include <gsl/gsl_randist.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "dist.h"
#include "fit.h"
#include "km.h"
#include "rng.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))
#define SEED 20261201

static void assert_rel(double got, double want, double tol, const char *what)
{
    ck_assert_msg(fabs(got - want) <= tol * fabs(want), "%s: got %.15g, want %.15g", what, got, want);
}

/* Hand computation (exponential, no truncation): durations 2, 3+, 5, 7+, 11
 * ('+' censored).  Events d = 3 (2, 5, 11), total time T = 2+3+5+7+11 = 28.
 *   l(m) = -d log m - T / m,  l'(m) = -d/m + T/m^2 = 0  =>  m = T/d = 28/3,
 *   -l''(m) = -d/m^2 + 2T/m^3 = d/m^2 at the optimum  =>  se = m / sqrt(3). */
START_TEST(test_exponential_closed_form)
{
    const double t[] = {2, 3, 5, 7, 11};
    const unsigned char c[] = {0, 1, 0, 1, 0};
    fit_result f;
    fz_error err = {0, ""};
    ck_assert_int_eq(fit_censored_mle(&f, DIST_EXPONENTIAL, t, c, 5, NULL, &err), 0);
    ck_assert(f.ok && f.closed_form && f.converged);
    assert_rel(f.param[0], 28.0 / 3, 1e-9, "mean");
    assert_rel(f.se[0], 28.0 / 3 / sqrt(3), 1e-9, "se");
    double m = 28.0 / 3, ll = -3 * log(m) - 28 / m;
    assert_rel(f.loglik, ll, 1e-12, "loglik");
    assert_rel(f.aic, 2 - 2 * ll, 1e-12, "aic");
    assert_rel(f.bic, log(5.0) - 2 * ll, 1e-12, "bic");
    /* left-truncated at 1: memoryless, m = (T - 5 * 1) / 3 */
    fit_options o;
    fit_options_init(&o);
    o.lo = 1;
    ck_assert_int_eq(fit_censored_mle(&f, DIST_EXPONENTIAL, t, c, 5, &o, &err), 0);
    assert_rel(f.param[0], 23.0 / 3, 1e-9, "truncated mean");
    /* larger data: the closed form is also where the generic likelihood peaks */
    gsl_rng *r = rng_new();
    rng_seed(r, SEED, 1, 0, 0);
    enum { N = 2000 };
    static double x[N];
    static unsigned char cc[N];
    double total = 0, events = 0;
    for (int i = 0; i < N; i++) {
        double e = gsl_ran_exponential(r, 400), u = gsl_rng_uniform(r) * 900;
        x[i] = fmin(e, u), cc[i] = e > u;
        total += x[i], events += !cc[i];
    }
    gsl_rng_free(r);
    ck_assert_int_eq(fit_censored_mle(&f, DIST_EXPONENTIAL, x, cc, N, NULL, &err), 0);
    assert_rel(f.param[0], total / events, 1e-9, "mean (n = 2000)");
    assert_rel(f.se[0], total / events / sqrt(events), 1e-9, "se (n = 2000)");
    ck_assert_msg(fabs(f.param[0] - 400) < 4 * f.se[0], "mean %g se %g", f.param[0], f.se[0]);
}
END_TEST

/* Durations from `family` censored by uniform(0, follow) follow-up times. */
static size_t simulate(double *x, unsigned char *c, size_t n, int family, double a, double b, double follow,
                       uint64_t stream)
{
    gsl_rng *r = rng_new();
    rng_seed(r, SEED, stream, 0, 0);
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        double t = family == DIST_WEIBULL ? gsl_ran_weibull(r, b, a) : gsl_ran_lognormal(r, log(a), b);
        double u = gsl_rng_uniform_pos(r) * follow;
        x[i] = fmin(t, u);
        c[i] = t > u;
        nc += c[i];
    }
    gsl_rng_free(r);
    return nc;
}

static const struct {
    int family;
    double a, b, follow; /* weibull: shape, scale; lognormal: median, sigma */
} recover_cases[] = {
    {DIST_WEIBULL, 1.5, 700, 1600},
    {DIST_LOGNORMAL, 900, 0.8, 2600},
};

START_TEST(test_recover_censored)
{
    enum { N = 2000 };
    static double x[N];
    static unsigned char c[N], none[N];
    int fam = recover_cases[_i].family;
    double truth[2] = {recover_cases[_i].a, recover_cases[_i].b};
    size_t nc = simulate(x, c, N, fam, truth[0], truth[1], recover_cases[_i].follow, 10 + (uint64_t)_i);
    ck_assert_msg(nc > 0.3 * N && nc < 0.5 * N, "censored %zu of %d", nc, N);
    fit_result f, naive;
    fz_error err = {0, ""};
    ck_assert_int_eq(fit_censored_mle(&f, (fit_family)fam, x, c, N, NULL, &err), 0);
    ck_assert_msg(f.ok && f.converged && !f.closed_form, "%s", f.reason);
    ck_assert(isnan(f.ks) && isnan(f.ad));
    for (int j = 0; j < 2; j++) {
        ck_assert_msg(isfinite(f.se[j]) && f.se[j] > 0 && f.se[j] < 0.1 * truth[j], "se %g", f.se[j]);
        ck_assert_msg(fabs(f.param[j] - truth[j]) < 4 * f.se[j], "%s %s: %g vs %g (se %g)",
                      fit_family_name(f.family), f.names[j], f.param[j], truth[j], f.se[j]);
    }
    /* ignoring the censoring (every value an event) is badly off in the location */
    ck_assert_int_eq(fit_censored_mle(&naive, (fit_family)fam, x, none, N, NULL, &err), 0);
    int loc = fam == DIST_WEIBULL ? 1 : 0;
    ck_assert_msg(truth[loc] - naive.param[loc] > 10 * naive.se[loc], "naive %g", naive.param[loc]);
    /* the ranking: the true family first by AIC, every family fitted */
    fit_result all[FIT_NFAMILIES];
    size_t nfit;
    ck_assert_int_eq(fit_censored_all(all, &nfit, x, c, N, NULL, &err), 0);
    ck_assert_int_eq((int)nfit, FIT_NFAMILIES);
    ck_assert_msg((int)all[0].family == fam, "first: %s", fit_family_name(all[0].family));
    for (size_t i = 1; i < nfit; i++)
        ck_assert(all[i].aic >= all[i - 1].aic);
}
END_TEST

/* With no censored value the likelihood is the raw one: same estimates. */
START_TEST(test_no_censoring_equals_raw)
{
    enum { N = 500 };
    static double x[N];
    static unsigned char c[N], none[N];
    simulate(x, c, N, DIST_WEIBULL, 1.3, 300, 1e9, 30);
    fz_error err = {0, ""};
    fit_options o;
    fit_options_init(&o);
    o.lo = 0; /* as `fianza fit` fits durations (the normal truncated at 0) */
    for (int fam = 0; fam < DIST_NFAMILIES; fam++) {
        fit_result raw, cen;
        if (fit_family_mle(&raw, (fit_family)fam, x, N, &o, &err) != 0)
            continue; /* not a fitted family */
        ck_assert_int_eq(fit_censored_mle(&cen, (fit_family)fam, x, none, N, &o, &err), 0);
        ck_assert_int_eq(raw.ok, cen.ok);
        if (!raw.ok)
            continue;
        const char *name = fit_family_name(raw.family);
        ck_assert_msg(fabs(raw.loglik - cen.loglik) < 1e-6 * fabs(raw.loglik), "%s loglik %.12g %.12g", name,
                      raw.loglik, cen.loglik);
        if (!raw.converged)
            continue; /* the normal here: the supremum at the edge, no estimate to compare */
        for (int j = 0; j < raw.nparams; j++) {
            ck_assert_msg(fabs(raw.param[j] - cen.param[j]) < 1e-4 * fabs(raw.param[j]) + 1e-9, "%s %s %.10g %.10g",
                          name, raw.names[j], raw.param[j], cen.param[j]);
            ck_assert_msg(fabs(raw.se[j] - cen.se[j]) < 1e-2 * raw.se[j], "%s se %s %.6g %.6g", name, raw.names[j],
                          raw.se[j], cen.se[j]);
        }
    }
}
END_TEST

START_TEST(test_refusals)
{
    const double t[] = {4, 6, 9};
    const unsigned char all[] = {1, 1, 1}, bad[] = {0, 2, 0};
    fit_result f;
    fz_error err = {0, ""};
    ck_assert_int_eq(fit_censored_mle(&f, DIST_WEIBULL, t, all, 3, NULL, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "all 3 durations are censored (no event)"), "%s", err.msg);
    ck_assert_int_eq(fit_censored_mle(&f, DIST_WEIBULL, t, bad, 3, NULL, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "censoring flag 2 (number 2)"), "%s", err.msg);
    fit_result res[FIT_NFAMILIES];
    size_t nfit;
    ck_assert_int_eq(fit_censored_all(res, &nfit, t, all, 3, NULL, &err), FZ_EINPUT);
    /* a zero duration: the positive families are skipped, not an error */
    const double z[] = {0, 6, 9, 12};
    const unsigned char c[] = {0, 1, 0, 0};
    ck_assert_int_eq(fit_censored_mle(&f, DIST_LOGNORMAL, z, c, 4, NULL, &err), 0);
    ck_assert(!f.ok);
}
END_TEST

/* Hand computation: durations 3, 5+, 6, 6, 8+, 10 ('+' censored).
 *   time at risk events censored S                      Greenwood sum         Var S
 *   3    6       1      0        5/6                    1/(6*5) = 1/30        (5/6)^2/30   = 0.0231481481
 *   5    5       0      1        5/6                    1/30                  (same)
 *   6    4       2      0        5/6 * 2/4 = 5/12       1/30 + 2/(4*2) = 17/60 (5/12)^2*17/60 = 0.0491898148
 *   8    2       0      1        5/12
 *   10   1       1      0        0                      (undefined: n = d)
 * Log-log interval at 3: w = sqrt(1/30)/|log(5/6)| = 1.0013839, S^exp(+-1.96 w)
 * = [0.2731228499, 0.9747124267]; at 6: [0.0559918649, 0.7665222196]. */
START_TEST(test_km_hand)
{
    const double t[] = {10, 5, 6, 3, 8, 6}; /* any order */
    const unsigned char c[] = {0, 1, 0, 0, 1, 0};
    km_row *r;
    size_t n;
    fz_error err = {0, ""};
    ck_assert_int_eq(km_estimate(&r, &n, t, c, 6, &err), 0);
    ck_assert_int_eq((int)n, 5);
    const double time[] = {3, 5, 6, 8, 10}, surv[] = {5. / 6, 5. / 6, 5. / 12, 5. / 12, 0};
    const size_t risk[] = {6, 5, 4, 2, 1}, ev[] = {1, 0, 2, 0, 1}, ce[] = {0, 1, 0, 1, 0};
    for (size_t i = 0; i < n; i++) {
        ck_assert(r[i].time == time[i]);
        ck_assert_int_eq((int)r[i].at_risk, (int)risk[i]);
        ck_assert_int_eq((int)r[i].events, (int)ev[i]);
        ck_assert_int_eq((int)r[i].censored, (int)ce[i]);
        ck_assert_msg(fabs(r[i].surv - surv[i]) < 1e-15, "S(%g) = %.17g", time[i], r[i].surv);
    }
    assert_rel(r[0].var, 25.0 / 36 / 30, 1e-12, "var at 3");
    assert_rel(r[1].var, 25.0 / 36 / 30, 1e-12, "var at 5");
    assert_rel(r[2].var, 25.0 / 144 * 17 / 60, 1e-12, "var at 6");
    assert_rel(r[0].lo, 0.27312284992835584, 1e-9, "lo at 3");
    assert_rel(r[0].hi, 0.9747124266908935, 1e-9, "hi at 3");
    assert_rel(r[2].lo, 0.05599186485205287, 1e-9, "lo at 6");
    assert_rel(r[2].hi, 0.7665222195505801, 1e-9, "hi at 6");
    ck_assert(isnan(r[4].var) && isnan(r[4].lo) && isnan(r[4].hi));
    ck_assert(km_at(r, n, 2.9) == 1 && km_at(r, n, 3) == 5. / 6 && km_at(r, n, 7) == 5. / 12);
    free(r);
    /* ties: an event and a censoring at the same time, the event first:
     * 4, 4+ -> at 4, two at risk, one event: S = 1/2 */
    const double t2[] = {4, 4, 9};
    const unsigned char c2[] = {1, 0, 0};
    ck_assert_int_eq(km_estimate(&r, &n, t2, c2, 3, &err), 0);
    ck_assert_int_eq((int)n, 2);
    ck_assert_int_eq((int)r[0].at_risk, 3);
    ck_assert(r[0].events == 1 && r[0].censored == 1 && fabs(r[0].surv - 2. / 3) < 1e-15);
    ck_assert(r[1].at_risk == 1 && r[1].surv == 0);
    free(r);
}
END_TEST

/* ---- the command ---- */

/* The hand example of test_km_hand as a CSV with a 0/1 column. */
static const char *km_csv = "days,open\n3,0\n5,1\n6,0\n6,0\n8,1\n10,0\n";

static json_t *fit_of(json_t *doc, const char *family)
{
    json_t *fits = cu_json_at(doc, "fits"), *f;
    size_t i;
    json_array_foreach(fits, i, f) if (!strcmp(json_string_value(json_object_get(f, "family")), family)) return f;
    ck_abort_msg("no fit of %s", family);
    return NULL;
}

START_TEST(test_cli_flag)
{
    const char *dir = cu_test_dir("flag");
    cu_write_file(cu_path_in(dir, "d.csv"), km_csv);
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", "d.csv", "--column", "days", "--censored", "open", "-o", "out",
                       "--no-plots");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    ck_assert_msg(strstr(r.out, "6 rows: 6 durations (4 ended, 2 censored: 33.3%), 0 empty rows left out"), "%s",
                  r.out);
    ck_assert_msg(strstr(r.out, "scenario line (best by AIC):\ncase_duration_days = "), "%s", r.out);
    /* exponential: T = 3+5+6+6+8+10 = 38 days, 4 events: mean 9.5, se 9.5/2 */
    ck_assert_msg(strstr(r.out, "exponential mean 9.5 (4.75)"), "%s", r.out);
    cu_run_free(&r);
    char *km = cu_slurp(cu_path_in(dir, "out/fit_km.csv"), NULL);
    ck_assert_ptr_nonnull(km);
    ck_assert_str_eq(km, "time_days,at_risk,events,censored,survival,survival_ci95_lo,survival_ci95_hi\n"
                         "0,6,0,0,1,,\n"
                         "3,6,1,0,0.8333333333,0.2731228499,0.9747124267\n"
                         "5,5,0,1,0.8333333333,0.2731228499,0.9747124267\n"
                         "6,4,2,0,0.4166666667,0.05599186485,0.7665222196\n"
                         "8,2,0,1,0.4166666667,0.05599186485,0.7665222196\n"
                         "10,1,1,0,0,,\n");
    free(km);
    json_t *doc = cu_load_json(cu_path_in(dir, "out/summary.json"));
    ck_assert_int_eq((int)cu_json_num(doc, "events"), 4);
    ck_assert_int_eq((int)cu_json_num(doc, "censored"), 2);
    ck_assert_double_eq_tol(cu_json_num(doc, "censored_share"), 2.0 / 6, 1e-12);
    json_t *e = fit_of(doc, "exponential");
    ck_assert_double_eq_tol(json_real_value(json_object_get(json_object_get(e, "parameters"), "mean")), 9.5, 1e-12);
    ck_assert_double_eq_tol(json_real_value(json_object_get(json_object_get(e, "standard_errors"), "mean")), 4.75,
                            1e-12);
    json_decref(doc);
    ck_assert(cu_exists(cu_path_in(dir, "out/fit_km.gp")) && cu_exists(cu_path_in(dir, "out/fit_km_fitted.csv")) &&
              cu_exists(cu_path_in(dir, "out/fit_censored.csv")));
}
END_TEST

/* The shipped synthetic ledger (scripts/gen_ledger_synthetic.py): true
 * weibull(shape=1.4, scale=700) days, whole days rounded up, open bonds
 * censored at 2026-11-30. */
START_TEST(test_cli_ledger)
{
    const char *dir = cu_test_dir("ledger");
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", FZ_TEST_DIR "/data/ledger_synthetic.csv", "--posted", "Date Posted",
                       "--returned", "Date Returned", "--as-of", "11/30/2026", "-o", "out", "--no-plots");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    ck_assert_msg(strstr(r.out, "600 rows: 600 durations (359 ended, 241 censored: 40.2%)"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "case_duration_days = weibull(shape="), "%s", r.out);
    cu_run_free(&r);
    json_t *doc = cu_load_json(cu_path_in(dir, "out/summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(doc, "best")), "weibull");
    json_t *w = fit_of(doc, "weibull"), *par = json_object_get(w, "parameters"), *se = json_object_get(w, "standard_errors");
    const char *names[] = {"shape", "scale"};
    const double truth[] = {1.4, 700};
    for (int j = 0; j < 2; j++) {
        double v = json_real_value(json_object_get(par, names[j])), s = json_real_value(json_object_get(se, names[j]));
        ck_assert_msg(s > 0 && fabs(v - truth[j]) < 4 * s, "%s %g (se %g) vs %g", names[j], v, s, truth[j]);
    }
    json_decref(doc);
    /* the same ledger with ISO dates and the flag form agree: fit_km.csv starts at 600 at risk */
    char *km = cu_slurp(cu_path_in(dir, "out/fit_km.csv"), NULL);
    ck_assert_ptr_nonnull(km);
    ck_assert_msg(strstr(km, "\n0,600,0,0,1,,\n"), "%.200s", km);
    free(km);
}
END_TEST

/* Dates: ISO and M/D/YYYY mixed, a leap day, an open bond censored at --as-of.
 *   2024-02-28 -> 2024-03-01: 2 days (2024-02-29 exists); 1/31/2025 -> 2/3/2025: 3 days;
 *   2025-01-01 -> 2025-01-08: 7 days; 12/31/2024 open at 2025-02-10: 41 days, censored.
 *   Kaplan-Meier: S(2) = 3/4, S(3) = 3/4 * 2/3 = 1/2, S(7) = 1/2 * 1/2 = 1/4, S(41) = 1/4. */
START_TEST(test_cli_ledger_dates)
{
    const char *dir = cu_test_dir("dates");
    cu_write_file(cu_path_in(dir, "l.csv"), "Date Posted,Date Returned,Bail Status\n"
                                            "2024-02-28,2024-03-01,Returned\n"
                                            "1/31/2025,2/3/2025,Returned\n"
                                            "12/31/2024,,Open\n"
                                            ",,\n"
                                            "2025-01-01,2025-01-08,Returned\n");
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", "l.csv", "--posted", "Date Posted", "--returned", "Date Returned",
                       "--as-of", "2025-02-10", "-o", "out", "--no-plots");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    ck_assert_msg(strstr(r.out, "5 rows: 4 durations (3 ended, 1 censored: 25.0%), 1 empty rows left out"), "%s",
                  r.out);
    cu_run_free(&r);
    char *km = cu_slurp(cu_path_in(dir, "out/fit_km.csv"), NULL);
    ck_assert_ptr_nonnull(km);
    ck_assert_msg(strstr(km, "\n0,4,0,0,1,,\n2,4,1,0,0.75,") && strstr(km, "\n3,3,1,0,0.5,") &&
                      strstr(km, "\n7,2,1,0,0.25,") && strstr(km, "\n41,1,0,1,0.25,"),
                  "%s", km);
    free(km);
}
END_TEST

/* Wilson (1927), 7 of 20, z = 1.959964: p = 0.35, z^2 = 3.841459,
 *   centre = (p + z^2/(2n)) / (1 + z^2/n) = (0.35 + 0.0960365) / 1.1920729 = 0.3741688
 *   half = z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n)
 *        = 1.959964 * sqrt(0.011375 + 0.0024009) / 1.1920729
 *        = 1.959964 * 0.1173708 / 1.1920729 = 0.1929769
 *   interval [0.1811918, 0.5671457]; sweep step 0.05 (the largest of 1, 2 or
 *   5 times a power of ten below width/5 = 0.077), ends rounded outwards:
 *   0.15:0.6:0.05. */
START_TEST(test_cli_rate)
{
    run_result r;
    int st = CU_RUN(&r, "fit", "--rate", "7/20");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    ck_assert_msg(strstr(r.out, "proportion 0.3500, Wilson 95% interval [0.1812, 0.5671]"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "bond_grant_prob = 0.35\n"), "%s", r.out);
    ck_assert_msg(strstr(r.out, "--param region.NAME.bond_grant_prob=0.15:0.6:0.05\n"), "%s", r.out);
    cu_run_free(&r);
    st = CU_RUN(&r, "fit", "--rate", "7/20", "--json");
    ck_assert_int_eq(st, 0);
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_ptr_nonnull(doc);
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "wilson_ci95_lo")), 0.1811918, 1e-7);
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "wilson_ci95_hi")), 0.5671457, 1e-7);
    json_decref(doc);
    cu_run_free(&r);
}
END_TEST

static const struct {
    const char *csv, *args[8], *msg;
} bad_rows[] = {
    {"days,open\n3,0\n5,2\n", {"--column", "days", "--censored", "open"}, "d.csv:3: column 'open': '2': expected 1"},
    {"days,open\n3,0\n5,yes\n", {"--column", "days", "--censored", "open"}, "d.csv:3: column 'open': 'yes'"},
    {"days,open\n3,0\n5,\n", {"--column", "days", "--censored", "open"}, "d.csv:3: column 'open': '': expected 1"},
    {"days,open\n3,0\n-5,1\n", {"--column", "days", "--censored", "open"}, "d.csv:3: column 'days': -5 is negative"},
    {"days,open\n3,0\nabc,1\n", {"--column", "days", "--censored", "open"}, "d.csv:3: column 'days': 'abc' is not a"},
    {"days,open\n3,1\n5,1\n", {"--column", "days", "--censored", "open"}, "d.csv:2: all 2 durations are censored"},
    {"P,R\n2025-01-10,2025-01-05\n", {"--posted", "P", "--returned", "R"},
     "d.csv:2: returned 2025-01-05 before it was posted (2025-01-10)"},
    {"P,R\n2025-01-01,2025-01-05\n2025-02-30,2025-03-05\n", {"--posted", "P", "--returned", "R"},
     "d.csv:3: column 'P': '2025-02-30' is not a date"},
    {"P,R\n2025-01-01,2025-01-05\n1/2/2025,13/1/2025\n", {"--posted", "P", "--returned", "R"},
     "d.csv:3: column 'R': '13/1/2025' is not a date"},
    {"P,R\n2025-01-01,2025-01-05\n2025-1-2,2025-02-01\n", {"--posted", "P", "--returned", "R"},
     "d.csv:3: column 'P': '2025-1-2' is not a date"},
    {"P,R\n2025-01-01,2025-01-05\n2025-+1-02,2025-02-01\n", {"--posted", "P", "--returned", "R"},
     "d.csv:3: column 'P': '2025-+1-02' is not a date"},
    {"P,R\n2025-01-01,2025-01-05\n2/29/2025,3/1/2025\n", {"--posted", "P", "--returned", "R"},
     "d.csv:3: column 'P': '2/29/2025' is not a date"},
    {"P,R\n2025-01-01,\n2025-01-02,2025-02-01\n", {"--posted", "P", "--returned", "R"},
     "d.csv:2: column 'R' is empty (the bond is still out): give --as-of DATE"},
    {"P,R\n2025-01-01,\n2025-01-02,2025-02-01\n", {"--posted", "P", "--returned", "R", "--as-of", "2025-01-20"},
     "d.csv:3: column 'R': 2025-02-01 is after --as-of 2025-01-20"},
    {"P,R\n2025-01-01,2025-01-05\n", {"--posted", "P", "--returned", "R", "--as-of", "Nov 30"},
     "--as-of Nov 30: expected a date"},
};

START_TEST(test_cli_bad)
{
    const char *dir = cu_test_dir("bad");
    cu_write_file(cu_path_in(dir, "d.csv"), bad_rows[_i].csv);
    const char *args[16] = {"fit", "d.csv"};
    size_t k = 2;
    for (size_t j = 0; j < NELEM(bad_rows[_i].args) && bad_rows[_i].args[j]; j++)
        args[k++] = bad_rows[_i].args[j];
    args[k++] = "-o";
    args[k++] = "out";
    run_result r;
    int st = cu_run_v(&r, dir, 60, args);
    ck_assert_msg(st == 2, "row %d: exit %d", _i, st);
    ck_assert_msg(strstr(r.err, bad_rows[_i].msg), "row %d: %s", _i, r.err);
    ck_assert_msg(!cu_exists(cu_path_in(dir, "out")), "row %d: out written", _i);
    cu_run_free(&r);
}
END_TEST

/* The chart: drawn whole when gnuplot is on PATH, gnuplot silent. */
START_TEST(test_cli_chart)
{
    const char *dir = cu_test_dir("chart");
    cu_write_file(cu_path_in(dir, "d.csv"), km_csv);
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", "d.csv", "--column", "days", "--censored", "open", "-o", "out");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    int drawn = r.nerr == 0; /* without gnuplot: one warning line, no PNG */
    cu_run_free(&r);
    char *gp = cu_slurp(cu_path_in(dir, "out/fit_km.gp"), NULL);
    ck_assert_ptr_nonnull(gp);
    ck_assert(strstr(gp, "load 'theme.gp'") && strstr(gp, "'fit_km.csv'") && strstr(gp, "'fit_km_fitted.csv'") &&
              !strstr(gp, "@N@"));
    free(gp);
    if (!drawn)
        return;
    ck_assert(cu_exists(cu_path_in(dir, "out/fit_km.png")) && cu_exists(cu_path_in(dir, "out/fit_km.svg")));
    char *log = cu_slurp(cu_path_in(dir, "out/gnuplot.log"), NULL);
    ck_assert_msg(log && !strcasestr(log, "warning") && !strcasestr(log, "error"), "%s", log ? log : "no log");
    free(log);
    char *html = cu_slurp(cu_path_in(dir, "out/report.html"), NULL);
    ck_assert(html && strstr(html, "Kaplan-Meier"));
    free(html);
}
END_TEST

static void add_cli_tests(Suite *s)
{
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_cli_flag);
    tcase_add_test(tc, test_cli_ledger);
    tcase_add_test(tc, test_cli_ledger_dates);
    tcase_add_test(tc, test_cli_rate);
    tcase_add_test(tc, test_cli_chart);
    tcase_add_loop_test(tc, test_cli_bad, 0, NELEM(bad_rows));
    suite_add_tcase(s, tc);
}

Suite *make_fit_censored_suite(void)
{
    Suite *s = suite_create("fit_censored");
    TCase *tc = tcase_create("mle");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_exponential_closed_form);
    tcase_add_loop_test(tc, test_recover_censored, 0, NELEM(recover_cases));
    tcase_add_test(tc, test_no_censoring_equals_raw);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_km_hand);
    suite_add_tcase(s, tc);
    add_cli_tests(s);
    return s;
}

FZ_CHECK_MAIN(fit_censored)
