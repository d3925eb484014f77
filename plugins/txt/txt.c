/* txt: digests as plain text for mail and terminals.
 *
 * Every line fits in txt.width display columns (72 by default) except a
 * lone token wider than a line.  Prose is wrapped by the host (UAX #14 with
 * the Korean keep-all rule); links become "text [n]" with their URLs listed
 * after the digest; code keeps its lines and is only hard-split.  Layout:
 *
 *   Digest title          Date:/Author:/Tags: lines, then the preamble
 *   ============
 *   1. Paper title [1]    then "arXiv: ID | Alphaxiv [2]", the body and
 *   ------------------    the sections, each as "== Heading"
 *   Notes / Links         footnotes as "1. text", links as "[n] URL"
 *
 * A footnote reference reads "[note 1]", never to be taken for a link's
 * "[1]"; a link whose text is its URL (an autolink) has no number, its
 * URL being on the page already. */
#include <folio/plugin-util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WIDTH 72
#define MIN_WIDTH 20
#define MAX_WIDTH 1000

/* Glue put into text before wrapping and taken out after: GLUE_SPACE (a
 * noncharacter: one column, a letter to UAX #14) keeps "[n]" on the line of
 * its link text, and "[note n]" together, and becomes a space. */
#define GLUE_SPACE "\xEF\xB7\x90" /* U+FDD0 */
#define REPLACEMENT "\xEF\xBF\xBD"

typedef struct txt {
    const folio_host *h;
    folio_job *job;
    size_t width;
    const folio_digest *d;
    folio_buf out;   /* text of the current digest */
    folio_buf refs;  /* link_ref[]: the digest's links, [1] first */
    folio_buf slots; /* size_t[nslots]: hash table of refs numbers */
    size_t nslots;
    const char *lang; /* for line breaking */
    int base;         /* heading level of papers: deeper ones are marked */
    struct liquid_str *paths; /* image paths read out of Liquid */
} txt;

/* An image destination written in Jekyll's Liquid ({{ '/x.png' |
 * relative_url }}, {{ site.baseurl }}/x.png, {% link x.png %}) shown as
 * the path it names; kept until the book is written. */
typedef struct liquid_str {
    struct liquid_str *next;
    char s[];
} liquid_str;

static const char *liquid_path(txt *t, const char *url)
{
    if (!strstr(url, "{{") && !strstr(url, "{%")) return url;
    folio_buf b = {0};
    const char *p = url;
    while (*p) {
        const char *open = strstr(p, "{{");
        const char *pct = strstr(p, "{%");
        if (!open || (pct && pct < open)) open = pct;
        if (!open) {
            t->h->buf_puts(&b, p);
            break;
        }
        t->h->buf_put(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, open[1] == '{' ? "}}" : "%}");
        if (!close) {
            t->h->buf_puts(&b, open);
            break;
        }
        /* The quoted path inside, or after "link"; site.baseurl and
         * site.url are nothing. */
        const char *q = open + 2;
        while (q < close && *q != '\'' && *q != '"')
            q++;
        if (q < close) {
            const char *e = memchr(q + 1, *q, (size_t)(close - q - 1));
            if (e) t->h->buf_put(&b, q + 1, (size_t)(e - q - 1));
        } else if (open[1] == '%') {
            const char *l = strstr(open, "link");
            if (l && l < close) {
                l += 4;
                while (*l == ' ')
                    l++;
                const char *e = close;
                while (e > l && (e[-1] == ' ' || e[-1] == '-'))
                    e--;
                t->h->buf_printf(&b, "/%.*s", (int)(e - l), l);
            }
        }
        p = close + 2;
    }
    size_t n = b.len;
    liquid_str *ls = malloc(sizeof *ls + n + 1);
    if (!ls) abort();
    memcpy(ls->s, b.data ? b.data : "", n);
    ls->s[n] = 0;
    ls->next = t->paths;
    t->paths = ls;
    t->h->buf_free(&b);
    return ls->s;
}

static int block(txt *t, const folio_node *n, const char *first,
                 const char *rest);

/* ------------------------------------------------------------ helpers */

/* At the top level: make sure a blank line ends what is there. */
static void separate(txt *t)
{
    folio_buf *o = &t->out;
    if (!o->len) return;
    if (o->data[o->len - 1] != '\n') t->h->buf_put(o, "\n", 1);
    if (o->len < 2 || o->data[o->len - 2] != '\n') t->h->buf_put(o, "\n", 1);
}

/* base + add, unless that leaves less than half a line for the text: very
 * deep nesting then loses its markers, never its text. */
static const char *prefix(txt *t, folio_buf *p, const char *base,
                          const char *add)
{
    fu_truncate(p, 0);
    t->h->buf_puts(p, base);
    if (fu_width(t->h, base) + fu_width(t->h, add) <= t->width / 2)
        t->h->buf_puts(p, add);
    return p->data ? p->data : "";
}

/* Append s without anything that could upset a terminal: tabs and line
 * ends become spaces, other control characters (and our glue, should the
 * input hold it) U+FFFD. */
static void put_text(txt *t, folio_buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = t->h->utf8_next(s + i, len - i, &cp);
        const char *rep = NULL;
        if (cp == '\t' || cp == '\n' || cp == '\r')
            rep = " ";
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFDD0)
            rep = REPLACEMENT;
        if (rep) {
            t->h->buf_put(b, s + start, i - start);
            t->h->buf_puts(b, rep);
            start = i + n;
        }
        i += n;
    }
    t->h->buf_put(b, s + start, len - start);
}

