/* fixed: exact "%.Nf" formatting (fixed.h).
 *
 * A finite double is m 2^-s exactly (m < 2^53 an integer).  x 10^N is then
 * (m 10^N) / 2^s: the 128-bit product m 10^N (< 2^73) shifted right by s
 * gives the integer part q of x 10^N, and the bits shifted out, compared
 * with half of 2^s, decide the rounding exactly, ties to even, as glibc's
 * printf does in the default rounding mode. */
#include "fixed.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint64_t pow10_u64[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

size_t fixed_u64(char *buf, unsigned long long v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

size_t fixed_fmt(char *buf, double x, int decimals)
{
    const double ax = fabs(x);
    /* NaN, infinities and huge values go to printf: below the limits, ax has
     * a fraction part (ax < 2^50, so s >= 3) and q < 10^18 fits 64 bits */
    if (decimals < 0 || decimals > 6 || !(ax < (decimals <= 3 ? 1e15 : 1e12)))
        return (size_t)snprintf(buf, FIXED_MAX, "%.*f", decimals, x);
    int e;
    double f = frexp(ax, &e); /* ax = f 2^e, 0.5 <= f < 1 (or f = 0) */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int s = 53 - e; /* ax = m 2^-s */
    const uint64_t p10 = pow10_u64[decimals];
    uint64_t q; /* |x| 10^N rounded */
    if (s >= 128 || m == 0)
        q = 0; /* below 2^-74: far under half a unit of the last decimal */
    else {
        unsigned __int128 prod = (unsigned __int128)m * p10;
        unsigned __int128 rem = prod & (((unsigned __int128)1 << s) - 1), half = (unsigned __int128)1 << (s - 1);
        q = (uint64_t)(prod >> s);
        if (rem > half || (rem == half && (q & 1)))
            q++;
    }
    char *p = buf;
    if (signbit(x)) /* printf keeps the sign of -0 and of negatives rounding to 0 */
        *p++ = '-';
    p += fixed_u64(p, q / p10);
    if (decimals > 0) {
        *p++ = '.';
        uint64_t frac = q % p10;
        for (int d = decimals - 1; d >= 0; d--) {
            p[d] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += decimals;
    }
    *p = '\0';
    return (size_t)(p - buf);
}
