/* check_alloc: the allocation model (models/alloc.h) on its own, no simulation.
 *
 * - split_solve (GLPK MIP) and split_dp (dynamic programming) against brute
 *   force over every feasible grid split, for 2 and 3 regions, small grids,
 *   budgets that bind, curves that are random nondecreasing, random
 *   non-monotone and step-like (non-concave), with and without share bounds;
 * - the CVaR model against brute force (split_cvar of each split's
 *   per-replication totals).
 * split_cvar by hand, the budget dual, split_check and degenerate models:
 * check_split_lp.  Shared helpers are in split_util.h.
 *
 * Every random instance comes from a fixed-seed gsl_rng, so a failure names
 * an instance that can be replayed. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "check_common.h"

#include "split_util.h"

/* One random instance, storage included. */
typedef struct inst {
    split_problem p;
    long lo[MAXC], hi[MAXC];
    double value[MAXC * MAXG];
    double rep[MAXS * MAXC * MAXG];
} inst;

/* Best value over every feasible split (-INFINITY if none). */
static double brute_force(const split_problem *p)
{
    long g[MAXC];
    double best = -INFINITY;
    size_t C = p->nregions;
    for (size_t c = 0; c < C; c++)
        g[c] = 0;
    for (;;) {
        if (feasible(p, g)) {
            double v = split_value(p, g);
            if (v > best)
                best = v;
        }
        size_t c = 0; /* odometer over ngrid^C */
        while (c < C && ++g[c] == (long)p->ngrid)
            g[c++] = 0;
        if (c == C)
            break;
    }
    return best;
}

/* ---- random curves ---- */

enum { CURVE_MONOTONE, CURVE_RANDOM, CURVE_STEPS, CURVE_KINDS };
static const char *const kind_name[CURVE_KINDS] = {"nondecreasing", "non-monotone", "step-like"};

/* Fills v[0..G-1]. Values are small integers (so ties occur) or reals, on a
 * scale of 1 or 1/20 (small gains, which a dominance rule with a tolerance
 * would wrongly drop); one choice per instance. */
enum { VAL_INTEGER, VAL_REAL, VAL_SMALL, VAL_KINDS };

static void random_curve(double *v, size_t G, int kind, int values, gsl_rng *r)
{
    int integer = values == VAL_INTEGER;
    double scale = values == VAL_SMALL ? 0.05 : 1;
    switch (kind) {
    case CURVE_MONOTONE: { /* increments >= 0, often 0 */
        double x = integer ? (double)gsl_rng_uniform_int(r, 3) : 3 * gsl_rng_uniform(r);
        for (size_t g = 0; g < G; g++) {
            v[g] = x;
            double d = integer ? (double)gsl_rng_uniform_int(r, 4) : 4 * gsl_rng_uniform(r);
            x += gsl_rng_uniform(r) < 0.3 ? 0 : d;
        }
        break;
    }
    case CURVE_RANDOM: /* anything, including values that fall as g grows */
        for (size_t g = 0; g < G; g++)
            v[g] = integer ? (double)gsl_rng_uniform_int(r, 10) : 10 * gsl_rng_uniform(r);
        break;
    default: { /* cheapest-first releases with costs from a two-part mixture:
                * flat stretches and jumps (convex then concave pieces) */
        double costs[16], spent = 0;
        size_t n = 1 + gsl_rng_uniform_int(r, 16), k = 0;
        for (size_t i = 0; i < n; i++)
            costs[i] = gsl_rng_uniform(r) < 0.6 ? 1 : 2 + (double)gsl_rng_uniform_int(r, 4);
        /* sort ascending (insertion sort) */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && costs[j] < costs[j - 1]; j--) {
                double t = costs[j];
                costs[j] = costs[j - 1];
                costs[j - 1] = t;
            }
        double unit = 0.5 + gsl_rng_uniform(r); /* grid step in cost units */
        for (size_t g = 0; g < G; g++) {
            while (k < n && spent + costs[k] <= (double)g * unit) {
                spent += costs[k];
                k++;
            }
            v[g] = (double)k;
        }
        break;
    }
    }
    for (size_t g = 0; g < G; g++)
        v[g] *= scale;
}

