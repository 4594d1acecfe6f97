/* outdir: atomic results directories (outdir.h). */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "par.h"

struct outdir {
    int null; /* MPI ranks other than 0: every file goes to /dev/null */
    char final[PATH_MAX];
    char tmp[PATH_MAX];
    char file[PATH_MAX];
};

/* The open temporary directory, for outdir_signal_cleanup. */
static char g_tmp[PATH_MAX];

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int begin(outdir **out, const char *final_path, fz_error *err)
{
    *out = NULL;
    size_t n = strlen(final_path);
    while (n > 1 && final_path[n - 1] == '/')
        n--;
    if (n == 0 || n + 16 >= PATH_MAX)
        return fz_fail(err, FZ_EINPUT, "-o '%s': not a usable directory name", final_path);
    /* The results directory is replaced whole at the end (rename), which "/",
     * "." and ".." (or a path ending in them) cannot be: refuse them now,
     * before any simulation, rather than fail after it. */
    const char *last = final_path + n;
    while (last > final_path && last[-1] != '/')
        last--;
    size_t lastn = (size_t)(final_path + n - last);
    if ((n == 1 && final_path[0] == '/') || (lastn == 1 && last[0] == '.') ||
        (lastn == 2 && last[0] == '.' && last[1] == '.'))
        return fz_fail(err, FZ_EINPUT,
                       "-o %s: not a usable directory name (the results directory is replaced whole: "
                       "name a directory of its own, such as results/NAME)",
                       final_path);
    outdir *o = calloc(1, sizeof *o);
    if (!o)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    memcpy(o->final, final_path, n);
    o->final[n] = '\0';
    struct stat st;
    if (stat(o->final, &st) == 0 && !S_ISDIR(st.st_mode)) {
        free(o);
        return fz_fail(err, FZ_EINPUT, "-o %s: exists and is not a directory", final_path);
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", o->final);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir_p(parent) != 0) {
            int e = errno;
            free(o);
            return fz_fail(err, FZ_EINPUT, "-o %s: cannot create %s: %s", final_path, parent, strerror(e));
        }
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", o->final);
    if (!mkdtemp(o->tmp)) {
        int e = errno;
        free(o);
        return fz_fail(err, FZ_EINPUT, "-o %s: cannot write there: %s", final_path, strerror(e));
    }
    snprintf(g_tmp, sizeof g_tmp, "%s", o->tmp);
    *out = o;
    return 0;
}

/* Under MPI only rank 0 creates the directory; the other ranks get a handle
 * whose files go to /dev/null.  All ranks then agree on the status, so that
 * none goes on into the simulation (and its collectives) when rank 0 failed. */
int outdir_begin(outdir **out, const char *final_path, fz_error *err)
{
    int rc;
    *out = NULL;
    if (par_rank() == 0) {
        rc = begin(out, final_path, err);
    } else if (!(*out = calloc(1, sizeof **out))) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    } else {
        (*out)->null = 1;
        snprintf((*out)->final, sizeof (*out)->final, "%s", final_path);
        snprintf((*out)->tmp, sizeof (*out)->tmp, "/dev/null");
        rc = 0;
    }
    if ((rc = par_agree(rc, err))) {
        outdir_abort(*out);
        *out = NULL;
    }
    return rc;
}

const char *outdir_file(outdir *o, const char *name)
{
    snprintf(o->file, sizeof o->file, "%s/%s", o->tmp, name);
    return o->file;
}

const char *outdir_final(const outdir *o) { return o->final; }

FILE *outdir_open(outdir *o, const char *name, fz_error *err)
{
    FILE *f = fopen(o->null ? "/dev/null" : outdir_file(o, name), "w");
    if (!f)
        fz_fail(err, FZ_ERUNTIME, "%s/%s: cannot write: %s", o->final, name, strerror(errno));
    return f;
}

int outdir_close(FILE *f, const char *name, fz_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fz_fail(err, FZ_ERUNTIME, "%s: write failed (disk full?)", name);
    return 0;
}

int outdir_commit(outdir *o, fz_error *err)
{
    if (!o)
        return 0;
    if (o->null) {
        free(o);
        return 0;
    }
    char old[PATH_MAX + 16] = "";
    struct stat st;
    if (stat(o->final, &st) == 0) {
        snprintf(old, sizeof old, "%s.old-XXXXXX", o->final);
        if (!mkdtemp(old) || rename(o->final, old) != 0) {
            int e = errno;
            if (old[0])
                rmdir(old);
            /* the message first: outdir_abort frees o */
            fz_fail(err, FZ_ERUNTIME, "%s: cannot replace the old results: %s", o->final, strerror(e));
            outdir_abort(o);
            return FZ_ERUNTIME;
        }
    }
    if (rename(o->tmp, o->final) != 0) {
        int e = errno;
        if (old[0])
            rename(old, o->final);
        fz_fail(err, FZ_ERUNTIME, "%s: cannot move the results into place: %s", o->final, strerror(e));
        outdir_abort(o);
        return FZ_ERUNTIME;
    }
    if (old[0])
        remove_tree(old);
    g_tmp[0] = '\0';
    free(o);
    return 0;
}

void outdir_abort(outdir *o)
{
    if (!o)
        return;
    if (o->null) {
        free(o);
        return;
    }
    remove_tree(o->tmp);
    g_tmp[0] = '\0';
    free(o);
}

void outdir_signal_cleanup(void)
{
    if (!g_tmp[0])
        return;
    /* opendir/readdir are not async-signal-safe in theory; the process is
     * about to exit and glibc's implementation only uses getdents here. */
    remove_tree(g_tmp);
    g_tmp[0] = '\0';
}
