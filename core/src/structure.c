/* The digest layer: which headings are papers, which are sections, what a
 * paper's links are.  Works on the top-level block list and cuts it into
 * the preamble, papers and sections without dropping a block. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MUT(p) ((folio_node *)(p))

static int is_heading(const folio_node *n, int level)
{
    return n && n->type == FOLIO_NODE_HEADING &&
           (level == 0 || n->u.heading.level == level);
}

static char *plain(arena *a, const folio_node *inlines)
{
    folio_buf b = {0};
    text_plain(&b, inlines);
    /* Trim spaces at both ends. */
    size_t s = 0, e = b.len;
    while (s < e && isspace((unsigned char)b.data[s]))
        s++;
    while (e > s && isspace((unsigned char)b.data[e - 1]))
        e--;
    char *r = arena_strndup(a, b.data ? b.data + s : "", e - s);
    buf_free(&b);
    return r;
}

/* "12. Title" / "12) Title": the number, and the bytes it takes. */
static int number_prefix(const char *s, size_t *used)
{
    size_t i = 0;
    while (s[i] == ' ')
        i++;
    size_t d = i;
    int n = 0;
    while (isdigit((unsigned char)s[i]) && i - d < 6)
        n = n * 10 + (s[i++] - '0');
    if (i == d || (s[i] != '.' && s[i] != ')')) return 0;
    i++;
    if (s[i] && s[i] != ' ' && s[i] != '\t') return 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    *used = i;
    return n;
}

static int heading_number(const folio_node *h)
{
    size_t used;
    const folio_node *c = h->child;
    return c && c->type == FOLIO_NODE_TEXT ? number_prefix(c->text, &used) : 0;
}

static int blank_text(const folio_node *n)
{
    if (n->type == FOLIO_NODE_SOFTBREAK || n->type == FOLIO_NODE_LINEBREAK)
        return 1;
    if (n->type != FOLIO_NODE_TEXT) return 0;
    for (size_t i = 0; i < n->len; i++)
        if (!strchr(" \t|,/-\xC2\xB7", n->text[i])) return 0;
    return 1;
}

/* A paragraph made only of links (and separators between them). */
static int link_paragraph(const folio_node *p)
{
    if (!p || p->type != FOLIO_NODE_PARAGRAPH) return 0;
    int links = 0;
    for (const folio_node *c = p->child; c; c = c->next) {
        if (c->type == FOLIO_NODE_LINK)
            links++;
        else if (!blank_text(c))
            return 0;
    }
    return links > 0;
}

static int link_quote(const folio_node *q)
{
    if (!q || q->type != FOLIO_NODE_BLOCK_QUOTE || !q->child) return 0;
    for (const folio_node *c = q->child; c; c = c->next)
        if (!link_paragraph(c)) return 0;
    return 1;
}

/* The blocks whose links paper_parts() gathered into url and links: its
 * links_block, every link paragraph and quote of links in its body. */
int folio_is_links_block(const folio_paper *p, const folio_node *b)
{
    if (!p || !b) return 0;
    if (b == p->links_block) return 1;
    for (const folio_node *c = p->body; c; c = c->next)
        if (c == b) return link_paragraph(b) || link_quote(b);
    return 0;
}

typedef struct linkvec {
    folio_link *v;
    size_t n, cap;
} linkvec;

static void push_link(arena *a, linkvec *lv, const char *label, const char *url)
{
    if (lv->n == lv->cap) {
        size_t cap = lv->cap ? lv->cap * 2 : 4;
        folio_link *v = arena_alloc(a, cap * sizeof *v);
        if (lv->n) memcpy(v, lv->v, lv->n * sizeof *v);
        lv->v = v;
        lv->cap = cap;
    }
    lv->v[lv->n].label = label;
    lv->v[lv->n].url = url;
    lv->n++;
}

static void add_links(arena *a, linkvec *lv, const folio_node *para,
                      const char **primary)
{
    for (const folio_node *c = para->child; c; c = c->next) {
        if (c->type != FOLIO_NODE_LINK) continue;
        if (primary && !*primary) {
            *primary = c->u.link.url;
            continue;
        }
        push_link(a, lv, plain(a, c->child), c->u.link.url);
    }
}

/* A paragraph starting with a bold label: "**Summary:** ..." or
 * "**Summary**: ...".  Returns the label without the colon, or NULL. */
static char *bold_label(arena *a, const folio_node *p)
{
    if (!p || p->type != FOLIO_NODE_PARAGRAPH || !p->child ||
        p->child->type != FOLIO_NODE_STRONG)
        return NULL;
    char *l = plain(a, p->child->child);
    size_t n = strlen(l);
    const folio_node *after = p->child->next;
    static const char *const colons[] = {":", "\xEF\xBC\x9A"}; /* ':' '：' */
    for (int i = 0; i < 2; i++) {
        size_t k = strlen(colons[i]);
        if (n > k && memcmp(l + n - k, colons[i], k) == 0) {
            l[n - k] = 0;
            while (n - k > 0 && l[n - k - 1] == ' ')
                l[--n - k] = 0;
            return l;
        }
        if (n && after && after->type == FOLIO_NODE_TEXT &&
            strncmp(after->text, colons[i], k) == 0)
            return l;
    }
    return NULL;
}

