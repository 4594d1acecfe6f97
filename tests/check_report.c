/* check_report: report.html of every command (issue 14 item 4, the one-page
 * brief, and item 1's "which variant" title).
 *
 * - Numbers for people: h_fmt separates thousands, never prints "-0", and
 *   prints "n/a" for an undefined value; h_usd is "USD 300,000".
 * - Every command (simulate, optimize, sweep --budget/--param/--tornado,
 *   compare with pooled variants, budget reachable and not, fit): the page
 *   shows no "nan" or "inf" word, no cell holding only a dash, opens with
 *   the brief before any table, and its file list is exactly the files in
 *   the results directory (marker excluded).
 * - optimize's brief states the split in USD, the money left unallocated,
 *   releases with their 95% CI, cost per release in each region and what
 *   limits the fund, all equal to summary.json's numbers; its Releases table
 *   says it shows the optimal allocation.
 * - sweep --budget shows every budget point in its table, no scenario
 *   "Budget USD 300,000" line, no releases/region tables of one allocation.
 * - compare names its variants ("variant N (name)" when summary.json has a
 *   name), titles each Releases table with its variant, and states an n/a
 *   reason once however many cells use it.
 * - budget's brief names the answer and its split; its table has every
 *   budget tried.
 * - What limits the fund follows the rule in html_brief.c: money when the
 *   budget is small, fundable cases when it is large. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "html_parts.h"

/* ---- helpers ---- */

/* "USD 1,234,567", written independently of h_usd. */
static const char *usd(char *buf, size_t n, double v)
{
    char raw[64], out[96];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t len = strlen(raw), j = 0;
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[j++] = ',';
        out[j++] = raw[i];
    }
    out[j] = '\0';
    snprintf(buf, n, "USD %s%s", v < -0.5 ? "-" : "", out);
    return buf;
}

/* summary.json holds 12 significant digits, the report was made from the
 * exact doubles: a value on a rounding tie (106.45) may print either way.
 * NEAR(x) nudges x by g_eps; FIND_NEAR retries a check with x nudged down
 * and up. */
static double g_eps;
#define NEAR(x) ((x) * (1 + g_eps))
#define FIND_NEAR(hay, want, build)                                    \
    do {                                                               \
        int found_ = 0;                                                \
        static const double eps_[] = {0, -1e-10, 1e-10};               \
        for (int k_ = 0; k_ < 3 && !found_; k_++) {                    \
            g_eps = eps_[k_];                                          \
            build;                                                     \
            found_ = strstr((hay), (want)) != NULL;                    \
        }                                                              \
        ck_assert_msg(found_, "want \"%s\" in %.600s", (want), (hay)); \
    } while (0)

/* Runs fianza with args (NULL-terminated) and requires exit 0. */
static void run_ok(const char *const *args)
{
    run_result r;
    int rc = cu_run_v(&r, NULL, 240, args);
    ck_assert_msg(rc == 0, "%s: exit %d: %s", args[0], rc, r.err);
    cu_run_free(&r);
}

static char *report(const char *out)
{
    char *t = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_msg(t != NULL, "%s: no report.html", out);
    return t;
}

/* The text a reader sees: no style, no SVG, no tags; a few entities decoded. */
static char *visible(const char *html)
{
    char *t = malloc(strlen(html) + 1), *o = t;
    ck_assert_ptr_nonnull(t);
    for (const char *p = html; *p;) {
        if (!strncmp(p, "<style", 6) || !strncmp(p, "<svg", 4)) {
            const char *end = strstr(p, p[1] == 's' && p[2] == 't' ? "</style>" : "</svg>");
            p = end ? strchr(end, '>') + 1 : p + strlen(p);
            continue;
        }
        if (*p == '<') {
            const char *end = strchr(p, '>');
            p = end ? end + 1 : p + strlen(p);
            *o++ = ' ';
            continue;
        }
        static const char *const ent[][2] = {{"&ndash;", "\xe2\x80\x93"},
                                             {"&mdash;", "\xe2\x80\x94"},
                                             {"&amp;", "&"},
                                             {"&lt;", "<"},
                                             {"&gt;", ">"},
                                             {"&quot;", "\""},
                                             {"&ge;", ">="}};
        size_t k = 0;
        for (; k < sizeof ent / sizeof ent[0] && strncmp(p, ent[k][0], strlen(ent[k][0])); k++)
            ;
        if (k < sizeof ent / sizeof ent[0]) {
            o = stpcpy(o, ent[k][1]);
            p += strlen(ent[k][0]);
        } else
            *o++ = *p++;
    }
    *o = '\0';
    return t;
}

