/* engine: sampling people (engine.h, DESIGN §1 and §7); paying them is
 * ledger.c.
 *
 * Thinning (issue 16; a new random stream since then, the same
 * distribution).  A person can become fundable only if the bond is granted
 * and the family does not pay: under one phase with probability
 * p = g (1 - f) (grant g, family f), and under a regime never more often
 * than p = g_max (1 - f_min), the largest grant and smallest family
 * probability over the region's phases.  Both tests use uniforms drawn for
 * that person alone, independent of everything else about them, so "kept"
 * is an independent coin of probability p per person, and
 *  - of the n0 people detained at time 0, K0 ~ Binomial(n0, p) are kept;
 *  - of the N ~ Poisson(Lambda) arrivals (Lambda = the integrated rate),
 *    K1 | N ~ Binomial(N, p) are kept: independent p-thinning of a Poisson
 *    process, so K1 ~ Poisson(p Lambda) and the kept arrival times are, given
 *    K1, iid with the same density lambda(t) / Lambda as before (Ross,
 *    Simulation, 5th ed., §5.5, thinning; the coin does not depend on t).
 *    N is drawn first and K1 from it (rather than K1 ~ Poisson(p Lambda) and
 *    the rest apart) because engine_people() still reports the people count
 *    n0 + N, the throughput unit, with its old distribution; both give the
 *    same joint law of (N, K1).
 * Only the K0 + K1 kept people are drawn, in the old order (the n0 first,
 * then arrivals; draw order only breaks ties between exchangeable people).
 * Conditional on being kept, the grant uniform is U(0, g_max) and the
 * family one U(f_min, 1), independent (a uniform conditioned on an interval
 * is uniform on it): a regime compares them with the values in force at the
 * decision time d, so that P(granted at d | kept) = g(d) / g_max and
 * P(not paid by family at d | kept) = (1 - f(d)) / (1 - f_min), whose
 * product times p is g(d) (1 - f(d)) as before.  They are drawn only when
 * some phase has a smaller grant or a larger family probability (else the
 * comparisons always pass).  §1's people lose three uniforms each (arrival,
 * grant, family) and the unkept cost nothing: with seed-2025's p = 0.078,
 * 92% of the people are never drawn.
 *
 * A region that draws only §1's attributes (no regime, stay, copay or
 * refund; ledger keys that only hold cases back are allowed) and whose
 * hearing, bond and release distributions vrng covers draws a
 * replication's kept people as arrays instead, when there are at
 * least ENGINE_BATCH_MIN of them (engine_batch.c): the same law, vrng's
 * numbers.  Otherwise, per kept person, draws happen in a fixed order so that a key always yields
 * the same people: arrival time, (regimes) grant and family uniforms,
 * hearing delay, amount, release delay, then (§7, only when their keys are
 * set) stayed, stay length, revoked, copay, then removal, then (ledger
 * regions) refunded, case duration, refund lag.  Draws after the one that
 * makes a person unfundable are skipped: this changes no distribution (the
 * draws are independent).  Arrivals under a piecewise rate are one uniform
 * each through the inverse cumulative rate (arrival_at).
 *
 * Speed (issue 6), without changing a single result for a given stream:
 * - uniform draws are inline on the generator's state (rng.h), and so are
 *   the common distributions (dist_draw_plan, with inline copies of GSL's
 *   Gaussian and gamma samplers) and mixtures of them (issue 16: one
 *   uniform picks the component, as dist_sample does); dist_sample does the
 *   others.  One exception to "dist_sample's values" (issue 16, the same
 *   distribution): a lognormal truncated at or above its median rejects
 *   from |N| (leaf_init);
 * - the removal test needs m = a + Exp(hazard) only through m > d + r.  With
 *   t = d + r - a and E = -mu log1p(-u) (gsl_ran_exponential, mu = 1/hazard),
 *   u <= -log1p(-u) <= u / (1 - u) decides it without the logarithm unless u
 *   is within a relative 1e-9 of the boundary (see removed());
 * - the fundable cases are put in policy order by a stable bucket sort: a
 *   bucket index monotone in the key (equal keys share a bucket), a stable
 *   scatter in draw order, then one insertion pass (or a merge sort of each
 *   large bucket), which is exactly the stable order the merge sort gave, in
 *   O(n) on average (engine_sort_cases, in engine_sort.c). */
#include "engine.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "rng.h"

