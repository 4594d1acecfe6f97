/* cli_util: child processes and files for the test suites (cli_util.h). */
#define _GNU_SOURCE
#include "cli_util.h"
#include "scenario.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fz_util.h"

#include "check_common.h"

extern char **environ;

/* ---- temporary directory ---- */

char cu_work[128];

void cu_work_setup(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(cu_work, sizeof cu_work, "%s/fz_test_XXXXXX", base && *base && strlen(base) < 80 ? base : "/tmp");
    if (!mkdtemp(cu_work)) {
        perror("mkdtemp");
        abort();
    }
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void cu_rm_tree(const char *path) { nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

void cu_work_teardown(void)
{
    if (cu_work[0])
        cu_rm_tree(cu_work);
    cu_work[0] = '\0';
}

static char path_pool[256][512];
static int path_used;

const char *cu_test_dir(const char *name)
{
    static char buf[256];
    path_used = 0;
    snprintf(buf, sizeof buf, "%s/%s", cu_work, name);
    cu_rm_tree(buf);
    ck_assert_msg(mkdir(buf, 0700) == 0, "mkdir %s: %s", buf, strerror(errno));
    return buf;
}

const char *cu_path_in(const char *dir, const char *name)
{
    ck_assert_int_lt(path_used, 256);
    char tmp[512], *b = path_pool[path_used++];
    snprintf(tmp, sizeof tmp, "%s/%s", dir, name); /* dir may be a pool buffer */
    memcpy(b, tmp, sizeof tmp);
    return b;
}

void cu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

char *cu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            buf = realloc(buf, cap *= 2);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int cu_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int count_matching(const char *dir, const char *fix, int suffix)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
    size_t k = strlen(fix);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        n += suffix ? len >= k && strcmp(e->d_name + len - k, fix) == 0 : strncmp(e->d_name, fix, k) == 0;
    }
    closedir(d);
    return n;
}

int cu_count_prefixed(const char *dir, const char *prefix) { return count_matching(dir, prefix, 0); }

int cu_count_suffixed(const char *dir, const char *suffix) { return count_matching(dir, suffix, 1); }

size_t cu_count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* ---- JSON ---- */

json_t *cu_load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    ck_assert_msg(j != NULL, "%s:%d: %s", path, je.line, je.text);
    return j;
}

json_t *cu_json_at(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *j = root;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
        if (json_is_array(j) && strspn(k, "0123456789") == strlen(k)) { /* "variants.1.pooled" */
            j = json_array_get(j, strtoul(k, NULL, 10));
            ck_assert_msg(j != NULL, "summary.json lacks %s", path);
            continue;
        }
        ck_assert_msg(json_is_object(j), "%s: '%s' is not inside an object", path, k);
        j = json_object_get(j, k);
        ck_assert_msg(j != NULL, "summary.json lacks %s", path);
    }
    return j;
}

double cu_json_num(json_t *root, const char *path)
{
    json_t *j = cu_json_at(root, path);
    ck_assert_msg(json_is_number(j), "%s is not a number", path);
    return json_number_value(j);
}

double cu_json_ci_width(json_t *root, const char *path)
{
    json_t *ci = cu_json_at(root, path);
    ck_assert_msg(json_is_array(ci) && json_array_size(ci) == 2, "%s is not a [lo, hi] pair", path);
    return json_number_value(json_array_get(ci, 1)) - json_number_value(json_array_get(ci, 0));
}

/* ---- running programs ---- */

double cu_now(void) { return fz_seconds(); }

