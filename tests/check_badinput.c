/* check_badinput: a catalogue of invalid inputs run through the built binary.
 *
 * 184 rows (README "Commands", "Scenario files", "Fitting distributions to
 * data", "Limits"): 58 scenario files, 23 distribution strings, 17 CSV files
 * behind empirical(...), 21 CSV files and options given to `fit`, 45
 * command-line options, 8 results directories (-o) and 12 allocations.  178
 * rows must fail with exit status 2; 6 give values the README documents as
 * valid (-0 read as 0 for amounts, probabilities and counts whose range holds
 * 0; a line of exactly 198 characters) and must succeed.  One row (a mode-000
 * scenario) is skipped when the suite runs as root, which reads such files
 * regardless; "path under a file" is a scenario that cannot be opened then.
 *
 * Every row runs FZ_BIN in a fresh directory holding two.ini (a valid
 * two-region scenario, 50 replications) and the row's own files, with
 * relative paths, so that messages name them exactly as given.  Asserted
 * for each row:
 * - the exit status (2 for bad input; never a signal, never 1);
 * - exit 2: stderr starts with "fianza: " and contains the row's substring,
 *   which names the file and line ("s.ini:3: ", "./e.csv:2: ") or the
 *   option ("--threads 0", "-o two.ini/out"), or the file alone where no
 *   line applies (a missing file, a directory, a file with no regions);
 *   stdout is empty;
 * - exit 0: stdout contains the row's substring (check printing the value
 *   back as read);
 * - the directory holds exactly what it held before: no results directory
 *   (-o out, or the default results/), no out.tmp-* or out.old-* sibling, no
 *   parent made for a refused -o; for an absolute -o, no DIR.tmp-* / DIR.old-*
 *   next to it either. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "cli_util.h"

/* two regions, few replications: a row that wrongly succeeds stays quick */
static const char two_ini[] =
    "[fund]\nbudget_usd = 300000\nhorizon_days = 90\n"
    "[simulation]\nreplications = 50\nseed = 20251218\n"
    "[region.chicago]\nlabel = Chicago\ninitial_detained = 60\narrivals_per_day = 1\n"
    "bond_grant_prob = 0.6\nbond_usd = lognormal(median=1500, sigma=0.5, min=1500, max=50000)\n"
    "[region.kansas_city]\nlabel = Kansas City\ninitial_detained = 20\n"
    "bond_usd = lognormal(median=4000, sigma=0.6, min=1500)\n";

enum { R_UNREADABLE = 1 }; /* chmod 000 the first file (skipped when still readable: root) */

typedef struct row {
    const char *id;        /* directory name: what the row tries */
    const char *args[14];  /* fianza's arguments, run in the row's directory */
    const char *f1, *t1;   /* a file to create; t1 NULL: a directory of that name */
    size_t n1;             /* bytes of t1 when it holds NUL bytes (0: strlen) */
    const char *f2, *t2;   /* a second file (the CSV of empirical(...)) */
    size_t n2;
    int status;            /* expected exit status */
    const char *want;      /* stderr (status 2) or stdout (status 0) must contain it */
    int flags;
} row;

/* a scenario file s.ini run through `check` */
#define SCEN(id_, text_, want_) {.id = id_, .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = text_, .status = 2, .want = want_}
#define SCEN_OK(id_, text_, out_) {.id = id_, .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = text_, .status = 0, .want = out_}
/* a scenario run through a command that would write results */
#define SCEN_RUN(id_, text_, want_, ...) {.id = id_, .args = {__VA_ARGS__}, .f1 = "s.ini", .t1 = text_, .status = 2, .want = want_}
/* one distribution as bond_usd (line 2 of s.ini) */
#define DIST(id_, d_, want_) SCEN(id_, "[region.a]\nbond_usd = " d_ "\n", want_)
/* empirical(...) over e.csv, from line 2 of s.ini */
#define EMP_LINE "[region.a]\nbond_usd = empirical(file=e.csv, column=bond_usd)\n"
#define EMP(id_, csv_, want_) {.id = id_, .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = EMP_LINE, .f2 = "e.csv", .t2 = csv_, .status = 2, .want = want_}
/* fit d.csv --column bond_usd, plus options */
#define FIT(id_, csv_, want_, ...) {.id = id_, .args = {"fit", "d.csv", "--column", "bond_usd", "-o", "out", __VA_ARGS__}, .f1 = "d.csv", .t1 = csv_, .status = 2, .want = want_}
/* options on two.ini */
#define OPT(id_, want_, ...) {.id = id_, .args = {__VA_ARGS__}, .status = 2, .want = want_}

#define X10 "xxxxxxxxxx"
#define X90 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define X100 X90 X10
/* 250 bytes of high-bit garbage, no NUL and no newline */
#define G10 "\xde\xad\xbe\xef\x80\x81\xfe\xff\xc3\x28"
#define G250 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10 G10
/* the start of an ELF file: NUL bytes on line 1 */
static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
/* a PNG signature: a line that is no INI at all, then NUL bytes on line 3
 * (reading stops there; the message names that line) */
