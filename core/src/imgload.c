/* The per-book image context: each file read and validated once, however
 * many posts, references and threads ask for it (image.h). */
#include "fetch.h"
#include "image.h"
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry {
    struct entry *next;
    char *key; /* real path or URL */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    int done; /* 0 while a thread loads it */
    int rc;   /* FOLIO_IMAGE_OK or _ERROR */
    char msg[256];
    unsigned char *data;
    char *path;
    folio_image img;
};

struct folio_image_ctx {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    folio_image_opts opts;
    char *resource_path, *cache_dir;
    struct entry *head;
    size_t total; /* bytes of files held (or reserved while loading) */
    folio_image_stats st;
};

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) abort();
    return p;
}

folio_image_ctx *folio_image_ctx_new(const folio_image_opts *opts)
{
    folio_image_ctx *c = calloc(1, sizeof *c);
    if (!c) abort();
    if (opts) c->opts = *opts;
    if (!c->opts.max_bytes) c->opts.max_bytes = FOLIO_IMAGE_MAX_BYTES;
    if (!c->opts.max_pixels) c->opts.max_pixels = FOLIO_IMAGE_MAX_PIXELS;
    if (!c->opts.max_total) c->opts.max_total = FOLIO_IMAGE_MAX_TOTAL;
    if (c->opts.resource_path)
        c->resource_path = xstrdup(c->opts.resource_path);
    if (c->opts.cache_dir) c->cache_dir = xstrdup(c->opts.cache_dir);
    c->opts.resource_path = c->resource_path;
    c->opts.cache_dir = c->cache_dir;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    return c;
}

void folio_image_ctx_free(folio_image_ctx *c)
{
    if (!c) return;
    for (struct entry *e = c->head, *next; e; e = next) {
        next = e->next;
        free(e->key);
        free(e->data);
        free(e->path);
        free(e);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c->resource_path);
    free(c->cache_dir);
    free(c);
}

void folio_image_ctx_stats(folio_image_ctx *c, folio_image_stats *st)
{
    pthread_mutex_lock(&c->mu);
    *st = c->st;
    st->bytes_held = c->total;
    pthread_mutex_unlock(&c->mu);
}

/* Reserve n bytes of the book's total; 0 or -1 when over. */
static int reserve(folio_image_ctx *c, size_t n)
{
    pthread_mutex_lock(&c->mu);
    int ok = n <= c->opts.max_total - c->total;
    if (ok) c->total += n;
    pthread_mutex_unlock(&c->mu);
    return ok ? 0 : -1;
}

static void unreserve(folio_image_ctx *c, size_t n)
{
    pthread_mutex_lock(&c->mu);
    c->total -= n;
    pthread_mutex_unlock(&c->mu);
}

/* Read a whole regular file of at most max bytes; the size is checked
 * before anything is allocated (a sparse 1 TB file costs nothing). */
static int read_file(folio_image_ctx *c, const char *path, unsigned char **out,
                     size_t *len, char *msg, size_t msgsz)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, msgsz, "cannot be read: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, msgsz, "not a regular file");
        close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    if ((uint64_t)st.st_size > c->opts.max_bytes) {
        snprintf(msg, msgsz, "%lld bytes is over the limit of %zu bytes",
                 (long long)st.st_size, c->opts.max_bytes);
        close(fd);
        return -1;
    }
    if (reserve(c, size) != 0) {
        snprintf(msg, msgsz, "the book's images exceed %zu bytes in total",
                 c->opts.max_total);
        close(fd);
        return -1;
    }
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) abort();
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, buf + got, size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    int err = got < size ? errno : 0;
    close(fd);
    if (got < size) {
        snprintf(msg, msgsz, "cannot be read: %s",
                 err ? strerror(err) : "it shrank while being read");
        free(buf);
        unreserve(c, size);
        return -1;
    }
    *out = buf;
    *len = size;
    return 0;
}

