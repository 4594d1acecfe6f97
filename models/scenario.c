/* scenario: interpret and validate the entries of a scenario file (scenario.h).
 *
 * Each section has a table of keys: its type, where it goes and its range.
 * Every value is checked against the table; what is not in a table is an
 * error.  Cross-key checks (share bounds, grid size) come last. */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

_Static_assert(sizeof "label = " - 1 + SCENARIO_MAX_LABEL == INI_LINE_LIMIT, "a label fills a line");

#define F(field) offsetof(scenario, field)
#define R(field) offsetof(scenario_region, field)

static const char *const queue_names[] = {"skip", "wait", NULL};
static const char *const posting_names[] = {"all", "weekdays", NULL};
static const char *const pooling_names[] = {"split", "pooled", NULL};
_Static_assert(sizeof(scenario_queue) == sizeof(int) && sizeof(scenario_posting) == sizeof(int) &&
                   sizeof(scenario_pooling) == sizeof(int),
               "K_CHOICE stores an int");

const key_spec scenario_fund_keys[] = {
    {"budget_usd", K_NUM, F(budget_usd), 0, 1e12, 1, "an amount in USD in (0, 1e12]", NULL},
    {"horizon_days", K_NUM, F(horizon_days), 0, 36500, 1, "a number of days in (0, 36500]", NULL},
    {"granularity_usd", K_NUM, F(granularity_usd), 0, 1e12, 1, "an amount in USD in (0, 1e12]", NULL},
    {"policy", K_POLICY, F(policy), 0, 0, 0, "cheapest_first or first_come", NULL},
    {"objective", K_OBJECTIVE, F(objective), 0, 0, 0, "releases, freedom_days, cvar or target_prob", NULL},
    {"cvar_alpha", K_NUM, F(cvar_alpha), 0, 1, 1, "a fraction in (0, 1]", NULL},
    {"target_releases", K_NUM, F(target_releases), 0, 1e9, 0, "a number of releases in [0, 1e9]", NULL},
    {"min_target_prob", K_NUM, F(min_target_prob), 0, 1, 0, "a probability in [0, 1]", NULL}, /* DESIGN §8 */
    /* DESIGN §7 */
    {"donations_usd_per_month", K_NUM, F(donations_usd_per_month), 0, 1e12, 0, "an amount in USD in [0, 1e12]", NULL},
    {"queue", K_CHOICE, F(queue), 0, 0, 0, "skip or wait", queue_names},
    {"max_wait_days", K_UNLIMITED, F(max_wait_days), 0, 36500, 0, "a number of days in [0, 36500] or 'unlimited'",
     NULL},
    {"posting_days", K_CHOICE, F(posting_days), 0, 0, 0, "all or weekdays", posting_names},
    {"start_weekday", K_SMALL, F(start_weekday), 0, 6, 0, "a whole number from 0 (Monday) to 6 (Sunday)", NULL},
    /* DESIGN §8 */
    {"pooling", K_CHOICE, F(pooling), 0, 0, 0, "split or pooled", pooling_names},
    {"reallocate_every_days", K_NUM, F(reallocate_every_days), 0, 36500, 0,
     "a number of days in [0, 36500] (0: never)", NULL},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL}};

const key_spec scenario_simulation_keys[] = {
    {"replications", K_INT, F(replications), 1, SCENARIO_MAX_REPLICATIONS, 0, "a whole number from 1 to 100000000",
     NULL},
    {"seed", K_SEED, F(seed), 0, 0, 0, "a whole number from 0 to 9223372036854775807", NULL},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL}};

