/* plot: templates, quoting and the gnuplot process (plot.h). */
#define _GNU_SOURCE
#include "plot.h"

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

#include "fz_util.h"

extern char **environ;

/* The gnuplot child being waited for (0: none), for plot_signal_stop.  It
 * leads its own process group, so that killing the group also stops anything
 * it started (a wrapper script's children). */
static volatile sig_atomic_t g_child;

/* Kills the group and reaps its leader (async-signal-safe). */
static void stop_child(pid_t pid, int *status)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL); /* in case it left its group */
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

void plot_signal_stop(void)
{
    pid_t pid = (pid_t)g_child;
    if (pid > 0) {
        int saved = errno, status;
        stop_child(pid, &status);
        g_child = 0;
        errno = saved;
    }
}

char *plot_quote(const char *text)
{
    size_t n = strlen(text);
    char *q = malloc(2 * n + 3), *p = q;
    if (!q)
        return NULL;
    *p++ = '\'';
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == '\'')
            *p++ = '\'';
        *p++ = *s < 0x20 || *s == 0x7f ? ' ' : (char)*s;
    }
    *p++ = '\'';
    *p = '\0';
    return q;
}

static const char *find_template(const char *name)
{
    for (const plot_template *t = plot_templates; t->name; t++)
        if (!strcmp(t->name, name))
            return t->text;
    return NULL;
}

static int write_filled(outdir *o, const char *name, const char *text, const plot_var *vars, size_t nvars,
                        fz_error *err)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gp", name);
    FILE *f = outdir_open(o, file, err);
    if (!f)
        return FZ_ERUNTIME;
    for (const char *p = text; *p;) {
        const char *at = strchr(p, '@');
        const char *end = at ? strchr(at + 1, '@') : NULL;
        size_t i = nvars;
        if (end)
            for (i = 0; i < nvars; i++)
                if (strlen(vars[i].key) == (size_t)(end - at - 1) &&
                    !strncmp(at + 1, vars[i].key, (size_t)(end - at - 1)))
                    break;
        if (!at || !end || i == nvars) { /* no placeholder here: copy through the '@' */
            size_t n = at ? (size_t)(at - p) + 1 : strlen(p);
            fwrite(p, 1, n, f);
            p += n;
            continue;
        }
        fwrite(p, 1, (size_t)(at - p), f);
        fputs(vars[i].value, f);
        p = end + 1;
    }
    return outdir_close(f, file, err);
}

int plot_script(outdir *o, const char *name, const plot_var *vars, size_t nvars, fz_error *err)
{
    const char *theme = find_template("theme"), *text = find_template(name);
    if (!theme || !text)
        return fz_fail(err, FZ_ERUNTIME, "no chart template '%s' in this build", name);
    int rc = write_filled(o, "theme", theme, NULL, 0, err);
    return rc ? rc : write_filled(o, name, text, vars, nvars, err);
}

double plot_timeout(int quiet)
{
    const char *v = getenv("FIANZA_GNUPLOT_TIMEOUT");
    if (!v || !*v)
        return PLOT_TIMEOUT_DEFAULT;
    char *end;
    double t = strtod(v, &end);
    if (end != v && !*end && t > 0 && t <= PLOT_TIMEOUT_MAX)
        return t;
    if (!quiet)
        fprintf(stderr,
                "fianza: warning: FIANZA_GNUPLOT_TIMEOUT=%.40s: expected seconds in (0, %d]; using %d s per chart\n", v,
                PLOT_TIMEOUT_MAX, PLOT_TIMEOUT_DEFAULT);
    return PLOT_TIMEOUT_DEFAULT;
}

/* Starts `gnuplot script` in dir (stdin /dev/null, output to gnuplot.log) in
 * a process group of its own.  All signals are blocked from before the spawn
 * until g_child holds the pid, so that a signal handler always sees the
 * child it has to stop; the child gets the old mask back.  Returns 0 or an
 * errno value. */
