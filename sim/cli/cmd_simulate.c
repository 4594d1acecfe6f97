/* fianza simulate: evaluate one allocation on the "evaluate" stream. */
#include <omp.h>
#include <stdlib.h>

#include "charts.h"
#include "cmds.h"
#include "eval.h"
#include "rng.h"
#include "summary.h"
#include "timeline_out.h"

typedef struct simulate {
    double *alloc;
    eval_result *res;
    double seconds;
} simulate;

static int check(cmd_run *r, void *ctx)
{
    cmd_note_static(r, "simulate");
    static const char *const names[] = {"given"}, *const pooled_names[] = {"pooled"};
    simulate *c = ctx;
    int pooled = r->s->pooling == POOLING_POOLED;
    if (pooled && r->o->nalloc)
        return fz_fail(&r->err, FZ_EINPUT,
                       "simulate: pooling = pooled has one account for every region, so there is no split "
                       "to give: drop --allocation (or --set fund.pooling=split)");
    if (!pooled && r->o->nalloc != 1)
        return fz_fail(&r->err, FZ_EINPUT, "simulate: expected exactly one --allocation REGION=USD,...");
    if (!(c->alloc = calloc(r->s->nregions, sizeof *c->alloc)))
        return fz_fail(&r->err, FZ_ERUNTIME, "out of memory");
    r->rep_names = pooled ? pooled_names : names;
    return pooled ? 0 : cli_parse_allocation(c->alloc, r->s, r->o->allocations[0], &r->err);
}

static int run(cmd_run *r, void *ctx)
{
    simulate *c = ctx;
    const scenario *s = r->s;
    static const int pooled[1] = {1};
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .pooled = s->pooling == POOLING_POOLED ? pooled : NULL,
                       .nreps = (size_t)s->replications,
                       .threads = r->o->threads,
                       .precision = r->o->precision,
                       .precision_block = (size_t)r->o->precision_block,
                       .on_block = summary_reps_block,
                       .block_ctx = r->reps,
                       .progress = cli_progress_update,
                       .progress_ctx = &r->bar};
    double t0 = cli_now();
    int rc = eval_run(&c->res, s, c->alloc, 1, &eo, &r->err);
    c->seconds = cli_now() - t0;
    if ((rc = cmd_run_done(r, rc)))
        return rc;
    const eval_result *e = c->res;
    r->doc = summary_header_json(s, "simulate", 0, e->nreps);
    json_t *ev = summary_eval_json(s, e, 0);
    json_object_update(r->doc, ev);
    json_decref(ev);
    json_object_set_new(r->doc, "people_simulated", json_guard_num(e->people));
    json_t *timing = json_pack("{s:f, s:f, s:i}", "simulate_seconds", c->seconds, "people_per_second",
                               c->seconds > 0 ? e->people / c->seconds : 0, "threads",
                               r->o->threads ? r->o->threads : omp_get_max_threads());
    rc = summary_write_json(r->dir, "timing.json", timing, &r->err);
    json_decref(timing);
    if (rc || (rc = summary_allocation_csv(r->dir, s, s->pooling == POOLING_POOLED ? NULL : c->alloc, &r->err)))
        return rc;
    json_object_set_new(r->doc, "pooling", json_string(s->pooling == POOLING_POOLED ? "pooled" : "split"));
    const char *what = s->pooling == POOLING_POOLED ? "pooled fund" : "simulated allocation";
    if ((rc = charts_eval(r->dir, s, e, 0, what, &r->charts, &r->err)))
        return rc;
    return timeline_outputs(r->dir, r->doc, s, e, what, &r->charts, &r->err);
}

static void print(cmd_run *r, void *ctx)
{
    const simulate *c = ctx;
    const eval_result *e = c->res;
    fprintf(r->out, "fianza simulate: %s, %zu replications, seed %llu, policy %s%s\n", r->s->name, e->nreps,
            (unsigned long long)r->s->seed, scenario_policy_name(r->s->policy),
            r->s->pooling == POOLING_POOLED ? ", pooled fund (one account, one queue)" : "");
    summary_print_eval(r->out, r->s, e, 0);
    fprintf(r->out, "%.3g people simulated in %.2f s (%.3g per second); results in %s/\n", e->people, c->seconds,
            c->seconds > 0 ? e->people / c->seconds : 0, r->dirname);
}

int cmd_simulate(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print};
    simulate c = {0};
    int rc = cmd_execute(o, &hooks, &c);
    eval_free(c.res);
    free(c.alloc);
    return rc;
}
