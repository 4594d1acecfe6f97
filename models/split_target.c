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

enum { REP_LIVE, REP_ALWAYS, REP_NEVER };

typedef struct tmodel {
    const split_problem *p;
    size_t C, G, S;
    double *m;       /* m_sc [s * C + c] */
    double *D;       /* D_s (live replications) */
    int *kind;       /* REP_* per replication */
    long always, live;
    long *kept;      /* kept points of region c: kept[koff[c] .. koff[c+1]) */
    size_t *koff;
    int *col_of;     /* first w column of region c's point k >= 1: col_of[c] + k - 1 */
    int nw, z0, eta; /* z_s of the live replications from z0; eta (cvar) */
    int *zcol;       /* per replication: its z column, 0 if none */
    int u0;          /* cvar u_s from u0 */
} tmodel;

static const double *rep(const tmodel *t, size_t s, size_t c) { return t->p->rep_value + (s * t->C + c) * t->G; }

static double capped(const tmodel *t, size_t s, size_t c, long g)
{
    double a = rep(t, s, c)[g] - t->m[s * t->C + c];
    return a < t->D[s] ? a : t->D[s];
}

/* Total of replication s at steps, summed in region order (the data's own). */
static double total(const tmodel *t, size_t s, const long *steps)
{
    double x = 0;
    for (size_t c = 0; c < t->C; c++)
        x += rep(t, s, c)[steps[c]];
    return x;
}

static long count_reached(const tmodel *t, const long *steps)
{
    long n = 0;
    for (size_t s = 0; s < t->S; s++)
        n += total(t, s, steps) >= t->p->target;
    return n;
}

/* The objective at steps, from the data (target: replications reaching). */
static double objective(const tmodel *t, const long *steps, double *tot)
{
    const split_problem *p = t->p;
    if (p->target_obj)
        return (double)count_reached(t, steps);
    if (!p->cvar) {
        double v = 0;
        for (size_t c = 0; c < t->C; c++)
            v += p->value[c * t->G + (size_t)steps[c]];
        return v;
    }
    for (size_t s = 0; s < t->S; s++)
        tot[s] = total(t, s, steps);
    return split_cvar(tot, t->S, p->alpha);
}

/* m, L, D and the kind of each replication. */
static int classify(tmodel *t)
{
    const split_problem *p = t->p;
    split_problem q = *p;
    q.cvar = q.target_obj = 0;
    q.min_reach = 0;
    for (size_t s = 0; s < t->S; s++) {
        double L = 0, best = 0;
        for (size_t c = 0; c < t->C; c++) {
            const double *r = rep(t, s, c);
            double lo = INFINITY, hi = -INFINITY;
            for (long g = p->lo[c]; g <= p->hi[c]; g++) {
                lo = fmin(lo, r[g]);
                hi = fmax(hi, r[g]);
            }
            t->m[s * t->C + c] = lo;
            L += lo;
            best += hi;
        }
        t->D[s] = p->target - L;
        if (L >= p->target)
            t->kind[s] = REP_ALWAYS;
        else if (best < p->target)
            t->kind[s] = REP_NEVER;
        else {
            /* its own best split; the tolerance only keeps more replications live */
            q.value = p->rep_value + s * t->C * t->G;
            double own = split_dp_work(&q) <= ALLOC_DP_MAX_WORK ? split_dp(&q, NULL) : best;
            t->kind[s] = own < p->target - 1e-9 * (1 + p->target) ? REP_NEVER : REP_LIVE;
        }
        t->always += t->kind[s] == REP_ALWAYS;
        t->live += t->kind[s] == REP_LIVE;
    }
    return 0;
}

/* Keeps g (> lo) unless g - 1 is at least as good in every term. */
static int keep(const tmodel *t, size_t c, long g)
{
    const split_problem *p = t->p;
    if (!p->cvar && !p->target_obj && p->value[c * t->G + (size_t)g] > p->value[c * t->G + (size_t)g - 1])
        return 1;
    for (size_t s = 0; s < t->S; s++) {
        if (p->cvar && rep(t, s, c)[g] > rep(t, s, c)[g - 1])
            return 1;
        if (t->kind[s] == REP_LIVE && capped(t, s, c, g) > capped(t, s, c, g - 1))
            return 1;
    }
    return 0;
}

