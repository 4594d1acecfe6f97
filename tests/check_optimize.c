/* check_optimize: DESIGN §2-3 end to end through sim/run/optimize.h.
 *
 * - A scenario whose answer is known exactly (every bond USD 1,500, 500
 *   people waiting in each of two regions, nothing random that matters):
 *   USD 300,000 frees exactly 200 people in every replication, under both
 *   policies, for the optimum and every baseline.
 * - Share bounds with no feasible split are rejected (FZ_EINPUT) before any
 *   simulation or solving.
 * - On the shipped scenarios (seed-2025, bond-program-2025; 2,000
 *   replications, 2 gap batches): the optimum is in-sample optimal (brute
 *   force over the curves), out of sample no baseline beats it beyond noise,
 *   VSS and EVPI are consistent with the paired differences and with the
 *   per-replication curves, and the Mak-Morton-Wood upper bound is reported.
 * - Results do not depend on the number of threads (bit-identical).
 *
 * Scenario files are written into cli_util's cu_work, one per TCase. */
#define _GNU_SOURCE
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "split.h"
#include "check_common.h"
#include "cli_util.h"
#include "curve.h"
#include "optimize.h"
#include "rng.h"
#include "scenario.h"

/* ---- temporary files: cli_util's cu_work, one per TCase ---- */

