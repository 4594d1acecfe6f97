/* check_split_lp: the allocation model (models/alloc.h) on its own, no
 * simulation (brute-force comparisons: check_alloc).
 *
 * - split_cvar against hand-computed values and the Rockafellar-Uryasev formula;
 * - the budget row's dual against the finite difference of the LP relaxation
 *   optimum on concave curves;
 * - split_check's rejections, and degenerate models that GLPK must solve.
 *
 * Every random instance comes from a fixed-seed gsl_rng, so a failure names
 * an instance that can be replayed.  Shared helpers are in split_util.h. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "check_common.h"

#include "split_util.h"

/* split_cvar from sorted values, by hand. */
START_TEST(test_cvar_hand)
{
    const double x[] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6}; /* 1..10, shuffled */
    const double sorted[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    /* alpha n = 2.5: (1 + 2 + 0.5 * 3) / 2.5 */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.25), 1.8, 1e-12);
    ck_assert_double_eq_tol(split_cvar(sorted, 10, 0.25), 1.8, 1e-12);
    /* alpha = 1: the mean */
    ck_assert_double_eq_tol(split_cvar(x, 10, 1), 5.5, 1e-12);
    /* alpha n = 1: the minimum */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.1), 1, 1e-12);
    /* alpha n = 0.5: still the minimum (a fraction of the worst value) */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.05), 1, 1e-12);
    /* alpha n = 5: mean of the five worst */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.5), 3, 1e-12);
    /* alpha n = 3.3: (1 + 2 + 3 + 0.3 * 4) / 3.3 */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.33), (6 + 0.3 * 4) / 3.3, 1e-12);
    /* alpha n = 7.5 of 10 */
    ck_assert_double_eq_tol(split_cvar(x, 10, 0.75), (28 + 0.5 * 8) / 7.5, 1e-12);
    /* ties and negatives: {-2, -2, 0, 5}, alpha n = 1.5: (-2 + 0.5 * -2) / 1.5 = -2 */
    const double y[] = {5, -2, 0, -2};
    ck_assert_double_eq_tol(split_cvar(y, 4, 0.375), -2, 1e-12);
    /* alpha n = 2.6 of {-2,-2,0,5}: (-4 + 0.6 * 0) / 2.6 */
    ck_assert_double_eq_tol(split_cvar(y, 4, 0.65), -4 / 2.6, 1e-12);
    /* one value */
    const double z[] = {42};
    ck_assert_double_eq_tol(split_cvar(z, 1, 0.1), 42, 1e-12);
    ck_assert_double_eq_tol(split_cvar(z, 1, 1), 42, 1e-12);
    /* x is not modified */
    ck_assert_double_eq(x[0], 7);
    ck_assert_double_eq(x[9], 6);
}
END_TEST

/* split_cvar against the Rockafellar-Uryasev formula evaluated directly:
 * max over eta in the data of eta - sum (eta - x_i)^+ / (alpha n) (the
 * maximum is attained at a data point, the alpha-quantile). */
START_TEST(test_cvar_vs_ru_formula)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    double x[37];
    for (int t = 0; t < 500; t++) {
        size_t n = 1 + gsl_rng_uniform_int(r, 37);
        for (size_t i = 0; i < n; i++)
            x[i] = t % 2 ? (double)gsl_rng_uniform_int(r, 6) : gsl_ran_gaussian(r, 3);
        double alpha = t % 5 == 0 ? 1 : 0.01 + 0.99 * gsl_rng_uniform(r);
        double best = -INFINITY;
        for (size_t j = 0; j < n; j++) {
            double eta = x[j], s = 0;
            for (size_t i = 0; i < n; i++)
                s += eta > x[i] ? eta - x[i] : 0;
            double v = eta - s / (alpha * (double)n);
            if (v > best)
                best = v;
        }
        double c = split_cvar(x, n, alpha);
        ck_assert_msg(close_to(c, best, 1e-12), "trial %d: n=%zu alpha=%g: split_cvar %.15g, R-U %.15g", t, n, alpha, c,
                      best);
    }
    gsl_rng_free(r);
}
END_TEST

/* ---- budget dual ---- */