static int same_id(const struct entry *e, const struct stat *st)
{
    if (!st) return 1;
    return e->dev == st->st_dev && e->ino == st->st_ino &&
           e->size == st->st_size && e->mtime.tv_sec == st->st_mtim.tv_sec &&
           e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Fill e (not yet visible to other threads' readers until done). */
static void load_entry(folio_image_ctx *c, struct entry *e, int remote)
{
    char m[256];
    const char *file = e->key;
    char *fetched_path = NULL;
    if (remote) {
        folio_fetch_opts fo = {
            .cache_dir = c->opts.cache_dir,
            .allow_http = c->opts.allow_http,
            .connect_timeout_ms = c->opts.connect_timeout_ms,
            .timeout_ms = c->opts.timeout_ms,
            .max_bytes = c->opts.max_bytes,
        };
        int net = 0;
        if (folio_fetch(&fo, e->key, &fetched_path, &net, m, sizeof m) != 0) {
            e->rc = FOLIO_IMAGE_ERROR;
            snprintf(e->msg, sizeof e->msg, "%s", m);
            return;
        }
        if (net) {
            pthread_mutex_lock(&c->mu);
            c->st.fetched++;
            pthread_mutex_unlock(&c->mu);
        }
        file = fetched_path;
    }
    unsigned char *data;
    size_t len;
    if (read_file(c, file, &data, &len, m, sizeof m) != 0) {
        e->rc = FOLIO_IMAGE_ERROR;
        snprintf(e->msg, sizeof e->msg, "%s", m);
        free(fetched_path);
        return;
    }
    pthread_mutex_lock(&c->mu);
    c->st.files_read++;
    pthread_mutex_unlock(&c->mu);
    if (folio_image_probe(data, len, c->opts.max_pixels, &e->img, m,
                          sizeof m) != 0) {
        e->rc = FOLIO_IMAGE_ERROR;
        snprintf(e->msg, sizeof e->msg, "%s", m);
        free(data);
        unreserve(c, len);
        /* A fetched page that is no image is not kept for next time. */
        if (remote) unlink(fetched_path);
        free(fetched_path);
        return;
    }
    e->data = data;
    e->path = fetched_path ? fetched_path : xstrdup(file);
    e->img.data = e->data;
    e->img.path = e->path;
    e->rc = FOLIO_IMAGE_OK;
}

/* The entry for key (a real path with its stat, or a URL with st NULL),
 * loaded once: a second caller waits for the first. */
static struct entry *get_entry(folio_image_ctx *c, const char *key,
                               const struct stat *st)
{
    pthread_mutex_lock(&c->mu);
    struct entry *e;
    for (e = c->head; e; e = e->next)
        if (strcmp(e->key, key) == 0 && same_id(e, st)) break;
    if (e) {
        while (!e->done)
            pthread_cond_wait(&c->cv, &c->mu);
        c->st.hits++;
        pthread_mutex_unlock(&c->mu);
        return e;
    }
    e = calloc(1, sizeof *e);
    if (!e) abort();
    e->key = xstrdup(key);
    if (st) {
        e->dev = st->st_dev, e->ino = st->st_ino, e->size = st->st_size;
        e->mtime = st->st_mtim;
    }
    e->next = c->head;
    c->head = e;
    pthread_mutex_unlock(&c->mu);

    load_entry(c, e, st == NULL);

    pthread_mutex_lock(&c->mu);
    e->done = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return e;
}

/* The result for one reference: the entry's, plus a warning when the
 * name claims another type than the bytes. */
static int finish(const struct entry *e, const char *shown, const char *name,
                  folio_image *out, char *msg, size_t msgsz)
{
    if (e->rc != FOLIO_IMAGE_OK) {
        snprintf(msg, msgsz, "%s: %s", shown, e->msg);
        return FOLIO_IMAGE_ERROR;
    }
    *out = e->img;
    int claimed = folio_image_type_from_name(name);
    if (claimed != FOLIO_IMAGE_UNKNOWN && claimed != e->img.type)
        snprintf(msg, msgsz,
                 "%s: the file is a %s image, not %s as its name says; "
                 "used as %s",
                 shown, folio_image_type_name(e->img.type),
                 folio_image_type_name(claimed),
                 folio_image_type_name(e->img.type));
    return FOLIO_IMAGE_OK;
}

static int load_local(folio_image_ctx *c, const char *real, const char *shown,
                      folio_image *out, char *msg, size_t msgsz)
{
    struct stat st;
    if (stat(real, &st) != 0) {
        snprintf(msg, msgsz, "%s: cannot be read: %s", shown, strerror(errno));
        return FOLIO_IMAGE_ERROR;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(msg, msgsz, "%s: not a regular file", shown);
        return FOLIO_IMAGE_ERROR;
    }
    struct entry *e = get_entry(c, real, &st);
    return finish(e, shown, real, out, msg, msgsz);
}

int folio_image_load(folio_image_ctx *c, const char *post_path, const char *ref,
                     folio_image *out, char *msg, size_t msgsz)
{
    char m[512], *where;
    memset(out, 0, sizeof *out);
    if (msgsz) msg[0] = 0;
    int r = folio_ref_resolve(post_path, ref, c->opts.resource_path, &where, m,
                              sizeof m);
    if (r == FOLIO_REF_ERROR) {
        snprintf(msg, msgsz, "%s: %s", ref, m);
        return FOLIO_IMAGE_ERROR;
    }
    if (r == FOLIO_REF_REMOTE) {
        if (!c->opts.fetch) {
            free(where);
            return FOLIO_IMAGE_REMOTE;
        }
        struct entry *e = get_entry(c, where, NULL);
        /* The name is the URL's path, without query or fragment. */
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(where, "?#"), where);
        const char *slash = strrchr(name, '/');
        int rr =
            finish(e, ref, slash && slash[1] ? slash + 1 : "", out, msg, msgsz);
        free(where);
        return rr;
    }
    int rr = load_local(c, where, ref, out, msg, msgsz);
    free(where);
    return rr;
}

int folio_image_load_path(folio_image_ctx *c, const char *path,
                          folio_image *out, char *msg, size_t msgsz)
{
    memset(out, 0, sizeof *out);
    if (msgsz) msg[0] = 0;
    char *real = realpath(path, NULL);
    if (!real) {
        snprintf(msg, msgsz, "%s: %s", path,
                 errno == ENOENT ? "not found" : strerror(errno));
        return FOLIO_IMAGE_ERROR;
    }
    int r = load_local(c, real, path, out, msg, msgsz);
    free(real);
    return r;
}
