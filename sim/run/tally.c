/* tally: exact distributions of integer samples (tally.h). */
#include "tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"

/* Integers that a double holds exactly, and int64_t too (not -0, whose
 * sign a count would lose). */
static int is_count(double x) { return x == floor(x) && fabs(x) < 0x1p53 && !(x == 0 && signbit(x)); }

static int raw_push(tally *t, double x)
{
    if (t->n >= t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        double *nb = realloc(t->raw, cap * sizeof *nb);
        if (!nb)
            return -1;
        t->raw = nb;
        t->cap = cap;
    }
    t->raw[t->n++] = x;
    t->sorted = 0;
    return 0;
}

/* From counts to the values they stand for (ascending), for good. */
static int to_raw(tally *t)
{
    size_t cap = t->n + t->n / 2 + 1024;
    double *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    size_t j = 0;
    for (size_t b = 0; b < t->span; b++)
        for (uint64_t m = 0; m < t->count[b]; m++)
            v[j++] = (double)(t->lo + (int64_t)b);
    free(t->count);
    t->count = NULL;
    t->span = 0;
    t->raw = v;
    t->cap = cap;
    t->raw_mode = t->sorted = 1;
    return 0;
}

/* Makes room for value x in the counts, or sets *wide when the span
 * would exceed max(TALLY_MIN_SPAN, 2 n): then the values are fewer. */
static int grow(tally *t, int64_t x, int *wide)
{
    const int64_t old_hi = t->lo + (int64_t)t->span - 1;
    const int64_t lo = t->span && t->lo < x ? t->lo : x, hi = t->span && old_hi > x ? old_hi : x;
    uint64_t need = (uint64_t)(hi - lo) + 1, limit = 2 * (t->n + 1);
    if (limit < TALLY_MIN_SPAN)
        limit = TALLY_MIN_SPAN;
    if ((*wide = need > limit))
        return 0;
    /* at least double, the room on the side that grew (both for the first) */
    uint64_t span = need + 16 > 2 * t->span ? need + 16 : 2 * t->span;
    if (span > limit)
        span = limit;
    int64_t nlo = !t->span ? x - (int64_t)span / 2 : x < t->lo ? hi - (int64_t)span + 1 : lo;
    uint64_t *c = calloc(span, sizeof *c);
    if (!c)
        return -1;
    if (t->span)
        memcpy(c + (t->lo - nlo), t->count, t->span * sizeof *c);
    free(t->count);
    t->count = c;
    t->lo = nlo;
    t->span = span;
    return 0;
}

int tally_add(tally *t, double x)
{
    if (t->raw_mode)
        return raw_push(t, x);
    if (!is_count(x))
        return to_raw(t) ? -1 : raw_push(t, x);
    int64_t v = (int64_t)x;
    if (!t->span || v < t->lo || v >= t->lo + (int64_t)t->span) {
        int wide = 0;
        if (grow(t, v, &wide))
            return -1;
        if (wide)
            return to_raw(t) ? -1 : raw_push(t, x);
    }
    t->count[v - t->lo]++;
    t->n++;
    return 0;
}

void tally_seal(tally *t)
{
    if (t->raw_mode && !t->sorted) {
        qsort(t->raw, t->n, sizeof *t->raw, fz_cmp_double);
        t->sorted = 1;
    }
}

void tally_free(tally *t)
{
    free(t->count);
    free(t->raw);
    memset(t, 0, sizeof *t);
}

size_t tally_bytes(const tally *t) { return t->span * sizeof *t->count + t->cap * sizeof *t->raw; }

int tally_next(const tally *t, size_t *pos, double *value, uint64_t *count)
{
    if (t->raw_mode) {
        if (*pos >= t->n)
            return 0;
        size_t j = *pos;
        while (j < t->n && t->raw[j] == t->raw[*pos])
            j++;
        *value = t->raw[*pos];
        *count = j - *pos;
        *pos = j;
        return 1;
    }
    while (*pos < t->span && !t->count[*pos])
        ++*pos;
    if (*pos >= t->span)
        return 0;
    *value = (double)(t->lo + (int64_t)*pos);
    *count = t->count[*pos];
    ++*pos;
    return 1;
}

/* A sealed view of t: t itself, or a sorted copy of an unsealed raw tally. */
static const tally *sealed(const tally *t, tally *copy)
{
    if (!t->raw_mode || t->sorted)
        return t;
    *copy = *t;
    copy->raw = malloc((t->n ? t->n : 1) * sizeof *copy->raw);
    if (!copy->raw)
        return NULL;
    memcpy(copy->raw, t->raw, t->n * sizeof *copy->raw);
    copy->sorted = 0;
    tally_seal(copy);
    return copy;
}

static double at_sealed(const tally *t, uint64_t i)
{
    if (i >= t->n)
        return NAN;
    if (t->raw_mode)
        return t->raw[i];
    uint64_t seen = 0;
    for (size_t b = 0; b < t->span; b++)
        if ((seen += t->count[b]) > i)
            return (double)(t->lo + (int64_t)b);
    return NAN;
}

double tally_at(const tally *t, uint64_t i)
{
    tally copy = {0};
    const tally *s = sealed(t, &copy);
    double v = s ? at_sealed(s, i) : NAN;
    free(copy.raw);
    return v;
}

double tally_quantile(const tally *t, double p)
{
    if (t->n == 0)
        return NAN;
    tally copy = {0};
    const tally *s = sealed(t, &copy);
    if (!s)
        return NAN;
    /* gsl_stats_quantile_from_sorted_data (GSL 2.x statistics/quantiles_source.c), term by term */
    const size_t n = (size_t)t->n;
    const double index = p * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    const double delta = index - (double)lhs;
    double r = lhs == n - 1 ? at_sealed(s, lhs) : (1 - delta) * at_sealed(s, lhs) + delta * at_sealed(s, lhs + 1);
    free(copy.raw);
    return r;
}

double tally_cvar(const tally *t, double alpha)
{
    if (t->n == 0)
        return NAN;
    tally copy = {0};
    const tally *s = sealed(t, &copy);
    if (!s)
        return NAN;
    const uint64_t n = t->n;
    double an = alpha * (double)n, sum = 0, v;
    uint64_t k = (uint64_t)floor(an), m, seen = 0;
    if (k > n)
        k = n;
    size_t pos = 0;
    /* integers sum exactly in any grouping below 2^53: v * m is the sum of
     * m copies; raw values come one run at a time, each added in order */
    while (seen < k && tally_next(s, &pos, &v, &m)) {
        uint64_t take = m < k - seen ? m : k - seen;
        if (s->raw_mode)
            for (uint64_t j = 0; j < take; j++)
                sum += v;
        else
            sum += v * (double)take;
        seen += take;
    }
    if (an > (double)k && k < n)
        sum += (an - (double)k) * at_sealed(s, k);
    free(copy.raw);
    return sum / an;
}
