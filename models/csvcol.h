/* csvcol: read one numeric column of a CSV file (RFC 4180 through libcsv).
 *
 * Serves both `empirical(file=..., column=...)` in scenarios and `fianza fit`,
 * so the two read data the same way: a header row names the columns (a UTF-8
 * byte-order mark is skipped), quoted fields may hold commas and newlines,
 * CRLF or LF line ends, amounts may be written "$1,500" or "1,500.00".
 * Empty cells are skipped and counted; a cell that is not a number is an
 * error naming file:line, never read as 0.
 *
 * Ownership: csvcol_read fills *out with a malloc'd values array that the
 * caller releases with csvcol_free (which accepts a zeroed struct). */
#ifndef FZ_CSVCOL_H
#define FZ_CSVCOL_H

#include <stddef.h>

#include "fz_error.h"

typedef struct csvcol {
    double *values; /* numeric cells, in file order */
    size_t n;
    size_t n_empty; /* empty cells skipped */
    size_t n_rows;  /* data rows read (header excluded) */
} csvcol;

int csvcol_read(csvcol *out, const char *path, const char *column, fz_error *err);
void csvcol_free(csvcol *c);

/* Parses one cell as a number: trims blanks, accepts a leading '$' and
 * comma thousands separators ("12,500.50").  Returns 0 on success. */
int csvcol_parse_number(const char *cell, double *out);

#endif
