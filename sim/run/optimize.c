/* optimize: curves -> MIP -> baselines -> evaluation -> VSS, EVPI, gap
 * (optimize.h).
 *
 * Value of the stochastic solution and of perfect information (Birge &
 * Louveaux, "Introduction to Stochastic Programming", 2nd ed., §4.1-4.2):
 *   VSS  = f(x*) - f(x_EV),  EVPI = E[max_x F(x, xi)] - f(x*),
 * both estimated on the evaluation replications, paired per replication.
 * Optimality gap (Mak, Morton & Wood, Oper. Res. Lett. 24, 1999): M
 * independent SAA problems of the same size n give optimal values v_m with
 * E[v_m] >= the true optimum (maximisation), so U = mean(v_m) estimates an
 * upper bound; the out-of-sample value L of the chosen x* is a lower bound.
 * Gap = U - L, with one-sided 95% bound U - L + t_{M-1} s_v / sqrt(M) + z se_L.
 * The default of `fianza optimize` is A2RP instead (gap.c: no extra passes). */
#include "optimize.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "realloc.h"
#include "rng.h"
#include "stats.h"
#include "ws.h"

const char *const optimize_alloc_names[OPT_NALLOC + 1] = {"optimal", "equal_split", "proportional", "expected_value",
                                                          "pooled"};
const char *const optimize_gap_names[3] = {"mmw", "a2rp", "none"};

void optimize_free(optimize_result *r)
{
    if (!r)
        return;
    free(r->allocs);
    split_result_free(&r->mip);
    curve_free(r->curves);
    free(r->ev_curve);
    eval_free(r->eval);
    free(r->batch_values);
    gap_a2rp_free(&r->a2rp);
    free(r->realloc);
    free(r);
}

int optimize_problem(split_problem *p, long *lo, long *hi, const scenario *s, size_t ngrid, fz_error *err)
{
    memset(p, 0, sizeof *p);
    double steps = s->budget_usd / s->granularity_usd;
    p->nregions = s->nregions;
    p->ngrid = ngrid;
    p->step = s->granularity_usd;
    p->budget_steps = (long)floor(steps + SCENARIO_GRID_EPS);
    p->lo = lo;
    p->hi = hi;
    p->alpha = s->cvar_alpha;
    for (size_t c = 0; c < s->nregions; c++) {
        lo[c] = (long)ceil(s->regions[c].min_share * steps - SCENARIO_GRID_EPS);
        hi[c] = (long)floor(s->regions[c].max_share * steps + SCENARIO_GRID_EPS);
        if (hi[c] > p->budget_steps)
            hi[c] = p->budget_steps;
        if (lo[c] > hi[c])
            return fz_fail(err, FZ_EINPUT,
                           "%s: [region.%s]: no multiple of granularity_usd = %g lies between "
                           "min_share and max_share of the budget",
                           s->path, s->regions[c].name, s->granularity_usd);
    }
    return split_check(p, err);
}

int optimize_bounds_init(optimize_bounds *b, const scenario *s, fz_error *err)
{
    if (s->nregions > SCENARIO_MAX_REGIONS)
        return fz_fail(err, FZ_EINPUT, "%s: %zu regions; the limit is %d", s->path, s->nregions, SCENARIO_MAX_REGIONS);
    return optimize_problem(&b->p, b->lo, b->hi, s, scenario_grid_points(s), err);
}

static stat_est est_of(const stat_acc *a)
{
    double h = stat_ci95_half(a);
    return (stat_est){a->mean, a->mean - h, a->mean + h};
}

/* CVaR of the sample x with the asymptotic interval: Var(CVaR_hat) ~
 * Var((eta - X)^+) / (alpha^2 n), eta the alpha-quantile (Trindade et al.,
 * Ann. Oper. Res. 151, 2007).  The sorted values come from the tally:
 * the same sums, in the same order, as sorting the sample. */
static stat_est cvar_est(const tally *x, double alpha)
{
    const size_t n = (size_t)x->n;
    stat_est e = {tally_cvar(x, alpha), NAN, NAN};
    if (n < 2)
        return e;
    size_t q = (size_t)ceil(alpha * (double)n), pos = 0;
    double eta = tally_at(x, q ? q - 1 : 0), v;
    uint64_t m;
    stat_acc a = {0, 0, 0};
    while (tally_next(x, &pos, &v, &m))
        for (uint64_t j = 0; j < m; j++)
            stat_add(&a, eta > v ? eta - v : 0);
    double h = STAT_Z975 * stat_sd(&a) / (alpha * sqrt((double)n));
    e.lo = e.value - h;
    e.hi = e.value + h;
    return e;
}

