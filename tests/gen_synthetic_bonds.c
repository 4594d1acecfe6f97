/* gen_synthetic_bonds: writes scenarios/data/synthetic_bonds.csv (SYNTHETIC
 * data drawn by fianza's own sampler; see synthetic_bonds.h) to stdout:
 *   build/tests/gen_synthetic_bonds > scenarios/data/synthetic_bonds.csv
 * check_fit checks the shipped file and this output against the process. */
#include <gsl/gsl_errno.h>

#include "synthetic_bonds.h"

int main(void)
{
    gsl_set_error_handler_off();
    return synthetic_bonds_write(stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
}
