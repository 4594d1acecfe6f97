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
#include "plot.h"
#include "summary.h"
#include "sweep_out.h"
#include "timeline_out.h"
#include "rng.h"

typedef struct point {
    double x, in_sample, marginal;
    double *alloc;
    stat_est value, releases;
    double money[5];  /* DESIGN §7 means: paid, refunded, balance at H, unpaid fundable, days waited */
    json_t *timeline; /* DESIGN §7, of the point's allocation (timeline_json), once evaluated */
    scenario *s;      /* the scenario at this point: a copy of the user's with one key set */
    /* Out of sample, of the point's optimal allocation: P(total releases >=
     * the point's target_releases) with its Wilson interval (NAN without a
     * target), cost per release (ratio of means, delta-method interval),
     * USD spent, and the budget the grid split left unallocated. */
    double target, p_target, p_lo, p_hi, unallocated;
    stat_est cost, spent;
} point;

/* A sweep along --budget or --param; for --tornado only the run's options. */
typedef struct sweep {
    const char *opt, *spec; /* "--param" and its value as typed, for messages */
    char param[256];        /* the parameter swept: "budget_usd" or SECTION.KEY */
    const char *key;        /* its --set name: "fund.budget_usd" or SECTION.KEY */
    point *pts;
    size_t n;
    optimize_options oo;
} sweep;

/* FROM:TO:STEP into the points' values (at most 1000). */
static int parse_range(sweep *w, const char *text, fz_error *err)
{
    double a, b, st;
    char tail;
    if (sscanf(text, "%lf:%lf:%lf%c", &a, &b, &st, &tail) != 3 || !isfinite(a) || !isfinite(b) || !(st > 0) || b < a)
        return fz_fail(err, FZ_EINPUT, "%s %s: expected FROM:TO:STEP with FROM <= TO and STEP > 0", w->opt, text);
    double k = floor((b - a) / st + SCENARIO_GRID_EPS) + 1;
    if (k > 1000)
        return fz_fail(err, FZ_EINPUT, "%s %s: %.0f points; the limit is 1000", w->opt, text, k);
    w->n = (size_t)k;
    if (!(w->pts = calloc(w->n, sizeof *w->pts)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < w->n; i++)
        w->pts[i].x = a + (double)i * st;
    return 0;
}

/* The --set override of point i ("fund.budget_usd=150000") and its name in
 * messages ("--budget 1:3:1 (point fund.budget_usd=1)"). */
static void point_set(const sweep *w, size_t i, char *set, size_t size, char *origin, size_t osize)
{
    snprintf(set, size, "%s=%.10g", w->key, w->pts[i].x);
    snprintf(origin, osize, "%s %s (point %s)", w->opt, w->spec, set);
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

/* eval_block_fn: the co-moments of (total releases, total USD spent) per
 * replication, for the interval of the total cost per release (eval keeps
 * them per region only; the regions' totals are correlated). */
static int total_cov_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                           fz_error *err)
{
    (void)first_rep, (void)err;
    stat_cov *cov = ctx;
    const size_t C = r->nregions, K = r->nalloc;
    for (size_t i = 0; i < n; i++) {
        double rel = 0, spent = 0;
        for (size_t c = 0; c < C; c++) {
            rel += stats[(i * K) * C + c].releases;
            spent += stats[(i * K) * C + c].spent;
        }
        stat_cov_add(cov, rel, spent);
    }
    return 0;
}

/* The point's optimal allocation on the "evaluate" stream of its scenario s. */
static int evaluate_point(point *p, const scenario *s, int threads, fz_error *err)
{
    const size_t C = s->nregions;
    eval_result *r = NULL;
    stat_cov cov = {0};
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = (size_t)s->replications,
                       .threads = threads,
                       .on_block = total_cov_block,
                       .block_ctx = &cov};
    int rc = eval_run(&r, s, p->alloc, 1, &eo, err);
    if (rc)
        return rc;
    const eval_alloc *a = &r->allocs[0];
    p->value = optimize_value(s, r, 0);
    double h = stat_ci95_half(&a->releases), m = a->releases.mean;
    p->releases = (stat_est){m, m - h, m + h};
    double money[5] = {a->spent.mean, a->refunded.mean, a->balance_end.mean, a->unpaid.mean,
                       eval_waited_mean(r, 0, SIZE_MAX)};
    memcpy(p->money, money, sizeof money);
    p->target = s->target_releases;
    p->p_target = p->p_lo = p->p_hi = NAN;
    if (s->target_releases > 0 && r->nreps > 0) {
        p->p_target = a->reach_target / (double)r->nreps;
        stat_wilson(a->reach_target, (double)r->nreps, &p->p_lo, &p->p_hi);
    }
    double hc, cost = stat_ratio(&cov, &hc), hs = stat_ci95_half(&a->spent);
    p->cost = (stat_est){cost, cost - hc, cost + hc};
    p->spent = (stat_est){a->spent.mean, a->spent.mean - hs, a->spent.mean + hs};
    double sum = 0;
    for (size_t c = 0; c < C; c++)
        sum += p->alloc[c];
    p->unallocated = s->budget_usd - sum > 0 ? s->budget_usd - sum : 0; /* not -0 from rounding */
    p->timeline = timeline_json(&r->timeline);
    eval_free(r);
    return 0;
}

