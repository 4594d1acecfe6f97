/* dist_parse: the text form of distributions (DESIGN §4), both ways.
 *
 *   dist    := NAME '(' args ')'
 *   args    := key '=' number {',' key '=' number}  |  number       (fixed only)
 *   mixture := 'mixture(' weight ':' dist {';' weight ':' dist} ')'
 *
 * Every family also takes `min=` and `max=` (truncation; for uniform they are
 * its bounds).  Errors name the offending argument and what was expected. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcol.h"
#include "dist_int.h"
#include "fz_util.h"

typedef struct arg {
    span key, val;
    int used;
} arg;

enum { MAX_ARGS = 8 };

static int split_args(arg *args, int *nargs, span body, const char *fam, fz_error *err)
{
    *nargs = 0;
    body = trim(body);
    if (body.n == 0)
        return 0;
    for (;;) {
        size_t cut = find_top(body, ',');
        span item = trim((span){body.s, cut});
        if (*nargs == MAX_ARGS)
            return fz_fail(err, FZ_EINPUT, "%s(...): too many arguments", fam);
        size_t eq = find_top(item, '=');
        if (item.n == 0)
            return fz_fail(err, FZ_EINPUT, "%s(...): empty argument", fam);
        arg *a = &args[(*nargs)++];
        a->used = 0;
        if (eq == item.n) {
            a->key = (span){"", 0};
            a->val = item;
        } else {
            a->key = trim((span){item.s, eq});
            a->val = trim((span){item.s + eq + 1, item.n - eq - 1});
        }
        if (cut == body.n)
            return 0;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
}

/* Looks up key=number; *found tells whether it was given. */
static int get_arg(arg *args, int nargs, const char *key, double *v, int *found, const char *fam,
                   fz_error *err)
{
    *found = 0;
    for (int i = 0; i < nargs; i++) {
        if (!span_eq(args[i].key, key))
            continue;
        if (*found)
            return fz_fail(err, FZ_EINPUT, "%s(...): argument '%s' given twice", fam, key);
        int bad = parse_number(args[i].val, v);
        if (bad)
            return fz_fail(err, FZ_EINPUT, "%s(...): %s = '%.*s' %s", fam, key, (int)args[i].val.n,
                           args[i].val.s, DIST_NUMBER_PROBLEM(bad));
        args[i].used = *found = 1;
    }
    return 0;
}

static int get_text(arg *args, int nargs, const char *key, char **out, const char *fam, fz_error *err)
{
    for (int i = 0; i < nargs; i++) {
        if (!span_eq(args[i].key, key))
            continue;
        if (*out)
            return fz_fail(err, FZ_EINPUT, "%s(...): argument '%s' given twice", fam, key);
        span v = args[i].val;
        if (v.n >= 2 && (v.s[0] == '"' || v.s[0] == '\'') && v.s[v.n - 1] == v.s[0]) {
            v.s++;
            v.n -= 2;
        }
        if (v.n == 0)
            return fz_fail(err, FZ_EINPUT, "%s(...): %s is empty", fam, key);
        *out = strndup(v.s, v.n);
        if (!*out)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        args[i].used = 1;
    }
    return 0;
}

/* Two-form families: native (a, b) or (mean, sd). */
static int get_pair(arg *args, int nargs, const char *k1, const char *k2, double out[2], int *form,
                    const char *fam, fz_error *err)
{
    int f1, f2, g1, g2, rc;
    double m, s;
    if ((rc = get_arg(args, nargs, k1, &out[0], &f1, fam, err)) ||
        (rc = get_arg(args, nargs, k2, &out[1], &f2, fam, err)))
        return rc;
    if ((rc = get_arg(args, nargs, "mean", &m, &g1, fam, err)) ||
        (rc = get_arg(args, nargs, "sd", &s, &g2, fam, err)))
        return rc;
    if (f1 && f2 && !g1 && !g2) {
        *form = FORM_NATIVE;
        return 0;
    }
    if (g1 && g2 && !f1 && !f2) {
        *form = FORM_MEAN_SD;
        out[0] = m;
        out[1] = s;
        return 0;
    }
    return fz_fail(err, FZ_EINPUT, "%s(...): expected either %s= and %s=, or mean= and sd=", fam, k1, k2);
}