engine_ws *engine_ws_new(void)
{
    engine_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->rng = rng_new();
    if (!ws->rng) {
        free(ws);
        return NULL;
    }
    return ws;
}

void engine_ws_free(engine_ws *ws)
{
    if (!ws)
        return;
    gsl_rng_free(ws->rng);
    free(ws->cases);
    free(ws->tmp);
    free(ws->bucket);
    free(ws->start);
    free(ws->gsum);
    free(ws->lcases);
    free(ws->ltmp);
    free(ws->lkey);
    free(ws->lbucket);
    free(ws->lstart);
    free(ws->queue);
    free(ws->heap_t);
    free(ws->heap_v);
    free(ws->heap_r);
    free(ws->bu);
    free(ws->bh);
    free(ws->bb);
    free(ws->br);
    free(ws->bm);
    free(ws);
}

engine_ws **engine_ws_pool(int n)
{
    engine_ws **pool = calloc(n > 0 ? (size_t)n : 1, sizeof *pool);
    for (int t = 0; pool && t < n; t++)
        if (!(pool[t] = engine_ws_new())) {
            engine_ws_pool_free(pool, n);
            return NULL;
        }
    return pool;
}

void engine_ws_pool_free(engine_ws **pool, int n)
{
    for (int t = 0; pool && t < n; t++)
        engine_ws_free(pool[t]);
    free(pool);
}

int engine_grow(engine_ws *ws, fz_error *err)
{
    size_t cap = ws->cap ? 2 * ws->cap : 256;
    engine_case *c = realloc(ws->cases, cap * sizeof *c);
    if (c)
        ws->cases = c;
    engine_case *t = c ? realloc(ws->tmp, cap * sizeof *t) : NULL;
    if (t)
        ws->tmp = t;
    uint32_t *b = t ? realloc(ws->bucket, cap * sizeof *b) : NULL;
    if (b)
        ws->bucket = b;
    uint32_t *s = b ? realloc(ws->start, (cap + 1) * sizeof *s) : NULL;
    if (s)
        ws->start = s;
    double *g = s ? realloc(ws->gsum, 3 * (cap + 1) * sizeof *g) : NULL;
    if (!g)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu cases", cap);
    ws->gsum = g;
    ws->cap = cap;
    return 0;
}

/* One distribution, sampled inline (dist_draw_plan): the same values from the
 * same draws as dist_sample, without a call per draw. */
typedef struct leaf {
    dist_draw p;
    const dist *d;
    double gd, gc; /* gamma: d and c of rng_gamma_dc */
    int half;      /* LOGNORMAL_REJECT truncated at or above the median: |N| (see leaf_init) */
} leaf;

/* A leaf, or a mixture of leaves (issue 16): one uniform picks the
 * component as family_mixture.c's sample does (the first i with
 * u < cumw[i], the last one otherwise), then the component is sampled
 * inline, so the values and draws are dist_sample's again. */
typedef struct sampler {
    leaf one;           /* the distribution (ncomp == 0) */
    size_t ncomp;       /* a mixture's components, in comp[] */
    const double *cumw; /* the mixture's running weights (the dist's) */
    const leaf *comp;   /* in the draw plan's pool */
} sampler;

/* A lognormal truncated below at lo >= its median e^mu (log lo >= mu):
 * log X is mu + sigma N conditioned on N >= (log lo - mu) / sigma >= 0, and
 * so is mu + sigma |N| conditioned on the same event, since |N| is N
 * conditioned on N >= 0 (the ziggurat is symmetric: its sign is one bit of
 * the draw).  Rejection from |N| then keeps twice the mass of rejection
 * from N: half the normal draws, the same distribution (a new stream for
 * these distributions only, issue 16; the other kinds stay dist_sample's
 * values).  Below the median (every shipped scenario: kept mass 0.78 to
 * 0.99) plain rejection is already the cheapest exact method (1/mass
 * ziggurat draws and one exp). */
static void leaf_init(leaf *s, const dist *d)
{
    s->d = d;
    s->half = 0;
    dist_draw_plan(d, &s->p);
    if (s->p.kind == DIST_DRAW_LOGNORMAL_REJECT && s->p.lo > 0 && log(s->p.lo) >= s->p.a)
        s->half = 1;
    if (s->p.kind == DIST_DRAW_GAMMA) {
        if (rng_fast_ready) {
            s->gd = s->p.a - 1.0 / 3.0;
            s->gc = (1.0 / 3.0) / sqrt(s->gd);
        } else {
            s->p.kind = DIST_DRAW_CALL;
        }
    }
}

