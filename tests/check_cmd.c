/* check_cmd: the command skeleton and sweep's in-memory points (issue 11).
 *
 * - scenario_copy_set gives, for every kind of override (fund, simulation
 *   and region keys, a label, a policy, a distribution argument, one whose
 *   distribution the file leaves at its default, a copy of a copy), the
 *   scenario that scenario_load gives for the file with the same overrides
 *   (compared through scenario_print, which writes every field), and the
 *   override changes the print (so the comparison can fail).  It reads no
 *   file: the copy is made after the INI file was deleted.
 * - Errors carry their origin from the source: an error in the override
 *   starts with the origin given (or "--set SET") exactly once; a cross-key
 *   error that the override causes but that names another line (the
 *   granularity_usd line of the file, a region's section line) is prefixed
 *   with it; scenario_load_named names --seed as typed.  The scenario copied
 *   from is unchanged by failed copies.
 * - sweep: a point's override wins over --seed (`--param simulation.seed`
 *   with --seed gives each point its own seed, equal to a sweep run without
 *   --seed); a cross-key rejection of a point names --param, its value and
 *   the point, exits 2 and writes nothing; points made before -o is
 *   refused are released (exit 2, not LeakSanitizer's 23, under ASan).
 * - The begin/end pair, for every command that writes a results directory
 *   (simulate, compare, optimize, sweep, fit): exit 0, summary.json whose
 *   "command" is the command's, --json on stdout equal to summary.json,
 *   report.html and the results marker, no temporary directory left. */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"
#include "scenario.h"