/* word appears in text as a whole word (case-insensitive). */
static int has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strcasestr(p, word)); p++)
        if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
            return 1;
    return 0;
}

static int count_of(const char *text, const char *s)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, s)); p += strlen(s))
        n++;
    return n;
}

/* The raw HTML of the brief paragraph (malloc'd). */
static char *brief_of(const char *html)
{
    const char *b = strstr(html, "<p class=\"brief\" id=\"brief\">");
    ck_assert_msg(b != NULL, "no brief");
    const char *e = strstr(b, "</p>");
    ck_assert_ptr_nonnull(e);
    const char *table = strstr(html, "<table");
    ck_assert_msg(!table || table > e, "a table comes before the brief");
    return strndup(b, (size_t)(e - b));
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The file list of the page equals the directory's files (no dot files). */
static void files_match(const char *html, const char *out)
{
    const char *p = strstr(html, "<p id=\"files\">");
    ck_assert_msg(p != NULL, "%s: no file list", out);
    const char *end = strstr(p, "</p>");
    char *listed[256], *present[256];
    size_t nl = 0, np = 0;
    for (const char *q = p; (q = strstr(q, "href=\"")) && q < end && nl < 256;) {
        q += 6;
        listed[nl++] = strndup(q, strcspn(q, "\""));
    }
    DIR *d = opendir(out);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e; (e = readdir(d)) && np < 256;)
        if (e->d_name[0] != '.')
            present[np++] = strdup(e->d_name);
    closedir(d);
    qsort(listed, nl, sizeof *listed, by_name);
    qsort(present, np, sizeof *present, by_name);
    ck_assert_msg(nl == np, "%s: %zu files listed, %zu present", out, nl, np);
    for (size_t i = 0; i < nl; i++) {
        ck_assert_msg(!strcmp(listed[i], present[i]), "%s: listed %s, present %s", out, listed[i], present[i]);
        free(listed[i]);
        free(present[i]);
    }
}

/* What every report must be: clean words, the brief first, the true file list. */
static void report_clean(const char *out)
{
    char *html = report(out), *text = visible(html);
    static const char *const bad[] = {"nan", "-nan", "inf", "-inf", "infinity", "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!has_word(text, bad[i]), "%s: report.html shows \"%s\"", out, bad[i]);
    ck_assert_msg(!strstr(html, "<td>&ndash;</td>") && !strstr(html, "<td>\xe2\x80\x93</td>"),
                  "%s: a cell holds only a dash", out);
    ck_assert_msg(!strstr(html, "releases</th><td>&ndash;"), "%s: a dash for a value", out);
    free(brief_of(html));
    files_match(html, out);
    free(text);
    free(html);
}

/* ---- tests ---- */

START_TEST(test_format)
{
    char b[64];
    ck_assert_str_eq(h_fmt(b, sizeof b, 1234567.4, 0), "1,234,567");
    ck_assert_str_eq(h_fmt(b, sizeof b, 999.96, 1), "1,000.0");
    ck_assert_str_eq(h_fmt(b, sizeof b, -1500, 0), "-1,500");
    ck_assert_str_eq(h_fmt(b, sizeof b, -0.04, 1), "0.0");
    ck_assert_str_eq(h_fmt(b, sizeof b, 57.85, 2), "57.85");
    ck_assert_str_eq(h_fmt(b, sizeof b, NAN, 1), "n/a");
    ck_assert_str_eq(h_fmt(b, sizeof b, INFINITY, 1), "n/a");
    ck_assert_str_eq(h_usd(b, sizeof b, 300000), "USD 300,000");
    ck_assert_str_eq(h_usd(b, sizeof b, 500), "USD 500");
    ck_assert_str_eq(usd(b, sizeof b, 221500), "USD 221,500");
}
END_TEST

