/* md: the digest as normalised GitHub-flavoured Markdown.
 *
 * One digest in, one digest out: its front matter, then the blocks of the
 * IR in document order (preamble, each paper's heading, body and
 * sections, footnote definitions), each written one canonical way.  The
 * output reads back to the same IR (`folio dump` of input and output are
 * equal) and converts to itself byte for byte.
 *
 * Front matter: the digest's own, entries in their order (the IR keeps
 * that order, so it must not change), every scalar double-quoted with
 * YAML escapes so any value reads back exactly; date stays as written
 * (the IR normalises it again).  None when the input had none: the title
 * and date then come from the file name, so write the copy under the same
 * name.  lang is never added: a detected language stays detected.
 *
 * Normal form: ATX headings (setext only for a heading that holds a line
 * break), "-" bullets ("*" for a list right after another bullet list),
 * ordered lists with their start and delimiter, tight or loose as parsed,
 * fenced code (``` or ~~~, longer than any run inside), "---" breaks,
 * "\" + newline hard breaks, *emph*, **strong**, ~~strike~~, inline links
 * (<url> autolinks; a URL found bare stays bare), tables with padded
 * cells, footnotes with their labels as written (or numbers) at the
 * end.  TeX math and blog-engine markup (Liquid, kramdown attribute lists)
 * are written as they were.  Text is escaped only where it could mean
 * something: see text().  Where nothing else can part two blocks, the
 * invisible link reference definition "[//]: # (list break)" does.
 *
 * Several digests (-o with many inputs) make one book: a front matter with
 * the book's title, date, lang and author, then each digest as a unit: a
 * level-1 heading with its title (and its day, when the title lacks it),
 * its own front matter kept whole in an HTML comment, its content with
 * every heading one level down (at most 6; a lone top heading that only
 * repeats the title is dropped), and its footnotes, their labels prefixed
 * with the digest's position ("[^3-1]") so days never share one. */
#include <folio/plugin-util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct md {
    const folio_host *h;
    int shift;               /* added to heading levels (1 in a book) */
    int book;                /* writing one digest of a book */
    size_t day;              /* its 1-based position, for footnote labels */
    const folio_node *notes; /* the digest's footnote definitions */
    int raw; /* inside Liquid's {% raw %}: no Liquid to escape */
} md;

/* Where inline output goes. */
typedef struct ictx {
    int bol;     /* the next byte starts a line of a paragraph */
    int noblock; /* ATX heading or table cell: no block syntax to fear */
    int heading; /* ATX heading: a final '#' would close it */
    int link;    /* inside link text: no autolink can start */
    int bare;    /* right after a bare autolink: see inlines() */
    char close;  /* first byte of what closes the enclosing inline */
} ictx;

/* A run of sibling blocks being written. */
typedef struct seq {
    const folio_node *prev; /* previous block, NULL at the start */
    char prev_bullet;       /* bullet used by prev when a bullet list */
    int tight;              /* inside a tight list item: no blank lines */
    char item;              /* bullet of the item we are in, 0 outside */
    int top;                /* first block of a file without front matter */
} seq;

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static int is_punct(int c)
{
    return c > 0x20 && c < 0x7f && !is_alnum(c);
}

static int is_letter(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(int c)
{
    return c == ' ' || c == '\t';
}

/* Unicode white space as CommonMark's flanking rules see it (Zs). */
static int is_uspace(uint32_t cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* "&name;", "&#123;" or "&#x1F;" after an '&': read as an entity. */
static int entity_like(const char *s)
{
    size_t i = 0, start;
    if (s[0] == '#') {
        int hex = s[1] == 'x' || s[1] == 'X';
        i = start = hex ? 2 : 1;
        while (hex ? (is_alnum(s[i]) && strchr("0123456789abcdefABCDEF", s[i]))
                   : (s[i] >= '0' && s[i] <= '9'))
            i++;
        return i > start && s[i] == ';';
    }
    while (is_alnum(s[i]))
        i++;
    return i > 0 && s[i] == ';';
}

/* A URL, title or info string: a backslash before a backslash that would
 * escape what follows, an entity-like '&' and the bytes in also; control
 * characters (which cannot be written raw) as entities. */
static void put_escaped_attr(md *m, folio_buf *o, const char *s,
                             const char *also)
{
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i], nx = (unsigned char)s[i + 1];
        if ((c == '\\' && (!nx || is_punct(nx) || nx < 0x20 || nx == 0x7f)) ||
            (c == '&' && entity_like(s + i + 1)) || strchr(also, c))
            fu_putc(m->h, o, '\\');
        if (c < 0x20 || c == 0x7f)
            m->h->buf_printf(o, "&#%d;", c);
        else
            fu_putc(m->h, o, (char)c);
    }
}

/* ------------------------------------------------------------- front matter */

/* A YAML double-quoted scalar that reads back as exactly s.  With
 * comment set, '>' is escaped too so "-->" never ends an HTML comment. */
static void yaml_str(md *m, folio_buf *o, const char *s, int comment)
{
    fu_putc(m->h, o, '"');
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = m->h->utf8_next(s + i, len - i, &cp);
        if (cp == '"' || cp == '\\')
            m->h->buf_printf(o, "\\%c", (char)cp);
        else if (cp == '\n')
            fu_puts(m->h, o, "\\n");
        else if (cp == '\t')
            fu_puts(m->h, o, "\\t");
        else if (comment && cp == '>')
            fu_puts(m->h, o, "\\x3E");
        else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            m->h->buf_printf(o, "\\x%02X", (unsigned)cp);
        else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
                 cp == 0xFFFF)
            m->h->buf_printf(o, "\\u%04X", (unsigned)cp);
        else
            fu_put(m->h, o, s + i, n);
        i += n;
    }
    fu_putc(m->h, o, '"');
}

/* A scalar that was plain in the source stays plain when it is safe to
 * write bare: `comments: false`, `count: 3` or `date: 2025-12-03 08:15`
 * keep their YAML type (a quoted "false" would be a true string to
 * Jekyll).  Anything that could read as syntax is quoted. */
static int plain_safe(const char *s)
{
    size_t n = strlen(s);
    if (!n || s[0] == ' ' || s[n - 1] == ' ' ||
        strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || strchr("\"#,[]{}", c) ||
            (c == ':' && (s[i + 1] == ' ' || !s[i + 1])))
            return 0;
    }
    return 1;
}

