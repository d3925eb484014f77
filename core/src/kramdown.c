/* Markdown as Jekyll renders it (kramdown with GFM input, MathJax on the
 * page), on top of cmark-gfm.
 *
 * Before cmark-gfm parses a body, kd_prescan() finds what Markdown must not
 * touch: TeX math ($...$, $$...$$, \(...\), \[...\]), Liquid tags and
 * output ({% ... %}, {{ ... }}) and kramdown attribute lists and extensions
 * ({: ...}, {::...}), outside code.  Each becomes a placeholder of
 * private-use characters that cmark-gfm takes for plain text: U+E000, the
 * span's number, U+E001; a span over several lines keeps its line ends,
 * each followed by the next line's container prefix ("> ", list indent)
 * and U+E002, so blocks and line numbers stay as they were.  An escaped
 * star (\*) becomes PH_STAR, so that every '*' cmark-gfm leaves in text is
 * a delimiter it could not pair.
 *
 * After the IR is built, kd_post() turns placeholders into MATH and MARKUP
 * nodes (their text byte for byte), drops the line ends that belonged to a
 * span, makes markup-only paragraphs, "* TOC" + "{:toc}" and <!--more-->
 * MARKUP_BLOCKs, resolves Liquid in link destinations, pairs the '*' and
 * '**' runs that CommonMark's flanking rules left unpaired beside CJK text
 * (kramdown pairs them: "**용어**를"), and puts escaped stars back. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PH_OPEN "\xEE\x80\x80"  /* U+E000 */
#define PH_CLOSE "\xEE\x80\x81" /* U+E001 */
#define PH_CONT "\xEE\x80\x82"  /* U+E002 */
/* An escaped star: punctuation, as "\*" is to cmark-gfm's flanking rules
 * (U+2E18, inverted interrobang; not used when the text has one). */
#define PH_STAR "\xE2\xB8\x98"

/* Spans never reach past this many bytes: a lone opener costs a bounded
 * search (and failed searches are remembered, so a scan stays linear). */
#define KD_MAX_SPAN ((size_t)64 << 10)

enum {
    KD_MATH = 1,
    KD_LIQUID_OUT,
    KD_LIQUID_TAG,
    KD_KRAMDOWN,
    KD_HIGHLIGHT,
    KD_NOMARKDOWN /* {::nomarkdown}raw{:/nomarkdown}: tags markup, raw HTML */
};

typedef struct kd_span {
    int kind;
    size_t off, len; /* text in kd_scan.store */
    int newlines;
    size_t open, close; /* KD_NOMARKDOWN: the lengths of its two tags */
} kd_span;

/* ---- pre-scan */

static int is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ascii_punct(char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
           (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

typedef struct scanner {
    const char *s;
    size_t len;
    folio_buf out;
    kd_scan *r;
    /* Searches that failed: no closer of kind k in [lo[k], hi[k]), and
     * when hard[k] the paragraph ends at hi[k].  Whether a closer closes
     * does not depend on its opener, so a later search skips that. */
    size_t lo[10], hi[10];
    int hard[10];
    int star_ok;           /* PH_STAR is free for escaped stars */
    int no_endhighlight;   /* no "{% endhighlight %}" after here */
    size_t bt_fail[17];    /* a code span of n backticks opened before
                              bt_fail[n] finds no closer */
    size_t xlo[3], xhi[3]; /* no closer of block extension k in [xlo, xhi) */
} scanner;

static size_t line_end(const scanner *sc, size_t i)
{
    const char *e = memchr(sc->s + i, '\n', sc->len - i);
    return e ? (size_t)(e - sc->s) : sc->len;
}

/* A line of only spaces and quote markers ends a paragraph. */
static int blank_at(const scanner *sc, size_t i)
{
    while (i < sc->len && sc->s[i] != '\n') {
        if (!is_sp(sc->s[i]) && sc->s[i] != '>') return 0;
        i++;
    }
    return 1;
}

/* After one block-quote marker ("> ", up to three spaces before it) at i,
 * or i when there is none. */
static size_t quote_marker(const scanner *sc, size_t i)
{
    const char *s = sc->s;
    size_t j = i, n = sc->len;
    for (int k = 0; k < 3 && j < n && s[j] == ' '; k++)
        j++;
    if (j >= n || s[j] != '>') return i;
    j++;
    return j < n && s[j] == ' ' ? j + 1 : j;
}

/* End of the container prefix of the line starting at ls: quote markers,
 * then (for the span's first line) a list marker, then spaces.  nq gets
 * the number of quote markers, ind the indent after them. */
static size_t prefix_end(const scanner *sc, size_t ls, int *nq, size_t *ind,
                         int marker)
{
    const char *s = sc->s;
    size_t i = ls, n = sc->len;
    *nq = 0;
    for (size_t e; (e = quote_marker(sc, i)) != i; i = e)
        (*nq)++;
    size_t q = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (marker && i < n) {
        size_t j = i;
        if (s[j] == '-' || s[j] == '*' || s[j] == '+')
            j++;
        else {
            while (j < n && is_digit(s[j]) && j - i < 9)
                j++;
            if (j > i && j < n && (s[j] == '.' || s[j] == ')'))
                j++;
            else
                j = i;
        }
        if (j > i && j < n && s[j] == ' ') {
            i = j;
            while (i < n && s[i] == ' ')
                i++;
        }
    }
    *ind = i - q;
    return i;
}

/* Strip from the line at ls up to nq quote markers and ind spaces. */
static size_t strip_prefix(const scanner *sc, size_t ls, int nq, size_t ind)
{
    const char *s = sc->s;
    size_t i = ls, n = sc->len;
    for (int q = 0; q < nq; q++) {
        size_t e = quote_marker(sc, i);
        if (e == i) break;
        i = e;
    }
    for (size_t k = 0; k < ind && i < n && s[i] == ' '; k++)
        i++;
    return i;
}

/* Content of \( \) or \[ \]: TeX rather than escaped brackets. */
static int tex_like(const char *s, size_t n)
{
    if (!n || n > 4096) return 0;
    int space = 0, letter = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\^_={}", s[i])) return 1;
        if (s[i] == ']' && i + 1 < n && s[i + 1] == '(') return 0;
        space |= is_sp(s[i]);
        letter |= (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z';
    }
    return n <= 3 && !space && letter; /* \(x\), not \[1\] */
}

/* Is there a closer of kind k at i? */
static int closes(const scanner *sc, int k, size_t i)
{
    const char *s = sc->s;
    size_t n = sc->len;
    switch (k) {
    case 0: /* $ */
        return s[i] == '$' && !is_sp(s[i - 1]) && s[i - 1] != '\\' &&
               (i + 1 >= n || (!is_digit(s[i + 1]) && s[i + 1] != '$')) &&
               s[i - 1] != '$';
    case 1: /* $$ */
    case 2:
        return s[i] == '$' && i + 1 < n && s[i + 1] == '$' && s[i - 1] != '\\';
    case 3: /* \) */
        return s[i] == '\\' && i + 1 < n && s[i + 1] == ')';
    case 4: /* \] */
        return s[i] == '\\' && i + 1 < n && s[i + 1] == ']';
    case 5: /* %} */
        return s[i] == '%' && i + 1 < n && s[i + 1] == '}';
    case 8: /* \\) */
    case 9: /* \\] */
        return s[i] == '\\' && i + 2 < n && s[i + 1] == '\\' &&
               s[i + 2] == (k == 8 ? ')' : ']');
    case 6: /* }} */
        return s[i] == '}' && i + 1 < n && s[i + 1] == '}';
    default: /* } of an attribute list, same line */
        return s[i] == '}';
    }
}

/* Find the closer of kind k searching from `from`: its index, or -1.
 * Stops at a blank line (unless k allows them) and at a line end for
 * attribute lists; a code span inside a math span is math. */
static size_t find_close(scanner *sc, int k, size_t from)
{
    size_t start = from, lo = from;
    if (from >= sc->lo[k] && from < sc->hi[k]) {
        if (sc->hard[k]) return (size_t)-1;
        start = sc->hi[k];
        lo = sc->lo[k];
    }
    size_t max = k == 7 ? 1024 : KD_MAX_SPAN; /* attribute lists are short */
    size_t lim = sc->len - from > max ? from + max : sc->len;
    for (size_t i = start; i < lim; i++) {
        if (sc->s[i] == '\n') {
            if (k == 7) {
                sc->lo[k] = lo;
                sc->hi[k] = i;
                sc->hard[k] = 1;
                return (size_t)-1;
            }
            if (k != 2 && blank_at(sc, i + 1)) {
                sc->lo[k] = lo;
                sc->hi[k] = i + 1;
                sc->hard[k] = 1;
                return (size_t)-1;
            }
            continue;
        }
        if (closes(sc, k, i)) return i;
        if (sc->s[i] == '`' && k <= 4) { /* math does not reach into code */
            sc->lo[k] = lo;
            sc->hi[k] = i;
            sc->hard[k] = 1;
            return (size_t)-1;
        }
        if (k == 0 && sc->s[i] == '$' && sc->s[i - 1] != '\\') {
            /* a '$' that cannot close ends the search: "$5 and $10" */
            sc->lo[k] = lo;
            sc->hi[k] = i;
            sc->hard[k] = 1;
            return (size_t)-1;
        }
    }
    if (lim > start) {
        sc->lo[k] = lo;
        sc->hi[k] = lim;
        sc->hard[k] = lim == sc->len;
    }
    return (size_t)-1;
}

/* A span [a, b) on the line starting at ls. */
static void add_span(scanner *sc, int kind, size_t ls, size_t a, size_t b)
{
    kd_scan *r = sc->r;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v) folio_oom();
    }
    /* The first line fixes the container prefix the others lose. */
    int nq;
    size_t ind;
    prefix_end(sc, ls, &nq, &ind, 1);
    kd_span *sp = &r->v[r->n];
    sp->kind = kind;
    sp->off = r->store.len;
    sp->newlines = 0;
    sp->open = sp->close = 0;
    buf_printf(&sc->out, PH_OPEN "%zu" PH_CLOSE, r->n);
    r->n++;
    size_t i = a;
    while (i < b) {
        const char *e = memchr(sc->s + i, '\n', b - i);
        size_t stop = e ? (size_t)(e - sc->s) : b;
        buf_put(&r->store, sc->s + i, stop - i);
        if (!e) break;
        size_t next = strip_prefix(sc, stop + 1, nq, ind);
        if (next > b) next = b;
        buf_putc(&r->store, '\n');
        buf_putc(&sc->out, '\n');
        buf_put(&sc->out, sc->s + stop + 1, next - (stop + 1));
        buf_puts(&sc->out, PH_CONT);
        sp->newlines++;
        i = next;
    }
    sp->len = r->store.len - sp->off;
}

