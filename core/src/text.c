/* Text helpers shared by the core and lent to plugins: UTF-8, display
 * width (utf8proc), line breaking (libunibreak, UAX #14), wrapping,
 * escaping. */
#include "internal.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A valid three-byte sequence that is a character, checked without a
 * call (most of CJK text): E0 (overlongs), ED A0..BF (surrogates), EF B7
 * (U+FDD0..U+FDEF) and EF BF (U+FFFE, U+FFFF) are left to utf8proc. */
static int char3(const unsigned char *u, size_t len)
{
    return len >= 3 && u[0] >= 0xE1 && u[0] <= 0xEF && (u[1] & 0xC0) == 0x80 &&
           (u[2] & 0xC0) == 0x80 && !(u[0] == 0xED && u[1] >= 0xA0) &&
           !(u[0] == 0xEF && (u[1] == 0xBF || u[1] == 0xB7));
}

size_t text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len && u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (char3(u, len)) {
        *cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
        return 3;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)len, &c);
    if (n < 1) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = (uint32_t)c;
    return (size_t)n;
}

int text_char_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
    int w = utf8proc_charwidth((utf8proc_int32_t)cp);
    return w < 0 ? 0 : w;
}

size_t text_str_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(s + i, len - i, &cp);
        w += (size_t)text_char_width(cp);
    }
    return w;
}

/* Script classes from the Unicode blocks (Blocks.txt, Unicode 15): the one
 * table every decision by script reads (line breaks, joining lines,
 * language guessing, fonts, justification).  Sorted by first code point. */
static const struct script_range {
    uint32_t first, last;
    int script;
} scripts[] = {
    {0x0041, 0x005A, FOLIO_SCRIPT_LATIN}, /* Basic Latin letters */
    {0x0061, 0x007A, FOLIO_SCRIPT_LATIN},
    {0x00C0, 0x024F, FOLIO_SCRIPT_LATIN},    /* Latin-1 .. Extended-B */
    {0x1100, 0x11FF, FOLIO_SCRIPT_HANGUL},   /* Hangul Jamo */
    {0x1E00, 0x1EFF, FOLIO_SCRIPT_LATIN},    /* Latin Extended Additional */
    {0x2E80, 0x2FDF, FOLIO_SCRIPT_HAN},      /* CJK and Kangxi radicals */
    {0x2FF0, 0x303F, FOLIO_SCRIPT_CJK_MARK}, /* CJK symbols, punctuation */
    {0x3040, 0x30FF, FOLIO_SCRIPT_KANA},     /* Hiragana, Katakana */
    {0x3100, 0x312F, FOLIO_SCRIPT_CJK_MARK}, /* Bopomofo */
    {0x3130, 0x318F, FOLIO_SCRIPT_HANGUL},   /* Hangul Compatibility Jamo */
    {0x3190, 0x31EF, FOLIO_SCRIPT_CJK_MARK}, /* Kanbun, Bopomofo Ext, strokes */
    {0x31F0, 0x31FF, FOLIO_SCRIPT_KANA},     /* Katakana Phonetic Ext */
    {0x3200, 0x33FF, FOLIO_SCRIPT_CJK_MARK}, /* Enclosed CJK, compatibility */
    {0x3400, 0x4DBF, FOLIO_SCRIPT_HAN},      /* CJK Extension A */
    {0x4E00, 0x9FFF, FOLIO_SCRIPT_HAN},      /* CJK Unified Ideographs */
    {0xA960, 0xA97F, FOLIO_SCRIPT_HANGUL},   /* Hangul Jamo Extended-A */
    {0xAC00, 0xD7FF, FOLIO_SCRIPT_HANGUL},   /* Syllables, Jamo Extended-B */
    {0xF900, 0xFAFF, FOLIO_SCRIPT_HAN},      /* CJK Compatibility Ideographs */
    {0xFE30, 0xFE4F, FOLIO_SCRIPT_CJK_MARK}, /* CJK Compatibility Forms */
    {0xFF00, 0xFF65, FOLIO_SCRIPT_CJK_MARK}, /* fullwidth forms */
    {0xFF66, 0xFF9F, FOLIO_SCRIPT_KANA},     /* halfwidth Katakana */
    {0xFFA0, 0xFFDC, FOLIO_SCRIPT_HANGUL},   /* halfwidth Hangul */
    {0xFFE0, 0xFFEF, FOLIO_SCRIPT_CJK_MARK}, /* fullwidth signs */
    {0x1B000, 0x1B16F, FOLIO_SCRIPT_KANA},   /* Kana Supplement, Ext-A */
    {0x20000, 0x3FFFF, FOLIO_SCRIPT_HAN},    /* CJK Extensions B.. */
};

