/* check_badinput: runs the catalogue of invalid inputs in
 * tests/data/badinput.txt through the built binary.
 *
 * The catalogue is data: each row names fianza's arguments, the files to make
 * in a fresh directory first, and the expected exit status and message (the
 * format is documented at the top of badinput.txt, for people who add rows
 * without reading this file).  badinput_format.h parses it; this file runs
 * every row, and tests the parser on malformed files.
 *
 * Every row runs FZ_BIN in a fresh directory holding the shared files (the
 * lines above the first row: two.ini) and the row's own, with relative paths,
 * so that messages name them exactly as given.  Asserted for each row:
 * - the exit status (2 unless the row says otherwise; never a signal);
 * - a nonzero status: stderr starts with "fianza: " and contains the row's
 *   stderr: text, which names the file and line ("s.ini:3: ", "./e.csv:2: ")
 *   or the option ("--threads 0"), or the file alone where no line applies;
 *   stdout is empty;
 * - exit 0: stdout contains the row's stdout: text (check printing the value
 *   back as read), and stderr its stderr: text if the row gives one;
 * - the directory holds exactly what it held before: no results directory
 *   (-o out, or the default results/), no out.tmp-* or out.old-* sibling, no
 *   parent made for a refused -o; for an absolute -o, no DIR.tmp-* / DIR.old-*
 *   next to it either; every file the row made still holds its bytes.
 * A row with `unreadable`, when the suite runs as root (which reads mode-000
 * files regardless), runs fianza as nobody (uid 65534, through setpriv), so
 * the refusal is tested under CI's root too.  A row marked `scenario_load: refused` is also
 * loaded in process: the library must refuse it with FZ_EINPUT, a NULL
 * scenario and the same message (check_scenario_load).  A row with a
 * `dist_parse: TEXT` line is also parsed in process: dist_parse(TEXT) must
 * refuse it with FZ_EINPUT, a NULL dist and the stderr: text after its
 * "FILE:LINE: KEY: " prefix (check_dist_parse).
 *
 * The catalogue must hold at least BASELINE_ROWS rows (its size once
 * check_scenario_invalid's table, then check_dist's and check_nan's tables of
 * refused distributions, joined it), and exactly as many as its `count:` line says, so that a row lost
 * in an edit or a merge fails the suite.  A malformed data file fails it with
 * FILE:LINE and the reason (test_data_file). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "badinput_format.h"
#include "check_common.h"
#include "cli_util.h"
#include "dist.h"
#include "scenario.h"

#define DATA_FILE FZ_TEST_DIR "/data/badinput.txt"
#define BASELINE_ROWS 481
#define SETPRIV "/usr/bin/setpriv" /* util-linux: runs a program as another user */

/* ---- running a row ---- */

/* read once, in the process that builds the suite; forked tests share it */
static catalogue cat;

/* Names in dir, sorted and joined with '/' (malloc'd). */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s", dir);
    char *names[64];
    size_t n = 0, len = 1;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            ck_assert_uint_lt(n, 64);
            names[n] = strdup(e->d_name);
            len += strlen(e->d_name) + 1;
            n++;
        }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    char *out = malloc(len);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, names[i]);
        strcat(out, "/");
        free(names[i]);
    }
    return out;
}

/* Entries of the directory holding PREFIX's last component that start with
 * it (0 when that directory does not exist, as for /proc/nothing/). */
static int count_siblings(const char *prefix)
{
    char dir[512];
    const char *slash = strrchr(prefix, '/');
    snprintf(dir, sizeof dir, "%.*s", slash == prefix ? 1 : (int)(slash - prefix), prefix);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, slash + 1, strlen(slash + 1)) == 0;
    closedir(d);
    return n;
}

