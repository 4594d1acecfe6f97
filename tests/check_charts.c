/* check_charts: the charts each command draws with gnuplot, run end to end.
 *
 * Every case runs the built binary FZ_BIN (cli_util.h) on a small two-region
 * scenario (a few hundred replications, --gap-batches 2).  Asserted:
 * - with gnuplot on PATH, `simulate` draws releases_hist, regions,
 *   detention and timeline; `optimize` those and curves and allocations;
 *   `compare` draws compare and timeline; `sweep --budget` and `--param`
 *   sweep and sweep_timeline; `sweep --tornado` tornado.  For each
 *   chart NAME.gp and its data files exist and the script reads them, no
 *   @KEY@ placeholder is left unfilled, NAME.png is a whole PNG (signature,
 *   IHDR first, IEND last, more than 2 KB), NAME.svg holds one <svg>...</svg>
 *   element, gnuplot.log has no warning or error, and fianza's stderr is
 *   empty (it would carry "gnuplot failed on NAME.gp");
 * - with gnuplot absent from PATH: exit 0, exactly one line on stderr naming
 *   the warning and gnuplot, scripts and data written, no PNG or SVG,
 *   report.html saying each chart was not drawn; the scripts left behind
 *   render when gnuplot is run on them by hand;
 * - region labels with quotes, backslashes, '@', '$', '#' (also first, where
 *   gnuplot's data files see a comment), braces and '^' (gnuplot's enhanced
 *   text), '&' and '<' (SVG), and a newline (via --set) draw cleanly and
 *   appear quote-doubled in the scripts; allocation.csv quotes them per
 *   RFC 4180;
 * - `sweep --budget`: the in-sample optimum (sweep.csv and summary.json) is
 *   nondecreasing in the budget and each allocation fits its budget, for
 *   both policies (first_come curves are not monotone; the optimum is);
 * - `compare` of an allocation with itself: every difference is exactly 0;
 * - `sweep --param region.R.bond_usd.median=...` changes results from point
 *   to point (and draws its chart); an argument the distribution lacks
 *   exits 2 and leaves no results directory;
 * - --no-plots draws nothing and does not look for gnuplot. */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "csv_util.h"

/* scenario: cu_two_ini (cli_util.c), 300 replications */
#define ALLOC "chicago=200000,kansas_city=100000"

/* True when stderr holds nothing but the run-time estimates that optimize
 * prints before a run of over a minute (a slow machine, or valgrind). */
static int only_estimates(const char *err)
{
    static const char *const ok[] = {"fianza: this run will take about ",
                                     "fianza: the optimality gap estimate will take about "};
    for (const char *p = err; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && strncmp(p, ok[0], strlen(ok[0])) && strncmp(p, ok[1], strlen(ok[1])))
            return 0;
        p += n + (nl != NULL);
    }
    return 1;
}

/* Runs fianza (gnuplot on PATH), which must succeed with nothing on stderr
 * but run-time estimates. */
#define RUN_OK(...)                                                                  \
    do {                                                                             \
        run_result r_;                                                               \
        int rc_ = cu_run_v(&r_, NULL, 60, (const char *const[]){__VA_ARGS__, NULL}); \
        ck_assert_msg(rc_ == 0, "exit %d:\n%s", rc_, r_.err);                        \
        ck_assert_msg(only_estimates(r_.err), "stderr not empty:\n%s", r_.err);      \
        cu_run_free(&r_);                                                            \
    } while (0)

typedef struct chart {
    const char *name;
    const char *data[3]; /* data files the script plots, NULL-terminated */
} chart;

