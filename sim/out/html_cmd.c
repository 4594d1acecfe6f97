/* html_cmd: the tables that only one command computes (html_parts.h):
 * sweep's points, the tornado, compare's variants, budget's search. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_parts.h"

static void region_heads(FILE *f, const scenario *s)
{
    for (size_t c = 0; c < s->nregions; c++) {
        fprintf(f, "<th>");
        h_esc(f, s->regions[c].label);
        fprintf(f, " (USD)</th>");
    }
}

static void region_cells(hdoc *h, const scenario *s, const json_t *alloc, const char *reason)
{
    for (size_t c = 0; c < s->nregions; c++)
        h_cell(h, h_num(alloc, s->regions[c].name), 0, reason);
}

/* Whether any element of arr has a number at path (a column worth showing). */
static int any_num(const json_t *arr, const char *path)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (isfinite(h_num(e, path))) return 1;
    return 0;
}

void html_sweep(hdoc *h, const scenario *s, const json_t *sum)
{
    FILE *f = h->f;
    const json_t *sw = json_object_get(sum, "sweep"), *pts = json_object_get(sw, "points");
    const char *param = json_string_value(json_object_get(sw, "parameter"));
    int budget = param && !strcmp(param, "budget_usd"), releases = s->objective == OBJ_RELEASES;
    int ptarget = any_num(pts, "p_target"), unalloc = any_num(pts, "unallocated_usd");
    char t[64];
    fprintf(f, "<h2>Sweep: the best split at each point</h2>\n<p>Each point re-optimised on the optimize stream and "
               "evaluated out of sample (the optimum's value with its 95%% CI); the points share common random "
               "numbers.</p>\n<table id=\"sweep\"><tr><th>");
    if (budget)
        fputs("budget (USD)", f);
    else
        h_esc(f, param);
    fputs("</th>", f);
    region_heads(f, s);
    if (unalloc)
        fputs("<th>unallocated (USD)</th>", f);
    if (!releases)
        fprintf(f, "<th>optimal value (%s)</th>", scenario_objective_name(s->objective));
    fputs("<th>releases</th><th>USD spent</th><th>cost per release (USD)</th>", f);
    if (ptarget)
        fprintf(f, "<th>P(releases &ge; %s)</th>", h_fmt(t, sizeof t, h_num(pts, "0.target_releases"), 0));
    fputs("<th>marginal value per USD 1,000</th><th>unpaid fundable cases</th><th>balance at the end (USD)</th>"
          "<th>limited by</th></tr>\n",
          f);
    size_t i;
    json_t *p;
    json_array_foreach(pts, i, p)
    {
        fputs("<tr><td>", f);
        if (budget)
            fputs(h_fmt(t, sizeof t, h_num(p, "x"), 0), f);
        else
            fprintf(f, "%g", h_num(p, "x"));
        fputs("</td>", f);
        region_cells(h, s, json_object_get(p, "allocation"), "not in summary.json");
        if (unalloc)
            h_cell(h, h_num(p, "unallocated_usd"), 0, "not in summary.json");
        if (!releases) {
            fputs("<td>", f);
            h_est(h, p, "value", 2, "no replication");
            fputs("</td>", f);
        }
        fputs("<td>", f);
        h_est(h, p, "releases", 1, "no replication");
        fputs("</td>", f);
        h_cell(h, h_num(p, "spent_usd.mean"), 0, "no replication");
        fputs("<td>", f);
        h_mean_ci(h, h_num(p, "cost_per_release_usd"), h_num(p, "cost_per_release_usd_ci95.0"),
                  h_num(p, "cost_per_release_usd_ci95.1"), 0, "no release, so no cost per release");
        fputs("</td>", f);
        if (ptarget) {
            fputs("<td>", f);
            h_mean_ci(h, h_num(p, "p_target"), h_num(p, "p_target_ci95.0"), h_num(p, "p_target_ci95.1"), 3,
                      "no target at this point");
            fputs("</td>", f);
        }
        h_cell(h, h_num(p, "marginal_objective_per_1000_usd"), 3, "the budget is at its largest grid point");
        h_cell(h, h_num(p, "unpaid_fundable_mean"), 1, "no replication");
        h_cell(h, h_num(p, "balance_end_usd_mean"), 0, "no replication");
        fprintf(f, "<td>%s</td></tr>\n",
                html_limit(h_num(p, "unpaid_fundable_mean"), h_num(p, "balance_end_usd_mean"),
                           budget ? h_num(p, "x") : s->budget_usd));
    }
    fputs("</table>\n", f);
    hdoc_notes(h);
}

