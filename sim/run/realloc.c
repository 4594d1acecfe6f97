/* realloc: epoch curves, re-split tables and the re-allocated fund's
 * replications (realloc.h, DESIGN §8). */
#include "realloc.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "eval.h"
#include "fz_util.h"
#include "par.h"
#include "rng.h"

size_t realloc_epochs(const scenario *s)
{
    const double K = s->reallocate_every_days, H = s->horizon_days;
    size_t n = 0;
    while (K > 0 && (double)(n + 1) * K < H)
        n++;
    return n;
}

/* The epoch's time: k K, k >= 1. */
static double epoch_time(const realloc_plan *p, size_t k) { return (double)k * p->every; }

/* Donation months m (t = 30 m < H) credited at or before t. */
static long months_by(const scenario *s, double t)
{
    long m = 0;
    while (30.0 * (double)(m + 1) < s->horizon_days && 30.0 * (double)(m + 1) <= t)
        m++;
    return m;
}

/* Re-split bounds are the default ones: no share bound binds. */
static int plain_bounds(const scenario *s)
{
    for (size_t c = 0; c < s->nregions; c++)
        if (s->regions[c].min_share > 0 || s->regions[c].max_share < 1)
            return 0;
    return 1;
}

void realloc_plan_free(realloc_plan *p)
{
    if (!p)
        return;
    free(p->curves);
    free(p->table);
    free(p);
}

/* ---- the epoch curves: means over replications, folded in order ---- */

typedef struct curve_job {
    const scenario *s;
    realloc_plan *p;
    uint64_t first_rep;
    size_t per_rep, blk, Gp;
    int threads;
    double *buf, *obuf; /* a block of per-replication curves; another rank's */
    double *scratch;    /* per thread: the measure not kept */
    engine_ws **ws;
} curve_job;

static int draw_curves(curve_job *j, int tid, size_t i, uint64_t rep)
{
    const realloc_plan *p = j->p;
    const size_t C = p->nregions, E = p->nepochs, Gp = j->Gp;
    engine_ws *w = j->ws[tid];
    double *scratch = j->scratch + (size_t)tid * Gp;
    for (size_t c = 0; c < C; c++) {
        if (engine_draw_lcases(w, j->s, c, RNG_STREAM_OPTIMIZE, rep, NULL))
            return 1;
        for (size_t k = 1; k <= E; k++) { /* later epochs keep fewer cases: filtered in place */
            double *keep = j->buf + i * j->per_rep + ((k - 1) * C + c) * Gp;
            engine_settle_grid_after(w, j->s, c, epoch_time(p, k), p->step, Gp, p->freedom ? scratch : keep,
                                     p->freedom ? keep : scratch);
        }
    }
    return 0;
}

static int curves_compute(void *ctx, uint64_t first, size_t n, fz_error *err)
{
    curve_job *j = ctx;
    int failed = 0;
#pragma omp parallel for num_threads(j->threads) schedule(dynamic, 1)
    for (size_t i = 0; i < n; i++)
        if (draw_curves(j, omp_get_thread_num(), i, j->first_rep + first + i)) {
#pragma omp atomic write
            failed = 1;
        }
    return failed ? fz_fail(err, FZ_ERUNTIME, "out of memory while drawing cases") : 0;
}

static int curves_fold(void *ctx, int owner, uint64_t first, size_t n, fz_error *err)
{
    (void)first, (void)err;
    curve_job *j = ctx;
    double *b = owner == par_rank() ? j->buf : j->obuf;
    par_bcast(b, n * j->per_rep * sizeof *b, owner);
    for (size_t i = 0; i < n; i++)
        for (size_t g = 0; g < j->per_rep; g++)
            j->p->curves[g] += b[i * j->per_rep + g];
    return 0;
}

static int plan_curves(realloc_plan *p, const scenario *s, uint64_t first_rep, size_t nreps, int threads,
                       fz_error *err)
{
    curve_job j = {.s = s, .p = p, .first_rep = first_rep, .Gp = (size_t)p->bmax + 1};
    j.threads = threads > 0 ? threads : omp_get_max_threads();
    j.per_rep = p->nepochs * p->nregions * j.Gp;
    j.blk = ((size_t)1 << 20) / j.per_rep;
    j.blk = j.blk < 1 ? 1 : j.blk > 256 ? 256 : j.blk;
    j.buf = malloc(j.blk * j.per_rep * sizeof *j.buf);
    j.scratch = malloc((size_t)j.threads * j.Gp * sizeof *j.scratch);
    j.ws = engine_ws_pool(j.threads);
    if (par_size() > 1)
        j.obuf = malloc(j.blk * j.per_rep * sizeof *j.obuf);
    int rc = 0;
    if (!j.buf || !j.scratch || !j.ws || (par_size() > 1 && !j.obuf))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the re-allocation curves");
    rc = par_agree(rc, err);
    if (!rc) {
        par_blocks_def d = {.nreps = nreps, .block = j.blk, .compute = curves_compute, .fold = curves_fold, .ctx = &j};
        rc = par_blocks(&d, err);
    }
    double inv = nreps ? 1.0 / (double)nreps : 0;
    for (size_t g = 0; !rc && g < j.per_rep; g++)
        p->curves[g] *= inv;
    engine_ws_pool_free(j.ws, j.threads);
    free(j.buf);
    free(j.obuf);
    free(j.scratch);
    return rc;
}

