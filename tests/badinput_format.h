/* badinput_format.h: the parser of tests/data/badinput.txt, the catalogue of
 * invalid inputs that check_badinput.c runs (the format is documented at the
 * top of that file).  Static functions, included by check_badinput.c only.
 *
 * parse_catalogue fills a catalogue that owns every string in it (free it
 * with free_catalogue); on failure it says why in c->error as
 * "FILE:LINE: reason".  Decoding happens here, once: a row holds the exact
 * bytes of its files, its arguments and its expected messages. */
#ifndef FZ_BADINPUT_FORMAT_H
#define FZ_BADINPUT_FORMAT_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 60                 /* cu_run_prog takes 62 */
#define MAX_MADE 16                 /* files, directories... made for one row */
#define MAX_VALUE ((size_t)1 << 28) /* 256 MiB: one decoded value */

enum { M_FILE, M_DIR, M_FIFO, M_SYMLINK };

typedef struct made {
    int kind;
    char *name;  /* relative to the row's directory */
    char *bytes; /* M_FILE: contents; M_SYMLINK: target */
    size_t len;
    int unreadable;
} made;

typedef struct row {
    char *id;
    int line; /* of its "== " line */
    char *args[MAX_ARGS + 1];
    size_t nargs;
    made made[MAX_MADE];
    size_t nmade;
    int status;
    char *err, *out;  /* substrings of stderr and stdout; NULL: not checked */
    int load_refused; /* "scenario_load: refused": the library refuses it too */
    char *dist_text;  /* "dist_parse: TEXT": dist_parse refuses TEXT too; NULL: no such line */
} row;

typedef struct catalogue {
    row common; /* the lines above the first row: made for every row */
    row *rows;
    size_t n, ok, cap;
    char error[512]; /* "FILE:LINE: reason" when parsing failed */
} catalogue;

/* ---- parsing ---- */

typedef struct parser {
    const char *file;
    catalogue *c;
    int line;
} parser;

static int perr(parser *p, int line, const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(p->c->error, sizeof p->c->error, "%s:%d: %s", p->file, line, why);
    return -1;
}

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20); /* lower case */
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes s[*i..n) into out, up to an unescaped `stop` (consumed; 0: the
 * end).  Escapes: \n \t \r \\ \" \} \xHH, and \{N*TEXT} for N copies of TEXT. */
static int decode(parser *p, const char *s, size_t n, size_t *i, char stop, buf *out)
{
    while (*i < n) {
        char c = s[(*i)++];
        if (stop && c == stop)
            return 0;
        if (c != '\\') {
            buf_add(out, &c, 1);
            continue;
        }
        if (*i == n)
            return perr(p, p->line, "a backslash at the end of the line (write \\\\ for one)");
        c = s[(*i)++];
        const char *lit = c == 'n'                  ? "\n"
                          : c == 't'                ? "\t"
                          : c == 'r'                ? "\r"
                          : c && strchr("\\\"}", c) ? &s[*i - 1]
                                                    : NULL;
        if (lit) {
            buf_add(out, lit, 1);
        } else if (c == 'x') {
            int hi = *i + 1 < n ? hexval(s[*i]) : -1, lo = *i + 1 < n ? hexval(s[*i + 1]) : -1;
            if (hi < 0 || lo < 0)
                return perr(p, p->line, "\\x needs two hex digits");
            char b = (char)(hi * 16 + lo);
            buf_add(out, &b, 1);
            *i += 2;
        } else if (c == '{') {
            char *end = (char *)s + *i;
            errno = 0;
            unsigned long k = *i < n && s[*i] >= '0' && s[*i] <= '9' ? strtoul(s + *i, &end, 10) : 0;
            if (end == s + *i || end >= s + n || *end != '*' || errno || k > MAX_VALUE)
                return perr(p, p->line, "expected \\{COUNT*TEXT}");
            *i = (size_t)(end - s) + 1;
            buf text = {0};
            if (decode(p, s, n, i, '}', &text) < 0) {
                free(text.p);
                return -1;
            }
            if (text.n && k > (MAX_VALUE - out->n) / text.n) {
                free(text.p);
                return perr(p, p->line, "\\{%lu*...} makes a value longer than 256 MiB", k);
            }
            for (unsigned long j = 0; j < k; j++)
                buf_add(out, text.p, text.n);
            free(text.p);
        } else {
            return perr(p, p->line, "unknown escape '\\%c' (known: \\n \\t \\r \\\\ \\\" \\} \\xHH \\{N*TEXT})", c);
        }
    }
    if (stop)
        return perr(p, p->line, "%s", stop == '}' ? "\\{ without its closing }" : "a \" without its closing \"");
    return 0;
}

