/* page.c - pages and their furniture: new pages with the running head,
 * the column flowed down them (block-quote bars, list labels), the
 * contents pages of a book, the "Page X of Y" footers, outline entries.
 * Calls layout.c and draw.c; called by the block renderers and pdf.c. */
#include "pdf.h"
#include "tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

size_t pdf_contents_pages(const pdf_ctx *c, size_t n)
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
void pdf_contents(pdf_ctx *c, const folio_book *book, const size_t *starts,
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
            /* The book's author (the days then leave it out). */
            if (book->author && book->author[strspn(book->author, " \t")]) {
                pdf_style au = {ROLE_REGULAR, 0, 0, 0, 11, GREY_RGB, -1};
                pdf_tag_begin(c, "P");
                one_line(c, book->author, &au, c->ml, c->y - 40, w,
                         ALIGN_RIGHT);
                pdf_tag_end(c);
            }
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
            char date[FOLIO_DATE_MAX], rest[256];
            if (di->date) {
                c->host->date_text(di->date, 0, date, sizeof date);
                st.rgb = GREY_RGB;
                dw = one_line(c, date, &st, c->ml, base, w, ALIGN_LEFT) + 12;
                st.rgb = TEXT_RGB;
                /* The date once a row, in its column. */
                const char *t = c->host->title_sans_date(title, di->date, rest,
                                                         sizeof rest);
                if (t && *t) title = t;
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
void pdf_footers(pdf_ctx *c, size_t ncont)
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

/* ------------------------------------------------------------ the column */

/* Decorations of one line box [top - h, top]: quote bars, background. */
static void decorate(pdf_ctx *c, float top, float h)
{
    if (c->bg || c->nbars) pdf_tag_artifact(c);
    if (c->bg) {
        pdf_rgb(c->page, c->bg, 0);
        HPDF_Page_Rectangle(c->page, column_x(c) - 4, top - h, column_w(c) + 8,
                            h);
        HPDF_Page_Fill(c->page);
    }
    for (int i = 0; i < c->nbars; i++) {
        pdf_rgb(c->page, 0xc8c8c8u, 1);
        HPDF_Page_SetLineWidth(c->page, 1.6f);
        HPDF_Page_MoveTo(c->page, c->bars[i], top);
        HPDF_Page_LineTo(c->page, c->bars[i], top - h);
        HPDF_Page_Stroke(c->page);
    }
}

void pdf_vspace(pdf_ctx *c, float h)
{
    if (!c->page || c->y >= c->ph - c->mt - 0.01f)
        return; /* no space at the top of a page */
    if (c->y - h < c->mb) {
        c->y = c->mb;
        return;
    }
    decorate(c, c->y, h);
    c->y -= h;
}

void pdf_draw_marker(pdf_ctx *c, float base, float size)
{
    pdf_style st = body(c);
    st.size = size;
    st.rgb = GREY_RGB;
    pdf_para m;
    pdf_para_init(&m, &st, 1);
    pdf_para_text(c, &m, c->marker, strlen(c->marker));
    pdf_para_break(c, &m, 1000);
    pdf_tag_label(c);
    pdf_line_draw(c, &m, 0, c->marker_x, base, 1000);
    pdf_tag_end(c);
    pdf_para_free(c, &m);
    c->marker[0] = 0;
}

void pdf_flow(pdf_ctx *c, pdf_para *p, float space_after)
{
    float x = column_x(c), w = column_w(c);
    pdf_para_break(c, p, w);
    for (size_t i = 0; i < p->nlines; i++) {
        float size = p->lines[i].size, h = size * p->leading;
        /* Keep a paragraph's last line with the one before it. */
        if (i + 2 == p->nlines)
            pdf_need(c, h + p->lines[i + 1].size * p->leading);
        else
            pdf_need(c, h);
        float base = c->y - h / 2 - size * 0.35f;
        decorate(c, c->y, h);
        if (c->marker[0]) pdf_draw_marker(c, base, c->size);
        pdf_line_draw(c, p, i, x, base, w);
        c->y -= h;
    }
    pdf_vspace(c, space_after);
}

HPDF_Outline pdf_outline(pdf_ctx *c, HPDF_Outline parent, const char *title,
                         float top)
{
    HPDF_Outline o = HPDF_CreateOutline(
        c->doc, parent, pdf_bound(c, title, "an outline entry"), c->utf8);
    HPDF_Destination dst = pdf_dest(c, c->page, top);
    if (o && dst) HPDF_Outline_SetDestination(o, dst);
    return o;
}

/* A string cut by snprintf ends on a whole UTF-8 character. */
static void whole_utf8(char *s)
{
    size_t n = strlen(s), j = n;
    while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
        j--;
    if (j == 0) return;
    unsigned char lead = (unsigned char)s[j - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (j - 1 + need > n) s[j - 1] = 0;
}

/* The right-hand running head: in a book, the day's date and the paper
 * (or the day's title); alone, the paper (the day is on the left). */
void pdf_set_head(pdf_ctx *c, const char *num, const char *title)
{
    char rest[256];
    if (!title && c->book && c->d) {
        title = c->host->title_sans_date(c->d->title, c->d->date, rest,
                                         sizeof rest);
        if (!title || !*title) title = c->d->title;
    }
    if (!title) title = "";
    if (c->book)
        snprintf(c->head_buf, sizeof c->head_buf, "%s%s%s%s", c->head_date,
                 *c->head_date && *title ? " \xC2\xB7 " : "", num, title);
    else
        snprintf(c->head_buf, sizeof c->head_buf, "%s%s", num, title);
    whole_utf8(c->head_buf);
    c->head_right = c->head_buf;
}
