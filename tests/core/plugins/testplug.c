/* Test plugins, one source built several ways (see CMakeLists.txt):
 *   TESTPLUG_GOOD     a working plugin that lists titles ("titles")
 *   TESTPLUG_BADABI   built for another ABI version
 *   TESTPLUG_NOSYM    exports no entry symbol
 *   TESTPLUG_FAIL     writes half its output, then fails
 *   TESTPLUG_PATH     writes its file itself through output_path() ("pathw")
 * Environment, to play the attacker or a slow plugin in tests:
 *   TESTPLUG_SLEEP_MS=N    sleep N ms before each digest
 *   TESTPLUG_SWAP_DIR=D    before writing, move the host's temporary folder
 *                          aside and put a symbolic link to D in its place
 *   TESTPLUG_REPLACE=1     before writing, replace the host's temporary file
 *                          by another file of the same name */
#define _GNU_SOURCE
#include <fcntl.h>
#include <folio/plugin.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef TESTPLUG_NOSYM
/* The real name of the host's temporary file (its path may go through
 * /proc/self/fd). */
static void real_tmp(const char *path, char *dir, char *name)
{
    char link[PATH_MAX];
    const char *slash = strrchr(path, '/');
    snprintf(name, NAME_MAX + 1, "%s", slash + 1);
    snprintf(link, sizeof link, "%.*s", (int)(slash - path), path);
    ssize_t n = readlink(link, dir, PATH_MAX - 1);
    if (n < 0)
        snprintf(dir, PATH_MAX, "%s", link);
    else
        dir[n] = 0;
}

static void attack(const char *path)
{
    char dir[PATH_MAX], name[NAME_MAX + 1], other[PATH_MAX + NAME_MAX + 8];
    const char *victim = getenv("TESTPLUG_SWAP_DIR");
    real_tmp(path, dir, name);
    if (victim && *victim) {
        snprintf(other, sizeof other, "%s.moved", dir);
        if (rename(dir, other) == 0 && symlink(victim, dir) != 0) return;
    }
    if (getenv("TESTPLUG_REPLACE")) {
        snprintf(other, sizeof other, "%s/%s", dir, name);
        unlink(other);
        int fd = open(other, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0) close(fd);
    }
}

static int write_titles(const folio_host *h, void *state, folio_job *job,
                        const folio_book *book)
{
    (void)state;
    const char *ms = getenv("TESTPLUG_SLEEP_MS");
    struct timespec nap = {0, ms ? atol(ms) * 1000000L : 0};
    if (getenv("TESTPLUG_SWAP_DIR") || getenv("TESTPLUG_REPLACE"))
        attack(h->output_path(job));
#ifdef TESTPLUG_PATH
    FILE *f = fopen(h->output_path(job), "w");
    if (!f) {
        h->report(job, FOLIO_ERROR, NULL, 0, 0, "cannot open the output");
        return -1;
    }
#endif
    for (size_t i = 0; i < book->ndigests; i++) {
        if (nap.tv_nsec) nanosleep(&nap, NULL);
        const folio_digest *d = h->digest(job, i);
        if (!d) return -1;
        folio_buf b = {0};
        h->buf_printf(&b, "%s (%zu papers)\n", d->title, d->npapers);
#ifdef TESTPLUG_PATH
        int rc = fwrite(b.data, 1, b.len, f) == b.len ? 0 : -1;
#else
        int rc = h->write(job, b.data, b.len);
#endif
        h->buf_free(&b);
        h->release(job, d);
        if (rc) return -1;
#ifdef TESTPLUG_FAIL
        h->report(job, FOLIO_ERROR, NULL, 0, 0, "failing on purpose");
        return -1;
#endif
    }
#ifdef TESTPLUG_PATH
    if (fclose(f) != 0) return -1;
#endif
    return 0;
}

static const folio_plugin plugin = {
#ifdef TESTPLUG_BADABI
    .abi = FOLIO_PLUGIN_ABI + 1,
#else
    .abi = FOLIO_PLUGIN_ABI,
#endif
#ifdef TESTPLUG_NOSIZE
    .size = 0, /* built before folio_plugin had a size */
#else
    .size = sizeof(folio_plugin),
#endif
    .name = TESTPLUG_NAME,
    .extension = "lst",
    .media_type = "text/plain",
    .summary = "test plugin: one line per digest",
#ifdef TESTPLUG_PATH
    .flags = FOLIO_PLUGIN_WANTS_PATH,
#endif
    .write = write_titles,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
#else
FOLIO_EXPORT int not_the_entry(void);
FOLIO_EXPORT int not_the_entry(void)
{
    return 0;
}
#endif
