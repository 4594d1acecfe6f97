/* dist_int.h: the dist structure and the helpers shared by dist.c
 * (sampling, moments), dist_parse.c (text form), dist_edit.c and the family
 * files (family_*.c).  Not a public header. */
#ifndef FZ_DIST_INT_H
#define FZ_DIST_INT_H

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "family.h"
#include "rng.h"

/* How the user wrote the parameters, so that dist_format prints them back
 * the same way (lognormal and gamma have two parameterisations). */
enum { FORM_NATIVE, FORM_MEAN_SD };

struct dist {
    dist_family fam;
    const family_type *type; /* family_table[fam] */
    int form;
    /* Canonical parameters: fixed (value); uniform (min, max); normal (mean,
     * sd); lognormal (mu, sigma) of log X; gamma (shape, scale); weibull
     * (shape, scale); exponential (mean). */
    double p[2];
    double user[2]; /* parameters as written (e.g. mean and sd) */
    int truncated;  /* min= or max= given (not for uniform, fixed) */
    int has_min, has_max;
    double arg_min, arg_max;                   /* min= and max= as written */
    double lo, hi;                             /* support after truncation */
    double cdf_lo, cdf_hi, sf_lo, sf_hi, mass; /* F(lo), F(hi), 1-F(lo), 1-F(hi) */
    /* empirical: sorted values inside [lo, hi] */
    double *values;
    size_t n;
    char *file, *column;
    /* mixture */
    size_t ncomp;
    dist **comp;
    double *weight, *cumw; /* normalised weights and their running sums */
};

/* ---- text helpers shared by dist_parse.c and dist_edit.c ---- */

typedef struct span {
    const char *s;
    size_t n;
} span;

static inline span trim(span t)
{
    while (t.n && isspace((unsigned char)t.s[0])) {
        t.s++;
        t.n--;
    }
    while (t.n && isspace((unsigned char)t.s[t.n - 1]))
        t.n--;
    return t;
}

static inline int span_eq(span t, const char *word) { return t.n == strlen(word) && memcmp(t.s, word, t.n) == 0; }

/* Reads a finite number filling the whole span: 0, -1 if it is none, -2 if
 * strtod underflows (nonzero but below DBL_MIN in size: a subnormal, whose
 * reciprocal is infinite, is refused rather than computed with). */
#define DIST_NUMBER_PROBLEM(rc) \
    ((rc) == -2 ? "is too close to 0 (a nonzero number must be at least 2.2e-308 in size)" : "is not a finite number")
static inline int parse_number(span t, double *out)
{
    char buf[64];
    t = trim(t);
    if (t.n == 0 || t.n >= sizeof buf)
        return -1;
    memcpy(buf, t.s, t.n);
    buf[t.n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (!*end && end != buf && errno == ERANGE && fabs(v) < DBL_MIN)
        return -2; /* underflow: nonzero but below DBL_MIN in size (DIST_TINY_MSG) */
    if (*end || end == buf || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v == 0 ? 0 : v; /* -0 reads as 0 */
    return 0;
}

/* Index of the first `sep` at bracket depth 0, or t.n if none. */
static inline size_t find_top(span t, char sep)
{
    int depth = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] == '(')
            depth++;
        else if (t.s[i] == ')')
            depth--;
        else if (t.s[i] == sep && depth == 0)
            return i;
    }
    return t.n;
}

/* ---- parsing (dist_parse.c), for the families' parse hooks ---- */

typedef struct arg {
    span key, val;
    int used;
} arg;

enum { MAX_ARGS = 8 };

/* The arguments of one family, split at the top-level commas. */
typedef struct fam_args {
    const char *fam; /* the family's name, for messages */
    arg a[MAX_ARGS];
    int n;
    int has_min, has_max;
    double min, max;
} fam_args;

/* key=number: *found tells whether it was given. */
int dist_get_arg(fam_args *a, const char *key, double *v, int *found, fz_error *err);
/* key=text (quotes removed), malloc'd into *out. */
int dist_get_text(fam_args *a, const char *key, char **out, fz_error *err);
/* Two-form families: native (k1=, k2=) or (mean=, sd=); sets *form. */
int dist_get_pair(fam_args *a, const char *k1, const char *k2, double out[2], int *form, fz_error *err);
/* The whole text of a nested distribution (mixture components). */
int dist_parse_rec(dist **out, span text, const char *basedir, int depth, fz_error *err);
/* The truncation bookkeeping of a continuous family (min=, max=, mass). */
int dist_set_support(dist *d, const fam_args *a, fz_error *err);
/* The mean and E[X^2] of d (dist.c); FZ_ERUNTIME if not finite. */
int dist_moments(const dist *d, double *m1, double *m2, fz_error *err);
/* Whether the mean and E[X^2] of d are finite (dist.c). */
int dist_moments_finite(const dist *d);

/* ---- printing (dist_parse.c) ---- */

typedef struct outbuf {
    char *buf;
    size_t size, len;
} outbuf;

void dist_put(outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dist_format_rec(outbuf *o, const dist *d);

/* ---- sampling ---- */

/* Draws on the engine's generator (rng_xoshiro256pp) use inline copies of
 * GSL's functions (rng.h): the same values from the same draws, without a
 * function-pointer call per draw.  Any other gsl_rng goes through GSL. */
static inline int dist_is_xo(const gsl_rng *r) { return r->type == rng_xoshiro256pp; }
static inline double draw_uniform(gsl_rng *r)
{
    return dist_is_xo(r) ? rng_uniform(rng_state_of(r)) : gsl_rng_uniform(r);
}
static inline double draw_uniform_pos(gsl_rng *r)
{
    return dist_is_xo(r) ? rng_uniform_pos(rng_state_of(r)) : gsl_rng_uniform_pos(r);
}
static inline double draw_gaussian(gsl_rng *r, double sigma)
{
    return dist_is_xo(r) ? rng_gaussian_ziggurat(r, sigma) : gsl_ran_gaussian_ziggurat(r, sigma);
}
static inline double draw_gamma(gsl_rng *r, double a, double b)
{
    return dist_is_xo(r) ? rng_gamma(r, a, b) : gsl_ran_gamma(r, a, b);
}
static inline double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

/* The untruncated family's cdf and survival function (NaN / 1 - cdf when the
 * family has none). */
double dist_base_cdf(const dist *d, double x);
double dist_base_sf(const dist *d, double x);

#endif
