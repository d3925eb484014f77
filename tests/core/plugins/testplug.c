/* Test plugins, one source built several ways (see CMakeLists.txt):
 *   TESTPLUG_GOOD     a working plugin that lists titles ("titles")
 *   TESTPLUG_BADABI   built for another ABI version
 *   TESTPLUG_NOSYM    exports no entry symbol
 *   TESTPLUG_FAIL     writes half its output, then fails */
#include <folio/plugin.h>
#include <string.h>

#ifndef TESTPLUG_NOSYM
static int write_titles(const folio_host *h, void *state, folio_job *job,
                        const folio_book *book)
{
    (void)state;
    for (size_t i = 0; i < book->ndigests; i++) {
        const folio_digest *d = h->digest(job, i);
        if (!d) return -1;
        folio_buf b = {0};
        h->buf_printf(&b, "%s (%zu papers)\n", d->title, d->npapers);
        int rc = h->write(job, b.data, b.len);
        h->buf_free(&b);
        h->release(job, d);
        if (rc) return -1;
#ifdef TESTPLUG_FAIL
        h->report(job, FOLIO_ERROR, NULL, 0, 0, "failing on purpose");
        return -1;
#endif
    }
    return 0;
}

static const folio_plugin plugin = {
#ifdef TESTPLUG_BADABI
    .abi = FOLIO_PLUGIN_ABI + 1,
#else
    .abi = FOLIO_PLUGIN_ABI,
#endif
    .name = TESTPLUG_NAME,
    .extension = "lst",
    .media_type = "text/plain",
    .summary = "test plugin: one line per digest",
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
