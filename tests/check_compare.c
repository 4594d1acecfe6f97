/* check_compare: `fianza compare` names its variants and reports, per
 * variant and region, cost per release, USD spent, releases per USD 10,000,
 * days in detention, P(target) and the money left unallocated (issue 14
 * items 1 and 2); `compare --regions` puts the regions side by side for the
 * same money.
 *
 * - A tiny scenario solvable by hand: region a holds 4 people with bonds of
 *   USD 1,500 (hearing on day 10), region b 2 with bonds of USD 4,000 (day 5,
 *   released a day later); every draw is fixed, so every replication gives
 *   the same numbers and each figure is exact.
 * - Names: given (NAME:), defaults from the amounts, policy and pooled
 *   suffixes, duplicates numbered; bad and duplicate names refused (exit 2,
 *   nothing written).
 * - compare.csv holds the same numbers as summary.json, an empty cell where
 *   summary.json has null (no releases, no money).
 * - --regions gives the numbers of the explicit runs, and the paired
 *   differences have the sign they must.
 * - The delta-method intervals of ratios and of their paired differences
 *   cover the true value about 95% of the time on synthetic data. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "compare_out.h"

static const char *const TINY = "[fund]\nbudget_usd = 10000\ntarget_releases = 4\npolicy = first_come\n"
                                "[simulation]\nreplications = 20\nseed = 7\n"
                                "[region.a]\nlabel = Alpha, North\ninitial_detained = 4\nhearing_delay_days = fixed(10)\n"
                                "[region.b]\nlabel = Beta\ninitial_detained = 2\nbond_usd = fixed(4000)\n"
                                "hearing_delay_days = fixed(5)\nrelease_delay_days = fixed(1)\n";

static const char *tiny_ini(const char *dir)
{
    const char *p = cu_path_in(dir, "tiny.ini");
    cu_write_file(p, TINY);
    return p;
}

/* ---- a small RFC 4180 reader: quoted fields, doubled quotes ---- */

#define MAXC 48
#define MAXR 32
typedef struct table {
    size_t nr, nc;
    char *head[MAXC];
    char *cell[MAXR][MAXC];
} table;

static char *field(char **p)
{
    char *out = malloc(strlen(*p) + 1), *o = out;
    if (**p == '"') {
        for ((*p)++; **p && !(**p == '"' && (*p)[1] != '"'); (*p)++) {
            if (**p == '"')
                (*p)++;
            *o++ = **p;
        }
        if (**p == '"')
            (*p)++;
    } else {
        while (**p && **p != ',' && **p != '\n')
            *o++ = *(*p)++;
    }
    *o = '\0';
    return out;
}

static size_t line_fields(char **p, char **out)
{
    size_t n = 0;
    for (;;) {
        ck_assert_uint_lt(n, MAXC);
        out[n++] = field(p);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        if (**p == '\n')
            (*p)++;
        return n;
    }
}

static void table_load(table *t, const char *path)
{
    memset(t, 0, sizeof *t);
    char *text = cu_slurp(path, NULL), *p = text;
    ck_assert_msg(text != NULL, "%s missing", path);
    ck_assert_msg(!strstr(text, "nan") && !strstr(text, "inf"), "%s holds a non-finite number", path);
    t->nc = line_fields(&p, t->head);
    while (*p) {
        ck_assert_uint_lt(t->nr, MAXR);
        size_t n = line_fields(&p, t->cell[t->nr]);
        ck_assert_msg(n == t->nc, "%s: row %zu has %zu fields, the header %zu", path, t->nr + 1, n, t->nc);
        t->nr++;
    }
    free(text);
}

static void table_free(table *t)
{
    for (size_t j = 0; j < t->nc; j++)
        free(t->head[j]);
    for (size_t i = 0; i < t->nr; i++)
        for (size_t j = 0; j < t->nc; j++)
            free(t->cell[i][j]);
}

