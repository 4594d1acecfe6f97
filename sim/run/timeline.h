/* timeline: the fund's state over the horizon, summed over replications
 * (DESIGN §7: cumulative releases and balance on the day grid).
 *
 * tl_acc_add takes one replication's two series, in replication order; the
 * means are plain sums in that order and the percentiles come from integer
 * histograms, so the result does not depend on threads or ranks (every
 * rank folds every replication).  Releases go into unit-wide bins whose
 * width doubles (pairs merged) whenever a count passes the last bin: the
 * final histogram is the one the final width gives directly, whatever the
 * order.  Balances lie in [0, top] (top: the budget and every donation;
 * refunds return at most what was paid) and go into EVAL_TL_BINS bins.
 *
 * Ownership: tl_acc_new returns an accumulator released with tl_acc_free;
 * tl_acc_finish fills an eval_timeline whose arrays the caller then owns
 * (eval_free frees them). */
#ifndef FZ_TIMELINE_H
#define FZ_TIMELINE_H

#include <stddef.h>

#include "eval.h"

typedef struct tl_acc tl_acc;

tl_acc *tl_acc_new(const double *day, size_t n, double top);
void tl_acc_free(tl_acc *a);
void tl_acc_add(tl_acc *a, const double *releases, const double *balance);
/* 0, or -1 when memory runs out (out left empty). */
int tl_acc_finish(tl_acc *a, eval_timeline *out);
void tl_free(eval_timeline *t);

#endif