/* Writes text to NAME in the test's directory; returns its path (static). */
static const char *write_ini(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", cu_work, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

static scenario *load(const char *path, const char *const *sets, size_t nsets)
{
    scenario *s = NULL;
    fz_error err = {0};
    int rc = scenario_load(&s, path, sets, nsets, &err);
    ck_assert_msg(rc == 0, "scenario_load %s: %s", path, err.msg);
    return s;
}

static optimize_result *run(const scenario *s, int threads, int gap_batches)
{
    optimize_options o = {.threads = threads, .gap_batches = gap_batches, .keep_totals = 1};
    optimize_result *r = NULL;
    fz_error err = {0};
    int rc = optimize_run(&r, s, &o, &err);
    ck_assert_msg(rc == 0, "optimize_run %s: %s", s->name, err.msg);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* ---- the exact case ---- */

/* 1,000 people, all fundable at USD 1,500 (fixed bond, no hearing or release
 * delay, no removals, no families paying): any allocation that puts
 * multiples of USD 1,500 in each region buys 200 releases with USD 300,000,
 * in every replication. */
static const char *const AMPLE_INI = "[fund]\n"
                                     "budget_usd = 300000\n"
                                     "horizon_days = 90\n"
                                     "granularity_usd = 500\n"
                                     "target_releases = 200\n"
                                     "[simulation]\n"
                                     "replications = 200\n"
                                     "seed = 17\n"
                                     "[region.a]\n"
                                     "initial_detained = 500\n"
                                     "bond_grant_prob = 1\n"
                                     "family_pays_prob = 0\n"
                                     "bond_usd = fixed(1500)\n"
                                     "removal_hazard_per_day = 0\n"
                                     "[region.b]\n"
                                     "initial_detained = 500\n"
                                     "bond_grant_prob = 1\n"
                                     "family_pays_prob = 0\n"
                                     "bond_usd = fixed(1500)\n"
                                     "removal_hazard_per_day = 0\n";

static void check_exactly_200(const char *policy)
{
    char set[64];
    snprintf(set, sizeof set, "fund.policy=%s", policy);
    const char *sets[] = {set};
    scenario *s = load(write_ini("ample.ini", AMPLE_INI), sets, 1);
    optimize_result *r = run(s, 2, 2);
    const size_t C = 2, S = (size_t)s->replications, G = r->curves->ngrid;
    ck_assert_uint_eq(G, 601);

    /* the curves: floor(x / 1500) people, at most 500 */
    for (size_t c = 0; c < C; c++) {
        ck_assert_double_eq(r->curves->fundable[c], 500);
        ck_assert_double_eq(r->curves->cost[c], 1500);
        for (size_t g = 0; g < G; g++) {
            double want = fmin(500, floor((double)g * 500 / 1500));
            ck_assert_msg(r->curves->releases[c * G + g] == want, "%s: R_%zu(%zu) = %g, expected %g", policy, c, g,
                          r->curves->releases[c * G + g], want);
        }
    }
    /* the MIP: 200 exactly, with multiples of 1500 and within the budget */
    ck_assert_int_eq(r->mip.status, ALLOC_OPTIMAL);
    /* GLPK's objective value is its own floating-point sum (1 ulp off 200
     * here); the values that must be exact are the curves and the replications */
    ck_assert_double_eq_tol(r->mip.value, 200, 1e-9);
    ck_assert_double_eq_tol(r->mip.lp_value, 200, 1e-9);
    double total = 0;
    for (size_t c = 0; c < C; c++) {
        double x = r->allocs[OPT_OPTIMAL * C + c];
        ck_assert_msg(fmod(x, 1500) == 0, "%s: region %zu gets %g USD, not a multiple of 1500", policy, c, x);
        total += x;
    }
    ck_assert_double_le(total, 300000);
    ck_assert_double_eq(total, 300000);

    /* every allocation, every evaluation replication: 200 */
    for (size_t k = 0; k < OPT_NALLOC; k++) {
        const eval_alloc *a = &r->eval->allocs[k];
        for (size_t i = 0; i < S; i++)
            ck_assert_msg(a->totals[i] == 200, "%s: %s, replication %zu: %g releases", policy, optimize_alloc_names[k],
                          i, a->totals[i]);
        ck_assert_double_eq(r->objective[k].value, 200);
        ck_assert_double_eq(r->objective[k].lo, 200);
        ck_assert_double_eq(r->objective[k].hi, 200);
        ck_assert_double_eq(r->diff[k].value, 0);
        ck_assert_double_eq(a->spent.mean, 300000);
        ck_assert_double_eq(a->reach_target, (double)S);
    }
    ck_assert_double_eq(r->vss.value, 0);
    ck_assert_double_eq(r->evpi.value, 0);
    ck_assert_double_eq(r->wait_and_see.value, 200);
    ck_assert_int_eq(r->gap_batches, 2);
    /* batch optima are MIP values too (GLPK's sums: to 1e-9) */
    ck_assert_double_eq_tol(r->batch_values[0], 200, 1e-9);
    ck_assert_double_eq_tol(r->batch_values[1], 200, 1e-9);
    ck_assert_double_eq_tol(r->gap_upper.value, 200, 1e-9);
    ck_assert_double_eq_tol(r->gap.value, 0, 1e-9);
    optimize_free(r);
    scenario_free(s);
}

START_TEST(test_exact_cheapest_first) { check_exactly_200("cheapest_first"); }
END_TEST

START_TEST(test_exact_first_come) { check_exactly_200("first_come"); }
END_TEST

/* ---- infeasible share bounds ---- */

static void expect_rejected(const scenario *s, const char *what, const char *needle)
{
    const size_t G = scenario_grid_points(s);
    long lo[4], hi[4];
    split_problem p;
    fz_error err = {0};
    ck_assert_msg(optimize_problem(&p, lo, hi, s, G, &err) == FZ_EINPUT, "%s: optimize_problem accepted it", what);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "%s: message '%s' lacks '%s'", what, err.msg, needle);
    /* optimize_run stops there, before simulating: with 10^8 replications
     * per stream anything else would take hours */
    optimize_result *r = (optimize_result *)1;
    optimize_options o = {.threads = 1, .gap_batches = 2};
    memset(&err, 0, sizeof err);
    ck_assert_msg(optimize_run(&r, s, &o, &err) == FZ_EINPUT, "%s: optimize_run: %s", what, err.msg);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(err.msg, needle) != NULL, "%s: optimize_run message '%s'", what, err.msg);
}

