/* check_feasible: baselines that break a share bound (DESIGN §3) are still
 * evaluated and marked infeasible.
 * - summary_feasible: share bounds hold within SCENARIO_GRID_EPS grid steps;
 * - optimize on a scenario whose min_share makes the equal and proportional
 *   splits infeasible: "feasible": false for them and true for the
 *   expected-value solution, the table marks them with '*' and a note,
 *   allocations.csv has feasible 0/1, report.html says "infeasible". */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "scenario.h"
#include "summary.h"

static scenario *load_two(void) { return cu_load_two(4); }

START_TEST(test_feasible_helper)
{
    scenario *s = load_two(); /* budget 300000, granularity 500 */
    s->regions[0].min_share = 0.7, s->regions[0].max_share = 1;
    s->regions[1].min_share = 0, s->regions[1].max_share = 0.3;
    ck_assert(summary_feasible(s, (double[]){210000, 90000}));
    ck_assert(summary_feasible(s, (double[]){210000 - 1e-7, 90000 + 1e-7})); /* within the grid slack */
    ck_assert(!summary_feasible(s, (double[]){209999, 90000}));
    ck_assert(!summary_feasible(s, (double[]){210000, 90001}));
    ck_assert(!summary_feasible(s, (double[]){150000, 150000}));
    ck_assert(!summary_feasible(s, (double[]){NAN, 0}));
    scenario_free(s);
}
END_TEST

static const char *const inf_ini = "[fund]\nbudget_usd = 300000\nhorizon_days = 90\n"
                                   "[simulation]\nreplications = 100\nseed = 5\n"
                                   "[region.chicago]\ninitial_detained = 100\narrivals_per_day = 1\nmin_share = 0.7\n"
                                   "[region.kansas_city]\ninitial_detained = 100\n";

START_TEST(test_infeasible_baseline)
{
    const char *dir = cu_test_dir("infeasible"), *ini = cu_path_in(dir, "inf.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, inf_ini);
    run_result r;
    int rc = CU_RUN(&r, "optimize", "--gap-batches", "2", "--no-plots", "-o", out, ini);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "equal_split*"));
    ck_assert_ptr_nonnull(strstr(r.out, "proportional*"));
    ck_assert_ptr_null(strstr(r.out, "expected_value*"));
    ck_assert_ptr_nonnull(strstr(r.out, "* infeasible: breaks a region's min_share or max_share"));
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert(json_is_false(cu_json_at(j, "baselines.equal_split.feasible")));
    ck_assert(json_is_false(cu_json_at(j, "baselines.proportional.feasible")));
    ck_assert(json_is_true(cu_json_at(j, "baselines.expected_value.feasible")));
    ck_assert(cu_json_at(j, "baselines.equal_split.value.mean") != NULL); /* evaluated all the same */
    ck_assert(cu_json_num(j, "allocation.chicago") >= 210000);
    json_decref(j);
    char *csv = cu_slurp(cu_path_in(out, "allocations.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_ptr_nonnull(strstr(csv, "allocation,chicago_usd,kansas_city_usd,feasible,unallocated_usd\n"));
    ck_assert_ptr_nonnull(strstr(csv, "equal_split,150000.00,150000.00,0,0.00\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\nexpected_value,"));
    ck_assert_ptr_nonnull(strstr(strstr(csv, "\nexpected_value,"), ",1,"));
    free(csv);
    char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_ptr_nonnull(strstr(html, "equal_split <small>(infeasible"));
    ck_assert_ptr_null(strstr(html, "expected_value <small>(infeasible"));
    free(html);
}
END_TEST

Suite *make_feasible_suite(void)
{
    Suite *s = suite_create("feasible");
    TCase *t = tcase_create("feasible");
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_feasible_helper);
    tcase_add_test(t, test_infeasible_baseline);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(feasible)
