/* fianza: plan a bail-bond fund (README.md).  Parses the command line and
 * hands over to one sim/cli/cmd_<verb>.c per command; the only exit is here. */
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"
#include "par.h"
#include "plot.h"

#include "cli.h"
#include "cmds.h"
#include "help.h"

/* OpenMP threads wait passively (issue 16).  By default libgomp keeps an
 * idle thread spinning for up to ~3 ms (GOMP_SPINCOUNT 300000) at every
 * barrier and after every parallel region; on a loaded machine the spinning
 * thread takes the core the working one needs (2 threads ran at 0.43x of
 * 1).  libgomp reads OMP_WAIT_POLICY and GOMP_SPINCOUNT once, in its
 * constructor, before main; setting them from .preinit_array is undone by
 * libc's own initialisation (it resets environ), so, when the user set
 * neither, fianza executes itself again once with OMP_WAIT_POLICY=passive
 * (a millisecond).  Not under valgrind, whose tool /proc/self/exe is; if
 * the exec fails, the run goes on with libgomp's default. */
static void omp_wait_passive(char **argv)
{
    const char *pre = getenv("LD_PRELOAD");
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT") || (pre && strstr(pre, "vgpreload")))
        return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
        execv("/proc/self/exe", argv);
}

/* The commands; their texts (--help, the man page) are in help.c. */
typedef struct command {
    const char *name;
    int (*run)(const cli_opts *);
} command;

static const command commands[] = {{"check", cmd_check},       {"simulate", cmd_simulate}, {"optimize", cmd_optimize},
                                   {"sweep", cmd_sweep},       {"compare", cmd_compare},   {"fit", cmd_fit},
                                   {"budget", cmd_budget}};

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
        help_print_all(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "--help-man") || !strcmp(argv[1], "--help-bash")) {
        if (argc > 2) {
            fprintf(stderr, "fianza: unexpected argument '%s' after %s\n", argv[2], argv[1]);
            return 2;
        }
        if (!strcmp(argv[1], "--version"))
            printf("%s\n", help_version());
        else if (!strcmp(argv[1], "--help-man"))
            help_print_man(stdout);
        else
            help_print_bash(stdout);
        return 0;
    }
    const command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "fianza: unknown command '%s'\n", argv[1]);
        help_print_all(stderr);
        return 2;
    }
    cli_opts o;
    fz_error err = {0, ""};
    int rc = cli_parse(&o, argc, argv, &err);
    if (rc == 0 && o.help) {
        help_print_command(stdout, cmd->name);
    } else if (rc == 0 && o.version) {
        printf("%s\n", help_version());
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
    omp_wait_passive(argv);
    hold_std_fds();
    /* the build runs these two (CMakeLists.txt), outside mpirun: no MPI */
    int docs = argc == 2 && (!strcmp(argv[1], "--help-man") || !strcmp(argv[1], "--help-bash"));
    if (!docs && par_init(&argc, &argv)) {
        fprintf(stderr, "fianza: cannot start MPI\n");
        return 1;
    }
    int rc = run(argc, argv);
    if (!docs)
        par_finalize();
    return close_stdout(rc);
}
