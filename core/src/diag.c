/* Diagnostics, collected per input and printed in input order.  Messages
 * never carry raw control characters or bytes that are not UTF-8 (they are
 * shown as \xNN or \uNNNN), and a message quoting a long line keeps only
 * its start and end. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages longer than this keep their first and last bytes around an
 * ellipsis: a quoted 70 KB line must not flood the terminal. */
#define MSG_MAX 300
#define MSG_TAIL 60

/* Length of the valid UTF-8 sequence at s (its code point in *cp), or 0. */
static size_t utf8_valid(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!n || n > len || s[0] > 0xF4) return 0;
    uint32_t c = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

void text_escape(folio_buf *out, const char *s, size_t len, int json)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = utf8_valid(u + i, len - i, &c);
        if (!n) {
            buf_printf(out, json ? "\\\\x%02x" : "\\x%02x", u[i]);
            i++;
            continue;
        }
        if (json) {
            if (c == '"' || c == '\\')
                buf_printf(out, "\\%c", (char)c);
            else if (c == '\n')
                buf_puts(out, "\\n");
            else if (c < 0x20)
                buf_printf(out, "\\u%04x", (unsigned)c);
            else
                buf_put(out, s + i, n);
        } else if (c < 0x20 || c == 0x7F) {
            buf_printf(out, "\\x%02x", (unsigned)c);
        } else if ((c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
                   (c >= 0x202A && c <= 0x202E) ||
                   (c >= 0x2066 && c <= 0x2069)) {
            buf_printf(out, "\\u%04x", (unsigned)c);
        } else {
            buf_put(out, s + i, n);
        }
        i += n;
    }
}

/* Back up from i to the start of a UTF-8 sequence. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

void diag_vadd(diags *d, int severity, const char *path, int line, int col,
               const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        if (!d->v) folio_oom();
    }
    folio_buf b = {0};
    buf_vprintf(&b, fmt, ap);
    if (b.len > MSG_MAX) {
        size_t head = char_start(b.data, MSG_MAX - MSG_TAIL);
        size_t tail = char_start(b.data, b.len - MSG_TAIL);
        folio_buf c = {0};
        buf_put(&c, b.data, head);
        buf_printf(&c, "\xE2\x80\xA6 (%zu bytes) \xE2\x80\xA6", tail - head);
        buf_put(&c, b.data + tail, b.len - tail);
        buf_free(&b);
        b = c;
    }
    diag *g = &d->v[d->n++];
    g->severity = severity;
    g->path = strdup(path ? path : "folio");
    g->line = line;
    g->col = col;
    g->msg = buf_detach(&b);
    if (!g->path) folio_oom();
    if (severity == FOLIO_ERROR)
        d->errors++;
    else if (severity == FOLIO_WARNING)
        d->warnings++;
}

void diag_add(diags *d, int severity, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, severity, path, line, col, fmt, ap);
    va_end(ap);
}

void diag_format(folio_buf *out, const diag *g)
{
    static const char *const sev[] = {"note", "warning", "error"};
    text_escape(out, g->path, strlen(g->path), 0);
    if (g->line > 0) {
        buf_printf(out, ":%d", g->line);
        if (g->col > 0) buf_printf(out, ":%d", g->col);
    }
    buf_printf(out, ": %s: ", sev[g->severity]);
    text_escape(out, g->msg, strlen(g->msg), 0);
}

void diags_print(const diags *d, int quiet)
{
    folio_buf b = {0};
    for (size_t i = 0; i < d->n; i++) {
        if (quiet && d->v[i].severity != FOLIO_ERROR) continue;
        b.len = 0;
        diag_format(&b, &d->v[i]);
        buf_putc(&b, '\n');
        fwrite(b.data, 1, b.len, stderr);
    }
    buf_free(&b);
}

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags d = {0};
    diag_vadd(&d, FOLIO_ERROR, "folio", 0, 0, fmt, ap);
    va_end(ap);
    diags_print(&d, 0);
    diags_free(&d);
    fputs("Try 'folio --help'.\n", stderr);
    return 2;
}

void diags_free(diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}
