/* The host: the folio_host table lent to plugins and the running of one
 * plugin into one output (host.c). */
#ifndef FOLIO_HOST_H
#define FOLIO_HOST_H

#include "loader.h"
#include "output.h"
#include "run.h"

/* One plugin run: which plugin writes which book where. */
typedef struct plugin_run {
    const run_opts *opts;
    loaded_plugin *lp;
    const folio_book *book;
    input **inputs;    /* the book's inputs, NULL-terminated, parallel to
                          its digests */
    folio_doc **docs;  /* parsed digests kept in memory, or NULL */
    int docs_on_loan;  /* book mode: release() frees a kept digest */
    const char **data; /* input bytes kept in memory (stdin), or NULL */
    size_t *datalen;
    const char *path; /* the output ("-" for stdout) */
    diags *dg;
    struct folio_image_ctx *images; /* the book's figures, or NULL */
} plugin_run;

/* Run one plugin into one output (committed only when it succeeded).
 * Returns 0 or -1 (reported in r->dg). */
int host_run_plugin(const plugin_run *r);
/* Run the plugin's init() once before anything is read or written, so a
 * bad -O value is one error, not one per output.  Returns 0 or -1. */
int host_init_plugin(const run_opts *o, loaded_plugin *lp, diags *dg);
/* The image context of one book (image.h), from the run's options: one
 * per book (-o) or per input (-d), shared by its outputs and threads. */
struct folio_image_ctx *host_images_new(const run_opts *o);

#endif
