/* cli: the command line shared by every fianza command (DESIGN §5).
 *
 * cli_parse turns argv into cli_opts (getopt_long; --help handled by the
 * caller through cli_opts.help); cli_load_scenario applies --seed,
 * --replications and --set on top of the file.  Nothing here exits: errors
 * come back as FZ_EINPUT with a message naming the option.  cli_parse
 * refuses an option that the command does not use (`fit --seed`, `check
 * --allocation`, `optimize --allocation`) and a second positional argument,
 * rather than ignoring them.
 *
 * Ownership: cli_opts owns its arrays; release with cli_opts_free. */
#ifndef FZ_CLI_H
#define FZ_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

typedef struct cli_opts {
    const char *command;
    const char *scenario_path; /* first positional (fit: DATA.csv) */
    const char *outdir;
    const char *seed, *replications; /* as given; applied through --set */
    int threads;
    char **sets; /* "section.key=value", owned */
    size_t nsets;
    const char **allocations; /* --allocation values */
    size_t nalloc;
    const char **policies; /* --policy values (compare) */
    size_t npolicies;
    int gap_batches;
    int gap_method; /* --gap: OPT_GAP_* of optimize.h (default OPT_GAP_A2RP) */
    const char *budget_range, *param_range, *column;
    double fit_min, fit_max; /* fit: --min, --max (truncation) */
    int has_min, has_max;
    const char *censored, *posted, *returned, *as_of, *rate; /* fit: cmd_fit_censored.c */
    const char *bins, *count_column, *share_column; /* fit --bins LOW,HIGH --count C | --share C */
    long fit_n;                                      /* fit --n N (0: not given) */
    double tornado_pct;
    double time_limit; /* --solver-time-limit seconds, 0: none */
    double precision;  /* --precision H: target half-width of mean releases, 0: none (issue 16) */
    long precision_block; /* --precision-block N: check every N replications, 0: not given (1024) */
    long target_releases; /* budget: --releases N (0: not given) */
    double target_prob;   /* budget: --prob p (0: not given) */
    int json, no_plots, quiet, help, version;
    int pooled; /* compare --pooled: the pooled fund (DESIGN §8) as more variants */
    int regions; /* compare --regions: the whole budget to each region in turn */
} cli_opts;

#define CLI_MAX_FIT_N 1000000000L /* fit --n: at most 10^9 */
#define CLI_MAX_RELEASES 1000000000L /* budget --releases: at most 10^9 */

int cli_parse(cli_opts *o, int argc, char **argv, fz_error *err);
void cli_opts_free(cli_opts *o);

/* The option table, for help.c (--help, the man page, the completion): the
 * long options (NULL-terminated); whether option NAME (long name, no
 * dashes) applies to command; whether it takes a value; its short letter
 * (0: none). */
const struct option *cli_options(void);
int cli_option_applies(const char *name, const char *command);
int cli_option_takes_value(const char *name);
int cli_option_short(const char *name);

int cli_load_scenario(scenario **out, const cli_opts *o, fz_error *err);

/* Parses "name=usd,name=usd" into alloc[nregions] (unnamed regions get 0);
 * rejects unknown regions, negative or non-numeric amounts and totals above
 * the budget. */
int cli_parse_allocation(double *alloc, const scenario *s, const char *text, fz_error *err);

/* Results directory: -o, or results/SCENARIO_NAME. */
const char *cli_outdir(const cli_opts *o, const scenario *s, char *buf, size_t size);

#include "progress.h" /* cli_progress: the progress bar of a run */

double cli_now(void); /* monotonic seconds */

#endif
