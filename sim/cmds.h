/* cmds: one function per fianza command (sim/cmd_<verb>.c), called by main
 * with parsed options.  Each returns an exit status (0, 1 or 2) after
 * printing any error itself; none calls exit(). */
#ifndef FZ_CMDS_H
#define FZ_CMDS_H

#include "cli.h"

int cmd_check(const cli_opts *o);
int cmd_simulate(const cli_opts *o);
int cmd_optimize(const cli_opts *o);
int cmd_compare(const cli_opts *o);
int cmd_sweep(const cli_opts *o);
int cmd_fit(const cli_opts *o);

/* Prints "fianza: message" to stderr and returns the error's exit status. */
int cmd_report_error(const fz_error *err);

#endif
