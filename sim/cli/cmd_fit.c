/* fianza fit: fit the scenario families to a CSV column (DESIGN §5), rank
 * them and print the line to paste into a scenario.
 *
 * The column is read by csvcol, the reader empirical(...) uses, so the two
 * read a file the same way; cells that are empty or not numbers are counted
 * and reported, never read as 0.  Values outside [--min, --max] are left
 * out and counted, and the families are fitted truncated to that range (the
 * conditional distribution).  Amounts and durations are non-negative: without
 * --min a negative value is an error naming its file:line, and the normal is
 * fitted truncated at 0, since a scenario accepts it only with min=0.
 *
 * Writes DIR (-o, default results/CSV_NAME): summary.json (ranked fits),
 * fit.csv, fit_hist/fit_qq charts (data CSVs, gnuplot scripts, PNG/SVG) and
 * report.html, whole or not at all. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "csvcol.h"
#include "cmd_fit_util.h"
#include "cmds.h"
#include "dist.h"
#include "fit.h"
#include "fz_util.h"
#include "plot.h"
#include "summary.h"
#include "stats.h"

typedef struct fit_run {
    const char *path, *column;
    csvcol col;
    double *x;  /* values used, file order */
    long *line; /* their lines */
    size_t n, below, above;
    fit_options opt;
    fit_result res[FIT_NFAMILIES];
    size_t nfit;
    char text[FIT_NFAMILIES][256];     /* scenario syntax of each fit */
    char unusable[FIT_NFAMILIES][256]; /* dist_parse's objection, if any */
    int best;                          /* index in res of the best usable fit, -1 if none */
} fit_run;

static const char *range_text(const fit_run *r, char *buf, size_t size)
{
    return cmd_fit_range_text(&r->opt, buf, size);
}

/* Reads, filters and checks the data; every refusal names file:line. */
static int load(fit_run *r, const cli_opts *o, fz_error *err)
{
    if (!o->column)
        return fz_fail(err, FZ_EINPUT, "fit: expected --column NAME (the CSV column to fit)");
    int rc = cmd_fit_range(o, &r->opt, err);
    if (rc)
        return rc;
    r->path = o->scenario_path;
    r->column = o->column;
    rc = csvcol_read_flags(&r->col, r->path, r->column, CSVCOL_LINES | CSVCOL_SKIP_NONNUMERIC, err);
    if (rc)
        return rc;
    const csvcol *c = &r->col;
    if (c->n == 0) {
        long line = c->first_empty_line ? c->first_empty_line : c->first_nonnumeric_line ? c->first_nonnumeric_line : 1;
        if (c->n_rows == 0)
            return fz_fail(err, FZ_EINPUT, "%s:1: no data rows below the header: nothing to fit", r->path);
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld: column '%s' holds no numbers (%zu empty cells, %zu not numbers): "
                       "nothing to fit",
                       r->path, line, r->column, c->n_empty, c->n_nonnumeric);
    }
    r->x = malloc(c->n * sizeof *r->x);
    r->line = malloc(c->n * sizeof *r->line);
    if (!r->x || !r->line)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        double v = c->values[i];
        if (v < 0 && !o->has_min)
            return fz_fail(err, FZ_EINPUT,
                           "%s:%ld: column '%s': %g is negative: amounts and durations are non-negative, so no "
                           "family can be fitted (the positive families need x > 0 and a scenario accepts a normal "
                           "only with min=0); pass --min to fit only the values above it",
                           r->path, c->lines[i], r->column, v);
        if (v < r->opt.lo)
            r->below++;
        else if (v > r->opt.hi)
            r->above++;
        else {
            r->x[r->n] = v;
            r->line[r->n++] = c->lines[i];
        }
    }
    char rg[96], in[128] = "";
    if (o->has_min || o->has_max)
        snprintf(in, sizeof in, " inside %s", range_text(r, rg, sizeof rg));
    if (r->n == 0)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: none of the %zu numbers in column '%s' lies%s (the first is %g)",
                       r->path, c->lines[0], c->n, r->column, in, c->values[0]);
    if (r->n == 1)
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld: column '%s' has a single number%s (%g): at least 2 are needed to fit a distribution",
                       r->path, r->line[0], r->column, in, r->x[0]);
    size_t k = 1;
    while (k < r->n && r->x[k] == r->x[0])
        k++;
    if (k == r->n)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: all %zu numbers in column '%s'%s equal %g: there is no spread to fit",
                       r->path, r->line[0], r->n, r->column, in, r->x[0]);
    return 0;
}

