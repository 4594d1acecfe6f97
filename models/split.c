/* split: the allocation MIP in GLPK, and its checks (split.h).
 *
 * Multiple-choice knapsack (Sinha & Zoltners, Oper. Res. 27, 1979):
 *   max  sum_{c,g} v_cg y_cg
 *   s.t. sum_g y_cg = 1                    for each region c
 *        sum_{c,g} g y_cg <= budget_steps  (the budget row)
 *        y_cg in {0, 1}, only for lo_c <= g <= hi_c.
 * A point g is dropped when a cheaper allowed point has at least its value:
 * swapping to the cheaper one never hurts, so neither the MIP nor the LP
 * optimum changes (this is what keeps non-monotone first_come curves cheap).
 *
 * CVaR (Rockafellar & Uryasev, J. Risk 2, 2000), over S replications with
 * per-replication values R_scg:
 *   max  eta - 1/(alpha S) sum_s u_s
 *   s.t. u_s - eta + sum_{c,g} R_scg y_cg >= 0,  u_s >= 0,  eta free,
 * plus the knapsack rows; a point is dropped when the next cheaper allowed
 * point has at least its value in every replication.
 *
 * Solving: glp_simplex on the relaxation (its budget-row dual is the marginal
 * value of money), then glp_intopt from that basis.  GLPK's error hook
 * longjmps back here and the environment is freed, as GLPK's reference
 * manual (glp_error_hook) prescribes. */
#include "split.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fz_util.h"
#include "split_int.h"

int split_check(const split_problem *p, fz_error *err)
{
    long lo_sum = 0;
    if (p->nregions == 0 || p->ngrid == 0)
        return fz_fail(err, FZ_EINPUT, "allocation: no regions or no grid points");
    for (size_t c = 0; c < p->nregions; c++) {
        if (p->lo[c] < 0 || p->lo[c] > p->hi[c] || p->hi[c] >= (long)p->ngrid)
            return fz_fail(err, FZ_EINPUT,
                           "allocation: region %zu has bounds [%g, %g] USD with no grid point in "
                           "the budget (step %g USD)",
                           c + 1, p->lo[c] * p->step, p->hi[c] * p->step, p->step);
        lo_sum += p->lo[c];
    }
    if (lo_sum > p->budget_steps)
        return fz_fail(err, FZ_EINPUT,
                       "allocation: the minimum shares need %g USD on the %g USD grid, more than "
                       "the budget of %g USD",
                       lo_sum * p->step, p->step, p->budget_steps * p->step);
    if (p->cvar && !(p->alpha > 0 && p->alpha <= 1 && p->nreps > 0))
        return fz_fail(err, FZ_EINPUT, "allocation: cvar needs 0 < alpha <= 1 and replications");
    return split_target_check(p, err);
}

/* With the values sorted, x_(1) <= ... <= x_(n), and k = floor(alpha n):
 * CVaR = (x_(1) + ... + x_(k) + (alpha n - k) x_(k+1)) / (alpha n). */
double split_cvar(const double *x, size_t n, double alpha)
{
    double *s = n ? malloc(n * sizeof *s) : NULL;
    if (!s)
        return NAN;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, fz_cmp_double);
    double an = alpha * (double)n, sum = 0;
    size_t k = (size_t)floor(an);
    if (k > n)
        k = n;
    for (size_t i = 0; i < k; i++)
        sum += s[i];
    if (an > (double)k && k < n)
        sum += (an - (double)k) * s[k];
    free(s);
    return sum / an;
}

/* ---- GLPK model ---- */

void split_on_glpk_error(void *info) { longjmp(((glpk_guard *)info)->jump, 1); }

/* Swallows GLPK's terminal output (also off with glp_term_out): GLPK's own
 * lines never reach the user; fianza reports every outcome itself. */
int split_on_glpk_term(void *info, const char *s)
{
    (void)info, (void)s;
    return 1;
}

/* Branch-and-bound callback.  It keeps the best bound of the open nodes
 * (for the gap after a time limit; glp_ios_best_node scans every open node,
 * so at most every 0.2 s: a stale bound is still a bound, as bounds only
 * fall).  For the mean objective with the DP optimum known it ends the
 * search once that optimum is the incumbent: GLPK's own incumbent when it
 * finds one worth as much, or, after ALLOC_DP_NODES nodes without one, the
 * DP's allocation handed to GLPK as a heuristic solution.  The node count,
 * not a time, decides, so the result does not depend on the machine; the
 * models of the shipped scenarios need at most ~35 nodes (measured) and keep
 * GLPK's own optimum. */
