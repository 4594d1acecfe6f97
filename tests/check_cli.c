/* check_cli: the fianza command line (DESIGN §5), run as a child process.
 *
 * Every case runs the built binary FZ_BIN with posix_spawn (an argument
 * vector, no shell), stdout and stderr captured in temporary files, its
 * working directory set to a private directory, and waits for its exit
 * status (killing it after a timeout).  Asserted:
 * - `check` prints every key with its default filled in, and its output
 *   loads back to the same scenario; bad scenarios exit 2 naming FILE:LINE;
 * - `simulate` writes summary.json (the DESIGN §5 keys), allocation.csv and
 *   replications.csv (header + replications x regions rows) into -o DIR or
 *   results/SCENARIO_NAME, consistent with each other;
 * - --threads 1 and 2 give byte-identical summary.json and replications.csv;
 * - bad usage exits 2 and leaves neither DIR nor DIR.tmp-* behind; an
 *   unwritable -o fails at once, before simulating;
 * - --seed changes results and reproduces them; --json prints exactly
 *   summary.json on stdout; --help exits 0.
 *
 * All files live in one mkdtemp directory made and removed by an unchecked
 * fixture (in the parent process, so it goes even when a test fails); the
 * process and file helpers are in cli_util.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"

/* ---- scenarios: cu_two_ini (cli_util.c), 200 replications ---- */

#define ALLOC "chicago=200000,kansas_city=100000"

/* ---- check ---- */

START_TEST(test_check_defaults)
{
    const char *dir = cu_test_dir("check_defaults");
    const char *ini = cu_path_in(dir, "minimal.ini");
    cu_write_file(ini, "[region.solo]\n");
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "check", ini), 0);
    ck_assert_uint_eq(r.nerr, 0);
    const char *want[] = {"[fund]\n",
                          "\nbudget_usd = 300000\n",
                          "\nhorizon_days = 90\n",
                          "\ngranularity_usd = 500\n",
                          "\npolicy = cheapest_first\n",
                          "\nobjective = releases\n",
                          "\ncvar_alpha = 0.1\n",
                          "\ntarget_releases = 0\n",
                          "[simulation]\n",
                          "\nreplications = 10000\n",
                          "\nseed = 1\n",
                          "[region.solo]\n",
                          "\nlabel = solo\n",
                          "\ninitial_detained = 0\n",
                          "\narrivals_per_day = 0\n",
                          "\nbond_grant_prob = 1\n",
                          "\nbond_usd = fixed(1500)\n",
                          "\nmax_bond_paid_usd = unlimited\n",
                          "\ncase_cost_usd = 0\n",
                          "\nhearing_delay_days = fixed(0)\n",
                          "\nrelease_delay_days = fixed(0)\n",
                          "\nremoval_hazard_per_day = 0\n",
                          "\nfamily_pays_prob = 0\n",
                          "\nmin_share = 0\n",
                          "\nmax_share = 1\n"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(r.out, want[i]) != NULL, "check output lacks '%s':\n%s", want[i], r.out);

    /* The output is itself a scenario that loads back to the same thing. */
    const char *again = cu_path_in(dir, "again.ini");
    cu_write_file(again, r.out);
    run_result r2;
    ck_assert_int_eq(CU_RUN(&r2, "check", again), 0);
    const char *body1 = strchr(r.out, '\n'), *body2 = strchr(r2.out, '\n'); /* skip the path comment */
    ck_assert_ptr_nonnull(body1);
    ck_assert_ptr_nonnull(body2);
    ck_assert_str_eq(body1, body2);
    cu_run_free(&r2);
    cu_run_free(&r);

    /* Given values are printed back, the others defaulted; --set applies. */
    const char *two = cu_two_ini(dir, 200);
    ck_assert_int_eq(CU_RUN(&r, "check", "--set", "region.chicago.case_cost_usd=75", "--seed", "99", two), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "[region.kansas_city]\nlabel = Kansas City\ninitial_detained = 60\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\ncase_cost_usd = 75\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nseed = 99\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nmax_bond_paid_usd = 25000\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\ntarget_releases = 150\n"));
    cu_run_free(&r);
}
END_TEST

