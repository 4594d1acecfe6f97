/* check_scenario_invalid: scenario files (DESIGN §4) that must be rejected —
 * a table of invalid inputs that must fail with FZ_EINPUT and file:line (or
 * the --set option), and the limits on region names and region count.
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

/* ---- limits ---- */

/* Region names may be 48 characters long: "[region." + 48 is longer than
 * inih's own 49-byte section buffer, yet every key still reaches its region
 * (two names that share their first 42 characters included). */
START_TEST(test_long_region_names)
{
    char a[49], b[49], text[512];
    memset(a, 'n', 48);
    a[48] = '\0';
    memcpy(b, a, sizeof b);
    b[47] = 'm';
    snprintf(text, sizeof text,
             "[region.%s]\nbond_grant_prob = 0.5\n[region.%s]\nbond_grant_prob = 0.25\n"
             "[region.%.42s]\nbond_grant_prob = 0.125\n",
             a, b, a);
    char set[128];
    snprintf(set, sizeof set, "region.%s.case_cost_usd=10", b);
    const char *sets[] = {set};
    scenario *s = load_ok(text, sets, 1);
    ck_assert_uint_eq(s->nregions, 3);
    ck_assert_str_eq(s->regions[0].name, a);
    ck_assert_str_eq(s->regions[1].name, b);
    ck_assert_double_eq(s->regions[0].bond_grant_prob, 0.5);
    ck_assert_double_eq(s->regions[1].bond_grant_prob, 0.25);
    ck_assert_double_eq(s->regions[2].bond_grant_prob, 0.125);
    ck_assert_double_eq(s->regions[0].case_cost_usd, 0);
    ck_assert_double_eq(s->regions[1].case_cost_usd, 10);
    scenario_free(s);

    /* a repeated key in a long-named section still names both lines */
    snprintf(text, sizeof text, "[region.%s]\nlabel = A\n[region.%s]\nlabel = B\nlabel = C\n", a, b);
    fz_error err;
    ck_assert_int_eq(load_text(&s, "case.ini", text, NULL, 0, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, ":5: ") && strstr(err.msg, "line 4"), "%s", err.msg);

    /* 49 characters is one too many */
    snprintf(text, sizeof text, "[region.%sx]\n", a);
    ck_assert_int_eq(load_text(&s, "case.ini", text, NULL, 0, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "case.ini:1: unknown section"), "%s", err.msg);
}
END_TEST

/* At most SCENARIO_MAX_REGIONS regions. */
START_TEST(test_region_limit)
{
    char text[2048] = "";
    for (int i = 0; i < SCENARIO_MAX_REGIONS; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "[region.r%d]\n", i);
    scenario *s = load_ok(text, NULL, 0);
    ck_assert_uint_eq(s->nregions, SCENARIO_MAX_REGIONS);
    scenario_free(s);
    strcat(text, "[region.one_more]\n");
    fz_error err;
    ck_assert_int_eq(load_text(&s, "case.ini", text, NULL, 0, &err), FZ_EINPUT);
    char where[64];
    snprintf(where, sizeof where, "case.ini:%d: ", SCENARIO_MAX_REGIONS + 1);
    ck_assert_msg(strstr(err.msg, where) != NULL, "%s", err.msg);
    ck_assert_ptr_null(s);
}
END_TEST
/* ---- invalid inputs ---- */

enum { AT_OPTION = -1, AT_FILE = 0 }; /* line: > 0 file:line; AT_FILE "file: "; AT_OPTION "--set OPT" */
enum { KIND_TEXT, KIND_DIR, KIND_MISSING };

typedef struct bad_case {
    const char *what;
    const char *text;
    size_t len;    /* 0: strlen(text); else explicit (NUL bytes) */
    int line;      /* where the message must point */
    const char *needle; /* a further substring the message must hold, or NULL */
    const char *set;    /* one --set option, or NULL */
    int kind;
} bad_case;

#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define NUL_TEXT "[region.a]\nlabel = a\0b\n"

