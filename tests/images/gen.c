/* Small test images written with libpng and libjpeg (and GIF and WebP by
 * hand), so no binary needs committing for the tests. */
#include "gen.h"

#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>
#include <stdlib.h>
#include <string.h>

/* A figure-like picture: a light panel, three bars, a diagonal line.  With
 * alpha the panel is transparent outside a rounded card. */
void gen_picture(int w, int h, int alpha, unsigned char *rgba)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = rgba + ((size_t)y * w + x) * 4;
            int r = 245, g = 247, b = 250, a = 255;
            int bar = (x * 4) / w; /* 0..3 */
            int top = h - (h * (bar + 1)) / 5;
            if (bar > 0 && y > top && (x * 4) % w > w / 8) {
                r = bar == 1 ? 52 : bar == 2 ? 211 : 46;
                g = bar == 1 ? 101 : bar == 2 ? 84 : 160;
                b = bar == 1 ? 164 : bar == 2 ? 0 : 67;
            }
            if (abs(y - (h - 1 - (x * (h - 1)) / (w > 1 ? w - 1 : 1))) < 2)
                r = 20, g = 20, b = 20;
            if (alpha) {
                int dx = x < w / 10        ? w / 10 - x
                         : x >= w - w / 10 ? x - (w - w / 10 - 1)
                                           : 0;
                int dy = y < h / 10        ? h / 10 - y
                         : y >= h - h / 10 ? y - (h - h / 10 - 1)
                                           : 0;
                if (dx * dx + dy * dy > (w / 10) * (w / 10))
                    a = 0;
                else if (x < w / 2 && y < h / 3)
                    a = 128; /* translucent */
            }
            p[0] = (unsigned char)r, p[1] = (unsigned char)g;
            p[2] = (unsigned char)b, p[3] = (unsigned char)a;
        }
}

int gen_png(const char *path, int w, int h, const unsigned char *rgba,
            int with_alpha, int interlace)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    unsigned char *row = malloc((size_t)w * 4);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        free(row);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 with_alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int passes = png_set_interlace_handling(png);
    int ch = with_alpha ? 4 : 3;
    for (int pass = 0; pass < passes; pass++)
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++)
                memcpy(row + (size_t)x * ch, rgba + ((size_t)y * w + x) * 4,
                       (size_t)ch);
            png_write_row(png, row);
        }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(f);
}

int gen_png_palette(const char *path, int transparent)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, 4, 4, 2, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color pal[3] = {{255, 255, 255}, {200, 0, 0}, {0, 0, 200}};
    png_set_PLTE(png, info, pal, 3);
    png_byte trans[1] = {0};
    if (transparent) png_set_tRNS(png, info, trans, 1, NULL);
    png_write_info(png, info);
    for (int y = 0; y < 4; y++) {
        /* 2 bits a pixel: index (x + y) % 3. */
        png_byte row[1] = {0};
        for (int x = 0; x < 4; x++)
            row[0] |= (png_byte)(((x + y) % 3) << (6 - 2 * x));
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return fclose(f);
}

