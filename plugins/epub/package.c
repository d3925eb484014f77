/* package.c - the book around its documents: the package document
 * (content.opf: metadata, manifest, spine), the EPUB 3 nav and the NCX for
 * older readers, the title page, the cover page and the figures' members.
 *
 * Below epub.c, which calls it; it calls render.c's XHTML helpers, a11y.c
 * for the package's accessibility metadata, and archive.c for the streams
 * and members, never back up. */
#include "epub.h"

#include <string.h>

/* -------------------------------------------------------------- labels */

/* Plain labels for the nav and NCX (escaped later). */
static void day_label(const folio_host *h, folio_buf *b, const char *title,
                      const char *date, const char *name)
{
    char d[FOLIO_DATE_MAX];
    h->date_text(date, 0, d, sizeof d);
    b->len = 0;
    if (*d && !h->title_sans_date(title, date, NULL, 0))
        h->buf_printf(b, "%s \xC2\xB7 ", d);
    h->buf_puts(b, title && !blank(title) ? title : name ? name : "digest");
}

static void paper_label(const folio_host *h, folio_buf *b, const folio_paper *p,
                        size_t k)
{
    b->len = 0;
    if (p->number > 0) putn(h, b, "", (size_t)p->number, ". ");
    if (p->title && !blank(p->title))
        h->buf_puts(b, p->title);
    else if (p->number <= 0)
        h->buf_printf(b, "\xC2\xA7 %zu", k + 1);
}

static void section_label(const folio_host *h, folio_buf *b,
                          const folio_section *s, size_t k)
{
    b->len = 0;
    if (s->title && !blank(s->title))
        h->buf_puts(b, s->title);
    else
        h->buf_printf(b, "\xC2\xA7 %zu", k + 1);
}

static const char *book_title(const folio_book *b)
{
    return b->title && !blank(b->title) ? b->title : "Untitled";
}

/* Digest i's document: d001.xhtml ("" for ext: its manifest id). */
void doc_name(epub *e, folio_buf *b, size_t i, const char *ext)
{
    b->len = 0;
    e->h->buf_printf(b, "d%0*zu%s", e->width, i + 1, ext);
}

/* ----------------------------------------------------- nav and NCX */

static void nav_open(epub *e, int level, const char *file, const char *frag,
                     const char *label, const char *lang)
{
    const folio_host *h = e->h;
    h->buf_puts(&e->nav, "<li");
    if (lang) {
        h->buf_puts(&e->nav, " xml:lang=\"");
        h->buf_puts(&e->nav, lang);
        h->buf_puts(&e->nav, "\" lang=\"");
        h->buf_puts(&e->nav, lang);
        h->buf_puts(&e->nav, "\"");
    }
    h->buf_puts(&e->nav, "><a href=\"");
    h->buf_puts(&e->nav, file);
    h->buf_puts(&e->nav, frag);
    h->buf_puts(&e->nav, "\">");
    h->xml_escape(&e->nav, label, strlen(label));
    h->buf_puts(&e->nav, "</a>");

    e->play++;
    putn(h, &e->ncx, "<navPoint id=\"n", (size_t)e->play, "\" ");
    putn(h, &e->ncx, "playOrder=\"", (size_t)e->play, "\"><navLabel><text>");
    h->xml_escape(&e->ncx, label, strlen(label));
    h->buf_puts(&e->ncx, "</text></navLabel><content src=\"");
    h->buf_puts(&e->ncx, file);
    h->buf_puts(&e->ncx, frag);
    h->buf_puts(&e->ncx, "\"/>\n");
    if (level > e->ncx_depth) e->ncx_depth = level;
}

static void nav_close(epub *e)
{
    e->h->buf_puts(&e->nav, "</li>\n");
    e->h->buf_puts(&e->ncx, "</navPoint>\n");
}

/* The sections under an entry at toc level `level`, when the depth
 * allows: "#PRE1", "#PRE2"... (PRE "p3-s" for a paper's, "s" for an
 * article's); hidden on the contents page of a many-day book (too long). */
