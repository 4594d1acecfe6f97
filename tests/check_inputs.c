/* check_inputs: what fianza accepts as an input file, and `check` output
 * that always loads back (issue 10, items 2, 7 and 8).
 *
 * - Input files (scenario, empirical CSV, fit CSV) must be regular files:
 *   a FIFO, /dev/zero and a directory are refused at once with exit 2 and a
 *   message naming the file (a FIFO must not block: every run has a short
 *   timeout and its time is asserted).
 * - Size limits (scenario 1 MiB, CSV 256 MiB, sparse files made with
 *   truncate), the CSV line and field limit (64 KiB) and the 10^7 values
 *   per column, at and just past each boundary.
 * - `fianza check s.ini > t.ini && fianza check t.ini` prints the same text
 *   (after the first, comment, line naming the file) for every shipped
 *   scenario and for labels holding ; " , \ # and blanks, written in the file
 *   or given with --set; every printed line fits the 198-character limit and
 *   the label reads back as itself.  Labels and distributions that check
 *   could not print within a line are refused.
 * - Messages: keys with an upper limit state the range, 1e-320 is "too close
 *   to 0", min_share errors name the lines of the keys involved. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "csvcol.h"
#include "fz_input.h"
#include "scenario.h"

/* Seconds within which a refused input must return.  A refusal is one
 * stat() or a read of at most the size limit (1 MiB scenario; the CSV cases
 * at 256 MiB are sparse files, read at >= 1 GiB/s from the page cache, so
 * < 0.3 s); the failures it guards against block (a FIFO with no writer,
 * /dev/zero read to the end) until the run's 30 s kill.  5 s sits between
 * with a factor of >10 on each side. */
#define PROMPT 5.0

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s", path);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* Runs fianza in dir; asserts exit 2, a prompt return and every `want` in stderr. */
static void refused(const char *dir, const char *want, const char *const *args)
{
    run_result r;
    int rc = cu_run_v(&r, dir, 30, args);
    ck_assert_msg(rc == 2, "%s %s: exit %d, expected 2\n%s", args[0], args[1], rc, r.err);
    ck_assert_msg(strstr(r.err, want) != NULL, "%s %s: stderr lacks '%s':\n%s", args[0], args[1], want, r.err);
    ck_assert_msg(r.seconds < PROMPT * cu_time_scale(), "%s %s: took %.1f s", args[0], args[1], r.seconds);
    cu_run_free(&r);
}
#define REFUSED(dir, want, ...) refused((dir), (want), (const char *const[]){__VA_ARGS__, NULL})

/* ---- item 2: only regular files ---- */

START_TEST(test_fifo)
{
    const char *dir = cu_test_dir("fifo");
    ck_assert_int_eq(mkfifo(cu_path_in(dir, "s.ini"), 0600), 0);
    ck_assert_int_eq(mkfifo(cu_path_in(dir, "d.csv"), 0600), 0);
    cu_write_file(cu_path_in(dir, "e.ini"), "[region.a]\nbond_usd = empirical(file=d.csv, column=x)\n");
    REFUSED(dir, "s.ini: not a regular file (it is a FIFO): expected a scenario file", "check", "s.ini");
    REFUSED(dir, "s.ini: not a regular file (it is a FIFO)", "simulate", "-o", "out", "s.ini");
    REFUSED(dir, "d.csv: not a regular file (it is a FIFO): expected a CSV file", "fit", "d.csv", "--column", "x", "-o",
            "out");
    REFUSED(dir, "e.ini:2: bond_usd: ./d.csv: not a regular file (it is a FIFO)", "check", "e.ini");
    ck_assert(!cu_exists(cu_path_in(dir, "out")));
    /* the library call itself returns at once */
    fz_error err;
    double t0 = cu_now();
    ck_assert_ptr_null(fz_input_open(cu_path_in(dir, "d.csv"), FZ_INPUT_MAX_CSV, "CSV file", &err));
    ck_assert(cu_now() - t0 < PROMPT);
    ck_assert_int_eq(err.code, FZ_EINPUT);
}
END_TEST

