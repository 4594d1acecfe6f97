/* cv: exact expected fundable cases and the splitting estimator (cv.h).
 *
 * Derivation of E[X_c], X_c the fundable cases of region c in one
 * replication, from the engine's definitions (engine.c, docs/model.md):
 * person i arrives at a (0 for the n0 = initial_detained, else a Poisson
 * process of piecewise-constant rate lambda(a) on [0, H)), and draws
 * independently a hearing delay D (decision d = a + D), a release delay R,
 * a removal time m = a + Exp(h), and, by the phase k in force at d: grant
 * (prob g_k), family pays (f_k), the bond B_k, and (DESIGN §7) stayed (s_k)
 * with a stay S and revocation (v), and a copay K.  The person is fundable
 * iff granted, not family-paid, B_k <= cap_k, K < B_k (copay keys only),
 * not revoked, e = d + S [stayed] < H (d < H when not stayed) and
 * m > e + R.  Given a and D, the remaining conditions are independent, and
 * P(m > e + R | D, S, R) = exp(-h (D + S [stayed] + R)), so
 *   p(a) = E[e^{-hR}] * E_D[ 1{a + D < H} e^{-hD} Phi(a + D) ],
 *   Phi(d) = G_k [ (1 - s_k) + s_k (1 - v) L_S(H - d) ],  k = phase of d,
 *   G_k = g_k (1 - f_k) E[ 1{B_k <= cap_k} P(K < B_k) ],
 *   L_S(y) = E[ e^{-hS} 1{S < y} ].
 * The Poisson arrivals contribute the integral of lambda(a) p(a) over
 * [0, H) (Campbell's theorem), so
 *   E[X_c] = E[e^{-hR}] ( n0 E_D[1{D < H} e^{-hD} Phi(D)] + E_D[e^{-hD} A(D)] ),
 *   A(D) = int_0^{H-D} lambda(a) Phi(a + D) da.
 * A(D) is a sum over the pieces [u, v) of d on which both lambda(d - D) =
 * lambda_j and the phase k are constant:
 *   lambda_j G_k [ (1 - s_k)(v - u) + s_k (1 - v) E_S[e^{-hS} clip(H - u - S, 0, v - u)] ],
 * since int_u^v 1{S < H - d} dd = clip(H - u - S, 0, v - u).  So E[X_c] is
 * at most a two-level quadrature over D (outer) and S (inner), each one
 * dist_expect with the break points where the integrand jumps or kinks.
 * Nothing here depends on the policy, the money or the ledger: a person's
 * fundability is decided by the draws alone (refunds, queues and capacity
 * only decide who of the fundable is paid). */
#include "cv.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist_expect.h"

#define CV_MAX_PHASES (2 * SCENARIO_MAX_REGIMES + 1)
#define CV_MAX_PIECES 240

typedef struct region_model {
    double H, h, rv;
    const scenario_phase *ph;
    size_t nph;
    scenario_phase one;
    double G[CV_MAX_PHASES];
    int stays;
    const dist *S;
    const dist *K; /* copay, NULL when not drawn */
    double cap;    /* the phase's cap, while G is computed */
    fz_error *err;
    int failed;
    /* A(D)'s stayed pieces */
    size_t np;
    double pu[CV_MAX_PIECES], pv[CV_MAX_PIECES], pw[CV_MAX_PIECES];
} region_model;

static size_t phase_at(const region_model *m, double t)
{
    size_t k = 0;
    while (k + 1 < m->nph && t >= m->ph[k + 1].start)
        k++;
    return k;
}

static double disc(const region_model *m, double x) { return m->h > 0 ? exp(-m->h * x) : 1; }

/* 1{B <= cap} P(K < B) */
static double f_bond(double b, void *ctx)
{
    const region_model *m = ctx;
    if (!(b <= m->cap))
        return 0;
    return m->K ? dist_cdf(m->K, nextafter(b, -INFINITY)) : 1;
}

static double f_disc(double x, void *ctx) { return disc(ctx, x); }

typedef struct below_ctx {
    const region_model *m;
    double y;
} below_ctx;

static double f_disc_below(double x, void *ctx)
{
    const below_ctx *b = ctx;
    return x < b->y ? disc(b->m, x) : 0;
}

