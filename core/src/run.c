/* The conversion engine: inputs, the host table lent to plugins, parallel
 * work, outputs, and the check, formats and dump commands. */
#include "run.h"

#include "image.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ the host */

/* Book mode re-reads digests one at a time; while the plugin renders
 * digest i, a thread parses digest i + 1. */
typedef struct prefetch {
    pthread_t thread;
    int running;
    size_t index;
    folio_doc *doc;
    diags dg;
    struct folio_job *job;
} prefetch;

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

static folio_doc *reparse(folio_job *j, size_t i, diags *dg)
{
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

static void *prefetch_main(void *arg)
{
    prefetch *p = arg;
    p->doc = reparse(p->job, p->index, &p->dg);
    return NULL;
}

static void prefetch_join(folio_job *j)
{
    if (!j->pre.running) return;
    pthread_join(j->pre.thread, NULL);
    j->pre.running = 0;
}

/* Drop a prefetched digest the plugin never asked for. */
static void prefetch_end(folio_job *j)
{
    prefetch_join(j);
    folio_doc_free(j->pre.doc);
    j->pre.doc = NULL;
    diags_free(&j->pre.dg);
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
    prefetch_join(j);
    if (j->pre.doc && j->pre.index == i) {
        doc = j->pre.doc;
        dg = j->pre.dg;
        j->pre.doc = NULL;
        memset(&j->pre.dg, 0, sizeof j->pre.dg);
    } else {
        prefetch_end(j);
        doc = reparse(j, i, &dg);
    }
    if (i + 1 < n && j->opts->jobs != 1 && !(j->docs && j->docs[i + 1])) {
        j->pre.index = i + 1;
        j->pre.job = j;
        j->pre.running =
            pthread_create(&j->pre.thread, NULL, prefetch_main, &j->pre) == 0;
    }
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
    folio_buf m = {0};
    buf_puts(&m, why);
    for (size_t k = 0; k < j->dg->n; k++) {
        const diag *g = &j->dg->v[k];
        if (g->line == line && g->col == col && g->path && path &&
            strcmp(g->path, path) == 0 && strcmp(g->msg, m.data) == 0) {
            buf_free(&m);
            return;
        }
    }
    diag_add(j->dg, FOLIO_WARNING, path, line, col, "%s", m.data);
    buf_free(&m);
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
};

/* One image context per book: its options from the run's. */
static folio_image_ctx *images_new(const run_opts *o)
{
    folio_image_opts io = {.resource_path = o->resource_path,
                           .fetch = o->fetch_images,
                           .cache_dir = o->image_cache};
    /* Tests fetch from a loopback server over plain http. */
    const char *h = getenv("FOLIO_TEST_ALLOW_HTTP");
    io.allow_http = h && strcmp(h, "1") == 0;
    return folio_image_ctx_new(&io);
}

/* Run one plugin into one output.  Returns 0 or -1. */
static int run_plugin(const run_opts *o, loaded_plugin *lp,
                      const folio_book *book, input **ins, folio_doc **docs,
                      int on_loan, const char **data, size_t *datalen,
                      const char *path, folio_image_ctx *images, diags *dg)
{
    folio_job j = {.opts = o,
                   .images = images,
                   .lp = lp,
                   .inputs = ins,
                   .docs = docs,
                   .docs_on_loan = on_loan,
                   .data = data,
                   .datalen = datalen,
                   .dg = dg};
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
    int rc = ok ? lp->p->write(&host, lp->state, &j, book) : -1;
    prefetch_end(&j);
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

/* Run every plugin's init() once before anything is read or written, so a
 * bad -O value is one error, not one per output.  Returns 0 or -1. */
static int init_plugin(const run_opts *o, loaded_plugin *lp, diags *dg)
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

/* ------------------------------------------------------------ inputs */

static void push_path(char ***v, size_t *n, const char *p)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    if (!*v || !((*v)[*n] = strdup(p))) folio_oom();
    (*n)++;
}

/* Files stay as given; a directory gives its *.md files, sorted. */
static size_t expand(char **paths, size_t n, char ***out, diags *dg)
{
    char **v = NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            size_t nn;
            char **names = list_dir(paths[i], ".md", &nn);
            if (!names && !nn) {
                DIR *probe = opendir(paths[i]);
                if (!probe) {
                    push_path(&v, &k, paths[i]); /* reported when read */
                    continue;
                }
                closedir(probe);
            }
            if (!nn)
                diag_add(dg, FOLIO_WARNING, paths[i], 0, 0,
                         "directory holds no .md files");
            size_t pl = strlen(paths[i]);
            for (size_t m = 0; m < nn; m++) {
                folio_buf b = {0};
                buf_printf(&b, "%s%s%s", paths[i],
                           pl && paths[i][pl - 1] == '/' ? "" : "/", names[m]);
                push_path(&v, &k, b.data);
                buf_free(&b);
            }
            list_free(names, nn);
        } else {
            push_path(&v, &k, paths[i]);
        }
    }
    *out = v;
    return k;
}

