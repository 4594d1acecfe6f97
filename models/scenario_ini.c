/* scenario_ini: read a scenario file into key/value entries with line numbers.
 *
 * inih does the INI grammar.  It is fed through our own line reader, which
 * (a) counts lines, so every entry knows where it came from, (b) rejects lines
 * longer than inih's 200-byte buffer instead of letting inih cut them, (c)
 * records section headers, which inih does not report when a section has no
 * keys ("a region needs only a name"), and (d) strips comments that start
 * with ';' or '#' outside brackets, so the ';' of mixture(...) survives, and
 * outside a value written as a quoted string. */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "fz_input.h"
#include "scenario_int.h"

typedef struct line_reader {
    FILE *f;
    ini_doc *doc;
    int line;
    fz_error *err;
    int failed;
    char *buf;
    size_t cap;
    long nread; /* bytes read: a file that grows while read stops at the limit */
} line_reader;

static int add_section(ini_doc *doc, const char *name, size_t n, int line, fz_error *err)
{
    for (size_t i = 0; i < doc->nsec; i++)
        if (strlen(doc->sections[i].name) == n && strncmp(doc->sections[i].name, name, n) == 0)
            return fz_fail(err, FZ_EINPUT, "%s:%d: section [%.*s] repeats the one on line %d", doc->path, line, (int)n,
                           name, doc->sections[i].line);
    if (doc->nsec == doc->capsec) {
        size_t cap = doc->capsec ? 2 * doc->capsec : 8;
        ini_section *s = realloc(doc->sections, cap * sizeof *s);
        if (!s)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        doc->sections = s;
        doc->capsec = cap;
    }
    char *copy = strndup(name, n);
    if (!copy)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    doc->sections[doc->nsec++] = (ini_section){copy, line};
    return 0;
}

/* Strips a comment: ';' or '#' at bracket depth 0, at the start or after a
 * blank, and not inside a value written as a quoted string ("a ; b", with
 * \" and \\ escapes: scenario_unquote). */
static void strip_comment(char *s)
{
    int depth = 0, seen_delim = 0;
    for (char *p = s; *p; p++) {
        if (!seen_delim && (*p == '=' || *p == ':')) { /* inih splits at the first of these */
            seen_delim = 1;
            char *q = p + 1;
            while (*q == ' ' || *q == '\t')
                q++;
            size_t close = *q == '"' ? scenario_quoted_len(q) : 0;
            if (close) {
                p = q + close - 1; /* the closing quote */
                continue;
            }
        }
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        else if ((*p == ';' || *p == '#') && depth <= 0 && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            break;
        }
    }
}