static const bad_case bad_cases[] = {
    /* sections */
    {"unknown section", "[region.a]\n[fnud]\nbudget_usd = 1\n", 0, 2, "[fnud]", NULL, KIND_TEXT},
    {"unknown section, empty region name", "[region.]\n", 0, 1, "unknown section", NULL, KIND_TEXT},
    {"unknown section, blank in region name", "[fund]\n\n[region.kansas city]\n", 0, 3,
     "unknown section", NULL, KIND_TEXT},
    {"duplicate region", "[region.a]\n[region.b]\n; c\n[region.a]\n", 0, 4, "line 1", NULL, KIND_TEXT},
    {"duplicate [fund]", "[fund]\n[region.a]\n[fund]\n", 0, 3, "line 1", NULL, KIND_TEXT},
    {"malformed header, no ]", "[region.a]\n[fund\n", 0, 2, "section", NULL, KIND_TEXT},
    {"malformed header, text after ]", "[fund] budget_usd = 1\n[region.a]\n", 0, 1, "section", NULL,
     KIND_TEXT},
    {"malformed header, empty", "[region.a]\n\n[]\n", 0, 3, "section", NULL, KIND_TEXT},
    {"key outside any section", "budget_usd = 1\n[region.a]\n", 0, 1, "outside", NULL, KIND_TEXT},
    {"key outside any section after comments", "; c\n\n# c\nbudget_usd = 1\n[region.a]\n", 0, 4,
     "outside", NULL, KIND_TEXT},
    {"line without =", "[region.a]\nlabel = a\nbond_grant_prob\n", 0, 3, "key = value", NULL,
     KIND_TEXT},
    {"line of 199 characters", "[region.a]\nlabel = " X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 "x\n",
     0, 2, "too long", NULL, KIND_TEXT},
    {"NUL byte", NUL_TEXT, sizeof NUL_TEXT - 1, 2, "NUL", NULL, KIND_TEXT},
    /* keys */
    {"unknown key in region", "[region.a]\nbond_grant_probability = 0.5\n", 0, 2,
     "bond_grant_probability", NULL, KIND_TEXT},
    {"unknown key in fund", "[fund]\nbudget = 1000\n[region.a]\n", 0, 2, "budget", NULL, KIND_TEXT},
    {"unknown key in simulation", "[region.a]\n[simulation]\nthreads = 4\n", 0, 3, "threads", NULL,
     KIND_TEXT},
    {"duplicate key", "[region.a]\nlabel = A\n; c\nlabel = B\n", 0, 4, "line 2", NULL, KIND_TEXT},
    /* distributions */
    {"unknown distribution", "[region.a]\nbond_usd = pareto(shape=1, scale=1500)\n", 0, 2, "pareto",
     NULL, KIND_TEXT},
    {"unknown distribution argument", "[region.a]\n\nhearing_delay_days = gamma(mean=14, sd=7, loc=1)\n",
     0, 3, "loc", NULL, KIND_TEXT},
    {"bare number for a distribution", "[region.a]\nbond_usd = 1500\n", 0, 2, "bond_usd", NULL,
     KIND_TEXT},
    {"normal duration without min=0", "[region.a]\nhearing_delay_days = normal(mean=14, sd=7)\n", 0, 2,
     "min=0", NULL, KIND_TEXT},
    {"normal amount without min=0", "[region.a]\nlabel = A\nbond_usd = normal(mean=3000, sd=500)\n", 0,
     3, "min=0", NULL, KIND_TEXT},
    {"uniform below zero", "[region.a]\nrelease_delay_days = uniform(min=-1, max=3)\n", 0, 2, "min=0",
     NULL, KIND_TEXT},
    {"nan in a distribution", "[region.a]\nbond_usd = fixed(nan)\n", 0, 2, "bond_usd", NULL, KIND_TEXT},
    /* numbers */
    {"text for a number", "[fund]\nbudget_usd = lots\n[region.a]\n", 0, 2, "budget_usd", NULL,
     KIND_TEXT},
    {"text for a whole number", "[region.a]\ninitial_detained = ten\n", 0, 2, "initial_detained",
     NULL, KIND_TEXT},
    {"fraction for a whole number", "[region.a]\ninitial_detained = 2.5\n", 0, 2, "initial_detained",
     NULL, KIND_TEXT},
    {"number with trailing text", "[fund]\nhorizon_days = 90days\n[region.a]\n", 0, 2, "horizon_days",
     NULL, KIND_TEXT},
    {"empty value", "[fund]\nbudget_usd =\n[region.a]\n", 0, 2, "budget_usd", NULL, KIND_TEXT},
    {"bond_grant_prob = 1.5", "[region.a]\nbond_grant_prob = 1.5\n", 0, 2, "bond_grant_prob", NULL,
     KIND_TEXT},
    {"family_pays_prob = -0.1", "[region.a]\nlabel = A\nfamily_pays_prob = -0.1\n", 0, 3,
     "family_pays_prob", NULL, KIND_TEXT},
    {"case_cost_usd = -1", "[region.a]\ncase_cost_usd = -1\n", 0, 2, "case_cost_usd", NULL, KIND_TEXT},
    {"max_bond_paid_usd = -5", "[region.a]\nmax_bond_paid_usd = -5\n", 0, 2, "max_bond_paid_usd", NULL,
     KIND_TEXT},
    {"max_bond_paid_usd = none", "[region.a]\nmax_bond_paid_usd = none\n", 0, 2, "unlimited", NULL,
     KIND_TEXT},
    {"arrivals_per_day = -1", "[region.a]\narrivals_per_day = -1\n", 0, 2, "arrivals_per_day", NULL,
     KIND_TEXT},
    {"removal_hazard_per_day = -0.01", "[region.a]\nremoval_hazard_per_day = -0.01\n", 0, 2,
     "removal_hazard_per_day", NULL, KIND_TEXT},
    {"negative horizon", "[fund]\nhorizon_days = -30\n[region.a]\n", 0, 2, "horizon_days", NULL,
     KIND_TEXT},
    {"zero horizon", "[fund]\nhorizon_days = 0\n[region.a]\n", 0, 2, "horizon_days", NULL, KIND_TEXT},
    {"budget 0", "[fund]\nbudget_usd = 0\n[region.a]\n", 0, 2, "budget_usd", NULL, KIND_TEXT},
    {"granularity 0", "[fund]\ngranularity_usd = 0\n[region.a]\n", 0, 2, "granularity_usd", NULL,
     KIND_TEXT},
    {"cvar_alpha 0", "[fund]\ncvar_alpha = 0\n[region.a]\n", 0, 2, "cvar_alpha", NULL, KIND_TEXT},
    {"cvar_alpha 1.5", "[fund]\ncvar_alpha = 1.5\n[region.a]\n", 0, 2, "cvar_alpha", NULL, KIND_TEXT},
    {"target_releases -1", "[fund]\ntarget_releases = -1\n[region.a]\n", 0, 2, "target_releases", NULL,
     KIND_TEXT},
    {"min_share 1.2", "[region.a]\nmin_share = 1.2\n", 0, 2, "min_share", NULL, KIND_TEXT},
    {"nan", "[fund]\ncvar_alpha = nan\n[region.a]\n", 0, 2, "cvar_alpha", NULL, KIND_TEXT},
    {"inf", "[fund]\nbudget_usd = inf\n[region.a]\n", 0, 2, "budget_usd", NULL, KIND_TEXT},
    {"-infinity", "[region.a]\ncase_cost_usd = -infinity\n", 0, 2, "case_cost_usd", NULL, KIND_TEXT},
    {"1e400", "[fund]\nbudget_usd = 1e400\n[region.a]\n", 0, 2, "budget_usd", NULL, KIND_TEXT},
    {"replications 0", "[region.a]\n[simulation]\nreplications = 0\n", 0, 3, "replications", NULL,
     KIND_TEXT},
    {"replications 1.5", "[region.a]\n[simulation]\nreplications = 1.5\n", 0, 3, "replications", NULL,
     KIND_TEXT},
    {"replications above 100000000", "[region.a]\n[simulation]\nreplications = 100000001\n", 0, 3,
     "replications", NULL, KIND_TEXT},
    {"replications 1e12", "[region.a]\n[simulation]\nreplications = 1e12\n", 0, 3, "replications",
     NULL, KIND_TEXT},
    {"seed -1", "[region.a]\n[simulation]\nseed = -1\n", 0, 3, "seed", NULL, KIND_TEXT},
    {"seed 2^63 (summary.json holds signed 64-bit integers)", "[region.a]\n[simulation]\nseed = 9223372036854775808\n", 0, 3, "seed", NULL, KIND_TEXT},
    {"seed 1.5", "[region.a]\n[simulation]\nseed = 1.5\n", 0, 3, "seed", NULL, KIND_TEXT},
    {"seed 2^64", "[region.a]\n[simulation]\nseed = 18446744073709551616\n", 0, 3, "seed", NULL,
     KIND_TEXT},
    {"policy misspelt", "[fund]\npolicy = cheapest-first\n[region.a]\n", 0, 2, "first_come", NULL,
     KIND_TEXT},
    {"objective misspelt", "[fund]\n\nobjective = release\n[region.a]\n", 0, 3, "freedom_days", NULL,
     KIND_TEXT},
    {"inline comment without a blank", "[fund]\nbudget_usd = 1000;comment\n[region.a]\n", 0, 2,
     "budget_usd", NULL, KIND_TEXT},
    /* whole-scenario checks */
    {"min_share > max_share", "[region.a]\n[region.b]\nmin_share = 0.6\nmax_share = 0.4\n", 0, 3,
     "min_share", NULL, KIND_TEXT},
    {"min_shares above 1", "[region.a]\nmin_share = 0.6\n[region.b]\nmin_share = 0.5\n", 0, 2,
     "min_share", NULL, KIND_TEXT},
    {"too many people", "[fund]\n[region.a]\narrivals_per_day = 20000\n", 0, 2, "people", NULL,
     KIND_TEXT},
    {"grid too fine", "[fund]\ngranularity_usd = 1\n[region.a]\n", 0, 2, "granularity_usd", NULL,
     KIND_TEXT},
    {"no regions", "[fund]\nbudget_usd = 1000\n[simulation]\n", 0, AT_FILE, "no regions", NULL,
     KIND_TEXT},
    {"empty file", "", 0, AT_FILE, "no regions", NULL, KIND_TEXT},
    {"only comments", "; nothing\n# here\n", 0, AT_FILE, "no regions", NULL, KIND_TEXT},
    /* the file itself */
    {"a directory", NULL, 0, AT_FILE, "regular file", NULL, KIND_DIR},
    {"missing file", NULL, 0, AT_FILE, "cannot open", NULL, KIND_MISSING},
    /* --set */
    {"--set without =", "[region.a]\n", 0, AT_OPTION, "section.key=value", "fund.budget_usd", KIND_TEXT},
    {"--set without section", "[region.a]\n", 0, AT_OPTION, "section.key=value", "budget_usd=5",
     KIND_TEXT},
    {"--set with empty section", "[region.a]\n", 0, AT_OPTION, NULL, ".budget_usd=5", KIND_TEXT},
    {"--set with empty key", "[region.a]\n", 0, AT_OPTION, NULL, "fund.=5", KIND_TEXT},
    {"--set unknown section", "[region.a]\n", 0, AT_OPTION, "[region.b]", "region.b.label=B",
     KIND_TEXT},
    {"--set unknown key", "[region.a]\n", 0, AT_OPTION, "budget", "fund.budget=5", KIND_TEXT},
    {"--set bad value", "[region.a]\n", 0, AT_OPTION, "budget_usd", "fund.budget_usd=-5", KIND_TEXT},
    {"--set bad distribution", "[region.a]\n", 0, AT_OPTION, "min=0",
     "region.a.hearing_delay_days=normal(mean=3, sd=2)", KIND_TEXT},
};