START_TEST(test_every_command_report)
{
    const char *dir = cu_test_dir("every"), *two = cu_two_ini(dir, 20);
    const char *csv = FZ_TEST_DIR "/data/amounts.csv";
    static const char *const A = "chicago=200000,kansas_city=100000", *const B = "chicago=300000";
    const char *const runs[][12] = {
        {"simulate", "--allocation", A, two},
        {"simulate", "--allocation", A, "--replications", "1", two},
        {"optimize", "--gap-batches", "2", two},
        {"sweep", "--budget", "100000:300000:100000", two},
        {"sweep", "--param", "region.chicago.removal_hazard_per_day=0.005:0.02:0.0075", two},
        {"sweep", "--tornado", "10", two},
        {"compare", "--allocation", A, "--allocation", B, "--pooled", two},
        {"budget", "--releases", "60", "--prob", "0.8", two},
        {"budget", "--releases", "100000", "--prob", "0.9", two},
        {"fit", "--column", "amount", csv},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        char name[16];
        snprintf(name, sizeof name, "out%zu", i);
        const char *out = cu_path_in(dir, name);
        const char *args[20] = {runs[i][0], "--quiet", "--no-plots", "-o", out};
        size_t n = 5;
        for (size_t j = 1; j < 12 && runs[i][j]; j++)
            args[n++] = runs[i][j];
        args[n] = NULL;
        run_ok(args);
        report_clean(out);
    }
}
END_TEST

/* The test's own reading of the rule in html_brief.c. */
static const char *limit_expected(double unpaid, double left, double budget)
{
    int few = unpaid < 1.0, little = left < 0.1 * budget;
    return few ? (little ? "run out together" : "is fundable cases, not money")
               : (little ? "is money" : "Both limit the fund");
}

START_TEST(test_optimize_brief_numbers)
{
    const char *dir = cu_test_dir("opt"), *two = cu_two_ini(dir, 40), *out = cu_path_in(dir, "out");
    run_ok((const char *const[]){"optimize", "--gap-batches", "2", "--quiet", "--no-plots", "-o", out, two, NULL});
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    char *html = report(out), *brief = brief_of(html), want[256], b[64], c[64];
    double budget = cu_json_num(j, "budget_usd");
    double chi = cu_json_num(j, "allocation.chicago"), kc = cu_json_num(j, "allocation.kansas_city");
    FIND_NEAR(brief, want, snprintf(want, sizeof want, "The best split of %s is ", usd(b, sizeof b, NEAR(budget))));
    FIND_NEAR(brief, want,
              snprintf(want, sizeof want, "%s to Chicago and %s to Kansas City", usd(b, sizeof b, NEAR(chi)),
                       usd(c, sizeof c, NEAR(kc))));
    json_t *un = json_object_get(j, "unallocated_usd");
    double left = un ? json_number_value(un) : budget - chi - kc;
    if (left >= 0.5) {
        FIND_NEAR(brief, want, snprintf(want, sizeof want, "(%s left unallocated)", usd(b, sizeof b, NEAR(left))));
    } else
        ck_assert_msg(!strstr(brief, "unallocated"), "nothing is unallocated: %s", brief);
    FIND_NEAR(brief, want,
              snprintf(want, sizeof want, "%.1f people on average (95%% CI %.1f&ndash;%.1f)",
                       NEAR(cu_json_num(j, "releases.mean")), NEAR(cu_json_num(j, "releases.ci95.0")),
                       NEAR(cu_json_num(j, "releases.ci95.1"))));
    FIND_NEAR(brief, want,
              snprintf(want, sizeof want, "%s per release in Chicago and %s in Kansas City",
                       usd(b, sizeof b, NEAR(cu_json_num(j, "regions.chicago.cost_per_release_usd"))),
                       usd(c, sizeof c, NEAR(cu_json_num(j, "regions.kansas_city.cost_per_release_usd")))));
    const char *lim =
        limit_expected(cu_json_num(j, "unpaid_fundable_mean"), cu_json_num(j, "balance_end_usd_mean"), budget);
    ck_assert_msg(strstr(brief, lim), "want \"%s\" in %s", lim, brief);
    ck_assert_int_eq(count_of(brief, ". "), 2); /* three sentences */
    ck_assert_msg(strstr(html, "<h2>Releases &mdash; optimal allocation</h2>"), "Releases table not titled");
    free(brief);
    free(html);
    json_decref(j);
}
END_TEST