static const chart C_HIST = {"releases_hist", {"releases_hist.csv"}}, C_REGIONS = {"regions", {"regions.csv"}},
                   C_DETENTION = {"detention", {"detention.csv"}}, C_CURVES = {"curves", {"curves.csv", "chosen.csv"}},
                   C_ALLOCATIONS = {"allocations", {"allocations.csv"}}, C_COMPARE = {"compare", {"compare.csv"}},
                   C_SWEEP = {"sweep", {"sweep.csv"}}, C_TORNADO = {"tornado", {"tornado.csv"}},
                   C_TIMELINE = {"timeline", {"timeline.csv"}}, C_SWEEP_TIMELINE = {"sweep_timeline", {"timeline.csv"}};

static const char *file_of(const char *dir, const char *name, const char *ext)
{
    char f[128];
    snprintf(f, sizeof f, "%s%s", name, ext);
    return cu_path_in(dir, f);
}

/* The script and its data: present, the data named in the script, and (when
 * placeholders) no @KEY@ left unfilled. */
static void check_script(const char *dir, const chart *c, int placeholders)
{
    char *gp = cu_slurp(file_of(dir, c->name, ".gp"), NULL);
    ck_assert_msg(gp != NULL, "%s.gp missing", c->name);
    ck_assert_msg(strstr(gp, "load 'theme.gp'") != NULL, "%s.gp does not load the theme", c->name);
    ck_assert_msg(cu_exists(cu_path_in(dir, "theme.gp")), "theme.gp missing");
    for (size_t i = 0; c->data[i]; i++) {
        size_t len;
        char *csv = cu_slurp(cu_path_in(dir, c->data[i]), &len);
        ck_assert_msg(csv != NULL, "%s missing", c->data[i]);
        ck_assert_msg(cu_count_lines(csv) >= 2, "%s has no data rows:\n%s", c->data[i], csv);
        free(csv);
        char quoted[128];
        snprintf(quoted, sizeof quoted, "'%s'", c->data[i]);
        ck_assert_msg(strstr(gp, quoted) != NULL, "%s.gp does not read %s", c->name, c->data[i]);
    }
    for (const char *p = gp; placeholders && (p = strchr(p, '@'));) {
        const char *q = p + 1;
        while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
            q++;
        ck_assert_msg(!(*q == '@' && q > p + 1), "%s.gp: unfilled placeholder %.*s", c->name, (int)(q - p + 1), p);
        p = q;
    }
    free(gp);
}

static void check_png(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    size_t len;
    char *png = cu_slurp(path, &len);
    ck_assert_msg(png != NULL, "%s missing", path);
    ck_assert_msg(len > 2048, "%s: only %zu bytes", path, len);
    ck_assert_msg(memcmp(png, sig, 8) == 0, "%s: no PNG signature", path);
    ck_assert_msg(memcmp(png + 12, "IHDR", 4) == 0, "%s: IHDR is not the first chunk", path);
    ck_assert_msg(memcmp(png + len - 12, iend, 12) == 0, "%s: does not end with IEND (truncated?)", path);
    free(png);
}