/* the dist_expect of the model, remembering the first failure */
static double expect(region_model *m, const dist *d, double (*f)(double, void *), void *ctx, const double *br,
                     size_t nb, double scale)
{
    double v = 0;
    if (!m->failed && dist_expect(d, f, ctx, br, nb, scale, &v, m->err))
        m->failed = 1;
    return v;
}

/* Phi(d), d < H */
static double phi(region_model *m, double d)
{
    size_t k = phase_at(m, d);
    double st = m->ph[k].stay_prob, v = 1 - st;
    if (st > 0) {
        below_ctx b = {m, m->H - d};
        v += st * (1 - m->rv) * expect(m, m->S, f_disc_below, &b, &b.y, 1, 1);
    }
    return m->G[k] * v;
}

/* n0's integrand: 1{D < H} e^{-hD} Phi(D) */
static double f_initial(double D, void *ctx)
{
    region_model *m = ctx;
    return D < m->H ? disc(m, D) * phi(m, D) : 0;
}

/* E_S[e^{-hS} sum_p w_p clip(H - u_p - S, 0, v_p - u_p)] */
static double f_stayed(double S, void *ctx)
{
    const region_model *m = ctx;
    double s = 0;
    for (size_t p = 0; p < m->np; p++) {
        double len = m->H - m->pu[p] - S, w = m->pv[p] - m->pu[p];
        s += m->pw[p] * (len <= 0 ? 0 : len < w ? len : w);
    }
    return s * disc(m, S);
}

/* e^{-hD} A(D) */
static double f_arrivals(double D, void *ctx)
{
    region_model *m = ctx;
    const double H = m->H;
    if (!(D < H))
        return 0;
    double direct = 0, scale = 0;
    m->np = 0;
    for (size_t j = 0; j < m->nph; j++) {
        double lam = m->ph[j].arrivals_per_day;
        double u0 = m->ph[j].start + D, v0 = fmin(m->ph[j].end + D, H);
        if (!(lam > 0) || !(v0 > u0))
            continue;
        for (size_t k = 0; k < m->nph; k++) {
            double u = fmax(u0, m->ph[k].start), v = fmin(v0, m->ph[k].end);
            if (!(v > u) || !(m->G[k] > 0))
                continue;
            double w = lam * m->G[k], st = m->ph[k].stay_prob;
            direct += w * (1 - st) * (v - u);
            if (st > 0 && m->np < CV_MAX_PIECES) {
                m->pu[m->np] = u;
                m->pv[m->np] = v;
                m->pw[m->np++] = w * st;
                scale += w * st * (v - u);
            } else if (st > 0 && !m->failed) {
                m->failed = 1;
                fz_fail(m->err, FZ_ERUNTIME, "more than %d pieces of regimes", CV_MAX_PIECES);
            }
        }
    }
    double stayed = 0;
    if (m->np > 0) {
        double br[2 * CV_MAX_PIECES];
        for (size_t p = 0; p < m->np; p++) {
            br[2 * p] = H - m->pu[p];
            br[2 * p + 1] = H - m->pv[p];
        }
        stayed = (1 - m->rv) * expect(m, m->S, f_stayed, m, br, 2 * m->np, scale > 0 ? scale : 1);
    }
    return disc(m, D) * (direct + stayed);
}

