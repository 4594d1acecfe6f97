/* check_cli_help: the command line's texts and refusals (issue 14 item 9),
 * through the built fianza (FZ_BIN) and the tables of help.h / cli.h.
 *
 * Asserted:
 * - `fianza --help` lists every command with a whole sentence, and no line
 *   of any --help is wider than 80 columns;
 * - `fianza CMD --help` lists exactly the options CMD accepts (each one
 *   listed is parsed, each one not listed is refused as not applying), each
 *   with a description; fit's -o default is named after the CSV file, and
 *   fit without -o really writes results/NAME;
 * - --version, top-level and per command: "fianza X.Y.Z", exit 0;
 * - no message says "fianza: fianza" (run through many refusals, and no
 *   fz_fail format in the sources starts with "fianza ");
 * - check refuses a second file, --json and -o; an option with a value
 *   given twice is refused, --set twice is not;
 * - sweep --tornado prints its table: one row per parameter of
 *   summary.json, in the chart's order (swing non-increasing), values with
 *   95% CIs;
 * - a missing CSV column (fit --column, empirical(column=)) lists the
 *   columns that the header has;
 * - the man page (fianza --help-man) lists, in each command's section,
 *   every option of that command's --help, and the completion script
 *   (fianza --help-bash) offers each command exactly those options.
 * cmake --install and the completion in bash: tests/install_check.sh. */
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli.h"
#include "cli_util.h"
#include "help.h"

/* ---- helpers ---- */

/* The options a --help text lists: "--name" at the start of an option line
 * ("  --name" or "  -o, --name"), as ", --a, --b, " in buf. */
static void listed_options(const char *help, char *buf, size_t size)
{
    snprintf(buf, size, ", ");
    for (const char *line = help; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, "  -", 3))
            continue;
        const char *p = strstr(line, "--");
        const char *eol = strchr(line, '\n');
        if (!p || (eol && p > eol))
            continue;
        size_t len = strcspn(p, " \n");
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%.*s, ", (int)len, p);
    }
}

/* `fianza cmd --help` in r (exit 0), its options in list (listed_options). */
static void command_help(run_result *r, const char *cmd, char *list, size_t size)
{
    ck_assert_int_eq(CU_RUN(r, cmd, "--help"), 0);
    listed_options(r->out, list, size);
}

static int has_option(const char *list, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, ", --%s, ", name);
    return strstr(list, key) != NULL;
}

static void assert_width(const char *text, const char *what)
{
    size_t lineno = 1;
    for (const char *line = text; *line; lineno++) {
        size_t len = strcspn(line, "\n");
        ck_assert_msg(len <= 80, "%s: line %zu has %zu columns: %.*s", what, lineno, len, (int)len, line);
        line += len + (line[len] == '\n');
    }
}

/* ---- help ---- */

START_TEST(test_top_help_sentences)
{
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "--help"), 0);
    assert_width(r.out, "fianza --help");
    size_t n;
    const help_command *cmds = help_commands(&n);
    ck_assert_uint_eq(n, 7);
    for (size_t i = 0; i < n; i++) {
        /* "  NAME       summary..." and its continuation lines (13 blanks) */
        char head[32];
        snprintf(head, sizeof head, "\n  %-10s ", cmds[i].name);
        const char *p = strstr(r.out, head);
        ck_assert_msg(p, "fianza --help does not list %s", cmds[i].name);
        p += strlen(head);
        char text[600] = "";
        for (;;) {
            size_t len = strcspn(p, "\n"), used = strlen(text);
            snprintf(text + used, sizeof text - used, "%s%.*s", used ? " " : "", (int)len, p);
            p += len + 1;
            if (strncmp(p, "             ", 13))
                break;
            p += 13;
        }
        ck_assert_str_eq(text, cmds[i].summary); /* whole, not cut */
        ck_assert_msg(text[strlen(text) - 1] == '.', "%s: '%s' is not a sentence", cmds[i].name, text);
    }
    cu_run_free(&r);
}
END_TEST

