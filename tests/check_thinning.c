/* check_thinning: the engine's thinned random stream (issue 16) samples
 * the same distribution as DESIGN §1 and §7 define it.
 *
 * Since issue 16 engine_draw draws only the people who can become fundable
 * (Binomial / Poisson thinning, sim/run/engine.c): a new random stream, so
 * no fixed-seed result can be compared with the old one.  What must hold
 * instead is equality in distribution, tested here on §1 regions (bench.ini,
 * seed-2025.ini), a regime (piecewise arrivals, grant, family, bond, cap,
 * stays, copays), a §7 ledger region (refunds) and lognormal bonds truncated
 * at and above their median (sampled from |N| since issue 16), per region:
 *
 * - Moments of the fundable count X against exact values.  Each person is
 *   fundable independently (probability q0 for the n0 detained at time 0,
 *   and the fundable arrivals are a p-thinned Poisson process), so
 *   X = Binomial(n0, q0) + Poisson(E1) with E1 = E[X] when n0 = 0, and
 *   E[X] = n0 q0 + E1, Var X = n0 q0 (1 - q0) + E1.  E[X] and E1 come from
 *   cv_expected_fundable (exact, by quadrature; models/dist_expect.c).  The
 *   sample mean must be within 4 standard errors (SE = s / sqrt(R)) and the
 *   sample variance within 4 of its own SE, sqrt((m4 - s^4) / R) with m4
 *   the sample fourth central moment (the delta-method SE of a variance;
 *   P(|Z| > 4) = 6e-5 per check).  The people count (fundable or not, the
 *   throughput unit) has mean n0 + Lambda and variance Lambda (Poisson).
 * - The fundable cases' cost, arrival, ready and release times against a
 *   reference written here, independent of engine.c: every person drawn
 *   one by one as DESIGN §1/§7 state it (arrivals per phase as Poisson
 *   counts with uniform times, grant and family decided at the decision
 *   time, then bond, cap, release, stay, revocation, copay and removal),
 *   with dist_sample on GSL's MT19937 (a different generator).  Cases pooled
 *   over replications, two-sample Kolmogorov-Smirnov at alpha = 0.001:
 *   reject when D > c sqrt((n + m) / (n m)), c = sqrt(-ln(alpha / 2) / 2)
 *   = 1.949 (the asymptotic Kolmogorov distribution; with atoms, as costs
 *   of fixed bonds have, the test is conservative).  Cases of one
 *   replication are iid given their count, and replications independent.
 * - That the tests can fail: the same checks reject a reference whose
 *   grant probability is 2% lower, and an expectation 2% higher. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "check_common.h"
#include "cv.h"
#include "dist.h"
#include "engine.h"
#include "rng.h"
#include "scenario.h"

#include "engine_util.h"

#define KS_C 1.9495 /* sqrt(-ln(0.0005) / 2): alpha = 0.001 */
#define NSE 4.0

/* The fundable cases of one sample, pooled over replications. */
typedef struct cases {
    double *v[4]; /* cost, arrive, ready, release */
    size_t n, cap;
} cases;

static const char *const var_name[4] = {"cost", "arrive", "ready", "release"};

static void cases_add(cases *c, double cost, double arrive, double ready, double release)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 4096;
        for (int k = 0; k < 4; k++) {
            c->v[k] = realloc(c->v[k], c->cap * sizeof *c->v[k]);
            ck_assert_ptr_nonnull(c->v[k]);
        }
    }
    c->v[0][c->n] = cost, c->v[1][c->n] = arrive, c->v[2][c->n] = ready, c->v[3][c->n] = release;
    c->n++;
}

