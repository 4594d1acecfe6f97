/* cmd_common: what every command does the same way: report an error, finish
 * a results directory, print summary.json for --json (cmds.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "html.h"

int cmd_report_error(const fz_error *err)
{
    fprintf(stderr, "fianza: %s\n", err->msg);
    return err->code ? err->code : 1;
}

/* The scenario file and every CSV its empirical(...) parts read. */
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

int cmd_outdir_begin(outdir **dir, const char *path, const scenario *s, fz_error *err)
{
    inputs in = {.s = s, .paths = malloc(sizeof(char *))};
    if (in.paths && (in.paths[0] = strdup(s->path)))
        in.n = 1;
    in.failed = in.n == 0;
    for (size_t i = 0; i < s->nregions; i++) {
        dist_files(s->regions[i].bond_usd, add_input, &in);
        dist_files(s->regions[i].hearing_delay_days, add_input, &in);
        dist_files(s->regions[i].release_delay_days, add_input, &in);
    }
    int rc = in.failed ? fz_fail(err, FZ_ERUNTIME, "out of memory")
                       : outdir_begin(dir, path, (const char *const *)in.paths, in.n, err);
    for (size_t i = 0; i < in.n; i++)
        free(in.paths[i]);
    free(in.paths);
    return rc;
}

int cmd_finish(outdir **dir, const scenario *s, const json_t *summary, const charts_list *charts,
               const cli_opts *o, fz_error *err)
{
    int rc = charts_render(*dir, charts, o->no_plots, o->quiet, err);
    if (!rc)
        rc = html_report(*dir, s, summary, charts, err);
    if (rc)
        return rc;
    rc = outdir_commit(*dir, err);
    *dir = NULL; /* committed, or removed by outdir_commit on failure */
    return rc;
}

void cmd_print_json(const cli_opts *o, const json_t *summary)
{
    if (!o->json)
        return;
    json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    putchar('\n');
}
