/* check_realloc: re-allocation of a split fund (DESIGN §8,
 * reallocate_every_days): the plan's epoch curves and re-split tables
 * (realloc_plan_new) and the re-allocated replications (realloc_settle,
 * through eval_run). */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "engine_util.h"
#include "engine_int.h"
#include "realloc.h"

/* Replications per test (fewer under valgrind). */
static size_t reps(size_t n) { return getenv("FIANZA_TEST_VALGRIND") ? n / 8 : n; }

static realloc_plan *plan_of(const scenario *s, size_t nreps, int threads)
{
    realloc_plan *p = NULL;
    fz_error err = {0, ""};
    int rc = realloc_plan_new(&p, s, 0, nreps, threads, &err);
    ck_assert_msg(rc == 0, "realloc_plan_new: %s", err.msg);
    return p;
}

/* Every ledger feature, two regions (one of them without ledger keys of
 * its own), donations, a wait queue, refunds, capacities. */
static const char busy_text[] =
    "[fund]\nbudget_usd = 30000\nhorizon_days = 200\ngranularity_usd = 1000\npolicy = first_come\nqueue = wait\n"
    "max_wait_days = 40\nposting_days = weekdays\nstart_weekday = 3\ndonations_usd_per_month = 1500\n"
    "reallocate_every_days = %s\n"
    "[region.a]\ninitial_detained = 15\narrivals_per_day = 0.4\nbond_usd = lognormal(median=2500, sigma=0.6, "
    "min=1500)\nhearing_delay_days = uniform(min=3, max=20)\nrefund_prob = 0.6\ncase_duration_days = "
    "gamma(mean=60, sd=30)\nmax_payments_per_day = 2\nremoval_hazard_per_day = 0.005\n"
    "[region.b]\ninitial_detained = 10\narrivals_per_day = 0.6\nbond_usd = lognormal(median=4000, sigma=0.5, "
    "min=1500)\nhearing_delay_days = gamma(mean=10, sd=5)\n";

static scenario *busy(const char *every)
{
    char text[sizeof busy_text + 32];
    snprintf(text, sizeof text, busy_text, every);
    return load_text(text);
}

typedef struct cmp_ctx { /* allocation 0's and 1's per-replication stats agree */
    size_t C, reps;
    int equal;
} cmp_ctx;

static int cmp_block(void *ctx, const eval_result *r, uint64_t first, size_t n, const engine_stats *st,
                     fz_error *err)
{
    (void)first, (void)err;
    cmp_ctx *x = ctx;
    for (size_t i = 0; i < n; i++) {
        x->equal &= memcmp(&st[(i * 2 + 0) * x->C], &st[(i * 2 + 1) * x->C], x->C * sizeof *st) == 0;
        x->reps++;
    }
    (void)r;
    return 0;
}

/* K >= H: no epoch before H, so the re-allocated fund is the static split
 * (donations as DESIGN §7): the same engine_stats of every replication and
 * region, bit for bit, and the same totals (balance at H with the reserve). */
START_TEST(test_no_epoch_is_static)
{
    const char *every[] = {"200", "500"};
    for (size_t t = 0; t < 2; t++) {
        scenario *s = busy(every[t]);
        realloc_plan *p = plan_of(s, 10, 1);
        ck_assert_uint_eq(p->nepochs, 0);
        double allocs[4] = {12000, 14000, 12000, 14000};
        int re[2] = {0, 1};
        cmp_ctx x = {s->nregions, 0, 1};
        eval_options o = {.stream = RNG_STREAM_EVALUATE,
                          .nreps = reps(300),
                          .threads = 2,
                          .realloc = re,
                          .plan = p,
                          .on_block = cmp_block,
                          .block_ctx = &x};
        eval_result *r = run_eval(s, allocs, 2, &o);
        ck_assert_uint_eq(x.reps, reps(300));
        ck_assert_msg(x.equal, "per-replication stats differ with K = %s", every[t]);
        const eval_alloc *a = &r->allocs[0], *b = &r->allocs[1];
        ck_assert(memcmp(&a->releases, &b->releases, sizeof a->releases) == 0);
        ck_assert(memcmp(&a->balance_end, &b->balance_end, sizeof a->balance_end) == 0);
        ck_assert(memcmp(&a->refunded, &b->refunded, sizeof a->refunded) == 0);
        ck_assert(a->releases.mean > 3 && a->refunded.mean > 0);
        eval_free(r);
        realloc_plan_free(p);
        scenario_free(s);
    }
}
END_TEST

