/* html: the self-contained HTML report (html.h). */
#include "html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static double num(const json_t *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = o;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* "m [lo, hi]"; just m when the interval is null (undefined, or not computed). */
static void mean_ci_at(FILE *f, double m, double lo, double hi, int digits)
{
    if (isnan(m))
        fputs("&ndash;", f);
    else if (isnan(lo))
        fprintf(f, "%.*f", digits, m);
    else
        fprintf(f, "%.*f <small>[%.*f, %.*f]</small>", digits, m, digits, lo, digits, hi);
}

static void mean_ci(FILE *f, const json_t *o, const char *path, int digits)
{
    char p[256];
    snprintf(p, sizeof p, "%s.mean", path);
    double m = num(o, p);
    snprintf(p, sizeof p, "%s.ci95.0", path);
    double lo = num(o, p);
    snprintf(p, sizeof p, "%s.ci95.1", path);
    mean_ci_at(f, m, lo, num(o, p), digits);
}

static void inline_svg(FILE *f, outdir *o, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.svg", name);
    FILE *in = fopen(outdir_file(o, file), "r");
    if (!in) {
        fprintf(f,
                "<p class=\"missing\">Chart not drawn (gnuplot was not available or failed on it, or --no-plots). Its "
                "data and script are "
                "in this directory: run <code>gnuplot %s.gp</code> here.</p>\n",
                name);
        return;
    }
    char line[8192];
    while (fgets(line, sizeof line, in)) /* drop the XML prolog and DOCTYPE: inline SVG needs neither */
        if (strncmp(line, "<?xml", 5) && strncmp(line, "<!DOCTYPE", 9) && strncmp(line, " \"http://www.w3", 15))
            fputs(line, f);
    fclose(in);
}

static const char *caption(const char *name)
{
    if (!strcmp(name, "releases_hist"))
        return "Total releases per replication: the spread of possible futures, with the mean and its 95% CI.";
    if (!strcmp(name, "regions"))
        return "Regions side by side, with 95% confidence intervals.";
    if (!strcmp(name, "detention"))
        return "How long the people the fund frees spend in detention (arrival to release).";
    if (!strcmp(name, "timeline"))
        return "The fund over time: cumulative releases and the money the fund holds (every region's account plus "
               "the reserve), mean (solid), median (dashed) and the middle 90% of the replications (band).";
    if (!strcmp(name, "sweep_timeline"))
        return "The fund over time at a few points of the sweep (the optimal allocation at each): mean cumulative "
               "releases and mean money held.";
    if (!strcmp(name, "curves"))
        return "What each region does with more money (mean over the optimize replications); dots mark the chosen "
               "split.";
    if (!strcmp(name, "allocations"))
        return "The optimal split next to the simple alternatives.";
    if (!strcmp(name, "fit_hist"))
        return "The data (density histogram) with each fitted density; the best fit by AIC is drawn thickest.";
    if (!strcmp(name, "fit_bins"))
        return "Each bin's observed share (bars) and the share each fitted family gives it (points); the best fit by "
               "AIC is drawn thickest.";
    if (!strcmp(name, "fit_qq"))
        return "Fitted quantiles against the data's: a good fit keeps to the dashed line y = x.";
    return "";
}

/* Every chart drawn, its SVG inlined, with links to its PNG and script. */
static void charts_section(FILE *f, outdir *o, const charts_list *charts)
{
    fprintf(f, "<h2>Charts</h2>\n");
    for (size_t i = 0; i < charts->n; i++) {
        fprintf(f, "<figure id=\"%s\">\n", charts->names[i]);
        inline_svg(f, o, charts->names[i]);
        fprintf(
            f,
            "<figcaption>%s <a href=\"%s.png\">PNG</a> &middot; <a href=\"%s.gp\">script</a></figcaption></figure>\n",
            caption(charts->names[i]), charts->names[i], charts->names[i]);
    }
}

