/* Finding, checking and loading plugins (loader.c). */
#ifndef FOLIO_LOADER_H
#define FOLIO_LOADER_H

#include "internal.h"

#include <pthread.h>

typedef struct loaded_plugin {
    void *handle;
    const folio_plugin *p;
    char *path;
    void *state;          /* from init() */
    int initialized;      /* init() ran (successfully: 1, failed: -1) */
    pthread_mutex_t lock; /* serialises FOLIO_PLUGIN_SERIAL plugins */
} loaded_plugin;
char **plugin_dirs(diags *dg);
void plugin_dirs_free(char **v);
int plugin_load(const char *path, loaded_plugin *out, diags *dg);
int plugin_find(const char *name, loaded_plugin *out, diags *dg);
int plugin_find_ext(const char *ext, loaded_plugin *out, diags *dg);
/* A format (plugin) name is [a-z0-9_]+: never a path. */
int format_name_ok(const char *s);
void plugin_unload(loaded_plugin *lp);
size_t plugin_list(loaded_plugin **out, diags *dg);

#endif