START_TEST(test_command_options)
{
    size_t n;
    const help_command *cmds = help_commands(&n);
    for (size_t i = 0; i < n; i++) {
        const char *cmd = cmds[i].name;
        run_result r;
        char list[4096];
        command_help(&r, cmd, list, sizeof list);
        assert_width(r.out, cmd);
        ck_assert_msg(!strstr(r.out, "(no description)"), "%s --help: an option without a description:\n%s", cmd,
                      r.out);
        for (const struct option *p = cli_options(); p->name; p++) {
            int applies = cli_option_applies(p->name, cmd);
            ck_assert_msg(has_option(list, p->name) == applies, "%s --help %s --%s", cmd,
                          applies ? "does not list" : "lists", p->name);
            if (!strcmp(p->name, "help") || !strcmp(p->name, "version"))
                continue;
            /* what parsing does agrees: a listed option is taken, another is refused */
            char opt[96];
            snprintf(opt, sizeof opt, "--%s", p->name);
            char *flag[] = {"fianza", (char *)cmd, opt, "x.ini", NULL},
                 *valued[] = {"fianza", (char *)cmd, opt, "1", "x.ini", NULL};
            char **argv = p->has_arg == no_argument ? flag : valued;
            int argc = p->has_arg == no_argument ? 4 : 5;
            cli_opts o;
            fz_error err = {0, ""};
            int rc = cli_parse(&o, argc, argv, &err);
            int refused = rc && strstr(err.msg, "does not apply");
            ck_assert_msg(refused == !applies, "fianza %s %s: %s", cmd, opt, rc ? err.msg : "accepted");
            cli_opts_free(&o);
        }
        cu_run_free(&r);
    }
}
END_TEST

START_TEST(test_fit_help_and_default_dir)
{
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "fit", "--help"), 0);
    const char *gone[] = {"--seed", "--replications", "--threads", "--set", "--allocation", "--policy"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        ck_assert_msg(!strstr(r.out, gone[i]), "fit --help lists %s", gone[i]);
    ck_assert_ptr_nonnull(strstr(r.out, "results/NAME, NAME the CSV\n"));
    ck_assert_ptr_null(strstr(r.out, "SCENARIO_NAME"));
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN(&r, "optimize", "--help"), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "results/NAME, NAME the\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "scenario file's name without .ini)"));
    cu_run_free(&r);

    /* and fit writes where its help says */
    const char *dir = cu_test_dir("fit_default");
    cu_write_file(cu_path_in(dir, "bonds.csv"), "id,amount\n1,1200\n2,1500\n3,900\n4,2500\n5,1800\n6,700\n7,3100\n"
                                                "8,1300\n9,2200\n10,1600\n");
    ck_assert_msg(CU_RUN_IN(&r, dir, 120, "fit", "--column", "amount", "--no-plots", "--quiet", "bonds.csv") == 0,
                  "%s", r.err);
    ck_assert(cu_exists(cu_path_in(dir, "results/bonds/summary.json")));
    cu_run_free(&r);
}
END_TEST

START_TEST(test_version)
{
    const char *const cases[][3] = {{"--version"}, {"fit", "--version"}, {"check", "--version"},
                                    {"optimize", "--version"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_result r;
        ck_assert_int_eq(cu_run_v(&r, NULL, 30, cases[i]), 0);
        int a, b, c, k = 0;
        ck_assert_msg(sscanf(r.out, "fianza %d.%d.%d%n", &a, &b, &c, &k) == 3 && k > 0, "%s: %s", cases[i][0],
                      r.out);
        ck_assert_str_eq(r.out + strlen(r.out) - 1, "\n");
        ck_assert_uint_eq(cu_count_lines(r.out), 1);
        ck_assert_ptr_nonnull(strstr(r.out, help_version()));
        ck_assert_uint_eq(r.nerr, 0);
        cu_run_free(&r);
    }
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "--version", "x.ini"), 2);
    ck_assert_ptr_nonnull(strstr(r.err, "fianza: unexpected argument 'x.ini' after --version"));
    cu_run_free(&r);
}
END_TEST

/* ---- refusals ---- */

