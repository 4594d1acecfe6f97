/* check_alloc: the allocation model (models/alloc.h) on its own, no simulation.
 *
 * - alloc_solve (GLPK MIP) and alloc_dp (dynamic programming) against brute
 *   force over every feasible grid split, for 2 and 3 regions, small grids,
 *   budgets that bind, curves that are random nondecreasing, random
 *   non-monotone and step-like (non-concave), with and without share bounds;
 * - the CVaR model against brute force (alloc_cvar of each split's
 *   per-replication totals), and alloc_cvar against hand-computed values;
 * - the budget row's dual against the finite difference of the LP relaxation
 *   optimum on concave curves;
 * - alloc_check's rejections, and degenerate models that GLPK must solve.
 *
 * Every random instance comes from a fixed-seed gsl_rng, so a failure names
 * an instance that can be replayed. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "check_common.h"

#define MAXC 3
#define MAXG 12
#define MAXS 20

/* One random instance, storage included. */
typedef struct inst {
    alloc_problem p;
    long lo[MAXC], hi[MAXC];
    double value[MAXC * MAXG];
    double rep[MAXS * MAXC * MAXG];
} inst;

static int close_to(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(a) + fabs(b)); }

/* Objective of a split: sum of values (mean) or CVaR of per-replication totals. */
static double split_value(const alloc_problem *p, const long *g)
{
    if (!p->cvar) {
        double v = 0;
        for (size_t c = 0; c < p->nregions; c++)
            v += p->value[c * p->ngrid + (size_t)g[c]];
        return v;
    }
    double tot[MAXS];
    for (size_t s = 0; s < p->nreps; s++) {
        tot[s] = 0;
        for (size_t c = 0; c < p->nregions; c++)
            tot[s] += p->rep_value[(s * p->nregions + c) * p->ngrid + (size_t)g[c]];
    }
    return alloc_cvar(tot, p->nreps, p->alpha);
}

static int feasible(const alloc_problem *p, const long *g)
{
    long sum = 0;
    for (size_t c = 0; c < p->nregions; c++) {
        if (g[c] < p->lo[c] || g[c] > p->hi[c] || g[c] < 0 || g[c] >= (long)p->ngrid)
            return 0;
        sum += g[c];
    }
    return sum <= p->budget_steps;
}

/* Best value over every feasible split (-INFINITY if none). */
static double brute_force(const alloc_problem *p)
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
    alloc_problem *p = &in->p;
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
    p->budget_steps = sum_hi > sum_lo ? sum_lo + (long)gsl_rng_uniform_int(r, (unsigned long)(sum_hi - sum_lo))
                                      : sum_lo;
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
    const alloc_problem *p = &in->p;
    int k = snprintf(buf, n, "trial %d (%s), C=%zu G=%zu B=%ld bounds", trial, kind_name[kind], p->nregions,
                     p->ngrid, p->budget_steps);
    for (size_t c = 0; c < p->nregions && k > 0 && (size_t)k < n; c++)
        k += snprintf(buf + k, n - (size_t)k, " [%ld,%ld]", p->lo[c], p->hi[c]);
}

/* alloc_solve and alloc_dp agree with brute force on one instance. */
static void check_instance(const inst *in, int kind, int trial)
{
    const alloc_problem *p = &in->p;
    char what[256];
    describe(what, sizeof what, in, kind, trial);
    double best = brute_force(p);
    ck_assert_msg(isfinite(best), "%s: no feasible split (test bug)", what);

    alloc_result res;
    fz_error err = {0};
    int rc = alloc_solve(&res, p, &err);
    ck_assert_msg(rc == 0, "%s: alloc_solve failed: %s", what, err.msg);
    ck_assert_msg(res.status == ALLOC_OPTIMAL, "%s: status %d", what, res.status);
    ck_assert_msg(feasible(p, res.steps), "%s: infeasible steps returned", what);
    double achieved = split_value(p, res.steps);
    ck_assert_msg(close_to(res.value, best, 1e-9), "%s: GLPK %.12g, brute force %.12g", what, res.value, best);
    ck_assert_msg(close_to(achieved, best, 1e-9), "%s: the returned steps achieve %.12g, optimum %.12g", what,
                  achieved, best);
    ck_assert_msg(res.lp_value >= res.value - 1e-9 * (1 + fabs(res.value)), "%s: LP %.12g below MIP %.12g", what,
                  res.lp_value, res.value);
    alloc_result_free(&res);

    if (!p->cvar) {
        long steps[MAXC];
        double dp = alloc_dp(p, steps);
        ck_assert_msg(close_to(dp, best, 1e-12), "%s: DP %.12g, brute force %.12g", what, dp, best);
        ck_assert_msg(feasible(p, steps), "%s: DP steps infeasible", what);
        ck_assert_msg(close_to(split_value(p, steps), best, 1e-12), "%s: DP steps achieve %.12g, optimum %.12g",
                      what, split_value(p, steps), best);
        ck_assert_msg(close_to(alloc_dp(p, NULL), best, 0), "%s: DP without steps differs", what);
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
        alloc_problem *p = &in->p;
        p->alpha = 1;
        const size_t C = p->nregions, G = p->ngrid;
        for (size_t c = 0; c < C; c++)
            for (size_t g = 0; g < G; g++) {
                double m = 0;
                for (size_t s = 0; s < p->nreps; s++)
                    m += in->rep[(s * C + c) * G + g];
                in->value[c * G + g] = m / (double)p->nreps;
            }
        alloc_result a, b;
        fz_error err = {0};
        ck_assert_int_eq(alloc_solve(&a, p, &err), 0);
        p->cvar = 0;
        ck_assert_int_eq(alloc_solve(&b, p, &err), 0);
        ck_assert_msg(close_to(a.value, b.value, 1e-9), "trial %d: cvar(1) %.12g, mean %.12g", t, a.value, b.value);
        alloc_result_free(&a);
        alloc_result_free(&b);
    }
    free(in);
    gsl_rng_free(r);
}
END_TEST

