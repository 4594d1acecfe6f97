/* outdir: a results directory written whole or not at all, and only where
 * fianza may write one.
 *
 * outdir_begin checks -o before any simulation runs and refuses (FZ_EINPUT)
 * what fianza must not replace: an existing directory that is neither empty
 * nor marked as fianza's own (OUTDIR_MARKER), a symbolic link (dangling or
 * not), a non-directory, and any DIR that, resolved with realpath, is or
 * contains the directory of an input (the scenario, a CSV it reads, fit's
 * CSV) or the current directory.  A DIR strictly inside such a directory
 * (results/NAME under the working directory) is fine: replacing it cannot
 * touch the input.  It then creates a temporary sibling "DIR.tmp-XXXXXX"
 * (the final rename stays on one file system) with the umask's permissions
 * and the marker file in it.  Files are written into it; outdir_commit
 * swaps it with DIR in one rename (renameat2 RENAME_EXCHANGE; two renames
 * where the file system lacks it) and deletes the old tree, outdir_abort
 * removes it.
 *
 * Signals: main handles OUTDIR_SIGNALS by calling outdir_signal_cleanup.
 * begin, commit and abort block those signals while they change the
 * directory, so a commit completes whole (and a handler running on another
 * thread waits for it): a signal then finds either the temporary directory
 * (removed: nothing written) or the committed DIR, never half of each.
 *
 * Ownership: outdir_begin returns a handle that outdir_commit or
 * outdir_abort releases (both accept NULL).  At most one is open at a time. */
#ifndef FZ_OUTDIR_H
#define FZ_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

#include "fz_error.h"

/* Written into every results directory; its first line names the format. */
#define OUTDIR_MARKER ".fianza-results"
#define OUTDIR_FORMAT_VERSION 1

/* The signals that main turns into a clean exit 128 + signal. */
#define OUTDIR_SIGNALS                   \
    {                                    \
        SIGINT, SIGTERM, SIGHUP, SIGXFSZ \
    }

typedef struct outdir outdir;

/* inputs: the files the command reads (ninputs of them, each existing). */
int outdir_begin(outdir **out, const char *final_path, const char *const *inputs, size_t ninputs, fz_error *err);

/* Full path of `name` inside the temporary directory (static storage of the
 * handle: valid until the next call). */
const char *outdir_file(outdir *o, const char *name);
const char *outdir_final(const outdir *o);

/* Opens name for writing inside the directory; errors name the file. */
FILE *outdir_open(outdir *o, const char *name, fz_error *err);
/* Closes f, reporting write errors (disk full) as FZ_ERUNTIME. */
int outdir_close(FILE *f, const char *name, fz_error *err);

int outdir_commit(outdir *o, fz_error *err);
void outdir_abort(outdir *o);

/* For a signal handler (async-signal-safe): removes the open temporary
 * directory, waiting first for a commit or abort in progress on another
 * thread.  Returns the committed DIR when the results were moved into place
 * by this process, NULL when no results were written. */
const char *outdir_signal_cleanup(void);

/* Removes the tree at path with openat/unlinkat in constant memory (no path
 * is built, so any depth works; symbolic links are removed, not followed).
 * Async-signal-safe.  Returns 0, or -1 when something could not be removed. */
int outdir_remove_tree(const char *path);

#endif
