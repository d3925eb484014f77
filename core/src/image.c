/* Image bytes in, facts out: the type sniffed from the bytes, dimensions,
 * transparency, and a validating pass bounded by FOLIO_IMAGE_MAX_*
 * (image.h).  libpng and libjpeg report errors by longjmp; everything they
 * allocate is released on that path too. */
#include "image.h"

#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <jpeglib.h>
#include <jerror.h>
#include <gif_lib.h>
#include <png.h>
#include <setjmp.h>
#include <webp/decode.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- types and names */

static const struct {
    const char *name, *media, *ext;
} types[] = {
    [FOLIO_IMAGE_UNKNOWN] = {"unknown", "application/octet-stream", "bin"},
    [FOLIO_IMAGE_PNG] = {"PNG", "image/png", "png"},
    [FOLIO_IMAGE_JPEG] = {"JPEG", "image/jpeg", "jpg"},
    [FOLIO_IMAGE_GIF] = {"GIF", "image/gif", "gif"},
    [FOLIO_IMAGE_WEBP] = {"WebP", "image/webp", "webp"},
    [FOLIO_IMAGE_SVG] = {"SVG", "image/svg+xml", "svg"},
};

static int type_ok(int t)
{
    return t >= FOLIO_IMAGE_UNKNOWN && t <= FOLIO_IMAGE_SVG;
}

const char *folio_image_type_name(int type)
{
    return types[type_ok(type) ? type : 0].name;
}

const char *folio_image_media_type(int type)
{
    return types[type_ok(type) ? type : 0].media;
}

const char *folio_image_ext(int type)
{
    return types[type_ok(type) ? type : 0].ext;
}

int folio_image_type_from_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot) return FOLIO_IMAGE_UNKNOWN;
    static const struct {
        const char *ext;
        int type;
    } exts[] = {{"png", FOLIO_IMAGE_PNG},   {"jpg", FOLIO_IMAGE_JPEG},
                {"jpeg", FOLIO_IMAGE_JPEG}, {"jpe", FOLIO_IMAGE_JPEG},
                {"jfif", FOLIO_IMAGE_JPEG}, {"gif", FOLIO_IMAGE_GIF},
                {"webp", FOLIO_IMAGE_WEBP}, {"svg", FOLIO_IMAGE_SVG}};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0) return exts[i].type;
    return FOLIO_IMAGE_UNKNOWN;
}

static int has_prefix_ci(const unsigned char *p, size_t len, const char *s)
{
    size_t n = strlen(s);
    return len >= n && strncasecmp((const char *)p, s, n) == 0;
}

/* An SVG: optional BOM and spaces, then "<?xml", "<!--" or "<svg". */
static int sniff_svg(const unsigned char *p, size_t len)
{
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3, len -= 3;
    while (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, len--;
    if (!(has_prefix_ci(p, len, "<?xml") || has_prefix_ci(p, len, "<!--") ||
          has_prefix_ci(p, len, "<svg") || has_prefix_ci(p, len, "<!doctype")))
        return 0;
    /* The root must be svg: look for "<svg" in the first 64 KiB (editors
     * put comments and metadata first). */
    size_t n = len < 65536 ? len : 65536;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(p + i, "<svg", 4) == 0 ||
            (p[i] == '<' && i + 8 <= n && memcmp(p + i + 1, "svg:svg", 7) == 0))
            return 1;
    return 0;
}

