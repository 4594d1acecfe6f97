/* gap: the A2RP optimality gap of a candidate split (gap.h).
 *
 * Averaged Two-Replication Procedure: Bayraksan & Morton, "Assessing
 * solution quality in stochastic programs", Math. Programming 108 (2006)
 * 495-514, §3 (their 2RP; "A2RP" in Stockbridge & Bayraksan, Math.
 * Programming 142, 2013).  Maximisation: f(x) = E F(x, xi), F the total
 * releases (or days of freedom) of split x in one replication; the
 * candidate x^ (chosen on the optimize stream, so independent of what
 * follows) has the true gap G = max_x f(x) - f(x^) >= 0.  For pair
 * k = 1..K and half l = 1, 2, n replications xi_kl1..xi_kln of the
 * evaluation stream (half j = 2(k-1)+l-1 holds replications jn .. jn+n-1):
 *
 *   f_kl(x) = (1/n) sum_i F(x, xi_kli)           (the half's mean curves)
 *   x*_kl   = argmax f_kl over the feasible splits (split_solve, exact)
 *   G_kl    = f_kl(x*_kl) - f_kl(x^) >= 0
 *   G'_k    = (G_k1 + G_k2) / 2                   (2RP's point estimate)
 *   G-bar'  = (1/K) sum_k G'_k
 *   s'^2    = (1/(K-1)) sum_k (G'_k - G-bar')^2
 *   95% one-sided bound:  G-bar' + t_{K-1,0.95} s' / sqrt(K)
 *
 * The variance differs from 2RP's: there s'^2 pools each half's sample
 * variance of F(x^, xi) - F(x*_kl, xi), which needs every replication again
 * once x*_kl is known (a second pass, or all curves in memory).  Here it is
 * taken between the K independent, identically distributed pairs (batch
 * means, as Mak, Morton & Wood 1999 do for their gap estimator), which needs
 * only each half's summed curves: one pass, memory flat in replications.
 *
 * Bias, and why the bound is conservative: E[f_kl(x*_kl)] >= max_x f(x)
 * (the maximum of means is at least the mean at the true optimum) and
 * E[f_kl(x^)] = f(x^), so E[G'_k] >= G: G-bar' overestimates the gap, less
 * as n grows (Mak et al. 1999, Thm. 2: E max f_n falls with n).  The t bound
 * covers E[G'_k] with probability ~0.95 (exactly if G'_k is normal), so it
 * covers G <= E[G'_k] at least as often.  A half stopped by the solver's time
 * limit gives its proven bound for f_kl(x*_kl): larger still.
 *
 * Degenerate case (Bayraksan & Morton §4): when every half re-selects x^,
 * every G_kl = 0 and s' = 0: a bound of width zero, which says nothing of
 * the chance that x^ is not optimal.  `degenerate` says so; optimize then
 * falls back to Mak-Morton-Wood (optimize.c). */
#include "gap.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "stats.h"

void gap_a2rp_free(gap_a2rp *g)
{
    free(g->lo);
    free(g->hi);
    free(g->cand);
    free(g->sum);
    free(g->half_value);
    free(g->half_gap);
    free(g->pair_gap);
    memset(g, 0, sizeof *g);
}

int gap_a2rp_init(gap_a2rp *g, size_t pairs, size_t nreps, const split_problem *p, const long *cand, fz_error *err)
{
    memset(g, 0, sizeof *g);
    if (pairs < 2 || nreps / (2 * pairs) < 1)
        return fz_fail(err, FZ_EINPUT, "A2RP: %zu pairs of halves need at least %zu replications (have %zu)", pairs,
                       4 > 2 * pairs ? (size_t)4 : 2 * pairs, nreps);
    const size_t C = p->nregions, G = p->ngrid;
    g->pairs = pairs;
    g->half_reps = nreps / (2 * pairs);
    g->lo = malloc(C * sizeof *g->lo);
    g->hi = malloc(C * sizeof *g->hi);
    g->cand = malloc(C * sizeof *g->cand);
    g->sum = calloc(C * G, sizeof *g->sum);
    g->half_value = calloc(2 * pairs, sizeof *g->half_value);
    g->half_gap = calloc(2 * pairs, sizeof *g->half_gap);
    g->pair_gap = calloc(pairs, sizeof *g->pair_gap);
    if (!g->lo || !g->hi || !g->cand || !g->sum || !g->half_value || !g->half_gap || !g->pair_gap)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for the A2RP gap");
    memcpy(g->lo, p->lo, C * sizeof *g->lo);
    memcpy(g->hi, p->hi, C * sizeof *g->hi);
    memcpy(g->cand, cand, C * sizeof *g->cand);
    /* the mean problem only: the CVaR and target fields stay zero */
    g->p = (split_problem){.nregions = C,
                           .ngrid = G,
                           .step = p->step,
                           .budget_steps = p->budget_steps,
                           .lo = g->lo,
                           .hi = g->hi,
                           .value = g->sum,
                           .time_limit = p->time_limit,
                           .mip_only = p->mip_only};
    g->mean = g->sd = g->ci_lo = g->ci_hi = g->upper = NAN;
    return 0;
}

