/* Folder sim/run/ (library fz_run): the engine, release curves, evaluation,
 * the optimisation pipeline, statistics and MPI.  It sees models/ and
 * nothing downstream: no file writing, no charts (README "Map").
 *
 * optimize: DESIGN §2-3 end to end, as a library call.
 *
 *   curves (stream "optimize")  ->  MIP (split_solve)  ->  allocation
 *   baselines: equal split, proportional to expected fundable cases, and the
 *   expected-value solution (every random quantity replaced by its mean)
 *   evaluation of all four on stream "evaluate" (common random numbers)
 *   VSS, EVPI (wait-and-see on the same replications) and the optimality
 *   gap: A2RP on the wait-and-see pass's curves (gap.h), or Mak-Morton-Wood
 *   from independent SAA batches.
 *
 * Ownership: optimize_run returns an optimize_result released with
 * optimize_free; it owns everything it points to. */
#ifndef FZ_OPTIMIZE_H
#define FZ_OPTIMIZE_H

#include "split.h"
#include "curve.h"
#include "eval.h"
#include "gap.h"
#include "scenario.h"

enum { OPT_OPTIMAL, OPT_EQUAL, OPT_PROPORTIONAL, OPT_EXPECTED_VALUE, OPT_NALLOC };
/* The four allocations' names, and "pooled" (eval's allocation OPT_NALLOC:
 * replications.csv names its rows with these). */
extern const char *const optimize_alloc_names[OPT_NALLOC + 1];

/* Largest CVaR model: replications x regions x grid points in its rows. */
#define OPTIMIZE_CVAR_MAX_NONZEROS 2000000

/* Time limit of each CVaR solve when --solver-time-limit is not given:
 * CVaR MIPs over many regions can run for hours (branch-and-bound with S
 * scenario rows).  A solve that reaches it reports its bound and gap
 * (split_result), and the gap estimate uses that bound (still an upper
 * bound).  Mean-objective solves have no default limit: the DP proves them. */
#define OPTIMIZE_CVAR_TIME_LIMIT 60

/* DESIGN §8: the target model (objective target_prob, or min_target_prob
 * > 0) keeps every replication's releases curves in memory: at most this
 * many values (replications x regions x grid points, 8 bytes each), so at
 * most OPTIMIZE_TARGET_MAX_CELLS / (regions x grid points) replications
 * (all 10,000 of seed-2025's).  Its solves get OPTIMIZE_TARGET_TIME_LIMIT
 * when --solver-time-limit is not given; one stopped there reports its
 * status, bound and gap (split_result). */
#define OPTIMIZE_TARGET_MAX_CELLS 16000000
#define OPTIMIZE_TARGET_TIME_LIMIT 60
#define OPTIMIZE_GAP_SKIPPED                                                                                      \
    "min_target_prob > 0, and an independent SAA batch may have no split that meets it (Mak-Morton-Wood's upper " \
    "bound needs every batch's optimum)"

/* Seconds: cmd_optimize announces a run estimated above it (estimate.h),
 * and optimize_run tells (notice) when the gap batches alone will take longer. */
#define OPTIMIZE_ESTIMATE_WARN 30

/* How optimize_run bounds the optimality gap (--gap).  Zero-initialised
 * options mean Mak-Morton-Wood, the library's behaviour before A2RP.
 * OPT_GAP_A2RP (gap.h) uses the wait-and-see pass: no extra simulation; it
 * falls back to MMW (result's gap_note says why) for the cvar and
 * target_prob objectives (no mean problem per half), when the replications
 * are fewer than 2 x gap_batches, and when it is degenerate (every half
 * re-selects the optimum: a bound of width zero). */
enum { OPT_GAP_MMW = 0, OPT_GAP_A2RP, OPT_GAP_NONE };
extern const char *const optimize_gap_names[3]; /* "mmw", "a2rp", "none" */

typedef struct optimize_options {
    int threads;
    int gap_batches; /* M >= 2 (MMW batches, A2RP pairs), or 0 to skip the gap estimate */
    int gap_method;  /* OPT_GAP_* */
    double time_limit; /* GLPK, seconds per solve; 0: none */
    /* NULL, or told each stage's replications done: "curves" (of nreps,
     * then "MIP" with 0 of 0: a solve reports no count) in optimize_saa;
     * in optimize_run also "evaluate", "re-allocation" (0 of 0) and
     * "wait-and-see" (of the replications) and "gap" (of batches x batch
     * replications, the batches' solves in between).  Counts only grow
     * within a stage and reach its total.  Results do not depend on it. */
    void (*progress)(void *ctx, const char *stage, size_t done, size_t total);
    /* NULL, or told (with progress_ctx) when the gap batches will take over
     * OPTIMIZE_ESTIMATE_WARN seconds: their count times the first solve's time */
    void (*notice)(void *ctx, const char *text);
    int keep_totals;             /* eval_options.keep_totals of the evaluation (checks) */
    eval_block_fn on_eval_block; /* sees the evaluation replications (replications.csv) */
    double precision;            /* issue 16: eval_options.precision of the evaluation stage only */
    size_t precision_block;      /* and its precision_block (0: EVAL_BLOCK) */
    void *eval_block_ctx;
    void *progress_ctx;
} optimize_options;

