/* Safe outputs: temporaries renamed into place (output.c). */
#ifndef FOLIO_OUTPUT_H
#define FOLIO_OUTPUT_H

#include "internal.h"

typedef struct outfile {
    char *final; /* where it goes ("-" for stdout) */
    char *dir;   /* the private directory beside it (.NAME.XXXXXX) */
    int dirfd;   /* its descriptor */
    char *name;  /* the temporary file's name in dir */
    char *tmp;   /* the path a path-writing plugin opens */
    int fd;
    int to_stdout; /* stream to stdout or to device */
    int device;    /* fd of an existing non-regular target, or 0 */
    int spool;     /* stdout through tmp (path-writing plugins) */
    int failed;
    folio_buf pending; /* small writes gathered */
} outfile;
/* Block SIGINT, SIGTERM and SIGHUP and start the thread that removes every
 * temporary when one arrives.  Call before any other thread starts. */
void out_guard_start(void);
void out_guard_stop(void);
int out_open(outfile *o, const char *final, diags *dg);
int out_write(outfile *o, const void *buf, size_t len, diags *dg);
int out_commit(outfile *o, diags *dg);
void out_discard(outfile *o);

#endif
