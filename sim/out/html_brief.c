/* html_brief: the three sentences that open report.html (html_parts.h), in
 * plain words, before any table: the split, releases with their interval and
 * cost per release per region, and what limits the fund.  Each command says
 * it in its own terms (a sweep from its first to its last point, compare for
 * its best variant, budget for its answer). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_parts.h"

/* What limits the fund, from the means over the replications of one
 * evaluated allocation (docs/outputs.md, "report.html"):
 *   unpaid = unpaid_fundable_mean (fundable cases not paid),
 *   left   = balance_end_usd_mean (accounts plus the unallocated reserve),
 *   B      = the budget.
 *   unpaid <  1 and left >= 10% of B: fundable cases (money is left over),
 *   unpaid >= 1 and left <  10% of B: money (it runs out, cases wait),
 *   unpaid <  1 and left <  10% of B: both run out together,
 *   unpaid >= 1 and left >= 10% of B: both, depending on the future or
 *     the region (money left in one account while cases wait in another).
 * Less than one case per future on average is "about none" (cases also go
 * unpaid when removed while waiting); a tenth of the budget is "about
 * nothing left" (less than a few bonds). */
enum limit { LIM_CASES, LIM_MONEY, LIM_TOGETHER, LIM_BOTH, LIM_UNKNOWN };

#define LIMIT_UNPAID_CASES 1.0
#define LIMIT_LEFT_SHARE 0.10

static enum limit limit_of(double unpaid, double left, double budget)
{
    if (!isfinite(unpaid) || !isfinite(left) || !isfinite(budget))
        return LIM_UNKNOWN;
    int few_unpaid = unpaid < LIMIT_UNPAID_CASES, little_left = left < LIMIT_LEFT_SHARE * budget;
    return few_unpaid ? (little_left ? LIM_TOGETHER : LIM_CASES) : (little_left ? LIM_MONEY : LIM_BOTH);
}

static const char *limit_word(enum limit l)
{
    static const char *const w[] = {"fundable cases", "money", "money and cases together", "both", "unknown"};
    return w[l];
}

const char *html_limit(double unpaid, double left, double budget) { return limit_word(limit_of(unpaid, left, budget)); }

/* ", " between items and " and " before the last. */
static void sep(FILE *f, size_t i, size_t n)
{
    if (i > 0)
        fputs(i + 1 == n ? " and " : ", ", f);
}

/* "USD 221,500 to Chicago and USD 78,000 to Kansas City" */
static void split_words(FILE *f, const scenario *s, const json_t *alloc)
{
    char b[64];
    for (size_t c = 0; c < s->nregions; c++) {
        sep(f, c, s->nregions);
        fprintf(f, "%s to ", h_usd(b, sizeof b, h_num(alloc, s->regions[c].name)));
        h_esc(f, s->regions[c].label);
    }
}

/* The budget minus the split: summary.json's unallocated_usd where the
 * command writes it, else computed. */
static double unallocated(const scenario *s, const json_t *e, const json_t *alloc, double budget)
{
    double u = h_num(e, "unallocated_usd");
    if (isfinite(u))
        return u;
    u = budget;
    for (size_t c = 0; c < s->nregions; c++)
        u -= isfinite(h_num(alloc, s->regions[c].name)) ? h_num(alloc, s->regions[c].name) : 0;
    return u;
}

static void split_sentence_tail(FILE *f, const scenario *s, const json_t *e, const json_t *alloc, double budget)
{
    char b[64];
    double u = unallocated(s, e, alloc, budget);
    if (u >= 0.5)
        fprintf(f, " (%s left unallocated)", h_usd(b, sizeof b, u));
    fputs(".", f);
}

/* "57.8 people on average (95% CI 56.7–58.9)" */
static void releases_words(FILE *f, double m, double lo, double hi)
{
    char a[64], b[64], c[64];
    fprintf(f, "%s %s on average", h_fmt(a, sizeof a, m, 1), fabs(m - 1) < 0.05 ? "person" : "people");
    if (isfinite(lo) && isfinite(hi))
        fprintf(f, " (95%% CI %s&ndash;%s)", h_fmt(b, sizeof b, lo, 1), h_fmt(c, sizeof c, hi, 1));
    else
        fprintf(f, " (no interval: one replication)");
}