static void cases_free(cases *c)
{
    for (int k = 0; k < 4; k++)
        free(c->v[k]);
    memset(c, 0, sizeof *c);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Two-sample KS statistic sup |F_x - F_y| (sorts x and y), evaluated after
 * every distinct value so that ties count once. */
static double ks2(double *x, size_t n, double *y, size_t m)
{
    qsort(x, n, sizeof *x, cmp_d);
    qsort(y, m, sizeof *y, cmp_d);
    size_t i = 0, j = 0;
    double D = 0;
    while (i < n && j < m) {
        double v = x[i] < y[j] ? x[i] : y[j];
        while (i < n && x[i] == v)
            i++;
        while (j < m && y[j] == v)
            j++;
        double d = fabs((double)i / (double)n - (double)j / (double)m);
        D = d > D ? d : D;
    }
    return D;
}

/* Does KS reject at alpha = 0.001 on variable k?  Sets *D and *crit. */
static int ks_rejects(cases *a, cases *b, int k, double *D, double *crit)
{
    *D = ks2(a->v[k], a->n, b->v[k], b->n);
    *crit = KS_C * sqrt((double)(a->n + b->n) / ((double)a->n * (double)b->n));
    return *D > *crit;
}

/* ---- the reference: DESIGN's people, one by one, on MT19937 ---- */

static size_t ref_phase(const scenario_region *g, double t)
{
    size_t k = 0;
    while (k + 1 < g->nphases && t >= g->phases[k + 1].start)
        k++;
    return k;
}

static int copay_drawn(const scenario_region *g)
{
    return g->copay_usd && !(dist_get_family(g->copay_usd) == DIST_FIXED && dist_lower(g->copay_usd) == 0);
}

/* One person arriving at a; adds the case when fundable.  grant_scale
 * scales every grant probability (1: the scenario's). */
static void ref_person(const scenario *s, const scenario_region *g, gsl_rng *r, double a, double grant_scale,
                       cases *out)
{
    const double H = s->horizon_days;
    double ug = gsl_rng_uniform(r), uf = gsl_rng_uniform(r);
    double d = a + dist_sample(g->hearing_delay_days, r);
    if (!(d < H))
        return;
    const scenario_phase *ph = &g->phases[ref_phase(g, d)];
    if (!(ug < grant_scale * ph->bond_grant_prob) || uf < ph->family_pays_prob)
        return; /* denied, or the family pays */
    double b = dist_sample(ph->bond_usd, r);
    if (b > ph->max_bond_paid_usd)
        return;
    double delay = dist_sample(g->release_delay_days, r), e = d, copay = 0;
    if (gsl_rng_uniform(r) < ph->stay_prob) {
        double stay = dist_sample(g->stay_days, r);
        if (gsl_rng_uniform(r) < g->stay_revoke_prob)
            return;
        e = d + stay;
        if (!(e < H))
            return;
    }
    if (copay_drawn(g) && !((copay = dist_sample(g->copay_usd, r)) < b))
        return;
    double rel = e + delay, h = g->removal_hazard_per_day;
    if (h > 0 && !(a + gsl_ran_exponential(r, 1 / h) > rel))
        return; /* removed before release */
    cases_add(out, b - copay + g->case_cost_usd, a, e, rel);
}

/* reps replications of region c: the n0 detained at 0, then per phase a
 * Poisson count of arrivals at uniform times on the phase. */
static void ref_sample(const scenario *s, size_t c, uint64_t reps, double grant_scale, cases *out)
{
    const scenario_region *g = &s->regions[c];
    ck_assert_uint_ge(g->nphases, 1);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ck_assert_ptr_nonnull(r);
    gsl_rng_set(r, 20261201 + c);
    for (uint64_t rep = 0; rep < reps; rep++) {
        for (long i = 0; i < g->initial_detained; i++)
            ref_person(s, g, r, 0, grant_scale, out);
        for (size_t k = 0; k < g->nphases; k++) {
            const scenario_phase *q = &g->phases[k];
            double mean = q->arrivals_per_day * (q->end - q->start);
            unsigned n = mean > 0 ? gsl_ran_poisson(r, mean) : 0;
            for (unsigned i = 0; i < n; i++)
                ref_person(s, g, r, q->start + (q->end - q->start) * gsl_rng_uniform(r), grant_scale, out);
        }
    }
    gsl_rng_free(r);
}

/* ---- the engine's side ---- */

typedef struct moments {
    stat_acc x;      /* fundable count */
    double m4;       /* sum of (x - mean)^4, after the pass (second pass) */
    stat_acc people; /* people count */
} moments;

static void engine_sample(const scenario *s, size_t c, uint64_t reps, cases *out, moments *mo)
{
    engine_ws *ws = ws_new();
    double *xs = malloc(reps * sizeof *xs);
    ck_assert_ptr_nonnull(xs);
    memset(mo, 0, sizeof *mo);
    for (uint64_t rep = 0; rep < reps; rep++) {
        draw(ws, s, c, s->policy, RNG_STREAM_EVALUATE, rep);
        size_t n, ln;
        const engine_case *cs = engine_cases(ws, &n);
        const engine_lcase *ls = engine_lcases(ws, &ln);
        for (size_t i = 0; out && i < n; i++)
            cases_add(out, cs[i].cost, cs[i].arrive, cs[i].ready, cs[i].release);
        for (size_t i = 0; out && i < ln; i++)
            cases_add(out, ls[i].cost, ls[i].arrive, ls[i].ready, ls[i].ready + ls[i].delay);
        xs[rep] = (double)engine_fundable(ws);
        ck_assert_uint_le(engine_fundable(ws), engine_people(ws));
        stat_add(&mo->x, xs[rep]);
        stat_add(&mo->people, (double)engine_people(ws));
    }
    for (uint64_t rep = 0; rep < reps; rep++) {
        double d = xs[rep] - mo->x.mean;
        mo->m4 += d * d * d * d;
    }
    mo->m4 /= (double)reps;
    free(xs);
    engine_ws_free(ws);
}

/* Exact E[X] and Var X of region c's fundable count (see the top). */
static void exact_moments(scenario *s, size_t c, double *mean, double *var)
{
    double e[SCENARIO_MAX_REGIONS], e1[SCENARIO_MAX_REGIONS];
    fz_error err = {0, ""};
    ck_assert_msg(cv_expected_fundable(s, e, &err) == 0, "%s", err.msg);
    long n0 = s->regions[c].initial_detained;
    s->regions[c].initial_detained = 0;
    ck_assert_msg(cv_expected_fundable(s, e1, &err) == 0, "%s", err.msg);
    s->regions[c].initial_detained = n0;
    double q0 = n0 > 0 ? (e[c] - e1[c]) / (double)n0 : 0;
    *mean = e[c];
    *var = (double)n0 * q0 * (1 - q0) + e1[c];
}

static double arrivals_mass(const scenario_region *g)
{
    double m = 0;
    for (size_t k = 0; k < g->nphases; k++)
        m += g->phases[k].arrivals_per_day * (g->phases[k].end - g->phases[k].start);
    return m;
}

/* Is the sample mean within NSE standard errors of mu, and the sample
 * variance within NSE of its own SE of var?  Returns 1 when both hold; *z
 * gets the two z-scores. */
static int moments_ok(const moments *mo, double mu, double var, double z[2])
{
    double R = mo->x.n, s2 = mo->x.m2 / (R - 1), se_m = sqrt(s2 / R);
    double se_v = sqrt(fmax(mo->m4 - s2 * s2, 0) / R);
    if (!(se_m > 0))
        se_m = 1e-9 * fmax(1, mu);
    if (!(se_v > 0))
        se_v = 1e-9 * fmax(1, var);
    z[0] = (mo->x.mean - mu) / se_m;
    z[1] = (s2 - var) / se_v;
    return fabs(z[0]) <= NSE && fabs(z[1]) <= NSE;
}

/* Every check on every region of s: engine reps vs reference rreps. */
static void check_scenario_dist(scenario *s, uint64_t reps, uint64_t rreps, const char *what)
{
    for (size_t c = 0; c < s->nregions; c++) {
        const scenario_region *g = &s->regions[c];
        moments mo;
        cases eng = {0}, ref = {0};
        engine_sample(s, c, reps, &eng, &mo);
        double mu, var, z[2];
        exact_moments(s, c, &mu, &var);
        ck_assert_msg(moments_ok(&mo, mu, var, z),
                      "%s region %s: fundable mean %.4f (E %.4f, %.2f SE), variance %.4f (exact %.4f, %.2f SE)", what,
                      g->name, mo.x.mean, mu, z[0], mo.x.m2 / (mo.x.n - 1), var, z[1]);
        /* people: n0 + Poisson(Lambda) */
        double lam = arrivals_mass(g), pe = (double)g->initial_detained + lam;
        double pse = sqrt(lam / mo.people.n);
        if (lam > 0)
            ck_assert_msg(fabs(mo.people.mean - pe) <= NSE * pse, "%s region %s: people %.3f, expected %.3f (SE %.3f)",
                          what, g->name, mo.people.mean, pe, pse);
        else
            ck_assert_double_eq(mo.people.mean, pe);
        ref_sample(s, c, rreps, 1, &ref);
        ck_assert_msg(eng.n > 1000 && ref.n > 1000, "%s region %s: too few cases (%zu, %zu)", what, g->name, eng.n,
                      ref.n);
        for (int k = 0; k < 4; k++) {
            double D, crit;
            ck_assert_msg(!ks_rejects(&eng, &ref, k, &D, &crit),
                          "%s region %s: %s, KS D = %.5f > %.5f (n = %zu, m = %zu)", what, g->name, var_name[k], D,
                          crit, eng.n, ref.n);
        }
        /* the reference's fundable count agrees with E too (the reference is right) */
        double rmean = (double)ref.n / (double)rreps;
        ck_assert_msg(fabs(rmean - mu) <= NSE * sqrt(var / (double)rreps), "%s region %s: reference mean %.4f, E %.4f",
                      what, g->name, rmean, mu);
        cases_free(&eng);
        cases_free(&ref);
    }
}

static scenario *load_file(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../%s", FZ_TEST_DIR, rel);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s: %s", path, err.msg);
    return s;
}