static const char *const money_keys[5] = {"paid_usd_mean", "refunded_usd_mean", "balance_end_usd_mean",
                                          "unpaid_fundable_mean", "days_waited_mean"};

/* ",value", or "," when it is undefined (no target, no release). */
static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputc(',', f);
}

/* The keys issue 13 added to a point (after the older ones, which keep
 * their order): P(target) and its Wilson interval (null without a target),
 * cost per release and its interval (null without releases), USD spent
 * {mean, ci95} and the budget left unallocated. */
static void add_point_keys(json_t *jp, const point *p)
{
    json_object_set_new(jp, "target_releases", json_guard_num(p->target));
    json_object_set_new(jp, "p_target", json_guard_num_or_null(p->p_target));
    json_object_set_new(jp, "p_target_ci95", json_guard_pair_or_null(p->p_lo, p->p_hi));
    json_object_set_new(jp, "cost_per_release_usd", json_guard_num_or_null(p->cost.value));
    json_object_set_new(jp, "cost_per_release_usd_ci95", json_guard_pair_or_null(p->cost.lo, p->cost.hi));
    json_object_set_new(jp, "spent_usd", cmd_est_json(p->spent));
    json_object_set_new(jp, "unallocated_usd", json_guard_num(p->unallocated));
}

static int write_sweep(outdir *dir, const scenario *s, const point *pts, size_t n, const char *param, int budget,
                       charts_list *charts, json_t *doc, fz_error *err)
{
    FILE *f = outdir_open(dir, "sweep.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    char col[256]; /* docs/csv.md: the parameter's column, dots made underscores */
    fprintf(f, "%s", summary_csv_column(col, sizeof col, param));
    for (size_t c = 0; c < s->nregions; c++)
        fprintf(f, ",%s_usd", s->regions[c].name);
    /* named as in summary.json; sweep.gp reads them by position (VCOL, PCOL) */
    fprintf(f, ",in_sample_value,value_mean,value_ci95_lo,value_ci95_hi,releases_mean,releases_ci95_lo,"
               "releases_ci95_hi,marginal_objective_per_1000_usd");
    for (size_t m = 0; m < 5; m++)
        fprintf(f, ",%s", money_keys[m]);
    fprintf(f, ",p_target,p_target_ci95_lo,p_target_ci95_hi,cost_per_release_usd,cost_per_release_usd_ci95_lo,"
               "cost_per_release_usd_ci95_hi,spent_usd_mean,spent_usd_ci95_lo,spent_usd_ci95_hi,unallocated_usd");
    fputc('\n', f);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const point *p = &pts[i];
        fprintf(f, "%.10g", p->x);
        json_t *alloc = json_object();
        for (size_t c = 0; c < s->nregions; c++) {
            fprintf(f, ",%.2f", p->alloc[c]);
            json_object_set_new(alloc, s->regions[c].name, json_guard_num(p->alloc[c]));
        }
        put_num(f, p->in_sample);
        cmd_csv_est(f, p->value);
        cmd_csv_est(f, p->releases);
        put_num(f, p->marginal);
        json_t *jp =
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "x", json_guard_num(p->x), "allocation", alloc,
                      "in_sample_value", json_guard_num(p->in_sample), "value", cmd_est_json(p->value), "releases",
                      cmd_est_json(p->releases), "marginal_objective_per_1000_usd", json_guard_num(p->marginal));
        for (size_t m = 0; m < 5; m++) { /* days waited is undefined (null, empty) without releases */
            json_object_set_new(jp, money_keys[m],
                                m == 4 ? json_guard_num_or_null(p->money[m]) : json_guard_num(p->money[m]));
            json_object_set_new(jp, "timeline", p->timeline ? json_incref(p->timeline) : json_null());
            if (isfinite(p->money[m]))
                fprintf(f, ",%.10g", p->money[m]);
            else
                fputc(',', f);
        }
        put_num(f, p->p_target);
        put_num(f, p->p_lo);
        put_num(f, p->p_hi);
        put_num(f, p->cost.value);
        put_num(f, p->cost.lo);
        put_num(f, p->cost.hi);
        cmd_csv_est(f, p->spent);
        put_num(f, p->unallocated);
        fputc('\n', f);
        add_point_keys(jp, p);
        json_array_append_new(arr, jp);
    }
    json_object_set_new(doc, "sweep", json_pack("{s:s, s:o}", "parameter", param, "points", arr));
    int rc = outdir_close(f, "sweep.csv", err);
    if (rc)
        return rc;
    double *targets = malloc((n ? n : 1) * sizeof *targets);
    if (!targets)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < n; i++)
        targets[i] = pts[i].target;
    rc = sweep_chart(dir, s, targets, n, param, budget, charts, err);
    free(targets);
    if (rc)
        return rc;
    double *xs = malloc((n ? n : 1) * sizeof *xs);
    json_t **tls = malloc((n ? n : 1) * sizeof *tls);
    if (!rc && (!xs || !tls))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        xs[i] = pts[i].x, tls[i] = pts[i].timeline;
    if (!rc)
        rc = timeline_sweep_outputs(dir, s, param, budget ? "budget USD" : param, xs, tls, n, charts, err);
    free(xs);
    free(tls);
    return rc;
}

