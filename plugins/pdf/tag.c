/* tag.c - a tagged PDF (aiming at PDF/UA-1) written with libharu 2.3.0's
 * object functions: libharu itself knows nothing of structure.
 *
 * While the pages are drawn, the elements are kept here as a tree of
 * indices, each with its children in drawing order: other elements,
 * marked content (an MCID on a page) and annotations.  At the end they
 * become dictionaries: the structure tree under the catalog's
 * /StructTreeRoot, the /ParentTree from each page's MCIDs (and each
 * link annotation) back to its element, /MarkInfo, /Lang, the XMP
 * metadata stream with pdfuaid:part, and /Tabs /S on every page.
 *
 * Marked content: one sequence stays open on one page at a time and is
 * closed (EMC) when another is wanted or the drawing moves to another
 * page, so a paragraph split over two pages gets an MCID on each. */
#include "tag.h"

#include "haru.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Stack entries and open marks besides elements (>= 0). */
enum { MARK_NONE = -1, ART_HEADER = -2, ART_FOOTER = -3, ART_PLAIN = -4 };
enum { K_ELEM, K_MCID, K_OBJR };

typedef struct tkid {
    int type, v; /* element, MCID or annotation index */
    int page;    /* page record of an MCID or annotation */
} tkid;

typedef struct telem {
    const char *role;      /* a static string */
    const char *numbering; /* an L's ListNumbering, static */
    int parent;
    char *alt, *lang;
    float bbox[4];
    int hasbbox, live;
    tkid *kids;
    size_t nkids, cap;
    HPDF_Dict dict;
    struct pdf_tag *owner; /* for the body writer */
} telem;

typedef struct tpage {
    HPDF_Page page;
    int key;   /* in the parent tree, -1 before its first MCID */
    int *elem; /* element of each MCID */
    size_t nmcid, cap;
} tpage;

typedef struct tkey {
    int page;  /* page record, or -1 for an annotation */
    int elem;  /* the annotation's element */
    int annot; /* index in annots */
} tkey;

/* A link, a formula or a footnote mark inside a paragraph: its element,
 * made on the first run drawn. */
typedef struct tinl {
    const pdf_para *p;
    int link;         /* link index, or -1 for math or a footnote mark */
    const char *role; /* "Formula" or "Reference" when link < 0 */
    size_t s0, s1;    /* bytes [s0, s1) of the text when link < 0 (spans
                       * are split later by a list item's bold label) */
    char *tex;
    size_t len;
    int elem; /* -1 until drawn */
} tinl;

struct pdf_tag {
    telem *e;
    size_t ne, cape;
    int *stack;
    size_t depth, capstack;
    tpage *pg;
    size_t npg, cappg, lastpg;
    tkey *keys;
    size_t nkeys, capkeys;
    HPDF_Annotation *annots;
    size_t nannots, capannots;
    tinl *inl;
    size_t ninl, capinl;
    pdf_ctx *c;          /* while the bodies are written */
    HPDF_Dict root;      /* the StructTreeRoot */
    folio_buf out;       /* a body being written */
    HPDF_Page open_page; /* the page with an open sequence */
    int open;            /* what it marks: element or ART_* */
    int hlast;           /* level of the last heading */
    const char *lang;    /* the book's */
};

#define GROW(arr, n, cap)                                                      \
    do {                                                                       \
        if ((n) == (cap)) {                                                    \
            (cap) = (cap) ? 2 * (cap) : 16;                                    \
            void *grown_ = realloc((arr), (cap) * sizeof *(arr));              \
            if (!grown_) abort();                                              \
            (arr) = grown_;                                                    \
        }                                                                      \
    } while (0)

/* ------------------------------------------------------------ the tree */

static int top(const struct pdf_tag *t)
{
    return t->depth ? t->stack[t->depth - 1] : ART_PLAIN;
}

/* The innermost open element (artifacts skipped), -1 for none. */
static int top_elem(const struct pdf_tag *t)
{
    for (size_t i = t->depth; i > 0; i--)
        if (t->stack[i - 1] >= 0) return t->stack[i - 1];
    return -1;
}

static void add_kid(struct pdf_tag *t, int elem, int type, int v, int page,
                    int first)
{
    telem *e = &t->e[elem];
    GROW(e->kids, e->nkids, e->cap);
    if (first) {
        memmove(e->kids + 1, e->kids, e->nkids * sizeof *e->kids);
        e->kids[0] = (tkid){type, v, page};
    } else {
        e->kids[e->nkids] = (tkid){type, v, page};
    }
    e->nkids++;
}