/* Components of inlined mixtures, per draw plan; a mixture that does not
 * fit is sampled by dist_sample. */
#define ENGINE_MIX_POOL 32
typedef struct leaf_pool {
    leaf l[ENGINE_MIX_POOL];
    size_t n;
} leaf_pool;

static void sampler_init(sampler *s, const dist *d, leaf_pool *pool)
{
    memset(s, 0, sizeof *s);
    const dist *const *comp;
    const double *cumw;
    size_t nc = dist_mixture_parts(d, &comp, &cumw);
    if (nc > 0 && nc <= ENGINE_MIX_POOL - pool->n) {
        leaf *l = &pool->l[pool->n];
        for (size_t i = 0; i < nc; i++)
            leaf_init(&l[i], comp[i]);
        pool->n += nc;
        s->ncomp = nc;
        s->cumw = cumw;
        s->comp = l;
        s->one.d = d;
        return;
    }
    leaf_init(&s->one, d);
}

/* One draw; st is the caller's copy of r's state (see rng.h). */
__attribute__((always_inline)) static inline double leaf_sample(const leaf *s, gsl_rng *r, rng_state *st)
{
    double x;
    switch (s->p.kind) {
    case DIST_DRAW_FIXED: return s->p.a;
    case DIST_DRAW_UNIFORM: return s->p.a + s->p.b * rng_uniform(st);
    case DIST_DRAW_GAMMA: return rng_gamma_dc_st(st, r, s->gd, s->gc, s->p.b);
    case DIST_DRAW_LOGNORMAL: return exp(s->p.a + rng_gaussian_ziggurat_st(st, r, s->p.b));
    case DIST_DRAW_LOGNORMAL_REJECT:
        for (int tries = 0; tries < DIST_REJECT_TRIES; tries++) {
            double n = rng_gaussian_ziggurat_st(st, r, s->p.b);
            double z = s->p.a + (s->half ? fabs(n) : n);
            if (z < s->p.zlo || z > s->p.zhi)
                continue; /* outside [lo, hi] for sure */
            x = exp(z);
            if (x >= s->p.lo && x <= s->p.hi)
                return x;
        }
        *rng_state_of(r) = *st;
        x = dist_sample_inverse(s->d, r);
        break;
    default:
        *rng_state_of(r) = *st;
        x = dist_sample(s->d, r);
        break;
    }
    *st = *rng_state_of(r);
    return x;
}

__attribute__((always_inline)) static inline double sample(const sampler *s, gsl_rng *r, rng_state *st)
{
    if (!s->ncomp)
        return leaf_sample(&s->one, r, st);
    double u = rng_uniform(st);
    size_t i = 0;
    while (i + 1 < s->ncomp && u >= s->cumw[i])
        i++;
    return leaf_sample(&s->comp[i], r, st);
}

/* Phases of a region: at most two per regime and one more. */
#define ENGINE_MAX_PHASES (2 * SCENARIO_MAX_REGIMES + 1)

/* What one engine_draw of a region needs, prepared once per call. */
typedef struct draw_plan {
    const scenario_phase *ph; /* the region's phases, or `one` */
    size_t nph;
    scenario_phase one;
    double grant_max, family_min, stay_max, revoke, refund;
    double arrivals_mean; /* of the Poisson count of arrivals */
    double keep;          /* p = grant_max (1 - family_min): the thinning probability */
    int piecewise;        /* arrival rates differ between phases */
    int draw_ug, draw_uf; /* some phase grants less than grant_max / has family above family_min */
    int batch;            /* §1's draws, all of which vrng covers (engine_batch.c) */
    int copay, ledger;
    int general; /* anything beyond §1: phases, stays, copays or the ledger */
    sampler hearing, release, stay, copay_s, duration, lag;
    sampler bond[ENGINE_MAX_PHASES];
    leaf_pool pool; /* the inlined mixtures' components */
} draw_plan;

