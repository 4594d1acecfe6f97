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
        engine_pay_plain(out, ws, policy, x, s->horizon_days, trace);
        return;
    }
    ledger L;
    ledger_init(&L, ws, s, c, x, trace);
    ledger_run(&L);
    *out = L.one[0];
}

/* The ledger's curve of region c on the grid; donations (D x / B) or none. */
static void grid_ledger(engine_ws *ws, const scenario *s, size_t c, double step, size_t ngrid, double *rel, double *fre,
                        int donations)
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
            engine_grid_cheapest(ws->cases, ws->n, H, step, ngrid, rel, fre);
        else
            engine_grid_first_come(ws->cases, ws->n, ws->gsum, H, step, ngrid, rel, fre);
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
