/* family_mixture: mixture(WEIGHT: DIST; WEIGHT: DIST; ...), a weighted
 * choice among component distributions (family.h).  Its body is not
 * key=value, so it has parse_body instead of parse. */
#include "dist_int.h"

/* Room for one more component. */
static int grow(dist *d, size_t *cap, fz_error *err)
{
    if (d->ncomp < *cap)
        return 0;
    *cap = *cap ? 2 * *cap : 4;
    dist **c = realloc(d->comp, *cap * sizeof *c);
    double *w = c ? realloc(d->weight, *cap * sizeof *w) : NULL;
    if (c)
        d->comp = c;
    if (!w)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    d->weight = w;
    return 0;
}

/* Weights that already sum to 1 up to the 15-digit rounding of dist_format
 * (at most 5e-16 per weight) are kept as written, so that format -> parse
 * -> format gives the same text; dividing them by their sum again could
 * move the last printed digit. */
static int normalise(dist *d, double total, fz_error *err)
{
    d->cumw = malloc(d->ncomp * sizeof *d->cumw);
    if (!d->cumw)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    int normalised = fabs(total - 1) <= 1e-15 * (double)d->ncomp;
    double run = 0;
    d->lo = INFINITY;
    d->hi = -INFINITY;
    for (size_t i = 0; i < d->ncomp; i++) {
        if (!normalised)
            d->weight[i] /= total;
        run += d->weight[i];
        d->cumw[i] = run;
        d->lo = fmin(d->lo, d->comp[i]->lo);
        d->hi = fmax(d->hi, d->comp[i]->hi);
    }
    d->cumw[d->ncomp - 1] = 1;
    return 0;
}

static int parse_body(dist *d, const char *s, size_t n, const char *basedir, int depth, fz_error *err)
{
    span body = {s, n};
    size_t cap = 0;
    double total = 0;
    for (;;) {
        size_t cut = find_top(body, ';');
        span item = trim((span){body.s, cut});
        size_t colon = find_top(item, ':');
        if (colon == item.n)
            return fz_fail(err, FZ_EINPUT, "mixture(...): expected 'WEIGHT: DIST' in '%.*s'", (int)item.n, item.s);
        int rc = grow(d, &cap, err);
        if (rc)
            return rc;
        double w;
        int bad = parse_number((span){item.s, colon}, &w);
        if (bad || w <= 0)
            return fz_fail(err, FZ_EINPUT, "mixture(...): weight '%.*s' %s", (int)colon, item.s,
                           bad == -2 ? DIST_NUMBER_PROBLEM(bad) : "is not a positive number");
        rc =
            dist_parse_rec(&d->comp[d->ncomp], (span){item.s + colon + 1, item.n - colon - 1}, basedir, depth + 1, err);
        if (rc)
            return rc;
        d->weight[d->ncomp++] = w;
        total += w;
        if (cut == body.n)
            break;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
    return normalise(d, total, err);
}

static void format(outbuf *o, const dist *d)
{
    dist_put(o, "mixture(");
    for (size_t i = 0; i < d->ncomp; i++) {
        dist_put(o, "%s%.15g: ", i ? "; " : "", d->weight[i]);
        dist_format_rec(o, d->comp[i]);
    }
    dist_put(o, ")");
}

/* Every component was checked when it was parsed; E[X^2] is their weighted mean. */
static int check_moments(const dist *d, fz_error *err)
{
    (void)d, (void)err;
    return 0;
}

static double sample(const dist *d, gsl_rng *r)
{
    double u = draw_uniform(r);
    size_t i = 0;
    while (i + 1 < d->ncomp && u >= d->cumw[i])
        i++;
    return dist_sample(d->comp[i], r);
}

static double cdf(const dist *d, double x)
{
    double s = 0;
    for (size_t i = 0; i < d->ncomp; i++)
        s += d->weight[i] * dist_cdf(d->comp[i], x);
    return s;
}

static int moments(const dist *d, double *m1, double *m2, fz_error *err)
{
    *m1 = *m2 = 0;
    for (size_t i = 0; i < d->ncomp; i++) {
        double a, b;
        int rc = dist_moments(d->comp[i], &a, &b, err);
        if (rc)
            return rc;
        *m1 += d->weight[i] * a;
        *m2 += d->weight[i] * b;
    }
    return 0;
}

const family_type family_mixture = {
    .name = "mixture",
    .parse_body = parse_body,
    .format = format,
    .check_moments = check_moments,
    .sample = sample,
    .dist_cdf = cdf,
    .moments = moments,
};
