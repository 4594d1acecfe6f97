/* pool: a pooled fund (engine.h, DESIGN §8, pooling = pooled).
 *
 * One account holds the budget B and every donation (D a month); one queue
 * holds every region's cases, ordered by (e, region order in the file, draw
 * order); each region keeps its own daily capacity, and posting days are
 * the fund's.  Under first_come this is the ledger of ledger.c run over the
 * merged cases with one capacity per region (so a one-region pool is the
 * region's own ledger with x = B, payment for payment).  Under
 * cheapest_first (which admits no ledger keys) it is the offline bound over
 * every region at once: the cheapest cases while the total stays <= B,
 * equal costs by ready time, then region, then draw order. */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* A cheapest_first case of a pooled fund: its region and its place in
 * that region's cost order (which is draw order among equal keys). */
typedef struct pcase {
    engine_case c;
    uint32_t region, pos;
} pcase;

struct engine_pool {
    engine_lcase *l; /* first_come: every region's cases */
    size_t ln, lcap;
    struct pcase *f; /* cheapest_first: every region's cases */
    size_t fn, fcap;
    uint32_t *q, *hr; /* the ledger's queue and refund regions */
    double *ht, *hv;
};

engine_pool *engine_pool_new(void) { return calloc(1, sizeof(engine_pool)); }

void engine_pool_free(engine_pool *p)
{
    if (!p)
        return;
    free(p->l);
    free(p->f);
    free(p->q);
    free(p->hr);
    free(p->ht);
    free(p->hv);
    free(p);
}

void engine_pool_reset(engine_pool *p) { p->ln = p->fn = 0; }

size_t engine_pool_cases(const engine_pool *p) { return p->ln + p->fn; }

static int grow_l(engine_pool *p, size_t need, fz_error *err)
{
    if (need <= p->lcap)
        return 0;
    size_t cap = p->lcap ? p->lcap : 256;
    while (cap < need)
        cap *= 2;
    engine_lcase *l = realloc(p->l, cap * sizeof *l);
    if (l)
        p->l = l;
    uint32_t *q = l ? realloc(p->q, cap * sizeof *q) : NULL;
    if (q)
        p->q = q;
    uint32_t *hr = q ? realloc(p->hr, cap * sizeof *hr) : NULL;
    if (hr)
        p->hr = hr;
    double *ht = hr ? realloc(p->ht, cap * sizeof *ht) : NULL;
    if (ht)
        p->ht = ht;
    double *hv = ht ? realloc(p->hv, cap * sizeof *hv) : NULL;
    if (!hv)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu pooled cases", cap);
    p->hv = hv;
    p->lcap = cap;
    return 0;
}

static int grow_f(engine_pool *p, size_t need, fz_error *err)
{
    if (need <= p->fcap)
        return 0;
    size_t cap = p->fcap ? p->fcap : 256;
    while (cap < need)
        cap *= 2;
    pcase *f = realloc(p->f, cap * sizeof *f);
    if (!f)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu pooled cases", cap);
    p->f = f;
    p->fcap = cap;
    return 0;
}

int engine_pool_add(engine_pool *p, const engine_ws *ws, size_t c, fz_error *err)
{
    if (ws->ln && grow_l(p, p->ln + ws->ln, err))
        return FZ_ERUNTIME;
    if (ws->n && grow_f(p, p->fn + ws->n, err))
        return FZ_ERUNTIME;
    if (ws->ln) /* (no arrays yet when nothing was ever added) */
        memcpy(p->l + p->ln, ws->lcases, ws->ln * sizeof *p->l);
    p->ln += ws->ln;
    for (size_t i = 0; i < ws->n; i++)
        p->f[p->fn++] = (pcase){ws->cases[i], (uint32_t)c, (uint32_t)i};
    return 0;
}

/* The queue's order: ready time, then region order, then draw order. */
static int cmp_pooled(const void *pa, const void *pb)
{
    const engine_lcase *a = pa, *b = pb;
    if (a->ready != b->ready)
        return a->ready < b->ready ? -1 : 1;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* cheapest_first's order across regions. */
static int cmp_cheapest(const void *pa, const void *pb)
{
    const pcase *a = pa, *b = pb;
    if (a->c.cost != b->c.cost)
        return a->c.cost < b->c.cost ? -1 : 1;
    if (a->c.ready != b->c.ready)
        return a->c.ready < b->c.ready ? -1 : 1;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void settle_cheapest(engine_stats *out, double *balance_end, engine_pool *p, const scenario *s,
                            const engine_trace *tr)
{
    const double H = s->horizon_days, B = s->budget_usd;
    if (p->fn)
        qsort(p->f, p->fn, sizeof *p->f, cmp_cheapest);
    double spent = 0, step = trace_step(tr);
    size_t k = 0;
    trace_begin(tr);
    for (size_t i = 0; i < p->fn; i++) {
        const engine_case *c = &p->f[i].c;
        engine_stats *st = &out[p->f[i].region];
        st->fundable += 1;
        if (spent + c->cost > B)
            continue; /* sorted by cost: nothing later fits; counted as fundable */
        spent += c->cost;
        st->spent += c->cost;
        st->releases += 1;
        double det = c->release - c->arrive;
        st->detention_days += det;
        st->freedom_days += H > c->release ? H - c->release : 0;
        if (tr && tr->days) {
            if (tr->regions)
                tr->regions[k] = p->f[i].region;
            tr->days[k++] = det;
        }
        trace_money(tr, step, c->ready, -c->cost);
        trace_release(tr, step, c->release);
    }
    for (size_t r = 0; r < s->nregions; r++)
        out[r].unpaid = out[r].fundable - out[r].releases;
    *balance_end = B - spent;
    trace_end(tr, B);
}

void engine_settle_pooled(engine_stats *out, double *balance_end, engine_pool *p, const scenario *s,
                          scenario_policy policy, const engine_trace *trace)
{
    memset(out, 0, s->nregions * sizeof *out);
    if (policy == POLICY_CHEAPEST_FIRST) {
        settle_cheapest(out, balance_end, p, s, trace);
        return;
    }
    if (p->ln)
        qsort(p->l, p->ln, sizeof *p->l, cmp_pooled);
    double cap[SCENARIO_MAX_REGIONS];
    for (size_t r = 0; r < s->nregions; r++)
        cap[r] = s->regions[r].max_payments_per_day;
    ledger L;
    ledger_setup(&L, s, p->l, p->ln, s->budget_usd, trace);
    L.don = s->donations_usd_per_month; /* every donation: x = B */
    L.don_coef = s->donations_usd_per_month / s->budget_usd;
    L.pooled = 1;
    L.nreg = s->nregions;
    L.region0 = 0;
    L.cap = cap;
    L.st = out;
    L.q = p->q;
    L.ht = p->ht;
    L.hv = p->hv;
    L.hr = p->hr;
    ledger_run(&L);
    *balance_end = L.in - L.out;
}
