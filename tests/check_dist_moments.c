/* check_dist_moments: sampling of every family against independently computed
 * moments (slow: 200000 draws per case).
 *
 * For each case the test derives the reference distribution from the text by
 * itself (its own parameter conversions, e.g. lognormal mean/sd -> mu/sigma)
 * and computes mean, variance and the third and fourth central moments:
 *
 *   closed form  fixed, uniform; untruncated normal, lognormal, gamma,
 *                weibull, exponential (textbook moments); truncated normal
 *                (recursion I_k = (k-1) I_{k-2} + a^{k-1} phi(a) - b^{k-1} phi(b)
 *                for the partial moments of the standard normal); truncated
 *                lognormal (E[X^k; lo<X<hi] = e^{k mu + k^2 s^2/2}
 *                [Phi(beta_k) - Phi(alpha_k)]); left-truncated exponential
 *                (lo + Exp(mean), memoryless); empirical (population moments
 *                of the CSV column, read here with plain stdio); mixture
 *                (components combined about the mixture mean).
 *   quadrature   every continuous case, closed form or not: GSL QAGS/QAGIU/
 *                QAGIL of (x - c)^k pdf(x) (gsl_ran_*_pdf) over [lo, hi],
 *                divided by the integral of the pdf, with c the mean (so the
 *                central moments are integrated directly, not derived from raw
 *                ones); densities singular at 0 (shape < 1) are integrated in
 *                u = x^shape.  Truncated gamma, truncated weibull and the
 *                doubly-truncated exponential have only this, mu4 included.
 *
 * Where both exist they must agree (1e-9 relative for mean and variance,
 * 1e-6 for mu4), which checks the test's own formulas.  Then:
 *   - dist_mean and dist_variance agree with the reference to 1e-6 relative;
 *   - the sample mean is within 4 standard errors sqrt(var/n) of the mean;
 *   - the sample variance is within 4 standard errors sqrt((mu4 - var^2)/n)
 *     of the variance;
 *   - every draw is inside [dist_lower, dist_upper] and the reference support.
 * Draws come from gsl_rng_mt19937 seeded per case, so the run is reproducible. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "dist.h"

#define DATA_DIR FZ_TEST_DIR "/data"

enum { NSAMP = 200000, MAXCOMP = 3 };

typedef enum rfam {
    R_FIXED,        /* a = value */
    R_UNIFORM,      /* [a, b] */
    R_NORMAL,       /* mean a, sd b */
    R_LOGNORMAL,    /* median a, sigma b */
    R_LOGNORMAL_MS, /* mean a, sd b */
    R_GAMMA,        /* shape a, scale b */
    R_GAMMA_MS,     /* mean a, sd b */
    R_WEIBULL,      /* shape a, scale b */
    R_EXPONENTIAL,  /* mean a */
    R_EMPIRICAL     /* column of tests/data/amounts.csv */
} rfam;

/* One component of a reference distribution.  lo/hi are the truncation
 * (given as min=/max=, 0 = absent when the has_ flags are clear). */
typedef struct ref {
    rfam fam;
    double a, b;
    int has_lo, has_hi;
    double lo, hi;
    const char *column;
} ref;

typedef struct mcase {
    const char *text;
    int ncomp; /* 0: a single distribution comp[0]; else a mixture */
    double w[MAXCOMP];
    ref comp[MAXCOMP];
} mcase;

#define LO(x) .has_lo = 1, .lo = (x)
#define HI(x) .has_hi = 1, .hi = (x)
/* A component: family and parameters a, b; DT and EMPT add LO() and/or HI(). */
#define D(f, A, B)                     \
    {                                  \
        .fam = (f), .a = (A), .b = (B) \
    }
#define DT(f, A, B, ...)                            \
    {                                               \
        .fam = (f), .a = (A), .b = (B), __VA_ARGS__ \
    }
#define EMP(col)                            \
    {                                       \
        .fam = R_EMPIRICAL, .column = (col) \
    }
#define EMPT(col, ...)                                   \
    {                                                    \
        .fam = R_EMPIRICAL, .column = (col), __VA_ARGS__ \
    }