int folio_image_sniff(const unsigned char *p, size_t len)
{
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return FOLIO_IMAGE_PNG;
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return FOLIO_IMAGE_JPEG;
    if (len >= 6 &&
        (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return FOLIO_IMAGE_GIF;
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return FOLIO_IMAGE_WEBP;
    if (sniff_svg(p, len)) return FOLIO_IMAGE_SVG;
    return FOLIO_IMAGE_UNKNOWN;
}

#define FAIL(...)                                                              \
    do {                                                                       \
        snprintf(msg, msgsz, __VA_ARGS__);                                     \
        return -1;                                                             \
    } while (0)

static int check_size(uint64_t w, uint64_t h, uint64_t max_pixels, char *msg,
                      size_t msgsz)
{
    if (w == 0 || h == 0)
        FAIL("the image has no pixels (%llux%llu)", (unsigned long long)w,
             (unsigned long long)h);
    if (w > FOLIO_IMAGE_MAX_SIDE || h > FOLIO_IMAGE_MAX_SIDE ||
        w * h > max_pixels)
        FAIL("%llux%llu pixels is over the limit (%llu pixels, %d a side)",
             (unsigned long long)w, (unsigned long long)h,
             (unsigned long long)max_pixels, FOLIO_IMAGE_MAX_SIDE);
    return 0;
}

/* ---- PNG (libpng) */

struct png_src {
    const unsigned char *p;
    size_t len, off;
    jmp_buf jb;
    char msg[160];
};

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
    struct png_src *s = png_get_io_ptr(png);
    if (n > s->len - s->off) png_error(png, "the file is truncated");
    memcpy(out, s->p + s->off, n);
    s->off += n;
}

static void png_on_error(png_structp png, png_const_charp text)
{
    struct png_src *s = png_get_error_ptr(png);
    snprintf(s->msg, sizeof s->msg, "%s", text);
    longjmp(s->jb, 1);
}

static void png_on_warning(png_structp png, png_const_charp text)
{
    (void)png, (void)text; /* ancillary problems: the image still shows */
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    static uint32_t table[256];
    static int ready; /* benign race: every thread writes the same values */
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            __atomic_store_n(&table[i], c, __ATOMIC_RELAXED);
        }
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* Every chunk whole and its CRC right, IHDR first, IDAT present, IEND at
 * the end: catches truncation and damaged bytes at the cost of a CRC. */
static int png_chunks(const unsigned char *p, size_t len, char *msg,
                      size_t msgsz)
{
    size_t off = 8;
    int n = 0, idat = 0;
    for (;;) {
        if (len - off < 12) FAIL("corrupt PNG: the file is truncated");
        uint32_t clen = be32(p + off);
        const unsigned char *type = p + off + 4;
        if (clen > 0x7FFFFFFFu || clen > len - off - 12)
            FAIL("corrupt PNG: the file is truncated");
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'a' && type[i] <= 'z') ||
                  (type[i] >= 'A' && type[i] <= 'Z')))
                FAIL("corrupt PNG: a bad chunk type");
        if (crc32_png(type, clen + 4) != be32(type + 4 + clen))
            FAIL("corrupt PNG: %.4s chunk CRC error", (const char *)type);
        if (n++ == 0 && memcmp(type, "IHDR", 4) != 0)
            FAIL("corrupt PNG: IHDR is not first");
        idat |= memcmp(type, "IDAT", 4) == 0;
        off += 12 + (size_t)clen;
        if (memcmp(type, "IEND", 4) == 0) break;
    }
    if (!idat) FAIL("corrupt PNG: no image data");
    return 0;
}

/* n RGBA pixels to RGB in place (the write index never passes the read
 * index) and the alpha plane into alpha; 1 when a pixel is not opaque. */
static int rgba_to_rgb(unsigned char *px, unsigned char *alpha, size_t n)
{
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char *src = px + i * 4, *dst = px + i * 3;
        unsigned char a = src[3];
        dst[0] = src[0], dst[1] = src[1], dst[2] = src[2];
        alpha[i] = a;
        used |= a != 0xFF;
    }
    return used;
}

/* Validate (px NULL: the header, within the limits) or decode (into px)
 * a PNG. */
static int png_run(const unsigned char *data, size_t len, uint64_t max_pixels,
                   folio_image *out, folio_pixels *px, char *msg, size_t msgsz)
{
    struct png_src s = {.p = data, .len = len};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s,
                                             png_on_error, png_on_warning);
    if (!png) FAIL("out of memory");
    png_infop info = png_create_info_struct(png);
    unsigned char *volatile buf = NULL;
    unsigned char *volatile alpha = NULL;
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(s.jb)) {
        png_destroy_read_struct(&png, info ? &info : NULL, NULL);
        free(buf);
        free(alpha);
        free(rows);
        FAIL("corrupt PNG: %s", info ? s.msg : "out of memory");
    }
    png_set_read_fn(png, &s, png_read_mem);
    png_set_chunk_cache_max(png, 1000);
    png_set_chunk_malloc_max(png, (png_alloc_size_t)8 << 20);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info);
    png_uint_32 h = png_get_image_height(png, info);
    char lim[160];
    if (check_size(w, h, max_pixels, lim, sizeof lim) != 0) {
        png_destroy_read_struct(&png, &info, NULL);
        FAIL("%s", lim);
    }
    int color = png_get_color_type(png, info);
    int stored_channels = png_get_channels(png, info);
    int depth = png_get_bit_depth(png, info);
    int maybe_alpha = (color & PNG_COLOR_MASK_ALPHA) ||
                      png_get_valid(png, info, PNG_INFO_tRNS);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    int ch = png_get_channels(png, info); /* 3 or 4 */
    if ((ch != 3 && ch != 4) || rowbytes != (size_t)w * ch)
        png_error(png, "unexpected layout after expansion");
    int alpha_used = 0;
    if (!px) {
        /* Validation stops at the header: the chunk walk (png_chunks)
         * checks the rest without inflating it. */
        alpha_used = maybe_alpha;
    } else {
        buf = malloc((size_t)h * rowbytes);
        rows = malloc(h * sizeof *rows);
        if (!buf || !rows) png_error(png, "out of memory");
        for (png_uint_32 y = 0; y < h; y++)
            rows[y] = buf + (size_t)y * rowbytes;
        png_read_image(png, rows);
        size_t n = (size_t)w * h;
        if (ch == 4) {
            alpha = malloc(n);
            if (!alpha) png_error(png, "out of memory");
            alpha_used = rgba_to_rgb(buf, alpha, n);
        }
    }
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    if (px) {
        size_t n = (size_t)w * h;
        unsigned char *rgb = realloc(buf, n * 3);
        px->width = (int)w, px->height = (int)h;
        px->rgb = rgb ? rgb : buf;
        px->alpha = alpha_used ? alpha : NULL;
        if (!alpha_used) free(alpha);
    } else {
        free(buf);
    }
    if (out) {
        out->width = (int)w, out->height = (int)h;
        out->has_alpha = maybe_alpha && alpha_used;
        out->components = stored_channels;
        out->bit_depth = depth;
    }
    return 0;
}

