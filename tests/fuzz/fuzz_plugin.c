/* Fuzz target: a digest through one output plugin (FUZZ_PLUGIN, the path
 * of its .so, fixed at build time). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[64];
    if (!out[0])
        snprintf(out, sizeof out, "/tmp/folio-fuzz-%ld.out", (long)getpid());
    diags dg = {0};
    folio_convert_memory(FUZZ_PLUGIN, (const char *)data, size, out, &dg);
    /* A plugin may refuse an input, but only by saying why. */
    for (size_t i = 0; i < dg.n; i++)
        if (dg.v[i].severity == FOLIO_ERROR && !dg.v[i].msg[0]) abort();
    diags_free(&dg);
    return 0;
}