START_TEST(test_infeasible_shares)
{
    const char *sets[] = {"simulation.replications=100000000"};
    scenario *s = load(write_ini("ample.ini", AMPLE_INI), sets, 1);
    /* min_share 0.6 in both regions: 1.2 x the budget.  The loader refuses it
     * in a file (below); set in memory it must still be caught by the model. */
    s->regions[0].min_share = s->regions[1].min_share = 0.6;
    expect_rejected(s, "min_share 0.6 + 0.6", "budget");
    /* a floor above a cap, with no grid point between them */
    s->regions[0].min_share = 0.3101; /* 186.06 steps of 600 */
    s->regions[0].max_share = 0.3105; /* 186.3 */
    s->regions[1].min_share = 0;
    expect_rejected(s, "min_share 0.3101, max_share 0.3105", "granularity_usd");
    scenario_free(s);

    /* in a file, the loader rejects min_share adding up past 1 */
    const char *bad = "[fund]\nbudget_usd = 300000\n"
                      "[region.a]\nmin_share = 0.6\n[region.b]\nmin_share = 0.6\n";
    scenario *t = NULL;
    fz_error err = {0};
    ck_assert_int_eq(scenario_load(&t, write_ini("bad.ini", bad), NULL, 0, &err), FZ_EINPUT);
    ck_assert_ptr_null(t);

    /* shares that add up to 1 but not on the grid: USD 1,000 in steps of 300
     * gives 3 steps; min_share 0.5 needs ceil(1.67) = 2 steps in each region */
    const char *grid = "[fund]\nbudget_usd = 1000\ngranularity_usd = 300\n"
                       "[simulation]\nreplications = 100000000\n"
                       "[region.a]\nmin_share = 0.5\n[region.b]\nmin_share = 0.5\n";
    s = load(write_ini("grid.ini", grid), NULL, 0);
    expect_rejected(s, "min_share 0.5 + 0.5 on a 300 USD grid", "budget");
    scenario_free(s);
}
END_TEST

/* ---- the shipped scenarios ---- */

/* Per-replication check of the evaluation stream: the curve at the optimum
 * equals the evaluated total (releases), and the best allocation of the
 * replication (the wait-and-see value) is at least that. */
typedef struct ws_check {
    const optimize_result *r;
    split_problem p;
    int freedom;
    size_t seen, mismatches;
    double min_ws_gap, sum_ws, sum_gap, sum_opt;
} ws_check;

static int ws_check_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)err;
    ws_check *w = ctx;
    const size_t C = w->p.nregions, G = w->p.ngrid;
    for (size_t i = 0; i < n; i++) {
        const double *v = (w->freedom ? fre : rel) + i * C * G, *rv = rel + i * C * G;
        double at_opt = 0, rel_opt = 0;
        for (size_t c = 0; c < C; c++) {
            at_opt += v[c * G + (size_t)w->r->mip.steps[c]];
            rel_opt += rv[c * G + (size_t)w->r->mip.steps[c]];
        }
        if (rel_opt != w->r->eval->allocs[OPT_OPTIMAL].totals[first + i])
            w->mismatches++;
        w->p.value = v;
        double best = split_dp(&w->p, NULL);
        if (best - at_opt < w->min_ws_gap)
            w->min_ws_gap = best - at_opt;
        w->sum_ws += best;
        w->sum_gap += best - at_opt;
        w->sum_opt += at_opt;
        w->seen++;
    }
    return 0;
}

/* Mean objective of an allocation in steps, over mean curves. */
static double curve_value(const double *v, size_t G, const long *g, size_t C)
{
    double x = 0;
    for (size_t c = 0; c < C; c++)
        x += v[c * G + (size_t)g[c]];
    return x;
}

/* In-sample optimum by brute force over every feasible split (1 or 2 regions). */
static double brute_force(const double *v, size_t G, size_t C, long B, const long *lo, const long *hi)
{
    double best = -INFINITY;
    if (C == 1) {
        for (long g = lo[0]; g <= hi[0] && g <= B; g++)
            best = fmax(best, v[g]);
        return best;
    }
    ck_assert_uint_eq(C, 2);
    for (long a = lo[0]; a <= hi[0]; a++)
        for (long b = lo[1]; b <= hi[1] && a + b <= B; b++)
            best = fmax(best, v[a] + v[G + (size_t)b]);
    return best;
}

static int near(double a, double b, double tol) { return fabs(a - b) <= tol * (1 + fabs(a) + fabs(b)); }

/* Runs optimize on a shipped scenario with 2,000 replications (plus extra
 * --set overrides) and checks sections 2-3 of DESIGN on it. */
/* One-sided tests over the family of scenario runs (test_seed_2025*,
 * test_bond_program_2025: 4 runs) of "the optimum is not significantly
 * worse": per run, 3 baselines, the VSS and the MMW gap, 4 x 5 = 20 tests.
 * At a family-wise 5% (Bonferroni) each uses z = Phi^-1(1 - 0.05/20) = 2.81
 * standard errors; a standard error is the reported 95% CI half-width over
 * Phi^-1(0.975) = 1.96 (n = 2,000: Student's t differs by 0.06%). */
#define FAMILY_TESTS 20

