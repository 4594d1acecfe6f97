/* check_outdir: -o never costs the user a file (issue 10, items 1, 4, 7, 8, 9).
 *
 * - every command, with -o pointed at real directory trees it must not
 *   replace (the scenario's directory, the CSV's, the working directory and
 *   its parent, an unrelated non-empty directory, a symbolic link), exits 2
 *   before simulating and leaves every file byte for byte, with no debris;
 * - a directory fianza made (.fianza-results), an empty one and a new one
 *   inside an input's directory are written; the umask is respected;
 * - the old results are deleted without building paths (deeper than
 *   PATH_MAX), and links inside them are not followed;
 * - SIGTERM at random times, SIGHUP and SIGXFSZ (RLIMIT_FSIZE) leave no
 *   DIR.tmp-* / DIR.old-*, and the exit status and message say whether DIR
 *   was rewritten. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "outdir.h"

/* ---- a snapshot of a tree: every path, type and content, sorted ---- */

static char **snap_items;
static size_t snap_n;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    size_t len = 0;
    char *body = NULL;
    if (flag == FTW_F)
        body = cu_slurp(path, &len);
    else if (flag == FTW_SL) {
        body = calloc(1, PATH_MAX);
        ck_assert_ptr_nonnull(body);
        len = (size_t)readlink(path, body, PATH_MAX - 1);
    }
    char *item = malloc(strlen(path) + len + 64);
    ck_assert_ptr_nonnull(item);
    int k = sprintf(item, "%s %d %o\n", path, flag, (unsigned)(st->st_mode & 07777));
    if (body)
        memcpy(item + k, body, len);
    item[k + (int)len] = '\0';
    free(body);
    snap_items = realloc(snap_items, (snap_n + 1) * sizeof *snap_items);
    ck_assert_ptr_nonnull(snap_items);
    snap_items[snap_n++] = item;
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The whole tree under root as one string (malloc'd). */
static char *snapshot(const char *root)
{
    snap_items = NULL;
    snap_n = 0;
    ck_assert_int_eq(nftw(root, snap_one, 16, FTW_PHYS), 0);
    qsort(snap_items, snap_n, sizeof *snap_items, cmp_str);
    size_t total = 1;
    for (size_t i = 0; i < snap_n; i++)
        total += strlen(snap_items[i]) + 1;
    char *s = malloc(total), *p = s;
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < snap_n; i++) {
        p = stpcpy(p, snap_items[i]);
        *p++ = '\x1e';
        free(snap_items[i]);
    }
    *p = '\0';
    free(snap_items);
    return s;
}

/* ---- the trees ---- */

static char g_root[PATH_MAX];

static const char *at(const char *rel)
{
    static char buf[64][PATH_MAX]; /* enough for one test's paths held at once */
    static int k;
    char *b = buf[k++ % 64];
    snprintf(b, PATH_MAX, "%s%s%s", g_root, rel[0] ? "/" : "", rel);
    return b;
}

/* The two-region scenario with Kansas City's bonds read from data/d.csv. */
static void write_scenario(const char *path, int replications)
{
    char text[2048];
    snprintf(text, sizeof text, "%s", cu_two_regions(replications));
    const char *from = "bond_usd = lognormal(median=4000, sigma=0.6, min=1500)";
    char *p = strstr(text, from);
    ck_assert_ptr_nonnull(p);
    char rest[2048];
    snprintf(rest, sizeof rest, "%s", p + strlen(from));
    snprintf(p, sizeof text - (size_t)(p - text), "bond_usd = empirical(file=data/d.csv, column=x)%s", rest);
    cu_write_file(path, text);
}

/* root/proj: the scenario, its CSV, notes and a binary file; root/other: an
 * unrelated tree; root/proj/child: where the commands run. */
