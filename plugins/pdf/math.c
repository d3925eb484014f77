/* math.c - TeX math in the PDF, from the host's tree (host->math_parse).
 *
 * Inline math becomes styled runs of the paragraph, so it breaks, justifies
 * and sizes with the line: variables in a real italic (DejaVu Serif
 * Italic), operators, digits and Greek capitals upright (DejaVu Math TeX
 * Gyre; fonts.c), scripts smaller and raised or lowered, fractions as a/b,
 * roots as √x.
 *
 * Display math (a paragraph holding only a $$...$$ span) is typeset as
 * boxes: stacked fractions with a rule, radicals (a √ glyph scaled to the
 * radicand and a rule over it), big operators with limits above and
 * below, matrices and aligned rows, delimiters scaled to what they hold,
 * the whole centred in the column.  Every symbol is drawn as text in its
 * font, so text extraction gives α, ∑, ≤, not the TeX.
 *
 * Metrics are the usual proportions of an em (ascent 0.72, descent 0.24,
 * math axis 0.25) rather than read from each font: the faces are chosen
 * here, and this keeps the code small. */
#include "pdf.h"
#include "tag.h"

#include <stdlib.h>
#include <string.h>

#define SCRIPT_SCALE 0.7f
#define MIN_SIZE 4.5f
#define MAX_ITEMS                                                              \
    20000 /* drawing items of one formula (depth is bounded                    \
             by the host's parser, the input by its size) */

/* ------------------------------------------------------------ inline */

/* A styled letter as the host maps it (one table, in the core): a BMP
 * letterlike symbol (double-struck R, script B), or a Mathematical
 * Alphanumeric Symbol (script N, U+1D4A9) when the math face draws it,
 * else the plain letter.  Italic keeps its own face (leaf_role), so its
 * hole (italic h) is not taken. */
static uint32_t letterlike(const pdf_ctx *c, uint32_t cp, int variant)
{
    if (variant == FOLIO_MATH_V_ITALIC ||
        !FOLIO_HOST_HAS(c->host, math_variant))
        return cp;
    uint32_t to = c->host->math_variant(cp, variant);
    if (to < 0x10000) return to;
    int math = c->fonts->role[ROLE_MATH];
    return math >= 0 && pdf_pick(c, ROLE_MATH, 0, to) == math ? to : cp;
}

/* 1 when a leaf's first letter is drawn as a styled letter beyond the
 * BMP: only the math face has those. */
static int styled(const pdf_ctx *c, const folio_math *m)
{
    uint32_t cp;
    size_t n = m->text ? strlen(m->text) : 0;
    return n && c->host->utf8_next(m->text, n, &cp) &&
           letterlike(c, cp, m->variant) > 0xFFFF;
}

static int one_char(const pdf_ctx *c, const char *s)
{
    uint32_t cp;
    size_t n = strlen(s);
    return n && c->host->utf8_next(s, n, &cp) == n;
}

/* The role of a leaf: single letters italic unless a style says upright. */
static int leaf_role(const pdf_ctx *c, const folio_math *m)
{
    int v = m->variant;
    if (styled(c, m)) return ROLE_MATH;
    if (m->kind == FOLIO_MATH_TEXT) return ROLE_REGULAR;
    if (v == FOLIO_MATH_V_BOLD || v == FOLIO_MATH_V_BOLD_ITALIC ||
        v == FOLIO_MATH_V_SANS_BOLD)
        return ROLE_BOLD;
    if (v == FOLIO_MATH_V_MONO) return ROLE_MONO;
    if (v == FOLIO_MATH_V_ITALIC || v == FOLIO_MATH_V_SANS_ITALIC)
        return ROLE_MATH_IT;
    if (m->kind == FOLIO_MATH_IDENT && v == FOLIO_MATH_V_DEFAULT &&
        !(m->flags & FOLIO_MATH_F_FUNC) && m->text && one_char(c, m->text)) {
        uint32_t cp;
        c->host->utf8_next(m->text, strlen(m->text), &cp);
        /* Capital Greek is upright in TeX. */
        return cp >= 0x391 && cp <= 0x3A9 ? ROLE_MATH : ROLE_MATH_IT;
    }
    return ROLE_MATH;
}

/* A leaf's text with its letter styles mapped (letterlike). */
static void leaf_text(const pdf_ctx *c, folio_buf *out, const folio_math *m)
{
    const char *s = m->text ? m->text : "";
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = c->host->utf8_next(s + i, n - i, &cp);
        uint32_t to = letterlike(c, cp, m->variant);
        if (to > 0xFFFF) {
            char u[4] = {
                (char)(0xF0 | (to >> 18)), (char)(0x80 | ((to >> 12) & 0x3F)),
                (char)(0x80 | ((to >> 6) & 0x3F)), (char)(0x80 | (to & 0x3F))};
            c->host->buf_put(out, u, 4);
        } else if (to != cp) {
            char u[3] = {(char)(0xE0 | (to >> 12)),
                         (char)(0x80 | ((to >> 6) & 0x3F)),
                         (char)(0x80 | (to & 0x3F))};
            c->host->buf_put(out, u, 3);
        } else if (cp == '-' && m->kind == FOLIO_MATH_OP) {
            c->host->buf_puts(out, "\xE2\x88\x92"); /* minus sign */
        } else {
            c->host->buf_put(out, s + i, k);
        }
        i += k;
    }
}

static void run(pdf_ctx *c, pdf_para *p, int role, const char *s, size_t len)
{
    p->cur.role = (unsigned char)role;
    p->cur.italic = 0;
    pdf_para_text(c, p, s, len);
}

/* The host's combining form of an accent mark (one table, in the core),
 * or NULL. */