int text_script(uint32_t cp)
{
    size_t lo = 0, hi = sizeof scripts / sizeof *scripts;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < scripts[mid].first)
            hi = mid;
        else if (cp > scripts[mid].last)
            lo = mid + 1;
        else
            return scripts[mid].script;
    }
    return FOLIO_SCRIPT_OTHER;
}

/* Chinese and Japanese are written without spaces: a source line end
 * between two of their characters (Han, kana, CJK punctuation) is no space.
 * Korean separates words by spaces, so Hangul keeps the space, as Latin
 * does. */
int text_joins_lines(uint32_t before, uint32_t after)
{
    int a = text_script(before), b = text_script(after);
    return (a == FOLIO_SCRIPT_HAN || a == FOLIO_SCRIPT_KANA ||
            a == FOLIO_SCRIPT_CJK_MARK) &&
           (b == FOLIO_SCRIPT_HAN || b == FOLIO_SCRIPT_KANA ||
            b == FOLIO_SCRIPT_CJK_MARK);
}

static int is_hangul(uint32_t c)
{
    return text_script(c) == FOLIO_SCRIPT_HANGUL;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;
static void lb_init(void)
{
    init_linebreak();
}

/* Regional indicators (U+1F1E6..U+1F1FF, flag halves) make libunibreak
 * 1.1 abort on an assertion: it has no rule for their class.  Hand it an
 * emoji of the same length instead, then keep each flag's two halves
 * together. */
static int is_ri(const char *s, size_t i, size_t len)
{
    const unsigned char *u = (const unsigned char *)s + i;
    return i + 3 < len && u[0] == 0xF0 && u[1] == 0x9F && u[2] == 0x87 &&
           u[3] >= 0xA6 && u[3] <= 0xBF;
}

/* UAX #14 without the Korean rule. */
static void raw_breaks(const char *s, size_t len, const char *lang, char *brks)
{
    pthread_once(&lb_once, lb_init);
    char *copy = NULL;
    for (size_t i = 0; i < len; i++) {
        int ri = is_ri(s, i, len);
        int ffff = i + 2 < len && (unsigned char)s[i] == 0xEF &&
                   (unsigned char)s[i + 1] == 0xBF &&
                   (unsigned char)s[i + 2] >= 0xBE; /* U+FFFE, U+FFFF */
        if (!ri && !ffff) continue;
        if (!copy) {
            copy = malloc(len);
            if (!copy) folio_oom();
            memcpy(copy, s, len);
        }
        if (ri)
            memcpy(copy + i, "\xF0\x9F\x98\x80", 4); /* U+1F600 */
        else
            memcpy(copy + i, "\xEF\xBF\xBD", 3); /* U+FFFD */
        i += ri ? 3 : 2;
    }
    set_linebreaks_utf8((const utf8_t *)(copy ? copy : s), len, lang, brks);
    if (!copy) return;
    for (size_t i = 0, run = 0; i < len; i++) {
        if (is_ri(s, i, len) && memcmp(copy + i, "\xF0\x9F\x98\x80", 4) == 0) {
            if (run++ % 2 == 1 && brks[i - 1] == FOLIO_BREAK_ALLOW)
                brks[i - 1] = FOLIO_BREAK_NO;
            i += 3;
        } else {
            run = 0;
        }
    }
    free(copy);
}

/* A URL is one word: UAX #14 allows breaks after '/' and before '?',
 * which would split a link that fits on the next line. */
static void protect_urls(const char *s, size_t len, char *brks)
{
    for (size_t i = 0; i < len; i++) {
        int url = (i + 3 <= len && memcmp(s + i, "://", 3) == 0) ||
                  (i + 4 <= len && memcmp(s + i, "www.", 4) == 0 &&
                   (i == 0 || s[i - 1] == ' ' || s[i - 1] == '('));
        if (!url) continue;
        size_t a = i, b = i;
        while (a > 0 && ((s[a - 1] >= 'a' && s[a - 1] <= 'z') ||
                         (s[a - 1] >= 'A' && s[a - 1] <= 'Z')))
            a--;
        while (b < len && s[b] != ' ' && s[b] != '\t' && s[b] != '\n')
            b++;
        for (size_t k = a; k + 1 < b; k++)
            if (brks[k] == FOLIO_BREAK_ALLOW) brks[k] = FOLIO_BREAK_NO;
        i = b;
    }
}

/* Small kana and the prolonged sound mark (UAX #14 class CJ, which
 * libunibreak treats as ID): strict line breaking, as Japanese and Chinese
 * typesetting expects, never starts a line with them (CJ as NS). */
static int is_cj(uint32_t c)
{
    static const uint16_t small[] = {
        0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087,
        0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3,
        0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, 0x30FC};
    if ((c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF67 && c <= 0xFF70)) return 1;
    for (size_t i = 0; i < sizeof small / sizeof *small; i++)
        if (c == small[i]) return 1;
    return 0;
}

void text_line_breaks(const char *s, size_t len, const char *lang, char *brks)
{
    if (!len) return;
    raw_breaks(s, len, lang, brks);
    protect_urls(s, len, brks);
    /* Korean keeps its words: UAX #14 allows a break next to any Hangul
     * syllable (it treats them like ideographs); allow one only after a
     * space, as word-break: keep-all does. */
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);
        size_t end = i + n; /* the position after this char is end-1 */
        if (i > 0 && brks[i - 1] == FOLIO_BREAK_ALLOW &&
            (is_hangul(prev) || is_hangul(cp) || is_cj(cp)) && !is_space(prev))
            brks[i - 1] = FOLIO_BREAK_NO;
        prev = cp;
        i = end;
    }
}