/* ", at USD 3,141 per release in Chicago and USD 6,407 in Kansas City." */
static void cost_words(FILE *f, const json_t *e)
{
    const json_t *regs = json_object_get(e, "regions");
    size_t n = json_object_size(regs), i = 0;
    const char *key;
    json_t *g;
    char b[64];
    int first_cost = 1;
    fputs(n ? ", at " : ".", f);
    json_object_foreach((json_t *)regs, key, g)
    {
        sep(f, i++, n);
        double cost = h_num(g, "cost_per_release_usd");
        if (isfinite(cost)) {
            fprintf(f, "%s%s in ", h_usd(b, sizeof b, cost), first_cost ? " per release" : "");
            first_cost = 0;
        } else {
            fprintf(f, "no cost per release in ");
        }
        h_esc(f, h_label(g, key));
        if (!isfinite(cost))
            fprintf(f, " (no release there%s)", h_num(g, "allocated_usd") == 0 ? ": it gets no money" : "");
    }
    if (n)
        fputs(".", f);
}

/* The second sentence: releases over the horizon and cost per release. */
static void releases_sentence(FILE *f, const scenario *s, const json_t *e, const char *subject)
{
    char b[64];
    fprintf(f, " %s frees ", subject);
    releases_words(f, h_num(e, "releases.mean"), h_num(e, "releases.ci95.0"), h_num(e, "releases.ci95.1"));
    fprintf(f, " in %s days", h_fmt(b, sizeof b, s->horizon_days, 0));
    cost_words(f, e);
}

/* Regions whose `key` shows as non-zero: "Kansas City 6.6" / "Chicago USD 138,474". */
static void region_amounts(FILE *f, const json_t *e, const char *key, int usd)
{
    const char *k;
    json_t *g;
    char b[64];
    int any = 0;
    json_object_foreach(json_object_get(e, "regions"), k, g)
    {
        double v = h_num(g, key);
        if (!(isfinite(v) && v >= (usd ? 0.5 : 0.05)))
            continue;
        fprintf(f, "%s", any ? ", " : " (");
        h_esc(f, h_label(g, k));
        fprintf(f, " %s", usd ? h_usd(b, sizeof b, v) : h_fmt(b, sizeof b, v, 1));
        any = 1;
    }
    if (any)
        fputs(")", f);
}

/* The third sentence: what limits the fund (the rule at limit_of). */
static void limit_sentence(FILE *f, const json_t *e, double budget)
{
    double unpaid = h_num(e, "unpaid_fundable_mean"), left = h_num(e, "balance_end_usd_mean");
    char u[64], l[64];
    h_fmt(u, sizeof u, unpaid, unpaid < 0.1 ? 2 : 1);
    h_usd(l, sizeof l, left);
    switch (limit_of(unpaid, left, budget)) {
    case LIM_CASES:
        if (unpaid < 0.005)
            fprintf(f,
                    " What limits the fund is fundable cases, not money: no fundable case goes unpaid, and %s is "
                    "still unspent at the end.",
                    l);
        else
            fprintf(f,
                    " What limits the fund is fundable cases, not money: only %s fundable cases go unpaid on "
                    "average, and %s is still unspent at the end.",
                    u, l);
        break;
    case LIM_MONEY:
        fprintf(f, " What limits the fund is money: %s fundable cases go unpaid on average", u);
        region_amounts(f, e, "unpaid_fundable_mean", 0);
        fprintf(f, ", and only %s is left at the end.", l);
        break;
    case LIM_TOGETHER:
        fprintf(f,
                " Money and fundable cases run out together: %s fundable cases go unpaid on average and %s is "
                "left at the end.",
                u, l);
        break;
    case LIM_BOTH:
        fprintf(f,
                " Both limit the fund, depending on the future or the region: %s fundable cases go unpaid on "
                "average",
                u);
        region_amounts(f, e, "unpaid_fundable_mean", 0);
        fprintf(f, " while %s is left at the end", l);
        region_amounts(f, e, "balance_end_usd_mean", 1);
        fputs(".", f);
        break;
    case LIM_UNKNOWN:
        fprintf(f, " What limits the fund is not known from this run (no money figures in summary.json).");
        break;
    }
}

