/* check_fit_binned: maximum likelihood on binned counts (models/fit_binned.c),
 * `fianza fit --bins` (sim/cli/cmd_fit_binned*.c) and the TRAC presets.
 *
 *   - closed form: the exponential on equal-width bins [k w, (k+1) w),
 *     k = 0..K-2, and an open top bin [(K-1) w, inf).  With p = e^(-w/mean),
 *     P(bin k) = p^k (1 - p) for k < K-1 and P(top) = p^(K-1), so
 *       l(p) = S log p + M log(1 - p),  S = sum_k k n_k (every bin, the top
 *       one with k = K-1),  M = sum_{k<K-1} n_k (the closed bins),
 *     dl/dp = S/p - M/(1 - p) = 0 gives p = S / (S + M) and
 *     mean = -w / log p, and -d2l/dp2 = S/p^2 + M/(1-p)^2 its information,
 *     so SE(mean) = |d mean/dp| / sqrt(info), d mean/dp = w / (p log^2 p).
 *     Truncated below at the first edge a, the same holds with edges a + k w
 *     (memorylessness: X - a given X > a is the same exponential);
 *   - chi-square: on a table built so that the last four cells expect < 5
 *     (grouped into the last group) the statistic, groups and df equal a hand
 *     computation from the closed-form fit;
 *   - simulated lognormal bins (n = 2,000, GSL's MT19937, fixed seed):
 *     parameters within 4 SE, truncated at 1,500 too; an independent grid
 *     search of the log-likelihood written here with gsl_cdf_ugaussian_P
 *     finds the same maximum within one grid step; 200 refits: the SD of the
 *     estimates against the mean reported SE, and the mean chi-square
 *     against its df;
 *   - the command on TRAC report 519's FY2018 bins (tests/data, copied from
 *     /work/shared/data with its attribution in tests/data/SOURCE.md), the
 *     counts path, and its refusals;
 *   - the presets scenarios/trac-*.ini: `check` passes and the median of each
 *     one's bond distribution lies in the FY2018 bin holding the published
 *     median of its period. */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "dist.h"
#include "fit.h"
#include "scenario.h"

#define TRAC FZ_TEST_DIR "/data/trac519_bond_amount_bins_fy2018.csv"
#define SCEN FZ_TEST_DIR "/../scenarios/"

static fit_options range(double lo, double hi)
{
    fit_options o;
    fit_options_init(&o);
    o.lo = lo;
    o.hi = hi;
    return o;
}

static void fit_one(fit_binned *out, fit_family fam, const fit_bin *b, size_t n, double lo)
{
    fit_options o = range(lo, INFINITY);
    fz_error err = {0, ""};
    ck_assert_msg(fit_binned_family(out, fam, b, n, &o, &err) == 0, "%s", err.msg);
    ck_assert_msg(out->fit.ok && out->fit.converged, "%s: %s", fit_family_name(fam), out->fit.reason);
}

/* ---- the exponential's closed form ---- */

static void exponential_case(double a, double w)
{
    const double n[] = {400, 250, 160, 90, 60, 40};
    enum { K = 6 };
    fit_bin b[K];
    double S = 0, M = 0;
    for (int k = 0; k < K; k++) {
        b[k] = (fit_bin){a + k * w, k + 1 < K ? a + (k + 1) * w : INFINITY, n[k]};
        S += k * n[k];
        M += k + 1 < K ? n[k] : 0;
    }
    double p = S / (S + M), mean = -w / log(p);
    double info = S / (p * p) + M / ((1 - p) * (1 - p)), se = w / (p * log(p) * log(p)) / sqrt(info);
    fit_binned r;
    fit_one(&r, DIST_EXPONENTIAL, b, K, a);
    ck_assert_msg(fabs(r.fit.param[0] / mean - 1) < 1e-6, "a = %g: mean %.10g, closed form %.10g", a,
                  r.fit.param[0], mean);
    ck_assert_msg(fabs(r.fit.se[0] / se - 1) < 1e-4, "a = %g: SE %.8g, closed form %.8g", a, r.fit.se[0], se);
    double ll = S * log(p) + M * log(1 - p);
    ck_assert_msg(fabs(r.fit.loglik - ll) < 1e-6 * fabs(ll), "log-lik %.10g, closed form %.10g", r.fit.loglik, ll);
    ck_assert_double_eq_tol(r.fit.aic, 2 - 2 * ll, 1e-5);
    ck_assert_double_eq_tol(r.fit.bic, log(1000.0) - 2 * ll, 1e-5);
    ck_assert_int_eq(r.chi2_groups, K); /* every cell expects >= 5 */
    ck_assert_int_eq(r.chi2_df, K - 1 - 1);
}

