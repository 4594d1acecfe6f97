/* fit_gof: goodness-of-fit statistics of a fitted family (fit.h).
 *
 * With u_(1) <= ... <= u_(n) the fitted cdf at the sorted data:
 * - Kolmogorov-Smirnov (Kolmogorov 1933; Smirnov 1948):
 *     D_n = max_i max(i/n - u_(i), u_(i) - (i-1)/n);
 * - Anderson-Darling (Anderson & Darling 1954; Stephens 1974, JASA 69:730):
 *     A^2 = -n - (1/n) sum_i (2i - 1) [ln u_(i) + ln(1 - u_(n+1-i))],
 *   with 1 - u taken from the survival function, not by subtraction, and
 *   u, 1 - u at least 1e-10: a value exactly on the edge of the support (a
 *   bond equal to --min, in rounded data) would make A^2 infinite; so it adds
 *   at most 23 (2i - 1)/n instead, which still flags a pile of such values.
 *
 * The KS p-value P(D_n >= d) for a fully specified continuous distribution:
 * - exactly, by Marsaglia, Tsang & Wang (2003), "Evaluating Kolmogorov's
 *   distribution", J. Statistical Software 8(18): P(D_n < d) = n!/n^n t_kk,
 *   t_kk the (k,k) entry of H^n, H the m x m matrix of their eq. (3),
 *   k = floor(n d) + 1, m = 2k - 1, h = k - n d; powers by repeated squaring
 *   with a separate decimal exponent.  Used while m <= 151 (every n <= 1000).
 *   In the far right tail (n d^2 > 7.24, or > 3.76 with n > 99) their own
 *   approximation P = 2 exp(-(2.000071 + 0.331/sqrt n + 1.409/n) n d^2);
 * - otherwise by Kolmogorov's limiting distribution with Stephens' (1970)
 *   finite-n correction, P = Q((sqrt n + 0.12 + 0.11/sqrt n) d) (JRSS B
 *   32:115), Q(l) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 l^2), summed as
 *   1 - (sqrt(2 pi)/l) sum_{j>=1} exp(-(2j-1)^2 pi^2 / (8 l^2)) for l < 1.18.
 *
 * Parameters estimated from the same data make the true null distribution
 * of D_n smaller (Lilliefors 1967), so these p-values are conservative:
 * a small one is evidence against the family, a large one is weak evidence
 * for it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit_int.h"
#include "fz_util.h"

double fit_ks_stat(const double *u, size_t n)
{
    double d = 0, nn = (double)n;
    for (size_t i = 0; i < n; i++) {
        double a = (double)(i + 1) / nn - u[i], b = u[i] - (double)i / nn;
        d = fmax(d, fmax(a, b));
    }
    return d;
}

#define AD_EDGE 1e-10

double fit_ad_stat(const double *u, const double *s, size_t n)
{
    double sum = 0, nn = (double)n;
    for (size_t i = 0; i < n; i++)
        sum += (2.0 * (double)i + 1) * (log(fmax(u[i], AD_EDGE)) + log(fmax(s[n - 1 - i], AD_EDGE)));
    return -nn - sum / nn;
}

/* ---- Marsaglia-Tsang-Wang ---- */

static void mat_mul(const double *A, const double *B, double *C, int m)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < m; k++)
                s += A[i * m + k] * B[k * m + j];
            C[i * m + j] = s;
        }
}

/* V = A^e as mantissa matrix and decimal exponent *ev; tmp holds m*m. */
static void mat_pow(const double *A, double *V, int *ev, double *tmp, int m, size_t e)
{
    if (e == 1) {
        memcpy(V, A, (size_t)m * (size_t)m * sizeof *V);
        *ev = 0;
        return;
    }
    mat_pow(A, V, ev, tmp, m, e / 2);
    mat_mul(V, V, tmp, m);
    int eb = 2 * *ev;
    if (e % 2 == 0) {
        memcpy(V, tmp, (size_t)m * (size_t)m * sizeof *V);
        *ev = eb;
    } else {
        mat_mul(A, tmp, V, m);
        *ev = eb;
    }
    if (V[(m / 2) * m + m / 2] > 1e140) {
        for (int i = 0; i < m * m; i++)
            V[i] *= 1e-140;
        *ev += 140;
    }
}