static const char *combining(const pdf_ctx *c, const folio_math *m)
{
    if (!m->text || !FOLIO_HOST_HAS(c->host, math_combining)) return NULL;
    return c->host->math_combining(m->text,
                                   (m->flags & FOLIO_MATH_F_UNDER) != 0);
}

/* An operand that reads as one unit without parentheses. */
static int atomic(const folio_math *m)
{
    while (m && m->kind == FOLIO_MATH_ROW && m->first && !m->first->next)
        m = m->first;
    return m && (m->kind == FOLIO_MATH_IDENT || m->kind == FOLIO_MATH_NUMBER ||
                 m->kind == FOLIO_MATH_FENCED || m->kind == FOLIO_MATH_SQRT ||
                 (m->kind == FOLIO_MATH_SCRIPT && m->a &&
                  m->a->kind != FOLIO_MATH_ROW));
}

static void lin(pdf_ctx *c, pdf_para *p, const folio_math *m, int depth);

/* A binary operator after nothing, an opening fence, a relation or an
 * operator is a sign (−x, (−1)): no space around it. */
static int unary(const folio_math *prev)
{
    return !prev || (prev->kind == FOLIO_MATH_OP &&
                     (prev->flags &
                      (FOLIO_MATH_F_OPEN | FOLIO_MATH_F_REL | FOLIO_MATH_F_BIN |
                       FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_LARGE)));
}

/* A function name (log, max, or one with scripts) wants a thin space
 * before what it applies to, unless that is a fence. */
static int func_gap(const folio_math *k)
{
    const folio_math *b = k->kind == FOLIO_MATH_SCRIPT ? k->a : k;
    const folio_math *n = k->next;
    if (!b || !n || !(b->flags & (FOLIO_MATH_F_FUNC | FOLIO_MATH_F_LARGE)))
        return 0;
    if (n->kind == FOLIO_MATH_FENCED) return 0;
    if (n->kind == FOLIO_MATH_OP &&
        (n->flags & (FOLIO_MATH_F_OPEN | FOLIO_MATH_F_REL | FOLIO_MATH_F_BIN |
                     FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_CLOSE)))
        return 0;
    return 1;
}

static void lin_group(pdf_ctx *c, pdf_para *p, const folio_math *m, int depth)
{
    int paren = !atomic(m);
    if (paren) run(c, p, ROLE_MATH, "(", 1);
    lin(c, p, m, depth);
    if (paren) run(c, p, ROLE_MATH, ")", 1);
}

static void lin_script(pdf_ctx *c, pdf_para *p, const folio_math *m, int up,
                       int depth)
{
    pdf_style saved = p->cur;
    p->cur.super = up ? 1 : 2;
    p->cur.size = saved.size * SCRIPT_SCALE;
    if (p->cur.size < MIN_SIZE) p->cur.size = MIN_SIZE;
    lin(c, p, m, depth);
    p->cur = saved;
}

static void lin(pdf_ctx *c, pdf_para *p, const folio_math *m, int depth)
{
    if (!m || depth > 200) return;
    pdf_style saved = p->cur;
    folio_buf t = {0};
    switch (m->kind) {
    case FOLIO_MATH_ROW:
        if (m->flags & FOLIO_MATH_F_PHANTOM) break;
        for (const folio_math *k = m->first, *prev = NULL; k;
             prev = k, k = k->next) {
            if (k->kind == FOLIO_MATH_OP && (k->flags & FOLIO_MATH_F_BIN) &&
                unary(prev)) {
                leaf_text(c, &t, k);
                run(c, p, ROLE_MATH, t.data ? t.data : "", t.len);
                t.len = 0;
                continue;
            }
            lin(c, p, k, depth + 1);
            if (func_gap(k)) run(c, p, ROLE_MATH, "\xE2\x80\x89", 3);
        }
        break;
    case FOLIO_MATH_IDENT:
    case FOLIO_MATH_NUMBER:
    case FOLIO_MATH_TEXT:
        leaf_text(c, &t, m);
        run(c, p, leaf_role(c, m), t.data ? t.data : "", t.len);
        break;
    case FOLIO_MATH_OP: {
        int spaced =
            (m->flags & (FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL)) && !p->cur.super;
        leaf_text(c, &t, m);
        /* Thin spaces around relations and binary operators. */
        if (spaced) run(c, p, ROLE_MATH, "\xE2\x80\x89", 3);
        run(c, p, ROLE_MATH, t.data ? t.data : "", t.len);
        if (spaced || (m->flags & FOLIO_MATH_F_PUNCT))
            run(c, p, ROLE_MATH, "\xE2\x80\x89", 3);
        break;
    }
    case FOLIO_MATH_SPACE:
        if (m->size >= 3)
            run(c, p, ROLE_MATH, m->size >= 15 ? " " : "\xE2\x80\x89",
                m->size >= 15 ? 1 : 3);
        break;
    case FOLIO_MATH_SCRIPT:
        lin(c, p, m->a, depth + 1);
        if (m->b) lin_script(c, p, m->b, 0, depth + 1);
        if (m->c) lin_script(c, p, m->c, 1, depth + 1);
        break;
    case FOLIO_MATH_FRAC:
        if (m->flags & FOLIO_MATH_F_BINOM) {
            run(c, p, ROLE_MATH, "C(", 2);
            lin(c, p, m->a, depth + 1);
            run(c, p, ROLE_MATH, ", ", 2);
            lin(c, p, m->b, depth + 1);
            run(c, p, ROLE_MATH, ")", 1);
            break;
        }
        lin_group(c, p, m->a, depth + 1);
        run(c, p, ROLE_MATH, "/", 1);
        lin_group(c, p, m->b, depth + 1);
        break;
    case FOLIO_MATH_SQRT:
        if (m->b) lin_script(c, p, m->b, 1, depth + 1);
        run(c, p, ROLE_MATH, "\xE2\x88\x9A", 3);
        lin_group(c, p, m->a, depth + 1);
        break;
    case FOLIO_MATH_ACCENT: {
        const char *comb = combining(c, m);
        const folio_math *a = m->a;
        while (a && a->kind == FOLIO_MATH_ROW && a->first && !a->first->next)
            a = a->first;
        lin(c, p, m->a, depth + 1);
        if (comb && a && a->text && one_char(c, a->text) &&
            (a->kind == FOLIO_MATH_IDENT || a->kind == FOLIO_MATH_NUMBER)) {
            p->cur.role = (unsigned char)leaf_role(c, a);
            pdf_para_text(c, p, comb, strlen(comb)); /* x̂ */
        } else if (m->text && !(m->flags & FOLIO_MATH_F_UNDER))
            lin_script(c, p,
                       &(folio_math){.kind = FOLIO_MATH_OP, .text = m->text}, 1,
                       depth + 1);
        break;
    }
    case FOLIO_MATH_FENCED:
        if (m->text) run(c, p, ROLE_MATH, m->text, strlen(m->text));
        lin(c, p, m->a, depth + 1);
        if (m->text2) run(c, p, ROLE_MATH, m->text2, strlen(m->text2));
        break;
    case FOLIO_MATH_TABLE: { /* [a, b; c, d]; aligned rows: a = b; c = d */
        int rows =
            m->size == FOLIO_MATH_ENV_ALIGN || m->size == FOLIO_MATH_ENV_GATHER;
        if (!rows) run(c, p, ROLE_MATH, "[", 1);
        for (const folio_math *r = m->first; r; r = r->next) {
            for (const folio_math *k = r->first; k; k = k->next) {
                lin(c, p, k, depth + 1);
                if (k->next && !rows) run(c, p, ROLE_MATH, ", ", 2);
            }
            if (r->next) run(c, p, ROLE_MATH, "; ", 2);
        }
        if (!rows) run(c, p, ROLE_MATH, "]", 1);
        break;
    }
    case FOLIO_MATH_ERROR: /* visible: the source as written */
        p->cur.rgb = 0xa03020u;
        run(c, p, ROLE_MONO, m->text ? m->text : "",
            m->text ? strlen(m->text) : 0);
        break;
    case FOLIO_MATH_STYLE:
        lin(c, p, m->a, depth + 1);
        break;
    default:
        break;
    }
    c->host->buf_free(&t);
    p->cur = saved;
}

