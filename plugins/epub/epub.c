/* epub.c - EPUB 3 output, with an NCX for older readers.
 *
 * The archive, in this order:
 *   mimetype                 stored, first (the EPUB signature)
 *   META-INF/container.xml
 *   OEBPS/content.opf        package: metadata, manifest, spine
 *   OEBPS/nav.xhtml          EPUB 3 table of contents (also a page)
 *   OEBPS/toc.ncx            the same for EPUB 2 readers
 *   OEBPS/style.css          style.c, then -O epub.css
 *   OEBPS/title.xhtml        title page (-O epub.cover=no drops it)
 *   OEBPS/d001.xhtml ...     one document per digest (render.c)
 *
 * The table of contents goes book -> day -> paper -> section (a single
 * digest: paper -> section), -O epub.toc-depth levels of it.
 *
 * Memory: one digest at a time.  Its document, and its entries of the nav
 * and NCX, are deflated and spooled to temporary files as soon as they
 * are made (archive.c); only the book's subjects and languages wait for
 * the end.  The OPF, nav and NCX members are reserved first and filled in
 * at the end, keeping their place in the archive. */
#include "epub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------- helpers */

/* A language tag that xml:lang and dc:language accept:
 * [A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*. */
static int lang_ok(const char *s)
{
    if (!s) return 0;
    size_t run = 0;
    int first = 1;
    for (const char *p = s;; p++) {
        char c = *p;
        if (c == '-' || c == 0) {
            if (run == 0 || run > 8) return 0;
            if (c == 0) return 1;
            run = 0;
            first = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (!first && c >= '0' && c <= '9')) {
            run++;
        } else {
            return 0;
        }
    }
}

static const char *lang_or(const char *s, const char *fallback)
{
    return lang_ok(s) ? s : lang_ok(fallback) ? fallback : "und";
}

/* The YYYY-MM-DD at the start of an ISO date, or "" when there is none. */
void date10(const char *s, char out[11])
{
    static const char shape[] = "dddd-dd-dd";
    out[0] = 0;
    if (!s) return;
    for (int i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
            return;
    memcpy(out, s, 10);
    out[10] = 0;
}

int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
    return 1;
}

/* Append a, the number n, then b: buf_printf costs two vsnprintf calls,
 * too many for the few numbers of every paper, section and toc entry. */
