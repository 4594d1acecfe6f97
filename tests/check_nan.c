/* check_nan: no NaN reaches results (issue 10, item 3; item 8 messages).
 *
 *   - distributions whose derived parameters or moments are not finite in
 *     double precision (lognormal(mean=1e160, sd=1e160), gamma(mean=1,
 *     sd=1e-170), gamma(mean=1e200, sd=1e200), ...) are refused by dist_parse
 *     and by `fianza check` (rows of tests/data/badinput.txt, run by
 *     check_badinput) and by `simulate` with exit 2, a message naming
 *     file:line, key and the cause, and no results directory;
 *   - the truncated gamma(shape=1e-8, scale=1e10, min=1) puts the right
 *     share of its draws below 2,219 (34%; GSL's Qinv never went there);
 *   - json_guard: a non-finite number becomes a marker that json_guard_check
 *     refuses naming its key path, and summary_write_json then writes nothing;
 *   - a mixture without ';' between its components says so;
 *   - fit prints a standard error of ~4e298 as 3.8e+298, not 31 digits, and
 *     fit.csv has empty cells, never "nan". */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "dist.h"
#include "json_guard.h"
#include "outdir.h"
#include "summary.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))

static void parse_fails(const char *text, const char *want)
{
    dist *d = NULL;
    fz_error err = {0};
    int rc = dist_parse(&d, text, NULL, &err);
    ck_assert_msg(rc == FZ_EINPUT, "dist_parse(\"%s\") gave %d, expected FZ_EINPUT", text, rc);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(err.msg, want), "dist_parse(\"%s\"): message '%s' lacks '%s'", text, err.msg, want);
}

/* ---- parse-time validation ---- */

/* The refused strings (lognormal(mean=1e160, sd=1e160), gamma(mean=1,
 * sd=1e-170), gamma(mean=1e200, sd=1e200) and their neighbours) are rows of
 * the bad-input catalogue tests/data/badinput.txt, each run through `fianza
 * check` and, by its `dist_parse:` line, through dist_parse (check_badinput). */

/* Where the textbook conversion over- or underflows but the distribution is
 * representable, the ratio sd/mean gives it. */
START_TEST(test_parse_accepts_extreme_but_finite)
{
    static const struct {
        const char *text;
        double mean, sd;
    } ok[] = {
        {"gamma(mean=1e-200, sd=1e-200)", 1e-200, 1e-200},     /* mean^2 underflows */
        {"gamma(mean=1, sd=1e-150)", 1, 1e-150},               /* shape 1e300 */
        {"lognormal(mean=1e-200, sd=2e-200)", 1e-200, 2e-200}, /* sd^2/mean^2 = 0/0 */
        {"gamma(mean=1e150, sd=1e150)", 1e150, 1e150},         /* E[X^2] = 2e300 */
        {"gamma(shape=1e-8, scale=1e10, min=1)", NAN, NAN},
    };
    for (size_t i = 0; i < NELEM(ok); i++) {
        dist *d = NULL;
        fz_error err = {0};
        ck_assert_msg(dist_parse(&d, ok[i].text, NULL, &err) == 0, "%s: %s", ok[i].text, err.msg);
        double m, v;
        ck_assert_int_eq(dist_mean(d, &m, &err), 0);
        ck_assert_int_eq(dist_variance(d, &v, &err), 0);
        ck_assert(isfinite(m) && isfinite(v) && v >= 0);
        if (!isnan(ok[i].mean)) {
            ck_assert_msg(fabs(m / ok[i].mean - 1) < 1e-9, "%s: mean %g", ok[i].text, m);
            if (ok[i].sd > 1e-150 && ok[i].sd > 1e-100 * ok[i].mean) /* var = m2 - m1^2: underflow, cancellation */
                ck_assert_msg(fabs(sqrt(v) / ok[i].sd - 1) < 1e-6, "%s: sd %g", ok[i].text, sqrt(v));
        }
        dist_free(d);
    }
}
END_TEST

/* The scenario layer names file, line and key; check exits 2; simulate
 * writes no results directory. */
START_TEST(test_cli_rejects)
{
    static const char *const bonds[] = {"lognormal(mean=1e160, sd=1e160)", "gamma(mean=1, sd=1e-170)",
                                        "gamma(mean=1e200, sd=1e200)"};
    const char *dir = cu_test_dir("cli");
    char text[1024];
    snprintf(text, sizeof text,
             "[fund]\nbudget_usd = 300000\nhorizon_days = 90\n"
             "[simulation]\nreplications = 20\nseed = 1\n"
             "[region.a]\nlabel = A\ninitial_detained = 50\narrivals_per_day = 1\n"
             "bond_grant_prob = 0.5\nbond_usd = %s\n" /* line 12 */
             "hearing_delay_days = fixed(10)\n",
             bonds[_i]);
    const char *ini = cu_path_in(dir, "s.ini");
    cu_write_file(ini, text);
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "check", "s.ini"), 2);
    ck_assert_msg(strstr(r.err, "s.ini:12: bond_usd: "), "stderr: %s", r.err);
    ck_assert_msg(strstr(r.err, "finite"), "stderr: %s", r.err);
    ck_assert_uint_eq(r.nout, 0);
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "simulate", "s.ini", "--allocation", "a=300000", "-o", "out"), 2);
    ck_assert_msg(strstr(r.err, "s.ini:12: bond_usd: "), "stderr: %s", r.err);
    ck_assert(!cu_exists(cu_path_in(dir, "out")));
    ck_assert_int_eq(cu_count_prefixed(dir, "out"), 0);
    cu_run_free(&r);
}
END_TEST