static void yaml_scalar(md *m, folio_buf *o, const folio_yaml *v, int comment)
{
    if (!v->quoted && plain_safe(v->value) &&
        !(comment && strstr(v->value, "--")))
        fu_puts(m->h, o, v->value);
    else
        yaml_str(m, o, v->value, comment);
}

/* Keys stay bare when nothing in them could mean YAML syntax. */
static void yaml_key(md *m, folio_buf *o, const char *k, int comment)
{
    int bare = (k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') ||
               k[0] == '_';
    for (size_t i = 0; bare && k[i]; i++)
        bare = is_alnum(k[i]) || k[i] == '_' || k[i] == '-';
    if (bare)
        fu_puts(m->h, o, k);
    else
        yaml_str(m, o, k, comment);
}

static int all_scalars(const folio_yaml *y)
{
    for (; y; y = y->next)
        if (y->kind != FOLIO_YAML_SCALAR) return 0;
    return 1;
}

/* The value of an entry or item: scalars and lists of scalars inline,
 * other collections as indented blocks on the next lines. */
static void yaml_entries(md *m, folio_buf *o, const folio_yaml *y, int depth,
                         int comment);

static void yaml_value(md *m, folio_buf *o, const folio_yaml *v, int depth,
                       int comment)
{
    if (v->kind == FOLIO_YAML_SCALAR && !v->quoted && !v->value[0]) {
        fu_putc(m->h, o, '\n'); /* "key:" is null, not "" */
    } else if (v->kind == FOLIO_YAML_SCALAR) {
        fu_putc(m->h, o, ' ');
        yaml_scalar(m, o, v, comment);
        fu_putc(m->h, o, '\n');
    } else if (!v->child) {
        fu_puts(m->h, o, v->kind == FOLIO_YAML_MAP ? " {}\n" : " []\n");
    } else if (v->kind == FOLIO_YAML_SEQ && all_scalars(v->child)) {
        fu_puts(m->h, o, " [");
        for (const folio_yaml *c = v->child; c; c = c->next) {
            yaml_scalar(m, o, c, comment);
            if (c->next) fu_puts(m->h, o, ", ");
        }
        fu_puts(m->h, o, "]\n");
    } else {
        fu_putc(m->h, o, '\n');
        yaml_entries(m, o, v->child, depth + 1, comment);
    }
}

static void yaml_entries(md *m, folio_buf *o, const folio_yaml *y, int depth,
                         int comment)
{
    for (; y; y = y->next) {
        fu_repeat(m->h, o, ' ', 2 * (size_t)depth);
        if (y->key) {
            yaml_key(m, o, y->key, comment);
            fu_putc(m->h, o, ':');
        } else {
            fu_putc(m->h, o, '-');
        }
        yaml_value(m, o, y, depth, comment);
    }
}

/* ------------------------------------------------------------------ inlines */

static void inlines(md *m, folio_buf *o, const folio_node *n,
                    const folio_node *parent, ictx *c);

static int is_break(const folio_node *n)
{
    return n &&
           (n->type == FOLIO_NODE_SOFTBREAK || n->type == FOLIO_NODE_LINEBREAK);
}

static int is_delimited(const folio_node *n)
{
    return n && (n->type == FOLIO_NODE_EMPH || n->type == FOLIO_NODE_STRONG ||
                 n->type == FOLIO_NODE_STRIKETHROUGH);
}

/* Raw HTML that opens an HTML block even inside a paragraph (kinds 1-6
 * of CommonMark). */
static int opens_html_block(const char *s)
{
    static const char *const tags[] = {
        "address",    "article",  "aside",   "base",     "basefont",
        "blockquote", "body",     "caption", "center",   "col",
        "colgroup",   "dd",       "details", "dialog",   "dir",
        "div",        "dl",       "dt",      "fieldset", "figcaption",
        "figure",     "footer",   "form",    "frame",    "frameset",
        "h1",         "h2",       "h3",      "h4",       "h5",
        "h6",         "head",     "header",  "hr",       "html",
        "iframe",     "legend",   "li",      "link",     "main",
        "menu",       "menuitem", "nav",     "noframes", "ol",
        "optgroup",   "option",   "p",       "param",    "section",
        "source",     "summary",  "table",   "tbody",    "td",
        "tfoot",      "th",       "thead",   "title",    "tr",
        "track",      "ul",       "script",  "pre",      "style",
        "textarea"};
    if (s[0] != '<') return 0;
    if (s[1] == '!' || s[1] == '?') return 1;
    const char *t = s + 1 + (s[1] == '/');
    size_t k = 0;
    while (is_alnum(t[k]))
        k++;
    if (!k || !(!t[k] || is_space(t[k]) || t[k] == '>' || t[k] == '/'))
        return 0;
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (strlen(tags[i]) == k && strncasecmp(t, tags[i], k) == 0) return 1;
    return 0;
}

/* Line start in a paragraph: what would open another block.  Returns the
 * bytes of s handled. */
static size_t line_start(md *m, folio_buf *o, const char *s)
{
    char c = s[0];
    if (c >= '0' && c <= '9') { /* "1986. A great year": not a list */
        size_t j = 0;
        while (s[j] >= '0' && s[j] <= '9')
            j++;
        if (j <= 9 && (s[j] == '.' || s[j] == ')') &&
            (!s[j + 1] || is_space(s[j + 1]))) {
            fu_put(m->h, o, s, j);
            fu_putc(m->h, o, '\\');
            fu_putc(m->h, o, s[j]);
            return j + 1;
        }
        return 0;
    }
    if (strchr("-=>#|", c) || (c == '+' && (!s[1] || is_space(s[1]))) ||
        (c == ':' && s[1] == '-')) {
        fu_putc(m->h, o, '\\');
        fu_putc(m->h, o, c);
        return 1;
    }
    return 0;
}

/* Text, escaped so it reads back as itself and as nothing else: the
 * characters that open inlines always, the ones that start blocks at a
 * line start, spaces where the parser would strip them (as entities), and
 * bare URLs that the autolink extension would turn into links. */
static void text(md *m, folio_buf *o, const folio_node *n,
                 const folio_node *prev, const folio_node *parent, ictx *c)
{
    const char *s = n->text;
    size_t len = n->len;
    int in_link = parent && (parent->type == FOLIO_NODE_LINK ||
                             parent->type == FOLIO_NODE_IMAGE);
    int edge = is_delimited(parent);
    int ends_line = n->next ? is_break(n->next) : !in_link;
    size_t last = len; /* where the last character starts */
    while (last > 0 && ((unsigned char)s[last - 1] & 0xC0) == 0x80)
        last--;
    if (last) last--;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        char pv = i ? s[i - 1] : 0, nx = s[i + 1];
        if (c->bare && ch && strchr("?!.,:*_~)", ch)) {
            fu_putc(m->h, o, (char)ch); /* as the bare link had it */
            continue;
        }
        c->bare = 0;
        if (ch >= 0x80 && edge &&
            ((i == 0 && !prev) || (i == last && !n->next))) {
            /* a no-break space beside a delimiter would stop it */
            uint32_t cp;
            size_t k = m->h->utf8_next(s + i, len - i, &cp);
            if (is_uspace(cp)) {
                m->h->buf_printf(o, "&#x%X;", (unsigned)cp);
                i += k - 1;
                continue;
            }
        }
        if (is_space(ch) &&
            ((i == 0 && (c->bol || (edge && !prev))) ||
             (i + 1 == len && (ends_line || (edge && !n->next))))) {
            fu_puts(m->h, o, ch == ' ' ? "&#32;" : "&#9;");
            continue;
        }
        if (i == 0 && c->bol && !c->noblock) {
            size_t k = line_start(m, o, s);
            if (k) {
                i += k - 1;
                continue;
            }
        }
        if (i == 0 && prev && prev->type == FOLIO_NODE_FOOTNOTE_REF &&
            (ch == '(' || ch == ':')) { /* "[^1](x)" would be a link */
            fu_putc(m->h, o, '\\');
            fu_putc(m->h, o, (char)ch);
            continue;
        }
        int esc = 0;
        switch (ch) {
        case '*':
        case '`':
        case '[':
        case '$': /* math could open */
            esc = 1;
            break;
        case '~': /* only "~~" strikes through */
            esc = nx == '~' || pv == '~' || i == 0 || i + 1 == len;
            break;
        case '{': /* Liquid or a kramdown attribute list could open */
            esc = !m->raw && (nx == '%' || nx == '{' || nx == ':');
            break;
        case ']': /* only a link's text has an opener it could close */
            esc = c->link;
            break;
        case '\\': /* the next byte may be written as an escape or entity */
            esc = !(is_alnum(nx) || (unsigned char)nx >= 0x80);
            break;
        case '_': /* inside a word it is inert */
            esc = !(is_alnum(pv) && is_alnum(nx));
            break;
        case '<': /* a tag, or an autolink or address up to a '>' */
            esc = is_letter(nx) || (nx && strchr("/!?", nx)) ||
                  (nx && !is_space(nx) && strchr(s + i, '>'));
            break;
        case '&': /* "\&" is no escape to kramdown: an entity is */
            if (entity_like(s + i + 1)) {
                fu_puts(m->h, o, "&amp;");
                continue;
            }
            break;
        case '!':
            esc = i + 1 == len && n->next &&
                  (n->next->type == FOLIO_NODE_LINK ||
                   n->next->type == FOLIO_NODE_FOOTNOTE_REF);
            break;
        case '#':
            esc = c->heading && i + 1 == len && !n->next;
            break;
        case '\n':
            fu_puts(m->h, o, "&#10;");
            continue;
        case '\r':
            fu_puts(m->h, o, "&#13;");
            continue;
        case ':': /* "http://..." would become a link */
            esc = !c->link && nx == '/' && s[i + 2] == '/' &&
                  ((i >= 4 && strncmp(s + i - 4, "http", 4) == 0) ||
                   (i >= 5 && strncmp(s + i - 5, "https", 5) == 0) ||
                   (i >= 3 && strncmp(s + i - 3, "ftp", 3) == 0));
            break;
        case 'w': /* so would "www." */
            if (!c->link && strncmp(s + i, "www.", 4) == 0 &&
                (i == 0 || strchr(" \t*_~(", pv))) {
                fu_puts(m->h, o, "www\\.");
                i += 3;
                continue;
            }
            break;
        default:
            break;
        }
        if (esc) fu_putc(m->h, o, '\\');
        fu_putc(m->h, o, (char)ch);
    }
    if (len) c->bol = 0;
}

