/* dist_int.h: the dist structure, shared by dist.c (sampling, moments) and
 * dist_parse.c (text form).  Not a public header. */
#ifndef FZ_DIST_INT_H
#define FZ_DIST_INT_H

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"

/* How the user wrote the parameters, so that dist_format prints them back
 * the same way (lognormal and gamma have two parameterisations). */
enum { FORM_NATIVE, FORM_MEAN_SD };

struct dist {
    dist_family fam;
    int form;
    /* Canonical parameters: fixed (value); uniform (min, max); normal (mean,
     * sd); lognormal (mu, sigma) of log X; gamma (shape, scale); weibull
     * (shape, scale); exponential (mean). */
    double p[2];
    double user[2]; /* parameters as written (e.g. mean and sd) */
    int truncated;  /* min= or max= given (not for uniform, fixed) */
    int has_min, has_max;
    double arg_min, arg_max; /* min= and max= as written */
    double lo, hi;  /* support after truncation */
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
    ((rc) == -2 ? "is too close to 0 (a nonzero number must be at least 2.2e-308 in size)" \
                : "is not a finite number")
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

double dist_base_cdf(const dist *d, double x);
double dist_base_sf(const dist *d, double x);

#endif
