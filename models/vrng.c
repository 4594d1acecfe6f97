/* vrng: eight xoshiro256++ lanes and vector samplers on them (vrng.h).
 *
 * How the numbers are defined: every lane runs the scalar algorithms of the
 * lane_* functions below on its own generator, and output j goes to lane
 * j mod 8.  How they are computed: blocks of eight outputs (lanes 0..7) run
 * the first attempt of each algorithm in GCC vector extensions (vd, vu: four
 * doubles / uint64, lanes 0..3 then 4..7), which is what the scalar algorithm
 * does when its first attempt succeeds; a lane whose first attempt fails (a
 * ziggurat rejection, a Marsaglia-Tsang rejection) goes back to its state
 * before the block and runs the scalar algorithm.  Element-wise IEEE
 * operations give the same bits in a vector as alone, exp and log are this
 * file's own (no libm: its vector and scalar versions differ), and the file
 * is compiled with -ffp-contract=off (CMakeLists.txt), so the two paths agree
 * bit for bit; check_vrng compares them, and pins a digest of the outputs
 * that every build must reproduce.
 *
 * The kernels and the per-lane algorithms are compiled once per instruction
 * set: this file includes itself (the part after #else) with VRNG_ISA = base
 * (x86-64's SSE2, or whatever the target is) and, on x86-64 with GCC or
 * clang, avx2 (under #pragma GCC target, chosen at run time when the CPU has
 * it, with the hardware gather for the ziggurat's tables).  Each copy calls
 * only its own functions, so no vector crosses an ABI boundary. */
#ifndef VRNG_ISA
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
#define W 4 /* lanes per vector: AVX2's width (GCC lowers eight-double vectors on AVX2 through memory) */

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
#define VRNG_ISA base
#include "vrng.c"
#undef VRNG_ISA
#if VRNG_X86
#pragma GCC push_options
#pragma GCC target("avx2")
#define VRNG_ISA avx2
#define VRNG_AVX2_GATHER 1
#include "vrng.c"
#undef VRNG_AVX2_GATHER
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

