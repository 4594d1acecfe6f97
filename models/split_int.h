/* split_int.h: what split.c shares with split_target.c (the chance model of
 * DESIGN §8); not part of the split API (split.h).
 *
 * Ownership: nothing here allocates. */
#ifndef FZ_SPLIT_INT_H
#define FZ_SPLIT_INT_H

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

#endif
