/* charts: the data files and gnuplot scripts of the charts a run draws.
 *
 * Each function writes CSV data and fills a plots/ template into the results
 * directory, and appends the chart's name to a charts_list for plot_render.
 * Chart titles and labels come from scenario files and are quoted with
 * plot_quote, so any text is safe in a script. */
#ifndef FZ_CHARTS_H
#define FZ_CHARTS_H

#include <stdio.h>

#include "eval.h"
#include "optimize.h"
#include "outdir.h"
#include "scenario.h"

typedef struct charts_list {
    const char *names[16];
    size_t n;
} charts_list;

/* releases_hist, regions, detention for allocation k of r (detention needs k = 0). */
int charts_eval(outdir *o, const scenario *s, const eval_result *r, size_t k, const char *what, charts_list *list,
                fz_error *err);

/* curves and allocations (expects curves.csv already written). */
int charts_optimize(outdir *o, const scenario *s, const optimize_result *r, charts_list *list, fz_error *err);

/* "'a', 'b'": item(ctx, 0..n-1) each plot_quote'd, for a gnuplot array of
 * tick labels (malloc'd, the caller frees it; NULL when out of memory).
 * charts_region_list: of s's region names, or labels if labels. */
char *charts_quoted_list(size_t n, const char *(*item)(const void *ctx, size_t i), const void *ctx);
char *charts_region_list(const scenario *s, int labels);

/* A chart data CSV's number cell: ",x" (%.10g), or "," alone when x is not
 * finite (an empty cell, never nan). */
void charts_csv_num(FILE *f, double x);

/* Renders the listed charts unless no_plots. */
int charts_render(outdir *o, const charts_list *list, int no_plots, int quiet, fz_error *err);

#endif
