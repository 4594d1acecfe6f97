/* dist_expect: see dist_expect.h. */
#include "dist_expect.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "dist_int.h"

enum { LIMIT = 1000, MAX_BREAKS = 512 };

typedef struct integrand {
    const dist *d;
    double (*f)(double, void *);
    void *ctx;
    family_trunc ft;
    double inv_width; /* uniform: the density */
} integrand;

static double weighted(double x, void *p)
{
    const integrand *g = p;
    double w = g->d->fam == DIST_UNIFORM ? g->inv_width : family_trunc_pdf(&g->ft, x);
    return w > 0 ? w * g->f(x, g->ctx) : 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The continuous part: the integral of f times the density over [lo, hi],
 * piece by piece between the breaks. */
static int continuous(const dist *d, double (*f)(double, void *), void *ctx, const double *breaks, size_t nb,
                      double scale, double *out, fz_error *err)
{
    integrand g = {d, f, ctx, {d->type, {d->p[0], d->p[1]}, d->lo, d->hi}, 0};
    double lo = d->lo, hi = d->hi;
    if (!isfinite(lo))
        return fz_fail(err, FZ_ERUNTIME, "quadrature: a %s unbounded below", dist_family_name(d->fam));
    if (d->fam == DIST_UNIFORM) {
        if (!(hi > lo)) {
            *out = f(lo, ctx);
            return 0;
        }
        g.inv_width = 1 / (hi - lo);
    }
    if (nb > MAX_BREAKS - 2)
        return fz_fail(err, FZ_ERUNTIME, "quadrature: more than %d break points", MAX_BREAKS - 2);
    double pts[MAX_BREAKS];
    size_t n = 0;
    pts[n++] = lo;
    for (size_t i = 0; i < nb; i++)
        if (breaks[i] > lo && breaks[i] < hi)
            pts[n++] = breaks[i];
    qsort(pts + 1, n - 1, sizeof *pts, cmp);
    pts[n++] = hi;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(LIMIT);
    if (!w)
        return fz_fail(err, FZ_ERUNTIME, "out of memory for quadrature");
    gsl_function F = {weighted, &g};
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double sum = 0;
    int rc = 0;
    for (size_t i = 0; i + 1 < n && !rc; i++) {
        double a = pts[i], b = pts[i + 1], v = 0, e = 0;
        if (!(b > a))
            continue;
        int st = isinf(b) ? gsl_integration_qagiu(&F, a, 1e-13 * scale, DIST_EXPECT_EPSREL, LIMIT, w, &v, &e)
                          : gsl_integration_qags(&F, a, b, 1e-13 * scale, DIST_EXPECT_EPSREL, LIMIT, w, &v, &e);
        /* roundoff limits below the requested accuracy are fine: 1e-7 of
         * the bound is far below any Monte Carlo error it meets */
        if ((st && e > 1e-7 * scale) || !isfinite(v))
            rc = fz_fail(err, FZ_ERUNTIME, "quadrature of a %s over [%g, %g] did not converge (%s, error %g)",
                         dist_family_name(d->fam), a, b, gsl_strerror(st), e);
        sum += v;
    }
    gsl_set_error_handler(old);
    gsl_integration_workspace_free(w);
    *out = sum;
    return rc;
}

int dist_expect(const dist *d, double (*f)(double x, void *ctx), void *ctx, const double *breaks, size_t nbreaks,
                double scale, double *out, fz_error *err)
{
    *out = 0;
    switch (d->fam) {
    case DIST_FIXED:
        *out = f(d->p[0], ctx);
        return 0;
    case DIST_EMPIRICAL: {
        double s = 0;
        for (size_t i = 0; i < d->n; i++)
            s += f(d->values[i], ctx);
        *out = s / (double)d->n;
        return 0;
    }
    case DIST_MIXTURE: {
        double s = 0;
        for (size_t i = 0; i < d->ncomp; i++) {
            double v;
            int rc = dist_expect(d->comp[i], f, ctx, breaks, nbreaks, scale, &v, err);
            if (rc)
                return rc;
            /* the sampler's probabilities: differences of the running sums */
            s += (d->cumw[i] - (i ? d->cumw[i - 1] : 0)) * v;
        }
        *out = s;
        return 0;
    }
    default:
        return continuous(d, f, ctx, breaks, nbreaks, scale, out, err);
    }
}
