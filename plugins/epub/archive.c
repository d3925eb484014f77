/* archive.c - the zip: members deflated as they are written (zstream)
 * into temporary files that have no name (unlinked from the start: nothing
 * is left behind by a kill, nothing can be swapped in under them), handed
 * to libzip as slices of those files (piece), and the archive written
 * straight into the host's output, opened once (sink).  Same inputs give
 * the same bytes: fixed names, order, times and modes. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "epub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fail(epub *e, const char *fmt, const char *arg)
{
    e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, fmt, arg);
    return -1;
}

static int zfail(epub *e, const char *what)
{
    e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, "%s: %s", what,
                 e->z ? zip_strerror(e->z) : "libzip error");
    return -1;
}

/* Add (idx < 0) or replace an entry, with fixed time, mode and method.
 * PREDEFLATED data keeps libzip's default method, so it is copied as is. */
static int entry(epub *e, const char *name, zip_source_t *src, int how,
                 zip_int64_t idx, zip_int64_t *out)
{
    if (!src) return zfail(e, name);
    if (idx < 0)
        idx = zip_file_add(e->z, name, src, ZIP_FL_ENC_UTF_8);
    else if (zip_file_replace(e->z, (zip_uint64_t)idx, src, 0) < 0)
        idx = -1;
    if (idx < 0) {
        zip_source_free(src);
        return zfail(e, name);
    }
    zip_uint64_t i = (zip_uint64_t)idx;
    if ((how != PREDEFLATED &&
         zip_set_file_compression(e->z, i,
                                  how == STORED ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                  how == STORED ? 0 : ZLEVEL)) ||
        zip_file_set_mtime(e->z, i, e->mtime, 0) ||
        zip_file_set_external_attributes(e->z, i, 0, ZIP_OPSYS_UNIX,
                                         0100644u << 16))
        return zfail(e, name);
    if (out) *out = idx;
    return 0;
}

int add_buf(epub *e, const char *name, const folio_buf *b, int how,
            zip_int64_t idx, zip_int64_t *out)
{
    return entry(e, name, zip_source_buffer(e->z, b->data, b->len, 0), how, idx,
                 out);
}

int add_text(epub *e, const char *name, const char *s, int how)
{
    return entry(e, name, zip_source_buffer(e->z, s, strlen(s), 0), how, -1,
                 NULL);
}

/* A temporary file without a name, in $TMPDIR or /tmp: O_TMPFILE where
 * the file system has it, else mkstemp and unlink at once.  Only its
 * descriptor is ever used. */
static FILE *tmp_open(epub *e)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    int fd = -1, err = 0;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd < 0) {
        folio_buf p = {0};
        e->h->buf_printf(&p, "%s/folio-epub-XXXXXX", dir);
        fd = mkstemp(p.data);
        err = errno;
        if (fd >= 0) unlink(p.data);
        e->h->buf_free(&p);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (!f) {
        if (fd >= 0) {
            err = errno;
            close(fd);
        }
        fail(e, "cannot create a temporary file: %s", strerror(err));
    }
    return f;
}

/* Start a raw deflate stream into a temporary file (tofile), or into
 * memory. */