#define ONE(text, comp)          \
    {                            \
        (text), 0, {0}, { comp } \
    }

static const mcase cases[] = {
    /* untruncated, every family and form */
    ONE("fixed(1500)", D(R_FIXED, 1500, 0)),
    ONE("uniform(min=3, max=25)", D(R_UNIFORM, 3, 25)),
    ONE("normal(mean=10, sd=3)", D(R_NORMAL, 10, 3)),
    ONE("lognormal(median=1500, sigma=0.5)", D(R_LOGNORMAL, 1500, 0.5)),
    ONE("lognormal(mean=2000, sd=1000)", D(R_LOGNORMAL_MS, 2000, 1000)),
    ONE("gamma(shape=4, scale=3.5)", D(R_GAMMA, 4, 3.5)),
    ONE("gamma(mean=14, sd=7)", D(R_GAMMA_MS, 14, 7)),
    ONE("gamma(shape=0.5, scale=2)", D(R_GAMMA, 0.5, 2)),
    ONE("weibull(shape=1.5, scale=20)", D(R_WEIBULL, 1.5, 20)),
    ONE("weibull(shape=0.7, scale=5)", D(R_WEIBULL, 0.7, 5)),
    ONE("exponential(mean=7)", D(R_EXPONENTIAL, 7, 0)),
    ONE("empirical(file=amounts.csv, column=amount)", EMP("amount")),
    ONE("empirical(file=amounts.csv, column=days)", EMP("days")),
    /* truncated normal: rejection (kept mass >= 1/4) and inversion */
    ONE("normal(mean=2, sd=3, min=0)", DT(R_NORMAL, 2, 3, LO(0))),
    ONE("normal(mean=0, sd=1, min=0)", DT(R_NORMAL, 0, 1, LO(0))),
    ONE("normal(mean=10, sd=3, min=5, max=12)", DT(R_NORMAL, 10, 3, LO(5), HI(12))),
    ONE("normal(mean=-3, sd=2, min=0)", DT(R_NORMAL, -3, 2, LO(0))),
    ONE("normal(mean=0, sd=1, min=4)", DT(R_NORMAL, 0, 1, LO(4))),
    ONE("normal(mean=0, sd=1, max=-2.5)", DT(R_NORMAL, 0, 1, HI(-2.5))),
    ONE("normal(mean=100, sd=10, min=95, max=96)", DT(R_NORMAL, 100, 10, LO(95), HI(96))),
    /* truncated lognormal */
    ONE("lognormal(median=1500, sigma=0.5, min=1500)", DT(R_LOGNORMAL, 1500, 0.5, LO(1500))),
    ONE("lognormal(median=1500, sigma=0.5, min=1500, max=50000)", DT(R_LOGNORMAL, 1500, 0.5, LO(1500), HI(50000))),
    ONE("lognormal(median=1500, sigma=0.5, min=5000)", DT(R_LOGNORMAL, 1500, 0.5, LO(5000))),
    ONE("lognormal(median=1500, sigma=0.5, max=500)", DT(R_LOGNORMAL, 1500, 0.5, HI(500))),
    ONE("lognormal(mean=2000, sd=1000, max=1500)", DT(R_LOGNORMAL_MS, 2000, 1000, HI(1500))),
    /* truncated gamma */
    ONE("gamma(shape=2, scale=1, min=10)", DT(R_GAMMA, 2, 1, LO(10))),
    ONE("gamma(mean=14, sd=7, min=3, max=30)", DT(R_GAMMA_MS, 14, 7, LO(3), HI(30))),
    ONE("gamma(shape=3, scale=2, max=1)", DT(R_GAMMA, 3, 2, HI(1))),
    ONE("gamma(shape=0.5, scale=2, max=0.05)", DT(R_GAMMA, 0.5, 2, HI(0.05))),
    /* lower-tail inversion where gsl_cdf_gamma_Pinv does not converge (shape <= 0.1) */
    ONE("gamma(shape=0.1, scale=1, max=1e-8)", DT(R_GAMMA, 0.1, 1, HI(1e-8))),
    /* truncated weibull and exponential (always inversion) */
    ONE("weibull(shape=1.5, scale=20, min=10, max=40)", DT(R_WEIBULL, 1.5, 20, LO(10), HI(40))),
    ONE("weibull(shape=0.7, scale=5, min=20)", DT(R_WEIBULL, 0.7, 5, LO(20))),
    ONE("exponential(mean=7, min=3)", DT(R_EXPONENTIAL, 7, 0, LO(3))),
    ONE("exponential(mean=7, min=2, max=9)", DT(R_EXPONENTIAL, 7, 0, LO(2), HI(9))),
    ONE("exponential(mean=7, max=1)", DT(R_EXPONENTIAL, 7, 0, HI(1))),
    ONE("exponential(mean=2, min=30)", DT(R_EXPONENTIAL, 2, 0, LO(30))),
    /* truncated empirical */
    ONE("empirical(file=amounts.csv, column=amount, min=1000, max=5000)", EMPT("amount", LO(1000), HI(5000))),
    /* mixtures: a point mass with a truncated tail, truncated parts, empirical */
    {"mixture(0.7: fixed(0); 0.3: exponential(mean=5, max=30))",
     2,
     {0.7, 0.3},
     {D(R_FIXED, 0, 0), DT(R_EXPONENTIAL, 5, 0, HI(30))}},
    {"mixture(1: lognormal(median=1500, sigma=0.5, min=1500); 1: normal(mean=800, sd=200, min=0); "
     "2: uniform(min=500, max=1000))",
     3,
     {1, 1, 2},
     {DT(R_LOGNORMAL, 1500, 0.5, LO(1500)), DT(R_NORMAL, 800, 200, LO(0)), D(R_UNIFORM, 500, 1000)}},
    {"mixture(3: gamma(mean=14, sd=7); 1: empirical(file=amounts.csv, column=days))",
     2,
     {3, 1},
     {D(R_GAMMA_MS, 14, 7), EMP("days")}},
};

