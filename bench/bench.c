/* fianza_bench: throughput, scaling and memory of the engine (issue 6).
 *
 *   fianza_bench [--scenario bench/bench.ini] [--sizes 10000,100000,1000000]
 *                [--threads N] [--draw-reps N] [--only draw,simulate,optimize]
 *                [--repeat N] [--json FILE] [--no-fork] [--set SECTION.KEY=VALUE]...
 *   fianza_bench --check N [--other ALLOC] [--json FILE]
 *
 * Measurements (each in its own child process, so that each has its own
 * peak resident set, ru_maxrss from wait4):
 *   draw      engine_draw alone (sample, keep the fundable, sort): people per
 *             second, per core, with 1 thread and with N threads;
 *   simulate  eval_run with one allocation (the equal split), stream
 *             "evaluate": replications per second;
 *   optimize  curve_compute + split_solve (the release curves and the MIP,
 *             without the out-of-sample evaluation or the gap estimate),
 *             stream "optimize": replications per second;
 * at every size of --sizes, with 1 thread and with N threads (default: all
 * cores), and the speedup from 1 to N.  With --repeat N each measurement
 * runs N times and the fastest run is kept (the usual defence against other
 * work on the machine).  Wall time is the headline; CPU time
 * (user + system of the child) is reported too, since it is the fairer
 * per-core figure on a machine shared with other work.
 *
 * --check N is what bench/run.sh compares with numpy_pipeline.py: the SAA
 * allocation x on N replications of stream "optimize", its in-sample mean
 * releases and standard error, and, with --other ALLOC, the paired difference
 * ALLOC - x on N fresh replications (stream "evaluate").
 *
 * Any scenario works, a DESIGN §7 ledger scenario too (bench/bench-ledger.ini):
 * draw then includes the ledger's case records, simulate runs one ledger per
 * region and replication (engine_settle, with the timeline trace), and
 * optimize runs it once per distinct outcome on each region's grid
 * (engine_settle_grid), so "curves ms/rep" against the grid size
 * (--set fund.granularity_usd=...) is the ledger's cost per grid point.
 *
 * The parent process never starts an OpenMP thread: libgomp's thread pool
 * does not survive fork(). */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "split.h"
#include "curve.h"
#include "engine.h"
#include "fz_util.h"
#include "eval.h"
#include "optimize.h"
#include "rng.h"
#include "scenario.h"

#ifndef FZ_BENCH_INI
#define FZ_BENCH_INI "bench/bench.ini"
#endif

enum { M_DRAW, M_SIMULATE, M_OPTIMIZE };
static const char *const mnames[] = {"draw", "simulate", "optimize"};

typedef struct result {
    int ok;
    double wall, cpu;    /* seconds */
    double people, reps; /* simulated */
    double curves_s, mip_s;
    double maxrss_kib;
    long alloc_steps[SCENARIO_MAX_REGIONS];
    double value;
} result;

static double cpu_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
           1e-6 * (double)u.ru_stime.tv_usec;
}

/* ---- the measurements (run in the child) ---- */

static void run_draw(result *res, const scenario *s, size_t reps, int threads)
{
    const size_t C = s->nregions;
    double people = 0, t0 = fz_seconds(), c0 = cpu_now();
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(+ : people)
    {
        engine_ws *w = engine_ws_new();
        if (!w) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 16)
        for (size_t i = 0; i < reps; i++)
            for (size_t c = 0; c < C && w; c++) {
                if (engine_draw(w, s, c, s->policy, RNG_STREAM_OPTIMIZE, i, NULL)) {
#pragma omp atomic write
                    failed = 1;
                }
                people += (double)engine_people(w);
            }
        engine_ws_free(w);
    }
    res->wall = fz_seconds() - t0;
    res->cpu = cpu_now() - c0;
    res->people = people;
    res->reps = (double)reps;
    res->ok = !failed;
}

