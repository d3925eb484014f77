/* layout.c - paragraphs: styled UTF-8 text, broken into lines where UAX #14
 * allows (host->line_breaks keeps Korean words whole), with every code
 * point measured in the face that will draw it.  libharu's own
 * MeasureText/TextRect are not used: they cut UTF-8 characters and break
 * only at ASCII spaces. */
#include "pdf.h"
#include "tag.h"
#include "haru.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pdf_para_init(pdf_para *p, const pdf_style *st, float leading)
{
    memset(p, 0, sizeof *p);
    p->cur = *st;
    p->cur.link = -1;
    p->leading = leading;
}

void pdf_para_free(pdf_ctx *c, pdf_para *p)
{
    pdf_tag_para_free(c, p);
    c->host->buf_free(&p->text);
    free(p->spans);
    free(p->links);
    free(p->linkruns);
    free(p->actions);
    free(p->g);
    free(p->lines);
    memset(p, 0, sizeof *p);
}

static int same_style(const pdf_style *a, const pdf_style *b)
{
    return a->role == b->role && a->italic == b->italic &&
           a->strike == b->strike && a->super == b->super &&
           a->size == b->size && a->rgb == b->rgb && a->link == b->link;
}

static void add_span(pdf_para *p)
{
    if (p->nspans && same_style(&p->spans[p->nspans - 1].st, &p->cur)) return;
    if (p->nspans && p->spans[p->nspans - 1].start == p->text.len) {
        p->spans[p->nspans - 1].st = p->cur; /* empty span: restyle it */
        return;
    }
    if (p->nspans == p->capspans) {
        p->capspans = p->capspans ? 2 * p->capspans : 8;
        p->spans = realloc(p->spans, p->capspans * sizeof *p->spans);
        if (!p->spans) abort();
    }
    p->spans[p->nspans].start = p->text.len;
    p->spans[p->nspans++].st = p->cur;
}

void pdf_para_text(pdf_ctx *c, pdf_para *p, const char *s, size_t len)
{
    if (!len) return;
    add_span(p);
    if (!p->pre) {
        c->host->buf_put(&p->text, s, len);
        return;
    }
    /* Code: tabs to spaces (stops every 4 columns), CR dropped. */
    size_t col = 0, from = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\t' && s[i] != '\r') {
            col = s[i] == '\n' ? 0 : col + ((s[i] & 0xC0) != 0x80);
            continue;
        }
        c->host->buf_put(&p->text, s + from, i - from);
        from = i + 1;
        if (s[i] == '\t') do
                c->host->buf_put(&p->text, " ", 1);
            while (++col % 4);
    }
    c->host->buf_put(&p->text, s + from, len - from);
}

/* A link annotation is made only for http, https and mailto. */
int pdf_para_link(pdf_para *p, const pdf_ctx *c, const char *url)
{
    if (!url || !c->host->url_is_safe(url)) return -1;
    if (p->nlinks == p->caplinks) {
        p->caplinks = p->caplinks ? 2 * p->caplinks : 4;
        p->links = realloc(p->links, p->caplinks * sizeof *p->links);
        if (!p->links) abort();
    }
    p->links[p->nlinks] = url;
    return (int)p->nlinks++;
}

