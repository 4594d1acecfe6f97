/* realloc: re-allocation of a split fund (DESIGN §8, [fund]
 * reallocate_every_days = K).
 *
 * The fund starts from a static split x (the optimum at t = 0).  At every
 * epoch t_k = k K < H (k = 1, 2, ...) each region's unspent balance and the
 * reserve form a pool P; with b = floor(P / step) grid steps, region c's
 * account becomes T_k[b][c] step USD and the reserve keeps the rest.  T_k is
 * the mean-objective optimum of curves R^k_c computed once, before any
 * evaluation, on the "optimize" stream: per replication and region the
 * ledger from an empty start at t_k over the cases that arrive at or after
 * t_k, with no donations and with refunds, run to H (people already
 * waiting are not in them: they stay in their region's queue).  Re-splits
 * maximise releases, or days of freedom when that is the objective.
 * With epochs, donations go to the reserve (and so to the next re-split);
 * refunds go to their region's account.  Without any epoch (K >= H) the
 * run is the static split of DESIGN §7 exactly.
 *
 * Re-split bounds: min_share and max_share apply to the pool, in grid
 * steps: lo = floor(min_share b), hi = floor(max_share b) (lower bounds
 * round down, so every pool level has a split).  Ties: the last region
 * takes the least grid point among the optima, then each earlier one the
 * same on what is left.
 *
 * Ownership: realloc_plan_new returns a plan released with
 * realloc_plan_free; realloc_ws_new a per-thread workspace released with
 * realloc_ws_free (NULL allowed for both).  Plans are only read after
 * they are made, so threads share one. */
#ifndef FZ_REALLOC_H
#define FZ_REALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "scenario.h"
#include "stats.h"

/* Largest table work: epochs x regions x pool levels x grid points (x pool
 * levels / 2 with share bounds), beyond which re-allocation is refused. */
#define REALLOC_MAX_WORK 4e9

typedef struct realloc_plan {
    size_t nregions, nepochs; /* epochs at t = k every, k = 1 .. nepochs (< H) */
    double every, step;       /* K (days) and the grid step (USD) */
    long bmax;                /* the largest pool, in grid steps: B and every donation */
    int freedom;              /* re-splits maximise days of freedom (else releases) */
    double *curves;           /* R^k_c: [((k - 1) C + c) (bmax + 1) + g], the re-split's measure */
    long *table;              /* T_k: [((k - 1) (bmax + 1) + b) C + c], grid steps */
} realloc_plan;

/* Epochs of a scenario: how many t = k K < H there are (0 when K = 0). */
size_t realloc_epochs(const scenario *s);

/* FZ_EINPUT (naming the scenario and the limit) when the tables of s would
 * exceed REALLOC_MAX_WORK; 0 otherwise (also without re-allocation). */
int realloc_check(const scenario *s, fz_error *err);

/* Curves on `nreps` replications of the "optimize" stream from `first_rep`,
 * then the tables.  FZ_EINPUT when the tables would exceed
 * REALLOC_MAX_WORK (nothing computed), FZ_ERUNTIME on memory. */
int realloc_plan_new(realloc_plan **out, const scenario *s, uint64_t first_rep, size_t nreps, int threads,
                     fz_error *err);
void realloc_plan_free(realloc_plan *p);

typedef struct realloc_ws realloc_ws;
realloc_ws *realloc_ws_new(void);
void realloc_ws_free(realloc_ws *w);
/* Starts a replication: no regions yet. */
void realloc_ws_reset(realloc_ws *w);
/* Adds region c (in region order) from the last engine_draw_lcases of ws;
 * 0 or FZ_ERUNTIME (memory). */
int realloc_ws_add(realloc_ws *w, const engine_ws *ws, size_t c, fz_error *err);

/* One replication under static split x then the plan's re-splits: per
 * region outcomes in out[c] (balance_end: the region's account at H), the
 * reserve at H in *reserve_end.  pools (NULL, or room for 2 nepochs) gets
 * at each epoch the regions plus the reserve before and after the re-split. */
void realloc_settle(engine_stats *out, double *reserve_end, realloc_ws *w, const scenario *s, const double *x,
                    const realloc_plan *p, double *pools);

/* What optimize reports (DESIGN §8): static split x and the same split
 * re-allocated, on the same replications of the "evaluate" stream. */
typedef struct realloc_report {
    double every;                           /* K, days */
    size_t epochs;                          /* re-splits before H */
    int freedom;                            /* the measure: days of freedom (else releases) */
    stat_est releases, static_releases;     /* mean releases with 95% CIs */
    stat_est value;                         /* re-allocated minus static, in the measure, paired */
    double reserve_end;                     /* mean reserve at H, re-allocated */
    double seconds;
} realloc_report;

/* The plan on s->replications replications of the "optimize" stream, then
 * both policies on s->replications of the "evaluate" stream.  *out is
 * malloc'd (free it). */
int realloc_report_run(realloc_report **out, const scenario *s, const double *x, int threads, fz_error *err);

#endif
