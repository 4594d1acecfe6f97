/* split_target: the chance model of DESIGN §8 (split.h, split_int.h).
 *
 * Replication s reaches the target N when T_s = sum_c R_sc(g_c) >= N.  The
 * model has binaries w_ck = 1 iff region c gets at least its k-th kept grid
 * point p_ck (k >= 1; p_c0 = lo_c): the incremental form of split.c's
 * multiple-choice knapsack (y_ck = w_ck - w_c,k+1 maps one onto the other,
 * so the LP relaxations are the same), in which a replication's row holds
 * only the points where its curve changes, not every point:
 *   w_c1 >= w_c2 >= ...                              (one row per pair)
 *   sum_ck (p_ck - p_c,k-1) w_ck <= B - sum_c lo_c   (the budget row)
 *   sum_ck (a_s(p_ck) - a_s(p_c,k-1)) w_ck - D_s z_s >= -sum_c a_sc(lo_c)
 *                                                    (each live replication s)
 *   target: max sum_s z_s (+ the replications that always reach);
 *   min_reach K: sum_s z_s >= K - (those that always reach);
 *   mean and CVaR objectives as in split.c, in the incremental form.
 * Tightening, each exact on the SAA:
 * - m_sc = min of R_sc over the allowed points and L_s = sum_c m_sc: every
 *   split gives T_s >= L_s, so s always reaches when L_s >= N (no z_s);
 * - s never reaches when even its own best split (split_dp on its curves,
 *   the wait-and-see test) falls short of N (no z_s);
 * - for the others (live), D_s = N - L_s and a_sc(g) = min(R_sc(g) - m_sc,
 *   D_s): T_s >= N iff sum_c a_sc(g_c) >= D_s (a region that alone covers
 *   D_s satisfies both), so the row's big-M is D_s, the least valid one
 *   since sum_c a_sc >= 0, and no coefficient exceeds it;
 * - a point g is dropped when g - 1 is at least as good in every term that
 *   matters (the mean objective's value; with cvar each replication's
 *   releases; each live replication's a_sc): moving to g - 1 never hurts;
 * - sum_s z_s is integral: the search stops once no open node's bound
 *   reaches the incumbent plus one replication;
 * - an incumbent before branching (GLPK heuristic solution): the best of the
 *   releases optimum over these replications (split_dp on their mean),
 *   the optimum of the fractional reach sum_s a_sc(g) / D_s, and for the mean
 *   objective its own DP optimum, among those that meet min_reach.
 * GLPK's presolve stays off: the heuristic solution is given in the model's
 * own columns, and branch-and-bound starts from the solved relaxation. */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "split_int.h"

int split_target_check(const split_problem *p, fz_error *err)
{
    if (!p->target_obj && p->min_reach <= 0)
        return 0;
    if (!(p->target > 0 && isfinite(p->target)) || !p->rep_value || p->nreps == 0)
        return fz_fail(err, FZ_EINPUT, "allocation: a target model needs a target > 0 and replications");
    if (p->target_obj && p->cvar)
        return fz_fail(err, FZ_EINPUT, "allocation: the target and cvar objectives exclude each other");
    if (p->min_reach > (long)p->nreps)
        return fz_fail(err, FZ_EINPUT, "allocation: %ld of %zu replications cannot reach the target", p->min_reach,
                       p->nreps);
    return 0;
}

/* ---- branch-and-bound ---- */

typedef struct tb_ctx {
    const tmodel *t;
    const double *start; /* the incumbent as a model point, or NULL */
    double known;        /* the optimum (GLPK's units) when enumeration found it, else NAN */
    int offered, proven;
    double bound, bound_at;
} tb_ctx;

