/* check_scenario_time_set: the scenario side of DESIGN §7, continued
 * (keys and regimes: check_scenario_time.c).
 *
 * - --set regime.NAME.key (an existing regime, a new one made with its
 *   start_day, a distribution argument) and distribution arguments of the
 *   new region keys from their defaults; scenario_copy_set of the same
 *   gives what scenario_load gives;
 * - check's print loads back to the same scenario with every new key and
 *   regime (end_day and regions printed only when given, so the text keeps
 *   its meaning under another horizon), and a regions list fits its line;
 * - sweeps and the tornado see the new keys (scenario_params,
 *   scenario_key_numeric, and sweep --param / --tornado through fianza);
 * - `mean=`/`sd=` describe a family before truncation (DESIGN §4): the mean
 *   of gamma(mean=14, sd=7, max=30) is that of the truncated gamma(shape=4,
 *   scale=3.5), by dist_mean and by sampling. */
#define _GNU_SOURCE
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "scenario.h"

#include "scenario_util.h"
#include "scenario_time_util.h"

/* ---- --set ---- */

START_TEST(test_set_regime)
{
    const char *text = "[fund]\npolicy = first_come\n[region.a]\n[region.b]\n"
                       "[regime.no_bond]\nstart_day = 60\nregions = b\nbond_grant_prob = 0.05\n";
    const char *sets[] = {"regime.no_bond.start_day=20", "regime.no_bond.end_day=50", "regime.no_bond.regions=a,b",
                          "regime.no_bond.bond_usd=fixed(900)", "regime.no_bond.bond_usd.value=800"};
    scenario *s = load_ok(text, sets, 5);
    const scenario_regime *g = &s->regimes[0];
    ck_assert_double_eq(g->start_day, 20);
    ck_assert_double_eq(g->end_day, 50);
    ck_assert(g->regions == 3);
    assert_dist(g->bond_usd, "fixed(800)");
    ck_assert_uint_eq(g->set, REGIME_GRANT | REGIME_BOND);
    ck_assert_uint_eq(s->regions[0].nphases, 3);
    scenario_free(s);
    /* a new regime from --set, with its start_day: after the file's (it wins) */
    const char *mk[] = {"regime.later.bond_grant_prob=0.5", "regime.later.start_day=0"};
    s = load_ok(text, mk, 2);
    ck_assert_uint_eq(s->nregimes, 2);
    ck_assert_str_eq(s->regimes[1].name, "later");
    /* in region b it covers no_bond's [60, 90) too: one phase at 0.5 */
    ck_assert_uint_eq(s->regions[1].nphases, 1);
    ck_assert_double_eq(s->regions[1].phases[0].bond_grant_prob, 0.5);
    scenario_free(s);
    /* without start_day: refused, naming the override and what to add */
    load_fails(text, mk, 1,
               "--set regime.later.bond_grant_prob=0.5: [regime.later] has no start_day: expected start_day = DAY");
    load_fails(text, mk, 1, "add --set regime.later.start_day=DAY");
    const char *bad[] = {"regime.no_bond.regions=c"};
    load_fails(text, bad, 1, "--set regime.no_bond.regions=c: regions: no region 'c'");
    bad[0] = "regime.x.y.start_day=1";
    load_fails(text, bad, 1, "the scenario has no section [regime.x]");
    bad[0] = "regime.no_bond.arrivals_per_day.mean=1";
    load_fails(text, bad, 1, "[regime.no_bond] has no distribution 'arrivals_per_day'");
    bad[0] = "regime.no_bond.bond_usd.median=1";
    load_fails(text, bad, 1, "[regime.no_bond] has no distribution 'bond_usd'");
    /* distribution arguments of the new region keys, from their defaults */
    const char *dist_sets[] = {"region.a.stay_days.value=12", "region.a.case_duration_days.value=900",
                               "region.b.refund_lag_days.value=30", "region.b.copay_usd.value=100"};
    s = load_ok(text, dist_sets, 4);
    assert_dist(s->regions[0].stay_days, "fixed(12)");
    assert_dist(s->regions[0].case_duration_days, "fixed(900)");
    assert_dist(s->regions[1].refund_lag_days, "fixed(30)");
    assert_dist(s->regions[1].copay_usd, "fixed(100)");
    scenario_free(s);
    const char *g2[] = {"region.a.stay_days=gamma(mean=14, sd=7)", "region.a.stay_days.mean=20"};
    s = load_ok(text, g2, 2);
    assert_dist(s->regions[0].stay_days, "gamma(mean=20, sd=7)");
    scenario_free(s);
}
END_TEST

