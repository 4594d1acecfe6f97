/* fianza budget --releases N --prob p: the smallest budget at which the
 * split that maximises P(releases >= N) reaches P >= p on the "optimize"
 * stream (DESIGN §8), searched on the grid of budgets granularity_usd,
 * 2 granularity_usd, ... up to budget_usd.  Every budget tried is then
 * evaluated out of sample (stream "evaluate"), each P with its Wilson 95%
 * interval.
 *
 * Why bisection is exact.  Let P*(B) be the best in-sample P over the grid
 * splits at budget B.  A replication's releases in region c depend only on
 * that region's allocation x_c (its people are drawn the same at every
 * budget: common random numbers), never on B, as long as no donations are
 * shared out as D x_c / B.  And every split feasible at B (sum x_c <= B,
 * x_c <= max_share B) is feasible at B' > B too, the rest of B' staying
 * unallocated -- as long as no min_share forces money into a region.  So
 * the best split at B' is at least as good as the best at B on the same
 * replications, whatever the policy (first_come is not monotone in x_c for
 * one replication, but the split at B stays available): P*(B) is
 * nondecreasing, and the smallest B with P*(B) >= p is found by bisection,
 * exactly, in about log2(budget_usd / granularity_usd) solves.
 * With donations_usd_per_month > 0 the same split at a larger B receives
 * less of each donation (D x_c / B), and with min_share > 0 a larger B can
 * force a different split; P*(B) may then fall as B grows, and every budget
 * from the bottom is tried instead (said in the output). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "budget_out.h"
#include "cmds.h"
#include "optimize.h"
#include "rng.h"
#include "timeline_out.h"

typedef struct budget_cmd {
    budget_report rep;
    size_t cap;       /* points allocated */
    eval_result *ev;  /* the reported point's evaluation (top level of summary.json) */
    scenario *ev_s;   /* its scenario: freed in release, before the user's */
    double seconds;
} budget_cmd;

static const char *const rep_names[] = {"reported_split", NULL};

/* ---- the best split at one budget ---- */

/* The split of sb (its budget, share bounds and target_releases) that
 * maximises the replications of the "optimize" stream reaching the target:
 * the target_prob MIP of DESIGN §8 (optimize_target_split), exact on the
 * SAA unless its time limit stops it (res->status then says so, with the
 * bound and gap).  *used receives the replications in the model (all of
 * them, up to OPTIMIZE_TARGET_MAX_CELLS cells). */
static int target_split(split_result *res, size_t *used, const scenario *sb, const optimize_options *oo,
                        fz_error *err)
{
    char origin[160];
    scenario *st = NULL;
    snprintf(origin, sizeof origin, "fianza budget at USD %.0f", sb->budget_usd);
    int rc = scenario_copy_set(&st, sb, "fund.objective=target_prob", origin, err);
    if (!rc)
        rc = optimize_target_split(res, st, RNG_STREAM_OPTIMIZE, (size_t)sb->replications, used, oo, err);
    scenario_free(st);
    return rc;
}

/* ---- the search ---- */

/* The user's scenario at budget B with target_releases = N (shares its
 * distributions: free it before the user's). */
static int scenario_at(scenario **out, const scenario *s, double budget, long releases, fz_error *err)
{
    char set[128], origin[160];
    scenario *a = NULL;
    snprintf(origin, sizeof origin, "fianza budget at USD %.0f", budget);
    snprintf(set, sizeof set, "fund.budget_usd=%.17g", budget);
    int rc = scenario_copy_set(&a, s, set, origin, err);
    snprintf(set, sizeof set, "fund.target_releases=%ld", releases);
    if (!rc)
        rc = scenario_copy_set(out, a, set, origin, err);
    scenario_free(a);
    return rc;
}

static budget_point *new_point(budget_cmd *b, size_t C, double budget, fz_error *err)
{
    budget_report *r = &b->rep;
    if (r->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        budget_point *p = realloc(r->pts, cap * sizeof *p);
        if (!p)
            return fz_fail(err, FZ_ERUNTIME, "out of memory"), NULL;
        r->pts = p, b->cap = cap;
    }
    budget_point *p = &r->pts[r->n];
    memset(p, 0, sizeof *p);
    if (!(p->alloc = calloc(C, sizeof *p->alloc)))
        return fz_fail(err, FZ_ERUNTIME, "out of memory"), NULL;
    r->n++;
    p->budget = budget;
    p->p_out = p->out_lo = p->out_hi = NAN;
    return p;
}

