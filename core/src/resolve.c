/* An image reference as written in a post, turned into a file inside the
 * folders the post may use (resolve.h). */
#include "resolve.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define FAIL(...)                                                              \
    do {                                                                       \
        snprintf(msg, msgsz, __VA_ARGS__);                                     \
        return FOLIO_REF_ERROR;                                                \
    } while (0)

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s))
        (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static int eq(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* One {{ ... }}: site.url and site.baseurl are empty (paths are resolved
 * against the site root); 'literal' | relative_url (or absolute_url,
 * prepend: site.baseurl) is the literal.  Appends to out. */
static int liquid_output(const char *in, size_t n, char *out, size_t *o)
{
    trim(&in, &n);
    if (eq(in, n, "site.url") || eq(in, n, "site.baseurl")) return 0;
    if (n < 2 || (in[0] != '\'' && in[0] != '"')) return -1;
    const char *close = memchr(in + 1, in[0], n - 1);
    if (!close) return -1;
    const char *lit = in + 1;
    size_t litn = (size_t)(close - lit);
    const char *rest = close + 1;
    size_t rn = n - (size_t)(rest - in);
    while (rn) {
        trim(&rest, &rn);
        if (!rn) break;
        if (rest[0] != '|') return -1;
        rest++, rn--;
        const char *bar = memchr(rest, '|', rn);
        size_t fn = bar ? (size_t)(bar - rest) : rn;
        const char *f = rest;
        trim(&f, &fn);
        if (!(eq(f, fn, "relative_url") || eq(f, fn, "absolute_url") ||
              eq(f, fn, "prepend: site.baseurl") ||
              eq(f, fn, "prepend: site.url")))
            return -1;
        rest += bar ? (size_t)(bar - rest) : rn;
        rn = n - (size_t)(rest - in);
    }
    memcpy(out + *o, lit, litn);
    *o += litn;
    return 0;
}

/* {% link path %} is the site path /path. */
static int liquid_tag(const char *in, size_t n, char *out, size_t *o)
{
    trim(&in, &n);
    if (n < 6 || memcmp(in, "link", 4) != 0 || !is_space(in[4])) return -1;
    in += 5, n -= 5;
    trim(&in, &n);
    if (!n) return -1;
    if (in[0] != '/') out[(*o)++] = '/';
    memcpy(out + *o, in, n);
    *o += n;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The path with Liquid reduced (*raw) and additionally %-decoded (*dec),
 * both without query or fragment; or the URL. */
static int normalize(const char *ref, char **raw, char **dec, char *msg,
                     size_t msgsz)
{
    *raw = *dec = NULL;
    const char *s = ref;
    size_t n = strlen(ref);
    trim(&s, &n);
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') s++, n -= 2;
    /* Liquid never lengthens: the literal is inside the expression, and
     * "{% link x %}" gains at most a '/' while losing 10 bytes. */
    char *buf = xmalloc(n + 2);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (i + 1 < n && s[i] == '{' && (s[i + 1] == '{' || s[i + 1] == '%')) {
            const char *close = NULL;
            char want = s[i + 1] == '{' ? '}' : '%';
            for (size_t j = i + 2; j + 1 < n; j++)
                if (s[j] == want && s[j + 1] == '}') {
                    close = s + j;
                    break;
                }
            const char *in = s + i + 2;
            size_t inn = close ? (size_t)(close - in) : 0;
            /* {{- and -}} trim whitespace in Liquid; the same here. */
            if (inn && in[0] == '-') in++, inn--;
            if (inn && in[inn - 1] == '-') inn--;
            if (!close || (want == '}' ? liquid_output(in, inn, buf, &o)
                                       : liquid_tag(in, inn, buf, &o)) != 0) {
                free(buf);
                FAIL("a Liquid expression folio does not understand");
            }
            i = (size_t)(close - s) + 2;
            continue;
        }
        buf[o++] = s[i++];
    }
    buf[o] = 0;
    char *p = buf;
    size_t pn = o;
    trim((const char **)&p, &pn);
    p[pn] = 0;
    if (pn == 0) {
        free(buf);
        FAIL("an empty image path");
    }
    /* Remote?  A scheme is letters, digits, + - . before the first ':'. */
    if (pn >= 2 && p[0] == '/' && p[1] == '/') {
        size_t len = strlen("https:") + pn + 1;
        *raw = xmalloc(len);
        snprintf(*raw, len, "https:%s", p);
        free(buf);
        return FOLIO_REF_REMOTE;
    }
    size_t k = 0;
    while (k < pn &&
           ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
            (k > 0 && ((p[k] >= '0' && p[k] <= '9') || p[k] == '+' ||
                       p[k] == '-' || p[k] == '.'))))
        k++;
    if (k > 0 && k < pn && p[k] == ':') {
        if ((k == 4 && strncasecmp(p, "http", 4) == 0) ||
            (k == 5 && strncasecmp(p, "https", 5) == 0)) {
            *raw = xstrndup(p, pn);
            free(buf);
            return FOLIO_REF_REMOTE;
        }
        int kk = (int)k;
        snprintf(msg, msgsz,
                 "a %.*s: image is not read (only files and "
                 "http(s) URLs)",
                 kk, p);
        free(buf);
        return FOLIO_REF_ERROR;
    }
    size_t cut = strcspn(p, "?#");
    if (cut == 0) {
        free(buf);
        FAIL("an empty image path");
    }
    *raw = xstrndup(p, cut);
    char *d = xmalloc(cut + 1);
    size_t dn = 0;
    for (size_t i = 0; i < cut; i++) {
        int hi, lo;
        if (p[i] == '%' && i + 2 < cut && (hi = hexval(p[i + 1])) >= 0 &&
            (lo = hexval(p[i + 2])) >= 0) {
            char c = (char)(hi << 4 | lo);
            if (c == 0) {
                free(d), free(*raw), free(buf);
                *raw = NULL;
                FAIL("a path with an encoded NUL byte");
            }
            d[dn++] = c;
            i += 2;
        } else {
            d[dn++] = p[i];
        }
    }
    d[dn] = 0;
    *dec = d;
    free(buf);
    return FOLIO_REF_LOCAL;
}

int folio_ref_normalize(const char *ref, char **out, char *msg, size_t msgsz)
{
    char *raw, *dec;
    if (msgsz) msg[0] = 0;
    int r = normalize(ref, &raw, &dec, msg, msgsz);
    if (r == FOLIO_REF_LOCAL) {
        free(raw);
        *out = dec;
    } else {
        *out = raw;
    }
    return r;
}

static char *dir_real(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return realpath(".", NULL);
    if (slash == path) return realpath("/", NULL);
    char *d = xstrndup(path, (size_t)(slash - path));
    char *r = realpath(d, NULL);
    free(d);
    return r;
}

char *folio_site_root(const char *post_path)
{
    char *d = dir_real(post_path);
    if (!d) return NULL;
    /* The nearest ancestor named _posts (posts may sit in subfolders). */
    for (;;) {
        char *slash = strrchr(d, '/');
        if (!slash) break;
        if (strcmp(slash + 1, "_posts") == 0) {
            if (slash == d)
                slash[1] = 0; /* "/_posts": the root is "/" */
            else
                *slash = 0;
            return d;
        }
        if (slash == d) break;
        *slash = 0;
    }
    free(d);
    return NULL;
}

static int inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/') return 1;
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == 0);
}