#define N_BAD_CASES ((int)(sizeof bad_cases / sizeof *bad_cases))

START_TEST(test_invalid)
{
    const bad_case *c = &bad_cases[_i];
    const char *path;
    switch (c->kind) {
    case KIND_DIR:
        path = tmp_path("adir.ini");
        ck_assert_int_eq(mkdir(path, 0700), 0);
        break;
    case KIND_MISSING: path = tmp_path("missing.ini"); break;
    default: path = write_file("bad.ini", c->text, c->len); break;
    }
    const char *sets[1] = {c->set};
    scenario *s = (scenario *)&s; /* must be reset to NULL */
    fz_error err;
    memset(&err, 0, sizeof err);
    int rc = scenario_load(&s, path, sets, c->set ? 1 : 0, &err);
    ck_assert_msg(rc == FZ_EINPUT, "case '%s': expected FZ_EINPUT, got %d (%s)", c->what, rc, err.msg);
    ck_assert_msg(err.code == FZ_EINPUT, "case '%s': err.code %d", c->what, err.code);
    ck_assert_msg(s == NULL, "case '%s': *out not NULL on failure", c->what);
    char where[512];
    if (c->line > 0) {
        snprintf(where, sizeof where, "%s:%d: ", path, c->line);
        ck_assert_msg(strstr(err.msg, where) != NULL, "case '%s': message lacks '%s': %s", c->what,
                      where, err.msg);
    } else if (c->line == AT_FILE) {
        snprintf(where, sizeof where, "%s: ", path);
        ck_assert_msg(strncmp(err.msg, where, strlen(where)) == 0,
                      "case '%s': message does not start with '%s': %s", c->what, where, err.msg);
    } else {
        snprintf(where, sizeof where, "--set %s", c->set);
        ck_assert_msg(strstr(err.msg, where) != NULL, "case '%s': message lacks '%s': %s", c->what,
                      where, err.msg);
    }
    if (c->needle)
        ck_assert_msg(strstr(err.msg, c->needle) != NULL, "case '%s': message lacks '%s': %s",
                      c->what, c->needle, err.msg);
}
END_TEST

/* err may be NULL: the code still comes back. */
START_TEST(test_invalid_without_error_record)
{
    const char *path = write_file("bad.ini", "[region.a]\nbond_grant_prob = 2\n", 0);
    scenario *s = NULL;
    ck_assert_int_eq(scenario_load(&s, path, NULL, 0, NULL), FZ_EINPUT);
    ck_assert_ptr_null(s);
    path = write_file("bad2.ini", "[region.a]\n[region.a]\n", 0);
    ck_assert_int_eq(scenario_load(&s, path, NULL, 0, NULL), FZ_EINPUT);
    ck_assert_ptr_null(s);
}
END_TEST

Suite *make_scenario_invalid_suite(void)
{
    Suite *s = suite_create("scenario_invalid");

    TCase *tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_long_region_names);
    tcase_add_test(tc, test_region_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_loop_test(tc, test_invalid, 0, N_BAD_CASES);
    tcase_add_test(tc, test_invalid_without_error_record);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(scenario_invalid)
