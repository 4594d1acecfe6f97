/* check_rng: the random streams (models/rng.c, models/rng.h).
 *
 *   - the fast path is active: rng_new leaves rng_fast_ready set (rng.c
 *     probes GSL's ziggurat tables and silently falls back to GSL's own
 *     functions when they differ: results stay right but the hot loops lose
 *     their inline samplers, which nothing else would notice), and its
 *     tables take the fast branch as often as the ziggurat should;
 *   - the inline samplers equal GSL's on the same uniforms: rng_uniform,
 *     rng_uniform_pos, rng_get, rng_gaussian_ziggurat, rng_gamma and
 *     rng_gamma_dc against gsl_rng_uniform, gsl_rng_uniform_pos,
 *     gsl_rng_get, gsl_ran_gaussian_ziggurat and gsl_ran_gamma on a twin
 *     generator with the same key: every value bit for bit and the two
 *     states equal after every draw, rejection branches included;
 *   - streams are keyed: the same key gives the same draws, another stream,
 *     replication or region other draws. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check_common.h"
#include "rng.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))

static int same_bits(double x, double y) { return memcmp(&x, &y, sizeof x) == 0; }

static int same_state(const gsl_rng *a, const gsl_rng *b) { return memcmp(a->state, b->state, sizeof(rng_state)) == 0; }

/* The ziggurat's geometry from its two constants, independent of rng.c's
 * probe: GSL's gsl_ran_gaussian_ziggurat (Marsaglia and Tsang 2000) uses
 * n = 128 layers of equal area v under f(x) = exp(-x^2/2) with the base
 * layer's edge R = 3.44428647676 (PARAM_R in randist/gausszig.c) and
 * Marsaglia and Tsang's v = 9.91256303526217e-3, so
 *   x[127] = v/f(R),  x[126] = R,  x[i-1] = f^-1(f(x[i]) + v/x[i]),
 * and layer i >= 1 takes the fast branch when j < 2^24 x[i-1]/x[i] (j of 24
 * bits; layer 0, the top, never does): k[i] = 2^24 x[i-1]/x[i] and the
 * fast step's width w[i] = x[i]/2^24.  That R and that v come from slightly
 * different constructions (Marsaglia and Tsang's v belongs to r = 3.4426),
 * and GSL's tables follow neither exactly: they differ from this geometry
 * by up to 0.13% (layer 1).  A 0.2% tolerance still catches zero, garbled
 * or shifted tables (neighbouring edges x[i] differ by >= 0.8%).  The fast fraction is then the mean of k[i]/2^24 over
 * the 128 layers, 0.9724; in n = 100,000 draws it is within 6 binomial sd (0.0031) of that unless the inline branch is
 * wrong. */
START_TEST(test_fast_path_active)
{
    gsl_rng *r = rng_new();
    ck_assert_msg(rng_fast_ready, "rng.c fell back to GSL's samplers: the probe of gsl_ran_gaussian_ziggurat's tables "
                                  "or the self-check failed (another GSL version?)");
    const double R = 3.44428647676, fR = exp(-R * R / 2), two24 = 16777216.0;
    const double v = 9.91256303526217e-3;
    double x[128], p_fast = 0;
    x[127] = v / fR, x[126] = R;
    for (int i = 126; i >= 1; i--)
        x[i - 1] = sqrt(-2 * log(exp(-x[i] * x[i] / 2) + v / x[i]));
    ck_assert_uint_eq(rng_zig_k[0], 0);
    for (int i = 1; i < 128; i++) {
        double k = two24 * x[i - 1] / x[i];
        ck_assert_msg(fabs(rng_zig_k[i] - k) <= 2e-3 * k, "layer %d: k %u, geometry %.1f", i, rng_zig_k[i], k);
        ck_assert_msg(fabs(rng_zig_w[i] * two24 / x[i] - 1) < 2e-3, "layer %d: w %.17g, geometry %.17g", i,
                      rng_zig_w[i], x[i] / two24);
        p_fast += k / two24 / 128;
    }
    rng_seed(r, 20251218, 9, 0, 0);
    rng_state st = *rng_state_of(r);
    const int n = 100000;
    int fast = 0;
    for (int k = 0; k < n; k++) {
        unsigned long u = rng_get(&st), i = u & 0x7f, j = (u >> 8) & 0xFFFFFF;
        fast += j < rng_zig_k[i];
    }
    double sd = sqrt(p_fast * (1 - p_fast) / n);
    ck_assert_msg(fabs((double)fast / n - p_fast) <= 6 * sd,
                  "the inline ziggurat takes its fast branch in %d of %d "
                  "draws, geometry says %.4f",
                  fast, n, p_fast);
    gsl_rng_free(r);
}
END_TEST

/* Twin generators a (inline) and b (GSL) on one key. */
static void twins(gsl_rng **a, gsl_rng **b, uint64_t rep)
{
    *a = rng_new();
    *b = rng_new();
    rng_seed(*a, 424242, 31, rep, 2);
    rng_seed(*b, 424242, 31, rep, 2);
}

