/* html_fit: report.html of `fianza fit` (html.h), from its summary.json. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "html_parts.h"

/* A message from the scenario parser, escaped, its unbounded ends ("[0, inf]",
 * "-inf") shown as the infinity sign: the page never shows "inf". */
static void esc_msg(FILE *f, const char *m)
{
    char one[2] = {0, 0};
    for (const char *p = m; p && *p; p++) {
        int word = !strncmp(p, "inf", 3) && (p == m || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[3]);
        if (word) {
            fputs("&infin;", f);
            p += 2;
            continue;
        }
        one[0] = *p;
        h_esc(f, one);
    }
}

/* What both fit pages share (html_parts.h): one page start, the table's
 * first columns and the end, so that `fit` and `fit --bins` stay alike. */
int html_fit_open(hdoc *h, outdir *o, const json_t *sum, const char *heading, fz_error *err)
{
    *h = (hdoc){.o = o, .f = outdir_open(o, "report.html", err)};
    if (!h->f)
        return FZ_ERUNTIME;
    const char *data = json_string_value(json_object_get(sum, "data"));
    char title[512];
    snprintf(title, sizeof title, "fianza fit: %s", data ? data : "");
    html_head(h, title, heading,
              "th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}"
              "pre{background:#f4f4f4;padding:0.6em}");
    return 0;
}

void html_fit_line(hdoc *h, const json_t *sum)
{
    const char *line = json_string_value(json_object_get(sum, "scenario_line"));
    if (line) {
        fprintf(h->f, "<h2>Scenario line (best by AIC)</h2>\n<pre>");
        h_esc(h->f, line);
        fprintf(h->f, "</pre>\n");
    }
}

void html_fit_table_head(hdoc *h, const char *more_th)
{
    fprintf(h->f,
            "<h2>Fits, ranked by AIC</h2>\n<table><tr><th>rank</th><th>family</th><th>parameters "
            "<small>(standard errors)</small></th><th>log-lik</th><th>AIC</th><th>&Delta;AIC</th><th>BIC</th>"
            "%s</tr>\n",
            more_th);
}

void html_fit_row_start(hdoc *h, const json_t *e)
{
    FILE *f = h->f;
    fprintf(f, "<tr>");
    h_cell(h, h_num(e, "rank"), 0, "not ranked");
    fprintf(f, "<td>");
    h_esc(f, json_string_value(json_object_get(e, "family")));
    fprintf(f, "</td><td>");
    const char *k;
    json_t *v;
    int first = 1;
    json_object_foreach(json_object_get(e, "parameters"), k, v)
    {
        double se = h_num(json_object_get(e, "standard_errors"), k), x = h_num(json_object_get(e, "parameters"), k);
        fprintf(f, "%s%s ", first ? "" : ", ", k);
        if (isfinite(x))
            fprintf(f, "%.6g", x);
        else
            h_na(h, "the fit did not give this parameter");
        fprintf(f, " <small>(");
        if (!isfinite(se))
            h_na(h, "no standard error: the observed information is not invertible there");
        else
            fprintf(f, se >= 10 ? "%.0f" : "%.2g", se);
        fprintf(f, ")</small>");
        first = 0;
    }
    fprintf(f, "</td>");
    h_cell(h, h_num(e, "loglik"), 1, "the fit failed");
    h_cell(h, h_num(e, "aic"), 1, "the fit failed");
    h_cell(h, h_num(e, "delta_aic"), 1, "the fit failed");
    h_cell(h, h_num(e, "bic"), 1, "the fit failed");
}

int html_fit_close(hdoc *h, const charts_list *charts, fz_error *err)
{
    html_charts(h, charts);
    html_files(h);
    fprintf(h->f, "</body></html>\n");
    return outdir_close(h->f, "report.html", err);
}

/* Every family's parameters with standard errors and its statistics. */
static void write_fit_table(hdoc *h, const json_t *sum)
{
    FILE *f = h->f;
    html_fit_table_head(h, "<th>KS D</th><th>KS p</th><th>AD</th><th>converged</th>");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        html_fit_row_start(h, e);
        h_cell(h, h_num(e, "ks.statistic"), 4, "the fit failed");
        double ksp = h_num(e, "ks.p_value"), ad = h_num(e, "anderson_darling");
        fprintf(f, "<td>");
        if (isfinite(ksp))
            fprintf(f, "%.3g", ksp);
        else
            h_na(h, "the statistic is undefined for this fit");
        fprintf(f, "</td><td>");
        if (isfinite(ad))
            fprintf(f, "%.3g", ad);
        else
            h_na(h, "the statistic is undefined for this fit");
        fprintf(f, "</td><td>%s</td></tr>\n", json_is_true(json_object_get(e, "converged")) ? "yes" : "no");
    }
    fprintf(f, "</table>\n");
    hdoc_notes(h);
}