#define ALLOC_DP_NODES 500

typedef struct bb_ctx {
    const split_problem *p;
    const int *col_region;
    const long *col_point;
    int ncols;
    double dp_value;      /* NAN: not known */
    const long *dp_steps; /* its allocation */
    double bound;         /* best bound of the open nodes seen; +inf until seen */
    double bound_at;      /* when it was last computed */
    int stopped_at_dp;
} bb_ctx;

static int incumbent_at_dp(glp_tree *tree, const bb_ctx *b)
{
    glp_prob *lp = glp_ios_get_prob(tree);
    const size_t C = b->p->nregions;
    long chosen[64];
    if (C > sizeof chosen / sizeof chosen[0])
        return 0;
    for (size_t c = 0; c < C; c++)
        chosen[c] = -1;
    for (int j = 1; j <= b->ncols; j++)
        if (glp_mip_col_val(lp, j) > 0.5)
            chosen[b->col_region[j]] = b->col_point[j];
    double v = 0; /* from the data, summed in region order as the DP sums */
    for (size_t c = 0; c < C; c++) {
        if (chosen[c] < 0)
            return 0;
        v += b->p->value[c * b->p->ngrid + (size_t)chosen[c]];
    }
    return v >= b->dp_value;
}

static void on_branch(glp_tree *tree, void *info)
{
    bb_ctx *b = info;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_ISELECT && fz_seconds() - b->bound_at > 0.2) {
        int node = glp_ios_best_node(tree);
        if (node) {
            double x = glp_ios_node_bound(tree, node);
            if (x < b->bound)
                b->bound = x;
        }
        b->bound_at = fz_seconds();
    }
    if (isnan(b->dp_value) || b->stopped_at_dp)
        return;
    glp_prob *lp = glp_ios_get_prob(tree);
    /* GLPK's objective first (cheap), then the value from the data */
    if (glp_mip_status(lp) == GLP_FEAS && glp_mip_obj_val(lp) >= b->dp_value - 1e-9 * (1 + fabs(b->dp_value)) &&
        incumbent_at_dp(tree, b)) {
        b->stopped_at_dp = 1;
        glp_ios_terminate(tree);
        return;
    }
    int total;
    glp_ios_tree_size(tree, NULL, NULL, &total);
    if (reason != GLP_IHEUR || total < ALLOC_DP_NODES)
        return;
    int n = glp_get_num_cols(lp);
    double *x = calloc((size_t)n + 1, sizeof *x);
    if (!x)
        return;
    for (int j = 1; j <= b->ncols; j++)
        x[j] = b->col_point[j] == b->dp_steps[b->col_region[j]] ? 1 : 0;
    if (glp_ios_heur_sol(tree, x) == 0 && incumbent_at_dp(tree, b)) {
        b->stopped_at_dp = 1;
        glp_ios_terminate(tree);
    }
    free(x);
}

/* Keeps point g of region c?  (see the dominance rule at the top) */
static int keep_point(const split_problem *p, size_t c, long g, double *best_so_far)
{
    if (g == p->lo[c])
        return 1;
    if (!p->cvar) {
        double v = p->value[c * p->ngrid + (size_t)g];
        if (v > *best_so_far) {
            *best_so_far = v;
            return 1;
        }
        return 0;
    }
    for (size_t s = 0; s < p->nreps; s++) {
        const double *r = p->rep_value + (s * p->nregions + c) * p->ngrid;
        if (r[g] > r[g - 1])
            return 1;
    }
    return 0;
}

/* An allocation when branch-and-bound ran out of time before finding one
 * (1 if steps is filled): for the mean objective the DP's, for cvar the DP
 * optimum of the replications' mean (a sound heuristic: feasible, and its
 * CVaR is what is reported). */
