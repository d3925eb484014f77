/* draw.c - the lowest drawing layer: colours, text positioned and shown
 * as CIDs, rules, destinations, strings bounded for libharu.  Calls only
 * libharu (through haru.c for its private structures), fonts.c and tag.c
 * (a rule is marked as a formula's content or as an artifact). */
#include "pdf.h"
#include "haru.h"
#include "tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- drawing */

/* Colours are set only when they change: each libharu operator call
 * costs more than the bytes it writes (it clears a 512-byte buffer). */
void pdf_rgb(HPDF_Page page, unsigned rgb, int stroke)
{
    float r = (float)((rgb >> 16) & 255) / 255.0f;
    float g = (float)((rgb >> 8) & 255) / 255.0f;
    float b = (float)(rgb & 255) / 255.0f;
    HPDF_RGBColor now =
        stroke ? HPDF_Page_GetRGBStroke(page) : HPDF_Page_GetRGBFill(page);
    HPDF_ColorSpace cs = stroke ? HPDF_Page_GetStrokingColorSpace(page)
                                : HPDF_Page_GetFillingColorSpace(page);
    if (now.r == r && now.g == g && now.b == b && cs == HPDF_CS_DEVICE_RGB)
        return;
    if (stroke)
        HPDF_Page_SetRGBStroke(page, r, g, b);
    else
        HPDF_Page_SetRGBFill(page, r, g, b);
}

/* A number as PDF content wants it, to 1/100 point: "46", "-3.5". */
static char *put_num(char *p, float v)
{
    if (!(v > -1e6f && v < 1e6f)) v = 0; /* never off any page (or NaN) */
    long n = (long)(v * 100 + (v < 0 ? -0.5f : 0.5f));
    if (n < 0) {
        *p++ = '-';
        n = -n;
    }
    p += sprintf(p, "%ld", n / 100);
    if (n % 100) {
        *p++ = '.';
        *p++ = (char)('0' + n % 100 / 10);
        if (n % 10) *p++ = (char)('0' + n % 10);
    }
    return p;
}

void pdf_text_at(pdf_ctx *c, float skew, float x, float y)
{
    char buf[96], *p = buf;
    memcpy(p, skew ? "1 0 0.2 1 " : "1 0 0 1 ", skew ? 10 : 8);
    p += skew ? 10 : 8;
    p = put_num(p, x);
    *p++ = ' ';
    p = put_num(p, y);
    memcpy(p, " Tm\012", 4);
    if (HPDF_Stream_Write(haru_page_stream(c->page), (const HPDF_BYTE *)buf,
                          (HPDF_UINT)(p + 4 - buf)) != HPDF_OK)
        c->failed = 1;
}

void pdf_show(pdf_ctx *c, int face, const char *s, size_t len)
{
    /* Every face is TrueType (fonts.c takes no other). */
    HPDF_FontDef def = haru_font_def(c->dfonts[face]);
    unsigned nglyphs;
    unsigned char *flags = haru_glyph_flags(def, &nglyphs);
    const uint16_t *gids = c->fonts->faces[face].gids;
    uint64_t *drawn = c->drawn[face];
    if (!drawn && !(drawn = c->drawn[face] = calloc(1024, sizeof *drawn))) {
        c->failed = 1;
        return;
    }
    /* Two bytes a character, each escaped at worst: "\\(" is 2. */
    unsigned char stack[1024], *buf = stack;
    size_t cap = 4 * len + 8;
    if (cap > sizeof stack && !(buf = malloc(cap))) abort();
    unsigned char *p = buf;
    *p++ = '(';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += c->host->utf8_next(s + i, len - i, &cp);
        long cid = pdf_cid(c, cp); /* beyond the BMP: an alias */
        if (cid < 0) continue;     /* never given: shape() dropped it */
        unsigned gid = cp > 0xFFFF ? pdf_cid_glyph(c, face, (unsigned)cid)
                       : gids      ? gids[cp]
                              : HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
        cp = (uint32_t)cid;
        if (gid < nglyphs) flags[gid] = 1;
        drawn[cp / 64] |= (uint64_t)1 << (cp % 64);
        unsigned char b[2] = {(unsigned char)(cp >> 8), (unsigned char)cp};
        for (int k = 0; k < 2; k++) {
            /* A string's parentheses, backslash and line ends escaped. */
            if (b[k] == '(' || b[k] == ')' || b[k] == '\\') {
                *p++ = '\\';
                *p++ = b[k];
            } else if (b[k] == '\r' || b[k] == '\n') {
                *p++ = '\\';
                *p++ = b[k] == '\r' ? 'r' : 'n';
            } else {
                *p++ = b[k];
            }
        }
    }
    memcpy(p, ") Tj\012", 5);
    p += 5;
    if (HPDF_Stream_Write(haru_page_stream(c->page), buf,
                          (HPDF_UINT)(p - buf)) != HPDF_OK)
        c->failed = 1;
    if (buf != stack) free(buf);
}

void pdf_hrule(pdf_ctx *c, float x0, float x1, float y, float w, unsigned rgb)
{
    if (!c->page) return;
    pdf_tag_rule(c);
    pdf_rgb(c->page, rgb, 1);
    HPDF_Page_SetLineWidth(c->page, w);
    HPDF_Page_MoveTo(c->page, x0, y);
    HPDF_Page_LineTo(c->page, x1, y);
    HPDF_Page_Stroke(c->page);
}

/* [page /XYZ null top null]: libharu's SetXYZ insists on a zoom. */
HPDF_Destination pdf_dest(pdf_ctx *c, HPDF_Page page, float top)
{
    HPDF_Destination d = HPDF_Page_CreateDestination(page);
    if (!d) return NULL;
    HPDF_Array_Clear(d);
    HPDF_Array_Add(d, page);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_Add(d, HPDF_Null_New(haru_mmgr(c->doc)));
    HPDF_Array_AddReal(d, top);
    HPDF_Array_Add(d, HPDF_Null_New(haru_mmgr(c->doc)));
    return d;
}

/* ------------------------------------------------------------ strings */

const char *pdf_bound(pdf_ctx *c, const char *s, const char *what)
{
    size_t len = s ? strlen(s) : 0;
    if (len <= HPDF_LIMIT_MAX_STRING_LEN) return s;
    size_t cut = HPDF_LIMIT_MAX_STRING_LEN;
    while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--; /* s[cut] starts a character: cut before it */
    if (!c->warned_long++)
        c->host->report(c->job, FOLIO_WARNING, NULL, 0, 0,
                        "%s of %zu bytes cut to %zu bytes (the most a PDF "
                        "string may hold here)",
                        what, len, cut);
    c->bounded.len = 0;
    c->host->buf_put(&c->bounded, s, cut);
    return c->bounded.data;
}