static void nav_sections(epub *e, const char *file, const folio_section *v,
                         size_t n, const char *pre, int level, int hidden)
{
    char frag[48];
    if (level >= e->depth || !n) return;
    e->h->buf_puts(&e->nav, hidden ? "\n<ol hidden=\"hidden\">\n" : "\n<ol>\n");
    for (size_t s = 0; s < n; s++) {
        snprintf(frag, sizeof frag, "#%s%zu", pre, s + 1);
        section_label(e->h, &e->lab, &v[s], s);
        nav_open(e, level + 1, file, frag, e->lab.data, NULL);
        nav_close(e);
    }
    e->h->buf_puts(&e->nav, "</ol>\n");
}

/* A paper at toc level `level`, with its sections below. */
static void nav_paper(epub *e, const char *file, const folio_paper *p, size_t k,
                      int level)
{
    char frag[48], pre[32];
    snprintf(frag, sizeof frag, "#p%zu", k + 1);
    paper_label(e->h, &e->lab, p, k);
    nav_open(e, level, file, frag, e->lab.data, NULL);
    snprintf(pre, sizeof pre, "p%zu-s", k + 1);
    nav_sections(e, file, p->sections, p->nsections, pre, level, e->multi);
    nav_close(e);
}

int nav_digest(epub *e, const folio_digest *d, size_t i, const char *lang)
{
    folio_buf file = {0};
    doc_name(e, &file, i, ".xhtml");
    if (d->kind == FOLIO_KIND_DIGEST && !e->multi && d->npapers) {
        /* A book of one digest: its papers at the top. */
        for (size_t k = 0; k < d->npapers; k++)
            nav_paper(e, file.data, &d->papers[k], k, 1);
    } else {
        day_label(e->h, &e->lab, d->title, d->date, d->name);
        nav_open(e, 1, file.data, "", e->lab.data,
                 strcmp(lang, e->lang) ? lang : NULL);
        /* Under the day: the sections of a post that is one paper or an
         * article, else the digest's papers. */
        if (d->kind == FOLIO_KIND_PAPER && d->npapers)
            nav_sections(e, file.data, d->papers[0].sections,
                         d->papers[0].nsections, "p1-s", 1, 0);
        else if (d->kind != FOLIO_KIND_DIGEST)
            nav_sections(e, file.data, d->sections, d->nsections, "s", 1, 0);
        else if (e->depth > 1 && d->npapers) {
            e->h->buf_puts(&e->nav, "\n<ol>\n");
            for (size_t k = 0; k < d->npapers; k++)
                nav_paper(e, file.data, &d->papers[k], k, 2);
            e->h->buf_puts(&e->nav, "</ol>\n");
        }
        nav_close(e);
    }
    e->h->buf_free(&file);
    return z_buf(e, &e->navz, &e->nav, Z_NO_FLUSH) ||
           z_buf(e, &e->ncxz, &e->ncx, Z_NO_FLUSH);
}

int nav_begin(epub *e)
{
    const folio_host *h = e->h;
    if (z_open(e, &e->navz, 1) || z_open(e, &e->ncxz, 1)) return -1;
    const char *contents = h->label(e->lang, FOLIO_LABEL_CONTENTS);
    xhtml_head(h, &e->nav, e->lang, contents);
    h->buf_printf(&e->nav,
                  "<nav epub:type=\"toc\" id=\"toc\">\n<h1>%s</h1>\n"
                  "<ol>\n",
                  contents);

    h->buf_puts(&e->ncx, "<navMap>\n"); /* the head comes at the end */
    return z_buf(e, &e->navz, &e->nav, Z_NO_FLUSH) ||
           z_buf(e, &e->ncxz, &e->ncx, Z_NO_FLUSH);
}