/* ---- the re-split tables ---- */

/* f[c][b] = the best sum over regions 0..c with at most b steps, b <= top
 * (regions before c: f[c - 1]; none: 0), arg[c][b] region c's grid point
 * (the least among the optima; -1: no split meets the bounds). */
static void dp_fill(const double *v, size_t C, size_t Gp, const long *lo, const long *hi, long top, double *f,
                    long *arg)
{
    const size_t W = (size_t)top + 1;
    for (size_t c = 0; c < C; c++)
        for (long b = 0; b <= top; b++) {
            double best = -INFINITY;
            long bg = -1, gmax = hi[c] < b ? hi[c] : b;
            for (long g = lo[c]; g <= gmax; g++) {
                double prev = c ? f[(c - 1) * W + (size_t)(b - g)] : 0;
                if (prev == -INFINITY)
                    continue;
                double x = prev + v[c * Gp + (size_t)g];
                if (x > best) {
                    best = x;
                    bg = g;
                }
            }
            f[c * W + (size_t)b] = best;
            arg[c * W + (size_t)b] = bg;
        }
}

/* The split of b steps from a filled DP (all zero when none meets the bounds). */
static void dp_back(long *steps, size_t C, const long *arg, long top, long b)
{
    const size_t W = (size_t)top + 1;
    long left = b;
    for (size_t c = C; c-- > 0;) {
        long g = arg[c * W + (size_t)left];
        if (g < 0) {
            memset(steps, 0, C * sizeof *steps);
            return;
        }
        steps[c] = g;
        left -= g;
    }
}

static void share_bounds(const scenario *s, long b, long *lo, long *hi)
{
    for (size_t c = 0; c < s->nregions; c++) {
        lo[c] = (long)floor(s->regions[c].min_share * (double)b + SCENARIO_GRID_EPS);
        hi[c] = (long)floor(s->regions[c].max_share * (double)b + SCENARIO_GRID_EPS);
        hi[c] = hi[c] > b ? b : hi[c];
    }
}

static int plan_tables(realloc_plan *p, const scenario *s, fz_error *err)
{
    const size_t C = p->nregions, Gp = (size_t)p->bmax + 1;
    double *f = malloc(C * Gp * sizeof *f);
    long *arg = malloc(C * Gp * sizeof *arg);
    if (!f || !arg) {
        free(f);
        free(arg);
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the re-split tables");
    }
    long lo[SCENARIO_MAX_REGIONS], hi[SCENARIO_MAX_REGIONS];
    int plain = plain_bounds(s);
    for (size_t k = 1; k <= p->nepochs; k++) {
        const double *v = p->curves + (k - 1) * C * Gp;
        long *t = p->table + (k - 1) * Gp * C;
        if (plain) { /* one pass serves every pool level */
            share_bounds(s, p->bmax, lo, hi);
            dp_fill(v, C, Gp, lo, hi, p->bmax, f, arg);
            for (long b = 0; b <= p->bmax; b++)
                dp_back(t + (size_t)b * C, C, arg, p->bmax, b);
            continue;
        }
        for (long b = 0; b <= p->bmax; b++) { /* bounds move with the pool */
            share_bounds(s, b, lo, hi);
            dp_fill(v, C, Gp, lo, hi, b, f, arg);
            dp_back(t + (size_t)b * C, C, arg, b, b);
        }
    }
    free(f);
    free(arg);
    return 0;
}

/* The largest pool, in grid steps: B and the donations up to the last epoch. */
static long pool_top(const scenario *s, size_t epochs)
{
    double top = s->budget_usd;
    if (epochs)
        top += s->donations_usd_per_month * (double)months_by(s, (double)epochs * s->reallocate_every_days);
    return (long)floor(top / s->granularity_usd + SCENARIO_GRID_EPS);
}

