/* timeline_out: summary.json's "timeline", timeline.csv, the chart (timeline_out.h). */
#include "timeline_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_guard.h"
#include "plot.h"

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