void pdf_para_bold_label(pdf_para *p, size_t from)
{
    const char *s = p->text.data + from;
    size_t n = p->text.len - from, end = 0;
    int words = 1;
    for (size_t i = 0; i < n && i < 32 && words <= 3; i++) {
        words += s[i] == ' ';
        if (s[i] == ':' && (i + 1 == n || s[i + 1] == ' ')) {
            end = i + 1;
            break;
        }
        if (i + 3 <= n && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) {
            end = i + 3; /* full-width colon */
            break;
        }
        if (strchr(".,;!?()[]`*\n", s[i])) return;
    }
    if (end < 2) return;
    /* Only plain text becomes bold: split the first span at the label. */
    size_t k = 0;
    while (k + 1 < p->nspans && p->spans[k + 1].start <= from)
        k++;
    if (!p->nspans || p->spans[k].st.role != ROLE_REGULAR ||
        (k + 1 < p->nspans && p->spans[k + 1].start < from + end))
        return;
    pdf_span tail = p->spans[k];
    pdf_span head = tail;
    head.start = from;
    head.st.role = ROLE_BOLD;
    tail.start = from + end;
    size_t extra = (p->spans[k].start < from) + 1;
    if (p->nspans + extra > p->capspans) {
        p->capspans = p->nspans + extra + 8;
        p->spans = realloc(p->spans, p->capspans * sizeof *p->spans);
        if (!p->spans) abort();
    }
    size_t at = p->spans[k].start < from ? k + 1 : k;
    memmove(p->spans + k + 1 + extra, p->spans + k + 1,
            (p->nspans - k - 1) * sizeof *p->spans);
    p->spans[at] = head;
    p->spans[at + 1] = tail;
    p->nspans += extra;
}

/* ------------------------------------------------------------ measuring */

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000;
}

/* Inside an address (a piece with "://" or "www."), a line may end after
 * / . - ? & as the EPUB allows, never inside a word of it, nor after a dot
 * of the host name (from "://" or "www." to the first '/'); the last
 * character of the piece keeps its own rule. */
static void url_breaks(pdf_para *p)
{
    for (size_t a = 0; a < p->ng;) {
        if (is_space(p->g[a].cp) || p->g[a].cp == '\n') {
            a++;
            continue;
        }
        size_t b = a, host = 0;
        int url = 0;
        while (b < p->ng && !is_space(p->g[b].cp) && p->g[b].cp != '\n') {
            if (b + 2 < p->ng && p->g[b].cp == ':' && p->g[b + 1].cp == '/' &&
                p->g[b + 2].cp == '/') {
                if (!url) host = b + 3;
                url = 1;
            }
            if (b + 3 < p->ng && p->g[b].cp == 'w' && p->g[b + 1].cp == 'w' &&
                p->g[b + 2].cp == 'w' && p->g[b + 3].cp == '.') {
                if (!url) host = b;
                url = 1;
            }
            b++;
        }
        for (size_t i = a; url && i + 1 < b; i++) {
            uint32_t ch = p->g[i].cp, next = p->g[i + 1].cp;
            if (host && i >= host && ch == '/') host = 0; /* the path */
            int after = ch == '/' || (ch == '.' && !(host && i >= host)) ||
                        ch == '-' || ch == '?' || ch == '&';
            /* "//" stays whole; elsewhere only after the marks. */
            p->g[i].brk =
                after && next != '/' ? FOLIO_BREAK_ALLOW : FOLIO_BREAK_NO;
        }
        a = b;
    }
}

/* The dot of a " \u00B7 " separator never starts a line (the line ends
 * after it), nor does a math operator after its thin space (math.c: a line
 * ends after the operator, as in TeX).  Small kana are the host's
 * line_breaks() decision. */
static void strict_breaks(pdf_para *p)
{
    for (size_t i = 0; i + 1 < p->ng; i++) {
        uint32_t next = p->g[i + 1].cp;
        int sep = is_space(p->g[i].cp) && next == 0xB7 &&
                  (i + 2 == p->ng || is_space(p->g[i + 2].cp));
        int op = p->g[i].cp == 0x2009 &&
                 (next == '+' || next == '=' || next == '<' || next == '>' ||
                  (next >= 0x2190 && next < 0x2300));
        if (p->g[i].brk == FOLIO_BREAK_ALLOW && (sep || op))
            p->g[i].brk = FOLIO_BREAK_NO;
    }
}

/* A character no face draws is left out; the space after it goes too,
 * so that no double gap marks where it was. */
static void close_gaps(pdf_para *p)
{
    for (size_t i = 1; i + 1 < p->ng; i++)
        if (p->g[i].face == FACE_NONE && is_space(p->g[i - 1].cp) &&
            is_space(p->g[i + 1].cp)) {
            p->g[i + 1].face = FACE_SKIP;
            p->g[i + 1].w = 0;
        }
}

