/* scenario_param: the numeric parameters that sweeps and the tornado chart
 * vary (scenario_params, scenario_key_numeric; scenario.h), named as --set
 * takes them: region keys, the fund's DESIGN §7 keys and the keys of each
 * [regime.NAME], each distribution argument on its own. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

typedef struct plist {
    scenario_param *p;
    size_t n, cap;
} plist;

static scenario_param *push(plist *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        scenario_param *p = realloc(l->p, cap * sizeof *p);
        if (!p)
            return NULL;
        l->p = p;
        l->cap = cap;
    }
    scenario_param *e = &l->p[l->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static int is_whole(key_type t) { return t == K_INT || t == K_SMALL || t == K_UNLIMITED_WHOLE; }

/* The numeric value of field k of base, or NAN for a key that holds none. */
static double numeric(const void *base, const key_spec *k)
{
    const char *field = (const char *)base + k->offset;
    switch (k->type) {
    case K_INT: return (double)*(const long *)field;
    case K_SMALL: return *(const int *)field;
    case K_NUM:
    case K_UNLIMITED:
    case K_UNLIMITED_WHOLE: return *(const double *)field;
    default: return NAN;
    }
}

/* The keys of base named in `only` (NULL: every numeric key and
 * distribution of the table but `skip`), as PREFIX.KEY and PREFIX.KEY.ARG.
 * A key whose value is not finite (unlimited) has nothing to vary. */
static int add_keys(plist *l, const void *base, const key_spec *keys, const char *prefix,
                    int (*keep)(const key_spec *k, const void *base), fz_error *err)
{
    for (const key_spec *q = keys; q->name; q++) {
        if (!keep(q, base))
            continue;
        if (q->type == K_DIST) {
            const dist *d = *(dist *const *)((const char *)base + q->offset);
            char text[1024], names[16][16];
            double values[16];
            if (!d)
                continue;
            dist_format(d, text, sizeof text);
            int m = dist_args(text, names, values, 16);
            for (int j = 0; j < m; j++) {
                scenario_param *e = push(l);
                if (!e)
                    return fz_fail(err, FZ_ERUNTIME, "out of memory");
                *e = (scenario_param){.value = values[j], .lo = 0, .hi = 1e12};
                snprintf(e->name, sizeof e->name, "%s.%s.%s", prefix, q->name, names[j]);
            }
            continue;
        }
        double v = numeric(base, q);
        if (!isfinite(v))
            continue;
        scenario_param *e = push(l);
        if (!e)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        *e = (scenario_param){.value = v, .lo = q->lo, .hi = q->hi, .integer = is_whole(q->type)};
        snprintf(e->name, sizeof e->name, "%s.%s", prefix, q->name);
    }
    return 0;
}

/* Regions: every numeric key and distribution but the share bounds. */
static int keep_region(const key_spec *k, const void *base)
{
    (void)base;
    return strcmp(k->name, "min_share") != 0 && strcmp(k->name, "max_share") != 0;
}

/* The fund: its DESIGN §7 numbers (the budget has its own sweep). */
static int keep_fund(const key_spec *k, const void *base)
{
    (void)base;
    return !strcmp(k->name, "donations_usd_per_month") || !strcmp(k->name, "max_wait_days") ||
           !strcmp(k->name, "start_weekday");
}

/* A regime: its days and the keys it sets. */
static int keep_regime(const key_spec *k, const void *base)
{
    static const char *const keys[] = {"arrivals_per_day", "bond_grant_prob",   "bond_usd",
                                       "family_pays_prob", "max_bond_paid_usd", "stay_prob"};
    const scenario_regime *g = base;
    if (!strcmp(k->name, "start_day") || !strcmp(k->name, "end_day"))
        return 1;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcmp(k->name, keys[i]))
            return (g->set & (1u << i)) != 0; /* REGIME_* in this order */
    return 0;
}

_Static_assert(REGIME_ARRIVALS == 1 && REGIME_GRANT == 2 && REGIME_BOND == 4 && REGIME_FAMILY == 8 &&
                   REGIME_MAX_BOND == 16 && REGIME_STAY == 32,
               "keep_regime lists the keys in REGIME_* order");

int scenario_params(scenario_param **out, size_t *n, const scenario *s, fz_error *err)
{
    plist l = {0};
    char prefix[80];
    int rc = 0;
    for (size_t c = 0; !rc && c < s->nregions; c++) {
        snprintf(prefix, sizeof prefix, "region.%s", s->regions[c].name);
        rc = add_keys(&l, &s->regions[c], scenario_region_keys, prefix, keep_region, err);
    }
    if (!rc)
        rc = add_keys(&l, s, scenario_fund_keys, "fund", keep_fund, err);
    for (size_t g = 0; !rc && g < s->nregimes; g++) {
        snprintf(prefix, sizeof prefix, "regime.%s", s->regimes[g].name);
        rc = add_keys(&l, &s->regimes[g], scenario_regime_keys, prefix, keep_regime, err);
    }
    if (!rc && !l.p && !(l.p = calloc(1, sizeof *l.p)))
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    if (rc) {
        free(l.p);
        return rc;
    }
    *out = l.p;
    *n = l.n;
    return 0;
}

int scenario_key_numeric(const char *name)
{
    const key_spec *keys;
    const char *key;
    if (strncmp(name, "fund.", 5) == 0)
        keys = scenario_fund_keys, key = name + 5;
    else if (strncmp(name, "simulation.", 11) == 0)
        keys = scenario_simulation_keys, key = name + 11;
    else if (strncmp(name, "region.", 7) == 0 && strchr(name + 7, '.'))
        keys = scenario_region_keys, key = strchr(name + 7, '.') + 1;
    else if (strncmp(name, "regime.", 7) == 0 && strchr(name + 7, '.'))
        keys = scenario_regime_keys, key = strchr(name + 7, '.') + 1;
    else
        return -1;
    const char *dot = strchr(key, '.');
    const key_spec *k = scenario_find_key(keys, key, dot ? (size_t)(dot - key) : strlen(key));
    if (!k)
        return -1;
    if (k->type == K_DIST)
        return dot && dot[1] ? 1 : 0;
    if (dot)
        return -1;
    return k->type == K_NUM || k->type == K_INT || k->type == K_SMALL || k->type == K_SEED || k->type == K_UNLIMITED ||
           k->type == K_UNLIMITED_WHOLE;
}