/* scenario_print as a string (malloc'd). */
static char *printed(const scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    scenario_print(f, s);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

static scenario *load_with(const char *path, const char *const *sets, size_t n)
{
    scenario *s = NULL;
    fz_error err = {0, ""};
    ck_assert_msg(scenario_load(&s, path, sets, n, &err) == 0, "%s", err.msg);
    return s;
}

static const char *const one_sets[] = {
    "fund.budget_usd=150000",
    "fund.policy=first_come",
    "simulation.seed=7",
    "simulation.replications=12",
    "region.chicago.bond_grant_prob=0.3",
    "region.chicago.label=Windy City",
    "region.chicago.max_bond_paid_usd=unlimited",
    "region.kansas_city.bond_usd.median=2500",
    "region.kansas_city.hearing_delay_days.max=20",
    "region.chicago.release_delay_days.value=3",
    "region.kansas_city.release_delay_days.value=2", /* absent from the file: its default, fixed(0), edited */
};

START_TEST(test_copy_equals_load)
{
    const char *path = cu_two_ini(cu_test_dir("copy"), 30);
    scenario *base = load_with(path, NULL, 0);
    char *pb = printed(base);
    for (size_t i = 0; i < sizeof one_sets / sizeof *one_sets; i++) {
        scenario *c = NULL, *l = load_with(path, &one_sets[i], 1);
        fz_error err = {0, ""};
        ck_assert_msg(scenario_copy_set(&c, base, one_sets[i], NULL, &err) == 0, "%s: %s", one_sets[i], err.msg);
        char *pc = printed(c), *pl = printed(l);
        ck_assert_msg(strcmp(pc, pl) == 0, "%s: copy\n%s\nload\n%s", one_sets[i], pc, pl);
        ck_assert_msg(strcmp(pc, pb) != 0, "%s changed nothing", one_sets[i]);
        ck_assert_str_eq(c->path, base->path);
        /* a copy of the copy: both overrides, in order */
        const char *two[] = {one_sets[i], "region.chicago.bond_usd.sigma=0.7"};
        scenario *cc = NULL, *l2 = load_with(path, two, 2);
        ck_assert_msg(scenario_copy_set(&cc, c, two[1], NULL, &err) == 0, "%s", err.msg);
        char *pcc = printed(cc), *pl2 = printed(l2);
        ck_assert_msg(strcmp(pcc, pl2) == 0, "%s then %s: copy\n%s\nload\n%s", two[0], two[1], pcc, pl2);
        scenario_free(cc); /* copies before what they were copied from */
        scenario_free(c);
        scenario_free(l);
        scenario_free(l2);
        free(pc), free(pl), free(pcc), free(pl2);
    }
    char *after = printed(base);
    ck_assert_str_eq(after, pb); /* the copies left the original alone */
    free(after);
    free(pb);
    scenario_free(base);
}
END_TEST

START_TEST(test_copy_reads_no_file)
{
    const char *path = cu_two_ini(cu_test_dir("nofile"), 30);
    const char *set = "region.kansas_city.bond_usd.median=2500";
    scenario *base = load_with(path, NULL, 0), *l = load_with(path, &set, 1), *c = NULL;
    ck_assert_int_eq(unlink(path), 0);
    fz_error err = {0, ""};
    ck_assert_msg(scenario_copy_set(&c, base, set, NULL, &err) == 0, "%s", err.msg);
    char *pc = printed(c), *pl = printed(l);
    ck_assert_str_eq(pc, pl);
    free(pc), free(pl);
    scenario_free(c);
    scenario_free(l);
    scenario_free(base);
}
END_TEST

/* Copies base with set (origin ORIGIN) and expects exit 2 and message. */
static void expect_copy_error(const scenario *base, const char *set, const char *origin, const char *want_start,
                              const char *want_in)
{
    scenario *c = (scenario *)1;
    fz_error err = {0, ""};
    ck_assert_int_eq(scenario_copy_set(&c, base, set, origin, &err), FZ_EINPUT);
    ck_assert_ptr_null(c);
    ck_assert_msg(strncmp(err.msg, want_start, strlen(want_start)) == 0, "%s: '%s' does not start with '%s'", set,
                  err.msg, want_start);
    ck_assert_msg(strstr(err.msg, want_in), "%s: '%s' lacks '%s'", set, err.msg, want_in);
    /* the origin once: what follows "ORIGIN: " is not the origin again */
    char o[1024];
    snprintf(o, sizeof o, "%s%s", origin ? origin : "--set ", origin ? "" : set);
    ck_assert_msg(strncmp(err.msg + strlen(o) + 2, o, strlen(o)) != 0, "%s: the origin twice: %s", set, err.msg);
}

START_TEST(test_copy_errors_name_origin)
{
    const char *dir = cu_test_dir("errors");
    const char *path = cu_path_in(dir, "g.ini");
    /* granularity_usd on line 3, [region.chicago] on line 4 */
    cu_write_file(path, "[fund]\nbudget_usd = 300000\ngranularity_usd = 500\n[region.chicago]\narrivals_per_day = 2\n"
                        "[region.kansas_city]\n");
    scenario *base = load_with(path, NULL, 0);
    char *before = printed(base), head[1600];
    const char *O = "--param region.chicago.bond_grant_prob=0.5:1.5:0.5 (point region.chicago.bond_grant_prob=1.5)";
    snprintf(head, sizeof head, "%s: bond_grant_prob = '1.5': expected a probability in [0, 1]", O);
    expect_copy_error(base, "region.chicago.bond_grant_prob=1.5", O, head, "");
    snprintf(head, sizeof head, "%s: unknown key 'bogus' in [region.chicago] (known: ", O);
    expect_copy_error(base, "region.chicago.bogus=1", O, head, "");
    snprintf(head, sizeof head, "%s: the scenario has no section [region.boston]", O);
    expect_copy_error(base, "region.boston.bond_grant_prob=0.1", O, head, "");
    snprintf(head, sizeof head, "%s: bond_usd: ", O);
    expect_copy_error(base, "region.chicago.bond_usd.shape=1", O, head, "shape");
    /* no origin given: the override as --set writes it */
    expect_copy_error(base, "region.chicago.bond_grant_prob=1.5", NULL,
                      "--set region.chicago.bond_grant_prob=1.5: bond_grant_prob = '1.5'", "");
    /* the grid limit, found at the file's granularity_usd line: prefixed */
    snprintf(head, sizeof head, "--budget X (point fund.budget_usd=1e9): %s:3: budget_usd / granularity_usd = ", path);
    expect_copy_error(base, "fund.budget_usd=1e9", "--budget X (point fund.budget_usd=1e9)", head,
                      "grid steps; the limit is 100000");
    /* the same limit at the override itself (granularity_usd set): named once */
    expect_copy_error(base, "fund.granularity_usd=1", "--param P (point fund.granularity_usd=1)",
                      "--param P (point fund.granularity_usd=1): budget_usd / granularity_usd = 300000 grid", "");
    /* people per replication, found at the region's section line */
    snprintf(head, sizeof head, "--set region.chicago.arrivals_per_day=20000: %s:4: [region.chicago]: ", path);
    expect_copy_error(base, "region.chicago.arrivals_per_day=20000", NULL, head, "people expected per replication");
    char *after = printed(base);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
    scenario_free(base);
}
END_TEST

START_TEST(test_load_named)
{
    const char *path = cu_two_ini(cu_test_dir("named"), 30);
    const char *sets[] = {"fund.budget_usd=1000", "simulation.seed=abc"}, *origins[] = {NULL, "--seed abc"};
    scenario *s = (scenario *)1;
    fz_error err = {0, ""};
    ck_assert_int_eq(scenario_load_named(&s, path, sets, origins, 2, &err), FZ_EINPUT);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.msg, "--seed abc: seed = 'abc': expected a whole number from 0 to 9223372036854775807");
    const char *bad[] = {"fund.budget_usd=-1"};
    ck_assert_int_eq(scenario_load_named(&s, path, bad, NULL, 1, &err), FZ_EINPUT);
    ck_assert_str_eq(err.msg, "--set fund.budget_usd=-1: budget_usd = '-1': expected an amount in USD in (0, 1e12]");
}
END_TEST

