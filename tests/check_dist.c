/* check_dist: the text form of distributions (models/dist_parse.c) and the
 * cdf (models/dist.c).  Fast: no sampling beyond a few draws.
 *
 *   - every family (and both forms of lognormal and gamma, truncated or not,
 *     nested mixtures, empirical) parses, and dist_format is a fixed point:
 *     format -> parse -> format gives the same text;
 *   - fixed(1500) and fixed(value=1500);
 *   - malformed text is FZ_EINPUT even without an error record (the strings
 *     refused, with their messages, are rows of tests/data/badinput.txt);
 *   - mixture weights are normalised;
 *   - the cdf of truncated distributions is 0 at lo, 1 at hi, monotone. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_common.h"
#include "dist.h"

#define DATA_DIR FZ_TEST_DIR "/data"
#define NELEM(a) (sizeof(a) / sizeof *(a))

static dist *parse_ok(const char *text)
{
    dist *d = NULL;
    fz_error err = {0};
    int rc = dist_parse(&d, text, DATA_DIR, &err);
    ck_assert_msg(rc == 0, "dist_parse(\"%s\") failed: %s", text, err.msg);
    ck_assert_ptr_nonnull(d);
    return d;
}

static void format_ok(const dist *d, char *buf, size_t size)
{
    int n = dist_format(d, buf, size);
    ck_assert_int_gt(n, 0);
    ck_assert_uint_lt((size_t)n, size);
    ck_assert_uint_eq(strlen(buf), (size_t)n);
}

/* ---- round trips ---- */

static const struct {
    const char *text;      /* as a user might write it */
    const char *canonical; /* what dist_format prints */
    dist_family fam;
} roundtrip_cases[] = {
    {"fixed(1500)", "fixed(1500)", DIST_FIXED},
    {"fixed( value = 1500 )", "fixed(1500)", DIST_FIXED},
    {"fixed(0)", "fixed(0)", DIST_FIXED},
    {"fixed(-0)", "fixed(0)", DIST_FIXED},
    {"fixed(2.5e3)", "fixed(2500)", DIST_FIXED},
    {"uniform(min=3, max=25)", "uniform(min=3, max=25)", DIST_UNIFORM},
    {"uniform(max=25,min=3)", "uniform(min=3, max=25)", DIST_UNIFORM},
    {"normal(mean=10, sd=3)", "normal(mean=10, sd=3)", DIST_NORMAL},
    {"normal(sd=3, mean=2, min=0)", "normal(mean=2, sd=3, min=0)", DIST_NORMAL},
    {"normal(mean=10, sd=3, max=12, min=5)", "normal(mean=10, sd=3, min=5, max=12)", DIST_NORMAL},
    {"lognormal(median=1500, sigma=0.5)", "lognormal(median=1500, sigma=0.5)", DIST_LOGNORMAL},
    {" lognormal ( median = 1500 , sigma = 0.5 , min = 1500 , max = 50000 ) ",
     "lognormal(median=1500, sigma=0.5, min=1500, max=50000)", DIST_LOGNORMAL},
    {"lognormal(mean=2000, sd=1000)", "lognormal(mean=2000, sd=1000)", DIST_LOGNORMAL},
    {"lognormal(sd=1000, mean=2000, max=1500)", "lognormal(mean=2000, sd=1000, max=1500)", DIST_LOGNORMAL},
    {"gamma(shape=4, scale=3.5)", "gamma(shape=4, scale=3.5)", DIST_GAMMA},
    {"gamma(mean=14, sd=7)", "gamma(mean=14, sd=7)", DIST_GAMMA},
    {"gamma(shape=2, scale=1, min=10)", "gamma(shape=2, scale=1, min=10)", DIST_GAMMA},
    {"gamma(mean=14, sd=7, min=3, max=30)", "gamma(mean=14, sd=7, min=3, max=30)", DIST_GAMMA},
    {"weibull(shape=1.5, scale=20)", "weibull(shape=1.5, scale=20)", DIST_WEIBULL},
    {"weibull(scale=20, shape=1.5, min=10, max=40)", "weibull(shape=1.5, scale=20, min=10, max=40)", DIST_WEIBULL},
    {"exponential(mean=7)", "exponential(mean=7)", DIST_EXPONENTIAL},
    {"exponential(mean=7, min=2, max=9)", "exponential(mean=7, min=2, max=9)", DIST_EXPONENTIAL},
    {"exponential(max=9, mean=0.125)", "exponential(mean=0.125, max=9)", DIST_EXPONENTIAL},
    {"empirical(file=amounts.csv, column=amount)", "empirical(file=amounts.csv, column=amount)", DIST_EMPIRICAL},
    {"empirical(column=\"days\", file='amounts.csv', max=30)", "empirical(file=amounts.csv, column=days, max=30)",
     DIST_EMPIRICAL},
    {"mixture(1: fixed(1); 3: fixed(2))", "mixture(0.25: fixed(1); 0.75: fixed(2))", DIST_MIXTURE},
    {"mixture(1: fixed(1); 1: fixed(2); 1: fixed(3))",
     "mixture(0.333333333333333: fixed(1); 0.333333333333333: fixed(2); 0.333333333333333: "
     "fixed(3))",
     DIST_MIXTURE},
    {"mixture(0.7: fixed(0); 0.3: exponential(mean=5, max=30))",
     "mixture(0.7: fixed(0); 0.3: exponential(mean=5, max=30))", DIST_MIXTURE},
    {"mixture(2: gamma(mean=14, sd=7); 1: mixture(1: uniform(min=0, max=1); 1: "
     "lognormal(median=3, sigma=0.2, min=1)))",
     "mixture(0.666666666666667: gamma(mean=14, sd=7); 0.333333333333333: mixture(0.5: "
     "uniform(min=0, max=1); 0.5: lognormal(median=3, sigma=0.2, min=1)))",
     DIST_MIXTURE},
};

