/* fianza_bench_tails: replications.csv throughput (issue 16), the writer
 * (summary_reps_*, sim/out/fixed.h) against the fprintf writer it replaced.
 *
 *   fianza_bench_tails [REPLICATIONS] [DIR]
 *
 * Streams REPLICATIONS (default 100,000) replications of 5 allocations and
 * 2 regions (optimize's shape) of realistic values, in blocks of
 * EVAL_BLOCK, through each writer into DIR (default /tmp), and prints
 * seconds, rows per second and MB per second of each (one thread, wall). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "outdir.h"
#include "scenario.h"
#include "summary.h"

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s) { return (double)(mix(s) >> 11) * 0x1p-53; }

static void fill(engine_stats *st, size_t n, uint64_t *seed)
{
    for (size_t j = 0; j < n; j++) {
        engine_stats *e = &st[j];
        e->releases = floor(40 * unit(seed));
        e->spent = e->releases * (1500 + 3000 * unit(seed));
        e->fundable = e->releases + floor(10 * unit(seed));
        e->detention_days = e->releases * 200 * unit(seed);
        e->freedom_days = e->releases * 365 * unit(seed);
    }
}

/* the writer before issue 16, verbatim */
static void printf_block(FILE *f, const scenario *s, const char *const *names, const double *alloc, size_t K,
                         uint64_t first_rep, size_t n, const engine_stats *stats)
{
    size_t C = s->nregions;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            for (size_t c = 0; c < C; c++) {
                const engine_stats *e = &stats[(i * K + k) * C + c];
                fprintf(f, "%llu,%s,%s,%.2f,%.0f,%.2f,%.0f,", (unsigned long long)(first_rep + i), names[k],
                        s->regions[c].name, alloc[k * C + c], e->releases, e->spent, e->fundable);
                if (e->releases > 0)
                    fprintf(f, "%.4f", e->detention_days / e->releases);
                fprintf(f, ",%.4f,", e->freedom_days);
                summary_csv_text(f, s->regions[c].label);
                fputc('\n', f);
            }
}

int main(int argc, char **argv)
{
    const size_t S = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 100000, K = 5, C = 2;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    static const char ini[] = "[fund]\nbudget_usd = 300000\n[region.chicago]\nlabel = Chicago, IL\n"
                              "[region.kansas_city]\nlabel = Kansas City, MO\n";
    char path[512], out[512], csv[512], plain[512];
    snprintf(path, sizeof path, "%s/fz_bench_tails.ini", dir);
    snprintf(out, sizeof out, "%s/fz_bench_tails.out", dir);
    snprintf(csv, sizeof csv, "%s/replications.csv", out);
    snprintf(plain, sizeof plain, "%s/fz_bench_tails_printf.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f || fputs(ini, f) < 0 || fclose(f))
        return perror(path), 1;
    scenario *s = NULL;
    fz_error err = {0, ""};
    if (scenario_load(&s, path, NULL, 0, &err))
        return fprintf(stderr, "%s\n", err.msg), 1;
    static const char *const names[] = {"optimal", "equal_split", "proportional", "expected_value", "pooled"};
    double alloc[5 * 2] = {180000, 120000, 150000, 150000, 170000, 130000, 200000, 100000, 0, 0};
    eval_alloc a[5];
    memset(a, 0, sizeof a);
    for (size_t k = 0; k < K; k++)
        a[k].alloc = alloc + k * C;
    eval_result r;
    memset(&r, 0, sizeof r);
    r.nalloc = K, r.nregions = C, r.allocs = a;
    engine_stats *st = malloc(EVAL_BLOCK * K * C * sizeof *st);
    if (!st)
        return 1;
    double secs[2] = {0, 0};
    long bytes[2] = {0, 0};
    for (int w = 0; w < 2; w++) {
        uint64_t seed = 1;
        double t0 = fz_seconds(), fill_s = 0;
        outdir *o = NULL;
        summary_reps *rep = NULL;
        FILE *pf = NULL;
        if (w == 0 ? outdir_begin(&o, out, NULL, 0, &err) || summary_reps_open(&rep, o, s, names, &err)
                   : !(pf = fopen(plain, "w")))
            return fprintf(stderr, "%s\n", err.msg), 1;
        for (size_t done = 0; done < S; done += EVAL_BLOCK) {
            size_t n = S - done < EVAL_BLOCK ? S - done : EVAL_BLOCK;
            double tf = fz_seconds();
            fill(st, n * K * C, &seed);
            fill_s += fz_seconds() - tf;
            if (w == 0 && summary_reps_block(rep, &r, done, n, st, &err))
                return fprintf(stderr, "%s\n", err.msg), 1;
            if (w == 1)
                printf_block(pf, s, names, alloc, K, done, n, st);
        }
        if (w == 0) {
            if (summary_reps_close(rep, &err) || outdir_commit(o, &err))
                return fprintf(stderr, "%s\n", err.msg), 1;
            FILE *g = fopen(csv, "r");
            if (!g || fseek(g, 0, SEEK_END))
                return perror(csv), 1;
            bytes[0] = ftell(g);
            fclose(g);
            outdir_remove_tree(out);
        } else {
            bytes[1] = ftell(pf);
            if (fclose(pf))
                return perror(plain), 1;
            remove(plain);
        }
        secs[w] = fz_seconds() - t0 - fill_s;
    }
    remove(path);
    const double rows = (double)S * K * C;
    printf("replications.csv, %zu replications x %zu allocations x %zu regions = %.0f rows, one thread:\n", S, K, C,
           rows);
    printf("%-26s %9s %14s %9s\n", "writer", "seconds", "rows/s", "MB/s");
    static const char *const who[] = {"fixed.h + block buffer", "fprintf (before issue 16)"};
    for (int w = 0; w < 2; w++)
        printf("%-26s %9.3f %14.4g %9.1f\n", who[w], secs[w], rows / secs[w], (double)bytes[w] / secs[w] / 1e6);
    printf("speed-up %.1fx\n", secs[1] / secs[0]);
    free(st);
    scenario_free(s);
    return 0;
}
