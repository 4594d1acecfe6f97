/* engine_sort: the engine's two sorts (engine_int.h), split from engine.c.
 * The policy's order of the fundable cases (engine_sort_cases) and the
 * ledger's ready-then-draw order; both stable and exact, as the qsort and
 * merge sort they replace (issue 16).  In their own translation unit they
 * are never inlined into draw_region's person loop, which GCC 12 made 20%
 * longer when they were (issue 16). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* The policy key at byte offset off of a case. */
#define KEY(c, off) (*(const double *)(const void *)((const char *)(c) + (off)))

/* The policy's key is the cost for cheapest_first, the ready time for
 * first_come.  Buckets use it alone; cheapest_first breaks equal costs by
 * the earlier ready time (DESIGN §7), and the sorts are stable, so draw
 * order breaks what remains. */

/* a goes strictly after b in policy order. */
static inline int after(const engine_case *a, const engine_case *b, scenario_policy p)
{
    if (p != POLICY_CHEAPEST_FIRST)
        return a->ready > b->ready;
    return a->cost > b->cost || (a->cost == b->cost && a->ready > b->ready);
}

/* Stable insertion sort of cs[lo .. hi): for short runs, and for runs that
 * are nearly in order (every case close to its place). */
static void insertion_sort(engine_case *cs, size_t lo, size_t hi, scenario_policy p)
{
    for (size_t i = lo + 1; i < hi; i++) {
        if (!after(&cs[i - 1], &cs[i], p))
            continue;
        engine_case c = cs[i];
        size_t j = i;
        do {
            cs[j] = cs[j - 1];
            j--;
        } while (j > lo && after(&cs[j - 1], &c, p));
        cs[j] = c;
    }
}

static void merge_sort(engine_ws *ws, size_t lo, size_t hi, scenario_policy p)
{
    engine_case *cs = ws->cases, *tmp = ws->tmp;
    if (hi - lo < 2)
        return;
    if (hi - lo <= 16) {
        insertion_sort(cs, lo, hi, p);
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    merge_sort(ws, lo, mid, p);
    merge_sort(ws, mid, hi, p);
    if (!after(&cs[mid - 1], &cs[mid], p))
        return;
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        int take_right = after(&cs[i], &cs[j], p);
        tmp[k++] = cs[take_right ? j++ : i++];
    }
    for (; i < mid; i++, k++)
        tmp[k] = cs[i];
    for (; j < hi; j++, k++)
        tmp[k] = cs[j];
    memcpy(cs + lo, tmp + lo, (hi - lo) * sizeof *cs);
}

/* The bit pattern of x: nondecreasing in x for x > 0. */
static inline uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* The insertion pass over cs[0 .. n), scattered by bucket: stable, so each
 * case moves only past the dearer (later) cases of its own bucket.  pk
 * keeps the key of the last case in order, one load a case.  Gives up (0)
 * past `budget` moves (a large bucket of distinct keys, or a long run of
 * equal costs with ready times out of order); cs is then still a
 * permutation with equal cases in draw order.  Inlined once per policy. */
__attribute__((always_inline)) static inline int insert_pass(engine_case *cs, size_t n, size_t budget,
                                                             scenario_policy p)
{
    const size_t off = p == POLICY_CHEAPEST_FIRST ? offsetof(engine_case, cost) : offsetof(engine_case, ready);
#define pkey(c) (*(const double *)(const void *)((const char *)(c) + off))
    size_t moves = 0;
    double pk = pkey(cs);
    for (engine_case *q = cs + 1, *end = cs + n; q < end; q++) {
        const double ck = pkey(q);
        if (pk < ck) { /* the usual case: a later bucket, or in order */
            pk = ck;
            continue;
        }
        if (!(pk > ck) && !(p == POLICY_CHEAPEST_FIRST && q[-1].ready > q->ready))
            continue; /* an equal key in order (pk stays: it is ck) */
        /* pk stays: the case before q moves up to q */
        engine_case c = *q, *j = q;
        do {
            j[0] = j[-1];
            j--;
        } while (j > cs && after(j - 1, &c, p));
        *j = c;
        if ((moves += (size_t)(q - j)) > budget)
            return 0;
    }
#undef pkey
    return 1;
}

