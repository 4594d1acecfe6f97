/* check_fit: maximum-likelihood fits and goodness of fit (models/fit.c,
 * models/fit_gof.c) and the `fianza fit` command (sim/cli/cmd_fit.c).
 *
 *   - recovery: for each family, n = 20,000 draws of fianza's own sampler
 *     (dist_sample, rng stream keyed by a fixed seed) with known parameters
 *     are fitted back to within 4 reported standard errors, the reported
 *     SEs match the closed-form asymptotic ones (Fisher information at the
 *     truth) to 5%, a non-nested true family ranks first by AIC and the
 *     exponential (nested in gamma and Weibull) is within 2 AIC units;
 *   - truncation: draws of lognormal(median=2000, sigma=0.7, min=1500) fitted
 *     with the left-truncated likelihood recover median and sigma within 4 SE,
 *     while the naive (untruncated) fit misses both by more than 10 SE; the
 *     truncated fit's SEs match a Monte Carlo of 200 refits; also a two-sided
 *     Weibull and a right-truncated exponential;
 *   - known answers: KS D, its p-value and AD A^2 of small fixed samples
 *     against fixed distributions, by hand and by SciPy (provenance below);
 *   - the scenario line of a fit parses (dist_parse) to the same cdf;
 *   - families whose support excludes a value are skipped, not errors;
 *   - the command: ranked table, scenario line, messy CSVs; malformed CSVs
 *     exit 2 naming file:line (the shipped synthetic CSV and `fianza fit` on
 *     it: check_synthetic.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_psi.h>
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
#include "rng.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))
#define SEED 20251218

/* n draws of text with fianza's sampler on stream `stream` of SEED (malloc'd). */
static double *draw(const char *text, size_t n, uint64_t stream)
{
    dist *d = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(dist_parse(&d, text, NULL, &err) == 0, "%s: %s", text, err.msg);
    gsl_rng *r = rng_new();
    rng_seed(r, SEED, stream, 0, 0);
    double *x = malloc(n * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (size_t i = 0; i < n; i++)
        x[i] = dist_sample(d, r);
    gsl_rng_free(r);
    dist_free(d);
    return x;
}

static void assert_within(const fit_result *f, const double *truth, double k, const char *what)
{
    ck_assert_msg(f->ok && f->converged, "%s: %s not fitted (%s)", what, fit_family_name(f->family), f->reason);
    for (int j = 0; j < f->nparams; j++) {
        ck_assert_msg(isfinite(f->se[j]) && f->se[j] > 0, "%s: no standard error for %s", what, f->names[j]);
        double z = (f->param[j] - truth[j]) / f->se[j];
        ck_assert_msg(fabs(z) <= k, "%s: %s = %g (se %g), truth %g: %.2f standard errors away", what, f->names[j],
                      f->param[j], f->se[j], truth[j], z);
    }
}

/* ---- recovery of each family ---- */

/* The asymptotic standard errors sqrt(diag(I^-1) / n) of the untruncated MLE,
 * from the expected Fisher information at the TRUE parameters, so that the
 * "within 4 SE" below does not rest on SEs computed by the code under test:
 *   lognormal: SE(mu) = sigma/sqrt(n), SE(median = e^mu) = median sigma/sqrt(n)
 *              (delta method), SE(sigma) = sigma/sqrt(2n);
 *   normal:    SE(mean) = sd/sqrt(n), SE(sd) = sd/sqrt(2n);
 *   exponential: SE(mean) = mean/sqrt(n);
 *   gamma(k, theta): I = [[psi1(k), 1/theta], [1/theta, k/theta^2]], so
 *              Var(k) = k / (n (k psi1(k) - 1)), Var(theta) = theta^2 psi1(k) / (n (k psi1(k) - 1));
 *   Weibull(k, lambda): I = [[((1-g)^2 + pi^2/6)/k^2, -(1-g)/lambda], [., k^2/lambda^2]]
 *              (g Euler's constant), det = pi^2 / (6 lambda^2), so
 *              Var(k) = 6 k^2 / (pi^2 n), Var(lambda) = lambda^2 (1 + 6 (1-g)^2 / pi^2) / (k^2 n). */
static void closed_form_se(fit_family fam, const double *t, size_t n, double se[2])
{
    const double rn = sqrt((double)n), g = 0.57721566490153286;
    se[1] = 0;
    switch (fam) {
    case DIST_LOGNORMAL: se[0] = t[0] * t[1] / rn, se[1] = t[1] / sqrt(2.0 * n); break;
    case DIST_NORMAL: se[0] = t[1] / rn, se[1] = t[1] / sqrt(2.0 * n); break;
    case DIST_EXPONENTIAL: se[0] = t[0] / rn; break;
    case DIST_GAMMA: {
        double d = t[0] * gsl_sf_psi_1(t[0]) - 1;
        se[0] = sqrt(t[0] / (n * d)), se[1] = t[1] * sqrt(gsl_sf_psi_1(t[0]) / (n * d));
        break;
    }
    default: /* DIST_WEIBULL */
        se[0] = t[0] * sqrt(6 / (M_PI * M_PI * n));
        se[1] = t[1] / t[0] * sqrt((1 + 6 * (1 - g) * (1 - g) / (M_PI * M_PI)) / n);
        break;
    }
}

/* The reported SE against the closed form.  The reported one is evaluated at
 * the estimate (and, for gamma and Weibull, from the observed information),
 * the closed form at the truth; with the estimate within 4 SE (relative error
 * < 4 * 0.6% for these n = 20,000 cases) and observed/expected information
 * differing by O(1/sqrt(n)) = 0.7% times a small constant, the two agree to
 * well within 5%.  A wrong factor (sqrt 2, n vs n-1 is too small to see, a
 * missing delta-method factor, a Hessian of the wrong sign) is far outside. */
static void assert_se_closed_form(const fit_result *f, const double *truth, size_t n, const char *what)
{
    double want[2];
    closed_form_se(f->family, truth, n, want);
    for (int j = 0; j < f->nparams; j++)
        ck_assert_msg(fabs(f->se[j] / want[j] - 1) < 0.05, "%s: reported SE(%s) = %g, closed form %g", what,
                      f->names[j], f->se[j], want[j]);
}

static const struct {
    const char *text;
    fit_family fam;
    double truth[2]; /* as reported: median/sigma, shape/scale, mean, mean/sd */
} families[] = {
    {"lognormal(median=3500, sigma=0.8)", DIST_LOGNORMAL, {3500, 0.8}},
    {"gamma(shape=2.5, scale=6)", DIST_GAMMA, {2.5, 6}},
    {"weibull(shape=1.5, scale=10)", DIST_WEIBULL, {1.5, 10}},
    {"exponential(mean=7)", DIST_EXPONENTIAL, {7, 0}},
    {"normal(mean=5000, sd=1000)", DIST_NORMAL, {5000, 1000}},
};

/* The streams (100 + case) were fixed before the first run, not searched for.
 * "Ranks first" is what theory supports only for non-nested families: at
 * n = 20,000 a wrong non-nested family loses by n times a Kullback-Leibler
 * divergence, hundreds of AIC units.  The exponential is nested in the gamma
 * and the Weibull (shape 1), whose maximised likelihood is never lower, so
 * AIC(exponential) - AIC(gamma or Weibull) = 2 - LR <= 2 always, while which
 * of them ranks first is a coin (P(chi2_1 < 2) = 0.84 each): the test asserts
 * the former (the true family is within 2 AIC units of the best, and a
 * family that nests it has at least its likelihood), not the stream's luck. */
START_TEST(test_recover_family)
{
    const size_t n = 20000;
    double *x = draw(families[_i].text, n, 100 + (uint64_t)_i);
    fit_options o;
    fit_options_init(&o);
    fit_result res[FIT_NFAMILIES];
    size_t nfit;
    fz_error err = {0, ""};
    ck_assert_msg(fit_all(res, &nfit, x, n, &o, &err) == 0, "%s", err.msg);
    const fit_result *mine = NULL;
    for (size_t k = 0; k < nfit; k++)
        if (res[k].family == families[_i].fam)
            mine = &res[k];
    ck_assert_msg(mine != NULL, "%s: the true family was not fitted", families[_i].text);
    if (families[_i].fam == DIST_EXPONENTIAL) {
        ck_assert_msg(mine->aic - res[0].aic <= 2 + 1e-9, "%s: %.3f AIC units behind %s, theory says <= 2",
                      families[_i].text, mine->aic - res[0].aic, fit_family_name(res[0].family));
        for (size_t k = 0; k < nfit; k++)
            if (res[k].family == DIST_GAMMA || res[k].family == DIST_WEIBULL)
                ck_assert_msg(res[k].loglik >= mine->loglik - 1e-6 * fabs(mine->loglik),
                              "%s nests the exponential but its loglik %.6f < %.6f", fit_family_name(res[k].family),
                              res[k].loglik, mine->loglik);
    } else
        ck_assert_msg(res[0].family == families[_i].fam && res[1].aic - res[0].aic > 20,
                      "%s: %s ranks first by AIC (%.2f, next %.2f; a margin under 20 would be a likelihood "
                      "ratio of e^10, far from the n KL-divergence lead of the true family), the true family is %s",
                      families[_i].text, fit_family_name(res[0].family), res[0].aic, res[1].aic,
                      fit_family_name(families[_i].fam));
    assert_within(mine, families[_i].truth, 4, families[_i].text);
    assert_se_closed_form(mine, families[_i].truth, n, families[_i].text);
    /* the same through fit_family_mle, and the KS test does not reject the truth */
    fit_result one;
    ck_assert_int_eq(fit_family_mle(&one, families[_i].fam, x, n, &o, &err), 0);
    ck_assert_double_eq_tol(one.loglik, mine->loglik, 1e-9 * fabs(one.loglik));
    ck_assert_msg(one.ks_p > 0.001, "%s: KS p = %g", families[_i].text, one.ks_p);
    free(x);
}
END_TEST

/* ---- truncation ---- */

START_TEST(test_left_truncated_lognormal)
{
    const size_t n = 20000;
    const double truth[2] = {2000, 0.7};
    double *x = draw("lognormal(median=2000, sigma=0.7, min=1500)", n, 200);
    fit_options o;
    fit_options_init(&o);
    o.lo = 1500;
    fit_result t, naive;
    fz_error err = {0, ""};
    ck_assert_msg(fit_family_mle(&t, DIST_LOGNORMAL, x, n, &o, &err) == 0, "%s", err.msg);
    ck_assert(!t.closed_form);
    assert_within(&t, truth, 4, "truncated likelihood");
    char line[256];
    fit_format(&t, line, sizeof line);
    ck_assert_msg(strstr(line, ", min=1500)") != NULL, "%s", line);
    fit_options_init(&o); /* the naive fit ignores the truncation */
    ck_assert_int_eq(fit_family_mle(&naive, DIST_LOGNORMAL, x, n, &o, &err), 0);
    ck_assert(naive.closed_form);
    for (int j = 0; j < 2; j++) {
        double z = fabs(naive.param[j] - truth[j]) / naive.se[j];
        ck_assert_msg(z > 10, "naive %s = %g is only %.1f SE from %g", naive.names[j], naive.param[j], z, truth[j]);
    }
    free(x);
}
END_TEST

/* The truncated likelihood's SEs have no closed form: check them against a
 * Monte Carlo of refits.  R = 200 independent samples of n = 500 (streams
 * 1000..1199, fixed in advance), each fitted; the spread of the estimates is
 * the true sampling SE, the mean of the reported SEs should match it.  The
 * sample sd of R normal-ish estimates has relative sd 1/sqrt(2(R-1)) = 5%,
 * and the small-sample bias of the asymptotic SE at n = 500 is a few %, so
 * the ratio is within 1 +- 0.2 (4 sd) unless the reported SE is wrong. */
START_TEST(test_truncated_se_monte_carlo)
{
    enum { R = 200, N = 500 };
    double est[2][R], se_sum[2] = {0, 0};
    fz_error err = {0, ""};
    for (int k = 0; k < R; k++) {
        double *x = draw("lognormal(median=2000, sigma=0.7, min=1500)", N, 1000 + (uint64_t)k);
        fit_options o;
        fit_options_init(&o);
        o.lo = 1500;
        fit_result t;
        ck_assert_msg(fit_family_mle(&t, DIST_LOGNORMAL, x, N, &o, &err) == 0, "%s", err.msg);
        ck_assert_msg(t.ok, "refit %d: %s", k, t.reason);
        /* not t.converged: about 10% of these n = 500 fits end with the simplex
         * short of its tolerance (~2,000 iterations) though at the optimum to
         * the precision shown; reported in issue 11's notes, not asserted here */
        for (int j = 0; j < 2; j++) {
            est[j][k] = log(t.param[j]); /* on the log scale the estimates are near normal */
            se_sum[j] += t.se[j] / t.param[j];
        }
        free(x);
    }
    for (int j = 0; j < 2; j++) {
        double ratio = (se_sum[j] / R) / gsl_stats_sd(est[j], 1, R);
        ck_assert_msg(fabs(ratio - 1) < 0.2, "parameter %d: mean reported SE / Monte Carlo SE = %.3f", j, ratio);
    }
}
END_TEST

START_TEST(test_two_sided_and_right_truncation)
{
    const size_t n = 20000;
    fz_error err = {0, ""};
    fit_options o;
    fit_result f;
    double *x = draw("weibull(shape=1.5, scale=10, min=2, max=20)", n, 300);
    fit_options_init(&o);
    o.lo = 2, o.hi = 20;
    ck_assert_int_eq(fit_family_mle(&f, DIST_WEIBULL, x, n, &o, &err), 0);
    assert_within(&f, (double[]){1.5, 10}, 4, "weibull on [2, 20]");
    free(x);
    x = draw("exponential(mean=7, max=10)", n, 301);
    fit_options_init(&o);
    o.hi = 10;
    ck_assert_int_eq(fit_family_mle(&f, DIST_EXPONENTIAL, x, n, &o, &err), 0);
    assert_within(&f, (double[]){7, 0}, 4, "exponential on [0, 10]");
    free(x);
    /* left truncation of an exponential is a closed form: mean - lo */
    x = draw("exponential(mean=7, min=5)", n, 302);
    fit_options_init(&o);
    o.lo = 5;
    ck_assert_int_eq(fit_family_mle(&f, DIST_EXPONENTIAL, x, n, &o, &err), 0);
    ck_assert(f.closed_form);
    assert_within(&f, (double[]){7, 0}, 4, "exponential above 5");
    free(x);
    x = draw("gamma(shape=3, scale=2, min=4)", n, 303);
    fit_options_init(&o);
    o.lo = 4;
    ck_assert_int_eq(fit_family_mle(&f, DIST_GAMMA, x, n, &o, &err), 0);
    assert_within(&f, (double[]){3, 2}, 4, "gamma above 4");
    free(x);
    x = draw("normal(mean=10, sd=4, min=0)", n, 304);
    fit_options_init(&o);
    o.lo = 0;
    ck_assert_int_eq(fit_family_mle(&f, DIST_NORMAL, x, n, &o, &err), 0);
    assert_within(&f, (double[]){10, 4}, 4, "normal above 0");
    free(x);
}
END_TEST

/* ---- known answers ----
 * Sample A = {0.2, 0.7, 1.5, 3.0} against exponential(mean=1), by hand:
 *   F(x) = 1 - e^-x = 0.181269, 0.503415, 0.776870, 0.950213;
 *   D+ = max(i/4 - F) = 0.25 - 0.181269; D- = max(F - (i-1)/4) = F(1.5) - 0.5,
 *   so D = 1/2 - e^-1.5 = 0.27686983985157;
 *   A^2 = -4 - (1/4) [1 (ln(1 - e^-0.2) - 3.0) + 3 (ln(1 - e^-0.7) - 1.5)
 *                     + 5 (ln(1 - e^-1.5) - 0.7) + 7 (ln(1 - e^-3.0) - 0.2)]
 *       = 0.446672842655464.
 * SciPy 1.10.1 (Debian python3-scipy) agrees: stats.kstest(A, 'expon') gives
 * statistic 0.2768698398515702 and the exact p-value 0.8387025971070696;
 * stats.goodness_of_fit(stats.expon, A, known_params={'loc': 0, 'scale': 1},
 * statistic='ad').statistic = 0.44667284265546403.
 * Shifted by 1 against exponential(mean=1, min=1), the truncated cdf is
 * 1 - e^-(x-1) (memorylessness): the same three numbers.
 * Sample B = {1.1, 2.0, 2.5, 3.3, 4.8, 9.0} against lognormal(mu=1, sigma=0.5)
 * (median e): SciPy 1.10.1 stats.kstest(B, stats.lognorm(s=0.5,
 * scale=exp(1)).cdf) gives D = 0.20561264255170575, p = 0.918832777704942;
 * stats.goodness_of_fit(stats.lognorm, B, known_params={'s': 0.5, 'loc': 0,
 * 'scale': exp(1)}, statistic='ad').statistic = 0.5350704775690307. */

static fit_result fixed_fit(fit_family fam, double p0, double p1, double lo, double hi)
{
    fit_result r;
    memset(&r, 0, sizeof r);
    r.family = fam;
    r.ok = 1;
    r.nparams = fam == DIST_EXPONENTIAL ? 1 : 2;
    r.param[0] = p0;
    r.param[1] = p1;
    r.lo = lo;
    r.hi = hi;
    return r;
}

START_TEST(test_gof_known_answers)
{
    fz_error err = {0, ""};
    double a[] = {3.0, 0.2, 1.5, 0.7}; /* any order */
    fit_result r = fixed_fit(DIST_EXPONENTIAL, 1, 0, -INFINITY, INFINITY);
    ck_assert_int_eq(fit_gof(&r, a, 4, &err), 0);
    ck_assert_double_eq_tol(r.ks, 0.5 - exp(-1.5), 1e-13);
    ck_assert_double_eq_tol(r.ks, 0.2768698398515702, 1e-13);
    ck_assert_double_eq_tol(r.ks_p, 0.8387025971070696, 1e-10);
    ck_assert_double_eq_tol(r.ad, 0.44667284265546403, 1e-12);

    double a1[] = {1.2, 1.7, 2.5, 4.0};
    r = fixed_fit(DIST_EXPONENTIAL, 1, 0, 1, INFINITY);
    ck_assert_int_eq(fit_gof(&r, a1, 4, &err), 0);
    ck_assert_double_eq_tol(r.ks, 0.2768698398515702, 1e-12);
    ck_assert_double_eq_tol(r.ks_p, 0.8387025971070696, 1e-10);
    ck_assert_double_eq_tol(r.ad, 0.44667284265546403, 1e-11);

    double b[] = {1.1, 2.0, 2.5, 3.3, 4.8, 9.0};
    r = fixed_fit(DIST_LOGNORMAL, exp(1.0), 0.5, -INFINITY, INFINITY);
    ck_assert_int_eq(fit_gof(&r, b, 6, &err), 0);
    ck_assert_double_eq_tol(r.ks, 0.20561264255170575, 1e-12);
    ck_assert_double_eq_tol(r.ks_p, 0.918832777704942, 1e-10);
    ck_assert_double_eq_tol(r.ad, 0.5350704775690307, 1e-12);
}
END_TEST

/* P(D_n >= d): SciPy 1.10.1 stats.kstwo.sf(d, n) (Simard & L'Ecuyer's
 * algorithm), against the exact branch (Marsaglia-Tsang-Wang, n d small) to
 * 1e-9 and the asymptotic branches (Stephens; MTW's right-tail formula) to
 * 2e-3 absolute and 1% relative. */
START_TEST(test_ks_pvalue)
{
    static const struct {
        size_t n;
        double d, p, tol;
    } c[] = {
        {4, 0.27686983985157, 0.8387025971070701, 1e-9},
        {100, 0.05, 0.9532159710635725, 1e-9},
        {50, 0.1, 0.6623112704658186, 1e-9},
        {10, 0.3, 0.27053557479999946, 1e-9},
        {5, 0.6, 0.03008000000000001, 1e-9},
        {1000, 0.02, 0.8108971656895577, 1e-6},
        {5000, 0.01, 0.6954557253913853, 1e-6},
        {20000, 0.005, 0.6974088406327613, 2e-3},
        {2000, 0.03, 0.05354694793932557, 1e-6},
        {20000, 0.0188, 1.4298500221167195e-06, 1.5e-8},
    };
    for (size_t i = 0; i < NELEM(c); i++) {
        double p = fit_ks_pvalue(c[i].d, c[i].n);
        ck_assert_msg(fabs(p - c[i].p) <= c[i].tol, "n %zu, d %g: p %.12g, SciPy %.12g", c[i].n, c[i].d, p, c[i].p);
    }
    ck_assert_double_eq(fit_ks_pvalue(0, 10), 1);
    ck_assert_double_eq(fit_ks_pvalue(1, 10), 0);
    ck_assert_double_eq_tol(fit_ks_pvalue(0.01, 10), 1, 1e-12); /* D_n >= 1/(2n) always */
}
END_TEST

/* ---- the fitted distribution and its scenario line ---- */

START_TEST(test_line_matches_cdf)
{
    static const fit_result cases[] = {
        {.family = DIST_LOGNORMAL,
         .nparams = 2,
         .names = {"median", "sigma"},
         .param = {2826.31, 0.81},
         .lo = 1500,
         .hi = INFINITY},
        {.family = DIST_GAMMA,
         .nparams = 2,
         .names = {"shape", "scale"},
         .param = {0.5, 4500},
         .lo = 1500,
         .hi = 50000},
        {.family = DIST_WEIBULL, .nparams = 2, .names = {"shape", "scale"}, .param = {1.5, 10}, .lo = 0, .hi = 20},
        {.family = DIST_EXPONENTIAL,
         .nparams = 1,
         .names = {"mean", NULL},
         .param = {7, 0},
         .lo = -INFINITY,
         .hi = INFINITY},
        {.family = DIST_NORMAL, .nparams = 2, .names = {"mean", "sd"}, .param = {10, 4}, .lo = 0, .hi = INFINITY},
        {.family = DIST_NORMAL, .nparams = 2, .names = {"mean", "sd"}, .param = {100, 5}, .lo = 120, .hi = 130},
    };
    static const char *const lines[] = {"lognormal(median=2826.31, sigma=0.81, min=1500)",
                                        "gamma(shape=0.5, scale=4500, min=1500, max=50000)",
                                        "weibull(shape=1.5, scale=10, max=20)",
                                        "exponential(mean=7)",
                                        "normal(mean=10, sd=4, min=0)",
                                        "normal(mean=100, sd=5, min=120, max=130)"};
    for (size_t i = 0; i < NELEM(cases); i++) {
        const fit_result *r = &cases[i];
        char text[256];
        fit_format(r, text, sizeof text);
        ck_assert_str_eq(text, lines[i]);
        dist *d = NULL;
        fz_error err = {0, ""};
        ck_assert_msg(dist_parse(&d, text, NULL, &err) == 0, "%s: %s", text, err.msg);
        for (int k = 1; k < 20; k++) {
            double q = k / 20.0, x = fit_quantile(r, q);
            ck_assert_msg(fabs(fit_cdf(r, x) - q) < 1e-9, "%s: cdf(quantile(%g)) = %.12g", text, q, fit_cdf(r, x));
            ck_assert_msg(fabs(dist_cdf(d, x) - q) < 1e-9, "%s: dist_cdf %.12g at the %g quantile", text,
                          dist_cdf(d, x), q);
            ck_assert_double_eq_tol(fit_cdf(r, x) + fit_sf(r, x), 1, 1e-12);
        }
        dist_free(d);
    }
    /* far in the tail nothing underflows: a normal truncated 40 sd above its
     * mean.  The truncated cdf is 1 - Q(x)/Q(40) with Q(x) = erfc(x/sqrt 2)/2;
     * GSL's log_erfc gives the ratio to ~1e-15 relative (the former reference
     * 1 - e^-(1 + 1/3200), which drops the Mills factor 40/40.025, was 2.3e-4
     * off).  1e-12 leaves room for the code's own tail formula. */
    fit_result far = {.family = DIST_NORMAL, .nparams = 2, .param = {0, 1}, .lo = 40, .hi = INFINITY};
    const double xt = 40 + 1.0 / 40;
    double want = -expm1(gsl_sf_log_erfc(xt / M_SQRT2) - gsl_sf_log_erfc(40 / M_SQRT2));
    ck_assert_msg(fabs(fit_cdf(&far, xt) - want) < 1e-12, "cdf %.17g, want %.17g", fit_cdf(&far, xt), want);
    ck_assert(isfinite(fit_quantile(&far, 0.5)) && fit_quantile(&far, 0.5) > 40);
    ck_assert(isfinite(fit_pdf(&far, 40.01)) && fit_pdf(&far, 40.01) > 0);
}
END_TEST

START_TEST(test_support_and_errors)
{
    fz_error err = {0, ""};
    fit_options o;
    fit_options_init(&o);
    fit_result res[FIT_NFAMILIES];
    size_t nfit;
    double zero[] = {3, 0, 5, 8, 2};
    ck_assert_int_eq(fit_all(res, &nfit, zero, 5, &o, &err), 0);
    ck_assert_uint_eq(nfit, 2); /* exponential and normal */
    for (size_t i = nfit; i < FIT_NFAMILIES; i++) {
        ck_assert(!res[i].ok);
        ck_assert_uint_eq(res[i].bad_index, 1);
        ck_assert_msg(strstr(res[i].reason, "support") != NULL, "%s", res[i].reason);
    }
    double neg[] = {3, 4, -1, 8, 2};
    ck_assert_int_eq(fit_all(res, &nfit, neg, 5, &o, &err), 0);
    ck_assert_uint_eq(nfit, 1);
    ck_assert_int_eq(res[0].family, DIST_NORMAL);
    ck_assert_uint_eq(res[1].bad_index, 2);
    ck_assert_int_eq(fit_all(res, &nfit, neg, 1, &o, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "at least 2"));
    o.lo = 2.5;
    ck_assert_int_eq(fit_family_mle(res, DIST_GAMMA, neg, 5, &o, &err), FZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "outside"));
    fit_family f;
    ck_assert_int_eq(fit_family_parse("weibull", &f), 0);
    ck_assert_int_eq(f, DIST_WEIBULL);
    ck_assert_int_ne(fit_family_parse("pareto", &f), 0);
}
END_TEST

