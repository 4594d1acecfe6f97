/* eval: block-parallel evaluation of allocations (eval.h). */
#include "eval.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "par.h"
#include "realloc.h"
#include "timeline.h"

/* fold_block's status when --precision is reached (not an fz_error code) */
enum { EVAL_STOPPED = 100 };

/* One eval_run call: the result being summed, this rank's block (and,
 * under MPI, a second buffer for the blocks of other ranks), and per thread
 * a workspace, a buffer for one draw's days in detention and integer
 * histogram counts (integer sums do not depend on the order of threads). */
typedef struct eval_ctx {
    const scenario *s;
    const eval_options *opt;
    eval_result *r;
    size_t C, K;
    int threads, mixed; /* mixed: allocations use different policies */
    engine_stats *block, *other;
    double *people, *other_people;
    engine_ws **ws;
    double **days;
    uint32_t **dreg; /* regions of a pooled allocation 0's days */
    size_t *days_cap, *dreg_cap;
    uint64_t *hist;
    /* the timeline of allocation 0 (DESIGN §7): the day grid, the reserve on
     * it, per replication of the block the totals (releases then balance,
     * 2 G values: first every region's changes), and the accumulator */
    double *day, *res, *tl, *other_tl;
    size_t G;
    tl_acc *acc;
    /* pooled allocations (DESIGN §8): per thread and allocation a pool, and
     * per replication and allocation the pool's balance at H */
    engine_pool **pools;
    double *poolbal, *other_poolbal;
    int any_pooled;
    realloc_ws **rws; /* per thread: a replication's cases of every region, for re-allocation */
    int any_realloc;
    /* on_curves: per replication of the block its curves (as curve.c's) */
    size_t CG, nblock; /* curve values per replication; replications per block */
    double *crel, *cfre, *other_crel, *other_cfre;
    double *rout, *other_rout; /* on_rep: per replication of the block, rep_values */
} eval_ctx;

/* on_curves: the curves of a block, at most 2^18 doubles per buffer as in
 * curve.c (blocks only change how replications are grouped: every sum is
 * still folded in replication order). */
