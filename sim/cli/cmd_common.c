/* cmd_common: what every command does the same way: the begin/end pair of a
 * run (scenario, results directory, writers, summary.json, charts, report,
 * commit, --json), errors, and small writers the commands share (cmds.h). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "html.h"
#include "optimize.h"

int cmd_report_error(const fz_error *err)
{
    fprintf(stderr, "fianza: %s\n", err->msg);
    return err->code ? err->code : 1;
}

/* The files a run reads, which -o must not be or contain: the scenario and
 * every CSV its empirical(...) parts read, or fit's data file. */
typedef struct inputs {
    const scenario *s;
    char **paths;
    size_t n;
    int failed;
} inputs;

static void add_input(void *ctx, const char *file)
{
    inputs *in = ctx;
    size_t len = strlen(in->s->basedir) + strlen(file) + 2;
    char *p = malloc(len), **grown = realloc(in->paths, (in->n + 1) * sizeof *grown);
    if (grown)
        in->paths = grown;
    if (!p || !grown) {
        free(p);
        in->failed = 1;
        return;
    }
    if (file[0] == '/')
        snprintf(p, len, "%s", file);
    else
        snprintf(p, len, "%s/%s", in->s->basedir, file);
    in->paths[in->n++] = p;
}

static int open_dir(cmd_run *r)
{
    const char *path = r->s ? r->s->path : r->o->scenario_path;
    inputs in = {.s = r->s, .paths = malloc(sizeof(char *))};
    if (in.paths && (in.paths[0] = strdup(path)))
        in.n = 1;
    in.failed = in.n == 0;
    for (size_t i = 0; r->s && i < r->s->nregions; i++) {
        dist_files(r->s->regions[i].bond_usd, add_input, &in);
        dist_files(r->s->regions[i].hearing_delay_days, add_input, &in);
        dist_files(r->s->regions[i].release_delay_days, add_input, &in);
    }
    int rc = in.failed ? fz_fail(&r->err, FZ_ERUNTIME, "out of memory")
                       : outdir_begin(&r->dir, r->dirname, (const char *const *)in.paths, in.n, &r->err);
    for (size_t i = 0; i < in.n; i++)
        free(in.paths[i]);
    free(in.paths);
    return rc;
}

static int begin(cmd_run *r, const cli_opts *o, int (*check)(cmd_run *, void *), void *ctx)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->out = o->json ? stderr : stdout;
    int rc = 0;
    if (strcmp(o->command, "fit") != 0)
        rc = cli_load_scenario(&r->s, o, &r->err);
    if (!rc && o->precision_block > 0 && !(o->precision > 0)) /* issue 16 */
        rc = fz_fail(&r->err, FZ_EINPUT, "--precision-block %ld: only with --precision H", o->precision_block);
    else if (!rc && o->precision_block > 0 && o->precision_block > r->s->replications)
        rc = fz_fail(&r->err, FZ_EINPUT, "--precision-block %ld: more than the %ld replications (the cap)",
                     o->precision_block, r->s->replications);
    if (!rc && check)
        rc = check(r, ctx);
    if (rc)
        return rc;
    if (!r->dirname[0]) {
        char buf[sizeof r->dirname];
        snprintf(r->dirname, sizeof r->dirname, "%s", cli_outdir(o, r->s, buf, sizeof buf));
    }
    if (o->threads > 0) /* the default of OpenMP's other loops too (replications.csv's formatting) */
        omp_set_num_threads(o->threads);
    if ((rc = open_dir(r)) || (r->rep_names && (rc = summary_reps_open(&r->reps, r->dir, r->s, r->rep_names, &r->err))))
        return rc;
    cli_progress_init(&r->bar, o, o->command);
    return 0;
}

int cmd_run_done(cmd_run *r, int rc)
{
    cli_progress_done(&r->bar);
    if (!r->reps)
        return rc;
    int rc2 = summary_reps_close(r->reps, rc ? NULL : &r->err);
    r->reps = NULL;
    return rc ? rc : rc2;
}

/* summary.json, charts, report.html, then the directory moved into place. */
static int commit(cmd_run *r)
{
    int rc = summary_write_json(r->dir, "summary.json", r->doc, &r->err);
    if (!rc)
        rc = charts_render(r->dir, &r->charts, r->o->no_plots, r->o->quiet, &r->err);
    if (!rc)
        rc = r->s ? html_report(r->dir, r->s, r->doc, &r->charts, &r->err)
                  : html_fit_report(r->dir, r->doc, &r->charts, &r->err);
    if (rc)
        return rc;
    rc = outdir_commit(r->dir, &r->err);
    r->dir = NULL; /* committed, or removed by outdir_commit on failure */
    return rc;
}

static int end(cmd_run *r, int rc, const cmd_hooks *hooks, void *ctx)
{
    if (r->reps) /* the work failed before cmd_run_done */
        summary_reps_close(r->reps, NULL);
    if (!rc)
        rc = commit(r);
    if (!rc && !r->o->quiet && hooks->print)
        hooks->print(r, ctx);
    if (!rc && r->o->json) {
        json_dumpf(r->doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        putchar('\n');
    }
    outdir_abort(r->dir);
    json_decref(r->doc);
    if (hooks->release)
        hooks->release(ctx);
    scenario_free(r->s);
    return rc ? cmd_report_error(&r->err) : 0;
}

int cmd_execute(const cli_opts *o, const cmd_hooks *hooks, void *ctx)
{
    cmd_run r;
    int rc = begin(&r, o, hooks->check, ctx);
    if (!rc)
        rc = hooks->work(&r, ctx);
    return end(&r, rc, hooks, ctx);
}

void cmd_note_static(const cmd_run *r, const char *command)
{
    if (r->s->reallocate_every_days > 0 && !r->o->quiet)
        fprintf(stderr,
                "fianza: note: reallocate_every_days = %g is used by optimize only (it reports the value of "
                "re-allocating); %s evaluates the splits as static\n",
                r->s->reallocate_every_days, command);
}

int cmd_check_shares(const scenario *s, fz_error *err)
{
    optimize_bounds b;
    return optimize_bounds_init(&b, s, err);
}

json_t *cmd_est_json(stat_est e)
{
    return json_pack("{s:o, s:o}", "mean", json_guard_num(e.value), "ci95",
                     isfinite(e.lo) && isfinite(e.hi) ? json_pack("[f, f]", e.lo, e.hi) : json_null());
}

void cmd_csv_est(FILE *f, stat_est e)
{
    if (isfinite(e.value)) /* undefined: an empty cell, never "nan" (docs/csv.md) */
        fprintf(f, ",%.10g", e.value);
    else
        fputc(',', f);
    if (isfinite(e.lo) && isfinite(e.hi))
        fprintf(f, ",%.10g,%.10g", e.lo, e.hi);
    else
        fprintf(f, ",,");
}
