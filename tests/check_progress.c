/* check_progress: progress and the run-time estimate (issue 14 items 5 and 8).
 *
 * - The ETA model (progress.h) with made-up costs: each stage's seconds,
 *   the total, what is left mid-stage at a measured pace, solves of the gap
 *   batches counted once a batch is past, costs learnt from a finished stage.
 * - The bar and plain lines with a fake clock into a file: one plain line
 *   per stage with its count, elapsed time and a rate above 0; the bar never
 *   reads 0/s once work is done, names the gap's batch and says when its
 *   solve runs, and its ticker shows a solve's elapsed time; an outer loop
 *   counts its steps; the mode from --quiet and FIANZA_PROGRESS.
 * - optimize_run's stages through a recording callback: curves, MIP,
 *   evaluate, wait-and-see, gap in order, each count nondecreasing up to its
 *   total (replications: the gap's is batches x batch replications).
 * - The pilot estimate: its stages add up to the whole, the gap is batches
 *   times (a batch's curve pass plus a solve), every cost measured > 0.
 * - The CLI with stderr to a file (not a terminal: plain mode): one line per
 *   stage for optimize, per point for sweep, per step for budget, one for
 *   compare; --quiet prints nothing on stderr. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "cli.h"
#include "cli_util.h"
#include "estimate.h"
#include "optimize.h"
#include "progress.h"
#include "scenario.h"

/* ---- the ETA model ---- */

static progress_model model4(void)
{
    progress_model m = {.n = 4, .unit_cost = {0.001, 0.002, 0, 0}, .solve_cost = 0.5};
    m.st[0] = (progress_stage_plan){"curves", 1000, 0, 0};
    m.st[1] = (progress_stage_plan){"MIP", 0, 1, 0};
    m.st[2] = (progress_stage_plan){"evaluate", 1000, 0, 1};
    m.st[3] = (progress_stage_plan){"gap", 10000, 10, 0}; /* 10 batches of 1000 */
    return m;
}

START_TEST(test_eta_arithmetic)
{
    progress_model m = model4();
    ck_assert_double_eq_tol(progress_model_stage(&m, 0), 1.0, 1e-12);
    ck_assert_double_eq_tol(progress_model_stage(&m, 1), 0.5, 1e-12);
    ck_assert_double_eq_tol(progress_model_stage(&m, 2), 2.0, 1e-12);
    ck_assert_double_eq_tol(progress_model_stage(&m, 3), 10 + 5, 1e-12);
    ck_assert_double_eq_tol(progress_model_total(&m), 18.5, 1e-12);
    /* before any work: the whole plan */
    ck_assert_double_eq_tol(progress_model_left(&m, 0, 0, 0, 0), 18.5, 1e-12);
    /* half the curves in 1 s, twice the model's 0.5 s: the rest of them and
     * the gap's curve passes (the same work) at that pace, the rest as modelled */
    ck_assert_double_eq_tol(progress_model_left(&m, 0, 500, 1.0, 0), 1 + 0.5 + 2 + (20 + 5), 1e-9);
    /* the solve: its model time less what has passed, never below 0 */
    ck_assert_double_eq_tol(progress_model_left(&m, 1, 0, 0, 0.2), 0.3 + 2 + 15, 1e-9);
    ck_assert_double_eq_tol(progress_model_left(&m, 1, 0, 0, 9.0), 2 + 15, 1e-9);
    /* the gap after 5 batches and one replication of the 6th: 5 solves are
     * past; at the model's pace exactly, 4999 replications and 5 solves remain */
    double did = 5001 * 0.001 + 5 * 0.5;
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 5001, did, 0), 4999 * 0.001 + 5 * 0.5, 1e-9);
    /* at the end of batch 6's curves its solve is still to come */
    did = 6000 * 0.001 + 5 * 0.5;
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 6000, did, 0), 4000 * 0.001 + 5 * 0.5, 1e-9);
    /* batch 6's solve running for 0.2 s of its 0.5: 0.3 s of it left; run
     * over (2 s): no less than the work after it */
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 6000, did, 0.2), 4000 * 0.001 + 5 * 0.5 - 0.2, 1e-9);
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 6000, did, 2.0), 4000 * 0.001 + 4 * 0.5, 1e-9);
    /* between counts of the curve pass: the time since comes off */
    ck_assert_double_eq_tol(progress_model_left(&m, 0, 500, 0.5, 0.1), 0.4 + 0.5 + 2 + 15, 1e-9);
    /* every replication done: the last batch's solve is left */
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 10000, 10 + 9 * 0.5, 0), 0.5, 1e-9);
    /* a stage past the plan: unknown */
    ck_assert(isnan(progress_model_left(&m, 9, 0, 0, 0)));
}
END_TEST

