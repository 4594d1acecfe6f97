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

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

/* Stream numbers.  Gap-estimation batches use RNG_STREAM_BATCH + batch. */
enum { RNG_STREAM_OPTIMIZE = 1, RNG_STREAM_EVALUATE = 2, RNG_STREAM_BATCH = 1000 };

extern const gsl_rng_type *rng_xoshiro256pp;

/* The generator's state, and inline draws on it for the hot loops.  For a
 * gsl_rng r of type rng_xoshiro256pp, rng_state_of(r) is its state, and
 *   rng_uniform     = gsl_rng_uniform(r),     rng_uniform_pos = gsl_rng_uniform_pos(r),
 *   rng_get         = gsl_rng_get(r)
 * bit for bit, consuming the same outputs, so inline draws and GSL samplers
 * may be mixed freely on the same stream. */
typedef struct rng_state {
    uint64_t s[4];
} rng_state;

static inline rng_state *rng_state_of(gsl_rng *r) { return (rng_state *)r->state; }

static inline uint64_t rng_next64(rng_state *st)
{
    uint64_t *s = st->s;
    uint64_t x = s[0] + s[3], result = ((x << 23) | (x >> 41)) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* 53 random bits: uniform on [0, 1) with spacing 2^-53. */
static inline double rng_uniform(rng_state *st) { return (double)(rng_next64(st) >> 11) * 0x1.0p-53; }

static inline double rng_uniform_pos(rng_state *st)
{
    double x;
    do
        x = rng_uniform(st);
    while (x == 0);
    return x;
}

/* gsl_rng's integer interface is 32 bits wide (get and max): the top bits. */
static inline unsigned long rng_get(rng_state *st) { return (unsigned long)(rng_next64(st) >> 32); }

/* gsl_ran_gaussian_ziggurat and gsl_ran_gamma, bit for bit and with the same
 * draws, for a generator of type rng_xoshiro256pp (see rng.c).  They fall
 * back to GSL's own functions until rng_fast_init has checked them
 * (rng_new calls it), or if that check failed. */
extern int rng_fast_ready;
extern uint32_t rng_zig_k[128];
extern double rng_zig_w[128];

void rng_fast_init(void);

/* st is the state the caller draws from: rng_state_of(r), or a copy of it
 * that the caller keeps in a local variable (so that the compiler can keep
 * it in registers) and writes back before anything else uses r.  The rare
 * calls into GSL go through r, synchronised both ways. */
static inline double rng_gaussian_ziggurat_st(rng_state *st, gsl_rng *r, double sigma)
{
    if (rng_fast_ready) {
        rng_state saved = *st;
        unsigned long k = rng_get(st);
        unsigned long i = k & 0xFF, j = (k >> 8) & 0xFFFFFF;
        int sign = (i & 0x80) ? +1 : -1;
        i &= 0x7f;
        if (j < rng_zig_k[i]) {
            double x = j * rng_zig_w[i];
            return sign * sigma * x;
        }
        *st = saved; /* the rejection step: GSL's, from the same state */
    }
    *rng_state_of(r) = *st;
    double x = gsl_ran_gaussian_ziggurat(r, sigma);
    *st = *rng_state_of(r);
    return x;
}

static inline double rng_gaussian_ziggurat(gsl_rng *r, double sigma)
{
    return rng_gaussian_ziggurat_st(rng_state_of(r), r, sigma);
}

double rng_gamma(gsl_rng *r, double a, double b);

/* rng_gamma's loop for shape a >= 1, with d = a - 1.0 / 3.0 and
 * c = (1.0 / 3.0) / sqrt(d) computed by the caller; only when rng_fast_ready. */
static inline double rng_gamma_dc_st(rng_state *st, gsl_rng *r, double d, double c, double b)
{
    double x, v, u;
    for (;;) {
        do {
            x = rng_gaussian_ziggurat_st(st, r, 1.0);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        u = rng_uniform_pos(st);
        if (u < 1 - 0.0331 * x * x * x * x)
            break;
        if (log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            break;
    }
    return b * d * v;
}

static inline double rng_gamma_dc(gsl_rng *r, double d, double c, double b)
{
    return rng_gamma_dc_st(rng_state_of(r), r, d, c, b);
}

gsl_rng *rng_new(void);

/* Positions r at the start of the stream for this key. */
void rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t rep, uint64_t region);

#endif