/* The totals: releases with percentiles and P(target), USD spent, ratios. */
static void write_releases(FILE *f, const json_t *sum)
{
    fprintf(f, "<h2>Releases</h2>\n<table><tr><th>total releases</th><td>");
    mean_ci(f, sum, "releases", 1);
    fprintf(f, "</td></tr><tr><th>5th / 50th / 95th percentile</th><td>%g / %g / %g</td></tr>",
            num(sum, "releases.p05"), num(sum, "releases.p50"), num(sum, "releases.p95"));
    if (!isnan(num(sum, "releases.p_target")))
        fprintf(f, "<tr><th>P(releases &ge; %g)</th><td>%.3f</td></tr>", num(sum, "releases.target"),
                num(sum, "releases.p_target"));
    fprintf(f, "<tr><th>USD spent</th><td>");
    mean_ci(f, sum, "spent_usd", 0);
    fprintf(f,
            "</td></tr><tr><th>cost per release (USD)</th><td>%.0f</td></tr>"
            "<tr><th>days in detention per release</th><td>%.1f</td></tr></table>\n",
            num(sum, "cost_per_release_usd"), num(sum, "days_in_detention_mean"));
}

/* One row per region. */
static void write_regions(FILE *f, const json_t *sum)
{
    fprintf(f, "<table><tr><th>region</th><th>allocated USD</th><th>releases</th><th>USD spent</th>"
               "<th>fundable cases</th><th>days in detention</th></tr>\n");
    const char *key;
    json_t *g;
    json_object_foreach(json_object_get(sum, "regions"), key, g)
    {
        fprintf(f, "<tr><td>");
        esc(f, json_string_value(json_object_get(g, "label")) ? json_string_value(json_object_get(g, "label")) : key);
        fprintf(f, "</td><td>%.0f</td><td>", num(g, "allocated_usd"));
        mean_ci_at(f, num(g, "releases_mean"), num(g, "releases_ci95.0"), num(g, "releases_ci95.1"), 1);
        fprintf(f, "</td><td>%.0f</td><td>%.1f</td><td>%.1f</td></tr>\n", num(g, "spent_usd_mean"),
                num(g, "fundable_mean"), num(g, "days_in_detention_mean"));
    }
    fprintf(f, "</table>\n");
}

/* A number with `digits` decimals, or &ndash; where it is undefined (null). */
static void cell_num(FILE *f, double v, int digits)
{
    if (isnan(v))
        fputs("<td>&ndash;</td>", f);
    else
        fprintf(f, "<td>%.*f</td>", digits, v);
}

static void money_row(FILE *f, const json_t *o)
{
    cell_num(f, num(o, "paid_usd_mean"), 0);
    cell_num(f, num(o, "refunded_usd_mean"), 0);
    cell_num(f, num(o, "balance_end_usd_mean"), 0);
    cell_num(f, num(o, "unpaid_fundable_mean"), 1);
    cell_num(f, num(o, "days_waited_mean"), 1);
    fprintf(f, "</tr>\n");
}

/* DESIGN §7: the money over the horizon, per region and in total. */
static void write_money(FILE *f, const json_t *sum)
{
    if (!json_object_get(sum, "paid_usd_mean"))
        return;
    fprintf(f, "<h2>Money over the horizon</h2>\n<p>Means over the replications. The balance at the end is what "
               "the accounts hold on the last day (the total adds the fund's unallocated reserve); unpaid fundable "
               "cases could have been paid but were not (money short, removed or timed out while waiting, or no "
               "posting day left); days waited run from a case being ready to its payment.</p>\n"
               "<table><tr><th>region</th><th>USD paid</th><th>USD refunded</th><th>balance at the end (USD)</th>"
               "<th>unpaid fundable cases</th><th>days waited</th></tr>\n");
    const char *key;
    json_t *g;
    json_object_foreach(json_object_get(sum, "regions"), key, g)
    {
        fprintf(f, "<tr><td>");
        esc(f, json_string_value(json_object_get(g, "label")) ? json_string_value(json_object_get(g, "label")) : key);
        fprintf(f, "</td>");
        money_row(f, g);
    }
    fprintf(f, "<tr><td>total</td>");
    money_row(f, sum);
    fprintf(f, "</table>\n");
}