/* ---- JPEG (libjpeg) */

struct jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
    int fatal_warning;
};

static void jpeg_on_error(j_common_ptr c)
{
    struct jpeg_err *e = (struct jpeg_err *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jb, 1);
}

static void jpeg_on_message(j_common_ptr c, int level)
{
    struct jpeg_err *e = (struct jpeg_err *)c->err;
    if (level >= 0 || e->fatal_warning) return;
    /* Data ending early or a damaged segment shows as garbage: refuse it.
     * Other warnings (stray bytes before a marker) are harmless. */
    int code = c->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER ||
        code == JWRN_MUST_RESYNC || code == JWRN_HUFF_BAD_CODE) {
        e->fatal_warning = 1;
        c->err->format_message(c, e->msg);
    }
}

static void jpeg_progress(j_common_ptr c)
{
    /* A progressive JPEG with thousands of scans costs time, not bytes. */
    if (c->is_decompressor && ((j_decompress_ptr)c)->input_scan_number > 1000) {
        struct jpeg_err *e = (struct jpeg_err *)c->err;
        snprintf(e->msg, sizeof e->msg, "more than 1000 scans");
        longjmp(e->jb, 1);
    }
}

static int jpeg_probe(const unsigned char *data, size_t len,
                      uint64_t max_pixels, folio_image *out, char *msg,
                      size_t msgsz)
{
    struct jpeg_decompress_struct ci;
    struct jpeg_err e;
    struct jpeg_progress_mgr prog = {.progress_monitor = jpeg_progress};
    unsigned char *volatile row = NULL;
    memset(&e, 0, sizeof e);
    ci.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = jpeg_on_error;
    e.pub.emit_message = jpeg_on_message;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&ci);
        free(row);
        FAIL("corrupt JPEG: %s", e.msg);
    }
    jpeg_create_decompress(&ci);
    ci.progress = &prog;
    /* No backing store: beyond this the decoder fails instead of growing. */
    ci.mem->max_memory_to_use = 256L << 20;
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    char lim[160];
    if (check_size(ci.image_width, ci.image_height, max_pixels, lim,
                   sizeof lim) != 0) {
        jpeg_destroy_decompress(&ci);
        FAIL("%s", lim);
    }
    if (out) {
        out->width = (int)ci.image_width, out->height = (int)ci.image_height;
        out->components = ci.num_components;
        out->bit_depth = ci.data_precision;
        out->has_alpha = 0;
    }
    /* Decode at 1/8 scale: every entropy-coded byte is checked at a
     * fraction of the cost and with one small row. */
    ci.scale_num = 1, ci.scale_denom = 8;
    ci.dct_method = JDCT_IFAST;
    ci.do_fancy_upsampling = FALSE;
    ci.do_block_smoothing = FALSE;
    jpeg_start_decompress(&ci);
    row = malloc((size_t)ci.output_width * ci.output_components);
    if (!row) {
        snprintf(e.msg, sizeof e.msg, "out of memory");
        longjmp(e.jb, 1);
    }
    while (ci.output_scanline < ci.output_height && !e.fatal_warning) {
        JSAMPROW r = row;
        if (jpeg_read_scanlines(&ci, &r, 1) != 1) break;
    }
    if (!e.fatal_warning) jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    free(row);
    if (e.fatal_warning) FAIL("corrupt JPEG: %s", e.msg);
    return 0;
}

/* ---- GIF: walk the block structure (no decoding) */

