/* fuzz_util.h: shared by the libFuzzer targets.  Writes fuzz input to a
 * temporary file (the loaders read files, as fianza does). */
#ifndef FZ_FUZZ_UTIL_H
#define FZ_FUZZ_UTIL_H

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[64];
    static int ready;
    if (!ready) {
        snprintf(path, sizeof path, "/tmp/fianza-fuzz-%d%s", (int)getpid(), suffix);
        ready = 1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}

/* GSL reports, never aborts, as in fianza's main. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

/* A NUL-terminated copy (caller frees). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
