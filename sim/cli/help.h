/* help: the text of `fianza --help`, `fianza COMMAND --help`, `--version`,
 * the man page fianza.1 and the bash completion script, all from one place.
 *
 * The texts are two tables in help.c: the commands (synopsis, a one-sentence
 * summary for the top-level list, the description) and the options (argument
 * name and description, optionally per command).  Which options a command
 * takes is not written here: it comes from cli.c's option table
 * (cli_options, cli_option_applies), the same table that parses them, so a
 * command's --help, the man page and the completion list exactly the options
 * that the command accepts, and an option added to cli.c appears in all three
 * (with "(no description)" until help.c's table describes it; the suite
 * check_cli_help fails then).
 *
 * Text is wrapped at HELP_WIDTH columns on spaces; a '\n' in a text starts
 * a new line.  The man page and the completion are printed by hidden options
 * (`fianza --help-man`, `fianza --help-bash`) that CMake runs at build time
 * into build/fianza.1 and build/fianza.bash (installed by `cmake --install`).
 *
 * Ownership: nothing allocated; the tables are static. */
#ifndef FZ_HELP_H
#define FZ_HELP_H

#include <stddef.h>
#include <stdio.h>

#define HELP_WIDTH 80

typedef struct help_command {
    const char *name;
    const char *synopsis;    /* after "usage: " */
    const char *summary;     /* one sentence, for the list of commands */
    const char *description; /* paragraphs ('\n' between them) */
} help_command;

/* The commands, in the order of the top-level help; n set to their count. */
const help_command *help_commands(size_t *n);

/* The argument name of an option ("DIR"; NULL for a flag) and its
 * description for command (NULL: the generic one); "(no description)" when
 * help.c has none. */
const char *help_option_arg(const char *option, const char *command);
const char *help_option_text(const char *option, const char *command);
/* The options of a command, in the order of the help: the command's own
 * first, then the common ones; each appears once.  Returns the count
 * (at most max) and fills names with cli.c's long names. */
size_t help_command_options(const char *command, const char **names, size_t max);

/* "fianza 0.1.0" plus " (git DESCRIBE)" when the build saw a git checkout. */
const char *help_version(void);

void help_print_all(FILE *f);                           /* fianza --help */
int help_print_command(FILE *f, const char *command);   /* -1: no such command */
void help_wrap(FILE *f, const char *text, int col, int indent); /* from column col; continuation at indent */

void help_print_man(FILE *f);  /* fianza.1 in roff (help_man.c) */
void help_print_bash(FILE *f); /* the bash completion script (help_man.c) */

#endif