/* scenario_copy_set of regime keys gives what scenario_load gives. */
START_TEST(test_copy_set_regime_equals_load)
{
    const char *text = "[fund]\npolicy = first_come\n[region.a]\n[region.b]\n"
                       "[regime.no_bond]\nstart_day = 60\nregions = b\nbond_grant_prob = 0.05\n"
                       "bond_usd = lognormal(median=2000, sigma=0.5)\n";
    static const char *const sets[] = {"regime.no_bond.start_day=10",
                                       "regime.no_bond.end_day=70",
                                       "regime.no_bond.regions=a",
                                       "regime.no_bond.bond_usd.median=2500",
                                       "regime.no_bond.stay_prob=0.5",
                                       "regime.fresh.start_day=5",
                                       "region.a.refund_prob=0.5",
                                       "fund.donations_usd_per_month=10",
                                       "fund.start_weekday=3",
                                       "fund.max_wait_days=7",
                                       "region.b.max_payments_per_day=2",
                                       "fund.horizon_days=30"};
    scenario *base = load_ok(text, NULL, 0);
    char *pb = print_to_string(base);
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
        scenario *l = load_ok(text, &sets[i], 1), *c = NULL;
        fz_error err;
        ck_assert_msg(scenario_copy_set(&c, base, sets[i], NULL, &err) == 0, "%s: %s", sets[i], err.msg);
        char *pc = print_to_string(c), *pl = print_to_string(l);
        ck_assert_msg(strcmp(pc, pl) == 0, "%s: copy\n%s\nload\n%s", sets[i], pc, pl);
        ck_assert_msg(strcmp(pc, pb) != 0, "%s changed nothing", sets[i]);
        for (size_t r = 0; r < c->nregions; r++) {
            ck_assert_uint_eq(c->regions[r].nphases, l->regions[r].nphases);
            for (size_t j = 0; j < c->regions[r].nphases; j++) {
                ck_assert_double_eq(c->regions[r].phases[j].end, l->regions[r].phases[j].end);
                ck_assert_double_eq(c->regions[r].phases[j].bond_grant_prob, l->regions[r].phases[j].bond_grant_prob);
            }
        }
        scenario_free(c);
        scenario_free(l);
        free(pc), free(pl);
    }
    /* a new regime without start_day, from a copy: refused, the base unchanged */
    scenario *c = (scenario *)1;
    fz_error err;
    ck_assert_int_eq(scenario_copy_set(&c, base, "regime.fresh.stay_prob=1", NULL, &err), FZ_EINPUT);
    ck_assert_ptr_null(c);
    const char *want = "--set regime.fresh.stay_prob=1: [regime.fresh] has no start_day";
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
    char *after = print_to_string(base);
    ck_assert_str_eq(after, pb);
    free(after), free(pb);
    scenario_free(base);
}
END_TEST

/* ---- check's print ---- */

