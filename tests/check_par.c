/* check_par: issue 16, "2 threads >= 1.8x on every stage" (helper h17-par).
 *
 * - eval_run's per-replication hooks (eval_options.on_rep in the compute
 *   threads, on_reps folding their results in replication order): every
 *   replication is seen once, in order, with the curves on_curves gets;
 *   the results are bit-identical for 1, 2 and 3 threads; an error in
 *   on_rep stops the run with its message.
 * - optimize_run with the wait-and-see DP in the threads: wait-and-see,
 *   EVPI and the A2RP halves bit-identical for 1, 2 and 3 threads, for the
 *   releases, freedom_days and cvar objectives.
 * - replications.csv, formatted by the threads, and summary.json:
 *   byte-identical for --threads 1, 2 and 3 (simulate, optimize).
 * - The run-time estimate counts the passes that run: wait-and-see rides on
 *   the evaluation's pass (no pass of its own), the A2RP gap is solves
 *   only, MMW's is gap_batches curve passes and solves.
 *
 * Scenario files are written into cli_util's cu_work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "estimate.h"
#include "eval.h"
#include "optimize.h"
#include "rng.h"
#include "scenario.h"

static scenario *load_seed(const char *const *sets, size_t nsets)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, sets, nsets, &err) == 0, "%s", err.msg);
    return s;
}

/* ---- eval_run's per-replication hooks ---- */

#define NREPS 700 /* blocks of the curves' size and a partial last one */

typedef struct hooks {
    size_t per_rep;     /* curve values per replication (regions x grid) */
    uint64_t fail_at;   /* on_rep fails at this replication (UINT64_MAX: never) */
    size_t folded, seen; /* replications through on_reps, on_curves */
    int out_of_order;
    double rep_out[NREPS * 3];   /* on_reps' values, in order */
    double curve_sum[NREPS];     /* on_curves: the sum of each replication's curves */
} hooks;

/* A function of the replication's curves only (a fixed summation order). */
static double curve_sum(const double *rel, const double *fre, size_t n)
{
    double a = 0;
    for (size_t j = 0; j < n; j++)
        a += rel[j] + 0.5 * fre[j];
    return a;
}

static int rep_fn(void *ctx, uint64_t rep, const double *rel, const double *fre, double *out, fz_error *err)
{
    const hooks *h = ctx;
    if (rep == h->fail_at)
        return fz_fail(err, FZ_ERUNTIME, "test failure at replication %llu", (unsigned long long)rep);
    out[0] = (double)rep;
    out[1] = curve_sum(rel, fre, h->per_rep);
    out[2] = rel[h->per_rep - 1];
    return 0;
}

static int reps_fn(void *ctx, uint64_t first, size_t n, const double *out, fz_error *err)
{
    (void)err;
    hooks *h = ctx;
    if (first != h->folded)
        h->out_of_order = 1;
    memcpy(h->rep_out + 3 * h->folded, out, 3 * n * sizeof *out);
    h->folded += n;
    return 0;
}

static int curves_fn(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)err;
    hooks *h = ctx;
    if (first != h->seen)
        h->out_of_order = 1;
    for (size_t i = 0; i < n; i++)
        h->curve_sum[h->seen + i] = curve_sum(rel + i * h->per_rep, fre + i * h->per_rep, h->per_rep);
    h->seen += n;
    return 0;
}

static int run_hooks(hooks *h, const scenario *s, int threads, fz_error *err)
{
    const size_t C = s->nregions;
    double *allocs = malloc(2 * C * sizeof *allocs);
    ck_assert_ptr_nonnull(allocs);
    for (size_t j = 0; j < 2 * C; j++)
        allocs[j] = s->budget_usd / (double)C / (1 + (double)(j / C));
    h->per_rep = C * scenario_grid_points(s);
    h->folded = h->seen = 0;
    h->out_of_order = 0;
    eval_options o = {.stream = RNG_STREAM_EVALUATE,
                      .nreps = NREPS,
                      .threads = threads,
                      .on_curves = curves_fn,
                      .curves_ctx = h,
                      .on_rep = rep_fn,
                      .on_reps = reps_fn,
                      .rep_ctx = h,
                      .rep_values = 3};
    eval_result *r = NULL;
    int rc = eval_run(&r, s, allocs, 2, &o, err);
    eval_free(r);
    free(allocs);
    return rc;
}

