/* check_scenario_time: the scenario side of DESIGN §7 (the fund over time),
 * keys and regimes.  --set, check's print, sweeps and the truncation of
 * mean=/sd= families: check_scenario_time_set.c.
 *
 * - every new [fund] and region key: its default (neutral: one phase holding
 *   the region's values, no ledger) and a value read back; bad values;
 * - [regime.NAME] phases on hand-built examples: two overlapping regimes
 *   (the later section wins for each key it sets, in either file order),
 *   the regions filter, a regime starting at or beyond H, end_day left to
 *   the horizon (and moving with --set fund.horizon_days, in a copy too),
 *   equal neighbours merged, bond_usd borrowed; regime errors;
 * - the people limit over the piecewise arrival rate, both ways;
 * - scenario_uses_ledger and the cheapest_first errors, at the right line. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "scenario.h"

#include "scenario_util.h"
#include "scenario_time_util.h"

/* ---- defaults and values ---- */

START_TEST(test_defaults_neutral)
{
    scenario *s = load_ok("[region.a]\narrivals_per_day = 2\nbond_grant_prob = 0.6\n", NULL, 0);
    ck_assert_double_eq(s->donations_usd_per_month, 0);
    ck_assert_int_eq(s->queue, QUEUE_SKIP);
    ck_assert(isinf(s->max_wait_days) && s->max_wait_days > 0);
    ck_assert_int_eq(s->posting_days, POSTING_ALL);
    ck_assert_int_eq(s->start_weekday, 0);
    ck_assert_uint_eq(s->nregimes, 0);
    const scenario_region *r = &s->regions[0];
    ck_assert_double_eq(r->stay_prob, 0);
    assert_dist(r->stay_days, "fixed(0)");
    ck_assert_double_eq(r->stay_revoke_prob, 0);
    assert_dist(r->copay_usd, "fixed(0)");
    ck_assert_double_eq(r->refund_prob, 0);
    assert_dist(r->case_duration_days, "fixed(0)");
    assert_dist(r->refund_lag_days, "fixed(0)");
    ck_assert(isinf(r->max_payments_per_day) && r->max_payments_per_day > 0);
    /* one phase with the region's own values */
    ck_assert_uint_eq(r->nphases, 1);
    assert_phase(&r->phases[0], 0, 90, 0.6, 2, 0);
    ck_assert_ptr_eq(r->phases[0].bond_usd, r->bond_usd);
    ck_assert_double_eq(r->phases[0].family_pays_prob, 0);
    ck_assert(isinf(r->phases[0].max_bond_paid_usd));
    ck_assert_int_eq(scenario_uses_ledger(s, 0), 0);
    scenario_free(s);
}
END_TEST

static const char values_ini[] = "[fund]\n"
                                 "policy = first_come\n"
                                 "donations_usd_per_month = 2500.5\n"
                                 "queue = wait\n"
                                 "max_wait_days = 45\n"
                                 "posting_days = weekdays\n"
                                 "start_weekday = 4\n"
                                 "[region.chicago]\n"
                                 "stay_prob = 0.25\n"
                                 "stay_days = uniform(min=7, max=21)\n"
                                 "stay_revoke_prob = 0.1\n"
                                 "copay_usd = fixed(300)\n"
                                 "refund_prob = 0.6\n"
                                 "case_duration_days = gamma(mean=1000, sd=300)\n"
                                 "refund_lag_days = exponential(mean=60)\n"
                                 "max_payments_per_day = 3\n"
                                 "[region.kansas_city]\n"
                                 "max_payments_per_day = 0\n";

