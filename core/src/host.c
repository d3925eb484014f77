/* The host services lent to plugins (the folio_host table) and the
 * running of one plugin into one output. */
#include "host.h"

#include "image.h"
#include "pool.h"
#include "tex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct folio_job {
    const run_opts *opts;
    prefetch pre;
    loaded_plugin *lp;
    input **inputs;    /* the book's inputs, parallel to its digests */
    folio_doc **docs;  /* parsed digests kept in memory, or NULL */
    int docs_on_loan;  /* book mode: release() frees a kept digest */
    const char **data; /* input bytes kept in memory (stdin), or NULL */
    size_t *datalen;
    outfile out;
    diags *dg;
    int failed;
    folio_image_ctx *images; /* the book's figures (one per book) */
};

static folio_doc *reparse(void *job, size_t i, diags *dg)
{
    folio_job *j = job;
    input *in = j->inputs[i];
    char *data = NULL;
    size_t len = 0;
    folio_doc *doc = NULL;
    if (j->data && j->data[i]) {
        doc = folio_parse(in->path, j->data[i], j->datalen[i], dg);
    } else if (folio_read_input(in->path, &data, &len, dg) == 0) {
        doc = folio_parse(in->path, data, len, dg);
        free(data);
    }
    return doc;
}

static const folio_digest *h_digest(folio_job *j, size_t i)
{
    if (j->docs && j->docs[i]) return &j->docs[i]->d;
    size_t n = 0;
    while (j->inputs[n])
        n++;
    if (i >= n) return NULL;
    folio_doc *doc = NULL;
    diags dg = {0};
    if (!prefetch_take(&j->pre, i, &doc, &dg)) doc = reparse(j, i, &dg);
    if (i + 1 < n && j->opts->jobs != 1 && !(j->docs && j->docs[i + 1]))
        prefetch_start(&j->pre, i + 1);
    /* Warnings were reported when the digest was first read. */
    for (size_t k = 0; k < dg.n; k++)
        if (dg.v[k].severity == FOLIO_ERROR)
            diag_add(j->dg, FOLIO_ERROR, dg.v[k].path, dg.v[k].line,
                     dg.v[k].col, "%s", dg.v[k].msg);
    diags_free(&dg);
    if (!doc) j->failed = 1;
    return doc ? &doc->d : NULL;
}

static void h_release(folio_job *j, const folio_digest *d)
{
    if (!d) return;
    folio_doc *doc = (folio_doc *)((char *)d - offsetof(folio_doc, d));
    if (j->docs)
        for (size_t i = 0; j->inputs[i]; i++)
            if (j->docs[i] == doc) {
                if (!j->docs_on_loan) return;
                j->docs[i] = NULL; /* asked for again: parsed again */
                break;
            }
    folio_doc_free(doc);
}

static int h_write(folio_job *j, const void *buf, size_t len)
{
    if (!j->out.final) return -1; /* init() has no output */
    if (out_write(&j->out, buf, len, j->dg)) {
        j->failed = 1;
        return -1;
    }
    return 0;
}

static const char *h_output_path(folio_job *j)
{
    if (j->out.to_stdout) j->out.spool = 1;
    return j->out.tmp;
}

static void h_report(folio_job *j, int sev, const char *path, int line, int col,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sev < FOLIO_NOTE || sev > FOLIO_ERROR) sev = FOLIO_ERROR;
    diag_vadd(j->dg, sev, path ? path : j->out.final, line, col, fmt, ap);
    va_end(ap);
    if (sev == FOLIO_ERROR) j->failed = 1;
}

static const char *h_option(folio_job *j, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < j->opts->noptions; i++) {
        option_kv *o = &j->opts->options[i];
        if (strcmp(o->plugin, j->lp->p->name) == 0 && strcmp(o->key, key) == 0)
            v = o->value; /* the last one given wins */
    }
    return v;
}

/* An image warning, once per run and place however many outputs ask.
 * why names the reference already ("REF: why"). */
static void image_warn(folio_job *j, const char *path, int line, int col,
                       const char *why)
{
    for (size_t k = 0; k < j->dg->n; k++) {
        const diag *g = &j->dg->v[k];
        if (g->line == line && g->col == col && g->path && path &&
            strcmp(g->path, path) == 0 && strcmp(g->msg, why) == 0)
            return;
    }
    diag_add(j->dg, FOLIO_WARNING, path, line, col, "%s", why);
}

static int h_image(folio_job *j, const folio_digest *d, const folio_node *img,
                   folio_image *out)
{
    memset(out, 0, sizeof *out);
    if (!j->images || !d || !img || img->type != FOLIO_NODE_IMAGE ||
        !img->u.link.url)
        return FOLIO_IMAGE_ERROR;
    char msg[1024] = "";
    int rc = folio_image_load(j->images, d->path, img->u.link.url, out, msg,
                              sizeof msg);
    if (msg[0]) image_warn(j, d->path, img->line, img->col, msg);
    return rc;
}