static const char trip_ini[] = "[fund]\n"
                               "horizon_days = 365\n"
                               "policy = first_come\n"
                               "donations_usd_per_month = 1234.5\n"
                               "queue = wait\n"
                               "max_wait_days = 14.5\n"
                               "posting_days = weekdays\n"
                               "start_weekday = 6\n"
                               "[region.chicago]\n"
                               "stay_prob = 0.125\n"
                               "stay_days = gamma(mean=14, sd=7, max=30)\n"
                               "stay_revoke_prob = 0.5\n"
                               "copay_usd = uniform(min=0, max=700)\n"
                               "refund_prob = 0.75\n"
                               "case_duration_days = lognormal(median=1000, sigma=0.4)\n"
                               "refund_lag_days = fixed(45)\n"
                               "max_payments_per_day = 2\n"
                               "[region.kansas_city]\n"
                               "[regime.kc_ruling]\n"
                               "start_day = 30.5\n"
                               "regions = kansas_city\n"
                               "bond_grant_prob = 0.05\n"
                               "arrivals_per_day = 0.5\n"
                               "[regime.everywhere]\n"
                               "start_day = 100\n"
                               "end_day = 200\n"
                               "bond_usd = fixed(5000)\n"
                               "family_pays_prob = 0.3\n"
                               "max_bond_paid_usd = unlimited\n"
                               "stay_prob = 1\n"
                               "[regime.both]\n"
                               "start_day = 0\n"
                               "end_day = 10\n"
                               "regions = kansas_city,chicago\n"
                               "max_bond_paid_usd = 2000\n";

static void assert_same_time(const scenario *a, const scenario *b)
{
    char x[512], y[512];
    ck_assert_double_eq(a->donations_usd_per_month, b->donations_usd_per_month);
    ck_assert_int_eq(a->queue, b->queue);
    ck_assert(a->max_wait_days == b->max_wait_days);
    ck_assert_int_eq(a->posting_days, b->posting_days);
    ck_assert_int_eq(a->start_weekday, b->start_weekday);
    ck_assert_uint_eq(a->nregions, b->nregions);
    for (size_t i = 0; i < a->nregions; i++) {
        const scenario_region *r = &a->regions[i], *q = &b->regions[i];
        ck_assert_double_eq(r->stay_prob, q->stay_prob);
        ck_assert_double_eq(r->stay_revoke_prob, q->stay_revoke_prob);
        ck_assert_double_eq(r->refund_prob, q->refund_prob);
        ck_assert(r->max_payments_per_day == q->max_payments_per_day);
        const dist *dr[] = {r->stay_days, r->copay_usd, r->case_duration_days, r->refund_lag_days};
        const dist *dq[] = {q->stay_days, q->copay_usd, q->case_duration_days, q->refund_lag_days};
        for (int k = 0; k < 4; k++) {
            dist_format(dr[k], x, sizeof x);
            dist_format(dq[k], y, sizeof y);
            ck_assert_str_eq(x, y);
        }
        ck_assert_uint_eq(r->nphases, q->nphases);
        for (size_t j = 0; j < r->nphases; j++) {
            const scenario_phase *p = &r->phases[j], *o = &q->phases[j];
            ck_assert_double_eq(p->start, o->start);
            ck_assert_double_eq(p->end, o->end);
            ck_assert_double_eq(p->arrivals_per_day, o->arrivals_per_day);
            ck_assert_double_eq(p->bond_grant_prob, o->bond_grant_prob);
            ck_assert_double_eq(p->family_pays_prob, o->family_pays_prob);
            ck_assert(p->max_bond_paid_usd == o->max_bond_paid_usd);
            ck_assert_double_eq(p->stay_prob, o->stay_prob);
            dist_format(p->bond_usd, x, sizeof x);
            dist_format(o->bond_usd, y, sizeof y);
            ck_assert_str_eq(x, y);
        }
    }
    ck_assert_uint_eq(a->nregimes, b->nregimes);
    for (size_t i = 0; i < a->nregimes; i++) {
        const scenario_regime *g = &a->regimes[i], *h = &b->regimes[i];
        ck_assert_str_eq(g->name, h->name);
        ck_assert_double_eq(g->start_day, h->start_day);
        ck_assert(g->end_day == h->end_day);
        ck_assert(g->regions == h->regions);
        ck_assert_uint_eq(g->set, h->set);
    }
}