int nav_end(epub *e)
{
    const folio_host *h = e->h;
    folio_buf first = {0};
    doc_name(e, &first, 0, ".xhtml");
    h->buf_puts(&e->nav,
                "</ol>\n</nav>\n"
                "<nav epub:type=\"landmarks\" hidden=\"hidden\">\n<ol>\n");
    if (e->cover)
        h->buf_puts(&e->nav, "<li><a epub:type=\"titlepage\" "
                             "href=\"title.xhtml\">Title page</a></li>\n");
    h->buf_printf(
        &e->nav,
        "<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">%s</a></li>\n"
        "<li><a epub:type=\"bodymatter\" href=\"%s\">Start</a></li>\n"
        "</ol>\n</nav>\n</main>\n</body>\n</html>\n",
        h->label(e->lang, FOLIO_LABEL_CONTENTS), first.data);
    h->buf_free(&first);
    h->buf_puts(&e->ncx, "</navMap>\n</ncx>\n");
    if (z_buf(e, &e->navz, &e->nav, Z_FINISH) ||
        z_buf(e, &e->ncxz, &e->ncx, Z_FINISH))
        return -1;

    /* The NCX head, now that its depth is known; a sync flush leaves it
     * open and byte-aligned, for the navMap's stream to follow. */
    folio_buf *o = &e->ncx;
    h->buf_printf(o,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
                  "version=\"2005-1\" xml:lang=\"%s\">\n<head>\n"
                  "<meta name=\"dtb:uid\" content=\"",
                  e->lang);
    h->xml_escape(o, e->book->identifier, strlen(e->book->identifier));
    h->buf_printf(o,
                  "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
                  "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                  "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n"
                  "</head>\n<docTitle><text>",
                  e->ncx_depth ? e->ncx_depth : 1);
    const char *t = book_title(e->book);
    h->xml_escape(o, t, strlen(t));
    h->buf_puts(o, "</text></docTitle>\n");
    return z_open(e, &e->ncxhead, 0) || z_buf(e, &e->ncxhead, o, Z_SYNC_FLUSH);
}

/* ------------------------------------------- title page, package */

void title_page(epub *e)
{
    const folio_host *h = e->h;
    const folio_book *b = e->book;
    folio_buf *o = &e->title;
    const char *t = book_title(b);
    char lo[FOLIO_DATE_MAX] = "", hi[FOLIO_DATE_MAX] = "";
    size_t papers = 0;
    for (size_t i = 0; i < b->ndigests; i++) {
        char d[FOLIO_DATE_MAX];
        h->date_text(b->digests[i].date, 0, d, sizeof d);
        if (*d && (!*lo || strcmp(d, lo) < 0)) memcpy(lo, d, sizeof d);
        if (*d && strcmp(d, hi) > 0) memcpy(hi, d, sizeof d);
        papers += b->digests[i].npapers;
    }
    xhtml_head(h, o, e->lang, t);
    h->buf_puts(o, "<section class=\"titlepage\" epub:type=\"titlepage\">\n"
                   "<h1 class=\"book-title\">");
    h->xml_escape(o, t, strlen(t));
    h->buf_puts(o, "</h1>\n<hr/>\n");
    if (b->author && !blank(b->author)) {
        h->buf_puts(o, "<p class=\"book-author\">");
        h->xml_escape(o, b->author, strlen(b->author));
        h->buf_puts(o, "</p>\n");
    }
    if (*lo && strcmp(lo, hi) != 0)
        h->buf_printf(o, "<p class=\"book-dates\">%s \xE2\x80\x93 %s</p>\n", lo,
                      hi);
    else if (*lo)
        h->buf_printf(o, "<p class=\"book-dates\">%s</p>\n", lo);
    if (papers) {
        h->buf_puts(o, "<p class=\"book-count\">");
        char count[64];
        h->buf_puts(o, h->count_papers(e->lang, papers, count, sizeof count));
        h->buf_puts(o, "</p>\n");
    }
    h->buf_puts(o, "</section>\n</main>\n</body>\n</html>\n");
}

/* The cover: the host's (--cover, else the front matter's image:), on a
 * page of its own before everything else. */
void cover_page(epub *e)
{
    const folio_host *h = e->h;
    folio_image f;
    if (!e->r.img || h->cover(e->job, &f) != FOLIO_IMAGE_OK) return;
    e->images.cover = (int)image_register(&e->images, &f);
    folio_buf *o = &e->coverpage;
    const char *t = book_title(e->book);
    xhtml_head(h, o, e->lang, t);
    h->buf_puts(o, "<section class=\"cover\" epub:type=\"cover\">\n"
                   "<img class=\"cover\" src=\"");
    image_href(h, o, &f);
    h->buf_puts(o, "\" alt=\"");
    h->xml_escape(o, t, strlen(t));
    h->buf_puts(o, "\"/>\n</section>\n</main>\n</body>\n</html>\n");
}

/* Every figure once, as its bytes: PNG, JPEG, GIF and WebP are already
 * compressed and stored as they are; SVG is text and deflated. */
