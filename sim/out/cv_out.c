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
                                      (json_int_t)EVAL_BLOCK, "half_width", json_guard_num(half)));
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
                "precision +/- %g %s after %zu replications (checked after each block from %d replications on, %zu "
                "check%s): +/- %.3g (%s)\n",
                r->precision_target, r->precision_reached ? "reached" : "NOT reached (the --replications cap)",
                r->nreps, EVAL_BLOCK, r->precision_blocks, r->precision_blocks == 1 ? "" : "s", half,
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
