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

/* A total over regions with one control per region (X_c, region c's
 * fundable cases): Y_i - sum_c b_c (X_ic - mu_c), each b_c = Cov(Y, X_c) /
 * Var(X_c) fitted on the other half.  Regions are drawn independently, so
 * the X_c are independent and these marginal coefficients are the joint
 * regression's in the population; the residual variance uses the half's
 * whole sample covariance of the X.  rho is then the multiple correlation,
 * sqrt(1 - residual / plain variance).  The X part is shared by every total
 * (cv_x), each total has its cv_y; per replication: cv_x_add, then cv_y_add
 * of every total (which reads the deltas cv_x_add left). */
typedef struct cv_x {
    size_t C;
    double n[2];
    double *mx, *sxx, *dx; /* [2][C], [2][C][C], the last replication's x - old mean [C] */
    int h;                 /* the last replication's half */
} cv_x;

typedef struct cv_y {
    double n[2], my[2], syy[2];
    double *sxy; /* [2][C] */
} cv_y;

int cv_x_init(cv_x *x, size_t C);
void cv_x_free(cv_x *x);
int cv_y_init(cv_y *y, size_t C);
void cv_y_free(cv_y *y);
void cv_x_add(cv_x *x, uint64_t rep, const double *xs);
void cv_y_add(cv_y *y, const cv_x *x, double v);
cv_est cv_estimate_vec(const cv_x *x, const cv_y *y, const double *mu);

#endif