static unsigned le16(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

static int gif_skip_subblocks(const unsigned char *p, size_t len, size_t *off)
{
    for (;;) {
        if (*off >= len) return -1;
        size_t n = p[(*off)++];
        if (n == 0) return 0;
        if (n > len - *off) return -1;
        *off += n;
    }
}

static int gif_probe(const unsigned char *p, size_t len, uint64_t max_pixels,
                     folio_image *out, char *msg, size_t msgsz)
{
    if (len < 13) FAIL("truncated GIF");
    unsigned w = le16(p + 6), h = le16(p + 8);
    if (check_size(w, h, max_pixels, msg, msgsz) != 0) return -1;
    size_t off = 13;
    if (p[10] & 0x80) off += 3u << ((p[10] & 7) + 1);
    int frames = 0, alpha = 0;
    for (;;) {
        if (off >= len) FAIL("truncated GIF (no trailer)");
        unsigned char b = p[off++];
        if (b == 0x3B) break;
        if (b == 0x21) {
            if (off >= len) FAIL("truncated GIF");
            unsigned char label = p[off++];
            if (label == 0xF9 && off + 2 <= len && p[off] >= 1)
                alpha |= p[off + 1] & 1;
            if (gif_skip_subblocks(p, len, &off) != 0)
                FAIL("truncated GIF extension");
        } else if (b == 0x2C) {
            if (len - off < 10) FAIL("truncated GIF image descriptor");
            unsigned fw = le16(p + off + 4), fh = le16(p + off + 6);
            if ((uint64_t)fw * fh > max_pixels)
                FAIL("a %ux%u GIF frame is over the limit", fw, fh);
            unsigned fx = le16(p + off), fy = le16(p + off + 2);
            /* A first frame short of the canvas leaves it transparent. */
            if (frames == 0 && (fx || fy || fx + fw < w || fy + fh < h))
                alpha = 1;
            unsigned char packed = p[off + 8];
            off += 9;
            if (packed & 0x80) off += 3u << ((packed & 7) + 1);
            if (off >= len) FAIL("truncated GIF frame");
            unsigned char code = p[off++];
            if (code < 2 || code > 11) FAIL("corrupt GIF frame");
            if (gif_skip_subblocks(p, len, &off) != 0)
                FAIL("truncated GIF frame");
            if (++frames > 100000) FAIL("too many GIF frames");
        } else {
            FAIL("corrupt GIF (block 0x%02x)", b);
        }
    }
    if (frames == 0) FAIL("a GIF without an image");
    if (out) {
        out->width = (int)w, out->height = (int)h;
        out->has_alpha = alpha;
        out->frames = frames;
    }
    return 0;
}

/* ---- WebP: the RIFF header and the first chunk */

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int webp_probe(const unsigned char *p, size_t len, uint64_t max_pixels,
                      folio_image *out, char *msg, size_t msgsz)
{
    if (len < 30) FAIL("truncated WebP");
    uint32_t riff = le32(p + 4);
    if ((uint64_t)riff + 8 > len) FAIL("truncated WebP");
    uint32_t chunk = le32(p + 16);
    if ((uint64_t)chunk + 20 > len) FAIL("truncated WebP chunk");
    const unsigned char *c = p + 20;
    uint32_t w, h;
    int alpha = 0;
    if (memcmp(p + 12, "VP8 ", 4) == 0) {
        if (chunk < 10 || (c[0] & 1) || memcmp(c + 3, "\x9d\x01\x2a", 3) != 0)
            FAIL("corrupt WebP (VP8 frame header)");
        w = le16(c + 6) & 0x3FFF, h = le16(c + 8) & 0x3FFF;
    } else if (memcmp(p + 12, "VP8L", 4) == 0) {
        if (chunk < 5 || c[0] != 0x2F) FAIL("corrupt WebP (VP8L signature)");
        uint32_t bits = le32(c + 1);
        w = (bits & 0x3FFF) + 1, h = ((bits >> 14) & 0x3FFF) + 1;
        alpha = (bits >> 28) & 1;
        if (bits >> 29) FAIL("corrupt WebP (VP8L version)");
    } else if (memcmp(p + 12, "VP8X", 4) == 0) {
        if (chunk < 10) FAIL("corrupt WebP (VP8X)");
        alpha = (c[0] >> 4) & 1;
        w = (c[4] | (uint32_t)c[5] << 8 | (uint32_t)c[6] << 16) + 1;
        h = (c[7] | (uint32_t)c[8] << 8 | (uint32_t)c[9] << 16) + 1;
    } else {
        FAIL("corrupt WebP (unknown chunk)");
    }
    if (check_size(w, h, max_pixels, msg, msgsz) != 0) return -1;
    if (out) {
        out->width = (int)w, out->height = (int)h;
        out->has_alpha = alpha;
    }
    return 0;
}

/* ---- SVG: a small XML scanner that accepts only what is safe to embed */

struct svg {
    const char *p, *end;
    char *msg;
    size_t msgsz;
    const char *stack[FOLIO_IMAGE_SVG_MAX_DEPTH];
    size_t stack_len[FOLIO_IMAGE_SVG_MAX_DEPTH];
    int depth, root_seen;
    double width, height, vb_w, vb_h;
};

#define SVG_FAIL(s, ...)                                                       \
    do {                                                                       \
        snprintf((s)->msg, (s)->msgsz, __VA_ARGS__);                           \
        return -1;                                                             \
    } while (0)

static int utf8_valid(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == 0) return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        int n = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
        if (c >= 0xF5 || n < 0 || len - i <= (size_t)n) return 0;
        uint32_t cp = c & (0x3F >> n);
        for (int k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += n + 1;
    }
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
           c == '.' || (unsigned char)c >= 0x80;
}

static const char *find(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    for (; p + n <= end; p++)
        if (memcmp(p, s, n) == 0) return p;
    return NULL;
}

/* The local part of a qualified name (after the last ':'). */
static void local_name(const char *name, size_t len, const char **l, size_t *ll)
{
    const char *c = name;
    for (size_t i = 0; i < len; i++)
        if (name[i] == ':') c = name + i + 1;
    *l = c;
    *ll = len - (size_t)(c - name);
}

static int name_is(const char *l, size_t ll, const char *s)
{
    return ll == strlen(s) && strncasecmp(l, s, ll) == 0;
}