static char *dup(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d) abort();
    memcpy(d, s, len);
    d[len] = 0;
    return d;
}

/* A new element under parent (none: the root), its index. */
static int new_elem(pdf_ctx *c, const char *role, int parent, int first)
{
    struct pdf_tag *t = c->tag;
    GROW(t->e, t->ne, t->cape);
    int i = (int)t->ne++;
    memset(&t->e[i], 0, sizeof t->e[i]);
    t->e[i].owner = t;
    t->e[i].role = role;
    t->e[i].parent = parent;
    if (parent >= 0) {
        add_kid(t, parent, K_ELEM, i, -1, first);
        /* A digest in another language than the book's says so. */
        if (parent == 0 && c->lang && t->lang && strcmp(c->lang, t->lang))
            t->e[i].lang = dup(c->lang, strlen(c->lang));
    }
    return i;
}

static void push(struct pdf_tag *t, int v)
{
    GROW(t->stack, t->depth, t->capstack);
    t->stack[t->depth++] = v;
}

static void begin(pdf_ctx *c, const char *role, int first)
{
    struct pdf_tag *t = c->tag;
    if (!t) return;
    if (top(t) < 0) { /* inside an artifact (an image's caption): one too */
        push(t, top(t));
        return;
    }
    if (role[0] == '#') {
        push(t, strcmp(role, TAG_HEADER) == 0   ? ART_HEADER
                : strcmp(role, TAG_FOOTER) == 0 ? ART_FOOTER
                                                : ART_PLAIN);
        return;
    }
    push(t, new_elem(c, role, top_elem(t), first));
}

void pdf_tag_begin(pdf_ctx *c, const char *role)
{
    begin(c, role, 0);
}

void pdf_tag_begin_first(pdf_ctx *c, const char *role)
{
    begin(c, role, 1);
}

/* Alternate text kept whole up to 32,000 bytes (a PDF string holds
 * 65,535, and UTF-16 may double it), cut at a character boundary. */