/* No randomness left after t = K that matters.  H = 60, K = 30, B = 20
 * steps of 1000.  A regime sets bond_grant_prob = 0 before day 30, so
 * nobody is fundable before the epoch and the pool at t = 30 is exactly B.
 * From day 30 every arrival is granted, bonds are fixed (a: 1000 = 1 step,
 * b: 2000 = 2 steps), no delays, no removal, 10 arrivals a day per region:
 * about 300 cases per region in [30, 60), and P(Poisson(300) < 20) < 1e-90.
 * So the remaining problem is deterministic: with g steps region a releases
 * min(g, N_a) = g and region b floor(g / 2) (first_come pays every case the
 * balance covers, in order).  Its offline optimum with 20 steps: each
 * release in a costs 1 step, in b 2, so all 20 steps to a, 20 releases.
 * Starting from the equal split (10, 10), which the static fund keeps
 * (10 + 5 = 15 releases), the re-split must give (20, 0) and release
 * exactly 20 in every replication, leaving nothing in the reserve. */
START_TEST(test_deterministic_resplit)
{
    scenario *s = load_text("[fund]\nbudget_usd = 20000\nhorizon_days = 60\ngranularity_usd = 1000\n"
                            "policy = first_come\nreallocate_every_days = 30\n"
                            "[region.a]\narrivals_per_day = 10\nbond_grant_prob = 1\nbond_usd = fixed(1000)\n"
                            "hearing_delay_days = fixed(0)\nrelease_delay_days = fixed(0)\n"
                            "[region.b]\narrivals_per_day = 10\nbond_grant_prob = 1\nbond_usd = fixed(2000)\n"
                            "hearing_delay_days = fixed(0)\nrelease_delay_days = fixed(0)\n"
                            "[regime.closed]\nstart_day = 0\nend_day = 30\nbond_grant_prob = 0\n");
    realloc_plan *p = plan_of(s, 50, 2);
    ck_assert_uint_eq(p->nepochs, 1);
    ck_assert_int_eq(p->bmax, 20);
    for (long g = 0; g <= 20; g++) { /* the epoch curves: g and floor(g / 2) */
        ck_assert_double_eq(p->curves[0 * 21 + (size_t)g], (double)g);
        ck_assert_double_eq(p->curves[1 * 21 + (size_t)g], floor((double)g / 2));
    }
    for (long b = 0; b <= 20; b++) { /* every pool level: all of it to a */
        ck_assert_int_eq(p->table[(size_t)b * 2], b);
        ck_assert_int_eq(p->table[(size_t)b * 2 + 1], 0);
    }
    double allocs[4] = {10000, 10000, 10000, 10000};
    int re[2] = {0, 1};
    size_t n = reps(200);
    eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = n, .threads = 2, .realloc = re, .plan = p};
    eval_result *r = run_eval(s, allocs, 2, &o);
    for (size_t i = 0; i < n; i++) {
        ck_assert_double_eq(r->allocs[0].totals[i], 15);
        ck_assert_double_eq(r->allocs[1].totals[i], 20);
    }
    ck_assert_double_eq(r->allocs[1].regions[0].releases.mean, 20);
    ck_assert_double_eq(r->allocs[1].regions[1].releases.mean, 0);
    ck_assert_double_eq(r->allocs[1].balance_end.mean, 0);
    ck_assert_double_eq(r->allocs[1].diff_releases.mean, 5);
    eval_free(r);
    realloc_plan_free(p);
    scenario_free(s);
}
END_TEST

