/* check_sort_fast: the engine's sort and cheapest_first grid (issue 16,
 * "sort compact keys", the grid walked by the cases) give bit for bit what
 * the plain algorithms give.
 *
 * - engine_sort_cases (records scattered by bucket, linear in the key or
 *   in its bit pattern, one insertion pass with ties by ready time, the
 *   per-bucket and merge sort fallbacks) against a
 *   reference stable merge sort written here, on adversarial inputs:
 *   ties in cost and in ready time (draw order must break them), a long
 *   run of equal costs (a fixed bond, seed-2025's mixture), -0.0 and
 *   +0.0, denormals, infinite costs, every key equal, sorted and reversed
 *   input, one far outlier (a single huge bucket), bench.ini's lognormal
 *   costs and log-uniform keys over 2,000 octaves (the buckets on the bit
 *   pattern), keys a few ulps apart, keys whose sum overflows, both
 *   policies, n from 0
 *   to 20,000 (each case's arrive field is its draw index, so the whole
 *   permutation is compared);
 * - engine_grid_cheapest (a search per paid case, fills between) against
 *   the plain merge of the grid and the cases, on such cost orders and on
 *   grids with awkward steps (77, 333.3, 0.1, a step of 0: the fallback). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "engine.h"
#include "engine_int.h"

/* splitmix64: the test's own choices. */
static uint64_t gen_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double gen_unit(uint64_t *st) { return (double)(gen_next(st) >> 11) * 0x1p-53; }

/* The reference order (engine_int.h): cost, then ready time, for
 * cheapest_first; ready time for first_come; stable. */
static int ref_after(const engine_case *a, const engine_case *b, scenario_policy p)
{
    if (p != POLICY_CHEAPEST_FIRST)
        return a->ready > b->ready;
    return a->cost > b->cost || (a->cost == b->cost && a->ready > b->ready);
}

static void ref_sort(engine_case *cs, engine_case *tmp, size_t n, scenario_policy p)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    ref_sort(cs, tmp, mid, p);
    ref_sort(cs + mid, tmp, n - mid, p);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = ref_after(&cs[i], &cs[j], p) ? cs[j++] : cs[i++];
    while (i < mid)
        tmp[k++] = cs[i++];
    while (j < n)
        tmp[k++] = cs[j++];
    memcpy(cs, tmp, n * sizeof *cs);
}

/* A workspace holding n cases, its arrays as engine.c's grow() sizes them. */
static engine_ws *ws_with(size_t n)
{
    engine_ws *ws = engine_ws_new();
    ck_assert_ptr_nonnull(ws);
    size_t cap = n ? n : 1;
    ws->cases = malloc(cap * sizeof *ws->cases);
    ws->tmp = malloc(cap * sizeof *ws->tmp);
    ws->bucket = malloc(cap * sizeof *ws->bucket);
    ws->start = malloc((cap + 1) * sizeof *ws->start);
    ws->gsum = malloc(3 * (cap + 1) * sizeof *ws->gsum);
    ck_assert(ws->cases && ws->tmp && ws->bucket && ws->start && ws->gsum);
    ws->cap = cap;
    ws->n = n;
    return ws;
}

enum { K_SMOOTH, K_TIES, K_ZEROS, K_DENORMAL, K_INF, K_EQUAL, K_SORTED, K_REVERSED, K_OUTLIER, K_READY_TIES, K_FIXED_MIX,
       K_LOGNORMAL, K_OCTAVES, K_ULPS, K_HUGE, NKINDS };