/* Dispatch: ref 0 the fastest kernels, 1 the reference, 2 the baseline's. */
static void draw(vrng *v, double *out, size_t n, enum kind kind, const par *p)
{
    if (v->ref == 1)
        for (size_t j = 0; j < n; j++, v->lane = (v->lane + 1) % L)
            out[j] = lane_draw_base(v, v->lane, kind, p);
    else
        (v->ref == 2 ? kernels_base : fastest)[kind](v, out, n, p);
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

#else /* ---- the per-lane algorithms and the kernels for VRNG_ISA ---- */

/* Names with the instruction set's suffix (lane_normal -> lane_normal_avx2). */
#define VRNG_CAT2(a, b) a##_##b
#define VRNG_CAT(a, b) VRNG_CAT2(a, b)
#define vd VRNG_CAT(vd, VRNG_ISA)
#define vu VRNG_CAT(vu, VRNG_ISA)
#define vi VRNG_CAT(vi, VRNG_ISA)
#define vst VRNG_CAT(vst, VRNG_ISA)
#define splat VRNG_CAT(splat, VRNG_ISA)
#define blend VRNG_CAT(blend, VRNG_ISA)
#define all_set VRNG_CAT(all_set, VRNG_ISA)
#define any_set VRNG_CAT(any_set, VRNG_ISA)
#define vexp VRNG_CAT(vexp, VRNG_ISA)
#define vlog VRNG_CAT(vlog, VRNG_ISA)
#define exp1 VRNG_CAT(exp1, VRNG_ISA)
#define log1 VRNG_CAT(log1, VRNG_ISA)
#define lane_next VRNG_CAT(lane_next, VRNG_ISA)
#define u53 VRNG_CAT(u53, VRNG_ISA)
#define upos52 VRNG_CAT(upos52, VRNG_ISA)
#define lane_normal VRNG_CAT(lane_normal, VRNG_ISA)
#define lane_gamma_v VRNG_CAT(lane_gamma_v, VRNG_ISA)
#define fold VRNG_CAT(fold, VRNG_ISA)
#define clamp VRNG_CAT(clamp, VRNG_ISA)
#define lane_draw VRNG_CAT(lane_draw, VRNG_ISA)
#define vload VRNG_CAT(vload, VRNG_ISA)
#define vstore VRNG_CAT(vstore, VRNG_ISA)
#define lane_set VRNG_CAT(lane_set, VRNG_ISA)
#define vnext VRNG_CAT(vnext, VRNG_ISA)
#define vst_blend VRNG_CAT(vst_blend, VRNG_ISA)
#define vu52 VRNG_CAT(vu52, VRNG_ISA)
#define vu53 VRNG_CAT(vu53, VRNG_ISA)
#define vupos52 VRNG_CAT(vupos52, VRNG_ISA)
#define vnormal_fast VRNG_CAT(vnormal_fast, VRNG_ISA)
#define vgamma_v VRNG_CAT(vgamma_v, VRNG_ISA)
#define redo VRNG_CAT(redo, VRNG_ISA)
#define run_cols VRNG_CAT(run_cols, VRNG_ISA)
#define vgamma_try VRNG_CAT(vgamma_try, VRNG_ISA)
#define vtrunc_cand VRNG_CAT(vtrunc_cand, VRNG_ISA)
#define run VRNG_CAT(run, VRNG_ISA)
#define map VRNG_CAT(map, VRNG_ISA)
#define kernels VRNG_CAT(kernels, VRNG_ISA)
#define K(kind) VRNG_CAT(kind, VRNG_ISA)

typedef double vd __attribute__((vector_size(32)));
typedef uint64_t vu __attribute__((vector_size(32)));
typedef int64_t vi __attribute__((vector_size(32))); /* comparison masks: -1 true, 0 false */

/* Inlined into each kernel. */
#define VI static inline __attribute__((always_inline))

VI vd splat(double x) { return (vd){x, x, x, x}; }
VI vd blend(vi m, vd a, vd b) { return (vd)(((vi)a & m) | ((vi)b & ~m)); } /* m ? a : b */
VI int all_set(vi m)
{
#if VRNG_AVX2_GATHER
    return _mm256_movemask_pd((__m256d)m) == 0xF;
#else
    return (m[0] & m[1] & m[2] & m[3]) != 0;
#endif
}
VI int any_set(vi m)
{
#if VRNG_AVX2_GATHER
    return _mm256_movemask_pd((__m256d)m) != 0;
#else
    return (m[0] | m[1] | m[2] | m[3]) != 0;
#endif
}

/* ---- exp and log ----
 *
 * exp: fdlibm's e_exp.c (Sun Microsystems 1993; also musl before 2018):
 * x = k ln2 + r with |r| <= ln2/2 (Cody-Waite, ln2 split in a 32-bit head
 * and a tail so that k * ln2_hi is exact), exp(r) = 1 + r + r c / (2 - c)
 * with c = r - r^2 P(r^2) (a degree-5 Remez fit), then 2^k in two exact
 * halves so that overflow and gradual underflow round once.  Error < 1 ulp.
 * k is rounded to nearest with the 1.5 * 2^52 shifter, branch-free. */
VI vd vexp(vd x)
{
    const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
                 P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08, ln2hi = 6.93147180369123816490e-01,
                 ln2lo = 1.90821492927058770002e-10, invln2 = 1.44269504088896338700e+00, shift = 0x1.8p52;
    x = blend(x > 710.0, splat(710.0), x);   /* keeps k within the two-halves scaling: still overflows */
    x = blend(x < -746.0, splat(-746.0), x); /* still underflows to 0 */
    vd t = x * invln2 + shift;
    vd kd = t - shift;
    vi k = (vi)t - (vi)splat(shift);
    vd hi = x - kd * ln2hi, lo = kd * ln2lo, r = hi - lo, rr = r * r;
    vd c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    vd y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    vi k1 = k >> 1, k2 = k - k1;
    return y * (vd)((k1 + 1023) << 52) * (vd)((k2 + 1023) << 52);
}

/* log: fdlibm's e_log.c as musl wrote it branch-free (before 2018):
 * x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2), s = f / (2 + f),
 * log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)) with R a degree-7 Remez fit in
 * s^2 (Lg1..Lg7), plus k ln2 in head and tail.  Error < 1 ulp.  Subnormal x
 * is scaled by 2^54 first; x <= 0, inf and NaN are outside its domain. */
VI vd vlog(vd x)
{
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
                 Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                 Lg7 = 1.479819860511658591e-01, ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10,
                 shift = 0x1.8p52;
    vi sub = x < 0x1p-1022;
    x = blend(sub, x * 0x1p54, x);
    vu ix = (vu)x, hx = (ix >> 32) + (0x3ff00000 - 0x3fe6a09e);
    vi k = (vi)(hx >> 20) - 0x3ff + (sub & -54);
    hx = (hx & 0x000fffff) + 0x3fe6a09e;
    x = (vd)((hx << 32) | (ix & 0xffffffff));
    vd f = x - 1.0, hfsq = 0.5 * f * f, s = f / (2.0 + f), z = s * s, w = z * z;
    vd t1 = w * (Lg2 + w * (Lg4 + w * Lg6)), t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7))), R = t2 + t1;
    vd dk = (vd)(k + (vi)splat(shift)) - shift; /* exact: |k| < 2^51 */
    return s * (hfsq + R) + dk * ln2lo - hfsq + f + dk * ln2hi;
}

