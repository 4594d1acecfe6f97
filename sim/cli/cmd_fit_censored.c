/* fianza fit for durations that are partly still running, and for rates:
 *
 *   fit DATA.csv --column DAYS --censored FLAG
 *       FLAG 1: the case is still open, DAYS is a lower bound; 0: it ended;
 *   fit LEDGER.csv --posted "Date Posted" --returned "Date Returned" --as-of DATE
 *       a fund's ledger (the Bail Fund App export's columns): the duration is
 *       returned - posted in days, and a bond with no return date is open,
 *       censored at DATE - posted;
 *   fit --rate K/N
 *       a proportion with its Wilson 95% interval, as bond_grant_prob and a
 *       sweep range.
 *
 * The first two fit every family by censored maximum likelihood
 * (fit_censored.c), rank them by AIC, compute the Kaplan-Meier estimate
 * (km.c) and write DIR (-o, default results/CSV_NAME): summary.json,
 * fit_censored.csv (the fits, one row per parameter), fit_km.csv (the
 * estimate), fit_km_fitted.csv (each family's survival, long form), the
 * fit_km chart and report.html, whole or not at all.  Every refusal of a
 * row names file:line.  --rate writes nothing. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmd_fit_util.h"
#include "cmds.h"
#include "csvcol.h"
#include "csvrows.h"
#include "fit.h"
#include "fz_util.h"
#include "json_guard.h"
#include "km.h"
#include "plot.h"
#include "stats.h"

typedef struct cens_run {
    const cli_opts *o;
    const char *path;
    int ledger;  /* --posted/--returned */
    long as_of;  /* ledger: the day the record was taken (days since 1970-01-01) */
    double *t;   /* durations, days */
    unsigned char *c;
    long *line;
    size_t n, cap, nrows, skipped, ncens;
    long first_open; /* ledger: line of the first row without a return date */
    fit_result res[FIT_NFAMILIES];
    size_t nfit;
    char text[FIT_NFAMILIES][256];
    int best;
    km_row *km;
    size_t nkm;
} cens_run;

/* ---- dates: YYYY-MM-DD or M/D/YYYY, as days since 1970-01-01 ---- */

static long days_from_civil(long y, long m, long d) /* Hinnant's algorithm, proleptic Gregorian */
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int parse_date(const char *s, long *out)
{
    int y, m, d, k = 0;
    if (strspn(s, "0123456789-/") != strlen(s)) /* no signs or blanks inside, which %d would take */
        return -1;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &k) == 3 && k == 10 && !s[k]) {
    } else if (sscanf(s, "%2d/%2d/%4d%n", &m, &d, &y, &k) == 3 && !s[k] && strlen(s) >= 8 &&
               isdigit((unsigned char)s[k - 1])) {
    } else
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

/* ---- reading ---- */

static int push(cens_run *r, double t, int censored, long line, fz_error *err)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        double *t2 = realloc(r->t, cap * sizeof *t2);
        if (t2)
            r->t = t2;
        unsigned char *c2 = t2 ? realloc(r->c, cap) : NULL;
        if (c2)
            r->c = c2;
        long *l2 = c2 ? realloc(r->line, cap * sizeof *l2) : NULL;
        if (!l2)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        r->line = l2;
        r->cap = cap;
    }
    if (r->n >= CSVCOL_MAX_VALUES)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: more than %d durations: the limit", r->path, line, CSVCOL_MAX_VALUES);
    r->t[r->n] = t, r->c[r->n] = (unsigned char)censored, r->line[r->n++] = line;
    r->ncens += (size_t)censored;
    return 0;
}

static int on_flag_row(void *ctx, long line, const char *const *cell, fz_error *err)
{
    cens_run *r = ctx;
    const char *col = r->o->column, *flag = r->o->censored;
    double v;
    if (!cell[0][0] && !cell[1][0]) {
        r->skipped++;
        return 0;
    }
    if (!cell[0][0])
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s' is empty but '%s' is '%s': expected a duration", r->path,
                       line, col, flag, cell[1]);
    if (csvcol_parse_number(cell[0], &v))
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': '%.40s' is not a number", r->path, line, col, cell[0]);
    if (v < 0)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': %g is negative: a duration is >= 0", r->path, line, col,
                       v);
    if (strcmp(cell[1], "0") && strcmp(cell[1], "1"))
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld: column '%s': '%.40s': expected 1 (still open: the duration is a lower bound) or 0 "
                       "(ended)",
                       r->path, line, flag, cell[1]);
    return push(r, v, cell[1][0] == '1', line, err);
}

