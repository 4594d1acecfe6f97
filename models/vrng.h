/* vrng: batched random draws, eight xoshiro256++ lanes side by side.
 *
 * A vrng is eight independent xoshiro256++ generators ("lanes") keyed like
 * rng_seed's streams by (seed, stream, rep, region), but a stream of its own:
 * the same key gives other numbers than rng_seed's generator (a fifth key
 * word, the domain, enters the hash), so the two can be used side by side.
 *
 * The guarantee (what the numbers are, independent of how they are computed):
 * output number j of the stream, counting every output of every call since
 * vrng_seed, is drawn by lane j mod 8 with that lane's own generator and the
 * scalar algorithm of the sampler called (vrng.c).  Hence
 *   - splitting a call into two (n = n1 + n2, same sampler and parameters)
 *     gives the same numbers as one call, and calls of different samplers
 *     may be interleaved freely: each output depends only on its lane's
 *     history;
 *   - results are bit-identical whatever the CPU's vector width, the compiler's
 *     vectorisation and the build (Release, Debug, sanitizers): the vector
 *     kernels do the same IEEE operations as the per-lane reference, with no
 *     libm call and no FMA contraction (vrng.c is compiled with
 *     -ffp-contract=off); the tests compare them (v->ref).
 * Rejection samplers consume a variable number of generator outputs per draw,
 * lane by lane; the guarantee above holds for them too.
 *
 * Preconditions (not checked; outside them results are unspecified but the
 * functions do not crash): n may be 0; sigma >= 0, shape > 0, scale > 0 and
 * mean > 0 finite; for vrng_lognormal_trunc 0 <= lo < hi <= +inf with
 * P(lo <= X <= hi) > 0 (cost per draw grows as 1 / that probability when
 * the interval lies on both sides of exp(mu), or in the tail).
 *
 * Ownership: a vrng is a plain caller-owned struct (no allocation, no
 * cleanup); copy it to fork a stream.  Not shared between threads. */
#ifndef FZ_VRNG_H
#define FZ_VRNG_H

#include <stddef.h>
#include <stdint.h>

enum { VRNG_LANES = 8 };

typedef struct vrng {
    uint64_t s[4][VRNG_LANES]; /* xoshiro256++ state word w of lane l: s[w][l] */
    unsigned lane;             /* lane of the next output (0..7) */
    int ref;                   /* tests: 0 fastest kernels (vrng_seed sets 0), 1 per-lane scalar
                                  reference, 2 baseline-ISA kernels (no AVX2) */
} vrng;

/* Positions v at the start of the stream for this key (distinct keys give
 * unrelated streams; distinct from rng_seed's stream for the same key). */
void vrng_seed(vrng *v, uint64_t seed, uint64_t stream, uint64_t rep, uint64_t region);

/* Uniform on [0, 1): k * 2^-53 for 53 random bits k. */
void vrng_uniform(vrng *v, double *out, size_t n);
/* Uniform on (0, 1): (2k + 1) * 2^-53 for 52 random bits k (never 0 or 1). */
void vrng_uniform_pos(vrng *v, double *out, size_t n);
void vrng_normal(vrng *v, double *out, size_t n, double mu, double sigma);
/* exp(N(mu, sigma^2)) */
void vrng_lognormal(vrng *v, double *out, size_t n, double mu, double sigma);
/* exp(N(mu, sigma^2)) conditioned on lo <= X <= hi (exact, by rejection on
 * the normal; a lower bound at or above the median exp(mu) costs nothing:
 * the normal's magnitude is used).  Values are clamped into [lo, hi]
 * against the last-ulp rounding of exp.  lo = 0 and hi = INFINITY allowed. */
void vrng_lognormal_trunc(vrng *v, double *out, size_t n, double mu, double sigma, double lo, double hi);
/* Gamma(shape, scale): mean shape * scale. */
void vrng_gamma(vrng *v, double *out, size_t n, double shape, double scale);
void vrng_exponential(vrng *v, double *out, size_t n, double mean);

/* The module's own exp and log, as the kernels use them (exposed for the
 * tests and for callers who must reproduce a kernel's arithmetic): within
 * 1 ulp of correctly rounded; vrng_exp on any double but NaN (overflow to
 * +inf above 709.78, 0 below -745.2), vrng_log on positive finite x. */
double vrng_exp(double x);
double vrng_log(double x);

#endif