enum { NCASES = sizeof cases / sizeof *cases };

typedef struct moments4 {
    double mean, var, mu3, mu4;
} moments4;

/* ---- parameters as this test reads them ---- */

/* Native parameters: normal (mean, sd); lognormal (mu, sigma) of log X;
 * gamma (shape, scale); weibull (shape, scale); exponential (mean). */
static void native(const ref *c, double *p0, double *p1)
{
    *p0 = c->a;
    *p1 = c->b;
    switch (c->fam) {
    case R_LOGNORMAL: *p0 = log(c->a); break;
    case R_LOGNORMAL_MS: {
        /* E X = e^{mu + s^2/2}, Var X = (e^{s^2} - 1) (E X)^2 */
        double s2 = log(1 + (c->b / c->a) * (c->b / c->a));
        *p0 = log(c->a) - s2 / 2;
        *p1 = sqrt(s2);
        break;
    }
    case R_GAMMA_MS: /* mean = k theta, var = k theta^2 */
        *p1 = c->b * c->b / c->a;
        *p0 = c->a / *p1;
        break;
    default: break;
    }
}

/* Support of the reference: truncation clipped to the natural support. */
static void support(const ref *c, double *lo, double *hi)
{
    double nlo = c->fam == R_NORMAL ? -INFINITY : 0;
    if (c->fam == R_UNIFORM) {
        *lo = c->a;
        *hi = c->b;
        return;
    }
    if (c->fam == R_FIXED) {
        *lo = *hi = c->a;
        return;
    }
    *lo = c->has_lo ? fmax(c->lo, nlo) : nlo;
    *hi = c->has_hi ? c->hi : INFINITY;
}

/* ---- central moments from raw moments ---- */

/* r[k] = E[Y^k], k = 1..4, of Y = (X - shift) / scale. */
static moments4 from_raw(const double r[5], double shift, double scale)
{
    double m = r[1];
    moments4 o;
    o.mean = shift + scale * m;
    o.var = (r[2] - m * m) * scale * scale;
    o.mu3 = (r[3] - 3 * m * r[2] + 2 * m * m * m) * pow(scale, 3);
    o.mu4 = (r[4] - 4 * m * r[3] + 6 * m * m * r[2] - 3 * m * m * m * m) * pow(scale, 4);
    return o;
}

