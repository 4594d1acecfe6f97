/* check_tails: issue 16's serial tails.
 *
 * - fixed_fmt writes what printf's "%.Nf" writes, byte for byte, on
 *   millions of random doubles, exact ties (odd multiples of 2^-(N+1)) and
 *   their neighbours, -0, tiny negatives, values at the fast path's limits,
 *   NaN and infinities;
 * - replications.csv (summary_reps_*) is byte-identical to the printf
 *   writer it replaced (ref_block below, kept verbatim) on hand-made
 *   extreme rows and on the evaluation of shipped scenarios;
 * - tally (exact percentiles, CVaR and histograms of integer values in
 *   constant memory) equals the sorted-array computations on random data. */
#define _GNU_SOURCE
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "eval.h"
#include "fixed.h"
#include "outdir.h"
#include "rng.h"
#include "scenario.h"
#include "split.h"
#include "stats.h"
#include "summary.h"
#include "tally.h"

/* splitmix64: the test's own random numbers */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s) { return (double)(mix(s) >> 11) * 0x1p-53; }

static int under_valgrind(void) { return getenv("FIANZA_TEST_VALGRIND") != NULL; }

/* fixed_fmt(x, d) against snprintf("%.*f"); counts the comparisons. */
static void same_as_printf(double x, int d)
{
    char want[512], got[FIXED_MAX];
    int n = snprintf(want, sizeof want, "%.*f", d, x);
    size_t m = fixed_fmt(got, x, d);
    ck_assert_msg((size_t)n == m && strcmp(want, got) == 0, "%%.%df of %a (%.17g): printf '%s', fixed '%s'", d, x, x,
                  want, got);
}

/* ---- fixed_fmt ---- */

START_TEST(test_fixed_special)
{
    const double v[] = {0.0,      -0.0,    1e-300,       -1e-300,     DBL_MIN,      -DBL_MIN,   4.9e-324,
                        -4.9e-324, 0.5,    1.5,          2.5,         -0.5,         -2.5,       0.125,
                        -0.125,   0.00005, -0.00005,     0.000049999, -0.000049999, 0.005,      -0.004,
                        1e15,     -1e15,   999999999999999.9, 1e12, 999999999999.99994, -1e12, 1e300,
                        DBL_MAX,  -DBL_MAX, INFINITY,    -INFINITY,   NAN,          -NAN,       9007199254740993.0,
                        4503599627370495.5, 1125899906842623.75, 0.1, 0.2, 0.3, 1.005, 2.675, 1.0000500000000001};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        for (int d = 0; d <= 6; d++) {
            same_as_printf(v[i], d);
            same_as_printf(nextafter(v[i], INFINITY), d);
            same_as_printf(nextafter(v[i], -INFINITY), d);
        }
}
END_TEST

/* x 10^N halfway between two integers: x = (2k + 1) / (2^(N+1) 5^N) is
 * a double only when 5^N divides 2k + 1, so the ties are x = j / 2^(N+1),
 * j odd; with them their neighbours and the doubles nearest to
 * (2k + 1) / (2 10^N), which are not ties. */
START_TEST(test_fixed_ties)
{
    uint64_t seed = 7;
    const size_t n = under_valgrind() ? 2000 : 200000;
    for (int d = 0; d <= 6; d++)
        for (size_t i = 0; i < n; i++) {
            uint64_t k = mix(&seed) % (i % 2 ? 1000 : (uint64_t)1 << 40);
            double sgn = i % 4 < 2 ? 1 : -1, near = (double)(2 * k + 1) * 0.5 / pow(10, d);
            double tie = ldexp((double)(2 * k + 1), -(d + 1));
            same_as_printf(sgn * near, d);
            same_as_printf(sgn * tie, d);
            same_as_printf(sgn * nextafter(tie, INFINITY), d);
            same_as_printf(sgn * nextafter(tie, 0), d);
        }
}
END_TEST

