/* html: the self-contained HTML report (html.h): the page, the tables of one
 * evaluated allocation, optimize's baselines, and the helpers of
 * html_parts.h.  Each command gets its own content (html_report). */
#include "html.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_parts.h"
#include "summary.h"

void h_esc(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

double h_num(const json_t *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = o;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
    return json_is_number(v) && isfinite(json_number_value(v)) ? json_number_value(v) : NAN;
}

const char *h_fmt(char *buf, size_t n, double v, int digits)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "n/a");
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", digits, fabs(v));
    if (!strspn(raw + strspn(raw, "0."), "123456789")) /* rounds to zero: no "-0" */
        v = 0;
    const char *dot = strchr(raw, '.');
    size_t whole = dot ? (size_t)(dot - raw) : strlen(raw), j = 0;
    if (v < 0 && j + 1 < n)
        buf[j++] = '-';
    for (size_t i = 0; raw[i] && j + 1 < n; i++) {
        if (i > 0 && i < whole && (whole - i) % 3 == 0 && j + 1 < n)
            buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = '\0';
    return buf;
}

const char *h_usd(char *buf, size_t n, double v)
{
    char num[64];
    snprintf(buf, n, "USD %s", h_fmt(num, sizeof num, v, 0));
    return buf;
}

const char *h_label(const json_t *region, const char *key)
{
    const char *l = json_string_value(json_object_get(region, "label"));
    return l ? l : key;
}

const char *h_variant(char *buf, size_t n, const json_t *v)
{
    const char *name = json_string_value(json_object_get(v, "name"));
    double k = h_num(v, "variant");
    if (name && *name)
        snprintf(buf, n, "variant %.0f (%s)", k, name);
    else
        snprintf(buf, n, "variant %.0f", k);
    return buf;
}

void h_na(hdoc *h, const char *reason)
{
    int k = 0;
    while (k < h->nnotes && strcmp(h->notes[k], reason))
        k++;
    if (k == h->nnotes && k < (int)(sizeof h->notes / sizeof h->notes[0]))
        h->notes[h->nnotes++] = reason;
    fprintf(h->f, "n/a<sup>%d</sup>", k + 1);
}

void hdoc_notes(hdoc *h)
{
    if (h->flushed == h->nnotes)
        return;
    fprintf(h->f, "<p class=\"notes\">");
    for (; h->flushed < h->nnotes; h->flushed++) {
        fprintf(h->f, "<sup>%d</sup> n/a: ", h->flushed + 1);
        h_esc(h->f, h->notes[h->flushed]);
        fprintf(h->f, ". ");
    }
    fprintf(h->f, "</p>\n");
}

void h_val(hdoc *h, double v, int digits, const char *reason)
{
    char b[64];
    if (isfinite(v))
        fputs(h_fmt(b, sizeof b, v, digits), h->f);
    else
        h_na(h, reason);
}

void h_cell(hdoc *h, double v, int digits, const char *reason)
{
    fputs("<td>", h->f);
    h_val(h, v, digits, reason);
    fputs("</td>", h->f);
}

void h_mean_ci(hdoc *h, double m, double lo, double hi, int digits, const char *reason)
{
    char a[64], b[64];
    h_val(h, m, digits, reason);
    if (isfinite(m) && isfinite(lo) && isfinite(hi))
        fprintf(h->f, " <small>[%s, %s]</small>", h_fmt(a, sizeof a, lo, digits), h_fmt(b, sizeof b, hi, digits));
}

void h_prob(hdoc *h, double p, double lo, double hi, const char *reason)
{
    char t[128];
    if (!isfinite(p) || !isfinite(lo) || !isfinite(hi)) {
        h_mean_ci(h, p, lo, hi, 3, reason);
        return;
    }
    summary_prob_text(t, sizeof t, p, lo, hi); /* "p [lo, hi]": never [0.000, 0.000] unless a point */
    char *br = strstr(t, " [");
    *br = 0;
    fprintf(h->f, "%s <small>%s</small>", t, br + 1);
}