/* ---- closed forms ---- */

static double std_phi(double z) { return isinf(z) ? 0 : exp(-0.5 * z * z) / sqrt(2 * M_PI); }
static double zpow_phi(double z, int k) { return isinf(z) ? 0 : pow(z, k) * std_phi(z); }

/* Phi(b) - Phi(a), on the upper side when both are in the upper tail. */
static double norm_mass(double a, double b)
{
    return a > 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b) : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
}

/* Returns 1 and fills *o when the component has a closed form. */
static int closed_form(const ref *c, moments4 *o)
{
    double p0, p1, lo, hi;
    native(c, &p0, &p1);
    support(c, &lo, &hi);
    int trunc = c->has_lo || c->has_hi;
    switch (c->fam) {
    case R_FIXED: *o = (moments4){c->a, 0, 0, 0}; return 1;
    case R_UNIFORM: {
        double w = c->b - c->a;
        *o = (moments4){(c->a + c->b) / 2, w * w / 12, 0, pow(w, 4) / 80};
        return 1;
    }
    case R_NORMAL: {
        /* Partial moments of the standard normal on [a, b]. */
        double a = (lo - p0) / p1, b = (hi - p0) / p1, I[5], r[5];
        I[0] = norm_mass(a, b);
        I[1] = std_phi(a) - std_phi(b);
        for (int k = 2; k <= 4; k++)
            I[k] = (k - 1) * I[k - 2] + zpow_phi(a, k - 1) - zpow_phi(b, k - 1);
        for (int k = 1; k <= 4; k++)
            r[k] = I[k] / I[0];
        *o = from_raw(r, p0, p1);
        return 1;
    }
    case R_LOGNORMAL:
    case R_LOGNORMAL_MS: {
        /* Y = X / e^mu is lognormal(0, s): E[Y^k; .] = e^{k^2 s^2 / 2}
         * [Phi((ln hi - mu)/s - k s) - Phi((ln lo - mu)/s - k s)]. */
        double s = p1, za = lo > 0 ? (log(lo) - p0) / s : -INFINITY;
        double zb = isinf(hi) ? INFINITY : (log(hi) - p0) / s, r[5];
        double z0 = norm_mass(za, zb);
        for (int k = 1; k <= 4; k++)
            r[k] = exp(0.5 * k * k * s * s) * norm_mass(za - k * s, zb - k * s) / z0;
        *o = from_raw(r, 0, exp(p0));
        return 1;
    }
    case R_GAMMA:
    case R_GAMMA_MS:
        if (trunc)
            return 0;
        *o = (moments4){p0 * p1, p0 * p1 * p1, 2 * p0 * pow(p1, 3), 3 * p0 * (p0 + 2) * pow(p1, 4)};
        return 1;
    case R_WEIBULL: {
        if (trunc)
            return 0;
        double r[5];
        for (int k = 1; k <= 4; k++)
            r[k] = gsl_sf_gamma(1 + k / p0);
        *o = from_raw(r, 0, p1);
        return 1;
    }
    case R_EXPONENTIAL:
        if (c->has_hi)
            return 0;
        /* memoryless: X | X > lo is lo + Exp(mean) */
        *o = (moments4){lo + p0, p0 * p0, 2 * pow(p0, 3), 9 * pow(p0, 4)};
        return 1;
    default: return 0;
    }
}

/* ---- quadrature ---- */

typedef struct qpar {
    const ref *c;
    double p0, p1;
    double shift;
    int k;
} qpar;

static double pdf(const qpar *q, double x)
{
    switch (q->c->fam) {
    case R_NORMAL: return gsl_ran_gaussian_pdf(x - q->p0, q->p1);
    case R_LOGNORMAL:
    case R_LOGNORMAL_MS: return x > 0 ? gsl_ran_lognormal_pdf(x, q->p0, q->p1) : 0;
    case R_GAMMA:
    case R_GAMMA_MS: return x > 0 ? gsl_ran_gamma_pdf(x, q->p0, q->p1) : 0;
    case R_WEIBULL: return x > 0 ? gsl_ran_weibull_pdf(x, q->p1, q->p0) : 0;
    case R_EXPONENTIAL: return x >= 0 ? gsl_ran_exponential_pdf(x, q->p0) : 0;
    default: return NAN;
    }
}

