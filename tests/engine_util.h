/* engine_util.h: helpers shared by check_engine.c, check_eval.c and check_ledger.c (the
 * engine and eval_run through the library API).  Static functions; include
 * after check_common.h, in a file that defines _GNU_SOURCE (mkstemps); inline,
 * so that a suite may use only some. */
#ifndef FZ_ENGINE_UTIL_H
#define FZ_ENGINE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "engine.h"
#include "eval.h"
#include "rng.h"
#include "scenario.h"

/* Scenarios are INI text written to mkstemps files, loaded with
 * scenario_load and unlinked at once. */

static inline scenario *load_text(const char *text)
{
    const char *base = getenv("TMPDIR");
    char path[256];
    snprintf(path, sizeof path, "%s/fz_engine_XXXXXX.ini", base && *base && strlen(base) < 200 ? base : "/tmp");
    int fd = mkstemps(path, 4);
    ck_assert_msg(fd >= 0, "mkstemps failed");
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    scenario *s = NULL;
    fz_error err = {0, ""};
    int rc = scenario_load(&s, path, NULL, 0, &err);
    unlink(path);
    ck_assert_msg(rc == 0, "scenario_load: %s\n%s", err.msg, text);
    return s;
}

static inline engine_ws *ws_new(void)
{
    engine_ws *ws = engine_ws_new();
    ck_assert_ptr_nonnull(ws);
    return ws;
}

static inline void draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy p, uint64_t stream,
                        uint64_t rep)
{
    fz_error err = {0, ""};
    int rc = engine_draw(ws, s, region, p, stream, rep, &err);
    ck_assert_msg(rc == 0, "engine_draw: %s", err.msg);
}

static inline eval_result *run_eval(const scenario *s, const double *allocs, size_t nalloc, eval_options *opt)
{
    eval_result *r = NULL;
    fz_error err = {0, ""};
    opt->keep_totals = 1; /* the suites compare replications' totals */
    int rc = eval_run(&r, s, allocs, nalloc, opt, &err);
    ck_assert_msg(rc == 0, "eval_run: %s", err.msg);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* Two regions with random arrivals, bonds, delays and removal: the policies
 * differ on it (used by the policy and determinism tests). */
static const char random_text[] =
    "[fund]\nbudget_usd = 300000\nhorizon_days = 90\n"
    "[region.chicago]\ninitial_detained = 150\narrivals_per_day = 2.5\nbond_grant_prob = 0.6\n"
    "bond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\nmax_bond_paid_usd = 25000\n"
    "hearing_delay_days = gamma(mean=14, sd=7)\nrelease_delay_days = fixed(1)\n"
    "removal_hazard_per_day = 0.005\nfamily_pays_prob = 0.2\n"
    "[region.kc]\ninitial_detained = 60\narrivals_per_day = 1\nbond_grant_prob = 0.5\n"
    "bond_usd = lognormal(median=4000, sigma=0.8, min=1500)\ncase_cost_usd = 120\n"
    "hearing_delay_days = uniform(min=3, max=40)\nrelease_delay_days = exponential(mean=2)\n";

#endif
