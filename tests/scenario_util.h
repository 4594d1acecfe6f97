/* scenario_util.h: helpers shared by check_scenario.c and
 * check_scenario_invalid.c.  Static functions; include after check_common.h,
 * in a file that defines _GNU_SOURCE.
 *
 * Every case writes its INI text into cli_util's private directory cu_work
 * (one per TCase, removed by the unchecked teardown in the parent process
 * even when a test fails), so the text and its line numbers sit next to the
 * assertions. */
#ifndef FZ_SCENARIO_UTIL_H
#define FZ_SCENARIO_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "scenario.h"

/* ---- temporary files ----
 * The directory is cli_util's cu_work: add cu_work_setup/cu_work_teardown
 * as the TCase's unchecked fixture. */

/* Path of NAME inside the test's directory (static buffer, rotated). */
static const char *tmp_path(const char *name)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", cu_work, name);
    return b;
}

/* Writes len bytes of text (len 0: strlen) to NAME; returns its path. */
static const char *write_file(const char *name, const char *text, size_t len)
{
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
    if (!len)
        len = strlen(text);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* Writes text to NAME and loads it; on failure *out is NULL and err holds the message. */
static int load_text(scenario **out, const char *name, const char *text, const char *const *sets, size_t nsets,
                     fz_error *err)
{
    const char *path = write_file(name, text, 0);
    memset(err, 0, sizeof *err);
    return scenario_load(out, path, sets, nsets, err);
}

/* Loads text that must be valid. */
static scenario *load_ok(const char *text, const char *const *sets, size_t nsets)
{
    scenario *s = NULL;
    fz_error err;
    int rc = load_text(&s, "case.ini", text, sets, nsets, &err);
    ck_assert_msg(rc == 0, "expected the scenario to load, got %d: %s\n--- text ---\n%s", rc, err.msg, text);
    ck_assert_ptr_nonnull(s);
    return s;
}

#endif