/* Measure every code point in the face that will draw it. */
static void shape(pdf_ctx *c, pdf_para *p)
{
    const char *s = p->text.data;
    size_t len = p->text.len;
    free(p->g);
    p->g = malloc((len + 1) * sizeof *p->g);
    char *brks = malloc(len + 1);
    if (!p->g || !brks) abort();
    if (len) c->host->line_breaks(s, len, c->lang, brks);
    p->ng = 0;
    size_t span = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = c->host->utf8_next(s + i, len - i, &cp);
        while (span + 1 < p->nspans && p->spans[span + 1].start <= i)
            span++;
        const pdf_style *st = &p->spans[span].st;
        pdf_glyph *g = &p->g[p->ng++];
        g->off = (uint32_t)i;
        g->cp = cp;
        g->span = (int)span;
        g->brk = (unsigned char)brks[i + k - 1];
        g->face =
            cp == '\n' ? FACE_SKIP : pdf_pick(c, st->role, st->italic, cp);
        /* Beyond the BMP: drawn by an alias CID, from the face's glyph. */
        if (g->face >= 0 && cp > 0xFFFF &&
            (!pdf_face_font(c, g->face) || pdf_cid(c, cp) < 0 ||
             !pdf_cid_glyph(c, g->face, (unsigned)pdf_cid(c, cp))))
            g->face = FACE_NONE;
        if (g->face == FACE_NONE) pdf_warn_char(c, cp, p->line);
        /* Faces enter the document in the order the text first uses
         * them, whether or not another document measured them before
         * (the same bytes alone or in a batch). */
        if (g->face >= 0 && !c->dfonts[g->face]) pdf_face_font(c, g->face);
        g->w = g->face >= 0 ? pdf_advance(c, g->face, cp) * st->size *
                                  c->fonts->faces[g->face].scale / 1000.0f
                            : 0;
        i += k;
    }
    free(brks);
    strict_breaks(p);
    url_breaks(p);
    close_gaps(p);
}

static void push_line(pdf_para *p, size_t *cap, size_t a, size_t b, int last)
{
    while (b > a && is_space(p->g[b - 1].cp))
        b--; /* trailing spaces hang in the margin */
    if (p->nlines == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        p->lines = realloc(p->lines, *cap * sizeof *p->lines);
        if (!p->lines) abort();
    }
    pdf_line *l = &p->lines[p->nlines++];
    l->start = a;
    l->end = b;
    l->last = last;
    l->width = 0;
    l->size = 0;
    for (size_t i = a; i < b; i++)
        l->width += p->g[i].w;
    /* A line's box follows its largest text (superscripts excepted). */
    size_t span = a < p->ng ? (size_t)p->g[a].span : 0;
    for (size_t i = a; i < b; i++)
        if (i == a || (size_t)p->g[i].span != span) {
            span = (size_t)p->g[i].span;
            const pdf_style *st = &p->spans[span].st;
            if (!st->super && st->size > l->size) l->size = st->size;
        }
    if (l->size == 0) l->size = p->nspans ? p->spans[0].st.size : BODY_SIZE;
}

/* Greedy filling: a line ends at the last break opportunity that fits; a
 * piece wider than the line (a long URL, a 1,000-letter word) is cut
 * between characters rather than run off the page. */
void pdf_para_break(pdf_ctx *c, pdf_para *p, float width)
{
    free(p->linkruns); /* counted again for the new lines */
    free(p->actions);
    p->linkruns = NULL;
    p->actions = NULL;
    shape(c, p);
    p->nlines = 0;
    size_t cap = 0, i = 0;
    if (width < 1) width = 1;
    while (i < p->ng) {
        size_t start = i, best = 0, j;
        float w = 0;
        for (j = i; j < p->ng; j++) {
            const pdf_glyph *g = &p->g[j];
            if (g->cp == '\n') break;
            if (w + g->w > width && !is_space(g->cp) && j > start) break;
            w += g->w;
            if (g->brk == FOLIO_BREAK_ALLOW || g->brk == FOLIO_BREAK_MUST)
                best = j + 1;
        }
        if (j >= p->ng) {
            push_line(p, &cap, start, p->ng, 1);
            break;
        }
        if (p->g[j].cp == '\n') {
            push_line(p, &cap, start, j, 1);
            i = j + 1;
            if (i == p->ng) /* a final line end makes an empty line */
                push_line(p, &cap, i, i, 1);
            continue;
        }
        size_t end = best > start ? best : j;
        push_line(p, &cap, start, end, 0);
        i = end;
        if (!p->pre)
            while (i < p->ng && is_space(p->g[i].cp))
                i++;
    }
    if (!p->ng) push_line(p, &cap, 0, 0, 1);
}