START_TEST(test_eval_rep_hooks)
{
    scenario *s = load_seed(NULL, 0);
    static hooks h[3];
    fz_error err = {0, ""};
    for (int t = 0; t < 3; t++) {
        h[t].fail_at = UINT64_MAX;
        ck_assert_msg(run_hooks(&h[t], s, t + 1, &err) == 0, "%s", err.msg);
        ck_assert_uint_eq(h[t].folded, NREPS);
        ck_assert_uint_eq(h[t].seen, NREPS);
        ck_assert_msg(!h[t].out_of_order, "%d threads: blocks out of order", t + 1);
        for (size_t i = 0; i < NREPS; i++) {
            ck_assert_double_eq(h[t].rep_out[3 * i], (double)i); /* replication i, in order */
            /* on_rep saw the curves on_curves gets */
            ck_assert_msg(memcmp(&h[t].rep_out[3 * i + 1], &h[t].curve_sum[i], sizeof(double)) == 0,
                          "%d threads, replication %zu: %.17g vs %.17g", t + 1, i, h[t].rep_out[3 * i + 1],
                          h[t].curve_sum[i]);
        }
        ck_assert_msg(memcmp(h[t].rep_out, h[0].rep_out, sizeof h[0].rep_out) == 0, "%d threads differ from 1",
                      t + 1);
    }
    /* not every replication's curves are alike (the check above is not vacuous) */
    ck_assert(h[0].rep_out[1] != h[0].rep_out[4] || h[0].rep_out[4] != h[0].rep_out[7]);
    /* an error in the threads stops the run with its message */
    for (int t = 0; t < 3; t += 2) {
        h[t].fail_at = 333;
        err = (fz_error){0, ""};
        ck_assert_int_eq(run_hooks(&h[t], s, t + 1, &err), FZ_ERUNTIME);
        ck_assert_str_eq(err.msg, "test failure at replication 333");
        ck_assert_uint_lt(h[t].folded, 333);
    }
    scenario_free(s);
}
END_TEST

/* ---- optimize: wait-and-see in the threads ---- */

static optimize_result *run_opt(const scenario *s, int threads, int method)
{
    optimize_options o = {.threads = threads, .gap_batches = 3, .gap_method = method};
    optimize_result *r = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(optimize_run(&r, s, &o, &err) == 0, "%s", err.msg);
    return r;
}

static void same(const void *a, const void *b, size_t n, const char *what, const char *obj, int threads)
{
    ck_assert_msg(memcmp(a, b, n) == 0, "%s, %s: %d threads differ from 1", obj, what, threads);
}

START_TEST(test_optimize_threads)
{
    static const char *const objectives[] = {"releases", "freedom_days", "cvar"};
    for (size_t v = 0; v < 3; v++) {
        char obj[64];
        snprintf(obj, sizeof obj, "fund.objective=%s", objectives[v]);
        const char *sets[] = {v == 2 ? "simulation.replications=240" : "simulation.replications=900", obj};
        scenario *s = load_seed(sets, 2);
        optimize_result *r[3];
        for (int t = 0; t < 3; t++)
            r[t] = run_opt(s, t + 1, v == 2 ? OPT_GAP_NONE : OPT_GAP_A2RP); /* cvar: no A2RP */
        ck_assert_msg(isfinite(r[0]->wait_and_see.value) && r[0]->wait_and_see.value > 0, "%s", objectives[v]);
        if (v < 2) { /* the mean objectives: A2RP rode on the same pass */
            ck_assert_int_eq(r[0]->gap_method, OPT_GAP_A2RP);
            ck_assert(isfinite(r[0]->evpi.value) && r[0]->evpi.value >= 0);
        }
        for (int t = 1; t < 3; t++) {
            same(&r[t]->wait_and_see, &r[0]->wait_and_see, sizeof(stat_est), "wait-and-see", objectives[v], t + 1);
            same(&r[t]->evpi, &r[0]->evpi, sizeof(stat_est), "EVPI", objectives[v], t + 1);
            same(&r[t]->objective, &r[0]->objective, sizeof r[0]->objective, "objective", objectives[v], t + 1);
            same(&r[t]->gap, &r[0]->gap, sizeof(stat_est), "gap", objectives[v], t + 1);
            ck_assert_uint_eq(r[t]->a2rp.done, r[0]->a2rp.done);
            if (r[0]->a2rp.done)
                same(r[t]->a2rp.half_value, r[0]->a2rp.half_value, r[0]->a2rp.done * sizeof(double),
                     "A2RP halves", objectives[v], t + 1);
        }
        for (int t = 0; t < 3; t++)
            optimize_free(r[t]);
        scenario_free(s);
    }
}
END_TEST

/* ---- replications.csv formatted by the threads ---- */

/* `fianza CMD ... --threads N` for N = 1, 2, 3: replications.csv (and
 * summary.json) byte-identical, and of 1 + replications x rows lines. */
