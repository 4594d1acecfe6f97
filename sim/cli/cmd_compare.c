/* fianza compare: allocations (and policies) on the same replications, with
 * paired differences to the first variant (common random numbers).  Each
 * variant has a name (--allocation NAME:region=usd,...; a default that says
 * what it is otherwise); --regions compares the regions for the same money
 * (the whole budget to each in turn).  The tables are compare_out's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "compare_out.h"
#include "cv_out.h"
#include "eval.h"
#include "rng.h"
#include "summary.h"
#include "timeline_out.h"

#define NAME_MAX_LEN 64 /* a variant name: [A-Za-z0-9_-], 1 to 64 characters */

typedef struct variant {
    char name[256];
    int named; /* given on the command line (a duplicate is an error, not renamed) */
} variant;

/* Variant k = allocation k / np crossed with policy k % np; with --pooled,
 * np more variants (the pooled fund under each policy) come last.  With
 * --regions, variant k gives the whole budget to region k. */
typedef struct compare {
    size_t K;
    double *allocs; /* K x nregions */
    variant *v;
    compare_variant *cv;  /* name, policy, pooled: what compare_out prints */
    scenario_policy *pol; /* cv[k].policy, as eval_options takes them */
    int *pooled;          /* cv[k].pooled, likewise */
    const char **names;   /* v[k].name, for replications.csv */
    eval_result *res;
    compare_acc *acc;
    compare_table *table;
} compare;

static int valid_name(const char *s, size_t len)
{
    if (len == 0 || len > NAME_MAX_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", s[i]) || !s[i])
            return 0;
    return 1;
}

/* "chicago_255k_kansas_city_45k": the regions given money and their amounts
 * (whole thousands as "k"); "nothing" for an allocation of nothing. */
static void default_name(char *buf, size_t size, const scenario *s, const double *alloc)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < s->nregions && len < size; c++) {
        if (!(alloc[c] > 0))
            continue;
        double x = alloc[c];
        if (x >= 1000 && fmod(x, 1000) == 0)
            len += (size_t)snprintf(buf + len, size - len, "%s%s_%.0fk", len ? "_" : "", s->regions[c].name, x / 1000);
        else
            len += (size_t)snprintf(buf + len, size - len, "%s%s_%.0f", len ? "_" : "", s->regions[c].name, x);
    }
    if (!len)
        snprintf(buf, size, "nothing");
}

/* The allocation text after an optional "NAME:", its name checked. */
static int split_name(const char *text, variant *v, const char **rest, fz_error *err)
{
    const char *colon = strchr(text, ':');
    *rest = text;
    if (!colon)
        return 0;
    size_t len = (size_t)(colon - text);
    if (!valid_name(text, len))
        return fz_fail(err, FZ_EINPUT,
                       "--allocation %s: variant name '%.*s': expected 1 to %d letters, digits, '_' or '-' before "
                       "':' (as in all_chicago:chicago=300000)",
                       text, (int)(len < 200 ? len : 200), text, NAME_MAX_LEN);
    snprintf(v->name, sizeof v->name, "%.*s", (int)len, text);
    v->named = 1;
    *rest = colon + 1;
    return 0;
}

/* Whether another variant has k's name: for a given name (named), any
 * other given name or a pooled fund's; for a default name, a given name or
 * an earlier variant's. */
static int name_taken(const compare *c, size_t k)
{
    for (size_t j = 0; j < c->K; j++) {
        int counts = c->v[k].named ? c->v[j].named || c->pooled[j] : c->v[j].named || j < k;
        if (j != k && counts && !strcmp(c->v[j].name, c->v[k].name))
            return 1;
    }
    return 0;
}

/* Names unique: a name given twice (or "pooled" with --pooled) is an error
 * naming the option; a default name that repeats another takes its variant
 * number ("a_3k_2"). */
