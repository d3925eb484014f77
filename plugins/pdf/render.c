/* render.c - a digest laid out as a compact handout: a title block, then
 * each paper's title (with its links in small type), its body, and its
 * sections with run-in bold labels ("Method  text..."), no page break
 * between papers.  Lists keep their labels, quotes get a bar, code a grey
 * background, tables rules. */
#include "pdf.h"
#include "tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 12 /* deeper nesting is laid out without more indent */

static void blocks(pdf_ctx *c, const folio_node *n, int tight,
                   const folio_node *skip);

/* Width of the side-head column at the left of the text: section heads
 * hang there, so the measure is about 45 Korean syllables and the heads
 * cost no line of their own. */
static float side_w(const pdf_ctx *c)
{
    return c->size * SIDE_EMS;
}

/* A paragraph of plain UTF-8 in a style. */
static void flow_text(pdf_ctx *c, const char *s, const pdf_style *st,
                      float leading, float after)
{
    pdf_para p;
    pdf_para_init(&p, st, leading);
    pdf_para_text(c, &p, s, strlen(s));
    pdf_flow(c, &p, after);
    pdf_para_free(c, &p);
}

/* ------------------------------------------------------------- blocks */

static void html_block(pdf_ctx *c, const folio_node *n)
{
    if (n->child) {
        /* Its <img> tags: figures, or their alt text. */
        for (const folio_node *i = n->child; i; i = i->next)
            if (!pdf_figure(c, i, column_x(c), column_w(c))) {
                pdf_style st = body(c);
                pdf_para p;
                pdf_para_init(&p, &st, LEADING);
                p.line = i->line;
                pdf_tag_begin(c, "P");
                pdf_para_inlines(c, &p, i);
                pdf_flow(c, &p, c->size * 0.35f);
                pdf_tag_end(c);
                pdf_para_free(c, &p);
            }
        return;
    }
    folio_buf t = {0};
    /* Raw HTML is never trusted: only its text is kept. */
    c->host->html_text(&t, n->text, n->len);
    size_t a = 0, b = t.len;
    while (a < b && t.data[a] == ' ')
        a++;
    while (b > a && t.data[b - 1] == ' ')
        b--;
    if (b > a) {
        pdf_style st = body(c);
        st.rgb = GREY_RGB;
        pdf_para p;
        pdf_para_init(&p, &st, LEADING);
        p.line = n->line;
        pdf_para_text(c, &p, t.data + a, b - a);
        pdf_tag_begin(c, "P");
        pdf_flow(c, &p, c->size * 0.35f);
        pdf_tag_end(c);
        pdf_para_free(c, &p);
    }
    c->host->buf_free(&t);
}

static void code_block(pdf_ctx *c, const folio_node *n)
{
    pdf_style st = body(c);
    st.role = ROLE_MONO;
    st.size = c->size * 0.84f;
    st.rgb = 0x222222u;
    pdf_para p;
    pdf_para_init(&p, &st, 1.32f);
    p.pre = 1;
    p.line = n->line;
    size_t len = n->len;
    if (len && n->text[len - 1] == '\n')
        len--; /* the block's own final line end */
    pdf_para_text(c, &p, n->text, len);
    pdf_vspace(c, 2);
    unsigned saved = c->bg;
    c->bg = 0xf1f1f1u;
    pdf_vspace(c, 3);
    pdf_tag_begin(c, "Code");
    pdf_flow(c, &p, 3);
    pdf_tag_end(c);
    c->bg = saved;
    pdf_vspace(c, c->size * 0.4f);
    pdf_para_free(c, &p);
}

/* The heading level of the post's sections (0 when it has none): a
 * paper's side heads, an article's top headings. */
static int section_level(const folio_digest *d)
{
    if (!d || (d->kind == FOLIO_KIND_DIGEST && !d->paper_level)) return 0;
    if (d->kind != FOLIO_KIND_ARTICLE) return d->paper_level + 1;
    return d->nsections && d->sections[0].heading
               ? d->sections[0].heading->u.heading.level
               : 0;
}

/* The size of a heading by its level alone. */
static float level_size(const pdf_ctx *c, int level)
{
    return c->size + (level <= 2 ? 2.0f : level == 3 ? 1.0f : 0.0f);
}

