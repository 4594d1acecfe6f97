/* alloc_dp: the mean-objective allocation by dynamic programming (alloc.h).
 *
 *   f_0(b) = max { v_0(g) : g in K_0, g <= b }
 *   f_c(b) = max { f_{c-1}(b - g) + v_c(g) : g in K_c, g <= b }
 *   optimum = f_{C-1}(budget_steps)
 * where K_c holds lo_c and every point of (lo_c, hi_c] whose value beats all
 * cheaper allowed points (the others are dominated, see alloc.c).  Cost
 * O(C * budget * |K|), and only O(|K|) for the last region, which is what
 * makes one solve per replication affordable for two regions.  The
 * multiple-choice knapsack recursion is the textbook one (Kellerer, Pferschy
 * & Pisinger, "Knapsack Problems", 2004, ch. 11). */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"

static size_t candidates(const alloc_problem *p, size_t c, long *cand)
{
    const double *v = p->value + c * p->ngrid;
    size_t n = 0;
    double best = -INFINITY;
    for (long g = p->lo[c]; g <= p->hi[c]; g++)
        if (g == p->lo[c] || v[g] > best) {
            best = v[g] > best ? v[g] : best;
            cand[n++] = g;
        }
    return n;
}

double alloc_dp(const alloc_problem *p, long *steps)
{
    const size_t C = p->nregions;
    const long B = p->budget_steps;
    if (C == 0 || B < 0)
        return NAN;
    long *cand = malloc(p->ngrid * sizeof *cand);
    double *f = malloc((size_t)(B + 1) * sizeof *f), *g = malloc((size_t)(B + 1) * sizeof *g);
    long *choice = steps ? malloc(C * (size_t)(B + 1) * sizeof *choice) : NULL;
    double result = NAN;
    if (!cand || !f || !g || (steps && !choice))
        goto done;
    /* region 0 */
    size_t k = candidates(p, 0, cand), j = 0;
    const double *v = p->value;
    for (long b = 0; b <= B; b++) {
        while (j + 1 < k && cand[j + 1] <= b)
            j++;
        int ok = cand[0] <= b;
        f[b] = ok ? v[cand[j]] : -INFINITY;
        if (choice)
            choice[b] = ok ? cand[j] : -1;
    }
    for (size_t c = 1; c < C; c++) {
        k = candidates(p, c, cand);
        v = p->value + c * p->ngrid;
        long from = c + 1 == C ? B : 0; /* the last region needs b = B only */
        for (long b = from; b <= B; b++) {
            double best = -INFINITY;
            long arg = -1;
            for (size_t i = 0; i < k && cand[i] <= b; i++) {
                double x = f[b - cand[i]] + v[cand[i]];
                if (x > best) {
                    best = x;
                    arg = cand[i];
                }
            }
            g[b] = best;
            if (choice)
                choice[c * (size_t)(B + 1) + (size_t)b] = arg;
        }
        double *t = f;
        f = g;
        g = t;
    }
    result = f[B];
    if (isinf(result)) {
        result = NAN;
        goto done;
    }
    if (steps) { /* walk the choices back from the last region */
        long b = B;
        for (size_t c = C; c-- > 0;) {
            steps[c] = choice[c * (size_t)(B + 1) + (size_t)b];
            b -= steps[c];
        }
    }
done:
    free(cand);
    free(f);
    free(g);
    free(choice);
    return result;
}
