/* progress: the progress bar of a run (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "cli.h"

void cli_progress_init(cli_progress *p, const cli_opts *o, const char *what)
{
    p->enabled = !o->quiet && isatty(STDERR_FILENO);
    p->start = cli_now();
    p->what = what;
}

void cli_progress_update(void *ctx, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (!p->enabled || total == 0)
        return;
    double el = cli_now() - p->start, rate = el > 0 ? (double)done / el : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    int width = 30, fill = (int)((double)width * (double)done / (double)total);
    fprintf(stderr, "\r%-10s [%.*s%*s] %zu/%zu  %.0f/s  %.0fs left ", p->what, fill, "##############################",
            width - fill, "", done, total, rate, left);
    fflush(stderr);
}

void cli_progress_stage(void *ctx, const char *stage, size_t done, size_t total)
{
    cli_progress *p = ctx;
    p->what = stage;
    cli_progress_update(p, done, total);
}

void cli_progress_done(cli_progress *p)
{
    if (p->enabled) {
        fprintf(stderr, "\r%*s\r", 79, "");
        fflush(stderr);
    }
}