static int on_ledger_row(void *ctx, long line, const char *const *cell, fz_error *err)
{
    cens_run *r = ctx;
    const char *pc = r->o->posted, *rc = r->o->returned;
    long p, q;
    if (!cell[0][0] && !cell[1][0]) {
        r->skipped++;
        return 0;
    }
    if (!cell[0][0])
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s' is empty but '%s' is '%s': expected a posting date",
                       r->path, line, pc, rc, cell[1]);
    if (parse_date(cell[0], &p))
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': '%.40s' is not a date (expected YYYY-MM-DD or M/D/YYYY)",
                       r->path, line, pc, cell[0]);
    if (!cell[1][0]) { /* still open: censored at --as-of */
        if (!r->o->as_of)
            return fz_fail(err, FZ_EINPUT,
                           "%s:%ld: column '%s' is empty (the bond is still out): give --as-of DATE, the day the "
                           "ledger was exported, to count it as open up to then",
                           r->path, line, rc);
        if (p > r->as_of)
            return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': %s is after --as-of %s", r->path, line, pc, cell[0],
                           r->o->as_of);
        return push(r, (double)(r->as_of - p), 1, line, err);
    }
    if (parse_date(cell[1], &q))
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': '%.40s' is not a date (expected YYYY-MM-DD or M/D/YYYY)",
                       r->path, line, rc, cell[1]);
    if (q < p)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: returned %s before it was posted (%s)", r->path, line, cell[1],
                       cell[0]);
    if (r->o->as_of && q > r->as_of)
        return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': %s is after --as-of %s", r->path, line, rc, cell[1],
                       r->o->as_of);
    return push(r, (double)(q - p), 0, line, err);
}

static int load(cens_run *r, fz_error *err)
{
    const cli_opts *o = r->o;
    r->path = o->scenario_path;
    r->ledger = o->posted || o->returned;
    if (o->has_min || o->has_max)
        return fz_fail(err, FZ_EINPUT, "--min/--max do not apply to censored durations (fit them without --censored)");
    if (r->ledger) {
        if (!o->posted || !o->returned)
            return fz_fail(err, FZ_EINPUT, "%s: a ledger needs both --posted COLUMN and --returned COLUMN",
                           o->posted ? "--posted" : "--returned");
        if (o->column || o->censored)
            return fz_fail(err, FZ_EINPUT,
                           "--posted/--returned compute the durations: --column and --censored do not apply");
        if (o->as_of && parse_date(o->as_of, &r->as_of))
            return fz_fail(err, FZ_EINPUT, "--as-of %s: expected a date YYYY-MM-DD or M/D/YYYY", o->as_of);
    } else {
        if (o->as_of)
            return fz_fail(err, FZ_EINPUT, "--as-of applies to a ledger (--posted/--returned)");
        if (!o->censored || !o->column)
            return fz_fail(err, FZ_EINPUT, "fit --censored FLAG needs --column DAYS (the durations)");
    }
    const char *cols[2] = {r->ledger ? o->posted : o->column, r->ledger ? o->returned : o->censored};
    int rc = csvrows_read(r->path, 2, cols, r->ledger ? on_ledger_row : on_flag_row, r, &r->nrows, err);
    if (rc)
        return rc;
    if (r->n < 2)
        return fz_fail(err, FZ_EINPUT, "%s: %zu duration%s: at least 2 are needed to fit a distribution", r->path,
                       r->n, r->n == 1 ? "" : "s");
    if (r->ncens == r->n)
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld: all %zu durations are censored (no case has ended): the likelihood has no maximum, "
                       "so nothing can be fitted",
                       r->path, r->line[0], r->n);
    return 0;
}

/* ---- fitting ---- */

