/* fianza optimize: choose the split of the fund and evaluate it (DESIGN §2-3). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "cv_out.h"
#include "estimate.h"
#include "optimize.h"
#include "realloc.h"
#include "summary.h"
#include "timeline_out.h"

static int write_curves(outdir *dir, const scenario *s, const optimize_result *r, fz_error *err)
{
    FILE *f = outdir_open(dir, "curves.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    const curve_set *cs = r->curves;
    /* the label last, after the columns curves.gp reads */
    fprintf(f, "region,allocation_usd,releases_mean,freedom_days_mean,expected_value_objective,region_label\n");
    for (size_t c = 0; c < cs->nregions; c++)
        for (size_t g = 0; g < cs->ngrid; g++) {
            size_t i = c * cs->ngrid + g;
            fprintf(f, "%s,%.2f,%.6f,%.6f,%.6f,", s->regions[c].name, (double)g * cs->step, cs->releases[i],
                    cs->freedom[i], r->ev_curve[i]);
            summary_csv_text(f, s->regions[c].label);
            fputc('\n', f);
        }
    return outdir_close(f, "curves.csv", err);
}

/* DESIGN §8: the re-allocated split beside the static one. */
static json_t *realloc_json(const realloc_report *a)
{
    return json_pack("{s:f, s:I, s:s, s:o, s:o, s:o, s:o}", "every_days", a->every, "epochs", (json_int_t)a->epochs,
                     "measure", a->freedom ? "freedom_days" : "releases", "releases", cmd_est_json(a->releases),
                     "static_releases", cmd_est_json(a->static_releases), "value", cmd_est_json(a->value),
                     "reserve_end_usd_mean", json_guard_num(a->reserve_end));
}

static void realloc_line(FILE *out, const realloc_report *a)
{
    char v[64], w[64], d[64];
    fprintf(out, "re-allocating every %g days (%zu re-splits): releases %s, static %s; value of re-allocating %s %s\n",
            a->every, a->epochs, summary_ci_text(v, sizeof v, a->releases.value, a->releases.lo, a->releases.hi, 1, 0),
            summary_ci_text(w, sizeof w, a->static_releases.value, a->static_releases.lo, a->static_releases.hi, 1, 0),
            summary_ci_text(d, sizeof d, a->value.value, a->value.lo, a->value.hi, 2, 1),
            a->freedom ? "days of freedom" : "releases");
}

/* issue 16: allocation k's value in the objective and its paired
 * difference to the optimum as reported: the control variate (fundable
 * cases, cv_out.c) for the means (releases, days of freedom, P(target)),
 * plain for CVaR, which is not a mean (the mean of the worst alpha share
 * of replications, a tail functional with no linear relation to X); value
 * and diff are the plain estimates of optimize.c, kept in `plain`. */
#define CV_NOT_CVAR "CVaR is a tail functional, not a mean: no control variate"
static cv_report value_report(const scenario *s, const optimize_result *r, size_t k, stat_est value)
{
    const eval_alloc *a = &r->eval->allocs[k];
    if (s->objective == OBJ_RELEASES)
        return cv_out_mean(r->eval, value, &a->cv_releases);
    if (s->objective == OBJ_FREEDOM_DAYS)
        return cv_out_mean(r->eval, value, &a->cv_freedom);
    if (s->objective == OBJ_TARGET_PROB) {
        cv_report c = cv_out_p_target(r->eval, k);
        c.plain = value; /* the same numbers (optimize_value) */
        if (c.reason)
            c.est = value;
        return c;
    }
    return cv_out_plain(value, CV_NOT_CVAR);
}

static cv_report diff_report(const scenario *s, const optimize_result *r, size_t k, stat_est diff)
{
    const eval_alloc *a = &r->eval->allocs[k];
    if (s->objective == OBJ_RELEASES)
        return cv_out_mean(r->eval, diff, &a->cv_diff_releases);
    if (s->objective == OBJ_FREEDOM_DAYS)
        return cv_out_mean(r->eval, diff, &a->cv_diff_freedom);
    if (s->objective == OBJ_TARGET_PROB)
        return cv_out_mean(r->eval, diff, &a->cv_diff_reach);
    return cv_out_plain(diff, CV_NOT_CVAR);
}