/* Scalars through the same code (lane 0 of a vector): the rare paths. */
static double exp1(double x) { return vexp(splat(x))[0]; }
static double log1(double x) { return vlog(splat(x))[0]; }

/* ---- the per-lane algorithms (the definition of every output) ---- */

static inline uint64_t lane_next(vrng *v, unsigned l)
{
    uint64_t s0 = v->s[0][l], s1 = v->s[1][l], s2 = v->s[2][l], s3 = v->s[3][l];
    uint64_t x = s0 + s3, result = ((x << 23) | (x >> 41)) + s0, t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 45) | (s3 >> 19);
    v->s[0][l] = s0, v->s[1][l] = s1, v->s[2][l] = s2, v->s[3][l] = s3;
    return result;
}

static inline double u53(uint64_t k) { return (double)(k >> 11) * 0x1p-53; }
static inline double upos52(uint64_t k) { return (double)(k >> 12) * 0x1p-52 + 0x1p-53; } /* exact */

static double lane_normal(vrng *v, unsigned l)
{
    for (;;) {
        uint64_t k = lane_next(v, l);
        unsigned i = (unsigned)(k & 255);
        double u = u53(k), x;
        if (u < zig_ratio[i]) {
            x = u * zig_x[i];
        } else if (i == 0) {
            double xx, yy;
            do {
                xx = -log1(upos52(lane_next(v, l))) / zig_r;
                yy = -log1(upos52(lane_next(v, l)));
            } while (yy + yy < xx * xx);
            x = zig_r + xx;
        } else {
            x = u * zig_x[i];
            double y = zig_f[i] + u53(lane_next(v, l)) * (zig_f[i + 1] - zig_f[i]);
            if (!(y < exp1(-0.5 * x * x)))
                continue;
        }
        return (k >> 8) & 1 ? -x : x;
    }
}

/* Marsaglia & Tsang, "A simple method for generating gamma variables",
 * ACM TOMS 26(3), 2000, for shape a >= 1: d = a - 1/3, c = 1 / (3 sqrt(d)),
 * v = (1 + c x)^3 for a normal x; accept d v when u < 1 - 0.0331 x^4 (the
 * squeeze) or log(u) < x^2 / 2 + d (1 - v + log v).  Returns v; the caller
 * multiplies by scale * d. */
