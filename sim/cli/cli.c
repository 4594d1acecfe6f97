/* cli: option parsing and shared helpers of the commands (cli.h). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fz_util.h"
#include "optimize.h"

enum {
    OPT_SEED = 256,
    OPT_REPS,
    OPT_THREADS,
    OPT_SET,
    OPT_JSON,
    OPT_NO_PLOTS,
    OPT_QUIET,
    OPT_ALLOCATION,
    OPT_POLICY,
    OPT_GAP,
    OPT_BUDGET,
    OPT_PARAM,
    OPT_COLUMN,
    OPT_TORNADO,
    OPT_TIME_LIMIT,
    OPT_MIN,
    OPT_MAX,
    OPT_BINS,
    OPT_COUNT,
    OPT_SHARE,
    OPT_N,
    OPT_POOLED,
    OPT_RELEASES,
    OPT_PROB,
    OPT_REGIONS,
    OPT_VERSION,
    OPT_CENSORED, /* fit --censored/--posted/--returned/--as-of/--rate: cmd_fit_censored.c */
    OPT_POSTED,
    OPT_RETURNED,
    OPT_AS_OF,
    OPT_RATE,
    OPT_GAP_METHOD, /* optimize --gap a2rp|mmw|none */
    OPT_PRECISION,  /* issue 16: sequential stopping */
    OPT_PRECISION_BLOCK
};

