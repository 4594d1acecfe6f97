/* fianza fit --bins: fit the scenario families to a binned table (a
 * published table of counts or shares per range), rank them and print the
 * line to paste into a scenario (docs/fit.md, "Binned tables").
 *
 *   fianza fit DATA.csv --bins LOW_COL,HIGH_COL --count COL
 *   fianza fit DATA.csv --bins LOW_COL,HIGH_COL --share COL --n N
 *
 * One row per bin: its lower and upper edge (an empty upper edge: open, the
 * top bin) and its count, or its share of N observations (counts = share /
 * sum of shares x N).  Shares need --n: without a sample size there is no
 * standard error and no test, and every one printed scales with it.
 * Upper edges written inclusively in whole units (1,500-2,499 then
 * 2,500-4,999) are read as the next bin's lower edge, so the bins tile the
 * line.  A zero-width bin (TRAC's "0-0": release without bond) is a point
 * mass no continuous family can give probability: it is left out and
 * reported, as are bins wholly below --min or above --max; a bin that
 * straddles --min or --max is an error (the table cannot say how much of it
 * lies inside).  Every refusal of the table names FILE:LINE.
 *
 * The fit itself is models/fit_binned.c.  Writes DIR (-o, default
 * results/CSV_NAME): summary.json, fit_bins.csv (observed and fitted share
 * per family and bin), the fit_bins chart and report.html. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "cmds.h"
#include "csvcol.h"
#include "dist.h"
#include "fit.h"
#include "plot.h"
#include "summary.h"
#include "cmd_fit_binned.h"
#include "cmd_fit_util.h"


static int options(binned_run *r, const cli_opts *o, fz_error *err)
{
    if (!o->bins)
        return fz_fail(err, FZ_EINPUT, "--%s: a binned table also needs --bins LOW_COL,HIGH_COL (its edges' columns)",
                       o->count_column ? "count" : o->share_column ? "share" : "n");
    if (o->column)
        return fz_fail(err, FZ_EINPUT, "--column and --bins: fit raw values (--column) or a binned table (--bins), "
                                       "not both");
    const char *comma = strchr(o->bins, ',');
    if (!comma || comma == o->bins || !comma[1] || strchr(comma + 1, ',') || strlen(o->bins) >= sizeof r->low_col)
        return fz_fail(err, FZ_EINPUT, "--bins %s: expected LOW_COL,HIGH_COL (two column names)", o->bins);
    snprintf(r->low_col, sizeof r->low_col, "%.*s", (int)(comma - o->bins), o->bins);
    snprintf(r->high_col, sizeof r->high_col, "%s", comma + 1);
    if (!o->count_column == !o->share_column)
        return fz_fail(err, FZ_EINPUT,
                       o->count_column ? "--count and --share: give one (counts, or shares of --n observations)"
                                       : "--bins: expected --count COL (counts per bin) or --share COL --n N "
                                         "(shares of N observations)");
    if (o->share_column && !o->fit_n)
        return fz_fail(err, FZ_EINPUT,
                       "--share %s: expected --n N as well, the number of observations the shares are of "
                       "(standard errors and the chi-square test depend on it)",
                       o->share_column);
    if (o->count_column && o->fit_n)
        return fz_fail(err, FZ_EINPUT, "--n %ld: applies to --share only (the counts give the sample size)",
                       o->fit_n);
    int rc = cmd_fit_range(o, &r->opt, err);
    if (rc)
        return rc;
    r->path = o->scenario_path;
    r->shares = o->share_column != NULL;
    r->count_col = r->shares ? o->share_column : o->count_column;
    r->n_given = o->fit_n;
    return 0;
}

/* The three columns, aligned by line: a row needs its lower edge and its
 * count; an empty upper edge makes it open.  Rows in file order in *rows. */
