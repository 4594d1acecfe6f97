/* eval: run allocations through many replications and summarise them.
 *
 * eval_run draws each (replication, region) once and pays every allocation
 * on the same people (common random numbers), so differences between
 * allocations are paired.  Replications run in fixed-size blocks: threads
 * fill a block, then the block is folded into the summary in replication
 * order, so results are bit-identical for any thread count and memory does
 * not grow with the number of replications: percentiles and CVaR of the
 * total releases come from a tally (tally.h), exact counts by value.
 *
 * Ownership: eval_run returns a new eval_result released with eval_free. */
#ifndef FZ_EVAL_H
#define FZ_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "curve.h"
#include "cv.h"
#include "engine.h"
#include "scenario.h"
#include "stats.h"
#include "tally.h"

struct realloc_plan;

typedef struct eval_region {
    stat_acc releases, spent, fundable, freedom_days;
    stat_acc refunded, balance_end, unpaid; /* DESIGN §7: per replication (spent is paid_usd) */
    double detention_days_sum;              /* over all releases: mean = sum / releases.mean / n */
    double waited_days_sum;                 /* over all releases: days waited, t - e */
    stat_cov spent_per_release;             /* x = releases, y = spent */
    stat_cov detention_per_release;         /* x = releases, y = days in detention (sum) */
    cv_acc cv_releases, cv_spent, cv_freedom; /* issue 16: control x = this region's fundable cases */
} eval_region;

/* Days-in-detention histogram of allocation 0's releases, per region. */
#define EVAL_DAYS_BINS 2000

typedef struct eval_alloc {
    double *alloc; /* USD per region */
    scenario_policy policy;
    tally dist;     /* the total releases of the replications: their exact distribution */
    double *totals; /* NULL, or with eval_options.keep_totals each replication's, in order */
    stat_acc releases, spent, freedom_days;
    stat_acc refunded, balance_end, unpaid; /* totals; balance_end includes the reserve */
    double waited_days_sum;                 /* over all releases and regions */
    double reserve_end;                     /* the reserve at H: B - sum x plus its donations */
    int pooled;                             /* the pooled fund (DESIGN §8): one account, no split */
    int realloc;                            /* alloc, then re-split by the plan (DESIGN §8) */
    stat_acc diff_releases, diff_freedom;   /* paired: this allocation minus allocation 0 */
    cv_y cv_releases, cv_spent, cv_freedom; /* issue 16: totals; controls: each region's fundable cases */
    double reach_target;                    /* replications with releases >= target */
    stat_acc diff_reach; /* paired, with target_releases > 0: 1[releases >= target] minus allocation 0's */
    /* issue 16: the same controls for the paired differences (this minus
     * allocation 0: one control vector, allocation 0's draw, serves both
     * terms, see cv_out.c) and the indicator 1[releases >= target] */
    cv_y cv_diff_releases, cv_diff_freedom, cv_reach, cv_diff_reach;
    eval_region *regions;
} eval_alloc;

/* DESIGN §7 timeline of allocation 0, on the day grid 0, g, 2g, ..., H
 * (g = ceil(H / 200)): cumulative releases (all regions) and the total
 * balance (regions and reserve) after every event up to each day.  Means
 * are exact sums; percentiles come from integer histograms (exact for
 * releases up to EVAL_TL_BINS - 1 per bin width; balances within one bin,
 * (B + donations) / EVAL_TL_BINS USD), so they do not depend on threads. */
#define EVAL_TL_BINS 2048
typedef struct eval_timeline {
    size_t n;
    double *day;
    double *releases_mean, *releases_p05, *releases_p50, *releases_p95;
    double *balance_mean, *balance_p05, *balance_p50, *balance_p95;
} eval_timeline;

/* The day grid of a horizon: 0, g, 2g, ... and H; *n points, malloc'd. */
double *eval_timeline_grid(double horizon, size_t *n);

struct eval_result {
    size_t nalloc, nregions, nreps;
    uint64_t stream, first_rep;
    eval_alloc *allocs;
    double people;     /* people simulated (the throughput unit) */
    double days_bin;   /* histogram bin width, days; the last bin takes the overflow */
    double *days_hist; /* [c * EVAL_DAYS_BINS + b]: releases of allocation 0 */
    eval_timeline timeline;
    /* issue 16, control variates: E[fundable cases] per region (exact, cv.h),
     * or NULL when it could not be computed (cv_reason says why) */
    double *cv_mu;
    char cv_reason[200];
    cv_x cv_controls; /* the replications' fundable cases per region, for the totals' cv_y */
    /* sequential stopping: whether the target was reached, and the blocks run */
    double precision_target; /* eval_options.precision (0: none) */
    int precision_reached;
    size_t precision_blocks; /* the checks made */
    size_t precision_block;  /* eval_options.precision_block (EVAL_BLOCK when 0) */
};

