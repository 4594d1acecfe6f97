/* family: the one table of distribution families (dist.h's FZ_FAMILIES), in
 * the style of gsl_rng_type: each family is a constant family_type defined in
 * its own file models/family_NAME.c, holding its name, parameters, maths
 * (log-density, cdf and survival, their logs, quantiles, draw, partial
 * moments), its text form and, for the families `fianza fit` fits, the fit
 * hooks.  dist.c, dist_parse.c and fit*.c are generic code over this table.
 *
 * Two sets of tail functions, on purpose: cdf/sf/pinv/qinv (probabilities,
 * GSL's) are what the sampler inverts, and its arithmetic is pinned by the
 * golden results; logcdf/logsf/quantile (log probabilities) serve the
 * truncated distribution of family_trunc_* (fit, dist_cdf), accurate deep in
 * either tail.
 *
 * Not a public header: models/ only.  The types are static constants;
 * family_trunc is a value the caller owns (nothing to free). */
#ifndef FZ_FAMILY_H
#define FZ_FAMILY_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "dist.h"
#include "fz_error.h"

struct dist;
struct fam_args;
struct outbuf;
struct fit_data;

/* How `fianza fit` fits a family (fit.c).  p are the canonical parameters,
 * t the unconstrained ones the simplex moves, phi the reported ones.  The
 * four transforms may be NULL: then t = log p and phi = p (positive
 * parameters reported as they are: gamma, weibull, exponential). */
typedef struct family_fit {
    const char *names[2]; /* reported parameters, as the scenario syntax writes them */
    int uses_logs;        /* the likelihood needs the mean and spread of log x */
    int lo_closed;        /* natural_lo itself is in the support (exponential: x >= 0) */
    /* sum_i log f(x_i; p) of the untruncated family, from fit_data's statistics */
    double (*loglik)(const struct fit_data *d, const double *p);
    void (*to_canonical)(const struct fit_data *d, const double *t, double *p);
    void (*from_canonical)(const struct fit_data *d, const double *p, double *t);
    /* phi from p, with d phi_j / d t_j (the delta method's factor) */
    void (*reported)(const struct fit_data *d, const double *p, double *phi, double *dphi);
    void (*canonical)(const double *phi, double *p); /* p from phi */
    /* closed-form or starting p; returns 1 if they are the MLE */
    int (*start)(const struct fit_data *d, double *p);
} family_fit;

typedef struct family_type {
    const char *name;
    int nparams;       /* canonical parameters p[0..nparams) (0: no parameters) */
    double natural_lo; /* lower end of the untruncated support: 0 or -INFINITY */
    /* Arguments as written, per form (FORM_NATIVE, FORM_MEAN_SD): the generic
     * dist_format prints NAME(arg=user[0], arg=user[1], min=, max=). */
    const char *args[2][2];

    /* ---- text form (dist_parse.c) ---- */
    /* Reads the family's arguments (min= and max= are read already); fills
     * p, user and form, and checks them. */
    int (*parse)(struct dist *d, struct fam_args *a, fz_error *err);
    /* Instead of parse, for a body that is not key=value (mixture). */
    int (*parse_body)(struct dist *d, const char *body, size_t n, const char *basedir, int depth, fz_error *err);
    /* After every argument is used: support and mass (NULL: truncation,
     * dist_set_support, of a family with a cdf; mass 1 for one without). */
    int (*finish)(struct dist *d, const struct fam_args *a, const char *basedir, fz_error *err);
    /* Whole text (NULL: the generic form above). */
    void (*format)(struct outbuf *o, const struct dist *d);
    /* The check that E[X^2] is finite (NULL: dist_check_moments). */
    int (*check_moments)(const struct dist *d, fz_error *err);

    /* ---- the untruncated continuous family, canonical parameters p ---- */
    double (*cdf)(const double *p, double x);
    double (*sf)(const double *p, double x);
    double (*pinv)(const double *p, double P); /* F^-1 */
    double (*qinv)(const double *p, double Q); /* S^-1 */
    double (*draw)(const double *p, gsl_rng *r);
    double (*logpdf)(const double *p, double x);
    /* log F(x) and log S(x) for natural_lo < x < inf, each computed directly */
    double (*logcdf)(const double *p, double x);
    double (*logsf)(const double *p, double x);
    /* x with log F(x) = lq, or log S(x) = lq when upper */
    double (*quantile)(const double *p, double lq, int upper);
    /* E[X^j; lo < X < hi], j = 1, 2 */
    double (*partial_moment)(const double *p, double lo, double hi, int j);

    /* ---- overrides of dist.c's generic truncated-family code ---- */
    double (*sample)(const struct dist *d, gsl_rng *r); /* NULL: rejection, then inversion */
    /* A check of an inverse from pinv/qinv (NULL: trusted); a miss is redone by bisection. */
    int (*inverse_ok)(const struct dist *d, double x, double target, int upper);
    void (*plan)(const struct dist *d, dist_draw *out);                          /* NULL: DIST_DRAW_CALL */
    double (*dist_cdf)(const struct dist *d, double x);                          /* NULL: family_trunc_cdf */
    int (*moments)(const struct dist *d, double *m1, double *m2, fz_error *err); /* NULL: partial moments */

    const family_fit *fit; /* NULL: not fitted */
} family_type;

#define FZ_FAMILY_DECL(ID, name, fit) extern const family_type family_##name;
FZ_FAMILIES(FZ_FAMILY_DECL)
#undef FZ_FAMILY_DECL

/* family_table[f] is the type of dist_family f. */
extern const family_type *const family_table[DIST_NFAMILIES];

/* The family named s[0..n), or -1. */
int family_find(const char *s, size_t n);

/* ---- maths shared by several families (family.c) ---- */
double family_log1mexp(double a);                               /* log(1 - e^a), a <= 0 */
double family_log_phi(double z);                                /* log Phi(z) */
double family_inc_gamma_diff(double s, double xlo, double xhi); /* P(s, xhi) - P(s, xlo) */
/* E[X^j; lo < X < hi] of a Weibull (shape k, scale sc); k = 1: the exponential */
double family_weibull_moment(double k, double sc, double lo, double hi, int j);

/* ---- a continuous family truncated to [lo, hi], in log space ---- */
typedef struct family_trunc {
    const family_type *t;
    double p[2];
    double lo, hi;
} family_trunc;

double family_logcdf(const family_type *t, const double *p, double x); /* untruncated, any x */
double family_logsf(const family_type *t, const double *p, double x);
/* Whether lo cuts the support (lo finite and above natural_lo). */
int family_cuts_lo(const family_type *t, double lo);
/* log(F(hi) - F(lo)); 0 when [lo, hi] does not cut the support. */
double family_trunc_logmass(const family_trunc *f);
double family_trunc_pdf(const family_trunc *f, double x);
double family_trunc_cdf(const family_trunc *f, double x);
double family_trunc_sf(const family_trunc *f, double x);
double family_trunc_quantile(const family_trunc *f, double q);

#endif