static int h_cover(folio_job *j, folio_image *out)
{
    memset(out, 0, sizeof *out);
    if (!j->images) return FOLIO_IMAGE_ERROR;
    char msg[1024] = "";
    int rc = FOLIO_IMAGE_ERROR;
    if (j->opts->cover) {
        rc = folio_image_load_path(j->images, j->opts->cover, out, msg,
                                   sizeof msg);
        if (msg[0]) image_warn(j, j->opts->cover, 0, 0, msg);
        return rc;
    }
    for (size_t i = 0; j->inputs && j->inputs[i]; i++) {
        input *in = j->inputs[i];
        if (!in->cover_ref) continue;
        rc = folio_image_load(j->images, in->path, in->cover_ref, out, msg,
                              sizeof msg);
        if (rc == FOLIO_IMAGE_REMOTE) {
            snprintf(msg, sizeof msg,
                     "%.900s: a remote cover is not fetched without "
                     "--fetch-images",
                     in->cover_ref);
            rc = FOLIO_IMAGE_ERROR;
        }
        if (msg[0]) image_warn(j, in->path, in->cover_line, in->cover_col, msg);
        return rc;
    }
    return FOLIO_IMAGE_ERROR;
}

static int h_image_pixels(folio_job *j, const folio_image *img,
                          folio_pixels *out)
{
    char msg[1024] = "";
    memset(out, 0, sizeof *out);
    if (folio_image_decode(img, out, msg, sizeof msg) == 0) return 0;
    image_warn(j, img->path, 0, 0, msg);
    return -1;
}

folio_image_ctx *host_images_new(const run_opts *o)
{
    folio_image_opts io = {.resource_path = o->resource_path,
                           .fetch = o->fetch_images,
                           .cache_dir = o->image_cache};
    /* Tests fetch from a loopback server over plain http. */
    const char *h = getenv("FOLIO_TEST_ALLOW_HTTP");
    io.allow_http = h && strcmp(h, "1") == 0;
    return folio_image_ctx_new(&io);
}

static const folio_host host = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_host),
    .version = FOLIO_VERSION,
    .digest = h_digest,
    .release = h_release,
    .write = h_write,
    .output_path = h_output_path,
    .report = h_report,
    .option = h_option,
    .buf_put = buf_put,
    .buf_puts = buf_puts,
    .buf_printf = buf_printf,
    .buf_free = buf_free,
    .utf8_next = text_utf8_next,
    .char_width = text_char_width,
    .str_width = text_str_width,
    .line_breaks = text_line_breaks,
    .wrap = text_wrap,
    .plain_text = text_plain,
    .url_is_safe = text_url_is_safe,
    .xml_escape = text_xml_escape,
    .url_encode = text_url_encode,
    .image = h_image,
    .cover = h_cover,
    .image_pixels = h_image_pixels,
    .pixels_free = folio_pixels_free,
    .math_mathml = tex_to_mathml,
    .math_text = tex_to_text,
    .math_parse = tex_doc_new,
    .math_free = tex_doc_free,
    .script = text_script,
    .joins_lines = text_joins_lines,
    .label = text_label,
    .count_papers = text_count_papers,
    .html_text = text_html_text,
    .is_links_block = folio_is_links_block,
    .html_sanitize = text_html_sanitize,
    .date_text = text_date_text,
    .title_sans_date = text_title_sans_date,
    .math_variant = folio_math_variant_cp,
    .math_combining = folio_math_combining,
};

/* Run one plugin into one output.  Returns 0 or -1. */
int host_run_plugin(const plugin_run *r)
{
    loaded_plugin *lp = r->lp;
    diags *dg = r->dg;
    const char *path = r->path;
    folio_job j = {.opts = r->opts,
                   .lp = lp,
                   .inputs = r->inputs,
                   .docs = r->docs,
                   .docs_on_loan = r->docs_on_loan,
                   .data = r->data,
                   .datalen = r->datalen,
                   .pre = {.parse = reparse},
                   .images = r->images,
                   .dg = dg};
    j.pre.ctx = &j;
    if (out_open(&j.out, path, dg)) return -1;
    pthread_mutex_lock(&lp->lock);
    int serial = (lp->p->flags & FOLIO_PLUGIN_SERIAL) != 0;
    if (!lp->initialized) {
        lp->initialized = 1;
        if (lp->p->init && lp->p->init(&host, &j, &lp->state) != 0)
            lp->initialized = -1;
    }
    int ok = lp->initialized == 1;
    if (!serial) pthread_mutex_unlock(&lp->lock);
    int rc = ok ? lp->p->write(&host, lp->state, &j, r->book) : -1;
    prefetch_end(&j.pre);
    if (serial) pthread_mutex_unlock(&lp->lock);
    if (rc != 0 || j.failed) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0,
                 "not written: the %s plugin (%s) failed", lp->p->name,
                 lp->path);
        out_discard(&j.out);
        return -1;
    }
    return out_commit(&j.out, dg);
}

int host_init_plugin(const run_opts *o, loaded_plugin *lp, diags *dg)
{
    folio_job j = {.opts = o, .lp = lp, .dg = dg};
    j.out.fd = -1;
    j.out.dirfd = -1;
    pthread_mutex_lock(&lp->lock);
    if (!lp->initialized) {
        lp->initialized = 1;
        if (lp->p->init && lp->p->init(&host, &j, &lp->state) != 0)
            lp->initialized = -1;
    }
    pthread_mutex_unlock(&lp->lock);
    return lp->initialized == 1 ? 0 : -1;
}
