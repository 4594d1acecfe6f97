/* scenario_time_util.h: helpers shared by check_scenario_time.c and
 * check_scenario_time_set.c (DESIGN §7 scenarios).  Static functions;
 * include after scenario_util.h. */
#ifndef FZ_SCENARIO_TIME_UTIL_H
#define FZ_SCENARIO_TIME_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "scenario.h"
#include "scenario_util.h"

/* scenario_print into a malloc'd string. */
static inline char *print_to_string(const scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    scenario_print(f, s);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

static inline void assert_dist(const dist *d, const char *want)
{
    char buf[512];
    ck_assert_ptr_nonnull(d);
    dist_format(d, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
}

/* Loads text that must fail with FZ_EINPUT and a message holding want. */
static inline void load_fails(const char *text, const char *const *sets, size_t nsets, const char *want)
{
    scenario *s = (scenario *)1;
    fz_error err;
    int rc = load_text(&s, "bad.ini", text, sets, nsets, &err);
    ck_assert_msg(rc == FZ_EINPUT, "expected FZ_EINPUT, got %d (%s)\n--- text ---\n%s", rc, err.msg, text);
    ck_assert_int_eq(err.code, FZ_EINPUT);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.msg, want) != NULL, "'%s' lacks '%s'", err.msg, want);
}

/* One phase: [start, end) with grant probability and arrivals. */
static inline void assert_phase(const scenario_phase *p, double start, double end, double grant, double arrivals,
                                double stay)
{
    ck_assert_double_eq(p->start, start);
    ck_assert_double_eq(p->end, end);
    ck_assert_double_eq(p->bond_grant_prob, grant);
    ck_assert_double_eq(p->arrivals_per_day, arrivals);
    ck_assert_double_eq(p->stay_prob, stay);
}

/* Expected people of region r: initial_detained + sum of rate * length over its phases. */
static inline double people_mean(const scenario_region *r)
{
    double n = (double)r->initial_detained;
    for (size_t j = 0; j < r->nphases; j++)
        n += r->phases[j].arrivals_per_day * (r->phases[j].end - r->phases[j].start);
    return n;
}

#endif