/* Random doubles of every magnitude the writer meets and more: uniform
 * mantissas with exponents from 2^-80 to 2^60, money amounts in cents
 * (k / 100, never exact), integers, quarter and eighth fractions. */
START_TEST(test_fixed_random)
{
    uint64_t seed = 2025;
    const size_t n = under_valgrind() ? 20000 : 1500000;
    static const int dec[] = {0, 2, 4};
    for (size_t i = 0; i < n; i++) {
        double x;
        switch (i % 5) {
        case 0:
            x = ldexp(0.5 + unit(&seed) / 2, (int)(mix(&seed) % 141) - 80);
            break;
        case 1:
            x = (double)(mix(&seed) % 100000000000ULL) / 100;
            break;
        case 2:
            x = (double)(mix(&seed) % 1000000);
            break;
        case 3:
            x = (double)(mix(&seed) % 100000000) / 8;
            break;
        default:
            x = unit(&seed) * pow(10, (double)(mix(&seed) % 16)) / 3;
            break;
        }
        if (mix(&seed) & 1)
            x = -x;
        same_as_printf(x, dec[i % 3]);
        if (i % 16 == 0)
            same_as_printf(x, (int)(mix(&seed) % 7));
    }
}
END_TEST

START_TEST(test_fixed_u64)
{
    const unsigned long long v[] = {0, 1, 9, 10, 99, 1000000, 18446744073709551615ULL, 10000000000000000000ULL};
    char want[32], got[32];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        snprintf(want, sizeof want, "%llu", v[i]);
        ck_assert_uint_eq(fixed_u64(got, v[i]), strlen(want));
        ck_assert_str_eq(got, want);
    }
}
END_TEST

/* ---- replications.csv against the printf writer ---- */

/* The writer replications.csv had before issue 16, verbatim (fprintf per
 * cell): the reference the new one must reproduce byte for byte. */
static void ref_header(FILE *f)
{
    fprintf(f, "replication,allocation,region,allocated_usd,releases,spent_usd,fundable,"
               "days_in_detention_mean,freedom_days,region_label\n");
}

static void ref_block(FILE *f, const scenario *s, const char *const *names, const eval_result *r, uint64_t first_rep,
                      size_t n, const engine_stats *stats)
{
    size_t C = s->nregions, K = r->nalloc;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            for (size_t c = 0; c < C; c++) {
                const engine_stats *e = &stats[(i * K + k) * C + c];
                fprintf(f, "%llu,%s,%s,%.2f,%.0f,%.2f,%.0f,", (unsigned long long)(first_rep + i), names[k],
                        s->regions[c].name, r->allocs[k].alloc[c], e->releases, e->spent, e->fundable);
                if (e->releases > 0)
                    fprintf(f, "%.4f", e->detention_days / e->releases);
                fprintf(f, ",%.4f,", e->freedom_days);
                summary_csv_text(f, s->regions[c].label);
                fputc('\n', f);
            }
}

/* Both writers side by side: the new one into an outdir, the reference
 * into memory. */
typedef struct tee {
    const scenario *s;
    const char *const *names;
    summary_reps *w;
    FILE *ref;
    char *ref_text;
    size_t ref_len;
    outdir *o;
    const char *out;
} tee;

static void tee_open(tee *t, const scenario *s, const char *const *names, const char *name)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    t->names = names;
    t->out = cu_path_in(cu_test_dir(name), "res");
    fz_error err = {0, ""};
    ck_assert_msg(outdir_begin(&t->o, t->out, NULL, 0, &err) == 0, "%s", err.msg);
    ck_assert_msg(summary_reps_open(&t->w, t->o, s, names, &err) == 0, "%s", err.msg);
    t->ref = open_memstream(&t->ref_text, &t->ref_len);
    ck_assert_ptr_nonnull(t->ref);
    ref_header(t->ref);
}

static int tee_block(void *ctx, const eval_result *r, uint64_t first_rep, size_t n, const engine_stats *stats,
                     fz_error *err)
{
    tee *t = ctx;
    ref_block(t->ref, t->s, t->names, r, first_rep, n, stats);
    return summary_reps_block(t->w, r, first_rep, n, stats, err);
}

