/* fixed: printf's "%.Nf" for N = 0..6, without printf (replications.csv).
 *
 * fixed_fmt writes exactly what snprintf(buf, size, "%.*f", decimals, x)
 * writes in the C locale under the default rounding mode (round half to
 * even on the exact binary value, "-0.00" for -0 and for negative values
 * that round to zero), about 30x cheaper: replications.csv formatted with
 * printf cost ~1 s per 10^5 replications.  NaN, infinities and values of
 * magnitude 1e15 or more (1e12 with more than 3 decimals) go to snprintf.
 *
 * Ownership: plain functions on caller buffers; nothing to free. */
#ifndef FZ_FIXED_H
#define FZ_FIXED_H

#include <stddef.h>

/* Longest output: "-" 15 digits "." 6 digits, or snprintf's own for the
 * values it handles (|x| < 1e308: 309 digits, sign, point, decimals). */
#define FIXED_MAX 330

/* Writes x with `decimals` (0..6) digits after the point into buf (at
 * least FIXED_MAX bytes), NUL-terminated; returns the length. */
size_t fixed_fmt(char *buf, double x, int decimals);

/* An unsigned integer in decimal, as "%llu"; returns the length. */
size_t fixed_u64(char *buf, unsigned long long v);

#endif
