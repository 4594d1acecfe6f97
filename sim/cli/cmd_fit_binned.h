/* cmd_fit_binned: what the two halves of `fianza fit --bins` share:
 * cmd_fit_binned.c (options, the table read and checked, the fits) and
 * cmd_fit_binned_out.c (summary.json, fit_bins.csv, the chart, the table
 * printed).  Not a public header: sim/cli only.
 *
 * Ownership: binned_run owns bins and line (freed by cmd_fit_binned). */
#ifndef FZ_CMD_FIT_BINNED_H
#define FZ_CMD_FIT_BINNED_H

#include <jansson.h>
#include <stdio.h>

#include "charts.h"
#include "fit.h"
#include "outdir.h"

#define MAX_BINS 10000 /* docs/limits.md: each likelihood evaluation visits every bin */

typedef struct binned_run {
    const char *path, *count_col;
    char low_col[256], high_col[256];
    int shares;
    long n_given;
    size_t nrows;                    /* table rows with a lower edge */
    fit_bin *bins;                   /* the bins fitted, edges as the likelihood reads them */
    long *line;                      /* their lines */
    size_t nbins;
    size_t n_point, n_below, n_above; /* bins left out */
    double c_point, c_below, c_above; /* and their counts */
    long point_line;                  /* the first point mass */
    double point_at;
    int closed_edges; /* some inclusive whole-unit upper edge was read as the next lower edge */
    double share_sum, total;
    fit_options opt;
    fit_binned res[FIT_NFAMILIES];
    size_t nfit;
    char text[FIT_NFAMILIES][256], unusable[FIT_NFAMILIES][256];
    int best;
} binned_run;

/* summary.json (a new reference) */
json_t *binned_json(const binned_run *r);
/* fit_bins.csv: one row per fitted family and bin */
int write_bins_csv(outdir *dir, const binned_run *r, fz_error *err);
/* fit_bins.gp: observed shares (bars) and each family's fitted shares */
int write_bins_chart(outdir *dir, const binned_run *r, charts_list *charts, fz_error *err);
void print_binned(FILE *out, const binned_run *r, const char *dirname);

#endif
