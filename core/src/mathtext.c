/* folio_math tree -> a linear Unicode form for plain text: Greek and
 * symbols as characters, simple scripts as Unicode sub/superscripts
 * (x², xᵢ), a/b, √x, [a, b; c, d].  What has no readable linear form is
 * written as its TeX. */
#include "tex.h"

#include <string.h>

typedef struct lw {
    const folio_tex *t;
    folio_buf *o;
    int tight; /* inside a script: no spaces around operators */
    int bare;  /* a table directly inside \left..\right: no brackets */
} lw;

/* Superscript and subscript forms that Unicode has. */
static uint32_t sup_of(uint32_t c)
{
    static const uint32_t lower[26] = {
        0x1D43, 0x1D47, 0x1D9C, 0x1D48, 0x1D49, 0x1DA0, 0x1D4D, 0x02B0, 0x2071,
        0x02B2, 0x1D4F, 0x02E1, 0x1D50, 0x207F, 0x1D52, 0x1D56, 0,      0x02B3,
        0x02E2, 0x1D57, 0x1D58, 0x1D5B, 0x02B7, 0x02E3, 0x02B8, 0x1DBB};
    static const uint32_t upper[26] = {
        0x1D2C, 0x1D2E, 0,      0x1D30, 0x1D31, 0,      0x1D33, 0x1D34, 0x1D35,
        0x1D36, 0x1D37, 0x1D38, 0x1D39, 0x1D3A, 0x1D3C, 0x1D3E, 0,      0x1D3F,
        0,      0x1D40, 0x1D41, 0x2C7D, 0x1D42, 0,      0,      0};
    static const uint32_t digits[10] = {0x2070, 0xB9,   0xB2,   0xB3,   0x2074,
                                        0x2075, 0x2076, 0x2077, 0x2078, 0x2079};
    if (c >= '0' && c <= '9') return digits[c - '0'];
    if (c >= 'a' && c <= 'z') return lower[c - 'a'];
    if (c >= 'A' && c <= 'Z') return upper[c - 'A'];
    switch (c) {
    case '+':
        return 0x207A;
    case 0x2212:
    case '-':
        return 0x207B;
    case '=':
        return 0x207C;
    case '(':
        return 0x207D;
    case ')':
        return 0x207E;
    case 0x3B2:
        return 0x1D5D;
    case 0x3B3:
        return 0x1D5E;
    case 0x3B4:
        return 0x1D5F;
    case 0x3B8:
        return 0x1DBF;
    case 0x3C6:
    case 0x3D5:
        return 0x1D60;
    case 0x3C7:
        return 0x1D61;
    /* already raised marks stay as they are */
    case 0x2032:
    case 0x2033:
    case 0x2034:
    case 0x2217:
    case '*':
    case 0x2020:
    case 0x2021:
        return c;
    case 0x2218:
        return 0xB0;
    }
    return 0;
}

static uint32_t sub_of(uint32_t c)
{
    static const uint32_t lower[26] = {
        0x2090, 0,      0,      0,      0x2091, 0,      0,      0x2095, 0x1D62,
        0x2C7C, 0x2096, 0x2097, 0x2098, 0x2099, 0x2092, 0x209A, 0,      0x1D63,
        0x209B, 0x209C, 0x1D64, 0x1D65, 0,      0x2093, 0,      0};
    if (c >= '0' && c <= '9') return 0x2080 + (c - '0');
    if (c >= 'a' && c <= 'z') return lower[c - 'a'];
    switch (c) {
    case '+':
        return 0x208A;
    case 0x2212:
    case '-':
        return 0x208B;
    case '=':
        return 0x208C;
    case '(':
        return 0x208D;
    case ')':
        return 0x208E;
    case 0x3B2:
        return 0x1D66;
    case 0x3B3:
        return 0x1D67;
    case 0x3C1:
        return 0x1D68;
    case 0x3C6:
    case 0x3D5:
        return 0x1D69;
    case 0x3C7:
        return 0x1D6A;
    }
    return 0;
}

