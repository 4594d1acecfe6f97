/* cmd_fit_util: what `fianza fit` on raw values (cmd_fit.c), on a binned
 * table (cmd_fit_binned*.c) and on censored durations (cmd_fit_censored.c)
 * do alike: the --min/--max range, the fitted families finished and ranked,
 * their JSON, CSV cells and labels, and the directory.  sim/cli only.
 *
 * Ownership: nothing allocated survives a call, but cmd_fit_params_json's
 * two objects (new references, the caller's). */
#ifndef FZ_CMD_FIT_UTIL_H
#define FZ_CMD_FIT_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "fit.h"

/* --min/--max checked (each refusal names the option) and made opt's
 * truncation: [--min or 0, --max or inf); opt is fit_options_init'ed. */
int cmd_fit_range(const cli_opts *o, fit_options *opt, fz_error *err);

/* "[1500, inf)" or "[0, 20000]": the truncation range of opt; returns buf. */
const char *cmd_fit_range_text(const fit_options *opt, char *buf, size_t size);

/* One fit_all result, once ranked: a skipped family gets "PATH:LINE: "
 * before its reason (LINE: of its bad value or bin); a fitted one loses its
 * standard errors unless the simplex converged (the information is only
 * meaningful at an optimum), and gets its scenario text (text) and, if
 * dist_parse refuses that text, the reason (unusable, else ""), each of
 * size bytes.  Returns 1 for a fit a scenario accepts. */
int cmd_fit_finish(fit_result *f, const char *path, long line, char *text, char *unusable, size_t size);

/* cmd_fit_finish on each of the FIT_NFAMILIES results res[i] (rank order;
 * line: the data lines, by a result's bad_index), into text[i] and
 * unusable[i] (NULL: not kept); *best the first a scenario accepts, -1 if
 * none.  An input error naming the first family's reason when no family
 * was fitted (nfit 0). */
int cmd_fit_finish_all(fit_result *const res[], size_t nfit, const char *path, const long *line, char (*text)[256],
                       char (*unusable)[256], int *best, fz_error *err);

/* summary.json's "parameters" and "standard_errors" of f (null where not finite). */
void cmd_fit_params_json(const fit_result *f, json_t **par, json_t **se);
/* A "skipped" entry: {"family", "reason"}. */
json_t *cmd_fit_skipped_json(const fit_result *f);

/* summary.json's end: "fits" and "skipped" (references stolen), then with a
 * best fit its family ("best") and prefix + text ("scenario_line"). */
void cmd_fit_json_end(json_t *doc, json_t *fits, json_t *skipped, const fit_result *best, const char *prefix,
                      const char *text);

/* ",value", or "," alone for a non-finite value (never "nan" in a CSV). */
void cmd_fit_csv_num(FILE *f, const char *fmt, double v);
/* A CSV field, quoted ("" for a quote inside). */
void cmd_fit_csv_quoted(FILE *f, const char *s);

/* Appends the i-th label of the charts' LABELS ("'lognormal'", after ", "
 * unless i is 0) to buf, of size bytes. */
void cmd_fit_label_add(char *buf, size_t size, size_t i, const fit_result *f);

/* The printed tail: the scenario line (prefix and text; none when text is
 * NULL, with the distribution keys listed when prefix is "") and where the
 * results are. */
void cmd_fit_print_line(FILE *out, const char *prefix, const char *text, const char *dirname);

/* "median 2826.3 (114), sigma 0.81292 (0.025)": parameters with standard errors. */
void cmd_fit_param_text(const fit_result *f, char *buf, size_t size);

/* The results directory: outdir (-o) if given, else results/NAME, NAME the
 * data file's name without its directory and a final .csv. */
void cmd_fit_dirname(char *buf, size_t size, const char *outdir, const char *path);

#endif