/* VSS = -(the expected-value split minus the optimum): its controlled
 * estimate is minus that difference's */
static cv_report vss_report(const scenario *s, const optimize_result *r)
{
    cv_report d = diff_report(s, r, OPT_EXPECTED_VALUE, r->diff[OPT_EXPECTED_VALUE]);
    d.est = (stat_est){-d.est.value, -d.est.hi, -d.est.lo};
    d.plain = r->vss;
    if (d.reason)
        d.est = r->vss;
    return d;
}

/* Wait-and-see and EVPI are means over the evaluation's replications (the
 * per-replication wait-and-see optimum, and its difference to the optimum's
 * value), paired with the same controls in sim/run/ws.c (ws_controls):
 * controlled as the other means; plain for CVaR (the wait-and-see value is
 * the CVaR of the replications' optima, EVPI a difference of CVaRs).  With
 * target_prob the wait-and-see P keeps Wilson's interval unless the
 * controlled one is usable, as P(target) (cv_out_p_target). */
static cv_report ws_report(const scenario *s, const optimize_result *r)
{
    if (s->objective == OBJ_CVAR)
        return cv_out_plain(r->wait_and_see, CV_NOT_CVAR);
    cv_report c = cv_out_cv(r->eval, r->wait_and_see, r->ws_cv);
    if (s->objective == OBJ_TARGET_PROB && !c.reason) {
        const double n = (double)r->eval->nreps, hits = round(r->wait_and_see.value * n);
        if (!(hits > 0 && hits < n))
            return cv_out_plain(r->wait_and_see, "every replication on the same side of the target: Wilson's interval");
        if (!(c.est.lo >= 0 && c.est.hi <= 1 && c.est.hi > c.est.lo))
            return cv_out_plain(r->wait_and_see, "the controlled interval leaves [0, 1]: Wilson's interval");
    }
    return c;
}

/* every replication's difference is >= 0, so is EVPI: the interval is cut
 * at 0 (as the plain one in optimize.c), which keeps its coverage */
static cv_report evpi_report(const scenario *s, const optimize_result *r)
{
    if (s->objective == OBJ_CVAR)
        return cv_out_plain(r->evpi, CV_NOT_CVAR);
    cv_report c = cv_out_cv(r->eval, r->evpi, r->evpi_cv);
    if (!c.reason && c.est.lo < 0 && c.est.value >= 0)
        c.est.lo = 0;
    return c;
}

/* DESIGN §8: the pooled fund beside the optimal split (paired). */
static json_t *pooled_json(const scenario *s, const optimize_result *r)
{
    const eval_alloc *a = &r->eval->allocs[OPT_NALLOC];
    json_t *rel = summary_mean_ci_json(&a->releases);
    summary_p_target_json(rel, s, r->eval, OPT_NALLOC);
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o}", "what", "one account holding the budget, one queue for every region", "value",
        cv_out_report_json(value_report(s, r, OPT_NALLOC, r->pooled_value)), "difference_to_optimal",
        cv_out_report_json(diff_report(s, r, OPT_NALLOC, r->pooled_diff)), "releases", rel,
        "spent_usd", summary_mean_ci_json(&a->spent), "balance_end_usd_mean", json_guard_num(a->balance_end.mean));
}

static void pooled_line(FILE *out, const scenario *s, const optimize_result *r)
{
    char v[64], d[64];
    const stat_est e = value_report(s, r, OPT_NALLOC, r->pooled_value).est,
                   f = diff_report(s, r, OPT_NALLOC, r->pooled_diff).est;
    fprintf(out, "pooled fund (one account, one queue): %s %s; minus optimal %s\n",
            scenario_objective_name(s->objective), summary_ci_text(v, sizeof v, e.value, e.lo, e.hi, 2, 0),
            summary_ci_text(d, sizeof d, f.value, f.lo, f.hi, 2, 1));
}

static json_t *num_array(const double *x, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_guard_num(x[i]));
    return a;
}

/* A2RP (gap.c): the keys MMW's object has, in the same meaning (gap: the
 * estimate of the optimality gap; gap_ci95_one_sided_upper: its 95% upper
 * bound; upper_bound: of the optimum's value, here L + G-bar'; batches and
 * batch_values: the 2K halves and their in-sample optima), then its own. */