struct roots {
    char *dirs[64];
    int n;
};

static void roots_add(struct roots *r, char *dir)
{
    if (!dir) return;
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->dirs[i], dir) == 0) {
            free(dir);
            return;
        }
    if (r->n < (int)(sizeof r->dirs / sizeof r->dirs[0]))
        r->dirs[r->n++] = dir;
    else
        free(dir);
}

static void roots_free(struct roots *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->dirs[i]);
    r->n = 0;
}

/* Try rel under each base; 1 found (*out), 0 none exists, -1 refused. */
static int try_bases(struct roots *bases, int from, const struct roots *allowed,
                     const char *rel, char **out, int *seen_errno, char *msg,
                     size_t msgsz)
{
    for (int i = from; i < bases->n; i++) {
        char cand[PATH_MAX];
        int n = snprintf(cand, sizeof cand, "%s/%s", bases->dirs[i], rel);
        if (n < 0 || (size_t)n >= sizeof cand) continue;
        char *real = realpath(cand, NULL);
        if (!real) {
            if (errno != ENOENT && errno != ENOTDIR) *seen_errno = errno;
            continue;
        }
        int ok = 0;
        for (int k = 0; k < allowed->n && !ok; k++)
            ok = inside(real, allowed->dirs[k]);
        if (!ok) {
            snprintf(msg, msgsz,
                     "outside the post's folder, the site root "
                     "and the resource paths (it is %s); not read",
                     real);
            free(real);
            return -1;
        }
        struct stat st;
        if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(msg, msgsz, "not a regular file");
            free(real);
            return -1;
        }
        *out = real;
        return 1;
    }
    return 0;
}

