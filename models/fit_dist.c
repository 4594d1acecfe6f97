/* fit_dist: the families of fit.h as distributions: log-density, log tails
 * and log of the kept mass of the untruncated family (shared with the
 * estimation in fit.c), and the density, cdf, survival function, quantile and
 * scenario syntax of a fitted, possibly truncated, family.
 *
 * Everything is computed from log tails (log F and log(1 - F), each taken
 * directly: through log erfc for the normal's far tail, exactly for the
 * Weibull and exponential), so a family truncated deep in its tail (a normal
 * 40 sd out, as the optimiser may visit) neither underflows nor cancels. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>

#include "fit_int.h"

/* ---- the untruncated families: p are the canonical parameters ---- */

double fit_base_logpdf(fit_family f, const double *p, double x)
{
    switch (f) {
    case FIT_LOGNORMAL: {
        if (!(x > 0))
            return -INFINITY;
        double z = (log(x) - p[0]) / p[1];
        return -log(x) - log(p[1]) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
    }
    case FIT_GAMMA:
        if (!(x > 0))
            return -INFINITY;
        return (p[0] - 1) * log(x) - x / p[1] - gsl_sf_lngamma(p[0]) - p[0] * log(p[1]);
    case FIT_WEIBULL:
        if (!(x > 0))
            return -INFINITY;
        return log(p[0] / p[1]) + (p[0] - 1) * log(x / p[1]) - pow(x / p[1], p[0]);
    case FIT_EXPONENTIAL: return x < 0 ? -INFINITY : -log(p[0]) - x / p[0];
    case FIT_NORMAL: {
        double z = (x - p[0]) / p[1];
        return -log(p[1]) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
    }
    default: return NAN;
    }
}

/* log(1 - e^a) for a <= 0 (Maechler 2012, "Accurately computing log(1 - exp(-|a|))"). */
double fit_log1mexp(double a)
{
    if (!(a < 0))
        return -INFINITY;
    return a > -M_LN2 ? log(-expm1(a)) : log1p(-exp(a));
}

/* log Phi(z), through log erfc in the lower tail where Phi underflows. */
static double log_phi(double z)
{
    return z < -5 ? gsl_sf_log_erfc(-z / M_SQRT2) - M_LN2 : log(gsl_cdf_ugaussian_P(z));
}

/* log F(x) (upper = 0) or log(1 - F(x)) (upper = 1), each computed directly. */
static double base_log_tail(fit_family f, const double *p, double x, int upper)
{
    if (x == -INFINITY || (f != FIT_NORMAL && x <= 0))
        return upper ? 0 : -INFINITY;
    if (x == INFINITY)
        return upper ? -INFINITY : 0;
    switch (f) {
    case FIT_LOGNORMAL: {
        double z = (log(x) - p[0]) / p[1];
        return log_phi(upper ? -z : z);
    }
    case FIT_NORMAL: {
        double z = (x - p[0]) / p[1];
        return log_phi(upper ? -z : z);
    }
    case FIT_GAMMA: return log(upper ? gsl_sf_gamma_inc_Q(p[0], x / p[1]) : gsl_sf_gamma_inc_P(p[0], x / p[1]));
    case FIT_WEIBULL:
    case FIT_EXPONENTIAL: {
        double ls = f == FIT_WEIBULL ? -pow(x / p[1], p[0]) : -x / p[0];
        return upper ? ls : fit_log1mexp(ls);
    }
    default: return NAN;
    }
}

double fit_base_logcdf(fit_family f, const double *p, double x) { return base_log_tail(f, p, x, 0); }
double fit_base_logsf(fit_family f, const double *p, double x) { return base_log_tail(f, p, x, 1); }

int fit_cuts_lo(fit_family f, double lo) { return isfinite(lo) && (f == FIT_NORMAL || lo > 0); }