static double lane_gamma_v(vrng *v, unsigned l, double d, double c)
{
    for (;;) {
        double x = lane_normal(v, l), w = 1.0 + c * x;
        if (!(w > 0))
            continue;
        double w3 = w * w * w, u = upos52(lane_next(v, l)), t = x * x;
        if (u < 1.0 - 0.0331 * t * t)
            return w3;
        if (log1(u) < 0.5 * t + d * (1.0 - w3 + log1(w3)))
            return w3;
    }
}

static inline double fold(double z, int half) { return half > 0 ? fabs(z) : half < 0 ? -fabs(z) : z; }
static inline double clamp(double y, double lo, double hi) { return y < lo ? lo : y > hi ? hi : y; }

/* One output of lane l: the definition. */
static double lane_draw(vrng *v, unsigned l, enum kind kind, const par *p)
{
    switch (kind) {
    case K_UNIFORM: return u53(lane_next(v, l));
    case K_UPOS: return upos52(lane_next(v, l));
    case K_NORMAL: return p->mu + p->sigma * lane_normal(v, l);
    case K_LOGNORMAL: return exp1(p->mu + p->sigma * lane_normal(v, l));
    case K_TRUNC: {
        double z;
        do
            z = fold(lane_normal(v, l), p->half);
        while (!(z >= p->za && z <= p->zb));
        return clamp(exp1(p->mu + p->sigma * z), p->lo, p->hi);
    }
    case K_GAMMA: return p->bd * lane_gamma_v(v, l, p->d, p->c);
    case K_GAMMA_SMALL: {
        /* GSL's boost for shape a < 1 (gsl_ran_gamma): Gamma(a) = Gamma(1 + a) U^(1/a) */
        double u = upos52(lane_next(v, l));
        return p->bd * lane_gamma_v(v, l, p->d, p->c) * exp1(log1(u) * p->inva);
    }
    case K_EXPONENTIAL: return p->mean * -log1(upos52(lane_next(v, l)));
    }
    return 0;
}

/* ---- the vector blocks: outputs of lanes 0..7 at once ---- */

typedef struct vst {
    vu s0, s1, s2, s3;
} vst;

/* Lanes o..o+3. */
VI vst vload(const vrng *v, unsigned o)
{
    vst st;
    memcpy(&st.s0, v->s[0] + o, sizeof st.s0);
    memcpy(&st.s1, v->s[1] + o, sizeof st.s1);
    memcpy(&st.s2, v->s[2] + o, sizeof st.s2);
    memcpy(&st.s3, v->s[3] + o, sizeof st.s3);
    return st;
}

VI void vstore(vrng *v, const vst *st, unsigned o)
{
    memcpy(v->s[0] + o, &st->s0, sizeof st->s0);
    memcpy(v->s[1] + o, &st->s1, sizeof st->s1);
    memcpy(v->s[2] + o, &st->s2, sizeof st->s2);
    memcpy(v->s[3] + o, &st->s3, sizeof st->s3);
}

/* Lane o + l of the memory state from lane l of st. */
VI void lane_set(vrng *v, unsigned o, unsigned l, const vst *st)
{
    v->s[0][o + l] = st->s0[l], v->s[1][o + l] = st->s1[l], v->s[2][o + l] = st->s2[l], v->s[3][o + l] = st->s3[l];
}

VI vu vnext(vst *st)
{
    vu x = st->s0 + st->s3, result = ((x << 23) | (x >> 41)) + st->s0, t = st->s1 << 17;
    st->s2 ^= st->s0;
    st->s3 ^= st->s1;
    st->s1 ^= st->s2;
    st->s0 ^= st->s3;
    st->s2 ^= t;
    st->s3 = (st->s3 << 45) | (st->s3 >> 19);
    return result;
}

