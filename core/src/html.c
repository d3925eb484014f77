/* Raw HTML shown as text: the host's html_text(), the one decision every
 * plugin that cannot show HTML uses (txt, PDF). */
#include "internal.h"

#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* Tags that separate what is on either side of them. */
static int block_tag(const char *name)
{
    static const char *const tags[] = {
        "p",          "div",    "li",     "ul",         "ol",      "tr",
        "td",         "th",     "h1",     "h2",         "h3",      "h4",
        "h5",         "h6",     "table",  "blockquote", "pre",     "hr",
        "dd",         "dt",     "dl",     "section",    "article", "figure",
        "figcaption", "header", "footer", "details",    "summary"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (strcmp(name, tags[i]) == 0) return 1;
    return 0;
}

/* The named entities decoded: XML's five, and the ones blogs use. */
static const char *const entities[][2] = {
    {"&amp;", "&"},
    {"&lt;", "<"},
    {"&gt;", ">"},
    {"&quot;", "\""},
    {"&apos;", "'"},
    {"&nbsp;", " "},
    {"&ndash;", "\xE2\x80\x93"},
    {"&mdash;", "\xE2\x80\x94"},
    {"&hellip;", "\xE2\x80\xA6"},
    {"&lsquo;", "\xE2\x80\x98"},
    {"&rsquo;", "\xE2\x80\x99"},
    {"&ldquo;", "\xE2\x80\x9C"},
    {"&rdquo;", "\xE2\x80\x9D"},
    {"&middot;", "\xC2\xB7"},
    {"&copy;", "\xC2\xA9"},
};

/* An entity at s ("&amp;", "&#x41;"): appends it and returns its length,
 * or 0 when it is not one we know.  A numeric one the IR could not hold
 * (NUL, a surrogate, a control XML forbids) becomes U+FFFD. */
static size_t entity(folio_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof entities / sizeof *entities; i++) {
        size_t n = strlen(entities[i][0]);
        if (len >= n && memcmp(s, entities[i][0], n) == 0) {
            buf_puts(b, entities[i][1]);
            return n;
        }
    }
    if (len < 4 || s[1] != '#') return 0;
    int hex = s[2] == 'x' || s[2] == 'X';
    uint32_t cp = 0;
    size_t i = hex ? 3 : 2, digits = 0;
    for (; i < len && digits < 7; i++, digits++) {
        int v = text_digit(s[i], hex);
        if (v < 0) break;
        cp = cp * (hex ? 16 : 10) + (uint32_t)v;
    }
    if (!digits || i >= len || s[i] != ';') return 0;
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    else if (cp > 0x10FFFF || text_cp_forbidden(cp))
        cp = 0xFFFD;
    utf8proc_uint8_t u[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
    buf_put(b, u, (size_t)n);
    return i + 1;
}

/* The length of what starts at s[i] and is dropped whole: a comment, or a
 * script or style element with its content; 0 for anything else. */
static size_t dropped(const char *s, size_t i, size_t n)
{
    const char *close = NULL;
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
        close = "-->";
    else if (n - i >= 7 && strncasecmp(s + i, "<script", 7) == 0)
        close = "</script>";
    else if (n - i >= 6 && strncasecmp(s + i, "<style", 6) == 0)
        close = "</style>";
    if (!close) return 0;
    size_t cl = strlen(close), j = i + 1;
    while (j + cl <= n && strncasecmp(s + j, close, cl) != 0)
        j++;
    return (j + cl <= n ? j + cl : n) - i;
}

void text_html_text(folio_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t skip = s[i] == '<' ? dropped(s, i, len) : 0;
        if (skip) {
            i += skip;
            continue;
        }
        const char *gt = s[i] == '<' ? memchr(s + i, '>', len - i) : NULL;
        if (gt) {
            char name[16];
            size_t k = 0, j = i + 1 + (i + 1 < len && s[i + 1] == '/');
            while (j < len && k + 1 < sizeof name &&
                   ((s[j] >= 'a' && s[j] <= 'z') ||
                    (s[j] >= 'A' && s[j] <= 'Z') ||
                    (s[j] >= '0' && s[j] <= '9')))
                name[k++] = (char)(s[j++] | 0x20);
            name[k] = 0;
            if (strcmp(name, "br") == 0)
                buf_putc(out, '\n');
            else if (block_tag(name))
                buf_putc(out, ' ');
            i = (size_t)(gt - s) + 1;
            continue;
        }
        size_t n = s[i] == '&' ? entity(out, s + i, len - i) : 0;
        if (!n) {
            char c = s[i];
            buf_putc(out, c == '\n' || c == '\t' || c == '\r' ? ' ' : c);
            n = 1;
        }
        i += n;
    }
}