static double last_x(const json_t *pts) { return h_num(json_array_get(pts, json_array_size(pts) - 1), "x"); }

/* "USD 150,000" for a budget sweep, "0.013" for a parameter. */
static const char *x_words(char *b, size_t n, double x, int budget)
{
    if (budget)
        return h_usd(b, n, x);
    snprintf(b, n, "%g", x);
    return b;
}

static void sweep_brief(FILE *f, const scenario *s, const json_t *sw)
{
    const json_t *pts = json_object_get(sw, "points");
    size_t n = json_array_size(pts);
    const char *param = json_string_value(json_object_get(sw, "parameter"));
    int budget = param && !strcmp(param, "budget_usd");
    char a[64], b[64], c[64];
    if (!n)
        return;
    const json_t *p0 = json_array_get(pts, 0), *pn = json_array_get(pts, n - 1);
    if (budget)
        fprintf(f, "Re-optimised at %zu budgets from %s to %s, the best split frees ", n,
                x_words(a, sizeof a, h_num(p0, "x"), 1), x_words(b, sizeof b, last_x(pts), 1));
    else {
        fprintf(f, "Re-optimised at %zu values of ", n);
        h_esc(f, param);
        fprintf(f, " from %s to %s (budget %s), the best split frees ", x_words(a, sizeof a, h_num(p0, "x"), 0),
                x_words(b, sizeof b, last_x(pts), 0), h_usd(c, sizeof c, s->budget_usd));
    }
    releases_words(f, h_num(p0, "releases.mean"), h_num(p0, "releases.ci95.0"), h_num(p0, "releases.ci95.1"));
    fprintf(f, " in %s days at the first point and ", h_fmt(a, sizeof a, s->horizon_days, 0));
    releases_words(f, h_num(pn, "releases.mean"), h_num(pn, "releases.ci95.0"), h_num(pn, "releases.ci95.1"));
    fprintf(f, " at the last.");
    fprintf(f, " A release costs %s at the first point and %s at the last; every point's split is in the table below.",
            isfinite(h_num(p0, "cost_per_release_usd")) ? h_usd(a, sizeof a, h_num(p0, "cost_per_release_usd"))
                                                        : "n/a (no release)",
            isfinite(h_num(pn, "cost_per_release_usd")) ? h_usd(b, sizeof b, h_num(pn, "cost_per_release_usd"))
                                                        : "n/a (no release)");
    /* the limit at each point, grouped in the order they first appear:
     * "money at USD 150,000; fundable cases at ..." */
    fprintf(f, " What limits the fund:");
    enum limit *lim = calloc(n, sizeof *lim);
    if (!lim)
        return;
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(pts, i);
        lim[i] = limit_of(h_num(p, "unpaid_fundable_mean"), h_num(p, "balance_end_usd_mean"),
                          budget ? h_num(p, "x") : s->budget_usd);
    }
    for (size_t i = 0; i < n; i++) {
        size_t m = 0, k = 0, j;
        for (j = 0; j < i && lim[j] != lim[i]; j++)
            ;
        if (j < i) /* said with an earlier point */
            continue;
        for (j = i; j < n; j++)
            m += lim[j] == lim[i];
        fprintf(f, "%s %s at ", i ? ";" : "", limit_word(lim[i]));
        for (j = i; j < n; j++)
            if (lim[j] == lim[i]) {
                sep(f, k++, m);
                fputs(x_words(a, sizeof a, h_num(json_array_get(pts, j), "x"), budget), f);
            }
    }
    free(lim);
    fprintf(f, " (unpaid fundable cases and money left at the end are in the table).");
}

