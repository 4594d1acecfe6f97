/* fit: maximum-likelihood estimation of the scenario families (fit.h).
 *
 * Log-likelihood of the family truncated to [lo, hi] (the conditional
 * distribution, Cohen 1991, "Truncated and Censored Samples", ch. 1):
 *   l(theta) = sum_i log f(x_i; theta) - n log(F(hi; theta) - F(lo; theta)).
 * The sums of log f need only sufficient statistics (n, mean and centred sum
 * of squares of x and of log x) for every family but the Weibull, so one
 * evaluation is O(1) there and O(n) for the Weibull.
 *
 * Estimates.  Closed forms (Johnson, Kotz & Balakrishnan, "Continuous
 * Univariate Distributions", vol. 1): normal mean and sd = sample mean and
 * sqrt(sum (x - mean)^2 / n); lognormal mu and sigma the same on log x;
 * exponential mean = sample mean, and sample mean - lo when truncated on the
 * left only (memorylessness: X - lo given X > lo is the same exponential).
 * Otherwise the negative log-likelihood is minimised by GSL's Nelder-Mead
 * simplex (nmsimplex2) over unconstrained parameters t (logs of positive
 * parameters; the normal mean over the sample sd), started from the closed
 * forms above or, for gamma, Minka's (2002) approximation to the shape MLE,
 * k0 = (3 - s + sqrt((s - 3)^2 + 24 s)) / (12 s), s = log(mean) - mean(log x),
 * and for the Weibull the moments of log X (a Gumbel law: sd = pi / (k sqrt 6),
 * mean = log(scale) - gamma_E / k).  The simplex is restarted once from its
 * optimum; "converged" means both runs met the size tolerance.
 *
 * Standard errors: the observed information I = -H, H the Hessian of l in t
 * by central differences at the optimum; Var(t) = I^-1 (Cholesky, GSL), and
 * each reported parameter phi_j depends on t_j alone, so se(phi_j) =
 * |d phi_j / d t_j| se(t_j) (the delta method; exact for the observed
 * information since the gradient vanishes at the optimum).
 *
 * Generic over the family table: each family's likelihood from the
 * statistics, starting point and parameter transforms are its fit hooks
 * (family.h, in models/family_NAME.c); the kept mass F(hi) - F(lo) is
 * family.c's, in logs. */
#include "fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_int.h"

const char *fit_family_name(fit_family f) { return dist_family_name(f); }

int fit_family_parse(const char *name, fit_family *out)
{
    int f = family_find(name, strlen(name));
    if (f < 0 || !family_table[f]->fit)
        return -1;
    *out = (fit_family)f;
    return 0;
}

void fit_options_init(fit_options *o)
{
    o->lo = -INFINITY;
    o->hi = INFINITY;
}

/* ---- parameter transforms: the family's, or t = log p and phi = p ---- */

static void to_canonical(const fit_data *d, const double *t, double *p)
{
    if (d->type->fit->to_canonical)
        d->type->fit->to_canonical(d, t, p);
    else
        for (int j = 0; j < d->type->nparams; j++)
            p[j] = exp(t[j]);
}

static void from_canonical(const fit_data *d, const double *p, double *t)
{
    if (d->type->fit->from_canonical)
        d->type->fit->from_canonical(d, p, t);
    else
        for (int j = 0; j < d->type->nparams; j++)
            t[j] = log(p[j]);
}

static void reported(const fit_data *d, const double *p, double *phi, double *dphi)
{
    if (d->type->fit->reported)
        d->type->fit->reported(d, p, phi, dphi);
    else
        for (int j = 0; j < d->type->nparams; j++)
            phi[j] = dphi[j] = p[j];
}

/* ---- the log-likelihood ---- */

static double loglik(const fit_data *d, const double *p)
{
    if (d->custom)
        return d->custom(d, p);
    family_trunc f = {d->type, {p[0], d->type->nparams > 1 ? p[1] : 0}, d->lo, d->hi};
    return d->type->fit->loglik(d, p) - (double)d->n * family_trunc_logmass(&f);
}

static double loglik_t(const fit_data *d, const double *t)
{
    double p[2] = {0, 0};
    to_canonical(d, t, p);
    return loglik(d, p);
}

static double objective(const gsl_vector *v, void *ctx)
{
    const fit_data *d = ctx;
    double t[2] = {gsl_vector_get(v, 0), v->size > 1 ? gsl_vector_get(v, 1) : 0};
    double l = loglik_t(d, t);
    /* per observation, so the simplex tolerance does not depend on n; a
     * huge finite value outside the domain keeps nmsimplex2 going */
    return isfinite(l) ? -l / (double)d->n : 1e300;
}

/* Nelder-Mead from t; writes the optimum back into t.  Returns 1 if the
 * simplex size fell below the tolerance, 0 if the iterations ran out. */
