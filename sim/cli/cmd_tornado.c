/* fianza sweep --tornado: the console table (cmds.h).  It is read back from
 * summary.json's "tornado" part (written by cmd_sweep.c), so the table
 * shows exactly what the files hold, in the chart's order: by swing, the
 * width of the bar, largest first. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"

/* "12.3 [11.9, 12.8]" from {"mean", "ci95"}; "invalid" for null. */
static void est_text(char *buf, size_t size, const json_t *e)
{
    const json_t *ci = json_object_get(e, "ci95");
    if (!json_is_object(e)) {
        snprintf(buf, size, "invalid");
        return;
    }
    double lo = json_is_array(ci) ? json_number_value(json_array_get(ci, 0)) : NAN,
           hi = json_is_array(ci) ? json_number_value(json_array_get(ci, 1)) : NAN;
    summary_ci_text(buf, size, json_number_value(json_object_get(e, "mean")), lo, hi, 2, 0);
}

/* The lines for tornado moves that were invalid. */
static void print_invalid_moves(FILE *out, const json_t *params)
{
    static const char *const side[2] = {"low", "high"}, *const verb[2] = {"lowered", "raised"};
    size_t i;
    json_t *row;
    json_array_foreach(params, i, row)
    {
        for (int j = 0; j < 2; j++) {
            char key[32];
            snprintf(key, sizeof key, "%s_invalid_reason", side[j]);
            const char *why = json_string_value(json_object_get(row, key));
            if (why)
                fprintf(out, "  %s %s to %.10g: invalid, no value (marked in tornado.csv): %s\n",
                        json_string_value(json_object_get(row, "parameter")), verb[j],
                        json_number_value(json_object_get(row, side[j])), why);
        }
    }
}

void cmd_tornado_print(FILE *out, const json_t *doc, const scenario *s, double pct, const char *dirname)
{
    const json_t *t = json_object_get(doc, "tornado"), *params = json_object_get(t, "parameters");
    double base = json_number_value(json_object_get(t, "base_value"));
    char b[96];
    est_text(b, sizeof b, json_object_get(t, "base_value_out_of_sample"));
    fprintf(out, "fianza sweep --tornado %g: %s, optimal %s when each numeric parameter moves by %g%% (%ld "
                 "replications, seed %llu)\n\n",
            pct, s->name, scenario_objective_name(s->objective), pct, s->replications, (unsigned long long)s->seed);
    fprintf(out, "at the scenario's values: %.2f in sample, %s out of sample\n\n", base, b);
    int w = 9; /* the longest parameter name */
    size_t i;
    json_t *row;
    json_array_foreach(params, i, row)
    {
        int len = (int)strlen(json_string_value(json_object_get(row, "parameter")));
        w = len > w ? len : w;
    }
    fprintf(out, "%-*s %12s %12s  %-26s %-26s %10s\n", w, "parameter", "low", "high", "optimum at low [95% CI]",
            "optimum at high [95% CI]", "swing");
    json_array_foreach(params, i, row)
    {
        const json_t *vl = json_object_get(row, "value_low"), *vh = json_object_get(row, "value_high");
        /* the chart's bar: an invalid move draws no bar on its side (the base value) */
        double lo = json_is_number(vl) ? json_number_value(vl) : base,
               hi = json_is_number(vh) ? json_number_value(vh) : base;
        char l[96], h[96];
        est_text(l, sizeof l, json_object_get(row, "value_low_out_of_sample"));
        est_text(h, sizeof h, json_object_get(row, "value_high_out_of_sample"));
        fprintf(out, "%-*s %12.6g %12.6g  %-26s %-26s %10.2f\n", w, json_string_value(json_object_get(row, "parameter")),
                json_number_value(json_object_get(row, "low")), json_number_value(json_object_get(row, "high")), l, h,
                fabs(hi - lo));
    }
    if (!json_array_size(params))
        fprintf(out, "(no numeric parameter with a nonzero value to move)\n");
    fprintf(out, "\nswing: |optimum at high - optimum at low| in sample (stream \"optimize\"), as the "
                 "tornado chart draws and ranks it;\nthe optima with 95%% CIs: each move's optimal split evaluated "
                 "out of sample (stream \"evaluate\").\n");
    print_invalid_moves(out, params);
    fprintf(out, "\nranked parameters in %s/tornado.csv\n", dirname);
    summary_print_ci_note(out, (size_t)s->replications);
}
