/* dist_expect: E[f(X)] of a scenario distribution by quadrature (issue 16,
 * the exact expectations of control variates, sim/run/cv.c).
 *
 * f must be bounded and piecewise smooth; the points where it jumps or
 * kinks go in `breaks` (any order; points outside the support are
 * ignored), so that each piece is integrated separately.  Atoms are summed
 * exactly: fixed(v) is f(v), empirical(...) the mean of f over its values,
 * mixture(...) the weighted sum over its components; uniform and the
 * continuous families integrate f times the (truncated) density with GSL's
 * adaptive Gauss-Kronrod rules (QAGS on finite pieces, QAGIU on an
 * unbounded last piece; Piessens et al., QUADPACK, 1983).
 *
 * Ownership: nothing is kept; the caller owns d, f's context and breaks. */
#ifndef FZ_DIST_EXPECT_H
#define FZ_DIST_EXPECT_H

#include <stddef.h>

#include "dist.h"
#include "fz_error.h"

/* Requested accuracy of each piece: relative 1e-10 of the piece, or
 * absolute 1e-13 times the bound `scale` the caller gives for |f|. */
#define DIST_EXPECT_EPSREL 1e-10

/* *out = E[f(X)], X ~ d.  scale: a bound on |f| (for the absolute
 * tolerance).  FZ_ERUNTIME (err naming the piece) when a quadrature does
 * not converge or the result is not finite. */
int dist_expect(const dist *d, double (*f)(double x, void *ctx), void *ctx, const double *breaks, size_t nbreaks,
                double scale, double *out, fz_error *err);

#endif