static void heading(pdf_ctx *c, const folio_node *n)
{
    int level = n->u.heading.level;
    pdf_style st = body(c);
    st.role = ROLE_BOLD;
    st.rgb = ACCENT_RGB;
    st.size = level_size(c, level);
    /* Below the section level a heading never outranks its section: a
     * point smaller a level down, down to the body size (a paper's side
     * heads are body size), set in the text column; two levels down in
     * the text's colour. */
    int sub = c->sec_level ? level - c->sec_level : 0;
    if (sub > 0) {
        float sec = c->sec_size - (float)sub;
        st.size = sec > c->size ? sec : c->size;
        if (sub > 1) st.rgb = c->rgb;
    }
    pdf_para p;
    pdf_para_init(&p, &st, 1.3f);
    p.line = n->line;
    pdf_para_inlines(c, &p, n->child);
    pdf_vspace(c, 3);
    pdf_need(c, st.size * 1.3f + 2 * c->size * LEADING);
    /* Headings hang out of the text into the side column. */
    float left = c->left;
    if (c->left >= side_w(c) && sub <= 0) c->left -= side_w(c);
    /* An article's top headings are its bookmarks: day -> heading. */
    const folio_digest *d = c->d;
    if (d && d->kind == FOLIO_KIND_ARTICLE && c->next_sec < d->nsections &&
        d->sections[c->next_sec].heading == n) {
        pdf_outline(c, c->day_mark, d->sections[c->next_sec++].title, c->y + 4);
    }
    pdf_tag_heading(c, level < 2 ? 2 : level); /* the day's title is H1 */
    pdf_flow(c, &p, 1);
    pdf_tag_end(c);
    c->left = left;
    pdf_para_free(c, &p);
}

/* The images of a list of inlines drawn as figures after their text
 * (their alt text is not in the text). */
static void figures_of(pdf_ctx *c, const folio_node *n)
{
    for (; n; n = n->next) {
        if (n->type == FOLIO_NODE_IMAGE)
            pdf_figure(c, n, column_x(c), column_w(c));
        else if (n->type != FOLIO_NODE_HTML_INLINE)
            figures_of(c, n->child);
        else
            for (const folio_node *i = n->child; i; i = i->next)
                pdf_figure(c, i, column_x(c), column_w(c));
    }
}

/* 1 when the inlines hold only drawn images and blank text. */
static int only_figures(pdf_ctx *c, const folio_node *n)
{
    int any = 0;
    for (; n; n = n->next) {
        if (n->type == FOLIO_NODE_IMAGE && pdf_image_drawn(c, n)) {
            any = 1;
            continue;
        }
        if (n->type == FOLIO_NODE_SOFTBREAK) continue;
        if (n->type == FOLIO_NODE_TEXT && strspn(n->text, " \t") == n->len)
            continue;
        return 0;
    }
    return any;
}

static void paragraph(pdf_ctx *c, const folio_node *n, int tight, int label)
{
    const folio_node *m = n->child;
    int math =
        m && !m->next && m->type == FOLIO_NODE_MATH && FOLIO_MATH_DISPLAY(m);
    int own = !label || math; /* else the text of its item's LBody */
    if (own) pdf_tag_begin(c, "P");
    if (math) pdf_tag_formula(c, m->text, m->len);
    if (pdf_math_display(c, n)) { /* display math alone */
        if (own) pdf_tag_end(c);
        return;
    }
    if (!label && only_figures(c, n->child)) {
        pdf_tag_end(c); /* left empty: not written */
        figures_of(c, n->child);
        return;
    }
    pdf_style st = body(c);
    pdf_para p;
    pdf_para_init(&p, &st, LEADING);
    p.align = ALIGN_JUSTIFY;
    p.line = n->line;
    c->figures_after = 1;
    pdf_para_inlines(c, &p, n->child);
    c->figures_after = 0;
    if (label) pdf_para_bold_label(&p, 0);
    pdf_flow(c, &p, tight ? c->size * 0.15f : c->size * 0.4f);
    if (own) pdf_tag_end(c);
    pdf_para_free(c, &p);
    figures_of(c, n->child);
}

