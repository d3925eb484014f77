/* epub.c - EPUB 3 output, with an NCX for older readers.
 *
 * The archive, in this order (the plan is build() below; the members come
 * from package.c unless said):
 *   mimetype                 stored, first (the EPUB signature; here)
 *   META-INF/container.xml   (here)
 *   OEBPS/content.opf        package: metadata, manifest, spine
 *   OEBPS/nav.xhtml          EPUB 3 table of contents (also a page)
 *   OEBPS/toc.ncx            the same for EPUB 2 readers
 *   OEBPS/style.css          style.c, then -O epub.css (read here)
 *   OEBPS/cover.xhtml        the cover, when the book has one
 *   OEBPS/title.xhtml        title page (-O epub.cover=no drops it)
 *   OEBPS/d001.xhtml ...     one document per digest (render.c)
 *   OEBPS/img/...            the figures, each stored once
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

/* ------------------------------------------- languages and subjects */

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
        rc = nav_digest(e, d, i, lang);
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
        if (rc == 0) rc = z_doc(e, &e->doc, member.data);
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
    if (z_docs_start(e) || nav_begin(e) || write_digests(e) || nav_end(e) ||
        add_images(e))
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
    if (!FOLIO_HOST_HAS(h, date_text))
        return fail(&e, "this epub plugin needs a newer folio (host %s)",
                    h->version);
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