/* optimize: the optimal split beside the baselines, VSS, EVPI and the gap. */
static void write_baselines(FILE *f, const scenario *s, const json_t *sum)
{
    const json_t *base = json_object_get(sum, "baselines");
    if (!base)
        return;
    const char *key;
    json_t *g;
    fprintf(f,
            "<h2>Optimal split and baselines</h2>\n<p>Objective: %s, evaluated out of sample on the same "
            "replications (paired).</p>\n<table><tr><th>allocation</th>",
            scenario_objective_name(s->objective));
    for (size_t c = 0; c < s->nregions; c++) {
        fprintf(f, "<th>");
        esc(f, s->regions[c].label);
        fprintf(f, "</th>");
    }
    fprintf(f, "<th>value</th><th>minus optimal</th></tr>\n<tr><td>optimal</td>");
    const json_t *opt = json_object_get(sum, "optimal");
    for (size_t c = 0; c < s->nregions; c++)
        fprintf(f, "<td>%.0f</td>", num(json_object_get(opt, "allocation"), s->regions[c].name));
    fprintf(f, "<td>");
    mean_ci(f, opt, "out_of_sample", 2);
    fprintf(f, "</td><td></td></tr>\n");
    json_object_foreach((json_t *)base, key, g)
    {
        fprintf(f, "<tr><td>%s%s</td>", key,
                json_is_false(json_object_get(g, "feasible"))
                    ? " <small>(infeasible: breaks a share bound, evaluated all the same)</small>"
                    : "");
        for (size_t c = 0; c < s->nregions; c++)
            fprintf(f, "<td>%.0f</td>", num(json_object_get(g, "allocation"), s->regions[c].name));
        fprintf(f, "<td>");
        mean_ci(f, g, "value", 2);
        fprintf(f, "</td><td>");
        mean_ci(f, g, "difference_to_optimal", 2);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n<table><tr><th>value of the stochastic solution (VSS)</th><td>");
    mean_ci(f, sum, "vss", 2);
    fprintf(f, "</td></tr><tr><th>expected value of perfect information (EVPI)</th><td>");
    mean_ci(f, sum, "evpi", 2);
    fprintf(f, "</td></tr><tr><th>optimality gap (Mak&ndash;Morton&ndash;Wood)</th><td>");
    mean_ci(f, sum, "gap.gap", 2);
    fprintf(f, "</td></tr><tr><th>marginal value per extra USD 1,000</th><td>%.3f</td></tr></table>\n",
            num(sum, "marginal_objective_per_1000_usd"));
}

int html_report(outdir *o, const scenario *s, const json_t *sum, const charts_list *charts, fz_error *err)
{
    FILE *f = outdir_open(o, "report.html", err);
    if (!f)
        return FZ_ERUNTIME;
    const char *cmd = json_string_value(json_object_get(sum, "command"));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fianza: ");
    esc(f, s->name);
    fprintf(f,
            "</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;"
            "text-align:right}th:first-child,td:first-child{text-align:left}small{color:#666}"
            "figure{margin:2em 0}figcaption{color:#444}.missing{color:#a33}svg{max-width:100%%;height:auto}"
            "</style></head><body>\n<h1>fianza %s: ",
            cmd ? cmd : "run");
    esc(f, s->name);
    fprintf(f,
            "</h1>\n<p>Budget USD %.0f over %.0f days; policy %s; objective %s; %ld replications per stream; "
            "seed %llu. %s</p>\n",
            s->budget_usd, s->horizon_days, scenario_policy_name(s->policy), scenario_objective_name(s->objective),
            s->replications, (unsigned long long)s->seed,
            s->replications < 2 ? "With 1 replication, confidence intervals are undefined and none are shown."
                                : "Figures in brackets are 95% confidence intervals.");
    write_releases(f, sum);
    write_regions(f, sum);
    write_money(f, sum);
    write_baselines(f, s, sum);
    charts_section(f, o, charts);
    fprintf(f, "<p><small>Files: summary.json, allocation.csv, replications.csv and the charts' CSV data are in this "
               "directory.</small></p>\n</body></html>\n");
    return outdir_close(f, "report.html", err);
}

/* fit: every family's parameters with standard errors and its statistics. */
static void write_fit_table(FILE *f, const json_t *sum)
{
    fprintf(f, "<h2>Fits, ranked by AIC</h2>\n<table><tr><th>rank</th><th>family</th><th>parameters "
               "<small>(standard errors)</small></th><th>log-lik</th><th>AIC</th><th>&Delta;AIC</th><th>BIC</th>"
               "<th>KS D</th><th>KS p</th><th>AD</th><th>converged</th></tr>\n");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        fprintf(f, "<tr><td>%.0f</td><td>%s</td><td>", num(e, "rank"), json_string_value(json_object_get(e, "family")));
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach(json_object_get(e, "parameters"), k, v)
        {
            double se = num(json_object_get(e, "standard_errors"), k);
            fprintf(f, "%s%s %.6g <small>(", first ? "" : ", ", k, json_number_value(v));
            if (isnan(se))
                fprintf(f, "n/a)</small>");
            else
                fprintf(f, se >= 10 ? "%.0f)</small>" : "%.2g)</small>", se);
            first = 0;
        }
        fprintf(f,
                "</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.4f</td><td>%.3g</td>"
                "<td>%.3g</td><td>%s</td></tr>\n",
                num(e, "loglik"), num(e, "aic"), num(e, "delta_aic"), num(e, "bic"), num(e, "ks.statistic"),
                num(e, "ks.p_value"), num(e, "anderson_darling"),
                json_is_true(json_object_get(e, "converged")) ? "yes" : "no");
    }
    fprintf(f, "</table>\n");
}

