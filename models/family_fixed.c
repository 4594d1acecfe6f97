/* family_fixed: fixed(1500) or fixed(value=1500), a single value (family.h). */
#include "dist_int.h"

static int parse(dist *d, fam_args *a, fz_error *err)
{
    if (a->has_min || a->has_max)
        return fz_fail(err, FZ_EINPUT, "fixed(...) takes no min= or max=");
    if (a->n == 1 && a->a[0].key.n == 0) {
        int bad = parse_number(a->a[0].val, &d->p[0]);
        if (bad)
            return fz_fail(err, FZ_EINPUT, "fixed(...): '%.*s' %s", (int)a->a[0].val.n, a->a[0].val.s,
                           DIST_NUMBER_PROBLEM(bad));
        a->a[0].used = 1;
    } else {
        int found, rc = dist_get_arg(a, "value", &d->p[0], &found, err);
        if (rc)
            return rc;
        if (!found)
            return fz_fail(err, FZ_EINPUT, "fixed(...): expected one number, as in fixed(1500)");
    }
    d->lo = d->hi = d->p[0];
    return 0;
}

static void format(outbuf *o, const dist *d) { dist_put(o, "fixed(%.15g)", d->p[0]); }
static double sample(const dist *d, gsl_rng *r)
{
    (void)r;
    return d->p[0];
}

static void plan(const dist *d, dist_draw *out)
{
    out->kind = DIST_DRAW_FIXED;
    out->a = d->p[0];
}

static double cdf(const dist *d, double x) { return x >= d->p[0] ? 1 : 0; }

static int moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    (void)err;
    *m1 = d->p[0];
    *m2 = d->p[0] * d->p[0];
    return 0;
}

const family_type family_fixed = {
    .name = "fixed",
    .nparams = 1,
    .parse = parse,
    .format = format,
    .sample = sample,
    .plan = plan,
    .dist_cdf = cdf,
    .moments = moments,
};