/* The key the line is pasted after. */
static const char *paste_key(const cens_run *r)
{
    const char *col = r->ledger ? "" : r->o->column;
    return !strcmp(col, "refund_lag_days") ? "refund_lag_days" : "case_duration_days";
}

static int run_fits(cens_run *r, fz_error *err)
{
    fit_options opt;
    fit_options_init(&opt);
    opt.lo = 0; /* the normal truncated at 0, as `fianza fit` fits durations */
    int rc = fit_censored_all(r->res, &r->nfit, r->t, r->c, r->n, &opt, err);
    if (rc || (rc = km_estimate(&r->km, &r->nkm, r->t, r->c, r->n, err)))
        return rc;
    fit_result *res[FIT_NFAMILIES];
    for (size_t i = 0; i < FIT_NFAMILIES; i++)
        res[i] = &r->res[i];
    return cmd_fit_finish_all(res, r->nfit, r->path, r->line, r->text, NULL, &r->best, err);
}

/* A few times to compare at: the 10th ... 90th percentiles of the durations. */
static void probe_times(const cens_run *r, double out[5])
{
    double *s = malloc(r->n * sizeof *s);
    static const double q[5] = {0.1, 0.25, 0.5, 0.75, 0.9};
    for (int k = 0; k < 5; k++)
        out[k] = NAN;
    if (!s)
        return;
    memcpy(s, r->t, r->n * sizeof *s);
    qsort(s, r->n, sizeof *s, fz_cmp_double);
    for (int k = 0; k < 5; k++)
        out[k] = round(stat_quantile_sorted(s, r->n, q[k]));
    free(s);
}

/* ---- results ---- */

static json_t *fit_json(const cens_run *r, size_t i)
{
    const fit_result *f = &r->res[i];
    json_t *par, *se;
    cmd_fit_params_json(f, &par, &se);
    return json_pack("{s:I, s:s, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:s}", "rank", (json_int_t)i + 1, "family",
                     fit_family_name(f->family), "parameters", par, "standard_errors", se, "converged", f->converged,
                     "closed_form", f->closed_form, "loglik", json_guard_num_or_null(f->loglik), "aic",
                     json_guard_num_or_null(f->aic), "delta_aic", json_guard_num_or_null(f->aic - r->res[0].aic),
                     "bic", json_guard_num_or_null(f->bic), "scenario", r->text[i]);
}

static json_t *summary_json(const cens_run *r, const double probe[5])
{
    const cli_opts *o = r->o;
    json_t *doc = json_object(), *fits = json_array(), *skipped = json_array(), *km = json_array();
    json_object_set_new(doc, "command", json_string("fit"));
    json_object_set_new(doc, "data", json_string(r->path));
    json_object_set_new(doc, "censoring", json_string(r->ledger ? "ledger" : "flag"));
    if (r->ledger) {
        json_object_set_new(doc, "posted_column", json_string(o->posted));
        json_object_set_new(doc, "returned_column", json_string(o->returned));
        json_object_set_new(doc, "as_of", o->as_of ? json_string(o->as_of) : json_null());
    } else {
        json_object_set_new(doc, "column", json_string(o->column));
        json_object_set_new(doc, "censored_column", json_string(o->censored));
    }
    json_object_set_new(doc, "rows", json_integer((json_int_t)r->nrows));
    json_object_set_new(doc, "empty_rows", json_integer((json_int_t)r->skipped));
    json_object_set_new(doc, "used", json_integer((json_int_t)r->n));
    json_object_set_new(doc, "events", json_integer((json_int_t)(r->n - r->ncens)));
    json_object_set_new(doc, "censored", json_integer((json_int_t)r->ncens));
    json_object_set_new(doc, "censored_share", json_real((double)r->ncens / (double)r->n));
    json_object_set_new(doc, "ranking", json_string("aic"));
    for (size_t i = 0; i < FIT_NFAMILIES; i++) {
        const fit_result *f = &r->res[i];
        if (f->ok)
            json_array_append_new(fits, fit_json(r, i));
        else
            json_array_append_new(skipped, cmd_fit_skipped_json(f));
    }
    json_object_set_new(doc, "fits", fits);
    json_object_set_new(doc, "skipped", skipped);
    for (int k = 0; k < 5; k++) {
        json_t *fitted = json_object();
        for (size_t i = 0; i < r->nfit; i++)
            json_object_set_new(fitted, fit_family_name(r->res[i].family),
                                json_guard_num_or_null(fit_sf(&r->res[i], probe[k])));
        json_array_append_new(km, json_pack("{s:o, s:o, s:o}", "days", json_guard_num_or_null(probe[k]),
                                            "kaplan_meier", json_guard_num_or_null(km_at(r->km, r->nkm, probe[k])),
                                            "fitted", fitted));
    }
    json_object_set_new(doc, "survival_at", km);
    if (r->best >= 0) {
        char line[320];
        snprintf(line, sizeof line, "%s = %s", paste_key(r), r->text[r->best]);
        json_object_set_new(doc, "best", json_string(fit_family_name(r->res[r->best].family)));
        json_object_set_new(doc, "scenario_line", json_string(line));
    }
    return doc;
}

