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

typedef enum key_type { K_NUM, K_INT, K_SEED, K_TEXT, K_DIST, K_POLICY, K_OBJECTIVE, K_UNLIMITED } key_type;

typedef struct key_spec {
    const char *name;
    key_type type;
    size_t offset;
    double lo, hi;    /* inclusive range for numbers */
    int lo_open;      /* lo itself is not allowed */
    const char *want; /* what is expected, for messages */
} key_spec;

_Static_assert(sizeof "label = " - 1 + SCENARIO_MAX_LABEL == INI_LINE_LIMIT, "a label fills a line");

#define F(field) offsetof(scenario, field)
#define R(field) offsetof(scenario_region, field)

static const key_spec fund_keys[] = {
    {"budget_usd", K_NUM, F(budget_usd), 0, 1e12, 1, "an amount in USD in (0, 1e12]"},
    {"horizon_days", K_NUM, F(horizon_days), 0, 36500, 1, "a number of days in (0, 36500]"},
    {"granularity_usd", K_NUM, F(granularity_usd), 0, 1e12, 1, "an amount in USD in (0, 1e12]"},
    {"policy", K_POLICY, F(policy), 0, 0, 0, "cheapest_first or first_come"},
    {"objective", K_OBJECTIVE, F(objective), 0, 0, 0, "releases, freedom_days or cvar"},
    {"cvar_alpha", K_NUM, F(cvar_alpha), 0, 1, 1, "a fraction in (0, 1]"},
    {"target_releases", K_NUM, F(target_releases), 0, 1e9, 0, "a number of releases in [0, 1e9]"},
    {NULL, 0, 0, 0, 0, 0, NULL}};

static const key_spec simulation_keys[] = {
    {"replications", K_INT, F(replications), 1, SCENARIO_MAX_REPLICATIONS, 0, "a whole number from 1 to 100000000"},
    {"seed", K_SEED, F(seed), 0, 0, 0, "a whole number from 0 to 9223372036854775807"},
    {NULL, 0, 0, 0, 0, 0, NULL}};

static const key_spec region_keys[] = {
    {"label", K_TEXT, R(label), 0, 0, 0, "a name for people"},
    {"initial_detained", K_INT, R(initial_detained), 0, 1e7, 0, "a whole number of people from 0 to 10000000"},
    {"arrivals_per_day", K_NUM, R(arrivals_per_day), 0, 1e5, 0, "a rate per day in [0, 100000]"},
    {"bond_grant_prob", K_NUM, R(bond_grant_prob), 0, 1, 0, "a probability in [0, 1]"},
    {"bond_usd", K_DIST, R(bond_usd), 0, 0, 0, "a distribution of amounts"},
    {"max_bond_paid_usd", K_UNLIMITED, R(max_bond_paid_usd), 0, 1e12, 0,
     "an amount in USD in [0, 1e12] or 'unlimited'"},
    {"case_cost_usd", K_NUM, R(case_cost_usd), 0, 1e12, 0, "an amount in USD in [0, 1e12]"},
    {"hearing_delay_days", K_DIST, R(hearing_delay_days), 0, 0, 0, "a distribution of days"},
    {"release_delay_days", K_DIST, R(release_delay_days), 0, 0, 0, "a distribution of days"},
    {"removal_hazard_per_day", K_NUM, R(removal_hazard_per_day), 0, 1e3, 0, "a rate per day in [0, 1000]"},
    {"family_pays_prob", K_NUM, R(family_pays_prob), 0, 1, 0, "a probability in [0, 1]"},
    {"min_share", K_NUM, R(min_share), 0, 1, 0, "a fraction in [0, 1]"},
    {"max_share", K_NUM, R(max_share), 0, 1, 0, "a fraction in [0, 1]"},
    {NULL, 0, 0, 0, 0, 0, NULL}};

static const char *const policy_names[] = {"cheapest_first", "first_come"};
static const char *const objective_names[] = {"releases", "freedom_days", "cvar"};

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