/* bench.ini: two §1 regions, lognormal bonds truncated below, gamma hearing
 * delays, removal; p = 0.72 and 0.675. */
START_TEST(bench_regions)
{
    scenario *s = load_file("bench/bench.ini");
    check_scenario_dist(s, 4000, 1500, "bench.ini");
    scenario_free(s);
}
END_TEST

/* seed-2025: first_come, a mixture bond, p = 0.39 x 0.2 = 0.078 (92% of the
 * people thinned away). */
START_TEST(seed_2025_regions)
{
    scenario *s = load_file("scenarios/seed-2025.ini");
    check_scenario_dist(s, 20000, 8000, "seed-2025.ini");
    scenario_free(s);
}
END_TEST

/* A regime from day 30 to 70 that changes arrivals (piecewise rate), the
 * grant and family probabilities both ways between regions, the bond, the
 * cap and stays; copays and removal; one region has only arrivals. */
static const char regime_text[] =
    "[fund]\nbudget_usd = 100000\nhorizon_days = 100\n"
    "[region.a]\ninitial_detained = 80\narrivals_per_day = 3\nbond_grant_prob = 0.5\nfamily_pays_prob = 0.3\n"
    "bond_usd = lognormal(median=3000, sigma=0.8, min=1500, max=50000)\nmax_bond_paid_usd = 12000\n"
    "hearing_delay_days = gamma(mean=12, sd=6)\nrelease_delay_days = uniform(min=0.5, max=3)\n"
    "removal_hazard_per_day = 0.01\nstay_prob = 0.2\nstay_days = exponential(mean=10)\nstay_revoke_prob = 0.25\n"
    "copay_usd = uniform(min=0, max=4000)\n"
    "[region.b]\narrivals_per_day = 5\nbond_grant_prob = 0.3\nfamily_pays_prob = 0.6\n"
    "bond_usd = mixture(0.4: fixed(1500); 0.6: gamma(mean=5000, sd=2500))\ncase_cost_usd = 200\n"
    "hearing_delay_days = uniform(min=2, max=30)\nrelease_delay_days = fixed(1)\n"
    "[regime.crackdown]\nstart_day = 30\nend_day = 70\narrivals_per_day = 8\nbond_grant_prob = 0.8\n"
    "family_pays_prob = 0.1\nmax_bond_paid_usd = 8000\nstay_prob = 0.5\n"
    "bond_usd = lognormal(median=6000, sigma=0.5)\n";