static char *section_title(arena *a, const folio_node *h)
{
    char *t = plain(a, h->child);
    size_t n = strlen(t);
    while (n && (t[n - 1] == ':' || t[n - 1] == ' '))
        t[--n] = 0;
    if (n >= 3 && memcmp(t + n - 3, "\xEF\xBC\x9A", 3) == 0) t[n - 3] = 0;
    return t;
}

/* ---- roles */

/* The names of roles, in every language, are in labels.c. */
static folio_role role_lookup(const char *title);

/* "서론 (Introduction)" and "Introduction（引言）" name a role either way. */
folio_role role_of(const char *title)
{
    folio_role r = role_lookup(title);
    if (r != FOLIO_ROLE_OTHER) return r;
    static const char *const opens[] = {"(", "\xEF\xBC\x88"}; /* '(' '（' */
    for (int i = 0; i < 2; i++) {
        const char *o = strstr(title, opens[i]);
        if (!o || o == title) continue;
        char head[128], in[128];
        size_t hn = (size_t)(o - title), k = strlen(opens[i]);
        if (hn >= sizeof head) continue;
        memcpy(head, title, hn);
        head[hn] = 0;
        r = role_lookup(head);
        if (r != FOLIO_ROLE_OTHER) return r;
        size_t n = 0;
        for (const char *q = o + k;
             *q && *q != ')' && strncmp(q, "\xEF\xBC\x89", 3); q++)
            if (n + 1 < sizeof in) in[n++] = *q;
        in[n] = 0;
        r = role_lookup(in);
        if (r != FOLIO_ROLE_OTHER) return r;
    }
    return FOLIO_ROLE_OTHER;
}

static folio_role role_lookup(const char *title)
{
    char key[128];
    size_t n = 0;
    const char *s = title;
    size_t used;
    if (number_prefix(s, &used)) s += used;
    while (*s == ' ')
        s++;
    for (; *s && n + 2 < sizeof key; s++)
        key[n++] = (char)tolower((unsigned char)*s);
    while (n && (key[n - 1] == ' ' || key[n - 1] == ':' || key[n - 1] == '.'))
        n--;
    key[n] = 0;
    if (!n || strchr(key, '|')) return FOLIO_ROLE_OTHER;
    char pat[132];
    pat[0] = '|';
    memcpy(pat + 1, key, n);
    pat[n + 1] = '|';
    pat[n + 2] = 0;
    return labels_role(pat);
}

/* ---- a title from the file name */

/* As Jekyll titles a post without one: the name without its date prefix
 * ("YYYY-MM-DD-"), cut at '-', '_' and ' ', each word capitalised (the
 * first letter upper case, the rest lower case, as Ruby's capitalize;
 * letters outside ASCII are kept).  A name that is only a date stays as it
 * is, and so does stdin's. */
const char *title_from_name(arena *a, const char *path, const char *name)
{
    if (strcmp(path, "-") == 0) return name;
    const char *s = name;
    /* Jekyll's date: \d{2,4}-\d{1,2}-\d{1,2}- */
    static const int lo[] = {2, 1, 1}, hi[] = {4, 2, 2};
    const char *q = s;
    int ok = 1;
    for (int i = 0; i < 3 && ok; i++) {
        int k = 0;
        while (isdigit((unsigned char)q[k]))
            k++;
        if (i == 2 && k >= lo[i] && k <= hi[i] && !q[k]) return name;
        ok = k >= lo[i] && k <= hi[i] && q[k] == '-';
        q += k + 1;
    }
    if (ok && *q) s = q;
    folio_buf b = {0};
    int start = 1;
    for (; *s; s++) {
        if (*s == '-' || *s == '_' || *s == ' ') {
            start = 1;
            continue;
        }
        if (start && b.len) buf_putc(&b, ' ');
        char c = *s;
        if ((unsigned char)c < 0x80)
            c = (char)(start ? toupper((unsigned char)c)
                             : tolower((unsigned char)c));
        buf_putc(&b, c);
        start = 0;
    }
    /* Jekyll drops the slug's trailing periods. */
    while (b.len && b.data[b.len - 1] == '.')
        b.len--;
    const char *r = b.len ? arena_strndup(a, b.data, b.len) : name;
    buf_free(&b);
    return r;
}

/* ---- arXiv identifiers */

const char *arxiv_id_of(arena *a, const char *url)
{
    static const char *const marks[] = {"arxiv.org/abs/", "arxiv.org/pdf/",
                                        "huggingface.co/papers/", "/overview/"};
    if (!url) return NULL;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *p = strstr(url, marks[i]);
        if (!p || (i == 3 && !strstr(url, "alphaxiv.org/"))) continue;
        p += strlen(marks[i]);
        size_t k = 0;
        while (isdigit((unsigned char)p[k]))
            k++;
        if (k != 4 || p[4] != '.') continue;
        size_t j = 5;
        while (isdigit((unsigned char)p[j]))
            j++;
        if (j - 5 < 4 || j - 5 > 5) continue;
        /* The version as written ("v2"): the reader gets the one reviewed. */
        size_t w = j + (p[j] == 'v');
        while (w > j && isdigit((unsigned char)p[w]))
            w++;
        if (w > j + 1) j = w;
        return arena_strndup(a, p, j);
    }
    return NULL;
}

/* Two ids of one paper, whatever their versions ("2511.04012v2" and
 * "2511.04012"). */
