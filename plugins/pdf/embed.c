/* embed.c - the document made ready for libharu to write.
 *
 * libharu 2.3.0 would embed each face with full cmap, hmtx and loca
 * tables and a 65,536-entry CIDToGIDMap, then deflate everything on one
 * thread at its fixed level.  Instead, before HPDF_SaveToFile:
 *
 *   1. each face used gets a FontDescriptor whose FontFile2 is the face
 *      cut down to the glyphs drawn (subset.c), and a CIDToGIDMap, a
 *      widths array (W) and a ToUnicode CMap of the characters drawn
 *      (pdf_show marks them);
 *   2. every stream (page contents, the fonts, their maps and ToUnicode
 *      CMaps) is deflated here on NTHREADS threads and handed back to
 *      libharu as unfiltered bytes to copy; the stream's write_fn adds the
 *      /Filter key, which libharu removes from an unfiltered stream.
 *
 * A face read from a file rather than mapped is left to libharu, which
 * embeds it as it always did; a face the subsetter rejects (malformed
 * glyph data) is an error.  libharu is only ever called from the calling
 * thread.
 */
#include "pdf.h"
#include "haru.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { NTHREADS = 2, ZLEVEL = 3 };

/* One stream to deflate: its bytes (chunks of a libharu memory stream,
 * or one buffer of ours) in, a deflated buffer out. */
typedef struct zjob {
    HPDF_Dict dict;
    struct chunk {
        const unsigned char *p;
        size_t len;
    } * chunks;
    size_t nchunks, size;
    unsigned char *out;
    size_t outlen;
} zjob;

typedef struct zqueue {
    zjob *jobs;
    size_t njobs;
    _Atomic size_t next;
} zqueue;

/* Deflate one job with a stream made ready by deflateInit or Reset. */
static void deflate_job(z_stream *z, zjob *j)
{
    uLong bound = deflateBound(z, (uLong)j->size);
    j->out = malloc(bound);
    if (!j->out) return;
    z->next_out = j->out;
    z->avail_out = (uInt)bound;
    int rc = Z_OK;
    for (size_t i = 0; i < j->nchunks && rc == Z_OK; i++) {
        z->next_in = (Bytef *)(uintptr_t)j->chunks[i].p; /* never written */
        z->avail_in = (uInt)j->chunks[i].len;
        rc = deflate(z, Z_NO_FLUSH);
    }
    if (rc == Z_OK) rc = deflate(z, Z_FINISH);
    if (rc == Z_STREAM_END) {
        j->outlen = z->total_out;
    } else {
        free(j->out);
        j->out = NULL;
    }
}

/* One zlib stream per thread, reset between jobs: its 256 KB of state
 * allocated anew for each job cost more in page faults than some jobs'
 * deflating. */
static void *worker(void *arg)
{
    zqueue *q = arg;
    z_stream z = {0};
    if (deflateInit(&z, ZLEVEL) != Z_OK) return NULL; /* jobs left fail */
    for (;;) {
        size_t i = atomic_fetch_add(&q->next, 1);
        if (i >= q->njobs) break;
        deflate_job(&z, &q->jobs[i]);
        deflateReset(&z);
    }
    deflateEnd(&z);
    return NULL;
}

/* Queue a libharu stream for deflating (its memory stays put until the
 * deflated bytes replace it). */
static int queue_stream(zjob *j, HPDF_Dict dict)
{
    memset(j, 0, sizeof *j);
    HPDF_Stream s = haru_mem_stream(dict);
    if (!s) return -1;
    HPDF_UINT n = HPDF_MemStream_GetBufCount(s);
    j->chunks = calloc(n ? n : 1, sizeof *j->chunks);
    if (!j->chunks) return -1;
    for (HPDF_UINT i = 0; i < n; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (!p) break;
        j->chunks[j->nchunks++] = (struct chunk){p, len};
        j->size += len;
    }
    j->dict = dict;
    return 0;
}

/* Replace a stream's bytes with its deflated ones. */
static void replace_stream(pdf_ctx *c, zjob *j)
{
    if (!j->out) {
        c->failed = 1;
        return;
    }
    if (haru_stream_replace(j->dict, j->out, j->outlen) != 0) c->failed = 1;
}

/* The text of the CIDs drawn (flagged in map, 2 bytes each): a ToUnicode
 * CMap.  CIDs are the code points themselves, so each run maps to itself;
 * a bfrange may only vary its last byte, and a block holds at most 100.
 * libharu 2.3.0 writes a CID-keyed CMap there ("begincidrange"), which
 * poppler reports as invalid. */
