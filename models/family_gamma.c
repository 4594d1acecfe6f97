/* family_gamma: gamma(shape=, scale=) or gamma(mean=, sd=); canonical
 * parameters p = (shape k, scale) (family.h). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "dist_int.h"
#include "fit_int.h"

static int gamma_ok(const double p[2]) { return isfinite(p[0]) && p[0] > 0 && isfinite(p[1]) && p[1] > 0; }

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int rc = dist_get_pair(a, "shape", "scale", d->p, &d->form, err);
    if (rc)
        return rc;
    memcpy(d->user, d->p, sizeof d->p);
    if (!(d->p[0] > 0 && d->p[1] > 0))
        return fz_fail(err, FZ_EINPUT, "gamma(...): %s must be > 0",
                       d->form == FORM_NATIVE ? "shape and scale" : "mean and sd");
    if (d->form == FORM_NATIVE)
        return 0;
    /* shape = mean^2/sd^2, scale = sd^2/mean */
    d->p[0] = d->user[0] * d->user[0] / (d->user[1] * d->user[1]);
    d->p[1] = d->user[1] * d->user[1] / d->user[0];
    if (!gamma_ok(d->p)) { /* a square overflowed or underflowed: use the ratio */
        double cv = d->user[1] / d->user[0];
        d->p[0] = 1 / (cv * cv);
        d->p[1] = d->user[1] * cv;
    }
    if (!gamma_ok(d->p))
        return fz_fail(err, FZ_EINPUT,
                       "gamma(...): mean = %g and sd = %g give shape = %g (mean^2/sd^2) and "
                       "scale = %g (sd^2/mean), but both must be finite and > 0",
                       d->user[0], d->user[1], d->p[0], d->p[1]);
    return 0;
}

static double cdf(const double *p, double x) { return x <= 0 ? 0 : gsl_cdf_gamma_P(x, p[0], p[1]); }
static double sf(const double *p, double x) { return x <= 0 ? 1 : gsl_cdf_gamma_Q(x, p[0], p[1]); }

/* gsl_cdf_gamma_Pinv starts its iteration for p < 0.05 from (Gamma(k) p)^(1/k),
 * k^(-1/k) times the leading term (Gamma(k+1) p)^(1/k) of the quantile, and for
 * shape k <= 0.1 gives up (NaN).  Then solve ln P(k, x) = ln p by Newton's
 * method in t = ln x from that leading term: ln P(k, e^t) is concave in t (ln X
 * has a log-concave density) and P(k, x) <= x^k / Gamma(k+1) puts the start
 * below the root, so the iterates rise to it. */
static double pinv(const double *p, double P)
{
    double k = p[0], scale = p[1];
    double x = gsl_cdf_gamma_Pinv(P, k, scale);
    if (!isnan(x))
        return x;
    double t = (log(P) + gsl_sf_lngamma(k + 1)) / k;
    for (int i = 0; i < 100; i++) {
        double y = exp(t), Pk = gsl_sf_gamma_inc_P(k, y);
        double step = (log(Pk) - log(P)) * Pk / (y * gsl_ran_gamma_pdf(y, k, 1));
        t -= step;
        if (!(fabs(step) > 1e-15 * fmax(1, fabs(t))))
            break;
    }
    return scale * exp(t);
}

static double qinv(const double *p, double Q) { return gsl_cdf_gamma_Qinv(Q, p[0], p[1]); }
static double draw(const double *p, gsl_rng *r) { return draw_gamma(r, p[0], p[1]); }

/* gsl_cdf_gamma_Qinv returns its last Newton iterate without checking it:
 * for shape 1e-8, scale 1e10, min=1 it never goes below ~2,219 although 34%
 * of the mass lies in [1, 2219].  A gamma inverse that misses its target by
 * more than 1e-6 relative (GSL's Pinv guarantees 1.5e-8 when it succeeds, so
 * results that were right are kept bit for bit) is redone by bisection on
 * ln x (dist.c), sure as GSL's incomplete gamma function stays accurate at
 * extreme shapes. */
static int inverse_ok(const dist *d, double x, double target, int upper)
{
    if (!isfinite(x))
        return 0;
    double f = upper ? dist_base_sf(d, x) : dist_base_cdf(d, x);
    return fabs(f - target) <= 1e-6 * target;
}

static double logpdf(const double *p, double x)
{
    if (!(x > 0))
        return -INFINITY;
    return (p[0] - 1) * log(x) - x / p[1] - gsl_sf_lngamma(p[0]) - p[0] * log(p[1]);
}

static double logcdf(const double *p, double x) { return log(gsl_sf_gamma_inc_P(p[0], x / p[1])); }
static double logsf(const double *p, double x) { return log(gsl_sf_gamma_inc_Q(p[0], x / p[1])); }

static double quantile(const double *p, double lq, int upper)
{
    double q = exp(lq);
    return upper ? gsl_cdf_gamma_Qinv(q, p[0], p[1]) : gsl_cdf_gamma_Pinv(q, p[0], p[1]);
}

/* M_j = scale^j Gamma(k+j)/Gamma(k) [P(k+j, hi/scale) - P(k+j, lo/scale)]
 * (Johnson, Kotz & Balakrishnan, vol. 1), with scale^j Gamma(k+j)/Gamma(k) =
 * (scale k) (scale (k+1)) for j = 2: exact, and finite at extreme shapes where
 * the difference of lngammas loses every digit (k = 1e300) or scale^2 underflows */
static double partial_moment(const double *p, double lo, double hi, int j)
{
    double k = p[0], sc = p[1];
    double c = j == 1 ? sc * k : (sc * k) * (sc * (k + 1));
    return c * family_inc_gamma_diff(k + j, lo / sc, hi / sc);
}

static void plan(const dist *d, dist_draw *out)
{
    if (!d->truncated && d->p[0] >= 1) {
        out->kind = DIST_DRAW_GAMMA;
        out->a = d->p[0];
        out->b = d->p[1];
    }
}

/* ---- fit: the simplex from Minka's (2002) approximation to the shape MLE ---- */

static double loglik(const fit_data *d, const double *p)
{
    double n = (double)d->n;
    return (p[0] - 1) * n * d->lmean - n * d->mean / p[1] - n * gsl_sf_lngamma(p[0]) - n * p[0] * log(p[1]);
}

/* k0 = (3 - s + sqrt((s - 3)^2 + 24 s)) / (12 s), s = log(mean) - mean(log x) */
static int start(const fit_data *d, double *p)
{
    double s = log(d->mean) - d->lmean;
    p[0] = s > 0 ? (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s) : 1;
    p[1] = d->mean / p[0];
    return 0;
}

static const family_fit fit = {
    .names = {"shape", "scale"},
    .uses_logs = 1,
    .loglik = loglik,
    .start = start,
};

const family_type family_gamma = {
    .name = "gamma",
    .nparams = 2,
    .natural_lo = 0,
    .args = {{"shape", "scale"}, {"mean", "sd"}},
    .parse = parse,
    .cdf = cdf,
    .sf = sf,
    .pinv = pinv,
    .qinv = qinv,
    .draw = draw,
    .inverse_ok = inverse_ok,
    .logpdf = logpdf,
    .logcdf = logcdf,
    .logsf = logsf,
    .quantile = quantile,
    .partial_moment = partial_moment,
    .plan = plan,
    .fit = &fit,
};
