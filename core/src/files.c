/* Directory listings shared by input expansion and plugin discovery, and
 * the digest name of an input file. */
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **list_dir(const char *dir, const char *suffix, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0, sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= sl ||
            strcmp(e->d_name + l - sl, suffix) != 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(v, cap * sizeof *v);
            if (!v) folio_oom();
        }
        if (!(v[(*n)++] = strdup(e->d_name))) folio_oom();
    }
    closedir(d);
    if (*n) qsort(v, *n, sizeof *v, by_name);
    return v;
}

void list_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

const char *file_stem(const char *path, size_t *len)
{
    const char *s = strrchr(path, '/');
    s = s ? s + 1 : path;
    size_t n = strlen(s);
    if (n > 3 && strcmp(s + n - 3, ".md") == 0)
        n -= 3;
    else if (n > 9 && strcmp(s + n - 9, ".markdown") == 0)
        n -= 9;
    *len = n;
    return s;
}
