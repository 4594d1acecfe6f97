/* json_guard: numbers in summary.json are finite or an explicit null.
 *
 * jansson cannot hold NaN or infinity: json_real(NAN) returns NULL, a NULL
 * given to json_object_set_new is dropped without a word, and json_pack with
 * "f" fails as a whole.  A non-finite result therefore used to vanish from
 * summary.json (keys missing, exit 0).  Writers build numbers with
 * json_guard_num, which turns a non-finite value into a marker, and
 * summary_write_json calls json_guard_check before writing: a marker (or a
 * missing document) is a runtime error naming the key, and nothing is written.
 * Values that are undefined by design (docs/outputs.md, "Undefined values") use
 * json_guard_num_or_null instead.
 *
 * Ownership: json_guard_num* return new references, as json_real does. */
#ifndef FZ_JSON_GUARD_H
#define FZ_JSON_GUARD_H

#include <jansson.h>
#include <stddef.h>

#include "fz_error.h"

/* A real for a finite x; otherwise the marker that json_guard_check reports. */
json_t *json_guard_num(double x);

/* A real for a finite x; otherwise null (a documented undefined value). */
json_t *json_guard_num_or_null(double x);

/* [lo, hi] when both are finite; otherwise null (an undefined interval). */
json_t *json_guard_pair_or_null(double lo, double hi);

/* 0 if doc exists and holds no marker and no non-finite real; otherwise
 * FZ_ERUNTIME with "NAME: KEY.PATH[i] is not a finite number (nan)". */
int json_guard_check(const json_t *doc, const char *name, fz_error *err);

#endif
