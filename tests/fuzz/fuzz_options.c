/* Fuzz target: the command line (getopt_long), --set overrides and
 * --allocation strings.  Input: NUL-separated arguments. */
#include <getopt.h>

#include "cli.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_string(data, size);
    char *argv[66] = {"fianza"};
    int argc = 1;
    for (size_t i = 0; i <= size && argc < 64;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    cli_opts o;
    fz_error err;
    if (cli_parse(&o, argc, argv, &err) == 0 && !o.help) {
        /* the scenario of the corpus, with the fuzzed --set and --allocation */
        o.scenario_path = FZ_FUZZ_DATA_DIR "/fuzz.ini";
        scenario *s = NULL;
        if (cli_load_scenario(&s, &o, &err) == 0) {
            double alloc[SCENARIO_MAX_REGIONS];
            for (size_t i = 0; i < o.nalloc; i++)
                if (cli_parse_allocation(alloc, s, o.allocations[i], &err) != 0 && !err.msg[0])
                    abort();
            scenario_free(s);
        } else if (!err.msg[0]) {
            abort();
        }
    }
    cli_opts_free(&o);
    free(buf);
    return 0;
}