START_TEST(test_values)
{
    scenario *s = load_ok(values_ini, NULL, 0);
    ck_assert_double_eq(s->donations_usd_per_month, 2500.5);
    ck_assert_int_eq(s->queue, QUEUE_WAIT);
    ck_assert_double_eq(s->max_wait_days, 45);
    ck_assert_int_eq(s->posting_days, POSTING_WEEKDAYS);
    ck_assert_int_eq(s->start_weekday, 4);
    const scenario_region *r = &s->regions[0];
    ck_assert_double_eq(r->stay_prob, 0.25);
    assert_dist(r->stay_days, "uniform(min=7, max=21)");
    ck_assert_double_eq(r->stay_revoke_prob, 0.1);
    assert_dist(r->copay_usd, "fixed(300)");
    ck_assert_double_eq(r->refund_prob, 0.6);
    assert_dist(r->case_duration_days, "gamma(mean=1000, sd=300)");
    assert_dist(r->refund_lag_days, "exponential(mean=60)");
    ck_assert_double_eq(r->max_payments_per_day, 3);
    ck_assert_double_eq(s->regions[1].max_payments_per_day, 0);
    ck_assert_uint_eq(r->nphases, 1);
    assert_phase(&r->phases[0], 0, 90, 1, 0, 0.25); /* stay_prob is a phase value */
    scenario_free(s);
    /* 'unlimited' for both unlimited keys */
    s = load_ok("[fund]\npolicy = first_come\nmax_wait_days = unlimited\n[region.a]\nmax_payments_per_day = "
                "unlimited\n",
                NULL, 0);
    ck_assert(isinf(s->max_wait_days) && isinf(s->regions[0].max_payments_per_day));
    scenario_free(s);
}
END_TEST

/* Each ledger key alone turns the ledger on (and with first_come loads). */
START_TEST(test_uses_ledger)
{
    static const char *const one[] = {"fund.donations_usd_per_month=1", "fund.queue=wait", "fund.posting_days=weekdays",
                                      "region.b.refund_prob=0.01", "region.b.max_payments_per_day=5"};
    const char *text = "[fund]\npolicy = first_come\n[region.a]\n[region.b]\n";
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        scenario *s = load_ok(text, &one[i], 1);
        int per_region = i >= 3; /* refunds and capacity belong to region b only */
        ck_assert_msg(scenario_uses_ledger(s, 1) == 1, "%s", one[i]);
        ck_assert_msg(scenario_uses_ledger(s, 0) == !per_region, "%s", one[i]);
        scenario_free(s);
    }
    /* stays, copays, regimes, max_wait_days alone do not need it, and work with cheapest_first */
    scenario *s = load_ok("[fund]\nmax_wait_days = 3\n[region.a]\nstay_prob = 0.5\nstay_days = fixed(10)\n"
                          "stay_revoke_prob = 0.2\ncopay_usd = uniform(min=0, max=500)\n"
                          "[regime.r]\nstart_day = 10\nstay_prob = 1\nbond_grant_prob = 0\n",
                          NULL, 0);
    ck_assert_int_eq(s->policy, POLICY_CHEAPEST_FIRST);
    ck_assert_int_eq(scenario_uses_ledger(s, 0), 0);
    scenario_free(s);
}
END_TEST

/* ---- regimes and phases ---- */

static const char overlap_ini[] = "[fund]\n"
                                  "horizon_days = 100\n"
                                  "[region.a]\n"
                                  "arrivals_per_day = 1\n"
                                  "bond_grant_prob = 0.9\n"
                                  "[regime.first]\n"
                                  "start_day = 10\n"
                                  "end_day = 60\n"
                                  "bond_grant_prob = 0.5\n"
                                  "arrivals_per_day = 3\n"
                                  "[regime.second]\n"
                                  "start_day = 40\n"
                                  "end_day = 80\n"
                                  "bond_grant_prob = 0.2\n"
                                  "stay_prob = 0.3\n";

