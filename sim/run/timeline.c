/* timeline: histograms and sums of the fund's state on the day grid (timeline.h). */
#include "timeline.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tl_acc {
    size_t n; /* grid points */
    double *day;
    double count;
    double *rel_sum, *bal_sum;
    double *lo, *hi;               /* [2 j]: releases, [2 j + 1]: balance; exact extremes */
    uint32_t *rel_hist, *bal_hist; /* [j * EVAL_TL_BINS + b]: replications <= 1e8 fit in 32 bits */
    double rel_width, bal_width;
    double rel_limit, rel_scale; /* rel_width * EVAL_TL_BINS, 1 / rel_width */
};

double *eval_timeline_grid(double horizon, size_t *n)
{
    double g = ceil(horizon / 200);
    size_t k = 0, cap = (size_t)ceil(horizon / g) + 1;
    double *day = malloc(cap * sizeof *day);
    if (!day)
        return NULL;
    for (; k + 1 < cap && (double)k * g < horizon; k++)
        day[k] = (double)k * g;
    day[k++] = horizon;
    *n = k;
    return day;
}

void tl_acc_free(tl_acc *a)
{
    if (!a)
        return;
    free(a->day);
    free(a->rel_sum);
    free(a->bal_sum);
    free(a->lo);
    free(a->hi);
    free(a->rel_hist);
    free(a->bal_hist);
    free(a);
}

tl_acc *tl_acc_new(const double *day, size_t n, double top)
{
    tl_acc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->n = n;
    a->day = malloc(n * sizeof *a->day);
    a->rel_sum = calloc(n, sizeof *a->rel_sum);
    a->bal_sum = calloc(n, sizeof *a->bal_sum);
    a->rel_hist = calloc(n * EVAL_TL_BINS, sizeof *a->rel_hist);
    a->bal_hist = calloc(n * EVAL_TL_BINS, sizeof *a->bal_hist);
    a->lo = malloc(2 * n * sizeof *a->lo);
    a->hi = malloc(2 * n * sizeof *a->hi);
    if (!a->day || !a->rel_sum || !a->bal_sum || !a->rel_hist || !a->bal_hist || !a->lo || !a->hi) {
        tl_acc_free(a);
        return NULL;
    }
    memcpy(a->day, day, n * sizeof *day);
    for (size_t j = 0; j < 2 * n; j++) {
        a->lo[j] = INFINITY;
        a->hi[j] = -INFINITY;
    }
    a->rel_width = a->rel_scale = 1;
    a->rel_limit = EVAL_TL_BINS;
    a->bal_width = top > 0 ? top / EVAL_TL_BINS : 1;
    return a;
}

/* Doubles the width of the release bins: bin b joins bin b / 2. */
static void widen(tl_acc *a)
{
    for (size_t j = 0; j < a->n; j++) {
        uint32_t *h = a->rel_hist + j * EVAL_TL_BINS;
        for (size_t b = 0; b < EVAL_TL_BINS; b++) {
            uint32_t v = h[b];
            h[b] = 0;
            h[b / 2] += v;
        }
    }
    a->rel_width *= 2;
    a->rel_limit = a->rel_width * EVAL_TL_BINS;
    a->rel_scale = 1 / a->rel_width; /* a power of 2: exact */
}

