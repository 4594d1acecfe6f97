/* dist: parsing, sampling and moments of scenario distributions (dist.h).
 *
 * Truncation.  A family with cdf F truncated to [lo, hi] has cdf
 * (F(x) - F(lo)) / (F(hi) - F(lo)).  It is sampled by rejection while the
 * kept mass F(hi) - F(lo) is at least 1/4 (at most 4 draws on average), and
 * otherwise by inversion, x = F^-1(F(lo) + U (F(hi) - F(lo))) (Devroye 1986,
 * "Non-Uniform Random Variate Generation", §II.2), computed on the survival
 * side in the upper tail so that no precision is lost near 1.  Weibull and
 * exponential invert in closed form and always use inversion.  A gamma
 * inverse is checked against its target and redone by bisection on ln x when
 * GSL's iteration missed it (extreme shapes; see gamma_inverse_ok).
 *
 * Moments of truncated families use closed forms for the partial moments
 * E[X^j; lo < X < hi] (see partial_moment) divided by the kept mass. */
#include "dist.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcol.h"
#include "dist_int.h"
#include "rng.h"

/* Draws on the engine's generator (rng_xoshiro256pp) use inline copies of
 * GSL's functions (rng.h): the same values from the same draws, without a
 * function-pointer call per draw.  Any other gsl_rng goes through GSL. */
static inline int is_xo(const gsl_rng *r) { return r->type == rng_xoshiro256pp; }
static inline double draw_uniform(gsl_rng *r) { return is_xo(r) ? rng_uniform(rng_state_of(r)) : gsl_rng_uniform(r); }
static inline double draw_uniform_pos(gsl_rng *r)
{
    return is_xo(r) ? rng_uniform_pos(rng_state_of(r)) : gsl_rng_uniform_pos(r);
}
static inline double draw_gaussian(gsl_rng *r, double sigma)
{
    return is_xo(r) ? rng_gaussian_ziggurat(r, sigma) : gsl_ran_gaussian_ziggurat(r, sigma);
}
static inline double draw_gamma(gsl_rng *r, double a, double b)
{
    return is_xo(r) ? rng_gamma(r, a, b) : gsl_ran_gamma(r, a, b);
}

static const char *const family_names[] = {"fixed",   "uniform",     "normal",
                                           "lognormal", "gamma",     "weibull",
                                           "exponential", "empirical", "mixture"};

const char *dist_family_name(dist_family f) { return family_names[f]; }
dist_family dist_get_family(const dist *d) { return d->fam; }

void dist_free(dist *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ncomp; i++)
        dist_free(d->comp[i]);
    free(d->comp);
    free(d->cumw);
    free(d->weight);
    free(d->values);
    free(d->file);
    free(d->column);
    free(d);
}

/* ---- untruncated cdf, quantile and survival for the continuous families ---- */

double dist_base_cdf(const dist *d, double x)
{
    switch (d->fam) {
    case DIST_NORMAL: return gsl_cdf_gaussian_P(x - d->p[0], d->p[1]);
    case DIST_LOGNORMAL: return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, d->p[0], d->p[1]);
    case DIST_GAMMA: return x <= 0 ? 0 : gsl_cdf_gamma_P(x, d->p[0], d->p[1]);
    case DIST_WEIBULL: return x <= 0 ? 0 : -expm1(-pow(x / d->p[1], d->p[0]));
    case DIST_EXPONENTIAL: return x <= 0 ? 0 : -expm1(-x / d->p[0]);
    case DIST_UNIFORM: return x <= d->p[0] ? 0 : x >= d->p[1] ? 1 : (x - d->p[0]) / (d->p[1] - d->p[0]);
    default: return NAN;
    }
}

double dist_base_sf(const dist *d, double x)
{
    switch (d->fam) {
    case DIST_NORMAL: return gsl_cdf_gaussian_Q(x - d->p[0], d->p[1]);
    case DIST_LOGNORMAL: return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, d->p[0], d->p[1]);
    case DIST_GAMMA: return x <= 0 ? 1 : gsl_cdf_gamma_Q(x, d->p[0], d->p[1]);
    case DIST_WEIBULL: return x <= 0 ? 1 : exp(-pow(x / d->p[1], d->p[0]));
    case DIST_EXPONENTIAL: return x <= 0 ? 1 : exp(-x / d->p[0]);
    default: return 1 - dist_base_cdf(d, x);
    }
}

/* gsl_cdf_gamma_Pinv starts its iteration for p < 0.05 from (Gamma(k) p)^(1/k),
 * k^(-1/k) times the leading term (Gamma(k+1) p)^(1/k) of the quantile, and for
 * shape k <= 0.1 gives up (NaN).  Then solve ln P(k, x) = ln p by Newton's
 * method in t = ln x from that leading term: ln P(k, e^t) is concave in t (ln X
 * has a log-concave density) and P(k, x) <= x^k / Gamma(k+1) puts the start
 * below the root, so the iterates rise to it. */
