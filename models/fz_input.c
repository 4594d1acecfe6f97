/* fz_input: bounded, non-blocking opening of input files (fz_input.h). */
#include "fz_input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a plain file";
}

const char *fz_input_size_name(long bytes, char *buf, size_t size)
{
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0)
        snprintf(buf, size, "%ld MiB", bytes >> 20);
    else if (bytes >= (1L << 10) && bytes % (1L << 10) == 0)
        snprintf(buf, size, "%ld KiB", bytes >> 10);
    else
        snprintf(buf, size, "%ld bytes", bytes);
    return buf;
}

FILE *fz_input_open(const char *path, long max_bytes, const char *what, fz_error *err)
{
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        fz_fail(err, FZ_EINPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fz_fail(err, FZ_EINPUT, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        fz_fail(err, FZ_EINPUT, "%s: not a regular file (it is %s): expected a %s", path, kind(st.st_mode), what);
        close(fd);
        return NULL;
    }
    if (st.st_size > max_bytes) {
        char lim[32];
        fz_fail(err, FZ_EINPUT, "%s: %lld bytes: larger than the limit of %s for a %s", path, (long long)st.st_size,
                fz_input_size_name(max_bytes, lim, sizeof lim), what);
        close(fd);
        return NULL;
    }
    /* back to blocking reads (no effect on a regular file, but plain) */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "r");
    if (!f) {
        fz_fail(err, FZ_ERUNTIME, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    return f;
}

ssize_t fz_input_line(FILE *f, char *buf, size_t cap)
{
    size_t n = 0;
    int c;
    flockfile(f);
    while ((c = getc_unlocked(f)) != EOF) {
        if (n + 1 >= cap) {
            ungetc(c, f);
            funlockfile(f);
            buf[n] = '\0';
            return -1;
        }
        buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    funlockfile(f);
    buf[n] = '\0';
    return (ssize_t)n;
}