START_TEST(test_devices_and_directories)
{
    const char *dir = cu_test_dir("devices");
    cu_write_file(cu_path_in(dir, "z.ini"), "[region.a]\nbond_usd = empirical(file=/dev/zero, column=x)\n");
    REFUSED(dir, "/dev/zero: not a regular file (it is a character device): expected a CSV file", "check", "z.ini");
    REFUSED(dir, "/dev/zero: not a regular file (it is a character device)", "fit", "/dev/zero", "--column", "x", "-o",
            "out");
    REFUSED(dir, "/dev/zero: not a regular file", "check", "/dev/zero");
    ck_assert_int_eq(mkdir(cu_path_in(dir, "d.csv"), 0700), 0);
    ck_assert_int_eq(mkdir(cu_path_in(dir, "s.ini"), 0700), 0);
    cu_write_file(cu_path_in(dir, "e.ini"), "[region.a]\nbond_usd = empirical(file=d.csv, column=x)\n");
    REFUSED(dir, "s.ini: not a regular file (it is a directory): expected a scenario file", "check", "s.ini");
    REFUSED(dir, "d.csv: not a regular file (it is a directory): expected a CSV file", "fit", "d.csv", "--column", "x",
            "-o", "out");
    REFUSED(dir, "e.ini:2: bond_usd: ./d.csv: not a regular file (it is a directory)", "check", "e.ini");
    ck_assert(!cu_exists(cu_path_in(dir, "out")));
}
END_TEST

/* ---- item 2: sizes ---- */

static void make_sparse(const char *path, long bytes)
{
    const char *args[] = {"-s", NULL, path, NULL};
    char size[32];
    snprintf(size, sizeof size, "%ld", bytes);
    args[1] = size;
    run_result r;
    ck_assert_int_eq(cu_run_prog(&r, "/usr/bin/truncate", NULL, 30, NULL, args), 0);
    cu_run_free(&r);
}

START_TEST(test_file_size_limits)
{
    const char *dir = cu_test_dir("sizes");
    make_sparse(cu_path_in(dir, "big.csv"), FZ_INPUT_MAX_CSV + 1);
    make_sparse(cu_path_in(dir, "big.ini"), FZ_INPUT_MAX_SCENARIO + 1);
    cu_write_file(cu_path_in(dir, "e.ini"), "[region.a]\nbond_usd = empirical(file=big.csv, column=x)\n");
    REFUSED(dir, "big.csv: 268435457 bytes: larger than the limit of 256 MiB for a CSV file", "fit", "big.csv",
            "--column", "x", "-o", "out");
    REFUSED(dir, "./big.csv: 268435457 bytes: larger than the limit of 256 MiB", "check", "e.ini");
    REFUSED(dir, "big.ini: 1048577 bytes: larger than the limit of 1 MiB for a scenario file", "check", "big.ini");

    /* exactly 1 MiB of scenario (comments after one region) loads */
    size_t n = (size_t)FZ_INPUT_MAX_SCENARIO;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "[region.a]\n", 11);
    for (size_t pos = 11, len; pos < n; pos += len) { /* comment lines of 100 bytes, the last shorter */
        len = n - pos < 100 ? n - pos : 100;
        text[pos] = ';';
        memset(text + pos + 1, 'c', len - 2);
        text[pos + len - 1] = '\n';
    }
    write_bytes(cu_path_in(dir, "full.ini"), text, n);
    free(text);
    scenario *s;
    fz_error err;
    ck_assert_msg(scenario_load(&s, cu_path_in(dir, "full.ini"), NULL, 0, &err) == 0, "%s", err.msg);
    scenario_free(s);
}
END_TEST

/* A CSV: header x, then `line` as row 2. */
static int read_csv_line(const char *dir, const char *line, size_t n, fz_error *err)
{
    size_t m = 2 + n;
    char *text = malloc(m);
    ck_assert_ptr_nonnull(text);
    memcpy(text, "x\n", 2);
    memcpy(text + 2, line, n);
    write_bytes(cu_path_in(dir, "d.csv"), text, m);
    free(text);
    csvcol c;
    int rc = csvcol_read(&c, cu_path_in(dir, "d.csv"), "x", err);
    csvcol_free(&c);
    return rc;
}

