/* folio_math tree -> MathML presentation markup.  MathML Core elements
 * only (what Chromium and EPUB readers render natively): styled letters
 * are written as Mathematical Alphanumeric Symbols rather than
 * mathvariant, which Core keeps only for "normal" on <mi>.  Every node
 * writes exactly one element, so script and fraction arities hold. */
#include "tex.h"

#include <string.h>

/* XML text or attribute value: escaped, characters XML 1.0 forbids
 * replaced by U+FFFD, letters mapped to the variant; with edges, leading
 * and trailing spaces become no-break spaces (mtext collapses them). */
static void esc(folio_buf *o, const char *s, size_t n, int variant, int edges)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = text_utf8_next(s + i, n - i, &cp);
        int edge = i == 0 || i + k == n;
        i += k;
        cp = folio_math_variant_cp(cp, variant);
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
            cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp < 0xE000))
            cp = 0xFFFD;
        switch (cp) {
        case '&':
            buf_puts(o, "&amp;");
            break;
        case '<':
            buf_puts(o, "&lt;");
            break;
        case '>':
            buf_puts(o, "&gt;");
            break;
        case '"':
            buf_puts(o, "&quot;");
            break;
        case ' ':
            if (edges && edge)
                buf_puts(o, "\xC2\xA0");
            else
                buf_putc(o, ' ');
            break;
        default:
            buf_put_cp(o, cp);
        }
    }
}

static void em(folio_buf *o, int mu)
{
    int w = (mu * 1000 + 9) / 18; /* thousandths of an em */
    if (w < 0) w = 0;
    buf_printf(o, "%d.%03dem", w / 1000, w % 1000);
}