/* ---- per-replication curve consumers ---- */

typedef struct keep_ctx { /* copies the first `want` replications of curves */
    double *buf;
    size_t want, have, per_rep;
    int freedom;
} keep_ctx;

static int keep_block(void *ctx, uint64_t first, size_t n, const double *rel, const double *fre, fz_error *err)
{
    (void)first, (void)err;
    keep_ctx *k = ctx;
    size_t take = k->want - k->have < n ? k->want - k->have : n;
    memcpy(k->buf + k->have * k->per_rep, k->freedom ? fre : rel, take * k->per_rep * sizeof(double));
    k->have += take;
    return 0;
}

/* Expected-value problem: N_c fundable cases of mean cost m_c each, so
 * R_c(x) = min(N_c, floor(x / m_c)) (times mean freedom days per case). */
static void ev_curves(double *out, const curve_set *cs, int freedom)
{
    for (size_t c = 0; c < cs->nregions; c++)
        for (size_t g = 0; g < cs->ngrid; g++) {
            double m = cs->cost[c], k = 0;
            if (isfinite(m) && m > 0)
                k = fmin(cs->fundable[c], floor((double)g * cs->step / m + SCENARIO_GRID_EPS));
            else if (cs->fundable[c] > 0)
                k = cs->fundable[c]; /* free cases */
            out[c * cs->ngrid + g] = freedom ? k * (isfinite(cs->case_freedom[c]) ? cs->case_freedom[c] : 0) : k;
        }
}

static void stage(const optimize_options *o, const char *what, size_t done, size_t total)
{
    if (o->progress)
        o->progress(o->progress_ctx, what, done, total);
}

/* A pass's replications done, as progress of a named stage. */
typedef struct stage_fwd {
    const optimize_options *o;
    const char *name;
} stage_fwd;

static void fwd_progress(void *ctx, size_t done, size_t total)
{
    const stage_fwd *f = ctx;
    stage(f->o, f->name, done, total);
}

int optimize_saa(split_result *res, curve_set **curves_out, const scenario *s, uint64_t stream, size_t nreps,
                 size_t cvar_reps, const optimize_options *o, fz_error *err)
{
    const size_t C = s->nregions, G = scenario_grid_points(s);
    keep_ctx keep = {NULL, cvar_reps, 0, C * G, 0};
    curve_set *cs = NULL;
    optimize_bounds b;
    split_problem *p = &b.p;
    int rc;
    if ((rc = optimize_bounds_init(&b, s, err)))
        goto done;
    if (cvar_reps && !(keep.buf = malloc(cvar_reps * C * G * sizeof(double)))) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory for the CVaR model");
        goto done;
    }
    stage_fwd fwd = {o, "curves"};
    curve_options co = {.stream = stream,
                        .nreps = nreps,
                        .threads = o->threads,
                        .on_block = cvar_reps ? keep_block : NULL,
                        .block_ctx = &keep,
                        .progress = o->progress ? fwd_progress : NULL,
                        .progress_ctx = &fwd};
    stage(o, "curves", 0, nreps);
    if ((rc = curve_compute(&cs, s, &co, err)))
        goto done;
    stage(o, "MIP", 0, 0); /* no count: the solver reports none */
    p->value = s->objective == OBJ_FREEDOM_DAYS ? cs->freedom : cs->releases;
    p->cvar = s->objective == OBJ_CVAR;
    p->nreps = keep.have;
    p->rep_value = keep.buf;
    p->time_limit = o->time_limit > 0 ? o->time_limit : p->cvar ? OPTIMIZE_CVAR_TIME_LIMIT : 0;
    if (optimize_uses_target(s)) { /* DESIGN §8 */
        p->target_obj = s->objective == OBJ_TARGET_PROB;
        p->target = s->target_releases;
        p->min_reach = (long)ceil(s->min_target_prob * (double)keep.have - 1e-9);
        if (o->time_limit <= 0)
            p->time_limit = p->cvar ? OPTIMIZE_CVAR_TIME_LIMIT : OPTIMIZE_TARGET_TIME_LIMIT;
    }
    rc = split_solve(res, p, err);
