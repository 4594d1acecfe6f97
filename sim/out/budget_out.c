/* budget_out: summary.json part, budget.csv and chart of `fianza budget`
 * (budget_out.h). */
#include "budget_out.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_guard.h"
#include "plot.h"
#include "summary.h"

static json_t *point_json(const scenario *s, const budget_point *p)
{
    double sum = 0;
    for (size_t c = 0; c < s->nregions; c++)
        sum += p->alloc[c];
    json_t *o = json_object();
    json_object_set_new(o, "budget_usd", json_guard_num(p->budget));
    json_object_set_new(o, "allocation", summary_allocation_json(s, p->alloc));
    json_object_set_new(o, "unallocated_usd", json_guard_num(p->budget - sum > 0 ? p->budget - sum : 0));
    json_object_set_new(o, "feasible", json_boolean(p->feasible));
    json_object_set_new(o, "p_in_sample", json_guard_num(p->p_in));
    json_object_set_new(o, "p_in_sample_ci95", json_guard_pair_or_null(p->in_lo, p->in_hi));
    json_object_set_new(o, "replications_reaching_in_sample", json_guard_num(p->in_k));
    json_object_set_new(o, "p_out_of_sample", json_guard_num_or_null(p->p_out));
    json_object_set_new(o, "p_out_of_sample_ci95", json_guard_pair_or_null(p->out_lo, p->out_hi));
    json_object_set_new(o, "solver", json_string(p->solver));
    json_object_set_new(o, "exact", json_boolean(p->exact));
    return o;
}

json_t *budget_json(const scenario *s, const budget_report *b)
{
    json_t *pts = json_array();
    int exact = 1;
    for (size_t i = 0; i < b->n; i++) {
        json_array_append_new(pts, point_json(s, &b->pts[i]));
        exact &= b->pts[i].exact;
    }
    const budget_point *a = b->reachable ? &b->pts[b->answer] : NULL;
    json_t *o = json_object();
    json_object_set_new(o, "releases_target", json_integer(b->releases));
    json_object_set_new(o, "prob", json_guard_num(b->prob));
    json_object_set_new(o, "reachable", json_boolean(b->reachable));
    json_object_set_new(o, "budget_usd", a ? json_guard_num(a->budget) : json_null());
    json_object_set_new(o, "max_budget_usd", json_guard_num(b->top));
    json_object_set_new(o, "granularity_usd", json_guard_num(s->granularity_usd));
    json_object_set_new(o, "budgets_on_grid", json_integer((json_int_t)b->candidates));
    json_object_set_new(o, "budgets_tried", json_integer((json_int_t)b->n));
    json_object_set_new(o, "model_replications", json_integer((json_int_t)b->model_reps));
    json_object_set_new(o, "search", json_string(b->monotone ? "bisection" : "every budget from the bottom"));
    json_object_set_new(o, "monotone", json_boolean(b->monotone));
    json_object_set_new(o, "every_split_exact", json_boolean(exact));
    json_object_set_new(o, "not_monotone_reason", b->why ? json_string(b->why) : json_null());
    json_object_set_new(o, "answer", a ? point_json(s, a) : json_null());
    int below = a && b->below != SIZE_MAX;
    json_object_set_new(o, "one_step_below", below ? point_json(s, &b->pts[b->below]) : json_null());
    json_object_set_new(o, "one_step_below_budget_usd",
                        a ? json_guard_num(a->budget - s->granularity_usd) : json_null());
    json_object_set_new(o, "out_of_sample_short",
                        a ? json_boolean(isfinite(a->p_out) && a->p_out < b->prob) : json_null());
    json_object_set_new(o, "points", pts);
    return o;
}

static int write_csv(outdir *o, const scenario *s, const budget_report *b, fz_error *err)
{
    FILE *f = outdir_open(o, "budget.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "budget_usd");
    for (size_t c = 0; c < s->nregions; c++)
        fprintf(f, ",%s_usd", s->regions[c].name);
    fprintf(f, ",p_in_sample,p_in_sample_ci95_lo,p_in_sample_ci95_hi,p_out_of_sample,p_out_of_sample_ci95_lo,"
               "p_out_of_sample_ci95_hi,answer,unallocated_usd\n"); /* budget.gp reads PCOL.. by position */
    for (size_t i = 0; i < b->n; i++) {
        const budget_point *p = &b->pts[i];
        fprintf(f, "%.10g", p->budget);
        for (size_t c = 0; c < s->nregions; c++)
            fprintf(f, ",%.2f", p->alloc[c]);
        charts_csv_num(f, p->p_in);
        charts_csv_num(f, p->in_lo);
        charts_csv_num(f, p->in_hi);
        charts_csv_num(f, p->p_out);
        charts_csv_num(f, p->out_lo);
        charts_csv_num(f, p->out_hi);
        double sum = 0;
        for (size_t c = 0; c < s->nregions; c++)
            sum += p->alloc[c];
        fprintf(f, ",%d,%.2f\n", b->reachable && i == b->answer, p->budget - sum > 0 ? p->budget - sum : 0);
    }
    return outdir_close(f, "budget.csv", err);
}

int budget_outputs(outdir *o, const scenario *s, const budget_report *b, charts_list *list, fz_error *err)
{
    int rc = write_csv(o, s, b, err);
    if (rc)
        return rc;
    char title[400], label[96], prob[32], ans[32], col[16];
    snprintf(title, sizeof title, "%s: P(releases >= %ld) of the best split at each budget tried", s->name,
             b->releases);
    if (b->reachable)
        snprintf(label, sizeof label, "smallest budget: USD %.0f", b->pts[b->answer].budget);
    else
        snprintf(label, sizeof label, "not reachable with USD %.0f", b->top);
    snprintf(prob, sizeof prob, "%.17g", b->prob);
    snprintf(ans, sizeof ans, "%.17g", b->reachable ? b->pts[b->answer].budget / 1000 : NAN);
    snprintf(col, sizeof col, "%zu", s->nregions + 2); /* p_in_sample */
    char *t = plot_quote(title), *l = plot_quote(label);
    plot_var v[] = {{"TITLE", t}, {"LABEL", l}, {"PROB", prob}, {"ANSWER", b->reachable ? ans : "NaN"}, {"PCOL", col}};
    if (!t || !l)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else if (!(rc = plot_script(o, "budget", v, sizeof v / sizeof *v, err)))
        list->names[list->n++] = "budget";
    free(t), free(l);
    return rc;
}