static int write_csvs(outdir *dir, const cens_run *r, fz_error *err)
{
    FILE *f = outdir_open(dir, "fit_censored.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "rank,family,parameter,value,se,loglik,aic,delta_aic,bic,converged,scenario,note\n");
    for (size_t i = 0; i < FIT_NFAMILIES; i++) {
        const fit_result *x = &r->res[i];
        if (!x->ok) {
            fprintf(f, ",%s,,,,,,,,,,", fit_family_name(x->family));
            cmd_fit_csv_quoted(f, x->reason);
            fputc('\n', f);
            continue;
        }
        for (int j = 0; j < x->nparams; j++) {
            fprintf(f, "%zu,%s,%s", i + 1, fit_family_name(x->family), x->names[j]);
            cmd_fit_csv_num(f, "%.10g", x->param[j]);
            cmd_fit_csv_num(f, "%.6g", x->se[j]);
            cmd_fit_csv_num(f, "%.10g", x->loglik);
            cmd_fit_csv_num(f, "%.10g", x->aic);
            cmd_fit_csv_num(f, "%.6g", x->aic - r->res[0].aic);
            cmd_fit_csv_num(f, "%.10g", x->bic);
            fprintf(f, ",%d,\"%s\",\n", x->converged, r->text[i]);
        }
    }
    int rc = outdir_close(f, "fit_censored.csv", err);
    if (rc || !(f = outdir_open(dir, "fit_km.csv", err)))
        return rc ? rc : FZ_ERUNTIME;
    fprintf(f, "time_days,at_risk,events,censored,survival,survival_ci95_lo,survival_ci95_hi\n");
    if (r->km[0].time > 0) /* the curve starts at S(0) = 1 */
        fprintf(f, "0,%zu,0,0,1,,\n", r->n);
    for (size_t i = 0; i < r->nkm; i++) {
        const km_row *k = &r->km[i];
        fprintf(f, "%.10g,%zu,%zu,%zu,%.10g", k->time, k->at_risk, k->events, k->censored, k->surv);
        cmd_fit_csv_num(f, "%.10g", k->lo);
        cmd_fit_csv_num(f, "%.10g", k->hi);
        fputc('\n', f);
    }
    if ((rc = outdir_close(f, "fit_km.csv", err)) || !(f = outdir_open(dir, "fit_km_fitted.csv", err)))
        return rc ? rc : FZ_ERUNTIME;
    fprintf(f, "rank,family,time_days,survival\n");
    double tmax = r->km[r->nkm - 1].time;
    for (size_t i = 0; i < r->nfit; i++)
        for (int k = 0; k <= 200; k++) {
            double x = tmax * k / 200.0;
            fprintf(f, "%zu,%s,%.10g", i + 1, fit_family_name(r->res[i].family), x);
            cmd_fit_csv_num(f, "%.10g", fit_sf(&r->res[i], x));
            fputc('\n', f);
        }
    return outdir_close(f, "fit_km_fitted.csv", err);
}

static int write_chart(outdir *dir, const cens_run *r, charts_list *charts, fz_error *err)
{
    const char *base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
    char title[512], nbuf[16], labels[512] = "";
    snprintf(title, sizeof title, "%s: Kaplan-Meier estimate (95%% CI, log-log) and fitted survival (n = %zu, %.0f%% censored)",
             base, r->n, 100.0 * (double)r->ncens / (double)r->n);
    snprintf(nbuf, sizeof nbuf, "%zu", r->nfit);
    for (size_t i = 0; i < r->nfit; i++)
        cmd_fit_label_add(labels, sizeof labels, i, &r->res[i]);
    char *qt = plot_quote(title);
    if (!qt)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var v[] = {{"TITLE", qt}, {"N", nbuf}, {"LABELS", labels}};
    int rc = plot_script(dir, "fit_km", v, 3, err);
    if (!rc)
        charts->names[charts->n++] = "fit_km";
    free(qt);
    return rc;
}

static void print_table(FILE *out, const cens_run *r, const double probe[5], const char *dirname)
{
    const cli_opts *o = r->o;
    if (r->ledger)
        fprintf(out, "fianza fit: %s, ledger: '%s' to '%s'%s%s\n", r->path, o->posted, o->returned,
                o->as_of ? ", open bonds censored at " : "", o->as_of ? o->as_of : "");
    else
        fprintf(out, "fianza fit: %s, column %s, censored when %s = 1\n", r->path, o->column, o->censored);
    fprintf(out, "%zu rows: %zu durations (%zu ended, %zu censored: %.1f%%), %zu empty rows left out\n", r->nrows,
            r->n, r->n - r->ncens, r->ncens, 100.0 * (double)r->ncens / (double)r->n, r->skipped);
    fprintf(out, "censored likelihood: sum log f(ended) + sum log S(censored) (Klein & Moeschberger 2003, 3.5)\n");
    fprintf(out, "\n%-4s %-11s %-44s %10s %10s %6s %10s %4s\n", "rank", "family", "parameters (standard errors)",
            "log-lik", "AIC", "dAIC", "BIC", "conv");
    for (size_t i = 0; i < r->nfit; i++) {
        const fit_result *f = &r->res[i];
        char par[160] = "", se[32];
        size_t used = 0;
        for (int j = 0; j < f->nparams && used < sizeof par; j++) {
            snprintf(se, sizeof se, isfinite(f->se[j]) ? "%.3g" : "n/a", f->se[j]);
            used += (size_t)snprintf(par + used, sizeof par - used, "%s%s %.5g (%s)", j ? ", " : "", f->names[j],
                                     f->param[j], se);
        }
        fprintf(out, "%-4zu %-11s %-44s %10.1f %10.1f %6.1f %10.1f %4s\n", i + 1, fit_family_name(f->family), par,
                f->loglik, f->aic, f->aic - r->res[0].aic, f->bic, f->converged ? "yes" : "no");
    }
    for (size_t i = r->nfit; i < FIT_NFAMILIES; i++)
        fprintf(out, "-    %-11s skipped: %s\n", fit_family_name(r->res[i].family), r->res[i].reason);
    fprintf(out,
            "\nsurvival P(duration > days) at the 10th, 25th, 50th, 75th and 90th percentiles of the durations:\n"
            "Kaplan-Meier (ties: ended before censored) and each fit\n%8s %8s",
            "days", "KM");
    for (size_t i = 0; i < r->nfit; i++)
        fprintf(out, " %11s", fit_family_name(r->res[i].family));
    fputc('\n', out);
    for (int k = 0; k < 5; k++) {
        fprintf(out, "%8.0f %8.3f", probe[k], km_at(r->km, r->nkm, probe[k]));
        for (size_t i = 0; i < r->nfit; i++)
            fprintf(out, " %11.3f", fit_sf(&r->res[i], probe[k]));
        fputc('\n', out);
    }
    if (r->best >= 0) {
        fprintf(out, "\nscenario line (best by AIC):\n%s = %s\n", paste_key(r), r->text[r->best]);
        if (r->ledger)
            fprintf(out, "(posted to returned spans the case and the refund lag: with this line keep "
                         "refund_lag_days = fixed(0))\n");
    }
    fprintf(out, "\nresults in %s/\n", dirname);
}

static int check(cmd_run *c, void *ctx)
{
    cens_run *r = ctx;
    int rc = load(r, &c->err);
    if (rc)
        return rc;
    cmd_fit_dirname(c->dirname, sizeof c->dirname, c->o->outdir, r->path);
    return 0;
}

static int work(cmd_run *c, void *ctx)
{
    cens_run *r = ctx;
    double probe[5];
    int rc = run_fits(r, &c->err);
    if (rc)
        return rc;
    probe_times(r, probe);
    c->doc = summary_json(r, probe);
    if (!(rc = write_csvs(c->dir, r, &c->err)))
        rc = write_chart(c->dir, r, &c->charts, &c->err);
    return rc;
}

static void print(cmd_run *c, void *ctx)
{
    cens_run *r = ctx;
    double probe[5];
    probe_times(r, probe);
    print_table(c->out, r, probe, c->dirname);
}

/* ---- --rate K/N ---- */

static int rate(const cli_opts *o)
{
    fz_error err = {0, ""};
    const char *s = o->rate;
    char *end;
    long k = -1, n = -1;
    if (isdigit((unsigned char)*s)) {
        k = strtol(s, &end, 10);
        if (*end == '/' && isdigit((unsigned char)end[1])) {
            n = strtol(end + 1, &end, 10);
            if (*end)
                n = -1;
        }
    }
    if (n < 0 || k < 0 || strlen(s) > 24)
        fz_fail(&err, FZ_EINPUT, "--rate %s: expected K/N, two whole numbers (K of N cases), e.g. 7/20", s);
    else if (n == 0 || k > n)
        fz_fail(&err, FZ_EINPUT, "--rate %s: expected 0 <= K <= N and N >= 1", s);
    else if (o->scenario_path || o->column || o->censored || o->posted || o->returned || o->as_of || o->outdir ||
             o->has_min || o->has_max || o->no_plots)
        fz_fail(&err, FZ_EINPUT, "--rate K/N takes no CSV file and no other fit option (it writes nothing)");
    if (err.code)
        return cmd_report_error(&err);
    double p = (double)k / (double)n, lo, hi;
    stat_wilson((double)k, (double)n, &lo, &hi);
    /* a sweep grid over the interval, inside [0, 1]: the largest step of 1, 2
     * or 5 times a power of ten giving at least 5 steps, its ends the interval's rounded outwards */
    double w = fmax((hi - lo) / 5, 1e-6), base = pow(10, floor(log10(w))), m = w / base;
    double step = (m >= 5 ? 5 : m >= 2 ? 2 : 1) * base; /* 1, 2 or 5 times a power of 10 */
    double glo = fmax(0, floor(lo / step + 1e-9) * step), ghi = fmin(1, ceil(hi / step - 1e-9) * step);
    if (o->json) {
        json_t *doc = json_pack("{s:s, s:I, s:I, s:f, s:f, s:f, s:s}", "command", "fit", "k", (json_int_t)k, "n",
                                (json_int_t)n, "proportion", p, "wilson_ci95_lo", lo, "wilson_ci95_hi", hi, "method",
                                "wilson");
        char *txt = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
        if (txt)
            printf("%s\n", txt);
        free(txt);
        json_decref(doc);
    }
    if (o->quiet)
        return 0;
    FILE *out = o->json ? stderr : stdout;
    fprintf(out, "fianza fit --rate %ld/%ld: proportion %.4f, Wilson 95%% interval [%.4f, %.4f]\n", k, n, p, lo, hi);
    fprintf(out, "(Wilson 1927: the score interval, which stays inside [0, 1] and is sound for small N)\n\n");
    fprintf(out, "scenario line:\nbond_grant_prob = %.4g\n\n", p);
    fprintf(out, "sweep across the interval (NAME: the region):\n--param region.NAME.bond_grant_prob=%.4g:%.4g:%.4g\n",
            glo, ghi, step);
    return 0;
}

int cmd_fit_censored(const cli_opts *o)
{
    if (o->rate)
        return rate(o);
    static const cmd_hooks hooks = {.check = check, .work = work, .print = print};
    cens_run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    int rc = cmd_execute(o, &hooks, &r);
    free(r.t);
    free(r.c);
    free(r.line);
    free(r.km);
    return rc;
}