char *cu_read_fd(int fd, size_t *len)
{
    ck_assert(lseek(fd, 0, SEEK_SET) == 0);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (cap - n < 2) {
            buf = realloc(buf, cap *= 2);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        ck_assert(got >= 0);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int cu_capture_fd(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/capture_XXXXXX", cu_work);
    int fd = mkstemp(path);
    ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
    unlink(path);
    return fd;
}

/* fianza's progress lines (stderr not a terminal: plain mode) off in every
 * child, so that suites can assert on stderr exactly; check_progress turns
 * them on again (cu_run_env with FIANZA_PROGRESS=auto). */
__attribute__((constructor)) static void cu_progress_off(void) { setenv("FIANZA_PROGRESS", "off", 1); }

double cu_time_scale(void)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER"), *pre = getenv("LD_PRELOAD");
    double k = m ? atof(m) : 0;
    if (k >= 1)
        return k;
    return pre && strstr(pre, "vgpreload") ? 20 : 1;
}

/* environ with the "NAME=VALUE" entries of env replacing or added to it
 * (the strings are shared, only the array is malloc'd). */
static char **make_env(const char *const *env)
{
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    while (env[k])
        k++;
    char **out = malloc((n + k + 1) * sizeof *out);
    ck_assert_ptr_nonnull(out);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int replaced = 0;
        for (size_t j = 0; j < k && !replaced; j++) {
            const char *eq = strchr(env[j], '=');
            ck_assert_msg(eq != NULL, "environment entry '%s' lacks '='", env[j]);
            size_t len = (size_t)(eq - env[j]) + 1;
            replaced = strncmp(environ[i], env[j], len) == 0;
        }
        if (!replaced)
            out[m++] = environ[i];
    }
    for (size_t j = 0; j < k; j++)
        out[m++] = (char *)env[j];
    out[m] = NULL;
    return out;
}

int cu_run_prog(run_result *r, const char *prog, const char *cwd, double timeout, const char *const *env,
                const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = prog;
    while (args[n - 1]) {
        ck_assert_uint_lt(n, 63);
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    int out = cu_capture_fd(), err = cu_capture_fd();
    int in = open("/dev/null", O_RDONLY);
    ck_assert(in >= 0);
    posix_spawn_file_actions_t fa;
    ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
    ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, in, 0), 0);
    ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, out, 1), 0);
    ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, err, 2), 0);
    if (cwd)
        ck_assert_int_eq(posix_spawn_file_actions_addchdir_np(&fa, cwd), 0);
    char **envp = env ? make_env(env) : environ;
    pid_t pid;
    timeout *= cu_time_scale();
    double t0 = cu_now();
    int rc = posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (envp != environ)
        free(envp);
    ck_assert_msg(rc == 0, "posix_spawn %s: %s", prog, strerror(rc));
    int status, killed = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        ck_assert_msg(w == 0, "waitpid: %s", strerror(errno));
        if (!killed && cu_now() - t0 > timeout) {
            kill(pid, SIGKILL);
            killed = 1;
        }
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    }
    r->seconds = cu_now() - t0;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r->out = cu_read_fd(out, &r->nout);
    r->err = cu_read_fd(err, &r->nerr);
    close(in);
    close(out);
    close(err);
    ck_assert_msg(!killed, "%s %s did not finish in %.0f s", prog, argv[1] ? argv[1] : "", timeout);
    return r->status;
}

int cu_run_env(run_result *r, const char *cwd, double timeout, const char *const *env, const char *const *args)
{
    return cu_run_prog(r, FZ_BIN, cwd, timeout, env, args);
}

int cu_run_v(run_result *r, const char *cwd, double timeout, const char *const *args)
{
    return cu_run_prog(r, FZ_BIN, cwd, timeout, NULL, args);
}

void cu_run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *cu_two_regions(int replications)
{
    static char text[1024];
    snprintf(text, sizeof text,
             "[fund]\nbudget_usd = 300000\nhorizon_days = 90\ntarget_releases = 150\n"
             "[simulation]\nreplications = %d\nseed = 20251218\n"
             "[region.chicago]\nlabel = Chicago\ninitial_detained = 150\narrivals_per_day = 2.5\n"
             "bond_grant_prob = 0.6\nbond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\n"
             "max_bond_paid_usd = 25000\nhearing_delay_days = gamma(mean=14, sd=7)\n"
             "release_delay_days = fixed(1)\nremoval_hazard_per_day = 0.005\nfamily_pays_prob = 0.2\n"
             "[region.kansas_city]\nlabel = Kansas City\ninitial_detained = 60\narrivals_per_day = 1\n"
             "bond_grant_prob = 0.5\nbond_usd = lognormal(median=4000, sigma=0.6, min=1500)\n"
             "hearing_delay_days = uniform(min=3, max=25)\n",
             replications);
    return text;
}

const char *cu_two_ini(const char *dir, int replications)
{
    const char *p = cu_path_in(dir, "two.ini");
    cu_write_file(p, cu_two_regions(replications));
    return p;
}

scenario *cu_load_two(int replications)
{
    scenario *s = NULL;
    fz_error err = {0, ""};
    int rc = scenario_load(&s, cu_two_ini(cu_test_dir("scen"), replications), NULL, 0, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    return s;
}
