/* render.c - one digest as an XHTML document, rendered from the IR (never
 * by cmark-gfm, whose HTML is not EPUB's XHTML).
 *
 * Safe by construction: every string goes through the host's xml_escape,
 * raw HTML through the host's html_sanitize (a safe subset of elements,
 * no attribute but a safe href, the rest its text), only http, https and
 * mailto links stay live (url_is_safe), and the ids are ours: p3 for the
 * third paper, p3-s2 for its second section, fn1 and fnref1 for notes. */
#include "epub.h"

#include <stdlib.h>
#include <string.h>

/* ---- XHTML helpers, shared with package.c */

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

/* A raw HTML comment ("<!-- more -->") is invisible in the blog: drop it
 * rather than show it. */
static int html_comment(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                   s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    return len >= 7 && memcmp(s, "<!--", 4) == 0 &&
           memcmp(s + len - 3, "-->", 3) == 0;
}

static void esc(rctx *c, const char *s, size_t len)
{
    c->h->xml_escape(c->o, s, len);
}

static void put(rctx *c, const char *s)
{
    c->h->buf_puts(c->o, s);
}

/* An href attribute value: a valid URI (the host's url_encode), escaped
 * for XML. */
static void href(const folio_host *h, folio_buf *out, folio_buf *tmp,
                 const char *url)
{
    tmp->len = 0;
    h->url_encode(tmp, url);
    if (tmp->data) h->xml_escape(out, tmp->data, tmp->len);
}

static void inlines(rctx *c, const folio_node *n);
static void blocks(rctx *c, const folio_node *n, int tight);

/* A line end between two Han or kana characters is no space in Chinese
 * or Japanese text; elsewhere (Korean, Latin) it is one. */
static int joins(rctx *c, const folio_node *prev, const folio_node *next)
{
    if (!prev || !next || prev->type != FOLIO_NODE_TEXT ||
        next->type != FOLIO_NODE_TEXT || !prev->len || !next->len)
        return 0;
    size_t i = prev->len - 1;
    while (i > 0 && ((unsigned char)prev->text[i] & 0xC0) == 0x80)
        i--;
    uint32_t a, b;
    c->h->utf8_next(prev->text + i, prev->len - i, &a);
    c->h->utf8_next(next->text, next->len, &b);
    return c->h->joins_lines(a, b);
}

static void footnote_ref(rctx *c, int num)
{
    if (num <= 0 || (size_t)num >= c->nfn || !(c->fn[num] & 1)) {
        /* No such note: keep the mark, link nothing. */
        c->h->buf_printf(c->o, "<sup>[%d]</sup>", num);
        return;
    }
    c->h->buf_printf(c->o,
                     "<a class=\"noteref\" epub:type=\"noteref\" "
                     "href=\"#fn%d\"",
                     num);
    if (!(c->fn[num] & 2)) c->h->buf_printf(c->o, " id=\"fnref%d\"", num);
    c->h->buf_printf(c->o, ">%d</a>", num);
    c->fn[num] |= 2;
}

/* MathML from the host; display only when the span was written as display
 * and stands alone in its paragraph (as kramdown sets it).  An older host
 * without the service: the TeX as written. */
static void math(rctx *c, const folio_node *n, const folio_node *prev)
{
    if (!FOLIO_HOST_HAS(c->h, math_mathml)) {
        put(c, "<span class=\"math\">");
        esc(c, n->text, n->len);
        put(c, "</span>");
        return;
    }
    int display = FOLIO_MATH_DISPLAY(n) && !prev && !n->next;
    c->h->math_mathml(c->o, n->text, n->len, display);
    c->nmath++;
}

/* ---- figures */

size_t image_register(epub_images *im, const folio_image *f)
{
    for (size_t i = 0; i < im->n; i++)
        if (memcmp(im->v[i].sha256, f->sha256, sizeof f->sha256) == 0) return i;
    if (im->n == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 16;
        folio_image *v = realloc(im->v, cap * sizeof *v);
        if (!v) abort();
        im->v = v;
        im->cap = cap;
    }
    im->v[im->n] = *f;
    return im->n++;
}

