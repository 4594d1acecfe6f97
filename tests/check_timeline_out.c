/* check_timeline_out: the DESIGN §7 outputs (issue 12, "Outputs").
 *
 * From an eval_result filled by hand (no engine involved), asserted exactly:
 * - summary_eval_json writes paid_usd_mean (= the spent mean),
 *   refunded_usd_mean, balance_end_usd_mean, unpaid_fundable_mean and
 *   days_waited_mean (waited-days sum over releases) in total and per
 *   region, beside the old keys, and days_waited_mean is null without
 *   releases while the others stay numbers;
 * - the console's money table: exact text, with the refunded and days
 *   waited columns only when a region uses the ledger, a reserve line, n/a
 *   for days waited without releases;
 * - timeline_json: {"day", "releases": {mean, p05, p50, p95}, "balance_usd":
 *   {...}} with the grid's values, a non-finite value as null, and null for
 *   an empty timeline;
 * - timeline.csv: the exact header, one row per grid day, the values, an
 *   empty cell for a non-finite value, the header alone for an empty grid;
 * - timeline_outputs writes timeline.gp (no placeholder left) and, when
 *   gnuplot is on PATH, renders a whole timeline.png and .svg (skipped
 *   otherwise: gnuplot's absence is a warning, never a failure);
 * (Infeasible baselines, DESIGN §3: check_feasible.c.)
 * Through the CLI:
 * - simulate, optimize and compare write the five keys (total and per
 *   region, and per compare variant), "timeline", and timeline.csv whose
 *   rows match the timeline in summary.json; the money table is printed;
 * - sweep --budget: per point the five keys and a timeline (balance on day
 *   0 = the point's budget), timeline.csv with the budget first. */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "eval.h"
#include "json_guard.h"
#include "outdir.h"
#include "plot.h"
#include "scenario.h"
#include "summary.h"
#include "timeline_out.h"

#define TL_HEADER                                                                                                \
    "day,releases_cum_mean,releases_cum_p05,releases_cum_p50,releases_cum_p95,balance_usd_mean,balance_usd_p05," \
    "balance_usd_p50,balance_usd_p95\n"

static scenario *load_two(void) { return cu_load_two(4); }

/* A hand-made result: 1 allocation, 2 regions, 4 replications. */
typedef struct hand {
    eval_result r;
    eval_alloc a;
    eval_region g[2];
    double alloc[2], totals[4];
    uint64_t tcount[1]; /* the tally of totals: 4 times releases.mean */
    double day[3], rm[3], r05[3], r50[3], r95[3], bm[3], b05[3], b50[3], b95[3];
} hand;

static void acc(stat_acc *a, double x0, double x1, double x2, double x3)
{
    stat_add(a, x0), stat_add(a, x1), stat_add(a, x2), stat_add(a, x3);
}

static void hand_fill(hand *h, int releases)
{
    memset(h, 0, sizeof *h);
    h->r.nalloc = 1, h->r.nregions = 2, h->r.nreps = 4;
    h->r.allocs = &h->a;
    h->a.alloc = h->alloc, h->a.totals = h->totals, h->a.regions = h->g;
    h->alloc[0] = 150000, h->alloc[1] = 100000; /* 50000 unallocated: the reserve */
    for (size_t c = 0; c < 2; c++) {
        eval_region *g = &h->g[c];
        double k = c + 1.0, r = releases ? k * 10 : 0;
        acc(&g->releases, r, r, r + releases * 2, r - releases * 2);
        acc(&g->spent, 1000 * k, 2000 * k, 3000 * k, 4000 * k); /* mean 2500 k */
        acc(&g->fundable, 20 * k, 20 * k, 20 * k, 20 * k);
        acc(&g->freedom_days, 0, 0, 0, 0);
        acc(&g->refunded, 100 * k, 0, 300 * k, 0);                 /* mean 100 k */
        acc(&g->balance_end, 500 * k, 700 * k, 900 * k, 1100 * k); /* mean 800 k */
        acc(&g->unpaid, 1, 2, 3, 6 * k);
        g->detention_days_sum = 40 * r * 4;
        g->waited_days_sum = releases ? 3 * k * (r * 4) : 0; /* mean 3 k days */
    }
    acc(&h->a.releases, 30, 30, 36, 24);
    acc(&h->a.spent, 3000, 6000, 9000, 12000);
    acc(&h->a.freedom_days, 0, 0, 0, 0);
    acc(&h->a.refunded, 300, 0, 900, 0);                   /* mean 300 */
    acc(&h->a.balance_end, 51500, 52100, 52700, 53300);    /* mean 52400: regions plus the reserve */
    acc(&h->a.unpaid, 2, 4, 6, 18);                        /* mean 7.5 */
    h->a.waited_days_sum = releases ? 3 * 40 + 6 * 80 : 0; /* over 120 releases: 5 days */
    h->a.reserve_end = 50000;
    for (size_t i = 0; i < 4; i++)
        h->totals[i] = h->a.releases.mean;
    h->tcount[0] = 4;
    h->a.dist = (tally){.n = 4, .lo = (int64_t)h->a.releases.mean, .span = 1, .count = h->tcount};
    double day[3] = {0, 45, 90};
    for (size_t j = 0; j < 3; j++) {
        h->day[j] = day[j];
        h->rm[j] = 10.5 * (double)j, h->r05[j] = 8.0 * (double)j, h->r50[j] = 10.0 * (double)j;
        h->r95[j] = 13.0 * (double)j;
        h->bm[j] = 300000 - 100000.25 * (double)j, h->b05[j] = 290000 - 120000 * (double)j;
        h->b50[j] = 300000 - 100000 * (double)j, h->b95[j] = 310000 - 80000 * (double)j;
    }
    h->b95[1] = NAN; /* undefined: null in JSON, an empty cell in the CSV */
    h->r.timeline = (eval_timeline){3, h->day, h->rm, h->r05, h->r50, h->r95, h->bm, h->b05, h->b50, h->b95};
}

