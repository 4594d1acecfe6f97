/* json_guard: finite numbers or explicit nulls in summary.json (json_guard.h). */
#include "json_guard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The marker is an object with this one key: no key fianza writes starts
 * with a control character (scenario names and labels refuse them). */
#define MARKER_KEY "\001fianza:non-finite"

json_t *json_guard_num(double x)
{
    if (isfinite(x))
        return json_real(x);
    return json_pack("{s:s}", MARKER_KEY, isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
}

json_t *json_guard_num_or_null(double x) { return isfinite(x) ? json_real(x) : json_null(); }

json_t *json_guard_pair_or_null(double lo, double hi)
{
    return isfinite(lo) && isfinite(hi) ? json_pack("[f, f]", lo, hi) : json_null();
}

static int is_marker(const json_t *v)
{
    return json_is_object(v) && json_object_size(v) == 1 && json_object_get(v, MARKER_KEY);
}

/* Depth-first; path holds the dotted key path of v (truncated if long). */
static int walk(const json_t *v, char *path, size_t len, size_t size, const char *name, fz_error *err)
{
    if (is_marker(v) || (json_is_real(v) && !isfinite(json_real_value(v)))) {
        const char *what = is_marker(v) ? json_string_value(json_object_get(v, MARKER_KEY)) : "nan";
        return fz_fail(err, FZ_ERUNTIME, "%s: %s is not a finite number (%s): an internal error, nothing was written",
                       name, len ? path : "(the document)", what ? what : "?");
    }
    if (json_is_object(v)) {
        const char *key;
        const json_t *child;
        json_object_foreach((json_t *)v, key, child)
        {
            int n = snprintf(path + len, size - len, "%s%s", len ? "." : "", key);
            size_t next = n < 0 ? len : len + (size_t)n < size ? len + (size_t)n : size - 1;
            if (walk(child, path, next, size, name, err))
                return FZ_ERUNTIME;
            path[len] = '\0';
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            int n = snprintf(path + len, size - len, "[%zu]", i);
            size_t next = n < 0 ? len : len + (size_t)n < size ? len + (size_t)n : size - 1;
            if (walk(json_array_get(v, i), path, next, size, name, err))
                return FZ_ERUNTIME;
            path[len] = '\0';
        }
    }
    return 0;
}

int json_guard_check(const json_t *doc, const char *name, fz_error *err)
{
    if (!doc)
        return fz_fail(err, FZ_ERUNTIME, "%s: could not build the JSON document", name);
    char path[512] = "";
    return walk(doc, path, 0, sizeof path, name, err);
}
