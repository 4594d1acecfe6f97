/* fianza sweep: the optimal value along a budget range (--budget), a
 * parameter range (--param), and the tornado chart (--tornado PCT).
 * Every point re-optimises on the same seed, so points share common random
 * numbers: the draws of a replication do not depend on the budget or, for
 * most parameters, on the value swept, and curves come out smooth. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "optimize.h"
#include "outdir.h"
#include "plot.h"
#include "summary.h"
#include "rng.h"

typedef struct point {
    double x, in_sample, marginal;
    double *alloc;
    stat_est value, releases;
} point;

/* FROM:TO:STEP into a list of values (at most 1000). */
static int parse_range(double **out, size_t *n, const char *text, const char *opt, fz_error *err)
{
    double a, b, st;
    char tail;
    if (sscanf(text, "%lf:%lf:%lf%c", &a, &b, &st, &tail) != 3 || !isfinite(a) || !isfinite(b) || !(st > 0) ||
        b < a)
        return fz_fail(err, FZ_EINPUT, "%s %s: expected FROM:TO:STEP with FROM <= TO and STEP > 0", opt, text);
    double k = floor((b - a) / st + SCENARIO_GRID_EPS) + 1;
    if (k > 1000)
        return fz_fail(err, FZ_EINPUT, "%s %s: %.0f points; the limit is 1000", opt, text, k);
    *n = (size_t)k;
    *out = malloc(*n * sizeof **out);
    if (!*out)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = a + (double)i * st;
    return 0;
}

/* The scenario with extra --set options on top of the user's. */
static int load_with(scenario **out, const cli_opts *o, const char *const *extra, size_t nextra, fz_error *err)
{
    cli_opts copy = *o;
    char **sets = malloc((o->nsets + nextra) * sizeof *sets);
    if (!sets)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    if (o->nsets) /* o->sets is NULL without --set: memcpy may not take NULL even for 0 bytes */
        memcpy(sets, o->sets, o->nsets * sizeof *sets);
    for (size_t i = 0; i < nextra; i++)
        sets[o->nsets + i] = (char *)extra[i];
    copy.sets = sets;
    copy.nsets = o->nsets + nextra;
    int rc = cli_load_scenario(out, &copy, err);
    free(sets);
    return rc;
}

/* The --set override of one point: "PARAM=X". */
static void point_set(char *buf, size_t size, const char *param, double x)
{
    snprintf(buf, size, "%s=%.10g", param, x);
}

/* An error at one point named after the option the user typed
 * ("--param SPEC (point SET): ..."), not after the --set it became. */
static void point_error(fz_error *err, const char *set, const char *opt, const char *spec)
{
    char head[600], label[1200];
    int n = snprintf(head, sizeof head, "--set %s:", set);
    snprintf(label, sizeof label, "%s (point %s)", spec, set);
    if (n > 0 && (size_t)n < sizeof head && strncmp(err->msg, head, (size_t)n) == 0)
        cli_rename_origin(err, set, opt, label);
    else
        fz_error_prefix(err, "%s %s: ", opt, label);
}

/* The share bounds leave a grid point in every region (as optimize checks). */
static int check_feasible(const scenario *s, fz_error *err)
{
    optimize_bounds b;
    return optimize_bounds_init(&b, s, err);
}

static int solve_point(point *p, const scenario *s, const optimize_options *oo, fz_error *err)
{
    split_result res;
    int rc = optimize_saa(&res, NULL, s, RNG_STREAM_OPTIMIZE, (size_t)s->replications, optimize_cvar_reps(s), oo, err);
    if (rc)
        return rc;
    p->alloc = malloc(s->nregions * sizeof *p->alloc);
    if (!p->alloc) {
        split_result_free(&res);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    for (size_t c = 0; c < s->nregions; c++)
        p->alloc[c] = (double)res.steps[c] * s->granularity_usd;
    p->in_sample = res.value;
    p->marginal = res.budget_dual * 1000;
    split_result_free(&res);
    return 0;
}

static int evaluate_points(point *pts, size_t n, const scenario *s, int threads, fz_error *err)
{
    const size_t C = s->nregions;
    double *allocs = calloc(n * C, sizeof *allocs);
    eval_result *r = NULL;
    if (!allocs)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < n; i++)
        memcpy(allocs + i * C, pts[i].alloc, C * sizeof *allocs);
    eval_options eo = {.stream = RNG_STREAM_EVALUATE, .nreps = (size_t)s->replications, .threads = threads};
    int rc = eval_run(&r, s, allocs, n, &eo, err);
    for (size_t i = 0; !rc && i < n; i++) {
        pts[i].value = optimize_value(s, r, i);
        double h = stat_ci95_half(&r->allocs[i].releases), m = r->allocs[i].releases.mean;
        pts[i].releases = (stat_est){m, m - h, m + h};
    }
    eval_free(r);
    free(allocs);
    return rc;
}