done:
    free(keep.buf);
    if (!rc && curves_out)
        *curves_out = cs;
    else
        curve_free(cs);
    return rc;
}

static void set_baselines(optimize_result *r, const scenario *s)
{
    const size_t C = s->nregions;
    double *a = r->allocs, total_fundable = 0;
    for (size_t c = 0; c < C; c++) {
        a[OPT_OPTIMAL * C + c] = (double)r->mip.steps[c] * s->granularity_usd;
        a[OPT_EQUAL * C + c] = s->budget_usd / (double)C;
        total_fundable += r->curves->fundable[c];
    }
    for (size_t c = 0; c < C; c++)
        a[OPT_PROPORTIONAL * C + c] =
            total_fundable > 0 ? s->budget_usd * r->curves->fundable[c] / total_fundable : s->budget_usd / (double)C;
}

stat_est optimize_value(const scenario *s, const eval_result *r, size_t k)
{
    const eval_alloc *a = &r->allocs[k];
    if (s->objective == OBJ_TARGET_PROB) {
        stat_est e = {r->nreps ? a->reach_target / (double)r->nreps : NAN, NAN, NAN};
        stat_wilson(a->reach_target, (double)r->nreps, &e.lo, &e.hi);
        return e;
    }
    if (s->objective == OBJ_CVAR)
        return cvar_est(&a->dist, s->cvar_alpha);
    return est_of(s->objective == OBJ_FREEDOM_DAYS ? &a->freedom_days : &a->releases);
}

/* The four allocations, and (DESIGN §8) the pooled fund as allocation
 * OPT_NALLOC of the same evaluation: paired with the optimum, at the cost
 * of one more draw per region, and one more double per replication. */
static int evaluate_all(optimize_result *r, const scenario *s, const optimize_options *o, ws_ctx *w, fz_error *err)
{
    const size_t S = (size_t)s->replications, C = r->nregions;
    static const int pooled[OPT_NALLOC + 1] = {[OPT_NALLOC] = 1};
    double *allocs = calloc((OPT_NALLOC + 1) * C, sizeof *allocs);
    if (!allocs)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    memcpy(allocs, r->allocs, OPT_NALLOC * C * sizeof *allocs);
    stage_fwd fwd = {o, "evaluate"};
    stage(o, "evaluate", 0, S);
    eval_options eo = {.stream = RNG_STREAM_EVALUATE,
                       .nreps = S,
                       .threads = o->threads,
                       .precision = o->precision,
                       .precision_block = o->precision_block,
                       .pooled = pooled,
                       .keep_totals = o->keep_totals,
                       .on_block = ws_controls,
                       .block_ctx = w,
                       .on_curves = w->a2rp ? ws_block : NULL,
                       .curves_ctx = w,
                       .on_rep = ws_rep,
                       .on_reps = ws_reps,
                       .rep_ctx = w,
                       .rep_values = 2,
                       .progress = o->progress ? fwd_progress : NULL,
                       .progress_ctx = &fwd};
    int rc = eval_run(&r->eval, s, allocs, OPT_NALLOC + 1, &eo, err);
    free(allocs);
    if (rc)
        return rc;
    stat_est *value[OPT_NALLOC + 1], *diff[OPT_NALLOC + 1];
    for (size_t k = 0; k < OPT_NALLOC; k++) {
        value[k] = &r->objective[k];
        diff[k] = &r->diff[k];
    }
    value[OPT_NALLOC] = &r->pooled_value;
    diff[OPT_NALLOC] = &r->pooled_diff;
    for (size_t k = 0; k <= OPT_NALLOC; k++) {
        const eval_alloc *a = &r->eval->allocs[k];
        *value[k] = optimize_value(s, r->eval, k);
        if (s->objective == OBJ_CVAR)
            *diff[k] = (stat_est){value[k]->value - r->objective[0].value, NAN, NAN};
        else if (s->objective == OBJ_TARGET_PROB) /* paired: reach indicators */
            *diff[k] = est_of(&a->diff_reach);
        else
            *diff[k] = est_of(s->objective == OBJ_FREEDOM_DAYS ? &a->diff_freedom : &a->diff_releases);
    }
    stat_est d = r->diff[OPT_EXPECTED_VALUE];
    r->vss = (stat_est){-d.value, -d.hi, -d.lo};
    return 0;
}

