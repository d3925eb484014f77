/* The fuzzing entry point (fuzz.c). */
#ifndef FOLIO_FUZZ_H
#define FOLIO_FUZZ_H

#include "internal.h"

/* Parse data as one digest and run the plugin at plugin_path on it into
 * out.  For the fuzz targets: everything the CLI does for one input,
 * without the CLI.  Returns 0, or -1 with messages in dg. */
int folio_convert_memory(const char *plugin_path, const char *data, size_t len,
                         const char *out, diags *dg);

#endif