/* Solves budget k * granularity: the point's split and in-sample P. */
static int solve_at(budget_cmd *b, cmd_run *r, long k, const optimize_options *oo, double *p_in)
{
    const scenario *s = r->s;
    double budget = (double)k * s->granularity_usd;
    budget_point *p = new_point(b, s->nregions, budget, &r->err);
    if (!p)
        return FZ_ERUNTIME;
    scenario *sb = NULL;
    split_result res;
    size_t used = (size_t)s->replications;
    int rc = scenario_at(&sb, s, budget, b->rep.releases, &r->err);
    if (!rc && (rc = target_split(&res, &used, sb, oo, &r->err)) == FZ_EINPUT && !cmd_check_shares(s, &r->err)) {
        /* no grid split within the share bounds at this (smaller) budget:
         * nothing can be paid, P = 0 (the scenario's own budget has one) */
        rc = 0;
        snprintf(p->solver, sizeof p->solver, "no grid split within min_share and max_share at this budget");
        p->exact = 1;
    } else if (!rc) {
        p->feasible = 1;
        for (size_t c = 0; c < s->nregions; c++)
            p->alloc[c] = (double)res.steps[c] * s->granularity_usd;
        snprintf(p->solver, sizeof p->solver, "GLPK, target_prob MIP: %s", res.status_text);
        p->exact = res.status == ALLOC_OPTIMAL;
        p->in_k = (double)res.reached;
        split_result_free(&res);
    }
    scenario_free(sb);
    p->in_n = (double)used;
    b->rep.model_reps = used;
    p->p_in = p->in_k / p->in_n;
    stat_wilson(p->in_k, p->in_n, &p->in_lo, &p->in_hi);
    *p_in = p->p_in;
    return rc;
}

static int cmp_points(const void *a, const void *b)
{
    double x = ((const budget_point *)a)->budget, y = ((const budget_point *)b)->budget;
    return (x > y) - (x < y);
}

/* Bisection (monotone) or a scan from the bottom; then the points sorted. */
static int search_budgets(budget_cmd *b, cmd_run *r, const optimize_options *oo)
{
    const scenario *s = r->s;
    budget_report *rep = &b->rep;
    const long K = (long)floor(s->budget_usd / s->granularity_usd + SCENARIO_GRID_EPS);
    rep->candidates = (size_t)K;
    rep->top = (double)K * s->granularity_usd;
    double p = 0;
    long lo = 0, hi = -1; /* P < prob at lo (0: no money, no release), >= prob at hi */
    int rc = 0;
    if (rep->monotone) {
        size_t steps = 1;
        for (long n = K; n > 1; n >>= 1)
            steps++;
        cli_progress_outer(&r->bar, "budget", 0, steps);
        if (!(rc = solve_at(b, r, K, oo, &p)) && p >= rep->prob)
            hi = K;
        cli_progress_outer(&r->bar, "budget", rep->n, steps);
        while (!rc && hi > 0 && hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if ((rc = solve_at(b, r, mid, oo, &p)))
                break;
            if (p >= rep->prob)
                hi = mid;
            else
                lo = mid;
            cli_progress_outer(&r->bar, "budget", rep->n, steps);
        }
    } else {
        for (long k = 1; !rc && k <= K && hi < 0; k++) {
            cli_progress_outer(&r->bar, "budget", (size_t)k - 1, (size_t)K);
            if (!(rc = solve_at(b, r, k, oo, &p)) && p >= rep->prob)
                hi = k, lo = k - 1;
        }
    }
    if (rc)
        return rc;
    qsort(rep->pts, rep->n, sizeof *rep->pts, cmp_points);
    rep->reachable = hi > 0;
    rep->answer = rep->below = SIZE_MAX;
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->reachable && rep->pts[i].budget == (double)hi * s->granularity_usd)
            rep->answer = i;
        if (rep->reachable && lo > 0 && rep->pts[i].budget == (double)lo * s->granularity_usd)
            rep->below = i;
    }
    rep->reported = rep->reachable ? rep->answer : rep->n - 1; /* else the top: the largest budget tried */
    return 0;
}

/* ---- out of sample ---- */

/* Every point tried on the "evaluate" stream, at its own budget; the
 * reported point's evaluation is kept (with its scenario) for the top level
 * of summary.json, replications.csv and the timeline. */
