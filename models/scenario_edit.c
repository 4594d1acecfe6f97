/* scenario_edit: a scenario with one more override, made in memory
 * (scenario_copy_set, scenario.h).
 *
 * The copy starts as s field by field: its own strings and region array,
 * s's distributions shared (they are immutable), and a copy of the entries
 * s was made from.  The override is applied to those entries by the code
 * that applies --set (scenario_ini.c), then only the entry it changed is
 * interpreted and the cross-key checks run again: each key sets one field
 * from its text alone, so the result is the scenario that scenario_load
 * would build from the file, s's overrides and this one. */
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

/* The copy before the override: fields, strings, regions, regimes; dists
 * shared; phases left to scenario_check_whole, which rebuilds them. */
static int copy_fields(scenario *c, const scenario *s, fz_error *err)
{
    enum { NDIST = 7 }; /* distributions of a region */
    *c = *s;
    c->path = c->name = c->basedir = NULL;
    c->regions = NULL;
    c->nregions = 0;
    c->regimes = NULL;
    c->nregimes = 0;
    c->source = calloc(1, sizeof *c->source);
    if (!c->source || !(c->path = strdup(s->path)) || !(c->name = strdup(s->name)) ||
        !(c->basedir = strdup(s->basedir)) ||
        !(c->regions = calloc(s->nregions ? s->nregions : 1, sizeof *c->regions)) ||
        !(c->regimes = calloc(s->nregimes ? s->nregimes : 1, sizeof *c->regimes)) ||
        !(c->source->shared = malloc((NDIST * s->nregions + s->nregimes + 1) * sizeof *c->source->shared)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < s->nregions; i++) {
        const scenario_region *r = &s->regions[i];
        scenario_region *q = &c->regions[c->nregions++];
        *q = *r;
        q->phases = NULL;
        q->nphases = 0;
        q->name = strdup(r->name);
        q->label = strdup(r->label);
        const dist *d[NDIST] = {r->bond_usd,  r->hearing_delay_days, r->release_delay_days, r->stay_days,
                                r->copay_usd, r->case_duration_days, r->refund_lag_days};
        for (size_t k = 0; k < NDIST; k++)
            c->source->shared[c->source->nshared++] = d[k];
        if (!q->name || !q->label)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    for (size_t i = 0; i < s->nregimes; i++) {
        scenario_regime *g = &c->regimes[c->nregimes++];
        *g = s->regimes[i];
        if (g->bond_usd)
            c->source->shared[c->source->nshared++] = g->bond_usd;
        if (!(g->name = strdup(s->regimes[i].name)))
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    return ini_doc_copy(&c->source->doc, &s->source->doc, err);
}

int scenario_copy_set(scenario **out, const scenario *s, const char *set, const char *origin, fz_error *err)
{
    *out = NULL;
    if (!s->source) /* a scenario not made by scenario_load */
        return fz_fail(err, FZ_ERUNTIME, "scenario_copy_set: %s was not loaded from a file", s->name);
    scenario *c = malloc(sizeof *c);
    if (!c)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    ini_entry *e = NULL;
    const char *lead = NULL;
    int rc = copy_fields(c, s, err);
    if (!rc) {
        c->source->doc.path = c->path;
        rc = ini_doc_apply_set(&c->source->doc, set, origin, &e, err);
    }
    if (!rc && !(rc = scenario_apply_entry(c, e, err)) && (rc = scenario_check_whole(c, &c->source->doc, &lead, err)) &&
        lead != e->origin)
        fz_error_prefix(err, "%s: ", e->origin); /* caused by the override, found elsewhere */
    if (rc) {
        scenario_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