START_TEST(test_no_doubled_prefix)
{
    const char *dir = cu_test_dir("prefix");
    const char *two = cu_two_ini(dir, 20);
    cu_write_file(cu_path_in(dir, "d.csv"), "a,b\n1,2\n");
    const char *const cases[][8] = {
        {"check"},
        {"simulate"},
        {"optimize"},
        {"sweep"},
        {"compare"},
        {"fit"},
        {"budget"},
        {"budget", "--releases", "5", "--prob", "0.5"},
        {"optimize", "--nope", two},
        {"optimize", "--threads", "0", two},
        {"sweep", "-o", "out", two},
        {"simulate", "-o", "out", two},
        {"compare", "--allocation", "chicago=1", "-o", "out", two},
        {"fit", "-o", "out", "d.csv"},
        {"fit", "--column", "x", "-o", "out", "d.csv"},
        {"frobnicate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_result r;
        int rc = cu_run_v(&r, dir, 30, cases[i]);
        ck_assert_msg(rc == 2, "%s: exit %d", cases[i][0], rc);
        ck_assert_msg(!strncmp(r.err, "fianza: ", 8) && !strstr(r.err, "fianza: fianza"), "%s: %s", cases[i][0],
                      r.err);
        cu_run_free(&r);
    }
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "optimize"), 2);
    ck_assert_str_eq(r.err, "fianza: optimize: expected a scenario file (see fianza optimize --help)\n");
    cu_run_free(&r);

    /* and no message of the sources starts with "fianza ": main adds "fianza: " */
    static const char *const globs[] = {"/../sim/cli/*.c", "/../sim/out/*.c", "/../sim/run/*.c", "/../models/*.c"};
    size_t files = 0;
    for (size_t g = 0; g < sizeof globs / sizeof *globs; g++) {
        char pattern[1024];
        snprintf(pattern, sizeof pattern, "%s%s", FZ_TEST_DIR, globs[g]);
        glob_t gl;
        ck_assert_int_eq(glob(pattern, 0, NULL, &gl), 0);
        for (size_t k = 0; k < gl.gl_pathc; k++, files++) {
            char *text = cu_slurp(gl.gl_pathv[k], NULL);
            ck_assert_ptr_nonnull(text);
            for (char *p = text; (p = strstr(p, "fz_fail(")); p++) {
                char *q = strchr(p, '"'), *end = strchr(p, ';');
                ck_assert_msg(!q || (end && q > end) || strncmp(q, "\"fianza ", 8), "%s: %.80s", gl.gl_pathv[k], p);
            }
            free(text);
        }
        globfree(&gl);
    }
    ck_assert_uint_ge(files, 50);
}
END_TEST