/* m ? a : b on states */
VI vst vst_blend(vi m, const vst *a, const vst *b)
{
    vu um = (vu)m;
    return (vst){(a->s0 & um) | (b->s0 & ~um), (a->s1 & um) | (b->s1 & ~um), (a->s2 & um) | (b->s2 & ~um),
                 (a->s3 & um) | (b->s3 & ~um)};
}

/* Integer to double without a 64-bit conversion instruction (SSE2 and AVX2
 * have none): the integer's bits under the exponent of 2^52 are 2^52 + j. */
VI vd vu52(vu j) { return (vd)(j | 0x4330000000000000ULL) - 0x1p52; } /* j < 2^52 */
VI vd vu53(vu k)
{
    vu j = k >> 11;
    vd hi = (vd)((0 - (j >> 52)) & 0x4330000000000000ULL); /* 2^52 or +0 */
    return (vu52(j & 0xFFFFFFFFFFFFFULL) + hi) * 0x1p-53;
}
VI vd vupos52(vu k) { return vu52(k >> 12) * 0x1p-52 + 0x1p-53; }

/* The ziggurat's first attempt; *ok: lanes where it is the answer. */
VI vd vnormal_fast(vu k, vi *ok)
{
    vu i = k & 255;
    vd u = vu53(k), ratio, width;
#if VRNG_AVX2_GATHER
    ratio = (vd)_mm256_i64gather_pd(zig_ratio, (__m256i)i, 8);
    width = (vd)_mm256_i64gather_pd(zig_x, (__m256i)i, 8);
#else
    for (int l = 0; l < W; l++)
        ratio[l] = zig_ratio[i[l]], width[l] = zig_x[i[l]];
#endif
    *ok = u < ratio;
    return (vd)((vu)(u * width) ^ (((k >> 8) & 1) << 63)); /* the sign bit: -x */
}

/* Marsaglia-Tsang's first attempt on two outputs; *ok as above. */
VI vd vgamma_v(vst *st, const par *p, vi *ok)
{
    vi fast;
    vd x = vnormal_fast(vnext(st), &fast), w = 1.0 + p->c * x;
    vi pos = w > 0;
    vd w3 = w * w * w, u = vupos52(vnext(st)), t = x * x;
    vi acc = u < 1.0 - 0.0331 * t * t;
    if (!all_set(acc | ~(fast & pos))) /* some lane needs the log test */
        acc |= vlog(u) < 0.5 * t + p->d * (1.0 - w3 + vlog(w3));
    *ok = fast & pos & acc;
    return w3;
}

/* Lanes o + l not in ok: their state before the block is in v (run stores
 * it); they draw by the definition from there.  The others take their state
 * after the block from st.  Then st is the state after, for all. */
static void redo(vrng *v, unsigned o, vst *st, const vi *ok, double *out, enum kind kind,
                 const par *p) /* vectors by address: a kernel and this function may differ in ISA, so in ABI */
{
    for (unsigned l = 0; l < W; l++)
        if ((*ok)[l])
            lane_set(v, o, l, st);
        else
            out[l] = lane_draw(v, o + l, kind, p);
    *st = vload(v, o);
}

/* The truncated normal's z for eight lanes: rejection lane by lane, a lane
 * that has its value stops drawing (keeps its state). */
/* One candidate of every lane (|z| or -|z| by p->half); lanes in todo whose
 * ziggurat attempt fails draw by the definition. */
VI vd vtrunc_cand(vrng *v, unsigned o, vst *st, vi todo, const par *p)
{
    vst at = *st;
    vi fast;
    vd c = vnormal_fast(vnext(st), &fast);
    if (!all_set(fast | ~todo)) {
        vstore(v, st, o);
        for (unsigned l = 0; l < W; l++)
            if (todo[l] && !fast[l]) {
                lane_set(v, o, l, &at);
                c[l] = lane_normal(v, o + l);
            }
        *st = vload(v, o);
    }
    if (p->half)
        c = (vd)((vu)c & 0x7FFFFFFFFFFFFFFFULL); /* fabs */
    if (p->half < 0)
        c = -c;
    return c;
}

