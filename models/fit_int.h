/* fit_int.h: what fit.c (estimation), fit_dist.c (the fitted distribution),
 * fit_gof.c (goodness of fit) and the families' fit hooks (family_*.c)
 * share.  Not a public header. */
#ifndef FZ_FIT_INT_H
#define FZ_FIT_INT_H

#include "family.h"
#include "fit.h"

/* The data one family is fitted to, with its sufficient statistics. */
typedef struct fit_data {
    const family_type *type;
    const double *x;
    size_t n;
    double lo, hi;     /* truncation */
    double mean, m2;   /* of x: mean and sum of squared deviations */
    double lmean, lm2; /* the same of log x (families with fit->uses_logs) */
    double s0;         /* sqrt(m2 / n): the normal mean's scale */
    /* fit_censored.c: a log-likelihood that replaces the truncated sample's
     * (NULL: that one), with the censoring flags it reads; then no estimate
     * is taken as closed form and no goodness of fit is computed */
    double (*custom)(const struct fit_data *d, const double *p);
    const unsigned char *censored;
} fit_data;

/* The truncated family of a fit_result (canonical parameters from its
 * reported ones). */
family_trunc fit_trunc(const fit_result *r);

/* fit_family_mle with d->custom as the likelihood (fit.c): the same checks,
 * starting point (from x as if uncensored), simplex, standard errors and
 * AIC/BIC; custom and censored as in fit_data. */
int fit_family_mle_custom(fit_result *out, fit_family fam, const double *x, size_t n, const fit_options *opt,
                          double (*custom)(const fit_data *d, const double *p), const unsigned char *censored,
                          fz_error *err);

/* out[0..m): the fitted results of tmp[0..m) by increasing AIC (family
 * order on ties), then the skipped ones; *nfit the number fitted. */
void fit_rank(fit_result *out, size_t *nfit, const fit_result *tmp, size_t m);

#endif
