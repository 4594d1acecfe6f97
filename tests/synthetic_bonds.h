/* synthetic_bonds.h: the generator of scenarios/data/synthetic_bonds.csv.
 *
 * SYNTHETIC DATA: no row describes a real person or case.  2,000 rows drawn by
 * fianza's own sampler (dist_sample on an rng_new stream) from the
 * judge-set bond component of scenarios/bond-program-2025.ini,
 *   bond_usd           ~ lognormal(median=2800, sigma=0.8, min=1500)  (whole dollars)
 *   hearing_delay_days ~ gamma(mean=14, sd=7)                           (whole days)
 * seed 20251218, streams 7 (values) and 8 (layout), written the way court
 * exports are: a quoted court name holding a comma, 30% of amounts as
 * "$12,500" (quoted, with a thousands separator), about 3% of amounts and 2%
 * of delays left empty (not yet set).  Used by tests/gen_synthetic_bonds.c
 * (which writes the file) and tests/check_synthetic.c (which checks that the
 * shipped file and this output both have the properties of this process). */
#ifndef FZ_SYNTHETIC_BONDS_H
#define FZ_SYNTHETIC_BONDS_H

#include <math.h>
#include <stdio.h>

#include "dist.h"
#include "rng.h"

/* "12,500" */
static void synthetic_thousands(char *buf, size_t size, long v)
{
    if (v >= 1000)
        snprintf(buf, size, "%ld,%03ld", v / 1000, v % 1000);
    else
        snprintf(buf, size, "%ld", v);
}

/* Writes the CSV to f; returns 0, or -1 if the distributions do not parse. */
static int synthetic_bonds_write(FILE *f)
{
    fz_error err = {0, ""};
    dist *bond = NULL, *delay = NULL;
    if (dist_parse(&bond, "lognormal(median=2800, sigma=0.8, min=1500)", NULL, &err) ||
        dist_parse(&delay, "gamma(mean=14, sd=7)", NULL, &err)) {
        dist_free(bond);
        return -1;
    }
    gsl_rng *values = rng_new(), *layout = rng_new();
    rng_seed(values, 20251218, 7, 0, 0);
    rng_seed(layout, 20251218, 8, 0, 0);
    fprintf(f, "case_id,court,bond_usd,hearing_delay_days\n");
    for (int i = 1; i <= 2000; i++) {
        long b = lround(dist_sample(bond, values)), d = lround(dist_sample(delay, values));
        const char *court = gsl_rng_uniform(layout) < 0.6 ? "Chicago, IL" : "Kansas City, MO";
        double u_fmt = gsl_rng_uniform(layout), u_empty = gsl_rng_uniform(layout), u_delay = gsl_rng_uniform(layout);
        char amount[32], sep[32];
        if (u_empty < 0.03)
            amount[0] = '\0';
        else if (u_fmt < 0.3) {
            synthetic_thousands(sep, sizeof sep, b);
            snprintf(amount, sizeof amount, "\"$%s\"", sep);
        } else
            snprintf(amount, sizeof amount, "%ld", b);
        fprintf(f, "SYN-%04d,\"%s\",%s,", i, court, amount);
        if (u_delay >= 0.02)
            fprintf(f, "%ld", d);
        fprintf(f, "\n");
    }
    gsl_rng_free(values);
    gsl_rng_free(layout);
    dist_free(bond);
    dist_free(delay);
    return 0;
}

#endif
