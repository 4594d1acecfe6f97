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

/* Releases and freedom days of every grid allocation, for the last draw. */
static void grid_pass(const engine_ws *ws, scenario_policy policy, double H, double step, size_t ngrid,
                      double *rel, double *fre)
{
    size_t n;
    const engine_case *cs = engine_cases(ws, &n);
    if (policy == POLICY_CHEAPEST_FIRST) {
        /* paid set for x = the longest prefix of the cost order with sum <= x */
        size_t k = 0;
        double spent = 0, freedom = 0;
        for (size_t g = 0; g < ngrid; g++) {
            double x = (double)g * step;
            while (k < n && spent + cs[k].cost <= x) {
                spent += cs[k].cost;
                freedom += H > cs[k].release ? H - cs[k].release : 0;
                k++;
            }
            rel[g] = (double)k;
            fre[g] = freedom;
        }
        return;
    }
    /* first_come: below the cheapest case nothing is paid, and once x covers
     * every case all are paid; the greedy pass is needed only in between.
     * A pass at x pays the same cases for every x' in [x, T), T the least
     * spent_i + cost_i over the cases it skipped (the same floating sums, so
     * the same comparisons): the grid points below T copy its result, which
     * makes the cost O(cases x distinct outcomes), not O(cases x grid). */
    double min_cost = INFINITY, all_cost = 0, all_free = 0;
    for (size_t i = 0; i < n; i++) {
        min_cost = cs[i].cost < min_cost ? cs[i].cost : min_cost;
        all_cost += cs[i].cost;
        all_free += H > cs[i].release ? H - cs[i].release : 0;
    }
    double r = 0, f = 0, until = -INFINITY; /* the last pass's result, valid for x < until */
    for (size_t g = 0; g < ngrid; g++) {
        double x = (double)g * step;
        if (x >= all_cost) {
            rel[g] = (double)n;
            fre[g] = all_free;
            continue;
        }
        if (x < min_cost) {
            rel[g] = fre[g] = 0;
            continue;
        }
        if (!(x < until)) {
            double spent = 0;
            r = f = 0;
            until = INFINITY;
            for (size_t i = 0; i < n; i++) {
                if (spent + cs[i].cost > x) {
                    until = spent + cs[i].cost < until ? spent + cs[i].cost : until;
                    continue;
                }
                spent += cs[i].cost;
                r += 1;
                f += H > cs[i].release ? H - cs[i].release : 0;
            }
        }
        rel[g] = r;
        fre[g] = f;
    }
}

