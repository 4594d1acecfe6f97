/* family_normal: normal(mean=, sd=); canonical parameters p = (mean, sd)
 * (family.h).  Its support is the whole line: natural_lo = -INFINITY. */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "dist_int.h"
#include "fit_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int f1, f2, rc;
    if ((rc = dist_get_arg(a, "mean", &d->p[0], &f1, err)) || (rc = dist_get_arg(a, "sd", &d->p[1], &f2, err)))
        return rc;
    if (!f1 || !f2 || !(d->p[1] > 0))
        return fz_fail(err, FZ_EINPUT, "normal(...): expected mean= and sd= > 0");
    memcpy(d->user, d->p, sizeof d->p);
    return 0;
}

static double cdf(const double *p, double x) { return gsl_cdf_gaussian_P(x - p[0], p[1]); }
static double sf(const double *p, double x) { return gsl_cdf_gaussian_Q(x - p[0], p[1]); }
static double pinv(const double *p, double P) { return p[0] + gsl_cdf_gaussian_Pinv(P, p[1]); }
static double qinv(const double *p, double Q) { return p[0] + gsl_cdf_gaussian_Qinv(Q, p[1]); }
static double draw(const double *p, gsl_rng *r) { return p[0] + draw_gaussian(r, p[1]); }

static double logpdf(const double *p, double x)
{
    double z = (x - p[0]) / p[1];
    return -log(p[1]) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
}

static double logcdf(const double *p, double x) { return family_log_phi((x - p[0]) / p[1]); }
static double logsf(const double *p, double x) { return family_log_phi(-((x - p[0]) / p[1])); }

static double quantile(const double *p, double lq, int upper)
{
    double q = exp(lq);
    return p[0] + (upper ? gsl_cdf_gaussian_Qinv(q, p[1]) : gsl_cdf_gaussian_Pinv(q, p[1]));
}

static double phi_pdf(double z) { return isinf(z) ? 0 : exp(-0.5 * z * z) / sqrt(2 * M_PI); }
static double zphi(double z) { return isinf(z) ? 0 : z * phi_pdf(z); }

/* With a = (lo-mu)/sd, b = (hi-mu)/sd, Z = Phi(b) - Phi(a) (Johnson, Kotz &
 * Balakrishnan, "Continuous Univariate Distributions", vol. 1):
 *   M_1 = mu Z + sd (phi(a) - phi(b)),
 *   M_2 = (mu^2 + sd^2) Z + 2 mu sd (phi(a) - phi(b)) + sd^2 (a phi(a) - b phi(b)). */
static double partial_moment(const double *p, double lo, double hi, int j)
{
    double mu = p[0], sd = p[1], a = (lo - mu) / sd, b = (hi - mu) / sd;
    double z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    if (a > 0)
        z = gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
    double dphi = phi_pdf(a) - phi_pdf(b);
    if (j == 1)
        return mu * z + sd * dphi;
    return (mu * mu + sd * sd) * z + 2 * mu * sd * dphi + sd * sd * (zphi(a) - zphi(b));
}

/* ---- fit: closed form (sample mean and sd) when untruncated; the simplex
 * moves the mean in units of the sample sd s0 ---- */

static double loglik(const fit_data *d, const double *p)
{
    double n = (double)d->n, dm = d->mean - p[0];
    return -n * log(p[1]) - 0.5 * n * log(2 * M_PI) - (d->m2 + n * dm * dm) / (2 * p[1] * p[1]);
}

static void to_canonical(const fit_data *d, const double *t, double *p)
{
    p[0] = d->s0 * t[0], p[1] = d->s0 * exp(t[1]);
}

static void from_canonical(const fit_data *d, const double *p, double *t)
{
    t[0] = p[0] / d->s0, t[1] = log(p[1] / d->s0);
}

static void reported(const fit_data *d, const double *p, double *phi, double *dphi)
{
    phi[0] = p[0], dphi[0] = d->s0, phi[1] = dphi[1] = p[1];
}

static void canonical(const double *phi, double *p) { p[0] = phi[0], p[1] = phi[1]; }

static int start(const fit_data *d, double *p)
{
    p[0] = d->mean, p[1] = d->s0;
    return !family_cuts_lo(d->type, d->lo) && !isfinite(d->hi);
}

static const family_fit fit = {
    .names = {"mean", "sd"},
    .loglik = loglik,
    .to_canonical = to_canonical,
    .from_canonical = from_canonical,
    .reported = reported,
    .canonical = canonical,
    .start = start,
};

const family_type family_normal = {
    .name = "normal",
    .nparams = 2,
    .natural_lo = -INFINITY,
    .args = {{"mean", "sd"}},
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
    .fit = &fit,
};