START_TEST(test_exponential_closed_form)
{
    exponential_case(0, 1000);
    exponential_case(1500, 1000); /* truncated at the first edge */
    exponential_case(0, 3.5);
}
END_TEST

/* Counts {600, 250, 100, 35, 10, 3, 1, 1, 0, 0} on [k, k+1), top open at 9:
 * S = 623, M = 1000, p = 623/1623, expected 1000 (1-p) p^k = 616, 236, 91,
 * 35, 13, 5.1, 2.0, 0.76, 0.29 and 1000 p^9 = 0.18 for the top: the last four
 * (3.2 together) join the sixth group, so 6 groups, df = 6 - 1 - 1 = 4. */
START_TEST(test_chi_square_grouping)
{
    const double n[] = {600, 250, 100, 35, 10, 3, 1, 1, 0, 0};
    enum { K = 10 };
    fit_bin b[K];
    for (int k = 0; k < K; k++)
        b[k] = (fit_bin){k, k + 1 < K ? k + 1 : INFINITY, n[k]};
    double p = 623.0 / 1623, e[K], x2 = 0;
    for (int k = 0; k < K; k++)
        e[k] = 1000 * (k + 1 < K ? (1 - p) * pow(p, k) : pow(p, k));
    for (int k = 0; k < 5; k++)
        x2 += (n[k] - e[k]) * (n[k] - e[k]) / e[k];
    double o6 = 0, e6 = 0;
    for (int k = 5; k < K; k++)
        o6 += n[k], e6 += e[k];
    ck_assert(e[5] >= 5 && e[6] + e[7] + e[8] + e[9] < 5);
    x2 += (o6 - e6) * (o6 - e6) / e6;
    fit_binned r;
    fit_one(&r, DIST_EXPONENTIAL, b, K, 0);
    ck_assert_int_eq(r.chi2_groups, 6);
    ck_assert_int_eq(r.chi2_df, 4);
    ck_assert_msg(fabs(r.chi2 / x2 - 1) < 1e-6, "chi2 %.10g, by hand %.10g", r.chi2, x2);
    ck_assert_double_eq_tol(r.chi2_p, gsl_cdf_chisq_Q(x2, 4), 1e-6);
}
END_TEST

/* ---- simulated lognormal bins ---- */

#define MEDIAN 8000.0
#define SIGMA 0.7

/* n draws of lognormal(MEDIAN, SIGMA) at least lo, binned on [lo, 2000),
 * then width 1000 up to 25000, then [25000, inf) (lo = 0 or 1500): 25 bins,
 * every one expecting >= 5 at n = 2,000. */
static size_t simulate(fit_bin *b, gsl_rng *g, size_t n, double lo)
{
    size_t nb = 0;
    b[nb++] = (fit_bin){lo, 2000, 0};
    for (double e = 2000; e < 25000; e += 1000)
        b[nb++] = (fit_bin){e, e + 1000, 0};
    b[nb++] = (fit_bin){25000, INFINITY, 0};
    for (size_t i = 0; i < n;) {
        double x = gsl_ran_lognormal(g, log(MEDIAN), SIGMA);
        if (x < lo)
            continue;
        size_t k = x < 2000 ? 0 : x >= 25000 ? nb - 1 : 1 + (size_t)((x - 2000) / 1000);
        b[k].count++;
        i++;
    }
    return nb;
}

/* The log-likelihood written independently of fianza's families. */
static double lognormal_ll(const fit_bin *b, size_t nb, double mu, double s, double lo)
{
    double ll = 0, total = 0;
    for (size_t j = 0; j < nb; j++) {
        double za = b[j].lo > 0 ? (log(b[j].lo) - mu) / s : -INFINITY;
        double zb = isfinite(b[j].hi) ? (log(b[j].hi) - mu) / s : INFINITY;
        if (b[j].count > 0)
            ll += b[j].count * log(gsl_cdf_ugaussian_P(zb) - gsl_cdf_ugaussian_P(za));
        total += b[j].count;
    }
    return ll - total * (lo > 0 ? log(gsl_cdf_ugaussian_Q((log(lo) - mu) / s)) : 0);
}