int add_images(epub *e)
{
    folio_buf name = {0};
    int rc = 0;
    for (size_t i = 0; i < e->images.n && rc == 0; i++) {
        const folio_image *f = &e->images.v[i];
        name.len = 0;
        e->h->buf_puts(&name, "OEBPS/");
        image_href(e->h, &name, f);
        folio_buf bytes = {.data = (char *)f->data, .len = f->len};
        rc = add_buf(e, name.data, &bytes,
                     f->type == FOLIO_IMAGE_SVG ? DEFLATED : STORED, -1, NULL);
    }
    e->h->buf_free(&name);
    return rc;
}

static void dc(epub *e, const char *elem, const char *attrs, const char *s)
{
    const folio_host *h = e->h;
    h->buf_printf(&e->opf, "<dc:%s%s>", elem, attrs);
    h->xml_escape(&e->opf, s, strlen(s));
    h->buf_printf(&e->opf, "</dc:%s>\n", elem);
}

void package(epub *e)
{
    const folio_host *h = e->h;
    const folio_book *b = e->book;
    folio_buf *o = &e->opf;
    h->buf_printf(o,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<package xmlns=\"http://www.idpf.org/2007/opf\" "
                  "version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"%s\">\n"
                  "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n",
                  e->lang);
    dc(e, "identifier", " id=\"uid\"", b->identifier);
    dc(e, "title", "", book_title(b));
    for (size_t off = 0; off < e->langs.len;
         off += strlen(e->langs.data + off) + 1)
        dc(e, "language", "", e->langs.data + off);
    if (b->author && !blank(b->author))
        dc(e, "creator", " id=\"creator\"", b->author);
    char date[FOLIO_DATE_MAX];
    e->h->date_text(b->date, 0, date, sizeof date);
    if (*date) dc(e, "date", "", date);
    for (size_t off = 0; off < e->subjects.len;
         off += strlen(e->subjects.data + off) + 1)
        dc(e, "subject", "", e->subjects.data + off);
    h->buf_puts(o, "<meta property=\"dcterms:modified\">");
    h->xml_escape(o, b->modified, strlen(b->modified));
    h->buf_printf(o,
                  "</meta>\n<meta name=\"generator\" content=\"folio %s\"/>\n",
                  h->version);
    a11y_metadata(h, o, &e->a11y, e->lang, !e->user_css);
    h->buf_puts(
        o, "</metadata>\n<manifest>\n"
           "<item id=\"nav\" href=\"nav.xhtml\" "
           "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
           "<item id=\"ncx\" href=\"toc.ncx\" "
           "media-type=\"application/x-dtbncx+xml\"/>\n"
           "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n");
    for (size_t i = 0; i < e->images.n; i++) {
        const folio_image *f = &e->images.v[i];
        h->buf_printf(o, "<item id=\"img-%s\" href=\"", f->id);
        image_href(h, o, f);
        h->buf_printf(o, "\" media-type=\"%s\"%s/>\n", f->media_type,
                      (int)i == e->images.cover ? " properties=\"cover-image\""
                                                : "");
    }
    if (e->coverpage.len)
        h->buf_puts(o, "<item id=\"cover\" href=\"cover.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n");
    if (e->cover)
        h->buf_puts(o, "<item id=\"title\" href=\"title.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n");
    folio_buf name = {0};
    for (size_t i = 0; i < b->ndigests; i++) {
        doc_name(e, &name, i, "");
        int mathml = i < e->mathdocs.len && e->mathdocs.data[i];
        h->buf_printf(o,
                      "<item id=\"%s\" href=\"%s.xhtml\" "
                      "media-type=\"application/xhtml+xml\"%s/>\n",
                      name.data, name.data,
                      mathml ? " properties=\"mathml\"" : "");
    }
    h->buf_puts(o, "</manifest>\n<spine toc=\"ncx\">\n");
    if (e->coverpage.len) h->buf_puts(o, "<itemref idref=\"cover\"/>\n");
    if (e->cover) h->buf_puts(o, "<itemref idref=\"title\"/>\n");
    h->buf_puts(o, "<itemref idref=\"nav\"/>\n");
    for (size_t i = 0; i < b->ndigests; i++) {
        doc_name(e, &name, i, "");
        h->buf_printf(o, "<itemref idref=\"%s\"/>\n", name.data);
    }
    h->buf_puts(o, "</spine>\n</package>\n");
    h->buf_free(&name);
}