void pdf_math_inline(pdf_ctx *c, pdf_para *p, const folio_node *n)
{
    if (!FOLIO_HOST_HAS(c->host, math_parse)) {
        pdf_para_text(c, p, n->text, n->len); /* an older host: the TeX */
        return;
    }
    const folio_math_doc *d = c->host->math_parse(n->text, n->len);
    pdf_style saved = p->cur;
    lin(c, p, d->root, 0);
    p->cur = saved;
    c->host->math_free(d);
}

/* ------------------------------------------------------------ display */

/* A drawing item: text at (x, y) from the box origin, a rule, or a wide
 * accent stroked as a path. */
enum {
    ITEM_RULE = -1,
    ITEM_HAT = -2,
    ITEM_CHECK = -3,
    ITEM_TILDE = -4,
    ITEM_RARROW = -5,
    ITEM_LARROW = -6,
    ITEM_LRARROW = -7
};
typedef struct mitem {
    float x, y, size;
    int face; /* text; ITEM_RULE from x to x + size, thickness y2; other
                 ITEM_ shapes in the box (x, y) to (x + size, y + y2) */
    float y2;
    float th;        /* the stroke of a shape */
    size_t off, len; /* text: bytes in mctx.text */
} mitem;

typedef struct mctx {
    pdf_ctx *c;
    mitem *it;
    size_t n, cap;
    folio_buf text;
    int line;
    int full;               /* MAX_ITEMS reached: the rest is dropped */
    const folio_math *rows; /* a formula of aligned rows: its table */
    float first_base;       /* and its first row's baseline */
} mctx;

typedef struct mbox {
    float w, a, d; /* width, height above and depth below the baseline */
    size_t from;   /* its items: [from, ctx->n) when made */
} mbox;

static mitem *add_item(mctx *m)
{
    if (m->n >= MAX_ITEMS) {
        m->full = 1;
        return NULL;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->it = realloc(m->it, m->cap * sizeof *m->it);
        if (!m->it) abort();
    }
    mitem *i = &m->it[m->n++];
    memset(i, 0, sizeof *i);
    return i;
}

static void shift(mctx *m, size_t from, float dx, float dy)
{
    for (size_t i = from; i < m->n; i++) {
        m->it[i].x += dx;
        m->it[i].y += dy;
    }
}

/* Text in a role, split where the face changes; ascent and descent from
 * the size (taller for a scaled delimiter or a big operator). */
static mbox text_box(mctx *m, int role, const char *s, size_t len, float size)
{
    pdf_ctx *c = m->c;
    mbox b = {0, size * 0.72f, size * 0.24f, m->n};
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = c->host->utf8_next(s + i, len - i, &cp);
        int face = pdf_pick(c, role, 0, cp);
        if (face == FACE_NONE) pdf_warn_char(c, cp, m->line);
        if (face >= 0) {
            float fs = size * c->fonts->faces[face].scale;
            float w = pdf_advance(c, face, cp) * fs / 1000;
            mitem *prev = m->n > b.from ? &m->it[m->n - 1] : NULL;
            if (prev && prev->face == face &&
                prev->off + prev->len == m->text.len) {
                prev->len += k;
            } else {
                mitem *t = add_item(m);
                if (!t) return b;
                t->x = b.w;
                t->face = face;
                t->size = fs;
                t->off = m->text.len;
                t->len = k;
            }
            c->host->buf_put(&m->text, s + i, k);
            b.w += w;
        }
        i += k;
    }
    return b;
}

