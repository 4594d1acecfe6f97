/* ledger: spending an allocation on drawn cases (engine.h).
 *
 * A region without ledger features (scenario_uses_ledger) is DESIGN §1's
 * single pass over the cases in policy order: every case is tried once, at
 * its ready time e.  Otherwise the event-driven ledger of §7 runs: the
 * region's account starts at x and receives its donations (D x / B at
 * t = 30, 60, ... < H) and refunds (b - k at t + r + duration + lag < H);
 * payments need a posting day, capacity left that day, the money, and the
 * person not removed first (m > t + r).  Events at one time go: refunds and
 * donations, then the waiting and blocked cases (served once, oldest first,
 * first fit), then the cases ready at that time in ready then draw order.
 *
 * Serving the queue only when something changed gives the same payments as
 * serving it at every event: between two arrivals of money the balance only
 * falls, so a case the balance did not cover still is not covered; only the
 * posting day and the day's capacity can open, and those are events (the
 * start of the next posting day) whenever a case was held back by them.
 * Drops (removal, max_wait_days) need no money, so they are found lazily:
 * a case is dropped when it is next looked at, and counted among the unpaid.
 *
 * Curves (engine_settle_grid) use one more fact: every money comparison
 * cost <= balance has a balance that is x (1 + k D / B) plus terms that do
 * not depend on x, and each floating step (adding a donation D x / B or a
 * refund, subtracting a payment) is monotone in x.  So a run at x gives the
 * same payments for every x' below the least x at which one of its failed
 * comparisons would succeed: the grid points below it (less a relative
 * 1e-7 margin for rounding) copy its result, as §1's first_come pass did. */
#include <math.h>
#include <string.h>

#include "engine_int.h"

/* §1's pass: pay cases in policy order while the money lasts. */
static void pay_plain(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon,
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
    pay_plain(out, ws, policy, x, horizon, &tr);
}

/* cheapest_first: the paid set for x is the longest prefix of the cost
 * order with sum <= x. */
static void grid_cheapest(const engine_case *cs, size_t n, double H, double step, size_t ngrid, double *rel,
                          double *fre)
{
    size_t k = 0;
    double spent = 0, freedom = 0;
    for (size_t g = 0; g < ngrid; g++) {
        double x = (double)g * step;
        while (k < n && spent + cs[k].cost <= x) {
            spent += cs[k].cost;
            freedom += H > cs[k].release ? H - cs[k].release : 0;
            k++;
        }
        rel[g] = (double)k;
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
static void grid_first_come(const engine_case *cs, size_t n, double *sums, double H, double step, size_t ngrid,
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
    size_t g = 0, j = 0; /* j: where the last pass stopped paying every case */
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

static void heap_push(ledger *L, double t, double v, uint32_t r)
{
    size_t i = L->hn++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!(L->ht[p] > t))
            break;
        L->ht[i] = L->ht[p];
        L->hv[i] = L->hv[p];
        L->hr[i] = L->hr[p];
        i = p;
    }
    L->ht[i] = t;
    L->hv[i] = v;
    L->hr[i] = r;
}

/* The earliest refund: its value, and its region in *r. */
static double heap_pop(ledger *L, uint32_t *r)
{
    double v = L->hv[0], t = L->ht[--L->hn], w = L->hv[L->hn];
    uint32_t wr = L->hr[L->hn];
    *r = L->hr[0];
    size_t i = 0, n = L->hn;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && L->ht[c + 1] < L->ht[c])
            c++;
        if (!(L->ht[c] < t))
            break;
        L->ht[i] = L->ht[c];
        L->hv[i] = L->hv[c];
        L->hr[i] = L->hr[c];
        i = c;
    }
    if (n > 0) {
        L->ht[i] = t;
        L->hv[i] = w;
        L->hr[i] = wr;
    }
    return v;
}

/* DESIGN §7: day D is a weekday iff (D + start_weekday) mod 7 < 5. */
static inline int posting_day(const ledger *L, long day) { return !L->weekdays || (day + L->wday0) % 7 < 5; }

/* Index of a case's region in the run's per-region arrays. */
static inline size_t rix(const ledger *L, const engine_lcase *c) { return c->region - L->region0; }