static void list(pdf_ctx *c, const folio_node *n)
{
    float indent = c->size * 1.3f;
    int num = n->u.list.start, nested = c->depth;
    int tight = n->u.list.tight;
    pdf_tag_begin(c, "L");
    pdf_tag_numbering(c, n->u.list.ordered ? "Decimal"
                         : nested % 2      ? "Circle"
                                           : "Disc");
    for (const folio_node *it = n->child; it; it = it->next, num++) {
        if (n->u.list.ordered) {
            snprintf(c->marker, sizeof c->marker, "%d%c", num,
                     n->u.list.delim ? n->u.list.delim : '.');
        } else if (it->u.item.task) {
            snprintf(c->marker, sizeof c->marker, "%s",
                     it->u.item.checked ? "\xE2\x98\x91"   /* ☑ */
                                        : "\xE2\x98\x90"); /* ☐ */
        } else {
            snprintf(c->marker, sizeof c->marker, "%s",
                     nested % 2 ? "\xE2\x97\xA6" : "\xE2\x80\xA2");
        }
        float w = n->u.list.ordered || it->u.item.task ? indent * 1.4f : indent;
        c->marker_x = column_x(c) + (c->depth < MAX_DEPTH ? 0 : -w) +
                      (n->u.list.ordered ? 0 : c->size * 0.25f);
        if (c->depth < MAX_DEPTH) c->left += w;
        c->depth++;
        pdf_tag_begin(c, "LI");
        pdf_tag_begin(c, "LBody");
        const folio_node *first = it->child;
        if (first && first->type == FOLIO_NODE_PARAGRAPH) {
            paragraph(c, first, tight, 1);
            first = first->next;
        }
        blocks(c, first, tight, NULL);
        pdf_tag_end(c);   /* LBody */
        pdf_tag_end(c);   /* LI */
        c->marker[0] = 0; /* an empty item */
        c->depth--;
        if (c->depth < MAX_DEPTH) c->left -= w;
    }
    pdf_tag_end(c); /* L */
    if (!nested)    /* space after the whole list, not after each sublist */
        pdf_vspace(c, tight ? c->size * 0.3f : 0);
}

static void quote(pdf_ctx *c, const folio_node *n)
{
    float indent = c->size * 1.1f;
    int bar = c->depth < MAX_DEPTH && c->nbars < 8;
    unsigned rgb = c->rgb;
    if (bar) {
        c->bars[c->nbars++] = column_x(c) + 1;
        c->left += indent;
    }
    c->rgb = 0x444444u;
    c->depth++;
    pdf_tag_begin(c, "BlockQuote");
    blocks(c, n->child, 0, NULL);
    pdf_tag_end(c);
    c->depth--;
    c->rgb = rgb;
    if (bar) {
        c->nbars--;
        c->left -= indent;
    }
}

/* --------------------------------------------------------------- tables */

typedef struct cellbox {
    pdf_para p;
    float h;
} cellbox;

static void cell_para(pdf_ctx *c, pdf_para *p, const folio_node *cell,
                      int header, float size, folio_align al)
{
    pdf_style st = body(c);
    st.size = size;
    if (header) st.role = ROLE_BOLD;
    pdf_para_init(p, &st, 1.3f);
    p->line = cell->line;
    p->align = al == FOLIO_ALIGN_RIGHT    ? ALIGN_RIGHT
               : al == FOLIO_ALIGN_CENTER ? ALIGN_CENTER
                                          : ALIGN_LEFT;
    pdf_para_inlines(c, p, cell->child);
}

