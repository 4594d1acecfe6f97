/* curve: release curves R_c(g) on the allocation grid (DESIGN §2).
 *
 * For each replication and region the engine draws the people once; then
 * the releases and days of freedom that every grid allocation g * step buys
 * are read off in one pass (cheapest_first: prefix sums of the sorted costs,
 * O(cases + grid); first_come: the greedy pass per distinct outcome,
 * starting past the prefix every budget level pays, engine_settle_grid).  Means are
 * accumulated block by block in replication order, so memory does not grow
 * with the number of replications and results do not depend on threads.
 * A block callback sees the per-replication curves (for CVaR and the
 * wait-and-see value) while they are in memory.
 *
 * Ownership: curve_compute returns a curve_set released with curve_free. */
#ifndef FZ_CURVE_H
#define FZ_CURVE_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

typedef struct curve_set {
    size_t nregions, ngrid, nreps;
    double step;
    double *releases;     /* mean releases [c * ngrid + g] */
    double *freedom;      /* mean days of freedom [c * ngrid + g] */
    double *fundable;     /* mean fundable cases per region */
    double *cost;         /* mean cost of a fundable case per region (NAN if none) */
    double *case_freedom; /* mean days of freedom a fundable case would get if paid */
    double people;        /* people simulated */
} curve_set;

/* rel and fre hold n replications: [(i * nregions + c) * ngrid + g]. */
typedef int (*curve_block_fn)(void *ctx, uint64_t first_rep, size_t n, const double *rel, const double *fre,
                              fz_error *err);

typedef struct curve_options {
    uint64_t stream, first_rep;
    size_t nreps;
    int threads;
    curve_block_fn on_block;
    void *block_ctx;
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
} curve_options;

/* Grid: g = 0 .. floor(budget_usd / granularity_usd). */
int curve_compute(curve_set **out, const scenario *s, const curve_options *o, fz_error *err);
void curve_free(curve_set *c);

#endif
