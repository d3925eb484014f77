/* folio.yaml: defaults for a directory of digests.  Read with the same
 * YAML reader as front matter; the command line wins over it. */
#include "config.h"

#include "loader.h"

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

static int add_format(const char *t, const folio_yaml *at, const char *path,
                      run_opts *o, diags *dg)
{
    if (!format_name_ok(t)) {
        diag_add(dg, FOLIO_ERROR, path, at->line, at->col,
                 "formats: '%s' is not a format name (letters a-z, digits "
                 "and _ only)",
                 t);
        return -1;
    }
    for (size_t i = 0; i < o->nformats; i++)
        if (strcmp(o->formats[i], t) == 0) {
            diag_add(dg, FOLIO_ERROR, path, at->line, at->col,
                     "formats: '%s' is given twice", t);
            return -1;
        }
    o->formats = realloc(o->formats, (o->nformats + 1) * sizeof(char *));
    if (!o->formats) folio_oom();
    o->formats[o->nformats++] = strdup(t);
    return 0;
}

/* formats: [epub, pdf] or formats: epub, pdf */
static int add_config_formats(const folio_yaml *e, const char *v,
                              const char *path, run_opts *o, diags *dg)
{
    int rc = 0;
    for (size_t i = 0; i < o->nformats; i++)
        free(o->formats[i]);
    free(o->formats);
    o->formats = NULL;
    o->nformats = 0;
    if (v) {
        char *s = strdup(v), *save = NULL;
        for (char *t = strtok_r(s, ", ", &save); t && !rc;
             t = strtok_r(NULL, ", ", &save))
            rc = add_format(t, e, path, o, dg);
        free(s);
    } else if (e->kind == FOLIO_YAML_SEQ) {
        for (const folio_yaml *c = e->child; c && !rc; c = c->next) {
            if (c->kind != FOLIO_YAML_SCALAR) {
                diag_add(dg, FOLIO_ERROR, path, c->line, c->col,
                         "formats: each item is a format name");
                rc = -1;
            } else {
                rc = add_format(c->value, c, path, o, dg);
            }
        }
    } else {
        diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                 "formats: wants a list of format names");
        rc = -1;
    }
    if (!rc && !o->nformats) {
        diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                 "formats: the list is empty");
        rc = -1;
    }
    return rc;
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
    int bad = 0;
    for (const folio_yaml *e = root ? root->child : NULL; e; e = e->next) {
        const char *k = e->key;
        const char *v = e->kind == FOLIO_YAML_SCALAR ? e->value : NULL;
        int text_key = strcmp(k, "title") == 0 || strcmp(k, "author") == 0 ||
                       strcmp(k, "lang") == 0 || strcmp(k, "output") == 0 ||
                       strcmp(k, "output-dir") == 0 ||
                       strcmp(k, "output_dir") == 0 || strcmp(k, "jobs") == 0;
        if (text_key && (!v || !*v)) {
            /* Checked like the flags they stand for: a list or an empty
             * value is a mistake, not something to ignore. */
            diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                     "'%s' wants a single value", k);
            bad = 1;
        } else if (strcmp(k, "title") == 0)
            o->title = v;
        else if (strcmp(k, "author") == 0)
            o->author = v;
        else if (strcmp(k, "lang") == 0)
            o->lang = v;
        else if (strcmp(k, "output-dir") == 0 || strcmp(k, "output_dir") == 0)
            o->outdir = v;
        else if (strcmp(k, "output") == 0)
            o->output = v;
        else if (strcmp(k, "jobs") == 0) {
            char *end;
            long j = strtol(v, &end, 10);
            if (*end || end == v || j < 1 || j > 1024) {
                diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                         "jobs: wants a number from 1 to 1024, not '%s'", v);
                bad = 1;
            } else {
                o->jobs = (int)j;
            }
        } else if (strcmp(k, "formats") == 0) {
            if (add_config_formats(e, v, path, o, dg)) bad = 1;
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
        } else if (strcmp(k, "resource-path") == 0 ||
                   strcmp(k, "resource_path") == 0) {
            /* A string "DIR[:DIR...]" or a list of folders. */
            folio_buf b = {0};
            if (v) buf_puts(&b, v);
            for (const folio_yaml *c = e->kind == FOLIO_YAML_SEQ ? e->child
                                                                 : NULL;
                 c; c = c->next)
                if (c->kind == FOLIO_YAML_SCALAR && c->value[0])
                    buf_printf(&b, "%s%s", b.len ? ":" : "", c->value);
            if (!b.len) {
                diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                         "resource-path: wants a folder or a list of them");
                bad = 1;
            } else {
                o->resource_path = arena_strdup(a, b.data);
            }
            buf_free(&b);
        } else if (strcmp(k, "fetch-images") == 0 ||
                   strcmp(k, "fetch_images") == 0) {
            if (v && (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0))
                o->fetch_images = 1;
            else if (v && (strcmp(v, "false") == 0 || strcmp(v, "no") == 0))
                o->fetch_images = 0;
            else {
                diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                         "fetch-images: wants true or false");
                bad = 1;
            }
        } else if ((strcmp(k, "image-cache") == 0 ||
                    strcmp(k, "image_cache") == 0) &&
                   v && *v) {
            o->image_cache = v;
        } else if (strcmp(k, "cover") == 0 && v && *v) {
            o->cover = v;
        } else if (strcmp(k, "options") == 0) {
            diag_add(dg, FOLIO_ERROR, path, e->line, e->col,
                     "options: wants a map of PLUGIN.KEY: VALUE");
            bad = 1;
        } else {
            diag_add(dg, FOLIO_WARNING, path, e->line, e->col,
                     "unknown key '%s' in configuration", k);
        }
    }
    return bad ? -1 : 0;
}
