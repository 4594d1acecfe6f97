/* check_precision: sequential stopping (--precision, issue 16) and the
 * control-variate estimate it stops on.
 *
 * - a stopped evaluation equals a plain one of the same replications, bit
 *   for bit, with 1 and 3 threads;
 * - it stops at the first block whose reported half-width is within the
 *   target, and runs to the cap when the target is out of reach;
 * - the CLI: summary.json precision {target, reached, blocks} and
 *   replications.evaluate, releases.estimator, releases.plain; bad values
 *   refused with exit 2 and nothing written; not an option of sweep;
 * - cv_estimate: exact on a linear model, plain when x does not vary. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "cv.h"
#include "eval.h"

#include "engine_util.h"

static const double two_alloc[2] = {150000, 60000};

static eval_result *eval_n(const scenario *s, size_t nreps, double precision, int threads)
{
    eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = nreps, .threads = threads, .precision = precision};
    return run_eval(s, two_alloc, 1, &o);
}

START_TEST(test_stopped_equals_plain)
{
    scenario *s = load_text(random_text);
    static const double targets[] = {0.25, 0.06, 0.04};
    size_t most = 0;
    for (int t = 0; t < 6; t++) {
        const int threads = t % 2 ? 3 : 1;
        const double target = targets[t / 2];
        eval_result *p = eval_n(s, 40000, target, threads);
        most = p->precision_blocks > most ? p->precision_blocks : most;
        ck_assert(p->precision_reached);
        ck_assert_uint_eq(p->nreps % EVAL_BLOCK, 0);
        ck_assert_uint_eq(p->nreps, p->precision_blocks * EVAL_BLOCK);
        ck_assert_uint_lt(p->nreps, 40000);
        double m, h, m2, h2;
        ck_assert_int_eq(eval_releases(p, 0, &m, &h), 1);
        ck_assert(h <= target);
        eval_result *q = eval_n(s, p->nreps, 0, 1);
        ck_assert_int_eq(eval_releases(q, 0, &m2, &h2), 1);
        ck_assert(m == m2 && h == h2); /* bit for bit */
        ck_assert(p->allocs[0].releases.mean == q->allocs[0].releases.mean);
        ck_assert(p->allocs[0].spent.m2 == q->allocs[0].spent.m2);
        ck_assert(memcmp(p->allocs[0].totals, q->allocs[0].totals, p->nreps * sizeof(double)) == 0);
        ck_assert(p->people == q->people);
        /* the block before did not reach it */
        if (p->precision_blocks > 1) {
            eval_result *b = eval_n(s, p->nreps - EVAL_BLOCK, 0, 1);
            double mb, hb;
            eval_releases(b, 0, &mb, &hb);
            ck_assert(hb > target);
            eval_free(b);
        }
        eval_free(p);
        eval_free(q);
    }
    ck_assert_uint_ge(most, 3); /* some targets took several blocks */
    scenario_free(s);
}
END_TEST

START_TEST(test_cap)
{
    scenario *s = load_text(random_text);
    eval_result *p = eval_n(s, 3000, 1e-6, 2);
    ck_assert(!p->precision_reached);
    ck_assert_uint_eq(p->nreps, 3000);
    ck_assert_uint_eq(p->precision_blocks, 3);
    eval_free(p);
    scenario_free(s);
}
END_TEST

START_TEST(test_estimate_linear)
{
    /* y = 3 + 2 x exactly: the controlled mean is 3 + 2 mu whatever the x */
    cv_acc a = {0};
    for (uint64_t i = 0; i < 100; i++) {
        double x = (double)((i * 37) % 11);
        cv_add(&a, i, x, 3 + 2 * x);
    }
    cv_est e = cv_estimate(&a, 4.25);
    ck_assert_double_eq_tol(e.mean, 3 + 2 * 4.25, 1e-12);
    ck_assert_double_eq_tol(e.half95, 0, 1e-9);
    ck_assert_double_eq_tol(e.rho, 1, 1e-12);
    /* x constant: the plain mean and its t interval (n - 2 df) */
    cv_acc b = {0};
    stat_acc p = {0, 0, 0};
    for (uint64_t i = 0; i < 50; i++) {
        double y = (double)((i * 7) % 13);
        cv_add(&b, i, 5, y);
        stat_add(&p, y);
    }
    e = cv_estimate(&b, 5);
    ck_assert_double_eq_tol(e.mean, p.mean, 1e-12);
    ck_assert(e.half95 > 0 && fabs(e.half95 / stat_ci95_half(&p) - 1) < 0.05);
    /* fewer than 3 per half: not available */
    cv_acc c = {0};
    for (uint64_t i = 0; i < 5; i++)
        cv_add(&c, i, (double)i, (double)i);
    ck_assert(isnan(cv_estimate(&c, 2).mean));
}
END_TEST

