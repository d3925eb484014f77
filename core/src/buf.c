/* folio_buf: the growable buffer shared by the core and lent to plugins. */
#include "internal.h"

#include <utf8proc.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void folio_oom(void)
{
    fputs("folio: error: out of memory\n", stderr);
    abort();
}

static void grow(folio_buf *b, size_t extra)
{
    if (b->cap - b->len > extra) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) folio_oom();
    b->data = p;
    b->cap = cap;
}

void buf_put(folio_buf *b, const void *s, size_t len)
{
    grow(b, len);
    if (len) memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = 0;
}

void buf_puts(folio_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc(folio_buf *b, char c)
{
    buf_put(b, &c, 1);
}

void buf_vprintf(folio_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(folio_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_free(folio_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_detach(folio_buf *b)
{
    char *p = b->data;
    if (!p) p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_put_cp(folio_buf *b, uint32_t cp)
{
    utf8proc_uint8_t u[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
    buf_put(b, u, (size_t)n);
}