/* The plan and the evaluation do not depend on the thread count. */
START_TEST(test_threads)
{
    scenario *s = busy("45");
    realloc_plan *p1 = plan_of(s, reps(64), 1), *p2 = plan_of(s, reps(64), 2);
    ck_assert_uint_eq(p1->nepochs, 4);
    size_t G = (size_t)p1->bmax + 1, C = s->nregions, E = p1->nepochs;
    ck_assert(memcmp(p1->curves, p2->curves, E * C * G * sizeof *p1->curves) == 0);
    ck_assert(memcmp(p1->table, p2->table, E * C * G * sizeof *p1->table) == 0);
    double allocs[4] = {15000, 15000, 15000, 15000};
    int re[2] = {0, 1};
    eval_result *r[2];
    for (int t = 0; t < 2; t++) {
        eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(400), .threads = t + 1, .realloc = re, .plan = p1};
        r[t] = run_eval(s, allocs, 2, &o);
    }
    const eval_alloc *a = &r[0]->allocs[1], *b = &r[1]->allocs[1];
    ck_assert(memcmp(&a->releases, &b->releases, sizeof a->releases) == 0);
    ck_assert(memcmp(&a->balance_end, &b->balance_end, sizeof a->balance_end) == 0);
    ck_assert(memcmp(&a->diff_releases, &b->diff_releases, sizeof a->diff_releases) == 0);
    ck_assert(memcmp(a->totals, b->totals, reps(400) * sizeof *a->totals) == 0);
    for (size_t c = 0; c < C; c++)
        ck_assert(memcmp(&a->regions[c].spent, &b->regions[c].spent, sizeof a->regions[c].spent) == 0);
    ck_assert(a->releases.mean > 1);
    eval_free(r[0]);
    eval_free(r[1]);
    realloc_plan_free(p1);
    realloc_plan_free(p2);
    scenario_free(s);
}
END_TEST

/* Conservation, per replication: the regions plus the reserve are the same
 * just before and just after every re-split (transfers only), and at H the
 * fund holds B + donations - payments + refunds. */
START_TEST(test_conservation)
{
    scenario *s = busy("30");
    realloc_plan *p = plan_of(s, reps(40), 2);
    const size_t C = s->nregions, E = p->nepochs;
    ck_assert_uint_eq(E, 6);
    engine_ws *ws = engine_ws_new();
    realloc_ws *rw = realloc_ws_new();
    ck_assert(ws && rw);
    double pools[12], donations = 6 * s->donations_usd_per_month; /* t = 30, ..., 180 < 200 */
    double x[2] = {13000, 9000};
    int resplit_moved = 0;
    for (uint64_t rep = 0; rep < reps(200); rep++) {
        realloc_ws_reset(rw);
        for (size_t c = 0; c < C; c++) {
            ck_assert_int_eq(engine_draw_lcases(ws, s, c, RNG_STREAM_EVALUATE, rep, NULL), 0);
            ck_assert_int_eq(realloc_ws_add(rw, ws, c, NULL), 0);
        }
        engine_stats st[2];
        double reserve;
        realloc_settle(st, &reserve, rw, s, x, p, pools);
        for (size_t k = 0; k < E; k++) {
            ck_assert_msg(fabs(pools[2 * k] - pools[2 * k + 1]) <= 1e-9 * s->budget_usd,
                          "rep %llu epoch %zu: %.17g before, %.17g after", (unsigned long long)rep, k + 1,
                          pools[2 * k], pools[2 * k + 1]);
            ck_assert(pools[2 * k] >= 0 && pools[2 * k] <= s->budget_usd + donations + 1e-6);
        }
        double held = reserve, flow = s->budget_usd + donations;
        for (size_t c = 0; c < C; c++) {
            held += st[c].balance_end;
            flow += st[c].refunded - st[c].spent;
            ck_assert(st[c].balance_end >= -1e-6);
        }
        ck_assert_msg(fabs(held - flow) <= 1e-6 * flow, "rep %llu: %.17g held, %.17g by the flows",
                      (unsigned long long)rep, held, flow);
        resplit_moved |= st[0].spent + st[0].balance_end - st[0].refunded != x[0];
    }
    ck_assert_msg(resplit_moved, "the re-splits never moved money");
    engine_ws_free(ws);
    realloc_ws_free(rw);
    realloc_plan_free(p);
    scenario_free(s);
}
END_TEST