/* ---- wrapping
 *
 * Greedy, by display width, in three levels: words break at the spaces
 * UAX #14 allows; a word wider than a line breaks where UAX #14 allows
 * inside it (between ideographs, after hyphens, between Hangul syllables
 * of an over-long Korean word; never inside a URL); a run still too wide
 * breaks at any space; what is left is a lone token on its own line. */

typedef struct wrapper {
    folio_buf *out;
    size_t width;
    const char *first, *rest;
    size_t wfirst, wrest;
    size_t col;        /* columns used on the current line, prefix included */
    int empty;         /* nothing but the prefix on the current line */
    int started;       /* a line has been opened */
    const char *space; /* pending spaces before the next word */
    size_t nspace;
} wrapper;

static void open_line(wrapper *w)
{
    buf_puts(w->out, w->started ? w->rest : w->first);
    w->col = w->started ? w->wrest : w->wfirst;
    w->started = 1;
    w->empty = 1;
    w->nspace = 0;
}

static void close_line(wrapper *w)
{
    if (w->empty) {
        /* An empty line: drop the prefix's trailing spaces. */
        while (w->out->len && w->out->data[w->out->len - 1] == ' ')
            w->out->len--;
        w->out->data[w->out->len] = 0;
    }
    buf_putc(w->out, '\n');
}