static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
/* a NUL inside a CSV row */
static const char csv_nul[] = "bond_usd\n1500\n2\0" "000\n";
/* 65 regions: the 65th section (line 65) is one too many */
#define REG10(d) "[region.r" d "0]\n[region.r" d "1]\n[region.r" d "2]\n[region.r" d "3]\n[region.r" d "4]\n" \
                 "[region.r" d "5]\n[region.r" d "6]\n[region.r" d "7]\n[region.r" d "8]\n[region.r" d "9]\n"
#define REG65 REG10("0") REG10("1") REG10("2") REG10("3") REG10("4") REG10("5") \
              "[region.r60]\n[region.r61]\n[region.r62]\n[region.r63]\n[region.r64]\n"

#define ALLOC "chicago=200000,kansas_city=100000"

static const row rows[] = {
    /* ---- scenario files (58) ---- */
    SCEN("empty file", "", "s.ini: no regions"),
    {.id = "binary ELF", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = elf, .n1 = sizeof elf - 1, .status = 2,
     .want = "s.ini:1: NUL byte"},
    {.id = "binary PNG", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = png, .n1 = sizeof png - 1, .status = 2,
     .want = "s.ini:1: expected 'key = value'"}, /* the first bad line (inih stops there) */
    SCEN("binary no newline", G250, "s.ini:1: line too long (250 characters"),
    {.id = "directory", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = NULL, .status = 2,
     .want = "s.ini: not a regular file"},
    {.id = "directory optimize", .args = {"optimize", "-o", "out", "s.ini"}, .f1 = "s.ini", .t1 = NULL, .status = 2,
     .want = "s.ini: not a regular file"},
    OPT("missing file", "nope.ini: cannot open", "check", "nope.ini"),
    OPT("missing file simulate", "nope.ini: cannot open", "simulate", "--allocation", "chicago=1", "nope.ini"),
    OPT("path under a file", "two.ini/s.ini: cannot open", "check", "two.ini/s.ini"),
    {.id = "unreadable", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = "[region.a]\n", .status = 2,
     .want = "s.ini: cannot open", .flags = R_UNREADABLE},
    SCEN_OK("line of 198", "[region.a]\nlabel = " X100 X90 "\n", "\nlabel = " X100 X90 "\n"),
    SCEN("line of 199", "[region.a]\nlabel = " X100 X90 "x\n", "s.ini:2: line too long (199 characters"),
    SCEN("line of 508", "[region.a]\nlabel = " X100 X100 X100 X100 X100 "\n", "s.ini:2: line too long (508"),
    SCEN("long line deep in file", "[fund]\nbudget_usd = 1000\n\n; fine\n[region.a]\nbond_usd = fixed(" X100 X100 ")\n",
         "s.ini:6: line too long"),
    SCEN("duplicate key", "[region.a]\ninitial_detained = 5\ninitial_detained = 6\n",
         "s.ini:3: key 'initial_detained' in [region.a] repeats the one on line 2"),
    SCEN("duplicate fund key", "[fund]\nbudget_usd = 1000\n\nbudget_usd = 1000\n[region.a]\n", "s.ini:4: key 'budget_usd'"),
    SCEN("duplicate region section", "[region.a]\n[fund]\n[region.a]\n", "s.ini:3: section [region.a] repeats the one on line 1"),
    SCEN("duplicate fund section", "[fund]\nbudget_usd = 5000\n[region.a]\n[fund]\n", "s.ini:4: section [fund] repeats"),
    SCEN("duplicate spaced section", "[region.a]\n[ region.a ]\n", "s.ini:2: section [region.a] repeats"),
    SCEN("key outside section", "budget_usd = 5\n[region.a]\n", "s.ini:1: key 'budget_usd' outside any section"),
    SCEN("unclosed section", "[region.a\n", "s.ini:1: malformed section header"),
    SCEN("empty section name", "[fund]\n[]\n", "s.ini:2: malformed section header"),
    SCEN("unknown section", "[fund]\n[regions.a]\n", "s.ini:2: unknown section [regions.a]"),
    SCEN("bad region name", "[region.a b]\n", "s.ini:1: unknown section [region.a b]"),
    SCEN("no equals sign", "[region.a]\nthis line has no equals sign\n", "s.ini:2: expected 'key = value'"),
    SCEN("unknown key", "[region.a]\nbogus = 1\n", "s.ini:2: unknown key 'bogus' in [region.a]"),
    SCEN("empty key", "[region.a]\n= 5\n", "s.ini:2: unknown key ''"),
    SCEN("budget nan", "[fund]\nbudget_usd = nan\n[region.a]\n", "s.ini:2: budget_usd = 'nan'"),
    SCEN("budget inf", "[fund]\nbudget_usd = inf\n[region.a]\n", "s.ini:2: budget_usd = 'inf'"),
    SCEN("budget 1e400", "[fund]\nbudget_usd = 1e400\n[region.a]\n", "s.ini:2: budget_usd = '1e400'"),
    /* -0 is 0, and a budget must be > 0 */
    SCEN("budget -0", "[fund]\nbudget_usd = -0\n[region.a]\n", "s.ini:2: budget_usd = '-0': expected an amount in USD in (0, 1e12]"),
    SCEN("negative budget", "[fund]\nbudget_usd = -300000\n[region.a]\n", "s.ini:2: budget_usd = '-300000'"),
    SCEN("budget with unit", "[fund]\nbudget_usd = 300000 USD\n[region.a]\n", "s.ini:2: budget_usd = '300000 USD'"),
    /* -0 is 0 for amounts, probabilities and counts whose range includes 0 */
    SCEN_OK("case cost -0", "[region.a]\ncase_cost_usd = -0\n", "\ncase_cost_usd = 0\n"),
    SCEN_OK("max bond -0", "[region.a]\nmax_bond_paid_usd = -0\n", "\nmax_bond_paid_usd = 0\n"),
    SCEN_OK("family pays -0", "[region.a]\nfamily_pays_prob = -0\n", "\nfamily_pays_prob = 0\n"),
    SCEN_OK("initial detained -0", "[region.a]\ninitial_detained = -0\n", "\ninitial_detained = 0\n"),
    SCEN("grant prob 1.5", "[region.a]\nbond_grant_prob = 1.5\n", "s.ini:2: bond_grant_prob = '1.5': expected a probability in [0, 1]"),
    SCEN("grant prob -0.1", "[region.a]\nbond_grant_prob = -0.1\n", "s.ini:2: bond_grant_prob = '-0.1'"),
    SCEN("family pays NaN", "[region.a]\nfamily_pays_prob = NaN\n", "s.ini:2: family_pays_prob = 'NaN'"),
    SCEN("family pays above 1", "[region.a]\n\nfamily_pays_prob = 1.0000001\n", "s.ini:3: family_pays_prob"),
    SCEN("hazard inf", "[region.a]\nremoval_hazard_per_day = inf\n", "s.ini:2: removal_hazard_per_day = 'inf'"),
    SCEN("max bond -inf", "[region.a]\nmax_bond_paid_usd = -inf\n", "s.ini:2: max_bond_paid_usd = '-inf'"),
    SCEN("fractional people", "[region.a]\ninitial_detained = 2.5\n", "s.ini:2: initial_detained = '2.5'"),
    SCEN("replications 0", "[simulation]\nreplications = 0\n[region.a]\n", "s.ini:2: replications = '0': expected a whole number from 1 to 100000000"),
    SCEN("replications negative", "[simulation]\nreplications = -5\n[region.a]\n", "s.ini:2: replications = '-5'"),
    SCEN_RUN("replications past limit", "[simulation]\nreplications = 100000001\n[region.a]\n",
             "s.ini:2: replications = '100000001'", "optimize", "s.ini"),
    /* a seed is written in digits, as check prints it back */
    SCEN("seed -0", "[simulation]\nseed = -0\n[region.a]\n", "s.ini:2: seed = '-0'"),
    SCEN("seed 2^63", "[simulation]\nseed = 9223372036854775808\n[region.a]\n", "s.ini:2: seed = '9223372036854775808'"),
    SCEN("cvar alpha 0", "[fund]\ncvar_alpha = 0\n[region.a]\n", "s.ini:2: cvar_alpha = '0'"),
    SCEN("unknown policy", "[fund]\npolicy = random\n[region.a]\n", "s.ini:2: policy = 'random'"),
    SCEN("unknown objective", "[fund]\nobjective = profit\n[region.a]\n", "s.ini:2: objective = 'profit'"),
    SCEN("control char label", "[region.a]\nlabel = a\x01z\n", "s.ini:2: label: control characters"),
    SCEN("min above max share", "[region.a]\nmin_share = 0.6\nmax_share = 0.5\n", "s.ini:2: [region.a]: min_share = 0.6 exceeds max_share = 0.5 (max_share: s.ini:3)"),
    SCEN("min shares above 1", "[region.a]\nmin_share = 0.6\n[region.b]\nmin_share = 0.6\n", "s.ini:2: the regions' min_share add up to 1.2 > 1: no split of the budget meets them (min_share of [region.a] 0.6 at s.ini:2, [region.b] 0.6 at s.ini:4)"),
    SCEN("grid too fine", "[fund]\nbudget_usd = 1e9\ngranularity_usd = 1\n[region.a]\n", "s.ini:3: budget_usd / granularity_usd"),
    SCEN("too many people", "[region.a]\n\ninitial_detained = 10000000\narrivals_per_day = 100000\n", "s.ini:1: [region.a]: 19000000 people"),
    SCEN("65 regions", REG65, "s.ini:65: more than 64 regions"),

    /* ---- distribution strings (23) ---- */
    DIST("unknown distribution", "pareto(shape=1)", "s.ini:2: bond_usd: unknown distribution 'pareto'"),
    DIST("uniform zero width", "uniform(min=5, max=5)", "s.ini:2: bond_usd: uniform(...)"),
    DIST("lognormal min=max", "lognormal(median=2000, sigma=1, min=3000, max=3000)", "s.ini:2: bond_usd: lognormal(...): min = 3000 must be below max = 3000"),
    DIST("gamma min=max", "gamma(mean=14, sd=7, min=5, max=5)", "s.ini:2: bond_usd: gamma(...): min = 5 must be below max = 5"),
    DIST("empty truncation", "lognormal(median=1500, sigma=0.1, min=1e7)", "s.ini:2: bond_usd: lognormal(...): the range"),
    DIST("normal below zero", "normal(mean=1500, sd=500)", "s.ini:2: bond_usd = normal(mean=1500, sd=500) can be negative"),
    DIST("fixed negative", "fixed(-5)", "s.ini:2: bond_usd = fixed(-5) can be negative"),
    DIST("fixed nan", "fixed(nan)", "s.ini:2: bond_usd: fixed(...): 'nan' is not a finite number"),
    DIST("fixed inf", "fixed(inf)", "s.ini:2: bond_usd: fixed(...): 'inf'"),
    DIST("fixed 1e400", "fixed(1e400)", "s.ini:2: bond_usd: fixed(...): '1e400'"),
    SCEN_OK("fixed -0", "[region.a]\nbond_usd = fixed(-0)\n", "\nbond_usd = fixed(0)\n"),
    DIST("normal sd nan", "normal(mean=1, sd=nan, min=0)", "s.ini:2: bond_usd: normal(...): sd = 'nan'"),
    DIST("normal sd negative", "normal(mean=1, sd=-1, min=0)", "s.ini:2: bond_usd: normal(...)"),
    DIST("lognormal no sigma", "lognormal(median=1500)", "s.ini:2: bond_usd: lognormal(...)"),
    DIST("unbalanced bracket", "lognormal(median=1500, sigma=0.5", "s.ini:2: bond_usd: expected a distribution"),
    DIST("mixture negative weight", "mixture(0.5: fixed(1); -0.5: fixed(2))", "s.ini:2: bond_usd: mixture(...): weight '-0.5'"),
    DIST("mixture truncated", "mixture(1: fixed(1), min=0)", "s.ini:2: bond_usd:"),
    DIST("exponential mean 0", "exponential(mean=0)", "s.ini:2: bond_usd: exponential(...)"),
    DIST("argument twice", "lognormal(median=1500, sigma=0.5, median=3)", "s.ini:2: bond_usd: lognormal(...): argument 'median' given twice"),
    DIST("unknown argument", "lognormal(median=1500, sigma=0.5, shape=3)", "s.ini:2: bond_usd: lognormal(...): unknown argument 'shape'"),
    DIST("empty value", "", "s.ini:2: bond_usd: expected a distribution"),
    SCEN("weibull no scale", "[region.a]\nhearing_delay_days = weibull(shape=1)\n", "s.ini:2: hearing_delay_days: weibull(...)"),
    SCEN("delay prob word", "[region.a]\nrelease_delay_days = fixed(one)\n", "s.ini:2: release_delay_days: fixed(...): 'one'"),

    /* ---- CSV files behind empirical(...) (17) ---- */
    {.id = "empirical missing file", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = EMP_LINE, .status = 2,
     .want = "s.ini:2: bond_usd: ./e.csv: cannot open"},
    EMP("empirical empty file", "", "s.ini:2: bond_usd: ./e.csv:1: empty file"),
    EMP("empirical header only", "bond_usd\n", "s.ini:2: bond_usd: ./e.csv: column 'bond_usd' has no numeric values"),
    EMP("empirical empty cells", "bond_usd\n\n \n\"\"\n", "s.ini:2: bond_usd: ./e.csv: column 'bond_usd' has no numeric values"),
    EMP("empirical text row", "bond_usd\n1500\nabc\n", "s.ini:2: bond_usd: ./e.csv:3: column 'bond_usd': 'abc' is not a number"),
    EMP("empirical no column", "amount,court\n1500,x\n", "s.ini:2: bond_usd: ./e.csv:1: no column named 'bond_usd'"),
    EMP("empirical open quote", "bond_usd\n1500\n\"2000\n", "s.ini:2: bond_usd: ./e.csv:3: malformed CSV"),
    EMP("empirical unquoted thousands", "bond_usd\n1,500\n", "s.ini:2: bond_usd: ./e.csv:2: this row has 2 fields"),
    EMP("empirical nan", "bond_usd\n1500\nnan\n", "s.ini:2: bond_usd: ./e.csv:3: column 'bond_usd': 'nan'"),
    EMP("empirical 1e400", "bond_usd\n1e400\n", "s.ini:2: bond_usd: ./e.csv:2: column 'bond_usd': '1e400'"),
    EMP("empirical inf", "bond_usd\n\"inf\"\n", "s.ini:2: bond_usd: ./e.csv:2: column 'bond_usd': 'inf'"),
    EMP("empirical negative", "bond_usd\n1500\n-5\n", "s.ini:2: bond_usd = empirical(file=e.csv, column=bond_usd) can be negative"),
    {.id = "empirical NUL", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = EMP_LINE, .f2 = "e.csv", .t2 = csv_nul, .n2 = sizeof csv_nul - 1,
     .status = 2, .want = "s.ini:2: bond_usd: ./e.csv:3: NUL byte"},
    {.id = "empirical directory", .args = {"check", "s.ini"}, .f1 = "s.ini", .t1 = EMP_LINE, .f2 = "e.csv", .t2 = NULL,
     .status = 2, .want = "s.ini:2: bond_usd: ./e.csv"},
    SCEN("empirical no column arg", "[region.a]\nbond_usd = empirical(file=two.ini)\n", "s.ini:2: bond_usd: empirical(...): expected file= and column="),
    {.id = "empirical nothing in range", .args = {"check", "s.ini"}, .f1 = "s.ini",
     .t1 = "[region.a]\nbond_usd = empirical(file=e.csv, column=bond_usd, min=5000)\n", .f2 = "e.csv",
     .t2 = "bond_usd\n1500\n2000\n", .status = 2, .want = "s.ini:2: bond_usd: ./e.csv: column 'bond_usd' has no numeric values inside [min, max]"},
    SCEN_RUN("empirical path under a file", "[region.a]\nbond_usd = empirical(file=two.ini/e.csv, column=bond_usd)\n",
             "s.ini:2: bond_usd: ./two.ini/e.csv: cannot open", "simulate", "--allocation", "a=1000", "-o", "out", "s.ini"),

    /* ---- fit: CSV files and its options (21) ---- */
    OPT("fit missing file", "nope.csv: cannot open", "fit", "nope.csv", "--column", "bond_usd", "-o", "out"),
    FIT("fit empty file", "", "d.csv:1: empty file"),
    FIT("fit header only", "bond_usd\n", "d.csv:1: no data rows below the header"),
    FIT("fit missing column", "amount\n1500\n2500\n", "d.csv:1: no column named 'bond_usd' in the header row"),
    {.id = "fit missing column default dir", .args = {"fit", "d.csv", "--column", "bond_usd"}, .f1 = "d.csv",
     .t1 = "amount\n1500\n2500\n", .status = 2, .want = "d.csv:1: no column named 'bond_usd'"},
    FIT("fit no numbers", "bond_usd\nabc\n\ndef\n", "d.csv:2: column 'bond_usd' holds no numbers (0 empty cells, 2 not numbers)"),
    FIT("fit single number", "bond_usd\nx\n1500\n", "d.csv:3: column 'bond_usd' has a single number"),
    FIT("fit all equal", "bond_usd\n1500\n1500\n1500\n", "d.csv:2: all 3 numbers in column 'bond_usd'"),
    FIT("fit negative", "bond_usd\n1500\n-20\n2500\n", "d.csv:3: column 'bond_usd': -20 is negative"),
    FIT("fit open quote", "bond_usd\n1500\n\"2500\n3500\n", "d.csv:3: malformed CSV"),
    FIT("fit unquoted thousands", "bond_usd,court\n1500,a\n1,500,b\n", "d.csv:3: this row has 3 fields but the header has 2"),
    {.id = "fit binary", .args = {"fit", "d.csv", "--column", "bond_usd", "-o", "out"}, .f1 = "d.csv", .t1 = elf,
     .n1 = sizeof elf - 1, .status = 2, .want = "d.csv:1: NUL byte"},
    {.id = "fit directory", .args = {"fit", "d.csv", "--column", "bond_usd", "-o", "out"}, .f1 = "d.csv", .t1 = NULL,
     .status = 2, .want = "d.csv: not a regular file (it is a directory)"},
    FIT("fit none in range", "bond_usd\n5\n7\n9\n", "d.csv:2: none of the 3 numbers in column 'bond_usd' lies inside [100, inf)", "--min", "100"),
    FIT("fit min negative", "bond_usd\n5\n7\n", "--min -1: expected a number >= 0", "--min", "-1"),
    FIT("fit min above max", "bond_usd\n5\n7\n", "--min 10 --max 5: expected min < max", "--min", "10", "--max", "5"),
    FIT("fit max 0", "bond_usd\n5\n7\n", "--max 0: expected a number > 0", "--max", "0"),
    FIT("fit min nan", "bond_usd\n5\n7\n", "--min nan: expected a number", "--min", "nan"),
    FIT("fit min 1e400", "bond_usd\n5\n7\n", "--min 1e400: expected a number", "--min", "1e400"),
    {.id = "fit no column option", .args = {"fit", "d.csv", "-o", "out"}, .f1 = "d.csv", .t1 = "bond_usd\n5\n7\n",
     .status = 2, .want = "fit: expected --column NAME"},
    {.id = "fit column without value", .args = {"fit", "d.csv", "-o", "out", "--column"}, .f1 = "d.csv",
     .t1 = "bond_usd\n5\n7\n", .status = 2, .want = "--column: expects a value"},

    /* ---- command-line options (45) ---- */
    OPT("unknown option", "unknown option '--bogus'", "optimize", "--bogus", "-o", "out", "two.ini"),
    OPT("unknown short option", "unknown option '-x'", "simulate", "-x", "--allocation", ALLOC, "-o", "out", "two.ini"),
    OPT("-o without value", "-o: expects a value", "optimize", "two.ini", "-o"),
    OPT("--set without value", "--set: expects a value", "check", "two.ini", "--set"),
    OPT("threads 0", "--threads 0: expected a whole number from 1 to 1024", "optimize", "--threads", "0", "-o", "out", "two.ini"),
    OPT("threads 1025", "--threads 1025", "simulate", "--threads", "1025", "--allocation", ALLOC, "-o", "out", "two.ini"),
    OPT("threads 2x", "--threads 2x", "optimize", "--threads", "2x", "-o", "out", "two.ini"),
    OPT("gap batches 1", "--gap-batches 1: expected a whole number from 2 to 1000", "optimize", "--gap-batches", "1", "-o", "out", "two.ini"),
    OPT("gap batches 1001", "--gap-batches 1001", "optimize", "--gap-batches", "1001", "-o", "out", "two.ini"),
    OPT("time limit -1", "--solver-time-limit -1: expected seconds in (0, 86400]", "optimize", "--solver-time-limit", "-1", "-o", "out", "two.ini"),
    OPT("time limit 0", "--solver-time-limit 0", "optimize", "--solver-time-limit", "0", "-o", "out", "two.ini"),
    OPT("time limit nan", "--solver-time-limit nan", "optimize", "--solver-time-limit", "nan", "-o", "out", "two.ini"),
    OPT("replications 0", "--replications 0: replications = '0': expected a whole number from 1 to 100000000", "optimize", "--replications", "0", "two.ini"),
    OPT("replications negative", "--replications -5", "simulate", "--replications", "-5", "--allocation", ALLOC, "two.ini"),
    OPT("replications past limit", "--replications 100000001", "optimize", "--replications", "100000001", "-o", "out", "two.ini"),
    OPT("replications fraction", "--replications 2.5", "optimize", "--replications", "2.5", "-o", "out", "two.ini"),
    OPT("seed -1", "--seed -1: seed = '-1'", "optimize", "--seed", "-1", "-o", "out", "two.ini"),
    OPT("seed 2^64", "--seed 18446744073709551616", "optimize", "--seed", "18446744073709551616", "-o", "out", "two.ini"),
    OPT("set unknown key", "--set fund.no_such_key=1: unknown key 'no_such_key'", "optimize", "--set", "fund.no_such_key=1", "-o", "out", "two.ini"),
    OPT("set unknown region", "--set region.boston.label=B: the scenario has no section [region.boston]", "check", "--set", "region.boston.label=B", "two.ini"),
    OPT("set without dot", "--set nodot: expected section.key=value", "check", "--set", "nodot", "two.ini"),
    OPT("set unknown dist argument", "--set region.chicago.bond_usd.shape=2: bond_usd: lognormal(...) has no argument 'shape'", "check", "--set", "region.chicago.bond_usd.shape=2", "two.ini"),
    OPT("set budget nan", "--set fund.budget_usd=nan: budget_usd = 'nan'", "optimize", "--set", "fund.budget_usd=nan", "-o", "out", "two.ini"),
    OPT("budget from above to", "--budget 5000:1000:1000: expected FROM:TO:STEP with FROM <= TO and STEP > 0", "sweep", "--budget", "5000:1000:1000", "-o", "out", "two.ini"),
    OPT("budget step 0", "--budget 1000:5000:0: expected FROM:TO:STEP", "sweep", "--budget", "1000:5000:0", "-o", "out", "two.ini"),
    OPT("budget step negative", "--budget 1000:5000:-1000", "sweep", "--budget", "1000:5000:-1000", "-o", "out", "two.ini"),
    OPT("budget two fields", "--budget 1000:5000: expected FROM:TO:STEP", "sweep", "--budget", "1000:5000", "-o", "out", "two.ini"),
    OPT("budget nan", "--budget nan:5000:1000", "sweep", "--budget", "nan:5000:1000", "-o", "out", "two.ini"),
    OPT("budget point 0", "--budget 0:5000:1000 (point fund.budget_usd=0): budget_usd = '0'", "sweep", "--budget", "0:5000:1000", "-o", "out", "two.ini"),
    OPT("budget too many points", "--budget 1000:2000000:1: 1999001 points; the limit is 1000", "sweep", "--budget", "1000:2000000:1", "-o", "out", "two.ini"),
    OPT("param unknown key", "--param region.chicago.bogus=1:2:1 (point region.chicago.bogus=1): unknown key 'bogus'", "sweep", "--param", "region.chicago.bogus=1:2:1", "-o", "out", "two.ini"),
    OPT("param unknown fund key", "--param fund.nokey=1:2:1", "sweep", "--param", "fund.nokey=1:2:1", "two.ini"),
    OPT("param unknown region", "--param region.boston.bond_grant_prob=0.1:0.2:0.1", "sweep", "--param", "region.boston.bond_grant_prob=0.1:0.2:0.1", "-o", "out", "two.ini"),
    OPT("param out of range midway", "--param region.chicago.bond_grant_prob=0.5:1.5:0.5 (point region.chicago.bond_grant_prob=1.5): bond_grant_prob = '1.5'", "sweep", "--param", "region.chicago.bond_grant_prob=0.5:1.5:0.5", "-o", "out", "two.ini"),
    OPT("param text key", "--param region.chicago.label=1:2:1: region.chicago.label is not a number", "sweep", "--param", "region.chicago.label=1:2:1", "-o", "out", "two.ini"),
    OPT("param unknown dist argument", "--param region.chicago.bond_usd.shape=1:2:1", "sweep", "--param", "region.chicago.bond_usd.shape=1:2:1", "-o", "out", "two.ini"),
    OPT("param without equals", "--param 1:2:1: expected SECTION.KEY=FROM:TO:STEP", "sweep", "--param", "1:2:1", "-o", "out", "two.ini"),
    OPT("tornado 0", "--tornado 0: expected a percentage in (0, 100)", "sweep", "--tornado", "0", "-o", "out", "two.ini"),
    OPT("tornado 100", "--tornado 100", "sweep", "--tornado", "100", "-o", "out", "two.ini"),
    OPT("sweep no mode", "sweep: expected one of --budget", "sweep", "-o", "out", "two.ini"),
    OPT("sweep two modes", "sweep: expected one of --budget", "sweep", "--budget", "1000:2000:1000", "--tornado", "10", "-o", "out", "two.ini"),
    OPT("compare one variant", "compare: expected two or more --allocation", "compare", "--allocation", ALLOC, "-o", "out", "two.ini"),
    OPT("compare bad policy", "--policy random: expected cheapest_first or first_come", "compare", "--allocation", ALLOC, "--policy", "first_come", "--policy", "random", "-o", "out", "two.ini"),
    OPT("unknown command", "unknown command 'simulat'", "simulat", "--allocation", ALLOC, "two.ini"),
    OPT("extra argument", "unexpected argument 'b.ini'", "simulate", "--allocation", ALLOC, "two.ini", "b.ini", "c.ini"),

    /* ---- results directories, -o (8) ---- */
    OPT("-o under a file", "-o two.ini/out: cannot write there", "optimize", "-o", "two.ini/out", "two.ini"),
    OPT("-o is a file", "-o two.ini: exists and is not a directory", "simulate", "--allocation", ALLOC, "-o", "two.ini", "two.ini"),
    OPT("-o in /proc", "-o /proc/fianza_badinput/out", "optimize", "-o", "/proc/fianza_badinput/out", "two.ini"),
    OPT("-o empty", "-o '': not a usable directory name", "optimize", "-o", "", "two.ini"),
    OPT("-o dot", "-o .: not a usable directory name", "simulate", "--allocation", ALLOC, "-o", ".", "two.ini"),
    OPT("-o dotdot", "-o sub/..: not a usable directory name", "optimize", "-o", "sub/..", "two.ini"),
    OPT("-o root", "-o /: not a usable directory name", "compare", "--allocation", ALLOC, "--allocation", "chicago=1", "-o", "/", "two.ini"),
    {.id = "fit -o under a file", .args = {"fit", "d.csv", "--column", "bond_usd", "-o", "d.csv/out"}, .f1 = "d.csv",
     .t1 = "bond_usd\n5\n7\n9\n", .status = 2, .want = "-o d.csv/out: cannot write there"},

    /* ---- allocations (12) ---- */
    OPT("allocation over budget", "--allocation chicago=200000,kansas_city=100001: allocates 300001.00 USD, more than the budget", "simulate", "--allocation", "chicago=200000,kansas_city=100001", "-o", "out", "two.ini"),
    OPT("allocation over budget default dir", "--allocation chicago=300001", "simulate", "--allocation", "chicago=300001", "two.ini"),
    OPT("allocation unknown region", "--allocation chicago=1000,boston=5: no region 'boston' in two.ini", "simulate", "--allocation", "chicago=1000,boston=5", "-o", "out", "two.ini"),
    OPT("allocation negative", "--allocation chicago=-5: '-5' for chicago is not an amount", "simulate", "--allocation", "chicago=-5", "-o", "out", "two.ini"),
    OPT("allocation nan", "--allocation chicago=nan", "simulate", "--allocation", "chicago=nan", "-o", "out", "two.ini"),
    OPT("allocation inf", "--allocation chicago=inf", "simulate", "--allocation", "chicago=inf", "-o", "out", "two.ini"),
    OPT("allocation 1e400", "--allocation chicago=1e400", "simulate", "--allocation", "chicago=1e400", "-o", "out", "two.ini"),
    OPT("allocation region twice", "--allocation chicago=5,chicago=6: region 'chicago' given twice", "simulate", "--allocation", "chicago=5,chicago=6", "-o", "out", "two.ini"),
    OPT("allocation without equals", "--allocation chicago: expected region=usd", "simulate", "--allocation", "chicago", "-o", "out", "two.ini"),
    OPT("allocation empty", "--allocation: expected region=usd", "simulate", "--allocation", "", "-o", "out", "two.ini"),
    OPT("simulate without allocation", "simulate: expected exactly one --allocation", "simulate", "-o", "out", "two.ini"),
    OPT("compare second over budget", "--allocation chicago=400000", "compare", "--allocation", ALLOC, "--allocation", "chicago=400000", "-o", "out", "two.ini"),
};

