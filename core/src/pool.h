/* The worker pool and progress (pool.c). */
#ifndef FOLIO_POOL_H
#define FOLIO_POOL_H

#include "run.h"

#include <pthread.h>
#include <stdatomic.h>

/* Work on n inputs: fn(p, i) for each i, on o->jobs threads (0: one per
 * processor).  Each input's messages print in input order as soon as its
 * predecessors are done, unless silent. */
typedef struct pool {
    size_t n;
    input *ins;
    void (*fn)(struct pool *, size_t);
    void *ctx;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    unsigned char *done;
    size_t printed;
    const run_opts *o;
    int silent; /* the caller prints the messages itself */
    double start;
} pool;

/* Run p->fn on every input; returns when all are done (or, with
 * --fail-fast, when the ones started after a failure are). */
void pool_run(pool *p);
/* A -v line on stderr with its file names escaped like messages. */
void pool_say(const char *fmt, const char *a, const char *b);

/* Book mode re-reads digests one at a time; while the plugin renders
 * digest i, a thread parses digest i + 1 with parse(ctx, i + 1, dg). */
typedef struct prefetch {
    folio_doc *(*parse)(void *ctx, size_t i, diags *dg);
    void *ctx;
    pthread_t thread;
    int running;
    size_t index;
    folio_doc *doc;
    diags dg;
} prefetch;
/* Start parsing digest i in the background. */
void prefetch_start(prefetch *p, size_t i);
/* Wait for the background parse; when it was digest i and succeeded, move
 * the document into *doc and its messages into *dg and return 1, otherwise
 * drop it and return 0. */
int prefetch_take(prefetch *p, size_t i, folio_doc **doc, diags *dg);
/* Drop a prefetched digest the plugin never asked for. */
void prefetch_end(prefetch *p);

#endif