void h_est(hdoc *h, const json_t *o, const char *path, int digits, const char *reason)
{
    char p[3][256];
    snprintf(p[0], sizeof p[0], "%s.mean", path);
    snprintf(p[1], sizeof p[1], "%s.ci95.0", path);
    snprintf(p[2], sizeof p[2], "%s.ci95.1", path);
    h_mean_ci(h, h_num(o, p[0]), h_num(o, p[1]), h_num(o, p[2]), digits, reason);
}

static void inline_svg(hdoc *h, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.svg", name);
    FILE *in = fopen(outdir_file(h->o, file), "r");
    if (!in) {
        fprintf(h->f,
                "<p class=\"missing\">Chart not drawn (gnuplot was not available or failed on it, or --no-plots). Its "
                "data and script are in this directory: run <code>gnuplot %s.gp</code> here.</p>\n",
                name);
        return;
    }
    char line[8192];
    while (fgets(line, sizeof line, in)) /* drop the XML prolog and DOCTYPE: inline SVG needs neither */
        if (strncmp(line, "<?xml", 5) && strncmp(line, "<!DOCTYPE", 9) && strncmp(line, " \"http://www.w3", 15))
            fputs(line, h->f);
    fclose(in);
}

static const char *caption(const char *name)
{
    static const char *const cap[][2] = {
        {"releases_hist",
         "Total releases per replication: the spread of possible futures, with the mean and its 95% CI."},
        {"regions", "Regions side by side, with 95% confidence intervals."},
        {"detention", "How long the people the fund frees spend in detention (arrival to release)."},
        {"timeline",
         "The fund over time: cumulative releases and the money the fund holds (every region's account plus "
         "the reserve), mean (solid), median (dashed) and the middle 90% of the replications (band)."},
        {"sweep_timeline", "The fund over time at a few points of the sweep (the optimal allocation at each): mean "
                           "cumulative releases and mean money held."},
        {"curves", "What each region does with more money (mean over the optimize replications); dots mark the chosen "
                   "split."},
        {"allocations", "The optimal split next to the simple alternatives."},
        {"sweep", "The optimal value at each point of the sweep, with its 95% band (the table above has the numbers)."},
        {"tornado", "Each parameter moved down and up: how far the optimum moves (the table above has the numbers)."},
        {"compare", "The variants side by side (the table above has the numbers)."},
        {"budget", "P(releases reach the target) at each budget tried, in and out of sample."},
        {"fit_hist", "The data (density histogram) with each fitted density; the best fit by AIC is drawn thickest."},
        {"fit_bins", "Each bin's observed share (bars) and the share each fitted family gives it (points); the best "
                     "fit by AIC is drawn thickest."},
        {"fit_qq", "Fitted quantiles against the data's: a good fit keeps to the dashed line y = x."},
        {"fit_km", "The Kaplan-Meier estimate of the share of durations still running (steps, 95% interval dashed) "
                   "with each fitted survival curve; the best fit by AIC is drawn thickest."},
    };
    for (size_t i = 0; i < sizeof cap / sizeof cap[0]; i++)
        if (!strcmp(name, cap[i][0]))
            return cap[i][1];
    return "";
}