static int evaluate_points(budget_cmd *b, cmd_run *r)
{
    budget_report *rep = &b->rep;
    int rc = 0;
    for (size_t i = 0; !rc && i < rep->n; i++) {
        budget_point *p = &rep->pts[i];
        int kept = i == rep->reported;
        scenario *sb = NULL;
        eval_result *ev = NULL;
        cli_progress_outer(&r->bar, "evaluate", i, rep->n);
        eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                           .nreps = (size_t)r->s->replications,
                           .threads = r->o->threads,
                           .on_block = kept ? summary_reps_block : NULL,
                           .block_ctx = kept ? r->reps : NULL,
                           .progress = cli_progress_update,
                           .progress_ctx = &r->bar};
        if (!(rc = scenario_at(&sb, r->s, p->budget, rep->releases, &r->err)) &&
            !(rc = eval_run(&ev, sb, p->alloc, 1, &eo, &r->err))) {
            p->p_out = ev->nreps ? ev->allocs[0].reach_target / (double)ev->nreps : NAN;
            stat_wilson(ev->allocs[0].reach_target, (double)ev->nreps, &p->out_lo, &p->out_hi);
        }
        cli_progress_outer(&r->bar, "evaluate", i + 1, rep->n);
        if (!rc && kept) {
            b->ev = ev, b->ev_s = sb;
        } else {
            eval_free(ev);
            scenario_free(sb);
        }
    }
    return rc;
}

static int write_outputs(budget_cmd *b, cmd_run *r)
{
    const budget_report *rep = &b->rep;
    const budget_point *p = &rep->pts[rep->reported];
    r->doc = summary_header_json(r->s, "budget", (size_t)r->s->replications, b->ev->nreps);
    json_t *ev = summary_eval_json(b->ev_s, b->ev, 0);
    json_object_update(r->doc, ev);
    json_decref(ev);
    json_object_set_new(r->doc, "budget", budget_json(r->s, rep));
    char what[160];
    snprintf(what, sizeof what, "%s split at USD %.0f, out of sample", rep->reachable ? "the answer's" : "the best",
             p->budget);
    int rc = summary_allocation_csv(r->dir, b->ev_s, p->alloc, &r->err); /* shares of the point's budget */
    if (!rc)
        rc = timeline_outputs(r->dir, r->doc, b->ev_s, b->ev, what, &r->charts, &r->err);
    if (!rc)
        rc = budget_outputs(r->dir, r->s, rep, &r->charts, &r->err);
    return rc;
}

/* ---- the command ---- */

static int check(cmd_run *r, void *ctx)
{
    budget_cmd *b = ctx;
    const scenario *s = r->s;
    const cli_opts *o = r->o;
    if (o->target_releases < 1 || !(o->target_prob > 0))
        return fz_fail(&r->err, FZ_EINPUT, "budget: expected --releases N and --prob P (see fianza budget --help)");
    if (s->budget_usd < s->granularity_usd * (1 - SCENARIO_GRID_EPS))
        return fz_fail(&r->err, FZ_EINPUT,
                       "%s: budget_usd = %.10g is below granularity_usd = %.10g: no budget to try (fianza budget "
                       "tries granularity_usd, 2 granularity_usd, ... up to budget_usd)",
                       s->path, s->budget_usd, s->granularity_usd);
    if (s->pooling == POOLING_POOLED)
        return fz_fail(&r->err, FZ_EINPUT,
                       "%s: pooling = pooled: fianza budget finds the smallest budget for the best split across "
                       "regions, and a pooled fund has no split (use --set fund.pooling=split)",
                       s->path);
    if (s->reallocate_every_days > 0)
        return fz_fail(&r->err, FZ_EINPUT,
                       "%s: reallocate_every_days = %g: fianza budget searches the static split (its P on the "
                       "\"optimize\" stream decides the answer), and re-splits would change what each budget "
                       "buys (use --set fund.reallocate_every_days=0)",
                       s->path, s->reallocate_every_days);
    b->rep.releases = o->target_releases;
    b->rep.prob = o->target_prob;
    b->rep.monotone = 1;
    if (s->donations_usd_per_month > 0)
        b->rep.monotone = 0, b->rep.why = "donations are shared out as D x_c / B, so the same split gets less of them "
                                          "at a larger budget";
    for (size_t c = 0; c < s->nregions && b->rep.monotone; c++)
        if (s->regions[c].min_share > 0)
            b->rep.monotone = 0, b->rep.why = "a min_share > 0 forces money into a region as the budget grows";
    r->rep_names = rep_names;
    return cmd_check_shares(s, &r->err);
}

static int run(cmd_run *r, void *ctx)
{
    budget_cmd *b = ctx;
    optimize_options oo = {.threads = r->o->threads, .time_limit = r->o->time_limit};
    double t0 = cli_now();
    int rc = search_budgets(b, r, &oo);
    if (!rc)
        rc = evaluate_points(b, r);
    b->seconds = cli_now() - t0;
    if ((rc = cmd_run_done(r, rc)))
        return rc;
    return write_outputs(b, r);
}