void image_href(const folio_host *h, folio_buf *b, const folio_image *f)
{
    h->buf_printf(b, "img/%s.%s", f->id, f->ext);
}

/* Load an IMAGE node through the host: FOLIO_IMAGE_OK, _REMOTE or _ERROR. */
static int load(rctx *c, const folio_node *n, folio_image *f)
{
    if (!c->img || !c->d) return FOLIO_IMAGE_ERROR;
    return c->h->image(c->job, c->d, n, f);
}

/* What an image says: the author's alt text, else its title, else
 * nothing. */
static void image_words(rctx *c, folio_buf *t, const folio_node *n)
{
    c->h->plain_text(t, n->child);
    if (!t->len && n->u.link.title) c->h->buf_puts(t, n->u.link.title);
}

/* The alt attribute: the image's words, else empty (an image the author
 * did not describe is marked decorative rather than named after its
 * file). */
static void alt_attr(rctx *c, const folio_node *n)
{
    folio_buf t = {0};
    image_words(c, &t, n);
    put(c, " alt=\"");
    if (t.len) esc(c, t.data, t.len);
    put(c, "\"");
    c->h->buf_free(&t);
}

static void img_tag(rctx *c, const folio_node *n, const folio_image *f)
{
    image_register(c->img, f);
    put(c, "<img src=\"");
    image_href(c->h, c->o, f);
    put(c, "\"");
    alt_attr(c, n);
    if (f->width > 0 && f->height > 0)
        c->h->buf_printf(c->o, " width=\"%d\" height=\"%d\"", f->width,
                         f->height);
    put(c, "/>");
}

/* An image shown as its alt text in brackets: "[image]" without one. */
static void bracketed_alt(rctx *c, const folio_node *n)
{
    put(c, "[");
    if (n->child)
        inlines(c, n->child);
    else
        put(c, c->h->label(c->lang, FOLIO_LABEL_IMAGE));
    put(c, "]");
}

/* An image not embedded: its alt text, and for a remote one its URL as a
 * link. */
static void image_text(rctx *c, const folio_node *n, int remote)
{
    put(c, "<span class=\"image-alt\">");
    bracketed_alt(c, n);
    put(c, "</span>");
    if (remote && c->h->url_is_safe(n->u.link.url)) {
        put(c, " <a class=\"url\" href=\"");
        href(c->h, c->o, &c->tmp, n->u.link.url);
        put(c, "\">");
        esc(c, n->u.link.url, strlen(n->u.link.url));
        put(c, "</a>");
    }
}

static void image(rctx *c, const folio_node *n)
{
    folio_image f;
    int rc = load(c, n, &f);
    if (rc == FOLIO_IMAGE_OK)
        img_tag(c, n, &f);
    else
        image_text(c, n, rc == FOLIO_IMAGE_REMOTE);
}

/* A figure: an image alone in its paragraph, with its alt text (else its
 * title) as the caption.  Returns 1 when written. */
static int figure(rctx *c, const folio_node *n)
{
    folio_image f;
    if (!n || n->type != FOLIO_NODE_IMAGE || load(c, n, &f) != FOLIO_IMAGE_OK)
        return 0;
    put(c, "<figure>");
    img_tag(c, n, &f);
    folio_buf t = {0};
    image_words(c, &t, n);
    if (t.len) {
        put(c, "<figcaption>");
        esc(c, t.data, t.len);
        put(c, "</figcaption>");
    }
    c->h->buf_free(&t);
    put(c, "</figure>\n");
    return 1;
}

/* The one image of a paragraph that holds nothing else (blank text
 * aside), or NULL. */
