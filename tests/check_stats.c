/* check_stats: the interval formulas of sim/run/stats.c against values
 * computed by hand from their definitions. */
#include <math.h>

#include "check_common.h"
#include "stats.h"

/* Wilson (1927): k = 40 of n = 100 against the formula written out, and
 * against the value [0.3094, 0.4980] computed by hand to 4 digits
 * (centre 0.40376, half-width 0.09430). */
START_TEST(test_wilson_values)
{
    double lo, hi;
    stat_wilson(40, 100, &lo, &hi);
    const double z = STAT_Z975, n = 100, p = 0.4, d = 1 + z * z / n;
    double c = (p + z * z / (2 * n)) / d, h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
    ck_assert_double_eq_tol(lo, c - h, 1e-15);
    ck_assert_double_eq_tol(hi, c + h, 1e-15);
    ck_assert_double_eq_tol(lo, 0.3094, 5e-5);
    ck_assert_double_eq_tol(hi, 0.4980, 5e-5);
    /* k = 0: lower end exactly 0, upper z^2 / (n + z^2) */
    stat_wilson(0, 10, &lo, &hi);
    ck_assert_double_eq(lo, 0);
    ck_assert_double_eq_tol(hi, z * z / (10 + z * z), 1e-15);
    /* k = n: the mirror image */
    stat_wilson(10, 10, &lo, &hi);
    ck_assert_double_eq(hi, 1);
    ck_assert_double_eq_tol(lo, 10 / (10 + z * z), 1e-15);
    /* n = 0: undefined */
    stat_wilson(0, 0, &lo, &hi);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

/* Coverage: for n = 50, p = 0.1, the exact binomial probability that the
 * interval covers p is close to 0.95 (Wilson's is within a few points at
 * this n; the Wald interval's is 0.88).  Computed by summing the binomial
 * pmf over every k whose interval covers p. */
START_TEST(test_wilson_coverage)
{
    const int n = 50;
    const double p = 0.1;
    double cover = 0;
    for (int k = 0; k <= n; k++) {
        double lo, hi, pmf = exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) + (n - k) * log1p(-p));
        stat_wilson(k, n, &lo, &hi);
        if (lo <= p && p <= hi)
            cover += pmf;
    }
    ck_assert_msg(cover > 0.93 && cover < 0.98, "coverage %.4f", cover);
}
END_TEST

Suite *make_stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *t = tcase_create("wilson");
    tcase_add_test(t, test_wilson_values);
    tcase_add_test(t, test_wilson_coverage);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(stats)