static char *dupnull(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void set_info(input *in, const folio_digest *d)
{
    in->info.path = in->path;
    in->info.name = strdup(d->name);
    in->info.title = strdup(d->title);
    in->info.date = dupnull(d->date);
    in->info.lang = strdup(d->lang);
    in->info.author = dupnull(d->author);
    in->info.npapers = d->npapers;
    in->info.kind = d->kind;
    /* Jekyll's image: (a path or {path: ...}) is the book's cover. */
    const folio_yaml *im = yaml_get(d->meta, "image");
    if (im && im->kind == FOLIO_YAML_MAP) im = yaml_get(im, "path");
    if (im && im->kind == FOLIO_YAML_SCALAR && im->value[0] && !in->cover_ref) {
        in->cover_ref = strdup(im->value);
        in->cover_line = im->line;
        in->cover_col = im->col;
    }
}

static void input_free(input *in)
{
    free((char *)in->info.name);
    free((char *)in->info.title);
    free((char *)in->info.date);
    free((char *)in->info.lang);
    free((char *)in->info.author);
    for (size_t i = 0; in->dest && in->dest[i]; i++)
        free(in->dest[i]);
    free(in->dest);
    for (size_t i = 0; i < in->noutputs; i++)
        free(in->outputs[i]);
    free(in->outputs);
    free(in->cover_ref);
    diags_free(&in->dg);
    free(in->path);
}

/* FNV-1a over 64-bit little-endian words (a byte at a time was a tenth
 * of the parse): the book's identifier is derived from it. */
static unsigned long long fnv(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long long h = 1469598103934665603ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long w = 0;
        for (int k = 7; k >= 0; k--)
            w = w << 8 | u[i + k];
        h = (h ^ w) * 1099511628211ULL;
    }
    for (; i < n; i++)
        h = (h ^ u[i]) * 1099511628211ULL;
    return h;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ parallel */

typedef struct pool {
    size_t n;
    input *ins;
    void (*fn)(struct pool *, size_t);
    void *ctx;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    unsigned char *done;
    size_t printed;
    const run_opts *o;
    int silent; /* the caller prints the messages itself */
    double start;
} pool;

/* A -v line on stderr with its file names escaped like messages. */
static void say(const char *fmt, const char *a, const char *b)
{
    folio_buf x = {0}, y = {0};
    text_escape(&x, a, strlen(a), 0);
    if (b) text_escape(&y, b, strlen(b), 0);
    folio_buf line = {0};
    buf_printf(&line, fmt, x.data ? x.data : "", y.data ? y.data : "");
    fprintf(stderr, "%s\n", line.data);
    buf_free(&line);
    buf_free(&x);
    buf_free(&y);
}

static void progress(pool *p, size_t i)
{
    if (!p->o->progress) return;
    size_t done = 0;
    for (size_t k = 0; k < p->n; k++)
        done += p->done[k];
    const char *name = strrchr(p->ins[i].path, '/');
    name = name ? name + 1 : p->ins[i].path;
    int width = 30, fill = (int)(done * (size_t)width / (p->n ? p->n : 1));
    folio_buf b = {0};
    if (done != p->n) text_escape(&b, name, strnlen(name, 40), 0);
    fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu %s", fill,
            "##############################", width - fill, "", done, p->n,
            b.data ? b.data : "");
    buf_free(&b);
    if (done == p->n) fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void finished(pool *p, size_t i)
{
    pthread_mutex_lock(&p->lock);
    p->done[i] = 1;
    /* Messages appear in input order, whatever order the work ends in. */
    if (p->o->progress) fputs("\r\033[K", stderr);
    while (!p->silent && p->printed < p->n && p->done[p->printed]) {
        input *in = &p->ins[p->printed];
        diags_print(&in->dg, p->o->quiet);
        if (p->o->verbose && !in->failed && !in->out_failed)
            for (size_t k = 0; k < in->noutputs; k++)
                say("%s -> %s", in->path, in->outputs[k]);
        p->printed++;
    }
    progress(p, i);
    pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        if (atomic_load(&p->stop)) break;
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        double t0 = now_seconds();
        p->fn(p, i);
        p->ins[i].seconds = now_seconds() - t0;
        if (p->o->fail_fast && (p->ins[i].failed || p->ins[i].out_failed))
            atomic_store(&p->stop, 1);
        finished(p, i);
    }
    return NULL;
}

