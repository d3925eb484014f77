/* Raw HTML shown as text: the host's html_text(), the one decision every
 * plugin that cannot show HTML uses (txt, PDF). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* Every HTML element name (the living standard's, with the obsolete ones
 * blogs still write), sorted for bsearch: a tag whose name is not here
 * ("<Silence>", "<think>", "<EOS>") is text, not HTML. */
static const char *const elements[] = {
    "a",        "abbr",    "acronym",    "address",    "area",     "article",
    "aside",    "audio",   "b",          "base",       "bdi",      "bdo",
    "big",      "blink",   "blockquote", "body",       "br",       "button",
    "canvas",   "caption", "center",     "cite",       "code",     "col",
    "colgroup", "data",    "datalist",   "dd",         "del",      "details",
    "dfn",      "dialog",  "dir",        "div",        "dl",       "dt",
    "em",       "embed",   "fieldset",   "figcaption", "figure",   "font",
    "footer",   "form",    "frame",      "frameset",   "h1",       "h2",
    "h3",       "h4",      "h5",         "h6",         "head",     "header",
    "hgroup",   "hr",      "html",       "i",          "iframe",   "img",
    "input",    "ins",     "kbd",        "label",      "legend",   "li",
    "link",     "main",    "map",        "mark",       "marquee",  "math",
    "menu",     "meta",    "meter",      "nav",        "nobr",     "noscript",
    "object",   "ol",      "optgroup",   "option",     "output",   "p",
    "param",    "picture", "pre",        "progress",   "q",        "rp",
    "rt",       "ruby",    "s",          "samp",       "script",   "search",
    "section",  "select",  "slot",       "small",      "source",   "span",
    "strike",   "strong",  "style",      "sub",        "summary",  "sup",
    "svg",      "table",   "tbody",      "td",         "template", "textarea",
    "tfoot",    "th",      "thead",      "time",       "title",    "tr",
    "track",    "tt",      "u",          "ul",         "var",      "video",
    "wbr"};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int text_html_element(const char *name)
{
    return bsearch(&name, elements, sizeof elements / sizeof *elements,
                   sizeof *elements, cmp_name) != NULL;
}

