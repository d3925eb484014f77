/* haru.c - every use of libharu 2.3.0's private structures, behind the
 * small functions of haru.h.  libharu installs its internal headers
 * (hpdf_doc.h, hpdf_pages.h, hpdf_font.h, hpdf_fontdef.h, hpdf_objects.h,
 * hpdf_streams.h) and hpdf.h includes them, but the fields read or
 * written here are not an interface: each use, and the public API it
 * stands in for, is listed here so that a new libharu can be checked
 * against it (and the version test below widened).
 *
 *   doc->mmgr, doc->xref      the memory manager and cross-reference table
 *                             that libharu's object functions take: there
 *                             is no getter, and pdf_dest, link actions,
 *                             the fonts and their streams are made with them.
 *   doc->page_list            the number of pages: no HPDF_GetPageCount.
 *   doc->catalog              the catalog, given a structure tree, /Lang,
 *                             /MarkInfo and /Metadata (tag.c): no getter.
 *   doc->pdf_version          1.7 for a tagged PDF: no setter (libharu
 *                             raises it only for its own features).
 *   doc->stream               HPDF_SaveToStream writes into it; set to a
 *                             callback writer because HPDF_SaveToFile never
 *                             checks fclose (a lost last buffer) and there
 *                             is no public way to save through a callback.
 *   stream->attr, ->error, ->free_fn   a callback stream's user data, its
 *                             error, and freeing that data with it:
 *                             HPDF_CallbackReader_New/Writer_New take the
 *                             data but give no accessor or destructor.
 *   page->attr->stream        writing Tm and Tj operators straight into a
 *                             page's contents: HPDF_Page_SetTextMatrix
 *                             writes six reals to five decimals and
 *                             HPDF_Page_ShowText measures the text again
 *                             and writes it in hex; and marked content
 *                             (BDC, EMC), which libharu has no call for.
 *   page->attr->contents      the contents object, deflated by embed.c on
 *                             two threads: libharu deflates on one, at a
 *                             fixed level, with no way to hand it bytes
 *                             already deflated.
 *   dict->stream, ->filter, ->write_fn   the same for the fonts' streams
 *                             (their bytes read, replaced by deflated ones
 *                             and /Filter written by us).
 *   dict->write_fn, ->attr, obj->header.obj_id   the structure tree's
 *                             dictionaries written by tag.c in one piece
 *                             (their references by object number): made
 *                             of libharu objects they took 40 % more
 *                             bytes and most of the time tagging costs.
 *   font->attr (HPDF_FontAttr)   the font's definition, CIDFont dictionary
 *                             and CIDToGIDMap stream: HPDF_GetFont builds
 *                             all of them for the whole BMP (a 200 KB
 *                             widths array for a Han face) and no call
 *                             gives them; pdf_type0_font builds the Type0
 *                             font itself, as libharu's CID font code does
 *                             (text_width_fn, measure_text_fn, free_fn).
 *   fontdef fields (descriptor, flags, font_bbox, ascent, ...)
 *                             the FontDescriptor of the subset embedded by
 *                             embed.c: libharu's BeforeWrite would embed
 *                             the whole face.
 *   ttfontdef attr: glyph_tbl.flgs, num_glyphs, base_font
 *                             the glyphs drawn, marked for the subset:
 *                             libharu marks them only in its own
 *                             MeasureText/ShowText (not used: they cut
 *                             UTF-8 and measure again).
 *   ttfontdef attr: cmap      a flat table lent as the cmap: libharu scans
 *                             every cmap segment per lookup, 65,536 times
 *                             when it makes a font.
 *   ttfontdef attr: h_metric, glyph_tbl.offsets, name_tbl, offset_tbl
 *                             a face parsed once per process and copied
 *                             into each document: HPDF_FontDef belongs to
 *                             one HPDF_Doc and has no copy function.
 */
#include "haru.h"

#include "pdf.h"