/* Start of the line holding b, given ls for a <= b. */
static size_t last_line(const char *s, size_t a, size_t b, size_t ls)
{
    for (size_t i = a; i < b; i++)
        if (s[i] == '\n') ls = i + 1;
    return ls;
}

/* A Liquid tag named name ("raw", "endraw") between a and b? */
static int liquid_is(const scanner *sc, size_t a, size_t b, const char *name)
{
    a += 2; /* "{%" */
    b -= 2;
    if (a < b && sc->s[a] == '-') a++;
    if (b > a && sc->s[b - 1] == '-') b--;
    while (a < b && is_sp(sc->s[a]))
        a++;
    while (b > a && is_sp(sc->s[b - 1]))
        b--;
    return b - a == strlen(name) && memcmp(sc->s + a, name, b - a) == 0;
}

static int is_fence_at(const char *s, size_t i, size_t n, char *ch,
                       size_t *flen)
{
    if (i >= n || (s[i] != '`' && s[i] != '~')) return 0;
    size_t j = i;
    while (j < n && s[j] == s[i])
        j++;
    if (j - i < 3) return 0;
    if (s[i] == '`') /* a backtick fence's info has no backtick */
        for (size_t k = j; k < n && s[k] != '\n'; k++)
            if (s[k] == '`') return 0;
    *ch = s[i];
    *flen = j - i;
    return 1;
}

/* Footnote labels as written ("[^note]"): cmark-gfm keeps only numbers,
 * kramdown names its anchors after the label. */
static void note_label(scanner *sc, size_t i, int line_start)
{
    size_t j = i + 2;
    while (j < sc->len && j - i < 200 && !is_sp(sc->s[j]) && sc->s[j] != ']' &&
           sc->s[j] != '[')
        j++;
    if (j >= sc->len || sc->s[j] != ']' || j == i + 2) return;
    int def = line_start && j + 1 < sc->len && sc->s[j + 1] == ':';
    kd_scan *r = sc->r;
    if (r->nlabels == r->labels_cap) {
        r->labels_cap = r->labels_cap ? r->labels_cap * 2 : 16;
        r->labels = realloc(r->labels, r->labels_cap * sizeof *r->labels);
        if (!r->labels) folio_oom();
    }
    r->labels[r->nlabels].off = r->store.len;
    r->labels[r->nlabels].len = j - (i + 2);
    r->labels[r->nlabels].def = def;
    r->nlabels++;
    buf_put(&r->store, sc->s + i + 2, j - (i + 2));
}

static int has3(const char *s, size_t len, const char *what)
{
    for (const char *p = s; (p = memchr(p, what[0], len - (size_t)(p - s)));
         p++)
        if ((size_t)(s + len - p) >= 3 && memcmp(p, what, 3) == 0) return 1;
    return 0;
}

/* Store a span's text without a placeholder: its index. */
static size_t keep_span(scanner *sc, int kind, size_t a, size_t b)
{
    kd_scan *r = sc->r;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v) folio_oom();
    }
    kd_span *sp = &r->v[r->n];
    sp->kind = kind;
    sp->off = r->store.len;
    sp->len = b - a;
    sp->newlines = 0;
    sp->open = sp->close = 0;
    buf_put(&r->store, sc->s + a, b - a);
    return r->n++;
}

/* The end of a Liquid tag alone on the line [a, le), or 0. */
static size_t tag_line(const scanner *sc, size_t a, size_t le)
{
    const char *s = sc->s;
    if (le - a < 4 || s[a] != '{' || s[a + 1] != '%') return 0;
    size_t e = a + 2;
    while (e + 1 < le && !(s[e] == '%' && s[e + 1] == '}'))
        e++;
    if (e + 1 >= le) return 0;
    e += 2;
    for (size_t k = e; k < le; k++)
        if (!is_sp(s[k])) return 0;
    return e;
}

/* "{% highlight python linenos %}" to "~~~~ python <placeholder>" and
 * "{% endhighlight %}" to "~~~~": Jekyll shows a code block there.  The
 * tags are kept as spans; returns the position after the closing line,
 * or 0 when [pos, le) opens no highlight block. */
