/* engine: one replication of one region, exactly as DESIGN §1 defines it.
 *
 * engine_draw samples the people of region c in replication `rep` of a
 * stream and keeps the fundable cases, ordered for the policy (by cost for
 * cheapest_first, by decision time for first_come; ties by draw order).
 * engine_pay then spends an allocation on them.  Drawing once and paying
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

typedef struct engine_case {
    double cost;    /* bond + case_cost_usd */
    double arrive;  /* a */
    double release; /* d + r: release time if paid */
    double decide;  /* d */
} engine_case;

/* Outcome of one allocation in one replication and region. */
typedef struct engine_stats {
    double releases;
    double spent;
    double fundable;
    double detention_days; /* sum over releases of d + r - a */
    double freedom_days;   /* sum over releases of max(0, H - d - r) */
} engine_stats;

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

/* The fundable cases of the last draw, in policy order. */
const engine_case *engine_cases(const engine_ws *ws, size_t *n);

/* People drawn in the last draw (fundable or not): the throughput unit. */
size_t engine_people(const engine_ws *ws);

/* Spends allocation x (USD) on the last draw under `policy`.  When `days` is
 * not NULL, it receives each paid person's days in detention (room for
 * engine_cases' n values); their count is out->releases. */
void engine_pay(engine_stats *out, const engine_ws *ws, scenario_policy policy, double x, double horizon, double *days);

#endif