static void check_svg(const char *path)
{
    char *svg = cu_slurp(path, NULL);
    ck_assert_msg(svg != NULL, "%s missing", path);
    char *open = strstr(svg, "<svg"), *close = strstr(svg, "</svg>");
    ck_assert_msg(open && close && open < close, "%s: no <svg>...</svg>", path);
    ck_assert_msg(strstr(open + 1, "<svg") == NULL || strstr(open + 1, "<svg") > close, "%s: nested <svg>", path);
    for (const char *p = close + 6; *p; p++)
        ck_assert_msg(*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t', "%s: text after </svg>", path);
    free(svg);
}

/* gnuplot writes nothing on success; its complaints name the script and line
 * ("regions.gp" line 25: warning: ...) or start with "Warning:". */
static void check_log_clean(const char *dir)
{
    char *log = cu_slurp(cu_path_in(dir, "gnuplot.log"), NULL);
    ck_assert_msg(log != NULL, "%s: no gnuplot.log", dir);
    for (const char *line = log; *line;) {
        size_t len = strcspn(line, "\n");
        char one[1024];
        snprintf(one, sizeof one, "%.*s", (int)len, line);
        ck_assert_msg(!strcasestr(one, "warning") && !strcasestr(one, "error") && !strstr(one, ".gp\" line "),
                      "gnuplot.log in %s:\n%s", dir, log);
        line += len + (line[len] == '\n');
    }
    free(log);
}

/* Exactly the given charts were drawn, each whole, and gnuplot had nothing to say. */
static void check_drawn(const char *dir, const chart *const *charts, size_t n, int placeholders)
{
    for (size_t i = 0; i < n; i++) {
        check_script(dir, charts[i], placeholders);
        check_png(file_of(dir, charts[i]->name, ".png"));
        check_svg(file_of(dir, charts[i]->name, ".svg"));
    }
    ck_assert_int_eq(cu_count_suffixed(dir, ".png"), (int)n);
    ck_assert_int_eq(cu_count_suffixed(dir, ".svg"), (int)n);
    check_log_clean(dir);
    char *html = cu_slurp(cu_path_in(dir, "report.html"), NULL);
    ck_assert_msg(html != NULL, "%s: no report.html", dir);
    ck_assert_msg(!strcasestr(html, "not drawn"), "%s: report.html says a chart was not drawn", dir);
    size_t svgs = 0;
    for (const char *p = html; (p = strstr(p, "<svg")); p++)
        svgs++;
    ck_assert_uint_eq(svgs, n); /* each chart inline */
    free(html);
}

#define CHARTS(...) (const chart *const[]){__VA_ARGS__}, sizeof((const chart *const[]){__VA_ARGS__}) / sizeof(chart *)

/* ---- gnuplot present ---- */

START_TEST(test_simulate_charts)
{
    const char *dir = cu_test_dir("simulate");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    RUN_OK("simulate", "--allocation", ALLOC, "-o", out, two);
    check_drawn(out, CHARTS(&C_HIST, &C_REGIONS, &C_DETENTION, &C_TIMELINE), 1);
}
END_TEST

START_TEST(test_optimize_charts)
{
    const char *dir = cu_test_dir("optimize");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    RUN_OK("optimize", "--gap-batches", "2", "-o", out, two);
    check_drawn(out, CHARTS(&C_HIST, &C_REGIONS, &C_DETENTION, &C_CURVES, &C_ALLOCATIONS, &C_TIMELINE), 1);
}
END_TEST

START_TEST(test_compare_charts)
{
    const char *dir = cu_test_dir("compare");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    RUN_OK("compare", "--allocation", ALLOC, "--allocation", "chicago=100000,kansas_city=200000", "-o", out, two);
    check_drawn(out, CHARTS(&C_COMPARE, &C_HIST, &C_REGIONS, &C_DETENTION, &C_TIMELINE), 1);
}
END_TEST

START_TEST(test_tornado_charts)
{
    const char *dir = cu_test_dir("tornado");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    RUN_OK("sweep", "--tornado", "20", "--replications", "200", "-o", out, two);
    check_drawn(out, CHARTS(&C_TORNADO), 1);
}
END_TEST

/* One column of a CSV file of plain numbers, by header name (csv_util.h);
 * every cell must hold a number here.  Returns the number of rows. */
static size_t csv_column(const char *path, const char *name, double *vals, size_t max)
{
    size_t n = csvu_column(path, name, vals, max);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!isnan(vals[i]), "%s: empty %s in row %zu", path, name, i + 1);
    return n;
}

/* A budget sweep's results: points at the budgets asked for, the in-sample
 * optimum nondecreasing in the budget (a larger budget keeps every smaller
 * allocation feasible, on the same replications), every allocation within
 * its budget, and sweep.csv agreeing with summary.json. */