static double gamma_pinv(double p, double k, double scale)
{
    double x = gsl_cdf_gamma_Pinv(p, k, scale);
    if (!isnan(x))
        return x;
    double t = (log(p) + gsl_sf_lngamma(k + 1)) / k;
    for (int i = 0; i < 100; i++) {
        double y = exp(t), P = gsl_sf_gamma_inc_P(k, y);
        double step = (log(P) - log(p)) * P / (y * gsl_ran_gamma_pdf(y, k, 1));
        t -= step;
        if (!(fabs(step) > 1e-15 * fmax(1, fabs(t))))
            break;
    }
    return scale * exp(t);
}

static double base_pinv(const dist *d, double p)
{
    switch (d->fam) {
    case DIST_NORMAL: return d->p[0] + gsl_cdf_gaussian_Pinv(p, d->p[1]);
    case DIST_LOGNORMAL: return gsl_cdf_lognormal_Pinv(p, d->p[0], d->p[1]);
    case DIST_GAMMA: return gamma_pinv(p, d->p[0], d->p[1]);
    default: return NAN;
    }
}

static double base_qinv(const dist *d, double q)
{
    switch (d->fam) {
    case DIST_NORMAL: return d->p[0] + gsl_cdf_gaussian_Qinv(q, d->p[1]);
    case DIST_LOGNORMAL: return gsl_cdf_lognormal_Qinv(q, d->p[0], d->p[1]);
    case DIST_GAMMA: return gsl_cdf_gamma_Qinv(q, d->p[0], d->p[1]);
    default: return NAN;
    }
}

static double base_draw(const dist *d, gsl_rng *r)
{
    switch (d->fam) {
    case DIST_NORMAL: return d->p[0] + draw_gaussian(r, d->p[1]);
    case DIST_LOGNORMAL: return exp(d->p[0] + draw_gaussian(r, d->p[1]));
    case DIST_GAMMA: return draw_gamma(r, d->p[0], d->p[1]);
    default: return NAN;
    }
}

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

double dist_sample(const dist *d, gsl_rng *r)
{
    switch (d->fam) {
    case DIST_FIXED: return d->p[0];
    case DIST_UNIFORM: return d->p[0] + (d->p[1] - d->p[0]) * draw_uniform(r);
    case DIST_EMPIRICAL: return d->values[gsl_rng_uniform_int(r, d->n)];
    case DIST_MIXTURE: {
        double u = draw_uniform(r);
        size_t i = 0;
        while (i + 1 < d->ncomp && u >= d->cumw[i])
            i++;
        return dist_sample(d->comp[i], r);
    }
    case DIST_WEIBULL:
    case DIST_EXPONENTIAL: {
        /* Inversion on the survival side: S(x) = exp(-(x/scale)^k). */
        double k = d->fam == DIST_WEIBULL ? d->p[0] : 1, scale = d->fam == DIST_WEIBULL ? d->p[1] : d->p[0];
        double s = d->sf_hi + (d->sf_lo - d->sf_hi) * draw_uniform_pos(r);
        double x = scale * pow(-log(s), 1 / k);
        return d->truncated ? clampd(x, d->lo, d->hi) : x;
    }
    default: break;
    }
    if (!d->truncated)
        return base_draw(d, r);
    if (d->mass >= 0.25) {
        for (int tries = 0; tries < 64; tries++) {
            double x = base_draw(d, r);
            if (x >= d->lo && x <= d->hi)
                return x;
        }
    }
    return dist_sample_inverse(d, r);
}

/* Solves S(x) = target (upper) or F(x) = target by bisection on ln x over the
 * support: slow (about 60 evaluations of the cdf) but sure, as F is monotone
 * and GSL's incomplete gamma function stays accurate at extreme shapes. */
static double invert_bisect(const dist *d, double target, int upper)
{
    double a = fmax(d->lo, DBL_TRUE_MIN), b = fmin(d->hi, DBL_MAX);
    for (int i = 0; i < 200 && b > a * (1 + 4 * DBL_EPSILON); i++) {
        double m = sqrt(a) * sqrt(b); /* the geometric midpoint, without overflow */
        if (!(m > a && m < b))
            m = a + (b - a) / 2;
        if (upper ? dist_base_sf(d, m) > target : dist_base_cdf(d, m) < target)
            a = m;
        else
            b = m;
    }
    return a + (b - a) / 2;
}

/* gsl_cdf_gamma_Qinv returns its last Newton iterate without checking it:
 * for shape 1e-8, scale 1e10, min=1 it never goes below ~2,219 although 34%
 * of the mass lies in [1, 2219].  A gamma inverse that misses its target by
 * more than 1e-6 relative (GSL's Pinv guarantees 1.5e-8 when it succeeds, so
 * results that were right are kept bit for bit) is redone by bisection. */
