/* Folder sim/run/ (library fz_run).
 *
 * estimate: how long optimize_run will take, stage by stage, from a pilot
 * (issue 14 item 8): what cmd_optimize announces before a long run and
 * the first costs of the progress bar's ETA.
 *
 * Ownership: optimize_eta holds no memory. */
#ifndef FZ_ESTIMATE_H
#define FZ_ESTIMATE_H

#include "optimize.h"

/* Estimated run time from a measured pilot (issue 14 item 8).  A warm-up
 * of one replication (thread start, first touch of the buffers) is run and
 * discarded; then the release curves of the first 1, 4, 16, ... replications
 * of the optimize stream are timed until the pilot takes
 * OPTIMIZE_PILOT_SECONDS, at most OPTIMIZE_PILOT_MAX replications and a
 * 16th of the run's (but up to OPTIMIZE_PILOT_MIN when that allows; a
 * heavy scenario, a second per replication, stops after one: its estimate
 * is printed at once), with the
 * wait-and-see DP on up to 4 of them (ws_rep, one thread), and the evaluation of the four
 * allocations and the pooled fund on as many replications, run as optimize
 * runs it: the same pass settles each replication's curves and solves its
 * wait-and-see DP (issue 16), so `evaluate` prices both stages and
 * `wait_and_see` is 0 (no pass of its own; ws_rep is the part of eval_rep
 * a thread spends in the DP).  Re-allocation is priced by a plain pass
 * (no curves, no DP).  The solve: for
 * a mean objective the MIP on the pilot's curves; for the CVaR or target
 * model one on min(model replications, OPTIMIZE_PILOT_MODEL) replications,
 * scaled linearly by the model's size (replications x regions x grid
 * points), at most the solver's time limit.  GLPK's branch and bound varies
 * several-fold between models of one size (seed-2025's CVaR model: 0.5 to 5 s
 * at 250 to 1,664 replications, 2 to 34 s for the batches of one run), so
 * cmd_optimize also gives the bound of every solve running to its limit.  Each stage's estimate is its work at those
 * costs; the MMW gap is gap_batches times (a curve pass of the model's replications plus a solve),
 * the A2RP gap 2 x gap_batches solves (gap_batches and batch_reps then 0: no pass). */
typedef struct optimize_eta {
    double seconds;                                                  /* the sum of the stages' */
    double curves, solve, evaluate, reallocation, wait_and_see, gap; /* seconds per stage */
    double curve_rep, ws_rep, eval_rep;                              /* measured seconds per replication */
    double solve_one;                                                /* seconds per solve (the gap batches' too) */
    int solve_capped; /* the pilot's solve ran to OPTIMIZE_PILOT_SOLVE_SECONDS: solve_one is a floor */
    size_t pilot;                                                    /* replications in the pilot */
    size_t batch_reps;                                               /* replications of a gap batch; 0: no gap */
    int gap_batches;
} optimize_eta;

#define OPTIMIZE_PILOT_MIN 64
#define OPTIMIZE_PILOT_MAX 4096
#define OPTIMIZE_PILOT_SECONDS 0.1
#define OPTIMIZE_PILOT_MODEL 256
/* A mean objective's pilot solve stops here: on a pilot's few replications
 * the curves are jagged and branch and bound can take far longer than on the
 * run's smooth mean curves (seconds against half a minute on one scenario),
 * and the estimate must come before the run, not after it. */
#define OPTIMIZE_PILOT_SOLVE_SECONDS 3.0

int optimize_estimate(optimize_eta *eta, const scenario *s, const optimize_options *o, fz_error *err);
#endif
