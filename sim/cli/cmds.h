/* Folder sim/cli/ (fz_cli and the fianza executable): options, main and one
 * cmd_<verb>.c per command, the only place that sees every other folder and
 * the only place that exits (README "Map").
 *
 * cmds: one function per fianza command (sim/cli/cmd_<verb>.c), called by main
 * with parsed options.  Each returns an exit status (0, 1 or 2) after
 * printing any error itself; none calls exit().
 *
 * Every command that writes a results directory runs as cmd_execute(o,
 * hooks, ctx): a begin/end pair around the command's own work.
 *
 * begin loads the scenario (with --seed, --replications and --set), runs
 * hooks->check (the command's input checks), and only then opens the
 * results directory (and, if check named allocations in r->rep_names, the
 * replications.csv writer): bad input leaves nothing behind.
 * hooks->work runs the command; it builds r->doc, writes its files into
 * r->dir and lists its chart scripts in r->charts.
 * end, when all went well, writes r->doc as summary.json, draws r->charts
 * (unless --no-plots), writes report.html, commits the directory, then
 * calls hooks->print (unless --quiet) and prints --json; in every case it
 * releases what the pair owns and reports an error, returning the exit
 * status.  hooks->release, when given, runs first there, whatever
 * happened: it frees what the command made that shares the scenario
 * (sweep's points, copies of it).
 *
 * Ownership: the pair owns r->s, r->dir, r->reps and r->doc (a reference
 * the command hands over); the command frees what it keeps in ctx after
 * cmd_execute returns. */
#ifndef FZ_CMDS_H
#define FZ_CMDS_H

#include <jansson.h>

#include "charts.h"
#include "cli.h"
#include "outdir.h"
#include "stats.h"
#include "summary.h"

int cmd_check(const cli_opts *o);
int cmd_simulate(const cli_opts *o);
int cmd_optimize(const cli_opts *o);
int cmd_compare(const cli_opts *o);
int cmd_sweep(const cli_opts *o);
int cmd_fit(const cli_opts *o);
/* fit --censored, --posted/--returned (a ledger) and --rate (cmd_fit_censored.c) */
int cmd_fit_censored(const cli_opts *o);
int cmd_budget(const cli_opts *o);

typedef struct cmd_run {
    const cli_opts *o;
    scenario *s;                  /* NULL for fit, which reads no scenario */
    char dirname[4096];           /* results directory: -o or results/NAME (fit's check may set it) */
    outdir *dir;                  /* NULL until the checks passed, and after the commit */
    const char *const *rep_names; /* set by check: open replications.csv for these allocations */
    summary_reps *reps;           /* pass as eval_block_ctx with summary_reps_block; see cmd_run_done */
    json_t *doc;                  /* summary.json, built by the command */
    charts_list charts;           /* the chart scripts the command wrote */
    cli_progress bar;             /* started when the directory is open, named after the command */
    FILE *out;                    /* tables: stdout, or stderr with --json (stdout carries the JSON) */
    fz_error err;
} cmd_run;

typedef struct cmd_hooks {
    int (*check)(cmd_run *r, void *ctx);  /* input checks, scenario loaded (NULL: none) */
    int (*work)(cmd_run *r, void *ctx);   /* the command itself */
    void (*print)(cmd_run *r, void *ctx); /* its table, after the commit (NULL: none) */
    void (*release)(void *ctx);           /* frees what shares r->s, before the pair frees it (NULL: none) */
} cmd_hooks;

int cmd_execute(const cli_opts *o, const cmd_hooks *hooks, void *ctx);

/* For work, after the simulation: clears the progress bar and closes
 * replications.csv (reporting its write errors when rc is 0); returns rc
 * or that error. */
int cmd_run_done(cmd_run *r, int rc);

/* Prints "fianza: message" to stderr and returns the error's exit status. */
int cmd_report_error(const fz_error *err);

/* The share bounds leave at least one point of the budget grid (as
 * optimize's model needs); FZ_EINPUT naming the bounds otherwise. */
int cmd_check_shares(const scenario *s, fz_error *err);

/* A command that evaluates static splits tells (on stderr, unless --quiet)
 * that the scenario's reallocate_every_days is optimize's alone. */
void cmd_note_static(const cmd_run *r, const char *command);

/* sweep --tornado's table (cmd_tornado.c), from summary.json's "tornado":
 * the parameters in the chart's order with the values tried, the optimum
 * at each with its 95% CI, the swing, and the invalid moves. */
void cmd_tornado_print(FILE *out, const json_t *doc, const scenario *s, double pct, const char *dirname);

/* {"mean": value, "ci95": [lo, hi], or null when the interval is undefined}. */
json_t *cmd_est_json(stat_est e);

/* ",value,lo,hi" for a CSV row; lo and hi empty when undefined (1 replication). */
void cmd_csv_est(FILE *f, stat_est e);

#endif
