/* fianza: plan a bail-bond fund (README.md).  Parses the command line and
 * hands over to one sim/cli/cmd_<verb>.c per command; the only exit is here. */
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"
#include "par.h"
#include "plot.h"

#include "cli.h"
#include "cmds.h"

typedef struct command {
    const char *name;
    int (*run)(const cli_opts *);
    const char *usage;
} command;

static const char common_help[] =
    "Common options:\n"
    "  -o, --output DIR        results directory (default results/SCENARIO_NAME), replaced whole:\n"
    "                          it must be new, empty or written by fianza before\n"
    "  --seed N                override [simulation] seed\n"
    "  --replications N        override [simulation] replications (per stream)\n"
    "  --threads N             worker threads (results do not depend on it)\n"
    "  --set SECTION.KEY=VALUE override any scenario key (repeatable)\n"
    "  --json                  also print summary.json on stdout\n"
    "  --no-plots              do not draw charts\n"
    "  --quiet                 no progress bar or tables\n"
    "  -h, --help              this text\n"
    "An option that the command does not use is refused, as is a second file.\n"
    "Exit status: 0 success, 1 runtime failure (including a failed write to\n"
    "standard output: the results directory is complete then), 2 bad usage or input.\n";

static const command commands[] = {
    {"check", cmd_check,
     "usage: fianza check [--seed N] [--replications N] [--set SECTION.KEY=VALUE ...] SCENARIO.ini\n"
     "Validate a scenario and print it with every default filled in.\n"
     "  (only --seed, --replications and --set apply to check)\n"},
    {"simulate", cmd_simulate,
     "usage: fianza simulate --allocation REGION=USD,... [OPTIONS] SCENARIO.ini\n"
     "Evaluate one allocation on the \"evaluate\" stream: releases with a 95% CI,\n"
     "percentiles, USD spent, cost per release, days in detention, per region.\n"
     "Regions left out of --allocation get 0.\n"},
    {"optimize", cmd_optimize,
     "usage: fianza optimize [OPTIONS] SCENARIO.ini\n"
     "Choose the split of the budget across regions that maximises the scenario's\n"
     "objective (GLPK MIP over release curves from the \"optimize\" stream), then\n"
     "evaluate it and the baselines (equal split, proportional to expected fundable\n"
     "cases, expected-value solution) on the \"evaluate\" stream: VSS, EVPI, and the\n"
     "Mak-Morton-Wood optimality gap.\n"
     "  --gap-batches M         independent SAA batches for the gap (default 10)\n"
     "  --solver-time-limit S   GLPK time limit per solve, seconds\n"},
    {"sweep", cmd_sweep,
     "usage: fianza sweep (--budget FROM:TO:STEP | --param SECTION.KEY=FROM:TO:STEP | --tornado PCT) [OPTIONS] "
     "SCENARIO.ini\n"
     "Re-optimise along a budget or parameter range (any numeric key, or a distribution\n"
     "argument such as region.chicago.bond_usd.median) and chart the optimal value with\n"
     "a 95% band; --tornado ranks every numeric parameter by its effect on the optimum\n"
     "when moved down and up by PCT percent.  Points share common random numbers.\n"
     "  --solver-time-limit S   GLPK time limit per solve, seconds\n"},
    {"compare", cmd_compare,
     "usage: fianza compare --allocation [NAME:]A [--allocation [NAME:]B ...] [--policy P ...] [--pooled] [OPTIONS] "
     "SCENARIO.ini\n"
     "       fianza compare --regions [--policy P] [OPTIONS] SCENARIO.ini\n"
     "Evaluate two or more variants on the same replications (common random numbers):\n"
     "each --allocation, crossed with each --policy (cheapest_first, first_come) if given.\n"
     "Per variant and region: releases, USD spent, cost per release, releases per USD 10,000,\n"
     "days in detention, P(target), money unallocated, and paired differences to the first\n"
     "variant with 95% confidence intervals (compare.csv, summary.json).\n"
     "  --allocation NAME:A     names the variant (letters, digits, _ and -), as in\n"
     "                          all_chicago:chicago=300000; default: from the amounts\n"
     "  --pooled                also the pooled fund (one account holding the whole budget and\n"
     "                          one queue for every region, DESIGN §8), under each policy\n"
     "  --regions               the regions side by side for the same money: the whole budget\n"
     "                          to each region in turn (compare_regions.csv)\n"},
    {"fit", cmd_fit,
     "usage: fianza fit DATA.csv --column NAME [--min X] [--max X] [-o DIR] [--json] [--no-plots] [--quiet]\n"
     "Fit distributions to a CSV column and print the line to paste into a scenario.\n"
     "Lognormal, gamma, weibull, exponential and normal, by maximum likelihood (standard\n"
     "errors from the observed information), ranked by AIC, with BIC, Kolmogorov-Smirnov and\n"
     "Anderson-Darling statistics, a QQ plot and a histogram with the fitted densities.\n"
     "Results go to -o DIR (default results/CSV_NAME).\n"
     "  --column NAME           the column to fit (header row names it)\n"
     "  --min X, --max X        the data are truncated at X (only values in [min, max] were\n"
     "                          recorded): fit the conditional distribution, not a shift.\n"
     "                          Values outside are left out and counted.  Without --min a\n"
     "                          normal is fitted truncated at 0, as scenarios need (min=0).\n"
     "  (--seed, --replications, --threads and --set do not apply to fit)\n"},
    {"budget", cmd_budget,
     "usage: fianza budget --releases N --prob P [OPTIONS] SCENARIO.ini\n"
     "Find the smallest budget at which P(releases >= N) reaches P (DESIGN section 8).\n"
     "The budgets tried are multiples of granularity_usd up to budget_usd; at each, the\n"
     "split that maximises P(releases >= N) on the \"optimize\" stream is found, and the\n"
     "smallest budget whose in-sample P reaches P is the answer (bisection: P is\n"
     "nondecreasing in the budget on common random numbers; every budget from the\n"
     "bottom up when donations or min_share make it not so).  Every budget tried is\n"
     "evaluated out of sample (stream \"evaluate\") with a Wilson 95% interval.\n"
     "  --releases N            the target: N releases or more (a whole number >= 1)\n"
     "  --prob P                the probability to reach it, in (0, 1]\n"
     "  --solver-time-limit S   GLPK time limit per solve, seconds\n"},
};