static void wait_and_see(optimize_result *r, const scenario *s, const optimize_options *o, ws_ctx *w)
{
    const size_t S = r->eval->nreps; /* all, or as many as --precision needed */
    stage(o, "wait-and-see", 0, S); /* done during the evaluation's pass */
    stage(o, "wait-and-see", S, S);
    r->ws_cv = r->evpi_cv = (cv_est){NAN, NAN, NAN, NAN};
    if (r->eval->cv_mu && s->objective != OBJ_CVAR) { /* CVaR is not a mean */
        r->ws_cv = cv_estimate_vec(&w->cvx, &w->cv_ws, r->eval->cv_mu);
        r->evpi_cv = cv_estimate_vec(&w->cvx, &w->cv_diff, r->eval->cv_mu);
    }
    if (s->objective == OBJ_CVAR) {
        tally_seal(&w->ws_values);
        r->wait_and_see = cvar_est(&w->ws_values, s->cvar_alpha);
        r->evpi = (stat_est){r->wait_and_see.value - r->objective[OPT_OPTIMAL].value, NAN, NAN};
    } else {
        r->wait_and_see = est_of(&w->ws);
        if (s->objective == OBJ_TARGET_PROB) /* a proportion: Wilson, as the optimum's P */
            stat_wilson(w->ws.mean * (double)w->ws.n, (double)w->ws.n, &r->wait_and_see.lo, &r->wait_and_see.hi);
        r->evpi = est_of(&w->diff);
        if (r->evpi.lo < 0) /* every replication's difference is >= 0: so is EVPI */
            r->evpi.lo = 0;
    }
}

/* The gap batches as one stage: batch m's curve pass is replications
 * m n .. (m + 1) n of M n (its solve reports nothing new). */
typedef struct gap_fwd {
    const optimize_options *o;
    size_t m, M, n;
} gap_fwd;

static void gap_progress(void *ctx, const char *what, size_t done, size_t total)
{
    const gap_fwd *g = ctx;
    (void)total;
    /* a batch's 0 would repeat the last count while the solve before it ran */
    if (!strcmp(what, "curves") && (done > 0 || g->m == 0))
        stage(g->o, "gap", g->m * g->n + done, g->M * g->n);
}

static int gap_estimate(optimize_result *r, const scenario *s, const optimize_options *o, fz_error *err)
{
    const int M = o->gap_batches;
    const size_t n = r->cvar_reps ? r->cvar_reps : (size_t)s->replications;
    r->gap_batches = M;
    r->batch_values = malloc((size_t)M * sizeof(double));
    if (!r->batch_values)
        return fz_fail(err, FZ_ERUNTIME, "out of memory");
    stat_acc v = {0, 0, 0};
    /* each batch repeats the first solve's work (curves of n replications and
     * a model of the same size): a measured estimate of the stage */
    double per_batch = r->seconds_curves * (double)n / (double)s->replications + r->mip.seconds;
    if (o->notice && M * per_batch > OPTIMIZE_ESTIMATE_WARN) {
        char text[256];
        double all = M * per_batch;
        snprintf(text, sizeof text,
                 "the optimality gap estimate will take about %.0f %s (%d batches, each like the first "
                 "solve: %.1f s%s)",
                 all < 120 ? all : all / 60, all < 120 ? "s" : "minutes", M, per_batch,
                 r->mip.status == ALLOC_OPTIMAL ? "" : ", which stopped at the solver time limit");
        o->notice(o->progress_ctx, text);
    }
    gap_fwd gf = {o, 0, (size_t)M, n};
    optimize_options bo = *o;
    bo.progress = o->progress ? gap_progress : NULL;
    bo.progress_ctx = &gf;
    for (int m = 0; m < M; m++) {
        gf.m = (size_t)m;
        split_result res;
        int rc = optimize_saa(&res, NULL, s, RNG_STREAM_BATCH + (uint64_t)m, n, r->cvar_reps, &bo, err);
        if (rc)
            return rc;
        /* a batch stopped by the time limit gives its bound: E[bound] >= E[v_m] */
        double vm = res.status == ALLOC_OPTIMAL ? res.value : res.bound;
        r->gap_time_limited += res.status != ALLOC_OPTIMAL;
        r->batch_values[m] = vm;
        stat_add(&v, vm);
        split_result_free(&res);
    }
    stat_est L = r->objective[OPT_OPTIMAL];
    /* hL is NAN when L has no interval (1 evaluation replication): then so
     * has the gap, rather than an interval that ignores L's error */
    double hU = stat_ci95_half(&v), hL = (L.hi - L.lo) / 2;
    r->gap_upper = (stat_est){v.mean, v.mean - hU, v.mean + hU};
    double g = v.mean - L.value, h = sqrt(hU * hU + hL * hL);
    r->gap = (stat_est){g, g - h, g + h};
    double t95 = gsl_cdf_tdist_Pinv(0.95, M - 1);
    r->gap_ci_upper = g + t95 * stat_sd(&v) / sqrt(M) + STAT_Z95 * hL / STAT_Z975;
    return 0;
}

