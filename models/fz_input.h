/* fz_input: open an input file (scenario, CSV) so that reading it ends.
 *
 * Every file fianza reads must be a regular file of bounded size: a FIFO
 * would block (or never end), /dev/zero or a terminal never ends, and a
 * directory is no data.  fz_input_open opens with O_NONBLOCK (so opening a
 * FIFO with no writer returns at once), checks the opened descriptor with
 * fstat (no race between a check and the open), refuses anything but a
 * regular file, and refuses a file larger than the limit given.  Readers
 * still count the bytes they read, since a regular file may grow while it
 * is read; fz_input_line reads one line into a caller's fixed buffer, so a
 * line never costs more memory than that buffer.
 *
 * Ownership: fz_input_open returns a FILE the caller closes with fclose. */
#ifndef FZ_INPUT_H
#define FZ_INPUT_H

#include <stdio.h>
#include <sys/types.h>

#include "fz_error.h"

/* Limits (docs/limits.md). */
#define FZ_INPUT_MAX_SCENARIO (1L << 20)  /* scenario file: 1 MiB */
#define FZ_INPUT_MAX_CSV (256L << 20)     /* empirical / fit CSV: 256 MiB */
#define FZ_INPUT_MAX_CSV_LINE (64L << 10) /* CSV line and field: 64 KiB */

/* Opens path for reading; what names the kind of file in messages ("scenario
 * file", "CSV file").  Returns NULL with err set (FZ_EINPUT) on failure. */
FILE *fz_input_open(const char *path, long max_bytes, const char *what, fz_error *err);

/* Reads one line (with its '\n', if any) into buf, NUL-terminated.
 * Returns the number of bytes stored, 0 at the end of the file, or -1 when
 * the line does not fit in cap - 1 bytes (the rest of it is left unread).
 * Bytes may include NULs: compare the result with strlen to detect them. */
ssize_t fz_input_line(FILE *f, char *buf, size_t cap);

/* Human-readable size of a limit in bytes: "1 MiB", "64 KiB", "256 MiB". */
const char *fz_input_size_name(long bytes, char *buf, size_t size);

#endif