static int curves_init(eval_ctx *x, fz_error *err)
{
    x->nblock = EVAL_BLOCK;
    if (!x->opt->on_curves && !x->opt->on_rep)
        return 0;
    if (x->mixed || x->r->allocs[0].policy != x->s->policy)
        return fz_fail(err, FZ_ERUNTIME, "curves during an evaluation need the scenario's policy throughout");
    x->CG = x->C * scenario_grid_points(x->s);
    size_t blk = ((size_t)1 << 18) / x->CG;
    x->nblock = blk < 1 ? 1 : blk < EVAL_BLOCK ? blk : EVAL_BLOCK;
    x->crel = malloc(x->nblock * x->CG * sizeof *x->crel);
    x->cfre = malloc(x->nblock * x->CG * sizeof *x->cfre);
    if (par_size() > 1) {
        x->other_crel = malloc(x->nblock * x->CG * sizeof *x->other_crel);
        x->other_cfre = malloc(x->nblock * x->CG * sizeof *x->other_cfre);
    }
    if (!x->crel || !x->cfre || (par_size() > 1 && (!x->other_crel || !x->other_cfre)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the release curves");
    const size_t rv = x->opt->on_rep ? x->opt->rep_values : 0;
    if (rv && (!(x->rout = malloc(x->nblock * rv * sizeof *x->rout)) ||
               (par_size() > 1 && !(x->other_rout = malloc(x->nblock * rv * sizeof *x->other_rout)))))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the per-replication results");
    return 0;
}

static int ctx_init(eval_ctx *x, const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt,
                    fz_error *err)
{
    memset(x, 0, sizeof *x);
    const size_t C = s->nregions, K = nalloc;
    x->s = s;
    x->opt = opt;
    x->C = C;
    x->K = K;
    x->threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    const size_t T = (size_t)x->threads;
    x->r = eval_result_new(s, allocs, nalloc, opt);
    x->block = malloc(EVAL_BLOCK * K * C * sizeof *x->block);
    x->people = calloc(EVAL_BLOCK, sizeof *x->people);
    x->ws = engine_ws_pool(x->threads);
    x->days = calloc(T, sizeof *x->days);
    x->days_cap = calloc(T, sizeof *x->days_cap);
    x->dreg = calloc(T, sizeof *x->dreg);
    x->dreg_cap = calloc(T, sizeof *x->dreg_cap);
    x->hist = calloc(T * C * EVAL_DAYS_BINS, sizeof *x->hist);
    x->day = eval_timeline_grid(s->horizon_days, &x->G);
    const size_t G = x->G;
    x->res = malloc(G * sizeof *x->res);
    x->tl = malloc(EVAL_BLOCK * 2 * G * sizeof *x->tl);
    x->poolbal = calloc(EVAL_BLOCK * K, sizeof *x->poolbal);
    x->pools = calloc(T * K, sizeof *x->pools);
    for (size_t k = 0; opt->pooled && k < K; k++)
        x->any_pooled |= opt->pooled[k] != 0;
    for (size_t j = 0; x->pools && x->any_pooled && j < T * K; j++)
        if (opt->pooled[j % K] && !(x->pools[j] = engine_pool_new()))
            return fz_fail(err, FZ_ERUNTIME, "out of memory for the pooled fund");
    for (size_t k = 0; opt->realloc && k < K; k++)
        x->any_realloc |= opt->realloc[k] != 0;
    if (x->any_realloc && (opt->realloc[0] || !opt->plan)) /* allocation 0 draws the timeline */
        return fz_fail(err, FZ_ERUNTIME, "re-allocation needs a plan and cannot be allocation 0");
    if (x->any_realloc && !(x->rws = calloc(T, sizeof *x->rws)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for re-allocation");
    for (size_t j = 0; x->any_realloc && j < T; j++)
        if (!(x->rws[j] = realloc_ws_new()))
            return fz_fail(err, FZ_ERUNTIME, "out of memory for re-allocation");
    int others = par_size() > 1;
    if (others) {
        x->other = malloc(EVAL_BLOCK * K * C * sizeof *x->other);
        x->other_people = calloc(EVAL_BLOCK, sizeof *x->other_people);
        x->other_tl = malloc(EVAL_BLOCK * 2 * G * sizeof *x->other_tl);
        x->other_poolbal = calloc(EVAL_BLOCK * K, sizeof *x->other_poolbal);
    }
    if (!x->r || !x->block || !x->ws || !x->people || !x->days || !x->dreg || !x->dreg_cap || !x->days_cap ||
        !x->hist || !x->day || !x->res || !x->tl || !x->poolbal || !x->pools ||
        (others && (!x->other || !x->other_people || !x->other_tl || !x->other_poolbal)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the evaluation");
    /* balances stay within the budget and every donation */
    double top = eval_reserve(s, (double[SCENARIO_MAX_REGIONS]){0}, NULL, 0, NULL);
    eval_reserve(s, allocs, x->day, G, x->res);
    if (!(x->acc = tl_acc_new(x->day, G, top)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the timeline");
    for (size_t k = 1; k < K; k++)
        x->mixed |= x->r->allocs[k].policy != x->r->allocs[0].policy;
    int rc = curves_init(x, err);
    /* --precision-block: blocks of at most N, so that the check falls on
     * each multiple of N when N <= the block (sums are folded in replication
     * order whatever the blocks: results do not change) */
    if (!rc && opt->precision > 0 && x->r->precision_block < x->nblock)
        x->nblock = x->r->precision_block;
    return rc;
}

static void ctx_free(eval_ctx *x)
{
    engine_ws_pool_free(x->ws, x->threads);
    for (int t = 0; x->days && t < x->threads; t++)
        free(x->days[t]);
    for (int t = 0; x->dreg && t < x->threads; t++)
        free(x->dreg[t]);
    free(x->days);
    free(x->dreg);
    free(x->dreg_cap);
    free(x->days_cap);
    free(x->hist);
    free(x->block);
    free(x->people);
    free(x->other);
    free(x->other_people);
    free(x->day);
    free(x->res);
    free(x->tl);
    free(x->other_tl);
    tl_acc_free(x->acc);
    for (size_t j = 0; x->pools && j < (size_t)x->threads * x->K; j++)
        engine_pool_free(x->pools[j]);
    free(x->pools);
    for (int t = 0; x->rws && t < x->threads; t++)
        realloc_ws_free(x->rws[t]);
    free(x->rws);
    free(x->poolbal);
    free(x->other_poolbal);
    free(x->crel);
    free(x->cfre);
    free(x->other_crel);
    free(x->other_cfre);
    free(x->rout);
    free(x->other_rout);
}

/* Allocation 0's days in detention into thread tid's histograms. */
static void hist_days(eval_ctx *x, int tid, size_t c, const double *days, size_t n)
{
    uint64_t *h = x->hist + ((size_t)tid * x->C + c) * EVAL_DAYS_BINS;
    for (size_t j = 0; j < n; j++) {
        double b = days[j] / x->r->days_bin;
        h[b < EVAL_DAYS_BINS - 1 ? (size_t)b : EVAL_DAYS_BINS - 1]++;
    }
}

/* Pays every allocation on the draw of region c in thread tid's workspace
 * (drawn: the policy it was drawn under), into block row i. */
static int pay_region(eval_ctx *x, int tid, size_t i, size_t c, uint64_t rep, scenario_policy drawn, fz_error *e)
{
    const eval_result *r = x->r;
    const size_t C = x->C, K = x->K;
    engine_ws *w = x->ws[tid];
    for (size_t k = 0; k < K; k++) {
        scenario_policy pk = r->allocs[k].policy;
        if (r->allocs[k].pooled || r->allocs[k].realloc)
            continue; /* pool_region and pool_settle, realloc_region */
        if (x->mixed && pk != drawn) {
            int rc = engine_draw(w, x->s, c, pk, x->opt->stream, rep, e);
            if (rc)
                return rc;
            drawn = pk;
        }
        engine_stats *st = &x->block[(i * K + k) * C + c];
        /* replication i's timeline: every region's changes, summed in tl_finish */
        double *tl = x->tl + i * 2 * x->G;
        engine_trace tr = {x->days[tid], NULL, x->day, x->G, tl, tl + x->G, 1};
        engine_settle(st, w, x->s, c, pk, r->allocs[k].alloc[c], k == 0 ? &tr : NULL);
        if (k == 0)
            hist_days(x, tid, c, x->days[tid], (size_t)st->releases);
    }
    return 0;
}

/* Region c of a replication joins each pooled allocation's pool, drawn
 * again for it (after every split allocation has been paid on the draw):
 * listed for the ledger under first_come, in cost order under
 * cheapest_first. */
static int pool_region(eval_ctx *x, int tid, size_t c, uint64_t rep, fz_error *e)
{
    engine_ws *w = x->ws[tid];
    for (size_t k = 0; k < x->K; k++) {
        const eval_alloc *a = &x->r->allocs[k];
        if (!a->pooled)
            continue;
        engine_pool *pl = x->pools[(size_t)tid * x->K + k];
        if (c == 0)
            engine_pool_reset(pl);
        int rc = a->policy == POLICY_FIRST_COME ? engine_draw_lcases(w, x->s, c, x->opt->stream, rep, e)
                                                : engine_draw(w, x->s, c, a->policy, x->opt->stream, rep, e);
        if (rc || (rc = engine_pool_add(pl, w, c, e)))
            return rc;
    }
    return 0;
}

/* Every pooled allocation of replication i, settled over all regions;
 * allocation 0's (a pooled simulate) with its trace, which is the whole
 * fund's timeline (the pool holds the budget: no reserve). */
static int pool_settle(eval_ctx *x, int tid, size_t i, fz_error *e)
{
    for (size_t k = 0; k < x->K; k++) {
        const eval_alloc *a = &x->r->allocs[k];
        if (!a->pooled)
            continue;
        engine_pool *pl = x->pools[(size_t)tid * x->K + k];
        engine_stats *st = &x->block[(i * x->K + k) * x->C];
        if (k > 0) {
            engine_settle_pooled(st, &x->poolbal[i * x->K + k], pl, x->s, a->policy, NULL);
            continue;
        }
        size_t n = engine_pool_cases(pl);
        if (n > x->dreg_cap[tid] || n > x->days_cap[tid]) { /* days and their regions, n at least */
            n = n > x->days_cap[tid] ? n : x->days_cap[tid];
            double *nb = realloc(x->days[tid], n * sizeof *nb);
            if (nb)
                x->days[tid] = nb;
            uint32_t *nr = nb ? realloc(x->dreg[tid], n * sizeof *nr) : NULL;
            if (!nr)
                return fz_fail(e, FZ_ERUNTIME, "out of memory for days in detention");
            x->dreg[tid] = nr;
            x->dreg_cap[tid] = x->days_cap[tid] = n;
        }
        double *tl = x->tl + i * 2 * x->G;
        engine_trace tr = {x->days[tid], x->dreg[tid], x->day, x->G, tl, tl + x->G, 0};
        engine_settle_pooled(st, &x->poolbal[i * x->K], pl, x->s, a->policy, &tr);
        size_t paid = 0;
        for (size_t c = 0; c < x->C; c++)
            paid += (size_t)st[c].releases;
        for (size_t j = 0; j < paid; j++)
            hist_days(x, tid, x->dreg[tid][j], &x->days[tid][j], 1);
    }
    return 0;
}

/* Region c of a replication, drawn again for re-allocation (every region
 * listed for the ledger), and once all are in, each re-allocated
 * allocation settled over them. */
static int realloc_region(eval_ctx *x, int tid, size_t i, size_t c, uint64_t rep, fz_error *e)
{
    realloc_ws *rw = x->rws[tid];
    if (c == 0)
        realloc_ws_reset(rw);
    int rc = engine_draw_lcases(x->ws[tid], x->s, c, x->opt->stream, rep, e);
    if (rc || (rc = realloc_ws_add(rw, x->ws[tid], c, e)) || c + 1 < x->C)
        return rc;
    for (size_t k = 0; k < x->K; k++) {
        const eval_alloc *a = &x->r->allocs[k];
        if (a->realloc)
            realloc_settle(&x->block[(i * x->K + k) * x->C], &x->poolbal[i * x->K + k], rw, x->s, a->alloc,
                           x->opt->plan, NULL);
    }
    return 0;
}

/* A replication's timeline from its changes: releases from 0, the balance
 * from allocation 0's accounts (sum x) plus the reserve at each day. */
static void tl_finish(const eval_ctx *x, double *tl)
{
    double rel = 0, bal = 0, start = 0;
    for (size_t c = 0; c < x->C; c++)
        start += x->r->allocs[0].alloc[c];
    for (size_t j = 0; j < x->G; j++) {
        rel += tl[j];
        bal += tl[x->G + j];
        tl[j] = rel;
        tl[x->G + j] = x->res[j] + (start + bal);
    }
}

/* Replication i of the block (replication number rep), every region. */
static int draw_rep(eval_ctx *x, int tid, size_t i, uint64_t rep, fz_error *e)
{
    engine_ws *w = x->ws[tid];
    double p = 0, *tl = x->tl + i * 2 * x->G;
    int rc = 0;
    memset(tl, 0, 2 * x->G * sizeof *tl); /* changes, from every region */
    for (size_t c = 0; c < x->C && !rc; c++) {
        scenario_policy drawn = x->r->allocs[0].policy;
        if ((rc = engine_draw(w, x->s, c, drawn, x->opt->stream, rep, e)))
            break;
        p += (double)engine_people(w);
        if (x->crel) { /* the curves first: pay_region may draw again */
            size_t G = x->CG / x->C, at = (i * x->C + c) * G;
            engine_settle_grid(w, x->s, c, drawn, x->s->granularity_usd, G, x->crel + at, x->cfre + at);
        }
        size_t ncases;
        ncases = engine_fundable(w);
        if (ncases > x->days_cap[tid]) {
            double *nb = realloc(x->days[tid], ncases * sizeof *nb);
            if (!nb) {
                rc = fz_fail(e, FZ_ERUNTIME, "out of memory for days in detention");
                break;
            }
            x->days[tid] = nb;
            x->days_cap[tid] = ncases;
        }
        rc = pay_region(x, tid, i, c, rep, drawn, e);
        if (!rc && x->any_pooled)
            rc = pool_region(x, tid, c, rep, e);
        if (!rc && x->any_realloc)
            rc = realloc_region(x, tid, i, c, rep, e);
    }
    if (!rc && !x->r->allocs[0].pooled)
        tl_finish(x, tl);
    if (!rc && x->any_pooled)
        rc = pool_settle(x, tid, i, e);
    if (!rc && x->opt->on_rep) /* here, in the threads: its results are folded in order by on_reps */
        rc = x->opt->on_rep(x->opt->rep_ctx, rep, x->crel + i * x->CG, x->cfre + i * x->CG,
                            x->rout ? x->rout + i * x->opt->rep_values : NULL, e);
    x->people[i] = p;
    return rc;
}

/* par_blocks: this rank's block, replications first .. first + n - 1; the
 * error of the first failing thread is the one reported. */
static int compute_block(void *ctx, uint64_t first, size_t n, fz_error *err)
{
    eval_ctx *x = ctx;
    int failed = 0;
    fz_error first_err = {0, ""};
    /* chunks of one replication: at the end of a block (~200 replications
     * when curves ride along) a thread waits for at most one */
#pragma omp parallel for num_threads(x->threads) schedule(dynamic, 1)
    for (size_t i = 0; i < n; i++) {
        fz_error e;
        if (draw_rep(x, omp_get_thread_num(), i, x->opt->first_rep + first + i, &e)) {
#pragma omp critical
            {
                if (!failed)
                    first_err = e;
                failed = 1;
            }
        }
    }
    if (failed && err)
        *err = first_err;
    return failed ? first_err.code : 0;
}

/* par_blocks: the block of rank `owner`, folded in replication order. */
static int fold_block(void *ctx, int owner, uint64_t first, size_t n, fz_error *err)
{
    eval_ctx *x = ctx;
    int mine = owner == par_rank();
    engine_stats *st = mine ? x->block : x->other;
    double *pp = mine ? x->people : x->other_people, *tl = mine ? x->tl : x->other_tl;
    par_bcast(st, n * x->K * x->C * sizeof *st, owner);
    par_bcast(pp, n * sizeof *pp, owner);
    par_bcast(tl, n * 2 * x->G * sizeof *tl, owner);
    double *pb = mine ? x->poolbal : x->other_poolbal;
    if (x->any_pooled || x->any_realloc)
        par_bcast(pb, n * x->K * sizeof *pb, owner);
    int bad = 0;
    /* the timeline (x->acc, r->people) and the statistics (r's allocations
     * and controls) are disjoint memory: two threads fold them at once, each
     * in replication order, so the serial part between blocks is the longer
     * of the two, not their sum (issue 16: 2 threads) */
#pragma omp parallel sections num_threads(x->threads > 1 ? 2 : 1)
    {
#pragma omp section
        for (size_t i = 0; i < n; i++) {
            x->r->people += pp[i];
            tl_acc_add(x->acc, tl + i * 2 * x->G, tl + i * 2 * x->G + x->G);
        }
#pragma omp section
        bad = eval_fold_stats(x->r, x->s, first, n, st, pb);
    }
    if (bad)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the distribution of releases");
    if (x->crel) {
        double *rel = mine ? x->crel : x->other_crel, *fre = mine ? x->cfre : x->other_cfre;
        par_bcast(rel, n * x->CG * sizeof *rel, owner);
        par_bcast(fre, n * x->CG * sizeof *fre, owner);
        int rc = 0;
        if (x->opt->on_rep) {
            double *out = mine ? x->rout : x->other_rout;
            par_bcast(out, n * x->opt->rep_values * sizeof *out, owner);
            rc = x->opt->on_reps ? x->opt->on_reps(x->opt->rep_ctx, x->opt->first_rep + first, n, out, err) : 0;
        }
        if (!rc && x->opt->on_curves)
            rc = x->opt->on_curves(x->opt->curves_ctx, x->opt->first_rep + first, n, rel, fre, err);
        if (rc)
            return rc;
    }
    int rc = x->opt->on_block ? x->opt->on_block(x->opt->block_ctx, x->r, x->opt->first_rep + first, n, st, err) : 0;
    /* every rank folds the same blocks: they all stop here; never before
     * EVAL_BLOCK replications (blocks are smaller when curves ride along),
     * so that what rides on the first EVAL_BLOCK (optimize's A2RP) is whole */
    const size_t N = x->r->precision_block;
    if (!rc && x->opt->precision > 0 && first + n >= EVAL_BLOCK &&
        ((first + n) / N > first / N || first + n >= x->opt->nreps)) { /* each multiple of N, and the cap */
        double mean, half;
        eval_releases(x->r, 0, &mean, &half);
        x->r->precision_blocks++;
        if (half <= x->opt->precision) {
            x->r->precision_reached = 1;
            x->r->nreps = first + n;
            rc = EVAL_STOPPED;
        }
    }
    return rc;
}

/* The threads' and ranks' histograms into the result: integer counts, so
 * summing them in any order is exact. */
static void merge_hist(eval_ctx *x)
{
    const size_t bins = x->C * EVAL_DAYS_BINS;
    for (int t = 1; t < x->threads; t++)
        for (size_t j = 0; j < bins; j++)
            x->hist[j] += x->hist[(size_t)t * bins + j];
    par_sum_u64(x->hist, bins);
    for (size_t j = 0; j < bins; j++)
        x->r->days_hist[j] = (double)x->hist[j];
}

int eval_run(eval_result **out, const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt,
             fz_error *err)
{
    *out = NULL;
    eval_ctx x;
    int rc = par_agree(ctx_init(&x, s, allocs, nalloc, opt, err), err);
    if (!rc) {
        par_blocks_def d = {.nreps = opt->nreps,
                            .block = x.nblock,
                            .compute = compute_block,
                            .fold = fold_block,
                            .ctx = &x,
                            .progress = opt->progress,
                            .progress_ctx = opt->progress_ctx};
        rc = par_blocks(&d, err);
        if (rc == EVAL_STOPPED) /* the precision was reached: not an error */
            rc = 0;
    }
    if (!rc) {
        merge_hist(&x);
        for (size_t k = 0; k < nalloc; k++)
            tally_seal(&x.r->allocs[k].dist);
        if (tl_acc_finish(x.acc, &x.r->timeline))
            rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the timeline");
    }
    ctx_free(&x);
    if (rc) {
        eval_free(x.r);
        return rc;
    }
    *out = x.r;
    return 0;
}