int arxiv_same(const char *x, const char *y)
{
    if (strcmp(x, y) == 0) return 1;
    if (!isdigit((unsigned char)x[0]) || !isdigit((unsigned char)y[0]))
        return 0;
    size_t n = strcspn(x, "v"), m = strcspn(y, "v");
    return n == m && strncmp(x, y, n) == 0;
}

/* ---- language */

const char *lang_detect(const char *s, size_t len)
{
    size_t hangul = 0, kana = 0, han = 0, letters = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += text_utf8_next(s + i, len - i, &c);
        if (c < 0x80) {
            letters += (c | 0x20) - 'a' < 26u;
            continue;
        }
        letters++;
        int script = text_script(c);
        hangul += script == FOLIO_SCRIPT_HANGUL;
        kana += script == FOLIO_SCRIPT_KANA;
        han += script == FOLIO_SCRIPT_HAN;
    }
    /* A script counts when it is at least a tenth of the letters: an
     * English digest quoting one Korean word stays English. */
    size_t tenth = letters / 10;
    if (hangul && hangul >= tenth && hangul >= kana) return "ko";
    if (kana && kana >= tenth / 2) return "ja";
    if (han && han >= tenth) return "zh";
    return "en";
}

/* ---- building */

typedef struct vec {
    const folio_node **v;
    size_t n, cap;
} vec;

static void vec_push(vec *v, const folio_node *n)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->v = realloc(v->v, v->cap * sizeof *v->v);
        if (!v->v) folio_oom();
    }
    v->v[v->n++] = n;
}

/* Blocks [from, to) of v as a NULL-terminated sibling list. */
static const folio_node *cut(vec *v, size_t from, size_t to)
{
    if (from >= to) return NULL;
    for (size_t i = from; i + 1 < to; i++)
        MUT(v->v[i])->next = v->v[i + 1];
    MUT(v->v[to - 1])->next = NULL;
    return v->v[from];
}

/* ---- paper links */

/* A link to a paper rather than to code, a project page or a feed. */
static int is_paper_url(const char *url)
{
    static const char *const marks[] = {"arxiv.org/abs/",
                                        "arxiv.org/pdf/",
                                        "huggingface.co/papers/",
                                        "alphaxiv.org/abs/",
                                        "alphaxiv.org/overview/",
                                        "openreview.net/forum",
                                        "openreview.net/pdf",
                                        "aclanthology.org/",
                                        "doi.org/10.",
                                        "dl.acm.org/doi/",
                                        "proceedings.neurips.cc/",
                                        "papers.nips.cc/",
                                        "openaccess.thecvf.com/",
                                        "proceedings.mlr.press/",
                                        "ieeexplore.ieee.org/document/",
                                        "semanticscholar.org/paper/",
                                        "paperswithcode.com/paper/",
                                        "biorxiv.org/content/",
                                        "medrxiv.org/content/"};
    if (!url) return 0;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *m = strstr(url, marks[i]);
        /* "huggingface.co/papers/" alone is the daily feed. */
        if (m && m[strlen(marks[i])] && m[strlen(marks[i])] != '?' &&
            m[strlen(marks[i])] != '#')
            return 1;
    }
    return 0;
}

/* The first paper link in n and its descendants (document order). */
static const char *first_paper_link(const folio_node *n)
{
    for (; n; n = n->next) {
        if ((n->type == FOLIO_NODE_LINK) && is_paper_url(n->u.link.url))
            return n->u.link.url;
        const char *u = first_paper_link(n->child);
        if (u) return u;
    }
    return NULL;
}

/* A list item's paragraph of the form "**URL**: [..](..)", "arXiv: <..>",
 * "[..](..)": a short label, then only links.  Returns the label (plain,
 * without the colon, "" when there is none) or NULL. */
static char *link_item(arena *a, const folio_node *item)
{
    const folio_node *p = item->child;
    if (!p || p->next || p->type != FOLIO_NODE_PARAGRAPH) return NULL;
    const folio_node *c = p->child;
    folio_buf b = {0};
    for (; c && c->type != FOLIO_NODE_LINK; c = c->next) {
        if (c->type == FOLIO_NODE_TEXT)
            buf_put(&b, c->text, c->len);
        else if (c->type == FOLIO_NODE_STRONG || c->type == FOLIO_NODE_EMPH)
            text_plain(&b, c->child);
        else
            break;
    }
    int ok = c && c->type == FOLIO_NODE_LINK && b.len < 40;
    for (const folio_node *r = c; ok && r; r = r->next)
        if (r->type != FOLIO_NODE_LINK && !blank_text(r)) ok = 0;
    char *label = NULL;
    if (ok) {
        size_t n = b.len;
        while (n && strchr(" \t:", b.data[n - 1]))
            n--;
        if (n >= 3 && memcmp(b.data + n - 3, "\xEF\xBC\x9A", 3) == 0) n -= 3;
        while (n && b.data[n - 1] == ' ')
            n--;
        /* A label is a word or two before a colon, not a sentence. */
        if (n == 0 || (b.len > n && memchr(b.data + n, ':', b.len - n)) ||
            (b.len >= 3 && strstr(b.data, "\xEF\xBC\x9A")))
            label = arena_strndup(a, b.data ? b.data : "", n);
        else
            ok = 0;
    }
    buf_free(&b);
    return ok ? label : NULL;
}

