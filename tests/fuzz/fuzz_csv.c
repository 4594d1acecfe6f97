/* Fuzz target: the CSV column reader (quotes, CRLF, BOM, amounts). */
#include "csvcol.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".csv");
    csvcol c;
    fz_error err;
    if (csvcol_read(&c, path, "amount", &err) == 0)
        csvcol_free(&c);
    else if (!err.msg[0])
        abort();
    return 0;
}
