/* ledger_ref: DESIGN §7's ledger, the plain way (ledger_ref.h).
 *
 * The loop visits every event time in increasing order: day starts
 * (t = 0, 1, 2, ... < H), donations (t = 30, 60, ... < H), refunds and
 * ready times.  At each time t, in DESIGN's order: refunds and donations due
 * at t are credited, then the cases already waiting or blocked are served
 * once, then the cases ready at t, by (e, id).  Every step scans all cases:
 * O(n^2) and more, which is fine for tests.
 *
 * Readings where DESIGN §7 is not explicit (the lead compares them with the
 * engine's):
 *  R1 A refund falls due at (t + r) + refund_after (release time, then the
 *     case duration and refund lag as engine_lcase sums them) and is
 *     credited when that is < H; refund_after = INFINITY: never.
 *  R2 Donations: D x / B at each t = 30 k, k >= 1, t < H; none at t = 0.
 *  R3 "A zero-delay refund counts before the next payment": a refund that
 *     falls due at time t while t's events are handled (paid at t with
 *     r = 0 and refund_after = 0) is credited before the next payment
 *     attempt at t, including the next case of the same pass.  Earlier
 *     cases of a wait queue are not served again for it: they could not be
 *     paid anyway, since such a refund returns b - k <= the cost just paid.
 *  R4 skip: a case that finds no posting day or no capacity left at e is
 *     "blocked"; blocked cases are tried only at the start (t = k) of a
 *     posting day, oldest first (e, id), before the cases ready at k, as
 *     long as the day's capacity lasts; the others stay blocked for the
 *     next posting day.  A tried case is paid, or dropped if the balance is
 *     short or m <= t + r.  max_wait_days does not apply to skip (DESIGN
 *     names it under wait only): a blocked case waits for capacity until H.
 *  R5 wait: the queue is served at every event time (ready, money, day
 *     start); on a day that is not a posting day, or once the day's
 *     capacity is used, it pays nothing (a full day ends the pass).  A case
 *     leaves when, at a serving time t, m <= t + r or t - e >
 *     max_wait_days (strict; e is the ready time, not the arrival).  Both
 *     conditions only grow with t, so checking them lazily at serving
 *     times gives the same payments as checking them continuously.
 *  R6 wait: a case ready at t joins the queue, then the queue is served
 *     (older cases first, then it); cases ready at the same t join one at a
 *     time in (e, id) order, each followed by a serve.
 *  R7 "cost <= balance" pays on equality, for both queues.
 *  R8 max_payments_per_day = 0: no day can be posted, nothing is paid.
 *  R9 Trace: rel[j] counts releases with t + r <= grid[j] (every release at
 *     the last point, H); bal[j] is x plus donations and refunds at times
 *     <= grid[j] minus payments at times <= grid[j].
 *  R10 waited_days sums t - e over paid cases (e is the ready time, a stay
 *     included in e, so a stay is not waiting). */
#include "ledger_ref.h"

#include <math.h>
#include <stdlib.h>

enum { ST_PENDING, ST_BLOCKED, ST_QUEUED, ST_PAID, ST_DROPPED };

typedef struct ref_state {
    const ledger_ref_in *in;
    const engine_lcase *cs;
    size_t n;
    size_t *order;     /* cases by (e, id) */
    int *st;           /* ST_* per case */
    double *paid_at;   /* per case, NAN unless paid */
    double *refund_at; /* per case: due time of its refund, INFINITY: none */
    int *refund_done;  /* per case */
    double *day_count; /* payments per day */
    size_t ndays;
    double balance, refunded;
    long donations_done; /* donations credited so far */
} ref_state;

int ledger_ref_posting_day(const ledger_ref_in *in, double t)
{
    if (!in->weekdays)
        return 1;
    long day = (long)floor(t);
    return (day + in->start_weekday) % 7 < 5;
}

void ledger_ref_params(ledger_ref_in *in, const scenario *s, size_t c, double x)
{
    in->horizon = s->horizon_days;
    in->wait = s->queue == QUEUE_WAIT;
    in->max_wait_days = s->max_wait_days;
    in->weekdays = s->posting_days == POSTING_WEEKDAYS;
    in->start_weekday = s->start_weekday;
    in->cap = s->regions[c].max_payments_per_day;
    in->donation = s->budget_usd > 0 ? s->donations_usd_per_month * x / s->budget_usd : 0;
    in->x = x;
}