START_TEST(test_check_bad_scenarios)
{
    const char *dir = cu_test_dir("check_bad");
    const struct {
        const char *text;
        int line; /* 0: no line to name */
    } bad[] = {
        {"[fund]\nbudget_usd = 100\nbogus = 1\n[region.a]\n", 3},
        {"[region.a]\ninitial_detained = -1\n", 2},
        {"[region.a]\n\n; comment\nbond_usd = normal(mean=1, sd=2)\n", 4},
        {"[fund]\n[regio.a]\n", 2},
        {"[region.a]\nbond_usd = pareto(shape=1)\n", 2},
        {"[region.a]\nbond_grant_prob = 1.5\n", 2},
        {"[region.a]\ninitial_detained = 5\ninitial_detained = 6\n", 3},
        {"[region.a]\nthis line has no equals sign\n", 2},
        {"[simulation]\nreplications = 0\n[region.a]\n", 2},
        {"[fund]\npolicy = random\n[region.a]\n", 2},
        {"[fund]\n", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char name[32], where[600];
        snprintf(name, sizeof name, "bad%zu.ini", i);
        const char *ini = cu_path_in(dir, name);
        cu_write_file(ini, bad[i].text);
        run_result r;
        ck_assert_msg(CU_RUN(&r, "check", ini) == 2, "case %zu: exit %d\n%s", i, r.status, r.err);
        if (bad[i].line)
            snprintf(where, sizeof where, "%s:%d", ini, bad[i].line);
        else
            snprintf(where, sizeof where, "%s", ini);
        ck_assert_msg(strstr(r.err, where) != NULL, "case %zu: stderr lacks '%s':\n%s", i, where, r.err);
        ck_assert_msg(strncmp(r.err, "fianza: ", 8) == 0, "case %zu: %s", i, r.err);
        ck_assert_uint_eq(r.nout, 0);
        cu_run_free(&r);
    }
    /* --set errors name the option; a missing file names the path. */
    const char *two = cu_two_ini(dir, 200);
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "check", "--set", "fund.budget_usd=-5", two), 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--set fund.budget_usd=-5"));
    cu_run_free(&r);
    const char *missing = cu_path_in(dir, "no_such.ini");
    ck_assert_int_eq(CU_RUN(&r, "check", missing), 2);
    ck_assert_ptr_nonnull(strstr(r.err, missing));
    cu_run_free(&r);
}
END_TEST

/* ---- simulate ---- */

