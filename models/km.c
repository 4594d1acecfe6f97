/* km: Kaplan-Meier estimate with Greenwood's variance (km.h). */
#include "km.h"

#include <math.h>
#include <stdlib.h>

typedef struct km_obs {
    double t;
    unsigned char c;
} km_obs;

/* by time (events first at equal times, for a stable order; the convention
 * itself is that a row groups every duration at its time and counts the
 * censored ones in its risk set) */
static int cmp_obs(const void *a, const void *b)
{
    const km_obs *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (int)x->c - (int)y->c;
}

int km_estimate(km_row **rows, size_t *nrows, const double *t, const unsigned char *censored, size_t n,
                fz_error *err)
{
    *rows = NULL;
    *nrows = 0;
    if (n == 0)
        return fz_fail(err, FZ_EINPUT, "Kaplan-Meier: no durations");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t[i]) || t[i] < 0)
            return fz_fail(err, FZ_EINPUT, "Kaplan-Meier: duration %g (number %zu): expected a number >= 0", t[i],
                           i + 1);
        if (censored[i] > 1)
            return fz_fail(err, FZ_EINPUT, "Kaplan-Meier: censoring flag %d (number %zu): expected 0 or 1",
                           (int)censored[i], i + 1);
    }
    km_obs *o = malloc(n * sizeof *o);
    km_row *r = malloc(n * sizeof *r);
    if (!o || !r) {
        free(o);
        free(r);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (km_obs){t[i], censored[i]};
    qsort(o, n, sizeof *o, cmp_obs);
    size_t m = 0, at_risk = n;
    double s = 1, gsum = 0; /* Greenwood's sum d / (n (n - d)) */
    const double z = 1.959963984540054;
    for (size_t i = 0; i < n;) {
        km_row *w = &r[m++];
        *w = (km_row){.time = o[i].t, .at_risk = at_risk};
        for (; i < n && o[i].t == w->time; i++) {
            if (o[i].c)
                w->censored++;
            else
                w->events++;
        }
        if (w->events) {
            double nj = (double)at_risk, dj = (double)w->events;
            s *= 1 - dj / nj;
            gsum = w->events < at_risk ? gsum + dj / (nj * (nj - dj)) : INFINITY;
        }
        w->surv = s;
        w->var = w->lo = w->hi = NAN;
        if (s > 0 && s < 1 && isfinite(gsum)) {
            double ww = sqrt(gsum) / fabs(log(s));
            w->var = s * s * gsum;
            w->lo = pow(s, exp(z * ww));
            w->hi = pow(s, exp(-z * ww));
        }
        at_risk -= w->events + w->censored;
    }
    free(o);
    *rows = r;
    *nrows = m;
    return 0;
}

double km_at(const km_row *rows, size_t nrows, double x)
{
    /* the last row with time <= x: binary search */
    size_t a = 0, b = nrows;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (rows[mid].time <= x)
            a = mid + 1;
        else
            b = mid;
    }
    return a == 0 ? 1 : rows[a - 1].surv;
}
