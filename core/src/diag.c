/* Diagnostics, collected per input and printed in input order. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    buf_puts(out, g->path);
    if (g->line > 0) {
        buf_printf(out, ":%d", g->line);
        if (g->col > 0) buf_printf(out, ":%d", g->col);
    }
    buf_printf(out, ": %s: %s", sev[g->severity], g->msg);
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

void diags_free(diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}
