/* km: the Kaplan-Meier estimate of a survival function from right-censored
 * durations, with Greenwood's variance (`fianza fit --censored`).
 *
 * With distinct times u_1 < u_2 < ..., n_j at risk just before u_j (those
 * whose duration is >= u_j) and d_j events at u_j:
 *   S(t) = prod_{u_j <= t} (1 - d_j / n_j)              (Kaplan & Meier 1958)
 *   Var S(t) = S(t)^2 sum_{u_j <= t} d_j / (n_j (n_j - d_j))   (Greenwood 1926)
 * and a 95% interval on the log(-log S) scale (Kalbfleisch & Prentice 2002,
 * §1.4), which stays inside (0, 1):
 *   S^exp(+z w) <= S <= S^exp(-z w),  w = sqrt(sum d_j / (n_j (n_j - d_j))) / |log S|.
 * Ties: at equal times events come before censorings (a case closed on the
 * day another one is last seen open still had the open one at risk), the
 * usual convention.  The variance and the interval are undefined (NaN) where
 * S = 1 (before the first event) or S = 0 (every one left had the event).
 *
 * Ownership: km_estimate fills *rows with a malloc'd array the caller frees
 * with free(). */
#ifndef FZ_KM_H
#define FZ_KM_H

#include <stddef.h>

#include "fz_error.h"

/* One distinct time (an event time or a censoring time). */
typedef struct km_row {
    double time;
    size_t at_risk, events, censored;
    double surv;   /* S(time): after the events at time */
    double var;    /* Greenwood's variance of surv; NaN where undefined */
    double lo, hi; /* 95% interval (log-log); NaN where undefined */
} km_row;

/* The estimate from t[0..n) (any order, each finite and >= 0) with
 * censored[i] = 1 for a duration only known to exceed t[i], 0 for an event.
 * FZ_EINPUT for n = 0, a flag other than 0/1 or a bad time (naming its
 * number), FZ_ERUNTIME if memory runs out. */
int km_estimate(km_row **rows, size_t *nrows, const double *t, const unsigned char *censored, size_t n,
                fz_error *err);

/* S(x) of the estimate: 1 before the first row, the last row's value after
 * the last time (the estimate is undefined past the largest time when that
 * is censored; callers should not read it there). */
double km_at(const km_row *rows, size_t nrows, double x);

#endif