static const folio_node *lone_image(const folio_node *p)
{
    const folio_node *img = NULL;
    for (const folio_node *n = p->child; n; n = n->next) {
        if (n->type == FOLIO_NODE_IMAGE && !img) {
            img = n;
            continue;
        }
        if (n->type == FOLIO_NODE_SOFTBREAK) continue;
        if (n->type == FOLIO_NODE_TEXT) {
            size_t k = 0;
            while (k < n->len && (n->text[k] == ' ' || n->text[k] == '\t'))
                k++;
            if (k == n->len) continue;
        }
        return NULL;
    }
    return img;
}

static void inline1(rctx *c, const folio_node *n, const folio_node *prev)
{
    switch (n->type) {
    case FOLIO_NODE_TEXT:
        esc(c, n->text, n->len);
        break;
    case FOLIO_NODE_SOFTBREAK:
        if (!joins(c, prev, n->next)) put(c, "\n");
        break;
    case FOLIO_NODE_LINEBREAK:
        put(c, "<br/>\n");
        break;
    case FOLIO_NODE_CODE:
        put(c, "<code>");
        esc(c, n->text, n->len);
        put(c, "</code>");
        break;
    case FOLIO_NODE_HTML_INLINE:
        if (n->child && c->img) {
            for (const folio_node *i = n->child; i; i = i->next)
                image(c, i);
        } else if (c->html) {
            c->h->html_sanitize(c->o, n->text, n->len, c->html);
        } else {
            c->h->html_sanitize(c->o, n->text, n->len, NULL);
        }
        break;
    case FOLIO_NODE_MATH:
        math(c, n, prev);
        break;
    case FOLIO_NODE_EMPH:
        put(c, "<em>");
        inlines(c, n->child);
        put(c, "</em>");
        break;
    case FOLIO_NODE_STRONG:
        put(c, "<strong>");
        inlines(c, n->child);
        put(c, "</strong>");
        break;
    case FOLIO_NODE_STRIKETHROUGH:
        put(c, "<del>");
        inlines(c, n->child);
        put(c, "</del>");
        break;
    case FOLIO_NODE_LINK:
        if (!c->h->url_is_safe(n->u.link.url)) {
            inlines(c, n->child); /* javascript:, data:, relative...: text */
            break;
        }
        put(c, n->u.link.autolink ? "<a class=\"url\" href=\"" : "<a href=\"");
        href(c->h, c->o, &c->tmp, n->u.link.url);
        put(c, "\"");
        if (n->u.link.title && *n->u.link.title) {
            put(c, " title=\"");
            esc(c, n->u.link.title, strlen(n->u.link.title));
            put(c, "\"");
        }
        put(c, ">");
        if (n->child)
            inlines(c, n->child);
        else
            esc(c, n->u.link.url, strlen(n->u.link.url));
        put(c, "</a>");
        break;
    case FOLIO_NODE_IMAGE:
        if (c->img) {
            image(c, n);
            break;
        }
        /* No image service: show the alt text, linked. */
        if (c->h->url_is_safe(n->u.link.url)) {
            put(c, "<a class=\"image\" href=\"");
            href(c->h, c->o, &c->tmp, n->u.link.url);
            put(c, "\">");
        }
        bracketed_alt(c, n);
        if (c->h->url_is_safe(n->u.link.url)) put(c, "</a>");
        break;
    case FOLIO_NODE_FOOTNOTE_REF:
        footnote_ref(c, n->u.footnote.number);
        break;
    default:
        inlines(c, n->child);
        break;
    }
}

/* Raw HTML elements opened in a run close in it ("<sub>", text,
 * "</sub>"), so the XHTML stays well formed. */
static void inlines(rctx *c, const folio_node *n)
{
    folio_html_state st = {0}, *outer = c->html;
    c->html = &st;
    for (const folio_node *prev = NULL; n; prev = n, n = n->next)
        inline1(c, n, prev);
    c->h->html_sanitize(c->o, NULL, 0, &st);
    c->html = outer;
}

