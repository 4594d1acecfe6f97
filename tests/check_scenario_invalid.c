/* check_scenario_invalid: scenario files (DESIGN §4) that must be rejected —
 * the limits on region names and region count, and a NULL error record (the
 * catalogue of invalid files is tests/data/badinput.txt, run in process by
 * check_badinput for its "scenario_load: refused" rows).
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
/* ---- invalid inputs ----
 * The catalogue of invalid scenario files is tests/data/badinput.txt: its
 * rows marked "scenario_load: refused" are loaded in process by
 * check_badinput (FZ_EINPUT, NULL scenario, file:line or --set in the
 * message) as well as run through the command. */

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
    tcase_add_test(tc, test_invalid_without_error_record);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(scenario_invalid)
