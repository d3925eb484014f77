/* Planning outputs: their paths checked against the inputs and each
 * other before anything is written. */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *plan_name_of(const char *path)
{
    if (strcmp(path, "-") == 0) return strdup("stdin");
    size_t n;
    const char *s = file_stem(path, &n);
    char *r = strndup(s, n);
    if (!r) folio_oom();
    return r;
}

/* p made absolute with symbolic links resolved as far as it exists; the
 * missing rest is appended as written. */
static char *resolve(const char *p)
{
    char *r = realpath(p, NULL);
    if (r) return r;
    if (!*p || strcmp(p, ".") == 0 || strcmp(p, "/") == 0) return strdup(p);
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        len--;
    const char *slash = NULL;
    for (size_t i = len; i-- > 0;)
        if (p[i] == '/') {
            slash = p + i;
            break;
        }
    char *parent = !slash       ? strdup(".")
                   : slash == p ? strdup("/")
                                : strndup(p, (size_t)(slash - p));
    const char *name = slash ? slash + 1 : p;
    size_t nl = len - (size_t)(name - p);
    char *rp = resolve(parent);
    free(parent);
    if (nl == 0 || (nl == 1 && name[0] == '.')) return rp;
    if (nl == 2 && name[0] == '.' && name[1] == '.') {
        char *s = strrchr(rp, '/');
        if (s && s != rp) *s = 0;
        return rp;
    }
    folio_buf b = {0};
    buf_printf(&b, "%s%s%.*s", rp,
               rp[0] && rp[strlen(rp) - 1] == '/' ? "" : "/", (int)nl, name);
    free(rp);
    return buf_detach(&b);
}

/* "the output 'out/x.txt' of 'a/x.md'", "the book 'b.txt'" */
static char *describe(const planned *p)
{
    folio_buf b = {0};
    buf_printf(&b, "%s '%s'", p->what, p->path);
    if (p->of) buf_printf(&b, " of '%s'", p->of);
    return buf_detach(&b);
}

static int is_input_like(const char *path)
{
    size_t l = strlen(path);
    return (l > 3 && strcmp(path + l - 3, ".md") == 0) ||
           (l > 9 && strcmp(path + l - 9, ".markdown") == 0);
}

int plan_check(char **args, size_t nargs, char **files, size_t n, planned *q,
               size_t nq)
{
    int status = 0;
    struct stat *ist = calloc(n ? n : 1, sizeof *ist);
    char *has = calloc(n ? n : 1, 1);
    char **ireal = calloc(n ? n : 1, sizeof *ireal);
    char **dirs = calloc(nargs ? nargs : 1, sizeof *dirs);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i], "-") == 0) {
            /* stdin redirected from the very file to be written */
            has[i] = fstat(0, &ist[i]) == 0 && S_ISREG(ist[i].st_mode);
        } else {
            has[i] = stat(files[i], &ist[i]) == 0;
            ireal[i] = realpath(files[i], NULL);
        }
    }
    for (size_t k = 0; k < nargs; k++) {
        struct stat st;
        if (strcmp(args[k], "-") != 0 && stat(args[k], &st) == 0 &&
            S_ISDIR(st.st_mode))
            dirs[k] = resolve(args[k]);
    }
    for (size_t k = 0; k < nq && !status; k++) {
        planned *p = &q[k];
        if (strcmp(p->path, "-") == 0) continue;
        p->exists = stat(p->path, &p->st) == 0;
        if (p->exists && !S_ISREG(p->st.st_mode)) continue; /* a device */
        p->real = resolve(p->path);
        for (size_t i = 0; i < n && !status; i++)
            if ((p->exists && has[i] && p->st.st_dev == ist[i].st_dev &&
                 p->st.st_ino == ist[i].st_ino) ||
                (ireal[i] && strcmp(p->real, ireal[i]) == 0)) {
                char *d = describe(p);
                status = usage_error("%s is the input '%s'", d, files[i]);
                free(d);
            }
        const char *slash = strrchr(p->real, '/');
        size_t pl = slash ? (size_t)(slash - p->real) : 0;
        for (size_t d = 0; d < nargs && !status; d++)
            if (dirs[d] && is_input_like(p->real) &&
                ((pl == 0 && strcmp(dirs[d], "/") == 0) ||
                 (strlen(dirs[d]) == pl &&
                  strncmp(dirs[d], p->real, pl) == 0))) {
                char *w = describe(p);
                status = usage_error("%s is in the input directory '%s': "
                                     "the next run would read it as an input",
                                     w, args[d]);
                free(w);
            }
        for (size_t r = 0; r < k && !status; r++) {
            planned *e = &q[r];
            if (!e->real) continue;
            if (strcmp(e->real, p->real) == 0 ||
                (e->exists && p->exists && e->st.st_dev == p->st.st_dev &&
                 e->st.st_ino == p->st.st_ino)) {
                char *x = describe(e), *y = describe(p);
                status = usage_error("%s and %s are the same file", x, y);
                free(x);
                free(y);
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(ireal[i]);
    for (size_t k = 0; k < nargs; k++)
        free(dirs[k]);
    free(ist);
    free(has);
    free(ireal);
    free(dirs);
    return status;
}

int plan_make_dirs(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    char *copy = strdup(dir);
    for (char *s = copy + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(copy, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}