/* A code span: a backtick string that does not occur inside, and a space
 * at each end when the code itself would lose or merge one. */
static void code_span(md *m, folio_buf *o, const char *s, size_t len)
{
    size_t fence = 1;
    for (;;) {
        int found = 0;
        for (size_t i = 0; i < len && !found;) {
            size_t j = i;
            while (j < len && s[j] == '`')
                j++;
            found = j - i == fence;
            i = j > i ? j : i + 1;
        }
        if (!found) break;
        fence++;
    }
    int spaces = 1;
    for (size_t i = 0; i < len; i++)
        spaces &= s[i] == ' ';
    int pad = len && !spaces &&
              (s[0] == '`' || s[len - 1] == '`' ||
               (s[0] == ' ' && s[len - 1] == ' '));
    fu_repeat(m->h, o, '`', fence);
    if (pad) fu_putc(m->h, o, ' ');
    fu_put(m->h, o, s, len);
    if (pad) fu_putc(m->h, o, ' ');
    fu_repeat(m->h, o, '`', fence);
}

/* <scheme:...> or <user@host> reads back as this very link. */
static int autolinkable(const folio_node *n)
{
    const folio_node *t = n->child;
    const char *u = n->u.link.url;
    if (n->type != FOLIO_NODE_LINK || n->u.link.title[0] || !t || t->next ||
        t->type != FOLIO_NODE_TEXT)
        return 0;
    if (strcmp(t->text, u) == 0) {
        size_t i = 0;
        if (!is_letter(u[0])) return 0;
        while (is_alnum(u[i]) || u[i] == '+' || u[i] == '.' || u[i] == '-')
            i++;
        if (i < 2 || i > 32 || u[i] != ':') return 0;
        for (; u[i]; i++)
            if ((unsigned char)u[i] <= 0x20 || u[i] == '<' || u[i] == '>' ||
                u[i] == 0x7f || (u[i] == '&' && entity_like(u + i + 1)))
                return 0;
        return 1;
    }
    if (strncmp(u, "mailto:", 7) != 0 || strcmp(u + 7, t->text) != 0) return 0;
    const char *at = strchr(t->text, '@');
    if (!at || at == t->text || !at[1]) return 0;
    for (const char *p = t->text; p < at; p++)
        if (!is_alnum(*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p)) return 0;
    for (const char *p = at + 1; *p; p++) {
        int label_edge = p == at + 1 || p[-1] == '.' || !p[1] || p[1] == '.';
        if (*p == '.' ? label_edge
                      : !(is_alnum(*p) || (*p == '-' && !label_edge)))
            return 0;
    }
    return 1;
}

