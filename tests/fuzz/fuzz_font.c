/* Fuzz target: the PDF plugin's font check (fontcheck.c) on any bytes,
 * since -O pdf.font can name any file.  A face it accepts is then parsed
 * by libharu from memory, as fonts.c does, and measured: under ASan that
 * proves the check keeps libharu inside its arrays.  With FUZZ_FONT_FONTS
 * set (ctest over the installed faces), a TrueType face refused aborts. */
#include "pdf.h"

#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memsrc {
    const uint8_t *data;
    size_t size, pos;
} memsrc;

static HPDF_STATUS src_read(HPDF_Stream s, HPDF_BYTE *buf, HPDF_UINT *len)
{
    memsrc *m = s->attr;
    size_t n = m->size - m->pos < *len ? m->size - m->pos : *len;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    if (n < *len) {
        *len = (HPDF_UINT)n;
        return HPDF_STREAM_EOF;
    }
    return HPDF_OK;
}

static HPDF_STATUS src_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode w)
{
    memsrc *m = s->attr;
    long long to = w == HPDF_SEEK_CUR   ? (long long)m->pos + pos
                   : w == HPDF_SEEK_END ? (long long)m->size + pos
                                        : pos;
    if (to < 0 || (size_t)to > m->size)
        return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    m->pos = (size_t)to;
    return HPDF_OK;
}

static HPDF_INT32 src_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((memsrc *)s->attr)->pos;
}

static HPDF_UINT32 src_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((memsrc *)s->attr)->size;
}

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
    memsrc m = {data, size, 0};
    HPDF_Stream s = HPDF_CallbackReader_New(doc->mmgr, src_read, src_seek,
                                            src_tell, src_size, &m);
    HPDF_FontDef def = !s ? NULL
                       : memcmp(data, "ttcf", 4) == 0
                           ? HPDF_TTFontDef_Load2(doc->mmgr, s, 0, 1)
                           : HPDF_TTFontDef_Load(doc->mmgr, s, 1);
    if (def) {
        for (unsigned cp = 0; cp < 0x3000; cp += 7)
            HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
        HPDF_TTFontDef_GetCharBBox(def, 'g');
        HPDF_FontDef_Free(def);
    }
    HPDF_Free(doc);
    return 0;
}
