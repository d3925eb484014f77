/* Fuzz target: image sniffing, validation and decoding (image.c), and the
 * reference and HTML <img> parsers (resolve.c), on any bytes.  A PNG, GIF
 * or WebP the validator accepts and its library decodes has the size and
 * (PNG, GIF) at most the transparency the validator reported. */
#include "image.h"
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    folio_image img;
    /* A smaller pixel limit keeps each input fast. */
    if (folio_image_probe(data, size, 1u << 20, &img, msg, sizeof msg) == 0) {
        if (img.type != folio_image_sniff(data, size)) abort();
        if (img.type == FOLIO_IMAGE_PNG || img.type == FOLIO_IMAGE_GIF ||
            img.type == FOLIO_IMAGE_WEBP) {
            folio_pixels px;
            if (folio_image_decode(&img, &px, msg, sizeof msg) == 0) {
                if (px.width != img.width || px.height != img.height) abort();
                /* (WebP's alpha flag is only a hint.) */
                if (px.alpha && !img.has_alpha && img.type != FOLIO_IMAGE_WEBP)
                    abort();
                folio_pixels_free(&px);
            }
        }
    }
    if (size < 4096) {
        char *s = malloc(size + 1);
        if (!s) return 0;
        memcpy(s, data, size);
        s[size] = 0;
        char *out;
        if (folio_ref_normalize(s, &out, msg, sizeof msg) != FOLIO_REF_ERROR)
            free(out);
        char *src, *alt;
        size_t end;
        if (folio_html_img(s, size, &src, &alt, &end) == 1) {
            if (end > size) abort();
            free(src);
            free(alt);
        }
        size_t n, ned;
        folio_liquid_edit *ed;
        char *lq = folio_liquid_paths(s, size, &n, &ed, &ned);
        if (lq) {
            if (n > size + 1) abort(); /* Liquid never lengthens a line */
            for (size_t i = 0; i < ned; i++)
                if (ed[i].in_off + ed[i].in_len > size ||
                    ed[i].out_off + ed[i].out_len > n)
                    abort();
            free(lq);
            free(ed);
        }
        free(s);
    }
    return 0;
}
