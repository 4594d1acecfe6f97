/* Folder sim/cli/ (fz_cli and the fianza executable): options, main and one
 * cmd_<verb>.c per command, the only place that sees every other folder and
 * the only place that exits (README "Map").
 *
 * cmds: one function per fianza command (sim/cli/cmd_<verb>.c), called by main
 * with parsed options.  Each returns an exit status (0, 1 or 2) after
 * printing any error itself; none calls exit(). */
#ifndef FZ_CMDS_H
#define FZ_CMDS_H

#include <jansson.h>

#include "charts.h"
#include "cli.h"
#include "outdir.h"

int cmd_check(const cli_opts *o);
int cmd_simulate(const cli_opts *o);
int cmd_optimize(const cli_opts *o);
int cmd_compare(const cli_opts *o);
int cmd_sweep(const cli_opts *o);
int cmd_fit(const cli_opts *o);

/* Prints "fianza: message" to stderr and returns the error's exit status. */
int cmd_report_error(const fz_error *err);

/* outdir_begin for a command that reads scenario s: its inputs (which -o
 * must not be or contain) are the scenario file and the CSVs it reads. */
int cmd_outdir_begin(outdir **dir, const char *path, const scenario *s, fz_error *err);

/* The end of every command that writes a results directory: draw the charts
 * (unless --no-plots), write report.html, and move the directory into place.
 * *dir is NULL afterwards when it was committed; on error it is left for the
 * caller's cleanup (outdir_abort). */
int cmd_finish(outdir **dir, const scenario *s, const json_t *summary, const charts_list *charts,
               const cli_opts *o, fz_error *err);

/* With --json, summary.json on stdout (the tables then go to stderr). */
void cmd_print_json(const cli_opts *o, const json_t *summary);

#endif