typedef struct eval_result eval_result;
/* Called from the calling thread, in replication order, once per block;
 * stats[(i * nalloc + k) * nregions + c] is replication first_rep + i,
 * allocation k, region c.  Returns 0, or an error code (with err set) to stop. */
typedef int (*eval_block_fn)(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                             fz_error *err);
typedef void (*eval_progress_fn)(void *ctx, size_t done, size_t total);
/* Per-replication work on its curves (eval_options.on_rep), and the
 * in-order fold of its results (eval_options.on_reps). */
typedef int (*eval_rep_fn)(void *ctx, uint64_t rep, const double *rel, const double *fre, double *out, fz_error *err);
typedef int (*eval_reps_fn)(void *ctx, uint64_t first_rep, size_t n, const double *out, fz_error *err);

typedef struct eval_options {
    uint64_t stream;
    uint64_t first_rep;
    size_t nreps;
    int threads;                     /* 0: OpenMP's default */
    const scenario_policy *policies; /* one per allocation; NULL: the scenario's */
    const int *pooled;               /* one per allocation, NULL: none; 1: the pooled fund of DESIGN §8
                                      * (its allocation is ignored; not allocation 0) */
    const int *realloc;                /* one per allocation, NULL: none; 1: the allocation at t = 0, then
                                        * the re-splits of `plan` (DESIGN §8; not allocation 0) */
    const struct realloc_plan *plan;
    int keep_totals; /* 1: keep eval_alloc.totals (8 bytes per replication and allocation; checks) */
    eval_block_fn on_block;
    void *block_ctx;
    /* issue 16, sequential stopping: > 0 stops after the first block of
     * EVAL_BLOCK replications at which allocation 0's reported releases
     * interval (eval_releases) has half-width <= precision; nreps is then
     * the cap.  The blocks are a prefix of the same replications, so a
     * stopped run equals a run of that many replications, for any thread
     * count (under MPI, the days-in-detention histogram may also hold the
     * other ranks' blocks of the last round).  0: run nreps. */
    double precision;
    /* --precision-block N: the check is made at the end of the block that
     * reaches each multiple of N replications (from EVAL_BLOCK on); blocks
     * are then at most N long.  0: EVAL_BLOCK.  Only with precision > 0. */
    size_t precision_block;
    /* Not NULL: also each replication's release curves on the scenario's
     * grid (engine_settle_grid on the same draw), handed over as
     * curve_compute's on_block would, so that one pass over the stream
     * serves the evaluation and wait-and-see (issue 16).  Needs every
     * allocation under the scenario's policy; blocks are then smaller. */
    curve_block_fn on_curves;
    void *curves_ctx;
    /* Not NULL (issue 16, 2 threads): per-replication work on the same
     * curves, in the compute threads so that it runs in parallel: on_rep is
     * called once per replication, from any thread and concurrently (it
     * must only read ctx), with the replication's curves as on_curves sees
     * them (rel[c * G + g]); it writes rep_values doubles to out.  Then
     * on_reps is called from the calling thread, in replication order, once
     * per block before on_curves, with out[i * rep_values + j] of
     * replication first_rep + i: folding there keeps results bit-identical
     * for any thread count.  Same policy condition as on_curves. */
    eval_rep_fn on_rep;
    eval_reps_fn on_reps;
    void *rep_ctx;
    size_t rep_values;
    eval_progress_fn progress;
    void *progress_ctx;
} eval_options;

#define EVAL_BLOCK 1024

int eval_run(eval_result **out, const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt,
             fz_error *err);
void eval_free(eval_result *r);

/* The controlled estimate of a region mean (a: a cv_acc of region c) or of
 * a total (eval_cv_total, y: a cv_y of an allocation); mean NAN when the
 * control is not available (then report the plain estimate). */
cv_est eval_cv(const eval_result *r, const cv_acc *a, size_t c);
cv_est eval_cv_total(const eval_result *r, const cv_y *y);

/* The estimate of allocation k's mean total releases that fianza reports
 * (summary.json releases.mean and releases.ci95, and what --precision stops
 * on): the control variate when it is available, else the plain mean.
 * Returns 1 for the control variate, 0 for the plain mean. */
int eval_releases(const eval_result *r, size_t k, double *mean, double *half95);

/* Mean days in detention per release in region c (NAN without releases). */
double eval_detention_mean(const eval_result *r, size_t k, size_t c);

/* Mean days waited per paid case (t - e) of allocation k, in region c or,
 * with c = SIZE_MAX, in all regions (NAN without releases). */
double eval_waited_mean(const eval_result *r, size_t k, size_t c);

#endif