START_TEST(test_sweep_report)
{
    const char *dir = cu_test_dir("sweep"), *two = cu_two_ini(dir, 20), *out = cu_path_in(dir, "out");
    run_ok((const char *const[]){"sweep", "--budget", "100000:400000:100000", "--quiet", "--no-plots", "-o", out, two,
                                 NULL});
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    char *html = report(out), *text = visible(html), *brief = brief_of(html), want[128], b[64];
    const char *table = strstr(html, "<table id=\"sweep\">");
    ck_assert_msg(table != NULL, "no sweep table");
    json_t *pts = cu_json_at(j, "sweep.points");
    ck_assert_int_eq(json_array_size(pts), 4);
    size_t i;
    json_t *p;
    json_array_foreach(pts, i, p)
    {
        snprintf(want, sizeof want, "<tr><td>%s</td>", usd(b, sizeof b, cu_json_num(p, "x")) + 4);
        ck_assert_msg(strstr(table, want), "no row %s", want);
        FIND_NEAR(table, want,
                  snprintf(want, sizeof want, "%.1f <small>[%.1f, %.1f]</small>", NEAR(cu_json_num(p, "releases.mean")),
                           NEAR(cu_json_num(p, "releases.ci95.0")), NEAR(cu_json_num(p, "releases.ci95.1"))));
    }
    ck_assert_msg(!strstr(text, "Budget USD 300,000") && !strstr(text, "Budget USD 300000"),
                  "sweep report names the scenario's budget");
    ck_assert_msg(strstr(text, "Budget from USD 100,000 to USD 400,000 (4 points)"), "no budget range");
    ck_assert_msg(!strstr(text, "total releases") && !strstr(text, "percentile"), "one allocation's table in sweep");
    ck_assert_msg(!strstr(html, "<th>region</th>"), "a region table in sweep");
    ck_assert_msg(strstr(brief, "from USD 100,000 to USD 400,000"), "brief: %s", brief);
    free(brief);
    free(text);
    free(html);
    json_decref(j);
}
END_TEST

START_TEST(test_compare_report)
{
    const char *dir = cu_test_dir("compare"), *two = cu_two_ini(dir, 20), *out = cu_path_in(dir, "out");
    run_ok((const char *const[]){"compare", "--allocation", "chicago=300000", "--allocation",
                                 "chicago=150000,kansas_city=150000", "--pooled", "--quiet", "--no-plots", "-o", out,
                                 two, NULL});
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    char *html = report(out), want[256];
    size_t i;
    json_t *v;
    json_array_foreach(cu_json_at(j, "variants"), i, v)
    {
        const char *name = json_string_value(json_object_get(v, "name"));
        char label[160];
        if (name)
            snprintf(label, sizeof label, "variant %zu (%s)", i + 1, name);
        else
            snprintf(label, sizeof label, "variant %zu", i + 1);
        snprintf(want, sizeof want, "<h2>Releases &mdash; %s</h2>", label);
        ck_assert_msg(strstr(html, want), "no \"%s\"", want);
        snprintf(want, sizeof want, "<tr><td>%s</td>", label);
        ck_assert_msg(strstr(html, want), "variants table has no row %s", label);
    }
    /* Kansas City gets nothing in variant 1: n/a cost per release, reason said once */
    ck_assert_int_ge(count_of(html, "n/a<sup>"), 2);
    ck_assert_int_eq(count_of(html, "no release, so no cost per release"), 1);
    ck_assert_int_eq(count_of(html, "pooled fund: one account holds the whole budget"), 1);
    char *brief = brief_of(html);
    ck_assert_msg(strstr(brief, "Of 3 variants, variant "), "brief: %s", brief);
    free(brief);
    free(html);
    json_decref(j);
}
END_TEST

