/* check_csvcol: the CSV column reader shared by empirical(...) and `fianza
 * fit` (models/csvcol.c).
 *
 *   - a UTF-8 byte-order mark, CRLF line ends, quoted fields holding commas,
 *     quotes and newlines, "$1,500" and "1,500.00" amounts are read, and each
 *     value's line is the line its field ends on;
 *   - empty cells and short rows are counted (with the first line), never
 *     read as 0; non-numbers are an error naming file:line, or counted under
 *     CSVCOL_SKIP_NONNUMERIC;
 *   - a row with more fields than the header (an unquoted "1,500"), an
 *     unterminated quote and a missing column are errors naming file:line;
 *   - csvcol_parse_number accepts and rejects what its header says. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "csvcol.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))

static char path[128];

static const char *write_tmp(const char *text, size_t len)
{
    snprintf(path, sizeof path, "%s/csv_XXXXXX", cu_work); /* removed with cu_work even if a test fails */
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, text, len) == (ssize_t)len);
    close(fd);
    return path;
}

START_TEST(test_messy_file)
{
    static const char text[] = "\xEF\xBB\xBF"
                               "court,\"bond usd\",note\r\n"               /* 1 */
                               "\"Chicago, IL\",1500,a\r\n"                /* 2 */
                               "KC,\"$12,500\",\"he said \"\"no\"\"\"\r\n" /* 3 */
                               "\"multi\r\nline\",\"1,500.00\",\r\n"       /* 4-5 */
                               "x,,\r\n"                                   /* 6: empty */
                               "y\r\n"                                     /* 7: short row */
                               "\r\n"                                      /* 8: blank, skipped */
                               "z, 2.5e3 ,\"q\nr\"\r\n";                   /* 9-10: the value ends on 9 */
    const char *p = write_tmp(text, sizeof text - 1);
    csvcol c;
    fz_error err = {0, ""};
    ck_assert_msg(csvcol_read_flags(&c, p, "bond usd", CSVCOL_LINES, &err) == 0, "%s", err.msg);
    const double want[] = {1500, 12500, 1500, 2500};
    const long lines[] = {2, 3, 5, 9};
    ck_assert_uint_eq(c.n, NELEM(want));
    for (size_t i = 0; i < c.n; i++) {
        ck_assert_double_eq(c.values[i], want[i]);
        ck_assert_int_eq(c.lines[i], lines[i]);
    }
    ck_assert_uint_eq(c.n_rows, 6);
    ck_assert_uint_eq(c.n_empty, 2);
    ck_assert_int_eq(c.first_empty_line, 6);
    csvcol_free(&c);
    /* the default read is the same, without lines */
    ck_assert_int_eq(csvcol_read(&c, p, "bond usd", &err), 0);
    ck_assert_uint_eq(c.n, NELEM(want));
    ck_assert_ptr_null(c.lines);
    csvcol_free(&c);
    csvcol_free(NULL);
    unlink(p);
}
END_TEST

START_TEST(test_non_numbers)
{
    static const char text[] = "a,b\n1,10\n2,N/A\n3,20\n4,pending\n";
    const char *p = write_tmp(text, sizeof text - 1);
    csvcol c;
    fz_error err = {0, ""};
    ck_assert_int_eq(csvcol_read(&c, p, "b", &err), FZ_EINPUT);
    char where[160];
    snprintf(where, sizeof where, "%s:3: column 'b': 'N/A' is not a number", p);
    ck_assert_msg(strstr(err.msg, where) != NULL, "%s", err.msg);
    ck_assert_int_eq(csvcol_read_flags(&c, p, "b", CSVCOL_SKIP_NONNUMERIC, &err), 0);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_uint_eq(c.n_nonnumeric, 2);
    ck_assert_int_eq(c.first_nonnumeric_line, 3);
    ck_assert_str_eq(c.first_nonnumeric, "N/A");
    csvcol_free(&c);
    unlink(p);
}
END_TEST

static const struct {
    const char *text, *column, *want; /* want: after "PATH:" */
} bad[] = {
    {"id,bond\n1,1500\n2,1,500\n", "bond", "3: this row has 3 fields but the header has 2"},
    {"id,bond\n1,1500\n2,\"2500\n3,3000\n", "bond", "3: malformed CSV"},
    {"id,bond\n\n1,\"2500\n", "bond", "3: malformed CSV"},
    {"id,amount\n1,1500\n", "bond", "1: no column named 'bond'"},
    {"", "bond", "1: empty file"},
    {"id,bond\n1,\"15\"00\n", "bond", "2: malformed CSV"},
};

START_TEST(test_bad_files)
{
    const char *p = write_tmp(bad[_i].text, strlen(bad[_i].text));
    csvcol c;
    fz_error err = {0, ""};
    ck_assert_int_eq(csvcol_read_flags(&c, p, bad[_i].column, CSVCOL_LINES, &err), FZ_EINPUT);
    char where[256];
    snprintf(where, sizeof where, "%s:%s", p, bad[_i].want);
    ck_assert_msg(strstr(err.msg, where) != NULL, "case %d: '%s' lacks '%s'", _i, err.msg, where);
    ck_assert_ptr_null(c.values);
    ck_assert_ptr_null(c.lines);
    unlink(p);
}
END_TEST

START_TEST(test_parse_number)
{
    static const struct {
        const char *cell;
        int ok;
        double v;
    } c[] = {
        {"1500", 1, 1500},       {" 1500 ", 1, 1500},   {"$1,500", 1, 1500},
        {"1,500.50", 1, 1500.5}, {"-$1,500", 1, -1500}, {"12,345,678", 1, 12345678},
        {"2.5e3", 1, 2500},      {".5", 1, 0.5},        {"1,50", 0, 0},
        {"1,5000", 0, 0},        {",500", 0, 0},        {"$", 0, 0},
        {"abc", 0, 0},           {"nan", 0, 0},         {"inf", 0, 0},
        {"12 3", 0, 0},          {"1e999", 0, 0},       {"", 0, 0},
    };
    for (size_t i = 0; i < NELEM(c); i++) {
        double v = NAN;
        int rc = csvcol_parse_number(c[i].cell, &v);
        ck_assert_msg((rc == 0) == c[i].ok, "'%s': rc %d", c[i].cell, rc);
        if (c[i].ok)
            ck_assert_double_eq(v, c[i].v);
    }
}
END_TEST

Suite *make_csvcol_suite(void)
{
    Suite *s = suite_create("csvcol");
    TCase *tc = tcase_create("read");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_messy_file);
    tcase_add_test(tc, test_non_numbers);
    tcase_add_loop_test(tc, test_bad_files, 0, NELEM(bad));
    tcase_add_test(tc, test_parse_number);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(csvcol)
