/* check_labels: chart labels and chart traps (issue 14 item 6), and "n/a"
 * instead of nan on the console (issue 14 item 8), run end to end.
 *
 * Every case runs the built binary FZ_BIN (cli_util.h) on the small
 * two-region scenario, with gnuplot on PATH, and reads the scripts and the
 * SVG text gnuplot drew.  Asserted:
 * - no script fianza writes turns enhanced text on (theme.gp's terminals say
 *   noenhanced): names with '_' and '^' (equal_split, expected_value, a
 *   region label "kc_north^2") are drawn as written, not as sub- and
 *   superscripts;
 * - regions: the 95% CIs are black capped bars (no white disc on the mean),
 *   with a "95% CI" key entry and "mean [low, high]" above every bar; an
 *   empty (undefined) cell in regions.csv draws no bar and reads "n/a";
 * - releases_hist: the key is outside the plot area (it covered the mean
 *   line), and the mean and percentile lines are in front of the bars;
 * - sweep: the value axis starts at 0, every point is marked, and the title
 *   says how many points were computed; sweep_timeline says so as well;
 * - fit_qq: natural scale (no logscale) with the y = x line, both axes
 *   labelled with the column's name, whole-number ticks that stay inside
 *   the picture;
 * - every chart: axis labels with units and a title in plain words;
 * - the console never prints nan, inf or -nan: an undefined value reads
 *   "n/a" and one line starting "n/a:" says why (CVaR differences, one
 *   replication, a region without releases). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "summary.h"

#define KC_LABEL "kc_north^2"

static char g_gnuplot[4096]; /* gnuplot's path, found on PATH by main */

/* Runs fianza, which must succeed; returns its stdout (malloc'd). */
static char *run_ok(const char *const *args)
{
    run_result r;
    int rc = cu_run_v(&r, NULL, 120, args);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, r.err);
    char *out = strdup(r.out);
    cu_run_free(&r);
    return out;
}
#define RUN_OK(...) run_ok((const char *const[]){__VA_ARGS__, NULL})

static char *slurp_in(const char *dir, const char *name)
{
    char *text = cu_slurp(cu_path_in(dir, name), NULL);
    ck_assert_msg(text != NULL, "%s/%s missing", dir, name);
    return text;
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* Every NAME.gp in dir: "enhanced" appears only as "noenhanced" (the
 * default text mode is the terminal's, which theme.gp sets). */
static void check_never_enhanced(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int scripts = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".gp"))
            continue;
        char *gp = slurp_in(dir, e->d_name);
        for (char *line = strtok(gp, "\n"); line; line = strtok(NULL, "\n")) {
            if (line[strspn(line, " \t")] == '#')
                continue; /* a comment line */
            for (const char *p = line; (p = strstr(p, "enhanced")); p++)
                ck_assert_msg(p - line >= 2 && !strncmp(p - 2, "no", 2), "%s/%s turns enhanced text on: %s", dir,
                              e->d_name, line);
            /* yerrorbars with a filled point (pt 7) on a bar chart drew each
             * CI as a white disc: the "invisible white dots" of issue 14;
             * bar charts draw CIs as vectors (budget.gp's coloured points keep
             * yerrorbars: their bars show) */
            ck_assert_msg(!(strstr(line, "errorbars") && strstr(line, "pt 7")),
                          "%s/%s draws error bars as white dots: %s", dir, e->d_name, line);
        }
        free(gp);
        scripts++;
    }
    closedir(d);
    ck_assert_int_gt(scripts, 1);
    char *theme = slurp_in(dir, "theme.gp");
    ck_assert_msg(strstr(theme, "PNG = \"pngcairo size 1000,620 noenhanced") &&
                      strstr(theme, "SVG = \"svg size 1000,620 dynamic noenhanced"),
                  "theme.gp:\n%s", theme);
    free(theme);
}

/* The SVG of chart NAME holds each of the texts (NULL-terminated). */
static void check_svg_texts(const char *dir, const char *name, const char *const *texts)
{
    char file[64];
    snprintf(file, sizeof file, "%s.svg", name);
    char *svg = slurp_in(dir, file);
    for (size_t i = 0; texts[i]; i++)
        ck_assert_msg(strstr(svg, texts[i]) != NULL, "%s lacks \"%s\"", file, texts[i]);
    free(svg);
}
#define SVG_HAS(dir, name, ...) check_svg_texts((dir), (name), (const char *const[]){__VA_ARGS__, NULL})

