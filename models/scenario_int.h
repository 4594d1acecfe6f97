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

/* Applies one entry of doc to s (its section's key table, checked);
 * scenario_check_whole runs the cross-key checks and sets *lead to the
 * origin (an entry's, or the path) that its message starts with. */
int scenario_apply_entry(scenario *s, ini_entry *e, fz_error *err);
int scenario_check_whole(const scenario *s, const ini_doc *doc, const char **lead, fz_error *err);

#endif