#include <hpdf_version.h>

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3
#error                                                                         \
    "plugins/pdf/haru.c uses libharu 2.3.x's private structures; this libharu is another version: check each use listed in haru.c against its headers, then change this test"
#endif

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- documents */

HPDF_MMgr haru_mmgr(HPDF_Doc doc)
{
    return doc->mmgr;
}

HPDF_Xref haru_xref(HPDF_Doc doc)
{
    return doc->xref;
}

HPDF_UINT haru_page_count(HPDF_Doc doc)
{
    return doc->page_list->count;
}

HPDF_Dict haru_catalog(HPDF_Doc doc)
{
    return doc->catalog;
}

void haru_pdf17(HPDF_Doc doc)
{
    doc->pdf_version = HPDF_VER_17;
}

HPDF_STATUS haru_save(HPDF_Doc doc, HPDF_Stream_Write_Func write, void *user)
{
    /* HPDF_SaveToStream writes into doc->stream: ours, not a memory one. */
    if (doc->stream) HPDF_Stream_Free(doc->stream);
    doc->stream = HPDF_CallbackWriter_New(doc->mmgr, write, user);
    HPDF_STATUS rc =
        doc->stream ? HPDF_SaveToStream(doc) : HPDF_FAILD_TO_ALLOC_MEM;
    if (doc->stream) HPDF_Stream_Free(doc->stream);
    doc->stream = NULL;
    return rc;
}

/* ------------------------------------------------------------ streams */

/* A zero-copy libharu stream over a mapped font file. */
typedef struct memsrc {
    const unsigned char *data;
    size_t size, pos;
} memsrc;