/* "nan" or "inf" as a word, any case: what printf makes of a non-finite double. */
static const char *find_nonfinite(const char *text)
{
    for (const char *p = text; *p; p++)
        if ((!strncasecmp(p, "nan", 3) || !strncasecmp(p, "inf", 3)) && (p == text || !isalpha((unsigned char)p[-1])) &&
            !isalpha((unsigned char)p[3]))
            return p;
    return NULL;
}

static void check_no_nonfinite(const char *out)
{
    const char *p = find_nonfinite(out);
    ck_assert_msg(p == NULL, "stdout prints a non-finite number: ...%.60s\n%s", p ? (p > out + 30 ? p - 30 : out) : "",
                  out);
}

START_TEST(test_optimize_charts)
{
    const char *dir = cu_test_dir("optimize"), *ini = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    free(RUN_OK("optimize", "--gap-batches", "2", "--set", "region.kansas_city.label=" KC_LABEL, "-o", out, ini));
    check_never_enhanced(out);

    /* names with '_' and '^' drawn as written */
    SVG_HAS(out, "allocations", ">equal_split<", ">expected_value<", ">" KC_LABEL "<");
    SVG_HAS(out, "curves", ">" KC_LABEL "<");
    SVG_HAS(out, "regions", ">" KC_LABEL "<");

    /* regions: black capped bars, a key entry, the numbers above each bar */
    char *gp = slurp_in(out, "regions.gp"), *svg = slurp_in(out, "regions.svg");
    ck_assert_ptr_null(strstr(gp, "with yerrorbars")); /* gnuplot 5.4 paints a white disc on each mean */
    ck_assert_ptr_nonnull(strstr(gp, "with vectors heads size screen 0.012,90 lc rgb '#1a1a1a' lw 2 title '95% CI'"));
    ck_assert_ptr_null(strstr(svg, "color='white'/>"));
    ck_assert_ptr_null(strstr(svg, "color='#FFFFFF'/>"));
    ck_assert_uint_eq(count(svg, "<text>95% CI</text>"), 4);
    size_t cis = 0; /* "m [lo, hi]": 2 regions x 4 panels */
    for (const char *p = svg; (p = strstr(p, "<text>")); p++) {
        const char *end = strstr(p, "</text>"), *open = strstr(p, " [");
        cis += open && open < end && strstr(p, "]</text>") == end - 1;
    }
    ck_assert_uint_eq(cis, 8);
    free(gp);
    free(svg);

    /* releases_hist: the key beside the plot area, the lines over the bars */
    gp = slurp_in(out, "releases_hist.gp");
    ck_assert_ptr_nonnull(strstr(gp, "set key outside below"));
    ck_assert_ptr_null(strstr(gp, "set key top"));
    ck_assert_ptr_nonnull(strstr(gp, "set arrow 1 from mean, graph 0 to mean, graph 1 nohead front"));
    ck_assert_ptr_nonnull(strstr(gp, "set arrow 2 from p05, graph 0 to p05, graph 1 nohead front"));
    free(gp);

    /* titles a planner reads, axes with units */
    SVG_HAS(out, "allocations", "how the budget is split", "allocated to the region (thousand USD)",
            "allocation rule: optimal");
    SVG_HAS(out, "curves", "people each region releases for the money it gets",
            "money allocated to the region (thousand USD)", "mean releases over the horizon (people)");
    SVG_HAS(out, "regions", "How the regions compare", "cost per release (USD spent per person freed)", ">USD<",
            ">days<", ">releases<");
    SVG_HAS(out, "detention", "How long people wait", "days in detention (arrival to release)",
            "share of releases out by then");
    SVG_HAS(out, "releases_hist", "How many people the fund frees: total releases in each of 300 simulated futures",
            "total releases in one simulated future (people)", "share of simulated futures");
    SVG_HAS(out, "timeline", "How soon", "days since the start of the horizon", "money in the fund (thousand USD)");
}
END_TEST

/* regions.csv with an undefined figure (an empty cell, as issue 14 item 3
 * writes it: no money, no cost per release): regions.gp draws no bar and
 * says "n/a", and gnuplot has nothing to complain about. */
