/* engine_int: the workspace shared by engine.c (drawing) and ledger.c
 * (paying).  Private to sim/run/engine*.c and ledger.c.
 *
 * Ownership: every array belongs to the workspace (engine_ws_free). */
#ifndef FZ_ENGINE_INT_H
#define FZ_ENGINE_INT_H

#include <gsl/gsl_rng.h>

#include "engine.h"

struct engine_ws {
    gsl_rng *rng;
    engine_case *cases; /* §1 cases (no ledger) */
    size_t n, cap, people;
    engine_case *tmp; /* scratch for the sorts */
    uint32_t *bucket; /* bucket of each case */
    uint32_t *start;  /* bucket starts: cap + 1 */
    /* the ledger's cases and scratch (DESIGN §7) */
    engine_lcase *lcases;
    size_t ln, lcap;
    uint32_t *queue;         /* indices of waiting or blocked cases, oldest first */
    double *heap_t, *heap_v; /* pending refunds: a binary heap on time */
    uint32_t *heap_r;        /* and their regions */
};

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
    double bal, alpha; /* balance, and its derivative in x */
    long day;          /* day of the current event */
    int blocked;       /* queued cases were held back by the day or a capacity */
    double until;      /* least x at which a failed money comparison would pass */
    const engine_trace *tr;
    double inv; /* 1 / the trace grid's step */
    size_t ndays;
} ledger;

/* Fills the fields every run shares (scenario rules, cases, x, trace);
 * the caller sets donations, regions, capacities, outcomes and arrays. */
void ledger_setup(ledger *L, const scenario *s, const engine_lcase *cs, size_t n, double x, const engine_trace *tr);
void ledger_run(ledger *L);

#endif