void html_tornado(hdoc *h, const json_t *sum)
{
    FILE *f = h->f;
    const json_t *t = json_object_get(sum, "tornado");
    char b[64], c[64];
    fprintf(f,
            "<h2>Tornado: each parameter moved %s%% down and up</h2>\n<p>The optimum at the scenario's values is "
            "%s (",
            h_fmt(b, sizeof b, h_num(t, "percent"), 0), h_fmt(c, sizeof c, h_num(t, "base_value"), 2));
    h_esc(f, json_string_value(json_object_get(t, "value")));
    fprintf(f, "). Each row re-optimises with one parameter moved; ranked by how far a move takes the optimum.</p>\n"
               "<table id=\"tornado\"><tr><th>rank</th><th>parameter</th><th>base</th><th>low</th><th>high</th>"
               "<th>optimum at low</th><th>optimum at high</th><th>swing</th></tr>\n");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(t, "parameters"), i, p)
    {
        fprintf(f, "<tr><td>%zu</td><td>", i + 1);
        h_esc(f, json_string_value(json_object_get(p, "parameter")));
        fprintf(f, "</td><td>%g</td><td>%g</td><td>%g</td>", h_num(p, "base"), h_num(p, "low"), h_num(p, "high"));
        const char *why_lo = json_string_value(json_object_get(p, "low_invalid_reason"));
        const char *why_hi = json_string_value(json_object_get(p, "high_invalid_reason"));
        double lo = h_num(p, "value_low"), hi = h_num(p, "value_high");
        h_cell(h, lo, 2, why_lo ? why_lo : "the scenario rejects this value");
        h_cell(h, hi, 2, why_hi ? why_hi : "the scenario rejects this value");
        h_cell(h, isfinite(lo) && isfinite(hi) ? fabs(hi - lo) : NAN, 2, "one of the two moves is invalid");
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    hdoc_notes(h);
}

void html_compare(hdoc *h, const scenario *s, const json_t *sum)
{
    FILE *f = h->f;
    const json_t *vs = json_object_get(sum, "variants");
    int ptarget = any_num(vs, "releases.p_target");
    char name[160], t[64];
    fprintf(f, "<h2>Variants</h2>\n<p>Every variant on the same replications (common random numbers); differences "
               "are paired, to the first variant.</p>\n<table id=\"variants\"><tr><th>variant</th><th>policy</th>");
    region_heads(f, s);
    fputs("<th>releases</th><th>minus the first</th><th>USD spent</th><th>cost per release (USD)</th>", f);
    if (ptarget)
        fprintf(f, "<th>P(releases &ge; %s)</th>", h_fmt(t, sizeof t, h_num(vs, "0.releases.target"), 0));
    fputs("<th>unpaid fundable cases</th><th>balance at the end (USD)</th><th>limited by</th></tr>\n", f);
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
        int pooled = json_is_true(json_object_get(v, "pooled"));
        fputs("<tr><td>", f);
        h_esc(f, h_variant(name, sizeof name, v));
        fputs("</td><td>", f);
        h_esc(f, json_string_value(json_object_get(v, "policy")));
        fputs(pooled ? ", pooled</td>" : "</td>", f);
        if (pooled)
            for (size_t c = 0; c < s->nregions; c++)
                h_cell(h, NAN, 0, "pooled fund: one account holds the whole budget for every region");
        else
            region_cells(h, s, json_object_get(v, "allocation"), "not in summary.json");
        fputs("<td>", f);
        h_est(h, v, "releases", 1, "no replication");
        fputs("</td><td>", f);
        if (i == 0)
            fputs("(first)", f);
        else
            h_est(h, v, "difference_to_first", 1, "no replication");
        fputs("</td>", f);
        h_cell(h, h_num(v, "spent_usd.mean"), 0, "no replication");
        h_cell(h, h_num(v, "cost_per_release_usd"), 0, "no release, so no cost per release");
        if (ptarget) {
            fputs("<td>", f);
            h_mean_ci(h, h_num(v, "releases.p_target"), h_num(v, "releases.p_target_ci95.0"),
                      h_num(v, "releases.p_target_ci95.1"), 3, "no target");
            fputs("</td>", f);
        }
        h_cell(h, h_num(v, "unpaid_fundable_mean"), 1, "no replication");
        h_cell(h, h_num(v, "balance_end_usd_mean"), 0, "no replication");
        fprintf(f, "<td>%s</td></tr>\n",
                html_limit(h_num(v, "unpaid_fundable_mean"), h_num(v, "balance_end_usd_mean"), s->budget_usd));
    }
    fputs("</table>\n", f);
    hdoc_notes(h);
    /* each variant's own tables, the first open */
    json_array_foreach(vs, i, v)
    {
        fprintf(f, "<details%s><summary>", i == 0 ? " open" : "");
        h_esc(f, h_variant(name, sizeof name, v));
        fputs(": releases, regions and money</summary>\n", f);
        html_evaluated(h, v, name);
        fputs("</details>\n", f);
    }
}

