/* check_dist_family: the table of families (models/family.h, family.c and
 * family_NAME.c) keeps its contract, so that a new family that forgets a
 * hook or gets one of its formulas wrong fails here rather than in a run:
 *
 *   - the table: names distinct and found by name, dist_family_name reads it,
 *     the families with fit hooks are exactly FZ_FAMILIES' fit column
 *     (FIT_NFAMILIES, fit_family_parse), every family can be parsed, every
 *     continuous family (one with a cdf) has all the continuous hooks;
 *   - each continuous family's two sets of tails agree: exp(logcdf) = cdf,
 *     exp(logsf) = sf, the quantiles invert them, logpdf is the derivative
 *     of the cdf;
 *   - partial moments agree with numerical integration of x^j f(x);
 *   - the untruncated draw has the family's mean (5 standard errors);
 *   - dist_cdf and fit_cdf, both on family.c's truncated family, agree. */
#include <gsl/gsl_integration.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_common.h"
#include "dist.h"
#include "family.h"
#include "fit.h"

START_TEST(test_table)
{
    int nfit = 0;
    for (int f = 0; f < DIST_NFAMILIES; f++) {
        const family_type *t = family_table[f];
        ck_assert_ptr_nonnull(t);
        ck_assert_str_eq(dist_family_name((dist_family)f), t->name);
        ck_assert_int_eq(family_find(t->name, strlen(t->name)), f);
        ck_assert_msg((t->parse != NULL) != (t->parse_body != NULL), "%s: parse xor parse_body", t->name);
        ck_assert_msg(t->format || t->args[0][0], "%s: neither format nor args", t->name);
        if (t->cdf) {
            ck_assert_msg(t->sf && t->logpdf && t->logcdf && t->logsf && t->quantile && t->partial_moment &&
                              (t->sample || (t->draw && t->pinv && t->qinv)),
                          "%s: a continuous family lacks a hook", t->name);
            ck_assert_int_ge(t->nparams, 1);
        }
        fit_family g;
        if (t->fit) {
            nfit++;
            ck_assert_ptr_nonnull(t->cdf);
            ck_assert_ptr_nonnull(t->fit->loglik);
            ck_assert_ptr_nonnull(t->fit->start);
            ck_assert_int_eq(fit_family_parse(t->name, &g), 0);
            ck_assert_int_eq(g, f);
            ck_assert_str_eq(fit_family_name(g), t->name);
        } else {
            ck_assert_int_ne(fit_family_parse(t->name, &g), 0);
        }
    }
    ck_assert_int_eq(nfit, FIT_NFAMILIES);
    ck_assert_int_eq(family_find("pareto", 6), -1);
    ck_assert_int_eq(family_find("gam", 3), -1); /* a prefix is not a name */
}
END_TEST

/* Parameters to try, per continuous family (canonical p). */
typedef struct fam_case {
    dist_family f;
    double p[2];
} fam_case;

static const fam_case cases[] = {
    {DIST_LOGNORMAL, {7.3, 0.6}}, {DIST_LOGNORMAL, {0, 1.5}}, {DIST_GAMMA, {4, 3.5}},
    {DIST_GAMMA, {0.5, 10}},      {DIST_WEIBULL, {1.5, 20}},  {DIST_WEIBULL, {0.7, 3}},
    {DIST_EXPONENTIAL, {7, 0}},   {DIST_NORMAL, {10, 3}},     {DIST_NORMAL, {-2, 0.5}},
};
enum { NCASES = sizeof cases / sizeof *cases };

static double rel(double a, double b) { return fabs(a - b) / fmax(fabs(b), 1e-300); }

/* The probabilities at which each case is checked: into both tails. */
static const double probs[] = {1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-6};