static int read_rows(binned_run *r, fit_bin **rows, long **lines, fz_error *err)
{
    csvcol lo = {0}, hi = {0}, ct = {0};
    int rc = csvcol_read_flags(&lo, r->path, r->low_col, CSVCOL_LINES, err);
    if (!rc)
        rc = csvcol_read_flags(&hi, r->path, r->high_col, CSVCOL_LINES, err);
    if (!rc)
        rc = csvcol_read_flags(&ct, r->path, r->count_col, CSVCOL_LINES, err);
    if (!rc && lo.n == 0)
        rc = fz_fail(err, FZ_EINPUT, "%s:%ld: no bins: column '%s' holds no numbers", r->path,
                     lo.first_empty_line ? lo.first_empty_line : 1, r->low_col);
    if (!rc && lo.n > MAX_BINS)
        rc = fz_fail(err, FZ_EINPUT, "%s:%ld: more than %d bins: the limit", r->path, lo.lines[MAX_BINS], MAX_BINS);
    if (!rc && (!(*rows = malloc(lo.n * sizeof **rows)) || !(*lines = malloc(lo.n * sizeof **lines))))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    size_t ih = 0, ic = 0;
    for (size_t i = 0; !rc && i < lo.n; i++) {
        long line = lo.lines[i];
        long stray = ih < hi.n && hi.lines[ih] < line ? hi.lines[ih] : 0;
        if (ic < ct.n && ct.lines[ic] < line && (!stray || ct.lines[ic] < stray))
            stray = ct.lines[ic];
        if (stray)
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s' is empty: every bin needs its lower edge", r->path,
                         stray, r->low_col);
        else if (ic >= ct.n || ct.lines[ic] != line)
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s' is empty: every bin needs its %s", r->path, line,
                         r->count_col, r->shares ? "share" : "count");
        else {
            (*rows)[i].lo = lo.values[i];
            (*rows)[i].hi = ih < hi.n && hi.lines[ih] == line ? hi.values[ih++] : INFINITY;
            (*rows)[i].count = ct.values[ic++];
            (*lines)[i] = line;
        }
    }
    if (!rc && (ih < hi.n || ic < ct.n))
        rc = fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s' is empty: every bin needs its lower edge", r->path,
                     ih < hi.n ? hi.lines[ih] : ct.lines[ic], r->low_col);
    if (!rc)
        r->nrows = lo.n;
    csvcol_free(&lo);
    csvcol_free(&hi);
    csvcol_free(&ct);
    return rc;
}

/* Row by row: counts and shares, edges, order and overlap. */
static int check_rows(binned_run *r, const fit_bin *b, const long *line, int has_min, fz_error *err)
{
    const char *what = r->shares ? "share" : "count";
    r->share_sum = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        if (b[i].count < 0 || (r->shares && b[i].count > 1))
            return fz_fail(err, FZ_EINPUT, "%s:%ld: column '%s': %g: expected a %s %s", r->path, line[i], r->count_col,
                           b[i].count, what, r->shares ? "from 0 to 1" : ">= 0");
        if (b[i].hi < b[i].lo)
            return fz_fail(err, FZ_EINPUT, "%s:%ld: upper edge %g ('%s') is below the lower edge %g ('%s')", r->path,
                           line[i], b[i].hi, r->high_col, b[i].lo, r->low_col);
        if (b[i].lo < 0 && !has_min)
            return fz_fail(err, FZ_EINPUT,
                           "%s:%ld: lower edge %g is negative: amounts and durations are non-negative (pass --min "
                           "to fit only the bins above it)",
                           r->path, line[i], b[i].lo);
        if (i > 0 && b[i].lo < b[i - 1].lo)
            return fz_fail(err, FZ_EINPUT, "%s:%ld: bins not sorted: lower edge %g comes after %g (line %ld); sort "
                           "the rows by lower edge", r->path, line[i], b[i].lo, b[i - 1].lo, line[i - 1]);
        if (i > 0 && b[i].lo < b[i - 1].hi)
            return fz_fail(err, FZ_EINPUT, "%s:%ld: bin [%g, %g] overlaps the bin on line %ld [%g, %g]%s", r->path,
                           line[i], b[i].lo, b[i].hi, line[i - 1], b[i - 1].lo, b[i - 1].hi,
                           isinf(b[i - 1].hi) ? " (an open bin must be the last)" : "");
        r->share_sum += b[i].count;
    }
    if (r->shares && fabs(r->share_sum - 1) > 0.02)
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld-%ld: column '%s': the shares sum to %g: expected 1 (within 0.02)%s", r->path, line[0],
                       line[r->nrows - 1], r->count_col, r->share_sum,
                       fabs(r->share_sum - 100) <= 2 ? "; percentages? give them as shares (divide by 100)" : "");
    if (!r->shares && r->share_sum > 0 && fabs(r->share_sum - 1) <= 0.02)
        return fz_fail(err, FZ_EINPUT,
                       "%s:%ld-%ld: column '%s': the counts sum to %g: shares? give them with --share %s --n N "
                       "(N the number of observations)",
                       r->path, line[0], line[r->nrows - 1], r->count_col, r->share_sum, r->count_col);
    if (!(r->share_sum > 0))
        return fz_fail(err, FZ_EINPUT, "%s:%ld-%ld: column '%s': every count is 0: nothing to fit", r->path, line[0],
                       line[r->nrows - 1], r->count_col);
    return 0;
}

