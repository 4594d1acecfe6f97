/* check_eval: eval_run over the engine (DESIGN §1) through the library API
 * (engine_draw and engine_pay on their own: check_engine).
 *
 * - the expected fundable count against its closed form (Poisson arrivals,
 *   grants, family payments, removal, a bond cap), within 4 standard errors;
 * - determinism: thread count, streams, replication order and offsets.
 *
 * Helpers (scenario loading, draws, eval_run) are in engine_util.h. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "check_common.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"

#include "engine_util.h"

/* ---- expected fundable count ---- */

/* Derivation (DESIGN §1), for one region with initial_detained N0, Poisson
 * arrivals of rate λ on [0, H), grant probability g, family-pays probability
 * p, fixed hearing delay D, fixed release delay R, removal hazard h and the
 * bond cap admitting a fraction q of bonds (q = 1 when unlimited):
 *
 * A person arriving at a is fundable iff granted (g), not family-paid
 * (1 - p), bond <= cap (q), d = a + D < H, and removal m = a + E > d + R,
 * i.e. E > D + R for E ~ Exponential(h): probability e^{-h(D+R)}.  These are
 * independent, so P(fundable | a) = g (1 - p) q e^{-h(D+R)} 1{a < H - D}.
 * - Initial detainees (a = 0): N0 g (1-p) q e^{-h(D+R)} 1{D < H}.
 * - Arrivals: by Poisson thinning (or: E[count] = λH, a ~ U[0, H), so
 *   P(a < H - D) = max(0, H - D) / H): λ max(0, H - D) g (1-p) q e^{-h(D+R)}.
 * E[fundable] = g (1-p) q e^{-h(D+R)} [N0 1{D<H} + λ max(0, H - D)].
 * With h = 0 the factor is 1 ("never removed"). */
static double expected_fundable(double N0, double lambda, double H, double g, double p, double q, double D, double R,
                                double h)
{
    return g * (1 - p) * q * exp(-h * (D + R)) * (N0 * (D < H ? 1 : 0) + lambda * fmax(0, H - D));
}

static void check_fundable_mean(const char *text, double want, size_t nreps)
{
    scenario *s = load_text(text);
    double alloc = 0;
    eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = nreps, .threads = 2};
    eval_result *r = run_eval(s, &alloc, 1, &opt);
    const stat_acc *f = &r->allocs[0].regions[0].fundable;
    ck_assert_double_eq(f->n, (double)nreps);
    double se = stat_sd(f) / sqrt(f->n);
    ck_assert_msg(se > 0, "no variation in the fundable count");
    ck_assert_msg(fabs(f->mean - want) < 4 * se, "fundable mean %.4f, expected %.4f (SE %.4f, %.2f SE)\n%s", f->mean,
                  want, se, (f->mean - want) / se, text);
    eval_free(r);
    scenario_free(s);
}

START_TEST(test_fundable_poisson_mean)
{
    char text[1024];
    struct {
        double N0, lambda, H, g, p, D, R, h;
    } cases[] = {
        {40, 1.5, 60, 0.7, 0.2, 10, 3, 0.01},     /* everything at once */
        {0, 4, 30, 1, 0, 0, 0, 0},                /* plain Poisson */
        {25, 0.8, 45, 0.55, 0.35, 44.5, 2, 0.02}, /* decisions just before the horizon */
        {100, 2, 20, 0.9, 0.1, 25, 1, 0.005},     /* D >= H: nobody of arrivals or N0 */
        {10, 3, 90, 0.6, 0, 14, 0.5, 0.05},       /* strong removal */
    };
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        snprintf(text, sizeof text,
                 "[fund]\nhorizon_days = %.17g\n[region.r]\ninitial_detained = %.0f\n"
                 "arrivals_per_day = %.17g\nbond_grant_prob = %.17g\nfamily_pays_prob = %.17g\n"
                 "bond_usd = lognormal(median=2500, sigma=0.7)\n"
                 "hearing_delay_days = fixed(%.17g)\nrelease_delay_days = fixed(%.17g)\n"
                 "removal_hazard_per_day = %.17g\n",
                 cases[t].H, cases[t].N0, cases[t].lambda, cases[t].g, cases[t].p, cases[t].D, cases[t].R, cases[t].h);
        double want = expected_fundable(cases[t].N0, cases[t].lambda, cases[t].H, cases[t].g, cases[t].p, 1, cases[t].D,
                                        cases[t].R, cases[t].h);
        if (want == 0) { /* D >= H: exactly zero, every replication */
            scenario *s = load_text(text);
            double alloc = 1e9;
            eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = 500, .threads = 1};
            eval_result *r = run_eval(s, &alloc, 1, &opt);
            ck_assert_double_eq(r->allocs[0].regions[0].fundable.mean, 0);
            ck_assert_double_eq(r->allocs[0].releases.mean, 0);
            eval_free(r);
            scenario_free(s);
            continue;
        }
        check_fundable_mean(text, want, 20000);
    }
}
END_TEST

