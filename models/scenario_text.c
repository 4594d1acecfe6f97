/* scenario_text: a scenario written back as a scenario file (scenario.h),
 * so that `fianza check` output always loads again: labels are quoted and
 * escaped where reading them bare would change them. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_int.h"

/* Writes a label so that reading it back gives it again: bare when that is
 * safe, else as a quoted string with \" and \\ escapes (what unquote and the
 * comment stripping of scenario_ini.c undo). */
static int label_needs_quotes(const char *label)
{
    size_t n = strlen(label);
    int quote =
        n == 0 || label[0] == '"' || label[0] == ' ' || label[0] == '\t' || label[n - 1] == ' ' || label[n - 1] == '\t';
    for (size_t i = 0; i < n && !quote; i++) /* a comment would start here */
        quote = (label[i] == ';' || label[i] == '#') && (i == 0 || label[i - 1] == ' ' || label[i - 1] == '\t');
    return quote;
}

/* Characters of the value as print_label writes it. */
size_t scenario_label_printed_len(const char *label)
{
    size_t n = strlen(label);
    if (!label_needs_quotes(label))
        return n;
    for (const char *p = label; *p; p++)
        n += *p == '"' || *p == '\\';
    return n + 2;
}

static void print_label(FILE *f, const char *label)
{
    size_t n = strlen(label);
    if (!label_needs_quotes(label)) {
        fprintf(f, "label = %s\n", label);
        return;
    }
    fputs("label = \"", f);
    for (size_t i = 0; i < n; i++) {
        if (label[i] == '"' || label[i] == '\\')
            fputc('\\', f);
        fputc(label[i], f);
    }
    fputs("\"\n", f);
}

static void print_dist(FILE *f, const char *key, const dist *d)
{
    char buf[1024];
    dist_format(d, buf, sizeof buf);
    fprintf(f, "%s = %s\n", key, buf);
}

/* A number, or 'unlimited' for INFINITY. */
static void print_unlimited(FILE *f, const char *key, double v)
{
    if (isinf(v))
        fprintf(f, "%s = unlimited\n", key);
    else
        fprintf(f, "%s = %.15g\n", key, v);
}

/* A regime as written: end_day and regions only when given, so that the
 * text means the same with another horizon or after --set (a comment says
 * what they default to). */
static void print_regime(FILE *f, const scenario *s, const scenario_regime *g)
{
    char buf[64 * 52];
    fprintf(f, "\n[regime.%s]\nstart_day = %.15g\n", g->name, g->start_day);
    if (isinf(g->end_day))
        fprintf(f, "; end_day not given: the horizon (%.15g)\n", s->horizon_days);
    else
        fprintf(f, "end_day = %.15g\n", g->end_day);
    uint64_t all = s->nregions >= 64 ? UINT64_MAX : ((uint64_t)1 << s->nregions) - 1;
    scenario_regions_text(s, g->regions & all, buf, sizeof buf);
    if (g->regions == UINT64_MAX)
        fprintf(f, "; regions not given: every region (%s)\n", buf);
    else
        fprintf(f, "regions = %s\n", buf);
    if (g->set & REGIME_ARRIVALS)
        fprintf(f, "arrivals_per_day = %.15g\n", g->arrivals_per_day);
    if (g->set & REGIME_GRANT)
        fprintf(f, "bond_grant_prob = %.15g\n", g->bond_grant_prob);
    if (g->set & REGIME_BOND)
        print_dist(f, "bond_usd", g->bond_usd);
    if (g->set & REGIME_FAMILY)
        fprintf(f, "family_pays_prob = %.15g\n", g->family_pays_prob);
    if (g->set & REGIME_MAX_BOND)
        print_unlimited(f, "max_bond_paid_usd", g->max_bond_paid_usd);
    if (g->set & REGIME_STAY)
        fprintf(f, "stay_prob = %.15g\n", g->stay_prob);
}

void scenario_print(FILE *f, const scenario *s)
{
    static const char *const queue[] = {"skip", "wait"}, *const posting[] = {"all", "weekdays"};
    /* a control character in the path (a newline) would end the comment line */
    fputs("; ", f);
    for (const char *p = s->path; *p; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
    fputs(": scenario with every default filled in\n", f);
    fprintf(f, "[fund]\nbudget_usd = %.15g\nhorizon_days = %.15g\ngranularity_usd = %.15g\n", s->budget_usd,
            s->horizon_days, s->granularity_usd);
    fprintf(f, "policy = %s\nobjective = %s\ncvar_alpha = %.15g\ntarget_releases = %.15g\n",
            scenario_policy_name(s->policy), scenario_objective_name(s->objective), s->cvar_alpha, s->target_releases);
    fprintf(f, "min_target_prob = %.15g\n", s->min_target_prob);
    fprintf(f, "donations_usd_per_month = %.15g\nqueue = %s\n", s->donations_usd_per_month, queue[s->queue]);
    print_unlimited(f, "max_wait_days", s->max_wait_days);
    fprintf(f, "posting_days = %s\nstart_weekday = %d\n", posting[s->posting_days], s->start_weekday);
    fprintf(f, "pooling = %s\n", s->pooling == POOLING_POOLED ? "pooled" : "split");
    fprintf(f, "reallocate_every_days = %.15g\n", s->reallocate_every_days);
    fprintf(f, "\n[simulation]\nreplications = %ld\nseed = %llu\n", s->replications, (unsigned long long)s->seed);
    for (size_t i = 0; i < s->nregions; i++) {
        const scenario_region *r = &s->regions[i];
        fprintf(f, "\n[region.%s]\n", r->name);
        print_label(f, r->label);
        fprintf(f, "initial_detained = %ld\n", r->initial_detained);
        fprintf(f, "arrivals_per_day = %.15g\nbond_grant_prob = %.15g\n", r->arrivals_per_day, r->bond_grant_prob);
        print_dist(f, "bond_usd", r->bond_usd);
        print_unlimited(f, "max_bond_paid_usd", r->max_bond_paid_usd);
        fprintf(f, "case_cost_usd = %.15g\n", r->case_cost_usd);
        print_dist(f, "hearing_delay_days", r->hearing_delay_days);
        print_dist(f, "release_delay_days", r->release_delay_days);
        fprintf(f, "removal_hazard_per_day = %.15g\nfamily_pays_prob = %.15g\n", r->removal_hazard_per_day,
                r->family_pays_prob);
        fprintf(f, "min_share = %.15g\nmax_share = %.15g\n", r->min_share, r->max_share);
        fprintf(f, "stay_prob = %.15g\n", r->stay_prob);
        print_dist(f, "stay_days", r->stay_days);
        fprintf(f, "stay_revoke_prob = %.15g\n", r->stay_revoke_prob);
        print_dist(f, "copay_usd", r->copay_usd);
        fprintf(f, "refund_prob = %.15g\n", r->refund_prob);
        print_dist(f, "case_duration_days", r->case_duration_days);
        print_dist(f, "refund_lag_days", r->refund_lag_days);
        print_unlimited(f, "max_payments_per_day", r->max_payments_per_day);
    }
    for (size_t i = 0; i < s->nregimes; i++)
        print_regime(f, s, &s->regimes[i]);
}
