/* check_pool: the pooled fund of DESIGN §8 (engine_settle_pooled through
 * eval_run): one account and one queue for every region. */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "engine_util.h"

/* Replications per test (fewer under valgrind). */
static size_t reps(size_t n) { return getenv("FIANZA_TEST_VALGRIND") ? n / 8 : n; }

/* Statistic s of allocations j and k agree bit for bit. */
static void same_acc(const stat_acc *a, const stat_acc *b, const char *what)
{
    ck_assert_msg(memcmp(a, b, sizeof *a) == 0, "%s: %.17g vs %.17g", what, a->mean, b->mean);
}

/* With one region, the pooled fund is the region's own account holding B:
 * allocation 0 (the split, x = B) and allocation 1 (pooled) give the same
 * numbers, bit for bit, under each policy and with the ledger's keys. */
START_TEST(test_one_region_identical)
{
    const char *texts[] = {
        "[fund]\nbudget_usd = 20000\npolicy = first_come\n[region.a]\ninitial_detained = 30\narrivals_per_day = 1\n"
        "bond_usd = lognormal(median=2000, sigma=0.7, min=1500)\nhearing_delay_days = gamma(mean=10, sd=5)\n"
        "release_delay_days = uniform(min=0, max=2)\nremoval_hazard_per_day = 0.01\n",
        "[fund]\nbudget_usd = 20000\npolicy = cheapest_first\n[region.a]\ninitial_detained = 30\n"
        "arrivals_per_day = 1\nbond_usd = mixture(1: fixed(1500); 1: fixed(3000))\n"
        "hearing_delay_days = gamma(mean=10, sd=5)\n",
        "[fund]\nbudget_usd = 20000\nhorizon_days = 400\npolicy = first_come\nqueue = wait\nmax_wait_days = 20\n"
        "posting_days = weekdays\nstart_weekday = 4\ndonations_usd_per_month = 800\n[region.a]\n"
        "initial_detained = 20\narrivals_per_day = 0.5\nbond_usd = lognormal(median=2500, sigma=0.6, min=1500)\n"
        "hearing_delay_days = uniform(min=3, max=20)\nrefund_prob = 0.6\ncase_duration_days = gamma(mean=100, sd=50)\n"
        "max_payments_per_day = 2\nremoval_hazard_per_day = 0.005\nstay_prob = 0.2\nstay_days = fixed(7)\n",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        scenario *s = load_text(texts[t]);
        double allocs[2] = {s->budget_usd, 0};
        int pooled[2] = {0, 1};
        eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(400), .threads = 2, .pooled = pooled};
        eval_result *r = run_eval(s, allocs, 2, &o);
        const eval_alloc *a = &r->allocs[0], *b = &r->allocs[1];
        ck_assert(!a->pooled && b->pooled);
        same_acc(&a->releases, &b->releases, "releases");
        same_acc(&a->spent, &b->spent, "spent");
        same_acc(&a->freedom_days, &b->freedom_days, "freedom days");
        same_acc(&a->refunded, &b->refunded, "refunded");
        same_acc(&a->balance_end, &b->balance_end, "balance at H");
        same_acc(&a->unpaid, &b->unpaid, "unpaid");
        ck_assert(a->waited_days_sum == b->waited_days_sum);
        ck_assert_msg(a->releases.mean > 1, "scenario %zu pays someone", t);
        eval_free(r);
        scenario_free(s);
    }
}
END_TEST

/* cheapest_first pooled is the offline bound over every region at once:
 * the cheapest cases of the union while the total stays <= B pay the most
 * people any set within B can, so in every replication it releases at
 * least as many as any split (here: equal and 70/30), and it spends <= B. */
START_TEST(test_cheapest_pooled_dominates)
{
    scenario *s = load_text("[fund]\nbudget_usd = 30000\n[region.a]\ninitial_detained = 20\narrivals_per_day = 0.5\n"
                            "bond_usd = lognormal(median=2000, sigma=0.8, min=1500)\n"
                            "hearing_delay_days = gamma(mean=10, sd=5)\n[region.b]\ninitial_detained = 10\n"
                            "arrivals_per_day = 0.8\nbond_usd = lognormal(median=4000, sigma=0.5, min=1500)\n");
    double allocs[6] = {0, 0, 15000, 15000, 21000, 9000};
    int pooled[3] = {1, 0, 0};
    size_t n = reps(600);
    eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = n, .threads = 2, .pooled = pooled};
    eval_result *r = run_eval(s, allocs, 3, &o);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(r->allocs[0].totals[i] >= r->allocs[1].totals[i], "rep %zu: pooled below the equal split", i);
        ck_assert_msg(r->allocs[0].totals[i] >= r->allocs[2].totals[i], "rep %zu: pooled below 70/30", i);
    }
    ck_assert(r->allocs[0].spent.mean <= s->budget_usd);
    ck_assert(r->allocs[0].releases.mean > r->allocs[1].releases.mean);
    /* the pool's timeline: the balance starts at B */
    ck_assert_double_eq(r->timeline.balance_mean[0] + 0, r->timeline.balance_mean[0]);
    ck_assert(r->timeline.balance_mean[r->timeline.n - 1] >= 0);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* Two identical regions and the pooled queue under first_come: pooling can
 * only move money to where cases are.  It is not a per-replication
 * theorem (first-come can spend the shared money on an early expensive
 * case that a split would have refused), but money stranded in a region
 * with no affordable case, which the split suffers and the pool does not,
 * dominates here (each region's account, USD 6,000, covers few bonds of a
 * lognormal with median 2,500): the mean paired difference must not be
 * below zero by more than 4 standard errors of the paired difference. */