START_TEST(test_print_round_trip_time)
{
    scenario *s = NULL;
    fz_error err;
    ck_assert_msg(load_text(&s, "trip.ini", trip_ini, NULL, 0, &err) == 0, "%s", err.msg);
    char *first = print_to_string(s);
    const char *path = write_file("trip.ini", first, 0);
    scenario *t = NULL;
    ck_assert_msg(scenario_load(&t, path, NULL, 0, &err) == 0, "does not reload: %s\n%s", err.msg, first);
    char *second = print_to_string(t);
    ck_assert_str_eq(first, second);
    assert_same_time(s, t);
    static const char *const want[] = {
        "donations_usd_per_month = 1234.5\nqueue = wait\nmax_wait_days = 14.5\nposting_days = weekdays\n"
        "start_weekday = 6\n",
        "stay_prob = 0.125\nstay_days = gamma(mean=14, sd=7, max=30)\nstay_revoke_prob = 0.5\n"
        "copay_usd = uniform(min=0, max=700)\nrefund_prob = 0.75\n"
        "case_duration_days = lognormal(median=1000, sigma=0.4)\nrefund_lag_days = fixed(45)\n"
        "max_payments_per_day = 2\n",
        "[regime.kc_ruling]\nstart_day = 30.5\n; end_day not given: the horizon (365)\nregions = kansas_city\n"
        "arrivals_per_day = 0.5\nbond_grant_prob = 0.05\n",
        "[regime.everywhere]\nstart_day = 100\nend_day = 200\n; regions not given: every region (chicago, "
        "kansas_city)\nbond_usd = fixed(5000)\nfamily_pays_prob = 0.3\nmax_bond_paid_usd = unlimited\nstay_prob = 1\n",
        "[regime.both]\nstart_day = 0\nend_day = 10\nregions = chicago, kansas_city\nmax_bond_paid_usd = 2000\n"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(first, want[i]) != NULL, "printed scenario lacks\n%s\n--- printed ---\n%s", want[i],
                      first);
    /* the printed text means the same with another horizon: end_day follows it */
    const char *set = "fund.horizon_days=150";
    scenario *u = NULL, *v = NULL;
    ck_assert_int_eq(scenario_load(&u, path, &set, 1, &err), 0);
    v = load_ok(trip_ini, &set, 1);
    assert_same_time(u, v);
    scenario_free(u), scenario_free(v);
    free(first), free(second);
    scenario_free(s), scenario_free(t);

    /* defaults, printed */
    s = load_ok("[region.a]\n", NULL, 0);
    first = print_to_string(s);
    static const char *const defaults[] = {"donations_usd_per_month = 0\n",
                                           "queue = skip\n",
                                           "max_wait_days = unlimited\n",
                                           "posting_days = all\n",
                                           "start_weekday = 0\n",
                                           "stay_prob = 0\n",
                                           "stay_days = fixed(0)\n",
                                           "stay_revoke_prob = 0\n",
                                           "copay_usd = fixed(0)\n",
                                           "refund_prob = 0\n",
                                           "case_duration_days = fixed(0)\n",
                                           "refund_lag_days = fixed(0)\n",
                                           "max_payments_per_day = unlimited\n"};
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        ck_assert_msg(strstr(first, defaults[i]) != NULL, "printed scenario lacks '%s'", defaults[i]);
    free(first);
    scenario_free(s);
}
END_TEST