START_TEST(test_lognormal_recovery_and_grid)
{
    const double lo = _i ? 1500 : 0;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20251218 + (unsigned long)_i);
    fit_bin b[32];
    size_t nb = simulate(b, g, 2000, lo);
    gsl_rng_free(g);
    fit_binned r;
    fit_one(&r, DIST_LOGNORMAL, b, nb, lo);
    const double truth[2] = {MEDIAN, SIGMA};
    for (int j = 0; j < 2; j++) {
        double z = (r.fit.param[j] - truth[j]) / r.fit.se[j];
        ck_assert_msg(fabs(z) <= 4, "lo %g: %s = %g (SE %g): %.2f SE from %g", lo, r.fit.names[j], r.fit.param[j],
                      r.fit.se[j], z, truth[j]);
    }
    ck_assert_int_eq(r.chi2_groups, 25);
    ck_assert_int_eq(r.chi2_df, 22);
    ck_assert_msg(r.chi2_p > 0.001, "chi2 %g on 22 df: p %g for the true family", r.chi2, r.chi2_p);
    /* grid: mu +- 0.05 (about 3 SE), sigma +- 5%, steps of 0.0005 and 0.05% */
    double mu0 = log(r.fit.param[0]), s0 = r.fit.param[1], best = -INFINITY, bm = 0, bs = 0;
    const double hm = 0.0005, hs = 0.0005 * s0;
    for (int i = -100; i <= 100; i++)
        for (int k = -100; k <= 100; k++) {
            double mu = mu0 + i * hm, s = s0 + k * hs, ll = lognormal_ll(b, nb, mu, s, lo);
            if (ll > best)
                best = ll, bm = mu, bs = s;
        }
    ck_assert_msg(fabs(bm - mu0) <= hm && fabs(bs - s0) <= hs, "grid maximum at mu %g sigma %g, fit %g %g", bm, bs,
                  mu0, s0);
    double at_fit = lognormal_ll(b, nb, mu0, s0, lo);
    ck_assert_msg(at_fit >= best - 1e-6, "log-lik at the fit %.10g, grid maximum %.10g", at_fit, best);
    ck_assert_msg(fabs(at_fit - r.fit.loglik) < 1e-6 * fabs(at_fit), "fianza's log-lik %.10g, independent %.10g",
                  r.fit.loglik, at_fit);
}
END_TEST

/* 200 refits.  The SD of R = 200 near-normal estimates has a relative
 * sampling error of 1/sqrt(2 (R - 1)) = 5.0%; the mean reported SE varies far
 * less; so mean SE / SD within 20% is 4 sampling SDs (a wrong factor such as
 * sqrt 2 or a Hessian per observation is far outside).  X^2 on cells all
 * expecting >= 5, with the MLE from those same cells, tends to chi2(22)
 * (Cramér 1946, §30.3): its mean over 200 fits has SD sqrt(2 * 22 / 200) =
 * 0.47, so within 2 of 22 (4.3 SDs). */
START_TEST(test_se_monte_carlo)
{
    enum { R = 200 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 777);
    double est[2][R], se_sum[2] = {0, 0}, x2 = 0;
    for (int k = 0; k < R; k++) {
        fit_bin b[32];
        size_t nb = simulate(b, g, 2000, 0);
        fit_binned r;
        fit_one(&r, DIST_LOGNORMAL, b, nb, 0);
        est[0][k] = log(r.fit.param[0]); /* mu, whose SE is SE(median) / median */
        est[1][k] = r.fit.param[1];
        se_sum[0] += r.fit.se[0] / r.fit.param[0];
        se_sum[1] += r.fit.se[1];
        x2 += r.chi2 / R;
        ck_assert_int_eq(r.chi2_df, 22);
    }
    gsl_rng_free(g);
    for (int j = 0; j < 2; j++) {
        double ratio = se_sum[j] / R / gsl_stats_sd(est[j], 1, R);
        ck_assert_msg(fabs(ratio - 1) < 0.2, "parameter %d: mean reported SE / SD of 200 refits = %.3f", j, ratio);
    }
    ck_assert_msg(fabs(x2 - 22) < 2, "mean chi-square of 200 fits %.3f, df 22", x2);
}
END_TEST

