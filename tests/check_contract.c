/* check_contract: small promises of the command line (issue 10, item 7).
 *
 * - With 1 replication a standard deviation and a confidence interval are
 *   undefined: simulate, optimize (baselines, VSS, EVPI, wait-and-see, gap),
 *   compare (paired differences) and sweep (bands) exit 0 and write null in
 *   summary.json (never [m, m] or sd 0), empty lo/hi cells in their CSV
 *   files, "CI n/a" and an "n/a:" note on the console, and charts whose
 *   scripts draw no interval.  With 2 replications the same keys hold
 *   intervals (the tests can fail).
 * - stats: stat_sd and stat_ci95_half are NAN below 2 values.
 * - stdout is checked: check, --help, simulate's table and simulate --json
 *   with stdout on /dev/full (ENOSPC), on a pipe whose reader is gone
 *   (EPIPE: SIGPIPE is ignored) or closed (EBADF) exit 1 with "cannot write
 *   to standard output" and the reason; a results directory is then
 *   complete, and the message says so.
 * - Refused with exit 2, a message naming the option or argument, nothing
 *   on stdout and nothing written: a second positional argument, options
 *   that the command does not use (`fit --seed`, `check --allocation`,
 *   `optimize --allocation`, ...), an --allocation with an empty item
 *   (`a=5,`), and --replications that is not written in digits (`1e3`). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "stats.h"

#define ALLOC "chicago=150000,kansas_city=100000"

/* The value at a dotted path, which must exist; a numeric key indexes a
 * list ("variants.1.releases"), unlike cu_json_at. */
static json_t *jat(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *j = root;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
        j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
        ck_assert_msg(j != NULL, "summary.json lacks %s", path);
    }
    return j;
}

static double jnum(json_t *root, const char *path)
{
    json_t *j = jat(root, path);
    ck_assert_msg(json_is_number(j), "%s is not a number", path);
    return json_number_value(j);
}

/* The value at a dotted path is JSON null. */
static void assert_null(json_t *doc, const char *path)
{
    json_t *v = jat(doc, path);
    ck_assert_msg(json_is_null(v), "%s: expected null, found a %s", path,
                  json_is_array(v)    ? "list"
                  : json_is_number(v) ? "number"
                                      : "non-null value");
}

/* An interval [lo, hi] with lo < hi. */
static void assert_interval(json_t *doc, const char *path)
{
    json_t *v = jat(doc, path);
    ck_assert_msg(json_is_array(v) && json_array_size(v) == 2, "%s: expected [lo, hi]", path);
    double lo = json_number_value(json_array_get(v, 0)), hi = json_number_value(json_array_get(v, 1));
    ck_assert_msg(lo < hi, "%s: [%g, %g] is not an interval", path, lo, hi);
}

/* No "ci95" anywhere in the document is a list with equal ends, and no
 * "sd" is 0: an undefined interval is null, never of width 0. */
static void assert_no_zero_width(json_t *v, const char *where)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (strstr(k, "ci95") && json_is_array(x) && json_array_size(x) == 2)
                ck_assert_msg(json_number_value(json_array_get(x, 0)) != json_number_value(json_array_get(x, 1)),
                              "%s: %s is a zero-width interval", where, k);
            if (!strcmp(k, "sd"))
                ck_assert_msg(json_is_null(x), "%s: sd is not null with 1 replication", where);
            assert_no_zero_width(x, where);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) assert_no_zero_width(x, where);
    }
}

/* Every data line of a CSV file has empty cells in the given 1-based columns. */
static void assert_csv_empty_cols(const char *path, const int *cols, size_t ncols)
{
    char *text = cu_slurp(path, NULL);
    ck_assert_msg(text != NULL, "%s missing", path);
    ck_assert_msg(!strstr(text, "nan") && !strstr(text, "inf"), "%s holds a non-finite number:\n%s", path, text);
    size_t lines = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (lines++ == 0)
            continue; /* header */
        for (size_t j = 0; j < ncols; j++) {
            /* the cell: from after the (cols[j]-1)-th comma to the next one (labels hold no commas here) */
            const char *p = line;
            for (int c = 1; c < cols[j] && p; c++)
                p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
            ck_assert_msg(p && (*p == ',' || *p == '\0'), "%s: column %d of '%s' is not empty", path, cols[j], line);
        }
    }
    ck_assert_uint_ge(lines, 2);
    free(text);
}