const key_spec scenario_region_keys[] = {
    {"label", K_TEXT, R(label), 0, 0, 0, "a name for people", NULL},
    {"initial_detained", K_INT, R(initial_detained), 0, 1e7, 0, "a whole number of people from 0 to 10000000", NULL},
    {"arrivals_per_day", K_NUM, R(arrivals_per_day), 0, 1e5, 0, "a rate per day in [0, 100000]", NULL},
    {"bond_grant_prob", K_NUM, R(bond_grant_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"bond_usd", K_DIST, R(bond_usd), 0, 0, 0, "a distribution of amounts", NULL},
    {"max_bond_paid_usd", K_UNLIMITED, R(max_bond_paid_usd), 0, 1e12, 0, "an amount in USD in [0, 1e12] or 'unlimited'",
     NULL},
    {"case_cost_usd", K_NUM, R(case_cost_usd), 0, 1e12, 0, "an amount in USD in [0, 1e12]", NULL},
    {"hearing_delay_days", K_DIST, R(hearing_delay_days), 0, 0, 0, "a distribution of days", NULL},
    {"release_delay_days", K_DIST, R(release_delay_days), 0, 0, 0, "a distribution of days", NULL},
    {"removal_hazard_per_day", K_NUM, R(removal_hazard_per_day), 0, 1e3, 0, "a rate per day in [0, 1000]", NULL},
    {"family_pays_prob", K_NUM, R(family_pays_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"min_share", K_NUM, R(min_share), 0, 1, 0, "a fraction in [0, 1]", NULL},
    {"max_share", K_NUM, R(max_share), 0, 1, 0, "a fraction in [0, 1]", NULL},
    /* DESIGN §7 */
    {"stay_prob", K_NUM, R(stay_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"stay_days", K_DIST, R(stay_days), 0, 0, 0, "a distribution of days", NULL},
    {"stay_revoke_prob", K_NUM, R(stay_revoke_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"copay_usd", K_DIST, R(copay_usd), 0, 0, 0, "a distribution of amounts", NULL},
    {"refund_prob", K_NUM, R(refund_prob), 0, 1, 0, "a probability in [0, 1]", NULL},
    {"case_duration_days", K_DIST, R(case_duration_days), 0, 0, 0, "a distribution of days", NULL},
    {"refund_lag_days", K_DIST, R(refund_lag_days), 0, 0, 0, "a distribution of days", NULL},
    {"max_payments_per_day", K_UNLIMITED_WHOLE, R(max_payments_per_day), 0, 1e7, 0,
     "a whole number of payments from 0 to 10000000 or 'unlimited'", NULL},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL}};

static const char *const policy_names[] = {"cheapest_first", "first_come"};
static const char *const objective_names[] = {"releases", "freedom_days", "cvar", "target_prob"};

const char *scenario_policy_name(scenario_policy p) { return policy_names[p]; }
const char *scenario_objective_name(scenario_objective o) { return objective_names[o]; }

int scenario_parse_policy(const char *text, scenario_policy *out)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(text, policy_names[i]) == 0) {
            *out = (scenario_policy)i;
            return 0;
        }
    return -1;
}

/* 0, or -1 (not a finite number), or -2: nonzero but below DBL_MIN in size,
 * where strtod underflows (a subnormal or 0): rejected rather than computed
 * with, since 1/x of such a number is infinite. */
static int parse_double(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end != text && !*end && errno == ERANGE && fabs(v) < DBL_MIN)
        return -2;
    if (end == text || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v == 0 ? 0 : v;
    return 0;
}

size_t scenario_quoted_len(const char *q)
{
    for (size_t i = 1; q[i]; i++) {
        if (q[i] == '\\' && (q[i + 1] == '"' || q[i + 1] == '\\'))
            i++;
        else if (q[i] == '"')
            return i + 1;
    }
    return 0;
}

/* The text of a value: a value that is exactly one quoted string loses its
 * quotes and escapes (\" and \\; any other backslash stays), anything else
 * is taken as written.  Returns a malloc'd string or NULL (out of memory). */
static char *unquote(const char *v)
{
    size_t n = strlen(v), close = v[0] == '"' ? scenario_quoted_len(v) : 0;
    if (close != n || n < 2)
        return strdup(v);
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 1; i + 1 < n; i++) {
        if (v[i] == '\\' && (v[i + 1] == '"' || v[i + 1] == '\\'))
            i++;
        *o++ = v[i];
    }
    *o = '\0';
    return out;
}

