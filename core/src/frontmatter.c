/* The YAML front matter, read with libyaml's event parser into a small
 * tree.  Aliases are refused outright: expanding them is how an alias bomb
 * eats memory, and digests have no use for them. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct yctx {
    arena *a;
    yaml_parser_t p;
    const char *text;
    size_t len;
    const char *path;
    int first_line;
    diags *dg;
    int warned;
    /* Where the last mark mapped was: libyaml counts NEL, U+2028 and
     * U+2029 as line breaks and columns in characters; folio reports lines
     * of the file (LF, CRLF or CR) and byte columns.  Marks come
     * mostly in order, so mapping resumes from here. */
    size_t pos, line_start;
    size_t yline, ycol; /* libyaml's line and column at pos */
    int line;           /* file line at pos, from 0 */
    size_t bom;         /* a UTF-8 BOM libyaml skipped (text starts after) */
} yctx;

static int is_yaml_break(const char *s, size_t i, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] == '\n' || u[0] == '\r') {
        *n = u[0] == '\r' && i + 1 < len && u[1] == '\n' ? 2 : 1;
        return 1;
    }
    if (u[0] == 0xC2 && i + 1 < len && u[1] == 0x85) { /* NEL */
        *n = 2;
        return 1;
    }
    if (u[0] == 0xE2 && i + 2 < len && u[1] == 0x80 &&
        (u[2] == 0xA8 || u[2] == 0xA9)) { /* LS, PS */
        *n = 3;
        return 1;
    }
    return 0;
}

/* The file line and byte column of a libyaml mark. */
static void map_mark(yctx *c, const yaml_mark_t *m, int *line, int *col)
{
    if (m->line < c->yline || (m->line == c->yline && m->column < c->ycol)) {
        c->pos = c->line_start = c->yline = c->ycol = 0;
        c->line = 0;
    }
    while (c->pos < c->len && (c->yline < m->line ||
                               (c->yline == m->line && c->ycol < m->column))) {
        size_t n;
        if (is_yaml_break(c->text, c->pos, c->len, &n)) {
            c->yline++;
            c->ycol = 0;
            if (c->text[c->pos] == '\n' || c->text[c->pos] == '\r') {
                c->line++; /* LF, CRLF or CR (a file not read as a digest) */
                c->line_start = c->pos + n;
            }
        } else {
            uint32_t cp;
            n = text_utf8_next(c->text + c->pos, c->len - c->pos, &cp);
            c->ycol++;
        }
        c->pos += n;
    }
    *line = c->first_line + c->line;
    *col = (int)(c->pos - c->line_start) + 1;
}

/* The file line and column of a byte offset (libyaml's reader errors). */
static void map_offset(yctx *c, size_t off, int *line, int *col)
{
    off = off > c->bom ? off - c->bom : 0; /* counted in raw bytes */
    int l = 0;
    size_t ls = 0;
    for (size_t i = 0; i < off && i < c->len; i++)
        if (c->text[i] == '\n' ||
            (c->text[i] == '\r' &&
             (i + 1 == c->len || c->text[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        }
    *line = c->first_line + l;
    *col = (int)(off - ls) + 1;
}

static int yerr(yctx *c, const yaml_mark_t *m, const char *fmt, const char *s)
{
    int line, col;
    map_mark(c, m, &line, &col);
    diag_add(c->dg, FOLIO_ERROR, c->path, line, col, fmt, s);
    return -1;
}

static int next_event(yctx *c, yaml_event_t *e)
{
    if (yaml_parser_parse(&c->p, e)) return 0;
    int line, col;
    if (c->p.error == YAML_READER_ERROR) {
        /* The reader gives a byte offset, not a mark. */
        map_offset(c, c->p.problem_offset, &line, &col);
        diag_add(c->dg, FOLIO_ERROR, c->path, line, col,
                 "invalid YAML front matter: %s",
                 c->p.problem ? c->p.problem : "unknown error");
        return -1;
    }
    if (c->p.context && c->p.problem) {
        int cline, ccol;
        map_mark(c, &c->p.context_mark, &cline, &ccol);
        map_mark(c, &c->p.problem_mark, &line, &col);
        diag_add(c->dg, FOLIO_ERROR, c->path, line, col,
                 "invalid YAML front matter: %s %s that starts at line %d",
                 c->p.problem, c->p.context, cline);
    } else {
        map_mark(c, &c->p.problem_mark, &line, &col);
        diag_add(c->dg, FOLIO_ERROR, c->path, line, col,
                 "invalid YAML front matter: %s",
                 c->p.problem ? c->p.problem : "unknown error");
    }
    return -1;
}

/* A scalar as it enters the IR: libyaml's escapes ("\0", "\x01",
 * "\uFFFE") can make what the input check keeps out. */
static char *scalar_str(yctx *c, const yaml_event_t *e, int line, int col)
{
    const char *v = (const char *)e->data.scalar.value;
    size_t len = e->data.scalar.length, n = 0;
    char *clean = text_sanitize_utf8(v, len, &n, 0, NULL, NULL);
    if (!clean) return arena_strndup(c->a, v, len);
    if (!c->warned++)
        diag_add(c->dg, FOLIO_WARNING, c->path, line, col,
                 "front matter escape to a code point not allowed in text "
                 "replaced by U+FFFD");
    char *r = arena_strndup(c->a, clean, n);
    free(clean);
    return r;
}

/* Read the node that starts with event e (already taken). */
static int read_node(yctx *c, yaml_event_t *e, int depth, folio_yaml **out)
{
    folio_yaml *n = arena_alloc(c->a, sizeof *n);
    map_mark(c, &e->start_mark, &n->line, &n->col);
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        n->kind = FOLIO_YAML_SCALAR;
        n->value = scalar_str(c, e, n->line, n->col);
        n->quoted = e->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                    e->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        break;
    case YAML_ALIAS_EVENT:
        return yerr(c, &e->start_mark,
                    "YAML alias '*%s' refused: aliases are not supported in "
                    "front matter",
                    (const char *)e->data.alias.anchor);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int map = e->type == YAML_MAPPING_START_EVENT;
        if (depth >= FOLIO_MAX_YAML_DEPTH)
            return yerr(c, &e->start_mark, "front matter nested too deeply%s",
                        "");
        n->kind = map ? FOLIO_YAML_MAP : FOLIO_YAML_SEQ;
        folio_yaml **tail = (folio_yaml **)&n->child;
        for (;;) {
            yaml_event_t k;
            if (next_event(c, &k)) return -1;
            if (k.type == YAML_SEQUENCE_END_EVENT ||
                k.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&k);
                break;
            }
            const char *key = NULL;
            int kline = 0, kcol = 0;
            if (map) {
                if (k.type != YAML_SCALAR_EVENT) {
                    int r =
                        yerr(c, &k.start_mark,
                             "front matter keys must be plain scalars%s", "");
                    yaml_event_delete(&k);
                    return r;
                }
                /* Mapped now: marks are mapped in document order. */
                map_mark(c, &k.start_mark, &kline, &kcol);
                key = scalar_str(c, &k, kline, kcol);
                yaml_event_delete(&k);
                if (next_event(c, &k)) return -1;
            }
            folio_yaml *child;
            int r = read_node(c, &k, depth + 1, &child);
            yaml_event_delete(&k);
            if (r) return r;
            child->key = key;
            if (map) { /* an entry is where its key is */
                child->line = kline;
                child->col = kcol;
            }
            *tail = child;
            tail = (folio_yaml **)&child->next;
        }
        break;
    }
    default:
        return yerr(c, &e->start_mark, "unexpected YAML event%s", "");
    }
    *out = n;
    return 0;
}