/* A random instance: C regions, G grid points, the budget binding (below the
 * sum of hi), share bounds when bounds != 0. */
static void random_instance(inst *in, size_t C, int kind, int bounds, int cvar, size_t S, gsl_rng *r)
{
    memset(in, 0, sizeof *in);
    size_t G = 5 + gsl_rng_uniform_int(r, cvar ? 4 : MAXG - 4); /* 5..12 (5..8 for cvar) */
    split_problem *p = &in->p;
    p->nregions = C;
    p->ngrid = G;
    p->step = 500;
    p->lo = in->lo;
    p->hi = in->hi;
    p->value = in->value;
    long sum_lo = 0, sum_hi = 0;
    const int values = (int)gsl_rng_uniform_int(r, VAL_KINDS);
    for (size_t c = 0; c < C; c++) {
        if (bounds) {
            long a = (long)gsl_rng_uniform_int(r, G), b = (long)gsl_rng_uniform_int(r, G);
            in->lo[c] = a < b ? a : b;
            in->hi[c] = a < b ? b : a;
            if (gsl_rng_uniform(r) < 0.3)
                in->lo[c] = 0;
        } else {
            in->lo[c] = 0;
            in->hi[c] = (long)G - 1;
        }
        sum_lo += in->lo[c];
        sum_hi += in->hi[c];
        random_curve(in->value + c * G, G, kind, values, r);
    }
    /* binding budget: sum_lo <= B < sum_hi (B = sum_hi only if all bounds are tight) */
    p->budget_steps =
        sum_hi > sum_lo ? sum_lo + (long)gsl_rng_uniform_int(r, (unsigned long)(sum_hi - sum_lo)) : sum_lo;
    if (cvar) {
        p->cvar = 1;
        p->nreps = S;
        p->rep_value = in->rep;
        for (size_t s = 0; s < S; s++)
            for (size_t c = 0; c < C; c++)
                random_curve(in->rep + (s * C + c) * G, G, kind, values, r);
    }
}

static void describe(char *buf, size_t n, const inst *in, int kind, int trial)
{
    const split_problem *p = &in->p;
    int k = snprintf(buf, n, "trial %d (%s), C=%zu G=%zu B=%ld bounds", trial, kind_name[kind], p->nregions, p->ngrid,
                     p->budget_steps);
    for (size_t c = 0; c < p->nregions && k > 0 && (size_t)k < n; c++)
        k += snprintf(buf + k, n - (size_t)k, " [%ld,%ld]", p->lo[c], p->hi[c]);
}

/* split_solve and split_dp agree with brute force on one instance. */
static void check_instance(const inst *in, int kind, int trial)
{
    const split_problem *p = &in->p;
    char what[256];
    describe(what, sizeof what, in, kind, trial);
    double best = brute_force(p);
    ck_assert_msg(isfinite(best), "%s: no feasible split (test bug)", what);

    split_result res;
    fz_error err = {0};
    int rc = split_solve(&res, p, &err);
    ck_assert_msg(rc == 0, "%s: split_solve failed: %s", what, err.msg);
    ck_assert_msg(res.status == ALLOC_OPTIMAL, "%s: status %d", what, res.status);
    ck_assert_msg(feasible(p, res.steps), "%s: infeasible steps returned", what);
    double achieved = split_value(p, res.steps);
    ck_assert_msg(close_to(res.value, best, 1e-9), "%s: GLPK %.12g, brute force %.12g", what, res.value, best);
    ck_assert_msg(close_to(achieved, best, 1e-9), "%s: the returned steps achieve %.12g, optimum %.12g", what, achieved,
                  best);
    ck_assert_msg(res.lp_value >= res.value - 1e-9 * (1 + fabs(res.value)), "%s: LP %.12g below MIP %.12g", what,
                  res.lp_value, res.value);
    split_result_free(&res);

    if (!p->cvar) {
        long steps[MAXC];
        double dp = split_dp(p, steps);
        ck_assert_msg(close_to(dp, best, 1e-12), "%s: DP %.12g, brute force %.12g", what, dp, best);
        ck_assert_msg(feasible(p, steps), "%s: DP steps infeasible", what);
        ck_assert_msg(close_to(split_value(p, steps), best, 1e-12), "%s: DP steps achieve %.12g, optimum %.12g", what,
                      split_value(p, steps), best);
        ck_assert_msg(close_to(split_dp(p, NULL), best, 0), "%s: DP without steps differs", what);
    }
}

