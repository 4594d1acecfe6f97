/* check_cv_ws: control variates for optimize's wait-and-see value and EVPI
 * (issue 16, session 2).
 *
 * - plain values unchanged: on the golden runs of tests/golden.sh,
 *   wait_and_see.plain and evpi.plain are the old wait_and_see and evpi
 *   {mean, ci95} byte for byte, and every other key keeps its value;
 * - coverage by simulation (300 seeds of 200 replications) on two regions
 *   with Poisson(40) and Poisson(20) fundable cases, bonds of USD 1,000 and
 *   60 bonds of money: the wait-and-see value of a replication is then
 *   min(Xa + Xb, 60), Xa + Xb ~ Poisson(60), and EVPI = that minus
 *   E[min(Xa, ka)] + E[min(Xb, kb)] at the chosen split, both exact; the
 *   controlled intervals cover them in at least 0.95 - 3 SE of the runs;
 * - seed-2025: the controlled wait-and-see interval is narrower than the
 *   plain one (variance reduction > 1), and so is EVPI's;
 * - 1 and 3 threads give the same controlled estimates, bit for bit. */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "cv.h"
#include "optimize.h"

#include "engine_util.h"

/* ---- plain values unchanged ---- */

/* the old {mean, ci95} of key in the golden file: its `plain` once the
 * golden files hold the controlled estimate, else the object itself */
static void same_plain(json_t *g, json_t *j, const char *key)
{
    json_t *old = json_object_get(g, key), *new = json_object_get(j, key);
    ck_assert_msg(old && new, "%s missing", key);
    if (json_object_get(old, "plain"))
        old = json_object_get(old, "plain");
    ck_assert_str_eq(json_string_value(json_object_get(new, "estimator")), "control_variate");
    json_t *pl = json_object_get(new, "plain");
    ck_assert_msg(pl, "%s.plain missing", key);
    ck_assert_msg(json_equal(json_object_get(old, "mean"), json_object_get(pl, "mean")), "%s.plain.mean changed", key);
    ck_assert_msg(json_equal(json_object_get(old, "ci95"), json_object_get(pl, "ci95")), "%s.plain.ci95 changed", key);
}

static void golden_run(const char *dir, const char *name, const char *ini)
{
    const char *out = cu_path_in(dir, name);
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 300, "optimize", "--gap", "mmw", "--gap-batches", "2", ini, "--replications",
                               "300", "--no-plots", "--quiet", "-o", out),
                     0);
    cu_run_free(&r);
    char gpath[512];
    snprintf(gpath, sizeof gpath, "%s/data/golden/%s.json", FZ_TEST_DIR, name);
    json_t *g = cu_load_json(gpath), *j = cu_load_json(cu_path_in(out, "summary.json"));
    same_plain(g, j, "wait_and_see");
    same_plain(g, j, "evpi");
    const char *k;
    json_t *v;
    json_object_foreach(g, k, v) /* nothing else changes */
        if (strcmp(k, "wait_and_see") && strcmp(k, "evpi"))
            ck_assert_msg(json_equal(v, json_object_get(j, k)), "%s: %s changed", name, k);
    json_decref(g);
    json_decref(j);
}

START_TEST(test_plain_unchanged)
{
    const char *dir = cu_test_dir("golden_ws");
    golden_run(dir, "optimize-seed-2025", FZ_TEST_DIR "/../scenarios/seed-2025.ini");
    golden_run(dir, "optimize-midwest-3y", FZ_TEST_DIR "/../scenarios/midwest-3y.ini");
}
END_TEST

/* ---- coverage ---- */

static const char poisson_text[] = "[fund]\nbudget_usd = 60000\ngranularity_usd = 1000\nhorizon_days = 50\n"
                                   "policy = first_come\n"
                                   "[region.a]\narrivals_per_day = 0.8\nbond_usd = fixed(1000)\n"
                                   "[region.b]\narrivals_per_day = 0.4\nbond_usd = fixed(1000)\n";

/* E[min(X, k)], X ~ Poisson(mu) */
static double mean_min_poisson(double mu, unsigned k)
{
    double e = 0;
    for (unsigned j = 0; j < k; j++)
        e += gsl_cdf_poisson_Q(j, mu);
    return e;
}

static optimize_result *run_opt(const scenario *s, int threads)
{
    optimize_options o = {.threads = threads, .gap_method = OPT_GAP_NONE};
    optimize_result *r = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(optimize_run(&r, s, &o, &err) == 0, "optimize_run: %s", err.msg);
    return r;
}

static int covers(cv_est e, double v) { return e.mean - e.half95 <= v && v <= e.mean + e.half95; }