/* A decoded string without NUL bytes (arguments, expected messages). */
static char *decode_text(parser *p, const char *s, size_t n, const char *what)
{
    buf b = {0};
    size_t i = 0;
    if (decode(p, s, n, &i, 0, &b) < 0 || (b.n && memchr(b.p, '\0', b.n))) {
        if (!p->c->error[0])
            perr(p, p->line, "%s cannot hold a NUL byte", what);
        free(b.p);
        return NULL;
    }
    if (!b.p)
        buf_add(&b, "", 0);
    return b.p;
}

/* run: words split at blanks; "..." holds blanks or nothing. */
static int parse_args(parser *p, row *w, const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (w->nargs == MAX_ARGS)
            return perr(p, p->line, "more than %d arguments", MAX_ARGS);
        buf b = {0};
        if (s[i] == '"') {
            i++;
            if (decode(p, s, n, &i, '"', &b) < 0) {
                free(b.p);
                return -1;
            }
            if (i < n && s[i] != ' ' && s[i] != '\t') {
                free(b.p);
                return perr(p, p->line, "a blank must follow a closing \"");
            }
        } else {
            size_t j = i;
            for (; j < n && s[j] != ' ' && s[j] != '\t'; j++)
                if (s[j] == '"')
                    return perr(p, p->line, "a \" inside a word (quote the whole word)");
                else if (s[j] == '\\' && j + 1 < n)
                    j++;
            size_t k = 0;
            if (decode(p, s + i, j - i, &k, 0, &b) < 0) {
                free(b.p);
                return -1;
            }
            i = j;
        }
        if (!b.p)
            buf_add(&b, "", 0);
        if (memchr(b.p, '\0', b.n)) {
            free(b.p);
            return perr(p, p->line, "an argument cannot hold a NUL byte");
        }
        w->args[w->nargs++] = b.p;
    }
    return w->nargs ? 0 : perr(p, p->line, "run: names no arguments");
}

static int name_ok(const char *s) { return *s && *s != '/' && !strstr(s, ".."); }

static made *find_made(row *w, const char *name)
{
    for (size_t i = 0; i < w->nmade; i++)
        if (!strcmp(w->made[i].name, name))
            return &w->made[i];
    return NULL;
}