typedef struct optimize_result {
    size_t nregions;
    double *allocs; /* OPT_NALLOC x nregions, USD */
    split_result mip;
    size_t cvar_reps;               /* replications in the CVaR or target model (0 unless one is used) */
    size_t target_reps;             /* replications in the target model (0 unless target_prob or min_target_prob) */
    curve_set *curves;              /* optimize stream */
    double *ev_curve;               /* expected-value curves [c * ngrid + g] */
    eval_result *eval;              /* the four allocations on the evaluate stream */
    stat_est objective[OPT_NALLOC]; /* out of sample, in the scenario's objective */
    stat_est diff[OPT_NALLOC];      /* paired: allocation k minus the optimum */
    stat_est vss, evpi, wait_and_see;
    /* issue 16: the control-variate estimates of the wait-and-see mean and
     * of EVPI (the per-replication difference wait-and-see minus the
     * optimum), controls the evaluation's fundable cases per region (cv.h);
     * mean NAN when not available (cvar objective, no E[X], too few
     * replications); cmd_optimize.c reports them (EVPI's interval clamped
     * at 0 as evpi's). */
    cv_est ws_cv, evpi_cv;
    /* the gap; gap_method says which estimator gave these numbers:
     * MMW: gap_upper the upper-bound estimate U, gap U - L;
     * A2RP: gap G-bar' (interval by t over pairs), gap_upper L + G-bar' */
    stat_est gap, gap_upper;
    int gap_method;       /* OPT_GAP_* used (OPT_GAP_MMW after an A2RP fallback) */
    int gap_degenerate;   /* A2RP's pairs all gave the same G'_k (s' = 0): fell back to MMW */
    const char *gap_note; /* NULL, or why A2RP was asked for and MMW used (static text) */
    gap_a2rp a2rp;        /* A2RP's halves and pairs (zero unless it ran) */
    int gap_time_limited;    /* batches stopped by the time limit (their bound used) */
    int gap_skipped;         /* not estimated: min_target_prob > 0 (a batch may have no feasible split) */
    double gap_ci_upper;     /* one-sided 95% bound on the gap */
    double *batch_values;    /* gap_batches in-sample optima */
    int gap_batches; /* MMW batches run (0: none) */
    double seconds_curves, seconds_solve, seconds_eval, seconds_gap;
    struct realloc_report *realloc; /* DESIGN §8: NULL unless reallocate_every_days > 0 */
    /* DESIGN §8: the pooled fund (one account, one queue), eval's allocation
     * OPT_NALLOC, beside the four (r->allocs holds no row for it) */
    stat_est pooled_value, pooled_diff; /* in the objective; pooled minus optimal, paired */
} optimize_result;

int optimize_run(optimize_result **out, const scenario *s, const optimize_options *o, fz_error *err);
void optimize_free(optimize_result *r);

/* The SAA problem of one stream: curves of nreps replications (the first
 * cvar_reps of them kept for the CVaR or target model, optimize_cvar_reps),
 * then the MIP.  *curves (if not NULL) receives the curves.  With objective
 * target_prob, res->value is the in-sample P(total releases >=
 * target_releases) over those cvar_reps replications and res->reached their
 * count; min_target_prob = p asks ceil(p cvar_reps - 1e-9) of them to reach. */
int optimize_saa(split_result *res, curve_set **curves, const scenario *s, uint64_t stream, size_t nreps,
                 size_t cvar_reps, const optimize_options *o, fz_error *err);

/* MMW batches optimize_run will simulate with these options (0 with A2RP
 * unless it falls back, which only a degenerate sample decides), for ETAs. */
int optimize_gap_passes(const scenario *s, const optimize_options *o);

/* Replications the CVaR or target model uses for a scenario (0 unless the
 * objective is cvar or target_prob or min_target_prob > 0): all of them up
 * to the model's cap (OPTIMIZE_CVAR_MAX_NONZEROS, OPTIMIZE_TARGET_MAX_CELLS). */
size_t optimize_cvar_reps(const scenario *s);
/* Whether the scenario needs the target model (DESIGN §8). */
int optimize_uses_target(const scenario *s);

/* DESIGN §8 for `budget`: the target_prob-optimal split of s (objective
 * target_prob: FZ_EINPUT otherwise) on nreps replications of stream, capped
 * as optimize_cvar_reps caps them (*used, if not NULL, receives the count).
 * res->steps: the split (grid steps of granularity_usd per region);
 * res->value: the in-sample P(total releases >= target_releases) over the
 * used replications, res->reached their count; res->status and
 * res->status_text: optimal, or the time limit with bound and gap. */
int optimize_target_split(split_result *res, const scenario *s, uint64_t stream, size_t nreps, size_t *used,
                          const optimize_options *o, fz_error *err);

/* Out-of-sample value of allocation k in the scenario's objective, with CI
 * (target_prob: P(total releases >= target_releases), Wilson interval). */
stat_est optimize_value(const scenario *s, const eval_result *r, size_t k);

/* Builds the allocation problem of a scenario over curves (bounds from the
 * share limits); value points into the caller's arrays. */
int optimize_problem(split_problem *p, long *lo, long *hi, const scenario *s, size_t ngrid, fz_error *err);

/* optimize_problem on the scenario's grid (scenario_grid_points), with the
 * bounds in the struct's own arrays: what every stage and command uses to
 * build the problem or to reject infeasible share bounds before simulating.
 * b->p points into b: use it in place, do not copy it. */
typedef struct optimize_bounds {
    split_problem p;
    long lo[SCENARIO_MAX_REGIONS], hi[SCENARIO_MAX_REGIONS];
} optimize_bounds;
int optimize_bounds_init(optimize_bounds *b, const scenario *s, fz_error *err);

#endif