/* sweep.points[i].in_sample_value of a finished sweep. */
static double point_value(const char *out, size_t i)
{
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    double v = json_number_value(json_object_get(json_array_get(cu_json_at(s, "sweep.points"), i), "in_sample_value"));
    json_decref(s);
    return v;
}

START_TEST(test_sweep_point_beats_seed)
{
    const char *dir = cu_test_dir("seed"), *two = cu_two_ini(dir, 30);
    const char *a = cu_path_in(dir, "a"), *b = cu_path_in(dir, "b");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "sweep", "--param", "simulation.seed=1:2:1", "--seed", "5", "--no-plots", "--quiet", "-o",
                         a, two) == 0,
                  "%s", r.err);
    cu_run_free(&r);
    ck_assert_msg(CU_RUN(&r, "sweep", "--param", "simulation.seed=1:2:1", "--no-plots", "--quiet", "-o", b, two) == 0,
                  "%s", r.err);
    cu_run_free(&r);
    /* each point runs on its own seed, whatever --seed says */
    ck_assert_double_ne(point_value(a, 0), point_value(a, 1));
    ck_assert_double_eq(point_value(a, 0), point_value(b, 0));
    ck_assert_double_eq(point_value(a, 1), point_value(b, 1));
}
END_TEST

START_TEST(test_sweep_cross_key_point)
{
    const char *dir = cu_test_dir("cross"), *two = cu_two_ini(dir, 30);
    run_result r;
    int rc = CU_RUN(&r, "sweep", "--param", "region.chicago.min_share=0.2:0.8:0.3", "--set",
                    "region.kansas_city.min_share=0.5", "-o", cu_path_in(dir, "out"), two);
    ck_assert_int_eq(rc, 2);
    const char *want = "fianza: --param region.chicago.min_share=0.2:0.8:0.3 (point region.chicago.min_share=0.8): "
                       "the regions' min_share add up to 1.3 > 1";
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "stderr: %s", r.err);
    ck_assert_uint_eq(r.nout, 0);
    ck_assert_int_eq(cu_count_prefixed(dir, "out"), 0);
    cu_run_free(&r);
    /* points made, then -o refused: they are released too (under the
     * sanitizers a leak would turn exit 2 into LeakSanitizer's 23) */
    rc = CU_RUN(&r, "sweep", "--budget", "100000:300000:100000", "-o", "/", two);
    ck_assert_msg(rc == 2, "exit %d: %s", rc, r.err);
    ck_assert_msg(strstr(r.err, "-o /: not a usable directory name"), "stderr: %s", r.err);
    cu_run_free(&r);
}
END_TEST