START_TEST(test_regions_empty_cells)
{
    const char *dir = cu_test_dir("empty"), *ini = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    free(RUN_OK("simulate", "--allocation", "chicago=300000", "-o", out, ini));
    char *csv = slurp_in(out, "regions.csv");
    char *kc = strstr(csv, "\nkansas_city,");
    ck_assert_ptr_nonnull(kc);
    char *label = strstr(kc, ",\"Kansas City\"");
    ck_assert_ptr_nonnull(label);
    char rows[4096];
    snprintf(rows, sizeof rows, "%.*s\nkansas_city,,,,,,,6.3,6.1,6.5,,,%s", (int)(kc - csv), csv, label);
    free(csv);
    cu_write_file(cu_path_in(out, "regions.csv"), rows);
    unlink(cu_path_in(out, "regions.svg"));
    run_result r;
    int rc = cu_run_prog(&r, g_gnuplot, out, 60, NULL, (const char *const[]){"regions.gp", NULL});
    ck_assert_msg(rc == 0 && r.nerr == 0, "gnuplot regions.gp: exit %d:\n%s", rc, r.err);
    cu_run_free(&r);
    char *svg = slurp_in(out, "regions.svg");
    ck_assert_uint_eq(count(svg, "<text>n/a</text>"), 3); /* releases per 10k, cost, days */
    ck_assert_uint_eq(count(svg, "<text>6.30 [6.10, 6.50]</text>"), 1);
    free(svg);
}
END_TEST

START_TEST(test_sweep_charts)
{
    const char *dir = cu_test_dir("sweep"), *ini = cu_two_ini(dir, 200), *out = cu_path_in(dir, "out");
    free(RUN_OK("sweep", "--budget", "100000:300000:100000", "-o", out, ini));
    check_never_enhanced(out);
    char *gp = slurp_in(out, "sweep.gp");
    char *from0 = strstr(gp, "set yrange [0:*]"), *plot = strstr(gp, "plot 'sweep.csv'");
    ck_assert_msg(from0 && plot && from0 < plot, "sweep.gp: the value axis does not start at 0");
    ck_assert_ptr_nonnull(strstr(gp, "with linespoints lt 1 title 'optimal value (out of sample)'"));
    ck_assert_ptr_nonnull(strstr(gp, "axes x1y2 with linespoints")); /* the marginal value, marked too */
    free(gp);
    SVG_HAS(out, "sweep", "3 budget levels computed (markers)", "budget (thousand USD)",
            "releases (people, mean over the horizon)", "marginal value per extra USD 1,000");
    SVG_HAS(out, "sweep_timeline", "3 points of the sweep", "people released so far",
            "money in the fund (thousand USD)");
}
END_TEST

START_TEST(test_tornado_chart)
{
    const char *dir = cu_test_dir("tornado"), *ini = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    free(RUN_OK("sweep", "--tornado", "20", "-o", out, ini));
    check_never_enhanced(out);
    SVG_HAS(out, "tornado", "What moves the answer most", "optimal releases (mean over the optimize stream, in sample)",
            "parameter (region.key)", "as given: ", ">chicago.family_pays_prob<");
}
END_TEST

START_TEST(test_compare_charts_labels)
{
    const char *dir = cu_test_dir("compare"), *ini = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    free(RUN_OK("compare", "--allocation", "all_chicago:chicago=300000", "--allocation", "chicago=150000,kansas_city=150000",
                "-o", out, ini));
    check_never_enhanced(out);
    SVG_HAS(out, "compare", "all_chicago", "chicago_150k_kansas_city_150k", "mean total releases (95% CI)");
    const char *reg = cu_path_in(dir, "regions");
    free(RUN_OK("compare", "--regions", "-o", reg, ini));
    check_never_enhanced(reg);
    SVG_HAS(reg, "compare_regions", "USD per release (95% CI)", "fundable cases per month of 30.4375 days (95% CI)");
}
END_TEST

START_TEST(test_budget_chart)
{
    const char *dir = cu_test_dir("budget"), *ini = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    free(RUN_OK("budget", "--releases", "40", "--prob", "0.5", "-o", out, ini));
    check_never_enhanced(out);
    SVG_HAS(out, "budget", "How much money is needed", "budget (thousand USD)",
            "probability of reaching the target: P(releases >= target)");
}
END_TEST

/* The tick labels of an SVG: whole numbers (no 1e+04, no x10^4) whose text,
 * at about 7 px a character, stays inside the 1000 px picture. */
