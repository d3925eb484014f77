/* The digest layer: which headings are papers, which are sections, what a
 * paper's links are.  Works on the top-level block list and cuts it into
 * the preamble, papers and sections without dropping a block. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct linkvec {
    folio_link *v;
    size_t n, cap;
} linkvec;

static void add_links(arena *a, linkvec *lv, const folio_node *para,
                      const char **primary)
{
    for (const folio_node *c = para->child; c; c = c->next) {
        if (c->type != FOLIO_NODE_LINK) continue;
        if (primary && !*primary) {
            *primary = c->u.link.url;
            continue;
        }
        if (lv->n == lv->cap) {
            size_t cap = lv->cap ? lv->cap * 2 : 4;
            folio_link *v = arena_alloc(a, cap * sizeof *v);
            if (lv->n) memcpy(v, lv->v, lv->n * sizeof *v);
            lv->v = v;
            lv->cap = cap;
        }
        lv->v[lv->n].label = plain(a, c->child);
        lv->v[lv->n].url = c->u.link.url;
        lv->n++;
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

static const struct {
    folio_role role;
    const char *names;
} roles[] = {
    {FOLIO_ROLE_INTRODUCTION,
     "|introduction|intro|background|overview|서론|소개|도입|배경|개요|引言|"
     "简介"
     "|介绍|背景|概述|导言|導言|簡介|はじめに|序論|導入|"},
    {FOLIO_ROLE_METHOD, "|method|methods|methodology|approach|proposed "
                        "method|방법|방법론|제안 방법"
                        "|접근법|접근 방법|方法|方法论|方法論|手法|提案手法|"},
    {FOLIO_ROLE_RESULTS,
     "|results|result|experiments|experimental results|evaluation|findings|결과"
     "|실험 결과|실험|结果|实验结果|實驗結果|結果|実験結果|"},
    {FOLIO_ROLE_LIMITATIONS,
     "|limitations|limitation|limits|weaknesses|한계|한계점|제한점|局限|局限性"
     "|限制|不足|限界|制限|"},
    {FOLIO_ROLE_CONCLUSION,
     "|conclusion|conclusions|결론|맺음말|结论|結論|总结|結語|结语|まとめ|"},
};

folio_role role_of(const char *title)
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
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (strstr(roles[i].names, pat)) return roles[i].role;
    return FOLIO_ROLE_OTHER;
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
        return arena_strndup(a, p, j);
    }
    return NULL;
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
        if ((c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
            (c >= 0x3130 && c <= 0x318F))
            hangul++;
        else if (c >= 0x3040 && c <= 0x30FF)
            kana++;
        else if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
            han++;
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

    /* Sections: headings one level below; else bold-label paragraphs. */
    size_t first_sec = end;
    for (size_t i = h + 1; i < end; i++)
        if (is_heading(v->v[i], level + 1)) {
            first_sec = i;
            break;
        }
    int labels = 0;
    if (first_sec == end) {
        for (size_t i = h + 1; i < end; i++)
            if (bold_label(a, v->v[i])) {
                first_sec = i;
                labels = 1;
                break;
            }
    }

    /* Links: the first link paragraph, block quotes of links. */
    linkvec lv = {0};
    for (size_t i = h + 1; i < first_sec; i++) {
        const folio_node *b = v->v[i];
        if (link_paragraph(b)) {
            add_links(a, &lv, b, &p->url);
            if (!p->links_block) p->links_block = b;
        } else if (link_quote(b)) {
            for (const folio_node *c = b->child; c; c = c->next)
                add_links(a, &lv, c, NULL);
            if (!p->links_block) p->links_block = b;
        }
    }
    p->links = lv.v;
    p->nlinks = lv.n;
    p->arxiv_id = arxiv_id_of(a, p->url);
    for (size_t i = 0; !p->arxiv_id && i < lv.n; i++)
        p->arxiv_id = arxiv_id_of(a, lv.v[i].url);

    /* Count and cut sections. */
    size_t ns = 0;
    for (size_t i = first_sec; i < end; i++)
        if (labels ? bold_label(a, v->v[i]) != NULL
                   : is_heading(v->v[i], level + 1))
            ns++;
    folio_section *secs = arena_alloc(a, sizeof *secs * (ns ? ns : 1));
    size_t k = 0, start = first_sec;
    for (size_t i = first_sec; i <= end; i++) {
        int boundary = i == end;
        char *label = NULL;
        if (!boundary && i > start) {
            label = labels ? bold_label(a, v->v[i]) : NULL;
            boundary = labels ? label != NULL : is_heading(v->v[i], level + 1);
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
    p->body = cut(v, h + 1, first_sec);
    MUT(head)->next = NULL;
}

void structure_build(folio_doc *doc, const folio_node *blocks, diags *dg)
{
    folio_digest *d = &doc->d;
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

    size_t np = 0;
    for (size_t i = 0; i < v.n; i++)
        np += level && is_heading(v.v[i], level) && v.v[i] != d->title_heading;
    folio_paper *papers =
        arena_alloc(&doc->arena, sizeof *papers * (np ? np : 1));
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
    free(v.v);
}