static char *alt_copy(const char *s, size_t len)
{
    if (len > 32000) {
        len = 32000;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    return dup(s, len);
}

/* A math node's TeX without its delimiters ($..$, $$..$$, \(..\), \[..\]). */
static char *tex_alt(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\n'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    int k = 0;
    while (k < 2 && len >= 2 && s[0] == '$' && s[len - 1] == '$')
        s++, len -= 2, k++;
    if (!k && len >= 4 && s[0] == '\\' && (s[1] == '(' || s[1] == '[') &&
        s[len - 2] == '\\' && (s[len - 1] == ')' || s[len - 1] == ']'))
        s += 2, len -= 4;
    while (len && (*s == ' ' || *s == '\n'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    return alt_copy(s, len);
}

void pdf_tag_begin_alt(pdf_ctx *c, const char *role, const char *alt,
                       size_t len)
{
    if (!c->tag) return;
    begin(c, role, 0);
    c->tag->e[top(c->tag)].alt = alt_copy(alt, len);
}

void pdf_tag_heading(pdf_ctx *c, int depth)
{
    static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    struct pdf_tag *t = c->tag;
    if (!t) return;
    int level = depth + (c->book ? 1 : 0);
    if (level > t->hlast + 1) level = t->hlast + 1; /* no level skipped */
    if (level < 1) level = 1;
    if (level > 6) level = 6;
    t->hlast = level;
    begin(c, h[level - 1], 0);
}

void pdf_tag_label(pdf_ctx *c)
{
    struct pdf_tag *t = c->tag;
    if (!t) return;
    for (size_t i = t->depth; i > 0; i--) {
        int li = t->stack[i - 1];
        if (li >= 0 && (strcmp(t->e[li].role, "LI") == 0 ||
                        strcmp(t->e[li].role, "Note") == 0)) {
            push(t, new_elem(c, "Lbl", li, 1)); /* before the LBody */
            return;
        }
    }
    begin(c, "Lbl", 0);
}

void pdf_tag_numbering(pdf_ctx *c, const char *how)
{
    struct pdf_tag *t = c->tag;
    if (t && top(t) >= 0) t->e[top(t)].numbering = how;
}

void pdf_tag_end(pdf_ctx *c)
{
    if (c->tag && c->tag->depth > 1) c->tag->depth--; /* never Document */
}

void pdf_tag_formula(pdf_ctx *c, const char *tex, size_t len)
{
    struct pdf_tag *t = c->tag;
    int i = t ? top(t) : -1;
    if (i < 0) return;
    t->e[i].role = "Formula";
    free(t->e[i].alt);
    t->e[i].alt = tex_alt(tex, len);
}

void pdf_tag_figure(pdf_ctx *c, const folio_node *n, float x0, float y0,
                    float x1, float y1)
{
    if (!c->tag) return;
    folio_buf t = {0};
    c->host->plain_text(&t, n->child);
    if (!t.len && n->u.link.title) c->host->buf_puts(&t, n->u.link.title);
    size_t a = 0;
    while (a < t.len && (t.data[a] == ' ' || t.data[a] == '\n'))
        a++;
    if (a < t.len) { /* without alt text, an image only decorates */
        pdf_tag_begin_alt(c, "Figure", t.data + a, t.len - a);
        pdf_tag_bbox(c, x0, y0, x1, y1);
    } else {
        pdf_tag_begin(c, TAG_ARTIFACT);
    }
    c->host->buf_free(&t);
    pdf_tag_mark(c);
}

void pdf_tag_bbox(pdf_ctx *c, float x0, float y0, float x1, float y1)
{
    struct pdf_tag *t = c->tag;
    int i = t ? top(t) : -1;
    if (i < 0) return;
    telem *e = &t->e[i];
    e->bbox[0] = x0, e->bbox[1] = y0, e->bbox[2] = x1, e->bbox[3] = y1;
    e->hasbbox = 1;
}

/* -------------------------------------------------------------- marks */

static void page_write(pdf_ctx *c, HPDF_Page page, const char *s, size_t n)
{
    if (HPDF_Stream_Write(haru_page_stream(page), (const HPDF_BYTE *)s,
                          (HPDF_UINT)n) != HPDF_OK)
        c->failed = 1;
}

static size_t page_rec(struct pdf_tag *t, HPDF_Page page)
{
    if (t->npg && t->pg[t->lastpg].page == page) return t->lastpg;
    for (size_t i = t->npg; i > 0; i--)
        if (t->pg[i - 1].page == page) return t->lastpg = i - 1;
    GROW(t->pg, t->npg, t->cappg);
    memset(&t->pg[t->npg], 0, sizeof *t->pg);
    t->pg[t->npg].page = page;
    t->pg[t->npg].key = -1;
    return t->lastpg = t->npg++;
}

static int new_key(struct pdf_tag *t, int page, int elem, int annot)
{
    GROW(t->keys, t->nkeys, t->capkeys);
    t->keys[t->nkeys] = (tkey){page, elem, annot};
    return (int)t->nkeys++;
}

void pdf_tag_close(pdf_ctx *c)
{
    struct pdf_tag *t = c->tag;
    if (!t || t->open == MARK_NONE) return;
    page_write(c, t->open_page, "EMC\012", 4);
    t->open = MARK_NONE;
    t->open_page = NULL;
}

/* The page's open sequence marks want (an element or ART_*). */
static void set_mark(pdf_ctx *c, int want)
{
    struct pdf_tag *t = c->tag;
    if (!c->page || (t->open_page == c->page && t->open == want)) return;
    pdf_tag_close(c);
    char buf[64];
    int n;
    if (want == ART_HEADER || want == ART_FOOTER) {
        n = snprintf(buf, sizeof buf,
                     "/Artifact <</Type /Pagination /Subtype /%s>> BDC\012",
                     want == ART_HEADER ? "Header" : "Footer");
    } else if (want < 0) {
        n = snprintf(buf, sizeof buf, "/Artifact BMC\012");
    } else {
        size_t r = page_rec(t, c->page);
        tpage *pg = &t->pg[r];
        if (pg->key < 0) pg->key = new_key(t, (int)r, -1, -1);
        GROW(pg->elem, pg->nmcid, pg->cap);
        int mcid = (int)pg->nmcid;
        pg->elem[pg->nmcid++] = want;
        add_kid(t, want, K_MCID, mcid, (int)r, 0);
        n = snprintf(buf, sizeof buf, "/%s <</MCID %d>> BDC\012",
                     t->e[want].role, mcid);
    }
    page_write(c, c->page, buf, (size_t)n);
    t->open_page = c->page;
    t->open = want;
}

void pdf_tag_mark(pdf_ctx *c)
{
    if (c->tag) set_mark(c, top(c->tag));
}

void pdf_tag_artifact(pdf_ctx *c)
{
    if (!c->tag) return;
    int w = top(c->tag);
    set_mark(c, w == ART_HEADER || w == ART_FOOTER ? w : ART_PLAIN);
}

void pdf_tag_rule(pdf_ctx *c)
{
    if (!c->tag) return;
    int w = top(c->tag);
    if (w >= 0 && strcmp(c->tag->e[w].role, "Formula") == 0)
        set_mark(c, w);
    else
        pdf_tag_artifact(c);
}

/* ------------------------------------------------------------ inlines */

static tinl *find_inl(struct pdf_tag *t, const pdf_para *p, int link,
                      size_t span)
{
    for (size_t i = 0; i < t->ninl; i++) {
        tinl *n = &t->inl[i];
        if (n->p != p) continue;
        if (link >= 0 ? n->link == link
                      : n->link < 0 && p->spans[span].start >= n->s0 &&
                            p->spans[span].start < n->s1)
            return n;
    }
    return NULL;
}

static tinl *add_inl(struct pdf_tag *t, const pdf_para *p, int link)
{
    GROW(t->inl, t->ninl, t->capinl);
    tinl *n = &t->inl[t->ninl++];
    memset(n, 0, sizeof *n);
    n->p = p;
    n->link = link;
    n->elem = -1;
    return n;
}

/* The inline element a glyph's span belongs to (made now if need be),
 * or -1 for the paragraph's own. */
static int inline_elem(pdf_ctx *c, const pdf_para *p, size_t span, int make)
{
    struct pdf_tag *t = c->tag;
    int link = p->spans[span].st.link;
    tinl *n = find_inl(t, p, link, span);
    if (!n && link >= 0 && make) n = add_inl(t, p, link);
    if (!n) return -1;
    if (n->elem < 0 && make) {
        int parent = top_elem(t);
        if (parent < 0) return -1;
        n->elem = new_elem(c, link >= 0 ? "Link" : n->role, parent, 0);
        if (n->tex) t->e[n->elem].alt = tex_alt(n->tex, n->len);
    }
    return n->elem;
}

void pdf_tag_math(pdf_ctx *c, const pdf_para *p, size_t from, const char *tex,
                  size_t len)
{
    struct pdf_tag *t = c->tag;
    if (!t || from >= p->nspans) return;
    tinl *n = add_inl(t, p, -1);
    n->role = "Formula";
    n->s0 = p->spans[from].start;
    n->s1 = p->text.len;
    n->tex = dup(tex, len);
    n->len = len;
}

void pdf_tag_reference(pdf_ctx *c, const pdf_para *p, size_t at)
{
    struct pdf_tag *t = c->tag;
    if (!t || !p->nspans || at >= p->text.len) return;
    size_t s = p->nspans - 1; /* the span holding byte at */
    while (s > 0 && p->spans[s].start > at)
        s--;
    /* A mark right after another ("2,3") shares its span, so its
     * Reference; one in a link's text is in the Link. */
    if (p->spans[s].start != at || p->spans[s].st.link >= 0) return;
    tinl *n = add_inl(t, p, -1);
    n->role = "Reference";
    n->s0 = at;
    n->s1 = p->text.len;
}

int pdf_tag_line(pdf_ctx *c, const pdf_para *p, size_t from, size_t to)
{
    struct pdf_tag *t = c->tag;
    if (!t) return 0;
    int any = p->nlinks > 0;
    for (size_t i = 0; i < t->ninl && !any; i++)
        any = t->inl[i].p == p;
    if (any && top(t) >= 0)
        for (size_t i = from; i < to; i++)
            if (p->g[i].face >= 0 &&
                (p->spans[p->g[i].span].st.link >= 0 ||
                 find_inl(t, p, -1, (size_t)p->g[i].span))) {
                pdf_tag_close(c);
                return 1;
            }
    pdf_tag_mark(c);
    return 0;
}

void pdf_tag_run(pdf_ctx *c, const pdf_para *p, size_t glyph)
{
    if (!c->tag) return;
    int e = inline_elem(c, p, (size_t)p->g[glyph].span, 1);
    set_mark(c, e >= 0 ? e : top(c->tag));
}

static void annot(pdf_ctx *c, int elem, HPDF_Annotation a, const char *alt);

void pdf_tag_link_annot(pdf_ctx *c, const pdf_para *p, int link,
                        HPDF_Annotation a)
{
    struct pdf_tag *t = c->tag;
    if (!t || !a) return;
    tinl *n = find_inl(t, p, link, 0);
    if (!n) n = add_inl(t, p, link);
    int parent = top_elem(t);
    if (n->elem < 0 && parent >= 0) n->elem = new_elem(c, "Link", parent, 0);
    /* Described by its address, less the scheme a listener need not hear
     * (libharu writes each '/' of a string as 4 bytes). */
    const char *url = p->links[link];
    if (strncmp(url, "https://", 8) == 0)
        url += 8;
    else if (strncmp(url, "http://", 7) == 0)
        url += 7;
    if (n->elem >= 0) annot(c, n->elem, a, url);
}

void pdf_tag_annot(pdf_ctx *c, HPDF_Annotation a, const char *alt)
{
    if (c->tag && a && top_elem(c->tag) >= 0)
        annot(c, top_elem(c->tag), a, alt);
}

void pdf_tag_para_free(pdf_ctx *c, const pdf_para *p)
{
    struct pdf_tag *t = c->tag;
    if (!t) return;
    size_t k = 0;
    for (size_t i = 0; i < t->ninl; i++)
        if (t->inl[i].p == p)
            free(t->inl[i].tex);
        else
            t->inl[k++] = t->inl[i];
    t->ninl = k;
}

/* ------------------------------------------------------------ strings */

/* The length of s cut to at most max bytes at a character boundary. */
static size_t cut(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max) return len;
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* A text string: literal when plain ASCII, else UTF-16BE with a BOM; up
 * to max bytes of s. */
static void *text_string(pdf_ctx *c, const char *s, size_t max)
{
    size_t len = cut(s, max), i;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E) break;
    if (i == len) {
        char *a = dup(s, len);
        void *o = HPDF_String_New(haru_mmgr(c->doc), a, NULL);
        free(a);
        return o;
    }
    unsigned char *u = malloc(2 * len + 2), *q = u;
    if (!u) abort();
    *q++ = 0xFE;
    *q++ = 0xFF;
    for (i = 0; i < len;) {
        uint32_t cp;
        size_t k = c->host->utf8_next(s + i, len - i, &cp);
        i += k ? k : 1;
        if (cp < 0x20) cp = ' '; /* line ends of a formula's source */
        if (cp > 0xFFFF) {       /* a surrogate pair: 4 bytes of 4 */
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            *q++ = (unsigned char)(hi >> 8), *q++ = (unsigned char)hi;
            *q++ = (unsigned char)(lo >> 8), *q++ = (unsigned char)lo;
        } else {
            *q++ = (unsigned char)(cp >> 8), *q++ = (unsigned char)cp;
        }
    }
    void *o = HPDF_Binary_New(haru_mmgr(c->doc), u, (HPDF_UINT)(q - u));
    free(u);
    return o;
}

static void annot(pdf_ctx *c, int elem, HPDF_Annotation a, const char *alt)
{
    struct pdf_tag *t = c->tag;
    GROW(t->annots, t->nannots, t->capannots);
    int i = (int)t->nannots++;
    t->annots[i] = a;
    int key = new_key(t, -1, elem, i);
    add_kid(t, elem, K_OBJR, i, (int)page_rec(t, c->page), 0);
    HPDF_Dict_AddNumber(a, "StructParent", key);
    /* A short description: a long URL is broken into many annotations. */
    if (alt && *alt) HPDF_Dict_Add(a, "Contents", text_string(c, alt, 160));
}

/* ------------------------------------------------------------- set-up */

int pdf_tag_init(pdf_ctx *c)
{
    const char *v = c->host->option(c->job, "tagged");
    if (v && strcmp(v, "no") == 0) return 0;
    if (v && strcmp(v, "yes") != 0) {
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "pdf.tagged: '%s' is neither yes nor no", v);
        return -1;
    }
    struct pdf_tag *t = calloc(1, sizeof *t);
    if (!t) return -1;
    c->tag = t;
    t->open = MARK_NONE;
    t->lang = c->lang;
    t->hlast = c->book; /* a book's title is the H1 */
    push(t, new_elem(c, "Document", -1, 0));
    return 0;
}

void pdf_tag_free(pdf_ctx *c)
{
    struct pdf_tag *t = c->tag;
    if (!t) return;
    for (size_t i = 0; i < t->ne; i++) {
        free(t->e[i].kids);
        free(t->e[i].alt);
        free(t->e[i].lang);
    }
    for (size_t i = 0; i < t->npg; i++)
        free(t->pg[i].elem);
    for (size_t i = 0; i < t->ninl; i++)
        free(t->inl[i].tex);
    free(t->e);
    free(t->stack);
    free(t->pg);
    free(t->keys);
    free(t->annots);
    free(t->inl);
    c->host->buf_free(&t->out);
    free(t);
    c->tag = NULL;
}

/* ------------------------------------------------------------ writing */

static HPDF_Dict indirect(pdf_ctx *c)
{
    HPDF_Dict d = HPDF_Dict_New(haru_mmgr(c->doc));
    if (!d || HPDF_Xref_Add(haru_xref(c->doc), d) != HPDF_OK) {
        c->failed = 1;
        return NULL; /* HPDF_Xref_Add frees what it could not add */
    }
    return d;
}

static HPDF_Dict plain_dict(pdf_ctx *c)
{
    HPDF_Dict d = HPDF_Dict_New(haru_mmgr(c->doc));
    if (!d) c->failed = 1;
    return d;
}

/* The bodies of the structure's dictionaries, written by libharu's
 * callback (haru_dict_body) in PDF's compact syntax: one object each and
 * no libharu object for their entries, which would cost time and 40 %
 * more bytes. */

static void put_ref(folio_buf *b, const folio_host *h, const char *key,
                    const void *obj)
{
    h->buf_printf(b, "%s%u 0 R", key, haru_obj_id(obj));
}

/* A text string: literal when plain ASCII, else UTF-16BE in hex with a
 * BOM; up to max bytes of s. */
static void put_text(folio_buf *b, const folio_host *h, const char *s,
                     size_t max)
{
    size_t len = cut(s, max), i;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E) break;
    if (i == len) {
        h->buf_put(b, "(", 1);
        for (i = 0; i < len; i++) {
            if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
                h->buf_put(b, "\\", 1);
            h->buf_put(b, s + i, 1);
        }
        h->buf_put(b, ")", 1);
        return;
    }
    h->buf_puts(b, "<FEFF");
    for (i = 0; i < len;) {
        uint32_t cp;
        size_t k = h->utf8_next(s + i, len - i, &cp);
        i += k ? k : 1;
        if (cp < 0x20) cp = ' '; /* line ends of a formula's source */
        if (cp > 0xFFFF) {       /* a surrogate pair */
            cp -= 0x10000;
            h->buf_printf(b, "%04X%04X", 0xD800 + (unsigned)(cp >> 10),
                          0xDC00 + (unsigned)(cp & 0x3FF));
        } else {
            h->buf_printf(b, "%04X", (unsigned)cp);
        }
    }
    h->buf_put(b, ">", 1);
}

