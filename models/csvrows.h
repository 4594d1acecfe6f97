/* csvrows: read several named columns of a CSV file as text, one callback
 * per data row, with the line the row starts on (`fianza fit --censored` and
 * the ledger reader, which need cells of one row together: a duration and
 * its flag, two dates).
 *
 * The file is read as csvcol reads it (csvcol.h): libcsv, RFC 4180, a
 * header row naming the columns (a UTF-8 byte-order mark skipped, names
 * trimmed), CRLF or LF, fz_input.h's limits; a row with more fields than the
 * header is an error naming file:line.  A missing cell (a short row) is
 * passed as "".  Cells are passed trimmed of blanks.
 *
 * Ownership: the cells passed to the callback live until it returns. */
#ifndef FZ_CSVROWS_H
#define FZ_CSVROWS_H

#include <stddef.h>

#include "fz_error.h"

enum { CSVROWS_MAX_COLUMNS = 4 };

/* Called for each data row; a nonzero return (with err filled) stops the
 * read and is returned by csvrows_read. */
typedef int (*csvrows_fn)(void *ctx, long line, const char *const *cells, fz_error *err);

/* Reads columns[0..ncols) (1 <= ncols <= CSVROWS_MAX_COLUMNS); FZ_EINPUT
 * naming file:line for a missing column, malformed CSV, a file over the
 * limits or an empty file; *nrows the data rows read. */
int csvrows_read(const char *path, size_t ncols, const char *const *columns, csvrows_fn fn, void *ctx, size_t *nrows,
                 fz_error *err);

#endif
