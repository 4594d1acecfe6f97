/* check_progress_slow: the run-time estimate against the run (issue 14
 * item 8), on seed-2025 at USD 450,000 with 2,000 replications (where a pilot
 * of 8 replications once said "2 minutes" for a run of 0.74 s).  Each stage's
 * estimate must be within a factor of 3 of its time, and the whole within 3
 * (in one of three attempts).
 * Wall time on a shared machine: labelled slow (tests/CMakeLists.txt). */
#include <check.h>
#include <stdio.h>

#include "check_common.h"
#include "estimate.h"
#include "optimize.h"
#include "scenario.h"

/* est within a factor of 3 of got (stages under 50 ms are left out: clock
 * and scheduling noise); else why, in msg. */
static int within(char *msg, size_t size, const char *what, double est, double got)
{
    if ((got < 0.05 && est < 0.05) || (est <= 3 * got && got <= 3 * est))
        return 1;
    snprintf(msg, size, "%s: estimated %.3f s, took %.3f s", what, est, got);
    return 0;
}

/* One estimate and its run: 1 if every figure is within a factor of 3. */
static int attempt(const scenario *s, char *msg, size_t size)
{
    optimize_options o = {.gap_batches = 10};
    optimize_eta e;
    fz_error err = {0, ""};
    ck_assert_msg(optimize_estimate(&e, s, &o, &err) == 0, "%s", err.msg);
    optimize_result *r = NULL;
    ck_assert_msg(optimize_run(&r, s, &o, &err) == 0, "%s", err.msg);
    double whole = r->seconds_curves + r->seconds_solve + r->seconds_eval + r->seconds_gap;
    fprintf(
        stderr,
        "estimate %.3f s (curves %.3f, evaluation and wait-and-see %.3f, gap %.3f); took %.3f s (%.3f, %.3f, %.3f)\n",
        e.seconds, e.curves, e.evaluate + e.wait_and_see, e.gap, whole, r->seconds_curves, r->seconds_eval,
        r->seconds_gap);
    int ok = within(msg, size, "curves", e.curves, r->seconds_curves) &&
             within(msg, size, "evaluation and wait-and-see", e.evaluate + e.wait_and_see, r->seconds_eval) &&
             within(msg, size, "gap", e.gap, r->seconds_gap) && within(msg, size, "whole", e.seconds, whole);
    optimize_free(r);
    return ok;
}

/* A burst of load from elsewhere between the pilot and the run can break
 * one attempt: three are allowed. */
START_TEST(test_estimate_against_run)
{
    char path[512], msg[256] = "";
    snprintf(path, sizeof path, "%s/../scenarios/seed-2025.ini", FZ_TEST_DIR);
    const char *sets[] = {"simulation.replications=2000", "fund.budget_usd=450000"};
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, sets, 2, &err) == 0, "%s", err.msg);
    int ok = 0;
    for (int i = 0; i < 3 && !ok; i++)
        ok = attempt(s, msg, sizeof msg);
    ck_assert_msg(ok, "%s", msg);
    scenario_free(s);
}
END_TEST

Suite *make_progress_slow_suite(void);
Suite *make_progress_slow_suite(void)
{
    Suite *s = suite_create("progress_slow");
    TCase *t = tcase_create("estimate");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, test_estimate_against_run);
    suite_add_tcase(s, t);
    return s;
}

FZ_CHECK_MAIN(progress_slow)