/* A link the autolink extension finds in bare text: http(s)/ftp URLs and
 * e-mail addresses. */
static int bare_autolink(const folio_node *n)
{
    const folio_node *t = n ? n->child : NULL;
    if (!t || n->type != FOLIO_NODE_LINK || t->next ||
        t->type != FOLIO_NODE_TEXT || n->u.link.title[0])
        return 0;
    const char *u = n->u.link.url;
    if (strcmp(t->text, u) == 0) {
        const char *h = strstr(u, "://");
        if (!h ||
            !(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0 ||
              strncmp(u, "ftp://", 6) == 0))
            return 0;
        h += 3; /* a host it accepts: no underscore */
        size_t k = 0;
        while (is_alnum(h[k]) || h[k] == '-' || h[k] == '.' ||
               (unsigned char)h[k] >= 0x80)
            k++;
        return k > 0 && h[k] != '_';
    }
    if (strncmp(u, "mailto:", 7) != 0 || strcmp(u + 7, t->text) != 0) return 0;
    for (const char *p = t->text; *p; p++)
        if (!is_alnum(*p) && !strchr("._+-@", *p)) return 0;
    return 1;
}

/* "www.x.org" found bare: its link is http://www.x.org. */
static int bare_www(const folio_node *n)
{
    const folio_node *t = n->child;
    return t && !t->next && t->type == FOLIO_NODE_TEXT &&
           strncmp(t->text, "www.", 4) == 0 &&
           strncmp(n->u.link.url, "http://", 7) == 0 &&
           strcmp(n->u.link.url + 7, t->text) == 0;
}

static int empty_text(const folio_node *n)
{
    return n && n->type == FOLIO_NODE_TEXT && !n->len;
}

/* The autolink extension leaves an empty text beside a bare URL or
 * address it found at either end of a text: before it when it starts the
 * text, else after it when it ends the text.  Two bare links never touch:
 * an empty text between two links is the second's, unless the first was
 * written bare (after_bare). */
static int was_bare(const folio_node *n, const folio_node *prev, int after_bare)
{
    return bare_autolink(n) &&
           ((empty_text(prev) && !after_bare) ||
            (prev && prev->type == FOLIO_NODE_TEXT && empty_text(n->next) &&
             !bare_autolink(n->next->next)));
}

/* A link destination: bare when it can be, else in <...>. */
/* A Jekyll Liquid destination ({{ '/x.png' | relative_url }}) exactly as
 * written: Jekyll expands it before Markdown, so it needs no <...>. */
static int liquid_dest(const char *u)
{
    size_t n = strlen(u);
    if (n < 4 || u[0] != '{' || (u[1] != '{' && u[1] != '%')) return 0;
    for (const char *p = u; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == ')' || *p == '(') return 0;
    return 1;
}

static void destination(md *m, folio_buf *o, const char *u)
{
    if (liquid_dest(u)) {
        fu_puts(m->h, o, u);
        return;
    }
    int pointy = u[0] == '<', depth = 0;
    for (const char *p = u; *p && !pointy; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>')
            pointy = 1;
        else if (ch == '\\' && p[1]) /* an escaped paren is no paren */
            p++;
        else if (ch == '(')
            depth++;
        else if (ch == ')' && --depth < 0)
            pointy = 1;
    }
    if (depth) pointy = 1;
    if (pointy) {
        fu_putc(m->h, o, '<');
        put_escaped_attr(m, o, u, "<>");
        fu_putc(m->h, o, '>');
    } else {
        put_escaped_attr(m, o, u, "");
    }
}

static void link(md *m, folio_buf *o, const folio_node *n, ictx *c)
{
    if (autolinkable(n)) {
        fu_putc(m->h, o, '<');
        fu_puts(m->h, o, n->child->text);
        fu_putc(m->h, o, '>');
        return;
    }
    if (n->type == FOLIO_NODE_IMAGE) fu_putc(m->h, o, '!');
    fu_putc(m->h, o, '[');
    ictx in = *c;
    in.bol = 0;
    in.link = 1;
    in.close = ']';
    inlines(m, o, n->child, n, &in);
    fu_puts(m->h, o, "](");
    /* a target with Liquid the core resolved: as written (the site's
     * baseurl is the blog's to add) */
    destination(
        m, o, n->type == FOLIO_NODE_LINK && n->text ? n->text : n->u.link.url);
    if (n->u.link.title[0]) {
        fu_puts(m->h, o, " \"");
        put_escaped_attr(m, o, n->u.link.title, "\"");
        fu_putc(m->h, o, '"');
    }
    fu_putc(m->h, o, ')');
}

/* Footnotes by their label as written when it reads back as itself
 * (kramdown names its anchors after it), else by number: numbers in
 * reference order read back as themselves. */
static void footnote_label(md *m, folio_buf *o, int number)
{
    const char *label = NULL;
    for (const folio_node *d = m->notes; d && !label; d = d->next)
        if (d->type == FOLIO_NODE_FOOTNOTE_DEF &&
            d->u.footnote.number == number)
            label = d->u.footnote.label;
    int plain = label && label[0] && strlen(label) < 64;
    for (const char *p = label; plain && *p; p++)
        plain = is_alnum(*p) || *p == '-' || *p == '_';
    fu_puts(m->h, o, "[^");
    if (m->book) m->h->buf_printf(o, "%zu-", m->day);
    if (plain) {
        fu_puts(m->h, o, label);
        fu_putc(m->h, o, ']');
    } else {
        m->h->buf_printf(o, "%d]", number);
    }
}

/* The ": " the core keeps of a kramdown definition line. */
static int def_mark(const folio_node *n)
{
    return n && n->type == FOLIO_NODE_MARKUP && n->text[0] == ':';
}

