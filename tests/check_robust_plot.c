/* check_robust_plot: gnuplot faults never cost results; labels and invalid
 * tornado moves reach CSV files and charts exactly (issue 10, items 5 and 7).
 *
 * Each case runs the built binary FZ_BIN (cli_util.h) on the two-region test
 * scenario with a small replication count.  A fake `gnuplot` is put alone on
 * PATH (scripts call programs by absolute path), so that the real one, later
 * on the usual PATH, is not found instead.  Asserted:
 * - a gnuplot that hangs (a shell that waits for a sleeping child): with
 *   FIANZA_GNUPLOT_TIMEOUT=1 fianza exits 0 in seconds, not the sleeper's
 *   300 s, with one warning naming the time limit; summary.json, data and
 *   .gp scripts are written, no render, and the sleeper's child is dead too
 *   (the whole process group is killed);
 * - a directory named gnuplot and a non-executable file named gnuplot: exit
 *   0, one warning "gnuplot could not be run", results written;
 * - a gnuplot that exits 1 (after writing half an SVG and PNG) or dies of
 *   SIGSEGV: exit 0, one warning listing the scripts and the exit status or
 *   signal, the half-written renders removed and report.html saying the
 *   charts were not drawn;
 * - --quiet: no warning at all; a FIANZA_GNUPLOT_TIMEOUT that is not a
 *   number of seconds in (0, 86400] is a warning naming it, and the run
 *   still succeeds;
 * - SIGTERM while fianza waits for a hanging gnuplot: exit 143, the gnuplot
 *   process group killed, no results directory or temporary left;
 * - a region label `Chi"ca,go\x;` (and one starting with '#' holding
 *   quotes, a comma, a ' and a trailing backslash): regions.csv and
 *   allocation.csv give back the exact labels to an RFC 4180 reader (a small
 *   one here, and Python's csv module when python3 is installed);
 *   regions.gp holds them as gnuplot strings and regions.svg shows them
 *   as written, once per panel;
 * - sweep --tornado with uniform(min=10, max=11): the raised min (12) and
 *   the lowered max (8.8) are invalid moves: tornado.csv has 0 in
 *   high_valid / low_valid and an empty value cell (never the base value),
 *   every other move is valid with a value, summary.json has null and the
 *   reason, the console names both moves, and the chart's tick labels
 *   say "(raised: invalid)" / "(lowered: invalid)". */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"

extern char **environ;

#define ALLOC "chicago=200000,kansas_city=100000"
#define LABEL_CHI "Chi\"ca,go\\x;"
#define LABEL_KC "#K,C \"\" 'q' \\"

/* dir/bin holding one fake gnuplot: a script with body (mode 0755), a
 * directory (body NULL, mode 0) or a file without execute permission
 * (mode 0644).  Returns "PATH=dir/bin". */
static const char *fake_gnuplot(const char *dir, const char *body, mode_t mode)
{
    static char env[1200];
    const char *bin = cu_path_in(dir, "bin"), *gp = cu_path_in(bin, "gnuplot");
    ck_assert_int_eq(mkdir(bin, 0700), 0);
    if (!body)
        ck_assert_int_eq(mkdir(gp, 0700), 0);
    else {
        cu_write_file(gp, body);
        ck_assert_int_eq(chmod(gp, mode), 0);
    }
    snprintf(env, sizeof env, "PATH=%s", bin);
    return env;
}

/* `simulate` into dir/out with env; returns its exit status (r filled). */
static int simulate(run_result *r, const char *dir, const char *const *env, int quiet)
{
    const char *two = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    const char *args[] = {"simulate", "--allocation", ALLOC, "-o", out, two, quiet ? "--quiet" : NULL, NULL};
    return cu_run_env(r, dir, 120, env, args);
}

static size_t count_of(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, what)); p++)
        n++;
    return n;
}

/* The results of a simulate whose charts were not drawn: summary, data and
 * scripts there, no render, report.html saying so for each of the four. */