/* Checks one simulate results directory against the two-region scenario. */
static void check_results(const char *out, size_t reps, double seed, double chicago, double kc)
{
    json_t *s = cu_load_json(cu_path_in(out, "summary.json"));
    ck_assert_str_eq(json_string_value(cu_json_at(s, "scenario")), "two");
    ck_assert_double_eq(cu_json_num(s, "seed"), seed);
    ck_assert_str_eq(json_string_value(cu_json_at(s, "policy")), "cheapest_first");
    ck_assert_str_eq(json_string_value(cu_json_at(s, "objective")), "releases");
    ck_assert_double_eq(cu_json_num(s, "budget_usd"), 300000);
    ck_assert_double_eq(cu_json_num(s, "replications.evaluate"), (double)reps);
    cu_json_num(s, "replications.optimize");
    ck_assert_double_eq(cu_json_num(s, "allocation.chicago"), chicago);
    ck_assert_double_eq(cu_json_num(s, "allocation.kansas_city"), kc);
    ck_assert_uint_eq(json_object_size(cu_json_at(s, "allocation")), 2);

    double mean = cu_json_num(s, "releases.mean");
    json_t *ci = cu_json_at(s, "releases.ci95");
    ck_assert(json_is_array(ci) && json_array_size(ci) == 2);
    double lo = json_number_value(json_array_get(ci, 0)), hi = json_number_value(json_array_get(ci, 1));
    ck_assert(lo <= mean && mean <= hi);
    double p05 = cu_json_num(s, "releases.p05"), p50 = cu_json_num(s, "releases.p50"),
           p95 = cu_json_num(s, "releases.p95");
    ck_assert(p05 <= p50 && p50 <= p95);
    ck_assert(mean > 0);

    const char *regions[] = {"chicago", "kansas_city"};
    const double alloc[] = {chicago, kc};
    double sum = 0;
    for (int c = 0; c < 2; c++) {
        char key[128];
#define REGION_NUM(field) (snprintf(key, sizeof key, "regions.%s.%s", regions[c], field), cu_json_num(s, key))
        ck_assert_double_eq(REGION_NUM("allocated_usd"), alloc[c]);
        double rel = REGION_NUM("releases_mean");
        double spent = REGION_NUM("spent_usd_mean");
        double fundable = REGION_NUM("fundable_mean");
        ck_assert(rel >= 0 && rel <= fundable);
        ck_assert(spent >= 0 && spent <= alloc[c]);
        snprintf(key, sizeof key, "regions.%s.days_in_detention_mean", regions[c]);
        json_t *days = cu_json_at(s, key);
        if (rel > 0) /* without releases there is no mean: null */
            ck_assert(json_is_number(days) && json_number_value(days) > 0);
        else
            ck_assert(json_is_null(days) && alloc[c] == 0);
        sum += rel;
#undef REGION_NUM
    }
    /* the regions add up to the plain mean (releases.mean is the control variate's, issue 16) */
    ck_assert_str_eq(json_string_value(cu_json_at(s, "releases.estimator")), "control_variate");
    ck_assert_double_eq_tol(sum, cu_json_num(s, "releases.plain.mean"), 1e-6 * (1 + mean));
    ck_assert_uint_eq(json_object_size(cu_json_at(s, "regions")), 2);

    /* replications.csv: header + reps x regions rows, releases agreeing with
     * the summary's mean. */
    char *csv = cu_slurp(cu_path_in(out, "replications.csv"), NULL);
    ck_assert_ptr_nonnull(csv);
    ck_assert_uint_eq(cu_count_lines(csv), 1 + 2 * reps);
    ck_assert_int_eq(strncmp(csv, "replication,", 12), 0);
    const char *hdr_end = strchr(csv, '\n');
    /* releases is the 5th column (replication,allocation,region,allocated_usd,releases,...) */
    int col = 0;
    for (const char *p = csv; p < hdr_end; p++)
        if (*p == ',' && ++col == 4)
            ck_assert_int_eq(strncmp(p + 1, "releases,", 9), 0);
    double total = 0;
    size_t rows = 0;
    for (char *line = (char *)hdr_end + 1; *line; rows++) {
        char *nl = strchr(line, '\n');
        ck_assert_ptr_nonnull(nl);
        char *f = line;
        for (int k = 0; k < 4; k++) {
            f = strchr(f, ',');
            ck_assert(f && f < nl);
            f++;
        }
        total += strtod(f, NULL);
        line = nl + 1;
    }
    ck_assert_uint_eq(rows, 2 * reps);
    ck_assert_double_eq_tol(total / (double)reps, cu_json_num(s, "releases.plain.mean"), 1e-6 * (1 + mean));
    free(csv);

    char *alloc_csv = cu_slurp(cu_path_in(out, "allocation.csv"), NULL);
    ck_assert_ptr_nonnull(alloc_csv);
    ck_assert_uint_eq(cu_count_lines(alloc_csv), 4); /* header, 2 regions, unallocated */
    ck_assert_ptr_nonnull(strstr(alloc_csv, "\nchicago,"));
    ck_assert_ptr_nonnull(strstr(alloc_csv, "\nkansas_city,"));
    ck_assert_ptr_nonnull(strstr(alloc_csv, "\nunallocated,"));
    free(alloc_csv);
    json_decref(s);
}

START_TEST(test_simulate_outputs)
{
    const char *dir = cu_test_dir("simulate");
    const char *two = cu_two_ini(dir, 200);
    const char *out = cu_path_in(dir, "out");
    run_result r;
    ck_assert_msg(CU_RUN(&r, "simulate", "--allocation", ALLOC, "--replications", "300", "-o", out, two) == 0, "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "Chicago")); /* the table */
    cu_run_free(&r);
    check_results(out, 300, 20251218, 200000, 100000);
    ck_assert_int_eq(cu_count_prefixed(dir, "out"), 1); /* no out.tmp-* or out.old-* */

    /* Running again replaces the directory whole; regions left out get 0. */
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--allocation", "kansas_city=250000", "--replications", "150",
                            "-o", out, two),
                     0);
    ck_assert_uint_eq(r.nout, 0); /* --quiet */
    cu_run_free(&r);
    check_results(out, 150, 20251218, 0, 250000);
    ck_assert_int_eq(cu_count_prefixed(dir, "out"), 1);
}
END_TEST

/* Without -o the results go to results/SCENARIO_NAME under the working directory. */
START_TEST(test_simulate_default_dir)
{
    const char *dir = cu_test_dir("default_dir");
    const char *two = cu_two_ini(dir, 200);
    char cwd[512];
    snprintf(cwd, sizeof cwd, "%s", dir);
    run_result r;
    ck_assert_msg(CU_RUN_IN(&r, cwd, 60, "simulate", "--quiet", "--allocation", ALLOC, "--replications", "100", two) ==
                      0,
                  "%s", r.err);
    cu_run_free(&r);
    char results[600];
    snprintf(results, sizeof results, "%s/results", cwd);
    check_results(cu_path_in(results, "two"), 100, 20251218, 200000, 100000);
    ck_assert_int_eq(cu_count_prefixed(results, "two"), 1);
}
END_TEST

