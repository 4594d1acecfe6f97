/* outdir: atomic results directories (outdir.h). */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "par.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* linux/fs.h */
#endif

struct outdir {
    int null; /* MPI ranks other than 0: every file goes to /dev/null */
    char final[PATH_MAX];
    char tmp[PATH_MAX];
    char file[PATH_MAX];
};

/* What a signal handler finds (outdir_signal_cleanup).  BUSY: begin, commit
 * or abort is changing the directories; the thread doing it blocks the
 * signals meanwhile, so a handler seeing BUSY runs on another thread and
 * waits.  A handler claims OPEN by moving it to BUSY itself. */
enum { ST_IDLE, ST_BUSY, ST_OPEN, ST_COMMITTED };
static _Atomic int g_state = ST_IDLE;
static char g_tmp[PATH_MAX];   /* the open temporary directory */
static char g_final[PATH_MAX]; /* DIR, once committed */

static void block_signals(sigset_t *old)
{
    static const int sigs[] = OUTDIR_SIGNALS;
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&set, sigs[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }

/* Moves the state from from0 or from1 to BUSY and returns 0.  When a signal
 * handler on another thread has claimed the directory instead, it is about
 * to end the process: wait for that (signals stay blocked here).  -1: the
 * calls are out of order (a second begin without a commit). */
static _Atomic int g_signalled;
static int claim(int from0, int from1)
{
    for (;;) {
        int expected = from0;
        if (atomic_compare_exchange_strong(&g_state, &expected, ST_BUSY))
            return 0;
        expected = from1;
        if (atomic_compare_exchange_strong(&g_state, &expected, ST_BUSY))
            return 0;
        if (!atomic_load(&g_signalled))
            return -1;
        pause();
    }
}

/* ---- deleting a tree: openat/unlinkat, constant memory ---- */

/* The record of getdents64(2), which glibc does not declare. */
struct dirent64_raw {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Walks down into the first non-empty subdirectory and back up through
 * "..", rescanning each directory until a scan removes nothing: no path is
 * ever built and the memory used does not grow with depth.  Any entry that
 * cannot be removed stops the walk (rather than revisiting it forever). */
int outdir_remove_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return errno == ENOTDIR || errno == ELOOP ? unlink(path) : -1;
    }
    size_t depth = 0;
    _Alignas(8) char buf[4096];
    for (;;) {
        int descended = 0, removed = 0, failed = 0;
        lseek(fd, 0, SEEK_SET);
        while (!descended) {
            long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n <= 0) {
                failed |= n < 0;
                break;
            }
            for (long off = 0; off < n && !descended;) {
                struct dirent64_raw *e = (struct dirent64_raw *)(buf + off);
                off += e->d_reclen;
                const char *name = e->d_name;
                if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
                    continue;
                int isdir = e->d_type == DT_DIR;
                struct stat st;
                if (e->d_type == DT_UNKNOWN && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                    isdir = S_ISDIR(st.st_mode);
                if (unlinkat(fd, name, isdir ? AT_REMOVEDIR : 0) == 0 || errno == ENOENT) {
                    removed = 1;
                    continue;
                }
                if (!isdir || (errno != ENOTEMPTY && errno != EEXIST)) {
                    failed = 1;
                    continue;
                }
                int child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (child < 0) {
                    failed = 1;
                    continue;
                }
                close(fd);
                fd = child;
                depth++;
                descended = 1;
            }
        }
        if (descended)
            continue;
        if (failed) {
            close(fd);
            return -1;
        }
        if (removed)
            continue; /* entries may be missed by a scan that deletes: look again */
        if (depth == 0) {
            close(fd);
            return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
        }
        int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(fd);
        if (parent < 0)
            return -1;
        fd = parent;
        depth--;
    }
}

/* ---- checking -o ---- */

/* path for a message: long ones keep their start and end, so that the
 * reason after them still fits in fz_error. */
static const char *shown(const char *path, char *buf, size_t size)
{
    size_t n = strlen(path);
    if (n <= 160)
        return path;
    snprintf(buf, size, "%.60s...%s", path, path + n - 90);
    return buf;
}

/* The absolute, symlink-free form of path, which need not exist: realpath
 * of its deepest existing ancestor, then the remaining components by name
 * (they do not exist, so no link can redirect them). */
