/* check_synthetic: the shipped synthetic data scenarios/data/synthetic_bonds.csv
 * and its generator (tests/synthetic_bonds.h), checked against the process
 * they describe rather than against one draw order, and `fianza fit` on it
 * (summary.json, charts' data and scripts, report.html). */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "cli_util.h"
#include "fit.h"
#include "synthetic_bonds.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* Not pinned to the sampler's draw order (a byte comparison with the
 * generator's output fails on any harmless change of how uniforms are
 * consumed): the shipped file and a fresh generator output must both look
 * like the process synthetic_bonds.h describes.  Counts of Bernoulli(p)
 * events over N rows must be within 5 binomial sd of N p (a false alarm has
 * probability 6e-7 per count); the amounts, whole dollars >= 1500, must pass
 * a KS test against lognormal(median=2800, sigma=0.8, min=1500) at p > 1e-4
 * (rounding to the dollar moves the cdf by at most 0.5 * max pdf = 1.6e-4,
 * against a KS critical value near 0.04 at n = 1,940). */

static void assert_binomial(long count, long n, double p, const char *what)
{
    double sd = sqrt(n * p * (1 - p));
    ck_assert_msg(fabs(count - n * p) <= 5 * sd, "%s: %ld of %ld, expected %.0f +- %.0f", what, count, n, n * p,
                  5 * sd);
}

static void assert_synthetic(const char *text, const char *what)
{
    const char *hdr = "case_id,court,bond_usd,hearing_delay_days\n";
    ck_assert_msg(!strncmp(text, hdr, strlen(hdr)), "%s: header", what);
    const char *p = text + strlen(hdr);
    long rows = 0, chicago = 0, empty = 0, dollar = 0, nodelay = 0, ndelay = 0;
    double delay_sum = 0;
    double *amounts = malloc(2000 * sizeof *amounts);
    size_t na = 0;
    char line[160];
    while (*p) {
        const char *e = strchr(p, '\n');
        ck_assert_msg(e && (size_t)(e - p) < sizeof line, "%s: row %ld unterminated or too long", what, rows + 1);
        memcpy(line, p, (size_t)(e - p));
        line[e - p] = '\0';
        p = e + 1;
        rows++;
        char id[16];
        snprintf(id, sizeof id, "SYN-%04ld,", rows);
        ck_assert_msg(!strncmp(line, id, strlen(id)) && rows <= 2000, "%s: row %ld: %s", what, rows, line);
        const char *q = line + strlen(id);
        if (!strncmp(q, "\"Chicago, IL\",", 14))
            chicago++, q += 14;
        else {
            ck_assert_msg(!strncmp(q, "\"Kansas City, MO\",", 18), "%s: court in %s", what, line);
            q += 18;
        }
        char digits[32];
        size_t nd = 0;
        if (*q == '"') { /* "$12,500": a dollar sign and thousands separators */
            dollar++;
            ck_assert_msg(q[1] == '$', "%s: %s", what, line);
            for (q += 2; *q && *q != '"'; q++)
                if (*q != ',')
                    digits[nd++] = *q;
                else
                    ck_assert_msg(strlen(q) >= 5 && strspn(q + 1, "0123456789") == 3, "%s: separator in %s", what,
                                  line);
            ck_assert_msg(*q == '"' && q[1] == ',', "%s: %s", what, line);
            q += 2;
        } else {
            for (; *q && *q != ','; q++)
                digits[nd++] = *q;
            ck_assert_msg(*q == ',', "%s: %s", what, line);
            q++;
        }
        digits[nd] = '\0';
        if (nd == 0)
            empty++;
        else {
            ck_assert_msg(strspn(digits, "0123456789") == nd && atol(digits) >= 1500, "%s: amount in %s", what, line);
            amounts[na++] = (double)atol(digits);
        }
        if (*q == '\0')
            nodelay++;
        else {
            ck_assert_msg(strspn(q, "0123456789") == strlen(q), "%s: delay in %s", what, line);
            delay_sum += atol(q), ndelay++;
        }
    }
    ck_assert_msg(rows == 2000, "%s: %ld rows", what, rows);
    assert_binomial(chicago, rows, 0.6, "Chicago rows");
    assert_binomial(empty, rows, 0.03, "empty amounts");
    assert_binomial(dollar, rows - empty, 0.3, "\"$12,500\" amounts");
    assert_binomial(nodelay, rows, 0.02, "empty delays");
    /* gamma(mean=14, sd=7) rounded: mean within 5 standard errors (7/sqrt n) */
    ck_assert_msg(fabs(delay_sum / ndelay - 14) <= 5 * 7 / sqrt((double)ndelay), "%s: mean delay %g", what,
                  delay_sum / ndelay);
    fit_result truth = {
        .family = DIST_LOGNORMAL, .ok = 1, .nparams = 2, .param = {2800, 0.8}, .lo = 1500, .hi = INFINITY};
    fz_error err = {0, ""};
    ck_assert_int_eq(fit_gof(&truth, amounts, na, &err), 0);
    ck_assert_msg(truth.ks_p > 1e-4, "%s: amounts vs their distribution: KS D %g, p %g", what, truth.ks, truth.ks_p);
    free(amounts);
}

