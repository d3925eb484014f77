/* pdf.c - the "pdf" output plugin's entry point: options, init/fini, and
 * a book of digests written as one PDF handout with libharu.  Nothing in
 * the plugin calls this file (pdf.h shows the layers below it).
 *
 * One HPDF_Doc per output.  Each digest starts a page (render.c); a book
 * of several gets a contents page at the front, inserted once the page
 * numbers are known, and footers ("Page X of Y") are drawn at the end, on
 * the page handles kept (page.c).  The outline goes book -> day -> paper.
 * Document info and saving are here. */
#include "pdf.h"
#include "haru.h"
#include "tag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char *const options[] = {
    "paper",
    "page size: a4 (default) or letter",
    "font",
    "TrueType font file for body text (default: NanumGothic)",
    "tagged",
    "yes (default): a tagged PDF (PDF/UA-1) with a structure tree; no: "
    "untagged",
    NULL};

/* ---------------------------------------------------------- the output */

/* libharu's HPDF_SaveToFile never checks fclose, so the last buffer of a
 * PDF could be lost without an error.  The document is written through a
 * callback stream instead, into the host's file opened once here, every
 * write, the last one and close checked. */
typedef struct pdf_sink {
    int fd;
    int err; /* errno of the first failure */
    size_t len;
    unsigned char buf[65536];
} pdf_sink;

static int sink_flush(pdf_sink *s)
{
    for (size_t done = 0; done < s->len && !s->err;) {
        ssize_t n = write(s->fd, s->buf + done, s->len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            s->err = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    s->len = 0;
    return s->err ? -1 : 0;
}

static HPDF_STATUS sink_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
    pdf_sink *s = haru_stream_user(st);
    while (n && !s->err) {
        size_t k = sizeof s->buf - s->len < n ? sizeof s->buf - s->len : n;
        memcpy(s->buf + s->len, p, k);
        s->len += k;
        p += k;
        n -= (HPDF_UINT)k;
        if (s->len == sizeof s->buf) sink_flush(s);
    }
    return s->err
               ? haru_stream_fail(st, HPDF_FILE_IO_ERROR, (HPDF_STATUS)s->err)
               : HPDF_OK;
}

/* Write the document to the host's output; 0, or -1 after reporting. */
static int save(pdf_ctx *c)
{
    pdf_sink *s = calloc(1, sizeof *s);
    if (!s) {
        c->failed = 1;
        return -1;
    }
    s->fd = open(c->host->output_path(c->job),
                 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (s->fd < 0) {
        int err = errno;
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "cannot create the PDF: %s", strerror(err));
        free(s);
        return -1;
    }
    int rc = haru_save(c->doc, sink_write, s) == HPDF_OK && !c->failed &&
                     sink_flush(s) == 0
                 ? 0
                 : -1;
    if (close(s->fd) != 0 && !s->err) s->err = errno;
    if (s->err) {
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "cannot write the PDF: %s", strerror(s->err));
        rc = -1;
    } else if (rc) {
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "PDF not written: libharu error 0x%04lX (detail %lu)",
                        c->err, c->detail);
    }
    free(s);
    return rc;
}

/* ---------------------------------------------------------- the plugin */

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
    pdf_ctx *c = user;
    if (!c->failed) {
        c->err = err;
        c->detail = detail;
    }
    c->failed = 1;
}

