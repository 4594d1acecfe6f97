/* budget_out: what `fianza budget` writes (DESIGN §8): the "budget" part of
 * summary.json, budget.csv and the budget chart (plots/budget.gp).
 *
 * The command fills a budget_report: every budget it tried, sorted by
 * budget, each with the split found there, its in-sample P(releases >= N)
 * (stream "optimize") and its out-of-sample P (stream "evaluate"), both with
 * Wilson 95% intervals; and which point is the answer and which is one step
 * below it.
 *
 * Ownership: the report and its points belong to the command (budget_point
 * alloc arrays included); budget_json returns a new reference. */
#ifndef FZ_BUDGET_OUT_H
#define FZ_BUDGET_OUT_H

#include <jansson.h>
#include <stddef.h>

#include "charts.h"
#include "outdir.h"
#include "scenario.h"

typedef struct budget_point {
    double budget;                /* USD, a multiple of granularity_usd */
    double *alloc;                /* USD per region */
    double in_k, in_n;            /* replications reaching N, of in_n (stream "optimize") */
    double p_in, in_lo, in_hi;    /* in-sample P and its Wilson 95% interval */
    double p_out, out_lo, out_hi; /* out of sample (stream "evaluate"); NAN when not evaluated */
    int feasible;                 /* 0: no grid split within the share bounds at this budget (P = 0) */
    int exact;                    /* the split is proven best at this budget (else a lower bound on P) */
    char solver[160];             /* how the split was found: solver status */
} budget_point;

typedef struct budget_report {
    long releases;      /* N */
    double prob;        /* p */
    int monotone;       /* P is nondecreasing in the budget: bisection */
    int reachable;      /* some budget tried reaches p in sample */
    size_t answer;      /* index of the smallest budget that reaches p (reachable) */
    size_t below;       /* index of one step below the answer; SIZE_MAX: budget 0 (P = 0) or none */
    size_t reported;    /* the point the top level of summary.json describes (answer, or the top) */
    size_t candidates;  /* budgets on the grid: granularity_usd .. the top */
    double top;         /* the largest budget on the grid (<= budget_usd) */
    size_t model_reps;  /* replications in the target_prob model (the first of the stream; capped) */
    const char *why;    /* with monotone = 0: the reason P may fall as the budget grows */
    budget_point *pts;  /* sorted by budget */
    size_t n;
} budget_report;

/* {"releases_target", "prob", "reachable", "budget_usd" (null when not
 * reachable), "search", "monotone", ..., "answer", "one_step_below",
 * "points": [...]} (docs/outputs.md). */
json_t *budget_json(const scenario *s, const budget_report *b);

/* budget.csv (one row per point tried, by budget) and budget.gp, listed in
 * list. */
int budget_outputs(outdir *o, const scenario *s, const budget_report *b, charts_list *list, fz_error *err);

#endif