static void tornado_brief(FILE *f, const scenario *s, const json_t *t)
{
    char a[64], b[64], c[64];
    const json_t *ps = json_object_get(t, "parameters");
    fprintf(f,
            "At the scenario's values (budget %s), the best split reaches %s (objective %s, in sample). Moved %s%% "
            "down and up one at a time",
            h_usd(a, sizeof a, s->budget_usd), h_fmt(b, sizeof b, h_num(t, "base_value"), 1),
            scenario_objective_name(s->objective), h_fmt(c, sizeof c, h_num(t, "percent"), 0));
    size_t n = json_array_size(ps), small = 0, i;
    json_t *p;
    for (i = 0; i < n && i < 3; i++) {
        p = json_array_get(ps, i);
        fputs(i == 0 ? ", " : i == 1 ? "; then " : " and ", f);
        h_esc(f, json_string_value(json_object_get(p, "parameter")));
        fprintf(f, i == 0 ? " moves it most: to %s at %g and %s at %g" : " (%s at %g, %s at %g)",
                isfinite(h_num(p, "value_low")) ? h_fmt(a, sizeof a, h_num(p, "value_low"), 1) : "n/a (invalid move)",
                h_num(p, "low"),
                isfinite(h_num(p, "value_high")) ? h_fmt(b, sizeof b, h_num(p, "value_high"), 1) : "n/a (invalid move)",
                h_num(p, "high"));
    }
    fputs(".", f);
    json_array_foreach(ps, i, p)
    {
        double lo = h_num(p, "value_low"), hi = h_num(p, "value_high"), base = h_num(t, "base_value");
        small += (!isfinite(lo) || fabs(lo - base) < 1) && (!isfinite(hi) || fabs(hi - base) < 1);
    }
    fprintf(f, " %zu of the %zu parameters move it by less than 1 either way (every one is in the table below).", small,
            n);
}

static void compare_brief(FILE *f, const scenario *s, const json_t *sum)
{
    const json_t *vs = json_object_get(sum, "variants"), *best = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v) if (!best || h_num(v, "releases.mean") > h_num(best, "releases.mean")) best = v;
    if (!best)
        return;
    char name[160], first[160], a[64], b[64], c[64];
    h_variant(name, sizeof name, best);
    h_variant(first, sizeof first, json_array_get(vs, 0));
    fprintf(f, "Of %zu variants, ", json_array_size(vs));
    h_esc(f, name);
    fprintf(f, " frees the most: ");
    releases_words(f, h_num(best, "releases.mean"), h_num(best, "releases.ci95.0"), h_num(best, "releases.ci95.1"));
    fprintf(f, " in %s days", h_fmt(a, sizeof a, s->horizon_days, 0));
    if (best != json_array_get(vs, 0)) {
        fprintf(f, ", %s more than ", h_fmt(a, sizeof a, h_num(best, "difference_to_first.mean"), 1));
        h_esc(f, first);
        if (isfinite(h_num(best, "difference_to_first.ci95.0")))
            fprintf(f, " (paired 95%% CI %s&ndash;%s)",
                    h_fmt(b, sizeof b, h_num(best, "difference_to_first.ci95.0"), 1),
                    h_fmt(c, sizeof c, h_num(best, "difference_to_first.ci95.1"), 1));
    }
    fprintf(f, ".");
    const char *pol = json_string_value(json_object_get(best, "policy"));
    if (json_is_true(json_object_get(best, "pooled")))
        fprintf(f, " It holds %s in one pooled account for every region, under %s", h_usd(a, sizeof a, s->budget_usd),
                pol ? pol : scenario_policy_name(s->policy));
    else {
        fprintf(f, " It splits %s as ", h_usd(a, sizeof a, s->budget_usd));
        split_words(f, s, json_object_get(best, "allocation"));
        double u = unallocated(s, best, json_object_get(best, "allocation"), s->budget_usd);
        if (u >= 0.5)
            fprintf(f, " (%s left unallocated)", h_usd(a, sizeof a, u));
        fprintf(f, ", under %s", pol ? pol : scenario_policy_name(s->policy));
    }
    cost_words(f, best);
    limit_sentence(f, best, s->budget_usd);
}

