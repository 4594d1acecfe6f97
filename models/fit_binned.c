/* fit_binned: maximum-likelihood fits to binned counts (fit.h).
 *
 * The likelihood.  A binned table says only that n_j of the N = sum n_j
 * observations fell in [a_j, b_j): each is interval-censored, and
 * contributes P(a_j < X < b_j) = F(b_j) - F(a_j) instead of a density
 * (Klein & Moeschberger 2003, "Survival Analysis", 2nd ed., §3.5, eq. 3.5.1;
 * the grouped-data likelihood of Kulldorff 1961).  An open top bin has
 * b_J = inf: 1 - F(a_J).  When only values in [min, max] were recorded (a
 * floor such as the USD 1,500 statutory minimum), each observation is drawn
 * from the conditional law, so every term is divided by F(max) - F(min)
 * (Klein & Moeschberger §3.4, truncation), exactly as fit.c does for raw
 * values:
 *   l(theta) = sum_j n_j log(F(b_j) - F(a_j)) - N log(F(max) - F(min)).
 * The table is a multinomial sample over a partition of [min, max] into
 * cells: the bins, and the ranges no bin covers (below the first, between
 * two, above a closed top bin), which hold 0 observations and so add
 * nothing to l: the fit is pushed to put little mass there, as the data say.
 * Each log(F(b) - F(a)) is family.c's family_trunc_logmass, computed from
 * log tails on the side where the difference does not cancel, so deep bins
 * and a far open tail keep their digits.
 *
 * Estimation reuses fit.c: its Nelder-Mead simplex on the family's
 * unconstrained parameters, restarted once, and its standard errors from
 * the observed information (the numerical Hessian of l at the optimum,
 * inverted; Efron & Hinkley 1978, Biometrika 65:457), with this l in place
 * of the raw-value one.  The start: the family's own starting hook on the
 * statistics of pseudo-data, each bin's count placed at its midpoint (1.5
 * times the lower edge for an open top bin).
 *
 * Goodness of fit: Pearson's X^2 = sum (O - E)^2 / E over the cells, with
 * E = N P(cell | [min, max]).  Adjacent cells are grouped from the left until
 * each group expects at least 5 (Cochran 1954, Biometrics 10:417), a short
 * remainder joining the last group; then df = groups - 1 - k (Cramér 1946,
 * "Mathematical Methods of Statistics", §30.3: estimates that maximise the
 * grouped likelihood cost one df each).  When groups were merged the
 * estimates come from the finer cells, and X^2 lies between chi2(df) and
 * chi2(df + k) (Chernoff & Lehmann 1954, Ann. Math. Stat. 25:579): the
 * p-value is then slightly too small, a conservative rejection. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_int.h"

typedef struct binned_ctx {
    const fit_bin *bins;
    size_t nbins;
    double total;
} binned_ctx;

/* log P(a < X < b) of the untruncated family */
static double log_mass(const family_type *t, const double *p, double a, double b)
{
    if (!(b > a) || !(b > t->natural_lo))
        return -INFINITY;
    family_trunc f = {t, {p[0], t->nparams > 1 ? p[1] : 0}, a, b};
    return family_trunc_logmass(&f);
}

static double loglik_p(const family_type *t, const double *p, double lo, double hi, const fit_bin *b, size_t n,
                       double total)
{
    double s = 0;
    for (size_t j = 0; j < n; j++)
        if (b[j].count > 0)
            s += b[j].count * log_mass(t, p, b[j].lo, b[j].hi);
    return s - total * log_mass(t, p, lo, hi);
}

static double binned_loglik(const fit_data *d, const double *p)
{
    const binned_ctx *c = d->ctx;
    return loglik_p(d->type, p, d->lo, d->hi, c->bins, c->nbins, c->total);
}

/* Sorted, not overlapping, inside [lo, hi], counts finite and >= 0, at
 * least 2 bins with a positive count; the total in *total. */
