/* check_budget: `fianza budget --releases N --prob P` (DESIGN §8).
 *
 * - A case solvable by hand: one region, nobody detained at the start,
 *   arrivals at rate 2 a day over H = 10 days, every bond granted and
 *   exactly USD 1,000, no delay and no removal, so every arrival is decided
 *   and released within H and the releases bought by allocation x are
 *   min(arrivals, floor(x / 1000)).  P(releases >= N) at budget B is then
 *   P(arrivals >= N) for B >= 1000 N and 0 below: the smallest budget is
 *   USD 1000 N when P(Poisson(20) >= N) reaches p, and nothing is reachable
 *   otherwise.  With N = 15, P(Poisson(20) >= 15) = gsl_cdf_poisson_Q(14, 20)
 *   = 0.8951; on S = 2000 replications its standard error is 0.0069, so
 *   p = 0.85 (6.6 SE below) is reached at exactly USD 15,000 and p = 0.95
 *   (8 SE above) is not reachable, whatever the draws.  The in-sample P must
 *   be the same empirical fraction at every budget >= USD 15,000 (the same
 *   replications) and 0 below, and both empirical fractions lie within
 *   5 SE of the exact tail.
 * - P in sample is nondecreasing over every budget tried, on a random
 *   two-region scenario (common random numbers; bisection assumes it).
 * - With donations the search tries every budget from the bottom, says
 *   why, and stops at the first that reaches p.
 * - The output lines (answer, split, both P with intervals, the warning
 *   exactly when the out-of-sample P falls short) and the summary.json keys
 *   and budget.csv columns.
 * - summary.json byte-identical with 1 and 2 threads. */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "csv_util.h"

static const char hand_ini[] = "[fund]\nbudget_usd = 30000\ngranularity_usd = 1000\nhorizon_days = 10\n"
                               "[simulation]\nreplications = 2000\nseed = 11\n"
                               "[region.r]\narrivals_per_day = 2\nbond_usd = fixed(1000)\n";

/* Runs fianza, which must exit 0; returns its stdout (malloc'd). */
static char *run_ok(const char *const *args)
{
    run_result r;
    int rc = cu_run_v(&r, NULL, 300, args);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, r.err);
    char *out = strdup(r.out);
    cu_run_free(&r);
    return out;
}

#define RUN_OK(...) run_ok((const char *const[]){__VA_ARGS__, NULL})

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

/* The exact tail and its binomial standard error on 2000 replications. */
static double tail15(double *se)
{
    double q = gsl_cdf_poisson_Q(14, 20.0);
    *se = sqrt(q * (1 - q) / 2000);
    return q;
}