/* Source heading levels: papers become h2, their sections h3, and so on
 * down; the digest's own title is the only h1. */
static int out_level(const rctx *c, int level)
{
    int l = c->paper_level ? level - c->paper_level + 2 : level + 1;
    return l < 2 ? 2 : l > 6 ? 6 : l;
}

static void code_class(rctx *c, const char *info)
{
    size_t n = 0;
    while (info && ((info[n] >= 'a' && info[n] <= 'z') ||
                    (info[n] >= 'A' && info[n] <= 'Z') ||
                    (info[n] >= '0' && info[n] <= '9') || info[n] == '-' ||
                    info[n] == '_' || info[n] == '+'))
        n++;
    if (n && n < 40 && (info[n] == 0 || info[n] == ' ' || info[n] == '\t'))
        c->h->buf_printf(c->o, " class=\"language-%.*s\"", (int)n, info);
}

/* Text of a code block without its final newline. */
static void pre_text(rctx *c, const folio_node *n)
{
    size_t len = n->len;
    if (len && n->text[len - 1] == '\n') len--;
    esc(c, n->text, len);
}

static void list(rctx *c, const folio_node *n)
{
    int tasks = 0;
    for (const folio_node *i = n->child; i; i = i->next)
        tasks |= i->type == FOLIO_NODE_ITEM && i->u.item.task;
    if (n->u.list.ordered) {
        put(c, "<ol");
        if (n->u.list.start != 1)
            c->h->buf_printf(c->o, " start=\"%d\"", n->u.list.start);
    } else {
        put(c, "<ul");
    }
    put(c, tasks ? " class=\"tasks\">\n" : ">\n");
    int tight = n->u.list.tight;
    for (const folio_node *i = n->child; i; i = i->next) {
        if (i->type != FOLIO_NODE_ITEM || !i->u.item.task) {
            put(c, "<li>");
            blocks(c, i->type == FOLIO_NODE_ITEM ? i->child : i, tight);
            put(c, "</li>\n");
            continue;
        }
        /* Task items: a box as text, which every reader shows. */
        const char *box = i->u.item.checked
                              ? "<span class=\"box\">\xE2\x98\x91</span>"
                              : "<span class=\"box\">\xE2\x98\x90</span>";
        put(c, i->u.item.checked ? "<li class=\"task done\">"
                                 : "<li class=\"task\">");
        const folio_node *rest = i->child;
        if (rest && rest->type == FOLIO_NODE_PARAGRAPH) {
            put(c, tight ? "" : "<p>");
            put(c, box);
            inlines(c, rest->child);
            put(c, !tight ? "</p>\n" : rest->next ? "\n" : "");
            rest = rest->next;
        } else {
            put(c, box);
        }
        blocks(c, rest, tight);
        put(c, "</li>\n");
    }
    put(c, n->u.list.ordered ? "</ol>\n" : "</ul>\n");
}

static void table(rctx *c, const folio_node *n)
{
    static const char *const cls[] = {"", " class=\"al-l\"", " class=\"al-c\"",
                                      " class=\"al-r\""};
    put(c, "<div class=\"table\"><table>\n");
    int in_body = 0;
    for (const folio_node *r = n->child; r; r = r->next) {
        int head = r->type == FOLIO_NODE_TABLE_ROW && r->u.row.header;
        if (head)
            put(c, "<thead>\n");
        else if (!in_body) {
            put(c, "<tbody>\n");
            in_body = 1;
        }
        put(c, "<tr>");
        int k = 0;
        for (const folio_node *cell = r->child; cell; cell = cell->next, k++) {
            folio_align a = k < n->u.table.ncols && n->u.table.align
                                ? n->u.table.align[k]
                                : FOLIO_ALIGN_NONE;
            if (a < FOLIO_ALIGN_NONE || a > FOLIO_ALIGN_RIGHT)
                a = FOLIO_ALIGN_NONE;
            c->h->buf_printf(c->o, "<%s%s>", head ? "th" : "td", cls[a]);
            inlines(c, cell->child);
            put(c, head ? "</th>" : "</td>");
        }
        put(c, "</tr>\n");
        if (head) put(c, "</thead>\n");
    }
    put(c, in_body ? "</tbody>\n</table></div>\n" : "</table></div>\n");
}

