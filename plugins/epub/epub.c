/* epub.c - EPUB 3 output, with an NCX for older readers.
 *
 * The archive, in this order:
 *   mimetype                 stored, first (the EPUB signature)
 *   META-INF/container.xml
 *   OEBPS/content.opf        package: metadata, manifest, spine
 *   OEBPS/nav.xhtml          EPUB 3 table of contents (also a page)
 *   OEBPS/toc.ncx            the same for EPUB 2 readers
 *   OEBPS/style.css
 *   OEBPS/title.xhtml        title page (-O epub.cover=no drops it)
 *   OEBPS/d001.xhtml ...     one document per digest
 *
 * Memory: libzip reads its sources only at zip_close, so nothing waits in
 * memory for it: each digest's XHTML is deflated as soon as it is made
 * (while the host parses the next digest), appended to a spool file in a
 * private temporary directory, and handed to libzip as a slice of that
 * file which it copies as is; the nav and NCX go to files of their own as
 * digests go by.  Only one digest, and the book's subjects and languages,
 * are held at a time.  The OPF, nav and NCX entries are reserved first and
 * filled in at the end (zip_file_replace keeps their place).
 *
 * XHTML is rendered here from the IR, never by cmark: raw HTML is shown as
 * text, only http, https and mailto links stay live, and every string goes
 * through the host's xml_escape.  Same inputs and SOURCE_DATE_EPOCH give
 * the same bytes: fixed names, fixed order, fixed times and modes. */
#include <folio/plugin.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

extern const char folio_epub_css[]; /* style.c */

/* ------------------------------------------------------------- words */

/* The few words the book itself says, by primary language. */
typedef struct words {
    const char *lang;
    const char *contents;
    const char *notes;
    const char *papers; /* printf format with one %zu */
} words;

static const words WORDS[] = {
    {"ko", "차례", "주석", "논문 %zu편"},
    {"zh", "目录", "注释", "论文 %zu 篇"},
    {"ja", "目次", "注", "論文 %zu 本"},
    {"en", "Contents", "Notes", "%zu papers"},
};

static const words *words_for(const char *lang)
{
    size_t n = sizeof WORDS / sizeof *WORDS;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t l = strlen(WORDS[i].lang);
        if (strncmp(lang, WORDS[i].lang, l) == 0 &&
            (lang[l] == 0 || lang[l] == '-'))
            return &WORDS[i];
    }
    return &WORDS[n - 1];
}

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
static void date10(const char *s, char out[11])
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

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
    return 1;
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

/* Append a, the number n, then b: buf_printf costs two vsnprintf calls,
 * too many for the few numbers of every paper, section and toc entry. */