/* A bullet list whose every item is a link item (a numbered list of links
 * is content: a reading list, not the paper's links). */
static int link_list(arena *a, const folio_node *l)
{
    if (!l || l->type != FOLIO_NODE_LIST || l->u.list.ordered || !l->child)
        return 0;
    for (const folio_node *i = l->child; i; i = i->next)
        if (!link_item(a, i)) return 0;
    return 1;
}

/* The links of a link list: the item's label names a link whose text is
 * only its URL ("**URL**: [https://...](...)"). */
static void add_item_links(arena *a, linkvec *lv, const folio_node *list,
                           const char **primary)
{
    for (const folio_node *i = list->child; i; i = i->next) {
        char *label = link_item(a, i);
        for (const folio_node *c = i->child->child; c; c = c->next) {
            if (c->type != FOLIO_NODE_LINK) continue;
            if (primary && !*primary) {
                *primary = c->u.link.url;
                continue;
            }
            char *text = plain(a, c->child);
            int bare = !*text || strcmp(text, c->u.link.url) == 0;
            push_link(a, lv, bare && *label ? label : text, c->u.link.url);
        }
    }
}

/* The paper's parts after its heading: blocks [from, end) hold its body
 * and its sections, headed at `level` (or bold labels when none is). */
static void paper_parts(folio_doc *doc, folio_paper *p, vec *v, size_t from,
                        size_t end, int level)
{
    arena *a = &doc->arena;
    size_t first_sec = end;
    for (size_t i = from; i < end; i++)
        if (is_heading(v->v[i], level)) {
            first_sec = i;
            break;
        }
    int labels = 0;
    if (first_sec == end) {
        for (size_t i = from; i < end; i++)
            if (bold_label(a, v->v[i])) {
                first_sec = i;
                labels = 1;
                break;
            }
    }

    /* Links: the first link paragraph, block quotes of links, a list of
     * link items; else the first paper link of the body's first blocks. */
    linkvec lv = {0};
    for (size_t i = from; i < first_sec; i++) {
        const folio_node *b = v->v[i];
        if (link_paragraph(b)) {
            add_links(a, &lv, b, &p->url);
            if (!p->links_block) p->links_block = b;
        } else if (link_quote(b)) {
            for (const folio_node *c = b->child; c; c = c->next)
                add_links(a, &lv, c, NULL);
            if (!p->links_block) p->links_block = b;
        } else if (!p->links_block && link_list(a, b)) {
            add_item_links(a, &lv, b, &p->url);
            p->links_block = b;
        }
    }
    for (size_t i = from; !p->url && !lv.n && i < first_sec && i < from + 3;
         i++)
        if (v->v[i]->type != FOLIO_NODE_HEADING)
            p->url = first_paper_link(v->v[i]->child);
    /* "**Paper:** [...](...)" read as a bold-label section still gives the
     * paper's link. */
    if (!p->url && !lv.n && labels && first_sec < end) {
        static const char *const words[] = {
            "paper",
            "url",
            "link",
            "links",
            "arxiv",
            "pdf",
            "\xEB\x85\xBC\xEB\xAC\xB8",  /* 논문 */
            "\xEB\xA7\x81\xED\x81\xAC",  /* 링크 */
            "\xE8\xAE\xBA\xE6\x96\x87",  /* 论文 */
            "\xE9\x93\xBE\xE6\x8E\xA5"}; /* 链接 */
        char *l = bold_label(a, v->v[first_sec]);
        for (size_t i = 0; l && i < sizeof words / sizeof *words; i++)
            if (strcasecmp(l, words[i]) == 0)
                p->url = first_paper_link(v->v[first_sec]->child);
    }
    p->links = lv.v;
    p->nlinks = lv.n;

    /* Count and cut sections. */
    size_t ns = 0;
    for (size_t i = first_sec; i < end; i++)
        if (labels ? bold_label(a, v->v[i]) != NULL
                   : is_heading(v->v[i], level))
            ns++;
    folio_section *secs = arena_alloc(a, sizeof *secs * (ns ? ns : 1));
    size_t k = 0, start = first_sec;
    for (size_t i = first_sec; i <= end; i++) {
        int boundary = i == end;
        char *label = NULL;
        if (!boundary && i > start) {
            label = labels ? bold_label(a, v->v[i]) : NULL;
            boundary = labels ? label != NULL : is_heading(v->v[i], level);
        }
        if (!boundary) continue;
        if (start < i) {
            folio_section *s = &secs[k++];
            const folio_node *sh = v->v[start];
            s->line = sh->line;
            if (labels) {
                s->title = bold_label(a, sh);
                s->body = cut(v, start, i);
            } else {
                s->heading = sh;
                s->title = section_title(a, sh);
                s->body = cut(v, start + 1, i);
                MUT(sh)->next = NULL;
            }
            s->role = role_of(s->title);
        }
        start = i;
    }
    p->sections = secs;
    p->nsections = k;
    p->body = cut(v, from, first_sec);
}

static void set_arxiv(folio_doc *doc, folio_paper *p)
{
    p->arxiv_id = arxiv_id_of(&doc->arena, p->url);
    for (size_t i = 0; !p->arxiv_id && i < p->nlinks; i++)
        p->arxiv_id = arxiv_id_of(&doc->arena, p->links[i].url);
}

