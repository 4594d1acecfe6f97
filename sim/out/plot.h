/* plot: gnuplot charts written into a results directory.
 *
 * Chart templates live in plots/NAME.gp (compiled into the binary by
 * plots/embed.cmake).  plot_script fills a template's @KEY@ placeholders and
 * writes NAME.gp next to its data files, so that a user can restyle it (or
 * the shared theme.gp) and re-render with `gnuplot NAME.gp` in that
 * directory.  plot_render runs gnuplot as an external program, with an
 * argument vector and no shell.  Any gnuplot fault (missing, not runnable,
 * crashing, failing, hanging past its time limit) is one warning on stderr,
 * never a failure: data and scripts are written all the same.
 *
 * Ownership: plot_quote returns a malloc'd string the caller frees. */
#ifndef FZ_PLOT_H
#define FZ_PLOT_H

#include <stddef.h>

#include "fz_error.h"
#include "outdir.h"

typedef struct plot_template {
    const char *name, *text;
} plot_template;

extern const plot_template plot_templates[]; /* ends with {NULL, NULL} */

typedef struct plot_var {
    const char *key, *value;
} plot_var;

/* A gnuplot string literal for arbitrary text: single quotes (no escape
 * processing), ' doubled, control characters (newlines) made spaces. */
char *plot_quote(const char *text);

/* Writes theme.gp and NAME.gp (template NAME filled with vars). */
int plot_script(outdir *o, const char *name, const plot_var *vars, size_t nvars, fz_error *err);

/* Seconds one gnuplot run may take (FIANZA_GNUPLOT_TIMEOUT overrides the
 * default; a value outside (0, PLOT_TIMEOUT_MAX] is a warning unless quiet,
 * and the default applies). */
#define PLOT_TIMEOUT_DEFAULT 60
#define PLOT_TIMEOUT_MAX 86400
double plot_timeout(int quiet);

/* Runs `gnuplot NAME.gp` in the directory for each name, each within
 * plot_timeout() seconds, in its own process group.  Always returns 0: a
 * gnuplot that cannot be started (not found, not executable, a directory),
 * exits non-zero, dies of a signal or runs past its limit (killed with
 * SIGKILL, the remaining charts skipped) costs one warning on stderr
 * (none when quiet), and the renders of a failed chart are removed so that
 * no half-written PNG or SVG is left. */
int plot_render(outdir *o, const char *const *names, size_t n, int quiet, fz_error *err);

/* Async-signal-safe: kills the running gnuplot child (if any) and reaps it,
 * so that nothing writes into the results directory after a signal handler
 * has started removing it. */
void plot_signal_stop(void);

#endif
