/* One digest: read the file, check its bytes, split off the front matter,
 * parse the body with cmark-gfm and copy it into folio's own IR. */
#include "internal.h"
#include "resolve.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Exported by cmark-gfm-extensions without a declaring header. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW,
    CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

/* ---- reading */

static int read_fd(int fd, const char *path, char **data, size_t *len,
                   diags *dg)
{
    folio_buf b = {0};
    char tmp[65536];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            diag_add(dg, FOLIO_ERROR, path, 0, 0, "cannot read: %s",
                     strerror(errno));
            buf_free(&b);
            return -1;
        }
        if (n == 0) break;
        if (b.len + (size_t)n > FOLIO_MAX_FILE_BYTES) {
            diag_add(dg, FOLIO_ERROR, path, 0, 0,
                     "file larger than the limit of %zu MiB",
                     FOLIO_MAX_FILE_BYTES >> 20);
            buf_free(&b);
            return -1;
        }
        buf_put(&b, tmp, (size_t)n);
    }
    *len = b.len;
    *data = buf_detach(&b);
    return 0;
}

int folio_read_input(const char *path, char **data, size_t *len, diags *dg)
{
    if (strcmp(path, "-") == 0) return read_fd(0, "<stdin>", data, len, dg);
    /* O_NONBLOCK: opening a FIFO must not hang; we refuse it below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "cannot open: %s",
                 strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "%s",
                 S_ISDIR(st.st_mode) ? "is a directory, not a digest"
                                     : "not a regular file");
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > FOLIO_MAX_FILE_BYTES) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0,
                 "file of %lld bytes is larger than the limit of %zu MiB",
                 (long long)st.st_size, FOLIO_MAX_FILE_BYTES >> 20);
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    int rc = read_fd(fd, path, data, len, dg);
    close(fd);
    return rc;
}

/* ---- cmark -> IR */

typedef struct builder {
    folio_doc *doc;
    const char *path;
    diags *dg;
    int line_offset;
    int flattened;
    int merge; /* adjacent text nodes to merge */
    int footnotes;
    const char **fn_labels; /* label of footnote n, for the refs */
    int bad_refs;           /* warnings about decoded references */
    const char *src;        /* the body, as in the file */
    size_t srclen, ref_from;
} builder;

static folio_node *new_node(builder *b, folio_node_type t, cmark_node *src)
{
    folio_node *n = arena_alloc(&b->doc->arena, sizeof *n);
    n->type = t;
    if (src) {
        int line = cmark_node_get_start_line(src);
        n->line = line > 0 ? line + b->line_offset : 0;
        n->col = cmark_node_get_start_column(src);
    }
    return n;
}

/* Where the first reference cmark-gfm decoded to a forbidden code point
 * is, from line:col on (cmark-gfm hands text over in merged runs,
 * positioned where a run starts).  Unchanged if none is found. */
static void ref_position(builder *b, int *line, int *col)
{
    const char *s = b->src;
    size_t len = b->srclen, off = 0;
    for (int l = 1; l < *line - b->line_offset; l++) {
        const char *e = off < len ? memchr(s + off, '\n', len - off) : NULL;
        if (!e) return;
        off = (size_t)(e - s) + 1;
    }
    off += *col > 0 ? (size_t)*col - 1 : 0;
    if (off < b->ref_from) off = b->ref_from; /* warnings come in order */
    size_t at = text_find_bad_ref(s, len, off, &b->ref_from);
    if (at == len) return;
    int l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n') {
            l++;
            ls = i + 1;
        }
    *line = l + b->line_offset;
    *col = (int)(at - ls) + 1;
}

/* A string as it enters the IR.  The input was checked when read, but
 * cmark-gfm decodes character references after that: &#x1; gives a
 * control character and &#xFFFE; even a lone 0xFE byte.  The same check
 * again, on what cmark-gfm hands over. */