/* A cap at 2000 on uniform(1000, 5000) bonds keeps q = 1/4 of them; a cap
 * inside a truncated lognormal's support keeps its truncated-cdf share. */
START_TEST(test_fundable_bond_cap)
{
    const char *text = "[fund]\nhorizon_days = 60\n[region.r]\ninitial_detained = 30\narrivals_per_day = 1.5\n"
                       "bond_grant_prob = 0.8\nfamily_pays_prob = 0.25\n"
                       "bond_usd = uniform(min=1000, max=5000)\nmax_bond_paid_usd = 2000\n"
                       "hearing_delay_days = fixed(12)\nrelease_delay_days = fixed(2)\n"
                       "removal_hazard_per_day = 0.01\n";
    check_fundable_mean(text, expected_fundable(30, 1.5, 60, 0.8, 0.25, 0.25, 12, 2, 0.01), 20000);

    /* and no case above the cap is ever kept, in cost terms (cap + case cost) */
    scenario *s = load_text("[region.r]\ninitial_detained = 300\nbond_usd = uniform(min=1000, max=5000)\n"
                            "max_bond_paid_usd = 3000\ncase_cost_usd = 100\n");
    engine_ws *ws = ws_new();
    double kept = 0, people = 0;
    for (uint64_t rep = 0; rep < 200; rep++) {
        draw(ws, s, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, rep);
        size_t n;
        const engine_case *cs = engine_cases(ws, &n);
        for (size_t i = 0; i < n; i++)
            ck_assert(cs[i].cost >= 1100 && cs[i].cost <= 3100);
        kept += (double)n;
        people += (double)engine_people(ws);
    }
    /* binomial(60000, 1/2): SE of the share 0.002 */
    ck_assert_double_eq_tol(kept / people, 0.5, 0.01);
    engine_ws_free(ws);
    scenario_free(s);
}
END_TEST

/* ---- determinism ---- */

static void assert_stat_eq(const stat_acc *a, const stat_acc *b)
{
    ck_assert_msg(memcmp(a, b, sizeof *a) == 0, "stat differs: %.17g/%.17g vs %.17g/%.17g", a->mean, a->m2, b->mean,
                  b->m2);
}

static void assert_results_identical(const eval_result *a, const eval_result *b)
{
    ck_assert_uint_eq(a->nalloc, b->nalloc);
    ck_assert_uint_eq(a->nreps, b->nreps);
    ck_assert_uint_eq(a->nregions, b->nregions);
    ck_assert(a->people == b->people);
    for (size_t k = 0; k < a->nalloc; k++) {
        const eval_alloc *x = &a->allocs[k], *y = &b->allocs[k];
        ck_assert(memcmp(x->totals, y->totals, a->nreps * sizeof *x->totals) == 0);
        assert_stat_eq(&x->releases, &y->releases);
        assert_stat_eq(&x->spent, &y->spent);
        assert_stat_eq(&x->freedom_days, &y->freedom_days);
        assert_stat_eq(&x->diff_releases, &y->diff_releases);
        assert_stat_eq(&x->diff_freedom, &y->diff_freedom);
        ck_assert(x->reach_target == y->reach_target);
        for (size_t c = 0; c < a->nregions; c++) {
            assert_stat_eq(&x->regions[c].releases, &y->regions[c].releases);
            assert_stat_eq(&x->regions[c].spent, &y->regions[c].spent);
            assert_stat_eq(&x->regions[c].fundable, &y->regions[c].fundable);
            assert_stat_eq(&x->regions[c].freedom_days, &y->regions[c].freedom_days);
            ck_assert(x->regions[c].detention_days_sum == y->regions[c].detention_days_sum);
        }
    }
}

