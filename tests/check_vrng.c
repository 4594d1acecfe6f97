/* check_vrng: the batched samplers (models/vrng.c, models/vrng.h).
 *
 *   - the vector kernels (the fastest this CPU runs, and the baseline ISA's)
 *     equal the per-lane scalar reference (v->ref = 1) bit for bit, for every
 *     sampler, in calls of uneven sizes and with samplers mixed on one
 *     stream; and a digest of each sampler's first
 *     outputs is pinned, so every build (Release, Debug, sanitizers,
 *     valgrind's CPU) must give the same numbers;
 *   - splitting a batch into calls gives the same numbers as one call;
 *   - the same key gives the same numbers, another key others;
 *   - vrng_exp and vrng_log within 2 ulp of libm's exp and log on 10^6 points
 *     of their ranges and on edge cases, finite where libm is;
 *   - statistics at n = 10^6 (10^5 under valgrind), one sample per sampler:
 *     mean, variance and skewness within 4 standard errors of the exact
 *     values (the SE from the exact central moments up to the 6th, delta
 *     method, below), a one-sample Kolmogorov-Smirnov test against the exact
 *     CDF (GSL's) at alpha = 0.001, and the lag-1 to lag-8 correlations of
 *     consecutive outputs (consecutive lanes; lag 8: the same lane) within
 *     4 SE = 4 / sqrt(n) of 0. */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "vrng.h"

enum { NSAMPLERS = 13 };
static const char *const sampler_name[NSAMPLERS] = {
    "uniform", "uniform_pos", "normal", "lognormal",   "trunc_median", "trunc_band", "trunc_bench",
    "gamma4",  "gamma05",     "gamma1", "gamma_bench", "exponential",  "trunc_upper"};

/* bench/bench.ini's North bond: lognormal(median=3000, sigma=0.8, min=1500, max=50000) */
#define BENCH_MU 8.0063675676502459 /* log(3000) */

/* n draws of sampler k. */
static void draw(vrng *v, int k, double *out, size_t n)
{
    switch (k) {
    case 0: vrng_uniform(v, out, n); break;
    case 1: vrng_uniform_pos(v, out, n); break;
    case 2: vrng_normal(v, out, n, 1.5, 2.0); break;
    case 3: vrng_lognormal(v, out, n, BENCH_MU, 0.8); break;
    case 4: vrng_lognormal_trunc(v, out, n, 8.0, 1.0, exp(8.0), INFINITY); break;
    case 5: vrng_lognormal_trunc(v, out, n, 8.0, 1.0, exp(7.0), exp(8.5)); break;
    case 6: vrng_lognormal_trunc(v, out, n, BENCH_MU, 0.8, 1500, 50000); break;
    case 7: vrng_gamma(v, out, n, 4.0, 1.0); break;
    case 8: vrng_gamma(v, out, n, 0.5, 2.0); break;
    case 9: vrng_gamma(v, out, n, 1.0, 1.0); break;
    case 10: vrng_gamma(v, out, n, 4.0, 3.5); break; /* gamma(mean=14, sd=7) */
    case 11: vrng_exponential(v, out, n, 2.0); break;
    case 12: vrng_lognormal_trunc(v, out, n, 0.0, 0.5, 0, 0.8); break; /* below the median: -|z| */
    }
}

/* The vector kernels (the fastest this CPU runs, then the baseline ISA's)
 * against the reference, in calls of uneven sizes. */
START_TEST(test_vector_equals_reference)
{
    enum { N = 4000 };
    static double x[N], y[N];
    for (int k = 0; k < NSAMPLERS; k++) {
        vrng a, b;
        vrng_seed(&a, 2025, 7, 3, (uint64_t)k);
        vrng_seed(&b, 2025, 7, 3, (uint64_t)k);
        a.ref = _i ? 2 : 0;
        b.ref = 1;
        size_t done = 0;
        for (size_t step = 1; done < N; step = step * 3 + 1) {
            size_t n = step < N - done ? step : N - done;
            draw(&a, k, x + done, n);
            draw(&b, k, y + done, n);
            done += n;
        }
        ck_assert_msg(memcmp(x, y, sizeof x) == 0, "%s: kernels %d and reference differ", sampler_name[k], a.ref);
        ck_assert_msg(memcmp(&a, &b, offsetof(vrng, ref)) == 0, "%s: states differ", sampler_name[k]);
    }
    /* every sampler in turn on one stream, calls of 1 to 40 outputs */
    vrng a, b;
    vrng_seed(&a, 2025, 8, 0, 0);
    vrng_seed(&b, 2025, 8, 0, 0);
    a.ref = _i ? 2 : 0;
    b.ref = 1;
    for (int call = 0; call < 600; call++) {
        size_t n = 1 + (size_t)(call * 7) % 40;
        draw(&a, call % NSAMPLERS, x, n);
        draw(&b, call % NSAMPLERS, y, n);
        ck_assert_msg(memcmp(x, y, n * sizeof *x) == 0, "mixed call %d (%s): kernels %d and reference differ", call,
                      sampler_name[call % NSAMPLERS], a.ref);
    }
}
END_TEST