START_TEST(test_eta_learn)
{
    progress_model m = model4();
    progress_model_learn(&m, 0, 3.0); /* curves: 3 ms per replication, not 1 */
    ck_assert_double_eq_tol(m.unit_cost[0], 0.003, 1e-12);
    progress_model_learn(&m, 1, 2.0); /* the solve took 2 s */
    ck_assert_double_eq_tol(m.solve_cost, 2.0, 1e-12);
    /* the gap, before it starts, at the measured costs: 10 passes of the
     * curves' work (3 s each) and 10 solves (2 s each) */
    ck_assert_double_eq_tol(progress_model_left(&m, 3, 0, 0, 0), 30 + 20, 1e-9);
    /* a gap stage's cost leaves its solves out */
    progress_model_learn(&m, 3, 60.0);
    ck_assert_double_eq_tol(m.unit_cost[0], (60.0 - 20) / 10000, 1e-12);
}
END_TEST

/* ---- the bar and plain lines, with a fake clock ---- */

static double fake_now;
static double fake_clock(void) { return fake_now; }

static char *read_all(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    rewind(f);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    return buf;
}

/* The run of model4 at the model's pace: curves in blocks of 100, etc. */
static void feed(cli_progress *p)
{
    for (size_t d = 0; d <= 1000; d += 100, fake_now += 0.1)
        cli_progress_stage(p, "curves", d, 1000);
    cli_progress_stage(p, "MIP", 0, 0);
    fake_now += 0.5;
    for (size_t d = 0; d <= 1000; d += 250, fake_now += 0.5)
        cli_progress_stage(p, "evaluate", d, 1000);
    for (size_t b = 0; b < 10; b++) {
        for (size_t d = 0; d <= 1000; d += 500, fake_now += 0.5)
            cli_progress_stage(p, "gap", b * 1000 + d, 10000);
        fake_now += 0.5; /* the batch's solve */
    }
    cli_progress_done(p);
}

START_TEST(test_plain_lines)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    cli_progress p;
    fake_now = 100;
    cli_progress_start(&p, PROGRESS_PLAIN, f, fake_clock, "optimize");
    progress_model m = model4();
    cli_progress_plan(&p, &m);
    feed(&p);
    char *text = read_all(f);
    ck_assert_uint_eq(cu_count_lines(text), 4);
    const char *want[] = {"fianza: curves: 1000/1000 replications in 1.1 s (", "fianza: MIP: done in 0.5 s; about ",
                          "fianza: evaluate: 1000/1000 replications in 2.5 s (",
                          "fianza: gap (10 batches): 10000/10000 replications in "};
    const char *line = text;
    for (int i = 0; i < 4; i++, line = strchr(line, '\n') + 1)
        ck_assert_msg(!strncmp(line, want[i], strlen(want[i])), "line %d: %s", i, line);
    /* a rate above 0 in every counted stage: "(909 replications/s)" */
    for (line = text; (line = strstr(line, "replications in ")); line++) {
        const char *r = strchr(line, '(');
        ck_assert_ptr_nonnull(r);
        ck_assert_msg(strtod(r + 1, NULL) > 0, "rate: %s", line);
    }
    free(text);
    fclose(f);
}
END_TEST

START_TEST(test_bar_rate_and_eta)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    cli_progress p;
    fake_now = 5;
    cli_progress_start(&p, PROGRESS_BAR, f, fake_clock, "optimize");
    progress_model m = model4();
    cli_progress_plan(&p, &m);
    cli_progress_stage(&p, "curves", 0, 1000);
    fake_now += 0.5;
    cli_progress_stage(&p, "curves", 500, 1000);
    char *text = read_all(f);
    /* the last redraw: 500/1000 at 1000 replications/s, 18 s left (the
     * model's 18.5 less the 0.5 s measured) */
    const char *last = strrchr(text, '\r');
    ck_assert_ptr_nonnull(last);
    ck_assert_msg(strstr(last, "curves [##########          ] 500/1000 1000/s  18 s left"), "bar: %s", last);
    ck_assert_ptr_null(strstr(text, " 0/s"));
    free(text);
    /* into the gap: its label counts batches, and says when one's solve runs */
    cli_progress_stage(&p, "MIP", 0, 0);
    fake_now += 1;
    cli_progress_stage(&p, "gap", 2500, 10000);
    text = read_all(f);
    last = strrchr(text, '\r');
    ck_assert_msg(strstr(last, "gap batch 3/10 ["), "bar: %s", last);
    free(text);
    fake_now += 1;
    cli_progress_stage(&p, "gap", 3000, 10000);
    text = read_all(f);
    last = strrchr(text, '\r');
    ck_assert_msg(strstr(last, "gap batch 3/10 solving ["), "bar: %s", last);
    free(text);
    cli_progress_done(&p);
    fclose(f);
}
END_TEST

