/* check_contract: small promises of the command line (issue 10, item 7).
 *
 * - With 1 replication a standard deviation and a confidence interval are
 *   undefined: simulate, optimize (baselines, VSS, EVPI, wait-and-see, gap),
 *   compare (paired differences) and sweep (bands) exit 0 and write null in
 *   summary.json (never [m, m] or sd 0), empty lo/hi cells in their CSV
 *   files, "CI undefined" and a note on the console, and charts whose
 *   scripts draw no interval.  With 2 replications the same keys hold
 *   intervals (the tests can fail).
 * - stats: stat_sd and stat_ci95_half are NAN below 2 values. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "stats.h"

#define ALLOC "chicago=150000,kansas_city=100000"

/* The value at a dotted path, which must exist; a numeric key indexes a
 * list ("variants.1.releases"), unlike cu_json_at. */
static json_t *jat(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *j = root;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
        j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
        ck_assert_msg(j != NULL, "summary.json lacks %s", path);
    }
    return j;
}

static double jnum(json_t *root, const char *path)
{
    json_t *j = jat(root, path);
    ck_assert_msg(json_is_number(j), "%s is not a number", path);
    return json_number_value(j);
}

/* The value at a dotted path is JSON null. */
static void assert_null(json_t *doc, const char *path)
{
    json_t *v = jat(doc, path);
    ck_assert_msg(json_is_null(v), "%s: expected null, found a %s", path,
                  json_is_array(v) ? "list" : json_is_number(v) ? "number" : "non-null value");
}

/* An interval [lo, hi] with lo < hi. */
static void assert_interval(json_t *doc, const char *path)
{
    json_t *v = jat(doc, path);
    ck_assert_msg(json_is_array(v) && json_array_size(v) == 2, "%s: expected [lo, hi]", path);
    double lo = json_number_value(json_array_get(v, 0)), hi = json_number_value(json_array_get(v, 1));
    ck_assert_msg(lo < hi, "%s: [%g, %g] is not an interval", path, lo, hi);
}

/* No "ci95" anywhere in the document is a list with equal ends, and no
 * "sd" is 0: an undefined interval is null, never of width 0. */
static void assert_no_zero_width(json_t *v, const char *where)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (strstr(k, "ci95") && json_is_array(x) && json_array_size(x) == 2)
                ck_assert_msg(json_number_value(json_array_get(x, 0)) != json_number_value(json_array_get(x, 1)),
                              "%s: %s is a zero-width interval", where, k);
            if (!strcmp(k, "sd"))
                ck_assert_msg(json_is_null(x), "%s: sd is not null with 1 replication", where);
            assert_no_zero_width(x, where);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) assert_no_zero_width(x, where);
    }
}

/* Every data line of a CSV file has empty cells in the given 1-based columns. */
static void assert_csv_empty_cols(const char *path, const int *cols, size_t ncols)
{
    char *text = cu_slurp(path, NULL);
    ck_assert_msg(text != NULL, "%s missing", path);
    ck_assert_msg(!strstr(text, "nan") && !strstr(text, "inf"), "%s holds a non-finite number:\n%s", path, text);
    size_t lines = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (lines++ == 0)
            continue; /* header */
        for (size_t j = 0; j < ncols; j++) {
            /* the cell: from after the (cols[j]-1)-th comma to the next one (labels hold no commas here) */
            const char *p = line;
            for (int c = 1; c < cols[j] && p; c++)
                p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
            ck_assert_msg(p && (*p == ',' || *p == '\0'), "%s: column %d of '%s' is not empty", path, cols[j], line);
        }
    }
    ck_assert_uint_ge(lines, 2);
    free(text);
}

START_TEST(test_stats_undefined_below_two)
{
    stat_acc a = {0, 0, 0};
    ck_assert(isnan(stat_sd(&a)) && isnan(stat_ci95_half(&a)));
    stat_add(&a, 13);
    ck_assert(isnan(stat_sd(&a)));
    ck_assert(isnan(stat_ci95_half(&a)));
    stat_add(&a, 15);
    ck_assert_double_eq_tol(stat_sd(&a), sqrt(2), 1e-12);
    ck_assert_double_eq_tol(stat_ci95_half(&a), 12.706204736174707 * sqrt(2) / sqrt(2), 1e-9);
    stat_acc c = {0, 0, 0};
    stat_add(&c, 5);
    stat_add(&c, 5);
    ck_assert_double_eq(stat_sd(&c), 0);
    ck_assert_double_eq(stat_ci95_half(&c), 0);
}
END_TEST