START_TEST(test_phases_overlap_later_wins)
{
    scenario *s = load_ok(overlap_ini, NULL, 0);
    ck_assert_uint_eq(s->nregimes, 2);
    const scenario_regime *g = &s->regimes[0];
    ck_assert_str_eq(g->name, "first");
    ck_assert_double_eq(g->start_day, 10);
    ck_assert_double_eq(g->end_day, 60);
    ck_assert(g->regions == UINT64_MAX);
    ck_assert_uint_eq(g->set, REGIME_GRANT | REGIME_ARRIVALS);
    ck_assert_uint_eq(s->regimes[1].set, REGIME_GRANT | REGIME_STAY);
    const scenario_region *r = &s->regions[0];
    ck_assert_uint_eq(r->nphases, 5);
    assert_phase(&r->phases[0], 0, 10, 0.9, 1, 0);
    assert_phase(&r->phases[1], 10, 40, 0.5, 3, 0);
    assert_phase(&r->phases[2], 40, 60, 0.2, 3, 0.3); /* second wins for grant; first's arrivals stay */
    assert_phase(&r->phases[3], 60, 80, 0.2, 1, 0.3);
    assert_phase(&r->phases[4], 80, 100, 0.9, 1, 0);
    /* people: the piecewise rate, 10*1 + 50*3 + 40*1 */
    ck_assert_double_eq_tol(people_mean(r), 200, 1e-9);
    scenario_free(s);

    /* the same sections in the other order: the first now wins where they overlap */
    s = load_ok("[fund]\nhorizon_days = 100\n[region.a]\narrivals_per_day = 1\nbond_grant_prob = 0.9\n"
                "[regime.second]\nstart_day = 40\nend_day = 80\nbond_grant_prob = 0.2\nstay_prob = 0.3\n"
                "[regime.first]\nstart_day = 10\nend_day = 60\nbond_grant_prob = 0.5\narrivals_per_day = 3\n",
                NULL, 0);
    r = &s->regions[0];
    ck_assert_uint_eq(r->nphases, 5);
    assert_phase(&r->phases[2], 40, 60, 0.5, 3, 0.3);
    scenario_free(s);
}
END_TEST

START_TEST(test_phases_regions_filter_and_bond)
{
    scenario *s = load_ok("[region.a]\nbond_usd = fixed(2000)\n[region.b]\n[region.c]\n"
                          "[regime.r]\nstart_day = 30\nregions = c , b\nbond_usd = fixed(5000)\n"
                          "max_bond_paid_usd = 4000\nfamily_pays_prob = 0.5\n",
                          NULL, 0);
    const scenario_regime *g = &s->regimes[0];
    ck_assert(g->regions == ((1u << 1) | (1u << 2)));
    ck_assert(isinf(g->end_day));
    ck_assert_uint_eq(s->regions[0].nphases, 1);
    ck_assert_ptr_eq(s->regions[0].phases[0].bond_usd, s->regions[0].bond_usd);
    for (size_t c = 1; c < 3; c++) {
        const scenario_region *r = &s->regions[c];
        ck_assert_uint_eq(r->nphases, 2);
        ck_assert_double_eq(r->phases[0].end, 30);
        ck_assert_double_eq(r->phases[1].end, 90); /* end_day not given: H */
        ck_assert_ptr_eq(r->phases[0].bond_usd, r->bond_usd);
        ck_assert_ptr_eq(r->phases[1].bond_usd, g->bond_usd);
        ck_assert_double_eq(r->phases[1].max_bond_paid_usd, 4000);
        ck_assert_double_eq(r->phases[1].family_pays_prob, 0.5);
        ck_assert(isinf(r->phases[0].max_bond_paid_usd));
    }
    scenario_free(s);
}
END_TEST