START_TEST(test_stats_undefined_below_two)
{
    stat_acc a = {0, 0, 0};
    ck_assert(isnan(stat_sd(&a)) && isnan(stat_ci95_half(&a)));
    stat_add(&a, 13);
    ck_assert(isnan(stat_sd(&a)));
    ck_assert(isnan(stat_ci95_half(&a)));
    stat_add(&a, 15);
    ck_assert_double_eq_tol(stat_sd(&a), sqrt(2), 1e-12);
    ck_assert_double_eq_tol(stat_ci95_half(&a), 12.706204736174707 * sqrt(2) / sqrt(2), 1e-9);
    stat_acc c = {0, 0, 0};
    stat_add(&c, 5);
    stat_add(&c, 5);
    ck_assert_double_eq(stat_sd(&c), 0);
    ck_assert_double_eq(stat_ci95_half(&c), 0);
}
END_TEST

START_TEST(test_simulate_one_replication)
{
    const char *dir = cu_test_dir("simulate1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "simulate", "--replications", "1", "--allocation", ALLOC, "-o", out, two) == 0, "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI n/a]"));
    ck_assert_ptr_nonnull(strstr(r.out, "n/a: with 1 replication, standard deviations and 95% confidence intervals "
                                        "are undefined"));
    ck_assert_ptr_null(strstr(r.out, "nan ["));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_double_eq(jnum(s, "replications.evaluate"), 1);
    ck_assert(jnum(s, "releases.mean") > 0);
    assert_null(s, "releases.ci95");
    assert_null(s, "releases.sd");
    assert_null(s, "spent_usd.ci95");
    assert_null(s, "spent_usd.sd");
    assert_null(s, "freedom_days.ci95");
    assert_null(s, "regions.chicago.releases_ci95");
    assert_null(s, "regions.kansas_city.releases_ci95");
    ck_assert(jnum(s, "regions.chicago.releases_mean") > 0);
    assert_no_zero_width(s, "simulate");
    json_decref(s);
    /* regions.csv: the lo, hi cells of each figure are empty (no error bar) */
    const int cols[] = {3, 4, 9, 10};
    assert_csv_empty_cols(cu_path_in(out, "regions.csv"), cols, 4);
    char *gp = cu_slurp(cu_path_in(out, "releases_hist.gp"), NULL);
    ck_assert_ptr_nonnull(strstr(gp, "lo = NaN; hi = NaN"));
    free(gp);
    char *html = cu_slurp(cu_path_in(out, "report.html"), NULL);
    ck_assert_ptr_nonnull(strstr(html, "With 1 replication, confidence intervals are undefined"));
    ck_assert_ptr_null(strstr(html, "nan"));
    free(html);

    /* the control: 2 replications have intervals at the same keys */
    const char *out2 = cu_path_in(dir, "out2");
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--replications", "2", "--allocation", ALLOC, "-o", out2, two),
                     0);
    cu_run_free(&r);
    s = cu_load_json(cu_path_in(out2, "summary.json"));
    assert_interval(s, "releases.ci95");
    assert_interval(s, "regions.chicago.releases_ci95");
    ck_assert(jnum(s, "releases.sd") > 0);
    json_decref(s);
}
END_TEST