/* A regions list printed with ", " must fit a line, or be refused up front. */
START_TEST(test_regions_line_limit)
{
    /* names of 46 characters: four take 187 characters joined by ",", 190 by ", " */
    static const char x43[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    char text[16384] = "", list[4096] = "";
    for (int i = 0; i < 8; i++) {
        snprintf(text + strlen(text), sizeof text - strlen(text), "[region.r%d_%s]\n", i, x43);
        snprintf(list + strlen(list), sizeof list - strlen(list), "%sr%d_%s", i ? "," : "", i, x43);
    }
    char set[4200];
    snprintf(set, sizeof set, "regime.r.regions=%s", list);
    const char *sets[] = {"regime.r.start_day=1", set};
    load_fails(text, sets, 2, "regions: written back as `fianza check` prints it the line would hold 385");
    snprintf(text + strlen(text), sizeof text - strlen(text), "[regime.r]\nstart_day = 1\nregions = %.*s\n", 4 * 46 + 3,
             list);
    scenario *s = load_ok(text, NULL, 0);
    char *printed = print_to_string(s);
    char want[300];
    snprintf(want, sizeof want, "\nregions = %.*s\n", 4 * 46 + 3, list); /* "," kept: ", " would not fit */
    ck_assert_msg(strstr(printed, want) != NULL, "%s", printed);
    const char *path = write_file("four.ini", printed, 0);
    scenario *t = NULL;
    fz_error err;
    ck_assert_msg(scenario_load(&t, path, NULL, 0, &err) == 0, "%s", err.msg);
    ck_assert(t->regimes[0].regions == 15);
    free(printed);
    scenario_free(s), scenario_free(t);
}
END_TEST

/* ---- sweeps and the tornado ---- */

START_TEST(test_params_and_numeric)
{
    static const char *const numeric[] = {"region.a.stay_prob",
                                          "region.a.stay_revoke_prob",
                                          "region.a.refund_prob",
                                          "region.a.max_payments_per_day",
                                          "region.a.stay_days.mean",
                                          "region.a.copay_usd.value",
                                          "region.a.case_duration_days.median",
                                          "region.a.refund_lag_days.value",
                                          "fund.donations_usd_per_month",
                                          "fund.max_wait_days",
                                          "fund.start_weekday",
                                          "regime.no_bond.start_day",
                                          "regime.no_bond.end_day",
                                          "regime.no_bond.bond_grant_prob",
                                          "regime.no_bond.arrivals_per_day",
                                          "regime.no_bond.stay_prob",
                                          "regime.no_bond.max_bond_paid_usd",
                                          "regime.no_bond.family_pays_prob",
                                          "regime.no_bond.bond_usd.median"};
    for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++)
        ck_assert_msg(scenario_key_numeric(numeric[i]) == 1, "%s", numeric[i]);
    static const char *const text[] = {
        "fund.queue",        "fund.posting_days", "fund.pooling", "regime.no_bond.regions", "regime.no_bond.bond_usd",
        "region.a.stay_days"};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        ck_assert_msg(scenario_key_numeric(text[i]) == 0, "%s", text[i]);
    static const char *const none[] = {"regime.no_bond.label", "regime.no_bond", "regime.x.start_day.arg", "fund.pool",
                                       "region.a.stay_prob.x"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        ck_assert_msg(scenario_key_numeric(none[i]) == -1, "%s", none[i]);

    scenario *s = load_ok("[fund]\npolicy = first_come\ndonations_usd_per_month = 100\nstart_weekday = 2\n"
                          "[region.a]\nstay_prob = 0.2\nmax_payments_per_day = 3\nstay_days = fixed(9)\n"
                          "[regime.no_bond]\nstart_day = 30\nbond_grant_prob = 0.05\nbond_usd = fixed(2000)\n",
                          NULL, 0);
    scenario_param *p = NULL;
    size_t n = 0;
    fz_error err;
    ck_assert_int_eq(scenario_params(&p, &n, s, &err), 0);
    struct {
        const char *name;
        double value;
        int integer;
        int found;
    } want[] = {{"region.a.stay_prob", 0.2, 0, 0},
                {"region.a.max_payments_per_day", 3, 1, 0},
                {"region.a.stay_days.value", 9, 0, 0},
                {"region.a.refund_prob", 0, 0, 0},
                {"fund.donations_usd_per_month", 100, 0, 0},
                {"fund.start_weekday", 2, 1, 0},
                {"regime.no_bond.start_day", 30, 0, 0},
                {"regime.no_bond.bond_grant_prob", 0.05, 0, 0},
                {"regime.no_bond.bond_usd.value", 2000, 0, 0}};
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof want / sizeof *want; k++)
            if (!strcmp(p[i].name, want[k].name)) {
                ck_assert_double_eq(p[i].value, want[k].value);
                ck_assert_int_eq(p[i].integer, want[k].integer);
                want[k].found++;
            }
        /* not given, unlimited, or not set by the regime: nothing to vary */
        ck_assert_msg(strcmp(p[i].name, "regime.no_bond.end_day") && strcmp(p[i].name, "fund.max_wait_days") &&
                          strcmp(p[i].name, "regime.no_bond.stay_prob") && strcmp(p[i].name, "fund.budget_usd"),
                      "%s listed", p[i].name);
    }
    for (size_t k = 0; k < sizeof want / sizeof *want; k++)
        ck_assert_msg(want[k].found == 1, "%s found %d times", want[k].name, want[k].found);
    free(p);
    scenario_free(s);
}
END_TEST