/* Closes both and compares replications.csv with the reference; returns
 * the number of rows. */
static size_t tee_compare(tee *t)
{
    fz_error err = {0, ""};
    ck_assert_msg(summary_reps_close(t->w, &err) == 0, "%s", err.msg);
    ck_assert_msg(outdir_commit(t->o, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(fclose(t->ref), 0);
    size_t len = 0;
    char *got = cu_slurp(cu_path_in(t->out, "replications.csv"), &len);
    ck_assert_ptr_nonnull(got);
    size_t at = 0;
    while (at < len && at < t->ref_len && got[at] == t->ref_text[at])
        at++;
    ck_assert_msg(len == t->ref_len && at == len, "replications.csv differs from the printf writer at byte %zu: '%.60s' "
                  "instead of '%.60s'", at, got + (at > 20 ? at - 20 : 0), t->ref_text + (at > 20 ? at - 20 : 0));
    size_t rows = 0;
    for (size_t i = 0; i < len; i++)
        rows += got[i] == '\n';
    free(got);
    free(t->ref_text);
    return rows - 1;
}

/* Hand-made rows with the values printf formats hardest: ties, -0,
 * negatives rounding to 0, huge and undefined cells, many blocks (so the
 * buffer fills and flushes mid-block) and a label with quotes. */
START_TEST(test_reps_extreme_rows)
{
    scenario *s = cu_load_two(4);
    static const char *const names[] = {"optimal", "odd\"name"};
    double alloc[2][SCENARIO_MAX_REGIONS] = {{150000.125, 0.005}, {-0.0, 1e20}};
    eval_alloc a[2];
    memset(a, 0, sizeof a);
    for (size_t k = 0; k < 2; k++)
        a[k].alloc = alloc[k];
    eval_result r;
    memset(&r, 0, sizeof r);
    r.nalloc = 2, r.nregions = s->nregions, r.allocs = a;
    const size_t C = s->nregions, n = 777;
    engine_stats *st = calloc(n * 2 * C, sizeof *st);
    ck_assert_ptr_nonnull(st);
    tee t;
    tee_open(&t, s, names, "extreme");
    uint64_t seed = 99;
    const double odd[] = {0.125, 2.5, -0.0, -0.00004, 0.00005, 1e300, -1e16, NAN, INFINITY, 12.345, 1.0 / 3, 0.0};
    for (size_t blk = 0; blk < 20; blk++) {
        for (size_t j = 0; j < n * 2 * C; j++) {
            engine_stats *e = &st[j];
            e->releases = (double)(mix(&seed) % 5) - (j % 7 == 0);
            e->spent = j % 3 ? (double)(mix(&seed) % 10000000) / 8 : odd[mix(&seed) % 12];
            e->fundable = j % 5 ? (double)(mix(&seed) % 100) : odd[mix(&seed) % 12];
            e->detention_days = unit(&seed) * 400 * (e->releases > 0 ? e->releases : 1);
            e->freedom_days = j % 4 ? ldexp(unit(&seed), (int)(mix(&seed) % 20)) : odd[mix(&seed) % 12];
        }
        fz_error err = {0, ""};
        ck_assert_int_eq(tee_block(&t, &r, 18446744073709000000ULL + blk * n, n, st, &err), 0);
    }
    ck_assert_uint_eq(tee_compare(&t), 20 * n * 2 * C);
    free(st);
    scenario_free(s);
}
END_TEST

/* Evaluations of shipped scenarios (several allocations, pooled funds,
 * ledgers), replications.csv streamed by both writers. */
START_TEST(test_reps_scenarios)
{
    static const char *const files[] = {"seed-2025.ini", "midwest-network.ini", "bond-program-2025.ini",
                                        "trac-jun2025.ini", "midwest-3y.ini"};
    static const char *const names[] = {"first", "second", "pooled"};
    const char *file = files[_i];
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/%s", FZ_TEST_DIR, file);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s: %s", file, err.msg);
    const size_t C = s->nregions;
    double *allocs = calloc(3 * C, sizeof *allocs);
    ck_assert_ptr_nonnull(allocs);
    for (size_t c = 0; c < C; c++) {
        allocs[c] = s->budget_usd / (double)C;
        allocs[C + c] = c == 0 ? s->budget_usd / 3 : 2 * s->budget_usd / 3 / (double)(C - 1 ? C - 1 : 1);
    }
    static const int pooled[3] = {0, 0, 1};
    tee t;
    tee_open(&t, s, names, "scen");
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = under_valgrind() ? 40 : 1500,
                       .threads = 2,
                       .pooled = pooled,
                       .on_block = tee_block,
                       .block_ctx = &t};
    eval_result *r = NULL;
    ck_assert_msg(eval_run(&r, s, allocs, 3, &eo, &err) == 0, "%s: %s", file, err.msg);
    ck_assert_uint_eq(tee_compare(&t), eo.nreps * 3 * C);
    eval_free(r);
    free(allocs);
    scenario_free(s);
}
END_TEST

