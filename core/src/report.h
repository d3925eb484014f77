/* The JSON report of --report (report.c). */
#ifndef FOLIO_REPORT_H
#define FOLIO_REPORT_H

#include "output.h"
#include "run.h"

/* Write the JSON report into of (opened before the run) and commit it.
 * Returns 0 or -1 (reported). */
int report_write(outfile *of, input *ins, size_t n, diags *global);

#endif