static void build_paper(folio_doc *doc, folio_paper *p, vec *v, size_t h,
                        size_t end)
{
    arena *a = &doc->arena;
    const folio_node *head = v->v[h];
    int level = head->u.heading.level;
    p->heading = head;
    p->line = head->line;

    /* Title without the number, and without the link around it. */
    const folio_node *first = head->child;
    size_t used = 0;
    p->number = first && first->type == FOLIO_NODE_TEXT
                    ? number_prefix(first->text, &used)
                    : 0;
    const folio_node *rest = first;
    if (p->number) {
        if (used < first->len) {
            folio_node *t = arena_alloc(a, sizeof *t);
            *t = *first;
            t->text = first->text + used;
            t->len = first->len - used;
            rest = t;
        } else {
            rest = first->next;
        }
    }
    const folio_node *only = NULL;
    int count = 0;
    for (const folio_node *c = rest; c; c = c->next)
        if (!blank_text(c)) {
            only = c;
            count++;
        }
    if (count == 1 && only->type == FOLIO_NODE_LINK) {
        p->url = only->u.link.url;
        p->title_inlines = only->child;
    } else {
        p->title_inlines = rest;
    }
    p->title = plain(a, p->title_inlines);
    /* Blogs skip levels ("# 1. Paper" then "### Introduction"): with no
     * heading one level down, the shallowest deeper one heads sections. */
    int found = 0, deeper = 0;
    for (size_t i = h + 1; i < end && !found; i++)
        if (is_heading(v->v[i], 0)) {
            int l = v->v[i]->u.heading.level;
            found = l == level + 1;
            if (l > level + 1 && (!deeper || l < deeper)) deeper = l;
        }
    int sec = !found && deeper ? deeper : level + 1;
    paper_parts(doc, p, v, h + 1, end, sec);
    set_arxiv(doc, p);
    MUT(head)->next = NULL;
}

/* ---- kinds */

static const char *scalar_of(const folio_yaml *y)
{
    return y && y->kind == FOLIO_YAML_SCALAR && y->value[0] ? y->value : NULL;
}

/* Case-insensitive (ASCII) substring. */
static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0) return 1;
    return 0;
}

static const char *const review_words[] = {
    "review",   "리뷰",     "논문 읽기",   "논문읽기",
    "论文笔记", "论文阅读", "论文解读",    "论文精读",
    "论文分享", "论文翻译", "paper notes", "paper-notes"};

static int names_review(const char *s)
{
    for (size_t i = 0; s && i < sizeof review_words / sizeof *review_words; i++)
        if (has_word(s, review_words[i])) return 1;
    return 0;
}

static int yaml_names_review(const folio_yaml *y)
{
    if (!y) return 0;
    if (y->kind == FOLIO_YAML_SCALAR) return names_review(y->value);
    for (const folio_yaml *c = y->child; c; c = c->next)
        if (c->kind == FOLIO_YAML_SCALAR && names_review(c->value)) return 1;
    return 0;
}

/* A title that says it reviews one paper: "[논문 리뷰] X", "Paper review:
 * X", "[论文] X", "论文阅读：X", "[Paper] X". */
static int review_title(const char *t)
{
    static const char *const marks[] = {
        "[\xEB\x85\xBC\xEB\xAC\xB8",            /* "[논문" */
        "[\xE8\xAE\xBA\xE6\x96\x87",            /* "[论文" */
        "\xE3\x80\x90\xE8\xAE\xBA\xE6\x96\x87", /* "【论文" */
        "[paper",
        "paper review",
        "review of",
        "\xEB\x85\xBC\xEB\xAC\xB8 \xEB\xA6\xAC\xEB\xB7\xB0", /* 논문 리뷰 */
        "\xEB\x85\xBC\xEB\xAC\xB8\xEB\xA6\xAC\xEB\xB7\xB0",  /* 논문리뷰 */
        "\xEB\x85\xBC\xEB\xAC\xB8 \xEC\x9A\x94\xEC\x95\xBD", /* 논문 요약 */
        "\xE8\xAE\xBA\xE6\x96\x87\xE7\xAC\x94\xE8\xAE\xB0",  /* 论文笔记 */
        "\xE8\xAE\xBA\xE6\x96\x87\xE9\x98\x85\xE8\xAF\xBB",  /* 论文阅读 */
        "\xE8\xAE\xBA\xE6\x96\x87\xE8\xA7\xA3\xE8\xAF\xBB",  /* 论文解读 */
        "\xE8\xAE\xBA\xE6\x96\x87\xE7\xB2\xBE\xE8\xAF\xBB",  /* 论文精读 */
        "\xE8\xAE\xBA\xE6\x96\x87\xEF\xBC\x9A",              /* 论文： */
        "\xE8\xAE\xBA\xE6\x96\x87:",
        "\xEB\x85\xBC\xEB\xAC\xB8 \xEC\xA0\x95\xEB\xA6\xAC", /* 논문 정리 */
        "\xEB\x85\xBC\xEB\xAC\xB8\xEC\xA0\x95\xEB\xA6\xAC",  /* 논문정리 */
        "\xE8\xAB\x96\xE6\x96\x87\xE7\xB4\xB9\xE4\xBB\x8B",  /* 論文紹介 */
        "\xE8\xAB\x96\xE6\x96\x87\xE3\x83\xA1\xE3\x83\xA2",  /* 論文メモ */
        "\xE8\xAB\x96\xE6\x96\x87\xE8\xAA\xAD\xE3\x81\xBF"};
    /* 論文読み */ /* 论文: */
    for (size_t i = 0; t && i < sizeof marks / sizeof *marks; i++)
        if (has_word(t, marks[i])) return 1;
    return 0;
}