/* The first byte written for n (a space for a line end or the end). */
static char first_byte(const folio_node *n, const ictx *c)
{
    while (empty_text(n))
        n = n->next;
    if (!n) return c->close ? c->close : ' ';
    switch (n->type) {
    case FOLIO_NODE_TEXT:
        return n->text[0];
    case FOLIO_NODE_CODE:
        return '`';
    case FOLIO_NODE_HTML_INLINE:
        return '<';
    case FOLIO_NODE_MATH:
    case FOLIO_NODE_MARKUP:
        return n->text[0] ? n->text[0] : ' ';
    case FOLIO_NODE_STRIKETHROUGH:
        return '~';
    case FOLIO_NODE_IMAGE:
        return '!';
    case FOLIO_NODE_SOFTBREAK:
    case FOLIO_NODE_LINEBREAK:
        return ' ';
    default: /* emphasis, links, footnotes: '*', '_', '[' or '<' */
        return '*';
    }
}

/* Delimiters for emphasis: "*" and "**", but "_" and "__" where a star
 * would join the stars beside it into another run ("**a**" is not
 * emph(emph(a)), "*a**b*" is not two emphases) and an underscore can
 * open and close there (it cannot inside a word). */
static const char *emph_mark(const folio_buf *o, const folio_node *n,
                             const folio_node *parent, const ictx *c)
{
    int strong = n->type == FOLIO_NODE_STRONG;
    char last = o->len ? o->data[o->len - 1] : ' ';
    int escaped = o->len >= 2 && o->data[o->len - 2] == '\\';
    int want = last == '*' && !escaped && !c->bol;
    const folio_node *end = n->child;
    while (end && end->next)
        end = end->next;
    if (is_delimited(n->child) || is_delimited(end))
        want = 1; /* rather the outer one than the inner */
    if (!strong && c->close == '*' && is_delimited(parent) &&
        (parent->child == n || !n->next))
        want = 1;
    char next = first_byte(n->next, c);
    unsigned char in = (unsigned char)first_byte(n->child, c);
    if (c->close == '*' && is_punct(last) && is_punct(in))
        want = 1; /* a star there could close the outer emphasis */
    int before = c->bol || last == '\n' || is_space(last) ||
                 (is_punct(last) && last != '_');
    int after = is_space(next) || (is_punct(next) && next != '_');
    if (want && before && after && in != '_' && !is_space(in))
        return strong ? "__" : "_";
    return strong ? "**" : "*";
}

static void inlines(md *m, folio_buf *o, const folio_node *n,
                    const folio_node *parent, ictx *c)
{
    const folio_node *bare = NULL; /* the last link written bare */
    for (const folio_node *prev = NULL; n; prev = n, n = n->next) {
        const char *mark = NULL;
        switch (n->type) {
        case FOLIO_NODE_TEXT:
            /* An empty text before a line end is what stripping the
             * spaces of " \n" left: write such a space back. */
            if (!n->len && n->next && n->next->type == FOLIO_NODE_SOFTBREAK &&
                !c->noblock)
                fu_putc(m->h, o, ' ');
            text(m, o, n, prev, parent, c);
            continue;
        case FOLIO_NODE_SOFTBREAK:
            fu_puts(m->h, o, c->noblock ? " " : "\n");
            c->bol = !c->noblock;
            c->bare = 0;
            continue;
        case FOLIO_NODE_LINEBREAK:
            fu_puts(m->h, o,
                    c->noblock          ? " "
                    : def_mark(n->next) ? "\n" /* before ": definition" */
                    : empty_text(prev)  ? "  \n"
                                        : "\\\n");
            c->bol = !c->noblock;
            c->bare = 0;
            continue;
        case FOLIO_NODE_CODE:
            code_span(m, o, n->text, n->len);
            break;
        case FOLIO_NODE_HTML_INLINE:
            /* At the start of a continuation line it could open an HTML
             * block: indented, it stays in the paragraph. */
            if (c->bol && prev && opens_html_block(n->text))
                fu_puts(m->h, o, "    ");
            fu_put(m->h, o, n->text, n->len);
            break;
        case FOLIO_NODE_MARKUP: /* blog-engine markup: as written */
            if (strncmp(n->text, "{%", 2) == 0)
                m->raw = strstr(n->text, "endraw") ? 0
                         : strstr(n->text, " raw") ? 1
                                                   : m->raw;
            fu_put(m->h, o, n->text, n->len);
            break;
        case FOLIO_NODE_MATH: /* TeX as written */
            fu_put(m->h, o, n->text, n->len);
            break;
        case FOLIO_NODE_EMPH:
        case FOLIO_NODE_STRONG:
            mark = emph_mark(o, n, parent, c);
            break;
        case FOLIO_NODE_STRIKETHROUGH:
            mark = "~~";
            break;
        case FOLIO_NODE_LINK:
        case FOLIO_NODE_IMAGE:
            /* Write a bare link bare again, or the IR would lose the
             * empty text that marks it. */
            if (was_bare(n, prev, bare && bare->next == prev) ||
                (n->u.link.autolink == 2 && (bare_autolink(n) || bare_www(n)) &&
                 !c->link &&
                 !(bare && bare->next == prev && empty_text(prev)))) {
                bare = n;
                fu_puts(m->h, o, n->child->text);
                c->bare = 1; /* the punctuation it left out follows */
                c->bol = 0;
                continue;
            }
            link(m, o, n, c);
            break;
        case FOLIO_NODE_FOOTNOTE_REF:
            footnote_label(m, o, n->u.footnote.number);
            break;
        default: /* a block where inlines belong: keep its text */
            inlines(m, o, n->child, n, c);
            break;
        }
        c->bare = 0;
        if (mark) {
            char close = c->close;
            fu_puts(m->h, o, mark);
            c->bol = 0;
            c->close = mark[0];
            inlines(m, o, n->child, n, c);
            c->close = close;
            fu_puts(m->h, o, mark);
        }
        c->bol = 0;
    }
}

/* ------------------------------------------------------------------- blocks */

static void block(md *m, folio_buf *o, const folio_node *n, seq *s);

static void blocks(md *m, folio_buf *o, const folio_node *n, seq *s)
{
    for (; n; n = n->next)
        block(m, o, n, s);
}

