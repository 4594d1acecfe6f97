/* Fuzz target: the scenario loader (INI syntax, keys, values, distributions). */
#include "fuzz_util.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".ini");
    scenario *s = NULL;
    fz_error err;
    if (scenario_load(&s, path, NULL, 0, &err) == 0) {
        FILE *devnull = fopen("/dev/null", "w");
        scenario_print(devnull, s);
        fclose(devnull);
    } else if (!err.msg[0]) {
        abort(); /* every failure must say why */
    }
    scenario_free(s);
    return 0;
}
