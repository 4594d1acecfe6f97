/* outdir: a results directory written whole or not at all.
 *
 * outdir_begin creates a temporary sibling "DIR.tmp-XXXXXX" (so the final
 * rename stays on one file system) and fails at once if the location is not
 * writable, before any simulation runs.  Files are written into it;
 * outdir_commit renames it to DIR (replacing an older DIR), outdir_abort
 * removes it.  At most one outdir is open at a time: its temporary path is
 * remembered so that a signal handler can remove it (outdir_signal_cleanup).
 *
 * Ownership: outdir_begin returns a handle that outdir_commit or
 * outdir_abort releases (both accept NULL). */
#ifndef FZ_OUTDIR_H
#define FZ_OUTDIR_H

#include <stdio.h>

#include "fz_error.h"

typedef struct outdir outdir;

int outdir_begin(outdir **out, const char *final_path, fz_error *err);

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

/* Async-signal-safe best effort: unlink the files of the open temporary
 * directory and remove it. */
void outdir_signal_cleanup(void);

#endif