/* Take the glue out of b[from..]. */
static void unglue(folio_buf *b, size_t from)
{
    size_t w = from;
    for (size_t r = from; r < b->len;) {
        if (b->len - r >= 3 && memcmp(b->data + r, GLUE_SPACE, 3) == 0) {
            b->data[w++] = ' ';
            r += 3;
        } else {
            b->data[w++] = b->data[r++];
        }
    }
    fu_truncate(b, w);
}

/* A word the reader sees, in the post's language (the host's table). */
static const char *word(txt *t, int key)
{
    return t->h->label(t->lang, key);
}

/* Append s with its spaces as glue, so it never breaks across lines. */
static void put_glued(txt *t, folio_buf *b, const char *s)
{
    for (const char *sp; (sp = strchr(s, ' ')); s = sp + 1) {
        t->h->buf_put(b, s, (size_t)(sp - s));
        t->h->buf_puts(b, GLUE_SPACE);
    }
    t->h->buf_puts(b, s);
}

/* Wrap with the host (it keeps words that fit and URLs whole), then
 * take out the glue that holds references to their words. */
static void wrap_out(txt *t, const char *s, size_t len, const char *first,
                     const char *rest)
{
    size_t mark = t->out.len;
    t->h->wrap(&t->out, s, len, t->width, first, rest, t->lang);
    unglue(&t->out, mark);
}

/* Wrap s, then underline it with c to the width of its widest line; the
 * underline starts with the prefix under. */
static void underlined(txt *t, const char *s, size_t len, const char *first,
                       const char *rest, const char *under, char c)
{
    size_t mark = t->out.len, w = 0;
    wrap_out(t, s, len, first, rest);
    for (size_t i = mark; i < t->out.len;) {
        const char *nl = memchr(t->out.data + i, '\n', t->out.len - i);
        size_t e = nl ? (size_t)(nl - t->out.data) : t->out.len;
        size_t lw = t->h->str_width(t->out.data + i, e - i);
        w = lw > w ? lw : w;
        i = e + 1;
    }
    size_t uw = fu_width(t->h, under);
    /* A lone token wider than a line (a long URL) overhangs; the rule
     * never does. */
    w = w < t->width ? w : t->width;
    t->h->buf_puts(&t->out, under);
    fu_repeat(t->h, &t->out, c, w > uw ? w - uw : 1);
    t->h->buf_put(&t->out, "\n", 1);
}

/* ------------------------------------------------------------- inlines */

/* A link target, listed after the digest; the same URL gets one number,
 * found through a hash table (a digest may hold 100,000 links). */
typedef struct link_ref {
    const char *url, *title;
} link_ref;

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Insert ref number num (1-based) into the table t->slots. */
static void slot_put(txt *t, const char *url, size_t num)
{
    size_t *slot = (size_t *)(void *)t->slots.data;
    size_t mask = t->nslots - 1, h = hash(url) & mask;
    while (slot[h])
        h = (h + 1) & mask;
    slot[h] = num;
}

static int link_number(txt *t, const char *url, const char *title)
{
    const link_ref *v = (const link_ref *)(void *)t->refs.data;
    size_t n = t->refs.len / sizeof *v;
    if (2 * (n + 1) > t->nslots) {
        static const size_t zero[64];
        t->nslots = t->nslots ? 2 * t->nslots : 64;
        fu_truncate(&t->slots, 0);
        for (size_t i = 0; i < t->nslots; i += 64)
            t->h->buf_put(&t->slots, zero, sizeof zero);
        for (size_t i = 0; i < n; i++)
            slot_put(t, v[i].url, i + 1);
    }
    const size_t *slot = (const size_t *)(void *)t->slots.data;
    size_t mask = t->nslots - 1;
    for (size_t h = hash(url) & mask; slot[h]; h = (h + 1) & mask)
        if (strcmp(v[slot[h] - 1].url, url) == 0) return (int)slot[h];
    slot_put(t, url, n + 1);
    link_ref r = {url, title};
    t->h->buf_put(&t->refs, &r, sizeof r);
    return (int)n + 1;
}

/* Append a reference ("[3]", "[note 1]") after the word before it, glued so
 * it never starts a line, unless that word is so long that the two could
 * not share one. */
static void put_ref(txt *t, folio_buf *b, const char *glue, const char *ref)
{
    size_t end = b->len, start = end;
    while (start > 0 && b->data[start - 1] != ' ' && b->data[start - 1] != '\n')
        start--;
    if (start < end) {
        size_t w = t->h->str_width(b->data + start, end - start);
        if (w + fu_width(t->h, ref) + 1 <= t->width / 2)
            t->h->buf_puts(b, glue);
        else if (strcmp(glue, GLUE_SPACE) == 0)
            t->h->buf_puts(b, " ");
    }
    t->h->buf_puts(b, ref);
}

static void put_link_ref(txt *t, folio_buf *b, const char *url,
                         const char *title)
{
    char num[32];
    snprintf(num, sizeof num, "[%d]", link_number(t, url, title));
    put_ref(t, b, GLUE_SPACE, num);
}

/* A link that shows its own URL (<https://x>, a bare www.x or
 * someone@x): its text is the URL, less the scheme the parser added. */
static int shows_url(txt *t, const folio_node *n)
{
    folio_buf b = {0};
    t->h->plain_text(&b, n->child);
    const char *s = b.data ? b.data : "", *u = n->u.link.url;
    int same = *s && (strcmp(s, u) == 0 ||
                      (strncmp(u, "mailto:", 7) == 0 && !strcmp(s, u + 7)) ||
                      (strncmp(u, "http://", 7) == 0 && !strcmp(s, u + 7)));
    t->h->buf_free(&b);
    return same;
}