static int run_fits(fit_run *r, fz_error *err)
{
    int rc = fit_all(r->res, &r->nfit, r->x, r->n, &r->opt, err);
    if (rc)
        return rc;
    fit_result *res[FIT_NFAMILIES];
    for (size_t i = 0; i < FIT_NFAMILIES; i++)
        res[i] = &r->res[i];
    return cmd_fit_finish_all(res, r->nfit, r->path, r->line, r->text, r->unusable, &r->best, err);
}

/* "bond_usd = " when the column is named like a scenario distribution key. */
static const char *key_prefix(const char *column)
{
    static const char *const keys[] = {"bond_usd", "hearing_delay_days", "release_delay_days"};
    static char buf[64];
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(column, keys[i]))
            snprintf(buf, sizeof buf, "%s = ", keys[i]);
    return buf;
}

static json_t *summary_json(const fit_run *r)
{
    json_t *doc = json_object(), *fits = json_array(), *skipped = json_array();
    json_object_set_new(doc, "command", json_string("fit"));
    json_object_set_new(doc, "data", json_string(r->path));
    json_object_set_new(doc, "column", json_string(r->column));
    json_object_set_new(doc, "rows", json_integer((json_int_t)r->col.n_rows));
    json_object_set_new(doc, "numbers", json_integer((json_int_t)r->col.n));
    json_object_set_new(doc, "empty_cells", json_integer((json_int_t)r->col.n_empty));
    json_object_set_new(doc, "non_numeric_cells", json_integer((json_int_t)r->col.n_nonnumeric));
    if (r->col.n_nonnumeric)
        json_object_set_new(
            doc, "first_non_numeric",
            json_pack("{s:I, s:s}", "line", (json_int_t)r->col.first_nonnumeric_line, "text", r->col.first_nonnumeric));
    json_object_set_new(doc, "excluded_below_min", json_integer((json_int_t)r->below));
    json_object_set_new(doc, "excluded_above_max", json_integer((json_int_t)r->above));
    json_object_set_new(doc, "used", json_integer((json_int_t)r->n));
    json_object_set_new(
        doc, "truncation",
        json_pack("{s:o, s:o}", "min", json_guard_num_or_null(r->opt.lo), "max", json_guard_num_or_null(r->opt.hi)));
    json_object_set_new(doc, "ks_p_value_conservative", json_true());
    json_object_set_new(doc, "ranking", json_string("aic"));
    for (size_t i = 0; i < FIT_NFAMILIES; i++) {
        const fit_result *f = &r->res[i];
        if (!f->ok) {
            json_array_append_new(skipped, cmd_fit_skipped_json(f));
            continue;
        }
        json_t *par, *se;
        cmd_fit_params_json(f, &par, &se);
        json_t *e =
            json_pack("{s:I, s:s, s:o, s:o, s:b, s:b, s:i, s:o, s:o, s:o, s:o, s:{s:o, s:o}, s:o, s:s}", "rank",
                      (json_int_t)i + 1, "family", fit_family_name(f->family), "parameters", par, "standard_errors", se,
                      "converged", f->converged, "closed_form", f->closed_form, "iterations", f->iterations, "loglik",
                      json_guard_num_or_null(f->loglik), "aic", json_guard_num_or_null(f->aic), "delta_aic",
                      json_guard_num_or_null(f->aic - r->res[0].aic), "bic", json_guard_num_or_null(f->bic), "ks",
                      "statistic", json_guard_num_or_null(f->ks), "p_value", json_guard_num_or_null(f->ks_p),
                      "anderson_darling", json_guard_num_or_null(f->ad), "scenario", r->text[i]);
        if (r->unusable[i][0])
            json_object_set_new(e, "scenario_rejected", json_string(r->unusable[i]));
        json_array_append_new(fits, e);
    }
    cmd_fit_json_end(doc, fits, skipped, r->best >= 0 ? &r->res[r->best] : NULL, key_prefix(r->column),
                     r->best >= 0 ? r->text[r->best] : NULL);
    return doc;
}