START_TEST(test_coverage)
{
    scenario *s = load_text(poisson_text);
    s->replications = 200;
    double mu[2];
    fz_error err = {0, ""};
    ck_assert_int_eq(cv_expected_fundable(s, mu, &err), 0);
    /* the instance is what the derivation says: Poisson(0.8 x 50) and Poisson(0.4 x 50) fundable cases */
    ck_assert_double_eq_tol(mu[0], 40, 1e-6);
    ck_assert_double_eq_tol(mu[1], 20, 1e-6);
    const double ws = mean_min_poisson(60, 60);
    const int runs = 300;
    int wcov = 0, wplain = 0, ecov = 0, eplain = 0;
    double wratio = 0, eratio = 0;
    for (int i = 0; i < runs; i++) {
        s->seed = 7300 + (uint64_t)i;
        optimize_result *r = run_opt(s, 1);
        const long ka = r->mip.steps[0], kb = r->mip.steps[1];
        const double evpi = ws - mean_min_poisson(40, (unsigned)ka) - mean_min_poisson(20, (unsigned)kb);
        ck_assert_msg(isfinite(r->ws_cv.half95) && isfinite(r->evpi_cv.half95), "seed %d: no control variate", i);
        wcov += covers(r->ws_cv, ws);
        wplain += r->wait_and_see.lo <= ws && ws <= r->wait_and_see.hi;
        /* EVPI's interval as reported (cut at 0: every difference is >= 0) */
        double lo = fmax(0, r->evpi_cv.mean - r->evpi_cv.half95), hi = r->evpi_cv.mean + r->evpi_cv.half95;
        ecov += lo <= evpi && evpi <= hi;
        eplain += r->evpi.lo <= evpi && evpi <= r->evpi.hi;
        wratio += pow((r->wait_and_see.hi - r->wait_and_see.lo) / (2 * r->ws_cv.half95), 2) / runs;
        if (r->evpi_cv.half95 > 0)
            eratio += pow((r->evpi.hi - r->evpi.lo) / (2 * r->evpi_cv.half95), 2) / runs;
        optimize_free(r);
    }
    const double floor95 = runs * (0.95 - 3 * sqrt(0.95 * 0.05 / runs));
    fprintf(stderr,
            "wait-and-see %.4f: controlled covers %d/%d (plain %d), width ratio^2 %.2f; EVPI: controlled covers "
            "%d/%d (plain %d), width ratio^2 %.2f; floor %.1f\n",
            ws, wcov, runs, wplain, wratio, ecov, runs, eplain, eratio, floor95);
    ck_assert(wcov >= floor95);
    ck_assert(ecov >= floor95);
    ck_assert(wratio > 1);
    scenario_free(s);
}
END_TEST

/* ---- seed-2025: variance reduction ---- */

START_TEST(test_seed2025_reduction)
{
    const char *dir = cu_test_dir("seed2025_ws");
    const char *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 300, "optimize", "--replications", "2000", "--gap", "none", "--no-plots",
                               "--quiet", "-o", out, FZ_TEST_DIR "/../scenarios/seed-2025.ini"),
                     0);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(j, "wait_and_see.estimator")), "control_variate");
    ck_assert_str_eq(json_string_value(cu_json_at(j, "evpi.estimator")), "control_variate");
    double w = pow(cu_json_ci_width(j, "wait_and_see.plain.ci95") / cu_json_ci_width(j, "wait_and_see.ci95"), 2);
    double e = pow(cu_json_ci_width(j, "evpi.plain.ci95") / cu_json_ci_width(j, "evpi.ci95"), 2);
    fprintf(stderr, "seed-2025, 2000 replications: wait-and-see variance / %.2f, EVPI variance / %.2f\n", w, e);
    ck_assert(w > 1);
    ck_assert(e > 1);
    /* EVPI = wait-and-see minus the optimum, controlled on the same X: the
     * controlled EVPI is the controlled wait-and-see minus the controlled
     * optimum up to the split's coefficients (the same identity as a paired
     * difference, cv_out.c) */
    double d = cu_json_num(j, "wait_and_see.mean") - cu_json_num(j, "optimal.out_of_sample.mean");
    ck_assert_msg(fabs(d - cu_json_num(j, "evpi.mean")) < 1e-6 * fmax(1, fabs(d)), "EVPI %.9g, difference %.9g",
                  cu_json_num(j, "evpi.mean"), d);
    json_decref(j);
}
END_TEST

/* ---- threads ---- */

START_TEST(test_threads)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s", err.msg);
    s->replications = 1500; /* several blocks of the curve-sized evaluation blocks */
    optimize_result *a = run_opt(s, 1), *b = run_opt(s, 3);
    ck_assert(isfinite(a->ws_cv.mean) && isfinite(a->evpi_cv.mean));
    ck_assert_msg(!memcmp(&a->ws_cv, &b->ws_cv, sizeof a->ws_cv), "wait-and-see %.17g vs %.17g", a->ws_cv.mean,
                  b->ws_cv.mean);
    ck_assert_msg(!memcmp(&a->evpi_cv, &b->evpi_cv, sizeof a->evpi_cv), "EVPI %.17g vs %.17g", a->evpi_cv.mean,
                  b->evpi_cv.mean);
    ck_assert(!memcmp(&a->wait_and_see, &b->wait_and_see, sizeof a->wait_and_see));
    ck_assert(!memcmp(&a->evpi, &b->evpi, sizeof a->evpi));
    optimize_free(a);
    optimize_free(b);
    scenario_free(s);
}
END_TEST

Suite *make_cv_ws_suite(void)
{
    Suite *s = suite_create("cv_ws");
    TCase *t = tcase_create("cv_ws");
    tcase_set_timeout(t, 600);
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_add_test(t, test_plain_unchanged);
    tcase_add_test(t, test_coverage);
    tcase_add_test(t, test_seed2025_reduction);
    tcase_add_test(t, test_threads);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(cv_ws)