static int parse_rec(dist **out, span text, const char *basedir, int depth, fz_error *err);

static int parse_mixture(dist *d, span body, const char *basedir, int depth, fz_error *err)
{
    size_t cap = 0;
    double total = 0;
    for (;;) {
        size_t cut = find_top(body, ';');
        span item = trim((span){body.s, cut});
        size_t colon = find_top(item, ':');
        if (colon == item.n)
            return fz_fail(err, FZ_EINPUT, "mixture(...): expected 'WEIGHT: DIST' in '%.*s'",
                           (int)item.n, item.s);
        if (d->ncomp == cap) {
            cap = cap ? 2 * cap : 4;
            dist **c = realloc(d->comp, cap * sizeof *c);
            double *w = c ? realloc(d->weight, cap * sizeof *w) : NULL;
            if (c)
                d->comp = c;
            if (!w)
                return fz_fail(err, FZ_ERUNTIME, "out of memory");
            d->weight = w;
        }
        double w;
        int bad = parse_number((span){item.s, colon}, &w);
        if (bad || w <= 0)
            return fz_fail(err, FZ_EINPUT, "mixture(...): weight '%.*s' %s", (int)colon, item.s,
                           bad == -2 ? DIST_NUMBER_PROBLEM(bad) : "is not a positive number");
        int rc = parse_rec(&d->comp[d->ncomp], (span){item.s + colon + 1, item.n - colon - 1},
                           basedir, depth + 1, err);
        if (rc)
            return rc;
        d->weight[d->ncomp++] = w;
        total += w;
        if (cut == body.n)
            break;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
    d->cumw = malloc(d->ncomp * sizeof *d->cumw);
    if (!d->cumw)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    /* Weights that already sum to 1 up to the 15-digit rounding of dist_format
     * (at most 5e-16 per weight) are kept as written, so that format -> parse
     * -> format gives the same text; dividing them by their sum again could
     * move the last printed digit. */
    int normalised = fabs(total - 1) <= 1e-15 * (double)d->ncomp;
    double run = 0;
    d->lo = INFINITY;
    d->hi = -INFINITY;
    for (size_t i = 0; i < d->ncomp; i++) {
        if (!normalised)
            d->weight[i] /= total;
        run += d->weight[i];
        d->cumw[i] = run;
        d->lo = fmin(d->lo, d->comp[i]->lo);
        d->hi = fmax(d->hi, d->comp[i]->hi);
    }
    d->cumw[d->ncomp - 1] = 1;
    return 0;
}

static int load_empirical(dist *d, const char *basedir, fz_error *err)
{
    char path[4096];
    if (d->file[0] == '/' || !basedir || !*basedir)
        snprintf(path, sizeof path, "%s", d->file);
    else
        snprintf(path, sizeof path, "%s/%s", basedir, d->file);
    csvcol col;
    int rc = csvcol_read(&col, path, d->column, err);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < col.n; i++)
        if (col.values[i] >= d->lo && col.values[i] <= d->hi)
            col.values[k++] = col.values[i];
    if (k == 0) {
        csvcol_free(&col);
        return fz_fail(err, FZ_EINPUT, "%s: column '%s' has no numeric values%s", path, d->column,
                       d->truncated ? " inside [min, max]" : "");
    }
    qsort(col.values, k, sizeof *col.values, fz_cmp_double);
    d->values = col.values;
    d->n = k;
    d->lo = col.values[0];
    d->hi = col.values[k - 1];
    return 0;
}