/* fit's brief: the best family by AIC, how far ahead, and the line to paste. */
static void write_fit_brief(hdoc *h, const json_t *sum, const char *column)
{
    FILE *f = h->f;
    const json_t *fits = json_object_get(sum, "fits"), *best = json_array_get(fits, 0), *next = json_array_get(fits, 1);
    const char *line = json_string_value(json_object_get(sum, "scenario_line"));
    char b[64], c[64];
    fprintf(f, "<p class=\"brief\" id=\"brief\">");
    if (!best) {
        fprintf(f, "No family could be fitted (see below).</p>\n");
        return;
    }
    fprintf(f, "Of %zu families fitted to %s values of ", json_array_size(fits),
            h_fmt(b, sizeof b, h_num(sum, "used"), 0));
    h_esc(f, column ? column : "the column");
    fprintf(f, ", ");
    h_esc(f, json_string_value(json_object_get(best, "family")));
    fprintf(f, " fits best by AIC");
    if (next) {
        fprintf(f, " (next: ");
        h_esc(f, json_string_value(json_object_get(next, "family")));
        fprintf(f, ", &Delta;AIC %s)", h_fmt(c, sizeof c, h_num(next, "delta_aic"), 1));
    }
    fprintf(f, ".");
    if (line) {
        fprintf(f, " The line to paste into a scenario is <code>");
        h_esc(f, line);
        fprintf(f, "</code>.");
    } else {
        fprintf(f, " No fitted family is usable in a scenario (reasons below).");
    }
    fprintf(f, "</p>\n");
}

int html_fit_report(outdir *o, const json_t *sum, const charts_list *charts, fz_error *err)
{
    if (json_object_get(sum, "bins"))
        return html_fit_binned_report(o, sum, charts, err);
    const char *data = json_string_value(json_object_get(sum, "data"));
    const char *column = json_string_value(json_object_get(sum, "column"));
    char heading[1024], b[8][64];
    snprintf(heading, sizeof heading, "fianza fit: %s, column %s", data ? data : "", column ? column : "");
    hdoc h;
    if (html_fit_open(&h, o, sum, heading, err))
        return FZ_ERUNTIME;
    FILE *f = h.f;
    write_fit_brief(&h, sum, column);
    char range[160];
    if (isnan(h_num(sum, "truncation.max")))
        snprintf(range, sizeof range, "[%g, &infin;)", h_num(sum, "truncation.min"));
    else
        snprintf(range, sizeof range, "[%g, %g]", h_num(sum, "truncation.min"), h_num(sum, "truncation.max"));
    fprintf(f,
            "<p>%s rows: %s numbers, %s empty cells, %s not numbers (left out). Fitted to %s values in %s; %s below "
            "the minimum and %s above the maximum left out.</p>\n",
            h_fmt(b[0], 64, h_num(sum, "rows"), 0), h_fmt(b[1], 64, h_num(sum, "numbers"), 0),
            h_fmt(b[2], 64, h_num(sum, "empty_cells"), 0), h_fmt(b[3], 64, h_num(sum, "non_numeric_cells"), 0),
            h_fmt(b[4], 64, h_num(sum, "used"), 0), range, h_fmt(b[5], 64, h_num(sum, "excluded_below_min"), 0),
            h_fmt(b[6], 64, h_num(sum, "excluded_above_max"), 0));
    html_fit_line(&h, sum);
    write_fit_table(&h, sum);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        const char *why = json_string_value(json_object_get(e, "scenario_rejected"));
        if (why) {
            fprintf(f, "<p>");
            h_esc(f, json_string_value(json_object_get(e, "family")));
            fprintf(f, ": not usable in a scenario: ");
            esc_msg(f, why);
            fprintf(f, "</p>\n");
        }
    }
    json_array_foreach(json_object_get(sum, "skipped"), i, e)
    {
        fprintf(f, "<p>");
        h_esc(f, json_string_value(json_object_get(e, "family")));
        fprintf(f, " skipped: ");
        esc_msg(f, json_string_value(json_object_get(e, "reason")));
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<p><small>KS p-values are conservative: the parameters were estimated from the same data "
               "(Lilliefors 1967). AIC = 2k &minus; 2 log-lik, BIC = k ln n &minus; 2 log-lik.</small></p>\n");
    return html_fit_close(&h, charts, err);
}