/* ---- tally: exact distributions ---- */

/* The tally of x against sorting x: every order statistic, the quantiles
 * summary.json and the charts print, and CVaR at several levels, as the
 * same doubles. */
static void tally_matches(const double *x, size_t n, int seal)
{
    tally t = {0};
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(tally_add(&t, x[i]), 0);
    if (seal)
        tally_seal(&t);
    ck_assert_uint_eq(t.n, n);
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    ck_assert_ptr_nonnull(sorted);
    memcpy(sorted, x, n * sizeof *sorted);
    stat_sort(sorted, n);
    static const double ps[] = {0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1, 1.0 / 3};
    for (size_t j = 0; j < sizeof ps / sizeof *ps; j++) {
        double a = tally_quantile(&t, ps[j]), b = stat_quantile_sorted(sorted, n, ps[j]);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && n == 0), "n %zu p %g: tally %.17g, sorted %.17g",
                      n, ps[j], a, b);
    }
    static const double alphas[] = {0.01, 0.05, 0.1, 0.25, 1.0 / 3, 0.5, 1};
    for (size_t j = 0; n && j < sizeof alphas / sizeof *alphas; j++) {
        double a = tally_cvar(&t, alphas[j]), b = split_cvar(x, n, alphas[j]);
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "n %zu alpha %g: tally CVaR %.17g, split_cvar %.17g", n,
                      alphas[j], a, b);
    }
    /* the runs, in order, are the sorted values (of a sealed tally, when raw) */
    size_t pos = 0, i = 0;
    double v;
    uint64_t m;
    while ((seal || !t.raw_mode) && tally_next(&t, &pos, &v, &m))
        for (uint64_t j = 0; j < m; j++, i++)
            ck_assert_msg(i < n && v == sorted[i], "order statistic %zu: %g, sorted %g", i, v, sorted[i]);
    ck_assert_uint_eq(i, seal || !t.raw_mode ? n : 0);
    for (size_t j = 0; j < n; j += 1 + n / 20)
        ck_assert(tally_at(&t, j) == sorted[j]);
    ck_assert(isnan(tally_at(&t, n)));
    free(sorted);
    tally_free(&t);
}

/* Integer samples (the histogram), from narrow to a span that turns the
 * tally into plain values, negative values, one value, and non-integers
 * (at the start and after many integers). */