static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = cu_slurp(a, &na), *y = cu_slurp(b, &nb);
    ck_assert_msg(x && y, "missing %s or %s", a, b);
    ck_assert_msg(na == nb && memcmp(x, y, na) == 0, "%s and %s differ", a, b);
    free(x);
    free(y);
}

START_TEST(test_threads_identical)
{
    const char *dir = cu_test_dir("threads");
    const char *two = cu_two_ini(dir, 200);
    const char *o1 = cu_path_in(dir, "t1"), *o2 = cu_path_in(dir, "t2"), *o3 = cu_path_in(dir, "t3");
    run_result r;
    /* 2500 replications: three evaluation blocks */
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--allocation", ALLOC, "--replications", "2500", "--threads",
                            "1", "-o", o1, two),
                     0);
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--allocation", ALLOC, "--replications", "2500", "--threads",
                            "2", "-o", o2, two),
                     0);
    cu_run_free(&r);
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--threads", "3", "--allocation", ALLOC, "--replications",
                            "2500", "-o", o3, two),
                     0);
    cu_run_free(&r);
    const char *files[] = {"summary.json", "replications.csv", "allocation.csv"};
    for (size_t i = 0; i < 3; i++) {
        assert_same_file(cu_path_in(o1, files[i]), cu_path_in(o2, files[i]));
        assert_same_file(cu_path_in(o1, files[i]), cu_path_in(o3, files[i]));
    }
}
END_TEST

/* Bad usage: exit 2, a message on stderr, and no results directory (nor a
 * DIR.tmp-* sibling). */
START_TEST(test_bad_usage)
{
    const char *dir = cu_test_dir("bad_usage");
    const char *two = cu_two_ini(dir, 200);
    const char *out = cu_path_in(dir, "out");
    const char *missing = cu_path_in(dir, "missing.ini");
    const char *const cases[][12] = {
        {"simulate", "--allocation", "chicago=1000,boston=5", "-o", out, two},
        {"simulate", "--allocation", "chicago=200000,kansas_city=100001", "-o", out, two},
        {"simulate", "--allocation", "chicago=300001", "-o", out, two},
        {"simulate", "--allocation", "chicago=-5", "-o", out, two},
        {"simulate", "--allocation", "chicago=abc", "-o", out, two},
        {"simulate", "--allocation", "chicago=5,chicago=6", "-o", out, two},
        {"simulate", "--allocation", "", "-o", out, two},
        {"simulate", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--allocation", ALLOC, "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--bogus", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--replications", "0", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--replications", "many", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--threads", "0", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--seed", "-1", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--set", "fund.no_such_key=1", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--set", "region.boston.initial_detained=1", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--set", "region.chicago.bond_usd=fixed(-3)", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "--set", "nodot", "-o", out, two},
        {"simulate", "--allocation", ALLOC, "-o", out, missing},
        {"simulate", "--allocation", ALLOC, "-o", out},
        {"simulate", "--allocation", ALLOC, "-o", out, two, "extra", "more"},
        {"simulate", "--allocation", ALLOC, two, "-o"},
        {"nosuchcommand", two},
    };
    /* the cause each message must name, one per case (not just any stderr) */
    static const char *const want[] = {
        "no region 'boston' in ",
        "allocates 300001.00 USD, more than the budget of 300000.00 USD",
        "allocates 300001.00 USD, more than the budget of 300000.00 USD",
        "'-5' for chicago is not an amount in USD >= 0",
        "'abc' for chicago is not an amount in USD >= 0",
        "region 'chicago' given twice",
        "--allocation: expected region=usd",
        "expected exactly one --allocation",
        "expected exactly one --allocation",
        "unknown option '--bogus'",
        "--replications 0: replications = '0': expected a whole number from 1 to 100000000",
        "--replications many: expected a whole number from 1 to 100000000",
        "--threads 0: expected a whole number from 1 to 1024",
        "--seed -1: seed = '-1': expected a whole number from 0 to",
        "unknown key 'no_such_key' in [fund]",
        "the scenario has no section [region.boston]",
        "bond_usd = fixed(-3) can be negative",
        "--set nodot: expected section.key=value",
        "missing.ini: cannot open: No such file or directory",
        "expected a scenario file",
        "unexpected argument 'extra'",
        "-o: expects a value",
        "unknown command 'nosuchcommand'",
    };
    ck_assert_uint_eq(sizeof want / sizeof *want, sizeof cases / sizeof *cases);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_result r;
        int rc = cu_run_v(&r, dir, 30, cases[i]);
        ck_assert_msg(rc == 2, "case %zu (%s %s): exit %d\n%s", i, cases[i][1], cases[i][2], rc, r.err);
        ck_assert_msg(strncmp(r.err, "fianza: ", 8) == 0 && strstr(r.err, want[i]) != NULL,
                      "case %zu: expected 'fianza: ...%s...', got '%s'", i, want[i], r.err);
        ck_assert_msg(cu_count_prefixed(dir, "out") == 0, "case %zu left a results directory behind", i);
        ck_assert_msg(!cu_exists(cu_path_in(dir, "results")), "case %zu wrote results/", i);
        cu_run_free(&r);
    }
}
END_TEST