/* A paper link named by the front matter: "paper: https://...",
 * "arxiv: 2401.01234". */
static const char *meta_paper_url(arena *a, const folio_yaml *m)
{
    static const char *const keys[] = {"paper",     "paper_url", "paper_link",
                                       "arxiv_url", "arxiv",     "arxiv_id"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *s = scalar_of(yaml_get(m, keys[i]));
        if (!s) continue;
        if (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0)
            return s;
        size_t k = 0;
        while (isdigit((unsigned char)s[k]))
            k++;
        if (k == 4 && s[4] == '.' && isdigit((unsigned char)s[5])) {
            folio_buf b = {0};
            buf_printf(&b, "https://arxiv.org/abs/%s", s);
            char *u = arena_strdup(a, b.data);
            buf_free(&b);
            return u;
        }
    }
    return NULL;
}

/* The level of the top headings in [from, n), title heading aside. */
static int top_level(vec *v, size_t from, const folio_node *skip)
{
    int level = 0;
    for (size_t i = from; i < v->n; i++)
        if (is_heading(v->v[i], 0) && v->v[i] != skip &&
            (!level || v->v[i]->u.heading.level < level))
            level = v->v[i]->u.heading.level;
    return level;
}

/* The post is one paper: the title heading (if any) and what precedes it
 * stay the preamble; the rest is the paper's body and sections. */
static void build_single(folio_doc *doc, vec *v, const char *url)
{
    folio_digest *d = &doc->d;
    arena *a = &doc->arena;
    size_t from = 0;
    for (size_t i = 0; d->title_heading && i < v->n; i++)
        if (v->v[i] == d->title_heading) from = i + 1;
    int level = top_level(v, from, NULL);
    folio_paper *p = arena_alloc(a, sizeof *p);
    memset(p, 0, sizeof *p);
    const char *t = scalar_of(yaml_get(d->meta, "title"));
    p->title = t                  ? t
               : d->title_heading ? plain(a, d->title_heading->child)
                                  : title_from_name(a, d->path, d->name);
    folio_node *tn = arena_alloc(a, sizeof *tn);
    memset(tn, 0, sizeof *tn);
    tn->type = FOLIO_NODE_TEXT;
    tn->text = p->title;
    tn->len = strlen(p->title);
    p->title_inlines = tn;
    p->line = from < v->n ? v->v[from]->line : 1;
    paper_parts(doc, p, v, from, v->n, level ? level : 1);
    /* The paper link near the top wins over a code or project link. */
    if (url && (!p->url || !is_paper_url(p->url))) {
        if (p->url) {
            linkvec lv = {(folio_link *)p->links, p->nlinks, p->nlinks};
            push_link(a, &lv, "", p->url);
            memmove(lv.v + 1, lv.v, (lv.n - 1) * sizeof *lv.v);
            lv.v[0].label = "";
            lv.v[0].url = p->url;
            p->links = lv.v;
            p->nlinks = lv.n;
        }
        p->url = url;
    }
    set_arxiv(doc, p);
    d->papers = p;
    d->npapers = 1;
    d->paper_level = level > 1 ? level - 1 : 0;
    d->preamble = cut(v, 0, from);
}

/* An article: every block stays in the preamble; its top headings are
 * listed as sections. */
static void build_article(folio_doc *doc, vec *v)
{
    folio_digest *d = &doc->d;
    arena *a = &doc->arena;
    int level = top_level(v, 0, d->title_heading);
    size_t ns = 0;
    for (size_t i = 0; i < v->n; i++)
        ns +=
            level && is_heading(v->v[i], level) && v->v[i] != d->title_heading;
    folio_section *secs = arena_alloc(a, sizeof *secs * (ns ? ns : 1));
    size_t k = 0;
    for (size_t i = 0; i < v->n && ns; i++) {
        const folio_node *h = v->v[i];
        if (!is_heading(h, level) || h == d->title_heading) continue;
        secs[k].heading = h;
        secs[k].title = section_title(a, h);
        secs[k].role = role_of(secs[k].title);
        secs[k].line = h->line;
        k++;
    }
    d->sections = secs;
    d->nsections = k;
    d->npapers = 0;
    d->paper_level = 0;
    d->preamble = cut(v, 0, v->n);
}