/* Credits everything due at or before t: donations, then refunds (R3). */
static void credit(ref_state *S, double t)
{
    for (;;) {
        double due = 30.0 * (double)(S->donations_done + 1);
        if (!(due <= t && due < S->in->horizon))
            break;
        S->balance += S->in->donation;
        S->donations_done++;
    }
    for (size_t i = 0; i < S->n; i++)
        if (!S->refund_done[i] && S->refund_at[i] <= t && S->refund_at[i] < S->in->horizon) {
            S->refund_done[i] = 1;
            S->balance += S->cs[i].back;
            S->refunded += S->cs[i].back;
        }
}

/* Whether a payment could be made at t: a posting day with capacity left. */
static int postable(const ref_state *S, double t)
{
    if (!ledger_ref_posting_day(S->in, t))
        return 0;
    size_t day = (size_t)floor(t);
    double used = day < S->ndays ? S->day_count[day] : 0;
    return used < S->in->cap;
}

static void pay(ref_state *S, size_t i, double t)
{
    const engine_lcase *c = &S->cs[i];
    S->balance -= c->cost;
    S->st[i] = ST_PAID;
    S->paid_at[i] = t;
    S->day_count[(size_t)floor(t)] += 1;
    if (isfinite(c->refund_after))
        S->refund_at[i] = (t + c->delay) + c->refund_after;
}

/* skip: the one try of case i at t (postable): paid, or dropped. */
static void try_once(ref_state *S, size_t i, double t)
{
    credit(S, t); /* R3 */
    const engine_lcase *c = &S->cs[i];
    if (c->removal > t + c->delay && c->cost <= S->balance)
        pay(S, i, t);
    else
        S->st[i] = ST_DROPPED;
}

/* wait: one pass over the queue, oldest first, first fit (R5). */
static void serve_queue(ref_state *S, double t)
{
    for (size_t k = 0; k < S->n; k++) {
        size_t i = S->order[k];
        if (S->st[i] != ST_QUEUED)
            continue;
        const engine_lcase *c = &S->cs[i];
        if (!(c->removal > t + c->delay) || t - c->ready > S->in->max_wait_days) {
            S->st[i] = ST_DROPPED;
            continue;
        }
        if (!postable(S, t))
            return;
        credit(S, t); /* R3 */
        if (c->cost <= S->balance)
            pay(S, i, t);
    }
}

/* All event times after t (strictly), below H; INFINITY when none is left. */
static double next_time(const ref_state *S, double t)
{
    const double H = S->in->horizon;
    double best = t < 0 ? 0 : floor(t) + 1; /* the next day start */
    double don = 30.0 * (double)(S->donations_done + 1);
    if (don > t && don < best)
        best = don;
    for (size_t i = 0; i < S->n; i++) {
        if (S->st[i] == ST_PENDING && S->cs[i].ready > t && S->cs[i].ready < best)
            best = S->cs[i].ready;
        if (!S->refund_done[i] && S->refund_at[i] > t && S->refund_at[i] < best)
            best = S->refund_at[i];
    }
    return best < H ? best : INFINITY;
}

