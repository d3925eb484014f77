/* Inputs: directories expanded, files read, parsed and summarised. */
#include "input.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void push_path(char ***v, size_t *n, const char *p)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    if (!*v || !((*v)[*n] = strdup(p))) folio_oom();
    (*n)++;
}

size_t input_expand(char **paths, size_t n, char ***out, diags *dg)
{
    char **v = NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            size_t nn;
            char **names = list_dir(paths[i], ".md", &nn);
            if (!names && !nn) {
                DIR *probe = opendir(paths[i]);
                if (!probe) {
                    push_path(&v, &k, paths[i]); /* reported when read */
                    continue;
                }
                closedir(probe);
            }
            if (!nn)
                diag_add(dg, FOLIO_WARNING, paths[i], 0, 0,
                         "directory holds no .md files");
            size_t pl = strlen(paths[i]);
            for (size_t m = 0; m < nn; m++) {
                folio_buf b = {0};
                buf_printf(&b, "%s%s%s", paths[i],
                           pl && paths[i][pl - 1] == '/' ? "" : "/", names[m]);
                push_path(&v, &k, b.data);
                buf_free(&b);
            }
            list_free(names, nn);
        } else {
            push_path(&v, &k, paths[i]);
        }
    }
    *out = v;
    return k;
}

static char *dupnull(const char *s)
{
    return s ? strdup(s) : NULL;
}

void input_set_info(input *in, const folio_digest *d)
{
    in->info.path = in->path;
    in->info.name = strdup(d->name);
    in->info.title = strdup(d->title);
    in->info.date = dupnull(d->date);
    in->info.lang = strdup(d->lang);
    in->info.author = dupnull(d->author);
    in->info.npapers = d->npapers;
    in->info.kind = d->kind;
    /* Jekyll's image: (a path or {path: ...}) is the book's cover. */
    const folio_yaml *im = yaml_get(d->meta, "image");
    if (im && im->kind == FOLIO_YAML_MAP) im = yaml_get(im, "path");
    if (im && im->kind == FOLIO_YAML_SCALAR && im->value[0] && !in->cover_ref) {
        in->cover_ref = strdup(im->value);
        in->cover_line = im->line;
        in->cover_col = im->col;
    }
}

void input_free(input *in)
{
    free((char *)in->info.name);
    free((char *)in->info.title);
    free((char *)in->info.date);
    free((char *)in->info.lang);
    free((char *)in->info.author);
    for (size_t i = 0; in->dest && in->dest[i]; i++)
        free(in->dest[i]);
    free(in->dest);
    for (size_t i = 0; i < in->noutputs; i++)
        free(in->outputs[i]);
    free(in->outputs);
    free(in->cover_ref);
    diags_free(&in->dg);
    free(in->path);
}

/* FNV-1a over 64-bit little-endian words (a byte at a time was a tenth
 * of the parse): the book's identifier is derived from it. */
static unsigned long long fnv(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long long h = 1469598103934665603ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned long long w = 0;
        for (int k = 7; k >= 0; k--)
            w = w << 8 | u[i + k];
        h = (h ^ w) * 1099511628211ULL;
    }
    for (; i < n; i++)
        h = (h ^ u[i]) * 1099511628211ULL;
    return h;
}

folio_doc *input_load(input *in, const char **keep, size_t *keeplen)
{
    char *data = NULL;
    size_t len = 0;
    if (folio_read_input(in->path, &data, &len, &in->dg) != 0) {
        in->failed = 1;
        return NULL;
    }
    in->hash = fnv(data, len);
    folio_doc *doc = folio_parse(in->path, data, len, &in->dg);
    if (!doc)
        in->failed = 1;
    else
        input_set_info(in, &doc->d);
    if (keep) {
        *keep = data;
        *keeplen = len;
    } else {
        free(data);
    }
    return doc;
}