static uint32_t last_cp(txt *t, const folio_buf *b)
{
    if (!b->len) return 0;
    size_t i = b->len - 1;
    while (i > 0 && ((unsigned char)b->data[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    t->h->utf8_next(b->data + i, b->len - i, &cp);
    return cp;
}

/* A line end between two Han or kana characters joins them with no space,
 * as Chinese and Japanese are written. */
static int joins(txt *t, const folio_buf *b, const folio_node *next)
{
    uint32_t a = last_cp(t, b), c;
    if (!next || next->type != FOLIO_NODE_TEXT || !next->len) return 0;
    t->h->utf8_next(next->text, next->len, &c);
    return t->h->joins_lines(a, c);
}

/* Raw HTML shown as its text (the host's html_text()), each line made
 * safe for a terminal. */
static void html_text(txt *t, folio_buf *b, const char *s, size_t len)
{
    folio_buf x = {0};
    t->h->html_text(&x, s, len);
    for (size_t i = 0; i < x.len;) {
        const char *e = memchr(x.data + i, '\n', x.len - i);
        size_t n = e ? (size_t)(e - (x.data + i)) : x.len - i;
        put_text(t, b, x.data + i, n);
        if (e) t->h->buf_puts(b, "\n");
        i += n + (e != NULL);
    }
    t->h->buf_free(&x);
}

static void inlines(txt *t, folio_buf *b, const folio_node *n)
{
    char ref[64];
    for (const folio_node *prev = NULL; n; prev = n, n = n->next) {
        switch (n->type) {
        case FOLIO_NODE_TEXT:
            if (prev && prev->type == FOLIO_NODE_MARKUP && n->len &&
                n->text[0] == ' ' && b->len && b->data[b->len - 1] == ' ') {
                put_text(t, b, n->text + 1, n->len - 1); /* "a {{ x }} b" */
                break;
            }
            put_text(t, b, n->text, n->len);
            break;
        case FOLIO_NODE_SOFTBREAK:
            if (!joins(t, b, n->next)) t->h->buf_puts(b, " ");
            break;
        case FOLIO_NODE_LINEBREAK:
            t->h->buf_puts(b, "\n");
            break;
        case FOLIO_NODE_CODE:
            t->h->buf_puts(b, "`");
            put_text(t, b, n->text, n->len);
            t->h->buf_puts(b, "`");
            break;
        case FOLIO_NODE_HTML_INLINE:
            html_text(t, b, n->text, n->len);
            inlines(t, b, n->child); /* its <img> tags */
            break;
        case FOLIO_NODE_MATH: /* linear text (rows joined by a space) */
            if (FOLIO_HOST_HAS(t->h, math_text)) {
                folio_buf m = {0};
                t->h->math_text(&m, n->text, n->len);
                put_text(t, b, m.data ? m.data : "", m.len);
                t->h->buf_free(&m);
            } else {
                put_text(t, b, n->text, n->len);
            }
            break;
        case FOLIO_NODE_STRIKETHROUGH: /* its meaning matters: keep it */
            t->h->buf_puts(b, "~~");
            inlines(t, b, n->child);
            t->h->buf_puts(b, "~~");
            break;
        case FOLIO_NODE_LINK:
            inlines(t, b, n->child);
            if (!shows_url(t, n))
                put_link_ref(t, b, n->u.link.url, n->u.link.title);
            break;
        case FOLIO_NODE_IMAGE:
            t->h->buf_printf(b, "[%s%s", word(t, FOLIO_LABEL_IMAGE),
                             n->child ? ": " : "");
            inlines(t, b, n->child);
            t->h->buf_puts(b, "]");
            put_link_ref(t, b, liquid_path(t, n->u.link.url), n->u.link.title);
            break;
        case FOLIO_NODE_FOOTNOTE_REF:
            snprintf(ref, sizeof ref, "[%s" GLUE_SPACE "%d]",
                     word(t, FOLIO_LABEL_NOTE), n->u.footnote.number);
            put_ref(t, b, GLUE_SPACE, ref);
            break;
        default: /* emphasis and anything new: its text */
            inlines(t, b, n->child);
            break;
        }
    }
}

/* ------------------------------------------------------------- blocks */

/* Blocks one after the other: the first line of all gets first, the others
 * rest; blank lines between them unless tight.  Returns 1 when anything
 * was written. */
static int blocks(txt *t, const folio_node *n, const char *first,
                  const char *rest, int tight)
{
    int any = 0;
    for (; n; n = n->next) {
        size_t mark = t->out.len;
        if (any && !tight) fu_blank_line(t->h, &t->out, rest);
        if (block(t, n, any ? rest : first, rest))
            any = 1;
        else
            fu_truncate(&t->out, mark);
    }
    return any;
}

/* Display math alone in its paragraph: its linear form indented, a row of
 * an aligned environment a line. */
static int display_math(txt *t, const folio_node *n, const char *first,
                        const char *rest)
{
    folio_buf m = {0}, line = {0}, f = {0}, r = {0};
    t->h->math_text(&m, n->text, n->len);
    prefix(t, &f, first, "    ");
    prefix(t, &r, rest, "    ");
    const char *s = m.data ? m.data : "", *end = s + m.len;
    int any = 0;
    for (;;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        fu_truncate(&line, 0);
        put_text(t, &line, s, (size_t)(e - s));
        fu_trim(&line, 0);
        if (line.len) {
            wrap_out(t, line.data, line.len, any ? r.data : f.data, r.data);
            any = 1;
        }
        if (!nl) break;
        s = nl + 1;
    }
    t->h->buf_free(&m);
    t->h->buf_free(&line);
    t->h->buf_free(&f);
    t->h->buf_free(&r);
    return any;
}

static int paragraph(txt *t, const folio_node *inl, const char *first,
                     const char *rest)
{
    if (inl && !inl->next && inl->type == FOLIO_NODE_MATH &&
        FOLIO_MATH_DISPLAY(inl) && FOLIO_HOST_HAS(t->h, math_text))
        return display_math(t, inl, first, rest);
    folio_buf b = {0};
    inlines(t, &b, inl);
    fu_trim(&b, 0);
    int any = b.len > 0;
    if (any) wrap_out(t, b.data, b.len, first, rest);
    t->h->buf_free(&b);
    return any;
}

/* Headings inside the content, by their depth below a paper's level:
 * above it underlined with '=', at it with '-', below as "== Text",
 * "=== Text"... (sections of a paper are "== Text"). */
static int heading(txt *t, const folio_node *n, const char *first,
                   const char *rest)
{
    folio_buf b = {0}, f = {0}, r = {0};
    inlines(t, &b, n->child);
    fu_trim(&b, 0);
    int rel = n->u.heading.level - t->base;
    if (rel <= 0) {
        underlined(t, b.data ? b.data : "", b.len, first, rest, rest,
                   rel < 0 ? '=' : '-');
    } else {
        char mark[16], indent[16];
        size_t k = (size_t)rel + 1;
        memset(mark, '=', k);
        memcpy(mark + k, " ", 2);
        memset(indent, ' ', k + 1);
        indent[k + 1] = 0;
        wrap_out(t, b.data ? b.data : "", b.len, prefix(t, &f, first, mark),
                 prefix(t, &r, rest, indent));
    }
    t->h->buf_free(&b);
    t->h->buf_free(&f);
    t->h->buf_free(&r);
    return 1;
}

static int quote(txt *t, const folio_node *n, const char *first,
                 const char *rest)
{
    folio_buf f = {0}, r = {0};
    const char *pf = prefix(t, &f, first, "> ");
    if (!blocks(t, n->child, pf, prefix(t, &r, rest, "> "), 0))
        fu_blank_line(t->h, &t->out, pf);
    t->h->buf_free(&f);
    t->h->buf_free(&r);
    return 1;
}

static int list(txt *t, const folio_node *n, const char *first,
                const char *rest)
{
    long long num = n->u.list.start;
    int tight = n->u.list.tight;
    folio_buf f = {0}, r = {0};
    int any = 0;
    for (const folio_node *it = n->child; it; it = it->next) {
        char mark[48], indent[48];
        if (n->u.list.ordered)
            snprintf(mark, sizeof mark, "%lld%c ", num++,
                     n->u.list.delim == ')' ? ')' : '.');
        else
            strcpy(mark, "- ");
        if (it->type == FOLIO_NODE_ITEM && it->u.item.task)
            strcat(mark, it->u.item.checked ? "[x] " : "[ ] ");
        size_t k = strlen(mark);
        memset(indent, ' ', k);
        indent[k] = 0;
        if (any && !tight) fu_blank_line(t->h, &t->out, rest);
        const char *pf = prefix(t, &f, any ? rest : first, mark);
        if (!blocks(t, it->child, pf, prefix(t, &r, rest, indent), tight))
            fu_blank_line(t->h, &t->out, pf);
        any = 1;
    }
    t->h->buf_free(&f);
    t->h->buf_free(&r);
    return any;
}

/* One line of code: whole when it fits, else cut into pieces that end in
 * '\' and continue on the next line, indented two columns deeper than the
 * line itself (within reason) so they do not read as lines of their own. */
static void code_line(txt *t, const char *s, size_t len, const char *first,
                      const char *rest)
{
    folio_buf cont = {0};
    size_t lead = 0;
    while (lead < len && s[lead] == ' ')
        lead++;
    t->h->buf_puts(&cont, rest);
    size_t rw = fu_width(t->h, rest), room = t->width > rw ? t->width - rw : 0;
    fu_repeat(t->h, &cont, ' ', lead + 2 <= room / 2 ? lead + 2 : room / 4);
    const char *p = first;
    for (;;) {
        size_t pw = fu_width(t->h, p);
        size_t avail = t->width > pw + 2 ? t->width - pw : 2;
        t->h->buf_puts(&t->out, p);
        if (t->h->str_width(s, len) <= avail) {
            t->h->buf_put(&t->out, s, len);
            t->h->buf_put(&t->out, "\n", 1);
            break;
        }
        /* Cut after the last space that leaves at least half a line, else
         * where the line is full. */
        size_t i = 0, w = 0, cut = 0;
        while (i < len) {
            uint32_t cp;
            size_t n = t->h->utf8_next(s + i, len - i, &cp);
            size_t cw = (size_t)t->h->char_width(cp);
            if (i > 0 && w + cw > avail - 1) break;
            w += cw;
            i += n;
            if (cp == ' ' && w >= avail / 2) cut = i;
        }
        if (cut && i < len) i = cut;
        t->h->buf_put(&t->out, s, i);
        t->h->buf_puts(&t->out, "\\\n");
        s += i;
        len -= i;
        while (len && *s == ' ') { /* the continuation has its own indent */
            s++;
            len--;
        }
        p = cont.data;
    }
    t->h->buf_free(&cont);
}

static int code(txt *t, const folio_node *n, const char *first,
                const char *rest)
{
    if (!n->len) return 0;
    folio_buf f = {0}, r = {0}, line = {0};
    t->h->buf_puts(&f, first);
    t->h->buf_puts(&f, "    ");
    t->h->buf_puts(&r, rest);
    t->h->buf_puts(&r, "    ");
    const char *s = n->text, *end = n->text + n->len;
    if (end[-1] == '\n') end--;
    int firstline = 1;
    for (;;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        /* Tabs to the next multiple of 4 columns; controls made harmless. */
        fu_truncate(&line, 0);
        for (const char *p = s; p < e;) {
            const char *tab = memchr(p, '\t', (size_t)(e - p));
            const char *q = tab ? tab : e;
            put_text(t, &line, p, (size_t)(q - p));
            if (tab)
                fu_repeat(t->h, &line, ' ',
                          4 - t->h->str_width(line.data, line.len) % 4);
            p = tab ? tab + 1 : e;
        }
        code_line(t, line.data ? line.data : "", line.len,
                  firstline ? f.data : r.data, r.data);
        firstline = 0;
        if (!nl) break;
        s = nl + 1;
    }
    t->h->buf_free(&f);
    t->h->buf_free(&r);
    t->h->buf_free(&line);
    return 1;
}

static int html_block(txt *t, const folio_node *n, const char *first,
                      const char *rest)
{
    folio_buf b = {0};
    html_text(t, &b, n->text, n->len);
    /* HTML's whitespace collapses. */
    size_t w = 0;
    for (size_t i = 0; i < b.len; i++) {
        char c = b.data[i];
        if (c == ' ' &&
            (w == 0 || b.data[w - 1] == ' ' || b.data[w - 1] == '\n'))
            continue;
        if (c == '\n' && w > 0 && b.data[w - 1] == ' ') w--;
        b.data[w++] = c;
    }
    fu_truncate(&b, w);
    fu_trim(&b, 0);
    int any = b.len > 0;
    if (any) wrap_out(t, b.data, b.len, first, rest);
    t->h->buf_free(&b);
    return any;
}

static int rule(txt *t, const char *first)
{
    size_t w = fu_width(t->h, first);
    t->h->buf_puts(&t->out, first);
    fu_repeat(t->h, &t->out, '-', t->width > w + 3 ? t->width - w : 3);
    t->h->buf_put(&t->out, "\n", 1);
    return 1;
}

/* A table cell: text without glue or line ends, and its width. */
typedef struct cell {
    size_t off, len, width;
} cell;

static int table(txt *t, const folio_node *n, const char *first,
                 const char *rest)
{
    size_t nc = n->u.table.ncols > 0 ? (size_t)n->u.table.ncols : 0, nr = 0;
    if (!nc) return blocks(t, n->child, first, rest, 1);
    folio_buf text = {0}, cells = {0}, widths = {0}, b = {0}, r = {0};
    for (const folio_node *row = n->child; row; row = row->next, nr++) {
        const folio_node *c = row->child;
        for (size_t k = 0; k < nc; k++) {
            cell x = {.off = text.len};
            if (c) {
                inlines(t, &text, c->child);
                unglue(&text, x.off);
                for (size_t i = x.off; i < text.len; i++)
                    if (text.data[i] == '\n') text.data[i] = ' ';
                fu_trim(&text, x.off);
                c = c->next;
            }
            x.len = text.len - x.off;
            x.width = text.data ? t->h->str_width(text.data + x.off, x.len) : 0;
            t->h->buf_put(&cells, &x, sizeof x);
        }
    }
    const cell *cl = (const cell *)(void *)cells.data;
    size_t total = 2 * (nc - 1), rw = fu_width(t->h, rest),
           fw = fu_width(t->h, first);
    for (size_t k = 0; k < nc; k++) {
        size_t w = 1;
        for (size_t i = 0; i < nr; i++)
            w = cl[i * nc + k].width > w ? cl[i * nc + k].width : w;
        t->h->buf_put(&widths, &w, sizeof w);
        total += w;
    }
    const size_t *cw = (const size_t *)(void *)widths.data;
    const folio_node *row = n->child;
    int header = row && row->u.row.header;
    if (total + (rw > fw ? rw : fw) <= t->width) {
        /* Aligned columns. */
        for (size_t i = 0; i < nr; i++, row = row->next) {
            t->h->buf_puts(&t->out, i ? rest : first);
            for (size_t k = 0; k < nc; k++) {
                const cell *x = &cl[i * nc + k];
                size_t pad = cw[k] - x->width, left = 0;
                folio_align a =
                    n->u.table.align ? n->u.table.align[k] : FOLIO_ALIGN_NONE;
                if (a == FOLIO_ALIGN_RIGHT)
                    left = pad;
                else if (a == FOLIO_ALIGN_CENTER)
                    left = pad / 2;
                fu_repeat(t->h, &t->out, ' ', (k ? 2 : 0) + left);
                t->h->buf_put(&t->out, text.data + x->off, x->len);
                fu_repeat(t->h, &t->out, ' ', pad - left);
            }
            t->h->buf_put(&t->out, "\n", 1);
            if (row->u.row.header) {
                t->h->buf_puts(&t->out, rest);
                for (size_t k = 0; k < nc; k++) {
                    fu_repeat(t->h, &t->out, ' ', k ? 2 : 0);
                    fu_repeat(t->h, &t->out, '-', cw[k]);
                }
                t->h->buf_put(&t->out, "\n", 1);
            }
        }
    } else {
        /* Too wide: each row as "Header: value" lines. */
        const char *pr = prefix(t, &r, rest, "  ");
        int any = 0;
        for (size_t i = header && nr > 1 ? 1 : 0; i < nr; i++) {
            if (any) fu_blank_line(t->h, &t->out, rest);
            for (size_t k = 0; k < nc; k++) {
                const cell *x = &cl[i * nc + k], *h = &cl[k];
                fu_truncate(&b, 0);
                if (header && i > 0 && h->len) {
                    t->h->buf_put(&b, text.data + h->off, h->len);
                    t->h->buf_puts(&b, x->len ? ": " : ":");
                }
                t->h->buf_put(&b, text.data + x->off, x->len);
                if (b.len) wrap_out(t, b.data, b.len, any ? rest : first, pr);
                any |= b.len > 0;
            }
        }
    }
    t->h->buf_free(&text);
    t->h->buf_free(&cells);
    t->h->buf_free(&widths);
    t->h->buf_free(&b);
    t->h->buf_free(&r);
    return 1;
}

static int block(txt *t, const folio_node *n, const char *first,
                 const char *rest)
{
    switch (n->type) {
    case FOLIO_NODE_PARAGRAPH:
        return paragraph(t, n->child, first, rest);
    case FOLIO_NODE_HEADING:
        return heading(t, n, first, rest);
    case FOLIO_NODE_BLOCK_QUOTE:
        return quote(t, n, first, rest);
    case FOLIO_NODE_LIST:
        return list(t, n, first, rest);
    case FOLIO_NODE_CODE_BLOCK:
        return code(t, n, first, rest);
    case FOLIO_NODE_HTML_BLOCK:
        /* <img> tags: [image: ALT] and the path among the references. */
        if (n->child) return paragraph(t, n->child, first, rest);
        return html_block(t, n, first, rest);
    case FOLIO_NODE_THEMATIC_BREAK:
        return rule(t, first);
    case FOLIO_NODE_TABLE:
        return table(t, n, first, rest);
    default:
        if (FOLIO_NODE_IS_INLINE(n->type)) /* not expected: keep the text */
            return paragraph(t, n, first, rest);
        return blocks(t, n->child, first, rest, 0);
    }
}

/* ---------------------------------------------------- digest structure */

/* The links of a block the core read as the paper's links, for its info
 * line: a paragraph's or a quote's links, a list's items as written
 * ("Code: <url> [2]"). */
static void link_items(txt *t, folio_buf *b, const folio_node *blk)
{
    for (const folio_node *c = blk->child; c; c = c->next) {
        if (c->type == FOLIO_NODE_PARAGRAPH) {
            link_items(t, b, c);
        } else if (c->type == FOLIO_NODE_ITEM && c->child) {
            if (b->len) t->h->buf_puts(b, " | ");
            inlines(t, b, c->child->child);
        } else if (c->type == FOLIO_NODE_LINK) {
            if (b->len) t->h->buf_puts(b, " | ");
            inlines(t, b, c->child);
            if (!shows_url(t, c))
                put_link_ref(t, b, c->u.link.url, c->u.link.title);
        }
    }
}

/* A link to url somewhere in n or below. */
static int has_url(const folio_node *n, const char *url)
{
    for (; n; n = n->next)
        if ((n->type == FOLIO_NODE_LINK && strcmp(n->u.link.url, url) == 0) ||
            has_url(n->child, url))
            return 1;
    return 0;
}

static void paper(txt *t, const folio_paper *p)
{
    folio_buf b = {0};
    char num[32] = "", indent[32];
    if (p->number) snprintf(num, sizeof num, "%d. ", p->number);
    memset(indent, ' ', strlen(num));
    indent[strlen(num)] = 0;

    /* A post that is one paper has its title above: no heading here, and
     * its link leads the info line unless its body shows it. */
    int single = t->d->kind == FOLIO_KIND_PAPER;
    if (!single) {
        separate(t);
        inlines(t, &b, p->title_inlines);
        fu_trim(&b, 0);
        if (p->url) put_link_ref(t, &b, p->url, "");
        underlined(t, b.data ? b.data : "", b.len, num, indent, "", '-');
    } else {
        separate(t);
    }

    /* Info line: the arXiv id and the paper's links. */
    fu_truncate(&b, 0);
    int shown = single && p->url && has_url(p->body, p->url);
    if (single && p->url && !shown) {
        t->h->buf_puts(&b, word(t, FOLIO_LABEL_PAPER));
        put_link_ref(t, &b, p->url, "");
    }
    if (p->arxiv_id) {
        if (b.len) t->h->buf_puts(&b, " | ");
        t->h->buf_puts(&b, "arXiv: ");
        put_text(t, &b, p->arxiv_id, strlen(p->arxiv_id));
    }
    for (const folio_node *c = p->body; c; c = c->next)
        if (t->h->is_links_block(p, c)) link_items(t, &b, c);
    if (b.len) wrap_out(t, b.data, b.len, "", "");
    t->h->buf_free(&b);

    for (const folio_node *c = p->body; c; c = c->next) {
        if (t->h->is_links_block(p, c)) continue;
        size_t mark = t->out.len;
        separate(t);
        if (!block(t, c, "", "")) fu_truncate(&t->out, mark);
    }
    for (size_t i = 0; i < p->nsections; i++) {
        const folio_section *s = &p->sections[i];
        separate(t);
        if (s->heading) heading(t, s->heading, "", "");
        blocks(t, s->body, "", "", 0);
    }
}

/* "Tags: a, b" (the word label key says) with a hanging indent as wide
 * as "Tags: ".  The label is part of the text, not a prefix, so a value
 * too long for the rest of the line can start the next one. */
static void meta_line(txt *t, int key, const char *const *v, size_t n)
{
    folio_buf b = {0};
    char indent[32];
    t->h->buf_printf(&b, "%s: ", word(t, key));
    size_t k = b.len, w = t->h->str_width(b.data, b.len);
    w = w < sizeof indent ? w : sizeof indent - 1;
    memset(indent, ' ', w);
    indent[w] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) t->h->buf_puts(&b, ", ");
        put_text(t, &b, v[i], strlen(v[i]));
    }
    fu_trim(&b, k);
    if (b.len > k) wrap_out(t, b.data, b.len, "", indent);
    t->h->buf_free(&b);
}

/* The digest's own title heading, when it only repeats the title. */
static int repeats_title(txt *t, const folio_digest *d, const folio_node *h)
{
    folio_buf b = {0};
    t->h->plain_text(&b, h->child);
    fu_trim(&b, 0);
    int same = strcmp(b.data ? b.data : "", d->title) == 0;
    t->h->buf_free(&b);
    return same;
}

/* A URL as one visible token: spaces, controls and our glue characters
 * percent-encoded. */
static void put_url(txt *t, folio_buf *b, const char *url)
{
    size_t len = strlen(url);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = t->h->utf8_next(url + i, len - i, &cp);
        if (cp <= 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFDD0 ||
            cp == 0x2060)
            for (size_t k = 0; k < n; k++)
                t->h->buf_printf(b, "%%%02X", (unsigned char)url[i + k]);
        else
            t->h->buf_put(b, url + i, n);
        i += n;
    }
}