static void kept_points(tmodel *t)
{
    size_t n = 0;
    for (size_t c = 0; c < t->C; c++) {
        t->koff[c] = n;
        t->kept[n++] = t->p->lo[c];
        for (long g = t->p->lo[c] + 1; g <= t->p->hi[c]; g++)
            if (keep(t, c, g))
                t->kept[n++] = g;
    }
    t->koff[t->C] = n;
}

/* The largest kept point <= g of region c (it is at least as good). */
static long to_kept(const tmodel *t, size_t c, long g)
{
    long best = t->kept[t->koff[c]];
    for (size_t k = t->koff[c]; k < t->koff[c + 1] && t->kept[k] <= g; k++)
        best = t->kept[k];
    return best;
}

/* ---- the GLPK model ---- */

static void add_columns(glp_prob *lp, tmodel *t)
{
    const split_problem *p = t->p;
    double c0 = 0;
    for (size_t c = 0; c < t->C; c++) {
        size_t nk = t->koff[c + 1] - t->koff[c];
        t->col_of[c] = nk > 1 ? glp_add_cols(lp, (int)nk - 1) : 0;
        if (!p->cvar && !p->target_obj)
            c0 += p->value[c * t->G + (size_t)p->lo[c]];
        for (size_t k = 1; k < nk; k++) {
            int j = t->col_of[c] + (int)k - 1;
            glp_set_col_kind(lp, j, GLP_BV);
            if (!p->cvar && !p->target_obj) {
                const double *v = p->value + c * t->G;
                long a = t->kept[t->koff[c] + k], b = t->kept[t->koff[c] + k - 1];
                glp_set_obj_coef(lp, j, v[a] - v[b]);
            }
        }
    }
    t->nw = glp_get_num_cols(lp);
    if (p->target_obj)
        c0 = (double)t->always;
    glp_set_obj_coef(lp, 0, c0);
    if (t->live) {
        t->z0 = glp_add_cols(lp, (int)t->live);
        for (size_t s = 0, i = 0; s < t->S; s++)
            if (t->kind[s] == REP_LIVE) {
                t->zcol[s] = t->z0 + (int)i++;
                glp_set_col_kind(lp, t->zcol[s], GLP_BV);
                glp_set_obj_coef(lp, t->zcol[s], p->target_obj ? 1 : 0);
            }
    }
    if (p->cvar) {
        t->eta = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, t->eta, GLP_FR, 0, 0);
        glp_set_obj_coef(lp, t->eta, 1);
        t->u0 = glp_add_cols(lp, (int)t->S);
        for (size_t s = 0; s < t->S; s++) {
            glp_set_col_bnds(lp, t->u0 + (int)s, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, t->u0 + (int)s, -1 / (p->alpha * (double)t->S));
        }
    }
}

/* Row of per-point values f(c, point) in the incremental form: the w
 * coefficients into ind/val (from n), and the constant sum_c f(c, lo_c). */
typedef double (*point_fn)(const tmodel *t, size_t s, size_t c, long g);
static double f_capped(const tmodel *t, size_t s, size_t c, long g) { return capped(t, s, c, g); }
static double f_rep(const tmodel *t, size_t s, size_t c, long g) { return rep(t, s, c)[g]; }

static int incremental(const tmodel *t, size_t s, point_fn f, int n, int *ind, double *val, double *constant)
{
    *constant = 0;
    for (size_t c = 0; c < t->C; c++) {
        size_t k0 = t->koff[c], nk = t->koff[c + 1] - k0;
        double prev = f(t, s, c, t->kept[k0]);
        *constant += prev;
        for (size_t k = 1; k < nk; k++) {
            double x = f(t, s, c, t->kept[k0 + k]);
            if (x != prev) {
                ind[++n] = t->col_of[c] + (int)k - 1;
                val[n] = x - prev;
            }
            prev = x;
        }
    }
    return n;
}