static void paragraph(md *m, folio_buf *o, const folio_node *n, int noblock)
{
    ictx c = {.bol = 1, .noblock = noblock};
    const folio_node *k = n->child;
    for (const folio_node *d = k; d && !noblock; d = d->next)
        if (def_mark(d)) { /* a definition list: its terms as written */
            for (; k != d; k = k->next)
                if (k->type == FOLIO_NODE_STRONG) {
                    c.bol = 1;
                    inlines(m, o, k->child, k, &c);
                } else if (k->type == FOLIO_NODE_LINEBREAK) {
                    fu_putc(m->h, o, '\n');
                }
            c.bol = 1;
            break;
        }
    inlines(m, o, k, n, &c);
    fu_putc(m->h, o, '\n');
}

static int has_break(const folio_node *n)
{
    for (; n; n = n->next)
        if (is_break(n) || has_break(n->child)) return 1;
    return 0;
}

static void heading(md *m, folio_buf *o, const folio_node *n)
{
    int level = n->u.heading.level + m->shift;
    if (level > 6) level = 6;
    if (level <= 2 && has_break(n->child)) { /* only setext holds lines */
        paragraph(m, o, n, 0);
        fu_puts(m->h, o, level == 1 ? "===\n" : "---\n");
        return;
    }
    fu_repeat(m->h, o, '#', (size_t)level);
    if (n->child) {
        fu_putc(m->h, o, ' ');
        ictx c = {.bol = 1, .noblock = 1, .heading = 1};
        inlines(m, o, n->child, n, &c);
    }
    fu_putc(m->h, o, '\n');
}

static size_t longest_run(const char *s, size_t len, char ch)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] == ch ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

static void code_block(md *m, folio_buf *o, const folio_node *n)
{
    const char *info = n->u.code.info ? n->u.code.info : "";
    char ch = strchr(info, '`') ? '~' : '`';
    size_t fence = longest_run(n->text, n->len, ch) + 1;
    if (fence < 3) fence = 3;
    fu_repeat(m->h, o, ch, fence);
    put_escaped_attr(m, o, info, "");
    fu_putc(m->h, o, '\n');
    fu_put(m->h, o, n->text, n->len);
    if (n->len && n->text[n->len - 1] != '\n') fu_putc(m->h, o, '\n');
    fu_repeat(m->h, o, ch, fence);
    fu_putc(m->h, o, '\n');
}

/* A table cell: inlines with every '|' escaped, even in code. */
static void cell(md *m, folio_buf *o, const folio_node *n)
{
    folio_buf tmp = {0};
    ictx c = {.bol = 1, .noblock = 1};
    if (n) inlines(m, &tmp, n->child, n, &c);
    for (size_t i = 0; i < tmp.len; i++) {
        if (tmp.data[i] == '|') fu_putc(m->h, o, '\\');
        fu_putc(m->h, o, tmp.data[i]);
    }
    m->h->buf_free(&tmp);
}

static void table(md *m, folio_buf *o, const folio_node *t)
{
    size_t nc = t->u.table.ncols > 0 ? (size_t)t->u.table.ncols : 1, nr = 0;
    for (const folio_node *r = t->child; r; r = r->next)
        nr++;
    folio_buf *cells = calloc(nr * nc, sizeof *cells);
    size_t *width = calloc(nc, sizeof *width);
    if (!cells || !width) {
        free(cells);
        free(width);
        abort(); /* as the host's buffers do when memory runs out */
    }
    size_t ri = 0;
    for (const folio_node *r = t->child; r; r = r->next, ri++) {
        const folio_node *cn = r->child;
        for (size_t k = 0; k < nc; k++) {
            folio_buf *b = &cells[ri * nc + k];
            cell(m, b, cn);
            size_t w = m->h->str_width(b->data ? b->data : "", b->len);
            if (w > width[k]) width[k] = w;
            if (cn) cn = cn->next;
        }
    }
    for (size_t k = 0; k < nc; k++)
        if (width[k] < 3) width[k] = 3;
    ri = 0;
    for (const folio_node *r = t->child; r; r = r->next, ri++) {
        for (size_t k = 0; k < nc; k++) {
            folio_buf *b = &cells[ri * nc + k];
            size_t pad =
                width[k] - m->h->str_width(b->data ? b->data : "", b->len);
            folio_align al = (int)k < t->u.table.ncols ? t->u.table.align[k]
                                                       : FOLIO_ALIGN_NONE;
            size_t left = al == FOLIO_ALIGN_RIGHT    ? pad
                          : al == FOLIO_ALIGN_CENTER ? pad / 2
                                                     : 0;
            fu_puts(m->h, o, "| ");
            fu_repeat(m->h, o, ' ', left);
            fu_put(m->h, o, b->data ? b->data : "", b->len);
            fu_repeat(m->h, o, ' ', pad - left);
            fu_putc(m->h, o, ' ');
        }
        fu_puts(m->h, o, "|\n");
        if (ri == 0) { /* the delimiter row follows the header */
            for (size_t k = 0; k < nc; k++) {
                folio_align al = (int)k < t->u.table.ncols ? t->u.table.align[k]
                                                           : FOLIO_ALIGN_NONE;
                fu_puts(m->h, o, "| ");
                fu_putc(m->h, o,
                        al == FOLIO_ALIGN_LEFT || al == FOLIO_ALIGN_CENTER
                            ? ':'
                            : '-');
                fu_repeat(m->h, o, '-', width[k] - 2);
                fu_putc(m->h, o,
                        al == FOLIO_ALIGN_RIGHT || al == FOLIO_ALIGN_CENTER
                            ? ':'
                            : '-');
                fu_putc(m->h, o, ' ');
            }
            fu_puts(m->h, o, "|\n");
        }
    }
    for (size_t i = 0; i < nr * nc; i++)
        m->h->buf_free(&cells[i]);
    free(cells);
    free(width);
}

