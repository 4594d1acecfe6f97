/* curve: per-replication release curves and their means (curve.h). */
#include "curve.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "par.h"

void curve_free(curve_set *c)
{
    if (!c)
        return;
    free(c->releases);
    free(c->freedom);
    free(c->fundable);
    free(c->cost);
    free(c->case_freedom);
    free(c);
}

/* One curve_compute call: the curve set being summed, and this rank's block
 * (with, under MPI, a second set of buffers for the blocks of other ranks). */
typedef struct curve_run {
    const scenario *s;
    const curve_options *o;
    size_t C, G, per_rep, blk;
    double H, step;
    int threads;
    curve_set *cs;
    double *rel, *fre, *aux;    /* aux: people, fundable, cost sum, freedom sum */
    double *orel, *ofre, *oaux; /* another rank's block (NULL with one rank) */
    double *cost_sum, *cfree_sum;
    engine_ws **ws;
} curve_run;

static curve_set *set_new(size_t C, size_t G)
{
    curve_set *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->releases = calloc(C * G, sizeof(double));
    cs->freedom = calloc(C * G, sizeof(double));
    cs->fundable = calloc(C, sizeof(double));
    cs->cost = calloc(C, sizeof(double));
    cs->case_freedom = calloc(C, sizeof(double));
    if (!cs->releases || !cs->freedom || !cs->fundable || !cs->cost || !cs->case_freedom) {
        curve_free(cs);
        return NULL;
    }
    return cs;
}