static void rule(mctx *m, float x, float y, float w, float th)
{
    mitem *r = add_item(m);
    if (!r) return;
    r->face = ITEM_RULE;
    r->x = x;
    r->y = y;
    r->size = w;
    r->y2 = th;
}

static mbox layout(mctx *m, const folio_math *n, float size, int display,
                   int depth);
static mbox table(mctx *m, const folio_math *n, float size, int display,
                  int depth);

/* Children side by side, with TeX's spaces around relations and binary
 * operators (none in scripts). */
static mbox row(mctx *m, const folio_math *first, float size, int display,
                int depth)
{
    mbox b = {0, size * 0.72f, size * 0.24f, m->n};
    int script = size < m->c->size * 0.9f;
    for (const folio_math *k = first, *prev = NULL; k; prev = k, k = k->next) {
        float pad = 0;
        /* A relation first in a row still has its space: "&= x". */
        if (k->kind == FOLIO_MATH_OP && !script) {
            if (k->flags & FOLIO_MATH_F_REL)
                pad = size * 5 / 18;
            else if ((k->flags & FOLIO_MATH_F_BIN) && !unary(prev))
                pad = size * 4 / 18;
        }
        b.w += pad;
        size_t at = m->n;
        mbox kb = layout(m, k, size, display, depth + 1);
        shift(m, at, b.w, 0);
        b.w += kb.w + pad;
        if (k->kind == FOLIO_MATH_OP && (k->flags & FOLIO_MATH_F_PUNCT))
            b.w += size * 3 / 18;
        if (func_gap(k)) b.w += size * 3 / 18;
        if (kb.a > b.a) b.a = kb.a;
        if (kb.d > b.d) b.d = kb.d;
    }
    return b;
}

static float smaller(float size)
{
    float s = size * SCRIPT_SCALE;
    return s < MIN_SIZE ? MIN_SIZE : s;
}

static int big_op(const folio_math *n)
{
    return n && n->kind == FOLIO_MATH_OP && (n->flags & FOLIO_MATH_F_LARGE);
}

static mbox script(mctx *m, const folio_math *n, float size, int display,
                   int depth)
{
    const folio_math *base = n->a;
    /* Movable limits (∑, lim) go under and over in display style only,
     * unless \limits or \nolimits said otherwise. */
    int movable = base && (base->flags & FOLIO_MATH_F_MOVABLE);
    int limits = movable ? (display || (base->flags & FOLIO_MATH_F_LIMITS)) &&
                               !(base->flags & FOLIO_MATH_F_NOLIMITS)
                         : (n->flags & FOLIO_MATH_F_LIMITS) != 0;
    size_t at = m->n;
    mbox bb = layout(m, base, size, display, depth + 1);
    float ss = smaller(size);
    if (limits) {
        size_t ua = m->n;
        mbox ub = n->b ? layout(m, n->b, ss, 0, depth + 1) : (mbox){0};
        size_t oa = m->n;
        mbox ob = n->c ? layout(m, n->c, ss, 0, depth + 1) : (mbox){0};
        float w = bb.w;
        if (ub.w > w) w = ub.w;
        if (ob.w > w) w = ob.w;
        float gap = size * 0.15f;
        mbox r = {w, bb.a, bb.d, at};
        /* Base, then the limits centred below and above it. */
        for (size_t i = at; i < ua; i++)
            m->it[i].x += (w - bb.w) / 2;
        if (n->b) {
            float dy = -(bb.d + gap + ub.a);
            for (size_t i = ua; i < oa; i++) {
                m->it[i].x += (w - ub.w) / 2;
                m->it[i].y += dy;
            }
            r.d = bb.d + gap + ub.a + ub.d;
        }
        if (n->c) {
            float dy = bb.a + gap + ob.d;
            for (size_t i = oa; i < m->n; i++) {
                m->it[i].x += (w - ob.w) / 2;
                m->it[i].y += dy;
            }
            r.a = bb.a + gap + ob.d + ob.a;
        }
        return r;
    }
    mbox r = bb;
    r.from = at;
    float x = bb.w, w = 0;
    if (n->b) {
        size_t sa = m->n;
        mbox sb = layout(m, n->b, ss, 0, depth + 1);
        float down = bb.d > size * 0.2f ? bb.d : size * 0.2f;
        if (big_op(base)) down = bb.d + sb.a * 0.4f;
        shift(m, sa, x, -down);
        w = sb.w;
        if (down + sb.d > r.d) r.d = down + sb.d;
    }
    if (n->c) {
        size_t sa = m->n;
        mbox sb = layout(m, n->c, ss, 0, depth + 1);
        float up = bb.a - size * 0.3f;
        if (up < size * 0.38f) up = size * 0.38f;
        if (n->b && up < size * 0.45f) up = size * 0.45f;
        shift(m, sa, x, up);
        if (sb.w > w) w = sb.w;
        if (up + sb.a > r.a) r.a = up + sb.a;
    }
    r.w = x + w + size * 0.04f;
    return r;
}