static void check_budget_sweep(const char *out, const double *budgets, size_t n)
{
    double x[16], ins[16], chi[16], kc[16];
    ck_assert_uint_eq(csv_column(cu_path_in(out, "sweep.csv"), "budget_usd", x, 16), n);
    ck_assert_uint_eq(csv_column(cu_path_in(out, "sweep.csv"), "in_sample_value", ins, 16), n);
    ck_assert_uint_eq(csv_column(cu_path_in(out, "sweep.csv"), "chicago_usd", chi, 16), n);
    ck_assert_uint_eq(csv_column(cu_path_in(out, "sweep.csv"), "kansas_city_usd", kc, 16), n);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(s, "sweep.parameter")), "budget_usd");
    json_t *pts = cu_json_at(s, "sweep.points");
    ck_assert(json_is_array(pts));
    ck_assert_uint_eq(json_array_size(pts), n);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pts, i);
        double jx = cu_json_num(p, "x"), jin = cu_json_num(p, "in_sample_value");
        double ja = cu_json_num(p, "allocation.chicago") + cu_json_num(p, "allocation.kansas_city");
        ck_assert_double_eq(x[i], budgets[i]);
        ck_assert_double_eq(jx, budgets[i]);
        ck_assert_double_eq_tol(ins[i], jin, 1e-8 * (1 + fabs(jin)));
        ck_assert_msg(chi[i] >= 0 && kc[i] >= 0 && chi[i] + kc[i] <= budgets[i], "point %zu: %g + %g > budget %g", i,
                      chi[i], kc[i], budgets[i]);
        ck_assert_msg(ja <= budgets[i], "point %zu: summary.json allocation %g > budget %g", i, ja, budgets[i]);
        ck_assert_double_eq_tol(ja, chi[i] + kc[i], 0.01);
        if (i > 0) {
            double prev = cu_json_num(json_array_get(pts, i - 1), "in_sample_value");
            ck_assert_msg(jin >= prev - 1e-9 * (1 + fabs(prev)), "summary.json: in-sample %.10g at %g < %.10g at %g",
                          jin, budgets[i], prev, budgets[i - 1]);
            ck_assert_msg(ins[i] >= ins[i - 1], "sweep.csv: in_sample %.10g at %g < %.10g at %g", ins[i], budgets[i],
                          ins[i - 1], budgets[i - 1]);
        }
    }
    ck_assert_msg(ins[n - 1] > ins[0], "the optimum does not grow at all with the budget");
    json_decref(s);
}

START_TEST(test_sweep_budget)
{
    const char *dir = cu_test_dir("sweep_budget");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out"), *fc = cu_path_in(dir, "first_come");
    const double budgets[] = {50000, 112500, 175000, 237500, 300000};
    RUN_OK("sweep", "--budget", "50000:300000:62500", "-o", out, two);
    check_drawn(out, CHARTS(&C_SWEEP, &C_SWEEP_TIMELINE), 1);
    check_budget_sweep(out, budgets, 5);

    /* first_come: R_c(x) may fall as x grows, the optimum may not */
    RUN_OK("sweep", "--budget", "50000:300000:62500", "--set", "fund.policy=first_come", "--no-plots", "-o", fc, two);
    check_budget_sweep(fc, budgets, 5);
}
END_TEST

