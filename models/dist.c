/* dist: sampling, cdf and moments of scenario distributions (dist.h), generic
 * over the family table (family.h); the text form is in dist_parse.c and
 * dist_edit.c, each family's own maths in models/family_NAME.c.
 *
 * Truncation.  A family with cdf F truncated to [lo, hi] has cdf
 * (F(x) - F(lo)) / (F(hi) - F(lo)).  It is sampled by rejection while the
 * kept mass F(hi) - F(lo) is at least 1/4 (at most 4 draws on average, and
 * at most DIST_REJECT_TRIES), and otherwise by inversion,
 * x = F^-1(F(lo) + U (F(hi) - F(lo))) (Devroye 1986, "Non-Uniform Random
 * Variate Generation", §II.2), computed on the survival side in the upper
 * tail so that no precision is lost near 1.  A family may sample itself
 * (weibull and exponential invert in closed form and always use inversion)
 * and may check its inverses (gamma: family_gamma.c); a missed inverse is
 * redone here by bisection.
 *
 * Moments of truncated families use the families' closed forms for the
 * partial moments E[X^j; lo < X < hi], divided by the kept mass. */
#include "dist.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "dist_int.h"

const char *dist_family_name(dist_family f) { return (unsigned)f < DIST_NFAMILIES ? family_table[f]->name : "?"; }
dist_family dist_get_family(const dist *d) { return d->fam; }

void dist_free(dist *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->ncomp; i++)
        dist_free(d->comp[i]);
    free(d->comp);
    free(d->cumw);
    free(d->weight);
    free(d->values);
    free(d->file);
    free(d->column);
    free(d);
}

double dist_base_cdf(const dist *d, double x) { return d->type->cdf ? d->type->cdf(d->p, x) : NAN; }

double dist_base_sf(const dist *d, double x) { return d->type->sf ? d->type->sf(d->p, x) : 1 - dist_base_cdf(d, x); }

double dist_sample(const dist *d, gsl_rng *r)
{
    const family_type *t = d->type;
    if (t->sample)
        return t->sample(d, r);
    if (!d->truncated)
        return t->draw(d->p, r);
    if (d->mass >= 0.25) {
        for (int tries = 0; tries < DIST_REJECT_TRIES; tries++) {
            double x = t->draw(d->p, r);
            if (x >= d->lo && x <= d->hi)
                return x;
        }
    }
    return dist_sample_inverse(d, r);
}

/* Solves S(x) = target (upper) or F(x) = target by bisection on ln x over the
 * support: slow (about 60 evaluations of the cdf) but sure, as F is monotone. */
static double invert_bisect(const dist *d, double target, int upper)
{
    double a = fmax(d->lo, DBL_TRUE_MIN), b = fmin(d->hi, DBL_MAX);
    for (int i = 0; i < 200 && b > a * (1 + 4 * DBL_EPSILON); i++) {
        double m = sqrt(a) * sqrt(b); /* the geometric midpoint, without overflow */
        if (!(m > a && m < b))
            m = a + (b - a) / 2;
        if (upper ? dist_base_sf(d, m) > target : dist_base_cdf(d, m) < target)
            a = m;
        else
            b = m;
    }
    return a + (b - a) / 2;
}

double dist_sample_inverse(const dist *d, gsl_rng *r)
{
    const family_type *t = d->type;
    double u = draw_uniform_pos(r), x;
    int upper = d->cdf_lo > 0.5;
    double target = upper ? d->sf_hi + u * (d->sf_lo - d->sf_hi) : d->cdf_lo + u * (d->cdf_hi - d->cdf_lo);
    x = upper ? t->qinv(d->p, target) : t->pinv(d->p, target);
    if (t->inverse_ok && !t->inverse_ok(d, x, target, upper))
        x = invert_bisect(d, target, upper);
    if (!isfinite(x))
        x = d->cdf_lo > 0.5 ? d->lo : d->hi; /* tail beyond double precision */
    return clampd(x, d->lo, d->hi);
}

void dist_draw_plan(const dist *d, dist_draw *out)
{
    memset(out, 0, sizeof *out);
    out->kind = DIST_DRAW_CALL;
    if (d->type->plan)
        d->type->plan(d, out);
}

size_t dist_mixture_parts(const dist *d, const dist *const **comp, const double **cumw)
{
    if (d->fam != DIST_MIXTURE || d->type->sample == NULL)
        return 0;
    *comp = (const dist *const *)d->comp;
    *cumw = d->cumw;
    return d->ncomp;
}

double dist_lower(const dist *d) { return d->lo; }
double dist_upper(const dist *d) { return d->hi; }

double dist_cdf(const dist *d, double x)
{
    if (d->type->dist_cdf)
        return d->type->dist_cdf(d, x);
    if (x < d->lo)
        return 0;
    if (x >= d->hi)
        return 1;
    family_trunc f = {d->type, {d->p[0], d->p[1]}, d->lo, d->hi};
    return family_trunc_cdf(&f, x);
}

int dist_moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    const family_type *t = d->type;
    if (t->moments) {
        int rc = t->moments(d, m1, m2, err);
        if (rc)
            return rc;
    } else {
        *m1 = t->partial_moment(d->p, d->lo, d->hi, 1) / d->mass;
        *m2 = t->partial_moment(d->p, d->lo, d->hi, 2) / d->mass;
    }
    if (!isfinite(*m1) || !isfinite(*m2))
        return fz_fail(err, FZ_ERUNTIME, "%s: the moments are not finite", t->name);
    return 0;
}

int dist_mean(const dist *d, double *mean, fz_error *err)
{
    double m2;
    return dist_moments(d, mean, &m2, err);
}

int dist_variance(const dist *d, double *var, fz_error *err)
{
    double m1, m2;
    int rc = dist_moments(d, &m1, &m2, err);
    if (rc)
        return rc;
    *var = m2 - m1 * m1;
    if (*var < 0)
        *var = 0;
    return 0;
}

int dist_moments_finite(const dist *d)
{
    double m1, var;
    fz_error e2 = {0};
    return dist_mean(d, &m1, &e2) == 0 && dist_variance(d, &var, &e2) == 0 && isfinite(m1 * m1 + var);
}