START_TEST(regime_regions)
{
    scenario *s = load_text(regime_text);
    ck_assert_uint_eq(s->regions[0].nphases, 3);
    check_scenario_dist(s, 6000, 3000, "regime");
    scenario_free(s);
}
END_TEST

/* §7 ledger regions (refunds, a payment capacity): the fundable cases
 * are listed for the ledger (engine_lcases), decided by the same draws. */
static const char ledger_text[] =
    "[fund]\nbudget_usd = 100000\nhorizon_days = 90\npolicy = first_come\n"
    "[region.a]\ninitial_detained = 50\narrivals_per_day = 4\nbond_grant_prob = 0.6\nfamily_pays_prob = 0.5\n"
    "bond_usd = lognormal(median=3000, sigma=0.8, min=1500, max=50000)\nmax_bond_paid_usd = 15000\n"
    "hearing_delay_days = gamma(mean=14, sd=7)\nrelease_delay_days = uniform(min=0.25, max=2)\n"
    "removal_hazard_per_day = 0.005\nrefund_prob = 0.7\ncase_duration_days = uniform(min=20, max=60)\n"
    "refund_lag_days = fixed(10)\nstay_prob = 0.3\nstay_days = fixed(5)\n"
    "[region.b]\ninitial_detained = 20\narrivals_per_day = 2\nbond_grant_prob = 0.9\n"
    "bond_usd = uniform(min=1000, max=9000)\nhearing_delay_days = exponential(mean=8)\n"
    "max_payments_per_day = 2\n";