static void new_line(wrapper *w)
{
    close_line(w);
    open_line(w);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* brks value for an opportunity between words: after a space, or next to
 * an ideograph, kana or fullwidth mark (not Hangul: Korean keeps words). */
#define WORD_BREAK 4

static void mark_word_breaks(const char *s, size_t len, char *brks)
{
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);
        if (i > 0 && brks[i - 1] == FOLIO_BREAK_ALLOW &&
            (is_space(prev) ||
             (text_char_width(prev) == 2 && !is_hangul(prev)) ||
             (text_char_width(cp) == 2 && !is_hangul(cp))))
            brks[i - 1] = WORD_BREAK;
        prev = cp;
        i += n;
    }
}

/* May the line break after byte i at this level? */
static int breaks_at(const char *s, const char *brks, size_t i, int level)
{
    switch (level) {
    case 0:
        return brks[i] == FOLIO_BREAK_MUST || brks[i] == WORD_BREAK;
    case 1:
        return brks[i] == FOLIO_BREAK_ALLOW || brks[i] == WORD_BREAK;
    default:
        return s[i] == ' ' || s[i] == '\t';
    }
}

static void place(wrapper *w, const char *s, size_t len, const char *brks,
                  int level);

/* One piece between breaks: a word and the spaces after it. */
static void segment(wrapper *w, const char *s, size_t len, const char *brks,
                    int level)
{
    size_t n = len;
    while (n && is_blank(s[n - 1]))
        n--;
    if (n) {
        size_t wd = text_str_width(s, n);
        size_t indent = w->started ? w->wrest : w->wfirst;
        if (!w->empty && w->col + w->nspace + wd <= w->width) {
            buf_put(w->out, w->space, w->nspace);
        } else if (indent + wd <= w->width || level >= 2) {
            if (!w->empty) new_line(w);
        } else {
            /* Wider than a line: finer breaks, from the current line. */
            place(w, s, n, brks, level + 1);
            goto spaces;
        }
        buf_put(w->out, s, n);
        w->col += (w->empty ? 0 : w->nspace) + wd;
        w->empty = 0;
    }
spaces:
    w->space = s + n;
    w->nspace = 0;
    while (n + w->nspace < len &&
           (s[n + w->nspace] == ' ' || s[n + w->nspace] == '\t'))
        w->nspace++;
}

static void place(wrapper *w, const char *s, size_t len, const char *brks,
                  int level)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (!breaks_at(s, brks, i, level)) continue;
        segment(w, s + start, i + 1 - start, brks + start, level);
        if (level == 0 && brks[i] == FOLIO_BREAK_MUST && i + 1 < len)
            new_line(w);
        start = i + 1;
    }
    if (start < len) segment(w, s + start, len - start, brks + start, level);
}

void text_wrap(folio_buf *out, const char *s, size_t len, size_t width,
               const char *first, const char *rest, const char *lang)
{
    wrapper w = {.out = out,
                 .width = width,
                 .first = first ? first : "",
                 .rest = rest ? rest : ""};
    w.wfirst = text_str_width(w.first, strlen(w.first));
    w.wrest = text_str_width(w.rest, strlen(w.rest));
    open_line(&w);
    if (len) {
        char stackbuf[1024];
        char *brks = len <= sizeof stackbuf ? stackbuf : malloc(len);
        if (!brks) folio_oom();
        raw_breaks(s, len, lang, brks);
        protect_urls(s, len, brks);
        mark_word_breaks(s, len, brks);
        place(&w, s, len, brks, 0);
        if (brks != stackbuf) free(brks);
    }
    close_line(&w);
}

/* ---- inlines, links, escaping */

