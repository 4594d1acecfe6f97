/* check_scenario: scenario files (DESIGN §4) — defaults, the documented
 * example, comments, --set overrides and the print/reload round trip of
 * scenario_print.  Invalid inputs and the limits: check_scenario_invalid.
 *
 * Temporary files and loading helpers are in scenario_util.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "scenario.h"

#include "scenario_util.h"

static void assert_dist(const dist *d, const char *want)
{
    char buf[512];
    ck_assert_ptr_nonnull(d);
    dist_format(d, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
}

/* scenario_print into a malloc'd string. */
static char *print_to_string(const scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    scenario_print(f, s);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

/* ---- the documented example (DESIGN §4), verbatim ---- */

static const char example_ini[] = "; scenarios/example.ini — comments start with ; or #\n"
                                  "[fund]\n"
                                  "budget_usd = 300000\n"
                                  "horizon_days = 90\n"
                                  "granularity_usd = 500\n"
                                  "policy = cheapest_first        ; cheapest_first | first_come\n"
                                  "objective = releases           ; releases | freedom_days | cvar\n"
                                  "cvar_alpha = 0.1\n"
                                  "target_releases = 200\n"
                                  "\n"
                                  "[simulation]\n"
                                  "replications = 10000           ; per stream\n"
                                  "seed = 20251218\n"
                                  "\n"
                                  "[region.chicago]\n"
                                  "label = Chicago\n"
                                  "initial_detained = 150\n"
                                  "arrivals_per_day = 2.5\n"
                                  "bond_grant_prob = 0.6\n"
                                  "bond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\n"
                                  "max_bond_paid_usd = 25000\n"
                                  "case_cost_usd = 0\n"
                                  "hearing_delay_days = gamma(mean=14, sd=7)\n"
                                  "release_delay_days = fixed(1)\n"
                                  "removal_hazard_per_day = 0.005\n"
                                  "family_pays_prob = 0.2\n"
                                  "min_share = 0\n"
                                  "max_share = 1\n";

/* ---- defaults ---- */

START_TEST(test_defaults)
{
    scenario *s = load_ok("[region.a]\n", NULL, 0);
    ck_assert_str_eq(s->name, "case");
    ck_assert_str_eq(s->path, tmp_path("case.ini"));
    ck_assert_str_eq(s->basedir, cu_work);
    ck_assert_double_eq(s->budget_usd, 300000);
    ck_assert_double_eq(s->horizon_days, 90);
    ck_assert_double_eq(s->granularity_usd, 500);
    ck_assert_int_eq(s->policy, POLICY_CHEAPEST_FIRST);
    ck_assert_int_eq(s->objective, OBJ_RELEASES);
    ck_assert_double_eq(s->cvar_alpha, 0.1);
    ck_assert_double_eq(s->target_releases, 0);
    ck_assert_int_eq(s->replications, 10000);
    ck_assert_uint_eq(s->seed, 1);
    ck_assert_uint_eq(s->nregions, 1);
    const scenario_region *r = &s->regions[0];
    ck_assert_str_eq(r->name, "a");
    ck_assert_str_eq(r->label, "a");
    ck_assert_int_eq(r->initial_detained, 0);
    ck_assert_double_eq(r->arrivals_per_day, 0);
    ck_assert_double_eq(r->bond_grant_prob, 1);
    assert_dist(r->bond_usd, "fixed(1500)");
    ck_assert_int_eq(dist_get_family(r->bond_usd), DIST_FIXED);
    ck_assert(isinf(r->max_bond_paid_usd) && r->max_bond_paid_usd > 0);
    ck_assert_double_eq(r->case_cost_usd, 0);
    assert_dist(r->hearing_delay_days, "fixed(0)");
    assert_dist(r->release_delay_days, "fixed(0)");
    ck_assert_double_eq(r->removal_hazard_per_day, 0);
    ck_assert_double_eq(r->family_pays_prob, 0);
    ck_assert_double_eq(r->min_share, 0);
    ck_assert_double_eq(r->max_share, 1);
    scenario_free(s);
}
END_TEST

/* Regions keep file order; every region gets its own defaults; empty
 * [fund]/[simulation] sections change nothing. */
START_TEST(test_defaults_several_regions)
{
    scenario *s = load_ok("[fund]\n"
                          "[region.kansas_city]\n"
                          "label = Kansas City\n"
                          "[simulation]\n"
                          "[region.chicago]\n"
                          "[region.z-9]\n",
                          NULL, 0);
    ck_assert_uint_eq(s->nregions, 3);
    ck_assert_str_eq(s->regions[0].name, "kansas_city");
    ck_assert_str_eq(s->regions[0].label, "Kansas City");
    ck_assert_str_eq(s->regions[1].name, "chicago");
    ck_assert_str_eq(s->regions[1].label, "chicago");
    ck_assert_str_eq(s->regions[2].name, "z-9");
    ck_assert_int_eq(scenario_region_index(s, "kansas_city"), 0);
    ck_assert_int_eq(scenario_region_index(s, "chicago"), 1);
    ck_assert_int_eq(scenario_region_index(s, "z-9"), 2);
    ck_assert_int_eq(scenario_region_index(s, "denver"), -1);
    for (size_t i = 0; i < s->nregions; i++) {
        ck_assert_double_eq(s->regions[i].bond_grant_prob, 1);
        ck_assert(isinf(s->regions[i].max_bond_paid_usd));
        assert_dist(s->regions[i].bond_usd, "fixed(1500)");
        ck_assert_double_eq(s->regions[i].max_share, 1);
    }
    ck_assert_double_eq(s->budget_usd, 300000);
    ck_assert_int_eq(s->replications, 10000);
    scenario_free(s);
}
END_TEST

/* ---- the full example ---- */

static void assert_example(const scenario *s)
{
    ck_assert_double_eq(s->budget_usd, 300000);
    ck_assert_double_eq(s->horizon_days, 90);
    ck_assert_double_eq(s->granularity_usd, 500);
    ck_assert_int_eq(s->policy, POLICY_CHEAPEST_FIRST);
    ck_assert_int_eq(s->objective, OBJ_RELEASES);
    ck_assert_double_eq(s->cvar_alpha, 0.1);
    ck_assert_double_eq(s->target_releases, 200);
    ck_assert_int_eq(s->replications, 10000);
    ck_assert_uint_eq(s->seed, 20251218);
    ck_assert_uint_eq(s->nregions, 1);
    const scenario_region *r = &s->regions[0];
    ck_assert_str_eq(r->name, "chicago");
    ck_assert_str_eq(r->label, "Chicago");
    ck_assert_int_eq(r->initial_detained, 150);
    ck_assert_double_eq(r->arrivals_per_day, 2.5);
    ck_assert_double_eq(r->bond_grant_prob, 0.6);
    ck_assert_int_eq(dist_get_family(r->bond_usd), DIST_LOGNORMAL);
    assert_dist(r->bond_usd, "lognormal(median=1500, sigma=0.5, min=1500, max=50000)");
    ck_assert_double_eq(dist_lower(r->bond_usd), 1500);
    ck_assert_double_eq(dist_upper(r->bond_usd), 50000);
    ck_assert_double_eq(r->max_bond_paid_usd, 25000);
    ck_assert_double_eq(r->case_cost_usd, 0);
    ck_assert_int_eq(dist_get_family(r->hearing_delay_days), DIST_GAMMA);
    assert_dist(r->hearing_delay_days, "gamma(mean=14, sd=7)");
    assert_dist(r->release_delay_days, "fixed(1)");
    ck_assert_double_eq(r->removal_hazard_per_day, 0.005);
    ck_assert_double_eq(r->family_pays_prob, 0.2);
    ck_assert_double_eq(r->min_share, 0);
    ck_assert_double_eq(r->max_share, 1);
}

START_TEST(test_example)
{
    scenario *s = NULL;
    fz_error err;
    int rc = load_text(&s, "example.ini", example_ini, NULL, 0, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    ck_assert_str_eq(s->name, "example");
    assert_example(s);
    scenario_free(s);
}
END_TEST

/* Every other value of each enumerated or numeric key. */
START_TEST(test_other_values)
{
    scenario *s = load_ok("[fund]\n"
                          "budget_usd = 1.5e5\n"
                          "horizon_days = 365\n"
                          "granularity_usd = 250\n"
                          "policy = first_come\n"
                          "objective = cvar\n"
                          "cvar_alpha = 1\n"
                          "[simulation]\n"
                          "replications = 100000000\n"
                          "seed = 9223372036854775807\n"
                          "[region.a]\n"
                          "max_bond_paid_usd = unlimited\n"
                          "case_cost_usd = 250.5\n"
                          "bond_grant_prob = 0\n"
                          "family_pays_prob = 1\n"
                          "min_share = 0.25\n"
                          "max_share = 0.25\n"
                          "bond_usd = fixed(value=2000)\n"
                          "hearing_delay_days = uniform(min=3, max=25)\n"
                          "release_delay_days = normal(mean=2, sd=1, min=0)\n"
                          "[region.b]\n"
                          "max_bond_paid_usd = 0\n"
                          "min_share = 0.75\n",
                          NULL, 0);
    ck_assert_double_eq(s->budget_usd, 150000);
    ck_assert_double_eq(s->horizon_days, 365);
    ck_assert_double_eq(s->granularity_usd, 250);
    ck_assert_int_eq(s->policy, POLICY_FIRST_COME);
    ck_assert_int_eq(s->objective, OBJ_CVAR);
    ck_assert_double_eq(s->cvar_alpha, 1);
    ck_assert_int_eq(s->replications, SCENARIO_MAX_REPLICATIONS);
    ck_assert(s->seed == (uint64_t)INT64_MAX);
    ck_assert(isinf(s->regions[0].max_bond_paid_usd));
    ck_assert_double_eq(s->regions[0].case_cost_usd, 250.5);
    ck_assert_double_eq(s->regions[0].bond_grant_prob, 0);
    ck_assert_double_eq(s->regions[0].family_pays_prob, 1);
    assert_dist(s->regions[0].bond_usd, "fixed(2000)");
    ck_assert_int_eq(dist_get_family(s->regions[0].hearing_delay_days), DIST_UNIFORM);
    ck_assert_int_eq(dist_get_family(s->regions[0].release_delay_days), DIST_NORMAL);
    ck_assert_double_eq(dist_lower(s->regions[0].release_delay_days), 0);
    ck_assert_double_eq(s->regions[1].max_bond_paid_usd, 0);
    ck_assert_double_eq(s->regions[1].min_share, 0.75); /* 0.25 + 0.75 = 1 is allowed */
    scenario_free(s);

    s = load_ok("[fund]\nobjective = freedom_days\n[region.a]\n", NULL, 0);
    ck_assert_int_eq(s->objective, OBJ_FREEDOM_DAYS);
    scenario_free(s);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(scenario_policy_name(POLICY_CHEAPEST_FIRST), "cheapest_first");
    ck_assert_str_eq(scenario_policy_name(POLICY_FIRST_COME), "first_come");
    ck_assert_str_eq(scenario_objective_name(OBJ_RELEASES), "releases");
    ck_assert_str_eq(scenario_objective_name(OBJ_FREEDOM_DAYS), "freedom_days");
    ck_assert_str_eq(scenario_objective_name(OBJ_CVAR), "cvar");
    scenario_policy p = POLICY_CHEAPEST_FIRST;
    ck_assert_int_eq(scenario_parse_policy("first_come", &p), 0);
    ck_assert_int_eq(p, POLICY_FIRST_COME);
    ck_assert_int_eq(scenario_parse_policy("cheapest_first", &p), 0);
    ck_assert_int_eq(p, POLICY_CHEAPEST_FIRST);
    ck_assert_int_eq(scenario_parse_policy("cheapest", &p), -1);
    ck_assert_int_eq(scenario_parse_policy("", &p), -1);
    scenario_free(NULL);
}
END_TEST

/* ---- comments and layout ---- */

/* mixture(...) keeps its ';' and ':' while the comments around it go. */
static const char comments_ini[] =
    "; a whole-line comment with ;\n"
    "# a whole-line comment with #\n"
    "   ; an indented comment\n"
    "\t# an indented comment with a tab\n"
    "\n"
    "  [fund]   ; after a header\n"
    "  budget_usd = 200000 ; inline with ;\n"
    "\thorizon_days = 60 # inline with #\n"
    "    policy = first_come\n"
    "[ region.north ]  # a header with blanks inside the brackets\n"
    "    label = North Side   ; trailing blanks go too\n"
    "    bond_usd = mixture(0.7: fixed(1500); 0.3: lognormal(median=5000, sigma=0.8, min=1500)) "
    "; inline\n"
    "    hearing_delay_days = mixture(1: exponential(mean=10);1:fixed(3))\n"
    "\n"
    "# the end\n";

START_TEST(test_comments_and_mixture)
{
    scenario *s = load_ok(comments_ini, NULL, 0);
    ck_assert_double_eq(s->budget_usd, 200000);
    ck_assert_double_eq(s->horizon_days, 60);
    ck_assert_int_eq(s->policy, POLICY_FIRST_COME);
    ck_assert_uint_eq(s->nregions, 1);
    const scenario_region *r = &s->regions[0];
    ck_assert_str_eq(r->name, "north");
    ck_assert_str_eq(r->label, "North Side");
    ck_assert_int_eq(dist_get_family(r->bond_usd), DIST_MIXTURE);
    char buf[512];
    dist_format(r->bond_usd, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "fixed(1500)") && strstr(buf, "lognormal(") && strchr(buf, ';') && strchr(buf, ':'),
                  "mixture lost a component: %s", buf);
    ck_assert_double_eq(dist_lower(r->bond_usd), 1500);
    ck_assert_int_eq(dist_get_family(r->hearing_delay_days), DIST_MIXTURE);
    scenario_free(s);
}
END_TEST

/* Windows line ends and a UTF-8 byte-order mark are read as plain lines. */
START_TEST(test_crlf_and_bom)
{
    scenario *s = load_ok("\xEF\xBB\xBF[fund]\r\n"
                          "budget_usd = 120000\r\n"
                          "\r\n"
                          "[region.a]\r\n"
                          "label = Alpha\r\n",
                          NULL, 0);
    ck_assert_double_eq(s->budget_usd, 120000);
    ck_assert_str_eq(s->regions[0].label, "Alpha");
    scenario_free(s);
    /* no newline after the last line */
    s = load_ok("[region.a]\nlabel = Last", NULL, 0);
    ck_assert_str_eq(s->regions[0].label, "Last");
    scenario_free(s);
}
END_TEST

/* Quotes around a label are dropped; 198 characters is the longest line. */
START_TEST(test_label_quotes_and_line_limit)
{
    char text[512];
    char label[256];
    /* "label = " is 8 characters: 190 more make a 198-character line */
    memset(label, 'x', 190);
    label[190] = '\0';
    snprintf(text, sizeof text, "[region.a]\nlabel = %s\n[region.b]\nlabel = \"Kansas City\"\n", label);
    scenario *s = load_ok(text, NULL, 0);
    ck_assert_str_eq(s->regions[0].label, label);
    ck_assert_str_eq(s->regions[1].label, "Kansas City");
    scenario_free(s);
}
END_TEST

/* A relative empirical file is found next to the scenario, not in the cwd. */
START_TEST(test_empirical_relative_to_scenario)
{
    ck_assert_int_eq(mkdir(tmp_path("sub"), 0700), 0);
    write_file("sub/bonds.csv", "amount\n1500\n3000\n4500\n", 0);
    const char *path = write_file("sub/emp.ini",
                                  "[region.a]\n"
                                  "bond_usd = empirical(file=bonds.csv, column=amount)\n",
                                  0);
    scenario *s = NULL;
    fz_error err;
    int rc = scenario_load(&s, path, NULL, 0, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    ck_assert_str_eq(s->basedir, tmp_path("sub"));
    ck_assert_str_eq(s->name, "emp");
    ck_assert_int_eq(dist_get_family(s->regions[0].bond_usd), DIST_EMPIRICAL);
    ck_assert_double_eq(dist_lower(s->regions[0].bond_usd), 1500);
    ck_assert_double_eq(dist_upper(s->regions[0].bond_usd), 4500);
    scenario_free(s);
}
END_TEST

/* ---- --set overrides ---- */

START_TEST(test_set_overrides)
{
    const char *sets[] = {
        "fund.budget_usd=150000",              /* a value changed */
        "fund.objective=freedom_days",         /* a key added to [fund] */
        "simulation.seed=42",                  /* a key added to a section the file lacks */
        "region.chicago.bond_grant_prob=0.4",  /* a region key changed */
        "region.chicago.case_cost_usd= 75",    /* a region key added; blanks after '=' */
        "region.chicago.bond_grant_prob=0.45", /* the last --set wins */
    };
    scenario *s = load_ok("[fund]\n"
                          "budget_usd = 300000\n"
                          "[region.chicago]\n"
                          "bond_grant_prob = 0.6\n"
                          "[region.kc]\n",
                          sets, sizeof sets / sizeof *sets);
    ck_assert_double_eq(s->budget_usd, 150000);
    ck_assert_int_eq(s->objective, OBJ_FREEDOM_DAYS);
    ck_assert_uint_eq(s->seed, 42);
    ck_assert_double_eq(s->regions[0].bond_grant_prob, 0.45);
    ck_assert_double_eq(s->regions[0].case_cost_usd, 75);
    ck_assert_double_eq(s->regions[1].bond_grant_prob, 1);
    ck_assert_double_eq(s->regions[1].case_cost_usd, 0);
    ck_assert_int_eq(s->replications, 10000);
    scenario_free(s);
}
END_TEST

/* A --set replaces a bad value before it is checked; dists work too. */
START_TEST(test_set_repairs_and_dists)
{
    const char *sets[] = {"fund.budget_usd=90000", "region.a.bond_usd=mixture(1: fixed(1500); 1: fixed(3000))",
                          "region.a.label=Kansas City"};
    scenario *s = load_ok("[fund]\nbudget_usd = lots\n[region.a]\n", sets, 3);
    ck_assert_double_eq(s->budget_usd, 90000);
    ck_assert_int_eq(dist_get_family(s->regions[0].bond_usd), DIST_MIXTURE);
    ck_assert_double_eq(dist_upper(s->regions[0].bond_usd), 3000);
    ck_assert_str_eq(s->regions[0].label, "Kansas City");
    scenario_free(s);
}
END_TEST

/* ---- scenario_print ---- */

static void assert_same(const scenario *a, const scenario *b)
{
    ck_assert_double_eq(a->budget_usd, b->budget_usd);
    ck_assert_double_eq(a->horizon_days, b->horizon_days);
    ck_assert_double_eq(a->granularity_usd, b->granularity_usd);
    ck_assert_int_eq(a->policy, b->policy);
    ck_assert_int_eq(a->objective, b->objective);
    ck_assert_double_eq(a->cvar_alpha, b->cvar_alpha);
    ck_assert_double_eq(a->target_releases, b->target_releases);
    ck_assert_int_eq(a->replications, b->replications);
    ck_assert(a->seed == b->seed);
    ck_assert_uint_eq(a->nregions, b->nregions);
    for (size_t i = 0; i < a->nregions; i++) {
        const scenario_region *r = &a->regions[i], *q = &b->regions[i];
        char x[512], y[512];
        ck_assert_str_eq(r->name, q->name);
        ck_assert_str_eq(r->label, q->label);
        ck_assert_int_eq(r->initial_detained, q->initial_detained);
        ck_assert_double_eq(r->arrivals_per_day, q->arrivals_per_day);
        ck_assert_double_eq(r->bond_grant_prob, q->bond_grant_prob);
        ck_assert(r->max_bond_paid_usd == q->max_bond_paid_usd);
        ck_assert_double_eq(r->case_cost_usd, q->case_cost_usd);
        ck_assert_double_eq(r->removal_hazard_per_day, q->removal_hazard_per_day);
        ck_assert_double_eq(r->family_pays_prob, q->family_pays_prob);
        ck_assert_double_eq(r->min_share, q->min_share);
        ck_assert_double_eq(r->max_share, q->max_share);
        dist_format(r->bond_usd, x, sizeof x);
        dist_format(q->bond_usd, y, sizeof y);
        ck_assert_str_eq(x, y);
        dist_format(r->hearing_delay_days, x, sizeof x);
        dist_format(q->hearing_delay_days, y, sizeof y);
        ck_assert_str_eq(x, y);
        dist_format(r->release_delay_days, x, sizeof x);
        dist_format(q->release_delay_days, y, sizeof y);
        ck_assert_str_eq(x, y);
    }
}

/* print, write, load, print again: the two prints agree and so do the scenarios. */
static void assert_round_trip(const char *text)
{
    scenario *s = NULL;
    fz_error err;
    int rc = load_text(&s, "trip.ini", text, NULL, 0, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    char *first = print_to_string(s);
    /* same file name, so the "; PATH: scenario NAME" header line matches too */
    const char *path = write_file("trip.ini", first, 0);
    scenario *t = NULL;
    rc = scenario_load(&t, path, NULL, 0, &err);
    ck_assert_msg(rc == 0, "printed scenario does not reload: %s\n--- printed ---\n%s", err.msg, first);
    char *second = print_to_string(t);
    ck_assert_str_eq(first, second);
    assert_same(s, t);
    free(first);
    free(second);
    scenario_free(s);
    scenario_free(t);
}

START_TEST(test_print_round_trip)
{
    assert_round_trip("[region.a]\n");
    assert_round_trip(example_ini);
    assert_round_trip(comments_ini);
    assert_round_trip("[fund]\n"
                      "budget_usd = 123456.75\n"
                      "horizon_days = 45.5\n"
                      "granularity_usd = 1234.5\n"
                      "policy = first_come\n"
                      "objective = cvar\n"
                      "cvar_alpha = 0.05\n"
                      "target_releases = 13\n"
                      "[simulation]\n"
                      "replications = 777\n"
                      "seed = 9223372036854775807\n"
                      "[region.kansas_city]\n"
                      "label = \"Kansas City\"\n"
                      "initial_detained = 12\n"
                      "arrivals_per_day = 0.3333\n"
                      "bond_usd = lognormal(mean=3842, sd=2000, max=50000)\n"
                      "max_bond_paid_usd = 0\n"
                      "case_cost_usd = 125.25\n"
                      "hearing_delay_days = weibull(shape=1.5, scale=20, min=1, max=120)\n"
                      "release_delay_days = exponential(mean=0.5)\n"
                      "removal_hazard_per_day = 0.0025\n"
                      "family_pays_prob = 0.125\n"
                      "min_share = 0.1\n"
                      "max_share = 0.9\n"
                      "[region.chicago]\n"
                      "bond_usd = gamma(shape=2, scale=1000, min=1500)\n"
                      "hearing_delay_days = normal(mean=14, sd=7, min=0, max=60)\n"
                      "release_delay_days = uniform(min=0.5, max=2)\n"
                      "min_share = 0.2\n"
                      "[region.padded]\n"
                      "label = \"  blanks kept inside quotes  \"\n"
                      "[region.quoted]\n"
                      "label = \"\"in quotes\"\"\n"
                      "[region.empty]\n"
                      "label =\n");
    /* DESIGN §7 keys and a regime (more in check_scenario_time_set) */
    assert_round_trip("[fund]\npolicy = first_come\ndonations_usd_per_month = 100\nqueue = wait\n"
                      "max_wait_days = 10\nposting_days = weekdays\nstart_weekday = 3\n"
                      "[region.a]\nstay_prob = 0.5\nstay_days = fixed(7)\nstay_revoke_prob = 0.1\n"
                      "copay_usd = uniform(min=0, max=300)\nrefund_prob = 0.4\n"
                      "case_duration_days = gamma(mean=1000, sd=300)\nrefund_lag_days = fixed(30)\n"
                      "max_payments_per_day = 2\n[region.b]\n"
                      "[regime.r]\nstart_day = 20\nregions = b\nbond_grant_prob = 0.05\n");
}
END_TEST

/* The printed form lists every key with its default filled in. */
START_TEST(test_print_fills_defaults)
{
    scenario *s = load_ok("[region.a]\n", NULL, 0);
    char *text = print_to_string(s);
    static const char *const want[] = {"[fund]\n",
                                       "budget_usd = 300000\n",
                                       "horizon_days = 90\n",
                                       "granularity_usd = 500\n",
                                       "policy = cheapest_first\n",
                                       "objective = releases\n",
                                       "cvar_alpha = 0.1\n",
                                       "target_releases = 0\n",
                                       "[simulation]\n",
                                       "replications = 10000\n",
                                       "seed = 1\n",
                                       "[region.a]\n",
                                       "label = a\n",
                                       "initial_detained = 0\n",
                                       "arrivals_per_day = 0\n",
                                       "bond_grant_prob = 1\n",
                                       "bond_usd = fixed(1500)\n",
                                       "max_bond_paid_usd = unlimited\n",
                                       "case_cost_usd = 0\n",
                                       "hearing_delay_days = fixed(0)\n",
                                       "release_delay_days = fixed(0)\n",
                                       "removal_hazard_per_day = 0\n",
                                       "family_pays_prob = 0\n",
                                       "min_share = 0\n",
                                       "max_share = 1\n"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(text, want[i]) != NULL, "printed scenario lacks '%s':\n%s", want[i], text);
    free(text);
    scenario_free(s);
}
END_TEST

Suite *make_scenario_suite(void)
{
    Suite *s = suite_create("scenario");

    TCase *tc = tcase_create("load");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_defaults_several_regions);
    tcase_add_test(tc, test_example);
    tcase_add_test(tc, test_other_values);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_comments_and_mixture);
    tcase_add_test(tc, test_crlf_and_bom);
    tcase_add_test(tc, test_label_quotes_and_line_limit);
    tcase_add_test(tc, test_empirical_relative_to_scenario);
    suite_add_tcase(s, tc);

    tc = tcase_create("set");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_set_overrides);
    tcase_add_test(tc, test_set_repairs_and_dists);
    suite_add_tcase(s, tc);

    tc = tcase_create("print");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_print_round_trip);
    tcase_add_test(tc, test_print_fills_defaults);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(scenario)