static int set_value(void *base, const key_spec *k, const ini_entry *e, const char *basedir, fz_error *err)
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
        for (int i = 0; i < 3; i++)
            if (strcmp(v, objective_names[i]) == 0) {
                *(scenario_objective *)field = (scenario_objective)i;
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
    case K_UNLIMITED:
        if (strcmp(v, "unlimited") == 0 || strcmp(v, "inf") == 0) {
            *(double *)field = INFINITY;
            return 0;
        }
        /* fall through */
    case K_NUM:
    case K_INT:
        if (parse_double(v, &x) == -2)
            return fz_fail(err, FZ_EINPUT,
                           "%s: %s = '%s': too close to 0 (a nonzero number must be at least 2.2e-308 "
                           "in size): expected %s",
                           e->origin, e->key, v, k->want);
        if (parse_double(v, &x) == 0 && x >= k->lo && x <= k->hi && !(k->lo_open && x == k->lo)) {
            if (k->type != K_INT) {
                *(double *)field = x;
                return 0;
            }
            if (x == floor(x)) {
                *(long *)field = (long)x;
                return 0;
            }
        }
        break;
    }
    return fz_fail(err, FZ_EINPUT, "%s: %s = '%s': expected %s", e->origin, e->key, v, k->want);
}

/* One entry of section against its key table. */
static int apply_entry(void *base, const key_spec *keys, ini_entry *e, const char *basedir, fz_error *err)
{
    e->used = 1;
    const key_spec *k = keys;
    while (k->name && strcmp(k->name, e->key) != 0)
        k++;
    if (!k->name) {
        char known[512] = "";
        for (const key_spec *q = keys; q->name; q++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", q == keys ? "" : ", ", q->name);
        return fz_fail(err, FZ_EINPUT, "%s: unknown key '%s' in [%s] (known: %s)", e->origin, e->key, e->section,
                       known);
    }
    return set_value(base, k, e, basedir, err);
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

/* Whether d belongs to another scenario (scenario_copy_set shares them). */
static int dist_shared(const scenario_source *src, const dist *d)
{
    for (size_t i = 0; src && i < src->nshared; i++)
        if (src->shared[i] == d)
            return 1;
    return 0;
}

int scenario_apply_entry(scenario *s, ini_entry *e, fz_error *err)
{
    if (!strcmp(e->section, "fund"))
        return apply_entry(s, fund_keys, e, s->basedir, err);
    if (!strcmp(e->section, "simulation"))
        return apply_entry(s, simulation_keys, e, s->basedir, err);
    int c = strncmp(e->section, "region.", 7) ? -1 : scenario_region_index(s, e->section + 7);
    if (c < 0) /* ini_doc_apply_set adds entries to known sections only */
        return fz_fail(err, FZ_ERUNTIME, "%s: no section [%s]", e->origin, e->section);
    scenario_region *r = &s->regions[c];
    for (const key_spec *k = region_keys; k->name; k++) {
        dist **field = (dist **)((char *)r + k->offset);
        /* set_value frees the distribution it replaces: not one shared with another scenario */
        if (k->type == K_DIST && !strcmp(k->name, e->key) && dist_shared(s->source, *field))
            *field = NULL;
    }
    return apply_entry(r, region_keys, e, s->basedir, err);
}

static int valid_region_name(const char *s)
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
    r->max_payments_per_day = INFINITY; /* TEMPORARY (lead) */
    r->max_share = 1;
    if (!r->name || !r->label || dist_parse(&r->bond_usd, "fixed(1500)", NULL, err) ||
        dist_parse(&r->hearing_delay_days, "fixed(0)", NULL, err) ||
        dist_parse(&r->release_delay_days, "fixed(0)", NULL, err))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    return 0;
}

/* Where [section] key was given ("FILE:LINE" or "--set ..."), or NULL. */
static const char *entry_origin(const ini_doc *doc, const char *section, const char *key)
{
    for (size_t i = 0; i < doc->n; i++)
        if (strcmp(doc->entries[i].section, section) == 0 && strcmp(doc->entries[i].key, key) == 0)
            return doc->entries[i].origin;
    return NULL;
}

int scenario_check_whole(const scenario *s, const ini_doc *doc, const char **lead, fz_error *err)
{
    const char *p = s->path;
    *lead = p;
    if (s->nregions == 0)
        return fz_fail(err, FZ_EINPUT, "%s: no regions: expected at least one [region.NAME] section", p);
    double cells = s->budget_usd / s->granularity_usd;
    if (cells > SCENARIO_MAX_GRID) {
        /* name the line of granularity_usd (what to raise), else of budget_usd */
        const char *where = entry_origin(doc, "fund", "granularity_usd");
        if (!where)
            where = entry_origin(doc, "fund", "budget_usd");
        *lead = where ? where : p;
        return fz_fail(err, FZ_EINPUT,
                       "%s: budget_usd / granularity_usd = %.0f grid steps; the limit is %d: "
                       "raise granularity_usd",
                       *lead, cells, SCENARIO_MAX_GRID);
    }
    double min_total = 0;
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
            const char *omin = entry_origin(doc, sec, "min_share"), *omax = entry_origin(doc, sec, "max_share");
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
        double people = r->initial_detained + r->arrivals_per_day * s->horizon_days;
        if (people > SCENARIO_MAX_PEOPLE_MEAN)
            return fz_fail(err, FZ_EINPUT,
                           "%s:%d: [region.%s]: %.0f people expected per replication; the limit "
                           "is %.0f",
                           p, line, r->name, people, SCENARIO_MAX_PEOPLE_MEAN);
        min_total += r->min_share;
    }
    if (min_total > 1 + 1e-12) {
        /* a cross-region error: name every min_share that takes part */
        char list[640] = "";
        const char *first = NULL;
        for (size_t i = 0; i < s->nregions; i++) {
            char sec[64];
            snprintf(sec, sizeof sec, "region.%s", s->regions[i].name);
            const char *o = s->regions[i].min_share > 0 ? entry_origin(doc, sec, "min_share") : NULL;
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
        *lead = first ? first : p;
        return fz_fail(err, FZ_EINPUT,
                       "%s: the regions' min_share add up to %g > 1: no split of the budget meets them "
                       "(min_share of %s)",
                       *lead, min_total, list);
    }
    return 0;
}

int scenario_load(scenario **out, const char *path, const char *const *sets, size_t nsets, fz_error *err)
{
    return scenario_load_named(out, path, sets, NULL, nsets, err);
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
    s->max_wait_days = INFINITY; /* TEMPORARY (lead) */
    s->granularity_usd = 500;
    s->cvar_alpha = 0.1;
    s->replications = 10000;
    s->seed = 1;
    if (!s->path || !s->name || !s->basedir) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nsets; i++)
        if ((rc = ini_doc_apply_set(&doc, sets[i], origins ? origins[i] : NULL, NULL, err)))
            goto done;

    for (size_t j = 0; j < doc.nsec; j++) {
        const char *name = doc.sections[j].name;
        if (strcmp(name, "fund") == 0 || strcmp(name, "simulation") == 0)
            continue;
        if (strncmp(name, "region.", 7) != 0 || !valid_region_name(name + 7)) {
            rc = fz_fail(err, FZ_EINPUT,
                         "%s:%d: unknown section [%s]: expected [fund], [simulation] or "
                         "[region.NAME] (NAME: letters, digits, '_' or '-')",
                         path, doc.sections[j].line, name);
            goto done;
        }
        if (s->nregions == SCENARIO_MAX_REGIONS) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%d: more than %d regions", path, doc.sections[j].line,
                         SCENARIO_MAX_REGIONS);
            goto done;
        }
        scenario_region *grown = realloc(s->regions, (s->nregions + 1) * sizeof *grown);
        if (!grown) {
            rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
            goto done;
        }
        s->regions = grown;
        rc = region_defaults(&s->regions[s->nregions], name + 7, err);
        s->nregions++;
        if (rc || (rc = apply_section(&s->regions[s->nregions - 1], region_keys, &doc, name, s->basedir, err)))
            goto done;
    }
    if ((rc = apply_section(s, fund_keys, &doc, "fund", s->basedir, err)) ||
        (rc = apply_section(s, simulation_keys, &doc, "simulation", s->basedir, err)))
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
        dist *own[] = {r->bond_usd, r->hearing_delay_days, r->release_delay_days};
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            if (!dist_shared(s->source, own[k]))
                dist_free(own[k]);
    }
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