/* Records every block's engine_stats at [rep - base]. */
typedef struct record_ctx {
    engine_stats *all;
    uint64_t base;
    size_t per_rep, cap;
    uint64_t next; /* blocks must arrive in replication order */
    int out_of_order;
} record_ctx;

static int record_block(void *vctx, const eval_result *res, uint64_t first_rep, size_t n, const engine_stats *st,
                        fz_error *err)
{
    (void)err;
    ck_assert_uint_eq(res->first_rep, ((record_ctx *)vctx)->base);
    record_ctx *r = vctx;
    if (first_rep != r->next)
        r->out_of_order = 1;
    r->next = first_rep + n;
    ck_assert_uint_le(first_rep - r->base + n, r->cap);
    memcpy(r->all + (first_rep - r->base) * r->per_rep, st, n * r->per_rep * sizeof *st);
    return 0;
}

static const double det_allocs[] = {150000, 150000, 250000, 50000, 0, 300000};
static const scenario_policy det_pol[] = {POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME, POLICY_CHEAPEST_FIRST};

START_TEST(test_threads_identical)
{
    scenario *s = load_text(random_text);
    eval_result *r[3];
    const int threads[] = {1, 2, 3};
    for (int t = 0; t < 3; t++) {
        eval_options opt = {.stream = RNG_STREAM_EVALUATE, .nreps = 2500, .threads = threads[t], .policies = det_pol};
        r[t] = run_eval(s, det_allocs, 3, &opt);
    }
    assert_results_identical(r[0], r[1]);
    assert_results_identical(r[0], r[2]);
    for (int t = 0; t < 3; t++)
        eval_free(r[t]);
    scenario_free(s);
}
END_TEST

/* sum over values k of (share of a equal to k) (share of b equal to k): the
 * chance that two independent draws, one like a and one like b, agree. */
static double chance_agreement(const double *a, const double *b, size_t n)
{
    double q = 0;
    for (size_t i = 0; i < n; i++) {
        int first = 1; /* count each distinct value of a once */
        for (size_t j = 0; j < i && first; j++)
            first = a[j] != a[i];
        if (!first)
            continue;
        size_t na = 0, nb = 0;
        for (size_t j = 0; j < n; j++)
            na += a[j] == a[i], nb += b[j] == a[i];
        q += (double)na / (double)n * ((double)nb / (double)n);
    }
    return q;
}

START_TEST(test_streams_differ)
{
    scenario *s = load_text(random_text);
    eval_options a = {.stream = RNG_STREAM_OPTIMIZE, .nreps = 500, .threads = 2};
    eval_options b = {.stream = RNG_STREAM_EVALUATE, .nreps = 500, .threads = 2};
    eval_options c = {.stream = RNG_STREAM_BATCH + 3, .nreps = 500, .threads = 2};
    eval_result *ra = run_eval(s, det_allocs, 1, &a), *rb = run_eval(s, det_allocs, 1, &b),
                *rc = run_eval(s, det_allocs, 1, &c);
    int same_ab = 0, same_bc = 0;
    for (size_t i = 0; i < 500; i++) {
        same_ab += ra->allocs[0].totals[i] == rb->allocs[0].totals[i];
        same_bc += rb->allocs[0].totals[i] == rc->allocs[0].totals[i];
    }
    double q_ab = chance_agreement(ra->allocs[0].totals, rb->allocs[0].totals, 500),
           q_bc = chance_agreement(rb->allocs[0].totals, rc->allocs[0].totals, 500);
    ck_assert(memcmp(ra->allocs[0].totals, rb->allocs[0].totals, 500 * sizeof(double)) != 0);
    ck_assert(memcmp(rb->allocs[0].totals, rc->allocs[0].totals, 500 * sizeof(double)) != 0);
    /* Independent streams agree on replication i only by chance, with
     * probability q = sum_k P(total = k)^2 (the same value drawn twice); q is
     * estimated from the two samples' own value frequencies, and the count
     * of agreements is Bin(500, q): it must stay within 6 sd of 500 q (a
     * false alarm is below 1e-8; correlated streams would agree far more). */
    ck_assert_msg(same_ab <= 500 * q_ab + 6 * sqrt(500 * q_ab * (1 - q_ab)),
                  "optimize/evaluate agree %d of 500, chance %.1f", same_ab, 500 * q_ab);
    ck_assert_msg(same_bc <= 500 * q_bc + 6 * sqrt(500 * q_bc * (1 - q_bc)),
                  "evaluate/batch agree %d of 500, chance %.1f", same_bc, 500 * q_bc);
    ck_assert(ra->people != rb->people);
    eval_free(ra);
    eval_free(rb);
    eval_free(rc);

    /* another seed changes the draws of the same stream too */
    scenario *s2 = load_text(random_text);
    s2->seed = s->seed + 1;
    eval_result *r1 = run_eval(s, det_allocs, 1, &b), *r2 = run_eval(s2, det_allocs, 1, &b);
    ck_assert(memcmp(r1->allocs[0].totals, r2->allocs[0].totals, 500 * sizeof(double)) != 0);
    eval_free(r1);
    eval_free(r2);
    scenario_free(s2);
    scenario_free(s);
}
END_TEST

