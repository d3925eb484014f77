/* Figures: an image's type sniffed from its bytes, its dimensions and
 * properties read safely within documented limits, the file found from the
 * reference a post makes, and a per-book cache so each image is read and
 * validated once.  Nothing here prints: problems come back as a message
 * (without the "post:line:col: warning:" prefix, which the caller adds).
 *
 * Memory bounds (folio(1), LIMITS):
 *   - an image file is at most FOLIO_IMAGE_MAX_BYTES (refused from its size
 *     before it is read);
 *   - at most FOLIO_IMAGE_MAX_PIXELS pixels and FOLIO_IMAGE_MAX_SIDE per
 *     side, checked from the header before anything is allocated for the
 *     pixels; validating a PNG checks its chunks' CRCs without inflating;
 *     a JPEG is decoded at 1/8 scale one row at a time, its decoder held to
 *     256 MiB; folio_image_decode() allocates at most 5 bytes a pixel
 *     (250 MB at the pixel limit) and frees them with the result;
 *   - the distinct image files a context holds total at most
 *     FOLIO_IMAGE_MAX_TOTAL bytes (the host makes one context per book).
 */
#ifndef FOLIO_IMAGE_H
#define FOLIO_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define FOLIO_IMAGE_MAX_BYTES ((size_t)32 << 20)
#define FOLIO_IMAGE_MAX_PIXELS ((uint64_t)50000000)
#define FOLIO_IMAGE_MAX_SIDE 32768
#define FOLIO_IMAGE_MAX_TOTAL ((size_t)512 << 20)
/* An SVG nested deeper than this is refused (it is scanned with a stack). */
#define FOLIO_IMAGE_SVG_MAX_DEPTH 256

/* folio_image, folio_pixels and the type enum are public (the host
 * lends them to plugins): <folio/plugin.h>. */
#include <folio/plugin.h>

/* ---- image.c: bytes in, facts out (no files, no state) */

/* The type of an image from its first bytes (FOLIO_IMAGE_UNKNOWN if none of
 * the five). */
int folio_image_sniff(const unsigned char *data, size_t len);
/* The type a file name's extension claims (.png, .jpg/.jpeg/.jpe/.jfif,
 * .gif, .webp, .svg), or FOLIO_IMAGE_UNKNOWN. */
int folio_image_type_from_name(const char *name);
const char *folio_image_type_name(int type); /* "PNG", "JPEG"... */
const char *folio_image_media_type(int type);
const char *folio_image_ext(int type);

/* Sniff and validate data (PNG: the header through libpng, and every
 * chunk whole with its CRC right; JPEG: header plus a 1/8-scale decode; GIF:
 * its block structure; WebP: its header; SVG: the safety scan below), fill the
 * fields of out other than path (out->data points at data).  max_pixels 0 means
 * the default. Returns 0, or -1 with a message in msg.
 *
 * An SVG is accepted only when safe to embed in an EPUB: well-formed
 * (balanced elements, quoted attributes, root <svg>), UTF-8, no DOCTYPE or
 * processing instruction other than the XML declaration, no <script>,
 * <foreignObject>, <iframe>, <object> or <embed>, no on* attribute, no
 * href other than "#..." or a data:image/ (PNG, JPEG, GIF, WebP), no
 * url(...) other than url(#...), no @import and no "javascript:". */
int folio_image_probe(const unsigned char *data, size_t len,
                      uint64_t max_pixels, folio_image *out, char *msg,
                      size_t msgsz);

/* Decode a PNG (libpng), a GIF's first frame (giflib, one row at a time)
 * or a still WebP (libwebp) to 8-bit RGB plus an alpha plane (NULL when
 * every pixel is opaque).  Returns 0, or -1 with a message (JPEG or SVG,
 * an animated WebP, corrupt data, over the limits, out of memory).  Free
 * with folio_pixels_free(). */
int folio_image_decode(const folio_image *img, folio_pixels *out, char *msg,
                       size_t msgsz);
void folio_pixels_free(folio_pixels *px);

void folio_sha256(const void *data, size_t len, unsigned char out[32]);

/* ---- imgload.c: the per-book context, the cache, the entry point */

typedef struct folio_image_opts {
    /* Folders searched for site-absolute (/x.png) and relative references
     * after the post's folder and its site root: "DIR[:DIR...]", or NULL. */
    const char *resource_path;
    int fetch;             /* fetch http(s) images (else they are "remote") */
    int allow_http;        /* fetch plain http: too (else https only) */
    const char *cache_dir; /* NULL: $XDG_CACHE_HOME/folio/images or
                              ~/.cache/folio/images */
    long connect_timeout_ms, timeout_ms; /* 0: 10 s and 30 s */
    size_t max_bytes;                    /* 0: FOLIO_IMAGE_MAX_BYTES */
    uint64_t max_pixels;                 /* 0: FOLIO_IMAGE_MAX_PIXELS */
    size_t max_total;                    /* 0: FOLIO_IMAGE_MAX_TOTAL */
} folio_image_opts;

typedef struct folio_image_ctx folio_image_ctx;

/* opts is copied; NULL means all defaults.  Never NULL (aborts on OOM). */
folio_image_ctx *folio_image_ctx_new(const folio_image_opts *opts);
void folio_image_ctx_free(folio_image_ctx *ctx);

/* Results of folio_image_load(): FOLIO_IMAGE_ERROR, _OK, _REMOTE
 * (<folio/plugin.h>). */

/* Load the image a post refers to, as written (Markdown destination, HTML
 * src, Liquid form).  post_path is the post's file (its folder and site
 * root are searched).  Thread-safe: any number of threads may call it on
 * one context; each file is read and validated once per context (keyed by
 * real path, device, inode, size and mtime), each URL fetched once. */
int folio_image_load(folio_image_ctx *ctx, const char *post_path,
                     const char *ref, folio_image *out, char *msg,
                     size_t msgsz);
/* The same for a path given by the user (--cover FILE): no containment. */
int folio_image_load_path(folio_image_ctx *ctx, const char *path,
                          folio_image *out, char *msg, size_t msgsz);

/* Statistics, for tests and the verbose report. */
typedef struct folio_image_stats {
    size_t files_read; /* files read from disk (each once) */
    size_t bytes_held; /* bytes of distinct files held */
    size_t fetched;    /* URLs fetched over the network */
    size_t hits;       /* loads answered from the cache */
} folio_image_stats;
void folio_image_ctx_stats(folio_image_ctx *ctx, folio_image_stats *st);

#endif
