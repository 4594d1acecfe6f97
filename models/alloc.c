/* alloc: the allocation MIP in GLPK, and its checks (alloc.h).
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
#include "alloc.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int alloc_check(const alloc_problem *p, fz_error *err)
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
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* With the values sorted, x_(1) <= ... <= x_(n), and k = floor(alpha n):
 * CVaR = (x_(1) + ... + x_(k) + (alpha n - k) x_(k+1)) / (alpha n). */
double alloc_cvar(const double *x, size_t n, double alpha)
{
    double *s = n ? malloc(n * sizeof *s) : NULL;
    if (!s)
        return NAN;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
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

typedef struct glpk_guard {
    jmp_buf jump;
    char last[256]; /* GLPK's last terminal line, for error messages */
} glpk_guard;

static void on_glpk_error(void *info) { longjmp(((glpk_guard *)info)->jump, 1); }

static int on_glpk_term(void *info, const char *s)
{
    glpk_guard *g = info;
    size_t n = strlen(s);
    if (n > 1) {
        snprintf(g->last, sizeof g->last, "%s", s);
        size_t m = strlen(g->last);
        if (m && g->last[m - 1] == '\n')
            g->last[m - 1] = '\0';
    }
    return 1; /* swallow: fianza prints its own messages */
}

/* Keeps point g of region c?  (see the dominance rule at the top) */
static int keep_point(const alloc_problem *p, size_t c, long g, double *best_so_far)
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

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int alloc_solve(alloc_result *out, const alloc_problem *p, fz_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = alloc_check(p, err);
    if (rc)
        return rc;
    const size_t C = p->nregions, S = p->cvar ? p->nreps : 0;
    out->steps = calloc(C, sizeof *out->steps);
    int *col_region = NULL, *ind = NULL;
    long *col_point = NULL;
    double *val = NULL;
    size_t maxcols = 0;
    for (size_t c = 0; c < C; c++)
        maxcols += (size_t)(p->hi[c] - p->lo[c] + 1);
    col_region = malloc((maxcols + 1) * sizeof *col_region);
    col_point = malloc((maxcols + 1) * sizeof *col_point);
    ind = malloc((maxcols + S + 3) * sizeof *ind);
    val = malloc((maxcols + S + 3) * sizeof *val);
    if (!out->steps || !col_region || !col_point || !ind || !val) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the allocation model");
        goto done;
    }
    double t0 = seconds_now();
    /* volatile: read after a longjmp out of GLPK */
    glpk_guard *volatile guard = calloc(1, sizeof *guard);
    if (!guard) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    if (setjmp(guard->jump)) {
        glp_free_env();
        rc = fz_fail(err, FZ_ERUNTIME, "GLPK failed: %s", guard->last[0] ? guard->last : "internal error");
        free(guard);
        goto done;
    }
    glp_error_hook(on_glpk_error, guard);
    glp_term_hook(on_glpk_term, guard);

    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    /* rows: C choice rows, the budget row, then S cvar rows */
    glp_add_rows(lp, (int)(C + 1 + S));
    for (size_t c = 0; c < C; c++)
        glp_set_row_bnds(lp, (int)c + 1, GLP_FX, 1, 1);
    const int budget_row = (int)C + 1;
    glp_set_row_bnds(lp, budget_row, GLP_UP, 0, (double)p->budget_steps);
    for (size_t s = 0; s < S; s++)
        glp_set_row_bnds(lp, budget_row + 1 + (int)s, GLP_LO, 0, 0);

    int ncols = 0;
    for (size_t c = 0; c < C; c++) {
        double best = -INFINITY;
        for (long g = p->lo[c]; g <= p->hi[c]; g++) {
            if (g == p->lo[c])
                best = p->cvar ? 0 : p->value[c * p->ngrid + (size_t)g];
            if (!keep_point(p, c, g, &best))
                continue;
            int j = glp_add_cols(lp, 1);
            ncols = j;
            col_region[j] = (int)c;
            col_point[j] = g;
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
    if (p->cvar) {
        int eta = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, eta, GLP_FR, 0, 0);
        glp_set_obj_coef(lp, eta, 1);
        int n = 0;
        for (size_t s = 0; s < S; s++) {
            ind[++n] = budget_row + 1 + (int)s;
            val[n] = -1;
        }
        glp_set_mat_col(lp, eta, n, ind, val);
        int u0 = glp_add_cols(lp, (int)S);
        for (size_t s = 0; s < S; s++) {
            int j = u0 + (int)s, row = budget_row + 1 + (int)s;
            double one = 1;
            glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, j, -1 / (p->alpha * (double)S));
            glp_set_mat_col(lp, j, 1, (int[]){0, row}, (double[]){0, one});
        }
    }
    out->columns = glp_get_num_cols(lp);
    out->rows = glp_get_num_rows(lp);

    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF;
    if (p->time_limit > 0)
        sm.tm_lim = (int)(p->time_limit * 1000);
    glp_scale_prob(lp, GLP_SF_AUTO);
    int st = glp_simplex(lp, &sm);
    if (st != 0 || glp_get_status(lp) != GLP_OPT) {
        rc = fz_fail(err, FZ_ERUNTIME, "GLPK simplex on the LP relaxation failed (code %d, status %d)%s%s", st,
                     glp_get_status(lp), guard->last[0] ? ": " : "", guard->last);
        glp_delete_prob(lp);
        goto unhook;
    }
    out->lp_value = glp_get_obj_val(lp);
    out->budget_dual = glp_get_row_dual(lp, budget_row) / p->step;

    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF; /* start from the optimal relaxation above */
    if (p->time_limit > 0) {
        double left = p->time_limit - (seconds_now() - t0);
        io.tm_lim = left > 0.001 ? (int)(left * 1000) : 1;
    }
    st = glp_intopt(lp, &io);
    int ms = glp_mip_status(lp);
    if (ms == GLP_OPT && st == 0) {
        out->status = ALLOC_OPTIMAL;
        out->status_text = "optimal";
    } else if (ms == GLP_FEAS && (st == GLP_ETMLIM || st == 0)) {
        out->status = ALLOC_FEASIBLE_TIME_LIMIT;
        out->status_text = "time limit: best feasible allocation found, optimality not proven";
    } else {
        rc = fz_fail(err, FZ_ERUNTIME, "GLPK branch-and-bound failed (code %d, status %d)%s%s", st, ms,
                     st == GLP_ETMLIM ? ": time limit reached before any feasible allocation" : "",
                     guard->last[0] && st != GLP_ETMLIM ? guard->last : "");
        glp_delete_prob(lp);
        goto unhook;
    }
    for (int j = 1; j <= ncols; j++)
        if (glp_mip_col_val(lp, j) > 0.5)
            out->steps[col_region[j]] = col_point[j];
    glp_delete_prob(lp);
    /* The value from the data, not GLPK's floating objective (1 ulp off at times). */
    if (!p->cvar) {
        out->value = 0;
        for (size_t c = 0; c < C; c++)
            out->value += p->value[c * p->ngrid + (size_t)out->steps[c]];
    } else {
        double *tot = malloc(S * sizeof *tot);
        if (!tot) {
            rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
            goto unhook;
        }
        for (size_t s = 0; s < S; s++) {
            tot[s] = 0;
            for (size_t c = 0; c < C; c++)
                tot[s] += p->rep_value[(s * C + c) * p->ngrid + (size_t)out->steps[c]];
        }
        out->value = alloc_cvar(tot, S, p->alpha);
        free(tot);
    }
unhook:
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    free(guard);
    out->seconds = seconds_now() - t0;
done:
    free(col_region);
    free(col_point);
    free(ind);
    free(val);
    if (rc)
        alloc_result_free(out);
    return rc;
}

void alloc_result_free(alloc_result *r)
{
    if (!r)
        return;
    free(r->steps);
    r->steps = NULL;
}