void tl_acc_add(tl_acc *a, const double *releases, const double *balance)
{
    a->count += 1;
    const double bal_scale = 1 / a->bal_width;
    for (size_t j = 0; j < a->n; j++) {
        double r = releases[j] > 0 ? releases[j] : 0, b = balance[j] > 0 ? balance[j] : 0;
        a->rel_sum[j] += releases[j];
        a->bal_sum[j] += balance[j];
        double *lo = a->lo + 2 * j, *hi = a->hi + 2 * j;
        lo[0] = releases[j] < lo[0] ? releases[j] : lo[0];
        hi[0] = releases[j] > hi[0] ? releases[j] : hi[0];
        lo[1] = balance[j] < lo[1] ? balance[j] : lo[1];
        hi[1] = balance[j] > hi[1] ? balance[j] : hi[1];
        while (r >= a->rel_limit)
            widen(a);
        a->rel_hist[j * EVAL_TL_BINS + (size_t)(r * a->rel_scale)]++; /* truncation: floor of r >= 0 */
        double bb = b * bal_scale;
        a->bal_hist[j * EVAL_TL_BINS + (bb < EVAL_TL_BINS - 1 ? (size_t)bb : EVAL_TL_BINS - 1)]++;
    }
}

/* The k-th smallest value (0-based) read off a histogram: spread evenly
 * over its bin.  Release bins of width 1 hold one integer, which is exact;
 * wider ones hold the integers [b w, b w + w - 1]. */
static double order_stat(const uint32_t *h, double width, int integer, double k)
{
    double before = 0;
    for (size_t b = 0; b < EVAL_TL_BINS; b++) {
        double c = (double)h[b];
        if (c > 0 && k < before + c) {
            double pos = (k - before + 0.5) / c; /* in (0, 1) */
            return integer ? (double)b * width + (width - 1) * pos : ((double)b + pos) * width;
        }
        before += c;
    }
    return NAN;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* The quantile of GSL's gsl_stats_quantile_from_sorted_data (Hyndman and
 * Fan type 7): (1 - f) x[i] + f x[i + 1], i + f = (N - 1) p. */
static double quantile(const uint32_t *h, double width, int integer, double N, double p)
{
    if (!(N > 0))
        return NAN;
    double delta = (N - 1) * p, i = floor(delta), f = delta - i;
    double lo = order_stat(h, width, integer, i);
    return f > 0 ? (1 - f) * lo + f * order_stat(h, width, integer, i + 1) : lo;
}

void tl_free(eval_timeline *t)
{
    free(t->day);
    free(t->releases_mean);
    free(t->releases_p05);
    free(t->releases_p50);
    free(t->releases_p95);
    free(t->balance_mean);
    free(t->balance_p05);
    free(t->balance_p50);
    free(t->balance_p95);
    memset(t, 0, sizeof *t);
}

int tl_acc_finish(tl_acc *a, eval_timeline *out)
{
    memset(out, 0, sizeof *out);
    size_t n = a->n, bytes = n * sizeof(double);
    double **arrays[] = {&out->day,          &out->releases_mean, &out->releases_p05,
                         &out->releases_p50, &out->releases_p95,  &out->balance_mean,
                         &out->balance_p05,  &out->balance_p50,   &out->balance_p95};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        if (!(*arrays[i] = malloc(bytes))) {
            tl_free(out);
            return -1;
        }
    out->n = n;
    memcpy(out->day, a->day, bytes);
    const double N = a->count, ps[3] = {0.05, 0.50, 0.95};
    double *rq[3] = {out->releases_p05, out->releases_p50, out->releases_p95};
    double *bq[3] = {out->balance_p05, out->balance_p50, out->balance_p95};
    for (size_t j = 0; j < n; j++) {
        out->releases_mean[j] = N > 0 ? a->rel_sum[j] / N : NAN;
        out->balance_mean[j] = N > 0 ? a->bal_sum[j] / N : NAN;
        for (int q = 0; q < 3; q++) {
            /* within the exact extremes: exact when every replication agrees */
            rq[q][j] =
                clamp(quantile(a->rel_hist + j * EVAL_TL_BINS, a->rel_width, 1, N, ps[q]), a->lo[2 * j], a->hi[2 * j]);
            bq[q][j] = clamp(quantile(a->bal_hist + j * EVAL_TL_BINS, a->bal_width, 0, N, ps[q]), a->lo[2 * j + 1],
                             a->hi[2 * j + 1]);
        }
    }
    return 0;
}