/* z standard errors of the 95% CI e, from its half-width */
static double bonferroni_margin(stat_est e)
{
    return (e.hi - e.lo) / 2 / gsl_cdf_ugaussian_Pinv(0.975) * gsl_cdf_ugaussian_Pinv(1 - 0.05 / FAMILY_TESTS);
}

static void check_scenario_file(const char *file, const char *extra)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/%s", FZ_TEST_DIR, file);
    const char *sets[] = {"simulation.replications=2000", extra};
    scenario *s = load(path, sets, extra ? 2 : 1);
    ck_assert_int_ne(s->objective, OBJ_CVAR);
    const int freedom = s->objective == OBJ_FREEDOM_DAYS;
    char what[256];
    snprintf(what, sizeof what, "%s (%s, %s)", file, scenario_policy_name(s->policy),
             scenario_objective_name(s->objective));
    const size_t C = s->nregions, S = (size_t)s->replications;
    ck_assert_uint_eq(S, 2000);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    optimize_result *r = run(s, 0, 2);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    const size_t G = r->curves->ngrid;
    const double *curve = freedom ? r->curves->freedom : r->curves->releases;

    /* in sample: the MIP optimum is the brute-force optimum over the curves */
    long lo[4], hi[4];
    split_problem p;
    fz_error err = {0};
    ck_assert_int_eq(optimize_problem(&p, lo, hi, s, G, &err), 0);
    double bf = brute_force(curve, G, C, p.budget_steps, lo, hi);
    ck_assert_int_eq(r->mip.status, ALLOC_OPTIMAL);
    ck_assert_msg(near(r->mip.value, bf, 1e-9), "%s: MIP %.12g, brute force %.12g", what, r->mip.value, bf);
    ck_assert_msg(near(curve_value(curve, G, r->mip.steps, C), bf, 1e-9),
                  "%s: the chosen steps do not achieve the optimum", what);
    ck_assert_msg(r->mip.lp_value >= r->mip.value - 1e-9 * (1 + bf) && r->mip.budget_dual >= 0, "%s: LP %.12g dual %g",
                  what, r->mip.lp_value, r->mip.budget_dual);
    /* the expected-value solution is optimal for its own curves */
    long ev_steps[4];
    double ev_total = 0, opt_total = 0;
    for (size_t c = 0; c < C; c++) {
        ev_steps[c] = lround(r->allocs[OPT_EXPECTED_VALUE * C + c] / s->granularity_usd);
        ev_total += r->allocs[OPT_EXPECTED_VALUE * C + c];
        opt_total += r->allocs[OPT_OPTIMAL * C + c];
        ck_assert_double_eq(r->allocs[OPT_OPTIMAL * C + c], (double)r->mip.steps[c] * s->granularity_usd);
    }
    ck_assert_double_le(ev_total, s->budget_usd);
    ck_assert_double_le(opt_total, s->budget_usd);
    double ev_bf = brute_force(r->ev_curve, G, C, p.budget_steps, lo, hi);
    ck_assert(near(curve_value(r->ev_curve, G, ev_steps, C), ev_bf, 1e-9));

    /* out of sample: no baseline beats the optimum beyond noise.  diff[k] is
     * baseline k minus the optimum, paired over the same replications; it
     * may be positive only by less than the Bonferroni margin, i.e. the
     * optimum is never significantly worse (diff.hi >= 0 alone would allow
     * a baseline that is clearly better). */
    for (size_t k = 1; k < OPT_NALLOC; k++) {
        stat_est d = r->diff[k];
        double half = (d.hi - d.lo) / 2;
        ck_assert_msg(isfinite(d.value) && half >= 0, "%s: %s: no paired difference", what, optimize_alloc_names[k]);
        ck_assert_msg(d.value <= bonferroni_margin(d) + 1e-12,
                      "%s: %s beats the optimum out of sample: %+.4f (95%% CI %+.4f .. %+.4f)", what,
                      optimize_alloc_names[k], d.value, d.lo, d.hi);
        /* the paired mean difference is the difference of the means */
        ck_assert(near(d.value, r->objective[k].value - r->objective[OPT_OPTIMAL].value, 1e-9));
    }
    ck_assert_double_eq(r->diff[OPT_OPTIMAL].value, 0);

    /* VSS = objective(optimal) - objective(expected value), as the paired difference */
    stat_est dev = r->diff[OPT_EXPECTED_VALUE];
    ck_assert_double_eq(r->vss.value, -dev.value);
    ck_assert_double_eq(r->vss.lo, -dev.hi);
    ck_assert_double_eq(r->vss.hi, -dev.lo);
    ck_assert(near(r->vss.value, r->objective[OPT_OPTIMAL].value - r->objective[OPT_EXPECTED_VALUE].value, 1e-9));
    ck_assert_msg(r->vss.value + bonferroni_margin(r->vss) >= 0,
                  "%s: the expected-value solution is significantly better (VSS %.4f .. %.4f)", what, r->vss.lo,
                  r->vss.hi);

    /* EVPI: per replication the wait-and-see value is at least the optimum's
     * (checked replication by replication below), so the estimate is >= 0.
     * Its CI's lower end is NOT necessarily >= 0: it is mean - t s / sqrt(n),
     * and when only a few replications have a positive difference it dips
     * below zero (bond-program-2025: one replication of 2,000 gains a release
     * by holding money back under first_come, EVPI 0.0005, CI -0.0005 ..
     * 0.0015).  So only lo >= -half-width, which follows from value >= 0. */
    ck_assert_msg(r->evpi.value >= 0, "%s: EVPI %.6g < 0", what, r->evpi.value);
    ck_assert_msg(r->evpi.lo >= -(r->evpi.hi - r->evpi.lo) / 2 - 1e-12 && r->evpi.hi >= 0, "%s: EVPI CI [%.6g, %.6g]",
                  what, r->evpi.lo, r->evpi.hi);
    ck_assert_double_ge(r->wait_and_see.value, r->objective[OPT_OPTIMAL].value);
    ck_assert(near(r->wait_and_see.value - r->evpi.value, r->objective[OPT_OPTIMAL].value, 1e-9));
    ws_check w = {.r = r, .freedom = freedom, .min_ws_gap = INFINITY};
    ck_assert_int_eq(optimize_problem(&w.p, lo, hi, s, G, &err), 0);
    curve_options co = {
        .stream = RNG_STREAM_EVALUATE, .nreps = S, .threads = 0, .on_block = ws_check_block, .block_ctx = &w};
    curve_set *cs = NULL;
    ck_assert_int_eq(curve_compute(&cs, s, &co, &err), 0);
    curve_free(cs);
    ck_assert_uint_eq(w.seen, S);
    ck_assert_msg(w.mismatches == 0, "%s: %zu replications where the curve at the optimum differs from eval", what,
                  w.mismatches);
    ck_assert_msg(w.min_ws_gap >= 0, "%s: a replication's wait-and-see value is below the optimum's by %g", what,
                  -w.min_ws_gap);
    /* the curves at the optimum give the evaluated objective (freedom days
     * included), and the wait-and-see mean and EVPI are theirs */
    ck_assert_msg(near(w.sum_opt / (double)S, r->objective[OPT_OPTIMAL].value, 1e-9), "%s: curves %.12g, eval %.12g",
                  what, w.sum_opt / (double)S, r->objective[OPT_OPTIMAL].value);
    ck_assert(near(w.sum_ws / (double)S, r->wait_and_see.value, 1e-9));
    ck_assert(near(w.sum_gap / (double)S, r->evpi.value, 1e-9));

    /* Mak-Morton-Wood: U = mean of the batch optima, gap = U - L */
    ck_assert_int_eq(r->gap_batches, 2);
    ck_assert(isfinite(r->batch_values[0]) && isfinite(r->batch_values[1]));
    ck_assert(near(r->gap_upper.value, (r->batch_values[0] + r->batch_values[1]) / 2, 1e-12));
    ck_assert(r->gap_upper.lo <= r->gap_upper.value && r->gap_upper.value <= r->gap_upper.hi);
    ck_assert(near(r->gap.value, r->gap_upper.value - r->objective[OPT_OPTIMAL].value, 1e-9));
    ck_assert(isfinite(r->gap_ci_upper) && r->gap_ci_upper >= r->gap.value);
    ck_assert_msg(r->gap.value + bonferroni_margin(r->gap) >= 0,
                  "%s: MMW upper bound %.4f significantly below the lower bound %.4f", what, r->gap_upper.value,
                  r->objective[OPT_OPTIMAL].value);

    fprintf(stderr,
            "%s: optimal %.3f [%.3f, %.3f]; baseline - optimal %+.4f %+.4f %+.4f; VSS %.4f; EVPI %.4f [%.4f, %.4f]; "
            "U %.3f, gap %.4f (bound %.4f); %.1f s\n",
            what, r->objective[0].value, r->objective[0].lo, r->objective[0].hi, r->diff[1].value, r->diff[2].value,
            r->diff[3].value, r->vss.value, r->evpi.value, r->evpi.lo, r->evpi.hi, r->gap_upper.value, r->gap.value,
            r->gap_ci_upper, seconds);
    optimize_free(r);
    scenario_free(s);
}