/* Stable sort of all cases on the policy key (the result of merge_sort, faster).
 * Any bucket index nondecreasing in the key and below nb will do (equal
 * keys share a bucket): a counting pass, the records scattered by bucket
 * in draw order (stable), and one stable insertion pass give the stable
 * order, whatever the index.  It is linear, (int)((k - lo) * scale)
 * (rounded subtraction and multiplication are monotone; scale = (nb - 1/2)
 * / span keeps it below nb), or linear in the key's bit pattern, whichever
 * spreads the keys more evenly (fewer insertions).  No pairs to gather, no
 * comparator call: ~47 instructions a case on bench.ini where (key, index)
 * pairs sorted as they were scattered, then gathered, took ~70 (callgrind,
 * issue 16).  Keys that are NaN or infinite, or all equal, take the merge
 * sort (for NaN keys, whose order is the merge sort's own); so do
 * insertions that would move many cases, bucket by bucket.  The bucket
 * cursors (pointers) live in ws->gsum, first_come's grid scratch, unused
 * until the sort is done. */
/* The keys' range and sum, over independent chains (a NaN key may end in
 * lo or hi, and is caught by the sum: NaN or infinite if a key is or,
 * harmlessly, if the sum of huge keys overflows: the merge sort then). */
static inline void key_range(const engine_case *cs, size_t n, size_t off, double *lo, double *hi, double *sum)
{
    const engine_case *q = cs, *end = cs + n;
    double lo0 = INFINITY, lo1 = INFINITY, hi0 = -INFINITY, hi1 = -INFINITY, sum0 = 0, sum1 = 0;
    for (; q + 2 <= end; q += 2) {
        const double a = KEY(q, off), b = KEY(q + 1, off);
        lo0 = lo0 < a ? lo0 : a;
        lo1 = lo1 < b ? lo1 : b;
        hi0 = hi0 > a ? hi0 : a;
        hi1 = hi1 > b ? hi1 : b;
        sum0 += a;
        sum1 += b;
    }
    if (q < end) {
        const double a = KEY(q, off);
        lo0 = lo0 < a ? lo0 : a;
        hi0 = hi0 > a ? hi0 : a;
        sum0 += a;
    }
    *lo = lo0 < lo1 ? lo0 : lo1, *hi = hi0 > hi1 ? hi0 : hi1, *sum = sum0 + sum1;
}

/* Each case's bucket into bk and the bucket sizes into cnt (zeroed), on
 * the key's bit pattern (on_bits) or linear in the key. */
static inline void bucket_of(const engine_case *cs, size_t n, size_t off, size_t nb, int on_bits, double lo,
                             double hi, double scale, uint32_t *bk, uint32_t *cnt)
{
    const engine_case *q = cs, *end = cs + n;
    uint32_t *bq = bk;
    memset(cnt, 0, nb * sizeof *cnt);
    if (on_bits) {
        /* b = ((x - xl) >> sh) * m >> 32 < nb: (x - xl) >> sh <= r < 2^32 and r m < nb 2^32 */
        const uint64_t xl = dbits(lo), xh = dbits(hi);
        unsigned sh = 0;
        while ((xh - xl) >> sh >= (1ull << 32))
            sh++;
        const uint64_t r = (xh - xl) >> sh, m = ((uint64_t)nb << 32) / (r + 1);
        for (; q + 2 <= end; q += 2, bq += 2) {
            const uint64_t b0 = (((dbits(KEY(q, off)) - xl) >> sh) * m) >> 32;
            const uint64_t b1 = (((dbits(KEY(q + 1, off)) - xl) >> sh) * m) >> 32;
            bq[0] = (uint32_t)b0;
            bq[1] = (uint32_t)b1;
            cnt[b0]++;
            cnt[b1]++;
        }
        if (q < end) {
            const uint64_t b0 = (((dbits(KEY(q, off)) - xl) >> sh) * m) >> 32;
            bq[0] = (uint32_t)b0;
            cnt[b0]++;
        }
        return;
    }
    /* (k - lo) * scale <= span * scale <= (nb - 1/2)(1 + 2^-52) < nb */
    for (; q + 2 <= end; q += 2, bq += 2) {
        const uint64_t b0 = (uint64_t)(int64_t)((KEY(q, off) - lo) * scale);
        const uint64_t b1 = (uint64_t)(int64_t)((KEY(q + 1, off) - lo) * scale);
        bq[0] = (uint32_t)b0;
        bq[1] = (uint32_t)b1;
        cnt[b0]++;
        cnt[b1]++;
    }
    if (q < end) {
        const uint64_t b0 = (uint64_t)(int64_t)((KEY(q, off) - lo) * scale);
        bq[0] = (uint32_t)b0;
        cnt[b0]++;
    }
}

