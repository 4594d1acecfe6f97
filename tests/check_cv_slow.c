/* check_cv_slow: statistical checks of the control variates (issue 16),
 * labelled slow.
 *
 * - coverage: on a scenario whose mean releases are known exactly (fixed
 *   bonds, no delays: region c's fundable count X_c is Poisson(lambda_c H)
 *   and its releases are min(X_c, k_c), so E = sum_c sum_{j<k_c} P(X_c > j)),
 *   the controlled 95% interval of 400 independent runs (seeds) of 200
 *   replications covers E in at least 0.95 - 3 SE of them, and so does
 *   the plain one (a sanity check of the harness);
 * - the exact E[fundable] against 10^6 replications of the engine on
 *   seed-2025 and 2 x 10^5 on midwest-3y (4 standard errors). */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cv.h"
#include "eval.h"

#include "engine_util.h"

static double mean_min_poisson(double mu, unsigned k)
{
    double e = 0;
    for (unsigned j = 0; j < k; j++)
        e += gsl_cdf_poisson_Q(j, mu);
    return e;
}

START_TEST(test_coverage)
{
    const char *text = "[fund]\nbudget_usd = 100000\nhorizon_days = 50\npolicy = first_come\n"
                       "[region.a]\narrivals_per_day = 0.8\nbond_usd = fixed(1000)\n"
                       "[region.b]\narrivals_per_day = 0.4\nbond_usd = fixed(1000)\n";
    scenario *s = load_text(text);
    const double alloc[2] = {42000, 15000};
    const double exact = mean_min_poisson(40, 42) + mean_min_poisson(20, 15);
    const int runs = 400;
    int cv_cover = 0, plain_cover = 0, used = 0;
    double ratio = 0;
    for (int i = 0; i < runs; i++) {
        s->seed = 7000 + (uint64_t)i;
        eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = 200, .threads = 1};
        eval_result *r = run_eval(s, alloc, 1, &o);
        double m, h;
        used += eval_releases(r, 0, &m, &h);
        cv_cover += fabs(m - exact) <= h;
        stat_acc *p = &r->allocs[0].releases;
        plain_cover += fabs(p->mean - exact) <= stat_ci95_half(p);
        ratio += eval_cv_total(r, &r->allocs[0].cv_releases).var_ratio / runs;
        eval_free(r);
    }
    const double floor95 = 0.95 - 3 * sqrt(0.95 * 0.05 / runs);
    fprintf(stderr, "coverage of %g: control variate %d/%d, plain %d/%d (floor %.1f); mean variance ratio %.2f\n", exact,
            cv_cover, runs, plain_cover, runs, floor95 * runs, ratio);
    ck_assert_int_eq(used, runs);
    ck_assert_msg(cv_cover >= floor95 * runs, "control variate: %d of %d intervals cover %g", cv_cover, runs, exact);
    ck_assert_msg(plain_cover >= floor95 * runs, "plain: %d of %d intervals cover %g", plain_cover, runs, exact);
    ck_assert_msg(ratio > 2, "variance ratio %g", ratio); /* the control does reduce the variance */
    scenario_free(s);
}
END_TEST

static void mc_file(const char *name, uint64_t reps)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/%s", FZ_TEST_DIR, name);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s: %s", path, err.msg);
    double e[SCENARIO_MAX_REGIONS];
    ck_assert_msg(cv_expected_fundable(s, e, &err) == 0, "%s", err.msg);
    engine_ws *ws = ws_new();
    for (size_t c = 0; c < s->nregions; c++) {
        stat_acc a = {0, 0, 0};
        for (uint64_t r = 0; r < reps; r++) {
            draw(ws, s, c, s->policy, RNG_STREAM_BATCH + 77, r);
            stat_add(&a, (double)engine_fundable(ws));
        }
        double se = stat_sd(&a) / sqrt(a.n);
        ck_assert_msg(fabs(a.mean - e[c]) <= 4 * se, "%s region %s: E %.6f, Monte Carlo %.6f (SE %.6f)", name,
                      s->regions[c].name, e[c], a.mean, se);
    }
    engine_ws_free(ws);
    scenario_free(s);
}

START_TEST(test_mc_seed2025) { mc_file("seed-2025.ini", 1000000); }
END_TEST

START_TEST(test_mc_midwest) { mc_file("midwest-3y.ini", 200000); }
END_TEST

Suite *make_cv_slow_suite(void)
{
    Suite *s = suite_create("cv_slow");
    TCase *t = tcase_create("statistics");
    tcase_set_timeout(t, 1800);
    tcase_add_test(t, test_coverage);
    tcase_add_test(t, test_mc_seed2025);
    tcase_add_test(t, test_mc_midwest);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(cv_slow)