START_TEST(test_budget_report)
{
    const char *dir = cu_test_dir("budget"), *two = cu_two_ini(dir, 30), *out = cu_path_in(dir, "out");
    run_ok((const char *const[]){"budget", "--releases", "60", "--prob", "0.8", "--quiet", "--no-plots", "-o", out, two,
                                 NULL});
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    char *html = report(out), *brief = brief_of(html), want[256], b[64], c[64], d[64];
    ck_assert(json_is_true(cu_json_at(j, "budget.reachable")));
    FIND_NEAR(brief, want,
              snprintf(want, sizeof want, "is %s, split %s to Chicago and %s to Kansas City",
                       usd(b, sizeof b, NEAR(cu_json_num(j, "budget.budget_usd"))),
                       usd(c, sizeof c, NEAR(cu_json_num(j, "budget.answer.allocation.chicago"))),
                       usd(d, sizeof d, NEAR(cu_json_num(j, "budget.answer.allocation.kansas_city")))));
    const char *table = strstr(html, "<table id=\"budget\">");
    ck_assert_ptr_nonnull(table);
    size_t i;
    json_t *p;
    json_array_foreach(cu_json_at(j, "budget.points"), i, p)
    {
        snprintf(want, sizeof want, "<td>%s</td>", usd(b, sizeof b, cu_json_num(p, "budget_usd")) + 4);
        ck_assert_msg(strstr(table, want), "no row for %s", b);
    }
    snprintf(want, sizeof want, "<h2>Releases &mdash; the answer's split at %s</h2>",
             usd(b, sizeof b, cu_json_num(j, "budget.budget_usd")));
    ck_assert_msg(strstr(html, want), "no \"%s\"", want);
    free(brief);
    free(html);
    json_decref(j);
}
END_TEST

START_TEST(test_limit_rule)
{
    const char *dir = cu_test_dir("limit"), *two = cu_two_ini(dir, 20);
    static const char *const budgets[] = {"20000", "2000000"}, *const allocs[] = {
                                                                   "chicago=10000,kansas_city=10000",
                                                                   "chicago=1000000,kansas_city=1000000"};
    static const char *const want[] = {"What limits the fund is money", "What limits the fund is fundable cases"};
    for (int k = 0; k < 2; k++) {
        char set[64], name[16];
        snprintf(set, sizeof set, "fund.budget_usd=%s", budgets[k]);
        snprintf(name, sizeof name, "out%d", k);
        const char *out = cu_path_in(dir, name);
        run_ok((const char *const[]){"simulate", "--allocation", allocs[k], "--set", set, "--quiet", "--no-plots", "-o",
                                     out, two, NULL});
        json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
        char *html = report(out), *brief = brief_of(html);
        ck_assert_msg(strstr(brief, want[k]), "budget %s: want \"%s\" in %s", budgets[k], want[k], brief);
        ck_assert_msg(strstr(brief, limit_expected(cu_json_num(j, "unpaid_fundable_mean"),
                                                   cu_json_num(j, "balance_end_usd_mean"), atof(budgets[k]))),
                      "rule and brief disagree: %s", brief);
        free(brief);
        free(html);
        json_decref(j);
    }
}
END_TEST

Suite *make_report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *unit = tcase_create("format");
    tcase_add_test(unit, test_format);
    suite_add_tcase(s, unit);
    TCase *tc = tcase_create("commands");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_every_command_report);
    tcase_add_test(tc, test_optimize_brief_numbers);
    tcase_add_test(tc, test_sweep_report);
    tcase_add_test(tc, test_compare_report);
    tcase_add_test(tc, test_budget_report);
    tcase_add_test(tc, test_limit_rule);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(report)