static int check_bins(const fit_bin *b, size_t n, double lo, double hi, double *total, fz_error *err)
{
    size_t positive = 0;
    *total = 0;
    for (size_t j = 0; j < n; j++) {
        if (!isfinite(b[j].lo) || isnan(b[j].hi) || b[j].hi == -INFINITY)
            return fz_fail(err, FZ_EINPUT, "bin %zu: edges [%g, %g]: expected a finite lower edge", j + 1, b[j].lo,
                           b[j].hi);
        if (b[j].hi < b[j].lo)
            return fz_fail(err, FZ_EINPUT, "bin %zu: upper edge %g is below the lower edge %g", j + 1, b[j].hi,
                           b[j].lo);
        if (!isfinite(b[j].count) || b[j].count < 0)
            return fz_fail(err, FZ_EINPUT, "bin %zu: count %g: expected a number >= 0", j + 1, b[j].count);
        if (b[j].hi == b[j].lo && b[j].count > 0)
            return fz_fail(err, FZ_EINPUT,
                           "bin %zu: [%g, %g] has zero width: a continuous family gives it probability 0 "
                           "(a point mass; leave it out with the truncation range)",
                           j + 1, b[j].lo, b[j].hi);
        if (j > 0 && b[j].lo < b[j - 1].lo)
            return fz_fail(err, FZ_EINPUT, "bin %zu: lower edge %g is below that of bin %zu (%g): sort the bins",
                           j + 1, b[j].lo, j, b[j - 1].lo);
        if (j > 0 && b[j].lo < b[j - 1].hi)
            return fz_fail(err, FZ_EINPUT, "bin %zu [%g, %g] overlaps bin %zu [%g, %g]", j + 1, b[j].lo, b[j].hi, j,
                           b[j - 1].lo, b[j - 1].hi);
        if (b[j].lo < lo || b[j].hi > hi)
            return fz_fail(err, FZ_EINPUT, "bin %zu [%g, %g] is not inside the fitted range [%g, %g]", j + 1,
                           b[j].lo, b[j].hi, lo, hi);
        *total += b[j].count;
        positive += b[j].count > 0;
    }
    if (positive < 2)
        return fz_fail(err, FZ_EINPUT,
                       "%zu bin%s with a positive count: at least 2 are needed to fit a distribution", positive,
                       positive == 1 ? "" : "s");
    return 0;
}

/* Pseudo-data statistics for the family's starting hook: each count at its
 * bin's midpoint, scaled to d->n observations as fit.c's statistics are. */
static void start_statistics(fit_data *d, const fit_bin *b, size_t n, double total)
{
    double w = 0, mean = 0, m2 = 0, lmean = 0, lm2 = 0;
    for (size_t j = 0; j < n; j++) {
        if (!(b[j].count > 0))
            continue;
        double x = isfinite(b[j].hi) ? 0.5 * (b[j].lo + b[j].hi) : b[j].lo > 0 ? 1.5 * b[j].lo : b[j].lo + 1;
        double lx = x > 0 ? log(x) : 0, c = b[j].count;
        w += c; /* weighted Welford (West 1979) */
        double dx = x - mean, dl = lx - lmean;
        mean += c / w * dx;
        lmean += c / w * dl;
        m2 += c * dx * (x - mean);
        lm2 += c * dl * (lx - lmean);
    }
    double nn = (double)d->n;
    d->mean = mean;
    d->lmean = lmean;
    d->m2 = m2 / total * nn;
    d->lm2 = lm2 / total * nn;
    d->s0 = sqrt(m2 / total);
}

/* Pearson's X^2 over the cells of [lo, hi], grouped to E >= 5. */
static void chi_square(fit_binned *out, const family_type *t, const double *p, const fit_bin *b, size_t n)
{
    double lo = out->fit.lo, hi = out->fit.hi, N = out->n, lm = log_mass(t, p, lo, hi);
    double x2 = 0, go = 0, ge = 0, cur = isfinite(lo) ? lo : -INFINITY, last_o = 0, last_e = 0;
    int groups = 0;
    /* cell k of 2n + 1: even k the range before bin k/2 (or above the last), odd k bin (k-1)/2 */
    for (size_t k = 0; k <= 2 * n; k++) {
        double a, z, o;
        if (k % 2 == 0) {
            a = cur;
            z = k / 2 < n ? b[k / 2].lo : hi;
            o = 0;
        } else {
            a = b[k / 2].lo;
            z = b[k / 2].hi;
            o = b[k / 2].count;
            cur = z;
        }
        if (!(z > a))
            continue;
        go += o;
        ge += N * exp(log_mass(t, p, a, z) - lm);
        if (ge >= 5) {
            if (groups)
                x2 += (last_o - last_e) * (last_o - last_e) / last_e;
            last_o = go, last_e = ge, go = ge = 0;
            groups++;
        }
    }
    if (groups == 0) /* everything expects < 5: one group, X^2 = 0 */
        last_o = go, last_e = ge, groups = 1;
    else
        last_o += go, last_e += ge; /* the short remainder joins the last group */
    if (last_e > 0)
        x2 += (last_o - last_e) * (last_o - last_e) / last_e;
    out->chi2 = x2;
    out->chi2_groups = groups;
    out->chi2_df = groups - 1 - out->fit.nparams;
    out->chi2_p = out->chi2_df >= 1 ? gsl_cdf_chisq_Q(x2, out->chi2_df) : NAN;
}

