/* folio.yaml defaults (config.c). */
#ifndef FOLIO_CONFIG_H
#define FOLIO_CONFIG_H

#include "run.h"

/* Read defaults from path into o; the command line wins.  A missing file is
 * an error only when required.  Returns 0 or -1 (reported in dg). */
int config_load(const char *path, int required, run_opts *o, arena *a,
                diags *dg);

#endif