/* Marsaglia-Tsang's attempt for the lanes in live: *acc where it is
 * accepted; returns v (the value is scale d v).  A lane whose ziggurat
 * attempt fails takes the definition's normal; a lane with 1 + c x <= 0
 * draws no u (the definition starts over at once). */
VI vd vgamma_try(vrng *v, unsigned o, vst *st, vi live, const par *p, vi *acc)
{
    vst at = *st;
    vi fast;
    vd x = vnormal_fast(vnext(st), &fast);
    if (!all_set(fast | ~live)) {
        vstore(v, st, o);
        for (unsigned l = 0; l < W; l++)
            if (live[l] && !fast[l]) {
                lane_set(v, o, l, &at);
                x[l] = lane_normal(v, o + l);
            }
        *st = vload(v, o);
    }
    vd w = 1.0 + p->c * x;
    vi pos = w > 0;
    vst mid = *st;
    vd u = vupos52(vnext(st));
    if (!all_set(pos | ~live))
        *st = vst_blend(pos, st, &mid);
    vd w3 = w * w * w, t = x * x;
    vi a = u < 1.0 - 0.0331 * t * t;
    if (!all_set(a | ~(pos & live))) /* some lane needs the log test */
        a |= vlog(u) < 0.5 * t + p->d * (1.0 - w3 + vlog(w3));
    *acc = a & pos;
    return w3;
}

/* The rejection samplers (gamma, truncated): each lane fills its own column
 * (lane l's outputs at l, l + 8, l + 16, ...) at its own pace, every lane
 * drawing in every round, so a rejection costs one lane one round, not the
 * whole vector; lanes that have their nb outputs stop drawing (keep their
 * state).  The truncated sampler leaves mu + sigma z (map does the rest). */
VI void run_cols(vrng *v, double *out, size_t nb, enum kind kind, const par *p)
{
    for (unsigned o = 0; o < L; o += W) {
        vst st = vload(v, o);
        vi cnt = (vi)splat(0), live = cnt < (int64_t)nb;
        while (any_set(live)) {
            vst at = st;
            vd y;
            vi acc;
            if (kind == K_TRUNC) {
                vd c = vtrunc_cand(v, o, &st, live, p);
                acc = (c >= p->za) & (c <= p->zb);
                y = p->mu + p->sigma * c;
            } else {
                y = p->bd * vgamma_try(v, o, &st, live, p, &acc);
            }
            if (!all_set(live))
                st = vst_blend(live, &st, &at);
            /* written in every round, kept when accepted */
            for (unsigned l = 0; l < W; l++)
                if (live[l])
                    out[L * (size_t)cnt[l] + o + l] = y[l];
            cnt -= acc & live; /* masks are -1 */
            live = cnt < (int64_t)nb;
        }
        vstore(v, &st, o);
    }
}

/* nb blocks of eight outputs from lanes 0..7: lanes 0..3 and 4..7 side by
 * side (two independent dependency chains for the out-of-order core). */
VI void run(vrng *v, double *out, size_t nb, enum kind kind, const par *p)
{
    vst st[2] = {vload(v, 0), vload(v, W)};
    for (size_t b = 0; b < nb; b++, out += L)
        for (unsigned h = 0; h < 2; h++) {
            unsigned o = h * W;
            if (kind == K_NORMAL || kind == K_GAMMA_SMALL)
                vstore(v, &st[h], o); /* the state before the block, for redo */
            vi ok = (vi)splat(0) == 0;
            vd y;
            switch (kind) {
            case K_UNIFORM: y = vu53(vnext(&st[h])); break;
            case K_UPOS: y = vupos52(vnext(&st[h])); break;
            case K_NORMAL: y = p->mu + p->sigma * vnormal_fast(vnext(&st[h]), &ok); break;
            case K_GAMMA_SMALL: {
                vd u = vupos52(vnext(&st[h]));
                y = p->bd * vgamma_v(&st[h], p, &ok) * vexp(vlog(u) * p->inva);
                break;
            }
            default: y = splat(0); break;
            }
            memcpy(out + o, &y, sizeof y);
            if (!all_set(ok))
                redo(v, o, &st[h], &ok, out + o, kind, p);
        }
    vstore(v, &st[0], 0);
    vstore(v, &st[1], W);
}