static json_t *a2rp_json(const optimize_result *r)
{
    const gap_a2rp *g = &r->a2rp;
    json_t *o = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "method",
                          "Bayraksan-Morton 2006 A2RP (variance between pairs)", "batches", (json_int_t)(2 * g->pairs),
                          "batch_replications", (json_int_t)g->half_reps, "upper_bound", cmd_est_json(r->gap_upper),
                          "lower_bound", cmd_est_json(r->objective[OPT_OPTIMAL]), "gap", cmd_est_json(r->gap),
                          "gap_ci95_one_sided_upper", json_guard_num_or_null(r->gap_ci_upper), "batch_values",
                          num_array(g->half_value, 2 * g->pairs));
    json_object_set_new(o, "pairs", json_integer((json_int_t)g->pairs));
    json_object_set_new(o, "pair_gaps", num_array(g->pair_gap, g->pairs));
    json_object_set_new(o, "half_gaps", num_array(g->half_gap, 2 * g->pairs));
    json_object_set_new(o, "halves_reselecting_optimal", json_integer(g->reselected));
    json_object_set_new(o, "degenerate", json_false());
    return o;
}

static json_t *summary(const scenario *s, const optimize_result *r, const optimize_options *oo)
{
    json_t *doc = summary_header_json(s, "optimize", (size_t)s->replications, r->eval->nreps);
    json_t *ev = summary_eval_json(s, r->eval, OPT_OPTIMAL);
    json_object_update(doc, ev);
    json_decref(ev);
    const char *obj = scenario_objective_name(s->objective);
    json_object_set_new(doc, "optimal",
                        json_pack("{s:o, s:s, s:o, s:o}", "allocation", summary_allocation_json(s, r->allocs),
                                  "objective", obj, "in_sample_value", json_guard_num(r->mip.value), "out_of_sample",
                                  cv_out_report_json(value_report(s, r, OPT_OPTIMAL, r->objective[OPT_OPTIMAL]))));
    json_object_set_new(json_object_get(doc, "optimal"), "unallocated_usd",
                        json_guard_num(summary_unallocated(s, r->allocs)));
    json_t *base = json_object();
    for (size_t k = 1; k < OPT_NALLOC; k++) {
        json_t *b =
            json_pack("{s:o, s:o, s:o}", "allocation", summary_allocation_json(s, r->allocs + k * r->nregions), "value",
                      cv_out_report_json(value_report(s, r, k, r->objective[k])), "difference_to_optimal",
                      cv_out_report_json(diff_report(s, r, k, r->diff[k])));
        json_t *rel = summary_mean_ci_json(&r->eval->allocs[k].releases);
        summary_p_target_json(rel, s, r->eval, k); /* DESIGN §8 */
        json_object_set_new(b, "releases", rel);
        json_object_set_new(b, "feasible", json_boolean(summary_feasible(s, r->allocs + k * r->nregions)));
        json_object_set_new(b, "unallocated_usd", json_guard_num(summary_unallocated(s, r->allocs + k * r->nregions)));
        json_object_set_new(base, optimize_alloc_names[k], b);
    }
    json_object_set_new(doc, "baselines", base);
    json_object_set_new(doc, "vss", cv_out_report_json(vss_report(s, r)));
    json_object_set_new(doc, "evpi", cv_out_report_json(evpi_report(s, r)));
    json_object_set_new(doc, "wait_and_see", cv_out_report_json(ws_report(s, r)));
    if (r->gap_method == OPT_GAP_A2RP)
        json_object_set_new(doc, "gap", a2rp_json(r));
    else if (r->gap_batches >= 2) {
        json_t *vals = json_array();
        for (int m = 0; m < r->gap_batches; m++)
            json_array_append_new(vals, json_guard_num(r->batch_values[m]));
        json_object_set_new(doc, "gap",
                            json_pack("{s:s, s:i, s:I, s:o, s:o, s:o, s:o, s:o}", "method", "Mak-Morton-Wood 1999",
                                      "batches", r->gap_batches, "batch_replications",
                                      (json_int_t)(r->cvar_reps ? r->cvar_reps : (size_t)s->replications),
                                      "upper_bound", cmd_est_json(r->gap_upper), "lower_bound",
                                      cmd_est_json(r->objective[OPT_OPTIMAL]), "gap", cmd_est_json(r->gap),
                                      "gap_ci95_one_sided_upper", json_guard_num_or_null(r->gap_ci_upper),
                                      "batch_values", vals));
        if (r->gap_note) { /* A2RP asked for, MMW used: why */
            json_object_set_new(json_object_get(doc, "gap"), "degenerate", json_boolean(r->gap_degenerate));
            json_object_set_new(json_object_get(doc, "gap"), "note", json_string(r->gap_note));
        }
    } else if (oo->gap_method == OPT_GAP_NONE)
        json_object_set_new(doc, "gap", json_null());
    if (r->gap_skipped)
        json_object_set_new(doc, "gap", json_pack("{s:s}", "skipped", OPTIMIZE_GAP_SKIPPED));
    json_object_set_new(doc, "gap_method", json_string(optimize_gap_names[r->gap_method]));
    json_object_set_new(doc, "marginal_releases_per_1000_usd",
                        s->objective == OBJ_RELEASES ? json_guard_num(r->mip.budget_dual * 1000) : json_null());
    json_object_set_new(doc, "marginal_objective_per_1000_usd", json_guard_num(r->mip.budget_dual * 1000));
    json_object_set_new(doc, "solver",
                        json_pack("{s:s, s:s, s:o, s:o, s:i, s:i}", "name", "GLPK", "status", r->mip.status_text,
                                  "mip_value", json_guard_num(r->mip.value), "lp_relaxation_value",
                                  json_guard_num(r->mip.lp_value), "columns", r->mip.columns, "rows", r->mip.rows));
    if (r->target_reps) /* DESIGN §8: the target model */
        json_object_set_new(doc, "target",
                            json_pack("{s:f, s:f, s:I, s:I, s:o}", "target_releases", s->target_releases,
                                      "min_target_prob", s->min_target_prob, "target_reps", (json_int_t)r->target_reps,
                                      "in_sample_reached", (json_int_t)r->mip.reached, "in_sample_p_target",
                                      json_guard_num((double)r->mip.reached / (double)r->target_reps)));
    if (r->cvar_reps && s->objective == OBJ_CVAR)
        json_object_set_new(
            doc, "cvar",
            json_pack("{s:f, s:I}", "alpha", s->cvar_alpha, "model_replications", (json_int_t)r->cvar_reps));
    json_object_set_new(doc, "pooled", pooled_json(s, r));
    if (r->realloc)
        json_object_set_new(doc, "reallocation", realloc_json(r->realloc));
    return doc;
}