static size_t highlight(scanner *sc, size_t pos, size_t cs, size_t le)
{
    const char *s = sc->s;
    size_t e = tag_line(sc, cs, le);
    if (!e || sc->no_endhighlight) return 0;
    size_t a = cs + 2;
    if (s[a] == '-') a++;
    while (a < e && is_sp(s[a]))
        a++;
    if (e - a < 9 || memcmp(s + a, "highlight", 9) != 0 || !is_sp(s[a + 9]))
        return 0;
    size_t la = a + 9;
    while (la < e && is_sp(s[la]))
        la++;
    size_t lb = la;
    while (lb < e && !is_sp(s[lb]) && s[lb] != '%' && s[lb] != '-')
        lb++;
    /* its closing line, and the longest run of tildes before it */
    size_t run = 0, maxrun = 0;
    for (size_t l = le + 1; l < sc->len;) {
        size_t ll = line_end(sc, l);
        int nq;
        size_t ind, c = prefix_end(sc, l, &nq, &ind, 0);
        size_t te = tag_line(sc, c, ll);
        if (te && liquid_is(sc, c, te, "endhighlight")) {
            size_t fl = maxrun + 1 > 3 ? maxrun + 1 : 3;
            size_t open = keep_span(sc, KD_HIGHLIGHT, cs, e);
            keep_span(sc, KD_LIQUID_TAG, c, te);
            buf_put(&sc->out, s + pos, cs - pos);
            for (size_t k = 0; k < fl; k++)
                buf_putc(&sc->out, '~');
            buf_putc(&sc->out, ' ');
            buf_put(&sc->out, s + la, lb - la);
            buf_printf(&sc->out, " " PH_OPEN "%zu" PH_CLOSE "\n", open);
            buf_put(&sc->out, s + le + 1, c - (le + 1));
            for (size_t k = 0; k < fl; k++)
                buf_putc(&sc->out, '~');
            buf_putc(&sc->out, '\n');
            return ll < sc->len ? ll + 1 : sc->len;
        }
        for (size_t k = l; k < ll; k++) {
            run = s[k] == '~' ? run + 1 : 0;
            if (run > maxrun) maxrun = run;
        }
        run = 0;
        l = ll + 1;
    }
    sc->no_endhighlight = 1; /* none later either */
    return 0;
}

/* The first word of the Liquid tag [a, b) ("if" of "{%- if x -%}"). */
static void tag_word(const scanner *sc, size_t a, size_t b, size_t *wa,
                     size_t *wb)
{
    a += 2;
    if (a < b && sc->s[a] == '-') a++;
    while (a < b && is_sp(sc->s[a]))
        a++;
    size_t e = a;
    while (e < b && !is_sp(sc->s[e]) && sc->s[e] != '%' && sc->s[e] != '-')
        e++;
    *wa = a;
    *wb = e;
}

static int word_is(const scanner *sc, size_t a, size_t b, const char *w)
{
    return b - a == strlen(w) && memcmp(sc->s + a, w, b - a) == 0;
}

/* Remember the first Liquid construct of warning class k at [a, b). */
static void warn_at(scanner *sc, int k, size_t a, size_t b)
{
    if (!sc->r->warn[k].len) {
        sc->r->warn[k].off = a;
        sc->r->warn[k].len = b - a > 80 ? 80 : b - a;
    }
}

/* The end of the closer of block extension k at i, or 0: "{:/comment}"
 * (k 0), "{:/nomarkdown}" (k 1), either or "{:/}", "{% endcomment %}"
 * (k 2). */
static size_t closer_at(const scanner *sc, int k, size_t i)
{
    const char *s = sc->s;
    size_t n = sc->len;
    if (k < 2) {
        static const char *const names[] = {"{:/comment}", "{:/nomarkdown}"};
        size_t m = strlen(names[k]);
        if (n - i >= 4 && memcmp(s + i, "{:/}", 4) == 0) return i + 4;
        return n - i >= m && memcmp(s + i, names[k], m) == 0 ? i + m : 0;
    }
    if (n - i < 2 || s[i + 1] != '%') return 0;
    size_t j = i + 2;
    if (j < n && s[j] == '-') j++;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    if (n - j < 10 || memcmp(s + j, "endcomment", 10) != 0) return 0;
    j += 10;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    if (j < n && s[j] == '-') j++;
    return n - j >= 2 && s[j] == '%' && s[j + 1] == '}' ? j + 2 : 0;
}

/* Search for the closer of block extension k from `from` (blank lines
 * allowed, at most KD_MAX_SPAN bytes): the end of it, or 0.  Failed
 * searches are remembered, so a run of openers stays linear. */
static size_t find_closer(scanner *sc, int k, size_t from)
{
    size_t start = from, lo = from;
    if (from >= sc->xlo[k] && from < sc->xhi[k]) {
        if (sc->xhi[k] == sc->len) return 0;
        start = sc->xhi[k];
        lo = sc->xlo[k];
    }
    size_t lim = sc->len - from > KD_MAX_SPAN ? from + KD_MAX_SPAN : sc->len;
    for (size_t i = start; i < lim; i++) {
        const char *b = memchr(sc->s + i, '{', lim - i);
        if (!b) break;
        i = (size_t)(b - sc->s);
        size_t e = closer_at(sc, k, i);
        if (e) return e;
    }
    if (lim > start) {
        sc->xlo[k] = lo;
        sc->xhi[k] = lim;
    }
    return 0;
}

/* A Liquid tag [a, b) outside raw: the end of its span (a comment runs
 * to its endcomment); tags whose output folio cannot know are noted. */
static size_t liquid_block(scanner *sc, size_t a, size_t b)
{
    size_t wa, wb;
    tag_word(sc, a, b, &wa, &wb);
    static const char *const branch[] = {"if",  "unless",   "case",
                                         "for", "tablerow", "capture"};
    if (word_is(sc, wa, wb, "comment")) {
        size_t e = find_closer(sc, 2, b);
        if (e) return e;
        warn_at(sc, KD_W_UNCLOSED, a, b);
    } else if (word_is(sc, wa, wb, "include") ||
               word_is(sc, wa, wb, "include_relative")) {
        warn_at(sc, KD_W_INCLUDE, a, b);
    } else if (word_is(sc, wa, wb, "highlight")) {
        warn_at(sc, KD_W_UNCLOSED, a, b); /* no endhighlight line */
    } else {
        for (size_t k = 0; k < sizeof branch / sizeof *branch; k++)
            if (word_is(sc, wa, wb, branch[k])) warn_at(sc, KD_W_BRANCH, a, b);
    }
    return b;
}

/* A kramdown extension tag [a, b): the end of its span, 0 when it has no
 * closer (kramdown shows it as text).  {::comment}...{:/comment} is one
 * markup span; {::nomarkdown}...{:/nomarkdown} one KD_NOMARKDOWN span. */
static size_t extension(scanner *sc, size_t a, size_t b, int *kind,
                        size_t *open, size_t *close)
{
    const char *s = sc->s;
    if (b - a < 4 || s[a + 2] != ':' || s[b - 2] == '/') return b;
    size_t e = a + 3;
    while (e < b && s[e] != '}' && !is_sp(s[e]))
        e++;
    int k = e - a == 10 && memcmp(s + a + 3, "comment", 7) == 0       ? 0
            : e - a == 13 && memcmp(s + a + 3, "nomarkdown", 10) == 0 ? 1
                                                                      : -1;
    if (k < 0) return b;
    size_t end = find_closer(sc, k, b);
    if (end && k == 1) {
        *kind = KD_NOMARKDOWN;
        *open = b - a;
        *close = s[end - 2] == '/' ? 4 : 14;
    }
    return end;
}

