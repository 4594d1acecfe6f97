/* check_blocks: the shared pieces of issue 11's clean-up in sim/run and
 * models (the block driver, the grid and share bounds, the helpers).
 *
 * - par_blocks: the blocks it hands to compute and fold (first replication,
 *   count, owner), the progress it reports, and that an error in compute or
 *   fold stops it with that error;
 * - curve_compute through it: bit-identical curves for 1, 2 and 3 threads,
 *   and its block callback sees the replications in order, each once;
 * - scenario_grid_points and SCENARIO_GRID_EPS on quotients that round
 *   below an integer; optimize_bounds_init's share bounds and its rejection;
 * - engine_ws_pool, fz_cmp_double, fz_seconds.
 * (eval_run's thread invariance: check_eval; the MIP and DP: check_split,
 * check_limits; every shipped scenario byte for byte: golden.) */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "curve.h"
#include "engine.h"
#include "fz_util.h"
#include "optimize.h"
#include "par.h"
#include "scenario.h"

#include "engine_util.h"

/* ---- par_blocks ---- */

typedef struct call {
    char what; /* 'c' compute, 'f' fold, 'p' progress */
    uint64_t first;
    size_t n;
    int owner;
} call;

typedef struct recorder {
    call calls[64];
    size_t ncalls;
    char fail_on;        /* 'c' or 'f': fail at that kind of call ... */
    uint64_t fail_first; /* ... for this block */
} recorder;

static void record(recorder *r, char what, uint64_t first, size_t n, int owner)
{
    ck_assert_uint_lt(r->ncalls, 64);
    r->calls[r->ncalls++] = (call){what, first, n, owner};
}

static int rec_compute(void *ctx, uint64_t first, size_t n, fz_error *err)
{
    recorder *r = ctx;
    record(r, 'c', first, n, -1);
    return r->fail_on == 'c' && r->fail_first == first
               ? fz_fail(err, FZ_ERUNTIME, "compute %llu failed", (unsigned long long)first)
               : 0;
}

static int rec_fold(void *ctx, int owner, uint64_t first, size_t n, fz_error *err)
{
    recorder *r = ctx;
    record(r, 'f', first, n, owner);
    return r->fail_on == 'f' && r->fail_first == first
               ? fz_fail(err, FZ_EINPUT, "fold %llu failed", (unsigned long long)first)
               : 0;
}

static void rec_progress(void *ctx, size_t done, size_t total)
{
    recorder *r = ctx;
    record(r, 'p', done, total, -1);
}

START_TEST(test_blocks_order)
{
    recorder r = {.ncalls = 0};
    par_blocks_def d = {.nreps = 10,
                        .block = 4,
                        .compute = rec_compute,
                        .fold = rec_fold,
                        .ctx = &r,
                        .progress = rec_progress,
                        .progress_ctx = &r};
    fz_error err = {0, ""};
    ck_assert_int_eq(par_blocks(&d, &err), 0);
    /* one process: each block computed, folded by rank 0, then progress */
    const call want[] = {{'c', 0, 4, -1},  {'f', 0, 4, 0},  {'p', 4, 10, -1}, {'c', 4, 4, -1},  {'f', 4, 4, 0},
                         {'p', 8, 10, -1}, {'c', 8, 2, -1}, {'f', 8, 2, 0},   {'p', 10, 10, -1}};
    ck_assert_uint_eq(r.ncalls, sizeof want / sizeof *want);
    for (size_t i = 0; i < r.ncalls; i++) {
        ck_assert_msg(r.calls[i].what == want[i].what && r.calls[i].first == want[i].first &&
                          r.calls[i].n == want[i].n && r.calls[i].owner == want[i].owner,
                      "call %zu: %c(%llu, %zu, %d), want %c(%llu, %zu, %d)", i, r.calls[i].what,
                      (unsigned long long)r.calls[i].first, r.calls[i].n, r.calls[i].owner, want[i].what,
                      (unsigned long long)want[i].first, want[i].n, want[i].owner);
    }
    /* no replications: nothing is called */
    recorder z = {.ncalls = 0};
    par_blocks_def e = {.nreps = 0, .block = 4, .compute = rec_compute, .fold = rec_fold, .ctx = &z};
    ck_assert_int_eq(par_blocks(&e, &err), 0);
    ck_assert_uint_eq(z.ncalls, 0);
}
END_TEST

