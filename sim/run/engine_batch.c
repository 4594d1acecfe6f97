/* engine_batch: a region's kept people drawn in batches (engine_int.h;
 * issue 16), when they need only §1's draws (no regime, stay, copay or
 * refund; engine.c decides).
 *
 * After thinning (engine.c) every kept person of such a region needs the
 * same draws: an arrival uniform (arrivals only), a hearing delay, a bond, a
 * release delay and a removal uniform (when the hazard is > 0).  They are
 * independent, so they may be drawn attribute by attribute, each as one
 * array from vrng (eight xoshiro256++ lanes, vector exp/log/normal/gamma;
 * models/vrng.h) keyed by (seed, stream, rep, region), and then one scalar
 * pass builds the cases in draw order, with the scalar path's tests: d < H,
 * bond <= cap, not removed before release.  The distribution is the scalar
 * path's (the same families, sampled exactly); the numbers are vrng's.
 * Every attribute is drawn for every kept person, including those the
 * scalar path would drop before reaching it (decided after H, bond over the
 * cap): a few percent more draws, each much cheaper.
 *
 * Listed for the ledger (a ledger region whose keys only hold cases back,
 * or engine_draw_lcases) they are the same people: the removal
 * time m = a + Exp(hazard) from the same uniform, decided by the same
 * comparison (removed(), engine_int.h). */
#include <math.h>
#include <stdlib.h>

#include "engine_int.h"

int engine_batch_ok(const dist_draw *p)
{
    switch (p->kind) {
    case DIST_DRAW_FIXED:
    case DIST_DRAW_UNIFORM:
    case DIST_DRAW_GAMMA:
    case DIST_DRAW_LOGNORMAL:
    case DIST_DRAW_LOGNORMAL_REJECT: return 1;
    default: return 0;
    }
}

/* n draws of p into out (engine_batch_ok(p)). */
static void fill(vrng *v, const dist_draw *p, double *out, size_t n)
{
    switch (p->kind) {
    case DIST_DRAW_FIXED:
        for (size_t i = 0; i < n; i++)
            out[i] = p->a;
        break;
    case DIST_DRAW_UNIFORM:
        vrng_uniform(v, out, n);
        for (size_t i = 0; i < n; i++)
            out[i] = p->a + p->b * out[i];
        break;
    case DIST_DRAW_GAMMA: vrng_gamma(v, out, n, p->a, p->b); break;
    case DIST_DRAW_LOGNORMAL: vrng_lognormal(v, out, n, p->a, p->b); break;
    default: vrng_lognormal_trunc(v, out, n, p->a, p->b, p->lo, p->hi); break;
    }
}

static int reserve(engine_ws *ws, size_t n, fz_error *err)
{
    if (n <= ws->bcap)
        return 0;
    size_t cap = ws->bcap ? ws->bcap : 256;
    while (cap < n)
        cap *= 2;
    double **arr[5] = {&ws->bu, &ws->bh, &ws->bb, &ws->br, &ws->bm};
    for (int k = 0; k < 5; k++) {
        double *p = realloc(*arr[k], cap * sizeof *p);
        if (!p)
            return fz_fail(err, FZ_ERUNTIME, "out of memory for %zu people", cap);
        *arr[k] = p;
    }
    ws->bcap = cap;
    return 0;
}

int engine_batch_people(engine_ws *ws, const engine_batch *b, size_t kept, size_t k0, int lcases, fz_error *err)
{
    if (kept == 0)
        return 0;
    if (reserve(ws, kept, err))
        return FZ_ERUNTIME;
    vrng *v = &ws->vr;
    vrng_seed(v, b->seed, b->stream, b->rep, b->region);
    const double H = b->H, cap = b->cap, cc = b->case_cost, hazard = b->hazard, mu = 1 / hazard;
    vrng_uniform(v, ws->bu, kept - k0);
    fill(v, &b->hearing, ws->bh, kept);
    fill(v, &b->bond, ws->bb, kept);
    fill(v, &b->release, ws->br, kept);
    if (hazard > 0)
        vrng_uniform(v, ws->bm, kept);
    const double *bu = ws->bu, *bh = ws->bh, *bb = ws->bb, *br = ws->br, *bm = ws->bm;
    int rc = 0;
    for (size_t i = 0; i < kept && !rc; i++) {
        double a = i < k0 ? 0 : H * bu[i - k0], d = a + bh[i];
        if (!(d < H))
            continue;
        double bond = bb[i];
        if (bond > cap)
            continue;
        double rel = d + br[i];
        if (lcases) {
            double m = INFINITY;
            if (hazard > 0 && !((m = a + -mu * log1p(-bm[i])) > rel))
                continue; /* removed before release (the same test as removed()) */
            rc = engine_push_lcase(ws, (engine_lcase){bond + cc, a, d, br[i], m, bond, INFINITY, 0, 0}, err);
            continue;
        }
        if (hazard > 0 && removed(bm[i], mu, a, rel))
            continue; /* removed before release */
        rc = engine_push_case(ws, (engine_case){bond + cc, a, rel, d}, err);
    }
    return rc;
}
