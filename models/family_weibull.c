/* family_weibull: weibull(shape=, scale=); canonical parameters p = (shape k,
 * scale), S(x) = exp(-(x/scale)^k) (family.h).  Sampled by inversion on the
 * survival side, truncated or not. */
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "dist_int.h"
#include "fit_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int rc = dist_get_pair(a, "shape", "scale", d->p, &d->form, err);
    if (rc)
        return rc;
    if (d->form != FORM_NATIVE)
        return fz_fail(err, FZ_EINPUT, "weibull(...): expected shape= and scale=");
    if (!(d->p[0] > 0 && d->p[1] > 0))
        return fz_fail(err, FZ_EINPUT, "weibull(...): shape and scale must be > 0");
    memcpy(d->user, d->p, sizeof d->p);
    return 0;
}

static double cdf(const double *p, double x) { return x <= 0 ? 0 : -expm1(-pow(x / p[1], p[0])); }
static double sf(const double *p, double x) { return x <= 0 ? 1 : exp(-pow(x / p[1], p[0])); }

static double sample(const dist *d, gsl_rng *r)
{
    double k = d->p[0], scale = d->p[1];
    double s = d->sf_hi + (d->sf_lo - d->sf_hi) * draw_uniform_pos(r);
    double x = scale * pow(-log(s), 1 / k);
    return d->truncated ? clampd(x, d->lo, d->hi) : x;
}

static double logpdf(const double *p, double x)
{
    if (!(x > 0))
        return -INFINITY;
    return log(p[0] / p[1]) + (p[0] - 1) * log(x / p[1]) - pow(x / p[1], p[0]);
}

static double logcdf(const double *p, double x) { return family_log1mexp(-pow(x / p[1], p[0])); }
static double logsf(const double *p, double x) { return -pow(x / p[1], p[0]); }

static double quantile(const double *p, double lq, int upper)
{
    return p[1] * pow(upper ? -lq : -family_log1mexp(lq), 1 / p[0]);
}

static double partial_moment(const double *p, double lo, double hi, int j)
{
    return family_weibull_moment(p[0], p[1], lo, hi, j);
}

/* ---- fit: the simplex from the moments of log X, a Gumbel law with
 * sd = pi / (k sqrt 6) and mean = log(scale) - gamma_E / k ---- */

static double loglik(const fit_data *d, const double *p)
{
    double n = (double)d->n, sum = 0;
    for (size_t i = 0; i < d->n; i++)
        sum += pow(d->x[i] / p[1], p[0]);
    return n * log(p[0]) - n * p[0] * log(p[1]) + (p[0] - 1) * n * d->lmean - sum;
}

static int start(const fit_data *d, double *p)
{
    double lsd = sqrt(d->lm2 / (double)d->n);
    p[0] = lsd > 0 ? M_PI / (lsd * sqrt(6)) : 1;
    p[1] = exp(d->lmean + 0.5772156649015329 / p[0]);
    return 0;
}

static const family_fit fit = {
    .names = {"shape", "scale"},
    .uses_logs = 1,
    .loglik = loglik,
    .start = start,
};

const family_type family_weibull = {
    .name = "weibull",
    .nparams = 2,
    .natural_lo = 0,
    .args = {{"shape", "scale"}},
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
