/* csvcol: read one numeric column of a CSV file (RFC 4180 through libcsv).
 *
 * Serves both `empirical(file=..., column=...)` in scenarios and `fianza fit`,
 * so the two read data the same way: a header row names the columns (a UTF-8
 * byte-order mark is skipped), quoted fields may hold commas and newlines,
 * CRLF or LF line ends, amounts may be written "$1,500" or "1,500.00".
 * Empty cells are skipped and counted; a cell that is not a number is an
 * error naming file:line (or, with CSVCOL_SKIP_NONNUMERIC, skipped and
 * counted), never read as 0.  A row with more fields than the header (an
 * unquoted "1,500") is an error naming file:line.  The file must be a
 * regular file within the limits of fz_input.h (size, line and field
 * length), and the column holds at most CSVCOL_MAX_VALUES numbers.
 *
 * Ownership: csvcol_read fills *out with a malloc'd values array (and, with
 * CSVCOL_LINES, a lines array) that the caller releases with csvcol_free
 * (which accepts a zeroed struct). */
#ifndef FZ_CSVCOL_H
#define FZ_CSVCOL_H

#include <stddef.h>

#include "fz_error.h"

/* Most numbers read from one column (docs/limits.md): 80 MB of values. */
#define CSVCOL_MAX_VALUES 10000000

typedef struct csvcol {
    double *values; /* numeric cells, in file order */
    size_t n;
    size_t n_empty;             /* empty cells skipped */
    size_t n_rows;              /* data rows read (header excluded) */
    long *lines;                /* CSVCOL_LINES: the file line of each value, else NULL */
    long first_empty_line;      /* 0 if none */
    size_t n_nonnumeric;        /* CSVCOL_SKIP_NONNUMERIC: cells skipped */
    long first_nonnumeric_line; /* 0 if none */
    char first_nonnumeric[48];  /* that cell's text (cut) */
} csvcol;

enum {
    CSVCOL_LINES = 1,          /* record each value's line (fit's file:line messages) */
    CSVCOL_SKIP_NONNUMERIC = 2 /* count non-numbers instead of failing */
};

int csvcol_read(csvcol *out, const char *path, const char *column, fz_error *err);
int csvcol_read_flags(csvcol *out, const char *path, const char *column, int flags, fz_error *err);
void csvcol_free(csvcol *c);

/* The reading csvcol_read and csvrows_read (csvrows.c) share: the file
 * (fz_input.h's limits) fed to libcsv one physical line at a time, so each
 * callback knows pos->line; pos->rec_start, the line the record being read
 * starts on, is moved past blank lines here and set by on_record (line + 1)
 * there, as is pos->record (records seen, the header 0).  A callback that
 * fails fills err and sets pos->failed, which stops the read.  Refusals name
 * file:line: a line or field over the limits, the file over its limit, a NUL
 * byte, malformed CSV, an unclosed quote, an empty file (no header naming
 * first_column).  brief: csvrows's shorter wording of three of them (no
 * limit in the file-size message, no field-length message, no last line in
 * the unclosed-quote message).  pos zeroed by the caller; 0 or the error's
 * code. */
typedef struct csv_pos {
    long line;      /* physical line being fed */
    long rec_start; /* line on which the record being read starts */
    long record;    /* records seen, header = 0 */
    int failed;
} csv_pos;
typedef void (*csv_field_fn)(void *data, size_t len, void *ctx);
typedef void (*csv_record_fn)(int term, void *ctx);
int csvcol_feed(const char *path, const char *first_column, int brief, csv_pos *pos, csv_field_fn on_field,
                csv_record_fn on_record, void *ctx, fz_error *err);

/* Parses one cell as a number: trims blanks, accepts a leading '$' and
 * comma thousands separators ("12,500.50").  Returns 0 on success. */
int csvcol_parse_number(const char *cell, double *out);

#endif