START_TEST(test_hand_reachable)
{
    const char *dir = cu_test_dir("hand"), *ini = cu_path_in(dir, "hand.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, hand_ini);
    double se, q = tail15(&se);
    ck_assert(q - 0.85 > 5 * se); /* the answer cannot depend on the draws */
    char *text = RUN_OK("budget", "--releases", "15", "--prob", "0.85", "--no-plots", "-o", out, ini);
    ck_assert_msg(strstr(text, "smallest budget: USD 15000\n"), "%s", text);
    ck_assert_msg(strstr(text, "split there: r 15000 (USD 0 unallocated)"), "%s", text);
    ck_assert_msg(strstr(text, "search: bisection over 30 budgets (USD 1000 to 30000)"), "%s", text);
    ck_assert_msg(strstr(text, "one step below           14000  0.0000 [0.0000, 0.0019]"), "%s", text);
    ck_assert_msg(!strstr(text, "warning"), "%s", text);

    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *b = cu_json_at(doc, "budget");
    ck_assert(json_is_true(json_object_get(b, "reachable")));
    ck_assert_double_eq(num(b, "budget_usd"), 15000);
    ck_assert_double_eq(num(b, "releases_target"), 15);
    ck_assert_double_eq(num(b, "prob"), 0.85);
    ck_assert_str_eq(json_string_value(json_object_get(b, "search")), "bisection");
    ck_assert(json_is_true(json_object_get(b, "monotone")));
    ck_assert(json_is_true(json_object_get(b, "every_split_exact")));
    ck_assert(json_is_false(json_object_get(b, "out_of_sample_short")));
    ck_assert_double_eq(num(json_object_get(b, "one_step_below"), "budget_usd"), 14000);
    ck_assert_double_eq(num(json_object_get(b, "one_step_below"), "p_in_sample"), 0);
    ck_assert_str_eq(json_string_value(cu_json_at(doc, "command")), "budget");
    ck_assert_double_eq(cu_json_num(doc, "allocation.r"), 15000); /* the top level describes the answer */

    json_t *pts = json_object_get(b, "points");
    size_t n = json_array_size(pts);
    ck_assert_uint_eq(n, num(b, "budgets_tried"));
    ck_assert_uint_ge(n, 5);
    ck_assert_uint_le(n, 6); /* 30, 15, then bisection down to 14: log2(30) + 1 solves */
    double p_in = NAN, p_out = NAN, prev = -1;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        double budget = num(p, "budget_usd"), pi = num(p, "p_in_sample"), po = num(p, "p_out_of_sample");
        ck_assert_double_gt(budget, prev);
        prev = budget;
        ck_assert_double_eq(fmod(budget, 1000), 0);
        ck_assert_double_eq(cu_json_num(p, "allocation.r"), budget); /* one region: all of it */
        ck_assert(json_is_true(json_object_get(p, "feasible")));
        ck_assert(json_is_true(json_object_get(p, "exact")));
        json_t *ci = json_object_get(p, "p_out_of_sample_ci95");
        ck_assert(json_number_value(json_array_get(ci, 0)) <= po && po <= json_number_value(json_array_get(ci, 1)));
        if (budget < 15000) {
            ck_assert_double_eq(pi, 0);
            ck_assert_double_eq(po, 0);
            continue;
        }
        if (isnan(p_in))
            p_in = pi, p_out = po;
        ck_assert_double_eq(pi, p_in); /* the same replications reach 15 arrivals at every budget */
        ck_assert_double_eq(po, p_out);
        ck_assert_double_eq(num(p, "replications_reaching_in_sample"), pi * 2000);
    }
    ck_assert_double_eq(num(json_object_get(b, "answer"), "p_in_sample"), p_in);
    ck_assert_msg(fabs(p_in - q) < 5 * se && fabs(p_out - q) < 5 * se, "P in %g, out %g, exact %g", p_in, p_out, q);
    json_decref(doc);

    double v[16];
    const char *csv = cu_path_in(out, "budget.csv");
    ck_assert_uint_eq(csvu_column(csv, "budget_usd", v, 16), n);
    ck_assert_uint_eq(csvu_column(csv, "answer", v, 16), n);
    double ones = 0;
    for (size_t i = 0; i < n; i++)
        ones += v[i];
    ck_assert_double_eq(ones, 1);
    ck_assert(cu_exists(cu_path_in(out, "budget.gp")) && cu_exists(cu_path_in(out, "replications.csv")) &&
              cu_exists(cu_path_in(out, "allocation.csv")) && cu_exists(cu_path_in(out, "timeline.csv")));
    free(text);
}
END_TEST

