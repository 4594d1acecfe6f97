/* check_gap: the optimality gap bound (issue 16, sim/run/gap.h, --gap).
 *
 * - A2RP on curves given by hand (two regions, 4 grid points, 2 pairs of
 *   halves of 2 replications): every G_kl, G'_k, G-bar', s' and the t bounds
 *   equal the values worked out by hand in the comments; the replication
 *   left over is not used; out-of-order replications are refused.
 * - The degenerate case (every half re-selects x^): s' = 0, flagged.
 * - optimize_run with A2RP: each half's G_kl equals a brute-force maximum
 *   over the evaluation stream's per-replication curves (recomputed here),
 *   and results do not depend on the number of threads.
 * - The command line: A2RP by default (summary.json gap_method "a2rp" and
 *   the MMW keys in the same meaning); a degenerate scenario (every split
 *   frees exactly 200) falls back to MMW and says so; --gap none writes
 *   "gap": null and skips the stage; --gap mmw gives today's numbers (the
 *   golden file's gap object); a bad --gap is refused with exit 2. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "curve.h"
#include "gap.h"
#include "optimize.h"
#include "rng.h"
#include "scenario.h"

/* ---- A2RP by hand ---- */

enum { HC = 2, HG = 4 };

/* Replication i: R_c(g) = min(N_c, g) with (N_0, N_1) from the table. */
static void hand_curves(double *v, size_t i)
{
    static const int N[9][2] = {{3, 0}, {1, 3}, {2, 2}, {0, 3}, {3, 3}, {1, 1}, {2, 0}, {0, 2}, {3, 3}};
    for (size_t c = 0; c < HC; c++)
        for (size_t g = 0; g < HG; g++)
            v[c * HG + g] = fmin(N[i][c], (double)g);
}

static void hand_problem(split_problem *p, long *lo, long *hi)
{
    lo[0] = lo[1] = 0;
    hi[0] = hi[1] = 3;
    *p = (split_problem){.nregions = HC, .ngrid = HG, .step = 1, .budget_steps = 3, .lo = lo, .hi = hi};
}

/* x^ = (2, 1), budget 3 steps.  Half by half (mean curves, best split):
 *   reps 0,1: R_0 = 0 1 1.5 2, R_1 = 0 .5 1 1.5: best 2 (e.g. 1+1), x^ 1.5+.5 = 2: G = 0
 *   reps 2,3: R_0 = 0 .5 1 1,  R_1 = 0 1 2 2.5:  best 2.5 (0+2.5), x^ 1+1 = 2:   G = .5
 *   reps 4,5: R_0 = R_1 = 0 1 1.5 2:             best 2.5, x^ 1.5+1 = 2.5:       G = 0
 *   reps 6,7: R_0 = R_1 = 0 .5 1 1:              best 1.5, x^ 1+.5 = 1.5:        G = 0
 * G'_1 = .25, G'_2 = 0: G-bar' = .125, s' = .125 sqrt 2, s'/sqrt 2 = .125;
 * one-sided bound .125 + t_{1,.95} .125; two-sided .125 +- t_{1,.975} .125 (lo clipped at 0). */
START_TEST(test_a2rp_by_hand)
{
    split_problem p;
    long lo[HC], hi[HC], cand[HC] = {2, 1};
    hand_problem(&p, lo, hi);
    gap_a2rp g;
    fz_error err = {0};
    ck_assert_int_eq(gap_a2rp_init(&g, 2, 9, &p, cand, &err), 0);
    ck_assert_uint_eq(g.half_reps, 2);
    double v[HC * HG];
    for (size_t i = 0; i < 9; i++) { /* replication 8 is left over */
        hand_curves(v, i);
        ck_assert_int_eq(gap_a2rp_add(&g, i, v, &err), 0);
    }
    ck_assert_int_eq(gap_a2rp_finish(&g, &err), 0);
    const double hv[4] = {2, 2.5, 2.5, 1.5}, hg[4] = {0, 0.5, 0, 0};
    for (int j = 0; j < 4; j++) {
        ck_assert_double_eq_tol(g.half_value[j], hv[j], 1e-12);
        ck_assert_double_eq_tol(g.half_gap[j], hg[j], 1e-12);
    }
    ck_assert_double_eq_tol(g.pair_gap[0], 0.25, 1e-12);
    ck_assert_double_eq_tol(g.pair_gap[1], 0, 1e-12);
    ck_assert_double_eq_tol(g.mean, 0.125, 1e-12);
    ck_assert_double_eq_tol(g.sd, 0.125 * sqrt(2), 1e-12);
    ck_assert_double_eq_tol(g.upper, 0.125 + 6.313751514675043 * 0.125, 1e-9);
    ck_assert_double_eq_tol(g.ci_hi, 0.125 + 12.706204736174698 * 0.125, 1e-9);
    ck_assert_double_eq(g.ci_lo, 0);
    ck_assert_int_eq(g.degenerate, 0);
    ck_assert_int_eq(g.time_limited, 0);
    gap_a2rp_free(&g);

    /* replications out of order, and too few of them */
    ck_assert_int_eq(gap_a2rp_init(&g, 2, 8, &p, cand, &err), 0);
    hand_curves(v, 1);
    ck_assert_int_eq(gap_a2rp_add(&g, 1, v, &err), FZ_ERUNTIME);
    ck_assert_int_eq(gap_a2rp_finish(&g, &err), FZ_ERUNTIME);
    gap_a2rp_free(&g);
    ck_assert_int_eq(gap_a2rp_init(&g, 2, 3, &p, cand, &err), FZ_EINPUT);
    gap_a2rp_free(&g);
    ck_assert_int_eq(gap_a2rp_init(&g, 1, 100, &p, cand, &err), FZ_EINPUT);
    gap_a2rp_free(&g);
}
END_TEST

