/* sweep_out: the sweep chart's script (sweep_out.h). */
#include "sweep_out.h"

#include <stdio.h>
#include <stdlib.h>

#include "plot.h"

int sweep_chart(outdir *dir, const scenario *s, const double *targets, size_t n, const char *param, int budget,
                charts_list *charts, fz_error *err)
{
    char title[300], vcol[16], pcol[16], mplot[256], plabel[96];
    double target = 0;
    int ptarget = 0, same = 1;
    for (size_t i = 0; i < n; i++)
        if (targets[i] > 0) {
            same &= !ptarget || targets[i] == target;
            target = targets[i], ptarget = 1;
        }
    if (same)
        snprintf(plabel, sizeof plabel, "P(releases >= %.10g)", target);
    else
        snprintf(plabel, sizeof plabel, "P(releases >= target_releases)");
    snprintf(title, sizeof title, "%s: optimal %s along %s", s->name, scenario_objective_name(s->objective), param);
    snprintf(vcol, sizeof vcol, "%zu", s->nregions + 3);
    snprintf(pcol, sizeof pcol, "%zu", s->nregions + 15); /* p_target: after the 5 money columns */
    if (budget)
        snprintf(mplot, sizeof mplot,
                 "'' skip 1 using ($1/1000):(column(%zu)) axes x1y2 with linespoints lt 2 dt 2 title 'marginal value "
                 "per USD "
                 "1,000'",
                 s->nregions + 9);
    else
        snprintf(mplot, sizeof mplot, "NaN notitle");
    char *t = plot_quote(title), *xl = plot_quote(budget ? "budget (thousand USD)" : param),
         *yl = plot_quote(scenario_objective_name(s->objective)), *pl = plot_quote(plabel);
    int rc = !t || !xl || !yl || !pl ? fz_fail(err, FZ_ERUNTIME, "out of memory") : 0;
    plot_var v[] = {{"TITLE", t},
                    {"XLABEL", xl},
                    {"YLABEL", yl},
                    {"VCOL", vcol},
                    {"XSCALE", budget ? "1000" : "1"},
                    {"MARGINAL", budget ? "1" : "0"},
                    {"MARGINAL_PLOT", mplot},
                    {"PTARGET", ptarget ? "1" : "0"},
                    {"PCOL", pcol},
                    {"PLABEL", pl}};
    if (!rc && !(rc = plot_script(dir, "sweep", v, sizeof v / sizeof *v, err)))
        charts->names[charts->n++] = "sweep";
    free(t), free(xl), free(yl), free(pl);
    return rc;
}