/* Entities: only XML's five and character references (no DTD). */
static int svg_check_entities(struct svg *s, const char *p, const char *end)
{
    for (; p < end; p++) {
        if (*p != '&') continue;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!semi || semi - p > 12) SVG_FAIL(s, "an unterminated '&'");
        size_t n = (size_t)(semi - p - 1);
        const char *e = p + 1;
        if (!(name_is(e, n, "lt") || name_is(e, n, "gt") ||
              name_is(e, n, "amp") || name_is(e, n, "quot") ||
              name_is(e, n, "apos") || (n >= 2 && e[0] == '#')))
            SVG_FAIL(s, "an undefined entity &%.*s;", (int)n, e);
    }
    return 0;
}

/* A data: URI of a raster type is embedded, hence safe. */
static int data_image(const char *v, size_t n)
{
    static const char *ok[] = {"data:image/png", "data:image/jpeg",
                               "data:image/jpg", "data:image/gif",
                               "data:image/webp"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t k = strlen(ok[i]);
        if (n > k && strncasecmp(v, ok[i], k) == 0 &&
            (v[k] == ';' || v[k] == ','))
            return 1;
    }
    return 0;
}

static int local_ref(const char *v, size_t n)
{
    while (n && is_space(*v))
        v++, n--;
    return (n && v[0] == '#') || data_image(v, n);
}

static double svg_length(const char *v, size_t n)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return 0;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *unit;
    double d = strtod(tmp, &unit);
    while (is_space(*unit))
        unit++;
    if (!(d > 0) || d > FOLIO_IMAGE_MAX_SIDE * 8.0) return 0;
    static const struct {
        const char *u;
        double px;
    } units[] = {{"", 1},    {"px", 1},           {"pt", 4.0 / 3},
                 {"pc", 16}, {"mm", 96.0 / 25.4}, {"cm", 96.0 / 2.54},
                 {"in", 96}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].u) == 0) return d * units[i].px;
    return 0; /* %, em: relative to something we do not know */
}

static void svg_viewbox(struct svg *s, const char *v, size_t n)
{
    char tmp[128];
    if (n >= sizeof tmp) return;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    for (char *c = tmp; *c; c++)
        if (*c == ',') *c = ' ';
    double x, y, w, h;
    if (sscanf(tmp, "%lf %lf %lf %lf", &x, &y, &w, &h) == 4 && w > 0 && h > 0 &&
        w < 1e6 && h < 1e6)
        s->vb_w = w, s->vb_h = h;
}

static int svg_tag(struct svg *s)
{
    const char *p = s->p + 1, *end = s->end;
    const char *name = p;
    while (p < end && is_name_char(*p))
        p++;
    size_t nlen = (size_t)(p - name);
    if (nlen == 0) SVG_FAIL(s, "a malformed tag");
    const char *l;
    size_t ll;
    local_name(name, nlen, &l, &ll);
    static const char *banned[] = {"script",  "foreignObject", "iframe",
                                   "object",  "embed",         "handler",
                                   "listener"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        if (name_is(l, ll, banned[i]))
            SVG_FAIL(s, "an SVG with <%s> is not embedded", banned[i]);
    int is_root = !s->root_seen;
    if (is_root) {
        if (!(ll == 3 && memcmp(l, "svg", 3) == 0))
            SVG_FAIL(s, "the root element is <%.*s>, not <svg>", (int)nlen,
                     name);
        s->root_seen = 1;
    } else if (s->depth == 0) {
        SVG_FAIL(s, "content after the root element");
    }
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p >= end)
            SVG_FAIL(s, "an unterminated tag <%.*s>", (int)nlen, name);
        if (*p == '>' || (*p == '/' && p + 1 < end && p[1] == '>')) break;
        const char *an = p;
        while (p < end && is_name_char(*p))
            p++;
        size_t alen = (size_t)(p - an);
        if (alen == 0)
            SVG_FAIL(s, "a malformed attribute in <%.*s>", (int)nlen, name);
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p != '=') SVG_FAIL(s, "an attribute without a value");
        p++;
        while (p < end && is_space(*p))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            SVG_FAIL(s, "an unquoted attribute");
        char q = *p++;
        const char *v = p;
        while (p < end && *p != q && *p != '<')
            p++;
        if (p >= end || *p != q) SVG_FAIL(s, "an unterminated attribute value");
        size_t vlen = (size_t)(p - v);
        p++;
        if (svg_check_entities(s, v, v + vlen) != 0) return -1;
        const char *al;
        size_t all;
        local_name(an, alen, &al, &all);
        if (all >= 2 && strncasecmp(al, "on", 2) == 0)
            SVG_FAIL(s, "an SVG with an event attribute (%.*s) is not embedded",
                     (int)alen, an);
        if (name_is(al, all, "href") || name_is(al, all, "src") ||
            name_is(an, alen, "xml:base")) {
            if (name_is(an, alen, "xml:base") || !local_ref(v, vlen))
                SVG_FAIL(s,
                         "an SVG with an external reference (%.*s=\"%.*s\") "
                         "is not embedded",
                         (int)alen, an, (int)(vlen > 60 ? 60 : vlen), v);
        }
        if (is_root && name_is(an, alen, "width"))
            s->width = svg_length(v, vlen);
        if (is_root && name_is(an, alen, "height"))
            s->height = svg_length(v, vlen);
        if (is_root && name_is(an, alen, "viewBox")) svg_viewbox(s, v, vlen);
    }
    if (*p == '/') {
        p += 2;
    } else {
        if (s->depth >= FOLIO_IMAGE_SVG_MAX_DEPTH)
            SVG_FAIL(s, "elements nested deeper than %d",
                     FOLIO_IMAGE_SVG_MAX_DEPTH);
        s->stack[s->depth] = name;
        s->stack_len[s->depth++] = nlen;
        p++;
    }
    s->p = p;
    return 0;
}