int kd_prescan(const char *s, size_t len, kd_scan *r)
{
    memset(r, 0, sizeof *r);
    scanner sc = {.s = s, .len = len, .r = r};
    sc.star_ok = !has3(s, len, PH_STAR);
    r->stars = sc.star_ok;
    size_t pos = 0, list_ind = 0;
    int prev_blank = 1, prev_code = 0, raw = 0, any = 0;
    size_t raw_at = 0, raw_end = 0, xopen = 0, xclose = 0;
    char fence = 0;
    size_t fence_len = 0;
    while (pos < len) {
        /* Block level: at a line start. */
        size_t le = line_end(&sc, pos);
        int nq;
        size_t ind;
        size_t cs = prefix_end(&sc, pos, &nq, &ind, 0);
        int blank = blank_at(&sc, pos);
        size_t ms = prefix_end(&sc, pos, &nq, &ind, 1);
        char ch;
        size_t fl;
        int code = 0;
        size_t hl = !fence && !blank ? highlight(&sc, pos, cs, le) : 0;
        if (hl) {
            any = 1;
            prev_blank = 0;
            prev_code = 0;
            pos = hl;
            continue;
        }
        if (fence) {
            code = 1;
            if (is_fence_at(s, cs, le, &ch, &fl) && ch == fence &&
                fl >= fence_len) {
                size_t k = cs + fl;
                while (k < le && is_sp(s[k]))
                    k++;
                if (k == le) fence = 0;
            }
        } else if (is_fence_at(s, cs, le, &ch, &fl) ||
                   is_fence_at(s, ms, le, &ch, &fl)) {
            fence = ch;
            fence_len = fl;
            code = 1;
        } else if (!blank && (prev_blank || prev_code) &&
                   (cs - pos) >= list_ind + 4 + (size_t)(2 * nq)) {
            code = 1; /* indented code */
        }
        if (!blank && !code) {
            if (ms > cs && s[cs] != '|') /* a list item */
                list_ind = ind;
            else if (prev_blank && (cs - pos) < list_ind)
                list_ind = 0;
        }
        int para_start = prev_blank;
        prev_blank = blank;
        prev_code = code && !fence;
        if (code || blank) {
            size_t next = le < len ? le + 1 : len;
            buf_put(&sc.out, s + pos, next - pos);
            pos = next;
            continue;
        }
        /* Inline level, to the end of the line (a span may move it). */
        size_t i = pos, ls = pos; /* ls: start of the line of i */
        while (i < len && s[i] != '\n') {
            char c = s[i];
            size_t end = (size_t)-1;
            int kind = 0;
            if (c == '\\' && i + 1 < len && is_ascii_punct(s[i + 1])) {
                char d = s[i + 1];
                if (d == '(' || d == '[') {
                    /* "\[" is also an escaped bracket: math only when
                     * what it holds looks like TeX */
                    size_t e = find_close(&sc, d == '(' ? 3 : 4, i + 2);
                    if (e != (size_t)-1 && tex_like(s + i + 2, e - i - 2)) {
                        end = e + 2;
                        kind = KD_MATH;
                    }
                } else if (d == '\\' && i + 2 < len &&
                           (s[i + 2] == '(' || s[i + 2] == '[')) {
                    /* "\\(" is what kramdown turns into "\(" for MathJax */
                    size_t e = find_close(&sc, s[i + 2] == '(' ? 8 : 9, i + 3);
                    if (e != (size_t)-1 && e > i + 3) {
                        end = e + 3;
                        kind = KD_MATH;
                    }
                } else if (d == '*' && sc.star_ok) {
                    buf_puts(&sc.out, PH_STAR);
                    i += 2;
                    any = 1;
                    continue;
                }
                if (!kind) {
                    buf_put(&sc.out, s + i, 2);
                    i += 2;
                    continue;
                }
            } else if (c == '[' && i + 1 < len && s[i + 1] == '^') {
                note_label(&sc, i, i == cs || i == ms);
            } else if (c == '`') {
                size_t j = i;
                while (j < len && s[j] == '`')
                    j++;
                size_t run = j - i, k = j;
                if (run <= 16 && i < sc.bt_fail[run]) k = len;
                size_t klim = len - j > KD_MAX_SPAN ? j + KD_MAX_SPAN : len;
                /* the matching run, within the paragraph */
                while (k < klim) {
                    if (s[k] == '\n' && blank_at(&sc, k + 1)) break;
                    if (s[k] != '`') {
                        k++;
                        continue;
                    }
                    size_t m = k;
                    while (m < len && s[m] == '`')
                        m++;
                    if (m - k == run) break;
                    k = m;
                }
                if (k < klim && s[k] == '`') {
                    k += run;
                } else {
                    if (run <= 16 && i >= sc.bt_fail[run] &&
                        (k < klim || klim == len)) /* the paragraph's end */
                        sc.bt_fail[run] = k;
                    k = j; /* no closer: the run is text */
                }
                buf_put(&sc.out, s + i, k - i);
                /* a code span over lines: go on at its end */
                ls = last_line(s, i, k, ls);
                i = k;
                continue;
            } else if (c == '$') {
                if (i + 1 < len && s[i + 1] == '$') {
                    int at_start = para_start && (i == ms || i == cs);
                    if (!(i + 2 < len && s[i + 2] == '$')) {
                        size_t e = find_close(&sc, at_start ? 2 : 1, i + 2);
                        if (e != (size_t)-1 && e > i + 2) {
                            end = e + 2;
                            kind = KD_MATH;
                        }
                    }
                    if (!kind) {
                        buf_put(&sc.out, s + i, 2);
                        i += 2;
                        continue;
                    }
                } else if (i + 1 < len && !is_sp(s[i + 1])) {
                    size_t e = find_close(&sc, 0, i + 1);
                    if (e != (size_t)-1) {
                        end = e + 1;
                        kind = KD_MATH;
                    }
                }
            } else if (c == '{' && i + 1 < len &&
                       (s[i + 1] == '%' || s[i + 1] == '{' ||
                        (s[i + 1] == ':' && !raw))) {
                int k = s[i + 1] == '%' ? 5 : s[i + 1] == '{' ? 6 : 7;
                size_t e = find_close(&sc, k, i + 2);
                if (e != (size_t)-1) {
                    size_t b = e + (k == 7 ? 1 : 2);
                    if (!raw || (k == 5 && liquid_is(&sc, i, b, "endraw"))) {
                        kind = k == 5   ? KD_LIQUID_TAG
                               : k == 6 ? KD_LIQUID_OUT
                                        : KD_KRAMDOWN;
                        end = b;
                        if (k == 5) {
                            if (liquid_is(&sc, i, b, "raw")) {
                                raw = 1;
                                raw_at = i;
                                raw_end = b;
                            }
                            if (liquid_is(&sc, i, b, "endraw")) raw = 0;
                        }
                        if (k == 5 && !raw)
                            end = liquid_block(&sc, i, b);
                        else if (k == 7)
                            end = extension(&sc, i, b, &kind, &xopen, &xclose);
                        if (!end) kind = 0; /* no closer: text */
                    }
                }
            }
            if (kind) {
                add_span(&sc, kind, ls, i, end);
                if (kind == KD_NOMARKDOWN) {
                    r->v[r->n - 1].open = xopen;
                    r->v[r->n - 1].close = xclose;
                }
                any = 1;
                ls = last_line(s, i, end, ls);
                i = end;
                continue;
            }
            buf_putc(&sc.out, c);
            i++;
        }
        if (i < len) buf_putc(&sc.out, '\n');
        pos = i < len ? i + 1 : len;
    }
    if (raw) warn_at(&sc, KD_W_UNCLOSED, raw_at, raw_end);
    if (!any) { /* footnote labels may still be there */
        buf_free(&sc.out);
        r->stars = 0;
        return 0;
    }
    r->len = sc.out.len;
    r->text = buf_detach(&sc.out);
    return 1;
}

void kd_scan_free(kd_scan *r)
{
    free(r->labels);
    free(r->text);
    free(r->v);
    buf_free(&r->store);
}