/* A label: no control characters, and short enough that check's line
 * holding it (quoted and escaped when needed) fits the line limit. */
static int set_text(char **field, const ini_entry *e, fz_error *err)
{
    const char *v = e->value;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return fz_fail(err, FZ_EINPUT, "%s: %s: control characters (such as a newline) are not allowed", e->origin,
                           e->key);
    char *copy = unquote(v);
    if (!copy)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    /* check prints it back on one line ("label = " + the value, quoted
     * and escaped when needed): that line must fit the line limit */
    if (scenario_label_printed_len(copy) > SCENARIO_MAX_LABEL) {
        size_t n = strlen(copy), m = scenario_label_printed_len(copy);
        free(copy);
        if (m == n)
            return fz_fail(err, FZ_EINPUT, "%s: %s: %zu bytes long; the limit is %d", e->origin, e->key, n,
                           SCENARIO_MAX_LABEL);
        return fz_fail(err, FZ_EINPUT,
                       "%s: %s: %zu bytes long, %zu written back quoted and escaped (as check prints "
                       "it); the limit is %d",
                       e->origin, e->key, n, m, SCENARIO_MAX_LABEL);
    }
    free(*field);
    *field = copy;
    return 0;
}

/* A distribution: non-negative, and printable back on one scenario line. */
static int set_dist(dist **field, const ini_entry *e, const char *basedir, fz_error *err)
{
    const char *v = e->value;
    dist *d;
    int rc = dist_parse(&d, v, basedir, err);
    if (rc) {
        fz_error_prefix(err, "%s: %s: ", e->origin, e->key);
        return rc;
    }
    if (dist_lower(d) < 0) {
        char text[256];
        dist_format(d, text, sizeof text);
        dist_free(d);
        return fz_fail(err, FZ_EINPUT,
                       "%s: %s = %s can be negative: durations and amounts must be >= 0 "
                       "(add min=0 to truncate it)",
                       e->origin, e->key, text);
    }
    /* check prints it back in this form: it must fit a scenario line */
    char text[1024];
    int len = dist_format(d, text, sizeof text);
    size_t line = strlen(e->key) + 3 + (size_t)len;
    if (line > INI_LINE_LIMIT) {
        dist_free(d);
        return fz_fail(err, FZ_EINPUT,
                       "%s: %s: written out in full (as `fianza check` prints it, e.g. mixture weights "
                       "summing to 1, numbers in digits) the line would hold %zu characters; the limit "
                       "is %d: use fewer components or shorter numbers",
                       e->origin, e->key, line, INI_LINE_LIMIT);
    }
    dist_free(*field);
    *field = d;
    return 0;
}

