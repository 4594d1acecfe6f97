/* csvrows: several text columns of a CSV file, row by row (csvrows.h).
 * Read by csvcol_feed (csvcol.h), csvcol's own reading, so a row knows the
 * line it starts on. */
#include "csvrows.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csvcol.h"

typedef struct rows_reader {
    csv_pos pos; /* line, record start, records seen, failed */
    const char *path;
    const char *const *columns;
    size_t ncols;
    long col[CSVROWS_MAX_COLUMNS]; /* field index of each column, -1 until found */
    char *cell[CSVROWS_MAX_COLUMNS];
    size_t field, nheader, nrows;
    csvrows_fn fn;
    void *ctx;
    fz_error *err;
} rows_reader;

/* the cell without blanks at either end, as a malloc'd string */
static char *trimmed(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char *t = malloc(len + 1);
    if (t) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    return t;
}

static void on_field(void *data, size_t len, void *ctx)
{
    rows_reader *r = ctx;
    size_t idx = r->field++;
    if (r->pos.failed)
        return;
    const char *s = data ? data : "";
    if (r->pos.record == 0 && idx == 0 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3, len -= 3;
    for (size_t j = 0; j < r->ncols; j++) {
        if (r->pos.record == 0 ? r->col[j] >= 0 : r->col[j] != (long)idx)
            continue;
        char *t = trimmed(s, len);
        if (!t) {
            fz_fail(r->err, FZ_ERUNTIME, "%s: out of memory", r->path);
            r->pos.failed = 1;
            return;
        }
        if (r->pos.record == 0) {
            if (!strcmp(t, r->columns[j]))
                r->col[j] = (long)idx;
            free(t);
        } else {
            free(r->cell[j]);
            r->cell[j] = t;
        }
    }
}

static void on_record(int term, void *ctx)
{
    (void)term;
    rows_reader *r = ctx;
    if (r->pos.record == 0) {
        r->nheader = r->field;
        for (size_t j = 0; j < r->ncols && !r->pos.failed; j++)
            if (r->col[j] < 0) {
                fz_fail(r->err, FZ_EINPUT, "%s:%ld: no column named '%s' in the header row", r->path, r->pos.line,
                        r->columns[j]);
                r->pos.failed = 1;
            }
    } else if (!r->pos.failed) {
        r->nrows++;
        if (r->field > r->nheader) {
            fz_fail(r->err, FZ_EINPUT,
                    "%s:%ld: this row has %zu fields but the header has %zu (quote amounts that have a thousands "
                    "separator: \"1,500\")",
                    r->path, r->pos.rec_start, r->field, r->nheader);
            r->pos.failed = 1;
        } else {
            const char *cells[CSVROWS_MAX_COLUMNS];
            for (size_t j = 0; j < r->ncols; j++)
                cells[j] = r->cell[j] ? r->cell[j] : "";
            if (r->fn(r->ctx, r->pos.rec_start, cells, r->err))
                r->pos.failed = 1;
        }
    }
    for (size_t j = 0; j < r->ncols; j++) {
        free(r->cell[j]);
        r->cell[j] = NULL;
    }
    r->pos.record++;
    r->pos.rec_start = r->pos.line + 1;
    r->field = 0;
}

int csvrows_read(const char *path, size_t ncols, const char *const *columns, csvrows_fn fn, void *ctx, size_t *nrows,
                 fz_error *err)
{
    *nrows = 0;
    if (ncols < 1 || ncols > CSVROWS_MAX_COLUMNS)
        return fz_fail(err, FZ_ERUNTIME, "csvrows: %zu columns", ncols);
    rows_reader r = {.path = path, .columns = columns, .ncols = ncols, .fn = fn, .ctx = ctx, .err = err};
    for (size_t j = 0; j < ncols; j++)
        r.col[j] = -1;
    int rc = csvcol_feed(path, columns[0], 1, &r.pos, on_field, on_record, &r, err);
    for (size_t j = 0; j < ncols; j++)
        free(r.cell[j]);
    *nrows = r.nrows;
    return rc;
}
