/* engine: sampling people and paying their bonds (engine.h, DESIGN §1).
 *
 * Per person, draws happen in a fixed order so that a key always yields the
 * same people: arrival time, grant, family pays, hearing delay, amount,
 * release delay, removal.  Draws after the one that makes a person
 * unfundable are skipped: this changes no distribution (the draws are
 * independent) and saves most of the work when grant rates are low.
 *
 * Speed (issue 6), without changing a single result for a given seed:
 * - uniform draws are inline on the generator's state (rng.h), and so are
 *   the common distributions (dist_draw_plan, with inline copies of GSL's
 *   Gaussian and gamma samplers); dist_sample does the others;
 * - the removal test needs m = a + Exp(hazard) only through m > d + r.  With
 *   t = d + r - a and E = -mu log1p(-u) (gsl_ran_exponential, mu = 1/hazard),
 *   u <= -log1p(-u) <= u / (1 - u) decides it without the logarithm unless u
 *   is within a relative 1e-9 of the boundary (see removed());
 * - the fundable cases are put in policy order by a stable bucket sort: a
 *   bucket index monotone in the key (equal keys share a bucket), a stable
 *   scatter in draw order, then one insertion pass (or a merge sort of each
 *   large bucket), which is exactly the stable order the merge sort gave, in
 *   O(n) on average (sort_cases). */
#include "engine.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

struct engine_ws {
    gsl_rng *rng;
    engine_case *cases;
    size_t n, cap, people;
    engine_case *tmp; /* scratch for the sorts */
    uint32_t *bucket; /* bucket of each case */
    uint32_t *start;  /* bucket starts: cap + 1 */
};

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

static int grow(engine_ws *ws, fz_error *err)
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
    if (!s)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu cases", cap);
    ws->start = s;
    ws->cap = cap;
    return 0;
}

/* Stable merge sort on the policy key; ties keep draw order (DESIGN §1). */
static double sort_key(const engine_case *c, scenario_policy p)
{
    return p == POLICY_CHEAPEST_FIRST ? c->cost : c->ready;
}

/* Stable insertion sort of cs[lo .. hi): for short runs, and for runs that
 * are nearly in order (every case close to its place). */
static void insertion_sort(engine_case *cs, size_t lo, size_t hi, scenario_policy p)
{
    for (size_t i = lo + 1; i < hi; i++) {
        double k = sort_key(&cs[i], p);
        if (!(sort_key(&cs[i - 1], p) > k))
            continue;
        engine_case c = cs[i];
        size_t j = i;
        do {
            cs[j] = cs[j - 1];
            j--;
        } while (j > lo && sort_key(&cs[j - 1], p) > k);
        cs[j] = c;
    }
}

static void merge_sort(engine_ws *ws, size_t lo, size_t hi, scenario_policy p)
{
    engine_case *cs = ws->cases, *tmp = ws->tmp;
    if (hi - lo < 2)
        return;
    if (hi - lo <= 16) {
        insertion_sort(cs, lo, hi, p);
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    merge_sort(ws, lo, mid, p);
    merge_sort(ws, mid, hi, p);
    if (sort_key(&cs[mid - 1], p) <= sort_key(&cs[mid], p))
        return;
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        int take_right = sort_key(&cs[j], p) < sort_key(&cs[i], p);
        tmp[k++] = cs[take_right ? j++ : i++];
    }
    for (; i < mid; i++, k++)
        tmp[k] = cs[i];
    for (; j < hi; j++, k++)
        tmp[k] = cs[j];
    memcpy(cs + lo, tmp + lo, (hi - lo) * sizeof *cs);
}

/* Stable sort of all cases on the policy key (the result of merge_sort, faster).
 * Bucket b(k) = min(nb - 1, (size_t)((k - lo) * scale)) is nondecreasing in k
 * (rounded subtraction and multiplication are monotone), so scattering the
 * cases by bucket in draw order and then sorting each bucket stably gives the
 * stable order.  Keys that are not finite fall back to the merge sort. */
