/* ledger_random.h: the randomised half of check_ledger.c (included once,
 * after its helpers): a generator of small §7 scenarios and the test that
 * engine_settle equals the reference (tests/ledger_ref.c) on them, that
 * engine_settle_grid equals engine_settle at every grid point, and that the
 * ledger's invariants hold on every replication. */
#ifndef FZ_LEDGER_RANDOM_H
#define FZ_LEDGER_RANDOM_H

/* splitmix64: the generator's own choices, independent of fianza's streams. */
static uint64_t gen_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int gen_pick(uint64_t *st, int n) { return (int)(gen_next(st) % (uint64_t)n); }

#define GEN_ONE_OF(st, arr) ((arr)[gen_pick((st), (int)(sizeof(arr) / sizeof *(arr)))])

/* Scenario number k as INI text (buf of size len): a few regions with
 * refunds, donations, capacity, weekdays, skip/wait, max_wait, stays,
 * copays, removal and family payments mixed at random; small enough that
 * the reference's O(n^2) loop stays quick.  Every choice loads. */
static void gen_scenario(uint64_t k, char *buf, size_t len)
{
    uint64_t st = 0x1234567ull + k * 7919;
    static const char *budgets[] = {"6000", "20000", "50000"};
    static const char *horizons[] = {"30", "60", "61.5", "95", "150"};
    static const char *donations[] = {"0", "0", "1500", "4000"};
    static const char *waits[] = {"", "max_wait_days = 0\n", "max_wait_days = 4\n", "max_wait_days = 20.5\n"};
    static const char *bonds[] = {"fixed(1500)", "uniform(min=1000, max=6000)",
                                  "lognormal(median=2500, sigma=0.6, min=500, max=20000)",
                                  "mixture(0.5: fixed(1500); 0.5: fixed(3000))"};
    static const char *hearings[] = {"fixed(0)", "uniform(min=0, max=25)", "exponential(mean=8)", "fixed(2.5)"};
    static const char *delays[] = {"fixed(0)", "fixed(1)", "exponential(mean=2)", "uniform(min=0, max=0.9)"};
    static const char *durations[] = {"fixed(0)", "uniform(min=2, max=30)", "exponential(mean=15)", "fixed(7)"};
    static const char *lags[] = {"fixed(0)", "uniform(min=0, max=6)"};
    static const char *caps[] = {"",
                                 "",
                                 "max_payments_per_day = 0\n",
                                 "max_payments_per_day = 1\n",
                                 "max_payments_per_day = 2\n",
                                 "max_payments_per_day = 5\n"};
    static const char *copays[] = {"", "", "copay_usd = uniform(min=0, max=1200)\n", "copay_usd = fixed(500)\n"};
    static const char *stays[] = {"", "", "stay_prob = 0.4\nstay_days = uniform(min=1, max=15)\n",
                                  "stay_prob = 0.3\nstay_days = fixed(3)\nstay_revoke_prob = 0.5\n"};
    static const char *refunds[] = {"0", "0.5", "1", "1"};
    static const char *hazards[] = {"0", "0", "0.02"};
    static const char *family[] = {"0", "0.2"};
    static const char *arrivals[] = {"0", "0.2", "0.6"};
    size_t o = 0;
    int wait = gen_pick(&st, 2);
    o += (size_t)snprintf(buf + o, len - o,
                          "[fund]\nbudget_usd = %s\nhorizon_days = %s\ngranularity_usd = %s\npolicy = first_come\n"
                          "donations_usd_per_month = %s\nqueue = %s\n%sposting_days = %s\nstart_weekday = %d\n"
                          "[simulation]\nseed = %d\n",
                          GEN_ONE_OF(&st, budgets), GEN_ONE_OF(&st, horizons), "500", GEN_ONE_OF(&st, donations),
                          wait ? "wait" : "skip", wait ? GEN_ONE_OF(&st, waits) : "",
                          gen_pick(&st, 2) ? "weekdays" : "all", gen_pick(&st, 7), 1 + (int)k);
    int nreg = 1 + gen_pick(&st, 3);
    for (int c = 0; c < nreg; c++)
        o += (size_t)snprintf(buf + o, len - o,
                              "[region.r%d]\ninitial_detained = %d\narrivals_per_day = %s\nbond_usd = %s\n"
                              "case_cost_usd = %s\nhearing_delay_days = %s\nrelease_delay_days = %s\n"
                              "removal_hazard_per_day = %s\nfamily_pays_prob = %s\nrefund_prob = %s\n"
                              "case_duration_days = %s\nrefund_lag_days = %s\n%s%s%s",
                              c, gen_pick(&st, 15), GEN_ONE_OF(&st, arrivals), GEN_ONE_OF(&st, bonds),
                              gen_pick(&st, 2) ? "150" : "0", GEN_ONE_OF(&st, hearings), GEN_ONE_OF(&st, delays),
                              GEN_ONE_OF(&st, hazards), GEN_ONE_OF(&st, family), GEN_ONE_OF(&st, refunds),
                              GEN_ONE_OF(&st, durations), GEN_ONE_OF(&st, lags), GEN_ONE_OF(&st, caps),
                              GEN_ONE_OF(&st, copays), GEN_ONE_OF(&st, stays));
    ck_assert_uint_lt(o, len);
}

