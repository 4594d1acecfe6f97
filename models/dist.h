/* dist: the probability distributions of scenario files (DESIGN §4).
 *
 * A dist is parsed from its text form, e.g. "lognormal(median=1500, sigma=0.5,
 * min=1500, max=50000)", sampled with a generator the caller passes in (as
 * gsl_ran_* do), and printed back in canonical form.  `min=`/`max=` truncate
 * the family: samples come from the conditional distribution on [min, max].
 *
 * Ownership: dist_parse returns a new dist that the caller releases with
 * dist_free (dist_free(NULL) does nothing).  A dist is immutable after
 * parsing, so one dist may be sampled from many threads at once. */
#ifndef FZ_DIST_H
#define FZ_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "fz_error.h"

/* The families, one line each: X(ID, name, fit), fit = 1 when `fianza fit`
 * fits the family (it then has fit hooks, family.h).  Adding a family is one
 * file models/family_NAME.c defining `const family_type family_NAME` and one
 * line here.  The order is the order of the enum below, of `fianza fit`'s
 * tables and of its ties in the ranking (fitted families first). */
#define FZ_FAMILIES(X)             \
    X(LOGNORMAL, lognormal, 1)     \
    X(GAMMA, gamma, 1)             \
    X(WEIBULL, weibull, 1)         \
    X(EXPONENTIAL, exponential, 1) \
    X(NORMAL, normal, 1)           \
    X(FIXED, fixed, 0)             \
    X(UNIFORM, uniform, 0)         \
    X(EMPIRICAL, empirical, 0)     \
    X(MIXTURE, mixture, 0)

#define FZ_FAMILY_ENUM(ID, name, fit) DIST_##ID,
typedef enum dist_family { FZ_FAMILIES(FZ_FAMILY_ENUM) DIST_NFAMILIES } dist_family;
#undef FZ_FAMILY_ENUM

/* A truncated family is sampled by rejection while the kept mass is at least
 * 1/4, with at most this many tries before it falls back to inversion.  The
 * engine's inline sampler (sim/run/engine.c) uses the same constant: the two
 * must agree, or the engine's draws would differ from dist_sample's. */
enum { DIST_REJECT_TRIES = 64 };

typedef struct dist dist;

/* Parses text.  Relative empirical file paths are resolved against basedir
 * (NULL: the current directory).  On error the message names the offending
 * part of the text but not the scenario file: the caller prefixes that.
 * Refused as well: derived parameters that are not finite and > 0 (lognormal
 * sigma, gamma shape and scale from mean= and sd=), and any distribution whose
 * E[X^2] overflows a double (values beyond about 1e154), so that nothing a
 * scenario accepts can turn into NaN in the engine's sums of squares. */
int dist_parse(dist **out, const char *text, const char *basedir, fz_error *err);
void dist_free(dist *d);

/* One draw.  Always within [lo, hi] of the truncation when there is one. */
double dist_sample(const dist *d, gsl_rng *r);

/* How dist_sample draws from d, for samplers inlined in hot loops
 * (sim/run/engine.c), which must give the same values from the same draws:
 *   FIXED              a
 *   UNIFORM            a + b * U                 (U = gsl_rng_uniform)
 *   GAMMA              gsl_ran_gamma(r, a, b)    (shape a >= 1, untruncated)
 *   LOGNORMAL          exp(a + gsl_ran_gaussian_ziggurat(r, b))
 *   LOGNORMAL_REJECT   up to DIST_REJECT_TRIES LOGNORMAL draws until one is in [lo, hi]; a
 *                      draw with exponent z < zlo or z > zhi is outside for
 *                      sure (no need for exp); then dist_sample_inverse
 *   CALL               anything else: call dist_sample. */
typedef enum dist_draw_kind {
    DIST_DRAW_CALL,
    DIST_DRAW_FIXED,
    DIST_DRAW_UNIFORM,
    DIST_DRAW_GAMMA,
    DIST_DRAW_LOGNORMAL,
    DIST_DRAW_LOGNORMAL_REJECT
} dist_draw_kind;

typedef struct dist_draw {
    dist_draw_kind kind;
    double a, b, lo, hi, zlo, zhi;
} dist_draw;

void dist_draw_plan(const dist *d, dist_draw *out);

/* A mixture's components and running weights (both d's), for inlined
 * samplers: dist_sample of a mixture draws one uniform u and samples the
 * first component i with u < cumw[i] (the last when none).  Returns the
 * number of components, 0 when d is not a mixture. */
size_t dist_mixture_parts(const dist *d, const dist *const **comp, const double **cumw);

/* The inversion step of dist_sample for a truncated family (after its
 * rejection tries, if any, have failed). */
double dist_sample_inverse(const dist *d, gsl_rng *r);

/* Canonical text ("gamma(shape=4, scale=3.5)"); returns the length that
 * snprintf would have written. */
int dist_format(const dist *d, char *buf, size_t size);

dist_family dist_get_family(const dist *d);
const char *dist_family_name(dist_family f);

/* Support bounds after truncation: smallest and largest possible value. */
double dist_lower(const dist *d);
double dist_upper(const dist *d);

/* Mean and variance of the (truncated) distribution, from closed-form
 * partial moments (each family's, models/family_NAME.c); returns 0 or
 * FZ_ERUNTIME if not finite. */
int dist_mean(const dist *d, double *mean, fz_error *err);
int dist_variance(const dist *d, double *var, fz_error *err);

/* Text-level edits, for sweeps over one argument ("bond_usd.median"):
 * dist_set_arg writes into *out (malloc'd) the text with argument `arg` set
 * to `value` (min= and max= are added when absent; mixtures are refused).
 * dist_args lists the numeric arguments of a text (at most max; none for
 * mixture and empirical) and returns their number. */
int dist_set_arg(char **out, const char *text, const char *arg, const char *value, fz_error *err);
int dist_args(const char *text, char names[][16], double *values, int max);

/* Cumulative distribution function of the (truncated) distribution. */
double dist_cdf(const dist *d, double x);

/* Calls fn for the file= of every empirical part of d (mixture components
 * included), as written: relative names are relative to the basedir that
 * dist_parse was given.  For callers that must not overwrite their inputs. */
void dist_files(const dist *d, void (*fn)(void *ctx, const char *file), void *ctx);

#endif