/* ---- after the IR is built */

typedef struct post {
    arena *a;
    const kd_scan *r;
} post;

static const kd_span *span_at(const post *p, const char *s, size_t n,
                              size_t *used)
{
    /* s points at PH_OPEN */
    size_t i = 3, idx = 0;
    while (i < n && is_digit(s[i]) && i < 3 + 12)
        idx = idx * 10 + (size_t)(s[i++] - '0');
    if (i == 3 || i + 3 > n || memcmp(s + i, PH_CLOSE, 3) != 0 ||
        idx >= p->r->n)
        return NULL;
    *used = i + 3;
    return &p->r->v[idx];
}

static const char *span_text(const post *p, const kd_span *sp)
{
    return p->r->store.data + sp->off;
}

/* What a Liquid tag or output s (n bytes) holds: [*a, *b) without its
 * braces, '-' trims and spaces. */
static void liquid_inside(const char *s, size_t n, size_t *a, size_t *b)
{
    *a = 2;
    *b = n - 2;
    if (*a < *b && s[*a] == '-') ++*a;
    if (*b > *a && s[*b - 1] == '-') --*b;
    while (*a < *b && is_sp(s[*a]))
        ++*a;
    while (*b > *a && is_sp(s[*b - 1]))
        --*b;
}

/* Liquid output used as a link target: the path it stands for. */
static void resolve_liquid(folio_buf *o, const char *s, size_t n)
{
    size_t a, b;
    liquid_inside(s, n, &a, &b);
    const char *t = s + a;
    size_t m = b - a;
    static const char *const bases[] = {"site.baseurl", "site.url",
                                        "site.github.url"};
    for (size_t k = 0; k < sizeof bases / sizeof *bases; k++)
        if (m == strlen(bases[k]) && memcmp(t, bases[k], m) == 0) return;
    if (m && (t[0] == '\'' || t[0] == '"')) {
        const char *q = memchr(t + 1, t[0], m - 1);
        if (q) {
            const char *rest = q + 1;
            size_t rn = (size_t)(t + m - rest);
            while (rn && is_sp(*rest))
                rest++, rn--;
            if (rn && *rest == '|') { /* 'x' | relative_url and the like */
                buf_put(o, t + 1, (size_t)(q - t - 1));
                return;
            }
        }
    }
    buf_put(o, s, n); /* unknown: as written */
}

/* A Liquid tag used as a link target: {% link x %} is the site path /x;
 * {% post_url 2025-01-02-name %} the path of Jekyll's default permalink,
 * /2025/01/02/name.html; any other tag as written. */
static void resolve_tag(folio_buf *o, const char *s, size_t n)
{
    size_t a, b;
    liquid_inside(s, n, &a, &b);
    size_t w = a;
    while (w < b && !is_sp(s[w]))
        w++;
    size_t x = w;
    while (x < b && is_sp(s[x]))
        x++;
    const char *arg = s + x;
    size_t m = b - x;
    if (m && w - a == 4 && memcmp(s + a, "link", 4) == 0) {
        if (arg[0] != '/') buf_putc(o, '/');
        buf_put(o, arg, m);
        return;
    }
    for (size_t k = m; k > 0; k--)
        if (arg[k - 1] == '/') { /* "category/2025-01-02-name" */
            arg += k;
            m -= k;
            break;
        }
    if (w - a == 8 && memcmp(s + a, "post_url", 8) == 0 && m > 11 &&
        is_digit(arg[0]) && is_digit(arg[3]) && arg[4] == '-' &&
        is_digit(arg[5]) && arg[7] == '-' && is_digit(arg[8]) &&
        arg[10] == '-') {
        buf_printf(o, "/%.4s/%.2s/%.2s/%.*s.html", arg, arg + 5, arg + 8,
                   (int)(m - 11), arg + 11);
        return;
    }
    buf_put(o, s, n);
}

/* A string with placeholders written back as the source (or, for a link
 * target, Liquid output resolved).  NULL when s has none. */
static const char *restore(post *p, const char *s, size_t *len, int url)
{
    if (!s || (!strstr(s, "\xEE\x80") && !(p->r->stars && strstr(s, PH_STAR))))
        return NULL;
    folio_buf o = {0};
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t used;
        const kd_span *sp;
        if (n - i >= 3 && memcmp(s + i, PH_OPEN, 3) == 0 &&
            (sp = span_at(p, s + i, n - i, &used))) {
            if (url && sp->kind == KD_LIQUID_OUT)
                resolve_liquid(&o, span_text(p, sp), sp->len);
            else if (url && sp->kind == KD_LIQUID_TAG)
                resolve_tag(&o, span_text(p, sp), sp->len);
            else
                buf_put(&o, span_text(p, sp), sp->len);
            i += used;
        } else if (p->r->stars && n - i >= 3 &&
                   memcmp(s + i, PH_STAR, 3) == 0) {
            buf_putc(&o, '*');
            i += 3;
        } else if (n - i >= 3 && memcmp(s + i, PH_CONT, 3) == 0) {
            i += 3;
        } else {
            buf_putc(&o, s[i++]);
        }
    }
    const char *r = arena_strndup(p->a, o.data ? o.data : "", o.len);
    if (len) *len = o.len;
    buf_free(&o);
    return r;
}

