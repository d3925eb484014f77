/* folio convert: plan every output, read the inputs on the worker pool,
 * and run the plugins, one output per input (-d) or one book (-o). */
#include "convert.h"

#include "book.h"
#include "host.h"
#include "image.h"
#include "input.h"
#include "loader.h"
#include "output.h"
#include "plan.h"
#include "pool.h"
#include "report.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct conv {
    run_opts *o;
    loaded_plugin *plugins;
    size_t nplugins;
    int book_mode;
    const char **data; /* kept bytes of stdin inputs */
    size_t *datalen;
    input *ins; /* the inputs */
    size_t n;
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

/* -d: one output per input and format. */
static void convert_one(pool *p, size_t i)
{
    conv *c = p->ctx;
    input *in = &p->ins[i];
    if (in->failed) return;
    folio_doc *doc = input_load(in, NULL, NULL);
    if (!doc) return;
    input *list[2] = {in, NULL};
    folio_doc *docs[2] = {doc, NULL};
    arena a = {0};
    folio_book book;
    book_derive(&book, list, 1, c->o, &a);
    folio_image_ctx *images = host_images_new(c->o);
    for (size_t f = 0; f < c->nplugins; f++) {
        const char *path = in->dest[f];
        if (c->o->update && up_to_date(path, in->path)) {
            in->skipped = 1;
        } else if (host_run_plugin(&(plugin_run){.opts = c->o,
                                                 .lp = &c->plugins[f],
                                                 .book = &book,
                                                 .inputs = list,
                                                 .docs = docs,
                                                 .path = path,
                                                 .images = images,
                                                 .dg = &in->dg}) == 0) {
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
    folio_doc *doc =
        input_load(in, is_stdin ? &c->data[i] : NULL, &c->datalen[i]);
    if (doc &&
        atomic_fetch_add(&c->kept, doc->arena.total) + doc->arena.total <=
            FOLIO_BOOK_CACHE) {
        c->docs[i] = doc;
        return;
    }
    if (doc) atomic_fetch_sub(&c->kept, doc->arena.total);
    folio_doc_free(doc);
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

/* Defaults and the checks that need no plugin: returns 0 or a usage
 * error's status.  Sets *from_ext when the format comes from -o's
 * extension. */
static int convert_args(run_opts *o, int *from_ext)
{
    if (!o->output && !o->outdir) o->output = "-";
    if (o->output && o->outdir)
        return usage_error("-o and -d cannot be used together");
    if (o->report && strcmp(o->report, "-") == 0 && o->output &&
        strcmp(o->output, "-") == 0)
        return usage_error("--report - and the output both go to standard "
                           "output; give one of them a file");
    *from_ext = !o->nformats;
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
    return 0;
}

/* Load the plugin of every format.  Returns 0 or 2. */
static int load_plugins(conv *c, int from_ext, diags *gd)
{
    const run_opts *o = c->o;
    int status = 0;
    c->plugins = calloc(o->nformats, sizeof *c->plugins);
    for (size_t f = 0; f < o->nformats; f++) {
        int r = plugin_find(o->formats[f], &c->plugins[f], gd);
        if (r == 1 && from_ext)
            r = plugin_find_ext(o->formats[f], &c->plugins[f], gd);
        if (r == 1)
            diag_add(gd, FOLIO_ERROR, "folio", 0, 0,
                     "unknown format '%s' (see 'folio formats')",
                     o->formats[f]);
        if (r != 0) {
            status = 2;
            break;
        }
        pthread_mutex_init(&c->plugins[f].lock, NULL);
        c->nplugins++;
        if (o->output && strcmp(o->output, "-") == 0 &&
            (c->plugins[f].p->flags & FOLIO_PLUGIN_BINARY) && isatty(1)) {
            diag_add(gd, FOLIO_ERROR, "folio", 0, 0,
                     "not writing %s to a terminal; use -o FILE",
                     c->plugins[f].p->name);
            status = 2;
        }
    }
    return status;
}

/* Warn of -O options for plugins that do not know them. */
static void check_options(conv *c, diags *gd)
{
    const run_opts *o = c->o;
    for (size_t k = 0; k < o->noptions; k++) {
        option_kv *kv = &o->options[k];
        for (size_t f = 0; f < c->nplugins; f++) {
            const folio_plugin *p = c->plugins[f].p;
            if (strcmp(kv->plugin, p->name) != 0) continue;
            kv->known = 1;
            int ok = 0;
            for (const char *const *q = p->options; q && *q; q += 2)
                ok |= strcmp(*q, kv->key) == 0;
            if (!ok)
                diag_add(gd, FOLIO_WARNING, "folio", 0, 0,
                         "unknown option -O %s.%s", kv->plugin, kv->key);
        }
        if (!kv->known)
            diag_add(gd, FOLIO_WARNING, "folio", 0, 0,
                     "option -O %s.%s is for a format not being written",
                     kv->plugin, kv->key);
    }
}

/* Every output path, planned and checked before anything is written.
 * Returns 0 or 2. */
static int plan_outputs(conv *c, char **paths, size_t npaths, char **files)
{
    const run_opts *o = c->o;
    size_t nq = 0;
    planned *q = calloc(c->n * c->nplugins + c->nplugins + 2, sizeof *q);
    if (c->book_mode)
        c->book_dest = calloc(c->nplugins + 1, sizeof *c->book_dest);
    for (size_t f = 0; f < c->nplugins && c->book_mode; f++) {
        c->book_dest[f] = out_path_for(o, NULL, &c->plugins[f], c->nplugins);
        q[nq++] = (planned){.path = c->book_dest[f], .what = "the book"};
    }
    for (size_t i = 0; i < c->n && !c->book_mode; i++) {
        input *in = &c->ins[i];
        char *name = plan_name_of(in->path);
        in->dest = calloc(c->nplugins + 1, sizeof *in->dest);
        for (size_t f = 0; f < c->nplugins; f++) {
            in->dest[f] = out_path_for(o, name, &c->plugins[f], c->nplugins);
            q[nq++] = (planned){
                .path = in->dest[f], .what = "the output", .of = in->path};
        }
        free(name);
    }
    if (o->report) q[nq++] = (planned){.path = o->report, .what = "the report"};
    int status = plan_check(paths, npaths, files, c->n, q, nq);
    for (size_t k = 0; k < nq; k++)
        free(q[k].real);
    free(q);
    return status;
}

/* Plugins check their options once (a bad -O value is one error); then
 * -d's directory and the report are made.  Returns 0, 1 or 2. */
static int prepare(conv *c, outfile *rep, diags *gd)
{
    const run_opts *o = c->o;
    for (size_t f = 0; f < c->nplugins; f++) {
        diags dg = {0};
        int bad = host_init_plugin(o, &c->plugins[f], &dg) != 0;
        diags_print(&dg, o->quiet);
        diags_free(&dg);
        if (bad) return 2;
    }
    if (o->outdir && plan_make_dirs(o->outdir) != 0) {
        diag_add(gd, FOLIO_ERROR, o->outdir, 0, 0,
                 "cannot create directory: %s", strerror(errno));
        return 1;
    }
    if (o->report && out_open(rep, o->report, gd) != 0) return 1;
    return 0;
}

/* The digests of a book that could be read, in input order. */
typedef struct bound {
    input **list;
    folio_doc **docs;
    const char **data;
    size_t *datalen;
    size_t k;
} bound;

/* -u: the book is newer than every input. */
static int book_fresh(const run_opts *o, const char *path, const bound *b)
{
    int fresh = o->update && strcmp(path, "-") != 0;
    for (size_t i = 0; fresh && i < b->k; i++)
        fresh = up_to_date(path, b->list[i]->path);
    return fresh;
}

/* Write the book in every format.  Returns 0 or 1. */
static int write_formats(conv *c, const bound *b, diags *gd)
{
    const run_opts *o = c->o;
    int status = 0;
    arena a = {0};
    folio_book book;
    book_derive(&book, b->list, b->k, o, &a);
    folio_image_ctx *images = host_images_new(o);
    for (size_t f = 0; f < c->nplugins; f++) {
        const char *path = c->book_dest[f];
        plugin_run r = {.opts = o,
                        .lp = &c->plugins[f],
                        .book = &book,
                        .inputs = b->list,
                        .docs = b->docs,
                        .docs_on_loan = 1,
                        .data = b->data,
                        .datalen = b->datalen,
                        .path = path,
                        .images = images,
                        .dg = gd};
        if (book_fresh(o, path, b)) {
            if (o->verbose) pool_say("%s: up to date", path, NULL);
        } else if (host_run_plugin(&r) == 0) {
            for (size_t i = 0; i < b->k; i++)
                add_output(b->list[i], path);
            if (o->verbose) pool_say("wrote %s", path, NULL);
        } else {
            status = 1;
        }
    }
    folio_image_ctx_free(images);
    arena_free(&a);
    return status;
}

/* Book mode, after every input was summarised.  Returns 0 or 1. */
static int write_book(conv *c, diags *gd)
{
    size_t n = c->n;
    bound b = {calloc(n + 1, sizeof *b.list), calloc(n + 1, sizeof *b.docs),
               calloc(n + 1, sizeof *b.data), calloc(n + 1, sizeof *b.datalen),
               0};
    int stop = 0, status = 0;
    for (size_t i = 0; i < n; i++) {
        input *in = &c->ins[i];
        stop |= c->o->fail_fast && in->failed;
        if (!in->failed && in->info.title) {
            b.data[b.k] = c->data[i];
            b.datalen[b.k] = c->datalen[i];
            b.docs[b.k] = c->docs[i];
            c->docs[i] = NULL;
            b.list[b.k++] = in;
        }
    }
    if (b.k && !stop)
        status = write_formats(c, &b, gd);
    else if (!b.k)
        diag_add(gd, FOLIO_ERROR, "folio", 0, 0,
                 "no digest could be read; nothing written");
    diags_print(gd, c->o->quiet);
    for (size_t i = 0; i < b.k; i++)
        folio_doc_free(b.docs[i]);
    free(b.docs);
    free(b.list);
    free(b.data);
    free(b.datalen);
    return status;
}

static void convert_free(conv *c)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->data) free((char *)c->data[i]);
        input_free(&c->ins[i]);
        if (c->docs) folio_doc_free(c->docs[i]);
    }
    free(c->docs);
    free(c->data);
    free(c->datalen);
    free(c->ins);
    unload_all(c);
}