START_TEST(test_roundtrip)
{
    const char *text = roundtrip_cases[_i].text;
    char first[1024], second[1024];
    dist *d = parse_ok(text);
    ck_assert_int_eq(dist_get_family(d), roundtrip_cases[_i].fam);
    format_ok(d, first, sizeof first);
    ck_assert_str_eq(first, roundtrip_cases[_i].canonical);
    dist *e = parse_ok(first);
    format_ok(e, second, sizeof second);
    ck_assert_msg(strcmp(first, second) == 0, "'%s' -> '%s' -> '%s'", text, first, second);
    /* the reparsed dist is the same distribution */
    ck_assert_int_eq(dist_get_family(e), dist_get_family(d));
    ck_assert_double_eq(dist_lower(e), dist_lower(d));
    ck_assert_double_eq(dist_upper(e), dist_upper(d));
    double m1, m2;
    fz_error err = {0};
    ck_assert_int_eq(dist_mean(d, &m1, &err), 0);
    ck_assert_int_eq(dist_mean(e, &m2, &err), 0);
    ck_assert_double_eq_tol(m1, m2, 1e-13 * fmax(1, fabs(m1)));
    dist_free(d);
    dist_free(e);
}
END_TEST

/* Random mixture weights: the normalised weights that dist_format prints
 * (15 significant digits) must read back as the same text. */
START_TEST(test_roundtrip_mixture_weights)
{
    unsigned long s = 12345;
    int bad = 0;
    for (int t = 0; t < 2000; t++) {
        char text[1024] = "mixture(", first[1024], second[1024];
        int n = 2 + t % 5;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            double w = (double)((s >> 11) % 1000000 + 1) / (i % 2 ? 1000.0 : 1.0);
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, "%s%.6g: fixed(%d)", i ? "; " : "", w, i);
        }
        strcat(text, ")");
        dist *d = parse_ok(text);
        format_ok(d, first, sizeof first);
        dist *e = parse_ok(first);
        format_ok(e, second, sizeof second);
        if (strcmp(first, second) != 0 && bad++ == 0)
            fprintf(stderr, "'%s'\n  -> '%s'\n  -> '%s'\n", text, first, second);
        /* still normalised: the cdf at the top is 1 */
        ck_assert_double_eq_tol(dist_cdf(e, n), 1, 1e-13);
        dist_free(d);
        dist_free(e);
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_fixed_forms)
{
    static const char *const texts[] = {"fixed(1500)", "fixed(value=1500)", "fixed(value = 1500.0)", "fixed(1.5e3)"};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t i = 0; i < NELEM(texts); i++) {
        dist *d = parse_ok(texts[i]);
        char buf[64];
        format_ok(d, buf, sizeof buf);
        ck_assert_str_eq(buf, "fixed(1500)");
        ck_assert_int_eq(dist_get_family(d), DIST_FIXED);
        ck_assert_str_eq(dist_family_name(dist_get_family(d)), "fixed");
        ck_assert_double_eq(dist_lower(d), 1500);
        ck_assert_double_eq(dist_upper(d), 1500);
        ck_assert_double_eq(dist_sample(d, r), 1500);
        double m, v;
        fz_error err = {0};
        ck_assert_int_eq(dist_mean(d, &m, &err), 0);
        ck_assert_int_eq(dist_variance(d, &v, &err), 0);
        ck_assert_double_eq(m, 1500);
        ck_assert_double_eq(v, 0);
        ck_assert_double_eq(dist_cdf(d, 1499.999), 0);
        ck_assert_double_eq(dist_cdf(d, 1500), 1);
        dist_free(d);
    }
    gsl_rng_free(r);
}
END_TEST