static double integrand(double x, void *vp)
{
    const qpar *q = vp;
    double f = pdf(q, x);
    return f == 0 ? 0 : pow(x - q->shift, q->k) * f;
}

/* Untruncated quantile, only to place breakpoints of the integration (a NaN,
 * as gsl_cdf_gamma_Pinv gives for shape 0.1, just drops the breakpoint). */
static double quantile(const qpar *q, double p)
{
    switch (q->c->fam) {
    case R_NORMAL: return q->p0 + gsl_cdf_gaussian_Pinv(p, q->p1);
    case R_LOGNORMAL:
    case R_LOGNORMAL_MS: return gsl_cdf_lognormal_Pinv(p, q->p0, q->p1);
    case R_GAMMA:
    case R_GAMMA_MS: return gsl_cdf_gamma_Pinv(p, q->p0, q->p1);
    case R_WEIBULL: return q->p1 * pow(-log1p(-p), 1 / q->p0);
    case R_EXPONENTIAL: return -q->p0 * log1p(-p);
    default: return NAN;
    }
}

/* Shape of a density that is singular at 0 (gamma or weibull with shape < 1,
 * pdf ~ x^(shape - 1)), else 0. */
static double singular_shape(const qpar *q)
{
    rfam f = q->c->fam;
    return (f == R_GAMMA || f == R_GAMMA_MS || f == R_WEIBULL) && q->p0 < 1 ? q->p0 : 0;
}

/* x = u^(1/shape) on [0, c] takes the x^(shape - 1) singularity out:
 * the integrand in u is bounded. */
static double integrand_subst(double u, void *vp)
{
    const qpar *q = vp;
    double p = 1 / singular_shape(q);
    return u == 0 ? 0 : integrand(pow(u, p), vp) * p * pow(u, p - 1);
}

/* Integral over [lo, hi] split at the 1e-6 and 1 - 1e-6 quantiles, each piece
 * by QAGS, QAGIU or QAGIL to relative accuracy 1e-11 or absolute epsabs (for
 * integrals that vanish, as odd central moments of symmetric densities).  A
 * piece [0, c] of a singular density goes through QAGS after the substitution
 * above.  Returns 0, or a GSL status. */
static int integrate(qpar *q, double lo, double hi, double epsabs, double *out)
{
    double pts[4] = {lo, fmin(fmax(quantile(q, 1e-6), lo), hi), fmin(fmax(quantile(q, 1 - 1e-6), lo), hi), hi};
    const double eps = 1e-11;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
    gsl_function f = {integrand, q}, g = {integrand_subst, q};
    double total = 0, v, e;
    int status = 0, first = 0;
    if (singular_shape(q) > 0 && lo == 0 && pts[2] > 0) {
        status = gsl_integration_qags(&g, 0, pow(pts[2], singular_shape(q)), epsabs, eps, 2000, w, &v, &e);
        total += v;
        first = 2;
    }
    for (int i = first; i < 3 && !status; i++) {
        double a = pts[i], b = pts[i + 1];
        if (!(a < b))
            continue;
        if (isinf(a) && isinf(b))
            status = gsl_integration_qagi(&f, epsabs, eps, 2000, w, &v, &e);
        else if (isinf(b))
            status = gsl_integration_qagiu(&f, a, epsabs, eps, 2000, w, &v, &e);
        else if (isinf(a))
            status = gsl_integration_qagil(&f, b, epsabs, eps, 2000, w, &v, &e);
        else
            status = gsl_integration_qags(&f, a, b, epsabs, eps, 2000, w, &v, &e);
        total += v;
    }
    gsl_integration_workspace_free(w);
    *out = total;
    return status;
}

