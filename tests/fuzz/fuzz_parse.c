/* Fuzz target: a whole digest, body -> IR, walked by the IR dump. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diags dg = {0};
    folio_doc *doc = folio_parse("fuzz.md", (const char *)data, size, &dg);
    if (doc) {
        folio_buf b = {0};
        ir_dump(&b, &doc->d, 1);
        buf_free(&b);
        folio_doc_free(doc);
    }
    diags_free(&dg);
    return 0;
}
