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

/* The copy before the override: fields, strings, regions; dists shared. */
static int copy_fields(scenario *c, const scenario *s, fz_error *err)
{
    *c = *s;
    c->path = c->name = c->basedir = NULL;
    c->regions = NULL;
    c->nregions = 0;
    c->source = calloc(1, sizeof *c->source);
    if (!c->source || !(c->path = strdup(s->path)) || !(c->name = strdup(s->name)) ||
        !(c->basedir = strdup(s->basedir)) ||
        !(c->regions = calloc(s->nregions ? s->nregions : 1, sizeof *c->regions)) ||
        !(c->source->shared = malloc((3 * s->nregions + 1) * sizeof *c->source->shared)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; i < s->nregions; i++) {
        const scenario_region *r = &s->regions[i];
        scenario_region *q = &c->regions[c->nregions++];
        *q = *r;
        q->name = strdup(r->name);
        q->label = strdup(r->label);
        const dist *d[] = {r->bond_usd, r->hearing_delay_days, r->release_delay_days};
        for (size_t k = 0; k < 3; k++)
            c->source->shared[c->source->nshared++] = d[k];
        if (!q->name || !q->label)
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