static int svg_scan(struct svg *s)
{
    const char *start = s->p;
    while (s->p < s->end) {
        const char *lt = memchr(s->p, '<', (size_t)(s->end - s->p));
        const char *text_end = lt ? lt : s->end;
        if (svg_check_entities(s, s->p, text_end) != 0) return -1;
        if (!lt) break;
        if (s->depth == 0) /* outside the root: only spaces */
            for (const char *c = s->p; c < lt; c++)
                if (!is_space(*c)) SVG_FAIL(s, "text outside the root element");
        s->p = lt;
        size_t left = (size_t)(s->end - lt);
        if (left >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *e = find(lt + 4, s->end, "-->");
            if (!e) SVG_FAIL(s, "an unterminated comment");
            s->p = e + 3;
        } else if (left >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
            if (s->depth == 0) SVG_FAIL(s, "CDATA outside the root element");
            const char *e = find(lt + 9, s->end, "]]>");
            if (!e) SVG_FAIL(s, "an unterminated CDATA section");
            s->p = e + 3;
        } else if (left >= 2 && lt[1] == '?') {
            const char *e = find(lt + 2, s->end, "?>");
            if (lt != start || left < 6 || memcmp(lt, "<?xml", 5) != 0 ||
                !is_space(lt[5]) || !e)
                SVG_FAIL(s, "an SVG with a processing instruction is not "
                            "embedded");
            const char *enc = find(lt, e, "encoding");
            if (enc && !find(enc, e, "UTF-8") && !find(enc, e, "utf-8"))
                SVG_FAIL(s, "an SVG not in UTF-8");
            s->p = e + 2;
        } else if (left >= 2 && lt[1] == '!') {
            SVG_FAIL(s, "an SVG with a DOCTYPE (entities, external DTD) is "
                        "not embedded");
        } else if (left >= 2 && lt[1] == '/') {
            const char *p = lt + 2, *name = p;
            while (p < s->end && is_name_char(*p))
                p++;
            size_t n = (size_t)(p - name);
            while (p < s->end && is_space(*p))
                p++;
            if (p >= s->end || *p != '>') SVG_FAIL(s, "a malformed end tag");
            if (s->depth == 0 || s->stack_len[s->depth - 1] != n ||
                memcmp(s->stack[s->depth - 1], name, n) != 0)
                SVG_FAIL(s, "a mismatched end tag </%.*s>", (int)n, name);
            s->depth--;
            s->p = p + 1;
        } else {
            if (svg_tag(s) != 0) return -1;
        }
    }
    if (!s->root_seen) SVG_FAIL(s, "no <svg> element");
    if (s->depth != 0)
        SVG_FAIL(s, "an unclosed element <%.*s>",
                 (int)s->stack_len[s->depth - 1], s->stack[s->depth - 1]);
    return 0;
}

/* References hidden in CSS (style attributes and elements). */
static int svg_check_css(struct svg *s, const char *p, const char *end)
{
    for (const char *c = p; c < end; c++) {
        size_t left = (size_t)(end - c);
        if (left >= 7 && strncasecmp(c, "@import", 7) == 0)
            SVG_FAIL(s, "an SVG with @import is not embedded");
        if (left >= 11 && strncasecmp(c, "javascript:", 11) == 0)
            SVG_FAIL(s, "an SVG with javascript: is not embedded");
        if (left >= 4 && strncasecmp(c, "url(", 4) == 0) {
            const char *v = c + 4;
            while (v < end && (is_space(*v) || *v == '"' || *v == '\''))
                v++;
            const char *close = memchr(v, ')', (size_t)(end - v));
            size_t n = close ? (size_t)(close - v) : (size_t)(end - v);
            if (!local_ref(v, n))
                SVG_FAIL(s,
                         "an SVG with an external reference (url(%.*s)) is "
                         "not embedded",
                         (int)(n > 60 ? 60 : n), v);
        }
    }
    return 0;
}

static int svg_probe(const unsigned char *data, size_t len, folio_image *out,
                     char *msg, size_t msgsz)
{
    if (!utf8_valid(data, len)) FAIL("an SVG that is not valid UTF-8");
    struct svg *s = calloc(1, sizeof *s);
    if (!s) FAIL("out of memory");
    s->p = (const char *)data, s->end = (const char *)data + len;
    s->msg = msg, s->msgsz = msgsz;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) s->p += 3;
    while (s->p < s->end && is_space(*s->p))
        s->p++;
    int r = svg_check_css(s, s->p, s->end);
    if (r == 0) r = svg_scan(s);
    if (r == 0 && out) {
        double w = s->width, h = s->height;
        if (w > 0 && !(h > 0) && s->vb_w > 0) h = w * s->vb_h / s->vb_w;
        if (h > 0 && !(w > 0) && s->vb_h > 0) w = h * s->vb_w / s->vb_h;
        if (!(w > 0) && !(h > 0)) w = s->vb_w, h = s->vb_h;
        out->width = w >= 1 && w <= FOLIO_IMAGE_MAX_SIDE ? (int)(w + 0.5) : 0;
        out->height = h >= 1 && h <= FOLIO_IMAGE_MAX_SIDE ? (int)(h + 0.5) : 0;
    }
    free(s);
    return r;
}