/* Every row; returns the budget row. */
static int add_rows(glp_prob *lp, const tmodel *t, int *ind, double *val)
{
    const split_problem *p = t->p;
    long lo_sum = 0;
    for (size_t c = 0; c < t->C; c++)
        lo_sum += p->lo[c];
    int budget = glp_add_rows(lp, 1), n = 0;
    glp_set_row_bnds(lp, budget, GLP_UP, 0, (double)(p->budget_steps - lo_sum));
    for (size_t c = 0; c < t->C; c++)
        for (size_t k = 1; k < t->koff[c + 1] - t->koff[c]; k++) {
            ind[++n] = t->col_of[c] + (int)k - 1;
            val[n] = (double)(t->kept[t->koff[c] + k] - t->kept[t->koff[c] + k - 1]);
        }
    glp_set_mat_row(lp, budget, n, ind, val);
    for (size_t c = 0; c < t->C; c++) /* w_ck >= w_c,k+1 */
        for (size_t k = 1; k + 1 < t->koff[c + 1] - t->koff[c]; k++) {
            int i = glp_add_rows(lp, 1), j = t->col_of[c] + (int)k - 1;
            glp_set_row_bnds(lp, i, GLP_LO, 0, 0);
            glp_set_mat_row(lp, i, 2, (int[]){0, j, j + 1}, (double[]){0, 1, -1});
        }
    double constant;
    for (size_t s = 0; s < t->S; s++)
        if (t->kind[s] == REP_LIVE) {
            n = incremental(t, s, f_capped, 0, ind, val, &constant);
            ind[++n] = t->zcol[s];
            val[n] = -t->D[s];
            int i = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, i, GLP_LO, -constant, 0);
            glp_set_mat_row(lp, i, n, ind, val);
        }
    /* z_s <= w_ck: reaching needs region c at least at its k-th kept point,
     * the first whose a_sc, with every other region at its most, covers D_s */
    for (size_t s = 0; s < t->S; s++)
        if (t->kind[s] == REP_LIVE)
            for (size_t c = 0; c < t->C; c++) {
                double others = 0;
                for (size_t d = 0; d < t->C; d++)
                    if (d != c) {
                        double hi = 0;
                        for (size_t k = t->koff[d]; k < t->koff[d + 1]; k++)
                            hi = fmax(hi, capped(t, s, d, t->kept[k]));
                        others += hi;
                    }
                size_t k = 0, nk = t->koff[c + 1] - t->koff[c];
                while (k < nk && capped(t, s, c, t->kept[t->koff[c] + k]) + others < t->D[s])
                    k++;
                if (k == 0 || k == nk) /* no condition, or never (the row covers it) */
                    continue;
                int i = glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, i, GLP_LO, 0, 0);
                glp_set_mat_row(lp, i, 2, (int[]){0, t->col_of[c] + (int)k - 1, t->zcol[s]}, (double[]){0, 1, -1});
            }
    if (p->min_reach > t->always) {
        int i = glp_add_rows(lp, 1);
        n = 0;
        for (size_t s = 0; s < t->S; s++)
            if (t->zcol[s]) {
                ind[++n] = t->zcol[s];
                val[n] = 1;
            }
        glp_set_row_bnds(lp, i, GLP_LO, (double)(p->min_reach - t->always), 0);
        glp_set_mat_row(lp, i, n, ind, val);
    }
    if (p->cvar) /* u_s - eta + T_s >= 0 */
        for (size_t s = 0; s < t->S; s++) {
            n = incremental(t, s, f_rep, 0, ind, val, &constant);
            ind[++n] = t->eta;
            val[n] = -1;
            ind[++n] = t->u0 + (int)s;
            val[n] = 1;
            int i = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, i, GLP_LO, -constant, 0);
            glp_set_mat_row(lp, i, n, ind, val);
        }
    return budget;
}