/* sum_c value[c][steps_c], regions in order: the same sum for x* and x^, so
 * a half that re-selects x^ gives exactly 0. */
static double split_value(const double *value, const long *steps, size_t C, size_t G)
{
    double v = 0;
    for (size_t c = 0; c < C; c++)
        v += value[c * G + (size_t)steps[c]];
    return v;
}

/* The current half is complete: its mean curves, optimum and G_kl. */
static int solve_half(gap_a2rp *g, fz_error *err)
{
    const size_t C = g->p.nregions, G = g->p.ngrid;
    const double inv = 1.0 / (double)g->half_reps;
    for (size_t j = 0; j < C * G; j++)
        g->sum[j] *= inv;
    double t = fz_seconds();
    split_result res;
    int rc = split_solve(&res, &g->p, err);
    g->seconds += fz_seconds() - t;
    if (rc)
        return rc;
    double at_cand = split_value(g->sum, g->cand, C, G), best;
    if (res.status == ALLOC_OPTIMAL) {
        best = split_value(g->sum, res.steps, C, G);
        g->reselected += !memcmp(res.steps, g->cand, C * sizeof *g->cand);
    } else { /* its proven bound: E[bound] >= E[optimum] keeps the estimate conservative */
        best = res.bound;
        g->time_limited++;
    }
    split_result_free(&res);
    /* another optimum of equal value may differ from x^ by rounding: G_kl >= 0 */
    g->half_value[g->done] = best;
    g->half_gap[g->done] = best > at_cand ? best - at_cand : 0;
    g->done++;
    g->have = 0;
    memset(g->sum, 0, C * G * sizeof *g->sum);
    return 0;
}

int gap_a2rp_add(gap_a2rp *g, uint64_t rep, const double *curves, fz_error *err)
{
    const size_t per = g->p.nregions * g->p.ngrid, n = g->half_reps;
    if (rep >= (uint64_t)(2 * g->pairs * n)) /* the remainder: not used */
        return 0;
    if (rep != (uint64_t)(g->done * n + g->have))
        return fz_fail(err, FZ_ERUNTIME, "A2RP: replication %llu out of order", (unsigned long long)rep);
    /* serial in eval's fold (in replication order): vectorised, the same
     * additions element by element (bit-identical) */
    double *restrict sum = g->sum;
#pragma omp simd
    for (size_t j = 0; j < per; j++)
        sum[j] += curves[j];
    return ++g->have == n ? solve_half(g, err) : 0;
}

int gap_a2rp_finish(gap_a2rp *g, fz_error *err)
{
    const size_t K = g->pairs;
    if (g->done != 2 * K)
        return fz_fail(err, FZ_ERUNTIME, "A2RP: %zu of %zu halves seen", g->done, 2 * K);
    stat_acc a = {0, 0, 0};
    for (size_t k = 0; k < K; k++) {
        g->pair_gap[k] = (g->half_gap[2 * k] + g->half_gap[2 * k + 1]) / 2;
        stat_add(&a, g->pair_gap[k]);
    }
    g->mean = a.mean;
    g->sd = stat_sd(&a);
    double se = g->sd / sqrt((double)K);
    g->upper = g->mean + gsl_cdf_tdist_Pinv(0.95, (double)K - 1) * se;
    double h = gsl_cdf_tdist_Pinv(0.975, (double)K - 1) * se;
    g->ci_lo = g->mean - h > 0 ? g->mean - h : 0; /* every G'_k >= 0, and so is G */
    g->ci_hi = g->mean + h;
    g->degenerate = !(g->sd > 0);
    return 0;
}
