/* check_cv_all: control variates for every mean optimize and compare
 * report, and --precision-block (issue 16, session 2).
 *
 * - coverage by simulation (400 seeds of 200 replications) on a scenario
 *   whose releases are min(Poisson, k) per region, so that the paired
 *   difference of two allocations and P(releases >= target) are known
 *   exactly: the controlled intervals cover them in at least 0.95 - 3 SE of
 *   the runs;
 * - seed-2025: the controlled intervals of the optimize table are narrower
 *   than the plain ones (variance reduction > 1) where fundable cases bind,
 *   and P(target) near its median is controlled;
 * - plain values unchanged: the golden runs of tests/golden.sh give every
 *   key of tests/data/golden/ with its old value, either in place or, for a
 *   key now holding the controlled estimate, in its `plain` object;
 * - --precision-block N: the stop falls on the checks every N replications
 *   (from 1024 on), equals a run of that many replications bit for bit,
 *   with 1 and 3 threads; refused values exit 2 with nothing written. */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "cv.h"
#include "cv_out.h"
#include "eval.h"
#include "summary.h"

#include "engine_util.h"

/* ---- coverage ---- */

static const char poisson_text[] = "[fund]\nbudget_usd = 100000\nhorizon_days = 50\npolicy = first_come\n"
                                   "[region.a]\narrivals_per_day = 0.8\nbond_usd = fixed(1000)\n"
                                   "[region.b]\narrivals_per_day = 0.4\nbond_usd = fixed(1000)\n";

static double mean_min_poisson(double mu, unsigned k)
{
    double e = 0;
    for (unsigned j = 0; j < k; j++)
        e += gsl_cdf_poisson_Q(j, mu);
    return e;
}

/* P(min(Xa, ka) + min(Xb, kb) >= t), Xa ~ Poisson(ma), Xb ~ Poisson(mb) independent */
static double p_reach(double ma, unsigned ka, double mb, unsigned kb, unsigned t)
{
    double p = 0;
    for (unsigned i = 0; i <= ka; i++) {
        double pa = i < ka ? gsl_ran_poisson_pdf(i, ma) : gsl_cdf_poisson_Q(ka - 1, ma);
        for (unsigned j = 0; j <= kb; j++) {
            double pb = j < kb ? gsl_ran_poisson_pdf(j, mb) : gsl_cdf_poisson_Q(kb - 1, mb);
            if (i + j >= t)
                p += pa * pb;
        }
    }
    return p;
}

START_TEST(test_coverage_diff_and_p)
{
    scenario *s = load_text(poisson_text);
    s->target_releases = 53;
    /* allocation 0: 42 and 15 bonds; allocation 1: 30 and 25 */
    const double alloc[4] = {42000, 15000, 30000, 25000};
    const double diff = mean_min_poisson(40, 30) + mean_min_poisson(20, 25) - mean_min_poisson(40, 42) -
                        mean_min_poisson(20, 15);
    const double p = p_reach(40, 42, 20, 15, 53);
    const int runs = 400;
    int dcov = 0, dplain = 0, pcov = 0, pcv = 0, dcv = 0;
    double dratio = 0, pratio = 0;
    for (int i = 0; i < runs; i++) {
        s->seed = 9100 + (uint64_t)i;
        eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = 200, .threads = 1};
        eval_result *r = run_eval(s, alloc, 2, &o);
        const eval_alloc *a = &r->allocs[1];
        cv_report d = cv_out_mean(r, cv_out_est_of(&a->diff_releases), &a->cv_diff_releases);
        dcv += !d.reason;
        dcov += d.est.lo <= diff && diff <= d.est.hi;
        dplain += d.plain.lo <= diff && diff <= d.plain.hi;
        dratio += pow((d.plain.hi - d.plain.lo) / (d.est.hi - d.est.lo), 2) / runs;
        cv_report q = cv_out_p_target(r, 0);
        pcv += !q.reason;
        pcov += q.est.lo <= p && p <= q.est.hi;
        if (!q.reason)
            pratio += pow((q.plain.hi - q.plain.lo) / (q.est.hi - q.est.lo), 2);
        eval_free(r);
    }
    const double floor95 = (0.95 - 3 * sqrt(0.95 * 0.05 / runs)) * runs;
    fprintf(stderr,
            "paired difference %.4f: controlled covers %d/%d (plain %d), width ratio^2 %.2f; P(>=53) = %.4f: covers "
            "%d/%d (%d controlled, width ratio^2 %.2f); floor %.1f\n",
            diff, dcov, runs, dplain, dratio, p, pcov, runs, pcv, pcv ? pratio / pcv : NAN, floor95);
    ck_assert_int_eq(dcv, runs);
    ck_assert(pcv >= runs * 9 / 10); /* P near 1/2: nearly always controlled */
    ck_assert_msg(dcov >= floor95, "difference: %d of %d intervals cover %g", dcov, runs, diff);
    ck_assert_msg(pcov >= floor95, "P(target): %d of %d intervals cover %g", pcov, runs, p);
    ck_assert(dratio > 1 && pratio / pcv > 1);
    scenario_free(s);
}
END_TEST