/* Why A2RP cannot bound this run's gap (NULL: it can).  Its halves solve
 * the mean problem: cvar and target_prob have none (their SAA needs every
 * replication's curves, MMW's batches do that). */
static const char *a2rp_unusable(const scenario *s, const optimize_options *o)
{
    if (s->objective == OBJ_CVAR || s->objective == OBJ_TARGET_PROB)
        return "A2RP solves the mean problem on each half; the cvar and target_prob objectives have none: "
               "Mak-Morton-Wood used";
    const size_t S = (size_t)s->replications, na = o->precision > 0 && S > EVAL_BLOCK ? EVAL_BLOCK : S;
    if (na / (2 * (size_t)o->gap_batches) < 1)
        return o->precision > 0 ? "A2RP with --precision uses the first 1024 replications: it needs at least 2 x gap "
                                  "batches of them (one per half): Mak-Morton-Wood used"
                                : "A2RP needs at least 2 x gap batches replications (one per half): Mak-Morton-Wood "
                                  "used";
    return NULL;
}

#define A2RP_DEGENERATE                                                                                      \
    "A2RP degenerate: every half re-selected the optimal split, so every pair's gap is 0 and the bound has " \
    "no width (it says nothing of the chance that the split is not optimal): Mak-Morton-Wood used"

/* A2RP's numbers in the result's gap fields (gap.c): the gap G-bar' with
 * its t interval over pairs; the upper bound on the optimum L + G-bar'
 * (L's own interval added in quadrature). */
static void a2rp_result(optimize_result *r)
{
    const gap_a2rp *g = &r->a2rp;
    stat_est L = r->objective[OPT_OPTIMAL];
    double hg = (g->ci_hi - g->ci_lo) / 2, hL = (L.hi - L.lo) / 2, h = sqrt(hg * hg + hL * hL);
    r->gap = (stat_est){g->mean, g->ci_lo, g->ci_hi};
    r->gap_upper = (stat_est){L.value + g->mean, L.value + g->mean - h, L.value + g->mean + h};
    r->gap_ci_upper = g->upper;
    r->gap_time_limited = g->time_limited;
    r->gap_method = OPT_GAP_A2RP;
}

int optimize_gap_passes(const scenario *s, const optimize_options *o)
{
    if (o->gap_method == OPT_GAP_NONE || o->gap_batches < 2 || s->min_target_prob > 0)
        return 0;
    return o->gap_method == OPT_GAP_A2RP && !a2rp_unusable(s, o) ? 0 : o->gap_batches;
}

int optimize_uses_target(const scenario *s)
{
    return s->target_releases > 0 && (s->objective == OBJ_TARGET_PROB || s->min_target_prob > 0);
}

size_t optimize_cvar_reps(const scenario *s)
{
    if (s->objective != OBJ_CVAR && !optimize_uses_target(s))
        return 0;
    const size_t S = (size_t)s->replications, G = scenario_grid_points(s);
    size_t cap =
        (s->objective == OBJ_CVAR ? OPTIMIZE_CVAR_MAX_NONZEROS : OPTIMIZE_TARGET_MAX_CELLS) / (s->nregions * G);
    return S < cap ? S : cap > 0 ? cap : 1;
}

int optimize_target_split(split_result *res, const scenario *s, uint64_t stream, size_t nreps, size_t *used,
                          const optimize_options *o, fz_error *err)
{
    memset(res, 0, sizeof *res);
    if (s->objective != OBJ_TARGET_PROB || !(s->target_releases > 0))
        return fz_fail(err, FZ_EINPUT, "%s: the target split needs objective = target_prob and target_releases > 0",
                       s->path);
    size_t cap = OPTIMIZE_TARGET_MAX_CELLS / (s->nregions * scenario_grid_points(s)), n = nreps;
    if (n > cap)
        n = cap > 0 ? cap : 1;
    if (used)
        *used = n;
    return optimize_saa(res, NULL, s, stream, nreps, n, o, err);
}