static void pool_run(pool *p)
{
    int jobs = p->o->jobs > 0 ? p->o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > p->n) jobs = (int)(p->n ? p->n : 1);
    p->done = calloc(p->n ? p->n : 1, 1);
    pthread_mutex_init(&p->lock, NULL);
    atomic_init(&p->next, 0);
    atomic_init(&p->stop, 0);
    p->start = now_seconds();
    pthread_t *t = calloc((size_t)jobs, sizeof *t);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* libharu's HPDF_GetFont wants ~128 KiB of stack; give plenty. */
    pthread_attr_setstacksize(&attr, 16u << 20);
    int started = 0;
    for (int k = 1; k < jobs; k++)
        if (pthread_create(&t[k], &attr, worker, p) == 0) started = k;
    worker(p);
    for (int k = 1; k <= started; k++)
        pthread_join(t[k], NULL);
    pthread_attr_destroy(&attr);
    free(t);
    /* Inputs never reached (--fail-fast) print nothing. */
    pthread_mutex_destroy(&p->lock);
    free(p->done);
}

/* ------------------------------------------------------------ convert */

typedef struct conv {
    run_opts *o;
    loaded_plugin *plugins;
    size_t nplugins;
    int book_mode;
    const char **data; /* kept bytes of stdin inputs */
    size_t *datalen;
    folio_doc **docs;   /* book mode: digests kept from the first parse */
    char **book_dest;   /* book mode: the output of each format */
    atomic_size_t kept; /* their arena bytes */
} conv;

/* Book mode keeps parsed digests up to this many bytes, so a month is
 * parsed once; beyond it (a year) digests are parsed again when the
 * plugin asks, and memory stays that of a month. */
#define FOLIO_BOOK_CACHE ((size_t)4 << 20)

static char *out_path_for(const run_opts *o, const char *name,
                          const loaded_plugin *lp, size_t nformats)
{
    folio_buf b = {0};
    if (o->outdir) {
        size_t l = strlen(o->outdir);
        buf_printf(&b, "%s%s%s.%s", o->outdir,
                   l && o->outdir[l - 1] == '/' ? "" : "/", name,
                   lp->p->extension);
    } else {
        const char *out = o->output ? o->output : "-";
        const char *dot = strrchr(out, '.');
        const char *slash = strrchr(out, '/');
        if (nformats > 1 && strcmp(out, "-") != 0 &&
            !(dot && strcmp(dot + 1, lp->p->extension) == 0)) {
            /* -o book.epub -t epub,pdf: book.pdf beside it. */
            size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - out)
                                                         : strlen(out);
            buf_put(&b, out, stem);
            buf_printf(&b, ".%s", lp->p->extension);
        } else {
            buf_puts(&b, out);
        }
    }
    return buf_detach(&b);
}

static int up_to_date(const char *out, const char *in)
{
    struct stat so, si;
    if (strcmp(in, "-") == 0 || stat(out, &so) != 0 || stat(in, &si) != 0)
        return 0;
    return so.st_mtim.tv_sec > si.st_mtim.tv_sec ||
           (so.st_mtim.tv_sec == si.st_mtim.tv_sec &&
            so.st_mtim.tv_nsec >= si.st_mtim.tv_nsec);
}

static void add_output(input *in, const char *path)
{
    in->outputs = realloc(in->outputs, (in->noutputs + 1) * sizeof(char *));
    in->outputs[in->noutputs++] = strdup(path);
}

/* Read and parse one input; keeps the document when keep is set. */
static folio_doc *load(conv *c, input *in, size_t i, int keep_bytes)
{
    char *data = NULL;
    size_t len = 0;
    if (folio_read_input(in->path, &data, &len, &in->dg) != 0) {
        in->failed = 1;
        return NULL;
    }
    in->hash = fnv(data, len);
    folio_doc *doc = folio_parse(in->path, data, len, &in->dg);
    if (!doc)
        in->failed = 1;
    else
        set_info(in, &doc->d);
    if (keep_bytes && c->data) {
        c->data[i] = data;
        c->datalen[i] = len;
    } else {
        free(data);
    }
    return doc;
}

/* -d: one output per input and format. */
static void convert_one(pool *p, size_t i)
{
    conv *c = p->ctx;
    input *in = &p->ins[i];
    if (in->failed) return;
    folio_doc *doc = load(c, in, i, 0);
    if (!doc) return;
    input *list[2] = {in, NULL};
    folio_doc *docs[2] = {doc, NULL};
    arena a = {0};
    folio_book book;
    book_derive(&book, list, 1, c->o, &a);
    folio_image_ctx *images = images_new(c->o);
    for (size_t f = 0; f < c->nplugins; f++) {
        const char *path = in->dest[f];
        if (c->o->update && up_to_date(path, in->path)) {
            in->skipped = 1;
        } else if (run_plugin(c->o, &c->plugins[f], &book, list, docs, 0, NULL,
                              NULL, path, images, &in->dg) == 0) {
            add_output(in, path);
        } else {
            in->out_failed = 1;
        }
        if (in->out_failed && c->o->fail_fast) break;
    }
    folio_image_ctx_free(images);
    arena_free(&a);
    folio_doc_free(doc);
}

