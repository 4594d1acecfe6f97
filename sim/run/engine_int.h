/* engine_int: the workspace shared by engine.c (drawing) and ledger.c
 * (paying).  Private to sim/run/engine*.c and ledger.c.
 *
 * Ownership: every array belongs to the workspace (engine_ws_free). */
#ifndef FZ_ENGINE_INT_H
#define FZ_ENGINE_INT_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "engine.h"
#include "vrng.h"

/* A ledger case's sort key (engine.c, sort_lcases). */
struct lkey {
    double ready;
    uint32_t i;
};

struct engine_ws {
    gsl_rng *rng;
    engine_case *cases; /* §1 cases (no ledger) */
    size_t n, cap, people;
    engine_case *tmp; /* scratch for the sorts */
    uint32_t *bucket; /* bucket of each case */
    uint32_t *start;  /* bucket starts: cap + 1 */
    double *gsum;     /* first_come's grid pass (pay.c): 3 (cap + 1) prefix sums; also engine_sort_cases' bucket cursors (n pointers) */
    /* the ledger's cases and scratch (DESIGN §7) */
    engine_lcase *lcases;
    size_t ln, lcap;
    engine_lcase *ltmp;         /* scratch of sort_lcases (engine.c): lcap each */
    struct lkey *lkey;          /* (ready, draw index) pairs */
    uint32_t *lbucket, *lstart; /* bucket of each case; bucket starts: lcap + 1 */
    uint32_t *queue;            /* indices of waiting or blocked cases, oldest first */
    double *heap_t, *heap_v;    /* pending refunds: a binary heap on time */
    uint32_t *heap_r;           /* and their regions */
    /* engine_batch.c: the kept people's draws, as arrays */
    vrng vr;
    double *bu, *bh, *bb, *br, *bm; /* arrival uniform, hearing, bond, release, removal uniform */
    size_t bcap;
};

/* engine_batch.c: a region's kept people drawn in batches (issue 16), when
 * they need only §1's draws.
 * What the batched path needs of the region; engine_batch_ok tells whether
 * it can draw a distribution (fixed, uniform, untruncated gamma of shape >=
 * 1, lognormal, lognormal truncated by rejection). */
typedef struct engine_batch {
    dist_draw hearing, bond, release;
    double H, cap, case_cost, hazard;
    uint64_t seed, stream, rep, region;
} engine_batch;

int engine_batch_ok(const dist_draw *p);
/* Fewer kept people are drawn by the scalar path: a batch costs ~2,500
 * instructions a call (seeding eight lanes, partial blocks) and saves ~150
 * a person (callgrind; seed-2025's Kansas City keeps ~9 a replication).
 * Which path draws a replication depends only on its kept count K, and
 * given K both draw the same law, so the mixture is exact. */
#define ENGINE_BATCH_MIN 32
/* Draws kept people (the first k0 detained at 0) into ws's cases (lcases
 * = 0) or ledger cases (lcases = 1): the same people either way. */
int engine_batch_people(engine_ws *ws, const engine_batch *b, size_t kept, size_t k0, int lcases, fz_error *err);

/* engine.c: room for more cases (ws->cases and its scratch arrays); a
 * case for the ledger, numbered in draw order (its id); a §1 case. */