int optimize_run(optimize_result **out, const scenario *s, const optimize_options *o, fz_error *err)
{
    *out = NULL;
    const size_t C = s->nregions, S = (size_t)s->replications, G = scenario_grid_points(s);
    optimize_result *r = calloc(1, sizeof *r);
    int rc = 0;
    if (!r || !(r->allocs = calloc(OPT_NALLOC * C, sizeof(double))) ||
        !(r->ev_curve = malloc(C * G * sizeof(double)))) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    r->nregions = C;
    r->cvar_reps = optimize_cvar_reps(s);
    r->target_reps = optimize_uses_target(s) ? r->cvar_reps : 0;
    if ((rc = realloc_check(s, err))) /* before any simulation */
        goto done;
    double t = fz_seconds();
    if ((rc = optimize_saa(&r->mip, &r->curves, s, RNG_STREAM_OPTIMIZE, S, r->cvar_reps, o, err)))
        goto done;
    r->seconds_curves = fz_seconds() - t - r->mip.seconds;
    r->seconds_solve = r->mip.seconds;
    set_baselines(r, s);

    /* expected-value solution */
    optimize_bounds b;
    split_result ev = {0};
    if (!(rc = optimize_bounds_init(&b, s, err))) {
        ev_curves(r->ev_curve, r->curves, s->objective == OBJ_FREEDOM_DAYS);
        b.p.value = r->ev_curve;
        b.p.time_limit = o->time_limit;
        if (!(rc = split_solve(&ev, &b.p, err)))
            for (size_t c = 0; c < C; c++)
                r->allocs[OPT_EXPECTED_VALUE * C + c] = (double)ev.steps[c] * s->granularity_usd;
        split_result_free(&ev);
    }
    if (rc)
        goto done;

    t = fz_seconds();
    /* with min_target_prob a batch may not meet the constraint at all (its
     * optimum is then -infinity): the gap is not estimated (either method) */
    int want_gap = o->gap_method != OPT_GAP_NONE && o->gap_batches >= 2;
    r->gap_skipped = want_gap && s->min_target_prob > 0;
    want_gap = want_gap && !r->gap_skipped;
    r->gap_method = want_gap ? OPT_GAP_MMW : OPT_GAP_NONE;
    if (want_gap && o->gap_method == OPT_GAP_A2RP && !(r->gap_note = a2rp_unusable(s, o))) {
        /* A2RP rides on the wait-and-see curves, i.e. the evaluation's pass (gap.c) */
        optimize_bounds gb;
        if ((rc = optimize_bounds_init(&gb, s, err)))
            goto done;
        gb.p.time_limit = o->time_limit;
        /* with --precision the evaluation may stop after EVAL_BLOCK
         * replications: A2RP's halves then come from those (eval.c never
         * stops before them), whatever the evaluation goes on to */
        const size_t na = o->precision > 0 && S > EVAL_BLOCK ? EVAL_BLOCK : S; /* as a2rp_unusable */
        if ((rc = gap_a2rp_init(&r->a2rp, (size_t)o->gap_batches, na, &gb.p, r->mip.steps, err)))
            goto done;
    }
    ws_ctx w;
    if (!(rc = ws_init(&w, r, s, o, err)) && !(rc = evaluate_all(r, s, o, &w, err)) && s->reallocate_every_days > 0) {
        stage(o, "re-allocation", 0, 0);
        rc = realloc_report_run(&r->realloc, s, r->allocs, o->threads, err);
    }
    if (!rc)
        wait_and_see(r, s, o, &w);
    ws_free(&w);
    if (rc)
        goto done;
    r->seconds_eval = fz_seconds() - t - r->a2rp.seconds;
    t = fz_seconds();
    if (r->a2rp.pairs) {
        if ((rc = gap_a2rp_finish(&r->a2rp, err)))
            goto done;
        r->gap_degenerate = r->a2rp.degenerate;
        if (r->gap_degenerate)
            r->gap_note = A2RP_DEGENERATE;
        else
            a2rp_result(r);
    }
    if (want_gap && r->gap_method == OPT_GAP_MMW && (rc = gap_estimate(r, s, o, err)))
        goto done;
    r->seconds_gap = fz_seconds() - t + r->a2rp.seconds;
done:
    if (rc) {
        optimize_free(r);
        return rc;
    }
    *out = r;
    return 0;
}