static int resolve(const char *path, char *out)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    size_t keep = strlen(buf);
    for (;;) {
        if (realpath(keep ? buf : ".", out))
            break;
        if (errno != ENOENT)
            return -1;
        char *slash = strrchr(buf, '/');
        if (!slash) {
            keep = 0;
        } else if (slash == buf) {
            keep = 1;
            buf[1] = '\0';
        } else {
            *slash = '\0';
            keep = (size_t)(slash - buf);
        }
    }
    size_t len = strlen(out);
    for (const char *p = path + keep; *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.')) {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (len > 1 && out[len - 1] != '/')
                len--;
            if (len > 1)
                len--;
            out[len] = '\0';
        } else {
            if (len + n + 2 > PATH_MAX) {
                errno = ENAMETOOLONG;
                return -1;
            }
            if (len > 1)
                out[len++] = '/';
            memcpy(out + len, p, n);
            len += n;
            out[len] = '\0';
        }
        p += n;
    }
    return 0;
}

/* Whether dir is inside (or is) the directory top; both resolved. */
static int within(const char *dir, const char *top)
{
    size_t n = strlen(top);
    if (strncmp(dir, top, n) != 0)
        return 0;
    return dir[n] == '\0' || dir[n] == '/' || (n > 0 && top[n - 1] == '/');
}

/* Refuses when the resolved -o is, or contains, the directory holding input
 * (as named and after following links). */
static int check_input(const char *out, const char *opt, const char *input, fz_error *err)
{
    char dirs[2][PATH_MAX], tmp[PATH_MAX], b1[256], b2[256], b3[256];
    int nd = 0;
    snprintf(tmp, sizeof tmp, "%s", input);
    char *slash = strrchr(tmp, '/');
    if (slash)
        slash[slash == tmp] = '\0'; /* "/x" keeps "/" */
    if (realpath(slash ? tmp : ".", dirs[nd]))
        nd++;
    if (realpath(input, tmp) && (slash = strrchr(tmp, '/'))) {
        slash[slash == tmp] = '\0';
        snprintf(dirs[nd++], PATH_MAX, "%s", tmp);
    }
    for (int i = 0; i < nd; i++)
        if (within(dirs[i], out))
            return fz_fail(err, FZ_EINPUT,
                           "-o %s: refused: it is or contains %s, the directory of the input %s, and the "
                           "results directory is replaced whole; choose an -o outside it (a new directory "
                           "inside it, such as results/NAME, is fine)",
                           shown(opt, b1, sizeof b1), shown(dirs[i], b2, sizeof b2), shown(input, b3, sizeof b3));
    return 0;
}

/* Whether an existing directory may be replaced: empty, or marked as a
 * results directory.  Returns 1, 0, or -1 (errno) when it cannot be read. */
static int replaceable(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int mfd = openat(fd, OUTDIR_MARKER, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), ok = 0;
    if (mfd >= 0) {
        char head[64] = "";
        struct stat st;
        ok = fstat(mfd, &st) == 0 && S_ISREG(st.st_mode) && read(mfd, head, sizeof head - 1) > 0 &&
             strncmp(head, "fianza results directory", 24) == 0;
        close(mfd);
    }
    DIR *d = ok ? NULL : fdopendir(fd);
    if (!d) {
        close(fd);
        return ok ? 1 : -1;
    }
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

/* Everything about -o that can be known before a run: refused as FZ_EINPUT. */
static int check_target(const char *final, const char *opt, const char *const *inputs, size_t ninputs, fz_error *err)
{
    char out[PATH_MAX], b1[256], b2[256];
    const char *o = shown(opt, b1, sizeof b1);
    if (resolve(final, out) != 0)
        return fz_fail(err, FZ_EINPUT, "-o %s: cannot write there: %s", o, strerror(errno));
    for (size_t i = 0; i < ninputs; i++)
        if (check_input(out, opt, inputs[i], err))
            return FZ_EINPUT;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) && within(cwd, out))
        return fz_fail(err, FZ_EINPUT,
                       "-o %s: refused: it is or contains the current directory %s, and the results directory "
                       "is replaced whole; choose another -o (such as results/NAME)",
                       o, shown(cwd, b2, sizeof b2));
    struct stat st;
    if (lstat(final, &st) != 0)
        return errno == ENOENT ? 0 : fz_fail(err, FZ_EINPUT, "-o %s: cannot use it: %s", o, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        char to[PATH_MAX];
        ssize_t n = readlink(final, to, sizeof to - 1);
        to[n > 0 ? n : 0] = '\0';
        return fz_fail(err, FZ_EINPUT,
                       "-o %s: is a symbolic link (to %s%s); the results directory is replaced whole and "
                       "links are not followed: name a real directory",
                       o, shown(to, b2, sizeof b2), stat(final, &st) == 0 ? "" : ", which does not exist");
    }
    if (!S_ISDIR(st.st_mode))
        return fz_fail(err, FZ_EINPUT, "-o %s: exists and is not a directory", o);
    int r = replaceable(final);
    if (r < 0)
        return fz_fail(err, FZ_EINPUT, "-o %s: cannot read the existing directory: %s", o, strerror(errno));
    if (r == 0)
        return fz_fail(err, FZ_EINPUT,
                       "-o %s: refused: it is an existing directory that fianza did not write (not empty, no "
                       "%s file) and the results directory is replaced whole; choose another -o, or remove "
                       "it yourself",
                       o, OUTDIR_MARKER);
    return 0;
}