static void run_simulate(result *res, const scenario *s, size_t reps, int threads)
{
    const size_t C = s->nregions;
    double *alloc = malloc(C * sizeof *alloc);
    for (size_t c = 0; c < C; c++)
        alloc[c] = s->budget_usd / (double)C;
    eval_options eo = {.stream = RNG_STREAM_EVALUATE, .nreps = reps, .threads = threads};
    eval_result *r = NULL;
    fz_error err = {0, ""};
    double t0 = fz_seconds(), c0 = cpu_now();
    int rc = eval_run(&r, s, alloc, 1, &eo, &err);
    res->wall = fz_seconds() - t0;
    res->cpu = cpu_now() - c0;
    if (rc) {
        fprintf(stderr, "fianza_bench: simulate: %s\n", err.msg);
    } else {
        res->ok = 1;
        res->people = r->people;
        res->reps = (double)reps;
        res->value = r->allocs[0].releases.mean;
    }
    eval_free(r);
    free(alloc);
}

/* curves + MIP on `stream`: what optimize_run's solve_stream does. */
static int solve(result *res, curve_set **keep, const scenario *s, uint64_t stream, size_t reps, int threads)
{
    const size_t C = s->nregions, G = scenario_grid_points(s);
    long lo[SCENARIO_MAX_REGIONS], hi[SCENARIO_MAX_REGIONS];
    curve_set *cs = NULL;
    split_problem p;
    split_result ar = {0};
    fz_error err = {0, ""};
    curve_options co = {.stream = stream, .nreps = reps, .threads = threads};
    double t0 = fz_seconds(), c0 = cpu_now();
    int rc = curve_compute(&cs, s, &co, &err);
    double t1 = fz_seconds();
    if (!rc && !(rc = optimize_problem(&p, lo, hi, s, G, &err))) {
        p.value = cs->releases;
        rc = split_solve(&ar, &p, &err);
    }
    res->wall = fz_seconds() - t0;
    res->cpu = cpu_now() - c0;
    res->curves_s = t1 - t0;
    res->mip_s = res->wall - res->curves_s;
    if (rc) {
        fprintf(stderr, "fianza_bench: optimize: %s\n", err.msg);
        curve_free(cs);
        return rc;
    }
    res->ok = 1;
    res->people = cs->people;
    res->reps = (double)reps;
    res->value = ar.value;
    for (size_t c = 0; c < C; c++)
        res->alloc_steps[c] = ar.steps[c];
    split_result_free(&ar);
    if (keep)
        *keep = cs;
    else
        curve_free(cs);
    return 0;
}

/* ---- one measurement in a child process ---- */

static int measure(result *out, int fork_it, int what, const scenario *s, size_t reps, int threads)
{
    memset(out, 0, sizeof *out);
    /* one-time set-up (rng_new checks its inline samplers once per process)
     * is not part of any measurement */
    engine_ws_free(engine_ws_new());
    if (!fork_it) {
        if (what == M_DRAW)
            run_draw(out, s, reps, threads);
        else if (what == M_SIMULATE)
            run_simulate(out, s, reps, threads);
        else
            solve(out, NULL, s, RNG_STREAM_OPTIMIZE, reps, threads);
        struct rusage u;
        getrusage(RUSAGE_SELF, &u);
        out->maxrss_kib = (double)u.ru_maxrss; /* process peak so far */
        return out->ok ? 0 : -1;
    }
    int fd[2];
    if (pipe(fd))
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        result r;
        memset(&r, 0, sizeof r);
        if (what == M_DRAW)
            run_draw(&r, s, reps, threads);
        else if (what == M_SIMULATE)
            run_simulate(&r, s, reps, threads);
        else
            solve(&r, NULL, s, RNG_STREAM_OPTIMIZE, reps, threads);
        ssize_t n = write(fd[1], &r, sizeof r);
        _exit(n == (ssize_t)sizeof r && r.ok ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof *out) {
        ssize_t n = read(fd[0], (char *)out + got, sizeof *out - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd[0]);
    int status;
    struct rusage u;
    while (wait4(pid, &status, 0, &u) < 0 && errno == EINTR)
        ;
    out->maxrss_kib = (double)u.ru_maxrss;
    return got == sizeof *out && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- options ---- */

static int parse_sizes(const char *text, size_t *sizes, int max)
{
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        char *end;
        double v = strtod(p, &end); /* accepts 1e5 */
        if (end == p || !(v >= 1) || v > 1e9)
            return -1;
        sizes[n++] = (size_t)v;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return -1;
    }
    return n;
}

/* "north=150000,south=150000" in USD -> grid steps per region */
static int parse_alloc(const scenario *s, const char *text, long *steps)
{
    for (size_t c = 0; c < s->nregions; c++)
        steps[c] = -1;
    char *copy = strdup(text), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            goto bad;
        *eq = '\0';
        int c = scenario_region_index(s, tok);
        if (c < 0)
            goto bad;
        double usd = strtod(eq + 1, NULL);
        steps[c] = lround(usd / s->granularity_usd);
    }
    free(copy);
    for (size_t c = 0; c < s->nregions; c++)
        if (steps[c] < 0)
            return -1;
    return 0;
bad:
    free(copy);
    return -1;
}