static const char sweep_ini[] = "[fund]\n"
                                "budget_usd = 6000\n"
                                "granularity_usd = 1500\n"
                                "policy = first_come\n"
                                "donations_usd_per_month = 500\n"
                                "[simulation]\n"
                                "replications = 20\n"
                                "[region.chicago]\n"
                                "initial_detained = 5\n"
                                "arrivals_per_day = 0.1\n"
                                "[region.kansas_city]\n"
                                "initial_detained = 5\n"
                                "[regime.no_bond]\n"
                                "start_day = 60\n"
                                "regions = kansas_city\n"
                                "bond_grant_prob = 0.05\n";

static size_t sweep_points(const char *dir, const char *param)
{
    run_result r;
    char out[512];
    snprintf(out, sizeof out, "%s/out", dir);
    int rc = CU_RUN(&r, "sweep", "--param", param, "--no-plots", "--quiet", "-o", out, cu_path_in(dir, "s.ini"));
    ck_assert_msg(rc == 0, "sweep --param %s: exit %d: %s", param, rc, r.err);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(out, "summary.json"));
    size_t n = json_array_size(cu_json_at(j, "sweep.points"));
    json_decref(j);
    return n;
}

START_TEST(test_sweep_new_keys)
{
    const char *dir = cu_test_dir("sweep");
    cu_write_file(cu_path_in(dir, "s.ini"), sweep_ini);
    ck_assert_uint_eq(sweep_points(dir, "regime.no_bond.start_day=0:90:30"), 4);
    ck_assert_uint_eq(sweep_points(dir, "region.chicago.refund_prob=0:1:0.25"), 5);
    ck_assert_uint_eq(sweep_points(dir, "fund.donations_usd_per_month=0:1000:500"), 3);
    ck_assert_uint_eq(sweep_points(dir, "region.chicago.stay_days.value=0:20:10"), 3);
    /* a text key is refused before anything runs */
    run_result r;
    int rc = CU_RUN(&r, "sweep", "--param", "regime.no_bond.regions=0:1:1", "--quiet", "-o", cu_path_in(dir, "out2"),
                    cu_path_in(dir, "s.ini"));
    ck_assert_int_eq(rc, 2);
    ck_assert_msg(strstr(r.err, "regime.no_bond.regions is not a number"), "%s", r.err);
    cu_run_free(&r);
    /* the tornado names fund and regime parameters in full */
    rc = CU_RUN(&r, "sweep", "--tornado", "10", "--no-plots", "--quiet", "-o", cu_path_in(dir, "tor"),
                cu_path_in(dir, "s.ini"));
    ck_assert_msg(rc == 0, "%s", r.err);
    cu_run_free(&r);
    json_t *j = cu_load_json(cu_path_in(cu_path_in(dir, "tor"), "summary.json"));
    json_t *rows = cu_json_at(j, "tornado.parameters"), *row;
    size_t i;
    int seen = 0;
    json_array_foreach(rows, i, row)
    {
        const char *name = json_string_value(json_object_get(row, "parameter"));
        seen += !strcmp(name, "fund.donations_usd_per_month") + !strcmp(name, "regime.no_bond.start_day") +
                !strcmp(name, "regime.no_bond.bond_grant_prob") + !strcmp(name, "chicago.arrivals_per_day");
    }
    ck_assert_int_eq(seen, 4);
    json_decref(j);
}
END_TEST