/* ---- begin ---- */

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

static int write_marker(outdir *o, fz_error *err)
{
    FILE *f = outdir_open(o, OUTDIR_MARKER, err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f,
            "fianza results directory, format %d\n"
            "fianza replaces this directory whole when asked to write here again.\n",
            OUTDIR_FORMAT_VERSION);
    return outdir_close(f, OUTDIR_MARKER, err);
}

static int begin(outdir **out, const char *final_path, const char *const *inputs, size_t ninputs, fz_error *err)
{
    char b1[256], b2[256];
    const char *shown_opt = shown(final_path, b1, sizeof b1);
    *out = NULL;
    size_t n = strlen(final_path);
    while (n > 1 && final_path[n - 1] == '/')
        n--;
    if (n == 0 || n + 16 >= PATH_MAX)
        return fz_fail(err, FZ_EINPUT, "-o '%s': not a usable directory name", shown_opt);
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
                       shown_opt);
    outdir *o = calloc(1, sizeof *o);
    if (!o)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    memcpy(o->final, final_path, n);
    o->final[n] = '\0';
    int rc = check_target(o->final, final_path, inputs, ninputs, err);
    if (rc) {
        free(o);
        return rc;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", o->final);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir_p(parent) != 0) {
            int e = errno;
            free(o);
            return fz_fail(err, FZ_EINPUT, "-o %s: cannot create %s: %s", shown_opt, shown(parent, b2, sizeof b2),
                           strerror(e));
        }
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", o->final);
    sigset_t old;
    block_signals(&old);
    if (claim(ST_IDLE, ST_COMMITTED) != 0) {
        restore_signals(&old);
        free(o);
        return fz_fail(err, FZ_ERUNTIME, "-o %s: another results directory is still open", shown_opt);
    }
    int made = mkdtemp(o->tmp) != NULL, e = errno;
    if (made)
        memcpy(g_tmp, o->tmp, sizeof g_tmp);
    atomic_store(&g_state, made ? ST_OPEN : ST_IDLE);
    restore_signals(&old);
    if (!made) {
        free(o);
        return fz_fail(err, FZ_EINPUT, "-o %s: cannot write there: %s", shown_opt, strerror(e));
    }
    /* mkdtemp makes 0700; the results are for whoever the umask lets in */
    mode_t mask = umask(0);
    umask(mask);
    chmod(o->tmp, 0777 & ~mask);
    *out = o;
    if ((rc = write_marker(o, err))) {
        outdir_abort(o);
        *out = NULL;
    }
    return rc;
}

/* Under MPI only rank 0 creates the directory; the other ranks get a handle
 * whose files go to /dev/null.  All ranks then agree on the status, so that
 * none goes on into the simulation (and its collectives) when rank 0 failed. */