/* The invariants of one reference settlement (whose stats equal the
 * engine's): money balances, releases <= fundable, payments only on posting
 * days, at most the capacity a day, after e, before H, while m > t + r,
 * within max_wait_days under wait. */
static void check_invariants(const both *b, const ledger_ref_in *in, const char *what)
{
    const engine_stats *e = &b->eng;
    double don = 0;
    for (double t = 30; t < in->horizon; t += 30)
        don += in->donation;
    double lhs = e->spent - e->refunded, rhs = in->x + don - e->balance_end;
    ck_assert_msg(fabs(lhs - rhs) <= 1e-9 * fmax(1, in->x + don + e->spent),
                  "%s: paid - refunded %.17g, x + donations - balance %.17g", what, lhs, rhs);
    ck_assert_msg(e->releases <= e->fundable, "%s: releases > fundable", what);
    ck_assert_msg(e->balance_end >= -1e-9 * fmax(1, in->x + don), "%s: balance %g < 0", what, e->balance_end);
    size_t ndays = (size_t)ceil(in->horizon) + 1;
    double *per_day = calloc(ndays, sizeof *per_day);
    ck_assert_ptr_nonnull(per_day);
    for (size_t i = 0; i < b->n; i++) {
        double t = b->paid_at[i];
        if (isnan(t))
            continue;
        const engine_lcase *c = &b->cases[i];
        ck_assert_msg(t >= c->ready && t < in->horizon, "%s: paid at %g, ready %g", what, t, c->ready);
        ck_assert_msg(ledger_ref_posting_day(in, t), "%s: paid at %g, not a posting day", what, t);
        ck_assert_msg(c->removal > t + c->delay, "%s: paid at %g, removed at %g", what, t, c->removal);
        if (in->wait)
            ck_assert_msg(t - c->ready <= in->max_wait_days, "%s: waited %g", what, t - c->ready);
        per_day[(size_t)floor(t)] += 1;
    }
    for (size_t d = 0; d < ndays; d++)
        ck_assert_msg(per_day[d] <= in->cap, "%s: %g payments on day %zu", what, per_day[d], d);
    free(per_day);
}

/* Engine and reference on the one-day grid 0, 1, ..., H: cumulative
 * releases exactly, balance to 1e-6 relative. */
static void check_grid(engine_ws *ws, const scenario *s, size_t c, double x, const both *b, const char *what)
{
    const double H = s->horizon_days;
    size_t ng = (size_t)ceil(H) + 1;
    double *grid = malloc(4 * ng * sizeof *grid);
    ck_assert_ptr_nonnull(grid);
    double *erel = grid + ng, *ebal = erel + ng, *rrel = ebal + ng, *rbal = malloc(ng * sizeof *rbal);
    ck_assert_ptr_nonnull(rbal);
    for (size_t j = 0; j < ng; j++)
        grid[j] = j + 1 == ng ? H : (double)j;
    engine_trace tr = {.grid = grid, .ngrid = ng, .rel = erel, .bal = ebal};
    engine_stats st;
    engine_settle(&st, ws, s, c, s->policy, x, &tr);
    ledger_ref_in in;
    ledger_ref_params(&in, s, c, x);
    engine_stats rs;
    ck_assert_int_eq(ledger_ref_run(&in, b->cases, b->n, &rs, NULL, grid, ng, rrel, rbal), 0);
    for (size_t j = 0; j < ng; j++) {
        ck_assert_msg(erel[j] == rrel[j], "%s: releases by %g: engine %g, reference %g", what, grid[j], erel[j],
                      rrel[j]);
        ck_assert_msg(close_to(ebal[j], rbal[j], 1e-6), "%s: balance at %g: engine %.17g, reference %.17g", what,
                      grid[j], ebal[j], rbal[j]);
    }
    ck_assert_double_eq(erel[ng - 1], st.releases);
    free(grid);
    free(rbal);
}