static inline int can_post(const ledger *L, size_t r) { return L->posts && L->paid_today[r] < L->cap[r]; }

/* Some region can still pay today (posting days are fund-wide). */
static int any_capacity(const ledger *L)
{
    for (size_t r = 0; r < L->nreg; r++)
        if (L->paid_today[r] < L->cap[r])
            return 1;
    return 0;
}

static int affordable(ledger *L, const engine_lcase *c)
{
    if (L->out + c->cost <= L->in) /* as §1's pass compares: spent + cost <= x */
        return 1;
    double at = L->x + (L->out + c->cost - L->in) / L->alpha;
    L->until = at < L->until ? at : L->until;
    return 0;
}

static void pay(ledger *L, const engine_lcase *c, double t)
{
    size_t r = rix(L, c);
    engine_stats *st = &L->st[r];
    double rel = t + c->delay, det = rel - c->arrive;
    L->out += c->cost;
    L->paid_today[r] += 1;
    st->spent += c->cost;
    st->releases += 1;
    st->detention_days += det;
    st->freedom_days += L->H > rel ? L->H - rel : 0;
    st->waited_days += t - c->ready;
    if (isfinite(c->refund_after)) {
        double back_at = rel + c->refund_after;
        if (back_at == t) { /* no delay at all: back before the next payment (DESIGN §7) */
            L->in += c->back;
            st->refunded += c->back;
            trace_money(L->tr, L->step, t, c->back);
        } else if (back_at < L->H) {
            heap_push(L, back_at, c->back, (uint32_t)r);
        }
    }
    if (L->tr) {
        if (L->tr->days) {
            if (L->tr->regions)
                L->tr->regions[L->ndays] = c->region;
            L->tr->days[L->ndays++] = det;
        }
        trace_money(L->tr, L->step, t, -c->cost);
        trace_release(L->tr, L->step, rel);
    }
}

static int worth_serving(ledger *L);

/* The waiting and blocked cases at time t, oldest first, first fit. */
static void serve(ledger *L, double t)
{
    if (!L->posts) {
        L->blocked = 1;
        return;
    }
    if (any_capacity(L) && !worth_serving(L)) {
        /* no queued case is covered: each would fail its money comparison
         * (skip: and leave; wait: and stay), and drops for removal or
         * waiting can wait until the case is next looked at */
        if (!L->wait)
            L->qn = 0;
        L->blocked = 0;
        return;
    }
    size_t keep = 0, j = 0;
    double qmin = INFINITY;
    int held = 0; /* a case was held back by its region's capacity */
    for (; j < L->qn; j++) {
        const engine_lcase *c = &L->cs[L->q[j]];
        if (!(c->removal > t + c->delay))
            continue; /* removed first: leaves unpaid */
        if (L->wait && t - c->ready > L->max_wait)
            continue; /* waited too long */
        if (!(L->paid_today[rix(L, c)] < L->cap[rix(L, c)])) {
            if (L->nreg == 1)
                break;              /* the rest waits for the next posting day */
            L->q[keep++] = L->q[j]; /* its region's team is done for the day */
            qmin = c->cost < qmin ? c->cost : qmin;
            held = 1;
            continue;
        }
        if (affordable(L, c))
            pay(L, c, t);
        else if (L->wait) {
            L->q[keep++] = L->q[j];
            qmin = c->cost < qmin ? c->cost : qmin;
        }
        /* skip: tried once, dropped */
    }
    int cut = j < L->qn;
    if (cut) { /* the rest, not looked at: the old bound still bounds it */
        qmin = L->qmin < qmin ? L->qmin : qmin;
        if (keep < j)
            memmove(L->q + keep, L->q + j, (L->qn - j) * sizeof *L->q);
        keep += L->qn - j;
    }
    L->qn = keep;
    L->qmin = qmin;
    L->blocked = (cut || held) && keep > 0;
}

/* Case i becomes ready at t = its e. */
static void enqueue(ledger *L, uint32_t i)
{
    L->q[L->qn++] = i;
    L->qmin = L->cs[i].cost < L->qmin ? L->cs[i].cost : L->qmin;
}