/* ---- the command (child processes through cli_util) ---- */

static const struct {
    const char *text, *column;
    const char *where;    /* expected in stderr: "bad.csv:LINE" */
    const char *extra[3]; /* more arguments */
} bad_csvs[] = {
    {"id,bond_usd\n1,1500\n2,\"2500\n3,3000\n", "bond_usd", "bad.csv:3:", {NULL}},              /* unterminated quote */
    {"id,amount\n1,1500\n2,2500\n", "bond_usd", "bad.csv:1:", {NULL}},                          /* missing column */
    {"id,bond_usd\n1,\n2, \n3\n", "bond_usd", "bad.csv:2:", {NULL}},                            /* all empty */
    {"id,bond_usd\n1,\n2,2500\n3,\n", "bond_usd", "bad.csv:3:", {NULL}},                        /* one value */
    {"id,bond_usd\n1,1500\n2,-300\n3,2500\n", "bond_usd", "bad.csv:3:", {NULL}},                /* negative */
    {"id,bond_usd,court\n1,1500,a\n2,$12,500,b\n", "bond_usd", "bad.csv:3:", {NULL}},           /* unquoted 12,500 */
    {"id,bond_usd\n1,1500\n2,1500\n3,1500\n", "bond_usd", "bad.csv:2:", {NULL}},                /* no spread */
    {"id,bond_usd\n1,100\n2,200\n3,5000\n", "bond_usd", "bad.csv:4:", {"--min", "1500", NULL}}, /* one left */
    {"id,bond_usd\n", "bond_usd", "bad.csv:1:", {NULL}},                                        /* no rows */
};