void html_charts(hdoc *h, const charts_list *charts)
{
    if (!charts->n)
        return;
    fprintf(h->f, "<h2>Charts</h2>\n");
    for (size_t i = 0; i < charts->n; i++) {
        fprintf(h->f, "<figure id=\"%s\">\n", charts->names[i]);
        inline_svg(h, charts->names[i]);
        fprintf(
            h->f,
            "<figcaption>%s <a href=\"%s.png\">PNG</a> &middot; <a href=\"%s.gp\">script</a></figcaption></figure>\n",
            caption(charts->names[i]), charts->names[i], charts->names[i]);
    }
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void html_files(hdoc *h)
{
    DIR *d = opendir(outdir_file(h->o, "."));
    char *names[512];
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < sizeof names / sizeof names[0];) {
        const char *nm = e->d_name;
        size_t len = strlen(nm);
        /* dot files (the results marker), and temporary files */
        if (nm[0] == '.' || strstr(nm, ".tmp") || nm[len - 1] == '~')
            continue;
        if ((names[n] = strdup(nm)))
            n++;
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    fprintf(h->f, "<h2>Files</h2>\n<p id=\"files\"><small>In this directory:");
    for (size_t i = 0; i < n; i++) {
        fprintf(h->f, "%s <a href=\"", i ? "," : "");
        h_esc(h->f, names[i]);
        fprintf(h->f, "\">");
        h_esc(h->f, names[i]);
        fprintf(h->f, "</a>");
        free(names[i]);
    }
    fprintf(h->f, ".</small></p>\n");
}

void html_head(hdoc *h, const char *title, const char *heading, const char *extra_css)
{
    fprintf(h->f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    h_esc(h->f, title);
    fprintf(
        h->f,
        "</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;"
        "text-align:right}th:first-child,td:first-child{text-align:left}small,.notes{color:#666}"
        ".brief{font-size:1.15em;line-height:1.5;background:#f4f7fb;padding:0.8em 1em;border-left:4px solid #3a6ea5}"
        "figure{margin:2em 0}figcaption{color:#444}.missing{color:#a33}svg{max-width:100%%;height:auto}%s"
        "</style></head><body>\n<h1>",
        extra_css ? extra_css : "");
    h_esc(h->f, heading);
    fprintf(h->f, "</h1>\n");
}

/* The totals of e: releases with percentiles and P(target), USD spent, ratios. */
static void write_releases(hdoc *h, const json_t *e, const char *which)
{
    FILE *f = h->f;
    fprintf(f, "<h2>Releases &mdash; ");
    h_esc(f, which);
    fprintf(f, "</h2>\n<table><tr><th>total releases</th><td>");
    h_est(h, e, "releases", 1, "no replication");
    fprintf(f, "</td></tr>");
    if (json_object_get(json_object_get(e, "releases"), "p05")) {
        fprintf(f, "<tr><th>5th / 50th / 95th percentile</th><td>");
        h_val(h, h_num(e, "releases.p05"), 0, "no replication");
        fputs(" / ", f);
        h_val(h, h_num(e, "releases.p50"), 0, "no replication");
        fputs(" / ", f);
        h_val(h, h_num(e, "releases.p95"), 0, "no replication");
        fprintf(f, "</td></tr>");
    }
    if (isfinite(h_num(e, "releases.p_target"))) {
        char t[64];
        fprintf(f, "<tr><th>P(releases &ge; %s)</th><td>", h_fmt(t, sizeof t, h_num(e, "releases.target"), 0));
        h_prob(h, h_num(e, "releases.p_target"), h_num(e, "releases.p_target_ci95.0"),
               h_num(e, "releases.p_target_ci95.1"), "no target");
        fprintf(f, "</td></tr>");
    }
    fprintf(f, "<tr><th>USD spent</th><td>");
    h_est(h, e, "spent_usd", 0, "no replication");
    fprintf(f, "</td></tr><tr><th>cost per release (USD)</th>");
    h_cell(h, h_num(e, "cost_per_release_usd"), 0, "no release, so no cost per release");
    fprintf(f, "</tr><tr><th>days in detention per release</th>");
    h_cell(h, h_num(e, "days_in_detention_mean"), 1, "no release, so no time to release");
    fprintf(f, "</tr></table>\n");
    hdoc_notes(h);
}

/* One row per region. */
static void write_regions(hdoc *h, const json_t *e)
{
    FILE *f = h->f;
    int pooled = json_is_true(json_object_get(e, "pooled"));
    fprintf(f, "<table><tr><th>region</th><th>allocated USD</th><th>releases</th><th>USD spent</th>"
               "<th>cost per release (USD)</th><th>fundable cases</th><th>days in detention</th></tr>\n");
    const char *key;
    json_t *g;
    json_object_foreach(json_object_get(e, "regions"), key, g)
    {
        fprintf(f, "<tr><td>");
        h_esc(f, h_label(g, key));
        fprintf(f, "</td>");
        h_cell(h, pooled ? NAN : h_num(g, "allocated_usd"), 0,
               "pooled fund: one account holds the whole budget for every region");
        fprintf(f, "<td>");
        h_mean_ci(h, h_num(g, "releases_mean"), h_num(g, "releases_ci95.0"), h_num(g, "releases_ci95.1"), 1,
                  "no replication");
        fprintf(f, "</td>");
        h_cell(h, h_num(g, "spent_usd_mean"), 0, "no replication");
        h_cell(h, h_num(g, "cost_per_release_usd"), 0, "no release, so no cost per release");
        h_cell(h, h_num(g, "fundable_mean"), 1, "no replication");
        h_cell(h, h_num(g, "days_in_detention_mean"), 1, "no release, so no time to release");
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    hdoc_notes(h);
}

static void money_row(hdoc *h, const json_t *o)
{
    h_cell(h, h_num(o, "paid_usd_mean"), 0, "no replication");
    h_cell(h, h_num(o, "refunded_usd_mean"), 0, "no replication");
    h_cell(h, h_num(o, "balance_end_usd_mean"), 0, "no replication");
    h_cell(h, h_num(o, "unpaid_fundable_mean"), 1, "no replication");
    h_cell(h, h_num(o, "days_waited_mean"), 1, "no case paid, so no wait");
    fprintf(h->f, "</tr>\n");
}

/* DESIGN §7: the money over the horizon, per region and in total. */
static void write_money(hdoc *h, const json_t *e)
{
    if (!json_object_get(e, "paid_usd_mean"))
        return;
    fprintf(h->f, "<h3>Money over the horizon</h3>\n<p>Means over the replications. The balance at the end is what "
                  "the accounts hold on the last day (the total adds the fund's unallocated reserve); unpaid fundable "
                  "cases could have been paid but were not (money short, removed or timed out while waiting, or no "
                  "posting day left); days waited run from a case being ready to its payment.</p>\n"
                  "<table><tr><th>region</th><th>USD paid</th><th>USD refunded</th><th>balance at the end (USD)</th>"
                  "<th>unpaid fundable cases</th><th>days waited</th></tr>\n");
    const char *key;
    json_t *g;
    json_object_foreach(json_object_get(e, "regions"), key, g)
    {
        fprintf(h->f, "<tr><td>");
        h_esc(h->f, h_label(g, key));
        fprintf(h->f, "</td>");
        money_row(h, g);
    }
    fprintf(h->f, "<tr><td>total</td>");
    money_row(h, e);
    fprintf(h->f, "</table>\n");
    hdoc_notes(h);
}

void html_evaluated(hdoc *h, const json_t *e, const char *which)
{
    write_releases(h, e, which);
    write_regions(h, e);
    write_money(h, e);
}

/* optimize: the optimal split beside the baselines, VSS, EVPI and the gap. */
static void write_baselines(hdoc *h, const scenario *s, const json_t *sum)
{
    const json_t *base = json_object_get(sum, "baselines");
    if (!base)
        return;
    FILE *f = h->f;
    const char *key;
    json_t *g;
    fprintf(f,
            "<h2>Optimal split and baselines</h2>\n<p>Objective: %s, evaluated out of sample on the same "
            "replications (paired).</p>\n<table><tr><th>allocation</th>",
            scenario_objective_name(s->objective));
    for (size_t c = 0; c < s->nregions; c++) {
        fprintf(f, "<th>");
        h_esc(f, s->regions[c].label);
        fprintf(f, " (USD)</th>");
    }
    fprintf(f, "<th>value</th><th>minus optimal</th></tr>\n<tr><td>optimal</td>");
    const json_t *opt = json_object_get(sum, "optimal");
    for (size_t c = 0; c < s->nregions; c++)
        h_cell(h, h_num(json_object_get(opt, "allocation"), s->regions[c].name), 0, "not in summary.json");
    fprintf(f, "<td>");
    h_est(h, opt, "out_of_sample", 2, "no replication");
    fprintf(f, "</td><td></td></tr>\n");
    json_object_foreach((json_t *)base, key, g)
    {
        fprintf(f, "<tr><td>%s%s</td>", key,
                json_is_false(json_object_get(g, "feasible"))
                    ? " <small>(infeasible: breaks a share bound, evaluated all the same)</small>"
                    : "");
        for (size_t c = 0; c < s->nregions; c++)
            h_cell(h, h_num(json_object_get(g, "allocation"), s->regions[c].name), 0, "not in summary.json");
        fprintf(f, "<td>");
        h_est(h, g, "value", 2, "no replication");
        fprintf(f, "</td><td>");
        h_est(h, g, "difference_to_optimal", 2, "no replication");
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n<table><tr><th>value of the stochastic solution (VSS)</th><td>");
    h_est(h, sum, "vss", 2, "undefined for this objective or run (see summary.json)");
    fprintf(f, "</td></tr><tr><th>expected value of perfect information (EVPI)</th><td>");
    h_est(h, sum, "evpi", 2, "undefined for this objective or run (see summary.json)");
    const char *gm = json_string_value(json_object_get(sum, "gap_method"));
    fprintf(f, "</td></tr><tr><th>optimality gap (%s)</th><td>",
            gm && !strcmp(gm, "a2rp") ? "A2RP" : "Mak&ndash;Morton&ndash;Wood");
    h_est(h, sum, "gap.gap", 2, "not estimated (--gap none, or see summary.json)");
    fprintf(f, "</td></tr><tr><th>marginal value per extra USD 1,000</th>");
    h_cell(h, h_num(sum, "marginal_objective_per_1000_usd"), 3, "the budget is at its largest grid point");
    fprintf(f, "</tr></table>\n");
    hdoc_notes(h);
}

/* The run in one line: what was fixed, and what the command varied. */
static void write_run(hdoc *h, const scenario *s, const json_t *sum, const char *cmd)
{
    char b[64], b2[64];
    FILE *f = h->f;
    const json_t *sw = json_object_get(sum, "sweep"), *bud = json_object_get(sum, "budget");
    fprintf(f, "<p>");
    if (sw && !strcmp(json_string_value(json_object_get(sw, "parameter")), "budget_usd")) {
        size_t n = json_array_size(json_object_get(sw, "points"));
        fprintf(f, "Budget from %s to %s (%zu points)", h_usd(b, sizeof b, h_num(sw, "points.0.x")),
                h_usd(b2, sizeof b2, n ? h_num(json_array_get(json_object_get(sw, "points"), n - 1), "x") : NAN), n);
    } else if (bud) {
        fprintf(f, "Budgets tried: multiples of %s up to %s", h_usd(b, sizeof b, h_num(bud, "granularity_usd")),
                h_usd(b2, sizeof b2, h_num(bud, "max_budget_usd")));
    } else {
        fprintf(f, "Budget %s", h_usd(b, sizeof b, s->budget_usd));
    }
    fprintf(f, " over %s days; policy %s%s; objective %s; %ld replications per stream; seed %llu. %s</p>\n",
            h_fmt(b, sizeof b, s->horizon_days, 0), scenario_policy_name(s->policy),
            !strcmp(cmd, "compare") ? " (unless a variant names another)" : "", scenario_objective_name(s->objective),
            s->replications, (unsigned long long)s->seed,
            s->replications < 2 ? "With 1 replication, confidence intervals are undefined and none are shown."
                                : "Figures in brackets are 95% confidence intervals.");
}

int html_report(outdir *o, const scenario *s, const json_t *sum, const charts_list *charts, fz_error *err)
{
    hdoc h = {.o = o, .f = outdir_open(o, "report.html", err)};
    if (!h.f)
        return FZ_ERUNTIME;
    const char *cmd = json_string_value(json_object_get(sum, "command"));
    cmd = cmd ? cmd : "run";
    char title[512];
    snprintf(title, sizeof title, "fianza %s: %s", cmd, s->name);
    html_head(&h, title, title, NULL);
    html_brief(&h, s, sum);
    write_run(&h, s, sum, cmd);
    if (json_object_get(sum, "sweep")) {
        html_sweep(&h, s, sum);
    } else if (json_object_get(sum, "tornado")) {
        html_tornado(&h, sum);
    } else if (json_object_get(sum, "variants")) {
        html_compare(&h, s, sum);
    } else if (json_object_get(sum, "budget")) {
        html_budget(&h, s, sum);
    } else {
        html_evaluated(&h, sum, json_object_get(sum, "optimal") ? "optimal allocation" : "the allocation given");
        write_baselines(&h, s, sum);
    }
    html_charts(&h, charts);
    html_files(&h);
    fprintf(h.f, "</body></html>\n");
    return outdir_close(h.f, "report.html", err);
}