void pdf_para_widths(pdf_ctx *c, pdf_para *p, float *minw, float *maxw)
{
    shape(c, p);
    float piece = 0, line = 0;
    *minw = *maxw = 0;
    for (size_t i = 0; i < p->ng; i++) {
        const pdf_glyph *g = &p->g[i];
        if (g->cp == '\n') {
            line = piece = 0;
            continue;
        }
        line += g->w;
        if (!is_space(g->cp)) piece += g->w;
        if (piece > *minw) *minw = piece;
        if (line > *maxw) *maxw = line;
        if (g->brk != FOLIO_BREAK_NO && g->brk != FOLIO_BREAK_INSIDE) piece = 0;
    }
}

/* ------------------------------------------------------------ drawing */

static void draw_run(pdf_ctx *c, pdf_para *p, size_t a, size_t b, float x,
                     float y)
{
    const pdf_glyph *g = &p->g[a];
    const pdf_style *st = &p->spans[g->span].st;
    HPDF_Font font = pdf_face_font(c, g->face);
    if (!font) return;
    size_t from = g->off;
    size_t to = b < p->ng ? p->g[b].off : p->text.len;
    const pdf_face *fc = &c->fonts->faces[g->face];
    /* No bold face for this script (Han, or -O pdf.font): stroke the
     * outline as well to embolden it. */
    int fake_bold = st->role == ROLE_BOLD && !fc->bold;
    HPDF_Page pg = c->page;
    pdf_rgb(pg, st->rgb, 0);
    if (fake_bold) {
        pdf_rgb(pg, st->rgb, 1);
        HPDF_Page_SetLineWidth(pg, st->size * 0.035f);
        HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL_THEN_STROKE);
    }
    float size = st->size * fc->scale;
    if (HPDF_Page_GetCurrentFont(pg) != font ||
        HPDF_Page_GetCurrentFontSize(pg) != size)
        HPDF_Page_SetFontAndSize(pg, font, size);
    float rise = st->super == 1   ? st->size * 0.6f
                 : st->super == 2 ? -st->size * 0.3f /* subscript */
                                  : 0;
    /* A face without an italic is slanted instead. */
    pdf_text_at(c, st->italic && !fc->oblique ? 0.2f : 0, x, y + rise);
    pdf_show(c, g->face, p->text.data + from, to - from);
    if (fake_bold) HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL);
}

/* Each link's runs (as pdf_line_draw annotates them: a style run on a
 * line). */
static void count_runs(pdf_para *p)
{
    p->linkruns = calloc(p->nlinks ? p->nlinks : 1, sizeof *p->linkruns);
    p->actions = calloc(p->nlinks ? p->nlinks : 1, sizeof *p->actions);
    if (!p->linkruns || !p->actions) abort();
    for (size_t li = 0; li < p->nlines; li++)
        for (size_t i = p->lines[li].start; i < p->lines[li].end;) {
            int span = p->g[i].span, link = p->spans[span].st.link;
            while (i < p->lines[li].end && p->g[i].span == span)
                i++;
            if (link >= 0) p->linkruns[link]++;
        }
}

/* The URI of a link, percent-encoded into u; 0, or -1 (warned once per
 * document) when libharu could not hold it: the text stays, unlinked. */