START_TEST(test_optimize_one_replication)
{
    const char *dir = cu_test_dir("optimize1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "optimize", "--replications", "1", "--gap-batches", "3", "-o", out, two) == 0, "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "VSS "));
    ck_assert_ptr_nonnull(strstr(r.out, "95% upper bound n/a"));
    ck_assert_ptr_null(strstr(r.out, "nan"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    assert_null(s, "optimal.out_of_sample.ci95");
    const char *base[] = {"equal_split", "proportional", "expected_value"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "baselines.%s.value.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.difference_to_optimal.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.releases.ci95", base[i]);
        assert_null(s, p);
        snprintf(p, sizeof p, "baselines.%s.releases.sd", base[i]);
        assert_null(s, p);
    }
    assert_null(s, "vss.ci95");
    assert_null(s, "evpi.ci95");
    assert_null(s, "wait_and_see.ci95");
    assert_null(s, "gap.gap.ci95");
    assert_null(s, "gap.gap_ci95_one_sided_upper");
    ck_assert(isfinite(jnum(s, "gap.gap.mean")));
    ck_assert(isfinite(jnum(s, "vss.mean")));
    /* the gap's upper bound comes from 3 batch optima: that interval exists */
    assert_interval(s, "gap.upper_bound.ci95");
    json_decref(s);
}
END_TEST

START_TEST(test_compare_one_replication)
{
    const char *dir = cu_test_dir("compare1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "compare", "--replications", "1", "--allocation", ALLOC, "--allocation",
                         "chicago=100000,kansas_city=150000", "-o", out, two) == 0,
                  "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI n/a]"));
    ck_assert_ptr_nonnull(strstr(r.out, "n/a: with 1 replication"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    assert_null(s, "variants.0.difference_to_first.ci95");
    assert_null(s, "variants.1.difference_to_first.ci95");
    assert_null(s, "variants.1.difference_to_first.sd");
    assert_null(s, "variants.1.freedom_days_difference_to_first.ci95");
    assert_null(s, "variants.1.releases.ci95");
    assert_no_zero_width(s, "compare");
    json_decref(s);
    const int cols[] = {9, 10, 12, 13}; /* releases_ci95_lo, _hi, releases_diff_to_first_ci95_lo, _hi */
    assert_csv_empty_cols(cu_path_in(out, "compare.csv"), cols, 4);
}
END_TEST

START_TEST(test_sweep_one_replication)
{
    const char *dir = cu_test_dir("sweep1");
    const char *two = cu_two_ini(dir, 50), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "sweep", "--replications", "1", "--budget", "100000:300000:100000", "-o", out, two) == 0,
                  "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "[CI n/a]"));
    cu_run_free(&r);
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_uint_eq(json_array_size(jat(s, "sweep.points")), 3);
    for (int i = 0; i < 3; i++) {
        char p[64];
        snprintf(p, sizeof p, "sweep.points.%d.value.ci95", i);
        assert_null(s, p);
        snprintf(p, sizeof p, "sweep.points.%d.releases.ci95", i);
        assert_null(s, p);
        snprintf(p, sizeof p, "sweep.points.%d.value.mean", i);
        ck_assert(jnum(s, p) > 0);
    }
    json_decref(s);
    /* x, chicago_usd, kansas_city_usd, in_sample_value, value_mean, value_ci95_lo, value_ci95_hi, releases_mean,
     * releases_ci95_lo, releases_ci95_hi, marginal */
    const int cols[] = {6, 7, 9, 10};
    assert_csv_empty_cols(cu_path_in(out, "sweep.csv"), cols, 4);
}
END_TEST

/* ---- stdout ---- */

extern char **environ;

enum { OUT_FULL, OUT_CLOSED, OUT_BROKEN_PIPE };

/* Runs FZ_BIN with args in cwd, its stdout /dev/full, closed, or a pipe
 * with no reader; returns the exit status (-1: a signal), stderr in *err. */