/* The optimality gap's lines: its estimate and bound, or why there is none. */
static void gap_lines(FILE *out, const optimize_result *r, int d2)
{
    if (r->gap_note)
        fprintf(out, "%s\n", r->gap_note);
    if (r->gap_method == OPT_GAP_A2RP)
        fprintf(out, "optimality gap (A2RP, %zu pairs of %zu replications): %.*f, 95%% upper bound %.*f\n",
                r->a2rp.pairs, r->a2rp.half_reps, d2, r->gap.value, d2, r->gap_ci_upper);
    else if (r->gap_batches >= 2 && isfinite(r->gap_ci_upper))
        fprintf(out, "optimality gap (Mak-Morton-Wood, %d batches): %.*f, 95%% upper bound %.*f\n", r->gap_batches, d2,
                r->gap.value, d2, r->gap_ci_upper);
    else if (r->gap_batches >= 2)
        fprintf(out, "optimality gap (Mak-Morton-Wood, %d batches): %.*f, 95%% upper bound n/a\n", r->gap_batches, d2,
                r->gap.value);
    if (r->gap_skipped)
        fprintf(out, "optimality gap: not estimated: %s\n", OPTIMIZE_GAP_SKIPPED);
    else if (r->gap_method == OPT_GAP_NONE)
        fprintf(out, "optimality gap: not estimated (--gap none)\n");
    if (r->gap_time_limited)
        fprintf(out, "%d gap batches stopped at the solver time limit: their bounds were used\n", r->gap_time_limited);
}