static void lin(lw *w, const folio_math *m);
static int is_large(const folio_math *m);

static void tex(lw *w, const folio_math *m)
{
    buf_put(w->o, w->t->src + m->src, m->srclen);
}

static const folio_math *single(const folio_math *m)
{
    while (m && m->kind == FOLIO_MATH_ROW && m->first && !m->first->next &&
           !(m->flags & (FOLIO_MATH_F_BOXED | FOLIO_MATH_F_PHANTOM)))
        m = m->first;
    return m;
}

static int is_op(const folio_math *m, unsigned f)
{
    return m && m->kind == FOLIO_MATH_OP && (m->flags & f);
}

/* Written without parentheses as a fraction part or radicand. */
static int simple(const folio_math *m)
{
    m = single(m);
    if (!m) return 1;
    switch (m->kind) {
    case FOLIO_MATH_IDENT:
    case FOLIO_MATH_NUMBER:
    case FOLIO_MATH_FENCED:
    case FOLIO_MATH_SQRT:
        return 1;
    case FOLIO_MATH_TEXT:
        return !strchr(m->text, ' ');
    case FOLIO_MATH_OP:
        return !(m->flags & (FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL));
    case FOLIO_MATH_SCRIPT:
    case FOLIO_MATH_ACCENT:
        return simple(m->a);
    case FOLIO_MATH_ROW: { /* a product of simple atoms: ∂L, 2x, P(B|A) */
        int depth = 0;
        for (const folio_math *c = m->first; c; c = c->next) {
            if (c->kind == FOLIO_MATH_OP) {
                if (c->flags & FOLIO_MATH_F_OPEN) depth++;
                if ((c->flags & FOLIO_MATH_F_CLOSE) && depth) depth--;
                if (!depth &&
                    (c->flags & (FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL |
                                 FOLIO_MATH_F_PUNCT | FOLIO_MATH_F_LARGE)))
                    return 0;
                continue;
            }
            /* (x-μ)²: the power sits on the closing parenthesis */
            const folio_math *b =
                c->kind == FOLIO_MATH_SCRIPT ? single(c->a) : NULL;
            if (b && is_op(b, FOLIO_MATH_F_CLOSE) && depth) {
                depth--;
                continue;
            }
            if (depth) continue;
            if (c->kind == FOLIO_MATH_FRAC || c->kind == FOLIO_MATH_SPACE ||
                c->kind == FOLIO_MATH_TABLE || !simple(c))
                return 0;
        }
        return !depth;
    }
    default:
        return 0;
    }
}

static void part(lw *w, const folio_math *m)
{
    if (simple(m)) {
        lin(w, m);
        return;
    }
    buf_putc(w->o, '(');
    lin(w, m);
    buf_putc(w->o, ')');
}

/* A script's linear text (tight), computed once: nested scripts would
 * otherwise be written again at every level. */
static void script_text(lw *w, const folio_math *m, folio_buf *b)
{
    lw sub = {w->t, b, 1, 0};
    lin(&sub, m);
}

/* The Unicode script form of text b into u; 0 when a character has none. */
static int unicode_script(const folio_buf *b, int sup, folio_buf *u)
{
    int ok = b->len > 0;
    for (size_t i = 0; ok && i < b->len;) {
        uint32_t cp, r;
        i += text_utf8_next(b->data + i, b->len - i, &cp);
        if (cp == ' ') continue;
        r = sup ? sup_of(cp) : sub_of(cp);
        if (!r) ok = 0;
        buf_put_cp(u, r);
    }
    return ok;
}

/* A script written as Unicode (u, when given) or as ^x or ^{...}. */
static void script(lw *w, const folio_buf *b, int sup, const folio_buf *u)
{
    if (u) {
        buf_put(w->o, u->data, u->len);
        return;
    }
    buf_putc(w->o, sup ? '^' : '_');
    /* trimmed: spaces around binary operators are noise here */
    size_t s = 0, e = b->len;
    while (s < e && b->data[s] == ' ')
        s++;
    while (e > s && b->data[e - 1] == ' ')
        e--;
    uint32_t cp = 0;
    size_t k = e > s ? text_utf8_next(b->data + s, e - s, &cp) : 0;
    if (k && k == e - s)
        buf_put(w->o, b->data + s, k);
    else {
        buf_putc(w->o, '{');
        if (e > s) buf_put(w->o, b->data + s, e - s); /* x^{}: empty */
        buf_putc(w->o, '}');
    }
}