START_TEST(test_check_refuses_what_it_ignores)
{
    const char *dir = cu_test_dir("check_refuses");
    const char *two = cu_two_ini(dir, 20);
    cu_write_file(cu_path_in(dir, "extra.ini"), "[fund]\n");
    const char *out = cu_path_in(dir, "out");
    struct {
        const char *args[8], *want;
    } cases[] = {
        {{"check", two, "extra.ini"}, "unexpected argument 'extra.ini': fianza check takes one scenario file"},
        {{"check", "--json", two}, "--json does not apply to fianza check"},
        {{"check", "-o", out, two}, "-o does not apply to fianza check"},
        {{"check", "--json", "-o", out, two}, "--json does not apply to fianza check"},
        {{"check", "--no-plots", two}, "--no-plots does not apply to fianza check"},
        {{"check", "--threads", "2", two}, "--threads does not apply to fianza check"},
        {{"check", "--seed", "1", "--seed", "2", two}, "--seed given twice (1, then 2): give it once"},
        {{"optimize", "--gap-batches", "4", "--gap-batches", "5", two}, "--gap-batches given twice"},
        {{"simulate", "--allocation", "chicago=1", "--allocation", "chicago=2", two},
         "expected exactly one --allocation"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_result r;
        ck_assert_int_eq(cu_run_v(&r, dir, 30, cases[i].args), 2);
        ck_assert_msg(strstr(r.err, cases[i].want), "%s: %s", cases[i].want, r.err);
        ck_assert_uint_eq(r.nout, 0);
        ck_assert(!cu_exists(out));
        cu_run_free(&r);
    }
    /* repeatable: --set (and the allocations and policies of compare) */
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "check", "--set", "fund.budget_usd=5000", "--set", "simulation.seed=3", two),
                     0);
    ck_assert_ptr_nonnull(strstr(r.out, "budget_usd = 5000\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "seed = 3\n"));
    cu_run_free(&r);
}
END_TEST

/* ---- sweep --tornado's table ---- */

START_TEST(test_tornado_table)
{
    const char *dir = cu_test_dir("tornado");
    const char *two = cu_two_ini(dir, 40), *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN_IN(&r, dir, 300, "sweep", "--tornado", "20", "--no-plots", "-o", out, two) == 0, "%s", r.err);
    json_t *doc = cu_load_json(cu_path_in(out, "summary.json"));
    json_t *params = cu_json_at(doc, "tornado.parameters"), *row;
    ck_assert_uint_ge(json_array_size(params), 5);
    const char *head = strstr(r.out, "\nparameter ");
    ck_assert_msg(head, "no table header:\n%s", r.out);
    ck_assert_ptr_nonnull(strstr(head, "optimum at low [95% CI]"));
    const char *line = strchr(head + 1, '\n') + 1;
    double prev = INFINITY;
    size_t i;
    json_array_foreach(params, i, row)
    {
        /* "NAME  low  high  v [lo, hi]  v [lo, hi]  swing", in summary.json's order */
        const char *name = json_string_value(json_object_get(row, "parameter"));
        ck_assert_msg(!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ', "row %zu: want %s, got %.60s",
                      i, name, line);
        double low, high, v0, l0, h0, v1, l1, h1, swing;
        int k = sscanf(line + strlen(name), "%lf %lf %lf [%lf, %lf] %lf [%lf, %lf] %lf", &low, &high, &v0, &l0, &h0,
                       &v1, &l1, &h1, &swing);
        ck_assert_msg(k == 9, "row %s: %.120s", name, line);
        ck_assert_double_eq_tol(low, cu_json_num(row, "low"), 1e-6 * fabs(low) + 1e-9);
        ck_assert_double_eq_tol(high, cu_json_num(row, "high"), 1e-6 * fabs(high) + 1e-9);
        ck_assert_double_eq_tol(v0, cu_json_num(row, "value_low_out_of_sample.mean"), 0.006);
        ck_assert_double_eq_tol(v1, cu_json_num(row, "value_high_out_of_sample.mean"), 0.006);
        ck_assert(l0 <= v0 && v0 <= h0 && l1 <= v1 && v1 <= h1 && h0 > l0);
        double want = fabs(cu_json_num(row, "value_high") - cu_json_num(row, "value_low"));
        ck_assert_double_eq_tol(swing, want, 0.006);
        ck_assert_msg(swing <= prev + 0.01, "%s: swing %g after %g: not in the chart's order", name, swing, prev);
        prev = swing;
        line = strchr(line, '\n') + 1;
    }
    ck_assert_ptr_nonnull(strstr(line, "swing: |optimum at high - optimum at low| in sample"));
    json_decref(doc);
    cu_run_free(&r);
}
END_TEST

/* ---- CSV columns ---- */

START_TEST(test_missing_column_lists_columns)
{
    const char *dir = cu_test_dir("columns");
    cu_write_file(cu_path_in(dir, "d.csv"), "\xEF\xBB\xBFid, amount ,\"days held\"\n1,500,3\n");
    run_result r;
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "fit", "--column", "amout", "-o", "out", "d.csv"), 2);
    ck_assert_str_eq(r.err, "fianza: d.csv:1: no column named 'amout' in the header row; the columns are 'id', "
                            "'amount', 'days held'\n");
    cu_run_free(&r);
    /* a scenario's empirical(file=, column=) reads through the same code */
    cu_write_file(cu_path_in(dir, "s.ini"), "[region.a]\nbond_usd = empirical(file=d.csv, column=bond_usd)\n");
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "check", "s.ini"), 2);
    ck_assert_ptr_nonnull(strstr(r.err, "s.ini:2: bond_usd: ./d.csv:1: no column named 'bond_usd' in the header row; "
                                        "the columns are 'id', 'amount', 'days held'\n"));
    cu_run_free(&r);
    /* a header of many columns: the list is cut with "...", never mid-name */
    char text[8192] = "";
    for (int i = 0; i < 200; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%scolumn_number_%d", i ? "," : "", i);
    strcat(text, "\n");
    for (int i = 0; i < 200; i++)
        strcat(text, i ? ",1" : "1");
    strcat(text, "\n");
    cu_write_file(cu_path_in(dir, "wide.csv"), text);
    ck_assert_int_eq(CU_RUN_IN(&r, dir, 30, "fit", "--column", "x", "-o", "out", "wide.csv"), 2);
    ck_assert_ptr_nonnull(strstr(r.err, "the columns are 'column_number_0', 'column_number_1', "));
    ck_assert_msg(strstr(r.err, "', ...\n") != NULL, "%s", r.err);
    ck_assert_uint_le(r.nerr, 600);
    cu_run_free(&r);
}
END_TEST