int fit_binned_family(fit_binned *out, fit_family fam, const fit_bin *bins, size_t nbins, const fit_options *opt,
                      fz_error *err)
{
    memset(out, 0, sizeof *out);
    out->chi2 = out->chi2_p = NAN;
    int rc = fit_init(&out->fit, fam, opt, err);
    if (rc)
        return rc;
    double total;
    if ((rc = check_bins(bins, nbins, out->fit.lo, out->fit.hi, &total, err)))
        return rc;
    out->n = total;
    const family_type *t = family_table[fam];
    for (size_t j = 0; j < nbins; j++)
        if (bins[j].count > 0 && !(bins[j].hi > t->natural_lo)) {
            out->fit.ok = 0;
            out->fit.bad_index = j;
            snprintf(out->fit.reason, sizeof out->fit.reason,
                     "bin %zu [%g, %g] is outside the family's support (x > %g)", j + 1, bins[j].lo, bins[j].hi,
                     t->natural_lo);
            return 0;
        }
    binned_ctx c = {bins, nbins, total};
    fit_data d = {.type = t,
                  .n = total >= 1 ? (size_t)llround(fmin(total, 1e15)) : 1,
                  .lo = out->fit.lo,
                  .hi = out->fit.hi,
                  .loglik = binned_loglik,
                  .ctx = &c};
    start_statistics(&d, bins, nbins, total);
    if (!fit_estimate(&out->fit, &d))
        return 0;
    out->fit.bic = out->fit.nparams * log(total) - 2 * out->fit.loglik; /* the exact N, not d.n */
    family_trunc f = fit_trunc(&out->fit);
    chi_square(out, t, f.p, bins, nbins);
    return 0;
}

int fit_binned_all(fit_binned out[FIT_NFAMILIES], size_t *nfit, const fit_bin *bins, size_t nbins,
                   const fit_options *opt, fz_error *err)
{
    fit_binned tmp[FIT_NFAMILIES];
    size_t m = 0, k = 0;
    for (int f = 0; f < DIST_NFAMILIES && m < FIT_NFAMILIES; f++) {
        if (!family_table[f]->fit)
            continue;
        int rc = fit_binned_family(&tmp[m++], (fit_family)f, bins, nbins, opt, err);
        if (rc)
            return rc;
    }
    /* fitted families by increasing AIC (insertion sort: family order on ties), then the rest */
    for (size_t f = 0; f < m; f++) {
        if (!tmp[f].fit.ok)
            continue;
        size_t j = k++;
        for (; j > 0 && out[j - 1].fit.aic > tmp[f].fit.aic; j--)
            out[j] = out[j - 1];
        out[j] = tmp[f];
    }
    *nfit = k;
    for (size_t f = 0; f < m; f++)
        if (!tmp[f].fit.ok)
            out[k++] = tmp[f];
    return 0;
}

double fit_binned_prob(const fit_result *r, double a, double b)
{
    family_trunc f = fit_trunc(r);
    a = fmax(a, r->lo);
    b = fmin(b, r->hi);
    return exp(log_mass(f.t, f.p, a, b) - log_mass(f.t, f.p, r->lo, r->hi));
}

double fit_binned_loglik(const fit_result *r, const fit_bin *bins, size_t nbins)
{
    family_trunc f = fit_trunc(r);
    double total = 0;
    for (size_t j = 0; j < nbins; j++)
        total += bins[j].count > 0 ? bins[j].count : 0;
    return loglik_p(f.t, f.p, r->lo, r->hi, bins, nbins, total);
}