START_TEST(test_phases_clipped_and_merged)
{
    /* start at H, and beyond: no effect, one phase */
    static const char *const late[] = {"90", "500"};
    for (int i = 0; i < 2; i++) {
        char text[256];
        snprintf(text, sizeof text, "[region.a]\n[regime.r]\nstart_day = %s\nbond_grant_prob = 0\n", late[i]);
        scenario *s = load_ok(text, NULL, 0);
        ck_assert_uint_eq(s->regions[0].nphases, 1);
        assert_phase(&s->regions[0].phases[0], 0, 90, 1, 0, 0);
        scenario_free(s);
    }
    /* end beyond H is clipped; a regime from day 0 has no leading phase */
    scenario *s = load_ok("[region.a]\n[regime.r]\nstart_day = 0\nend_day = 1000\nbond_grant_prob = 0\n", NULL, 0);
    ck_assert_uint_eq(s->regions[0].nphases, 1);
    assert_phase(&s->regions[0].phases[0], 0, 90, 0, 0, 0);
    scenario_free(s);
    /* a regime that changes nothing gives no cut */
    s = load_ok("[region.a]\nbond_grant_prob = 0.4\n[regime.r]\nstart_day = 10\nend_day = 20\nbond_grant_prob = 0.4\n",
                NULL, 0);
    ck_assert_uint_eq(s->regions[0].nphases, 1);
    scenario_free(s);
    /* fractional days are kept */
    s = load_ok("[region.a]\n[regime.r]\nstart_day = 10.5\nend_day = 20.25\nstay_prob = 1\n", NULL, 0);
    ck_assert_uint_eq(s->regions[0].nphases, 3);
    assert_phase(&s->regions[0].phases[1], 10.5, 20.25, 1, 0, 1);
    scenario_free(s);
}
END_TEST

