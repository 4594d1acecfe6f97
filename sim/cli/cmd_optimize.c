/* fianza optimize: choose the split of the fund and evaluate it (DESIGN §2-3). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "charts.h"
#include "cmds.h"
#include "optimize.h"
#include "outdir.h"
#include "summary.h"

static json_t *est_json(stat_est e)
{
    json_t *o = json_object();
    json_object_set_new(o, "mean", json_guard_num(e.value));
    if (isfinite(e.lo) && isfinite(e.hi))
        json_object_set_new(o, "ci95", json_pack("[f, f]", e.lo, e.hi));
    else
        json_object_set_new(o, "ci95", json_null());
    return o;
}

static int write_curves(outdir *dir, const scenario *s, const optimize_result *r, fz_error *err)
{
    FILE *f = outdir_open(dir, "curves.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    const curve_set *cs = r->curves;
    fprintf(f, "region,allocation_usd,releases_mean,freedom_days_mean,expected_value_objective\n");
    for (size_t c = 0; c < cs->nregions; c++)
        for (size_t g = 0; g < cs->ngrid; g++) {
            size_t i = c * cs->ngrid + g;
            fprintf(f, "%s,%.2f,%.6f,%.6f,%.6f\n", s->regions[c].name, (double)g * cs->step, cs->releases[i],
                    cs->freedom[i], r->ev_curve[i]);
        }
    return outdir_close(f, "curves.csv", err);
}

static json_t *summary(const scenario *s, const optimize_result *r, const optimize_options *oo)
{
    json_t *doc = summary_header_json(s, "optimize", (size_t)s->replications, r->eval->nreps);
    json_t *ev = summary_eval_json(s, r->eval, OPT_OPTIMAL);
    json_object_update(doc, ev);
    json_decref(ev);
    const char *obj = scenario_objective_name(s->objective);
    json_object_set_new(doc, "optimal",
                        json_pack("{s:o, s:s, s:o, s:o}", "allocation",
                                  summary_allocation_json(s, r->allocs), "objective", obj,
                                  "in_sample_value", json_guard_num(r->mip.value), "out_of_sample",
                                  est_json(r->objective[OPT_OPTIMAL])));
    json_t *base = json_object();
    for (size_t k = 1; k < OPT_NALLOC; k++) {
        json_t *b = json_pack("{s:o, s:o, s:o}", "allocation",
                              summary_allocation_json(s, r->allocs + k * r->nregions), "value",
                              est_json(r->objective[k]), "difference_to_optimal", est_json(r->diff[k]));
        json_object_set_new(b, "releases", summary_mean_ci_json(&r->eval->allocs[k].releases));
        json_object_set_new(base, optimize_alloc_names[k], b);
    }
    json_object_set_new(doc, "baselines", base);
    json_object_set_new(doc, "vss", est_json(r->vss));
    json_object_set_new(doc, "evpi", est_json(r->evpi));
    json_object_set_new(doc, "wait_and_see", est_json(r->wait_and_see));
    if (r->gap_batches >= 2) {
        json_t *vals = json_array();
        for (int m = 0; m < r->gap_batches; m++)
            json_array_append_new(vals, json_guard_num(r->batch_values[m]));
        json_object_set_new(doc, "gap",
                            json_pack("{s:s, s:i, s:I, s:o, s:o, s:o, s:o, s:o}", "method", "Mak-Morton-Wood 1999",
                                      "batches", r->gap_batches, "batch_replications",
                                      (json_int_t)(r->cvar_reps ? r->cvar_reps : (size_t)s->replications),
                                      "upper_bound", est_json(r->gap_upper), "lower_bound",
                                      est_json(r->objective[OPT_OPTIMAL]), "gap", est_json(r->gap),
                                      "gap_ci95_one_sided_upper", json_guard_num_or_null(r->gap_ci_upper),
                                      "batch_values", vals));
    }
    json_object_set_new(doc, "marginal_releases_per_1000_usd",
                        s->objective == OBJ_RELEASES ? json_guard_num(r->mip.budget_dual * 1000) : json_null());
    json_object_set_new(doc, "marginal_objective_per_1000_usd", json_guard_num(r->mip.budget_dual * 1000));
    json_object_set_new(doc, "solver",
                        json_pack("{s:s, s:s, s:o, s:o, s:i, s:i}", "name", "GLPK", "status", r->mip.status_text,
                                  "mip_value", json_guard_num(r->mip.value), "lp_relaxation_value",
                                  json_guard_num(r->mip.lp_value), "columns",
                                  r->mip.columns, "rows", r->mip.rows));
    if (r->cvar_reps)
        json_object_set_new(doc, "cvar", json_pack("{s:f, s:I}", "alpha", s->cvar_alpha, "model_replications",
                                                   (json_int_t)r->cvar_reps));
    (void)oo;
    return doc;
}

static void print_table(FILE *out, const scenario *s, const optimize_result *r)
{
    const size_t C = r->nregions;
    const char *obj = scenario_objective_name(s->objective);
    const int one = r->eval->nreps < 2;
    fprintf(out, "\n%-15s", "allocation");
    for (size_t c = 0; c < C; c++)
        fprintf(out, " %12.12s", s->regions[c].label);
    fprintf(out, "  %-28s %s\n", obj, "minus optimal (95% CI)");
    for (size_t k = 0; k < OPT_NALLOC; k++) {
        fprintf(out, "%-15s", optimize_alloc_names[k]);
        for (size_t c = 0; c < C; c++)
            fprintf(out, " %12.0f", r->allocs[k * C + c]);
        stat_est e = r->objective[k], d = r->diff[k];
        char a[64], b[64] = "";
        /* a CVaR difference has no interval (not computed); with 1
         * replication no estimate has one, and the table says so */
        if (isfinite(e.lo) || one)
            summary_ci_text(a, sizeof a, e.value, e.lo, e.hi, 1, 0);
        else
            snprintf(a, sizeof a, "%.1f", e.value);
        if (k > 0 && (isfinite(d.lo) || one))
            summary_ci_text(b, sizeof b, d.value, d.lo, d.hi, 1, 1);
        else if (k > 0)
            snprintf(b, sizeof b, "%+.1f", d.value);
        fprintf(out, "  %-28s %s\n", a, b);
    }
    char v[64];
    fprintf(out, "\nVSS %s; EVPI ", summary_ci_text(v, sizeof v, r->vss.value, r->vss.lo, r->vss.hi, 2, 0));
    if (isfinite(r->evpi.lo) || one)
        fprintf(out, "%s", summary_ci_text(v, sizeof v, r->evpi.value, r->evpi.lo, r->evpi.hi, 2, 0));
    else
        fprintf(out, "%.2f", r->evpi.value);
    fprintf(out, "; marginal %s per extra USD 1,000: %.3f\n", obj, r->mip.budget_dual * 1000);
    if (r->gap_batches >= 2 && isfinite(r->gap_ci_upper))
        fprintf(out, "optimality gap (Mak-Morton-Wood, %d batches): %.2f, 95%% upper bound %.2f\n", r->gap_batches,
               r->gap.value, r->gap_ci_upper);
    else if (r->gap_batches >= 2)
        fprintf(out, "optimality gap (Mak-Morton-Wood, %d batches): %.2f, 95%% upper bound undefined\n",
                r->gap_batches, r->gap.value);
    if (r->gap_time_limited)
        fprintf(out, "%d gap batches stopped at the solver time limit: their bounds were used\n", r->gap_time_limited);
    fprintf(out, "solver: GLPK, %s (%d columns, %d rows)\n", r->mip.status_text, r->mip.columns, r->mip.rows);
}