const char *folio_math_combining(const char *mark, int under)
{
    static const char *map[][2] = {
        {"^", "\xCC\x82"},     {"~", "\xCC\x83"}, {"‾", "\xCC\x84"},
        {"→", "\xE2\x83\x97"}, {"˙", "\xCC\x87"}, {"¨", "\xCC\x88"},
        {"ˇ", "\xCC\x8C"},     {"˘", "\xCC\x86"}, {"´", "\xCC\x81"},
        {"`", "\xCC\x80"},     {"˚", "\xCC\x8A"}, {"⃛", "\xE2\x83\x9B"},
    };
    if (under) return strcmp(mark, "‾") ? NULL : "\xCC\xB2";
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(mark, map[i][0])) return map[i][1];
    return NULL;
}

static int one_cp(const char *s)
{
    uint32_t cp;
    size_t n = strlen(s);
    return n && text_utf8_next(s, n, &cp) == n;
}

static void table(lw *w, const folio_math *m)
{
    const char *open = "[", *close = "]";
    size_t olen = 1;
    if (w->bare) {
        olen = 0;
        close = "";
        w->bare = 0;
    } else if (m->text2) {
        const char *tab = strchr(m->text2, '\t');
        open = m->text2;
        olen = tab ? (size_t)(tab - open) : strlen(open);
        close = tab ? tab + 1 : "";
    }
    int lines =
        m->size == FOLIO_MATH_ENV_ALIGN || m->size == FOLIO_MATH_ENV_GATHER;
    if (lines) olen = 0, close = "";
    buf_put(w->o, open, olen);
    if (m->size == FOLIO_MATH_ENV_CASES && olen) buf_putc(w->o, ' ');
    for (const folio_math *r = m->first; r; r = r->next) {
        for (const folio_math *c = r->first; c; c = c->next) {
            lin(w, c);
            if (!c->next) continue;
            /* matrix cells and a case's value and condition: commas */
            int comma = m->size == FOLIO_MATH_ENV_MATRIX ||
                        (m->size == FOLIO_MATH_ENV_CASES && w->o->len &&
                         w->o->data[w->o->len - 1] != ',' &&
                         w->o->data[w->o->len - 1] != ' ');
            buf_puts(w->o, comma ? ", " : " ");
        }
        if (r->next) buf_puts(w->o, lines ? "\n" : "; ");
    }
    buf_puts(w->o, close);
}

static int is_large(const folio_math *m)
{
    m = single(m);
    if (m && m->kind == FOLIO_MATH_SCRIPT) m = single(m->a);
    return m &&
           ((m->kind == FOLIO_MATH_OP && (m->flags & FOLIO_MATH_F_LARGE)) ||
            (m->kind == FOLIO_MATH_IDENT && (m->flags & FOLIO_MATH_F_FUNC)));
}

static int is_func(const folio_math *m)
{
    m = single(m);
    if (m && m->kind == FOLIO_MATH_SCRIPT) m = single(m->a);
    return m && m->kind == FOLIO_MATH_IDENT && (m->flags & FOLIO_MATH_F_FUNC);
}