static char *ir_strn(builder *b, const folio_node *at, const char *s,
                     size_t len, size_t *outlen)
{
    size_t n = 0;
    char *clean = text_sanitize_utf8(s, len, &n, 0, NULL, NULL);
    if (!clean) {
        if (outlen) *outlen = len;
        return arena_strndup(&b->doc->arena, s, len);
    }
    if (b->bad_refs++ < 3) {
        int line = at->line, col = at->col;
        if (b->src) ref_position(b, &line, &col);
        diag_add(b->dg, FOLIO_WARNING, b->path, line, col,
                 "character reference to a code point not allowed in text "
                 "replaced by U+FFFD");
    }
    char *r = arena_strndup(&b->doc->arena, clean, n);
    free(clean);
    if (outlen) *outlen = n;
    return r;
}

static char *ir_str(builder *b, const folio_node *at, const char *s)
{
    return s ? ir_strn(b, at, s, strlen(s), NULL)
             : arena_strdup(&b->doc->arena, "");
}

static void set_text(builder *b, folio_node *n, const char *s)
{
    if (!s) s = "";
    n->text = ir_strn(b, n, s, strlen(s), &n->len);
}

static folio_node_type map_type(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_TABLE) return FOLIO_NODE_TABLE;
    if (t == CMARK_NODE_TABLE_ROW) return FOLIO_NODE_TABLE_ROW;
    if (t == CMARK_NODE_TABLE_CELL) return FOLIO_NODE_TABLE_CELL;
    if (t == CMARK_NODE_STRIKETHROUGH) return FOLIO_NODE_STRIKETHROUGH;
    switch (t) {
    case CMARK_NODE_PARAGRAPH:
        return FOLIO_NODE_PARAGRAPH;
    case CMARK_NODE_HEADING:
        return FOLIO_NODE_HEADING;
    case CMARK_NODE_BLOCK_QUOTE:
        return FOLIO_NODE_BLOCK_QUOTE;
    case CMARK_NODE_LIST:
        return FOLIO_NODE_LIST;
    case CMARK_NODE_ITEM:
        return FOLIO_NODE_ITEM;
    case CMARK_NODE_CODE_BLOCK:
        return FOLIO_NODE_CODE_BLOCK;
    case CMARK_NODE_HTML_BLOCK:
        return FOLIO_NODE_HTML_BLOCK;
    case CMARK_NODE_THEMATIC_BREAK:
        return FOLIO_NODE_THEMATIC_BREAK;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return FOLIO_NODE_FOOTNOTE_DEF;
    case CMARK_NODE_TEXT:
        return FOLIO_NODE_TEXT;
    case CMARK_NODE_SOFTBREAK:
        return FOLIO_NODE_SOFTBREAK;
    case CMARK_NODE_LINEBREAK:
        return FOLIO_NODE_LINEBREAK;
    case CMARK_NODE_CODE:
        return FOLIO_NODE_CODE;
    case CMARK_NODE_HTML_INLINE:
        return FOLIO_NODE_HTML_INLINE;
    case CMARK_NODE_EMPH:
        return FOLIO_NODE_EMPH;
    case CMARK_NODE_STRONG:
        return FOLIO_NODE_STRONG;
    case CMARK_NODE_LINK:
        return FOLIO_NODE_LINK;
    case CMARK_NODE_IMAGE:
        return FOLIO_NODE_IMAGE;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        return FOLIO_NODE_FOOTNOTE_REF;
    default:
        return 0; /* custom or unknown: kept as its children */
    }
}

/* Containers that may be flattened when nesting goes too deep: dropping
 * one keeps all of its content in the parent. */
static int flattenable(folio_node_type t)
{
    switch (t) {
    case FOLIO_NODE_BLOCK_QUOTE:
    case FOLIO_NODE_LIST:
    case FOLIO_NODE_ITEM:
    case FOLIO_NODE_EMPH:
    case FOLIO_NODE_STRONG:
    case FOLIO_NODE_STRIKETHROUGH:
    case FOLIO_NODE_LINK:
    case FOLIO_NODE_IMAGE:
        return 1;
    default:
        return 0;
    }
}

/* ---- images: <img> in raw HTML */

/* Each <img src=...> of a raw HTML node becomes an IMAGE child (src as the
 * destination, alt as its text), so plugins can show the figure; the raw
 * HTML stays as written in text. */