static void csv_threads(const char *cmd, const char *alloc, size_t rows_per_rep)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    char *csv[3], *json[3];
    size_t len[3], jlen[3];
    for (int t = 0; t < 3; t++) {
        char name[64], threads[8];
        snprintf(name, sizeof name, "%s-%d", cmd, t + 1);
        snprintf(threads, sizeof threads, "%d", t + 1);
        const char *dir = cu_path_in(cu_work, name);
        char out[512];
        snprintf(out, sizeof out, "%s", dir);
        run_result r;
        int st = alloc ? CU_RUN(&r, cmd, path, "--allocation", alloc, "--replications", "1500", "--threads", threads,
                                "--no-plots", "--quiet", "-o", out)
                       : CU_RUN(&r, cmd, path, "--replications", "1500", "--threads", threads, "--no-plots", "--quiet",
                                "-o", out);
        ck_assert_msg(st == 0, "%s --threads %d: exit %d: %s", cmd, t + 1, st, r.err);
        cu_run_free(&r);
        csv[t] = cu_slurp(cu_path_in(out, "replications.csv"), &len[t]);
        json[t] = cu_slurp(cu_path_in(out, "summary.json"), &jlen[t]);
        ck_assert_ptr_nonnull(csv[t]);
        ck_assert_ptr_nonnull(json[t]);
    }
    ck_assert_uint_eq(cu_count_lines(csv[0]), 1 + 1500 * rows_per_rep);
    for (int t = 1; t < 3; t++) {
        ck_assert_msg(len[t] == len[0] && memcmp(csv[t], csv[0], len[0]) == 0,
                      "%s: replications.csv with %d threads differs from 1", cmd, t + 1);
        ck_assert_msg(jlen[t] == jlen[0] && memcmp(json[t], json[0], jlen[0]) == 0,
                      "%s: summary.json with %d threads differs from 1", cmd, t + 1);
    }
    for (int t = 0; t < 3; t++) {
        free(csv[t]);
        free(json[t]);
    }
}

START_TEST(test_replications_csv_threads)
{
    csv_threads("simulate", "chicago=222500,kansas_city=77500", 2);
    csv_threads("optimize", NULL, 2 * 5); /* four allocations and the pooled fund */
}
END_TEST

/* ---- the run-time estimate counts the passes that run ---- */

START_TEST(test_estimate_passes)
{
    scenario *s = cu_load_two(500);
    fz_error err = {0, ""};
    optimize_eta e;
    /* A2RP (the default): the curve pass and the evaluation's pass, which
     * also settles the curves and solves wait-and-see; the gap is solves */
    optimize_options o = {.threads = 1, .gap_batches = 4, .gap_method = OPT_GAP_A2RP};
    ck_assert_msg(optimize_estimate(&e, s, &o, &err) == 0, "%s", err.msg);
    ck_assert(e.curve_rep > 0 && e.eval_rep > 0 && e.ws_rep > 0);
    ck_assert_double_eq(e.wait_and_see, 0); /* no pass of its own: it was S (curve_rep + ws_rep) */
    ck_assert_int_eq(e.gap_batches, 0);
    ck_assert_uint_eq(e.batch_reps, 0);
    ck_assert_double_eq_tol(e.curves, 500 * e.curve_rep, 1e-12);
    ck_assert_double_eq_tol(e.evaluate, 500 * e.eval_rep, 1e-12);
    ck_assert_double_eq_tol(e.gap, 8 * e.solve_one, 1e-12);
    ck_assert_double_eq(e.reallocation, 0);
    ck_assert_double_eq_tol(e.seconds, e.curves + e.solve + e.evaluate + e.gap, 1e-12);
    /* MMW: gap_batches more curve passes, each with a solve */
    o.gap_method = OPT_GAP_MMW;
    ck_assert_msg(optimize_estimate(&e, s, &o, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(e.wait_and_see, 0);
    ck_assert_int_eq(e.gap_batches, 4);
    ck_assert_uint_eq(e.batch_reps, 500);
    ck_assert_double_eq_tol(e.gap, 4 * (500 * e.curve_rep + e.solve_one), 1e-12);
    ck_assert_double_eq_tol(e.seconds, e.curves + e.solve + e.evaluate + e.gap, 1e-12);
    /* no gap: two passes and a solve */
    o.gap_method = OPT_GAP_NONE;
    ck_assert_msg(optimize_estimate(&e, s, &o, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(e.gap, 0);
    ck_assert_double_eq_tol(e.seconds, e.curves + e.solve + e.evaluate, 1e-12);
    scenario_free(s);
}
END_TEST

Suite *make_par_suite(void)
{
    Suite *s = suite_create("par");
    TCase *tc = tcase_create("par");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_eval_rep_hooks);
    tcase_add_test(tc, test_optimize_threads);
    tcase_add_test(tc, test_estimate_passes);
    tcase_add_test(tc, test_replications_csv_threads);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(par)