static void row(lw *w, const folio_math *first)
{
    const unsigned opf = FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL |
                         FOLIO_MATH_F_OPEN | FOLIO_MATH_F_PUNCT |
                         FOLIO_MATH_F_MIDDLE;
    const folio_math *prev = NULL;
    for (const folio_math *c = first; c; prev = c, c = c->next) {
        if (w->tight) {
            lin(w, c);
            continue;
        }
        if (c->kind == FOLIO_MATH_OP &&
            (c->flags &
             (FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL | FOLIO_MATH_F_MIDDLE))) {
            /* a sign at the start or after an operator is unary; a
             * relation next to a relation (:=) joins it */
            int unary = (c->flags & FOLIO_MATH_F_BIN) &&
                        (!prev || is_op(prev, opf | FOLIO_MATH_F_LARGE));
            int rel_before =
                is_op(prev, FOLIO_MATH_F_REL) && (c->flags & FOLIO_MATH_F_REL);
            int rel_after = (c->flags & FOLIO_MATH_F_REL) &&
                            is_op(c->next, FOLIO_MATH_F_REL);
            if (!unary && !rel_before) buf_putc(w->o, ' ');
            lin(w, c);
            if (!unary && !rel_after) buf_putc(w->o, ' ');
            continue;
        }
        /* space before a function, a big operator or a fraction that
         * follows an atom, and after them before an atom */
        int wide =
            is_large(c) || (single(c) && single(c)->kind == FOLIO_MATH_FRAC);
        if (wide && prev && !is_op(prev, opf)) buf_putc(w->o, ' ');
        lin(w, c);
        if (is_op(c, FOLIO_MATH_F_PUNCT) && c->next) buf_putc(w->o, ' ');
        if (c->kind == FOLIO_MATH_ERROR && c->next) buf_putc(w->o, ' ');
        if (wide && c->next &&
            !is_op(c->next, FOLIO_MATH_F_CLOSE | FOLIO_MATH_F_PUNCT |
                                FOLIO_MATH_F_BIN | FOLIO_MATH_F_REL) &&
            !(is_func(c) && (is_op(c->next, FOLIO_MATH_F_OPEN) ||
                             c->next->kind == FOLIO_MATH_FENCED)))
            buf_putc(w->o, ' ');
    }
}

