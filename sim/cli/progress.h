/* progress: the progress bar of a run on stderr (DESIGN §5).
 *
 * Ownership: cli_progress holds no memory; the caller owns it. */
#ifndef FZ_PROGRESS_H
#define FZ_PROGRESS_H

#include <stddef.h>

struct cli_opts;

/* Progress bar on stderr when it is a terminal and not --quiet. */
typedef struct cli_progress {
    int enabled;
    double start;
    const char *what;
} cli_progress;
void cli_progress_init(cli_progress *p, const struct cli_opts *o, const char *what);
void cli_progress_update(void *ctx, size_t done, size_t total);
/* The same for multi-stage work: the bar takes the stage's name. */
void cli_progress_stage(void *ctx, const char *stage, size_t done, size_t total);
void cli_progress_done(cli_progress *p);

#endif