static json_t *alloc_json(const scenario *s, const long *steps)
{
    json_t *o = json_object();
    for (size_t c = 0; c < s->nregions; c++)
        json_object_set_new(o, s->regions[c].name, json_real((double)steps[c] * s->granularity_usd));
    return o;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: fianza_bench [--scenario INI] [--sizes N,N,...] [--threads N] [--draw-reps N]\n"
               "                    [--only draw,simulate,optimize] [--repeat N] [--json FILE] [--no-fork]\n"
               "                    [--set SECTION.KEY=VALUE]...\n"
               "       fianza_bench --check N [--other REGION=USD,...] [--scenario INI] [--json FILE]\n");
}

/* ---- --check ---- */

static int run_check(const scenario *s, size_t n, const char *other, const char *json_path, int threads)
{
    const size_t C = s->nregions;
    result r;
    memset(&r, 0, sizeof r);
    curve_set *cs = NULL;
    if (solve(&r, &cs, s, RNG_STREAM_OPTIMIZE, n, threads))
        return 1;
    fz_error err = {0, ""};
    json_t *doc = json_object();
    json_object_set_new(doc, "implementation", json_string("fianza"));
    json_object_set_new(doc, "replications", json_integer((json_int_t)n));
    json_object_set_new(doc, "allocation", alloc_json(s, r.alloc_steps));
    json_object_set_new(doc, "value", json_real(r.value));
    json_t *curves = json_object(), *fund = json_object();
    for (size_t c = 0; c < C; c++) {
        json_t *a = json_array();
        for (size_t g = 0; g < cs->ngrid; g++)
            json_array_append_new(a, json_real(cs->releases[c * cs->ngrid + g]));
        json_object_set_new(curves, s->regions[c].name, a);
        json_object_set_new(fund, s->regions[c].name, json_real(cs->fundable[c]));
    }
    json_object_set_new(doc, "curves", curves);
    json_object_set_new(doc, "fundable_mean", fund);
    json_object_set_new(doc, "people_mean", json_real(cs->people / (double)n));
    curve_free(cs);

    /* standard error of the in-sample value: the same replications */
    double *x = malloc(2 * C * sizeof *x);
    for (size_t c = 0; c < C; c++)
        x[c] = (double)r.alloc_steps[c] * s->granularity_usd;
    eval_options eo = {.stream = RNG_STREAM_OPTIMIZE, .nreps = n, .threads = threads};
    eval_result *ev = NULL;
    if (eval_run(&ev, s, x, 1, &eo, &err)) {
        fprintf(stderr, "fianza_bench: check: %s\n", err.msg);
        return 1;
    }
    const stat_acc *a = &ev->allocs[0].releases;
    json_object_set_new(doc, "value_eval", json_real(a->mean));
    json_object_set_new(doc, "se", json_real(stat_sd(a) / sqrt(a->n)));
    eval_free(ev);

    if (other) {
        long steps[SCENARIO_MAX_REGIONS];
        if (parse_alloc(s, other, steps)) {
            fprintf(stderr, "fianza_bench: --other %s: expected REGION=USD for every region\n", other);
            return 2;
        }
        for (size_t c = 0; c < C; c++)
            x[C + c] = (double)steps[c] * s->granularity_usd;
        eval_options fresh = {.stream = RNG_STREAM_EVALUATE, .nreps = n, .threads = threads};
        if (eval_run(&ev, s, x, 2, &fresh, &err)) {
            fprintf(stderr, "fianza_bench: check: %s\n", err.msg);
            return 1;
        }
        const stat_acc *d = &ev->allocs[1].diff_releases;
        json_t *o = json_object();
        json_object_set_new(o, "allocation", alloc_json(s, steps));
        json_object_set_new(o, "diff_mean", json_real(d->mean)); /* other - ours, fresh replications */
        json_object_set_new(o, "diff_se", json_real(stat_sd(d) / sqrt(d->n)));
        json_object_set_new(doc, "other", o);
        eval_free(ev);
    }
    free(x);
    if (json_path)
        json_dump_file(doc, json_path, JSON_INDENT(1) | JSON_REAL_PRECISION(12));
    else
        json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(12)), putchar('\n');
    json_decref(doc);
    return 0;
}

