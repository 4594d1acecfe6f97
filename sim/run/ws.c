/* ws: the wait-and-see hooks (ws.h). */
#include "ws.h"

#include <math.h>
#include <string.h>

/* A replication's wait-and-see numbers, in eval's compute threads (issue
 * 16: the DP was the evaluation's largest serial part): out[0] the best
 * split's value, out[1] the optimum's.  Only reads w. */
int ws_rep(void *ctx, uint64_t rep, const double *rel, const double *fre, double *out, fz_error *err)
{
    (void)rep;
    const ws_ctx *w = ctx;
    const size_t C = w->b.p.nregions, G = w->b.p.ngrid;
    const double *v = w->freedom ? fre : rel;
    split_problem p = w->b.p; /* a copy: the threads share w */
    p.value = v;
    double best = split_dp(&p, NULL), at_opt = 0;
    if (isnan(best))
        return fz_fail(err, FZ_ERUNTIME, "wait-and-see: no feasible allocation");
    for (size_t c = 0; c < C; c++)
        at_opt += v[c * G + (size_t)w->opt_steps[c]];
    out[0] = best;
    out[1] = at_opt;
    return 0;
}

/* ws_rep's numbers folded in replication order (bit-identical for any
 * thread count). */
int ws_reps(void *ctx, uint64_t first, size_t n, const double *out, fz_error *err)
{
    (void)first;
    ws_ctx *w = ctx;
    for (size_t i = 0; i < n; i++) {
        double best = out[2 * i], at_opt = out[2 * i + 1];
        if (w->target > 0) { /* can any split reach the target here? */
            best = best >= w->target;
            at_opt = at_opt >= w->target;
        }
        stat_add(&w->ws, best);
        stat_add(&w->diff, best - at_opt);
        w->pend[2 * i] = best;
        w->pend[2 * i + 1] = best - at_opt;
        if (w->cvar && tally_add(&w->ws_values, best))
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    w->npend = n;
    return 0;
}

/* The controls of the block ws_reps just folded: each replication's
 * fundable cases per region (allocation 0's draw, the same people as its
 * curves), paired with its wait-and-see value and its difference to the
 * optimum, in replication order (cv.h: the split is by replication number,
 * as eval's own controls).  EVPI's difference is regressed on the same X
 * as the paired differences of the allocations (cv_out.c, Lavenberg &
 * Welch 1981): under common random numbers the two terms share X. */
int ws_controls(void *ctx, const eval_result *r, uint64_t first, size_t n, const engine_stats *st, fz_error *err)
{
    ws_ctx *w = ctx;
    const size_t C = r->nregions, K = r->nalloc;
    if (w->npend != n) /* on_reps and on_block see the same blocks (eval.c's fold_block) */
        return fz_fail(err, FZ_ERUNTIME, "wait-and-see: %zu replications folded, %zu in the block", w->npend, n);
    for (size_t i = 0; i < n; i++) {
        double xs[SCENARIO_MAX_REGIONS];
        for (size_t c = 0; c < C; c++)
            xs[c] = st[i * K * C + c].fundable;
        cv_x_add(&w->cvx, first + i, xs);
        cv_y_add(&w->cv_ws, &w->cvx, w->pend[2 * i]);
        cv_y_add(&w->cv_diff, &w->cvx, w->pend[2 * i + 1]);
    }
    w->npend = 0;
    return w->next ? w->next(w->next_ctx, r, first, n, st, err) : 0;
}

/* A2RP's halves, fed the same curves in replication order. */
int ws_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    ws_ctx *w = ctx;
    const size_t per_rep = w->b.p.nregions * w->b.p.ngrid;
    for (size_t i = 0; i < n && w->a2rp; i++) {
        int rc = gap_a2rp_add(w->a2rp, first + i, (w->freedom ? fre : rel) + i * per_rep, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Wait-and-see rides on the evaluation's pass (issue 16): eval_run hands
 * ws_block each block of the same replications' curves, drawn once (and
 * A2RP's halves are fed from it). */
int ws_init(ws_ctx *w, optimize_result *r, const scenario *s, const optimize_options *o, fz_error *err)
{
    *w = (ws_ctx){.s = s,
                  .opt_steps = r->mip.steps,
                  .freedom = s->objective == OBJ_FREEDOM_DAYS,
                  .target = s->objective == OBJ_TARGET_PROB ? s->target_releases : 0,
                  .cvar = s->objective == OBJ_CVAR,
                  .a2rp = r->a2rp.pairs ? &r->a2rp : NULL,
                  .next = o->on_eval_block,
                  .next_ctx = o->eval_block_ctx};
    if (cv_x_init(&w->cvx, s->nregions) || cv_y_init(&w->cv_ws, s->nregions) || cv_y_init(&w->cv_diff, s->nregions))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    return optimize_bounds_init(&w->b, s, err);
}

void ws_free(ws_ctx *w)
{
    tally_free(&w->ws_values);
    cv_x_free(&w->cvx);
    cv_y_free(&w->cv_ws);
    cv_y_free(&w->cv_diff);
}