/* The cases into out by bucket, in draw order within each; cur[b] ends as
 * the end of bucket b. */
static inline void scatter(const engine_case *cs, size_t n, const uint32_t *bk, const uint32_t *cnt, size_t nb,
                           engine_case *out, engine_case **cur)
{
    engine_case *at = out;
    size_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        cur[b] = at;
        at += cnt[b];
        cur[b + 1] = at;
        at += cnt[b + 1];
    }
    if (b < nb)
        cur[b] = at;
    const engine_case *q = cs, *end = cs + n;
    const uint32_t *bq = bk;
    for (; q + 2 <= end; q += 2, bq += 2) {
        *cur[bq[0]]++ = q[0];
        *cur[bq[1]]++ = q[1];
    }
    if (q < end)
        *cur[*bq]++ = *q;
}

void engine_sort_cases(engine_ws *ws, scenario_policy p)
{
    const size_t n = ws->n;
    const engine_case *cs = ws->cases;
    if (n <= 32) {
        merge_sort(ws, 0, n, p);
        return;
    }
    const size_t off = p == POLICY_CHEAPEST_FIRST ? offsetof(engine_case, cost) : offsetof(engine_case, ready);
    double lo, hi, sum;
    key_range(cs, n, off, &lo, &hi, &sum);
    const double span = hi - lo;
    const size_t nb = n; /* about one case per bucket */
    const double scale = ((double)nb - 0.5) / span;
    if (!isfinite(sum) || !(span > 0) || !isfinite(scale)) { /* NaN or infinite keys, all equal, a subnormal span */
        if (span == 0 && isfinite(sum) && p != POLICY_CHEAPEST_FIRST)
            return; /* equal ready times: draw order, as they are */
        merge_sort(ws, 0, n, p);
        return;
    }
    /* Buckets linear in the key, or in its bit pattern when that spreads
     * the keys more evenly: for positive doubles the bits are nondecreasing
     * in the value and nearly its logarithm, which suits cheapest_first's
     * lognormal costs (bench.ini's North: a third fewer cases out of order
     * in their bucket); the mean's place on each scale tells which is the
     * more even (the one that puts it nearer the middle). */
    int on_bits = 0;
    if (lo > 0) {
        double mean = sum / (double)n;
        mean = mean < lo ? lo : mean > hi ? hi : mean; /* rounding */
        const double at_lin = (mean - lo) / span,
                     at_bits = (double)(dbits(mean) - dbits(lo)) / (double)(dbits(hi) - dbits(lo));
        on_bits = fabs(at_bits - 0.5) < fabs(at_lin - 0.5);
    }
    uint32_t *bk = ws->bucket, *cnt = ws->start;
    bucket_of(cs, n, off, nb, on_bits, lo, hi, scale, bk, cnt);
    /* cur[b]: where bucket b's next case goes (its start, to begin with) */
    engine_case *out = ws->tmp, **cur = (engine_case **)(void *)ws->gsum;
    scatter(cs, n, bk, cnt, nb, out, cur);
    ws->tmp = ws->cases;
    ws->cases = out;
    const size_t budget = 8 * n;
    if (p == POLICY_CHEAPEST_FIRST ? insert_pass(out, n, budget, POLICY_CHEAPEST_FIRST)
                                   : insert_pass(out, n, budget, POLICY_FIRST_COME))
        return;
    /* a large bucket to sort: each bucket on its own (a case never leaves
     * its bucket, and equal cases are still in draw order) */
    size_t from = 0;
    for (size_t b = 0; b < nb; b++) {
        const size_t to = (size_t)(cur[b] - out);
        if (to - from > 16)
            merge_sort(ws, from, to, p);
        else
            insertion_sort(out, from, to, p);
        from = to;
    }
}