static void on_branch(glp_tree *tree, void *info)
{
    tb_ctx *b = info;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_IHEUR && b->start && !b->offered) {
        b->offered = 1;
        (void)glp_ios_heur_sol(tree, b->start); /* rejected only if GLPK has as good */
    }
    glp_prob *lp = glp_ios_get_prob(tree);
    if (!isnan(b->known) && glp_mip_status(lp) == GLP_FEAS && glp_mip_obj_val(lp) >= b->known - 0.5) {
        b->proven = 1; /* the incumbent has the enumerated optimum */
        glp_ios_terminate(tree);
        return;
    }
    if (reason == GLP_IBRANCH) {
        /* branch on a region's point (g_c >= p_ck or not), the most
         * fractional: splits the grid, where branching on z_s decides one
         * replication at a time (GLPK's own choice, when every w is integral) */
        int best = 0;
        double dist = 1;
        for (int j = 1; j <= b->t->nw; j++)
            if (glp_ios_can_branch(tree, j)) {
                double d = fabs(glp_get_col_prim(lp, j) - 0.5);
                if (d < dist)
                    dist = d, best = j;
            }
        if (best)
            glp_ios_branch_upon(tree, best, GLP_NO_BRNCH);
        return;
    }
    if (reason != GLP_ISELECT)
        return;
    const int integral = b->t->p->target_obj, has = glp_mip_status(lp) == GLP_FEAS;
    /* the best open bound (glp_ios_best_node scans every open node): at most
     * every 0.02 s when it can prove the integral objective optimal, else
     * every 0.2 s.  A stale bound is still a bound, and once the incumbent is
     * optimal GLPK keeps it (it takes only strictly better ones): when the
     * proof comes does not change the split. */
    if (fz_seconds() - b->bound_at > (integral && has ? 0.02 : 0.2)) {
        int node = glp_ios_best_node(tree);
        if (node) {
            double x = glp_ios_node_bound(tree, node);
            if (x < b->bound)
                b->bound = x;
            if (integral && has && floor(x + 1e-6) <= glp_mip_obj_val(lp) + 1e-6) {
                b->proven = 1;
                glp_ios_terminate(tree);
            }
        }
        b->bound_at = fz_seconds();
    }
}

typedef struct tbuf {
    double *m, *D, *x, *tot, *curve;
    int *kind, *col_of, *zcol, *ind;
    long *kept, *steps;
    size_t *koff;
    double *val;
} tbuf;

static int tbuf_init(tbuf *b, tmodel *t)
{
    const size_t C = t->C, G = t->G, S = t->S;
    size_t width = C * G + S + 3;
    memset(b, 0, sizeof *b);
    b->m = malloc(S * C * sizeof *b->m);
    b->D = malloc(S * sizeof *b->D);
    b->tot = malloc(2 * S * sizeof *b->tot);
    b->curve = malloc(C * G * sizeof *b->curve);
    b->kind = calloc(S, sizeof *b->kind);
    b->col_of = calloc(C, sizeof *b->col_of);
    b->zcol = calloc(S, sizeof *b->zcol);
    b->kept = malloc(C * G * sizeof *b->kept);
    b->koff = malloc((C + 1) * sizeof *b->koff);
    b->steps = malloc(3 * C * sizeof *b->steps);
    b->ind = malloc((width + 1) * sizeof *b->ind);
    b->val = malloc((width + 1) * sizeof *b->val);
    t->m = b->m, t->D = b->D, t->kind = b->kind, t->col_of = b->col_of, t->zcol = b->zcol;
    t->kept = b->kept, t->koff = b->koff;
    return b->m && b->D && b->tot && b->curve && b->kind && b->col_of && b->zcol && b->kept && b->koff &&
           b->steps && b->ind && b->val;
}

static void tbuf_free(tbuf *b)
{
    free(b->m), free(b->D), free(b->x), free(b->tot), free(b->curve), free(b->kind), free(b->col_of);
    free(b->zcol), free(b->kept), free(b->koff), free(b->steps), free(b->ind), free(b->val);
}

/* glp_simplex then glp_intopt (the guard is set): out->steps on success;
 * USE_INCUMBENT when time ran out before GLPK had an allocation. */