/* Strip spaces at line ends; end in exactly one line end. */
static void finish(folio_buf *o)
{
    size_t w = 0;
    for (size_t r = 0; r < o->len; r++) {
        if (o->data[r] == '\n')
            while (w > 0 && o->data[w - 1] == ' ')
                w--;
        o->data[w++] = o->data[r];
    }
    while (w > 0 && (o->data[w - 1] == '\n' || o->data[w - 1] == ' '))
        w--;
    fu_truncate(o, w);
}

static void digest(txt *t, const folio_digest *d)
{
    folio_buf b = {0};
    t->d = d;
    t->lang = d->lang;
    fu_truncate(&t->out, 0);
    fu_truncate(&t->refs, 0);
    t->nslots = 0;
    t->base = d->paper_level     ? d->paper_level
              : d->title_heading ? d->title_heading->u.heading.level + 1
                                 : 1;
    /* An article's top headings stand where a digest's papers do. */
    if (d->kind == FOLIO_KIND_ARTICLE && d->nsections)
        t->base = d->sections[0].heading->u.heading.level;

    put_text(t, &b, d->title, strlen(d->title));
    fu_trim(&b, 0);
    underlined(t, b.data ? b.data : "", b.len, "", "", "", '=');
    if (d->date) {
        /* The digest's own date line: the day, and the time if given. */
        char day[FOLIO_DATE_MAX];
        const char *v = t->h->date_text(d->date, 1, day, sizeof day);
        meta_line(t, FOLIO_LABEL_DATE, &v, 1);
    }
    if (d->author) meta_line(t, FOLIO_LABEL_AUTHOR, &d->author, 1);
    meta_line(t, FOLIO_LABEL_TAGS, d->tags, d->ntags);
    meta_line(t, FOLIO_LABEL_CATEGORIES, d->categories, d->ncategories);

    for (const folio_node *c = d->preamble; c; c = c->next) {
        if (c == d->title_heading && repeats_title(t, d, c)) continue;
        size_t mark = t->out.len;
        separate(t);
        if (!block(t, c, "", "")) fu_truncate(&t->out, mark);
    }
    for (size_t i = 0; i < d->npapers; i++)
        paper(t, &d->papers[i]);

    if (d->footnotes) {
        separate(t);
        const char *w = word(t, FOLIO_LABEL_NOTES);
        underlined(t, w, strlen(w), "", "", "", '-');
        for (const folio_node *f = d->footnotes; f; f = f->next) {
            char mark[32], indent[32];
            snprintf(mark, sizeof mark, "%d. ", f->u.footnote.number);
            memset(indent, ' ', strlen(mark));
            indent[strlen(mark)] = 0;
            if (f != d->footnotes) fu_blank_line(t->h, &t->out, "");
            if (!blocks(t, f->child, mark, indent, 0))
                fu_blank_line(t->h, &t->out, mark);
        }
    }
    const link_ref *refs = (const link_ref *)(void *)t->refs.data;
    size_t nrefs = t->refs.len / sizeof *refs;
    if (nrefs) {
        separate(t);
        const char *w = word(t, FOLIO_LABEL_LINKS);
        underlined(t, w, strlen(w), "", "", "", '-');
    }
    for (size_t i = 0; i < nrefs; i++) {
        char mark[32], indent[32];
        snprintf(mark, sizeof mark, "[%zu] ", i + 1);
        memset(indent, ' ', strlen(mark));
        indent[strlen(mark)] = 0;
        fu_truncate(&b, 0);
        put_url(t, &b, refs[i].url);
        if (refs[i].title && *refs[i].title) {
            t->h->buf_puts(&b, " \"");
            put_text(t, &b, refs[i].title, strlen(refs[i].title));
            t->h->buf_puts(&b, "\"");
        }
        wrap_out(t, b.data, b.len, mark, indent);
    }
    t->h->buf_free(&b);
    finish(&t->out);
}