/* The family table drives parsing: every family's name is recognised (the
 * parser answers about that family's arguments, never "unknown
 * distribution"), names are distinct, and an unknown name lists them all. */
START_TEST(test_family_names)
{
    fz_error err = {0, ""};
    dist *d = NULL;
    ck_assert_int_eq(dist_parse(&d, "pareto(shape=1)", NULL, &err), FZ_EINPUT);
    ck_assert_ptr_null(d);
    char unknown[sizeof err.msg];
    memcpy(unknown, err.msg, sizeof unknown);
    for (int f = 0; f < DIST_NFAMILIES; f++) {
        const char *name = dist_family_name((dist_family)f);
        ck_assert(name[0] != '\0');
        for (int g = 0; g < f; g++)
            ck_assert_str_ne(name, dist_family_name((dist_family)g));
        ck_assert_msg(strstr(unknown, name), "'%s' lacks %s", unknown, name);
        char text[64], want[64];
        snprintf(text, sizeof text, "%s()", name);
        snprintf(want, sizeof want, "%s(...)", name);
        int rc = dist_parse(&d, text, NULL, &err);
        ck_assert_msg(rc == FZ_EINPUT && strncmp(err.msg, want, strlen(want)) == 0, "%s: %d '%s'", text, rc, err.msg);
    }
    ck_assert_str_eq(dist_family_name(DIST_NFAMILIES), "?");
}
END_TEST

START_TEST(test_format_small_buffer)
{
    dist *d = parse_ok("lognormal(median=1500, sigma=0.5, min=1500, max=50000)");
    char full[256], small[8];
    int n = dist_format(d, full, sizeof full);
    ck_assert_int_eq(dist_format(d, small, sizeof small), n); /* snprintf semantics */
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert_int_eq(strncmp(small, full, sizeof small - 1), 0);
    ck_assert_int_eq(dist_format(d, NULL, 0), n);
    dist_free(d);
}
END_TEST

/* ---- errors ---- */

/* The strings dist_parse refuses, with their messages, are rows of the
 * bad-input catalogue (tests/data/badinput.txt, a `dist_parse:` line each):
 * check_badinput runs each through `fianza check` and through dist_parse. */

/* The error record may be NULL: the code is still returned. */
START_TEST(test_error_null_record)
{
    dist *d;
    ck_assert_int_eq(dist_parse(&d, "normal(mean=0)", NULL, NULL), FZ_EINPUT);
    ck_assert_ptr_null(d);
    dist_free(NULL);
}
END_TEST

/* ---- mixtures ---- */