static int link_uri(pdf_ctx *c, folio_buf *u, const char *url)
{
    c->host->url_encode(u, url);
    if (u->len <= HPDF_LIMIT_MAX_STRING_LEN) return 0;
    if (!c->warned_url++)
        c->host->report(c->job, FOLIO_WARNING, NULL, 0, 0,
                        "a link of %zu bytes is longer than a PDF string "
                        "may be here (65,535 bytes): its text is left "
                        "unlinked",
                        u->len);
    return -1;
}

/* One action shared by a link's runs: the address once in the file, not
 * once a line (a 45 KB URL made a 27 MB PDF).  Returns the indirect
 * action, or NULL (no link). */
static HPDF_Dict shared_action(pdf_ctx *c, const char *url)
{
    folio_buf u = {0};
    HPDF_Dict a = NULL;
    if (link_uri(c, &u, url) == 0 && (a = HPDF_Dict_New(haru_mmgr(c->doc))) &&
        HPDF_Xref_Add(haru_xref(c->doc), a) == HPDF_OK) {
        HPDF_String s = HPDF_String_New(haru_mmgr(c->doc), u.data, NULL);
        if (!s || HPDF_Dict_AddName(a, "Type", "Action") != HPDF_OK ||
            HPDF_Dict_AddName(a, "S", "URI") != HPDF_OK ||
            HPDF_Dict_Add(a, "URI", s) != HPDF_OK)
            a = NULL; /* the xref owns and frees it */
    } else {
        a = NULL; /* HPDF_Xref_Add frees what it could not add */
    }
    c->host->buf_free(&u);
    return a;
}

static void annotate(pdf_ctx *c, pdf_para *p, int link, float x0, float x1,
                     float y, float size)
{
    if (!p->linkruns) count_runs(p);
    HPDF_Rect r = {x0, y - size * 0.25f, x1, y + size * 0.9f};
    HPDF_Annotation a = NULL;
    if (p->linkruns[link] < 2) {
        folio_buf u = {0};
        if (link_uri(c, &u, p->links[link]) == 0)
            a = HPDF_Page_CreateURILinkAnnot(c->page, r, u.data);
        c->host->buf_free(&u);
    } else {
        if (!p->actions[link]) {
            HPDF_Dict act = shared_action(c, p->links[link]);
            p->actions[link] = act ? (void *)act : (void *)p; /* p: none */
        }
        if (p->actions[link] != p &&
            /* its own action (libharu wants a URI) replaced by the one */
            (a = HPDF_Page_CreateURILinkAnnot(c->page, r, "-")) &&
            HPDF_Dict_Add(a, "A", p->actions[link]) != HPDF_OK)
            a = NULL;
    }
    if (a) HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    pdf_tag_link_annot(c, p, link, a);
}

/* Letters set solid in Chinese and Japanese: justified by spacing every
 * character, where Korean and Latin stretch the spaces between words. */
static int is_cjk(const pdf_ctx *c, uint32_t cp)
{
    int script = c->host->script(cp);
    return script == FOLIO_SCRIPT_HAN || script == FOLIO_SCRIPT_KANA ||
           script == FOLIO_SCRIPT_CJK_MARK;
}

