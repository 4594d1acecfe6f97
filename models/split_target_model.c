/* split_target_model: the data side of the chance model (split_int.h):
 * which replications are live, which grid points are kept, the GLPK rows
 * and columns in incremental form, and the incumbent handed to GLPK.  The
 * model itself is described at the top of split_target.c. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "split_int.h"




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

long tm_count_reached(const tmodel *t, const long *steps)
{
    long n = 0;
    for (size_t s = 0; s < t->S; s++)
        n += total(t, s, steps) >= t->p->target;
    return n;
}

/* The objective at steps, from the data (target: replications reaching). */
double tm_objective(const tmodel *t, const long *steps, double *tot)
{
    const split_problem *p = t->p;
    if (p->target_obj)
        return (double)tm_count_reached(t, steps);
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
int tm_classify(tmodel *t)
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

void tm_kept_points(tmodel *t)
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

void tm_add_columns(glp_prob *lp, tmodel *t)
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
int tm_add_rows(glp_prob *lp, const tmodel *t, int *ind, double *val)
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
    if (t->p->min_reach > 0 && tm_count_reached(t, steps) < t->p->min_reach)
        return;
    double x = tm_objective(t, steps, tot);
    if (!best->steps || x > best->value) {
        best->steps = best->steps ? best->steps : steps + t->C; /* the second half holds the best */
        memcpy(best->steps, steps, t->C * sizeof *steps);
        best->value = x;
    }
}

/* steps: 3 C entries of scratch (the best goes to the second third, the
 * releases optimum to the last). */
void tm_find_incumbent(incumbent *best, const tmodel *t, long *steps, double *curve, double *tot)
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
void tm_model_point(double *x, const tmodel *t, const long *steps, double *tot)
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
double tm_crude_bound(const tmodel *t)
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


/* Two regions, objective target: every pair of kept points within the
 * budget, counted replication by replication in the model's own (capped)
 * form, as the MIP counts.  Cache-friendly: one replication at a time over a
 * table of pair counts.  Returns 1 with the best pair in steps and its count
 * (with the replications that always reach) in *count, or 0 when the work
 * (pairs x live replications) exceeds TARGET_ENUM_MAX_WORK or memory fails. */
int tm_enumerate(const tmodel *t, long *steps, long *count)
{
    const split_problem *p = t->p;
    if (t->C != 2 || !p->target_obj || p->cvar || p->mip_only)
        return 0;
    const long *k0 = t->kept + t->koff[0], *k1 = t->kept + t->koff[1];
    const size_t n0 = t->koff[1] - t->koff[0], n1 = t->koff[2] - t->koff[1];
    size_t *lim = malloc(n0 * sizeof *lim);
    if (!lim)
        return 0;
    double pairs = 0;
    for (size_t i = 0; i < n0; i++) { /* region 1's points that fit beside region 0's i-th */
        lim[i] = 0;
        while (lim[i] < n1 && k0[i] + k1[lim[i]] <= p->budget_steps)
            lim[i]++;
        pairs += (double)lim[i];
    }
    int *cnt = pairs * (double)t->live <= TARGET_ENUM_MAX_WORK ? calloc(n0 * n1, sizeof *cnt) : NULL;
    double *a1 = cnt ? malloc(n1 * sizeof *a1) : NULL;
    if (!a1) {
        free(lim), free(cnt);
        return 0;
    }
    for (size_t s = 0; s < t->S; s++) {
        if (t->kind[s] != REP_LIVE)
            continue;
        for (size_t k = 0; k < n1; k++)
            a1[k] = capped(t, s, 1, k1[k]);
        for (size_t i = 0; i < n0; i++) {
            const double need = t->D[s] - capped(t, s, 0, k0[i]);
            int *row = cnt + i * n1;
            for (size_t k = 0; k < lim[i]; k++)
                row[k] += a1[k] >= need;
        }
    }
    long best = -1;
    for (size_t i = 0; i < n0; i++)
        for (size_t k = 0; k < lim[i]; k++)
            if (cnt[i * n1 + k] > best) {
                best = cnt[i * n1 + k];
                steps[0] = k0[i], steps[1] = k1[k];
            }
    free(lim), free(cnt), free(a1);
    if (best < 0)
        return 0;
    *count = best + t->always;
    return 1;
}
