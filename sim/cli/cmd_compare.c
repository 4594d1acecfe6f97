/* fianza compare: allocations (and policies) on the same replications, with
 * paired differences to the first variant (common random numbers). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "eval.h"
#include "outdir.h"
#include "plot.h"
#include "summary.h"
#include "rng.h"

typedef struct variant {
    char name[256];
    scenario_policy policy;
} variant;

/* ",mean,lo,hi"; lo and hi empty when the interval is undefined (1 replication). */
static void csv_mean_ci(FILE *f, const stat_acc *a)
{
    double h = stat_ci95_half(a);
    fprintf(f, ",%.10g", a->mean);
    if (isfinite(h))
        fprintf(f, ",%.10g,%.10g", a->mean - h, a->mean + h);
    else
        fprintf(f, ",,");
}

static int write_compare(outdir *dir, const scenario *s, const eval_result *r, variant *v, charts_list *charts,
                         fz_error *err)
{
    FILE *f = outdir_open(dir, "compare.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "variant,mean,lo,hi,diff,diff_lo,diff_hi\n");
    for (size_t k = 0; k < r->nalloc; k++) {
        const eval_alloc *a = &r->allocs[k];
        fprintf(f, "%zu:%s", k + 1, scenario_policy_name(v[k].policy));
        csv_mean_ci(f, &a->releases);
        csv_mean_ci(f, &a->diff_releases);
        fputc('\n', f);
    }
    int rc = outdir_close(f, "compare.csv", err);
    char title[300], n[16];
    snprintf(title, sizeof title, "%s: comparison of %zu variants", s->name, r->nalloc);
    snprintf(n, sizeof n, "%zu", r->nalloc);
    char *t = plot_quote(title);
    if (!rc && !t)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var vars[] = {{"TITLE", t}, {"N", n}};
    if (!rc && !(rc = plot_script(dir, "compare", vars, 2, err)))
        charts->names[charts->n++] = "compare";
    free(t);
    return rc;
}

int cmd_compare(const cli_opts *o)
{
    fz_error err = {0, ""};
    scenario *s = NULL;
    outdir *dir = NULL;
    summary_reps *reps = NULL;
    eval_result *r = NULL;
    json_t *doc = NULL;
    double *allocs = NULL;
    variant *v = NULL;
    scenario_policy *pol = NULL;
    const char **names = NULL;
    char dirbuf[4096];
    int rc;
    if ((rc = cli_load_scenario(&s, o, &err)))
        goto done;
    size_t na = o->nalloc, np = o->npolicies ? o->npolicies : 1, K = na * np, C = s->nregions;
    if (na == 0 || K < 2) {
        rc = fz_fail(&err, FZ_EINPUT, "compare: expected two or more --allocation, or one --allocation with "
                                      "two or more --policy");
        goto done;
    }
    allocs = malloc(K * C * sizeof *allocs);
    v = calloc(K, sizeof *v);
    pol = malloc(K * sizeof *pol);
    names = malloc(K * sizeof *names);
    if (!allocs || !v || !pol || !names) {
        rc = fz_fail(&err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < np; j++) {
            size_t k = i * np + j;
            if ((rc = cli_parse_allocation(allocs + k * C, s, o->allocations[i], &err)))
                goto done;
            v[k].policy = s->policy;
            if (o->npolicies && scenario_parse_policy(o->policies[j], &v[k].policy)) {
                rc = fz_fail(&err, FZ_EINPUT, "--policy %s: expected cheapest_first or first_come", o->policies[j]);
                goto done;
            }
            snprintf(v[k].name, sizeof v[k].name, "%zu", k + 1);
            pol[k] = v[k].policy;
            names[k] = v[k].name;
        }
    if ((rc = cmd_outdir_begin(&dir, cli_outdir(o, s, dirbuf, sizeof dirbuf), s, &err)) ||
        (rc = summary_reps_open(&reps, dir, s, names, &err)))
        goto done;
    cli_progress bar;
    cli_progress_init(&bar, o, "compare");
    eval_options eo = {.stream = RNG_STREAM_EVALUATE, .nreps = (size_t)s->replications, .threads = o->threads,
                       .policies = pol, .on_block = summary_reps_block, .block_ctx = reps,
                       .progress = cli_progress_update, .progress_ctx = &bar};
    rc = eval_run(&r, s, allocs, K, &eo, &err);
    cli_progress_done(&bar);
    int rc2 = summary_reps_close(reps, rc ? NULL : &err);
    reps = NULL;
    if (rc || (rc = rc2))
        goto done;
    /* the top level describes variant 1, as for simulate (DESIGN §5 keys) */
    doc = summary_header_json(s, "compare", 0, r->nreps);
    json_t *first = summary_eval_json(s, r, 0);
    json_object_update(doc, first);
    json_decref(first);
    json_t *arr = json_array();
    for (size_t k = 0; k < K; k++) {
        json_t *e = summary_eval_json(s, r, k);
        json_object_set_new(e, "variant", json_integer((json_int_t)k + 1));
        json_object_set_new(e, "policy", json_string(scenario_policy_name(pol[k])));
        json_object_set_new(e, "difference_to_first", summary_mean_ci_json(&r->allocs[k].diff_releases));
        json_object_set_new(e, "freedom_days_difference_to_first", summary_mean_ci_json(&r->allocs[k].diff_freedom));
        json_array_append_new(arr, e);
    }
    json_object_set_new(doc, "variants", arr);
    charts_list charts = {.n = 0};
    if ((rc = summary_write_json(dir, "summary.json", doc, &err)) ||
        (rc = write_compare(dir, s, r, v, &charts, &err)) ||
        (rc = cmd_finish(&dir, s, doc, &charts, o, &err)))
        goto done;
    if (!o->quiet) {
        FILE *out = o->json ? stderr : stdout; /* stdout carries only JSON then */
        fprintf(out, "fianza compare: %s, %zu replications, seed %llu (common random numbers)\n\n", s->name, r->nreps,
               (unsigned long long)s->seed);
        fprintf(out, "%-4s %-15s", "#", "policy");
        for (size_t c = 0; c < C; c++)
            fprintf(out, " %12.12s", s->regions[c].label);
        fprintf(out, "  %-24s %s\n", "releases (95% CI)", "minus #1 (paired 95% CI)");
        for (size_t k = 0; k < K; k++) {
            const eval_alloc *a = &r->allocs[k];
            fprintf(out, "%-4zu %-15s", k + 1, scenario_policy_name(pol[k]));
            for (size_t c = 0; c < C; c++)
                fprintf(out, " %12.0f", a->alloc[c]);
            double h = stat_ci95_half(&a->releases), d = stat_ci95_half(&a->diff_releases);
            char x[64];
            summary_ci_text(x, sizeof x, a->releases.mean, a->releases.mean - h, a->releases.mean + h, 2, 0);
            fprintf(out, "  %-24s", x);
            if (k)
                fprintf(out, " %s", summary_ci_text(x, sizeof x, a->diff_releases.mean, a->diff_releases.mean - d,
                                                   a->diff_releases.mean + d, 2, 1));
            fprintf(out, "\n");
        }
        summary_print_ci_note(out, r->nreps);
    }
    cmd_print_json(o, doc);
done:
    if (reps)
        summary_reps_close(reps, NULL);
    outdir_abort(dir);
    json_decref(doc);
    eval_free(r);
    free(allocs);
    free(v);
    free(pol);
    free(names);
    scenario_free(s);
    return rc ? cmd_report_error(&err) : 0;
}