static HPDF_STATUS src_read(HPDF_Stream s, HPDF_BYTE *buf, HPDF_UINT *len)
{
    memsrc *m = s->attr;
    size_t n = m->size - m->pos < *len ? m->size - m->pos : *len;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    if (n < *len) {
        memset(buf + n, 0, *len - n);
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

static void src_free(HPDF_Stream s)
{
    free(s->attr);
}

HPDF_Stream haru_mem_reader(HPDF_MMgr mm, const unsigned char *data,
                            size_t size)
{
    memsrc *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->data = data;
    m->size = size;
    HPDF_Stream s =
        HPDF_CallbackReader_New(mm, src_read, src_seek, src_tell, src_size, m);
    if (!s) {
        free(m);
        return NULL;
    }
    s->free_fn = src_free;
    return s;
}

void *haru_stream_user(HPDF_Stream s)
{
    return s->attr;
}

HPDF_STATUS haru_stream_fail(HPDF_Stream s, HPDF_STATUS err, HPDF_STATUS detail)
{
    return HPDF_SetError(s->error, err, detail);
}

HPDF_Stream haru_page_stream(HPDF_Page page)
{
    HPDF_PageAttr a = page->attr;
    return a->stream;
}

HPDF_Dict haru_page_contents(HPDF_Page page)
{
    HPDF_PageAttr pa = page ? page->attr : NULL;
    return pa && pa->contents && pa->contents->filter != HPDF_STREAM_FILTER_NONE
               ? pa->contents
               : NULL;
}

HPDF_Stream haru_mem_stream(HPDF_Dict dict)
{
    HPDF_Stream s = dict->stream;
    return s && s->type == HPDF_STREAM_MEMORY ? s : NULL;
}

void haru_dict_body(HPDF_Dict dict, HPDF_Dict_OnWriteFunc write, void *user)
{
    dict->write_fn = write;
    dict->attr = user;
}

void *haru_dict_user(HPDF_Dict dict)
{
    return dict->attr;
}

unsigned haru_obj_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

int haru_stream_replace(HPDF_Dict dict, const void *data, size_t len)
{
    HPDF_MemStream_FreeData(dict->stream);
    if (HPDF_Stream_Write(dict->stream, data, (HPDF_UINT)len) != HPDF_OK)
        return -1;
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_filter;
    return 0;
}

/* A new stream object holding bytes of ours. */
static HPDF_Dict new_stream(HPDF_Doc doc, const void *data, size_t len)
{
    HPDF_Dict d = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (!d || HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    return d;
}

/* -------------------------------------------------------------- fonts */

HPDF_FontDef haru_font_def(HPDF_Font font)
{
    HPDF_FontAttr fa = font->attr;
    return fa->fontdef;
}

const char *haru_fontdef_name(HPDF_FontDef def)
{
    return def->base_font;
}

unsigned char *haru_glyph_flags(HPDF_FontDef def, unsigned *n)
{
    HPDF_TTFontDefAttr ta = def->attr;
    *n = ta->num_glyphs;
    return ta->glyph_tbl.flgs;
}

int haru_font_embeddable(HPDF_Font font)
{
    HPDF_FontAttr fa = font->attr;
    HPDF_FontDef def = fa->fontdef;
    return def->type == HPDF_FONTDEF_TYPE_TRUETYPE && !def->descriptor &&
           fa->map_stream && fa->descendant_font;
}

HPDF_Dict haru_font_cidfont(HPDF_Font font)
{
    HPDF_FontAttr fa = font->attr;
    return fa->descendant_font;
}

HPDF_Dict haru_font_map(HPDF_Font font)
{
    HPDF_FontAttr fa = font->attr;
    return fa->map_stream;
}

HPDF_Dict haru_font_file(HPDF_Font font)
{
    HPDF_FontAttr fa = font->attr;
    return HPDF_Dict_GetItem(fa->fontdef->descriptor, "FontFile2",
                             HPDF_OCLASS_DICT);
}

int haru_font_descriptor(HPDF_Doc doc, HPDF_Font font,
                         const unsigned char *face, size_t size)
{
    HPDF_FontAttr fa = font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr ta = def->attr;
    HPDF_MMgr mm = doc->mmgr;
    HPDF_STATUS ret;
    HPDF_Dict d = HPDF_Dict_New(mm);
    if (!d || HPDF_Xref_Add(doc->xref, d) != HPDF_OK) return -1;
    HPDF_Dict file = new_stream(doc, face, size);
    if (!file) return -1;
    ret = HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)size);
    ret += HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(d, "FontName", ta->base_font);
    /* Symbolic, not Nonsymbolic: these faces go beyond Latin. */
    ret +=
        HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)((def->flags & ~32u) | 4u));
    ret += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
    ret += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
    ret += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
    ret += HPDF_Dict_AddNumber(d, "Descent", def->descent);
    /* libharu does not read the face's cap height; the ascent stands in
     * (a viewer uses it only to fake a missing font). */
    ret += HPDF_Dict_AddNumber(d, "CapHeight",
                               def->cap_height ? def->cap_height : def->ascent);
    ret += HPDF_Dict_AddNumber(d, "StemV", def->stemv);
    ret += HPDF_Dict_Add(d, "FontFile2", file);
    if (ret != HPDF_OK) return -1;
    def->descriptor = d; /* libharu's BeforeWrite (its fonts) makes none */
    if (!font->before_write_fn &&
        HPDF_Dict_Add(fa->descendant_font, "FontDescriptor", d) != HPDF_OK)
        return -1;
    font->filter = HPDF_STREAM_FILTER_NONE;
    return 0;
}

static void free_attr(HPDF_Dict font)
{
    if (font->attr) HPDF_FreeMem(font->mmgr, font->attr);
}

/* Text is written by pdf_show, never measured through the font. */
static HPDF_TextWidth no_width(HPDF_Font font, const HPDF_BYTE *text,
                               HPDF_UINT len)
{
    (void)font, (void)text, (void)len;
    HPDF_TextWidth w = {0, 0, 0, 0};
    return w;
}