static size_t col(const table *t, const char *name)
{
    for (size_t j = 0; j < t->nc; j++)
        if (!strcmp(t->head[j], name))
            return j;
    ck_abort_msg("no column %s", name);
    return 0;
}

static const char *text(const table *t, size_t row, const char *name) { return t->cell[row][col(t, name)]; }

/* The number in a cell; NAN for an empty cell (undefined). */
static double num(const table *t, size_t row, const char *name)
{
    const char *s = text(t, row, name);
    if (!*s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    ck_assert_msg(*end == '\0', "row %zu, %s: '%s' is not a number", row + 1, name, s);
    return v;
}

static void near(double x, double y, const char *what)
{
    ck_assert_msg(fabs(x - y) <= 1e-9 * fmax(1, fabs(y)), "%s = %.12g, expected %.12g", what, x, y);
}
#define ASSERT_NEAR(x, y) near((x), (y), #x)

/* Every numeric column of compare.csv (or compare_regions.csv) equals its
 * summary.json key in obj(row): X_ci95_lo/hi are X_ci95[0]/[1]; an empty
 * cell is null.  Columns from `first` to the one before region_label. */
static void assert_csv_is_json(const table *t, const char *first, json_t *(*obj)(json_t *, const table *, size_t),
                               json_t *doc)
{
    for (size_t i = 0; i < t->nr; i++) {
        json_t *o = obj(doc, t, i);
        ck_assert_ptr_nonnull(o);
        for (size_t j = col(t, first); j < col(t, "region_label"); j++) {
            char key[128];
            snprintf(key, sizeof key, "%s", t->head[j]);
            size_t len = strlen(key);
            int idx = -1;
            if (len > 8 && (!strcmp(key + len - 8, "_ci95_lo") || !strcmp(key + len - 8, "_ci95_hi"))) {
                idx = key[len - 1] == 'o' ? 0 : 1;
                key[len - 3] = '\0';
            }
            json_t *v = json_object_get(o, key);
            ck_assert_msg(v != NULL, "row %zu: summary.json has no %s", i + 1, key);
            if (idx >= 0)
                v = json_is_array(v) ? json_array_get(v, (size_t)idx) : json_null();
            double c = num(t, i, t->head[j]);
            if (isnan(c))
                ck_assert_msg(json_is_null(v), "row %zu, %s: empty in the CSV, not null in summary.json", i + 1,
                              t->head[j]);
            else {
                ck_assert_msg(json_is_number(v), "row %zu, %s: %g in the CSV, null in summary.json", i + 1,
                              t->head[j], c);
                double x = json_number_value(v);
                ck_assert_msg(fabs(c - x) <= 1e-9 * fmax(1, fabs(x)), "row %zu, %s: %.12g in the CSV, %.12g in JSON",
                              i + 1, t->head[j], c, x);
            }
        }
    }
}

static json_t *compare_obj(json_t *doc, const table *t, size_t i)
{
    size_t k = (size_t)num(t, i, "variant_id") - 1;
    json_t *v = json_array_get(json_object_get(doc, "variants"), k);
    ck_assert_str_eq(json_string_value(json_object_get(v, "name")), text(t, i, "variant_name"));
    ck_assert_str_eq(json_string_value(json_object_get(v, "policy")), text(t, i, "policy"));
    ck_assert_int_eq(json_is_true(json_object_get(v, "pooled")), (int)num(t, i, "pooled"));
    json_t *c = json_object_get(v, "compare");
    const char *region = text(t, i, "region");
    /* the total is each variant's last row */
    int last = i + 1 == t->nr || num(t, i + 1, "variant_id") != num(t, i, "variant_id");
    return last ? json_object_get(c, "total") : json_object_get(json_object_get(c, "regions"), region);
}

static json_t *regions_obj(json_t *doc, const table *t, size_t i)
{
    return cu_json_at(cu_json_at(doc, "regions_side_by_side.regions"), text(t, i, "region"));
}

static void run_ok(run_result *r, const char *const *args)
{
    int rc = cu_run_v(r, NULL, 120, args);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r->err);
}