static void block(rctx *c, const folio_node *n, int tight)
{
    switch (n->type) {
    case FOLIO_NODE_PARAGRAPH:
        if (c->img && figure(c, lone_image(n))) break;
        put(c, tight ? "" : "<p>");
        inlines(c, n->child);
        /* Tight list items hold bare text, as in the source. */
        put(c, !tight ? "</p>\n" : n->next ? "\n" : "");
        break;
    case FOLIO_NODE_HEADING: {
        int l = out_level(c, n->u.heading.level);
        putn(c->h, c->o, "<h", (size_t)l, "");
        const folio_digest *a = c->article;
        if (a && c->nextsec < a->nsections &&
            a->sections[c->nextsec].heading == n)
            putn(c->h, c->o, " id=\"s", ++c->nextsec, "\"");
        put(c, ">");
        inlines(c, n->child);
        putn(c->h, c->o, "</h", (size_t)l, ">\n");
        break;
    }
    case FOLIO_NODE_BLOCK_QUOTE:
        put(c, "<blockquote>\n");
        blocks(c, n->child, 0);
        put(c, "</blockquote>\n");
        break;
    case FOLIO_NODE_LIST:
        list(c, n);
        break;
    case FOLIO_NODE_CODE_BLOCK:
        put(c, "<pre><code");
        code_class(c, n->u.code.info);
        put(c, ">");
        pre_text(c, n);
        put(c, "</code></pre>\n");
        break;
    case FOLIO_NODE_HTML_BLOCK:
        if (n->child && c->img) {
            /* Its <img> tags as figures; the rest of the HTML is not
             * trusted and not shown. */
            for (const folio_node *i = n->child; i; i = i->next)
                if (!figure(c, i)) {
                    put(c, "<p>");
                    image(c, i);
                    put(c, "</p>\n");
                }
        } else if (!html_comment(n->text, n->len)) {
            /* The safe subset as XHTML, the rest as its text. */
            folio_html_state st = {.block = 1};
            size_t at = c->o->len;
            put(c, "<div class=\"raw-html\">");
            size_t body = c->o->len;
            c->h->html_sanitize(c->o, n->text, n->len, &st);
            c->h->html_sanitize(c->o, NULL, 0, &st);
            size_t k = body;
            while (k < c->o->len &&
                   (c->o->data[k] == ' ' || c->o->data[k] == '\n' ||
                    c->o->data[k] == '\t' || c->o->data[k] == '\r'))
                k++;
            if (k == c->o->len)
                c->o->len = at; /* nothing to show: no empty div */
            else
                put(c, "</div>\n");
        }
        break;
    case FOLIO_NODE_THEMATIC_BREAK:
        put(c, "<hr/>\n");
        break;
    case FOLIO_NODE_TABLE:
        table(c, n);
        break;
    case FOLIO_NODE_FOOTNOTE_DEF:
        break; /* rendered at the end of the document */
    default:
        if (FOLIO_NODE_IS_INLINE(n->type)) {
            put(c, "<p>");
            inline1(c, n, NULL);
            put(c, "</p>\n");
        } else {
            blocks(c, n->child, tight);
        }
        break;
    }
}

static void blocks(rctx *c, const folio_node *n, int tight)
{
    for (; n; n = n->next)
        block(c, n, tight);
}

static void url_host(rctx *c, const char *url)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : strchr(url, ':') + 1;
    if (strncmp(s, "www.", 4) == 0) s += 4;
    size_t n = strcspn(s, "/?#");
    if (n)
        esc(c, s, n);
    else
        esc(c, url, strlen(url)); /* no host: the whole URL */
}