static void build_tree(void)
{
    snprintf(g_root, sizeof g_root, "%s/tree", cu_work);
    outdir_remove_tree(g_root); /* nftw cannot remove what a failed deep-tree test left */
    snprintf(g_root, sizeof g_root, "%s", cu_test_dir("tree"));
    const char *dirs[] = {"proj", "proj/data", "proj/sub", "proj/sub/deep", "proj/child", "other", "other/b"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        ck_assert_int_eq(mkdir(at(dirs[i]), 0755), 0);
    write_scenario(at("proj/s.ini"), 50);
    cu_write_file(at("proj/data/d.csv"), "x\n1500\n2500\n4000\n6000\n9000\n3000\n2000\n");
    cu_write_file(at("proj/data/readme.txt"), "collected by hand\n");
    cu_write_file(at("proj/notes.txt"), "do not lose me\n");
    cu_write_file(at("proj/child/keep.txt"), "the working directory\n");
    cu_write_file(at("other/a.txt"), "unrelated\n");
    cu_write_file(at("other/b/c.txt"), "also unrelated\n");
    FILE *f = fopen(at("proj/sub/deep/bytes.bin"), "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919) & 0xff, f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(symlink("../notes.txt", at("proj/sub/link")), 0);
}

/* Runs fianza with args, then: exit 2, the reason in stderr, the tree as it was. */
static void expect_refused(const char *cwd, const char *const *args, const char *why, const char *before)
{
    run_result r;
    int rc = cu_run_v(&r, cwd, 60, args);
    char line[1024] = "";
    for (int i = 0; args[i]; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s ", args[i]);
    ck_assert_msg(rc == 2, "%s: exit %d, expected 2\n%s", line, rc, r.err);
    ck_assert_msg(strstr(r.err, why) != NULL, "%s: stderr lacks '%s':\n%s", line, why, r.err);
    ck_assert_msg(r.seconds < 10 * cu_time_scale(), "%s: took %.1f s: refused only after simulating?", line, r.seconds);
    char *after = snapshot(g_root);
    ck_assert_msg(strcmp(before, after) == 0, "%s: the tree changed", line);
    free(after);
    cu_run_free(&r);
}

/* Each command with its own arguments, then -o TARGET. */
static void run_all_commands(const char *cwd, const char *target, const char *why, const char *before)
{
    const char *ini = at("proj/s.ini"), *csv = at("proj/data/d.csv");
    const char *const cmds[][12] = {
        {"simulate", "--allocation", "chicago=1000", "--replications", "50", ini, "-o", target, NULL},
        {"optimize", "--replications", "50", "--gap-batches", "2", ini, "-o", target, NULL},
        {"sweep", "--budget", "100000:300000:100000", "--replications", "50", ini, "-o", target, NULL},
        {"compare", "--allocation", "chicago=1000", "--allocation", "chicago=2000", "--replications", "50", ini, "-o",
         target, NULL},
        {"fit", csv, "--column", "x", "-o", target, NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        expect_refused(cwd, cmds[i], why, before);
    /* check writes nothing, whatever -o says */
    run_result r;
    CU_RUN_IN(&r, cwd, 60, "check", ini, "-o", target);
    char *after = snapshot(g_root);
    ck_assert_msg(strcmp(before, after) == 0, "check -o %s changed the tree", target);
    free(after);
    cu_run_free(&r);
}

START_TEST(test_inputs_refused)
{
    build_tree();
    char *before = snapshot(g_root);
    const char *child = at("proj/child");
    const char *input = "the directory of the input";
    run_all_commands(child, at("proj"), input, before);              /* holds the scenario; ".." of cwd */
    run_all_commands(child, at("proj/data"), input, before);         /* holds the CSV */
    run_all_commands(child, at(""), input, before);                  /* contains them all */
    run_all_commands(child, at("proj/"), input, before);             /* trailing slash */
    run_all_commands(child, "../data/../../proj", input, before);    /* the same, by a winding name */
    run_all_commands(child, child, "the current directory", before); /* -o $PWD */
    run_all_commands(child, "/", "not a usable directory name", before);
    /* the fit case, as typed */
    expect_refused(at("proj"), (const char *const[]){"fit", "data/d.csv", "--column", "x", "-o", "data", NULL}, input,
                   before);
    free(before);
}
END_TEST

START_TEST(test_foreign_dirs_refused)
{
    build_tree();
    ck_assert_int_eq(symlink("../other", at("proj/child/to_other")), 0);
    ck_assert_int_eq(symlink("nowhere", at("proj/child/dangling")), 0);
    char *before = snapshot(g_root);
    const char *child = at("proj/child");
    run_all_commands(child, at("other"), "fianza did not write", before);
    run_all_commands(child, at("other/b"), "remove it yourself", before);
    run_all_commands(child, "to_other", "is a symbolic link", before);
    run_all_commands(child, "dangling", "which does not exist", before);
    run_all_commands(child, "dangling/out", "cannot write there", before);
    run_all_commands(child, "keep.txt", "exists and is not a directory", before);
    run_all_commands(child, "keep.txt/out", "cannot write there", before);
    free(before);
}
END_TEST

/* A refusal whose -o is far longer than the message buffer still says why. */
START_TEST(test_long_path_message)
{
    build_tree();
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", at("other"));
    for (int i = 0; i < 10; i++) {
        size_t n = strlen(path);
        path[n++] = '/';
        memset(path + n, 'a' + i, 120);
        path[n + 120] = '\0';
        ck_assert_int_eq(mkdir(path, 0755), 0);
    }
    char mine[PATH_MAX];
    snprintf(mine, sizeof mine, "%s/mine.txt", path);
    cu_write_file(mine, "mine\n");
    char *before = snapshot(g_root);
    run_all_commands(at("proj/child"), path, "fianza did not write", before);
    run_all_commands(at("proj/child"), path, "remove it yourself", before);
    free(before);
}
END_TEST

static void assert_results(const char *dir)
{
    ck_assert_msg(cu_exists(cu_path_in(dir, "summary.json")), "%s lacks summary.json", dir);
    char *m = cu_slurp(cu_path_in(dir, OUTDIR_MARKER), NULL);
    ck_assert_msg(m != NULL, "%s lacks %s", dir, OUTDIR_MARKER);
    ck_assert_msg(strncmp(m, "fianza results directory, format 1\n", 35) == 0, "marker: %s", m);
    free(m);
}

/* What fianza may write: a new DIR inside an input's directory (results/NAME
 * next to the scenario), its own DIR again, an empty DIR; the inputs stay. */
START_TEST(test_allowed_targets)
{
    build_tree();
    ck_assert_int_eq(mkdir(at("empty"), 0755), 0);
    ck_assert_int_eq(mkdir(at("linked"), 0755), 0);
    ck_assert_int_eq(symlink("../linked", at("proj/lnk")), 0);
    char *inputs = snapshot(at("proj/data"));
    /* (a link may lead to DIR's parent: the rename stays inside that) */
    const char *targets[] = {"results/s", "results/s", at("empty"), "data/new", "lnk/res", "lnk/res"};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        run_result r;
        int rc = CU_RUN_IN(&r, at("proj"), 60, "simulate", "--allocation", "chicago=1000", "--replications", "50",
                           "--no-plots", "--quiet", "s.ini", "-o", targets[i]);
        ck_assert_msg(rc == 0, "-o %s: exit %d\n%s", targets[i], rc, r.err);
        cu_run_free(&r);
    }
    assert_results(at("proj/results/s"));
    assert_results(at("empty"));
    assert_results(at("proj/data/new"));
    assert_results(at("linked/res"));
    ck_assert_int_eq(cu_count_prefixed(at("linked"), "res."), 0);
    ck_assert_int_eq(cu_count_prefixed(at("proj/results"), "s."), 0);
    char *notes = cu_slurp(at("proj/notes.txt"), NULL);
    ck_assert_str_eq(notes, "do not lose me\n");
    free(notes);
    /* fit into a new directory next to its CSV, twice */
    for (int i = 0; i < 2; i++) {
        run_result r;
        int rc = CU_RUN_IN(&r, at("proj"), 60, "fit", "data/d.csv", "--column", "x", "--no-plots", "--quiet", "-o",
                           "data/fit");
        ck_assert_msg(rc == 0, "fit: exit %d\n%s", rc, r.err);
        cu_run_free(&r);
    }
    assert_results(at("proj/data/fit"));
    /* data/ gained only new/ and fit/: everything else byte for byte */
    cu_rm_tree(at("proj/data/new"));
    cu_rm_tree(at("proj/data/fit"));
    char *after = snapshot(at("proj/data"));
    ck_assert_str_eq(inputs, after);
    free(inputs);
    free(after);
}
END_TEST

/* Item 9: the directory and its files follow the umask (mkdtemp makes 0700). */
START_TEST(test_umask)
{
    build_tree();
    const mode_t masks[] = {022, 027, 077};
    for (size_t i = 0; i < 3; i++) {
        umask(masks[i]);
        run_result r;
        int rc = CU_RUN_IN(&r, at("proj"), 60, "simulate", "--allocation", "chicago=1000", "--replications", "50",
                           "--no-plots", "--quiet", "s.ini", "-o", "out");
        ck_assert_msg(rc == 0, "exit %d\n%s", rc, r.err);
        cu_run_free(&r);
        struct stat st;
        ck_assert_int_eq(stat(at("proj/out"), &st), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0777 & ~masks[i]);
        ck_assert_int_eq(stat(at("proj/out/summary.json"), &st), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~masks[i]);
    }
    umask(022);
}
END_TEST

/* A chain of 24 directories of 200-byte names (over 4,800 bytes: past
 * PATH_MAX) under dir, made with mkdirat so that no long path is needed. */
static void deep_chain(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(fd, 0);
    char name[201];
    memset(name, 'd', 200);
    name[200] = '\0';
    for (int i = 0; i < 24; i++) {
        ck_assert_int_eq(mkdirat(fd, name, 0755), 0);
        int f = openat(fd, "file", O_WRONLY | O_CREAT, 0644);
        ck_assert_int_ge(f, 0);
        ck_assert_int_eq(write(f, "x", 1), 1);
        close(f);
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY);
        ck_assert_int_ge(next, 0);
        close(fd);
        fd = next;
    }
    close(fd);
}

START_TEST(test_remove_deep_tree)
{
    build_tree();
    /* directly: a deep chain, a link to a directory outside (not followed) */
    const char *t = at("victim");
    ck_assert_int_eq(mkdir(t, 0755), 0);
    deep_chain(t);
    ck_assert_int_eq(symlink(at("other"), cu_path_in(t, "outside")), 0);
    ck_assert_int_eq(mkdir(cu_path_in(t, "w"), 0755), 0);
    for (int i = 0; i < 300; i++) {
        char n[PATH_MAX];
        snprintf(n, sizeof n, "%s/w/f%03d", t, i);
        cu_write_file(n, "y");
    }
    ck_assert_int_eq(outdir_remove_tree(t), 0);
    ck_assert(!cu_exists(t));
    ck_assert(cu_exists(at("other/b/c.txt")));
    /* through fianza: old results deeper than PATH_MAX are replaced */
    run_result r;
    const char *sim[] = {"simulate",
                         "--allocation",
                         "chicago=1000",
                         "--replications",
                         "50",
                         "--no-plots",
                         "--quiet",
                         "s.ini",
                         "-o",
                         "out",
                         NULL};
    ck_assert_msg(cu_run_v(&r, at("proj"), 60, sim) == 0, "%s", r.err);
    cu_run_free(&r);
    deep_chain(at("proj/out"));
    ck_assert_msg(cu_run_v(&r, at("proj"), 60, sim) == 0, "%s", r.err);
    cu_run_free(&r);
    assert_results(at("proj/out"));
    char name[201];
    memset(name, 'd', 200);
    name[200] = '\0';
    ck_assert(!cu_exists(cu_path_in(at("proj/out"), name)));
    ck_assert_int_eq(cu_count_prefixed(at("proj"), "out."), 0);
}
END_TEST

/* ---- signals ---- */

typedef struct killed_run {
    int exited, status, signaled;
    char *err;
} killed_run;

/* Starts fianza in cwd, sends sig after delay seconds (never when delay < 0),
 * with RLIMIT_FSIZE fsize when fsize >= 0, and waits.  With after_commit,
 * stdout is a full pipe, so that fianza blocks on its first table line
 * (after the commit), and sig goes once out/old-token has gone. */
static void run_killed_ex(killed_run *k, const char *cwd, const char *const *args, double delay, int sig, long fsize,
                          int after_commit)
{
    int errfd = cu_capture_fd(), pipefd[2] = {-1, -1};
    if (after_commit) {
        ck_assert_int_eq(pipe(pipefd), 0);
        int fl = fcntl(pipefd[1], F_GETFL);
        fcntl(pipefd[1], F_SETFL, fl | O_NONBLOCK);
        char junk[4096];
        memset(junk, 'j', sizeof junk);
        while (write(pipefd[1], junk, sizeof junk) > 0)
            ;
        fcntl(pipefd[1], F_SETFL, fl);
    }
    const char *argv[32] = {FZ_BIN};
    for (int i = 0; args[i]; i++)
        argv[i + 1] = args[i];
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(after_commit ? pipefd[1] : null, 1);
        dup2(errfd, 2);
        if (fsize >= 0) {
            struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        if (chdir(cwd) != 0)
            _exit(126);
        execv(FZ_BIN, (char *const *)argv);
        _exit(127);
    }
    if (after_commit) {
        close(pipefd[1]);
        double t0 = cu_now();
        while (cu_exists(at("proj/out/old-token")) && cu_now() - t0 < 60 * cu_time_scale())
            nanosleep(&(struct timespec){0, 2000000}, NULL);
        nanosleep(&(struct timespec){0, 50000000}, NULL);
        kill(pid, sig);
    } else if (delay >= 0) {
        nanosleep(&(struct timespec){(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)}, NULL);
        kill(pid, sig);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    k->exited = WIFEXITED(status);
    k->status = k->exited ? WEXITSTATUS(status) : -1;
    k->signaled = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    size_t n;
    k->err = cu_read_fd(errfd, &n);
    close(errfd);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
}

static void run_killed(killed_run *k, const char *cwd, const char *const *args, double delay, int sig, long fsize)
{
    run_killed_ex(k, cwd, args, delay, sig, fsize, 0);
}

/* out/ holds a marked old run with a token file before each try. */
static void old_results(void)
{
    cu_rm_tree(at("proj/out"));
    ck_assert_int_eq(mkdir(at("proj/out"), 0755), 0);
    cu_write_file(at("proj/out/" OUTDIR_MARKER), "fianza results directory, format 1\n");
    cu_write_file(at("proj/out/old-token"), "previous run\n");
}

/* The outcome as the files show it must be the one the status and message
 * report; nothing but out/ may be left next to it. */
static void check_outcome(const killed_run *k, int sig, const char *what)
{
    int rewritten = !cu_exists(at("proj/out/old-token"));
    ck_assert_msg(cu_count_prefixed(at("proj"), "out.") == 0, "%s: debris out.tmp-*/out.old-* left\n%s", what, k->err);
    ck_assert_msg(cu_exists(at("proj/out")), "%s: out/ is gone", what);
    if (k->signaled) { /* before main installed its handler */
        ck_assert_msg(!rewritten, "%s: killed by signal %d, yet out/ was rewritten", what, k->signaled);
        return;
    }
    ck_assert_msg(k->exited, "%s: neither exited nor signaled", what);
    if (k->status == 0) {
        ck_assert_msg(rewritten, "%s: exit 0 but out/ is the old run", what);
        assert_results(at("proj/out"));
        return;
    }
    ck_assert_msg(k->status == 128 + sig, "%s: exit %d, expected %d\n%s", what, k->status, 128 + sig, k->err);
    if (rewritten) {
        ck_assert_msg(strstr(k->err, "interrupted after the results were committed to out") != NULL,
                      "%s: out/ rewritten, but stderr says:\n%s", what, k->err);
        assert_results(at("proj/out"));
    } else {
        ck_assert_msg(strstr(k->err, "interrupted: no results written") != NULL,
                      "%s: out/ not rewritten, but stderr says:\n%s", what, k->err);
    }
}

START_TEST(test_signals_random)
{
    build_tree();
    write_scenario(at("proj/s.ini"), 3000);
    const char *args[] = {"simulate", "--allocation", "chicago=1000", "--threads", "2", "s.ini", "-o", "out", NULL};
    killed_run k;
    double T = 0; /* the longest of three whole runs */
    for (int i = 0; i < 3; i++) {
        old_results();
        double t0 = cu_now();
        run_killed(&k, at("proj"), args, -1, 0, -1);
        T = fmax(T, cu_now() - t0);
        ck_assert_msg(k.exited && k.status == 0, "unkilled run: %s", k.err);
        free(k.err);
    }
    unsigned seed = 20251201;
    int outcomes[3] = {0, 0, 0};
    for (int i = 0; i < 44; i++) {
        int sig = i % 11 == 10 ? SIGHUP : SIGTERM;
        double delay = T * 1.5 * (double)rand_r(&seed) / RAND_MAX;
        old_results();
        run_killed(&k, at("proj"), args, delay, sig, -1);
        char what[96];
        snprintf(what, sizeof what, "try %d: signal %d after %.3f s of %.3f", i, sig, delay, T);
        check_outcome(&k, sig, what);
        outcomes[k.status == 0 ? 0 : cu_exists(at("proj/out/old-token")) ? 1 : 2]++;
        free(k.err);
    }
    /* the times covered both outcomes: not written, and finished */
    ck_assert_msg(outcomes[1] > 0 && outcomes[0] + outcomes[2] > 0, "outcomes %d %d %d", outcomes[0], outcomes[1],
                  outcomes[2]);
}
END_TEST

/* A signal after the commit (fianza blocked writing its table) is reported
 * as such: exit 143, "committed to out", out/ is the new run. */
START_TEST(test_signal_after_commit)
{
    /* Under valgrind (scripts/test.sh valgrind) a signal to a process blocked
     * writing to a full pipe is held by valgrind until the write returns,
     * which it never does here: the case is left to the native runs. */
    if (getenv("FIANZA_TEST_VALGRIND"))
        return;
    build_tree();
    const char *args[] = {"simulate", "--allocation", "chicago=1000", "--no-plots", "s.ini", "-o", "out", NULL};
    const int sigs[] = {SIGTERM, SIGHUP, SIGINT};
    for (size_t i = 0; i < 3; i++) {
        old_results();
        killed_run k;
        run_killed_ex(&k, at("proj"), args, -1, sigs[i], -1, 1);
        ck_assert_msg(k.exited && k.status == 128 + sigs[i], "signal %d: exit %d\n%s", sigs[i], k.status, k.err);
        ck_assert(!cu_exists(at("proj/out/old-token")));
        check_outcome(&k, sigs[i], "after the commit");
        free(k.err);
    }
}
END_TEST

/* ulimit -f: replications.csv outgrows the limit, SIGXFSZ: exit 153, out/ kept. */
START_TEST(test_sigxfsz)
{
    /* Under valgrind the file-size limit also stops valgrind's own log
     * writes, so the case is left to the native and ASan runs. */
    if (getenv("FIANZA_TEST_VALGRIND"))
        return;
    build_tree();
    write_scenario(at("proj/s.ini"), 3000);
    const char *args[] = {"simulate", "--allocation", "chicago=1000", "s.ini", "-o", "out", NULL};
    /* (under 100 bytes not even the message fits in stderr's file) */
    const long limits[] = {0, 150, 2000, 20000};
    for (size_t i = 0; i < 4; i++) {
        old_results();
        killed_run k;
        run_killed(&k, at("proj"), args, -1, 0, limits[i]);
        char what[64];
        snprintf(what, sizeof what, "RLIMIT_FSIZE %ld", limits[i]);
        ck_assert_msg(k.exited && k.status == 128 + SIGXFSZ, "%s: exit %d\n%s", what, k.status, k.err);
        if (limits[i] > 0)
            check_outcome(&k, SIGXFSZ, what);
        ck_assert_int_eq(cu_count_prefixed(at("proj"), "out."), 0);
        ck_assert(cu_exists(at("proj/out/old-token")));
        free(k.err);
    }
}
END_TEST

Suite *make_outdir_suite(void)
{
    Suite *s = suite_create("outdir");
    TCase *tc = tcase_create("outdir");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_inputs_refused);
    tcase_add_test(tc, test_foreign_dirs_refused);
    tcase_add_test(tc, test_long_path_message);
    tcase_add_test(tc, test_allowed_targets);
    tcase_add_test(tc, test_umask);
    tcase_add_test(tc, test_remove_deep_tree);
    tcase_add_test(tc, test_signals_random);
    tcase_add_test(tc, test_signal_after_commit);
    tcase_add_test(tc, test_sigxfsz);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(outdir)