/* ",value,lo,hi": lo and hi empty when the interval is undefined (1 replication). */
static void csv_est(FILE *f, stat_est e)
{
    fprintf(f, ",%.10g", e.value);
    if (isfinite(e.lo) && isfinite(e.hi))
        fprintf(f, ",%.10g,%.10g", e.lo, e.hi);
    else
        fprintf(f, ",,");
}

/* {"mean": m, "ci95": [lo, hi] or null when undefined}. */
static json_t *est_json(stat_est e)
{
    return json_pack("{s:f, s:o}", "mean", e.value,
                     "ci95", isfinite(e.lo) && isfinite(e.hi) ? json_pack("[f, f]", e.lo, e.hi) : json_null());
}

static int write_sweep(outdir *dir, const scenario *s, const point *pts, size_t n, const char *param, int budget,
                       charts_list *charts, json_t *doc, fz_error *err)
{
    FILE *f = outdir_open(dir, "sweep.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "%s", param);
    for (size_t c = 0; c < s->nregions; c++)
        fprintf(f, ",%s_usd", s->regions[c].name);
    fprintf(f, ",in_sample,value,lo,hi,releases,releases_lo,releases_hi,marginal_per_1000\n");
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const point *p = &pts[i];
        fprintf(f, "%.10g", p->x);
        json_t *alloc = json_object();
        for (size_t c = 0; c < s->nregions; c++) {
            fprintf(f, ",%.2f", p->alloc[c]);
            json_object_set_new(alloc, s->regions[c].name, json_guard_num(p->alloc[c]));
        }
        fprintf(f, ",%.10g", p->in_sample);
        csv_est(f, p->value);
        csv_est(f, p->releases);
        fprintf(f, ",%.10g\n", p->marginal);
        json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "x", json_guard_num(p->x),
                                             "allocation", alloc, "in_sample_value", json_guard_num(p->in_sample),
                                             "value", est_json(p->value), "releases", est_json(p->releases),
                                             "marginal_objective_per_1000_usd", json_guard_num(p->marginal)));
    }
    json_object_set_new(doc, "sweep", json_pack("{s:s, s:o}", "parameter", param, "points", arr));
    int rc = outdir_close(f, "sweep.csv", err);
    if (rc)
        return rc;
    char title[300], vcol[16], mplot[256];
    snprintf(title, sizeof title, "%s: optimal %s along %s", s->name, scenario_objective_name(s->objective), param);
    snprintf(vcol, sizeof vcol, "%zu", s->nregions + 3);
    if (budget)
        snprintf(mplot, sizeof mplot,
                 "'' skip 1 using ($1/1000):(column(%zu)) axes x1y2 with lines lt 2 dt 2 title 'marginal value per USD 1,000'",
                 s->nregions + 9);
    else
        snprintf(mplot, sizeof mplot, "NaN notitle");
    char *t = plot_quote(title), *xl = plot_quote(budget ? "budget (thousand USD)" : param),
         *yl = plot_quote(scenario_objective_name(s->objective));
    if (!t || !xl || !yl)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var v[] = {{"TITLE", t}, {"XLABEL", xl}, {"YLABEL", yl}, {"VCOL", vcol}, {"XSCALE", budget ? "1000" : "1"},
                    {"MARGINAL", budget ? "1" : "0"}, {"MARGINAL_PLOT", mplot}};
    if (!rc && !(rc = plot_script(dir, "sweep", v, sizeof v / sizeof *v, err)))
        charts->names[charts->n++] = "sweep";
    free(t), free(xl), free(yl);
    return rc;
}

/* One parameter of the tornado: its value moved down [0] and up [1].  A move
 * to a value the scenario rejects (a uniform's min pushed above its max, a
 * probability above 1) has valid[j] = 0, no value, and the reason in why[j]. */