static HPDF_UINT no_measure(HPDF_Font font, const HPDF_BYTE *text,
                            HPDF_UINT len, HPDF_REAL width, HPDF_REAL size,
                            HPDF_REAL cs, HPDF_REAL ws, HPDF_BOOL wrap,
                            HPDF_REAL *real)
{
    (void)font, (void)text, (void)width, (void)size, (void)cs, (void)ws;
    (void)wrap;
    if (real) *real = 0;
    return len;
}

HPDF_Font pdf_type0_font(pdf_ctx *c, HPDF_FontDef def)
{
    HPDF_MMgr mm = c->doc->mmgr;
    HPDF_Xref xref = c->doc->xref;
    HPDF_TTFontDefAttr ta = def->attr;
    HPDF_Dict font = HPDF_Dict_New(mm), cid = HPDF_Dict_New(mm);
    if (!font || HPDF_Xref_Add(xref, font) != HPDF_OK) {
        if (cid) HPDF_Dict_Free(cid);
        return NULL; /* (libharu frees what it fails to add) */
    }
    if (!cid || HPDF_Xref_Add(xref, cid) != HPDF_OK) return NULL;
    HPDF_FontAttr attr = HPDF_GetMem(mm, sizeof *attr);
    if (!attr) return NULL;
    memset(attr, 0, sizeof *attr);
    font->header.obj_class |= HPDF_OSUBCLASS_FONT;
    font->attr = attr;
    font->free_fn = free_attr;
    attr->type = HPDF_FONT_TYPE0_TT;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    attr->text_width_fn = no_width;
    attr->measure_text_fn = no_measure;
    attr->fontdef = def;
    attr->encoder = c->utf8;
    attr->xref = xref;
    attr->descendant_font = cid;
    attr->map_stream = HPDF_DictStream_New(mm, xref);
    attr->cmap_stream = HPDF_DictStream_New(mm, xref);
    HPDF_Array kids = HPDF_Array_New(mm), dw2 = HPDF_Array_New(mm);
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!attr->map_stream || !attr->cmap_stream || !kids || !dw2 || !info)
        return NULL;
    /* Codes are CIDs (Identity-H) and CIDs are BMP code points, as with
     * libharu's UTF-8 encoder; names and metrics as libharu writes them. */
    HPDF_STATUS ret = HPDF_Dict_AddName(font, "Type", "Font");
    ret += HPDF_Dict_AddName(font, "Subtype", "Type0");
    ret += HPDF_Dict_AddName(font, "BaseFont", ta->base_font);
    ret += HPDF_Dict_AddName(font, "Encoding", "Identity-H");
    ret += HPDF_Dict_Add(font, "DescendantFonts", kids);
    ret += HPDF_Array_Add(kids, cid);
    ret += HPDF_Dict_Add(font, "ToUnicode", attr->cmap_stream);
    ret += HPDF_Dict_AddName(cid, "Type", "Font");
    ret += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    ret += HPDF_Dict_AddName(cid, "BaseFont", ta->base_font);
    ret += HPDF_Dict_AddNumber(cid, "DW", def->missing_width);
    ret += HPDF_Dict_Add(cid, "DW2", dw2);
    ret += HPDF_Array_AddNumber(dw2, (HPDF_INT32)def->font_bbox.bottom);
    ret += HPDF_Array_AddNumber(
        dw2, (HPDF_INT32)(def->font_bbox.bottom - def->font_bbox.top));
    ret += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    ret +=
        HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
    ret += HPDF_Dict_Add(cid, "CIDToGIDMap", attr->map_stream);
    return ret == HPDF_OK ? font : NULL;
}

/* ------------------------------------------ face definitions and cmaps */

/* libharu 2.3.0 finds a glyph by scanning every cmap segment: 65,536
 * times when it makes a font, and once per character drawn.  A font's
 * lookups become one segment over a flat table (built once per process
 * from the parsed cmap, exactly as HPDF_TTFontDef_GetGlyphid reads it:
 * the first segment whose end is >= the code decides); the embedded font
 * has a cmap of its own (subset.c). */
