/* pay: DESIGN §1's spending of an allocation — one pass over the cases in
 * policy order while the money lasts (engine_pay), and its release curves
 * on the whole grid at once (the cheapest_first merge and the first_come
 * prefix-sum pass of issue 16) — split from ledger.c, which runs the §7
 * event ledger and calls these for regions without ledger features. */
#include <math.h>
#include <string.h>

#include "engine_int.h"

/* §1's pass: pay cases in policy order while the money lasts. */
void engine_pay_plain(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon,
                      const engine_trace *tr)
{
    engine_stats st = {0, 0, (double)ws->n, 0, 0, 0, 0, 0, 0};
    size_t k = 0;
    double *days = tr ? tr->days : NULL, step = trace_step(tr);
    trace_begin(tr);
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
        trace_money(tr, step, c->ready, -c->cost);
        trace_release(tr, step, c->release);
    }
    st.balance_end = x - st.spent;
    st.unpaid = st.fundable - st.releases;
    trace_end(tr, x);
    *out = st;
}

void engine_pay(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon, double *days)
{
    engine_trace tr = {days, NULL, NULL, 0, NULL, NULL, 0};
    engine_pay_plain(out, ws, policy, x, horizon, &tr);
}

/* cheapest_first: the paid set for x is the longest prefix of the cost
 * order with sum <= x.  The merge of the grid and the cases, driven by the
 * cases (issue 16): grid points are written while they fall short of the
 * next case's spent + cost (the same running sums and comparisons as the
 * grid-driven merge, whatever the step), and those surely short are written
 * without the test.  With g*step nondecreasing (0 < step, rounding is
 * monotone, g exact) the least passing point A of a sum p > 0 is at least
 * ceil(p / step) - 1 (for g <= ceil(p / step) - 2, g step <= p - step, and
 * rounding to nearest moves it up by at most half an ulp of p, less than
 * step when p / step < 2^52), and q = fl(p fl(1 / step)) = (p / step)(1 + e),
 * |e| <= 2^-52 + 2^-106, is below p / step + 1 for p / step < 2^51: so
 * floor(q) - 1 <= A, and the points below it fail. */
void engine_grid_cheapest(const engine_case *cs, size_t n, double H, double step, size_t ngrid, double *rel,
                          double *fre)
{
    const int skip = step >= 0x1p-1000 && step <= 0x1p1000 && ngrid <= ((size_t)1 << 50);
    const double inv = 1 / step, top = (double)ngrid;
    double spent = 0, freedom = 0, r = 0; /* r: cases paid so far */
    size_t g = 0;                         /* points below g are written */
    for (size_t k = 0; k < n; k++) {
        const double p = spent + cs[k].cost;
        if (skip && p > 0) {
            double q = p * inv;
            size_t low = q < top ? (size_t)q : ngrid;
            for (low = low ? low - 1 : 0; g < low; g++) {
                rel[g] = r;
                fre[g] = freedom;
            }
        }
        for (; g < ngrid && !((double)g * step >= p); g++) {
            rel[g] = r;
            fre[g] = freedom;
        }
        if (g == ngrid)
            return;
        spent = p;
        freedom += H > cs[k].release ? H - cs[k].release : 0;
        r = (double)(k + 1);
    }
    for (; g < ngrid; g++) {
        rel[g] = r;
        fre[g] = freedom;
    }
}

/* first_come: below the cheapest case nothing is paid, and once x covers
 * every case all are paid; the greedy pass is needed only in between.
 * A pass at x pays the same cases for every x' in [x, T), T the least
 * spent_i + cost_i over the cases it skipped (the same floating sums, so
 * the same comparisons): the grid points below T copy its result, which
 * makes the cost O(cases x distinct outcomes), not O(cases x grid).
 *
 * Each pass is also shortened, with the same sums and comparisons as the
 * plain greedy pass (issue 16, bit-identical).  P[i] is the pass's `spent`
 * after paying cases 0 .. i-1 (summed in that order, so the same doubles),
 * F[i] their days of freedom likewise, M[i] the least cost of cases i ..
 * n-1.  With costs >= 0, P is nondecreasing (rounding is monotone and
 * fl(a + c) >= a for c >= 0), so the pass pays exactly cases 0 .. j-1, j
 * the least index with P[j + 1] > x (binary search), and continues from j
 * with spent = P[j], r = j, f = F[j].  And once spent + M[i] > x, every
 * case from i on fails its comparison (spent + c >= spent + M[i] for
 * c >= M[i]: monotone rounding again), spent no longer changes, and the
 * least of their spent + cost is spent + M[i]: the pass stops there with
 * the same T.  Costs that are negative or NaN take the plain pass. */
void engine_grid_first_come(const engine_case *cs, size_t n, double *sums, double H, double step, size_t ngrid,
                            double *rel, double *fre)
{
    double *P = sums, *F = sums + (n + 1), *M = sums + 2 * (n + 1);
    int fast = 1;
    if (n) {
        P[0] = F[0] = 0;
        for (size_t i = 0; i < n; i++) {
            P[i + 1] = P[i] + cs[i].cost;
            F[i + 1] = F[i] + (H > cs[i].release ? H - cs[i].release : 0);
            fast &= cs[i].cost >= 0;
        }
        M[n] = INFINITY;
        for (size_t i = n; i-- > 0;)
            M[i] = cs[i].cost < M[i + 1] ? cs[i].cost : M[i + 1];
    }
    /* as the plain pass's own loop sums them */
    const double min_cost = n ? M[0] : INFINITY, all_cost = n ? P[n] : 0, all_free = n ? F[n] : 0;
    double r = 0, f = 0, until = -INFINITY; /* the last pass's result, valid for x < until */
    size_t g = 0, j = 0;                    /* j: where the last pass stopped paying every case */
    /* x = g step is nondecreasing in g: nothing is paid below the cheapest
     * case, everything from the first x >= all_cost on */
    for (; g < ngrid; g++) {
        double x = (double)g * step;
        if (x >= all_cost || !(x < min_cost))
            break;
        rel[g] = fre[g] = 0;
    }
    for (; g < ngrid; g++) {
        double x = (double)g * step;
        if (x >= all_cost)
            break;
        if (x < min_cost) {
            rel[g] = fre[g] = 0;
            continue;
        }
        if (!(x < until)) {
            if (fast && !(P[j + 1] > x)) {
                /* the least j with P[j + 1] > x: it exists (P[n] > x) and is
                 * at least the last pass's (x grows, so P[k + 1] <= x for
                 * every k below it); gallop, then bisect (lo, hi] */
                size_t lo = j, hi, d = 1;
                for (;;) {
                    hi = lo + d < n - 1 ? lo + d : n - 1;
                    if (P[hi + 1] > x)
                        break;
                    lo = hi;
                    d *= 2;
                }
                while (hi - lo > 1) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (P[mid + 1] > x)
                        hi = mid;
                    else
                        lo = mid;
                }
                j = hi;
            }
            size_t i = fast ? j : 0;
            double spent = P[i];
            r = (double)i;
            f = F[i];
            until = INFINITY;
            for (; i < n; i++) {
                if (fast && spent + M[i] > x) {
                    until = spent + M[i] < until ? spent + M[i] : until;
                    break;
                }
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
    const double all = (double)n;
    for (; g < ngrid; g++) {
        rel[g] = all;
        fre[g] = all_free;
    }
}