void text_plain(folio_buf *out, const folio_node *n)
{
    for (; n; n = n->next) {
        switch (n->type) {
        case FOLIO_NODE_TEXT:
        case FOLIO_NODE_CODE:
        case FOLIO_NODE_HTML_INLINE:
        case FOLIO_NODE_MATH: /* its TeX, as written */
            buf_put(out, n->text, n->len);
            break;
        case FOLIO_NODE_MARKUP: /* what a Liquid page variable prints */
            text_plain(out, n->child);
            break;
        case FOLIO_NODE_SOFTBREAK:
        case FOLIO_NODE_LINEBREAK:
            buf_putc(out, ' ');
            break;
        case FOLIO_NODE_FOOTNOTE_REF:
            buf_printf(out, "[%d]", n->u.footnote.number);
            break;
        default:
            text_plain(out, n->child);
            break;
        }
    }
}

int text_url_is_safe(const char *url)
{
    static const char *const ok[] = {"http://", "https://", "mailto:"};
    if (!url) return 0;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F) return 0;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
            return url[strlen(ok[i])] != 0;
    return 0;
}

/* Bytes text_xml_escape must look at: markup, the control characters XML
 * 1.0 forbids, and 0xEF (U+FFFE, U+FFFF); everything else is copied in
 * runs. */
static const unsigned char xml_special[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
    [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x0B] = 1, [0x0C] = 1, [0x0E] = 1,
    [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1,
    [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, ['&'] = 1,
    ['<'] = 1,  ['>'] = 1,  ['"'] = 1,  ['\''] = 1, [0xEF] = 1,
};

void text_xml_escape(folio_buf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && !xml_special[u[i]])
            i++;
        if (i == len) break;
        unsigned char c = u[i];
        const char *rep = "";
        size_t n = 1;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == '\'')
            rep = "&#39;";
        else if (c == 0xEF) {
            if (!(i + 2 < len && u[i + 1] == 0xBF &&
                  (u[i + 2] == 0xBE || u[i + 2] == 0xBF))) {
                i++; /* another character: kept */
                continue;
            }
            n = 3; /* U+FFFE, U+FFFF: dropped */
        }
        /* else a control character not allowed in XML 1.0: dropped */
        buf_put(out, s + start, i - start);
        buf_puts(out, rep);
        i += n;
        start = i;
    }
    buf_put(out, s + start, len - start);
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* A valid URI whatever was written: also a '%' that starts no escape, a
 * second '#', and brackets outside an IPv6 host. */
void text_url_encode(folio_buf *out, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *auth = strstr(url, "://");
    const char *host_end = auth ? auth + 3 + strcspn(auth + 3, "/?#") : url;
    int fragment = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        int in_host = (const char *)p < host_end;
        int bad = *p <= 0x20 || *p >= 0x7F || strchr("\"<>\\^`{|}", *p) ||
                  (*p == '%' && !(is_hex(p[1]) && is_hex(p[2]))) ||
                  (*p == '#' && fragment++) ||
                  ((*p == '[' || *p == ']') && !in_host);
        if (bad) {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_put(out, e, 3);
        } else {
            buf_putc(out, (char)*p);
        }
    }
}

/* ---- input validation */

/* Code points the IR never holds: those XML 1.0 forbids (C0 controls but
 * tab, LF and CR; surrogates; U+FFFE, U+FFFF) and the other
 * noncharacters.  libunibreak 1.1 even takes U+FFFF for the end of its
 * input. */
int text_cp_forbidden(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
           (c >= 0xD800 && c <= 0xDFFF) || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFEu) == 0xFFFEu || c > 0x10FFFF;
}