static int simplex(const fit_data *d, double *t, int np, double step, int *iters)
{
    const double tol = 1e-7;
    gsl_multimin_function fn = {.f = objective, .n = (size_t)np, .params = (void *)d};
    gsl_vector *x = gsl_vector_alloc((size_t)np), *ss = gsl_vector_alloc((size_t)np);
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)np);
    int converged = 0;
    if (!x || !ss || !m)
        goto done;
    for (int j = 0; j < np; j++) {
        gsl_vector_set(x, (size_t)j, t[j]);
        gsl_vector_set(ss, (size_t)j, step);
    }
    if (gsl_multimin_fminimizer_set(m, &fn, x, ss) != GSL_SUCCESS)
        goto done;
    for (int it = 0; it < 2000; it++) {
        ++*iters;
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), tol) == GSL_SUCCESS) {
            converged = 1;
            break;
        }
    }
    for (int j = 0; j < np; j++)
        t[j] = gsl_vector_get(m->x, (size_t)j);
done:
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(ss);
    return converged;
}

/* Observed information in t by central differences, inverted: se_t[j].
 * Returns 0, or -1 if the information is not positive definite. */
static int std_errors(const fit_data *d, const double *t, int np, double *se_t)
{
    const double h = 1e-4;
    double H[2][2], l0 = loglik_t(d, t);
    for (int i = 0; i < np; i++)
        for (int j = i; j < np; j++) {
            double a[2] = {t[0], np > 1 ? t[1] : 0};
            if (i == j) {
                a[i] = t[i] + h;
                double lp = loglik_t(d, a);
                a[i] = t[i] - h;
                double lm = loglik_t(d, a);
                H[i][i] = (lp - 2 * l0 + lm) / (h * h);
            } else {
                double s[4];
                for (int k = 0; k < 4; k++) {
                    a[i] = t[i] + (k & 1 ? -h : h);
                    a[j] = t[j] + (k & 2 ? -h : h);
                    s[k] = loglik_t(d, a);
                }
                H[i][j] = H[j][i] = (s[0] - s[1] - s[2] + s[3]) / (4 * h * h);
            }
        }
    double info[4];
    for (int i = 0; i < np; i++)
        for (int j = 0; j < np; j++)
            info[i * np + j] = -H[i][j];
    gsl_matrix_view mv = gsl_matrix_view_array(info, (size_t)np, (size_t)np);
    for (int i = 0; i < np * np; i++)
        if (!isfinite(info[i]))
            return -1;
    if (gsl_linalg_cholesky_decomp1(&mv.matrix) != GSL_SUCCESS || gsl_linalg_cholesky_invert(&mv.matrix) != GSL_SUCCESS)
        return -1;
    for (int j = 0; j < np; j++) {
        double v = gsl_matrix_get(&mv.matrix, (size_t)j, (size_t)j);
        if (!(v > 0) || !isfinite(v))
            return -1;
        se_t[j] = sqrt(v);
    }
    return 0;
}

/* Support check: index of the first value the family cannot produce, or n. */
static size_t first_outside(const family_type *t, const double *x, size_t n, const char **what)
{
    int closed = t->fit->lo_closed;
    *what = closed ? "x >= 0" : "x > 0";
    for (size_t i = 0; i < n; i++)
        if (closed ? x[i] < t->natural_lo : !(x[i] > t->natural_lo))
            return i;
    return n;
}

static void skip(fit_result *out, size_t index, const char *fmt, double v, const char *what)
{
    out->ok = 0;
    out->bad_index = index;
    snprintf(out->reason, sizeof out->reason, fmt, v, what);
}

/* The result before fitting: family, names, truncation, every number NaN. */
static int init_result(fit_result *out, fit_family fam, const fit_options *opt, fz_error *err)
{
    memset(out, 0, sizeof *out);
    out->family = fam;
    out->lo = opt ? opt->lo : -INFINITY;
    out->hi = opt ? opt->hi : INFINITY;
    out->loglik = out->aic = out->bic = out->ks = out->ks_p = out->ad = NAN;
    out->se[0] = out->se[1] = out->param[0] = out->param[1] = NAN;
    if ((unsigned)fam >= DIST_NFAMILIES || !family_table[fam]->fit)
        return fz_fail(err, FZ_EINPUT, "unknown family %d", (int)fam);
    const family_type *t = family_table[fam];
    out->nparams = t->nparams;
    out->names[0] = t->fit->names[0];
    out->names[1] = t->fit->names[1];
    if (!(out->lo < out->hi))
        return fz_fail(err, FZ_EINPUT, "the truncation range [%g, %g] is empty", out->lo, out->hi);
    return 0;
}

/* Sufficient statistics (Welford, for stability); 0 when there is no spread. */
static int statistics(fit_data *d)
{
    int logs = d->type->fit->uses_logs;
    for (size_t i = 0; i < d->n; i++) {
        double k = (double)(i + 1), dx = d->x[i] - d->mean;
        d->mean += dx / k;
        d->m2 += dx * (d->x[i] - d->mean);
        if (logs) {
            double lx = log(d->x[i]), dl = lx - d->lmean;
            d->lmean += dl / k;
            d->lm2 += dl * (lx - d->lmean);
        }
    }
    d->s0 = sqrt(d->m2 / (double)d->n);
    return d->m2 > 0 && (!logs || d->lm2 > 0);
}

