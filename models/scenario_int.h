/* scenario_int.h: the raw key/value layer shared by scenario_ini.c (reads the
 * file and --set options) and scenario.c (interprets and validates). */
#ifndef FZ_SCENARIO_INT_H
#define FZ_SCENARIO_INT_H

#include <stddef.h>

#include "fz_error.h"

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

int ini_doc_read(ini_doc *doc, const char *path, fz_error *err);
int ini_doc_apply_set(ini_doc *doc, const char *set, fz_error *err);
void ini_doc_free(ini_doc *doc);

#endif