int curve_compute(curve_set **out, const scenario *s, const curve_options *o, fz_error *err)
{
    *out = NULL;
    const size_t C = s->nregions, G = (size_t)floor(s->budget_usd / s->granularity_usd + 1e-9) + 1;
    const double H = s->horizon_days, step = s->granularity_usd;
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    /* block size: at most 2^18 doubles per curve buffer (2 MiB), so that the
     * per-replication curves are still in cache when they are folded */
    size_t per_rep = C * G, blk = (size_t)1 << 18;
    blk = blk / per_rep < 1 ? 1 : blk / per_rep > 1024 ? 1024 : blk / per_rep;
    curve_set *cs = calloc(1, sizeof *cs);
    double *rel = malloc(blk * per_rep * sizeof *rel), *fre = malloc(blk * per_rep * sizeof *fre);
    double *aux = malloc(blk * C * 4 * sizeof *aux); /* people, fundable, cost sum, freedom sum */
    double *cost_sum = calloc(C, sizeof *cost_sum), *cfree_sum = calloc(C, sizeof *cfree_sum);
    engine_ws **ws = calloc((size_t)threads, sizeof *ws);
    /* under MPI (par.h), second buffers receive the blocks of other ranks */
    const int nranks = par_size(), me = par_rank();
    double *orel = NULL, *ofre = NULL, *oaux = NULL;
    if (nranks > 1) {
        orel = malloc(blk * per_rep * sizeof *orel);
        ofre = malloc(blk * per_rep * sizeof *ofre);
        oaux = malloc(blk * C * 4 * sizeof *oaux);
    }
    int rc = 0;
    if (cs) {
        cs->releases = calloc(per_rep, sizeof(double));
        cs->freedom = calloc(per_rep, sizeof(double));
        cs->fundable = calloc(C, sizeof(double));
        cs->cost = calloc(C, sizeof(double));
        cs->case_freedom = calloc(C, sizeof(double));
    }
    if (!cs || !rel || !fre || !aux || !ws || !cost_sum || !cfree_sum || !cs->releases || !cs->freedom ||
        !cs->fundable || !cs->cost || !cs->case_freedom || (nranks > 1 && (!orel || !ofre || !oaux)))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the release curves");
    for (int t = 0; !rc && t < threads; t++)
        if (!(ws[t] = engine_ws_new()))
            rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the release curves");
    if ((rc = par_agree(rc, err)))
        goto done;
    cs->nregions = C;
    cs->ngrid = G;
    cs->nreps = o->nreps;
    cs->step = step;
    /* Blocks go in rounds of one per rank: rank `me` computes block
     * round + me, then every block of the round is broadcast from its rank
     * and folded, in replication order, on every rank. */
    const size_t nblocks = (o->nreps + blk - 1) / blk;
    for (size_t round = 0; round < nblocks; round += (size_t)nranks) {
        size_t mine = round + (size_t)me, done = mine * blk;
        size_t n = mine >= nblocks ? 0 : o->nreps - done < blk ? o->nreps - done : blk;
        int failed = 0;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (size_t i = 0; i < n; i++) {
            engine_ws *w = ws[omp_get_thread_num()];
            for (size_t c = 0; c < C; c++) {
                if (engine_draw(w, s, c, s->policy, o->stream, o->first_rep + done + i, NULL)) {
#pragma omp atomic write
                    failed = 1;
                    break;
                }
                size_t m;
                const engine_case *k = engine_cases(w, &m);
                double csum = 0, fsum = 0;
                for (size_t j = 0; j < m; j++) {
                    csum += k[j].cost;
                    fsum += H > k[j].release ? H - k[j].release : 0;
                }
                double *a = aux + (i * C + c) * 4;
                a[0] = (double)engine_people(w);
                a[1] = (double)m;
                a[2] = csum;
                a[3] = fsum;
                grid_pass(w, s->policy, H, step, G, rel + (i * C + c) * G, fre + (i * C + c) * G);
            }
        }
        if (failed)
            fz_fail(err, FZ_ERUNTIME, "out of memory while drawing cases");
        if ((rc = par_agree(failed ? FZ_ERUNTIME : 0, err)))
            goto done;
        for (size_t b = round; b < round + (size_t)nranks && b < nblocks; b++) {
            int owner = (int)(b - round);
            double *brel = owner == me ? rel : orel, *bfre = owner == me ? fre : ofre, *baux = owner == me ? aux : oaux;
            done = b * blk;
            n = o->nreps - done < blk ? o->nreps - done : blk;
            par_bcast(brel, n * per_rep * sizeof *brel, owner);
            par_bcast(bfre, n * per_rep * sizeof *bfre, owner);
            par_bcast(baux, n * C * 4 * sizeof *baux, owner);
            /* fold the curves in replication order, each thread a range of
             * grid points (every sum still sees the replications in order) */
#pragma omp parallel num_threads(threads)
            {
                int nt = omp_get_num_threads(), t = omp_get_thread_num();
                size_t j0 = per_rep * (size_t)t / (size_t)nt, j1 = per_rep * (size_t)(t + 1) / (size_t)nt;
                for (size_t i = 0; i < n; i++) {
                    const double *r = brel + i * per_rep, *f = bfre + i * per_rep;
                    for (size_t j = j0; j < j1; j++) {
                        cs->releases[j] += r[j];
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
                    cost_sum[c] += a[2];
                    cfree_sum[c] += a[3];
                }
            if (o->on_block)
                rc = o->on_block(o->block_ctx, o->first_rep + done, n, brel, bfre, err);
            if ((rc = par_agree(rc, err)))
                goto done;
            if (o->progress)
                o->progress(o->progress_ctx, done + n, o->nreps);
        }
    }
    double inv = o->nreps ? 1.0 / (double)o->nreps : 0;
    for (size_t j = 0; j < per_rep; j++) {
        cs->releases[j] *= inv;
        cs->freedom[j] *= inv;
    }
    for (size_t c = 0; c < C; c++) {
        cs->cost[c] = cs->fundable[c] > 0 ? cost_sum[c] / cs->fundable[c] : NAN;
        cs->case_freedom[c] = cs->fundable[c] > 0 ? cfree_sum[c] / cs->fundable[c] : NAN;
        cs->fundable[c] *= inv;
    }
done:
    for (int t = 0; ws && t < threads; t++)
        engine_ws_free(ws[t]);
    free(ws);
    free(rel);
    free(fre);
    free(aux);
    free(orel);
    free(ofre);
    free(oaux);
    free(cost_sum);
    free(cfree_sum);
    if (rc) {
        curve_free(cs);
        return rc;
    }
    *out = cs;
    return 0;
}