/* ---- man page and completion ---- */

START_TEST(test_man_and_completion_list_every_option)
{
    run_result man, bash;
    ck_assert_int_eq(CU_RUN(&man, "--help-man"), 0);
    ck_assert_int_eq(CU_RUN(&bash, "--help-bash"), 0);
    ck_assert_ptr_nonnull(strstr(man.out, ".TH FIANZA 1 "));
    ck_assert_ptr_null(strstr(man.out, "(no description)"));
    size_t n;
    const help_command *cmds = help_commands(&n);
    for (size_t i = 0; i < n; i++) {
        const char *cmd = cmds[i].name;
        run_result r;
        char list[4096];
        command_help(&r, cmd, list, sizeof list);
        /* the command's man section: from ".SS fianza CMD" to the next .SS or .SH */
        char head[64];
        snprintf(head, sizeof head, "\n.SS fianza %s\n", cmd);
        const char *sec = strstr(man.out, head);
        ck_assert_msg(sec, "fianza.1 has no section for %s", cmd);
        const char *end = strstr(sec + 1, "\n.S");
        size_t len = end ? (size_t)(end - sec) : strlen(sec);
        char *section = strndup(sec, len);
        /* the completion's option list: `CMD)` then `opts="..."` */
        snprintf(head, sizeof head, "\n    %s)\n        opts=\"", cmd);
        const char *opts = strstr(bash.out, head);
        ck_assert_msg(opts, "completion has no case for %s", cmd);
        opts += strlen(head);
        char *words = strndup(opts, strcspn(opts, "\""));
        size_t listed = 0;
        for (const struct option *p = cli_options(); p->name; p++) {
            if (!has_option(list, p->name))
                continue;
            listed++;
            char roff[128], word[96];
            snprintf(roff, sizeof roff, "\\fB\\-\\-");
            for (const char *c = p->name; *c; c++)
                snprintf(roff + strlen(roff), sizeof roff - strlen(roff), *c == '-' ? "\\-" : "%c", *c);
            ck_assert_msg(strstr(section, roff), "fianza.1, section %s: no %s", cmd, roff);
            snprintf(word, sizeof word, "--%s", p->name);
            size_t wl = strlen(word);
            int found = 0;
            for (const char *w = words; (w = strstr(w, word)); w++)
                found |= (w == words || w[-1] == ' ') && (w[wl] == ' ' || !w[wl]);
            ck_assert_msg(found, "completion of %s lacks %s", cmd, word);
        }
        /* and nothing more: the completion's words are the listed options (+ -o, -h) */
        size_t nwords = 0;
        for (const char *w = words; *w; w += strcspn(w, " "), w += *w == ' ')
            nwords += !!strncmp(w, "--", 2) ? 0 : 1;
        ck_assert_uint_eq(nwords, listed);
        ck_assert_uint_ge(listed, 5);
        free(section);
        free(words);
        cu_run_free(&r);
    }
    cu_run_free(&man);
    cu_run_free(&bash);
}
END_TEST

Suite *make_cli_help_suite(void)
{
    Suite *s = suite_create("cli_help");
    TCase *help = tcase_create("help");
    tcase_add_unchecked_fixture(help, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(help, 120);
    tcase_add_test(help, test_top_help_sentences);
    tcase_add_test(help, test_command_options);
    tcase_add_test(help, test_fit_help_and_default_dir);
    tcase_add_test(help, test_version);
    tcase_add_test(help, test_man_and_completion_list_every_option);
    suite_add_tcase(s, help);

    TCase *refuse = tcase_create("refusals");
    tcase_add_unchecked_fixture(refuse, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(refuse, 120);
    tcase_add_test(refuse, test_no_doubled_prefix);
    tcase_add_test(refuse, test_check_refuses_what_it_ignores);
    tcase_add_test(refuse, test_missing_column_lists_columns);
    suite_add_tcase(s, refuse);

    TCase *tornado = tcase_create("tornado");
    tcase_add_unchecked_fixture(tornado, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tornado, 600);
    tcase_add_test(tornado, test_tornado_table);
    suite_add_tcase(s, tornado);
    return s;
}

FZ_CHECK_MAIN(cli_help)