/* A run starting at first_rep reproduces the matching slice of a full run
 * (totals and every per-replication statistic), for several offsets that
 * cut blocks differently. */
START_TEST(test_first_rep_slices)
{
    scenario *s = load_text(random_text);
    const size_t N = 3000, C = 2, K = 3, per = K * C;
    record_ctx full = {calloc(N * per, sizeof(engine_stats)), 0, per, N, 0, 0};
    ck_assert_ptr_nonnull(full.all);
    eval_options fo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = N,
                       .threads = 2,
                       .policies = det_pol,
                       .on_block = record_block,
                       .block_ctx = &full};
    eval_result *rf = run_eval(s, det_allocs, K, &fo);
    ck_assert_int_eq(full.out_of_order, 0);
    ck_assert_uint_eq(full.next, N);
    const struct {
        uint64_t first;
        size_t n;
    } slices[] = {{0, 1}, {1100, 700}, {1023, 2}, {2999, 1}, {7, 2048}, {1024, 1024}};
    for (size_t t = 0; t < sizeof slices / sizeof *slices; t++) {
        record_ctx part = {
            calloc(slices[t].n * per, sizeof(engine_stats)), slices[t].first, per, slices[t].n, slices[t].first, 0};
        ck_assert_ptr_nonnull(part.all);
        eval_options po = {.stream = RNG_STREAM_EVALUATE,
                           .first_rep = slices[t].first,
                           .nreps = slices[t].n,
                           .threads = 1 + (int)(t % 2),
                           .policies = det_pol,
                           .on_block = record_block,
                           .block_ctx = &part};
        eval_result *rp = run_eval(s, det_allocs, K, &po);
        ck_assert_int_eq(part.out_of_order, 0);
        ck_assert_uint_eq(rp->first_rep, slices[t].first);
        for (size_t k = 0; k < K; k++)
            ck_assert_msg(
                memcmp(rp->allocs[k].totals, rf->allocs[k].totals + slices[t].first, slices[t].n * sizeof(double)) == 0,
                "slice %zu allocation %zu: totals differ", t, k);
        ck_assert_msg(memcmp(part.all, full.all + slices[t].first * per, slices[t].n * per * sizeof(engine_stats)) == 0,
                      "slice %zu: per-replication stats differ", t);
        eval_free(rp);
        free(part.all);
    }
    eval_free(rf);
    free(full.all);
    scenario_free(s);
}
END_TEST

/* engine_draw depends on (seed, stream, rep, region) only: drawing the
 * replications backwards, interleaved with other regions and streams on a
 * workspace that has drawn other things, gives the same cases. */
