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

void scenario_print(FILE *f, const scenario *s)
{
    char buf[1024];
    /* a control character in the path (a newline) would end the comment line */
    fputs("; ", f);
    for (const char *p = s->path; *p; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
    fputs(": scenario with every default filled in\n", f);
    fprintf(f, "[fund]\nbudget_usd = %.15g\nhorizon_days = %.15g\ngranularity_usd = %.15g\n", s->budget_usd,
            s->horizon_days, s->granularity_usd);
    fprintf(f, "policy = %s\nobjective = %s\ncvar_alpha = %.15g\ntarget_releases = %.15g\n",
            scenario_policy_name(s->policy), scenario_objective_name(s->objective), s->cvar_alpha, s->target_releases);
    fprintf(f, "\n[simulation]\nreplications = %ld\nseed = %llu\n", s->replications, (unsigned long long)s->seed);
    for (size_t i = 0; i < s->nregions; i++) {
        const scenario_region *r = &s->regions[i];
        fprintf(f, "\n[region.%s]\n", r->name);
        print_label(f, r->label);
        fprintf(f, "initial_detained = %ld\n", r->initial_detained);
        fprintf(f, "arrivals_per_day = %.15g\nbond_grant_prob = %.15g\n", r->arrivals_per_day, r->bond_grant_prob);
        dist_format(r->bond_usd, buf, sizeof buf);
        fprintf(f, "bond_usd = %s\n", buf);
        if (isinf(r->max_bond_paid_usd))
            fprintf(f, "max_bond_paid_usd = unlimited\n");
        else
            fprintf(f, "max_bond_paid_usd = %.15g\n", r->max_bond_paid_usd);
        fprintf(f, "case_cost_usd = %.15g\n", r->case_cost_usd);
        dist_format(r->hearing_delay_days, buf, sizeof buf);
        fprintf(f, "hearing_delay_days = %s\n", buf);
        dist_format(r->release_delay_days, buf, sizeof buf);
        fprintf(f, "release_delay_days = %s\n", buf);
        fprintf(f, "removal_hazard_per_day = %.15g\nfamily_pays_prob = %.15g\n", r->removal_hazard_per_day,
                r->family_pays_prob);
        fprintf(f, "min_share = %.15g\nmax_share = %.15g\n", r->min_share, r->max_share);
    }
}