/* Case i of an input of kind `kind`. */
static engine_case gen_case(uint64_t *st, int kind, size_t i, size_t n)
{
    double u = gen_unit(st), v = gen_unit(st);
    engine_case c = {0, (double)i, 0, 0};
    c.ready = 90 * v;
    c.release = c.ready + 1;
    switch (kind) {
    case K_SMOOTH: /* lognormal-looking, truncated at 1,500 */
        c.cost = 1500 + 3000 * exp(2 * u) - 3000;
        break;
    case K_TIES: /* few distinct costs and ready times */
        c.cost = 1500.0 * (double)(1 + gen_next(st) % 3);
        c.ready = (double)(gen_next(st) % 4);
        break;
    case K_ZEROS: /* -0.0 and +0.0 (equal as costs), and a few others */
        c.cost = u < 0.4 ? -0.0 : u < 0.8 ? 0.0 : 1000 * v;
        c.ready = (double)(gen_next(st) % 5);
        if (gen_next(st) % 2)
            c.ready = -c.ready; /* -0.0 ready times too */
        break;
    case K_DENORMAL:
        c.cost = u < 0.5 ? 0x1p-1060 * (double)(gen_next(st) % 7) : 0x1p-1022 * v;
        c.ready = u < 0.3 ? 0x1p-1070 * (double)(gen_next(st) % 3) : v;
        break;
    case K_INF:
        c.cost = u < 0.1 ? INFINITY : 100 * v;
        c.ready = u > 0.9 ? INFINITY : c.ready;
        break;
    case K_EQUAL:
        c.cost = 1500;
        c.ready = 5;
        if (gen_next(st) % 3 == 0)
            c.ready = 2 * v;
        break;
    case K_SORTED:
        c.cost = (double)i;
        c.ready = (double)i / 2;
        break;
    case K_REVERSED:
        c.cost = (double)(n - i);
        c.ready = (double)(n - i) * 0.25;
        break;
    case K_OUTLIER: /* one far key: the rest share one bucket */
        c.cost = i == n / 2 ? 1e300 : 1500 + u;
        c.ready = i == 0 ? -1e300 : 10 + v;
        break;
    case K_FIXED_MIX: /* seed-2025's bonds: 42% exactly 1,500 (one long run of equal costs) */
        c.cost = u < 0.42 ? 1500 : 1500 + 2000 * exp(v) - 2000;
        break;
    case K_LOGNORMAL: /* bench.ini's North: lognormal(3000, 0.8) in [1,500, 15,000], the bit-pattern buckets */
        do {
            double z = sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
            c.cost = 3000 * exp(0.8 * z);
            u = gen_unit(st), v = gen_unit(st);
        } while (!(c.cost >= 1500 && c.cost <= 15000));
        c.ready = 14 + 7 * (u - 0.5) + (double)(gen_next(st) % 90);
        break;
    case K_OCTAVES: /* log-uniform over 2^-1000 .. 2^1000: a bit range past 2^32 (the shift) */
        c.cost = ldexp(1 + u, (int)(gen_next(st) % 2001) - 1000);
        c.ready = ldexp(1 + v, (int)(gen_next(st) % 64));
        break;
    case K_ULPS: /* keys a few ulps apart (a bit range of a few units), some equal */
        c.cost = 1500 * (1 + 0x1p-52 * (double)(gen_next(st) % 9));
        c.ready = 0x1p-40 + 0x1p-92 * (double)(gen_next(st) % 5);
        break;
    case K_HUGE: /* keys near DBL_MAX: their sum overflows (the merge sort) */
        c.cost = 0x1p1020 * (1 + u);
        c.ready = u < 0.5 ? -0x1p1020 * (1 + v) : 0x1p1020 * v;
        break;
    case K_READY_TIES: /* distinct costs, ready times in a few values */
        c.cost = 3000 * u;
        c.ready = (double)(gen_next(st) % 3);
        break;
    }
    return c;
}

static void check_sort(int kind, size_t n, scenario_policy p, uint64_t seed)
{
    uint64_t st = seed;
    engine_ws *ws = ws_with(n);
    engine_case *ref = malloc((n ? n : 1) * sizeof *ref), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    ck_assert(ref && tmp);
    for (size_t i = 0; i < n; i++)
        ws->cases[i] = ref[i] = gen_case(&st, kind, i, n);
    ref_sort(ref, tmp, n, p);
    engine_sort_cases(ws, p);
    size_t m;
    const engine_case *got = engine_cases(ws, &m);
    ck_assert_uint_eq(m, n);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&got[i], &ref[i], sizeof *ref))
            ck_abort_msg("kind %d, n %zu, policy %d: place %zu holds case %.17g (cost %.17g, ready %.17g), "
                         "the reference case %.17g (cost %.17g, ready %.17g)",
                         kind, n, (int)p, i, got[i].arrive, got[i].cost, got[i].ready, ref[i].arrive, ref[i].cost,
                         ref[i].ready);
    free(ref);
    free(tmp);
    engine_ws_free(ws);
}

