/* family: the table of families, the maths several share, and a continuous
 * family truncated to [lo, hi] computed in logs (family.h).
 *
 * Everything about the truncated distribution is computed from log tails
 * (log F and log(1 - F), each taken directly: through log erfc for the
 * normal's far tail, exactly for the Weibull and exponential), so a family
 * truncated deep in its tail (a normal 40 sd out, as the fit's optimiser may
 * visit) neither underflows nor cancels. */
#include "family.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

#define FZ_FAMILY_PTR(ID, name, fit) &family_##name,
const family_type *const family_table[DIST_NFAMILIES] = {FZ_FAMILIES(FZ_FAMILY_PTR)};
#undef FZ_FAMILY_PTR

int family_find(const char *s, size_t n)
{
    for (int f = 0; f < DIST_NFAMILIES; f++)
        if (strlen(family_table[f]->name) == n && memcmp(family_table[f]->name, s, n) == 0)
            return f;
    return -1;
}

/* ---- shared maths ---- */

/* log(1 - e^a) for a <= 0 (Maechler 2012, "Accurately computing log(1 - exp(-|a|))"). */
double family_log1mexp(double a)
{
    if (!(a < 0))
        return -INFINITY;
    return a > -M_LN2 ? log(-expm1(a)) : log1p(-exp(a));
}

/* log Phi(z), through log erfc in the lower tail where Phi underflows. */
double family_log_phi(double z) { return z < -5 ? gsl_sf_log_erfc(-z / M_SQRT2) - M_LN2 : log(gsl_cdf_ugaussian_P(z)); }

/* P(s, xhi) - P(s, xlo), taken on the Q side when both are near 1. */
double family_inc_gamma_diff(double s, double xlo, double xhi)
{
    double plo = xlo <= 0 ? 0 : gsl_sf_gamma_inc_P(s, xlo);
    if (plo > 0.5) {
        double qhi = isinf(xhi) ? 0 : gsl_sf_gamma_inc_Q(s, xhi);
        return gsl_sf_gamma_inc_Q(s, xlo) - qhi;
    }
    double phi = isinf(xhi) ? 1 : gsl_sf_gamma_inc_P(s, xhi);
    return phi - plo;
}

/* M_j = scale^j Gamma(1+j/k) [P(1+j/k, (hi/scale)^k) - P(1+j/k, (lo/scale)^k)]
 * (Johnson, Kotz & Balakrishnan, "Continuous Univariate Distributions", vol. 1),
 * P the regularised lower incomplete gamma function */
double family_weibull_moment(double k, double sc, double lo, double hi, int j)
{
    double s = 1 + j / k;
    return pow(sc, j) * gsl_sf_gamma(s) *
           family_inc_gamma_diff(s, pow(lo > 0 ? lo / sc : 0, k), isinf(hi) ? INFINITY : pow(hi / sc, k));
}

/* ---- log tails of the untruncated family, at any x ---- */

static double log_tail(const family_type *t, const double *p, double x, int upper)
{
    if (x == -INFINITY || x <= t->natural_lo)
        return upper ? 0 : -INFINITY;
    if (x == INFINITY)
        return upper ? -INFINITY : 0;
    return upper ? t->logsf(p, x) : t->logcdf(p, x);
}

double family_logcdf(const family_type *t, const double *p, double x) { return log_tail(t, p, x, 0); }
double family_logsf(const family_type *t, const double *p, double x) { return log_tail(t, p, x, 1); }

int family_cuts_lo(const family_type *t, double lo) { return isfinite(lo) && lo > t->natural_lo; }

/* ---- the truncated family ---- */

double family_trunc_logmass(const family_trunc *f)
{
    const family_type *t = f->t;
    if (!family_cuts_lo(t, f->lo) && !isfinite(f->hi))
        return 0;
    /* F(hi) - F(lo) = F(hi) (1 - F(lo)/F(hi)), or on the survival side
     * S(lo) - S(hi) = S(lo) (1 - S(hi)/S(lo)) when lo is in the upper half */
    double lF_lo = family_cuts_lo(t, f->lo) ? family_logcdf(t, f->p, f->lo) : -INFINITY;
    if (lF_lo > -M_LN2) {
        double lS_lo = family_logsf(t, f->p, f->lo), lS_hi = family_logsf(t, f->p, f->hi);
        return lS_lo + family_log1mexp(lS_hi - lS_lo);
    }
    double lF_hi = family_logcdf(t, f->p, f->hi);
    return lF_hi + family_log1mexp(lF_lo - lF_hi);
}

double family_trunc_pdf(const family_trunc *f, double x)
{
    if (x < f->lo || x > f->hi)
        return 0;
    return exp(f->t->logpdf(f->p, x) - family_trunc_logmass(f));
}