int gen_jpeg(const char *path, int w, int h, const unsigned char *rgba,
             int gray, int progressive)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w, c.image_height = (JDIMENSION)h;
    c.input_components = gray ? 1 : 3;
    c.in_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 80, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * 3);
    while (c.next_scanline < c.image_height) {
        const unsigned char *src = rgba + (size_t)c.next_scanline * w * 4;
        for (int x = 0; x < w; x++) {
            if (gray)
                row[x] = (unsigned char)((src[4 * x] * 3 + src[4 * x + 1] * 6 +
                                          src[4 * x + 2]) /
                                         10);
            else
                memcpy(row + 3 * x, src + 4 * x, 3);
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return fclose(f);
}

/* GIF without compression: a clear code before every two pixels keeps the
 * LZW code width at 3 bits (4 colours). */
int gen_gif(const char *path, int w, int h, int transparent, int frames)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    unsigned char hdr[13] = {'G',
                             'I',
                             'F',
                             '8',
                             '9',
                             'a',
                             (unsigned char)w,
                             (unsigned char)(w >> 8),
                             (unsigned char)h,
                             (unsigned char)(h >> 8),
                             0x81,
                             0,
                             0};
    fwrite(hdr, 1, 13, f);
    static const unsigned char pal[12] = {255, 255, 255, 211, 84, 0,
                                          52,  101, 164, 20,  20, 20};
    fwrite(pal, 1, 12, f);
    for (int fr = 0; fr < frames; fr++) {
        unsigned char gce[8] = {
            0x21, 0xF9, 4, (unsigned char)(transparent ? 1 : 0), 10, 0, 0, 0};
        fwrite(gce, 1, 8, f);
        unsigned char desc[10] = {0x2C,
                                  0,
                                  0,
                                  0,
                                  0,
                                  (unsigned char)w,
                                  (unsigned char)(w >> 8),
                                  (unsigned char)h,
                                  (unsigned char)(h >> 8),
                                  0};
        fwrite(desc, 1, 10, f);
        fputc(2, f); /* minimum code size */
        size_t npx = (size_t)w * h;
        size_t cap = npx * 2 + 16;
        unsigned char *bits = calloc(cap, 1);
        size_t nbits = 0;
#define PUT(code)                                                              \
    do {                                                                       \
        for (int b_ = 0; b_ < 3; b_++, nbits++)                                \
            if ((code) >> b_ & 1)                                              \
                bits[nbits / 8] |= (unsigned char)(1 << (nbits % 8));          \
    } while (0)
        for (size_t i = 0; i < npx; i++) {
            if (i % 2 == 0) PUT(4);
            int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
            int c = ((x / 4 + y / 4 + fr) % 4);
            PUT(c);
        }
        PUT(5);
#undef PUT
        size_t nbytes = (nbits + 7) / 8;
        for (size_t o = 0; o < nbytes; o += 255) {
            size_t k = nbytes - o < 255 ? nbytes - o : 255;
            fputc((int)k, f);
            fwrite(bits + o, 1, k, f);
        }
        fputc(0, f);
        free(bits);
    }
    fputc(0x3B, f);
    return fclose(f);
}

/* A WebP header (VP8L, lossless) with the given size and alpha flag; the
 * bitstream after the header is not valid: folio only reads the header. */
int gen_webp(const char *path, int w, int h, int alpha)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    unsigned char b[30] = "RIFF\0\0\0\0WEBPVP8L";
    uint32_t riff = 30 - 8, chunk = 30 - 20;
    for (int i = 0; i < 4; i++) {
        b[4 + i] = (unsigned char)(riff >> (8 * i));
        b[16 + i] = (unsigned char)(chunk >> (8 * i));
    }
    b[20] = 0x2F;
    uint32_t bits = (uint32_t)(w - 1) | (uint32_t)(h - 1) << 14 |
                    (uint32_t)(alpha ? 1 : 0) << 28;
    for (int i = 0; i < 4; i++)
        b[21 + i] = (unsigned char)(bits >> (8 * i));
    fwrite(b, 1, sizeof b, f);
    return fclose(f);
}

static uint32_t crc_table[256];

static uint32_t crc(const unsigned char *p, size_t n)
{
    if (!crc_table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* A PNG whose header claims w x h (RGBA), with a tiny IDAT: a bomb. */
int gen_png_header_only(const char *path, uint32_t w, uint32_t h)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    unsigned char ihdr[4 + 4 + 13 + 4];
    be32(ihdr, 13);
    memcpy(ihdr + 4, "IHDR", 4);
    be32(ihdr + 8, w);
    be32(ihdr + 12, h);
    ihdr[16] = 8, ihdr[17] = 6, ihdr[18] = 0, ihdr[19] = 0, ihdr[20] = 0;
    be32(ihdr + 21, crc(ihdr + 4, 17));
    fwrite(ihdr, 1, sizeof ihdr, f);
    /* zlib stream of nothing much, then IEND. */
    static const unsigned char z[] = {0x78, 0x9c, 0x03, 0x00,
                                      0x00, 0x00, 0x00, 0x01};
    unsigned char idat[4 + 4 + sizeof z + 4];
    be32(idat, sizeof z);
    memcpy(idat + 4, "IDAT", 4);
    memcpy(idat + 8, z, sizeof z);
    be32(idat + 8 + sizeof z, crc(idat + 4, 4 + sizeof z));
    fwrite(idat, 1, sizeof idat, f);
    unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D'};
    be32(iend + 8, crc(iend + 4, 4));
    fwrite(iend, 1, 12, f);
    return fclose(f);
}

/* A real lossless WebP of rgba (libwebp's encoder). */
int gen_webp_lossless(const char *path, int w, int h, const unsigned char *rgba)
{
    uint8_t *out = NULL;
    size_t n = WebPEncodeLosslessRGBA(rgba, w, h, w * 4, &out);
    if (!n) return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        WebPFree(out);
        return -1;
    }
    fwrite(out, 1, n, f);
    WebPFree(out);
    return fclose(f);
}
