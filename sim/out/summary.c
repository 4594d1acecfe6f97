/* summary: summary.json, CSV files and terminal tables (summary.h). */
#include "summary.h"

#include "cv_out.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixed.h"

json_t *summary_header_json(const scenario *s, const char *command, size_t n_optimize, size_t n_evaluate)
{
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:f, s:f, s:{s:I, s:I}}", "scenario", s->name, "command", command,
                     "seed", (json_int_t)s->seed, "policy", scenario_policy_name(s->policy), "objective",
                     scenario_objective_name(s->objective), "budget_usd", s->budget_usd, "horizon_days",
                     s->horizon_days, "replications", "optimize", (json_int_t)n_optimize, "evaluate",
                     (json_int_t)n_evaluate);
}

json_t *summary_allocation_json(const scenario *s, const double *alloc)
{
    json_t *o = json_object();
    for (size_t c = 0; c < s->nregions; c++)
        json_object_set_new(o, s->regions[c].name, json_guard_num(alloc[c]));
    return o;
}

static json_t *num_or_null(double x) { return isfinite(x) ? json_real(x) : json_null(); }

/* [lo, hi], or null when the interval is undefined (fewer than 2 replications). */
static json_t *ci_or_null(double mean, double half)
{
    return isfinite(mean) && isfinite(half) ? json_pack("[f, f]", mean - half, mean + half) : json_null();
}

json_t *summary_mean_ci_json(const stat_acc *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "mean", json_guard_num(a->mean));
    json_object_set_new(o, "ci95", ci_or_null(a->mean, stat_ci95_half(a)));
    json_object_set_new(o, "sd", num_or_null(stat_sd(a)));
    return o;
}

char *summary_ci_text(char *buf, size_t size, double mean, double lo, double hi, int digits, int sign)
{
    mean += 0.0, lo += 0.0, hi += 0.0; /* -0 + 0 is +0: "0.00", never "-0.00" */
    if (!isfinite(mean))
        snprintf(buf, size, "n/a");
    else if (!isfinite(lo) || !isfinite(hi))
        snprintf(buf, size, sign ? "%+.*f [CI n/a]" : "%.*f [CI n/a]", digits, mean);
    else
        snprintf(buf, size, sign ? "%+.*f [%+.*f, %+.*f]" : "%.*f [%.*f, %.*f]", digits, mean, digits, lo, digits, hi);
    return buf;
}

/* One probability for people: 3 decimals, except a value that would round
 * to 0.000 or 1.000 without being 0 or 1 (a Wilson bound after 0 hits in
 * 10,000: 0.0004), which keeps one significant digit, so that an interval
 * never reads [0.000, 0.000] when it is not a point. */
static void prob_num(char *buf, size_t size, double x)
{
    if (x > 0 && x < 0.0005)
        snprintf(buf, size, "%.1g", x);
    else if (x < 1 && x >= 0.9995)
        snprintf(buf, size, "1-%.1g", 1 - x);
    else
        snprintf(buf, size, "%.3f", x);
}

char *summary_prob_text(char *buf, size_t size, double p, double lo, double hi)
{
    char a[32], b[32], c[32];
    if (!isfinite(p))
        snprintf(buf, size, "n/a");
    else if (!isfinite(lo) || !isfinite(hi))
        prob_num(a, sizeof a, p), snprintf(buf, size, "%s [CI n/a]", a);
    else
        prob_num(a, sizeof a, p), prob_num(b, sizeof b, lo), prob_num(c, sizeof c, hi),
            snprintf(buf, size, "%s [%s, %s]", a, b, c);
    return buf;
}

void summary_print_ci_note(FILE *f, size_t nreps)
{
    if (nreps < 2)
        fprintf(f,
                "n/a: with %zu replication, standard deviations and 95%% confidence intervals are undefined "
                "(null in summary.json); use --replications 2 or more for them\n",
                nreps);
}

/* The DESIGN §7 money keys: paid (gross, = spent), refunded within H,
 * balance at H, fundable cases left unpaid, days waited per paid case
 * (null without releases: no case was paid, no wait to average). */
