/* An out-of-tree plugin, built by install.sh against the installed headers
 * with pkg-config: counts papers and sections per digest.  Uses the helper
 * header too, so its installed copy is compiled. */
#include <folio/plugin-util.h>

static int write_counts(const folio_host *h, void *state, folio_job *job,
                        const folio_book *book)
{
    (void)state;
    folio_buf b = {0};
    for (size_t i = 0; i < book->ndigests; i++) {
        const folio_digest *d = h->digest(job, i);
        if (!d) return -1;
        size_t sections = 0;
        for (size_t p = 0; p < d->npapers; p++)
            sections += d->papers[p].nsections;
        fu_printf(h, &b, "%s: %zu papers, %zu sections\n", d->date, d->npapers,
                  sections);
        h->release(job, d);
    }
    int rc = h->write(job, b.data, b.len);
    h->buf_free(&b);
    return rc;
}

static const folio_plugin plugin = {
    .abi = FOLIO_PLUGIN_ABI,
    .size = sizeof(folio_plugin),
    .name = "counts",
    .extension = "counts",
    .media_type = "text/plain",
    .summary = "papers and sections per digest",
    .write = write_counts,
};

FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void)
{
    return &plugin;
}