static void info(pdf_ctx *c, const folio_book *book)
{
    HPDF_SetInfoAttr(c->doc, HPDF_INFO_TITLE,
                     pdf_bound(c, book->title, "the title"));
    if (book->author)
        HPDF_SetInfoAttr(c->doc, HPDF_INFO_AUTHOR,
                         pdf_bound(c, book->author, "the author"));
    folio_buf s = {0};
    const char *first = NULL, *last = NULL; /* ISO dates sort as text */
    for (size_t i = 0; i < book->ndigests; i++) {
        const char *d = book->digests[i].date;
        if (d && (!first || strcmp(d, first) < 0)) first = d;
        if (d && (!last || strcmp(d, last) > 0)) last = d;
    }
    c->host->buf_puts(&s, "Research paper digest");
    if (book->ndigests > 1)
        c->host->buf_printf(&s, "s, %zu days", book->ndigests);
    char lo[FOLIO_DATE_MAX], hi[FOLIO_DATE_MAX];
    c->host->date_text(first, 0, lo, sizeof lo);
    c->host->date_text(last, 0, hi, sizeof hi);
    if (*lo && strcmp(lo, hi) != 0)
        c->host->buf_printf(&s, ", %s to %s", lo, hi);
    else if (*lo)
        c->host->buf_printf(&s, ", %s", lo);
    HPDF_SetInfoAttr(c->doc, HPDF_INFO_SUBJECT, s.data);
    c->host->buf_free(&s);
    c->host->buf_printf(&s, "folio %s", c->host->version);
    HPDF_SetInfoAttr(c->doc, HPDF_INFO_CREATOR, s.data);
    c->host->buf_free(&s);
    time_t t = (time_t)book->epoch;
    struct tm tm;
    if (gmtime_r(&t, &tm)) {
        HPDF_Date d = {
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
            tm.tm_sec,         'Z',           0,          0};
        HPDF_SetInfoDateAttr(c->doc, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(c->doc, HPDF_INFO_MOD_DATE, d);
    }
}

static int write_book(const folio_host *host, void *state, folio_job *job,
                      const folio_book *book)
{
    pdf_ctx c;
    memset(&c, 0, sizeof c);
    /* Kept for tests: libharu's own fonts and embedding, to compare with. */
    c.libharu_embed = getenv("FOLIO_PDF_LIBHARU_EMBED") != NULL;
    c.host = host;
    c.job = job;
    c.fonts = state;
    const char *paper = host->option(job, "paper");
    if (!paper || strcasecmp(paper, "a4") == 0) {
        c.pw = 595.276f;
        c.ph = 841.89f;
    } else if (strcasecmp(paper, "letter") == 0) {
        c.pw = 612;
        c.ph = 792;
    } else {
        host->report(job, FOLIO_ERROR, NULL, 0, 0,
                     "pdf.paper: unknown page size '%s' (a4 or letter)", paper);
        return -1;
    }
    /* A measure of 44 syllables (9 pt) and the side heads, centred. */
    c.ml = c.mr = 66;
    c.mt = 50;
    c.mb = 46;
    c.size = BODY_SIZE;
    c.rgb = TEXT_RGB;
    c.lang = book->lang;
    c.doc = HPDF_New(on_error, &c);
    c.dfonts = calloc(MAX_FACES, sizeof *c.dfonts);
    size_t *starts = calloc(book->ndigests + 1, sizeof *starts);
    if (!c.doc || !c.dfonts || !starts) {
        host->report(job, FOLIO_ERROR, NULL, 0, 0, "out of memory");
        if (c.doc) HPDF_Free(c.doc);
        free(c.dfonts);
        free(starts);
        return -1;
    }
    HPDF_SetCompressionMode(c.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(c.doc);
    HPDF_SetCurrentEncoder(c.doc, "UTF-8");
    c.utf8 = HPDF_GetEncoder(c.doc, "UTF-8");
    HPDF_SetPageMode(c.doc, HPDF_PAGE_MODE_USE_OUTLINE);

    int book_mode = book->ndigests > 1;
    size_t ncont = book_mode ? pdf_contents_pages(&c, book->ndigests) : 0;
    c.first_page = ncont + 1;
    HPDF_Outline root = NULL;
    if (book_mode) {
        root = HPDF_CreateOutline(
            c.doc, NULL, pdf_bound(&c, book->title, "the title"), c.utf8);
        if (root) HPDF_Outline_SetOpened(root, HPDF_TRUE);
    }
    int rc = 0;
    folio_buf keywords = {0};
    c.head_left = book->title;
    c.book = book_mode;
    c.book_author = book->author;
    if (pdf_tag_init(&c) != 0) rc = -1; /* reported */
    for (size_t i = 0; i < book->ndigests && !c.failed && rc == 0; i++) {
        const folio_digest *d = host->digest(job, i);
        if (!d) {
            rc = -1;
            break;
        }
        starts[i] = c.npages;
        for (size_t k = 0; k < d->ntags; k++) /* keywords: the tags */
            if (!strstr(keywords.data ? keywords.data : "", d->tags[k]))
                host->buf_printf(&keywords, "%s%s", keywords.len ? ", " : "",
                                 d->tags[k]);
        pdf_digest(&c, d, root);
        host->release(job, d);
        c.d = NULL; /* nothing may point into a released digest */
        c.lang = book->lang;
        c.head_left = book->title;
        c.head_right = NULL;
    }
    if (rc == 0 && !c.npages) pdf_new_page(&c); /* never an empty document */
    if (rc == 0 && !c.failed) {
        if (book_mode) pdf_contents(&c, book, starts, ncont, root);
        pdf_footers(&c, ncont);
        info(&c, book);
        pdf_tag_finish(&c, book, pdf_bound(&c, book->title, "the title"));
        if (keywords.len)
            HPDF_SetInfoAttr(c.doc, HPDF_INFO_KEYWORDS,
                             pdf_bound(&c, keywords.data, "the keywords"));
        if (c.unwarned)
            host->report(job, FOLIO_WARNING, NULL, 0, 0,
                         "%d more characters are in no usable font",
                         c.unwarned);
        /* Kept for tests: libharu's own embedding, to compare with. */
        if (!c.libharu_embed) pdf_embed(&c);
        if (!c.failed && save(&c) != 0) rc = -1; /* reported */
    }
    if (rc == 0 && c.failed) {
        if (c.err)
            host->report(job, FOLIO_ERROR, NULL, 0, 0,
                         "libharu error 0x%04lX (detail %lu)", c.err, c.detail);
        else
            host->report(job, FOLIO_ERROR, NULL, 0, 0, "PDF not written");
        rc = -1;
    }
    pdf_tag_free(&c);
    pdf_fonts_unlend(&c);
    HPDF_Free(c.doc);
    pdf_images_free(&c);
    for (int i = 0; i < MAX_FACES; i++)
        free(c.drawn[i]);
    host->buf_free(&keywords);
    host->buf_free(&c.bounded);
    free(c.dfonts);
    free(c.pages);
    free(starts);
    return rc;
}

static int init(const folio_host *host, folio_job *job, void **state)
{
    if (!FOLIO_HOST_HAS(host, date_text)) {
        host->report(job, FOLIO_ERROR, NULL, 0, 0,
                     "this pdf plugin needs a newer folio (host %s)",
                     host->version);
        return -1;
    }
    pdf_fonts *f = calloc(1, sizeof *f);
    if (!f) return -1;
    if (pdf_fonts_init(host, job, f) != 0) {
        pdf_fonts_free(f);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static void fini(void *state)
{
    if (state) {
        pdf_fonts_free(state);
        free(state);
    }
}

static const folio_plugin plugin = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_plugin),
    .name = "pdf",
    .extension = "pdf",
    .media_type = "application/pdf",
    .summary = "PDF handout (libharu): CJK fonts embedded, outline, links",
    .flags = FOLIO_PLUGIN_BINARY | FOLIO_PLUGIN_WANTS_PATH,
    .init = init,
    .fini = fini,
    .write = write_book,
    .options = options,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