/* -o: parse to learn each digest's summary; the plugin re-reads them one at
 * a time, so a year costs the memory of a digest. */
static void summarise(pool *p, size_t i)
{
    conv *c = p->ctx;
    input *in = &p->ins[i];
    int is_stdin = strcmp(in->path, "-") == 0;
    folio_doc *doc = load(c, in, i, is_stdin);
    if (doc &&
        atomic_fetch_add(&c->kept, doc->arena.total) + doc->arena.total <=
            FOLIO_BOOK_CACHE) {
        c->docs[i] = doc;
        return;
    }
    if (doc) atomic_fetch_sub(&c->kept, doc->arena.total);
    folio_doc_free(doc);
}

/* ------------------------------------------------------------ planning */

/* The digest name of an input (parse.c's rule): the file name without
 * .md or .markdown; "stdin" for -. */
static char *name_of(const char *path)
{
    if (strcmp(path, "-") == 0) return strdup("stdin");
    const char *s = strrchr(path, '/');
    s = s ? s + 1 : path;
    size_t n = strlen(s);
    if (n > 3 && strcmp(s + n - 3, ".md") == 0)
        n -= 3;
    else if (n > 9 && strcmp(s + n - 9, ".markdown") == 0)
        n -= 9;
    char *r = strndup(s, n);
    if (!r) folio_oom();
    return r;
}

/* p made absolute with symbolic links resolved as far as it exists; the
 * missing rest is appended as written. */
static char *resolve(const char *p)
{
    char *r = realpath(p, NULL);
    if (r) return r;
    if (!*p || strcmp(p, ".") == 0 || strcmp(p, "/") == 0) return strdup(p);
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        len--;
    const char *slash = NULL;
    for (size_t i = len; i-- > 0;)
        if (p[i] == '/') {
            slash = p + i;
            break;
        }
    char *parent = !slash       ? strdup(".")
                   : slash == p ? strdup("/")
                                : strndup(p, (size_t)(slash - p));
    const char *name = slash ? slash + 1 : p;
    size_t nl = len - (size_t)(name - p);
    char *rp = resolve(parent);
    free(parent);
    if (nl == 0 || (nl == 1 && name[0] == '.')) return rp;
    if (nl == 2 && name[0] == '.' && name[1] == '.') {
        char *s = strrchr(rp, '/');
        if (s && s != rp) *s = 0;
        return rp;
    }
    folio_buf b = {0};
    buf_printf(&b, "%s%s%.*s", rp,
               rp[0] && rp[strlen(rp) - 1] == '/' ? "" : "/", (int)nl, name);
    free(rp);
    return buf_detach(&b);
}

typedef struct planned {
    const char *path; /* as it will be written */
    char *real;       /* resolved */
    struct stat st;   /* when it exists */
    int exists;
    const char *what; /* "the book", "the report" or "the output" */
    const char *of;   /* the input of an output of -d */
} planned;

/* "the output 'out/x.txt' of 'a/x.md'", "the book 'b.txt'" */
static char *describe(const planned *p)
{
    folio_buf b = {0};
    buf_printf(&b, "%s '%s'", p->what, p->path);
    if (p->of) buf_printf(&b, " of '%s'", p->of);
    return buf_detach(&b);
}

static int is_input_like(const char *path)
{
    size_t l = strlen(path);
    return (l > 3 && strcmp(path + l - 3, ".md") == 0) ||
           (l > 9 && strcmp(path + l - 9, ".markdown") == 0);
}

/* Every output of the run (-o/-d files and the report) is checked before
 * anything is written: none may be an input (same inode, or the same
 * resolved path), none may land in a directory given as an input with a
 * name the next run would read, and no two may be the same file.
 * Returns 0, or 2 after one usage error naming both. */