/* P(target) never controlled when every replication is on one side: Wilson's
 * interval, never [0, 0] */
START_TEST(test_p_target_one_side)
{
    scenario *s = load_text(poisson_text);
    s->target_releases = 500; /* out of reach */
    const double alloc[2] = {42000, 15000};
    eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = 300, .threads = 1};
    eval_result *r = run_eval(s, alloc, 1, &o);
    cv_report q = cv_out_p_target(r, 0);
    ck_assert_ptr_nonnull(q.reason);
    ck_assert(q.est.value == 0 && q.est.lo == 0 && q.est.hi > 0);
    char buf[80];
    summary_p_target_text(buf, sizeof buf, r, 0);
    ck_assert_msg(!strstr(buf, "[0.000, 0.000]"), "%s", buf);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* ---- seed-2025: variance reduction ---- */

static double reduction(json_t *j, const char *path)
{
    char plain[256], ci[256];
    snprintf(ci, sizeof ci, "%s.ci95", path);
    snprintf(plain, sizeof plain, "%s.plain.ci95", path);
    char est[256];
    snprintf(est, sizeof est, "%s.estimator", path);
    ck_assert_str_eq(json_string_value(cu_json_at(j, est)), "control_variate");
    double r = pow(cu_json_ci_width(j, plain) / cu_json_ci_width(j, ci), 2);
    fprintf(stderr, "seed-2025 %s: variance / %.2f\n", path, r);
    return r;
}

START_TEST(test_seed2025_reduction)
{
    const char *dir = cu_test_dir("seed2025");
    const char *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 300, "optimize", "--replications", "2000", "--gap", "none", "--set",
                               "fund.target_releases=58", "--no-plots", "--quiet", "-o", out,
                               FZ_TEST_DIR "/../scenarios/seed-2025.ini"),
                     0);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert(reduction(j, "optimal.out_of_sample") > 10); /* fundable cases bind at the optimum */
    ck_assert(reduction(j, "pooled.value") > 10);
    ck_assert(reduction(j, "baselines.equal_split.value") > 1);
    ck_assert(reduction(j, "baselines.proportional.difference_to_optimal") > 1);
    ck_assert(reduction(j, "baselines.expected_value.difference_to_optimal") > 1);
    ck_assert(reduction(j, "baselines.equal_split.difference_to_optimal") > 1);
    ck_assert(reduction(j, "vss") > 1);
    ck_assert(reduction(j, "wait_and_see") > 1); /* controlled since h18-cvws (check_cv_ws) */
    /* P(releases >= 58) at the optimum: controlled, narrower than Wilson */
    ck_assert_str_eq(json_string_value(cu_json_at(j, "releases.p_target_estimator")), "control_variate");
    double pr = pow(cu_json_ci_width(j, "releases.p_target_plain.p_target_ci95") / cu_json_ci_width(j, "releases.p_target_ci95"), 2);
    fprintf(stderr, "seed-2025 P(releases >= 58): variance / %.2f\n", pr);
    ck_assert(pr > 1);
    double pv = cu_json_num(j, "releases.p_target");
    ck_assert(pv > 0 && pv < 1);
    json_decref(j);
}
END_TEST

/* ---- plain values unchanged against the golden files ---- */

/* Every key of old is in new with the same value, or its old value is in
 * new's `plain` (or `p_target_plain`) beside it. */
static int same_or_plain(json_t *old, json_t *new, const char *path, char *bad, size_t size)
{
    if (json_is_object(old)) {
        if (!json_is_object(new))
            return snprintf(bad, size, "%s: not an object", path), 0;
        const char *k;
        json_t *v;
        json_object_foreach(old, k, v)
        {
            char sub[512];
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            json_t *n = json_object_get(new, k);
            /* plain -> control_variate (wait_and_see, evpi: check_cv_ws): the
             * reason goes (it is only there with "plain"), the old numbers
             * are in `plain` */
            if (json_object_get(new, "plain") && !strcmp(k, "estimator_reason") && !n)
                continue;
            if (json_object_get(new, "plain") && !strcmp(k, "estimator") && n &&
                !strcmp(json_string_value(n) ? json_string_value(n) : "", "control_variate"))
                continue;
            if (!n)
                return snprintf(bad, size, "%s: removed", sub), 0;
            if (json_equal(v, n))
                continue;
            json_t *pl = json_object_get(new, "plain"), *pp = json_object_get(new, "p_target_plain");
            if ((pl && json_equal(v, json_object_get(pl, k))) || (pp && json_equal(v, json_object_get(pp, k))))
                continue;
            if (!same_or_plain(v, n, sub, bad, size))
                return 0;
        }
        return 1;
    }
    if (json_is_array(old) && json_is_array(new) && json_array_size(old) == json_array_size(new) &&
        json_array_size(old) > 0 && json_is_object(json_array_get(old, 0))) {
        for (size_t i = 0; i < json_array_size(old); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (!same_or_plain(json_array_get(old, i), json_array_get(new, i), sub, bad, size))
                return 0;
        }
        return 1;
    }
    if (json_equal(old, new))
        return 1;
    return snprintf(bad, size, "%s: changed", path), 0;
}