static void list(md *m, folio_buf *o, const folio_node *n, char bullet)
{
    int number = n->u.list.start;
    for (const folio_node *it = n->child; it; it = it->next) {
        char marker[32];
        if (n->u.list.ordered)
            snprintf(marker, sizeof marker, "%d%c ", number,
                     n->u.list.delim == ')' ? ')' : '.');
        else
            snprintf(marker, sizeof marker, "%c ", bullet);
        if (number < 999999999) /* past nine digits it is no marker */
            number++;
        char first[40], rest[40];
        size_t w = strlen(marker);
        memset(rest, ' ', w);
        rest[w] = 0;
        snprintf(first, sizeof first, "%s%s", marker,
                 !it->u.item.task     ? ""
                 : it->u.item.checked ? "[x] "
                                      : "[ ] ");
        folio_buf in = {0};
        seq s = {.tight = n->u.list.tight,
                 .item = n->u.list.ordered ? '1' : bullet};
        blocks(m, &in, it->child, &s);
        if (it != n->child && !n->u.list.tight) fu_putc(m->h, o, '\n');
        if ((it->u.item.task &&
             (!in.len || it->child->type != FOLIO_NODE_PARAGRAPH)) ||
            (in.len && in.data[0] == ' ')) {
            /* "- [ ] " keeps its space and stands alone on its line, and
             * content indented on its own (HTML) starts on the next */
            fu_put(m->h, o, first,
                   it->u.item.task ? strlen(first) : strlen(marker) - 1);
            fu_putc(m->h, o, '\n');
            if (in.len) fu_prefix_lines(m->h, o, in.data, in.len, rest, rest);
        } else {
            fu_prefix_lines(m->h, o, in.data, in.len, first, rest);
        }
        m->h->buf_free(&in);
    }
}

static int same_list_kind(const folio_node *a, const folio_node *b)
{
    return a && a->type == FOLIO_NODE_LIST && b->type == FOLIO_NODE_LIST &&
           a->u.list.ordered == b->u.list.ordered;
}

static void footnote_def(md *m, folio_buf *o, const folio_node *n)
{
    folio_buf in = {0}, first = {0};
    seq s = {0};
    blocks(m, &in, n->child, &s);
    footnote_label(m, &first, n->u.footnote.number);
    fu_puts(m->h, &first, ": ");
    fu_prefix_lines(m->h, o, in.data, in.len, first.data, "    ");
    m->h->buf_free(&in);
    m->h->buf_free(&first);
}

/* Lines a block ends on, counted from its first (0: one line), as far
 * as the IR tells. */
static int extra_lines(const folio_node *n)
{
    int k = 0;
    if (n->type == FOLIO_NODE_CODE_BLOCK || n->type == FOLIO_NODE_MATH ||
        n->type == FOLIO_NODE_MARKUP_BLOCK || n->type == FOLIO_NODE_MARKUP ||
        n->type == FOLIO_NODE_HTML_BLOCK) {
        for (size_t i = 0; i + 1 < n->len; i++)
            k += n->text[i] == '\n';
        if (n->type == FOLIO_NODE_CODE_BLOCK && n->u.code.fenced) k += 2;
        return k;
    }
    if (n->type == FOLIO_NODE_SOFTBREAK || n->type == FOLIO_NODE_LINEBREAK)
        return 1;
    const folio_node *last = n->child;
    if (!last) return 0;
    if (FOLIO_NODE_IS_INLINE(last->type)) {
        for (const folio_node *c = n->child; c; c = c->next)
            k += extra_lines(c);
        return k;
    }
    while (last->next)
        last = last->next;
    return last->line && n->line ? last->line - n->line + extra_lines(last) : 0;
}

/* A kramdown attribute list on the line right after a block belongs to
 * it, a blank line would give it to the next block; <!--more--> right
 * after a paragraph is inside it to kramdown. */
static int highlight_tag(const folio_node *n, const char *name)
{
    if (!n || n->type != FOLIO_NODE_MARKUP_BLOCK || strncmp(n->text, "{%", 2))
        return 0;
    const char *t = n->text + 2 + (n->text[2] == '-');
    while (*t == ' ')
        t++;
    size_t k = strlen(name);
    return strncmp(t, name, k) == 0 && (t[k] == ' ' || t[k] == '%');
}

static int sticks(const folio_node *prev, const folio_node *n)
{
    /* Jekyll's {% highlight %} block: the tags and the code as written */
    if ((highlight_tag(prev, "highlight") &&
         n->type == FOLIO_NODE_CODE_BLOCK) ||
        (prev && prev->type == FOLIO_NODE_CODE_BLOCK &&
         highlight_tag(n, "endhighlight")))
        return 1;
    if (!prev || !prev->line || !n->line) return 0;
    if (n->type == FOLIO_NODE_MARKUP_BLOCK)
        return n->line == prev->line + extra_lines(prev) + 1;
    if (prev->type == FOLIO_NODE_MARKUP_BLOCK && prev->text[0] == '{')
        return n->line == prev->line + extra_lines(prev) + 1;
    return 0;
}

static void block(md *m, folio_buf *o, const folio_node *n, seq *s)
{
    int first = s->prev == NULL;
    if (!first && !s->tight && !sticks(s->prev, n)) fu_putc(m->h, o, '\n');
    if (!first && s->tight && s->prev->type == FOLIO_NODE_BLOCK_QUOTE)
        fu_puts(m->h, o, ">\n"); /* ends the quote, no blank line in the item */
    char bullet = '-';
    int part = 0;
    if (same_list_kind(s->prev, n)) {
        if (!n->u.list.ordered)
            bullet = s->prev_bullet == '-' ? '*' : '-';
        else
            part = s->prev->u.list.delim == n->u.list.delim;
    }
    /* Indented HTML after a list would join its last item. */
    if (s->prev && s->prev->type == FOLIO_NODE_LIST &&
        n->type == FOLIO_NODE_HTML_BLOCK && n->len && n->text[0] == ' ')
        part = 1;
    if (part && !s->tight) /* a link reference definition makes no node */
        fu_puts(m->h, o, "[//]: # (list break)\n\n");
    switch (n->type) {
    case FOLIO_NODE_PARAGRAPH:
        paragraph(m, o, n, 0);
        break;
    case FOLIO_NODE_HEADING:
        heading(m, o, n);
        break;
    case FOLIO_NODE_BLOCK_QUOTE: {
        folio_buf in = {0};
        seq q = {0};
        blocks(m, &in, n->child, &q);
        fu_prefix_lines(m->h, o, in.data, in.len, "> ", "> ");
        m->h->buf_free(&in);
        break;
    }
    case FOLIO_NODE_LIST:
        list(m, o, n, bullet);
        break;
    case FOLIO_NODE_CODE_BLOCK:
        if (highlight_tag(s->prev, "highlight") && n->next &&
            highlight_tag(n->next, "endhighlight"))
            fu_put(m->h, o, n->text, n->len); /* between the Liquid tags */
        else
            code_block(m, o, n);
        break;
    case FOLIO_NODE_HTML_BLOCK:
    case FOLIO_NODE_MARKUP_BLOCK: /* blog-engine markup: as written */
        fu_put(m->h, o, n->text, n->len);
        if (!n->len || n->text[n->len - 1] != '\n') fu_putc(m->h, o, '\n');
        break;
    case FOLIO_NODE_THEMATIC_BREAK:
        /* "- ---" and "* ***" are breaks, not items holding one; a file
         * starting with "---" has front matter. */
        fu_puts(m->h, o,
                (s->item && !(first && s->item == '*')) || s->top ? "***\n"
                                                                  : "---\n");
        break;
    case FOLIO_NODE_TABLE:
        table(m, o, n);
        break;
    case FOLIO_NODE_FOOTNOTE_DEF:
        footnote_def(m, o, n);
        break;
    case FOLIO_NODE_ITEM: /* never outside a list: keep its content */
        blocks(m, o, n->child, s);
        break;
    default: /* an inline where blocks belong */
        paragraph(m, o, n, 0);
        break;
    }
    s->prev = n;
    s->prev_bullet = bullet;
    s->top = 0;
}

