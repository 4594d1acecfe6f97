/* eval_same.h: bit-for-bit comparison of two eval_result, every statistic
 * (DESIGN §1 and §7) and the timeline's arrays, for check_timeline.c and
 * check_time_stats.c, and an on_block callback recording every
 * replication's engine_stats.  Static functions; include after
 * engine_util.h.
 *
 * Statistics are plain structs of doubles (stat_acc, stat_cov), so memcmp
 * compares them bit for bit (-0.0 and NAN payloads included). */
#ifndef FZ_EVAL_SAME_H
#define FZ_EVAL_SAME_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check_common.h"
#include "eval.h"

#define SAME_STAT(a, b, what, k, c)                                                                                    \
    ck_assert_msg(memcmp(&(a), &(b), sizeof(a)) == 0, "%s: %s differs (allocation %zu, region %zu)", ctx, what,       \
                  (size_t)(k), (size_t)(c))

/* The statistics of region c (allocation k) of a and b are bit-identical. */
static void same_region(const eval_result *a, const eval_result *b, size_t k, size_t c, const char *ctx)
{
    const eval_region *x = &a->allocs[k].regions[c], *y = &b->allocs[k].regions[c];
    SAME_STAT(x->releases, y->releases, "releases", k, c);
    SAME_STAT(x->spent, y->spent, "spent", k, c);
    SAME_STAT(x->fundable, y->fundable, "fundable", k, c);
    SAME_STAT(x->freedom_days, y->freedom_days, "freedom_days", k, c);
    SAME_STAT(x->refunded, y->refunded, "refunded", k, c);
    SAME_STAT(x->balance_end, y->balance_end, "balance_end", k, c);
    SAME_STAT(x->unpaid, y->unpaid, "unpaid", k, c);
    SAME_STAT(x->detention_days_sum, y->detention_days_sum, "detention_days_sum", k, c);
    SAME_STAT(x->waited_days_sum, y->waited_days_sum, "waited_days_sum", k, c);
    SAME_STAT(x->spent_per_release, y->spent_per_release, "spent_per_release", k, c);
    SAME_STAT(x->detention_per_release, y->detention_per_release, "detention_per_release", k, c);
}

static void same_array(const double *x, const double *y, size_t n, const char *ctx, const char *what)
{
    ck_assert_msg(memcmp(x, y, n * sizeof *x) == 0, "%s: timeline %s differs", ctx, what);
}

/* Everything in a and b is bit-identical: every allocation's totals and
 * statistics, every region's, the days histogram and the timeline. */
static void same_results(const eval_result *a, const eval_result *b, const char *ctx)
{
    ck_assert_uint_eq(a->nalloc, b->nalloc);
    ck_assert_uint_eq(a->nregions, b->nregions);
    ck_assert_uint_eq(a->nreps, b->nreps);
    ck_assert_msg(a->people == b->people, "%s: people %.17g vs %.17g", ctx, a->people, b->people);
    for (size_t k = 0; k < a->nalloc; k++) {
        const eval_alloc *x = &a->allocs[k], *y = &b->allocs[k];
        ck_assert_msg(memcmp(x->totals, y->totals, a->nreps * sizeof *x->totals) == 0, "%s: totals differ", ctx);
        SAME_STAT(x->releases, y->releases, "releases", k, SIZE_MAX);
        SAME_STAT(x->spent, y->spent, "spent", k, SIZE_MAX);
        SAME_STAT(x->freedom_days, y->freedom_days, "freedom_days", k, SIZE_MAX);
        SAME_STAT(x->refunded, y->refunded, "refunded", k, SIZE_MAX);
        SAME_STAT(x->balance_end, y->balance_end, "balance_end", k, SIZE_MAX);
        SAME_STAT(x->unpaid, y->unpaid, "unpaid", k, SIZE_MAX);
        SAME_STAT(x->waited_days_sum, y->waited_days_sum, "waited_days_sum", k, SIZE_MAX);
        SAME_STAT(x->reserve_end, y->reserve_end, "reserve_end", k, SIZE_MAX);
        SAME_STAT(x->diff_releases, y->diff_releases, "diff_releases", k, SIZE_MAX);
        SAME_STAT(x->diff_freedom, y->diff_freedom, "diff_freedom", k, SIZE_MAX);
        SAME_STAT(x->reach_target, y->reach_target, "reach_target", k, SIZE_MAX);
        for (size_t c = 0; c < a->nregions; c++)
            same_region(a, b, k, c, ctx);
    }
    ck_assert_msg(a->days_bin == b->days_bin, "%s: days_bin differs", ctx);
    same_array(a->days_hist, b->days_hist, a->nregions * EVAL_DAYS_BINS, ctx, "days_hist");
    const eval_timeline *t = &a->timeline, *u = &b->timeline;
    ck_assert_uint_eq(t->n, u->n);
    same_array(t->day, u->day, t->n, ctx, "day");
    same_array(t->releases_mean, u->releases_mean, t->n, ctx, "releases_mean");
    same_array(t->releases_p05, u->releases_p05, t->n, ctx, "releases_p05");
    same_array(t->releases_p50, u->releases_p50, t->n, ctx, "releases_p50");
    same_array(t->releases_p95, u->releases_p95, t->n, ctx, "releases_p95");
    same_array(t->balance_mean, u->balance_mean, t->n, ctx, "balance_mean");
    same_array(t->balance_p05, u->balance_p05, t->n, ctx, "balance_p05");
    same_array(t->balance_p50, u->balance_p50, t->n, ctx, "balance_p50");
    same_array(t->balance_p95, u->balance_p95, t->n, ctx, "balance_p95");
}

/* Records each block's engine_stats at [rep - base]. */
typedef struct rec {
    engine_stats *all;
    uint64_t base;
    size_t per;
} rec;

static inline int record(void *ctx, const eval_result *r, uint64_t first, size_t n, const engine_stats *st, fz_error *err)
{
    (void)r;
    (void)err;
    rec *x = ctx;
    memcpy(x->all + (first - x->base) * x->per, st, n * x->per * sizeof *st);
    return 0;
}

/* |a - b| <= rel max(|a|, |b|, 1). */
static int near_rel(double a, double b, double rel)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= rel * (m > 1 ? m : 1);
}

#endif
