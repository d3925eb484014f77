/* folio check: read every input, say what kind of post it is and what
 * looks wrong, and find papers that appear in more than one input. */
#include "check.h"

#include "input.h"
#include "output.h"
#include "plan.h"
#include "pool.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct seen {
    const char *id; /* arXiv id or URL */
    size_t input;
    int line;
} seen;

typedef struct check_ctx {
    seen **seen; /* per input */
    size_t *nseen;
} check_ctx;

/* A note saying what kind of post the file is. */
static void check_kind(input *in, const folio_digest *d)
{
    size_t linked = 0;
    for (size_t k = 0; k < d->npapers; k++)
        linked += d->papers[k].url || d->papers[k].nlinks;
    if (d->kind == FOLIO_KIND_ARTICLE && d->nsections)
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0, "article, %zu section%s",
                 d->nsections, d->nsections == 1 ? "" : "s");
    else if (d->kind == FOLIO_KIND_PAPER)
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0,
                 "single paper, %zu section%s, link %s", d->papers[0].nsections,
                 d->papers[0].nsections == 1 ? "" : "s",
                 d->papers[0].url ? d->papers[0].url : "none");
    else if (!d->npapers)
        diag_add(&in->dg, FOLIO_WARNING, in->path, 0, 0, "no papers found");
    else
        diag_add(&in->dg, FOLIO_NOTE, in->path, 0, 0,
                 "digest, %zu paper%s, %zu with a link", d->npapers,
                 d->npapers == 1 ? "" : "s", linked);
}

static void check_one(pool *p, size_t i)
{
    check_ctx *cc = p->ctx;
    input *in = &p->ins[i];
    folio_doc *doc = input_load(in, NULL, NULL);
    if (!doc) return;
    const folio_digest *d = &doc->d;
    if (!d->date)
        diag_add(&in->dg, FOLIO_WARNING, in->path, 0, 0,
                 "no date: give 'date:' in the front matter or name the file "
                 "YYYY-MM-DD-...");
    check_kind(in, d);
    cc->seen[i] = calloc(d->npapers + 1, sizeof(seen));
    for (size_t k = 0; k < d->npapers; k++) {
        const folio_paper *pp = &d->papers[k];
        if (!pp->url && !pp->nlinks) {
            if (d->kind == FOLIO_KIND_PAPER)
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->line, 1,
                         "the paper has no link");
            else
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->line, 1,
                         "paper %d has no link", pp->number);
        }
        const char *id = pp->arxiv_id ? pp->arxiv_id : pp->url;
        if (id) {
            seen *s = &cc->seen[i][cc->nseen[i]++];
            /* v1 and v2 of a paper are one paper. */
            s->id = pp->arxiv_id ? strndup(id, strcspn(id, "v")) : strdup(id);
            s->input = i;
            s->line = pp->line;
        }
        for (size_t s = 0; s < pp->nsections; s++)
            if (pp->sections[s].role == FOLIO_ROLE_OTHER &&
                pp->sections[s].heading)
                diag_add(&in->dg, FOLIO_WARNING, in->path, pp->sections[s].line,
                         1, "unknown section heading '%s'",
                         pp->sections[s].title);
    }
    folio_doc_free(doc);
}

static int by_seen(const void *a, const void *b)
{
    const seen *x = a, *y = b;
    int r = strcmp(x->id, y->id);
    if (r) return r;
    return x->input < y->input ? -1 : x->input > y->input;
}

int cmd_check(run_opts *o, char **paths, size_t npaths)
{
    diags gd = {0};
    char **files = NULL;
    size_t n = input_expand(paths, npaths, &files, &gd);
    if (!n) {
        diags_print(&gd, o->quiet);
        diags_free(&gd);
        free(files);
        return usage_error("no input files");
    }
    outfile rep = {.fd = -1, .dirfd = -1};
    if (o->report) {
        planned q = {.path = o->report, .what = "the report"};
        int st = plan_check(paths, npaths, files, n, &q, 1);
        free(q.real);
        if (st == 0 && out_open(&rep, o->report, &gd) != 0) st = 1;
        if (st) {
            diags_print(&gd, o->quiet);
            diags_free(&gd);
            list_free(files, n);
            return st;
        }
    }
    diags_print(&gd, o->quiet);
    diags_free(&gd);
    input *ins = calloc(n, sizeof *ins);
    for (size_t i = 0; i < n; i++)
        ins[i].path = files[i];
    free(files);
    check_ctx cc = {calloc(n, sizeof(seen *)), calloc(n, sizeof(size_t))};
    /* Duplicates across days need every input: print at the end. */
    pool p = {
        .n = n, .ins = ins, .ctx = &cc, .o = o, .fn = check_one, .silent = 1};
    size_t total = 0;
    pool_run(&p);
    for (size_t i = 0; i < n; i++)
        total += cc.nseen[i];
    seen *all = calloc(total + 1, sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < cc.nseen[i]; s++)
            all[k++] = cc.seen[i][s];
    qsort(all, total, sizeof *all, by_seen);
    for (size_t s = 1; s < total; s++)
        if (strcmp(all[s].id, all[s - 1].id) == 0 &&
            all[s].input != all[s - 1].input)
            diag_add(&ins[all[s].input].dg, FOLIO_WARNING,
                     ins[all[s].input].path, all[s].line, 1,
                     "paper %s also appears in %s:%d", all[s].id,
                     ins[all[s - 1].input].path, all[s - 1].line);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        diags_print(&ins[i].dg, o->quiet);
        if (ins[i].failed) status = 1;
    }
    if (o->report && report_write(&rep, ins, n, NULL) != 0) status = 1;
    for (size_t s = 0; s < total; s++)
        free((char *)all[s].id);
    free(all);
    for (size_t i = 0; i < n; i++) {
        free(cc.seen[i]);
        input_free(&ins[i]);
    }
    free(cc.seen);
    free(cc.nseen);
    free(ins);
    return status;
}