static void print_table(FILE *out, const scenario *s, const optimize_result *r)
{
    const size_t C = r->nregions;
    const char *obj = scenario_objective_name(s->objective);
    const int one = r->eval->nreps < 2;
    int left = 0; /* an "unallocated" column when some split leaves money over */
    for (size_t k = 0; k < OPT_NALLOC; k++)
        left |= summary_unallocated(s, r->allocs + k * C) > 0;
    fprintf(out, "\n%-15s", "allocation");
    for (size_t c = 0; c < C; c++)
        fprintf(out, " %12.12s", s->regions[c].label);
    if (left)
        fprintf(out, " %12s", SUMMARY_UNALLOCATED);
    const int target = s->target_releases > 0, dg = s->objective == OBJ_TARGET_PROB ? 3 : 1;
    char head[64];
    snprintf(head, sizeof head, "P(>=%.0f) [95%% CI]", s->target_releases);
    if (target)
        fprintf(out, "  %-28s %-28s %s\n", obj, "minus optimal (95% CI)", head);
    else
        fprintf(out, "  %-28s %s\n", obj, "minus optimal (95% CI)");
    int marked = 0;
    for (size_t k = 0; k < OPT_NALLOC; k++) {
        char name[32];
        int bad = !summary_feasible(s, r->allocs + k * C);
        snprintf(name, sizeof name, "%s%s", optimize_alloc_names[k], bad ? "*" : "");
        marked |= bad;
        fprintf(out, "%-15s", name);
        for (size_t c = 0; c < C; c++)
            fprintf(out, " %12.0f", r->allocs[k * C + c]);
        if (left)
            fprintf(out, " %12.0f", summary_unallocated(s, r->allocs + k * C));
        stat_est e = value_report(s, r, k, r->objective[k]).est, d = diff_report(s, r, k, r->diff[k]).est;
        char a[64], b[64] = "";
        /* a CVaR difference has no interval (not computed) and with 1
         * replication no estimate has one: "[CI n/a]", and a line below
         * says why */
        summary_ci_text(a, sizeof a, e.value, e.lo, e.hi, dg, 0);
        if (k > 0)
            summary_ci_text(b, sizeof b, d.value, d.lo, d.hi, dg, 1);
        char pt[80] = "";
        if (target)
            summary_p_target_text(pt, sizeof pt, r->eval, k);
        if (target)
            fprintf(out, "  %-28s %-28s %s\n", a, b, pt);
        else
            fprintf(out, "  %-28s %s\n", a, b);
    }
    if (marked)
        fprintf(out, "* infeasible: breaks a region's min_share or max_share (evaluated all the same)\n");
    char v[64];
    const int d2 = dg == 3 ? 3 : 2;
    const cv_report vss = vss_report(s, r), v0 = value_report(s, r, OPT_OPTIMAL, r->objective[OPT_OPTIMAL]),
                    evpi = evpi_report(s, r);
    if (!v0.reason) /* issue 16: which estimator the table shows */
        fprintf(out, "(values, differences, VSS and EVPI: control variate on fundable cases; plain optimal %s)\n",
                summary_ci_text(v, sizeof v, v0.plain.value, v0.plain.lo, v0.plain.hi, dg, 0));
    else
        fprintf(out, "(values and differences: plain estimates: %s)\n", v0.reason);
    fprintf(out, "\nVSS %s; EVPI ", summary_ci_text(v, sizeof v, vss.est.value, vss.est.lo, vss.est.hi, d2, 0));
    fprintf(out, "%s", summary_ci_text(v, sizeof v, evpi.est.value, evpi.est.lo, evpi.est.hi, d2, 0));
    fprintf(out, "; marginal %s per extra USD 1,000: %.*f\n", obj, dg == 3 ? 5 : 3, r->mip.budget_dual * 1000);
    if (s->objective == OBJ_CVAR && !one) /* with 1 replication, the 1-replication line says why */
        fprintf(out,
                "n/a: a difference of two CVaRs (minus optimal, VSS, EVPI, pooled fund) has no 95%% CI: each CVaR "
                "is the mean of its own worst %g%% of replications, so the difference is not a mean over paired "
                "replications\n",
                100 * s->cvar_alpha);
    gap_lines(out, r, d2);
    fprintf(out, "solver: GLPK, %s (%d columns, %d rows)\n", r->mip.status_text, r->mip.columns, r->mip.rows);
    if (r->target_reps)
        fprintf(out, "target model: %zu of %ld optimize replications (cap %d values); in sample %ld reach %.0f\n",
                r->target_reps, s->replications, OPTIMIZE_TARGET_MAX_CELLS, r->mip.reached, s->target_releases);
    pooled_line(out, s, r);
    if (r->realloc)
        realloc_line(out, r->realloc);
}