START_TEST(test_uniforms_same_as_gsl)
{
    gsl_rng *a, *b;
    twins(&a, &b, 0);
    rng_state *st = rng_state_of(a);
    for (int k = 0; k < 100000; k++) {
        double x = rng_uniform(st), y = gsl_rng_uniform(b);
        ck_assert_msg(same_bits(x, y) && x >= 0 && x < 1, "draw %d: uniform %.17g, GSL %.17g", k, x, y);
        x = rng_uniform_pos(st), y = gsl_rng_uniform_pos(b);
        ck_assert_msg(same_bits(x, y) && x > 0 && x < 1, "draw %d: uniform_pos %.17g, GSL %.17g", k, x, y);
        unsigned long g = rng_get(st), h = gsl_rng_get(b);
        ck_assert_msg(g == h && g <= gsl_rng_max(b), "draw %d: get %lu, GSL %lu", k, g, h);
        ck_assert_msg(same_state(a, b), "draw %d: states differ", k);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

/* Enough draws that the rejection branches run: the ziggurat's slow branch
 * about 2.8% of the time, the gamma's squeeze failing about 1-2%. */
START_TEST(test_gaussian_same_as_gsl)
{
    static const double sigmas[] = {1, 0.25, 3.5, 1e-3, 1e3};
    gsl_rng *a, *b;
    twins(&a, &b, 1);
    int slow = 0;
    for (int k = 0; k < 200000; k++) {
        double sigma = sigmas[k % NELEM(sigmas)];
        rng_state before = *rng_state_of(a);
        double x = rng_gaussian_ziggurat(a, sigma), y = gsl_ran_gaussian_ziggurat(b, sigma);
        ck_assert_msg(same_bits(x, y), "draw %d (sigma %g): inline %.17g, GSL %.17g", k, sigma, x, y);
        ck_assert_msg(same_state(a, b), "draw %d: states differ", k);
        rng_get(&before); /* one output: the fast branch; more: the slow one */
        slow += memcmp(&before, rng_state_of(a), sizeof before) != 0;
    }
    ck_assert_msg(slow > 1000, "the slow branch ran %d times in 200,000 draws: not compared", slow);
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

START_TEST(test_gamma_same_as_gsl)
{
    static const double shapes[] = {0.05, 0.3, 0.999, 1, 1.5, 2.5, 4, 30, 1e4};
    gsl_rng *a, *b;
    twins(&a, &b, 2);
    for (size_t s = 0; s < NELEM(shapes); s++) {
        const double shape = shapes[s], scale = 7.25;
        for (int k = 0; k < 20000; k++) {
            double x = rng_gamma(a, shape, scale), y = gsl_ran_gamma(b, shape, scale);
            ck_assert_msg(same_bits(x, y), "shape %g draw %d: rng_gamma %.17g, GSL %.17g", shape, k, x, y);
            ck_assert_msg(same_state(a, b), "shape %g draw %d: states differ", shape, k);
            if (shape >= 1) { /* the engine's loop with d and c precomputed */
                const double d = shape - 1.0 / 3.0, c = (1.0 / 3.0) / sqrt(d);
                x = rng_gamma_dc(a, d, c, scale), y = gsl_ran_gamma(b, shape, scale);
                ck_assert_msg(same_bits(x, y), "shape %g draw %d: rng_gamma_dc %.17g, GSL %.17g", shape, k, x, y);
                ck_assert_msg(same_state(a, b), "shape %g draw %d: states differ after rng_gamma_dc", shape, k);
            }
        }
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}
END_TEST

START_TEST(test_streams_keyed)
{
    const uint64_t keys[][4] = {{5, 1, 0, 0}, {6, 1, 0, 0}, {5, 2, 0, 0}, {5, 1, 1, 0}, {5, 1, 0, 1}};
    double first[NELEM(keys)][4];
    gsl_rng *r = rng_new();
    for (size_t k = 0; k < NELEM(keys); k++) {
        rng_seed(r, keys[k][0], keys[k][1], keys[k][2], keys[k][3]);
        for (int j = 0; j < 4; j++)
            first[k][j] = gsl_rng_uniform(r);
        rng_seed(r, keys[k][0], keys[k][1], keys[k][2], keys[k][3]); /* re-seeding restarts the stream */
        ck_assert(same_bits(gsl_rng_uniform(r), first[k][0]));
    }
    /* 4 doubles of 53 bits equal by chance: probability 2^-212 */
    for (size_t k = 0; k < NELEM(keys); k++)
        for (size_t l = 0; l < k; l++)
            ck_assert_msg(memcmp(first[k], first[l], sizeof first[k]) != 0, "keys %zu and %zu give the same draws", k,
                          l);
    gsl_rng_free(r);
}
END_TEST

Suite *make_rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("fast");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fast_path_active);
    tcase_add_test(tc, test_uniforms_same_as_gsl);
    tcase_add_test(tc, test_gaussian_same_as_gsl);
    tcase_add_test(tc, test_gamma_same_as_gsl);
    tcase_add_test(tc, test_streams_keyed);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(rng)
