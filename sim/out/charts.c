/* charts: chart data and scripts (charts.h). */
#include "charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "summary.h"

char *charts_quoted_list(size_t n, const char *(*item)(const void *ctx, size_t i), const void *ctx)
{
    size_t cap = 16;
    for (size_t c = 0; c < n; c++)
        cap += 2 * strlen(item(ctx, c)) + 6; /* plot_quote at most doubles a character, plus quotes and ", " */
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t c = 0; c < n; c++) {
        char *q = plot_quote(item(ctx, c));
        if (!q) {
            free(out);
            return NULL;
        }
        if (c)
            strcat(out, ", ");
        strcat(out, q);
        free(q);
    }
    return out;
}

static const char *region_name(const void *s, size_t c) { return ((const scenario *)s)->regions[c].name; }
static const char *region_label(const void *s, size_t c) { return ((const scenario *)s)->regions[c].label; }

char *charts_region_list(const scenario *s, int labels)
{
    return charts_quoted_list(s->nregions, labels ? region_label : region_name, s);
}

void charts_csv_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, ",%.10g", x);
    else
        fputc(',', f);
}

static char *title_for(const scenario *s, const char *what)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s: %s", s->name, what);
    return plot_quote(buf);
}

static void add(charts_list *l, const char *name)
{
    if (l->n < sizeof l->names / sizeof *l->names)
        l->names[l->n++] = name;
}

static int write_hist(outdir *o, const eval_result *r, size_t k, double *boxwidth, fz_error *err)
{
    const double *t = r->allocs[k].totals;
    size_t n = r->nreps;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, t[i]);
        hi = fmax(hi, t[i]);
    }
    double w = hi - lo > 60 ? ceil((hi - lo + 1) / 60) : 1; /* at most ~60 bins of whole releases */
    size_t nb = n ? (size_t)((hi - lo) / w) + 1 : 0;
    double *count = calloc(nb ? nb : 1, sizeof *count);
    if (!count)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < n; i++)
        count[(size_t)((t[i] - lo) / w)] += 1;
    FILE *f = outdir_open(o, "releases_hist.csv", err);
    if (!f) {
        free(count);
        return FZ_ERUNTIME;
    }
    fprintf(f, "releases,share\n");
    for (size_t b = 0; b < nb; b++)
        fprintf(f, "%g,%.8f\n", lo + (double)b * w + (w - 1) / 2, count[b] / (double)n);
    free(count);
    *boxwidth = w * 0.9;
    return outdir_close(f, "releases_hist.csv", err);
}

/* ",m,lo,hi": an undefined figure (no money, no releases) or interval (1
 * replication) is an empty cell, never 0 (docs/csv.md); regions.gp draws
 * an undefined figure as no bar and an undefined interval as no error bar. */
static void put3(FILE *f, double m, double lo, double hi)
{
    if (isfinite(m) && isfinite(lo) && isfinite(hi))
        fprintf(f, ",%g,%g,%g", m, lo, hi);
    else if (isfinite(m))
        fprintf(f, ",%g,,", m);
    else
        fprintf(f, ",,,");
}

/* regions.csv: the region id, its figures (regions.gp reads figure p at
 * columns 2 + 3p, 3 + 3p, 4 + 3p), and its label last, quoted per RFC 4180.
 * gnuplot cannot split a field holding a doubled quote, so the label must
 * follow every column the chart reads; regions.gp takes the tick labels
 * from a script array instead. */