static mbox frac(mctx *m, const folio_math *n, float size, int display,
                 int depth)
{
    float cs = n->size == 1 || (display && n->size != 2) ? size : smaller(size);
    int cd = n->size == 1; /* \dfrac keeps display style inside */
    size_t na = m->n;
    mbox nb = layout(m, n->a, cs, cd, depth + 1);
    size_t da = m->n;
    mbox db = layout(m, n->b, cs, cd, depth + 1);
    float w = (nb.w > db.w ? nb.w : db.w) + size * 0.2f;
    float axis = size * 0.25f, gap = size * 0.12f, th = size * 0.05f;
    float up = axis + th / 2 + gap + nb.d, down = axis - th / 2 - gap - db.a;
    for (size_t i = na; i < da; i++) {
        m->it[i].x += (w - nb.w) / 2;
        m->it[i].y += up;
    }
    for (size_t i = da; i < m->n; i++) {
        m->it[i].x += (w - db.w) / 2;
        m->it[i].y += down;
    }
    rule(m, size * 0.05f, axis, w - size * 0.1f, th);
    return (mbox){w, up + nb.a, -down + db.d, na};
}

/* A delimiter at least h tall, centred on the math axis (y = axis). */
static mbox delim(mctx *m, const char *s, float size, float a, float d)
{
    float axis = size * 0.25f;
    float half = a - axis > d + axis ? a - axis : d + axis;
    float ds = size;
    if (2 * half > size * 0.96f) ds = 2 * half / 0.96f * 1.02f;
    if (ds > size * 6) ds = size * 6;
    mbox b = text_box(m, ROLE_MATH, s, strlen(s), ds);
    /* The glyph spans about [-0.24, 0.72] of its size: centre it. */
    float dy = axis - ds * 0.24f;
    shift(m, b.from, 0, dy);
    b.a = ds * 0.72f + dy;
    b.d = ds * 0.24f - dy;
    return b;
}

static mbox fenced(mctx *m, const char *open, const folio_math *body,
                   const folio_math *tbl, const char *close, float size,
                   int display, int depth)
{
    size_t at = m->n;
    size_t ia = m->n;
    mbox ib = tbl ? table(m, tbl, size, display, depth + 1)
                  : layout(m, body, size, display, depth + 1);
    mbox r = {0, ib.a, ib.d, at};
    float x = 0;
    if (open && *open) {
        size_t oa = m->n;
        mbox ob = delim(m, open, size, ib.a, ib.d);
        (void)oa;
        x = ob.w + size * 0.05f;
        shift(m, ia, x, 0);
        /* the delimiter was laid out after the body: move it back */
        for (size_t i = oa; i < m->n; i++)
            m->it[i].x -= x;
        if (ob.a > r.a) r.a = ob.a;
        if (ob.d > r.d) r.d = ob.d;
    }
    x += ib.w;
    if (close && *close) {
        size_t ca = m->n;
        mbox cb = delim(m, close, size, ib.a, ib.d);
        shift(m, ca, x + size * 0.05f, 0);
        x += cb.w + size * 0.05f;
        if (cb.a > r.a) r.a = cb.a;
        if (cb.d > r.d) r.d = cb.d;
    }
    r.w = x;
    return r;
}

static mbox radical(mctx *m, const folio_math *n, float size, int display,
                    int depth)
{
    size_t at = m->n;
    mbox ib = layout(m, n->a, size, display, depth + 1);
    float gap = size * 0.12f, th = size * 0.05f;
    float top = ib.a + gap; /* the rule's height */
    float h = top + ib.d;
    float rs = h / 0.96f > size ? h / 0.96f : size;
    size_t ra = m->n;
    mbox rb = text_box(m, ROLE_MATH, "\xE2\x88\x9A", 3, rs);
    /* Its top (about 0.76 of its size above its baseline) meets the rule.
     */
    float dy = top - rs * 0.76f;
    if (dy > 0) dy = 0;
    float ix = 0;
    mbox xb = {0};
    size_t xa = m->n;
    if (n->b) { /* the index, small, up on the left */
        xb = layout(m, n->b, smaller(smaller(size)), 0, depth + 1);
        shift(m, xa, 0, top * 0.55f);
        ix = xb.w > rb.w * 0.5f ? xb.w - rb.w * 0.5f : 0;
    }
    for (size_t i = ra; i < xa; i++) {
        m->it[i].x += ix;
        m->it[i].y += dy;
    }
    float x = ix + rb.w;
    shift(m, at, 0, 0);
    for (size_t i = at; i < ra; i++)
        m->it[i].x += x;
    float rtop = dy + rs * 0.76f;
    if (rtop < top) rtop = top;
    rule(m, x - th, rtop - th / 2, ib.w + th + size * 0.05f, th);
    mbox r = {x + ib.w + size * 0.08f, rtop + th, ib.d, at};
    if (-dy + rs * 0.24f > r.d) r.d = -dy + rs * 0.24f;
    if (n->b && top * 0.55f + xb.a > r.a) r.a = top * 0.55f + xb.a;
    return r;
}

/* The stroked shape of a stretchy accent over a base of more than one
 * letter, or 0: a single letter keeps the glyph. */
static int wide_shape(const pdf_ctx *c, const folio_math *n)
{
    static const struct {
        const char *mark;
        int shape;
    } shapes[] = {{"^", ITEM_HAT},
                  {"\xCB\x86", ITEM_HAT}, /* ˆ */
                  {"\xCB\x87", ITEM_CHECK},
                  {"~", ITEM_TILDE},
                  {"\xCB\x9C", ITEM_TILDE}, /* ˜ */
                  {"\xE2\x86\x92", ITEM_RARROW},
                  {"\xE2\x86\x90", ITEM_LARROW},
                  {"\xE2\x86\x94", ITEM_LRARROW}};
    if (!(n->flags & FOLIO_MATH_F_STRETCHY) || !n->text) return 0;
    const folio_math *a = n->a;
    while (a && a->kind == FOLIO_MATH_ROW && a->first && !a->first->next)
        a = a->first;
    if (!a || (a->kind != FOLIO_MATH_ROW && a->text && one_char(c, a->text)))
        return 0;
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        if (!strcmp(n->text, shapes[i].mark)) return shapes[i].shape;
    return 0;
}