static void make(const char *dir, const made *m)
{
    const char *path = cu_path_in(dir, m->name);
    if (m->kind == M_DIR) {
        ck_assert_msg(mkdir(path, 0700) == 0, "mkdir %s: %s", path, strerror(errno));
    } else if (m->kind == M_FIFO) {
        ck_assert_msg(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
    } else if (m->kind == M_SYMLINK) {
        ck_assert_msg(symlink(m->bytes, path) == 0, "symlink %s: %s", path, strerror(errno));
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        ck_assert_uint_eq(fwrite(m->bytes, 1, m->len, f), m->len);
        ck_assert_int_eq(fclose(f), 0);
    }
}

/* The row's files hold what they held (mode 000 ones made readable first). */
static void check_made(const char *dir, const row *w, int r)
{
    for (size_t i = 0; i < w->nmade; i++) {
        const made *m = &w->made[i];
        const char *path = cu_path_in(dir, m->name);
        if (m->unreadable)
            chmod(path, m->kind == M_DIR ? 0700 : 0600);
        if (m->kind != M_FILE)
            continue;
        size_t len;
        char *now = cu_slurp(path, &len);
        ck_assert_msg(now && len == m->len && memcmp(now, m->bytes, len) == 0, "row %d (%s): %s changed", r, w->id,
                      m->name);
        free(now);
    }
}

/* A row marked "scenario_load: refused" (run: check FILE [--set VALUE]...):
 * the library, not just the command, refuses it: FZ_EINPUT in the return
 * and in err.code, *out reset to NULL, and the message that the command
 * printed (the row's stderr: text, which names FILE as given: a suffix of
 * the absolute path used here). */
static void check_scenario_load(const char *dir, const row *w, int r)
{
    const char *sets[MAX_ARGS];
    size_t nsets = 0;
    for (size_t i = 3; i < w->nargs; i += 2)
        sets[nsets++] = w->args[i];
    scenario *s = (scenario *)&s; /* must be reset to NULL */
    fz_error err;
    memset(&err, 0, sizeof err);
    int rc = scenario_load(&s, cu_path_in(dir, w->args[1]), sets, nsets, &err);
    ck_assert_msg(rc == FZ_EINPUT && err.code == FZ_EINPUT, "row %d (%s): scenario_load returned %d, err.code %d (%s)",
                  r, w->id, rc, err.code, err.msg);
    ck_assert_msg(s == NULL, "row %d (%s): *out not NULL on failure", r, w->id);
    ck_assert_msg(strstr(err.msg, w->err) != NULL, "row %d (%s): scenario_load's message lacks '%s': %s", r, w->id,
                  w->err, err.msg);
}

/* A row with "dist_parse: TEXT" (run: check FILE ...): the library's parser
 * refuses TEXT itself, not only the scenario around it: FZ_EINPUT in the
 * return and in err.code, *out reset to NULL, and a message holding the
 * row's stderr: text after its "FILE:LINE: KEY: " prefix (which the scenario
 * layer adds).  Relative empirical(file=...) names resolve against the
 * directory of FILE as given ("s.ini": DIR/.), as scenario_load does, so that
 * the message names them the same way ("./amounts.csv"). */
static void check_dist_parse(const char *dir, const row *w, int r)
{
    char base[512];
    const char *slash = strrchr(w->args[1], '/');
    if (slash)
        snprintf(base, sizeof base, "%s/%.*s", dir, (int)(slash - w->args[1]), w->args[1]);
    else
        snprintf(base, sizeof base, "%s/.", dir);
    const char *want = dist_message(w->err);
    dist *d = (dist *)&d; /* must be reset to NULL */
    fz_error err;
    memset(&err, 0, sizeof err);
    int rc = dist_parse(&d, w->dist_text, base, &err);
    ck_assert_msg(rc == FZ_EINPUT && err.code == FZ_EINPUT,
                  "row %d (%s): dist_parse(\"%s\") returned %d, err.code %d (%s)", r, w->id, w->dist_text, rc, err.code,
                  err.msg);
    ck_assert_msg(d == NULL, "row %d (%s): *out not NULL on failure", r, w->id);
    ck_assert_msg(want && strstr(err.msg, want) != NULL, "row %d (%s): dist_parse's message lacks '%s': %s", r, w->id,
                  want ? want : "", err.msg);
}

START_TEST(test_row)
{
    const row *w = &cat.rows[_i];
    char name[64];
    snprintf(name, sizeof name, "row%03d", _i);
    char cwd[256];
    snprintf(cwd, sizeof cwd, "%s", cu_test_dir(name));
    for (size_t i = 0; i < cat.common.nmade; i++)
        make(cwd, &cat.common.made[i]);
    for (size_t i = 0; i < w->nmade; i++)
        make(cwd, &w->made[i]);
    int as_nobody = 0;
    for (size_t i = 0; i < w->nmade; i++) {
        if (!w->made[i].unreadable)
            continue;
        const char *p = cu_path_in(cwd, w->made[i].name);
        ck_assert_int_eq(chmod(p, 0), 0);
        if (access(p, R_OK) == 0) {
            /* root reads mode-000 files (and CI runs as root): run fianza as
             * nobody instead, through util-linux's setpriv, so the row tests
             * what it says.  Skipped only when that is impossible. */
            if (access(SETPRIV, X_OK) != 0) {
                fprintf(stderr, "badinput: row %d (%s) skipped: root reads mode-000 files and %s is missing\n", _i,
                        w->id, SETPRIV);
                check_made(cwd, w, _i);
                return;
            }
            as_nobody = 1;
        }
    }
    char *before = listing(cwd);

    run_result r;
    int rc;
    if (as_nobody) {
        const char *args[MAX_ARGS + 6] = {"--reuid=65534", "--regid=65534", "--clear-groups", FZ_BIN};
        for (size_t i = 0; i < w->nargs; i++)
            args[4 + i] = w->args[i];
        /* nobody must reach the row's directory (mkdtemp made cu_work 0700) */
        ck_assert_int_eq(chmod(cu_work, 0755), 0);
        ck_assert_int_eq(chmod(cwd, 0755), 0);
        rc = cu_run_prog(&r, SETPRIV, cwd, 30, NULL, args);
        chmod(cu_work, 0700);
        chmod(cwd, 0700);
    } else
        rc = cu_run_v(&r, cwd, 30, (const char *const *)w->args);
    ck_assert_msg(rc == w->status, "row %d (%s): exit %d, expected %d\nstderr: %s", _i, w->id, rc, w->status, r.err);
    if (w->status) {
        ck_assert_msg(strncmp(r.err, "fianza: ", 8) == 0, "row %d (%s): stderr does not start with 'fianza: ': %s", _i,
                      w->id, r.err);
        ck_assert_msg(r.nout == 0, "row %d (%s): stdout not empty:\n%s", _i, w->id, r.out);
    }
    if (w->err)
        ck_assert_msg(strstr(r.err, w->err) != NULL, "row %d (%s): stderr lacks '%s':\n%s", _i, w->id, w->err, r.err);
    if (w->out)
        ck_assert_msg(strstr(r.out, w->out) != NULL, "row %d (%s): stdout lacks '%s':\n%s", _i, w->id, w->out, r.out);

    /* nothing left behind: the directory is as it was */
    char *after = listing(cwd);
    ck_assert_msg(strcmp(before, after) == 0, "row %d (%s): the directory changed: before '%s', after '%s'", _i, w->id,
                  before, after);
    ck_assert_int_eq(cu_count_prefixed(cwd, "out"), 0);
    ck_assert(!cu_exists(cu_path_in(cwd, "results")));
    for (size_t i = 0; w->args[i]; i++)
        if (!strcmp(w->args[i], "-o") && w->args[i + 1] && w->args[i + 1][0] == '/') {
            const char *o = w->args[i + 1];
            char pre[512];
            snprintf(pre, sizeof pre, "%s.tmp-", o); /* "/" gives /.tmp- */
            ck_assert_msg(count_siblings(pre) == 0, "row %d (%s): %s* left behind", _i, w->id, pre);
            snprintf(pre, sizeof pre, "%s.old-", o);
            ck_assert_msg(count_siblings(pre) == 0, "row %d (%s): %s* left behind", _i, w->id, pre);
        }
    check_made(cwd, w, _i);
    if (w->load_refused)
        check_scenario_load(cwd, w, _i);
    if (w->dist_text)
        check_dist_parse(cwd, w, _i);
    free(before);
    free(after);
    cu_run_free(&r);
}
END_TEST

/* The data file parsed, with as many rows as it says and no fewer than the
 * catalogue had when it moved out of C. */
START_TEST(test_data_file)
{
    ck_assert_msg(cat.error[0] == '\0', "%s", cat.error);
    ck_assert_msg(cat.n >= BASELINE_ROWS, "%s: %zu rows, fewer than the %d the catalogue had", DATA_FILE, cat.n,
                  BASELINE_ROWS);
    ck_assert_uint_ge(cat.ok, 6);
    ck_assert_msg(find_made(&cat.common, "two.ini"), "%s: no shared two.ini above the first row", DATA_FILE);
}
END_TEST

/* ---- the parser itself ---- */

static const char *parse_error(const char *text)
{
    static char msg[512];
    catalogue c = {0};
    int rc = parse_catalogue("t.txt", text, strlen(text), &c);
    snprintf(msg, sizeof msg, "%s", rc == 0 ? "(parsed)" : c.error);
    free_catalogue(&c);
    return msg;
}

/* Each malformed file is refused with its file and line. */
START_TEST(test_malformed)
{
#define ROW_A "count: 1 rows, 0 with exit 0\n== a\nrun: check\n" /* line 4 follows */
    static const char *const cases[][2] = {
        {"", "t.txt:1: no line 'count: N rows, M with exit 0'"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s.ini\nstderr: x\n== b\nrun: check\nstderr: y\n",
         "t.txt:1: count: says 1 rows, 0 with exit 0; the file holds 2 rows, 0 with exit 0"},
        {"count: 1 rows\n", "t.txt:1: expected one line 'count: N rows, M with exit 0'"},
        {"count: 1 rows, 0 with exit 0\nrun: check\n", "t.txt:2: 'run:' above the first row"},
        {"count: 1 rows, 0 with exit 0\n\n== a\nstderr: x\n", "t.txt:3: row 'a' has no run: line"},
        {ROW_A, "t.txt:2: row 'a' expects exit 2: it needs a stderr:"},
        {"count: 1 rows, 1 with exit 0\n== a\nrun: check\nexit: 0\nstderr: x\n", "t.txt:2: row 'a' expects exit 0"},
        {ROW_A "exit: two\n", "t.txt:4: exit: expected a status"},
        {"count: 2 rows, 0 with exit 0\n== a\nrun: x\nstderr: x\n== a\nrun: x\nstderr: x\n",
         "t.txt:5: row 'a' repeats the one on line 2"},
        {ROW_A "stderr: \\q\n", "t.txt:4: unknown escape '\\q'"},
        {ROW_A "stderr: \\x4\n", "t.txt:4: \\x needs two hex digits"},
        {ROW_A "stderr: \\x00\n", "t.txt:4: an expected message cannot hold"},
        {ROW_A "stderr:\n", "t.txt:4: stderr: empty"},
        {ROW_A "stderr: \\{3*ab\n", "t.txt:4: \\{ without its closing }"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check \"s.ini\nstderr: x\n", "t.txt:3: a \" without its closing \""},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s\"x\"\nstderr: x\n", "t.txt:3: a \" inside a word"},
        {ROW_A "bogus s.ini\n", "t.txt:4: unknown line 'bogus s.ini'"},
        {ROW_A "file s.ini <<EOF\n[fund]\n", "t.txt:4: file s.ini <<EOF: no line 'EOF'"},
        {ROW_A "file s.ini <<EOF\n[f\\und]\nEOF\n", "t.txt:5: unknown escape"},
        {ROW_A "file s.ini\n", "t.txt:4: file: expected 'file NAME: TEXT'"},
        {ROW_A "file out/x: 1\n", "t.txt:4: file 'out/x': expected a relative"},
        {ROW_A "file ../x: 1\n", "t.txt:4: file '../x'"},
        {ROW_A "dir d\ndir d\n", "t.txt:5: 'd' is made twice"},
        {"count: 1 rows, 0 with exit 0\ndir two.ini\n== a\nrun: x\nfile two.ini: 1\n",
         "t.txt:5: 'two.ini' is made twice"},
        {ROW_A "unreadable s.ini\n", "t.txt:4: unreadable: expected the name"},
        {ROW_A "stderr: a\x01z\n", "t.txt:4: a raw control byte 0x01"},
        {ROW_A "stderr: x\r\n", "t.txt:4: a raw control byte 0x0d"},
        {"count: 1 rows, 0 with exit 0\n==\n", "t.txt:2: '==' without a row name"},
        {ROW_A "stderr: x\nscenario_load: yes\n", "t.txt:5: expected one line 'scenario_load: refused'"},
        {ROW_A "stderr: x\nscenario_load: refused\n", "t.txt:2: row 'a': scenario_load: refused needs"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s.ini --threads 2\nstderr: x\nscenario_load: refused\n",
         "t.txt:2: row 'a': scenario_load: refused needs"},
        {ROW_A "stderr: s.ini:2: k: x\ndist_parse: a\ndist_parse: b\n", "t.txt:6: dist_parse: given twice"},
        {ROW_A "stderr: s.ini:2: k: x\ndist_parse: a\n", "t.txt:2: row 'a': dist_parse: needs run: check FILE"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s.ini\nstderr: s.ini:2: x\ndist_parse: a\n",
         "t.txt:2: row 'a': dist_parse: needs"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s.ini\nstderr: s.ini:2: k:\x20\ndist_parse: a\n",
         "t.txt:2: row 'a': dist_parse: needs"},
        {"count: 1 rows, 0 with exit 0\n== a\nrun: check s.ini\nstderr: s.ini:2: k: x\ndist_parse: \\x00\n",
         "t.txt:5: a distribution cannot hold"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = parse_error(cases[i][0]);
        ck_assert_msg(strncmp(got, cases[i][1], strlen(cases[i][1])) == 0, "case %zu: got '%s', expected '%s...'", i,
                      got, cases[i][1]);
    }
#undef ROW_A
}
END_TEST

/* Escapes, quoted arguments, heredocs and the shared files decode as documented. */
START_TEST(test_format)
{
    static const char text[] = "count: 2 rows, 1 with exit 0\n"
                               "# a comment\n"
                               "file shared.ini: [fund]\\n\n"
                               "== one\n"
                               "run: check \"\" \"a b\" \"q\\\"\" x\\x20y\n"
                               "file s.ini <<END\n"
                               "  [region.a]  \n"
                               "# kept\n"
                               "label = \\{3*ab\\}}\\x00\\\\\n"
                               "END\n"
                               "file e.csv: \\x20x\\t\\r\\xff  \n"
                               "dir d\n"
                               "fifo p\n"
                               "symlink l: e.csv\n"
                               "unreadable d\n"
                               "stderr: s.ini:2: bond_usd: m\n"
                               "dist_parse: \\x20gamma(x)\n"
                               "\n"
                               "== two\n"
                               "run: check\n"
                               "exit: 0\n"
                               "stdout: \\nlabel\n";
    catalogue c = {0};
    ck_assert_msg(parse_catalogue("t.txt", text, sizeof text - 1, &c) == 0, "%s", c.error);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_uint_eq(c.ok, 1);
    ck_assert_str_eq(c.common.made[0].name, "shared.ini");
    ck_assert_str_eq(c.common.made[0].bytes, "[fund]\n");
    const row *w = &c.rows[0];
    ck_assert_str_eq(w->id, "one");
    ck_assert_int_eq(w->line, 4);
    ck_assert_uint_eq(w->nargs, 5);
    ck_assert_str_eq(w->args[0], "check");
    ck_assert_str_eq(w->args[1], "");
    ck_assert_str_eq(w->args[2], "a b");
    ck_assert_str_eq(w->args[3], "q\"");
    ck_assert_str_eq(w->args[4], "x y");
    ck_assert_ptr_null(w->args[5]);
    ck_assert_uint_eq(w->nmade, 5);
    static const char ini[] = "  [region.a]  \n# kept\nlabel = ab}ab}ab}\0\\\n";
    ck_assert_uint_eq(w->made[0].len, sizeof ini - 1);
    ck_assert(memcmp(w->made[0].bytes, ini, sizeof ini - 1) == 0);
    ck_assert_str_eq(w->made[1].bytes, " x\t\r\xff");
    ck_assert_int_eq(w->made[2].kind, M_DIR);
    ck_assert_int_eq(w->made[2].unreadable, 1);
    ck_assert_int_eq(w->made[3].kind, M_FIFO);
    ck_assert_int_eq(w->made[4].kind, M_SYMLINK);
    ck_assert_str_eq(w->made[4].bytes, "e.csv");
    ck_assert_int_eq(w->status, 2);
    ck_assert_str_eq(w->err, "s.ini:2: bond_usd: m");
    ck_assert_str_eq(dist_message(w->err), "m");
    ck_assert_str_eq(w->dist_text, " gamma(x)");
    ck_assert_ptr_null(c.rows[1].dist_text);
    ck_assert_ptr_null(w->out);
    ck_assert_int_eq(c.rows[1].status, 0);
    ck_assert_str_eq(c.rows[1].out, "\nlabel");
    free_catalogue(&c);
}
END_TEST

Suite *make_badinput_suite(void)
{
    size_t len = 0;
    FILE *f = fopen(DATA_FILE, "rb");
    char *text = NULL;
    if (f) {
        text = malloc(1 << 22);
        len = fread(text, 1, (1 << 22) - 1, f);
        text[len] = '\0';
        if (ferror(f) || !feof(f))
            free(text), text = NULL;
        fclose(f);
    }
    if (!text)
        snprintf(cat.error, sizeof cat.error, "%s: cannot read (or longer than 4 MiB)", DATA_FILE);
    else if (parse_catalogue(DATA_FILE, text, len, &cat) < 0) {
        char why[sizeof cat.error]; /* no row runs from a file that did not parse */
        memcpy(why, cat.error, sizeof why);
        free_catalogue(&cat);
        memcpy(cat.error, why, sizeof why);
    }
    free(text);
    if (cat.error[0])
        fprintf(stderr, "badinput: %s\n", cat.error);
    else
        fprintf(stderr, "badinput: %s: %zu rows (%zu with exit 0)\n", DATA_FILE, cat.n, cat.ok);

    Suite *s = suite_create("badinput");
    TCase *tc = tcase_create("catalogue");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_data_file);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_format);
    tcase_add_loop_test(tc, test_row, 0, (int)cat.n);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(badinput)