START_TEST(test_cli_bad_csv)
{
    const char *dir = cu_test_dir("bad_csv");
    cu_write_file(cu_path_in(dir, "bad.csv"), bad_csvs[_i].text);
    const char *args[8] = {"fit", "bad.csv", "--column", bad_csvs[_i].column, "--no-plots"};
    for (size_t k = 0; bad_csvs[_i].extra[k]; k++)
        args[5 + k] = bad_csvs[_i].extra[k];
    run_result r;
    int st = cu_run_v(&r, dir, 60, args);
    ck_assert_msg(st == 2, "case %d: exit %d\n%s", _i, st, r.err);
    ck_assert_msg(strstr(r.err, bad_csvs[_i].where) != NULL, "case %d: stderr lacks %s:\n%s", _i, bad_csvs[_i].where,
                  r.err);
    ck_assert_uint_eq(r.nout, 0);
    ck_assert_msg(!cu_exists(cu_path_in(dir, "results")), "a results directory was left behind");
    cu_run_free(&r);
}
END_TEST

START_TEST(test_cli_bad_options)
{
    const char *dir = cu_test_dir("bad_options");
    cu_write_file(cu_path_in(dir, "ok.csv"), "x\n1\n2\n3\n");
    static const char *const cases[][8] = {
        {"fit", "ok.csv", NULL},
        {"fit", "ok.csv", "--column", "x", "--min", "-5", NULL},
        {"fit", "ok.csv", "--column", "x", "--min", "5", "--max", "3"},
        {"fit", "ok.csv", "--column", "x", "--max", "abc", NULL},
        {"fit", "--column", "x", NULL},
        {"fit", "no_such.csv", "--column", "x", NULL},
    };
    static const char *const want[] = {"--column", "--min -5", "min < max", "--max abc", "CSV file", "no_such.csv"};
    for (size_t i = 0; i < NELEM(cases); i++) {
        const char *args[10] = {0};
        for (size_t k = 0; k < 8 && cases[i][k]; k++)
            args[k] = cases[i][k];
        run_result r;
        ck_assert_msg(cu_run_v(&r, dir, 60, args) == 2, "case %zu: %s", i, r.err);
        ck_assert_msg(strstr(r.err, want[i]) != NULL, "case %zu: stderr lacks '%s': %s", i, want[i], r.err);
        cu_run_free(&r);
    }
}
END_TEST

