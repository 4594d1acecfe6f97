/* dist_parse: the text form of distributions (DESIGN §4), both ways.
 *
 *   dist    := NAME '(' args ')'
 *   args    := key '=' number {',' key '=' number}  |  number       (fixed only)
 *   mixture := 'mixture(' weight ':' dist {';' weight ':' dist} ')'
 *
 * Every family also takes `min=` and `max=` (truncation; for uniform they are
 * its bounds).  Errors name the offending argument and what was expected.
 * Generic over the family table (family.h): the name picks the family_type,
 * whose parse hook reads its own arguments with dist_get_arg/dist_get_pair,
 * and whose args (or format hook) print it back. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist_int.h"

/* ---- arguments ---- */

static int split_args(fam_args *a, span body, fz_error *err)
{
    a->n = 0;
    body = trim(body);
    if (body.n == 0)
        return 0;
    for (;;) {
        size_t cut = find_top(body, ',');
        span item = trim((span){body.s, cut});
        if (a->n == MAX_ARGS)
            return fz_fail(err, FZ_EINPUT, "%s(...): too many arguments", a->fam);
        size_t eq = find_top(item, '=');
        if (item.n == 0)
            return fz_fail(err, FZ_EINPUT, "%s(...): empty argument", a->fam);
        arg *x = &a->a[a->n++];
        x->used = 0;
        if (eq == item.n) {
            x->key = (span){"", 0};
            x->val = item;
        } else {
            x->key = trim((span){item.s, eq});
            x->val = trim((span){item.s + eq + 1, item.n - eq - 1});
        }
        if (cut == body.n)
            return 0;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
}

int dist_get_arg(fam_args *a, const char *key, double *v, int *found, fz_error *err)
{
    *found = 0;
    for (int i = 0; i < a->n; i++) {
        if (!span_eq(a->a[i].key, key))
            continue;
        if (*found)
            return fz_fail(err, FZ_EINPUT, "%s(...): argument '%s' given twice", a->fam, key);
        int bad = parse_number(a->a[i].val, v);
        if (bad)
            return fz_fail(err, FZ_EINPUT, "%s(...): %s = '%.*s' %s", a->fam, key, (int)a->a[i].val.n, a->a[i].val.s,
                           DIST_NUMBER_PROBLEM(bad));
        a->a[i].used = *found = 1;
    }
    return 0;
}

int dist_get_text(fam_args *a, const char *key, char **out, fz_error *err)
{
    for (int i = 0; i < a->n; i++) {
        if (!span_eq(a->a[i].key, key))
            continue;
        if (*out)
            return fz_fail(err, FZ_EINPUT, "%s(...): argument '%s' given twice", a->fam, key);
        span v = a->a[i].val;
        if (v.n >= 2 && (v.s[0] == '"' || v.s[0] == '\'') && v.s[v.n - 1] == v.s[0]) {
            v.s++;
            v.n -= 2;
        }
        if (v.n == 0)
            return fz_fail(err, FZ_EINPUT, "%s(...): %s is empty", a->fam, key);
        *out = strndup(v.s, v.n);
        if (!*out)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        a->a[i].used = 1;
    }
    return 0;
}

int dist_get_pair(fam_args *a, const char *k1, const char *k2, double out[2], int *form, fz_error *err)
{
    int f1, f2, g1, g2, rc;
    double m, s;
    if ((rc = dist_get_arg(a, k1, &out[0], &f1, err)) || (rc = dist_get_arg(a, k2, &out[1], &f2, err)))
        return rc;
    if ((rc = dist_get_arg(a, "mean", &m, &g1, err)) || (rc = dist_get_arg(a, "sd", &s, &g2, err)))
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
    return fz_fail(err, FZ_EINPUT, "%s(...): expected either %s= and %s=, or mean= and sd=", a->fam, k1, k2);
}

/* ---- support and moments ---- */

int dist_set_support(dist *d, const fam_args *a, fz_error *err)
{
    double natural_lo = d->type->natural_lo;
    d->truncated = a->has_min || a->has_max;
    d->lo = a->has_min ? fmax(a->min, natural_lo) : natural_lo;
    d->hi = a->has_max ? a->max : INFINITY;
    if (a->has_min && a->has_max && !(a->min < a->max))
        return fz_fail(err, FZ_EINPUT, "%s(...): min = %g must be below max = %g", a->fam, a->min, a->max);
    d->cdf_lo = isinf(d->lo) ? 0 : dist_base_cdf(d, d->lo);
    d->cdf_hi = isinf(d->hi) ? 1 : dist_base_cdf(d, d->hi);
    d->sf_lo = isinf(d->lo) ? 1 : dist_base_sf(d, d->lo);
    d->sf_hi = isinf(d->hi) ? 0 : dist_base_sf(d, d->hi);
    d->mass = d->cdf_lo > 0.5 ? d->sf_lo - d->sf_hi : d->cdf_hi - d->cdf_lo;
    if (!(d->mass > 1e-12))
        return fz_fail(err, FZ_EINPUT,
                       "%s(...): the range [%g, %g] holds probability %.3g: the truncated "
                       "distribution is empty",
                       a->fam, d->lo, d->hi, d->mass);
    return 0;
}

/* The engine squares what it draws (variances of amounts and durations), so
 * every distribution needs E[X^2] finite in double precision: values up to
 * about 1e154.  Checked here, on the moments of the truncated distribution,
 * so that `check` refuses what `simulate` could not compute.  A bounded
 * support has E[X^2] <= bound^2, whatever the closed forms say (they
 * overflow for weibull(shape=0.01, max=2), whose moments are small). */
static int check_moments(const dist *d, fz_error *err)
{
    if (d->type->check_moments)
        return d->type->check_moments(d, err);
    double bound = fmax(fabs(d->lo), fabs(d->hi));
    if (isfinite(bound * bound) || dist_moments_finite(d))
        return 0;
    int tail = d->type->partial_moment != NULL;
    return fz_fail(err, FZ_EINPUT,
                   "%s(...): the mean or variance is not finite in double precision (E[X^2] above "
                   "1.8e308): the values are too large%s (values must stay below about 1e154%s)",
                   d->type->name, tail ? " or too spread out" : "", tail ? "; max= truncates a long tail" : "");
}

/* ---- one family's text ---- */

/* "fixed, uniform, ... or mixture": the families of the table, for messages. */
static void family_list(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < DIST_NFAMILIES && used < size; f++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 f == 0                   ? ""
                                 : f + 1 < DIST_NFAMILIES ? ", "
                                                          : " or ",
                                 family_table[f]->name);
}

