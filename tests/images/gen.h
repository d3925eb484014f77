/* Test image writers (gen.c). */
#ifndef FOLIO_TEST_GEN_H
#define FOLIO_TEST_GEN_H

#include <stdint.h>

void gen_picture(int w, int h, int alpha, unsigned char *rgba);
int gen_png(const char *path, int w, int h, const unsigned char *rgba,
            int with_alpha, int interlace);
int gen_png_palette(const char *path, int transparent);
int gen_jpeg(const char *path, int w, int h, const unsigned char *rgba,
             int gray, int progressive);
int gen_gif(const char *path, int w, int h, int transparent, int frames);
int gen_webp(const char *path, int w, int h, int alpha);
int gen_webp_lossless(const char *path, int w, int h,
                      const unsigned char *rgba);
int gen_png_header_only(const char *path, uint32_t w, uint32_t h);

#endif