typedef struct tornado_row {
    char name[128];
    double base, x[2], v[2];
    int valid[2];
    char why[2][320];
} tornado_row;

/* The width of the effect; an invalid move counts as no effect. */
static double row_width(const tornado_row *r, double base)
{
    double lo = r->valid[0] ? r->v[0] : base, hi = r->valid[1] ? r->v[1] : base;
    return fabs(hi - lo);
}

static double g_sort_base; /* base value for cmp_rows (qsort takes no context) */

static int cmp_rows(const void *a, const void *b)
{
    double wx = row_width(a, g_sort_base), wy = row_width(b, g_sort_base);
    return (wx < wy) - (wx > wy);
}

/* tornado.csv: an invalid move keeps the value it tried (low/high) but has
 * an empty value cell and 0 in its valid column. */
static int write_tornado(outdir *dir, const tornado_row *rows, size_t nr, double base, fz_error *err)
{
    FILE *f = outdir_open(dir, "tornado.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "parameter,base,low,high,value_low,value_high,base_value,low_valid,high_valid\n");
    for (size_t i = 0; i < nr; i++) {
        const tornado_row *r = &rows[i];
        fprintf(f, "%s,%.10g,%.10g,%.10g,", r->name, r->base, r->x[0], r->x[1]);
        for (int j = 0; j < 2; j++)
            if (r->valid[j])
                fprintf(f, "%.10g,", r->v[j]);
            else
                fputc(',', f);
        fprintf(f, "%.10g,%d,%d\n", base, r->valid[0], r->valid[1]);
    }
    return outdir_close(f, "tornado.csv", err);
}

static json_t *tornado_json(const tornado_row *r)
{
    json_t *o = json_pack("{s:s, s:f, s:f, s:f}", "parameter", r->name, "base", r->base, "low", r->x[0], "high", r->x[1]);
    static const char *const side[2] = {"low", "high"};
    for (int j = 0; j < 2; j++) {
        char key[32];
        snprintf(key, sizeof key, "value_%s", side[j]);
        json_object_set_new(o, key, r->valid[j] ? json_real(r->v[j]) : json_null());
        snprintf(key, sizeof key, "%s_valid", side[j]);
        json_object_set_new(o, key, json_boolean(r->valid[j]));
        if (!r->valid[j]) {
            snprintf(key, sizeof key, "%s_invalid_reason", side[j]);
            json_object_set_new(o, key, json_string(r->why[j]));
        }
    }
    return o;
}

static int run_tornado(const cli_opts *o, const scenario *s, const optimize_options *oo, outdir *dir,
                       charts_list *charts, json_t *doc, fz_error *err)
{
    scenario_param *ps = NULL;
    size_t np = 0;
    tornado_row *rows = NULL;
    point base = {0};
    int rc = scenario_params(&ps, &np, s, err);
    if (rc || (rc = solve_point(&base, s, oo, err)))
        goto done;
    rows = calloc(np ? np : 1, sizeof *rows);
    if (!rows) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    size_t nr = 0;
    for (size_t i = 0; i < np; i++) {
        const scenario_param *p = &ps[i];
        if (p->value == 0)
            continue; /* a percentage of 0 moves nothing */
        tornado_row *row = &rows[nr];
        snprintf(row->name, sizeof row->name, "%s", p->name + strlen("region."));
        row->base = p->value;
        double d = fabs(p->value) * o->tornado_pct / 100;
        row->x[0] = p->value - d, row->x[1] = p->value + d;
        for (int j = 0; j < 2; j++) {
            row->x[j] = fmin(fmax(row->x[j], p->lo), p->hi);
            if (p->integer)
                row->x[j] = round(row->x[j]);
            char set[300];
            snprintf(set, sizeof set, "%s=%.10g", p->name, row->x[j]);
            const char *extra[] = {set};
            scenario *sj = NULL;
            point pt = {0};
            if ((rc = load_with(&sj, o, extra, 1, err)) == 0)
                rc = solve_point(&pt, sj, oo, err);
            free(pt.alloc);
            scenario_free(sj);
            if (rc == FZ_EINPUT) { /* the moved value is invalid: no bar, marked as such */
                rc = 0;
                snprintf(row->why[j], sizeof row->why[j], "%s", err->msg);
                continue;
            }
            if (rc)
                goto done;
            row->v[j] = pt.in_sample;
            row->valid[j] = 1;
        }
        nr++;
        if (oo->progress)
            oo->progress(oo->progress_ctx, "tornado", i + 1, np);
    }
    g_sort_base = base.in_sample;
    qsort(rows, nr, sizeof *rows, cmp_rows);
    if ((rc = write_tornado(dir, rows, nr, base.in_sample, err)))
        goto done;
    json_t *arr = json_array();
    for (size_t i = 0; i < nr; i++)
        json_array_append_new(arr, tornado_json(&rows[i]));
    json_object_set_new(doc, "tornado", json_pack("{s:f, s:f, s:s, s:o}", "percent", o->tornado_pct, "base_value",
                                                  base.in_sample, "value", "in-sample optimum (optimize stream)",
                                                  "parameters", arr));
    char title[300], bv[64], n[16];
    snprintf(title, sizeof title, "%s: optimal %s when each parameter moves by %g%%", s->name,
             scenario_objective_name(s->objective), o->tornado_pct);
    snprintf(bv, sizeof bv, "%.17g", base.in_sample);
    snprintf(n, sizeof n, "%zu", nr);
    char *t = plot_quote(title), *xl = plot_quote("optimal value (in sample)");
    plot_var v[] = {{"TITLE", t}, {"BASE", bv}, {"N", n}, {"XLABEL", xl}};
    if (!t || !xl)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else if (!(rc = plot_script(dir, "tornado", v, 4, err)))
        charts->names[charts->n++] = "tornado";
    free(t), free(xl);
done:
    free(ps);
    free(rows);
    free(base.alloc);
    return rc;
}

/* The console lines for tornado moves that were invalid (from summary.json). */
static void print_invalid_moves(FILE *out, const json_t *doc)
{
    static const char *const side[2] = {"low", "high"}, *const verb[2] = {"lowered", "raised"};
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(json_object_get(doc, "tornado"), "parameters"), i, row)
        for (int j = 0; j < 2; j++) {
            char key[32];
            snprintf(key, sizeof key, "%s_invalid_reason", side[j]);
            const char *why = json_string_value(json_object_get(row, key));
            if (why)
                fprintf(out, "  %s %s to %.10g: invalid, no value (marked in tornado.csv): %s\n",
                        json_string_value(json_object_get(row, "parameter")), verb[j],
                        json_number_value(json_object_get(row, side[j])), why);
        }
}

