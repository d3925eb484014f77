/* Safe outputs: everything goes to a file in a private directory created
 * beside the target (.NAME.XXXXXX/, mode 0700, so on the same file system)
 * and is renamed into place only when complete, written, flushed and
 * fsync'ed: a failure or a kill never leaves a partial file nor destroys
 * the previous one.
 *
 * The host never reopens a temporary by name.  Path-writing plugins get
 * /proc/self/fd/DIRFD/NAME, which goes through the descriptor of the
 * private directory and cannot be redirected by renaming entries of the
 * target directory; before the rename the host checks that the name still
 * holds the inode it created.
 *
 * Every private directory is in a registry; a thread waiting in sigwait()
 * for SIGINT, SIGTERM and SIGHUP (blocked in every other thread) removes
 * them all and then dies of the same signal.  Cleaning up in an ordinary
 * thread, under the registry's lock, needs no async-signal-safe tricks and
 * cannot race a rename: a commit holds the lock while it renames. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ registry */

typedef struct reg_entry {
    char *dir;
    int dirfd;
} reg_entry;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_entry *reg_v;
static size_t reg_n, reg_cap;
static mode_t file_mode = 0644;

static void reg_add(const char *dir, int dirfd)
{
    if (reg_n == reg_cap) {
        reg_cap = reg_cap ? reg_cap * 2 : 16;
        reg_v = realloc(reg_v, reg_cap * sizeof *reg_v);
        if (!reg_v) folio_oom();
    }
    reg_v[reg_n].dir = strdup(dir);
    if (!reg_v[reg_n].dir) folio_oom();
    reg_v[reg_n++].dirfd = dirfd;
}

static void reg_remove(const char *dir)
{
    for (size_t i = 0; i < reg_n; i++)
        if (strcmp(reg_v[i].dir, dir) == 0) {
            free(reg_v[i].dir);
            reg_v[i] = reg_v[--reg_n];
            break;
        }
    if (!reg_n) {
        free(reg_v);
        reg_v = NULL;
        reg_cap = 0;
    }
}

/* Remove what is inside a directory, through its descriptor only (a
 * plugin's own folder in it too), never following a symbolic link. */