static int region_expected(const scenario *s, size_t c, double *out, fz_error *err)
{
    const scenario_region *g = &s->regions[c];
    region_model *m = calloc(1, sizeof *m);
    if (!m)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    m->H = s->horizon_days;
    m->h = g->removal_hazard_per_day;
    m->err = err;
    m->ph = scenario_region_phases(g, m->H, &m->one, &m->nph);
    int rc = 0;
    if (m->nph > CV_MAX_PHASES) {
        rc = fz_fail(err, FZ_ERUNTIME, "more than %d phases", CV_MAX_PHASES);
        goto done;
    }
    /* what the engine draws: stays when any phase has them, the copay unless fixed(0) */
    for (size_t k = 0; k < m->nph; k++)
        m->stays |= m->ph[k].stay_prob > 0;
    m->rv = g->stay_revoke_prob;
    m->S = g->stay_days;
    if (g->copay_usd && !(dist_get_family(g->copay_usd) == DIST_FIXED && dist_lower(g->copay_usd) == 0))
        m->K = g->copay_usd;
    for (size_t k = 0; k < m->nph && !m->failed; k++) {
        const scenario_phase *q = &m->ph[k];
        m->cap = q->max_bond_paid_usd;
        double pb = m->K ? expect(m, q->bond_usd, f_bond, m, &m->cap, 1, 1) : dist_cdf(q->bond_usd, m->cap);
        m->G[k] = q->bond_grant_prob * (1 - q->family_pays_prob) * pb;
    }
    /* break points of D: where a phase boundary of a meets one of d, and H */
    double br[(CV_MAX_PHASES + 1) * (CV_MAX_PHASES + 1)], bd[CV_MAX_PHASES + 1];
    size_t nb = 0;
    for (size_t k = 0; k <= m->nph; k++)
        bd[k] = k < m->nph ? m->ph[k].start : m->H;
    for (size_t k = 0; k <= m->nph; k++)
        for (size_t j = 0; j <= m->nph; j++)
            if (bd[k] - bd[j] > 0 && nb < 500)
                br[nb++] = bd[k] - bd[j];
    double lam_mass = 0;
    for (size_t k = 0; k < m->nph; k++)
        lam_mass += m->ph[k].arrivals_per_day * (m->ph[k].end - m->ph[k].start);
    double init = 0, arr = 0, er = 1;
    if (g->initial_detained > 0)
        init = expect(m, g->hearing_delay_days, f_initial, m, bd, m->nph + 1, 1);
    if (lam_mass > 0)
        arr = expect(m, g->hearing_delay_days, f_arrivals, m, br, nb, lam_mass);
    if (m->h > 0)
        er = expect(m, g->release_delay_days, f_disc, m, NULL, 0, 1);
    if (m->failed) {
        rc = FZ_ERUNTIME;
        goto done;
    }
    *out = er * ((double)g->initial_detained * init + arr);
    if (!isfinite(*out))
        rc = fz_fail(err, FZ_ERUNTIME, "the expected fundable cases are not finite");
done:
    free(m);
    return rc;
}

int cv_expected_fundable(const scenario *s, double *out, fz_error *err)
{
    for (size_t c = 0; c < s->nregions; c++) {
        fz_error e = {0, ""};
        int rc = region_expected(s, c, &out[c], &e);
        if (rc)
            return fz_fail(err, rc, "region %s: %s", s->regions[c].name, e.msg);
    }
    return 0;
}

/* ---- the splitting estimator ---- */

int cv_x_init(cv_x *x, size_t C)
{
    memset(x, 0, sizeof *x);
    x->C = C;
    x->mx = calloc(2 * C + 1, sizeof *x->mx);
    x->sxx = calloc(2 * C * C + 1, sizeof *x->sxx);
    x->dx = calloc(C + 1, sizeof *x->dx);
    return x->mx && x->sxx && x->dx ? 0 : -1;
}

void cv_x_free(cv_x *x)
{
    free(x->mx);
    free(x->sxx);
    free(x->dx);
}

int cv_y_init(cv_y *y, size_t C)
{
    memset(y, 0, sizeof *y);
    y->sxy = calloc(2 * C + 1, sizeof *y->sxy);
    return y->sxy ? 0 : -1;
}

void cv_y_free(cv_y *y) { free(y->sxy); }

/* Welford's update in several variables (as stat_cov): dx with the old
 * means, the co-moments with the new ones. */
void cv_x_add(cv_x *x, uint64_t rep, const double *xs)
{
    const size_t C = x->C;
    const int h = (int)(rep & 1);
    double *mx = x->mx + h * C, *sxx = x->sxx + h * C * C;
    x->h = h;
    x->n[h] += 1;
    for (size_t c = 0; c < C; c++) {
        x->dx[c] = xs[c] - mx[c];
        mx[c] += x->dx[c] / x->n[h];
    }
    for (size_t c = 0; c < C; c++)
        for (size_t d = 0; d < C; d++)
            sxx[c * C + d] += x->dx[c] * (xs[d] - mx[d]);
}

