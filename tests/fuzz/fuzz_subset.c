/* Fuzz target: the PDF plugin's TrueType subsetter on any bytes, since
 * -O pdf.font can name any file libharu agrees to parse.  A face it
 * accepts must come out as a face it accepts again, all glyphs kept. */
#include "pdf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char some[65536], all[65536];
    if (!all[0])
        for (size_t g = 0; g < sizeof all; g++) {
            some[g] = g % 3 == 0;
            all[g] = 1;
        }
    pdf_subset_out a, b;
    if (pdf_subset(data, size, 0, some, sizeof some, size & 1, &a) != 0) {
        /* ctest replays the installed faces with this set: they must be
         * taken. */
        if (getenv("FUZZ_SUBSET_FONTS") && size > 4 &&
            (memcmp(data, "\0\1\0\0", 4) == 0 || memcmp(data, "ttcf", 4) == 0))
            abort();
        return 0;
    }
    unsigned kept = 0;
    for (unsigned g = 0; g < a.nglyphs; g++)
        if (a.newgid[g] >= kept) kept = a.newgid[g] + 1u;
    if (pdf_subset(a.data, a.size, 0, all, sizeof all, 1, &b) != 0) abort();
    if (b.nglyphs != kept) abort(); /* every glyph of the subset kept */
    for (unsigned g = 0; g < b.nglyphs; g++)
        if (b.newgid[g] != g) abort(); /* and not renumbered */
    free(a.data);
    free(a.newgid);
    free(b.data);
    free(b.newgid);
    return 0;
}
