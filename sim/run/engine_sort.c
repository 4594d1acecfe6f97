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
    double pk = pkey(&cs[0]);
    for (size_t i = 1; i < n; i++) {
        const double ck = pkey(&cs[i]);
        if (!(pk > ck)) {
            /* cheapest_first: equal costs go by ready time (rare but for fixed bonds) */
            if (!(p == POLICY_CHEAPEST_FIRST && pk == ck && cs[i - 1].ready > cs[i].ready)) {
                pk = ck;
                continue;
            }
        }
        /* pk stays: the case before it moves up to i */
        engine_case c = cs[i];
        size_t j = i;
        do {
            cs[j] = cs[j - 1];
            j--;
        } while (j > 0 && after(&cs[j - 1], &c, p));
        cs[j] = c;
        if ((moves += i - j) > budget)
            return 0;
    }
#undef pkey
    return 1;
}

/* Stable sort of all cases on the policy key (the result of merge_sort, faster).
 * Bucket b(k) = (int)((k - lo) * scale) is nondecreasing in k (rounded
 * subtraction and multiplication are monotone) and below nb (scale =
 * (nb - 1/2) / span), so equal keys share a bucket; a counting pass, the
 * records scattered by bucket in draw order (stable), and one stable
 * insertion pass give the stable order.  Four passes, no comparator call:
 * ~30 instructions a case where (key, index) pairs sorted by insertion as
 * they were scattered, then gathered, took ~70 (callgrind, bench.ini).
 * Keys that are NaN or infinite, or all equal, take the merge sort (for NaN
 * keys, whose order is the merge sort's own); so do insertions that would
 * move many cases, bucket by bucket. */
void engine_sort_cases(engine_ws *ws, scenario_policy p)
{
    const size_t n = ws->n;
    const engine_case *cs = ws->cases;
    if (n <= 32) {
        merge_sort(ws, 0, n, p);
        return;
    }
    /* the key of case i, one load: key(i) */
    const char *base = (const char *)cs + (p == POLICY_CHEAPEST_FIRST ? offsetof(engine_case, cost)
                                                                       : offsetof(engine_case, ready));
#define key(i) (*(const double *)(const void *)(base + (i) * sizeof(engine_case)))
    /* min and max over the keys (NaN skipped), in four independent chains;
     * the sum is NaN or infinite if a key is (or, harmlessly, if the sum
     * of huge keys overflows: the merge sort then) */
    double lo0 = INFINITY, lo1 = INFINITY, hi0 = -INFINITY, hi1 = -INFINITY, sum = 0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const double a = key(i), b = key(i + 1);
        lo0 = a < lo0 ? a : lo0;
        lo1 = b < lo1 ? b : lo1;
        hi0 = a > hi0 ? a : hi0;
        hi1 = b > hi1 ? b : hi1;
        sum += a + b;
    }
    for (; i < n; i++) {
        const double a = key(i);
        lo0 = a < lo0 ? a : lo0;
        hi0 = a > hi0 ? a : hi0;
        sum += a;
    }
    const double lo = lo0 < lo1 ? lo0 : lo1, hi = hi0 > hi1 ? hi0 : hi1;
    const double span = hi - lo;
    const size_t nb = n; /* about one case per bucket */
    const double scale = ((double)nb - 0.5) / span;
    if (!isfinite(sum) || !(span > 0) || !isfinite(scale)) { /* NaN or infinite keys, all equal, a subnormal span */
        if (span == 0 && isfinite(sum) && p != POLICY_CHEAPEST_FIRST)
            return; /* equal ready times: draw order, as they are */
        merge_sort(ws, 0, n, p);
        return;
    }
    /* (k - lo) * scale <= span * scale <= (nb - 1/2)(1 + 2^-52) < nb */
    uint32_t *bk = ws->bucket, *start = ws->start;
    memset(start, 0, nb * sizeof *start);
    for (i = 0; i < n; i++) {
        const uint32_t b = (uint32_t)(int32_t)((key(i) - lo) * scale);
        bk[i] = b;
        start[b]++;
    }
#undef key
    uint32_t sofar = 0; /* start[b]: the start of bucket b */
    for (size_t b = 0; b < nb; b++) {
        const uint32_t c = start[b];
        start[b] = sofar;
        sofar += c;
    }
    engine_case *out = ws->tmp;
    for (i = 0; i < n; i++) /* now start[b] is bucket b's next free slot */
        out[start[bk[i]]++] = cs[i];
    /* and now the end of bucket b */
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
        const size_t to = start[b];
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
