/* The conversion engine shared by the CLI commands. */
#ifndef FOLIO_RUN_H
#define FOLIO_RUN_H

#include "internal.h"

#include <pthread.h>

/* ---- loader.c */
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

/* ---- output.c */
typedef struct outfile {
    char *final; /* where it goes ("-" for stdout) */
    char *dir;   /* the private directory beside it (.NAME.XXXXXX) */
    int dirfd;   /* its descriptor */
    char *name;  /* the temporary file's name in dir */
    char *tmp;   /* the path a path-writing plugin opens */
    int fd;
    int to_stdout; /* stream to stdout or to device */
    int device;    /* fd of an existing non-regular target, or 0 */
    int spool;     /* stdout through tmp (path-writing plugins) */
    int failed;
    folio_buf pending; /* small writes gathered */
} outfile;
/* Block SIGINT, SIGTERM and SIGHUP and start the thread that removes every
 * temporary when one arrives.  Call before any other thread starts. */
void out_guard_start(void);
void out_guard_stop(void);
int out_open(outfile *o, const char *final, diags *dg);
int out_write(outfile *o, const void *buf, size_t len, diags *dg);
int out_commit(outfile *o, diags *dg);
void out_discard(outfile *o);

/* ---- run.c */
typedef struct option_kv {
    char *plugin, *key, *value;
    int known;
} option_kv;

typedef struct run_opts {
    char **formats; /* -t */
    size_t nformats;
    const char *output; /* -o */
    const char *outdir; /* -d */
    int jobs;           /* -j */
    option_kv *options; /* -O */
    size_t noptions;
    const char *title, *author, *lang;
    int update; /* -u */
    int fail_fast;
    int quiet, verbose;
    int progress;       /* show a progress bar */
    const char *report; /* --report FILE */
    /* Figures (core/doc/images.md). */
    const char *resource_path; /* --resource-path DIR[:DIR...] */
    int fetch_images;          /* --fetch-images */
    const char *image_cache;   /* --image-cache DIR */
    const char *cover;         /* --cover FILE */
} run_opts;

/* One input file and what became of it. */
typedef struct input {
    char *path;
    diags dg;
    int failed;             /* could not be read or parsed */
    int out_failed;         /* an output for it failed */
    int skipped;            /* up to date (-u) */
    folio_digest_info info; /* strings owned by the input */
    unsigned long long hash;
    double seconds;
    char **dest;    /* -d: the planned output of each format */
    char **outputs; /* outputs written */
    size_t noutputs;
    char *cover_ref; /* its front matter's image:, or NULL */
    int cover_line, cover_col;
} input;

int cmd_convert(run_opts *o, char **paths, size_t npaths);
/* report.c: write the JSON report into of (opened before the run) and
 * commit it.  Returns 0 or -1 (reported). */
int report_write(outfile *of, input *ins, size_t n, diags *global);
int cmd_check(run_opts *o, char **paths, size_t npaths);
int cmd_formats(int verbose);
int cmd_dump(char **paths, size_t npaths, int positions);
int folio_convert_memory(const char *plugin_path, const char *data, size_t len,
                         const char *out, diags *dg);

/* ---- book.c */
void book_derive(folio_book *b, input *const *in, size_t n, const run_opts *o,
                 arena *a);
/* config.c: folio.yaml defaults, command line wins. */
int config_load(const char *path, int required, run_opts *o, arena *a,
                diags *dg);

#endif
