/* split_util.h: helpers shared by check_split.c and check_split_lp.c (the
 * allocation model on its own).  Static functions; include after
 * check_common.h. */
#ifndef FZ_ALLOC_UTIL_H
#define FZ_ALLOC_UTIL_H

#include <math.h>

#include "split.h"
#include "check_common.h"

#define MAXC 3
#define MAXG 12
#define MAXS 20

static int close_to(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(a) + fabs(b)); }

/* Objective of a split: sum of values (mean) or CVaR of per-replication totals. */
static double split_value(const split_problem *p, const long *g)
{
    if (!p->cvar) {
        double v = 0;
        for (size_t c = 0; c < p->nregions; c++)
            v += p->value[c * p->ngrid + (size_t)g[c]];
        return v;
    }
    double tot[MAXS];
    for (size_t s = 0; s < p->nreps; s++) {
        tot[s] = 0;
        for (size_t c = 0; c < p->nregions; c++)
            tot[s] += p->rep_value[(s * p->nregions + c) * p->ngrid + (size_t)g[c]];
    }
    return split_cvar(tot, p->nreps, p->alpha);
}

static int feasible(const split_problem *p, const long *g)
{
    long sum = 0;
    for (size_t c = 0; c < p->nregions; c++) {
        if (g[c] < p->lo[c] || g[c] > p->hi[c] || g[c] < 0 || g[c] >= (long)p->ngrid)
            return 0;
        sum += g[c];
    }
    return sum <= p->budget_steps;
}

#endif