/* The truncated cdf and survival function at lo < x < hi:
 *   u = (F(x) - F(lo)) / m,  s = (S(x) - S(hi)) / m,  m = F(hi) - F(lo),
 * each difference from log tails on the side where it does not cancel
 * (F(x) - F(lo) = F(x) (1 - F(lo)/F(x)) while x is in the lower half of the
 * family, S(lo) - S(x) = S(lo) (1 - S(x)/S(lo)) above it; the same for
 * S(x) - S(hi)), so that u and s stay accurate deep in either tail. */
static void trunc_tails(const family_trunc *f, double x, double *u, double *s)
{
    const family_type *t = f->t;
    const double *p = f->p;
    double lF = family_logcdf(t, p, x), lS = family_logsf(t, p, x), lbelow, labove;
    double lo = family_cuts_lo(t, f->lo) ? f->lo : -INFINITY, hi = f->hi;
    if (lF < -M_LN2)
        lbelow = lF + family_log1mexp(fmin(family_logcdf(t, p, lo) - lF, 0));
    else {
        double lS_lo = family_logsf(t, p, lo);
        lbelow = lS_lo + family_log1mexp(fmin(lS - lS_lo, 0));
    }
    if (lS < -M_LN2)
        labove = lS + family_log1mexp(fmin(family_logsf(t, p, hi) - lS, 0));
    else {
        double lF_hi = family_logcdf(t, p, hi);
        labove = lF_hi + family_log1mexp(fmin(lF - lF_hi, 0));
    }
    double lm = family_trunc_logmass(f); /* ratios in logs: m may underflow */
    *u = fmin(1, exp(lbelow - lm));
    *s = fmin(1, exp(labove - lm));
}

double family_trunc_cdf(const family_trunc *f, double x)
{
    if (x <= f->lo)
        return 0;
    if (x >= f->hi)
        return 1;
    double u, s;
    trunc_tails(f, x, &u, &s);
    return u;
}

double family_trunc_sf(const family_trunc *f, double x)
{
    if (x <= f->lo)
        return 1;
    if (x >= f->hi)
        return 0;
    double u, s;
    trunc_tails(f, x, &u, &s);
    return s;
}

/* Fallback when the tail probabilities underflow (a family truncated far out
 * in its tail): bracket by doubling, then bisect the truncated cdf, which is
 * computed from log tails. */
static double quantile_bisect(const family_trunc *f, double q)
{
    double a = family_cuts_lo(f->t, f->lo) ? f->lo : f->t->natural_lo < 0 ? -1 : 0;
    double b = isfinite(f->hi) ? f->hi : 1;
    for (int i = 0; i < 2100 && family_trunc_cdf(f, a) > q; i++)
        a = a < 0 ? 2 * a : -1;
    for (int i = 0; i < 2100 && b < a; i++)
        b = b > 0 ? 2 * b : 1;
    for (int i = 0; i < 2100 && family_trunc_cdf(f, b) < q; i++)
        b = 2 * fabs(b) + 1;
    for (int i = 0; i < 200 && b - a > 1e-12 * fmax(fabs(a), fabs(b)); i++) {
        double m = 0.5 * (a + b);
        if (family_trunc_cdf(f, m) < q)
            a = m;
        else
            b = m;
    }
    return 0.5 * (a + b);
}

double family_trunc_quantile(const family_trunc *f, double q)
{
    const family_type *t = f->t;
    const double *p = f->p;
    if (!(q >= 0 && q <= 1))
        return NAN;
    if (q == 0 && family_cuts_lo(t, f->lo))
        return f->lo;
    if (q == 1 && isfinite(f->hi))
        return f->hi;
    double lF_lo = family_cuts_lo(t, f->lo) ? family_logcdf(t, p, f->lo) : -INFINITY, x;
    if (lF_lo > -M_LN2) {
        /* S(x) = S(lo) - q (S(lo) - S(hi)) = S(lo) (1 - q (1 - S(hi)/S(lo))) */
        double lS_lo = family_logsf(t, p, f->lo), b = family_logsf(t, p, f->hi) - lS_lo;
        x = t->quantile(p, lS_lo + log1p(-q * -expm1(b)), 1);
    } else {
        /* F(x) = F(lo) + q (F(hi) - F(lo)) = F(hi) (e^b + q (1 - e^b)) */
        double lF_hi = family_logcdf(t, p, f->hi), b = lF_lo - lF_hi;
        double lu = lF_hi + log(exp(b) + q * -expm1(b));
        x = lu > -M_LN2 ? t->quantile(p, family_log1mexp(lu), 1) : t->quantile(p, lu, 0);
    }
    if (family_cuts_lo(t, f->lo) && x < f->lo)
        x = f->lo;
    if (x > f->hi)
        x = f->hi;
    return isfinite(x) || (q == 1 && !isfinite(f->hi)) ? x : quantile_bisect(f, q);
}