static int by_ready(const void *pa, const void *pb, void *ctx)
{
    const engine_lcase *cs = ctx;
    const engine_lcase *a = &cs[*(const size_t *)pa], *b = &cs[*(const size_t *)pb];
    if (a->ready != b->ready)
        return a->ready < b->ready ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Insertion sort by (e, id): plain, and no qsort_r portability question. */
static void sort_order(size_t *order, size_t n, const engine_lcase *cs)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && by_ready(&order[j - 1], &v, (void *)cs) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

static void fill_stats(const ref_state *S, engine_stats *out)
{
    const double H = S->in->horizon;
    engine_stats st = {0};
    st.fundable = (double)S->n;
    for (size_t k = 0; k < S->n; k++) {
        size_t i = S->order[k];
        if (S->st[i] != ST_PAID)
            continue;
        const engine_lcase *c = &S->cs[i];
        double t = S->paid_at[i], rel = t + c->delay;
        st.releases += 1;
        st.spent += c->cost;
        st.detention_days += rel - c->arrive;
        st.freedom_days += H > rel ? H - rel : 0;
        st.waited_days += t - c->ready;
    }
    st.refunded = S->refunded;
    st.balance_end = S->balance;
    st.unpaid = st.fundable - st.releases;
    *out = st;
}

/* R9: the trace recomputed from the payment times. */
static void fill_grid(const ref_state *S, const double *grid, size_t ngrid, double *rel, double *bal)
{
    const double H = S->in->horizon;
    for (size_t j = 0; j < ngrid; j++) {
        double g = grid[j], r = 0, b = S->in->x;
        for (double due = 30; due < H && due <= g; due += 30)
            b += S->in->donation;
        for (size_t i = 0; i < S->n; i++) {
            if (S->st[i] != ST_PAID)
                continue;
            if (S->paid_at[i] + S->cs[i].delay <= g || j + 1 == ngrid)
                r += 1;
            if (S->paid_at[i] <= g)
                b -= S->cs[i].cost;
            if (S->refund_done[i] && S->refund_at[i] <= g)
                b += S->cs[i].back;
        }
        rel[j] = r;
        bal[j] = b;
    }
}

int ledger_ref_run(const ledger_ref_in *in, const engine_lcase *cs, size_t n, engine_stats *out, double *paid_at,
                   const double *grid, size_t ngrid, double *rel, double *bal)
{
    ref_state S = {.in = in, .cs = cs, .n = n, .balance = in->x};
    S.ndays = (size_t)ceil(in->horizon) + 1;
    size_t m = n ? n : 1;
    S.order = malloc(m * sizeof *S.order);
    S.st = calloc(m, sizeof *S.st);
    S.paid_at = malloc(m * sizeof *S.paid_at);
    S.refund_at = malloc(m * sizeof *S.refund_at);
    S.refund_done = calloc(m, sizeof *S.refund_done);
    S.day_count = calloc(S.ndays, sizeof *S.day_count);
    int rc = -1;
    if (!S.order || !S.st || !S.paid_at || !S.refund_at || !S.refund_done || !S.day_count)
        goto done;
    for (size_t i = 0; i < n; i++) {
        S.order[i] = i;
        S.paid_at[i] = NAN;
        S.refund_at[i] = INFINITY;
    }
    sort_order(S.order, n, cs);

    for (double t = next_time(&S, -1); t < in->horizon; t = next_time(&S, t)) {
        /* 1. refunds and donations due at t */
        credit(&S, t);
        /* 2. the cases already waiting (wait) or blocked (skip), once */
        if (in->wait) {
            serve_queue(&S, t);
        } else if (t == floor(t)) { /* R4: blocked cases, at day starts only */
            for (size_t k = 0; k < n; k++) {
                size_t i = S.order[k];
                if (S.st[i] == ST_BLOCKED && postable(&S, t))
                    try_once(&S, i, t);
            }
        }
        /* 3. the cases ready at t, by (e, id) */
        for (size_t k = 0; k < n; k++) {
            size_t i = S.order[k];
            if (S.st[i] != ST_PENDING || cs[i].ready != t)
                continue;
            if (in->wait) {
                S.st[i] = ST_QUEUED; /* R6 */
                serve_queue(&S, t);
            } else if (postable(&S, t)) {
                try_once(&S, i, t);
            } else {
                S.st[i] = ST_BLOCKED;
            }
        }
    }
    credit(&S, nextafter(in->horizon, 0)); /* nothing at or after H counts */
    fill_stats(&S, out);
    if (paid_at)
        for (size_t i = 0; i < n; i++)
            paid_at[i] = S.paid_at[i];
    if (ngrid)
        fill_grid(&S, grid, ngrid, rel, bal);
    rc = 0;
done:
    free(S.order);
    free(S.st);
    free(S.paid_at);
    free(S.refund_at);
    free(S.refund_done);
    free(S.day_count);
    return rc;
}