/* ---- main ---- */

static json_t *result_json(int what, size_t reps, int threads, const result *r, double speedup)
{
    json_t *o = json_pack("{s:s, s:I, s:i, s:f, s:f, s:f, s:f, s:f, s:f}", "measure", mnames[what], "replications",
                          (json_int_t)reps, "threads", threads, "seconds", r->wall, "cpu_seconds", r->cpu, "people",
                          r->people, "reps_per_second", r->reps / r->wall, "people_per_second", r->people / r->wall,
                          "peak_rss_mib", r->maxrss_kib / 1024);
    json_object_set_new(o, "people_per_second_per_core", json_real(r->people / r->wall / threads));
    json_object_set_new(o, "people_per_cpu_second", json_real(r->cpu > 0 ? r->people / r->cpu : 0));
    if (what == M_OPTIMIZE) {
        json_object_set_new(o, "curves_seconds", json_real(r->curves_s));
        json_object_set_new(o, "curves_ms_per_replication", json_real(1e3 * r->curves_s / r->reps));
        json_object_set_new(o, "mip_seconds", json_real(r->mip_s));
        json_object_set_new(o, "value", json_real(r->value));
    }
    if (what == M_SIMULATE)
        json_object_set_new(o, "releases_mean", json_real(r->value));
    if (speedup > 0)
        json_object_set_new(o, "speedup", json_real(speedup));
    return o;
}

static void print_row(int what, size_t reps, int threads, const result *r, double speedup)
{
    char sp[16] = "";
    if (speedup > 0)
        snprintf(sp, sizeof sp, "%.2fx", speedup);
    /* people per CPU second: the per-core figure that other work on the
     * machine disturbs least (it still slows the caches) */
    printf("%-9s %9zu %7d %9.3f %9.3f %11.4g %11.4g %11.4g %11.4g %9.4g %8s %9.1f\n", mnames[what], reps, threads,
           r->wall, r->cpu, r->reps / r->wall, r->people / r->wall, r->people / r->wall / threads,
           r->cpu > 0 ? r->people / r->cpu : 0, 1e3 * r->wall / r->reps, sp, r->maxrss_kib / 1024);
}