/* ---------------------------------------------------------------- book */

static void book_header(txt *t, const folio_book *book)
{
    folio_buf b = {0};
    const char *lo = NULL, *hi = NULL;
    fu_repeat(t->h, &t->out, '#', t->width);
    t->h->buf_put(&t->out, "\n", 1);
    put_text(t, &b, book->title, strlen(book->title));
    fu_trim(&b, 0);
    wrap_out(t, b.data ? b.data : "", b.len, "", "");
    fu_repeat(t->h, &t->out, '#', t->width);
    t->h->buf_put(&t->out, "\n", 1);
    if (book->author) meta_line(t, FOLIO_LABEL_AUTHOR, &book->author, 1);
    for (size_t i = 0; i < book->ndigests; i++) {
        const char *dt = book->digests[i].date;
        if (!dt) continue;
        if (!lo || strncmp(dt, lo, 10) < 0) lo = dt;
        if (!hi || strncmp(dt, hi, 10) > 0) hi = dt;
    }
    if (lo) {
        char day[FOLIO_DATE_MAX];
        fu_truncate(&b, 0);
        t->h->buf_puts(&b, t->h->date_text(lo, 0, day, sizeof day));
        int range = strncmp(lo, hi, 10) != 0;
        if (range)
            t->h->buf_printf(&b, " %s %s", word(t, FOLIO_LABEL_DATE_TO),
                             t->h->date_text(hi, 0, day, sizeof day));
        const char *v = b.data;
        meta_line(t, range ? FOLIO_LABEL_DATES : FOLIO_LABEL_DATE, &v, 1);
    }
    int digests = 1;
    for (size_t i = 0; i < book->ndigests; i++)
        digests &= book->digests[i].kind == FOLIO_KIND_DIGEST;
    t->h->buf_printf(&t->out, "%s: %zu\n\n",
                     word(t, digests ? FOLIO_LABEL_DIGESTS : FOLIO_LABEL_POSTS),
                     book->ndigests);
    const char *contents = word(t, FOLIO_LABEL_CONTENTS);
    underlined(t, contents, strlen(contents), "", "", "", '-');
    for (size_t i = 0; i < book->ndigests; i++) {
        const folio_digest_info *in = &book->digests[i];
        char mark[32], indent[32];
        snprintf(mark, sizeof mark, "%zu. ", i + 1);
        memset(indent, ' ', strlen(mark));
        indent[strlen(mark)] = 0;
        fu_truncate(&b, 0);
        put_text(t, &b, in->title, strlen(in->title));
        t->h->buf_puts(&b, " (");
        /* The day, unless the title already says it. */
        if (in->date && !t->h->title_sans_date(in->title, in->date, NULL, 0)) {
            char day[FOLIO_DATE_MAX];
            t->h->buf_printf(&b, "%s, ",
                             t->h->date_text(in->date, 0, day, sizeof day));
        }
        char count[64];
        put_glued(t, &b,
                  in->kind == FOLIO_KIND_ARTICLE ? word(t, FOLIO_LABEL_ARTICLE)
                  : in->kind == FOLIO_KIND_PAPER
                      ? word(t, FOLIO_LABEL_ONE_PAPER)
                      : t->h->count_papers(t->lang, in->npapers, count,
                                           sizeof count));
        t->h->buf_puts(&b, ")");
        wrap_out(t, b.data, b.len, mark, indent);
    }
    t->h->buf_free(&b);
    finish(&t->out);
}

