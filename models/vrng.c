/* vrng: eight xoshiro256++ lanes and vector samplers on them (vrng.h).
 *
 * What the numbers are: every lane runs the scalar algorithms of the lane_*
 * functions (vrng_kernels.inc) on its own generator, and output j goes to lane
 * j mod 8.  How they are computed: in GCC vector extensions, W lanes a
 * vector, the same algorithms for all lanes at once:
 *   - uniform, normal: blocks of eight outputs; the ziggurat's wedge tests in
 *     vectors too, in rounds in which only the lanes still without a value
 *     draw; a lane that reaches the tail beyond R (0.03% of draws) finishes
 *     it alone, by the scalar code;
 *   - gamma and the truncated lognormal (rejection samplers): each lane fills
 *     its own column of the output (lane l's outputs at l, l + 8, ...) at its
 *     own pace, every lane drawing in every round, so that a rejection costs
 *     one lane one round and not the whole vector;
 *   - lognormal, truncated lognormal and exponential: exp or log in a second
 *     pass over the block's outputs (independent iterations pipeline well);
 *   - a call's head and tail (lanes before 0 and after the last whole block):
 *     one block, of which only those lanes are kept.
 * Element-wise IEEE operations give the same bits in a vector as alone, exp
 * and log are this module's own (no libm: its vector and scalar versions
 * differ), and vrng.c is compiled with -ffp-contract=off (CMakeLists.txt),
 * so every path gives the definition's bits; check_vrng compares them with
 * the lane-by-lane reference and pins a digest of the outputs that every
 * build must reproduce.
 *
 * The per-lane algorithms and the kernels (vrng_kernels.inc) are compiled once
 * per instruction set: base (the target's baseline, SSE2 on x86-64; W = 4)
 * and, on x86-64 with GCC or clang, AVX2 (W = 4, hardware gathers) and
 * AVX-512F (W = 8), chosen at run time by what the CPU has.  Each copy calls
 * only its own functions, so no vector crosses an ABI boundary. */
#include "vrng.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VRNG_X86 1
#else
#define VRNG_X86 0
#endif

#define L VRNG_LANES

/* ---- the ziggurat ----
 *
 * Marsaglia & Tsang, "The ziggurat method for generating random variables",
 * J. Stat. Softw. 5(8), 2000, with 256 layers of equal area V under
 * f(x) = exp(-x^2/2) (their r = 3.6541528853610088, v = 4.92867323399e-3),
 * in Doornik's form ("An improved ziggurat method", 2005): the layer index
 * and the uniform come from separate bits, so they are independent (the
 * 2000 paper's 32-bit version reuses them).  One 64-bit output k gives the
 * layer i = k & 255, the sign (bit 8) and u = (k >> 11) 2^-53; x = u X[i] is
 * taken at once when u < X[i+1] / X[i] (99.3% of draws); otherwise the wedge
 * test against f(x), or for the base layer the tail beyond R by Marsaglia's
 * method (Ann. Math. Stat. 35, 1964). X[0] = V / f(R) (the base layer's
 * virtual width), X[1] = R, f(X[i+1]) = f(X[i]) + V / X[i], X[256] = 0.
 * The tables are computed once with this file's exp and log (and IEEE sqrt),
 * so they are the same everywhere. */
#define ZIG_N 256
static const double zig_r = 3.6541528853610088, zig_v = 4.92867323399e-3;
static double zig_x[ZIG_N + 1], zig_ratio[ZIG_N], zig_f[ZIG_N + 1];

enum kind { K_UNIFORM, K_UPOS, K_NORMAL, K_LOGNORMAL, K_TRUNC, K_GAMMA, K_GAMMA_SMALL, K_EXPONENTIAL };

/* Parameters of one call, derived once. */
typedef struct par {
    double mu, sigma;      /* normal, lognormal, trunc */
    double za, zb, lo, hi; /* trunc: the normal's interval [za, zb], the clamp [lo, hi] */
    int half;              /* trunc: +1 draw |z| (za >= 0), -1 draw -|z| (zb <= 0), 0 z */
    double d, c, bd, inva; /* gamma: shape' = shape (or 1 + shape below 1), bd = scale d */
    double mean;           /* exponential */
} par;

typedef void kernel_fn(vrng *v, double *out, size_t n, const par *p);

/* ---- the per-lane algorithms and the kernels, once per instruction set ---- */
/* W: lanes per vector, four (AVX2's width: GCC lowers eight-double vectors
 * on AVX2 through memory) or eight (AVX-512). */
#define VRNG_ISA base
#define W 4
#include "vrng_kernels.inc"
#undef VRNG_ISA
#if VRNG_X86
#pragma GCC push_options
#pragma GCC target("avx2")
#define VRNG_ISA avx2
#define VRNG_AVX2 1
#include "vrng_kernels.inc"
#undef VRNG_AVX2
#undef VRNG_ISA
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f")
#undef W
#define W 8
#define VRNG_ISA avx512
#define VRNG_AVX512 1
#include "vrng_kernels.inc"
#undef VRNG_AVX512
#undef VRNG_ISA
#pragma GCC pop_options
#endif