static void table(pdf_ctx *c, const folio_node *t)
{
    int nc = t->u.table.ncols;
    if (nc <= 0) return;
    float size = c->size * 0.9f, pad = 3.5f, avail = column_w(c);
    float *mn = calloc((size_t)nc, sizeof *mn);
    float *mx = calloc((size_t)nc, sizeof *mx);
    float *cw = calloc((size_t)nc, sizeof *cw);
    cellbox *cb = calloc((size_t)nc, sizeof *cb);
    if (!mn || !mx || !cw || !cb) abort();
    /* Column widths: natural when they fit, else each column's longest
     * word plus a share of the rest in proportion to its text. */
    for (const folio_node *r = t->child; r; r = r->next) {
        int k = 0;
        for (const folio_node *cell = r->child; cell && k < nc;
             cell = cell->next, k++) {
            pdf_para p;
            float a, b;
            cell_para(c, &p, cell, r->u.row.header, size, FOLIO_ALIGN_LEFT);
            pdf_para_widths(c, &p, &a, &b);
            pdf_para_free(c, &p);
            if (a > mn[k]) mn[k] = a;
            if (b > mx[k]) mx[k] = b;
        }
    }
    float summin = 0, summax = 0;
    for (int k = 0; k < nc; k++) {
        mn[k] += 2 * pad;
        mx[k] += 2 * pad;
        summin += mn[k];
        summax += mx[k];
    }
    for (int k = 0; k < nc; k++) {
        if (summax <= avail)
            cw[k] = mx[k];
        else if (summin >= avail)
            cw[k] = avail * mn[k] / summin;
        else
            cw[k] =
                mn[k] + (avail - summin) * (mx[k] - mn[k]) / (summax - summin);
    }
    float width = 0;
    for (int k = 0; k < nc; k++)
        width += cw[k];

    float x0 = column_x(c);
    pdf_vspace(c, 2);
    pdf_need(c, 3 * size * 1.3f);
    pdf_hrule(c, x0, x0 + width, c->y, 0.8f, 0x555555u);
    pdf_tag_begin(c, "Table");
    for (const folio_node *r = t->child; r; r = r->next) {
        const char *cellrole = r->u.row.header ? "TH" : "TD";
        float rowh = 0;
        pdf_tag_begin(c, "TR");
        int k = 0;
        for (const folio_node *cell = r->child; cell && k < nc;
             cell = cell->next, k++) {
            cell_para(c, &cb[k].p, cell, r->u.row.header, size,
                      t->u.table.align[k]);
            pdf_para_break(c, &cb[k].p, cw[k] - 2 * pad);
            cb[k].h = 0;
            for (size_t i = 0; i < cb[k].p.nlines; i++)
                cb[k].h += cb[k].p.lines[i].size * cb[k].p.leading;
            if (cb[k].h > rowh) rowh = cb[k].h;
        }
        int ncells = k;
        rowh += pad;
        if (rowh > c->ph - c->mt - c->mb) {
            /* A row taller than a page: its cells as paragraphs. */
            for (k = 0; k < ncells; k++) {
                cb[k].p.align = ALIGN_LEFT;
                pdf_tag_begin(c, cellrole);
                pdf_flow(c, &cb[k].p, 2);
                pdf_tag_end(c);
                pdf_para_free(c, &cb[k].p);
            }
            pdf_tag_end(c); /* TR */
            continue;
        }
        pdf_need(c, rowh);
        if (r->u.row.header) {
            pdf_tag_artifact(c);
            pdf_rgb(c->page, 0xeeeeeeu, 0);
            HPDF_Page_Rectangle(c->page, x0, c->y - rowh, width, rowh);
            HPDF_Page_Fill(c->page);
        }
        float x = x0;
        for (k = 0; k < ncells; k++) {
            float top = c->y - pad / 2;
            pdf_tag_begin(c, cellrole);
            for (size_t i = 0; i < cb[k].p.nlines; i++) {
                float s = cb[k].p.lines[i].size, h = s * cb[k].p.leading;
                if (top - h < c->mb - 1) break;
                pdf_line_draw(c, &cb[k].p, i, x + pad, top - h / 2 - s * 0.35f,
                              cw[k] - 2 * pad);
                top -= h;
            }
            pdf_tag_end(c);
            x += cw[k];
            pdf_para_free(c, &cb[k].p);
        }
        pdf_tag_end(c); /* TR */
        c->y -= rowh;
        if (c->y < c->mb) c->y = c->mb;
        if (r->u.row.header || !r->next)
            pdf_hrule(c, x0, x0 + width, c->y, r->next ? 0.5f : 0.8f,
                      0x555555u);
    }
    pdf_tag_end(c); /* Table */
    pdf_vspace(c, c->size * 0.5f);
    free(mn);
    free(mx);
    free(cw);
    free(cb);
}

static void block(pdf_ctx *c, const folio_node *n, int tight)
{
    switch (n->type) {
    case FOLIO_NODE_PARAGRAPH:
        paragraph(c, n, tight, 0);
        break;
    case FOLIO_NODE_HEADING:
        heading(c, n);
        break;
    case FOLIO_NODE_BLOCK_QUOTE:
        quote(c, n);
        break;
    case FOLIO_NODE_LIST:
        list(c, n);
        break;
    case FOLIO_NODE_CODE_BLOCK:
        code_block(c, n);
        break;
    case FOLIO_NODE_HTML_BLOCK:
        html_block(c, n);
        break;
    case FOLIO_NODE_THEMATIC_BREAK:
        pdf_vspace(c, 4);
        pdf_need(c, 6);
        pdf_hrule(c, column_x(c), column_x(c) + column_w(c), c->y, 0.5f,
                  0xaaaaaau);
        pdf_vspace(c, 6);
        break;
    case FOLIO_NODE_TABLE:
        table(c, n);
        break;
    case FOLIO_NODE_MARKUP_BLOCK: /* what a Liquid page variable prints */
        for (const folio_node *k = n->child; k; k = k->next)
            block(c, k, tight);
        break;
    default: /* footnote definitions come at the end of the digest */
        break;
    }
}