static int fallback(long *steps, const split_problem *p, const long *dp_steps, double dp_value)
{
    const size_t C = p->nregions, G = p->ngrid;
    if (!p->cvar) {
        if (isnan(dp_value))
            return 0;
        memcpy(steps, dp_steps, C * sizeof *steps);
        return 1;
    }
    double *mean = calloc(C * G, sizeof *mean);
    if (!mean)
        return 0;
    for (size_t s = 0; s < p->nreps; s++)
        for (size_t j = 0; j < C * G; j++)
            mean[j] += p->rep_value[s * C * G + j] / (double)p->nreps;
    split_problem q = *p;
    q.cvar = 0;
    q.value = mean;
    int ok = split_dp_work(&q) <= ALLOC_DP_MAX_WORK && !isnan(split_dp(&q, steps));
    free(mean);
    return ok;
}

/* Column bookkeeping (which region and grid point each binary column is)
 * and one scratch column for glp_set_mat_col (1-based, as GLPK wants). */
typedef struct model_buf {
    int *col_region;
    long *col_point;
    int *ind;
    double *val;
    int ncols; /* binary columns: 1 .. ncols */
} model_buf;

static int buf_init(model_buf *m, const split_problem *p, size_t S)
{
    size_t maxcols = 0;
    for (size_t c = 0; c < p->nregions; c++)
        maxcols += (size_t)(p->hi[c] - p->lo[c] + 1);
    m->ncols = 0;
    m->col_region = malloc((maxcols + 1) * sizeof *m->col_region);
    m->col_point = malloc((maxcols + 1) * sizeof *m->col_point);
    m->ind = malloc((maxcols + S + 3) * sizeof *m->ind);
    m->val = malloc((maxcols + S + 3) * sizeof *m->val);
    return m->col_region && m->col_point && m->ind && m->val;
}

static void buf_free(model_buf *m)
{
    free(m->col_region);
    free(m->col_point);
    free(m->ind);
    free(m->val);
}

/* The binary columns y_cg of the points kept (keep_point), each in its
 * choice row, the budget row and the cvar rows. */
static void add_point_columns(glp_prob *lp, const split_problem *p, size_t S, int budget_row, model_buf *m)
{
    const size_t C = p->nregions;
    int *ind = m->ind;
    double *val = m->val;
    for (size_t c = 0; c < C; c++) {
        double best = -INFINITY;
        for (long g = p->lo[c]; g <= p->hi[c]; g++) {
            if (g == p->lo[c])
                best = p->cvar ? 0 : p->value[c * p->ngrid + (size_t)g];
            if (!keep_point(p, c, g, &best))
                continue;
            int j = glp_add_cols(lp, 1);
            m->ncols = j;
            m->col_region[j] = (int)c;
            m->col_point[j] = g;
            glp_set_col_kind(lp, j, GLP_BV);
            glp_set_obj_coef(lp, j, p->cvar ? 0 : p->value[c * p->ngrid + (size_t)g]);
            int n = 0;
            ind[++n] = (int)c + 1;
            val[n] = 1;
            if (g > 0) {
                ind[++n] = budget_row;
                val[n] = (double)g;
            }
            for (size_t s = 0; s < S; s++) {
                double r = p->rep_value[(s * C + c) * p->ngrid + (size_t)g];
                if (r != 0) {
                    ind[++n] = budget_row + 1 + (int)s;
                    val[n] = r;
                }
            }
            glp_set_mat_col(lp, j, n, ind, val);
        }
    }
}

/* CVaR's eta (free) and u_s >= 0 columns. */
static void add_cvar_columns(glp_prob *lp, const split_problem *p, size_t S, int budget_row, model_buf *m)
{
    int eta = glp_add_cols(lp, 1);
    glp_set_col_bnds(lp, eta, GLP_FR, 0, 0);
    glp_set_obj_coef(lp, eta, 1);
    int n = 0;
    for (size_t s = 0; s < S; s++) {
        m->ind[++n] = budget_row + 1 + (int)s;
        m->val[n] = -1;
    }
    glp_set_mat_col(lp, eta, n, m->ind, m->val);
    int u0 = glp_add_cols(lp, (int)S);
    for (size_t s = 0; s < S; s++) {
        int j = u0 + (int)s, row = budget_row + 1 + (int)s;
        double one = 1;
        glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, j, -1 / (p->alpha * (double)S));
        glp_set_mat_col(lp, j, 1, (int[]){0, row}, (double[]){0, one});
    }
}

