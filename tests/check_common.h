/* check_common.h: shared helpers for the Check suites.
 *
 * Each tests/check_<module>.c defines `Suite *make_<module>_suite(void)` and
 * ends with FZ_CHECK_MAIN(<module>), which gives it a main that runs the suite
 * (CK_FORK as Check defaults, overridable with CK_FORK=no for valgrind).
 * CMake builds one executable and one ctest entry per file. */
#ifndef FZ_CHECK_COMMON_H
#define FZ_CHECK_COMMON_H

#include <check.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>

/* ctest's SKIP_RETURN_CODE: a suite whose tool is absent (gnuplot) exits
 * with it instead of failing or passing vacuously. */
#define FZ_CHECK_SKIP 77

/* Runs a suite: EXIT_SUCCESS when every test passed. */
static inline int fz_check_run(Suite *suite)
{
    gsl_set_error_handler_off();
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define FZ_CHECK_MAIN(module) \
    int main(void) { return fz_check_run(make_##module##_suite()); }

/* Directory of the source tree's tests/ (data files) and the built binary. */
#ifndef FZ_TEST_DIR
#define FZ_TEST_DIR "."
#endif
#ifndef FZ_BIN
#define FZ_BIN "fianza"
#endif

#endif
