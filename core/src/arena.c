/* A bump allocator: one per digest, freed at once. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *prev;
    size_t used, cap;
    max_align_t data[];
};

void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    struct chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + cap);
        if (!c) folio_oom();
        c->prev = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
        a->total += sizeof *c + cap;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_free(arena *a)
{
    struct chunk *c = a->head;
    while (c) {
        struct chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    a->head = NULL;
    a->total = 0;
}