/* The MIP of the top of the file; returns the budget row. */
static int build_model(glp_prob *lp, const split_problem *p, size_t S, model_buf *m)
{
    const size_t C = p->nregions;
    glp_set_obj_dir(lp, GLP_MAX);
    /* rows: C choice rows, the budget row, then S cvar rows */
    glp_add_rows(lp, (int)(C + 1 + S));
    for (size_t c = 0; c < C; c++)
        glp_set_row_bnds(lp, (int)c + 1, GLP_FX, 1, 1);
    const int budget_row = (int)C + 1;
    glp_set_row_bnds(lp, budget_row, GLP_UP, 0, (double)p->budget_steps);
    for (size_t s = 0; s < S; s++)
        glp_set_row_bnds(lp, budget_row + 1 + (int)s, GLP_LO, 0, 0);
    add_point_columns(lp, p, S, budget_row, m);
    if (p->cvar)
        add_cvar_columns(lp, p, S, budget_row, m);
    return budget_row;
}

/* The LP relaxation: its value and the budget row's dual (per USD). */
static int solve_relaxation(glp_prob *lp, const split_problem *p, int budget_row, split_result *out, fz_error *err)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF;
    if (p->time_limit > 0)
        sm.tm_lim = (int)(p->time_limit * 1000);
    glp_scale_prob(lp, GLP_SF_AUTO);
    int st = glp_simplex(lp, &sm);
    if (st == GLP_ETMLIM)
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver time limit of %g s ran out while solving the LP relaxation (%d columns, %d rows): "
                       "no allocation found; raise --solver-time-limit",
                       p->time_limit, out->columns, out->rows);
    if (st != 0 || glp_get_status(lp) != GLP_OPT)
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver (GLPK simplex) could not solve the LP relaxation (%d columns, %d rows): "
                       "return code %d, status %d",
                       out->columns, out->rows, st, glp_get_status(lp));
    out->lp_value = glp_get_obj_val(lp);
    out->budget_dual = glp_get_row_dual(lp, budget_row) / p->step;
    return 0;
}

/* Branch-and-bound from the optimal relaxation: out->status and out->steps
 * (GLPK's incumbent, or the fallback when time ran out before one). */
static int solve_mip(glp_prob *lp, const split_problem *p, bb_ctx *bb, double t0, split_result *out, fz_error *err)
{
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF; /* start from the optimal relaxation */
    io.cb_func = on_branch;
    io.cb_info = bb;
    if (p->time_limit > 0) {
        double left = p->time_limit - (fz_seconds() - t0);
        io.tm_lim = left > 0.001 ? (int)(left * 1000) : 1;
    }
    int st = glp_intopt(lp, &io);
    int ms = glp_mip_status(lp);
    if (ms == GLP_OPT && st == 0)
        out->status = ALLOC_OPTIMAL;
    else if (ms == GLP_FEAS && st == GLP_ESTOP && bb->stopped_at_dp)
        out->status = ALLOC_OPTIMAL; /* the incumbent has the DP optimum */
    else if (ms == GLP_FEAS && (st == GLP_ETMLIM || st == 0))
        out->status = ALLOC_FEASIBLE_TIME_LIMIT;
    else if (st == GLP_ETMLIM && fallback(out->steps, p, bb->dp_steps, bb->dp_value)) {
        /* no incumbent yet: the DP optimum (mean), or the allocation that is
         * optimal for the mean of the replications (cvar), bounded by the LP */
        out->status = p->cvar ? ALLOC_FEASIBLE_TIME_LIMIT : ALLOC_OPTIMAL;
        bb->bound = out->lp_value;
    } else if (st == GLP_ETMLIM)
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver time limit of %g s ran out before branch-and-bound found any allocation "
                       "(%d columns, %d rows; LP bound %.6g): raise --solver-time-limit",
                       p->time_limit, out->columns, out->rows, out->lp_value);
    else
        return fz_fail(err, FZ_ERUNTIME,
                       "the solver (GLPK branch-and-bound) failed (%d columns, %d rows): return code %d, status %d",
                       out->columns, out->rows, st, ms);
    if (ms == GLP_FEAS || ms == GLP_OPT)
        for (int j = 1; j <= bb->ncols; j++)
            if (glp_mip_col_val(lp, j) > 0.5)
                out->steps[bb->col_region[j]] = bb->col_point[j];
    return 0;
}