static int write_fit_csv(outdir *dir, const fit_run *r, fz_error *err)
{
    FILE *f = outdir_open(dir, "fit.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "rank,family,param1,value1,se1,param2,value2,se2,loglik,aic,delta_aic,bic,ks,ks_p,ad,converged,"
               "scenario,note\n");
    for (size_t i = 0; i < FIT_NFAMILIES; i++) {
        const fit_result *x = &r->res[i];
        if (!x->ok) {
            fprintf(f, ",%s,,,,,,,,,,,,,,,,", fit_family_name(x->family));
            cmd_fit_csv_quoted(f, x->reason);
            fputc('\n', f);
            continue;
        }
        fprintf(f, "%zu,%s,%s", i + 1, fit_family_name(x->family), x->names[0]);
        cmd_fit_csv_num(f, "%.10g", x->param[0]);
        cmd_fit_csv_num(f, "%.6g", x->se[0]); /* empty: no standard error (not converged) */
        fprintf(f, ",%s", x->nparams > 1 ? x->names[1] : "");
        cmd_fit_csv_num(f, "%.10g", x->nparams > 1 ? x->param[1] : NAN);
        cmd_fit_csv_num(f, "%.6g", x->nparams > 1 ? x->se[1] : NAN);
        cmd_fit_csv_num(f, "%.10g", x->loglik);
        cmd_fit_csv_num(f, "%.10g", x->aic);
        cmd_fit_csv_num(f, "%.6g", x->aic - r->res[0].aic);
        cmd_fit_csv_num(f, "%.10g", x->bic);
        cmd_fit_csv_num(f, "%.6g", x->ks);
        cmd_fit_csv_num(f, "%.6g", x->ks_p);
        cmd_fit_csv_num(f, "%.6g", x->ad);
        fprintf(f, ",%d,", x->converged);
        cmd_fit_csv_quoted(f, r->text[i]);
        fputc(',', f);
        cmd_fit_csv_quoted(f, r->unusable[i]);
        fputc('\n', f);
    }
    return outdir_close(f, "fit.csv", err);
}

/* The histogram's range [a, b] (x_(1) to the 99th percentile) and bin width
 * (Freedman-Diaconis, 10 to 80 bins). */
typedef struct hist_bins {
    double a, b, w;
    size_t nb;
} hist_bins;

static hist_bins fit_bins(const double *xs, size_t n)
{
    hist_bins h = {.a = xs[0], .b = stat_quantile_sorted(xs, n, 0.99)};
    if (!(h.b > h.a))
        h.b = xs[n - 1];
    double iqr = stat_quantile_sorted(xs, n, 0.75) - stat_quantile_sorted(xs, n, 0.25);
    double w = iqr > 0 ? 2 * iqr / cbrt((double)n) : (h.b - h.a) / 20;
    h.nb = (size_t)fmin(80, fmax(10, ceil((h.b - h.a) / w)));
    h.w = (h.b - h.a) / (double)h.nb;
    return h;
}