/* One parameter of the tornado: its value moved down [0] and up [1].  A move
 * to a value the scenario rejects (a uniform's min pushed above its max, a
 * probability above 1) has valid[j] = 0, no value, and the reason in why[j]. */
typedef struct tornado_row {
    char name[128];
    double base, x[2], v[2];
    stat_est ev[2]; /* out of sample: the move's optimal split on the "evaluate" stream */
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
    json_t *o =
        json_pack("{s:s, s:f, s:f, s:f}", "parameter", r->name, "base", r->base, "low", r->x[0], "high", r->x[1]);
    static const char *const side[2] = {"low", "high"};
    for (int j = 0; j < 2; j++) {
        char key[32];
        snprintf(key, sizeof key, "value_%s", side[j]);
        json_object_set_new(o, key, r->valid[j] ? json_real(r->v[j]) : json_null());
        snprintf(key, sizeof key, "value_%s_out_of_sample", side[j]);
        json_object_set_new(o, key, r->valid[j] ? cmd_est_json(r->ev[j]) : json_null());
        snprintf(key, sizeof key, "%s_valid", side[j]);
        json_object_set_new(o, key, json_boolean(r->valid[j]));
        if (!r->valid[j]) {
            snprintf(key, sizeof key, "%s_invalid_reason", side[j]);
            json_object_set_new(o, key, json_string(r->why[j]));
        }
    }
    return o;
}

/* Parameter p moved down and up by pct percent (clamped to its range,
 * rounded if whole), each move re-optimised on a copy of s.  A move that
 * the scenario rejects is kept as invalid, with the reason. */