/* The estimates (closed form or simplex), their standard errors and the
 * information criteria. */
static int estimate(fit_result *out, const fit_data *d)
{
    const family_fit *ft = d->type->fit;
    int np = out->nparams;
    double p[2] = {0, 0}, t[2] = {0, 0}, se_t[2] = {NAN, NAN}, dphi[2] = {0, 0};
    out->closed_form = ft->start(d, p) && !d->custom;
    from_canonical(d, p, t);
    if (out->closed_form) {
        out->converged = 1;
    } else {
        int c1 = simplex(d, t, np, 0.1, &out->iterations);
        int c2 = simplex(d, t, np, 0.02, &out->iterations); /* restart at the optimum */
        out->converged = c1 && c2;
        to_canonical(d, t, p);
    }
    out->loglik = loglik(d, p);
    if (!isfinite(out->loglik)) {
        out->ok = 0; /* as skip(), with words for a non-finite log-likelihood (not "-nan") */
        out->bad_index = 0;
        snprintf(out->reason, sizeof out->reason, "the likelihood could not be maximised (log-likelihood %s)",
                 isnan(out->loglik) ? "undefined"
                 : out->loglik > 0  ? "infinite"
                                    : "minus infinity");
        return 0;
    }
    out->ok = 1;
    reported(d, p, out->param, dphi);
    if (std_errors(d, t, np, se_t) == 0)
        for (int j = 0; j < np; j++)
            out->se[j] = fabs(dphi[j]) * se_t[j];
    out->aic = 2.0 * np - 2 * out->loglik;
    out->bic = np * log((double)d->n) - 2 * out->loglik;
    return 1;
}

int fit_family_mle(fit_result *out, fit_family fam, const double *x, size_t n, const fit_options *opt, fz_error *err)
{
    return fit_family_mle_custom(out, fam, x, n, opt, NULL, NULL, err);
}

int fit_family_mle_custom(fit_result *out, fit_family fam, const double *x, size_t n, const fit_options *opt,
                          double (*custom)(const fit_data *d, const double *p), const unsigned char *censored,
                          fz_error *err)
{
    int rc = init_result(out, fam, opt, err);
    if (rc)
        return rc;
    if (n < 2)
        return fz_fail(err, FZ_EINPUT, "%zu value%s: at least 2 are needed to fit a distribution", n,
                       n == 1 ? "" : "s");
    fit_data d = {
        .type = family_table[fam], .x = x, .n = n, .lo = out->lo, .hi = out->hi, .custom = custom, .censored = censored};
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || x[i] < d.lo || x[i] > d.hi)
            return fz_fail(err, FZ_EINPUT, "value %g (number %zu) is outside the fitted range [%g, %g]", x[i], i + 1,
                           d.lo, d.hi);
    const char *what;
    size_t bad = first_outside(d.type, x, n, &what);
    if (bad < n) {
        skip(out, bad, "%g is outside the family's support (%s)", x[bad], what);
        return 0;
    }
    if (!statistics(&d)) {
        skip(out, 0, "all values equal %g%s", x[0], ": there is no spread to fit");
        return 0;
    }
    if (!estimate(out, &d))
        return 0;
    return custom ? 0 : fit_gof(out, x, n, err);
}

int fit_all(fit_result out[FIT_NFAMILIES], size_t *nfit, const double *x, size_t n, const fit_options *opt,
            fz_error *err)
{
    fit_result tmp[FIT_NFAMILIES];
    size_t m = 0;
    for (int f = 0; f < DIST_NFAMILIES; f++) {
        if (!family_table[f]->fit)
            continue;
        if (m == FIT_NFAMILIES) /* FZ_FAMILIES marks fewer families fit than have fit hooks */
            return fz_fail(err, FZ_ERUNTIME, "family table: %s has fit hooks but is not marked fit",
                           family_table[f]->name);
        int rc = fit_family_mle(&tmp[m++], (fit_family)f, x, n, opt, err);
        if (rc)
            return rc;
    }
    if (m != FIT_NFAMILIES)
        return fz_fail(err, FZ_ERUNTIME, "family table: %zu families have fit hooks, FZ_FAMILIES marks %d", m,
                       (int)FIT_NFAMILIES);
    fit_rank(out, nfit, tmp, m);
    return 0;
}

void fit_rank(fit_result *out, size_t *nfit, const fit_result *tmp, size_t m)
{
    /* fitted families by increasing AIC (insertion sort keeps family order on ties), then the rest */
    size_t k = 0;
    for (size_t f = 0; f < m; f++) {
        if (!tmp[f].ok)
            continue;
        size_t j = k++;
        while (j > 0 && out[j - 1].aic > tmp[f].aic) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = tmp[f];
    }
    *nfit = k;
    for (size_t f = 0; f < m; f++)
        if (!tmp[f].ok)
            out[k++] = tmp[f];
}