/* ------------------------------------------------------------------ digests */

static int same_text(md *m, const folio_node *inl, const char *title)
{
    folio_buf b = {0};
    m->h->plain_text(&b, inl);
    size_t s = 0, e = b.len;
    while (s < e && is_space(b.data[s]))
        s++;
    while (e > s && is_space(b.data[e - 1]))
        e--;
    int same = strlen(title) == e - s && memcmp(b.data + s, title, e - s) == 0;
    m->h->buf_free(&b);
    return same;
}

/* The body of a digest, in document order. */
static void body(md *m, folio_buf *o, const folio_digest *d, int top)
{
    seq s = {.top = top};
    m->notes = d->footnotes;
    for (const folio_node *n = d->preamble; n; n = n->next)
        if (!(m->book && n == d->title_heading &&
              same_text(m, n->child, d->title)))
            block(m, o, n, &s);
    for (size_t i = 0; i < d->npapers; i++) {
        const folio_paper *p = &d->papers[i];
        if (p->heading) /* none when the post is one paper */
            block(m, o, p->heading, &s);
        blocks(m, o, p->body, &s);
        for (size_t k = 0; k < p->nsections; k++) {
            if (p->sections[k].heading) block(m, o, p->sections[k].heading, &s);
            blocks(m, o, p->sections[k].body, &s);
        }
    }
    blocks(m, o, d->footnotes, &s);
}

static void digest(md *m, folio_buf *o, const folio_digest *d)
{
    if (d->meta) {
        fu_puts(m->h, o, "---\n");
        if (d->meta->child)
            yaml_entries(m, o, d->meta->child, 0, 0);
        else
            fu_puts(m->h, o, "{}\n"); /* empty, yet there */
        fu_puts(m->h, o, "---\n");
    }
    folio_buf b = {0};
    body(m, &b, d, !d->meta);
    if (d->meta && b.len) fu_putc(m->h, o, '\n');
    fu_put(m->h, o, b.data ? b.data : "", b.len);
    m->h->buf_free(&b);
}

/* One digest of a book: see the comment at the top. */
static void day(md *m, folio_buf *o, const folio_digest *d, size_t i)
{
    m->book = 1;
    m->shift = 1;
    m->day = i + 1;
    folio_node t = {
        .type = FOLIO_NODE_TEXT, .text = d->title, .len = strlen(d->title)};
    folio_node h = {
        .type = FOLIO_NODE_HEADING, .child = &t, .u.heading.level = 0};
    folio_buf title = {0};
    heading(m, &title, &h);
    if (title.len) title.len--; /* its newline */
    fu_put(m->h, o, title.data, title.len);
    m->h->buf_free(&title);
    if (d->date) { /* the day, unless the title names it already */
        char ymd[11];
        snprintf(ymd, sizeof ymd, "%s", d->date);
        if (!strstr(d->title, ymd)) m->h->buf_printf(o, " (%s)", ymd);
    }
    fu_puts(m->h, o, "\n\n");
    if (d->meta && d->meta->child) {
        fu_puts(m->h, o, "<!-- front matter of ");
        yaml_str(m, o, d->name, 1);
        fu_putc(m->h, o, '\n');
        yaml_entries(m, o, d->meta->child, 0, 1);
        fu_puts(m->h, o, "-->\n\n");
    }
    folio_buf b = {0};
    body(m, &b, d, 0);
    fu_put(m->h, o, b.data ? b.data : "", b.len);
    m->h->buf_free(&b);
}

static int emit(const folio_host *h, folio_job *job, folio_buf *b)
{
    int rc = b->len ? h->write(job, b->data, b->len) : 0;
    h->buf_free(b);
    return rc;
}

static int write_md(const folio_host *h, void *state, folio_job *job,
                    const folio_book *book)
{
    (void)state;
    md m = {.h = h};
    folio_buf o = {0};
    if (book->ndigests == 1) {
        const folio_digest *d = h->digest(job, 0);
        if (!d) return -1;
        digest(&m, &o, d);
        h->release(job, d);
        return emit(h, job, &o);
    }
    fu_puts(h, &o, "---\ntitle: ");
    yaml_str(&m, &o, book->title ? book->title : "", 0);
    if (book->date) {
        fu_puts(h, &o, "\ndate: ");
        yaml_str(&m, &o, book->date, 0);
    }
    fu_puts(h, &o, "\nlang: ");
    yaml_str(&m, &o, book->lang ? book->lang : "en", 0);
    if (book->author) {
        fu_puts(h, &o, "\nauthor: ");
        yaml_str(&m, &o, book->author, 0);
    }
    fu_puts(h, &o, "\n---\n");
    if (emit(h, job, &o)) return -1;
    for (size_t i = 0; i < book->ndigests; i++) {
        const folio_digest *d = h->digest(job, i);
        if (!d) return -1;
        fu_putc(h, &o, '\n');
        day(&m, &o, d, i);
        h->release(job, d);
        if (emit(h, job, &o)) return -1;
    }
    return 0;
}

static const folio_plugin plugin = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_plugin),
    .name = "md",
    .extension = "md",
    .media_type = "text/markdown",
    .summary = "normalised GitHub-flavoured Markdown with front matter",
    .write = write_md,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
