/* ledger_ref: an independent, deliberately plain second implementation of
 * DESIGN §7's ledger (one region, one allocation, first_come), for
 * tests/check_ledger.c only.  It is written from DESIGN's text, not from
 * sim/run/, and is slow on purpose (a scan of every case at every event
 * time): its job is to be obviously right, so that the engine can be
 * compared with it replication by replication.  The readings it had to make
 * where DESIGN is silent are listed at the top of ledger_ref.c.
 *
 * Ownership: the caller owns every array; ledger_ref_run allocates scratch
 * memory and frees it before returning. */
#ifndef FZ_LEDGER_REF_H
#define FZ_LEDGER_REF_H

#include <stddef.h>

#include "engine.h"
#include "scenario.h"

/* What the ledger of one region needs besides its cases. */
typedef struct ledger_ref_in {
    double horizon;       /* H */
    int wait;             /* queue = wait (else skip) */
    double max_wait_days; /* INFINITY: unlimited */
    int weekdays;         /* posting_days = weekdays (else all) */
    int start_weekday;    /* 0 = Monday: the weekday of day 0 */
    double cap;           /* max_payments_per_day; INFINITY: unlimited */
    double donation;      /* USD credited to this account at t = 30, 60, ... < H */
    double x;             /* the allocation: the account at t = 0 */
} ledger_ref_in;

/* The inputs for region c of s under allocation x (donations D x / B). */
void ledger_ref_params(ledger_ref_in *in, const scenario *s, size_t c, double x);

/* Whether day floor(t) is a posting day. */
int ledger_ref_posting_day(const ledger_ref_in *in, double t);

/* Runs the ledger on the n fundable cases cs (any order; ties in ready time
 * are broken by id).  Fills *out; paid_at (NULL allowed, room for n)
 * receives each case's payment time, NAN when unpaid, in the order of cs.
 * When ngrid > 0, rel[j] and bal[j] receive the cumulative releases (a
 * release at t + r counts from then on; the last grid point, H, counts every
 * release) and the balance after every event at time <= grid[j].  Returns 0,
 * or -1 when memory runs out. */
int ledger_ref_run(const ledger_ref_in *in, const engine_lcase *cs, size_t n, engine_stats *out, double *paid_at,
                   const double *grid, size_t ngrid, double *rel, double *bal);

#endif