static const json_t *g_points; /* for by_budget (qsort has no context) */

static int by_budget(const void *a, const void *b)
{
    double x = h_num(json_array_get(g_points, *(const size_t *)a), "budget_usd");
    double y = h_num(json_array_get(g_points, *(const size_t *)b), "budget_usd");
    return (x > y) - (x < y);
}

void html_budget(hdoc *h, const scenario *s, const json_t *sum)
{
    FILE *f = h->f;
    const json_t *bud = json_object_get(sum, "budget"), *pts = json_object_get(bud, "points");
    double answer = h_num(bud, "budget_usd");
    char a[64], b[64], c[64], d[64];
    fprintf(f, "<h2>Budgets tried</h2>\n<p>Search: ");
    h_esc(f, json_string_value(json_object_get(bud, "search")));
    fprintf(f,
            "; %s of %s budgets on the grid tried. At each, the split that maximises P(releases &ge; %s) in "
            "sample (optimize stream, %s replications); out of sample on the evaluate stream. Wilson 95%% "
            "intervals.</p>\n<table id=\"budget\"><tr><th>budget (USD)</th>",
            h_fmt(a, sizeof a, h_num(bud, "budgets_tried"), 0), h_fmt(b, sizeof b, h_num(bud, "budgets_on_grid"), 0),
            h_fmt(c, sizeof c, h_num(bud, "releases_target"), 0),
            h_fmt(d, sizeof d, h_num(bud, "model_replications"), 0));
    region_heads(f, s);
    fputs("<th>unallocated (USD)</th><th>P in sample</th><th>P out of sample</th><th></th></tr>\n", f);
    size_t n = json_array_size(pts), *order = malloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; order && i < n; i++)
        order[i] = i;
    g_points = pts;
    if (order)
        qsort(order, n, sizeof *order, by_budget);
    for (size_t k = 0; k < n; k++) {
        const json_t *p = json_array_get(pts, order ? order[k] : k);
        int is_answer = h_num(p, "budget_usd") == answer;
        fprintf(f, "<tr%s><td>%s</td>", is_answer ? " style=\"font-weight:bold\"" : "",
                h_fmt(a, sizeof a, h_num(p, "budget_usd"), 0));
        region_cells(h, s, json_object_get(p, "allocation"), "not in summary.json");
        h_cell(h, h_num(p, "unallocated_usd"), 0, "not in summary.json");
        fputs("<td>", f);
        h_mean_ci(h, h_num(p, "p_in_sample"), h_num(p, "p_in_sample_ci95.0"), h_num(p, "p_in_sample_ci95.1"), 3,
                  "no split at this budget");
        fputs("</td><td>", f);
        h_mean_ci(h, h_num(p, "p_out_of_sample"), h_num(p, "p_out_of_sample_ci95.0"),
                  h_num(p, "p_out_of_sample_ci95.1"), 3, "no split at this budget");
        fprintf(f, "</td><td>%s%s</td></tr>\n", is_answer ? "the answer" : "",
                json_is_false(json_object_get(p, "feasible")) ? " (infeasible)" : "");
    }
    free(order);
    fputs("</table>\n", f);
    hdoc_notes(h);
    if (json_is_true(json_object_get(bud, "reachable"))) {
        snprintf(b, sizeof b, "the answer's split at %s", h_usd(a, sizeof a, answer));
    } else {
        snprintf(b, sizeof b, "the best split at %s (the largest budget)",
                 h_usd(a, sizeof a, h_num(bud, "max_budget_usd")));
    }
    html_evaluated(h, sum, b);
}
