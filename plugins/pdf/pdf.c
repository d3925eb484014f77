/* pdf.c - the "pdf" output plugin: a book of digests as one PDF handout,
 * written with libharu.
 *
 * One HPDF_Doc per output.  Each digest starts a page; a book of several
 * gets a contents page at the front, inserted once the page numbers are
 * known.  Footers ("Page X of Y") are drawn at the end, on the page
 * handles kept.  The outline goes book -> day -> paper. */
#include "pdf.h"
#include "tag.h"

#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
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

/* ------------------------------------------------------------- drawing */

/* Colours are set only when they change: each libharu operator call
 * costs more than the bytes it writes (it clears a 512-byte buffer). */
void pdf_rgb(HPDF_Page page, unsigned rgb, int stroke)
{
    float r = (float)((rgb >> 16) & 255) / 255.0f;
    float g = (float)((rgb >> 8) & 255) / 255.0f;
    float b = (float)(rgb & 255) / 255.0f;
    HPDF_RGBColor now =
        stroke ? HPDF_Page_GetRGBStroke(page) : HPDF_Page_GetRGBFill(page);
    HPDF_ColorSpace cs = stroke ? HPDF_Page_GetStrokingColorSpace(page)
                                : HPDF_Page_GetFillingColorSpace(page);
    if (now.r == r && now.g == g && now.b == b && cs == HPDF_CS_DEVICE_RGB)
        return;
    if (stroke)
        HPDF_Page_SetRGBStroke(page, r, g, b);
    else
        HPDF_Page_SetRGBFill(page, r, g, b);
}

/* A number as PDF content wants it, to 1/100 point: "46", "-3.5". */
static char *put_num(char *p, float v)
{
    if (!(v > -1e6f && v < 1e6f)) v = 0; /* never off any page (or NaN) */
    long n = (long)(v * 100 + (v < 0 ? -0.5f : 0.5f));
    if (n < 0) {
        *p++ = '-';
        n = -n;
    }
    p += sprintf(p, "%ld", n / 100);
    if (n % 100) {
        *p++ = '.';
        *p++ = (char)('0' + n % 100 / 10);
        if (n % 10) *p++ = (char)('0' + n % 10);
    }
    return p;
}

void pdf_text_at(pdf_ctx *c, float skew, float x, float y)
{
    char buf[96], *p = buf;
    memcpy(p, skew ? "1 0 0.2 1 " : "1 0 0 1 ", skew ? 10 : 8);
    p += skew ? 10 : 8;
    p = put_num(p, x);
    *p++ = ' ';
    p = put_num(p, y);
    memcpy(p, " Tm\012", 4);
    HPDF_PageAttr a = c->page->attr;
    if (HPDF_Stream_Write(a->stream, (const HPDF_BYTE *)buf,
                          (HPDF_UINT)(p + 4 - buf)) != HPDF_OK)
        c->failed = 1;
}

void pdf_show(pdf_ctx *c, int face, const char *s, size_t len)
{
    /* Every face is TrueType (fonts.c takes no other). */
    HPDF_FontAttr fa = c->dfonts[face]->attr;
    HPDF_TTFontDefAttr ta = fa->fontdef->attr;
    const uint16_t *gids = c->fonts->faces[face].gids;
    uint64_t *drawn = c->drawn[face];
    if (!drawn && !(drawn = c->drawn[face] = calloc(1024, sizeof *drawn))) {
        c->failed = 1;
        return;
    }
    /* Two bytes a character, each escaped at worst: "\\(" is 2. */
    unsigned char stack[1024], *buf = stack;
    size_t cap = 4 * len + 8;
    if (cap > sizeof stack && !(buf = malloc(cap))) abort();
    unsigned char *p = buf;
    *p++ = '(';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += c->host->utf8_next(s + i, len - i, &cp);
        long cid = pdf_cid(c, cp); /* beyond the BMP: an alias */
        if (cid < 0) continue;     /* never given: shape() dropped it */
        unsigned gid =
            cp > 0xFFFF ? pdf_cid_glyph(c, face, (unsigned)cid)
            : gids      ? gids[cp]
                   : HPDF_TTFontDef_GetGlyphid(fa->fontdef, (HPDF_UINT16)cp);
        cp = (uint32_t)cid;
        if (gid < ta->num_glyphs) ta->glyph_tbl.flgs[gid] = 1;
        drawn[cp / 64] |= (uint64_t)1 << (cp % 64);
        unsigned char b[2] = {(unsigned char)(cp >> 8), (unsigned char)cp};
        for (int k = 0; k < 2; k++) {
            /* A string's parentheses, backslash and line ends escaped. */
            if (b[k] == '(' || b[k] == ')' || b[k] == '\\') {
                *p++ = '\\';
                *p++ = b[k];
            } else if (b[k] == '\r' || b[k] == '\n') {
                *p++ = '\\';
                *p++ = b[k] == '\r' ? 'r' : 'n';
            } else {
                *p++ = b[k];
            }
        }
    }
    memcpy(p, ") Tj\012", 5);
    p += 5;
    HPDF_PageAttr a = c->page->attr;
    if (HPDF_Stream_Write(a->stream, buf, (HPDF_UINT)(p - buf)) != HPDF_OK)
        c->failed = 1;
    if (buf != stack) free(buf);
}