static HPDF_STATUS flush(struct pdf_tag *t, HPDF_Stream s)
{
    HPDF_STATUS rc = HPDF_Stream_Write(s, (const HPDF_BYTE *)t->out.data,
                                       (HPDF_UINT)t->out.len);
    t->out.len = 0;
    return rc;
}

static HPDF_STATUS elem_body(HPDF_Dict d, HPDF_Stream s)
{
    const telem *e = haru_dict_user(d);
    struct pdf_tag *t = e->owner;
    const folio_host *h = t->c->host;
    folio_buf *b = &t->out;
    h->buf_printf(b, "/S/%s", e->role);
    put_ref(b, h, "/P ",
            e->parent >= 0 ? (void *)t->e[e->parent].dict : t->root);
    int pg = -1; /* the page of its first marked content */
    size_t nk = 0;
    for (size_t k = 0; k < e->nkids; k++) {
        const tkid *kid = &e->kids[k];
        if (kid->type == K_MCID && pg < 0) pg = kid->page;
        nk += kid->type != K_ELEM || t->e[kid->v].live;
    }
    if (pg >= 0) put_ref(b, h, "/Pg ", t->pg[pg].page);
    /* One MCID alone needs no array. */
    int one = nk == 1 && e->kids[0].type == K_MCID && e->kids[0].page == pg;
    h->buf_puts(b, one ? "/K " : "/K[");
    const char *sep = "";
    for (size_t k = 0; k < e->nkids; k++) {
        const tkid *kid = &e->kids[k];
        if (kid->type == K_ELEM) {
            if (!t->e[kid->v].live) continue;
            put_ref(b, h, sep, t->e[kid->v].dict);
        } else if (kid->type == K_MCID && kid->page == pg) {
            h->buf_printf(b, "%s%d", sep, kid->v);
        } else if (kid->type == K_MCID) { /* on another page */
            put_ref(b, h, "<</Type/MCR/Pg ", t->pg[kid->page].page);
            h->buf_printf(b, "/MCID %d>>", kid->v);
        } else {
            put_ref(b, h, "<</Type/OBJR/Obj ", t->annots[kid->v]);
            if (kid->page != pg) put_ref(b, h, "/Pg ", t->pg[kid->page].page);
            h->buf_puts(b, ">>");
        }
        sep = " ";
        HPDF_STATUS rc;
        if (b->len > 60000 && (rc = flush(t, s)) != HPDF_OK) return rc;
    }
    if (!one) h->buf_puts(b, "]");
    if (e->alt) {
        h->buf_puts(b, "/Alt");
        put_text(b, h, e->alt, 32000);
    }
    if (strcmp(e->role, "Note") == 0) /* a note needs an ID (IDTree) */
        h->buf_printf(b, "/ID(n%08zu)", (size_t)(e - t->e));
    if (e->lang) {
        h->buf_puts(b, "/Lang");
        put_text(b, h, e->lang, 64);
    }
    if (e->hasbbox)
        h->buf_printf(b, "/A<</O/Layout/BBox[%.2f %.2f %.2f %.2f]>>",
                      (double)e->bbox[0], (double)e->bbox[1],
                      (double)e->bbox[2], (double)e->bbox[3]);
    else if (strcmp(e->role, "TH") == 0)
        h->buf_puts(b, "/A<</O/Table/Scope/Column>>");
    else if (e->numbering)
        h->buf_printf(b, "/A<</O/List/ListNumbering/%s>>", e->numbering);
    h->buf_puts(b, "\012");
    return flush(t, s);
}