static int write_tounicode(pdf_ctx *c, HPDF_Stream s, const unsigned char *map,
                           size_t ncid)
{
    const folio_host *h = c->host;
    folio_buf b = {0};
    h->buf_puts(&b,
                "/CIDInit /ProcSet findresource begin\n"
                "12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                "/Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned from[100], to[100];
    int n = 0;
    for (size_t cp = 0; cp <= ncid; cp++) {
        int drawn = cp < ncid && (map[2 * cp] | map[2 * cp + 1]) &&
                    pdf_cid_text(c, (unsigned)cp) == cp; /* not an alias */
        if (drawn && n && cp == to[n - 1] + 1u && cp % 256 != 0) {
            to[n - 1] = (unsigned)cp;
            continue;
        }
        if (n && (n == 100 || cp == ncid)) { /* a block is full, or the end */
            h->buf_printf(&b, "%d beginbfrange\n", n);
            for (int i = 0; i < n; i++)
                h->buf_printf(&b, "<%04X> <%04X> <%04X>\n", from[i], to[i],
                              from[i]);
            h->buf_puts(&b, "endbfrange\n");
            n = 0;
        }
        if (drawn) {
            from[n] = to[n] = (unsigned)cp;
            n++;
        }
    }
    /* Aliases: the code point beyond the BMP, as UTF-16 surrogates. */
    unsigned alias[100];
    n = 0;
    for (size_t cid = ALIAS_CID; cid <= ncid; cid++) {
        int drawn = cid < ncid && (map[2 * cid] | map[2 * cid + 1]) &&
                    pdf_cid_text(c, (unsigned)cid) > 0xFFFF;
        if (drawn) alias[n++] = (unsigned)cid;
        if (n && (n == 100 || cid == ncid)) {
            h->buf_printf(&b, "%d beginbfchar\n", n);
            for (int i = 0; i < n; i++) {
                uint32_t u = pdf_cid_text(c, alias[i]) - 0x10000;
                h->buf_printf(&b, "<%04X> <%04X%04X>\n", alias[i],
                              0xD800 + (unsigned)(u >> 10),
                              0xDC00 + (unsigned)(u & 0x3FF));
            }
            h->buf_puts(&b, "endbfchar\n");
            n = 0;
        }
    }
    h->buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                    "end\nend\n");
    HPDF_MemStream_FreeData(s);
    int rc = HPDF_Stream_Write(s, (const HPDF_BYTE *)b.data,
                               (HPDF_UINT)b.len) == HPDF_OK
                 ? 0
                 : -1;
    h->buf_free(&b);
    return rc;
}

/* Step 1 for one face: FontDescriptor, FontFile2 and CIDToGIDMap.  The
 * streams are left for step 2 (the font's own filter is cleared: libharu
 * copies it onto the map and ToUnicode streams when it writes the font). */