int folio_ref_resolve(const char *post_path, const char *ref,
                      const char *resource_path, char **out, char *msg,
                      size_t msgsz)
{
    char *raw, *dec;
    *out = NULL;
    if (msgsz) msg[0] = 0;
    int r = normalize(ref, &raw, &dec, msg, msgsz);
    if (r != FOLIO_REF_LOCAL) {
        *out = raw;
        return r;
    }
    struct roots all = {0};
    char *post_dir = dir_real(post_path);
    char *site = folio_site_root(post_path);
    int site_abs = dec[0] == '/';
    /* Search order: post folder (relative only), site root, resources. */
    if (!site_abs && post_dir) roots_add(&all, strdup(post_dir));
    if (site) roots_add(&all, strdup(site));
    if (resource_path) {
        const char *p = resource_path;
        while (*p) {
            size_t n = strcspn(p, ":");
            if (n) {
                char *d = xstrndup(p, n);
                roots_add(&all, realpath(d, NULL));
                free(d);
            }
            p += n + (p[n] == ':');
        }
    }
    /* Containment allows all of them, plus the post's folder for a
     * site-absolute path that lands there through the site root. */
    struct roots allowed = {0};
    for (int i = 0; i < all.n; i++)
        roots_add(&allowed, strdup(all.dirs[i]));
    if (post_dir) roots_add(&allowed, strdup(post_dir));
    int found = 0, seen_errno = 0;
    if (all.n == 0) {
        snprintf(msg, msgsz,
                 site_abs ? "a site-absolute path, but the post is not under "
                            "a _posts folder and no --resource-path is given"
                          : "the post's folder cannot be read");
        found = -1;
    }
    const char *rel = site_abs ? dec + strspn(dec, "/") : dec;
    if (found == 0)
        found = try_bases(&all, 0, &allowed, rel, out, &seen_errno, msg, msgsz);
    if (found == 0 && strcmp(raw, dec) != 0) {
        /* A file whose name really holds a '%'. */
        const char *rrel = site_abs ? raw + strspn(raw, "/") : raw;
        found =
            try_bases(&all, 0, &allowed, rrel, out, &seen_errno, msg, msgsz);
    }
    if (found == 0) {
        if (seen_errno)
            snprintf(msg, msgsz, "cannot be read: %s", strerror(seen_errno));
        else {
            size_t o = (size_t)snprintf(msg, msgsz, "not found (looked in");
            for (int i = 0; i < all.n && o < msgsz; i++)
                o += (size_t)snprintf(msg + o, msgsz - o, "%s %s", i ? "," : "",
                                      all.dirs[i]);
            if (o < msgsz) snprintf(msg + o, msgsz - o, ")");
        }
    }
    roots_free(&all);
    roots_free(&allowed);
    free(post_dir);
    free(site);
    free(raw);
    free(dec);
    return found == 1 ? FOLIO_REF_LOCAL : FOLIO_REF_ERROR;
}

/* ---- Liquid in a post's body */

/* The length of the Liquid expression at s (starting "{{" or "{%") when it
 * is one folio_liquid_paths() replaces, its replacement appended to out;
 * else 0. */
