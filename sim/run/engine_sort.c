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

/* A case's place in the sort: its key and draw index, 16 bytes where the
 * records are 32 (issue 16: "sort compact keys"). */
struct skey {
    double k;
    uint32_t i;
};

/* cheapest_first's equal costs by ready time, each run of equal keys
 * stably (so draw order breaks what remains): with k stably sorted on the
 * cost, this gives the stable order on (cost, ready) that after() defines.
 * Gives up (0) past `budget` moves: a long run of equal costs (a fixed
 * bond) in ready times out of order is the merge sort's. */
static int ties_by_ready(struct skey *k, size_t n, const engine_case *cs, size_t budget)
{
    size_t moves = 0;
    for (size_t a = 1; a < n; a++) {
        if (!(k[a - 1].k == k[a].k))
            continue;
        size_t lo = a - 1, hi = a + 1;
        while (hi < n && k[hi].k == k[lo].k)
            hi++;
        for (size_t i = lo + 1; i < hi; i++) {
            struct skey c = k[i];
            const double r = cs[c.i].ready;
            size_t j = i;
            while (j > lo && cs[k[j - 1].i].ready > r) {
                k[j] = k[j - 1];
                j--;
            }
            k[j] = c;
            if ((moves += i - j) > budget)
                return 0;
        }
        a = hi;
    }
    return 1;
}

/* The bucket path with records instead of pairs: each bucket sorted on its
 * own (merge_sort for large ones).  start[b]: the start of bucket b. */
static void sort_buckets(engine_ws *ws, scenario_policy p, size_t nb)
{
    const size_t n = ws->n;
    engine_case *cs = ws->cases, *out = ws->tmp;
    uint32_t *bk = ws->bucket, *start = ws->start;
    for (size_t i = 0; i < n; i++) /* start[b]: next free slot of bucket b */
        out[start[bk[i]]++] = cs[i];
    /* now start[b] is the end of bucket b */
    ws->tmp = cs;
    ws->cases = out;
    size_t from = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t to = start[b];
        if (to - from > 16)
            merge_sort(ws, from, to, p);
        else
            insertion_sort(out, from, to, p);
        from = to;
    }
}

/* Stable sort of all cases on the policy key (the result of merge_sort, faster).
 * Bucket b(k) = min(nb - 1, (size_t)((k - lo) * scale)) is nondecreasing in k
 * (rounded subtraction and multiplication are monotone), so scattering the
 * cases by bucket in draw order and then sorting stably gives the stable
 * order, with few moves.  What is scattered and sorted is (key, index)
 * pairs, on the key alone (cheapest_first's equal costs then go by ready
 * time: ties_by_ready), and the records move once, at the end (issue 16:
 * compact keys); the pairs live in ws->gsum, first_come's grid scratch,
 * unused until the sort is done (20 n of its 24 (n + 1) bytes with the
 * bucket cursors).  Insertions that would move many pairs (a large bucket
 * of distinct keys) give way to sorting each bucket of records, and keys
 * that are NaN or infinite, or all equal, take the merge sort. */
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
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double k = key(i);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    double span = hi - lo;
    if (!isfinite(span) || !(span > 0)) { /* infinite or NaN keys, or every key equal */
        if (span == 0 && p != POLICY_CHEAPEST_FIRST)
            return; /* equal ready times: draw order, as they are (NaN ones take the merge sort) */
        merge_sort(ws, 0, n, p);
        return;
    }
    const size_t nb = n; /* about one case per bucket */
    const double scale = (double)nb / span, top = (double)nb;
    uint32_t *bk = ws->bucket, *start = ws->start;
    memset(start, 0, (nb + 1) * sizeof *start);
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (key(i) - lo) * scale;
        size_t b;
        if (d < top) /* the largest key may round to nb; a NaN one lands here too */
            b = (size_t)d;
        else {
            b = nb - 1;
            nan |= !(d == d);
        }
        bk[i] = (uint32_t)b;
        start[b + 1]++;
    }
    if (nan) { /* lo and hi skip NaN keys */
        merge_sort(ws, 0, n, p);
        return;
    }
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    /* each pair goes into its bucket (start[b]: where bucket b begins) at
     * its place among the pairs there before it, which came earlier in
     * draw order: a stable insertion within the bucket; nxt[b], bucket b's
     * next free slot, lives in gsum after the pairs (n + 1 of the 2 n + 6
     * uint32 there) */
    struct skey *k = (struct skey *)(void *)ws->gsum;
    uint32_t *nxt = (uint32_t *)(void *)(k + n);
    memcpy(nxt, start, nb * sizeof *nxt);
    size_t moves = 0, budget = 8 * n;
    int ties = 0;
    for (size_t i = 0; i < n; i++) {
        const size_t b = bk[i], beg = start[b];
        const double c = key(i);
        size_t j = nxt[b]++;
        if (j > beg && k[j - 1].k > c) {
            do {
                k[j] = k[j - 1];
                j--;
            } while (j > beg && k[j - 1].k > c);
            if ((moves += nxt[b] - 1 - j) > budget) { /* a large bucket of distinct keys */
                sort_buckets(ws, p, nb);
                return;
            }
        }
        k[j] = (struct skey){c, (uint32_t)i};
        ties |= j > beg && k[j - 1].k == c;
    }
#undef key
    if (ties && p == POLICY_CHEAPEST_FIRST && !ties_by_ready(k, n, cs, budget - moves)) {
        sort_buckets(ws, p, nb); /* the records are untouched, start[] still the bucket starts */
        return;
    }
    engine_case *out = ws->tmp;
    for (size_t i = 0; i < n; i++)
        out[i] = cs[k[i].i];
    ws->tmp = ws->cases;
    ws->cases = out;
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