static int unique_names(compare *c, const cli_opts *o, size_t np, fz_error *err)
{
    for (size_t k = 0; k < c->K; k++)
        if (c->v[k].named && name_taken(c, k))
            return fz_fail(err, FZ_EINPUT,
                           "--allocation %s: the variant name '%s' is taken by another variant (names must be unique)",
                           o->allocations[k / np], c->v[k].name);
    for (size_t k = 0; k < c->K; k++) {
        size_t base = strlen(c->v[k].name);
        for (int i = 0; !c->v[k].named && name_taken(c, k); i++) {
            if (i == 0)
                snprintf(c->v[k].name + base, sizeof c->v[k].name - base, "_%zu", k + 1);
            else
                snprintf(c->v[k].name + base, sizeof c->v[k].name - base, "_%zu_%d", k + 1, i);
        }
    }
    return 0;
}

/* --regions: one variant per region, the whole budget to it. */
static int regions_variants(compare *c, const cli_opts *o, const scenario *s, fz_error *err)
{
    if (o->nalloc || o->pooled)
        return fz_fail(err, FZ_EINPUT,
                       "compare --regions gives the whole budget to each region in turn: it takes no %s "
                       "(use --set fund.budget_usd=USD for another amount)",
                       o->nalloc ? "--allocation" : "--pooled");
    if (o->npolicies > 1)
        return fz_fail(err, FZ_EINPUT, "compare --regions: expected at most one --policy (got %zu)", o->npolicies);
    if (s->nregions < 2)
        return fz_fail(err, FZ_EINPUT, "compare --regions: %s has %zu region; expected two or more", s->path,
                       s->nregions);
    if (!(s->budget_usd > 0))
        return fz_fail(err, FZ_EINPUT, "compare --regions: the budget is 0: nothing to compare");
    for (size_t k = 0; k < c->K; k++) {
        memset(c->allocs + k * s->nregions, 0, s->nregions * sizeof *c->allocs);
        c->allocs[k * s->nregions + k] = s->budget_usd;
        snprintf(c->v[k].name, sizeof c->v[k].name, "all_%s", s->regions[k].name);
        if (strlen(c->v[k].name) > NAME_MAX_LEN)
            snprintf(c->v[k].name, sizeof c->v[k].name, "all_region_%zu", k + 1);
    }
    return 0;
}

/* Every --allocation and --policy parsed before the results directory exists. */
static int check(cmd_run *r, void *ctx)
{
    cmd_note_static(r, "compare");
    compare *c = ctx;
    const cli_opts *o = r->o;
    const scenario *s = r->s;
    size_t na = o->nalloc, np = o->npolicies ? o->npolicies : 1, C = s->nregions;
    c->K = o->regions ? C : na * np + (o->pooled ? np : 0);
    if (!o->regions && (na == 0 || c->K < 2))
        return fz_fail(&r->err, FZ_EINPUT,
                       "compare: expected two or more --allocation, or one --allocation with "
                       "two or more --policy or --pooled, or --regions");
    c->allocs = malloc(c->K * C * sizeof *c->allocs);
    c->v = calloc(c->K, sizeof *c->v);
    c->cv = calloc(c->K, sizeof *c->cv);
    c->pol = malloc(c->K * sizeof *c->pol);
    c->names = malloc(c->K * sizeof *c->names);
    c->pooled = calloc(c->K, sizeof *c->pooled);
    if (!c->allocs || !c->v || !c->cv || !c->pol || !c->names || !c->pooled)
        return fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    int rc = o->regions ? regions_variants(c, o, s, &r->err) : 0;
    for (size_t k = 0; !rc && k < c->K; k++) {
        size_t i = o->regions ? 0 : k / np, j = o->regions ? 0 : k % np;
        c->pooled[k] = !o->regions && i >= na;
        const char *text = NULL;
        if (!o->regions && !c->pooled[k] && !(rc = split_name(o->allocations[i], &c->v[k], &text, &r->err)))
            rc = cli_parse_allocation(c->allocs + k * C, s, text, &r->err);
        if (c->pooled[k])
            memset(c->allocs + k * C, 0, C * sizeof *c->allocs);
        if (rc)
            return rc;
        c->pol[k] = s->policy;
        if (o->npolicies && scenario_parse_policy(o->policies[j], &c->pol[k]))
            return fz_fail(&r->err, FZ_EINPUT, "--policy %s: expected cheapest_first or first_come", o->policies[j]);
        variant *v = &c->v[k];
        if (c->pooled[k])
            snprintf(v->name, sizeof v->name, "pooled");
        else if (!v->named && !o->regions)
            default_name(v->name, sizeof v->name, s, c->allocs + k * C);
        if (!v->named && strlen(v->name) > NAME_MAX_LEN) /* many regions: too long to read */
            snprintf(v->name, sizeof v->name, "variant_%zu", k + 1);
        if (np > 1) { /* the policy tells the variants of one allocation apart */
            size_t len = strlen(v->name);
            snprintf(v->name + len, sizeof v->name - len, "_%s", scenario_policy_name(c->pol[k]));
        }
    }
    if (rc || (rc = unique_names(c, o, np, &r->err)))
        return rc;
    for (size_t k = 0; k < c->K; k++) {
        c->cv[k] = (compare_variant){.name = c->v[k].name, .policy = c->pol[k], .pooled = c->pooled[k]};
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
        json_t *d = summary_mean_ci_json(&e->allocs[k].diff_releases), *df = summary_mean_ci_json(&e->allocs[k].diff_freedom);
        /* issue 16: the paired differences' control variate (cv_out.c); sd stays the differences' own */
        cv_out_rewrite(d, cv_out_mean(e, cv_out_est_of(&e->allocs[k].diff_releases), &e->allocs[k].cv_diff_releases));
        cv_out_rewrite(df, cv_out_mean(e, cv_out_est_of(&e->allocs[k].diff_freedom), &e->allocs[k].cv_diff_freedom));
        json_object_set_new(v, "difference_to_first", d);
        json_object_set_new(v, "freedom_days_difference_to_first", df);
        compare_json_add(v, s, c->table, k);
        json_array_append_new(arr, v);
    }
    json_object_set_new(doc, "variants", arr);
    return doc;
}

