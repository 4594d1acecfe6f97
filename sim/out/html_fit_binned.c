/* html_fit_binned: report.html of `fianza fit --bins` (html_parts.h), from
 * its summary.json ("mode": "binned"): the brief, what the table held and
 * what was left out, the ranked fits with their chi-square tests, and the
 * fit_bins chart. */
#include <math.h>
#include <stdio.h>

#include "html_parts.h"

static void write_binned_table(hdoc *h, const json_t *sum)
{
    FILE *f = h->f;
    fprintf(f, "<h2>Fits, ranked by AIC</h2>\n<table><tr><th>rank</th><th>family</th><th>parameters "
               "<small>(standard errors)</small></th><th>log-lik</th><th>AIC</th><th>&Delta;AIC</th><th>BIC</th>"
               "<th>&chi;&sup2;</th><th>df</th><th>p</th><th>largest share gap</th><th>median</th></tr>\n");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
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
        h_cell(h, h_num(e, "chi_square.statistic"), 1, "the fit failed");
        h_cell(h, h_num(e, "chi_square.df"), 0, "the fit failed");
        double p = h_num(e, "chi_square.p_value");
        fprintf(f, "<td>");
        if (isfinite(p))
            fprintf(f, "%.3g", p);
        else
            h_na(h, "fewer than one degree of freedom: too few groups of bins expecting at least 5");
        fprintf(f, "</td>");
        h_cell(h, h_num(e, "max_share_gap"), 3, "the fit failed");
        h_cell(h, h_num(e, "fitted_median"), 0, "the fit failed");
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    hdoc_notes(h);
}

int html_fit_binned_report(outdir *o, const json_t *sum, const charts_list *charts, fz_error *err)
{
    hdoc h = {.o = o, .f = outdir_open(o, "report.html", err)};
    if (!h.f)
        return FZ_ERUNTIME;
    FILE *f = h.f;
    const char *data = json_string_value(json_object_get(sum, "data"));
    const char *line = json_string_value(json_object_get(sum, "scenario_line"));
    const json_t *best = json_array_get(json_object_get(sum, "fits"), 0);
    char title[512], heading[1024], b[4][64];
    snprintf(title, sizeof title, "fianza fit: %s", data ? data : "");
    snprintf(heading, sizeof heading, "fianza fit (binned table): %s", data ? data : "");
    html_head(&h, title, heading,
              "th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}"
              "pre{background:#f4f4f4;padding:0.6em}");
    fprintf(f, "<p class=\"brief\" id=\"brief\">");
    if (best) {
        h_esc(f, json_string_value(json_object_get(best, "family")));
        fprintf(f, " fits the table best by AIC; its median is %s", h_fmt(b[0], 64, h_num(best, "fitted_median"), 0));
        fprintf(f, " and no bin's fitted share is more than %s points from the observed one.",
                h_fmt(b[1], 64, 100 * h_num(best, "max_share_gap"), 1));
    }
    fprintf(f, "</p>\n<p>%s rows; %s bins fitted, %s observations", h_fmt(b[0], 64, h_num(sum, "rows"), 0),
            h_fmt(b[1], 64, h_num(sum, "bins_used"), 0), h_fmt(b[2], 64, h_num(sum, "total_count"), 2));
    if (json_is_true(json_object_get(sum, "standard_errors_depend_on_n")))
        fprintf(f, " (shares of N = %s given with --n: standard errors and chi-square depend on it)",
                h_fmt(b[3], 64, h_num(sum, "n"), 0));
    fprintf(f, "; left out: %s zero-width bins, %s below the minimum, %s above the maximum.</p>\n",
            h_fmt(b[0], 64, h_num(sum, "left_out.point_masses"), 0), h_fmt(b[1], 64, h_num(sum, "left_out.below_min"), 0),
            h_fmt(b[2], 64, h_num(sum, "left_out.above_max"), 0));
    if (line) {
        fprintf(f, "<h2>Scenario line (best by AIC)</h2>\n<pre>");
        h_esc(f, line);
        fprintf(f, "</pre>\n");
    }
    write_binned_table(&h, sum);
    fprintf(f, "<p><small>&chi;&sup2;: Pearson's over the bins and the ranges no bin covers, grouped until each "
               "expects at least 5; df = groups &minus; 1 &minus; parameters. AIC = 2k &minus; 2 log-lik, "
               "BIC = k ln N &minus; 2 log-lik. Observed and fitted shares of every bin: fit_bins.csv.</small></p>\n");
    html_charts(&h, charts);
    html_files(&h);
    fprintf(f, "</body></html>\n");
    return outdir_close(f, "report.html", err);
}