static char *read_line(char *str, int num, void *stream)
{
    line_reader *r = stream;
    if (r->failed)
        return NULL;
    /* one buffer the size of the whole limit: a line can never need more */
    if (!r->buf && !(r->buf = malloc(r->cap = FZ_INPUT_MAX_SCENARIO + 2))) {
        fz_fail(r->err, FZ_ERUNTIME, "out of memory");
        r->failed = 1;
        return NULL;
    }
    ssize_t len = fz_input_line(r->f, r->buf, r->cap);
    if (len == 0)
        return NULL;
    r->line++;
    if (len > 0)
        r->nread += len;
    if (len < 0 || r->nread > FZ_INPUT_MAX_SCENARIO) {
        char lim[32];
        fz_fail(r->err, FZ_EINPUT, "%s:%d: the file is larger than the limit of %s for a scenario file", r->doc->path,
                r->line, fz_input_size_name(FZ_INPUT_MAX_SCENARIO, lim, sizeof lim));
        r->failed = 1;
        return NULL;
    }
    char *s = r->buf;
    if ((size_t)len != strlen(s)) {
        fz_fail(r->err, FZ_EINPUT, "%s:%d: NUL byte: this is not a text file", r->doc->path, r->line);
        r->failed = 1;
        return NULL;
    }
    if (r->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (*s == ' ' || *s == '\t')
        s++;
    strip_comment(s);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (n > INI_LINE_LIMIT || (int)n + 2 > num) {
        fz_fail(r->err, FZ_EINPUT, "%s:%d: line too long (%zu characters; the limit is %d)", r->doc->path, r->line, n,
                INI_LINE_LIMIT);
        r->failed = 1;
        return NULL;
    }
    if (s[0] == '[') {
        char *close = strchr(s, ']');
        if (!close || close[1] != '\0' || close == s + 1) {
            fz_fail(r->err, FZ_EINPUT, "%s:%d: malformed section header: expected [name]", r->doc->path, r->line);
            r->failed = 1;
            return NULL;
        }
        char *a = s + 1, *b = close;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (add_section(r->doc, a, (size_t)(b - a), r->line, r->err)) {
            r->failed = 1;
            return NULL;
        }
        n = (size_t)(b - a) + 2; /* hand inih the trimmed "[name]" */
        memmove(s + 1, a, n - 2);
        s[n - 1] = ']';
    }
    memcpy(str, s, n);
    str[n] = '\n';
    str[n + 1] = '\0';
    return str;
}

static int add_entry(ini_doc *doc, const char *section, const char *key, const char *value, int line,
                     const char *origin, fz_error *err)
{
    if (doc->n == doc->cap) {
        size_t cap = doc->cap ? 2 * doc->cap : 32;
        ini_entry *e = realloc(doc->entries, cap * sizeof *e);
        if (!e)
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        doc->entries = e;
        doc->cap = cap;
    }
    ini_entry *e = &doc->entries[doc->n];
    *e = (ini_entry){strdup(section), strdup(key), strdup(value), line, strdup(origin), 0};
    if (!e->section || !e->key || !e->value || !e->origin) {
        free(e->section), free(e->key), free(e->value), free(e->origin);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    doc->n++;
    return 0;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    line_reader *r = user;
    ini_doc *doc = r->doc;
    char origin[600];
    if (r->failed)
        return 0;
    /* inih cuts section names at 49 bytes ("region." + a 48-byte name does
     * not fit); the reader has recorded the full name of the current one. */
    section = doc->nsec ? doc->sections[doc->nsec - 1].name : "";
    snprintf(origin, sizeof origin, "%s:%d", doc->path, r->line);
    if (!section[0]) {
        fz_fail(r->err, FZ_EINPUT,
                "%s: key '%s' outside any section: expected [fund], "
                "[simulation], [region.NAME] or [regime.NAME] above it",
                origin, name);
        r->failed = 1;
        return 0;
    }
    for (size_t i = 0; i < doc->n; i++)
        if (strcmp(doc->entries[i].section, section) == 0 && strcmp(doc->entries[i].key, name) == 0) {
            fz_fail(r->err, FZ_EINPUT, "%s: key '%s' in [%s] repeats the one on line %d", origin, name, section,
                    doc->entries[i].line);
            r->failed = 1;
            return 0;
        }
    if (add_entry(doc, section, name, value, r->line, origin, r->err)) {
        r->failed = 1;
        return 0;
    }
    return 1;
}

int ini_doc_read(ini_doc *doc, const char *path, fz_error *err)
{
    memset(doc, 0, sizeof *doc);
    doc->path = path;
    FILE *f = fz_input_open(path, FZ_INPUT_MAX_SCENARIO, "scenario file", err);
    if (!f)
        return err ? err->code : FZ_EINPUT;
    /* Our reader already strips comments and leading blanks; make inih take
     * lines literally (no inline comments, no continuation lines). */
    ini_allow_inline_comments = 0;
    ini_allow_multiline = 0;
    ini_stop_on_first_error = 1; /* report the first bad line, not a later one */
    line_reader r = {.f = f, .doc = doc, .err = err};
    int bad = ini_parse_stream(read_line, &r, on_pair, &r);
    int rc = 0;
    if (r.failed)
        rc = err ? err->code : FZ_EINPUT;
    else if (bad > 0)
        rc = fz_fail(err, FZ_EINPUT, "%s:%d: expected 'key = value', '[section]' or a comment", path, bad);
    else if (bad < 0)
        rc = fz_fail(err, FZ_ERUNTIME, "%s: cannot read", path);
    else if (ferror(f))
        rc = fz_fail(err, FZ_EINPUT, "%s: read error: %s", path, strerror(errno));
    free(r.buf);
    fclose(f);
    if (rc)
        ini_doc_free(doc);
    return rc;
}

static int has_section(const ini_doc *doc, const char *section)
{
    int known = strcmp(section, "fund") == 0 || strcmp(section, "simulation") == 0;
    for (size_t i = 0; i < doc->nsec && !known; i++)
        known = strcmp(doc->sections[i].name, section) == 0;
    return known;
}

/* Replaces e's value (taking ownership of value) and names origin as its source. */
static int replace_entry(ini_entry *e, char *value, const char *origin, fz_error *err)
{
    char *o = strdup(origin);
    if (!value || !o) {
        free(value), free(o);
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    }
    free(e->value), free(e->origin);
    e->value = value;
    e->origin = o;
    e->line = 0;
    return 0;
}

static ini_entry *find_entry(ini_doc *doc, const char *section, const char *key)
{
    for (size_t i = 0; i < doc->n; i++)
        if (!strcmp(doc->entries[i].section, section) && !strcmp(doc->entries[i].key, key))
            return &doc->entries[i];
    return NULL;
}

/* "region.NAME.KEY.ARG=value": one argument of a distribution-valued key. */
static int apply_dist_arg(ini_doc *doc, const char *set, const char *lhs_end, const char *origin, ini_entry **changed,
                          fz_error *err)
{
    /* a region's distributions that the file may leave at their default
     * (a regime has no bond_usd unless it sets one) */
    static const char *const defaults[][2] = {{"bond_usd", "fixed(1500)"},        {"hearing_delay_days", "fixed(0)"},
                                              {"release_delay_days", "fixed(0)"}, {"stay_days", "fixed(0)"},
                                              {"copay_usd", "fixed(0)"},          {"case_duration_days", "fixed(0)"},
                                              {"refund_lag_days", "fixed(0)"}};
    const char *d1 = NULL, *d2 = NULL; /* last and second-last dots before '=' */
    for (const char *p = set; p < lhs_end; p++)
        if (*p == '.') {
            d2 = d1;
            d1 = p;
        }
    if (!d2 || d2 == set)
        return fz_fail(err, FZ_EINPUT, "%s: expected section.key=value", origin);
    char section[256], key[128], arg[64];
    snprintf(section, sizeof section, "%.*s", (int)(d2 - set), set);
    snprintf(key, sizeof key, "%.*s", (int)(d1 - d2 - 1), d2 + 1);
    snprintf(arg, sizeof arg, "%.*s", (int)(lhs_end - d1 - 1), d1 + 1);
    if (!has_section(doc, section))
        return fz_fail(err, FZ_EINPUT, "%s: the scenario has no section [%s]", origin, section);
    ini_entry *e = find_entry(doc, section, key);
    const char *text = e ? e->value : NULL;
    for (size_t i = 0; !text && !strncmp(section, "region.", 7) && i < sizeof defaults / sizeof *defaults; i++)
        if (!strcmp(defaults[i][0], key))
            text = defaults[i][1];
    if (!text)
        return fz_fail(err, FZ_EINPUT, "%s: [%s] has no distribution '%s'", origin, section, key);
    char *edited;
    int rc = dist_set_arg(&edited, text, arg, lhs_end + 1, err);
    if (rc) {
        fz_error_prefix(err, "%s: %s: ", origin, key);
        return rc;
    }
    if (!e) {
        rc = add_entry(doc, section, key, edited, 0, origin, err);
        free(edited);
        *changed = rc ? NULL : &doc->entries[doc->n - 1];
        return rc;
    }
    *changed = e;
    return replace_entry(e, edited, origin, err);
}

/* "section.key=value": the section is everything before the last '.' of the
 * part left of '=' (region names hold no dots); when that is no section,
 * "section.key.arg=value" sets one argument of a distribution.  A
 * "regime.NAME.key=value" for a regime the file lacks makes it. */
static int apply_set(ini_doc *doc, const char *set, const char *origin, ini_entry **changed, fz_error *err)
{
    const char *eq = strchr(set, '=');
    const char *dot = NULL;
    for (const char *p = set; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!eq || !dot || dot == set || dot + 1 == eq)
        return fz_fail(err, FZ_EINPUT, "%s: expected section.key=value", origin);
    {
        char sec[256];
        snprintf(sec, sizeof sec, "%.*s", (int)(dot - set), set);
        const char *d2 = NULL;
        for (const char *p = set; p < dot; p++)
            if (*p == '.')
                d2 = p;
        char sec2[256];
        snprintf(sec2, sizeof sec2, "%.*s", d2 ? (int)(d2 - set) : 0, set);
        if (!has_section(doc, sec) && d2 && has_section(doc, sec2))
            return apply_dist_arg(doc, set, eq, origin, changed, err);
    }
    char *section = strndup(set, (size_t)(dot - set));
    char *key = strndup(dot + 1, (size_t)(eq - dot - 1));
    int rc = 0;
    if (!section || !key) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    const char *value = eq + 1;
    while (*value == ' ')
        value++;
    ini_entry *e = find_entry(doc, section, key);
    if (e) {
        *changed = e;
        rc = replace_entry(e, strdup(value), origin, err);
    } else if (!has_section(doc, section) && !strncmp(section, "regime.", 7) && section[7] &&
               !strchr(section + 7, '.')) {
        /* a new regime: its entries and checks come from the overrides
         * (start_day is required, scenario_regimes_finish); it comes after
         * the file's regimes */
        if (!(rc = add_section(doc, section, strlen(section), 0, err)) &&
            !(rc = add_entry(doc, section, key, value, 0, origin, err)))
            *changed = &doc->entries[doc->n - 1];
    } else if (!has_section(doc, section)) {
        /* region.boston.bond_usd.median: name the missing region, not a.b.c */
        char *dot2 = strchr(section, '.') ? strchr(strchr(section, '.') + 1, '.') : NULL;
        if (dot2)
            *dot2 = '\0';
        rc = fz_fail(err, FZ_EINPUT, "%s: the scenario has no section [%s]", origin, section);
    } else if (!(rc = add_entry(doc, section, key, value, 0, origin, err))) {
        *changed = &doc->entries[doc->n - 1];
    }
done:
    free(section);
    free(key);
    return rc;
}

int ini_doc_apply_set(ini_doc *doc, const char *set, const char *origin, ini_entry **changed, fz_error *err)
{
    ini_entry *unused;
    /* cut at 599 bytes: a message that starts with a long override keeps its end */
    char named[600];
    snprintf(named, sizeof named, origin ? "%s" : "--set %s", origin ? origin : set);
    *(changed ? changed : &unused) = NULL;
    return apply_set(doc, set, named, changed ? changed : &unused, err);
}

int ini_doc_copy(ini_doc *dst, const ini_doc *src, fz_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->path = src->path;
    int rc = 0;
    for (size_t i = 0; !rc && i < src->n; i++) {
        const ini_entry *e = &src->entries[i];
        if (!(rc = add_entry(dst, e->section, e->key, e->value, e->line, e->origin, err)))
            dst->entries[dst->n - 1].used = e->used;
    }
    for (size_t i = 0; !rc && i < src->nsec; i++)
        rc = add_section(dst, src->sections[i].name, strlen(src->sections[i].name), src->sections[i].line, err);
    if (rc)
        ini_doc_free(dst);
    return rc;
}

void ini_doc_free(ini_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++) {
        free(doc->entries[i].section);
        free(doc->entries[i].key);
        free(doc->entries[i].value);
        free(doc->entries[i].origin);
    }
    for (size_t i = 0; i < doc->nsec; i++)
        free(doc->sections[i].name);
    free(doc->entries);
    free(doc->sections);
    memset(doc, 0, sizeof *doc);
}