static int run_init(curve_run *r, const scenario *s, const curve_options *o, fz_error *err)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->o = o;
    r->C = s->nregions;
    r->G = scenario_grid_points(s);
    r->H = s->horizon_days;
    r->step = s->granularity_usd;
    r->threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    /* block size: at most 2^18 doubles per curve buffer (2 MiB), so that the
     * per-replication curves are still in cache when they are folded */
    size_t per_rep = r->C * r->G, blk = (size_t)1 << 18;
    r->per_rep = per_rep;
    r->blk = blk = blk / per_rep < 1 ? 1 : blk / per_rep > 1024 ? 1024 : blk / per_rep;
    r->cs = set_new(r->C, r->G);
    r->rel = malloc(blk * per_rep * sizeof *r->rel);
    r->fre = malloc(blk * per_rep * sizeof *r->fre);
    r->aux = malloc(blk * r->C * 4 * sizeof *r->aux);
    r->cost_sum = calloc(r->C, sizeof *r->cost_sum);
    r->cfree_sum = calloc(r->C, sizeof *r->cfree_sum);
    r->ws = engine_ws_pool(r->threads);
    int others = par_size() > 1;
    if (others) {
        r->orel = malloc(blk * per_rep * sizeof *r->orel);
        r->ofre = malloc(blk * per_rep * sizeof *r->ofre);
        r->oaux = malloc(blk * r->C * 4 * sizeof *r->oaux);
    }
    if (!r->cs || !r->rel || !r->fre || !r->aux || !r->ws || !r->cost_sum || !r->cfree_sum ||
        (others && (!r->orel || !r->ofre || !r->oaux)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the release curves");
    r->cs->nregions = r->C;
    r->cs->ngrid = r->G;
    r->cs->nreps = o->nreps;
    r->cs->step = r->step;
    return 0;
}

static void run_free(curve_run *r)
{
    engine_ws_pool_free(r->ws, r->threads);
    free(r->rel);
    free(r->fre);
    free(r->aux);
    free(r->orel);
    free(r->ofre);
    free(r->oaux);
    free(r->cost_sum);
    free(r->cfree_sum);
}

/* Replication i of the block (replication number rep): its curves and sums
 * in every region.  0, or 1 if memory ran out. */
static int draw_rep(curve_run *r, engine_ws *w, size_t i, uint64_t rep)
{
    const scenario *s = r->s;
    const size_t C = r->C, G = r->G;
    for (size_t c = 0; c < C; c++) {
        if (engine_draw(w, s, c, s->policy, r->o->stream, rep, NULL))
            return 1;
        size_t m, ml;
        const engine_case *k = engine_cases(w, &m);
        const engine_lcase *kl = engine_lcases(w, &ml);
        double csum = 0, fsum = 0;
        for (size_t j = 0; j < m; j++) {
            csum += k[j].cost;
            fsum += r->H > k[j].release ? r->H - k[j].release : 0;
        }
        for (size_t j = 0; j < ml; j++) { /* if paid when ready */
            csum += kl[j].cost;
            fsum += r->H > kl[j].ready + kl[j].delay ? r->H - (kl[j].ready + kl[j].delay) : 0;
        }
        m += ml;
        double *a = r->aux + (i * C + c) * 4;
        a[0] = (double)engine_people(w);
        a[1] = (double)m;
        a[2] = csum;
        a[3] = fsum;
        engine_settle_grid(w, s, c, s->policy, r->step, G, r->rel + (i * C + c) * G, r->fre + (i * C + c) * G);
    }
    return 0;
}

/* par_blocks: this rank's block, replications first .. first + n - 1. */
static int compute_block(void *ctx, uint64_t first, size_t n, fz_error *err)
{
    curve_run *r = ctx;
    int failed = 0;
#pragma omp parallel for num_threads(r->threads) schedule(dynamic, 1)
    for (size_t i = 0; i < n; i++)
        if (draw_rep(r, r->ws[omp_get_thread_num()], i, r->o->first_rep + first + i)) {
#pragma omp atomic write
            failed = 1;
        }
    return failed ? fz_fail(err, FZ_ERUNTIME, "out of memory while drawing cases") : 0;
}

/* par_blocks: the block of rank `owner`, folded in replication order. */
static int fold_block(void *ctx, int owner, uint64_t first, size_t n, fz_error *err)
{
    curve_run *r = ctx;
    curve_set *cs = r->cs;
    const size_t C = r->C, per_rep = r->per_rep;
    int mine = owner == par_rank();
    double *brel = mine ? r->rel : r->orel, *bfre = mine ? r->fre : r->ofre, *baux = mine ? r->aux : r->oaux;
    par_bcast(brel, n * per_rep * sizeof *brel, owner);
    par_bcast(bfre, n * per_rep * sizeof *bfre, owner);
    par_bcast(baux, n * C * 4 * sizeof *baux, owner);
    /* the curves, each thread a range of grid points (every sum still sees
     * the replications in order) */
#pragma omp parallel num_threads(r->threads)
    {
        int nt = omp_get_num_threads(), t = omp_get_thread_num();
        size_t j0 = per_rep * (size_t)t / (size_t)nt, j1 = per_rep * (size_t)(t + 1) / (size_t)nt;
        for (size_t i = 0; i < n; i++) {
            const double *rl = brel + i * per_rep, *f = bfre + i * per_rep;
            for (size_t j = j0; j < j1; j++) {
                cs->releases[j] += rl[j];
                cs->freedom[j] += f[j];
            }
        }
    }
    /* the per-region sums, in replication order; divided at the end */
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < C; c++) {
            const double *a = baux + (i * C + c) * 4;
            cs->people += a[0];
            cs->fundable[c] += a[1];
            r->cost_sum[c] += a[2];
            r->cfree_sum[c] += a[3];
        }
    return r->o->on_block ? r->o->on_block(r->o->block_ctx, r->o->first_rep + first, n, brel, bfre, err) : 0;
}

/* Sums to means. */
static void finish(curve_run *r)
{
    curve_set *cs = r->cs;
    double inv = r->o->nreps ? 1.0 / (double)r->o->nreps : 0;
    for (size_t j = 0; j < r->per_rep; j++) {
        cs->releases[j] *= inv;
        cs->freedom[j] *= inv;
    }
    for (size_t c = 0; c < r->C; c++) {
        cs->cost[c] = cs->fundable[c] > 0 ? r->cost_sum[c] / cs->fundable[c] : NAN;
        cs->case_freedom[c] = cs->fundable[c] > 0 ? r->cfree_sum[c] / cs->fundable[c] : NAN;
        cs->fundable[c] *= inv;
    }
}

int curve_compute(curve_set **out, const scenario *s, const curve_options *o, fz_error *err)
{
    *out = NULL;
    curve_run r;
    int rc = par_agree(run_init(&r, s, o, err), err);
    if (!rc) {
        par_blocks_def d = {.nreps = o->nreps,
                            .block = r.blk,
                            .compute = compute_block,
                            .fold = fold_block,
                            .ctx = &r,
                            .progress = o->progress,
                            .progress_ctx = o->progress_ctx};
        rc = par_blocks(&d, err);
    }
    if (!rc)
        finish(&r);
    run_free(&r);
    if (rc) {
        curve_free(r.cs);
        return rc;
    }
    *out = r.cs;
    return 0;
}
