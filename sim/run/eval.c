/* eval: block-parallel evaluation of allocations (eval.h). */
#include "eval.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"

void eval_free(eval_result *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->nalloc && r->allocs; k++) {
        free(r->allocs[k].alloc);
        free(r->allocs[k].totals);
        free(r->allocs[k].regions);
    }
    free(r->allocs);
    free(r->days_hist);
    free(r);
}

double eval_detention_mean(const eval_result *r, size_t k, size_t c)
{
    const eval_region *g = &r->allocs[k].regions[c];
    double releases = g->releases.mean * g->releases.n;
    return releases > 0 ? g->detention_days_sum / releases : NAN;
}

static eval_result *result_new(const scenario *s, const double *allocs, size_t nalloc, const eval_options *opt)
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
    r->allocs = calloc(nalloc, sizeof *r->allocs);
    r->days_hist = calloc(C * EVAL_DAYS_BINS, sizeof *r->days_hist);
    /* bins of H/500 days (at least a quarter day) reach 4H: hearing and release
     * delays past three horizons land in the last bin */
    r->days_bin = s->horizon_days / 500 > 0.25 ? s->horizon_days / 500 : 0.25;
    if (!r->allocs || !r->days_hist)
        goto fail;
    for (size_t k = 0; k < nalloc; k++) {
        eval_alloc *a = &r->allocs[k];
        a->policy = opt->policies ? opt->policies[k] : s->policy;
        a->alloc = malloc(C * sizeof *a->alloc);
        a->totals = malloc((opt->nreps ? opt->nreps : 1) * sizeof *a->totals);
        a->regions = calloc(C, sizeof *a->regions);
        if (!a->alloc || !a->totals || !a->regions)
            goto fail;
        memcpy(a->alloc, allocs + k * C, C * sizeof *a->alloc);
    }
    return r;
fail:
    eval_free(r);
    return NULL;
}

/* Folds one block into the summary, in replication order. */
static void fold_stats(eval_result *r, const scenario *s, size_t done, size_t n, const engine_stats *st)
{
    size_t C = r->nregions, K = r->nalloc;
    for (size_t i = 0; i < n; i++) {
        double base_rel = 0, base_free = 0;
        for (size_t k = 0; k < K; k++) {
            eval_alloc *a = &r->allocs[k];
            double rel = 0, spent = 0, freedom = 0;
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
                rel += e->releases;
                spent += e->spent;
                freedom += e->freedom_days;
            }
            a->totals[done + i] = rel;
            stat_add(&a->releases, rel);
            stat_add(&a->spent, spent);
            stat_add(&a->freedom_days, freedom);
            if (s->target_releases > 0 && rel >= s->target_releases)
                a->reach_target += 1;
            if (k == 0) {
                base_rel = rel;
                base_free = freedom;
            }
            stat_add(&a->diff_releases, rel - base_rel);
            stat_add(&a->diff_freedom, freedom - base_free);
        }
    }
}

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
    size_t *days_cap;
    uint64_t *hist;
} eval_ctx;

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
    x->r = result_new(s, allocs, nalloc, opt);
    x->block = malloc(EVAL_BLOCK * K * C * sizeof *x->block);
    x->people = calloc(EVAL_BLOCK, sizeof *x->people);
    x->ws = engine_ws_pool(x->threads);
    x->days = calloc(T, sizeof *x->days);
    x->days_cap = calloc(T, sizeof *x->days_cap);
    x->hist = calloc(T * C * EVAL_DAYS_BINS, sizeof *x->hist);
    int others = par_size() > 1;
    if (others) {
        x->other = malloc(EVAL_BLOCK * K * C * sizeof *x->other);
        x->other_people = calloc(EVAL_BLOCK, sizeof *x->other_people);
    }
    if (!x->r || !x->block || !x->ws || !x->people || !x->days || !x->days_cap || !x->hist ||
        (others && (!x->other || !x->other_people)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the evaluation");
    for (size_t k = 1; k < K; k++)
        x->mixed |= x->r->allocs[k].policy != x->r->allocs[0].policy;
    return 0;
}

static void ctx_free(eval_ctx *x)
{
    engine_ws_pool_free(x->ws, x->threads);
    for (int t = 0; x->days && t < x->threads; t++)
        free(x->days[t]);
    free(x->days);
    free(x->days_cap);
    free(x->hist);
    free(x->block);
    free(x->people);
    free(x->other);
    free(x->other_people);
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
        if (x->mixed && pk != drawn) {
            int rc = engine_draw(w, x->s, c, pk, x->opt->stream, rep, e);
            if (rc)
                return rc;
            drawn = pk;
        }
        engine_stats *st = &x->block[(i * K + k) * C + c];
        engine_pay(st, w, pk, r->allocs[k].alloc[c], x->s->horizon_days, k == 0 ? x->days[tid] : NULL);
        if (k == 0) {
            uint64_t *h = x->hist + ((size_t)tid * C + c) * EVAL_DAYS_BINS;
            for (size_t j = 0; j < (size_t)st->releases; j++) {
                double b = x->days[tid][j] / r->days_bin;
                h[b < EVAL_DAYS_BINS - 1 ? (size_t)b : EVAL_DAYS_BINS - 1]++;
            }
        }
    }
    return 0;
}

/* Replication i of the block (replication number rep), every region. */
static int draw_rep(eval_ctx *x, int tid, size_t i, uint64_t rep, fz_error *e)
{
    engine_ws *w = x->ws[tid];
    double p = 0;
    int rc = 0;
    for (size_t c = 0; c < x->C && !rc; c++) {
        scenario_policy drawn = x->r->allocs[0].policy;
        if ((rc = engine_draw(w, x->s, c, drawn, x->opt->stream, rep, e)))
            break;
        p += (double)engine_people(w);
        size_t ncases;
        engine_cases(w, &ncases);
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
    }
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
#pragma omp parallel for num_threads(x->threads) schedule(dynamic, 8)
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
    double *pp = mine ? x->people : x->other_people;
    par_bcast(st, n * x->K * x->C * sizeof *st, owner);
    par_bcast(pp, n * sizeof *pp, owner);
    for (size_t i = 0; i < n; i++)
        x->r->people += pp[i];
    fold_stats(x->r, x->s, first, n, st);
    return x->opt->on_block ? x->opt->on_block(x->opt->block_ctx, x->r, x->opt->first_rep + first, n, st, err) : 0;
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
                            .block = EVAL_BLOCK,
                            .compute = compute_block,
                            .fold = fold_block,
                            .ctx = &x,
                            .progress = opt->progress,
                            .progress_ctx = opt->progress_ctx};
        rc = par_blocks(&d, err);
    }
    if (!rc)
        merge_hist(&x);
    ctx_free(&x);
    if (rc) {
        eval_free(x.r);
        return rc;
    }
    *out = x.r;
    return 0;
}