static void link_item(rctx *c, int *first, const char *url, const char *label,
                      int host_label)
{
    put(c, *first ? "<p class=\"paper-links\">" : " \xC2\xB7 ");
    *first = 0;
    int live = c->h->url_is_safe(url);
    if (live) {
        put(c, "<a href=\"");
        href(c->h, c->o, &c->tmp, url);
        put(c, "\">");
    }
    if (label && !blank(label))
        esc(c, label, strlen(label));
    else if (live && host_label)
        url_host(c, url);
    else
        put(c, "link");
    if (live) put(c, "</a>");
}

/* "arXiv:2511.01234 · Alphaxiv": the identifier, linked to the paper's
 * primary URL, then the paper's other links. */
static void paper_links(rctx *c, const folio_paper *p)
{
    int first = 1;
    if (p->arxiv_id) {
        folio_buf l = {0};
        c->h->buf_printf(&l, "arXiv:%s", p->arxiv_id);
        if (p->url && c->h->url_is_safe(p->url)) {
            link_item(c, &first, p->url, l.data, 0);
        } else {
            put(c, "<p class=\"paper-links\">");
            esc(c, l.data, l.len);
            first = 0;
        }
        c->h->buf_free(&l);
    } else if (p->url && c->h->url_is_safe(p->url)) {
        link_item(c, &first, p->url, NULL, 1);
    }
    for (size_t i = 0; i < p->nlinks; i++)
        if (c->h->url_is_safe(p->links[i].url) || !blank(p->links[i].label))
            link_item(c, &first, p->links[i].url, p->links[i].label, 1);
    if (!first) put(c, "</p>\n");
}

