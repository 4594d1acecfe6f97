/* rng: independent random streams keyed by (seed, stream, replication, region).
 *
 * Every replication of every region draws from its own generator state,
 * derived from the key alone, so results never depend on thread count,
 * process count or scheduling (DESIGN §1).  The generator is exposed as a
 * gsl_rng so that GSL's samplers (gsl_ran_gamma, ...) take it directly.
 *
 * Ownership: rng_new returns a gsl_rng released with gsl_rng_free. */
#ifndef FZ_RNG_H
#define FZ_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Stream numbers.  Gap-estimation batches use RNG_STREAM_BATCH + batch. */
enum { RNG_STREAM_OPTIMIZE = 1, RNG_STREAM_EVALUATE = 2, RNG_STREAM_BATCH = 1000 };

extern const gsl_rng_type *rng_xoshiro256pp;

gsl_rng *rng_new(void);

/* Positions r at the start of the stream for this key. */
void rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t rep, uint64_t region);

#endif
