/* scenario_int.h: the raw key/value layer shared by scenario_ini.c (reads the
 * file and --set options) and scenario.c (interprets and validates). */
#ifndef FZ_SCENARIO_INT_H
#define FZ_SCENARIO_INT_H

#include <stddef.h>

#include "fz_error.h"
#include "scenario.h"

/* One `key = value` line, or one --set option (line 0, origin = the option). */
typedef struct ini_entry {
    char *section, *key, *value;
    int line;
    char *origin; /* "file.ini:12" or "--set fund.budget_usd=1" */
    int used;
} ini_entry;

typedef struct ini_section {
    char *name;
    int line;
} ini_section;

typedef struct ini_doc {
    const char *path;
    ini_entry *entries;
    size_t n, cap;
    ini_section *sections;
    size_t nsec, capsec;
} ini_doc;

/* Longest line accepted: inih's buffer is INI_MAX_LINE (200) bytes with the
 * newline and the terminating NUL. */
#define INI_LINE_LIMIT 198

/* Length of the quoted string that starts at q[0] == '"', closing quote
 * included, with \" and \\ as escapes; 0 if it is never closed. */
size_t scenario_quoted_len(const char *q);

/* Characters of a label as scenario_print writes it (quotes and escapes
 * included): what the label limit SCENARIO_MAX_LABEL counts. */
size_t scenario_label_printed_len(const char *label);

int ini_doc_read(ini_doc *doc, const char *path, fz_error *err);
/* Applies the override "section.key=value" (or "region.R.key.arg=value", one
 * argument of a distribution).  The entry it sets or adds, returned in
 * *changed (may be NULL), is named origin in messages ("--seed 5"; NULL:
 * "--set SET"), and so is every error about the override itself. */
int ini_doc_apply_set(ini_doc *doc, const char *set, const char *origin, ini_entry **changed, fz_error *err);
/* A deep copy of src (its path is shared, not copied). */
int ini_doc_copy(ini_doc *dst, const ini_doc *src, fz_error *err);
void ini_doc_free(ini_doc *doc);

/* What a scenario keeps of its making (scenario.h: scenario.source). */
typedef struct scenario_source {
    ini_doc doc;         /* the file's entries with the overrides applied; doc.path is the scenario's path */
    const dist **shared; /* distributions owned by the scenario it was copied from */
    size_t nshared;
} scenario_source;

/* Applies one entry of doc to s (its section's key table, checked; a
 * [regime.NAME] the scenario lacks is added, as --set makes it);
 * scenario_check_whole runs the cross-key checks, builds every region's
 * phases (scenario_phase) and sets *lead to the origin (an entry's, or the
 * path) that its message starts with. */
int scenario_apply_entry(scenario *s, ini_entry *e, fz_error *err);
int scenario_check_whole(scenario *s, const ini_doc *doc, const char **lead, fz_error *err);

/* ---- key tables (scenario.c), shared with scenario_regime.c and
 * scenario_param.c ---- */

typedef enum key_type {
    K_NUM,
    K_INT,   /* whole number, stored in a long */
    K_SMALL, /* whole number, stored in an int (start_weekday) */
    K_SEED,
    K_TEXT,
    K_DIST,
    K_POLICY,
    K_OBJECTIVE,
    K_CHOICE,          /* one of key_spec.choices, stored as its index in an int-sized enum */
    K_UNLIMITED,       /* a number or 'unlimited' (INFINITY) */
    K_UNLIMITED_WHOLE, /* a whole number or 'unlimited' */
    K_REGIONS          /* [regime.*] regions: handled by scenario_regime.c */
} key_type;

typedef struct key_spec {
    const char *name;
    key_type type;
    size_t offset;
    double lo, hi;              /* inclusive range for numbers */
    int lo_open;                /* lo itself is not allowed */
    const char *want;           /* what is expected, for messages */
    const char *const *choices; /* K_CHOICE: the names, NULL-terminated */
} key_spec;

extern const key_spec scenario_fund_keys[], scenario_simulation_keys[], scenario_region_keys[], scenario_regime_keys[];

/* The key called name in keys, or NULL. */
const key_spec *scenario_find_key(const key_spec *keys, const char *name, size_t len);
/* Sets the field of base that k describes from e's value, or fails naming
 * e->origin, the key and what was expected (never K_REGIONS). */
int scenario_set_value(void *base, const key_spec *k, const ini_entry *e, const char *basedir, fz_error *err);
/* FZ_EINPUT: e's key is not in keys (the message lists them). */
int scenario_unknown_key(const key_spec *keys, const ini_entry *e, fz_error *err);
/* Whether d belongs to another scenario (scenario_copy_set shares them). */
int scenario_dist_shared(const scenario_source *src, const dist *d);
/* Region and regime names: letters, digits, '_' or '-', 1 to 48 of them. */
int scenario_valid_name(const char *s);
/* Where section j was made: "FILE:LINE", or for a section that --set made,
 * the origin of its first entry; buf holds the text when needed. */
const char *scenario_section_where(const ini_doc *doc, size_t j, char *buf, size_t size);
/* Where [section] key was given ("FILE:LINE" or "--set ..."), or NULL. */
const char *scenario_entry_origin(const ini_doc *doc, const char *section, const char *key);

/* ---- regimes and phases (scenario_regime.c) ---- */

/* The regime called name, added with its defaults (start_day NAN: not
 * given yet) when s has none; where names the section for errors (an
 * invalid name, more than SCENARIO_MAX_REGIMES). */
int scenario_regime_get(scenario *s, const char *name, const char *where, scenario_regime **out, fz_error *err);
/* Applies an entry of a [regime.NAME] section (the regime must exist). */
int scenario_regime_apply(scenario *s, scenario_regime *g, ini_entry *e, fz_error *err);
/* Checks the regimes (start_day given, end_day > start_day), then builds
 * every region's phases from them. */
int scenario_regimes_finish(scenario *s, const ini_doc *doc, const char **lead, fz_error *err);
/* policy = cheapest_first with any key that needs the ledger: an error at
 * that key's line (DESIGN §7). */
int scenario_check_policy(const scenario *s, const ini_doc *doc, const char **lead, fz_error *err);
/* Expected people of region r per replication: initial_detained plus the
 * piecewise arrival rate over its phases. */
double scenario_people_mean(const scenario_region *r);
/* "a, b" (or "a,b" when that alone fits a scenario line): the names of the
 * regions in mask, as check prints a regime's regions. */
void scenario_regions_text(const scenario *s, uint64_t mask, char *buf, size_t size);
void scenario_regimes_free(scenario *s);

#endif