START_TEST(test_mixture_normalised)
{
    dist *d = parse_ok("mixture(1: fixed(1); 3: fixed(2))");
    ck_assert_double_eq(dist_cdf(d, 0.5), 0);
    ck_assert_double_eq_tol(dist_cdf(d, 1), 0.25, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 1.5), 0.25, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 2), 1, 1e-15);
    ck_assert_double_eq(dist_lower(d), 1);
    ck_assert_double_eq(dist_upper(d), 2);
    double m, v;
    fz_error err = {0};
    ck_assert_int_eq(dist_mean(d, &m, &err), 0);
    ck_assert_int_eq(dist_variance(d, &v, &err), 0);
    ck_assert_double_eq_tol(m, 1.75, 1e-14);
    ck_assert_double_eq_tol(v, 0.1875, 1e-14);
    dist_free(d);

    /* unequal, unnormalised weights on continuous parts */
    d = parse_ok("mixture(2: uniform(min=0, max=1); 6: uniform(min=1, max=3))");
    ck_assert_double_eq_tol(dist_cdf(d, 0.5), 0.125, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 1), 0.25, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 2), 0.625, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 3), 1, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 1e9), 1, 1e-15);
    ck_assert_double_eq(dist_lower(d), 0);
    ck_assert_double_eq(dist_upper(d), 3);
    dist_free(d);

    /* weights that already sum to 1, and a single component */
    d = parse_ok("mixture(0.2: exponential(mean=1); 0.8: gamma(shape=2, scale=1, min=10))");
    ck_assert_double_eq_tol(dist_cdf(d, 9.999), 0.2 * -expm1(-9.999), 1e-12);
    ck_assert_double_eq_tol(dist_cdf(d, 1e6), 1, 1e-12);
    ck_assert_double_eq(dist_lower(d), 0);
    ck_assert(isinf(dist_upper(d)));
    dist_free(d);
    d = parse_ok("mixture(5: normal(mean=1, sd=2, min=0))");
    double want = (0.5 - gsl_cdf_ugaussian_Q(0.5)) / gsl_cdf_ugaussian_P(0.5);
    ck_assert_double_eq_tol(dist_cdf(d, 1), want, 1e-12);
    dist_free(d);
}
END_TEST

/* A mixture draws from each component in proportion to its weight. */
START_TEST(test_mixture_sampling_split)
{
    dist *d = parse_ok("mixture(1: fixed(1); 3: fixed(2))");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    int ones = 0, n = 40000;
    for (int i = 0; i < n; i++) {
        double x = dist_sample(d, r);
        ck_assert(x == 1 || x == 2);
        ones += x == 1;
    }
    /* 0.25 +- 4 standard errors */
    ck_assert_double_le(fabs(ones / (double)n - 0.25), 4 * sqrt(0.25 * 0.75 / n));
    gsl_rng_free(r);
    dist_free(d);
}
END_TEST

/* ---- empirical ---- */

START_TEST(test_empirical)
{
    dist *d = parse_ok("empirical(file=amounts.csv, column=amount)");
    ck_assert_double_eq(dist_lower(d), 300);
    ck_assert_double_eq(dist_upper(d), 25000);
    ck_assert_double_eq(dist_cdf(d, 299), 0);
    ck_assert_double_eq_tol(dist_cdf(d, 300), 1 / 20.0, 1e-15);
    ck_assert_double_eq_tol(dist_cdf(d, 1500), 9 / 20.0, 1e-15); /* three 1500s */
    ck_assert_double_eq(dist_cdf(d, 25000), 1);
    dist_free(d);

    /* min=/max= keep the values inside, and the support is the kept data */
    d = parse_ok("empirical(file=amounts.csv, column=amount, min=1000, max=5000)");
    ck_assert_double_eq(dist_lower(d), 1000);
    ck_assert_double_eq(dist_upper(d), 5000);
    ck_assert_double_eq(dist_cdf(d, 999), 0);
    ck_assert_double_eq(dist_cdf(d, 5000), 1);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 1000; i++) {
        double x = dist_sample(d, r);
        ck_assert(x >= 1000 && x <= 5000);
    }
    gsl_rng_free(r);
    dist_free(d);

    /* an absolute path ignores basedir */
    d = parse_ok("empirical(file=" DATA_DIR "/amounts.csv, column=days)");
    ck_assert_double_eq(dist_lower(d), 1);
    ck_assert_double_eq(dist_upper(d), 60);
    dist_free(d);
}
END_TEST

/* ---- cdf of truncated distributions ---- */