/* An unwritable -o fails with exit 2 before any simulation: the scenario
 * here would take hours to simulate. */
START_TEST(test_unwritable_outdir)
{
    const char *dir = cu_test_dir("unwritable");
    const char *ini = cu_path_in(dir, "huge.ini");
    cu_write_file(ini, "[simulation]\nreplications = 10000000\n[region.big]\ninitial_detained = 100000\n"
                       "bond_usd = uniform(min=1500, max=3000)\n");
    const char *file = cu_path_in(dir, "plainfile");
    cu_write_file(file, "not a directory\n");
    const char *targets[] = {"/proc/fianza_results", "/proc/self/nope/results", cu_path_in(dir, "plainfile/sub"), file};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        run_result r;
        int rc = CU_RUN_IN(&r, dir, 20, "simulate", "--allocation", "big=300000", "-o", targets[i], ini);
        ck_assert_msg(rc == 2, "-o %s: exit %d\n%s", targets[i], rc, r.err);
        /* 10 s: simulating would be 10^7 replications x 10^5 people = 10^12
         * draws, >= 500 s even at 10^9 draws a second on each of 2 cores; a
         * refusal before it is a parse and a mkdir (milliseconds), so 10 s
         * (2% of the work, 1000x the refusal) tells them apart on any machine */
        ck_assert_msg(r.seconds < 10 * cu_time_scale(), "-o %s: took %.1f s", targets[i], r.seconds);
        ck_assert_ptr_nonnull(strstr(r.err, targets[i]));
        ck_assert_int_eq(cu_count_prefixed(dir, "plainfile"), 1);
        cu_run_free(&r);
    }
    char *still = cu_slurp(file, NULL);
    ck_assert_str_eq(still, "not a directory\n");
    free(still);
}
END_TEST

START_TEST(test_seed)
{
    const char *dir = cu_test_dir("seed");
    const char *two = cu_two_ini(dir, 200);
    const char *a = cu_path_in(dir, "a"), *b = cu_path_in(dir, "b"), *c = cu_path_in(dir, "c");
    run_result r;
    ck_assert_int_eq(
        CU_RUN(&r, "simulate", "--quiet", "--seed", "11", "--allocation", ALLOC, "--replications", "400", "-o", a, two),
        0);
    cu_run_free(&r);
    ck_assert_int_eq(
        CU_RUN(&r, "simulate", "--quiet", "--seed", "11", "--allocation", ALLOC, "--replications", "400", "-o", b, two),
        0);
    cu_run_free(&r);
    ck_assert_int_eq(
        CU_RUN(&r, "simulate", "--quiet", "--seed", "12", "--allocation", ALLOC, "--replications", "400", "-o", c, two),
        0);
    cu_run_free(&r);
    assert_same_file(cu_path_in(a, "summary.json"), cu_path_in(b, "summary.json"));
    assert_same_file(cu_path_in(a, "replications.csv"), cu_path_in(b, "replications.csv"));
    json_t *ja = cu_load_json(cu_path_in(a, "summary.json")), *jc = cu_load_json(cu_path_in(c, "summary.json"));
    ck_assert_double_eq(cu_json_num(ja, "seed"), 11);
    ck_assert_double_eq(cu_json_num(jc, "seed"), 12);
    ck_assert(!json_equal(cu_json_at(ja, "releases"), cu_json_at(jc, "releases")));
    ck_assert(!json_equal(cu_json_at(ja, "regions"), cu_json_at(jc, "regions")));
    json_decref(ja);
    json_decref(jc);
    char *ca = cu_slurp(cu_path_in(a, "replications.csv"), NULL),
         *cc = cu_slurp(cu_path_in(c, "replications.csv"), NULL);
    ck_assert_str_ne(ca, cc);
    free(ca);
    free(cc);

    /* --seed is the scenario's [simulation] seed: the same as --set */
    const char *d = cu_path_in(dir, "d");
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--quiet", "--set", "simulation.seed=11", "--allocation", ALLOC,
                            "--replications", "400", "-o", d, two),
                     0);
    cu_run_free(&r);
    assert_same_file(cu_path_in(a, "summary.json"), cu_path_in(d, "summary.json"));
}
END_TEST