static int gamma_inverse_ok(const dist *d, double x, double target, int upper)
{
    if (!isfinite(x))
        return 0;
    double f = upper ? dist_base_sf(d, x) : dist_base_cdf(d, x);
    return fabs(f - target) <= 1e-6 * target;
}

double dist_sample_inverse(const dist *d, gsl_rng *r)
{
    double u = draw_uniform_pos(r), x;
    int upper = d->cdf_lo > 0.5;
    double target = upper ? d->sf_hi + u * (d->sf_lo - d->sf_hi) : d->cdf_lo + u * (d->cdf_hi - d->cdf_lo);
    x = upper ? base_qinv(d, target) : base_pinv(d, target);
    if (d->fam == DIST_GAMMA && !gamma_inverse_ok(d, x, target, upper))
        x = invert_bisect(d, target, upper);
    if (!isfinite(x))
        x = d->cdf_lo > 0.5 ? d->lo : d->hi; /* tail beyond double precision */
    return clampd(x, d->lo, d->hi);
}

void dist_draw_plan(const dist *d, dist_draw *out)
{
    memset(out, 0, sizeof *out);
    out->kind = DIST_DRAW_CALL;
    switch (d->fam) {
    case DIST_FIXED:
        out->kind = DIST_DRAW_FIXED;
        out->a = d->p[0];
        break;
    case DIST_UNIFORM:
        out->kind = DIST_DRAW_UNIFORM;
        out->a = d->p[0];
        out->b = d->p[1] - d->p[0];
        break;
    case DIST_GAMMA:
        if (!d->truncated && d->p[0] >= 1) {
            out->kind = DIST_DRAW_GAMMA;
            out->a = d->p[0];
            out->b = d->p[1];
        }
        break;
    case DIST_LOGNORMAL:
        out->a = d->p[0];
        out->b = d->p[1];
        if (!d->truncated) {
            out->kind = DIST_DRAW_LOGNORMAL;
        } else if (d->mass >= 0.25) {
            /* exp(z) < lo for sure when z < log(lo) - 1e-9 (1 + |log lo|): the
             * margin dwarfs the rounding of log, exp and the comparison */
            double llo = d->lo > 0 ? log(d->lo) : -INFINITY, lhi = log(d->hi);
            out->kind = DIST_DRAW_LOGNORMAL_REJECT;
            out->lo = d->lo;
            out->hi = d->hi;
            out->zlo = isfinite(llo) ? llo - 1e-9 * (1 + fabs(llo)) : -INFINITY;
            out->zhi = isfinite(lhi) ? lhi + 1e-9 * (1 + fabs(lhi)) : INFINITY;
        }
        break;
    default: break;
    }
}

double dist_lower(const dist *d) { return d->lo; }
double dist_upper(const dist *d) { return d->hi; }