void structure_build(folio_doc *doc, const folio_node *blocks, diags *dg)
{
    folio_digest *d = &doc->d;
    (void)dg;
    vec v = {0};
    size_t h1 = 0, h2 = 0, first_h1 = 0, first_h2 = (size_t)-1;
    for (const folio_node *n = blocks; n; n = n->next) {
        if (is_heading(n, 1)) {
            if (!h1++) first_h1 = v.n;
        } else if (is_heading(n, 2)) {
            if (!h2++) first_h2 = v.n;
        }
        vec_push(&v, n);
    }

    /* A lone unnumbered level-1 heading above everything titles the digest;
     * papers are then the level-2 headings.  Otherwise papers are the
     * level-1 headings, or the level-2 ones when there is no level 1. */
    int level = 0;
    if (h1 == 1 && !heading_number(v.v[first_h1]) &&
        (h2 == 0 || first_h1 < first_h2)) {
        d->title_heading = v.v[first_h1];
        level = h2 ? 2 : 0;
    } else if (h1) {
        level = 1;
    } else if (h2) {
        level = 2;
    }
    d->paper_level = level;

    /* Read the post as a digest: every heading at the paper level. */
    size_t np = 0;
    for (size_t i = 0; i < v.n; i++)
        np += level && is_heading(v.v[i], level) && v.v[i] != d->title_heading;
    folio_paper *papers =
        arena_alloc(&doc->arena, sizeof *papers * (np ? np : 1));
    memset(papers, 0, sizeof *papers * (np ? np : 1));
    size_t first_paper = v.n, k = 0;
    for (size_t i = 0; i < v.n && np; i++) {
        if (!is_heading(v.v[i], level) || v.v[i] == d->title_heading) continue;
        if (first_paper == v.n) first_paper = i;
        size_t end = i + 1;
        while (end < v.n && !(is_heading(v.v[end], level) ||
                              (level == 2 && is_heading(v.v[end], 1))))
            end++;
        build_paper(doc, &papers[k++], &v, i, end);
        i = end - 1;
    }
    d->papers = papers;
    d->npapers = k;
    d->preamble = cut(&v, 0, first_paper);

    /* Then decide what kind of post it is (rules in ir.h).  A paper heading
     * counts as linked when it is numbered (and not a section name such as
     * "1. Introduction") or itself a paper link, and it has a paper link no
     * earlier paper had. */
    size_t numbered = 0, named = 0, linked = 0;
    size_t first_numbered = v.n;
    char *owns = calloc(k + 1, 1);
    if (!owns) folio_oom();
    for (size_t i = 0; i < k; i++) {
        const folio_paper *p = &papers[i];
        int role = p->number > 0 && role_of(p->title) != FOLIO_ROLE_OTHER;
        int linked_title = p->title_inlines != p->heading->child &&
                           p->number == 0 && is_paper_url(p->url);
        int own = (p->number > 0 && !role) || linked_title;
        named += role;
        numbered += p->number > 0;
        if (p->number > 0 && !role && first_numbered == v.n)
            for (size_t j = 0; j < v.n; j++)
                if (v.v[j] == p->heading) first_numbered = j;
        const char *id = p->arxiv_id            ? p->arxiv_id
                         : is_paper_url(p->url) ? p->url
                                                : NULL;
        for (size_t l = 0; !id && l < p->nlinks; l++)
            if (is_paper_url(p->links[l].url)) id = p->links[l].url;
        int fresh = own && id != NULL;
        for (size_t j = 0; fresh && j < i; j++) {
            const folio_paper *q = &papers[j];
            if (!owns[j]) continue;
            if ((q->arxiv_id && arxiv_same(q->arxiv_id, id)) ||
                (q->url && strcmp(q->url, id) == 0))
                fresh = 0;
        }
        linked += fresh;
        owns[i] = (char)own;
        if (linked >= 2) break; /* a digest: no need to look further */
    }
    free(owns);
    d->kind = FOLIO_KIND_DIGEST;
    if (linked >= 2) goto done;

    const folio_yaml *m = d->meta;
    const char *url = meta_paper_url(&doc->arena, m);
    int review = url || yaml_names_review(yaml_get(m, "tags")) ||
                 yaml_names_review(yaml_get(m, "categories")) ||
                 review_title(scalar_of(yaml_get(m, "title"))) ||
                 (d->title_heading &&
                  review_title(plain(&doc->arena, d->title_heading->child)));
    /* A review whose one paper heading carries the paper's link (and
     * nothing else is a paper heading) is already read right: that heading
     * is the paper and its subheadings the sections. */
    if (linked && (!review || k == 1)) goto done;
    for (size_t i = 0, seen = 0; !url && i < first_numbered && seen < 6; i++) {
        if (v.v[i] == d->title_heading) continue;
        seen++;
        url = is_heading(v.v[i], 0) ? NULL : first_paper_link(v.v[i]->child);
    }
    if (review || url) {
        d->kind = FOLIO_KIND_PAPER;
        build_single(doc, &v, url);
    } else if (numbered > named && named * 2 < numbered) {
        d->kind = FOLIO_KIND_DIGEST;
    } else {
        d->kind = FOLIO_KIND_ARTICLE;
        build_article(doc, &v);
    }
done:
    free(v.v);
}

/* ---- Liquid page variables in the text */

typedef struct liquid_walk {
    folio_doc *doc;
    const char *date;        /* the date as written, or from the file name */
    const folio_node *first; /* the first output not shown */
    size_t hidden;
} liquid_walk;

/* A list as Liquid prints it: its items one after the other ("tags:
 * a b" is the list [a, b] for Jekyll). */
static void liquid_list(folio_buf *b, const folio_yaml *y)
{
    if (y->kind == FOLIO_YAML_SCALAR) {
        for (const char *s = y->value; *s; s++)
            if (!isspace((unsigned char)*s)) buf_putc(b, *s);
        return;
    }
    for (const folio_yaml *c = y->child; c; c = c->next)
        if (c->kind == FOLIO_YAML_SCALAR) buf_puts(b, c->value);
}

