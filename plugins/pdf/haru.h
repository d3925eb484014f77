/* haru.h - small functions over libharu 2.3.0's private structures, all
 * in haru.c: no other file of the plugin dereferences a libharu object
 * (haru.c's header says why each use is needed).  Exported libharu
 * functions (HPDF_Dict_*, HPDF_Array_*, HPDF_Stream_*, HPDF_TTFontDef_*)
 * are called where they are used. */
#ifndef FOLIO_PDF_HARU_H
#define FOLIO_PDF_HARU_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------- documents */

/* The document's memory manager and cross-reference table, for the
 * objects made with libharu's object functions. */
HPDF_MMgr haru_mmgr(HPDF_Doc doc);
HPDF_Xref haru_xref(HPDF_Doc doc);
/* Pages in the document (HPDF_GetPageByIndex reads them). */
HPDF_UINT haru_page_count(HPDF_Doc doc);
/* The document's catalog dictionary. */
HPDF_Dict haru_catalog(HPDF_Doc doc);
/* Write the document as PDF 1.7 (a tagged PDF/UA-1 file). */
void haru_pdf17(HPDF_Doc doc);
/* Save the document through a callback writer: write(user's stream) gets
 * every byte.  Returns HPDF_OK or an error. */
HPDF_STATUS haru_save(HPDF_Doc doc, HPDF_Stream_Write_Func write, void *user);

/* ------------------------------------------------------------ streams */

/* A zero-copy stream reading size bytes at data (which must outlive it);
 * freed with the stream (the font definition reading it owns it). */
HPDF_Stream haru_mem_reader(HPDF_MMgr mm, const unsigned char *data,
                            size_t size);
/* The user pointer of a callback stream. */
void *haru_stream_user(HPDF_Stream s);
/* Record an error on a stream (for a callback to return). */
HPDF_STATUS haru_stream_fail(HPDF_Stream s, HPDF_STATUS err,
                             HPDF_STATUS detail);
/* The page's content stream, where operators are written. */
HPDF_Stream haru_page_stream(HPDF_Page page);
/* The page's contents object while libharu would still deflate it. */
HPDF_Dict haru_page_contents(HPDF_Page page);
/* A stream object's stream when it is held in memory, else NULL. */
HPDF_Stream haru_mem_stream(HPDF_Dict dict);
/* Replace a memory stream object's bytes with len bytes already
 * deflated: libharu copies them and writes /Filter /FlateDecode.
 * Returns 0 or -1. */
int haru_stream_replace(HPDF_Dict dict, const void *data, size_t len);

/* A dictionary whose entries write(dict, stream) writes between << and
 * >> (after any added with HPDF_Dict_*), with user kept for it. */
void haru_dict_body(HPDF_Dict dict, HPDF_Dict_OnWriteFunc write, void *user);
void *haru_dict_user(HPDF_Dict dict);
/* The object number of an indirect object (a page, an annotation, a
 * dictionary given to HPDF_Xref_Add), for a reference "N 0 R". */
unsigned haru_obj_id(const void *obj);

/* -------------------------------------------------------------- fonts */

HPDF_FontDef haru_font_def(HPDF_Font font);
/* The font's PostScript name (with the subset tag once set). */
const char *haru_fontdef_name(HPDF_FontDef def);
/* The flags of glyphs to embed (one byte per glyph, *n of them). */
unsigned char *haru_glyph_flags(HPDF_FontDef def, unsigned *n);
/* 1 when the font is a TrueType Type0 font made by pdf_type0_font or
 * HPDF_GetFont and not yet given a descriptor. */
int haru_font_embeddable(HPDF_Font font);
/* The font's CIDFontType2 dictionary and its CIDToGIDMap stream. */
HPDF_Dict haru_font_cidfont(HPDF_Font font);
HPDF_Dict haru_font_map(HPDF_Font font);
/* The FontFile2 stream of the font's descriptor, or NULL. */
HPDF_Dict haru_font_file(HPDF_Font font);
/* Give the font a FontDescriptor (metrics from its definition) whose
 * FontFile2 holds size bytes of a face; the font is written unfiltered
 * (its streams are deflated by embed.c).  Returns 0 or -1. */
int haru_font_descriptor(HPDF_Doc doc, HPDF_Font font,
                         const unsigned char *face, size_t size);

/* A flat glyph table (65,536 entries, malloc'd) from the definition's
 * format 4 cmap, or NULL when it has none. */
uint16_t *haru_gid_table(HPDF_FontDef def);
/* Lend the definition's cmap the flat table gids (taken back by
 * pdf_fonts_unlend).  Returns 0, or -1 with the cmap unchanged. */
int haru_flat_cmap(HPDF_FontDef def, const uint16_t *gids);

/* A face's parse kept for the process: its arrays taken from def
 * (shared while def's document lives), NULL when def has a shape this
 * code does not know; a copy into another document; freed. */
struct pdf_facedef *haru_facedef_share(HPDF_FontDef def);
HPDF_FontDef haru_facedef_copy(HPDF_MMgr mm, const struct pdf_facedef *t,
                               HPDF_Stream s);
void haru_facedef_free(struct pdf_facedef *t);

#endif /* FOLIO_PDF_HARU_H */