double dist_cdf(const dist *d, double x)
{
    switch (d->fam) {
    case DIST_FIXED: return x >= d->p[0] ? 1 : 0;
    case DIST_EMPIRICAL: {
        size_t lo = 0, hi = d->n; /* values are sorted: count those <= x */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (d->values[mid] <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return (double)lo / (double)d->n;
    }
    case DIST_MIXTURE: {
        double s = 0;
        for (size_t i = 0; i < d->ncomp; i++)
            s += d->weight[i] * dist_cdf(d->comp[i], x);
        return s;
    }
    default:
        if (x < d->lo)
            return 0;
        if (x >= d->hi)
            return 1;
        if (!d->truncated)
            return dist_base_cdf(d, x);
        if (d->cdf_lo > 0.5)
            return (d->sf_lo - dist_base_sf(d, x)) / d->mass;
        return (dist_base_cdf(d, x) - d->cdf_lo) / d->mass;
    }
}

/* ---- moments ----
 * Partial moments M_j = E[X^j; lo < X < hi] in closed form (Johnson, Kotz &
 * Balakrishnan, "Continuous Univariate Distributions", vol. 1):
 *   normal:     with a = (lo-mu)/sd, b = (hi-mu)/sd, Z = Phi(b) - Phi(a),
 *               M_1 = mu Z + sd (phi(a) - phi(b)),
 *               M_2 = (mu^2 + sd^2) Z + 2 mu sd (phi(a) - phi(b)) + sd^2 (a phi(a) - b phi(b));
 *   lognormal:  M_j = exp(j mu + j^2 s^2 / 2) [Phi((ln hi - mu - j s^2)/s) - Phi((ln lo - mu - j s^2)/s)];
 *   gamma:      M_j = scale^j Gamma(k+j)/Gamma(k) [P(k+j, hi/scale) - P(k+j, lo/scale)];
 *   weibull:    M_j = scale^j Gamma(1+j/k) [P(1+j/k, (hi/scale)^k) - P(1+j/k, (lo/scale)^k)];
 * with P the regularised lower incomplete gamma function. */
static double inc_gamma_diff(double s, double xlo, double xhi)
{
    /* P(s, xhi) - P(s, xlo), taken on the Q side when both are near 1. */
    double plo = xlo <= 0 ? 0 : gsl_sf_gamma_inc_P(s, xlo);
    if (plo > 0.5) {
        double qhi = isinf(xhi) ? 0 : gsl_sf_gamma_inc_Q(s, xhi);
        return gsl_sf_gamma_inc_Q(s, xlo) - qhi;
    }
    double phi = isinf(xhi) ? 1 : gsl_sf_gamma_inc_P(s, xhi);
    return phi - plo;
}

static double phi_pdf(double z) { return isinf(z) ? 0 : exp(-0.5 * z * z) / sqrt(2 * M_PI); }
static double zphi(double z) { return isinf(z) ? 0 : z * phi_pdf(z); }

static double partial_moment(const dist *d, int j)
{
    double lo = d->lo, hi = d->hi;
    switch (d->fam) {
    case DIST_NORMAL: {
        double mu = d->p[0], sd = d->p[1], a = (lo - mu) / sd, b = (hi - mu) / sd;
        double z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
        if (a > 0)
            z = gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b);
        double dphi = phi_pdf(a) - phi_pdf(b);
        if (j == 1)
            return mu * z + sd * dphi;
        return (mu * mu + sd * sd) * z + 2 * mu * sd * dphi + sd * sd * (zphi(a) - zphi(b));
    }
    case DIST_LOGNORMAL: {
        double mu = d->p[0], s = d->p[1], sh = j * s * s;
        double a = lo > 0 ? (log(lo) - mu - sh) / s : -INFINITY;
        double b = isinf(hi) ? INFINITY : (log(hi) - mu - sh) / s;
        double z = a > 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b)
                         : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
        return exp(j * mu + 0.5 * j * j * s * s) * z;
    }
    case DIST_GAMMA: {
        /* scale^j Gamma(k+j)/Gamma(k) = (scale k) (scale (k+1)) for j = 2: exact, and
         * finite at extreme shapes where the difference of lngammas loses every digit
         * (k = 1e300) or scale^2 underflows */
        double k = d->p[0], sc = d->p[1];
        double c = j == 1 ? sc * k : (sc * k) * (sc * (k + 1));
        return c * inc_gamma_diff(k + j, lo / sc, hi / sc);
    }
    case DIST_WEIBULL:
    case DIST_EXPONENTIAL: {
        double k = d->fam == DIST_WEIBULL ? d->p[0] : 1, sc = d->fam == DIST_WEIBULL ? d->p[1] : d->p[0];
        double s = 1 + j / k;
        return pow(sc, j) * gsl_sf_gamma(s) *
               inc_gamma_diff(s, pow(lo > 0 ? lo / sc : 0, k), isinf(hi) ? INFINITY : pow(hi / sc, k));
    }
    default: return NAN;
    }
}

static int moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    switch (d->fam) {
    case DIST_FIXED: *m1 = d->p[0]; *m2 = d->p[0] * d->p[0]; break;
    case DIST_UNIFORM: {
        double a = d->p[0], b = d->p[1];
        *m1 = (a + b) / 2;
        *m2 = (a * a + a * b + b * b) / 3;
        break;
    }
    case DIST_EMPIRICAL: {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < d->n; i++) {
            s += d->values[i];
            s2 += d->values[i] * d->values[i];
        }
        *m1 = s / (double)d->n;
        *m2 = s2 / (double)d->n;
        break;
    }
    case DIST_MIXTURE: {
        *m1 = *m2 = 0;
        for (size_t i = 0; i < d->ncomp; i++) {
            double a, b;
            int rc = moments(d->comp[i], &a, &b, err);
            if (rc)
                return rc;
            *m1 += d->weight[i] * a;
            *m2 += d->weight[i] * b;
        }
        break;
    }
    default:
        *m1 = partial_moment(d, 1) / d->mass;
        *m2 = partial_moment(d, 2) / d->mass;
    }
    if (!isfinite(*m1) || !isfinite(*m2))
        return fz_fail(err, FZ_ERUNTIME, "%s: the moments are not finite", family_names[d->fam]);
    return 0;
}

int dist_mean(const dist *d, double *mean, fz_error *err)
{
    double m2;
    return moments(d, mean, &m2, err);
}

int dist_variance(const dist *d, double *var, fz_error *err)
{
    double m1, m2;
    int rc = moments(d, &m1, &m2, err);
    if (rc)
        return rc;
    *var = m2 - m1 * m1;
    if (*var < 0)
        *var = 0;
    return 0;
}