/* fit --bins: the binned fits with their chi-square tests (summary.json's mode "binned"). */
static int fit_binned_report(outdir *o, const json_t *sum, const charts_list *charts, fz_error *err)
{
    FILE *f = outdir_open(o, "report.html", err);
    if (!f)
        return FZ_ERUNTIME;
    const char *data = json_string_value(json_object_get(sum, "data"));
    const char *line = json_string_value(json_object_get(sum, "scenario_line"));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fianza fit: ");
    esc(f, data ? data : "");
    fprintf(f, "</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}"
               "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;"
               "text-align:right}th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}"
               "small{color:#666}figure{margin:2em 0}figcaption{color:#444}.missing{color:#a33}"
               "svg{max-width:100%%;height:auto}pre{background:#f4f4f4;padding:0.6em}</style></head><body>\n"
               "<h1>fianza fit (binned table): ");
    esc(f, data ? data : "");
    fprintf(f, "</h1>\n<p>%.0f rows; %.0f bins fitted, %.10g observations", num(sum, "rows"), num(sum, "bins_used"),
            num(sum, "total_count"));
    if (json_is_true(json_object_get(sum, "standard_errors_depend_on_n")))
        fprintf(f, " (shares of N = %.0f given with --n: standard errors and chi-square depend on it)", num(sum, "n"));
    fprintf(f, ".</p>\n");
    if (line) {
        fprintf(f, "<h2>Scenario line (best by AIC)</h2>\n<pre>");
        esc(f, line);
        fprintf(f, "</pre>\n");
    }
    fprintf(f, "<h2>Fits, ranked by AIC</h2>\n<table><tr><th>rank</th><th>family</th><th>parameters "
               "<small>(standard errors)</small></th><th>log-lik</th><th>AIC</th><th>&Delta;AIC</th><th>BIC</th>"
               "<th>&chi;&sup2;</th><th>df</th><th>p</th><th>largest share gap</th><th>median</th></tr>\n");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        fprintf(f, "<tr><td>%.0f</td><td>%s</td><td>", num(e, "rank"), json_string_value(json_object_get(e, "family")));
        esc(f, json_string_value(json_object_get(e, "scenario")));
        fprintf(f,
                "</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.0f</td><td>%.3g</td>"
                "<td>%.3f</td><td>%.0f</td></tr>\n",
                num(e, "loglik"), num(e, "aic"), num(e, "delta_aic"), num(e, "bic"), num(e, "chi_square.statistic"),
                num(e, "chi_square.df"), num(e, "chi_square.p_value"), num(e, "max_share_gap"),
                num(e, "fitted_median"));
    }
    fprintf(f, "</table>\n<p><small>Standard errors are in summary.json. &chi;&sup2;: Pearson's over the bins, "
               "grouped until each expects at least 5; df = groups &minus; 1 &minus; parameters.</small></p>\n");
    charts_section(f, o, charts);
    fprintf(f, "<p><small>Files: summary.json, fit_bins.csv and the chart's script are in this "
               "directory.</small></p>\n</body></html>\n");
    return outdir_close(f, "report.html", err);
}

