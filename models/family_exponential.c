/* family_exponential: exponential(mean=); canonical parameter p = (mean),
 * S(x) = exp(-x/mean) (family.h): the Weibull with shape 1, sampled the same
 * way, by inversion on the survival side. */
#include <math.h>

#include "dist_int.h"
#include "fit_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int found, rc = dist_get_arg(a, "mean", &d->p[0], &found, err);
    if (rc)
        return rc;
    if (!found || !(d->p[0] > 0))
        return fz_fail(err, FZ_EINPUT, "exponential(...): expected mean= > 0");
    d->user[0] = d->p[0];
    return 0;
}

static double cdf(const double *p, double x) { return x <= 0 ? 0 : -expm1(-x / p[0]); }
static double sf(const double *p, double x) { return x <= 0 ? 1 : exp(-x / p[0]); }

static double sample(const dist *d, gsl_rng *r)
{
    double k = 1, scale = d->p[0];
    double s = d->sf_hi + (d->sf_lo - d->sf_hi) * draw_uniform_pos(r);
    double x = scale * pow(-log(s), 1 / k);
    return d->truncated ? clampd(x, d->lo, d->hi) : x;
}

static double logpdf(const double *p, double x) { return x < 0 ? -INFINITY : -log(p[0]) - x / p[0]; }
static double logcdf(const double *p, double x) { return family_log1mexp(-x / p[0]); }
static double logsf(const double *p, double x) { return -x / p[0]; }

static double quantile(const double *p, double lq, int upper) { return p[0] * (upper ? -lq : -family_log1mexp(lq)); }

static double partial_moment(const double *p, double lo, double hi, int j)
{
    return family_weibull_moment(1, p[0], lo, hi, j);
}

/* ---- fit: mean = sample mean, and sample mean - lo when truncated on the
 * left only (memorylessness: X - lo given X > lo is the same exponential) ---- */

static double loglik(const fit_data *d, const double *p)
{
    double n = (double)d->n;
    return -n * log(p[0]) - n * d->mean / p[0];
}

static int start(const fit_data *d, double *p)
{
    int cut_lo = family_cuts_lo(d->type, d->lo);
    p[0] = cut_lo ? d->mean - d->lo : d->mean;
    if (!(p[0] > 0))
        p[0] = d->mean > 0 ? d->mean : 1;
    return !isfinite(d->hi);
}

static const family_fit fit = {
    .names = {"mean", NULL},
    .lo_closed = 1,
    .loglik = loglik,
    .start = start,
};

const family_type family_exponential = {
    .name = "exponential",
    .nparams = 1,
    .natural_lo = 0,
    .args = {{"mean", NULL}},
    .parse = parse,
    .cdf = cdf,
    .sf = sf,
    .sample = sample,
    .logpdf = logpdf,
    .logcdf = logcdf,
    .logsf = logsf,
    .quantile = quantile,
    .partial_moment = partial_moment,
    .fit = &fit,
};