int cmd_sweep(const cli_opts *o)
{
    fz_error err = {0, ""};
    scenario *s = NULL;
    outdir *dir = NULL;
    json_t *doc = NULL;
    double *xs = NULL;
    point *pts = NULL;
    size_t n = 0;
    char dirbuf[4096], param[256] = "budget_usd";
    int rc, modes = !!o->budget_range + !!o->param_range + (o->tornado_pct > 0);
    if ((rc = cli_load_scenario(&s, o, &err)))
        goto done;
    if (modes != 1) {
        rc = fz_fail(&err, FZ_EINPUT, "sweep: expected one of --budget FROM:TO:STEP, --param SECTION.KEY=FROM:TO:STEP "
                                      "or --tornado PCT");
        goto done;
    }
    const char *opt = o->param_range ? "--param" : "--budget", *spec = o->param_range ? o->param_range : o->budget_range;
    if (o->param_range) {
        const char *eq = strchr(o->param_range, '=');
        if (!eq || eq == o->param_range || (size_t)(eq - o->param_range) >= sizeof param) {
            rc = fz_fail(&err, FZ_EINPUT, "--param %s: expected SECTION.KEY=FROM:TO:STEP", o->param_range);
            goto done;
        }
        snprintf(param, sizeof param, "%.*s", (int)(eq - o->param_range), o->param_range);
        rc = parse_range(&xs, &n, eq + 1, "--param", &err);
        if (!rc && scenario_key_numeric(param) == 0)
            rc = fz_fail(&err, FZ_EINPUT,
                         "--param %s: %s is not a number: sweep a numeric key or a distribution argument "
                         "(such as region.NAME.bond_usd.median)",
                         o->param_range, param);
    } else if (o->budget_range) {
        rc = parse_range(&xs, &n, o->budget_range, "--budget", &err);
    }
    /* Every point must be a valid scenario with a feasible split: checked
     * here, before the results directory exists or anything is simulated. */
    for (size_t i = 0; !rc && i < n; i++) {
        char set[300];
        point_set(set, sizeof set, o->param_range ? param : "fund.budget_usd", xs[i]);
        const char *extra[] = {set};
        scenario *si = NULL;
        if ((rc = load_with(&si, o, extra, 1, &err)) == 0)
            rc = check_feasible(si, &err);
        scenario_free(si);
        if (rc)
            point_error(&err, set, opt, spec);
    }
    if (!rc && o->tornado_pct > 0)
        rc = check_feasible(s, &err);
    if (rc || (rc = cmd_outdir_begin(&dir, cli_outdir(o, s, dirbuf, sizeof dirbuf), s, &err)))
        goto done;
    cli_progress bar;
    cli_progress_init(&bar, o, "sweep");
    optimize_options oo = {.threads = o->threads, .time_limit = o->time_limit, .progress = cli_progress_stage,
                           .progress_ctx = &bar};
    doc = summary_header_json(s, "sweep", (size_t)s->replications, (size_t)s->replications);
    charts_list charts = {.n = 0};
    if (o->tornado_pct > 0) {
        rc = run_tornado(o, s, &oo, dir, &charts, doc, &err);
        cli_progress_done(&bar);
        if (rc)
            goto done;
    } else {
        pts = calloc(n, sizeof *pts);
        if (!pts) {
            rc = fz_fail(&err, FZ_ERUNTIME, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            char set[300];
            point_set(set, sizeof set, o->param_range ? param : "fund.budget_usd", xs[i]);
            const char *extra[] = {set};
            scenario *si = NULL;
            pts[i].x = xs[i];
            cli_progress_stage(&bar, "sweep", i, n);
            if ((rc = load_with(&si, o, extra, 1, &err)) == 0 && (rc = solve_point(&pts[i], si, &oo, &err)) == 0 &&
                o->param_range)
                rc = evaluate_points(&pts[i], 1, si, o->threads, &err);
            scenario_free(si);
            if (rc == FZ_EINPUT)
                point_error(&err, set, opt, spec);
            if (rc)
                goto done;
        }
        /* budget points: one evaluation pass for all, on common random numbers */
        if (o->budget_range && (rc = evaluate_points(pts, n, s, o->threads, &err)))
            goto done;
        cli_progress_done(&bar);
        if ((rc = write_sweep(dir, s, pts, n, param, !o->param_range, &charts, doc, &err)))
            goto done;
    }
    if ((rc = summary_write_json(dir, "summary.json", doc, &err)) ||
        (rc = cmd_finish(&dir, s, doc, &charts, o, &err)))
        goto done;
    FILE *out = o->json ? stderr : stdout; /* stdout carries only JSON then */
    if (!o->quiet && pts) {
        fprintf(out, "fianza sweep: %s along %s (%ld replications per point, seed %llu, common random numbers)\n\n", s->name,
               param, s->replications, (unsigned long long)s->seed);
        fprintf(out, "%14s", param);
        for (size_t c = 0; c < s->nregions; c++)
            fprintf(out, " %12.12s", s->regions[c].label);
        fprintf(out, "  %-26s %s\n", scenario_objective_name(s->objective), "marginal/USD 1,000");
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%14.6g", pts[i].x);
            for (size_t c = 0; c < s->nregions; c++)
                fprintf(out, " %12.0f", pts[i].alloc[c]);
            char v[64];
            summary_ci_text(v, sizeof v, pts[i].value.value, pts[i].value.lo, pts[i].value.hi, 2, 0);
            fprintf(out, "  %-26s %.3f\n", v, pts[i].marginal);
        }
        summary_print_ci_note(out, (size_t)s->replications);
    } else if (!o->quiet) {
        fprintf(out, "fianza sweep --tornado %g: %s; ranked parameters in %s/tornado.csv\n", o->tornado_pct, s->name,
               cli_outdir(o, s, dirbuf, sizeof dirbuf));
        print_invalid_moves(out, doc);
    }
    cmd_print_json(o, doc);
done:
    outdir_abort(dir);
    json_decref(doc);
    for (size_t i = 0; pts && i < n; i++)
        free(pts[i].alloc);
    free(pts);
    free(xs);
    scenario_free(s);
    return rc ? cmd_report_error(&err) : 0;
}