void pdf_hrule(pdf_ctx *c, float x0, float x1, float y, float w, unsigned rgb)
{
    if (!c->page) return;
    pdf_tag_rule(c);
    pdf_rgb(c->page, rgb, 1);
    HPDF_Page_SetLineWidth(c->page, w);
    HPDF_Page_MoveTo(c->page, x0, y);
    HPDF_Page_LineTo(c->page, x1, y);
    HPDF_Page_Stroke(c->page);
}

/* [page /XYZ null top null]: libharu's SetXYZ insists on a zoom. */
HPDF_Destination pdf_dest(pdf_ctx *c, HPDF_Page page, float top)
{
    HPDF_Destination d = HPDF_Page_CreateDestination(page);
    if (!d) return NULL;
    HPDF_Array_Clear(d);
    HPDF_Array_Add(d, page);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_Add(d, HPDF_Null_New(c->doc->mmgr));
    HPDF_Array_AddReal(d, top);
    HPDF_Array_Add(d, HPDF_Null_New(c->doc->mmgr));
    return d;
}

/* One line of text, cut to width; returns its width. */
static float one_line(pdf_ctx *c, const char *s, const pdf_style *st, float x,
                      float base, float width, int align)
{
    pdf_para p;
    pdf_para_init(&p, st, 1);
    p.align = align;
    pdf_para_text(c, &p, s, strlen(s));
    pdf_para_break(c, &p, width);
    float w = p.nlines ? p.lines[0].width : 0;
    if (p.nlines) pdf_line_draw(c, &p, 0, x, base, width);
    pdf_para_free(c, &p);
    return w;
}

/* The width of s on one line. */
static float text_width(pdf_ctx *c, const char *s, const pdf_style *st)
{
    pdf_para p;
    float minw, maxw;
    pdf_para_init(&p, st, 1);
    pdf_para_text(c, &p, s, strlen(s));
    pdf_para_widths(c, &p, &minw, &maxw);
    pdf_para_free(c, &p);
    return maxw;
}

static void header(pdf_ctx *c)
{
    pdf_style st = {ROLE_REGULAR, 0, 0, 0, SMALL_SIZE, GREY_RGB, -1};
    float base = c->ph - c->mt + 14, w = c->pw - c->ml - c->mr;
    pdf_tag_begin(c, TAG_HEADER);
    /* The book or day on the left, the day or paper on the right in what
     * room is left. */
    float lw = one_line(c, c->head_left ? c->head_left : "", &st, c->ml, base,
                        w * 0.6f, ALIGN_LEFT);
    one_line(c, c->head_right ? c->head_right : "", &st, c->ml + lw + 24, base,
             w - lw - 24, ALIGN_RIGHT);
    pdf_hrule(c, c->ml, c->pw - c->mr, c->ph - c->mt + 8, 0.4f, 0xb0b0b0u);
    pdf_tag_end(c);
}

void pdf_new_page(pdf_ctx *c)
{
    HPDF_Page pg = HPDF_AddPage(c->doc);
    if (!pg) {
        c->failed = 1;
        return;
    }
    HPDF_Page_SetWidth(pg, c->pw);
    HPDF_Page_SetHeight(pg, c->ph);
    if (c->npages == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->pages = realloc(c->pages, c->cap * sizeof *c->pages);
        if (!c->pages) abort();
    }
    c->pages[c->npages++] = pg;
    c->page = pg;
    c->y = c->ph - c->mt;
    if (!c->no_head) header(c); /* none on a day's opening page */
    c->no_head = 0;
}