/* ---- the incumbent ---- */

typedef struct incumbent {
    long *steps; /* NULL: none */
    double value;
    long *releases_opt; /* the releases optimum on every grid point, or NULL */
} incumbent;

/* Tries the split optimal for the mean curve v (per region, split_dp). */
static void try_curve(incumbent *best, const tmodel *t, const double *v, long *steps, double *tot)
{
    split_problem q = *t->p;
    q.cvar = q.target_obj = 0;
    q.min_reach = 0;
    q.value = v;
    if (split_dp_work(&q) > ALLOC_DP_MAX_WORK || isnan(split_dp(&q, steps)))
        return;
    for (size_t c = 0; c < t->C; c++)
        steps[c] = to_kept(t, c, steps[c]);
    if (t->p->min_reach > 0 && count_reached(t, steps) < t->p->min_reach)
        return;
    double x = objective(t, steps, tot);
    if (!best->steps || x > best->value) {
        best->steps = best->steps ? best->steps : steps + t->C; /* the second half holds the best */
        memcpy(best->steps, steps, t->C * sizeof *steps);
        best->value = x;
    }
}

/* steps: 3 C entries of scratch (the best goes to the second third, the
 * releases optimum to the last). */
static void find_incumbent(incumbent *best, const tmodel *t, long *steps, double *curve, double *tot)
{
    const size_t C = t->C, G = t->G;
    best->steps = NULL;
    memset(curve, 0, C * G * sizeof *curve);
    for (size_t s = 0; s < t->S; s++)
        for (size_t j = 0; j < C * G; j++)
            curve[j] += t->p->rep_value[s * C * G + j] / (double)t->S;
    try_curve(best, t, curve, steps, tot); /* the releases optimum */
    split_problem q = *t->p;
    q.cvar = q.target_obj = 0;
    q.min_reach = 0;
    q.value = curve;
    best->releases_opt = steps + 2 * C; /* the same, not moved to kept points */
    if (split_dp_work(&q) > ALLOC_DP_MAX_WORK || isnan(split_dp(&q, best->releases_opt)))
        best->releases_opt = NULL;
    if (t->live) {
        memset(curve, 0, C * G * sizeof *curve);
        for (size_t s = 0; s < t->S; s++)
            if (t->kind[s] == REP_LIVE)
                for (size_t c = 0; c < C; c++)
                    for (long g = t->p->lo[c]; g <= t->p->hi[c]; g++)
                        curve[c * G + (size_t)g] += capped(t, s, c, g) / t->D[s];
        try_curve(best, t, curve, steps, tot);
    }
    if (!t->p->cvar && !t->p->target_obj)
        try_curve(best, t, t->p->value, steps, tot);
}

/* The incumbent as a point of the model (every column). */
static void model_point(double *x, const tmodel *t, const long *steps, double *tot)
{
    for (size_t c = 0; c < t->C; c++)
        for (size_t k = 1; k < t->koff[c + 1] - t->koff[c]; k++)
            x[t->col_of[c] + (int)k - 1] = t->kept[t->koff[c] + k] <= steps[c];
    for (size_t s = 0; s < t->S; s++) {
        tot[s] = total(t, s, steps);
        if (t->zcol[s])
            x[t->zcol[s]] = tot[s] >= t->p->target;
    }
    if (t->p->cvar) { /* eta at the alpha-quantile, u_s its shortfalls */
        double *sorted = tot + t->S;
        memcpy(sorted, tot, t->S * sizeof *tot);
        qsort(sorted, t->S, sizeof *sorted, fz_cmp_double);
        size_t q = (size_t)ceil(t->p->alpha * (double)t->S);
        double eta = sorted[q ? q - 1 : 0];
        x[t->eta] = eta;
        for (size_t s = 0; s < t->S; s++)
            x[t->u0 + (int)s] = eta > tot[s] ? eta - tot[s] : 0;
    }
}