/* "KEYWORD NAME..." lines: file, dir, fifo, symlink, unreadable. */
static int parse_made(parser *p, row *w, const char *kw, const char *s, size_t n, const char **lines, size_t nlines,
                      size_t *li)
{
    size_t j = 0;
    while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != ':')
        j++;
    char *name = strndup(s, j);
    if (!name_ok(name) || !strncmp(name, "out", 3) || !strncmp(name, "results", 7)) {
        perr(p, p->line,
             "%s '%s': expected a relative name without '..', not out* or results* (the runner checks "
             "that none exists after the run)",
             kw, name);
        free(name);
        return -1;
    }
    if (!strcmp(kw, "unreadable")) {
        made *m = find_made(w, name);
        free(name);
        if (j != n || !m || m->kind == M_SYMLINK || m->kind == M_FIFO)
            return perr(p, p->line, "unreadable: expected the name of a file or directory made above in this row");
        m->unreadable = 1;
        return 0;
    }
    if (find_made(w, name) || (w != &p->c->common && find_made(&p->c->common, name))) {
        perr(p, p->line, "'%s' is made twice", name);
        free(name);
        return -1;
    }
    if (w->nmade == MAX_MADE) {
        free(name);
        return perr(p, p->line, "more than %d files in one row", MAX_MADE);
    }
    made *m = &w->made[w->nmade++];
    *m = (made){.name = name};
    const char *rest = s + j;
    size_t nrest = n - j;
    if (!strcmp(kw, "dir") || !strcmp(kw, "fifo")) {
        m->kind = !strcmp(kw, "dir") ? M_DIR : M_FIFO;
        return nrest ? perr(p, p->line, "%s: expected '%s NAME' alone", kw, kw) : 0;
    }
    m->kind = !strcmp(kw, "file") ? M_FILE : M_SYMLINK;
    buf b = {0};
    size_t i = 0;
    if (nrest && rest[0] == ':') {
        while (++i < nrest && (rest[i] == ' ' || rest[i] == '\t'))
            ;
        if (decode(p, rest, nrest, &i, 0, &b) < 0) {
            free(b.p);
            return -1;
        }
    } else if (m->kind == M_FILE && nrest > 3 && (rest[0] == ' ' || rest[0] == '\t')) {
        while (i < nrest && (rest[i] == ' ' || rest[i] == '\t'))
            i++;
        const char *mark = rest + i + 2;
        size_t nmark = i + 2 < nrest ? nrest - i - 2 : 0;
        if (strncmp(rest + i, "<<", 2) || !nmark || memchr(mark, ' ', nmark) || memchr(mark, '\t', nmark))
            return perr(p, p->line, "file: expected 'file NAME: TEXT' or 'file NAME <<MARK'");
        int start = p->line;
        for (;;) {
            if (++*li == nlines) {
                free(b.p);
                return perr(p, start, "file %s <<%.*s: no line '%.*s' ends it", name, (int)nmark, mark, (int)nmark,
                            mark);
            }
            p->line++;
            const char *l = lines[*li];
            size_t nl = (size_t)(lines[*li + 1] - l) - 1;
            size_t t = nl;
            while (t && (l[t - 1] == ' ' || l[t - 1] == '\t'))
                t--;
            if (t == nmark && !memcmp(l, mark, nmark))
                break;
            size_t k = 0;
            if (decode(p, l, nl, &k, 0, &b) < 0) {
                free(b.p);
                return -1;
            }
            buf_add(&b, "\n", 1);
        }
    } else {
        return perr(p, p->line, "%s: expected '%s NAME: %s'%s", kw, kw, m->kind == M_FILE ? "TEXT" : "TARGET",
                    m->kind == M_FILE ? " or 'file NAME <<MARK'" : "");
    }
    if (!b.p)
        buf_add(&b, "", 0);
    if (m->kind == M_SYMLINK && (!b.n || memchr(b.p, '\0', b.n))) {
        free(b.p);
        return perr(p, p->line, "symlink: expected a target without NUL bytes");
    }
    m->bytes = b.p;
    m->len = b.n;
    return 0;
}

/* The part of a stderr: text "FILE:LINE: KEY: MESSAGE" after its prefix
 * (FILE without ':', LINE digits, KEY without blanks or ':'): what the
 * library's own message must hold for a dist_parse: row.  NULL when err has
 * no such prefix or MESSAGE is empty. */
static const char *dist_message(const char *err)
{
    const char *s = strchr(err, ':');
    if (!s || s == err || s[1] < '0' || s[1] > '9')
        return NULL;
    for (s++; *s >= '0' && *s <= '9'; s++)
        ;
    if (s[0] != ':' || s[1] != ' ')
        return NULL;
    const char *key = s + 2, *k = key;
    while (*k && *k != ':' && *k != ' ' && *k != '\t')
        k++;
    if (k == key || k[0] != ':' || k[1] != ' ' || !k[2])
        return NULL;
    return k + 2;
}