void pdf_need(pdf_ctx *c, float h)
{
    if (!c->page)
        pdf_new_page(c);
    else if (c->y - h < c->mb && c->y < c->ph - c->mt - 0.01f)
        pdf_new_page(c);
}

/* -------------------------------------------------------- contents page */

#define ROW_H 15.0f
#define CONTENTS_HEAD 56.0f

static size_t rows_on(const pdf_ctx *c, size_t page)
{
    float h = c->ph - c->mt - c->mb - (page == 0 ? CONTENTS_HEAD : 0);
    return h > ROW_H ? (size_t)(h / ROW_H) : 1;
}

static size_t contents_pages(const pdf_ctx *c, size_t n)
{
    size_t pages = 0;
    while (n) {
        size_t r = rows_on(c, pages++);
        n -= r < n ? r : n;
    }
    return pages;
}

/* Insert the contents pages before the first body page: one row a day,
 * each a link to the day's first page. */
static void contents(pdf_ctx *c, const folio_book *book, const size_t *starts,
                     size_t ncont, HPDF_Outline root)
{
    HPDF_Page first = c->pages[0];
    size_t day = 0;
    c->lang = book->lang;
    c->head_left = book->title;
    c->head_right = c->host->label(book->lang, FOLIO_LABEL_CONTENTS);
    pdf_tag_begin_first(c, "Sect"); /* read first, though drawn last */
    for (size_t k = 0; k < ncont; k++) {
        HPDF_Page pg = HPDF_InsertPage(c->doc, first);
        if (!pg) {
            c->failed = 1;
            return;
        }
        HPDF_Page_SetWidth(pg, c->pw);
        HPDF_Page_SetHeight(pg, c->ph);
        c->page = pg;
        c->y = c->ph - c->mt;
        if (k) header(c); /* the first opens with the title */
        float w = c->pw - c->ml - c->mr;
        if (k == 0) {
            HPDF_Destination d = pdf_dest(c, pg, c->ph);
            if (root && d) HPDF_Outline_SetDestination(root, d);
            pdf_style st = {ROLE_BOLD, 0, 0, 0, 15, ACCENT_RGB, -1};
            pdf_tag_heading(c, 0);
            one_line(c, book->title, &st, c->ml, c->y - 18, w, ALIGN_LEFT);
            pdf_tag_end(c);
            st.size = 11;
            pdf_tag_heading(c, 1);
            one_line(c, c->host->label(book->lang, FOLIO_LABEL_CONTENTS), &st,
                     c->ml, c->y - 40, w, ALIGN_LEFT);
            pdf_tag_end(c);
            pdf_tag_begin(c, "TOC");
            c->y -= CONTENTS_HEAD;
        }
        for (size_t r = rows_on(c, k); r && day < book->ndigests; r--, day++) {
            const folio_digest_info *di = &book->digests[day];
            float base = c->y - ROW_H + 4;
            pdf_style st = {ROLE_REGULAR, 0, 0, 0, BODY_SIZE, TEXT_RGB, -1};
            pdf_tag_begin(c, "TOCI");
            pdf_tag_begin(c, "Link");
            char num[32];
            snprintf(num, sizeof num, "%zu", c->first_page + starts[day]);
            /* Columns: date, title, paper count, page (fixed width), drawn
             * in that order (the order they are read in). */
            char count[64];
            pdf_style small = st;
            small.rgb = GREY_RGB;
            small.size = SMALL_SIZE + 0.5f;
            c->host->count_papers(book->lang, di->npapers, count, sizeof count);
            float nw = text_width(c, count, &small) + 56;
            float dw = 0;
            const char *title = di->title;
            char date[16], rest[256];
            if (di->date) {
                snprintf(date, sizeof date, "%.10s", di->date);
                st.rgb = GREY_RGB;
                dw = one_line(c, date, &st, c->ml, base, w, ALIGN_LEFT) + 12;
                st.rgb = TEXT_RGB;
                /* The date once a row, in its column. */
                title = pdf_title_sans_date(title, date, rest, sizeof rest);
            }
            one_line(c, title, &st, c->ml + dw, base, w - dw - nw - 16,
                     ALIGN_LEFT);
            one_line(c, count, &small, c->ml, base, w - 40, ALIGN_RIGHT);
            one_line(c, num, &st, c->ml, base, w, ALIGN_RIGHT);
            pdf_tag_artifact(c);
            pdf_rgb(pg, 0xdddddd, 1);
            HPDF_Page_SetLineWidth(pg, 0.3f);
            HPDF_Page_MoveTo(pg, c->ml, c->y - ROW_H);
            HPDF_Page_LineTo(pg, c->pw - c->mr, c->y - ROW_H);
            HPDF_Page_Stroke(pg);
            HPDF_Rect rect = {c->ml, c->y - ROW_H, c->pw - c->mr, c->y};
            HPDF_Destination d = pdf_dest(c, c->pages[starts[day]], c->ph);
            HPDF_Annotation a =
                d ? HPDF_Page_CreateLinkAnnot(pg, rect, d) : NULL;
            if (a) HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
            pdf_tag_annot(c, a, di->title);
            pdf_tag_end(c); /* Link */
            pdf_tag_end(c); /* TOCI */
            c->y -= ROW_H;
        }
    }
    pdf_tag_end(c); /* TOC */
    pdf_tag_end(c); /* Sect */
}