/* Concave curves: v_c(g) = sum of the first g increments of a nonincreasing
 * list.  The LP relaxation of the multiple-choice knapsack over concave
 * curves is the continuous concave knapsack, so LP(B) for integer B is the
 * sum of the B largest positive increments over all regions, linear between
 * integers.  Where the B-th and (B+1)-th largest increments are equal (and
 * positive), LP(.) is linear on [B-1, B+1]: it is differentiable at B, the
 * budget row's optimal dual is unique (the subdifferential of the LP value
 * function is a single point) and equals both one-sided finite differences
 * exactly: whichever basis GLPK ends in, the dual it reports must be that
 * slope.  The instances are built with repeated increment values so that
 * such budgets exist. */
START_TEST(test_budget_dual)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4242);
    int checked = 0;
    for (int t = 0; t < 300 && checked < 100; t++) {
        const size_t C = 2 + (size_t)(t % 2), G = 6 + gsl_rng_uniform_int(r, 7);
        const double step = t % 3 == 0 ? 1000 : 500;
        long lo[MAXC], hi[MAXC];
        double v[MAXC * MAXG], inc[MAXC * MAXG];
        size_t ninc = 0;
        for (size_t c = 0; c < C; c++) {
            lo[c] = 0;
            hi[c] = (long)G - 1;
            /* nonincreasing increments from a small set: {8, 6, 6, 4, 4, 4, 1, 0, ...} */
            double d[MAXG];
            for (size_t g = 0; g + 1 < G; g++)
                d[g] = (double)(2 * gsl_rng_uniform_int(r, 5)); /* 0, 2, .., 8 */
            for (size_t i = 1; i + 1 < G; i++)                  /* sort descending */
                for (size_t j = i; j > 0 && d[j] > d[j - 1]; j--) {
                    double tmp = d[j];
                    d[j] = d[j - 1];
                    d[j - 1] = tmp;
                }
            v[c * G] = (double)gsl_rng_uniform_int(r, 3);
            for (size_t g = 1; g < G; g++) {
                v[c * G + g] = v[c * G + g - 1] + d[g - 1];
                inc[ninc++] = d[g - 1];
            }
        }
        for (size_t i = 1; i < ninc; i++)
            for (size_t j = i; j > 0 && inc[j] > inc[j - 1]; j--) {
                double tmp = inc[j];
                inc[j] = inc[j - 1];
                inc[j - 1] = tmp;
            }
        /* budgets B (1 <= B < ninc) with inc[B-1] == inc[B] > 0 */
        for (long B = 1; B < (long)ninc; B++) {
            if (!(inc[B - 1] == inc[B] && inc[B] > 0))
                continue;
            double base = 0, lp_exact = 0;
            for (size_t c = 0; c < C; c++)
                base += v[c * G];
            for (long i = 0; i < B; i++)
                lp_exact += inc[i];
            split_problem p = {.nregions = C, .ngrid = G, .step = step, .lo = lo, .hi = hi, .value = v};
            split_result at[3];
            fz_error err = {0};
            for (int k = 0; k < 3; k++) {
                p.budget_steps = B - 1 + k;
                ck_assert_msg(split_solve(&at[k], &p, &err) == 0, "%s", err.msg);
            }
            double slope = inc[B] / step; /* releases per USD */
            double fd_right = (at[2].lp_value - at[1].lp_value) / step;
            double fd_left = (at[1].lp_value - at[0].lp_value) / step;
            ck_assert_msg(close_to(at[1].lp_value, base + lp_exact, 1e-9), "trial %d B=%ld: LP %.12g, greedy %.12g", t,
                          B, at[1].lp_value, base + lp_exact);
            /* compared per grid step (values of order 1: the tolerance is relative) */
            ck_assert_msg(close_to(fd_right * step, slope * step, 1e-9) && close_to(fd_left * step, slope * step, 1e-9),
                          "trial %d B=%ld: finite differences %.12g, %.12g, slope %.12g", t, B, fd_left, fd_right,
                          slope);
            ck_assert_msg(close_to(at[1].budget_dual * step, fd_right * step, 1e-9),
                          "trial %d B=%ld: budget_dual %.12g per USD, finite difference %.12g", t, B, at[1].budget_dual,
                          fd_right);
            /* the MIP is integral here: concave curves, integer budget */
            ck_assert_msg(close_to(at[1].value, at[1].lp_value, 1e-9), "trial %d B=%ld: MIP %.12g, LP %.12g", t, B,
                          at[1].value, at[1].lp_value);
            for (int k = 0; k < 3; k++)
                split_result_free(&at[k]);
            checked++;
        }
    }
    ck_assert_int_ge(checked, 100);
    gsl_rng_free(r);
}
END_TEST