static int plan_init(draw_plan *P, const scenario *s, size_t region)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days;
    memset(P, 0, offsetof(draw_plan, hearing));
    P->pool.n = 0;
    P->ph = scenario_region_phases(g, H, &P->one, &P->nph); /* without phases: its own values on [0, H) */
    if (P->nph > ENGINE_MAX_PHASES)
        return -1;
    P->grant_max = 0;
    P->family_min = INFINITY;
    P->arrivals_mean = 0;
    for (size_t k = 0; k < P->nph; k++) {
        const scenario_phase *q = &P->ph[k];
        P->grant_max = q->bond_grant_prob > P->grant_max ? q->bond_grant_prob : P->grant_max;
        P->family_min = q->family_pays_prob < P->family_min ? q->family_pays_prob : P->family_min;
        P->stay_max = q->stay_prob > P->stay_max ? q->stay_prob : P->stay_max;
        P->piecewise |= q->arrivals_per_day != P->ph[0].arrivals_per_day;
        P->arrivals_mean += q->arrivals_per_day * (q->end - q->start);
        if (k > 0 && q->bond_usd == P->ph[k - 1].bond_usd)
            P->bond[k] = P->bond[k - 1]; /* a regime that keeps the bond: one copy of its components */
        else
            sampler_init(&P->bond[k], q->bond_usd, &P->pool);
    }
    for (size_t k = 0; k < P->nph; k++) {
        P->draw_ug |= P->ph[k].bond_grant_prob < P->grant_max;
        P->draw_uf |= P->ph[k].family_pays_prob > P->family_min;
    }
    P->keep = P->grant_max * (1 - P->family_min);
    if (!(P->keep > 0)) /* no grant, or the family always pays */
        P->keep = 0;
    /* one rate on [0, H): the count and the times of §1 */
    if (!P->piecewise)
        P->arrivals_mean = P->ph[0].arrivals_per_day * H;
    P->revoke = g->stay_revoke_prob;
    P->refund = g->refund_prob;
    P->ledger = scenario_uses_ledger(s, region);
    sampler_init(&P->hearing, g->hearing_delay_days, &P->pool);
    sampler_init(&P->release, g->release_delay_days, &P->pool);
    if (P->stay_max > 0)
        sampler_init(&P->stay, g->stay_days, &P->pool);
    if (g->copay_usd) {
        sampler_init(&P->copay_s, g->copay_usd, &P->pool);
        P->copay = !(P->copay_s.one.p.kind == DIST_DRAW_FIXED && P->copay_s.one.p.a == 0 && !P->copay_s.ncomp);
    }
    if (P->ledger && P->refund > 0) {
        sampler_init(&P->duration, g->case_duration_days, &P->pool);
        sampler_init(&P->lag, g->refund_lag_days, &P->pool);
    }
    P->general = P->nph > 1 || P->stay_max > 0 || P->copay || P->ledger;
    /* the batched draws are §1's: no regime, stay, copay or refund draws
     * (a ledger region without them lists the same people, engine_batch.c) */
    P->batch = P->nph == 1 && !(P->stay_max > 0) && !P->copay && !(P->ledger && P->refund > 0) && !P->hearing.ncomp &&
               !P->bond[0].ncomp && !P->release.ncomp && engine_batch_ok(&P->hearing.one.p) &&
               engine_batch_ok(&P->bond[0].one.p) && engine_batch_ok(&P->release.one.p);
    return 0;
}

/* The phase in force at time t (phases are sorted and cover [0, H)). */
static inline size_t phase_at(const draw_plan *P, double t)
{
    size_t k = 0;
    while (k + 1 < P->nph && t >= P->ph[k + 1].start)
        k++;
    return k;
}

/* An arrival time for a uniform u under the piecewise-constant rate: the
 * inverse of the cumulative rate Λ(t) at u Λ(H): given its count n, the
 * arrival times of a Poisson process of rate λ(t) on [0, H) are n iid draws
 * with density λ(t) / Λ(H) (Ross, Simulation, 5th ed., §5.5), so each is one
 * uniform through that inverse. */
static double arrival_at(const draw_plan *P, double u)
{
    double target = u * P->arrivals_mean, acc = 0;
    for (size_t k = 0; k < P->nph; k++) {
        const scenario_phase *q = &P->ph[k];
        double mass = q->arrivals_per_day * (q->end - q->start);
        if (mass > 0 && (target < acc + mass || k + 1 == P->nph)) {
            double a = q->start + (target - acc) / q->arrivals_per_day;
            return a < q->start ? q->start : a < q->end ? a : nextafter(q->end, q->start);
        }
        acc += mass;
    }
    for (size_t k = P->nph; k-- > 0;) /* rounding past the last mass: its end */
        if (P->ph[k].arrivals_per_day > 0)
            return nextafter(P->ph[k].end, P->ph[k].start);
    return 0;
}

