/* Safe outputs: everything goes to a temporary file in the target
 * directory and is renamed into place only when complete, so a failure or
 * a kill never leaves a partial file nor destroys the previous one. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int out_open(outfile *o, const char *final, diags *dg)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->final = strdup(final);
    struct stat st;
    if (strcmp(final, "-") != 0 && stat(final, &st) == 0 &&
        !S_ISREG(st.st_mode)) {
        /* /dev/null, a FIFO, a terminal: never rename over it; write to it
         * (a path-writing plugin gets a spool, copied in at the end). */
        if (S_ISDIR(st.st_mode)) {
            diag_add(dg, FOLIO_ERROR, final, 0, 0, "is a directory");
            out_discard(o);
            return -1;
        }
        o->device = open(final, O_WRONLY | O_CLOEXEC);
        if (o->device < 0) {
            diag_add(dg, FOLIO_ERROR, final, 0, 0, "cannot open: %s",
                     strerror(errno));
            o->device = 0;
            out_discard(o);
            return -1;
        }
        o->to_stdout = 1;
    }
    if (o->to_stdout || strcmp(final, "-") == 0) {
        /* stdout: stream directly; a path-writing plugin gets a spool. */
        o->to_stdout = 1;
        const char *tmpdir = getenv("TMPDIR");
        folio_buf b = {0};
        buf_printf(&b, "%s/folio-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
        o->tmp = buf_detach(&b);
    } else {
        const char *slash = strrchr(final, '/');
        folio_buf b = {0};
        if (slash) buf_put(&b, final, (size_t)(slash - final) + 1);
        buf_printf(&b, ".%s.XXXXXX", slash ? slash + 1 : final);
        o->tmp = buf_detach(&b);
    }
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        diag_add(dg, FOLIO_ERROR, final, 0, 0, "cannot create output: %s",
                 strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        out_discard(o);
        return -1;
    }
    return 0;
}

static int raw_write(outfile *o, const void *buf, size_t len, diags *dg)
{
    const char *p = buf;
    if (o->failed) return -1;
    int fd =
        o->to_stdout && !o->spool ? (o->device > 0 ? o->device : 1) : o->fd;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            diag_add(dg, FOLIO_ERROR, o->final, 0, 0, "cannot write: %s",
                     strerror(errno));
            o->failed = 1;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Plugins write in small pieces: gather them. */
int out_write(outfile *o, const void *buf, size_t len, diags *dg)
{
    if (o->failed) return -1;
    buf_put(&o->pending, buf, len);
    if (o->pending.len < 65536) return 0;
    int rc = raw_write(o, o->pending.data, o->pending.len, dg);
    o->pending.len = 0;
    return rc;
}

static int out_flush(outfile *o, diags *dg)
{
    int rc = o->pending.len ? raw_write(o, o->pending.data, o->pending.len, dg)
                            : (o->failed ? -1 : 0);
    buf_free(&o->pending);
    return rc;
}

/* Copy a spooled file to stdout. */
static int copy_to_stdout(outfile *o, diags *dg)
{
    int fd = open(o->tmp, O_RDONLY);
    if (fd < 0) return -1;
    char b[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(fd, b, sizeof b)) > 0) {
        o->spool = 0;
        if (raw_write(o, b, (size_t)n, dg)) {
            rc = -1;
            break;
        }
    }
    close(fd);
    return rc;
}

int out_commit(outfile *o, diags *dg)
{
    int rc = out_flush(o, dg);
    if (o->fd >= 0 && close(o->fd) != 0 && rc == 0) {
        diag_add(dg, FOLIO_ERROR, o->final, 0, 0, "cannot write: %s",
                 strerror(errno));
        rc = -1;
    }
    o->fd = -1;
    if (rc == 0 && o->to_stdout) {
        if (o->spool) rc = copy_to_stdout(o, dg);
        unlink(o->tmp);
        if (o->device > 0) close(o->device);
        o->device = 0;
    } else if (rc == 0) {
        mode_t um = umask(0);
        umask(um);
        chmod(o->tmp, 0666 & ~um);
        if (rename(o->tmp, o->final) != 0) {
            diag_add(dg, FOLIO_ERROR, o->final, 0, 0,
                     "cannot rename into "
                     "place: %s",
                     strerror(errno));
            rc = -1;
        }
    }
    if (rc) out_discard(o);
    free(o->tmp);
    free(o->final);
    o->tmp = o->final = NULL;
    return rc;
}

void out_discard(outfile *o)
{
    buf_free(&o->pending);
    if (o->device > 0) close(o->device);
    o->device = 0;
    if (o->fd >= 0) close(o->fd);
    o->fd = -1;
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->final);
    o->tmp = o->final = NULL;
}
