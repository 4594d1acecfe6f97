/* Fuzz target: distribution expressions: parse, format, re-parse, sample. */
#include "dist.h"
#include "fuzz_util.h"
#include "rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    dist *d = NULL;
    fz_error err;
    if (dist_parse(&d, text, FZ_FUZZ_DATA_DIR, &err) == 0) {
        static gsl_rng *r;
        if (!r)
            r = rng_new();
        rng_seed(r, 1, 1, 1, 1);
        for (int i = 0; i < 16; i++) {
            double x = dist_sample(d, r);
            if (!(x >= dist_lower(d) && x <= dist_upper(d)))
                abort(); /* a draw outside the support */
        }
        char buf[4096];
        if (dist_format(d, buf, sizeof buf) < (int)sizeof buf) {
            dist *again = NULL;
            if (dist_parse(&again, buf, FZ_FUZZ_DATA_DIR, &err) != 0)
                abort(); /* the canonical form must parse */
            dist_free(again);
        }
        double m;
        dist_mean(d, &m, &err);
    } else if (!err.msg[0]) {
        abort();
    }
    dist_free(d);
    free(text);
    return 0;
}
