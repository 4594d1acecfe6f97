/* csv_util.h: reading one column of a results CSV file fianza wrote, for
 * the suites that check sweep.csv and budget.csv (check_sweep_target,
 * check_budget).  An empty cell (an undefined value) reads as NAN.  Plain
 * numeric columns only: no quoted text before the column read.  Failures are
 * Check assertions; call from inside a test. */
#ifndef FZ_CSV_UTIL_H
#define FZ_CSV_UTIL_H

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

/* Column `name` of the CSV file at path into vals (at most max rows);
 * returns the number of rows. */
static inline size_t csvu_column(const char *path, const char *name, double *vals, size_t max)
{
    char *csv = cu_slurp(path, NULL);
    ck_assert_msg(csv != NULL, "%s missing", path);
    char *nl = strchr(csv, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    int col = -1, k = 0;
    for (char *save = NULL, *h = strtok_r(csv, ",", &save); h; h = strtok_r(NULL, ",", &save), k++)
        if (!strcmp(h, name))
            col = k;
    ck_assert_msg(col >= 0, "%s has no column %s", path, name);
    size_t n = 0;
    for (char *line = nl + 1; *line; n++) {
        char *end = strchr(line, '\n');
        ck_assert_ptr_nonnull(end);
        ck_assert_uint_lt(n, max);
        char *f = line;
        for (int i = 0; i < col; i++) {
            f = strchr(f, ',');
            ck_assert(f && f < end);
            f++;
        }
        if (*f == ',' || *f == '\n') {
            vals[n] = NAN;
        } else {
            char *stop;
            vals[n] = strtod(f, &stop);
            ck_assert_msg(stop > f && (*stop == ',' || *stop == '\n'), "%s: bad %s in row %zu", path, name, n + 1);
        }
        line = end + 1;
    }
    free(csv);
    return n;
}

#endif
