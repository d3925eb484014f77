/* subset.c - a TrueType face cut down to the glyphs a document draws.
 *
 * libharu 2.3.0 embeds a face with every entry of its cmap, hmtx and loca
 * tables (over 200 KB for a Hangul face before one glyph is drawn) and
 * then deflates it: most of a handout's time went there.  This writes a
 * new face holding only the glyphs used, the components of composite ones
 * and .notdef, renumbered from 0 in their old order, with the tables a
 * PDF viewer reads (glyf, head, hhea, hmtx, loca, maxp, and cvt, fpgm and
 * prep when hints are kept) and a one-segment cmap.  A PDF's CIDFontType2 picks
 * glyphs through its CIDToGIDMap, never through the face's cmap.
 *
 * Everything read from the file is bounds-checked: -O pdf.font can name
 * any file libharu agreed to parse.
 */
#include "pdf.h"

#include <stdlib.h>
#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

typedef struct table {
    const unsigned char *p;
    uint32_t len;
} table;

/* A table of the face whose directory starts at dir, or {NULL, 0}. */
static table find(const unsigned char *f, size_t size, size_t dir,
                  const char *tag)
{
    table t = {NULL, 0};
    if (dir > size || size - dir < 12) return t;
    unsigned n = be16(f + dir + 4);
    if ((size - dir - 12) / 16 < n) return t;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = f + dir + 12 + 16 * i;
        if (memcmp(r, tag, 4) != 0) continue;
        uint32_t off = be32(r + 8), len = be32(r + 12);
        if (off <= size && len <= size - off) {
            t.p = f + off;
            t.len = len;
        }
        break;
    }
    return t;
}

/* Where glyph g's outline lies in glyf: [*from, *to). */
static int glyph_range(const table *loca, int long_loca, const table *glyf,
                       unsigned g, uint32_t *from, uint32_t *to)
{
    if (long_loca) {
        if ((uint64_t)(g + 2) * 4 > loca->len) return -1;
        *from = be32(loca->p + 4 * g);
        *to = be32(loca->p + 4 * g + 4);
    } else {
        if ((uint64_t)(g + 2) * 2 > loca->len) return -1;
        *from = 2 * be16(loca->p + 2 * g);
        *to = 2 * be16(loca->p + 2 * g + 2);
    }
    if (*from > *to || *to > glyf->len) return -1;
    return 0;
}

/* Composite glyph flags (the glyf table's component records). */
enum {
    ARGS_ARE_WORDS = 0x0001,
    HAVE_SCALE = 0x0008,
    MORE_COMPONENTS = 0x0020,
    HAVE_XY_SCALE = 0x0040,
    HAVE_2X2 = 0x0080,
    HAVE_INSTRUCTIONS = 0x0100,
};

/* Walk a composite glyph's component records, calling fn (if given) with
 * the offset of each one's glyph index.  Returns the offset just past the
 * last record and sets *last to where that record starts; returns 0 for a
 * simple glyph, or records that run past the glyph's end. */
static uint32_t components(const unsigned char *g, uint32_t len,
                           void (*fn)(uint32_t at, void *arg), void *arg,
                           uint32_t *last)
{
    if (len < 10 || (int16_t)be16(g) >= 0) return 0; /* simple glyph */
    uint32_t p = 10;
    while (len - p >= 4) {
        unsigned flags = be16(g + p);
        if (fn) fn(p + 2, arg);
        if (last) *last = p;
        p += 4 + (flags & ARGS_ARE_WORDS ? 4 : 2);
        p += flags & HAVE_SCALE      ? 2
             : flags & HAVE_XY_SCALE ? 4
             : flags & HAVE_2X2      ? 8
                                     : 0;
        if (p > len) return 0;
        if (!(flags & MORE_COMPONENTS)) return p;
    }
    return 0;
}

/* Gathering the glyphs kept: a component of a kept glyph is kept. */
typedef struct closure {
    const unsigned char *glyph;
    unsigned char *keep;
    unsigned *stack;
    size_t top;
    unsigned nglyphs;
} closure;

static void mark(uint32_t at, void *arg)
{
    closure *c = arg;
    unsigned g = be16(c->glyph + at);
    if (g < c->nglyphs && !c->keep[g]) {
        c->keep[g] = 1;
        c->stack[c->top++] = g;
    }
}

/* Rewriting a copied glyph's components to the new numbers. */
typedef struct renumbering {
    unsigned char *glyph;
    const uint16_t *newgid;
    unsigned nglyphs;
} renumbering;

static void renumber(uint32_t at, void *arg)
{
    renumbering *r = arg;
    unsigned g = be16(r->glyph + at);
    put16(r->glyph + at, g < r->nglyphs ? r->newgid[g] : 0);
}

/* Copy a glyph to out (or only measure it, out NULL).  Without hints,
 * a simple glyph loses its TrueType instructions: 40 % of a Hangul
 * face's outline bytes, which PDF viewers mostly ignore (pdf.js, Preview
 * and poppler draw unhinted).  A composite glyph loses the instructions
 * after its last component (they would call the fpgm left out). */
