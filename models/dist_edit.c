/* dist_edit: text-level edits of distributions (dist.h): one argument set
 * to a new value (sweeps over "bond_usd.median"), and the numeric arguments
 * listed (the tornado chart's parameters).  Works on the text, so the result
 * is what a user would have written, and dist_parse still validates it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist_int.h"

int dist_set_arg(char **out, const char *text, const char *arg, const char *value, fz_error *err)
{
    *out = NULL;
    span t = trim((span){text, strlen(text)});
    size_t open = 0;
    while (open < t.n && t.s[open] != '(')
        open++;
    if (open == t.n || t.s[t.n - 1] != ')')
        return fz_fail(err, FZ_EINPUT, "'%s' is not a distribution", text);
    span name = trim((span){t.s, open});
    int fam = family_find(name.s, name.n);
    if (fam >= 0 && family_table[fam]->parse_body) /* not key=value: a mixture */
        return fz_fail(err, FZ_EINPUT, "cannot set '%s' inside a %s: set the whole distribution", arg,
                       family_table[fam]->name);
    span body = {t.s + open + 1, t.n - open - 2};
    /* written through a memory stream: the result has no size to foresee
     * (an argument given twice is replaced twice) */
    char *o = NULL;
    size_t olen = 0;
    FILE *f = open_memstream(&o, &olen);
    if (!f)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    int found = 0;
    fprintf(f, "%.*s(", (int)name.n, name.s);
    for (int first = 1;; first = 0) {
        size_t cut = find_top(body, ',');
        span item = trim((span){body.s, cut});
        size_t eq = find_top(item, '=');
        span key = trim((span){item.s, eq});
        int bare = eq == item.n && span_eq(name, "fixed") && !strcmp(arg, "value");
        if (item.n && (bare || (eq < item.n && span_eq(key, arg)))) {
            fprintf(f, "%s%s=%s", first ? "" : ", ", arg, value);
            found = 1;
        } else if (item.n) {
            fprintf(f, "%s%.*s", first ? "" : ", ", (int)item.n, item.s);
        }
        if (cut == body.n)
            break;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
    if (!found && (!strcmp(arg, "min") || !strcmp(arg, "max"))) {
        fprintf(f, ", %s=%s", arg, value);
        found = 1;
    }
    fputc(')', f);
    if (fclose(f) != 0) {
        free(o);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    if (!found) {
        free(o);
        return fz_fail(err, FZ_EINPUT, "%.*s(...) has no argument '%s'", (int)name.n, name.s, arg);
    }
    *out = o;
    return 0;
}

int dist_args(const char *text, char names[][16], double *values, int max)
{
    span t = trim((span){text, strlen(text)});
    size_t open = 0;
    while (open < t.n && t.s[open] != '(')
        open++;
    if (open == t.n || t.s[t.n - 1] != ')')
        return 0;
    span name = trim((span){t.s, open});
    int f = family_find(name.s, name.n);
    if (f >= 0 && family_table[f]->nparams == 0) /* mixture, empirical: nothing numeric to vary */
        return 0;
    span body = {t.s + open + 1, t.n - open - 2};
    int k = 0;
    while (k < max) {
        size_t cut = find_top(body, ',');
        span item = trim((span){body.s, cut});
        size_t eq = find_top(item, '=');
        span key = eq < item.n ? trim((span){item.s, eq}) : (span){"value", 5};
        span val = eq < item.n ? (span){item.s + eq + 1, item.n - eq - 1} : item;
        if (key.n < 16 && parse_number(val, &values[k]) == 0) {
            memcpy(names[k], key.s, key.n);
            names[k][key.n] = '\0';
            k++;
        }
        if (cut == body.n)
            break;
        body = (span){body.s + cut + 1, body.n - cut - 1};
    }
    return k;
}

void dist_files(const dist *d, void (*fn)(void *ctx, const char *file), void *ctx)
{
    if (!d)
        return;
    if (d->file) /* empirical */
        fn(ctx, d->file);
    for (size_t i = 0; i < d->ncomp; i++)
        dist_files(d->comp[i], fn, ctx);
}