static size_t liquid_at(const char *s, size_t n, char *out, size_t *o)
{
    char want = s[1] == '{' ? '}' : '%';
    size_t j;
    for (j = 2; j + 1 < n && s[j] != '\n'; j++)
        if (s[j] == want && s[j + 1] == '}') break;
    if (j + 1 >= n || s[j] == '\n') return 0;
    const char *in = s + 2;
    size_t inn = j - 2, save = *o;
    if (inn && in[0] == '-') in++, inn--;
    if (inn && in[inn - 1] == '-') inn--;
    const char *t = in;
    size_t tn = inn;
    trim(&t, &tn);
    if (want == '}' && eq(t, tn, "site.url")) {
        /* Only as the start of a path: prose keeps {{ site.url }}. */
        const char *after = s + j + 2;
        size_t an = n - (j + 2);
        if (!(an && after[0] == '/') &&
            !(an >= 2 && memcmp(after, "{{", 2) == 0))
            return 0;
    }
    if ((want == '}' ? liquid_output(in, inn, out, o)
                     : liquid_tag(in, inn, out, o)) != 0) {
        *o = save;
        return 0;
    }
    return j + 2;
}

char *folio_liquid_paths(const char *text, size_t len, size_t *outlen,
                         folio_liquid_edit **edits, size_t *nedits)
{
    folio_liquid_edit *ed = NULL;
    size_t ned = 0, edcap = 0;
    if (edits) *edits = NULL;
    if (nedits) *nedits = 0;
    size_t first = 0;
    while (first + 1 < len && !(text[first] == '{' && (text[first + 1] == '{' ||
                                                       text[first + 1] == '%')))
        first++;
    if (first + 1 >= len) return NULL;
    char *out = xmalloc(len + 2);
    size_t o = 0;
    int changed = 0;
    char fence = 0; /* '`' or '~' inside a fenced block */
    size_t fence_len = 0;
    for (size_t i = 0; i < len;) {
        size_t eol = i;
        while (eol < len && text[eol] != '\n')
            eol++;
        /* A fence line: up to 3 spaces, then 3+ backticks or tildes. */
        size_t k = i, ind = 0;
        while (k < eol && text[k] == ' ' && ind < 4)
            k++, ind++;
        size_t run = 0;
        while (k + run < eol &&
               (text[k + run] == '`' || text[k + run] == '~') &&
               text[k + run] == text[k])
            run++;
        if (ind < 4 && run >= 3 &&
            (!fence || (text[k] == fence && run >= fence_len))) {
            if (fence)
                fence = 0;
            else
                fence = text[k], fence_len = run;
            memcpy(out + o, text + i, eol - i);
            o += eol - i;
        } else if (fence) {
            memcpy(out + o, text + i, eol - i);
            o += eol - i;
        } else {
            for (size_t p = i; p < eol;) {
                if (text[p] == '`') { /* a code span: copy to its closing run */
                    size_t r = 0;
                    while (p + r < eol && text[p + r] == '`')
                        r++;
                    size_t q = p + r, close = 0;
                    while (q < eol && !close) {
                        if (text[q] == '`') {
                            size_t r2 = 0;
                            while (q + r2 < eol && text[q + r2] == '`')
                                r2++;
                            if (r2 == r) close = q + r2;
                            q += r2;
                        } else {
                            q++;
                        }
                    }
                    size_t stop = close ? close : p + r;
                    memcpy(out + o, text + p, stop - p);
                    o += stop - p;
                    p = stop;
                    continue;
                }
                size_t used, before = o;
                if (text[p] == '{' && p + 1 < eol &&
                    (text[p + 1] == '{' || text[p + 1] == '%') &&
                    (used = liquid_at(text + p, eol - p, out, &o)) > 0) {
                    if (edits) {
                        if (ned == edcap) {
                            edcap = edcap ? edcap * 2 : 8;
                            ed = realloc(ed, edcap * sizeof *ed);
                            if (!ed) abort();
                        }
                        ed[ned++] = (folio_liquid_edit){.out_off = before,
                                                        .out_len = o - before,
                                                        .in_off = p,
                                                        .in_len = used};
                    }
                    p += used;
                    changed = 1;
                    continue;
                }
                out[o++] = text[p++];
            }
        }
        if (eol < len) out[o++] = '\n';
        i = eol + 1;
    }
    out[o] = 0;
    if (!changed) {
        free(out);
        free(ed);
        return NULL;
    }
    *outlen = o;
    if (edits) *edits = ed, *nedits = ned;
    return out;
}