/* What "{{ page.KEY }}" prints, or NULL when folio does not know: a
 * variable Jekyll computes, a filter, anything but page.KEY. */
static const char *liquid_value(liquid_walk *w, const char *s, size_t n)
{
    arena *a = &w->doc->arena;
    const folio_digest *d = &w->doc->d;
    if (n < 4 || memcmp(s, "{{", 2) || memcmp(s + n - 2, "}}", 2)) return NULL;
    s += 2, n -= 4;
    if (n && s[0] == '-') s++, n--;
    if (n && s[n - 1] == '-') n--;
    while (n && isspace((unsigned char)*s))
        s++, n--;
    if (n < 5 || memcmp(s, "page.", 5)) return NULL;
    size_t k = 5;
    while (k < n &&
           (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-'))
        k++;
    char key[64];
    if (k == 5 || k - 5 >= sizeof key) return NULL;
    memcpy(key, s + 5, k - 5);
    key[k - 5] = 0;
    /* Only the URL filters, which leave a page variable as it is. */
    for (size_t i = k; i < n;) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i == n) break;
        if (s[i] != '|') return NULL;
        i++;
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        size_t f = i;
        while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
            i++;
        if (!((i - f == 12 && memcmp(s + f, "relative_url", 12) == 0) ||
              (i - f == 12 && memcmp(s + f, "absolute_url", 12) == 0)))
            return NULL;
    }
    static const char *const computed[] = {
        "url",           "id",   "content",  "excerpt",    "path",
        "relative_path", "next", "previous", "collection", "output",
        "dir",           "name", "ext",      "slug"};
    for (size_t i = 0; i < sizeof computed / sizeof *computed; i++)
        if (strcmp(key, computed[i]) == 0) return NULL;
    const folio_yaml *y = yaml_get(d->meta, key);
    if (strcmp(key, "title") == 0)
        return scalar_of(y) ? y->value : title_from_name(a, d->path, d->name);
    if (strcmp(key, "date") == 0) return scalar_of(y) ? y->value : w->date;
    if (strcmp(key, "tags") == 0 || strcmp(key, "categories") == 0) {
        folio_buf b = {0};
        if (y) liquid_list(&b, y);
        const char *r = arena_strndup(a, b.data ? b.data : "", b.len);
        buf_free(&b);
        return r;
    }
    return y && y->kind == FOLIO_YAML_SCALAR ? y->value : NULL;
}

static void liquid_nodes(liquid_walk *w, const folio_node *n)
{
    for (; n; n = n->next) {
        int out = (n->type == FOLIO_NODE_MARKUP ||
                   n->type == FOLIO_NODE_MARKUP_BLOCK) &&
                  n->len >= 4 && memcmp(n->text, "{{", 2) == 0;
        if (!out) {
            liquid_nodes(w, n->child);
            continue;
        }
        const char *v = liquid_value(w, n->text, n->len);
        if (!v) {
            if (!w->hidden++) w->first = n;
            continue;
        }
        if (!*v) continue; /* Jekyll prints nothing either */
        /* The value as the node's child: shown in its place, while an md
         * writer keeps the Liquid as written. */
        arena *a = &w->doc->arena;
        folio_node *t = arena_alloc(a, sizeof *t);
        memset(t, 0, sizeof *t);
        t->type = FOLIO_NODE_TEXT;
        t->text = v;
        t->len = strlen(v);
        t->line = n->line;
        t->col = n->col;
        if (n->type == FOLIO_NODE_MARKUP_BLOCK) {
            folio_node *p = arena_alloc(a, sizeof *p);
            memset(p, 0, sizeof *p);
            p->type = FOLIO_NODE_PARAGRAPH;
            p->line = n->line;
            p->col = n->col;
            p->child = t;
            t = p;
        }
        MUT(n)->child = t;
    }
}

void liquid_page(folio_doc *doc, const folio_node *blocks,
                 const folio_node *footnotes, const char *name_date,
                 const char *src, size_t len, diags *dg)
{
    liquid_walk w = {.doc = doc, .date = name_date ? name_date : ""};
    liquid_nodes(&w, blocks);
    liquid_nodes(&w, footnotes);
    if (!w.hidden) return;
    /* One warning a post, where the first hole is: its column found on its
     * line, as inline nodes carry their paragraph's. */
    const folio_node *n = w.first;
    int col = n->col;
    size_t at = 0;
    for (int line = 1; line < n->line && at < len; at++)
        line += src[at] == '\n';
    size_t eol = at;
    while (eol < len && src[eol] != '\n')
        eol++;
    for (size_t i = at; i + n->len <= eol; i++)
        if (memcmp(src + i, n->text, n->len) == 0) {
            col = (int)(i - at) + 1;
            break;
        }
    int shown = n->len > 60 ? 60 : (int)n->len;
    if (w.hidden == 1)
        diag_add(dg, FOLIO_WARNING, doc->d.path, n->line, col,
                 "Liquid %.*s%s not shown", shown, n->text,
                 shown < (int)n->len ? "..." : "");
    else
        diag_add(dg, FOLIO_WARNING, doc->d.path, n->line, col,
                 "Liquid %.*s%s not shown (and %zu more in this post)", shown,
                 n->text, shown < (int)n->len ? "..." : "", w.hidden - 1);
}