static void putn(const folio_host *h, folio_buf *o, const char *a, size_t n,
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

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* -------------------------------------------------------- the renderer */

typedef struct rctx {
    const folio_host *h;
    folio_buf *o;
    folio_buf tmp;     /* scratch for hrefs */
    int paper_level;   /* heading level of papers in the source */
    unsigned char *fn; /* per footnote number: 1 defined, 2 referenced */
    size_t nfn;
} rctx;

static void esc(rctx *c, const char *s, size_t len)
{
    c->h->xml_escape(c->o, s, len);
}

static void put(rctx *c, const char *s)
{
    c->h->buf_puts(c->o, s);
}

/* An href attribute value: percent-encoded by the host, then made a URI
 * that strict parsers accept (a stray '%', a second '#', brackets after
 * the host), then escaped for XML. */
static void href(const folio_host *h, folio_buf *out, folio_buf *tmp,
                 const char *url)
{
    tmp->len = 0;
    h->url_encode(tmp, url);
    if (!tmp->data) return;
    const char *s = tmp->data;
    const char *auth = strstr(s, "://");
    size_t path = 0;
    if (auth) {
        path = (size_t)(auth - s) + 3;
        while (s[path] && s[path] != '/' && s[path] != '?' && s[path] != '#')
            path++;
    }
    int hash = 0;
    for (size_t i = 0, start = 0;; i++) {
        const char *rep = NULL;
        char ch = s[i];
        if (ch == '%' && !(is_hex(s[i + 1]) && is_hex(s[i + 2])))
            rep = "%25";
        else if (ch == '#' && hash++)
            rep = "%23";
        else if (i >= path && ch == '[')
            rep = "%5B";
        else if (i >= path && ch == ']')
            rep = "%5D";
        if (rep || ch == 0) {
            h->xml_escape(out, s + start, i - start);
            if (!rep) break;
            h->buf_puts(out, rep);
            start = i + 1;
        }
    }
}

static void inlines(rctx *c, const folio_node *n);
static void blocks(rctx *c, const folio_node *n, int tight);

static int hangul(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
           (cp >= 0xAC00 && cp <= 0xD7AF);
}

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
    return c->h->char_width(a) == 2 && c->h->char_width(b) == 2 && !hangul(a) &&
           !hangul(b);
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
        if (!html_comment(n->text, n->len)) {
            put(c, "<code class=\"raw-html\">");
            esc(c, n->text, n->len);
            put(c, "</code>");
        }
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
        /* EPUB forbids remote images: show the alt text, linked. */
        if (c->h->url_is_safe(n->u.link.url)) {
            put(c, "<a class=\"image\" href=\"");
            href(c->h, c->o, &c->tmp, n->u.link.url);
            put(c, "\">");
        }
        put(c, "[");
        if (n->child)
            inlines(c, n->child);
        else
            put(c, "image");
        put(c, "]");
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

static void inlines(rctx *c, const folio_node *n)
{
    for (const folio_node *prev = NULL; n; prev = n, n = n->next)
        inline1(c, n, prev);
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
        put(c, tight ? "" : "<p>");
        inlines(c, n->child);
        /* Tight list items hold bare text, as in the source. */
        put(c, !tight ? "</p>\n" : n->next ? "\n" : "");
        break;
    case FOLIO_NODE_HEADING: {
        int l = out_level(c, n->u.heading.level);
        putn(c->h, c->o, "<h", (size_t)l, ">");
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
        if (!html_comment(n->text, n->len)) {
            put(c, "<pre class=\"raw-html\">");
            pre_text(c, n);
            put(c, "</pre>\n");
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

/* Blocks the core read as a paper's links (a paragraph of links only, or
 * a quote of such paragraphs): printed in the links line instead. */
static int link_para(const folio_node *p)
{
    if (!p || p->type != FOLIO_NODE_PARAGRAPH) return 0;
    int links = 0;
    for (const folio_node *n = p->child; n; n = n->next) {
        if (n->type == FOLIO_NODE_LINK)
            links++;
        else if (n->type == FOLIO_NODE_TEXT
                     ? !blank(n->text)
                     : n->type != FOLIO_NODE_SOFTBREAK &&
                           n->type != FOLIO_NODE_LINEBREAK)
            return 0;
    }
    return links > 0;
}

static int link_block(const folio_paper *p, const folio_node *b)
{
    if (b == p->links_block || link_para(b)) return 1;
    if (b->type != FOLIO_NODE_BLOCK_QUOTE || !b->child) return 0;
    for (const folio_node *q = b->child; q; q = q->next)
        if (!link_para(q)) return 0;
    return 1;
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

/* ------------------------------------------------------------ the book */

/* Members deflated here, as the book is written, rather than by libzip at
 * zip_close: the work overlaps with the host parsing the next digest, and
 * zip_close only copies.  Each stream is raw deflate into a temporary
 * file: the documents one after another (reset between them), the nav and
 * the NCX one each; the NCX's head, known only at the end (its depth), is
 * deflated apart and put in front (a sync flush ends it on a byte, so the
 * two streams simply join). */
typedef struct zstream {
    FILE *f; /* NULL: into mem */
    folio_buf mem;
    z_stream zs;
    int ready;            /* zs initialised */
    zip_uint64_t written; /* compressed bytes so far */
    zip_uint64_t start;   /* where the current member starts */
    zip_uint64_t size;    /* its bytes before compression */
    uLong crc;            /* and their CRC */
} zstream;

typedef struct epub {
    const folio_host *h;
    folio_job *job;
    const folio_book *book;
    const char *lang; /* the book's language, valid */
    int cover;        /* title page */
    int depth;        /* toc levels: 1..3 */
    int multi;        /* several digests: days at the top of the toc */
    int width;        /* digits of document numbers */
    zip_t *z;
    char *dir; /* private temporary directory */
    time_t mtime;
    folio_buf doc;      /* the digest document being written */
    folio_buf nav, ncx; /* pieces of the nav and NCX, flushed per digest */
    zstream docs, navz, ncxz; /* documents, nav, NCX: deflated as they go */
    zstream ncxhead;          /* the NCX head, deflated at the end */
    unsigned char *zbuf;      /* deflate output chunk */
    int ncx_depth;
    int play;      /* NCX playOrder */
    folio_buf lab; /* scratch label */
    folio_buf css, opf, title;
    folio_buf subjects; /* NUL-separated, unique */
    size_t nsubjects;
    folio_buf langs; /* NUL-separated, unique, the book's first */
    size_t nlangs;
    rctx r;
} epub;

#define MAX_SUBJECTS 256
#define MAX_LANGS 64
#define ZLEVEL 3   /* deflate level of every member */
#define ZOUT 65536 /* deflate output chunk */

static int fail(epub *e, const char *fmt, const char *arg)
{
    e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, fmt, arg);
    return -1;
}

static int zfail(epub *e, const char *what)
{
    e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, "%s: %s", what,
                 e->z ? zip_strerror(e->z) : "libzip error");
    return -1;
}

/* How an entry's data is stored. */
enum { STORED, DEFLATED, PREDEFLATED };

/* Add (idx < 0) or replace an entry, with fixed time, mode and method.
 * PREDEFLATED data keeps libzip's default method, so it is copied as is. */
static int entry(epub *e, const char *name, zip_source_t *src, int how,
                 zip_int64_t idx, zip_int64_t *out)
{
    if (!src) return zfail(e, name);
    if (idx < 0)
        idx = zip_file_add(e->z, name, src, ZIP_FL_ENC_UTF_8);
    else if (zip_file_replace(e->z, (zip_uint64_t)idx, src, 0) < 0)
        idx = -1;
    if (idx < 0) {
        zip_source_free(src);
        return zfail(e, name);
    }
    zip_uint64_t i = (zip_uint64_t)idx;
    if ((how != PREDEFLATED &&
         zip_set_file_compression(e->z, i,
                                  how == STORED ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                  how == STORED ? 0 : ZLEVEL)) ||
        zip_file_set_mtime(e->z, i, e->mtime, 0) ||
        zip_file_set_external_attributes(e->z, i, 0, ZIP_OPSYS_UNIX,
                                         0100644u << 16))
        return zfail(e, name);
    if (out) *out = idx;
    return 0;
}

static int add_buf(epub *e, const char *name, const folio_buf *b, int how,
                   zip_int64_t idx, zip_int64_t *out)
{
    return entry(e, name, zip_source_buffer(e->z, b->data, b->len, 0), how, idx,
                 out);
}

static int add_text(epub *e, const char *name, const char *s, int how)
{
    return entry(e, name, zip_source_buffer(e->z, s, strlen(s), 0), how, -1,
                 NULL);
}

static void tmp_path(epub *e, folio_buf *b, const char *name)
{
    b->len = 0;
    e->h->buf_printf(b, "%s/%s", e->dir, name);
}

static FILE *tmp_open(epub *e, const char *name)
{
    folio_buf p = {0};
    tmp_path(e, &p, name);
    FILE *f = fopen(p.data, "w+b");
    if (!f) fail(e, "cannot create a temporary file: %s", strerror(errno));
    e->h->buf_free(&p);
    return f;
}

static int z_open(epub *e, zstream *s, const char *tmpname)
{
    if (tmpname && !(s->f = tmp_open(e, tmpname))) return -1;
    if (deflateInit2(&s->zs, ZLEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return fail(e, "%s", "cannot start compressing: out of memory");
    s->ready = 1;
    s->crc = crc32(0, NULL, 0);
    return 0;
}

static void z_close(epub *e, zstream *s)
{
    if (s->ready) deflateEnd(&s->zs);
    if (s->f) fclose(s->f);
    e->h->buf_free(&s->mem);
    memset(s, 0, sizeof *s);
}

/* Start the next member of a stream. */
static void z_next(zstream *s)
{
    deflateReset(&s->zs);
    s->start = s->written;
    s->size = 0;
    s->crc = crc32(0, NULL, 0);
}

/* Compress len bytes with flush Z_NO_FLUSH, Z_SYNC_FLUSH or Z_FINISH. */
static int z_put(epub *e, zstream *s, const char *data, size_t len, int flush)
{
    z_stream *zs = &s->zs;
    s->crc = crc32_z(s->crc, (const Bytef *)data, len);
    s->size += len;
    for (;;) {
        if (zs->avail_in == 0 && len) {
            uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
            zs->next_in = (Bytef *)data;
            zs->avail_in = chunk;
            data += chunk;
            len -= chunk;
        }
        zs->next_out = e->zbuf;
        zs->avail_out = ZOUT;
        int last = len == 0;
        int rc = deflate(zs, last ? flush : Z_NO_FLUSH);
        size_t have = ZOUT - zs->avail_out;
        if (rc == Z_STREAM_ERROR)
            return fail(e, "%s", "cannot compress a document");
        if (s->f ? fwrite(e->zbuf, 1, have, s->f) != have
                 : (e->h->buf_put(&s->mem, e->zbuf, have), 0))
            return fail(e, "cannot write a temporary file: %s",
                        strerror(errno));
        s->written += have;
        /* Done when the input is in and deflate has room to spare. */
        if (last && zs->avail_in == 0 && zs->avail_out != 0) return 0;
    }
}

static int z_buf(epub *e, zstream *s, folio_buf *b, int flush)
{
    int rc = z_put(e, s, b->data ? b->data : "", b->len, flush);
    b->len = 0;
    return rc;
}

/* One member, as libzip reads it at zip_close: `head` (compressed, in
 * memory, may be empty) then a slice of a stream's file. */
typedef struct piece {
    int fd;
    off_t off;
    zip_uint64_t clen, size, pos;
    unsigned char *head;
    zip_uint64_t hlen;
    zip_uint32_t crc;
    time_t mtime;
    zip_error_t err;
} piece;

static zip_int64_t piece_cb(void *ud, void *data, zip_uint64_t len,
                            zip_source_cmd_t cmd)
{
    piece *p = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        p->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        if (p->pos < p->hlen) {
            zip_uint64_t n = p->hlen - p->pos < len ? p->hlen - p->pos : len;
            memcpy(data, p->head + p->pos, n);
            p->pos += n;
            return (zip_int64_t)n;
        }
        zip_uint64_t at = p->pos - p->hlen;
        zip_uint64_t n = p->clen - at < len ? p->clen - at : len;
        ssize_t got = n ? pread(p->fd, data, n, p->off + (off_t)at) : 0;
        if (got < 0 || (n && got == 0)) {
            zip_error_set(&p->err, ZIP_ER_READ, got < 0 ? errno : EIO);
            return -1;
        }
        p->pos += (zip_uint64_t)got;
        return got;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        if (len < sizeof(zip_stat_t)) {
            zip_error_set(&p->err, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = p->size;
        st->comp_size = p->hlen + p->clen;
        st->crc = p->crc;
        st->comp_method = ZIP_CM_DEFLATE;
        st->mtime = p->mtime;
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC |
                    ZIP_STAT_COMP_METHOD | ZIP_STAT_MTIME;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&p->err, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&p->err);
        free(p->head);
        free(p);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&p->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* Add (idx < 0) or fill in the member just finished in s, after `head`
 * (another stream's finished bytes in memory) when given. */
static int z_add(epub *e, zstream *s, const char *name, zip_int64_t idx,
                 const zstream *head)
{
    /* Written through: libzip reads the file with pread. */
    if (fflush(s->f))
        return fail(e, "cannot write a temporary file: %s", strerror(errno));
    piece *p = calloc(1, sizeof *p);
    if (!p) return fail(e, "%s", "out of memory");
    zip_error_init(&p->err);
    p->fd = fileno(s->f);
    p->off = (off_t)s->start;
    p->clen = s->written - s->start;
    p->size = s->size;
    p->crc = (zip_uint32_t)s->crc;
    p->mtime = e->mtime;
    if (head && head->mem.len) {
        p->head = malloc(head->mem.len);
        if (!p->head) {
            free(p);
            return fail(e, "%s", "out of memory");
        }
        memcpy(p->head, head->mem.data, head->mem.len);
        p->hlen = head->mem.len;
        p->size += head->size;
        p->crc =
            (zip_uint32_t)crc32_combine(head->crc, s->crc, (z_off_t)s->size);
    }
    zip_source_t *src = zip_source_function(e->z, piece_cb, p);
    if (!src) {
        zip_error_fini(&p->err);
        free(p->head);
        free(p);
    }
    return entry(e, name, src, PREDEFLATED, idx, NULL);
}

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
static void xhtml_head(epub *e, folio_buf *o, const char *lang,
                       const char *title)
{
    const folio_host *h = e->h;
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
                   "href=\"style.css\"/>\n</head>\n<body>\n");
}

static const char *book_title(const folio_book *b)
{
    return b->title && !blank(b->title) ? b->title : "Untitled";
}

/* ------------------------------------------------------- a digest */

static void doc_name(epub *e, folio_buf *b, size_t i, const char *ext)
{
    b->len = 0;
    e->h->buf_printf(b, "d%0*zu%s", e->width, i + 1, ext);
}

static void render_digest(epub *e, const folio_digest *d, const char *lang)
{
    const folio_host *h = e->h;
    rctx *c = &e->r;
    folio_buf *o = c->o = &e->doc;
    o->len = 0;
    c->paper_level = d->paper_level;

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
    xhtml_head(e, o, lang, title);
    put(c, "<section class=\"digest\" epub:type=\"chapter\">\n"
           "<header class=\"digest-head\">\n<h1 class=\"digest-title\">");
    esc(c, title, strlen(title));
    put(c, "</h1>\n");
    char date[11];
    date10(d->date, date);
    if (*date && !strstr(title, date))
        h->buf_printf(o,
                      "<p class=\"digest-date\"><time datetime=\"%s\">%s"
                      "</time></p>\n",
                      date, date);
    if (d->author && !blank(d->author) &&
        (!e->book->author || strcmp(e->book->author, d->author) != 0)) {
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
        putn(h, o, "<section class=\"paper\" id=\"p", k + 1,
             "\">\n<h2 class=\"paper-title\">");
        if (p->number > 0)
            putn(h, o, "<span class=\"num\">", (size_t)p->number, ".</span> ");
        if (p->title_inlines)
            inlines(c, p->title_inlines);
        else if (p->number <= 0)
            h->buf_printf(o, "\xC2\xA7 %zu", k + 1);
        put(c, "</h2>\n");
        paper_links(c, p);
        for (const folio_node *b = p->body; b; b = b->next)
            if (!link_block(p, b)) block(c, b, 0);
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
                      words_for(lang)->notes);
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
    put(c, "</section>\n</body>\n</html>\n");
    free(c->fn);
    c->fn = NULL;
    c->nfn = 0;
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

static void nav_digest(epub *e, const folio_digest *d, size_t i,
                       const char *lang)
{
    folio_buf file = {0};
    doc_name(e, &file, i, ".xhtml");
    if (e->multi || d->npapers == 0) {
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
    const char *contents = words_for(e->lang)->contents;
    xhtml_head(e, &e->nav, e->lang, contents);
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
        "</ol>\n</nav>\n</body>\n</html>\n",
        words_for(e->lang)->contents, first.data);
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
    return z_open(e, &e->ncxhead, NULL) ||
           z_buf(e, &e->ncxhead, o, Z_SYNC_FLUSH);
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
    xhtml_head(e, o, e->lang, t);
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
        h->buf_printf(o, words_for(e->lang)->papers, papers);
        h->buf_puts(o, "</p>\n");
    }
    h->buf_puts(o, "</section>\n</body>\n</html>\n");
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
    h->buf_printf(
        o,
        "</meta>\n<meta name=\"generator\" content=\"folio %s\"/>\n"
        /* Accessibility: text only, navigable by headings and a toc. */
        "<meta property=\"schema:accessMode\">textual</meta>\n"
        "<meta property=\"schema:accessModeSufficient\">textual</meta>\n"
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation"
        "</meta>\n"
        "<meta "
        "property=\"schema:accessibilityFeature\">tableOfContents</meta>\n"
        "<meta property=\"schema:accessibilityHazard\">none</meta>\n"
        "</metadata>\n<manifest>\n"
        "<item id=\"nav\" href=\"nav.xhtml\" "
        "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
        "<item id=\"ncx\" href=\"toc.ncx\" "
        "media-type=\"application/x-dtbncx+xml\"/>\n"
        "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n",
        h->version);
    if (e->cover)
        h->buf_puts(o, "<item id=\"title\" href=\"title.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n");
    folio_buf name = {0};
    for (size_t i = 0; i < b->ndigests; i++) {
        doc_name(e, &name, i, "");
        h->buf_printf(o,
                      "<item id=\"%s\" href=\"%s.xhtml\" "
                      "media-type=\"application/xhtml+xml\"/>\n",
                      name.data, name.data);
    }
    h->buf_puts(o, "</manifest>\n<spine toc=\"ncx\">\n");
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

/* Remove the private directory and what is in it. */
static void cleanup(epub *e)
{
    z_close(e, &e->docs);
    z_close(e, &e->navz);
    z_close(e, &e->ncxz);
    z_close(e, &e->ncxhead);
    free(e->zbuf);
    e->zbuf = NULL;
    if (!e->dir) return;
    DIR *dir = opendir(e->dir);
    if (dir) {
        folio_buf p = {0};
        struct dirent *de;
        while ((de = readdir(dir)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                tmp_path(e, &p, de->d_name);
                unlink(p.data);
            }
        closedir(dir);
        e->h->buf_free(&p);
    }
    rmdir(e->dir);
    free(e->dir);
    e->dir = NULL;
}

/* A private directory beside the output (the same file system). */
static int make_dir(epub *e, const char *out)
{
    const char *slash = strrchr(out, '/');
    folio_buf b = {0};
    if (slash) e->h->buf_put(&b, out, (size_t)(slash - out) + 1);
    e->h->buf_puts(&b, ".folio-epub-XXXXXX");
    if (!mkdtemp(b.data)) {
        int err = errno;
        e->h->buf_free(&b);
        return fail(e, "cannot create a temporary directory: %s",
                    strerror(err));
    }
    e->dir = b.data;
    return 0;
}

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
        render_digest(e, d, lang);
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
        z_next(&e->docs);
        if (rc == 0) rc = z_buf(e, &e->docs, &e->doc, Z_FINISH);
        if (rc == 0) rc = z_add(e, &e->docs, member.data, -1, NULL);
        if (rc == 0)
            rc = z_buf(e, &e->navz, &e->nav, Z_NO_FLUSH) ||
                 z_buf(e, &e->ncxz, &e->ncx, Z_NO_FLUSH);
    }
    h->buf_free(&name);
    h->buf_free(&member);
    return rc;
}

/* The archive itself goes straight into the host's temporary output (the
 * host renames it into place, or deletes it), rather than into a second
 * temporary file that libzip would name, create and rename beside it. */
typedef struct sink {
    const char *path;
    int fd;
    zip_error_t err;
} sink;

static zip_int64_t sink_cb(void *ud, void *data, zip_uint64_t len,
                           zip_source_cmd_t cmd)
{
    sink *s = ud;
    switch (cmd) {
    case ZIP_SOURCE_STAT: /* nothing to read: a new archive */
        zip_error_set(&s->err, ZIP_ER_READ, ENOENT);
        return -1;
    case ZIP_SOURCE_BEGIN_WRITE:
        s->fd = open(s->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (s->fd < 0) {
            zip_error_set(&s->err, ZIP_ER_OPEN, errno);
            return -1;
        }
        return 0;
    case ZIP_SOURCE_WRITE:
        for (zip_uint64_t done = 0; done < len;) {
            ssize_t n = write(s->fd, (const char *)data + done, len - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                zip_error_set(&s->err, ZIP_ER_WRITE, errno);
                return -1;
            }
            done += (zip_uint64_t)n;
        }
        return (zip_int64_t)len;
    case ZIP_SOURCE_SEEK_WRITE: {
        zip_source_args_seek_t *a =
            ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &s->err);
        if (!a) return -1;
        if (lseek(s->fd, (off_t)a->offset, a->whence) < 0) {
            zip_error_set(&s->err, ZIP_ER_SEEK, errno);
            return -1;
        }
        return 0;
    }
    case ZIP_SOURCE_TELL_WRITE: {
        off_t at = lseek(s->fd, 0, SEEK_CUR);
        if (at < 0) zip_error_set(&s->err, ZIP_ER_TELL, errno);
        return at < 0 ? -1 : (zip_int64_t)at;
    }
    case ZIP_SOURCE_COMMIT_WRITE: {
        int rc = close(s->fd);
        s->fd = -1;
        if (rc) zip_error_set(&s->err, ZIP_ER_WRITE, errno);
        return rc ? -1 : 0;
    }
    case ZIP_SOURCE_ROLLBACK_WRITE:
    case ZIP_SOURCE_REMOVE: /* the host deletes what it gave */
        if (s->fd >= 0) close(s->fd);
        s->fd = -1;
        return 0;
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->err, data, len);
    case ZIP_SOURCE_FREE:
        if (s->fd >= 0) close(s->fd);
        zip_error_fini(&s->err);
        free(s);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_WRITABLE;
    default:
        zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

static int open_archive(epub *e, const char *path)
{
    zip_error_t ze;
    zip_error_init(&ze);
    sink *s = calloc(1, sizeof *s);
    zip_source_t *src = NULL;
    if (s) {
        s->path = path;
        s->fd = -1;
        zip_error_init(&s->err);
        src = zip_source_function_create(sink_cb, s, &ze);
        if (!src) {
            zip_error_fini(&s->err);
            free(s);
        }
    }
    if (src) e->z = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (src && !e->z) zip_source_free(src);
    if (!e->z)
        e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, "cannot create EPUB: %s",
                     s ? zip_error_strerror(&ze) : "out of memory");
    zip_error_fini(&ze);
    return e->z ? 0 : -1;
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
    if (e->cover) {
        title_page(e);
        if (add_buf(e, "OEBPS/title.xhtml", &e->title, DEFLATED, -1, NULL))
            return -1;
    }
    /* The streams' files stay open: libzip reads them in zip_close. */
    if (!(e->zbuf = malloc(ZOUT))) return fail(e, "%s", "out of memory");
    if (z_open(e, &e->docs, "documents") || z_open(e, &e->navz, "nav") ||
        z_open(e, &e->ncxz, "ncx") || nav_begin(e) || write_digests(e) ||
        nav_end(e))
        return -1;
    package(e);
    if (add_buf(e, "OEBPS/content.opf", &e->opf, DEFLATED, opf, NULL) ||
        z_add(e, &e->navz, "OEBPS/nav.xhtml", nav, NULL) ||
        z_add(e, &e->ncxz, "OEBPS/toc.ncx", ncx, &e->ncxhead))
        return -1;
    if (zip_close(e->z) != 0) return zfail(e, "cannot write EPUB");
    e->z = NULL;
    return 0;
}

/* Zip entries hold local wall-clock times (libzip converts with
 * localtime): shift the instant so that the fields read it in UTC, giving
 * the same bytes in every time zone.  DOS times run from 1980 to 2107. */
static time_t zip_time(long long t)
{
    t = t < 315705600LL ? 315705600LL : t > 4354646400LL ? 4354646400LL : t;
    time_t u = (time_t)t;
    struct tm lt;
    for (int i = 0; i < 2; i++) /* twice: the offset at the shifted time */
        if (localtime_r(&u, &lt)) u = (time_t)t - lt.tm_gmtoff;
    return u;
}

static int epub_write(const folio_host *h, void *state, folio_job *job,
                      const folio_book *book)
{
    (void)state;
    epub e = {.h = h, .job = job, .book = book};
    e.r.h = h;
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
    int rc = make_dir(&e, path) ? -1 : build(&e, path);
    if (e.z) zip_discard(e.z);
    cleanup(&e);
    folio_buf *bufs[] = {&e.doc, &e.nav,   &e.ncx,      &e.lab,   &e.css,
                         &e.opf, &e.title, &e.subjects, &e.langs, &e.r.tmp};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        h->buf_free(bufs[i]);
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