static void lin(lw *w, const folio_math *m)
{
    if (!m) return;
    folio_buf *o = w->o;
    switch (m->kind) {
    case FOLIO_MATH_ROW:
        if (m->flags & FOLIO_MATH_F_PHANTOM) {
            buf_putc(o, ' ');
            return;
        }
        row(w, m->first);
        break;
    case FOLIO_MATH_IDENT:
    case FOLIO_MATH_NUMBER: {
        int v = m->variant;
        /* bold, script, double-struck... carry meaning: keep them */
        if (v <= FOLIO_MATH_V_NORMAL || v == FOLIO_MATH_V_ITALIC)
            buf_puts(o, m->text);
        else
            for (const char *s = m->text; *s;) {
                uint32_t cp;
                s += text_utf8_next(s, strlen(s), &cp);
                buf_put_cp(o, folio_math_variant_cp(cp, v));
            }
        break;
    }
    case FOLIO_MATH_OP:
        buf_puts(o, m->text);
        break;
    case FOLIO_MATH_TEXT:
        if (m->flags & FOLIO_MATH_F_TAG) buf_puts(o, "  ");
        buf_puts(o, m->text);
        break;
    case FOLIO_MATH_SPACE:
        if (m->size > 0) buf_putc(o, ' ');
        break;
    case FOLIO_MATH_SCRIPT: {
        const folio_math *b = single(m->a);
        if (b && b->kind == FOLIO_MATH_ACCENT &&
            (b->flags & FOLIO_MATH_F_LIMITS)) {
            tex(w, m); /* \underbrace{..}_{..} */
            break;
        }
        if ((m->b && m->b->kind == FOLIO_MATH_ERROR) ||
            (m->c && m->c->kind == FOLIO_MATH_ERROR)) {
            tex(w, m); /* x^ with nothing after it */
            break;
        }
        if (b && (b->kind == FOLIO_MATH_SCRIPT || b->kind == FOLIO_MATH_FRAC ||
                  (b->kind == FOLIO_MATH_ROW && b->first)))
            part(w, m->a);
        else
            lin(w, b);
        /* Unicode forms only when both scripts have them */
        folio_buf tb = {0}, tc = {0}, ub = {0}, uc = {0};
        if (m->b) script_text(w, m->b, &tb);
        if (m->c) script_text(w, m->c, &tc);
        int uni = (!m->b || unicode_script(&tb, 0, &ub)) &&
                  (!m->c || unicode_script(&tc, 1, &uc));
        if (m->b) script(w, &tb, 0, uni ? &ub : NULL);
        if (m->c) script(w, &tc, 1, uni ? &uc : NULL);
        buf_free(&tb);
        buf_free(&tc);
        buf_free(&ub);
        buf_free(&uc);
        break;
    }
    case FOLIO_MATH_FRAC:
        if (m->flags & FOLIO_MATH_F_BINOM) {
            if (!m->text) {
                tex(w, m);
                break;
            }
            buf_puts(o, "C(");
            lin(w, m->a);
            buf_puts(o, ", ");
            lin(w, m->b);
            buf_putc(o, ')');
            break;
        }
        part(w, m->a);
        buf_putc(o, '/');
        part(w, m->b);
        break;
    case FOLIO_MATH_SQRT: {
        if (m->b) {
            const folio_math *i = single(m->b);
            if (i && i->kind == FOLIO_MATH_NUMBER && !strcmp(i->text, "3"))
                buf_puts(o, "∛");
            else if (i && i->kind == FOLIO_MATH_NUMBER && !strcmp(i->text, "4"))
                buf_puts(o, "∜");
            else {
                folio_buf ti = {0}, ui = {0};
                script_text(w, m->b, &ti);
                int uni = unicode_script(&ti, 1, &ui);
                script(w, &ti, 1, uni ? &ui : NULL);
                buf_free(&ti);
                buf_free(&ui);
                buf_puts(o, "√");
            }
        } else
            buf_puts(o, "√");
        const folio_math *r = single(m->a);
        if (r && r->kind == FOLIO_MATH_ROW && r->first)
            r = NULL; /* several atoms: parenthesised */
        if (r && r->kind == FOLIO_MATH_SCRIPT && is_large(r)) r = NULL;
        if (r && simple(r))
            lin(w, r);
        else {
            buf_putc(o, '(');
            lin(w, m->a);
            buf_putc(o, ')');
        }
        break;
    }
    case FOLIO_MATH_ACCENT: {
        const folio_math *b = single(m->a);
        const char *mk =
            folio_math_combining(m->text, (m->flags & FOLIO_MATH_F_UNDER) != 0);
        if (mk && b &&
            (b->kind == FOLIO_MATH_IDENT || b->kind == FOLIO_MATH_NUMBER) &&
            one_cp(b->text)) {
            lin(w, b);
            buf_puts(o, mk);
        } else
            tex(w, m);
        break;
    }
    case FOLIO_MATH_FENCED: {
        buf_puts(o, m->text);
        const folio_math *b = single(m->a);
        int bare = w->bare;
        w->bare = b && b->kind == FOLIO_MATH_TABLE;
        lin(w, m->a);
        w->bare = bare;
        buf_puts(o, m->text2);
        break;
    } break;
    case FOLIO_MATH_TABLE:
        table(w, m);
        break;
    case FOLIO_MATH_ERROR:
        buf_puts(o, m->text);
        break;
    case FOLIO_MATH_STYLE:
        lin(w, m->a);
        break;
    }
}

void mathtext_write(folio_buf *out, const folio_tex *t)
{
    folio_buf b = {0};
    lw w = {t, &b, 0, 0};
    lin(&w, t->root);
    /* One space between words, none at the ends of lines. */
    size_t start = out->len;
    int space = 0;
    for (size_t i = 0; i < b.len; i++) {
        char c = b.data[i];
        if (c == ' ') {
            space = 1;
            continue;
        }
        if (space && c != '\n' && out->len > start &&
            out->data[out->len - 1] != '\n')
            buf_putc(out, ' ');
        space = 0;
        buf_putc(out, c);
    }
    if (!out->data) buf_put(out, "", 0);
    buf_free(&b);
}