START_TEST(test_csv_line_limit)
{
    const char *dir = cu_test_dir("csvline");
    size_t lim = (size_t)FZ_INPUT_MAX_CSV_LINE;
    char *line = malloc(lim + 8);
    ck_assert_ptr_nonnull(line);
    fz_error err;
    /* 65,536 bytes with the line end: a number padded with blanks is read */
    memset(line, ' ', lim + 8);
    line[0] = '7';
    line[lim - 1] = '\n';
    ck_assert_msg(read_csv_line(dir, line, lim, &err) == 0, "%s", err.msg);
    /* one byte more is refused, naming the line */
    line[lim - 1] = ' ';
    line[lim] = '\n';
    ck_assert_int_eq(read_csv_line(dir, line, lim + 1, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "d.csv:2: line longer than the limit of 64 KiB"), "%s", err.msg);
    /* no line end at all: the same */
    line[lim] = ' ';
    ck_assert_int_eq(read_csv_line(dir, line, lim + 1, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "d.csv:2: line longer than the limit of 64 KiB"), "%s", err.msg);
    free(line);
    /* a quoted field that never closes stops at the field limit, not at the end of memory */
    size_t rows = 3 * lim / 4;
    char *q = malloc(1 + 2 * rows);
    ck_assert_ptr_nonnull(q);
    q[0] = '"';
    for (size_t i = 0; i < rows; i++)
        q[1 + 2 * i] = '1', q[2 + 2 * i] = '\n';
    ck_assert_int_eq(read_csv_line(dir, q, 1 + 2 * rows, &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "a field longer than the limit of 64 KiB") && strstr(err.msg, "starts on line 2"),
                  "%s", err.msg);
    free(q);
    /* and through the command line, exit 2 naming file and line */
    line = malloc(70001);
    memset(line, '1', 70000);
    line[70000] = '\0';
    char *csv;
    ck_assert_int_ge(asprintf(&csv, "x\n1\n%s\n", line), 0);
    cu_write_file(cu_path_in(dir, "long.csv"), csv);
    free(csv);
    free(line);
    REFUSED(dir, "long.csv:3: line longer than the limit of 64 KiB", "fit", "long.csv", "--column", "x", "-o", "out");
}
END_TEST