START_TEST(test_blocks_errors)
{
    fz_error err = {0, ""};
    /* a failing compute: its error, and the block is never folded */
    recorder r = {.ncalls = 0, .fail_on = 'c', .fail_first = 4};
    par_blocks_def d = {.nreps = 10, .block = 4, .compute = rec_compute, .fold = rec_fold, .ctx = &r};
    ck_assert_int_eq(par_blocks(&d, &err), FZ_ERUNTIME);
    ck_assert_str_eq(err.msg, "compute 4 failed");
    ck_assert_uint_eq(r.ncalls, 3); /* c0 f0 c4 */
    ck_assert(r.calls[2].what == 'c' && r.calls[2].first == 4);
    /* a failing fold (a block callback's error): its code, no progress for it, nothing after */
    recorder q = {.ncalls = 0, .fail_on = 'f', .fail_first = 0};
    par_blocks_def e = {.nreps = 10,
                        .block = 4,
                        .compute = rec_compute,
                        .fold = rec_fold,
                        .ctx = &q,
                        .progress = rec_progress,
                        .progress_ctx = &q};
    ck_assert_int_eq(par_blocks(&e, &err), FZ_EINPUT);
    ck_assert_str_eq(err.msg, "fold 0 failed");
    ck_assert_uint_eq(q.ncalls, 2);
}
END_TEST

/* ---- curve_compute over the driver ---- */

typedef struct seen {
    uint64_t next; /* the replication the next block must start at */
    size_t blocks;
} seen;

static int seen_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)rel, (void)fre, (void)err;
    seen *s = ctx;
    ck_assert_uint_eq(first, s->next);
    ck_assert_uint_gt(n, 0);
    s->next = first + n;
    s->blocks++;
    return 0;
}

START_TEST(test_curves_threads_identical)
{
    scenario *s = load_text(random_text);
    /* 2 regions x 601 grid points: blocks of 2^18 / 1202 = 218 replications,
     * so 500 replications are 3 blocks (the last one short) */
    const size_t G = scenario_grid_points(s), nreps = 500, first_rep = 7;
    ck_assert_uint_eq(G, 601);
    curve_set *cs[3];
    const int threads[] = {1, 2, 3};
    for (int t = 0; t < 3; t++) {
        seen sn = {first_rep, 0};
        curve_options co = {.stream = RNG_STREAM_OPTIMIZE,
                            .first_rep = first_rep,
                            .nreps = nreps,
                            .threads = threads[t],
                            .on_block = seen_block,
                            .block_ctx = &sn};
        fz_error err = {0, ""};
        ck_assert_msg(curve_compute(&cs[t], s, &co, &err) == 0, "curve_compute: %s", err.msg);
        ck_assert_uint_eq(sn.next, first_rep + nreps);
        ck_assert_uint_eq(sn.blocks, 3);
    }
    const size_t CG = s->nregions * G;
    for (int t = 1; t < 3; t++) {
        ck_assert_uint_eq(cs[t]->ngrid, G);
        ck_assert(memcmp(cs[0]->releases, cs[t]->releases, CG * sizeof(double)) == 0);
        ck_assert(memcmp(cs[0]->freedom, cs[t]->freedom, CG * sizeof(double)) == 0);
        ck_assert(memcmp(cs[0]->fundable, cs[t]->fundable, s->nregions * sizeof(double)) == 0);
        ck_assert(memcmp(cs[0]->cost, cs[t]->cost, s->nregions * sizeof(double)) == 0);
        ck_assert(memcmp(cs[0]->case_freedom, cs[t]->case_freedom, s->nregions * sizeof(double)) == 0);
        ck_assert(memcmp(&cs[0]->people, &cs[t]->people, sizeof(double)) == 0);
    }
    /* and they are curves: nondecreasing in the budget (cheapest_first), 0 at 0 */
    for (size_t c = 0; c < s->nregions; c++) {
        ck_assert_double_eq(cs[0]->releases[c * G], 0);
        for (size_t g = 1; g < G; g++)
            ck_assert_double_ge(cs[0]->releases[c * G + g], cs[0]->releases[c * G + g - 1]);
        ck_assert_double_le(cs[0]->releases[c * G + G - 1], cs[0]->fundable[c]);
    }
    for (int t = 0; t < 3; t++)
        curve_free(cs[t]);
    scenario_free(s);
}
END_TEST

/* ---- the grid and the share bounds ---- */

