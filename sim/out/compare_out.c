/* compare_out: compare's paired figures, compare.csv, its chart and table
 * (compare_out.h). */
#include "compare_out.h"
#include "cv_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

compare_acc *compare_acc_new(size_t K, size_t C, int regions_mode)
{
    compare_acc *a = calloc(1, sizeof *a);
    size_t extra = regions_mode ? (K < C ? K : C) : 0;
    if (!a || !(a->pairs = calloc(K * (C + 1) + extra, sizeof *a->pairs))) {
        free(a);
        return NULL;
    }
    a->K = K;
    a->C = C;
    for (size_t k = 0; k < K; k++)
        for (size_t row = 0; row <= C; row++)
            a->pairs[a->npairs++] = (compare_pair){.k = k, .row = row, .k0 = 0, .row0 = row};
    for (size_t k = 0; k < extra; k++)
        a->pairs[a->npairs++] = (compare_pair){.k = k, .row = k, .k0 = 0, .row0 = 0};
    return a;
}

void compare_acc_free(compare_acc *a)
{
    if (a)
        free(a->pairs);
    free(a);
}

/* The four figures of variant k in row (a region, or C: the total, summed
 * in region order as eval sums its totals) of one replication. */
static void figures(const engine_stats *st, size_t K, size_t C, size_t i, size_t k, size_t row, double *x)
{
    x[CMP_REL] = x[CMP_SPENT] = x[CMP_DET] = x[CMP_FUND] = 0;
    for (size_t c = row < C ? row : 0; c < (row < C ? row + 1 : C); c++) {
        const engine_stats *e = &st[(i * K + k) * C + c];
        x[CMP_REL] += e->releases;
        x[CMP_SPENT] += e->spent;
        x[CMP_DET] += e->detention_days;
        x[CMP_FUND] += e->fundable;
    }
}

int compare_acc_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                      fz_error *err)
{
    compare_acc *a = ctx;
    enum { V = 2 * CMP_NV };
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < a->npairs; j++) {
            compare_pair *p = &a->pairs[j];
            double x[V], d[V];
            figures(stats, a->K, a->C, i, p->k, p->row, x);
            figures(stats, a->K, a->C, i, p->k0, p->row0, x + CMP_NV);
            /* multivariate Welford: the same recurrence as stat_cov_add */
            p->n += 1;
            for (int u = 0; u < V; u++) {
                d[u] = x[u] - p->mean[u];
                p->mean[u] += d[u] / p->n;
            }
            for (int u = 0; u < V; u++)
                for (int w = 0; w < V; w++)
                    p->cm[u][w] += d[u] * (x[w] - p->mean[w]);
            stat_add(&p->d_rel, x[CMP_REL] - x[CMP_NV + CMP_REL]);
        }
    return a->reps ? summary_reps_block(a->reps, r, first_rep, n, stats, err) : 0;
}

/* Figure m of the means x (NAN when undefined) and its gradient in x. */
static double metric(const double *x, compare_metric m, double alloc, double months, double *g)
{
    g[0] = g[1] = g[2] = g[3] = 0;
    switch (m) {
    case CMP_M_RELEASES: g[CMP_REL] = 1; return x[CMP_REL];
    case CMP_M_SPENT: g[CMP_SPENT] = 1; return x[CMP_SPENT];
    case CMP_M_COST:
    case CMP_M_DETENTION: {
        int y = m == CMP_M_COST ? CMP_SPENT : CMP_DET;
        if (!(x[CMP_REL] > 0))
            return NAN;
        g[y] = 1 / x[CMP_REL];
        g[CMP_REL] = -x[y] / (x[CMP_REL] * x[CMP_REL]);
        return x[y] / x[CMP_REL];
    }
    case CMP_M_PER_10K:
        if (!(alloc > 0))
            return NAN;
        g[CMP_REL] = 1e4 / alloc;
        return x[CMP_REL] * 1e4 / alloc;
    case CMP_M_FUNDABLE_MONTH:
        if (!(months > 0))
            return NAN;
        g[CMP_FUND] = 1 / months;
        return x[CMP_FUND] / months;
    }
    return NAN;
}