static uint16_t *gid_table(const HPDF_TTF_CmapRange *m)
{
    uint16_t *t = calloc(0x10000, sizeof *t);
    if (!t) return NULL;
    unsigned segs = m->seg_count_x2 / 2;
    long done = -1; /* codes up to here belong to an earlier segment */
    for (unsigned i = 0; i < segs && done < 0xFFFF; i++) {
        long end = m->end_count[i];
        for (long u = done + 1; u <= end; u++) {
            if (m->start_count[i] > u) continue;
            if (m->id_range_offset[i] == 0) {
                t[u] = (uint16_t)(u + m->id_delta[i]);
            } else {
                long idx = m->id_range_offset[i] / 2 + (u - m->start_count[i]) -
                           (long)(segs - i);
                if (idx >= 0 && idx < (long)m->glyph_id_array_count)
                    t[u] = (uint16_t)(m->glyph_id_array[idx] + m->id_delta[i]);
            }
        }
        if (end > done) done = end;
    }
    return t;
}

/* Give a parsed cmap the one segment over the process's table of glyphs,
 * lent: pdf_fonts_unlend() takes the table back before the document is
 * freed (libharu would free it; copying 128 KB a face per document cost
 * more than the rest of loading a kept face).  Returns 0, or -1 with the
 * cmap unchanged. */
static int flat_cmap(HPDF_MMgr mm, HPDF_TTF_CmapRange *m, const uint16_t *gids)
{
    HPDF_UINT16 *end = HPDF_GetMem(mm, sizeof *end);
    HPDF_UINT16 *start = HPDF_GetMem(mm, sizeof *start);
    HPDF_INT16 *delta = HPDF_GetMem(mm, sizeof *delta);
    HPDF_UINT16 *range = HPDF_GetMem(mm, sizeof *range);
    if (!end || !start || !delta || !range) {
        HPDF_UINT16 *p[] = {end, start, (HPDF_UINT16 *)delta, range};
        for (int i = 0; i < 4; i++)
            if (p[i]) HPDF_FreeMem(mm, p[i]);
        return -1;
    }
    *end = 0xFFFF;
    *start = 0;
    *delta = 0;
    *range = 2; /* index = 2 / 2 + code - 1 = code */
    HPDF_UINT16 *old[] = {m->end_count, m->start_count,
                          (HPDF_UINT16 *)m->id_delta, m->id_range_offset,
                          m->glyph_id_array};
    for (int i = 0; i < 5; i++)
        if (old[i]) HPDF_FreeMem(mm, old[i]);
    m->format = 4;
    m->end_count = end;
    m->start_count = start;
    m->id_delta = delta;
    m->id_range_offset = range;
    m->glyph_id_array = (HPDF_UINT16 *)(uintptr_t)gids; /* read only */
    m->glyph_id_array_count = 0x10000;
    m->seg_count_x2 = 2;
    return 0;
}

void pdf_fonts_unlend(pdf_ctx *c)
{
    for (int i = 0; i < MAX_FACES; i++) {
        if (c->lent[i]) {
            HPDF_TTFontDefAttr a = c->lent[i]->attr;
            a->cmap.glyph_id_array = NULL;
            c->lent[i] = NULL;
        }
        if (c->donor[i]) { /* its arrays now belong to the kept parse */
            HPDF_TTFontDefAttr a = c->donor[i]->attr;
            a->h_metric = NULL;
            a->glyph_tbl.offsets = NULL;
            a->name_tbl.name_records = NULL;
            a->offset_tbl.table = NULL;
            c->donor[i] = NULL;
        }
    }
}

/* A face's definition as libharu parsed it, once per process: the next
 * documents get a copy (about 0.1 ms) instead of a parse of the file
 * (about 1 ms).  The arrays are those libharu 2.3.0 allocates for a
 * TrueType face (the cmap is the flat one): the first document's, shared
 * while it lives and taken from its definition before libharu frees it
 * (pdf_fonts_unlend).  HPDF_New's memory manager allocates with plain
 * malloc, so free() releases them. */