/* alloc_cvar from sorted values, by hand. */
START_TEST(test_cvar_hand)
{
    const double x[] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6}; /* 1..10, shuffled */
    const double sorted[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    /* alpha n = 2.5: (1 + 2 + 0.5 * 3) / 2.5 */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.25), 1.8, 1e-12);
    ck_assert_double_eq_tol(alloc_cvar(sorted, 10, 0.25), 1.8, 1e-12);
    /* alpha = 1: the mean */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 1), 5.5, 1e-12);
    /* alpha n = 1: the minimum */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.1), 1, 1e-12);
    /* alpha n = 0.5: still the minimum (a fraction of the worst value) */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.05), 1, 1e-12);
    /* alpha n = 5: mean of the five worst */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.5), 3, 1e-12);
    /* alpha n = 3.3: (1 + 2 + 3 + 0.3 * 4) / 3.3 */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.33), (6 + 0.3 * 4) / 3.3, 1e-12);
    /* alpha n = 7.5 of 10 */
    ck_assert_double_eq_tol(alloc_cvar(x, 10, 0.75), (28 + 0.5 * 8) / 7.5, 1e-12);
    /* ties and negatives: {-2, -2, 0, 5}, alpha n = 1.5: (-2 + 0.5 * -2) / 1.5 = -2 */
    const double y[] = {5, -2, 0, -2};
    ck_assert_double_eq_tol(alloc_cvar(y, 4, 0.375), -2, 1e-12);
    /* alpha n = 2.6 of {-2,-2,0,5}: (-4 + 0.6 * 0) / 2.6 */
    ck_assert_double_eq_tol(alloc_cvar(y, 4, 0.65), -4 / 2.6, 1e-12);
    /* one value */
    const double z[] = {42};
    ck_assert_double_eq_tol(alloc_cvar(z, 1, 0.1), 42, 1e-12);
    ck_assert_double_eq_tol(alloc_cvar(z, 1, 1), 42, 1e-12);
    /* x is not modified */
    ck_assert_double_eq(x[0], 7);
    ck_assert_double_eq(x[9], 6);
}
END_TEST

/* alloc_cvar against the Rockafellar-Uryasev formula evaluated directly:
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
        double c = alloc_cvar(x, n, alpha);
        ck_assert_msg(close_to(c, best, 1e-12), "trial %d: n=%zu alpha=%g: alloc_cvar %.15g, R-U %.15g", t, n,
                      alpha, c, best);
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
            for (size_t i = 1; i + 1 < G; i++) /* sort descending */
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
            alloc_problem p = {.nregions = C, .ngrid = G, .step = step, .lo = lo, .hi = hi, .value = v};
            alloc_result at[3];
            fz_error err = {0};
            for (int k = 0; k < 3; k++) {
                p.budget_steps = B - 1 + k;
                ck_assert_msg(alloc_solve(&at[k], &p, &err) == 0, "%s", err.msg);
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
                          "trial %d B=%ld: budget_dual %.12g per USD, finite difference %.12g", t, B,
                          at[1].budget_dual, fd_right);
            /* the MIP is integral here: concave curves, integer budget */
            ck_assert_msg(close_to(at[1].value, at[1].lp_value, 1e-9), "trial %d B=%ld: MIP %.12g, LP %.12g", t,
                          B, at[1].value, at[1].lp_value);
            for (int k = 0; k < 3; k++)
                alloc_result_free(&at[k]);
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
    alloc_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 8, .lo = lo, .hi = hi, .value = v};
    alloc_result res;
    fz_error err = {0};
    ck_assert_int_eq(alloc_solve(&res, &p, &err), 0);
    ck_assert_double_eq_tol(res.value, 8, 1e-12);
    ck_assert_double_eq_tol(res.budget_dual, 0, 1e-12);
    /* the cheapest points with the best values: 3 and 1 */
    ck_assert_int_eq(res.steps[0], 3);
    ck_assert_int_eq(res.steps[1], 1);
    alloc_result_free(&res);
}
END_TEST

/* ---- alloc_check ---- */

