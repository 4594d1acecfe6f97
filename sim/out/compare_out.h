/* compare_out: what `fianza compare` writes and prints beyond the common
 * summary (owned by compare; sim/cli/cmd_compare.c drives it).
 *
 * compare_acc sees every replication block (an eval_block_fn, chained to the
 * replications.csv writer) and keeps, for pairs of (variant, row) -- a row
 * is a region or the total -- the running means and co-moments of four
 * per-replication figures of both: releases, USD spent, days in detention
 * (summed over releases) and fundable cases.  From them compare_est gives a
 * figure (cost per release, releases per USD 10,000, ...) of one side, or the
 * paired difference of the two sides, with a 95% interval by the delta
 * method.  Blocks arrive in replication order, so results do not depend on
 * threads or MPI ranks.
 *
 * compare_table turns that into one compare_row per variant and row, which
 * compare.csv, summary.json ("compare" in each variant) and the console
 * table all print: the same numbers everywhere.  compare_regions.c adds the
 * regions side by side of `compare --regions`.
 *
 * Ownership: compare_acc_new / compare_acc_free; compare_table_new /
 * compare_table_free; JSON functions return new references. */
#ifndef FZ_COMPARE_OUT_H
#define FZ_COMPARE_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "charts.h"
#include "eval.h"
#include "outdir.h"
#include "scenario.h"
#include "stats.h"
#include "summary.h"

/* The per-replication figures of one variant in one row. */
enum { CMP_REL, CMP_SPENT, CMP_DET, CMP_FUND, CMP_NV };

/* Figures compare_est derives from their means. */
typedef enum compare_metric {
    CMP_M_RELEASES,     /* releases */
    CMP_M_SPENT,        /* USD spent */
    CMP_M_COST,         /* USD spent / releases (undefined without releases) */
    CMP_M_PER_10K,      /* releases * 10,000 / USD allocated (undefined without money) */
    CMP_M_DETENTION,    /* days in detention per release (undefined without releases) */
    CMP_M_FUNDABLE_MONTH /* fundable cases / months in the horizon */
} compare_metric;

/* Days in a month for "per month" figures: 365.25 / 12. */
#define COMPARE_MONTH_DAYS 30.4375

/* Side a (variant k, row) against side b (variant k0, row0); row C is the total. */
typedef struct compare_pair {
    size_t k, row, k0, row0;
    double n, mean[2 * CMP_NV], cm[2 * CMP_NV][2 * CMP_NV]; /* Welford co-moments */
    stat_acc d_rel;                                       /* releases a - b, replication by replication */
} compare_pair;

typedef struct compare_acc {
    size_t K, C, npairs;
    compare_pair *pairs;
    summary_reps *reps; /* replications.csv, fed after the pairs (may be NULL) */
} compare_acc;

/* Pairs (k, row) with (0, row) for every variant and row, then, with
 * regions_mode, (k, k) with (0, 0) for each variant k < C (variant k gives
 * all the money to region k).  NULL when out of memory. */
compare_acc *compare_acc_new(size_t K, size_t C, int regions_mode);
void compare_acc_free(compare_acc *a);
int compare_acc_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                      fz_error *err);

/* Figure m of side a (diff 0) or side a minus side b (diff 1) with its 95%
 * interval: the delta method (Cochran, "Sampling Techniques", 3rd ed., §6.4;
 * for a difference of ratios the gradient spans both sides, whose paired
 * co-moments are kept), Student t quantile as stat_ci95_half.  alloc and
 * alloc0 are the USD allocated to either side (for CMP_M_PER_10K), months the
 * horizon in months.  value NAN when undefined; lo, hi NAN when the interval
 * is (fewer than 2 replications). */
stat_est compare_est(const compare_pair *p, compare_metric m, int diff, double alloc, double alloc0, double months);

/* One variant in one row (region or total); NAN where undefined. */
typedef struct compare_row {
    double allocated, unallocated; /* unallocated: the total row only */
    stat_est releases, diff, spent, cost, per10k, detention, p_target;
    /* issue 16: releases, diff, spent and p_target above are the reported
     * estimator's (the control variate where valid, cv_out.h); these are
     * the plain ones, and cv says whether releases is controlled */
    stat_est releases_plain, diff_plain, spent_plain, p_target_plain;
    int cv;
} compare_row;

typedef struct compare_variant {
    const char *name;
    scenario_policy policy;
    int pooled;
} compare_variant;

typedef struct compare_table {
    size_t K, C;
    const compare_variant *v;
    compare_row *rows; /* [k * (C + 1) + row] */
} compare_table;

compare_table *compare_table_new(const scenario *s, const eval_result *r, const compare_acc *acc,
                                 const compare_variant *v);
void compare_table_free(compare_table *t);

/* compare.csv and compare.png's data and script. */
int compare_write(outdir *dir, const scenario *s, const compare_table *t, charts_list *charts, fz_error *err);

/* Adds "name", "allocated_usd", "unallocated_usd" and "compare" {"total":
 * {...}, "regions": {name: {...}}} to variants[k] (compare.csv's figures). */
void compare_json_add(json_t *variant, const scenario *s, const compare_table *t, size_t k);

/* The variants table and the per-region table. */
void compare_print(FILE *f, const scenario *s, const compare_table *t, int regions_too);

/* ---- compare --regions (compare_regions.c) ---- */

/* compare_regions.csv, its chart and the summary.json key
 * "regions_side_by_side"; variant k gave the whole budget to region k. */
int compare_regions_write(outdir *dir, const scenario *s, const compare_acc *acc, scenario_policy policy, json_t *doc,
                          charts_list *charts, fz_error *err);
void compare_regions_print(FILE *f, const scenario *s, const compare_acc *acc, scenario_policy policy);

/* Column (and summary.json key) names of a figure: "releases_mean" ->
 * "releases_ci95", "releases_diff_to_first_mean"; "cost_per_release_usd" ->
 * "cost_per_release_usd_ci95", "cost_per_release_usd_diff_to_first". */
void compare_key(char *buf, size_t size, const char *col, int diff, const char *suffix);
/* A figure's three CSV cells: ",mean,lo,hi", each empty when undefined (the
 * interval also when the mean is). */
void compare_csv_est(FILE *f, stat_est e);

#endif