START_TEST(test_pooled_at_least_split)
{
    scenario *s = load_text("[fund]\nbudget_usd = 12000\nhorizon_days = 180\npolicy = first_come\nqueue = wait\n"
                            "[region.a]\ninitial_detained = 3\narrivals_per_day = 0.05\n"
                            "bond_usd = lognormal(median=2500, sigma=0.6, min=1500)\n"
                            "hearing_delay_days = uniform(min=1, max=30)\nrefund_prob = 0.5\n"
                            "case_duration_days = fixed(40)\n[region.b]\ninitial_detained = 3\n"
                            "arrivals_per_day = 0.05\nbond_usd = lognormal(median=2500, sigma=0.6, min=1500)\n"
                            "hearing_delay_days = uniform(min=1, max=30)\nrefund_prob = 0.5\n"
                            "case_duration_days = fixed(40)\n");
    double allocs[4] = {6000, 6000, 0, 0};
    int pooled[2] = {0, 1};
    eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(2000), .threads = 2, .pooled = pooled};
    eval_result *r = run_eval(s, allocs, 2, &o);
    const stat_acc *d = &r->allocs[1].diff_releases; /* pooled minus split, paired */
    double se = stat_sd(d) / sqrt(d->n);
    ck_assert_msg(d->mean > -4 * se, "pooled - split = %.3f, SE %.3f", d->mean, se);
    ck_assert_msg(d->mean > 0, "pooling helps here: %.3f", d->mean);
    eval_free(r);
    scenario_free(s);
}
END_TEST

/* Pooled results do not depend on the thread count. */
START_TEST(test_pooled_threads)
{
    scenario *s = load_text("[fund]\nbudget_usd = 12000\nhorizon_days = 200\npolicy = first_come\nqueue = wait\n"
                            "donations_usd_per_month = 500\n[region.a]\ninitial_detained = 5\narrivals_per_day = 0.1\n"
                            "refund_prob = 0.5\ncase_duration_days = fixed(30)\nmax_payments_per_day = 1\n[region.b]\n"
                            "initial_detained = 4\narrivals_per_day = 0.2\nbond_usd = fixed(2500)\n");
    double allocs[4] = {6000, 6000, 0, 0};
    int pooled[2] = {0, 1};
    eval_result *r[2];
    for (int t = 0; t < 2; t++) {
        eval_options o = {.stream = RNG_STREAM_EVALUATE, .nreps = reps(1500), .threads = t + 1, .pooled = pooled};
        r[t] = run_eval(s, allocs, 2, &o);
    }
    for (size_t k = 0; k < 2; k++) {
        same_acc(&r[0]->allocs[k].releases, &r[1]->allocs[k].releases, "releases");
        same_acc(&r[0]->allocs[k].balance_end, &r[1]->allocs[k].balance_end, "balance");
        for (size_t c = 0; c < 2; c++)
            same_acc(&r[0]->allocs[k].regions[c].spent, &r[1]->allocs[k].regions[c].spent, "region spent");
    }
    eval_free(r[0]);
    eval_free(r[1]);
    scenario_free(s);
}
END_TEST

/* fianza optimize reports the pooled fund beside the optimal split, and
 * compare --pooled takes it as a variant.  One region whose three bonds of
 * USD 1,500 the budget of 4,500 covers exactly: the optimal split gives the
 * region 4,500, every replication releases 3 under both, and the paired
 * difference is exactly 0. */
START_TEST(test_cli_pooled)
{
    const char *dir = cu_test_dir("cli");
    const char *ini = cu_path_in(dir, "one.ini");
    cu_write_file(ini, "[fund]\nbudget_usd = 4500\ngranularity_usd = 1500\npolicy = first_come\n"
                       "[simulation]\nreplications = 50\n[region.a]\ninitial_detained = 3\n");
    const char *out = cu_path_in(dir, "opt");
    run_result r;
    int rc = CU_RUN(&r, "optimize", ini, "--no-plots", "--gap-batches", "2", "-o", out);
    ck_assert_msg(rc == 0, "optimize: exit %d: %s", rc, r.err);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_double_eq(cu_json_num(doc, "pooled.releases.mean"), 3);
    ck_assert_double_eq(cu_json_num(doc, "pooled.difference_to_optimal.mean"), 0);
    ck_assert_double_eq(cu_json_num(doc, "pooled.spent_usd.mean"), 4500);
    ck_assert_ptr_nonnull(strstr(r.out, "pooled fund (one account, one queue): releases 3.00"));
    json_decref(doc);
    cu_run_free(&r);
    out = cu_path_in(dir, "cmp");
    rc = CU_RUN(&r, "compare", ini, "--no-plots", "--allocation", "a=3000", "--pooled", "-o", out);
    ck_assert_msg(rc == 0, "compare: exit %d: %s", rc, r.err);
    doc = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert(json_is_true(cu_json_at(doc, "variants.1.pooled")));
    ck_assert_double_eq(cu_json_num(doc, "variants.1.releases.mean"), 3);
    ck_assert_double_eq(cu_json_num(doc, "variants.0.releases.mean"), 2);
    ck_assert_double_eq(cu_json_num(doc, "variants.1.difference_to_first.mean"), 1);
    json_decref(doc);
    cu_run_free(&r);
}
END_TEST

Suite *make_pool_suite(void)
{
    Suite *s = suite_create("pool");
    TCase *t = tcase_create("pooled");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_one_region_identical);
    tcase_add_test(t, test_cheapest_pooled_dominates);
    tcase_add_test(t, test_pooled_at_least_split);
    tcase_add_test(t, test_pooled_threads);
    suite_add_tcase(s, t);
    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 120);
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_add_test(cli, test_cli_pooled);
    suite_add_tcase(s, cli);
    return s;
}

FZ_CHECK_MAIN(pool)