stat_est compare_est(const compare_pair *p, compare_metric m, int diff, double alloc, double alloc0, double months)
{
    enum { V = 2 * CMP_NV };
    double g[V] = {0};
    double v = metric(p->mean, m, alloc, months, g);
    if (diff) {
        if (m == CMP_M_RELEASES) { /* as eval's paired difference: the mean of the differences */
            double h = stat_ci95_half(&p->d_rel);
            return (stat_est){p->d_rel.mean, p->d_rel.mean - h, p->d_rel.mean + h};
        }
        v -= metric(p->mean + CMP_NV, m, alloc0, months, g + CMP_NV);
        for (int u = CMP_NV; u < V; u++)
            g[u] = -g[u];
    }
    if (!isfinite(v))
        return (stat_est){NAN, NAN, NAN};
    /* Var(f(mean)) ~ g' S g / n with S the sample covariance: m2 = g' cm g
     * makes stat_ci95_half give t * sqrt(g' S g / n) */
    double q = 0;
    for (int u = 0; u < V; u++)
        for (int w = 0; w < V; w++)
            q += g[u] * g[w] * p->cm[u][w];
    stat_acc fake = {p->n, v, q > 0 ? q : 0};
    double h = stat_ci95_half(&fake);
    return (stat_est){v, v - h, v + h};
}

static stat_est est_of(const stat_acc *a)
{
    double h = stat_ci95_half(a);
    return (stat_est){a->mean, a->mean - h, a->mean + h};
}

static const stat_est undefined = {NAN, NAN, NAN};

/* a region's controlled mean (its own fundable cases, cv.h), or plain */
static stat_est region_cv(const eval_result *r, const cv_acc *a, size_t c, stat_est plain)
{
    cv_est e = eval_cv(r, a, c);
    return isfinite(e.mean) && isfinite(e.half95) ? (stat_est){e.mean, e.mean - e.half95, e.mean + e.half95} : plain;
}

compare_table *compare_table_new(const scenario *s, const eval_result *r, const compare_acc *acc,
                                 const compare_variant *v)
{
    const size_t K = r->nalloc, C = r->nregions, R = C + 1;
    compare_table *t = calloc(1, sizeof *t);
    if (!t || !(t->rows = calloc(K * R, sizeof *t->rows))) {
        free(t);
        return NULL;
    }
    t->K = K;
    t->C = C;
    t->v = v;
    for (size_t k = 0; k < K; k++) {
        const eval_alloc *a = &r->allocs[k];
        double sum = 0;
        for (size_t c = 0; c < C; c++)
            sum += a->alloc[c];
        for (size_t row = 0; row < R; row++) {
            compare_row *w = &t->rows[k * R + row];
            const compare_pair *p = &acc->pairs[k * R + row];
            const int total = row == C;
            if (total)
                w->allocated = v[k].pooled ? s->budget_usd : sum;
            else
                w->allocated = v[k].pooled ? NAN : a->alloc[row]; /* one account: no split */
            /* an allocation may exceed the budget by rounding (cli_parse_allocation's 1e-12) */
            w->unallocated = !total ? NAN : v[k].pooled ? 0 : fmax(0, s->budget_usd - sum);
            w->releases = est_of(total ? &a->releases : &a->regions[row].releases);
            w->diff = total ? est_of(&a->diff_releases) : compare_est(p, CMP_M_RELEASES, 1, 0, 0, 0);
            w->spent = est_of(total ? &a->spent : &a->regions[row].spent);
            w->cost = compare_est(p, CMP_M_COST, 0, 0, 0, 0);
            w->per10k = compare_est(p, CMP_M_PER_10K, 0, w->allocated, 0, 0);
            w->detention = compare_est(p, CMP_M_DETENTION, 0, 0, 0, 0);
            w->p_target = undefined;
            if (total && s->target_releases > 0 && r->nreps > 0) {
                w->p_target.value = a->reach_target / (double)r->nreps;
                stat_wilson(a->reach_target, (double)r->nreps, &w->p_target.lo, &w->p_target.hi);
            }
            /* issue 16: the control variate where valid (cv_out.c: the paired
             * difference of the totals regressed on the shared controls); a
             * region's paired difference and the ratios (cost, per 10k,
             * detention: delta method) stay plain */
            w->releases_plain = w->releases, w->diff_plain = w->diff, w->spent_plain = w->spent;
            w->p_target_plain = w->p_target;
            if (total) {
                cv_report rel = cv_out_mean(r, w->releases, &a->cv_releases);
                w->cv = !rel.reason;
                w->releases = rel.est;
                w->diff = cv_out_mean(r, w->diff, &a->cv_diff_releases).est;
                w->spent = cv_out_mean(r, w->spent, &a->cv_spent).est;
                if (s->target_releases > 0 && r->nreps > 0)
                    w->p_target = cv_out_p_target(r, k).est;
            } else {
                w->releases = region_cv(r, &a->regions[row].cv_releases, row, w->releases);
                w->cv = w->releases.value != w->releases_plain.value || w->releases.lo != w->releases_plain.lo;
                w->spent = region_cv(r, &a->regions[row].cv_spent, row, w->spent);
            }
        }
    }
    return t;
}

