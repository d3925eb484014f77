/* The types every command shares: the options of a run and its inputs. */
#ifndef FOLIO_RUN_H
#define FOLIO_RUN_H

#include "internal.h"

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

#endif