/* The root: its Document and the parent tree (flat, its keys in order:
 * each page's elements by MCID, each annotation's element). */
static HPDF_STATUS root_body(HPDF_Dict d, HPDF_Stream s)
{
    struct pdf_tag *t = haru_dict_user(d);
    const folio_host *h = t->c->host;
    folio_buf *b = &t->out;
    put_ref(b, h, "/Type/StructTreeRoot/K ", t->e[0].dict);
    h->buf_puts(b, "/ParentTree<</Nums[");
    for (size_t k = 0; k < t->nkeys; k++) {
        const tkey *key = &t->keys[k];
        h->buf_printf(b, "%s%zu", k ? "\012" : "", k);
        if (key->page < 0) {
            put_ref(b, h, " ", t->e[key->elem].dict);
        } else {
            const tpage *pg = &t->pg[key->page];
            h->buf_puts(b, "[");
            for (size_t m = 0; m < pg->nmcid; m++)
                put_ref(b, h, m ? " " : "", t->e[pg->elem[m]].dict);
            h->buf_puts(b, "]");
        }
        HPDF_STATUS rc;
        if (b->len > 60000 && (rc = flush(t, s)) != HPDF_OK) return rc;
    }
    h->buf_printf(b, "]>>/ParentTreeNextKey %zu", t->nkeys);
    /* The notes' IDs, in the order of their names (the element index,
     * zero-padded, sorts as the elements do). */
    const char *sep = "/IDTree<</Names[";
    for (size_t i = 0; i < t->ne; i++) {
        if (!t->e[i].live || strcmp(t->e[i].role, "Note") != 0) continue;
        h->buf_printf(b, "%s(n%08zu)", sep, i);
        put_ref(b, h, " ", t->e[i].dict);
        sep = " ";
        HPDF_STATUS rc;
        if (b->len > 60000 && (rc = flush(t, s)) != HPDF_OK) return rc;
    }
    if (*sep == ' ') h->buf_puts(b, "]>>");
    h->buf_puts(b, "\012");
    return flush(t, s);
}
static void xml_text(pdf_ctx *c, folio_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            c->host->buf_puts(b, "&amp;");
        else if (*s == '<')
            c->host->buf_puts(b, "&lt;");
        else if (*s == '>')
            c->host->buf_puts(b, "&gt;");
        else if ((unsigned char)*s < 0x20 && *s != '\t')
            c->host->buf_put(b, " ", 1); /* no control character in XML */
        else
            c->host->buf_put(b, s, 1);
    }
}