void render_digest(rctx *c, const folio_book *book, const folio_digest *d,
                   const char *lang)
{
    const folio_host *h = c->h;
    folio_buf *o = c->o;
    o->len = 0;
    c->d = d;
    c->lang = lang;
    c->paper_level = d->paper_level;
    /* Sections of a single paper and an article's top headings are h2. */
    if (d->kind == FOLIO_KIND_PAPER) c->paper_level = d->paper_level + 1;
    c->article = d->kind == FOLIO_KIND_ARTICLE ? d : NULL;
    c->nextsec = 0;
    c->nmath = 0;
    if (c->article && d->nsections)
        c->paper_level = d->sections[0].heading->u.heading.level;

    /* Footnotes defined in this digest, by number. */
    size_t max = 0;
    for (const folio_node *f = d->footnotes; f; f = f->next)
        if (f->type == FOLIO_NODE_FOOTNOTE_DEF && f->u.footnote.number > 0 &&
            (size_t)f->u.footnote.number > max)
            max = (size_t)f->u.footnote.number;
    c->nfn = max + 1;
    c->fn = calloc(c->nfn, 1);
    if (!c->fn) c->nfn = 0;
    for (const folio_node *f = d->footnotes; f && c->fn; f = f->next)
        if (f->type == FOLIO_NODE_FOOTNOTE_DEF && f->u.footnote.number > 0)
            c->fn[f->u.footnote.number] = 1;

    const char *title = !blank(d->title) ? d->title : d->name;
    xhtml_head(h, o, lang, title);
    put(c, "<section class=\"digest\" epub:type=\"chapter\">\n"
           "<header class=\"digest-head\">\n<h1 class=\"digest-title\">");
    esc(c, title, strlen(title));
    put(c, "</h1>\n");
    char date[FOLIO_DATE_MAX];
    h->date_text(d->date, 0, date, sizeof date);
    if (*date && !h->title_sans_date(title, d->date, NULL, 0))
        h->buf_printf(o,
                      "<p class=\"digest-date\"><time datetime=\"%s\">%s"
                      "</time></p>\n",
                      date, date);
    if (d->author && !blank(d->author) &&
        (!book->author || strcmp(book->author, d->author) != 0)) {
        put(c, "<p class=\"digest-author\">");
        esc(c, d->author, strlen(d->author));
        put(c, "</p>\n");
    }
    put(c, "</header>\n");

    int pre = 0;
    for (const folio_node *b = d->preamble; b; b = b->next) {
        if (b == d->title_heading) continue;
        if (!pre++) put(c, "<div class=\"preamble\">\n");
        block(c, b, 0);
    }
    if (pre) put(c, "</div>\n");

    for (size_t k = 0; k < d->npapers; k++) {
        const folio_paper *p = &d->papers[k];
        putn(h, o, "<section class=\"paper\" id=\"p", k + 1, "\">\n");
        /* A post that is one paper: its title is the h1 above. */
        if (d->kind != FOLIO_KIND_PAPER) {
            put(c, "<h2 class=\"paper-title\">");
            if (p->number > 0)
                putn(h, o, "<span class=\"num\">", (size_t)p->number,
                     ".</span> ");
            if (p->title_inlines)
                inlines(c, p->title_inlines);
            else if (p->number <= 0)
                h->buf_printf(o, "\xC2\xA7 %zu", k + 1);
            put(c, "</h2>\n");
        }
        paper_links(c, p);
        for (const folio_node *b = p->body; b; b = b->next)
            if (!h->is_links_block(p, b)) block(c, b, 0);
        for (size_t s = 0; s < p->nsections; s++) {
            const folio_section *sec = &p->sections[s];
            if (sec->heading) {
                putn(h, o, "<section class=\"part\" id=\"p", k + 1, "-s");
                putn(h, o, "", s + 1, "\">\n");
                int l = out_level(c, sec->heading->u.heading.level);
                putn(h, o, "<h", (size_t)l, ">");
                inlines(c, sec->heading->child);
                putn(h, o, "</h", (size_t)l, ">\n");
            } else {
                /* A bold-label section: the label is in its body. */
                putn(h, o, "<div class=\"part\" id=\"p", k + 1, "-s");
                putn(h, o, "", s + 1, "\">\n");
            }
            blocks(c, sec->body, 0);
            put(c, sec->heading ? "</section>\n" : "</div>\n");
        }
        put(c, "</section>\n");
    }

    /* Footnotes: a notes list, each linking back to its first mark. */
    if (max && c->fn) {
        h->buf_printf(o,
                      "<section class=\"footnotes\" epub:type=\"footnotes\">\n"
                      "<h2>%s</h2>\n<ol>\n",
                      h->label(lang, FOLIO_LABEL_NOTES));
        for (const folio_node *f = d->footnotes; f; f = f->next) {
            int num = f->u.footnote.number;
            if (f->type != FOLIO_NODE_FOOTNOTE_DEF || num <= 0 ||
                (c->fn[num] & 4))
                continue;
            c->fn[num] |= 4;
            h->buf_printf(o,
                          "<li id=\"fn%d\" epub:type=\"footnote\" "
                          "value=\"%d\">",
                          num, num);
            const folio_node *b = f->child;
            for (; b && b->next; b = b->next)
                block(c, b, 0);
            int para = b && b->type == FOLIO_NODE_PARAGRAPH;
            if (para) {
                put(c, "<p>");
                inlines(c, b->child);
            } else if (b) {
                block(c, b, 0);
            }
            if (c->fn[num] & 2)
                h->buf_printf(o,
                              " <a class=\"backref\" href=\"#fnref%d\">"
                              "\xE2\x86\xA9\xEF\xB8\x8E</a>",
                              num);
            put(c, para ? "</p>" : "");
            put(c, "</li>\n");
        }
        put(c, "</ol>\n</section>\n");
    }
    put(c, "</section>\n</main>\n</body>\n</html>\n");
    free(c->fn);
    c->fn = NULL;
    c->nfn = 0;
}
