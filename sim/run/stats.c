/* stats: see stats.h. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double stat_sd(const stat_acc *a) { return a->n > 1 ? sqrt(a->m2 / (a->n - 1)) : NAN; }

/* t_{0.975} with n - 1 degrees of freedom; past 10^6 values the normal
 * quantile (they differ by < 1e-6 relative). */
static double t975(double n) { return n > 1e6 ? STAT_Z975 : gsl_cdf_tdist_Pinv(0.975, n - 1); }

double stat_ci95_half(const stat_acc *a)
{
    if (a->n < 2)
        return NAN;
    return t975(a->n) * stat_sd(a) / sqrt(a->n);
}

double stat_ratio(const stat_cov *a, double *half95)
{
    if (!(a->mx != 0) || a->n < 1) {
        *half95 = NAN;
        return NAN;
    }
    double r = a->my / a->mx;
    if (a->n < 2) {
        *half95 = NAN;
        return r;
    }
    double d = a->n - 1, var = (a->m2y / d - 2 * r * a->cxy / d + r * r * a->m2x / d) / (a->n * a->mx * a->mx);
    *half95 = t975(a->n) * sqrt(var > 0 ? var : 0);
    return r;
}

double stat_quantile_sorted(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return NAN;
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

void stat_sort(double *x, size_t n) { gsl_sort(x, 1, n); }

void stat_wilson(double k, double n, double *lo, double *hi)
{
    if (!(n > 0)) {
        *lo = *hi = NAN;
        return;
    }
    const double z = STAT_Z975, z2 = z * z, p = k / n;
    double denom = 1 + z2 / n, centre = (p + z2 / (2 * n)) / denom;
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    /* exactly 0 at k = 0 and 1 at k = n, where rounding may miss them */
    *lo = k > 0 && centre - half > 0 ? centre - half : 0;
    *hi = k < n && centre + half < 1 ? centre + half : 1;
}