START_TEST(test_tails_agree)
{
    const fam_case *c = &cases[_i];
    const family_type *t = family_table[c->f];
    for (size_t k = 0; k < sizeof probs / sizeof *probs; k++) {
        double x = t->quantile(c->p, log(probs[k]), 0);
        double F = t->cdf(c->p, x), S = t->sf(c->p, x);
        /* the quantiles invert the cdf to GSL's 1.5e-8 relative (its
         * documented accuracy), or exactly for the closed forms */
        ck_assert_msg(rel(F, probs[k]) < 1e-7, "%s: cdf(quantile(%g)) = %.17g", t->name, probs[k], F);
        if (t->pinv)
            ck_assert_msg(rel(t->pinv(c->p, F), x) < 1e-7, "%s: pinv(cdf(%g))", t->name, x);
        /* the log tails are the logs of the tails: to a few ulps of the
         * probability, looser (1e-12) for the incomplete gamma and log erfc */
        ck_assert_msg(rel(exp(t->logcdf(c->p, x)), F) < 1e-12, "%s: logcdf at %g", t->name, x);
        ck_assert_msg(rel(exp(t->logsf(c->p, x)), S) < 1e-12, "%s: logsf at %g", t->name, x);
        if (t->qinv)
            ck_assert_msg(rel(t->qinv(c->p, S), x) < 1e-7, "%s: qinv(sf(%g))", t->name, x);
        ck_assert_msg(rel(t->quantile(c->p, log(F), 0), x) < 1e-7, "%s: quantile(log F(%g))", t->name, x);
        ck_assert_msg(rel(t->quantile(c->p, log(S), 1), x) < 1e-7, "%s: quantile(log S(%g), upper)", t->name, x);
        /* f = F': central difference with h = 1e-5 x has truncation error
         * O(h^2 f''/f) ~ 1e-10 and rounding error ~ 1e-16 / (h f) ~ 1e-8 at worst here */
        if (probs[k] >= 0.01 && probs[k] <= 0.99) {
            double h = 1e-5 * fmax(fabs(x), 1e-3);
            double d = (t->cdf(c->p, x + h) - t->cdf(c->p, x - h)) / (2 * h);
            ck_assert_msg(rel(exp(t->logpdf(c->p, x)), d) < 1e-5, "%s: pdf(%g) = %g, F' = %g", t->name, x,
                          exp(t->logpdf(c->p, x)), d);
        }
    }
}
END_TEST

typedef struct integrand {
    const family_type *t;
    const double *p;
    int j;
} integrand;

static double xj_pdf(double x, void *ctx)
{
    const integrand *g = ctx;
    double f = exp(g->t->logpdf(g->p, x));
    return (g->j == 1 ? x : x * x) * f;
}

START_TEST(test_partial_moments)
{
    const fam_case *c = &cases[_i];
    const family_type *t = family_table[c->f];
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    /* a truncation [F^-1(0.1), F^-1(0.9)], and the whole support */
    double lo = t->quantile(c->p, log(0.1), 0), hi = t->quantile(c->p, log(0.9), 0);
    for (int j = 1; j <= 2; j++) {
        integrand g = {t, c->p, j};
        gsl_function fn = {xj_pdf, &g};
        double v, e;
        ck_assert_int_eq(gsl_integration_qags(&fn, lo, hi, 0, 1e-11, 1000, w, &v, &e), 0);
        double m = t->partial_moment(c->p, lo, hi, j);
        ck_assert_msg(rel(m, v) < 1e-8, "%s: M_%d on [%g, %g] = %.12g, integral %.12g", t->name, j, lo, hi, m, v);
        double a = isfinite(t->natural_lo) ? t->natural_lo : -INFINITY, whole;
        if (isfinite(a))
            ck_assert_int_eq(gsl_integration_qagiu(&fn, a, 0, 1e-10, 1000, w, &whole, &e), 0);
        else
            ck_assert_int_eq(gsl_integration_qagi(&fn, 0, 1e-10, 1000, w, &whole, &e), 0);
        m = t->partial_moment(c->p, a, INFINITY, j);
        ck_assert_msg(rel(m, whole) < 1e-7, "%s: E[X^%d] = %.12g, integral %.12g", t->name, j, m, whole);
    }
    gsl_integration_workspace_free(w);
}
END_TEST

/* Draws (through dist_sample's generic path or the family's own sampler)
 * have the family's mean: |mean - E X| < 5 sd / sqrt(n), a false alarm
 * with probability 6e-7 per case (normal approximation, n = 20000). */
