/* cv: control variates for the evaluation's means (issue 16).
 *
 * The control is a region's number of fundable cases per replication, X_c,
 * whose expectation cv_expected_fundable computes exactly from the scenario
 * by quadrature (never from the simulation; the derivation is in cv.c and
 * docs/model.md, "Control variates").  The controlled estimate of a mean
 * E[Y] is the splitting estimator (Nelson 1990, §3; Glasserman 2003, §4.1):
 * replications alternate between two halves by number (even, odd); each
 * half's Y_i - b (X_i - mu) uses the coefficient b fitted on the OTHER
 * half, so b is independent of the X_i it multiplies and the estimate is
 * unbiased for any number of replications.  Its 95% interval is Student t
 * with n - 2 degrees of freedom on the pooled within-half residual variance.
 *
 * The accumulators are updated in replication order (eval's fold), so the
 * estimate depends only on the seed and the replications, not on threads.
 *
 * Ownership: plain values; nothing to free. */
#ifndef FZ_CV_H
#define FZ_CV_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"
#include "scenario.h"
#include "stats.h"

/* out[c] = E[fundable cases of region c in one replication], exactly (to a
 * relative 1e-9 or so).  FZ_ERUNTIME with err naming the region when a
 * quadrature fails; callers then report the plain estimator. */
int cv_expected_fundable(const scenario *s, double *out, fz_error *err);

/* One mean's controlled estimator: pairs (x, y) of each half. */
typedef struct cv_acc {
    stat_cov half[2];
} cv_acc;

static inline void cv_add(cv_acc *a, uint64_t rep, double x, double y) { stat_cov_add(&a->half[rep & 1], x, y); }

/* The controlled estimate of a mean with control mean mu. */
typedef struct cv_est {
    double mean, half95; /* NAN when not available (fewer than 3 per half or no spread of x) */
    double rho;          /* correlation of x and y over all replications */
    double var_ratio;    /* plain variance / residual variance (NAN if undefined) */
} cv_est;

cv_est cv_estimate(const cv_acc *a, double mu);

#endif
