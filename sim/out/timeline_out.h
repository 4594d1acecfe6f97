/* timeline_out: the fund over time (DESIGN §7) as outputs: the "timeline" object of
 * summary.json, timeline.csv and the timeline chart (plots/timeline.gp),
 * all from eval_result.timeline (allocation 0 of an eval run: the reported
 * allocation of simulate and optimize, variant 1 of compare).
 *
 * On the day grid 0, g, 2g, ..., H: mean and 5th/50th/95th percentiles over
 * the replications of the cumulative releases and of the total balance
 * (regions' accounts plus the reserve).  A non-finite value is null in JSON
 * and an empty cell in the CSV; an empty timeline (n = 0) is "timeline":
 * null and a CSV with the header alone (docs/outputs.md).
 *
 * Ownership: timeline_json returns a new reference (json_decref it). */
#ifndef FZ_TIMELINE_OUT_H
#define FZ_TIMELINE_OUT_H

#include <jansson.h>

#include "charts.h"
#include "eval.h"
#include "outdir.h"
#include "scenario.h"

/* {"day": [...], "releases": {"mean", "p05", "p50", "p95": [...]},
 *  "balance_usd": {same}}, or null when the timeline is empty. */
json_t *timeline_json(const eval_timeline *t);

/* timeline.csv: day, releases_cum_{mean,p05,p50,p95},
 * balance_usd_{mean,p05,p50,p95}; one row per grid day. */
int timeline_csv(outdir *o, const eval_timeline *t, fz_error *err);

/* What every command that simulates does with its eval result r: sets
 * doc's "timeline", writes timeline.csv and timeline.gp (titled with
 * `what`, the allocation it shows) and lists the chart. */
int timeline_outputs(outdir *o, json_t *doc, const scenario *s, const eval_result *r, const char *what,
                     charts_list *list, fz_error *err);

/* sweep --budget/--param: timeline.csv with the swept value first (column
 * `param`, as in sweep.csv), then the columns above, one row per point and
 * grid day, from each point's "timeline" object (tl[i], as timeline_json
 * made it; null rows none); and the sweep_timeline chart: the mean lines of
 * at most TIMELINE_SWEEP_SHOWN points, evenly spread, first and last
 * included.  xlabel names the swept value in the key ("budget USD"). */
#define TIMELINE_SWEEP_SHOWN 6
int timeline_sweep_outputs(outdir *o, const scenario *s, const char *param, const char *xlabel, const double *x,
                           json_t *const *tl, size_t n, charts_list *list, fz_error *err);

#endif