/* noinline (engine_sort_lcases is in its own file for the same reason): inlined into draw_region, GCC 12 made §1's
 * person loop ~20% longer (callgrind, simulate seed-2025). */
__attribute__((noinline)) int engine_push_lcase(engine_ws *ws, engine_lcase c, fz_error *err)
{
    if (ws->ln == ws->lcap) {
        size_t cap = ws->lcap ? 2 * ws->lcap : 256;
        engine_lcase *l = realloc(ws->lcases, cap * sizeof *l);
        if (l)
            ws->lcases = l;
        uint32_t *q = l ? realloc(ws->queue, cap * sizeof *q) : NULL;
        if (q)
            ws->queue = q;
        double *ht = q ? realloc(ws->heap_t, cap * sizeof *ht) : NULL;
        if (ht)
            ws->heap_t = ht;
        double *hv = ht ? realloc(ws->heap_v, cap * sizeof *hv) : NULL;
        if (hv)
            ws->heap_v = hv;
        uint32_t *hr = hv ? realloc(ws->heap_r, cap * sizeof *hr) : NULL;
        if (hr)
            ws->heap_r = hr;
        engine_lcase *lt = hr ? realloc(ws->ltmp, cap * sizeof *lt) : NULL;
        if (lt)
            ws->ltmp = lt;
        struct lkey *k1 = lt ? realloc(ws->lkey, cap * sizeof *k1) : NULL;
        if (k1)
            ws->lkey = k1;
        uint32_t *lb = k1 ? realloc(ws->lbucket, cap * sizeof *lb) : NULL;
        if (lb)
            ws->lbucket = lb;
        uint32_t *ls = lb ? realloc(ws->lstart, (cap + 1) * sizeof *ls) : NULL;
        if (!ls)
            return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu cases", cap);
        ws->lstart = ls;
        ws->lcap = cap;
    }
    c.id = (uint32_t)ws->ln;
    ws->lcases[ws->ln++] = c;
    return 0;
}

/* The kept people of one region and replication (the first n0 of them
 * detained at time 0; see the top of the file).  With `general` = 0 (a §1
 * region) this is §1's loop; the §7 draws (stay, revocation, copay, refund
 * and its delays) come after the §1 draws they depend on, and only when
 * their keys are not at their defaults, so a scenario with every §7 key at
 * its default draws the same numbers. */
__attribute__((always_inline)) static inline int draw_people(engine_ws *ws, const scenario *s, const draw_plan *P,
                                                             const scenario_region *g, size_t kept, size_t n0,
                                                             const int general, fz_error *err)
{
    const double H = s->horizon_days;
    gsl_rng *r = ws->rng;
    rng_state state = *rng_state_of(r), *st = &state; /* a local copy: kept in registers */
    const double case_cost = g->case_cost_usd, hazard = g->removal_hazard_per_day, mu = 1 / hazard;
    /* local copies of what every person reads: P's address reaches calls
     * that are not inlined, after which its fields would be loaded again */
    const double grant_max = P->grant_max, family_min = P->family_min;
    const double max_bond0 = P->ph[0].max_bond_paid_usd;
    const sampler hearing = P->hearing, release = P->release, bond0 = P->bond[0];
    int rc = 0;
    for (size_t i = 0; i < kept && !rc; i++) {
        double a = i < n0 ? 0 : general && P->piecewise ? arrival_at(P, rng_uniform(st)) : H * rng_uniform(st);
        double ug = 0, uf = 1; /* given kept: U(0, grant_max) and U(family_min, 1) */
        if (general && P->draw_ug)
            ug = grant_max * rng_uniform(st);
        if (general && P->draw_uf)
            uf = family_min + (1 - family_min) * rng_uniform(st);
        double d = a + sample(&hearing, r, st);
        if (!(d < H))
            continue;
        size_t k = general && P->nph > 1 ? phase_at(P, d) : 0;
        const scenario_phase *ph = &P->ph[k];
        if (general && (ug >= ph->bond_grant_prob || uf < ph->family_pays_prob))
            continue; /* the regime in force at d denies, or the family pays */
        double b = general ? sample(&P->bond[k], r, st) : sample(&bond0, r, st);
        if (b > (general ? ph->max_bond_paid_usd : max_bond0))
            continue;
        double delay = sample(&release, r, st), e = d, copay = 0;
        if (general && P->stay_max > 0 && rng_uniform(st) < ph->stay_prob) {
            double stay = sample(&P->stay, r, st);
            if (P->revoke > 0 && rng_uniform(st) < P->revoke)
                continue; /* the stay ends in revocation */
            e = d + stay;
            if (!(e < H))
                continue;
        }
        if (general && P->copay && !((copay = sample(&P->copay_s, r, st)) < b))
            continue; /* the family's copay covers the bond */
        double cost = general ? b - copay + case_cost : b + case_cost, rel = e + delay;
        if (general && P->ledger) {
            double m = INFINITY, back = INFINITY;
            if (hazard > 0 && !((m = a + -mu * log1p(-rng_uniform(st))) > rel))
                continue; /* removed before release (the same test as removed()) */
            if (P->refund > 0 && rng_uniform(st) < P->refund)
                back = sample(&P->duration, r, st) + sample(&P->lag, r, st);
            rc = engine_push_lcase(ws, (engine_lcase){cost, a, e, delay, m, b - copay, back, 0, 0}, err);
            continue;
        }
        if (hazard > 0 && removed(rng_uniform(st), mu, a, rel))
            continue; /* removed before release */
        rc = engine_push_case(ws, (engine_case){cost, a, rel, e}, err);
    }
    *rng_state_of(r) = state;
    return rc;
}