static void money_json(json_t *o, const stat_acc *paid, const stat_acc *refunded, const stat_acc *balance,
                       const stat_acc *unpaid, double waited)
{
    json_object_set_new(o, "paid_usd_mean", json_guard_num(paid->mean));
    json_object_set_new(o, "refunded_usd_mean", json_guard_num(refunded->mean));
    json_object_set_new(o, "balance_end_usd_mean", json_guard_num(balance->mean));
    json_object_set_new(o, "unpaid_fundable_mean", json_guard_num(unpaid->mean));
    json_object_set_new(o, "days_waited_mean", num_or_null(waited));
}

double summary_unallocated(const scenario *s, const double *alloc)
{
    if (!alloc)
        return 0;
    double sum = 0;
    for (size_t c = 0; c < s->nregions; c++)
        sum += alloc[c];
    return s->budget_usd - sum > 0 ? s->budget_usd - sum : 0; /* never -0 or a rounding overshoot */
}

int summary_feasible(const scenario *s, const double *alloc)
{
    const double step = s->granularity_usd > 0 ? s->granularity_usd : 1;
    for (size_t c = 0; c < s->nregions; c++) {
        double x = alloc[c] / step, lo = s->regions[c].min_share * s->budget_usd / step,
               hi = s->regions[c].max_share * s->budget_usd / step;
        if (!(x >= lo - SCENARIO_GRID_EPS && x <= hi + SCENARIO_GRID_EPS))
            return 0;
    }
    return 1;
}

void summary_p_target_json(json_t *rel, const scenario *s, const eval_result *r, size_t k)
{
    if (!(s->target_releases > 0))
        return;
    const double n = (double)r->nreps, hits = r->allocs[k].reach_target;
    double lo, hi;
    stat_wilson(hits, n, &lo, &hi);
    json_object_set_new(rel, "target", json_real(s->target_releases));
    /* issue 16: p_target and p_target_ci95 are the reported estimator's
     * (p_target_estimator); the plain ones stay in p_target_plain */
    cv_report c = cv_out_p_target(r, k);
    json_t *plain = json_pack("{s:f, s:o}", "p_target", n > 0 ? hits / n : 0, "p_target_ci95",
                              json_guard_pair_or_null(lo, hi));
    if (!c.reason) {
        lo = c.est.lo, hi = c.est.hi;
        json_object_set_new(rel, "p_target", json_real(c.est.value));
    } else
        json_object_set_new(rel, "p_target", json_real(n > 0 ? hits / n : 0));
    json_object_set_new(rel, "p_target_ci95", json_guard_pair_or_null(lo, hi));
    json_object_set_new(rel, "p_target_estimator", json_string(c.reason ? "plain" : "control_variate"));
    if (c.reason) {
        json_object_set_new(rel, "p_target_estimator_reason", json_string(c.reason));
        json_decref(plain);
    } else
        json_object_set_new(rel, "p_target_plain", plain);
}

char *summary_p_target_text(char *buf, size_t size, const eval_result *r, size_t k)
{
    cv_report c = cv_out_p_target(r, k); /* issue 16: the reported estimator */
    return summary_prob_text(buf, size, c.est.value, c.est.lo, c.est.hi);
}