static uint32_t copy_glyph(unsigned char *out, const unsigned char *g,
                           uint32_t len, int hints)
{
    int nc = len >= 10 ? (int16_t)be16(g) : 0;
    uint32_t last = 0, end = hints ? 0 : components(g, len, NULL, NULL, &last);
    if (end && (be16(g + last) & HAVE_INSTRUCTIONS)) {
        if (out) {
            memcpy(out, g, end);
            put16(out + last, be16(g + last) & ~(unsigned)HAVE_INSTRUCTIONS);
        }
        return end;
    }
    uint32_t head = 10 + 2 * (uint32_t)(nc > 0 ? nc : 0); /* to ins. length */
    if (hints || nc < 0 || len < head + 2 || be16(g + head) > len - head - 2) {
        if (out) memcpy(out, g, len);
        return len;
    }
    uint32_t skip = be16(g + head), rest = len - head - 2 - skip;
    if (out) {
        memcpy(out, g, head);
        put16(out + head, 0);
        memcpy(out + head + 2, g + head + 2 + skip, rest);
    }
    return head + 2 + rest;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += be32(p + i);
    if (i < len) {
        unsigned char last[4] = {0};
        memcpy(last, p + i, len - i);
        sum += be32(last);
    }
    return sum;
}

/* The tables written, in the directory's (sorted) order. */
enum {
    T_CMAP,
    T_CVT,
    T_FPGM,
    T_GLYF,
    T_HEAD,
    T_HHEA,
    T_HMTX,
    T_LOCA,
    T_MAXP,
    T_PREP,
    NTABLES
};
static const char TAGS[NTABLES][5] = {"cmap", "cvt ", "fpgm", "glyf", "head",
                                      "hhea", "hmtx", "loca", "maxp", "prep"};

