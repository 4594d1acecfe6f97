/* html_parts: what the pieces of report.html share.  Private to sim/out/html*.c
 * (html.c: page, tables of one evaluated allocation, optimize's baselines;
 * html_brief.c: the three opening sentences; html_cmd.c: sweep, tornado,
 * compare and budget tables; html_fit.c: fit's page and what fit --bins's
 * page (html_fit_binned.c) shares with it).
 *
 * Undefined values (null in summary.json) print "n/a" with a numbered note;
 * each distinct reason is written once, under the table that first used it
 * (hdoc_notes).  Nothing here prints "nan" or "inf".
 *
 * Ownership: an hdoc borrows its FILE and outdir; note reasons are string
 * literals. */
#ifndef FZ_HTML_PARTS_H
#define FZ_HTML_PARTS_H

#include <jansson.h>
#include <stdio.h>

#include "charts.h"
#include "outdir.h"
#include "scenario.h"

typedef struct hdoc {
    FILE *f;
    outdir *o;
    const char *notes[16];
    int nnotes, flushed;
} hdoc;

void h_esc(FILE *f, const char *s);
/* The number at a dotted path ("releases.ci95.0"); NAN when absent or null. */
double h_num(const json_t *o, const char *path);
/* v with `digits` decimals and thousands separated ("202,789"); "n/a" if not finite. */
const char *h_fmt(char *buf, size_t n, double v, int digits);
/* "USD 300,000". */
const char *h_usd(char *buf, size_t n, double v);
/* A region's label, or its key. */
const char *h_label(const json_t *region, const char *key);
/* "variant 3 (all_chicago)", or "variant 3" without a name. */
const char *h_variant(char *buf, size_t n, const json_t *variant);

/* n/a with the note number of `reason`. */
void h_na(hdoc *h, const char *reason);
/* Writes the notes added since the last call. */
void hdoc_notes(hdoc *h);
/* v, or n/a for the reason; h_cell wraps it in <td>. */
void h_val(hdoc *h, double v, int digits, const char *reason);
void h_cell(hdoc *h, double v, int digits, const char *reason);
/* "m [lo, hi]"; just m without an interval; n/a when m is undefined. */
void h_mean_ci(hdoc *h, double m, double lo, double hi, int digits, const char *reason);
/* A probability with its interval (summary_prob_text: a bound near 0 or 1 keeps a digit). */
void h_prob(hdoc *h, double p, double lo, double hi, const char *reason);
/* h_mean_ci of {mean, ci95} at path. */
void h_est(hdoc *h, const json_t *o, const char *path, int digits, const char *reason);

/* The tables of one evaluated allocation e (the top level of simulate,
 * optimize and budget, or one compare variant): releases, regions, money. */
void html_evaluated(hdoc *h, const json_t *e, const char *which);

/* The three sentences that open the page (html_brief.c). */
void html_brief(hdoc *h, const scenario *s, const json_t *sum);
/* What limits the fund ("money", "fundable cases", ...) by the rule in
 * html_brief.c, from unpaid fundable cases, money left and the budget. */
const char *html_limit(double unpaid, double left, double budget);

/* Per command (html_cmd.c). */
void html_sweep(hdoc *h, const scenario *s, const json_t *sum);
void html_tornado(hdoc *h, const json_t *sum);
void html_compare(hdoc *h, const scenario *s, const json_t *sum);
void html_budget(hdoc *h, const scenario *s, const json_t *sum);

/* report.html of `fit --bins` (html_fit_binned.c; html_fit_report calls it
 * for a summary.json with "bins"). */
int html_fit_binned_report(outdir *o, const json_t *sum, const charts_list *charts, fz_error *err);

/* What fit's two pages share (html_fit.c): html_fit_open starts report.html
 * (title "fianza fit: DATA", `heading`; FZ_ERUNTIME if it cannot be opened,
 * h then holds no file); html_fit_line the scenario line, if any;
 * html_fit_table_head the ranked table's header, `more_th` the cells after
 * BIC; html_fit_row_start a row's rank, family, parameters with standard
 * errors, log-lik, AIC, dAIC and BIC; html_fit_close the charts, the file
 * list and the end, and closes the file. */
int html_fit_open(hdoc *h, outdir *o, const json_t *sum, const char *heading, fz_error *err);
void html_fit_line(hdoc *h, const json_t *sum);
void html_fit_table_head(hdoc *h, const char *more_th);
void html_fit_row_start(hdoc *h, const json_t *e);
int html_fit_close(hdoc *h, const charts_list *charts, fz_error *err);

/* Page start (the style and <h1>) and end (the charts and the file list). */
void html_head(hdoc *h, const char *title, const char *heading, const char *extra_css);
void html_charts(hdoc *h, const charts_list *charts);
/* The files in the results directory when called (so: last, after every
 * other file is written), without the marker and temporary files. */
void html_files(hdoc *h);

#endif