/* P(D_n < d) exactly; NAN if memory runs out. */
static double mtw_cdf(size_t n, double d)
{
    double nd = (double)n * d;
    int k = (int)nd + 1, m = 2 * k - 1;
    double h = k - nd;
    double *H = calloc((size_t)m * (size_t)m, sizeof *H), *Q = malloc((size_t)m * (size_t)m * sizeof *Q),
           *T = malloc((size_t)m * (size_t)m * sizeof *T);
    double s = NAN;
    if (!H || !Q || !T)
        goto done;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            H[i * m + j] = i - j + 1 < 0 ? 0 : 1;
    for (int i = 0; i < m; i++) {
        H[i * m] -= pow(h, i + 1);
        H[(m - 1) * m + i] -= pow(h, m - i);
    }
    H[(m - 1) * m] += 2 * h - 1 > 0 ? pow(2 * h - 1, m) : 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            if (i - j + 1 > 0)
                for (int g = 1; g <= i - j + 1; g++)
                    H[i * m + j] /= g;
    int eq;
    mat_pow(H, Q, &eq, T, m, n);
    s = Q[(k - 1) * m + k - 1];
    for (size_t i = 1; i <= n; i++) {
        s = s * (double)i / (double)n;
        if (s < 1e-140) {
            s *= 1e140;
            eq -= 140;
        }
    }
    s *= pow(10.0, eq);
done:
    free(H);
    free(Q);
    free(T);
    return s;
}

/* Kolmogorov's limiting survival function Q(l) = P(sqrt(n) D_n > l), n -> inf. */
static double kolmogorov_q(double l)
{
    if (l <= 0)
        return 1;
    if (l < 1.18) {
        double s = 0, w = M_PI * M_PI / (8 * l * l);
        for (int j = 1; j <= 6; j++)
            s += exp(-(2.0 * j - 1) * (2.0 * j - 1) * w);
        return 1 - sqrt(2 * M_PI) / l * s;
    }
    double s = 0;
    for (int j = 1; j <= 100; j++) {
        double t = exp(-2.0 * j * j * l * l);
        s += j % 2 ? t : -t;
        if (t < 1e-18)
            break;
    }
    return fmin(1, 2 * s);
}

double fit_ks_pvalue(double d, size_t n)
{
    if (n == 0 || !(d > 0))
        return 1;
    if (d >= 1)
        return 0;
    double nn = (double)n, s = d * d * nn;
    if (s > 7.24 || (s > 3.76 && n > 99))
        return fmin(1, 2 * exp(-(2.000071 + 0.331 / sqrt(nn) + 1.409 / nn) * s));
    if (2 * (int)(nn * d) + 1 <= 151) {
        double k = mtw_cdf(n, d);
        if (isfinite(k))
            return fmin(1, fmax(0, 1 - k));
    }
    return kolmogorov_q((sqrt(nn) + 0.12 + 0.11 / sqrt(nn)) * d);
}

int fit_gof(fit_result *r, const double *x, size_t n, fz_error *err)
{
    double *xs = malloc(3 * (n ? n : 1) * sizeof *xs);
    if (!xs)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    double *u = xs + n, *s = u + n;
    memcpy(xs, x, n * sizeof *xs);
    qsort(xs, n, sizeof *xs, fz_cmp_double);
    for (size_t i = 0; i < n; i++) {
        u[i] = fit_cdf(r, xs[i]);
        s[i] = fit_sf(r, xs[i]);
    }
    r->ks = fit_ks_stat(u, n);
    r->ks_p = fit_ks_pvalue(r->ks, n);
    r->ad = fit_ad_stat(u, s, n);
    free(xs);
    return 0;
}
