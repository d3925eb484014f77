/* folio check (check.c). */
#ifndef FOLIO_CHECK_H
#define FOLIO_CHECK_H

#include "run.h"

/* Check the inputs named by paths; returns the exit status. */
int cmd_check(run_opts *o, char **paths, size_t npaths);

#endif
