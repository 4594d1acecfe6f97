/* tally: the exact distribution of a sample, in constant memory when its
 * values are integers (releases per replication).
 *
 * Percentiles, CVaR and histograms of per-replication totals need the
 * sample's sorted values, not its order: a count per integer value gives
 * them exactly (the same doubles as sorting the sample) in memory that
 * depends on the range of the values, not on their number.  A value that
 * is not an integer (or a range wider than max(TALLY_MIN_SPAN, 2 n)
 * values) turns the tally into a plain array of the values, so results
 * stay exact whatever is added; the memory then grows as the sample does.
 *
 * Ownership: a zeroed tally is empty; tally_free releases its memory. */
#ifndef FZ_TALLY_H
#define FZ_TALLY_H

#include <stddef.h>
#include <stdint.h>

#define TALLY_MIN_SPAN 4096

typedef struct tally {
    uint64_t n;      /* values added */
    int64_t lo;      /* the value counted in count[0] */
    size_t span;     /* entries of count (values lo .. lo + span - 1) */
    uint64_t *count; /* NULL once raw */
    double *raw;     /* the values, when not all integers in a moderate range */
    size_t cap;
    int raw_mode, sorted;
} tally;

/* Adds x; 0, or -1 when out of memory (the tally is then unchanged). */
int tally_add(tally *t, double x);

/* Sorts a raw tally's values (queries on an unsorted one sort a copy). */
void tally_seal(tally *t);

void tally_free(tally *t);

/* Bytes the tally holds. */
size_t tally_bytes(const tally *t);

/* Runs of equal values in ascending order: start with *pos = 0; each call
 * gives the next value and how many times it occurs, and returns 0 at the
 * end.  The tally must be sealed when raw. */
int tally_next(const tally *t, size_t *pos, double *value, uint64_t *count);

/* The i-th smallest value (0-based; NAN when i >= n). */
double tally_at(const tally *t, uint64_t i);

/* Quantile p, linear interpolation between order statistics (Hyndman &
 * Fan definition 7): the same double as stat_quantile_sorted on the
 * sorted values (gsl_stats_quantile_from_sorted_data).  NAN when empty. */
double tally_quantile(const tally *t, double p);

/* The lower-tail CVaR of split_cvar (models/split.h): with k = floor(alpha n),
 * (x_(1) + ... + x_(k) + (alpha n - k) x_(k+1)) / (alpha n), summed in
 * ascending order: the same double as split_cvar.  NAN when empty. */
double tally_cvar(const tally *t, double alpha);

#endif