int engine_grow(engine_ws *ws, fz_error *err);
int engine_push_lcase(engine_ws *ws, engine_lcase c, fz_error *err);
__attribute__((always_inline)) static inline int engine_push_case(engine_ws *ws, engine_case c, fz_error *err)
{
    if (ws->n == ws->cap && engine_grow(ws, err))
        return FZ_ERUNTIME;
    ws->cases[ws->n++] = c;
    return 0;
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

/* engine_sort.c: ws->cases in the policy's order (cost for cheapest_first,
 * then ready time; ready time for first_come; draw order breaks ties), and
 * ws->lcases in ready then draw order; both stable, exactly what a stable
 * comparison sort gives. */
void engine_sort_cases(engine_ws *ws, scenario_policy p);
void engine_sort_lcases(engine_ws *ws);

/* pay.c, DESIGN §1 (ledger.c calls them for regions without ledger keys):
 * one pass over ws's cases in policy order with x dollars (tr as
 * engine_settle's); and the curves of that pass at every grid point
 * g * step, g < ngrid (releases in rel, freedom days in fre), for
 * cheapest_first and for first_come (sums: 3 (n + 1) doubles of workspace). */
void engine_pay_plain(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon,
                      const engine_trace *tr);
void engine_grid_cheapest(const engine_case *cs, size_t n, double H, double step, size_t ngrid, double *rel,
                          double *fre);
void engine_grid_first_come(const engine_case *cs, size_t n, double *sums, double H, double step, size_t ngrid,
                            double *rel, double *fre);

/* The trace of engine_settle (engine.h): events added as deltas on the
 * grid, turned into running values at the end. */
/* First grid point at or after t (the last one when none is): an event at
 * time t shows in the state at every grid day >= t.  The grid is
 * eval_timeline_grid's: grid[j] = j g (g a whole number of days) up to the
 * last point, H.  Division is correctly rounded and monotone, so for t in
 * ((k - 1) g, k g] the quotient t / g lies in [k - 1, k] and its floor j is
 * k - 1 or k: the answer is j + 1 when grid[j] < t, else j. */
static inline size_t grid_index(const engine_trace *tr, double g, double t)
{
    const long last = (long)tr->ngrid - 1; /* signed: one-instruction conversions */
    double q = t / g;
    if (!(q > 0))
        return 0;
    if (!(q < (double)last))
        return (size_t)last;
    long j = (long)q; /* floor, and < last */
    return (size_t)(j + (tr->grid[j] < t));
}

/* g of a trace's grid (1 with one point: everything goes to index 0). */
static inline double trace_step(const engine_trace *tr) { return tr && tr->ngrid > 1 ? tr->grid[1] : 1; }

static inline void trace_begin(const engine_trace *tr)
{
    if (tr && tr->ngrid && !tr->deltas) {
        memset(tr->rel, 0, tr->ngrid * sizeof *tr->rel);
        memset(tr->bal, 0, tr->ngrid * sizeof *tr->bal);
    }
}

/* Deltas to running values: releases from 0, the balance from x. */
static inline void trace_end(const engine_trace *tr, double x)
{
    if (!tr || !tr->ngrid || tr->deltas)
        return;
    double r = 0, b = x;
    for (size_t j = 0; j < tr->ngrid; j++) {
        r += tr->rel[j];
        b += tr->bal[j];
        tr->rel[j] = r;
        tr->bal[j] = b;
    }
}

static inline void trace_money(const engine_trace *tr, double step, double t, double v)
{
    if (tr && tr->ngrid)
        tr->bal[grid_index(tr, step, t)] += v;
}

static inline void trace_release(const engine_trace *tr, double step, double t)
{
    if (tr && tr->ngrid)
        tr->rel[grid_index(tr, step, t)] += 1;
}

/* One ledger run (ledger.c): one region's account under allocation x, or
 * a pooled fund's over every region (pool.c).  The arrays belong to the
 * caller's workspace or pool. */
typedef struct ledger {
    const engine_lcase *cs; /* in ready order (then region, draw order) */
    size_t n;
    double H, x;
    double don, don_coef; /* a donation (USD) and its derivative in x (D / B) */
    double max_wait;
    int weekdays, wday0, wait;
    int pooled;        /* a pooled fund's run (pool.c) */
    size_t nreg;       /* regions in the run: 1, or every region when pooled */
    uint32_t region0;  /* region of index 0 */
    const double *cap; /* [nreg] payments per day */
    double paid_today[SCENARIO_MAX_REGIONS];
    engine_stats *st;    /* [nreg] outcomes */
    engine_stats one[1]; /* st of a one-region run */
    uint32_t *q;         /* waiting or blocked cases, oldest first */
    size_t qn;
    double qmin;     /* no queued case costs less (a lower bound) */
    double *ht, *hv; /* refunds due: a binary min-heap on time, their values */
    uint32_t *hr;    /* and regions */
    size_t hn;
    double in, out;     /* money in (x, donations, refunds) and paid out: the balance is in - out */
    double alpha;       /* d in / d x */
    long day;           /* day of the current event */
    int posts;          /* posting_day(day), kept by set_day (an integer modulo per event otherwise) */
    long next_post_day; /* the day next_post was found for (-1: none) */
    double next_post;   /* start of the next posting day after it */
    int blocked;        /* queued cases were held back by the day or a capacity */
    double until;       /* least x at which a failed money comparison would pass */
    const engine_trace *tr;
    double step; /* the trace grid's step g */
    size_t ndays;
    /* where a resumable run stands (ledger_advance) */
    size_t i;        /* next case to become ready */
    long month;      /* donations credited so far + 1 */
    double next_don; /* time of the next donation (INFINITY: none) */
    int resume;      /* stopped at resume_t after its money: the rest of that time is next */
    double resume_t;
} ledger;

/* Fills the fields every run shares (scenario rules, cases, x, trace);
 * the caller sets donations, regions, capacities, outcomes and arrays. */
void ledger_setup(ledger *L, const scenario *s, const engine_lcase *cs, size_t n, double x, const engine_trace *tr);
void ledger_run(ledger *L);
/* ledger_run in steps, for re-allocation (realloc.c): ledger_begin, then
 * ledger_advance(L, T) for increasing T runs every event at t < T and the
 * refunds and donations at T (< H), so that the caller may move money
 * (L->in) before the rest of time T runs, served as after money (DESIGN
 * §7: refunds and donations, the re-split, the queue, new cases); T >= H
 * runs to H.  ledger_end counts the fundable and unpaid cases and the
 * balance at H. */
void ledger_begin(ledger *L);
void ledger_advance(ledger *L, double T);
void ledger_end(ledger *L);

#endif