/* A bound on the objective without the LP (when the simplex ran out of
 * time): every replication that can reach; each region at its best point
 * (mean); the best mean total, which bounds its CVaR (cvar). */
static double crude_bound(const tmodel *t)
{
    const split_problem *p = t->p;
    if (p->target_obj)
        return (double)(t->always + t->live) / (double)t->S;
    double x = 0;
    for (size_t c = 0; c < t->C; c++) {
        double hi = -INFINITY;
        for (long g = p->lo[c]; g <= p->hi[c]; g++) {
            double v = 0;
            if (!p->cvar)
                v = p->value[c * t->G + (size_t)g];
            else
                for (size_t s = 0; s < t->S; s++)
                    v += rep(t, s, c)[g] / (double)t->S;
            hi = fmax(hi, v);
        }
        x += hi;
    }
    return x;
}

/* ---- branch-and-bound ---- */

typedef struct tb_ctx {
    const tmodel *t;
    const double *start; /* the incumbent as a model point, or NULL */
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
    if (reason == GLP_IBRANCH) {
        /* branch on a region's point (g_c >= p_ck or not), the most
         * fractional: splits the grid, where branching on z_s decides one
         * replication at a time (GLPK's own choice, when every w is integral) */
        int best = 0;
        double dist = 1;
        for (int j = 1; j <= b->t->nw; j++)
            if (glp_ios_can_branch(tree, j)) {
                double d = fabs(glp_get_col_prim(glp_ios_get_prob(tree), j) - 0.5);
                if (d < dist)
                    dist = d, best = j;
            }
        if (best)
            glp_ios_branch_upon(tree, best, GLP_NO_BRNCH);
        return;
    }
    if (reason != GLP_ISELECT)
        return;
    glp_prob *lp = glp_ios_get_prob(tree);
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
    add_columns(lp, (tmodel *)t);
    add_rows(lp, t, b->ind, b->val);
    out->columns = glp_get_num_cols(lp);
    out->rows = glp_get_num_rows(lp);
    if (inc->steps && (b->x = calloc((size_t)out->columns + 1, sizeof *b->x))) {
        model_point(b->x, t, inc->steps, b->tot);
        bb->start = b->x;
    }
    int rc = 0;
    if (out->columns == 0) { /* one point per region: nothing to choose */
        memcpy(out->steps, p->lo, t->C * sizeof *out->steps);
        out->status = ALLOC_OPTIMAL;
    } else if ((rc = run_glpk(lp, t, bb, inc, t0, out, err)) == USE_INCUMBENT) {
        rc = 0; /* time ran out before GLPK had an allocation: the incumbent */
        memcpy(out->steps, inc->steps, t->C * sizeof *out->steps);
        out->status = ALLOC_FEASIBLE_TIME_LIMIT;
        if (out->lp_value == 0) /* the simplex did not finish */
            out->lp_value = crude_bound(t);
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
    classify(&t);
    if (p->min_reach > t.always + t.live) {
        rc = fz_fail(err, FZ_ERUNTIME,
                     "no split of the budget has %ld of the %zu replications reach %g releases (min_target_prob): "
                     "only %ld can, each on its own best split",
                     p->min_reach, t.S, p->target, t.always + t.live);
        goto done;
    }
    kept_points(&t);
    incumbent inc;
    find_incumbent(&inc, &t, b.steps, b.curve, b.tot);
    tb_ctx bb = {.t = &t, .bound = INFINITY};
    rc = guarded(&t, &b, &bb, &inc, t0, out, err);
    if (!rc) {
        double v = objective(&t, out->steps, b.tot);
        out->value = p->target_obj ? v / (double)t.S : v;
        out->reached = count_reached(&t, out->steps);
        /* ties: the releases optimum when it reaches as many (a split that
         * buys as many releases as possible, not an arbitrary one: with a
         * target no split can reach, every split ties) */
        if (p->target_obj && out->status == ALLOC_OPTIMAL && inc.releases_opt &&
            count_reached(&t, inc.releases_opt) == out->reached)
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