/* ---- the tiny scenario, by hand ---- */

START_TEST(test_by_hand)
{
    const char *dir = cu_test_dir("hand"), *ini = tiny_ini(dir), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"compare", "--allocation", "alpha_all:a=6000", "--allocation", "a=3000,b=4000",
                                     "--no-plots", "-o", out, ini, NULL});
    ck_assert_ptr_nonnull(strstr(r.out, "alpha_all"));
    ck_assert_ptr_nonnull(strstr(r.out, "a_3k_b_4k"));
    ck_assert_ptr_nonnull(strstr(r.out, "unallocated"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nn/a: nobody was released there")); /* b under variant 1, once */
    ck_assert_ptr_null(strstr(r.out, "nan"));
    cu_run_free(&r);
    table t;
    table_load(&t, cu_path_in(out, "compare.csv"));
    ck_assert_uint_eq(t.nr, 6); /* 2 variants x (a, b, total) */
    ck_assert_str_eq(text(&t, 0, "variant_name"), "alpha_all");
    ck_assert_str_eq(text(&t, 3, "variant_name"), "a_3k_b_4k");
    ck_assert_str_eq(text(&t, 0, "region_label"), "Alpha, North");
    ck_assert_str_eq(text(&t, 2, "region"), "total");
    /* variant 1: USD 6,000 to a frees its 4 people at USD 1,500 */
    ASSERT_NEAR(num(&t, 0, "releases_mean"), 4);
    ASSERT_NEAR(num(&t, 0, "spent_usd_mean"), 6000);
    ASSERT_NEAR(num(&t, 0, "cost_per_release_usd"), 1500);
    ASSERT_NEAR(num(&t, 0, "releases_per_10k_usd"), 4 * 1e4 / 6000);
    ASSERT_NEAR(num(&t, 0, "days_in_detention_mean"), 10);
    ck_assert(isnan(num(&t, 0, "unallocated_usd"))); /* a variant's figure: the total row */
    /* b got nothing: no releases, so no cost per release, no rate, no days */
    ASSERT_NEAR(num(&t, 1, "releases_mean"), 0);
    ck_assert(isnan(num(&t, 1, "cost_per_release_usd")));
    ck_assert(isnan(num(&t, 1, "cost_per_release_usd_ci95_lo")));
    ck_assert(isnan(num(&t, 1, "releases_per_10k_usd")));
    ck_assert(isnan(num(&t, 1, "days_in_detention_mean")));
    ck_assert(isnan(num(&t, 1, "p_target"))); /* the target is on total releases */
    ASSERT_NEAR(num(&t, 2, "allocated_usd"), 6000);
    ASSERT_NEAR(num(&t, 2, "unallocated_usd"), 10000 - 6000);
    ASSERT_NEAR(num(&t, 2, "p_target"), 1); /* 4 releases reach the target of 4 */
    ASSERT_NEAR(num(&t, 2, "releases_diff_to_first_mean"), 0);
    /* variant 2: a 2 x 1,500, b 1 x 4,000 */
    ASSERT_NEAR(num(&t, 3, "releases_mean"), 2);
    ASSERT_NEAR(num(&t, 3, "releases_diff_to_first_mean"), -2);
    ASSERT_NEAR(num(&t, 4, "releases_diff_to_first_mean"), 1);
    ASSERT_NEAR(num(&t, 4, "cost_per_release_usd"), 4000);
    ASSERT_NEAR(num(&t, 4, "releases_per_10k_usd"), 2.5);
    ASSERT_NEAR(num(&t, 4, "days_in_detention_mean"), 6);
    ASSERT_NEAR(num(&t, 5, "releases_mean"), 3);
    ASSERT_NEAR(num(&t, 5, "spent_usd_mean"), 7000);
    ASSERT_NEAR(num(&t, 5, "cost_per_release_usd"), 7000.0 / 3);
    ASSERT_NEAR(num(&t, 5, "releases_per_10k_usd"), 3 * 1e4 / 7000);
    ASSERT_NEAR(num(&t, 5, "days_in_detention_mean"), (2 * 10 + 6) / 3.0);
    ASSERT_NEAR(num(&t, 5, "unallocated_usd"), 10000 - 3000 - 4000);
    ASSERT_NEAR(num(&t, 5, "releases_diff_to_first_mean"), -1);
    ASSERT_NEAR(num(&t, 5, "releases_diff_to_first_ci95_hi"), -1);
    ASSERT_NEAR(num(&t, 5, "p_target"), 0);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    assert_csv_is_json(&t, "allocated_usd", compare_obj, doc);
    ck_assert_str_eq(json_string_value(cu_json_at(doc, "variants.0.name")), "alpha_all");
    ck_assert_double_eq(cu_json_num(doc, "variants.1.unallocated_usd"), 3000);
    ck_assert(json_is_null(cu_json_at(doc, "variants.0.compare.regions.b.cost_per_release_usd")));
    ck_assert(json_is_null(cu_json_at(doc, "variants.0.regions.b.cost_per_release_usd"))); /* the old key agrees */
    ck_assert_double_eq(cu_json_num(doc, "variants.1.difference_to_first.mean"), -1);     /* kept */
    json_decref(doc);
    table_free(&t);
    char *reps = cu_slurp(cu_path_in(out, "replications.csv"), NULL);
    ck_assert_ptr_nonnull(strstr(reps, ",alpha_all,a,"));
    ck_assert_ptr_nonnull(strstr(reps, ",a_3k_b_4k,b,"));
    free(reps);
    /* the chart labels its variants by name, as typed, and its axes */
    char *gp = cu_slurp(cu_path_in(out, "compare.gp"), NULL);
    ck_assert_ptr_nonnull(strstr(gp, "array names[2] = ['alpha_all', 'a_3k_b_4k']"));
    ck_assert_ptr_nonnull(strstr(gp, "noenhanced"));
    ck_assert_ptr_nonnull(strstr(gp, "set ylabel"));
    free(gp);
    ck_assert(cu_exists(cu_path_in(out, "releases_hist.gp")));
    ck_assert(cu_exists(cu_path_in(out, "regions.gp")));
    ck_assert(cu_exists(cu_path_in(out, "detention.gp")));
    gp = cu_slurp(cu_path_in(out, "regions.gp"), NULL);
    ck_assert_ptr_nonnull(strstr(gp, "variant 1 (alpha_all)")); /* which variant the chart shows */
    free(gp);
}
END_TEST

/* ---- names ---- */

static json_t *compare_doc(const char *dir, const char *const *extra)
{
    const char *ini = tiny_ini(dir), *out = cu_path_in(dir, "out");
    const char *args[24] = {"compare", "--no-plots", "--quiet", "-o", out, ini};
    size_t n = 6;
    for (size_t i = 0; extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    run_result r;
    run_ok(&r, args);
    cu_run_free(&r);
    return cu_load_json(cu_path_in(out, "summary.json"));
}

static void assert_names(json_t *doc, const char *const *names)
{
    json_t *vs = cu_json_at(doc, "variants");
    size_t n = 0;
    while (names[n])
        n++;
    ck_assert_uint_eq(json_array_size(vs), n);
    for (size_t k = 0; k < n; k++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(vs, k), "name")), names[k]);
}

