/* The JSON report (--report), schema in folio(1).  Its file is opened
 * before the run (a report that cannot be written stops the run before
 * anything is converted) and committed at the end. */
#include "report.h"

#include <stdio.h>
#include <string.h>

/* Strings are kept exact where JSON can say them (controls as \u00XX);
 * bytes that are not UTF-8 (file names) become the text \xNN. */
static void json_str(folio_buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    buf_putc(b, '"');
    text_escape(b, s, strlen(s), 1);
    buf_putc(b, '"');
}

static void json_diags(folio_buf *b, const diags *d, int sev)
{
    buf_putc(b, '[');
    int first = 1;
    for (size_t i = 0; d && i < d->n; i++) {
        if (d->v[i].severity != sev) continue;
        if (!first) buf_puts(b, ", ");
        first = 0;
        buf_puts(b, "{\"path\": ");
        json_str(b, d->v[i].path);
        buf_printf(b, ", \"line\": %d, \"column\": %d, \"message\": ",
                   d->v[i].line, d->v[i].col);
        json_str(b, d->v[i].msg);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

int report_write(outfile *of, input *ins, size_t n, diags *global)
{
    folio_buf b = {0};
    buf_puts(&b, "{\n  \"folio\": \"" FOLIO_VERSION "\",\n  \"schema\": 1,\n"
                 "  \"inputs\": [");
    for (size_t i = 0; i < n; i++) {
        input *in = &ins[i];
        const char *status = in->failed                     ? "failed"
                             : in->out_failed               ? "failed"
                             : in->skipped && !in->noutputs ? "skipped"
                             : in->info.title               ? "ok"
                                                            : "not-run";
        buf_puts(&b, i ? ",\n    {" : "\n    {");
        buf_puts(&b, "\"path\": ");
        json_str(&b, in->path);
        buf_printf(&b, ", \"status\": \"%s\", \"seconds\": %.6f", status,
                   in->seconds);
        buf_puts(&b, ", \"outputs\": [");
        for (size_t k = 0; k < in->noutputs; k++) {
            if (k) buf_puts(&b, ", ");
            json_str(&b, in->outputs[k]);
        }
        buf_puts(&b, "], \"warnings\": ");
        json_diags(&b, &in->dg, FOLIO_WARNING);
        buf_puts(&b, ", \"errors\": ");
        json_diags(&b, &in->dg, FOLIO_ERROR);
        buf_putc(&b, '}');
    }
    buf_puts(&b, "\n  ],\n  \"errors\": ");
    json_diags(&b, global, FOLIO_ERROR);
    buf_puts(&b, "\n}\n");
    diags dg = {0};
    int rc = out_write(of, b.data, b.len, &dg);
    if (rc == 0)
        rc = out_commit(of, &dg);
    else
        out_discard(of);
    diags_print(&dg, 0);
    diags_free(&dg);
    buf_free(&b);
    return rc;
}
