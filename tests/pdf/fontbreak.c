/* fontbreak IN OUT DAMAGE: a copy of the TrueType face IN with one table
 * damaged, for the tests of the PDF plugin's font check.  DAMAGE is one of
 *   hhea-metrics   numberOfHMetrics 65535, more than hmtx and maxp hold
 *   upem-zero      head.unitsPerEm 0 (libharu divides by it)
 *   maxp-zero      no glyphs
 *   cmap-end       the last cmap segment stops before U+FFFF
 *   glyf-length    the glyf table runs past the end of the file
 *   loca-past      the last glyph ends past the glyf table
 *   name-string    a name string past the end of its table
 *   truncated      the file cut in half */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *font;
static size_t size;

static unsigned u16(size_t at)
{
    return (unsigned)font[at] << 8 | font[at + 1];
}

static uint32_t u32(size_t at)
{
    return (uint32_t)u16(at) << 16 | u16(at + 2);
}

static void put16(size_t at, unsigned v)
{
    font[at] = (unsigned char)(v >> 8);
    font[at + 1] = (unsigned char)v;
}

static void put32(size_t at, uint32_t v)
{
    put16(at, v >> 16);
    put16(at + 2, v & 0xFFFF);
}

/* Offset of the directory entry of a table. */
static size_t entry(const char *tag)
{
    for (unsigned i = 0; i < u16(4); i++)
        if (memcmp(font + 12 + 16 * i, tag, 4) == 0) return 12 + 16 * i;
    fprintf(stderr, "fontbreak: no %s table\n", tag);
    exit(1);
}

static size_t table(const char *tag)
{
    return u32(entry(tag) + 8);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fontbreak IN OUT DAMAGE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) || (size = (size_t)ftell(f)) < 12 ||
        !(font = malloc(size)) || fseek(f, 0, SEEK_SET) ||
        fread(font, 1, size, f) != size) {
        perror(argv[1]);
        return 1;
    }
    fclose(f);
    const char *d = argv[3];
    if (strcmp(d, "hhea-metrics") == 0) {
        put16(table("hhea") + 34, 0xFFFF);
    } else if (strcmp(d, "upem-zero") == 0) {
        put16(table("head") + 18, 0);
    } else if (strcmp(d, "maxp-zero") == 0) {
        put16(table("maxp") + 4, 0);
    } else if (strcmp(d, "cmap-end") == 0) {
        size_t c = table("cmap"), sub = 0;
        for (unsigned i = 0; i < u16(c + 2) && !sub; i++) {
            size_t r = c + 4 + 8 * i;
            if (u16(r) == 3 && u16(r + 2) == 1) sub = c + u32(r + 4);
        }
        if (!sub || u16(sub) != 4) {
            fprintf(stderr, "fontbreak: no (3,1) format 4 cmap\n");
            return 1;
        }
        put16(sub + 14 + u16(sub + 6) - 2, 0xFFFE);
    } else if (strcmp(d, "glyf-length") == 0) {
        put32(entry("glyf") + 12, (uint32_t)size);
    } else if (strcmp(d, "loca-past") == 0) {
        size_t loca = table("loca"), n = u16(table("maxp") + 4);
        uint32_t glen = u32(entry("glyf") + 12);
        if ((int16_t)u16(table("head") + 50))
            put32(loca + 4 * n, glen + 4);
        else
            put16(loca + 2 * n, glen / 2 + 2);
    } else if (strcmp(d, "name-string") == 0) {
        size_t nm = table("name");
        put16(nm + 6 + 8, 0xFFFF); /* the first record's length */
    } else if (strcmp(d, "truncated") == 0) {
        size /= 2;
    } else {
        fprintf(stderr, "fontbreak: unknown damage %s\n", d);
        return 2;
    }
    f = fopen(argv[2], "wb");
    if (!f || fwrite(font, 1, size, f) != size || fclose(f)) {
        perror(argv[2]);
        return 1;
    }
    free(font);
    return 0;
}