static void print_point(FILE *out, const char *name, const budget_point *p)
{
    char in[64], ou[64];
    summary_ci_text(in, sizeof in, p->p_in, p->in_lo, p->in_hi, 4, 0);
    summary_ci_text(ou, sizeof ou, p->p_out, p->out_lo, p->out_hi, 4, 0);
    fprintf(out, "  %-17s %12.0f  %-28s %s\n", name, p->budget, in, ou);
}

static void print_split(FILE *out, const scenario *s, const budget_point *p)
{
    double sum = 0;
    for (size_t c = 0; c < s->nregions; c++) {
        fprintf(out, "%s %s %.0f", c ? "," : "", s->regions[c].label, p->alloc[c]);
        sum += p->alloc[c];
    }
    fprintf(out, " (USD %.0f unallocated)\n", p->budget - sum > 0 ? p->budget - sum : 0);
}

static void print(cmd_run *r, void *ctx)
{
    const budget_cmd *b = ctx;
    const budget_report *rep = &b->rep;
    const scenario *s = r->s;
    FILE *out = r->out;
    fprintf(out,
            "fianza budget: %s, the smallest budget with P(releases >= %ld) >= %g on the \"optimize\" stream (%ld "
            "replications per stream, seed %llu, %s)\n",
            s->name, rep->releases, rep->prob, s->replications, (unsigned long long)s->seed,
            scenario_policy_name(s->policy));
    if (rep->monotone)
        fprintf(out, "search: bisection over %zu budgets (USD %.0f to %.0f): P is nondecreasing in the budget on "
                     "common random numbers\n",
                rep->candidates, s->granularity_usd, rep->top);
    else
        fprintf(out, "search: every budget from USD %.0f up (P may fall as the budget grows: %s)\n",
                s->granularity_usd, rep->why);
    const budget_point *p = &rep->pts[rep->reported];
    if (rep->reachable) {
        fprintf(out, "\nsmallest budget: USD %.0f\nsplit there:", p->budget);
        print_split(out, s, p);
    } else {
        fprintf(out, "\nnot reachable with USD %.0f: the best split found there gives P(releases >= %ld) = %.4f in "
                     "sample\nsplit there:",
                p->budget, rep->releases, p->p_in);
        print_split(out, s, p);
    }
    fprintf(out, "\nP(releases >= %ld)  %12s  %-28s %s\n", rep->releases, "budget USD", "in sample [95% CI]",
            "out of sample [95% CI]");
    if (rep->reachable) {
        print_point(out, "answer", p);
        if (rep->below != SIZE_MAX)
            print_point(out, "one step below", &rep->pts[rep->below]);
        else
            fprintf(out, "  %-17s %12.0f  %-28s %s\n", "one step below", 0.0, "0 (no money)", "0 (no money)");
    } else {
        print_point(out, "budget_usd", p);
    }
    if (rep->reachable && isfinite(p->p_out) && p->p_out < rep->prob)
        fprintf(out,
                "warning: out of sample, P(releases >= %ld) at USD %.0f is %.4f [%.4f, %.4f], short of %g: the "
                "in-sample P is optimistic (the split was chosen on those replications); a larger budget or more "
                "--replications gives a safer answer\n",
                rep->releases, p->budget, p->p_out, p->out_lo, p->out_hi, rep->prob);
    if (rep->model_reps < (size_t)s->replications)
        fprintf(out,
                "note: the target_prob model holds the first %zu of the %ld replications of the \"optimize\" "
                "stream (its limit of %d cells: replications x regions x grid points); in-sample P is over them\n",
                rep->model_reps, s->replications, OPTIMIZE_TARGET_MAX_CELLS);
    size_t inexact = 0;
    for (size_t i = 0; i < rep->n; i++)
        inexact += !rep->pts[i].exact;
    if (inexact)
        fprintf(out,
                "note: at %zu of the budgets tried the best split was not proven (\"solver\" in summary.json), so "
                "their P is a lower bound and the answer may lie above the smallest budget%s\n",
                inexact, p->exact ? "" : "; at the reported budget too");
    fprintf(out, "\n%zu budgets tried (every one in %s/budget.csv); done in %.2f s; results in %s/\n", rep->n,
            r->dirname, b->seconds, r->dirname);
}

static void release(void *ctx)
{
    budget_cmd *b = ctx;
    scenario_free(b->ev_s);
    b->ev_s = NULL;
}

int cmd_budget(const cli_opts *o)
{
    static const cmd_hooks hooks = {.check = check, .work = run, .print = print, .release = release};
    budget_cmd b = {0};
    int rc = cmd_execute(o, &hooks, &b);
    for (size_t i = 0; i < b.rep.n; i++)
        free(b.rep.pts[i].alloc);
    free(b.rep.pts);
    eval_free(b.ev);
    return rc;
}