void compare_table_free(compare_table *t)
{
    if (t)
        free(t->rows);
    free(t);
}

void compare_csv_est(FILE *f, stat_est e)
{
    charts_csv_num(f, e.value);
    int ci = isfinite(e.value) && isfinite(e.lo) && isfinite(e.hi);
    charts_csv_num(f, ci ? e.lo : NAN);
    charts_csv_num(f, ci ? e.hi : NAN);
}

static const char *variant_name(const void *t, size_t k) { return ((const compare_table *)t)->v[k].name; }

int compare_write(outdir *dir, const scenario *s, const compare_table *t, charts_list *charts, fz_error *err)
{
    FILE *f = outdir_open(dir, "compare.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    /* region_label last: gnuplot cannot split a field holding a doubled quote
     * (as regions.csv); the chart reads columns before it */
    fprintf(f, "variant_id,variant_name,policy,pooled,region,allocated_usd,unallocated_usd,"
               "releases_mean,releases_ci95_lo,releases_ci95_hi,"
               "releases_diff_to_first_mean,releases_diff_to_first_ci95_lo,releases_diff_to_first_ci95_hi,"
               "spent_usd_mean,spent_usd_ci95_lo,spent_usd_ci95_hi,"
               "cost_per_release_usd,cost_per_release_usd_ci95_lo,cost_per_release_usd_ci95_hi,"
               "releases_per_10k_usd,releases_per_10k_usd_ci95_lo,releases_per_10k_usd_ci95_hi,"
               "days_in_detention_mean,days_in_detention_ci95_lo,days_in_detention_ci95_hi,"
               "p_target,p_target_ci95_lo,p_target_ci95_hi,control_variate,"
               "releases_plain_mean,releases_plain_ci95_lo,releases_plain_ci95_hi,"
               "releases_diff_to_first_plain_mean,releases_diff_to_first_plain_ci95_lo,"
               "releases_diff_to_first_plain_ci95_hi,spent_usd_plain_mean,spent_usd_plain_ci95_lo,"
               "spent_usd_plain_ci95_hi,p_target_plain,p_target_plain_ci95_lo,p_target_plain_ci95_hi,region_label\n");
    for (size_t k = 0; k < t->K; k++)
        for (size_t row = 0; row <= t->C; row++) {
            const compare_row *w = &t->rows[k * (t->C + 1) + row];
            fprintf(f, "%zu,%s,%s,%d,%s", k + 1, t->v[k].name, scenario_policy_name(t->v[k].policy), t->v[k].pooled,
                    row < t->C ? s->regions[row].name : "total");
            charts_csv_num(f, w->allocated);
            charts_csv_num(f, w->unallocated);
            compare_csv_est(f, w->releases);
            compare_csv_est(f, w->diff);
            compare_csv_est(f, w->spent);
            compare_csv_est(f, w->cost);
            compare_csv_est(f, w->per10k);
            compare_csv_est(f, w->detention);
            compare_csv_est(f, w->p_target);
            fprintf(f, ",%d", w->cv);
            compare_csv_est(f, w->releases_plain);
            compare_csv_est(f, w->diff_plain);
            compare_csv_est(f, w->spent_plain);
            compare_csv_est(f, w->p_target_plain);
            fputc(',', f);
            summary_csv_text(f, row < t->C ? s->regions[row].label : "total");
            fputc('\n', f);
        }
    int rc = outdir_close(f, "compare.csv", err);
    char title[300], n[16], rows[16];
    snprintf(title, sizeof title, "%s: %zu variants on the same replications (totals)", s->name, t->K);
    snprintf(n, sizeof n, "%zu", t->K);
    snprintf(rows, sizeof rows, "%zu", t->C + 1);
    char *q = plot_quote(title), *names = charts_quoted_list(t->K, variant_name, t);
    if (!rc && (!q || !names))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var vars[] = {{"TITLE", q}, {"N", n}, {"ROWS", rows}, {"NAMES", names}};
    if (!rc && !(rc = plot_script(dir, "compare", vars, 4, err)) && charts->n < 16)
        charts->names[charts->n++] = "compare";
    free(q);
    free(names);
    return rc;
}

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static json_t *ci(stat_est e)
{
    return isfinite(e.value) && isfinite(e.lo) && isfinite(e.hi) ? json_pack("[f, f]", e.lo, e.hi) : json_null();
}

static json_t *row_json(const compare_row *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "allocated_usd", num(w->allocated));
    json_object_set_new(o, "unallocated_usd", num(w->unallocated));
    const struct {
        const char *key;
        stat_est e;
    } f[] = {{"releases_mean", w->releases},        {"releases_diff_to_first_mean", w->diff},
             {"spent_usd_mean", w->spent},           {"cost_per_release_usd", w->cost},
             {"releases_per_10k_usd", w->per10k},   {"days_in_detention_mean", w->detention},
             {"p_target", w->p_target}};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        char key[96];
        compare_key(key, sizeof key, f[i].key, 0, "_ci95");
        json_object_set_new(o, f[i].key, num(f[i].e.value));
        json_object_set_new(o, key, ci(f[i].e));
    }
    /* issue 16: the plain estimates of the four the control variate may
     * replace (the same keys), and which estimator releases_mean is */
    const struct {
        const char *key;
        stat_est e;
    } g[] = {{"releases_mean", w->releases_plain},
             {"releases_diff_to_first_mean", w->diff_plain},
             {"spent_usd_mean", w->spent_plain},
             {"p_target", w->p_target_plain}};
    json_t *plain = json_object();
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        char key[96];
        compare_key(key, sizeof key, g[i].key, 0, "_ci95");
        json_object_set_new(plain, g[i].key, num(g[i].e.value));
        json_object_set_new(plain, key, ci(g[i].e));
    }
    json_object_set_new(o, "plain", plain);
    json_object_set_new(o, "estimator", json_string(w->cv ? "control_variate" : "plain"));
    /* and under compare.csv's column names (the file and the JSON hold the same numbers) */
    json_object_set_new(o, "control_variate", json_integer(w->cv));
    static const char *const csv_names[] = {"releases_plain_mean", "releases_diff_to_first_plain_mean",
                                            "spent_usd_plain_mean", "p_target_plain"};
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        char key[96];
        compare_key(key, sizeof key, csv_names[i], 0, "_ci95");
        json_object_set_new(o, csv_names[i], num(g[i].e.value));
        json_object_set_new(o, key, ci(g[i].e));
    }
    return o;
}