static void sort_cases(engine_ws *ws, scenario_policy p)
{
    const size_t n = ws->n;
    engine_case *cs = ws->cases;
    if (n <= 32) {
        merge_sort(ws, 0, n, p);
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        double k = sort_key(&cs[i], p);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
        sorted &= i == 0 || sort_key(&cs[i - 1], p) <= k;
    }
    if (sorted) /* also: every key equal */
        return;
    double span = hi - lo;
    if (!isfinite(span) || !(span > 0)) { /* infinite or NaN keys */
        merge_sort(ws, 0, n, p);
        return;
    }
    const size_t nb = n; /* about one case per bucket */
    const double scale = (double)nb / span;
    uint32_t *bk = ws->bucket, *start = ws->start;
    memset(start, 0, (nb + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((sort_key(&cs[i], p) - lo) * scale);
        b = b < nb ? b : nb - 1;
        bk[i] = (uint32_t)b;
        start[b + 1]++;
    }
    uint32_t most = 0; /* the largest bucket */
    for (size_t b = 0; b < nb; b++) {
        most = start[b + 1] > most ? start[b + 1] : most;
        start[b + 1] += start[b];
    }
    engine_case *out = ws->tmp;
    for (size_t i = 0; i < n; i++) /* start[b]: next free slot of bucket b */
        out[start[bk[i]]++] = cs[i];
    /* now start[b] is the end of bucket b */
    ws->tmp = cs;
    ws->cases = out;
    if (most <= 16) {
        /* one stable insertion sort over everything: a case never moves past
         * the start of its bucket, since every key before it is <= its own */
        insertion_sort(out, 0, n, p);
        return;
    }
    size_t from = 0; /* large buckets: sort each one */
    for (size_t b = 0; b < nb; b++) {
        size_t to = start[b];
        if (to - from > 16)
            merge_sort(ws, from, to, p);
        else
            insertion_sort(out, from, to, p);
        from = to;
    }
}

/* Is a person who arrived at a, to be released at rel, removed first?  The
 * same answer as !(a + gsl_ran_exponential(r, mu) > rel), i.e. with
 * E = -mu * log1p(-u): since u <= -log1p(-u) <= u / (1 - u), mu u > t (1 + 1e-9)
 * (t = rel - a) gives E > t by a relative margin that covers every rounding
 * of the exact expression (log1p within an ulp, the products, a + E), so
 * a + E > rel in floating point too; mu u < t (1 - 1e-9) (1 - u) gives
 * a + E <= rel likewise.  The margin must exceed an ulp of rel: t > 1e-6 rel. */
static inline int removed(double u, double mu, double a, double rel)
{
    double t = rel - a;
    if (t > 1e-6 * rel) {
        double mt = u * mu;
        if (mt > t * (1 + 1e-9))
            return 0;
        if (mt < t * (1 - 1e-9) * (1 - u))
            return 1;
    }
    return !(a + -mu * log1p(-u) > rel);
}

/* One distribution, sampled inline (dist_draw_plan): the same values from the
 * same draws as dist_sample, without a call per draw. */
typedef struct sampler {
    dist_draw p;
    const dist *d;
    double gd, gc; /* gamma: d and c of rng_gamma_dc */
} sampler;

static void sampler_init(sampler *s, const dist *d)
{
    s->d = d;
    dist_draw_plan(d, &s->p);
    if (s->p.kind == DIST_DRAW_GAMMA) {
        if (rng_fast_ready) {
            s->gd = s->p.a - 1.0 / 3.0;
            s->gc = (1.0 / 3.0) / sqrt(s->gd);
        } else {
            s->p.kind = DIST_DRAW_CALL;
        }
    }
}

/* One draw; st is the caller's copy of r's state (see rng.h). */
__attribute__((always_inline)) static inline double sample(const sampler *s, gsl_rng *r, rng_state *st)
{
    double x;
    switch (s->p.kind) {
    case DIST_DRAW_FIXED: return s->p.a;
    case DIST_DRAW_UNIFORM: return s->p.a + s->p.b * rng_uniform(st);
    case DIST_DRAW_GAMMA: return rng_gamma_dc_st(st, r, s->gd, s->gc, s->p.b);
    case DIST_DRAW_LOGNORMAL: return exp(s->p.a + rng_gaussian_ziggurat_st(st, r, s->p.b));
    case DIST_DRAW_LOGNORMAL_REJECT:
        for (int tries = 0; tries < DIST_REJECT_TRIES; tries++) {
            double z = s->p.a + rng_gaussian_ziggurat_st(st, r, s->p.b);
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

int engine_draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy policy, uint64_t stream, uint64_t rep,
                fz_error *err)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days;
    gsl_rng *r = ws->rng;
    rng_seed(r, s->seed, stream, rep, region);
    size_t n0 = (size_t)g->initial_detained;
    size_t people = n0 + (g->arrivals_per_day > 0 ? gsl_ran_poisson(r, g->arrivals_per_day * H) : 0);
    rng_state state = *rng_state_of(r), *st = &state; /* a local copy: kept in registers */
    const double grant = g->bond_grant_prob, family = g->family_pays_prob, max_bond = g->max_bond_paid_usd;
    const double case_cost = g->case_cost_usd, hazard = g->removal_hazard_per_day, mu = 1 / hazard;
    sampler hearing, bond, release;
    sampler_init(&hearing, g->hearing_delay_days);
    sampler_init(&bond, g->bond_usd);
    sampler_init(&release, g->release_delay_days);
    ws->n = 0;
    ws->people = people;
    for (size_t i = 0; i < people; i++) {
        double a = i < n0 ? 0 : H * rng_uniform(st);
        if (rng_uniform(st) >= grant)
            continue; /* bond denied (prob 1 never denies: uniform < 1) */
        if (family > 0 && rng_uniform(st) < family)
            continue; /* the family pays: the fund is not needed */
        double d = a + sample(&hearing, r, st);
        if (!(d < H))
            continue;
        double b = sample(&bond, r, st);
        if (b > max_bond)
            continue;
        double rel = d + sample(&release, r, st);
        if (hazard > 0 && removed(rng_uniform(st), mu, a, rel))
            continue; /* removed before release */
        if (ws->n == ws->cap && grow(ws, err))
            return FZ_ERUNTIME;
        ws->cases[ws->n++] = (engine_case){b + case_cost, a, rel, d};
    }
    *rng_state_of(r) = state;
    sort_cases(ws, policy);
    return 0;
}

const engine_case *engine_cases(const engine_ws *ws, size_t *n)
{
    *n = ws->n;
    return ws->cases;
}

size_t engine_people(const engine_ws *ws) { return ws->people; }

void engine_pay(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon, double *days)
{
    engine_stats st = {0, 0, (double)ws->n, 0, 0, 0, 0, 0, 0};
    size_t k = 0;
    for (size_t i = 0; i < ws->n; i++) {
        const engine_case *c = &ws->cases[i];
        if (st.spent + c->cost > x) {
            if (policy == POLICY_CHEAPEST_FIRST)
                break; /* sorted by cost: nothing later fits either */
            continue;
        }
        st.spent += c->cost;
        st.releases += 1;
        double det = c->release - c->arrive;
        st.detention_days += det;
        st.freedom_days += horizon > c->release ? horizon - c->release : 0;
        if (days)
            days[k++] = det;
    }
    *out = st;
}