/* ---- entry points */

static void hex_id(const unsigned char *h, char *id)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        id[2 * i] = hex[h[i] >> 4];
        id[2 * i + 1] = hex[h[i] & 15];
    }
    id[16] = 0;
}

int folio_image_probe(const unsigned char *data, size_t len,
                      uint64_t max_pixels, folio_image *out, char *msg,
                      size_t msgsz)
{
    folio_image tmp;
    if (!out) out = &tmp;
    memset(out, 0, sizeof *out);
    if (msgsz) msg[0] = 0;
    if (max_pixels == 0) max_pixels = FOLIO_IMAGE_MAX_PIXELS;
    if (len == 0) FAIL("an empty file");
    int t = folio_image_sniff(data, len);
    out->data = data, out->len = len, out->type = t, out->frames = 1;
    out->media_type = folio_image_media_type(t);
    out->ext = folio_image_ext(t);
    int r;
    switch (t) {
    case FOLIO_IMAGE_PNG:
        r = png_chunks(data, len, msg, msgsz);
        if (r == 0) r = png_run(data, len, max_pixels, out, NULL, msg, msgsz);
        break;
    case FOLIO_IMAGE_JPEG:
        r = jpeg_probe(data, len, max_pixels, out, msg, msgsz);
        break;
    case FOLIO_IMAGE_GIF:
        r = gif_probe(data, len, max_pixels, out, msg, msgsz);
        break;
    case FOLIO_IMAGE_WEBP:
        r = webp_probe(data, len, max_pixels, out, msg, msgsz);
        break;
    case FOLIO_IMAGE_SVG:
        r = svg_probe(data, len, out, msg, msgsz);
        break;
    default:
        FAIL("not a PNG, JPEG, GIF, WebP or SVG image");
    }
    if (r != 0) return -1;
    folio_sha256(data, len, out->sha256);
    hex_id(out->sha256, out->id);
    return 0;
}

/* RGBA (malloc'd, consumed) into px: RGB in place, alpha beside it (NULL
 * when every pixel is opaque). */
static int split_rgba(unsigned char *rgba, int w, int h, folio_pixels *px,
                      char *msg, size_t msgsz)
{
    size_t n = (size_t)w * h;
    unsigned char *alpha = malloc(n);
    if (!alpha) {
        free(rgba);
        FAIL("out of memory");
    }
    int used = rgba_to_rgb(rgba, alpha, n);
    unsigned char *rgb = realloc(rgba, n * 3);
    px->width = w, px->height = h;
    px->rgb = rgb ? rgb : rgba;
    px->alpha = used ? alpha : NULL;
    if (!used) free(alpha);
    return 0;
}

struct gif_src {
    const unsigned char *p;
    size_t len, off;
};

static int gif_read(GifFileType *g, GifByteType *buf, int n)
{
    struct gif_src *s = g->UserData;
    size_t k = (size_t)n < s->len - s->off ? (size_t)n : s->len - s->off;
    memcpy(buf, s->p + s->off, k);
    s->off += k;
    return (int)k;
}

/* The first frame of a GIF on its canvas (transparent where the frame
 * does not reach or uses the transparent colour).  giflib's DGifSlurp
 * would hold every frame: this reads one, a row at a time. */