START_TEST(test_default_names)
{
    json_t *doc = compare_doc(cu_test_dir("d1"), (const char *const[]){"--allocation", "a=3000", "--allocation",
                                                                       "a=3000", "--allocation", "b=4000.5",
                                                                       "--allocation", "a=0", "--allocation",
                                                                       "a=1500,b=2000", NULL});
    assert_names(doc, (const char *const[]){"a_3k", "a_3k_2", "b_4000", "nothing", "a_1500_b_2k", NULL});
    json_decref(doc);
    doc = compare_doc(cu_test_dir("d2"), (const char *const[]){"--allocation", "a=3000", "--policy", "first_come",
                                                               "--policy", "cheapest_first", "--pooled", NULL});
    assert_names(doc, (const char *const[]){"a_3k_first_come", "a_3k_cheapest_first", "pooled_first_come",
                                            "pooled_cheapest_first", NULL});
    /* the pooled fund: one account holding the budget, nothing unallocated, no split */
    ck_assert_double_eq(cu_json_num(doc, "variants.2.compare.total.allocated_usd"), 10000);
    ck_assert_double_eq(cu_json_num(doc, "variants.2.compare.total.unallocated_usd"), 0);
    ck_assert(json_is_null(cu_json_at(doc, "variants.2.compare.regions.a.allocated_usd")));
    ck_assert_double_eq(cu_json_num(doc, "variants.0.unallocated_usd"), 7000);
    json_decref(doc);
    doc = compare_doc(cu_test_dir("d3"), (const char *const[]){"--allocation", "mine:a=3000", "--allocation",
                                                               "a_3k:b=1500", "--allocation", "a=3000", "--pooled",
                                                               NULL});
    /* a default name that a given one took is numbered */
    assert_names(doc, (const char *const[]){"mine", "a_3k", "a_3k_3", "pooled", NULL});
    json_decref(doc);
}
END_TEST

