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
} fit_data;

/* The truncated family of a fit_result (canonical parameters from its
 * reported ones). */
family_trunc fit_trunc(const fit_result *r);

#endif
