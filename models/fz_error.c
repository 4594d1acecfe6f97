/* fz_error: formatting of error records (see fz_error.h). */
#include "fz_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fz_fail(fz_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void fz_error_prefix(fz_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char head[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(head);
    if (n >= sizeof err->msg)
        n = sizeof err->msg - 1;
    memcpy(err->msg, head, n);
    size_t room = sizeof err->msg - 1 - n, m = strnlen(old, sizeof old - 1);
    if (m > room)
        m = room;
    memcpy(err->msg + n, old, m);
    err->msg[n + m] = '\0';
}
