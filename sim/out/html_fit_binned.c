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
    html_fit_table_head(h, "<th>&chi;&sup2;</th><th>df</th><th>p</th><th>largest share gap</th><th>median</th>");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        html_fit_row_start(h, e);
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
    const char *data = json_string_value(json_object_get(sum, "data"));
    const json_t *best = json_array_get(json_object_get(sum, "fits"), 0);
    char heading[1024], b[4][64];
    snprintf(heading, sizeof heading, "fianza fit (binned table): %s", data ? data : "");
    hdoc h;
    if (html_fit_open(&h, o, sum, heading, err))
        return FZ_ERUNTIME;
    FILE *f = h.f;
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
    html_fit_line(&h, sum);
    write_binned_table(&h, sum);
    fprintf(f, "<p><small>&chi;&sup2;: Pearson's over the bins and the ranges no bin covers, grouped until each "
               "expects at least 5; df = groups &minus; 1 &minus; parameters. AIC = 2k &minus; 2 log-lik, "
               "BIC = k ln N &minus; 2 log-lik. Observed and fitted shares of every bin: fit_bins.csv.</small></p>\n");
    return html_fit_close(&h, charts, err);
}