char *text_sanitize_utf8(const char *s, size_t len, size_t *outlen, int lines,
                         void (*bad)(void *ctx, int line, int col,
                                     const char *what),
                         void *ctx)
{
    folio_buf b = {0};
    size_t start = 0;
    int line = 1;
    size_t line_start = 0;
    int reported = 0, changed = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            line++;
            line_start = i + 1;
            i++;
            continue;
        }
        if ((c >= 0x20 && c < 0x80) || c == '\t') {
            i++;
            continue;
        }
        if (char3((const unsigned char *)s + i, len - i)) {
            i += 3;
            continue;
        }
        if (c == '\r') {
            if (!lines) {
                i++;
                continue;
            }
            /* CRLF and a lone CR end a line as LF does (CommonMark and
             * YAML agree); the rest of folio sees LF only. */
            buf_put(&b, s + start, i - start);
            changed = 1;
            i++;
            if (i < len && s[i] == '\n') {
                start = i; /* the LF is copied with what follows */
                continue;
            }
            buf_putc(&b, '\n');
            start = i;
            line++;
            line_start = i;
            continue;
        }
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n =
            c >= 0x80 ? utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                         (utf8proc_ssize_t)(len - i), &cp)
                      : 1;
        if (c < 0x80) cp = c;
        if (n > 0 && !text_cp_forbidden((uint32_t)cp)) {
            i += (size_t)n;
            continue;
        }
        if (reported++ < 3 && bad) {
            char what[64];
            if (n < 1)
                snprintf(what, sizeof what, "invalid UTF-8");
            else if (cp == 0)
                snprintf(what, sizeof what, "NUL byte");
            else if (cp < 0x20)
                snprintf(what, sizeof what, "control character U+%04X",
                         (unsigned)cp);
            else
                snprintf(what, sizeof what, "noncharacter U+%04X",
                         (unsigned)cp);
            bad(ctx, line, (int)(i - line_start + 1), what);
        }
        buf_put(&b, s + start, i - start);
        buf_puts(&b, "\xEF\xBF\xBD");
        changed = 1;
        i += n > 0 ? (size_t)n : 1;
        start = i;
    }
    if (!changed) return NULL;
    buf_put(&b, s + start, len - start);
    *outlen = b.len;
    return buf_detach(&b);
}

/* UTF-16 (the byte order given) to UTF-8; an unpaired surrogate or an odd
 * last byte becomes U+FFFD (the UTF-8 check then sees valid text). */
char *text_from_utf16(const char *s, size_t len, int big_endian, size_t *outlen)
{
    const unsigned char *u = (const unsigned char *)s;
    folio_buf b = {0};
    for (size_t i = 0; i < len;) {
        if (i + 1 >= len) {
            buf_puts(&b, "\xEF\xBF\xBD");
            break;
        }
        uint32_t c = big_endian ? (uint32_t)u[i] << 8 | u[i + 1]
                                : (uint32_t)u[i + 1] << 8 | u[i];
        i += 2;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len) {
            uint32_t d = big_endian ? (uint32_t)u[i] << 8 | u[i + 1]
                                    : (uint32_t)u[i + 1] << 8 | u[i];
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, enc);
        buf_put(&b, enc, (size_t)n);
    }
    *outlen = b.len;
    return buf_detach(&b);
}

int text_digit(char c, int hex)
{
    return c >= '0' && c <= '9'          ? c - '0'
           : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
           : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
}

size_t text_find_bad_ref(const char *s, size_t len, size_t from, size_t *end)
{
    for (size_t off = from; off + 3 < len; off++) {
        if (s[off] != '&' || s[off + 1] != '#') continue;
        int hex = s[off + 2] == 'x' || s[off + 2] == 'X';
        size_t i = off + 2 + (size_t)hex, nd = 0;
        uint32_t v = 0;
        for (; i < len && nd < 8; i++, nd++) {
            int d = text_digit(s[i], hex);
            if (d < 0) break;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        /* CommonMark's digit limits; cmark-gfm itself turns 0, surrogates
         * and values past U+10FFFF into U+FFFD. */
        if (nd < 1 || nd > (hex ? 6u : 7u) || i >= len || s[i] != ';' ||
            v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF ||
            !text_cp_forbidden(v))
            continue;
        *end = i + 1;
        return off;
    }
    return len;
}
