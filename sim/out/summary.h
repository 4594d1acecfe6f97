/* Folder sim/out/ (library fz_out): everything a run writes: the results
 * directory, summary.json, CSV files and tables, gnuplot charts and
 * report.html.  It sees models/ and sim/run/, never the command line.
 *
 * summary: what a run writes and prints (DESIGN §3, §5).
 *
 * Turns eval results into summary.json fragments (jansson), allocation.csv,
 * replications.csv (streamed block by block, so it never sits in memory)
 * and the terminal tables.  Numbers in summary.json depend only on the
 * scenario and seed, never on timing or threads.
 *
 * Ownership: summary_*_json return new references (json_decref them);
 * summary_reps_open returns a writer closed by summary_reps_close. */
#ifndef FZ_SUMMARY_H
#define FZ_SUMMARY_H

#include <jansson.h>
#include <stdio.h>

#include "eval.h"
#include "json_guard.h"
#include "outdir.h"
#include "scenario.h"

/* The DESIGN §5 header: scenario, seed, policy, objective, budget_usd,
 * replications {optimize, evaluate}. */
json_t *summary_header_json(const scenario *s, const char *command, size_t n_optimize, size_t n_evaluate);

/* {region: usd, ...} */
json_t *summary_allocation_json(const scenario *s, const double *alloc);

/* Out-of-sample statistics of allocation k: "releases" {mean, ci95, sd, p05,
 * p50, p95, p_target}, "spent_usd", "freedom_days", "cost_per_release_usd",
 * "days_in_detention_mean", "unallocated_usd", the DESIGN §7 money keys "paid_usd_mean",
 * "refunded_usd_mean", "balance_end_usd_mean" (regions plus the reserve),
 * "unpaid_fundable_mean", "days_waited_mean" (null without releases), and
 * "regions" (each with the same money keys, balance of its account). */
json_t *summary_eval_json(const scenario *s, const eval_result *r, size_t k);

/* With target_releases > 0, adds to rel "target", "p_target" (the share of
 * evaluation replications whose total releases reach it) and
 * "p_target_ci95" (its Wilson 95% interval, null without replications) for
 * allocation k (DESIGN §8); nothing otherwise. */
void summary_p_target_json(json_t *rel, const scenario *s, const eval_result *r, size_t k);
/* "0.912 [0.905, 0.918]": P(total releases >= target) of allocation k. */
char *summary_p_target_text(char *buf, size_t size, const eval_result *r, size_t k);

/* 1 when every region's allocation lies within its share bounds,
 * min_share * budget <= x_c <= max_share * budget, up to SCENARIO_GRID_EPS
 * grid steps (the slack of optimize's own bounds); 0 otherwise (DESIGN §3:
 * a baseline that breaks a bound is evaluated all the same, and marked). */
int summary_feasible(const scenario *s, const double *alloc);

/* The budget a split leaves over, budget_usd - sum(alloc), never below 0;
 * 0 for the pooled fund (alloc NULL: the whole budget is in its account).
 * In summary.json as "unallocated_usd", and the allocation.csv row: */
#define SUMMARY_UNALLOCATED "unallocated"
double summary_unallocated(const scenario *s, const double *alloc);

/* Mean, 95% interval and sample sd of a stat as {"mean": m, "ci95": [lo, hi],
 * "sd": sd}; "ci95" and "sd" are null when undefined (fewer than 2
 * replications), never a zero-width interval. */
json_t *summary_mean_ci_json(const stat_acc *a);

/* "MEAN [LO, HI]" with `digits` decimals (sign: every figure signed, for
 * differences), "MEAN [CI n/a]" when lo or hi is not finite, and "n/a"
 * when the mean is not (never "nan": issue 14 item 8; the caller prints
 * the reason once, in a line starting "n/a:").  Returns buf. */
char *summary_ci_text(char *buf, size_t size, double mean, double lo, double hi, int digits, int sign);

/* Under a table: with fewer than 2 replications, the "n/a:" line saying
 * that sd and CIs are undefined (nothing otherwise). */
void summary_print_ci_note(FILE *f, size_t nreps);

int summary_write_json(outdir *o, const char *name, json_t *doc, fz_error *err);

/* Writes text as one RFC 4180 CSV field: in double quotes, a quote inside
 * doubled, so that pandas, R or Python's csv module read back the exact text
 * (commas, quotes, backslashes, semicolons, a leading '#' included). */
void summary_csv_text(FILE *f, const char *text);
/* A CSV column name for a parameter or region key: '.' and '-' made '_'
 * ("region.kansas_city.bond_usd.median" -> "region_kansas_city_bond_usd_median"),
 * so that a swept parameter's column is snake_case (docs/csv.md).  Returns buf. */
char *summary_csv_column(char *buf, size_t size, const char *name);
/* allocation.csv (docs/csv.md): one row per region and a last row
 * SUMMARY_UNALLOCATED; alloc NULL for the pooled fund (no split). */
int summary_allocation_csv(outdir *o, const scenario *s, const double *alloc, fz_error *err);

typedef struct summary_reps summary_reps;
/* names[k] labels allocation k in the "allocation" column. */
int summary_reps_open(summary_reps **out, outdir *o, const scenario *s, const char *const *names, fz_error *err);
/* An eval_block_fn: pass it with the writer as ctx. */
int summary_reps_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                       fz_error *err);
int summary_reps_close(summary_reps *w, fz_error *err);

/* Terminal table for allocation k (with summary_print_money below it). */
void summary_print_eval(FILE *f, const scenario *s, const eval_result *r, size_t k);

/* Whether any region of s runs the DESIGN §7 ledger (scenario_uses_ledger):
 * only then can money come back or a case wait, so only then do tables
 * show the refunded and days-waited columns (summary.json always has them). */
int summary_shows_ledger(const scenario *s);

/* The money table of allocation k: per region and in total, mean USD paid,
 * refunded (ledger only), balance at the end (the total with the reserve,
 * also shown on its own line when not 0), unpaid fundable cases and days
 * waited per paid case (ledger only; n/a without releases). */
void summary_print_money(FILE *f, const scenario *s, const eval_result *r, size_t k);
/* Its header (first column titled `first`) and its total row (named `name`). */
void summary_print_money_head(FILE *f, const scenario *s, const char *first);
void summary_print_money_total(FILE *f, const scenario *s, const eval_result *r, size_t k, const char *name);

#endif