START_TEST(test_tally_random)
{
    uint64_t seed = 11;
    const size_t big = under_valgrind() ? 3000 : 50000;
    double *x = malloc(big * sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (int kind = 0; kind < 9; kind++) {
        size_t n = kind == 0 ? 1 : kind == 1 ? 2 : kind == 2 ? 7 : big;
        for (size_t i = 0; i < n; i++) {
            double u = unit(&seed);
            switch (kind) {
            case 3: /* releases: binomial-like around 50 */
                x[i] = floor(50 + 10 * (u + unit(&seed) + unit(&seed) - 1.5));
                break;
            case 4: /* drifting upwards then downwards: the counts regrow on both sides */
                x[i] = (double)(i < n / 2 ? (int64_t)(i / 50) : -(int64_t)(i / 70)) + floor(5 * u);
                break;
            case 5: /* wider than the sample at first, then not */
                x[i] = i < 10 ? (double)(mix(&seed) % 1000000) : floor(100 * u);
                break;
            case 6: /* a non-integer after many integers */
                x[i] = i == n / 2 ? 0.5 : floor(20 * u);
                break;
            case 7: /* all non-integers */
                x[i] = 100 * u - 30;
                break;
            default: /* small or huge integers */
                x[i] = kind == 8 ? floor(u * 0x1p52) : floor(30 * u);
                break;
            }
        }
        tally_matches(x, n, 1);
        tally_matches(x, n, 0);
    }
    tally_matches(x, 0, 1);
    free(x);
}
END_TEST

/* The memory of a tally of integer totals does not grow with their
 * number: 10^6 values of a releases-like total in a few KB. */
START_TEST(test_tally_constant_memory)
{
    tally t = {0};
    uint64_t seed = 3;
    const size_t n = under_valgrind() ? 20000 : 1000000;
    size_t at_1000 = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(tally_add(&t, floor(40 + 30 * unit(&seed) + 30 * unit(&seed))), 0);
        if (i == 999)
            at_1000 = tally_bytes(&t);
    }
    ck_assert(!t.raw_mode);
    ck_assert_uint_eq(tally_bytes(&t), at_1000);
    ck_assert_uint_le(tally_bytes(&t), 8 * TALLY_MIN_SPAN);
    tally_free(&t);
}
END_TEST

/* Real runs: the tally eval keeps equals the sorted per-replication
 * totals (kept on request) of shipped scenarios, allocation by allocation. */
START_TEST(test_tally_eval_runs)
{
    static const char *const files[] = {"seed-2025.ini", "midwest-network.ini", "trac-fy2018.ini"};
    char path[512];
    snprintf(path, sizeof path, "%s/../scenarios/%s", FZ_TEST_DIR, files[_i]);
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s", err.msg);
    const size_t C = s->nregions;
    double *allocs = calloc(2 * C, sizeof *allocs);
    ck_assert_ptr_nonnull(allocs);
    for (size_t c = 0; c < C; c++)
        allocs[c] = s->budget_usd / (double)C, allocs[C + c] = c == 0 ? s->budget_usd / 2 : 0;
    static const int pooled[2] = {0, 1};
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = under_valgrind() ? 50 : 2000,
                       .threads = 2,
                       .pooled = pooled,
                       .keep_totals = 1};
    eval_result *r = NULL;
    ck_assert_msg(eval_run(&r, s, allocs, 2, &eo, &err) == 0, "%s", err.msg);
    for (size_t k = 0; k < 2; k++) {
        ck_assert(!r->allocs[k].dist.raw_mode);
        tally_matches(r->allocs[k].totals, r->nreps, 1);
        /* and the tally eval built is the one tally_matches builds */
        for (double p = 0; p <= 1; p += 0.05) {
            double a = tally_quantile(&r->allocs[k].dist, p);
            tally t = {0};
            for (size_t i = 0; i < r->nreps; i++)
                ck_assert_int_eq(tally_add(&t, r->allocs[k].totals[i]), 0);
            double b = tally_quantile(&t, p);
            tally_free(&t);
            ck_assert(memcmp(&a, &b, sizeof a) == 0);
        }
    }
    eval_free(r);
    /* without keep_totals: no per-replication array, the same tally */
    eo.keep_totals = 0;
    eval_result *q = NULL;
    ck_assert_msg(eval_run(&q, s, allocs, 2, &eo, &err) == 0, "%s", err.msg);
    ck_assert_ptr_null(q->allocs[0].totals);
    ck_assert(isfinite(tally_quantile(&q->allocs[0].dist, 0.5)));
    eval_free(q);
    free(allocs);
    scenario_free(s);
}
END_TEST