static void arrive(ledger *L, uint32_t i, double t)
{
    const engine_lcase *c = &L->cs[i];
    if (!can_post(L, rix(L, c))) {
        enqueue(L, i); /* not a shortage: tried when it can be posted */
        L->blocked = 1;
        return;
    }
    if (!(c->removal > t + c->delay))
        return;
    if (affordable(L, c))
        pay(L, c, t);
    else if (L->wait)
        enqueue(L, i);
}

/* Money arrived: serving can pay only a case that the balance covers, so
 * below the cheapest queued case it is skipped (which is a failed money
 * comparison for the curves' bound, as serving would have made it). */
static int worth_serving(ledger *L)
{
    if (L->out + L->qmin <= L->in)
        return 1;
    double at = L->x + (L->out + L->qmin - L->in) / L->alpha;
    L->until = at < L->until ? at : L->until;
    return 0;
}

/* The start of the first posting day after the current day (kept for the
 * day it was computed on: every event of a blocked day asks for it). */
static double next_posting_start(ledger *L)
{
    if (L->next_post_day != L->day) {
        long d = L->day + 1;
        while (!posting_day(L, d))
            d++;
        L->next_post_day = L->day;
        L->next_post = (double)d;
    }
    return L->next_post;
}

void ledger_begin(ledger *L)
{
    L->i = 0;
    L->month = 1;
    /* donations are events even when x = 0 brings none: the curves' bound
     * (until) must see the money that a larger x would bring */
    L->next_don = L->don_coef > 0 && 30.0 < L->H ? 30.0 : INFINITY;
    L->resume = 0;
    L->in = L->x;
    L->out = 0;
    L->alpha = 1;
    L->day = 0;
    L->posts = posting_day(L, 0);
    memset(L->paid_today, 0, L->nreg * sizeof *L->paid_today);
    L->blocked = 0;
    L->qn = L->hn = 0;
    L->qmin = INFINITY;
    L->next_post_day = -1;
    L->until = INFINITY;
    L->ndays = 0;
    trace_begin(L->tr);
}

static inline void set_day(ledger *L, double t)
{
    long day = (long)t; /* t >= 0: truncation is the floor */
    if (day != L->day) {
        L->day = day;
        L->posts = posting_day(L, day);
        for (size_t r = 0; r < L->nreg; r++) /* a loop: nreg is 1 but for a pooled fund */
            L->paid_today[r] = 0;
    }
}

void ledger_advance(ledger *L, double T)
{
    const double H = L->H;
    size_t i = L->i;
    double next_don = L->next_don;
    int resumed = L->resume; /* the rest of time resume_t, after a re-split moved money */
    L->resume = 0;
    for (;;) {
        double t;
        int money = 0;
        if (resumed) {
            resumed = 0;
            t = L->resume_t;
            set_day(L, t);
            money = 1;
        } else {
            t = i < L->n ? L->cs[i].ready : INFINITY;
            if (L->hn && L->ht[0] < t)
                t = L->ht[0];
            if (next_don < t)
                t = next_don;
            if (L->blocked && L->qn) {
                double d = next_posting_start(L);
                t = d < t ? d : t;
            }
            if (!(t < H))
                break;
            int stop = !(t < T); /* at T (< H): its money, then back to the caller */
            if (stop && t > T)
                break;
            set_day(L, t);
            while (L->hn && L->ht[0] == t) {
                uint32_t r;
                double v = heap_pop(L, &r);
                L->in += v;
                L->st[r].refunded += v;
                trace_money(L->tr, L->step, t, v);
                money = 1;
            }
            if (next_don == t) {
                L->in += L->don;
                L->alpha += L->don_coef;
                trace_money(L->tr, L->step, t, L->don);
                next_don = 30.0 * (double)++L->month;
                next_don = next_don < H ? next_don : INFINITY;
                money = 1;
            }
            if (stop)
                break;
        }
        if (L->qn && (L->blocked || (money && worth_serving(L))))
            serve(L, t);
        for (; i < L->n && L->cs[i].ready == t; i++)
            arrive(L, (uint32_t)i, t);
    }
    if (T < H) { /* DESIGN §7: refunds and donations, the re-split, then the rest of T */
        L->resume = 1;
        L->resume_t = T;
    }
    L->i = i;
    L->next_don = next_don;
}

