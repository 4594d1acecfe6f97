/* check_csv_schema: the CSV conventions of issue 14 item 3 and the money
 * left unallocated of item 2 (docs/csv.md), without pandas (tests/csv_pandas.py
 * loads every file with pandas where it is installed).
 * - optimize on seed-2025 at USD 450,000 (200 replications) leaves USD
 *   117,000 unallocated: unallocated = budget - sum(allocation) in
 *   summary.json (top level, optimal, baselines), allocation.csv (its
 *   "unallocated" row; allocated_usd sums to the budget, share to 1),
 *   allocations.csv (unallocated_usd), and the console (allocation table
 *   column and the "unallocated" line under the region table);
 * - simulate with an unfunded region: regions.csv has exact unique column
 *   names and EMPTY cells for its releases per USD 10,000, cost per release
 *   and days in detention (0 before), detention.csv an empty cdf;
 * - exact headers of every per-region file (region first, region_label) and
 *   of sweep.csv, budget.csv; a --param key is snake_case in sweep.csv and
 *   timeline.csv; sweep.csv and budget.csv: unallocated_usd = budget - sum;
 * - no CSV cell of any of these runs reads nan or inf. */
#define _GNU_SOURCE
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "csv_util.h"

static const char *seed_ini(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    return path;
}

static void run_ok(run_result *r, const char *const *args)
{
    int rc = cu_run_v(r, NULL, 300, args);
    ck_assert_msg(rc == 0, "%s: exit %d\n%s", args[0], rc, r->err);
}

/* The first line of a file, without its newline. */
static char *header_of(const char *path)
{
    char *text = cu_slurp(path, NULL);
    ck_assert_msg(text != NULL, "%s missing", path);
    char *nl = strchr(text, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    return text;
}

static void assert_header(const char *dir, const char *file, const char *expected)
{
    char *h = header_of(cu_path_in(dir, file));
    ck_assert_msg(strcmp(h, expected) == 0, "%s header\n  %s\nexpected\n  %s", file, h, expected);
    free(h);
}

/* No cell of any CSV in dir reads nan or inf (undefined is an empty cell). */
static void assert_no_nan_text(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int seen = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".csv"))
            continue;
        seen++;
        char *text = cu_slurp(cu_path_in(dir, e->d_name), NULL);
        ck_assert_ptr_nonnull(text);
        for (char *cell = text; cell; cell = strpbrk(cell, ",\n")) {
            cell += *cell == ',' || *cell == '\n';
            const char *c = cell + (*cell == '-');
            ck_assert_msg(strncasecmp(c, "nan", 3) && strncasecmp(c, "inf", 3) && strncasecmp(c, "null", 4),
                          "%s/%s: a cell reads %.12s", dir, e->d_name, cell);
        }
        free(text);
    }
    closedir(d);
    ck_assert_int_gt(seen, 0);
}

START_TEST(test_unallocated_optimize)
{
    const char *dir = cu_test_dir("unalloc"), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"optimize", seed_ini(), "--set", "fund.budget_usd=450000", "--replications", "200",
                                     "--no-plots", "-o", out, NULL});
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    double chi = cu_json_num(j, "allocation.chicago"), kc = cu_json_num(j, "allocation.kansas_city");
    double left = 450000 - chi - kc;
    ck_assert_double_eq(left, 111000); /* the grid split of this run (issue 16's thinned stream) */
    ck_assert_double_eq(cu_json_num(j, "unallocated_usd"), left);
    ck_assert_double_eq(cu_json_num(j, "optimal.unallocated_usd"), left);
    static const char *const base[] = {"equal_split", "proportional", "expected_value"};
    for (int k = 0; k < 3; k++) {
        char p[128];
        snprintf(p, sizeof p, "baselines.%s.allocation.chicago", base[k]);
        double s = cu_json_num(j, p);
        snprintf(p, sizeof p, "baselines.%s.allocation.kansas_city", base[k]);
        s += cu_json_num(j, p);
        snprintf(p, sizeof p, "baselines.%s.unallocated_usd", base[k]);
        ck_assert_double_eq_tol(cu_json_num(j, p), fmax(0, 450000 - s), 1e-6);
    }
    ck_assert_double_eq_tol(cu_json_num(j, "baselines.equal_split.unallocated_usd"), 0, 1e-9);
    json_decref(j);
    /* allocation.csv: the regions, then the unallocated row; sums to the budget */
    assert_header(out, "allocation.csv", "region,region_label,allocated_usd,share");
    char *csv = cu_slurp(cu_path_in(out, "allocation.csv"), NULL);
    char row[160];
    snprintf(row, sizeof row, "\nunallocated,\"money left unallocated\",%.2f,%.6f\n", left, left / 450000);
    ck_assert_msg(strstr(csv, row) && !strcmp(strstr(csv, row), row), "allocation.csv:\n%s", csv);
    free(csv);
    double v[8];
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocation.csv"), "allocated_usd", v, 8), 3);
    ck_assert_double_eq_tol(v[0], chi, 0.005);
    ck_assert_double_eq_tol(v[0] + v[1] + v[2], 450000, 0.005);
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocation.csv"), "share", v, 8), 3);
    ck_assert_double_eq_tol(v[0] + v[1] + v[2], 1, 2e-6);
    /* allocations.csv: unallocated_usd = budget - the row's sum */
    assert_header(out, "allocations.csv", "allocation,chicago_usd,kansas_city_usd,feasible,unallocated_usd");
    double c[4], k[4], u[4];
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocations.csv"), "chicago_usd", c, 4), 4);
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocations.csv"), "kansas_city_usd", k, 4), 4);
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocations.csv"), "unallocated_usd", u, 4), 4);
    ck_assert_double_eq(u[0], left);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq_tol(u[i], fmax(0, 450000 - c[i] - k[i]), 0.011);
    /* the console: a column in the allocation table, a line under the regions */
    ck_assert_msg(strstr(r.out, "Kansas City  unallocated"), "no unallocated column:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "\nunallocated            111000   (budget 450000 minus the total allocated)\n"),
                  "no unallocated line:\n%s", r.out);
    cu_run_free(&r);
    assert_no_nan_text(out);
}
END_TEST