static void notice(void *ctx, const char *text)
{
    cli_progress_break(ctx); /* below the progress bar's line */
    fprintf(stderr, "fianza: %s\n", text);
}

typedef struct optimize {
    optimize_result *res;
    double seconds;
} optimize;

/* Infeasible share bounds are refused before any simulation. */
static int check(cmd_run *r, void *ctx)
{
    (void)ctx;
    r->rep_names = optimize_alloc_names;
    int rc = cmd_check_shares(r->s, &r->err);
    return rc ? rc : realloc_check(r->s, &r->err); /* before the pilot's estimate */
}

/* The plan of the progress bar's ETA: the stages of optimize_run, with the
 * pilot's costs until each kind of work has been measured (the gap batches
 * repeat the curve pass: kind 0). */
static void plan(progress_model *m, const scenario *s, const optimize_eta *e)
{
    const double S = (double)s->replications;
    memset(m, 0, sizeof *m);
    m->unit_cost[0] = e->curve_rep;
    m->unit_cost[1] = e->eval_rep;
    m->unit_cost[2] = 0; /* wait-and-see: done in the evaluation's pass (issue 16) */
    m->unit_cost[3] = e->eval_rep;
    m->solve_cost = e->solve_one;
    m->st[m->n++] = (progress_stage_plan){"curves", S, 0, 0};
    m->st[m->n++] = (progress_stage_plan){"MIP", 0, 1, 0};
    m->st[m->n++] = (progress_stage_plan){"evaluate", S, 0, 1};
    if (e->reallocation > 0)
        m->st[m->n++] = (progress_stage_plan){"re-allocation", S, 0, 3};
    m->st[m->n++] = (progress_stage_plan){"wait-and-see", S, 0, 2};
    if (e->gap_batches)
        m->st[m->n++] = (progress_stage_plan){"gap", (double)e->gap_batches * (double)e->batch_reps, e->gap_batches, 0};
}

/* A run estimated above OPTIMIZE_ESTIMATE_WARN seconds is announced, stage
 * by stage, from a measured pilot; the bar's ETA starts from the same costs. */
static int estimate(cmd_run *r)
{
    optimize_eta e;
    optimize_options po = {.threads = r->o->threads,
                           .gap_batches = r->o->gap_batches,
                           .gap_method = r->o->gap_method,
                           .time_limit = r->o->time_limit};
    int rc = optimize_estimate(&e, r->s, &po, &r->err);
    if (rc)
        return rc;
    if (e.seconds > OPTIMIZE_ESTIMATE_WARN) {
        char all[32], cur[32], mip[32], ev[32], t[32], most[96] = "", model[96] = "", gap[96] = "", re[64] = "";
        size_t n = optimize_cvar_reps(r->s);
        double limit = r->o->time_limit > 0          ? r->o->time_limit
                       : r->s->objective == OBJ_CVAR ? OPTIMIZE_CVAR_TIME_LIMIT
                                                     : OPTIMIZE_TARGET_TIME_LIMIT;
        if (n) { /* a model of replications: its solves vary several-fold; the time limit bounds each */
            snprintf(model, sizeof model, " (%s model, %zu replications)", scenario_objective_name(r->s->objective), n);
            snprintf(most, sizeof most, " (up to %s if every solve runs to its %g s limit)",
                     progress_secs(t, sizeof t, e.seconds + (1 + e.gap_batches) * (limit - e.solve_one)), limit);
        }
        if (e.reallocation > 0)
            snprintf(re, sizeof re, ", re-allocation %s or more", progress_secs(t, sizeof t, e.reallocation));
        if (e.gap_batches)
            snprintf(gap, sizeof gap, ", gap %s (%d batches)", progress_secs(t, sizeof t, e.gap), e.gap_batches);
        fprintf(stderr,
                "fianza: this run will take about %s%s%s: curves %s, MIP %s%s%s, evaluation and wait-and-see %s%s%s; "
                "--replications%s change it\n",
                progress_secs(all, sizeof all, e.seconds), e.solve_capped ? " or more" : "", most,
                progress_secs(cur, sizeof cur, e.curves), progress_secs(mip, sizeof mip, e.solve),
                e.solve_capped ? " or more" : "", model,
                progress_secs(ev, sizeof ev, e.evaluate + e.wait_and_see), re, gap,
                e.gap_batches ? " and --gap-batches" : "");
    }
    cli_progress_init(&r->bar, r->o, r->o->command); /* the bar's rate leaves the pilot out */
    progress_model m;
    plan(&m, r->s, &e);
    cli_progress_plan(&r->bar, &m);
    return 0;
}