int z_open(epub *e, zstream *s, int tofile)
{
    if (tofile && !(s->f = tmp_open(e))) return -1;
    if (!(s->out = malloc(ZOUT)) ||
        deflateInit2(&s->zs, ZLEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK)
        return fail(e, "%s", "cannot start compressing: out of memory");
    s->ready = 1;
    s->crc = crc32(0, NULL, 0);
    return 0;
}

static void z_close(epub *e, zstream *s)
{
    if (s->ready) deflateEnd(&s->zs);
    if (s->f) fclose(s->f);
    free(s->out);
    e->h->buf_free(&s->mem);
    memset(s, 0, sizeof *s);
}

/* Start the next member of a stream. */
static void z_next(zstream *s)
{
    deflateReset(&s->zs);
    s->start = s->written;
    s->size = 0;
    s->crc = crc32(0, NULL, 0);
}

/* Compress len bytes with flush Z_NO_FLUSH, Z_SYNC_FLUSH or Z_FINISH.
 * Reports nothing (the documents' thread runs it): 0 or an errno value,
 * EINVAL for zlib's refusal. */
static int z_run(const folio_host *h, zstream *s, const char *data, size_t len,
                 int flush)
{
    z_stream *zs = &s->zs;
    s->crc = crc32_z(s->crc, (const Bytef *)data, len);
    s->size += len;
    for (;;) {
        if (zs->avail_in == 0 && len) {
            uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
            zs->next_in = (Bytef *)data;
            zs->avail_in = chunk;
            data += chunk;
            len -= chunk;
        }
        zs->next_out = s->out;
        zs->avail_out = ZOUT;
        int last = len == 0;
        int rc = deflate(zs, last ? flush : Z_NO_FLUSH);
        size_t have = ZOUT - zs->avail_out;
        if (rc == Z_STREAM_ERROR) return EINVAL;
        if (s->f ? fwrite(s->out, 1, have, s->f) != have
                 : (h->buf_put(&s->mem, s->out, have), 0))
            return errno ? errno : EIO;
        s->written += have;
        /* Done when the input is in and deflate has room to spare. */
        if (last && zs->avail_in == 0 && zs->avail_out != 0) return 0;
    }
}

static int z_failed(epub *e, int err)
{
    if (err == EINVAL) return fail(e, "%s", "cannot compress a document");
    return fail(e, "cannot write a temporary file: %s", strerror(err));
}

static int z_put(epub *e, zstream *s, const char *data, size_t len, int flush)
{
    int err = z_run(e->h, s, data, len, flush);
    return err ? z_failed(e, err) : 0;
}

int z_buf(epub *e, zstream *s, folio_buf *b, int flush)
{
    int rc = z_put(e, s, b->data ? b->data : "", b->len, flush);
    b->len = 0;
    return rc;
}

static int z_deflate(zworker *w)
{
    int err = z_run(w->e->h, &w->s, w->in.data ? w->in.data : "", w->in.len,
                    Z_FINISH);
    w->in.len = 0;
    return err;
}

static void *z_thread(void *arg)
{
    zworker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->cv, &w->lock);
        if (!w->busy) break;
        pthread_mutex_unlock(&w->lock);
        int err = z_deflate(w);
        pthread_mutex_lock(&w->lock);
        if (err && !w->err) w->err = err;
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int z_docs_start(epub *e)
{
    for (int k = 0; k < NDEFLATE; k++) {
        zworker *w = &e->zw[k];
        w->e = e;
        if (z_open(e, &w->s, 1)) return -1;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->cv, NULL);
        w->started =
            pthread_create(&w->thread, NULL, z_thread, w) == 0 ? 1 : -1;
    }
    return 0;
}

/* Wait until w is idle, then add its finished document. */
static int z_settle(epub *e, zworker *w)
{
    if (w->started == 1) {
        pthread_mutex_lock(&w->lock);
        while (w->busy)
            pthread_cond_wait(&w->cv, &w->lock);
        pthread_mutex_unlock(&w->lock);
    }
    if (w->err) return z_failed(e, w->err);
    if (!w->name.len) return 0;
    int rc = z_add(e, &w->s, w->name.data, -1, NULL);
    w->name.len = 0;
    return rc;
}

