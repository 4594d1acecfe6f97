/* cmd_common: what every command does the same way: report an error, finish
 * a results directory, print summary.json for --json (cmds.h). */
#include <stdio.h>

#include "cmds.h"
#include "html.h"

int cmd_report_error(const fz_error *err)
{
    fprintf(stderr, "fianza: %s\n", err->msg);
    return err->code ? err->code : 1;
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
