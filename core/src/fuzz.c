/* The fuzzing entry point: one digest in memory through one plugin.  The
 * loaded plugin is kept between calls (static state), as a fuzzer calls
 * this millions of times. */
#include "fuzz.h"

#include "book.h"
#include "host.h"
#include "input.h"

#include <stdlib.h>
#include <string.h>

int folio_convert_memory(const char *plugin_path, const char *data, size_t len,
                         const char *out, diags *dg)
{
    static loaded_plugin lp;
    static char *loaded;
    if (!loaded || strcmp(loaded, plugin_path) != 0) {
        if (loaded) {
            plugin_unload(&lp);
            free(loaded);
            loaded = NULL;
        }
        if (plugin_load(plugin_path, &lp, dg) != 0) return -1;
        pthread_mutex_init(&lp.lock, NULL);
        loaded = strdup(plugin_path);
    }
    folio_doc *doc = folio_parse("fuzz.md", data, len, dg);
    if (!doc) return -1;
    input in = {.path = (char *)"fuzz.md"};
    input_set_info(&in, &doc->d);
    input *list[2] = {&in, NULL};
    folio_doc *docs[2] = {doc, NULL};
    run_opts o = {.jobs = 1};
    arena a = {0};
    folio_book book;
    book_derive(&book, list, 1, &o, &a);
    plugin_run r = {.opts = &o,
                    .lp = &lp,
                    .book = &book,
                    .inputs = list,
                    .docs = docs,
                    .path = out,
                    .dg = dg};
    int rc = host_run_plugin(&r);
    arena_free(&a);
    in.path = NULL;
    input_free(&in);
    folio_doc_free(doc);
    return rc;
}