/* Edges for the likelihood, counts, and the bins kept inside [min, max]. */
static int select_bins(binned_run *r, fit_bin *b, const long *line, fz_error *err)
{
    double lo = r->opt.lo, hi = r->opt.hi;
    for (size_t i = 0; i + 1 < r->nrows; i++) {
        double gap = b[i + 1].lo - b[i].hi;
        if (gap > 0 && gap <= 1) { /* 1500-2499 then 2500-4999: whole units, inclusive */
            b[i].hi = b[i + 1].lo;
            r->closed_edges = 1;
        }
    }
    for (size_t i = 0; i < r->nrows; i++) {
        double c = r->shares ? b[i].count / r->share_sum * (double)r->n_given : b[i].count;
        if (b[i].hi == b[i].lo) {
            if (!r->n_point++)
                r->point_line = line[i], r->point_at = b[i].lo;
            r->c_point += c;
        } else if (b[i].hi <= lo) {
            r->n_below++, r->c_below += c;
        } else if (b[i].lo >= hi) {
            r->n_above++, r->c_above += c;
        } else if (b[i].lo < lo || b[i].hi > hi) {
            double cut = b[i].lo < lo ? lo : hi;
            return fz_fail(err, FZ_EINPUT,
                           "%s:%ld: bin [%g, %g] straddles --%s %g: the table cannot say how much of it lies "
                           "inside; choose a bin edge",
                           r->path, line[i], b[i].lo, b[i].hi, b[i].lo < lo ? "min" : "max", cut);
        } else {
            r->bins[r->nbins] = (fit_bin){b[i].lo, b[i].hi, c};
            r->line[r->nbins++] = line[i];
            r->total += c;
        }
    }
    size_t positive = 0;
    for (size_t j = 0; j < r->nbins; j++)
        positive += r->bins[j].count > 0;
    if (positive < 2)
        return fz_fail(err, FZ_EINPUT,
                       "%s: %zu bin%s with a positive %s inside the fitted range (of %zu rows): at least 2 are "
                       "needed to fit a distribution",
                       r->path, positive, positive == 1 ? "" : "s", r->shares ? "share" : "count", r->nrows);
    return 0;
}

static int load(binned_run *r, const cli_opts *o, fz_error *err)
{
    int rc = options(r, o, err);
    fit_bin *rows = NULL;
    long *lines = NULL;
    if (!rc)
        rc = read_rows(r, &rows, &lines, err);
    if (!rc)
        rc = check_rows(r, rows, lines, o->has_min, err);
    if (!rc && (!(r->bins = malloc(r->nrows * sizeof *r->bins)) || !(r->line = malloc(r->nrows * sizeof *r->line))))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    if (!rc)
        rc = select_bins(r, rows, lines, err);
    free(rows);
    free(lines);
    return rc;
}

static int run_fits(binned_run *r, fz_error *err)
{
    int rc = fit_binned_all(r->res, &r->nfit, r->bins, r->nbins, &r->opt, err);
    if (rc) {
        fz_error_prefix(err, "%s: ", r->path);
        return rc;
    }
    fit_result *res[FIT_NFAMILIES];
    for (size_t i = 0; i < FIT_NFAMILIES; i++)
        res[i] = &r->res[i].fit;
    return cmd_fit_finish_all(res, r->nfit, r->path, r->line, r->text, r->unusable, &r->best, err);
}

/* The results directory: -o, or results/NAME of the CSV without .csv. */
static int check(cmd_run *c, void *ctx)
{
    binned_run *r = ctx;
    const cli_opts *o = c->o;
    if (o->censored || o->posted || o->returned || o->as_of || o->rate)
        return fz_fail(&c->err, FZ_EINPUT, "--bins: a binned table is fitted on its own: --censored, --posted, "
                                           "--returned, --as-of and --rate do not apply to it");
    int rc = load(r, c->o, &c->err);
    if (rc)
        return rc;
    cmd_fit_dirname(c->dirname, sizeof c->dirname, c->o->outdir, r->path);
    return 0;
}

static int run(cmd_run *c, void *ctx)
{
    binned_run *r = ctx;
    int rc = run_fits(r, &c->err);
    if (rc)
        return rc;
    c->doc = binned_json(r);
    if (!(rc = write_bins_csv(c->dir, r, &c->err)))
        rc = write_bins_chart(c->dir, r, &c->charts, &c->err);
    return rc;
}

static void print(cmd_run *c, void *ctx) { print_binned(c->out, ctx, c->dirname); }

int cmd_fit_binned(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print};
    binned_run r;
    memset(&r, 0, sizeof r);
    int rc = cmd_execute(o, &hooks, &r);
    free(r.bins);
    free(r.line);
    return rc;
}
