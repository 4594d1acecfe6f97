/* compare_regions: `fianza compare --regions`, the regions side by side for
 * the same money (compare_out.h).  Variant k gave the whole budget B to
 * region k; each figure is region k's under variant k, and its paired
 * difference to region 1 under variant 1 (the same replications: common
 * random numbers).  Ratios (USD per release, days per release) and their
 * differences get 95% intervals by the delta method (compare_est). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_out.h"
#include "plot.h"

static const struct {
    compare_metric m;
    const char *col, *head;
    int digits;
} figs[] = {
    {CMP_M_RELEASES, "releases_mean", "releases", 1},
    {CMP_M_COST, "cost_per_release_usd", "USD per release", 0},
    {CMP_M_PER_10K, "releases_per_10k_usd", "releases/USD 10k", 2},
    {CMP_M_DETENTION, "days_in_detention_mean", "days in detention", 1},
    {CMP_M_FUNDABLE_MONTH, "fundable_per_month_mean", "fundable/month", 1},
};
enum { NFIGS = sizeof figs / sizeof *figs };

void compare_key(char *buf, size_t size, const char *col, int diff, const char *suffix)
{
    size_t len = strlen(col);
    int mean = len > 5 && !strcmp(col + len - 5, "_mean");
    snprintf(buf, size, "%.*s%s%s%s", (int)(mean ? len - 5 : len), col, diff ? "_diff_to_first" : "", suffix,
             mean && !*suffix ? "_mean" : "");
}

static double months_of(const scenario *s) { return s->horizon_days / COMPARE_MONTH_DAYS; }

/* Region k's figure i (diff 0) or its paired difference to region 1 (diff 1). */
static stat_est fig(const scenario *s, const compare_acc *acc, size_t k, size_t i, int diff)
{
    const compare_pair *p = &acc->pairs[acc->K * (acc->C + 1) + k];
    return compare_est(p, figs[i].m, diff, s->budget_usd, s->budget_usd, months_of(s));
}

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static int write_csv(outdir *dir, const scenario *s, const compare_acc *acc, fz_error *err)
{
    FILE *f = outdir_open(dir, "compare_regions.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "region,variant_id,allocated_usd");
    static const char *const sfx[] = {"", "_ci95_lo", "_ci95_hi"};
    for (size_t i = 0; i < NFIGS; i++)
        for (int d = 0; d < 2; d++)
            for (int j = 0; j < 3; j++) {
                char key[96];
                compare_key(key, sizeof key, figs[i].col, d, sfx[j]);
                fprintf(f, ",%s", key);
            }
    fprintf(f, ",region_label\n"); /* last: see compare.csv */
    for (size_t k = 0; k < acc->C; k++) {
        fprintf(f, "%s,%zu", s->regions[k].name, k + 1);
        charts_csv_num(f, s->budget_usd);
        for (size_t i = 0; i < NFIGS; i++)
            for (int d = 0; d < 2; d++)
                compare_csv_est(f, fig(s, acc, k, i, d));
        fputc(',', f);
        summary_csv_text(f, s->regions[k].label);
        fputc('\n', f);
    }
    return outdir_close(f, "compare_regions.csv", err);
}

static json_t *side_json(const scenario *s, const compare_acc *acc, scenario_policy policy)
{
    json_t *regions = json_object();
    for (size_t k = 0; k < acc->C; k++) {
        json_t *o = json_pack("{s:s, s:I, s:f}", "label", s->regions[k].label, "variant", (json_int_t)k + 1,
                              "allocated_usd", s->budget_usd);
        for (size_t i = 0; i < NFIGS; i++)
            for (int d = 0; d < 2; d++) {
                stat_est e = fig(s, acc, k, i, d);
                char key[96];
                compare_key(key, sizeof key, figs[i].col, d, "");
                json_object_set_new(o, key, num(e.value));
                compare_key(key, sizeof key, figs[i].col, d, "_ci95");
                json_object_set_new(o, key,
                                    isfinite(e.value) && isfinite(e.lo) && isfinite(e.hi)
                                        ? json_pack("[f, f]", e.lo, e.hi)
                                        : json_null());
            }
        json_object_set_new(regions, s->regions[k].name, o);
    }
    return json_pack("{s:f, s:s, s:f, s:f, s:s, s:o}", "budget_usd", s->budget_usd, "policy",
                     scenario_policy_name(policy), "month_days", COMPARE_MONTH_DAYS, "horizon_months", months_of(s),
                     "first_region", s->regions[0].name, "regions", regions);
}

int compare_regions_write(outdir *dir, const scenario *s, const compare_acc *acc, scenario_policy policy, json_t *doc,
                          charts_list *charts, fz_error *err)
{
    int rc = write_csv(dir, s, acc, err);
    if (rc)
        return rc;
    json_t *j = side_json(s, acc, policy);
    if (!j || json_object_set_new(doc, "regions_side_by_side", j))
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    char title[400], n[16], month[32];
    snprintf(title, sizeof title, "%s: the same USD %.0f to each region in turn (%s)", s->name, s->budget_usd,
             scenario_policy_name(policy));
    snprintf(n, sizeof n, "%zu", s->nregions);
    snprintf(month, sizeof month, "%g", COMPARE_MONTH_DAYS);
    char *q = plot_quote(title), *labels = charts_region_list(s, 1);
    if (!q || !labels)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    plot_var vars[] = {{"TITLE", q}, {"N", n}, {"LABELS", labels}, {"MONTH", month}};
    if (!rc && !(rc = plot_script(dir, "compare_regions", vars, 4, err)) && charts->n < 16)
        charts->names[charts->n++] = "compare_regions";
    free(q);
    free(labels);
    return rc;
}

void compare_regions_print(FILE *f, const scenario *s, const compare_acc *acc, scenario_policy policy)
{
    fprintf(f, "the regions side by side: the same USD %.0f to each in turn (%s; means, 95%% CIs)\n", s->budget_usd,
            scenario_policy_name(policy));
    fprintf(f, "%-14s", "region");
    for (size_t i = 1; i < NFIGS; i++)
        fprintf(f, i + 1 < NFIGS ? " %-22s" : " %s", figs[i].head);
    fputc('\n', f);
    for (int d = 0; d < 2; d++) {
        if (d)
            fprintf(f, "minus %s (paired 95%% CI)\n", s->regions[0].label);
        for (size_t k = d; k < acc->C; k++) {
            fprintf(f, "%-14.14s", s->regions[k].label);
            for (size_t i = 1; i < NFIGS; i++) {
                stat_est e = fig(s, acc, k, i, d);
                char buf[80];
                fprintf(f, i + 1 < NFIGS ? " %-22s" : " %s",
                        isfinite(e.value) ? summary_ci_text(buf, sizeof buf, e.value, e.lo, e.hi, figs[i].digits, d)
                                          : "n/a");
            }
            fputc('\n', f);
        }
    }
    fprintf(f,
            "USD per release = USD spent / releases, days in detention per release (arrival to release), "
            "releases per USD 10,000 of the budget,\nfundable cases per month of %g days (the horizon of %g days is "
            "%.2f months); CIs of ratios by the delta method\n",
            COMPARE_MONTH_DAYS, s->horizon_days, months_of(s));
}
