/* split_dp: the mean-objective allocation by dynamic programming (split.h).
 *
 *   f_0(b) = max { v_0(g) : g in K_0, g <= b }
 *   f_c(b) = max { f_{c-1}(b - g) + v_c(g) : g in K_c, g <= b }
 *   optimum = f_{C-1}(budget_steps)
 * where K_c holds lo_c and every point of (lo_c, hi_c] whose value beats all
 * cheaper allowed points (the others are dominated, see split.c).  The
 * multiple-choice knapsack recursion is the textbook one (Kellerer, Pferschy
 * & Pisinger, "Knapsack Problems", 2004, ch. 11).
 *
 * Each f_c is a non-decreasing step function, so it is kept as its
 * breakpoints only (the Pareto list of (cost, value) points, both strictly
 * increasing) instead of one entry per budget step: merging a list of m
 * points with K_c costs O(m |K_c| + budget), and m is at most the number of
 * distinct values (for releases, the number of cases) and at most
 * budget + 1.  Per-replication curves are step functions with few steps, so
 * one solve per replication (wait-and-see) costs O(steps^2), not
 * O(grid x steps) as a DP over every budget value did.  The last region is
 * merged at b = budget only, by two pointers, O(m + |K|).  The values are
 * the same floating sums as the per-budget DP's (f_{c-1} value + v_c(g)), so
 * the optimum is bit-identical to it (tests/check_limits.c). */
#include <math.h>
#include <stdlib.h>

#include "split.h"

static size_t candidates(const split_problem *p, size_t c, long cap, long *cand)
{
    const double *v = p->value + c * p->ngrid;
    size_t n = 0;
    double best = -INFINITY;
    for (long g = p->lo[c]; g <= p->hi[c] && g <= cap; g++)
        if (g == p->lo[c] || v[g] > best) {
            best = v[g] > best ? v[g] : best;
            cand[n++] = g;
        }
    return n;
}

typedef struct level { /* the breakpoints of f_c */
    size_t n;
    long *cost;
    double *val;
    size_t *from; /* index of the f_{c-1} point it extends */
    long *g;      /* region c's grid point */
} level;

static void level_free(level *l)
{
    free(l->cost);
    free(l->val);
    free(l->from);
    free(l->g);
}

static int level_alloc(level *l, size_t n)
{
    l->n = 0;
    l->cost = malloc(n * sizeof *l->cost);
    l->val = malloc(n * sizeof *l->val);
    l->from = malloc(n * sizeof *l->from);
    l->g = malloc(n * sizeof *l->g);
    return l->cost && l->val && l->from && l->g ? 0 : -1;
}

/* Scratch of one solve: candidate points, and per budget value the best
 * f_c value with its parent (a middle region's merge). */
typedef struct dp_scratch {
    long *cand;
    double *bval;
    size_t *bfrom;
    long *bg;
} dp_scratch;

/* f_0: region 0's candidates are already strictly increasing in value. */
static int first_level(level *l, const split_problem *p, long cap, long *cand)
{
    size_t k = candidates(p, 0, cap, cand);
    if (level_alloc(l, k ? k : 1))
        return -1;
    for (size_t i = 0; i < k; i++) {
        l->cost[i] = cand[i];
        l->val[i] = p->value[(size_t)cand[i]];
        l->from[i] = 0;
        l->g[i] = cand[i];
    }
    l->n = k;
    return 0;
}

/* f_c from f = f_{c-1} for a middle region c, at budgets up to cap: the
 * best value at each budget, then its breakpoints. */
static int merge_level(level *l, const level *f, const split_problem *p, size_t c, long cap, dp_scratch *w)
{
    const double *v = p->value + c * p->ngrid;
    const long *cand = w->cand;
    double *bval = w->bval;
    size_t k = candidates(p, c, cap, w->cand);
    long top = -1;
    for (size_t a = 0; a < f->n; a++)
        for (size_t i = 0; i < k && f->cost[a] + cand[i] <= cap; i++) {
            long b = f->cost[a] + cand[i];
            for (; top < b; top++)
                bval[top + 1] = -INFINITY;
            double x = f->val[a] + v[cand[i]];
            if (x > bval[b]) {
                bval[b] = x;
                w->bfrom[b] = a;
                w->bg[b] = cand[i];
            }
        }
    size_t n = 0;
    double best = -INFINITY;
    for (long b = 0; b <= top; b++)
        n += bval[b] > best ? (best = bval[b], 1) : 0;
    if (level_alloc(l, n ? n : 1))
        return -1;
    best = -INFINITY;
    for (long b = 0; b <= top; b++)
        if (bval[b] > best) {
            best = bval[b];
            l->cost[l->n] = b;
            l->val[l->n] = best;
            l->from[l->n] = w->bfrom[b];
            l->g[l->n++] = w->bg[b];
        }
    return 0;
}