double vrng_exp(double x) { return exp1_base(x); }
double vrng_log(double x) { return log1_base(x); }

/* The tables, with this file's exp and log and IEEE sqrt: the same
 * everywhere.  Then the CPU's instruction sets. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static kernel_fn *const *fastest = kernels_base;

static void init(void)
{
    double fr = vrng_exp(-0.5 * zig_r * zig_r);
    zig_x[0] = zig_v / fr;
    zig_x[1] = zig_r;
    for (int i = 1; i < ZIG_N - 1; i++)
        zig_x[i + 1] = sqrt(-2.0 * vrng_log(zig_v / zig_x[i] + vrng_exp(-0.5 * zig_x[i] * zig_x[i])));
    zig_x[ZIG_N] = 0;
    for (int i = 0; i <= ZIG_N; i++)
        zig_f[i] = vrng_exp(-0.5 * zig_x[i] * zig_x[i]);
    for (int i = 0; i < ZIG_N; i++)
        zig_ratio[i] = zig_x[i + 1] / zig_x[i];
#if VRNG_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        fastest = kernels_avx2;
    if (__builtin_cpu_supports("avx512f"))
        fastest = kernels_avx512;
#endif
}

/* ---- seeding ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* rng_seed's chained SplitMix64 hash of the key (rng.c), with a fifth word
 * so that vrng's streams are not rng's; then each lane's four state words
 * are SplitMix64 outputs from the hash mixed with the lane number. */
void vrng_seed(vrng *v, uint64_t seed, uint64_t stream, uint64_t rep, uint64_t region)
{
    pthread_once(&init_once, init);
    uint64_t key[5] = {seed, stream, rep, region, 0x76726E67ULL /* "vrng" */}, h = 0x6A09E667F3BCC909ULL;
    for (int i = 0; i < 5; i++) {
        h ^= key[i];
        h = splitmix64(&h);
    }
    for (unsigned l = 0; l < L; l++) {
        uint64_t x = h ^ (0xD1B54A32D192ED03ULL * (l + 1)), any = 0;
        for (int w = 0; w < 4; w++)
            any |= v->s[w][l] = splitmix64(&x);
        if (!any) /* probability 2^-256; xoshiro's state must not be zero */
            v->s[0][l] = 1;
    }
    v->lane = 0;
    v->ref = 0;
}

/* Dispatch: ref 0 the fastest kernels, 1 the reference, 2 the baseline's,
 * 3 AVX2's if the CPU has it. */
static void draw(vrng *v, double *out, size_t n, enum kind kind, const par *p)
{
    if (v->ref == 1)
        for (size_t j = 0; j < n; j++, v->lane = (v->lane + 1) % L)
            out[j] = lane_draw_base(v, v->lane, kind, p);
    else
        (v->ref == 2                              ? kernels_base
         : v->ref == 3 && fastest != kernels_base ? kernels_avx2
                                                  : fastest)[kind](v, out, n, p);
}

void vrng_uniform(vrng *v, double *out, size_t n) { draw(v, out, n, K_UNIFORM, &(par){0}); }
void vrng_uniform_pos(vrng *v, double *out, size_t n) { draw(v, out, n, K_UPOS, &(par){0}); }

void vrng_normal(vrng *v, double *out, size_t n, double mu, double sigma)
{
    draw(v, out, n, K_NORMAL, &(par){.mu = mu, .sigma = sigma});
}

void vrng_lognormal(vrng *v, double *out, size_t n, double mu, double sigma)
{
    draw(v, out, n, K_LOGNORMAL, &(par){.mu = mu, .sigma = sigma});
}

void vrng_lognormal_trunc(vrng *v, double *out, size_t n, double mu, double sigma, double lo, double hi)
{
    par p = {.mu = mu, .sigma = sigma, .lo = lo, .hi = hi};
    p.za = lo > 0 ? (vrng_log(lo) - mu) / sigma : -INFINITY;
    p.zb = hi < INFINITY ? (vrng_log(hi) - mu) / sigma : INFINITY;
    p.half = p.za >= 0 ? 1 : p.zb <= 0 ? -1 : 0;
    draw(v, out, n, K_TRUNC, &p);
}

void vrng_gamma(vrng *v, double *out, size_t n, double shape, double scale)
{
    par p = {0};
    double a = shape < 1 ? 1.0 + shape : shape;
    p.d = a - 1.0 / 3.0;
    p.c = (1.0 / 3.0) / sqrt(p.d);
    p.bd = scale * p.d;
    p.inva = 1.0 / shape;
    draw(v, out, n, shape < 1 ? K_GAMMA_SMALL : K_GAMMA, &p);
}

void vrng_exponential(vrng *v, double *out, size_t n, double mean)
{
    draw(v, out, n, K_EXPONENTIAL, &(par){.mean = mean});
}