int realloc_check(const scenario *s, fz_error *err)
{
    const size_t epochs = realloc_epochs(s);
    const long bmax = pool_top(s, epochs);
    const double E = (double)epochs, C = (double)s->nregions, G = (double)bmax + 1;
    const int plain = plain_bounds(s);
    double work = plain ? E * C * G * (G + 1) / 2 : E * C * G * (G + 1) * (G + 2) / 6;
    if (work > REALLOC_MAX_WORK)
        return fz_fail(err, FZ_EINPUT,
                       "%s: reallocate_every_days = %g: the re-split tables (%zu epochs x %zu regions x %ld pool "
                       "levels%s) would take %.3g steps; the limit is %.3g: raise granularity_usd or "
                       "reallocate_every_days%s",
                       s->path, s->reallocate_every_days, epochs, s->nregions, bmax + 1,
                       plain ? "" : ", one DP per level because share bounds move with the pool", work,
                       REALLOC_MAX_WORK, plain ? "" : ", or drop min_share and max_share");
    return 0;
}

int realloc_plan_new(realloc_plan **out, const scenario *s, uint64_t first_rep, size_t nreps, int threads,
                     fz_error *err)
{
    *out = NULL;
    int rc = realloc_check(s, err);
    if (rc)
        return rc;
    realloc_plan *p = calloc(1, sizeof *p);
    if (!p)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    p->nregions = s->nregions;
    p->nepochs = realloc_epochs(s);
    p->every = s->reallocate_every_days;
    p->step = s->granularity_usd;
    p->freedom = s->objective == OBJ_FREEDOM_DAYS;
    p->bmax = pool_top(s, p->nepochs);
    const size_t Gs = (size_t)p->bmax + 1;
    p->curves = calloc(p->nepochs * p->nregions * Gs + 1, sizeof *p->curves);
    p->table = calloc(p->nepochs * Gs * p->nregions + 1, sizeof *p->table);
    if (!p->curves || !p->table)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the re-allocation plan");
    if (!rc && p->nepochs && !(rc = plan_curves(p, s, first_rep, nreps, threads, err)))
        rc = plan_tables(p, s, err);
    if (rc) {
        realloc_plan_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- one replication ---- */

struct realloc_ws {
    engine_lcase *l; /* every region's cases, region after region */
    size_t ln, cap;
    size_t off[SCENARIO_MAX_REGIONS + 1], nreg;
    uint32_t *q, *hr; /* each region's queue and refund heap: its slice */
    double *ht, *hv;
    ledger L[SCENARIO_MAX_REGIONS];
};

realloc_ws *realloc_ws_new(void) { return calloc(1, sizeof(realloc_ws)); }

void realloc_ws_free(realloc_ws *w)
{
    if (!w)
        return;
    free(w->l);
    free(w->q);
    free(w->hr);
    free(w->ht);
    free(w->hv);
    free(w);
}

void realloc_ws_reset(realloc_ws *w) { w->ln = w->nreg = 0; }

static int grow(realloc_ws *w, size_t need, fz_error *err)
{
    if (need <= w->cap)
        return 0;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < need)
        cap *= 2;
    engine_lcase *l = realloc(w->l, cap * sizeof *l);
    if (l)
        w->l = l;
    uint32_t *q = l ? realloc(w->q, cap * sizeof *q) : NULL;
    if (q)
        w->q = q;
    uint32_t *hr = q ? realloc(w->hr, cap * sizeof *hr) : NULL;
    if (hr)
        w->hr = hr;
    double *ht = hr ? realloc(w->ht, cap * sizeof *ht) : NULL;
    if (ht)
        w->ht = ht;
    double *hv = ht ? realloc(w->hv, cap * sizeof *hv) : NULL;
    if (!hv)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu cases", cap);
    w->hv = hv;
    w->cap = cap;
    return 0;
}

int realloc_ws_add(realloc_ws *w, const engine_ws *ws, size_t c, fz_error *err)
{
    size_t n;
    const engine_lcase *l = engine_lcases(ws, &n);
    if (grow(w, w->ln + n, err))
        return FZ_ERUNTIME;
    if (n)
        memcpy(w->l + w->ln, l, n * sizeof *l);
    w->off[c] = w->ln;
    w->ln += n;
    w->off[c + 1] = w->ln;
    w->nreg = c + 1;
    return 0;
}

void realloc_settle(engine_stats *out, double *reserve_end, realloc_ws *w, const scenario *s, const double *x,
                    const realloc_plan *p, double *pools)
{
    const size_t C = s->nregions, E = p->nepochs;
    const double B = s->budget_usd, D = s->donations_usd_per_month, H = s->horizon_days;
    for (size_t c = 0; c < C; c++) {
        ledger *L = &w->L[c];
        size_t o = w->off[c];
        ledger_setup(L, s, w->l + o, w->off[c + 1] - o, x[c], NULL);
        if (!E) { /* no re-split: donations as DESIGN §7 (ledger.c's ledger_init) */
            L->don_coef = D / B;
            L->don = D * x[c] / B;
        }
        L->nreg = 1;
        L->region0 = (uint32_t)c;
        L->cap = &s->regions[c].max_payments_per_day;
        L->st = L->one;
        L->q = w->q + o;
        L->ht = w->ht + o;
        L->hv = w->hv + o;
        L->hr = w->hr + o;
        ledger_begin(L);
    }
    /* the reserve: what the split leaves (eval.c's rounding of a full split) */
    double r = B;
    for (size_t c = 0; c < C; c++)
        r -= x[c];
    if (r < 1e-9 * B)
        r = 0;
    double don = E ? D : D * r / B; /* the reserve's share of each donation */
    long m = 1;
    long Gp = p->bmax + 1;
    for (size_t k = 1; k <= E; k++) {
        double T = epoch_time(p, k), pool = r;
        for (size_t c = 0; c < C; c++) {
            ledger_advance(&w->L[c], T);
            pool += w->L[c].in - w->L[c].out;
        }
        for (; 30.0 * (double)m < H && 30.0 * (double)m <= T; m++) {
            r += don;
            pool += don;
        }
        long b = (long)floor(pool / p->step + SCENARIO_GRID_EPS);
        b = b < 0 ? 0 : b > p->bmax ? p->bmax : b;
        const long *split = p->table + ((k - 1) * (size_t)Gp + (size_t)b) * C;
        double given = 0;
        for (size_t c = 0; c < C; c++) {
            double nb = (double)split[c] * p->step;
            w->L[c].in = w->L[c].out + nb;
            given += nb;
        }
        r = pool - given > 0 ? pool - given : 0; /* the grid can overshoot by rounding only */
        if (pools) {
            double after = r;
            for (size_t c = 0; c < C; c++)
                after += w->L[c].in - w->L[c].out;
            pools[2 * (k - 1)] = pool;
            pools[2 * (k - 1) + 1] = after;
        }
    }
    for (size_t c = 0; c < C; c++) {
        ledger_advance(&w->L[c], INFINITY);
        ledger_end(&w->L[c]);
        out[c] = w->L[c].one[0];
    }
    for (; 30.0 * (double)m < H; m++)
        r += don;
    *reserve_end = r;
}

/* ---- the report ---- */

static stat_est est_of(const stat_acc *a)
{
    double h = stat_ci95_half(a);
    return (stat_est){a->mean, a->mean - h, a->mean + h};
}

int realloc_report_run(realloc_report **out, const scenario *s, const double *x, int threads, fz_error *err)
{
    *out = NULL;
    const size_t C = s->nregions, S = (size_t)s->replications;
    double t = fz_seconds();
    realloc_plan *p = NULL;
    eval_result *r = NULL;
    realloc_report *rep = calloc(1, sizeof *rep);
    double *allocs = malloc(2 * C * sizeof *allocs);
    int rc = 0;
    if (!rep || !allocs) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    if ((rc = realloc_plan_new(&p, s, 0, S, threads, err)))
        goto done;
    memcpy(allocs, x, C * sizeof *allocs);
    memcpy(allocs + C, x, C * sizeof *allocs);
    int re[2] = {0, 1};
    eval_options eo = {.stream = RNG_STREAM_EVALUATE, .nreps = S, .threads = threads, .realloc = re, .plan = p};
    if ((rc = eval_run(&r, s, allocs, 2, &eo, err)))
        goto done;
    rep->every = s->reallocate_every_days;
    rep->epochs = p->nepochs;
    rep->freedom = p->freedom;
    rep->releases = est_of(&r->allocs[1].releases);
    rep->static_releases = est_of(&r->allocs[0].releases);
    rep->value = est_of(p->freedom ? &r->allocs[1].diff_freedom : &r->allocs[1].diff_releases);
    double regions = 0;
    for (size_t c = 0; c < C; c++)
        regions += r->allocs[1].regions[c].balance_end.mean;
    rep->reserve_end = r->allocs[1].balance_end.mean - regions;
    rep->seconds = fz_seconds() - t;
done:
    realloc_plan_free(p);
    eval_free(r);
    free(allocs);
    if (rc) {
        free(rep);
        return rc;
    }
    *out = rep;
    return 0;
}
