/* fit: maximum-likelihood fits of the scenario families to data, and
 * goodness-of-fit statistics (`fianza fit`).
 *
 * Families: lognormal, gamma, weibull, exponential and normal (those with
 * fit hooks in the family table, family.h), each
 * optionally truncated to [lo, hi]: the likelihood is that of the conditional
 * distribution, sum log f(x_i) - n log(F(hi) - F(lo)), not of a shifted one,
 * so a sample that only shows values above a threshold still estimates the
 * parameters of the whole population.  Closed forms where they exist
 * (untruncated lognormal, normal, exponential; exponential truncated on the
 * left only), GSL's Nelder-Mead simplex (nmsimplex2) on log-parameters
 * otherwise.  Standard errors come from the observed information: the
 * numerical Hessian of the log-likelihood at the optimum, inverted.
 *
 * Parameters are reported as the scenario syntax writes them (DESIGN §4):
 * lognormal (median, sigma), gamma (shape, scale), weibull (shape, scale),
 * exponential (mean), normal (mean, sd).
 *
 * Everything here is pure computation on arrays the caller owns: no
 * allocation survives a call, nothing to free. */
#ifndef FZ_FIT_H
#define FZ_FIT_H

#include <stddef.h>

#include "dist.h"
#include "fz_error.h"

/* The fitted families are the dist families marked fit in FZ_FAMILIES
 * (dist.h), in that order: DIST_LOGNORMAL, DIST_GAMMA, ... */
typedef dist_family fit_family;
#define FZ_FAMILY_COUNT_FIT(ID, name, fit) +(fit)
enum { FIT_NFAMILIES = 0 FZ_FAMILIES(FZ_FAMILY_COUNT_FIT) };
#undef FZ_FAMILY_COUNT_FIT

/* Truncation of the fitted family: the conditional distribution on
 * [lo, hi].  lo = -INFINITY / hi = INFINITY (fit_options_init) for none;
 * lo <= 0 does not truncate the positive families. */
typedef struct fit_options {
    double lo, hi;
} fit_options;

void fit_options_init(fit_options *o);

typedef struct fit_result {
    fit_family family;
    int ok;           /* fitted; otherwise `reason` says why not */
    char reason[200]; /* why the family was skipped (ok = 0) */
    size_t bad_index; /* ok = 0 for data: the first value outside the support */
    int nparams;
    const char *names[2];   /* "median", "sigma", ... */
    double param[2], se[2]; /* se NaN when the information is not positive definite */
    int closed_form;        /* estimates in closed form (no optimiser) */
    int converged;          /* closed form, or the simplex met its tolerance twice */
    int iterations;
    double loglik, aic, bic;
    double ks, ks_p, ad; /* Kolmogorov-Smirnov D and p-value, Anderson-Darling A^2 */
    double lo, hi;       /* the truncation fitted */
} fit_result;

const char *fit_family_name(fit_family f);
/* A fitted family by name: 0, or -1 for a name that is none (or not fitted). */
int fit_family_parse(const char *name, fit_family *out);

/* Fits one family to x[0..n) (any order, n >= 2, every value in [lo, hi]).
 * A family whose support excludes some value (a positive family and x <= 0;
 * x < lo for normal) comes back with ok = 0, a reason and bad_index: that is
 * not an error.  Returns FZ_EINPUT for unusable data (n < 2, values outside
 * [lo, hi], an empty range), FZ_ERUNTIME if memory runs out.  On success the
 * goodness-of-fit fields are filled too (fit_gof). */
int fit_family_mle(fit_result *out, fit_family fam, const double *x, size_t n, const fit_options *opt, fz_error *err);

/* Every family, ranked: out[0..FIT_NFAMILIES) holds the fitted families in
 * increasing AIC, then the skipped ones.  Returns the number fitted via *nfit. */
int fit_all(fit_result out[FIT_NFAMILIES], size_t *nfit, const double *x, size_t n, const fit_options *opt,
            fz_error *err);

/* The fitted (truncated) distribution (fit_dist.c, over family.c's
 * family_trunc): density, cdf, survival, and quantile. */
double fit_pdf(const fit_result *r, double x);
double fit_cdf(const fit_result *r, double x);
double fit_sf(const fit_result *r, double x);
double fit_quantile(const fit_result *r, double p);

/* The scenario syntax of the fit ("lognormal(median=3512.3, sigma=0.61234,
 * min=1500)"): min= when the truncation cuts the family's support (always
 * for normal with a finite lo), max= when hi is finite.  Returns the length
 * snprintf would have written. */
int fit_format(const fit_result *r, char *buf, size_t size);

/* ---- right-censored data (fit_censored.c) ---- */

/* Fits one family to durations t[0..n), of which those with censored[i] = 1
 * are only known to exceed t[i] (a case still open), by maximising
 *   l(theta) = sum_{events} log f(t_i) + sum_{censored} log S(t_i)
 *              - n log(1 - F(lo))
 * (Klein & Moeschberger 2003, "Survival Analysis", 2nd ed., §3.5; the last
 * term only when opt->lo cuts the support, as in fit_family_mle).  The
 * exponential has the closed form mean = (sum_i t_i - n lo) / events with
 * se = mean / sqrt(events); the others use fit.c's simplex and observed
 * information.  With no censored value the result equals fit_family_mle's
 * (up to the simplex tolerance).  AIC and BIC as there, BIC with n the
 * number of durations (events and censored); ks, ks_p and ad stay NaN (the
 * KS and AD tests of fit_gof need uncensored data).  FZ_EINPUT for n < 2,
 * a flag other than 0/1, no event at all (every duration censored: the
 * likelihood has no maximum), a finite opt->hi (not supported) or a value
 * outside [lo, inf); a family whose support excludes a value is skipped
 * (ok = 0) as in fit_family_mle. */
int fit_censored_mle(fit_result *out, fit_family fam, const double *t, const unsigned char *censored, size_t n,
                     const fit_options *opt, fz_error *err);

/* Every family, ranked by AIC as fit_all. */
int fit_censored_all(fit_result out[FIT_NFAMILIES], size_t *nfit, const double *t, const unsigned char *censored,
                     size_t n, const fit_options *opt, fz_error *err);

/* ---- goodness of fit (fit_gof.c) ---- */

/* KS statistic D_n = max_i max(i/n - u_(i), u_(i) - (i-1)/n) and the AD
 * statistic A^2 of the sorted probability-integral transforms u_(i) =
 * F(x_(i)) (s_(i) = 1 - F(x_(i)) computed directly, for the upper tail). */
double fit_ks_stat(const double *u, size_t n);
double fit_ad_stat(const double *u, const double *s, size_t n);

/* P(D_n >= d) under the null for a fully specified continuous distribution
 * (Kolmogorov's distribution).  Conservative when the parameters were
 * estimated from the same data. */
double fit_ks_pvalue(double d, size_t n);

/* Fills r->ks, r->ks_p and r->ad for x[0..n) against the fit in r. */
int fit_gof(fit_result *r, const double *x, size_t n, fz_error *err);

#endif
