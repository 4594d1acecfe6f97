/* rng: xoshiro256++ as a gsl_rng type, seeded per key by SplitMix64.
 *
 * Why not one of GSL's generators: reseeding happens once per replication and
 * region (10^5-10^7 times a run), so seeding must cost nanoseconds, and the
 * seed must carry a 256-bit key.  gsl_rng_set takes one unsigned long and
 * MT19937 fills 624 words on each set.
 *
 * xoshiro256++ (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4), 2021): period 2^256 - 1, passes BigCrush.
 * The state for key (seed, stream, rep, region) is four SplitMix64 outputs
 * (Steele, Lea & Flood, OOPSLA 2014) of a chained hash of the key, the
 * seeding the authors recommend; distinct keys give unrelated states. */
#include "rng.h"

#include <stdlib.h>

typedef struct xoshiro_state {
    uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next64(xoshiro_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void xo_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix64(&x);
}

/* gsl_rng's integer interface is 32 bits wide (get and max): the top bits. */
static unsigned long xo_get(void *vstate) { return (unsigned long)(next64(vstate) >> 32); }

/* 53 random bits: uniform on [0, 1) with spacing 2^-53. */
static double xo_get_double(void *vstate) { return (double)(next64(vstate) >> 11) * 0x1.0p-53; }

static const gsl_rng_type xoshiro_type = {"xoshiro256++", 0xffffffffUL, 0, sizeof(xoshiro_state),
                                          xo_set,         xo_get,       xo_get_double};

const gsl_rng_type *rng_xoshiro256pp = &xoshiro_type;

gsl_rng *rng_new(void) { return gsl_rng_alloc(rng_xoshiro256pp); }

void rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t rep, uint64_t region)
{
    uint64_t key[4] = {seed, stream, rep, region}, h = 0x6A09E667F3BCC909ULL;
    for (int i = 0; i < 4; i++) {
        h ^= key[i];
        h = splitmix64(&h);
    }
    xoshiro_state *st = r->state;
    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix64(&h);
}
