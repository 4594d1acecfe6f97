/* cmd_fit_util: shared steps of the fit commands (cmd_fit_util.h). */
#include "cmd_fit_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dist.h"
#include "fz_error.h"
#include "json_guard.h"

int cmd_fit_finish(fit_result *f, const char *path, long line, char *text, char *unusable, size_t size)
{
    unusable[0] = text[0] = '\0';
    if (!f->ok) {
        char reason[sizeof f->reason];
        memcpy(reason, f->reason, sizeof reason);
        snprintf(f->reason, sizeof f->reason, "%s:%ld: %s", path, line, reason);
        return 0;
    }
    if (!f->converged)
        f->se[0] = f->se[1] = NAN;
    fit_format(f, text, size);
    dist *d = NULL;
    fz_error e2 = {0, ""};
    int ok = dist_parse(&d, text, NULL, &e2) == 0;
    if (!ok)
        snprintf(unusable, size, "%s", e2.msg);
    dist_free(d);
    return ok;
}

void cmd_fit_param_text(const fit_result *f, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int j = 0; j < f->nparams && used < size; j++) {
        char se[32] = "n/a";
        if (isfinite(f->se[j]))
            snprintf(se, sizeof se, f->se[j] >= 10 && f->se[j] < 1e6 ? "%.0f" : "%.2g", f->se[j]); /* 5e299: "5e+299" */
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s %.5g (%s)", j ? ", " : "", f->names[j], f->param[j], se);
    }
}

void cmd_fit_dirname(char *buf, size_t size, const char *outdir, const char *path)
{
    if (outdir) {
        snprintf(buf, size, "%s", outdir);
        return;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && !strcasecmp(base + len - 4, ".csv"))
        len -= 4;
    snprintf(buf, size, "results/%.*s", (int)len, base);
}

int cmd_fit_range(const cli_opts *o, fit_options *opt, fz_error *err)
{
    if (o->has_min && o->fit_min < 0)
        return fz_fail(err, FZ_EINPUT, "--min %g: expected a number >= 0 (amounts and durations are non-negative)",
                       o->fit_min);
    if (o->has_min && o->has_max && !(o->fit_min < o->fit_max))
        return fz_fail(err, FZ_EINPUT, "--min %g --max %g: expected min < max", o->fit_min, o->fit_max);
    if (o->has_max && !(o->fit_max > 0))
        return fz_fail(err, FZ_EINPUT, "--max %g: expected a number > 0", o->fit_max);
    fit_options_init(opt);
    opt->lo = o->has_min ? o->fit_min : 0;
    if (o->has_max)
        opt->hi = o->fit_max;
    return 0;
}

const char *cmd_fit_range_text(const fit_options *opt, char *buf, size_t size)
{
    if (isfinite(opt->hi))
        snprintf(buf, size, "[%.10g, %.10g]", opt->lo, opt->hi);
    else
        snprintf(buf, size, "[%.10g, inf)", opt->lo);
    return buf;
}

int cmd_fit_finish_all(fit_result *const res[], size_t nfit, const char *path, const long *line, char (*text)[256],
                       char (*unusable)[256], int *best, fz_error *err)
{
    char scratch[256];
    *best = -1;
    for (size_t i = 0; i < FIT_NFAMILIES; i++)
        if (cmd_fit_finish(res[i], path, line[res[i]->bad_index], text[i], unusable ? unusable[i] : scratch,
                           sizeof text[i]) &&
            *best < 0)
            *best = (int)i;
    if (nfit == 0)
        return fz_fail(err, FZ_EINPUT, "%s (and no other family could be fitted either)", res[0]->reason);
    return 0;
}

void cmd_fit_params_json(const fit_result *f, json_t **par, json_t **se)
{
    *par = json_object();
    *se = json_object();
    for (int j = 0; j < f->nparams; j++) {
        json_object_set_new(*par, f->names[j], json_guard_num_or_null(f->param[j]));
        json_object_set_new(*se, f->names[j], json_guard_num_or_null(f->se[j]));
    }
}

json_t *cmd_fit_skipped_json(const fit_result *f)
{
    return json_pack("{s:s, s:s}", "family", fit_family_name(f->family), "reason", f->reason);
}

void cmd_fit_json_end(json_t *doc, json_t *fits, json_t *skipped, const fit_result *best, const char *prefix,
                      const char *text)
{
    json_object_set_new(doc, "fits", fits);
    json_object_set_new(doc, "skipped", skipped);
    if (best) {
        char line[320];
        snprintf(line, sizeof line, "%s%s", prefix, text);
        json_object_set_new(doc, "best", json_string(fit_family_name(best->family)));
        json_object_set_new(doc, "scenario_line", json_string(line));
    }
}

void cmd_fit_csv_num(FILE *f, const char *fmt, double v)
{
    fputc(',', f);
    if (isfinite(v))
        fprintf(f, fmt, v);
}

void cmd_fit_csv_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void cmd_fit_label_add(char *buf, size_t size, size_t i, const fit_result *f)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", fit_family_name(f->family));
}

void cmd_fit_print_line(FILE *out, const char *prefix, const char *text, const char *dirname)
{
    if (text) {
        fprintf(out, "\nscenario line (best by AIC):\n%s%s\n", prefix, text);
        if (!prefix[0])
            fprintf(out, "(after a distribution key: bond_usd, hearing_delay_days or release_delay_days)\n");
    }
    fprintf(out, "\nresults in %s/\n", dirname);
}