int scenario_params(scenario_param **out, size_t *n, const scenario *s, fz_error *err)
{
    size_t cap = s->nregions * 64, k = 0;
    scenario_param *p = calloc(cap ? cap : 1, sizeof *p);
    if (!p)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t c = 0; c < s->nregions; c++) {
        const scenario_region *r = &s->regions[c];
        for (const key_spec *q = region_keys; q->name; q++) {
            const char *field = (const char *)r + q->offset;
            if (!strcmp(q->name, "min_share") || !strcmp(q->name, "max_share"))
                continue;
            if (q->type == K_NUM || q->type == K_INT || q->type == K_UNLIMITED) {
                double v = q->type == K_INT ? (double)*(const long *)field : *(const double *)field;
                if (!isfinite(v))
                    continue;
                scenario_param *e = &p[k++];
                *e = (scenario_param){.value = v, .lo = q->lo, .hi = q->hi, .integer = q->type == K_INT};
                snprintf(e->name, sizeof e->name, "region.%s.%s", r->name, q->name);
            } else if (q->type == K_DIST) {
                char text[1024], names[16][16];
                double values[16];
                dist_format(*(dist *const *)field, text, sizeof text);
                int m = dist_args(text, names, values, 16);
                for (int j = 0; j < m; j++) {
                    scenario_param *e = &p[k++];
                    *e = (scenario_param){.value = values[j], .lo = 0, .hi = 1e12};
                    snprintf(e->name, sizeof e->name, "region.%s.%s.%s", r->name, q->name, names[j]);
                }
            }
        }
    }
    *out = p;
    *n = k;
    return 0;
}

