/* ws: optimize's wait-and-see value, riding on the evaluation's pass
 * (issue 16): the hooks eval_run calls (eval.h), and the accumulators
 * optimize.c reads when the pass is done.  Internal to sim/run (optimize.c).
 *
 * ws_rep runs in the compute threads (the DP of a replication's best split);
 * ws_reps folds its numbers in replication order; ws_controls pairs them with
 * the replication's fundable cases for the control variates and forwards the
 * block to the caller's on_block; ws_block feeds A2RP's halves.
 *
 * Ownership: ws_init fills a caller-owned ws_ctx; ws_free releases what it
 * holds (also after a failed ws_init). */
#ifndef FZ_WS_H
#define FZ_WS_H

#include "optimize.h"
#include "tally.h"

typedef struct ws_ctx { /* wait-and-see: the best allocation of each replication */
    const scenario *s;
    optimize_bounds b;
    const long *opt_steps;
    int freedom;
    double target; /* target_prob: 1 when the replication's best split reaches it */
    stat_acc ws, diff;
    tally ws_values; /* the replications' values (for cvar) */
    int cvar;
    gap_a2rp *a2rp; /* NULL, or A2RP's halves (gap.h), fed the same curves */
    /* issue 16, control variates: ws_reps leaves the block's (wait-and-see,
     * wait-and-see minus optimum) in pend; ws_controls pairs them with the
     * replications' fundable cases (eval's on_block, called after on_reps
     * in the same in-order fold, on every MPI rank) and then forwards the
     * block to the caller's on_block */
    double pend[2 * EVAL_BLOCK];
    size_t npend;
    cv_x cvx;
    cv_y cv_ws, cv_diff;
    eval_block_fn next;
    void *next_ctx;
} ws_ctx;

int ws_init(ws_ctx *w, optimize_result *r, const scenario *s, const optimize_options *o, fz_error *err);
void ws_free(ws_ctx *w);
/* eval_options.on_rep (rep_values 2), on_reps, on_block and on_curves */
int ws_rep(void *ctx, uint64_t rep, const double *rel, const double *fre, double *out, fz_error *err);
int ws_reps(void *ctx, uint64_t first, size_t n, const double *out, fz_error *err);
int ws_controls(void *ctx, const eval_result *r, uint64_t first, size_t n, const engine_stats *st, fz_error *err);
int ws_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err);

#endif