/* Names in dir, sorted and joined with '/' (malloc'd). */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s", dir);
    char *names[64];
    size_t n = 0, len = 1;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            ck_assert_uint_lt(n, 64);
            names[n] = strdup(e->d_name);
            len += strlen(e->d_name) + 1;
            n++;
        }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    char *out = malloc(len);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, names[i]);
        strcat(out, "/");
        free(names[i]);
    }
    return out;
}

/* Entries of the directory holding PREFIX's last component that start with
 * it (0 when that directory does not exist, as for /proc/nothing/). */
static int count_siblings(const char *prefix)
{
    char dir[512];
    const char *slash = strrchr(prefix, '/');
    snprintf(dir, sizeof dir, "%.*s", slash == prefix ? 1 : (int)(slash - prefix), prefix);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, slash + 1, strlen(slash + 1)) == 0;
    closedir(d);
    return n;
}

static void write_bytes(const char *path, const char *text, size_t n)
{
    if (!text) {
        ck_assert_msg(mkdir(path, 0700) == 0, "mkdir %s", path);
        return;
    }
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s", path);
    ck_assert_uint_eq(fwrite(text, 1, n ? n : strlen(text), f), n ? n : strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_row)
{
    const row *w = &rows[_i];
    char name[64];
    snprintf(name, sizeof name, "row%03d", _i);
    const char *dir = cu_test_dir(name);
    char cwd[256];
    snprintf(cwd, sizeof cwd, "%s", dir);
    cu_write_file(cu_path_in(cwd, "two.ini"), two_ini);
    if (w->f1)
        write_bytes(cu_path_in(cwd, w->f1), w->t1, w->n1);
    if (w->f2)
        write_bytes(cu_path_in(cwd, w->f2), w->t2, w->n2);
    if (w->flags & R_UNREADABLE) {
        const char *p = cu_path_in(cwd, w->f1);
        ck_assert_int_eq(chmod(p, 0), 0);
        if (access(p, R_OK) == 0) {
            /* root reads mode-000 files: nothing to test here ("path under
             * a file" covers a scenario that cannot be opened) */
            fprintf(stderr, "badinput: row %d (%s) skipped: a mode-000 file is still readable (root)\n", _i, w->id);
            chmod(p, 0600);
            return;
        }
    }
    char *before = listing(cwd);

    run_result r;
    int rc = cu_run_v(&r, cwd, 30, w->args);
    ck_assert_msg(rc == w->status, "row %d (%s): exit %d, expected %d\nstderr: %s", _i, w->id, rc, w->status, r.err);
    if (w->status == 2) {
        ck_assert_msg(strncmp(r.err, "fianza: ", 8) == 0, "row %d (%s): stderr does not start with 'fianza: ': %s", _i,
                      w->id, r.err);
        ck_assert_msg(strstr(r.err, w->want) != NULL, "row %d (%s): stderr lacks '%s':\n%s", _i, w->id, w->want, r.err);
        ck_assert_msg(r.nout == 0, "row %d (%s): stdout not empty:\n%s", _i, w->id, r.out);
    } else {
        ck_assert_msg(strstr(r.out, w->want) != NULL, "row %d (%s): stdout lacks '%s':\n%s", _i, w->id, w->want, r.out);
    }

    /* nothing left behind: the directory is as it was */
    char *after = listing(cwd);
    ck_assert_msg(strcmp(before, after) == 0, "row %d (%s): the directory changed: before '%s', after '%s'", _i, w->id,
                  before, after);
    ck_assert_int_eq(cu_count_prefixed(cwd, "out"), 0);
    ck_assert(!cu_exists(cu_path_in(cwd, "results")));
    for (size_t i = 0; w->args[i]; i++)
        if (!strcmp(w->args[i], "-o") && w->args[i + 1] && w->args[i + 1][0] == '/') {
            const char *o = w->args[i + 1];
            char pre[512];
            snprintf(pre, sizeof pre, "%s.tmp-", o); /* "/" gives /.tmp- */
            ck_assert_msg(count_siblings(pre) == 0, "row %d (%s): %s* left behind", _i, w->id, pre);
            snprintf(pre, sizeof pre, "%s.old-", o);
            ck_assert_msg(count_siblings(pre) == 0, "row %d (%s): %s* left behind", _i, w->id, pre);
        }
    free(before);
    free(after);
    cu_run_free(&r);
}
END_TEST

/* The catalogue's size, as the header comment states it. */
START_TEST(test_row_count)
{
    size_t n = sizeof rows / sizeof *rows, ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += rows[i].status == 0;
    ck_assert_uint_eq(n, 184);
    ck_assert_uint_eq(ok, 6);
}
END_TEST

Suite *make_badinput_suite(void)
{
    Suite *s = suite_create("badinput");
    TCase *tc = tcase_create("catalogue");
    tcase_add_unchecked_fixture(tc, cu_work_setup, cu_work_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_row_count);
    tcase_add_loop_test(tc, test_row, 0, (int)(sizeof rows / sizeof *rows));
    suite_add_tcase(s, tc);
    return s;
}

FZ_CHECK_MAIN(badinput)
