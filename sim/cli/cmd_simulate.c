/* fianza simulate: evaluate one allocation on the "evaluate" stream. */
#include <omp.h>
#include <stdlib.h>

#include "charts.h"
#include "cmds.h"
#include "eval.h"
#include "outdir.h"
#include "summary.h"
#include "rng.h"

int cmd_simulate(const cli_opts *o)
{
    fz_error err = {0, ""};
    scenario *s = NULL;
    outdir *dir = NULL;
    summary_reps *reps = NULL;
    eval_result *r = NULL;
    json_t *doc = NULL;
    double *alloc = NULL;
    char dirbuf[4096];
    int rc;
    if ((rc = cli_load_scenario(&s, o, &err)))
        goto done;
    if (o->nalloc != 1) {
        rc = fz_fail(&err, FZ_EINPUT, "simulate: expected exactly one --allocation REGION=USD,...");
        goto done;
    }
    alloc = malloc(s->nregions * sizeof *alloc);
    if (!alloc) {
        rc = fz_fail(&err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    if ((rc = cli_parse_allocation(alloc, s, o->allocations[0], &err)) ||
        (rc = cmd_outdir_begin(&dir, cli_outdir(o, s, dirbuf, sizeof dirbuf), s, &err)))
        goto done;
    const char *names[] = {"given"};
    if ((rc = summary_reps_open(&reps, dir, s, names, &err)))
        goto done;
    cli_progress bar;
    cli_progress_init(&bar, o, "simulate");
    eval_options eo = {.stream = RNG_STREAM_EVALUATE, .nreps = (size_t)s->replications,
                       .threads = o->threads, .on_block = summary_reps_block, .block_ctx = reps,
                       .progress = cli_progress_update, .progress_ctx = &bar};
    double t0 = cli_now();
    rc = eval_run(&r, s, alloc, 1, &eo, &err);
    double seconds = cli_now() - t0;
    cli_progress_done(&bar);
    int rc2 = summary_reps_close(reps, rc ? NULL : &err);
    reps = NULL;
    if (rc || (rc = rc2))
        goto done;

    doc = summary_header_json(s, "simulate", 0, r->nreps);
    json_t *ev = summary_eval_json(s, r, 0);
    json_object_update(doc, ev);
    json_decref(ev);
    json_object_set_new(doc, "people_simulated", json_guard_num(r->people));
    json_t *timing = json_pack("{s:f, s:f, s:i}", "simulate_seconds", seconds, "people_per_second",
                               seconds > 0 ? r->people / seconds : 0, "threads", o->threads ? o->threads : omp_get_max_threads());
    rc = summary_write_json(dir, "timing.json", timing, &err);
    json_decref(timing);
    if (rc || (rc = summary_write_json(dir, "summary.json", doc, &err)) ||
        (rc = summary_allocation_csv(dir, s, alloc, &err)))
        goto done;
    charts_list charts = {.n = 0};
    if ((rc = charts_eval(dir, s, r, 0, "simulated allocation", &charts, &err)) ||
        (rc = cmd_finish(&dir, s, doc, &charts, o, &err)))
        goto done;
    if (!o->quiet) {
        /* with --json, stdout carries summary.json alone: the table goes to stderr */
        FILE *tty = o->json ? stderr : stdout;
        fprintf(tty, "fianza simulate: %s, %zu replications, seed %llu, policy %s\n", s->name, r->nreps,
                (unsigned long long)s->seed, scenario_policy_name(s->policy));
        summary_print_eval(tty, s, r, 0);
        fprintf(tty, "%.3g people simulated in %.2f s (%.3g per second); results in %s/\n", r->people,
                seconds, seconds > 0 ? r->people / seconds : 0, o->outdir ? o->outdir : dirbuf);
    }
    cmd_print_json(o, doc);
done:
    if (reps)
        summary_reps_close(reps, NULL);
    outdir_abort(dir);
    json_decref(doc);
    eval_free(r);
    free(alloc);
    scenario_free(s);
    return rc ? cmd_report_error(&err) : 0;
}
