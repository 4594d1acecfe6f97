/* check_regress: one test per crash the fuzzers found (tests/fuzz/regressions
 * holds the inputs; scripts/fuzz.sh re-runs them as corpus entries). */
#include <getopt.h>
#include <math.h>

#include "check_common.h"
#include "cli.h"
#include "dist.h"

/* fuzz_dist: a Weibull of tiny shape overflows Gamma(1 + 2/k) in the
 * variance; dist_variance must report it, not abort through GSL. */
START_TEST(test_weibull_tiny_shape_moments)
{
    dist *d;
    fz_error err;
    ck_assert_int_eq(dist_parse(&d, "weibull(shape=.01,scale=1, max=2)", NULL, &err), 0);
    double v;
    ck_assert_int_eq(dist_variance(d, &v, &err), FZ_ERUNTIME);
    ck_assert(strstr(err.msg, "not finite") != NULL);
    dist_free(d);
}
END_TEST

/* fuzz_options: getopt kept a pointer into the previous call's argv
 * ("nextchar"); a second cli_parse with other strings read freed memory. */
START_TEST(test_cli_parse_twice)
{
    cli_opts o;
    fz_error err;
    char a0[] = "fianza", a1[] = "simulate", a2[] = "-ohx", a3[] = "s.ini";
    char *argv1[] = {a0, a1, a2, a3, NULL};
    ck_assert_int_eq(cli_parse(&o, 4, argv1, &err), 0);
    cli_opts_free(&o);
    char b1[] = "sweephicago.bond_usds.";
    char *argv2[] = {a0, b1, NULL};
    ck_assert_int_eq(cli_parse(&o, 2, argv2, &err), FZ_EINPUT); /* no scenario: an error, no crash */
    cli_opts_free(&o);
    char c1[] = "simulate", c2[] = "--seed", c3[] = "7", c4[] = "t.ini";
    char *argv3[] = {a0, c1, c2, c3, c4, NULL};
    ck_assert_int_eq(cli_parse(&o, 5, argv3, &err), 0);
    ck_assert_str_eq(o.seed, "7");
    ck_assert_str_eq(o.scenario_path, "t.ini");
    cli_opts_free(&o);
}
END_TEST

/* fuzz_options: dist_set_arg sized its output for the input text, but writes
 * each argument back with ", " between: many short arguments overflowed. */
START_TEST(test_dist_set_arg_many_items)
{
    char text[4096] = "gamma(";
    for (int i = 0; i < 400; i++)
        strcat(text, i ? ",x" : "x");
    strcat(text, ")");
    char *out = NULL;
    fz_error err;
    ck_assert_int_eq(dist_set_arg(&out, text, "min", "1", &err), 0);
    ck_assert(strstr(out, ", min=1)") != NULL);
    ck_assert_uint_eq(strlen(out), strlen("gamma()") + 1 + 399 * 3 + strlen(", min=1"));
    free(out);
    /* the second find: an argument given many times, each replaced by a long value */
    strcpy(text, "gamma(");
    for (int i = 0; i < 300; i++)
        strcat(text, i ? ",max=1" : "max=1");
    strcat(text, ")");
    char value[256];
    memset(value, '9', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    ck_assert_int_eq(dist_set_arg(&out, text, "max", value, &err), 0);
    ck_assert_uint_eq(strlen(out), strlen("gamma()") + 300 * (strlen("max=") + 255) + 299 * 2);
    free(out);
}
END_TEST

Suite *make_regress_suite(void)
{
    Suite *s = suite_create("regress");
    TCase *tc = tcase_create("fuzz");
    tcase_add_test(tc, test_weibull_tiny_shape_moments);
    tcase_add_test(tc, test_cli_parse_twice);
    tcase_add_test(tc, test_dist_set_arg_many_items);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(regress)