static void golden_check(const char *dir, const char *name, const char *const *args)
{
    const char *out = cu_path_in(dir, name);
    const char *argv[40];
    size_t n = 0;
    for (; args[n]; n++)
        argv[n] = args[n];
    const char *tail[] = {"--replications", "300", "--no-plots", "--quiet", "-o", out, NULL};
    for (size_t i = 0; tail[i]; i++)
        argv[n++] = tail[i];
    argv[n] = NULL;
    run_result r;
    ck_assert_int_eq(cu_run_v(&r, dir, 300, argv), 0);
    cu_run_free(&r);
    char gpath[512];
    snprintf(gpath, sizeof gpath, "%s/data/golden/%s.json", FZ_TEST_DIR, name);
    json_t *g = cu_load_json(gpath), *j = cu_load_json(cu_path_in(out, "summary.json"));
    char bad[600] = "";
    ck_assert_msg(same_or_plain(g, j, name, bad, sizeof bad), "%s", bad);
    json_decref(g);
    json_decref(j);
}

START_TEST(test_plain_unchanged)
{
    const char *dir = cu_test_dir("golden");
    const char *seed = FZ_TEST_DIR "/../scenarios/seed-2025.ini";
    golden_check(dir, "optimize-seed-2025",
                 (const char *const[]){"optimize", "--gap", "mmw", "--gap-batches", "2", seed, NULL});
    golden_check(dir, "optimize-midwest-3y",
                 (const char *const[]){"optimize", "--gap", "mmw", "--gap-batches", "2",
                                       FZ_TEST_DIR "/../scenarios/midwest-3y.ini", NULL});
    golden_check(dir, "compare",
                 (const char *const[]){"compare", "--allocation", "chicago=150000,kansas_city=150000", "--allocation",
                                       "chicago=250000,kansas_city=50000", "--policy", "cheapest_first", "--policy",
                                       "first_come", seed, NULL});
}
END_TEST

/* ---- --precision-block ---- */

static const double two_alloc[2] = {150000, 60000};

static eval_result *eval_nb(const scenario *s, size_t nreps, double precision, size_t block, int threads)
{
    eval_options o = {.stream = RNG_STREAM_EVALUATE,
                      .nreps = nreps,
                      .threads = threads,
                      .precision = precision,
                      .precision_block = block};
    return run_eval(s, two_alloc, 1, &o);
}

START_TEST(test_precision_block)
{
    scenario *s = load_text(random_text);
    static const size_t blocks[] = {100, 300, 2500};
    for (size_t b = 0; b < 3; b++) {
        const size_t N = blocks[b];
        eval_result *p1 = eval_nb(s, 40000, 0.05, N, 1), *p3 = eval_nb(s, 40000, 0.05, N, 3);
        ck_assert(p1->precision_reached);
        ck_assert_uint_eq(p1->precision_block, N);
        ck_assert_uint_eq(p1->nreps, p3->nreps); /* threads do not move the stop */
        ck_assert_uint_eq(p1->precision_blocks, p3->precision_blocks);
        const size_t n = p1->nreps;
        ck_assert_uint_ge(n, 1024);
        if (N <= EVAL_BLOCK)
            ck_assert_uint_eq(n % N, 0); /* blocks of N: the stop is a multiple */
        else /* blocks of 1024: the one that reached a multiple of N */
            ck_assert(n % EVAL_BLOCK == 0 && n / N > (n - EVAL_BLOCK) / N);
        double m1, h1, m3, h3, m, h;
        ck_assert_int_eq(eval_releases(p1, 0, &m1, &h1), 1);
        eval_releases(p3, 0, &m3, &h3);
        ck_assert(h1 <= 0.05 && m1 == m3 && h1 == h3);
        eval_result *q = eval_nb(s, n, 0, 0, 2); /* a plain run of n replications */
        eval_releases(q, 0, &m, &h);
        ck_assert(m == m1 && h == h1);
        ck_assert(memcmp(p1->allocs[0].totals, q->allocs[0].totals, n * sizeof(double)) == 0);
        ck_assert(p1->allocs[0].spent.m2 == q->allocs[0].spent.m2 && p1->people == q->people);
        if (N <= EVAL_BLOCK && n - N >= EVAL_BLOCK) { /* the check before did not stop */
            eval_result *e = eval_nb(s, n - N, 0, 0, 1);
            eval_releases(e, 0, &m, &h);
            ck_assert(h > 0.05);
            eval_free(e);
        }
        fprintf(stderr, "--precision-block %zu: stopped at %zu after %zu checks\n", N, n, p1->precision_blocks);
        eval_free(p1);
        eval_free(p3);
        eval_free(q);
    }
    /* the default is EVAL_BLOCK, as before */
    eval_result *d = eval_nb(s, 40000, 0.05, 0, 1), *e = eval_nb(s, 40000, 0.05, EVAL_BLOCK, 1);
    ck_assert_uint_eq(d->nreps, e->nreps);
    ck_assert_uint_eq(d->precision_block, EVAL_BLOCK);
    ck_assert_uint_eq(d->nreps % EVAL_BLOCK, 0);
    eval_free(d);
    eval_free(e);
    scenario_free(s);
}
END_TEST