/* Replications of each scenario in the randomised tests, and the number of
 * scenarios: fewer under valgrind (tests/CMakeLists.txt sets
 * FIANZA_TEST_VALGRIND), where the reference runs 50 times slower. */
enum { NREP = 16 };

static int nscen(void) { return getenv("FIANZA_TEST_VALGRIND") ? 8 : 120; }

START_TEST(test_random_agreement)
{
    char text[8192];
    engine_ws *ws = engine_ws_new();
    ck_assert_ptr_nonnull(ws);
    /* what the settlements exercised: payments after waiting, refunds back
     * before H, cases left unpaid, donations, weekday posting, capacity */
    long waited = 0, refunded = 0, unpaid = 0, ledger = 0, total = 0;
    for (int k = 0, ns = nscen(); k < ns; k++) {
        gen_scenario((uint64_t)k, text, sizeof text);
        scenario *s = load(text);
        const double B = s->budget_usd;
        const double xs[] = {0, 1500, B / 7, B / 2, B};
        for (size_t c = 0; c < s->nregions; c++)
            for (int rep = 0; rep < NREP; rep++) {
                draw_rep(ws, s, c, (uint64_t)rep);
                for (size_t ix = 0; ix < sizeof xs / sizeof *xs; ix++) {
                    char ctx[64], what[128];
                    snprintf(ctx, sizeof ctx, "scenario %d rep %d: ", k, rep);
                    snprintf(what, sizeof what, "%sregion %zu x %g", ctx, c, xs[ix]);
                    both b;
                    settle_both_in(&b, ws, s, c, xs[ix], ctx);
                    ledger_ref_in in;
                    ledger_ref_params(&in, s, c, xs[ix]);
                    check_invariants(&b, &in, what);
                    total++;
                    ledger += scenario_uses_ledger(s, c);
                    waited += b.ref.waited_days > 0;
                    refunded += b.ref.refunded > 0;
                    unpaid += b.ref.unpaid > 0 && b.ref.releases > 0;
                    double *sorted = calloc(b.n + 1, sizeof *sorted);
                    ck_assert_ptr_nonnull(sorted);
                    size_t np = 0;
                    for (size_t i = 0; i < b.n; i++)
                        if (!isnan(b.paid_at[i]))
                            sorted[np++] = b.paid_at[i] + b.cases[i].delay - b.cases[i].arrive;
                    qsort(sorted, np, sizeof *sorted, cmp_double);
                    for (size_t i = 0; i < np; i++)
                        ck_assert_msg(close_to(sorted[i], b.days[i], 1e-9), "%s: detention days %zu: %g vs %g", what, i,
                                      b.days[i], sorted[i]);
                    free(sorted);
                    if (ix == 3)
                        check_grid(ws, s, c, xs[ix], &b, what);
                    both_free(&b);
                }
            }
        scenario_free(s);
    }
    engine_ws_free(ws);
    ck_assert_msg(ledger > total / 2 && waited > total / 20 && refunded > total / 20 && unpaid > total / 20,
                  "of %ld settlements, %ld on the ledger, %ld paid after waiting, %ld with refunds, %ld with paid and "
                  "unpaid cases",
                  total, ledger, waited, refunded, unpaid);
}
END_TEST

/* engine_settle_grid equals engine_settle at every grid point, exactly. */
START_TEST(test_random_settle_grid)
{
    char text[8192];
    engine_ws *ws = engine_ws_new();
    ck_assert_ptr_nonnull(ws);
    for (int k = 0, ns = nscen(); k < ns; k++) {
        gen_scenario((uint64_t)k, text, sizeof text);
        scenario *s = load(text);
        size_t ngrid = scenario_grid_points(s);
        double *rel = malloc(2 * ngrid * sizeof *rel), *fre = rel + ngrid;
        ck_assert_ptr_nonnull(rel);
        for (size_t c = 0; c < s->nregions; c++)
            for (int rep = 0; rep < NREP; rep++) {
                draw_rep(ws, s, c, (uint64_t)rep);
                engine_settle_grid(ws, s, c, s->policy, s->granularity_usd, ngrid, rel, fre);
                for (size_t g = 0; g < ngrid; g++) {
                    engine_stats st;
                    engine_settle(&st, ws, s, c, s->policy, (double)g * s->granularity_usd, NULL);
                    ck_assert_msg(rel[g] == st.releases && fre[g] == st.freedom_days,
                                  "scenario %d region %zu rep %d grid %zu: settle_grid %g/%.17g, settle %g/%.17g", k, c,
                                  rep, g, rel[g], fre[g], st.releases, st.freedom_days);
                }
            }
        free(rel);
        scenario_free(s);
    }
    engine_ws_free(ws);
}
END_TEST

#endif