static int check_plan(char **args, size_t nargs, char **files, size_t n,
                      planned *q, size_t nq)
{
    int status = 0;
    struct stat *ist = calloc(n ? n : 1, sizeof *ist);
    char *has = calloc(n ? n : 1, 1);
    char **ireal = calloc(n ? n : 1, sizeof *ireal);
    char **dirs = calloc(nargs ? nargs : 1, sizeof *dirs);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i], "-") == 0) {
            /* stdin redirected from the very file to be written */
            has[i] = fstat(0, &ist[i]) == 0 && S_ISREG(ist[i].st_mode);
        } else {
            has[i] = stat(files[i], &ist[i]) == 0;
            ireal[i] = realpath(files[i], NULL);
        }
    }
    for (size_t k = 0; k < nargs; k++) {
        struct stat st;
        if (strcmp(args[k], "-") != 0 && stat(args[k], &st) == 0 &&
            S_ISDIR(st.st_mode))
            dirs[k] = resolve(args[k]);
    }
    for (size_t k = 0; k < nq && !status; k++) {
        planned *p = &q[k];
        if (strcmp(p->path, "-") == 0) continue;
        p->exists = stat(p->path, &p->st) == 0;
        if (p->exists && !S_ISREG(p->st.st_mode)) continue; /* a device */
        p->real = resolve(p->path);
        for (size_t i = 0; i < n && !status; i++)
            if ((p->exists && has[i] && p->st.st_dev == ist[i].st_dev &&
                 p->st.st_ino == ist[i].st_ino) ||
                (ireal[i] && strcmp(p->real, ireal[i]) == 0)) {
                char *d = describe(p);
                status = usage_error("%s is the input '%s'", d, files[i]);
                free(d);
            }
        const char *slash = strrchr(p->real, '/');
        size_t pl = slash ? (size_t)(slash - p->real) : 0;
        for (size_t d = 0; d < nargs && !status; d++)
            if (dirs[d] && is_input_like(p->real) &&
                ((pl == 0 && strcmp(dirs[d], "/") == 0) ||
                 (strlen(dirs[d]) == pl &&
                  strncmp(dirs[d], p->real, pl) == 0))) {
                char *w = describe(p);
                status = usage_error("%s is in the input directory '%s': "
                                     "the next run would read it as an input",
                                     w, args[d]);
                free(w);
            }
        for (size_t r = 0; r < k && !status; r++) {
            planned *e = &q[r];
            if (!e->real) continue;
            if (strcmp(e->real, p->real) == 0 ||
                (e->exists && p->exists && e->st.st_dev == p->st.st_dev &&
                 e->st.st_ino == p->st.st_ino)) {
                char *x = describe(e), *y = describe(p);
                status = usage_error("%s and %s are the same file", x, y);
                free(x);
                free(y);
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(ireal[i]);
    for (size_t k = 0; k < nargs; k++)
        free(dirs[k]);
    free(ist);
    free(has);
    free(ireal);
    free(dirs);
    return status;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    char *copy = strdup(dir);
    for (char *s = copy + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(copy, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

static void unload_all(conv *c)
{
    for (size_t f = 0; f < c->nplugins; f++) {
        plugin_unload(&c->plugins[f]);
        pthread_mutex_destroy(&c->plugins[f].lock);
    }
    free(c->plugins);
    if (c->book_dest)
        for (size_t f = 0; f < c->nplugins; f++)
            free(c->book_dest[f]);
    free(c->book_dest);
}

int cmd_convert(run_opts *o, char **paths, size_t npaths)
{
    diags gd = {0};
    int status = 0;
    if (!o->output && !o->outdir) o->output = "-";
    if (o->output && o->outdir)
        return usage_error("-o and -d cannot be used together");
    if (o->report && strcmp(o->report, "-") == 0 && o->output &&
        strcmp(o->output, "-") == 0)
        return usage_error("--report - and the output both go to standard "
                           "output; give one of them a file");
    int from_ext = !o->nformats;
    if (!o->nformats) {
        const char *dot = o->output ? strrchr(o->output, '.') : NULL;
        if (!dot || strchr(dot, '/') || !format_name_ok(dot + 1))
            return usage_error("say which formats to write with -t "
                               "(epub, pdf, txt, md)");
        o->formats = malloc(sizeof(char *));
        o->formats[0] = strdup(dot + 1);
        o->nformats = 1;
    }
    for (size_t f = 0; f < o->nformats; f++)
        if (!format_name_ok(o->formats[f]))
            return usage_error("'%s' is not a format name (letters a-z, "
                               "digits and _ only)",
                               o->formats[f]);
    conv c = {.o = o, .book_mode = o->outdir == NULL};
    c.plugins = calloc(o->nformats, sizeof *c.plugins);
    for (size_t f = 0; f < o->nformats; f++) {
        int r = plugin_find(o->formats[f], &c.plugins[f], &gd);
        if (r == 1 && from_ext)
            r = plugin_find_ext(o->formats[f], &c.plugins[f], &gd);
        if (r == 1)
            diag_add(&gd, FOLIO_ERROR, "folio", 0, 0,
                     "unknown format '%s' (see 'folio formats')",
                     o->formats[f]);
        if (r != 0) {
            status = 2;
            break;
        }
        pthread_mutex_init(&c.plugins[f].lock, NULL);
        c.nplugins++;
        if (o->output && strcmp(o->output, "-") == 0 &&
            (c.plugins[f].p->flags & FOLIO_PLUGIN_BINARY) && isatty(1)) {
            diag_add(&gd, FOLIO_ERROR, "folio", 0, 0,
                     "not writing %s to a terminal; use -o FILE",
                     c.plugins[f].p->name);
            status = 2;
        }
    }
    /* -O options for plugins that do not know them. */
    for (size_t k = 0; k < o->noptions && status == 0; k++) {
        option_kv *kv = &o->options[k];
        for (size_t f = 0; f < c.nplugins; f++) {
            const folio_plugin *p = c.plugins[f].p;
            if (strcmp(kv->plugin, p->name) != 0) continue;
            kv->known = 1;
            int ok = 0;
            for (const char *const *q = p->options; q && *q; q += 2)
                ok |= strcmp(*q, kv->key) == 0;
            if (!ok)
                diag_add(&gd, FOLIO_WARNING, "folio", 0, 0,
                         "unknown option -O %s.%s", kv->plugin, kv->key);
        }
        if (!kv->known)
            diag_add(&gd, FOLIO_WARNING, "folio", 0, 0,
                     "option -O %s.%s is for a format not being written",
                     kv->plugin, kv->key);
    }
    char **files = NULL;
    size_t n = status ? 0 : expand(paths, npaths, &files, &gd);
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    if (status == 0 && n == 0) status = usage_error("no input files");

    /* Every output path, planned and checked before anything is written. */
    input *ins = calloc(n ? n : 1, sizeof *ins);
    size_t nq = 0;
    planned *q = calloc(n * c.nplugins + c.nplugins + 2, sizeof *q);
    if (c.book_mode) c.book_dest = calloc(c.nplugins + 1, sizeof *c.book_dest);
    for (size_t f = 0; f < c.nplugins && c.book_mode; f++) {
        c.book_dest[f] = out_path_for(o, NULL, &c.plugins[f], c.nplugins);
        q[nq++] = (planned){.path = c.book_dest[f], .what = "the book"};
    }
    for (size_t i = 0; i < n; i++) {
        ins[i].path = files[i];
        if (c.book_mode) continue;
        char *name = name_of(files[i]);
        ins[i].dest = calloc(c.nplugins + 1, sizeof *ins[i].dest);
        for (size_t f = 0; f < c.nplugins; f++) {
            ins[i].dest[f] = out_path_for(o, name, &c.plugins[f], c.nplugins);
            q[nq++] = (planned){
                .path = ins[i].dest[f], .what = "the output", .of = files[i]};
        }
        free(name);
    }
    if (o->report) q[nq++] = (planned){.path = o->report, .what = "the report"};
    if (status == 0) status = check_plan(paths, npaths, files, n, q, nq);
    for (size_t k = 0; k < nq; k++)
        free(q[k].real);
    free(q);
    /* Plugins check their options once (a bad -O value is one error). */
    for (size_t f = 0; f < c.nplugins && status == 0; f++) {
        diags dg = {0};
        if (init_plugin(o, &c.plugins[f], &dg) != 0) status = 2;
        diags_print(&dg, o->quiet);
        diags_free(&dg);
    }
    if (status == 0 && o->outdir && make_dirs(o->outdir) != 0) {
        diag_add(&gd, FOLIO_ERROR, o->outdir, 0, 0,
                 "cannot create directory: %s", strerror(errno));
        status = 1;
    }
    outfile rep = {.fd = -1, .dirfd = -1};
    if (status == 0 && o->report && out_open(&rep, o->report, &gd) != 0)
        status = 1;
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    if (status) {
        for (size_t i = 0; i < n; i++)
            input_free(&ins[i]);
        free(ins);
        free(files);
        unload_all(&c);
        return status;
    }
    free(files);
    c.data = calloc(n, sizeof *c.data);
    c.datalen = calloc(n, sizeof *c.datalen);
    c.docs = calloc(n + 1, sizeof *c.docs);
    atomic_init(&c.kept, 0);
    pool p = {.n = n,
              .ins = ins,
              .ctx = &c,
              .o = o,
              .fn = c.book_mode ? summarise : convert_one};
    pool_run(&p);

    if (c.book_mode) {
        /* Bind the digests that could be read, in input order. */
        input **list = calloc(n + 1, sizeof *list);
        folio_doc **docs = calloc(n + 1, sizeof *docs);
        const char **data = calloc(n + 1, sizeof *data);
        size_t *datalen = calloc(n + 1, sizeof *datalen);
        size_t k = 0;
        int stop = 0;
        for (size_t i = 0; i < n; i++) {
            stop |= o->fail_fast && ins[i].failed;
            if (!ins[i].failed && ins[i].info.title) {
                data[k] = c.data[i];
                datalen[k] = c.datalen[i];
                docs[k] = c.docs[i];
                c.docs[i] = NULL;
                list[k++] = &ins[i];
            }
        }
        if (k && !stop) {
            arena a = {0};
            folio_book book;
            book_derive(&book, list, k, o, &a);
            folio_image_ctx *images = images_new(o);
            for (size_t f = 0; f < c.nplugins; f++) {
                const char *path = c.book_dest[f];
                int fresh = o->update && strcmp(path, "-") != 0;
                for (size_t i = 0; fresh && i < k; i++)
                    fresh = up_to_date(path, list[i]->path);
                if (fresh) {
                    if (o->verbose) say("%s: up to date", path, NULL);
                } else if (run_plugin(o, &c.plugins[f], &book, list, docs, 1,
                                      data, datalen, path, images, &gd) == 0) {
                    for (size_t i = 0; i < k; i++)
                        add_output(list[i], path);
                    if (o->verbose) say("wrote %s", path, NULL);
                } else {
                    status = 1;
                }
            }
            folio_image_ctx_free(images);
            arena_free(&a);
        } else if (!k) {
            diag_add(&gd, FOLIO_ERROR, "folio", 0, 0,
                     "no digest could be read; nothing written");
        }
        diags_print(&gd, o->quiet);
        for (size_t i = 0; i < k; i++)
            folio_doc_free(docs[i]);
        free(docs);
        free(list);
        free(data);
        free(datalen);
    }
    for (size_t i = 0; i < n; i++)
        if (ins[i].failed || ins[i].out_failed || gd.errors) status = 1;
    if (o->report && report_write(&rep, ins, n, &gd) != 0) status = 1;
    for (size_t i = 0; i < n; i++) {
        free((char *)c.data[i]);
        input_free(&ins[i]);
    }
    for (size_t i = 0; i < n; i++)
        folio_doc_free(c.docs[i]);
    free(c.docs);
    free(c.data);
    free(c.datalen);
    free(ins);
    unload_all(&c);
    diags_free(&gd);
    return status;
}

/* ------------------------------------------------------------ check */

typedef struct seen {
    const char *id; /* arXiv id or URL */
    size_t input;
    int line;
} seen;

typedef struct check_ctx {
    seen **seen; /* per input */
    size_t *nseen;
} check_ctx;

/* A note saying what kind of post the file is. */
static void check_kind(input *in, const folio_digest *d)
{
    size_t linked = 0;
    for (size_t k = 0; k < d->npapers; k++)
        linked += d->papers[k].url || d->papers[k].nlinks;
    if (d->kind == FOLIO_KIND_ARTICLE && d->nsections)
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0, "article, %zu section%s",
                 d->nsections, d->nsections == 1 ? "" : "s");
    else if (d->kind == FOLIO_KIND_PAPER)
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0,
                 "single paper, %zu section%s, link %s", d->papers[0].nsections,
                 d->papers[0].nsections == 1 ? "" : "s",
                 d->papers[0].url ? d->papers[0].url : "none");
    else if (!d->npapers)
        diag_add(&in->dg, FOLIO_WARNING, in->path, 0, 0, "no papers found");
    else
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0,
                 "digest, %zu paper%s, %zu with a link", d->npapers,
                 d->npapers == 1 ? "" : "s", linked);
}

static void check_one(pool *p, size_t i)
{
    check_ctx *cc = p->ctx;
    input *in = &p->ins[i];
    conv c = {0};
    folio_doc *doc = load(&c, in, i, 0);
    if (!doc) return;
    const folio_digest *d = &doc->d;
    if (!d->date)
        diag_add(&in->dg, FOLIO_WARNING, in->path, 0, 0,
                 "no date: give 'date:' in the front matter or name the file "
                 "YYYY-MM-DD-...");
    check_kind(in, d);
    cc->seen[i] = calloc(d->npapers + 1, sizeof(seen));
    for (size_t k = 0; k < d->npapers; k++) {
        const folio_paper *pp = &d->papers[k];
        if (!pp->url && !pp->nlinks) {
            if (d->kind == FOLIO_KIND_PAPER)
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->line, 1,
                         "the paper has no link");
            else
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->line, 1,
                         "paper %d has no link", pp->number);
        }
        const char *id = pp->arxiv_id ? pp->arxiv_id : pp->url;
        if (id) {
            seen *s = &cc->seen[i][cc->nseen[i]++];
            s->id = strdup(id);
            s->input = i;
            s->line = pp->line;
        }
        for (size_t s = 0; s < pp->nsections; s++)
            if (pp->sections[s].role == FOLIO_ROLE_OTHER &&
                pp->sections[s].heading)
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->sections[s].line,
                         1, "unknown section heading '%s'",
                         pp->sections[s].title);
    }
    folio_doc_free(doc);
}