json_t *summary_eval_json(const scenario *s, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    json_t *rel = summary_mean_ci_json(&a->releases);
    json_object_set_new(rel, "p05", num_or_null(tally_quantile(&a->dist, 0.05)));
    json_object_set_new(rel, "p50", num_or_null(tally_quantile(&a->dist, 0.50)));
    json_object_set_new(rel, "p95", num_or_null(tally_quantile(&a->dist, 0.95)));
    summary_p_target_json(rel, s, r, k);
    double rel_sum = 0, det_sum = 0;
    json_t *regions = json_object();
    for (size_t c = 0; c < r->nregions; c++) {
        const eval_region *g = &a->regions[c];
        double h = stat_ci95_half(&g->releases);
        rel_sum += g->releases.mean * g->releases.n;
        det_sum += g->detention_days_sum;
        json_t *jr =
            json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "label", s->regions[c].label, "allocated_usd",
                      json_guard_num(a->alloc[c]), "releases_mean", json_guard_num(g->releases.mean), "releases_ci95",
                      ci_or_null(g->releases.mean, h), "spent_usd_mean", json_guard_num(g->spent.mean), "fundable_mean",
                      json_guard_num(g->fundable.mean), "freedom_days_mean", json_guard_num(g->freedom_days.mean));
        json_object_set_new(jr, "days_in_detention_mean", num_or_null(eval_detention_mean(r, k, c)));
        json_object_set_new(jr, "cost_per_release_usd",
                            num_or_null(g->releases.mean > 0 ? g->spent.mean / g->releases.mean : NAN));
        money_json(jr, &g->spent, &g->refunded, &g->balance_end, &g->unpaid, eval_waited_mean(r, k, c));
        json_object_set_new(regions, s->regions[c].name, jr);
    }
    json_t *out =
        json_pack("{s:o, s:o, s:o, s:o}", "allocation", summary_allocation_json(s, a->alloc), "releases", rel,
                  "spent_usd", summary_mean_ci_json(&a->spent), "freedom_days", summary_mean_ci_json(&a->freedom_days));
    json_object_set_new(out, "cost_per_release_usd",
                        num_or_null(a->releases.mean > 0 ? a->spent.mean / a->releases.mean : NAN));
    json_object_set_new(out, "days_in_detention_mean", num_or_null(rel_sum > 0 ? det_sum / rel_sum : NAN));
    json_object_set_new(out, "unallocated_usd", json_guard_num(summary_unallocated(s, a->pooled ? NULL : a->alloc)));
    money_json(out, &a->spent, &a->refunded, &a->balance_end, &a->unpaid, eval_waited_mean(r, k, SIZE_MAX));
    json_object_set_new(out, "regions", regions);
    cv_out_json(rel, out, s, r, k); /* issue 16: releases.mean and ci95 are the reported estimator's */
    return out;
}

int summary_write_json(outdir *o, const char *name, json_t *doc, fz_error *err)
{
    if (json_guard_check(doc, name, err)) /* finite numbers or explicit nulls only */
        return FZ_ERUNTIME;
    FILE *f = outdir_open(o, name, err);
    if (!f)
        return FZ_ERUNTIME;
    int bad = json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) != 0;
    fputc('\n', f);
    int rc = outdir_close(f, name, err);
    if (!rc && bad)
        rc = fz_fail(err, FZ_ERUNTIME, "%s: JSON write failed", name);
    return rc;
}