/* ---- truncated gamma at an extreme shape ----
 * For shape k = 1e-8 the density is ~ k e^(-x/theta) / x, so given X >= 1,
 * P(X <= 2219) = (S(1) - S(2219)) / S(1) = 0.3432 (S = gsl_cdf_gamma_Q, which
 * stays accurate here: it matches k E1(x/theta) to 1e-8).  The share of N
 * draws at or below each cut must be within 4 binomial standard errors
 * sqrt(p (1 - p) / N) of its probability. */
START_TEST(test_gamma_extreme_truncated)
{
    const double k = 1e-8, theta = 1e10, lo = 1;
    const double cuts[] = {2, 100, 2219, 1e6, 1e9, 3e10};
    enum { N = 20000, NC = 6 };
    dist *d = NULL;
    fz_error err = {0};
    ck_assert_int_eq(dist_parse(&d, "gamma(shape=1e-8, scale=1e10, min=1)", NULL, &err), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20251218);
    size_t below[NC] = {0};
    double min = INFINITY;
    for (int i = 0; i < N; i++) {
        double x = dist_sample(d, r);
        ck_assert_msg(x >= lo && isfinite(x), "draw %g outside [1, inf)", x);
        min = fmin(min, x);
        for (int c = 0; c < NC; c++)
            below[c] += x <= cuts[c];
    }
    double s_lo = gsl_cdf_gamma_Q(lo, k, theta);
    for (int c = 0; c < NC; c++) {
        double p = (s_lo - gsl_cdf_gamma_Q(cuts[c], k, theta)) / s_lo, se = sqrt(p * (1 - p) / N);
        double phat = (double)below[c] / N;
        ck_assert_msg(fabs(phat - p) <= 4 * se, "P(X <= %g): %.4f drawn, %.4f expected (4 SE = %.4f)", cuts[c], phat, p,
                      4 * se);
    }
    /* the numbers: about 34% of the mass in [1, 2219] */
    double p2219 = (s_lo - gsl_cdf_gamma_Q(2219, k, theta)) / s_lo;
    ck_assert(p2219 > 0.33 && p2219 < 0.36);
    ck_assert(min < 2);
    /* the cdf agrees with the draws' law at the cut */
    ck_assert(fabs(dist_cdf(d, 2219) - p2219) < 1e-9);
    gsl_rng_free(r);
    dist_free(d);
}
END_TEST

/* An ordinary truncated gamma sampled by inversion still gives exactly what
 * GSL's inverse gives (the fallback only replaces inverses that miss). */