/* R_0 = 0 2 4 6, R_1 = 0 1 2 3 in every replication: x^ = (3, 0) is every
 * half's unique optimum, so every G = 0 and s' = 0. */
START_TEST(test_a2rp_degenerate)
{
    split_problem p;
    long lo[HC], hi[HC], cand[HC] = {3, 0};
    hand_problem(&p, lo, hi);
    gap_a2rp g;
    fz_error err = {0};
    ck_assert_int_eq(gap_a2rp_init(&g, 3, 12, &p, cand, &err), 0);
    double v[HC * HG];
    for (size_t gg = 0; gg < HG; gg++) {
        v[gg] = 2.0 * (double)gg;
        v[HG + gg] = (double)gg;
    }
    for (size_t i = 0; i < 12; i++)
        ck_assert_int_eq(gap_a2rp_add(&g, i, v, &err), 0);
    ck_assert_int_eq(gap_a2rp_finish(&g, &err), 0);
    ck_assert_int_eq(g.degenerate, 1);
    ck_assert_int_eq(g.reselected, 6);
    ck_assert_double_eq(g.mean, 0);
    ck_assert_double_eq(g.sd, 0);
    ck_assert_double_eq(g.upper, 0);
    gap_a2rp_free(&g);
}
END_TEST

/* ---- optimize_run against a brute force ---- */

typedef struct keep_all {
    double *v;
    size_t per, have;
} keep_all;

static int keep_rel(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)first, (void)fre, (void)err;
    keep_all *k = ctx;
    memcpy(k->v + k->have * k->per, rel, n * k->per * sizeof *rel);
    k->have += n;
    return 0;
}

static optimize_result *run_a2rp(const scenario *s, int threads, int pairs)
{
    optimize_options o = {.threads = threads, .gap_batches = pairs, .gap_method = OPT_GAP_A2RP};
    optimize_result *r = NULL;
    fz_error err = {0};
    ck_assert_msg(optimize_run(&r, s, &o, &err) == 0, "%s", err.msg);
    return r;
}

