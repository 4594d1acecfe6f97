/* help: the help texts and their printing (help.h). */
#include "help.h"

#include <string.h>

#include "cli.h"
#include "fianza_version.h"

static const help_command commands[] = {
    {"check", "fianza check [OPTIONS] SCENARIO.ini", "Validate a scenario and print it with every default filled in.",
     "Validate a scenario and print it with every default filled in.  Nothing is written: "
     "only --seed, --replications and --set apply to check."},
    {"simulate", "fianza simulate --allocation REGION=USD,... [OPTIONS] SCENARIO.ini",
     "Evaluate one allocation of the budget: releases, USD spent and days in detention per region.",
     "Evaluate one allocation on the \"evaluate\" stream: releases with a 95% CI, percentiles, USD spent, cost per "
     "release and days in detention, per region.  Regions left out of --allocation get 0."},
    {"optimize", "fianza optimize [OPTIONS] SCENARIO.ini",
     "Choose the split of the budget across regions that maximises the scenario's objective.",
     "Choose the split of the budget across regions that maximises the scenario's objective (GLPK MIP over release "
     "curves from the \"optimize\" stream), then evaluate it and the baselines (equal split, proportional to expected "
     "fundable cases, expected-value solution) on the \"evaluate\" stream: VSS, EVPI and the optimality "
     "gap (A2RP on the evaluation replications by default, or Mak-Morton-Wood's independent batches)."},
    {"sweep", "fianza sweep (--budget FROM:TO:STEP | --param SECTION.KEY=FROM:TO:STEP | --tornado PCT) [OPTIONS] "
              "SCENARIO.ini",
     "Re-optimise along a range of the budget or of one parameter, or rank the parameters by their effect.",
     "Re-optimise along a budget or parameter range (any numeric key, or a distribution argument such as "
     "region.chicago.bond_usd.median) and chart the optimal value with a 95% band.  --tornado ranks every numeric "
     "parameter by its effect on the optimum when moved down and up by PCT percent, and prints the ranking as a "
     "table.  Points share common random numbers."},
    {"compare",
     "fianza compare --allocation [NAME:]A [--allocation [NAME:]B ...] [--policy P ...] [--pooled] [OPTIONS] "
     "SCENARIO.ini\n       fianza compare --regions [--policy P] [OPTIONS] SCENARIO.ini",
     "Evaluate two or more allocations or policies on the same replications, with paired differences.",
     "Evaluate two or more variants on the same replications (common random numbers): each --allocation, crossed "
     "with each --policy (cheapest_first, first_come) if given.  Per variant and region: releases, USD spent, cost "
     "per release, releases per USD 10,000, days in detention, P(target), money unallocated, and paired differences "
     "to the first variant with 95% confidence intervals (compare.csv, summary.json).  --regions puts the regions "
     "side by side for the same money."},
    {"fit",
     "fianza fit --column NAME [--censored FLAG] [OPTIONS] DATA.csv\n"
     "       fianza fit --bins LOW,HIGH (--count COL | --share COL --n N) [OPTIONS] DATA.csv\n"
     "       fianza fit --posted COL --returned COL [--as-of DATE] [OPTIONS] LEDGER.csv\n"
     "       fianza fit --rate K/N",
     "Fit distributions to a column of a CSV file and print the line to paste into a scenario.",
     "Fit distributions to a CSV column and print the line to paste into a scenario.  Lognormal, gamma, weibull, "
     "exponential and normal, by maximum likelihood (standard errors from the observed information), ranked by AIC, "
     "with BIC, Kolmogorov-Smirnov and Anderson-Darling statistics, a QQ plot and a histogram with the fitted "
     "densities.  With --censored (or a fund's ledger) some durations are still running: censored maximum "
     "likelihood and the Kaplan-Meier estimate.  --rate turns K of N into a probability with its interval."},
    {"budget", "fianza budget --releases N --prob P [OPTIONS] SCENARIO.ini",
     "Find the smallest budget at which P(releases >= N) reaches P.",
     "Find the smallest budget at which P(releases >= N) reaches P (DESIGN section 8).  The budgets tried are "
     "multiples of granularity_usd up to budget_usd; at each, the split that maximises P(releases >= N) on the "
     "\"optimize\" stream is found, and the smallest budget whose in-sample P reaches P is the answer (bisection: P "
     "is nondecreasing in the budget on common random numbers; every budget from the bottom up when donations or "
     "min_share make it not so).  Every budget tried is evaluated out of sample (stream \"evaluate\") with a Wilson "
     "95% interval."},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

/* Options: the command's own first (in this order), then the common ones.
 * An entry with a command describes the option for that command only. */
typedef struct opt_help {
    const char *name, *command, *arg, *text;
} opt_help;

static const opt_help options[] = {
    {"allocation", "simulate", "REGION=USD,...", "the allocation to evaluate; regions left out get 0"},
    {"allocation", NULL, "[NAME:]REGION=USD,...",
     "a variant (repeatable); regions left out get 0.  NAME (letters, digits, _ and -) names it, as in "
     "all_chicago:chicago=300000; by default the name says the amounts"},
    {"regions", NULL, NULL,
     "the regions side by side for the same money: the whole budget to each region in turn "
     "(compare_regions.csv)"},
    {"policy", NULL, "P", "cheapest_first or first_come (repeatable): every --allocation under each policy"},
    {"pooled", NULL, NULL,
     "also the pooled fund (one account holding the whole budget and one queue for every region, DESIGN section "
     "8), under each policy"},
    {"budget", NULL, "FROM:TO:STEP", "sweep the budget, in USD (at most 1000 points)"},
    {"param", NULL, "SECTION.KEY=FROM:TO:STEP", "sweep one numeric key or distribution argument (at most 1000 points)"},
    {"tornado", NULL, "PCT", "move every numeric parameter down and up by PCT percent, in (0, 100)"},
    {"gap", NULL, "METHOD",
     "the optimality gap bound: a2rp (default: Bayraksan-Morton's averaged two-replication procedure on the "
     "evaluation replications, no extra simulation), mmw (Mak-Morton-Wood: --gap-batches independent SAA "
     "batches, each a full curve pass and solve) or none"},
    {"gap-batches", NULL, "M",
     "2 to 1000 (default 10): MMW's independent SAA batches, or A2RP's pairs of halves (2M halves of "
     "replications / 2M each)"},
    {"releases", NULL, "N", "the target: N releases or more (a whole number >= 1)"},
    {"prob", NULL, "P", "the probability to reach it, in (0, 1]"},
    {"solver-time-limit", NULL, "S", "GLPK time limit per solve, seconds (at most 86400)"},
    {"precision", NULL, "H",
     "stop the evaluation once the 95% interval of mean releases (releases.ci95) is at most +/- H, checked "
     "every 1024 replications (--precision-block); --replications is then the cap"},
    {"precision-block", NULL, "N",
     "with --precision: check the interval every N replications (default 1024; never before 1024), a whole "
     "number from 1 to --replications; results depend on the seed and N, not on --threads"},
    {"column", NULL, "NAME", "the column to fit, as the header row names it"},
    {"min", NULL, "X",
     "the data are truncated below at X (only values in [min, max] were recorded): fit the conditional "
     "distribution, not a shift; values outside are left out and counted.  Without --min a normal is fitted "
     "truncated at 0, as scenarios need (min=0)"},
    {"max", NULL, "X", "the data are truncated above at X (as --min)"},
    {"censored", NULL, "FLAG",
     "with --column DAYS: FLAG 1 = still open (DAYS is a lower bound), 0 = ended; censored MLE and Kaplan-Meier "
     "(fit_km chart)"},
    {"posted", NULL, "COL",
     "a fund's ledger (e.g. \"Date Posted\"): with --returned, days from posting to return; a bond with no return "
     "date is open, censored at --as-of"},
    {"returned", NULL, "COL", "the ledger's return-date column (e.g. \"Date Returned\")"},
    {"as-of", NULL, "DATE", "the ledger's date (YYYY-MM-DD or M/D/YYYY): open bonds are censored there"},
    {"rate", NULL, "K/N",
     "no CSV: K of N as a probability with its Wilson 95% interval, the bond_grant_prob line and a sweep range; "
     "writes nothing"},
    {"bins", NULL, "LOW,HIGH",
     "fit a binned table instead of --column: the columns of each bin's lower and upper edge (an empty upper edge: "
     "the open top bin); with --count or --share.  Fitted to the interval-censored counts, with a chi-square test "
     "and a chart of observed vs fitted shares (docs/fit.md, \"Binned tables\")"},
    {"count", NULL, "COL", "with --bins: the column of each bin's count"},
    {"share", NULL, "COL", "with --bins: the column of each bin's share (summing to 1); needs --n"},
    {"n", NULL, "N", "with --share: the number of observations the shares are of (standard errors and chi-square "
                     "depend on it)"},
    {"output", "fit", "DIR",
     "results directory (default results/NAME, NAME the CSV file's name without .csv), replaced whole: it must be "
     "new, empty or written by fianza before"},
    {"output", NULL, "DIR",
     "results directory (default results/NAME, NAME the scenario file's name without .ini), replaced whole: it must "
     "be new, empty or written by fianza before"},
    {"seed", NULL, "N", "override [simulation] seed"},
    {"replications", NULL, "N", "override [simulation] replications (per stream)"},
    {"threads", NULL, "N", "worker threads, 1 to 1024 (results do not depend on it)"},
    {"set", NULL, "SECTION.KEY=VALUE", "override any scenario key (repeatable)"},
    {"json", NULL, NULL, "also print summary.json on stdout (the tables go to stderr then)"},
    {"no-plots", NULL, NULL, "do not draw charts"},
    {"quiet", NULL, NULL,
     "no progress (a bar when stderr is a terminal, else a line per stage; FIANZA_PROGRESS=bar, plain or off "
     "chooses), no run-time warning, no tables"},
    {"help", NULL, NULL, "print this text and exit"},
    {"version", NULL, NULL, "print the version and exit"},
};

#define NOPTIONS (sizeof options / sizeof *options)

static const char footer[] =
    "An option that the command does not use is refused, as are a second file and an option given twice (except "
    "the repeatable ones).\n"
    "Exit status: 0 success, 1 runtime failure (including a failed write to standard output: the results directory "
    "is complete then), 2 bad usage or input.";

const help_command *help_commands(size_t *n)
{
    *n = NCOMMANDS;
    return commands;
}

static const opt_help *find(const char *option, const char *command)
{
    const opt_help *any = NULL;
    for (size_t i = 0; i < NOPTIONS; i++)
        if (!strcmp(options[i].name, option)) {
            if (command && options[i].command && !strcmp(options[i].command, command))
                return &options[i];
            if (!options[i].command && !any)
                any = &options[i];
        }
    return any;
}

const char *help_option_arg(const char *option, const char *command)
{
    const opt_help *h = find(option, command);
    return h ? h->arg : cli_option_takes_value(option) ? "VALUE" : NULL;
}

const char *help_option_text(const char *option, const char *command)
{
    const opt_help *h = find(option, command);
    return h ? h->text : "(no description)";
}

static int listed(const char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

size_t help_command_options(const char *command, const char **names, size_t max)
{
    size_t n = 0;
    /* the described options in the table's order, then any that cli.c has
     * and help.c does not describe yet */
    for (size_t i = 0; i < NOPTIONS && n < max; i++)
        if (cli_option_applies(options[i].name, command) && !listed(names, n, options[i].name))
            names[n++] = options[i].name;
    for (const struct option *p = cli_options(); p->name && n < max; p++)
        if (cli_option_applies(p->name, command) && !listed(names, n, p->name))
            names[n++] = p->name;
    return n;
}

const char *help_version(void) { return "fianza " FIANZA_VERSION FIANZA_VERSION_GIT; }

void help_wrap(FILE *f, const char *text, int col, int indent)
{
    const char *p = text;
    int fresh = 1; /* nothing written on this line since col/indent */
    while (*p) {
        if (*p == '\n') {
            fprintf(f, "\n%*s", indent, "");
            col = indent, fresh = 1, p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t len = strcspn(p, " \n");
        if (!fresh && col + 1 + (int)len > HELP_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = indent, fresh = 1;
        }
        if (!fresh) {
            /* two spaces after a sentence, as the texts are written */
            int two = p >= text + 2 && p[-1] == ' ' && p[-2] == ' ' && col + 2 + (int)len <= HELP_WIDTH;
            fputs(two ? "  " : " ", f);
            col += two ? 2 : 1;
        }
        fprintf(f, "%.*s", (int)len, p);
        col += (int)len, fresh = 0, p += len;
    }
    fputc('\n', f);
}

void help_print_all(FILE *f)
{
    fputs("usage: fianza COMMAND [OPTIONS] FILE\n", f);
    help_wrap(f, "Plan a bail-bond fund: simulate, optimise and compare how a budget is split across regions.", 0, 0);
    fputs("Commands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(f, "  %-10s ", commands[i].name);
        help_wrap(f, commands[i].summary, 13, 13);
    }
    fputs("Options:\n  -h, --help     print this text and exit\n  --version      print the version and exit\n", f);
    help_wrap(f, "Run 'fianza COMMAND --help' for a command's options, 'man fianza' for all of them.", 0, 0);
}

/* "  -o, --output DIR" in the help's layout: the description at column 26,
 * on the next line when the option is longer. */
static void print_option(FILE *f, const char *name, const char *command)
{
    const char *arg = help_option_arg(name, command);
    int c = cli_option_short(name);
    char head[128];
    int col = snprintf(head, sizeof head, "  %s%s--%s%s%s", c ? (char[]){'-', (char)c, 0} : "", c ? ", " : "", name,
                       arg ? " " : "", arg ? arg : "");
    fputs(head, f);
    if (col > 24) {
        fputc('\n', f);
        col = 0;
    }
    fprintf(f, "%*s", 26 - col, "");
    help_wrap(f, help_option_text(name, command), 26, 26);
}

int help_print_command(FILE *f, const char *command)
{
    const help_command *c = NULL;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, command))
            c = &commands[i];
    if (!c)
        return -1;
    fputs("usage: ", f);
    help_wrap(f, c->synopsis, 7, 7);
    help_wrap(f, c->description, 0, 0);
    fputs("Options:\n", f);
    const char *names[128];
    size_t n = help_command_options(command, names, 128);
    for (size_t i = 0; i < n; i++)
        print_option(f, names[i], command);
    help_wrap(f, footer, 0, 0);
    return 0;
}