static int run_bad_stdout(char **err, int kind, const char *cwd, const char *const *args)
{
    const char *argv[32] = {FZ_BIN};
    size_t n = 1;
    for (; args[n - 1]; n++) {
        ck_assert_uint_lt(n, 31);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    int efd = cu_capture_fd(), p[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (kind == OUT_FULL)
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/full", O_WRONLY, 0);
    else if (kind == OUT_CLOSED)
        posix_spawn_file_actions_addclose(&fa, 1);
    else {
        ck_assert_int_eq(pipe(p), 0);
        close(p[0]); /* the reader is gone before fianza writes */
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    }
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    posix_spawn_file_actions_addchdir_np(&fa, cwd);
    pid_t pid;
    int rc = posix_spawn(&pid, FZ_BIN, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (p[1] >= 0)
        close(p[1]);
    ck_assert_msg(rc == 0, "posix_spawn: %s", strerror(rc));
    int status;
    double t0 = cu_now(), limit = 120 * cu_time_scale();
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        ck_assert_msg(w == 0, "waitpid: %s", strerror(errno));
        if (cu_now() - t0 > limit) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            ck_abort_msg("fianza %s did not finish", argv[1]);
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    }
    size_t len;
    *err = cu_read_fd(efd, &len);
    close(efd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define RUN_BAD_STDOUT(err, kind, cwd, ...) \
    run_bad_stdout((err), (kind), (cwd), (const char *const[]){__VA_ARGS__, NULL})

START_TEST(test_check_stdout_full)
{
    const char *dir = cu_test_dir("check_full");
    cu_two_ini(dir, 50);
    char *err;
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_FULL, dir, "check", "two.ini"), 1);
    ck_assert_msg(strstr(err, "fianza: cannot write to standard output: No space left on device"), "%s", err);
    ck_assert_ptr_null(strstr(err, "results directory")); /* check writes none */
    free(err);
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_FULL, dir, "check", "--help"), 1);
    ck_assert_msg(strstr(err, "cannot write to standard output"), "%s", err);
    free(err);
    /* bad input stays exit 2 with its own message */
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_FULL, dir, "check", "nope.ini"), 2);
    ck_assert_msg(strstr(err, "nope.ini"), "%s", err);
    free(err);
}
END_TEST

START_TEST(test_check_stdout_broken_pipe_and_closed)
{
    const char *dir = cu_test_dir("check_pipe");
    cu_two_ini(dir, 50);
    char *err;
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_BROKEN_PIPE, dir, "check", "two.ini"), 1); /* not killed by SIGPIPE */
    ck_assert_msg(strstr(err, "fianza: cannot write to standard output: Broken pipe"), "%s", err);
    free(err);
    /* valgrind (scripts/test.sh valgrind) opens descriptors of its own in
     * the child before fianza starts, so a closed fd 1 is not closed there */
    if (getenv("FIANZA_TEST_VALGRIND"))
        return;
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_CLOSED, dir, "check", "two.ini"), 1);
    ck_assert_msg(strstr(err, "fianza: cannot write to standard output"), "%s", err);
    free(err);
}
END_TEST

/* A results directory is committed before stdout is written: it is complete,
 * the exit status is 1 and the message says both. */
START_TEST(test_simulate_stdout_full)
{
    const char *dir = cu_test_dir("simulate_full");
    cu_two_ini(dir, 50);
    const char *modes[][2] = {{"--json", "--quiet"}, {"--no-plots", "--no-plots"}, {"--json", "--no-plots"}};
    const char *outs[] = {"json", "table", "both"};
    for (size_t i = 0; i < 3; i++) {
        char *err;
        ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_FULL, dir, "simulate", modes[i][0], modes[i][1], "--allocation",
                                        ALLOC, "-o", outs[i], "two.ini"),
                         1);
        ck_assert_msg(strstr(err, "fianza: cannot write to standard output: No space left on device (the results "
                                  "directory was written completely before that)"),
                      "%s: %s", outs[i], err);
        free(err);
        json_t *s = cu_load_json(cu_path_in(cu_path_in(dir, outs[i]), "summary.json"));
        ck_assert_double_eq(jnum(s, "replications.evaluate"), 50);
        json_decref(s);
        ck_assert_int_eq(cu_count_prefixed(dir, ""), 2 + 1 + (int)i + 1); /* ., .., two.ini, the directories */
    }
    char *err;
    ck_assert_int_eq(RUN_BAD_STDOUT(&err, OUT_BROKEN_PIPE, dir, "simulate", "--json", "--no-plots", "--allocation",
                                    ALLOC, "-o", "pipe", "two.ini"),
                     1);
    ck_assert_msg(strstr(err, "Broken pipe (the results directory was written completely"), "%s", err);
    free(err);
}
END_TEST