static int ncp(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int is_fence(const char *t)
{
    static const char *f[] = {"(", ")", "[", "]", "{", "}", "|",
                              "‖", "⟨", "⟩", "⌊", "⌋", "⌈", "⌉",
                              "/", "⟦", "⟧", "⟮", "⟯", "\\"};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (!strcmp(t, f[i])) return 1;
    return 0;
}

static const folio_math *single(const folio_math *m)
{
    while (m && m->kind == FOLIO_MATH_ROW && m->first && !m->first->next &&
           !(m->flags & (FOLIO_MATH_F_BOXED | FOLIO_MATH_F_PHANTOM)))
        m = m->first;
    return m;
}

/* A function name, alone or with scripts: TeX puts a thin space after it
 * before an ordinary atom. */
static int is_func(const folio_math *m)
{
    m = single(m);
    if (m && m->kind == FOLIO_MATH_SCRIPT) m = single(m->a);
    return m && m->kind == FOLIO_MATH_IDENT && (m->flags & FOLIO_MATH_F_FUNC);
}

static void node(folio_buf *o, const folio_math *m);
static void op(folio_buf *o, const folio_math *m, int unary);

static void children(folio_buf *o, const folio_math *first)
{
    const folio_math *prev = NULL;
    for (const folio_math *c = first; c; prev = c, c = c->next) {
        if (c->kind == FOLIO_MATH_SPACE && c->size <= 0) continue;
        /* n log n: a thin space before an operator name after an atom */
        if (is_func(c) && prev && prev->kind != FOLIO_MATH_SPACE &&
            !(prev->kind == FOLIO_MATH_OP &&
              (prev->flags &
               (FOLIO_MATH_F_OPEN | FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_BIN |
                FOLIO_MATH_F_REL | FOLIO_MATH_F_LARGE))))
            buf_puts(o, "<mspace width=\"0.167em\"/>");
        if (c->kind == FOLIO_MATH_OP && (c->flags & FOLIO_MATH_F_BIN) && prev &&
            prev->kind == FOLIO_MATH_OP &&
            (prev->flags &
             (FOLIO_MATH_F_OPEN | FOLIO_MATH_F_REL | FOLIO_MATH_F_BIN |
              FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_LARGE)))
            op(o, c, 1);
        else
            node(o, c);
        /* TeX: a thin space between an operator name and an ordinary
         * atom, none before a fence or another operator */
        const folio_math *n = c->next;
        if (is_func(c) && n && n->kind != FOLIO_MATH_SPACE &&
            n->kind != FOLIO_MATH_FENCED &&
            !(n->kind == FOLIO_MATH_OP &&
              (n->flags &
               (FOLIO_MATH_F_OPEN | FOLIO_MATH_F_CLOSE | FOLIO_MATH_F_PUNCT |
                FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL | FOLIO_MATH_F_LARGE))))
            buf_puts(o, "<mspace width=\"0.167em\"/>");
    }
}

static void mo(folio_buf *o, const char *attrs, const char *text)
{
    buf_printf(o, "<mo%s>", attrs);
    esc(o, text, strlen(text), 0, 0);
    buf_puts(o, "</mo>");
}

static void op(folio_buf *o, const folio_math *m, int unary)
{
    unsigned f = m->flags;
    buf_puts(o, "<mo");
    /* −x after = is a sign: TeX sets no space, and MathML would take an
     * infix minus for a binary one */
    if (unary) buf_puts(o, " form=\"prefix\"");
    if (f & FOLIO_MATH_F_LARGE) {
        buf_puts(o, " largeop=\"true\"");
        if (f & FOLIO_MATH_F_LIMITS)
            buf_puts(o, " movablelimits=\"false\"");
        else if (f & FOLIO_MATH_F_MOVABLE)
            buf_puts(o, " movablelimits=\"true\"");
    }
    if (m->size > 0) {
        static const char *sz[] = {"1.2em", "1.8em", "2.4em", "3em"};
        const char *s = sz[m->size > 4 ? 3 : m->size - 1];
        buf_printf(o,
                   " minsize=\"%s\" maxsize=\"%s\" stretchy=\"true\""
                   " symmetric=\"true\"",
                   s, s);
    } else if (f & FOLIO_MATH_F_STRETCHY)
        buf_puts(o, " stretchy=\"true\" symmetric=\"true\"");
    else if (is_fence(m->text))
        buf_puts(o, " stretchy=\"false\"");
    if (!(f & (FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL | FOLIO_MATH_F_OPEN |
               FOLIO_MATH_F_CLOSE | FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_LARGE |
               FOLIO_MATH_F_MIDDLE | FOLIO_MATH_F_PRIME)))
        buf_puts(o, " lspace=\"0\" rspace=\"0\""); /* TeX's ordinary atom */
    if (f & FOLIO_MATH_F_OPEN) buf_puts(o, " form=\"prefix\"");
    if (f & FOLIO_MATH_F_CLOSE) buf_puts(o, " form=\"postfix\"");
    buf_putc(o, '>');
    esc(o, m->text, strlen(m->text), 0, 0);
    buf_puts(o, "</mo>");
}

static void ident(folio_buf *o, const folio_math *m)
{
    if (m->flags & FOLIO_MATH_F_MOVABLE) { /* lim, max: limits below */
        buf_puts(o, "<mo movablelimits=\"true\" form=\"prefix\" lspace=\"0\""
                    " rspace=\"0\">");
        esc(o, m->text, strlen(m->text), 0, 0);
        buf_puts(o, "</mo>");
        return;
    }
    int v = m->variant;
    if (v == FOLIO_MATH_V_NORMAL && ncp(m->text) == 1)
        buf_puts(o, "<mi mathvariant=\"normal\">");
    else
        buf_puts(o, "<mi>");
    /* Several letters are upright by default: italic ones are mapped. */
    if (v == FOLIO_MATH_V_DEFAULT && ncp(m->text) > 1 &&
        !(m->flags & FOLIO_MATH_F_FUNC))
        v = FOLIO_MATH_V_ITALIC;
    esc(o, m->text, strlen(m->text), v, 0);
    buf_puts(o, "</mi>");
}

static void cell_style(folio_buf *o, const folio_math *tb, int col)
{
    const char *al = tb->text && *tb->text ? tb->text : "c";
    size_t n = strlen(al);
    char a = tb->size == FOLIO_MATH_ENV_ALIGN
                 ? al[(size_t)col % n]
                 : al[(size_t)col < n ? (size_t)col : n - 1];
    if (a == 'l') buf_puts(o, " columnalign=\"left\"");
    if (a == 'r') buf_puts(o, " columnalign=\"right\"");
    if (tb->size == FOLIO_MATH_ENV_ALIGN) {
        /* align: the relation column meets its left side; pairs apart */
        if (a == 'r')
            buf_printf(o,
                       " style=\"text-align:right;text-align:-webkit-right;"
                       "padding-right:0;%s\"",
                       col ? "padding-left:1.5em" : "padding-left:0");
        else if (a == 'l')
            buf_puts(o, " style=\"text-align:left;text-align:-webkit-left;"
                        "padding-left:0\"");
        else
            buf_puts(o, " style=\"padding-left:0;padding-right:0\"");
    } else if (a == 'l')
        buf_puts(o, " style=\"text-align:left;text-align:-webkit-left\"");
    else if (a == 'r')
        buf_puts(o, " style=\"text-align:right;text-align:-webkit-right\"");
}

static void table(folio_buf *o, const folio_math *m)
{
    const char *open = NULL, *close = NULL;
    size_t olen = 0;
    if (m->text2) {
        const char *tab = strchr(m->text2, '\t');
        open = m->text2;
        olen = tab ? (size_t)(tab - open) : strlen(open);
        close = tab ? tab + 1 : "";
    }
    int fenced = open && (olen || *close);
    if (fenced) buf_puts(o, "<mrow>");
    if (olen) {
        buf_puts(o, "<mo form=\"prefix\" fence=\"true\" stretchy=\"true\""
                    " symmetric=\"true\">");
        esc(o, open, olen, 0, 0);
        buf_puts(o, "</mo>");
    }
    if (m->flags & FOLIO_MATH_F_SMALL)
        buf_puts(o, "<mstyle scriptlevel=\"1\">");
    buf_puts(o, "<mtable");
    if (m->size == FOLIO_MATH_ENV_ALIGN || m->size == FOLIO_MATH_ENV_GATHER)
        buf_puts(o, " displaystyle=\"true\"");
    buf_putc(o, '>');
    for (const folio_math *r = m->first; r; r = r->next) {
        buf_puts(o, "<mtr>");
        int col = 0;
        for (const folio_math *c = r->first; c; c = c->next, col++) {
            buf_puts(o, "<mtd");
            cell_style(o, m, col);
            buf_putc(o, '>');
            node(o, c);
            buf_puts(o, "</mtd>");
        }
        buf_puts(o, "</mtr>");
    }
    buf_puts(o, "</mtable>");
    if (m->flags & FOLIO_MATH_F_SMALL) buf_puts(o, "</mstyle>");
    if (close && *close)
        mo(o,
           " form=\"postfix\" fence=\"true\" stretchy=\"true\""
           " symmetric=\"true\"",
           close);
    if (fenced) buf_puts(o, "</mrow>");
}

static void node(folio_buf *o, const folio_math *m)
{
    if (!m) {
        buf_puts(o, "<mrow/>");
        return;
    }
    switch (m->kind) {
    case FOLIO_MATH_ROW:
        if (m->flags & FOLIO_MATH_F_PHANTOM) {
            buf_puts(o, "<mphantom>");
            node(o, m->first);
            buf_puts(o, "</mphantom>");
        } else if (m->flags & FOLIO_MATH_F_BOXED) {
            buf_puts(o, "<mrow style=\"border:1px solid;padding:0.2em\">");
            children(o, m->first);
            buf_puts(o, "</mrow>");
        } else if (m->first && !m->first->next &&
                   !(m->first->kind == FOLIO_MATH_SPACE &&
                     m->first->size <= 0) &&
                   !is_func(m->first))
            node(o, m->first);
        else if (!m->first)
            buf_puts(o, "<mrow/>");
        else {
            buf_puts(o, "<mrow>");
            children(o, m->first);
            buf_puts(o, "</mrow>");
        }
        break;
    case FOLIO_MATH_IDENT:
        ident(o, m);
        break;
    case FOLIO_MATH_NUMBER:
        buf_puts(o, "<mn>");
        esc(o, m->text, strlen(m->text), m->variant, 0);
        buf_puts(o, "</mn>");
        break;
    case FOLIO_MATH_OP:
        op(o, m, 0);
        break;
    case FOLIO_MATH_TEXT:
        if (m->flags & FOLIO_MATH_F_TAG)
            buf_puts(o, "<mrow><mspace width=\"2em\"/>");
        buf_puts(o, "<mtext");
        if (m->variant == FOLIO_MATH_V_BOLD)
            buf_puts(o, " style=\"font-weight:bold\"");
        else if (m->variant == FOLIO_MATH_V_ITALIC)
            buf_puts(o, " style=\"font-style:italic\"");
        else if (m->variant == FOLIO_MATH_V_MONO)
            buf_puts(o, " style=\"font-family:monospace\"");
        else if (m->variant == FOLIO_MATH_V_SANS)
            buf_puts(o, " style=\"font-family:sans-serif\"");
        buf_putc(o, '>');
        esc(o, m->text, strlen(m->text), 0, 1);
        buf_puts(o, "</mtext>");
        if (m->flags & FOLIO_MATH_F_TAG) buf_puts(o, "</mrow>");
        break;
    case FOLIO_MATH_SPACE:
        buf_puts(o, "<mspace width=\"");
        em(o, m->size);
        buf_puts(o, "\"/>");
        break;
    case FOLIO_MATH_SCRIPT: {
        int lim = (m->flags & FOLIO_MATH_F_LIMITS) != 0;
        if (!lim && m->c && m->c->kind == FOLIO_MATH_OP &&
            ((m->c->flags & FOLIO_MATH_F_PRIME) || !strcmp(m->c->text, "′"))) {
            /* f′: a math font's prime is already raised; as a script it
             * would be raised and shrunk twice */
            if (m->b) buf_puts(o, "<msub>");
            buf_puts(o, "<mrow>");
            node(o, m->a);
            mo(o, " lspace=\"0\" rspace=\"0\"", m->c->text);
            buf_puts(o, "</mrow>");
            if (m->b) {
                node(o, m->b);
                buf_puts(o, "</msub>");
            }
            break;
        }
        const char *el = lim ? (m->b && m->c ? "munderover"
                                : m->b       ? "munder"
                                             : "mover")
                             : (m->b && m->c ? "msubsup"
                                : m->b       ? "msub"
                                             : "msup");
        buf_printf(o, "<%s>", el);
        node(o, m->a);
        if (m->b) node(o, m->b);
        if (m->c) node(o, m->c);
        buf_printf(o, "</%s>", el);
        break;
    }
    case FOLIO_MATH_FRAC:
        if (m->size == 1)
            buf_puts(o, "<mstyle displaystyle=\"true\" scriptlevel=\"0\">");
        if (m->size == 2)
            buf_puts(o, "<mstyle displaystyle=\"false\" scriptlevel=\"0\">");
        if (m->text) {
            buf_puts(o, "<mrow>");
            mo(o, " form=\"prefix\" stretchy=\"true\"", m->text);
        }
        buf_puts(o, m->flags & FOLIO_MATH_F_BINOM
                        ? "<mfrac linethickness=\"0\">"
                        : "<mfrac>");
        node(o, m->a);
        node(o, m->b);
        buf_puts(o, "</mfrac>");
        if (m->text) {
            mo(o, " form=\"postfix\" stretchy=\"true\"", m->text2);
            buf_puts(o, "</mrow>");
        }
        if (m->size == 1 || m->size == 2) buf_puts(o, "</mstyle>");
        break;
    case FOLIO_MATH_SQRT:
        if (m->b) {
            buf_puts(o, "<mroot>");
            node(o, m->a);
            node(o, m->b);
            buf_puts(o, "</mroot>");
        } else {
            buf_puts(o, "<msqrt>");
            node(o, m->a);
            buf_puts(o, "</msqrt>");
        }
        break;
    case FOLIO_MATH_ACCENT: {
        int under = (m->flags & FOLIO_MATH_F_UNDER) != 0;
        if ((m->flags & FOLIO_MATH_F_STRETCHY) && !strcmp(m->text, "‾")) {
            /* \overline, \underline: no common math font stretches a
             * bar horizontally in Chromium; a border spans the base */
            buf_printf(o,
                       "<mrow style=\"border-%s:0.06em solid;padding-%s:"
                       "0.1em\">",
                       under ? "bottom" : "top", under ? "bottom" : "top");
            node(o, m->a);
            buf_puts(o, "</mrow>");
            break;
        }
        int brace = (m->flags & FOLIO_MATH_F_LIMITS) != 0;
        if (under)
            buf_printf(o, "<munder accentunder=\"%s\">",
                       brace ? "false" : "true");
        else
            buf_printf(o, "<mover accent=\"%s\">", brace ? "false" : "true");
        node(o, m->a);
        mo(o,
           m->flags & FOLIO_MATH_F_STRETCHY ? " stretchy=\"true\""
                                            : " stretchy=\"false\"",
           m->text);
        buf_puts(o, under ? "</munder>" : "</mover>");
        break;
    }
    case FOLIO_MATH_FENCED:
        buf_puts(o, "<mrow>");
        if (*m->text)
            mo(o,
               " form=\"prefix\" fence=\"true\" stretchy=\"true\""
               " symmetric=\"true\"",
               m->text);
        if (m->a && m->a->kind == FOLIO_MATH_ROW && !m->a->flags)
            children(o, m->a->first);
        else
            node(o, m->a);
        if (*m->text2)
            mo(o,
               " form=\"postfix\" fence=\"true\" stretchy=\"true\""
               " symmetric=\"true\"",
               m->text2);
        buf_puts(o, "</mrow>");
        break;
    case FOLIO_MATH_TABLE:
        table(o, m);
        break;
    case FOLIO_MATH_ERROR:
        buf_puts(o, "<merror><mtext>");
        esc(o, m->text, strlen(m->text), 0, 1);
        buf_puts(o, "</mtext></merror>");
        break;
    case FOLIO_MATH_STYLE:
        buf_puts(o, m->size == 1   ? "<mstyle displaystyle=\"true\" "
                                     "scriptlevel=\"0\">"
                    : m->size == 2 ? "<mstyle displaystyle=\"false\" "
                                     "scriptlevel=\"0\">"
                                   : "<mstyle displaystyle=\"false\" "
                                     "scriptlevel=\"1\">");
        node(o, m->a);
        buf_puts(o, "</mstyle>");
        break;
    default:
        buf_puts(o, "<mrow/>");
    }
}

void mathml_write(folio_buf *out, const folio_tex *t, int display)
{
    buf_printf(out,
               "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" "
               "display=\"%s\"><semantics>",
               display ? "block" : "inline");
    node(out, t->root);
    buf_puts(out, "<annotation encoding=\"application/x-tex\">");
    esc(out, t->src, t->srclen, 0, 0);
    buf_puts(out, "</annotation></semantics></math>");
}
