/* fz_error: the error record every fallible fianza function fills.
 *
 * Convention (after libgit2): functions return 0 on success or an FZ_E* code,
 * and write a message naming the cause (file:line, key, value, what was
 * expected) into the caller's fz_error.  Messages travel up unchanged; a
 * caller may prefix context with fz_error_prefix but never replaces them.
 * The record is a plain value owned by the caller; nothing to free. */
#ifndef FZ_ERROR_H
#define FZ_ERROR_H

enum {
    FZ_OK = 0,
    FZ_ERUNTIME = 1, /* solver, I/O, memory: exit status 1 */
    FZ_EINPUT = 2    /* bad usage or bad input: exit status 2 */
};

typedef struct fz_error {
    int code;
    char msg[1024];
} fz_error;

/* Sets err (if not NULL) and returns code, so callers can `return fz_fail(...)`. */
int fz_fail(fz_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prepends "prefix" to an existing message (e.g. "file.ini:12: "). */
void fz_error_prefix(fz_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
