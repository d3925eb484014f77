/* The worker pool: inputs handed to threads, messages printed in input
 * order, and the progress bar. */
#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void pool_say(const char *fmt, const char *a, const char *b)
{
    folio_buf x = {0}, y = {0};
    text_escape(&x, a, strlen(a), 0);
    if (b) text_escape(&y, b, strlen(b), 0);
    folio_buf line = {0};
    buf_printf(&line, fmt, x.data ? x.data : "", y.data ? y.data : "");
    fprintf(stderr, "%s\n", line.data);
    buf_free(&line);
    buf_free(&x);
    buf_free(&y);
}

static void progress(pool *p, size_t i)
{
    if (!p->o->progress) return;
    size_t done = 0;
    for (size_t k = 0; k < p->n; k++)
        done += p->done[k];
    const char *name = strrchr(p->ins[i].path, '/');
    name = name ? name + 1 : p->ins[i].path;
    int width = 30, fill = (int)(done * (size_t)width / (p->n ? p->n : 1));
    folio_buf b = {0};
    if (done != p->n) text_escape(&b, name, strnlen(name, 40), 0);
    fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu %s", fill,
            "##############################", width - fill, "", done, p->n,
            b.data ? b.data : "");
    buf_free(&b);
    if (done == p->n) fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void finished(pool *p, size_t i)
{
    pthread_mutex_lock(&p->lock);
    p->done[i] = 1;
    /* Messages appear in input order, whatever order the work ends in. */
    if (p->o->progress) fputs("\r\033[K", stderr);
    while (!p->silent && p->printed < p->n && p->done[p->printed]) {
        input *in = &p->ins[p->printed];
        diags_print(&in->dg, p->o->quiet);
        if (p->o->verbose && !in->failed && !in->out_failed)
            for (size_t k = 0; k < in->noutputs; k++)
                pool_say("%s -> %s", in->path, in->outputs[k]);
        p->printed++;
    }
    progress(p, i);
    pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        if (atomic_load(&p->stop)) break;
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        double t0 = now_seconds();
        p->fn(p, i);
        p->ins[i].seconds = now_seconds() - t0;
        if (p->o->fail_fast && (p->ins[i].failed || p->ins[i].out_failed))
            atomic_store(&p->stop, 1);
        finished(p, i);
    }
    return NULL;
}

void pool_run(pool *p)
{
    int jobs = p->o->jobs > 0 ? p->o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > p->n) jobs = (int)(p->n ? p->n : 1);
    p->done = calloc(p->n ? p->n : 1, 1);
    pthread_mutex_init(&p->lock, NULL);
    atomic_init(&p->next, 0);
    atomic_init(&p->stop, 0);
    p->start = now_seconds();
    pthread_t *t = calloc((size_t)jobs, sizeof *t);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* libharu's HPDF_GetFont wants ~128 KiB of stack; give plenty. */
    pthread_attr_setstacksize(&attr, 16u << 20);
    int started = 0;
    for (int k = 1; k < jobs; k++)
        if (pthread_create(&t[k], &attr, worker, p) == 0) started = k;
    worker(p);
    for (int k = 1; k <= started; k++)
        pthread_join(t[k], NULL);
    pthread_attr_destroy(&attr);
    free(t);
    /* Inputs never reached (--fail-fast) print nothing. */
    pthread_mutex_destroy(&p->lock);
    free(p->done);
}

static void *prefetch_main(void *arg)
{
    prefetch *p = arg;
    p->doc = p->parse(p->ctx, p->index, &p->dg);
    return NULL;
}

void prefetch_start(prefetch *p, size_t i)
{
    p->index = i;
    p->running = pthread_create(&p->thread, NULL, prefetch_main, p) == 0;
}

static void prefetch_join(prefetch *p)
{
    if (!p->running) return;
    pthread_join(p->thread, NULL);
    p->running = 0;
}

int prefetch_take(prefetch *p, size_t i, folio_doc **doc, diags *dg)
{
    prefetch_join(p);
    if (p->doc && p->index == i) {
        *doc = p->doc;
        *dg = p->dg;
        p->doc = NULL;
        memset(&p->dg, 0, sizeof p->dg);
        return 1;
    }
    prefetch_end(p);
    return 0;
}

void prefetch_end(prefetch *p)
{
    prefetch_join(p);
    folio_doc_free(p->doc);
    p->doc = NULL;
    diags_free(&p->dg);
}
