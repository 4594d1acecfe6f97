/* cv_out: see cv_out.h. */
#include "cv_out.h"

#include <math.h>
#include <stdint.h>

#include "json_guard.h"
#include "summary.h"

static json_t *ci_json(double mean, double half)
{
    return isfinite(mean) && isfinite(half) ? json_pack("[f, f]", mean - half, mean + half) : json_null();
}

static json_t *est_json(cv_est e)
{
    if (!isfinite(e.mean))
        return json_null();
    return json_pack("{s:o, s:o}", "mean", json_guard_num(e.mean), "ci95", ci_json(e.mean, e.half95));
}

void cv_out_json(json_t *rel, json_t *out, const scenario *s, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    double mean, half;
    int cv = eval_releases(r, k, &mean, &half);
    if (k == 0 && r->precision_target > 0) /* --precision: the run's first allocation (top level of summary.json) */
        json_object_set_new(out, "precision",
                            json_pack("{s:f, s:b, s:I, s:I, s:o}", "target", r->precision_target, "reached",
                                      r->precision_reached, "blocks", (json_int_t)r->precision_blocks, "block",
                                      (json_int_t)r->precision_block, "half_width", json_guard_num(half)));
    json_object_set_new(rel, "estimator", json_string(cv ? "control_variate" : "plain"));
    if (!cv) {
        json_object_set_new(rel, "estimator_reason",
                            json_string(r->cv_mu ? "too few replications for the control variate (at least 6)"
                                                 : r->cv_reason));
        return;
    }
    json_object_set_new(rel, "plain",
                        json_pack("{s:o, s:o}", "mean", json_guard_num(a->releases.mean), "ci95",
                                  ci_json(a->releases.mean, stat_ci95_half(&a->releases))));
    json_object_set_new(rel, "mean", json_guard_num(mean));
    json_object_set_new(rel, "ci95", ci_json(mean, half));
    cv_est e = eval_cv_total(r, &a->cv_releases);
    double mu = 0;
    for (size_t c = 0; c < r->nregions; c++)
        mu += r->cv_mu[c];
    json_object_set_new(rel, "control",
                        json_pack("{s:s, s:o, s:o, s:o}", "variable", "fundable_cases", "expected", json_guard_num(mu),
                                  "rho", isfinite(e.rho) ? json_real(e.rho) : json_null(), "variance_ratio",
                                  isfinite(e.var_ratio) ? json_real(e.var_ratio) : json_null()));
    json_t *sp = json_object_get(out, "spent_usd"), *fr = json_object_get(out, "freedom_days");
    if (sp)
        json_object_set_new(sp, "controlled", est_json(eval_cv_total(r, &a->cv_spent)));
    if (fr)
        json_object_set_new(fr, "controlled", est_json(eval_cv_total(r, &a->cv_freedom)));
    json_t *regions = json_object_get(out, "regions");
    for (size_t c = 0; regions && c < r->nregions; c++) {
        json_t *jr = json_object_get(regions, s->regions[c].name);
        const eval_region *g = &a->regions[c];
        if (jr)
            json_object_set_new(jr, "controlled",
                                json_pack("{s:o, s:o, s:o}", "releases", est_json(eval_cv(r, &g->cv_releases, c)),
                                          "spent_usd", est_json(eval_cv(r, &g->cv_spent, c)), "freedom_days",
                                          est_json(eval_cv(r, &g->cv_freedom, c))));
    }
}

void cv_out_print(FILE *f, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    double mean, half;
    char ci[64], pl[64];
    if (k == 0 && r->precision_target > 0) {
        int cvr = eval_releases(r, k, &mean, &half);
        fprintf(f,
                "precision +/- %g %s after %zu replications (checked every %zu replications from %d on, %zu "
                "check%s): +/- %.3g (%s)\n",
                r->precision_target, r->precision_reached ? "reached" : "NOT reached (the --replications cap)",
                r->nreps, r->precision_block, EVAL_BLOCK, r->precision_blocks, r->precision_blocks == 1 ? "" : "s", half,
                cvr ? "control variate" : "plain");
    }
    double ph = stat_ci95_half(&a->releases);
    summary_ci_text(pl, sizeof pl, a->releases.mean, a->releases.mean - ph, a->releases.mean + ph, 2, 0);
    if (!eval_releases(r, k, &mean, &half)) {
        fprintf(f, "releases %s (plain mean: %s)\n", pl,
                r->cv_mu ? "too few replications for the control variate" : r->cv_reason);
        return;
    }
    cv_est e = eval_cv_total(r, &a->cv_releases);
    summary_ci_text(ci, sizeof ci, mean, mean - half, mean + half, 2, 0);
    char ratio[32] = "n/a", rho[32] = "n/a";
    if (isfinite(e.var_ratio))
        snprintf(ratio, sizeof ratio, "%.3g", e.var_ratio);
    if (isfinite(e.rho))
        snprintf(rho, sizeof rho, "%.3f", e.rho);
    fprintf(f, "releases %s (control variate: fundable cases, rho = %s, variance / %s); plain %s\n", ci, rho, ratio,
            pl);
}

