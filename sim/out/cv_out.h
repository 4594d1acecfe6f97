/* cv_out: the control-variate estimates (sim/run/cv.h) in summary.json and
 * on the console (issue 16).  summary.json's releases.mean and
 * releases.ci95 are the reported estimator's (releases.estimator says
 * which); the plain estimate stays beside it in releases.plain, and the
 * other means get a `controlled` object next to their plain values.
 *
 * Ownership: the JSON objects passed in are the caller's; new values are
 * added to them. */
#ifndef FZ_CV_OUT_H
#define FZ_CV_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "eval.h"

/* rel: allocation k's "releases" object ({mean, ci95, ...}), rewritten to
 * the reported estimator; out: its whole evaluation object (spent_usd,
 * freedom_days and regions get their controlled means). */
void cv_out_json(json_t *rel, json_t *out, const scenario *s, const eval_result *r, size_t k);

/* One console line: the reported estimate and, beside it, the other one. */
void cv_out_print(FILE *f, const eval_result *r, size_t k);

#endif