enum { USE_INCUMBENT = -1 };
static int run_glpk(glp_prob *lp, const tmodel *t, tb_ctx *bb, const incumbent *inc, double t0, split_result *out,
                    fz_error *err)
{
    const split_problem *p = t->p;
    const double scale = p->target_obj ? (double)t->S : 1; /* GLPK counts replications */
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    if (p->time_limit > 0)
        sm.tm_lim = (int)(p->time_limit * 1000);
    glp_scale_prob(lp, GLP_SF_AUTO);
    int st = glp_simplex(lp, &sm);
    if (st == 0 && glp_get_status(lp) == GLP_NOFEAS)
        return fz_fail(err, FZ_ERUNTIME,
                       "no split of the budget has %ld of the %zu replications reach %g releases (min_target_prob): "
                       "even the LP relaxation is infeasible",
                       p->min_reach, t->S, p->target);
    if (st == GLP_ETMLIM && inc->steps)
        return USE_INCUMBENT; /* bounded by nothing better than the data */
    if (st != 0 || glp_get_status(lp) != GLP_OPT)
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver (GLPK simplex) could not solve the LP relaxation of the target model (%d columns, "
                       "%d rows): return code %d, status %d",
                       out->columns, out->rows, st, glp_get_status(lp));
    out->lp_value = glp_get_obj_val(lp) / scale;
    out->budget_dual = glp_get_row_dual(lp, 1) / scale / p->step; /* row 1: the budget */
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.cb_func = on_branch;
    io.cb_info = bb;
    if (p->time_limit > 0) {
        double left = p->time_limit - (fz_seconds() - t0);
        io.tm_lim = left > 0.001 ? (int)(left * 1000) : 1;
    }
    st = glp_intopt(lp, &io);
    int ms = glp_mip_status(lp);
    if ((ms == GLP_OPT && st == 0) || (ms == GLP_FEAS && st == GLP_ESTOP && bb->proven))
        out->status = ALLOC_OPTIMAL;
    else if (ms == GLP_FEAS && (st == GLP_ETMLIM || st == 0))
        out->status = ALLOC_FEASIBLE_TIME_LIMIT;
    else if (st == 0 && ms == GLP_NOFEAS)
        return fz_fail(err, FZ_ERUNTIME,
                       "no split of the budget has %ld of the %zu replications reach %g releases (min_target_prob)",
                       p->min_reach, t->S, p->target);
    else if (st == GLP_ETMLIM && inc->steps)
        return USE_INCUMBENT;
    else if (st == GLP_ETMLIM)
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver time limit of %g s ran out before branch-and-bound found any allocation "
                       "(%d columns, %d rows; LP bound %.6g): raise --solver-time-limit",
                       p->time_limit, out->columns, out->rows, out->lp_value);
    else
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver (GLPK branch-and-bound) failed on the target model (%d columns, %d rows): "
                       "return code %d, status %d",
                       out->columns, out->rows, st, ms);
    for (size_t c = 0; c < t->C; c++) {
        out->steps[c] = p->lo[c];
        for (size_t k = 1; k < t->koff[c + 1] - t->koff[c]; k++)
            if (glp_mip_col_val(lp, t->col_of[c] + (int)k - 1) > 0.5)
                out->steps[c] = t->kept[t->koff[c] + k];
    }
    return 0;
}

/* Builds and solves the model with GLPK's error hook set (an internal
 * error comes back as FZ_ERUNTIME, never an abort). */
static int build_and_solve(const tmodel *t, tbuf *b, tb_ctx *bb, const incumbent *inc, double t0, split_result *out,
                           fz_error *err)
{
    const split_problem *p = t->p;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    tm_add_columns(lp, (tmodel *)t);
    tm_add_rows(lp, t, b->ind, b->val);
    out->columns = glp_get_num_cols(lp);
    out->rows = glp_get_num_rows(lp);
    if (inc->steps && (b->x = calloc((size_t)out->columns + 1, sizeof *b->x))) {
        tm_model_point(b->x, t, inc->steps, b->tot);
        bb->start = b->x;
    }
    int rc = 0;
    if (out->columns == 0) { /* one point per region: nothing to choose */
        memcpy(out->steps, p->lo, t->C * sizeof *out->steps);
        out->status = ALLOC_OPTIMAL;
    } else if ((rc = run_glpk(lp, t, bb, inc, t0, out, err)) == USE_INCUMBENT) {
        rc = 0; /* time ran out before GLPK had an allocation: the incumbent */
        memcpy(out->steps, inc->steps, t->C * sizeof *out->steps);
        out->status = isnan(bb->known) ? ALLOC_FEASIBLE_TIME_LIMIT : ALLOC_OPTIMAL; /* enumerated */
        if (out->lp_value == 0) /* the simplex did not finish */
            out->lp_value = tm_crude_bound(t);
    }
    glp_delete_prob(lp);
    return rc;
}