static int gif_decode(const unsigned char *data, size_t len, folio_pixels *px,
                      char *msg, size_t msgsz)
{
    struct gif_src src = {data, len, 0};
    int err = 0;
    GifFileType *g = DGifOpen(&src, gif_read, &err);
    if (!g) FAIL("corrupt GIF: %s", GifErrorString(err));
    int w = g->SWidth, h = g->SHeight, trans = -1, done = 0;
    unsigned char *rgba = NULL, *line = NULL;
    const char *why = NULL;
    if (check_size((uint64_t)(w > 0 ? w : 0), (uint64_t)(h > 0 ? h : 0),
                   FOLIO_IMAGE_MAX_PIXELS, msg, msgsz) != 0) {
        DGifCloseFile(g, &err);
        return -1;
    }
    rgba = calloc((size_t)w * h, 4);
    if (!rgba) why = "out of memory";
    while (!why && !done) {
        GifRecordType type;
        if (DGifGetRecordType(g, &type) == GIF_ERROR) {
            why = GifErrorString(g->Error);
            break;
        }
        if (type == EXTENSION_RECORD_TYPE) {
            int code;
            GifByteType *ext;
            if (DGifGetExtension(g, &code, &ext) == GIF_ERROR) {
                why = GifErrorString(g->Error);
                break;
            }
            if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4)
                trans = (ext[1] & 1) ? ext[4] : -1;
            while (ext)
                if (DGifGetExtensionNext(g, &ext) == GIF_ERROR) {
                    why = GifErrorString(g->Error);
                    break;
                }
        } else if (type == IMAGE_DESC_RECORD_TYPE) {
            if (DGifGetImageDesc(g) == GIF_ERROR) {
                why = GifErrorString(g->Error);
                break;
            }
            GifImageDesc *d = &g->Image;
            ColorMapObject *cm = d->ColorMap ? d->ColorMap : g->SColorMap;
            if (!cm || d->Width <= 0 || d->Height <= 0 ||
                (uint64_t)d->Width * d->Height > FOLIO_IMAGE_MAX_PIXELS) {
                why = "a frame without colours or over the limits";
                break;
            }
            line = malloc((size_t)d->Width);
            if (!line) {
                why = "out of memory";
                break;
            }
            static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
            int passes = d->Interlace ? 4 : 1;
            for (int pass = 0; pass < passes && !why; pass++)
                for (int y = d->Interlace ? start[pass] : 0; y < d->Height;
                     y += d->Interlace ? step[pass] : 1) {
                    if (DGifGetLine(g, line, d->Width) == GIF_ERROR) {
                        why = GifErrorString(g->Error);
                        break;
                    }
                    int cy = d->Top + y;
                    if (cy < 0 || cy >= h) continue;
                    for (int x = 0; x < d->Width; x++) {
                        int cx = d->Left + x, c = line[x];
                        if (cx < 0 || cx >= w || c == trans) continue;
                        unsigned char *p = rgba + ((size_t)cy * w + cx) * 4;
                        p[3] = 0xFF;
                        if (c >= cm->ColorCount) continue; /* black */
                        p[0] = cm->Colors[c].Red, p[1] = cm->Colors[c].Green;
                        p[2] = cm->Colors[c].Blue;
                    }
                }
            done = 1;
        } else if (type == TERMINATE_RECORD_TYPE) {
            why = "no image in the file";
        }
    }
    DGifCloseFile(g, &err);
    free(line);
    if (why) {
        free(rgba);
        FAIL("corrupt GIF: %s", why ? why : "unknown error");
    }
    return split_rgba(rgba, w, h, px, msg, msgsz);
}

static int webp_decode(const unsigned char *data, size_t len, folio_pixels *px,
                       char *msg, size_t msgsz)
{
    WebPBitstreamFeatures f;
    if (WebPGetFeatures(data, len, &f) != VP8_STATUS_OK) FAIL("corrupt WebP");
    if (f.has_animation) FAIL("an animated WebP is not decoded");
    if (check_size((uint64_t)(f.width > 0 ? f.width : 0),
                   (uint64_t)(f.height > 0 ? f.height : 0),
                   FOLIO_IMAGE_MAX_PIXELS, msg, msgsz) != 0)
        return -1;
    size_t n = (size_t)f.width * f.height;
    unsigned char *rgba = malloc(n * 4);
    if (!rgba) FAIL("out of memory");
    if (!WebPDecodeRGBAInto(data, len, rgba, n * 4, f.width * 4)) {
        free(rgba);
        FAIL("corrupt WebP: the image data does not decode");
    }
    return split_rgba(rgba, f.width, f.height, px, msg, msgsz);
}

int folio_image_decode(const folio_image *img, folio_pixels *out, char *msg,
                       size_t msgsz)
{
    memset(out, 0, sizeof *out);
    if (msgsz) msg[0] = 0;
    switch (img->type) {
    case FOLIO_IMAGE_PNG:
        return png_run(img->data, img->len, FOLIO_IMAGE_MAX_PIXELS, NULL, out,
                       msg, msgsz);
    case FOLIO_IMAGE_GIF:
        return gif_decode(img->data, img->len, out, msg, msgsz);
    case FOLIO_IMAGE_WEBP:
        return webp_decode(img->data, img->len, out, msg, msgsz);
    default:
        FAIL("%s images are not decoded (JPEG passes through as it is)",
             folio_image_type_name(img->type));
    }
}

void folio_pixels_free(folio_pixels *px)
{
    free(px->rgb);
    free(px->alpha);
    px->rgb = px->alpha = NULL;
}

/* ---- SHA-256 (FIPS 180-4) */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t st[8], const unsigned char *b)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = st[0], b2 = st[1], c = st[2], d = st[3], e = st[4], f = st[5],
             g = st[6], h = st[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b2) ^ (a & c) ^ (b2 & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b2, b2 = a, a = t1 + t2;
    }
    st[0] += a, st[1] += b2, st[2] += c, st[3] += d;
    st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

void folio_sha256(const void *data, size_t len, unsigned char out[32])
{
    uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    size_t n = len;
    for (; n >= 64; p += 64, n -= 64)
        sha256_block(st, p);
    unsigned char tail[128] = {0};
    memcpy(tail, p, n);
    tail[n] = 0x80;
    size_t tl = n < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(st, tail);
    if (tl == 128) sha256_block(st, tail + 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(st[i] >> 24);
        out[4 * i + 1] = (unsigned char)(st[i] >> 16);
        out[4 * i + 2] = (unsigned char)(st[i] >> 8);
        out[4 * i + 3] = (unsigned char)st[i];
    }
}
