/* figure.c - a post's images drawn in the PDF.
 *
 * The host finds and checks each image (folio_host.image).  A JPEG is
 * passed through (DCTDecode, not re-encoded); PNG, GIF and WebP are
 * decoded by the host to RGB plus an alpha plane, written as a raw image
 * with a soft mask for the alpha.  Each distinct image (by the SHA-256 of
 * its bytes) becomes one XObject per document however often it is drawn.
 * A figure is scaled to the column at 96 dpi at most, never taller than
 * the page, moved to the next page rather than split, and kept with its
 * caption (the alt text, else the title): the caption is text, so the alt
 * text can be extracted.  An SVG is not drawn (its alt text is shown).
 */
#include "pdf.h"
#include "tag.h"

#include <stdlib.h>
#include <string.h>

typedef struct pdf_imgcache {
    unsigned char sha[32];
    HPDF_Image image; /* NULL: could not be made (alt text instead) */
} pdf_imgcache;

static int drawable(const folio_image *f)
{
    return f->type == FOLIO_IMAGE_JPEG || f->type == FOLIO_IMAGE_PNG ||
           f->type == FOLIO_IMAGE_GIF || f->type == FOLIO_IMAGE_WEBP;
}

int pdf_image(pdf_ctx *c, const folio_node *n, folio_image *f)
{
    const folio_host *h = c->host;
    memset(f, 0, sizeof *f);
    if (!FOLIO_HOST_HAS(h, image) || !h->image || !c->d)
        return FOLIO_IMAGE_ERROR;
    int rc = h->image(c->job, c->d, n, f);
    if (rc == FOLIO_IMAGE_OK && !drawable(f)) rc = FOLIO_IMAGE_ERROR;
    return rc;
}

/* A JPEG as it is (libharu copies its bytes); anything else from the
 * host's decoded pixels, with the alpha plane as a soft mask. */
static HPDF_Image make_image(pdf_ctx *c, const folio_image *f)
{
    if (f->type == FOLIO_IMAGE_JPEG)
        return HPDF_LoadJpegImageFromMem(c->doc, f->data, (HPDF_UINT)f->len);
    folio_pixels px;
    if (c->host->image_pixels(c->job, f, &px) != 0) return NULL;
    HPDF_Image im =
        HPDF_LoadRawImageFromMem(c->doc, px.rgb, (HPDF_UINT)px.width,
                                 (HPDF_UINT)px.height, HPDF_CS_DEVICE_RGB, 8);
    if (im && px.alpha) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(
            c->doc, px.alpha, (HPDF_UINT)px.width, (HPDF_UINT)px.height,
            HPDF_CS_DEVICE_GRAY, 8);
        if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK ||
            pdf_deflate_now(c, mask) != 0)
            im = NULL;
    }
    c->host->pixels_free(&px);
    /* Deflated at once: a month of figures is not held as raw pixels. */
    if (im && pdf_deflate_now(c, im) != 0) im = NULL;
    return im;
}

/* The document's XObject for f, made once. */
static HPDF_Image image_for(pdf_ctx *c, const folio_image *f)
{
    for (size_t i = 0; i < c->nimgs; i++)
        if (memcmp(c->imgs[i].sha, f->sha256, 32) == 0) return c->imgs[i].image;
    if (c->nimgs == c->capimgs) {
        size_t cap = c->capimgs ? c->capimgs * 2 : 16;
        pdf_imgcache *v = realloc(c->imgs, cap * sizeof *v);
        if (!v) abort();
        c->imgs = v;
        c->capimgs = cap;
    }
    /* libharu reports a bad JPEG through the error handler: not a failed
     * document, only a figure shown as its alt text. */
    int failed = c->failed;
    HPDF_Image im = make_image(c, f);
    if (!im) {
        c->failed = failed;
        HPDF_ResetError(c->doc);
        c->host->report(c->job, FOLIO_WARNING, f->path, 0, 0,
                        "image could not be embedded in the PDF");
    }
    pdf_imgcache *e = &c->imgs[c->nimgs++];
    memcpy(e->sha, f->sha256, 32);
    e->image = im;
    return im;
}

int pdf_image_drawn(pdf_ctx *c, const folio_node *n)
{
    folio_image f;
    return pdf_image(c, n, &f) == FOLIO_IMAGE_OK && image_for(c, &f) != NULL;
}

/* The caption (alt text, else title) broken into lines of the column, and
 * the figure's size there: 96 dpi (a pixel is 0.75 pt), down to the column
 * and the page.  Returns 0 when n cannot be drawn. */
static int measure(pdf_ctx *c, const folio_node *n, float colw, pdf_para *p,
                   HPDF_Image *im, float *w, float *h, float *caph)
{
    folio_image f;
    if (pdf_image(c, n, &f) != FOLIO_IMAGE_OK) return 0;
    if (!(*im = image_for(c, &f))) return 0;
    folio_buf t = {0};
    c->host->plain_text(&t, n->child);
    if (!t.len && n->u.link.title) c->host->buf_puts(&t, n->u.link.title);
    pdf_style st = {ROLE_REGULAR, 1, 0, 0, SMALL_SIZE + 0.5f, GREY_RGB, -1};
    pdf_para_init(p, &st, 1.35f);
    p->align = ALIGN_CENTER;
    p->line = n->line;
    if (t.len) pdf_para_text(c, p, t.data, t.len);
    c->host->buf_free(&t);
    pdf_para_break(c, p, colw);
    *caph = 0;
    for (size_t i = 0; i < p->nlines; i++)
        *caph += p->lines[i].size * p->leading;
    float gap = *caph > 0 ? 4 : 0;
    *w = (float)f.width * 0.75f;
    *h = (float)f.height * 0.75f;
    float maxh = c->ph - c->mt - c->mb - *caph - gap - 8;
    if (*w > colw) {
        *h *= colw / *w;
        *w = colw;
    }
    if (*h > maxh && maxh > 10) {
        *w *= maxh / *h;
        *h = maxh;
    }
    if (*w < 1 || *h < 1) {
        pdf_para_free(c, p);
        return 0;
    }
    *caph += gap;
    return 1;
}

float pdf_figure_height(pdf_ctx *c, const folio_node *n, float colw)
{
    pdf_para p;
    HPDF_Image im;
    float w, h, caph;
    if (!measure(c, n, colw, &p, &im, &w, &h, &caph)) return 0;
    pdf_para_free(c, &p);
    return 4 + h + caph;
}

int pdf_figure(pdf_ctx *c, const folio_node *n, float x, float colw)
{
    pdf_para p;
    HPDF_Image im;
    float w, h, caph;
    if (!measure(c, n, colw, &p, &im, &w, &h, &caph)) return 0;
    pdf_vspace(c, 4);
    pdf_need(c, h + caph);
    float ix = x + (colw - w) / 2;
    pdf_tag_figure(c, n, ix, c->y - h, ix + w, c->y);
    HPDF_Page_DrawImage(c->page, im, ix, c->y - h, w, h);
    c->y -= h + (p.nlines ? 4 : 0);
    if (p.nlines) {
        pdf_tag_begin(c, "Caption");
        pdf_flow(c, &p, 0);
        pdf_tag_end(c);
    }
    pdf_tag_end(c); /* Figure */
    pdf_vspace(c, c->size * 0.6f);
    pdf_para_free(c, &p);
    return 1;
}

void pdf_images_free(pdf_ctx *c)
{
    free(c->imgs);
    c->imgs = NULL;
    c->nimgs = c->capimgs = 0;
}
