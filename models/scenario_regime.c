/* scenario_regime: [regime.NAME] sections and the phases they give each
 * region (DESIGN §7; scenario.h: scenario_regime, scenario_phase), the
 * check that keeps cheapest_first to funds that only spend, and
 * scenario_uses_ledger.
 *
 * A regime replaces some of a region's values within [start_day, end_day).
 * Rather than have the engine look regimes up per person, each region gets
 * its phases: the cuts are the start and end days of the regimes that apply
 * to it, clipped to [0, H], and each phase holds the region's values with
 * every regime covering it applied in file order (so the later section wins
 * for each key it sets).  Phases are rebuilt whenever the scenario is checked
 * (scenario_check_whole), so a --set of horizon_days moves them too. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

#define G(field) offsetof(scenario_regime, field)

/* The order of the settable keys is the order of the REGIME_* bits. */
const key_spec scenario_regime_keys[] = {
    {"start_day", K_NUM, G(start_day), 0, 36500, 0, "a day in [0, 36500]", NULL},
    {"end_day", K_NUM, G(end_day), 0, 36500, 1, "a day in (0, 36500]", NULL},
    {"regions", K_REGIONS, 0, 0, 0, 0, "region names separated by commas", NULL},
    {"arrivals_per_day", K_NUM, G(arrivals_per_day), 0, 1e5, 0, "a rate per day in [0, 100000]", NULL},
    {"bond_grant_prob", K_NUM, G(bond_grant_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"bond_usd", K_DIST, G(bond_usd), 0, 0, 0, "a distribution of amounts", NULL},
    {"family_pays_prob", K_NUM, G(family_pays_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"max_bond_paid_usd", K_UNLIMITED, G(max_bond_paid_usd), 0, 1e12, 0, "an amount in USD in [0, 1e12] or 'unlimited'",
     NULL},
    {"stay_prob", K_NUM, G(stay_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL}};

enum { FIRST_SETTABLE = 3 }; /* scenario_regime_keys[3 + i] sets bit 1 << i */

int scenario_regime_get(scenario *s, const char *name, const char *where, scenario_regime **out, fz_error *err)
{
    for (size_t i = 0; i < s->nregimes; i++)
        if (strcmp(s->regimes[i].name, name) == 0) {
            *out = &s->regimes[i];
            return 0;
        }
    if (!scenario_valid_name(name))
        return fz_fail(err, FZ_EINPUT,
                       "%s: unknown section [regime.%s]: a regime's NAME is 1 to 48 letters, digits, '_' or '-'", where,
                       name);
    if (s->nregimes == SCENARIO_MAX_REGIMES)
        return fz_fail(err, FZ_EINPUT, "%s: [regime.%s]: more than %d regimes", where, name, SCENARIO_MAX_REGIMES);
    scenario_regime *grown = realloc(s->regimes, (s->nregimes + 1) * sizeof *grown);
    if (!grown)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    s->regimes = grown;
    scenario_regime *g = &s->regimes[s->nregimes];
    /* start_day NAN: not given yet (required, scenario_regimes_finish) */
    *g = (scenario_regime){.name = strdup(name), .start_day = NAN, .end_day = INFINITY, .regions = UINT64_MAX};
    if (!g->name)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    s->nregimes++;
    *out = g;
    return 0;
}

void scenario_regions_text(const scenario *s, uint64_t mask, char *buf, size_t size)
{
    for (int compact = 0; compact < 2; compact++) {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t c = 0; c < s->nregions && c < 64; c++)
            if (mask >> c & 1) {
                int n = snprintf(buf + used, used < size ? size - used : 0, "%s%s", used ? (compact ? "," : ", ") : "",
                                 s->regions[c].name);
                used += (size_t)n;
            }
        if (sizeof "regions = " - 1 + used <= INI_LINE_LIMIT || compact)
            return;
    }
}

/* The region names of s, for messages ("a, b, ..."). */
static void known_regions(const scenario *s, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < s->nregions; c++) {
        if (used + strlen(s->regions[c].name) + 8 >= size) {
            snprintf(buf + used, size - used, ", ...");
            return;
        }
        used += (size_t)snprintf(buf + used, size - used, "%s%s", c ? ", " : "", s->regions[c].name);
    }
}

/* regions = a, b: a bit per region named. */
static int set_regions(const scenario *s, scenario_regime *g, const ini_entry *e, fz_error *err)
{
    uint64_t mask = 0;
    char known[600];
    for (const char *p = e->value;;) {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        size_t n = (size_t)(end - p);
        int c = -1;
        for (size_t i = 0; i < s->nregions && c < 0; i++)
            if (strlen(s->regions[i].name) == n && strncmp(s->regions[i].name, p, n) == 0)
                c = (int)i;
        if (c < 0) {
            known_regions(s, known, sizeof known);
            if (n == 0)
                return fz_fail(err, FZ_EINPUT,
                               "%s: regions = '%s': an empty name: expected region names separated by commas "
                               "(known: %s), or no regions key for all of them",
                               e->origin, e->value, known);
            return fz_fail(err, FZ_EINPUT, "%s: regions: no region '%.*s' in the scenario (known: %s)", e->origin,
                           (int)n, p, known);
        }
        mask |= (uint64_t)1 << c;
        if (!comma)
            break;
        p = comma + 1;
    }
    /* check prints it back on one line */
    char text[64 * 52];
    scenario_regions_text(s, mask, text, sizeof text);
    size_t line = sizeof "regions = " - 1 + strlen(text);
    if (line > INI_LINE_LIMIT)
        return fz_fail(err, FZ_EINPUT,
                       "%s: regions: written back as `fianza check` prints it the line would hold %zu "
                       "characters; the limit is %d: leave regions out if the regime applies to every region",
                       e->origin, line, INI_LINE_LIMIT);
    g->regions = mask;
    return 0;
}

int scenario_regime_apply(scenario *s, scenario_regime *g, ini_entry *e, fz_error *err)
{
    e->used = 1;
    const key_spec *k = scenario_find_key(scenario_regime_keys, e->key, strlen(e->key));
    if (!k)
        return scenario_unknown_key(scenario_regime_keys, e, err);
    if (k->type == K_REGIONS)
        return set_regions(s, g, e, err);
    /* set_value frees the distribution it replaces: not one shared with another scenario */
    if (k->type == K_DIST && scenario_dist_shared(s->source, g->bond_usd))
        g->bond_usd = NULL;
    int rc = scenario_set_value(g, k, e, s->basedir, err);
    int i = (int)(k - scenario_regime_keys) - FIRST_SETTABLE;
    if (!rc && i >= 0)
        g->set |= 1u << i;
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int applies(const scenario_regime *g, size_t c) { return c < 64 && (g->regions >> c & 1); }

/* [start, end) of g clipped to [0, H]. */
static void clipped(const scenario_regime *g, double H, double *start, double *end)
{
    *start = fmin(g->start_day, H);
    *end = isinf(g->end_day) ? H : fmin(g->end_day, H);
}

static void apply_regime(scenario_phase *p, const scenario_regime *g)
{
    if (g->set & REGIME_ARRIVALS)
        p->arrivals_per_day = g->arrivals_per_day;
    if (g->set & REGIME_GRANT)
        p->bond_grant_prob = g->bond_grant_prob;
    if (g->set & REGIME_BOND)
        p->bond_usd = g->bond_usd;
    if (g->set & REGIME_FAMILY)
        p->family_pays_prob = g->family_pays_prob;
    if (g->set & REGIME_MAX_BOND)
        p->max_bond_paid_usd = g->max_bond_paid_usd;
    if (g->set & REGIME_STAY)
        p->stay_prob = g->stay_prob;
}

static int same_values(const scenario_phase *a, const scenario_phase *b)
{
    return a->arrivals_per_day == b->arrivals_per_day && a->bond_grant_prob == b->bond_grant_prob &&
           a->family_pays_prob == b->family_pays_prob && a->max_bond_paid_usd == b->max_bond_paid_usd &&
           a->stay_prob == b->stay_prob && a->bond_usd == b->bond_usd;
}

/* Region c's phases of [0, H); adjacent phases with equal values are merged. */
static int build_phases(scenario *s, size_t c, fz_error *err)
{
    scenario_region *r = &s->regions[c];
    double H = s->horizon_days;
    double *cut = malloc((2 * s->nregimes + 2) * sizeof *cut);
    free(r->phases);
    r->phases = NULL;
    r->nphases = 0;
    if (!cut)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    size_t ncut = 0;
    cut[ncut++] = 0;
    cut[ncut++] = H;
    for (size_t i = 0; i < s->nregimes; i++) {
        double a, b;
        clipped(&s->regimes[i], H, &a, &b);
        if (applies(&s->regimes[i], c) && a < b)
            cut[ncut++] = a, cut[ncut++] = b;
    }
    qsort(cut, ncut, sizeof *cut, cmp_double);
    if (!(r->phases = malloc((ncut - 1) * sizeof *r->phases))) {
        free(cut);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    for (size_t j = 0; j + 1 < ncut; j++) {
        if (!(cut[j] < cut[j + 1]))
            continue;
        scenario_phase p = {cut[j],
                            cut[j + 1],
                            r->arrivals_per_day,
                            r->bond_grant_prob,
                            r->family_pays_prob,
                            r->max_bond_paid_usd,
                            r->stay_prob,
                            r->bond_usd};
        for (size_t i = 0; i < s->nregimes; i++) {
            double a, b;
            clipped(&s->regimes[i], H, &a, &b);
            if (applies(&s->regimes[i], c) && a <= p.start && p.end <= b)
                apply_regime(&p, &s->regimes[i]);
        }
        if (r->nphases && same_values(&r->phases[r->nphases - 1], &p))
            r->phases[r->nphases - 1].end = p.end;
        else
            r->phases[r->nphases++] = p;
    }
    free(cut);
    return 0;
}

int scenario_regimes_finish(scenario *s, const ini_doc *doc, const char **lead, fz_error *err)
{
    for (size_t i = 0; i < s->nregimes; i++) {
        const scenario_regime *g = &s->regimes[i];
        char sec[64], buf[4200]; /* buf: "PATH:LINE" */
        snprintf(sec, sizeof sec, "regime.%s", g->name);
        if (isnan(g->start_day)) {
            const char *where = s->path;
            int by_set = 0;
            for (size_t j = 0; j < doc->nsec; j++)
                if (strcmp(doc->sections[j].name, sec) == 0) {
                    where = scenario_section_where(doc, j, buf, sizeof buf);
                    by_set = doc->sections[j].line == 0;
                }
            *lead = where;
            return fz_fail(err, FZ_EINPUT,
                           "%s: [regime.%s] has no start_day: expected start_day = DAY, the day (>= 0, day 0 "
                           "being the start of the horizon) from which the regime applies%s%s%s",
                           where, g->name, by_set ? " (the scenario file has no such regime: add --set regime." : "",
                           by_set ? g->name : "", by_set ? ".start_day=DAY to make one)" : "");
        }
        if (g->end_day <= g->start_day) {
            const char *oe = scenario_entry_origin(doc, sec, "end_day"),
                       *os = scenario_entry_origin(doc, sec, "start_day");
            *lead = oe ? oe : s->path;
            return fz_fail(err, FZ_EINPUT,
                           "%s: [regime.%s]: end_day = %g is not after start_day = %g%s%s%s: expected end_day > "
                           "start_day (the regime applies on [start_day, end_day))",
                           *lead, g->name, g->end_day, g->start_day, os ? " (" : "", os ? os : "", os ? ")" : "");
        }
    }
    *lead = s->path;
    for (size_t c = 0; c < s->nregions; c++) {
        int rc = build_phases(s, c, err);
        if (rc)
            return rc;
    }
    return 0;
}

double scenario_people_mean(const scenario_region *r)
{
    double people = (double)r->initial_detained;
    for (size_t j = 0; j < r->nphases; j++)
        people += r->phases[j].arrivals_per_day * (r->phases[j].end - r->phases[j].start);
    return people;
}

const scenario_phase *scenario_region_phases(const scenario_region *g, double horizon, scenario_phase *one,
                                             size_t *n)
{
    if (g->nphases > 0) {
        *n = g->nphases;
        return g->phases;
    }
    *one = (scenario_phase){0,
                            horizon,
                            g->arrivals_per_day,
                            g->bond_grant_prob,
                            g->family_pays_prob,
                            g->max_bond_paid_usd,
                            g->stay_prob,
                            g->bond_usd};
    *n = 1;
    return one;
}

int scenario_uses_ledger(const scenario *s, size_t c)
{
    const scenario_region *r = &s->regions[c];
    return r->refund_prob > 0 || s->donations_usd_per_month > 0 || isfinite(r->max_payments_per_day) ||
           s->posting_days == POSTING_WEEKDAYS || s->queue == QUEUE_WAIT;
}

/* Why entry e (a key of the ledger) rules out cheapest_first, or NULL when
 * its value does not. */
static const char *needs_ledger(const scenario *s, const ini_entry *e)
{
    if (!strcmp(e->section, "fund")) {
        if (!strcmp(e->key, "donations_usd_per_month") && s->donations_usd_per_month > 0)
            return "money arrives over time (donations)";
        if (!strcmp(e->key, "queue") && s->queue == QUEUE_WAIT)
            return "cases wait in a queue until money comes";
        if (!strcmp(e->key, "posting_days") && s->posting_days == POSTING_WEEKDAYS)
            return "bonds are posted on weekdays only";
        if (!strcmp(e->key, "reallocate_every_days") && s->reallocate_every_days > 0)
            return "the split is re-made during the horizon from what is left (re-allocation)";
        return NULL;
    }
    int c = strncmp(e->section, "region.", 7) ? -1 : scenario_region_index(s, e->section + 7);
    if (c < 0)
        return NULL;
    if (!strcmp(e->key, "refund_prob") && s->regions[c].refund_prob > 0)
        return "money comes back when cases end (refunds)";
    if (!strcmp(e->key, "max_payments_per_day") && isfinite(s->regions[c].max_payments_per_day))
        return "only so many bonds can be posted a day";
    return NULL;
}

int scenario_check_policy(const scenario *s, const ini_doc *doc, const char **lead, fz_error *err)
{
    if (s->policy != POLICY_CHEAPEST_FIRST)
        return 0;
    const ini_entry *bad = NULL;
    const char *why = NULL;
    for (size_t i = 0; i < doc->n && !bad; i++)
        if ((why = needs_ledger(s, &doc->entries[i])))
            bad = &doc->entries[i];
    if (!bad)
        return 0;
    /* an override that asks for cheapest_first is the cause: name it */
    const ini_entry *policy = NULL;
    for (size_t i = 0; i < doc->n; i++)
        if (!strcmp(doc->entries[i].section, "fund") && !strcmp(doc->entries[i].key, "policy"))
            policy = &doc->entries[i];
    int at_policy = policy && policy->line == 0 && bad->line != 0;
    *lead = at_policy ? policy->origin : bad->origin;
    char key[200], pol[300];
    snprintf(key, sizeof key, "%s%s%s%s = %s", strcmp(bad->section, "fund") ? "[" : "",
             strcmp(bad->section, "fund") ? bad->section : "", strcmp(bad->section, "fund") ? "] " : "", bad->key,
             bad->value);
    if (at_policy)
        snprintf(pol, sizeof pol, " with %s (%s)", key, bad->origin);
    else
        snprintf(pol, sizeof pol, " with %s (policy = cheapest_first %s%s)", key, policy ? "at " : "is the default",
                 policy ? policy->origin : "");
    return fz_fail(err, FZ_EINPUT,
                   "%s: policy = cheapest_first%s: cheapest_first is an offline bound for a fund that only spends "
                   "(DESIGN §7), paying the cheapest cases of the whole horizon as if all were known at day 0, "
                   "but here %s, so what the fund can pay depends on when; use policy = first_come",
                   *lead, pol, why);
}

void scenario_regimes_free(scenario *s)
{
    for (size_t i = 0; i < s->nregimes; i++) {
        free(s->regimes[i].name);
        if (!scenario_dist_shared(s->source, s->regimes[i].bond_usd))
            dist_free(s->regimes[i].bond_usd);
    }
    free(s->regimes);
    s->regimes = NULL;
    s->nregimes = 0;
}