/* The second pass of the samplers that transform another's outputs
 * (lognormal: exp of a normal; truncated: exp of the truncated normal, run
 * leaves mu + sigma z; exponential: -mean log of uniform_pos): a loop with
 * independent iterations, so exp and log pipeline well. */
VI void map(double *out, size_t n, enum kind kind, const par *p)
{
    for (size_t i = 0; i < n; i += W) {
        vd x;
        memcpy(&x, out + i, sizeof x);
        switch (kind) {
        case K_LOGNORMAL: x = vexp(x); break;
        case K_TRUNC:
            x = vexp(x);
            x = blend(x < p->lo, splat(p->lo), x);
            x = blend(x > p->hi, splat(p->hi), x);
            break;
        case K_EXPONENTIAL: x = p->mean * -vlog(x); break;
        default: break;
        }
        memcpy(out + i, &x, sizeof x);
    }
}

/* n outputs from lane v->lane on: the head up to lane 0 and the tail by
 * the definition, whole blocks by run.  One kernel per sampler. */
#define KERNEL(kind)                                                                             \
    __attribute__((noinline)) static void K(kind)(vrng * v, double *out, size_t n, const par *p) \
    {                                                                                            \
        size_t j = 0;                                                                            \
        for (; j < n && v->lane != 0; j++, v->lane = (v->lane + 1) % L)                          \
            out[j] = lane_draw(v, v->lane, kind, p);                                             \
        size_t nb = (n - j) / L;                                                                 \
        if (kind == K_LOGNORMAL || kind == K_EXPONENTIAL)                                        \
            run(v, out + j, nb, kind == K_LOGNORMAL ? K_NORMAL : K_UPOS, p);                     \
        else if (kind == K_TRUNC || kind == K_GAMMA)                                             \
            run_cols(v, out + j, nb, kind, p);                                                   \
        else                                                                                     \
            run(v, out + j, nb, kind, p);                                                        \
        if (kind == K_LOGNORMAL || kind == K_EXPONENTIAL || kind == K_TRUNC)                     \
            map(out + j, nb * L, kind, p);                                                       \
        for (j += nb * L; j < n; j++, v->lane = (v->lane + 1) % L)                               \
            out[j] = lane_draw(v, v->lane, kind, p);                                             \
    }
KERNEL(K_UNIFORM)
KERNEL(K_UPOS)
KERNEL(K_NORMAL)
KERNEL(K_LOGNORMAL)
KERNEL(K_TRUNC)
KERNEL(K_GAMMA)
KERNEL(K_GAMMA_SMALL)
KERNEL(K_EXPONENTIAL)
#undef KERNEL

static kernel_fn *const kernels[] = {K(K_UNIFORM), K(K_UPOS),  K(K_NORMAL),      K(K_LOGNORMAL),
                                     K(K_TRUNC),   K(K_GAMMA), K(K_GAMMA_SMALL), K(K_EXPONENTIAL)};

#undef VI
#undef vd
#undef vu
#undef vi
#undef vst
#undef splat
#undef blend
#undef all_set
#undef any_set
#undef vexp
#undef vlog
#undef exp1
#undef log1
#undef lane_next
#undef u53
#undef upos52
#undef lane_normal
#undef lane_gamma_v
#undef fold
#undef clamp
#undef lane_draw
#undef vload
#undef vstore
#undef lane_set
#undef vnext
#undef vst_blend
#undef vu52
#undef vu53
#undef vupos52
#undef vnormal_fast
#undef vgamma_v
#undef redo
#undef run_cols
#undef vgamma_try
#undef vtrunc_cand
#undef run
#undef map
#undef kernels
#undef K
#endif