static void check_ticks_inside(const char *svg)
{
    size_t ticks = 0;
    for (const char *p = svg; (p = strstr(p, "<g transform=\"translate(")); p++) {
        double x = strtod(p + strlen("<g transform=\"translate("), NULL);
        const char *t = strstr(p, "<text>"), *end = t ? strstr(t, "</text>") : NULL, *next = strstr(p + 1, "<g ");
        if (!t || !end || (next && next < t))
            continue;
        t += strlen("<text>");
        size_t n = (size_t)(end - t), digits = strspn(t, " 0123456789-.");
        if (digits != n || n == 0)
            continue; /* not a number: a title or a label */
        ticks++;
        const char *anchor = strstr(p, "text-anchor=\"");
        double w = 7.0 * (double)n;
        if (anchor && anchor < t && !strncmp(anchor + 13, "start", 5))
            ck_assert_msg(x + w <= 1000, "tick %.*s at x %g runs off the right edge", (int)n, t, x);
        else if (anchor && anchor < t && !strncmp(anchor + 13, "end", 3))
            ck_assert_msg(x - w >= 0, "tick %.*s at x %g runs off the left edge", (int)n, t, x);
    }
    ck_assert_uint_gt(ticks, 10);
    ck_assert_ptr_null(strstr(svg, "e+0"));
    ck_assert_ptr_null(strstr(svg, "x10"));
}

START_TEST(test_fit_charts)
{
    const char *dir = cu_test_dir("fit"), *csv = cu_path_in(dir, "bonds.csv"), *out = cu_path_in(dir, "out");
    /* 400 lognormal-like amounts (median 3000) from a fixed sequence */
    char *text = malloc(400 * 32 + 32), *p = text;
    p += sprintf(p, "case,bond_usd\n");
    unsigned long long u = 88172645463325252ull;
    for (int i = 0; i < 400; i++) {
        double z = 0;
        for (int k = 0; k < 12; k++) { /* Irwin-Hall: near a standard normal */
            u ^= u << 13, u ^= u >> 7, u ^= u << 17;
            z += (double)(u >> 11) / 9007199254740992.0;
        }
        p += sprintf(p, "%d,%.0f\n", i, 3000 * exp(0.7 * (z - 6)));
    }
    cu_write_file(csv, text);
    free(text);
    free(RUN_OK("fit", csv, "--column", "bond_usd", "-o", out));
    check_never_enhanced(out);
    char *gp = slurp_in(out, "fit_qq.gp");
    ck_assert_ptr_null(strstr(gp, "logscale"));
    ck_assert_ptr_nonnull(strstr(gp, "x with lines dt 2")); /* the reference line y = x */
    ck_assert_ptr_nonnull(strstr(gp, "set size ratio -1"));
    free(gp);
    SVG_HAS(out, "fit_qq", "Which distribution fits", "fitted quantile (bond_usd)", "data quantile (bond_usd)",
            ">1. lognormal<");
    char *svg = slurp_in(out, "fit_qq.svg");
    check_ticks_inside(svg);
    free(svg);
    SVG_HAS(out, "fit_hist", "Which distribution fits", "density (share of the values per unit on the x axis)",
            "bond_usd (axis cut at the 99th percentile");
    svg = slurp_in(out, "fit_hist.svg");
    ck_assert_ptr_null(strstr(svg, "x10^"));
    ck_assert_ptr_null(strstr(svg, "x10<")); /* a density tick is "5e-05", never a broken superscript */
    free(svg);
}
END_TEST

/* ---- n/a, never nan ---- */

/* A probability's interval never reads [0.000, 0.000] unless it is the point
 * 0: 0 hits in 10,000 has the Wilson bound 0.000384 (1.96^2 / (n + 1.96^2)). */
START_TEST(test_prob_text)
{
    char b[64];
    ck_assert_str_eq(summary_prob_text(b, sizeof b, 0, 0, 0.000384), "0.000 [0.000, 0.0004]");
    ck_assert_str_eq(summary_prob_text(b, sizeof b, 1, 0.999616, 1), "1.000 [1-0.0004, 1.000]");
    ck_assert_str_eq(summary_prob_text(b, sizeof b, 0.35, 0.1812, 0.5671), "0.350 [0.181, 0.567]");
    ck_assert_str_eq(summary_prob_text(b, sizeof b, 0.5, NAN, NAN), "0.500 [CI n/a]");
    ck_assert_str_eq(summary_prob_text(b, sizeof b, NAN, NAN, NAN), "n/a");
}
END_TEST