/* Share bounds apply to the pool: with max_share = 0.5 in both regions no
 * region ever gets more than half of a pool level. */
START_TEST(test_share_bounds)
{
    scenario *s = load_text("[fund]\nbudget_usd = 20000\nhorizon_days = 60\ngranularity_usd = 1000\n"
                            "policy = first_come\nreallocate_every_days = 30\n"
                            "[region.a]\narrivals_per_day = 10\nbond_usd = fixed(1000)\nmax_share = 0.5\n"
                            "[region.b]\narrivals_per_day = 10\nbond_usd = fixed(2000)\nmax_share = 0.5\n");
    realloc_plan *p = plan_of(s, 20, 2);
    for (long b = 0; b <= p->bmax; b++) {
        ck_assert_int_le(p->table[(size_t)b * 2], b / 2);
        ck_assert_int_le(p->table[(size_t)b * 2 + 1], b / 2);
        ck_assert_int_eq(p->table[(size_t)b * 2], b / 2); /* a's releases are the cheaper */
    }
    realloc_plan_free(p);
    scenario_free(s);
}
END_TEST

/* A ledger paused at t = 7, 14, ... (ledger_advance) and resumed with no
 * money moved pays exactly what one ledger_run pays: serving the queue
 * once more at a pause changes nothing when the balance has not (ledger.c:
 * between arrivals of money the balance only falls). */
static void one_ledger(ledger *L, const scenario *s, engine_ws *ws, size_t c, double x, uint32_t *q, double *ht,
                       double *hv, uint32_t *hr)
{
    ledger_setup(L, s, ws->lcases, ws->ln, x, NULL);
    L->don_coef = s->donations_usd_per_month / s->budget_usd;
    L->don = s->donations_usd_per_month * x / s->budget_usd;
    L->nreg = 1;
    L->region0 = (uint32_t)c;
    L->cap = &s->regions[c].max_payments_per_day;
    L->st = L->one;
    L->q = q;
    L->ht = ht;
    L->hv = hv;
    L->hr = hr;
}

START_TEST(test_pause_resume)
{
    const char *queues[] = {"wait", "skip"};
    for (int w = 0; w < 2; w++) {
        scenario *s = busy("0");
        s->queue = w == 0 ? QUEUE_WAIT : QUEUE_SKIP;
        engine_ws *ws = engine_ws_new();
        size_t cap = 4096;
        uint32_t *q = malloc(cap * sizeof *q), *hr = malloc(cap * sizeof *hr);
        double *ht = malloc(cap * sizeof *ht), *hv = malloc(cap * sizeof *hv);
        ck_assert(ws && q && hr && ht && hv);
        int paid = 0;
        for (uint64_t rep = 0; rep < reps(200); rep++)
            for (size_t c = 0; c < s->nregions; c++) {
                ck_assert_int_eq(engine_draw_lcases(ws, s, c, RNG_STREAM_EVALUATE, rep, NULL), 0);
                ck_assert_uint_le(ws->ln, cap);
                ledger a, b;
                one_ledger(&a, s, ws, c, 9000, q, ht, hv, hr);
                ledger_run(&a);
                one_ledger(&b, s, ws, c, 9000, q, ht, hv, hr);
                ledger_begin(&b);
                for (double T = 7; T < s->horizon_days; T += 7)
                    ledger_advance(&b, T);
                ledger_advance(&b, INFINITY);
                ledger_end(&b);
                ck_assert_msg(memcmp(&a.one[0], &b.one[0], sizeof a.one[0]) == 0,
                              "queue = %s, rep %llu region %zu: %g vs %g releases", queues[w],
                              (unsigned long long)rep, c, a.one[0].releases, b.one[0].releases);
                paid |= a.one[0].releases > 0 && a.one[0].refunded > 0;
            }
        ck_assert(paid);
        free(q);
        free(hr);
        free(ht);
        free(hv);
        engine_ws_free(ws);
        scenario_free(s);
    }
}
END_TEST

