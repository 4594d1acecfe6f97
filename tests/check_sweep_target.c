/* check_sweep_target: what `sweep` reports at every point besides the
 * optimal value (issue 13): P(releases >= target_releases) with its Wilson
 * 95% interval, cost per release with its interval, USD spent and the
 * budget the grid leaves unallocated, in sweep.csv, summary.json, the
 * console table and the chart script.
 *
 * - A deterministic scenario (one region, 10 people detained at the start,
 *   every bond granted and exactly USD 1,000, no delay, no removal): the
 *   allocation g * 1500 buys min(10, floor(g * 1.5)) releases in every
 *   replication, so P is 0 or 1, its Wilson interval at k = 0 is
 *   [0, z^2 / (n + z^2)] and at k = n [n / (n + z^2), 1] (closed forms of
 *   the score interval), cost per release is USD 1,000 with a zero-width
 *   interval, and with granularity 1500 the budgets 2000..5000 leave 500,
 *   0, 1000 and 500 USD unallocated.
 * - Without a target, or without releases, the cells are empty and the
 *   keys null (never a number made up).
 * - On a random scenario, each point's figures equal those of `simulate`
 *   of the point's split at the point's budget (same "evaluate" stream: an
 *   independent path through the program), and unallocated = budget - sum. */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "csv_util.h"

#define Z975 1.959963984540054

#define RUN_OK(...)                                                                  \
    do {                                                                             \
        run_result r_;                                                               \
        int rc_ = cu_run_v(&r_, NULL, 120, (const char *const[]){__VA_ARGS__, NULL}); \
        ck_assert_msg(rc_ == 0, "exit %d:\n%s", rc_, r_.err);                        \
        cu_run_free(&r_);                                                            \
    } while (0)

static const char fixed_ini[] = "[fund]\nbudget_usd = 5000\ngranularity_usd = 1500\nhorizon_days = 30\n"
                                "target_releases = 3\n"
                                "[simulation]\nreplications = 20\nseed = 5\n"
                                "[region.r]\ninitial_detained = 10\nbond_usd = fixed(1000)\n";

static json_t *point(json_t *doc, size_t i) { return json_array_get(cu_json_at(doc, "sweep.points"), i); }

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

START_TEST(test_fixed_bonds)
{
    const char *dir = cu_test_dir("fixed"), *ini = cu_path_in(dir, "fixed.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, fixed_ini);
    run_result r;
    int rc = CU_RUN(&r, "sweep", "--budget", "2000:5000:1000", "--no-plots", "-o", out, ini);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, r.err);
    ck_assert_msg(strstr(r.out, "P(releases >= 3)") && strstr(r.out, "unallocated USD"), "table:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "1.000 [0.839, 1.000]") && strstr(r.out, "0.000 [0.000, 0.161]"), "table:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "1000 [1000, 1000]"), "cost per release in the table:\n%s", r.out);
    cu_run_free(&r);

    const double n = 20, hi0 = Z975 * Z975 / (n + Z975 * Z975), lo1 = n / (n + Z975 * Z975);
    const double releases[4] = {1, 3, 3, 4}, unalloc[4] = {500, 0, 1000, 500}, p[4] = {0, 1, 1, 1};
    double v[8];
    const char *csv = cu_path_in(out, "sweep.csv");
    ck_assert_uint_eq(csvu_column(csv, "p_target", v, 8), 4);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(v[i], p[i]);
    csvu_column(csv, "p_target_ci95_lo", v, 8);
    ck_assert_double_eq(v[0], 0);
    for (int i = 1; i < 4; i++)
        ck_assert_double_eq_tol(v[i], lo1, 1e-9);
    csvu_column(csv, "p_target_ci95_hi", v, 8);
    ck_assert_double_eq_tol(v[0], hi0, 1e-9);
    for (int i = 1; i < 4; i++)
        ck_assert_double_eq(v[i], 1);
    csvu_column(csv, "cost_per_release_usd", v, 8);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(v[i], 1000);
    csvu_column(csv, "cost_per_release_usd_ci95_lo", v, 8);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(v[i], 1000);
    csvu_column(csv, "spent_usd_mean", v, 8);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(v[i], 1000 * releases[i]);
    csvu_column(csv, "unallocated_usd", v, 8);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(v[i], unalloc[i]);

    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    for (size_t i = 0; i < 4; i++) {
        json_t *pt = point(doc, i);
        ck_assert_double_eq(num(pt, "target_releases"), 3);
        ck_assert_double_eq(num(pt, "p_target"), p[i]);
        json_t *ci = json_object_get(pt, "p_target_ci95");
        ck_assert_double_eq_tol(json_number_value(json_array_get(ci, 0)), i ? lo1 : 0, 1e-9);
        ck_assert_double_eq_tol(json_number_value(json_array_get(ci, 1)), i ? 1 : hi0, 1e-9);
        ck_assert_double_eq(num(pt, "cost_per_release_usd"), 1000);
        ck_assert_double_eq(json_number_value(json_array_get(json_object_get(pt, "cost_per_release_usd_ci95"), 1)),
                            1000);
        ck_assert_double_eq(num(json_object_get(pt, "spent_usd"), "mean"), 1000 * releases[i]);
        ck_assert_double_eq(num(pt, "unallocated_usd"), unalloc[i]);
        ck_assert_double_eq(num(json_object_get(pt, "releases"), "mean"), releases[i]);
    }
    json_decref(doc);
}
END_TEST