START_TEST(test_cvar_na)
{
    const char *dir = cu_test_dir("cvar"), *ini = cu_two_ini(dir, 200), *out = cu_path_in(dir, "out");
    char *o = RUN_OK("optimize", "--gap-batches", "2", "--no-plots", "--set", "fund.objective=cvar", "-o", out, ini);
    check_no_nonfinite(o);
    ck_assert_msg(strstr(o, "\nVSS ") && strstr(strstr(o, "\nVSS "), " [CI n/a]; EVPI "), "%s", o);
    ck_assert_msg(strstr(o, "EVPI ") && strstr(strstr(o, "EVPI "), "[CI n/a]; marginal"), "%s", o);
    ck_assert_msg(strstr(o, "minus optimal +") || strstr(o, "minus optimal -"), "%s", o);
    ck_assert_uint_eq(count(o, "n/a: a difference of two CVaRs (minus optimal, VSS, EVPI, pooled fund) has no 95% CI: "
                               "each CVaR is the mean of its own worst 10% of replications"),
                      1);
    ck_assert_uint_eq(count(o, "\nn/a:"), 1);
    free(o);
}
END_TEST

START_TEST(test_one_replication_na)
{
    const char *dir = cu_test_dir("one"), *ini = cu_two_ini(dir, 1), *out = cu_path_in(dir, "out");
    char *o = RUN_OK("optimize", "--gap-batches", "2", "--no-plots", "--set", "fund.objective=cvar", "-o", out, ini);
    check_no_nonfinite(o);
    ck_assert_ptr_nonnull(strstr(o, "[CI n/a]"));
    ck_assert_ptr_nonnull(strstr(o, "95% upper bound n/a"));
    ck_assert_ptr_null(strstr(o, "-0.00")); /* a zero difference is 0.00 */
    ck_assert_uint_eq(count(o, "n/a: with 1 replication, standard deviations and 95% confidence intervals are "
                               "undefined"),
                      1);
    ck_assert_uint_eq(count(o, "n/a: a difference of two CVaRs"), 0); /* one reason is enough */
    free(o);
}
END_TEST

START_TEST(test_no_release_na)
{
    const char *dir = cu_test_dir("norel"), *ini = cu_two_ini(dir, 20), *out = cu_path_in(dir, "out");
    char *o = RUN_OK("simulate", "--allocation", "chicago=300000", "--no-plots", "-o", out, ini);
    check_no_nonfinite(o);
    const char *kc = strstr(o, "\nKansas City ");
    ck_assert_msg(kc && strstr(kc, " n/a ") < strchr(kc + 1, '\n'), "%s", o);
    ck_assert_uint_eq(count(o, "n/a: nobody was released there in any replication"), 1);
    free(o);
    /* and a sweep point without releases */
    const char *sw = cu_path_in(dir, "sweep");
    o = RUN_OK("sweep", "--param", "region.chicago.family_pays_prob=0.5:1:0.5", "--set",
               "region.kansas_city.family_pays_prob=1", "--no-plots", "-o", sw, ini);
    check_no_nonfinite(o);
    ck_assert_uint_eq(count(o, "n/a: nobody was released at that point in any replication"), 1);
    free(o);
}
END_TEST

/* The chart cases need gnuplot; the n/a cases do not. */
static Suite *labels_suite(int charts)
{
    Suite *s = suite_create("labels");
    if (charts) {
        TCase *tc = tcase_create("charts");
        tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
        tcase_set_timeout(tc, 240);
        tcase_add_test(tc, test_optimize_charts);
        tcase_add_test(tc, test_regions_empty_cells);
        tcase_add_test(tc, test_sweep_charts);
        tcase_add_test(tc, test_tornado_chart);
        tcase_add_test(tc, test_compare_charts_labels);
        tcase_add_test(tc, test_budget_chart);
        tcase_add_test(tc, test_fit_charts);
        suite_add_tcase(s, tc);
    }
    TCase *na = tcase_create("na");
    tcase_add_unchecked_fixture(na, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(na, 240);
    tcase_add_test(na, test_prob_text);
    tcase_add_test(na, test_cvar_na);
    tcase_add_test(na, test_one_replication_na);
    tcase_add_test(na, test_no_release_na);
    suite_add_tcase(s, na);
    return s;
}

int main(void)
{
    const char *path = getenv("PATH");
    int found = 0;
    for (const char *p = path ? path : ""; !found && *p;) {
        size_t n = strcspn(p, ":");
        snprintf(g_gnuplot, sizeof g_gnuplot, "%.*s/gnuplot", (int)n, p);
        found = access(g_gnuplot, X_OK) == 0;
        p += n + (p[n] == ':');
    }
    if (!found)
        fputs("check_labels: gnuplot is not on PATH: the chart cases are skipped\n", stderr);
    return fz_check_run(labels_suite(found));
}