START_TEST(test_optimize_a2rp_brute_force)
{
    const size_t S = 41, K = 2, n = S / (2 * K); /* one replication left over */
    scenario *s = cu_load_two((int)S);
    optimize_result *r = run_a2rp(s, 1, (int)K);
    ck_assert_int_eq(r->gap_method, OPT_GAP_A2RP);
    ck_assert_uint_eq(r->a2rp.pairs, K);
    ck_assert_uint_eq(r->a2rp.half_reps, n);
    ck_assert_int_eq(r->gap_batches, 0); /* no MMW batch ran */

    /* the evaluation stream's curves, every replication */
    optimize_bounds b;
    fz_error err = {0};
    ck_assert_int_eq(optimize_bounds_init(&b, s, &err), 0);
    const size_t C = s->nregions, G = b.p.ngrid;
    keep_all k = {malloc(S * C * G * sizeof(double)), C * G, 0};
    curve_set *cs = NULL;
    curve_options co = {.stream = RNG_STREAM_EVALUATE, .nreps = S, .threads = 1, .on_block = keep_rel, .block_ctx = &k};
    ck_assert_int_eq(curve_compute(&cs, s, &co, &err), 0);
    ck_assert_uint_eq(k.have, S);
    double *m = malloc(C * G * sizeof *m), sum = 0;
    for (size_t j = 0; j < 2 * K; j++) {
        for (size_t q = 0; q < C * G; q++) {
            m[q] = 0;
            for (size_t i = j * n; i < (j + 1) * n; i++)
                m[q] += k.v[i * C * G + q];
            m[q] /= (double)n;
        }
        double best = -INFINITY;
        for (long g0 = b.lo[0]; g0 <= b.hi[0]; g0++)
            for (long g1 = b.lo[1]; g1 <= b.hi[1] && g0 + g1 <= b.p.budget_steps; g1++)
                best = fmax(best, m[g0] + m[G + (size_t)g1]);
        double at = m[r->mip.steps[0]] + m[G + (size_t)r->mip.steps[1]], want = best - at;
        ck_assert_msg(fabs(r->a2rp.half_gap[j] - want) < 1e-9, "half %zu: G = %.12g, brute force %.12g", j,
                      r->a2rp.half_gap[j], want);
        ck_assert_double_eq_tol(r->a2rp.half_value[j], best, 1e-9);
        sum += want;
    }
    double g1 = (r->a2rp.half_gap[0] + r->a2rp.half_gap[1]) / 2, g2 = (r->a2rp.half_gap[2] + r->a2rp.half_gap[3]) / 2;
    double mean = (g1 + g2) / 2, sd = fabs(g1 - g2) / sqrt(2);
    ck_assert_double_eq_tol(r->gap.value, sum / 4, 1e-9);
    ck_assert_double_eq_tol(r->gap.value, mean, 1e-12);
    ck_assert_double_eq_tol(r->gap_ci_upper, mean + gsl_cdf_tdist_Pinv(0.95, 1) * sd / sqrt(2), 1e-9);
    ck_assert_double_eq_tol(r->gap_upper.value, r->objective[OPT_OPTIMAL].value + mean, 1e-9);
    ck_assert_msg(sd > 0, "this sample should not be degenerate");

    /* two threads: the same bits */
    optimize_result *r2 = run_a2rp(s, 2, (int)K);
    ck_assert_mem_eq(r2->a2rp.half_gap, r->a2rp.half_gap, 2 * K * sizeof(double));
    ck_assert_mem_eq(&r2->gap, &r->gap, sizeof r->gap);
    ck_assert_mem_eq(&r2->gap_ci_upper, &r->gap_ci_upper, sizeof r->gap_ci_upper);
    optimize_free(r2);
    curve_free(cs);
    free(m);
    free(k.v);
    optimize_free(r);
    scenario_free(s);
}
END_TEST

/* ---- the command line ---- */

static json_t *run_cli(run_result *rr, const char *dir, const char *name, const char *const *extra, const char *ini)
{
    const char *args[24] = {"optimize", "--no-plots", "-o", cu_path_in(dir, name)};
    size_t a = 4;
    for (; extra && *extra; extra++)
        args[a++] = *extra;
    args[a++] = ini;
    args[a] = NULL;
    int rc = cu_run_v(rr, NULL, 300, args);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, rr->err);
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", cu_path_in(dir, name));
    return cu_load_json(path);
}

START_TEST(test_cli_default_a2rp)
{
    const char *dir = cu_test_dir("a2rp");
    run_result rr;
    json_t *j = run_cli(&rr, dir, "out", NULL, cu_two_ini(dir, 400));
    ck_assert_str_eq(json_string_value(cu_json_at(j, "gap_method")), "a2rp");
    ck_assert_double_eq(cu_json_num(j, "gap.pairs"), 10);
    ck_assert_double_eq(cu_json_num(j, "gap.batches"), 20);
    ck_assert_double_eq(cu_json_num(j, "gap.batch_replications"), 20);
    double g = cu_json_num(j, "gap.gap.mean"), up = cu_json_num(j, "gap.gap_ci95_one_sided_upper");
    ck_assert(g >= 0 && up >= g);
    ck_assert_uint_eq(json_array_size(cu_json_at(j, "gap.batch_values")), 20);
    ck_assert_uint_eq(json_array_size(cu_json_at(j, "gap.pair_gaps")), 10);
    ck_assert(json_is_false(cu_json_at(j, "gap.degenerate")));
    /* the mean of the pairs' gaps is the estimate */
    double sum = 0;
    for (size_t k = 0; k < 10; k++)
        sum += json_number_value(json_array_get(cu_json_at(j, "gap.pair_gaps"), k));
    ck_assert_double_eq_tol(sum / 10, g, 1e-9);
    ck_assert_ptr_nonnull(strstr(rr.out, "optimality gap (A2RP, 10 pairs of 20 replications): "));
    json_decref(j);
    cu_run_free(&rr);

    /* --gap none: the key is null and the stage does not run */
    j = run_cli(&rr, dir, "none", (const char *const[]){"--gap", "none", NULL}, cu_two_ini(dir, 400));
    ck_assert_str_eq(json_string_value(cu_json_at(j, "gap_method")), "none");
    ck_assert(json_is_null(cu_json_at(j, "gap")));
    ck_assert_ptr_nonnull(strstr(rr.out, "optimality gap: not estimated (--gap none)"));
    json_decref(j);
    char path[512];
    snprintf(path, sizeof path, "%s/timing.json", cu_path_in(dir, "none"));
    j = cu_load_json(path);
    ck_assert_double_lt(cu_json_num(j, "gap_seconds"), 0.01);
    json_decref(j);
    cu_run_free(&rr);

    /* a bad method: exit 2, naming the option */
    int rc = cu_run_v(&rr, NULL, 60,
                      (const char *const[]){"optimize", "--gap", "bogus", "--quiet", "-o", cu_path_in(dir, "bad"),
                                            cu_two_ini(dir, 400), NULL});
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(rr.err, "--gap bogus: expected a2rp, mmw or none"));
    ck_assert(!cu_exists(cu_path_in(dir, "bad")));
    cu_run_free(&rr);
}
END_TEST

