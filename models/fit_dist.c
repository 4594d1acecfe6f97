/* fit_dist: a fit_result as a distribution: density, cdf, survival function
 * and quantile of the fitted, possibly truncated, family (family.c's
 * family_trunc, in logs), and its scenario syntax. */
#include <math.h>
#include <stdio.h>

#include "fit_int.h"

family_trunc fit_trunc(const fit_result *r)
{
    family_trunc f = {family_table[r->family], {0, 0}, r->lo, r->hi};
    if (f.t->fit->canonical)
        f.t->fit->canonical(r->param, f.p);
    else
        for (int j = 0; j < f.t->nparams; j++)
            f.p[j] = r->param[j];
    return f;
}

double fit_pdf(const fit_result *r, double x)
{
    family_trunc f = fit_trunc(r);
    return family_trunc_pdf(&f, x);
}

double fit_cdf(const fit_result *r, double x)
{
    family_trunc f = fit_trunc(r);
    return family_trunc_cdf(&f, x);
}

double fit_sf(const fit_result *r, double x)
{
    family_trunc f = fit_trunc(r);
    return family_trunc_sf(&f, x);
}

double fit_quantile(const fit_result *r, double q)
{
    family_trunc f = fit_trunc(r);
    return family_trunc_quantile(&f, q);
}

/* NAME(param=v, ...[, min=lo][, max=hi]): 6 digits for the estimates, 10 for
 * the truncation the user gave. */
int fit_format(const fit_result *r, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s(", fit_family_name(r->family));
    size_t used = n > 0 && (size_t)n < size ? (size_t)n : size;
    for (int j = 0; j < r->nparams; j++) {
        n += snprintf(buf + used, size - used, "%s%s=%.6g", j ? ", " : "", r->names[j], r->param[j]);
        used = n > 0 && (size_t)n < size ? (size_t)n : size;
    }
    if (family_cuts_lo(family_table[r->family], r->lo)) {
        n += snprintf(buf + used, size - used, ", min=%.10g", r->lo);
        used = n > 0 && (size_t)n < size ? (size_t)n : size;
    }
    if (isfinite(r->hi)) {
        n += snprintf(buf + used, size - used, ", max=%.10g", r->hi);
        used = n > 0 && (size_t)n < size ? (size_t)n : size;
    }
    n += snprintf(buf + used, size - used, ")");
    return n;
}