static void empty_dir(int dirfd, int depth)
{
    int fd = dup(dirfd);
    if (fd < 0) return;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd, e->d_name, 0) == 0) continue;
        if (depth >= 4) continue;
        int sub = openat(dirfd, e->d_name,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        empty_dir(sub, depth + 1);
        close(sub);
        unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

/* Remove a private directory; called with reg_lock held. */
static void remove_private(const char *dir, int dirfd)
{
    if (dirfd >= 0) empty_dir(dirfd, 0);
    rmdir(dir); /* fails harmlessly if the name was swapped for a link */
}

static int caught_signals[] = {SIGINT, SIGTERM, SIGHUP};
static sigset_t guard_set;
static int guard_first; /* a signal of the set, to wake the thread */
static pthread_t guard_thread;
static int guard_running;
static atomic_int guard_stopping;

static void *signal_main(void *arg)
{
    sigset_t *set = arg;
    int sig = 0;
    while (sigwait(set, &sig) != 0)
        ;
    if (atomic_load(&guard_stopping)) return NULL; /* out_guard_stop() */
    /* Never unlocked: every other thread that would create or rename a
     * temporary now waits here until the process dies. */
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < reg_n; i++)
        remove_private(reg_v[i].dir, reg_v[i].dirfd);
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

void out_guard_start(void)
{
    static int started;
    sigset_t *set = &guard_set;
    if (started) return;
    started = 1;
    mode_t um = umask(0); /* before any thread: umask is per process */
    umask(um);
    file_mode = 0666 & ~um;
    sigemptyset(set);
    for (size_t i = 0; i < sizeof caught_signals / sizeof *caught_signals;
         i++) {
        /* A signal ignored by whoever started us stays ignored. */
        struct sigaction sa;
        if (sigaction(caught_signals[i], NULL, &sa) == 0 &&
            sa.sa_handler == SIG_IGN)
            continue;
        sigaddset(set, caught_signals[i]);
        if (!guard_first) guard_first = caught_signals[i];
    }
    if (!guard_first || pthread_sigmask(SIG_BLOCK, set, NULL) != 0) return;
    guard_running = pthread_create(&guard_thread, NULL, signal_main, set) == 0;
    if (!guard_running) pthread_sigmask(SIG_UNBLOCK, set, NULL);
}

/* Called when no temporary is left: the thread ends, the signals get
 * their usual effect back. */
void out_guard_stop(void)
{
    if (!guard_running) return;
    atomic_store(&guard_stopping, 1);
    pthread_kill(guard_thread, guard_first);
    pthread_join(guard_thread, NULL);
    guard_running = 0;
    pthread_sigmask(SIG_UNBLOCK, &guard_set, NULL);
}

/* ------------------------------------------------------------ outputs */

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int out_open(outfile *o, const char *final, diags *dg)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->dirfd = -1;
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
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    folio_buf b = {0};
    if (o->to_stdout || strcmp(final, "-") == 0) {
        /* stdout: stream directly; a path-writing plugin gets a spool. */
        o->to_stdout = 1;
        const char *tmpdir = getenv("TMPDIR");
        buf_printf(&b, "%s/folio-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
        base = "output";
    } else {
        if (slash) buf_put(&b, final, (size_t)(slash - final) + 1);
        /* NAME_MAX is 255: keep room for the dot and the suffix. */
        size_t bl = strlen(base);
        buf_putc(&b, '.');
        buf_put(&b, base, bl > 200 ? 200 : bl);
        buf_puts(&b, ".XXXXXX");
    }
    o->name = strdup(base);
    pthread_mutex_lock(&reg_lock);
    int ok = mkdtemp(b.data) != NULL;
    int err = errno;
    if (ok) {
        o->dir = buf_detach(&b);
        o->dirfd =
            open(o->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        err = errno;
        reg_add(o->dir, o->dirfd);
        if (o->dirfd >= 0)
            o->fd = openat(o->dirfd, o->name,
                           O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600);
        if (o->fd < 0) err = errno;
    }
    pthread_mutex_unlock(&reg_lock);
    buf_free(&b);
    if (o->fd < 0) {
        diag_add(dg, FOLIO_ERROR, final, 0, 0, "cannot create output: %s",
                 strerror(err));
        out_discard(o);
        return -1;
    }
    /* The path a plugin opens: through the directory's descriptor when
     * /proc shows it to be the same file, else the plain name. */
    folio_buf p = {0};
    buf_printf(&p, "/proc/self/fd/%d/%s", o->dirfd, o->name);
    struct stat a, c;
    if (stat(p.data, &a) != 0 || fstat(o->fd, &c) != 0 || !same_file(&a, &c)) {
        p.len = 0;
        buf_printf(&p, "%s/%s", o->dir, o->name);
    }
    o->tmp = buf_detach(&p);
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
        if (n <= 0) {
            diag_add(dg, FOLIO_ERROR, o->final, 0, 0, "cannot write: %s",
                     n < 0 ? strerror(errno) : "nothing written");
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

/* Copy a spooled file to stdout, through the descriptor the host holds. */
static int copy_to_stdout(outfile *o, diags *dg)
{
    char b[65536];
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(o->fd, b, sizeof b, off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            diag_add(dg, FOLIO_ERROR, o->final, 0, 0,
                     "cannot read the spooled output: %s", strerror(errno));
            return -1;
        }
        if (n == 0) return 0;
        o->spool = 0;
        if (raw_write(o, b, (size_t)n, dg)) return -1;
        o->spool = 1;
        off += n;
    }
}

static int fail_errno(outfile *o, diags *dg, const char *what)
{
    diag_add(dg, FOLIO_ERROR, o->final, 0, 0, "%s: %s", what, strerror(errno));
    return -1;
}

int out_commit(outfile *o, diags *dg)
{
    int rc = out_flush(o, dg);
    if (rc == 0 && o->to_stdout) {
        if (o->spool) rc = copy_to_stdout(o, dg);
        if (rc == 0 && o->device > 0 && close(o->device) != 0)
            rc = fail_errno(o, dg, "cannot write");
        o->device = 0;
    } else if (rc == 0) {
        struct stat a, c;
        /* The data (the host's or a path-writing plugin's) on disk before
         * the name points at it. */
        if (fsync(o->fd) != 0)
            rc = fail_errno(o, dg, "cannot write");
        else if (fchmod(o->fd, file_mode) != 0 || fstat(o->fd, &a) != 0)
            rc = fail_errno(o, dg, "cannot write");
        else if (fstatat(o->dirfd, o->name, &c, AT_SYMLINK_NOFOLLOW) != 0 ||
                 !same_file(&a, &c)) {
            diag_add(dg, FOLIO_ERROR, o->final, 0, 0,
                     "not written: the temporary file %s/%s was replaced",
                     o->dir, o->name);
            rc = -1;
        }
        if (rc == 0 && close(o->fd) != 0)
            rc = fail_errno(o, dg, "cannot write");
        o->fd = -1;
        if (rc == 0) {
            pthread_mutex_lock(&reg_lock);
            if (renameat(o->dirfd, o->name, AT_FDCWD, o->final) != 0)
                rc = fail_errno(o, dg, "cannot rename into place");
            pthread_mutex_unlock(&reg_lock);
        }
    }
    out_discard(o);
    return rc;
}

void out_discard(outfile *o)
{
    buf_free(&o->pending);
    if (o->device > 0) close(o->device);
    o->device = 0;
    if (o->fd >= 0) close(o->fd);
    o->fd = -1;
    if (o->dir) {
        pthread_mutex_lock(&reg_lock);
        remove_private(o->dir, o->dirfd);
        reg_remove(o->dir);
        pthread_mutex_unlock(&reg_lock);
    }
    if (o->dirfd >= 0) close(o->dirfd);
    o->dirfd = -1;
    free(o->dir);
    free(o->name);
    free(o->tmp);
    free(o->final);
    o->dir = o->name = o->tmp = o->final = NULL;
}