/* --json prints summary.json on stdout, and nothing else there: stdout must
 * parse as one JSON document equal to the file, with or without --quiet. */
START_TEST(test_json_stdout)
{
    const char *dir = cu_test_dir("json");
    const char *two = cu_two_ini(dir, 200);
    const char *flags[][2] = {{"--json", "--quiet"}, {"--json", "--json"}};
    for (size_t i = 0; i < 2; i++) {
        const char *out = cu_path_in(dir, i ? "loud" : "quiet");
        run_result r;
        ck_assert_int_eq(CU_RUN(&r, "simulate", flags[i][0], flags[i][1], "--allocation", ALLOC, "--replications",
                                "200", "-o", out, two),
                         0);
        json_error_t je;
        json_t *doc = json_loadb(r.out, r.nout, 0, &je);
        ck_assert_msg(doc != NULL, "%s: stdout is not JSON (%s, line %d):\n%.300s", flags[i][1], je.text, je.line,
                      r.out);
        json_t *file = cu_load_json(cu_path_in(out, "summary.json"));
        ck_assert_msg(json_equal(doc, file), "%s: stdout differs from summary.json", flags[i][1]);
        ck_assert_double_eq(cu_json_num(doc, "replications.evaluate"), 200);
        json_decref(doc);
        json_decref(file);
        cu_run_free(&r);
    }
}
END_TEST

START_TEST(test_help)
{
    const char *dir = cu_test_dir("help");
    const char *const ok[][3] = {{"--help"}, {"-h"}, {"simulate", "--help"}, {"check", "--help"}, {"simulate", "-h"}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        run_result r;
        ck_assert_msg(cu_run_v(&r, dir, 30, ok[i]) == 0, "%s %s: exit %d", ok[i][0], ok[i][1] ? ok[i][1] : "",
                      r.status);
        ck_assert_ptr_nonnull(strstr(r.out, "usage: fianza"));
        cu_run_free(&r);
    }
    run_result r;
    ck_assert_int_eq(CU_RUN(&r, "simulate", "--help"), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "--allocation"));
    ck_assert_ptr_nonnull(strstr(r.out, "--threads"));
    cu_run_free(&r);
    const char *const none[] = {NULL};
    ck_assert_int_eq(cu_run_v(&r, dir, 30, none), 2); /* no command: usage on stderr */
    ck_assert_ptr_nonnull(strstr(r.err, "usage: fianza"));
    cu_run_free(&r);
    ck_assert_int_eq(cu_count_prefixed(dir, ""), 2); /* only . and .. */
}
END_TEST

Suite *make_cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *check = tcase_create("check");
    tcase_add_unchecked_fixture(check, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(check, 60);
    tcase_add_test(check, test_check_defaults);
    tcase_add_test(check, test_check_bad_scenarios);
    suite_add_tcase(s, check);

    TCase *sim = tcase_create("simulate");
    tcase_add_unchecked_fixture(sim, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(sim, 120);
    tcase_add_test(sim, test_simulate_outputs);
    tcase_add_test(sim, test_simulate_default_dir);
    tcase_add_test(sim, test_threads_identical);
    tcase_add_test(sim, test_seed);
    tcase_add_test(sim, test_json_stdout);
    suite_add_tcase(s, sim);

    TCase *usage = tcase_create("usage");
    tcase_add_unchecked_fixture(usage, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(usage, 120);
    tcase_add_test(usage, test_bad_usage);
    tcase_add_test(usage, test_unwritable_outdir);
    tcase_add_test(usage, test_help);
    suite_add_tcase(s, usage);
    return s;
}

FZ_CHECK_MAIN(cli)