static const char *const truncated_cases[] = {
    "normal(mean=2, sd=3, min=0)",
    "normal(mean=0, sd=1, min=0)",
    "normal(mean=10, sd=3, min=5, max=12)",
    "normal(mean=0, sd=1, min=4)",
    "normal(mean=-3, sd=2, min=0, max=1)",
    "normal(mean=0, sd=1, max=-3)",
    "lognormal(median=1500, sigma=0.5, min=1500)",
    "lognormal(median=1500, sigma=0.5, min=1500, max=50000)",
    "lognormal(mean=2000, sd=1000, max=1500)",
    "lognormal(median=1500, sigma=0.5, min=5000)",
    "gamma(shape=2, scale=1, min=10)",
    "gamma(mean=14, sd=7, min=3, max=30)",
    "gamma(shape=0.5, scale=2, max=0.05)",
    "weibull(shape=1.5, scale=20, min=10, max=40)",
    "weibull(shape=0.7, scale=5, min=20)",
    "exponential(mean=7, min=3)",
    "exponential(mean=7, min=2, max=9)",
    "exponential(mean=7, max=1)",
    "empirical(file=amounts.csv, column=amount, min=1000, max=5000)",
    "mixture(1: normal(mean=0, sd=1, min=0); 1: gamma(shape=2, scale=1, min=10, max=12))",
};

START_TEST(test_truncated_cdf)
{
    const char *text = truncated_cases[_i];
    dist *d = parse_ok(text);
    double lo = dist_lower(d), hi = dist_upper(d);
    ck_assert(isfinite(lo) || isfinite(hi));
    ck_assert_double_lt(lo, hi);
    if (isfinite(lo)) {
        ck_assert_msg(fabs(dist_cdf(d, lo)) <= 1e-12 || dist_get_family(d) == DIST_EMPIRICAL, "%s: cdf(lo = %g) = %g",
                      text, lo, dist_cdf(d, lo));
        ck_assert_double_eq(dist_cdf(d, lo - 1e-9 * fmax(1, fabs(lo))), 0);
    }
    ck_assert_double_eq(dist_cdf(d, -INFINITY), 0);
    ck_assert_double_eq_tol(dist_cdf(d, INFINITY), 1, 1e-12);
    if (isfinite(hi)) {
        ck_assert_double_eq_tol(dist_cdf(d, hi), 1, 1e-12);
        ck_assert_double_eq_tol(dist_cdf(d, hi + 1), 1, 1e-12);
    }
    /* a grid over [bottom, top]: lo and hi, or far into an unbounded tail */
    double bottom = isfinite(lo) ? lo : hi - 100 * (fabs(hi) + 10);
    double top = isfinite(hi) ? hi : lo + 100 * (fabs(lo) + 10);
    double prev = 0;
    int n = 4000;
    for (int i = 0; i <= n; i++) {
        double x = bottom + (top - bottom) * i / n;
        double c = dist_cdf(d, x);
        ck_assert_msg(c >= prev && c <= 1 + 1e-12, "%s: cdf(%.17g) = %.17g after %.17g", text, x, c, prev);
        if (i == 0 && !isfinite(lo))
            ck_assert_double_eq_tol(c, 0, 1e-6);
        prev = c;
    }
    if (!isfinite(hi))
        ck_assert_double_eq_tol(prev, 1, 1e-6);
    dist_free(d);
}
END_TEST

/* The documented example: a bond left-truncated at its median has cdf
 * (F(x) - 1/2) / (1/2). */
START_TEST(test_truncated_cdf_values)
{
    dist *d = parse_ok("lognormal(median=1500, sigma=0.5, min=1500)");
    for (double x = 1500; x < 20000; x *= 1.1) {
        double want = (gsl_cdf_ugaussian_P(log(x / 1500) / 0.5) - 0.5) / 0.5;
        ck_assert_double_eq_tol(dist_cdf(d, x), want, 1e-12);
    }
    dist_free(d);
    d = parse_ok("normal(mean=0, sd=1, min=4)");
    for (double x = 4; x < 8; x += 0.25) {
        double want = 1 - gsl_cdf_ugaussian_Q(x) / gsl_cdf_ugaussian_Q(4);
        ck_assert_double_eq_tol(dist_cdf(d, x), want, 1e-12);
    }
    dist_free(d);
    d = parse_ok("exponential(mean=7, min=2, max=9)");
    for (double x = 2; x <= 9; x += 0.5) {
        double want = -expm1(-(x - 2) / 7) / -expm1(-7 / 7.0);
        ck_assert_double_eq_tol(dist_cdf(d, x), want, 1e-12);
    }
    dist_free(d);
}
END_TEST