static int guarded(tmodel *t, tbuf *b, tb_ctx *bb, const incumbent *inc, double t0, split_result *out,
                   fz_error *err)
{
    glpk_guard *volatile guard = calloc(1, sizeof *guard); /* volatile: read after a longjmp */
    if (!guard)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    if (setjmp(guard->jump)) {
        glp_free_env(); /* a fresh environment prints again: nothing to restore */
        free(guard);
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver (GLPK) stopped with an internal error on a target model of %d columns",
                       out->columns);
    }
    glp_error_hook(split_on_glpk_error, guard);
    glp_term_hook(split_on_glpk_term, guard);
    int term_was = glp_term_out(GLP_OFF);
    int rc = build_and_solve(t, b, bb, inc, t0, out, err);
    glp_term_out(term_was);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    free(guard);
    return rc;
}

int split_target_solve(split_result *out, const split_problem *p, fz_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = fz_seconds();
    tmodel t = {.p = p, .C = p->nregions, .G = p->ngrid, .S = p->nreps};
    tbuf b;
    int rc = 0;
    out->steps = calloc(t.C, sizeof *out->steps);
    if (!tbuf_init(&b, &t) || !out->steps) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the target model");
        goto done;
    }
    tm_classify(&t);
    if (p->min_reach > t.always + t.live) {
        rc = fz_fail(err, FZ_ERUNTIME,
                     "no split of the budget has %ld of the %zu replications reach %g releases (min_target_prob): "
                     "only %ld can, each on its own best split",
                     p->min_reach, t.S, p->target, t.always + t.live);
        goto done;
    }
    tm_kept_points(&t);
    incumbent inc;
    tm_find_incumbent(&inc, &t, b.steps, b.curve, b.tot);
    tb_ctx bb = {.t = &t, .bound = INFINITY, .known = NAN};
    long count;
    if (tm_enumerate(&t, b.steps + t.C, &count)) { /* exact: GLPK's incumbent, proven */
        if (count < p->min_reach) {
            rc = fz_fail(err, FZ_ERUNTIME,
                         "no split of the budget has %ld of the %zu replications reach %g releases "
                         "(min_target_prob): the best has %ld",
                         p->min_reach, t.S, p->target, count);
            goto done;
        }
        inc.steps = b.steps + t.C;
        inc.value = (double)count;
        bb.known = (double)count;
    }
    rc = guarded(&t, &b, &bb, &inc, t0, out, err);
    if (!rc) {
        double v = tm_objective(&t, out->steps, b.tot);
        out->value = p->target_obj ? v / (double)t.S : v;
        out->reached = tm_count_reached(&t, out->steps);
        /* ties: the releases optimum when it reaches as many (a split that
         * buys as many releases as possible, not an arbitrary one: with a
         * target no split can reach, every split ties) */
        if (p->target_obj && out->status == ALLOC_OPTIMAL && inc.releases_opt &&
            tm_count_reached(&t, inc.releases_opt) == out->reached)
            memcpy(out->steps, inc.releases_opt, t.C * sizeof *out->steps);
        if (out->status == ALLOC_OPTIMAL && out->columns == 0)
            out->lp_value = out->value;
        split_describe(out, p, bb.bound / (p->target_obj ? (double)t.S : 1));
    }
    out->seconds = fz_seconds() - t0;
done:
    tbuf_free(&b);
    if (rc)
        split_result_free(out);
    return rc;
}