START_TEST(ledger_regions)
{
    scenario *s = load_text(ledger_text);
    ck_assert(scenario_uses_ledger(s, 0));
    ck_assert(scenario_uses_ledger(s, 1));
    check_scenario_dist(s, 6000, 3000, "ledger");
    scenario_free(s);
}
END_TEST

/* The checks have power: a reference whose grant probability is 2% lower
 * (0.8 -> 0.784 in bench.ini's north) is rejected by KS on the pooled
 * cases' count ... and a 2% error in E by the mean test. */
START_TEST(checks_can_fail)
{
    scenario *s = load_file("bench/bench.ini");
    moments mo;
    cases eng = {0}, ref = {0};
    engine_sample(s, 0, 4000, &eng, &mo);
    double mu, var, z[2];
    exact_moments(s, 0, &mu, &var);
    ck_assert(moments_ok(&mo, mu, var, z));
    ck_assert_msg(!moments_ok(&mo, 1.02 * mu, var, z), "a 2%% error in E passed (%.2f SE)", z[0]);
    ck_assert_msg(!moments_ok(&mo, mu, 1.5 * var, z), "a 50%% error in Var passed (%.2f SE)", z[1]);
    /* a reference with bonds 3% dearer: KS on cost rejects */
    ref_sample(s, 0, 1500, 1, &ref);
    for (size_t i = 0; i < ref.n; i++)
        ref.v[0][i] *= 1.03;
    double D, crit;
    ck_assert_msg(ks_rejects(&eng, &ref, 0, &D, &crit), "bonds 3%% dearer passed KS (D %.5f, crit %.5f)", D, crit);
    /* a reference with grant 2% lower: its count is off by many SE */
    cases_free(&ref);
    ref_sample(s, 0, 1500, 0.98, &ref);
    double rmean = (double)ref.n / 1500;
    ck_assert_msg(fabs(rmean - mu) > NSE * sqrt(var / 1500), "grant 2%% lower passed: %.3f vs E %.3f", rmean, mu);
    cases_free(&eng);
    cases_free(&ref);
    scenario_free(s);
}
END_TEST

/* Lognormal bonds truncated at (a) and above (b) the median: the engine
 * rejects from |N| there (engine.c, leaf_init).  With no cap, no case cost
 * and nothing else depending on the bond, the fundable cases' costs are iid
 * draws of the bond distribution: one-sample KS against its exact cdf
 * (dist_cdf), reject when sqrt(n) D > 1.9495 (alpha = 0.001), besides the
 * checks against the reference. */
static const char median_text[] =
    "[fund]\nhorizon_days = 60\n"
    "[region.a]\ninitial_detained = 100\narrivals_per_day = 3\nbond_grant_prob = 0.7\n"
    "bond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\nhearing_delay_days = uniform(min=1, max=20)\n"
    "[region.b]\ninitial_detained = 100\narrivals_per_day = 3\nbond_grant_prob = 0.7\n"
    "bond_usd = lognormal(median=2000, sigma=0.8, min=3000, max=20000)\nhearing_delay_days = fixed(3)\n"
    "removal_hazard_per_day = 0.01\n";