int scenario_set_value(void *base, const key_spec *k, const ini_entry *e, const char *basedir, fz_error *err)
{
    char *field = (char *)base + k->offset;
    const char *v = e->value;
    double x;
    switch (k->type) {
    case K_TEXT: return set_text((char **)field, e, err);
    case K_POLICY:
        if (scenario_parse_policy(v, (scenario_policy *)field) == 0)
            return 0;
        break;
    case K_OBJECTIVE:
        for (int i = 0; i < (int)(sizeof objective_names / sizeof *objective_names); i++)
            if (strcmp(v, objective_names[i]) == 0) {
                *(scenario_objective *)field = (scenario_objective)i;
                return 0;
            }
        break;
    case K_CHOICE:
        for (int i = 0; k->choices[i]; i++)
            if (strcmp(v, k->choices[i]) == 0) {
                *(int *)field = i;
                return 0;
            }
        break;
    case K_SEED: {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        /* at most 2^63 - 1: summary.json carries the seed as a JSON integer,
         * which jansson holds in a signed 64-bit type */
        if (isdigit((unsigned char)v[0]) && !*end && errno != ERANGE && s <= (unsigned long long)INT64_MAX) {
            *(uint64_t *)field = (uint64_t)s;
            return 0;
        }
        break;
    }
    case K_DIST: return set_dist((dist **)field, e, basedir, err);
    case K_REGIONS: return fz_fail(err, FZ_ERUNTIME, "%s: %s: not a plain value", e->origin, e->key);
    case K_UNLIMITED:
    case K_UNLIMITED_WHOLE:
        if (strcmp(v, "unlimited") == 0 || strcmp(v, "inf") == 0) {
            *(double *)field = INFINITY;
            return 0;
        }
        /* fall through */
    case K_NUM:
    case K_INT:
    case K_SMALL:
        if (parse_double(v, &x) == -2)
            return fz_fail(err, FZ_EINPUT,
                           "%s: %s = '%s': too close to 0 (a nonzero number must be at least 2.2e-308 "
                           "in size): expected %s",
                           e->origin, e->key, v, k->want);
        if (parse_double(v, &x) == 0 && x >= k->lo && x <= k->hi && !(k->lo_open && x == k->lo)) {
            if (k->type == K_NUM || k->type == K_UNLIMITED) {
                *(double *)field = x;
                return 0;
            }
            if (x != floor(x))
                break;
            if (k->type == K_INT)
                *(long *)field = (long)x;
            else if (k->type == K_SMALL)
                *(int *)field = (int)x;
            else
                *(double *)field = x;
            return 0;
        }
        break;
    }
    return fz_fail(err, FZ_EINPUT, "%s: %s = '%s': expected %s", e->origin, e->key, v, k->want);
}

const key_spec *scenario_find_key(const key_spec *keys, const char *name, size_t len)
{
    for (const key_spec *k = keys; k->name; k++)
        if (strlen(k->name) == len && strncmp(k->name, name, len) == 0)
            return k;
    return NULL;
}

