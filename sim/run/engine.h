/* engine: one replication of one region, as DESIGN §1 and §7 define it.
 *
 * engine_draw samples the people of region c in replication `rep` of a
 * stream and keeps the fundable cases, ordered for the policy (by cost, then
 * ready time, for cheapest_first; by ready time for first_come; remaining
 * ties by draw order).  engine_settle then spends an allocation on them:
 * §1's single pass when the region needs no ledger (scenario_uses_ledger),
 * else the event-driven ledger of §7 (ledger.c).  Drawing once and paying
 * many allocations is how baselines, sweeps and curves share common random
 * numbers.
 *
 * Ownership: engine_ws_new returns a per-thread workspace released with
 * engine_ws_free (NULL allowed); the cases it holds are valid until the next
 * engine_draw on it.  The scenario is only read. */
#ifndef FZ_ENGINE_H
#define FZ_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* A fundable case, for §1's single pass (no ledger). */
typedef struct engine_case {
    double cost;    /* bond - copay + case_cost_usd */
    double arrive;  /* a */
    double release; /* e + r: release time if paid (at e) */
    double ready;   /* e = d, or d + s when stayed */
} engine_case;

/* A fundable case, for the ledger: also what it needs to be paid later
 * than e and to come back. */
typedef struct engine_lcase {
    double cost;         /* bond - copay + case_cost_usd */
    double arrive;       /* a */
    double ready;        /* e */
    double delay;        /* r: released at t + r when paid at t */
    double removal;      /* m (INFINITY: never removed) */
    double back;         /* b - k: what a refund returns */
    double refund_after; /* case duration + refund lag after the release; INFINITY: no refund */
    uint32_t id;         /* draw order among the fundable cases */
    uint32_t region;     /* its region: a pooled fund's queue holds every region's */
} engine_lcase;

/* Outcome of one allocation in one replication and region. */
typedef struct engine_stats {
    double releases;
    double spent; /* USD paid out (gross) */
    double fundable;
    double detention_days; /* sum over releases of t + r - a */
    double freedom_days;   /* sum over releases of max(0, H - t - r) */
    double refunded;       /* USD back in the account before H */
    double balance_end;    /* the region's account at H */
    double unpaid;         /* fundable cases not paid */
    double waited_days;    /* sum over releases of t - e */
} engine_stats;

/* Optional detail of one engine_settle call.  days (when not NULL) receives
 * each paid person's days in detention (room for the fundable count), and
 * regions (when not NULL, pooled funds only) each one's region.  When
 * ngrid > 0, rel[j] and bal[j] receive the cumulative releases and the
 * account balance after every event at time <= grid[j] (eval_timeline_grid's
 * grid: j g for a whole number g, then H; a release after H counts at the
 * last point, DESIGN §7). */
typedef struct engine_trace {
    double *days;
    uint32_t *regions; /* NULL, or the region of each days entry (a pooled fund's) */
    const double *grid;
    size_t ngrid;
    double *rel, *bal;
    int deltas; /* 1: add each event's change at its grid point and leave the
                 * running sums (and the starting balance) to the caller, who
                 * may add several regions into the same arrays */
} engine_trace;

typedef struct engine_ws engine_ws;

engine_ws *engine_ws_new(void);
void engine_ws_free(engine_ws *ws);

/* One workspace per thread, for the block loops of eval and curve: NULL if
 * memory runs out (nothing left allocated).  engine_ws_pool_free takes the
 * same n and accepts NULL. */
engine_ws **engine_ws_pool(int n);
void engine_ws_pool_free(engine_ws **pool, int n);

/* Draws region `region` of replication `rep`; returns 0 or FZ_ERUNTIME (memory). */
int engine_draw(engine_ws *ws, const scenario *s, size_t region, scenario_policy policy, uint64_t stream, uint64_t rep,
                fz_error *err);

/* engine_draw, with the cases listed for the ledger (engine_lcases) even
 * when the region needs none: the same people, decided by the same draws
 * (the removal test is the same comparison), for a pooled fund. */
int engine_draw_lcases(engine_ws *ws, const scenario *s, size_t region, uint64_t stream, uint64_t rep, fz_error *err);

/* The fundable cases of the last draw, in policy order: engine_cases when
 * the region needs no ledger (else n = 0), engine_lcases when it does (in
 * ready order; else n = 0). */
const engine_case *engine_cases(const engine_ws *ws, size_t *n);
const engine_lcase *engine_lcases(const engine_ws *ws, size_t *n);

/* Fundable cases of the last draw, whichever list holds them. */
size_t engine_fundable(const engine_ws *ws);

/* People drawn in the last draw (fundable or not): the throughput unit. */
size_t engine_people(const engine_ws *ws);

/* §1's single pass: spends allocation x (USD) on the last draw (made
 * without the ledger) under `policy`.  When `days` is not NULL, it receives
 * each paid person's days in detention (room for engine_cases' n values);
 * their count is out->releases. */
void engine_pay(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon, double *days);

/* Spends allocation x on the last draw of region c, which must have been
 * made with the same scenario: engine_pay, or the ledger when the region
 * needs it (donations of D x / B a month).  trace may be NULL. */
void engine_settle(engine_stats *out, engine_ws *ws, const scenario *s, size_t c, scenario_policy policy, double x,
                   const engine_trace *trace);

/* Releases and days of freedom of every grid allocation g * step, g < ngrid,
 * on the last draw of region c (what engine_settle gives for each, without
 * the trace; faster than calling it ngrid times). */
void engine_settle_grid(engine_ws *ws, const scenario *s, size_t c, scenario_policy policy, double step, size_t ngrid,
                        double *rel, double *fre);

/* The curves of re-allocation's epoch at t0 (DESIGN §8): engine_settle_grid
 * on the last engine_draw_lcases of region c, over the cases that arrive at
 * or after t0 only (which is all the draw keeps afterwards), with no
 * donations (refunds count): an empty start at t0. */
void engine_settle_grid_after(engine_ws *ws, const scenario *s, size_t c, double t0, double step, size_t ngrid,
                              double *rel, double *fre);

/* A pooled fund (DESIGN §8, pooling = pooled): one account holding the
 * budget B and every donation, one queue across regions ordered by (e,
 * region order in the file, draw order); capacity stays per region, posting
 * days are fund-wide.  Under cheapest_first (no ledger keys) it pays the
 * cheapest cases of every region while the total stays <= B (cost, then
 * ready time, region, draw order).
 *
 * Collect the regions' draws with engine_pool_add after each engine_draw
 * of one replication (first_come: engine_draw_lcases; cheapest_first:
 * engine_draw), in region order, then settle.  Ownership: engine_pool_new
 * returns a pool released with engine_pool_free (NULL allowed). */
typedef struct engine_pool engine_pool;

engine_pool *engine_pool_new(void);
void engine_pool_free(engine_pool *p);
void engine_pool_reset(engine_pool *p);
/* Copies the last draw of ws (region c); 0 or FZ_ERUNTIME (memory). */
int engine_pool_add(engine_pool *p, const engine_ws *ws, size_t c, fz_error *err);
/* Cases in the pool: room a trace's days and regions need. */
size_t engine_pool_cases(const engine_pool *p);

/* Settles the pooled fund: per-region outcomes in out[c] (balance_end 0:
 * no region holds money), the pool's balance at H in *balance_end; the
 * trace (may be NULL) is the whole fund's, its balance starting at B. */
void engine_settle_pooled(engine_stats *out, double *balance_end, engine_pool *p, const scenario *s,
                          scenario_policy policy, const engine_trace *trace);

#endif