START_TEST(test_sweep_param)
{
    const char *dir = cu_test_dir("sweep_param");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out"), *bad = cu_path_in(dir, "bad");
    RUN_OK("sweep", "--param", "region.kansas_city.bond_usd.median=2000:6000:2000", "-o", out, two);
    check_drawn(out, CHARTS(&C_SWEEP, &C_SWEEP_TIMELINE), 1);
    double x[8], ins[8], kc[8];
    const char *csv = cu_path_in(out, "sweep.csv");
    ck_assert_uint_eq(csv_column(csv, "region_kansas_city_bond_usd_median", x, 8), 3);
    ck_assert_uint_eq(csv_column(csv, "in_sample_value", ins, 8), 3);
    ck_assert_uint_eq(csv_column(csv, "kansas_city_usd", kc, 8), 3);
    for (size_t i = 0; i < 3; i++)
        ck_assert_double_eq(x[i], 2000 * (double)(i + 1));
    /* the value swept reaches the scenario: every point differs, and dearer
     * bonds in Kansas City free fewer people and draw less money there */
    ck_assert(ins[0] != ins[1] && ins[1] != ins[2] && ins[0] != ins[2]);
    ck_assert_msg(ins[0] > ins[2], "median 2000: %g releases, 6000: %g", ins[0], ins[2]);
    ck_assert_msg(kc[0] > kc[2], "median 2000: %g USD to Kansas City, 6000: %g", kc[0], kc[2]);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(s, "sweep.parameter")), "region.kansas_city.bond_usd.median");
    ck_assert_uint_eq(json_array_size(cu_json_at(s, "sweep.points")), 3);
    json_decref(s);

    /* arguments the distribution does not have */
    const char *const wrong[][2] = {{"region.kansas_city.bond_usd.mean=2000:6000:2000", "'mean'"},
                                    {"region.kansas_city.bond_usd.shape=1:3:1", "'shape'"},
                                    {"region.kansas_city.hearing_delay_days.median=5:10:5", "'median'"}};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        run_result r;
        int rc = CU_RUN(&r, "sweep", "--param", wrong[i][0], "-o", bad, two);
        ck_assert_msg(rc == 2, "--param %s: exit %d\n%s", wrong[i][0], rc, r.err);
        ck_assert_msg(strstr(r.err, "fianza") && strstr(r.err, wrong[i][1]), "--param %s: message lacks %s: %s",
                      wrong[i][0], wrong[i][1], r.err);
        ck_assert_msg(cu_count_prefixed(dir, "bad") == 0, "--param %s left a results directory", wrong[i][0]);
        cu_run_free(&r);
    }
}
END_TEST

/* Quotes, backslashes, placeholders, shell and gnuplot specials, '#' (first,
 * and after a blank: a comment in a data file, or in a scenario file, hence
 * --set) and XML specials.  A newline is refused (exit 2): a label must print
 * back into a scenario file. */
#define LABEL_FILE "O'Hare \"North\" \\ back\\\\slash @N@ $HOME {x}_1 ^2 & <b>"
#define LABEL_SET "#7 it's \"KC\" \\ a\\\\b @LABELS@ $PATH #8 ;9 }{ line two\\"