static void html_images(builder *b, folio_node *n)
{
    const char *t = n->text;
    size_t len = n->len, pos = 0, end = 0;
    folio_node *last = NULL;
    char *src = NULL, *alt = NULL;
    while (pos < len && folio_html_img(t + pos, len - pos, &src, &alt, &end)) {
        folio_node *img = arena_alloc(&b->doc->arena, sizeof *img);
        img->type = FOLIO_NODE_IMAGE;
        /* The tag's place: its line and column within the node. */
        size_t toff = pos + (end ? end - 1 : 0);
        while (toff > pos && !(t[toff] == '<' && toff + 1 < len &&
                               (t[toff + 1] | 0x20) == 'i'))
            toff--;
        int line = n->line, col = n->col;
        for (size_t i = 0; i < toff; i++)
            if (t[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        img->line = line;
        img->col = col;
        img->u.link.url = ir_str(b, img, src);
        img->u.link.title = "";
        if (alt && *alt) {
            folio_node *tx = arena_alloc(&b->doc->arena, sizeof *tx);
            tx->type = FOLIO_NODE_TEXT;
            tx->line = line;
            tx->col = col;
            set_text(b, tx, alt);
            img->child = tx;
        }
        if (last)
            last->next = img;
        else
            n->child = img;
        last = img;
        free(src);
        free(alt);
        src = alt = NULL;
        if (!end) break;
        pos += end;
    }
}

/* After kd_post (Liquid in the HTML is back as written): every raw HTML
 * node's <img> tags as IMAGE children.  Nesting is bounded by
 * FOLIO_MAX_DEPTH. */
static void html_images_all(builder *b, const folio_node *n)
{
    for (; n; n = n->next) {
        if ((n->type == FOLIO_NODE_HTML_BLOCK ||
             n->type == FOLIO_NODE_HTML_INLINE) &&
            !n->child && n->len && memchr(n->text, '<', n->len))
            html_images(b, (folio_node *)n);
        else
            html_images_all(b, n->child);
    }
}

static void fill(builder *b, folio_node *n, cmark_node *src)
{
    arena *a = &b->doc->arena;
    switch (n->type) {
    case FOLIO_NODE_HEADING:
        n->u.heading.level = cmark_node_get_heading_level(src);
        break;
    case FOLIO_NODE_LIST:
        n->u.list.ordered = cmark_node_get_list_type(src) == CMARK_ORDERED_LIST;
        n->u.list.start = cmark_node_get_list_start(src);
        n->u.list.tight = cmark_node_get_list_tight(src);
        n->u.list.delim =
            cmark_node_get_list_delim(src) == CMARK_PAREN_DELIM ? ')' : '.';
        n->u.list.bullet = '-';
        break;
    case FOLIO_NODE_ITEM:
        if (strcmp(cmark_node_get_type_string(src), "tasklist") == 0) {
            n->u.item.task = 1;
            n->u.item.checked =
                cmark_gfm_extensions_get_tasklist_item_checked(src);
        }
        break;
    case FOLIO_NODE_CODE_BLOCK: {
        set_text(b, n, cmark_node_get_literal(src));
        const char *info = cmark_node_get_fence_info(src);
        n->u.code.info = ir_str(b, n, info);
        int len, off;
        char ch;
        n->u.code.fenced = cmark_node_get_fenced(src, &len, &off, &ch) != 0;
        break;
    }
    case FOLIO_NODE_TEXT:
    case FOLIO_NODE_CODE:
        set_text(b, n, cmark_node_get_literal(src));
        break;
    case FOLIO_NODE_HTML_BLOCK:
    case FOLIO_NODE_HTML_INLINE: {
        set_text(b, n, cmark_node_get_literal(src));
        break;
    }
    case FOLIO_NODE_LINK:
    case FOLIO_NODE_IMAGE: {
        const char *url = cmark_node_get_url(src);
        const char *title = cmark_node_get_title(src);
        n->u.link.url = ir_str(b, n, url);
        n->u.link.title = ir_str(b, n, title);
        cmark_node *c = cmark_node_first_child(src);
        if (c && !cmark_node_next(c) &&
            cmark_node_get_type(c) == CMARK_NODE_TEXT) {
            const char *t = cmark_node_get_literal(c);
            n->u.link.autolink =
                t && url && n->type == FOLIO_NODE_LINK && !n->u.link.title[0] &&
                (strcmp(t, url) == 0 ||
                 (strncmp(url, "mailto:", 7) == 0 && strcmp(url + 7, t) == 0));
            /* the autolink extension's links (URLs, www., addresses)
             * have no position, or no column */
            if (n->type == FOLIO_NODE_LINK &&
                (cmark_node_get_start_line(src) == 0 ||
                 cmark_node_get_start_column(src) == 0))
                n->u.link.autolink = 2;
        }
        break;
    }
    case FOLIO_NODE_TABLE: {
        int nc = cmark_gfm_extensions_get_table_columns(src);
        uint8_t *al = cmark_gfm_extensions_get_table_alignments(src);
        folio_align *v = arena_alloc(a, sizeof *v * (size_t)(nc > 0 ? nc : 1));
        for (int i = 0; i < nc; i++)
            v[i] = !al            ? FOLIO_ALIGN_NONE
                   : al[i] == 'l' ? FOLIO_ALIGN_LEFT
                   : al[i] == 'c' ? FOLIO_ALIGN_CENTER
                   : al[i] == 'r' ? FOLIO_ALIGN_RIGHT
                                  : FOLIO_ALIGN_NONE;
        n->u.table.ncols = nc;
        n->u.table.align = v;
        break;
    }
    case FOLIO_NODE_TABLE_ROW:
        n->u.row.header = cmark_gfm_extensions_get_table_row_is_header(src);
        break;
    case FOLIO_NODE_FOOTNOTE_DEF:
        n->u.footnote.number = ++b->footnotes;
        n->u.footnote.label = ir_str(b, n, cmark_node_get_literal(src));
        break;
    case FOLIO_NODE_FOOTNOTE_REF: {
        const char *lit = cmark_node_get_literal(src);
        n->u.footnote.label = ir_str(b, n, lit);
        n->u.footnote.number = lit ? atoi(lit) : 0;
        break;
    }
    default:
        break;
    }
}

/* Append child to parent (or to the top-level list), merging adjacent
 * text nodes (cmark splits text at every special character). */
typedef struct frame {
    folio_node *node; /* NULL for the document */
    folio_node *last; /* last child so far */
    cmark_node *src;  /* the cmark node it was made from */
} frame;

static void append(builder *b, frame *f, folio_node *n)
{
    folio_node *last = f->last;
    if (last && last->type == FOLIO_NODE_TEXT && n->type == FOLIO_NODE_TEXT)
        b->merge = 1;
    if (last)
        last->next = n;
    else if (f->node)
        f->node->child = n;
    f->last = n;
}

/* cmark splits text at every special character; join each run of
 * adjacent text nodes into one, copying each run once (linear time). */
static void merge_text(builder *b, folio_node *first)
{
    size_t sp = 0, cap = 64;
    folio_node **stack = malloc(cap * sizeof *stack);
    if (!stack) folio_oom();
    stack[sp++] = first;
    while (sp) {
        for (folio_node *n = stack[--sp]; n; n = (folio_node *)n->next) {
            if (n->child) {
                if (sp == cap) {
                    stack = realloc(stack, (cap *= 2) * sizeof *stack);
                    if (!stack) folio_oom();
                }
                stack[sp++] = (folio_node *)n->child;
            }
            if (n->type != FOLIO_NODE_TEXT || !n->next ||
                n->next->type != FOLIO_NODE_TEXT)
                continue;
            size_t len = 0;
            const folio_node *end = n;
            for (; end && end->type == FOLIO_NODE_TEXT; end = end->next)
                len += end->len;
            char *s = arena_alloc(&b->doc->arena, len + 1), *p = s;
            for (const folio_node *t = n; t != end; t = t->next) {
                memcpy(p, t->text, t->len);
                p += t->len;
            }
            *p = 0;
            n->text = s;
            n->len = len;
            n->next = end;
        }
    }
    free(stack);
}

/* Walk cmark's tree without recursion (10,000 nested quotes must not blow
 * the stack) and copy it.  Containers deeper than FOLIO_MAX_DEPTH are
 * dropped and their children given to the deepest kept ancestor. */
static folio_node *convert(builder *b, cmark_node *root, folio_node **footnotes)
{
    frame stack[FOLIO_MAX_DEPTH + 8];
    int depth = 0;
    folio_node doc = {0}, fndoc = {0};
    stack[0] = (frame){.node = &doc, .src = root};
    frame fn = {.node = &fndoc};

    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cur = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_EXIT) {
            if (depth > 0 && stack[depth].src == cur) depth--;
            continue;
        }
        if (cur == root) continue;
        folio_node_type t = map_type(cur);
        if (!t) continue; /* unknown extension node: its children stay */
        if (flattenable(t) && depth >= FOLIO_MAX_DEPTH - 2) {
            b->flattened = 1;
            continue;
        }
        folio_node *n = new_node(b, t, cur);
        fill(b, n, cur);
        /* Footnote definitions are kept apart (cmark-gfm moves them to the
         * end of the document anyway). */
        append(b,
               t == FOLIO_NODE_FOOTNOTE_DEF && depth == 0 ? &fn : &stack[depth],
               n);
        if (cmark_node_first_child(cur) && t != FOLIO_NODE_TEXT) {
            depth++;
            stack[depth] = (frame){.node = n, .src = cur};
        }
    }
    cmark_iter_free(it);
    if (b->merge) {
        merge_text(b, (folio_node *)doc.child);
        merge_text(b, (folio_node *)fndoc.child);
    }
    *footnotes = (folio_node *)fndoc.child;
    return (folio_node *)doc.child;
}