static int spawn_gnuplot(pid_t *pid, const char *dir, char *script)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return ENOMEM;
    if (posix_spawnattr_init(&at) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return ENOMEM;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    int e = posix_spawn_file_actions_addchdir_np(&fa, dir);
    if (!e)
        e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (!e)
        e = posix_spawn_file_actions_addopen(&fa, 1, "gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (!e)
        e = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (!e)
        e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (!e)
        e = posix_spawnattr_setpgroup(&at, 0);
    sigset_t dfl; /* fianza ignores SIGPIPE (main.c); gnuplot gets the default back */
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    if (!e)
        e = posix_spawnattr_setsigdefault(&at, &dfl);
    if (!e)
        e = posix_spawnattr_setsigmask(&at, &old);
    char *argv[] = {"gnuplot", script, NULL};
    if (!e)
        e = posix_spawnp(pid, "gnuplot", &fa, &at, argv, environ);
    if (!e)
        g_child = *pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return e;
}

/* Waits for the child in g_child for at most limit seconds, polling with
 * naps that grow from 1 ms to 50 ms (a quick chart costs little latency).
 * The child is seen exiting with WNOWAIT and g_child cleared while it is
 * still an unreaped zombie, so a signal handler never kills a pid that may
 * have been reused.  Returns 1 when it ended (*status), 0 when the limit
 * passed and it was killed, -1 when it could not be waited for (errno). */
static int wait_limited(pid_t pid, double limit, int *status)
{
    double start = fz_seconds();
    long nap = 1000000;
    int rc;
    for (;;) {
        siginfo_t info;
        info.si_pid = 0;
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        if (info.si_pid == pid) {
            g_child = 0;
            while ((rc = waitpid(pid, status, 0) < 0 ? -1 : 1) < 0 && errno == EINTR)
                ;
            return rc;
        }
        if (fz_seconds() - start >= limit) {
            stop_child(pid, status);
            rc = 0;
            break;
        }
        struct timespec t = {0, nap};
        nanosleep(&t, NULL);
        nap = nap < 50000000 ? 2 * nap : nap;
    }
    g_child = 0;
    return rc;
}

/* A chart whose gnuplot run failed may be half written: remove its renders
 * (the report then says it was not drawn; script and data stay). */
static void remove_renders(outdir *o, const char *name)
{
    char file[256];
    snprintf(file, sizeof file, "%s.png", name);
    unlink(outdir_file(o, file));
    snprintf(file, sizeof file, "%s.svg", name);
    unlink(outdir_file(o, file));
}

/* Appends ", NAME.gp" to a list of failed scripts (cut with "..." when full). */
static void note_failed(char *list, size_t size, const char *name)
{
    size_t n = strlen(list);
    if (n + strlen(name) + 8 < size)
        snprintf(list + n, size - n, "%s%s.gp", n ? ", " : "", name);
    else if (n + 5 < size && (n < 3 || strcmp(list + n - 3, "...")))
        snprintf(list + n, size - n, ", ...");
}

int plot_render(outdir *o, const char *const *names, size_t n, int quiet, fz_error *err)
{
    (void)err; /* every gnuplot fault is a warning: the results stand without charts */
    static int warned_unrunnable;
    char dir[4200], failed[512] = "", how[64] = "";
    snprintf(dir, sizeof dir, "%s", outdir_file(o, ""));
    double limit = n ? plot_timeout(quiet) : 0;
    for (size_t i = 0; i < n; i++) {
        char script[256];
        snprintf(script, sizeof script, "%s.gp", names[i]);
        pid_t pid;
        int e = spawn_gnuplot(&pid, dir, script), status = 0;
        int ended = e ? -1 : wait_limited(pid, limit, &status);
        if (!e && ended == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
            e = ENOEXEC; /* a C library that reports exec failures as exit 127 of the child */
        if (e) {
            if (!warned_unrunnable && !quiet) {
                if (e == ENOENT)
                    fprintf(stderr, "fianza: warning: gnuplot not found on PATH: charts not drawn "
                                    "(data and .gp scripts are in the results directory)\n");
                else
                    fprintf(stderr,
                            "fianza: warning: gnuplot could not be run (%s): charts not drawn "
                            "(data and .gp scripts are in the results directory)\n",
                            strerror(e));
            }
            warned_unrunnable = 1;
            return 0;
        }
        if (ended == 0) { /* the charts after this one would likely hang as well: stop here */
            remove_renders(o, names[i]);
            if (!quiet) {
                fprintf(stderr,
                        "fianza: warning: gnuplot did not finish %s within %g s (FIANZA_GNUPLOT_TIMEOUT) "
                        "and was stopped: %zu chart(s) not drawn",
                        script, limit, n - i);
                if (*failed)
                    fprintf(stderr, "; it failed earlier on %s (%s; see gnuplot.log)", failed, how);
                fprintf(stderr, " (data and .gp scripts are in the results directory)\n");
            }
            return 0;
        }
        if (ended < 0) {
            if (!quiet)
                fprintf(stderr, "fianza: warning: waiting for gnuplot on %s: %s: charts not drawn\n", script,
                        strerror(errno));
            return 0;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            remove_renders(o, names[i]);
            note_failed(failed, sizeof failed, names[i]);
            if (!*how) {
                if (WIFEXITED(status))
                    snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
                else
                    snprintf(how, sizeof how, "killed by signal %d, %s", WTERMSIG(status), strsignal(WTERMSIG(status)));
            }
        }
    }
    if (*failed && !quiet)
        fprintf(stderr,
                "fianza: warning: gnuplot failed on %s (%s; see gnuplot.log): not drawn (data and .gp "
                "scripts are in the results directory)\n",
                failed, how);
    return 0;
}