START_TEST(test_label_quoting)
{
    const char *dir = cu_test_dir("labels");
    const char *ini = cu_path_in(dir, "labels.ini"), *out = cu_path_in(dir, "out");
    char *text = strdup(cu_two_regions(300)), *p = strstr(text, "label = Chicago\n");
    ck_assert_ptr_nonnull(p);
    *p = '\0';
    char buf[4096];
    snprintf(buf, sizeof buf, "%slabel = %s\n%s", text, LABEL_FILE, p + strlen("label = Chicago\n"));
    free(text);
    cu_write_file(ini, buf);
    RUN_OK("optimize", "--gap-batches", "2", "--set", "region.kansas_city.label=" LABEL_SET, "-o", out, ini);
    check_drawn(out, CHARTS(&C_HIST, &C_REGIONS, &C_DETENTION, &C_CURVES, &C_ALLOCATIONS, &C_TIMELINE), 0);

    /* the labels reach the scripts as gnuplot strings: ' doubled, the newline a blank */
    const char *want[] = {"'O''Hare \"North\" \\ back\\\\slash @N@ $HOME {x}_1 ^2 & <b>'",
                          "'#7 it''s \"KC\" \\ a\\\\b @LABELS@ $PATH #8 ;9 }{ line two\\'"};
    const char *scripts[] = {"detention.gp", "curves.gp", "allocations.gp"};
    for (size_t i = 0; i < 3; i++) {
        char *gp = cu_slurp(cu_path_in(out, scripts[i]), NULL);
        ck_assert_ptr_nonnull(gp);
        for (size_t j = 0; j < 2; j++)
            ck_assert_msg(strstr(gp, want[j]) != NULL, "%s lacks %s:\n%s", scripts[i], want[j], gp);
        free(gp);
    }
    /* both regions on the regions chart: a label starting with '#' is not a
     * comment line in regions.csv */
    char *svg = cu_slurp(cu_path_in(out, "regions.svg"), NULL);
    ck_assert_ptr_nonnull(svg);
    ck_assert_msg(strstr(svg, "#7 it") != NULL, "regions.svg lacks the Kansas City label");
    ck_assert_msg(strstr(svg, "Hare") != NULL, "regions.svg lacks the Chicago label");
    free(svg);
    /* allocation.csv and summary.json keep the labels as they are */
    char *csv = cu_slurp(cu_path_in(out, "allocation.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_msg(strstr(csv, "\nchicago,\"O'Hare \"\"North\"\" \\ back\\\\slash @N@ $HOME {x}_1 ^2 & <b>\",") != NULL,
                  "allocation.csv:\n%s", csv);
    ck_assert_msg(strstr(csv, "\nkansas_city,\"#7 it's \"\"KC\"\" \\ a\\\\b @LABELS@ $PATH #8 ;9 }{ line two\\\",") !=
                      NULL,
                  "allocation.csv:\n%s", csv);
    free(csv);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(s, "regions.chicago.label")), LABEL_FILE);
    ck_assert_str_eq(json_string_value(cu_json_at(s, "regions.kansas_city.label")), LABEL_SET);
    json_decref(s);

    /* a newline in a label is refused, naming the option */
    const char *bad = cu_path_in(dir, "bad");
    run_result r;
    int rc = CU_RUN(&r, "optimize", "--set", "region.kansas_city.label=two\nlines", "-o", bad, ini);
    ck_assert_msg(rc == 2 && strstr(r.err, "--set region.kansas_city.label") && strstr(r.err, "control"), "exit %d: %s",
                  rc, r.err);
    ck_assert_int_eq(cu_count_prefixed(dir, "bad"), 0);
    cu_run_free(&r);
}
END_TEST

/* ---- without gnuplot ---- */

/* gnuplot's absolute path, from our PATH; NULL when it is not there. */
static const char *find_gnuplot(void)
{
    static char found[1024];
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(found, sizeof found, "%.*s/gnuplot", (int)n, p);
        if (n && access(found, X_OK) == 0)
            return found;
        p += n + (p[n] == ':');
    }
    return NULL;
}

static const char *gnuplot_path(void)
{
    const char *g = find_gnuplot();
    ck_assert_msg(g != NULL, "gnuplot is not on PATH (needed to draw charts)");
    return g;
}