START_TEST(test_cli)
{
    const char *dir = cu_test_dir("cli");
    const char *ini = cu_two_ini(dir, 50000);
    run_result r;
    const char *out = cu_path_in(dir, "out");
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 120, "simulate", "--allocation", "chicago=150000,kansas_city=60000",
                               "--precision", "0.5", "--no-plots", "--quiet", "-o", out, ini),
                     0);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert(json_is_true(cu_json_at(j, "precision.reached")));
    double n = cu_json_num(j, "replications.evaluate");
    ck_assert(n < 50000 && fmod(n, 1024) == 0);
    ck_assert_double_eq(cu_json_num(j, "precision.blocks"), n / 1024);
    ck_assert_double_eq(cu_json_num(j, "precision.target"), 0.5);
    ck_assert_str_eq(json_string_value(cu_json_at(j, "releases.estimator")), "control_variate");
    json_t *ci = cu_json_at(j, "releases.ci95");
    double half = (json_number_value(json_array_get(ci, 1)) - json_number_value(json_array_get(ci, 0))) / 2;
    ck_assert(half <= 0.5);
    ck_assert_double_eq_tol(half, cu_json_num(j, "precision.half_width"), 1e-9);
    double plain = cu_json_num(j, "releases.plain.mean"), cvm = cu_json_num(j, "releases.mean");
    ck_assert(fabs(plain - cvm) < 5);
    json_decref(j);

    /* the same number of replications without --precision: the same summary numbers */
    const char *out2 = cu_path_in(dir, "out2");
    char nbuf[32];
    snprintf(nbuf, sizeof nbuf, "%.0f", n);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 120, "simulate", "--allocation", "chicago=150000,kansas_city=60000",
                               "--replications", nbuf, "--no-plots", "--quiet", "-o", out2, ini),
                     0);
    cu_run_free(&r);
    json_t *j1 = cu_load_json(cu_path_in(out, "summary.json")), *j2 = cu_load_json(cu_path_in(out2, "summary.json"));
    ck_assert(json_equal(cu_json_at(j1, "releases"), cu_json_at(j2, "releases")));
    ck_assert(json_equal(cu_json_at(j1, "regions"), cu_json_at(j2, "regions")));
    ck_assert_ptr_null(json_object_get(j2, "precision"));
    json_decref(j1);
    json_decref(j2);

    /* bad values: exit 2, named, nothing written */
    const char *bad[] = {"0", "-1", "abc", "inf", "1e10"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *o3 = cu_path_in(dir, "bad");
        ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "simulate", "--allocation", "chicago=1", "--precision", bad[i],
                                   "-o", o3, ini),
                         2);
        ck_assert_msg(strstr(r.err, "--precision"), "%s", r.err);
        ck_assert(!cu_exists(o3));
        cu_run_free(&r);
    }
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "sweep", "--budget", "1000:2000:1000", "--precision", "1", ini), 2);
    cu_run_free(&r);
}
END_TEST

Suite *make_precision_suite(void)
{
    Suite *s = suite_create("precision");
    TCase *t = tcase_create("stopping");
    tcase_set_timeout(t, 300);
    tcase_add_unchecked_fixture(t, cu_work_setup, cu_work_teardown);
    tcase_add_test(t, test_stopped_equals_plain);
    tcase_add_test(t, test_cap);
    tcase_add_test(t, test_estimate_linear);
    tcase_add_test(t, test_cli);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(precision)
