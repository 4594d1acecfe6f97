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
    void *bond_plans;        /* one sampler per phase (engine.c) */
    size_t bond_plans_cap;
};

#endif
