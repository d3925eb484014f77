/* folio.yaml: defaults for a directory of digests.  Read with the same
 * YAML reader as front matter; the command line wins over it. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *split_option(arena *a, const char *k, const char *v, run_opts *o)
{
    const char *dot = strchr(k, '.');
    if (!dot || dot == k || !dot[1]) return NULL;
    o->options = realloc(o->options, (o->noptions + 1) * sizeof *o->options);
    option_kv *kv = &o->options[o->noptions++];
    kv->plugin = arena_strndup(a, k, (size_t)(dot - k));
    kv->key = arena_strdup(a, dot + 1);
    kv->value = arena_strdup(a, v);
    kv->known = 0;
    return kv->key;
}

int config_load(const char *path, int required, run_opts *o, arena *a,
                diags *dg)
{
    char *data;
    size_t len;
    diags tmp = {0};
    if (folio_read_input(path, &data, &len, &tmp) != 0) {
        if (required)
            for (size_t i = 0; i < tmp.n; i++)
                diag_add(dg, FOLIO_ERROR, tmp.v[i].path, 0, 0, "%s",
                         tmp.v[i].msg);
        diags_free(&tmp);
        return required ? -1 : 0;
    }
    diags_free(&tmp);
    const folio_yaml *root = NULL;
    char *text = arena_strndup(a, data, len);
    free(data);
    if (frontmatter_parse(a, text, len, 1, path, dg, &root) != 0) return -1;
    for (const folio_yaml *e = root ? root->child : NULL; e; e = e->next) {
        const char *k = e->key;
        const char *v = e->kind == FOLIO_YAML_SCALAR ? e->value : NULL;
        if (strcmp(k, "title") == 0 && v)
            o->title = v;
        else if (strcmp(k, "author") == 0 && v)
            o->author = v;
        else if (strcmp(k, "lang") == 0 && v)
            o->lang = v;
        else if ((strcmp(k, "output-dir") == 0 ||
                  strcmp(k, "output_dir") == 0) &&
                 v)
            o->outdir = v;
        else if (strcmp(k, "output") == 0 && v)
            o->output = v;
        else if (strcmp(k, "jobs") == 0 && v)
            o->jobs = atoi(v);
        else if (strcmp(k, "formats") == 0) {
            size_t n = 0;
            for (const folio_yaml *c = e->child; c; c = c->next)
                n++;
            o->formats = calloc(n + 2, sizeof(char *));
            o->nformats = 0;
            if (v) {
                char *s = strdup(v), *save = NULL;
                for (char *t = strtok_r(s, ", ", &save); t;
                     t = strtok_r(NULL, ", ", &save)) {
                    o->formats =
                        realloc(o->formats, (o->nformats + 1) * sizeof(char *));
                    o->formats[o->nformats++] = strdup(t);
                }
                free(s);
            } else {
                for (const folio_yaml *c = e->child; c; c = c->next)
                    if (c->kind == FOLIO_YAML_SCALAR)
                        o->formats[o->nformats++] = strdup(c->value);
            }
        } else if (strcmp(k, "options") == 0 && e->kind == FOLIO_YAML_MAP) {
            /* options: {txt.width: 80} or options: {txt: {width: 80}} */
            for (const folio_yaml *c = e->child; c; c = c->next) {
                if (c->kind == FOLIO_YAML_SCALAR) {
                    if (!split_option(a, c->key, c->value, o))
                        diag_add(dg, FOLIO_WARNING, path, c->line, c->col,
                                 "option '%s' should be PLUGIN.KEY", c->key);
                } else if (c->kind == FOLIO_YAML_MAP) {
                    for (const folio_yaml *d = c->child; d; d = d->next) {
                        folio_buf b = {0};
                        buf_printf(&b, "%s.%s", c->key, d->key);
                        if (d->kind == FOLIO_YAML_SCALAR)
                            split_option(a, b.data, d->value, o);
                        buf_free(&b);
                    }
                }
            }
        } else {
            diag_add(dg, FOLIO_WARNING, path, e->line, e->col,
                     "unknown key '%s' in configuration", k);
        }
    }
    return 0;
}
