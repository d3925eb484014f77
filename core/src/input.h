/* Inputs: the files a run reads (input.c). */
#ifndef FOLIO_INPUT_H
#define FOLIO_INPUT_H

#include "run.h"

/* Files stay as given; a directory gives its *.md files, sorted.  Returns
 * the number of paths, stored in *out (each malloc'ed). */
size_t input_expand(char **paths, size_t n, char ***out, diags *dg);
/* Copy the digest's summary into in->info. */
void input_set_info(input *in, const folio_digest *d);
void input_free(input *in);
/* Read and parse one input, setting its hash and summary; on failure sets
 * in->failed and returns NULL.  When keep is given the bytes are kept there
 * (and their length in keeplen), otherwise freed. */
folio_doc *input_load(input *in, const char **keep, size_t *keeplen);

#endif