static moments4 quadrature(const ref *c)
{
    qpar q = {.c = c};
    double lo, hi, mass, m1, m[5];
    native(c, &q.p0, &q.p1);
    support(c, &lo, &hi);
    q.k = 0;
    ck_assert_int_eq(integrate(&q, lo, hi, 0, &mass), 0);
    ck_assert_double_gt(mass, 0);
    q.k = 1;
    ck_assert_int_eq(integrate(&q, lo, hi, 0, &m1), 0);
    q.shift = m1 / mass; /* central moments about the mean, not from raw */
    q.k = 2;
    ck_assert_int_eq(integrate(&q, lo, hi, 0, &m[2]), 0);
    for (q.k = 3; q.k <= 4; q.k++) {
        double scale = pow(m[2] / mass, q.k / 2.0) * mass;
        ck_assert_int_eq(integrate(&q, lo, hi, 1e-12 * scale, &m[q.k]), 0);
    }
    return (moments4){q.shift, m[2] / mass, m[3] / mass, m[4] / mass};
}

/* ---- empirical: the CSV column read with plain stdio ---- */

static moments4 empirical_moments(const ref *c)
{
    FILE *f = fopen(DATA_DIR "/amounts.csv", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    int col = -1, i = 0;
    for (char *s = line, *tok; (tok = strsep(&s, ",\r\n")) != NULL; i++)
        if (strcmp(tok, c->column) == 0 && col < 0)
            col = i;
    ck_assert_int_ge(col, 0);
    double v[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char *s = line, *tok = NULL;
        for (i = 0; i <= col; i++)
            tok = strsep(&s, ",\r\n");
        if (!tok || !*tok)
            continue;
        double x = strtod(tok, NULL);
        if ((c->has_lo && x < c->lo) || (c->has_hi && x > c->hi))
            continue;
        ck_assert_int_lt(n, 256);
        v[n++] = x;
    }
    fclose(f);
    ck_assert_int_gt(n, 0);
    moments4 o = {0};
    for (i = 0; i < n; i++)
        o.mean += v[i] / n;
    for (i = 0; i < n; i++) {
        double d = v[i] - o.mean;
        o.var += d * d / n;
        o.mu3 += d * d * d / n;
        o.mu4 += d * d * d * d / n;
    }
    return o;
}

static double rel_diff(double a, double b) { return fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-300); }

/* Reference moments of one component; closed form and quadrature must agree. */
static moments4 component_moments(const ref *c, const char *text)
{
    if (c->fam == R_EMPIRICAL)
        return empirical_moments(c);
    moments4 cf, qd;
    int have_cf = closed_form(c, &cf);
    if (c->fam == R_FIXED || c->fam == R_UNIFORM)
        return cf;
    qd = quadrature(c);
    if (!have_cf)
        return qd;
    ck_assert_msg(rel_diff(cf.mean, qd.mean) < 1e-9 && rel_diff(cf.var, qd.var) < 1e-9 &&
                      rel_diff(cf.mu4, qd.mu4) < 1e-6,
                  "%s: closed form (mean %.12g, var %.12g, mu4 %.12g) and quadrature (%.12g, "
                  "%.12g, %.12g) disagree",
                  text, cf.mean, cf.var, cf.mu4, qd.mean, qd.var, qd.mu4);
    return cf;
}

static moments4 reference(const mcase *mc)
{
    if (mc->ncomp == 0)
        return component_moments(&mc->comp[0], mc->text);
    moments4 m[MAXCOMP], o = {0};
    double wsum = 0;
    for (int i = 0; i < mc->ncomp; i++) {
        m[i] = component_moments(&mc->comp[i], mc->text);
        wsum += mc->w[i];
    }
    for (int i = 0; i < mc->ncomp; i++)
        o.mean += mc->w[i] / wsum * m[i].mean;
    /* E[(X - M)^k] = sum w_i E[(Y_i + d_i)^k], Y_i centred, d_i = m_i - M */
    for (int i = 0; i < mc->ncomp; i++) {
        double w = mc->w[i] / wsum, d = m[i].mean - o.mean;
        o.var += w * (m[i].var + d * d);
        o.mu3 += w * (m[i].mu3 + 3 * d * m[i].var + d * d * d);
        o.mu4 += w * (m[i].mu4 + 4 * d * m[i].mu3 + 6 * d * d * m[i].var + d * d * d * d);
    }
    return o;
}

