/* cmd_fit_util: shared steps of the two fit commands (cmd_fit_util.h). */
#include "cmd_fit_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dist.h"

int cmd_fit_finish(fit_result *f, const char *path, long line, char *text, char *unusable, size_t size)
{
    unusable[0] = text[0] = '\0';
    if (!f->ok) {
        char reason[sizeof f->reason];
        memcpy(reason, f->reason, sizeof reason);
        snprintf(f->reason, sizeof f->reason, "%s:%ld: %s", path, line, reason);
        return 0;
    }
    if (!f->converged)
        f->se[0] = f->se[1] = NAN;
    fit_format(f, text, size);
    dist *d = NULL;
    fz_error e2 = {0, ""};
    int ok = dist_parse(&d, text, NULL, &e2) == 0;
    if (!ok)
        snprintf(unusable, size, "%s", e2.msg);
    dist_free(d);
    return ok;
}

void cmd_fit_param_text(const fit_result *f, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int j = 0; j < f->nparams && used < size; j++) {
        char se[32] = "n/a";
        if (isfinite(f->se[j]))
            snprintf(se, sizeof se, f->se[j] >= 10 && f->se[j] < 1e6 ? "%.0f" : "%.2g", f->se[j]); /* 5e299: "5e+299" */
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s %.5g (%s)", j ? ", " : "", f->names[j], f->param[j], se);
    }
}

void cmd_fit_dirname(char *buf, size_t size, const char *outdir, const char *path)
{
    if (outdir) {
        snprintf(buf, size, "%s", outdir);
        return;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && !strcasecmp(base + len - 4, ".csv"))
        len -= 4;
    snprintf(buf, size, "results/%.*s", (int)len, base);
}