/* ---- HTML <img> */

static void decode_entities(const char *s, size_t n, char **out)
{
    char *o = xmalloc(n * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '&') {
            const char *semi = memchr(s + i, ';', n - i);
            size_t en = semi ? (size_t)(semi - s - i - 1) : 0;
            const char *e = s + i + 1;
            static const struct {
                const char *name, *val;
            } ents[] = {{"amp", "&"},
                        {"lt", "<"},
                        {"gt", ">"},
                        {"quot", "\""},
                        {"apos", "'"}};
            int done = 0;
            for (size_t j = 0; semi && j < 5 && !done; j++)
                if (eq(e, en, ents[j].name)) {
                    o[k++] = ents[j].val[0];
                    done = 1;
                }
            if (!done && semi && en >= 2 && en < 10 && e[0] == '#') {
                char *end;
                char tmp[12];
                memcpy(tmp, e + 1, en - 1);
                tmp[en - 1] = 0;
                unsigned long cp = (tmp[0] == 'x' || tmp[0] == 'X')
                                       ? strtoul(tmp + 1, &end, 16)
                                       : strtoul(tmp, &end, 10);
                if (*end == 0 && cp > 0 && cp <= 0x10FFFF &&
                    !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    if (cp < 0x80)
                        o[k++] = (char)cp;
                    else if (cp < 0x800) {
                        o[k++] = (char)(0xC0 | cp >> 6);
                        o[k++] = (char)(0x80 | (cp & 0x3F));
                    } else if (cp < 0x10000) {
                        o[k++] = (char)(0xE0 | cp >> 12);
                        o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        o[k++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        o[k++] = (char)(0xF0 | cp >> 18);
                        o[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                        o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        o[k++] = (char)(0x80 | (cp & 0x3F));
                    }
                    done = 1;
                }
            }
            if (done) {
                i += en + 2;
                continue;
            }
        }
        o[k++] = s[i++];
    }
    o[k] = 0;
    *out = o;
}

int folio_html_img(const char *html, size_t len, char **src, char **alt,
                   size_t *end)
{
    *src = *alt = NULL;
    for (size_t i = 0; i + 4 < len; i++) {
        if (html[i] != '<' || strncasecmp(html + i + 1, "img", 3) != 0 ||
            !(is_space(html[i + 4]) || html[i + 4] == '/' ||
              html[i + 4] == '>'))
            continue;
        size_t p = i + 4;
        char *s = NULL, *a = NULL;
        for (;;) {
            while (p < len && (is_space(html[p]) || html[p] == '/'))
                p++;
            if (p >= len || html[p] == '>') break;
            size_t an = p;
            while (p < len && !is_space(html[p]) && html[p] != '=' &&
                   html[p] != '>' && html[p] != '/')
                p++;
            size_t alen = p - an;
            while (p < len && is_space(html[p]))
                p++;
            const char *v = "";
            size_t vn = 0;
            if (p < len && html[p] == '=') {
                p++;
                while (p < len && is_space(html[p]))
                    p++;
                if (p < len && (html[p] == '"' || html[p] == '\'')) {
                    char q = html[p++];
                    v = html + p;
                    while (p < len && html[p] != q)
                        p++;
                    vn = (size_t)(html + p - v);
                    if (p < len) p++;
                } else {
                    v = html + p;
                    while (p < len && !is_space(html[p]) && html[p] != '>')
                        p++;
                    vn = (size_t)(html + p - v);
                }
            }
            if (alen == 3 && strncasecmp(html + an, "src", 3) == 0 && !s)
                decode_entities(v, vn, &s);
            else if (alen == 3 && strncasecmp(html + an, "alt", 3) == 0 && !a)
                decode_entities(v, vn, &a);
        }
        if (end) *end = p < len ? p + 1 : len;
        if (s && *s) {
            *src = s;
            *alt = a ? a : xstrndup("", 0);
            return 1;
        }
        free(s);
        free(a);
        i = p;
    }
    if (end) *end = len;
    return 0;
}
