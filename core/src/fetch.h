/* Fetching a remote image with libcurl, into a cache folder. */
#ifndef FOLIO_FETCH_H
#define FOLIO_FETCH_H

#include <stddef.h>

typedef struct folio_fetch_opts {
    const char *cache_dir; /* NULL: $XDG_CACHE_HOME/folio/images, else
                              ~/.cache/folio/images */
    int allow_http;        /* also http: to 127.x/[::1] (tests) */
    long connect_timeout_ms, timeout_ms; /* 0: 10 s and 30 s */
    size_t max_bytes;                    /* 0: FOLIO_IMAGE_MAX_BYTES */
    int max_redirects;                   /* 0: 3; -1: none */
} folio_fetch_opts;

/* The cache folder opts names (or the default), malloc'd; NULL when no
 * folder can be named (no $HOME). */
char *folio_fetch_cache_dir(const folio_fetch_opts *opts);

/* Fetch url into the cache folder (created 0700 when missing) unless it is
 * already there: the file is named by the SHA-256 of the URL and written
 * atomically (temporary file, then rename), so a URL is fetched once ever.
 * Only https: (and http: to a numeric loopback host with allow_http, then
 * connecting to loopback addresses only), also after redirects (at most
 * max_redirects); an HTTP error status, a timeout, a body or
 * Content-Length over max_bytes each fail.  Returns 0 with *path
 * (malloc'd) naming the cached file and *fetched = 1 when the network was
 * used, or -1 with a message.  Thread-safe. */
int folio_fetch(const folio_fetch_opts *opts, const char *url, char **path,
                int *fetched, char *msg, size_t msgsz);

#endif