static double num_at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

#define EQ(a, b) ck_assert_msg(fabs((a) - (b)) <= 1e-9 * (1 + fabs(b)), "%s = %.17g, expected %.17g", #a, (a), (b))

START_TEST(test_summary_money_keys)
{
    scenario *s = load_two();
    hand h;
    hand_fill(&h, 1);
    json_t *j = summary_eval_json(s, &h.r, 0);
    ck_assert_ptr_nonnull(j);
    fz_error err = {0};
    ck_assert_msg(json_guard_check(j, "summary.json", &err) == 0, "%s", err.msg);
    EQ(num_at(j, "paid_usd_mean"), 7500.0);
    EQ(num_at(j, "paid_usd_mean"), cu_json_num(j, "spent_usd.mean")); /* gross paid = the spent mean */
    EQ(num_at(j, "refunded_usd_mean"), 300.0);
    EQ(num_at(j, "balance_end_usd_mean"), 52400.0);
    EQ(num_at(j, "unpaid_fundable_mean"), 7.5);
    EQ(num_at(j, "days_waited_mean"), 5.0);
    static const char *const names[2] = {"chicago", "kansas_city"};
    for (size_t c = 0; c < 2; c++) {
        json_t *g = json_object_get(json_object_get(j, "regions"), names[c]);
        ck_assert_ptr_nonnull(g);
        double k = c + 1.0;
        EQ(num_at(g, "paid_usd_mean"), 2500 * k);
        EQ(num_at(g, "paid_usd_mean"), num_at(g, "spent_usd_mean"));
        EQ(num_at(g, "refunded_usd_mean"), 100 * k);
        EQ(num_at(g, "balance_end_usd_mean"), 800 * k);
        EQ(num_at(g, "unpaid_fundable_mean"), c ? 4.5 : 3.0);
        EQ(num_at(g, "days_waited_mean"), 3 * k);
        /* the old keys are still there */
        EQ(num_at(g, "releases_mean"), 10 * k);
        EQ(num_at(g, "days_in_detention_mean"), 40.0);
    }
    json_decref(j);
    scenario_free(s);
}
END_TEST

START_TEST(test_summary_waited_null)
{
    scenario *s = load_two();
    hand h;
    hand_fill(&h, 0);
    json_t *j = summary_eval_json(s, &h.r, 0);
    fz_error err = {0};
    ck_assert_msg(json_guard_check(j, "summary.json", &err) == 0, "%s", err.msg);
    ck_assert(json_is_null(json_object_get(j, "days_waited_mean")));
    ck_assert(json_is_number(json_object_get(j, "paid_usd_mean")));
    ck_assert(json_is_number(json_object_get(j, "refunded_usd_mean")));
    ck_assert(json_is_number(json_object_get(j, "balance_end_usd_mean")));
    ck_assert(json_is_number(json_object_get(j, "unpaid_fundable_mean")));
    json_t *g = json_object_get(json_object_get(j, "regions"), "kansas_city");
    ck_assert(json_is_null(json_object_get(g, "days_waited_mean")));
    ck_assert(json_is_number(json_object_get(g, "balance_end_usd_mean")));
    json_decref(j);
    scenario_free(s);
}
END_TEST