static folio_node *mk(post *p, folio_node_type t, const folio_node *like)
{
    folio_node *n = arena_alloc(p->a, sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = t;
    if (like) {
        n->line = like->line;
        n->col = like->col;
    }
    return n;
}

static folio_node *mk_text(post *p, const folio_node *like, const char *s,
                           size_t n, folio_node_type t)
{
    folio_node *x = mk(p, t, like);
    x->text = arena_strndup(p->a, s, n);
    x->len = n;
    return x;
}

/* Split a text with placeholders into TEXT, MATH and MARKUP nodes; returns
 * the first, sets *last and adds the line ends the spans swallowed to
 * *pending. */
static folio_node *split_text(post *p, folio_node *t, folio_node **last,
                              int *pending)
{
    folio_node *first = NULL, *tail = NULL;
    const char *s = t->text;
    size_t n = t->len, from = 0;
    folio_buf cur = {0};
#define EMIT(node)                                                             \
    do {                                                                       \
        folio_node *e_ = (node);                                               \
        if (tail)                                                              \
            tail->next = e_;                                                   \
        else                                                                   \
            first = e_;                                                        \
        tail = e_;                                                             \
    } while (0)
    for (size_t i = 0; i <= n;) {
        size_t used = 0;
        const kd_span *sp = NULL;
        int cont = i < n && n - i >= 3 && memcmp(s + i, PH_CONT, 3) == 0;
        if (i < n && n - i >= 3 && memcmp(s + i, PH_OPEN, 3) == 0)
            sp = span_at(p, s + i, n - i, &used);
        if (i < n && !sp && !cont) {
            i++;
            continue;
        }
        buf_put(&cur, s + from, i - from);
        if (sp || i == n) {
            if (cur.len)
                EMIT(mk_text(p, t, cur.data ? cur.data : "", cur.len,
                             FOLIO_NODE_TEXT));
            cur.len = 0;
        }
        if (i == n) break;
        if (cont) {
            i += 3;
        } else if (sp->kind == KD_NOMARKDOWN) {
            /* its tags are markup, what they hold raw HTML */
            const char *x = span_text(p, sp);
            size_t in = sp->len - sp->open - sp->close;
            EMIT(mk_text(p, t, x, sp->open, FOLIO_NODE_MARKUP));
            if (in)
                EMIT(mk_text(p, t, x + sp->open, in, FOLIO_NODE_HTML_INLINE));
            EMIT(mk_text(p, t, x + sp->len - sp->close, sp->close,
                         FOLIO_NODE_MARKUP));
            *pending += sp->newlines;
            i += used;
        } else {
            EMIT(mk_text(p, t, span_text(p, sp), sp->len,
                         sp->kind == KD_MATH ? FOLIO_NODE_MATH
                                             : FOLIO_NODE_MARKUP));
            *pending += sp->newlines;
            i += used;
        }
        from = i;
    }
#undef EMIT
    buf_free(&cur);
    if (tail) tail->next = t->next;
    *last = tail;
    return first;
}

static int has_ph(const folio_node *n)
{
    return n->text && memchr(n->text, '\xEE', n->len) &&
           strstr(n->text, "\xEE\x80");
}

/* Placeholders of a list of inlines (and their children) into nodes. */
static folio_node *inline_list(post *p, folio_node *first)
{
    folio_node head = {0};
    head.next = first;
    folio_node *prev = &head;
    int pending = 0;
    for (folio_node *n = first; n; n = (folio_node *)prev->next) {
        if (pending > 0 && n->type == FOLIO_NODE_SOFTBREAK) {
            pending--; /* a line end of a span */
            prev->next = n->next;
            continue;
        }
        if (n->type == FOLIO_NODE_TEXT && has_ph(n)) {
            folio_node *last;
            folio_node *s = split_text(p, n, &last, &pending);
            if (!s) { /* only line ends of a span */
                prev->next = n->next;
                continue;
            }
            prev->next = s;
            prev = last;
            continue;
        }
        prev = n;
    }
    return (folio_node *)head.next;
}

/* ---- emphasis beside CJK text */

static int is_cjk(uint32_t c)
{
    int script = text_script(c);
    return script == FOLIO_SCRIPT_HANGUL || script == FOLIO_SCRIPT_HAN ||
           script == FOLIO_SCRIPT_KANA || script == FOLIO_SCRIPT_CJK_MARK;
}

/* One piece of a sibling list: a delimiter run of '*', a stretch of
 * text, or another node. */
typedef struct piece {
    folio_node *node; /* the node it comes from */
    const char *s;    /* text (NULL: the whole node) */
    size_t len;
    int run;                /* >0: a run of that many stars */
    int partner;            /* index of the paired run, -1 */
    uint32_t before, after; /* characters beside a run (0: none, 1: other) */
} piece;

#define KD_MAX_PIECES 4096

static uint32_t last_cp(const char *s, size_t n)
{
    if (!n) return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    uint32_t c;
    text_utf8_next(s + i, n - i, &c);
    return c;
}

static uint32_t first_cp(const char *s, size_t n)
{
    uint32_t c = 0;
    if (n) text_utf8_next(s, n, &c);
    return c;
}

static int white(uint32_t c)
{
    return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == 0xA0 ||
           c == 0x3000;
}

static folio_node *build(post *p, piece *v, int a, int b);

static folio_node *wrap(post *p, piece *v, int o, int c)
{
    folio_node *w =
        mk(p, v[o].run == 2 ? FOLIO_NODE_STRONG : FOLIO_NODE_EMPH, v[o].node);
    w->child = build(p, v, o + 1, c);
    return w;
}

/* Nodes for pieces [a, b), pairs wrapped, adjacent text joined. */
static folio_node *build(post *p, piece *v, int a, int b)
{
    folio_node head = {0}, *tail = &head;
    folio_buf txt = {0};
    const folio_node *txt_like = NULL;
    for (int i = a; i <= b; i++) {
        int flush =
            i == b || (!v[i].s && !v[i].run) || (v[i].run && v[i].partner > i);
        if (flush && txt_like) {
            tail->next = mk_text(p, txt_like, txt.data ? txt.data : "", txt.len,
                                 FOLIO_NODE_TEXT);
            tail = (folio_node *)tail->next;
            txt.len = 0;
            txt_like = NULL;
        }
        if (i == b) break;
        if (v[i].run && v[i].partner > i) {
            tail->next = wrap(p, v, i, v[i].partner);
            tail = (folio_node *)tail->next;
            i = v[i].partner;
            continue;
        }
        if (v[i].s) { /* text or an unpaired run */
            if (!txt_like) txt_like = v[i].node;
            buf_put(&txt, v[i].s, v[i].len);
            continue;
        }
        tail->next = v[i].node;
        tail = v[i].node;
    }
    tail->next = NULL;
    buf_free(&txt);
    return (folio_node *)head.next;
}

/* Pair the '*' runs cmark-gfm left in the texts of one sibling list. */
static folio_node *cjk_emphasis(post *p, folio_node *first)
{
    int stars = 0;
    for (const folio_node *n = first; n && !stars; n = n->next)
        stars = n->type == FOLIO_NODE_TEXT && memchr(n->text, '*', n->len);
    if (!stars) return first;
    piece *v = malloc(KD_MAX_PIECES * sizeof *v);
    if (!v) folio_oom();
    int nv = 0, full = 0;
    for (folio_node *n = first; n && !full; n = (folio_node *)n->next) {
        if (n->type != FOLIO_NODE_TEXT) {
            v[nv++] = (piece){.node = n, .partner = -1};
            full = nv >= KD_MAX_PIECES - 2;
            continue;
        }
        size_t from = 0;
        for (size_t i = 0; i <= n->len && !full;) {
            if (i < n->len && n->text[i] != '*') {
                i++;
                continue;
            }
            if (i > from)
                v[nv++] = (piece){.node = n,
                                  .s = n->text + from,
                                  .len = i - from,
                                  .partner = -1};
            if (i == n->len) break;
            size_t j = i;
            while (j < n->len && n->text[j] == '*')
                j++;
            v[nv++] = (piece){.node = n,
                              .s = n->text + i,
                              .len = j - i,
                              .run = (int)(j - i),
                              .partner = -1};
            full = nv >= KD_MAX_PIECES - 2;
            from = i = j;
        }
    }
    if (full) { /* too many to look at: as cmark-gfm left it */
        free(v);
        return first;
    }
    for (int i = 0; i < nv; i++) {
        if (!v[i].run) continue;
        const piece *l = i ? &v[i - 1] : NULL,
                    *r = i + 1 < nv ? &v[i + 1] : NULL;
        v[i].before = !l ? 0 : l->s ? last_cp(l->s, l->len) : 1;
        v[i].after = !r ? 0 : r->s ? first_cp(r->s, r->len) : 1;
        if (l && !l->s && l->node->type < FOLIO_NODE_CODE &&
            l->node->type > FOLIO_NODE_TEXT)
            v[i].before = 0; /* a line end */
        if (r && !r->s && r->node->type < FOLIO_NODE_CODE &&
            r->node->type > FOLIO_NODE_TEXT)
            v[i].after = 0;
    }
    /* kramdown: an opener is not followed by a space, a closer not
     * preceded by one; pairs of the same length, nested.  Only where a
     * CJK character is beside one of the two runs. */
    int stack[64], sp = 0, pairs = 0;
    for (int i = 0; i < nv; i++) {
        if (!v[i].run || v[i].run > 2) continue;
        int closed = 0;
        if (!white(v[i].before)) {
            for (int k = sp - 1; k >= 0; k--) {
                int o = stack[k];
                if (v[o].run != v[i].run) continue;
                if (o + 1 == i) break; /* nothing inside */
                if (!(is_cjk(v[o].before) || is_cjk(v[o].after) ||
                      is_cjk(v[i].before) || is_cjk(v[i].after)))
                    continue;
                v[o].partner = i;
                v[i].partner = o;
                sp = k;
                closed = 1;
                pairs++;
                break;
            }
        }
        if (!closed && !white(v[i].after) && sp < 64) stack[sp++] = i;
    }
    folio_node *r = first;
    if (pairs) r = build(p, v, 0, nv);
    free(v);
    return r;
}

/* ---- blocks */

static int markup_only(const folio_node *n)
{
    int any = 0;
    for (; n; n = n->next) {
        if (n->type == FOLIO_NODE_MARKUP)
            any = 1;
        else if (n->type == FOLIO_NODE_TEXT) {
            for (size_t i = 0; i < n->len; i++)
                if (!is_sp(n->text[i])) return 0;
        } else if (n->type != FOLIO_NODE_SOFTBREAK)
            return 0;
    }
    return any;
}

static void to_markup_block(post *p, folio_node *b)
{
    folio_buf o = {0};
    for (const folio_node *n = b->child; n; n = n->next) {
        if (n->type == FOLIO_NODE_MARKUP) buf_put(&o, n->text, n->len);
        if (n->type == FOLIO_NODE_SOFTBREAK) buf_putc(&o, '\n');
    }
    b->type = FOLIO_NODE_MARKUP_BLOCK;
    b->text = arena_strndup(p->a, o.data ? o.data : "", o.len);
    b->len = o.len;
    b->child = NULL;
    buf_free(&o);
}

static int is_more(const char *s, size_t n)
{
    while (n && is_sp(s[n - 1]))
        n--;
    return n == 11 && memcmp(s, "<!--more-->", 11) == 0;
}

/* "* TOC" with "{:toc}" (kramdown's table of contents marker). */
static int is_toc(const folio_node *l)
{
    const folio_node *it = l->child, *par = it ? it->child : NULL;
    if (!it || it->next || !par || par->next ||
        par->type != FOLIO_NODE_PARAGRAPH)
        return 0;
    const folio_node *t = par->child;
    if (!t || t->type != FOLIO_NODE_TEXT || t->len != 3 ||
        memcmp(t->text, "TOC", 3) != 0)
        return 0;
    const folio_node *b = t->next, *m = b ? b->next : NULL;
    return b && b->type == FOLIO_NODE_SOFTBREAK && m &&
           m->type == FOLIO_NODE_MARKUP && !m->next &&
           strncmp(m->text, "{:toc", 5) == 0;
}

static void fix_strings(post *p, folio_node *n)
{
    size_t len;
    const char *r;
    switch (n->type) {
    case FOLIO_NODE_TEXT:
    case FOLIO_NODE_CODE:
    case FOLIO_NODE_CODE_BLOCK:
    case FOLIO_NODE_HTML_BLOCK:
    case FOLIO_NODE_HTML_INLINE:
        if ((r = restore(p, n->text, &len, 0))) {
            n->text = r;
            n->len = len;
        }
        if (n->type == FOLIO_NODE_CODE_BLOCK &&
            (r = restore(p, n->u.code.info, NULL, 0)))
            n->u.code.info = r;
        break;
    case FOLIO_NODE_LINK:
    case FOLIO_NODE_IMAGE:
        /* An image keeps its Liquid as written: the host resolves it
         * (core/doc/images.md) and md gives it back unchanged. */
        if ((r = restore(p, n->u.link.url, NULL, n->type == FOLIO_NODE_LINK))) {
            /* a link's Liquid is resolved for the reader; its text keeps
             * it as written, for an md output to republish */
            const char *w = restore(p, n->u.link.url, &len, 0);
            if (n->type == FOLIO_NODE_LINK && strcmp(w, r) != 0) {
                n->text = w;
                n->len = len;
            }
            n->u.link.url = r;
        }
        if ((r = restore(p, n->u.link.title, NULL, 0))) n->u.link.title = r;
        break;
    case FOLIO_NODE_FOOTNOTE_DEF:
    case FOLIO_NODE_FOOTNOTE_REF:
        if ((r = restore(p, n->u.footnote.label, NULL, 0)))
            n->u.footnote.label = r;
        break;
    default:
        break;
    }
}

/* A code block made of "{% highlight x %}" ... "{% endhighlight %}":
 * the two tags become markup blocks around it. */
static void split_highlight(post *p, folio_node *n)
{
    const char *ph = strstr(n->u.code.info, PH_OPEN);
    size_t used;
    const kd_span *sp = ph ? span_at(p, ph, strlen(ph), &used) : NULL;
    if (!sp || sp->kind != KD_HIGHLIGHT || sp + 1 >= p->r->v + p->r->n) return;
    folio_node *code = mk(p, FOLIO_NODE_CODE_BLOCK, n);
    *code = *n;
    size_t lang = (size_t)(ph - n->u.code.info);
    while (lang && n->u.code.info[lang - 1] == ' ')
        lang--;
    code->u.code.info = arena_strndup(p->a, n->u.code.info, lang);
    code->line = n->line + 1;
    int lines = 0;
    for (size_t i = 0; i < code->len; i++)
        lines += code->text[i] == '\n';
    folio_node *close =
        mk_text(p, n, span_text(p, sp + 1), sp[1].len, FOLIO_NODE_MARKUP_BLOCK);
    close->line = code->line + lines;
    close->col = n->col;
    close->next = n->next;
    code->next = close;
    memset(&n->u, 0, sizeof n->u);
    n->type = FOLIO_NODE_MARKUP_BLOCK;
    n->text = arena_strndup(p->a, span_text(p, sp), sp->len);
    n->len = sp->len;
    n->next = code;
}

/* A paragraph that is only "{::nomarkdown}", lines of raw HTML and
 * "{:/nomarkdown}", each tag on a line of its own: three blocks, the
 * HTML an HTML block (kramdown outputs it as it is). */
static void nomarkdown_block(post *p, folio_node *n)
{
    const folio_node *o = n->child, *h = o ? o->next : NULL,
                     *c = h ? h->next : NULL;
    if (!c || c->next || o->type != FOLIO_NODE_MARKUP ||
        h->type != FOLIO_NODE_HTML_INLINE || c->type != FOLIO_NODE_MARKUP ||
        strncmp(o->text, "{::nomarkdown", 13) != 0 ||
        strncmp(c->text, "{:/", 3) != 0 || h->len < 2 || h->text[0] != '\n' ||
        h->text[h->len - 1] != '\n')
        return;
    folio_node *html =
        mk_text(p, n, h->text + 1, h->len - 1, FOLIO_NODE_HTML_BLOCK);
    folio_node *close = mk_text(p, n, c->text, c->len, FOLIO_NODE_MARKUP_BLOCK);
    html->line = n->line + 1;
    close->line = html->line;
    for (size_t i = 0; i + 1 < html->len; i++)
        close->line += html->text[i] == '\n';
    close->line++;
    close->next = n->next;
    html->next = close;
    n->type = FOLIO_NODE_MARKUP_BLOCK;
    n->text = o->text;
    n->len = o->len;
    n->child = NULL;
    n->next = html;
}

/* ": definition" starting a line of a paragraph. */
static int is_def(const folio_node *n)
{
    return n && n->type == FOLIO_NODE_TEXT && n->len >= 2 &&
           n->text[0] == ':' && (n->text[1] == ' ' || n->text[1] == '\t');
}

/* kramdown's definition list: term lines, then lines starting ": ", one
 * paragraph to cmark-gfm.  Each term becomes strong text on a line of
 * its own, each ": " a markup node after a hard line break (as the <dt>
 * and <dd> lines read); a definition's own line ends stay soft. */
static void definition_list(post *p, folio_node *para)
{
    folio_node *first = (folio_node *)para->child;
    if (!first || is_def(first)) return;
    int bol = 1, defs = 0;
    for (const folio_node *n = first; n && !defs; n = n->next) {
        defs = bol && is_def(n);
        bol = n->type == FOLIO_NODE_SOFTBREAK;
    }
    if (!defs) return;
    folio_node head = {0}, *tail = &head, *n = first;
    int terms = 1;
#define PUT(x)                                                                 \
    do {                                                                       \
        folio_node *x_ = (x);                                                  \
        tail->next = x_;                                                       \
        tail = x_;                                                             \
    } while (0)
    while (n) {
        if (terms && !is_def(n)) { /* a term: its line in strong */
            folio_node *st = mk(p, FOLIO_NODE_STRONG, n), *last = n;
            st->child = n;
            while (last->next && last->next->type != FOLIO_NODE_SOFTBREAK)
                last = (folio_node *)last->next;
            folio_node *br = (folio_node *)last->next;
            last->next = NULL;
            PUT(st);
            if (!br) break;
            br->type = FOLIO_NODE_LINEBREAK;
            n = (folio_node *)br->next;
            PUT(br);
            continue;
        }
        terms = 0;
        if (is_def(n)) {
            size_t k = 1;
            while (k < n->len && (n->text[k] == ' ' || n->text[k] == '\t'))
                k++;
            PUT(mk_text(p, n, n->text, k, FOLIO_NODE_MARKUP));
            n->text += k;
            n->len -= k;
            if (!n->len) n = (folio_node *)n->next;
        }
        while (n && n->type != FOLIO_NODE_SOFTBREAK) {
            PUT(n);
            n = (folio_node *)n->next;
        }
        if (n) {
            folio_node *next = (folio_node *)n->next;
            if (is_def(next)) n->type = FOLIO_NODE_LINEBREAK;
            PUT(n);
            n = next;
        }
    }
#undef PUT
    tail->next = NULL;
    para->child = head.next;
}

/* Children of one node (or the top list): inlines get their spans and
 * emphasis; blocks are looked at whole. */
static folio_node *children(post *p, folio_node *first)
{
    if (first && FOLIO_NODE_IS_INLINE(first->type)) {
        if (p->r->text) first = inline_list(p, first);
        first = cjk_emphasis(p, first);
    }
    for (folio_node *n = first; n; n = (folio_node *)n->next) {
        n->child = children(p, (folio_node *)n->child);
        if (n->type == FOLIO_NODE_PARAGRAPH && markup_only(n->child)) {
            to_markup_block(p, n);
        } else if (n->type == FOLIO_NODE_PARAGRAPH) {
            nomarkdown_block(p, n);
            if (n->type == FOLIO_NODE_PARAGRAPH) definition_list(p, n);
        } else if ((n->type == FOLIO_NODE_HTML_BLOCK ||
                    n->type == FOLIO_NODE_HTML_INLINE) &&
                   is_more(n->text, n->len)) {
            n->type = n->type == FOLIO_NODE_HTML_BLOCK ? FOLIO_NODE_MARKUP_BLOCK
                                                       : FOLIO_NODE_MARKUP;
            n->text = arena_strndup(p->a, n->text, 11);
            n->len = 11;
        } else if (n->type == FOLIO_NODE_CODE_BLOCK && p->r->text) {
            split_highlight(p, n);
        } else if (n->type == FOLIO_NODE_LIST && is_toc(n)) {
            const folio_node *m = n->child->child->child->next->next;
            folio_buf o = {0};
            buf_puts(&o, "* TOC\n");
            buf_put(&o, m->text, m->len);
            n->type = FOLIO_NODE_MARKUP_BLOCK;
            n->text = arena_strndup(p->a, o.data, o.len);
            n->len = o.len;
            n->child = NULL;
            buf_free(&o);
        }
    }
    return first;
}

static void strings(post *p, folio_node *n)
{
    for (; n; n = (folio_node *)n->next) {
        fix_strings(p, n);
        strings(p, (folio_node *)n->child);
    }
}

static int same_label(const post *p, size_t a, size_t b)
{
    const kd_scan *r = p->r;
    return r->labels[a].len == r->labels[b].len &&
           strncasecmp(r->store.data + r->labels[a].off,
                       r->store.data + r->labels[b].off, r->labels[a].len) == 0;
}

/* Footnote n is the n-th label referenced that has a definition (as
 * cmark-gfm numbers them).  Quadratic: only for a sane count of labels. */
#define KD_MAX_LABELS 2000

static void labels(post *p, folio_node *n, const char *const *by_number,
                   int count)
{
    for (; n; n = (folio_node *)n->next) {
        if ((n->type == FOLIO_NODE_FOOTNOTE_DEF ||
             n->type == FOLIO_NODE_FOOTNOTE_REF) &&
            n->u.footnote.number > 0 && n->u.footnote.number <= count)
            n->u.footnote.label = by_number[n->u.footnote.number - 1];
        labels(p, (folio_node *)n->child, by_number, count);
    }
}

static void footnote_labels(post *p, folio_node *blocks, folio_node *notes)
{
    const kd_scan *r = p->r;
    if (r->nlabels > KD_MAX_LABELS) return;
    const char **by_number = malloc(r->nlabels * sizeof *by_number);
    size_t *first = malloc(r->nlabels * sizeof *first);
    if (!by_number || !first) folio_oom();
    int count = 0;
    size_t nfirst = 0;
    for (size_t i = 0; i < r->nlabels; i++) {
        if (r->labels[i].def) continue;
        int seen = 0, defined = 0;
        for (size_t j = 0; j < nfirst && !seen; j++)
            seen = same_label(p, i, first[j]);
        if (seen) continue;
        first[nfirst++] = i;
        for (size_t j = 0; j < r->nlabels && !defined; j++)
            defined = r->labels[j].def && same_label(p, i, j);
        if (defined)
            by_number[count++] = arena_strndup(
                p->a, r->store.data + r->labels[i].off, r->labels[i].len);
    }
    labels(p, blocks, by_number, count);
    labels(p, notes, by_number, count);
    free(by_number);
    free(first);
}

void kd_post(arena *a, folio_node **blocks, folio_node **footnotes,
             const kd_scan *r)
{
    post p = {.a = a, .r = r};
    static const kd_scan none = {0};
    if (!r) p.r = &none;
    *blocks = children(&p, *blocks);
    *footnotes = children(&p, *footnotes);
    if (r && r->text) {
        strings(&p, *blocks);
        strings(&p, *footnotes);
    }
    if (r && r->nlabels) footnote_labels(&p, *blocks, *footnotes);
}

void kd_report(const kd_scan *r, const char *body, size_t len, int body_line,
               const char *path, diags *dg)
{
    static const char *const why[] = {
        [KD_W_BRANCH] = "Liquid %.*s is not evaluated: folio shows what every "
                        "branch or loop body holds, once, and hides the tags",
        [KD_W_INCLUDE] = "Liquid %.*s is not shown: the blog shows the "
                         "included file here",
        [KD_W_UNCLOSED] = "Liquid %.*s is not closed where folio looks for "
                          "its end tag: what follows is read as written",
    };
    int done[3] = {0};
    for (int round = 0; round < 3; round++) { /* in the order of the text */
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (!done[j] && r->warn[j].len &&
                (k < 0 || r->warn[j].off < r->warn[k].off))
                k = j;
        if (k < 0 || r->warn[k].off >= len) break;
        done[k] = 1;
        int line = body_line;
        size_t ls = 0;
        for (size_t i = 0; i < r->warn[k].off; i++)
            if (body[i] == '\n') line++, ls = i + 1;
        diag_add(dg, FOLIO_WARNING, path, line, (int)(r->warn[k].off - ls + 1),
                 why[k], (int)r->warn[k].len, body + r->warn[k].off);
    }
}