int outdir_begin(outdir **out, const char *final_path, const char *const *inputs, size_t ninputs, fz_error *err)
{
    int rc;
    *out = NULL;
    if (par_rank() == 0) {
        rc = begin(out, final_path, inputs, ninputs, err);
    } else if (!(*out = calloc(1, sizeof **out))) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    } else {
        (*out)->null = 1;
        snprintf((*out)->final, sizeof(*out)->final, "%s", final_path);
        snprintf((*out)->tmp, sizeof(*out)->tmp, "/dev/null");
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
    char b[256];
    if (!f)
        fz_fail(err, FZ_ERUNTIME, "%s/%s: cannot write: %s", shown(o->final, b, sizeof b), name, strerror(errno));
    return f;
}

int outdir_close(FILE *f, const char *name, fz_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return fz_fail(err, FZ_ERUNTIME, "%s: write failed (disk full?)", name);
    return 0;
}

/* ---- commit, abort ---- */

/* Puts tmp in place of final (which exists) and the old tree at *old (tmp's
 * name after a swap).  Returns 0 or errno. */
static int swap_in(outdir *o, char *old, size_t size)
{
#ifdef SYS_renameat2
    if (syscall(SYS_renameat2, AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
        snprintf(old, size, "%s", o->tmp);
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
#endif
    /* no exchange on this file system: old aside, new in (a signal waits) */
    snprintf(old, size, "%s.old-XXXXXX", o->final);
    if (!mkdtemp(old))
        return errno;
    if (rename(o->final, old) != 0) {
        int e = errno;
        rmdir(old);
        return e;
    }
    if (rename(o->tmp, o->final) != 0) {
        int e = errno;
        rename(old, o->final);
        return e;
    }
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
    char b[256];
    const char *name = shown(o->final, b, sizeof b);
    sigset_t mask;
    block_signals(&mask);
    if (claim(ST_OPEN, ST_OPEN) != 0) {
        restore_signals(&mask);
        free(o);
        return fz_fail(err, FZ_ERUNTIME, "%s: not open", name);
    }
    /* Checked again: something may have appeared at DIR during the run. */
    struct stat st;
    int exists = lstat(o->final, &st) == 0, e = 0;
    char old[PATH_MAX + 16] = "";
    if (exists && (!S_ISDIR(st.st_mode) || replaceable(o->final) != 1)) {
        fz_fail(err, FZ_ERUNTIME,
                "%s: appeared during the run and is not a fianza results directory: left as it is, no "
                "results written",
                name);
        e = -1;
    } else {
        if (exists)
            e = swap_in(o, old, sizeof old);
        else if (rename(o->tmp, o->final) != 0)
            e = errno;
        if (e)
            fz_fail(err, FZ_ERUNTIME, "%s: cannot move the results into place: %s", name, strerror(e));
    }
    if (e) {
        outdir_remove_tree(o->tmp);
        g_tmp[0] = '\0';
        atomic_store(&g_state, ST_IDLE);
    } else {
        if (old[0] && outdir_remove_tree(old) != 0)
            fprintf(stderr, "fianza: warning: could not remove all of the old results (%s)\n", shown(old, b, sizeof b));
        memcpy(g_final, o->final, sizeof g_final);
        g_tmp[0] = '\0';
        atomic_store(&g_state, ST_COMMITTED);
    }
    restore_signals(&mask);
    free(o);
    return e ? FZ_ERUNTIME : 0;
}

void outdir_abort(outdir *o)
{
    if (!o)
        return;
    if (!o->null) {
        sigset_t mask;
        block_signals(&mask);
        if (claim(ST_OPEN, ST_OPEN) == 0) {
            outdir_remove_tree(o->tmp);
            g_tmp[0] = '\0';
            atomic_store(&g_state, ST_IDLE);
        }
        restore_signals(&mask);
    }
    free(o);
}

const char *outdir_signal_cleanup(void)
{
    atomic_store(&g_signalled, 1);
    for (;;) {
        int st = atomic_load(&g_state);
        if (st == ST_COMMITTED)
            return g_final;
        if (st == ST_IDLE)
            return NULL;
        int expected = ST_OPEN;
        if (st == ST_OPEN && atomic_compare_exchange_strong(&g_state, &expected, ST_BUSY)) {
            /* another thread may still be writing into it for a moment */
            for (int i = 0; i < 200 && outdir_remove_tree(g_tmp) != 0; i++)
                nanosleep(&(struct timespec){0, 1000000}, NULL);
            atomic_store(&g_state, ST_IDLE);
            return NULL;
        }
        nanosleep(&(struct timespec){0, 1000000}, NULL); /* BUSY on another thread */
    }
}
