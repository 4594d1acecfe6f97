/* family_lognormal: lognormal(median=, sigma=) or lognormal(mean=, sd=);
 * canonical parameters p = (mu, sigma) of log X (family.h). */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "dist_int.h"
#include "fit_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int rc = dist_get_pair(a, "median", "sigma", d->p, &d->form, err);
    if (rc)
        return rc;
    memcpy(d->user, d->p, sizeof d->p);
    if (!(d->p[0] > 0 && d->p[1] > 0))
        return fz_fail(err, FZ_EINPUT, "lognormal(...): %s must be > 0",
                       d->form == FORM_NATIVE ? "median and sigma" : "mean and sd");
    if (d->form == FORM_NATIVE) {
        d->p[0] = log(d->user[0]);
        return 0;
    }
    /* s^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - s^2/2 */
    double s2 = log1p(d->user[1] * d->user[1] / (d->user[0] * d->user[0]));
    if (!isfinite(s2)) { /* sd^2 or mean^2 overflowed or underflowed: use the ratio */
        double cv = d->user[1] / d->user[0];
        s2 = log1p(cv * cv);
    }
    d->p[0] = log(d->user[0]) - s2 / 2;
    d->p[1] = sqrt(s2);
    if (!(isfinite(d->p[0]) && isfinite(d->p[1]) && d->p[1] > 0))
        return fz_fail(err, FZ_EINPUT,
                       "lognormal(...): mean = %g and sd = %g give log X the parameters mu = %g "
                       "and sigma = %g, but sigma must be finite and > 0 (sd is too small "
                       "relative to the mean)",
                       d->user[0], d->user[1], d->p[0], d->p[1]);
    return 0;
}

static double cdf(const double *p, double x) { return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, p[0], p[1]); }
static double sf(const double *p, double x) { return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, p[0], p[1]); }
static double pinv(const double *p, double P) { return gsl_cdf_lognormal_Pinv(P, p[0], p[1]); }
static double qinv(const double *p, double Q) { return gsl_cdf_lognormal_Qinv(Q, p[0], p[1]); }
static double draw(const double *p, gsl_rng *r) { return exp(p[0] + draw_gaussian(r, p[1])); }

static double logpdf(const double *p, double x)
{
    if (!(x > 0))
        return -INFINITY;
    double z = (log(x) - p[0]) / p[1];
    return -log(x) - log(p[1]) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
}

static double logcdf(const double *p, double x) { return family_log_phi((log(x) - p[0]) / p[1]); }
static double logsf(const double *p, double x) { return family_log_phi(-((log(x) - p[0]) / p[1])); }

static double quantile(const double *p, double lq, int upper)
{
    double q = exp(lq);
    return upper ? gsl_cdf_lognormal_Qinv(q, p[0], p[1]) : gsl_cdf_lognormal_Pinv(q, p[0], p[1]);
}

/* M_j = exp(j mu + j^2 s^2 / 2) [Phi((ln hi - mu - j s^2)/s) - Phi((ln lo - mu - j s^2)/s)]
 * (Johnson, Kotz & Balakrishnan, "Continuous Univariate Distributions", vol. 1) */
static double partial_moment(const double *p, double lo, double hi, int j)
{
    double mu = p[0], s = p[1], sh = j * s * s;
    double a = lo > 0 ? (log(lo) - mu - sh) / s : -INFINITY;
    double b = isinf(hi) ? INFINITY : (log(hi) - mu - sh) / s;
    double z =
        a > 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b) : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    return exp(j * mu + 0.5 * j * j * s * s) * z;
}

/* Rejection on the exponent: exp(z) < lo for sure when z < log(lo) - 1e-9
 * (1 + |log lo|): the margin dwarfs the rounding of log, exp and the comparison. */
static void plan(const dist *d, dist_draw *out)
{
    out->a = d->p[0];
    out->b = d->p[1];
    if (!d->truncated) {
        out->kind = DIST_DRAW_LOGNORMAL;
    } else if (d->mass >= 0.25) {
        double llo = d->lo > 0 ? log(d->lo) : -INFINITY, lhi = log(d->hi);
        out->kind = DIST_DRAW_LOGNORMAL_REJECT;
        out->lo = d->lo;
        out->hi = d->hi;
        out->zlo = isfinite(llo) ? llo - 1e-9 * (1 + fabs(llo)) : -INFINITY;
        out->zhi = isfinite(lhi) ? lhi + 1e-9 * (1 + fabs(lhi)) : INFINITY;
    }
}

/* ---- fit: closed form (mean and sd of log x) when untruncated ---- */

static double loglik(const fit_data *d, const double *p)
{
    double n = (double)d->n, dm = d->lmean - p[0];
    return -n * d->lmean - n * log(p[1]) - 0.5 * n * log(2 * M_PI) - (d->lm2 + n * dm * dm) / (2 * p[1] * p[1]);
}

static void to_canonical(const fit_data *d, const double *t, double *p)
{
    (void)d;
    p[0] = t[0], p[1] = exp(t[1]);
}

static void from_canonical(const fit_data *d, const double *p, double *t)
{
    (void)d;
    t[0] = p[0], t[1] = log(p[1]);
}

static void reported(const fit_data *d, const double *p, double *phi, double *dphi)
{
    (void)d;
    phi[0] = dphi[0] = exp(p[0]), phi[1] = dphi[1] = p[1];
}

static void canonical(const double *phi, double *p) { p[0] = log(phi[0]), p[1] = phi[1]; }

static int start(const fit_data *d, double *p)
{
    p[0] = d->lmean, p[1] = sqrt(d->lm2 / (double)d->n);
    return !family_cuts_lo(d->type, d->lo) && !isfinite(d->hi);
}

static const family_fit fit = {
    .names = {"median", "sigma"},
    .uses_logs = 1,
    .loglik = loglik,
    .to_canonical = to_canonical,
    .from_canonical = from_canonical,
    .reported = reported,
    .canonical = canonical,
    .start = start,
};

const family_type family_lognormal = {
    .name = "lognormal",
    .nparams = 2,
    .natural_lo = 0,
    .args = {{"median", "sigma"}, {"mean", "sd"}},
    .parse = parse,
    .cdf = cdf,
    .sf = sf,
    .pinv = pinv,
    .qinv = qinv,
    .draw = draw,
    .logpdf = logpdf,
    .logcdf = logcdf,
    .logsf = logsf,
    .quantile = quantile,
    .partial_moment = partial_moment,
    .plan = plan,
    .fit = &fit,
};