static void expect_einput(const alloc_problem *p, const char *what)
{
    fz_error err = {0};
    ck_assert_msg(alloc_check(p, &err) == FZ_EINPUT, "%s: alloc_check accepted it", what);
    ck_assert_int_eq(err.code, FZ_EINPUT);
    ck_assert_msg(strlen(err.msg) > 10, "%s: no message", what);
    ck_assert_msg(strstr(err.msg, "allocation") != NULL, "%s: message '%s'", what, err.msg);
    alloc_result res;
    memset(&err, 0, sizeof err);
    ck_assert_msg(alloc_solve(&res, p, &err) == FZ_EINPUT, "%s: alloc_solve accepted it", what);
    ck_assert_ptr_null(res.steps);
    ck_assert(strlen(err.msg) > 10);
}

START_TEST(test_check_rejects)
{
    const double v[2 * 5] = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
    long lo[2] = {0, 0}, hi[2] = {4, 4};
    alloc_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 6, .lo = lo, .hi = hi, .value = v};
    fz_error err = {0};
    ck_assert_int_eq(alloc_check(&p, &err), 0);

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
        alloc_check(&p, &e);
        ck_assert_msg(strstr(e.msg, "budget") != NULL, "sum lo > budget: message '%s'", e.msg);
    }
    lo[0] = 3; /* 6 = 6: allowed, and the only split is (3, 3) */
    ck_assert_int_eq(alloc_check(&p, &err), 0);
    alloc_result res;
    ck_assert_int_eq(alloc_solve(&res, &p, &err), 0);
    ck_assert_int_eq(res.steps[0], 3);
    ck_assert_int_eq(res.steps[1], 3);
    ck_assert_double_eq_tol(res.value, 6, 1e-12);
    alloc_result_free(&res);

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
    alloc_result res;
    const double zeros[64] = {0};
    const long lo0[3] = {0, 0, 0}, hi0[3] = {0, 0, 0}, hi4[3] = {4, 4, 4};

    /* one grid point, all values zero, budget 0 */
    alloc_problem p = {.nregions = 3, .ngrid = 1, .step = 500, .budget_steps = 0, .lo = lo0, .hi = hi0,
                       .value = zeros};
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(res.status, ALLOC_OPTIMAL);
    ck_assert_double_eq(res.value, 0);
    ck_assert_double_eq(res.lp_value, 0);
    for (int c = 0; c < 3; c++)
        ck_assert_int_eq(res.steps[c], 0);
    ck_assert(isfinite(res.budget_dual));
    alloc_result_free(&res);
    ck_assert_double_eq(alloc_dp(&p, NULL), 0);

    /* one region */
    p.nregions = 1;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(res.value, 0);
    alloc_result_free(&res);

    /* several grid points, all zero: every point but 0 is dominated */
    p.nregions = 3;
    p.ngrid = 5;
    p.hi = hi4;
    p.budget_steps = 7;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(res.value, 0);
    ck_assert_double_eq(res.budget_dual, 0);
    ck_assert(feasible(&p, res.steps));
    alloc_result_free(&res);

    /* budget 0 with several grid points */
    p.budget_steps = 0;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    for (int c = 0; c < 3; c++)
        ck_assert_int_eq(res.steps[c], 0);
    alloc_result_free(&res);

    /* CVaR with all-zero replications (rows with no y coefficients), one grid point */
    p.ngrid = 1;
    p.hi = hi0;
    p.cvar = 1;
    p.alpha = 0.1;
    p.nreps = 5;
    p.rep_value = zeros;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq_tol(res.value, 0, 1e-12);
    alloc_result_free(&res);

    /* CVaR, several grid points, all zero */
    p.ngrid = 4;
    const long hi3[3] = {3, 3, 3};
    p.hi = hi3;
    p.budget_steps = 5;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_double_eq_tol(res.value, 0, 1e-12);
    ck_assert(feasible(&p, res.steps));
    alloc_result_free(&res);

    /* a time limit that is set but never reached */
    p.cvar = 0;
    p.time_limit = 10;
    ck_assert_msg(alloc_solve(&res, &p, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(res.status, ALLOC_OPTIMAL);
    alloc_result_free(&res);
    alloc_result_free(NULL);
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
    alloc_problem p = {.nregions = 2, .ngrid = 5, .step = 500, .budget_steps = 5, .lo = lo, .hi = hi, .value = v};
    alloc_result res;
    fz_error err = {0};
    ck_assert_int_eq(alloc_solve(&res, &p, &err), 0);
    ck_assert_int_eq(res.columns, 5);
    ck_assert_int_eq(res.rows, 3);
    /* optimum: (4, 1) = 3 + 5 = 8 vs (1, 3) = 2 + 6 = 8 vs (2,3) = 8: value 8 */
    ck_assert_double_eq_tol(res.value, 8, 1e-12);
    ck_assert_double_eq_tol(split_value(&p, res.steps), 8, 1e-12);
    ck_assert(res.steps[1] >= 1);
    alloc_result_free(&res);
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
    tc = tcase_create("cvar");
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

FZ_CHECK_MAIN(alloc)
