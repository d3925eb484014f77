/* Fuzz target: the TeX math converter and both writers.  Besides not
 * crashing, the MathML must be balanced and the output bounded. */
#include "tex.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t s, e;
    int display;
    tex_strip_delims((const char *)data, size, &s, &e, &display);
    if (s > e || e > size) abort();
    folio_tex t;
    tex_parse(&t, (const char *)data + s, e - s);
    folio_buf ml = {0}, txt = {0};
    mathml_write(&ml, &t, display);
    mathtext_write(&txt, &t);
    /* Linear: a bounded blow-up per input byte. */
    if (ml.len > 400 * (size + 64) || txt.len > 40 * (size + 64)) abort();
    /* Every element opened is closed: count tags. */
    long depth = 0;
    for (size_t i = 0; i + 1 < ml.len; i++) {
        if (ml.data[i] != '<') continue;
        if (ml.data[i + 1] == '/')
            depth--;
        else {
            size_t j = i;
            while (j < ml.len && ml.data[j] != '>')
                j++;
            if (j == ml.len) abort();
            if (ml.data[j - 1] != '/') depth++;
        }
        if (depth < 0) abort();
    }
    if (depth != 0) abort();
    buf_free(&ml);
    buf_free(&txt);
    tex_free(&t);
    return 0;
}
