/* A readable dump of the IR: `folio dump`, and what the parser tests
 * compare against expected files. */
#include "internal.h"

#include <string.h>

static const char *type_name(folio_node_type t)
{
    switch (t) {
    case FOLIO_NODE_PARAGRAPH:
        return "paragraph";
    case FOLIO_NODE_HEADING:
        return "heading";
    case FOLIO_NODE_BLOCK_QUOTE:
        return "block_quote";
    case FOLIO_NODE_LIST:
        return "list";
    case FOLIO_NODE_ITEM:
        return "item";
    case FOLIO_NODE_CODE_BLOCK:
        return "code_block";
    case FOLIO_NODE_HTML_BLOCK:
        return "html_block";
    case FOLIO_NODE_THEMATIC_BREAK:
        return "thematic_break";
    case FOLIO_NODE_TABLE:
        return "table";
    case FOLIO_NODE_TABLE_ROW:
        return "table_row";
    case FOLIO_NODE_TABLE_CELL:
        return "table_cell";
    case FOLIO_NODE_FOOTNOTE_DEF:
        return "footnote_def";
    case FOLIO_NODE_TEXT:
        return "text";
    case FOLIO_NODE_SOFTBREAK:
        return "softbreak";
    case FOLIO_NODE_LINEBREAK:
        return "linebreak";
    case FOLIO_NODE_CODE:
        return "code";
    case FOLIO_NODE_HTML_INLINE:
        return "html_inline";
    case FOLIO_NODE_EMPH:
        return "emph";
    case FOLIO_NODE_STRONG:
        return "strong";
    case FOLIO_NODE_STRIKETHROUGH:
        return "strikethrough";
    case FOLIO_NODE_LINK:
        return "link";
    case FOLIO_NODE_IMAGE:
        return "image";
    case FOLIO_NODE_FOOTNOTE_REF:
        return "footnote_ref";
    case FOLIO_NODE_MARKUP_BLOCK:
        return "markup_block";
    case FOLIO_NODE_MATH:
        return "math";
    case FOLIO_NODE_MARKUP:
        return "markup";
    }
    return "?";
}

static const char *const role_names[] = {
    "other", "introduction", "method", "results", "limitations", "conclusion"};

/* A quoted string with control characters escaped. */
static void quoted(folio_buf *o, const char *s, size_t n)
{
    buf_putc(o, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            buf_printf(o, "\\%c", c);
        else if (c == '\n')
            buf_puts(o, "\\n");
        else if (c < 0x20)
            buf_printf(o, "\\x%02x", c);
        else
            buf_putc(o, (char)c);
    }
    buf_putc(o, '"');
}

static void qs(folio_buf *o, const char *s)
{
    if (s)
        quoted(o, s, strlen(s));
    else
        buf_puts(o, "null");
}

static void indent(folio_buf *o, int d)
{
    for (int i = 0; i < d; i++)
        buf_puts(o, "  ");
}

static void nodes(folio_buf *o, const folio_node *n, int d, int pos)
{
    for (; n; n = n->next) {
        indent(o, d);
        buf_puts(o, type_name(n->type));
        switch (n->type) {
        case FOLIO_NODE_HEADING:
            buf_printf(o, " level=%d", n->u.heading.level);
            break;
        case FOLIO_NODE_LIST:
            if (n->u.list.ordered)
                buf_printf(o, " ordered start=%d delim=%c", n->u.list.start,
                           n->u.list.delim);
            else
                buf_puts(o, " bullet");
            buf_puts(o, n->u.list.tight ? " tight" : " loose");
            break;
        case FOLIO_NODE_MATH:
            if (FOLIO_MATH_DISPLAY(n)) buf_puts(o, " display");
            break;
        case FOLIO_NODE_ITEM:
            if (n->u.item.task)
                buf_puts(o, n->u.item.checked ? " [x]" : " [ ]");
            break;
        case FOLIO_NODE_CODE_BLOCK:
            buf_puts(o, " info=");
            qs(o, n->u.code.info);
            break;
        case FOLIO_NODE_LINK:
        case FOLIO_NODE_IMAGE:
            buf_puts(o, " url=");
            qs(o, n->u.link.url);
            if (n->u.link.title[0]) {
                buf_puts(o, " title=");
                qs(o, n->u.link.title);
            }
            if (n->u.link.autolink) buf_puts(o, " autolink");
            break;
        case FOLIO_NODE_TABLE:
            buf_printf(o, " cols=%d align=", n->u.table.ncols);
            for (int i = 0; i < n->u.table.ncols; i++)
                buf_putc(o, "-lcr"[n->u.table.align[i]]);
            break;
        case FOLIO_NODE_TABLE_ROW:
            if (n->u.row.header) buf_puts(o, " header");
            break;
        case FOLIO_NODE_FOOTNOTE_DEF:
        case FOLIO_NODE_FOOTNOTE_REF:
            buf_printf(o, " %d", n->u.footnote.number);
            break;
        default:
            break;
        }
        if (pos && n->line) buf_printf(o, " @%d:%d", n->line, n->col);
        if (n->text) {
            buf_putc(o, ' ');
            quoted(o, n->text, n->len);
        }
        buf_putc(o, '\n');
        nodes(o, n->child, d + 1, pos);
    }
}

