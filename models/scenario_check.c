/* scenario_check: the checks that span keys (scenario_check_whole,
 * scenario_int.h), run once every entry is applied: the grid size, the
 * regimes and the phases they give, the policy against the ledger's keys
 * (DESIGN §7), the share bounds and the expected people per region.  Each
 * names the line (or --set) of a key that takes part. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_int.h"

/* DESIGN §8: objective = target_prob and min_target_prob > 0 are about
 * P(total releases >= target_releases): without a target they mean nothing. */
static int check_target(const scenario *s, const ini_doc *doc, const char **lead, fz_error *err)
{
    if (s->target_releases > 0)
        return 0;
    const char *key = s->objective == OBJ_TARGET_PROB ? "objective" : s->min_target_prob > 0 ? "min_target_prob" : NULL;
    if (!key)
        return 0;
    const char *at = scenario_entry_origin(doc, "fund", key),
               *t = scenario_entry_origin(doc, "fund", "target_releases");
    char tx[200];
    if (t)
        snprintf(tx, sizeof tx, " (target_releases = 0 at %s)", t);
    else
        snprintf(tx, sizeof tx, " (target_releases is 0 by default)");
    *lead = at ? at : s->path;
    if (*key == 'o')
        return fz_fail(err, FZ_EINPUT,
                       "%s: objective = target_prob maximises P(total releases >= target_releases), so it needs "
                       "target_releases > 0%s: set [fund] target_releases",
                       *lead, tx);
    return fz_fail(err, FZ_EINPUT,
                   "%s: min_target_prob = %g asks that P(total releases >= target_releases) be at least %g, so it "
                   "needs target_releases > 0%s: set [fund] target_releases",
                   *lead, s->min_target_prob, s->min_target_prob, tx);
}

/* Each region on its own: share bounds in order, expected people within the
 * limit.  Adds the regions' min_share into *min_total. */
static int check_regions(const scenario *s, const ini_doc *doc, const char **lead, double *min_total, fz_error *err)
{
    const char *p = s->path;
    *lead = p;
    *min_total = 0;
    for (size_t i = 0; i < s->nregions; i++) {
        const scenario_region *r = &s->regions[i];
        int line = 0;
        for (size_t j = 0; j < doc->nsec; j++)
            if (strncmp(doc->sections[j].name, "region.", 7) == 0 && strcmp(doc->sections[j].name + 7, r->name) == 0)
                line = doc->sections[j].line;
        if (r->min_share > r->max_share) {
            /* name the lines of the keys (either may be a default) */
            char sec[64];
            snprintf(sec, sizeof sec, "region.%s", r->name);
            const char *omin = scenario_entry_origin(doc, sec, "min_share"),
                       *omax = scenario_entry_origin(doc, sec, "max_share");
            char where[64];
            snprintf(where, sizeof where, "%s:%d", p, line);
            *lead = omin ? omin : omax ? omax : p;
            return fz_fail(err, FZ_EINPUT, "%s: [region.%s]: min_share = %g exceeds max_share = %g%s%s%s",
                           omin   ? omin
                           : omax ? omax
                                  : where,
                           r->name, r->min_share, r->max_share, omin && omax ? " (max_share: " : "",
                           omin && omax ? omax : "", omin && omax ? ")" : "");
        }
        /* the arrival rate is piecewise constant under regimes (DESIGN §7) */
        double people = scenario_people_mean(r);
        if (people > SCENARIO_MAX_PEOPLE_MEAN)
            return fz_fail(err, FZ_EINPUT,
                           "%s:%d: [region.%s]: %.0f people expected per replication%s; the limit "
                           "is %.0f",
                           p, line, r->name, people, r->nphases > 1 ? " (with its regimes' arrival rates)" : "",
                           SCENARIO_MAX_PEOPLE_MEAN);
        *min_total += r->min_share;
    }
    return 0;
}

/* The regions' min_share together: a cross-region error names every
 * min_share that takes part. */
static int check_min_total(const scenario *s, const ini_doc *doc, double min_total, const char **lead, fz_error *err)
{
    if (!(min_total > 1 + 1e-12))
        return 0;
    char list[640] = "";
    const char *first = NULL;
    for (size_t i = 0; i < s->nregions; i++) {
        char sec[64];
        snprintf(sec, sizeof sec, "region.%s", s->regions[i].name);
        const char *o = s->regions[i].min_share > 0 ? scenario_entry_origin(doc, sec, "min_share") : NULL;
        if (!o)
            continue;
        size_t used = strlen(list);
        if (!first)
            first = o;
        else if (used + strlen(o) + 80 >= sizeof list) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        snprintf(list + used, sizeof list - used, "%s[region.%s] %g at %s", used ? ", " : "", s->regions[i].name,
                 s->regions[i].min_share, o);
    }
    *lead = first ? first : s->path;
    return fz_fail(err, FZ_EINPUT,
                   "%s: the regions' min_share add up to %g > 1: no split of the budget meets them "
                   "(min_share of %s)",
                   *lead, min_total, list);
}

int scenario_check_whole(scenario *s, const ini_doc *doc, const char **lead, fz_error *err)
{
    const char *p = s->path;
    *lead = p;
    if (s->nregions == 0)
        return fz_fail(err, FZ_EINPUT, "%s: no regions: expected at least one [region.NAME] section", p);
    double cells = s->budget_usd / s->granularity_usd;
    if (cells > SCENARIO_MAX_GRID) {
        /* name the line of granularity_usd (what to raise), else of budget_usd */
        const char *where = scenario_entry_origin(doc, "fund", "granularity_usd");
        if (!where)
            where = scenario_entry_origin(doc, "fund", "budget_usd");
        *lead = where ? where : p;
        return fz_fail(err, FZ_EINPUT,
                       "%s: budget_usd / granularity_usd = %.0f grid steps; the limit is %d: "
                       "raise granularity_usd",
                       *lead, cells, SCENARIO_MAX_GRID);
    }
    int rc = scenario_regimes_finish(s, doc, lead, err);
    if (rc || (rc = scenario_check_policy(s, doc, lead, err)) || (rc = check_target(s, doc, lead, err)))
        return rc;
    if (s->reallocate_every_days > 0 && s->pooling == POOLING_POOLED) {
        const char *where = scenario_entry_origin(doc, "fund", "reallocate_every_days");
        *lead = where ? where : p;
        return fz_fail(err, FZ_EINPUT,
                       "%s: reallocate_every_days = %g with pooling = pooled: a pooled fund has no split to "
                       "re-make (DESIGN §8); use pooling = split or reallocate_every_days = 0",
                       *lead, s->reallocate_every_days);
    }
    double min_total;
    if ((rc = check_regions(s, doc, lead, &min_total, err)))
        return rc;
    return check_min_total(s, doc, min_total, lead, err);
}