void compare_json_add(json_t *variant, const scenario *s, const compare_table *t, size_t k)
{
    const compare_row *rows = &t->rows[k * (t->C + 1)];
    json_object_set_new(variant, "name", json_string(t->v[k].name));
    json_object_set_new(variant, "allocated_usd", num(rows[t->C].allocated));
    json_object_set_new(variant, "unallocated_usd", num(rows[t->C].unallocated));
    json_t *regions = json_object();
    for (size_t c = 0; c < t->C; c++)
        json_object_set_new(regions, s->regions[c].name, row_json(&rows[c]));
    json_object_set_new(variant, "compare", json_pack("{s:o, s:o}", "total", row_json(&rows[t->C]), "regions", regions));
}

/* "12.3 [11.9, 12.7]", "n/a" where undefined. */
static const char *est_text(char *buf, size_t size, stat_est e, int digits, int sign)
{
    if (!isfinite(e.value))
        return "n/a";
    return summary_ci_text(buf, size, e.value, e.lo, e.hi, digits, sign);
}

static int name_width(const compare_table *t)
{
    size_t w = 4;
    for (size_t k = 0; k < t->K; k++)
        if (strlen(t->v[k].name) > w)
            w = strlen(t->v[k].name);
    return (int)w;
}

void compare_print(FILE *f, const scenario *s, const compare_table *t, int regions_too)
{
    const size_t C = t->C, R = C + 1;
    const int nw = name_width(t);
    char x[80], y[80];
    fprintf(f, "%-3s %-*s %-15s", "#", nw, "name", "policy");
    for (size_t c = 0; c < C; c++)
        fprintf(f, " %12.12s", s->regions[c].label);
    fprintf(f, " %12s  %-24s %s", "unallocated", "releases (95% CI)", "minus #1 (paired 95% CI)");
    if (s->target_releases > 0)
        fprintf(f, "  P(releases >= %.0f)", s->target_releases);
    fputc('\n', f);
    for (size_t k = 0; k < t->K; k++) {
        const compare_row *w = &t->rows[k * R];
        fprintf(f, "%-3zu %-*s %-15s", k + 1, nw, t->v[k].name, scenario_policy_name(t->v[k].policy));
        for (size_t c = 0; c < C; c++)
            if (t->v[k].pooled)
                fprintf(f, " %12s", c == 0 ? "pooled" : "");
            else
                fprintf(f, " %12.0f", w[c].allocated);
        fprintf(f, " %12.0f  %-24s", w[C].unallocated, est_text(x, sizeof x, w[C].releases, 2, 0));
        if (s->target_releases > 0)
            fprintf(f, " %-24s  %s", k ? est_text(y, sizeof y, w[C].diff, 2, 1) : "",
                    summary_prob_text(x, sizeof x, w[C].p_target.value, w[C].p_target.lo, w[C].p_target.hi));
        else if (k)
            fprintf(f, " %s", est_text(y, sizeof y, w[C].diff, 2, 1));
        fputc('\n', f);
    }
    if (t->K > 0) /* issue 16: which estimator the means and differences are */
        fprintf(f, t->rows[C].cv ? "(releases, minus #1 and P: control variate on fundable cases where valid; the "
                                   "plain ones are in compare.csv and summary.json)\n"
                                 : "(plain means: no control variate in this run)\n");
    if (!regions_too)
        return;
    fprintf(f, "\nper variant and region (means; 95%% CIs; USD/release = spent / releases, rel/10k = releases "
               "per USD 10,000 allocated)\n");
    int none = 0;
    fprintf(f, "%-3s %-14s %-20s %-23s %10s %-20s %7s %s\n", "#", "region", "releases", "minus #1 (paired)",
            "spent USD", "USD/release", "rel/10k", "days in detention");
    for (size_t k = 0; k < t->K; k++)
        for (size_t row = 0; row < R; row++) {
            const compare_row *w = &t->rows[k * R + row];
            char a[80], b[80], c[80], d[80];
            fprintf(f, "%-3zu %-14.14s %-20s %-23s %10.0f %-20s %7s %s\n", k + 1,
                    row < C ? s->regions[row].label : "total", est_text(a, sizeof a, w->releases, 1, 0),
                    k ? est_text(b, sizeof b, w->diff, 1, 1) : "", w->spent.value,
                    est_text(c, sizeof c, w->cost, 0, 0),
                    isfinite(w->per10k.value) ? (snprintf(x, sizeof x, "%.2f", w->per10k.value), x) : "n/a",
                    est_text(d, sizeof d, w->detention, 1, 0));
            none |= !isfinite(w->cost.value) || !isfinite(w->per10k.value) || !isfinite(w->detention.value);
        }
    if (none) /* the reason for the n/a cells above, once under the table */
        fprintf(f, "n/a: nobody was released there in any replication (no money, or no fundable case): no cost per "
                   "release, releases per USD 10,000 or days in detention\n");
}
