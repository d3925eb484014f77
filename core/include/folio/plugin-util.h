/* folio/plugin-util.h - helpers for plugin authors.
 *
 * Static inline functions over the host's services (<folio/plugin.h>), so
 * plugin code reads as direct calls (fu_puts(h, b, "text")) and an
 * out-of-tree plugin gets the same help as the in-tree ones: buffer
 * shorthands, and the line helpers that text renderers need (prefixes on
 * every line, blank lines inside a prefix, trimming).  Nothing here keeps
 * state or needs linking: each helper only calls the host table it is
 * given.
 */
#ifndef FOLIO_PLUGIN_UTIL_H
#define FOLIO_PLUGIN_UTIL_H

#include <folio/plugin.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- buffers */

static inline void fu_put(const folio_host *h, folio_buf *b, const void *s,
                          size_t len)
{
    h->buf_put(b, s, len);
}

static inline void fu_puts(const folio_host *h, folio_buf *b, const char *s)
{
    h->buf_puts(b, s);
}

static inline void fu_putc(const folio_host *h, folio_buf *b, char c)
{
    h->buf_put(b, &c, 1);
}

/* printf into b: fu_printf(h, b, "%d", n). */
#define fu_printf(h, b, ...) ((h)->buf_printf((b), __VA_ARGS__))

/* c written n times. */
static inline void fu_repeat(const folio_host *h, folio_buf *b, char c,
                             size_t n)
{
    while (n--)
        h->buf_put(b, &c, 1);
}

/* Shorten b to len bytes (len <= b->len). */
static inline void fu_truncate(folio_buf *b, size_t len)
{
    b->len = len;
    if (b->data) b->data[len] = 0;
}

/* The last byte of b, or 0 when it is empty. */
static inline char fu_last(const folio_buf *b)
{
    return b->len ? b->data[b->len - 1] : 0;
}

/* Display width of a C string (terminal columns). */
static inline size_t fu_width(const folio_host *h, const char *s)
{
    return h->str_width(s, strlen(s));
}

/* ---- lines and prefixes */

/* Length of s[0..n) without its trailing spaces. */
static inline size_t fu_rtrim(const char *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    return n;
}

/* A prefix without its trailing spaces, then a line end: a blank line
 * inside a quote is ">" and elsewhere empty. */
static inline void fu_blank_line(const folio_host *h, folio_buf *out,
                                 const char *prefix)
{
    h->buf_put(out, prefix, fu_rtrim(prefix, strlen(prefix)));
    h->buf_put(out, "\n", 1);
}

/* Append the len bytes of s to out line by line: the first line after
 * first, the others after rest (without its trailing spaces when the line
 * is empty); every line ends in '\n'.  Empty s gives one blank line. */
static inline void fu_prefix_lines(const folio_host *h, folio_buf *out,
                                   const char *s, size_t len, const char *first,
                                   const char *rest)
{
    if (!len) {
        fu_blank_line(h, out, first);
        return;
    }
    size_t trim = fu_rtrim(rest, strlen(rest));
    for (size_t i = 0, line = 0; i < len; line++) {
        const char *e = (const char *)memchr(s + i, '\n', len - i);
        size_t n = e ? (size_t)(e - (s + i)) : len - i;
        if (line == 0)
            h->buf_puts(out, first);
        else
            h->buf_put(out, rest, n ? strlen(rest) : trim);
        h->buf_put(out, s + i, n);
        h->buf_put(out, "\n", 1);
        i += n + 1;
    }
}

/* Remove spaces and line ends at both ends of b[from..]. */
static inline void fu_trim(folio_buf *b, size_t from)
{
    size_t s = from, e = b->len;
    while (e > s && (b->data[e - 1] == ' ' || b->data[e - 1] == '\n'))
        e--;
    while (s < e && (b->data[s] == ' ' || b->data[s] == '\n'))
        s++;
    if (s > from) memmove(b->data + from, b->data + s, e - s);
    fu_truncate(b, from + e - s);
}

#ifdef __cplusplus
}
#endif

#endif /* FOLIO_PLUGIN_UTIL_H */