/* The checks on a whole row, at its end. */
static int finish_row(parser *p, row *w)
{
    if (!w->nargs)
        return perr(p, w->line, "row '%s' has no run: line", w->id);
    if (w->status && (!w->err || w->out))
        return perr(p, w->line,
                    "row '%s' expects exit %d: it needs a stderr: line and no stdout: line (stdout must be "
                    "empty)",
                    w->id, w->status);
    if (!w->status && !w->out)
        return perr(p, w->line, "row '%s' expects exit 0: it needs a stdout: line", w->id);
    if (w->load_refused) { /* check FILE [--set VALUE]..., exit 2 */
        int shape = w->status == 2 && w->nargs >= 2 && !strcmp(w->args[0], "check") && w->args[1][0] != '-';
        for (size_t i = 2; shape && i < w->nargs; i += 2)
            shape = !strcmp(w->args[i], "--set") && i + 1 < w->nargs;
        if (!shape)
            return perr(p, w->line,
                        "row '%s': scenario_load: refused needs run: check FILE [--set VALUE]... and exit 2", w->id);
    }
    if (w->dist_text && !(w->status == 2 && w->nargs >= 2 && !strcmp(w->args[0], "check") && w->args[1][0] != '-' &&
                          dist_message(w->err)))
        return perr(p, w->line,
                    "row '%s': dist_parse: needs run: check FILE ..., exit 2 and stderr: FILE:LINE: KEY: TEXT", w->id);
    for (size_t i = 0; i < p->c->n - 1; i++)
        if (!strcmp(p->c->rows[i].id, w->id))
            return perr(p, w->line, "row '%s' repeats the one on line %d", w->id, p->c->rows[i].line);
    p->c->ok += w->status == 0;
    return 0;
}

static int set_once(parser *p, char **slot, char *v, const char *key)
{
    if (!v)
        return -1;
    if (*slot) {
        free(v);
        return perr(p, p->line, "%s given twice in one row", key);
    }
    if (!*v) {
        free(v);
        return perr(p, p->line, "%s empty (it would match anything)", key);
    }
    *slot = v;
    return 0;
}

/* Parses text[0..len) (the contents of file, followed by a NUL: its last
 * line may lack a newline) into c; on failure c->error says why. */
