/* dist_int.h: the dist structure, shared by dist.c (sampling, moments) and
 * dist_parse.c (text form).  Not a public header. */
#ifndef FZ_DIST_INT_H
#define FZ_DIST_INT_H

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

double dist_base_cdf(const dist *d, double x);
double dist_base_sf(const dist *d, double x);

#endif