static void blocks(pdf_ctx *c, const folio_node *n, int tight,
                   const folio_node *skip)
{
    for (; n; n = n->next)
        if (n != skip) block(c, n, tight);
}

/* --------------------------------------------------------------- papers */

/* A paper's body without the blocks the core read as its links (shown on
 * its links line). */
static void paper_body(pdf_ctx *c, const folio_paper *pp)
{
    for (const folio_node *b = pp->body; b; b = b->next)
        if (!c->host->is_links_block(pp, b)) block(c, b, 0);
}

/* A section head in the side column, level with the first line of the
 * text that follows (room for three lines is made first, so that text
 * starts on this page); a long head wraps in its column. */
static float side_head(pdf_ctx *c, const char *title)
{
    float side = side_w(c), h = c->size * LEADING;
    pdf_need(c, 3 * h);
    pdf_style st = body(c);
    st.role = ROLE_BOLD;
    st.rgb = ACCENT_RGB;
    pdf_para p;
    pdf_para_init(&p, &st, LEADING);
    pdf_para_text(c, &p, title, strlen(title));
    pdf_para_break(c, &p, side - c->size);
    float x = column_x(c) - side, y = c->y;
    pdf_tag_heading(c, 3);
    for (size_t i = 0; i < p.nlines; i++, y -= h)
        pdf_line_draw(c, &p, i, x, y - h / 2 - c->size * 0.35f, side);
    pdf_tag_end(c);
    pdf_para_free(c, &p);
    return y; /* below its last line */
}

static void section(pdf_ctx *c, const folio_section *s, HPDF_Outline parent)
{
    const folio_node *b = s->body;
    if (!s->heading) { /* a bold label, kept inside its paragraph */
        blocks(c, b, 0, NULL);
        return;
    }
    /* Bookmarked where it starts: a page break comes before, if any. */
    if (parent) {
        pdf_need(c, 3 * c->size * LEADING);
        pdf_outline(c, parent, s->title, c->y + 4);
    }
    /* A heading stays with the figure that follows it. */
    float fig = 0;
    if (b && b->type == FOLIO_NODE_PARAGRAPH)
        for (const folio_node *i = b->child; i && !fig; i = i->next)
            if (i->type == FOLIO_NODE_IMAGE)
                fig = pdf_figure_height(c, i, column_w(c));
    if (fig) pdf_need(c, 1.5f * c->size * LEADING + fig);
    HPDF_Page page = c->page;
    float below = side_head(c, s->title);
    blocks(c, b, 0, NULL);
    /* A head longer than its text: the next one starts below it. */
    below -= c->size * 0.4f; /* as after a paragraph */
    if (c->page == page && c->y > below) pdf_vspace(c, c->y - below);
}

/* A post that is one paper: its title is the digest's, above; only its
 * links, then its body and sections (bookmarked under the day). */
static void single_paper(pdf_ctx *c, const folio_paper *pp, HPDF_Outline parent)
{
    pdf_style small = body(c);
    small.size = SMALL_SIZE;
    small.rgb = LINK_RGB;
    pdf_para p;
    pdf_para_init(&p, &small, 1.3f);
    p.line = pp->line;
    const char *sep = "";
    int any = 0;
    for (size_t i = 0; i <= pp->nlinks; i++) {
        const char *url = i ? pp->links[i - 1].url : pp->url;
        if (!url || (small.link = pdf_para_link(&p, c, url)) < 0) continue;
        p.cur = small;
        p.cur.link = -1;
        pdf_para_text(c, &p, sep, strlen(sep));
        p.cur.link = small.link;
        if (i && *pp->links[i - 1].label)
            pdf_para_text(c, &p, pp->links[i - 1].label,
                          strlen(pp->links[i - 1].label));
        else if (!i && pp->arxiv_id) {
            pdf_para_text(c, &p, "arXiv:", 6);
            pdf_para_text(c, &p, pp->arxiv_id, strlen(pp->arxiv_id));
        } else
            pdf_para_text(c, &p, url, strlen(url));
        sep = " \xC2\xB7 ";
        any = 1;
    }
    if (any) {
        pdf_tag_begin(c, "P");
        pdf_flow(c, &p, c->size * 0.5f);
        pdf_tag_end(c);
    }
    pdf_para_free(c, &p);
    paper_body(c, pp);
    for (size_t i = 0; i < pp->nsections; i++)
        section(c, &pp->sections[i], parent);
}