int cmd_convert(run_opts *o, char **paths, size_t npaths)
{
    int from_ext = 0;
    int status = convert_args(o, &from_ext);
    if (status) return status;
    diags gd = {0};
    conv c = {.o = o, .book_mode = o->outdir == NULL};
    status = load_plugins(&c, from_ext, &gd);
    if (status == 0) check_options(&c, &gd);
    char **files = NULL;
    c.n = status ? 0 : input_expand(paths, npaths, &files, &gd);
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    if (status == 0 && c.n == 0) status = usage_error("no input files");
    c.ins = calloc(c.n ? c.n : 1, sizeof *c.ins);
    for (size_t i = 0; i < c.n; i++)
        c.ins[i].path = files[i];
    if (status == 0) status = plan_outputs(&c, paths, npaths, files);
    free(files);
    outfile rep = {.fd = -1, .dirfd = -1};
    if (status == 0) status = prepare(&c, &rep, &gd);
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    if (status) {
        convert_free(&c);
        return status;
    }
    c.data = calloc(c.n, sizeof *c.data);
    c.datalen = calloc(c.n, sizeof *c.datalen);
    c.docs = calloc(c.n + 1, sizeof *c.docs);
    atomic_init(&c.kept, 0);
    pool p = {.n = c.n,
              .ins = c.ins,
              .ctx = &c,
              .o = o,
              .fn = c.book_mode ? summarise : convert_one};
    pool_run(&p);
    if (c.book_mode) status = write_book(&c, &gd);
    for (size_t i = 0; i < c.n; i++)
        if (c.ins[i].failed || c.ins[i].out_failed || gd.errors) status = 1;
    if (o->report && report_write(&rep, c.ins, c.n, &gd) != 0) status = 1;
    convert_free(&c);
    diags_free(&gd);
    return status;
}