START_TEST(test_no_gnuplot)
{
    const char *dir = cu_test_dir("no_gnuplot");
    const char *two = cu_two_ini(dir, 300), *bin = cu_path_in(dir, "bin");
    ck_assert_int_eq(mkdir(bin, 0700), 0); /* a PATH with nothing on it */
    char path_env[600];
    snprintf(path_env, sizeof path_env, "PATH=%s", bin);
    const char *const env[] = {path_env, NULL};
    static const struct {
        const char *name, *args[6];
        const chart *charts[7];
    } runs[] = {
        {"simulate", {"simulate", "--allocation", ALLOC}, {&C_HIST, &C_REGIONS, &C_DETENTION, &C_TIMELINE}},
        {"optimize",
         {"optimize", "--gap-batches", "2"},
         {&C_HIST, &C_REGIONS, &C_DETENTION, &C_CURVES, &C_ALLOCATIONS, &C_TIMELINE}},
        {"compare",
         {"compare", "--allocation", ALLOC, "--allocation", "chicago=300000"},
         {&C_COMPARE, &C_HIST, &C_REGIONS, &C_DETENTION, &C_TIMELINE}},
        {"sweep", {"sweep", "--budget", "100000:300000:100000"}, {&C_SWEEP, &C_SWEEP_TIMELINE}},
        {"tornado", {"sweep", "--tornado", "10", "--replications", "100"}, {&C_TORNADO}},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        const char *out = cu_path_in(dir, runs[i].name);
        const char *args[16];
        size_t n = 0;
        for (size_t k = 0; runs[i].args[k]; k++)
            args[n++] = runs[i].args[k];
        args[n++] = "-o";
        args[n++] = out;
        args[n++] = two;
        args[n] = NULL;
        run_result r;
        int rc = cu_run_env(&r, dir, 60, env, args);
        ck_assert_msg(rc == 0, "%s: exit %d\n%s", runs[i].name, rc, r.err);
        ck_assert_msg(cu_count_lines(r.err) == 1 && r.err[r.nerr - 1] == '\n', "%s: stderr is not one line:\n%s",
                      runs[i].name, r.err);
        ck_assert_msg(strcasestr(r.err, "warning") && strstr(r.err, "gnuplot"), "%s: stderr: %s", runs[i].name, r.err);
        cu_run_free(&r);
        size_t nc = 0;
        for (; nc < 7 && runs[i].charts[nc]; nc++)
            check_script(out, runs[i].charts[nc], 1);
        ck_assert_int_eq(cu_count_suffixed(out, ".png"), 0);
        ck_assert_int_eq(cu_count_suffixed(out, ".svg"), 0);
        char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
        ck_assert_msg(html != NULL, "%s: no report.html", runs[i].name);
        size_t missing = 0;
        for (const char *p = html; (p = strcasestr(p, "not drawn")); p++)
            missing++;
        ck_assert_msg(missing == nc, "%s: report.html says %zu charts were not drawn, expected %zu", runs[i].name,
                      missing, nc);
        ck_assert_ptr_null(strstr(html, "<svg"));
        free(html);
    }

    /* What is left behind renders with `gnuplot NAME.gp` in the directory. */
    const char *gnuplot = gnuplot_path(), *out = cu_path_in(dir, "simulate");
    const chart *drawn[] = {&C_HIST, &C_REGIONS, &C_DETENTION, &C_TIMELINE};
    for (size_t i = 0; i < 4; i++) {
        char script[64];
        snprintf(script, sizeof script, "%s.gp", drawn[i]->name);
        run_result r;
        int rc = cu_run_prog(&r, gnuplot, out, 60, NULL, (const char *const[]){script, NULL});
        ck_assert_msg(rc == 0 && r.nerr == 0, "gnuplot %s: exit %d\n%s", script, rc, r.err);
        cu_run_free(&r);
        check_png(file_of(out, drawn[i]->name, ".png"));
        check_svg(file_of(out, drawn[i]->name, ".svg"));
    }
}
END_TEST

/* ---- compare with itself, --no-plots ---- */

static void assert_zero_ci(json_t *v, const char *key, size_t k)
{
    json_t *d = cu_json_at(v, key), *ci = cu_json_at(d, "ci95");
    ck_assert_msg(json_is_array(ci) && json_array_size(ci) == 2, "variant %zu: %s.ci95 is not a pair", k, key);
    double m = cu_json_num(d, "mean"), lo = json_number_value(json_array_get(ci, 0)),
           hi = json_number_value(json_array_get(ci, 1));
    ck_assert_msg(m == 0 && lo == 0 && hi == 0, "variant %zu: %s = %g [%g, %g], not exactly 0", k, key, m, lo, hi);
}