static void usage_all(FILE *f)
{
    fprintf(f, "usage: fianza COMMAND [OPTIONS] SCENARIO.ini\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        const char *d = strchr(commands[i].usage, '\n') + 1, *e = strchr(d, '\n');
        fprintf(f, "  %-10s %.*s\n", commands[i].name, (int)(e - d), d);
    }
    fprintf(f, "Run 'fianza COMMAND --help' for a command's options.\n");
}

/* SIGINT, SIGTERM, SIGHUP (terminal closed), SIGXFSZ (ulimit -f) during a
 * run: remove the half-written results directory and exit 128 + signal (130,
 * 143, 129, 153), as shells report an interrupted command, saying whether
 * the results had already been committed (outdir.h: a commit is never cut
 * in half).  Only async-signal-safe calls. */
static void put(const char *text) { (void)!write(STDERR_FILENO, text, strlen(text)); }

static void on_signal(int sig)
{
    plot_signal_stop(); /* first: gnuplot must not write after the cleanup */
    const char *committed = outdir_signal_cleanup();
    if (committed) {
        put("fianza: interrupted after the results were committed to ");
        put(committed);
        put("\n");
    } else {
        put("fianza: interrupted: no results written\n");
    }
    _exit(128 + sig);
}

/* Set by run when a command returned 0 after committing its results directory. */
static int results_committed;

/* Every table, check's printout, --json and --help go through stdout's
 * buffer: a write that failed (full disk, a reader that closed the pipe, a
 * closed descriptor) leaves the stream's error flag set, and the last flush
 * and close report what is still buffered.  Either is a runtime failure. */
static int close_stdout(int rc)
{
    int bad = ferror(stdout), e = 0;
    errno = 0;
    if (fflush(stdout) != 0)
        bad = 1, e = errno;
    errno = 0;
    if (fclose(stdout) != 0 && !bad)
        bad = 1, e = errno;
    if (!bad)
        return rc;
    fprintf(stderr, "fianza: cannot write to standard output%s%s%s\n", e ? ": " : "", e ? strerror(e) : "",
            results_committed ? " (the results directory was written completely before that)" : "");
    return rc ? rc : 1;
}

/* A closed stdin, stdout or stderr (`fianza ... >&-`) would be reused by the
 * next open(): results files would then receive the tables.  Each closed one
 * is held by /dev/null, read-only, so that writes to it fail and are reported. */
static void hold_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int n = open("/dev/null", O_RDONLY);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                close(n);
            }
        }
}

static int run(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL must report, never abort: every status is checked */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = OUTDIR_SIGNALS;
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
    /* A reader that closes the pipe (`fianza check s.ini | head -1`) makes
     * writes fail with EPIPE, reported by close_stdout (exit 1), instead of
     * killing fianza silently; nothing is lost: stdout is written last. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage_all(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "fianza: unknown command '%s'\n", argv[1]);
        usage_all(stderr);
        return 2;
    }
    cli_opts o;
    fz_error err = {0, ""};
    int rc = cli_parse(&o, argc, argv, &err);
    if (rc == 0 && o.help) {
        printf("%s%s", cmd->usage, common_help);
    } else if (rc) {
        fprintf(stderr, "fianza: %s\n", err.msg);
    } else {
        if (par_rank() != 0) /* rank 0 alone prints and draws (par.h) */
            o.quiet = o.no_plots = 1;
        rc = cmd->run(&o);
        results_committed = rc == 0 && cmd->run != cmd_check;
    }
    cli_opts_free(&o);
    return rc;
}

int main(int argc, char **argv)
{
    hold_std_fds();
    if (par_init(&argc, &argv)) {
        fprintf(stderr, "fianza: cannot start MPI\n");
        return 1;
    }
    int rc = run(argc, argv);
    par_finalize();
    return close_stdout(rc);
}