/* Every split of multiples of USD 1,500 frees exactly 200 (check_optimize's
 * exact scenario): every half's gap is 0, A2RP is degenerate, MMW is used. */
static const char *const AMPLE_INI = "[fund]\nbudget_usd = 300000\nhorizon_days = 90\ngranularity_usd = 1500\n"
                                     "[simulation]\nreplications = 100\nseed = 17\n"
                                     "[region.a]\ninitial_detained = 500\nbond_grant_prob = 1\nfamily_pays_prob = 0\n"
                                     "bond_usd = fixed(1500)\nremoval_hazard_per_day = 0\n"
                                     "[region.b]\ninitial_detained = 500\nbond_grant_prob = 1\nfamily_pays_prob = 0\n"
                                     "bond_usd = fixed(1500)\nremoval_hazard_per_day = 0\n";

START_TEST(test_cli_degenerate)
{
    const char *dir = cu_test_dir("degen"), *ini = cu_path_in(dir, "ample.ini");
    cu_write_file(ini, AMPLE_INI);
    run_result rr;
    json_t *j = run_cli(&rr, dir, "out", (const char *const[]){"--gap-batches", "3", NULL}, ini);
    ck_assert_str_eq(json_string_value(cu_json_at(j, "gap_method")), "mmw");
    ck_assert(json_is_true(cu_json_at(j, "gap.degenerate")));
    ck_assert_ptr_nonnull(strstr(json_string_value(cu_json_at(j, "gap.note")), "A2RP degenerate"));
    ck_assert_str_eq(json_string_value(cu_json_at(j, "gap.method")), "Mak-Morton-Wood 1999");
    ck_assert_double_eq(cu_json_num(j, "gap.batches"), 3);
    ck_assert_double_eq_tol(cu_json_num(j, "gap.gap.mean"), 0, 1e-9); /* every batch optimum is 200 */
    ck_assert_ptr_nonnull(strstr(rr.out, "A2RP degenerate: every half re-selected the optimal split"));
    ck_assert_ptr_nonnull(strstr(rr.out, "optimality gap (Mak-Morton-Wood, 3 batches)"));
    json_decref(j);
    cu_run_free(&rr);
}
END_TEST

/* --gap mmw: the gap object of the golden run (today's numbers). */
START_TEST(test_cli_mmw_unchanged)
{
    const char *dir = cu_test_dir("mmw");
    run_result rr;
    json_t *j = run_cli(&rr, dir, "out",
                        (const char *const[]){"--gap", "mmw", "--gap-batches", "2", "--replications", "300", NULL},
                        FZ_TEST_DIR "/../scenarios/seed-2025.ini");
    json_t *want = cu_load_json(FZ_TEST_DIR "/data/golden/optimize-seed-2025.json");
    ck_assert_str_eq(json_string_value(cu_json_at(j, "gap_method")), "mmw");
    char *a = json_dumps(cu_json_at(j, "gap"), JSON_SORT_KEYS | JSON_REAL_PRECISION(17)),
         *b = json_dumps(cu_json_at(want, "gap"), JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    json_decref(want);
    json_decref(j);
    cu_run_free(&rr);
}
END_TEST

Suite *make_gap_suite(void)
{
    Suite *s = suite_create("gap");
    TCase *tc = tcase_create("a2rp");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_a2rp_by_hand);
    tcase_add_test(tc, test_a2rp_degenerate);
    tcase_add_test(tc, test_optimize_a2rp_brute_force);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_cli_default_a2rp);
    tcase_add_test(tc, test_cli_degenerate);
    tcase_add_test(tc, test_cli_mmw_unchanged);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(gap)
