/* csvcol: numeric CSV column reader on top of libcsv (see csvcol.h).
 *
 * The file is fed to libcsv one physical line at a time so that every field
 * callback knows the line it ended on: that is the line reported in errors. */
#include "csvcol.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_input.h"

typedef struct reader {
    csv_pos pos; /* line, record start, records seen, failed */
    const char *path, *column;
    size_t field;    /* index of the next field in the current record */
    long col;        /* index of the wanted column, -1 until the header is read */
    int seen_in_row; /* the wanted column appeared in this row */
    size_t nheader;  /* fields in the header row */
    char names[400]; /* the header's names, quoted, for the missing-column message (cut) */
    int flags;       /* CSVCOL_* */
    csvcol *out;
    size_t cap;
    fz_error *err;
} reader;

int csvcol_parse_number(const char *cell, double *out)
{
    char buf[128];
    size_t n = 0;
    const char *s = cell;
    while (isspace((unsigned char)*s))
        s++;
    int neg = 0;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    if (*s == '$')
        s++;
    /* Copy, dropping thousands separators that sit between digit groups. */
    int digits_before = 0;
    for (; *s && !isspace((unsigned char)*s); s++) {
        if (*s == ',') {
            if (!digits_before || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
                !isdigit((unsigned char)s[3]) || isdigit((unsigned char)s[4]))
                return -1;
            continue;
        }
        if (isdigit((unsigned char)*s))
            digits_before = 1;
        if (n + 2 >= sizeof buf)
            return -1;
        buf[n++] = *s;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (*s || n == 0)
        return -1;
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(v) || (!isdigit((unsigned char)buf[0]) && buf[0] != '.'))
        return -1;
    *out = neg ? -v : v;
    return 0;
}

/* libcsv grows its field buffer without limit: refuse past the line limit
 * (a field within one line cannot be longer; one spanning lines inside
 * quotes is held to the same bound). */
static void *capped_realloc(void *p, size_t n)
{
    return n > (size_t)FZ_INPUT_MAX_CSV_LINE + 256 ? NULL : realloc(p, n);
}

/* Appends 'name' to r->names (", "-separated); once full, the list ends
 * with "..." rather than a name cut in half. */
static void add_name(reader *r, const char *name, size_t len)
{
    size_t used = strlen(r->names), room = sizeof r->names - used;
    if (used >= 3 && !strcmp(r->names + used - 3, "..."))
        return;
    int w = snprintf(r->names + used, room, "%s'%.*s'", used ? ", " : "", (int)(len > 64 ? 64 : len), name);
    if (w < 0 || (size_t)w >= room - 5) /* keep room for ", ..." */
        snprintf(r->names + used, room, "%s...", used ? ", " : "");
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    const char *cell = data ? data : "";
    size_t idx = r->field++;
    if (r->pos.failed)
        return;
    if (r->pos.record == 0) {
        if (idx == 0 && len >= 3 && memcmp(cell, "\xEF\xBB\xBF", 3) == 0)
            cell += 3;
        while (isspace((unsigned char)*cell))
            cell++;
        size_t m = strlen(cell);
        while (m && isspace((unsigned char)cell[m - 1]))
            m--;
        if (r->col < 0 && m == strlen(r->column) && strncmp(cell, r->column, m) == 0)
            r->col = (long)idx;
        add_name(r, cell, m);
        return;
    }
    if ((long)idx != r->col)
        return;
    r->seen_in_row = 1;
    const char *t = cell;
    while (isspace((unsigned char)*t))
        t++;
    if (!*t) {
        if (!r->out->n_empty++)
            r->out->first_empty_line = r->pos.line;
        return;
    }
    double v;
    int bad = csvcol_parse_number(cell, &v) != 0;
    if (bad && (r->flags & CSVCOL_SKIP_NONNUMERIC)) {
        if (!r->out->n_nonnumeric++) {
            r->out->first_nonnumeric_line = r->pos.line;
            snprintf(r->out->first_nonnumeric, sizeof r->out->first_nonnumeric, "%s", t);
        }
        return;
    }
    if (bad) {
        fz_fail(r->err, FZ_EINPUT, "%s:%ld: column '%s': '%.40s' is not a number", r->path, r->pos.line, r->column,
                cell);
        r->pos.failed = 1;
        return;
    }
    if (r->out->n == CSVCOL_MAX_VALUES) {
        fz_fail(r->err, FZ_EINPUT, "%s:%ld: column '%s' holds more than %d numbers: the limit", r->path, r->pos.line,
                r->column, CSVCOL_MAX_VALUES);
        r->pos.failed = 1;
        return;
    }
    if (r->out->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        if (cap > CSVCOL_MAX_VALUES)
            cap = CSVCOL_MAX_VALUES;
        double *nv = realloc(r->out->values, cap * sizeof *nv);
        if (nv)
            r->out->values = nv;
        long *nl = nv && (r->flags & CSVCOL_LINES) ? realloc(r->out->lines, cap * sizeof *nl) : NULL;
        if (nl)
            r->out->lines = nl;
        if (!nv || (!nl && (r->flags & CSVCOL_LINES))) {
            fz_fail(r->err, FZ_ERUNTIME, "%s: out of memory", r->path);
            r->pos.failed = 1;
            return;
        }
        r->cap = cap;
    }
    if (r->out->lines)
        r->out->lines[r->out->n] = r->pos.line;
    r->out->values[r->out->n++] = v;
}