START_TEST(test_seed_2025) { check_scenario_file("seed-2025.ini", NULL); }
END_TEST

START_TEST(test_seed_2025_cheapest_first) { check_scenario_file("seed-2025.ini", "fund.policy=cheapest_first"); }
END_TEST

START_TEST(test_seed_2025_freedom_days) { check_scenario_file("seed-2025.ini", "fund.objective=freedom_days"); }
END_TEST

START_TEST(test_bond_program_2025) { check_scenario_file("bond-program-2025.ini", NULL); }
END_TEST

/* CVaR objective: the MIP's value is the in-sample CVaR (split_cvar of the
 * per-replication totals on the optimize stream) of the chosen split, and no
 * split beats it.  Under cheapest_first every replication's curve is
 * nondecreasing (checked), so with no share bounds a split that spends the
 * whole grid budget dominates replication by replication and the brute
 * force may run over a + b = B only. */
typedef struct keep_reps {
    double *buf;
    size_t per_rep, have, want;
    int nonmonotone;
} keep_reps;

static int keep_reps_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)first, (void)fre, (void)err;
    keep_reps *k = ctx;
    for (size_t i = 0; i < n * k->per_rep; i++)
        if (i % k->per_rep % (k->per_rep / 2) != 0 && rel[i] < rel[i - 1])
            k->nonmonotone = 1;
    size_t take = k->want - k->have < n ? k->want - k->have : n;
    memcpy(k->buf + k->have * k->per_rep, rel, take * k->per_rep * sizeof(double));
    k->have += take;
    return 0;
}