/* fianza optimize: "reallocation" in summary.json only with the key; with
 * K >= H the value of re-allocating is exactly 0 and both policies release
 * the same; with K = 30 (H = 90) two re-splits; under freedom_days the
 * measure is days of freedom; tables over the limit are bad input (exit 2,
 * nothing written). */
START_TEST(test_cli)
{
    const char *dir = cu_test_dir("cli");
    const char *two = cu_two_ini(dir, 200);
    const char *sets[] = {"fund.reallocate_every_days=0", "fund.reallocate_every_days=90",
                          "fund.reallocate_every_days=30"};
    for (int i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "out%d", i);
        const char *out = cu_path_in(dir, name);
        run_result r;
        int rc = CU_RUN(&r, "optimize", two, "--no-plots", "--set", "fund.policy=first_come", "--set", sets[i], "-o",
                        out);
        ck_assert_msg(rc == 0, "%s: exit %d: %s", sets[i], rc, r.err);
        json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
        json_t *re = json_object_get(doc, "reallocation");
        if (i == 0) {
            ck_assert_ptr_null(re);
        } else {
            ck_assert_double_eq(cu_json_num(doc, "reallocation.epochs"), i == 1 ? 0 : 2);
            ck_assert_double_eq(cu_json_num(doc, "reallocation.every_days"), i == 1 ? 90 : 30);
            ck_assert_str_eq(json_string_value(cu_json_at(doc, "reallocation.measure")), "releases");
            double static_rel = cu_json_num(doc, "reallocation.static_releases.mean");
            ck_assert_double_eq(static_rel, cu_json_num(doc, "releases.plain.mean"));
            if (i == 1) {
                ck_assert_double_eq(cu_json_num(doc, "reallocation.value.mean"), 0);
                ck_assert_double_eq(cu_json_num(doc, "reallocation.releases.mean"), static_rel);
            }
            ck_assert_ptr_nonnull(strstr(r.out, "value of re-allocating"));
        }
        json_decref(doc);
        cu_run_free(&r);
    }
    { /* days of freedom: the re-splits' measure and the value's */
        run_result r;
        const char *out = cu_path_in(dir, "free");
        int rc = CU_RUN(&r, "optimize", two, "--quiet", "--no-plots", "--set", "fund.policy=first_come", "--set",
                        "fund.objective=freedom_days", "--set", "fund.reallocate_every_days=95", "-o", out);
        ck_assert_msg(rc == 0, "freedom_days: exit %d: %s", rc, r.err);
        json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
        ck_assert_str_eq(json_string_value(cu_json_at(doc, "reallocation.measure")), "freedom_days");
        ck_assert_double_eq(cu_json_num(doc, "reallocation.value.mean"), 0);
        json_decref(doc);
        cu_run_free(&r);
    }
    run_result r;
    const char *out = cu_path_in(dir, "big");
    int rc = CU_RUN(&r, "optimize", two, "--quiet", "--no-plots", "--set", "fund.policy=first_come", "--set",
                    "fund.reallocate_every_days=30", "--set", "fund.granularity_usd=3", "-o", out);
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "re-split tables"));
    ck_assert(!cu_exists(out));
    cu_run_free(&r);
}
END_TEST

Suite *make_realloc_suite(void)
{
    Suite *s = suite_create("realloc");
    TCase *t = tcase_create("realloc");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_no_epoch_is_static);
    tcase_add_test(t, test_deterministic_resplit);
    tcase_add_test(t, test_threads);
    tcase_add_test(t, test_conservation);
    tcase_add_test(t, test_share_bounds);
    tcase_add_test(t, test_pause_resume);
    suite_add_tcase(s, t);
    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 240);
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_add_test(cli, test_cli);
    suite_add_tcase(s, cli);
    return s;
}

FZ_CHECK_MAIN(realloc)