static int embed_face(pdf_ctx *c, int face)
{
    HPDF_Font font = c->dfonts[face];
    HPDF_FontDef def = haru_font_def(font);
    const pdf_face *fc = &c->fonts->faces[face];
    static const uint64_t none[1024]; /* a face measured, never drawn */
    const uint64_t *drawn = c->drawn[face] ? c->drawn[face] : none;
    if (!haru_font_embeddable(font) || fc->mapped != 1)
        return -1; /* not a face of ours: libharu embeds it */
    unsigned nglyphs;
    const unsigned char *flags = haru_glyph_flags(def, &nglyphs);
    pdf_subset_out sub;
    if (pdf_subset(fc->data, fc->size, (unsigned)fc->index, flags, nglyphs,
                   fc->hinted, &sub) != 0) {
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "the font %s (face %d) cannot be embedded: its glyph "
                        "data is malformed (or memory ran out)",
                        fc->path, fc->index);
        c->failed = 1;
        return -1;
    }
    /* From here a failure leaves the font half rewritten: c->failed keeps
     * the document from being saved. */

    /* The map of the CIDs drawn (BMP code points: libharu's UTF-8
     * encoder) to their glyphs in the subset. */
    unsigned char *map = calloc(0x10000, 2);
    size_t maplen = 0;
    if (!map) goto fail;
    for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
        if (!(drawn[cp / 64] >> (cp % 64) & 1)) continue;
        unsigned old = pdf_cid_glyph(c, face, cp); /* aliases resolved */
        unsigned g = old < sub.nglyphs ? sub.newgid[old] : 0;
        if (!g) continue;
        map[2 * cp] = (unsigned char)(g >> 8);
        map[2 * cp + 1] = (unsigned char)g;
        maplen = 2 * (size_t)cp + 2;
    }
    /* Widths of the characters drawn only: libharu lists every CID whose
     * width is not the default, 200 KB of text for a Han face. */
    HPDF_MMgr mm = haru_mmgr(c->doc);
    HPDF_Dict cidfont = haru_font_cidfont(font);
    HPDF_Array widths = HPDF_Array_New(mm), run = NULL;
    HPDF_STATUS ret = HPDF_Dict_Add(cidfont, "W", widths);
    for (unsigned cp = 0; ret == HPDF_OK && cp < maplen / 2; cp++) {
        if (!(map[2 * cp] | map[2 * cp + 1])) {
            run = NULL;
            continue;
        }
        if (!run) {
            ret += HPDF_Array_AddNumber(widths, (HPDF_INT32)cp);
            ret += HPDF_Array_Add(widths, run = HPDF_Array_New(mm));
            if (ret != HPDF_OK || !run) break;
        }
        ret += HPDF_Array_AddNumber(
            run, HPDF_TTFontDef_GetGidWidth(
                     def, (HPDF_UINT16)pdf_cid_glyph(c, face, cp)));
    }
    if (ret != HPDF_OK) goto fail;

    HPDF_Stream ms = haru_mem_stream(haru_font_map(font));
    if (!ms) goto fail;
    HPDF_MemStream_FreeData(ms);
    if (HPDF_Stream_Write(ms, map, (HPDF_UINT)(maplen ? maplen : 2)) != HPDF_OK)
        goto fail;
    HPDF_Dict tounicode =
        HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    HPDF_Stream ts = tounicode ? haru_mem_stream(tounicode) : NULL;
    if (ts) {
        /* libharu's keys describe the CID-keyed CMap it wrote there. */
        const char *keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
        for (int k = 0; k < 4; k++)
            HPDF_Dict_RemoveElement(tounicode, keys[k]);
        if (write_tounicode(c, ts, map, maplen / 2) != 0) goto fail;
    }

    /* libharu names the encoding where the CIDs' ordering belongs. */
    HPDF_Dict info =
        HPDF_Dict_GetItem(cidfont, "CIDSystemInfo", HPDF_OCLASS_DICT);
    if (info && HPDF_Dict_Add(info, "Ordering",
                              HPDF_String_New(mm, "Identity", NULL)) != HPDF_OK)
        goto fail;

    if (haru_font_descriptor(c->doc, font, sub.data, sub.size) != 0) goto fail;
    free(map);
    free(sub.data);
    free(sub.newgid);
    return 0;
fail:
    c->failed = 1;
    free(map);
    free(sub.data);
    free(sub.newgid);
    return -1;
}

static int by_size(const void *a, const void *b)
{
    const zjob *x = a, *y = b;
    return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

int pdf_deflate_now(pdf_ctx *c, HPDF_Dict dict)
{
    zjob j;
    z_stream z = {0};
    if (queue_stream(&j, dict) != 0) return -1;
    if (deflateInit(&z, ZLEVEL) == Z_OK) {
        deflate_job(&z, &j);
        deflateEnd(&z);
    }
    int rc = -1;
    if (j.out) {
        replace_stream(c, &j);
        rc = c->failed ? -1 : 0;
    }
    free(j.out);
    free(j.chunks);
    return rc;
}

void pdf_embed(pdf_ctx *c)
{
    /* Streams: a font's file, map and ToUnicode, and each page's contents. */
    HPDF_UINT npages = haru_page_count(c->doc);
    size_t max = 3 * (size_t)MAX_FACES + npages;
    zjob *jobs = calloc(max ? max : 1, sizeof *jobs);
    size_t n = 0;
    if (!jobs) {
        c->failed = 1;
        return;
    }
    for (int i = 0; i < MAX_FACES && !c->failed; i++) {
        if (!c->dfonts[i] || embed_face(c, i) != 0) continue;
        HPDF_Dict s[] = {
            haru_font_file(c->dfonts[i]), haru_font_map(c->dfonts[i]),
            HPDF_Dict_GetItem(c->dfonts[i], "ToUnicode", HPDF_OCLASS_DICT)};
        for (int k = 0; k < 3; k++)
            if (s[k] && queue_stream(&jobs[n], s[k]) == 0) n++;
    }
    for (HPDF_UINT i = 0; i < npages && !c->failed; i++) {
        HPDF_Dict contents = haru_page_contents(HPDF_GetPageByIndex(c->doc, i));
        if (contents && queue_stream(&jobs[n], contents) == 0) n++;
    }
    /* Largest first, so the threads finish together. */
    qsort(jobs, n, sizeof *jobs, by_size);
    zqueue q = {jobs, n, 0};
    pthread_t th[NTHREADS - 1];
    int started = 0;
    for (int t = 0; t < NTHREADS - 1 && !c->failed && n > 1; t++)
        if (pthread_create(&th[t], NULL, worker, &q) == 0) started++;
    worker(&q);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    for (size_t i = 0; i < n; i++) {
        if (!c->failed) replace_stream(c, &jobs[i]);
        free(jobs[i].out);
        free(jobs[i].chunks);
    }
    free(jobs);
}