/* BOM, CRLF, quoted fields with commas and newlines, "$1,500" amounts, an
 * empty cell and a non-number: read, counted, fitted. */
START_TEST(test_cli_fit_messy_csv)
{
    const char *dir = cu_test_dir("messy");
    FILE *f;
    ck_assert_ptr_nonnull(f = fopen(cu_path_in(dir, "messy.csv"), "wb"));
    fputs("\xEF\xBB\xBF"
          "court,bond_usd\r\n",
          f);
    double *x = draw("lognormal(median=3000, sigma=0.6)", 300, 400);
    for (int i = 0; i < 300; i++) {
        if (i == 10)
            fputs("\"Chicago,\nIL\",\r\n", f); /* a quoted newline, then an empty cell: line 13 */
        else if (i == 20)
            fputs("KC,pending\r\n", f);
        else if (i % 3 == 0)
            fprintf(f, "\"Kansas City, MO\",\"$%ld,%03ld.00\"\r\n", lround(x[i]) / 1000, lround(x[i]) % 1000);
        else
            fprintf(f, "Chicago,%.2f\r\n", x[i]);
    }
    fclose(f);
    free(x);
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", "messy.csv", "--column", "bond_usd", "--no-plots");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    const char *out = r.out;
    ck_assert_msg(strstr(out, "300 rows: 298 numbers, 1 empty cells, 1 not numbers (first: line 23, 'pending')"), "%s",
                  out);
    ck_assert_msg(strstr(out, "1    lognormal ") != NULL, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "scenario line (best by AIC):\nbond_usd = lognormal(median="));
    ck_assert_ptr_nonnull(strstr(out, "KS p-values are conservative"));
    cu_run_free(&r);
}
END_TEST

Suite *make_fit_suite(void)
{
    Suite *s = suite_create("fit");
    TCase *tc = tcase_create("mle");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_recover_family, 0, NELEM(families));
    tcase_add_test(tc, test_left_truncated_lognormal);
    tcase_add_test(tc, test_truncated_se_monte_carlo);
    tcase_add_test(tc, test_two_sided_and_right_truncation);
    tcase_add_test(tc, test_support_and_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("gof");
    tcase_add_test(tc, test_gof_known_answers);
    tcase_add_test(tc, test_ks_pvalue);
    tcase_add_test(tc, test_line_matches_cdf);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_loop_test(tc, test_cli_bad_csv, 0, NELEM(bad_csvs));
    tcase_add_test(tc, test_cli_bad_options);
    tcase_add_test(tc, test_cli_fit_messy_csv);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(fit)