int pdf_subset(const unsigned char *font, size_t size, unsigned index,
               const unsigned char *used, unsigned nused, int hints,
               pdf_subset_out *out)
{
    memset(out, 0, sizeof *out);
    size_t dir = 0;
    if (size >= 12 && memcmp(font, "ttcf", 4) == 0) {
        if (index >= be32(font + 8) || (size - 12) / 4 <= index) return -1;
        dir = be32(font + 12 + 4 * index);
    }
    table src[NTABLES];
    for (int i = 0; i < NTABLES; i++)
        src[i] = find(font, size, dir, TAGS[i]);
    const table *head = &src[T_HEAD], *hhea = &src[T_HHEA],
                *maxp = &src[T_MAXP], *hmtx = &src[T_HMTX],
                *loca = &src[T_LOCA], *glyf = &src[T_GLYF];
    if (head->len < 54 || hhea->len < 36 || maxp->len < 6 || !hmtx->p ||
        !loca->p || !glyf->p)
        return -1; /* not a TrueType-outline face */
    unsigned nglyphs = be16(maxp->p + 4);
    unsigned nhm = be16(hhea->p + 34);
    int long_loca = be16(head->p + 50) != 0;
    if (!nglyphs || !nhm || nhm > nglyphs || (uint64_t)nhm * 4 > hmtx->len)
        return -1;

    /* The glyphs kept: those drawn, .notdef, and every component. */
    closure cl = {NULL, calloc(nglyphs, 1), malloc(nglyphs * sizeof(unsigned)),
                  0, nglyphs};
    out->newgid = calloc(nglyphs, sizeof *out->newgid);
    if (!cl.keep || !cl.stack || !out->newgid) goto fail;
    cl.keep[0] = 1;
    for (unsigned g = 0; g < nglyphs && g < nused; g++)
        if (used[g] && !cl.keep[g]) {
            cl.keep[g] = 1;
            cl.stack[cl.top++] = g;
        }
    while (cl.top) {
        unsigned g = cl.stack[--cl.top];
        uint32_t from, to;
        if (glyph_range(loca, long_loca, glyf, g, &from, &to) == 0) {
            cl.glyph = glyf->p + from;
            components(cl.glyph, to - from, mark, &cl, NULL);
        }
    }
    unsigned n = 0;
    size_t glyf_len = 0;
    for (unsigned g = 0; g < nglyphs; g++) {
        uint32_t from, to;
        if (!cl.keep[g]) continue;
        out->newgid[g] = (uint16_t)n++;
        if (glyph_range(loca, long_loca, glyf, g, &from, &to) == 0)
            glyf_len +=
                (copy_glyph(NULL, glyf->p + from, to - from, hints) + 3) & ~3u;
    }
    out->nglyphs = nglyphs;
    /* Glyphs kept cannot add up to more than the table they come from,
     * unless loca points several at the same bytes (a broken or hostile
     * face: the copy could run to gigabytes). */
    if (glyf_len > (size_t)glyf->len + 3 * (size_t)n) goto fail;

    /* Sizes and offsets of the new tables. */
    uint32_t len[NTABLES] = {0};
    len[T_CMAP] = 36;
    len[T_CVT] = hints ? src[T_CVT].len : 0; /* the hinting programs */
    len[T_FPGM] = hints ? src[T_FPGM].len : 0;
    len[T_GLYF] = (uint32_t)glyf_len;
    len[T_HEAD] = 54;
    len[T_HHEA] = 36;
    len[T_HMTX] = 4 * n;
    len[T_LOCA] = 4 * (n + 1);
    len[T_MAXP] = maxp->len < 32 ? maxp->len : 32;
    len[T_PREP] = hints ? src[T_PREP].len : 0;
    /* The optional tables are left out when empty; glyf stays even when
     * every glyph kept is (a face needs its glyf). */
    int has[NTABLES], ntables = 0;
    for (int i = 0; i < NTABLES; i++)
        ntables += has[i] = len[i] > 0 || i == T_GLYF;
    uint64_t total = 12 + 16 * (uint64_t)ntables;
    uint32_t off[NTABLES];
    for (int i = 0; i < NTABLES; i++) {
        off[i] = (uint32_t)total;
        total += ((uint64_t)len[i] + 3) & ~(uint64_t)3;
    }
    if (total > UINT32_MAX) goto fail;
    unsigned char *o = calloc(1, (size_t)total);
    if (!o) goto fail;

    /* The tables' contents. */
    unsigned char *t = o + off[T_CMAP]; /* (3,1) format 4, no mapping */
    put16(t + 2, 1);
    put16(t + 4, 3);
    put16(t + 6, 1);
    put32(t + 8, 12);
    t += 12;
    put16(t, 4);
    put16(t + 2, 24);
    put16(t + 6, 2); /* segCountX2 */
    put16(t + 8, 2); /* searchRange */
    put16(t + 14, 0xFFFF);
    put16(t + 18, 0xFFFF);
    put16(t + 20, 1);
    if (len[T_CVT]) memcpy(o + off[T_CVT], src[T_CVT].p, len[T_CVT]);
    if (len[T_FPGM]) memcpy(o + off[T_FPGM], src[T_FPGM].p, len[T_FPGM]);
    if (len[T_PREP]) memcpy(o + off[T_PREP], src[T_PREP].p, len[T_PREP]);
    memcpy(o + off[T_HEAD], head->p, 54);
    put32(o + off[T_HEAD] + 8, 0);  /* checkSumAdjustment, set last */
    put16(o + off[T_HEAD] + 50, 1); /* long loca offsets */
    memcpy(o + off[T_HHEA], hhea->p, 36);
    put16(o + off[T_HHEA] + 34, n);
    memcpy(o + off[T_MAXP], maxp->p, len[T_MAXP]);
    put16(o + off[T_MAXP] + 4, n);
    unsigned char *hm = o + off[T_HMTX], *lo = o + off[T_LOCA];
    unsigned char *gl = o + off[T_GLYF];
    uint32_t at = 0;
    unsigned k = 0;
    for (unsigned g = 0; g < nglyphs; g++) {
        if (!cl.keep[g]) continue;
        /* Glyphs past numberOfHMetrics share the last advance. */
        unsigned aw = be16(hmtx->p + 4 * (g < nhm ? g : nhm - 1));
        unsigned lsb = 0;
        if (g < nhm)
            lsb = be16(hmtx->p + 4 * g + 2);
        else if ((uint64_t)nhm * 4 + (uint64_t)(g - nhm + 1) * 2 <= hmtx->len)
            lsb = be16(hmtx->p + 4 * nhm + 2 * (g - nhm));
        put16(hm + 4 * k, aw);
        put16(hm + 4 * k + 2, lsb);
        put32(lo + 4 * k, at);
        uint32_t from, to;
        if (glyph_range(loca, long_loca, glyf, g, &from, &to) == 0) {
            uint32_t glen =
                copy_glyph(gl + at, glyf->p + from, to - from, hints);
            renumbering rn = {gl + at, out->newgid, nglyphs};
            components(gl + at, glen, renumber, &rn, NULL);
            at += (glen + 3) & ~3u;
        }
        k++;
    }
    put32(lo + 4 * k, at);

    /* The directory, and the whole font's checksum in head. */
    put32(o, 0x00010000);
    put16(o + 4, (unsigned)ntables);
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= (unsigned)ntables) {
        pow2 *= 2;
        log2++;
    }
    put16(o + 6, pow2 * 16);
    put16(o + 8, log2);
    put16(o + 10, (unsigned)ntables * 16 - pow2 * 16);
    unsigned char *r = o + 12;
    for (int i = 0; i < NTABLES; i++) {
        if (!has[i]) continue;
        memcpy(r, TAGS[i], 4);
        put32(r + 4, checksum(o + off[i], len[i]));
        put32(r + 8, off[i]);
        put32(r + 12, len[i]);
        r += 16;
    }
    put32(o + off[T_HEAD] + 8, 0xB1B0AFBAu - checksum(o, total));
    out->data = o;
    out->size = total;
    free(cl.keep);
    free(cl.stack);
    return 0;
fail:
    free(cl.keep);
    free(cl.stack);
    free(out->newgid);
    out->newgid = NULL;
    return -1;
}