/* Ready order, then draw order (ids are unique: a total order). */
static int cmp_lcase(const void *pa, const void *pb)
{
    const engine_lcase *a = pa, *b = pb;
    if (a->ready != b->ready)
        return a->ready < b->ready ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The ledger's cases in ready then draw order: what qsort with cmp_lcase
 * gives (a total order, so one answer), from a stable sort of compact
 * (ready, draw index) pairs instead of 72-byte records through a
 * comparator (issue 16; qsort_r was 22% of a ledger draw).  As sort_cases:
 * a bucket index nondecreasing in ready, a stable scatter in draw order
 * (ids are the draw order: push_lcase), one insertion pass, then the
 * records moved once.  Keys that are not finite, or an insertion pass that
 * would be long (a large bucket of distinct keys), take qsort. */
void engine_sort_lcases(engine_ws *ws)
{
    const size_t n = ws->ln;
    engine_lcase *cs = ws->lcases;
    double lo = INFINITY, hi = -INFINITY;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        lo = cs[i].ready < lo ? cs[i].ready : lo;
        hi = cs[i].ready > hi ? cs[i].ready : hi;
        sorted &= i == 0 || !(cs[i - 1].ready > cs[i].ready);
    }
    if (sorted && isfinite(hi - lo))
        return;
    double span = hi - lo;
    if (!isfinite(span) || !(span > 0)) {
        qsort(cs, n, sizeof *cs, cmp_lcase);
        return;
    }
    struct lkey *k = ws->lkey;
    if (n <= 32) { /* a few: insertion from draw order */
        for (size_t i = 0; i < n; i++)
            k[i] = (struct lkey){cs[i].ready, (uint32_t)i};
    } else {
        const double scale = (double)n / span;
        uint32_t *bk = ws->lbucket, *start = ws->lstart;
        memset(start, 0, (n + 1) * sizeof *start);
        for (size_t i = 0; i < n; i++) {
            size_t b = (size_t)((cs[i].ready - lo) * scale);
            b = b < n ? b : n - 1;
            bk[i] = (uint32_t)b;
            start[b + 1]++;
        }
        for (size_t b = 0; b < n; b++)
            start[b + 1] += start[b];
        for (size_t i = 0; i < n; i++)
            k[start[bk[i]]++] = (struct lkey){cs[i].ready, (uint32_t)i};
    }
    /* stable insertion: a key never moves past its bucket's start (equal
     * keys, however many, do not move); too many moves (a large bucket of
     * distinct keys) and qsort does it instead, cs being still untouched */
    size_t moves = 0, budget = 16 * n + 1024;
    for (size_t i = 1; i < n; i++) {
        if (!(k[i - 1].ready > k[i].ready))
            continue;
        struct lkey c = k[i];
        size_t j = i;
        do {
            k[j] = k[j - 1];
            j--;
        } while (j > 0 && k[j - 1].ready > c.ready);
        k[j] = c;
        if ((moves += i - j) > budget) {
            qsort(cs, n, sizeof *cs, cmp_lcase);
            return;
        }
    }
    engine_lcase *out = ws->ltmp;
    for (size_t i = 0; i < n; i++)
        out[i] = cs[k[i].i];
    ws->ltmp = cs;
    ws->lcases = out;
}
