/* stats: streaming moments and confidence intervals for Monte Carlo output.
 *
 * stat_acc is Welford's running mean and variance (Welford 1962; Knuth,
 * TAOCP vol. 2, §4.2.2): stable where sum-of-squares is not, and exact in
 * its order of updates, so accumulating in replication order keeps results
 * bit-identical for any thread count.  Plain values; nothing to free. */
#ifndef FZ_STATS_H
#define FZ_STATS_H

#include <stddef.h>

/* An estimate with a 95% confidence interval (lo, hi NAN when not available). */
typedef struct stat_est {
    double value, lo, hi;
} stat_est;

typedef struct stat_acc {
    double n, mean, m2;
} stat_acc;

static inline void stat_add(stat_acc *a, double x)
{
    a->n += 1;
    double d = x - a->mean;
    a->mean += d / a->n;
    a->m2 += d * (x - a->mean);
}

/* Running co-moments of pairs (x, y), for ratio estimators such as cost per
 * release = mean spent / mean releases (same recurrence as stat_acc). */
typedef struct stat_cov {
    double n, mx, my, m2x, m2y, cxy;
} stat_cov;

static inline void stat_cov_add(stat_cov *a, double x, double y)
{
    a->n += 1;
    double dx = x - a->mx;
    a->mx += dx / a->n;
    double dy = y - a->my;
    a->my += dy / a->n;
    a->m2x += dx * (x - a->mx);
    a->m2y += dy * (y - a->my);
    a->cxy += dx * (y - a->my);
}

/* Ratio of means R = mean(y) / mean(x) and the half-width of its 95%
 * interval by the delta method (Cochran, "Sampling Techniques", 3rd ed., §6.4):
 * Var(R) ~ (s_y^2 - 2 R s_xy + R^2 s_x^2) / (n mean(x)^2).  NAN when mean(x) = 0. */
double stat_ratio(const stat_cov *a, double *half95);

/* Standard normal quantiles: two-sided 95% (z_0.975) and one-sided 95%
 * (z_0.95), rounded to 16 and 17 significant digits (the literals the
 * results were computed with: a different last digit changes them). */
#define STAT_Z975 1.959963984540054
#define STAT_Z95 1.6448536269514722

/* Sample standard deviation (n - 1 denominator).  NAN with fewer than 2
 * values: one replication says nothing about spread, and 0 would read as
 * "no uncertainty" (callers print "undefined", null in JSON, empty in CSV). */
double stat_sd(const stat_acc *a);

/* Half-width of the two-sided 95% confidence interval of the mean:
 * t_{0.975, n-1} * sd / sqrt(n) (Student t; normal for large n).  NAN with
 * fewer than 2 values (the interval is undefined, not of width 0). */
double stat_ci95_half(const stat_acc *a);

/* Quantile of sorted data, linear interpolation between order statistics
 * (Hyndman & Fan 1996, definition 7, as gsl_stats_quantile_from_sorted_data). */
double stat_quantile_sorted(const double *sorted, size_t n, double p);

/* Sorts a copy-free array in place (ascending). */
void stat_sort(double *x, size_t n);

/* Wilson score 95% interval of a proportion k / n (Wilson 1927; Agresti &
 * Coull 1998): with z = STAT_Z975, p = k / n,
 *   centre = (p + z^2 / 2n) / (1 + z^2 / n),
 *   half   = z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n),
 * which stays inside [0, 1] and is not degenerate at k = 0 or k = n.
 * *lo and *hi are NAN when n = 0. */
void stat_wilson(double k, double n, double *lo, double *hi);

#endif