static int tornado_move(tornado_row *row, const scenario_param *p, double pct, const scenario *s,
                        const optimize_options *oo, fz_error *err)
{
    /* "chicago.arrivals_per_day"; fund and regime keys keep their section */
    snprintf(row->name, sizeof row->name, "%s", p->name + (strncmp(p->name, "region.", 7) ? 0 : 7));
    row->base = p->value;
    double d = fabs(p->value) * pct / 100;
    row->x[0] = p->value - d, row->x[1] = p->value + d;
    for (int j = 0; j < 2; j++) {
        row->x[j] = fmin(fmax(row->x[j], p->lo), p->hi);
        if (p->integer)
            row->x[j] = round(row->x[j]);
        char set[300];
        snprintf(set, sizeof set, "%s=%.10g", p->name, row->x[j]);
        scenario *sj = NULL;
        point pt = {0};
        int rc = scenario_copy_set(&sj, s, set, NULL, err); /* errors name "--set SET" */
        if (!rc)
            rc = solve_point(&pt, sj, oo, err);
        if (!rc) /* the table's value with its 95% CI (the chart keeps the in-sample optimum) */
            rc = evaluate_point(&pt, sj, oo->threads, err);
        json_decref(pt.timeline);
        free(pt.alloc);
        scenario_free(sj);
        if (rc == FZ_EINPUT) { /* the moved value is invalid: no bar, marked as such */
            snprintf(row->why[j], sizeof row->why[j], "%s", err->msg);
            continue;
        }
        if (rc)
            return rc;
        row->v[j] = pt.in_sample, row->ev[j] = pt.value;
        row->valid[j] = 1;
    }
    return 0;
}

/* tornado.csv, the "tornado" part of summary.json and the chart's script;
 * rows are ranked by the width of their effect. */
static int write_tornado_all(cmd_run *r, tornado_row *rows, size_t nr, double base, stat_est base_oos)
{
    const scenario *s = r->s;
    g_sort_base = base;
    qsort(rows, nr, sizeof *rows, cmp_rows);
    int rc = write_tornado(r->dir, rows, nr, base, &r->err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < nr; i++)
        json_array_append_new(arr, tornado_json(&rows[i]));
    json_object_set_new(r->doc, "tornado",
                        json_pack("{s:f, s:f, s:s, s:o}", "percent", r->o->tornado_pct, "base_value", base, "value",
                                  "in-sample optimum (optimize stream)", "parameters", arr));
    json_object_set_new(json_object_get(r->doc, "tornado"), "base_value_out_of_sample", cmd_est_json(base_oos));
    char title[300], bv[64], n[16];
    snprintf(title, sizeof title, "%s: optimal %s when each parameter moves by %g%%", s->name,
             scenario_objective_name(s->objective), r->o->tornado_pct);
    snprintf(bv, sizeof bv, "%.17g", base);
    snprintf(n, sizeof n, "%zu", nr);
    char xlabel[160];
    snprintf(xlabel, sizeof xlabel, "optimal %s (mean over the optimize stream, in sample)",
             scenario_objective_name(s->objective));
    char *t = plot_quote(title), *xl = plot_quote(xlabel);
    plot_var v[] = {{"TITLE", t}, {"BASE", bv}, {"N", n}, {"XLABEL", xl}};
    if (!t || !xl)
        rc = fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    else if (!(rc = plot_script(r->dir, "tornado", v, 4, &r->err)))
        r->charts.names[r->charts.n++] = "tornado";
    free(t), free(xl);
    return rc;
}

static int run_tornado(cmd_run *r, const optimize_options *oo)
{
    scenario_param *ps = NULL;
    size_t np = 0, nr = 0;
    tornado_row *rows = NULL;
    point base = {0};
    int rc = scenario_params(&ps, &np, r->s, &r->err);
    if (!rc && oo->progress_ctx)
        cli_progress_outer(oo->progress_ctx, "tornado", 0, np); /* the base point is step 0 */
    if (!rc)
        rc = solve_point(&base, r->s, oo, &r->err);
    if (!rc)
        rc = evaluate_point(&base, r->s, oo->threads, &r->err);
    json_decref(base.timeline);
    if (!rc && !(rows = calloc(np ? np : 1, sizeof *rows)))
        rc = fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; !rc && i < np; i++) {
        if (oo->progress_ctx && i)
            cli_progress_outer(oo->progress_ctx, "tornado", i, np);
        if (ps[i].value == 0)
            continue; /* a percentage of 0 moves nothing */
        if (!(rc = tornado_move(&rows[nr], &ps[i], r->o->tornado_pct, r->s, oo, &r->err)))
            nr++;
    }
    if (!rc && oo->progress_ctx)
        cli_progress_outer(oo->progress_ctx, "tornado", np, np);
    if (!rc)
        rc = write_tornado_all(r, rows, nr, base.in_sample, base.value);
    free(ps);
    free(rows);
    free(base.alloc);
    return rc;
}