/* The money table, from the hand-made result into a string. */
static char *money_table(const scenario *s, const eval_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    summary_print_money(f, s, r, 0);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

START_TEST(test_money_table)
{
    scenario *s = load_two();
    hand h;
    hand_fill(&h, 1);
    char *t = money_table(s, &h.r); /* no §7 key: refunded and days waited left out */
    ck_assert_str_eq(t, "money (mean)             paid balance at end unpaid fundable\n"
                        "Chicago                  2500            800             3.0\n"
                        "Kansas City              5000           1600             4.5\n"
                        "reserve                                50000\n"
                        "total                    7500          52400             7.5\n");
    free(t);
    s->regions[1].refund_prob = 0.5; /* one region on the ledger: both columns, for every row */
    ck_assert(summary_shows_ledger(s));
    t = money_table(s, &h.r);
    ck_assert_str_eq(t, "money (mean)             paid     refunded balance at end unpaid fundable days waited\n"
                        "Chicago                  2500          100            800             3.0         3.0\n"
                        "Kansas City              5000          200           1600             4.5         6.0\n"
                        "reserve                                             50000\n"
                        "total                    7500          300          52400             7.5         5.0\n");
    free(t);
    hand_fill(&h, 0); /* no releases: days waited n/a */
    t = money_table(s, &h.r);
    ck_assert_ptr_nonnull(strstr(t, "7.5         n/a\n"));
    free(t);
    scenario_free(s);
}
END_TEST

START_TEST(test_timeline_json)
{
    hand h;
    hand_fill(&h, 1);
    json_t *t = timeline_json(&h.r.timeline);
    ck_assert(json_is_object(t));
    ck_assert_uint_eq(json_object_size(t), 3);
    json_t *day = json_object_get(t, "day");
    ck_assert_uint_eq(json_array_size(day), 3);
    EQ(json_number_value(json_array_get(day, 2)), 90.0);
    static const char *const q[4] = {"mean", "p05", "p50", "p95"};
    const double *rel[4] = {h.rm, h.r05, h.r50, h.r95}, *bal[4] = {h.bm, h.b05, h.b50, h.b95};
    for (size_t k = 0; k < 4; k++) {
        json_t *ra = json_object_get(json_object_get(t, "releases"), q[k]);
        json_t *ba = json_object_get(json_object_get(t, "balance_usd"), q[k]);
        ck_assert_uint_eq(json_array_size(ra), 3);
        ck_assert_uint_eq(json_array_size(ba), 3);
        for (size_t i = 0; i < 3; i++) {
            EQ(json_number_value(json_array_get(ra, i)), rel[k][i]);
            if (isfinite(bal[k][i]))
                EQ(json_number_value(json_array_get(ba, i)), bal[k][i]);
            else
                ck_assert(json_is_null(json_array_get(ba, i)));
        }
    }
    fz_error err = {0};
    ck_assert_int_eq(json_guard_check(t, "summary.json", &err), 0);
    json_decref(t);
    eval_timeline empty = {0};
    t = timeline_json(&empty);
    ck_assert(json_is_null(t));
    json_decref(t);
}
END_TEST

/* Runs fn into a fresh results directory, commits it, returns its path. */
static const char *with_outdir(const char *name, int (*fn)(outdir *, void *), void *ctx)
{
    const char *dir = cu_test_dir(name), *out = cu_path_in(dir, "out");
    outdir *o = NULL;
    fz_error err = {0};
    ck_assert_msg(outdir_begin(&o, out, NULL, 0, &err) == 0, "%s", err.msg);
    ck_assert_msg(fn(o, ctx) == 0, "write failed");
    ck_assert_msg(outdir_commit(o, &err) == 0, "%s", err.msg);
    return out;
}

static int write_csv(outdir *o, void *ctx)
{
    fz_error err = {0};
    return timeline_csv(o, ctx, &err);
}

START_TEST(test_timeline_csv)
{
    hand h;
    hand_fill(&h, 1);
    const char *out = with_outdir("csv", write_csv, &h.r.timeline);
    char *csv = cu_slurp(cu_path_in(out, "timeline.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_str_eq(csv, TL_HEADER "0,0,0,0,0,300000,290000,300000,310000\n"
                                    "45,10.5,8,10,13,199999.75,170000,200000,\n"
                                    "90,21,16,20,26,99999.5,50000,100000,150000\n");
    ck_assert_uint_eq(cu_count_lines(csv) - 1, h.r.timeline.n);
    free(csv);
    eval_timeline empty = {0};
    out = with_outdir("csv_empty", write_csv, &empty);
    csv = cu_slurp(cu_path_in(out, "timeline.csv"), NULL);
    ck_assert_str_eq(csv, TL_HEADER);
    free(csv);
}
END_TEST

typedef struct chart_ctx {
    const scenario *s;
    const eval_result *r;
    json_t *doc;
    charts_list list;
} chart_ctx;

static int write_chart(outdir *o, void *ctx)
{
    chart_ctx *c = ctx;
    fz_error err = {0};
    int rc = timeline_outputs(o, c->doc, c->s, c->r, "test allocation", &c->list, &err);
    if (!rc)
        rc = charts_render(o, &c->list, 0, 1, &err);
    return rc;
}

static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        char f[1024];
        snprintf(f, sizeof f, "%.*s/%s", (int)n, p, prog);
        if (n && access(f, X_OK) == 0)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

START_TEST(test_timeline_chart)
{
    scenario *s = load_two();
    hand h;
    hand_fill(&h, 1);
    h.b95[1] = 250000; /* a finite band for the chart */
    chart_ctx c = {s, &h.r, json_object(), {{0}, 0}};
    const char *out = with_outdir("chart", write_chart, &c);
    ck_assert_uint_eq(c.list.n, 1);
    ck_assert_str_eq(c.list.names[0], "timeline");
    ck_assert(json_is_object(json_object_get(c.doc, "timeline")));
    char *gp = cu_slurp(cu_path_in(out, "timeline.gp"), NULL);
    ck_assert_ptr_nonnull(gp);
    ck_assert_ptr_nonnull(strstr(gp, "'timeline.csv'"));
    ck_assert_ptr_nonnull(strstr(gp, "How soon: cumulative releases"));
    ck_assert_ptr_nonnull(strstr(gp, "When does the money run out"));
    ck_assert_ptr_nonnull(strstr(gp, "two: test allocation, over 90 days"));
    ck_assert_ptr_null(strstr(gp, "@TITLE@"));
    free(gp);
    ck_assert(cu_exists(cu_path_in(out, "theme.gp")));
    if (on_path("gnuplot")) {
        size_t len;
        char *png = cu_slurp(cu_path_in(out, "timeline.png"), &len);
        ck_assert_msg(png != NULL, "timeline.png missing");
        ck_assert_uint_gt(len, 2048);
        ck_assert(memcmp(png + 1, "PNG", 3) == 0);
        free(png);
        char *svg = cu_slurp(cu_path_in(out, "timeline.svg"), NULL);
        ck_assert_ptr_nonnull(svg);
        ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
        free(svg);
        char *log = cu_slurp(cu_path_in(out, "gnuplot.log"), NULL);
        ck_assert_msg(!log || !strcasestr(log, "warning"), "gnuplot.log:\n%s", log);
        free(log);
    }
    /* an empty grid: the JSON says null, the CSV has its header, no chart */
    eval_result empty = h.r;
    empty.timeline = (eval_timeline){0};
    chart_ctx e = {s, &empty, json_object(), {{0}, 0}};
    out = with_outdir("chart_empty", write_chart, &e);
    ck_assert_uint_eq(e.list.n, 0);
    ck_assert(json_is_null(json_object_get(e.doc, "timeline")));
    ck_assert(!cu_exists(cu_path_in(out, "timeline.gp")));
    json_decref(c.doc);
    json_decref(e.doc);
    scenario_free(s);
}
END_TEST

/* ---- through the command line ---- */

static void assert_money(json_t *o, const char *where)
{
    static const char *const keys[] = {"paid_usd_mean", "refunded_usd_mean", "balance_end_usd_mean",
                                       "unpaid_fundable_mean"};
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(json_is_number(json_object_get(o, keys[i])), "%s: %s missing", where, keys[i]);
    json_t *w = json_object_get(o, "days_waited_mean");
    ck_assert_msg(w && (json_is_number(w) || json_is_null(w)), "%s: days_waited_mean missing", where);
    if (json_object_get(o, "spent_usd")) /* paid is the gross amount: spent */
        EQ(json_number_value(json_object_get(o, "paid_usd_mean")), cu_json_num(o, "spent_usd.mean"));
    else if (json_object_get(o, "spent_usd_mean"))
        EQ(json_number_value(json_object_get(o, "paid_usd_mean")), cu_json_num(o, "spent_usd_mean"));
}

/* The five keys in total and per region, the timeline, and timeline.csv
 * agreeing with it row by row. */
static void assert_outputs(const char *out)
{
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    assert_money(j, "total");
    const char *k;
    json_t *g;
    json_object_foreach(json_object_get(j, "regions"), k, g) assert_money(g, k);
    json_t *t = json_object_get(j, "timeline");
    ck_assert_msg(t != NULL, "no timeline in summary.json");
    char *csv = cu_slurp(cu_path_in(out, "timeline.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_int_eq(strncmp(csv, TL_HEADER, strlen(TL_HEADER)), 0);
    size_t n = json_is_null(t) ? 0 : json_array_size(json_object_get(t, "day"));
    ck_assert_uint_eq(cu_count_lines(csv) - 1, n);
    const char *line = csv + strlen(TL_HEADER);
    for (size_t i = 0; i < n; i++) {
        char *end;
        EQ(strtod(line, &end), json_number_value(json_array_get(json_object_get(t, "day"), i)));
        ck_assert(*end == ',');
        double rm = strtod(end + 1, &end);
        EQ(rm, json_number_value(json_array_get(cu_json_at(t, "releases.mean"), i)));
        line = strchr(line, '\n') + 1;
    }
    /* with 2 or more replications every value is defined, the percentiles
     * are ordered, and cumulative releases never fall */
    static const char *const series[2] = {"releases", "balance_usd"};
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < 2; q++) {
            char path[64];
            double v[4];
            static const char *const st[4] = {"mean", "p05", "p50", "p95"};
            for (size_t k = 0; k < 4; k++) {
                snprintf(path, sizeof path, "%s.%s", series[q], st[k]);
                json_t *x = json_array_get(cu_json_at(t, path), i);
                ck_assert_msg(json_is_number(x), "%s: timeline.%s[%zu] is not a number", out, path, i);
                v[k] = json_number_value(x);
            }
            ck_assert_msg(v[1] <= v[2] && v[2] <= v[3], "%s: %s day %zu: p05 %g, p50 %g, p95 %g", out, series[q], i,
                          v[1], v[2], v[3]);
            if (q == 0 && i > 0)
                ck_assert(v[0] >= json_number_value(json_array_get(cu_json_at(t, "releases.mean"), i - 1)));
        }
    if (n) { /* the last grid point is H, and its releases are the mean releases */
        EQ(json_number_value(json_array_get(json_object_get(t, "day"), n - 1)), cu_json_num(j, "horizon_days"));
        EQ(json_number_value(json_array_get(cu_json_at(t, "releases.mean"), n - 1)), cu_json_num(j, "releases.plain.mean"));
    }
    free(csv);
    json_decref(j);
    char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "<h3>Money over the horizon</h3>"));
    ck_assert_ptr_nonnull(strstr(html, "<th>unpaid fundable cases</th><th>days waited</th>"));
    ck_assert_ptr_nonnull(strstr(html, "<figure id=\"timeline\">"));
    free(html);
}

START_TEST(test_cli_outputs)
{
    const char *dir = cu_test_dir("cli");
    const char *two = cu_two_ini(dir, 50);
    const char *sim = cu_path_in(dir, "sim"), *opt = cu_path_in(dir, "opt"), *cmp = cu_path_in(dir, "cmp");
    run_result r;
    int rc = CU_RUN(&r, "simulate", "--allocation", "chicago=200000,kansas_city=100000", "--no-plots", "-o", sim, two);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "money (mean)"));
    ck_assert_ptr_nonnull(strstr(r.out, "balance at end"));
    ck_assert_ptr_nonnull(strstr(r.out, "unpaid fundable"));
    ck_assert_ptr_null(strstr(r.out, "refunded")); /* no §7 key set: the old table stays readable */
    cu_run_free(&r);
    assert_outputs(sim);
    rc = CU_RUN(&r, "optimize", "--gap-batches", "2", "--no-plots", "-o", opt, two);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "money (mean)"));
    cu_run_free(&r);
    assert_outputs(opt);
    rc = CU_RUN(&r, "compare", "--allocation", "chicago=200000,kansas_city=100000", "--allocation",
                "chicago=100000,kansas_city=200000", "--no-plots", "-o", cmp, two);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "#2 total"));
    cu_run_free(&r);
    assert_outputs(cmp);
    json_t *j = cu_load_json(cu_path_in(cmp, "summary.json"));
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(j, "variants"), i, v)
    {
        assert_money(v, "variant");
        ck_assert(json_object_get(v, "timeline") == NULL); /* once, at the top: variant 1's */
    }
    json_decref(j);
}
END_TEST