/* fit_hist.csv, fit_density.csv and fit_qq.csv: the charts' data. */
static int write_chart_data(outdir *dir, const fit_run *r, const double *xs, hist_bins h, fz_error *err)
{
    size_t n = r->n, nf = r->nfit, nb = h.nb;
    double a = h.a, b = h.b, w = h.w;
    FILE *f = outdir_open(dir, "fit_hist.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "x,density\n");
    for (size_t k = 0, i = 0; k < nb; k++) {
        size_t c = 0;
        while (i < n && (xs[i] < a + (double)(k + 1) * w || (k + 1 == nb && xs[i] <= b)))
            c++, i++;
        fprintf(f, "%.10g,%.10g\n", a + ((double)k + 0.5) * w, (double)c / ((double)n * w));
    }
    int rc = outdir_close(f, "fit_hist.csv", err);
    if (rc || !(f = outdir_open(dir, "fit_density.csv", err)))
        return rc ? rc : FZ_ERUNTIME;
    fprintf(f, "x");
    for (size_t j = 0; j < nf; j++)
        fprintf(f, ",%s", fit_family_name(r->res[j].family));
    fprintf(f, "\n");
    for (int k = 0; k <= 400; k++) {
        double x = a + (b - a) * k / 400.0;
        fprintf(f, "%.10g", x);
        for (size_t j = 0; j < nf; j++)
            cmd_fit_csv_num(f, "%.10g", fit_pdf(&r->res[j], x)); /* empty where undefined */
        fprintf(f, "\n");
    }
    if ((rc = outdir_close(f, "fit_density.csv", err)) || !(f = outdir_open(dir, "fit_qq.csv", err)))
        return rc ? rc : FZ_ERUNTIME;
    /* QQ: at most 500 probabilities (i - 1/2)/m; data quantiles by type 7 */
    size_t m = n < 500 ? n : 500;
    fprintf(f, "p,data");
    for (size_t j = 0; j < nf; j++)
        fprintf(f, ",%s", fit_family_name(r->res[j].family));
    fprintf(f, "\n");
    for (size_t i = 0; i < m; i++) {
        double p = ((double)i + 0.5) / (double)m;
        fprintf(f, "%.8g,%.10g", p, m == n ? xs[i] : stat_quantile_sorted(xs, n, p));
        for (size_t j = 0; j < nf; j++)
            cmd_fit_csv_num(f, "%.10g", fit_quantile(&r->res[j], p));
        fprintf(f, "\n");
    }
    return outdir_close(f, "fit_qq.csv", err);
}

static int write_charts(outdir *dir, const fit_run *r, const double *xs, charts_list *charts, fz_error *err)
{
    size_t n = r->n, nf = r->nfit;
    hist_bins h = fit_bins(xs, n);
    double b = h.b, w = h.w;
    int rc = write_chart_data(dir, r, xs, h, err);
    if (rc)
        return rc;
    const char *base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
    char t1[512], t2[512], xl[300], yl[300], ql[300], nbuf[16], bw[64], rg[128] = "", range[96];
    if (r->opt.lo > 0 || isfinite(r->opt.hi))
        snprintf(rg, sizeof rg, ", fitted on %s", range_text(r, range, sizeof range));
    snprintf(t1, sizeof t1, "%s, column %s: histogram and fitted densities (n = %zu%s)", base, r->column, n, rg);
    snprintf(t2, sizeof t2, "%s, column %s: QQ plot of the fits (n = %zu%s)", base, r->column, n, rg);
    snprintf(xl, sizeof xl, "%s (axis cut at the 99th percentile, %g)", r->column, b);
    snprintf(yl, sizeof yl, "data quantile (%s)", r->column);
    snprintf(ql, sizeof ql, "fitted quantile (%s)", r->column); /* the column's name stands for its unit */
    snprintf(nbuf, sizeof nbuf, "%zu", nf);
    snprintf(bw, sizeof bw, "%.10g", w * 0.95);
    char *qt1 = plot_quote(t1), *qt2 = plot_quote(t2), *qx = plot_quote(xl), *qy = plot_quote(yl), *qq = plot_quote(ql);
    char labels[512] = ""; /* "'lognormal', 'gamma'": the fitted families in rank order */
    for (size_t i = 0; i < nf; i++)
        cmd_fit_label_add(labels, sizeof labels, i, &r->res[i]);
    if (!qt1 || !qt2 || !qx || !qy || !qq)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else {
        plot_var hv[] = {{"TITLE", qt1}, {"N", nbuf}, {"LABELS", labels}, {"XLABEL", qx}, {"BOXWIDTH", bw}};
        plot_var qv[] = {{"TITLE", qt2}, {"N", nbuf}, {"LABELS", labels}, {"YLABEL", qy}, {"XLABEL", qq}};
        if (!(rc = plot_script(dir, "fit_hist", hv, 5, err)) && !(rc = plot_script(dir, "fit_qq", qv, 5, err))) {
            charts->names[charts->n++] = "fit_hist";
            charts->names[charts->n++] = "fit_qq";
        }
    }
    free(qt1);
    free(qt2);
    free(qx);
    free(qy);
    free(qq);
    return rc;
}

static void print_table(FILE *out, const fit_run *r, const char *dirname)
{
    const csvcol *c = &r->col;
    char rg[96];
    fprintf(out, "fianza fit: %s, column %s\n", r->path, r->column);
    fprintf(out, "%zu rows: %zu numbers, %zu empty cells, %zu not numbers", c->n_rows, c->n, c->n_empty,
            c->n_nonnumeric);
    if (c->n_nonnumeric)
        fprintf(out, " (first: line %ld, '%s')", c->first_nonnumeric_line, c->first_nonnumeric);
    fprintf(out, "; empty cells and non-numbers are left out\n");
    fprintf(out, "fitted to %zu values in %s", r->n, range_text(r, rg, sizeof rg));
    if (r->below || r->above)
        fprintf(out, "; left out: %zu below --min, %zu above --max", r->below, r->above);
    fprintf(out, "\n");
    if (r->opt.lo > 0 || isfinite(r->opt.hi))
        fprintf(out,
                "truncated likelihood: each family conditioned on %s (not shifted), so the parameters\n"
                "describe the whole population, of which only values in that range were recorded\n",
                range_text(r, rg, sizeof rg));
    if (!(r->opt.lo > 0))
        fprintf(out, "the normal is fitted truncated at 0 (min=0), the only way a scenario accepts a normal\n");
    fprintf(out, "\n%-4s %-11s %-44s %10s %10s %6s %10s %6s %8s %6s %4s\n", "rank", "family",
            "parameters (standard errors)", "log-lik", "AIC", "dAIC", "BIC", "KS D", "KS p", "AD", "conv");
    for (size_t i = 0; i < r->nfit; i++) {
        const fit_result *f = &r->res[i];
        char par[160];
        cmd_fit_param_text(f, par, sizeof par);
        fprintf(out, "%-4zu %-11s %-44s %10.1f %10.1f %6.1f %10.1f %6.4f %8.2g %6.3g %4s\n", i + 1,
                fit_family_name(f->family), par, f->loglik, f->aic, f->aic - r->res[0].aic, f->bic, f->ks, f->ks_p,
                f->ad, f->converged ? "yes" : "no");
    }
    for (size_t i = r->nfit; i < FIT_NFAMILIES; i++)
        fprintf(out, "-    %-11s skipped: %s\n", fit_family_name(r->res[i].family), r->res[i].reason);
    fprintf(out,
            "\nRanked by AIC = 2k - 2 log-lik (smaller is better; dAIC above 10: essentially no support);\n"
            "BIC = k ln n - 2 log-lik.  KS p-values are conservative: the parameters were estimated from\n"
            "the same data (Lilliefors 1967), so a small p rejects a family but a large one does not confirm it.\n");
    for (size_t i = 0; i < r->nfit; i++) {
        if (!r->res[i].converged)
            fprintf(out,
                    "%s: the optimiser did not converge (the likelihood may rise toward the edge of the "
                    "parameter space); no standard errors\n",
                    fit_family_name(r->res[i].family));
        else if (!isfinite(r->res[i].se[0]))
            fprintf(out, "%s: the observed information is not positive definite; no standard errors\n",
                    fit_family_name(r->res[i].family));
        if (r->unusable[i][0])
            fprintf(out, "%s: not usable in a scenario: %s\n", fit_family_name(r->res[i].family), r->unusable[i]);
    }
    cmd_fit_print_line(out, key_prefix(r->column), r->best >= 0 ? r->text[r->best] : NULL, dirname);
}

/* The data read and checked, and the results directory named after the
 * CSV (results/NAME without .csv) unless -o names it. */
static int check(cmd_run *c, void *ctx)
{
    fit_run *r = ctx;
    const cli_opts *o = c->o;
    int rc = load(r, o, &c->err);
    if (rc)
        return rc;
    cmd_fit_dirname(c->dirname, sizeof c->dirname, o->outdir, r->path);
    return 0;
}

static int run(cmd_run *c, void *ctx)
{
    fit_run *r = ctx;
    int rc = run_fits(r, &c->err);
    if (rc)
        return rc;
    double *xs = malloc(r->n * sizeof *xs);
    if (!xs)
        return fz_fail(&c->err, FZ_ERUNTIME, "out of memory");
    memcpy(xs, r->x, r->n * sizeof *xs);
    qsort(xs, r->n, sizeof *xs, fz_cmp_double);
    c->doc = summary_json(r);
    if (!(rc = write_fit_csv(c->dir, r, &c->err)))
        rc = write_charts(c->dir, r, xs, &c->charts, &c->err);
    free(xs);
    return rc;
}

static void print(cmd_run *c, void *ctx) { print_table(c->out, ctx, c->dirname); }

int cmd_fit(const cli_opts *o)
{
    if (o->bins || o->count_column || o->share_column || o->fit_n)
        return cmd_fit_binned(o); /* a binned table: cmd_fit_binned.c */
    if (o->censored || o->posted || o->returned || o->as_of || o->rate)
        return cmd_fit_censored(o);
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print};
    fit_run r;
    memset(&r, 0, sizeof r);
    int rc = cmd_execute(o, &hooks, &r);
    free(r.x);
    free(r.line);
    csvcol_free(&r.col);
    return rc;
}
