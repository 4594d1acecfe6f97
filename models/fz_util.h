/* fz_util: small stateless helpers shared by every layer (models is the
 * most upstream folder, so run, out and cli see this header too).
 *
 * Ownership: nothing to own; every function is static inline. */
#ifndef FZ_UTIL_H
#define FZ_UTIL_H

#include <time.h>

/* Seconds on the monotonic clock (for durations, never dates). */
static inline double fz_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* qsort comparison of doubles, ascending (NaN compares equal to anything:
 * callers sort finite values). */
static inline int fz_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
