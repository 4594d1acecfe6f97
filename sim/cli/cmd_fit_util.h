/* cmd_fit_util: what `fianza fit` on raw values (cmd_fit.c) and on a binned
 * table (cmd_fit_binned*.c) do alike with a fitted family.  sim/cli only.
 *
 * Ownership: nothing allocated survives a call. */
#ifndef FZ_CMD_FIT_UTIL_H
#define FZ_CMD_FIT_UTIL_H

#include <stddef.h>

#include "fit.h"

/* One fit_all result, once ranked: a skipped family gets "PATH:LINE: "
 * before its reason (LINE: of its bad value or bin); a fitted one loses its
 * standard errors unless the simplex converged (the information is only
 * meaningful at an optimum), and gets its scenario text (text) and, if
 * dist_parse refuses that text, the reason (unusable, else ""), each of
 * size bytes.  Returns 1 for a fit a scenario accepts. */
int cmd_fit_finish(fit_result *f, const char *path, long line, char *text, char *unusable, size_t size);

/* "median 2826.3 (114), sigma 0.81292 (0.025)": parameters with standard errors. */
void cmd_fit_param_text(const fit_result *f, char *buf, size_t size);

/* The results directory: outdir (-o) if given, else results/NAME, NAME the
 * data file's name without its directory and a final .csv. */
void cmd_fit_dirname(char *buf, size_t size, const char *outdir, const char *path);

#endif
