/* estimate: optimize_run's time, stage by stage, from a measured pilot
 * (estimate.h). */
#include "estimate.h"

#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "rng.h"

typedef struct pilot_ctx { /* times the wait-and-see DP on the pilot's first curves */
    optimize_bounds b;
    int freedom;
    size_t solved; /* at most 4: one solve may itself take seconds */
    double seconds;
} pilot_ctx;

static int pilot_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)first, (void)err;
    pilot_ctx *pc = ctx;
    const size_t per_rep = pc->b.p.nregions * pc->b.p.ngrid;
    double t = fz_seconds();
    for (size_t i = 0; i < n && pc->solved < 4; i++, pc->solved++) {
        pc->b.p.value = (pc->freedom ? fre : rel) + i * per_rep;
        (void)split_dp(&pc->b.p, NULL);
    }
    pc->seconds += fz_seconds() - t;
    return 0;
}

/* Seconds of the curve pass of n replications (less the DP timed inside);
 * *cs receives the curves. */
static int pilot_curves(double *sec, curve_set **cs, pilot_ctx *pc, const scenario *s, size_t n, int threads,
                        fz_error *err)
{
    curve_options co = {
        .stream = RNG_STREAM_OPTIMIZE, .nreps = n, .threads = threads, .on_block = pilot_block, .block_ctx = pc};
    pc->solved = 0;
    pc->seconds = 0;
    double t = fz_seconds();
    int rc = curve_compute(cs, s, &co, err);
    *sec = fz_seconds() - t - pc->seconds;
    return rc;
}

/* The wait-and-see DP of one replication, as optimize's evaluation runs it
 * (in the compute threads, on the curves the pass draws along). */
static int pilot_ws(void *ctx, uint64_t rep, const double *rel, const double *fre, double *out, fz_error *err)
{
    (void)rep, (void)err;
    const pilot_ctx *pc = ctx;
    split_problem p = pc->b.p;
    p.value = pc->freedom ? fre : rel;
    out[0] = split_dp(&p, NULL);
    return 0;
}

/* Seconds per replication of the evaluation pass: four allocations (equal
 * splits stand in for them) and the pooled fund, after a warm-up; with
 * `ws` as optimize runs it (issue 16): the same pass also settles every
 * replication's curves and solves its wait-and-see DP, so that this one
 * figure prices both stages. */
static int pilot_eval(double *per_rep, const scenario *s, size_t n, int threads, const pilot_ctx *pc, int ws,
                      fz_error *err)
{
    const size_t C = s->nregions;
    static const int pooled[OPT_NALLOC + 1] = {[OPT_NALLOC] = 1};
    double *allocs = malloc((OPT_NALLOC + 1) * C * sizeof *allocs);
    if (!allocs)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < (OPT_NALLOC + 1) * C; i++)
        allocs[i] = s->budget_usd / (double)C;
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = n < 4 ? n : 4,
                       .threads = threads,
                       .pooled = pooled,
                       .on_rep = ws ? pilot_ws : NULL,
                       .rep_ctx = (void *)pc,
                       .rep_values = 1};
    /* per replication = the slope between a short and a long run: a call's
     * fixed cost (the control variate's quadrature, buffers, threads) is
     * paid once per stage, not per replication, and counted per
     * replication it made the estimate 2-9 times the run on seed-2025 */
    eval_result *e = NULL;
    int rc = eval_run(&e, s, allocs, OPT_NALLOC + 1, &eo, err); /* warm-up */
    eval_free(e);
    e = NULL;
    const size_t n0 = eo.nreps;
    double t = fz_seconds();
    if (!rc)
        rc = eval_run(&e, s, allocs, OPT_NALLOC + 1, &eo, err);
    const double t0 = fz_seconds() - t;
    eval_free(e);
    e = NULL;
    eo.nreps = n;
    t = fz_seconds();
    if (!rc)
        rc = eval_run(&e, s, allocs, OPT_NALLOC + 1, &eo, err);
    const double t1 = fz_seconds() - t;
    *per_rep = n > 2 * n0 && t1 > t0 ? (t1 - t0) / (double)(n - n0) : t1 / (double)n;
    eval_free(e);
    free(allocs);
    return rc;
}

