/* engine_batch_ref.h: check_engine's oracle of the batched draw
 * (sim/run/engine_batch.c, issue 16), written from its documented order.
 * Static functions; include after check_common.h. */
#ifndef FZ_ENGINE_BATCH_REF_H
#define FZ_ENGINE_BATCH_REF_H

#include <math.h>
#include <stdlib.h>

#include "check_common.h"
#include "dist.h"
#include "engine.h"
#include "scenario.h"
#include "vrng.h"

/* A §1 region whose three distributions vrng covers draws its kept people
 * as arrays (engine_batch.c): arrival uniforms, hearing, bond, release,
 * removal uniforms, each one vrng call in that order. */
static int ref_batchable(const dist *d, dist_draw *p)
{
    dist_draw_plan(d, p);
    return p->kind == DIST_DRAW_FIXED || p->kind == DIST_DRAW_UNIFORM || p->kind == DIST_DRAW_GAMMA ||
           p->kind == DIST_DRAW_LOGNORMAL || p->kind == DIST_DRAW_LOGNORMAL_REJECT;
}

static void ref_fill(vrng *v, const dist_draw *p, double *out, size_t n)
{
    if (p->kind == DIST_DRAW_FIXED)
        for (size_t i = 0; i < n; i++)
            out[i] = p->a;
    else if (p->kind == DIST_DRAW_UNIFORM) {
        vrng_uniform(v, out, n);
        for (size_t i = 0; i < n; i++)
            out[i] = p->a + p->b * out[i];
    } else if (p->kind == DIST_DRAW_GAMMA)
        vrng_gamma(v, out, n, p->a, p->b);
    else if (p->kind == DIST_DRAW_LOGNORMAL)
        vrng_lognormal(v, out, n, p->a, p->b);
    else
        vrng_lognormal_trunc(v, out, n, p->a, p->b, p->lo, p->hi);
}

static size_t reference_batch(engine_case *out, size_t cap, const scenario *s, size_t region, uint64_t stream,
                              uint64_t rep, size_t kept, size_t k0, const dist_draw *pl)
{
    const scenario_region *g = &s->regions[region];
    const double H = s->horizon_days, h = g->removal_hazard_per_day;
    double *x[5];
    for (int k = 0; k < 5; k++)
        ck_assert_ptr_nonnull(x[k] = malloc((kept + 1) * sizeof *x[k]));
    vrng v;
    vrng_seed(&v, s->seed, stream, rep, region);
    vrng_uniform(&v, x[0], kept - k0);
    for (int k = 0; k < 3; k++)
        ref_fill(&v, &pl[k], x[k + 1], kept);
    if (h > 0)
        vrng_uniform(&v, x[4], kept);
    size_t n = 0;
    for (size_t i = 0; i < kept; i++) {
        double a = i < k0 ? 0 : H * x[0][i - k0], d = a + x[1][i], b = x[2][i], rel = d + x[3][i];
        if (!(d < H) || !(b <= g->max_bond_paid_usd) || (h > 0 && !(a + -(1 / h) * log1p(-x[4][i]) > rel)))
            continue;
        ck_assert_uint_lt(n, cap);
        out[n++] = (engine_case){b + g->case_cost_usd, a, rel, d};
    }
    for (int k = 0; k < 5; k++)
        free(x[k]);
    return n;
}

#endif