/* Sets the truncation bookkeeping of a continuous family. */
static int set_support(dist *d, double natural_lo, int has_min, double mn, int has_max, double mx,
                       const char *fam, fz_error *err)
{
    d->truncated = has_min || has_max;
    d->lo = has_min ? fmax(mn, natural_lo) : natural_lo;
    d->hi = has_max ? mx : INFINITY;
    if (has_min && has_max && !(mn < mx))
        return fz_fail(err, FZ_EINPUT, "%s(...): min = %g must be below max = %g", fam, mn, mx);
    d->cdf_lo = isinf(d->lo) ? 0 : dist_base_cdf(d, d->lo);
    d->cdf_hi = isinf(d->hi) ? 1 : dist_base_cdf(d, d->hi);
    d->sf_lo = isinf(d->lo) ? 1 : dist_base_sf(d, d->lo);
    d->sf_hi = isinf(d->hi) ? 0 : dist_base_sf(d, d->hi);
    d->mass = d->cdf_lo > 0.5 ? d->sf_lo - d->sf_hi : d->cdf_hi - d->cdf_lo;
    if (!(d->mass > 1e-12))
        return fz_fail(err, FZ_EINPUT,
                       "%s(...): the range [%g, %g] holds probability %.3g: the truncated "
                       "distribution is empty",
                       fam, d->lo, d->hi, d->mass);
    return 0;
}

static int gamma_ok(const double p[2]) { return isfinite(p[0]) && p[0] > 0 && isfinite(p[1]) && p[1] > 0; }

/* The engine squares what it draws (variances of amounts and durations), so
 * every distribution needs E[X^2] finite in double precision: values up to
 * about 1e154.  Checked here, on the moments of the truncated distribution,
 * so that `check` refuses what `simulate` could not compute. */
static int check_moments(const dist *d, fz_error *err)
{
    double m1, var, bound = fmax(fabs(d->lo), fabs(d->hi));
    fz_error e2 = {0};
    /* Bounded support: E[X^2] <= bound^2, whatever the closed forms say (they
     * overflow for weibull(shape=0.01, max=2), whose moments are small).  A
     * mixture's E[X^2] is a weighted mean of its components', checked already. */
    if (d->fam == DIST_MIXTURE || isfinite(bound * bound))
        return 0;
    if (dist_mean(d, &m1, &e2) == 0 && dist_variance(d, &var, &e2) == 0 && isfinite(m1 * m1 + var))
        return 0;
    if (d->fam == DIST_EMPIRICAL)
        return fz_fail(err, FZ_EINPUT,
                       "empirical(...): the values of column '%s' are too large: their mean square "
                       "exceeds the largest double (1.8e308); values must stay below about 1e154",
                       d->column);
    int tail = d->fam != DIST_FIXED && d->fam != DIST_UNIFORM && d->fam != DIST_MIXTURE;
    return fz_fail(err, FZ_EINPUT,
                   "%s(...): the mean or variance is not finite in double precision (E[X^2] above "
                   "1.8e308): the values are too large%s (values must stay below about 1e154%s)",
                   dist_family_name(d->fam), tail ? " or too spread out" : "",
                   tail ? "; max= truncates a long tail" : "");
}