static int by_seen(const void *a, const void *b)
{
    const seen *x = a, *y = b;
    int r = strcmp(x->id, y->id);
    if (r) return r;
    return x->input < y->input ? -1 : x->input > y->input;
}

int cmd_check(run_opts *o, char **paths, size_t npaths)
{
    diags gd = {0};
    char **files = NULL;
    size_t n = expand(paths, npaths, &files, &gd);
    if (!n) {
        diags_print(&gd, o->quiet);
        diags_free(&gd);
        free(files);
        return usage_error("no input files");
    }
    outfile rep = {.fd = -1, .dirfd = -1};
    if (o->report) {
        planned q = {.path = o->report, .what = "the report"};
        int st = check_plan(paths, npaths, files, n, &q, 1);
        free(q.real);
        if (st == 0 && out_open(&rep, o->report, &gd) != 0) st = 1;
        if (st) {
            diags_print(&gd, o->quiet);
            diags_free(&gd);
            list_free(files, n);
            return st;
        }
    }
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    input *ins = calloc(n, sizeof *ins);
    for (size_t i = 0; i < n; i++)
        ins[i].path = files[i];
    free(files);
    check_ctx cc = {calloc(n, sizeof(seen *)), calloc(n, sizeof(size_t))};
    /* Duplicates across days need every input: print at the end. */
    pool p = {
        .n = n, .ins = ins, .ctx = &cc, .o = o, .fn = check_one, .silent = 1};
    size_t total = 0;
    pool_run(&p);
    for (size_t i = 0; i < n; i++)
        total += cc.nseen[i];
    seen *all = calloc(total + 1, sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < cc.nseen[i]; s++)
            all[k++] = cc.seen[i][s];
    qsort(all, total, sizeof *all, by_seen);
    for (size_t s = 1; s < total; s++)
        if (strcmp(all[s].id, all[s - 1].id) == 0 &&
            all[s].input != all[s - 1].input)
            diag_add(&ins[all[s].input].dg, FOLIO_WARNING,
                     ins[all[s].input].path, all[s].line, 1,
                     "paper %s also appears in %s:%d", all[s].id,
                     ins[all[s - 1].input].path, all[s - 1].line);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        diags_print(&ins[i].dg, o->quiet);
        if (ins[i].failed) status = 1;
    }
    if (o->report && report_write(&rep, ins, n, NULL) != 0) status = 1;
    for (size_t s = 0; s < total; s++)
        free((char *)all[s].id);
    free(all);
    for (size_t i = 0; i < n; i++) {
        free(cc.seen[i]);
        input_free(&ins[i]);
    }
    free(cc.seen);
    free(cc.nseen);
    free(ins);
    return status;
}