static int run(cmd_run *r, void *ctx)
{
    optimize *c = ctx;
    const cli_opts *o = r->o;
    const scenario *s = r->s;
    int rc = o->quiet ? 0 : estimate(r);
    if (rc)
        return rc;
    optimize_options oo = {.threads = o->threads,
                           .gap_batches = o->gap_batches,
                           .gap_method = o->gap_method,
                           .time_limit = o->time_limit,
                           .precision = o->precision,
                           .precision_block = (size_t)o->precision_block,
                           .progress = cli_progress_stage,
                           .progress_ctx = &r->bar,
                           .notice = o->quiet ? NULL : notice,
                           .on_eval_block = summary_reps_block,
                           .eval_block_ctx = r->reps};
    double t0 = cli_now();
    rc = optimize_run(&c->res, s, &oo, &r->err);
    c->seconds = cli_now() - t0;
    if ((rc = cmd_run_done(r, rc)))
        return rc;
    const optimize_result *e = c->res;
    r->doc = summary(s, e, &oo);
    json_t *timing = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:i}", "total_seconds", c->seconds, "curves_seconds",
                               e->seconds_curves, "solve_seconds", e->seconds_solve, "evaluate_seconds",
                               e->seconds_eval, "gap_seconds", e->seconds_gap, "people_optimize_stream",
                               e->curves->people, "threads", o->threads ? o->threads : omp_get_max_threads());
    rc = summary_write_json(r->dir, "timing.json", timing, &r->err);
    json_decref(timing);
    if (rc || (rc = summary_allocation_csv(r->dir, s, e->allocs, &r->err)) ||
        (rc = write_curves(r->dir, s, e, &r->err)) ||
        (rc = charts_eval(r->dir, s, e->eval, OPT_OPTIMAL, "optimal allocation, out of sample", &r->charts, &r->err)) ||
        (rc = timeline_outputs(r->dir, r->doc, s, e->eval, "optimal allocation, out of sample", &r->charts, &r->err)))
        return rc;
    return charts_optimize(r->dir, s, e, &r->charts, &r->err);
}

static void print(cmd_run *r, void *ctx)
{
    const optimize *c = ctx;
    const optimize_result *e = c->res;
    const scenario *s = r->s;
    fprintf(r->out, "fianza optimize: %s, budget %.0f USD, %ld replications per stream, seed %llu, %s, objective %s\n",
            s->name, s->budget_usd, s->replications, (unsigned long long)s->seed, scenario_policy_name(s->policy),
            scenario_objective_name(s->objective));
    print_table(r->out, s, e);
    fprintf(r->out, "\nOptimal allocation, out of sample:\n");
    summary_print_eval(r->out, s, e->eval, OPT_OPTIMAL);
    fprintf(r->out, "done in %.2f s (curves %.2f, MIP %.3f, evaluation %.2f, gap %.2f); results in %s/\n", c->seconds,
            e->seconds_curves, e->seconds_solve, e->seconds_eval, e->seconds_gap, r->dirname);
}

int cmd_optimize(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print};
    optimize c = {0};
    int rc = cmd_execute(o, &hooks, &c);
    optimize_free(c.res);
    return rc;
}
