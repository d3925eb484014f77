/* Book metadata derived from the digests (book.c). */
#ifndef FOLIO_BOOK_H
#define FOLIO_BOOK_H

#include "run.h"

/* Fill b from the n inputs, the command line winning; strings live in a. */
void book_derive(folio_book *b, input *const *in, size_t n, const run_opts *o,
                 arena *a);

#endif