/* The XMP packet: title and language as the document's, PDF/UA-1. */
static void metadata(pdf_ctx *c, const folio_book *book, const char *title)
{
    const folio_host *h = c->host;
    folio_buf x = {0};
    h->buf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
                    "22-rdf-syntax-ns#\">\n"
                    "<rdf:Description rdf:about=\"\" "
                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
                    "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_text(c, &x, title);
    h->buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n");
    if (book->lang) {
        h->buf_puts(&x, "<dc:language><rdf:Bag><rdf:li>");
        xml_text(c, &x, book->lang);
        h->buf_puts(&x, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    if (book->author) {
        h->buf_puts(&x, "<dc:creator><rdf:Seq><rdf:li>");
        xml_text(c, &x, book->author);
        h->buf_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    time_t tt = (time_t)book->epoch;
    struct tm tm;
    if (gmtime_r(&tt, &tm)) {
        char d[32];
        strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%SZ", &tm);
        h->buf_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n", d);
    }
    h->buf_printf(&x, "<xmp:CreatorTool>folio %s</xmp:CreatorTool>\n",
                  h->version);
    h->buf_puts(&x, "<pdfuaid:part>1</pdfuaid:part>\n"
                    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
                    "<?xpacket end=\"w\"?>");
    /* Left unfiltered: readers that do not inflate can find it. */
    HPDF_Dict m = HPDF_DictStream_New(haru_mmgr(c->doc), haru_xref(c->doc));
    if (!m || HPDF_Dict_AddName(m, "Type", "Metadata") != HPDF_OK ||
        HPDF_Dict_AddName(m, "Subtype", "XML") != HPDF_OK ||
        HPDF_Stream_Write(haru_mem_stream(m), (const HPDF_BYTE *)x.data,
                          (HPDF_UINT)x.len) != HPDF_OK ||
        HPDF_Dict_Add(haru_catalog(c->doc), "Metadata", m) != HPDF_OK)
        c->failed = 1;
    h->buf_free(&x);
}

/* The error libharu recorded in an object function (those call no error
 * handler), as the plugin reports it. */
static void haru_error(pdf_ctx *c)
{
    HPDF_STATUS e = HPDF_GetError(c->doc);
    if (e == HPDF_OK) return;
    if (!c->failed) {
        c->err = e;
        c->detail = HPDF_GetErrorDetail(c->doc);
    }
    c->failed = 1;
}

void pdf_tag_finish(pdf_ctx *c, const folio_book *book, const char *title)
{
    struct pdf_tag *t = c->tag;
    if (!t || c->failed) return;
    pdf_tag_close(c);
    /* Elements with content, or with a child that has some (children
     * come after their parents). */
    for (size_t i = 0; i < t->ne; i++)
        for (size_t k = 0; k < t->e[i].nkids && !t->e[i].live; k++)
            t->e[i].live = t->e[i].kids[k].type != K_ELEM;
    t->e[0].live = 1; /* the Document, even empty */
    for (size_t i = t->ne; i-- > 1;)
        if (t->e[i].live) t->e[t->e[i].parent].live = 1;
    /* Empty dictionaries with object numbers now, their bodies written
     * when libharu writes them. */
    t->c = c;
    HPDF_Dict root = t->root = indirect(c);
    for (size_t i = 0; i < t->ne && !c->failed; i++)
        if (t->e[i].live && (t->e[i].dict = indirect(c)))
            haru_dict_body(t->e[i].dict, elem_body, &t->e[i]);
    if (c->failed) return;
    haru_dict_body(root, root_body, t);
    for (size_t i = 0; i < t->npg; i++)
        if (t->pg[i].key >= 0)
            HPDF_Dict_AddNumber(t->pg[i].page, "StructParents", t->pg[i].key);

    /* Tab order follows the structure on every page. */
    for (HPDF_UINT i = 0; i < haru_page_count(c->doc); i++) {
        HPDF_Page page = HPDF_GetPageByIndex(c->doc, i);
        if (page) HPDF_Dict_AddName(page, "Tabs", "S");
    }
    HPDF_Dict cat = haru_catalog(c->doc);
    HPDF_Dict mark = plain_dict(c), view = plain_dict(c);
    if (!mark || !view) return;
    HPDF_Dict_Add(cat, "StructTreeRoot", root);
    HPDF_Dict_Add(cat, "MarkInfo", mark);
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(cat, "ViewerPreferences", view);
    HPDF_Dict_AddBoolean(view, "DisplayDocTitle", HPDF_TRUE);
    if (book->lang) HPDF_Dict_Add(cat, "Lang", text_string(c, book->lang, 64));
    metadata(c, book, title);
    /* Marked content and the structure tree are PDF 1.4 and later; PDF/UA
     * is written against 1.7. */
    haru_pdf17(c->doc);
    haru_error(c);
}