int html_fit_report(outdir *o, const json_t *sum, const charts_list *charts, fz_error *err)
{
    if (json_object_get(sum, "bins"))
        return fit_binned_report(o, sum, charts, err);
    FILE *f = outdir_open(o, "report.html", err);
    if (!f)
        return FZ_ERUNTIME;
    const char *data = json_string_value(json_object_get(sum, "data"));
    const char *column = json_string_value(json_object_get(sum, "column"));
    const char *line = json_string_value(json_object_get(sum, "scenario_line"));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fianza fit: ");
    esc(f, data ? data : "");
    fprintf(f, "</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}"
               "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;"
               "text-align:right}th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}"
               "small{color:#666}figure{margin:2em 0}figcaption{color:#444}.missing{color:#a33}"
               "svg{max-width:100%%;height:auto}pre{background:#f4f4f4;padding:0.6em}</style></head><body>\n"
               "<h1>fianza fit: ");
    esc(f, data ? data : "");
    fprintf(f, ", column ");
    esc(f, column ? column : "");
    char range[96];
    if (isnan(num(sum, "truncation.max")))
        snprintf(range, sizeof range, "[%g, inf)", num(sum, "truncation.min"));
    else
        snprintf(range, sizeof range, "[%g, %g]", num(sum, "truncation.min"), num(sum, "truncation.max"));
    fprintf(f,
            "</h1>\n<p>%.0f rows: %.0f numbers, %.0f empty cells, %.0f not numbers (left out). Fitted to %.0f "
            "values in %s; %.0f below the minimum and %.0f above the maximum left out.</p>\n",
            num(sum, "rows"), num(sum, "numbers"), num(sum, "empty_cells"), num(sum, "non_numeric_cells"),
            num(sum, "used"), range, num(sum, "excluded_below_min"), num(sum, "excluded_above_max"));
    if (line) {
        fprintf(f, "<h2>Scenario line (best by AIC)</h2>\n<pre>");
        esc(f, line);
        fprintf(f, "</pre>\n");
    }
    write_fit_table(f, sum);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sum, "fits"), i, e)
    {
        const char *why = json_string_value(json_object_get(e, "scenario_rejected"));
        if (why) {
            fprintf(f, "<p>%s: not usable in a scenario: ", json_string_value(json_object_get(e, "family")));
            esc(f, why);
            fprintf(f, "</p>\n");
        }
    }
    json_array_foreach(json_object_get(sum, "skipped"), i, e)
    {
        fprintf(f, "<p>%s skipped: ", json_string_value(json_object_get(e, "family")));
        esc(f, json_string_value(json_object_get(e, "reason")));
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<p><small>KS p-values are conservative: the parameters were estimated from the same data "
               "(Lilliefors 1967). AIC = 2k &minus; 2 log-lik, BIC = k ln n &minus; 2 log-lik.</small></p>\n");
    charts_section(f, o, charts);
    fprintf(f, "<p><small>Files: summary.json, fit.csv and the charts' CSV data and scripts are in this "
               "directory.</small></p>\n</body></html>\n");
    return outdir_close(f, "report.html", err);
}
