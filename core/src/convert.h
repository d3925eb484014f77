/* folio convert (convert.c). */
#ifndef FOLIO_CONVERT_H
#define FOLIO_CONVERT_H

#include "run.h"

/* Convert the inputs named by paths as o says; returns the exit status. */
int cmd_convert(run_opts *o, char **paths, size_t npaths);

#endif
