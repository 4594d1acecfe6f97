/* fit_int.h: what fit.c (estimation), fit_dist.c (the fitted distribution)
 * and fit_gof.c (goodness of fit) share.
 * Not a public header. */
#ifndef FZ_FIT_INT_H
#define FZ_FIT_INT_H

#include "fit.h"

/* The data one family is fitted to, with its sufficient statistics. */
typedef struct fit_data {
    fit_family fam;
    const double *x;
    size_t n;
    double lo, hi;     /* truncation */
    double mean, m2;   /* of x: mean and sum of squared deviations */
    double lmean, lm2; /* the same of log x (positive families) */
    double s0;         /* sqrt(m2 / n): the normal mean's scale */
} fit_data;

int fit_nparams(fit_family f);

/* The untruncated family with canonical parameters p: lognormal (mu, sigma
 * of log X), gamma (shape, scale), weibull (shape, scale), exponential
 * (mean), normal (mean, sd). */
double fit_base_logpdf(fit_family f, const double *p, double x);
/* log F(x) and log(1 - F(x)), each computed directly. */
double fit_base_logcdf(fit_family f, const double *p, double x);
double fit_base_logsf(fit_family f, const double *p, double x);
double fit_log1mexp(double a); /* log(1 - e^a), a <= 0 */
/* Whether lo cuts the family's support (any finite lo for the normal, lo > 0
 * for the positive families). */
int fit_cuts_lo(fit_family f, double lo);
/* log(F(hi) - F(lo)); 0 when [lo, hi] does not cut the support. */
double fit_log_mass(fit_family f, const double *p, double lo, double hi);

/* Canonical parameters of a fit_result (from its reported ones). */
void fit_canonical(const fit_result *r, double *p);

#endif