static void check_undrawn(const char *out)
{
    static const char *const files[] = {"summary.json",  "allocation.csv", "regions.csv", "releases_hist.csv",
                                        "detention.csv", "theme.gp",       "regions.gp",  "releases_hist.gp",
                                        "detention.gp",  "report.html",    "timeline.csv", "timeline.gp"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        ck_assert_msg(cu_exists(cu_path_in(out, files[i])), "%s missing", files[i]);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert(cu_json_num(s, "releases.mean") > 0);
    json_decref(s);
    ck_assert_int_eq(cu_count_suffixed(out, ".png"), 0);
    ck_assert_int_eq(cu_count_suffixed(out, ".svg"), 0);
    char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_uint_eq(count_of(html, "not drawn"), 4);
    ck_assert_ptr_null(strstr(html, "<svg"));
    free(html);
}

static void check_one_warning(const run_result *r, const char *what)
{
    ck_assert_msg(cu_count_lines(r->err) == 1 && r->err[r->nerr - 1] == '\n', "stderr is not one line:\n%s", r->err);
    ck_assert_msg(strstr(r->err, "fianza: warning: ") == r->err && strstr(r->err, what), "stderr lacks '%s':\n%s", what,
                  r->err);
}

/* Whether process pid is gone (or a zombie nobody reaped yet). */
static int process_gone(long pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close = strrchr(buf, ')');
    return close && close[1] == ' ' && close[2] == 'Z';
}

/* A gnuplot that never ends: a shell waiting for a sleep it started (whose
 * pid it writes to pidfile first). */
static char *sleeper(const char *pidfile)
{
    static char body[1400];
    snprintf(body, sizeof body, "#!/bin/sh\n/bin/sleep 300 &\necho $! > '%s'\nwait\n", pidfile);
    return body;
}

static long read_pid(const char *pidfile)
{
    char *t = cu_slurp(pidfile, NULL);
    ck_assert_msg(t != NULL, "the fake gnuplot never ran (%s missing)", pidfile);
    long pid = atol(t);
    free(t);
    ck_assert_int_gt(pid, 1);
    return pid;
}

START_TEST(test_gnuplot_hangs)
{
    const char *dir = cu_test_dir("hang"), *pidfile = cu_path_in(dir, "sleep.pid");
    const char *env[] = {fake_gnuplot(dir, sleeper(pidfile), 0755), "FIANZA_GNUPLOT_TIMEOUT=1", NULL};
    run_result r;
    int rc = simulate(&r, dir, env, 0);
    ck_assert_msg(rc == 0, "exit %d:\n%s", rc, r.err);
    double limit = 30 * cu_time_scale();
    ck_assert_msg(r.seconds < (limit < 250 ? limit : 250), "took %.1f s with a 1 s gnuplot limit", r.seconds);
    check_one_warning(&r, "did not finish releases_hist.gp within 1 s (FIANZA_GNUPLOT_TIMEOUT)");
    ck_assert_msg(strstr(r.err, "4 chart(s) not drawn"), "%s", r.err);
    cu_run_free(&r);
    check_undrawn(cu_path_in(dir, "out"));
    long pid = read_pid(pidfile);
    for (int i = 0; i < 200 && !process_gone(pid); i++) /* SIGKILL is delivered, not instant */
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    ck_assert_msg(process_gone(pid), "the hanging gnuplot's child %ld is still running", pid);
}
END_TEST

START_TEST(test_gnuplot_unrunnable)
{
    for (int k = 0; k < 2; k++) {
        const char *dir = cu_test_dir(k ? "noexec" : "directory");
        const char *env[] = {k ? fake_gnuplot(dir, "#!/bin/sh\nexit 0\n", 0644) : fake_gnuplot(dir, NULL, 0), NULL};
        run_result r;
        int rc = simulate(&r, dir, env, 0);
        ck_assert_msg(rc == 0, "%s: exit %d:\n%s", k ? "not executable" : "directory", rc, r.err);
        /* the reason is the kernel's (EACCES); under valgrind, which execs
         * children itself, it can read differently, so only its form is fixed */
        check_one_warning(&r, "gnuplot could not be run (");
        ck_assert_msg(strstr(r.err, "): charts not drawn"), "%s", r.err);
        cu_run_free(&r);
        check_undrawn(cu_path_in(dir, "out"));
    }
}
END_TEST

/* Writes half a render of the chart it is given, then fails. */
#define HALF_THEN(end) "#!/bin/sh\nn=${1%.gp}\nprintf '<svg><g' > \"$n.svg\"\nprintf 'x' > \"$n.png\"\n" end "\n"

START_TEST(test_gnuplot_fails)
{
    static const struct {
        const char *name, *body, *want;
    } cases[] = {
        {"exit1", HALF_THEN("exit 1"),
         "gnuplot failed on releases_hist.gp, regions.gp, detention.gp, timeline.gp (exit status 1"},
        {"segv", HALF_THEN("kill -SEGV $$"),
         "gnuplot failed on releases_hist.gp, regions.gp, detention.gp, timeline.gp (killed "
         "by signal 11"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *dir = cu_test_dir(cases[i].name);
        const char *env[] = {fake_gnuplot(dir, cases[i].body, 0755), NULL};
        run_result r;
        int rc = simulate(&r, dir, env, 0);
        ck_assert_msg(rc == 0, "%s: exit %d:\n%s", cases[i].name, rc, r.err);
        check_one_warning(&r, cases[i].want);
        cu_run_free(&r);
        check_undrawn(cu_path_in(dir, "out"));
    }
}
END_TEST

START_TEST(test_quiet_and_bad_timeout)
{
    const char *dir = cu_test_dir("quiet");
    const char *env[] = {fake_gnuplot(dir, "#!/bin/sh\nexit 1\n", 0755), "FIANZA_GNUPLOT_TIMEOUT=1", NULL};
    run_result r;
    int rc = simulate(&r, dir, env, 1);
    ck_assert_msg(rc == 0 && r.nerr == 0, "--quiet: exit %d, stderr:\n%s", rc, r.err);
    cu_run_free(&r);
    check_undrawn(cu_path_in(dir, "out"));

    static const char *const bad[] = {"FIANZA_GNUPLOT_TIMEOUT=abc", "FIANZA_GNUPLOT_TIMEOUT=0",
                                      "FIANZA_GNUPLOT_TIMEOUT=-1",  "FIANZA_GNUPLOT_TIMEOUT=86401",
                                      "FIANZA_GNUPLOT_TIMEOUT=nan", "FIANZA_GNUPLOT_TIMEOUT=5s"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *d = cu_test_dir("badtimeout");
        const char *e[] = {fake_gnuplot(d, "#!/bin/sh\nexit 0\n", 0755), bad[i], NULL};
        rc = simulate(&r, d, e, 0);
        char want[128];
        snprintf(want, sizeof want, "fianza: warning: %s: expected seconds in (0, 86400]; using 60 s", bad[i]);
        ck_assert_msg(rc == 0 && strstr(r.err, want) && cu_count_lines(r.err) == 1, "%s: exit %d, stderr:\n%s", bad[i],
                      rc, r.err);
        cu_run_free(&r);
        ck_assert(cu_exists(cu_path_in(cu_path_in(d, "out"), "summary.json")));
    }
}
END_TEST

START_TEST(test_signal_while_waiting)
{
    const char *dir = cu_test_dir("signal"), *pidfile = cu_path_in(dir, "sleep.pid");
    const char *path = fake_gnuplot(dir, sleeper(pidfile), 0755);
    const char *two = cu_two_ini(dir, 100), *out = cu_path_in(dir, "out");
    size_t n = 0;
    while (environ[n])
        n++;
    char **envp = calloc(n + 2, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PATH=", 5) && strncmp(environ[i], "FIANZA_GNUPLOT_TIMEOUT=", 23))
            envp[k++] = environ[i];
    envp[k++] = (char *)path;
    const char *argv[] = {FZ_BIN, "simulate", "--quiet", "--allocation", ALLOC, "-o", out, two, NULL};
    pid_t pid;
    ck_assert_int_eq(posix_spawn(&pid, FZ_BIN, NULL, NULL, (char *const *)argv, envp), 0);
    free(envp);
    double t0 = cu_now(), limit = 60 * cu_time_scale();
    while (!cu_exists(pidfile) && cu_now() - t0 < limit)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    int started = cu_exists(pidfile);
    nanosleep(&(struct timespec){0, 50000000}, NULL); /* let the pid be written whole */
    kill(pid, SIGTERM);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(started, "the fake gnuplot never started");
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 143, "status 0x%x, expected exit 143", status);
    ck_assert_int_eq(cu_count_prefixed(dir, "out"), 0);
    long child = read_pid(pidfile);
    for (int i = 0; i < 200 && !process_gone(child); i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    ck_assert_msg(process_gone(child), "gnuplot's child %ld outlived fianza's SIGTERM", child);
}
END_TEST

/* ---- CSV read back per RFC 4180 ---- */

typedef struct csv_table {
    char *cell[40][20];
    size_t nrows, ncols[40];
} csv_table;

/* A small RFC 4180 reader: quoted fields may hold commas and doubled quotes. */
static void csv_parse(csv_table *t, const char *text)
{
    memset(t, 0, sizeof *t);
    const char *p = text;
    while (*p) {
        ck_assert_uint_lt(t->nrows, 40);
        size_t row = t->nrows++;
        for (;;) {
            ck_assert_uint_lt(t->ncols[row], 20);
            char *f = malloc(strlen(p) + 1), *q = f;
            if (*p == '"') {
                for (p++;; p++) {
                    ck_assert_msg(*p, "unterminated quoted field");
                    if (*p == '"' && p[1] == '"')
                        *q++ = *p++;
                    else if (*p == '"')
                        break;
                    else
                        *q++ = *p;
                }
                p++;
                ck_assert_msg(*p == ',' || *p == '\n', "text after a closing quote: %s", p);
            } else {
                while (*p && *p != ',' && *p != '\n') {
                    ck_assert_msg(*p != '"', "a quote in an unquoted field");
                    *q++ = *p++;
                }
            }
            *q = '\0';
            t->cell[row][t->ncols[row]++] = f;
            if (*p == ',') {
                p++;
                continue;
            }
            ck_assert_msg(*p == '\n', "row %zu does not end with a newline", row + 1);
            p++;
            break;
        }
        ck_assert_uint_eq(t->ncols[row], t->ncols[0]);
    }
}

static void csv_free(csv_table *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols[r]; c++)
            free(t->cell[r][c]);
}

static int csv_col(const csv_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols[0]; c++)
        if (!strcmp(t->cell[0][c], name))
            return (int)c;
    ck_abort_msg("no column %s", name);
    return -1;
}

/* The cell in column col of the row whose column key is value. */
static const char *csv_cell(const csv_table *t, const char *key, const char *value, const char *col)
{
    int k = csv_col(t, key), c = csv_col(t, col);
    for (size_t r = 1; r < t->nrows; r++)
        if (!strcmp(t->cell[r][k], value))
            return t->cell[r][c];
    ck_abort_msg("no row with %s = %s", key, value);
    return NULL;
}

static void check_labels_csv(const char *path, size_t rows)
{
    char *text = cu_slurp(path, NULL);
    ck_assert_msg(text != NULL, "%s missing", path);
    csv_table t;
    csv_parse(&t, text);
    free(text);
    ck_assert_uint_eq(t.nrows, rows);
    ck_assert_str_eq(csv_cell(&t, "region", "chicago", "region_label"), LABEL_CHI);
    ck_assert_str_eq(csv_cell(&t, "region", "kansas_city", "region_label"), LABEL_KC);
    csv_free(&t);
}

/* Python's csv module, when python3 is there, must read the same labels
 * (not under valgrind, which would trace python too). */
static void check_labels_python(const char *path)
{
    if (access("/usr/bin/python3", X_OK) != 0 || cu_time_scale() > 1)
        return;
    run_result r;
    const char *code = "import csv,sys\n"
                       "rows = {r['region']: r['region_label'] for r in csv.DictReader(open(sys.argv[1], newline=''))}\n"
                       "sys.stdout.write(rows['chicago'] + '\\n' + rows['kansas_city'])\n";
    int rc = cu_run_prog(&r, "/usr/bin/python3", NULL, 60, NULL, (const char *const[]){"-c", code, path, NULL});
    ck_assert_msg(rc == 0, "python3 on %s: exit %d\n%s", path, rc, r.err);
    ck_assert_str_eq(r.out, LABEL_CHI "\n" LABEL_KC);
    cu_run_free(&r);
}

START_TEST(test_labels_exact)
{
    const char *dir = cu_test_dir("labels");
    const char *ini = cu_path_in(dir, "labels.ini"), *out = cu_path_in(dir, "out");
    char *text = strdup(cu_two_regions(200)), *p = strstr(text, "label = Chicago\n");
    ck_assert_ptr_nonnull(p);
    *p = '\0';
    char buf[4096];
    snprintf(buf, sizeof buf, "%slabel = %s\n%s", text, LABEL_CHI, p + strlen("label = Chicago\n"));
    free(text);
    cu_write_file(ini, buf);
    run_result r;
    int rc =
        CU_RUN(&r, "simulate", "--allocation", ALLOC, "--set", "region.kansas_city.label=" LABEL_KC, "-o", out, ini);
    ck_assert_msg(rc == 0 && r.nerr == 0, "exit %d:\n%s", rc, r.err);
    cu_run_free(&r);
    for (int i = 0; i < 2; i++) {
        const char *csv = cu_path_in(out, i ? "allocation.csv" : "regions.csv");
        check_labels_csv(csv, i ? 4 : 3); /* allocation.csv: and its "unallocated" row */
        check_labels_python(csv);
    }
    /* the chart: labels as gnuplot strings (no escapes in '...', ' doubled),
     * drawn cleanly and shown as written on each of the four panels */
    char *gp = cu_slurp(cu_path_in(out, "regions.gp"), NULL);
    ck_assert_msg(strstr(gp, "array labels[2] = ['Chi\"ca,go\\x;', '#K,C \"\" ''q'' \\']"), "regions.gp:\n%s", gp);
    free(gp);
    char *log = cu_slurp(cu_path_in(out, "gnuplot.log"), NULL);
    ck_assert_msg(!log || !*log, "gnuplot.log:\n%s", log);
    free(log);
    char *svg = cu_slurp(cu_path_in(out, "regions.svg"), NULL);
    ck_assert_ptr_nonnull(svg);
    ck_assert_uint_eq(count_of(svg, ">" LABEL_CHI "<"), 4);
    ck_assert_uint_eq(count_of(svg, ">#K,C \"\" 'q' \\<"), 4);
    free(svg);
}
END_TEST

START_TEST(test_tornado_invalid_moves)
{
    const char *dir = cu_test_dir("tornado");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    int rc = CU_RUN(&r, "sweep", "--tornado", "20", "--set",
                    "region.kansas_city.hearing_delay_days=uniform(min=10, max=11)", "-o", out, two);
    ck_assert_msg(rc == 0 && r.nerr == 0, "exit %d:\n%s", rc, r.err);
    ck_assert_msg(strstr(r.out, "kansas_city.hearing_delay_days.min raised to 12: invalid") &&
                      strstr(r.out, "kansas_city.hearing_delay_days.max lowered to 8.8: invalid") &&
                      strstr(r.out, "swing\n"), /* and the table (check_cli_help) */
                  "stdout:\n%s", r.out);
    cu_run_free(&r);

    char *text = cu_slurp(cu_path_in(out, "tornado.csv"), NULL);
    ck_assert_ptr_nonnull(text);
    csv_table t;
    csv_parse(&t, text);
    free(text);
    ck_assert_uint_ge(t.nrows, 10);
    int cv[2] = {csv_col(&t, "value_low"), csv_col(&t, "value_high")},
        ok[2] = {csv_col(&t, "low_valid"), csv_col(&t, "high_valid")};
    size_t invalid = 0;
    for (size_t i = 1; i < t.nrows; i++) {
        const char *name = t.cell[i][0];
        for (int j = 0; j < 2; j++) {
            int bad = (j == 1 && !strcmp(name, "kansas_city.hearing_delay_days.min")) ||
                      (j == 0 && !strcmp(name, "kansas_city.hearing_delay_days.max"));
            ck_assert_msg(!strcmp(t.cell[i][ok[j]], bad ? "0" : "1"), "%s: %s = %s", name, t.cell[0][ok[j]],
                          t.cell[i][ok[j]]);
            if (bad) {
                ck_assert_msg(t.cell[i][cv[j]][0] == '\0', "%s: invalid move has value %s", name, t.cell[i][cv[j]]);
                invalid++;
            } else {
                char *end;
                strtod(t.cell[i][cv[j]], &end);
                ck_assert_msg(end > t.cell[i][cv[j]] && !*end, "%s: value %s", name, t.cell[i][cv[j]]);
            }
        }
    }
    ck_assert_uint_eq(invalid, 2);
    ck_assert_str_eq(csv_cell(&t, "parameter", "kansas_city.hearing_delay_days.min", "high"), "12");
    ck_assert_str_eq(csv_cell(&t, "parameter", "kansas_city.hearing_delay_days.max", "low"), "8.8");
    csv_free(&t);

    json_t *s = cu_load_json(cu_path_in(out, "summary.json")), *row;
    size_t i, seen = 0;
    json_array_foreach(cu_json_at(s, "tornado.parameters"), i, row)
    {
        const char *name = json_string_value(json_object_get(row, "parameter"));
        if (!strcmp(name, "kansas_city.hearing_delay_days.min")) {
            ck_assert(json_is_null(json_object_get(row, "value_high")));
            ck_assert(json_is_false(json_object_get(row, "high_valid")));
            ck_assert(json_is_true(json_object_get(row, "low_valid")));
            ck_assert(strstr(json_string_value(json_object_get(row, "high_invalid_reason")), "min < max"));
            seen++;
        }
    }
    ck_assert_uint_eq(seen, 1);
    json_decref(s);

    char *svg = cu_slurp(cu_path_in(out, "tornado.svg"), NULL);
    ck_assert_ptr_nonnull(svg);
    ck_assert(strstr(svg, "kansas_city.hearing_delay_days.min (raised: invalid)"));
    ck_assert(strstr(svg, "kansas_city.hearing_delay_days.max (lowered: invalid)"));
    ck_assert(strstr(svg, "chicago.bond_grant_prob<"));
    free(svg);
    char *log = cu_slurp(cu_path_in(out, "gnuplot.log"), NULL);
    ck_assert_msg(!log || !*log, "gnuplot.log:\n%s", log);
    free(log);
}
END_TEST

Suite *make_robust_plot_suite(void)
{
    Suite *s = suite_create("robust_plot");
    TCase *g = tcase_create("gnuplot_faults");
    tcase_add_unchecked_fixture(g, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(g, 300);
    tcase_add_test(g, test_gnuplot_hangs);
    tcase_add_test(g, test_gnuplot_unrunnable);
    tcase_add_test(g, test_gnuplot_fails);
    tcase_add_test(g, test_quiet_and_bad_timeout);
    tcase_add_test(g, test_signal_while_waiting);
    suite_add_tcase(s, g);

    TCase *l = tcase_create("labels_and_tornado");
    tcase_add_unchecked_fixture(l, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(l, 300);
    tcase_add_test(l, test_labels_exact);
    tcase_add_test(l, test_tornado_invalid_moves);
    suite_add_tcase(s, l);
    return s;
}

FZ_CHECK_MAIN(robust_plot)
