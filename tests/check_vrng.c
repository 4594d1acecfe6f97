/* check_vrng: the batched samplers (models/vrng.c, models/vrng.h).
 *
 *   - the vector path equals the per-lane scalar reference (v->ref = 1) bit
 *     for bit, for every sampler, whatever the split of the calls;
 *   - splitting a batch into calls gives the same numbers as one call;
 *   - the same key gives the same numbers, another key others. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check_common.h"
#include "vrng.h"

enum { NSAMPLERS = 10 };
static const char *const sampler_name[NSAMPLERS] = {
    "uniform", "uniform_pos", "normal", "lognormal", "trunc_median", "trunc_band", "gamma4", "gamma05", "gamma1",
    "exponential"};

/* n draws of sampler k. */
static void draw(vrng *v, int k, double *out, size_t n)
{
    switch (k) {
    case 0: vrng_uniform(v, out, n); break;
    case 1: vrng_uniform_pos(v, out, n); break;
    case 2: vrng_normal(v, out, n, 1.5, 2.0); break;
    case 3: vrng_lognormal(v, out, n, 8.0, 1.0); break;
    case 4: vrng_lognormal_trunc(v, out, n, 8.0, 1.0, exp(8.0), INFINITY); break;
    case 5: vrng_lognormal_trunc(v, out, n, 8.0, 1.0, exp(7.0), exp(8.5)); break;
    case 6: vrng_gamma(v, out, n, 4.0, 3.5); break;
    case 7: vrng_gamma(v, out, n, 0.5, 2.0); break;
    case 8: vrng_gamma(v, out, n, 1.0, 1.0); break;
    case 9: vrng_exponential(v, out, n, 2.0); break;
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

Suite *make_vrng_suite(void)
{
    Suite *s = suite_create("vrng");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_vector_equals_reference, 0, 2);
    tcase_add_test(tc, test_split_same);
    tcase_add_test(tc, test_keys);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(vrng)