/* --param SECTION.KEY=FROM:TO:STEP: the key and its points. */
static int parse_param(sweep *w, fz_error *err)
{
    const char *eq = strchr(w->spec, '=');
    if (!eq || eq == w->spec || (size_t)(eq - w->spec) >= sizeof w->param)
        return fz_fail(err, FZ_EINPUT, "--param %s: expected SECTION.KEY=FROM:TO:STEP", w->spec);
    snprintf(w->param, sizeof w->param, "%.*s", (int)(eq - w->spec), w->spec);
    w->key = w->param;
    int rc = parse_range(w, eq + 1, err);
    if (!rc && scenario_key_numeric(w->param) == 0)
        rc = fz_fail(err, FZ_EINPUT,
                     "--param %s: %s is not a number: sweep a numeric key or a distribution argument "
                     "(such as region.NAME.bond_usd.median)",
                     w->spec, w->param);
    return rc;
}

/* The points' scenarios share the user's distributions: the pair frees
 * them (cmd_hooks.release) before it frees the user's. */
static void free_point_scenarios(void *ctx)
{
    sweep *w = ctx;
    for (size_t i = 0; i < w->n; i++) {
        scenario_free(w->pts[i].s);
        w->pts[i].s = NULL;
    }
}

/* Every point must be a valid scenario with a feasible split: each is made
 * (in memory, from the user's scenario) and checked here, before the
 * results directory exists or anything is simulated. */
static int check(cmd_run *r, void *ctx)
{
    cmd_note_static(r, "sweep");
    sweep *w = ctx;
    const cli_opts *o = r->o;
    if (!!o->budget_range + !!o->param_range + (o->tornado_pct > 0) != 1)
        return fz_fail(&r->err, FZ_EINPUT,
                       "sweep: expected one of --budget FROM:TO:STEP, --param "
                       "SECTION.KEY=FROM:TO:STEP or --tornado PCT");
    if (o->tornado_pct > 0)
        return cmd_check_shares(r->s, &r->err);
    snprintf(w->param, sizeof w->param, "budget_usd");
    w->key = "fund.budget_usd";
    w->opt = o->param_range ? "--param" : "--budget";
    w->spec = o->param_range ? o->param_range : o->budget_range;
    int rc = o->param_range ? parse_param(w, &r->err) : parse_range(w, w->spec, &r->err);
    for (size_t i = 0; !rc && i < w->n; i++) {
        char set[300], origin[1400];
        point_set(w, i, set, sizeof set, origin, sizeof origin);
        if (!(rc = scenario_copy_set(&w->pts[i].s, r->s, set, origin, &r->err)) &&
            (rc = cmd_check_shares(w->pts[i].s, &r->err)))
            fz_error_prefix(&r->err, "%s: ", origin);
    }
    return rc;
}

/* Each point re-optimised and evaluated on its own scenario (common random
 * numbers across points all the same).  Budget points used to share one
 * evaluation pass, since only the allocation differs between them; on
 * their own they give the same figures, each point's own timeline, and a
 * balance (DESIGN §7: accounts plus the reserve) out of that point's
 * budget, not the scenario's. */
static int run_points(cmd_run *r, sweep *w)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < w->n; i++) {
        point *p = &w->pts[i];
        cli_progress_outer(&r->bar, "sweep", i, w->n);
        if (!(rc = solve_point(p, p->s, &w->oo, &r->err)))
            rc = evaluate_point(p, p->s, r->o->threads, &r->err);
        if (!rc)
            cli_progress_outer(&r->bar, "sweep", i + 1, w->n);
        if (rc == FZ_EINPUT) {
            char set[300], origin[1400];
            point_set(w, i, set, sizeof set, origin, sizeof origin);
            fz_error_prefix(&r->err, "%s: ", origin);
        }
    }
    if ((rc = cmd_run_done(r, rc)))
        return rc;
    return write_sweep(r->dir, r->s, w->pts, w->n, w->param, !r->o->param_range, &r->charts, r->doc, &r->err);
}

