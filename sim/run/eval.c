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

static eval_result *result_new(const scenario *s, const double *allocs, size_t nalloc,
                               const eval_options *opt)
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
static void fold_block(eval_result *r, const scenario *s, size_t done, size_t n, const engine_stats *st)
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

int eval_run(eval_result **out, const scenario *s, const double *allocs, size_t nalloc,
             const eval_options *opt, fz_error *err)
{
    *out = NULL;
    size_t C = s->nregions, K = nalloc;
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    eval_result *r = result_new(s, allocs, nalloc, opt);
    engine_stats *block = malloc(EVAL_BLOCK * K * C * sizeof *block);
    double *people = calloc(EVAL_BLOCK, sizeof *people);
    engine_ws **ws = calloc((size_t)threads, sizeof *ws);
    /* per thread: a buffer for one draw's days in detention, and integer
     * histogram counts (integer sums do not depend on the order of threads) */
    double **days = calloc((size_t)threads, sizeof *days);
    size_t *days_cap = calloc((size_t)threads, sizeof *days_cap);
    uint64_t *hist = calloc((size_t)threads * C * EVAL_DAYS_BINS, sizeof *hist);
    /* under MPI (par.h), a second buffer receives the blocks of other ranks */
    const int nranks = par_size(), me = par_rank();
    engine_stats *other = nranks > 1 ? malloc(EVAL_BLOCK * K * C * sizeof *other) : NULL;
    double *other_people = nranks > 1 ? calloc(EVAL_BLOCK, sizeof *other_people) : NULL;
    int rc = 0;
    if (!r || !block || !ws || !people || !days || !days_cap || !hist || (nranks > 1 && (!other || !other_people)))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the evaluation");
    for (int t = 0; !rc && t < threads; t++)
        if (!(ws[t] = engine_ws_new()))
            rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the evaluation");
    if ((rc = par_agree(rc, err)))
        goto done;
    int mixed = 0; /* do allocations use different policies? */
    for (size_t k = 1; k < K; k++)
        mixed |= r->allocs[k].policy != r->allocs[0].policy;

    /* Blocks go in rounds of one per rank: rank `me` computes block
     * round + me, then every block of the round is broadcast from its rank
     * and folded, in replication order, on every rank. */
    const size_t nblocks = (opt->nreps + EVAL_BLOCK - 1) / EVAL_BLOCK;
    for (size_t round = 0; round < nblocks; round += (size_t)nranks) {
        size_t mine = round + (size_t)me;
        size_t done = mine * EVAL_BLOCK;
        size_t n = mine >= nblocks ? 0 : opt->nreps - done < EVAL_BLOCK ? opt->nreps - done : EVAL_BLOCK;
        int failed = 0;
        fz_error first_err = {0, ""};
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
        for (size_t i = 0; i < n; i++) {
            engine_ws *w = ws[omp_get_thread_num()];
            uint64_t rep = opt->first_rep + done + i;
            double p = 0;
            for (size_t c = 0; c < C; c++) {
                scenario_policy drawn = r->allocs[0].policy;
                fz_error e;
                if (engine_draw(w, s, c, drawn, opt->stream, rep, &e)) {
#pragma omp critical
                    {
                        if (!failed)
                            first_err = e;
                        failed = 1;
                    }
                    break;
                }
                p += (double)engine_people(w);
                int tid = omp_get_thread_num();
                size_t ncases;
                engine_cases(w, &ncases);
                if (ncases > days_cap[tid]) {
                    double *nb = realloc(days[tid], ncases * sizeof *nb);
                    if (!nb) {
#pragma omp critical
                        {
                            if (!failed)
                                fz_fail(&first_err, FZ_ERUNTIME, "out of memory for days in detention");
                            failed = 1;
                        }
                        break;
                    }
                    days[tid] = nb;
                    days_cap[tid] = ncases;
                }
                for (size_t k = 0; k < K; k++) {
                    scenario_policy pk = r->allocs[k].policy;
                    if (mixed && pk != drawn) {
                        engine_draw(w, s, c, pk, opt->stream, rep, &e);
                        drawn = pk;
                    }
                    engine_stats *st = &block[(i * K + k) * C + c];
                    engine_pay(st, w, pk, r->allocs[k].alloc[c], s->horizon_days, k == 0 ? days[tid] : NULL);
                    if (k == 0) {
                        uint64_t *h = hist + ((size_t)tid * C + c) * EVAL_DAYS_BINS;
                        for (size_t j = 0; j < (size_t)st->releases; j++) {
                            double b = days[tid][j] / r->days_bin;
                            h[b < EVAL_DAYS_BINS - 1 ? (size_t)b : EVAL_DAYS_BINS - 1]++;
                        }
                    }
                }
            }
            people[i] = p;
        }
        if (failed && err)
            *err = first_err;
        if ((rc = par_agree(failed ? first_err.code : 0, err)))
            goto done;
        for (size_t b = round; b < round + (size_t)nranks && b < nblocks; b++) {
            int owner = (int)(b - round);
            engine_stats *st = owner == me ? block : other;
            double *pp = owner == me ? people : other_people;
            done = b * EVAL_BLOCK;
            n = opt->nreps - done < EVAL_BLOCK ? opt->nreps - done : EVAL_BLOCK;
            par_bcast(st, n * K * C * sizeof *st, owner);
            par_bcast(pp, n * sizeof *pp, owner);
            for (size_t i = 0; i < n; i++)
                r->people += pp[i];
            fold_block(r, s, done, n, st);
            if (opt->on_block)
                rc = opt->on_block(opt->block_ctx, r, opt->first_rep + done, n, st, err);
            if ((rc = par_agree(rc, err)))
                goto done;
            if (opt->progress)
                opt->progress(opt->progress_ctx, done + n, opt->nreps);
        }
    }
    /* integer counts: summing threads and ranks in any order is exact */
    for (int t = 1; t < threads; t++)
        for (size_t j = 0; j < C * EVAL_DAYS_BINS; j++)
            hist[j] += hist[(size_t)t * C * EVAL_DAYS_BINS + j];
    par_sum_u64(hist, C * EVAL_DAYS_BINS);
    for (size_t j = 0; j < C * EVAL_DAYS_BINS; j++)
        r->days_hist[j] = (double)hist[j];
done:
    for (int t = 0; ws && t < threads; t++)
        engine_ws_free(ws[t]);
    for (int t = 0; days && t < threads; t++)
        free(days[t]);
    free(days);
    free(days_cap);
    free(hist);
    free(ws);
    free(block);
    free(people);
    free(other);
    free(other_people);
    if (rc) {
        eval_free(r);
        return rc;
    }
    *out = r;
    return 0;
}