struct pdf_facedef {
    HPDF_FontDef_Rec def;
    HPDF_TTFontDefAttr_Rec attr;      /* its pointers are the ones below */
    HPDF_TTF_LongHorMetric *h_metric; /* num_glyphs */
    HPDF_UINT32 *offsets;             /* num_glyphs + 1 */
    HPDF_TTF_NameRecord *names;       /* name_tbl.count */
    HPDF_TTFTable *tables;            /* offset_tbl.num_tables */
};

void haru_facedef_free(struct pdf_facedef *t)
{
    if (!t) return;
    free(t->h_metric);
    free(t->offsets);
    free(t->names);
    free(t->tables);
    free(t);
}

struct pdf_facedef *haru_facedef_share(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = def->attr;
    size_t n = a->num_glyphs;
    if (a->char_set || !n || !a->h_metric || !a->glyph_tbl.offsets ||
        !a->offset_tbl.table)
        return NULL; /* not the shape this code knows: parse each time */
    struct pdf_facedef *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->def = *def;
    t->attr = *a;
    t->h_metric = a->h_metric;
    t->offsets = a->glyph_tbl.offsets;
    t->names = a->name_tbl.name_records;
    t->tables = a->offset_tbl.table;
    return t;
}

static void *copy_in(HPDF_MMgr mm, const void *p, size_t n)
{
    void *q = n ? HPDF_GetMem(mm, (HPDF_UINT)n) : NULL;
    if (q) memcpy(q, p, n);
    return q;
}

/* A new definition in this document from the kept one. */
HPDF_FontDef haru_facedef_copy(HPDF_MMgr mm, const struct pdf_facedef *t,
                               HPDF_Stream s)
{
    HPDF_FontDef def = HPDF_TTFontDef_New(mm);
    if (!def) {
        HPDF_Stream_Free(s);
        return NULL;
    }
    HPDF_TTFontDefAttr a = def->attr;
    HPDF_Error err = def->error;
    *def = t->def;
    def->mmgr = mm;
    def->error = err;
    def->attr = a;
    def->descriptor = NULL;
    def->data = NULL;
    *a = t->attr;
    memset(&a->cmap, 0, sizeof a->cmap); /* the flat one comes next */
    a->stream = s;
    size_t n = a->num_glyphs;
    a->h_metric = copy_in(mm, t->h_metric, n * sizeof *a->h_metric);
    a->glyph_tbl.offsets =
        copy_in(mm, t->offsets, (n + 1) * sizeof(HPDF_UINT32));
    a->glyph_tbl.flgs = HPDF_GetMem(mm, (HPDF_UINT)n);
    a->name_tbl.name_records =
        copy_in(mm, t->names, a->name_tbl.count * sizeof *t->names);
    a->offset_tbl.table =
        copy_in(mm, t->tables, a->offset_tbl.num_tables * sizeof *t->tables);
    if (!a->h_metric || !a->glyph_tbl.offsets || !a->glyph_tbl.flgs ||
        !a->offset_tbl.table ||
        (a->name_tbl.count && !a->name_tbl.name_records)) {
        HPDF_FontDef_Free(def); /* frees what was allocated */
        return NULL;
    }
    memset(a->glyph_tbl.flgs, 0, n);
    a->glyph_tbl.flgs[0] = 1; /* .notdef is always embedded */
    return def;
}

uint16_t *haru_gid_table(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = def->attr;
    if (a->cmap.format != 4 || a->cmap.seg_count_x2 < 2) return NULL;
    return gid_table(&a->cmap);
}

int haru_flat_cmap(HPDF_FontDef def, const uint16_t *gids)
{
    HPDF_TTFontDefAttr a = def->attr;
    return flat_cmap(def->mmgr, &a->cmap, gids);
}
