/* split: split a budget across regions (DESIGN §2).
 *
 * The decision is one grid point g_c per region (allocation g_c * step USD),
 * lo_c <= g_c <= hi_c, sum g_c <= budget_steps: a multiple-choice knapsack.
 * split_solve builds it as a MIP in GLPK and solves it exactly; its LP
 * relaxation's budget-row dual is the marginal value of money.
 * Objectives: "mean" maximises sum_c value[c][g_c]; "cvar" maximises the
 * Rockafellar-Uryasev CVaR of per-replication totals; "target" (DESIGN §8)
 * maximises the share of replications whose total reaches a target, and a
 * minimum share of them can constrain any objective (split_target.c).
 * split_dp solves the mean problem by dynamic programming: an independent
 * exact method (tests), fast enough to run once per replication
 * (wait-and-see value), and what lets split_solve stop GLPK's
 * branch-and-bound as soon as its incumbent reaches the optimum (the LP
 * bound of step-function knapsacks is weak: without it, proving optimality
 * took GLPK minutes on 25 regions x 50,001 grid points).
 *
 * GLPK prints nothing: its terminal output is off during every solve and
 * every outcome (time limit, failure) comes back as fianza's own text.
 *
 * Ownership: the problem's arrays belong to the caller; split_solve fills a
 * result whose steps array is released by split_result_free.  GLPK failures
 * are caught (glp_error_hook) and come back as FZ_ERUNTIME; GLPK never
 * aborts the process. */
#ifndef FZ_SPLIT_H
#define FZ_SPLIT_H

#include <stddef.h>

#include "fz_error.h"

typedef struct split_problem {
    size_t nregions;
    size_t ngrid;        /* grid points 0..ngrid-1 in each region */
    double step;         /* USD per grid step */
    long budget_steps;   /* sum of g_c may not exceed it */
    const long *lo, *hi; /* per region, in steps */
    /* mean objective: value[c * ngrid + g] */
    const double *value;
    /* cvar objective (when cvar != 0): rep_value[(s * nregions + c) * ngrid + g] */
    int cvar;
    double alpha;
    size_t nreps;
    const double *rep_value;
    double time_limit; /* seconds; 0: none */
    /* DESIGN §8 (split_target.c), when target_obj != 0 or min_reach > 0:
     * rep_value holds every replication's releases curves (nreps of them; with
     * cvar, the same curves), and replication s "reaches" when
     * sum_c rep_value[(s * nregions + c) * ngrid + g_c] >= target (> 0).
     * target_obj: maximise the number reaching, value = that number / nreps
     * (not with cvar); min_reach: at least that many must reach (any objective). */
    int target_obj;
    double target;
    long min_reach;
    int mip_only; /* tests: no enumeration shortcut for two regions (split_int.h) */
} split_problem;

enum { ALLOC_OPTIMAL = 0, ALLOC_FEASIBLE_TIME_LIMIT = 1 };

typedef struct split_result {
    long *steps;           /* chosen grid point per region */
    double value;          /* objective value of the MIP solution */
    double lp_value;       /* LP relaxation optimum */
    double budget_dual;    /* d(LP value) / d(budget), per USD */
    int status;            /* ALLOC_OPTIMAL or ALLOC_FEASIBLE_TIME_LIMIT */
    char status_text[160]; /* "optimal", or the time limit with the bound and gap */
    double bound;          /* proven upper bound on the optimum (= value when optimal) */
    double gap;            /* bound - value, >= 0 (0 when optimal) */
    double seconds;
    int columns, rows; /* size of the model given to GLPK */
    long reached;      /* with a target: replications whose total reaches it at steps */
} split_result;

/* Checks the bounds: 0 <= lo <= hi < ngrid and sum lo <= budget_steps
 * (FZ_EINPUT otherwise, before any solving). */
int split_check(const split_problem *p, fz_error *err);

/* Solves any of the models above (a target model goes to split_target.c).
 * FZ_EINPUT: bad bounds; FZ_ERUNTIME: solver failure, time limit before any
 * allocation, or no split meets min_reach (the message says which). */
int split_solve(split_result *out, const split_problem *p, fz_error *err);
void split_result_free(split_result *r);

/* Exact mean-objective optimum by dynamic programming over candidate points
 * (points that beat every cheaper point), each region's curve and each
 * partial optimum kept as its breakpoints.  steps (may be NULL) receives the
 * argmax.  Returns the optimal value, or NAN if infeasible. */
double split_dp(const split_problem *p, long *steps);

/* An upper bound on split_dp's work (pairs of breakpoints merged), from the
 * candidate counts: what split_solve checks before using the DP to prove a
 * mean-objective MIP optimal (ALLOC_DP_MAX_WORK). */
double split_dp_work(const split_problem *p);
#define ALLOC_DP_MAX_WORK 2e9

/* CVaR_alpha of x[0..n-1]: the mean of the worst ceil-free alpha fraction,
 * max_eta { eta - E[(eta - X)^+] / alpha } (Rockafellar & Uryasev 2000),
 * computed from the sorted values.  x is not modified. */
double split_cvar(const double *x, size_t n, double alpha);

#endif