/* ------------------------------------------------------------ formats, dump */

int cmd_formats(int verbose)
{
    diags dg = {0};
    loaded_plugin *v;
    size_t n = plugin_list(&v, &dg);
    diags_print(&dg, 0);
    for (size_t i = 0; i < n; i++) {
        printf("%-6s %-52s %s\n", v[i].p->name, v[i].p->summary, v[i].path);
        for (const char *const *q = v[i].p->options; verbose && q && q[0];
             q += q[1] ? 2 : 1)
            printf("         -O %s.%s  %s\n", v[i].p->name, q[0],
                   q[1] ? q[1] : "");
        plugin_unload(&v[i]);
    }
    free(v);
    if (!n) fprintf(stderr, "folio: error: no plugins found\n");
    int status = n ? (dg.errors ? 1 : 0) : 1;
    diags_free(&dg);
    return status;
}

int cmd_dump(char **paths, size_t npaths, int positions)
{
    int status = 0;
    for (size_t i = 0; i < npaths; i++) {
        diags dg = {0};
        char *data;
        size_t len;
        folio_doc *doc = NULL;
        if (folio_read_input(paths[i], &data, &len, &dg) == 0) {
            doc = folio_parse(paths[i], data, len, &dg);
            free(data);
        }
        diags_print(&dg, 0);
        diags_free(&dg);
        if (!doc) {
            status = 1;
            continue;
        }
        folio_buf b = {0};
        ir_dump(&b, &doc->d, positions);
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
        folio_doc_free(doc);
    }
    return status;
}