static int write_regions(outdir *o, const scenario *s, const eval_result *r, size_t k, fz_error *err)
{
    FILE *f = outdir_open(o, "regions.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "region");
    static const char *const heads[] = {"releases_per_10k_usd", "cost_per_release_usd", "fundable_mean",
                                        "days_in_detention_mean"};
    for (size_t i = 0; i < 4; i++)
        fprintf(f, ",%s,%s_ci95_lo,%s_ci95_hi", heads[i], heads[i], heads[i]);
    fprintf(f, ",region_label\n");
    const eval_alloc *a = &r->allocs[k];
    for (size_t c = 0; c < r->nregions; c++) {
        const eval_region *g = &a->regions[c];
        fprintf(f, "%s", s->regions[c].name);
        double h = stat_ci95_half(&g->releases), x = a->alloc[c], k = x > 0 ? 1e4 / x : NAN;
        put3(f, g->releases.mean * k, (g->releases.mean - h) * k, (g->releases.mean + h) * k);
        double hc, cost = stat_ratio(&g->spent_per_release, &hc);
        put3(f, cost, cost - hc, cost + hc);
        double hf = stat_ci95_half(&g->fundable);
        put3(f, g->fundable.mean, g->fundable.mean - hf, g->fundable.mean + hf);
        double hd, days = stat_ratio(&g->detention_per_release, &hd);
        put3(f, days, days - hd, days + hd);
        fputc(',', f);
        summary_csv_text(f, s->regions[c].label);
        fputc('\n', f);
    }
    return outdir_close(f, "regions.csv", err);
}

static int write_detention(outdir *o, const scenario *s, const eval_result *r, fz_error *err)
{
    FILE *f = outdir_open(o, "detention.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    /* the label last (after the columns detention.gp reads) */
    fprintf(f, "region,days,cdf,region_label\n");
    for (size_t c = 0; c < r->nregions; c++) {
        const double *h = r->days_hist + c * EVAL_DAYS_BINS;
        double total = 0, run = 0;
        for (size_t b = 0; b < EVAL_DAYS_BINS; b++)
            total += h[b];
        /* nobody released: the distribution is undefined, one row with an empty cdf */
        fprintf(f, "%s,0,%s,", s->regions[c].name, total > 0 ? "0" : "");
        summary_csv_text(f, s->regions[c].label);
        fputc('\n', f);
        for (size_t b = 0; b < EVAL_DAYS_BINS && total > 0; b++) {
            if (h[b] == 0)
                continue;
            run += h[b];
            fprintf(f, "%s,%g,%.8f,", s->regions[c].name, (double)(b + 1) * r->days_bin, run / total);
            summary_csv_text(f, s->regions[c].label);
            fputc('\n', f);
        }
    }
    return outdir_close(f, "detention.csv", err);
}

int charts_eval(outdir *o, const scenario *s, const eval_result *r, size_t k, const char *what, charts_list *list,
                fz_error *err)
{
    char mean[64], lo[64], hi[64], p05[64], p95[64], bw[64], n[16], nreps[32];
    double boxwidth = 0.9, h = stat_ci95_half(&r->allocs[k].releases), m = r->allocs[k].releases.mean;
    double *sorted = malloc((r->nreps ? r->nreps : 1) * sizeof *sorted);
    char *title = title_for(s, what), *names = charts_region_list(s, 0), *labels = charts_region_list(s, 1);
    int rc = 0;
    if (!sorted || !title || !names || !labels) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    memcpy(sorted, r->allocs[k].totals, r->nreps * sizeof *sorted);
    stat_sort(sorted, r->nreps);
    snprintf(mean, sizeof mean, "%.17g", m);
    snprintf(lo, sizeof lo, "%.17g", m - h);
    snprintf(hi, sizeof hi, "%.17g", m + h);
    if (!isfinite(h)) /* 1 replication: gnuplot's NaN, and the script draws no CI */
        snprintf(lo, sizeof lo, "NaN"), snprintf(hi, sizeof hi, "NaN");
    snprintf(p05, sizeof p05, "%.17g", stat_quantile_sorted(sorted, r->nreps, 0.05));
    snprintf(p95, sizeof p95, "%.17g", stat_quantile_sorted(sorted, r->nreps, 0.95));
    snprintf(n, sizeof n, "%zu", s->nregions);
    snprintf(nreps, sizeof nreps, "%zu", r->nreps);
    if ((rc = write_hist(o, r, k, &boxwidth, err)))
        goto done;
    snprintf(bw, sizeof bw, "%g", boxwidth);
    plot_var hv[] = {{"TITLE", title}, {"MEAN", mean}, {"LO", lo},       {"HI", hi},
                     {"P05", p05},     {"P95", p95},   {"BOXWIDTH", bw}, {"NREPS", nreps}};
    if ((rc = plot_script(o, "releases_hist", hv, sizeof hv / sizeof *hv, err)))
        goto done;
    add(list, "releases_hist");
    plot_var rv[] = {{"TITLE", title}, {"N", n}, {"LABELS", labels}};
    if ((rc = write_regions(o, s, r, k, err)) || (rc = plot_script(o, "regions", rv, 3, err)))
        goto done;
    add(list, "regions");
    if (k == 0) {
        plot_var dv[] = {{"TITLE", title}, {"N", n}, {"NAMES", names}, {"LABELS", labels}};
        if ((rc = write_detention(o, s, r, err)) || (rc = plot_script(o, "detention", dv, 4, err)))
            goto done;
        add(list, "detention");
    }
done:
    free(sorted);
    free(title);
    free(names);
    free(labels);
    return rc;
}

int charts_optimize(outdir *o, const scenario *s, const optimize_result *r, charts_list *list, fz_error *err)
{
    const size_t C = s->nregions;
    const curve_set *cs = r->curves;
    int freedom = s->objective == OBJ_FREEDOM_DAYS;
    FILE *f = outdir_open(o, "chosen.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "region,allocated_usd,value_at_allocation,region_label\n"); /* label after what curves.gp reads */
    for (size_t c = 0; c < C; c++) {
        size_t i = c * cs->ngrid + (size_t)r->mip.steps[c];
        fprintf(f, "%s,%.2f,%.6f,", s->regions[c].name, r->allocs[c], freedom ? cs->freedom[i] : cs->releases[i]);
        summary_csv_text(f, s->regions[c].label);
        fputc('\n', f);
    }
    int rc = outdir_close(f, "chosen.csv", err);
    if (rc || !(f = outdir_open(o, "allocations.csv", err)))
        return rc ? rc : FZ_ERUNTIME;
    /* one row per allocation (wide by region: the chart reads column c + 1);
     * unallocated_usd after feasible, which allocations.gp reads at n + 2 */
    fprintf(f, "allocation");
    for (size_t c = 0; c < C; c++)
        fprintf(f, ",%s_usd", s->regions[c].name);
    fprintf(f, ",feasible,unallocated_usd\n"); /* feasible 0: breaks a share bound (DESIGN §3), marked on the chart */
    for (size_t k = 0; k < OPT_NALLOC; k++) {
        fprintf(f, "%s", optimize_alloc_names[k]);
        for (size_t c = 0; c < C; c++)
            fprintf(f, ",%.2f", r->allocs[k * C + c]);
        fprintf(f, ",%d,%.2f\n", summary_feasible(s, r->allocs + k * C), summary_unallocated(s, r->allocs + k * C));
    }
    if ((rc = outdir_close(f, "allocations.csv", err)))
        return rc;
    char n[16], *names = charts_region_list(s, 0), *labels = charts_region_list(s, 1);
    char *t1 = title_for(s, freedom ? "days of freedom each region yields for the money it gets (mean; dots: the "
                                      "optimal allocation)"
                                    : "people each region releases for the money it gets (mean; dots: the optimal "
                                      "allocation)");
    char *t2 = title_for(s, "how the budget is split: the optimal allocation and three baselines");
    char *ylabel = plot_quote(freedom ? "mean days of freedom within the horizon (person-days)"
                                      : "mean releases over the horizon (people)");
    snprintf(n, sizeof n, "%zu", C);
    if (!names || !labels || !t1 || !t2 || !ylabel)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else {
        plot_var cv[] = {{"TITLE", t1},      {"N", n},           {"NAMES", names},
                         {"LABELS", labels}, {"YLABEL", ylabel}, {"YCOL", freedom ? "4" : "3"}};
        plot_var av[] = {{"TITLE", t2}, {"N", n}, {"LABELS", labels}};
        if (!(rc = plot_script(o, "curves", cv, 6, err)) && !(rc = plot_script(o, "allocations", av, 3, err))) {
            add(list, "curves");
            add(list, "allocations");
        }
    }
    free(names);
    free(labels);
    free(t1);
    free(t2);
    free(ylabel);
    return rc;
}

int charts_render(outdir *o, const charts_list *list, int no_plots, int quiet, fz_error *err)
{
    return no_plots ? 0 : plot_render(o, list->names, list->n, quiet, err);
}