/* A budget beyond every region's last useful point: money has no value, the
 * budget row is slack and its dual is zero. */
START_TEST(test_budget_dual_slack)
{
    const long lo[] = {0, 0}, hi[] = {4, 4};
    const double v[] = {0, 3, 5, 6, 6, 0, 2, 2, 2, 2};
    split_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 8, .lo = lo, .hi = hi, .value = v};
    split_result res;
    fz_error err = {0};
    ck_assert_int_eq(split_solve(&res, &p, &err), 0);
    ck_assert_double_eq_tol(res.value, 8, 1e-12);
    ck_assert_double_eq_tol(res.budget_dual, 0, 1e-12);
    /* the cheapest points with the best values: 3 and 1 */
    ck_assert_int_eq(res.steps[0], 3);
    ck_assert_int_eq(res.steps[1], 1);
    split_result_free(&res);
}
END_TEST

/* ---- split_check ---- */

static void expect_einput(const split_problem *p, const char *what)
{
    fz_error err = {0};
    ck_assert_msg(split_check(p, &err) == FZ_EINPUT, "%s: split_check accepted it", what);
    ck_assert_int_eq(err.code, FZ_EINPUT);
    ck_assert_msg(strlen(err.msg) > 10, "%s: no message", what);
    ck_assert_msg(strstr(err.msg, "allocation") != NULL, "%s: message '%s'", what, err.msg);
    split_result res;
    memset(&err, 0, sizeof err);
    ck_assert_msg(split_solve(&res, p, &err) == FZ_EINPUT, "%s: split_solve accepted it", what);
    ck_assert_ptr_null(res.steps);
    ck_assert(strlen(err.msg) > 10);
}

START_TEST(test_check_rejects)
{
    const double v[2 * 5] = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    long lo[2] = {0, 0}, hi[2] = {4, 4};
    split_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 6, .lo = lo, .hi = hi, .value = v};
    fz_error err = {0};
    ck_assert_int_eq(split_check(&p, &err), 0);

    lo[1] = 3, hi[1] = 2;
    expect_einput(&p, "lo > hi");
    lo[1] = 0, hi[1] = 5;
    expect_einput(&p, "hi >= ngrid");
    hi[1] = 4, lo[0] = -1;
    expect_einput(&p, "lo < 0");
    lo[0] = 4, lo[1] = 3; /* 7 > 6 */
    expect_einput(&p, "sum lo > budget");
    {
        fz_error e = {0};
        split_check(&p, &e);
        ck_assert_msg(strstr(e.msg, "budget") != NULL, "sum lo > budget: message '%s'", e.msg);
    }
    lo[0] = 3; /* 6 = 6: allowed, and the only split is (3, 3) */
    ck_assert_int_eq(split_check(&p, &err), 0);
    split_result res;
    ck_assert_int_eq(split_solve(&res, &p, &err), 0);
    ck_assert_int_eq(res.steps[0], 3);
    ck_assert_int_eq(res.steps[1], 3);
    ck_assert_double_eq_tol(res.value, 6, 1e-12);
    split_result_free(&res);

    lo[0] = lo[1] = 0;
    p.cvar = 1;
    p.alpha = 0;
    p.nreps = 1;
    p.rep_value = v;
    expect_einput(&p, "cvar alpha = 0");
    p.alpha = 1.5;
    expect_einput(&p, "cvar alpha > 1");
    p.alpha = 0.5;
    p.nreps = 0;
    expect_einput(&p, "cvar without replications");
    p.cvar = 0;
    p.nregions = 0;
    expect_einput(&p, "no regions");
}
END_TEST

/* ---- degenerate models GLPK must solve without aborting ---- */