double fit_log_mass(fit_family f, const double *p, double lo, double hi)
{
    if (!fit_cuts_lo(f, lo) && !isfinite(hi))
        return 0;
    /* F(hi) - F(lo) = F(hi) (1 - F(lo)/F(hi)), or on the survival side
     * S(lo) - S(hi) = S(lo) (1 - S(hi)/S(lo)) when lo is in the upper half */
    double lF_lo = fit_cuts_lo(f, lo) ? fit_base_logcdf(f, p, lo) : -INFINITY;
    if (lF_lo > -M_LN2) {
        double lS_lo = fit_base_logsf(f, p, lo), lS_hi = fit_base_logsf(f, p, hi);
        return lS_lo + fit_log1mexp(lS_hi - lS_lo);
    }
    double lF_hi = fit_base_logcdf(f, p, hi);
    return lF_hi + fit_log1mexp(lF_lo - lF_hi);
}

/* ---- the fitted distribution ---- */

void fit_canonical(const fit_result *r, double *p)
{
    switch (r->family) {
    case FIT_LOGNORMAL: p[0] = log(r->param[0]), p[1] = r->param[1]; break;
    case FIT_EXPONENTIAL: p[0] = r->param[0], p[1] = 0; break;
    default: p[0] = r->param[0], p[1] = r->param[1]; break;
    }
}

double fit_pdf(const fit_result *r, double x)
{
    double p[2];
    fit_canonical(r, p);
    if (x < r->lo || x > r->hi)
        return 0;
    return exp(fit_base_logpdf(r->family, p, x) - fit_log_mass(r->family, p, r->lo, r->hi));
}

/* The truncated cdf and survival function at lo < x < hi:
 *   u = (F(x) - F(lo)) / m,  s = (S(x) - S(hi)) / m,  m = F(hi) - F(lo),
 * each difference from log tails on the side where it does not cancel
 * (F(x) - F(lo) = F(x) (1 - F(lo)/F(x)) while x is in the lower half of the
 * family, S(lo) - S(x) = S(lo) (1 - S(x)/S(lo)) above it; the same for
 * S(x) - S(hi)), so that u and s stay accurate deep in either tail. */
static void truncated_tails(const fit_result *r, double x, double *u, double *s)
{
    double p[2];
    fit_canonical(r, p);
    fit_family f = r->family;
    double lF = fit_base_logcdf(f, p, x), lS = fit_base_logsf(f, p, x), lbelow, labove;
    double lo = fit_cuts_lo(f, r->lo) ? r->lo : -INFINITY, hi = r->hi;
    if (lF < -M_LN2)
        lbelow = lF + fit_log1mexp(fmin(fit_base_logcdf(f, p, lo) - lF, 0));
    else {
        double lS_lo = fit_base_logsf(f, p, lo);
        lbelow = lS_lo + fit_log1mexp(fmin(lS - lS_lo, 0));
    }
    if (lS < -M_LN2)
        labove = lS + fit_log1mexp(fmin(fit_base_logsf(f, p, hi) - lS, 0));
    else {
        double lF_hi = fit_base_logcdf(f, p, hi);
        labove = lF_hi + fit_log1mexp(fmin(lF - lF_hi, 0));
    }
    double lm = fit_log_mass(f, p, r->lo, r->hi); /* ratios in logs: m may underflow */
    *u = fmin(1, exp(lbelow - lm));
    *s = fmin(1, exp(labove - lm));
}

double fit_cdf(const fit_result *r, double x)
{
    if (x <= r->lo)
        return 0;
    if (x >= r->hi)
        return 1;
    double u, s;
    truncated_tails(r, x, &u, &s);
    return u;
}

double fit_sf(const fit_result *r, double x)
{
    if (x <= r->lo)
        return 1;
    if (x >= r->hi)
        return 0;
    double u, s;
    truncated_tails(r, x, &u, &s);
    return s;
}

/* Quantile of the untruncated family at lower-tail probability e^lq, or
 * upper-tail probability e^lq when upper. */
static double base_quantile(fit_family f, const double *p, double lq, int upper)
{
    double q = exp(lq);
    switch (f) {
    case FIT_LOGNORMAL: return upper ? gsl_cdf_lognormal_Qinv(q, p[0], p[1]) : gsl_cdf_lognormal_Pinv(q, p[0], p[1]);
    case FIT_NORMAL: return p[0] + (upper ? gsl_cdf_gaussian_Qinv(q, p[1]) : gsl_cdf_gaussian_Pinv(q, p[1]));
    case FIT_GAMMA: return upper ? gsl_cdf_gamma_Qinv(q, p[0], p[1]) : gsl_cdf_gamma_Pinv(q, p[0], p[1]);
    case FIT_WEIBULL: return p[1] * pow(upper ? -lq : -fit_log1mexp(lq), 1 / p[0]);
    case FIT_EXPONENTIAL: return p[0] * (upper ? -lq : -fit_log1mexp(lq));
    default: return NAN;
    }
}