/* ------------------------------------------------------------ fuzzing */

/* Parse data as one digest and run the plugin at plugin_path on it into
 * out.  For the fuzz targets: everything the CLI does for one input,
 * without the CLI.  Returns 0, or -1 with messages in dg. */
int folio_convert_memory(const char *plugin_path, const char *data, size_t len,
                         const char *out, diags *dg)
{
    static loaded_plugin lp;
    static char *loaded;
    if (!loaded || strcmp(loaded, plugin_path) != 0) {
        if (loaded) {
            plugin_unload(&lp);
            free(loaded);
            loaded = NULL;
        }
        if (plugin_load(plugin_path, &lp, dg) != 0) return -1;
        pthread_mutex_init(&lp.lock, NULL);
        loaded = strdup(plugin_path);
    }
    folio_doc *doc = folio_parse("fuzz.md", data, len, dg);
    if (!doc) return -1;
    input in = {.path = (char *)"fuzz.md"};
    set_info(&in, &doc->d);
    input *list[2] = {&in, NULL};
    folio_doc *docs[2] = {doc, NULL};
    run_opts o = {.jobs = 1};
    arena a = {0};
    folio_book book;
    book_derive(&book, list, 1, &o, &a);
    int rc =
        run_plugin(&o, &lp, &book, list, docs, 0, NULL, NULL, out, NULL, dg);
    arena_free(&a);
    in.path = NULL;
    input_free(&in);
    folio_doc_free(doc);
    return rc;
}