START_TEST(test_gamma_inverse_unchanged)
{
    dist *d = NULL;
    fz_error err = {0};
    ck_assert_int_eq(dist_parse(&d, "gamma(shape=3, scale=2, min=20)", NULL, &err), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    gsl_rng_set(r2, 7);
    double sf_lo = gsl_cdf_gamma_Q(20, 3, 2);
    for (int i = 0; i < 1000; i++) {
        double x = dist_sample_inverse(d, r);
        double u = gsl_rng_uniform_pos(r2);
        double want = gsl_cdf_gamma_Qinv(0 + u * (sf_lo - 0), 3, 2);
        ck_assert_msg(x == (want < 20 ? 20 : want), "draw %d: %.17g, GSL %.17g", i, x, want);
    }
    gsl_rng_free(r);
    gsl_rng_free(r2);
    dist_free(d);
}
END_TEST

/* ---- json_guard ---- */

START_TEST(test_json_guard)
{
    fz_error err = {0};
    json_t *doc = json_pack("{s:o, s:{s:o, s:[o, o]}}", "budget_usd", json_guard_num(300000), "releases", "sd",
                            json_guard_num(2.5), "ci95", json_guard_num(1), json_guard_num(2));
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(json_guard_check(doc, "summary.json", &err), 0);

    /* a NaN does not vanish: it is a marker, refused with its key path */
    json_object_set_new(json_object_get(doc, "releases"), "sd", json_guard_num(NAN));
    ck_assert_int_eq(json_guard_check(doc, "summary.json", &err), FZ_ERUNTIME);
    ck_assert_msg(strstr(err.msg, "summary.json: releases.sd is not a finite number (nan)"), "%s", err.msg);

    /* infinity inside an array */
    json_object_set_new(json_object_get(doc, "releases"), "sd", json_guard_num(1));
    json_array_set_new(json_object_get(json_object_get(doc, "releases"), "ci95"), 1, json_guard_num(-INFINITY));
    ck_assert_int_eq(json_guard_check(doc, "summary.json", &err), FZ_ERUNTIME);
    ck_assert_msg(strstr(err.msg, "releases.ci95[1] is not a finite number (-inf)"), "%s", err.msg);

    /* documented undefined values are null, and pass */
    json_array_set_new(json_object_get(json_object_get(doc, "releases"), "ci95"), 1, json_guard_num_or_null(NAN));
    ck_assert(json_is_null(json_array_get(json_object_get(json_object_get(doc, "releases"), "ci95"), 1)));
    ck_assert_int_eq(json_guard_check(doc, "summary.json", &err), 0);

    /* a document that could not be built (json_pack refused a NaN) */
    json_t *bad = json_pack("{s:f}", "x", NAN);
    ck_assert_ptr_null(bad);
    ck_assert_int_eq(json_guard_check(bad, "summary.json", &err), FZ_ERUNTIME);
    json_decref(doc);
}
END_TEST

/* summary_write_json runs the guard: nothing is written, the error names the key. */
START_TEST(test_report_write_refuses_nan)
{
    const char *dir = cu_test_dir("write");
    const char *out = cu_path_in(dir, "res");
    outdir *o = NULL;
    fz_error err = {0};
    ck_assert_int_eq(outdir_begin(&o, out, NULL, 0, &err), 0);
    json_t *doc = json_pack("{s:{s:o}}", "spent_usd", "mean", json_guard_num(NAN));
    ck_assert_int_eq(summary_write_json(o, "summary.json", doc, &err), FZ_ERUNTIME);
    ck_assert_msg(strstr(err.msg, "summary.json: spent_usd.mean is not a finite number"), "%s", err.msg);
    outdir_abort(o);
    json_decref(doc);
    ck_assert(!cu_exists(out));
    ck_assert_int_eq(cu_count_prefixed(dir, "res"), 0);
}
END_TEST

/* ---- item 8: a mixture without ';' ---- */

START_TEST(test_mixture_missing_semicolon)
{
    parse_fails("mixture(1: fixed(1) 1: fixed(2))",
                "mixture(...): 'fixed(1)' is followed by '1: fixed(2)': separate the components of a mixture with ';'");
    parse_fails("fixed(1) fixed(2)", "'fixed(1)' is followed by unexpected text 'fixed(2)'");
    parse_fails("normal(mean=0, sd=1))", "unbalanced brackets");
}
END_TEST

/* ---- item 8: fit prints a huge standard error with significant digits ----
 * Values near 5e299: the standard errors are near 4e298, which "%.0f" printed
 * as a 31-digit integer cut off by its buffer.  No run of 16 or more digits
 * may appear, and fit.csv holds no "nan" (an undefined cell is empty). */
START_TEST(test_fit_huge_se)
{
    const char *dir = cu_test_dir("fit");
    char text[4096] = "x\n";
    for (int i = 1; i <= 50; i++) {
        double frac = fmod(i * 0.6180339887498949, 1.0);
        snprintf(text + strlen(text), sizeof text - strlen(text), "%.6g\n", (1 + 8 * frac) * 1e299);
    }
    cu_write_file(cu_path_in(dir, "big.csv"), text);
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 60, "fit", "big.csv", "--column", "x", "-o", "out", "--no-plots"), 0);
    int run = 0, longest = 0;
    for (const char *p = r.out; *p; p++) {
        run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    ck_assert_msg(longest < 16, "a %d-digit number in:\n%s", longest, r.out);
    ck_assert_msg(strstr(r.out, "e+29"), "no standard error in %%g form:\n%s", r.out);
    ck_assert_msg(!strstr(r.out, "nan"), "stdout: %s", r.out);
    char *csv = cu_slurp(cu_path_in(dir, "out/fit.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_msg(!strstr(csv, "nan"), "fit.csv: %s", csv);
    free(csv);
    cu_run_free(&r);
}
END_TEST

static Suite *make_nan_suite(void)
{
    Suite *s = suite_create("nan");
    TCase *tc = tcase_create("dist");
    tcase_add_test(tc, test_parse_accepts_extreme_but_finite);
    tcase_add_test(tc, test_gamma_extreme_truncated);
    tcase_add_test(tc, test_gamma_inverse_unchanged);
    tcase_add_test(tc, test_mixture_missing_semicolon);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    TCase *cli = tcase_create("cli");
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_add_loop_test(cli, test_cli_rejects, 0, 3);
    tcase_add_test(cli, test_json_guard);
    tcase_add_test(cli, test_report_write_refuses_nan);
    tcase_add_test(cli, test_fit_huge_se);
    tcase_set_timeout(cli, 120);
    suite_add_tcase(s, cli);
    return s;
}

FZ_CHECK_MAIN(nan)