/* ---- the other means (issue 16) ----
 *
 * Paired differences.  Allocations are paid on the same draw (common random
 * numbers), so allocation k and allocation 0 share one control vector X
 * (the fundable cases per region of the replication).  The difference of
 * the two controlled estimates,
 *   (Ybar_k - b_k'(Xbar - mu)) - (Ybar_0 - b_0'(Xbar - mu))
 *     = (Ybar_k - Ybar_0) - (b_k - b_0)'(Xbar - mu),
 * is the controlled estimate of D = Y_k - Y_0 with coefficient b_k - b_0,
 * and the variance-minimising coefficient of D on X is Cov(D, X) Var(X)^-1
 * = b_k - b_0 (Lavenberg & Welch 1981, §3: with several controls the
 * optimal vector is Sigma_XX^-1 Sigma_XY; Nelson 1990, §2, for the
 * splitting estimator).  So the difference is regressed on X directly, on
 * the other half's coefficients as every total (cv.h): the "difference of
 * the controls" is zero under common random numbers, and "both controls"
 * collapse to X.  Its interval is the t interval of the controlled
 * residuals of D, paired as the plain one.  VSS is minus the expected-value
 * split's difference, so it is controlled the same way.
 *
 * An indicator 1[releases >= target] is a mean with a finite variance, so
 * its regression on X is as valid as any (the estimator is unbiased for
 * P(target) by the split, whatever the shape of the relation); its
 * interval is a t interval, kept only inside [0, 1] (cv_out_p_target). */

cv_report cv_out_plain(stat_est plain, const char *reason) { return (cv_report){plain, plain, reason}; }

cv_report cv_out_mean(const eval_result *r, stat_est plain, const cv_y *y)
{
    return cv_out_cv(r, plain, r->cv_mu ? eval_cv_total(r, y) : (cv_est){NAN, NAN, NAN, NAN});
}

cv_report cv_out_cv(const eval_result *r, stat_est plain, cv_est e)
{
    if (!r->cv_mu)
        return cv_out_plain(plain, r->cv_reason);
    if (!isfinite(e.mean) || !isfinite(e.half95))
        return cv_out_plain(plain, "too few replications for the control variate (at least 6)");
    return (cv_report){{e.mean, e.mean - e.half95, e.mean + e.half95}, plain, NULL};
}

cv_report cv_out_p_target(const eval_result *r, size_t k)
{
    const double n = (double)r->nreps, hits = r->allocs[k].reach_target;
    stat_est plain = {n > 0 ? hits / n : NAN, NAN, NAN};
    stat_wilson(hits, n, &plain.lo, &plain.hi);
    if (!(hits > 0 && hits < n))
        return cv_out_plain(plain, "every replication on the same side of the target: Wilson's interval");
    cv_report c = cv_out_mean(r, plain, &r->allocs[k].cv_reach);
    if (!c.reason && !(c.est.lo >= 0 && c.est.hi <= 1 && c.est.hi > c.est.lo))
        return cv_out_plain(plain, "the controlled interval leaves [0, 1]: Wilson's interval");
    return c;
}

json_t *cv_out_report_json(cv_report e)
{
    json_t *o = json_object();
    cv_out_rewrite(o, e);
    return o;
}

void cv_out_rewrite(json_t *o, cv_report e)
{
    if (!e.reason || !json_object_get(o, "mean")) { /* plain: the caller's numbers stay as they are */
        json_object_set_new(o, "mean", json_guard_num(e.est.value));
        json_object_set_new(o, "ci95", isfinite(e.est.lo) && isfinite(e.est.hi)
                                           ? json_pack("[f, f]", e.est.lo, e.est.hi)
                                           : json_null());
    }
    json_object_set_new(o, "estimator", json_string(e.reason ? "plain" : "control_variate"));
    if (e.reason)
        json_object_set_new(o, "estimator_reason", json_string(e.reason));
    else
        json_object_set_new(o, "plain",
                            json_pack("{s:o, s:o}", "mean", json_guard_num(e.plain.value), "ci95",
                                      isfinite(e.plain.lo) && isfinite(e.plain.hi)
                                          ? json_pack("[f, f]", e.plain.lo, e.plain.hi)
                                          : json_null()));
}