/* -O txt.width: a number from MIN_WIDTH to MAX_WIDTH. */
static int parse_width(const char *s, size_t *width)
{
    size_t v = 0;
    if (!s) {
        *width = DEFAULT_WIDTH;
        return 0;
    }
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > MAX_WIDTH) return -1;
        v = v * 10 + (size_t)(*s - '0');
    }
    if (v < MIN_WIDTH || v > MAX_WIDTH) return -1;
    *width = v;
    return 0;
}

static int emit(txt *t)
{
    t->h->buf_put(&t->out, "\n", 1);
    return t->h->write(t->job, t->out.data, t->out.len);
}

/* Options are checked once, before any output (one error, not one per
 * file). */
static int init(const folio_host *h, folio_job *job, void **state)
{
    size_t width;
    (void)state;
    if (!FOLIO_HOST_HAS(h, date_text)) {
        h->report(job, FOLIO_ERROR, NULL, 0, 0,
                  "this txt plugin needs a newer folio (host %s)", h->version);
        return -1;
    }
    const char *w = h->option(job, "width");
    if (parse_width(w, &width) == 0) return 0;
    h->report(job, FOLIO_ERROR, NULL, 0, 0,
              "-O txt.width=%s: expected a number from %d to %d", w, MIN_WIDTH,
              MAX_WIDTH);
    return -1;
}