START_TEST(test_simulate_one_replication)
{
    const char *dir = cu_test_dir("simulate1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "simulate", "--replications", "1", "--allocation", ALLOC, "-o", out, two) == 0, "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI undefined]"));
    ck_assert_ptr_nonnull(strstr(r.out, "note: with 1 replication, standard deviations and 95% confidence intervals "
                                        "are undefined"));
    ck_assert_ptr_null(strstr(r.out, "nan ["));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_double_eq(jnum(s, "replications.evaluate"), 1);
    ck_assert(jnum(s, "releases.mean") > 0);
    assert_null(s, "releases.ci95");
    assert_null(s, "releases.sd");
    assert_null(s, "spent_usd.ci95");
    assert_null(s, "spent_usd.sd");
    assert_null(s, "freedom_days.ci95");
    assert_null(s, "regions.chicago.releases_ci95");
    assert_null(s, "regions.kansas_city.releases_ci95");
    ck_assert(jnum(s, "regions.chicago.releases_mean") > 0);
    assert_no_zero_width(s, "simulate");
    json_decref(s);
    /* regions.csv: the lo, hi cells of each figure are empty (no error bar) */
    const int cols[] = {3, 4, 9, 10};
    assert_csv_empty_cols(cu_path_in(out, "regions.csv"), cols, 4);
    char *gp = cu_slurp(cu_path_in(out, "releases_hist.gp"), NULL);
    ck_assert_ptr_nonnull(strstr(gp, "lo = NaN; hi = NaN"));
    free(gp);
    char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_ptr_nonnull(strstr(html, "With 1 replication, confidence intervals are undefined"));
    ck_assert_ptr_null(strstr(html, "nan"));
    free(html);

    /* the control: 2 replications have intervals at the same keys */
    const char *out2 = cu_path_in(dir, "out2");
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--replications", "2", "--allocation", ALLOC, "-o", out2, two),
                     0);
    cu_run_free(&r);
    s = cu_load_json(cu_path_in(out2, "summary.json"));
    assert_interval(s, "releases.ci95");
    assert_interval(s, "regions.chicago.releases_ci95");
    ck_assert(jnum(s, "releases.sd") > 0);
    json_decref(s);
}
END_TEST

START_TEST(test_optimize_one_replication)
{
    const char *dir = cu_test_dir("optimize1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "optimize", "--replications", "1", "--gap-batches", "3", "-o", out, two) == 0, "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "VSS "));
    ck_assert_ptr_nonnull(strstr(r.out, "95% upper bound undefined"));
    ck_assert_ptr_null(strstr(r.out, "nan"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    assert_null(s, "optimal.out_of_sample.ci95");
    const char *base[] = {"equal_split", "proportional", "expected_value"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "baselines.%s.value.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.difference_to_optimal.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.releases.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.releases.sd", base[i]);
        assert_null(s, p);
    }
    assert_null(s, "vss.ci95");
    assert_null(s, "evpi.ci95");
    assert_null(s, "wait_and_see.ci95");
    assert_null(s, "gap.gap.ci95");
    assert_null(s, "gap.gap_ci95_one_sided_upper");
    ck_assert(isfinite(jnum(s, "gap.gap.mean")));
    ck_assert(isfinite(jnum(s, "vss.mean")));
    /* the gap's upper bound comes from 3 batch optima: that interval exists */
    assert_interval(s, "gap.upper_bound.ci95");
    json_decref(s);
}
END_TEST

START_TEST(test_compare_one_replication)
{
    const char *dir = cu_test_dir("compare1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "compare", "--replications", "1", "--allocation", ALLOC, "--allocation",
                         "chicago=100000,kansas_city=150000", "-o", out, two) == 0,
                  "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI undefined]"));
    ck_assert_ptr_nonnull(strstr(r.out, "note: with 1 replication"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    assert_null(s, "variants.0.difference_to_first.ci95");
    assert_null(s, "variants.1.difference_to_first.ci95");
    assert_null(s, "variants.1.difference_to_first.sd");
    assert_null(s, "variants.1.freedom_days_difference_to_first.ci95");
    assert_null(s, "variants.1.releases.ci95");
    assert_no_zero_width(s, "compare");
    json_decref(s);
    const int cols[] = {3, 4, 6, 7};
    assert_csv_empty_cols(cu_path_in(out, "compare.csv"), cols, 4);
}
END_TEST

START_TEST(test_sweep_one_replication)
{
    const char *dir = cu_test_dir("sweep1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "sweep", "--replications", "1", "--budget", "100000:300000:100000", "-o", out, two) == 0,
                  "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI undefined]"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_uint_eq(json_array_size(jat(s, "sweep.points")), 3);
    for (int i = 0; i < 3; i++) {
        char p[64];
        snprintf(p, sizeof p, "sweep.points.%d.value.ci95", i);
        assert_null(s, p);
        snprintf(p, sizeof p, "sweep.points.%d.releases.ci95", i);
        assert_null(s, p);
        snprintf(p, sizeof p, "sweep.points.%d.value.mean", i);
        ck_assert(jnum(s, p) > 0);
    }
    json_decref(s);
    /* x, chicago_usd, kansas_city_usd, in_sample, value, lo, hi, releases, releases_lo, releases_hi, marginal */
    const int cols[] = {6, 7, 9, 10};
    assert_csv_empty_cols(cu_path_in(out, "sweep.csv"), cols, 4);
}
END_TEST

Suite *make_contract_suite(void)
{
    Suite *s = suite_create("contract");
    TCase *ci = tcase_create("one_replication");
    tcase_add_unchecked_fixture(ci, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(ci, 120);
    tcase_add_test(ci, test_stats_undefined_below_two);
    tcase_add_test(ci, test_simulate_one_replication);
    tcase_add_test(ci, test_optimize_one_replication);
    tcase_add_test(ci, test_compare_one_replication);
    tcase_add_test(ci, test_sweep_one_replication);
    suite_add_tcase(s, ci);
    return s;
}

FZ_CHECK_MAIN(contract)
