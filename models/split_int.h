/* split_int.h: what split.c shares with split_target.c (the chance model of
 * DESIGN §8); not part of the split API (split.h).
 *
 * Ownership: nothing here allocates; a tmodel's arrays belong to
 * split_target_solve. */
#ifndef FZ_SPLIT_INT_H
#define FZ_SPLIT_INT_H

#include <glpk.h>
#include <setjmp.h>

#include "split.h"

/* GLPK's error hook longjmps to jump; the solve that set the hook frees the
 * environment there (GLPK reference manual, glp_error_hook). */
typedef struct glpk_guard {
    jmp_buf jump;
} glpk_guard;
void split_on_glpk_error(void *info);
int split_on_glpk_term(void *info, const char *s);

/* bound, gap and status_text of a solved result (bound: the best bound of
 * the open nodes seen, in the units of out->value). */
void split_describe(split_result *out, const split_problem *p, double bound);

/* The target fields of p (split_check calls it): 0 when p has no target. */
int split_target_check(const split_problem *p, fz_error *err);
/* split_solve for a problem with target_obj or min_reach (split_target.c). */
int split_target_solve(split_result *out, const split_problem *p, fz_error *err);

/* ---- the chance model's data (split_target_model.c) ---- */

enum { REP_LIVE, REP_ALWAYS, REP_NEVER };

typedef struct tmodel {
    const split_problem *p;
    size_t C, G, S;
    double *m;       /* m_sc [s * C + c] */
    double *D;       /* D_s (live replications) */
    int *kind;       /* REP_* per replication */
    long always, live;
    long *kept;      /* kept points of region c: kept[koff[c] .. koff[c+1]) */
    size_t *koff;
    int *col_of;     /* first w column of region c's point k >= 1: col_of[c] + k - 1 */
    int nw, z0, eta; /* z_s of the live replications from z0; eta (cvar) */
    int *zcol;       /* per replication: its z column, 0 if none */
    int u0;          /* cvar u_s from u0 */
} tmodel;

typedef struct incumbent {
    long *steps; /* NULL: none */
    double value;
    long *releases_opt; /* the releases optimum on every grid point, or NULL */
} incumbent;

/* Replications reaching the target at steps; the objective at steps from
 * the data (target: that count; tot: nreps doubles of scratch). */
long tm_count_reached(const tmodel *t, const long *steps);
double tm_objective(const tmodel *t, const long *steps, double *tot);
/* m, D and each replication's kind; then the kept points. */
int tm_classify(tmodel *t);
void tm_kept_points(tmodel *t);
/* The model's columns (w, z, cvar's eta and u) and rows; returns the
 * budget row (1). */
void tm_add_columns(glp_prob *lp, tmodel *t);
int tm_add_rows(glp_prob *lp, const tmodel *t, int *ind, double *val);
/* The incumbent (steps: 3 C longs of scratch; curve: C G doubles; tot:
 * 2 nreps doubles) and it as a point of the model (every column). */
void tm_find_incumbent(incumbent *best, const tmodel *t, long *steps, double *curve, double *tot);
void tm_model_point(double *x, const tmodel *t, const long *steps, double *tot);
/* A bound on the objective without the LP. */
double tm_crude_bound(const tmodel *t);
/* Two regions, objective target: the optimum by enumerating every pair of
 * kept points (1), when pairs x live replications <= TARGET_ENUM_MAX_WORK
 * (about a second); it proves the MIP's incumbent optimal, as split_dp does
 * for the mean objective. */
#define TARGET_ENUM_MAX_WORK 2e9
int tm_enumerate(const tmodel *t, long *steps, long *count);

#endif