static int parse_family(dist *d, span name, span body, const char *basedir, int depth, fz_error *err)
{
    static const char *const names[] = {"fixed",   "uniform", "normal",      "lognormal", "gamma",
                                        "weibull", "exponential", "empirical", "mixture"};
    int fam = -1;
    for (int i = 0; i < 9; i++)
        if (span_eq(name, names[i]))
            fam = i;
    if (fam < 0)
        return fz_fail(err, FZ_EINPUT,
                       "unknown distribution '%.*s' (expected fixed, uniform, normal, lognormal, "
                       "gamma, weibull, exponential, empirical or mixture)",
                       (int)name.n, name.s);
    d->fam = (dist_family)fam;
    const char *fn = names[fam];
    if (d->fam == DIST_MIXTURE)
        return parse_mixture(d, body, basedir, depth, err);

    arg args[MAX_ARGS];
    int nargs, rc, has_min, has_max, found;
    double mn = 0, mx = 0;
    if ((rc = split_args(args, &nargs, body, fn, err)))
        return rc;
    if ((rc = get_arg(args, nargs, "min", &mn, &has_min, fn, err)) ||
        (rc = get_arg(args, nargs, "max", &mx, &has_max, fn, err)))
        return rc;
    if (d->fam != DIST_UNIFORM) {
        d->has_min = has_min;
        d->has_max = has_max;
        d->arg_min = mn;
        d->arg_max = mx;
    }
    switch (d->fam) {
    case DIST_FIXED:
        if (has_min || has_max)
            return fz_fail(err, FZ_EINPUT, "fixed(...) takes no min= or max=");
        if (nargs == 1 && args[0].key.n == 0) {
            int bad = parse_number(args[0].val, &d->p[0]);
            if (bad)
                return fz_fail(err, FZ_EINPUT, "fixed(...): '%.*s' %s", (int)args[0].val.n, args[0].val.s,
                               DIST_NUMBER_PROBLEM(bad));
            args[0].used = 1;
        } else {
            if ((rc = get_arg(args, nargs, "value", &d->p[0], &found, fn, err)))
                return rc;
            if (!found)
                return fz_fail(err, FZ_EINPUT, "fixed(...): expected one number, as in fixed(1500)");
        }
        d->lo = d->hi = d->p[0];
        break;
    case DIST_UNIFORM:
        if (!has_min || !has_max || !(mn < mx))
            return fz_fail(err, FZ_EINPUT, "uniform(...): expected min= and max= with min < max");
        d->p[0] = d->lo = mn;
        d->p[1] = d->hi = mx;
        break;
    case DIST_EMPIRICAL:
        if ((rc = get_text(args, nargs, "file", &d->file, fn, err)) ||
            (rc = get_text(args, nargs, "column", &d->column, fn, err)))
            return rc;
        if (!d->file || !d->column)
            return fz_fail(err, FZ_EINPUT, "empirical(...): expected file= and column=");
        d->truncated = has_min || has_max;
        d->lo = has_min ? mn : -INFINITY;
        d->hi = has_max ? mx : INFINITY;
        break;
    case DIST_EXPONENTIAL:
        if ((rc = get_arg(args, nargs, "mean", &d->p[0], &found, fn, err)))
            return rc;
        if (!found || !(d->p[0] > 0))
            return fz_fail(err, FZ_EINPUT, "exponential(...): expected mean= > 0");
        d->user[0] = d->p[0];
        break;
    case DIST_WEIBULL:
        if ((rc = get_pair(args, nargs, "shape", "scale", d->p, &d->form, fn, err)))
            return rc;
        if (d->form != FORM_NATIVE)
            return fz_fail(err, FZ_EINPUT, "weibull(...): expected shape= and scale=");
        if (!(d->p[0] > 0 && d->p[1] > 0))
            return fz_fail(err, FZ_EINPUT, "weibull(...): shape and scale must be > 0");
        memcpy(d->user, d->p, sizeof d->p);
        break;
    case DIST_NORMAL: {
        int f1, f2;
        if ((rc = get_arg(args, nargs, "mean", &d->p[0], &f1, fn, err)) ||
            (rc = get_arg(args, nargs, "sd", &d->p[1], &f2, fn, err)))
            return rc;
        if (!f1 || !f2 || !(d->p[1] > 0))
            return fz_fail(err, FZ_EINPUT, "normal(...): expected mean= and sd= > 0");
        memcpy(d->user, d->p, sizeof d->p);
        break;
    }
    case DIST_LOGNORMAL:
        if ((rc = get_pair(args, nargs, "median", "sigma", d->p, &d->form, fn, err)))
            return rc;
        memcpy(d->user, d->p, sizeof d->p);
        if (!(d->p[0] > 0 && d->p[1] > 0))
            return fz_fail(err, FZ_EINPUT, "lognormal(...): %s must be > 0",
                           d->form == FORM_NATIVE ? "median and sigma" : "mean and sd");
        if (d->form == FORM_MEAN_SD) { /* s^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - s^2/2 */
            double s2 = log1p(d->user[1] * d->user[1] / (d->user[0] * d->user[0]));
            if (!isfinite(s2)) { /* sd^2 or mean^2 overflowed or underflowed: use the ratio */
                double cv = d->user[1] / d->user[0];
                s2 = log1p(cv * cv);
            }
            d->p[0] = log(d->user[0]) - s2 / 2;
            d->p[1] = sqrt(s2);
            if (!(isfinite(d->p[0]) && isfinite(d->p[1]) && d->p[1] > 0))
                return fz_fail(err, FZ_EINPUT,
                               "lognormal(...): mean = %g and sd = %g give log X the parameters mu = %g "
                               "and sigma = %g, but sigma must be finite and > 0 (sd is too small "
                               "relative to the mean)",
                               d->user[0], d->user[1], d->p[0], d->p[1]);
        } else {
            d->p[0] = log(d->user[0]);
        }
        break;
    case DIST_GAMMA:
        if ((rc = get_pair(args, nargs, "shape", "scale", d->p, &d->form, fn, err)))
            return rc;
        memcpy(d->user, d->p, sizeof d->p);
        if (!(d->p[0] > 0 && d->p[1] > 0))
            return fz_fail(err, FZ_EINPUT, "gamma(...): %s must be > 0",
                           d->form == FORM_NATIVE ? "shape and scale" : "mean and sd");
        if (d->form == FORM_MEAN_SD) { /* shape = mean^2/sd^2, scale = sd^2/mean */
            d->p[0] = d->user[0] * d->user[0] / (d->user[1] * d->user[1]);
            d->p[1] = d->user[1] * d->user[1] / d->user[0];
            if (!gamma_ok(d->p)) { /* a square overflowed or underflowed: use the ratio */
                double cv = d->user[1] / d->user[0];
                d->p[0] = 1 / (cv * cv);
                d->p[1] = d->user[1] * cv;
            }
            if (!gamma_ok(d->p))
                return fz_fail(err, FZ_EINPUT,
                               "gamma(...): mean = %g and sd = %g give shape = %g (mean^2/sd^2) and "
                               "scale = %g (sd^2/mean), but both must be finite and > 0",
                               d->user[0], d->user[1], d->p[0], d->p[1]);
        }
        break;
    default: break;
    }
    for (int i = 0; i < nargs; i++)
        if (!args[i].used)
            return fz_fail(err, FZ_EINPUT, "%s(...): unknown argument '%.*s'", fn,
                           (int)(args[i].key.n ? args[i].key.n : args[i].val.n),
                           args[i].key.n ? args[i].key.s : args[i].val.s);
    if (d->fam == DIST_EMPIRICAL)
        return load_empirical(d, basedir, err);
    if (d->fam == DIST_FIXED || d->fam == DIST_UNIFORM) {
        d->mass = 1;
        return 0;
    }
    double natural_lo = d->fam == DIST_NORMAL ? -INFINITY : 0;
    return set_support(d, natural_lo, has_min, mn, has_max, mx, fn, err);
}