static int is_syllable(uint32_t c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

/* A space that justification widens: not one inside code. */
static int stretchy(const pdf_para *p, size_t i)
{
    return is_space(p->g[i].cp) && p->spans[p->g[i].span].st.role != ROLE_MONO;
}

/* Glyph i gets the letter spacing tc after it: every drawn glyph of a
 * line set solid (tc_all), else Hangul syllables only, Latin never. */
static int spaced(const pdf_para *p, size_t i, int tc_all)
{
    return p->g[i].face >= 0 && (tc_all || is_syllable(p->g[i].cp));
}

/* Korean justification (after klreq, Requirements for Hangul Text
 * Layout): the slack goes to the word spaces up to 1.5 times their width,
 * then between syllables up to 0.05 em, then to the spaces again up to
 * 1.8 times their width; what is left stays at the right (ragged), so no
 * word gap ever opens to twice the normal one.  Spaces in code keep
 * their width. */
static void justify(const pdf_ctx *c, const pdf_para *p, const pdf_line *l,
                    float slack, float *gap, float *tc, int *tc_all)
{
    int nspace = 0, ncjk = 0, ndrawn = 0, nsyl = 0;
    float sw = 0;
    for (size_t i = l->start; i < l->end; i++) {
        const pdf_glyph *g = &p->g[i];
        if (stretchy(p, i)) {
            nspace++;
            if (sw == 0 || g->w < sw) sw = g->w;
        }
        ncjk += is_cjk(c, g->cp);
        ndrawn += g->face >= 0;
        nsyl += i + 1 < l->end && is_syllable(g->cp) && g->face >= 0;
    }
    if (ncjk * 2 > ndrawn && ndrawn > 1) { /* Chinese, Japanese */
        if (slack / (float)(ndrawn - 1) < l->size * 0.25f) {
            *tc = slack / (float)(ndrawn - 1);
            *tc_all = 1;
        }
        return;
    }
    float left = slack, g = 0, t = 0;
    if (nspace) {
        g = left / (float)nspace < sw * 0.5f ? left / (float)nspace : sw * 0.5f;
        left -= g * (float)nspace;
    }
    if (nsyl && left > 0) {
        float cap = l->size * 0.05f;
        t = left / (float)nsyl < cap ? left / (float)nsyl : cap;
        left -= t * (float)nsyl;
    }
    if (nspace && left > 0) { /* the syllable before a space adds t */
        float more = sw * 0.8f - t - g;
        if (more > 0)
            g += left / (float)nspace < more ? left / (float)nspace : more;
    }
    *gap = g;
    *tc = t;
}

void pdf_line_draw(pdf_ctx *c, pdf_para *p, size_t li, float x, float y,
                   float width)
{
    const pdf_line *l = &p->lines[li];
    float slack = width - l->width, gap = 0, tc = 0;
    int tc_all = 0;
    if (p->align == ALIGN_RIGHT)
        x += slack;
    else if (p->align == ALIGN_CENTER)
        x += slack / 2;
    else if (p->align == ALIGN_JUSTIFY && !l->last && slack > 0)
        justify(c, p, l, slack, &gap, &tc, &tc_all);
    int inner = pdf_tag_line(c, p, l->start, l->end); /* marks per run */
    HPDF_Page_BeginText(c->page);
    float cur_tc = 0;
    size_t i = l->start;
    float cx = x;
    while (i < l->end) {
        const pdf_glyph *g = &p->g[i];
        if (g->face < 0) {
            i++;
            continue;
        }
        int sp = spaced(p, i, tc_all);
        size_t j = i + 1;
        float w = g->w + (sp ? tc : 0);
        while (j < l->end && p->g[j].face == g->face &&
               p->g[j].span == g->span && !(gap && stretchy(p, j - 1)) &&
               spaced(p, j, tc_all) == sp)
            w += p->g[j++].w + (sp ? tc : 0);
        float want = sp ? tc : 0;
        if (want != cur_tc) HPDF_Page_SetCharSpace(c->page, cur_tc = want);
        if (inner) pdf_tag_run(c, p, i);
        draw_run(c, p, i, j, cx, y);
        cx += w + (gap && stretchy(p, j - 1) ? gap : 0);
        i = j;
    }
    if (cur_tc) HPDF_Page_SetCharSpace(c->page, 0);
    if (inner) pdf_tag_close(c);
    HPDF_Page_EndText(c->page);

    /* Strike-through lines and link annotations, per run of a style. */
    cx = x;
    for (i = l->start; i < l->end;) {
        const pdf_style *st = &p->spans[p->g[i].span].st;
        size_t j = i;
        float w = 0;
        for (; j < l->end && p->g[j].span == p->g[i].span; j++)
            w += p->g[j].w + (spaced(p, j, tc_all) ? tc : 0) +
                 (gap && stretchy(p, j) ? gap : 0);
        if (st->strike)
            pdf_hrule(c, cx, cx + w, y + st->size * 0.3f, st->size * 0.06f,
                      st->rgb);
        if (st->link >= 0 && w > 0)
            annotate(c, p, st->link, cx, cx + w, y, st->size);
        cx += w;
        i = j;
    }
}