static void run_random(unsigned long seed, int cvar, int bounds, int trials)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    inst *in = malloc(sizeof *in);
    ck_assert_ptr_nonnull(in);
    for (int t = 0; t < trials; t++)
        for (int kind = 0; kind < CURVE_KINDS; kind++)
            for (size_t C = 2; C <= 3; C++) {
                random_instance(in, C, kind, bounds, cvar, cvar ? MAXS : 0, r);
                if (cvar) {
                    static const double alphas[] = {0.1, 0.25, 0.5, 1};
                    in->p.alpha = alphas[gsl_rng_uniform_int(r, 4)];
                }
                check_instance(in, kind, t);
            }
    free(in);
    gsl_rng_free(r);
}

/* 200 trials x 3 curve kinds x {2, 3} regions each. */
START_TEST(test_mean_vs_brute_force) { run_random(20251218, 0, 0, 200); }
END_TEST

START_TEST(test_mean_bounds_vs_brute_force) { run_random(314159, 0, 1, 200); }
END_TEST

/* 40 trials x 3 kinds x {2, 3} regions, S = 20 replications, alpha drawn
 * from {0.1, 0.25, 0.5, 1}; every alpha is covered (checked below). */
START_TEST(test_cvar_vs_brute_force)
{
    run_random(271828, 1, 0, 40);
    run_random(161803, 1, 1, 40);
}
END_TEST

/* Each alpha of the set, explicitly (the random draw above might miss one). */
START_TEST(test_cvar_each_alpha)
{
    static const double alphas[] = {0.1, 0.25, 0.5, 1};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
    inst *in = malloc(sizeof *in);
    ck_assert_ptr_nonnull(in);
    for (int t = 0; t < 10; t++)
        for (int a = 0; a < 4; a++)
            for (int kind = 0; kind < CURVE_KINDS; kind++) {
                random_instance(in, 2 + (size_t)(t % 2), kind, t % 3 == 0, 1, MAXS, r);
                in->p.alpha = alphas[a];
                check_instance(in, kind, t);
            }
    free(in);
    gsl_rng_free(r);
}
END_TEST

/* With alpha = 1 the CVaR is the mean: the CVaR model and the mean model over
 * the replication-averaged curves have the same optimum. */
START_TEST(test_cvar_alpha_one_is_mean)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    inst *in = malloc(sizeof *in);
    ck_assert_ptr_nonnull(in);
    for (int t = 0; t < 30; t++) {
        random_instance(in, 2 + (size_t)(t % 2), t % CURVE_KINDS, t % 2, 1, MAXS, r);
        split_problem *p = &in->p;
        p->alpha = 1;
        const size_t C = p->nregions, G = p->ngrid;
        for (size_t c = 0; c < C; c++)
            for (size_t g = 0; g < G; g++) {
                double m = 0;
                for (size_t s = 0; s < p->nreps; s++)
                    m += in->rep[(s * C + c) * G + g];
                in->value[c * G + g] = m / (double)p->nreps;
            }
        split_result a, b;
        fz_error err = {0};
        ck_assert_int_eq(split_solve(&a, p, &err), 0);
        p->cvar = 0;
        ck_assert_int_eq(split_solve(&b, p, &err), 0);
        ck_assert_msg(close_to(a.value, b.value, 1e-9), "trial %d: cvar(1) %.12g, mean %.12g", t, a.value, b.value);
        split_result_free(&a);
        split_result_free(&b);
    }
    free(in);
    gsl_rng_free(r);
}
END_TEST

Suite *make_alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("brute_force");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_mean_vs_brute_force);
    tcase_add_test(tc, test_mean_bounds_vs_brute_force);
    tcase_add_test(tc, test_cvar_vs_brute_force);
    tcase_add_test(tc, test_cvar_each_alpha);
    tcase_add_test(tc, test_cvar_alpha_one_is_mean);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(alloc)