static void on_record(int term, void *ctx)
{
    (void)term;
    reader *r = ctx;
    if (!r->pos.failed && r->pos.record == 0 && r->col < 0) {
        fz_fail(r->err, FZ_EINPUT, "%s:%ld: no column named '%s' in the header row; the columns are %s", r->path,
                r->pos.line, r->column, r->names);
        r->pos.failed = 1;
    }
    if (r->pos.record == 0)
        r->nheader = r->field;
    if (r->pos.record > 0) {
        r->out->n_rows++;
        if (!r->pos.failed && r->field > r->nheader) {
            /* an unquoted 1,500 splits into two fields and shifts the row */
            fz_fail(r->err, FZ_EINPUT,
                    "%s:%ld: this row has %zu fields but the header has %zu (quote amounts that have "
                    "a thousands separator: \"1,500\")",
                    r->path, r->pos.line, r->field, r->nheader);
            r->pos.failed = 1;
        }
        if (!r->seen_in_row && !r->pos.failed && !r->out->n_empty++)
            r->out->first_empty_line = r->pos.line; /* short row: the cell is missing */
    }
    r->pos.record++;
    r->pos.rec_start = r->pos.line + 1;
    r->field = 0;
    r->seen_in_row = 0;
}

int csvcol_read(csvcol *out, const char *path, const char *column, fz_error *err)
{
    return csvcol_read_flags(out, path, column, 0, err);
}

int csvcol_feed(const char *path, const char *first_column, int brief, csv_pos *pos, csv_field_fn on_field,
                csv_record_fn on_record, void *ctx, fz_error *err)
{
    FILE *f = fz_input_open(path, FZ_INPUT_MAX_CSV, "CSV file", err);
    if (!f)
        return err ? err->code : FZ_EINPUT;
    /* one line buffer of the line limit (+ line end, NUL) for the whole file */
    const size_t cap = FZ_INPUT_MAX_CSV_LINE + 2;
    char *line = malloc(cap);
    struct csv_parser p;
    if (!line || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(line);
        fclose(f);
        return fz_fail(err, FZ_ERUNTIME, "%s: cannot start the CSV parser", path);
    }
    csv_set_realloc_func(&p, capped_realloc);
    pos->rec_start = 1;
    ssize_t len;
    long nread = 0;
    int rc = 0;
    char lim[32];
    while (!pos->failed && (len = fz_input_line(f, line, cap)) != 0) {
        pos->line++;
        if (len < 0 || (size_t)len > (size_t)FZ_INPUT_MAX_CSV_LINE) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: line longer than the limit of %s", path, pos->line,
                         fz_input_size_name(FZ_INPUT_MAX_CSV_LINE, lim, sizeof lim));
            goto done;
        }
        int nul = (size_t)len != strlen(line);
        if ((nread += len) > FZ_INPUT_MAX_CSV && !(brief && nul)) { /* brief: the NUL byte named first */
            rc = fz_fail(err, FZ_EINPUT,
                         brief ? "%s:%ld: the file is larger than the limit"
                               : "%s:%ld: the file is larger than the limit of %s for a CSV file",
                         path, pos->line, fz_input_size_name(FZ_INPUT_MAX_CSV, lim, sizeof lim));
            goto done;
        }
        if (nul) {
            rc = fz_fail(err, FZ_EINPUT, "%s:%ld: NUL byte in a text file", path, pos->line);
            goto done;
        }
        if (pos->rec_start == pos->line && strspn(line, "\r\n") == (size_t)len)
            pos->rec_start++; /* libcsv skips blank lines between records */
        if (csv_parse(&p, line, (size_t)len, on_field, on_record, ctx) != (size_t)len) {
            if (!brief && csv_error(&p) == CSV_ENOMEM) /* capped_realloc refused: a field past the limit */
                rc = fz_fail(err, FZ_EINPUT,
                             "%s:%ld: a field longer than the limit of %s (a quoted field that starts on "
                             "line %ld and is never closed?)",
                             path, pos->line, fz_input_size_name(FZ_INPUT_MAX_CSV_LINE, lim, sizeof lim),
                             pos->rec_start);
            else
                rc = fz_fail(err, FZ_EINPUT, "%s:%ld: malformed CSV: %s", path, pos->line, csv_strerror(csv_error(&p)));
            goto done;
        }
    }
    if (!pos->failed && ferror(f)) {
        rc = fz_fail(err, FZ_EINPUT, "%s: read error: %s", path, strerror(errno));
        goto done;
    }
    if (!pos->failed && csv_fini(&p, on_field, on_record, ctx) != 0) {
        rc = fz_fail(err, FZ_EINPUT,
                     brief ? "%s:%ld: malformed CSV: %s: a quoted field in the record that starts on this line is "
                             "never closed"
                           : "%s:%ld: malformed CSV: %s: a quoted field in the record that starts on this line is "
                             "never closed (the file ends at line %ld)",
                     path, pos->rec_start, csv_strerror(csv_error(&p)), pos->line);
        goto done;
    }
    if (pos->failed)
        rc = err ? err->code : FZ_EINPUT;
    else if (pos->record == 0)
        rc = fz_fail(err, FZ_EINPUT, "%s:1: empty file: expected a header row naming '%s'", path, first_column);
done:
    csv_free(&p);
    free(line);
    fclose(f);
    return rc;
}

int csvcol_read_flags(csvcol *out, const char *path, const char *column, int flags, fz_error *err)
{
    memset(out, 0, sizeof *out);
    reader r = {.path = path, .column = column, .col = -1, .out = out, .err = err, .flags = flags};
    int rc = csvcol_feed(path, column, 0, &r.pos, on_field, on_record, &r, err);
    if (rc)
        csvcol_free(out);
    return rc;
}

void csvcol_free(csvcol *c)
{
    if (!c)
        return;
    free(c->values);
    free(c->lines);
    memset(c, 0, sizeof *c);
}