/* A solve reports nothing while it runs: the bar's ticker shows its time. */
START_TEST(test_bar_ticks_during_solve)
{
    FILE *f = tmpfile();
    cli_progress p;
    fake_now = 0;
    cli_progress_start(&p, PROGRESS_BAR, f, fake_clock, "optimize");
    progress_model m = model4();
    cli_progress_plan(&p, &m);
    cli_progress_stage(&p, "curves", 1000, 1000);
    cli_progress_stage(&p, "MIP", 0, 0);
    ck_assert(p.ticking);
    fake_now = 7;
    struct timespec wait = {1, 500000000}; /* 3 ticks */
    nanosleep(&wait, NULL);
    cli_progress_done(&p);
    ck_assert(!p.ticking);
    char *text = read_all(f);
    ck_assert_msg(strstr(text, "\rMIP solving 7.0 s (expected 0.5 s)"), "bar: %s", text);
    free(text);
    fclose(f);
}
END_TEST

START_TEST(test_outer_steps)
{
    FILE *f = tmpfile();
    cli_progress p;
    fake_now = 0;
    cli_progress_start(&p, PROGRESS_PLAIN, f, fake_clock, "sweep");
    for (size_t i = 0; i < 4; i++) {
        cli_progress_outer(&p, "sweep", i, 4);
        cli_progress_stage(&p, "curves", 0, 100);
        fake_now += 2;
        cli_progress_stage(&p, "curves", 100, 100);
        cli_progress_stage(&p, "MIP", 0, 0);
        fake_now += 1;
        cli_progress_outer(&p, "sweep", i + 1, 4);
    }
    cli_progress_done(&p);
    char *text = read_all(f);
    /* one line per point (the inner stages make none), the pace 3 s a point */
    ck_assert_uint_eq(cu_count_lines(text), 4);
    ck_assert_msg(strstr(text, "fianza: sweep: 1/4 in 3.0 s (3.0 s each); about 9.0 s left\n"), "%s", text);
    ck_assert_msg(strstr(text, "fianza: sweep: 4/4 in 12 s (3.0 s each)\n"), "%s", text);
    free(text);
    fclose(f);
}
END_TEST

START_TEST(test_off_prints_nothing)
{
    FILE *f = tmpfile();
    cli_progress p;
    fake_now = 0;
    cli_progress_start(&p, PROGRESS_OFF, f, fake_clock, "optimize");
    feed(&p);
    cli_progress_outer(&p, "sweep", 1, 2);
    fflush(f);
    ck_assert_int_eq(ftell(f), 0);
    fclose(f);
}
END_TEST

/* --quiet wins; FIANZA_PROGRESS chooses; auto: plain, stderr being a file here */
START_TEST(test_mode)
{
    cli_opts o = {.quiet = 0}, q = {.quiet = 1};
    FILE *f = tmpfile();
    ck_assert_int_ne(dup2(fileno(f), STDERR_FILENO), -1); /* not a terminal, whatever ran the suite */
    const char *values[] = {"auto", "bar", "plain", "off"};
    const int want[] = {PROGRESS_PLAIN, PROGRESS_BAR, PROGRESS_PLAIN, PROGRESS_OFF};
    for (int i = 0; i < 4; i++) {
        setenv("FIANZA_PROGRESS", values[i], 1);
        ck_assert_int_eq(cli_progress_mode(&o), want[i]);
        ck_assert_int_eq(cli_progress_mode(&q), PROGRESS_OFF);
    }
    unsetenv("FIANZA_PROGRESS");
    ck_assert_int_eq(cli_progress_mode(&o), PROGRESS_PLAIN);
    fclose(f);
}
END_TEST

/* ---- the library's stages ---- */

typedef struct record {
    char names[64][16];
    size_t n;
    size_t done, total; /* of the stage being recorded */
    int bad;
    char why[256];
} record;