static int parse_catalogue(const char *file, const char *text, size_t len, catalogue *c)
{
    parser p = {.file = file, .c = c};
    size_t nlines = 0, ncount = 0, decl_rows = 0, decl_ok = 0;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        nlines++;
    /* lines[i] is where line i+1 starts; lines[nlines] one past the end + 1 */
    const char **lines = malloc((nlines + 1) * sizeof *lines);
    size_t k = 0;
    lines[k++] = text;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && k <= nlines)
            lines[k++] = text + i + 1;
    if (len && text[len - 1] != '\n')
        lines[nlines] = text + len + 1;
    int rc = 0, count_line = 0;
    /* what the file holds is what one sees: bytes that do not show are escapes */
    for (size_t li = 0; li < nlines && rc == 0; li++)
        for (const char *q = lines[li]; q < lines[li + 1] - 1 && rc == 0; q++)
            if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7f)
                rc = perr(&p, (int)li + 1, "a raw control byte 0x%02x: write it as an escape (\\xHH, \\r, \\t)",
                          (unsigned char)*q);
    row *w = &c->common;
    for (size_t li = 0; li < nlines && rc == 0; li++) {
        p.line = (int)li + 1;
        const char *s = lines[li];
        size_t n = (size_t)(lines[li + 1] - s) - 1;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        if (!n || *s == '#')
            continue;
        /* the keyword: "==", "run:"..., or "file", "dir"... followed by a name */
        size_t kw = 0;
        while (kw < n && s[kw] != ' ' && s[kw] != '\t' && s[kw] != ':')
            kw++;
        int colon = kw < n && s[kw] == ':';
        char key[16];
        snprintf(key, sizeof key, "%.*s", (int)(kw + (size_t)colon < sizeof key ? kw + (size_t)colon : 0), s);
        const char *v = s + kw + (kw < n);
        size_t nv = n - kw - (kw < n);
        while (nv && (*v == ' ' || *v == '\t'))
            v++, nv--;
        if (!strcmp(key, "==")) {
            if (w != &c->common && (rc = finish_row(&p, w)) < 0)
                break;
            if (!nv) {
                rc = perr(&p, p.line, "'==' without a row name");
                break;
            }
            if (c->n == c->cap)
                c->rows = realloc(c->rows, (c->cap = c->cap ? 2 * c->cap : 256) * sizeof *c->rows);
            w = &c->rows[c->n++];
            *w = (row){.id = strndup(v, nv), .line = p.line, .status = 2};
        } else if (!strcmp(key, "count:")) {
            char line[80], tail;
            snprintf(line, sizeof line, "%.*s", (int)(nv < 79 ? nv : 79), v);
            if (ncount++ || sscanf(line, "%zu rows, %zu with exit 0%c", &decl_rows, &decl_ok, &tail) != 2)
                rc = perr(&p, p.line, "expected one line 'count: N rows, M with exit 0'");
            count_line = p.line;
        } else if (colon && w == &c->common) {
            rc = perr(&p, p.line, "'%.*s:' above the first row (rows start with '== NAME')", (int)kw, s);
        } else if (!strcmp(key, "run:")) {
            rc = w->nargs ? perr(&p, p.line, "run: given twice in one row") : parse_args(&p, w, v, nv);
        } else if (!strcmp(key, "exit:")) {
            char *end;
            long st = nv ? strtol(v, &end, 10) : -1;
            if (!nv || end != v + nv || st < 0 || st > 125)
                rc = perr(&p, p.line, "exit: expected a status from 0 to 125");
            w->status = (int)st;
        } else if (!strcmp(key, "stderr:") || !strcmp(key, "stdout:")) {
            rc = set_once(&p, key[3] == 'e' ? &w->err : &w->out, decode_text(&p, v, nv, "an expected message"), key);
        } else if (!strcmp(key, "scenario_load:")) {
            if (nv != 7 || strncmp(v, "refused", 7) || w->load_refused)
                rc = perr(&p, p.line, "expected one line 'scenario_load: refused' in a row");
            w->load_refused = 1;
        } else if (!strcmp(key, "dist_parse:")) { /* TEXT may be empty: dist_parse("") */
            if (w->dist_text)
                rc = perr(&p, p.line, "dist_parse: given twice in one row");
            else if (!(w->dist_text = decode_text(&p, v, nv, "a distribution")))
                rc = -1;
        } else if (!colon && kw < n &&
                   (!strcmp(key, "file") || !strcmp(key, "dir") || !strcmp(key, "fifo") || !strcmp(key, "symlink") ||
                    !strcmp(key, "unreadable"))) {
            rc = parse_made(&p, w, key, v, nv, lines, nlines, &li);
        } else {
            rc = perr(&p, p.line, "unknown line '%.*s' (see the format at the top of the file)", (int)(n > 40 ? 40 : n),
                      s);
        }
    }
    if (rc == 0 && w != &c->common)
        rc = finish_row(&p, w);
    if (rc == 0 && !ncount)
        rc = perr(&p, nlines ? (int)nlines : 1, "no line 'count: N rows, M with exit 0'");
    if (rc == 0 && (decl_rows != c->n || decl_ok != c->ok))
        rc = perr(&p, count_line, "count: says %zu rows, %zu with exit 0; the file holds %zu rows, %zu with exit 0",
                  decl_rows, decl_ok, c->n, c->ok);
    free(lines);
    return rc;
}

static void free_row(row *w)
{
    free(w->id);
    for (size_t i = 0; i < w->nargs; i++)
        free(w->args[i]);
    for (size_t i = 0; i < w->nmade; i++) {
        free(w->made[i].name);
        free(w->made[i].bytes);
    }
    free(w->err);
    free(w->out);
    free(w->dist_text);
}

static void free_catalogue(catalogue *c)
{
    free_row(&c->common);
    for (size_t i = 0; i < c->n; i++)
        free_row(&c->rows[i]);
    free(c->rows);
    *c = (catalogue){0};
}

#endif