int z_doc(epub *e, folio_buf *b, const char *name)
{
    zworker *w = &e->zw[e->ndocs++ % NDEFLATE];
    if (z_settle(e, w)) return -1;
    z_next(&w->s);
    folio_buf t = w->in; /* empty: the thread is idle */
    w->in = *b;
    *b = t;
    e->h->buf_puts(&w->name, name);
    if (w->started != 1) return (w->err = z_deflate(w)) ? z_settle(e, w) : 0;
    pthread_mutex_lock(&w->lock);
    w->busy = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

int z_docs_end(epub *e)
{
    for (size_t k = 0; k < NDEFLATE; k++) /* the oldest first */
        if (z_settle(e, &e->zw[(e->ndocs + k) % NDEFLATE])) return -1;
    return 0;
}

static void z_stop(epub *e)
{
    for (int k = 0; k < NDEFLATE; k++) {
        zworker *w = &e->zw[k];
        if (w->started == 1) {
            pthread_mutex_lock(&w->lock);
            w->quit = 1;
            pthread_cond_broadcast(&w->cv);
            pthread_mutex_unlock(&w->lock);
            pthread_join(w->thread, NULL);
        }
        if (w->started) {
            pthread_mutex_destroy(&w->lock);
            pthread_cond_destroy(&w->cv);
        }
        z_close(e, &w->s);
        e->h->buf_free(&w->in);
        e->h->buf_free(&w->name);
        memset(w, 0, sizeof *w);
    }
}

/* One member, as libzip reads it at zip_close: `head` (compressed, in
 * memory, may be empty) then a slice of a stream's file. */
typedef struct piece {
    int fd;
    off_t off;
    zip_uint64_t clen, size, pos;
    unsigned char *head;
    zip_uint64_t hlen;
    zip_uint32_t crc;
    time_t mtime;
    zip_error_t err;
} piece;

static zip_int64_t piece_cb(void *ud, void *data, zip_uint64_t len,
                            zip_source_cmd_t cmd)
{
    piece *p = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        p->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        if (p->pos < p->hlen) {
            zip_uint64_t n = p->hlen - p->pos < len ? p->hlen - p->pos : len;
            memcpy(data, p->head + p->pos, n);
            p->pos += n;
            return (zip_int64_t)n;
        }
        zip_uint64_t at = p->pos - p->hlen;
        zip_uint64_t n = p->clen - at < len ? p->clen - at : len;
        ssize_t got = n ? pread(p->fd, data, n, p->off + (off_t)at) : 0;
        if (got < 0 || (n && got == 0)) {
            zip_error_set(&p->err, ZIP_ER_READ, got < 0 ? errno : EIO);
            return -1;
        }
        p->pos += (zip_uint64_t)got;
        return got;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        if (len < sizeof(zip_stat_t)) {
            zip_error_set(&p->err, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = p->size;
        st->comp_size = p->hlen + p->clen;
        st->crc = p->crc;
        st->comp_method = ZIP_CM_DEFLATE;
        st->mtime = p->mtime;
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC |
                    ZIP_STAT_COMP_METHOD | ZIP_STAT_MTIME;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&p->err, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&p->err);
        free(p->head);
        free(p);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&p->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* Add (idx < 0) or fill in the member just finished in s, after `head`
 * (another stream's finished bytes in memory) when given. */
int z_add(epub *e, zstream *s, const char *name, zip_int64_t idx,
          const zstream *head)
{
    /* Written through: libzip reads the file with pread. */
    if (fflush(s->f))
        return fail(e, "cannot write a temporary file: %s", strerror(errno));
    piece *p = calloc(1, sizeof *p);
    if (!p) return fail(e, "%s", "out of memory");
    zip_error_init(&p->err);
    p->fd = fileno(s->f);
    p->off = (off_t)s->start;
    p->clen = s->written - s->start;
    p->size = s->size;
    p->crc = (zip_uint32_t)s->crc;
    p->mtime = e->mtime;
    if (head && head->mem.len) {
        p->head = malloc(head->mem.len);
        if (!p->head) {
            free(p);
            return fail(e, "%s", "out of memory");
        }
        memcpy(p->head, head->mem.data, head->mem.len);
        p->hlen = head->mem.len;
        p->size += head->size;
        p->crc =
            (zip_uint32_t)crc32_combine(head->crc, s->crc, (z_off_t)s->size);
    }
    zip_source_t *src = zip_source_function(e->z, piece_cb, p);
    if (!src) {
        zip_error_fini(&p->err);
        free(p->head);
        free(p);
    }
    return entry(e, name, src, PREDEFLATED, idx, NULL);
}

/* Close the streams: their files go with them. */
void cleanup(epub *e)
{
    z_stop(e);
    z_close(e, &e->navz);
    z_close(e, &e->ncxz);
    z_close(e, &e->ncxhead);
}

/* The archive itself goes straight into the host's temporary output (the
 * host renames it into place, or deletes it), rather than into a second
 * temporary file that libzip would name, create and rename beside it.  The
 * path is opened once, before libzip starts; every write and the close
 * are checked. */
typedef struct sink {
    int fd;
    zip_error_t err;
} sink;

static zip_int64_t sink_cb(void *ud, void *data, zip_uint64_t len,
                           zip_source_cmd_t cmd)
{
    sink *s = ud;
    switch (cmd) {
    case ZIP_SOURCE_STAT: /* nothing to read: a new archive */
        zip_error_set(&s->err, ZIP_ER_READ, ENOENT);
        return -1;
    case ZIP_SOURCE_BEGIN_WRITE:
        if (s->fd < 0 || ftruncate(s->fd, 0) != 0 ||
            lseek(s->fd, 0, SEEK_SET) != 0) {
            zip_error_set(&s->err, ZIP_ER_OPEN, s->fd < 0 ? EBADF : errno);
            return -1;
        }
        return 0;
    case ZIP_SOURCE_WRITE:
        for (zip_uint64_t done = 0; done < len;) {
            ssize_t n = write(s->fd, (const char *)data + done, len - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                zip_error_set(&s->err, ZIP_ER_WRITE, n < 0 ? errno : EIO);
                return -1;
            }
            done += (zip_uint64_t)n;
        }
        return (zip_int64_t)len;
    case ZIP_SOURCE_SEEK_WRITE: {
        zip_source_args_seek_t *a =
            ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &s->err);
        if (!a) return -1;
        if (lseek(s->fd, (off_t)a->offset, a->whence) < 0) {
            zip_error_set(&s->err, ZIP_ER_SEEK, errno);
            return -1;
        }
        return 0;
    }
    case ZIP_SOURCE_TELL_WRITE: {
        off_t at = lseek(s->fd, 0, SEEK_CUR);
        if (at < 0) zip_error_set(&s->err, ZIP_ER_TELL, errno);
        return at < 0 ? -1 : (zip_int64_t)at;
    }
    case ZIP_SOURCE_COMMIT_WRITE: {
        int rc = close(s->fd);
        s->fd = -1;
        if (rc) zip_error_set(&s->err, ZIP_ER_WRITE, errno);
        return rc ? -1 : 0;
    }
    case ZIP_SOURCE_ROLLBACK_WRITE:
    case ZIP_SOURCE_REMOVE: /* the host deletes what it gave */
        return 0;
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->err, data, len);
    case ZIP_SOURCE_FREE:
        if (s->fd >= 0) close(s->fd);
        zip_error_fini(&s->err);
        free(s);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_WRITABLE;
    default:
        zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

int open_archive(epub *e, const char *path)
{
    zip_error_t ze;
    zip_error_init(&ze);
    sink *s = calloc(1, sizeof *s);
    zip_source_t *src = NULL;
    int err = ENOMEM;
    if (s) {
        zip_error_init(&s->err);
        s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        err = s->fd < 0 ? errno : 0;
        src = s->fd >= 0 ? zip_source_function_create(sink_cb, s, &ze) : NULL;
        if (!src) {
            if (s->fd >= 0) close(s->fd);
            zip_error_fini(&s->err);
            free(s);
            s = NULL;
        }
    }
    if (src) e->z = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (src && !e->z) zip_source_free(src);
    if (!e->z)
        e->h->report(e->job, FOLIO_ERROR, NULL, 0, 0, "cannot create EPUB: %s",
                     err ? strerror(err) : zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return e->z ? 0 : -1;
}

/* Zip entries hold local wall-clock times (libzip converts with
 * localtime): shift the instant so that the fields read it in UTC, giving
 * the same bytes in every time zone.  DOS times run from 1980 to 2107. */
/* Write the archive: libzip copies every member into the output. */
int close_archive(epub *e)
{
    if (zip_close(e->z) != 0) return zfail(e, "cannot write EPUB");
    e->z = NULL;
    return 0;
}

time_t zip_time(long long t)
{
    t = t < 315705600LL ? 315705600LL : t > 4354646400LL ? 4354646400LL : t;
    time_t u = (time_t)t;
    struct tm lt;
    for (int i = 0; i < 2; i++) /* twice: the offset at the shifted time */
        if (localtime_r(&u, &lt)) u = (time_t)t - lt.tm_gmtoff;
    return u;
}