/* ---- OpenMP wait policy ---- */

/* The last value libgomp displays for name (OMP_DISPLAY_ENV=verbose prints
 * its settings at start-up, once per exec), or "" without one. */
static const char *displayed(const char *text, const char *name, char buf[64])
{
    buf[0] = '\0';
    for (const char *p = text; (p = strstr(p, name)) != NULL; p += strlen(name))
        sscanf(p + strlen(name), " = '%63[^']'", buf);
    return buf;
}

/* fianza runs with OMP_WAIT_POLICY=passive (GOMP_SPINCOUNT 0: idle threads
 * sleep at once instead of spinning ~3 ms) unless the user chose a policy
 * or a spin count, which it keeps. */
START_TEST(test_omp_passive)
{
    unsetenv("OMP_WAIT_POLICY");
    unsetenv("GOMP_SPINCOUNT");
    char buf[64];
    run_result r;
    ck_assert_int_eq(cu_run_env(&r, NULL, 60, (const char *const[]){"OMP_DISPLAY_ENV=verbose", NULL},
                                (const char *const[]){"--version", NULL}),
                     0);
    ck_assert_msg(strstr(r.out, "fianza ") == r.out, "%s", r.out);
    ck_assert_str_eq(displayed(r.err, "OMP_WAIT_POLICY", buf), "PASSIVE");
    if (strstr(r.err, "GOMP_SPINCOUNT") && !under_valgrind()) /* libgomp, not under valgrind (no re-exec there) */
        ck_assert_str_eq(displayed(r.err, "GOMP_SPINCOUNT", buf), "0");
    cu_run_free(&r);
    /* the user's policy stays */
    ck_assert_int_eq(cu_run_env(&r, NULL, 60, (const char *const[]){"OMP_DISPLAY_ENV=verbose", "OMP_WAIT_POLICY=active",
                                                                    NULL},
                                (const char *const[]){"--version", NULL}),
                     0);
    ck_assert_str_eq(displayed(r.err, "OMP_WAIT_POLICY", buf), "ACTIVE");
    cu_run_free(&r);
    ck_assert_int_eq(cu_run_env(&r, NULL, 60, (const char *const[]){"OMP_DISPLAY_ENV=verbose", "GOMP_SPINCOUNT=1234",
                                                                    NULL},
                                (const char *const[]){"--version", NULL}),
                     0);
    if (strstr(r.err, "GOMP_SPINCOUNT"))
        ck_assert_str_eq(displayed(r.err, "GOMP_SPINCOUNT", buf), "1234");
    cu_run_free(&r);
}
END_TEST

Suite *make_tails_suite(void)
{
    Suite *s = suite_create("tails");
    TCase *f = tcase_create("fixed");
    tcase_set_timeout(f, 300);
    tcase_add_test(f, test_fixed_special);
    tcase_add_test(f, test_fixed_ties);
    tcase_add_test(f, test_fixed_random);
    tcase_add_test(f, test_fixed_u64);
    suite_add_tcase(s, f);
    TCase *w = tcase_create("replications_csv");
    tcase_set_timeout(w, 300);
    tcase_add_unchecked_fixture(w, cu_work_setup, cu_work_teardown);
    tcase_add_test(w, test_reps_extreme_rows);
    tcase_add_loop_test(w, test_reps_scenarios, 0, 5);
    suite_add_tcase(s, w);
    TCase *t = tcase_create("tally");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_tally_random);
    tcase_add_test(t, test_tally_constant_memory);
    tcase_add_loop_test(t, test_tally_eval_runs, 0, 3);
    suite_add_tcase(s, t);
    TCase *o = tcase_create("omp");
    tcase_add_unchecked_fixture(o, cu_work_setup, cu_work_teardown);
    tcase_add_test(o, test_omp_passive);
    suite_add_tcase(s, o);
    return s;
}

FZ_CHECK_MAIN(tails)