int frontmatter_parse(arena *a, const char *text, size_t len, int first_line,
                      const char *path, diags *dg, const folio_yaml **root)
{
    yctx c = {.a = a,
              .text = text,
              .len = len,
              .path = path,
              .first_line = first_line,
              .dg = dg};
    *root = NULL;
    if (len > FOLIO_MAX_YAML_BYTES) {
        diag_add(dg, FOLIO_ERROR, path, first_line, 1,
                 "front matter larger than %zu bytes", FOLIO_MAX_YAML_BYTES);
        return -1;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        c.bom = 3;
        c.text += 3;
        c.len -= 3;
    }
    if (!yaml_parser_initialize(&c.p)) folio_oom();
    yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
    int rc = -1, docs = 0;
    for (;;) {
        yaml_event_t e;
        if (next_event(&c, &e)) break;
        yaml_event_type_t t = e.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&e);
            rc = 0;
            break;
        }
        if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT ||
            t == YAML_DOCUMENT_END_EVENT) {
            if (t == YAML_DOCUMENT_START_EVENT && docs++) {
                yerr(&c, &e.start_mark,
                     "front matter holds more than one "
                     "YAML document%s",
                     "");
                yaml_event_delete(&e);
                break;
            }
            yaml_event_delete(&e);
            continue;
        }
        folio_yaml *n;
        yaml_mark_t m = e.start_mark;
        int r = read_node(&c, &e, 0, &n);
        yaml_event_delete(&e);
        if (r) break;
        if (n->kind == FOLIO_YAML_SCALAR && n->value[0] == 0 && !n->quoted)
            continue; /* an empty front matter */
        if (n->kind != FOLIO_YAML_MAP) {
            yerr(&c, &m,
                 "front matter must be a mapping of keys to "
                 "values%s",
                 "");
            break;
        }
        *root = n;
    }
    yaml_parser_delete(&c.p);
    return rc;
}

const folio_yaml *yaml_get(const folio_yaml *map, const char *key)
{
    if (!map) return NULL;
    for (const folio_yaml *e = map->child; e; e = e->next)
        if (e->key && strcmp(e->key, key) == 0) return e;
    return NULL;
}

/* ---- dates */

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

char *date_normalize(arena *a, const char *s)
{
    int y, mo, d, h = 0, mi = 0, se = 0, zh = 0, zm = 0;
    char zone[32] = "";
    while (*s == ' ')
        s++;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d))
        return NULL;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo)) return NULL;
    const char *p = s + 10;
    int has_time = 0;
    if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return NULL;
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se)) return NULL;
            p += 3;
            if (*p == '.')
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        }
        if (h > 23 || mi > 59 || se > 60) return NULL;
        has_time = 1;
        while (*p == ' ')
            p++;
        if (*p == 'Z' || *p == 'z') {
            strcpy(zone, "Z");
            p++;
        } else if (*p == '+' || *p == '-') {
            char sign = *p++;
            if (!digits(p, 2, &zh)) return NULL;
            p += 2;
            if (*p == ':') p++;
            if (isdigit((unsigned char)*p)) {
                if (!digits(p, 2, &zm)) return NULL;
                p += 2;
            }
            if (zh > 14 || zm > 59) return NULL;
            snprintf(zone, sizeof zone, "%c%02d:%02d", sign, zh, zm);
        }
    }
    while (*p == ' ')
        p++;
    if (*p) return NULL;
    char out[96];
    if (has_time)
        snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d,
                 h, mi, se, zone);
    else
        snprintf(out, sizeof out, "%04d-%02d-%02d", y, mo, d);
    return arena_strdup(a, out);
}
