/* fianza compare: allocations (and policies) on the same replications, with
 * paired differences to the first variant (common random numbers). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "eval.h"
#include "plot.h"
#include "summary.h"
#include "timeline_out.h"
#include "rng.h"

typedef struct variant {
    char name[256];
    scenario_policy policy;
    int pooled; /* the pooled fund (DESIGN §8): no allocation */
} variant;

/* Variant k = allocation k / np crossed with policy k % np; with --pooled,
 * np more variants (the pooled fund under each policy) come last. */
typedef struct compare {
    size_t K;
    double *allocs; /* K x nregions */
    variant *v;
    scenario_policy *pol; /* v[k].policy, as eval_options takes them */
    int *pooled;          /* v[k].pooled, likewise */
    const char **names;   /* v[k].name, for replications.csv */
    eval_result *res;
} compare;

static void csv_mean_ci(FILE *f, const stat_acc *a)
{
    double h = stat_ci95_half(a);
    cmd_csv_est(f, (stat_est){a->mean, a->mean - h, a->mean + h});
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
        fprintf(f, "%zu:%s%s", k + 1, v[k].pooled ? "pooled:" : "", scenario_policy_name(v[k].policy));
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

/* Every --allocation and --policy parsed before the results directory exists. */
static int check(cmd_run *r, void *ctx)
{
    cmd_note_static(r, "compare");
    compare *c = ctx;
    const cli_opts *o = r->o;
    size_t na = o->nalloc, np = o->npolicies ? o->npolicies : 1, C = r->s->nregions;
    c->K = na * np + (o->pooled ? np : 0);
    if (na == 0 || c->K < 2)
        return fz_fail(&r->err, FZ_EINPUT,
                       "compare: expected two or more --allocation, or one --allocation with "
                       "two or more --policy or --pooled");
    c->allocs = malloc(c->K * C * sizeof *c->allocs);
    c->v = calloc(c->K, sizeof *c->v);
    c->pol = malloc(c->K * sizeof *c->pol);
    c->names = malloc(c->K * sizeof *c->names);
    c->pooled = calloc(c->K, sizeof *c->pooled);
    if (!c->allocs || !c->v || !c->pol || !c->names || !c->pooled)
        return fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    for (size_t k = 0; k < c->K; k++) {
        size_t i = k / np, j = k % np;
        c->v[k].pooled = c->pooled[k] = i >= na;
        int rc = c->pooled[k] ? (memset(c->allocs + k * C, 0, C * sizeof *c->allocs), 0)
                              : cli_parse_allocation(c->allocs + k * C, r->s, o->allocations[i], &r->err);
        if (rc)
            return rc;
        c->v[k].policy = r->s->policy;
        if (o->npolicies && scenario_parse_policy(o->policies[j], &c->v[k].policy))
            return fz_fail(&r->err, FZ_EINPUT, "--policy %s: expected cheapest_first or first_come", o->policies[j]);
        snprintf(c->v[k].name, sizeof c->v[k].name, "%zu", k + 1);
        c->pol[k] = c->v[k].policy;
        c->names[k] = c->v[k].name;
    }
    r->rep_names = c->names;
    return 0;
}

/* The top level describes variant 1, as for simulate (DESIGN §5 keys). */
static json_t *summary(const scenario *s, const compare *c)
{
    const eval_result *e = c->res;
    json_t *doc = summary_header_json(s, "compare", 0, e->nreps);
    json_t *first = summary_eval_json(s, e, 0);
    json_object_update(doc, first);
    json_decref(first);
    json_t *arr = json_array();
    for (size_t k = 0; k < c->K; k++) {
        json_t *v = summary_eval_json(s, e, k);
        json_object_set_new(v, "variant", json_integer((json_int_t)k + 1));
        json_object_set_new(v, "policy", json_string(scenario_policy_name(c->pol[k])));
        json_object_set_new(v, "pooled", json_boolean(c->pooled[k]));
        json_object_set_new(v, "difference_to_first", summary_mean_ci_json(&e->allocs[k].diff_releases));
        json_object_set_new(v, "freedom_days_difference_to_first", summary_mean_ci_json(&e->allocs[k].diff_freedom));
        json_array_append_new(arr, v);
    }
    json_object_set_new(doc, "variants", arr);
    return doc;
}

static int run(cmd_run *r, void *ctx)
{
    compare *c = ctx;
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = (size_t)r->s->replications,
                       .threads = r->o->threads,
                       .policies = c->pol,
                       .pooled = c->pooled,
                       .on_block = summary_reps_block,
                       .block_ctx = r->reps,
                       .progress = cli_progress_update,
                       .progress_ctx = &r->bar};
    int rc = cmd_run_done(r, eval_run(&c->res, r->s, c->allocs, c->K, &eo, &r->err));
    if (rc)
        return rc;
    r->doc = summary(r->s, c);
    if ((rc = write_compare(r->dir, r->s, c->res, c->v, &r->charts, &r->err)))
        return rc;
    return timeline_outputs(r->dir, r->doc, r->s, c->res, "variant 1", &r->charts, &r->err);
}

static void print(cmd_run *r, void *ctx)
{
    const compare *c = ctx;
    const eval_result *e = c->res;
    const size_t C = r->s->nregions;
    FILE *out = r->out;
    fprintf(out, "fianza compare: %s, %zu replications, seed %llu (common random numbers)\n\n", r->s->name, e->nreps,
            (unsigned long long)r->s->seed);
    fprintf(out, "%-4s %-15s", "#", "policy");
    for (size_t i = 0; i < C; i++)
        fprintf(out, " %12.12s", r->s->regions[i].label);
    fprintf(out, "  %-24s %s\n", "releases (95% CI)", "minus #1 (paired 95% CI)");
    for (size_t k = 0; k < c->K; k++) {
        const eval_alloc *a = &e->allocs[k];
        fprintf(out, "%-4zu %-15s", k + 1, scenario_policy_name(c->pol[k]));
        for (size_t i = 0; i < C; i++)
            if (c->pooled[k])
                fprintf(out, " %12s", i == 0 ? "pooled" : "");
            else
                fprintf(out, " %12.0f", a->alloc[i]);
        double h = stat_ci95_half(&a->releases), d = stat_ci95_half(&a->diff_releases);
        char x[64];
        summary_ci_text(x, sizeof x, a->releases.mean, a->releases.mean - h, a->releases.mean + h, 2, 0);
        fprintf(out, "  %-24s", x);
        if (k)
            fprintf(out, " %s",
                    summary_ci_text(x, sizeof x, a->diff_releases.mean, a->diff_releases.mean - d,
                                    a->diff_releases.mean + d, 2, 1));
        fprintf(out, "\n");
    }
    fputc('\n', out);
    summary_print_money_head(out, r->s, "money (mean)");
    for (size_t k = 0; k < c->K; k++) {
        char x[32];
        snprintf(x, sizeof x, "#%zu total", k + 1);
        summary_print_money_total(out, r->s, e, k, x);
    }
    summary_print_ci_note(out, e->nreps);
}

int cmd_compare(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print};
    compare c = {0};
    int rc = cmd_execute(o, &hooks, &c);
    eval_free(c.res);
    free(c.pooled);
    free(c.allocs);
    free(c.v);
    free(c.pol);
    free(c.names);
    return rc;
}