/* The value from the data, not GLPK's floating objective (1 ulp off at times). */
static int value_from_data(split_result *out, const split_problem *p, fz_error *err)
{
    const size_t C = p->nregions, S = p->nreps;
    if (!p->cvar) {
        out->value = 0;
        for (size_t c = 0; c < C; c++)
            out->value += p->value[c * p->ngrid + (size_t)out->steps[c]];
        return 0;
    }
    double *tot = malloc(S * sizeof *tot);
    if (!tot)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t s = 0; s < S; s++) {
        tot[s] = 0;
        for (size_t c = 0; c < C; c++)
            tot[s] += p->rep_value[(s * C + c) * p->ngrid + (size_t)out->steps[c]];
    }
    out->value = split_cvar(tot, S, p->alpha);
    free(tot);
    return 0;
}

/* bound, gap and status_text; bound: the open nodes' best bound seen. */
void split_describe(split_result *out, const split_problem *p, double bound)
{
    if (out->status == ALLOC_OPTIMAL) {
        out->bound = out->value;
        out->gap = 0;
        snprintf(out->status_text, sizeof out->status_text, "optimal");
        return;
    }
    /* never above the root LP (GLPK's cvar objective is a lower estimate of
     * the CVaR of its incumbent, whose value is recomputed above: the gap is
     * never negative) */
    out->bound = fmax(fmin(bound, out->lp_value), out->value);
    out->gap = out->bound - out->value;
    char rel[48] = ""; /* the relative gap, when the value is not 0 */
    if (fabs(out->value) > 0)
        snprintf(rel, sizeof rel, " = %.2g%%", 100 * out->gap / fabs(out->value));
    snprintf(out->status_text, sizeof out->status_text,
             "time limit of %g s: best allocation found, optimality not proven (value %.6g, bound %.6g, gap "
             "%.3g%s)",
             p->time_limit, out->value, out->bound, out->gap, rel);
}

int split_solve(split_result *out, const split_problem *p, fz_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = split_check(p, err);
    if (rc)
        return rc;
    if (p->target_obj || p->min_reach > 0)
        return split_target_solve(out, p, err);
    const size_t C = p->nregions, S = p->cvar ? p->nreps : 0;
    model_buf m;
    long *dp_steps = NULL;
    out->steps = calloc(C, sizeof *out->steps);
    if (!buf_init(&m, p, S) || !out->steps) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the allocation model");
        goto done;
    }
    double t0 = fz_seconds();
    /* The DP optimum, when its work is bounded: it proves an incumbent optimal. */
    dp_steps = p->cvar ? NULL : malloc(C * sizeof *dp_steps);
    const double dp_value = dp_steps && split_dp_work(p) <= ALLOC_DP_MAX_WORK ? split_dp(p, dp_steps) : NAN;
    int term_was;
    /* volatile: read after a longjmp out of GLPK */
    glpk_guard *volatile guard = calloc(1, sizeof *guard);
    if (!guard) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    if (setjmp(guard->jump)) {
        glp_free_env(); /* a fresh environment prints again: term_was needs no restoring */
        rc = fz_fail(err, FZ_ERUNTIME, "the solver (GLPK) stopped with an internal error on a model of %d columns",
                     out->columns);
        free(guard);
        goto done;
    }
    glp_error_hook(split_on_glpk_error, guard);
    glp_term_hook(split_on_glpk_term, guard);
    term_was = glp_term_out(GLP_OFF);

    glp_prob *lp = glp_create_prob();
    const int budget_row = build_model(lp, p, S, &m);
    out->columns = glp_get_num_cols(lp);
    out->rows = glp_get_num_rows(lp);
    bb_ctx bb = {p, m.col_region, m.col_point, m.ncols, dp_value, dp_steps, INFINITY, 0, 0};
    rc = solve_relaxation(lp, p, budget_row, out, err);
    if (!rc)
        rc = solve_mip(lp, p, &bb, t0, out, err);
    glp_delete_prob(lp);
    if (!rc)
        rc = value_from_data(out, p, err);
    if (!rc)
        split_describe(out, p, bb.bound);
    glp_term_out(term_was);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    free(guard);
    out->seconds = fz_seconds() - t0;
done:
    free(dp_steps);
    buf_free(&m);
    if (rc)
        split_result_free(out);
    return rc;
}

void split_result_free(split_result *r)
{
    if (!r)
        return;
    free(r->steps);
    r->steps = NULL;
}