int scenario_unknown_key(const key_spec *keys, const ini_entry *e, fz_error *err)
{
    char known[640] = "";
    for (const key_spec *q = keys; q->name; q++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", q == keys ? "" : ", ", q->name);
    return fz_fail(err, FZ_EINPUT, "%s: unknown key '%s' in [%s] (known: %s)", e->origin, e->key, e->section, known);
}

/* One entry of section against its key table. */
static int apply_entry(void *base, const key_spec *keys, ini_entry *e, const char *basedir, fz_error *err)
{
    e->used = 1;
    const key_spec *k = scenario_find_key(keys, e->key, strlen(e->key));
    return k ? scenario_set_value(base, k, e, basedir, err) : scenario_unknown_key(keys, e, err);
}

static int apply_section(void *base, const key_spec *keys, ini_doc *doc, const char *section, const char *basedir,
                         fz_error *err)
{
    for (size_t i = 0; i < doc->n; i++) {
        ini_entry *e = &doc->entries[i];
        if (strcmp(e->section, section) != 0)
            continue;
        int rc = apply_entry(base, keys, e, basedir, err);
        if (rc)
            return rc;
    }
    return 0;
}

int scenario_dist_shared(const scenario_source *src, const dist *d)
{
    for (size_t i = 0; src && i < src->nshared; i++)
        if (src->shared[i] == d)
            return 1;
    return 0;
}

int scenario_apply_entry(scenario *s, ini_entry *e, fz_error *err)
{
    if (!strcmp(e->section, "fund"))
        return apply_entry(s, scenario_fund_keys, e, s->basedir, err);
    if (!strcmp(e->section, "simulation"))
        return apply_entry(s, scenario_simulation_keys, e, s->basedir, err);
    if (!strncmp(e->section, "regime.", 7)) {
        scenario_regime *g;
        int rc = scenario_regime_get(s, e->section + 7, e->origin, &g, err);
        return rc ? rc : scenario_regime_apply(s, g, e, err);
    }
    int c = strncmp(e->section, "region.", 7) ? -1 : scenario_region_index(s, e->section + 7);
    if (c < 0) /* ini_doc_apply_set adds entries to known sections only */
        return fz_fail(err, FZ_ERUNTIME, "%s: no section [%s]", e->origin, e->section);
    scenario_region *r = &s->regions[c];
    for (const key_spec *k = scenario_region_keys; k->name; k++) {
        dist **field = (dist **)((char *)r + k->offset);
        /* set_value frees the distribution it replaces: not one shared with another scenario */
        if (k->type == K_DIST && !strcmp(k->name, e->key) && scenario_dist_shared(s->source, *field))
            *field = NULL;
    }
    return apply_entry(r, scenario_region_keys, e, s->basedir, err);
}

int scenario_valid_name(const char *s)
{
    if (!*s || strlen(s) > 48)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return 0;
    return 1;
}

static int region_defaults(scenario_region *r, const char *name, fz_error *err)
{
    memset(r, 0, sizeof *r);
    r->name = strdup(name);
    r->label = strdup(name);
    r->bond_grant_prob = 1;
    r->max_bond_paid_usd = INFINITY;
    r->max_share = 1;
    r->max_payments_per_day = INFINITY;
    if (!r->name || !r->label || dist_parse(&r->bond_usd, "fixed(1500)", NULL, err) ||
        dist_parse(&r->hearing_delay_days, "fixed(0)", NULL, err) ||
        dist_parse(&r->release_delay_days, "fixed(0)", NULL, err) || dist_parse(&r->stay_days, "fixed(0)", NULL, err) ||
        dist_parse(&r->copay_usd, "fixed(0)", NULL, err) || dist_parse(&r->case_duration_days, "fixed(0)", NULL, err) ||
        dist_parse(&r->refund_lag_days, "fixed(0)", NULL, err))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    return 0;
}

const char *scenario_entry_origin(const ini_doc *doc, const char *section, const char *key)
{
    for (size_t i = 0; i < doc->n; i++)
        if (strcmp(doc->entries[i].section, section) == 0 && strcmp(doc->entries[i].key, key) == 0)
            return doc->entries[i].origin;
    return NULL;
}

const char *scenario_section_where(const ini_doc *doc, size_t j, char *buf, size_t size)
{
    const ini_section *sec = &doc->sections[j];
    for (size_t i = 0; sec->line == 0 && i < doc->n; i++)
        if (strcmp(doc->entries[i].section, sec->name) == 0)
            return doc->entries[i].origin;
    snprintf(buf, size, "%s:%d", doc->path, sec->line);
    return buf;
}

int scenario_load(scenario **out, const char *path, const char *const *sets, size_t nsets, fz_error *err)
{
    return scenario_load_named(out, path, sets, NULL, nsets, err);
}

/* Makes the regions, then the regimes (whose `regions` name regions that may
 * come later in the file), each from its section. */
static int load_sections(scenario *s, ini_doc *doc, fz_error *err)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < doc->nsec; j++) {
            const char *name = doc->sections[j].name;
            char buf[4200]; /* "PATH:LINE" */
            const char *where = scenario_section_where(doc, j, buf, sizeof buf);
            int region = strncmp(name, "region.", 7) == 0, regime = strncmp(name, "regime.", 7) == 0;
            if (strcmp(name, "fund") == 0 || strcmp(name, "simulation") == 0 || (pass == 0 && regime) ||
                (pass == 1 && !regime))
                continue;
            if ((!region && !regime) || (region && !scenario_valid_name(name + 7)))
                return fz_fail(err, FZ_EINPUT,
                               "%s: unknown section [%s]: expected [fund], [simulation], [region.NAME] or "
                               "[regime.NAME] (NAME: letters, digits, '_' or '-')",
                               where, name);
            int rc;
            void *base;
            if (regime) {
                scenario_regime *g;
                if ((rc = scenario_regime_get(s, name + 7, where, &g, err)))
                    return rc;
                for (size_t i = 0; i < doc->n; i++)
                    if (strcmp(doc->entries[i].section, name) == 0 &&
                        (rc = scenario_regime_apply(s, g, &doc->entries[i], err)))
                        return rc;
                continue;
            }
            if (s->nregions == SCENARIO_MAX_REGIONS)
                return fz_fail(err, FZ_EINPUT, "%s: more than %d regions", where, SCENARIO_MAX_REGIONS);
            scenario_region *grown = realloc(s->regions, (s->nregions + 1) * sizeof *grown);
            if (!grown)
                return fz_fail(err, FZ_ERUNTIME, "out of memory");
            s->regions = grown;
            rc = region_defaults(&s->regions[s->nregions], name + 7, err);
            base = &s->regions[s->nregions++];
            if (rc || (rc = apply_section(base, scenario_region_keys, doc, name, s->basedir, err)))
                return rc;
        }
    return 0;
}

