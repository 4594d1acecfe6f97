/* eval_result: the result of an evaluation (eval.h) — its accessors, its
 * allocation, and the fold of each block's statistics into it in
 * replication order (split from eval.c, which runs the pass). */
#include "eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "realloc.h"
#include "timeline.h"

void eval_free(eval_result *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->nalloc && r->allocs; k++) {
        free(r->allocs[k].alloc);
        free(r->allocs[k].totals);
        tally_free(&r->allocs[k].dist);
        free(r->allocs[k].regions);
        cv_y_free(&r->allocs[k].cv_releases);
        cv_y_free(&r->allocs[k].cv_spent);
        cv_y_free(&r->allocs[k].cv_freedom);
        cv_y_free(&r->allocs[k].cv_diff_releases);
        cv_y_free(&r->allocs[k].cv_diff_freedom);
        cv_y_free(&r->allocs[k].cv_reach);
        cv_y_free(&r->allocs[k].cv_diff_reach);
    }
    cv_x_free(&r->cv_controls);
    free(r->allocs);
    free(r->cv_mu);
    free(r->days_hist);
    tl_free(&r->timeline);
    free(r);
}

double eval_detention_mean(const eval_result *r, size_t k, size_t c)
{
    const eval_region *g = &r->allocs[k].regions[c];
    double releases = g->releases.mean * g->releases.n;
    return releases > 0 ? g->detention_days_sum / releases : NAN;
}

cv_est eval_cv(const eval_result *r, const cv_acc *a, size_t c)
{
    if (!r->cv_mu)
        return (cv_est){NAN, NAN, NAN, NAN};
    return cv_estimate(a, r->cv_mu[c]);
}

cv_est eval_cv_total(const eval_result *r, const cv_y *y)
{
    if (!r->cv_mu)
        return (cv_est){NAN, NAN, NAN, NAN};
    return cv_estimate_vec(&r->cv_controls, y, r->cv_mu);
}

int eval_releases(const eval_result *r, size_t k, double *mean, double *half95)
{
    const eval_alloc *a = &r->allocs[k];
    cv_est e = eval_cv_total(r, &a->cv_releases);
    if (isfinite(e.mean) && isfinite(e.half95)) {
        *mean = e.mean;
        *half95 = e.half95;
        return 1;
    }
    *mean = a->releases.mean;
    *half95 = stat_ci95_half(&a->releases);
    return 0;
}

double eval_waited_mean(const eval_result *r, size_t k, size_t c)
{
    const eval_alloc *a = &r->allocs[k];
    double releases = 0, waited = c == SIZE_MAX ? a->waited_days_sum : a->regions[c].waited_days_sum;
    for (size_t j = 0; j < r->nregions; j++)
        if (c == SIZE_MAX || j == c)
            releases += a->regions[j].releases.mean * a->regions[j].releases.n;
    return releases > 0 ? waited / releases : NAN;
}

/* The reserve of allocation x (DESIGN §7): what the split leaves, B - sum x,
 * and its share of each donation, D (B - sum x) / B at t = 30, 60, ... < H.
 * Its value at every grid day goes to series (when not NULL); returns its
 * value at H. */
double eval_reserve(const scenario *s, const double *x, const double *day, size_t n, double *series)
{
    double left = s->budget_usd;
    for (size_t c = 0; c < s->nregions; c++)
        left -= x[c];
    if (left < 1e-9 * s->budget_usd) /* rounding of a full split */
        left = 0;
    double don = s->donations_usd_per_month * left / s->budget_usd, v = left;
    size_t j = 0;
    for (long m = 1; 30.0 * (double)m < s->horizon_days; m++) {
        for (; series && j < n && day[j] < 30.0 * (double)m; j++)
            series[j] = v;
        v += don;
    }
    for (; series && j < n; j++)
        series[j] = v;
    return v;
}