START_TEST(sort_matches_reference)
{
    static const size_t sizes[] = {0, 1, 2, 3, 16, 17, 31, 32, 33, 34, 64, 100, 333, 1000, 4096, 20000};
    for (int kind = 0; kind < NKINDS; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            for (int p = 0; p < 2; p++)
                for (uint64_t seed = 1; seed <= (sizes[s] > 1000 ? 2u : 6u); seed++)
                    check_sort(kind, sizes[s], p ? POLICY_CHEAPEST_FIRST : POLICY_FIRST_COME,
                               seed * 7919 + (uint64_t)kind * 104729 + sizes[s]);
}
END_TEST

/* -0.0 and +0.0 costs are equal: ready time, then draw order, decides,
 * whichever zero a case has. */
START_TEST(sort_signed_zeros)
{
    const size_t n = 40;
    engine_ws *ws = ws_with(n);
    for (size_t i = 0; i < n; i++) /* costs alternate -0.0, +0.0, one dearer case; ready times fall */
        ws->cases[i] = (engine_case){i % 3 == 2 ? 5.0 : i % 2 ? 0.0 : -0.0, (double)i, 0, (double)(n - i) / 4};
    engine_sort_cases(ws, POLICY_CHEAPEST_FIRST);
    size_t m;
    const engine_case *cs = engine_cases(ws, &m);
    ck_assert_uint_eq(m, n);
    for (size_t i = 1; i < n; i++) {
        ck_assert(!(cs[i - 1].cost > cs[i].cost));
        if (cs[i - 1].cost == cs[i].cost)
            ck_assert(cs[i - 1].ready < cs[i].ready); /* distinct ready times here */
    }
    ck_assert(cs[0].arrive == 39 && cs[0].ready == 0.25); /* the zero-cost case ready first, -0.0 or not */
    ck_assert(cs[n - 1].cost == 5 && cs[n - 1].arrive == 2);
    engine_ws_free(ws);
}
END_TEST

/* The plain merge of the grid and the cases (what engine_grid_cheapest
 * replaced). */
static void ref_grid(const engine_case *cs, size_t n, double H, double step, size_t ngrid, double *rel, double *fre)
{
    size_t k = 0;
    double spent = 0, freedom = 0;
    for (size_t g = 0; g < ngrid; g++) {
        double x = (double)g * step;
        while (k < n && spent + cs[k].cost <= x) {
            spent += cs[k].cost;
            freedom += H > cs[k].release ? H - cs[k].release : 0;
            k++;
        }
        rel[g] = (double)k;
        fre[g] = freedom;
    }
}

START_TEST(grid_cheapest_matches_merge)
{
    static const double steps[] = {500, 77, 333.3, 0.1, 1500, 1e-300, 0, -5};
    static const size_t sizes[] = {0, 1, 2, 5, 40, 400, 3000};
    static const size_t grids[] = {0, 1, 2, 601, 4001};
    for (int kind = 0; kind < NKINDS; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            const size_t n = sizes[s];
            uint64_t st = 0x5eedull + (uint64_t)kind * 31 + n;
            engine_ws *ws = ws_with(n);
            for (size_t i = 0; i < n; i++)
                ws->cases[i] = gen_case(&st, kind, i, n);
            engine_sort_cases(ws, POLICY_CHEAPEST_FIRST);
            size_t m;
            const engine_case *cs = engine_cases(ws, &m);
            for (size_t a = 0; a < sizeof steps / sizeof *steps; a++)
                for (size_t b = 0; b < sizeof grids / sizeof *grids; b++) {
                    const size_t G = grids[b];
                    double *r1 = malloc((G + 1) * sizeof *r1), *f1 = malloc((G + 1) * sizeof *f1);
                    double *r2 = malloc((G + 1) * sizeof *r2), *f2 = malloc((G + 1) * sizeof *f2);
                    ck_assert(r1 && f1 && r2 && f2);
                    /* the step scaled to the costs: a few cases a grid point */
                    double step = kind == K_SMOOTH || kind == K_TIES ? steps[a] : steps[a] / 500;
                    ref_grid(cs, m, 90, step, G, r1, f1);
                    engine_grid_cheapest(cs, m, 90, step, G, r2, f2);
                    if (G && (memcmp(r1, r2, G * sizeof *r1) || memcmp(f1, f2, G * sizeof *f1)))
                        ck_abort_msg("kind %d, n %zu, step %g, grid %zu: curves differ", kind, n, step, G);
                    free(r1);
                    free(f1);
                    free(r2);
                    free(f2);
                }
            engine_ws_free(ws);
        }
}
END_TEST

/* Negative and NaN costs (no scenario gives them): still the merge's
 * comparisons, point for point. */
START_TEST(grid_cheapest_odd_costs)
{
    engine_case cs[6] = {{-100, 0, 1, 0}, {250, 1, 2, 0}, {250, 2, 95, 0}, {NAN, 3, 4, 0}, {10, 4, 5, 0}, {1, 5, 6, 0}};
    double r1[50], f1[50], r2[50], f2[50];
    for (size_t n = 0; n <= 6; n++) {
        ref_grid(cs, n, 90, 25, 50, r1, f1);
        engine_grid_cheapest(cs, n, 90, 25, 50, r2, f2);
        ck_assert(!memcmp(r1, r2, sizeof r1) && !memcmp(f1, f2, sizeof f1));
    }
    ck_assert(r2[0] == 1 && r2[12] == 2 && r2[49] == 3); /* -100 paid at x = 0; NaN stops the prefix */
}
END_TEST

Suite *make_sort_fast_suite(void)
{
    Suite *s = suite_create("sort_fast");
    TCase *t = tcase_create("sort");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, sort_matches_reference);
    tcase_add_test(t, sort_signed_zeros);
    tcase_add_test(t, grid_cheapest_matches_merge);
    tcase_add_test(t, grid_cheapest_odd_costs);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(sort_fast)