static int write_book(const folio_host *h, void *state, folio_job *job,
                      const folio_book *book)
{
    (void)state;
    txt t = {.h = h, .job = job, .lang = book->lang};
    const char *w = h->option(job, "width");
    if (parse_width(w, &t.width) != 0) {
        h->report(job, FOLIO_ERROR, NULL, 0, 0,
                  "-O txt.width=%s: expected a number from %d to %d", w,
                  MIN_WIDTH, MAX_WIDTH);
        return -1;
    }
    int rc = 0, many = book->ndigests > 1;
    if (many) {
        book_header(&t, book);
        rc = emit(&t);
    }
    for (size_t i = 0; i < book->ndigests && rc == 0; i++) {
        const folio_digest *d = h->digest(job, i);
        if (!d) {
            rc = -1;
            break;
        }
        digest(&t, d);
        h->release(job, d);
        if (many) {
            static const char nl = '\n';
            folio_buf sep = {0};
            h->buf_put(&sep, &nl, 1);
            fu_repeat(h, &sep, '=', t.width);
            h->buf_puts(&sep, "\n\n");
            rc = h->write(job, sep.data, sep.len);
            h->buf_free(&sep);
        }
        if (rc == 0) rc = emit(&t);
    }
    h->buf_free(&t.out);
    h->buf_free(&t.refs);
    h->buf_free(&t.slots);
    while (t.paths) {
        liquid_str *next = t.paths->next;
        free(t.paths);
        t.paths = next;
    }
    return rc ? -1 : 0;
}

static const char *const options[] = {
    "width", "columns of a line, 20 to 1000 (72)", NULL};

static const folio_plugin plugin = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_plugin),
    .name = "txt",
    .extension = "txt",
    .media_type = "text/plain; charset=utf-8",
    .summary = "plain text for mail and terminals, wrapped at 72 columns",
    .init = init,
    .write = write_book,
    .options = options,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