START_TEST(test_draw_mean)
{
    const fam_case *c = &cases[_i];
    const family_type *t = family_table[c->f];
    char text[128];
    if (c->f == DIST_EXPONENTIAL)
        snprintf(text, sizeof text, "exponential(mean=%.17g)", c->p[0]);
    else if (c->f == DIST_LOGNORMAL)
        snprintf(text, sizeof text, "lognormal(median=%.17g, sigma=%.17g)", exp(c->p[0]), c->p[1]);
    else
        snprintf(text, sizeof text, "%s(%s=%.17g, %s=%.17g)", t->name, t->args[0][0], c->p[0], t->args[0][1], c->p[1]);
    dist *d = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(dist_parse(&d, text, NULL, &err) == 0, "%s: %s", text, err.msg);
    double m1 = t->partial_moment(c->p, t->natural_lo, INFINITY, 1);
    double m2 = t->partial_moment(c->p, t->natural_lo, INFINITY, 2);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11 + (unsigned long)_i);
    const int n = 20000;
    double s = 0;
    for (int i = 0; i < n; i++)
        s += dist_sample(d, r);
    double sd = sqrt(m2 - m1 * m1);
    ck_assert_msg(fabs(s / n - m1) < 5 * sd / sqrt(n), "%s: draws' mean %g, E X = %g (sd %g)", text, s / n, m1, sd);
    gsl_rng_free(r);
    dist_free(d);
}
END_TEST

/* dist_cdf and fit_cdf of the same truncated family agree: one truncation code. */
START_TEST(test_dist_cdf_is_fit_cdf)
{
    dist *d = NULL;
    fz_error err = {0, ""};
    ck_assert_int_eq(dist_parse(&d, "gamma(shape=2, scale=3, min=1, max=40)", NULL, &err), 0);
    fit_result r;
    memset(&r, 0, sizeof r);
    r.family = DIST_GAMMA;
    r.nparams = 2;
    r.param[0] = 2;
    r.param[1] = 3;
    r.lo = 1;
    r.hi = 40;
    for (double x = 0; x <= 41; x += 0.5)
        ck_assert_double_eq(dist_cdf(d, x), fit_cdf(&r, x));
    ck_assert_double_eq(dist_cdf(d, 1), 0);
    ck_assert_double_eq(dist_cdf(d, 40), 1);
    /* and the truncated cdf is (F(x) - F(lo)) / (F(hi) - F(lo)) */
    double F1 = gsl_sf_gamma_inc_P(2, 1 / 3.0), F40 = gsl_sf_gamma_inc_P(2, 40 / 3.0);
    ck_assert_double_eq_tol(dist_cdf(d, 10), (gsl_sf_gamma_inc_P(2, 10 / 3.0) - F1) / (F40 - F1), 1e-14);
    dist_free(d);
}
END_TEST

/* dist_edit reads the table: no numeric arguments for the families without
 * parameters, no key edits inside a mixture (whose body is not key=value). */
START_TEST(test_edit_uses_table)
{
    char names[8][16];
    double v[8];
    ck_assert_int_eq(dist_args("mixture(1: fixed(1); 1: fixed(2))", names, v, 8), 0);
    ck_assert_int_eq(dist_args("empirical(file=a.csv, column=x, max=3)", names, v, 8), 0);
    ck_assert_int_eq(dist_args("gamma(shape=2, scale=3, max=40)", names, v, 8), 3);
    ck_assert_str_eq(names[2], "max");
    ck_assert_double_eq(v[2], 40);
    ck_assert_int_eq(dist_args("fixed(1500)", names, v, 8), 1);
    ck_assert_str_eq(names[0], "value");
    char *out = NULL;
    fz_error err = {0, ""};
    ck_assert_int_eq(dist_set_arg(&out, "mixture(1: fixed(1); 1: fixed(2))", "value", "3", &err), FZ_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.msg, "cannot set 'value' inside a mixture: set the whole distribution");
    ck_assert_int_eq(dist_set_arg(&out, "empirical(file=a.csv, column=x)", "max", "3", &err), 0);
    ck_assert_str_eq(out, "empirical(file=a.csv, column=x, max=3)");
    free(out);
}
END_TEST

static Suite *make_dist_family_suite(void)
{
    Suite *s = suite_create("dist_family");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_table);
    tcase_add_loop_test(tc, test_tails_agree, 0, NCASES);
    tcase_add_loop_test(tc, test_partial_moments, 0, NCASES);
    tcase_add_loop_test(tc, test_draw_mean, 0, NCASES);
    tcase_add_test(tc, test_dist_cdf_is_fit_cdf);
    tcase_add_test(tc, test_edit_uses_table);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(dist_family)
