/* timeline_out: summary.json's "timeline", timeline.csv, the chart (timeline_out.h). */
#include "timeline_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_guard.h"
#include "plot.h"
#include "summary.h"

/* The four series of one quantity, in CSV column and JSON key order. */
typedef struct series {
    const char *name; /* JSON key */
    const char *csv;  /* CSV column prefix */
    const double *v[4];
} series;

static const char *const stat_names[4] = {"mean", "p05", "p50", "p95"};

static void series_of(const eval_timeline *t, series out[2])
{
    out[0] = (series){"releases", "releases_cum", {t->releases_mean, t->releases_p05, t->releases_p50, t->releases_p95}};
    out[1] = (series){"balance_usd", "balance_usd", {t->balance_mean, t->balance_p05, t->balance_p50, t->balance_p95}};
}

static json_t *array_of(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_guard_num_or_null(v ? v[i] : NAN));
    return a;
}

json_t *timeline_json(const eval_timeline *t)
{
    if (!t || t->n == 0 || !t->day)
        return json_null();
    series sr[2];
    series_of(t, sr);
    json_t *o = json_object();
    json_object_set_new(o, "day", array_of(t->day, t->n));
    for (size_t q = 0; q < 2; q++) {
        json_t *g = json_object();
        for (size_t j = 0; j < 4; j++)
            json_object_set_new(g, stat_names[j], array_of(sr[q].v[j], t->n));
        json_object_set_new(o, sr[q].name, g);
    }
    return o;
}

/* A CSV cell: the number, or nothing where it is undefined. */
static void cell(FILE *f, const double *v, size_t i)
{
    if (v && isfinite(v[i]))
        fprintf(f, ",%.10g", v[i]);
    else
        fputc(',', f);
}

int timeline_csv(outdir *o, const eval_timeline *t, fz_error *err)
{
    FILE *f = outdir_open(o, "timeline.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    series sr[2];
    series_of(t, sr);
    fprintf(f, "day");
    for (size_t q = 0; q < 2; q++)
        for (size_t j = 0; j < 4; j++)
            fprintf(f, ",%s_%s", sr[q].csv, stat_names[j]);
    fputc('\n', f);
    for (size_t i = 0; t->day && i < t->n; i++) {
        if (isfinite(t->day[i]))
            fprintf(f, "%.10g", t->day[i]);
        for (size_t q = 0; q < 2; q++)
            for (size_t j = 0; j < 4; j++)
                cell(f, sr[q].v[j], i);
        fputc('\n', f);
    }
    return outdir_close(f, "timeline.csv", err);
}

int timeline_outputs(outdir *o, json_t *doc, const scenario *s, const eval_result *r, const char *what,
                     charts_list *list, fz_error *err)
{
    json_object_set_new(doc, "timeline", timeline_json(&r->timeline));
    int rc = timeline_csv(o, &r->timeline, err);
    if (rc || r->timeline.n == 0) /* no grid: nothing to draw */
        return rc;
    char title[512];
    snprintf(title, sizeof title, "%s: %s, over %g days", s->name, what, s->horizon_days);
    char *t = plot_quote(title);
    if (!t)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var v[] = {{"TITLE", t}};
    rc = plot_script(o, "timeline", v, 1, err);
    free(t);
    if (!rc && list->n < sizeof list->names / sizeof *list->names)
        list->names[list->n++] = "timeline";
    return rc;
}

/* The number at index i of tl.KEY.STAT (tl.day when stat is NULL), NAN when null. */
static double at(const json_t *tl, const char *key, const char *stat, size_t i)
{
    const json_t *a = json_object_get(tl, key);
    if (stat)
        a = json_object_get(a, stat);
    const json_t *v = json_array_get(a, i);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int sweep_csv(outdir *o, const char *param, const double *x, json_t *const *tl, size_t n, fz_error *err)
{
    FILE *f = outdir_open(o, "timeline.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    static const char *const keys[2] = {"releases", "balance_usd"}, *const cols[2] = {"releases_cum", "balance_usd"};
    char col[256];
    fprintf(f, "%s,day", summary_csv_column(col, sizeof col, param)); /* as sweep.csv's first column */
    for (size_t q = 0; q < 2; q++)
        for (size_t j = 0; j < 4; j++)
            fprintf(f, ",%s_%s", cols[q], stat_names[j]);
    fputc('\n', f);
    for (size_t p = 0; p < n; p++) {
        size_t days = json_array_size(json_object_get(tl[p], "day"));
        for (size_t i = 0; i < days; i++) {
            fprintf(f, "%.10g,%.10g", x[p], at(tl[p], "day", NULL, i));
            for (size_t q = 0; q < 2; q++)
                for (size_t j = 0; j < 4; j++) {
                    double v = at(tl[p], keys[q], stat_names[j], i);
                    cell(f, &v, 0);
                }
            fputc('\n', f);
        }
    }
    return outdir_close(f, "timeline.csv", err);
}

/* Appends text to a growing buffer; returns 0, or -1 out of memory. */
static int append(char **buf, size_t *len, const char *text)
{
    size_t t = strlen(text);
    char *b = realloc(*buf, *len + t + 1);
    if (!b)
        return -1;
    memcpy(b + *len, text, t + 1);
    *buf = b;
    *len += t;
    return 0;
}

int timeline_sweep_outputs(outdir *o, const scenario *s, const char *param, const char *xlabel, const double *x,
                           json_t *const *tl, size_t n, charts_list *list, fz_error *err)
{
    int rc = sweep_csv(o, param, x, tl, n, err);
    size_t k = n < TIMELINE_SWEEP_SHOWN ? n : TIMELINE_SWEEP_SHOWN;
    if (rc || k == 0 || !json_array_size(json_object_get(tl[0], "day")))
        return rc;
    char *xs = NULL, *shown = NULL, *title = NULL, buf[320];
    size_t lx = 0, ls = 0;
    int oom = append(&xs, &lx, "") || append(&shown, &ls, "");
    for (size_t i = 0; i < k && !oom; i++) {
        size_t p = k > 1 ? (size_t)((double)i * (double)(n - 1) / (double)(k - 1) + 0.5) : 0;
        snprintf(buf, sizeof buf, "%.10g", x[p]); /* as written in the CSV's first column */
        char *qx = plot_quote(buf);
        snprintf(buf, sizeof buf, "%s = %.10g", xlabel, x[p]);
        char *qs = plot_quote(buf);
        oom = !qx || !qs || append(&xs, &lx, i ? ", " : "") || append(&xs, &lx, qx) ||
              append(&shown, &ls, i ? ", " : "") || append(&shown, &ls, qs);
        free(qx);
        free(qs);
    }
    snprintf(buf, sizeof buf, "%s: the fund over %g days along %s (optimal allocation at each point)", s->name,
             s->horizon_days, param);
    if (!oom && !(title = plot_quote(buf)))
        oom = 1;
    if (oom)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else {
        char nk[16];
        snprintf(nk, sizeof nk, "%zu", k);
        plot_var v[] = {{"TITLE", title}, {"K", nk}, {"XS", xs}, {"SHOWN", shown}};
        if (!(rc = plot_script(o, "sweep_timeline", v, 4, err)) && list->n < sizeof list->names / sizeof *list->names)
            list->names[list->n++] = "sweep_timeline";
    }
    free(xs);
    free(shown);
    free(title);
    return rc;
}