/* ---- DESIGN §4: mean= and sd= describe the family before truncation ---- */

static dist *parse_ok(const char *text)
{
    dist *d = NULL;
    fz_error err;
    ck_assert_msg(dist_parse(&d, text, NULL, &err) == 0, "%s: %s", text, err.msg);
    return d;
}

/* The mean of d from dist_mean and from 400000 draws (within 5 standard errors). */
static void assert_mean(const char *text, double want)
{
    dist *d = parse_ok(text);
    double m, v;
    fz_error err;
    ck_assert_int_eq(dist_mean(d, &m, &err), 0);
    ck_assert_int_eq(dist_variance(d, &v, &err), 0);
    ck_assert_msg(fabs(m - want) <= 1e-6 * fabs(want), "%s: dist_mean %.10g, want %.10g", text, m, want);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    enum { N = 400000 };
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += dist_sample(d, r);
    gsl_rng_free(r);
    double se = sqrt(v / N);
    ck_assert_msg(fabs(sum / N - want) < 5 * se, "%s: sample mean %.6g, want %.6g (se %.3g)", text, sum / N, want, se);
    dist_free(d);
}

START_TEST(test_mean_sd_before_truncation)
{
    /* gamma(mean=14, sd=7): shape 4, scale 3.5; truncated to [0, 30] its mean is
     * k theta P(k + 1, 30 / theta) / P(k, 30 / theta) */
    double k = 4, th = 3.5, x = 30 / th;
    assert_mean("gamma(mean=14, sd=7)", 14);
    assert_mean("gamma(mean=14, sd=7, max=30)", k * th * gsl_sf_gamma_inc_P(k + 1, x) / gsl_sf_gamma_inc_P(k, x));
    /* the same as the native form with those parameters */
    assert_mean("gamma(shape=4, scale=3.5, max=30)", k * th * gsl_sf_gamma_inc_P(k + 1, x) / gsl_sf_gamma_inc_P(k, x));
    /* lognormal(mean=3842, sd=2000, max=5000): s^2 = ln(1 + sd^2 / mean^2), mu = ln(mean) - s^2 / 2 */
    double s2 = log1p(2000.0 * 2000 / (3842.0 * 3842)), s = sqrt(s2), mu = log(3842) - s2 / 2, lb = log(5000);
    assert_mean("lognormal(mean=3842, sd=2000, max=5000)",
                exp(mu + s2 / 2) * gsl_cdf_ugaussian_P((lb - mu - s2) / s) / gsl_cdf_ugaussian_P((lb - mu) / s));
    /* normal(mean=3, sd=4, min=0): mu + sd phi(a) / (1 - Phi(a)), a = -mu / sd */
    double a = -3.0 / 4;
    assert_mean("normal(mean=3, sd=4, min=0)", 3 + 4 * gsl_ran_ugaussian_pdf(a) / gsl_cdf_ugaussian_Q(a));
}
END_TEST

Suite *make_scenario_time_set_suite(void)
{
    Suite *s = suite_create("scenario_time_set");
    TCase *tc = tcase_create("set_print");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_set_regime);
    tcase_add_test(tc, test_copy_set_regime_equals_load);
    tcase_add_test(tc, test_print_round_trip_time);
    tcase_add_test(tc, test_regions_line_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("params");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_params_and_numeric);
    tcase_add_test(tc, test_sweep_new_keys);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("dist");
    tcase_add_test(tc, test_mean_sd_before_truncation);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(scenario_time_set)