/* FNV-1a of the bits of the first 1000 outputs (calls of 512, 300, 188)
 * of each sampler for key (1, 2, 3, 4): the stream's definition, pinned.
 * A change of these numbers changes every result drawn with vrng (and the
 * golden files of scenarios that use it): only on purpose, in the changelog. */
static uint64_t digest(int k)
{
    double x[1000];
    vrng v;
    vrng_seed(&v, 1, 2, 3, 4);
    draw(&v, k, x, 512);
    draw(&v, k, x + 512, 300);
    draw(&v, k, x + 812, 188);
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p = (const unsigned char *)x;
    for (size_t i = 0; i < sizeof x; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

START_TEST(test_digest)
{
    static const uint64_t pinned[NSAMPLERS] = {0xb50fef14b0847d6dULL, 0xb64801561e81c422ULL, 0xdb4e75efd67936deULL,
                                               0x7a6598d27d92a048ULL, 0xfc9ead520d7a9c5bULL, 0x6f5961f82b518841ULL,
                                               0x8e7b2956ffc3e2bcULL, 0x7ffe207f40a7d627ULL, 0x19c4dffd0c403927ULL,
                                               0x6e0cc24e894c02c5ULL, 0x9b8a718c6f641b50ULL, 0x72335b8893b1816fULL,
                                               0xa8360115a29542b2ULL};
    for (int k = 0; k < NSAMPLERS; k++)
        ck_assert_msg(digest(k) == pinned[k], "%s: digest 0x%016llxULL, pinned 0x%016llxULL", sampler_name[k],
                      (unsigned long long)digest(k), (unsigned long long)pinned[k]);
}
END_TEST

/* One call of 1000 = calls of 1 + 13 + 486 + 500, and mixing samplers. */
START_TEST(test_split_same)
{
    double one[1000], parts[1000];
    for (int k = 0; k < NSAMPLERS; k++) {
        vrng a, b;
        vrng_seed(&a, 1, 2, 3, 4);
        vrng_seed(&b, 1, 2, 3, 4);
        draw(&a, k, one, 1000);
        draw(&b, k, parts, 1);
        draw(&b, k, parts + 1, 13);
        draw(&b, k, parts + 14, 486);
        draw(&b, k, parts + 500, 500);
        ck_assert_msg(memcmp(one, parts, sizeof one) == 0, "%s: split calls differ from one call", sampler_name[k]);
    }
}
END_TEST

START_TEST(test_keys)
{
    double x[512], y[512];
    vrng a, b;
    vrng_seed(&a, 9, 1, 0, 0);
    vrng_seed(&b, 9, 1, 0, 0);
    vrng_uniform(&a, x, 512);
    vrng_uniform(&b, y, 512);
    ck_assert(memcmp(x, y, sizeof x) == 0);
    const uint64_t keys[][4] = {{10, 1, 0, 0}, {9, 2, 0, 0}, {9, 1, 1, 0}, {9, 1, 0, 1}};
    for (int i = 0; i < 4; i++) {
        vrng_seed(&b, keys[i][0], keys[i][1], keys[i][2], keys[i][3]);
        vrng_uniform(&b, y, 512);
        int same = 0;
        for (int j = 0; j < 512; j++)
            same += x[j] == y[j];
        ck_assert_msg(same == 0, "key %d: %d of 512 outputs equal", i, same);
    }
}
END_TEST

/* ---- exact distributions ---- */

static double phi_diff(double a, double b) /* Phi(b) - Phi(a), accurate in either tail */
{
    return a > 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b) : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
}

/* The truncated lognormals' (mu, sigma, lo, hi); 0 when k is not one. */
static int trunc_par(int k, double *mu, double *sigma, double *lo, double *hi)
{
    switch (k) {
    case 4: *mu = 8, *sigma = 1, *lo = exp(8.0), *hi = INFINITY; return 1;
    case 5: *mu = 8, *sigma = 1, *lo = exp(7.0), *hi = exp(8.5); return 1;
    case 6: *mu = BENCH_MU, *sigma = 0.8, *lo = 1500, *hi = 50000; return 1;
    case 12: *mu = 0, *sigma = 0.5, *lo = 0, *hi = 0.8; return 1;
    }
    return 0;
}

static double gamma_shape(int k) { return k == 7 || k == 10 ? 4 : k == 8 ? 0.5 : 1; }
static double gamma_scale(int k) { return k == 10 ? 3.5 : k == 8 ? 2 : 1; }

/* E[X^j], j = 0..6, in closed form. */
static void raw_moments(int k, double m[7])
{
    double mu = 0, sigma = 1, lo = 0, hi = INFINITY;
    for (int j = 0; j <= 6; j++) {
        switch (k) {
        case 0:
        case 1: m[j] = 1.0 / (j + 1); break;
        case 2: {
            /* N(1.5, 2^2): sum over even i of C(j, i) 1.5^(j-i) 2^i (i-1)!! */
            static const double binom[7][7] = {
                {1}, {1, 1}, {1, 2, 1}, {1, 3, 3, 1}, {1, 4, 6, 4, 1}, {1, 5, 10, 10, 5, 1}, {1, 6, 15, 20, 15, 6, 1}};
            static const double dfact[7] = {1, 0, 1, 0, 3, 0, 15};
            m[j] = 0;
            for (int i = 0; i <= j; i += 2)
                m[j] += binom[j][i] * pow(1.5, j - i) * pow(2.0, i) * dfact[i];
            break;
        }
        case 3: m[j] = exp(j * BENCH_MU + j * j * 0.64 / 2); break;
        case 7:
        case 8:
        case 9:
        case 10: {
            double a = gamma_shape(k), p = 1;
            for (int i = 0; i < j; i++)
                p *= (a + i) * gamma_scale(k);
            m[j] = p;
            break;
        }
        case 11: m[j] = j == 0 ? 1 : m[j - 1] * j * 2.0; break;
        default: {
            trunc_par(k, &mu, &sigma, &lo, &hi);
            double a = lo > 0 ? (log(lo) - mu) / sigma : -INFINITY, b = isinf(hi) ? INFINITY : (log(hi) - mu) / sigma;
            m[j] = exp(j * mu + j * j * sigma * sigma / 2) * phi_diff(a - j * sigma, b - j * sigma) / phi_diff(a, b);
        }
        }
    }
}

static double cdf(int k, double x)
{
    double mu = 0, sigma = 1, lo = 0, hi = INFINITY;
    switch (k) {
    case 0:
    case 1: return x < 0 ? 0 : x > 1 ? 1 : x;
    case 2: return gsl_cdf_gaussian_P(x - 1.5, 2.0);
    case 3: return gsl_cdf_lognormal_P(x, BENCH_MU, 0.8);
    case 7:
    case 8:
    case 9:
    case 10: return gsl_cdf_gamma_P(x, gamma_shape(k), gamma_scale(k));
    case 11: return gsl_cdf_exponential_P(x, 2.0);
    default: {
        trunc_par(k, &mu, &sigma, &lo, &hi);
        if (x <= lo)
            return 0;
        if (x >= hi)
            return 1;
        double a = lo > 0 ? (log(lo) - mu) / sigma : -INFINITY, b = isinf(hi) ? INFINITY : (log(hi) - mu) / sigma;
        return phi_diff(a, (log(x) - mu) / sigma) / phi_diff(a, b);
    }
    }
}

static size_t stat_n(void) { return getenv("FIANZA_TEST_VALGRIND") ? 100000 : 1000000; }
static double sample[1000000];

static void draw_sample(int k, size_t n)
{
    vrng v;
    vrng_seed(&v, 20261201, 5, 0, (uint64_t)k);
    /* the engine's batch size, 512, and an odd remainder */
    for (size_t done = 0; done < n; done += n - done < 512 ? n - done : 512)
        draw(&v, k, sample + done, n - done < 512 ? n - done : 512);
}

/* Mean, variance and skewness against the exact ones.  With mu_j the exact
 * central moments and n draws, the standard errors are (delta method):
 *   mean      sqrt(mu2 / n)
 *   variance  sqrt((mu4 - mu2^2) / n)
 *   skewness  g1 = m3 / m2^(3/2): n Var(m3) = mu6 - mu3^2 - 6 mu4 mu2 + 9 mu2^3,
 *             n Cov(m2, m3) = mu5 - 4 mu3 mu2, n Var(m2) = mu4 - mu2^2, and
 *             Var(g1) = Var(m3)/mu2^3 - 3 mu3 Cov(m2, m3)/mu2^4 + 9/4 mu3^2 Var(m2)/mu2^5
 *             (6/n for the normal).
 * Each within 4 SE: a false alarm at 6e-5 per statistic. */
START_TEST(test_moments)
{
    int k = _i;
    size_t n = stat_n();
    draw_sample(k, n);
    double raw[7], c[7];
    raw_moments(k, raw);
    double m = raw[1];
    static const double binom[7][7] = {
        {1}, {1, 1}, {1, 2, 1}, {1, 3, 3, 1}, {1, 4, 6, 4, 1}, {1, 5, 10, 10, 5, 1}, {1, 6, 15, 20, 15, 6, 1}};
    for (int j = 0; j <= 6; j++) {
        c[j] = 0;
        for (int i = 0; i <= j; i++)
            c[j] += binom[j][i] * raw[i] * pow(-m, j - i);
    }
    double mean = 0, m2 = 0, m3 = 0;
    for (size_t i = 0; i < n; i++)
        mean += sample[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = sample[i] - mean;
        m2 += d * d;
        m3 += d * d * d;
    }
    m2 /= (double)n, m3 /= (double)n;
    double skew = m3 / pow(m2, 1.5), skew0 = c[3] / pow(c[2], 1.5);
    double var_m2 = (c[4] - c[2] * c[2]) / n, var_m3 = (c[6] - c[3] * c[3] - 6 * c[4] * c[2] + 9 * pow(c[2], 3)) / n,
           cov = (c[5] - 4 * c[3] * c[2]) / n;
    double se_mean = sqrt(c[2] / n), se_var = sqrt(var_m2),
           se_skew =
               sqrt(var_m3 / pow(c[2], 3) - 3 * c[3] * cov / pow(c[2], 4) + 2.25 * c[3] * c[3] * var_m2 / pow(c[2], 5));
    ck_assert_msg(fabs(mean - m) <= 4 * se_mean, "%s: mean %.8g, exact %.8g (SE %.3g)", sampler_name[k], mean, m,
                  se_mean);
    ck_assert_msg(fabs(m2 - c[2]) <= 4 * se_var, "%s: variance %.8g, exact %.8g (SE %.3g)", sampler_name[k], m2, c[2],
                  se_var);
    ck_assert_msg(fabs(skew - skew0) <= 4 * se_skew, "%s: skewness %.6g, exact %.6g (SE %.3g)", sampler_name[k], skew,
                  skew0, se_skew);
}
END_TEST

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One-sample Kolmogorov-Smirnov: sqrt(n) D_n against Kolmogorov's
 * distribution, whose 0.999 quantile is 1.9495 (alpha = 0.001; n >= 10^5
 * makes the finite-n correction negligible).  The lag-j correlations
 * r_j = sum (x_i - m)(x_{i+j} - m) / sum (x_i - m)^2 of an independent
 * sequence have SE 1/sqrt(n): each within 4 SE. */
START_TEST(test_ks_and_lags)
{
    int k = _i;
    size_t n = stat_n();
    draw_sample(k, n);
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        mean += sample[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (sample[i] - mean) * (sample[i] - mean);
    for (size_t lag = 1; lag <= 8; lag++) {
        double s = 0;
        for (size_t i = 0; i + lag < n; i++)
            s += (sample[i] - mean) * (sample[i + lag] - mean);
        double r = s / ss;
        ck_assert_msg(fabs(r) <= 4 / sqrt((double)n), "%s: lag-%zu correlation %.3g (SE %.3g)", sampler_name[k], lag, r,
                      1 / sqrt((double)n));
    }
    qsort(sample, n, sizeof *sample, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(k, sample[i]);
        d = fmax(d, fmax(f - (double)i / n, (double)(i + 1) / n - f));
    }
    ck_assert_msg(sqrt((double)n) * d < 1.9495, "%s: KS sqrt(n) D = %.4f >= 1.9495 (alpha 0.001)", sampler_name[k],
                  sqrt((double)n) * d);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(isfinite(sample[i]), "%s: draw %zu not finite", sampler_name[k], i);
}
END_TEST

/* ---- exp and log ---- */

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Distance in representable doubles (ulps, subnormals included) of two
 * numbers of the same sign; equal infinities are 0 apart. */
static double ulps(double a, double b)
{
    if (a == b)
        return 0;
    if (!isfinite(a) || !isfinite(b) || signbit(a) != signbit(b))
        return INFINITY;
    uint64_t x = bits_of(a), y = bits_of(b);
    return (double)(x > y ? x - y : y - x);
}

static uint64_t mix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double worst_exp, worst_log;

static void check_exp(double x)
{
    double a = vrng_exp(x), b = exp(x), e = ulps(a, b);
    ck_assert_msg(e <= 2, "vrng_exp(%.17g) = %.17g, exp %.17g (%.3g ulp)", x, a, b, e);
    worst_exp = fmax(worst_exp, e);
}

static void check_log(double x)
{
    double a = vrng_log(x), b = log(x), e = ulps(a, b);
    ck_assert_msg(e <= 2, "vrng_log(%.17g) = %.17g, log %.17g (%.3g ulp)", x, a, b, e);
    worst_log = fmax(worst_log, e);
}

/* 10^6 points: 400,000 over the whole domain [-746, 710], 400,000 over
 * [-40, 40] (the samplers' range: mu + sigma z, log(u) / shape), 200,000
 * near 0; and the edges: zero, tiny, the rounding boundaries of k at
 * +-ln2/2, the largest finite and the subnormal results, overflow. */
START_TEST(test_exp_accuracy)
{
    uint64_t s = 42;
    for (int i = 0; i < 1000000; i++) {
        double u = (double)(mix(&s) >> 11) * 0x1p-53;
        check_exp(i < 400000 ? -746 + 1456 * u : i < 800000 ? -40 + 80 * u : (u - 0.5) * 1e-3);
    }
    const double edge[] = {0.0,
                           -0.0,
                           1e-300,
                           -1e-300,
                           DBL_TRUE_MIN,
                           0x1p-30,
                           -0x1p-30,
                           0.34657359027997264,
                           -0.34657359027997264,
                           0.3465735902799727,
                           1,
                           -1,
                           709.78271289338397,
                           709.7827128933841,
                           709.79,
                           1000,
                           -708.39641853226408,
                           -708.4,
                           -745.13321910194110,
                           -745.1332191019412,
                           -745.2,
                           -1000,
                           INFINITY,
                           -INFINITY};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        check_exp(edge[i]);
    ck_assert(vrng_exp(710) == INFINITY && vrng_exp(-746) == 0 && vrng_exp(0) == 1);
    fprintf(stderr, "vrng_exp: worst %.0f ulp from libm's exp\n", worst_exp);
}
END_TEST

/* 10^6 points: 400,000 of the samplers' inputs (uniform_pos), 400,000 of
 * random positive finite bit patterns (every exponent, subnormals
 * included), 200,000 within 10^-3 of 1 (cancellation); and the edges. */
START_TEST(test_log_accuracy)
{
    uint64_t s = 7;
    vrng v;
    vrng_seed(&v, 1, 1, 1, 1);
    static double u[400000];
    vrng_uniform_pos(&v, u, 400000);
    for (int i = 0; i < 400000; i++)
        check_log(u[i]);
    for (int i = 0; i < 400000; i++) {
        uint64_t b = mix(&s) & 0x7FFFFFFFFFFFFFFFULL;
        double x;
        memcpy(&x, &b, sizeof x);
        if (isfinite(x) && x > 0)
            check_log(x);
    }
    for (int i = 0; i < 200000; i++)
        check_log(1 + ((double)(mix(&s) >> 11) * 0x1p-53 - 0.5) * 2e-3);
    const double edge[] = {1,
                           0x1.fffffffffffffp-1,
                           0x1.0000000000001p0,
                           DBL_MIN,
                           DBL_TRUE_MIN,
                           DBL_MAX,
                           0x1p-53,
                           1 - 0x1p-53,
                           0x1p-54,
                           0.70710678118654752,
                           0.7071067811865476,
                           1.4142135623730951,
                           2,
                           0.5,
                           1e-300,
                           1e300};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        check_log(edge[i]);
    ck_assert(vrng_log(1) == 0);
    fprintf(stderr, "vrng_log: worst %.0f ulp from libm's log\n", worst_log);
}
END_TEST

Suite *make_vrng_suite(void)
{
    Suite *s = suite_create("vrng");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_vector_equals_reference, 0, 2);
    tcase_add_test(tc, test_split_same);
    tcase_add_test(tc, test_digest);
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_exp_accuracy);
    tcase_add_test(tc, test_log_accuracy);
    suite_add_tcase(s, tc);
    TCase *st = tcase_create("statistics");
    tcase_set_timeout(st, 600);
    tcase_add_loop_test(st, test_moments, 0, NSAMPLERS);
    tcase_add_loop_test(st, test_ks_and_lags, 0, NSAMPLERS);
    suite_add_tcase(s, st);
    return s;
}

FZ_CHECK_MAIN(vrng)
