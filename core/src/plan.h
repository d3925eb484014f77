/* Planning outputs (plan.c). */
#ifndef FOLIO_PLAN_H
#define FOLIO_PLAN_H

#include "internal.h"

#include <sys/stat.h>

/* One output of the run. */
typedef struct planned {
    const char *path; /* as it will be written */
    char *real;       /* resolved */
    struct stat st;   /* when it exists */
    int exists;
    const char *what; /* "the book", "the report" or "the output" */
    const char *of;   /* the input of an output of -d */
} planned;

/* The digest name of an input (parse.c's rule): the file name without
 * .md or .markdown; "stdin" for -.  Malloc'ed. */
char *plan_name_of(const char *path);
/* Every output of the run (-o/-d files and the report) is checked before
 * anything is written: none may be an input (same inode, or the same
 * resolved path), none may land in a directory given as an input with a
 * name the next run would read, and no two may be the same file.
 * Returns 0, or 2 after one usage error naming both. */
int plan_check(char **args, size_t nargs, char **files, size_t n, planned *q,
               size_t nq);
/* mkdir -p.  Returns 0, or -1 with errno set. */
int plan_make_dirs(const char *dir);

#endif