static void record_stage(void *ctx, const char *stage, size_t done, size_t total)
{
    record *r = ctx;
    if (!r->n || strcmp(r->names[r->n - 1], stage)) { /* a new stage: the last one finished */
        if (r->n && r->total && r->done != r->total && !r->bad)
            r->bad = 1,
            snprintf(r->why, sizeof r->why, "%s ended at %zu of %zu", r->names[r->n - 1], r->done, r->total);
        ck_assert_uint_lt(r->n, 64);
        snprintf(r->names[r->n++], sizeof r->names[0], "%s", stage);
        r->done = 0;
    } else if ((done < r->done || total != r->total) && !r->bad) {
        r->bad = 1, snprintf(r->why, sizeof r->why, "%s: %zu/%zu after %zu/%zu", stage, done, total, r->done, r->total);
    }
    r->done = done;
    r->total = total;
}

START_TEST(test_optimize_stages)
{
    scenario *s = cu_load_two(300);
    record rec = {0};
    optimize_options o = {.threads = 1, .gap_batches = 3, .progress = record_stage, .progress_ctx = &rec};
    optimize_result *res = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(optimize_run(&res, s, &o, &err) == 0, "%s", err.msg);
    ck_assert_msg(!rec.bad, "%s", rec.why);
    const char *want[] = {"curves", "MIP", "evaluate", "wait-and-see", "gap"};
    ck_assert_uint_eq(rec.n, 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(rec.names[i], want[i]);
    ck_assert_uint_eq(rec.done, 3 * 300); /* the gap: 3 batches of 300 */
    ck_assert_uint_eq(rec.total, 3 * 300);
    optimize_free(res);
    scenario_free(s);
}
END_TEST

/* The callbacks change nothing: the same result with and without them. */
START_TEST(test_optimize_same_without_progress)
{
    scenario *s = cu_load_two(200);
    record rec = {0};
    optimize_options a = {.threads = 2, .gap_batches = 2}, b = a;
    b.progress = record_stage;
    b.progress_ctx = &rec;
    optimize_result *ra = NULL, *rb = NULL;
    fz_error err = {0, ""};
    ck_assert_int_eq(optimize_run(&ra, s, &a, &err), 0);
    ck_assert_int_eq(optimize_run(&rb, s, &b, &err), 0);
    ck_assert_mem_eq(ra->allocs, rb->allocs, OPT_NALLOC * s->nregions * sizeof(double));
    ck_assert_mem_eq(&ra->objective, &rb->objective, sizeof ra->objective);
    ck_assert_mem_eq(&ra->gap, &rb->gap, sizeof ra->gap);
    ck_assert_mem_eq(&ra->evpi, &rb->evpi, sizeof ra->evpi);
    optimize_free(ra);
    optimize_free(rb);
    scenario_free(s);
}
END_TEST

START_TEST(test_estimate)
{
    scenario *s = cu_load_two(500);
    optimize_eta e;
    optimize_options o = {.threads = 1, .gap_batches = 4};
    fz_error err = {0, ""};
    ck_assert_msg(optimize_estimate(&e, s, &o, &err) == 0, "%s", err.msg);
    ck_assert_uint_ge(e.pilot, OPTIMIZE_PILOT_MIN);
    ck_assert_uint_le(e.pilot, 500);
    ck_assert(e.curve_rep > 0 && e.eval_rep > 0 && e.ws_rep > 0 && e.solve_one >= 0);
    ck_assert_int_eq(e.gap_batches, 4);
    ck_assert_uint_eq(e.batch_reps, 500);
    ck_assert_double_eq_tol(e.curves, 500 * e.curve_rep, 1e-12);
    ck_assert_double_eq_tol(e.evaluate, 500 * e.eval_rep, 1e-12);
    ck_assert_double_eq_tol(e.gap, 4 * (500 * e.curve_rep + e.solve_one), 1e-12);
    ck_assert_double_eq_tol(e.seconds, e.curves + e.solve + e.evaluate + e.reallocation + e.wait_and_see + e.gap,
                            1e-12);
    scenario_free(s);
}
END_TEST

/* ---- the CLI, stderr to a file ---- */

static const char *const PROGRESS_AUTO[] = {"FIANZA_PROGRESS=auto", NULL};

static size_t lines_starting(const char *text, const char *prefix)
{
    size_t n = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        n += !strncmp(l, prefix, strlen(prefix));
    return n;
}

START_TEST(test_cli_optimize_plain)
{
    const char *dir = cu_test_dir("opt");
    const char *ini = cu_two_ini(dir, 200);
    run_result r;
    int rc = cu_run_env(&r, NULL, 120, PROGRESS_AUTO,
                        (const char *const[]){"optimize", "--gap", "mmw", "--gap-batches", "2", "--no-plots", "-o",
                                              cu_path_in(dir, "out"), ini, NULL});
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    /* five stage lines; a slow machine (valgrind) may add the run-time warnings */
    size_t warned = lines_starting(r.err, "fianza: this run will take about ") +
                    lines_starting(r.err, "fianza: the optimality gap estimate will take about ");
    ck_assert_msg(cu_count_lines(r.err) == 5 + warned, "%s", r.err);
    ck_assert_uint_eq(lines_starting(r.err, "fianza: curves: 200/200 replications in "), 1);
    ck_assert_uint_eq(lines_starting(r.err, "fianza: MIP: done in "), 1);
    ck_assert_uint_eq(lines_starting(r.err, "fianza: evaluate: 200/200 replications in "), 1);
    ck_assert_uint_eq(lines_starting(r.err, "fianza: wait-and-see: 200/200 replications in "), 1);
    ck_assert_uint_eq(lines_starting(r.err, "fianza: gap (2 batches): 400/400 replications in "), 1);
    ck_assert_ptr_null(strstr(r.err, "\r"));
    cu_run_free(&r);

    /* --quiet: nothing at all on stderr */
    rc = cu_run_env(&r, NULL, 120, PROGRESS_AUTO,
                    (const char *const[]){"optimize", "--gap-batches", "2", "--no-plots", "--quiet", "-o",
                                          cu_path_in(dir, "quiet"), ini, NULL});
    ck_assert_msg(rc == 0 && r.nerr == 0, "exit %d: %s", rc, r.err);
    cu_run_free(&r);
}
END_TEST

START_TEST(test_cli_sweep_budget_compare)
{
    const char *dir = cu_test_dir("others");
    const char *ini = cu_two_ini(dir, 100);
    run_result r;
    int rc = cu_run_env(&r, NULL, 120, PROGRESS_AUTO,
                        (const char *const[]){"sweep", "--budget", "100000:250000:50000", "--no-plots", "-o",
                                              cu_path_in(dir, "sweep"), ini, NULL});
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_msg(lines_starting(r.err, "fianza: sweep: ") == 4 && strstr(r.err, "fianza: sweep: 1/4 in ") &&
                      strstr(r.err, "fianza: sweep: 4/4 in "),
                  "%s", r.err);
    cu_run_free(&r);

    rc = cu_run_env(&r, NULL, 120, PROGRESS_AUTO,
                    (const char *const[]){"compare", "--allocation", "chicago=100000", "--allocation",
                                          "kansas_city=100000", "--no-plots", "-o", cu_path_in(dir, "compare"), ini,
                                          NULL});
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_msg(lines_starting(r.err, "fianza: compare: 100/100 replications in ") == 1, "%s", r.err);
    cu_run_free(&r);

    rc = cu_run_env(&r, NULL, 120, PROGRESS_AUTO,
                    (const char *const[]){"budget", "--releases", "5", "--prob", "0.5", "--no-plots", "-o",
                                          cu_path_in(dir, "budget"), ini, NULL});
    ck_assert_msg(rc == 0, "exit %d: %s", rc, r.err);
    ck_assert_msg(lines_starting(r.err, "fianza: budget: ") >= 1 && lines_starting(r.err, "fianza: evaluate: ") >= 1,
                  "%s", r.err);
    cu_run_free(&r);
}
END_TEST

Suite *make_progress_suite(void);
Suite *make_progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *t = tcase_create("model");
    tcase_add_test(t, test_eta_arithmetic);
    tcase_add_test(t, test_eta_learn);
    tcase_add_test(t, test_plain_lines);
    tcase_add_test(t, test_bar_rate_and_eta);
    tcase_add_test(t, test_bar_ticks_during_solve);
    tcase_add_test(t, test_outer_steps);
    tcase_add_test(t, test_off_prints_nothing);
    tcase_add_test(t, test_mode);
    suite_add_tcase(s, t);
    t = tcase_create("run");
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_optimize_stages);
    tcase_add_test(t, test_optimize_same_without_progress);
    tcase_add_test(t, test_estimate);
    tcase_add_test(t, test_cli_optimize_plain);
    tcase_add_test(t, test_cli_sweep_budget_compare);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(progress)