int scenario_load_named(scenario **out, const char *path, const char *const *sets, const char *const *origins,
                        size_t nsets, fz_error *err)
{
    *out = NULL;
    scenario *s = calloc(1, sizeof *s);
    if (!s || !(s->source = calloc(1, sizeof *s->source))) {
        free(s);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    ini_doc doc;
    int rc = ini_doc_read(&doc, path, err);
    if (rc) {
        scenario_free(s);
        return rc;
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    if (blen > 4 && strcmp(base + blen - 4, ".ini") == 0)
        blen -= 4;
    s->path = strdup(path);
    s->name = strndup(base, blen);
    s->basedir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
    s->budget_usd = 300000;
    s->horizon_days = 90;
    s->granularity_usd = 500;
    s->cvar_alpha = 0.1;
    s->replications = 10000;
    s->seed = 1;
    s->max_wait_days = INFINITY;
    if (!s->path || !s->name || !s->basedir) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nsets; i++)
        if ((rc = ini_doc_apply_set(&doc, sets[i], origins ? origins[i] : NULL, NULL, err)))
            goto done;
    if ((rc = load_sections(s, &doc, err)) ||
        (rc = apply_section(s, scenario_fund_keys, &doc, "fund", s->basedir, err)) ||
        (rc = apply_section(s, scenario_simulation_keys, &doc, "simulation", s->basedir, err)))
        goto done;
    const char *lead;
    rc = scenario_check_whole(s, &doc, &lead, err);
done:
    doc.path = s->path; /* kept for scenario_copy_set, which outlives the caller's path */
    s->source->doc = doc;
    if (rc) {
        scenario_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void scenario_free(scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nregions; i++) {
        scenario_region *r = &s->regions[i];
        free(r->name);
        free(r->label);
        free(r->phases);
        dist *own[] = {r->bond_usd,  r->hearing_delay_days, r->release_delay_days, r->stay_days,
                       r->copay_usd, r->case_duration_days, r->refund_lag_days};
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            if (!scenario_dist_shared(s->source, own[k]))
                dist_free(own[k]);
    }
    scenario_regimes_free(s);
    if (s->source) {
        ini_doc_free(&s->source->doc);
        free(s->source->shared);
        free(s->source);
    }
    free(s->regions);
    free(s->path);
    free(s->name);
    free(s->basedir);
    free(s);
}

size_t scenario_grid_points(const scenario *s)
{
    return (size_t)floor(s->budget_usd / s->granularity_usd + SCENARIO_GRID_EPS) + 1;
}

int scenario_region_index(const scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nregions; i++)
        if (strcmp(s->regions[i].name, name) == 0)
            return (int)i;
    return -1;
}