/* No target: empty P cells, null keys, one panel; no release: no cost. */
START_TEST(test_undefined)
{
    const char *dir = cu_test_dir("undef"), *ini = cu_path_in(dir, "fixed.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, fixed_ini);
    RUN_OK("sweep", "--budget", "500:3500:3000", "--set", "fund.target_releases=0", "--no-plots", "-o", out, ini);
    double v[4];
    const char *csv = cu_path_in(out, "sweep.csv");
    const char *empty[] = {"p_target", "p_target_ci95_lo", "p_target_ci95_hi"};
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(csvu_column(csv, empty[k], v, 4), 2);
        ck_assert(isnan(v[0]) && isnan(v[1]));
    }
    csvu_column(csv, "cost_per_release_usd", v, 4); /* USD 500 buys no USD 1,000 bond */
    ck_assert(isnan(v[0]));
    ck_assert_double_eq(v[1], 1000);
    csvu_column(csv, "unallocated_usd", v, 4);
    ck_assert_double_eq(v[0], 500);
    ck_assert_double_eq(v[1], 500);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *p0 = point(doc, 0);
    ck_assert(json_is_null(json_object_get(p0, "p_target")));
    ck_assert(json_is_null(json_object_get(p0, "p_target_ci95")));
    ck_assert(json_is_null(json_object_get(p0, "cost_per_release_usd")));
    ck_assert(json_is_null(json_object_get(p0, "cost_per_release_usd_ci95")));
    ck_assert_double_eq(num(p0, "target_releases"), 0);
    json_decref(doc);
    char *gp = cu_slurp(cu_path_in(out, "sweep.gp"), NULL);
    ck_assert_ptr_nonnull(gp);
    ck_assert_msg(strstr(gp, "if (0) {\n        set multiplot"), "one panel without a target:\n%s", gp);
    free(gp);
}
END_TEST

/* Each point against `simulate` of its split at its budget. */
START_TEST(test_matches_simulate)
{
    const char *dir = cu_test_dir("random"), *two = cu_two_ini(dir, 200), *out = cu_path_in(dir, "out");
    RUN_OK("sweep", "--budget", "100000:200000:100000", "--set", "fund.target_releases=100", "--set",
           "fund.granularity_usd=700", "-o", out, two);
    char *gp = cu_slurp(cu_path_in(out, "sweep.gp"), NULL);
    ck_assert_msg(gp && strstr(gp, "if (1) {\n        set multiplot") && strstr(gp, "P(releases >= 100)"),
                  "two panels with a target:\n%s", gp);
    free(gp);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    const double budgets[2] = {100000, 200000};
    int some_p = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *pt = point(doc, i), *alloc = json_object_get(pt, "allocation");
        double chi = num(alloc, "chicago"), kc = num(alloc, "kansas_city");
        ck_assert_double_eq_tol(num(pt, "unallocated_usd"), budgets[i] - chi - kc, 1e-6);
        ck_assert(fmod(budgets[i], 700) == 0 || num(pt, "unallocated_usd") > 0); /* 700 divides neither */
        char a[128], set[64], sim[32];
        snprintf(a, sizeof a, "chicago=%.2f,kansas_city=%.2f", chi, kc);
        snprintf(set, sizeof set, "fund.budget_usd=%.0f", budgets[i]);
        snprintf(sim, sizeof sim, "sim%zu", i);
        const char *so = cu_path_in(dir, sim);
        RUN_OK("simulate", "--allocation", a, "--set", set, "--set", "fund.target_releases=100", "--set",
               "fund.granularity_usd=700", "--no-plots", "-o", so, two);
        json_t *sd = cu_load_json(cu_path_in(so, "summary.json"));
        double p = num(pt, "p_target");
        /* sweep's P is the plain share; simulate's may be the control variate (issue 16) */
        ck_assert_double_eq(p, cu_json_num(sd, json_object_get(json_object_get(sd, "releases"), "p_target_plain") ? "releases.p_target_plain.p_target"
                                                                                          : "releases.p_target"));
        some_p |= p > 0 && p < 1;
        json_t *ci = json_object_get(pt, "p_target_ci95");
        ck_assert(json_number_value(json_array_get(ci, 0)) <= p && p <= json_number_value(json_array_get(ci, 1)));
        ck_assert(json_number_value(json_array_get(ci, 0)) < json_number_value(json_array_get(ci, 1)));
        double cost = num(pt, "cost_per_release_usd");
        ck_assert_double_eq_tol(cost, cu_json_num(sd, "cost_per_release_usd"), 1e-9 * cost);
        json_t *cci = json_object_get(pt, "cost_per_release_usd_ci95");
        ck_assert(json_number_value(json_array_get(cci, 0)) < cost && cost < json_number_value(json_array_get(cci, 1)));
        ck_assert_double_eq(num(json_object_get(pt, "spent_usd"), "mean"), cu_json_num(sd, "spent_usd.mean"));
        json_decref(sd);
    }
    ck_assert_msg(some_p, "a point with 0 < P < 1 was expected (target 100)");
    json_decref(doc);
}
END_TEST

Suite *make_sweep_target_suite(void)
{
    Suite *s = suite_create("sweep_target");
    TCase *tc = tcase_create("sweep_target");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_fixed_bonds);
    tcase_add_test(tc, test_undefined);
    tcase_add_test(tc, test_matches_simulate);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(sweep_target)