static int run(cmd_run *r, void *ctx)
{
    compare *c = ctx;
    if (!(c->acc = compare_acc_new(c->K, r->s->nregions, r->o->regions)))
        return cmd_run_done(r, fz_fail(&r->err, FZ_ERUNTIME, "out of memory"));
    c->acc->reps = r->reps; /* replications.csv, after the pairs */
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = (size_t)r->s->replications,
                       .threads = r->o->threads,
                       .precision = r->o->precision,
                       .precision_block = (size_t)r->o->precision_block,
                       .policies = c->pol,
                       .pooled = c->pooled,
                       .on_block = compare_acc_block,
                       .block_ctx = c->acc,
                       .progress = cli_progress_update,
                       .progress_ctx = &r->bar};
    int rc = cmd_run_done(r, eval_run(&c->res, r->s, c->allocs, c->K, &eo, &r->err));
    if (rc)
        return rc;
    if (!(c->table = compare_table_new(r->s, c->res, c->acc, c->cv)))
        return fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    r->doc = summary(r->s, c);
    char what[300];
    snprintf(what, sizeof what, "variant 1 (%s)", c->v[0].name);
    if ((rc = compare_write(r->dir, r->s, c->table, &r->charts, &r->err)) ||
        (rc = charts_eval(r->dir, r->s, c->res, 0, what, &r->charts, &r->err)) ||
        (r->o->regions && (rc = compare_regions_write(r->dir, r->s, c->acc, c->pol[0], r->doc, &r->charts, &r->err))))
        return rc;
    return timeline_outputs(r->dir, r->doc, r->s, c->res, what, &r->charts, &r->err);
}

static void print(cmd_run *r, void *ctx)
{
    const compare *c = ctx;
    const eval_result *e = c->res;
    FILE *out = r->out;
    fprintf(out, "fianza compare: %s, %zu replications, seed %llu (common random numbers)\n\n", r->s->name, e->nreps,
            (unsigned long long)r->s->seed);
    compare_print(out, r->s, c->table, !r->o->regions);
    fputc('\n', out);
    if (r->o->precision > 0) { /* issue 16: where --precision stopped, on variant 1 */
        fprintf(out, "variant #1: ");
        cv_out_print(out, e, 0);
    }
    if (r->o->regions) {
        compare_regions_print(out, r->s, c->acc, c->pol[0]);
        summary_print_ci_note(out, e->nreps);
        return;
    }
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
    compare_table_free(c.table);
    compare_acc_free(c.acc);
    free(c.pooled);
    free(c.allocs);
    free(c.v);
    free(c.cv);
    free(c.pol);
    free(c.names);
    return rc;
}