eval_result *eval_result_new(const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt)
{
    size_t C = s->nregions;
    eval_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->nalloc = nalloc;
    r->nregions = C;
    r->nreps = opt->nreps;
    r->stream = opt->stream;
    r->first_rep = opt->first_rep;
    r->precision_target = opt->precision > 0 ? opt->precision : 0;
    r->precision_block = opt->precision_block > 0 ? opt->precision_block : EVAL_BLOCK;
    r->allocs = calloc(nalloc, sizeof *r->allocs);
    r->days_hist = calloc(C * EVAL_DAYS_BINS, sizeof *r->days_hist);
    /* bins of H/500 days (at least a quarter day) reach 4H: hearing and release
     * delays past three horizons land in the last bin */
    r->days_bin = s->horizon_days / 500 > 0.25 ? s->horizon_days / 500 : 0.25;
    if (!r->allocs || !r->days_hist || cv_x_init(&r->cv_controls, C))
        goto fail;
    /* the exact control means, before any replication (never estimated from the run) */
    fz_error cerr = {0, ""};
    if (!(r->cv_mu = malloc((C ? C : 1) * sizeof *r->cv_mu)))
        goto fail;
    if (cv_expected_fundable(s, r->cv_mu, &cerr)) {
        snprintf(r->cv_reason, sizeof r->cv_reason, "%s", cerr.msg);
        free(r->cv_mu);
        r->cv_mu = NULL;
    }
    for (size_t k = 0; k < nalloc; k++) {
        eval_alloc *a = &r->allocs[k];
        a->policy = opt->policies ? opt->policies[k] : s->policy;
        a->alloc = malloc(C * sizeof *a->alloc);
        a->totals = opt->keep_totals ? malloc((opt->nreps ? opt->nreps : 1) * sizeof *a->totals) : NULL;
        a->regions = calloc(C, sizeof *a->regions);
        if (!a->alloc || (opt->keep_totals && !a->totals) || !a->regions || cv_y_init(&a->cv_releases, C) ||
            cv_y_init(&a->cv_spent, C) || cv_y_init(&a->cv_freedom, C) || cv_y_init(&a->cv_diff_releases, C) ||
            cv_y_init(&a->cv_diff_freedom, C) || cv_y_init(&a->cv_reach, C) || cv_y_init(&a->cv_diff_reach, C))
            goto fail;
        memcpy(a->alloc, allocs + k * C, C * sizeof *a->alloc);
        a->pooled = opt->pooled && opt->pooled[k];
        if (a->pooled) /* no split: the pool holds everything (its balance comes per replication) */
            memset(a->alloc, 0, C * sizeof *a->alloc);
        a->realloc = opt->realloc && opt->realloc[k];
        a->reserve_end = a->pooled ? 0 : eval_reserve(s, a->alloc, NULL, 0, NULL);
    }
    return r;
fail:
    eval_free(r);
    return NULL;
}

/* Folds one block into the summary, in replication order; -1 when out of
 * memory (a tally of values that are not whole numbers). */
int eval_fold_stats(eval_result *r, const scenario *s, size_t done, size_t n, const engine_stats *st,
                    const double *poolbal)
{
    size_t C = r->nregions, K = r->nalloc;
    for (size_t i = 0; i < n; i++) {
        double base_rel = 0, base_free = 0, base_reach = 0, xs[SCENARIO_MAX_REGIONS];
        const uint64_t rep = done + i; /* the split of the control variates (cv.h) */
        for (size_t c = 0; c < C; c++) /* the controls: allocation 0's draw, the replication's people */
            xs[c] = st[i * K * C + c].fundable;
        cv_x_add(&r->cv_controls, rep, xs);
        for (size_t k = 0; k < K; k++) {
            eval_alloc *a = &r->allocs[k];
            double rel = 0, spent = 0, freedom = 0, refunded = 0, unpaid = 0;
            double balance = a->pooled || a->realloc ? poolbal[i * K + k] : a->reserve_end;
            for (size_t c = 0; c < C; c++) {
                const engine_stats *e = &st[(i * K + k) * C + c];
                eval_region *g = &a->regions[c];
                stat_add(&g->releases, e->releases);
                stat_add(&g->spent, e->spent);
                stat_add(&g->fundable, e->fundable);
                stat_add(&g->freedom_days, e->freedom_days);
                stat_cov_add(&g->spent_per_release, e->releases, e->spent);
                stat_cov_add(&g->detention_per_release, e->releases, e->detention_days);
                g->detention_days_sum += e->detention_days;
                stat_add(&g->refunded, e->refunded);
                stat_add(&g->balance_end, e->balance_end);
                stat_add(&g->unpaid, e->unpaid);
                g->waited_days_sum += e->waited_days;
                a->waited_days_sum += e->waited_days;
                const double x = st[i * K * C + c].fundable;
                cv_add(&g->cv_releases, rep, x, e->releases);
                cv_add(&g->cv_spent, rep, x, e->spent);
                cv_add(&g->cv_freedom, rep, x, e->freedom_days);
                refunded += e->refunded;
                balance += e->balance_end;
                unpaid += e->unpaid;
                rel += e->releases;
                spent += e->spent;
                freedom += e->freedom_days;
            }
            if (a->totals)
                a->totals[done + i] = rel;
            if (tally_add(&a->dist, rel))
                return -1;
            stat_add(&a->releases, rel);
            stat_add(&a->spent, spent);
            stat_add(&a->freedom_days, freedom);
            stat_add(&a->refunded, refunded);
            stat_add(&a->balance_end, balance);
            stat_add(&a->unpaid, unpaid);
            cv_y_add(&a->cv_releases, &r->cv_controls, rel);
            cv_y_add(&a->cv_spent, &r->cv_controls, spent);
            cv_y_add(&a->cv_freedom, &r->cv_controls, freedom);
            const double reach = s->target_releases > 0 && rel >= s->target_releases;
            a->reach_target += reach;
            if (k == 0) {
                base_rel = rel;
                base_free = freedom;
                base_reach = reach;
            }
            stat_add(&a->diff_releases, rel - base_rel);
            stat_add(&a->diff_freedom, freedom - base_free);
            if (s->target_releases > 0)
                stat_add(&a->diff_reach, reach - base_reach);
            cv_y_add(&a->cv_diff_releases, &r->cv_controls, rel - base_rel);
            cv_y_add(&a->cv_diff_freedom, &r->cv_controls, freedom - base_free);
            cv_y_add(&a->cv_reach, &r->cv_controls, reach);
            cv_y_add(&a->cv_diff_reach, &r->cv_controls, reach - base_reach);
        }
    }
    return 0;
}
