/* csvrows: several text columns of a CSV file, row by row (csvrows.h).
 * Fed to libcsv one physical line at a time, as csvcol.c does, so a row
 * knows the line it starts on. */
#include "csvrows.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_input.h"

typedef struct rows_reader {
    const char *path;
    const char *const *columns;
    size_t ncols;
    long col[CSVROWS_MAX_COLUMNS]; /* field index of each column, -1 until found */
    char *cell[CSVROWS_MAX_COLUMNS];
    long line, rec_start, record;
    size_t field, nheader, nrows;
    csvrows_fn fn;
    void *ctx;
    fz_error *err;
    int failed;
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
    if (r->failed)
        return;
    const char *s = data ? data : "";
    if (r->record == 0 && idx == 0 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3, len -= 3;
    for (size_t j = 0; j < r->ncols; j++) {
        if (r->record == 0 ? r->col[j] >= 0 : r->col[j] != (long)idx)
            continue;
        char *t = trimmed(s, len);
        if (!t) {
            fz_fail(r->err, FZ_ERUNTIME, "%s: out of memory", r->path);
            r->failed = 1;
            return;
        }
        if (r->record == 0) {
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
    if (r->record == 0) {
        r->nheader = r->field;
        for (size_t j = 0; j < r->ncols && !r->failed; j++)
            if (r->col[j] < 0) {
                fz_fail(r->err, FZ_EINPUT, "%s:%ld: no column named '%s' in the header row", r->path, r->line,
                        r->columns[j]);
                r->failed = 1;
            }
    } else if (!r->failed) {
        r->nrows++;
        if (r->field > r->nheader) {
            fz_fail(r->err, FZ_EINPUT,
                    "%s:%ld: this row has %zu fields but the header has %zu (quote amounts that have a thousands "
                    "separator: \"1,500\")",
                    r->path, r->rec_start, r->field, r->nheader);
            r->failed = 1;
        } else {
            const char *cells[CSVROWS_MAX_COLUMNS];
            for (size_t j = 0; j < r->ncols; j++)
                cells[j] = r->cell[j] ? r->cell[j] : "";
            if (r->fn(r->ctx, r->rec_start, cells, r->err))
                r->failed = 1;
        }
    }
    for (size_t j = 0; j < r->ncols; j++) {
        free(r->cell[j]);
        r->cell[j] = NULL;
    }
    r->record++;
    r->rec_start = r->line + 1;
    r->field = 0;
}

static void *capped_realloc(void *p, size_t n)
{
    return n > (size_t)FZ_INPUT_MAX_CSV_LINE + 256 ? NULL : realloc(p, n);
}

int csvrows_read(const char *path, size_t ncols, const char *const *columns, csvrows_fn fn, void *ctx, size_t *nrows,
                 fz_error *err)
{
    *nrows = 0;
    if (ncols < 1 || ncols > CSVROWS_MAX_COLUMNS)
        return fz_fail(err, FZ_ERUNTIME, "csvrows: %zu columns", ncols);
    FILE *f = fz_input_open(path, FZ_INPUT_MAX_CSV, "CSV file", err);
    if (!f)
        return err ? err->code : FZ_EINPUT;
    const size_t cap = FZ_INPUT_MAX_CSV_LINE + 2;
    char *line = malloc(cap), lim[32];
    struct csv_parser p;
    if (!line || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(line);
        fclose(f);
        return fz_fail(err, FZ_ERUNTIME, "%s: cannot start the CSV parser", path);
    }
    csv_set_realloc_func(&p, capped_realloc);
    rows_reader r = {.path = path, .columns = columns, .ncols = ncols, .rec_start = 1, .fn = fn, .ctx = ctx,
                     .err = err};
    for (size_t j = 0; j < ncols; j++)
        r.col[j] = -1;
    ssize_t len;
    long nread = 0;
    int rc = 0;
    while (!r.failed && (len = fz_input_line(f, line, cap)) != 0) {
        r.line++;
        if (len < 0 || (size_t)len > (size_t)FZ_INPUT_MAX_CSV_LINE) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: line longer than the limit of %s", path, r.line,
                         fz_input_size_name(FZ_INPUT_MAX_CSV_LINE, lim, sizeof lim));
            goto done;
        }
        if ((nread += len) > FZ_INPUT_MAX_CSV || (size_t)len != strlen(line)) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: %s", path, r.line,
                         (size_t)len != strlen(line) ? "NUL byte in a text file" : "the file is larger than the limit");
            goto done;
        }
        if (r.rec_start == r.line && strspn(line, "\r\n") == (size_t)len)
            r.rec_start++; /* libcsv skips blank lines between records */
        if (csv_parse(&p, line, (size_t)len, on_field, on_record, &r) != (size_t)len) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: malformed CSV: %s", path, r.line, csv_strerror(csv_error(&p)));
            goto done;
        }
    }
    if (!r.failed && ferror(f)) {
        rc = fz_fail(err, FZ_EINPUT, "%s: read error: %s", path, strerror(errno));
        goto done;
    }
    if (!r.failed && csv_fini(&p, on_field, on_record, &r) != 0) {
        rc = fz_fail(err, FZ_EINPUT,
                     "%s:%ld: malformed CSV: %s: a quoted field in the record that starts on this line is never "
                     "closed",
                     path, r.rec_start, csv_strerror(csv_error(&p)));
        goto done;
    }
    if (r.failed)
        rc = err ? err->code : FZ_EINPUT;
    else if (r.record == 0)
        rc = fz_fail(err, FZ_EINPUT, "%s:1: empty file: expected a header row naming '%s'", path, columns[0]);
done:
    for (size_t j = 0; j < ncols; j++)
        free(r.cell[j]);
    csv_free(&p);
    free(line);
    fclose(f);
    *nrows = r.nrows;
    return rc;
}
