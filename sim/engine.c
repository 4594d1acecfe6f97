/* engine: sampling people and paying their bonds (engine.h, DESIGN §1).
 *
 * Per person, draws happen in a fixed order so that a key always yields the
 * same people: arrival time, grant, family pays, hearing delay, amount,
 * release delay, removal.  Draws after the one that makes a person
 * unfundable are skipped: this changes no distribution (the draws are
 * independent) and saves most of the work when grant rates are low. */
#include "engine.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

struct engine_ws {
    gsl_rng *rng;
    engine_case *cases;
    uint32_t *order; /* draw index of each case, to break ties */
    size_t n, cap, people;
    engine_case *tmp;
    uint32_t *tmp_order;
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
    free(ws->order);
    free(ws->tmp);
    free(ws->tmp_order);
    free(ws);
}

static int grow(engine_ws *ws, fz_error *err)
{
    size_t cap = ws->cap ? 2 * ws->cap : 256;
    engine_case *c = realloc(ws->cases, cap * sizeof *c);
    if (c)
        ws->cases = c;
    uint32_t *o = c ? realloc(ws->order, cap * sizeof *o) : NULL;
    if (o)
        ws->order = o;
    engine_case *t = o ? realloc(ws->tmp, cap * sizeof *t) : NULL;
    if (t)
        ws->tmp = t;
    uint32_t *to = t ? realloc(ws->tmp_order, cap * sizeof *to) : NULL;
    if (!to)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu cases", cap);
    ws->tmp_order = to;
    ws->cap = cap;
    return 0;
}

/* Stable merge sort on the policy key; ties keep draw order (DESIGN §1). */
static double sort_key(const engine_case *c, scenario_policy p)
{
    return p == POLICY_CHEAPEST_FIRST ? c->cost : c->decide;
}

static void merge_sort(engine_ws *ws, size_t lo, size_t hi, scenario_policy p)
{
    if (hi - lo < 2)
        return;
    if (hi - lo <= 16) { /* insertion sort: stable */
        for (size_t i = lo + 1; i < hi; i++) {
            engine_case c = ws->cases[i];
            uint32_t o = ws->order[i];
            double k = sort_key(&c, p);
            size_t j = i;
            while (j > lo && sort_key(&ws->cases[j - 1], p) > k) {
                ws->cases[j] = ws->cases[j - 1];
                ws->order[j] = ws->order[j - 1];
                j--;
            }
            ws->cases[j] = c;
            ws->order[j] = o;
        }
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    merge_sort(ws, lo, mid, p);
    merge_sort(ws, mid, hi, p);
    if (sort_key(&ws->cases[mid - 1], p) <= sort_key(&ws->cases[mid], p))
        return;
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        int take_right = sort_key(&ws->cases[j], p) < sort_key(&ws->cases[i], p);
        size_t from = take_right ? j++ : i++;
        ws->tmp[k] = ws->cases[from];
        ws->tmp_order[k++] = ws->order[from];
    }
    for (; i < mid; i++, k++) {
        ws->tmp[k] = ws->cases[i];
        ws->tmp_order[k] = ws->order[i];
    }
    for (; j < hi; j++, k++) {
        ws->tmp[k] = ws->cases[j];
        ws->tmp_order[k] = ws->order[j];
    }
    memcpy(ws->cases + lo, ws->tmp + lo, (hi - lo) * sizeof *ws->cases);
    memcpy(ws->order + lo, ws->tmp_order + lo, (hi - lo) * sizeof *ws->order);
}

int engine_draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy policy,
                uint64_t stream, uint64_t rep, fz_error *err)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days;
    gsl_rng *r = ws->rng;
    rng_seed(r, s->seed, stream, rep, region);
    size_t n0 = (size_t)g->initial_detained;
    size_t people = n0 + (g->arrivals_per_day > 0 ? gsl_ran_poisson(r, g->arrivals_per_day * H) : 0);
    ws->n = 0;
    ws->people = people;
    for (size_t i = 0; i < people; i++) {
        double a = i < n0 ? 0 : H * gsl_rng_uniform(r);
        if (gsl_rng_uniform(r) >= g->bond_grant_prob)
            continue; /* bond denied (prob 1 never denies: uniform < 1) */
        if (g->family_pays_prob > 0 && gsl_rng_uniform(r) < g->family_pays_prob)
            continue; /* the family pays: the fund is not needed */
        double d = a + dist_sample(g->hearing_delay_days, r);
        if (!(d < H))
            continue;
        double b = dist_sample(g->bond_usd, r);
        if (b > g->max_bond_paid_usd)
            continue;
        double rel = d + dist_sample(g->release_delay_days, r);
        if (g->removal_hazard_per_day > 0) {
            double m = a + gsl_ran_exponential(r, 1 / g->removal_hazard_per_day);
            if (!(m > rel))
                continue; /* removed before release */
        }
        if (ws->n == ws->cap && grow(ws, err))
            return FZ_ERUNTIME;
        ws->cases[ws->n] = (engine_case){b + g->case_cost_usd, a, rel, d};
        ws->order[ws->n] = (uint32_t)i;
        ws->n++;
    }
    merge_sort(ws, 0, ws->n, policy);
    return 0;
}

const engine_case *engine_cases(const engine_ws *ws, size_t *n)
{
    *n = ws->n;
    return ws->cases;
}

size_t engine_people(const engine_ws *ws) { return ws->people; }

void engine_pay(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x,
                double horizon, double *days)
{
    engine_stats st = {0, 0, (double)ws->n, 0, 0};
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