void ledger_end(ledger *L)
{
    if (L->nreg == 1) /* every case is region0's: n additions of 1 to a whole number, exact */
        L->st[0].fundable += (double)L->n;
    else
        for (size_t k = 0; k < L->n; k++)
            L->st[rix(L, &L->cs[k])].fundable += 1;
    for (size_t r = 0; r < L->nreg; r++)
        L->st[r].unpaid = L->st[r].fundable - L->st[r].releases;
    if (!L->pooled)
        L->st[0].balance_end = L->in - L->out; /* a pooled fund's balance is no region's */
    trace_end(L->tr, L->x);
}

void ledger_run(ledger *L)
{
    ledger_begin(L);
    ledger_advance(L, INFINITY);
    ledger_end(L);
}

/* The run of region c's account alone. */
static void ledger_init(ledger *L, engine_ws *ws, const scenario *s, size_t c, double x, const engine_trace *tr)
{
    ledger_setup(L, s, ws->lcases, ws->ln, x, tr);
    L->don_coef = s->donations_usd_per_month / s->budget_usd;
    L->don = s->donations_usd_per_month * x / s->budget_usd;
    L->nreg = 1;
    L->region0 = (uint32_t)c;
    L->cap = &s->regions[c].max_payments_per_day;
    L->st = L->one;
    L->q = ws->queue;
    L->ht = ws->heap_t;
    L->hv = ws->heap_v;
    L->hr = ws->heap_r;
}

void ledger_setup(ledger *L, const scenario *s, const engine_lcase *cs, size_t n, double x, const engine_trace *tr)
{
    memset(L, 0, sizeof *L);
    L->cs = cs;
    L->n = n;
    L->H = s->horizon_days;
    L->x = x;
    L->max_wait = s->max_wait_days;
    L->weekdays = s->posting_days == POSTING_WEEKDAYS;
    L->wday0 = s->start_weekday;
    L->wait = s->queue == QUEUE_WAIT;
    L->tr = tr;
    L->step = trace_step(tr);
}

void engine_settle(engine_stats *out, engine_ws *ws, const scenario *s, size_t c, scenario_policy policy, double x,
                   const engine_trace *trace)
{
    if (!scenario_uses_ledger(s, c)) {
        pay_plain(out, ws, policy, x, s->horizon_days, trace);
        return;
    }
    ledger L;
    ledger_init(&L, ws, s, c, x, trace);
    ledger_run(&L);
    *out = L.one[0];
}

/* The ledger's curve of region c on the grid; donations (D x / B) or none. */
static void grid_ledger(engine_ws *ws, const scenario *s, size_t c, double step, size_t ngrid, double *rel,
                        double *fre, int donations)
{
    double below = -INFINITY; /* the last run's payments hold for x < below */
    ledger L;
    for (size_t g = 0; g < ngrid; g++) {
        double x = (double)g * step;
        if (!(x < below)) {
            ledger_init(&L, ws, s, c, x, NULL);
            if (!donations)
                L.don = L.don_coef = 0;
            ledger_run(&L);
            below = L.until - 1e-7 * (1 + fabs(L.until));
        }
        rel[g] = L.one[0].releases;
        fre[g] = L.one[0].freedom_days;
    }
}

void engine_settle_grid(engine_ws *ws, const scenario *s, size_t c, scenario_policy policy, double step, size_t ngrid,
                        double *rel, double *fre)
{
    const double H = s->horizon_days;
    if (!scenario_uses_ledger(s, c)) {
        if (policy == POLICY_CHEAPEST_FIRST)
            grid_cheapest(ws->cases, ws->n, H, step, ngrid, rel, fre);
        else
            grid_first_come(ws->cases, ws->n, ws->gsum, H, step, ngrid, rel, fre);
        return;
    }
    grid_ledger(ws, s, c, step, ngrid, rel, fre, 1);
}

void engine_settle_grid_after(engine_ws *ws, const scenario *s, size_t c, double t0, double step, size_t ngrid,
                              double *rel, double *fre)
{
    size_t k = 0;
    for (size_t j = 0; j < ws->ln; j++)
        if (ws->lcases[j].arrive >= t0)
            ws->lcases[k++] = ws->lcases[j];
    ws->ln = k;
    grid_ledger(ws, s, c, step, ngrid, rel, fre, 0);
}