START_TEST(test_synthetic_file)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&mem, &len);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(synthetic_bonds_write(m), 0);
    fclose(m);
    assert_synthetic(mem, "tests/gen_synthetic_bonds output");
    free(mem);
    const char *path = FZ_TEST_DIR "/../scenarios/data/synthetic_bonds.csv";
    char *shipped = cu_slurp(path, &len);
    ck_assert_msg(shipped != NULL, "%s: %s", path, strerror(errno));
    assert_synthetic(shipped, path);
    free(shipped);
}
END_TEST

START_TEST(test_cli_fit_outputs)
{
    const char *dir = cu_test_dir("outputs");
    const char *csv = FZ_TEST_DIR "/../scenarios/data/synthetic_bonds.csv";
    run_result r;
    int st = CU_RUN_IN(&r, dir, 60, "fit", csv, "--column", "bond_usd", "--min", "1500", "--json", "--no-plots");
    ck_assert_msg(st == 0, "exit %d: %s", st, r.err);
    /* stdout is summary.json alone, the table goes to stderr */
    json_error_t je;
    json_t *doc = json_loads(r.out, 0, &je);
    ck_assert_msg(doc != NULL, "stdout is not JSON: %s\n%s", je.text, r.out);
    json_t *file = cu_load_json(cu_path_in(dir, "results/synthetic_bonds/summary.json"));
    ck_assert(json_equal(doc, file));
    ck_assert_str_eq(json_string_value(json_object_get(doc, "best")), "lognormal");
    const char *line = json_string_value(json_object_get(doc, "scenario_line"));
    ck_assert_msg(line && !strncmp(line, "bond_usd = lognormal(median=", 28) && strstr(line, ", min=1500)"), "%s",
                  line ? line : "(none)");
    /* every non-empty amount is a whole dollar >= 1500 (checked in
     * test_synthetic_file), so with --min 1500 all 2000 rows but the empty
     * cells are used; the empty cells are Bin(2000, 0.03): 60 +- 5 sd (38) */
    json_int_t used = json_integer_value(json_object_get(doc, "used")),
               empty = json_integer_value(json_object_get(doc, "empty_cells"));
    ck_assert_msg(used + empty == 2000, "used %lld + empty %lld != 2000 rows", (long long)used, (long long)empty);
    assert_binomial((long)empty, 2000, 0.03, "empty_cells");
    json_t *fits = json_object_get(doc, "fits");
    /* ranked: every family once (all five fit positive data above 1500),
     * AIC ascending, and each one's line parses back */
    size_t nf = json_array_size(fits);
    ck_assert_uint_eq(nf, FIT_NFAMILIES);
    for (size_t k = 0; k < nf; k++) {
        json_t *fk = json_array_get(fits, k);
        fit_family fam;
        ck_assert_int_eq(fit_family_parse(json_string_value(json_object_get(fk, "family")), &fam), 0);
        for (size_t l = 0; l < k; l++)
            ck_assert_str_ne(json_string_value(json_object_get(json_array_get(fits, l), "family")),
                             json_string_value(json_object_get(fk, "family")));
        ck_assert(json_is_number(json_object_get(fk, "aic")));
        if (k)
            ck_assert_double_ge(json_real_value(json_object_get(fk, "aic")),
                                json_real_value(json_object_get(json_array_get(fits, k - 1), "aic")));
    }
    json_t *best = json_array_get(fits, 0);
    double med = json_real_value(json_object_get(json_object_get(best, "parameters"), "median"));
    double se = json_real_value(json_object_get(json_object_get(best, "standard_errors"), "median"));
    ck_assert_msg(fabs(med - 2800) < 4 * se, "median %g (se %g), generated with 2800", med, se);
    ck_assert_ptr_nonnull(strstr(r.err, "scenario line (best by AIC):\nbond_usd = lognormal("));
    const char *files[] = {"fit.csv",     "fit_hist.csv", "fit_density.csv", "fit_qq.csv",
                           "fit_hist.gp", "fit_qq.gp",    "theme.gp",        "report.html"};
    for (size_t i = 0; i < NELEM(files); i++) {
        char name[128];
        snprintf(name, sizeof name, "results/synthetic_bonds/%s", files[i]);
        ck_assert_msg(cu_exists(cu_path_in(dir, name)), "%s missing", name);
    }
    json_decref(doc);
    json_decref(file);
    cu_run_free(&r);
}
END_TEST

Suite *make_synthetic_suite(void)
{
    Suite *s = suite_create("synthetic");
    TCase *tc = tcase_create("data");
    tcase_add_test(tc, test_synthetic_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_add_test(tc, test_cli_fit_outputs);
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(synthetic)
