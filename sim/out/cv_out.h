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

/* Any other mean fianza reports (issue 16): the control variate where it is
 * valid, else the plain estimate and why.  plain is the estimate exactly as
 * it was reported before; reason NULL means est is the control variate's. */
typedef struct cv_report {
    stat_est est, plain;
    const char *reason;
} cv_report;

/* plain with y's control-variate estimate (cv_estimate_vec on r's controls)
 * when it is available */
cv_report cv_out_mean(const eval_result *r, stat_est plain, const cv_y *y);
/* the same with an estimate made on other accumulators of r's replications
 * (cv_estimate_vec with r->cv_mu: optimize's wait-and-see and EVPI) */
cv_report cv_out_cv(const eval_result *r, stat_est plain, cv_est e);
/* a plain mean and its t interval (stat_ci95_half) */
static inline stat_est cv_out_est_of(const stat_acc *a)
{
    double h = stat_ci95_half(a);
    return (stat_est){a->mean, a->mean - h, a->mean + h};
}
/* not a mean with a linear relation to the controls: plain, and why */
cv_report cv_out_plain(stat_est plain, const char *reason);
/* P(releases >= target) of allocation k: plain = hits / n with Wilson's
 * interval; controlled only when the indicator varies (0 < hits < n), and
 * the t interval lies in [0, 1] with a positive width (else Wilson stays:
 * an interval never reads [0, 0] unless the estimate is a point) */
cv_report cv_out_p_target(const eval_result *r, size_t k);

/* {mean, ci95, estimator, plain {mean, ci95}}, or {mean, ci95, estimator:
 * "plain", estimator_reason} */
json_t *cv_out_report_json(cv_report e);
/* obj ({mean, ci95, ...} of e.plain): mean and ci95 become e.est's, and
 * estimator with plain (or estimator_reason) are added; other keys stay */
void cv_out_rewrite(json_t *obj, cv_report e);

#endif