void summary_csv_text(FILE *f, const char *text)
{
    fputc('"', f);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

char *summary_csv_column(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s", name);
    for (char *p = buf; *p; p++)
        if (*p == '.' || *p == '-')
            *p = '_';
    return buf;
}

/* allocation.csv: a row per region, then the row "unallocated" (the budget
 * the split leaves over), so allocated_usd sums to the budget and share to
 * 1.  Share is empty with no budget; a pooled fund (alloc NULL) has no
 * split: its region cells are empty and nothing is unallocated. */
int summary_allocation_csv(outdir *o, const scenario *s, const double *alloc, fz_error *err)
{
    FILE *f = outdir_open(o, "allocation.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    const double b = s->budget_usd, left = summary_unallocated(s, alloc);
    fprintf(f, "region,region_label,allocated_usd,share\n");
    for (size_t c = 0; c <= s->nregions; c++) {
        const int last = c == s->nregions;
        fprintf(f, "%s,", last ? SUMMARY_UNALLOCATED : s->regions[c].name);
        summary_csv_text(f, last ? "money left unallocated" : s->regions[c].label);
        double x = last ? left : alloc ? alloc[c] : NAN;
        if (isfinite(x))
            fprintf(f, ",%.2f,", x);
        else
            fputs(",,", f);
        if (isfinite(x) && b > 0)
            fprintf(f, "%.6f", x / b);
        fputc('\n', f);
    }
    return outdir_close(f, "allocation.csv", err);
}

/* replications.csv, formatted by hand (fixed.h: byte for byte what
 * fprintf's "%.2f" and "%.4f" wrote, ~30x cheaper) into texts written once
 * per block.  The cells that repeat on every replication
 * (allocation, region, allocated_usd; the label) are formatted once per
 * block. */

struct summary_reps {
    FILE *f;
    const scenario *s;
    const char *const *names;
    struct reps_text *text; /* per formatting thread (summary_reps_block) */
    size_t ntext;
    char **prefix;  /* per allocation and region: ",allocation,region,allocated_usd," */
    char **label;   /* per region: the quoted label and the newline */
    size_t nprefix; /* allocations formatted in prefix */
};

/* "text" with inner quotes doubled (as summary_csv_text), malloc'd. */
static char *csv_quoted(const char *text, const char *end)
{
    size_t n = 3 + strlen(end);
    for (const char *p = text; *p; p++)
        n += 1 + (*p == '"');
    char *out = malloc(n), *q = out;
    if (!out)
        return NULL;
    *q++ = '"';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            *q++ = '"';
        *q++ = *p;
    }
    *q++ = '"';
    strcpy(q, end);
    return out;
}

static void reps_free_cells(summary_reps *w)
{
    for (size_t j = 0; w->prefix && j < w->nprefix * w->s->nregions; j++)
        free(w->prefix[j]);
    free(w->prefix);
    w->prefix = NULL;
    w->nprefix = 0;
}

int summary_reps_open(summary_reps **out, outdir *o, const scenario *s, const char *const *names, fz_error *err)
{
    summary_reps *w = calloc(1, sizeof *w);
    if (!w || !(w->label = calloc(s->nregions, sizeof *w->label))) {
        free(w);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    w->s = s;
    w->names = names;
    for (size_t c = 0; c < s->nregions; c++)
        if (!(w->label[c] = csv_quoted(s->regions[c].label, "\n"))) {
            summary_reps_close(w, NULL);
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        }
    w->f = outdir_open(o, "replications.csv", err);
    if (!w->f) {
        summary_reps_close(w, NULL);
        return FZ_ERUNTIME;
    }
    fprintf(w->f, "replication,allocation,region,allocated_usd,releases,spent_usd,fundable,"
                  "days_in_detention_mean,freedom_days,region_label\n");
    *out = w;
    return 0;
}

/* The repeated cells of r's allocations (the same r on every block of a
 * run, but formatted again per block: K C short strings). */
static int reps_cells(summary_reps *w, const eval_result *r)
{
    const size_t C = w->s->nregions, K = r->nalloc;
    reps_free_cells(w);
    if (!(w->prefix = calloc(K * C, sizeof *w->prefix)))
        return -1;
    w->nprefix = K;
    for (size_t k = 0; k < K; k++)
        for (size_t c = 0; c < C; c++) {
            char num[FIXED_MAX];
            fixed_fmt(num, r->allocs[k].alloc[c], 2);
            size_t n = strlen(w->names[k]) + strlen(w->s->regions[c].name) + strlen(num) + 5;
            if (!(w->prefix[k * C + c] = malloc(n)))
                return -1;
            snprintf(w->prefix[k * C + c], n, ",%s,%s,%s,", w->names[k], w->s->regions[c].name, num);
        }
    return 0;
}

/* One thread's text: the rows of a range of the block's replications. */
typedef struct reps_text {
    char *buf;
    size_t used, cap;
} reps_text;

static void put(reps_text *t, const char *text)
{
    size_t n = strlen(text);
    memcpy(t->buf + t->used, text, n);
    t->used += n;
}

/* Replications i0 .. i1 - 1 of the block into t (-1: out of memory). */
static int reps_format(const summary_reps *w, reps_text *t, const engine_stats *stats, size_t K, uint64_t first_rep,
                       size_t i0, size_t i1)
{
    const size_t C = w->s->nregions;
    t->used = 0;
    for (size_t i = i0; i < i1; i++) {
        char rep[24];
        fixed_u64(rep, (unsigned long long)(first_rep + i));
        for (size_t k = 0; k < K; k++)
            for (size_t c = 0; c < C; c++) {
                const engine_stats *e = &stats[(i * K + k) * C + c];
                const char *pre = w->prefix[k * C + c], *lab = w->label[c];
                /* the row's longest: its strings, and five numbers with commas */
                size_t need = strlen(rep) + strlen(pre) + strlen(lab) + 5 * (FIXED_MAX + 1);
                if (t->cap - t->used < need) {
                    size_t cap = 2 * t->cap > t->used + need ? 2 * t->cap : t->used + need;
                    char *nb = realloc(t->buf, cap);
                    if (!nb)
                        return -1;
                    t->buf = nb;
                    t->cap = cap;
                }
                char *b = t->buf;
                put(t, rep);
                put(t, pre);
                t->used += fixed_fmt(b + t->used, e->releases, 0);
                b[t->used++] = ',';
                t->used += fixed_fmt(b + t->used, e->spent, 2);
                b[t->used++] = ',';
                t->used += fixed_fmt(b + t->used, e->fundable, 0);
                b[t->used++] = ',';
                if (e->releases > 0) /* else the mean is undefined: an empty cell */
                    t->used += fixed_fmt(b + t->used, e->detention_days / e->releases, 4);
                b[t->used++] = ',';
                t->used += fixed_fmt(b + t->used, e->freedom_days, 4);
                b[t->used++] = ',';
                put(t, lab);
            }
    }
    return 0;
}

/* Issue 16 (2 threads): the block's rows are formatted by OpenMP's threads
 * (--threads sets their number), each a contiguous range of replications
 * into its own text, then written in order: the same bytes as one thread. */
int summary_reps_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                       fz_error *err)
{
    summary_reps *w = ctx;
    const size_t K = r->nalloc;
    if (reps_cells(w, r))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    size_t T = (size_t)omp_get_max_threads();
    T = T < n ? T : n > 0 ? n : 1;
    if (T > w->ntext) {
        reps_text *nt = realloc(w->text, T * sizeof *nt);
        if (!nt)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        memset(nt + w->ntext, 0, (T - w->ntext) * sizeof *nt);
        w->text = nt;
        w->ntext = T;
    }
    int failed = 0;
#pragma omp parallel for num_threads((int)T) schedule(static, 1) reduction(| : failed)
    for (size_t t = 0; t < T; t++)
        failed |= reps_format(w, &w->text[t], stats, K, first_rep, n * t / T, n * (t + 1) / T);
    if (failed)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    int bad = 0;
    for (size_t t = 0; t < T; t++)
        bad |= w->text[t].used && fwrite(w->text[t].buf, 1, w->text[t].used, w->f) != w->text[t].used;
    if (bad || ferror(w->f))
        return fz_fail(err, FZ_ERUNTIME, "replications.csv: write failed (disk full?)");
    return 0;
}

int summary_reps_close(summary_reps *w, fz_error *err)
{
    if (!w)
        return 0;
    int rc = w->f ? outdir_close(w->f, "replications.csv", err) : 0;
    reps_free_cells(w);
    for (size_t c = 0; w->label && c < w->s->nregions; c++)
        free(w->label[c]);
    free(w->label);
    for (size_t t = 0; t < w->ntext; t++)
        free(w->text[t].buf);
    free(w->text);
    free(w);
    return rc;
}

/* A table cell: the number, or "n/a" where it is undefined (no releases). */
static const char *cell(char buf[32], const char *fmt, double v)
{
    if (!isfinite(v))
        return "n/a";
    snprintf(buf, 32, fmt, v);
    return buf;
}

void summary_print_eval(FILE *f, const scenario *s, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    fprintf(f, "%-16s %12s %22s %10s %9s %9s %10s\n", "region", "allocated", "releases (95% CI)", "spent", "cost/rel",
            "fundable", "days det.");
    for (size_t c = 0; c < r->nregions; c++) {
        const eval_region *g = &a->regions[c];
        double h = stat_ci95_half(&g->releases);
        char ci[64];
        summary_ci_text(ci, sizeof ci, g->releases.mean, g->releases.mean - h, g->releases.mean + h, 1, 0);
        char cpr[32], det[32];
        fprintf(f, "%-16.16s %12.0f %22s %10.0f %9s %9.1f %10s\n", s->regions[c].label, a->alloc[c], ci, g->spent.mean,
                cell(cpr, "%.0f", g->releases.mean > 0 ? g->spent.mean / g->releases.mean : NAN), g->fundable.mean,
                cell(det, "%.1f", eval_detention_mean(r, k, c)));
    }
    double h = stat_ci95_half(&a->releases), total = 0;
    for (size_t c = 0; c < r->nregions; c++)
        total += a->alloc[c];
    char ci[64];
    summary_ci_text(ci, sizeof ci, a->releases.mean, a->releases.mean - h, a->releases.mean + h, 1, 0);
    char cpr[32];
    fprintf(f, "%-16s %12.0f %22s %10.0f %9s\n", "total", total, ci, a->spent.mean,
            cell(cpr, "%.0f", a->releases.mean > 0 ? a->spent.mean / a->releases.mean : NAN));
    cv_out_print(f, r, k);
    const double left = summary_unallocated(s, a->pooled ? NULL : a->alloc);
    if (left > 0) /* issue 14: money the split leaves over is stated, not implied */
        fprintf(f, "%-16s %12.0f   (budget %.0f minus the total allocated)\n", SUMMARY_UNALLOCATED, left,
                s->budget_usd);
    int none = !(a->releases.mean > 0);
    for (size_t c = 0; c < r->nregions; c++)
        none |= !(a->regions[c].releases.mean > 0) || !isfinite(eval_detention_mean(r, k, c));
    if (none) /* the reason for the n/a cells above, once under the table */
        fprintf(f, "n/a: nobody was released there in any replication (no money, or no fundable case): no cost per "
                   "release and no days in detention\n");
    fprintf(f, "total releases: p05 %.0f, median %.0f, p95 %.0f", tally_quantile(&a->dist, 0.05),
            tally_quantile(&a->dist, 0.5), tally_quantile(&a->dist, 0.95));
    char pt[80];
    if (s->target_releases > 0)
        fprintf(f, "; P(releases >= %.0f) = %s", s->target_releases, summary_p_target_text(pt, sizeof pt, r, k));
    fprintf(f, "\n");
    summary_print_money(f, s, r, k);
    summary_print_ci_note(f, r->nreps);
}

int summary_shows_ledger(const scenario *s)
{
    for (size_t c = 0; c < s->nregions; c++)
        if (scenario_uses_ledger(s, c))
            return 1;
    return 0;
}

/* One row of the money table; refunded and waited only with a ledger. */
static void money_row(FILE *f, const char *name, int ledger, double paid, double refunded, double balance,
                      double unpaid, double waited)
{
    char w[32];
    fprintf(f, "%-16.16s %12.0f", name, paid);
    if (ledger)
        fprintf(f, " %12.0f", refunded);
    fprintf(f, " %14.0f %15.1f", balance, unpaid);
    if (ledger)
        fprintf(f, " %11s", cell(w, "%.1f", waited));
    fputc('\n', f);
}

void summary_print_money_head(FILE *f, const scenario *s, const char *first)
{
    const int ledger = summary_shows_ledger(s);
    fprintf(f, "%-16s %12s", first, "paid");
    if (ledger)
        fprintf(f, " %12s", "refunded");
    fprintf(f, " %14s %15s", "balance at end", "unpaid fundable");
    if (ledger)
        fprintf(f, " %11s", "days waited");
    fputc('\n', f);
}

void summary_print_money_total(FILE *f, const scenario *s, const eval_result *r, size_t k, const char *name)
{
    const eval_alloc *a = &r->allocs[k];
    money_row(f, name, summary_shows_ledger(s), a->spent.mean, a->refunded.mean, a->balance_end.mean, a->unpaid.mean,
              eval_waited_mean(r, k, SIZE_MAX));
}

void summary_print_money(FILE *f, const scenario *s, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    const int ledger = summary_shows_ledger(s);
    summary_print_money_head(f, s, "money (mean)");
    for (size_t c = 0; c < r->nregions; c++) {
        const eval_region *g = &a->regions[c];
        money_row(f, s->regions[c].label, ledger, g->spent.mean, g->refunded.mean, g->balance_end.mean, g->unpaid.mean,
                  eval_waited_mean(r, k, c));
    }
    if (a->reserve_end != 0)
        fprintf(f, "%-16s %12s%s %14.0f\n", "reserve", "", ledger ? "             " : "", a->reserve_end);
    summary_print_money_total(f, s, r, k, "total");
}