/* Every command through the begin/end pair: directory, summary.json, --json. */
START_TEST(test_pair_every_command)
{
    const char *dir = cu_test_dir("pair"), *two = cu_two_ini(dir, 20);
    const char *csv = FZ_TEST_DIR "/data/amounts.csv";
    static const char *const A = "chicago=200000,kansas_city=100000", *const B = "chicago=100000";
    const char *const runs[][8] = {
        {"simulate", "--allocation", A, two},    {"compare", "--allocation", A, "--allocation", B, two},
        {"optimize", "--gap-batches", "2", two}, {"sweep", "--budget", "100000:200000:100000", two},
        {"sweep", "--tornado", "10", two},       {"fit", "--column", "amount", csv},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        char name[16];
        snprintf(name, sizeof name, "out%zu", i);
        const char *out = cu_path_in(dir, name);
        const char *args[16] = {runs[i][0], "--json", "--quiet", "--no-plots", "-o", out};
        size_t n = 6;
        for (size_t j = 1; j < 8 && runs[i][j]; j++)
            args[n++] = runs[i][j];
        run_result r;
        int rc = cu_run_v(&r, NULL, 120, args);
        ck_assert_msg(rc == 0, "%s: exit %d: %s", runs[i][0], rc, r.err);
        json_error_t je;
        json_t *printed_doc = json_loadb(r.out, r.nout, 0, &je), *file = cu_load_json(cu_path_in(out, "summary.json"));
        ck_assert_msg(printed_doc != NULL, "%s --json: %s", runs[i][0], je.text);
        ck_assert_msg(json_equal(printed_doc, file), "%s: --json differs from summary.json", runs[i][0]);
        ck_assert_str_eq(json_string_value(json_object_get(file, "command")), runs[i][0]);
        ck_assert_msg(cu_exists(cu_path_in(out, "report.html")), "%s: no report.html", runs[i][0]);
        ck_assert_msg(cu_exists(cu_path_in(out, ".fianza-results")), "%s: no marker", runs[i][0]);
        ck_assert_int_eq(cu_count_prefixed(dir, name), 1); /* no out.tmp-* left */
        json_decref(printed_doc);
        json_decref(file);
        cu_run_free(&r);
    }
}
END_TEST

Suite *make_cmd_suite(void)
{
    Suite *s = suite_create("cmd");
    TCase *copy = tcase_create("copy_set");
    tcase_add_unchecked_fixture(copy, cu_work_setup, cu_work_teardown);
    tcase_add_test(copy, test_copy_equals_load);
    tcase_add_test(copy, test_copy_reads_no_file);
    tcase_add_test(copy, test_copy_errors_name_origin);
    tcase_add_test(copy, test_load_named);
    suite_add_tcase(s, copy);
    TCase *cli = tcase_create("commands");
    tcase_add_unchecked_fixture(cli, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(cli, 300);
    tcase_add_test(cli, test_sweep_point_beats_seed);
    tcase_add_test(cli, test_sweep_cross_key_point);
    tcase_add_test(cli, test_pair_every_command);
    suite_add_tcase(s, cli);
    return s;
}

FZ_CHECK_MAIN(cmd)