START_TEST(test_hand_not_reachable)
{
    const char *dir = cu_test_dir("hand_no"), *ini = cu_path_in(dir, "hand.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, hand_ini);
    double se, q = tail15(&se);
    ck_assert(0.95 - q > 5 * se);
    char *text = RUN_OK("budget", "--releases", "15", "--prob", "0.95", "--no-plots", "-o", out, ini);
    ck_assert_msg(strstr(text, "not reachable with USD 30000"), "%s", text);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *b = cu_json_at(doc, "budget");
    ck_assert(json_is_false(json_object_get(b, "reachable")));
    ck_assert(json_is_null(json_object_get(b, "budget_usd")));
    ck_assert(json_is_null(json_object_get(b, "answer")));
    ck_assert_uint_eq(json_array_size(json_object_get(b, "points")), 1); /* the top fails: nothing below can pass */
    ck_assert_double_eq(cu_json_num(doc, "allocation.r"), 30000);
    json_decref(doc);
    free(text);

    /* 10 releases cannot come from USD 9,000 or less: smallest USD 10,000 (P(Poisson(20) >= 10) = 0.995) */
    const char *out2 = cu_path_in(dir, "out2");
    text = RUN_OK("budget", "--releases", "10", "--prob", "0.9", "--no-plots", "--quiet", "--json", "-o", out2, ini);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_double_eq(cu_json_num(j, "budget.budget_usd"), 10000);
    json_decref(j);
    free(text);
}
END_TEST

/* Every budget tried, in sample, on a random two-region scenario. */
START_TEST(test_monotone)
{
    const char *dir = cu_test_dir("mono"), *two = cu_two_ini(dir, 150), *out = cu_path_in(dir, "out");
    char *text = RUN_OK("budget", "--releases", "100", "--prob", "0.6", "--set", "fund.granularity_usd=10000",
                        "--no-plots", "-o", out, two);
    free(text);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *pts = cu_json_at(doc, "budget.points");
    double prev = -1, prevb = 0;
    for (size_t i = 0; i < json_array_size(pts); i++) {
        json_t *p = json_array_get(pts, i);
        double b = num(p, "budget_usd"), pi = num(p, "p_in_sample");
        ck_assert_msg(pi >= prev, "P %g at USD %g < %g at USD %g", pi, b, prev, prevb);
        ck_assert_double_le(cu_json_num(p, "allocation.chicago") + cu_json_num(p, "allocation.kansas_city"), b);
        ck_assert_double_eq_tol(num(p, "unallocated_usd"),
                                b - cu_json_num(p, "allocation.chicago") - cu_json_num(p, "allocation.kansas_city"),
                                1e-6);
        prev = pi, prevb = b;
    }
    json_t *bud = cu_json_at(doc, "budget");
    if (json_is_true(json_object_get(bud, "reachable"))) {
        ck_assert_double_ge(cu_json_num(doc, "budget.answer.p_in_sample"), 0.6);
        if (json_is_object(json_object_get(bud, "one_step_below")))
            ck_assert_double_lt(cu_json_num(doc, "budget.one_step_below.p_in_sample"), 0.6);
        /* the warning exactly when the out-of-sample P falls short */
        ck_assert(json_is_true(json_object_get(bud, "out_of_sample_short")) ==
                  (cu_json_num(doc, "budget.answer.p_out_of_sample") < 0.6));
    }
    json_decref(doc);
}
END_TEST

/* Donations: P may fall as B grows; every budget from the bottom. */
START_TEST(test_donations_scan)
{
    const char *dir = cu_test_dir("don"), *ini = cu_path_in(dir, "hand.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, hand_ini);
    char *text = RUN_OK("budget", "--releases", "15", "--prob", "0.85", "--set", "fund.policy=first_come", "--set",
                        "fund.donations_usd_per_month=3000", "--set", "fund.horizon_days=40", "--set",
                        "region.r.arrivals_per_day=0.5", "--no-plots", "-o", out, ini);
    ck_assert_msg(strstr(text, "search: every budget from USD 1000 up (P may fall as the budget grows: donations"),
                  "%s", text);
    free(text);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *b = cu_json_at(doc, "budget"), *pts = json_object_get(b, "points");
    ck_assert(json_is_false(json_object_get(b, "monotone")));
    size_t n = json_array_size(pts);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        ck_assert_double_eq(num(p, "budget_usd"), 1000.0 * (double)(i + 1)); /* consecutive from the bottom */
        if (i + 1 < n)
            ck_assert_double_lt(num(p, "p_in_sample"), 0.85);
    }
    if (json_is_true(json_object_get(b, "reachable"))) {
        ck_assert_double_ge(num(json_array_get(pts, n - 1), "p_in_sample"), 0.85);
        ck_assert_double_eq(num(b, "budget_usd"), 1000.0 * (double)n);
    } else {
        ck_assert_uint_eq(n, 30);
    }
    json_decref(doc);
}
END_TEST

/* A min_share > 0 also makes the search scan from the bottom. */
START_TEST(test_min_share_scan)
{
    const char *dir = cu_test_dir("minshare"), *ini = cu_path_in(dir, "hand.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, hand_ini);
    char *text = RUN_OK("budget", "--releases", "5", "--prob", "0.9", "--set", "region.r.min_share=0.5",
                        "--no-plots", "-o", out, ini);
    ck_assert_msg(strstr(text, "(P may fall as the budget grows: a min_share > 0 forces money into a region"), "%s",
                  text);
    ck_assert_msg(strstr(text, "smallest budget: USD 5000\n"), "%s", text); /* P(Poisson(20) >= 5) = 0.99998 */
    free(text);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_uint_eq(json_array_size(cu_json_at(doc, "budget.points")), 5); /* USD 1000, 2000, ..., 5000 */
    ck_assert(json_is_string(cu_json_at(doc, "budget.not_monotone_reason")));
    json_decref(doc);
}
END_TEST

/* summary.json does not depend on the thread count. */
START_TEST(test_threads)
{
    const char *dir = cu_test_dir("threads"), *two = cu_two_ini(dir, 60);
    const char *o1 = cu_path_in(dir, "t1"), *o2 = cu_path_in(dir, "t2");
    free(RUN_OK("budget", "--releases", "90", "--prob", "0.5", "--set", "fund.granularity_usd=20000", "--threads", "1",
                "--no-plots", "--quiet", "-o", o1, two));
    free(RUN_OK("budget", "--releases", "90", "--prob", "0.5", "--set", "fund.granularity_usd=20000", "--threads", "2",
                "--no-plots", "--quiet", "-o", o2, two));
    size_t n1, n2;
    char *a = cu_slurp(cu_path_in(o1, "summary.json"), &n1), *b = cu_slurp(cu_path_in(o2, "summary.json"), &n2);
    ck_assert(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
    free(a);
    free(b);
}
END_TEST

Suite *make_budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_hand_reachable);
    tcase_add_test(tc, test_hand_not_reachable);
    tcase_add_test(tc, test_monotone);
    tcase_add_test(tc, test_donations_scan);
    tcase_add_test(tc, test_min_share_scan);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(budget)