START_TEST(test_cvar_in_sample)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    const char *sets[] = {"simulation.replications=300", "fund.policy=cheapest_first", "fund.objective=cvar",
                          "fund.cvar_alpha=0.1"};
    scenario *s = load(path, sets, 4);
    ck_assert_uint_eq(s->nregions, 2);
    optimize_result *r = run(s, 0, 0);
    const size_t S = r->cvar_reps, G = r->curves->ngrid;
    ck_assert_uint_eq(S, 300);
    ck_assert_int_eq(r->mip.status, ALLOC_OPTIMAL);

    keep_reps k = {.buf = malloc(S * 2 * G * sizeof(double)), .per_rep = 2 * G, .want = S};
    ck_assert_ptr_nonnull(k.buf);
    curve_options co = {.stream = RNG_STREAM_OPTIMIZE, .nreps = S, .on_block = keep_reps_block, .block_ctx = &k};
    curve_set *cs = NULL;
    fz_error err = {0};
    ck_assert_int_eq(curve_compute(&cs, s, &co, &err), 0);
    curve_free(cs);
    ck_assert_uint_eq(k.have, S);
    ck_assert_msg(!k.nonmonotone, "a cheapest_first replication curve decreases");

    double *tot = malloc(S * sizeof *tot), best = -INFINITY;
    const long B = (long)G - 1;
    for (long a = 0; a <= B; a++) {
        for (size_t i = 0; i < S; i++)
            tot[i] = k.buf[i * 2 * G + (size_t)a] + k.buf[i * 2 * G + G + (size_t)(B - a)];
        best = fmax(best, split_cvar(tot, S, s->cvar_alpha));
    }
    for (size_t i = 0; i < S; i++)
        tot[i] = k.buf[i * 2 * G + (size_t)r->mip.steps[0]] + k.buf[i * 2 * G + G + (size_t)r->mip.steps[1]];
    double at = split_cvar(tot, S, s->cvar_alpha);
    ck_assert_msg(near(r->mip.value, best, 1e-9), "CVaR MIP %.12g, brute force %.12g", r->mip.value, best);
    ck_assert_msg(near(at, best, 1e-9), "the chosen split's CVaR %.12g, optimum %.12g", at, best);
    /* the out-of-sample objective is the CVaR of the evaluated totals */
    ck_assert(near(r->objective[OPT_OPTIMAL].value,
                   split_cvar(r->eval->allocs[OPT_OPTIMAL].totals, (size_t)s->replications, s->cvar_alpha), 1e-12));
    ck_assert(r->objective[OPT_OPTIMAL].lo <= r->objective[OPT_OPTIMAL].value);
    ck_assert(r->evpi.value >= -1e-9);
    free(tot);
    free(k.buf);
    optimize_free(r);
    scenario_free(s);
}
END_TEST