/* Every draw must be in the support of some component of the reference. */
static int in_reference_support(const mcase *mc, double x)
{
    int n = mc->ncomp ? mc->ncomp : 1;
    for (int i = 0; i < n; i++) {
        double lo, hi;
        support(&mc->comp[i], &lo, &hi);
        if (x >= lo && x <= hi)
            return 1;
    }
    return 0;
}

START_TEST(test_moments)
{
    const mcase *mc = &cases[_i];
    dist *d = NULL;
    fz_error err = {0};
    ck_assert_msg(dist_parse(&d, mc->text, DATA_DIR, &err) == 0, "%s: %s", mc->text, err.msg);
    moments4 ref = reference(mc);
    ck_assert(isfinite(ref.mean) && ref.var >= 0 && ref.mu4 >= ref.var * ref.var * (1 - 1e-9));

    /* the library's own moments */
    double lib_mean, lib_var;
    ck_assert_msg(dist_mean(d, &lib_mean, &err) == 0, "%s: %s", mc->text, err.msg);
    ck_assert_msg(dist_variance(d, &lib_var, &err) == 0, "%s: %s", mc->text, err.msg);
    ck_assert_msg(fabs(lib_mean - ref.mean) <= 1e-6 * fmax(fabs(ref.mean), 1e-12) ||
                      (ref.mean == 0 && fabs(lib_mean) < 1e-12),
                  "%s: dist_mean %.12g, reference %.12g", mc->text, lib_mean, ref.mean);
    ck_assert_msg(fabs(lib_var - ref.var) <= 1e-6 * ref.var || (ref.var == 0 && fabs(lib_var) < 1e-9),
                  "%s: dist_variance %.12g, reference %.12g", mc->text, lib_var, ref.var);

    /* draws */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20251218 + (unsigned long)_i);
    double *x = malloc(NSAMP * sizeof *x);
    ck_assert_ptr_nonnull(x);
    double lo = dist_lower(d), hi = dist_upper(d), sum = 0;
    int outside = 0, outside_ref = 0;
    for (int i = 0; i < NSAMP; i++) {
        x[i] = dist_sample(d, r);
        if (!(x[i] >= lo && x[i] <= hi) && outside++ == 0)
            fprintf(stderr, "%s: draw %.17g outside [%g, %g]\n", mc->text, x[i], lo, hi);
        if (!in_reference_support(mc, x[i]) && outside_ref++ == 0)
            fprintf(stderr, "%s: draw %.17g outside the reference support\n", mc->text, x[i]);
        sum += x[i];
    }
    /* (counted, not asserted per draw: every ck_assert is a message to the runner) */
    ck_assert_msg(outside == 0, "%s: %d draws outside [dist_lower, dist_upper]", mc->text, outside);
    ck_assert_msg(outside_ref == 0, "%s: %d draws outside the reference support", mc->text, outside_ref);
    double mean = sum / NSAMP, ss = 0;
    for (int i = 0; i < NSAMP; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double var = ss / (NSAMP - 1);
    free(x);
    gsl_rng_free(r);

    double se_mean = sqrt(ref.var / NSAMP);
    double se_var = sqrt(fmax(ref.mu4 - ref.var * ref.var, 0) / NSAMP);
    double slack = 1e-12 * fmax(fabs(ref.mean), 1); /* fixed: zero standard error */
    ck_assert_msg(fabs(mean - ref.mean) <= 4 * se_mean + slack,
                  "%s: sample mean %.10g, analytic %.10g, %.2f standard errors", mc->text, mean, ref.mean,
                  (mean - ref.mean) / se_mean);
    ck_assert_msg(fabs(var - ref.var) <= 4 * se_var + slack * slack,
                  "%s: sample variance %.10g, analytic %.10g, %.2f standard errors", mc->text, var, ref.var,
                  (var - ref.var) / se_var);
    dist_free(d);
}
END_TEST

Suite *make_dist_moments_suite(void)
{
    Suite *s = suite_create("dist_moments");
    TCase *tc = tcase_create("moments");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_moments, 0, NCASES);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(dist_moments)