static mbox accent(mctx *m, const folio_math *n, float size, int display,
                   int depth)
{
    size_t at = m->n;
    mbox bb = layout(m, n->a, size, display, depth + 1);
    mbox r = bb;
    r.from = at;
    const char *t = n->text ? n->text : "";
    float th = size * 0.05f;
    int under = (n->flags & FOLIO_MATH_F_UNDER) != 0;
    if (!strcmp(t, "\xE2\x80\xBE")) { /* overline, underline: a rule */
        if (under) {
            rule(m, 0, -bb.d - size * 0.1f, bb.w, th);
            r.d += size * 0.15f;
        } else {
            rule(m, 0, bb.a + size * 0.1f, bb.w, th);
            r.a += size * 0.15f;
        }
        return r;
    }
    /* Wide hats, tildes and arrows over more than one letter: strokes as
     * wide as the base (a scaled glyph would grow as tall as wide). */
    int shape = wide_shape(m->c, n);
    if (shape) {
        float w = bb.w, h = w * 0.12f;
        if (shape <= ITEM_RARROW) h = size * 0.24f;
        if (h < size * 0.14f) h = size * 0.14f;
        if (h > size * 0.3f) h = size * 0.3f;
        float gap = size * 0.1f;
        float y = under ? -bb.d - gap - h : bb.a + gap;
        mitem *s = add_item(m);
        if (s) {
            s->face = shape;
            s->x = w * 0.02f;
            s->y = y;
            s->size = w * 0.96f;
            s->y2 = h;
            s->th = size * 0.045f;
        }
        if (under)
            r.d = bb.d + gap + h + size * 0.08f;
        else if (y + h + size * 0.08f > r.a)
            r.a = y + h + size * 0.08f;
        return r;
    }
    /* Other marks: the glyph centred over (under) the base, stretched
     * marks (braces) scaled to the base's width. */
    float ms = size;
    size_t ma = m->n;
    mbox mb = text_box(m, ROLE_MATH, t, strlen(t), ms);
    if ((n->flags & FOLIO_MATH_F_STRETCHY) && mb.w > 0 && mb.w < bb.w) {
        float k = bb.w / mb.w;
        if (k > 4) k = 4;
        for (size_t i = ma; i < m->n; i++)
            m->it[i].size *= k;
        mb.w *= k;
    }
    float dy = under ? -bb.d - size * 0.75f : bb.a - size * 0.45f;
    for (size_t i = ma; i < m->n; i++) {
        m->it[i].x += (bb.w - mb.w) / 2;
        m->it[i].y += dy;
    }
    if (under)
        r.d = bb.d + size * 0.75f + size * 0.3f;
    else if (dy + size * 0.75f > r.a)
        r.a = dy + size * 0.75f;
    return r;
}

/* Rows of cells: columns as wide as their widest cell, aligned l, c or r
 * (align: r l r l, pairs joined), the whole centred on the axis. */
static mbox table(mctx *m, const folio_math *n, float size, int display,
                  int depth)
{
    size_t at = m->n;
    enum { MAXC = 64, MAXR = 256 };
    float colw[MAXC] = {0};
    float rowa[MAXR], rowd[MAXR];
    size_t rows = 0;
    int env = n->size;
    float cs = (n->flags & FOLIO_MATH_F_SMALL) ? smaller(size) : size;
    int cdisp = env == FOLIO_MATH_ENV_ALIGN || env == FOLIO_MATH_ENV_GATHER;
    /* Lay out every cell, remembering where its items start. */
    typedef struct cell {
        size_t from, to;
        float w;
        int col;
        size_t row;
    } cell;
    cell *cells = NULL;
    size_t ncells = 0, capc = 0;
    for (const folio_math *r = n->first; r && rows < MAXR; r = r->next) {
        rowa[rows] = cs * 0.72f;
        rowd[rows] = cs * 0.24f;
        int col = 0;
        for (const folio_math *k = r->first; k && col < MAXC; k = k->next) {
            if (ncells == capc) {
                capc = capc ? 2 * capc : 16;
                cells = realloc(cells, capc * sizeof *cells);
                if (!cells) abort();
            }
            size_t from = m->n;
            mbox b = layout(m, k, cs, cdisp, depth + 1);
            cells[ncells++] = (cell){from, m->n, b.w, col, rows};
            if (b.w > colw[col]) colw[col] = b.w;
            if (b.a > rowa[rows]) rowa[rows] = b.a;
            if (b.d > rowd[rows]) rowd[rows] = b.d;
            col++;
        }
        rows++;
    }
    int ncols = 0;
    for (size_t i = 0; i < ncells; i++)
        if (cells[i].col + 1 > ncols) ncols = cells[i].col + 1;
    float colx[MAXC + 1];
    float x = 0;
    for (int j = 0; j < ncols; j++) {
        colx[j] = x;
        float gap = size * 0.9f;
        if (env == FOLIO_MATH_ENV_ALIGN) gap = j % 2 == 0 ? 0 : size * 1.6f;
        if (env == FOLIO_MATH_ENV_CASES) gap = size * 1.0f;
        x += colw[j] + (j + 1 < ncols ? gap : 0);
    }
    float w = x;
    float rgap = size * (cdisp ? 0.35f : 0.25f);
    float h = 0;
    float base[MAXR];
    for (size_t i = 0; i < rows; i++) {
        h += rowa[i];
        base[i] = -h;
        h += rowd[i] + (i + 1 < rows ? rgap : 0);
    }
    float axis = size * 0.25f, top = axis + h / 2;
    const char *al = n->text ? n->text : "c";
    size_t nal = strlen(al);
    for (size_t i = 0; i < ncells; i++) {
        cell *k = &cells[i];
        char a =
            nal ? al[(size_t)k->col < nal ? (size_t)k->col : nal - 1] : 'c';
        if (env == FOLIO_MATH_ENV_ALIGN) a = k->col % 2 == 0 ? 'r' : 'l';
        if (env == FOLIO_MATH_ENV_CASES) a = 'l';
        float dx = colx[k->col] + (a == 'l'   ? 0
                                   : a == 'r' ? colw[k->col] - k->w
                                              : (colw[k->col] - k->w) / 2);
        for (size_t t = k->from; t < k->to; t++) {
            m->it[t].x += dx;
            m->it[t].y += top + base[k->row];
        }
    }
    free(cells);
    if (n == m->rows && rows) m->first_base = top + base[0];
    mbox r = {w, top, h - top, at};
    return r;
}