/* "Page X of Y" on every page, now that Y is known. */
static void footers(pdf_ctx *c, size_t ncont)
{
    size_t total = ncont + c->npages;
    pdf_style st = {ROLE_REGULAR, 0, 0, 0, SMALL_SIZE, GREY_RGB, -1};
    pdf_tag_begin(c, TAG_FOOTER);
    for (size_t i = 0; i < total && !c->failed; i++) {
        c->page = HPDF_GetPageByIndex(c->doc, (HPDF_UINT)i);
        if (!c->page) break;
        char s[64];
        snprintf(s, sizeof s, "Page %zu of %zu", i + 1, total);
        one_line(c, s, &st, c->ml, c->mb - 22, c->pw - c->ml - c->mr,
                 ALIGN_CENTER);
    }
    pdf_tag_end(c);
}

/* ------------------------------------------------------------ strings */

const char *pdf_bound(pdf_ctx *c, const char *s, const char *what)
{
    size_t len = s ? strlen(s) : 0;
    if (len <= HPDF_LIMIT_MAX_STRING_LEN) return s;
    size_t cut = HPDF_LIMIT_MAX_STRING_LEN;
    while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--; /* s[cut] starts a character: cut before it */
    if (!c->warned_long++)
        c->host->report(c->job, FOLIO_WARNING, NULL, 0, 0,
                        "%s of %zu bytes cut to %zu bytes (the most a PDF "
                        "string may hold here)",
                        what, len, cut);
    c->bounded.len = 0;
    c->host->buf_put(&c->bounded, s, cut);
    return c->bounded.data;
}

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
    pdf_sink *s = st->attr;
    while (n && !s->err) {
        size_t k = sizeof s->buf - s->len < n ? sizeof s->buf - s->len : n;
        memcpy(s->buf + s->len, p, k);
        s->len += k;
        p += k;
        n -= (HPDF_UINT)k;
        if (s->len == sizeof s->buf) sink_flush(s);
    }
    return s->err ? HPDF_SetError(st->error, HPDF_FILE_IO_ERROR,
                                  (HPDF_STATUS)s->err)
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
    /* HPDF_SaveToStream writes into doc->stream: ours, not a memory one. */
    if (c->doc->stream) HPDF_Stream_Free(c->doc->stream);
    c->doc->stream = HPDF_CallbackWriter_New(c->doc->mmgr, sink_write, s);
    int rc = c->doc->stream && HPDF_SaveToStream(c->doc) == HPDF_OK &&
                     !c->failed && sink_flush(s) == 0
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
    if (c->doc->stream) HPDF_Stream_Free(c->doc->stream);
    c->doc->stream = NULL;
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
    if (first && strncmp(first, last, 10) != 0)
        c->host->buf_printf(&s, ", %.10s to %.10s", first, last);
    else if (first)
        c->host->buf_printf(&s, ", %.10s", first);
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
    size_t ncont = book_mode ? contents_pages(&c, book->ndigests) : 0;
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
        if (book_mode) contents(&c, book, starts, ncont, root);
        footers(&c, ncont);
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
