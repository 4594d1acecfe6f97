/* Folder sim/run/ (library fz_run).
 *
 * gap: the optimality gap of a candidate split x^ from curves the run
 * already computes (issue 16): the Averaged Two-Replication Procedure of
 * Bayraksan & Morton (2006) on the evaluation stream's per-replication
 * curves (the wait-and-see pass), so the gap costs no extra simulation,
 * only 2K solves of the mean problem.  gap.c states the estimator, its bias
 * and why its bound is conservative.
 *
 * Use: gap_a2rp_init, then gap_a2rp_add for replications 0, 1, 2, ... in
 * order (a half is solved as soon as its last replication arrives, so
 * memory is one set of curves whatever K and the replication count), then
 * gap_a2rp_finish.  Results depend only on the curves and their order,
 * never on threads or ranks.
 *
 * Ownership: gap_a2rp owns its arrays; release with gap_a2rp_free (also
 * after a failed init).  The candidate steps and the problem's bounds are
 * copied. */
#ifndef FZ_GAP_H
#define FZ_GAP_H

#include <stddef.h>
#include <stdint.h>

#include "fz_error.h"
#include "split.h"

typedef struct gap_a2rp {
    size_t pairs, half_reps; /* K pairs of halves of n replications each (2Kn <= the replications) */
    split_problem p;         /* the mean problem, value pointing at sum */
    long *lo, *hi, *cand;    /* copies: bounds and the candidate's grid steps */
    double *sum;             /* the current half's curves, summed in replication order */
    size_t have;             /* replications of the current half added so far */
    size_t done;             /* halves solved */
    double *half_value;      /* 2K in-sample optima v_kl (the bound of a time-limited solve) */
    double *half_gap;        /* 2K G_kl = v_kl - f_kl(x^) >= 0 */
    double *pair_gap;        /* K G'_k = (G_k1 + G_k2) / 2 */
    int time_limited;        /* halves whose solve stopped at the time limit (bound used) */
    int reselected;          /* halves whose optimum is the candidate itself */
    /* after gap_a2rp_finish: G-bar', s' (between pairs), the two-sided 95%
     * interval (lo clipped at 0: every G'_k >= 0) and the one-sided 95% bound */
    double mean, sd, ci_lo, ci_hi, upper;
    int degenerate; /* s' = 0: every pair gave the same G'_k (every half re-selected x^): the bound has no width */
    double seconds; /* in the solves */
} gap_a2rp;

/* K pairs over nreps replications: n = floor(nreps / 2K) per half (the last
 * nreps - 2Kn replications are not used).  FZ_EINPUT if K < 2 or n < 1;
 * p: the problem's shape and bounds (value and the cvar/target fields are
 * ignored: the mean problem); cand: x^'s grid steps. */
int gap_a2rp_init(gap_a2rp *g, size_t pairs, size_t nreps, const split_problem *p, const long *cand, fz_error *err);
/* Replication rep (0, 1, 2, ... in order): its curves [c * ngrid + g].
 * Solves a half when it is complete (FZ_ERUNTIME if that fails). */
int gap_a2rp_add(gap_a2rp *g, uint64_t rep, const double *curves, fz_error *err);
/* G-bar', s', the bounds; FZ_ERUNTIME unless every half was solved. */
int gap_a2rp_finish(gap_a2rp *g, fz_error *err);
void gap_a2rp_free(gap_a2rp *g);

#endif