int main(int argc, char **argv)
{
    const char *ini = FZ_BENCH_INI, *json_path = NULL, *only = "draw,simulate,optimize", *other = NULL;
    const char *sizes_text = "10000,100000,1000000";
    long check = 0, draw_reps = 20000;
    int threads = 0, fork_it = 1, repeat = 1;
    const char *sets[32];
    size_t nsets = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--no-fork")) {
            fork_it = 0;
        } else if (v && !strcmp(a, "--scenario")) {
            ini = v, i++;
        } else if (v && !strcmp(a, "--set") && nsets < sizeof sets / sizeof *sets) {
            sets[nsets++] = v, i++;
        } else if (v && !strcmp(a, "--sizes")) {
            sizes_text = v, i++;
        } else if (v && !strcmp(a, "--threads")) {
            threads = atoi(v), i++;
        } else if (v && !strcmp(a, "--draw-reps")) {
            draw_reps = atol(v), i++;
        } else if (v && !strcmp(a, "--repeat")) {
            repeat = atoi(v) > 0 ? atoi(v) : 1, i++;
        } else if (v && !strcmp(a, "--only")) {
            only = v, i++;
        } else if (v && !strcmp(a, "--json")) {
            json_path = v, i++;
        } else if (v && !strcmp(a, "--check")) {
            check = (long)strtod(v, NULL), i++;
        } else if (v && !strcmp(a, "--other")) {
            other = v, i++;
        } else {
            usage(stderr);
            return 2;
        }
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads <= 0)
        threads = ncpu > 0 ? (int)ncpu : 1;
    scenario *s = NULL;
    fz_error err = {0, ""};
    if (scenario_load(&s, ini, sets, nsets, &err)) {
        fprintf(stderr, "fianza_bench: %s\n", err.msg);
        return 2;
    }
    if (check > 0) {
        int rc = run_check(s, (size_t)check, other, json_path, threads);
        scenario_free(s);
        return rc;
    }
    size_t sizes[16];
    int nsizes = parse_sizes(sizes_text, sizes, 16);
    if (nsizes <= 0 || draw_reps < 1) {
        usage(stderr);
        return 2;
    }
    int tlist[2] = {1, threads}, nt = threads > 1 ? 2 : 1;

    json_t *doc = json_object(), *rows = json_array();
    size_t nledger = 0, ngrid = scenario_grid_points(s);
    for (size_t c = 0; c < s->nregions; c++)
        nledger += scenario_uses_ledger(s, c) != 0;
    json_object_set_new(doc, "scenario", json_string(s->name));
    json_object_set_new(doc, "cores", json_integer(ncpu));
    json_object_set_new(doc, "threads", json_integer(threads));
    json_object_set_new(doc, "ledger_regions", json_integer((json_int_t)nledger));
    json_object_set_new(doc, "grid_points", json_integer((json_int_t)ngrid));
    json_object_set_new(doc, "horizon_days", json_real(s->horizon_days));
    printf("fianza_bench: scenario %s (%zu regions, %zu on the §7 ledger, %s, %g days, %zu grid points), "
           "%ld cores online, threads 1 and %d\n",
           s->name, s->nregions, nledger, scenario_policy_name(s->policy), s->horizon_days, ngrid, ncpu, threads);
    printf("%-9s %9s %7s %9s %9s %11s %11s %11s %11s %9s %8s %9s\n", "measure", "reps", "threads", "wall s", "cpu s",
           "reps/s", "people/s", "people/s/c", "people/cpu", "ms/rep", "speedup", "peak MiB");
    int failed = 0;
    for (int what = M_DRAW; what <= M_OPTIMIZE; what++) {
        if (!strstr(only, mnames[what]))
            continue;
        int ns = what == M_DRAW ? 1 : nsizes;
        for (int k = 0; k < ns; k++) {
            size_t reps = what == M_DRAW ? (size_t)draw_reps : sizes[k];
            double t1 = 0;
            for (int t = 0; t < nt; t++) {
                result r, best;
                int ok = 0;
                for (int k = 0; k < repeat; k++) { /* keep the fastest run */
                    if (measure(&r, fork_it, what, s, reps, tlist[t])) {
                        fprintf(stderr, "fianza_bench: %s at %zu replications, %d threads failed\n", mnames[what], reps,
                                tlist[t]);
                        failed = 1;
                        break;
                    }
                    if (!ok++ || r.wall < best.wall)
                        best = r;
                }
                if (!ok || failed)
                    continue;
                r = best;
                if (t == 0)
                    t1 = r.wall;
                double speedup = t > 0 && r.wall > 0 ? t1 / r.wall : 0;
                print_row(what, reps, tlist[t], &r, speedup);
                fflush(stdout);
                json_array_append_new(rows, result_json(what, reps, tlist[t], &r, speedup));
            }
        }
    }
    json_object_set_new(doc, "results", rows);
    if (json_path && json_dump_file(doc, json_path, JSON_INDENT(1) | JSON_REAL_PRECISION(10)))
        fprintf(stderr, "fianza_bench: cannot write %s\n", json_path), failed = 1;
    json_decref(doc);
    scenario_free(s);
    return failed;
}