/* Truncations that keep less than 1/4 of the mass are sampled by inversion.
 * A failed inversion must not be papered over by returning the bound: no
 * draw of a continuous family sits exactly on lo or hi, and the draws centre
 * on dist_mean.  (check_dist_moments tests these distributions in depth.) */
static const char *const inversion_cases[] = {
    "normal(mean=0, sd=1, min=4)",
    "normal(mean=100, sd=10, min=95, max=96)",
    "lognormal(median=1500, sigma=0.5, min=5000)",
    "lognormal(median=1500, sigma=0.5, max=500)",
    "gamma(shape=2, scale=1, min=10)",
    "gamma(shape=3, scale=2, max=1)",
    "gamma(shape=0.1, scale=1, max=1e-8)",
    "gamma(shape=0.05, scale=2, max=1e-30)",
    "weibull(shape=0.7, scale=5, min=20)",
    "exponential(mean=7, max=1)",
};

START_TEST(test_inversion_tails)
{
    const char *text = inversion_cases[_i];
    dist *d = parse_ok(text);
    double lo = dist_lower(d), hi = dist_upper(d), m, v, sum = 0;
    fz_error err = {0};
    ck_assert_int_eq(dist_mean(d, &m, &err), 0);
    ck_assert_int_eq(dist_variance(d, &v, &err), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99 + (unsigned long)_i);
    int n = 5000, at_bound = 0, outside = 0;
    for (int i = 0; i < n; i++) {
        double x = dist_sample(d, r);
        at_bound += x == lo || x == hi;
        outside += !(x >= lo && x <= hi);
        sum += x;
    }
    gsl_rng_free(r);
    ck_assert_msg(outside == 0, "%s: %d draws outside [%g, %g]", text, outside, lo, hi);
    ck_assert_msg(at_bound == 0, "%s: %d of %d draws exactly on a bound", text, at_bound, n);
    ck_assert_msg(fabs(sum / n - m) <= 5 * sqrt(v / n), "%s: sample mean %g, dist_mean %g", text, sum / n, m);
    dist_free(d);
}
END_TEST

/* Durations and amounts: families on [0, inf) never go below zero. */
START_TEST(test_support)
{
    static const char *const texts[] = {"lognormal(median=1500, sigma=0.5)", "gamma(mean=14, sd=7)",
                                        "weibull(shape=1.5, scale=20)", "exponential(mean=7)",
                                        "gamma(shape=2, scale=1, min=-5)"};
    for (size_t i = 0; i < NELEM(texts); i++) {
        dist *d = parse_ok(texts[i]);
        ck_assert_double_eq(dist_lower(d), 0);
        ck_assert(isinf(dist_upper(d)) && dist_upper(d) > 0);
        dist_free(d);
    }
    dist *d = parse_ok("normal(mean=10, sd=3)");
    ck_assert(isinf(dist_lower(d)) && dist_lower(d) < 0);
    dist_free(d);
    d = parse_ok("uniform(min=3, max=25)");
    ck_assert_double_eq(dist_lower(d), 3);
    ck_assert_double_eq(dist_upper(d), 25);
    dist_free(d);
}
END_TEST

Suite *make_dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_roundtrip, 0, NELEM(roundtrip_cases));
    tcase_add_test(tc, test_roundtrip_mixture_weights);
    tcase_add_test(tc, test_fixed_forms);
    tcase_add_test(tc, test_family_names);
    tcase_add_test(tc, test_format_small_buffer);
    tcase_add_test(tc, test_error_null_record);
    suite_add_tcase(s, tc);

    tc = tcase_create("cdf");
    tcase_add_test(tc, test_mixture_normalised);
    tcase_add_test(tc, test_mixture_sampling_split);
    tcase_add_test(tc, test_empirical);
    tcase_add_loop_test(tc, test_truncated_cdf, 0, NELEM(truncated_cases));
    tcase_add_test(tc, test_truncated_cdf_values);
    tcase_add_loop_test(tc, test_inversion_tails, 0, NELEM(inversion_cases));
    tcase_add_test(tc, test_support);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(dist)
