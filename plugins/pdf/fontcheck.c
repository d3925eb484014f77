/* fontcheck.c - a TrueType face checked before libharu sees it.
 *
 * libharu 2.3.0 trusts a font's tables: a hhea that claims more metrics
 * than maxp has glyphs overflows its metrics array, a head with no units
 * per em divides by zero, a cmap whose last segment does not end at
 * U+FFFF is read past its end, and so on.  Every table folio or libharu
 * reads is checked here against the file and against numGlyphs, exactly
 * as libharu will read it (the first table of a tag, the first Windows
 * Unicode format 4 cmap); a face that fails is refused with the reason. */
#include "pdf.h"

#include <string.h>

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

typedef struct table {
    uint64_t off, len;
    int found;
} table;

enum { HEAD, HHEA, MAXP, HMTX, LOCA, GLYF, CMAP, NAME, OS2, POST, NTABLES };
static const char TAGS[NTABLES][5] = {"head", "hhea", "maxp", "hmtx", "loca",
                                      "glyf", "cmap", "name", "OS/2", "post"};

/* loca: every glyph inside glyf, in order.  The glyphs themselves are
 * read only through libharu's bounded stream (which skips components
 * past numGlyphs) and by subset.c, which checks each one it copies:
 * walking them all here would fault in the whole glyf table (2 ms for
 * the usual faces). */
static const char *check_glyphs(const unsigned char *d, const table *t,
                                unsigned nglyphs, int long_loca)
{
    const unsigned char *loca = d + t[LOCA].off;
    if (t[LOCA].len < (uint64_t)(nglyphs + 1) * (long_loca ? 4 : 2))
        return "loca: shorter than numGlyphs + 1 offsets";
    uint64_t prev = 0;
    for (unsigned g = 0; g <= nglyphs; g++) {
        uint64_t at = long_loca ? u32(loca + 4 * g) : 2u * u16(loca + 2 * g);
        if (at < prev) return "loca: offsets go backwards";
        if (at > t[GLYF].len) return "loca: a glyph lies past the glyf table";
        if (g > 0 && at > prev && at - prev < 10)
            return "glyf: a glyph shorter than its header";
        prev = at;
    }
    return NULL;
}

/* The Windows Unicode format 4 subtable libharu picks, every code point
 * looked up as libharu does (the first segment whose end is >= the code),
 * each landing inside the glyph array and on a glyph that exists. */
static const char *check_cmap(const unsigned char *d, const table *t,
                              unsigned nglyphs)
{
    const unsigned char *c = d + t[CMAP].off;
    uint64_t clen = t[CMAP].len;
    if (clen < 4 || u16(c) != 0) return "cmap: bad header";
    unsigned n = u16(c + 2);
    if (4 + 8ull * n > clen) return "cmap: encoding records past its end";
    uint64_t sub = 0;
    for (unsigned i = 0; i < n && !sub; i++) {
        const unsigned char *r = c + 4 + 8 * i;
        uint64_t off = u32(r + 4);
        if (off + 2 > clen) return "cmap: a subtable lies past its end";
        if (u16(r) == 3 && u16(r + 2) == 1 && u16(c + off) == 4) sub = off;
    }
    if (!sub) return "cmap: no Windows Unicode (3,1) format 4 subtable";
    if (sub + 14 > clen) return "cmap: format 4 subtable past its end";
    const unsigned char *s = c + sub;
    unsigned length = u16(s + 2), segx2 = u16(s + 6), segs = segx2 / 2;
    if (segx2 < 2 || segx2 % 2) return "cmap: bad segment count";
    if (length < 16 + 8u * segs || sub + length > clen)
        return "cmap: format 4 subtable length does not hold its segments";
    unsigned narray = (length - 16 - 8 * segs) / 2;
    const unsigned char *end = s + 14, *start = end + 2 * segs + 2,
                        *delta = start + 2 * segs, *range = delta + 2 * segs,
                        *array = range + 2 * segs;
    if (u16(end + 2 * (segs - 1)) != 0xFFFF)
        return "cmap: the last segment does not end at U+FFFF";
    long done = -1; /* codes up to here belong to an earlier segment */
    for (unsigned i = 0; i < segs && done < 0xFFFF; i++) {
        long e = (long)u16(end + 2 * i), st = (long)u16(start + 2 * i);
        unsigned dl = u16(delta + 2 * i), ro = u16(range + 2 * i);
        for (long u = done + 1 > st ? done + 1 : st; u <= e; u++) {
            unsigned gid;
            if (ro == 0) {
                gid = (unsigned)(u + dl) & 0xFFFF;
            } else {
                /* libharu's unsigned index; past the array it reads 0,
                 * except exactly one past, which it reads. */
                unsigned idx = ro / 2 + (unsigned)(u - st) - (segs - i);
                if (idx > narray) continue;
                if (idx == narray)
                    return "cmap: a code reads past the glyph array";
                gid = (u16(array + 2 * idx) + dl) & 0xFFFF;
            }
            if (gid >= nglyphs) return "cmap: a code maps past numGlyphs";
        }
        if (e > done) done = e;
    }
    return NULL;
}

/* The PostScript name and subfamily libharu builds the font's name from
 * (the last record of each kind wins, as in libharu), within its limits. */
