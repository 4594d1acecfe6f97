/* Folder sim/run/ (library fz_run).
 *
 * eval_int: what eval.c (the pass) and eval_result.c (the result) share;
 * not for other modules.
 *
 * Ownership: eval_result_new returns a result released with eval_free. */
#ifndef FZ_EVAL_INT_H
#define FZ_EVAL_INT_H

#include <stddef.h>

#include "eval.h"

/* The reserve of allocation x (DESIGN §7): what the split leaves, B - sum x,
 * and its share of each donation; its value at every grid day goes to
 * series (when not NULL); returns its value at H. */
double eval_reserve(const scenario *s, const double *x, const double *day, size_t n, double *series);
/* A zeroed result for nalloc allocations (NULL when out of memory). */
eval_result *eval_result_new(const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt);
/* Folds one block of n replications (the first is number done) into r, in
 * replication order; -1 when out of memory. */
int eval_fold_stats(eval_result *r, const scenario *s, size_t done, size_t n, const engine_stats *st,
                    const double *poolbal);

#endif