/* ---- determinism ---- */

static void same_est(stat_est a, stat_est b, const char *what)
{
    ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s differs: %.17g [%.17g, %.17g] vs %.17g [%.17g, %.17g]", what,
                  a.value, a.lo, a.hi, b.value, b.lo, b.hi);
}

START_TEST(test_threads_identical)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    const char *sets[] = {"simulation.replications=600", "fund.policy=cheapest_first"};
    for (int variant = 0; variant < 2; variant++) {
        scenario *s = load(path, sets, variant ? 2 : 1);
        optimize_result *a = run(s, 1, 2), *b = run(s, 2, 2);
        const size_t C = s->nregions;
        ck_assert_msg(memcmp(a->allocs, b->allocs, OPT_NALLOC * C * sizeof(double)) == 0, "allocations differ");
        ck_assert_msg(memcmp(a->mip.steps, b->mip.steps, C * sizeof(long)) == 0, "steps differ");
        ck_assert_msg(memcmp(&a->mip.value, &b->mip.value, sizeof(double)) == 0, "MIP values differ");
        ck_assert_msg(memcmp(a->curves->releases, b->curves->releases, C * a->curves->ngrid * sizeof(double)) == 0,
                      "curves differ");
        for (size_t k = 0; k < OPT_NALLOC; k++) {
            same_est(a->objective[k], b->objective[k], optimize_alloc_names[k]);
            same_est(a->diff[k], b->diff[k], "diff");
            ck_assert(memcmp(a->eval->allocs[k].totals, b->eval->allocs[k].totals,
                             (size_t)s->replications * sizeof(double)) == 0);
        }
        same_est(a->vss, b->vss, "VSS");
        same_est(a->evpi, b->evpi, "EVPI");
        same_est(a->wait_and_see, b->wait_and_see, "wait-and-see");
        same_est(a->gap, b->gap, "gap");
        same_est(a->gap_upper, b->gap_upper, "gap upper bound");
        ck_assert(memcmp(a->batch_values, b->batch_values, 2 * sizeof(double)) == 0);
        /* the public pieces reproduce the run: the SAA solve of the optimize
         * stream, and the out-of-sample values */
        split_result again;
        optimize_options o = {.threads = 2};
        fz_error err = {0};
        ck_assert_int_eq(optimize_cvar_reps(s), 0);
        ck_assert_msg(optimize_saa(&again, NULL, s, RNG_STREAM_OPTIMIZE, (size_t)s->replications, 0, &o, &err) == 0,
                      "%s", err.msg);
        ck_assert(memcmp(again.steps, a->mip.steps, C * sizeof(long)) == 0);
        ck_assert(memcmp(&again.value, &a->mip.value, sizeof(double)) == 0);
        split_result_free(&again);
        for (size_t k = 0; k < OPT_NALLOC; k++)
            same_est(optimize_value(s, a->eval, k), a->objective[k], "optimize_value");
        optimize_free(a);
        optimize_free(b);
        scenario_free(s);
    }
}
END_TEST

Suite *make_optimize_suite(void)
{
    Suite *s = suite_create("optimize");
    TCase *tc = tcase_create("exact");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_exact_cheapest_first);
    tcase_add_test(tc, test_exact_first_come);
    tcase_add_test(tc, test_infeasible_shares);
    suite_add_tcase(s, tc);
    tc = tcase_create("scenarios");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_seed_2025);
    tcase_add_test(tc, test_seed_2025_cheapest_first);
    tcase_add_test(tc, test_seed_2025_freedom_days);
    tcase_add_test(tc, test_bond_program_2025);
    tcase_add_test(tc, test_cvar_in_sample);
    suite_add_tcase(s, tc);
    tc = tcase_create("determinism");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_threads_identical);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(optimize)