/* Tags that separate what is on either side of them. */
static int block_tag(const char *name)
{
    static const char *const tags[] = {
        "p",          "div",    "li",     "ul",         "ol",      "tr",
        "td",         "th",     "h1",     "h2",         "h3",      "h4",
        "h5",         "h6",     "table",  "blockquote", "pre",     "hr",
        "dd",         "dt",     "dl",     "section",    "article", "figure",
        "figcaption", "header", "footer", "details",    "summary"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (strcmp(name, tags[i]) == 0) return 1;
    return 0;
}

/* The named entities decoded: XML's five, and the ones blogs use. */
static const char *const entities[][2] = {
    {"&amp;", "&"},
    {"&lt;", "<"},
    {"&gt;", ">"},
    {"&quot;", "\""},
    {"&apos;", "'"},
    {"&nbsp;", " "},
    {"&ndash;", "\xE2\x80\x93"},
    {"&mdash;", "\xE2\x80\x94"},
    {"&hellip;", "\xE2\x80\xA6"},
    {"&lsquo;", "\xE2\x80\x98"},
    {"&rsquo;", "\xE2\x80\x99"},
    {"&ldquo;", "\xE2\x80\x9C"},
    {"&rdquo;", "\xE2\x80\x9D"},
    {"&middot;", "\xC2\xB7"},
    {"&copy;", "\xC2\xA9"},
};

/* An entity at s ("&amp;", "&#x41;"): appends it and returns its length,
 * or 0 when it is not one we know.  A numeric one the IR could not hold
 * (NUL, a surrogate, a control XML forbids) becomes U+FFFD. */
static size_t entity(folio_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
        size_t n = strlen(entities[i][0]);
        if (len >= n && memcmp(s, entities[i][0], n) == 0) {
            buf_puts(b, entities[i][1]);
            return n;
        }
    }
    if (len < 4 || s[1] != '#') return 0;
    int hex = s[2] == 'x' || s[2] == 'X';
    uint32_t cp = 0;
    size_t i = hex ? 3 : 2, digits = 0;
    for (; i < len && digits < 7; i++, digits++) {
        int v = text_digit(s[i], hex);
        if (v < 0) break;
        cp = cp * (hex ? 16 : 10) + (uint32_t)v;
    }
    if (!digits || i >= len || s[i] != ';') return 0;
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    else if (cp > 0x10FFFF || text_cp_forbidden(cp))
        cp = 0xFFFD;
    utf8proc_uint8_t u[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
    buf_put(b, u, (size_t)n);
    return i + 1;
}

/* The length of what starts at s[i] and is dropped whole: a comment, a
 * declaration ("<!DOCTYPE", "<?xml"), or a script or style element with
 * its content; 0 for anything else. */
static size_t dropped(const char *s, size_t i, size_t n)
{
    const char *close = NULL;
    size_t l = n - i;
    if (l >= 4 && memcmp(s + i, "<!--", 4) == 0)
        close = "-->";
    else if (l >= 3 && (s[i + 1] == '!' || s[i + 1] == '?') &&
             ((s[i + 2] | 0x20) >= 'a' && (s[i + 2] | 0x20) <= 'z'))
        close = ">";
    else if (l >= 8 && strncasecmp(s + i, "<script", 7) == 0 &&
             (s[i + 7] == '>' || s[i + 7] == ' ' || s[i + 7] == '\t' ||
              s[i + 7] == '\n' || s[i + 7] == '/'))
        close = "</script>";
    else if (l >= 7 && strncasecmp(s + i, "<style", 6) == 0 &&
             (s[i + 6] == '>' || s[i + 6] == ' ' || s[i + 6] == '\t' ||
              s[i + 6] == '\n' || s[i + 6] == '/'))
        close = "</style>";
    if (!close) return 0;
    size_t cl = strlen(close), j = i + 1;
    while (j + cl <= n && strncasecmp(s + j, close, cl) != 0)
        j++;
    return (j + cl <= n ? j + cl : n) - i;
}

/* A tag of a known HTML element at s[i] ('<'): its lowercased name into
 * name, whether it closes, and the index of its '>' (quoted attribute
 * values may hold one); 0 when it is not such a tag, so it is text. */
typedef struct tag {
    char name[16];
    int close;
    size_t attrs, end; /* attributes from attrs; '>' at end */
} tag;

static int read_tag(const char *s, size_t i, size_t n, tag *t)
{
    size_t j = i + 1, k = 0;
    t->close = j < n && s[j] == '/';
    j += (size_t)t->close;
    if (j >= n || !((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')) return 0;
    while (j < n &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9'))) {
        if (k + 1 >= sizeof t->name) return 0;
        char c = s[j++];
        t->name[k++] = c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
    }
    t->name[k] = 0;
    if (j < n && s[j] != '>' && s[j] != '/' && s[j] != ' ' && s[j] != '\t' &&
        s[j] != '\n' && s[j] != '\r')
        return 0;
    if (!text_html_element(t->name)) return 0;
    t->attrs = j;
    char q = 0;
    for (; j < n; j++) {
        if (q) {
            if (s[j] == q) q = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
            q = s[j];
        } else if (s[j] == '>') {
            t->end = j;
            return 1;
        }
    }
    return 0;
}

/* The one walk over raw HTML both outputs share: what is dropped whole is
 * skipped, each tag of an HTML element goes to on_tag, and everything else
 * is text, entities decoded, appended to text (tabs and line ends as
 * spaces when fold is set).  on_tag gets text too, to flush or extend. */
typedef void tag_sink(void *ctx, folio_buf *text, const char *s, const tag *t);

static void walk(const char *s, size_t len, folio_buf *text, int fold,
                 tag_sink *on_tag, void *ctx)
{
    size_t i = 0;
    while (i < len) {
        size_t skip = s[i] == '<' ? dropped(s, i, len) : 0;
        if (skip) {
            i += skip;
            continue;
        }
        tag t;
        if (s[i] == '<' && read_tag(s, i, len, &t)) {
            on_tag(ctx, text, s, &t);
            i = t.end + 1;
            continue;
        }
        size_t n = s[i] == '&' ? entity(text, s + i, len - i) : 0;
        if (!n) {
            char c = s[i];
            if (fold && (c == '\n' || c == '\t' || c == '\r')) c = ' ';
            buf_putc(text, c);
            n = 1;
        }
        i += n;
    }
}

/* html_text()'s tags: <br> a line end, a block tag a space. */
static void text_tag(void *ctx, folio_buf *out, const char *s, const tag *t)
{
    (void)ctx, (void)s;
    if (strcmp(t->name, "br") == 0)
        buf_putc(out, '\n');
    else if (block_tag(t->name))
        buf_putc(out, ' ');
}

void text_html_text(folio_buf *out, const char *s, size_t len)
{
    walk(s, len, out, 1, text_tag, NULL);
}

/* ---- html_sanitize(): the safe subset as XHTML */

enum {
    E_NONE,
    E_BR,
    E_SUB,
    E_SUP,
    E_EM,
    E_STRONG,
    E_CODE,
    E_A,
    E_DETAILS,
    E_SUMMARY,
    E_TABLE,
    E_TR,
    E_TD,
    E_TH,
    E_PARA
};

static const struct {
    const char *in;
    int e;
} safe[] = {{"a", E_A},
            {"b", E_STRONG},
            {"br", E_BR},
            {"code", E_CODE},
            {"details", E_DETAILS},
            {"div", E_PARA},
            {"em", E_EM},
            {"i", E_EM},
            {"p", E_PARA},
            {"strong", E_STRONG},
            {"sub", E_SUB},
            {"summary", E_SUMMARY},
            {"sup", E_SUP},
            {"table", E_TABLE},
            {"td", E_TD},
            {"th", E_TH},
            {"tr", E_TR}};

static const char *const out_name[] = {
    "",        "br",      "sub",   "sup", "em", "strong", "code", "a",
    "details", "summary", "table", "tr",  "td", "th",     ""};

static int safe_elem(const char *name)
{
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++)
        if (strcmp(safe[i].in, name) == 0) return safe[i].e;
    return E_NONE;
}

/* 1 when a block element may open here: a block HTML node, and every
 * element open is one that holds flow content. */
static int flow_here(const folio_html_state *st)
{
    if (!st->block) return 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->tag[i] != E_DETAILS && st->tag[i] != E_TD && st->tag[i] != E_TH)
            return 0;
    return 1;
}

static int open_has(const folio_html_state *st, int e)
{
    for (size_t i = 0; i < st->n; i++)
        if (st->tag[i] == e) return 1;
    return 0;
}

/* The value of attribute want in s[a..end), entities decoded, into v;
 * 1 when present. */
static int attr(const char *s, size_t a, size_t end, const char *want,
                folio_buf *v)
{
    size_t wl = strlen(want);
    while (a < end) {
        while (a < end && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' ||
                           s[a] == '\r' || s[a] == '/'))
            a++;
        size_t ns = a;
        while (a < end && s[a] != '=' && s[a] != ' ' && s[a] != '\t' &&
               s[a] != '\n' && s[a] != '\r' && s[a] != '/')
            a++;
        size_t nl = a - ns;
        if (a >= end || s[a] != '=') continue;
        a++;
        size_t vs, ve;
        if (a < end && (s[a] == '"' || s[a] == '\'')) {
            char q = s[a++];
            vs = a;
            while (a < end && s[a] != q)
                a++;
            ve = a++;
        } else {
            vs = a;
            while (a < end && s[a] != ' ' && s[a] != '\t' && s[a] != '\n')
                a++;
            ve = a;
        }
        if (nl == wl && strncasecmp(s + ns, want, wl) == 0) {
            v->len = 0;
            for (size_t i = vs; i < ve;) {
                size_t k = s[i] == '&' ? entity(v, s + i, ve - i) : 0;
                if (!k) buf_putc(v, s[i]), k = 1;
                i += k;
            }
            buf_putc(v, 0);
            v->len--;
            return 1;
        }
    }
    return 0;
}

static void put_open(folio_buf *out, folio_html_state *st, int e)
{
    buf_putc(out, '<');
    buf_puts(out, out_name[e]);
    buf_putc(out, '>');
    st->tag[st->n++] = (unsigned char)e;
    st->fresh = 1;
}

static void close_to(folio_buf *out, folio_html_state *st, size_t depth)
{
    while (st->n > depth) {
        buf_puts(out, "</");
        buf_puts(out, out_name[st->tag[--st->n]]);
        buf_putc(out, '>');
    }
}

/* Text where it may stand: never directly in a table or a row. */
static void flush_text(folio_buf *out, folio_buf *t, folio_html_state *st)
{
    if (!t->len) return;
    int blank = 1;
    for (size_t i = 0; i < t->len; i++)
        if (t->data[i] != ' ' && t->data[i] != '\n' && t->data[i] != '\t' &&
            t->data[i] != '\r')
            blank = 0;
    int top = st->n ? st->tag[st->n - 1] : E_NONE;
    if (!blank && st->pending && !st->n) buf_puts(out, "<br/>");
    if (!blank) st->pending = 0, st->fresh = 0, st->any = 1;
    if (top != E_TABLE && top != E_TR) text_xml_escape(out, t->data, t->len);
    t->len = 0;
}

static void element(folio_buf *out, folio_buf *v, folio_html_state *st,
                    const char *s, const tag *t)
{
    int e = safe_elem(t->name);
    int top = st->n ? st->tag[st->n - 1] : E_NONE;
    if (e == E_NONE) return;
    if (e == E_PARA) {
        if (st->block && !st->n && st->any) st->pending = 1;
        return;
    }
    if (t->close) {
        for (size_t i = st->n; i-- > 0;)
            if (st->tag[i] == e) {
                close_to(out, st, i);
                if (e == E_DETAILS || e == E_TABLE) st->pending = 0;
                return;
            }
        return;
    }
    if (st->pending && !st->n && e != E_BR) buf_puts(out, "<br/>");
    st->pending = 0;
    st->any = 1;
    if (e == E_BR) {
        if (top != E_TABLE && top != E_TR) buf_puts(out, "<br/>");
        st->fresh = 0;
        return;
    }
    if (st->n >= sizeof st->tag) return;
    switch (e) {
    case E_A:
        if (open_has(st, E_A) || top == E_TABLE || top == E_TR) return;
        if (!attr(s, t->attrs, t->end, "href", v) || !text_url_is_safe(v->data))
            return;
        buf_puts(out, "<a href=\"");
        folio_buf u = {0};
        text_url_encode(&u, v->data);
        if (u.data) text_xml_escape(out, u.data, u.len);
        free(u.data);
        buf_puts(out, "\">");
        st->tag[st->n++] = E_A;
        st->fresh = 0;
        return;
    case E_SUMMARY:
        if (top == E_DETAILS && st->fresh) put_open(out, st, e);
        return;
    case E_DETAILS:
    case E_TABLE:
        if (flow_here(st)) put_open(out, st, e);
        return;
    case E_TR:
        if (top == E_TABLE) put_open(out, st, e);
        return;
    case E_TD:
    case E_TH:
        if (top == E_TR) put_open(out, st, e);
        return;
    default: /* phrasing: sub, sup, em, strong, code */
        if (top == E_TABLE || top == E_TR) return;
        put_open(out, st, e);
        st->fresh = 0;
        return;
    }
}

typedef struct sanitizer {
    folio_buf *out, v; /* v: an attribute's value */
    folio_html_state *st;
} sanitizer;

/* html_sanitize()'s tags: the text so far first, then <img> its alt text
 * and any other the element it is in the safe subset. */
static void safe_tag(void *ctx, folio_buf *text, const char *s, const tag *g)
{
    sanitizer *z = ctx;
    flush_text(z->out, text, z->st);
    if (strcmp(g->name, "img") == 0 &&
        attr(s, g->attrs, g->end, "alt", &z->v)) {
        buf_put(text, z->v.data, z->v.len);
        flush_text(z->out, text, z->st);
    } else {
        element(z->out, &z->v, z->st, s, g);
    }
}

void text_html_sanitize(folio_buf *out, const char *s, size_t len,
                        folio_html_state *st)
{
    folio_html_state own = {0};
    if (!st) st = &own;
    if (!s) {
        close_to(out, st, 0);
        return;
    }
    folio_buf t = {0};
    sanitizer z = {.out = out, .st = st};
    walk(s, len, &t, 0, safe_tag, &z);
    flush_text(out, &t, st);
    if (st == &own) close_to(out, st, 0);
    free(t.data);
    free(z.v.data);
}