START_TEST(test_draw_order_independent)
{
    scenario *s = load_text(random_text);
    enum { NREP = 60 };
    engine_case *first[NREP][2];
    size_t nfirst[NREP][2];
    engine_ws *ws = ws_new();
    for (uint64_t rep = 0; rep < NREP; rep++)
        for (size_t c = 0; c < 2; c++) {
            draw(ws, s, c, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, rep);
            const engine_case *cs = engine_cases(ws, &nfirst[rep][c]);
            first[rep][c] = malloc((nfirst[rep][c] + 1) * sizeof(engine_case));
            ck_assert_ptr_nonnull(first[rep][c]);
            memcpy(first[rep][c], cs, nfirst[rep][c] * sizeof(engine_case));
        }
    engine_ws_free(ws);

    engine_ws *w2 = ws_new();
    for (uint64_t k = NREP; k-- > 0;)
        for (size_t cc = 2; cc-- > 0;) {
            draw(w2, s, 1 - cc, POLICY_CHEAPEST_FIRST, RNG_STREAM_OPTIMIZE, k * 7 + 1000); /* unrelated */
            draw(w2, s, cc, POLICY_FIRST_COME, RNG_STREAM_EVALUATE, k);
            size_t n;
            const engine_case *cs = engine_cases(w2, &n);
            ck_assert_uint_eq(n, nfirst[k][cc]);
            ck_assert_msg(memcmp(cs, first[k][cc], n * sizeof *cs) == 0, "rep %d region %zu differs", (int)k, cc);
        }
    engine_ws_free(w2);
    for (size_t rep = 0; rep < NREP; rep++)
        for (size_t c = 0; c < 2; c++)
            free(first[rep][c]);

    /* different regions of the same replication are different draws */
    engine_ws *w3 = ws_new();
    scenario *twin = load_text("[region.a]\ninitial_detained = 100\nbond_usd = uniform(min=1500, max=9000)\n"
                               "[region.b]\ninitial_detained = 100\nbond_usd = uniform(min=1500, max=9000)\n");
    draw(w3, twin, 0, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, 5);
    size_t na, nb;
    engine_case *a = malloc(100 * sizeof *a);
    ck_assert_ptr_nonnull(a);
    const engine_case *ca = engine_cases(w3, &na);
    ck_assert_uint_eq(na, 100);
    memcpy(a, ca, na * sizeof *a);
    draw(w3, twin, 1, POLICY_CHEAPEST_FIRST, RNG_STREAM_EVALUATE, 5);
    const engine_case *b = engine_cases(w3, &nb);
    ck_assert_uint_eq(na, 100);
    ck_assert_uint_eq(nb, 100);
    ck_assert(memcmp(a, b, 100 * sizeof *a) != 0);
    free(a);
    engine_ws_free(w3);
    scenario_free(twin);
    scenario_free(s);
}
END_TEST

/* Allocations with different policies in one eval_run agree with separate
 * single-policy runs (the engine re-sorts the same people). */
START_TEST(test_mixed_policies_match_separate)
{
    scenario *s = load_text(random_text);
    eval_options mixed = {.stream = RNG_STREAM_EVALUATE, .nreps = 1200, .threads = 2, .policies = det_pol};
    eval_result *rm = run_eval(s, det_allocs, 3, &mixed);
    for (size_t k = 0; k < 3; k++) {
        eval_options one = {.stream = RNG_STREAM_EVALUATE, .nreps = 1200, .threads = 1, .policies = &det_pol[k]};
        eval_result *r1 = run_eval(s, det_allocs + 2 * k, 1, &one);
        ck_assert(memcmp(r1->allocs[0].totals, rm->allocs[k].totals, 1200 * sizeof(double)) == 0);
        for (size_t c = 0; c < 2; c++)
            assert_stat_eq(&r1->allocs[0].regions[c].fundable, &rm->allocs[k].regions[c].fundable);
        ck_assert(r1->people == rm->people);
        eval_free(r1);
    }
    eval_free(rm);
    scenario_free(s);
}
END_TEST

Suite *make_eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *mean = tcase_create("expected_fundable");
    tcase_set_timeout(mean, 120);
    tcase_add_test(mean, test_fundable_poisson_mean);
    tcase_add_test(mean, test_fundable_bond_cap);
    suite_add_tcase(s, mean);

    TCase *det = tcase_create("determinism");
    tcase_set_timeout(det, 60);
    tcase_add_test(det, test_threads_identical);
    tcase_add_test(det, test_streams_differ);
    tcase_add_test(det, test_first_rep_slices);
    tcase_add_test(det, test_draw_order_independent);
    tcase_add_test(det, test_mixed_policies_match_separate);
    suite_add_tcase(s, det);

    return s;
}

FZ_CHECK_MAIN(eval)