/* end_day left out follows the horizon, in scenario_load and in a copy. */
START_TEST(test_phases_follow_horizon)
{
    const char *text = "[region.a]\n[regime.r]\nstart_day = 30\nbond_grant_prob = 0\n";
    const char *set = "fund.horizon_days=200";
    scenario *s = load_ok(text, &set, 1);
    ck_assert_uint_eq(s->regions[0].nphases, 2);
    ck_assert_double_eq(s->regions[0].phases[1].end, 200);
    scenario_free(s);
    s = load_ok(text, NULL, 0);
    scenario *c = NULL;
    fz_error err;
    ck_assert_msg(scenario_copy_set(&c, s, set, NULL, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(c->regions[0].nphases, 2);
    ck_assert_double_eq(c->regions[0].phases[1].end, 200);
    ck_assert_double_eq(s->regions[0].phases[1].end, 90); /* the original is unchanged */
    ck_assert_ptr_ne(c->regions[0].phases, s->regions[0].phases);
    scenario_free(c);
    /* a copy that moves the regime's start */
    ck_assert_msg(scenario_copy_set(&c, s, "regime.r.start_day=60", NULL, &err) == 0, "%s", err.msg);
    ck_assert_double_eq(c->regions[0].phases[0].end, 60);
    ck_assert_double_eq(s->regions[0].phases[0].end, 30);
    scenario_free(c);
    scenario_free(s);
}
END_TEST

/* SCENARIO_MAX_PEOPLE_MEAN counts initial + sum of rate * length. */
START_TEST(test_people_limit_piecewise)
{
    /* 1000/day over 100 days is 1e5; a regime of 20000/day on [0, 50) makes 1.05e6 */
    load_fails("[fund]\nhorizon_days = 100\n[region.a]\narrivals_per_day = 1000\n"
               "[regime.rush]\nstart_day = 0\nend_day = 50\narrivals_per_day = 20000\n",
               NULL, 0, "bad.ini:3: [region.a]: 1050000 people expected per replication");
    /* on [0, 40) it is 860000: accepted */
    scenario *s = load_ok("[fund]\nhorizon_days = 100\n[region.a]\narrivals_per_day = 1000\n"
                          "[regime.rush]\nstart_day = 0\nend_day = 40\narrivals_per_day = 20000\n",
                          NULL, 0);
    scenario_free(s);
    /* and the other way: 20000/day over 100 days is 2e6, but 0 on [0, 60) leaves 8e5 */
    s = load_ok("[fund]\nhorizon_days = 100\n[region.a]\narrivals_per_day = 20000\n"
                "[regime.quiet]\nstart_day = 0\nend_day = 60\narrivals_per_day = 0\n",
                NULL, 0);
    scenario_free(s);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_regime_errors)
{
    load_fails("[region.a]\n[regime.r]\nbond_grant_prob = 0\n", NULL, 0, "bad.ini:2: [regime.r] has no start_day");
    load_fails("[region.a]\n[regime.r]\n", NULL, 0, "bad.ini:2: [regime.r] has no start_day");
    load_fails("[region.a]\n[region.b]\n[regime.r]\nstart_day = 1\nregions = a, boston\n", NULL, 0,
               "bad.ini:5: regions: no region 'boston' in the scenario (known: a, b)");
    load_fails("[region.a]\n[regime.r]\nstart_day = 1\nregions = a,,a\n", NULL, 0, "bad.ini:4: regions = 'a,,a'");
    load_fails("[region.a]\n[regime.r]\nstart_day = 20\nend_day = 10\n", NULL, 0,
               "bad.ini:4: [regime.r]: end_day = 10 is not after start_day = 20 (");
    load_fails("[region.a]\n[regime.r]\nstart_day = 20\nend_day = 10\n", NULL, 0,
               "bad.ini:3): expected end_day > start_day");
    load_fails("[region.a]\n[regime.r]\nstart_day = -1\n", NULL, 0, "bad.ini:3: start_day = '-1': expected a day");
    load_fails("[region.a]\n[regime.r]\nstart_day = 1\nlabel = x\n", NULL, 0,
               "bad.ini:4: unknown key 'label' in [regime.r] (known: start_day, end_day, regions");
    load_fails("[region.a]\n[regime.r]\nstart_day = 1\nbond_grant_prob = 2\n", NULL, 0,
               "bad.ini:4: bond_grant_prob = '2': expected a probability in [0, 1]");
    load_fails("[region.a]\n[regime.r]\nstart_day = 1\nbond_usd = normal(mean=1, sd=1)\n", NULL, 0,
               "bad.ini:4: bond_usd = normal(mean=1, sd=1) can be negative");
    load_fails("[region.a]\n[regime.a b]\nstart_day = 1\n", NULL, 0, "bad.ini:2: unknown section [regime.a b]");
    /* the limit on regimes */
    char text[8192] = "[region.a]\n";
    for (int i = 0; i <= SCENARIO_MAX_REGIMES; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "[regime.r%d]\nstart_day = 1\n", i);
    char want[64];
    snprintf(want, sizeof want, "bad.ini:%d: [regime.r%d]: more than %d regimes", 2 + 2 * SCENARIO_MAX_REGIMES,
             SCENARIO_MAX_REGIMES, SCENARIO_MAX_REGIMES);
    load_fails(text, NULL, 0, want);
}
END_TEST

START_TEST(test_key_errors)
{
    static const char *const rows[][2] = {
        {"[fund]\npolicy = first_come\ndonations_usd_per_month = -1\n[region.a]\n",
         "bad.ini:3: donations_usd_per_month"},
        {"[fund]\nqueue = fifo\n[region.a]\n", "bad.ini:2: queue = 'fifo': expected skip or wait"},
        {"[fund]\nmax_wait_days = -2\n[region.a]\n", "bad.ini:2: max_wait_days = '-2': expected a number of days"},
        {"[fund]\nposting_days = weekends\n[region.a]\n", "bad.ini:2: posting_days = 'weekends': expected all or"},
        {"[fund]\nstart_weekday = 7\n[region.a]\n", "bad.ini:2: start_weekday = '7': expected a whole number from 0"},
        {"[fund]\nstart_weekday = 1.5\n[region.a]\n", "bad.ini:2: start_weekday = '1.5'"},
        {"[region.a]\nstay_prob = 1.5\n", "bad.ini:2: stay_prob = '1.5': expected a probability"},
        {"[region.a]\nstay_revoke_prob = -0.1\n", "bad.ini:2: stay_revoke_prob"},
        {"[region.a]\nrefund_prob = nan\n", "bad.ini:2: refund_prob = 'nan'"},
        {"[region.a]\nstay_days = normal(mean=5, sd=2)\n",
         "bad.ini:2: stay_days = normal(mean=5, sd=2) can be negative"},
        {"[region.a]\ncopay_usd = uniform(min=-5, max=5)\n", "bad.ini:2: copay_usd"},
        {"[region.a]\ncase_duration_days = soon\n", "bad.ini:2: case_duration_days"},
        {"[region.a]\nrefund_lag_days = fixed(-1)\n", "bad.ini:2: refund_lag_days"},
        {"[fund]\npolicy = first_come\n[region.a]\nmax_payments_per_day = 2.5\n",
         "bad.ini:4: max_payments_per_day = '2.5': expected a whole number"},
        {"[fund]\npolicy = first_come\n[region.a]\nmax_payments_per_day = -1\n", "bad.ini:4: max_payments_per_day"},
        /* §8's pooling is a [fund] key with two values */
        {"[fund]\npooling = shared\n[region.a]\n", "bad.ini:2: pooling = 'shared': expected split or pooled"},
        {"[region.a]\npooling = pooled\n", "bad.ini:2: unknown key 'pooling' in [region.a]"},
        /* [fund]-only keys are not region keys, and the other way round */
        {"[region.a]\nqueue = wait\n", "bad.ini:2: unknown key 'queue' in [region.a]"},
        {"[fund]\nrefund_prob = 0\n[region.a]\n", "bad.ini:2: unknown key 'refund_prob' in [fund]"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        load_fails(rows[i][0], NULL, 0, rows[i][1]);
}
END_TEST

/* cheapest_first with any ledger key: an error at that key's line. */
START_TEST(test_cheapest_first_refused)
{
    static const char *const rows[][2] = {
        {"[region.a]\nrefund_prob = 0.2\n", "bad.ini:2: policy = cheapest_first with [region.a] refund_prob = 0.2"},
        {"[fund]\ndonations_usd_per_month = 100\n[region.a]\n", "bad.ini:2: policy = cheapest_first with donations"},
        {"[region.a]\n[region.b]\nmax_payments_per_day = 4\n", "bad.ini:3: policy = cheapest_first with [region.b]"},
        {"[fund]\nposting_days = weekdays\n[region.a]\n", "bad.ini:2: policy = cheapest_first with posting_days"},
        {"[fund]\npolicy = cheapest_first\n\nqueue = wait\n[region.a]\n",
         "bad.ini:4: policy = cheapest_first with queue = wait (policy = cheapest_first at "},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        load_fails(rows[i][0], NULL, 0, rows[i][1]);
        load_fails(rows[i][0], NULL, 0, "offline bound for a fund that only spends");
        load_fails(rows[i][0], NULL, 0, "use policy = first_come");
        /* first_come accepts it */
        const char *set = "fund.policy=first_come";
        scenario *s = load_ok(rows[i][0], &set, 1);
        scenario_free(s);
    }
    /* a --set that asks for cheapest_first is named */
    const char *set = "fund.policy=cheapest_first";
    load_fails("[fund]\npolicy = first_come\nqueue = wait\n[region.a]\n", &set, 1,
               "--set fund.policy=cheapest_first: policy = cheapest_first with queue = wait (");
    /* a --set of a ledger key is named */
    set = "region.a.refund_prob=0.5";
    load_fails("[region.a]\n", &set, 1, "--set region.a.refund_prob=0.5: policy = cheapest_first with");
    /* neutral values are no ledger: accepted */
    scenario *s = load_ok("[fund]\nqueue = skip\nposting_days = all\ndonations_usd_per_month = 0\n"
                          "[region.a]\nrefund_prob = 0\nmax_payments_per_day = unlimited\n",
                          NULL, 0);
    scenario_free(s);
}
END_TEST

Suite *make_scenario_time_suite(void)
{
    Suite *s = suite_create("scenario_time");
    TCase *tc = tcase_create("keys");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_defaults_neutral);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_uses_ledger);
    tcase_add_test(tc, test_key_errors);
    tcase_add_test(tc, test_cheapest_first_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("regimes");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_phases_overlap_later_wins);
    tcase_add_test(tc, test_phases_regions_filter_and_bond);
    tcase_add_test(tc, test_phases_clipped_and_merged);
    tcase_add_test(tc, test_phases_follow_horizon);
    tcase_add_test(tc, test_people_limit_piecewise);
    tcase_add_test(tc, test_regime_errors);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(scenario_time)