/* K ~ Binomial(n, p) (gsl_ran_binomial: exact, BTPE for large n p). */
static size_t binomial(gsl_rng *r, double p, size_t n)
{
    if (n == 0 || !(p > 0))
        return 0;
    if (p >= 1)
        return n;
    return gsl_ran_binomial(r, p, (unsigned)n);
}

static int draw_region(engine_ws *ws, const scenario *s, size_t region, scenario_policy policy, uint64_t stream,
                       uint64_t rep, int force_ledger, fz_error *err)
{
    const scenario_region *g = &s->regions[region];
    draw_plan P;
    if (plan_init(&P, s, region))
        return fz_fail(err, FZ_ERUNTIME, "region %s: more than %d phases", g->name, ENGINE_MAX_PHASES);
    if (force_ledger) /* the same draws (see draw_people), listed for the ledger */
        P.ledger = P.general = 1;
    gsl_rng *r = ws->rng;
    rng_seed(r, s->seed, stream, rep, region);
    size_t n0 = (size_t)g->initial_detained;
    size_t arrivals = P.arrivals_mean > 0 ? gsl_ran_poisson(r, P.arrivals_mean) : 0;
    size_t k0 = binomial(r, P.keep, n0), kept = k0 + binomial(r, P.keep, arrivals);
    ws->n = ws->ln = 0;
    ws->people = n0 + arrivals;
    int rc;
    if (P.batch && kept >= ENGINE_BATCH_MIN) { /* listed for the ledger or not: the same people */
        engine_batch b = {P.hearing.one.p,
                          P.bond[0].one.p,
                          P.release.one.p,
                          s->horizon_days,
                          P.ph[0].max_bond_paid_usd,
                          g->case_cost_usd,
                          g->removal_hazard_per_day,
                          s->seed,
                          stream,
                          rep,
                          region};
        rc = engine_batch_people(ws, &b, kept, k0, P.ledger, err);
    } else {
        rc = P.general ? draw_people(ws, s, &P, g, kept, k0, 1, err) : draw_people(ws, s, &P, g, kept, k0, 0, err);
    }
    if (rc)
        return rc;
    if (P.ledger) {
        if (ws->ln)
            engine_sort_lcases(ws);
        for (size_t k = 0; k < ws->ln; k++)
            ws->lcases[k].region = (uint32_t)region;
    } else {
        engine_sort_cases(ws, policy);
    }
    return 0;
}

int engine_draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy policy, uint64_t stream, uint64_t rep,
                fz_error *err)
{
    return draw_region(ws, s, region, policy, stream, rep, 0, err);
}

int engine_draw_lcases(engine_ws *ws, const scenario *s, size_t region, uint64_t stream, uint64_t rep, fz_error *err)
{
    return draw_region(ws, s, region, POLICY_FIRST_COME, stream, rep, 1, err);
}

const engine_case *engine_cases(const engine_ws *ws, size_t *n)
{
    *n = ws->n;
    return ws->cases;
}

size_t engine_people(const engine_ws *ws) { return ws->people; }

const engine_lcase *engine_lcases(const engine_ws *ws, size_t *n)
{
    *n = ws->ln;
    return ws->lcases;
}

size_t engine_fundable(const engine_ws *ws) { return ws->n + ws->ln; }