START_TEST(test_grid_points)
{
    scenario s;
    memset(&s, 0, sizeof s);
    s.budget_usd = 0.3, s.granularity_usd = 0.1; /* 2.9999999999999996 steps: 3 */
    ck_assert_double_lt(s.budget_usd / s.granularity_usd, 3);
    ck_assert_uint_eq(scenario_grid_points(&s), 4);
    s.budget_usd = 1000, s.granularity_usd = 300; /* 3.33 steps: 3 */
    ck_assert_uint_eq(scenario_grid_points(&s), 4);
    s.budget_usd = 0, s.granularity_usd = 500;
    ck_assert_uint_eq(scenario_grid_points(&s), 1);
    s.budget_usd = 1e6, s.granularity_usd = 10;
    ck_assert_uint_eq(scenario_grid_points(&s), 100001);
}
END_TEST

static const char shares_text[] = "[fund]\nbudget_usd = %s\ngranularity_usd = %s\nhorizon_days = 30\n"
                                  "[region.a]\ninitial_detained = 10\nmin_share = %s\nmax_share = %s\n"
                                  "[region.b]\ninitial_detained = 10\n";

static scenario *load_shares(const char *budget, const char *gran, const char *lo, const char *hi)
{
    char text[512];
    snprintf(text, sizeof text, shares_text, budget, gran, lo, hi);
    return load_text(text);
}

START_TEST(test_share_bounds)
{
    /* budget 0.3 in steps of 0.1 with shares [0.3, 0.7] of it: 0.09 and 0.21
     * USD are 0.9 and 2.1 steps up to rounding, so steps 1 and 2 */
    scenario *s = load_shares("0.3", "0.1", "0.3", "0.7");
    optimize_bounds b;
    fz_error err = {0, ""};
    ck_assert_msg(optimize_bounds_init(&b, s, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(b.p.ngrid, 4);
    ck_assert_int_eq(b.p.budget_steps, 3);
    ck_assert(b.p.lo == b.lo && b.p.hi == b.hi);
    ck_assert_int_eq(b.lo[0], 1);
    ck_assert_int_eq(b.hi[0], 2);
    ck_assert_int_eq(b.lo[1], 0);
    ck_assert_int_eq(b.hi[1], 3);
    scenario_free(s);
    /* shares [0.5, 0.55] of 1000 on a 300 grid: 500 .. 550 USD holds no
     * multiple of 300: rejected, naming the region and the granularity */
    s = load_shares("1000", "300", "0.5", "0.55");
    ck_assert_int_eq(optimize_bounds_init(&b, s, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "[region.a]: no multiple of granularity_usd = 300 lies between min_share and "
                                  "max_share of the budget") != NULL,
                  "%s", err.msg);
    scenario_free(s);
}
END_TEST

/* ---- small helpers ---- */

START_TEST(test_helpers)
{
    (void)run_eval, (void)draw, (void)ws_new; /* engine_util.h's other helpers */
    engine_ws **pool = engine_ws_pool(3);
    ck_assert_ptr_nonnull(pool);
    for (int t = 0; t < 3; t++) {
        ck_assert_ptr_nonnull(pool[t]);
        for (int u = 0; u < t; u++)
            ck_assert_ptr_ne(pool[t], pool[u]);
    }
    engine_ws_pool_free(pool, 3);
    engine_ws_pool_free(NULL, 3);

    double x[] = {3, -1, 2.5, -1, 0, -INFINITY, 1e300};
    const double want[] = {-INFINITY, -1, -1, 0, 2.5, 3, 1e300};
    qsort(x, 7, sizeof *x, fz_cmp_double);
    for (size_t i = 0; i < 7; i++)
        ck_assert_double_eq(x[i], want[i]);
    double one = 1, two = 2;
    ck_assert_int_eq(fz_cmp_double(&one, &two), -1);
    ck_assert_int_eq(fz_cmp_double(&two, &one), 1);
    ck_assert_int_eq(fz_cmp_double(&one, &one), 0);

    double t0 = fz_seconds();
    usleep(20000);
    double dt = fz_seconds() - t0;
    ck_assert_msg(dt >= 0.02 && dt < 60, "20 ms slept, %g s measured", dt); /* monotonic, in seconds */
}
END_TEST

Suite *make_blocks_suite(void)
{
    Suite *s = suite_create("blocks");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_blocks_order);
    tcase_add_test(tc, test_blocks_errors);
    tcase_add_test(tc, test_curves_threads_identical);
    tcase_add_test(tc, test_grid_points);
    tcase_add_test(tc, test_share_bounds);
    tcase_add_test(tc, test_helpers);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(blocks)
