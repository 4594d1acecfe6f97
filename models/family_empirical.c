/* family_empirical: empirical(file=, column=[, min=, max=]), the values of a
 * CSV column (read by csvcol), those inside [min, max], sorted; each is
 * drawn with equal probability (family.h). */
#include <stdio.h>

#include "fz_util.h"
#include "csvcol.h"
#include "dist_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    int rc;
    if ((rc = dist_get_text(a, "file", &d->file, err)) || (rc = dist_get_text(a, "column", &d->column, err)))
        return rc;
    if (!d->file || !d->column)
        return fz_fail(err, FZ_EINPUT, "empirical(...): expected file= and column=");
    d->truncated = a->has_min || a->has_max;
    d->lo = a->has_min ? a->min : -INFINITY;
    d->hi = a->has_max ? a->max : INFINITY;
    return 0;
}

/* Reads the column (relative names against basedir), keeps the values in [lo, hi]. */
static int finish(dist *d, const fam_args *a, const char *basedir, fz_error *err)
{
    (void)a;
    char path[4096];
    if (d->file[0] == '/' || !basedir || !*basedir)
        snprintf(path, sizeof path, "%s", d->file);
    else
        snprintf(path, sizeof path, "%s/%s", basedir, d->file);
    csvcol col;
    int rc = csvcol_read(&col, path, d->column, err);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < col.n; i++)
        if (col.values[i] >= d->lo && col.values[i] <= d->hi)
            col.values[k++] = col.values[i];
    if (k == 0) {
        csvcol_free(&col);
        return fz_fail(err, FZ_EINPUT, "%s: column '%s' has no numeric values%s", path, d->column,
                       d->truncated ? " inside [min, max]" : "");
    }
    qsort(col.values, k, sizeof *col.values, fz_cmp_double);
    d->values = col.values;
    d->n = k;
    d->lo = col.values[0];
    d->hi = col.values[k - 1];
    return 0;
}

static void format(outbuf *o, const dist *d)
{
    dist_put(o, "empirical(file=%s, column=%s", d->file, d->column);
    if (d->has_min)
        dist_put(o, ", min=%.15g", d->arg_min);
    if (d->has_max)
        dist_put(o, ", max=%.15g", d->arg_max);
    dist_put(o, ")");
}

static double sample(const dist *d, gsl_rng *r) { return d->values[gsl_rng_uniform_int(r, d->n)]; }

static double cdf(const dist *d, double x)
{
    size_t lo = 0, hi = d->n; /* values are sorted: count those <= x */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->values[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo / (double)d->n;
}

static int moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    (void)err;
    double s = 0, s2 = 0;
    for (size_t i = 0; i < d->n; i++) {
        s += d->values[i];
        s2 += d->values[i] * d->values[i];
    }
    *m1 = s / (double)d->n;
    *m2 = s2 / (double)d->n;
    return 0;
}

/* As dist_parse.c's check, with a message about the column. */
static int check_moments(const dist *d, fz_error *err)
{
    double bound = fmax(fabs(d->lo), fabs(d->hi));
    if (isfinite(bound * bound) || dist_moments_finite(d))
        return 0;
    return fz_fail(err, FZ_EINPUT,
                   "empirical(...): the values of column '%s' are too large: their mean square "
                   "exceeds the largest double (1.8e308); values must stay below about 1e154",
                   d->column);
}

const family_type family_empirical = {
    .name = "empirical",
    .parse = parse,
    .finish = finish,
    .format = format,
    .check_moments = check_moments,
    .sample = sample,
    .dist_cdf = cdf,
    .moments = moments,
};
