/* fianza check: validate a scenario and print it with every default. */
#include <stdio.h>

#include "cmds.h"

int cmd_check(const cli_opts *o)
{
    scenario *s;
    fz_error err = {0, ""};
    if (cli_load_scenario(&s, o, &err))
        return cmd_report_error(&err);
    scenario_print(stdout, s);
    scenario_free(s);
    return 0;
}