START_TEST(test_names_rejected)
{
    const char *dir = cu_test_dir("bad"), *ini = tiny_ini(dir), *out = cu_path_in(dir, "out");
    char long_name[80];
    memset(long_name, 'x', 65);
    snprintf(long_name + 65, sizeof long_name - 65, ":a=1");
    static const struct {
        const char *a, *b, *c, *msg;
    } cases[] = {
        {"bad name:a=1", "a=2", NULL, "--allocation bad name:a=1: variant name 'bad name': expected 1 to 64 letters"},
        {"x.y:a=1", "a=2", NULL, "variant name 'x.y'"},
        {":a=1", "a=2", NULL, "--allocation :a=1: variant name ''"},
        {NULL, "a=2", NULL, "variant name 'xxxxx"},
        {"n:a=1", "n:a=2", NULL, "--allocation n:a=1: the variant name 'n' is taken by another variant"},
        {"pooled:a=1", "--pooled", NULL, "the variant name 'pooled' is taken"},
        {"n:q=1", "a=2", NULL, "no region 'q'"},
        {"n:a=20000", "a=2", NULL, "more than the budget"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *first = cases[i].a ? cases[i].a : long_name;
        const char *args[16] = {"compare", "--allocation", first, "-o", out, ini};
        size_t n = 6;
        if (strcmp(cases[i].b, "--pooled"))
            args[n++] = "--allocation";
        args[n++] = cases[i].b;
        args[n] = NULL;
        run_result r;
        int rc = cu_run_v(&r, NULL, 60, args);
        ck_assert_msg(rc == 2, "case %zu: exit %d, expected 2", i, rc);
        ck_assert_msg(strstr(r.err, cases[i].msg) != NULL, "case %zu: '%s' lacks '%s'", i, r.err, cases[i].msg);
        ck_assert_uint_eq(r.nout, 0);
        ck_assert(!cu_exists(out)); /* nothing written */
        cu_run_free(&r);
    }
}
END_TEST

/* ---- --regions ---- */

START_TEST(test_regions_by_hand)
{
    const char *dir = cu_test_dir("rh"), *ini = tiny_ini(dir), *out = cu_path_in(dir, "out");
    run_result r;
    run_ok(&r, (const char *const[]){"compare", "--regions", "--no-plots", "-o", out, ini, NULL});
    ck_assert_ptr_nonnull(strstr(r.out, "the same USD 10000 to each in turn"));
    ck_assert_ptr_nonnull(strstr(r.out, "minus Alpha, North (paired 95% CI)"));
    ck_assert_ptr_nonnull(strstr(r.out, "30.4375 days"));
    cu_run_free(&r);
    table t;
    table_load(&t, cu_path_in(out, "compare_regions.csv"));
    ck_assert_uint_eq(t.nr, 2);
    const double months = 90 / 30.4375;
    ck_assert_str_eq(text(&t, 0, "region"), "a");
    ck_assert_str_eq(text(&t, 1, "region_label"), "Beta");
    ASSERT_NEAR(num(&t, 0, "allocated_usd"), 10000);
    /* all USD 10,000 to a: its 4 people at 1,500 (USD 4,000 left idle) */
    ASSERT_NEAR(num(&t, 0, "releases_mean"), 4);
    ASSERT_NEAR(num(&t, 0, "cost_per_release_usd"), 1500);
    ASSERT_NEAR(num(&t, 0, "releases_per_10k_usd"), 4);
    ASSERT_NEAR(num(&t, 0, "days_in_detention_mean"), 10);
    ASSERT_NEAR(num(&t, 0, "fundable_per_month_mean"), 4 / months);
    ASSERT_NEAR(num(&t, 0, "cost_per_release_usd_diff_to_first"), 0);
    /* all to b: its 2 people at 4,000 */
    ASSERT_NEAR(num(&t, 1, "releases_mean"), 2);
    ASSERT_NEAR(num(&t, 1, "cost_per_release_usd"), 4000);
    ASSERT_NEAR(num(&t, 1, "releases_per_10k_usd"), 2);
    ASSERT_NEAR(num(&t, 1, "days_in_detention_mean"), 6);
    ASSERT_NEAR(num(&t, 1, "fundable_per_month_mean"), 2 / months);
    ASSERT_NEAR(num(&t, 1, "cost_per_release_usd_diff_to_first"), 2500);
    ASSERT_NEAR(num(&t, 1, "releases_per_10k_usd_diff_to_first"), -2);
    ASSERT_NEAR(num(&t, 1, "days_in_detention_diff_to_first_mean"), -4);
    ASSERT_NEAR(num(&t, 1, "fundable_per_month_diff_to_first_mean"), -2 / months);
    ASSERT_NEAR(num(&t, 1, "releases_diff_to_first_mean"), -2);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    assert_csv_is_json(&t, "allocated_usd", regions_obj, doc);
    ck_assert_double_eq(cu_json_num(doc, "regions_side_by_side.month_days"), 30.4375);
    ck_assert_double_eq(cu_json_num(doc, "regions_side_by_side.budget_usd"), 10000);
    ck_assert_str_eq(json_string_value(cu_json_at(doc, "regions_side_by_side.first_region")), "a");
    assert_names(doc, (const char *const[]){"all_a", "all_b", NULL});
    json_decref(doc);
    table_free(&t);
    ck_assert(cu_exists(cu_path_in(out, "compare_regions.gp")));
    ck_assert(cu_exists(cu_path_in(out, "compare.csv")));
}
END_TEST

/* --regions is the explicit runs "all to chicago", "all to kansas_city":
 * the same numbers, byte for byte. */
START_TEST(test_regions_equals_explicit)
{
    const char *dir = cu_test_dir("re"), *two = cu_two_ini(dir, 300);
    const char *a = cu_path_in(dir, "regions"), *b = cu_path_in(dir, "explicit");
    run_result r;
    run_ok(&r, (const char *const[]){"compare", "--regions", "--no-plots", "--quiet", "-o", a, two, NULL});
    cu_run_free(&r);
    run_ok(&r, (const char *const[]){"compare", "--allocation", "all_chicago:chicago=300000", "--allocation",
                                     "all_kansas_city:kansas_city=300000", "--no-plots", "--quiet", "-o", b, two,
                                     NULL});
    cu_run_free(&r);
    static const char *const same[] = {"compare.csv", "replications.csv", "regions.csv", "timeline.csv"};
    for (size_t i = 0; i < 4; i++) {
        size_t la, lb;
        char *x = cu_slurp(cu_path_in(a, same[i]), &la), *y = cu_slurp(cu_path_in(b, same[i]), &lb);
        ck_assert_msg(x && y && la == lb && !memcmp(x, y, la), "%s differs", same[i]);
        free(x);
        free(y);
    }
    json_t *ja = cu_load_json(cu_path_in(a, "summary.json")), *jb = cu_load_json(cu_path_in(b, "summary.json"));
    ck_assert(json_equal(cu_json_at(ja, "variants"), cu_json_at(jb, "variants")));
    table c, g;
    table_load(&c, cu_path_in(a, "compare.csv"));
    table_load(&g, cu_path_in(a, "compare_regions.csv"));
    /* row 0: chicago under variant 1; row 4: kansas_city under variant 2 */
    ck_assert_str_eq(text(&c, 0, "region"), "chicago");
    ck_assert_str_eq(text(&c, 4, "region"), "kansas_city");
    static const char *const cols[] = {"releases_mean", "cost_per_release_usd", "cost_per_release_usd_ci95_lo",
                                       "releases_per_10k_usd", "days_in_detention_mean", "days_in_detention_ci95_hi"};
    for (size_t i = 0; i < 6; i++) { /* compare_regions.csv is plain; compare.csv's releases_mean may be controlled */
        const char *cc = i == 0 ? "releases_plain_mean" : cols[i];
        ck_assert_str_eq(text(&g, 0, cols[i]), text(&c, 0, cc));
        ck_assert_str_eq(text(&g, 1, cols[i]), text(&c, 4, cc));
    }
    ck_assert_str_eq(text(&g, 1, "releases_diff_to_first_mean"), text(&c, 5, "releases_diff_to_first_plain_mean"));
    /* Kansas City's bonds (median 4,000) cost more than Chicago's (1,500):
     * fewer releases, dearer releases, both intervals clear of 0 */
    ck_assert(num(&g, 1, "releases_diff_to_first_ci95_hi") < 0);
    ck_assert(num(&g, 1, "releases_per_10k_usd_diff_to_first_ci95_hi") < 0);
    ck_assert(num(&g, 1, "cost_per_release_usd_diff_to_first_ci95_lo") > 0);
    ASSERT_NEAR(num(&g, 1, "cost_per_release_usd_diff_to_first"),
                num(&g, 1, "cost_per_release_usd") - num(&g, 0, "cost_per_release_usd"));
    ck_assert(num(&c, 5, "releases_diff_to_first_ci95_hi") < 0);
    table_free(&c);
    table_free(&g);
    json_decref(ja);
    json_decref(jb);
}
END_TEST

START_TEST(test_regions_rejected)
{
    const char *dir = cu_test_dir("rr"), *ini = tiny_ini(dir), *out = cu_path_in(dir, "out");
    const char *one = cu_path_in(dir, "one.ini");
    cu_write_file(one, "[fund]\nbudget_usd = 4500\n[region.a]\ninitial_detained = 3\n");
    static const struct {
        const char *args[6], *msg;
    } cases[] = {
        {{"--allocation", "a=1"}, "compare --regions gives the whole budget to each region in turn: it takes no --allocation"},
        {{"--pooled"}, "it takes no --pooled"},
        {{"--policy", "first_come", "--policy", "cheapest_first"}, "expected at most one --policy (got 2)"},
        {{"ONE"}, "has 1 region; expected two or more"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *args[16] = {"compare", "--regions", "-o", out};
        size_t n = 4;
        int use_one = 0;
        for (size_t j = 0; cases[i].args[j]; j++)
            if (!strcmp(cases[i].args[j], "ONE"))
                use_one = 1;
            else
                args[n++] = cases[i].args[j];
        args[n++] = use_one ? one : ini;
        args[n] = NULL;
        run_result r;
        int rc = cu_run_v(&r, NULL, 60, args);
        ck_assert_msg(rc == 2, "case %zu: exit %d", i, rc);
        ck_assert_msg(strstr(r.err, cases[i].msg) != NULL, "case %zu: '%s' lacks '%s'", i, r.err, cases[i].msg);
        ck_assert(!cu_exists(out));
        cu_run_free(&r);
    }
}
END_TEST

/* ---- the delta-method intervals, on synthetic replications ---- */

static uint64_t rng_state = 88172645463325252ULL;
static double unif(void) /* xorshift64*, fixed seed: the test is deterministic */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Region c of variant c (regions mode, 2 regions): Binomial(m, p) releases
 * with bonds uniform on [lo, hi]; the true cost per release is (lo + hi) / 2. */
static void draw(engine_stats *e, int m, double p, double lo, double hi)
{
    memset(e, 0, sizeof *e);
    for (int j = 0; j < m; j++)
        if (unif() < p) {
            e->releases += 1;
            e->spent += lo + (hi - lo) * unif();
            e->detention_days += 10 * unif(); /* mean 5 days */
        }
    e->fundable = m;
}

START_TEST(test_ratio_ci_coverage)
{
    const size_t n = 200, trials = 400;
    size_t cover_a = 0, cover_d = 0, cover_days = 0;
    for (size_t t = 0; t < trials; t++) {
        compare_acc *acc = compare_acc_new(2, 2, 1);
        ck_assert_ptr_nonnull(acc);
        stat_cov ref = {0};
        for (size_t i = 0; i < n; i++) {
            engine_stats st[4] = {{0}}; /* [variant][region] */
            draw(&st[0], 20, 0.3, 1000, 3000); /* variant 1: region a */
            draw(&st[3], 10, 0.5, 3000, 5000); /* variant 2: region b */
            stat_cov_add(&ref, st[0].releases, st[0].spent);
            fz_error err = {0, ""};
            ck_assert_int_eq(compare_acc_block(acc, NULL, i, 1, st, &err), 0);
        }
        const compare_pair *pa = &acc->pairs[2 * 3 + 0], *pb = &acc->pairs[2 * 3 + 1];
        stat_est a = compare_est(pa, CMP_M_COST, 0, 1, 1, 1);
        stat_est d = compare_est(pb, CMP_M_COST, 1, 1, 1, 1);
        stat_est days = compare_est(pb, CMP_M_DETENTION, 1, 1, 1, 1);
        if (t == 0) { /* one side alone is Cochran's ratio interval, as stat_ratio */
            double h, v = stat_ratio(&ref, &h);
            ASSERT_NEAR(a.value, v);
            ASSERT_NEAR(a.hi - a.value, h);
        }
        cover_a += a.lo <= 2000 && 2000 <= a.hi;
        cover_d += d.lo <= 2000 && 2000 <= d.hi; /* 4,000 - 2,000 */
        cover_days += days.lo <= 0 && 0 <= days.hi;
        compare_acc_free(acc);
    }
    double ca = (double)cover_a / trials, cd = (double)cover_d / trials, cdays = (double)cover_days / trials;
    /* 95% +- 3 binomial standard deviations (1.1 points at 400 trials) */
    ck_assert_msg(ca > 0.915 && ca < 0.985, "cost per release: coverage %.3f", ca);
    ck_assert_msg(cd > 0.915 && cd < 0.985, "paired difference of costs: coverage %.3f", cd);
    ck_assert_msg(cdays > 0.915 && cdays < 0.985, "paired difference of days: coverage %.3f", cdays);
}
END_TEST

Suite *make_compare_suite(void)
{
    Suite *s = suite_create("compare");
    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 300);
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_add_test(cli, test_by_hand);
    tcase_add_test(cli, test_default_names);
    tcase_add_test(cli, test_names_rejected);
    tcase_add_test(cli, test_regions_by_hand);
    tcase_add_test(cli, test_regions_equals_explicit);
    tcase_add_test(cli, test_regions_rejected);
    suite_add_tcase(s, cli);
    TCase *ci = tcase_create("ci");
    tcase_set_timeout(ci, 120); /* 80,000 blocks: seconds under the sanitizers */
    tcase_add_test(ci, test_ratio_ci_coverage);
    suite_add_tcase(s, ci);
    return s;
}

FZ_CHECK_MAIN(compare)