START_TEST(test_undefined_is_empty)
{
    const char *dir = cu_test_dir("empty"), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"simulate", seed_ini(), "--allocation", "chicago=300000,kansas_city=0",
                                     "--replications", "30", "--no-plots", "-o", out, NULL});
    /* fully allocated: no unallocated line, a 0 row */
    ck_assert_ptr_null(strstr(r.out, "\nunallocated"));
    cu_run_free(&r);
    assert_header(out, "regions.csv",
                  "region,releases_per_10k_usd,releases_per_10k_usd_ci95_lo,releases_per_10k_usd_ci95_hi,"
                  "cost_per_release_usd,cost_per_release_usd_ci95_lo,cost_per_release_usd_ci95_hi,fundable_mean,"
                  "fundable_mean_ci95_lo,fundable_mean_ci95_hi,days_in_detention_mean,days_in_detention_mean_ci95_lo,"
                  "days_in_detention_mean_ci95_hi,region_label");
    static const char *const undefined[] = {"releases_per_10k_usd", "cost_per_release_usd", "days_in_detention_mean"};
    static const char *const suffix[] = {"", "_ci95_lo", "_ci95_hi"};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            char name[64];
            double v[4];
            snprintf(name, sizeof name, "%s%s", undefined[i], suffix[j]);
            ck_assert_uint_eq(csvu_column(cu_path_in(out, "regions.csv"), name, v, 4), 2);
            ck_assert_msg(v[0] > 0, "regions.csv chicago %s = %g", name, v[0]);
            ck_assert_msg(isnan(v[1]), "regions.csv: unfunded kansas_city %s = %g, expected an empty cell", name, v[1]);
        }
    double f[4];
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "regions.csv"), "fundable_mean", f, 4), 2);
    ck_assert(f[1] > 0); /* defined without money */
    char *csv = cu_slurp(cu_path_in(out, "regions.csv"), NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\nkansas_city,,,,,,,"));
    ck_assert_ptr_nonnull(strstr(csv, ",,,,\"Kansas City\"\n"));
    free(csv);
    assert_header(out, "detention.csv", "region,days,cdf,region_label");
    csv = cu_slurp(cu_path_in(out, "detention.csv"), NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\nkansas_city,0,,\"Kansas City\"\n"));
    ck_assert_ptr_null(strstr(csv, "\nkansas_city,7")); /* one row only */
    free(csv);
    assert_header(out, "replications.csv",
                  "replication,allocation,region,allocated_usd,releases,spent_usd,fundable,days_in_detention_mean,"
                  "freedom_days,region_label");
    csv = cu_slurp(cu_path_in(out, "allocation.csv"), NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\nkansas_city,\"Kansas City\",0.00,0.000000\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\nunallocated,\"money left unallocated\",0.00,0.000000\n"));
    free(csv);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_double_eq(cu_json_num(j, "unallocated_usd"), 0);
    ck_assert(json_is_null(cu_json_at(j, "regions.kansas_city.cost_per_release_usd")));
    json_decref(j);
    assert_no_nan_text(out);
}
END_TEST

START_TEST(test_optimize_headers)
{
    const char *dir = cu_test_dir("heads"), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"optimize", seed_ini(), "--replications", "30", "--gap-batches", "2", "--no-plots",
                                     "--quiet", "-o", out, NULL});
    cu_run_free(&r);
    assert_header(out, "chosen.csv", "region,allocated_usd,value_at_allocation,region_label");
    assert_header(out, "curves.csv",
                  "region,allocation_usd,releases_mean,freedom_days_mean,expected_value_objective,region_label");
    assert_header(out, "releases_hist.csv", "releases,share");
    char *csv = cu_slurp(cu_path_in(out, "chosen.csv"), NULL);
    ck_assert_ptr_nonnull(strstr(csv, "\nchicago,"));
    ck_assert_ptr_nonnull(strstr(csv, ",\"Kansas City\"\n"));
    free(csv);
    assert_no_nan_text(out);
}
END_TEST