static void notice(void *ctx, const char *text)
{
    const cli_progress *bar = ctx;
    fprintf(stderr, "%sfianza: %s\n", bar->enabled ? "\n" : "", text); /* below the progress bar's line */
}

int cmd_optimize(const cli_opts *o)
{
    fz_error err = {0, ""};
    scenario *s = NULL;
    outdir *dir = NULL;
    summary_reps *reps = NULL;
    optimize_result *r = NULL;
    json_t *doc = NULL;
    char dirbuf[4096];
    int rc;
    if ((rc = cli_load_scenario(&s, o, &err)))
        goto done;
    optimize_bounds bounds; /* reject infeasible share bounds before any simulation */
    if ((rc = optimize_bounds_init(&bounds, s, &err)))
        goto done;
    const char *path = cli_outdir(o, s, dirbuf, sizeof dirbuf);
    if ((rc = cmd_outdir_begin(&dir, path, s, &err)))
        goto done;
    if ((rc = summary_reps_open(&reps, dir, s, optimize_alloc_names, &err)))
        goto done;
    if (!o->quiet) { /* runs of minutes get an estimate first, from a measured pilot */
        optimize_eta eta;
        optimize_options po = {.threads = o->threads, .gap_batches = o->gap_batches};
        if ((rc = optimize_estimate(&eta, s, &po, &err)))
            goto done;
        if (eta.seconds > OPTIMIZE_ESTIMATE_WARN)
            fprintf(stderr,
                    "fianza: this run will take about %.0f minutes (estimate from a pilot of %zu replications: "
                    "curves %.3g s and wait-and-see %.3g s per replication; solver time not included)\n",
                    eta.seconds / 60, eta.pilot, eta.curve_rep, eta.ws_rep);
    }
    cli_progress bar;
    cli_progress_init(&bar, o, "optimize");
    optimize_options oo = {.threads = o->threads, .gap_batches = o->gap_batches, .time_limit = o->time_limit,
                           .progress = cli_progress_stage, .progress_ctx = &bar,
                           .notice = o->quiet ? NULL : notice, .on_eval_block = summary_reps_block,
                           .eval_block_ctx = reps};
    double t0 = cli_now();
    rc = optimize_run(&r, s, &oo, &err);
    double seconds = cli_now() - t0;
    cli_progress_done(&bar);
    int rc2 = summary_reps_close(reps, rc ? NULL : &err);
    reps = NULL;
    if (rc || (rc = rc2))
        goto done;
    doc = summary(s, r, &oo);
    json_t *timing = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:i}", "total_seconds", seconds, "curves_seconds",
                               r->seconds_curves, "solve_seconds", r->seconds_solve, "evaluate_seconds",
                               r->seconds_eval, "gap_seconds", r->seconds_gap, "people_optimize_stream",
                               r->curves->people, "threads", o->threads ? o->threads : omp_get_max_threads());
    rc = summary_write_json(dir, "timing.json", timing, &err);
    json_decref(timing);
    if (rc || (rc = summary_write_json(dir, "summary.json", doc, &err)) ||
        (rc = summary_allocation_csv(dir, s, r->allocs, &err)) || (rc = write_curves(dir, s, r, &err)))
        goto done;
    charts_list charts = {.n = 0};
    if ((rc = charts_eval(dir, s, r->eval, OPT_OPTIMAL, "optimal allocation, out of sample", &charts, &err)) ||
        (rc = charts_optimize(dir, s, r, &charts, &err)) ||
        (rc = cmd_finish(&dir, s, doc, &charts, o, &err)))
        goto done;
    if (!o->quiet) {
        FILE *out = o->json ? stderr : stdout; /* stdout carries only JSON then */
        fprintf(out, "fianza optimize: %s, budget %.0f USD, %ld replications per stream, seed %llu, %s, objective %s\n",
               s->name, s->budget_usd, s->replications, (unsigned long long)s->seed,
               scenario_policy_name(s->policy), scenario_objective_name(s->objective));
        print_table(out, s, r);
        fprintf(out, "\nOptimal allocation, out of sample:\n");
        summary_print_eval(out, s, r->eval, OPT_OPTIMAL);
        fprintf(out, "done in %.2f s (curves %.2f, MIP %.3f, evaluation %.2f, gap %.2f); results in %s/\n", seconds,
               r->seconds_curves, r->seconds_solve, r->seconds_eval, r->seconds_gap, path);
    }
    cmd_print_json(o, doc);
done:
    if (reps)
        summary_reps_close(reps, NULL);
    outdir_abort(dir);
    json_decref(doc);
    optimize_free(r);
    scenario_free(s);
    return rc ? cmd_report_error(&err) : 0;
}
