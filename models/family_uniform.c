/* family_uniform: uniform(min=, max=); p = (min, max).  Its min= and max=
 * are its parameters, not a truncation (family.h). */
#include "dist_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    if (!a->has_min || !a->has_max || !(a->min < a->max))
        return fz_fail(err, FZ_EINPUT, "uniform(...): expected min= and max= with min < max");
    d->has_min = d->has_max = 0; /* parameters: printed by format, not as a truncation */
    d->arg_min = d->arg_max = 0;
    d->p[0] = d->lo = a->min;
    d->p[1] = d->hi = a->max;
    return 0;
}

static void format(outbuf *o, const dist *d) { dist_put(o, "uniform(min=%.15g, max=%.15g)", d->p[0], d->p[1]); }
static double sample(const dist *d, gsl_rng *r) { return d->p[0] + (d->p[1] - d->p[0]) * draw_uniform(r); }

static void plan(const dist *d, dist_draw *out)
{
    out->kind = DIST_DRAW_UNIFORM;
    out->a = d->p[0];
    out->b = d->p[1] - d->p[0];
}

static double cdf(const dist *d, double x)
{
    if (x < d->lo)
        return 0;
    if (x >= d->hi)
        return 1;
    return x <= d->p[0] ? 0 : x >= d->p[1] ? 1 : (x - d->p[0]) / (d->p[1] - d->p[0]);
}

static int moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    (void)err;
    double a = d->p[0], b = d->p[1];
    *m1 = (a + b) / 2;
    *m2 = (a * a + a * b + b * b) / 3;
    return 0;
}

const family_type family_uniform = {
    .name = "uniform",
    .nparams = 2,
    .parse = parse,
    .format = format,
    .sample = sample,
    .plan = plan,
    .dist_cdf = cdf,
    .moments = moments,
};