/* The two fences of a table: text2 is "open\tclose". */
static mbox fenced_table(mctx *m, const folio_math *n, float size, int display,
                         int depth)
{
    char open[16] = "", close[16] = "";
    const char *tab = strchr(n->text2, '\t');
    size_t lo = tab ? (size_t)(tab - n->text2) : strlen(n->text2);
    if (lo < sizeof open) memcpy(open, n->text2, lo), open[lo] = 0;
    if (tab && strlen(tab + 1) < sizeof close) strcpy(close, tab + 1);
    return fenced(m, open, NULL, n, close, size, display, depth);
}

static mbox layout(mctx *m, const folio_math *n, float size, int display,
                   int depth)
{
    mbox b = {0, size * 0.72f, size * 0.24f, m->n};
    if (!n || m->full || depth > 120) return b;
    folio_buf t = {0};
    switch (n->kind) {
    case FOLIO_MATH_ROW:
        if (n->flags & FOLIO_MATH_F_PHANTOM) {
            b = row(m, n->first, size, display, depth);
            m->n = b.from; /* space only */
            break;
        }
        b = row(m, n->first, size, display, depth);
        if (n->flags & FOLIO_MATH_F_BOXED) {
            float th = size * 0.04f, pad = size * 0.2f;
            shift(m, b.from, pad, 0);
            rule(m, 0, b.a + pad, b.w + 2 * pad, th);
            rule(m, 0, -b.d - pad, b.w + 2 * pad, th);
            b.w += 2 * pad;
            b.a += pad;
            b.d += pad;
        }
        break;
    case FOLIO_MATH_IDENT:
    case FOLIO_MATH_NUMBER:
    case FOLIO_MATH_TEXT:
        leaf_text(m->c, &t, n);
        b = text_box(m, leaf_role(m->c, n), t.data ? t.data : "", t.len, size);
        if (leaf_role(m->c, n) == ROLE_MATH_IT) b.w += size * 0.03f;
        break;
    case FOLIO_MATH_OP: {
        leaf_text(m->c, &t, n);
        float os = size;
        if (big_op(n)) os = display ? size * 1.6f : size * 1.2f;
        b = text_box(m, ROLE_MATH, t.data ? t.data : "", t.len, os);
        if (big_op(n)) { /* centred on the axis */
            float dy = size * 0.25f - (os * 0.72f - os * 0.24f) / 2;
            shift(m, b.from, 0, dy);
            b.a = os * 0.72f + dy;
            b.d = os * 0.24f - dy;
            b.w += size * 0.1f;
        }
        break;
    }
    case FOLIO_MATH_SPACE:
        b.w = n->size * size / 18;
        if (b.w < 0 && b.w < -size) b.w = -size;
        break;
    case FOLIO_MATH_SCRIPT:
        b = script(m, n, size, display, depth);
        break;
    case FOLIO_MATH_FRAC:
        if (n->flags & FOLIO_MATH_F_BINOM) {
            /* no rule: the stack in parentheses */
            b = fenced(m, "(", NULL,
                       &(folio_math){
                           .kind = FOLIO_MATH_TABLE,
                           .first =
                               &(folio_math){
                                   .kind = FOLIO_MATH_ROW,
                                   .first = n->a,
                                   .next = &(folio_math){.kind = FOLIO_MATH_ROW,
                                                         .first = n->b}}},
                       ")", size, display, depth);
        } else {
            b = frac(m, n, size, display, depth);
        }
        break;
    case FOLIO_MATH_SQRT:
        b = radical(m, n, size, display, depth);
        break;
    case FOLIO_MATH_ACCENT:
        b = accent(m, n, size, display, depth);
        break;
    case FOLIO_MATH_FENCED:
        b = fenced(m, n->text, n->a, NULL, n->text2, size, display, depth);
        break;
    case FOLIO_MATH_TABLE:
        if (n->text2)
            b = fenced_table(m, n, size, display, depth);
        else
            b = table(m, n, size, display, depth);
        break;
    case FOLIO_MATH_ERROR:
        b = text_box(m, ROLE_MONO, n->text ? n->text : "",
                     n->text ? strlen(n->text) : 0, size * 0.9f);
        break;
    case FOLIO_MATH_STYLE:
        b = layout(m, n->a, n->size == 3 ? smaller(m->c->size * 1.1f) : size,
                   n->size == 1, depth + 1);
        break;
    default:
        break;
    }
    m->c->host->buf_free(&t);
    return b;
}

/* A wide accent's strokes in the box (x0, y0) to (x0 + w, y0 + h), in
 * the Formula's marked content as rules are (pdf_tag_rule). */