/* Seconds of one solve of the run's model (see optimize.h). */
static int pilot_solve(double *sec, int *capped, const scenario *s, const curve_set *cs, const optimize_options *o,
                       fz_error *err)
{
    size_t n = optimize_cvar_reps(s);
    split_result res = {0};
    int rc;
    *capped = 0;
    if (!n) { /* a mean objective: the model on the pilot's mean curves, at most OPTIMIZE_PILOT_SOLVE_SECONDS */
        optimize_bounds b;
        if ((rc = optimize_bounds_init(&b, s, err)))
            return rc;
        double cap = o->time_limit > 0 && o->time_limit < OPTIMIZE_PILOT_SOLVE_SECONDS ? o->time_limit
                                                                                   : OPTIMIZE_PILOT_SOLVE_SECONDS;
        b.p.value = s->objective == OBJ_FREEDOM_DAYS ? cs->freedom : cs->releases;
        b.p.time_limit = cap;
        fz_error e2 = {0};
        rc = split_solve(&res, &b.p, &e2);
        *sec = res.seconds;
        if ((!rc && (res.status == ALLOC_FEASIBLE_TIME_LIMIT || res.seconds >= cap)) || (rc && strstr(e2.msg, "time limit"))) {
            rc = 0; /* the solve itself is timed by the run; the pilot says "or more" */
            *sec = cap;
            *capped = cap < o->time_limit || o->time_limit <= 0;
        } else if (rc && err) {
            *err = e2;
        }
    } else {
        size_t m = n < OPTIMIZE_PILOT_MODEL ? n : OPTIMIZE_PILOT_MODEL;
        optimize_options po = {.threads = o->threads, .time_limit = o->time_limit};
        rc = optimize_saa(&res, NULL, s, RNG_STREAM_OPTIMIZE, m, m, &po, err);
        double limit = o->time_limit > 0          ? o->time_limit
                       : s->objective == OBJ_CVAR ? OPTIMIZE_CVAR_TIME_LIMIT
                                                  : OPTIMIZE_TARGET_TIME_LIMIT;
        *sec = res.seconds * (double)n / (double)m;
        if (*sec > limit)
            *sec = limit;
    }
    split_result_free(&res);
    return rc;
}

int optimize_estimate(optimize_eta *eta, const scenario *s, const optimize_options *o, fz_error *err)
{
    memset(eta, 0, sizeof *eta);
    /* at most a 16th of a pass (and of OPTIMIZE_PILOT_MAX), so that the
     * pilot stays a few percent of the run; never fewer than OPTIMIZE_PILOT_MIN */
    const size_t S = (size_t)s->replications, cap = S / 16 < OPTIMIZE_PILOT_MIN ? OPTIMIZE_PILOT_MIN : S / 16,
                 top = S < cap                    ? S
                       : cap < OPTIMIZE_PILOT_MAX ? cap
                                                  : OPTIMIZE_PILOT_MAX;
    pilot_ctx pc = {.freedom = s->objective == OBJ_FREEDOM_DAYS};
    curve_set *cs = NULL;
    double sec = 0;
    int rc = optimize_bounds_init(&pc.b, s, err);
    /* the warm-up: threads started, buffers touched; its time is thrown away */
    if (!rc)
        rc = pilot_curves(&sec, &cs, &pc, s, 1, o->threads, err);
    size_t p = 1;
    for (;;) {
        curve_free(cs);
        cs = NULL;
        if (rc || (rc = pilot_curves(&sec, &cs, &pc, s, p, o->threads, err)))
            break;
        if (sec >= OPTIMIZE_PILOT_SECONDS || p >= top)
            break; /* long enough to time, or as many as the run allows */
        p = 4 * p < top ? 4 * p : top;
    }
    if (!rc) {
        eta->pilot = p;
        eta->curve_rep = sec / (double)p;
        eta->ws_rep = pc.solved ? pc.seconds / (double)pc.solved : 0;
        rc = pilot_eval(&eta->eval_rep, s, p, o->threads, &pc, 1, err);
    }
    double plain_rep = 0; /* re-allocation's passes: no curves, no DP */
    if (!rc && s->reallocate_every_days > 0)
        rc = pilot_eval(&plain_rep, s, p, o->threads, &pc, 0, err);
    if (!rc)
        rc = pilot_solve(&eta->solve_one, &eta->solve_capped, s, cs, o, err);
    curve_free(cs);
    if (rc)
        return rc;
    const size_t n = optimize_cvar_reps(s);
    eta->curves = (double)S * eta->curve_rep;
    eta->solve = eta->solve_one;
    eta->evaluate = (double)S * eta->eval_rep;
    /* re-allocation re-runs the evaluation once per re-split: one pass is its floor */
    eta->reallocation = s->reallocate_every_days > 0 ? (double)S * plain_rep : 0;
    /* wait-and-see rides on the evaluation's pass (issue 16): in evaluate */
    eta->wait_and_see = 0;
    int passes = optimize_gap_passes(s, o); /* A2RP: no passes, 2M solves */
    if (passes) {
        eta->gap_batches = passes;
        eta->batch_reps = n ? n : S;
        eta->gap = passes * ((double)eta->batch_reps * eta->curve_rep + eta->solve_one);
    } else if (o->gap_method == OPT_GAP_A2RP && o->gap_batches >= 2 && !(s->min_target_prob > 0))
        eta->gap = 2.0 * o->gap_batches * eta->solve_one;
    eta->seconds = eta->curves + eta->solve + eta->evaluate + eta->reallocation + eta->wait_and_see + eta->gap;
    return 0;
}