START_TEST(lognormal_truncated_at_median)
{
    scenario *s = load_text(median_text);
    check_scenario_dist(s, 3000, 1500, "median");
    for (size_t c = 0; c < s->nregions; c++) {
        moments mo;
        cases eng = {0};
        engine_sample(s, c, 1000, &eng, &mo);
        double *x = eng.v[0], D = 0, n = (double)eng.n;
        qsort(x, eng.n, sizeof *x, cmp_d);
        for (size_t i = 0; i < eng.n; i++) {
            double F = dist_cdf(s->regions[c].bond_usd, x[i]);
            D = fmax(D, fmax(fabs((double)(i + 1) / n - F), fabs(F - (double)i / n)));
        }
        ck_assert_msg(sqrt(n) * D <= KS_C, "region %s: one-sample KS sqrt(n) D = %.4f (n = %zu)", s->regions[c].name,
                      sqrt(n) * D, eng.n);
        cases_free(&eng);
    }
    scenario_free(s);
}
END_TEST

/* engine_draw_lcases lists the same people as engine_draw (a pooled fund
 * mixes them), on the batched path (bench.ini, engine_batch.c) and the
 * scalar one (seed-2025's Chicago: a mixture bond): the same costs, times
 * and count in every replication. */
static int cmp_case(const void *x, const void *y)
{
    const engine_case *a = x, *b = y;
    return a->arrive != b->arrive ? (a->arrive > b->arrive) - (a->arrive < b->arrive)
                                  : (a->cost > b->cost) - (a->cost < b->cost);
}

START_TEST(lcases_same_people)
{
    const char *files[] = {"bench/bench.ini", "scenarios/seed-2025.ini"};
    engine_ws *ws = ws_new();
    for (int f = 0; f < 2; f++) {
        scenario *s = load_file(files[f]);
        for (uint64_t rep = 0; rep < 30; rep++) {
            size_t n, ln;
            fz_error err = {0, ""};
            draw(ws, s, 0, POLICY_FIRST_COME, RNG_STREAM_OPTIMIZE, rep);
            const engine_case *cs = engine_cases(ws, &n);
            engine_case *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
            ck_assert(a && b);
            memcpy(a, cs, n * sizeof *a);
            ck_assert_int_eq(engine_draw_lcases(ws, s, 0, RNG_STREAM_OPTIMIZE, rep, &err), 0);
            const engine_lcase *ls = engine_lcases(ws, &ln);
            ck_assert_uint_eq(ln, n);
            for (size_t i = 0; i < n; i++)
                b[i] = (engine_case){ls[i].cost, ls[i].arrive, ls[i].ready + ls[i].delay, ls[i].ready};
            qsort(a, n, sizeof *a, cmp_case);
            qsort(b, n, sizeof *b, cmp_case);
            ck_assert_msg(memcmp(a, b, n * sizeof *a) == 0, "%s rep %d: other people", files[f], (int)rep);
            free(a);
            free(b);
        }
        scenario_free(s);
    }
    engine_ws_free(ws);
}
END_TEST

/* A region nobody can become fundable in (grant 0; family always pays)
 * draws no one but still counts its people. */
START_TEST(nobody_kept)
{
    scenario *s = load_text("[fund]\nhorizon_days = 50\n[region.a]\ninitial_detained = 40\narrivals_per_day = 2\n"
                            "bond_grant_prob = 0\n[region.b]\ninitial_detained = 7\nfamily_pays_prob = 1\n");
    engine_ws *ws = ws_new();
    for (uint64_t rep = 0; rep < 50; rep++) {
        draw(ws, s, 0, s->policy, RNG_STREAM_EVALUATE, rep);
        ck_assert_uint_eq(engine_fundable(ws), 0);
        ck_assert_uint_ge(engine_people(ws), 40);
        draw(ws, s, 1, s->policy, RNG_STREAM_EVALUATE, rep);
        ck_assert_uint_eq(engine_fundable(ws), 0);
        ck_assert_uint_eq(engine_people(ws), 7);
    }
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

static Suite *make_thinning_suite(void)
{
    Suite *su = suite_create("thinning");
    TCase *t = tcase_create("distribution");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, bench_regions);
    tcase_add_test(t, seed_2025_regions);
    tcase_add_test(t, regime_regions);
    tcase_add_test(t, ledger_regions);
    tcase_add_test(t, lognormal_truncated_at_median);
    tcase_add_test(t, checks_can_fail);
    tcase_add_test(t, nobody_kept);
    tcase_add_test(t, lcases_same_people);
    suite_add_tcase(su, t);
    return su;
}

FZ_CHECK_MAIN(thinning)