/* Fallback when the tail probabilities underflow (a family truncated far out
 * in its tail): bracket by doubling, then bisect the truncated cdf, which is
 * computed from log tails. */
static double quantile_bisect(const fit_result *r, double q)
{
    double a = fit_cuts_lo(r->family, r->lo) ? r->lo : r->family == FIT_NORMAL ? -1 : 0, b = isfinite(r->hi) ? r->hi : 1;
    for (int i = 0; i < 2100 && fit_cdf(r, a) > q; i++)
        a = a < 0 ? 2 * a : -1;
    for (int i = 0; i < 2100 && b < a; i++)
        b = b > 0 ? 2 * b : 1;
    for (int i = 0; i < 2100 && fit_cdf(r, b) < q; i++)
        b = 2 * fabs(b) + 1;
    for (int i = 0; i < 200 && b - a > 1e-12 * fmax(fabs(a), fabs(b)); i++) {
        double m = 0.5 * (a + b);
        if (fit_cdf(r, m) < q)
            a = m;
        else
            b = m;
    }
    return 0.5 * (a + b);
}

double fit_quantile(const fit_result *r, double q)
{
    if (!(q >= 0 && q <= 1))
        return NAN;
    if (q == 0 && fit_cuts_lo(r->family, r->lo))
        return r->lo;
    if (q == 1 && isfinite(r->hi))
        return r->hi;
    double p[2];
    fit_canonical(r, p);
    fit_family f = r->family;
    double lF_lo = fit_cuts_lo(f, r->lo) ? fit_base_logcdf(f, p, r->lo) : -INFINITY, x;
    if (lF_lo > -M_LN2) {
        /* S(x) = S(lo) - q (S(lo) - S(hi)) = S(lo) (1 - q (1 - S(hi)/S(lo))) */
        double lS_lo = fit_base_logsf(f, p, r->lo), b = fit_base_logsf(f, p, r->hi) - lS_lo;
        x = base_quantile(f, p, lS_lo + log1p(-q * -expm1(b)), 1);
    } else {
        /* F(x) = F(lo) + q (F(hi) - F(lo)) = F(hi) (e^b + q (1 - e^b)) */
        double lF_hi = fit_base_logcdf(f, p, r->hi), b = lF_lo - lF_hi;
        double lu = lF_hi + log(exp(b) + q * -expm1(b));
        x = lu > -M_LN2 ? base_quantile(f, p, fit_log1mexp(lu), 1) : base_quantile(f, p, lu, 0);
    }
    if (fit_cuts_lo(f, r->lo) && x < r->lo)
        x = r->lo;
    if (x > r->hi)
        x = r->hi;
    return isfinite(x) || (q == 1 && !isfinite(r->hi)) ? x : quantile_bisect(r, q);
}

int fit_format(const fit_result *r, char *buf, size_t size)
{
    int n;
    if (r->family == FIT_EXPONENTIAL)
        n = snprintf(buf, size, "exponential(mean=%.6g", r->param[0]);
    else
        n = snprintf(buf, size, "%s(%s=%.6g, %s=%.6g", fit_family_name(r->family), r->names[0], r->param[0],
                     r->names[1], r->param[1]);
    size_t used = n > 0 && (size_t)n < size ? (size_t)n : size;
    if (fit_cuts_lo(r->family, r->lo)) {
        n += snprintf(buf + used, size - used, ", min=%.10g", r->lo);
        used = n > 0 && (size_t)n < size ? (size_t)n : size;
    }
    if (isfinite(r->hi)) {
        n += snprintf(buf + used, size - used, ", max=%.10g", r->hi);
        used = n > 0 && (size_t)n < size ? (size_t)n : size;
    }
    n += snprintf(buf + used, size - used, ")");
    return n;
}
