/* fit_censored: maximum likelihood for right-censored durations (fit.h).
 *
 * A duration still running when the record was taken (a case still open, a
 * bond not yet refunded) is only known to exceed its value t_i; it adds the
 * probability of that, log S(t_i), to the log-likelihood instead of the
 * density (Klein & Moeschberger 2003, "Survival Analysis", 2nd ed., §3.5):
 *   l(theta) = sum_{events} log f(t_i) + sum_{censored} log S(t_i)
 *              - n log(1 - F(lo)),
 * the last term for a left truncation as in fit.c (the normal at 0).  The
 * censoring must be non-informative: whether a case is still open says
 * nothing about its length beyond t_i (true of a ledger cut at a date).
 *
 * Estimation reuses fit.c (fit_family_mle_custom): this likelihood replaces
 * the truncated sample's, the simplex starts where the uncensored fit of
 * all t_i would, and the standard errors come from the observed information.
 * The exponential has a closed form: with d events, the likelihood
 * d log(1/m) - sum_i (t_i - lo) / m peaks at m = sum_i (t_i - lo) / d, and
 * its observed information there, d / m^2, gives se(m) = m / sqrt(d)
 * (Klein & Moeschberger §3.5; Cox & Oakes 1984, "Analysis of Survival Data",
 * §3.2); both replace the simplex's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_int.h"

static double censored_loglik(const fit_data *d, const double *p)
{
    const family_type *t = d->type;
    family_trunc f = {t, {p[0], t->nparams > 1 ? p[1] : 0}, d->lo, d->hi};
    double s = 0;
    for (size_t i = 0; i < d->n; i++)
        s += d->censored[i] ? family_logsf(t, f.p, d->x[i]) : t->logpdf(f.p, d->x[i]);
    return s - (double)d->n * family_trunc_logmass(&f);
}

/* The exponential's closed form over the simplex's estimate. */
static void exponential_closed_form(fit_result *out, const double *t, const unsigned char *censored, size_t n,
                                    double lo)
{
    double total = 0, events = 0, shift = lo > 0 ? lo : 0;
    for (size_t i = 0; i < n; i++) {
        total += t[i] - shift;
        events += !censored[i];
    }
    double m = total / events;
    out->param[0] = m;
    out->se[0] = m / sqrt(events);
    out->loglik = -events * log(m) - total / m;
    out->aic = 2.0 - 2 * out->loglik;
    out->bic = log((double)n) - 2 * out->loglik;
    out->closed_form = out->converged = 1;
}

int fit_censored_mle(fit_result *out, fit_family fam, const double *t, const unsigned char *censored, size_t n,
                     const fit_options *opt, fz_error *err)
{
    fit_options o;
    fit_options_init(&o);
    if (opt)
        o = *opt;
    if (isfinite(o.hi))
        return fz_fail(err, FZ_EINPUT, "censored durations: a right truncation (max %g) is not supported", o.hi);
    size_t events = 0;
    for (size_t i = 0; i < n; i++) {
        if (censored[i] > 1)
            return fz_fail(err, FZ_EINPUT, "censoring flag %d (number %zu): expected 0 (event) or 1 (censored)",
                           (int)censored[i], i + 1);
        events += !censored[i];
    }
    if (n >= 2 && events == 0)
        return fz_fail(err, FZ_EINPUT,
                       "all %zu durations are censored (no event): the likelihood has no maximum (it keeps rising "
                       "as the durations grow), so nothing can be fitted",
                       n);
    int rc = fit_family_mle_custom(out, fam, t, n, &o, censored_loglik, censored, err);
    if (rc || !out->ok)
        return rc;
    if (fam == DIST_EXPONENTIAL)
        exponential_closed_form(out, t, censored, n, o.lo);
    return 0;
}

int fit_censored_all(fit_result out[FIT_NFAMILIES], size_t *nfit, const double *t, const unsigned char *censored,
                     size_t n, const fit_options *opt, fz_error *err)
{
    fit_result tmp[FIT_NFAMILIES];
    size_t m = 0;
    for (int f = 0; f < DIST_NFAMILIES && m < FIT_NFAMILIES; f++) {
        if (!family_table[f]->fit)
            continue;
        int rc = fit_censored_mle(&tmp[m++], (fit_family)f, t, censored, n, opt, err);
        if (rc)
            return rc;
    }
    fit_rank(out, nfit, tmp, m);
    return 0;
}