static void yaml(folio_buf *o, const folio_yaml *y, int d)
{
    for (; y; y = y->next) {
        indent(o, d);
        if (y->key) {
            qs(o, y->key);
            buf_puts(o, ": ");
        } else {
            buf_puts(o, "- ");
        }
        if (y->kind == FOLIO_YAML_SCALAR) {
            qs(o, y->value);
            buf_putc(o, '\n');
        } else {
            buf_puts(o, y->kind == FOLIO_YAML_MAP ? "{map}\n" : "[seq]\n");
            yaml(o, y->child, d + 1);
        }
    }
}

static void list(folio_buf *o, const char *name, const char *const *v, size_t n)
{
    buf_printf(o, "%s: [", name);
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(o, ", ");
        qs(o, v[i]);
    }
    buf_puts(o, "]\n");
}

void ir_dump(folio_buf *o, const folio_digest *d, int pos)
{
    buf_puts(o, "digest\n  title: ");
    qs(o, d->title);
    buf_puts(o, "\n  date: ");
    qs(o, d->date);
    buf_printf(o, "\n  lang: %s%s\n", d->lang,
               d->lang_detected ? " (detected)" : "");
    buf_puts(o, "  author: ");
    qs(o, d->author);
    buf_puts(o, "\n  ");
    list(o, "tags", d->tags, d->ntags);
    buf_puts(o, "  ");
    list(o, "categories", d->categories, d->ncategories);
    if (d->meta) {
        buf_puts(o, "  meta:\n");
        yaml(o, d->meta->child, 2);
    }
    static const char *const kinds[] = {"digest", "paper", "article"};
    buf_printf(o, "  kind: %s\n", kinds[d->kind]);
    buf_printf(o, "  paper_level: %d\n", d->paper_level);
    for (size_t k = 0; k < d->nsections; k++) {
        buf_printf(o, "  section %s ", role_names[d->sections[k].role]);
        qs(o, d->sections[k].title);
        if (pos) buf_printf(o, " @%d", d->sections[k].line);
        buf_putc(o, '\n');
    }
    buf_puts(o, "preamble\n");
    nodes(o, d->preamble, 1, pos);
    for (size_t i = 0; i < d->npapers; i++) {
        const folio_paper *p = &d->papers[i];
        buf_printf(o, "paper %d", p->number);
        if (pos) buf_printf(o, " @%d", p->line);
        buf_puts(o, "\n  title: ");
        qs(o, p->title);
        buf_puts(o, "\n  url: ");
        qs(o, p->url);
        buf_puts(o, "\n  arxiv: ");
        qs(o, p->arxiv_id);
        buf_putc(o, '\n');
        for (size_t k = 0; k < p->nlinks; k++) {
            buf_puts(o, "  link ");
            qs(o, p->links[k].label);
            buf_putc(o, ' ');
            qs(o, p->links[k].url);
            buf_putc(o, '\n');
        }
        buf_puts(o, "  heading\n");
        nodes(o, p->heading, 2, pos);
        buf_puts(o, "  body\n");
        nodes(o, p->body, 2, pos);
        for (size_t k = 0; k < p->nsections; k++) {
            const folio_section *s = &p->sections[k];
            buf_printf(o, "  section %s ", role_names[s->role]);
            qs(o, s->title);
            buf_puts(o, s->heading ? "\n" : " (label)\n");
            nodes(o, s->heading, 2, pos);
            buf_puts(o, "    body\n");
            nodes(o, s->body, 3, pos);
        }
    }
    if (d->footnotes) {
        buf_puts(o, "footnotes\n");
        nodes(o, d->footnotes, 1, pos);
    }
}