static int check_all_used(const fam_args *a, fz_error *err)
{
    for (int i = 0; i < a->n; i++) {
        const arg *x = &a->a[i];
        if (!x->used)
            return fz_fail(err, FZ_EINPUT, "%s(...): unknown argument '%.*s'", a->fam,
                           (int)(x->key.n ? x->key.n : x->val.n), x->key.n ? x->key.s : x->val.s);
    }
    return 0;
}

/* NAME(body): the family's arguments, then its support. */
static int parse_family(dist *d, span name, span body, const char *basedir, int depth, fz_error *err)
{
    int fam = family_find(name.s, name.n);
    if (fam < 0) {
        char names[256];
        family_list(names, sizeof names);
        return fz_fail(err, FZ_EINPUT, "unknown distribution '%.*s' (expected %s)", (int)name.n, name.s, names);
    }
    const family_type *t = family_table[fam];
    d->fam = (dist_family)fam;
    d->type = t;
    if (t->parse_body)
        return t->parse_body(d, body.s, body.n, basedir, depth, err);
    fam_args a = {.fam = t->name};
    int rc;
    if ((rc = split_args(&a, body, err)) || (rc = dist_get_arg(&a, "min", &a.min, &a.has_min, err)) ||
        (rc = dist_get_arg(&a, "max", &a.max, &a.has_max, err)))
        return rc;
    d->has_min = a.has_min;
    d->has_max = a.has_max;
    d->arg_min = a.min;
    d->arg_max = a.max;
    if ((rc = t->parse(d, &a, err)) || (rc = check_all_used(&a, err)))
        return rc;
    if (t->finish)
        return t->finish(d, &a, basedir, err);
    if (!t->cdf) { /* a family without tails (fixed, uniform) is never truncated */
        d->mass = 1;
        return 0;
    }
    return dist_set_support(d, &a, err);
}

static int balanced(span t)
{
    int depth = 0;
    for (size_t i = 0; i < t.n && depth >= 0; i++)
        depth += t.s[i] == '(' ? 1 : t.s[i] == ')' ? -1 : 0;
    return depth == 0;
}

int dist_parse_rec(dist **out, span text, const char *basedir, int depth, fz_error *err)
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
        return fz_fail(err, FZ_EINPUT,
                       "expected a distribution such as fixed(1500) or "
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
        return fz_fail(err, FZ_EINPUT, "'%.*s' is followed by unexpected text '%.*s'", head, text.s, (int)after.n,
                       after.s);
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
    return dist_parse_rec(out, (span){text, strlen(text)}, basedir, 0, err);
}

/* ---- printing ---- */

void dist_put(outbuf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* NAME(arg=v, arg=v, min=, max=), or the family's own format. */
void dist_format_rec(outbuf *o, const dist *d)
{
    const family_type *t = d->type;
    if (t->format) {
        t->format(o, d);
        return;
    }
    dist_put(o, "%s(", t->name);
    for (int j = 0; j < 2 && t->args[d->form][j]; j++)
        dist_put(o, "%s%s=%.15g", j ? ", " : "", t->args[d->form][j], d->user[j]);
    if (d->has_min)
        dist_put(o, ", min=%.15g", d->arg_min);
    if (d->has_max)
        dist_put(o, ", max=%.15g", d->arg_max);
    dist_put(o, ")");
}

int dist_format(const dist *d, char *buf, size_t size)
{
    outbuf o = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    dist_format_rec(&o, d);
    return (int)o.len;
}