void cv_y_add(cv_y *y, const cv_x *x, double v)
{
    const int h = x->h;
    y->n[h] += 1;
    double dy = v - y->my[h];
    y->my[h] += dy / y->n[h];
    double r = v - y->my[h];
    y->syy[h] += dy * r;
    for (size_t c = 0; c < x->C; c++)
        y->sxy[h * x->C + c] += x->dx[c] * r;
}

cv_est cv_estimate_vec(const cv_x *x, const cv_y *y, const double *mu)
{
    cv_est r = {NAN, NAN, NAN, NAN};
    const size_t C = x->C;
    const double n = y->n[0] + y->n[1];
    if (y->n[0] < 3 || y->n[1] < 3 || C > SCENARIO_MAX_REGIONS)
        return r;
    double z[2], ss = 0;
    for (int h = 0; h < 2; h++) {
        const int o = 1 - h;
        const double *mx = x->mx + h * C, *sxx = x->sxx + h * C * C, *sxy = y->sxy + h * C;
        double b[SCENARIO_MAX_REGIONS];
        for (size_t c = 0; c < C; c++) { /* the other half's coefficients */
            double v = x->sxx[o * C * C + c * C + c];
            b[c] = v > 0 ? y->sxy[o * C + c] / v : 0;
        }
        double zh = y->my[h], s = y->syy[h];
        for (size_t c = 0; c < C; c++) {
            zh -= b[c] * (mx[c] - mu[c]);
            s -= 2 * b[c] * sxy[c];
            for (size_t d = 0; d < C; d++)
                s += b[c] * b[d] * sxx[c * C + d];
        }
        z[h] = zh;
        ss += s > 0 ? s : 0;
    }
    double s2 = ss / (n - 2);
    r.mean = (y->n[0] * z[0] + y->n[1] * z[1]) / n;
    double t = n - 2 > 1e6 ? STAT_Z975 : gsl_cdf_tdist_Pinv(0.975, n - 2);
    r.half95 = t * sqrt(s2 / n);
    /* the plain variance of y over both halves (Chan, Golub & LeVeque) */
    double dy = y->my[1] - y->my[0], syy = y->syy[0] + y->syy[1] + y->n[0] * y->n[1] / n * dy * dy;
    double plain = syy / (n - 1);
    if (s2 > 0)
        r.var_ratio = plain / s2;
    if (plain > 0)
        r.rho = sqrt(fmax(0, 1 - s2 / plain));
    return r;
}

cv_est cv_estimate(const cv_acc *a, double mu)
{
    cv_est r = {NAN, NAN, NAN, NAN};
    const stat_cov *h0 = &a->half[0], *h1 = &a->half[1];
    double n = h0->n + h1->n;
    /* pooled co-moments (Chan, Golub & LeVeque 1979), for rho and the plain variance */
    double dx = h1->mx - h0->mx, dy = h1->my - h0->my, f = n > 0 ? h0->n * h1->n / n : 0;
    double sxx = h0->m2x + h1->m2x + f * dx * dx, syy = h0->m2y + h1->m2y + f * dy * dy;
    double sxy = h0->cxy + h1->cxy + f * dx * dy;
    if (sxx > 0 && syy > 0)
        r.rho = sxy / sqrt(sxx * syy);
    if (h0->n < 3 || h1->n < 3)
        return r;
    double b0 = h0->m2x > 0 ? h0->cxy / h0->m2x : 0, b1 = h1->m2x > 0 ? h1->cxy / h1->m2x : 0;
    /* each half with the other half's coefficient */
    double z0 = h0->my - b1 * (h0->mx - mu), z1 = h1->my - b0 * (h1->mx - mu);
    double ss0 = h0->m2y - 2 * b1 * h0->cxy + b1 * b1 * h0->m2x;
    double ss1 = h1->m2y - 2 * b0 * h1->cxy + b0 * b0 * h1->m2x;
    double ss = (ss0 > 0 ? ss0 : 0) + (ss1 > 0 ? ss1 : 0), s2 = ss / (n - 2);
    r.mean = (h0->n * z0 + h1->n * z1) / n;
    double t = n - 2 > 1e6 ? STAT_Z975 : gsl_cdf_tdist_Pinv(0.975, n - 2);
    r.half95 = t * sqrt(s2 / n);
    if (s2 > 0)
        r.var_ratio = syy / (n - 1) / s2;
    return r;
}