START_TEST(test_csv_values_limit)
{
    const char *dir = cu_test_dir("csvvalues");
    const char *path = cu_path_in(dir, "d.csv");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("x\n", f);
    for (long i = 0; i < CSVCOL_MAX_VALUES; i++)
        fputs("1\n", f);
    ck_assert_int_eq(fclose(f), 0);
    csvcol c;
    fz_error err;
    ck_assert_msg(csvcol_read(&c, path, "x", &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(c.n, CSVCOL_MAX_VALUES);
    csvcol_free(&c);
    f = fopen(path, "a");
    fputs("2\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(csvcol_read(&c, path, "x", &err), FZ_EINPUT);
    ck_assert_msg(strstr(err.msg, "d.csv:10000002: column 'x' holds more than 10000000 numbers"), "%s", err.msg);
}
END_TEST

/* ---- item 7: check output loads back ---- */

/* check of ini (in dir, with an optional --set) into dir/t.ini, then check
 * of t.ini: asserts exit 0 both times, the same text after the first line,
 * and every line within 198 characters.  Returns the first output. */
static char *round_trip(const char *dir, const char *ini, const char *set)
{
    run_result a, b;
    int rc = set ? CU_RUN_IN(&a, dir, 60, "check", "--set", set, ini) : CU_RUN_IN(&a, dir, 60, "check", ini);
    ck_assert_msg(rc == 0, "check %s (--set %s): exit %d\n%s", ini, set ? set : "-", rc, a.err);
    write_bytes(cu_path_in(dir, "t.ini"), a.out, a.nout);
    rc = CU_RUN_IN(&b, dir, 60, "check", "t.ini");
    ck_assert_msg(rc == 0, "check of the output of check %s: exit %d\n%s\n--- t.ini ---\n%s", ini, rc, b.err, a.out);
    const char *x = strchr(a.out, '\n'), *y = strchr(b.out, '\n');
    ck_assert(x && y);
    ck_assert_msg(strcmp(x, y) == 0, "%s: check output differs once loaded back:\n%s\n--- then ---\n%s", ini, a.out,
                  b.out);
    for (const char *p = a.out; *p;) {
        size_t n = strcspn(p, "\n");
        ck_assert_msg(n <= 198, "%s: a printed line of %zu characters: %.*s", ini, n, (int)n, p);
        p += n + (p[n] == '\n');
    }
    char *out = a.out;
    a.out = NULL;
    cu_run_free(&a);
    cu_run_free(&b);
    return out;
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *t = cu_slurp(from, &n);
    ck_assert_msg(t != NULL, "%s", from);
    write_bytes(to, t, n);
    free(t);
}

START_TEST(test_round_trip_shipped)
{
    /* a copy of scenarios/ (with data/, which empirical paths name relative to the scenario) */
    const char *dir = cu_test_dir("shipped");
    ck_assert_int_eq(mkdir(cu_path_in(dir, "data"), 0700), 0);
    const char *src = FZ_TEST_DIR "/../scenarios";
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
        char sub[600];
        snprintf(sub, sizeof sub, "%s%s", src, pass ? "" : "/data");
        DIR *d = opendir(sub);
        ck_assert_ptr_nonnull(d);
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (e->d_name[0] == '.' || (pass && (n < 4 || strcmp(e->d_name + n - 4, ".ini"))) ||
                (!pass && (n < 4 || strcmp(e->d_name + n - 4, ".csv"))))
                continue;
            char from[900], to[900];
            snprintf(from, sizeof from, "%s/%s", sub, e->d_name);
            snprintf(to, sizeof to, "%s/%s%s", dir, pass ? "" : "data/", e->d_name);
            copy_file(from, to);
            if (pass) {
                free(round_trip(dir, e->d_name, NULL));
                count++;
            }
        }
        closedir(d);
    }
    ck_assert_int_ge(count, 3);
}
END_TEST

/* Labels given with --set (bare, as typed) and the label they mean. */
static const char *const labels[] = {
    "a ; b",      "a;b",         "#1 first", "x # y", "Smith, Jones", "O'Hare \"North\"",   "\"KC\" and \"X\"",
    "\"quoted\"", "back\\slash", "tail\\",   "\\\"",  "a\\\\b",       "São Paulo ; Zürich", "(a ; b)",
    ") ; c",      "=x",          ":y",
};

static void assert_label(const char *dir, const char *ini, const char *want)
{
    scenario *s;
    fz_error err;
    ck_assert_msg(scenario_load(&s, cu_path_in(dir, ini), NULL, 0, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s->regions[0].label, want);
    scenario_free(s);
}

START_TEST(test_round_trip_labels)
{
    const char *dir = cu_test_dir("labels");
    cu_write_file(cu_path_in(dir, "s.ini"), "[region.a]\n");
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        char set[256];
        snprintf(set, sizeof set, "region.a.label=%s", labels[i]);
        /* a value that is one quoted string loses its quotes: what --set means */
        const char *want = strcmp(labels[i], "\"quoted\"") == 0 ? "quoted" : labels[i];
        free(round_trip(dir, "s.ini", set));
        assert_label(dir, "t.ini", want);
    }
    /* in the file: quoted with escapes, a comment after it, blanks kept inside */
    struct {
        const char *line, *want;
    } file[] = {{"label = \"a ; b\" ; a comment", "a ; b"},
                {"label = \"  two blanks each side  \"", "  two blanks each side  "},
                {"label = \"say \\\"hi\\\", \\\\o/\"", "say \"hi\", \\o/"},
                {"label = \"a\\b\"", "a\\b"},                     /* any other backslash stays */
                {"label = \"KC\" and \"X\"", "\"KC\" and \"X\""}, /* not one quoted string: as written */
                {"label = \"open", "\"open"},
                {"label = \"\"", ""},
                {"label = plain, with commas", "plain, with commas"}};
    for (size_t i = 0; i < sizeof file / sizeof *file; i++) {
        char text[256];
        snprintf(text, sizeof text, "[region.a]\n%s\n", file[i].line);
        cu_write_file(cu_path_in(dir, "f.ini"), text);
        assert_label(dir, "f.ini", file[i].want);
        free(round_trip(dir, "f.ini", NULL));
        assert_label(dir, "t.ini", file[i].want);
    }
    /* a newline in the scenario's path does not break the comment line */
    cu_write_file(cu_path_in(dir, "two\nlines.ini"), "[region.a]\nlabel = A\n");
    char *out = round_trip(dir, "two\nlines.ini", NULL);
    ck_assert_msg(strncmp(out, "; two?lines.ini: ", 17) == 0, "%s", out);
    free(out);
}
END_TEST

START_TEST(test_label_limit)
{
    const char *dir = cu_test_dir("labellimit");
    cu_write_file(cu_path_in(dir, "s.ini"), "[region.a]\n");
    char *big = malloc(100001 + 40);
    ck_assert_ptr_nonnull(big);
    strcpy(big, "region.a.label=");
    memset(big + 15, 'x', 100000);
    big[15 + 100000] = '\0';
    REFUSED(dir, "--set region.a.label=xxx", "check", "--set", big, "s.ini");
    REFUSED(dir, "label: 100000 bytes long; the limit is 190", "check", "--set", big, "s.ini");
    big[15 + 190] = '\0'; /* 190 bytes: fits "label = " + 190 = 198 */
    free(round_trip(dir, "s.ini", big));
    big[15 + 190] = 'x';
    big[15 + 191] = '\0';
    REFUSED(dir, "label: 191 bytes long; the limit is 190", "check", "--set", big, "s.ini");
    /* 185 bytes that must be quoted with 4 escapes: 191 written back */
    memcpy(big + 15, "\"\"\"\"", 4);
    big[15 + 185] = '\0';
    REFUSED(dir, "label: 185 bytes long, 191 written back quoted and escaped", "check", "--set", big, "s.ini");
    big[15 + 184] = '\0';
    free(round_trip(dir, "s.ini", big));
    free(big);
}
END_TEST

START_TEST(test_dist_line_limit)
{
    const char *dir = cu_test_dir("distlimit");
    /* 12 components with weights 1 print as 0.0833333333333333 each: too long
     * for a line, so refused (check could not print it back) */
    char text[512] = "[region.a]\nbond_usd = mixture(";
    for (int i = 0; i < 12; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s1:fixed(%d)", i ? ";" : "", i + 1);
    strcat(text, ")\n");
    cu_write_file(cu_path_in(dir, "s.ini"), text);
    REFUSED(dir, "s.ini:2: bond_usd: written out in full", "check", "s.ini");
    REFUSED(dir, "the limit is 198", "check", "s.ini");
    /* the same with weights that already sum to 1 loads and loads back */
    cu_write_file(cu_path_in(dir, "ok.ini"), "[region.a]\nbond_usd = mixture(0.5: fixed(1); 0.25: fixed(2); 0.25: "
                                             "lognormal(median=1500, sigma=0.5, min=100, max=90000))\n");
    free(round_trip(dir, "ok.ini", NULL));
}
END_TEST

/* ---- item 8: messages ---- */

static void load_fails(const char *text, const char *set, const char *want)
{
    const char *dir = cu_test_dir("msg");
    const char *path = cu_path_in(dir, "s.ini");
    cu_write_file(path, text);
    scenario *s;
    fz_error err;
    const char *sets[] = {set};
    int rc = scenario_load(&s, path, sets, set ? 1 : 0, &err);
    ck_assert_msg(rc == FZ_EINPUT, "%s: loaded (rc %d)", text, rc);
    /* want names the file "s.ini": the message has its whole path */
    char full[2048] = "";
    for (const char *p = want, *q; *p; p = q + 5) {
        if (!(q = strstr(p, "s.ini"))) {
            strcat(full, p);
            break;
        }
        strncat(full, p, (size_t)(q - p));
        strcat(full, path);
    }
    ck_assert_msg(strstr(err.msg, full) != NULL, "message lacks '%s':\n%s", full, err.msg);
}

START_TEST(test_upper_limits_worded)
{
    static const char *const cases[][2] = {
        {"[fund]\nhorizon_days = 36501\n", "s.ini:2: horizon_days = '36501': expected a number of days in (0, 36500]"},
        {"[fund]\nbudget_usd = 2e12\n", "budget_usd = '2e12': expected an amount in USD in (0, 1e12]"},
        {"[fund]\ngranularity_usd = 2e12\n", "granularity_usd = '2e12': expected an amount in USD in (0, 1e12]"},
        {"[fund]\ncvar_alpha = 1.5\n", "cvar_alpha = '1.5': expected a fraction in (0, 1]"},
        {"[fund]\ntarget_releases = 2e9\n", "target_releases = '2e9': expected a number of releases in [0, 1e9]"},
        {"[simulation]\nreplications = 100000001\n", "expected a whole number from 1 to 100000000"},
        {"[region.b]\ninitial_detained = 10000001\n", "expected a whole number of people from 0 to 10000000"},
        {"[region.b]\narrivals_per_day = 100001\n", "expected a rate per day in [0, 100000]"},
        {"[region.b]\nmax_bond_paid_usd = 2e12\n", "expected an amount in USD in [0, 1e12] or 'unlimited'"},
        {"[region.b]\ncase_cost_usd = 2e12\n", "case_cost_usd = '2e12': expected an amount in USD in [0, 1e12]"},
        {"[region.b]\nremoval_hazard_per_day = 1001\n", "expected a rate per day in [0, 1000]"},
        {"[region.b]\nbond_grant_prob = 1.01\n", "expected a probability in [0, 1]"},
        {"[region.b]\nmax_share = 1.01\n", "expected a fraction in [0, 1]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s[region.a]\n", cases[i][0]);
        load_fails(text, NULL, cases[i][1]);
    }
}
END_TEST

START_TEST(test_underflow_worded)
{
    const char *tiny = "is too close to 0 (a nonzero number must be at least 2.2e-308 in size)";
    load_fails("[fund]\nbudget_usd = 1e-320\n[region.a]\n", NULL,
               "s.ini:2: budget_usd = '1e-320': too close to 0 (a nonzero number must be at least 2.2e-308");
    load_fails("[region.a]\nbond_usd = fixed(1e-320)\n", NULL, "s.ini:2: bond_usd: fixed(...): '1e-320' is too close");
    load_fails("[region.a]\n", "region.a.bond_usd=lognormal(median=1e-400, sigma=1)", tiny);
    load_fails("[region.a]\nbond_usd = mixture(1e-320: fixed(1); 1: fixed(2))\n", NULL, tiny);
    load_fails("[region.a]\nbond_usd = fixed(1e400)\n", NULL, "'1e400' is not a finite number");
    /* 2.3e-308 is a normal double: accepted */
    scenario *s;
    fz_error err;
    const char *path = cu_path_in(cu_test_dir("tinyok"), "s.ini");
    cu_write_file(path, "[region.a]\narrivals_per_day = 2.3e-308\nbond_usd = fixed(2.3e-308)\n");
    ck_assert_msg(scenario_load(&s, path, NULL, 0, &err) == 0, "%s", err.msg);
    scenario_free(s);
}
END_TEST

START_TEST(test_cross_region_lines)
{
    load_fails("[region.a]\nmin_share = 0.6\n[region.b]\n\nmin_share = 0.6\n", NULL,
               "s.ini:2: the regions' min_share add up to 1.2 > 1: no split of the budget meets them "
               "(min_share of [region.a] 0.6 at s.ini:2, [region.b] 0.6 at s.ini:5)");
    load_fails("[region.a]\nmin_share = 0.6\n[region.b]\n", "region.b.min_share=0.7",
               "(min_share of [region.a] 0.6 at s.ini:2, [region.b] 0.7 at --set region.b.min_share=0.7)");
    load_fails("[region.a]\nmax_share = 0.2\nmin_share = 0.3\n", NULL,
               "s.ini:3: [region.a]: min_share = 0.3 exceeds max_share = 0.2 (max_share: s.ini:2)");
    load_fails(
        "[region.a]\nmax_share = 0.2\n", "region.a.min_share=0.5",
        "--set region.a.min_share=0.5: [region.a]: min_share = 0.5 exceeds max_share = 0.2 (max_share: s.ini:2)");
}
END_TEST

static Suite *make_inputs_suite(void)
{
    Suite *s = suite_create("inputs");
    TCase *files = tcase_create("files");
    tcase_add_unchecked_fixture(files, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(files, 120);
    tcase_add_test(files, test_fifo);
    tcase_add_test(files, test_devices_and_directories);
    tcase_add_test(files, test_file_size_limits);
    tcase_add_test(files, test_csv_line_limit);
    tcase_add_test(files, test_csv_values_limit);
    suite_add_tcase(s, files);

    TCase *rt = tcase_create("round_trip");
    tcase_add_unchecked_fixture(rt, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(rt, 120);
    tcase_add_test(rt, test_round_trip_shipped);
    tcase_add_test(rt, test_round_trip_labels);
    tcase_add_test(rt, test_label_limit);
    tcase_add_test(rt, test_dist_line_limit);
    suite_add_tcase(s, rt);

    TCase *msg = tcase_create("messages");
    tcase_add_unchecked_fixture(msg, cu_work_setup, cu_work_teardown);
    tcase_add_test(msg, test_upper_limits_worded);
    tcase_add_test(msg, test_underflow_worded);
    tcase_add_test(msg, test_cross_region_lines);
    suite_add_tcase(s, msg);
    return s;
}

FZ_CHECK_MAIN(inputs)
