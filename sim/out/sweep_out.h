/* sweep_out: the `sweep` chart (plots/sweep.gp) of `fianza sweep --budget`
 * or `--param`: the optimal value out of sample along the sweep with its 95%
 * band (and, for budgets, the marginal value of money on the right axis);
 * when any point has target_releases > 0, a second panel with P(releases >=
 * target) of each point's optimal split and its Wilson 95% band.  The data
 * are sweep.csv's columns, as cmd_sweep.c writes them.
 *
 * Ownership: nothing is kept; the caller owns its arrays. */
#ifndef FZ_SWEEP_OUT_H
#define FZ_SWEEP_OUT_H

#include <stddef.h>

#include "charts.h"
#include "outdir.h"
#include "scenario.h"

/* Writes sweep.gp (and theme.gp) and lists "sweep" in charts; targets[i] is
 * point i's target_releases (0: none); budget: the sweep is along the budget. */
int sweep_chart(outdir *dir, const scenario *s, const double *targets, size_t n, const char *param, int budget,
                charts_list *charts, fz_error *err);

#endif