static const struct option long_opts[] = {{"output", required_argument, NULL, 'o'},
                                          {"seed", required_argument, NULL, OPT_SEED},
                                          {"replications", required_argument, NULL, OPT_REPS},
                                          {"threads", required_argument, NULL, OPT_THREADS},
                                          {"set", required_argument, NULL, OPT_SET},
                                          {"json", no_argument, NULL, OPT_JSON},
                                          {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
                                          {"quiet", no_argument, NULL, OPT_QUIET},
                                          {"help", no_argument, NULL, 'h'},
                                          {"allocation", required_argument, NULL, OPT_ALLOCATION},
                                          {"policy", required_argument, NULL, OPT_POLICY},
                                          {"gap-batches", required_argument, NULL, OPT_GAP},
                                          {"gap", required_argument, NULL, OPT_GAP_METHOD},
                                          {"budget", required_argument, NULL, OPT_BUDGET},
                                          {"param", required_argument, NULL, OPT_PARAM},
                                          {"solver-time-limit", required_argument, NULL, OPT_TIME_LIMIT},
                                          {"column", required_argument, NULL, OPT_COLUMN},
                                          {"tornado", required_argument, NULL, OPT_TORNADO},
                                          {"min", required_argument, NULL, OPT_MIN},
                                          {"max", required_argument, NULL, OPT_MAX},
                                          {"bins", required_argument, NULL, OPT_BINS},
                                          {"count", required_argument, NULL, OPT_COUNT},
                                          {"share", required_argument, NULL, OPT_SHARE},
                                          {"n", required_argument, NULL, OPT_N},
                                          {"pooled", no_argument, NULL, OPT_POOLED},
                                          {"releases", required_argument, NULL, OPT_RELEASES},
                                          {"prob", required_argument, NULL, OPT_PROB},
                                          {"regions", no_argument, NULL, OPT_REGIONS},
                                          {"version", no_argument, NULL, OPT_VERSION},
                                          {"censored", required_argument, NULL, OPT_CENSORED},
                                          {"posted", required_argument, NULL, OPT_POSTED},
                                          {"returned", required_argument, NULL, OPT_RETURNED},
                                          {"as-of", required_argument, NULL, OPT_AS_OF},
                                          {"rate", required_argument, NULL, OPT_RATE},
                                          {"precision", required_argument, NULL, OPT_PRECISION},
                                          {"precision-block", required_argument, NULL, OPT_PRECISION_BLOCK},
                                          {NULL, 0, NULL, 0}};

/* The commands each option applies to (bits of command_bit); an option
 * given to any other command is refused rather than silently ignored. */
enum { C_CHECK = 1, C_SIMULATE = 2, C_OPTIMIZE = 4, C_SWEEP = 8, C_COMPARE = 16, C_FIT = 32, C_BUDGET = 64 };
enum { C_RUNS = C_SIMULATE | C_OPTIMIZE | C_SWEEP | C_COMPARE | C_BUDGET, C_WRITES = C_RUNS | C_FIT };

static int command_bit(const char *command)
{
    static const char *const names[] = {"check", "simulate", "optimize", "sweep", "compare", "fit", "budget"};
    for (int i = 0; i < 7; i++)
        if (!strcmp(command, names[i]))
            return 1 << i;
    return 0;
}

static int applies_to(int c)
{
    switch (c) {
    case 'h':
    case OPT_VERSION: return -1;
    case 'o':
    case OPT_JSON:
    case OPT_NO_PLOTS:
    case OPT_QUIET: return C_WRITES;
    case OPT_SEED:
    case OPT_REPS:
    case OPT_SET: return C_CHECK | C_RUNS;
    case OPT_THREADS: return C_RUNS;
    case OPT_ALLOCATION: return C_SIMULATE | C_COMPARE;
    case OPT_POLICY:
    case OPT_POOLED:
    case OPT_REGIONS: return C_COMPARE;
    case OPT_GAP:
    case OPT_GAP_METHOD: return C_OPTIMIZE;
    case OPT_TIME_LIMIT: return C_OPTIMIZE | C_SWEEP | C_BUDGET;
    case OPT_PRECISION:
    case OPT_PRECISION_BLOCK: return C_SIMULATE | C_OPTIMIZE | C_COMPARE;
    case OPT_RELEASES:
    case OPT_PROB: return C_BUDGET;
    case OPT_BUDGET:
    case OPT_PARAM:
    case OPT_TORNADO: return C_SWEEP;
    case OPT_COLUMN:
    case OPT_MIN:
    case OPT_MAX:
    case OPT_CENSORED:
    case OPT_POSTED:
    case OPT_RETURNED:
    case OPT_AS_OF:
    case OPT_RATE: return C_FIT;
    case OPT_BINS:
    case OPT_COUNT:
    case OPT_SHARE:
    case OPT_N: return C_FIT;
    default: return -1; /* errors (':' and '?') are reported as such */
    }
}

static const char *option_name(int c)
{
    if (c == 'o')
        return "-o";
    for (const struct option *p = long_opts; p->name; p++)
        if (p->val == c)
            return p->name;
    return "?";
}

const struct option *cli_options(void) { return long_opts; }

static const struct option *find_option(const char *name)
{
    for (const struct option *p = long_opts; p->name; p++)
        if (!strcmp(p->name, name))
            return p;
    return NULL;
}

int cli_option_applies(const char *name, const char *command)
{
    const struct option *p = find_option(name);
    return p && (applies_to(p->val) & command_bit(command)) != 0;
}

int cli_option_takes_value(const char *name)
{
    const struct option *p = find_option(name);
    return p && p->has_arg != no_argument;
}

int cli_option_short(const char *name)
{
    const struct option *p = find_option(name);
    return p && p->val < 128 ? p->val : 0;
}

static int push(const char ***arr, size_t *n, const char *v)
{
    const char **a = realloc(*arr, (*n + 1) * sizeof *a);
    if (!a)
        return -1;
    a[(*n)++] = v;
    *arr = a;
    return 0;
}

static int parse_int(const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* --tornado, --solver-time-limit, --min and --max: a number in range. */
static int take_number(cli_opts *o, int c, const char *arg, fz_error *err)
{
    char *end;
    errno = 0;
    double x = strtod(arg, &end);
    int bad = end == arg || *end;
    switch (c) {
    case OPT_TORNADO:
        if (bad || !(x > 0 && x < 100))
            return fz_fail(err, FZ_EINPUT, "--tornado %s: expected a percentage in (0, 100)", arg);
        o->tornado_pct = x;
        return 0;
    case OPT_PROB:
        if (bad || !(x > 0 && x <= 1))
            return fz_fail(err, FZ_EINPUT, "--prob %s: expected a probability in (0, 1]", arg);
        o->target_prob = x;
        return 0;
    case OPT_PRECISION:
        if (bad || errno == ERANGE || !(x > 0 && x <= 1e9))
            return fz_fail(err, FZ_EINPUT, "--precision %s: expected a half-width in releases, in (0, 1e9]", arg);
        o->precision = x;
        return 0;
    case OPT_TIME_LIMIT:
        if (bad || !(x > 0 && x <= 86400))
            return fz_fail(err, FZ_EINPUT, "--solver-time-limit %s: expected seconds in (0, 86400]", arg);
        o->time_limit = x;
        return 0;
    default: /* OPT_MIN, OPT_MAX */
        if (bad || errno == ERANGE || !isfinite(x))
            return fz_fail(err, FZ_EINPUT, "--%s %s: expected a number", c == OPT_MIN ? "min" : "max", arg);
        if (c == OPT_MIN)
            o->fit_min = x, o->has_min = 1;
        else
            o->fit_max = x, o->has_max = 1;
        return 0;
    }
}

/* One option (already known to apply to the command) and its value. */
static int take_option(cli_opts *o, int c, const char *arg, fz_error *err)
{
    long v;
    switch (c) {
    case 'o': o->outdir = arg; break;
    case 'h': o->help = 1; break;
    case OPT_VERSION: o->version = 1; break;
    case OPT_SEED: o->seed = arg; break;
    case OPT_REPS:
        /* digits only: "1e3" or "10.0" is not a count (the range is the scenario's check) */
        if (!*arg || strspn(arg, "0123456789") != strlen(arg))
            return fz_fail(err, FZ_EINPUT, "--replications %s: expected a whole number from 1 to %ld, in digits", arg,
                           (long)SCENARIO_MAX_REPLICATIONS);
        o->replications = arg;
        break;
    case OPT_THREADS:
        if (parse_int(arg, 1, 1024, &v))
            return fz_fail(err, FZ_EINPUT, "--threads %s: expected a whole number from 1 to 1024", arg);
        o->threads = (int)v;
        break;
    case OPT_SET: {
        char **s = realloc(o->sets, (o->nsets + 1) * sizeof *s);
        if (s)
            o->sets = s;
        if (!s || !(s[o->nsets] = strdup(arg)))
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        o->nsets++;
        break;
    }
    case OPT_JSON: o->json = 1; break;
    case OPT_NO_PLOTS: o->no_plots = 1; break;
    case OPT_POOLED: o->pooled = 1; break;
    case OPT_REGIONS: o->regions = 1; break;
    case OPT_QUIET: o->quiet = 1; break;
    case OPT_ALLOCATION:
    case OPT_POLICY:
        if (c == OPT_ALLOCATION ? push(&o->allocations, &o->nalloc, arg) : push(&o->policies, &o->npolicies, arg))
            return fz_fail(err, FZ_ERUNTIME, "out of memory");
        break;
    case OPT_GAP:
        if (parse_int(arg, 2, 1000, &v))
            return fz_fail(err, FZ_EINPUT, "--gap-batches %s: expected a whole number from 2 to 1000", arg);
        o->gap_batches = (int)v;
        break;
    case OPT_GAP_METHOD:
        for (v = 0; v < 3 && strcmp(arg, optimize_gap_names[v]); v++)
            ;
        if (v == 3)
            return fz_fail(err, FZ_EINPUT, "--gap %s: expected a2rp, mmw or none", arg);
        o->gap_method = (int)v;
        break;
    case OPT_BUDGET: o->budget_range = arg; break;
    case OPT_PARAM: o->param_range = arg; break;
    case OPT_COLUMN: o->column = arg; break;
    case OPT_CENSORED: o->censored = arg; break;
    case OPT_POSTED: o->posted = arg; break;
    case OPT_RETURNED: o->returned = arg; break;
    case OPT_AS_OF: o->as_of = arg; break;
    case OPT_RATE: o->rate = arg; break;
    case OPT_BINS: o->bins = arg; break;
    case OPT_COUNT: o->count_column = arg; break;
    case OPT_SHARE: o->share_column = arg; break;
    case OPT_N: /* fit --n: the sample size behind --share */
        if (!*arg || strspn(arg, "0123456789") != strlen(arg) || parse_int(arg, 1, CLI_MAX_FIT_N, &v))
            return fz_fail(err, FZ_EINPUT, "--n %s: expected a whole number from 1 to %ld, in digits", arg,
                           (long)CLI_MAX_FIT_N);
        o->fit_n = v;
        break;
    case OPT_PRECISION_BLOCK: /* digits only, as --replications; the cap is checked with the scenario */
        if (!*arg || strspn(arg, "0123456789") != strlen(arg) || parse_int(arg, 1, SCENARIO_MAX_REPLICATIONS, &v))
            return fz_fail(err, FZ_EINPUT,
                           "--precision-block %s: expected a whole number of replications from 1 to the "
                           "--replications cap, in digits",
                           arg);
        o->precision_block = v;
        break;
    case OPT_RELEASES:
        if (!*arg || strspn(arg, "0123456789") != strlen(arg) || parse_int(arg, 1, CLI_MAX_RELEASES, &v))
            return fz_fail(err, FZ_EINPUT, "--releases %s: expected a whole number from 1 to %ld, in digits", arg,
                           (long)CLI_MAX_RELEASES);
        o->target_releases = v;
        break;
    default: return take_number(o, c, arg, err);
    }
    return 0;
}

int cli_parse(cli_opts *o, int argc, char **argv, fz_error *err)
{
    memset(o, 0, sizeof *o);
    o->gap_batches = 10;
    o->gap_method = OPT_GAP_A2RP;
    if (argc < 2)
        return fz_fail(err, FZ_EINPUT, "expected a command: check, simulate, optimize, sweep, compare, fit or budget");
    o->command = argv[1];
    /* Parse argv[1..] with the command as "program name"; optind = 0 makes
     * glibc reinitialise getopt completely (no state from an earlier call). */
    argc--;
    argv++;
    optind = 0;
    opterr = 0;
    int c, rc, cmd = command_bit(o->command);
    const char *given[512] = {0}; /* options with a value, as typed: a second one is refused */
    while ((c = getopt_long(argc, argv, ":o:h", long_opts, NULL)) != -1) {
        if (c == ':')
            return fz_fail(err, FZ_EINPUT, "%s: expects a value", argv[optind - 1]);
        if (c == '?')
            return fz_fail(err, FZ_EINPUT, "unknown option '%s' (see fianza %s --help)", argv[optind - 1], o->command);
        if (cmd && !(applies_to(c) & cmd))
            return fz_fail(err, FZ_EINPUT, "%s%s does not apply to fianza %s (see fianza %s --help)",
                           c == 'o' ? "" : "--", option_name(c), o->command, o->command);
        if (optarg && c != OPT_SET && c != OPT_ALLOCATION && c != OPT_POLICY && c >= 0 && c < 512) {
            if (given[c])
                return fz_fail(err, FZ_EINPUT, "%s%s given twice (%s, then %s): give it once", c == 'o' ? "" : "--",
                               option_name(c), given[c], optarg);
            given[c] = optarg;
        }
        if ((rc = take_option(o, c, optarg, err)))
            return rc;
    }
    if (o->help || o->version)
        return 0;
    const char *what = strcmp(o->command, "fit") ? "scenario file" : "CSV file";
    if (optind < argc)
        o->scenario_path = argv[optind++];
    if (optind < argc)
        return fz_fail(err, FZ_EINPUT, "unexpected argument '%s': fianza %s takes one %s (see fianza %s --help)",
                       argv[optind], o->command, what, o->command);
    if (!o->scenario_path && !o->rate) /* fit --rate K/N reads no file */
        return fz_fail(err, FZ_EINPUT, "%s: expected a %s (see fianza %s --help)", o->command, what, o->command);
    return 0;
}

void cli_opts_free(cli_opts *o)
{
    for (size_t i = 0; i < o->nsets; i++)
        free(o->sets[i]);
    free(o->sets);
    free(o->allocations);
    free(o->policies);
    memset(o, 0, sizeof *o);
}

int cli_load_scenario(scenario **out, const cli_opts *o, fz_error *err)
{
    /* --seed and --replications are --set simulation.* so they are checked
     * alike; messages name them as typed ("--seed abc: seed = 'abc': ...") */
    size_t n = o->nsets;
    const char **sets = malloc((n + 2) * sizeof *sets), **origins = malloc((n + 2) * sizeof *origins);
    char seed[128], reps[128], seed_origin[600], reps_origin[600];
    int rc = sets && origins ? 0 : fz_fail(err, FZ_ERUNTIME, "out of memory");
    for (size_t i = 0; !rc && i < o->nsets; i++)
        sets[i] = o->sets[i], origins[i] = NULL; /* "--set SET" */
    if (!rc && o->seed) {
        snprintf(seed, sizeof seed, "simulation.seed=%s", o->seed);
        snprintf(seed_origin, sizeof seed_origin, "--seed %s", o->seed);
        sets[n] = seed, origins[n++] = seed_origin;
    }
    if (!rc && o->replications) {
        snprintf(reps, sizeof reps, "simulation.replications=%s", o->replications);
        snprintf(reps_origin, sizeof reps_origin, "--replications %s", o->replications);
        sets[n] = reps, origins[n++] = reps_origin;
    }
    if (!rc)
        rc = scenario_load_named(out, o->scenario_path, sets, origins, n, err);
    free(sets);
    free(origins);
    return rc;
}

int cli_parse_allocation(double *alloc, const scenario *s, const char *text, fz_error *err)
{
    for (size_t c = 0; c < s->nregions; c++)
        alloc[c] = 0;
    char *copy = strdup(text);
    int *seen = calloc(s->nregions, sizeof *seen);
    int rc = 0;
    if (!copy || !seen) {
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
        goto done;
    }
    double total = 0;
    size_t items = 0;
    /* split by hand: strtok would skip the empty item of "a=5," or "a=5,,b=1" */
    for (char *item = copy, *next; *text && item; item = next) {
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        items++;
        if (!*item) {
            rc = fz_fail(err, FZ_EINPUT, "--allocation %s: item %zu is empty (a stray comma?): expected region=usd,...",
                         text, items);
            goto done;
        }
        char *eq = strchr(item, '=');
        if (!eq) {
            rc = fz_fail(err, FZ_EINPUT, "--allocation %s: expected region=usd,... (got '%s')", text, item);
            goto done;
        }
        *eq = '\0';
        int c = scenario_region_index(s, item);
        if (c < 0) {
            rc = fz_fail(err, FZ_EINPUT, "--allocation %s: no region '%s' in %s", text, item, s->path);
            goto done;
        }
        if (seen[c]) {
            rc = fz_fail(err, FZ_EINPUT, "--allocation %s: region '%s' given twice", text, item);
            goto done;
        }
        seen[c] = 1;
        char *end;
        errno = 0;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end || errno == ERANGE || !isfinite(v) || v < 0) {
            rc = fz_fail(err, FZ_EINPUT, "--allocation %s: '%s' for %s is not an amount in USD >= 0", text, eq + 1,
                         item);
            goto done;
        }
        alloc[c] = v;
        total += v;
    }
    if (items == 0)
        rc = fz_fail(err, FZ_EINPUT, "--allocation: expected region=usd,...");
    else if (total > s->budget_usd * (1 + 1e-12))
        rc = fz_fail(err, FZ_EINPUT, "--allocation %s: allocates %.2f USD, more than the budget of %.2f USD", text,
                     total, s->budget_usd);
done:
    free(copy);
    free(seen);
    return rc;
}

const char *cli_outdir(const cli_opts *o, const scenario *s, char *buf, size_t size)
{
    if (o->outdir)
        return o->outdir;
    snprintf(buf, size, "results/%s", s->name);
    return buf;
}

double cli_now(void) { return fz_seconds(); }