START_TEST(test_degenerate)
{
    fz_error err = {0};
    split_result res;
    const double zeros[64] = {0};
    const long lo0[3] = {0, 0, 0}, hi0[3] = {0, 0, 0}, hi4[3] = {4, 4, 4};

    /* one grid point, all values zero, budget 0 */
    split_problem p = {.nregions = 3, .ngrid = 1, .step = 500, .budget_steps = 0, .lo = lo0, .hi = hi0, .value = zeros};
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(res.status, ALLOC_OPTIMAL);
    ck_assert_double_eq(res.value, 0);
    ck_assert_double_eq(res.lp_value, 0);
    for (int c = 0; c < 3; c++)
        ck_assert_int_eq(res.steps[c], 0);
    ck_assert(isfinite(res.budget_dual));
    split_result_free(&res);
    ck_assert_double_eq(split_dp(&p, NULL), 0);

    /* one region */
    p.nregions = 1;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(res.value, 0);
    split_result_free(&res);

    /* several grid points, all zero: every point but 0 is dominated */
    p.nregions = 3;
    p.ngrid = 5;
    p.hi = hi4;
    p.budget_steps = 7;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(res.value, 0);
    ck_assert_double_eq(res.budget_dual, 0);
    ck_assert(feasible(&p, res.steps));
    split_result_free(&res);

    /* budget 0 with several grid points */
    p.budget_steps = 0;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    for (int c = 0; c < 3; c++)
        ck_assert_int_eq(res.steps[c], 0);
    split_result_free(&res);

    /* CVaR with all-zero replications (rows with no y coefficients), one grid point */
    p.ngrid = 1;
    p.hi = hi0;
    p.cvar = 1;
    p.alpha = 0.1;
    p.nreps = 5;
    p.rep_value = zeros;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq_tol(res.value, 0, 1e-12);
    split_result_free(&res);

    /* CVaR, several grid points, all zero */
    p.ngrid = 4;
    const long hi3[3] = {3, 3, 3};
    p.hi = hi3;
    p.budget_steps = 5;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq_tol(res.value, 0, 1e-12);
    ck_assert(feasible(&p, res.steps));
    split_result_free(&res);

    /* a time limit that is set but never reached */
    p.cvar = 0;
    p.time_limit = 10;
    ck_assert_msg(split_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(res.status, ALLOC_OPTIMAL);
    split_result_free(&res);
    split_result_free(NULL);
}
END_TEST

/* The model size: one column per non-dominated point (the dominance rule of
 * alloc.c), C + 1 rows for the mean objective. */
START_TEST(test_model_size)
{
    const long lo[] = {0, 1}, hi[] = {4, 4};
    /* region 0: points 0..4 with values 0 2 2 1 3 -> kept 0, 1, 4
     * region 1: allowed 1..4 with values 5 4 6 6 -> kept 1, 3 */
    const double v[] = {0, 2, 2, 1, 3, 9, 5, 4, 6, 6};
    split_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 5, .lo = lo, .hi = hi, .value = v};
    split_result res;
    fz_error err = {0};
    ck_assert_int_eq(split_solve(&res, &p, &err), 0);
    ck_assert_int_eq(res.columns, 5);
    ck_assert_int_eq(res.rows, 3);
    /* optimum: (4, 1) = 3 + 5 = 8 vs (1, 3) = 2 + 6 = 8 vs (2,3) = 8: value 8 */
    ck_assert_double_eq_tol(res.value, 8, 1e-12);
    ck_assert_double_eq_tol(split_value(&p, res.steps), 8, 1e-12);
    ck_assert(res.steps[1] >= 1);
    split_result_free(&res);
}
END_TEST

Suite *make_alloc_lp_suite(void)
{
    Suite *s = suite_create("alloc_lp");
    TCase *tc = tcase_create("cvar");
    tcase_add_test(tc, test_cvar_hand);
    tcase_add_test(tc, test_cvar_vs_ru_formula);
    suite_add_tcase(s, tc);
    tc = tcase_create("dual");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_budget_dual);
    tcase_add_test(tc, test_budget_dual_slack);
    suite_add_tcase(s, tc);
    tc = tcase_create("checks");
    tcase_add_test(tc, test_check_rejects);
    tcase_add_test(tc, test_degenerate);
    tcase_add_test(tc, test_model_size);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(alloc_lp)
