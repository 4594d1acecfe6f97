/* progress: how far a run is, on stderr (DESIGN §5; issue 14 item 5).
 *
 * Three modes: a bar redrawn in place when stderr is a terminal; plain
 * lines, one per stage (name, work, elapsed, rate), when it is not (for
 * logs); nothing with --quiet.  The environment variable FIANZA_PROGRESS
 * (auto, bar, plain or off; auto when unset) overrides the choice: the test
 * suites set it to off so that they can assert on stderr exactly.
 *
 * The library reports stages as (name, done, total): total replications of
 * the stage's pass (or 0: a solve, which reports no count).  A stage ends
 * when another begins or at cli_progress_done.  An outer stage
 * (cli_progress_outer: sweep points, budget steps, the tornado) counts its
 * steps; the library's stages run inside each step.
 *
 * The rate is replications per second of the current stage, measured over
 * the last seconds (or since the stage began).  The ETA is that of the
 * whole remaining work: with a plan (cli_progress_plan), the current
 * stage's remaining replications at its measured rate plus every later
 * stage's replications and solves at the costs measured in earlier stages
 * of the same kind of work (the pilot's until one has run); without a
 * plan, the current stage's, or the outer stage's steps at the measured
 * time per step.  A solve reports nothing while it runs: in bar mode a
 * thread redraws the bar (the solve's elapsed time, "gap batch k/M
 * solving") when nothing else has for half a second.
 *
 * Ownership: cli_progress holds no memory; names are borrowed (string
 * literals or the plan's). */
#ifndef FZ_PROGRESS_H
#define FZ_PROGRESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

struct cli_opts;

enum { PROGRESS_OFF, PROGRESS_BAR, PROGRESS_PLAIN };
enum { PROGRESS_MAX_STAGES = 12, PROGRESS_KINDS = 4 };

/* One stage of the plan: `units` replications of work of one kind (stages
 * of one kind cost the same per replication: the gap batches repeat the
 * curve pass) and `solves` MIP solves, one after each units / solves. */
typedef struct progress_stage_plan {
    const char *name; /* as the library names it */
    double units, solves;
    int kind; /* 0 .. PROGRESS_KINDS - 1 */
} progress_stage_plan;

typedef struct progress_model {
    progress_stage_plan st[PROGRESS_MAX_STAGES];
    size_t n;
    double unit_cost[PROGRESS_KINDS]; /* seconds per replication: the pilot's, then measured */
    double solve_cost;                /* seconds per solve: the pilot's, then measured */
} progress_model;

/* Seconds stage i takes at the model's costs. */
double progress_model_stage(const progress_model *m, size_t i);
/* Seconds of the whole plan. */
double progress_model_total(const progress_model *m);
/* Seconds left when stage cur had done `done` replications `elapsed`
 * seconds after it began, `since` seconds ago: its rest at its own
 * measured pace (the model's before any work) less `since` (a batch's
 * solve that runs meanwhile takes off no more than its modelled time),
 * later stages of its kind at that pace too, the others at the model's
 * costs. */
double progress_model_left(const progress_model *m, size_t cur, double done, double elapsed, double since);
/* A stage finished: units replications and solves took `seconds`; its
 * kind's cost (and, for a stage of solves alone, the solve cost) becomes
 * the measured one. */
void progress_model_learn(progress_model *m, size_t i, double seconds);

typedef struct cli_progress {
    int mode;
    FILE *out;                      /* stderr */
    double (*clock)(void);          /* monotonic seconds: fz_seconds, or a test's fake */
    double start;                   /* the run's */
    const char *name;               /* the command: the stage of cli_progress_update */
    const char *what;               /* the current stage, NULL before the first */
    double stage_start, last_count; /* the stage began; its count last changed */
    size_t done, total;
    double win_t[8]; /* rate window: (time, done) samples of the stage */
    size_t win_done[8];
    int win_n, win_next;
    double last_draw;
    int drawn; /* a bar is on the terminal's line */
    progress_model model;
    int planned;
    size_t cur; /* plan index of the current stage; SIZE_MAX: not in the plan */
    const char *outer;
    size_t outer_done, outer_total;
    double outer_start, outer_step;
    size_t outer_line; /* steps done at the last plain line */
    double outer_line_at;
    /* bar mode: a thread redraws the bar when nothing has for DRAW_TICK
     * seconds (a solve reports nothing while it runs: its elapsed time
     * moves); started by the first stage, stopped by cli_progress_done;
     * while it runs every call takes the lock */
    int ticking, stop;
    pthread_t ticker;
    pthread_mutex_t lock;
    pthread_cond_t wake;
} cli_progress;

/* The mode from o (--quiet), FIANZA_PROGRESS and whether stderr is a terminal. */
int cli_progress_mode(const struct cli_opts *o);
void cli_progress_init(cli_progress *p, const struct cli_opts *o, const char *what);
/* The same with everything given (tests: a file and a fake clock). */
void cli_progress_start(cli_progress *p, int mode, FILE *out, double (*clock)(void), const char *what);
/* The run's stages and their costs, for the ETA (copied). */
void cli_progress_plan(cli_progress *p, const progress_model *m);
/* Replications done of the current stage (eval_run, curve_compute). */
void cli_progress_update(void *ctx, size_t done, size_t total);
/* The library's stages (optimize_options.progress): done of total
 * replications, total 0 for a solve. */
void cli_progress_stage(void *ctx, const char *stage, size_t done, size_t total);
/* Steps of an outer loop (sweep points, budget steps): `done` of `total`
 * finished; the library's stages run inside. */
void cli_progress_outer(void *ctx, const char *what, size_t done, size_t total);
/* Ends the bar's line (before a message); the bar is redrawn on the next update. */
void cli_progress_break(cli_progress *p);
/* Ends the current stage (plain mode: its line) and clears the bar. */
void cli_progress_done(cli_progress *p);

/* "0.4 s", "12 s", "2.5 min", "1.2 h": seconds for people. */
const char *progress_secs(char *buf, size_t size, double s);

#endif