START_TEST(test_cli_ledger_columns)
{
    const char *dir = cu_test_dir("ledger"), *ini = cu_path_in(dir, "l.ini"), *out = cu_path_in(dir, "out");
    cu_write_file(ini, "[fund]\nbudget_usd = 30000\nhorizon_days = 60\nqueue = wait\npolicy = first_come\n"
                       "[simulation]\nreplications = 20\nseed = 3\n"
                       "[region.a]\ninitial_detained = 30\nrefund_prob = 0.5\ncase_duration_days = fixed(10)\n");
    run_result r;
    int rc = CU_RUN(&r, "simulate", "--allocation", "a=30000", "--no-plots", "-o", out, ini);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "refunded"));
    ck_assert_ptr_nonnull(strstr(r.out, "days waited"));
    cu_run_free(&r);
    assert_outputs(out);
}
END_TEST

/* sweep --budget: each point's five totals and timeline in summary.json,
 * timeline.csv with the budget first and one row per point and grid day,
 * whose balance on day 0 is the point's budget (its own, not the scenario's). */
START_TEST(test_cli_sweep)
{
    const char *dir = cu_test_dir("sweep"), *two = cu_two_ini(dir, 40), *out = cu_path_in(dir, "out");
    run_result r;
    int rc = CU_RUN(&r, "sweep", "--budget", "100000:300000:100000", "--no-plots", "-o", out, two);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *pts = cu_json_at(j, "sweep.points"), *p;
    ck_assert_uint_eq(json_array_size(pts), 3);
    char *csv = cu_slurp(cu_path_in(out, "timeline.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_int_eq(strncmp(csv, "budget_usd," TL_HEADER, strlen("budget_usd," TL_HEADER)), 0);
    const char *line = csv + strlen("budget_usd," TL_HEADER);
    size_t i, rows = 0;
    json_array_foreach(pts, i, p)
    {
        assert_money(p, "sweep point");
        json_t *t = json_object_get(p, "timeline");
        ck_assert(json_is_object(t));
        size_t n = json_array_size(json_object_get(t, "day"));
        ck_assert_uint_gt(n, 2);
        double x = cu_json_num(p, "x");
        EQ(json_number_value(json_array_get(cu_json_at(t, "balance_usd.mean"), 0)), x);
        EQ(json_number_value(json_array_get(cu_json_at(t, "releases.mean"), n - 1)), cu_json_num(p, "releases.mean"));
        for (size_t d = 0; d < n; d++, rows++) {
            char *end;
            EQ(strtod(line, &end), x);
            EQ(strtod(end + 1, &end), json_number_value(json_array_get(json_object_get(t, "day"), d)));
            line = strchr(line, '\n') + 1;
        }
    }
    ck_assert_uint_eq(cu_count_lines(csv) - 1, rows);
    free(csv);
    json_decref(j);
}
END_TEST

Suite *make_timeline_out_suite(void)
{
    Suite *s = suite_create("timeline_out");
    TCase *unit = tcase_create("unit");
    tcase_add_unchecked_fixture(unit, cu_work_setup, cu_work_teardown);
    tcase_add_test(unit, test_summary_money_keys);
    tcase_add_test(unit, test_summary_waited_null);
    tcase_add_test(unit, test_money_table);
    tcase_add_test(unit, test_timeline_json);
    tcase_add_test(unit, test_timeline_csv);
    tcase_add_test(unit, test_timeline_chart);
    suite_add_tcase(s, unit);
    TCase *cli = tcase_create("cli");
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(cli, 120);
    tcase_add_test(cli, test_cli_outputs);
    tcase_add_test(cli, test_cli_ledger_columns);
    tcase_add_test(cli, test_cli_sweep);
    suite_add_tcase(s, cli);
    return s;
}

FZ_CHECK_MAIN(timeline_out)