static const char *check_name(const unsigned char *d, const table *t)
{
    const unsigned char *nm = d + t[NAME].off;
    uint64_t len = t[NAME].len;
    if (len < 6) return "name: shorter than its header";
    unsigned count = u16(nm + 2), strings = u16(nm + 4);
    if (6 + 12ull * count > len) return "name: records past its end";
    unsigned mac[2] = {0, 0}, win[2] = {0, 0};
    int has_mac[2] = {0, 0}, has_win[2] = {0, 0};
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = nm + 6 + 12 * i;
        unsigned plat = u16(r), enc = u16(r + 2), lang = u16(r + 4),
                 id = u16(r + 6), rlen = u16(r + 8), roff = u16(r + 10);
        if ((uint64_t)strings + roff + rlen > len)
            return "name: a string lies past its end";
        int k = id == 6 ? 0 : id == 2 ? 1 : -1;
        if (k < 0) continue;
        if (plat == 1 && enc == 0) {
            mac[k] = rlen;
            has_mac[k] = 1;
        } else if (plat == 3 && enc == 1 && lang == 0x0409) {
            win[k] = rlen;
            has_win[k] = 1;
        }
    }
    if (!(has_mac[0] || has_win[0]) || !(has_mac[1] || has_win[1]))
        return "name: no PostScript name or subfamily";
    unsigned l[2];
    for (int k = 0; k < 2; k++) {
        l[k] = mac[k];
        if (l[k] == 0 && win[k] > 0) l[k] = win[k] / 2 + win[k] % 2;
        if (!has_mac[k] && win[k] > 2 * 127)
            return "name: a name too long for libharu";
    }
    if (l[0] + l[1] + 8 > 127) return "name: names too long for libharu";
    return NULL;
}

const char *pdf_font_check(const unsigned char *d, size_t size, unsigned index)
{
    if (!d || size < 12) return "too short to be a font";
    uint64_t base = 0;
    if (memcmp(d, "ttcf", 4) == 0) {
        uint32_t n = u32(d + 8);
        if (12 + 4ull * n > size) return "collection header past the end";
        if (index >= n) return "no such face in the collection";
        base = u32(d + 12 + 4ull * index);
        if (base + 12 > size) return "face lies past the end";
    }
    uint32_t version = u32(d + base);
    if (version == 0x4F54544Fu) return "CFF outlines (libharu reads TrueType)";
    if (version != 0x00010000u && version != 0x74727565u)
        return "not a TrueType face";
    unsigned ntables = u16(d + base + 4);
    uint64_t dir = base + 12;
    /* libharu refuses more than 10,000 bytes of directory records. */
    if (ntables == 0 || ntables * 16u > 10000) return "bad number of tables";
    if (dir + 16ull * ntables > size) return "table directory past the end";
    table t[NTABLES];
    memset(t, 0, sizeof t);
    for (unsigned i = 0; i < ntables; i++) {
        const unsigned char *e = d + dir + 16 * i;
        uint64_t off = u32(e + 8), len = u32(e + 12);
        if (off + len > size) return "a table lies past the end of the file";
        if (len && off < 12) return "a table overlaps the file header";
        for (int k = 0; k < NTABLES; k++)
            if (!t[k].found && memcmp(e, TAGS[k], 4) == 0) {
                t[k].off = off;
                t[k].len = len;
                t[k].found = 1;
            }
    }
    static const char *const missing[NTABLES] = {
        "no head table", "no hhea table",
        "no maxp table", "no hmtx table",
        "no loca table", "no glyf table (not TrueType outlines)",
        "no cmap table", "no name table",
        "no OS/2 table", NULL};
    for (int k = 0; k < NTABLES; k++)
        if (!t[k].found && missing[k]) return missing[k];

    const unsigned char *head = d + t[HEAD].off;
    if (t[HEAD].len < 54) return "head: too short";
    unsigned upem = u16(head + 18);
    if (upem < 16 || upem > 16384) return "head: bad unitsPerEm";
    unsigned loca_format = u16(head + 50);
    if (loca_format > 1) return "head: bad indexToLocFormat";
    if (t[MAXP].len < 6) return "maxp: too short";
    unsigned nglyphs = u16(d + t[MAXP].off + 4);
    if (nglyphs == 0) return "maxp: no glyphs";
    if (t[HHEA].len < 36) return "hhea: too short";
    unsigned nmetrics = u16(d + t[HHEA].off + 34);
    if (nmetrics == 0 || nmetrics > nglyphs)
        return "hhea: numberOfHMetrics is 0 or exceeds numGlyphs";
    if (t[HMTX].len < 4ull * nmetrics + 2ull * (nglyphs - nmetrics))
        return "hmtx: shorter than hhea and maxp say";
    unsigned os2_version = t[OS2].len >= 2 ? u16(d + t[OS2].off) : 0;
    if (t[OS2].len < (os2_version > 0 ? 86u : 78u)) return "OS/2: too short";
    if (u16(d + t[OS2].off + 8) & (0x0002 | 0x0100 | 0x0200))
        return "OS/2: its licence does not allow embedding";
    if (t[POST].found && t[POST].len < 32) return "post: too short";
    const char *why = check_glyphs(d, t, nglyphs, (int)loca_format);
    if (!why) why = check_cmap(d, t, nglyphs);
    if (!why) why = check_name(d, t);
    return why;
}