/* The section level of a paper: its side heads', else its shallowest
 * heading's (a display head then, as in an article). */
static void paper_levels(pdf_ctx *c, const folio_paper *pp)
{
    c->sec_level = 0;
    c->sec_size = c->size;
    for (size_t i = 0; i < pp->nsections; i++)
        if (pp->sections[i].heading) {
            c->sec_level = pp->sections[i].heading->u.heading.level;
            return;
        }
    for (const folio_node *b = pp->body; b; b = b->next)
        if (b->type == FOLIO_NODE_HEADING &&
            (!c->sec_level || b->u.heading.level < c->sec_level))
            c->sec_level = b->u.heading.level;
    if (c->sec_level) c->sec_size = level_size(c, c->sec_level);
}

static void paper(pdf_ctx *c, const folio_paper *pp, HPDF_Outline parent)
{
    paper_levels(c, pp);
    if (c->d->kind == FOLIO_KIND_PAPER) {
        single_paper(c, pp, parent);
        return;
    }
    pdf_style st = body(c);
    st.role = ROLE_BOLD;
    st.rgb = ACCENT_RGB;
    st.size = c->size + 1.5f;
    pdf_para p;
    pdf_para_init(&p, &st, 1.3f);
    p.line = pp->line;
    char num[24] = "";
    if (pp->number) snprintf(num, sizeof num, "%d. ", pp->number);
    pdf_para_text(c, &p, num, strlen(num));
    int l = pdf_para_link(&p, c, pp->url);
    if (l >= 0) p.cur.link = l;
    if (pp->title_inlines)
        pdf_para_inlines(c, &p, pp->title_inlines);
    else
        pdf_para_text(c, &p, pp->title, strlen(pp->title));
    /* The paper's links in small type after its title. */
    pdf_style small = body(c);
    small.size = SMALL_SIZE;
    small.rgb = LINK_RGB;
    const char *sep = "   ";
    if (pp->url && (small.link = pdf_para_link(&p, c, pp->url)) >= 0) {
        p.cur = small;
        p.cur.link = -1;
        pdf_para_text(c, &p, sep, strlen(sep));
        p.cur.link = small.link;
        if (pp->arxiv_id) {
            pdf_para_text(c, &p, "arXiv:", 6);
            pdf_para_text(c, &p, pp->arxiv_id, strlen(pp->arxiv_id));
        } else {
            pdf_para_text(c, &p, "link", 4);
        }
        sep = " \xC2\xB7 ";
    }
    for (size_t i = 0; i < pp->nlinks; i++) {
        if ((small.link = pdf_para_link(&p, c, pp->links[i].url)) < 0) continue;
        p.cur = small;
        p.cur.link = -1;
        pdf_para_text(c, &p, sep, strlen(sep));
        p.cur.link = small.link;
        pdf_para_text(c, &p, pp->links[i].label, strlen(pp->links[i].label));
        sep = " \xC2\xB7 ";
    }
    pdf_vspace(c, c->size * 0.7f);
    float left = c->left; /* the title spans the side column too */
    if (c->left >= side_w(c)) c->left -= side_w(c);
    pdf_para_break(c, &p, column_w(c));
    float h = 0;
    for (size_t i = 0; i < p.nlines; i++)
        h += p.lines[i].size * p.leading;
    pdf_set_head(c, num, pp->title); /* before a page break for the title */
    pdf_need(c, h + 3 * c->size * LEADING); /* a title never ends a page */
    folio_buf title = {0};
    c->host->buf_printf(&title, "%s%s", num, pp->title);
    pdf_outline(c, parent, title.data, c->y + 4);
    c->host->buf_free(&title);
    pdf_tag_heading(c, 2);
    pdf_flow(c, &p, 2);
    pdf_tag_end(c);
    c->left = left;
    pdf_para_free(c, &p);

    paper_body(c, pp);
    for (size_t i = 0; i < pp->nsections; i++)
        section(c, &pp->sections[i], NULL); /* bookmarks stop at papers */
}

