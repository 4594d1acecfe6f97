/* scenario_util.h: helpers shared by check_scenario.c and
 * check_scenario_invalid.c.  Static functions; include after check_common.h,
 * in a file that defines _GNU_SOURCE (mkdtemp, nftw).
 *
 * Every case writes its INI text into a private directory made with mkdtemp
 * (one per TCase, removed by the unchecked teardown in the parent
 * process even when a test fails), so the text and its line numbers sit
 * next to the assertions. */
#ifndef FZ_SCENARIO_UTIL_H
#define FZ_SCENARIO_UTIL_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "scenario.h"

/* ---- temporary files ---- */

static char tmp_dir[64];

static void tmp_setup(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/fz_scenario_XXXXXX",
             base && *base && strlen(base) < 40 ? base : "/tmp");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        abort();
    }
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void tmp_teardown(void)
{
    if (tmp_dir[0])
        nftw(tmp_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
    tmp_dir[0] = '\0';
}

/* Path of NAME inside the test's directory (static buffer, rotated). */
static const char *tmp_path(const char *name)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
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
static int load_text(scenario **out, const char *name, const char *text, const char *const *sets,
                     size_t nsets, fz_error *err)
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
    ck_assert_msg(rc == 0, "expected the scenario to load, got %d: %s\n--- text ---\n%s", rc,
                  err.msg, text);
    ck_assert_ptr_nonnull(s);
    return s;
}

#endif