START_TEST(test_compare_self)
{
    const char *dir = cu_test_dir("compare_self");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out");
    /* the same allocation three times, spelled two ways */
    RUN_OK("compare", "--allocation", ALLOC, "--allocation", ALLOC, "--allocation", "kansas_city=100000,chicago=200000",
           "--no-plots", "-o", out, two);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *vs = cu_json_at(s, "variants");
    ck_assert(json_is_array(vs));
    ck_assert_uint_eq(json_array_size(vs), 3);
    for (size_t k = 0; k < 3; k++) {
        json_t *v = json_array_get(vs, k);
        ck_assert_double_eq(cu_json_num(v, "variant"), (double)k + 1);
        assert_zero_ci(v, "difference_to_first", k);
        assert_zero_ci(v, "freedom_days_difference_to_first", k);
        ck_assert_msg(json_equal(cu_json_at(v, "releases"), cu_json_at(json_array_get(vs, 0), "releases")),
                      "variant %zu: releases differ from variant 1", k + 1);
    }
    json_decref(s);
    double d[12];
    ck_assert_uint_eq(csv_column(cu_path_in(out, "compare.csv"), "releases_diff_to_first_mean", d, 12), 9);
    for (size_t k = 0; k < 9; k++) /* 3 variants x (2 regions + total) */
        ck_assert_double_eq(d[k], 0);
}
END_TEST

START_TEST(test_no_plots)
{
    const char *dir = cu_test_dir("no_plots");
    const char *two = cu_two_ini(dir, 300), *out = cu_path_in(dir, "out"), *sim = cu_path_in(dir, "sim");
    RUN_OK("optimize", "--gap-batches", "2", "--no-plots", "-o", out, two);
    ck_assert(cu_exists(cu_path_in(out, "summary.json")));
    ck_assert_int_eq(cu_count_suffixed(out, ".png"), 0);
    ck_assert_int_eq(cu_count_suffixed(out, ".svg"), 0);

    /* nor does it look for gnuplot: no warning without it */
    char path_env[600];
    snprintf(path_env, sizeof path_env, "PATH=%s", dir);
    run_result r;
    int rc = cu_run_env(&r, dir, 60, (const char *const[]){path_env, NULL},
                        (const char *const[]){"simulate", "--allocation", ALLOC, "--no-plots", "-o", sim, two, NULL});
    ck_assert_msg(rc == 0 && r.nerr == 0, "exit %d, stderr:\n%s", rc, r.err);
    cu_run_free(&r);
    ck_assert(cu_exists(cu_path_in(sim, "report.html")));
    ck_assert_int_eq(cu_count_suffixed(sim, ".png"), 0);
    ck_assert_int_eq(cu_count_suffixed(sim, ".svg"), 0);
}
END_TEST

Suite *make_charts_suite(void)
{
    Suite *s = suite_create("charts");
    TCase *drawn = tcase_create("drawn");
    tcase_add_unchecked_fixture(drawn, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(drawn, 120);
    tcase_add_test(drawn, test_simulate_charts);
    tcase_add_test(drawn, test_optimize_charts);
    tcase_add_test(drawn, test_compare_charts);
    tcase_add_test(drawn, test_tornado_charts);
    tcase_add_test(drawn, test_sweep_budget);
    tcase_add_test(drawn, test_sweep_param);
    tcase_add_test(drawn, test_label_quoting);
    suite_add_tcase(s, drawn);

    TCase *none = tcase_create("not_drawn");
    tcase_add_unchecked_fixture(none, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(none, 120);
    tcase_add_test(none, test_no_gnuplot);
    tcase_add_test(none, test_compare_self);
    tcase_add_test(none, test_no_plots);
    suite_add_tcase(s, none);
    return s;
}

/* Without gnuplot the charts cannot be drawn: skip (ctest shows "Skipped",
 * as browser_report does without chromium) rather than fail every test. */
int main(void)
{
    if (!find_gnuplot()) {
        fputs("check_charts: gnuplot is not on PATH: skipped\n", stderr);
        return FZ_CHECK_SKIP;
    }
    return fz_check_run(make_charts_suite());
}
