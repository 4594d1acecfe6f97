/* plot: templates, quoting and the gnuplot process (plot.h). */
#define _GNU_SOURCE
#include "plot.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* The gnuplot child being waited for (0: none), for plot_signal_stop. */
static volatile sig_atomic_t g_child;

void plot_signal_stop(void)
{
    pid_t pid = (pid_t)g_child;
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        g_child = 0;
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
                if (strlen(vars[i].key) == (size_t)(end - at - 1) && !strncmp(at + 1, vars[i].key, (size_t)(end - at - 1)))
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

int plot_render(outdir *o, const char *const *names, size_t n, int quiet, fz_error *err)
{
    static int warned_missing;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", outdir_file(o, ""));
    for (size_t i = 0; i < n; i++) {
        char script[256];
        snprintf(script, sizeof script, "%s.gp", names[i]);
        posix_spawn_file_actions_t fa;
        if (posix_spawn_file_actions_init(&fa) != 0)
            return fz_fail(err, FZ_ERUNTIME, "cannot start gnuplot: out of memory");
        posix_spawn_file_actions_addchdir_np(&fa, dir);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        char *argv[] = {"gnuplot", script, NULL};
        pid_t pid;
        int e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (e == ENOENT) {
            if (!warned_missing && !quiet)
                fprintf(stderr, "fianza: warning: gnuplot not found on PATH: charts not drawn "
                                "(data and .gp scripts are in the results directory)\n");
            warned_missing = 1;
            return 0;
        }
        if (e != 0)
            return fz_fail(err, FZ_ERUNTIME, "cannot run gnuplot: %s", strerror(e));
        g_child = pid;
        int status;
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR) {
                g_child = 0;
                return fz_fail(err, FZ_ERUNTIME, "waiting for gnuplot: %s", strerror(errno));
            }
        g_child = 0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (WIFEXITED(status) && WEXITSTATUS(status) == 127) { /* exec failed in the child */
                if (!warned_missing && !quiet)
                    fprintf(stderr, "fianza: warning: gnuplot could not be run: charts not drawn\n");
                warned_missing = 1;
                return 0;
            }
            if (!quiet)
                fprintf(stderr, "fianza: warning: gnuplot failed on %s (see gnuplot.log)\n", script);
        }
    }
    return 0;
}
