/* Book metadata, derived from the digests unless given on the command
 * line. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *common_author(input *const *in, size_t n)
{
    const char *a = n ? in[0]->info.author : NULL;
    for (size_t i = 1; a && i < n; i++)
        if (!in[i]->info.author || strcmp(in[i]->info.author, a) != 0) a = NULL;
    return a;
}

/* "Daily Papers — 2025-12-01" ... -> "Daily Papers". */
static size_t title_stem(input *const *in, size_t n)
{
    const char *t0 = in[0]->info.title;
    size_t k = strlen(t0);
    for (size_t i = 1; i < n; i++) {
        const char *t = in[i]->info.title;
        size_t j = 0;
        while (j < k && t[j] == t0[j])
            j++;
        k = j;
    }
    /* Titles differing inside a character ("한국", "한글") share a
     * partial UTF-8 sequence: end the stem at a character boundary. */
    while (k && ((unsigned char)t0[k] & 0xC0) == 0x80)
        k--;
    /* Drop a trailing partial date and separators. */
    while (k && (strchr("0123456789-_/:. ", t0[k - 1]) ||
                 (unsigned char)t0[k - 1] >= 0x80)) {
        if ((unsigned char)t0[k - 1] >= 0x80) {
            /* only strip dashes like "—" (E2 80 94) and "–" (E2 80 93) */
            if (k >= 3 && (unsigned char)t0[k - 3] == 0xE2 &&
                (unsigned char)t0[k - 2] == 0x80 &&
                ((unsigned char)t0[k - 1] == 0x94 ||
                 (unsigned char)t0[k - 1] == 0x93)) {
                k -= 3;
                continue;
            }
            break;
        }
        k--;
    }
    return k;
}

void book_derive(folio_book *b, input *const *in, size_t n, const run_opts *o,
                 arena *a)
{
    memset(b, 0, sizeof *b);
    folio_digest_info *v = arena_alloc(a, sizeof *v * (n ? n : 1));
    const char *first = NULL, *last = NULL;
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        v[i] = in[i]->info;
        const char *d = v[i].date;
        if (d && (!first || strcmp(d, first) < 0)) first = d;
        if (d && (!last || strcmp(d, last) > 0)) last = d;
        h = (h ^ in[i]->hash) * 1099511628211ULL;
    }
    b->digests = v;
    b->ndigests = n;
    b->date = last ? arena_strdup(a, last) : NULL;

    if (o->title) {
        b->title = o->title;
    } else if (n == 1) {
        b->title = v[0].title;
    } else {
        size_t k = title_stem(in, n);
        folio_buf t = {0};
        buf_put(&t, k ? v[0].title : "Digests", k ? k : 7);
        if (first && last && strncmp(first, last, 7) == 0)
            buf_printf(&t, " \xE2\x80\x94 %.7s", first);
        else if (first && last)
            buf_printf(&t, " \xE2\x80\x94 %.10s \xE2\x80\x93 %.10s", first,
                       last);
        b->title = arena_strdup(a, t.data);
        buf_free(&t);
    }
    b->author = o->author ? o->author : common_author(in, n);

    if (o->lang) {
        b->lang = o->lang;
    } else {
        /* The most common language; the first on a tie. */
        size_t best = 0, bestn = 0;
        for (size_t i = 0; i < n; i++) {
            size_t c = 0;
            for (size_t j = 0; j < n; j++)
                c += strcmp(v[i].lang, v[j].lang) == 0;
            if (c > bestn) {
                best = i;
                bestn = c;
            }
            if (bestn * 2 > n) break;
        }
        b->lang = n ? v[best].lang : "en";
    }
    char id[64];
    snprintf(id, sizeof id, "urn:folio:%016llx", h);
    b->identifier = arena_strdup(a, id);

    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char mod[32];
    strftime(mod, sizeof mod, "%Y-%m-%dT%H:%M:%SZ", &tm);
    b->modified = arena_strdup(a, mod);
    b->epoch = (long long)t;
}