static int balanced(span t)
{
    int depth = 0;
    for (size_t i = 0; i < t.n && depth >= 0; i++)
        depth += t.s[i] == '(' ? 1 : t.s[i] == ')' ? -1 : 0;
    return depth == 0;
}

static int parse_rec(dist **out, span text, const char *basedir, int depth, fz_error *err)
{
    *out = NULL;
    text = trim(text);
    if (depth > 8)
        return fz_fail(err, FZ_EINPUT, "distribution nested too deeply");
    size_t open = 0;
    while (open < text.n && (isalnum((unsigned char)text.s[open]) || text.s[open] == '_'))
        open++;
    span name = {text.s, open};
    span rest = trim((span){text.s + open, text.n - open});
    if (name.n == 0 || rest.n < 2 || rest.s[0] != '(' || rest.s[rest.n - 1] != ')' ||
        find_top((span){rest.s + 1, rest.n - 2}, ')') != rest.n - 2 ||
        find_top((span){rest.s, rest.n - 1}, ')') != rest.n - 1)
        return fz_fail(err, FZ_EINPUT, "expected a distribution such as fixed(1500) or "
                                       "gamma(mean=14, sd=7), got '%.*s'",
                       (int)text.n, text.s);
    /* the brackets must balance inside */
    int depthc = 0;
    size_t i;
    for (i = 1; i + 1 < rest.n; i++) {
        depthc += rest.s[i] == '(' ? 1 : rest.s[i] == ')' ? -1 : 0;
        if (depthc < 0)
            break;
    }
    span after = trim((span){rest.s + i + 1, rest.n - i - 1});
    if (depthc < 0 && balanced(after)) { /* the distribution closed at i: text follows it */
        int head = (int)(rest.s + i + 1 - text.s);
        if (depth > 0)
            return fz_fail(err, FZ_EINPUT,
                           "mixture(...): '%.*s' is followed by '%.*s': separate the components of a "
                           "mixture with ';', as in mixture(0.4: fixed(1500); 0.6: fixed(3000))",
                           head, text.s, (int)after.n, after.s);
        return fz_fail(err, FZ_EINPUT, "'%.*s' is followed by unexpected text '%.*s'", head, text.s,
                       (int)after.n, after.s);
    }
    if (depthc != 0)
        return fz_fail(err, FZ_EINPUT, "unbalanced brackets in '%.*s'", (int)text.n, text.s);
    dist *d = calloc(1, sizeof *d);
    if (!d)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    int rc = parse_family(d, name, (span){rest.s + 1, rest.n - 2}, basedir, depth, err);
    if (!rc)
        rc = check_moments(d, err);
    if (rc) {
        dist_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int dist_parse(dist **out, const char *text, const char *basedir, fz_error *err)
{
    return parse_rec(out, (span){text, strlen(text)}, basedir, 0, err);
}

/* ---- printing ---- */

typedef struct outbuf {
    char *buf;
    size_t size, len;
} outbuf;

static void put(outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(outbuf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static void format_rec(outbuf *o, const dist *d)
{
    const char *fn = dist_family_name(d->fam);
    switch (d->fam) {
    case DIST_FIXED: put(o, "fixed(%.15g)", d->p[0]); return;
    case DIST_UNIFORM: put(o, "uniform(min=%.15g, max=%.15g)", d->p[0], d->p[1]); return;
    case DIST_MIXTURE:
        put(o, "mixture(");
        for (size_t i = 0; i < d->ncomp; i++) {
            put(o, "%s%.15g: ", i ? "; " : "", d->weight[i]);
            format_rec(o, d->comp[i]);
        }
        put(o, ")");
        return;
    case DIST_EMPIRICAL: put(o, "empirical(file=%s, column=%s", d->file, d->column); break;
    case DIST_EXPONENTIAL: put(o, "exponential(mean=%.15g", d->user[0]); break;
    case DIST_NORMAL: put(o, "normal(mean=%.15g, sd=%.15g", d->user[0], d->user[1]); break;
    case DIST_WEIBULL: put(o, "weibull(shape=%.15g, scale=%.15g", d->user[0], d->user[1]); break;
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        if (d->form == FORM_MEAN_SD)
            put(o, "%s(mean=%.15g, sd=%.15g", fn, d->user[0], d->user[1]);
        else if (d->fam == DIST_LOGNORMAL)
            put(o, "lognormal(median=%.15g, sigma=%.15g", d->user[0], d->user[1]);
        else
            put(o, "gamma(shape=%.15g, scale=%.15g", d->user[0], d->user[1]);
        break;
    }
    if (d->has_min)
        put(o, ", min=%.15g", d->arg_min);
    if (d->has_max)
        put(o, ", max=%.15g", d->arg_max);
    put(o, ")");
}

int dist_format(const dist *d, char *buf, size_t size)
{
    outbuf o = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    format_rec(&o, d);
    return (int)o.len;
}