/* The last region (C > 1) at b = B against f = f_{C-2}: as g grows, the best
 * f point (the costliest with cost <= B - g) moves down.  The optimum, NAN
 * if none; *arg_a, *arg_g its f point and grid point. */
static double last_region(const level *f, const split_problem *p, long *cand, size_t *arg_a, long *arg_g)
{
    const size_t C = p->nregions;
    const long B = p->budget_steps;
    const double *v = p->value + (C - 1) * p->ngrid;
    size_t k = candidates(p, C - 1, B, cand);
    size_t a = f->n;
    double best = -INFINITY;
    *arg_g = -1;
    for (size_t i = 0; i < k; i++) {
        while (a > 0 && f->cost[a - 1] > B - cand[i])
            a--;
        if (a == 0)
            break;
        double x = f->val[a - 1] + v[cand[i]];
        if (x > best) {
            best = x;
            *arg_a = a - 1;
            *arg_g = cand[i];
        }
    }
    return *arg_g < 0 ? NAN : best;
}

double split_dp(const split_problem *p, long *steps)
{
    const size_t C = p->nregions;
    const long B = p->budget_steps;
    if (C == 0 || B < 0)
        return NAN;
    dp_scratch w = {malloc(p->ngrid * sizeof(long)), NULL, NULL, NULL};
    long *rest = malloc((C + 1) * sizeof *rest);
    level *lv = calloc(C, sizeof *lv);
    double result = NAN;
    if (!w.cand || !rest || !lv)
        goto done;
    /* rest[c]: the least the regions after c need, so f_c may stop at B - rest[c] */
    rest[C] = 0;
    for (size_t c = C; c-- > 0;)
        rest[c] = (c + 1 < C ? rest[c + 1] + p->lo[c + 1] : 0);
    if (rest[0] + p->lo[0] > B || first_level(&lv[0], p, B - rest[0], w.cand))
        goto done;
    if (C > 2 &&
        (!(w.bval = malloc((size_t)(B + 1) * sizeof *w.bval)) ||
         !(w.bfrom = malloc((size_t)(B + 1) * sizeof *w.bfrom)) || !(w.bg = malloc((size_t)(B + 1) * sizeof *w.bg))))
        goto done;
    for (size_t c = 1; c + 1 < C; c++)
        if (merge_level(&lv[c], &lv[c - 1], p, c, B - rest[c], &w))
            goto done;
    const level *f = &lv[C > 1 ? C - 2 : 0];
    if (f->n == 0)
        goto done;
    if (C == 1) {
        result = f->val[f->n - 1];
        if (steps)
            steps[0] = f->g[f->n - 1];
        goto done;
    }
    size_t arg_a = 0;
    long arg_g;
    result = last_region(f, p, w.cand, &arg_a, &arg_g);
    if (!isnan(result) && steps) { /* walk the parents back from the last region */
        steps[C - 1] = arg_g;
        size_t at = arg_a;
        for (size_t c = C - 1; c-- > 0;) {
            steps[c] = lv[c].g[at];
            at = lv[c].from[at];
        }
    }
done:
    for (size_t c = 0; lv && c < C; c++)
        level_free(&lv[c]);
    free(lv);
    free(w.cand);
    free(rest);
    free(w.bval);
    free(w.bfrom);
    free(w.bg);
    return result;
}

double split_dp_work(const split_problem *p)
{
    const size_t C = p->nregions;
    const long B = p->budget_steps;
    long *cand = C && B >= 0 ? malloc(p->ngrid * sizeof *cand) : NULL;
    if (!cand)
        return INFINITY;
    double m = 0, work = 0;
    for (size_t c = 0; c < C; c++) {
        double k = (double)candidates(p, c, B, cand);
        if (c == 0)
            m = k;
        else if (c + 1 == C)
            work += m + k;
        else {
            work += m * k + (double)B + 1;
            m = fmin(m * k, (double)B + 1);
        }
    }
    free(cand);
    return work;
}
