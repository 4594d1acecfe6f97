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

#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef rng_state xoshiro_state;

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

static unsigned long xo_get(void *vstate) { return rng_get(vstate); }
static double xo_get_double(void *vstate) { return rng_uniform(vstate); }

static const gsl_rng_type xoshiro_type = {"xoshiro256++", 0xffffffffUL, 0, sizeof(xoshiro_state), xo_set,
                                          xo_get,         xo_get_double};

const gsl_rng_type *rng_xoshiro256pp = &xoshiro_type;

/* ---- GSL's samplers, inlined ----
 *
 * gsl_ran_gaussian_ziggurat (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000)
 * takes one 32-bit output k of the generator: step i = k & 0xff (its top bit
 * the sign), j = (k >> 8) & 0xffffff, and returns sign * sigma * j * w[i] at
 * once when j < k[i], which is 98.8% of the time; otherwise it goes on to a
 * rejection step.  rng_gaussian_ziggurat does that first step inline and, in
 * the remaining cases, rewinds the generator and calls GSL, so every draw is
 * GSL's own.  The thresholds k[i] and widths w[i] are GSL's tables, read from
 * the library at start-up by probing it with a generator whose first output
 * is chosen (fast_init): the fast step is taken iff j < k[i], which a binary
 * search over j finds, and for j = 1 the result is w[i] itself.
 *
 * rng_gamma is the algorithm of gsl_ran_gamma (Marsaglia & Tsang, ACM TOMS
 * 26(3), 2000, with GSL's boost u^(1/a) for shape a < 1), written with the
 * same operations in the same order.
 *
 * fast_init then draws both ways from 1,000 states and compares the
 * results bit for bit (and the generator states after them); if anything
 * differs (another GSL version), rng_fast_ready stays 0 and the callers use
 * GSL's functions, so the inline paths can change speed but never results. */
int rng_fast_ready; /* set once, inside pthread_once, before rng_new returns a generator */
uint32_t rng_zig_k[128];
double rng_zig_w[128];

typedef struct probe_state {
    unsigned long first; /* the first output */
    int gets, doubles;   /* calls so far */
    rng_state rest;      /* later outputs */
} probe_state;

static void probe_set(void *v, unsigned long seed) { (void)v, (void)seed; }
static unsigned long probe_get(void *v)
{
    probe_state *p = v;
    return p->gets++ == 0 ? p->first : rng_get(&p->rest);
}
static double probe_get_double(void *v)
{
    probe_state *p = v;
    p->doubles++;
    return rng_uniform(&p->rest);
}
static const gsl_rng_type probe_type = {"fianza-probe", 0xffffffffUL,    0, sizeof(probe_state), probe_set,
                                        probe_get,      probe_get_double};

/* Does GSL return at once for step i (sign bit set) and j?  *value: what it returned. */
static int zig_fast_step(gsl_rng *probe, unsigned long i, unsigned long j, double *value)
{
    probe_state *p = probe->state;
    p->first = (j << 8) | 0x80 | i;
    p->gets = p->doubles = 0;
    *value = gsl_ran_gaussian_ziggurat(probe, 1.0);
    return p->gets == 1 && p->doubles == 0;
}

static int fast_same(double x, double y) { return memcmp(&x, &y, sizeof x) == 0; }

static void fast_init(void)
{
    gsl_rng *probe = gsl_rng_alloc(&probe_type), *a = gsl_rng_alloc(rng_xoshiro256pp),
            *b = gsl_rng_alloc(rng_xoshiro256pp);
    if (!probe || !a || !b)
        goto done;
    probe_state *p = probe->state;
    memset(p, 0, sizeof *p);
    p->rest.s[0] = 0x9E3779B97F4A7C15ULL; /* any nonzero state */
    double v;
    for (unsigned long i = 0; i < 128; i++) {
        unsigned long lo = 0, hi = 1UL << 24; /* fast for j < lo; slow at hi (or hi = 2^24) */
        while (lo < hi) {
            unsigned long mid = lo + (hi - lo) / 2;
            if (zig_fast_step(probe, i, mid, &v))
                lo = mid + 1;
            else
                hi = mid;
        }
        rng_zig_k[i] = (uint32_t)lo;
        rng_zig_w[i] = lo > 1 && zig_fast_step(probe, i, 1, &v) ? v : 0;
        if (lo > 1 && !(v > 0))
            goto done;
    }
    /* the self-check: both ways from the same states, bit for bit */
    rng_fast_ready = 1;
    static const double shapes[] = {0.3, 1, 2.5, 4, 30};
    for (uint64_t k = 0; k < 1000 && rng_fast_ready; k++) {
        rng_seed(a, 0xF1A2A, 77, k, 0);
        rng_seed(b, 0xF1A2A, 77, k, 0);
        for (int n = 0; n < 20; n++) {
            double sigma = 0.5 + n, shape = shapes[n % 5];
            if (!fast_same(rng_gaussian_ziggurat(a, sigma), gsl_ran_gaussian_ziggurat(b, sigma)) ||
                !fast_same(rng_gamma(a, shape, sigma), gsl_ran_gamma(b, shape, sigma)))
                rng_fast_ready = 0;
        }
        if (memcmp(a->state, b->state, sizeof(rng_state)))
            rng_fast_ready = 0;
    }
done:
    gsl_rng_free(probe);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

void rng_fast_init(void) { pthread_once(&fast_once, fast_init); }

double rng_gamma(gsl_rng *r, double a, double b)
{
    if (!rng_fast_ready)
        return gsl_ran_gamma(r, a, b);
    rng_state *st = rng_state_of(r);
    if (a < 1) {
        double u = rng_uniform_pos(st);
        return rng_gamma(r, 1.0 + a, b) * pow(u, 1.0 / a);
    }
    /* d and c of the last shape, per thread: a sqrt and a division saved on
     * most calls (the same values: IEEE sqrt and division are exact-rounded) */
    static _Thread_local double last_a = -1, last_d, last_c;
    if (a != last_a) {
        last_d = a - 1.0 / 3.0;
        last_c = (1.0 / 3.0) / sqrt(last_d);
        last_a = a;
    }
    return rng_gamma_dc(r, last_d, last_c, b);
}

gsl_rng *rng_new(void)
{
    rng_fast_init();
    return gsl_rng_alloc(rng_xoshiro256pp);
}

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