/* sweep.csv (and budget.csv): unallocated_usd = the row's budget - its split */
static void assert_unallocated_rows(const char *path, size_t n)
{
    double b[16], c[16], k[16], u[16];
    ck_assert_uint_eq(csvu_column(path, "budget_usd", b, 16), n);
    ck_assert_uint_eq(csvu_column(path, "chicago_usd", c, 16), n);
    ck_assert_uint_eq(csvu_column(path, "kansas_city_usd", k, 16), n);
    ck_assert_uint_eq(csvu_column(path, "unallocated_usd", u, 16), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(fabs(u[i] - fmax(0, b[i] - c[i] - k[i])) < 0.011, "%s row %zu: unallocated %g, budget %g, %g + %g",
                      path, i + 1, u[i], b[i], c[i], k[i]);
}

START_TEST(test_sweep_budget_headers)
{
    const char *dir = cu_test_dir("sweep"), *out = cu_path_in(dir, "out"), *out2 = cu_path_in(dir, "out2");
    run_result r;
    run_ok(&r, (const char *const[]){"sweep", seed_ini(), "--budget", "150000:450000:150000", "--replications", "30",
                                     "--no-plots", "--quiet", "-o", out, NULL});
    cu_run_free(&r);
    assert_header(out, "sweep.csv",
                  "budget_usd,chicago_usd,kansas_city_usd,in_sample_value,value_mean,value_ci95_lo,value_ci95_hi,"
                  "releases_mean,releases_ci95_lo,releases_ci95_hi,marginal_objective_per_1000_usd,paid_usd_mean,"
                  "refunded_usd_mean,balance_end_usd_mean,unpaid_fundable_mean,days_waited_mean,p_target,"
                  "p_target_ci95_lo,p_target_ci95_hi,cost_per_release_usd,cost_per_release_usd_ci95_lo,"
                  "cost_per_release_usd_ci95_hi,spent_usd_mean,spent_usd_ci95_lo,spent_usd_ci95_hi,unallocated_usd");
    assert_unallocated_rows(cu_path_in(out, "sweep.csv"), 3);
    assert_no_nan_text(out);
    run_ok(&r, (const char *const[]){"sweep", seed_ini(), "--param", "region.kansas_city.bond_usd.median=1500:2500:1000",
                                     "--replications", "20", "--no-plots", "--quiet", "-o", out2, NULL});
    cu_run_free(&r);
    char *h = header_of(cu_path_in(out2, "sweep.csv"));
    ck_assert_msg(!strncmp(h, "region_kansas_city_bond_usd_median,chicago_usd,", 47), "sweep.csv: %s", h);
    free(h);
    h = header_of(cu_path_in(out2, "timeline.csv"));
    ck_assert_msg(!strncmp(h, "region_kansas_city_bond_usd_median,day,", 39), "timeline.csv: %s", h);
    free(h);
    assert_no_nan_text(out2);
}
END_TEST

START_TEST(test_budget_unallocated)
{
    const char *dir = cu_test_dir("budget"), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"budget", seed_ini(), "--releases", "20", "--prob", "0.5", "--set",
                                     "fund.budget_usd=200000", "--replications", "30", "--no-plots", "--quiet", "-o",
                                     out, NULL});
    cu_run_free(&r);
    char *h = header_of(cu_path_in(out, "budget.csv"));
    ck_assert_msg(strlen(h) > 16 && !strcmp(h + strlen(h) - 16, ",unallocated_usd"), "budget.csv: %s", h);
    free(h);
    double b[64];
    size_t n = csvu_column(cu_path_in(out, "budget.csv"), "budget_usd", b, 64);
    ck_assert_uint_gt(n, 1);
    assert_unallocated_rows(cu_path_in(out, "budget.csv"), n);
    /* allocation.csv: shares of the answer's budget, not the scenario's */
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    double ans = cu_json_num(j, "budget.answer.budget_usd"), left = cu_json_num(j, "budget.answer.unallocated_usd");
    ck_assert_double_eq(cu_json_num(j, "unallocated_usd"), left);
    json_decref(j);
    double v[4];
    ck_assert_uint_eq(csvu_column(cu_path_in(out, "allocation.csv"), "allocated_usd", v, 4), 3);
    ck_assert_double_eq_tol(v[0] + v[1] + v[2], ans, 0.011);
    ck_assert_double_eq_tol(v[2], left, 0.005);
    assert_no_nan_text(out);
}
END_TEST

Suite *make_csv_schema_suite(void)
{
    Suite *s = suite_create("csv_schema");
    TCase *t = tcase_create("csv_schema");
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_unallocated_optimize);
    tcase_add_test(t, test_undefined_is_empty);
    tcase_add_test(t, test_optimize_headers);
    tcase_add_test(t, test_sweep_budget_headers);
    tcase_add_test(t, test_budget_unallocated);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(csv_schema)
