/* cli_util.h: helpers for suites that run programs (the built fianza, or
 * gnuplot) as child processes and look at the files they write.
 *
 * Compiled into every test executable (tests/CMakeLists.txt); the suites that
 * need it include this header.  Failures are Check assertions, so these
 * functions are meant to be called from inside a test.
 *
 * Files: one mkdtemp directory cu_work per test case, made and removed by
 * cu_work_setup/cu_work_teardown (add them as an unchecked fixture, which runs
 * in the parent process, so the directory goes even when a test fails).
 * cu_test_dir makes a fresh subdirectory for one test; cu_path_in joins paths
 * into buffers that stay valid until the next cu_test_dir.
 *
 * Processes: cu_run_prog runs a program with posix_spawn (an argument vector,
 * no shell), stdin from /dev/null, stdout and stderr captured in unlinked
 * temporary files, in a given working directory and environment, and waits
 * for it, killing it after a timeout (stretched under valgrind, see
 * cu_time_scale).  cu_run_v runs FZ_BIN in the inherited environment;
 * cu_run_env replaces or adds "NAME=VALUE" entries (e.g. a PATH without
 * gnuplot). */
#ifndef FZ_CLI_UTIL_H
#define FZ_CLI_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* ---- files ---- */

extern char cu_work[128];

void cu_work_setup(void);
void cu_work_teardown(void);
void cu_rm_tree(const char *path);

/* A fresh directory cu_work/NAME for one test (static buffer). */
const char *cu_test_dir(const char *name);

/* dir/name, in a pool of buffers that cu_test_dir empties: paths stay valid
 * for the whole test. */
const char *cu_path_in(const char *dir, const char *name);

void cu_write_file(const char *path, const char *text);

/* The two-region test scenario (Chicago, Kansas City) with the given
 * replications, as text, and written as dir/two.ini (returns its path). */
const char *cu_two_regions(int replications);
const char *cu_two_ini(const char *dir, int replications);

/* cu_two_ini in a fresh cu_test_dir("scen"), loaded (scenario_load must
 * succeed); free it with scenario_free. */
struct scenario *cu_load_two(int replications);

/* Whole file, NUL-terminated, malloc'd; NULL if it does not exist. */
char *cu_slurp(const char *path, size_t *len);

int cu_exists(const char *path);

/* Entries of dir whose name starts with prefix (for DIR, DIR.tmp-*, DIR.old-*). */
int cu_count_prefixed(const char *dir, const char *prefix);

/* Entries of dir whose name ends with suffix. */
int cu_count_suffixed(const char *dir, const char *suffix);

size_t cu_count_lines(const char *text);

/* ---- JSON ---- */

json_t *cu_load_json(const char *path);

/* The value at a dotted path ("releases.ci95"; a number indexes an array:
 * "variants.1.pooled"), which must exist. */
json_t *cu_json_at(json_t *root, const char *path);

/* The number at a dotted path, which must exist and be a number. */
double cu_json_num(json_t *root, const char *path);

/* hi - lo of the [lo, hi] array at a dotted path, which must exist. */
double cu_json_ci_width(json_t *root, const char *path);

/* ---- processes ---- */

typedef struct run_result {
    int status; /* exit status; -1 if killed by a signal */
    char *out, *err;
    size_t nout, nerr;
    double seconds;
} run_result;

double cu_now(void);

/* Timeouts stretch under valgrind: CK_TIMEOUT_MULTIPLIER, as for Check's own
 * timeouts, or x20 when valgrind's preload library is present. */
double cu_time_scale(void);

/* Reads fd from its start to its end (NUL-terminated, malloc'd). */
char *cu_read_fd(int fd, size_t *len);

/* An unlinked temporary file in cu_work, open for reading and writing. */
int cu_capture_fd(void);

/* Runs prog (a path: no PATH search) with args (NULL-terminated, without
 * argv[0]) in directory cwd (NULL: ours), with environ changed by env (NULL,
 * or NULL-terminated "NAME=VALUE" entries that replace or add), killing it
 * after timeout seconds.  Returns its exit status; free r with cu_run_free. */
int cu_run_prog(run_result *r, const char *prog, const char *cwd, double timeout, const char *const *env,
                const char *const *args);

/* cu_run_prog of FZ_BIN. */
int cu_run_env(run_result *r, const char *cwd, double timeout, const char *const *env, const char *const *args);
int cu_run_v(run_result *r, const char *cwd, double timeout, const char *const *args);

void cu_run_free(run_result *r);

#define CU_RUN_IN(r, cwd, timeout, ...) cu_run_v((r), (cwd), (timeout), (const char *const[]){__VA_ARGS__, NULL})
#define CU_RUN(r, ...) CU_RUN_IN((r), NULL, 60, __VA_ARGS__)

#endif