/* ---- refusals ---- */

typedef struct refusal {
    const char *args[12];
    const char *want; /* in stderr */
} refusal;

START_TEST(test_refusals)
{
    const char *dir = cu_test_dir("refusals");
    cu_two_ini(dir, 50);
    cu_write_file(cu_path_in(dir, "d.csv"), "bond_usd\n5\n7\n9\n");
    static const refusal rows[] = {
        /* extra positional arguments */
        {{"check", "two.ini", "b.ini"}, "unexpected argument 'b.ini': fianza check takes one scenario file"},
        {{"check", "--seed", "3", "two.ini", "x"}, "unexpected argument 'x'"},
        {{"simulate", "--allocation", ALLOC, "two.ini", "b.ini", "-o", "out"}, "unexpected argument 'b.ini'"},
        {{"optimize", "two.ini", "two.ini", "-o", "out"}, "unexpected argument 'two.ini': fianza optimize"},
        {{"fit", "d.csv", "e.csv", "--column", "bond_usd", "-o", "out"},
         "unexpected argument 'e.csv': fianza fit takes one CSV file"},
        /* options that the command does not use */
        {{"optimize", "--allocation", "chicago=5", "-o", "out", "two.ini"},
         "--allocation does not apply to fianza optimize (see fianza optimize --help)"},
        {{"sweep", "--budget", "1000:2000:1000", "--allocation", "chicago=5", "-o", "out", "two.ini"},
         "--allocation does not apply to fianza sweep"},
        {{"check", "--allocation", "chicago=5", "two.ini"}, "--allocation does not apply to fianza check"},
        {{"check", "-o", "out", "two.ini"}, "-o does not apply to fianza check"},
        {{"check", "--json", "two.ini"}, "--json does not apply to fianza check"},
        {{"check", "--threads", "2", "two.ini"}, "--threads does not apply to fianza check"},
        {{"check", "--no-plots", "two.ini"}, "--no-plots does not apply to fianza check"},
        {{"check", "--quiet", "two.ini"}, "--quiet does not apply to fianza check"},
        {{"fit", "d.csv", "--column", "bond_usd", "--seed", "1", "-o", "out"}, "--seed does not apply to fianza fit"},
        {{"fit", "d.csv", "--column", "bond_usd", "--replications", "5", "-o", "out"},
         "--replications does not apply to fianza fit"},
        {{"fit", "d.csv", "--column", "bond_usd", "--threads", "2", "-o", "out"},
         "--threads does not apply to fianza fit"},
        {{"fit", "d.csv", "--column", "bond_usd", "--set", "fund.budget_usd=5", "-o", "out"},
         "--set does not apply to fianza fit"},
        {{"simulate", "--allocation", ALLOC, "--policy", "first_come", "-o", "out", "two.ini"},
         "--policy does not apply to fianza simulate"},
        {{"simulate", "--allocation", ALLOC, "--gap-batches", "3", "-o", "out", "two.ini"},
         "--gap-batches does not apply to fianza simulate"},
        {{"simulate", "--allocation", ALLOC, "--column", "x", "-o", "out", "two.ini"},
         "--column does not apply to fianza simulate"},
        {{"sweep", "--budget", "1000:2000:1000", "--gap-batches", "3", "-o", "out", "two.ini"},
         "--gap-batches does not apply to fianza sweep"},
        {{"compare", "--allocation", ALLOC, "--allocation", ALLOC, "--tornado", "5", "-o", "out", "two.ini"},
         "--tornado does not apply to fianza compare"},
        {{"compare", "--allocation", ALLOC, "--allocation", ALLOC, "--solver-time-limit", "5", "-o", "out", "two.ini"},
         "--solver-time-limit does not apply to fianza compare"},
        {{"optimize", "--min", "1", "-o", "out", "two.ini"}, "--min does not apply to fianza optimize"},
        /* an --allocation with an empty item */
        {{"simulate", "--allocation", "chicago=5,", "-o", "out", "two.ini"},
         "--allocation chicago=5,: item 2 is empty (a stray comma?)"},
        {{"simulate", "--allocation", "chicago=5,,kansas_city=1", "-o", "out", "two.ini"}, "item 2 is empty"},
        {{"simulate", "--allocation", ",chicago=5", "-o", "out", "two.ini"}, "item 1 is empty"},
        {{"compare", "--allocation", ALLOC, "--allocation", "kansas_city=5,", "-o", "out", "two.ini"},
         "--allocation kansas_city=5,: item 2 is empty"},
        /* --replications in digits only */
        {{"check", "--replications", "1e3", "two.ini"},
         "--replications 1e3: expected a whole number from 1 to 100000000, in digits"},
        {{"simulate", "--allocation", ALLOC, "--replications", "10.0", "-o", "out", "two.ini"}, "--replications 10.0"},
        {{"optimize", "--replications", "+5", "-o", "out", "two.ini"}, "--replications +5"},
        {{"optimize", "--replications", "", "-o", "out", "two.ini"}, "--replications : expected a whole number"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        run_result r;
        int st = cu_run_v(&r, dir, 60, rows[i].args);
        ck_assert_msg(st == 2, "row %zu (%s %s): exit %d\n%s", i, rows[i].args[0], rows[i].args[1], st, r.err);
        ck_assert_msg(!strncmp(r.err, "fianza: ", 8) && strstr(r.err, rows[i].want), "row %zu: wanted '%s' in:\n%s", i,
                      rows[i].want, r.err);
        ck_assert_msg(r.nout == 0, "row %zu: stdout not empty", i);
        cu_run_free(&r);
        /* nothing written: two.ini, d.csv, . and .. */
        ck_assert_msg(cu_count_prefixed(dir, "") == 4, "row %zu left files behind", i);
    }
}
END_TEST

/* The options that do apply are still taken (the controls of test_refusals). */
START_TEST(test_accepted)
{
    const char *dir = cu_test_dir("accepted");
    cu_two_ini(dir, 50);
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 60, "check", "--seed", "9", "--replications", "0012", "--set",
                               "fund.budget_usd=5000", "two.ini"),
                     0);
    ck_assert_ptr_nonnull(strstr(r.out, "replications = 12\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "seed = 9\n"));
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 60, "check", "--help"), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "only --seed, --replications and --set apply to check"));
    cu_run_free(&r);
    ck_assert_msg(CU_RUN_IN(&r, dir, 60, "simulate", "--quiet", "--no-plots", "--threads", "2", "--seed", "4",
                            "--allocation", "chicago=5000", "-o", "out", "two.ini") == 0,
                  "%s", r.err);
    cu_run_free(&r);
}
END_TEST

Suite *make_contract_suite(void)
{
    Suite *s = suite_create("contract");
    TCase *ci = tcase_create("one_replication");
    tcase_add_unchecked_fixture(ci, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(ci, 120);
    tcase_add_test(ci, test_stats_undefined_below_two);
    tcase_add_test(ci, test_simulate_one_replication);
    tcase_add_test(ci, test_optimize_one_replication);
    tcase_add_test(ci, test_compare_one_replication);
    tcase_add_test(ci, test_sweep_one_replication);
    suite_add_tcase(s, ci);
    TCase *out = tcase_create("stdout");
    tcase_add_unchecked_fixture(out, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(out, 120);
    tcase_add_test(out, test_check_stdout_full);
    tcase_add_test(out, test_check_stdout_broken_pipe_and_closed);
    tcase_add_test(out, test_simulate_stdout_full);
    suite_add_tcase(s, out);
    TCase *refuse = tcase_create("refusals");
    tcase_add_unchecked_fixture(refuse, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(refuse, 120);
    tcase_add_test(refuse, test_refusals);
    tcase_add_test(refuse, test_accepted);
    suite_add_tcase(s, refuse);
    return s;
}

FZ_CHECK_MAIN(contract)