static int run(cmd_run *r, void *ctx)
{
    sweep *w = ctx;
    const scenario *s = r->s;
    w->oo = (optimize_options){.threads = r->o->threads,
                               .time_limit = r->o->time_limit,
                               .progress = cli_progress_stage,
                               .progress_ctx = &r->bar};
    r->doc = summary_header_json(s, "sweep", (size_t)s->replications, (size_t)s->replications);
    if (r->o->tornado_pct > 0)
        return cmd_run_done(r, run_tornado(r, &w->oo));
    return run_points(r, w);
}

/* The second table: per point, out of sample, P(releases >= target) with
 * its Wilson interval ("n/a" without a target), cost per release and USD
 * spent with their intervals, and the budget left unallocated. */
static void print_money_table(FILE *out, const sweep *w)
{
    double target = 0;
    for (size_t i = 0; i < w->n; i++)
        target = w->pts[i].target > 0 ? w->pts[i].target : target;
    char head[64];
    snprintf(head, sizeof head, "P(releases >= %.10g)", target);
    fprintf(out, "\nout of sample, optimal split:\n%14s  %-24s %-26s %-32s %s\n", w->param,
            target > 0 ? head : "P(releases >= target)", "USD per release", "USD spent", "unallocated USD");
    int none = 0; /* a point without releases: its reason once, under the table */
    for (size_t i = 0; i < w->n; i++) {
        const point *p = &w->pts[i];
        char pt[64] = "n/a (no target)", cost[64], spent[64];
        if (p->target > 0)
            summary_ci_text(pt, sizeof pt, p->p_target, p->p_lo, p->p_hi, 3, 0);
        summary_ci_text(cost, sizeof cost, p->cost.value, p->cost.lo, p->cost.hi, 0, 0);
        summary_ci_text(spent, sizeof spent, p->spent.value, p->spent.lo, p->spent.hi, 0, 0);
        fprintf(out, "%14.6g  %-24s %-26s %-32s %.0f\n", p->x, pt, cost, spent, p->unallocated);
        none |= !isfinite(p->cost.value);
    }
    if (none)
        fprintf(out, "n/a: nobody was released at that point in any replication: no USD per release\n");
}

static void print(cmd_run *r, void *ctx)
{
    const sweep *w = ctx;
    const scenario *s = r->s;
    FILE *out = r->out;
    if (!w->pts) {
        cmd_tornado_print(out, r->doc, s, r->o->tornado_pct, r->dirname);
        return;
    }
    fprintf(out, "fianza sweep: %s along %s (%ld replications per point, seed %llu, common random numbers)\n\n",
            s->name, w->param, s->replications, (unsigned long long)s->seed);
    fprintf(out, "%14s", w->param);
    for (size_t c = 0; c < s->nregions; c++)
        fprintf(out, " %12.12s", s->regions[c].label);
    fprintf(out, "  %-26s %s\n", scenario_objective_name(s->objective), "marginal/USD 1,000");
    for (size_t i = 0; i < w->n; i++) {
        const point *p = &w->pts[i];
        fprintf(out, "%14.6g", p->x);
        for (size_t c = 0; c < s->nregions; c++)
            fprintf(out, " %12.0f", p->alloc[c]);
        char v[64];
        summary_ci_text(v, sizeof v, p->value.value, p->value.lo, p->value.hi, 2, 0);
        fprintf(out, "  %-26s %.3f\n", v, p->marginal);
    }
    print_money_table(out, w);
    summary_print_ci_note(out, (size_t)s->replications);
}

int cmd_sweep(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print, .release = free_point_scenarios};
    sweep w = {0};
    int rc = cmd_execute(o, &hooks, &w);
    for (size_t i = 0; i < w.n; i++) {
        free(w.pts[i].alloc);
        json_decref(w.pts[i].timeline);
    }
    free(w.pts);
    return rc;
}