static void shape(pdf_ctx *c, const mitem *t, float x0, float y0)
{
    HPDF_Page pg = c->page;
    float w = t->size, h = t->y2, mid = y0 + h / 2, hs = h * 0.6f;
    if (!pg || w <= 0) return;
    pdf_tag_rule(c);
    HPDF_Page_GSave(pg);
    pdf_rgb(pg, c->rgb, 1);
    HPDF_Page_SetLineWidth(pg, t->th);
    HPDF_Page_SetLineCap(pg, HPDF_ROUND_END);
    HPDF_Page_SetLineJoin(pg, HPDF_ROUND_JOIN);
    switch (t->face) {
    case ITEM_HAT:
    case ITEM_CHECK: {
        float lo = t->face == ITEM_HAT ? y0 : y0 + h;
        HPDF_Page_MoveTo(pg, x0, lo);
        HPDF_Page_LineTo(pg, x0 + w / 2, t->face == ITEM_HAT ? y0 + h : y0);
        HPDF_Page_LineTo(pg, x0 + w, lo);
        break;
    }
    case ITEM_TILDE: /* one cubic: up, down, up, symmetric about its centre */
        HPDF_Page_MoveTo(pg, x0, y0 + h * 0.15f);
        HPDF_Page_CurveTo(pg, x0 + w / 3, y0 + h * 2.2f, x0 + w * 2 / 3,
                          y0 - h * 1.2f, x0 + w, y0 + h * 0.85f);
        break;
    default: /* arrows: a shaft and open heads */
        HPDF_Page_MoveTo(pg, x0, mid);
        HPDF_Page_LineTo(pg, x0 + w, mid);
        if (t->face != ITEM_LARROW) {
            HPDF_Page_MoveTo(pg, x0 + w - hs, mid + hs * 0.7f);
            HPDF_Page_LineTo(pg, x0 + w, mid);
            HPDF_Page_LineTo(pg, x0 + w - hs, mid - hs * 0.7f);
        }
        if (t->face != ITEM_RARROW) {
            HPDF_Page_MoveTo(pg, x0 + hs, mid + hs * 0.7f);
            HPDF_Page_LineTo(pg, x0, mid);
            HPDF_Page_LineTo(pg, x0 + hs, mid - hs * 0.7f);
        }
        break;
    }
    HPDF_Page_Stroke(pg);
    HPDF_Page_GRestore(pg);
}

/* Draw the items with the box's origin at (x, y). */
static void draw(mctx *m, float x, float y)
{
    pdf_ctx *c = m->c;
    HPDF_Page pg = c->page;
    int intext = 0;
    pdf_tag_mark(c); /* the Formula's marked content */
    for (size_t i = 0; i < m->n; i++) {
        const mitem *t = &m->it[i];
        if (t->face < 0) continue;
        HPDF_Font font = pdf_face_font(c, t->face);
        if (!font) continue;
        if (!intext) {
            HPDF_Page_BeginText(pg);
            pdf_rgb(pg, c->rgb, 0);
            intext = 1;
        }
        if (HPDF_Page_GetCurrentFont(pg) != font ||
            HPDF_Page_GetCurrentFontSize(pg) != t->size)
            HPDF_Page_SetFontAndSize(pg, font, t->size);
        pdf_text_at(c, 0, x + t->x, y + t->y);
        pdf_show(c, t->face, m->text.data + t->off, t->len);
    }
    if (intext) HPDF_Page_EndText(pg);
    for (size_t i = 0; i < m->n; i++) {
        const mitem *t = &m->it[i];
        if (t->face == ITEM_RULE)
            pdf_hrule(c, x + t->x, x + t->x + t->size, y + t->y, t->y2, c->rgb);
        else if (t->face < 0)
            shape(c, t, x + t->x, y + t->y);
    }
}

int pdf_math_display(pdf_ctx *c, const folio_node *para)
{
    const folio_node *n = para->child;
    if (!n || n->next || n->type != FOLIO_NODE_MATH || !FOLIO_MATH_DISPLAY(n) ||
        !FOLIO_HOST_HAS(c->host, math_parse))
        return 0;
    const folio_math_doc *d = c->host->math_parse(n->text, n->len);
    mctx m = {.c = c, .line = n->line};
    const folio_math *r = d->root;
    while (r && r->kind == FOLIO_MATH_ROW && r->first && !r->first->next)
        r = r->first;
    if (r && r->kind == FOLIO_MATH_TABLE && !r->text2) m.rows = r;
    float size = c->size * 1.1f;
    mbox b = layout(&m, d->root, size, 1, 0);
    float colx = c->ml + c->left, colw = c->pw - c->ml - c->mr - c->left;
    /* Too wide for the column: scaled down to fit, not cut. */
    float k = b.w > colw && b.w > 0 ? colw / b.w : 1;
    if (k < 1) {
        for (size_t i = 0; i < m.n; i++) {
            m.it[i].x *= k;
            m.it[i].y *= k;
            if (m.it[i].face >= 0)
                m.it[i].size *= k;
            else
                m.it[i].size *= k, m.it[i].y2 *= k, m.it[i].th *= k;
        }
        b.w *= k, b.a *= k, b.d *= k;
    }
    float pad = c->size * 0.45f;
    float h = b.a + b.d + 2 * pad;
    pdf_need(c, h);
    float x = colx + (colw - b.w) / 2;
    float base = c->y - pad - b.a;
    /* A list item's marker on the formula's baseline (its first row's for
     * rows), not on a later line of the item. */
    if (c->marker[0]) pdf_draw_marker(c, base + m.first_base * k, c->size);
    draw(&m, x, base);
    pdf_vspace(c, h);
    free(m.it);
    c->host->buf_free(&m.text);
    c->host->math_free(d);
    return 1;
}