/* ---- front matter, fallbacks */

static int is_marker(const char *s, size_t n, const char *m)
{
    if (n < 3 || memcmp(s, m, 3) != 0) return 0;
    for (size_t i = 3; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

/* Find the front matter: "---" on the first line up to "---" or "...".
 * Sets fm and fmlen to the YAML and returns the offset of the body, or 0. */
static size_t split_front_matter(const char *s, size_t len, const char **fm,
                                 size_t *fmlen, int *body_line)
{
    const char *eol = memchr(s, '\n', len);
    if (!eol || !is_marker(s, (size_t)(eol - s), "---")) return 0;
    size_t pos = (size_t)(eol - s) + 1;
    int line = 2;
    while (pos < len) {
        const char *e = memchr(s + pos, '\n', len - pos);
        size_t n = e ? (size_t)(e - (s + pos)) : len - pos;
        if (is_marker(s + pos, n, "---") || is_marker(s + pos, n, "...")) {
            *fm = s + (size_t)(eol - s) + 1;
            *fmlen = pos - ((size_t)(eol - s) + 1);
            *body_line = line + 1;
            return e ? pos + n + 1 : len;
        }
        pos += n + 1;
        line++;
    }
    return (size_t)-1; /* opened, never closed */
}

static void bad_bytes(void *ctx, int line, int col, const char *what)
{
    builder *b = ctx;
    diag_add(b->dg, FOLIO_WARNING, b->path, line, col, "%s replaced by U+FFFD",
             what);
}

static const char *base_name(arena *a, const char *path)
{
    if (strcmp(path, "-") == 0) return "stdin";
    size_t n;
    const char *s = file_stem(path, &n);
    /* A file name is bytes, and it may become the title. */
    size_t cn = 0;
    char *clean = text_sanitize_utf8(s, n, &cn, 0, NULL, NULL);
    if (!clean) return arena_strndup(a, s, n);
    char *r = arena_strndup(a, clean, cn);
    free(clean);
    return r;
}

static const char *scalar(const folio_yaml *e)
{
    return e && e->kind == FOLIO_YAML_SCALAR && e->value[0] ? e->value : NULL;
}

/* tags/categories: a list of scalars, or one string split like Jekyll
 * does (on spaces and commas). */
static const char *const *string_list(arena *a, const folio_yaml *e, size_t *n)
{
    *n = 0;
    if (!e) return NULL;
    size_t cap = 0;
    if (e->kind == FOLIO_YAML_SEQ) {
        for (const folio_yaml *c = e->child; c; c = c->next)
            cap++;
    } else if (e->kind == FOLIO_YAML_SCALAR) {
        cap = strlen(e->value) / 2 + 1;
    }
    const char **v = arena_alloc(a, sizeof *v * (cap + 1));
    if (e->kind == FOLIO_YAML_SEQ) {
        for (const folio_yaml *c = e->child; c; c = c->next)
            if (scalar(c)) v[(*n)++] = c->value;
    } else if (e->kind == FOLIO_YAML_SCALAR) {
        const char *s = e->value;
        while (*s) {
            size_t skip = strspn(s, " ,\t");
            s += skip;
            size_t k = strcspn(s, " ,\t");
            if (k) v[(*n)++] = arena_strndup(a, s, k);
            s += k;
        }
    }
    return v;
}

static const char *date_from_name(arena *a, const char *name)
{
    if (strlen(name) < 10) return NULL;
    char d[11];
    memcpy(d, name, 10);
    d[10] = 0;
    if (name[10] && name[10] != '-' && name[10] != '_' && name[10] != '.')
        return NULL;
    return date_normalize(a, d);
}

/* ---- bounding cmark-gfm's work
 *
 * Debian 12's cmark-gfm is not patched for its polynomial-time CVEs
 * (2023-22483..22486, 2023-24824, 2023-37463): a paragraph holding
 * thousands of "<?", "![[]()", "www." or a table row with thousands of
 * cells takes seconds to minutes.  No digest needs that many in one block,
 * so before parsing, a block (a run of non-blank lines outside fenced
 * code) with an abnormal count of one trigger gets that character
 * backslash-escaped: its text is kept, literally, and parsing stays
 * linear.  Bare-URL autolinking is turned off for a document with a block
 * full of "www." or "@". */
#define DEFUSE_MAX_TRIGGERS 2000
#define DEFUSE_MAX_CELLS 200
#define DEFUSE_MAX_AUTOLINKS 500

/* '<' counts only before '?' or '!' (processing instructions, CDATA);
 * emphasis and strikethrough delimiters were measured linear. */
static const char defuse_chars[] = "<[|"; /* the order of counts[] */

static int is_trigger(const char *l, size_t i, size_t n)
{
    if (l[i] == '<') return i + 1 < n && (l[i + 1] == '?' || l[i + 1] == '!');
    return l[i] == '[' || l[i] == '|';
}

typedef struct defused {
    char *text; /* rewritten body, or NULL when nothing changed */
    size_t len;
    int no_autolink;
} defused;

static int is_fence(const char *l, size_t n, char *ch)
{
    size_t i = 0;
    while (i < n && i < 3 && l[i] == ' ')
        i++;
    if (i + 3 > n || (l[i] != '`' && l[i] != '~')) return 0;
    if (l[i + 1] != l[i] || l[i + 2] != l[i]) return 0;
    *ch = l[i];
    return 1;
}

static defused defuse(const char *s, size_t len, int first_line,
                      const char *path, diags *dg)
{
    defused r = {0};
    folio_buf out = {0};
    size_t copied = 0, pos = 0;
    int line = first_line;
    char fence = 0;
    while (pos < len) {
        /* One block: consecutive non-blank lines outside fences. */
        size_t start = pos, counts[sizeof defuse_chars] = {0}, autolinks = 0;
        size_t max_cells = 0;
        int start_line = line;
        while (pos < len) {
            const char *e = memchr(s + pos, '\n', len - pos);
            size_t n = e ? (size_t)(e - (s + pos)) : len - pos;
            const char *l = s + pos;
            size_t k = 0;
            while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r'))
                k++;
            char ch;
            int blank = k == n;
            if (fence) {
                if (is_fence(l, n, &ch) && ch == fence) fence = 0;
            } else if (is_fence(l, n, &ch)) {
                fence = ch;
            } else if (!blank) {
                size_t cells = 0;
                for (size_t i = 0; i < n; i++) {
                    switch (l[i]) {
                    case '<':
                        counts[0] += is_trigger(l, i, n);
                        break;
                    case '[':
                        counts[1]++;
                        break;
                    case '|':
                        counts[2]++;
                        cells++;
                        break;
                    case '@':
                        autolinks++;
                        break;
                    case 'w':
                        autolinks +=
                            i + 4 <= n && memcmp(l + i, "www.", 4) == 0;
                        break;
                    }
                }
                if (cells > max_cells) max_cells = cells;
            }
            pos += n + (e ? 1 : 0);
            line++;
            if (blank || fence) break;
        }
        if (autolinks > DEFUSE_MAX_AUTOLINKS && !r.no_autolink) {
            r.no_autolink = 1;
            diag_add(dg, FOLIO_WARNING, path, start_line, 1,
                     "block with %zu 'www.' or '@': bare URLs are not "
                     "linked in this file, to keep parsing linear",
                     autolinks);
        }
        char escape[sizeof defuse_chars] = {0};
        int any = 0;
        for (size_t c = 0; c + 1 < sizeof defuse_chars; c++) {
            int too_many = defuse_chars[c] == '|'
                               ? max_cells > DEFUSE_MAX_CELLS
                               : counts[c] > DEFUSE_MAX_TRIGGERS;
            if (too_many) {
                escape[c] = 1;
                any = 1;
                diag_add(dg, FOLIO_WARNING, path, start_line, 1,
                         "block with %zu '%c': read as literal text, to "
                         "keep parsing linear",
                         defuse_chars[c] == '|' ? max_cells : counts[c],
                         defuse_chars[c]);
            }
        }
        if (!any) continue;
        buf_put(&out, s + copied, start - copied);
        for (size_t i = start; i < pos; i++) {
            const char *c = strchr(defuse_chars, s[i]);
            if (c && s[i] && escape[c - defuse_chars] &&
                is_trigger(s, i, pos)) {
                size_t bs = 0;
                while (i - bs > start && s[i - bs - 1] == '\\')
                    bs++;
                if (bs % 2 == 0) buf_putc(&out, '\\');
            }
            buf_putc(&out, s[i]);
        }
        copied = pos;
    }
    if (out.data) {
        buf_put(&out, s + copied, len - copied);
        r.len = out.len;
        r.text = buf_detach(&out);
    }
    return r;
}

/* cmark-gfm 0.29 adds its extensions' special characters to a process-wide
 * table before parsing inlines and removes them after, so two parsers in
 * two threads can strip '~' or '@' from each other mid-parse and lose
 * strikethrough or autolinks.  One cmark parse at a time; everything else
 * (reading, the pre-scan, the IR, structure, output) stays parallel. */
static pthread_mutex_t cmark_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;
static void ext_init(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

folio_doc *folio_parse(const char *path, const char *data, size_t len,
                       diags *dg)
{
    folio_doc *doc = calloc(1, sizeof *doc);
    if (!doc) folio_oom();
    arena *a = &doc->arena;
    folio_digest *d = &doc->d;
    builder b = {.doc = doc, .path = path, .dg = dg};
    d->path = arena_strdup(a, path);
    d->name = base_name(a, path);
    d->source_bytes = len;

    /* The encoding, from the byte order mark: UTF-16 is converted, a
     * UTF-8 BOM skipped (columns count from after it). */
    const unsigned char *u = (const unsigned char *)data;
    char *utf16 = NULL;
    if (len >= 4 && (memcmp(data, "\xFF\xFE\0\0", 4) == 0 ||
                     memcmp(data, "\0\0\xFE\xFF", 4) == 0)) {
        diag_add(dg, FOLIO_ERROR, path, 1, 1,
                 "UTF-32 text is not supported: convert the file to UTF-8");
        folio_doc_free(doc);
        return NULL;
    }
    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        utf16 = text_from_utf16(data + 2, len - 2, u[0] == 0xFE, &len);
        data = utf16;
    } else if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t clean_len = len;
    char *clean = text_sanitize_utf8(data, len, &clean_len, 1, bad_bytes, &b);
    const char *s = clean ? clean : data;
    len = clean ? clean_len : len;
    if (len == 0) diag_add(dg, FOLIO_WARNING, path, 0, 0, "empty file");

    const char *fm = NULL;
    size_t fmlen = 0;
    int body_line = 1;
    size_t body = split_front_matter(s, len, &fm, &fmlen, &body_line);
    if (body == (size_t)-1) {
        diag_add(dg, FOLIO_WARNING, path, 1, 1,
                 "front matter opened with '---' is never closed; "
                 "read as Markdown");
        body = 0;
    }
    if (fm && frontmatter_parse(a, fm, fmlen, 2, path, dg, &d->meta) != 0) {
        free(clean);
        free(utf16);
        folio_doc_free(doc);
        return NULL;
    }

    pthread_once(&ext_once, ext_init);
    kd_scan ks;
    const char *md = s + body;
    size_t mdlen = len - body;
    if (kd_prescan(md, mdlen, &ks)) {
        md = ks.text;
        mdlen = ks.len;
    }
    defused safe = defuse(md, mdlen, body_line, path, dg);
    pthread_mutex_lock(&cmark_lock);
    /* Jekyll's kramdown strikes through ~~x~~ only. */
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES |
                                       CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
    static const char *const exts[] = {"table", "strikethrough", "autolink",
                                       "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e && !(safe.no_autolink && strcmp(exts[i], "autolink") == 0))
            cmark_parser_attach_syntax_extension(p, e);
    }
    if (safe.text)
        cmark_parser_feed(p, safe.text, safe.len);
    else
        cmark_parser_feed(p, md, mdlen);
    free(safe.text);
    cmark_node *root = cmark_parser_finish(p);
    pthread_mutex_unlock(&cmark_lock);
    b.line_offset = body_line - 1;
    b.src = s + body;
    b.srclen = len - body;
    folio_node *footnotes = NULL;
    folio_node *blocks = root ? convert(&b, root, &footnotes) : NULL;
    if (root) cmark_node_free(root);
    cmark_parser_free(p);
    kd_post(a, &blocks, &footnotes, &ks);
    kd_report(&ks, s + body, len - body, body_line, path, dg);
    liquid_page(doc, blocks, footnotes, date_from_name(a, d->name), s, len, dg);
    html_images_all(&b, blocks);
    html_images_all(&b, footnotes);
    kd_scan_free(&ks);
    if (b.flattened)
        diag_add(dg, FOLIO_WARNING, path, 0, 0,
                 "nesting deeper than %d levels flattened (content kept)",
                 FOLIO_MAX_DEPTH);
    d->footnotes = footnotes;

    structure_build(doc, blocks, dg);

    /* Metadata and its fallbacks. */
    const folio_yaml *m = d->meta;
    const char *t = scalar(yaml_get(m, "title"));
    if (t)
        d->title = t;
    else if (d->title_heading) {
        folio_buf tb = {0};
        text_plain(&tb, d->title_heading->child);
        d->title = arena_strdup(a, tb.data ? tb.data : "");
        buf_free(&tb);
    }
    if (!d->title || !d->title[0])
        d->title = title_from_name(a, d->path, d->name);
    const folio_yaml *de = yaml_get(m, "date");
    if (scalar(de)) {
        d->date = date_normalize(a, de->value);
        if (!d->date)
            diag_add(dg, FOLIO_WARNING, path, de->line, de->col,
                     "date '%s' is not a valid date", de->value);
    }
    if (!d->date) d->date = date_from_name(a, d->name);
    const char *lang = scalar(yaml_get(m, "lang"));
    if (!lang) lang = scalar(yaml_get(m, "language"));
    if (lang) {
        d->lang = lang;
    } else {
        d->lang = lang_detect(s + body, len - body);
        d->lang_detected = 1;
    }
    d->author = scalar(yaml_get(m, "author"));
    d->tags = string_list(a, yaml_get(m, "tags"), &d->ntags);
    d->categories = string_list(a, yaml_get(m, "categories"), &d->ncategories);
    free(clean);
    free(utf16);
    return doc;
}

void folio_doc_free(folio_doc *doc)
{
    if (!doc) return;
    arena_free(&doc->arena);
    free(doc);
}