void putn(const folio_host *h, folio_buf *o, const char *a, size_t n,
          const char *b)
{
    char d[24];
    int i = (int)sizeof d - 1;
    d[i] = 0;
    do {
        d[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    h->buf_puts(o, a);
    h->buf_puts(o, d + i);
    h->buf_puts(o, b);
}

/* -------------------------------------------------------------- labels */

/* Plain labels for the nav and NCX (escaped later). */
static void day_label(const folio_host *h, folio_buf *b, const char *title,
                      const char *date, const char *name)
{
    char d[11];
    date10(date, d);
    b->len = 0;
    if (*d && (!title || !strstr(title, d)))
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

/* Add s to a NUL-separated set of at most max strings, once. */
static void remember(epub *e, folio_buf *set, size_t *n, size_t max,
                     const char *s)
{
    if (*n >= max || blank(s)) return;
    for (size_t off = 0; off < set->len; off += strlen(set->data + off) + 1)
        if (strcmp(set->data + off, s) == 0) return;
    e->h->buf_put(set, s, strlen(s) + 1);
    (*n)++;
}

/* Common head of every XHTML document. */
void xhtml_head(const folio_host *h, folio_buf *o, const char *lang,
                const char *title)
{
    h->buf_printf(o,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<!DOCTYPE html>\n"
                  "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                  "xmlns:epub=\"http://www.idpf.org/2007/ops\" "
                  "xml:lang=\"%s\" lang=\"%s\">\n<head>\n"
                  "<meta charset=\"utf-8\"/>\n<title>",
                  lang, lang);
    h->xml_escape(o, title, strlen(title));
    h->buf_puts(o, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" "
                   "href=\"style.css\"/>\n</head>\n<body>\n<main>\n");
}

static const char *book_title(const folio_book *b)
{
    return b->title && !blank(b->title) ? b->title : "Untitled";
}

/* Digest i's document: d001.xhtml ("" for ext: its manifest id). */
static void doc_name(epub *e, folio_buf *b, size_t i, const char *ext)
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

/* A paper at toc level `level`, with its sections below when the depth
 * allows (hidden on the contents page of a many-day book: too long). */
static void nav_paper(epub *e, const char *file, const folio_paper *p, size_t k,
                      int level)
{
    char frag[48];
    snprintf(frag, sizeof frag, "#p%zu", k + 1);
    paper_label(e->h, &e->lab, p, k);
    nav_open(e, level, file, frag, e->lab.data, NULL);
    if (level < e->depth && p->nsections) {
        e->h->buf_puts(&e->nav,
                       e->multi ? "\n<ol hidden=\"hidden\">\n" : "\n<ol>\n");
        for (size_t s = 0; s < p->nsections; s++) {
            snprintf(frag, sizeof frag, "#p%zu-s%zu", k + 1, s + 1);
            section_label(e->h, &e->lab, &p->sections[s], s);
            nav_open(e, level + 1, file, frag, e->lab.data, NULL);
            nav_close(e);
        }
        e->h->buf_puts(&e->nav, "</ol>\n");
    }
    nav_close(e);
}

/* The sections of a post that is one paper or an article, right under
 * its day: "#p1-sN" or "#sN". */
static void nav_sections(epub *e, const char *file, const folio_section *v,
                         size_t n, const char *pre)
{
    char frag[48];
    if (e->depth < 2 || !n) return;
    e->h->buf_puts(&e->nav, "\n<ol>\n");
    for (size_t s = 0; s < n; s++) {
        snprintf(frag, sizeof frag, "#%s%zu", pre, s + 1);
        section_label(e->h, &e->lab, &v[s], s);
        nav_open(e, 2, file, frag, e->lab.data, NULL);
        nav_close(e);
    }
    e->h->buf_puts(&e->nav, "</ol>\n");
}

static void nav_digest(epub *e, const folio_digest *d, size_t i,
                       const char *lang)
{
    folio_buf file = {0};
    doc_name(e, &file, i, ".xhtml");
    if (d->kind != FOLIO_KIND_DIGEST) {
        /* day -> section: the day is the paper, or the article. */
        day_label(e->h, &e->lab, d->title, d->date, d->name);
        nav_open(e, 1, file.data, "", e->lab.data,
                 strcmp(lang, e->lang) ? lang : NULL);
        if (d->kind == FOLIO_KIND_PAPER && d->npapers)
            nav_sections(e, file.data, d->papers[0].sections,
                         d->papers[0].nsections, "p1-s");
        else
            nav_sections(e, file.data, d->sections, d->nsections, "s");
        nav_close(e);
    } else if (e->multi || d->npapers == 0) {
        day_label(e->h, &e->lab, d->title, d->date, d->name);
        nav_open(e, 1, file.data, "", e->lab.data,
                 strcmp(lang, e->lang) ? lang : NULL);
        if (e->depth > 1 && d->npapers) {
            e->h->buf_puts(&e->nav, "\n<ol>\n");
            for (size_t k = 0; k < d->npapers; k++)
                nav_paper(e, file.data, &d->papers[k], k, 2);
            e->h->buf_puts(&e->nav, "</ol>\n");
        }
        nav_close(e);
    } else {
        for (size_t k = 0; k < d->npapers; k++)
            nav_paper(e, file.data, &d->papers[k], k, 1);
    }
    e->h->buf_free(&file);
}

static int nav_begin(epub *e)
{
    const folio_host *h = e->h;
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

static int nav_end(epub *e)
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

static void title_page(epub *e)
{
    const folio_host *h = e->h;
    const folio_book *b = e->book;
    folio_buf *o = &e->title;
    const char *t = book_title(b);
    char lo[11] = "", hi[11] = "";
    size_t papers = 0;
    for (size_t i = 0; i < b->ndigests; i++) {
        char d[11];
        date10(b->digests[i].date, d);
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
static void cover_page(epub *e)
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
static int add_images(epub *e)
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

static void package(epub *e)
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
    char date[11];
    date10(b->date, date);
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

static const char CONTAINER[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" "
    "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "<rootfiles>\n<rootfile full-path=\"OEBPS/content.opf\" "
    "media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n"
    "</container>\n";

/* ------------------------------------------------------------ options */

static int opt_bool(epub *e, const char *key, int def, int *out)
{
    const char *v = e->h->option(e->job, key);
    *out = def;
    if (!v) return 0;
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0) return *out = 0, 0;
    }
    e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0,
                 "-O epub.%s=%s: expected yes or no", key, v);
    return -1;
}

/* The built-in stylesheet, then the user's (-O epub.css=PATH) without its
 * BOM and @charset, which may only open a file. */
static int stylesheet(epub *e)
{
    const folio_host *h = e->h;
    h->buf_puts(&e->css, folio_epub_css);
    const char *path = h->option(e->job, "css");
    if (!path) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        h->report(e->job, FOLIO_ERROR, path, 0, 0, "cannot read stylesheet: %s",
                  strerror(errno));
        return -1;
    }
    folio_buf u = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        h->buf_put(&u, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        h->buf_free(&u);
        h->report(e->job, FOLIO_ERROR, path, 0, 0, "cannot read stylesheet");
        return -1;
    }
    const char *s = u.data ? u.data : "";
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    if (strncmp(s, "@charset", 8) == 0 && strchr(s, ';'))
        s = strchr(s, ';') + 1;
    e->user_css = 1;
    h->buf_puts(&e->css, "\n/* -O epub.css */\n");
    h->buf_puts(&e->css, s);
    h->buf_puts(&e->css, "\n");
    h->buf_free(&u);
    return 0;
}

static int options(epub *e)
{
    if (opt_bool(e, "cover", 1, &e->cover)) return -1;
    const char *d = e->h->option(e->job, "toc-depth");
    e->depth = 3;
    if (d) {
        if (strlen(d) != 1 || d[0] < '1' || d[0] > '3') {
            e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0,
                         "-O epub.toc-depth=%s: expected 1, 2 or 3", d);
            return -1;
        }
        e->depth = d[0] - '0';
    }
    return stylesheet(e);
}

/* ------------------------------------------------------------ writing */

static int write_digests(epub *e)
{
    const folio_host *h = e->h;
    const folio_book *b = e->book;
    folio_buf name = {0}, member = {0};
    int rc = 0;
    for (size_t i = 0; i < b->ndigests && rc == 0; i++) {
        const folio_digest *d = h->digest(e->job, i);
        if (!d) {
            rc = -1; /* reported by the host */
            break;
        }
        const char *lang = lang_or(d->lang, e->lang);
        e->r.o = &e->doc;
        render_digest(&e->r, e->book, d, lang);
        h->buf_put(&e->mathdocs, e->r.nmath ? "\1" : "", 1);
        a11y_scan(&e->a11y, e->doc.data, e->doc.len);
        nav_digest(e, d, i, lang);
        remember(e, &e->langs, &e->nlangs, MAX_LANGS, lang);
        for (size_t t = 0; t < d->ntags; t++)
            remember(e, &e->subjects, &e->nsubjects, MAX_SUBJECTS, d->tags[t]);
        for (size_t t = 0; t < d->ncategories; t++)
            remember(e, &e->subjects, &e->nsubjects, MAX_SUBJECTS,
                     d->categories[t]);
        h->release(e->job, d);

        doc_name(e, &name, i, ".xhtml");
        member.len = 0;
        h->buf_printf(&member, "OEBPS/%s", name.data);
        rc = z_doc(e, &e->doc, member.data) ||
             z_buf(e, &e->navz, &e->nav, Z_NO_FLUSH) ||
             z_buf(e, &e->ncxz, &e->ncx, Z_NO_FLUSH);
    }
    if (rc == 0) rc = z_docs_end(e);
    h->buf_free(&name);
    h->buf_free(&member);
    return rc;
}

static int build(epub *e, const char *path)
{
    if (open_archive(e, path)) return -1;
    folio_buf none = {0};
    zip_int64_t opf, nav, ncx;
    if (add_text(e, "mimetype", "application/epub+zip", STORED) ||
        add_text(e, "META-INF/container.xml", CONTAINER, DEFLATED) ||
        add_buf(e, "OEBPS/content.opf", &none, DEFLATED, -1, &opf) ||
        add_buf(e, "OEBPS/nav.xhtml", &none, PREDEFLATED, -1, &nav) ||
        add_buf(e, "OEBPS/toc.ncx", &none, PREDEFLATED, -1, &ncx) ||
        add_buf(e, "OEBPS/style.css", &e->css, DEFLATED, -1, NULL))
        return -1;
    cover_page(e);
    if (e->coverpage.len)
        a11y_scan(&e->a11y, e->coverpage.data, e->coverpage.len);
    if (e->coverpage.len &&
        add_buf(e, "OEBPS/cover.xhtml", &e->coverpage, DEFLATED, -1, NULL))
        return -1;
    if (e->cover) {
        title_page(e);
        a11y_scan(&e->a11y, e->title.data, e->title.len);
        if (add_buf(e, "OEBPS/title.xhtml", &e->title, DEFLATED, -1, NULL))
            return -1;
    }
    /* The streams' files stay open: libzip reads them in zip_close. */
    if (z_docs_start(e) || z_open(e, &e->navz, 1) || z_open(e, &e->ncxz, 1) ||
        nav_begin(e) || write_digests(e) || nav_end(e) || add_images(e))
        return -1;
    package(e);
    if (add_buf(e, "OEBPS/content.opf", &e->opf, DEFLATED, opf, NULL) ||
        z_add(e, &e->navz, "OEBPS/nav.xhtml", nav, NULL) ||
        z_add(e, &e->ncxz, "OEBPS/toc.ncx", ncx, &e->ncxhead))
        return -1;
    return close_archive(e);
}

static int epub_write(const folio_host *h, void *state, folio_job *job,
                      const folio_book *book)
{
    (void)state;
    epub e = {.h = h, .job = job, .book = book};
    e.r.h = h;
    e.r.job = job;
    e.images.cover = -1;
    if (FOLIO_HOST_HAS(h, image) && h->image) e.r.img = &e.images;
    if (book->ndigests == 0)
        return fail(&e, "%s", "nothing to bind: no digests");
    if (options(&e)) {
        h->buf_free(&e.css);
        return -1;
    }
    e.lang = lang_or(book->lang, "en");
    remember(&e, &e.langs, &e.nlangs, MAX_LANGS, e.lang);
    e.multi = book->ndigests > 1;
    e.width = 3;
    for (size_t n = book->ndigests; n >= 1000; n /= 10)
        e.width++;
    e.mtime = zip_time(book->epoch);

    const char *path = h->output_path(job);
    int rc = build(&e, path);
    if (e.z) zip_discard(e.z);
    cleanup(&e);
    folio_buf *bufs[] = {&e.doc,   &e.nav,   &e.ncx,       &e.lab,
                         &e.css,   &e.opf,   &e.title,     &e.subjects,
                         &e.langs, &e.r.tmp, &e.coverpage, &e.mathdocs};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        h->buf_free(bufs[i]);
    free(e.images.v);
    return rc;
}

static const char *const OPTIONS[] = {
    "cover",     "title page: yes or no (yes)",
    "css",       "PATH of a stylesheet appended to the built-in one",
    "toc-depth", "table of contents levels: 1 days, 2 papers, 3 sections (3)",
    NULL,
};

static const folio_plugin plugin = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_plugin),
    .name = "epub",
    .extension = "epub",
    .media_type = "application/epub+zip",
    .summary = "EPUB 3 e-book: a table of contents by day, paper and section",
    .flags = FOLIO_PLUGIN_BINARY | FOLIO_PLUGIN_WANTS_PATH,
    .write = epub_write,
    .options = OPTIONS,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