START_TEST(test_precision_block_cli)
{
    const char *dir = cu_test_dir("pblock");
    const char *ini = cu_two_ini(dir, 30000);
    run_result r;
    const char *out[2] = {cu_path_in(dir, "t1"), cu_path_in(dir, "t3")};
    const char *thr[2] = {"1", "3"};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(CU_RUN_IN(&r, dir, 120, "simulate", "--allocation", "chicago=150000,kansas_city=60000",
                                   "--precision", "0.5", "--precision-block", "300", "--threads", thr[i],
                                   "--no-plots", "--quiet", "-o", out[i], ini),
                         0);
        cu_run_free(&r);
    }
    json_t *a = cu_load_json(cu_path_in(out[0], "summary.json")), *b = cu_load_json(cu_path_in(out[1], "summary.json"));
    ck_assert_double_eq(cu_json_num(a, "precision.block"), 300);
    double n = cu_json_num(a, "replications.evaluate");
    ck_assert(fmod(n, 300) == 0 && n >= 1024 && n < 30000);
    ck_assert(json_equal(cu_json_at(a, "releases"), cu_json_at(b, "releases")));
    ck_assert(json_equal(cu_json_at(a, "precision"), cu_json_at(b, "precision")));
    json_decref(a);
    json_decref(b);
    /* optimize and compare take it too */
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 120, "optimize", "--precision", "0.5", "--precision-block", "512", "--gap",
                               "none", "--no-plots", "--quiet", "-o", cu_path_in(dir, "opt"), ini),
                     0);
    cu_run_free(&r);
    json_t *o = cu_load_json(cu_path_in(cu_path_in(dir, "opt"), "summary.json"));
    ck_assert_double_eq(cu_json_num(o, "precision.block"), 512);
    json_decref(o);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 120, "compare", "--allocation", "chicago=1", "--allocation", "kansas_city=1",
                               "--precision", "0.5", "--precision-block", "2048", "--no-plots", "--quiet", "-o",
                               cu_path_in(dir, "cmp"), ini),
                     0);
    cu_run_free(&r);
    /* refused: exit 2, the option named, nothing written */
    const char *bad[][2] = {{"0", "whole number"}, {"-1", "whole number"},     {"1.5", "whole number"},
                            {"abc", "whole number"}, {"30001", "the cap"}, {"1e3", "whole number"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *o3 = cu_path_in(dir, "bad");
        ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "simulate", "--allocation", "chicago=1", "--precision", "1",
                                   "--precision-block", bad[i][0], "-o", o3, ini),
                         2);
        ck_assert_msg(strstr(r.err, "--precision-block") && strstr(r.err, bad[i][1]), "%s", r.err);
        ck_assert(!cu_exists(o3));
        cu_run_free(&r);
    }
    const char *o4 = cu_path_in(dir, "bad2");
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "simulate", "--allocation", "chicago=1", "--precision-block", "100",
                               "-o", o4, ini),
                     2);
    ck_assert_msg(strstr(r.err, "only with --precision"), "%s", r.err);
    ck_assert(!cu_exists(o4));
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "sweep", "--budget", "1000:2000:1000", "--precision-block", "100", ini),
                     2);
    cu_run_free(&r);
}
END_TEST

Suite *make_cv_all_suite(void)
{
    Suite *s = suite_create("cv_all");
    TCase *t = tcase_create("cv_all");
    tcase_set_timeout(t, 600);
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_add_test(t, test_coverage_diff_and_p);
    tcase_add_test(t, test_p_target_one_side);
    tcase_add_test(t, test_seed2025_reduction);
    tcase_add_test(t, test_plain_unchanged);
    tcase_add_test(t, test_precision_block);
    tcase_add_test(t, test_precision_block_cli);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(cv_all)
