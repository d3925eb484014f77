/* folio formats and folio dump (inspect.c). */
#ifndef FOLIO_INSPECT_H
#define FOLIO_INSPECT_H

#include "internal.h"

/* List the plugins found (with their -O options when verbose); returns the
 * exit status. */
int cmd_formats(int verbose);
/* Print the IR of each input; returns the exit status. */
int cmd_dump(char **paths, size_t npaths, int positions);

#endif
