/* Fuzz target: the PDF plugin's font check (fontcheck.c) on any bytes,
 * since -O pdf.font can name any file.  A face it accepts is then parsed
 * by libharu from memory through the plugin's own stream (haru.c), as
 * fonts.c does, and measured: under ASan that proves the check keeps
 * libharu inside its arrays.  With FUZZ_FONT_FONTS
 * set (ctest over the installed faces), a TrueType face refused aborts. */
#include "haru.h"
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
    (void)err;
    (void)detail;
    (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = pdf_font_check(data, size, 0);
    if (why) {
        if (getenv("FUZZ_FONT_FONTS") && size > 4 &&
            (memcmp(data, "\0\1\0\0", 4) == 0 ||
             memcmp(data, "ttcf", 4) == 0)) {
            fprintf(stderr, "installed face refused: %s\n", why);
            abort();
        }
        return 0;
    }
    HPDF_Doc doc = HPDF_New(on_error, NULL);
    if (!doc) return 0;
    HPDF_MMgr mm = haru_mmgr(doc);
    HPDF_Stream s = haru_mem_reader(mm, data, size);
    HPDF_FontDef def = !s ? NULL
                       : memcmp(data, "ttcf", 4) == 0
                           ? HPDF_TTFontDef_Load2(mm, s, 0, 1)
                           : HPDF_TTFontDef_Load(mm, s, 1);
    if (def) {
        for (unsigned cp = 0; cp < 0x3000; cp += 7)
            HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
        HPDF_TTFontDef_GetCharBBox(def, 'g');
        HPDF_FontDef_Free(def);
    }
    HPDF_Free(doc);
    return 0;
}