static void budget_brief(FILE *f, const scenario *s, const json_t *sum)
{
    const json_t *bud = json_object_get(sum, "budget"), *ans = json_object_get(bud, "answer");
    char a[64], b[64], c[64];
    double target = h_num(bud, "releases_target"), prob = h_num(bud, "prob"), budget;
    if (json_is_object(ans)) {
        budget = h_num(ans, "budget_usd");
        fprintf(f, "The smallest budget at which P(releases &ge; %s) reaches %s (in sample) is %s, split ",
                h_fmt(a, sizeof a, target, 0), h_fmt(b, sizeof b, prob, 2), h_usd(c, sizeof c, budget));
        split_words(f, s, json_object_get(ans, "allocation"));
        split_sentence_tail(f, s, ans, json_object_get(ans, "allocation"), budget);
    } else {
        budget = h_num(bud, "max_budget_usd");
        fprintf(f, "No budget up to %s reaches P(releases &ge; %s) &ge; %s: there the best split, ",
                h_usd(c, sizeof c, budget), h_fmt(a, sizeof a, target, 0), h_fmt(b, sizeof b, prob, 2));
        split_words(f, s, json_object_get(sum, "allocation"));
        fprintf(f, ", reaches it with P = %s in sample.",
                h_fmt(a, sizeof a,
                      h_num(json_array_get(json_object_get(bud, "points"),
                                           json_array_size(json_object_get(bud, "points")) - 1),
                            "p_in_sample"),
                      2));
    }
    fprintf(f, " Out of sample that split reaches P = %s", h_fmt(a, sizeof a, h_num(sum, "releases.p_target"), 2));
    if (isfinite(h_num(sum, "releases.p_target_ci95.0")))
        fprintf(f, " (95%% CI %s&ndash;%s)", h_fmt(b, sizeof b, h_num(sum, "releases.p_target_ci95.0"), 2),
                h_fmt(c, sizeof c, h_num(sum, "releases.p_target_ci95.1"), 2));
    fprintf(f, " and frees ");
    releases_words(f, h_num(sum, "releases.mean"), h_num(sum, "releases.ci95.0"), h_num(sum, "releases.ci95.1"));
    cost_words(f, sum);
    limit_sentence(f, sum, budget);
}

void html_brief(hdoc *h, const scenario *s, const json_t *sum)
{
    FILE *f = h->f;
    const char *cmd = json_string_value(json_object_get(sum, "command"));
    char b[64];
    fprintf(f, "<p class=\"brief\" id=\"brief\">");
    if (json_object_get(sum, "sweep"))
        sweep_brief(f, s, json_object_get(sum, "sweep"));
    else if (json_object_get(sum, "tornado"))
        tornado_brief(f, s, json_object_get(sum, "tornado"));
    else if (json_object_get(sum, "variants"))
        compare_brief(f, s, sum);
    else if (json_object_get(sum, "budget"))
        budget_brief(f, s, sum);
    else {
        const json_t *alloc = json_object_get(sum, "allocation");
        double budget = h_num(sum, "budget_usd");
        if (cmd && !strcmp(cmd, "optimize"))
            fprintf(f, "The best split of %s%s%s is ", h_usd(b, sizeof b, budget),
                    s->objective == OBJ_RELEASES ? "" : " for the objective ",
                    s->objective == OBJ_RELEASES ? "" : scenario_objective_name(s->objective));
        else
            fprintf(f, "The allocation evaluated splits %s as ", h_usd(b, sizeof b, budget));
        split_words(f, s, alloc);
        split_sentence_tail(f, s, sum, alloc, budget);
        releases_sentence(f, s, sum, "It");
        limit_sentence(f, sum, budget);
    }
    fprintf(f, "</p>\n");
}