void pdf_digest(pdf_ctx *c, const folio_digest *d, HPDF_Outline parent)
{
    c->d = d;
    c->lang = d->lang;
    if (c->book) pdf_tag_begin(c, "Sect"); /* a day of the book */
    if (!c->book) c->head_left = d->title;
    c->host->date_text(d->date, 0, c->head_date, sizeof c->head_date);
    pdf_set_head(c, "", NULL);
    c->no_head = 1; /* the day's title opens the page */
    pdf_new_page(c);
    HPDF_Outline day = pdf_outline(c, parent, d->title, c->ph);
    c->day_mark = day;
    c->next_sec = 0;
    if (day && !parent) /* one digest: its papers shown at once */
        HPDF_Outline_SetOpened(day, HPDF_TRUE);

    /* Title block: the title, then date, author, paper count and tags. */
    pdf_style st = body(c);
    st.role = ROLE_BOLD;
    st.size = 15;
    st.rgb = ACCENT_RGB;
    pdf_tag_heading(c, 1);
    flow_text(c, d->title, &st, 1.3f, 1);
    pdf_tag_end(c);
    folio_buf meta = {0};
    char words[64];
    char when[FOLIO_DATE_MAX];
    c->host->buf_puts(&meta, c->host->date_text(d->date, 1, when, sizeof when));
    /* The author, unless a book of several days names the same one. */
    if (d->author && d->author[strspn(d->author, " \t")] &&
        (!c->book || !c->book_author || strcmp(c->book_author, d->author)))
        c->host->buf_printf(&meta, "%s%s", meta.len ? " \xC2\xB7 " : "",
                            d->author);
    /* The paper count is a digest's: an article or one paper has none. */
    if (d->kind == FOLIO_KIND_DIGEST)
        c->host->buf_printf(
            &meta, "%s%s", meta.len ? " \xC2\xB7 " : "",
            c->host->count_papers(d->lang, d->npapers, words, sizeof words));
    for (size_t i = 0; i < d->ntags; i++)
        c->host->buf_printf(&meta, "%s%s",
                            i          ? ", "
                            : meta.len ? " \xC2\xB7 "
                                       : "",
                            d->tags[i]);
    st = body(c);
    st.size = SMALL_SIZE + 0.5f;
    st.rgb = GREY_RGB;
    if (meta.len) {
        pdf_tag_begin(c, "P");
        flow_text(c, meta.data, &st, 1.4f, 3);
        pdf_tag_end(c);
    }
    c->host->buf_free(&meta);
    pdf_hrule(c, c->ml, c->pw - c->mr, c->y, 0.6f, 0x999999u);
    pdf_vspace(c, 4);

    c->left = side_w(c); /* the text column, right of the section heads */
    c->sec_level = section_level(d);
    c->sec_size = d->kind == FOLIO_KIND_ARTICLE && c->sec_level
                      ? level_size(c, c->sec_level)
                      : c->size;
    blocks(c, d->preamble, 0, d->title_heading);
    for (size_t i = 0; i < d->npapers; i++)
        paper(c, &d->papers[i], day);
    c->left = 0;

    if (d->footnotes) {
        float size = c->size;
        c->size = SMALL_SIZE + 0.5f;
        pdf_vspace(c, 6);
        pdf_need(c, 12);
        pdf_hrule(c, c->ml, c->ml + 120, c->y, 0.5f, 0x999999u);
        pdf_vspace(c, 4);
        unsigned rgb = c->rgb;
        c->rgb = GREY_RGB;
        for (const folio_node *f = d->footnotes; f; f = f->next) {
            if (f->type != FOLIO_NODE_FOOTNOTE_DEF) continue;
            snprintf(c->marker, sizeof c->marker, "%d.", f->u.footnote.number);
            c->marker_x = c->ml;
            c->left += c->size * 1.8f;
            pdf_tag_begin(c, "Note"); /* its number a Lbl, as in a list */
            blocks(c, f->child, 1, NULL);
            pdf_tag_end(c);
            c->left -= c->size * 1.8f;
            c->marker[0] = 0;
        }
        c->size = size;
        c->rgb = rgb;
    }
    if (c->book) pdf_tag_end(c); /* Sect */
}