int scenario_key_numeric(const char *name)
{
    const key_spec *keys;
    const char *key;
    if (strncmp(name, "fund.", 5) == 0)
        keys = fund_keys, key = name + 5;
    else if (strncmp(name, "simulation.", 11) == 0)
        keys = simulation_keys, key = name + 11;
    else if (strncmp(name, "region.", 7) == 0 && strchr(name + 7, '.'))
        keys = region_keys, key = strchr(name + 7, '.') + 1;
    else
        return -1;
    const char *dot = strchr(key, '.');
    size_t n = dot ? (size_t)(dot - key) : strlen(key);
    for (const key_spec *k = keys; k->name; k++) {
        if (strlen(k->name) != n || strncmp(k->name, key, n) != 0)
            continue;
        if (k->type == K_DIST)
            return dot && dot[1] ? 1 : 0;
        if (dot)
            return -1;
        return k->type == K_NUM || k->type == K_INT || k->type == K_SEED || k->type == K_UNLIMITED;
    }
    return -1;
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

/* TEMPORARY (lead): replaced by the scenario helper's definition on merge. */
int scenario_uses_ledger(const scenario *s, size_t c)
{
    const scenario_region *g = &s->regions[c];
    return g->refund_prob > 0 || s->donations_usd_per_month > 0 || isfinite(g->max_payments_per_day) ||
           s->posting_days == POSTING_WEEKDAYS || s->queue == QUEUE_WAIT;
}