START_TEST(test_library_refusals)
{
    fit_options o = range(0, INFINITY);
    fit_binned r;
    fz_error err = {0, ""};
    const fit_bin unsorted[] = {{10, 20, 5}, {0, 10, 5}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, unsorted, 2, &o, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "sort the bins"));
    const fit_bin overlap[] = {{0, 15, 5}, {10, 20, 5}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, overlap, 2, &o, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "overlaps"));
    const fit_bin negative[] = {{0, 10, 5}, {10, 20, -1}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, negative, 2, &o, &err), FZ_EINPUT);
    const fit_bin point[] = {{0, 0, 5}, {10, 20, 5}, {20, 30, 5}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, point, 3, &o, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "zero width"));
    const fit_bin one[] = {{0, 10, 5}, {10, 20, 0}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, one, 2, &o, &err), FZ_EINPUT);
    fit_options t = range(5, INFINITY);
    const fit_bin below[] = {{0, 10, 5}, {10, 20, 5}};
    ck_assert_int_eq(fit_binned_family(&r, DIST_LOGNORMAL, below, 2, &t, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not inside"));
}
END_TEST

/* ---- the command ---- */

static json_t *run_trac(const char *dir, run_result *rr)
{
    const char *out = cu_path_in(dir, "out");
    CU_RUN(rr, "fit", TRAC, "--bins", "bin_low_usd,bin_high_usd", "--share", "share_of_bond_grants", "--n", "23577",
           "--min", "1500", "--no-plots", "-o", out);
    ck_assert_msg(rr->status == 0, "exit %d: %s", rr->status, rr->err);
    return cu_load_json(cu_path_in(out, "summary.json"));
}

START_TEST(test_cli_trac)
{
    const char *dir = cu_test_dir("trac");
    run_result rr;
    json_t *j = run_trac(dir, &rr);
    ck_assert_str_eq(json_string_value(cu_json_at(j, "best")), "lognormal");
    ck_assert_str_eq(json_string_value(cu_json_at(j, "fits.0.family")), "lognormal");
    ck_assert_int_eq((int)cu_json_num(j, "bins_used"), 8);
    ck_assert_int_eq((int)cu_json_num(j, "left_out.point_masses"), 1);
    ck_assert_int_eq((int)cu_json_num(j, "fits.0.chi_square.df"), 5); /* 8 bins - 1 - 2 */
    ck_assert(json_is_true(cu_json_at(j, "standard_errors_depend_on_n")));
    /* the published median (USD 7,500) is the lower edge of its bin [7500, 10000) */
    double med = cu_json_num(j, "fits.0.fitted_median");
    ck_assert_msg(med >= 7500 && med < 10000, "fitted median %g outside [7500, 10000)", med);
    ck_assert_double_eq(cu_json_num(j, "observed_median_bin.low"), 7500);
    ck_assert_double_eq_tol(cu_json_num(j, "total_count"), 23577 * 0.99, 1e-6);
    ck_assert_ptr_nonnull(strstr(json_string_value(cu_json_at(j, "scenario_line")), "bond_usd = lognormal(median="));
    ck_assert_ptr_nonnull(strstr(rr.out, "standard errors and the chi-square test take N = 23577"));
    char row[64];
    snprintf(row, sizeof row, "%-26s *", "[7500, 10000)"); /* the median's bin, marked */
    ck_assert_ptr_nonnull(strstr(rr.out, row));
    char *csv = cu_slurp(cu_path_in(dir, "out/fit_bins.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_uint_eq(cu_count_lines(csv), 1 + 5 * 8); /* header, 5 families x 8 bins */
    ck_assert_ptr_nonnull(strstr(csv, "\n1,lognormal,8,25000+,10,25000,,"));
    ck_assert(cu_exists(cu_path_in(dir, "out/fit_bins.gp")));
    char *html = cu_slurp(cu_path_in(dir, "out/report.html"), NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "fianza fit (binned table)"));
    ck_assert_ptr_nonnull(strstr(html, "N = 23,577 given with --n"));
    ck_assert_ptr_null(strstr(html, "nan"));
    free(html);
    free(csv);
    json_decref(j);
    cu_run_free(&rr);
}
END_TEST

/* The same table as counts gives the same fit as shares x N. */
START_TEST(test_cli_counts)
{
    const char *dir = cu_test_dir("counts");
    const char *csv = cu_path_in(dir, "c.csv");
    cu_write_file(csv, "lo,hi,n\n1500,2499,1249.581\n2500,4999,3300.78\n5000,7499,5493.441\n7500,9999,4196.706\n"
                       "10000,12499,4008.09\n12500,17499,2546.316\n17500,24999,1461.774\n25000,,1084.542\n");
    run_result rr, r2;
    CU_RUN(&rr, "fit", csv, "--bins", "lo,hi", "--count", "n", "--min", "1500", "--no-plots", "-o",
           cu_path_in(dir, "out"));
    ck_assert_msg(rr.status == 0, "%s", rr.err);
    json_t *a = cu_load_json(cu_path_in(dir, "out/summary.json")), *b = run_trac(dir, &r2);
    ck_assert_double_eq_tol(cu_json_num(a, "fits.0.parameters.median"), cu_json_num(b, "fits.0.parameters.median"),
                            1e-3);
    ck_assert_double_eq_tol(cu_json_num(a, "fits.0.parameters.sigma"), cu_json_num(b, "fits.0.parameters.sigma"),
                            1e-7);
    ck_assert(json_is_false(cu_json_at(a, "standard_errors_depend_on_n")));
    ck_assert_ptr_null(strstr(rr.out, "take N ="));
    json_decref(a);
    json_decref(b);
    cu_run_free(&rr);
    cu_run_free(&r2);
}
END_TEST

START_TEST(test_cli_refusals)
{
    const char *dir = cu_test_dir("bad");
    run_result rr;
    CU_RUN(&rr, "fit", TRAC, "--bins", "bin_low_usd,bin_high_usd", "--share", "share_of_bond_grants", "-o",
           cu_path_in(dir, "out"));
    ck_assert_int_eq(rr.status, 2);
    ck_assert_ptr_nonnull(strstr(rr.err, "--share share_of_bond_grants: expected --n N"));
    ck_assert(!cu_exists(cu_path_in(dir, "out")));
    cu_run_free(&rr);
    CU_RUN(&rr, "fit", TRAC, "--bins", "bin_low_usd,bin_high_usd", "--share", "share_of_bond_grants", "--n", "100",
           "--min", "2000", "-o", cu_path_in(dir, "out"));
    ck_assert_int_eq(rr.status, 2);
    ck_assert_ptr_nonnull(strstr(rr.err, "trac519_bond_amount_bins_fy2018.csv:3: bin [1500, 2500] straddles --min"));
    cu_run_free(&rr);
}
END_TEST

/* ---- the presets ---- */

static const struct {
    const char *file;
    double lo, hi; /* the FY2018 bin holding the period's published median */
    double median; /* the median the preset was built to have (0: a fit, only the bin) */
} presets[] = {
    {"trac-fy2018.ini", 7500, 10000, 0},     /* USD 7,500 (TRAC, FY2018); the binned fit gives 8,137 */
    {"trac-jan2025.ini", 5000, 7500, 6500},  /* USD 6,500 (TRAC, Jan 2025) */
    {"trac-jun2025.ini", 2500, 5000, 3500},  /* USD 3,500 (TRAC, Jun 2025) */
};

START_TEST(test_preset)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", SCEN, presets[_i].file);
    run_result rr;
    CU_RUN(&rr, "check", path);
    ck_assert_msg(rr.status == 0, "%s: check exit %d: %s", path, rr.status, rr.err);
    cu_run_free(&rr);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s", err.msg);
    for (size_t c = 0; c < s->nregions; c++) {
        const dist *d = s->regions[c].bond_usd;
        double flo = dist_cdf(d, presets[_i].lo), fhi = dist_cdf(d, presets[_i].hi);
        ck_assert_msg(flo < 0.5 && fhi >= 0.5, "%s, region %s: F(%g) = %g, F(%g) = %g: the median is not in the bin",
                      path, s->regions[c].name, presets[_i].lo, flo, presets[_i].hi, fhi);
        double a = presets[_i].lo, b = presets[_i].hi; /* the median itself, by bisection */
        for (int k = 0; k < 60; k++)
            *(dist_cdf(d, 0.5 * (a + b)) < 0.5 ? &a : &b) = 0.5 * (a + b);
        if (presets[_i].median > 0)
            ck_assert_msg(fabs(a / presets[_i].median - 1) < 0.001, "%s: median %g, published %g", path, a,
                          presets[_i].median);
    }
    scenario_free(s);
}
END_TEST

Suite *make_fit_binned_suite(void)
{
    Suite *s = suite_create("fit_binned");
    TCase *tc = tcase_create("mle");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_exponential_closed_form);
    tcase_add_test(tc, test_chi_square_grouping);
    tcase_add_loop_test(tc, test_lognormal_recovery_and_grid, 0, 2);
    tcase_add_test(tc, test_se_monte_carlo);
    tcase_add_test(tc, test_library_refusals);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_cli_trac);
    tcase_add_test(tc, test_cli_counts);
    tcase_add_test(tc, test_cli_refusals);
    tcase_add_loop_test(tc, test_preset, 0, sizeof presets / sizeof *presets);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(fit_binned)
