/* Internal interfaces of the core; nothing here is seen by plugins. */
#ifndef FOLIO_INTERNAL_H
#define FOLIO_INTERNAL_H

#include <folio/ir.h>
#include <folio/plugin.h>
#include <stdarg.h>
#include <stddef.h>

/* Limits, documented in folio(1): beyond them a file is refused with a
 * message (size) or its structure is flattened with a warning (depth). */
#define FOLIO_MAX_FILE_BYTES ((size_t)16 << 20)
#define FOLIO_MAX_DEPTH 100
#define FOLIO_MAX_YAML_DEPTH 32
#define FOLIO_MAX_YAML_BYTES ((size_t)1 << 20)

void folio_oom(void) __attribute__((noreturn));

/* ---- arena.c */
typedef struct arena {
    struct chunk *head;
    size_t total;
} arena;
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void arena_free(arena *a);

/* ---- buf.c */
void buf_put(folio_buf *b, const void *s, size_t len);
void buf_puts(folio_buf *b, const char *s);
void buf_putc(folio_buf *b, char c);
/* Append code point cp as UTF-8 (utf8proc's encoder). */
void buf_put_cp(folio_buf *b, uint32_t cp);
void buf_printf(folio_buf *b, const char *fmt, ...) FOLIO_PRINTF(2, 3);
void buf_vprintf(folio_buf *b, const char *fmt, va_list ap);
void buf_free(folio_buf *b);
char *buf_detach(folio_buf *b);

/* ---- text.c (lent to plugins through folio_host) */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);
int text_char_width(uint32_t cp);
/* The script class of cp (FOLIO_SCRIPT_*) and the CJK line-joining rule:
 * see folio_host in plugin.h. */
int text_script(uint32_t cp);
int text_joins_lines(uint32_t before, uint32_t after);
/* structure.c: the host's is_links_block() (see plugin.h). */
int folio_is_links_block(const folio_paper *p, const folio_node *b);
/* html.c: the host's html_text() (see plugin.h). */
void text_html_text(folio_buf *out, const char *s, size_t len);
void text_html_sanitize(folio_buf *out, const char *s, size_t len,
                        folio_html_state *st);
/* 1 when name (lowercase) is an HTML element: the one test of what is
 * HTML and what is text ("<Silence>"). */
int text_html_element(const char *name);
/* labels.c: the host's label() and count_papers() (see plugin.h). */
const char *text_label(const char *lang, int key);
const char *text_count_papers(const char *lang, size_t n, char *buf,
                              size_t cap);
const char *text_date_text(const char *date, int with_time, char *buf,
                           size_t cap);
const char *text_title_sans_date(const char *title, const char *date, char *buf,
                                 size_t cap);
/* The role a section title names: pattern is "|title|", lowercase (see
 * role_of in structure.c); FOLIO_ROLE_OTHER when no language names it. */
folio_role labels_role(const char *pattern);
size_t text_str_width(const char *s, size_t len);
void text_line_breaks(const char *s, size_t len, const char *lang, char *brks);
void text_wrap(folio_buf *out, const char *s, size_t len, size_t width,
               const char *first, const char *rest, const char *lang);
void text_plain(folio_buf *out, const folio_node *inlines);
int text_url_is_safe(const char *url);
void text_xml_escape(folio_buf *out, const char *s, size_t len);
void text_url_encode(folio_buf *out, const char *url);
/* The IR's text promise: valid UTF-8 without the code points XML 1.0
 * forbids or noncharacters (text_cp_forbidden).  Replaces each offence by
 * U+FFFD, calling bad(line, col, what) for the first few; with lines set,
 * CRLF and lone CR also become LF (a whole file).  Returns a new malloc'd
 * copy, or NULL when the text was clean. */
int text_cp_forbidden(uint32_t cp);
/* The value of c as a decimal digit (or a hex one when hex), else -1. */
int text_digit(char c, int hex);
char *text_sanitize_utf8(const char *s, size_t len, size_t *outlen, int lines,
                         void (*bad)(void *ctx, int line, int col,
                                     const char *what),
                         void *ctx);

/* The offset of the first numeric character reference in s, from byte
 * from on, that decodes to a code point text_cp_forbidden refuses (and
 * that cmark-gfm passes on); len if none.  *end is set after it. */
size_t text_find_bad_ref(const char *s, size_t len, size_t from, size_t *end);
/* UTF-16 text (without its BOM) as UTF-8, malloc'd; unpaired surrogates
 * become U+FFFD. */
char *text_from_utf16(const char *s, size_t len, int big_endian,
                      size_t *outlen);

/* ---- diagnostics: collected per input so -j prints in input order. */
typedef struct diag {
    int severity;
    char *path;
    int line, col;
    char *msg;
} diag;
typedef struct diags {
    diag *v;
    size_t n, cap;
    int errors, warnings;
} diags;
void diag_add(diags *d, int severity, const char *path, int line, int col,
              const char *fmt, ...) FOLIO_PRINTF(6, 7);
void diag_vadd(diags *d, int severity, const char *path, int line, int col,
               const char *fmt, va_list ap);
void diags_print(const diags *d, int quiet);
/* Append s for a message: bytes that are not UTF-8 become \xNN, control
 * characters (C0, DEL, C1), line separators and bidi overrides \xNN or
 * \uNNNN.  json: escape for a JSON string instead (controls as \u00NN,
 * quotes and backslashes escaped; bytes that are not UTF-8 as \\xNN). */
void text_escape(folio_buf *out, const char *s, size_t len, int json);
/* "folio: error: MSG" and "Try 'folio --help'." on stderr; returns 2. */
int usage_error(const char *fmt, ...) FOLIO_PRINTF(1, 2);
void diag_format(folio_buf *out, const diag *g);
void diags_free(diags *d);

/* ---- parse.c: one digest */
typedef struct folio_doc {
    arena arena;
    folio_digest d;
} folio_doc;

/* Read a whole file (or stdin for "-"), refusing what is not a regular
 * file, too large, or unreadable.  Returns 0 or -1 with an error added. */
int folio_read_input(const char *path, char **data, size_t *len, diags *dg);
/* Parse a digest from memory.  NULL on a fatal error (reported). */
folio_doc *folio_parse(const char *path, const char *data, size_t len,
                       diags *dg);
void folio_doc_free(folio_doc *doc);

/* ---- frontmatter.c */
/* Parse YAML text (the lines between the --- markers; first_line is the
 * file line of its first line).  Returns 0 with *root set, -1 on error. */
int frontmatter_parse(arena *a, const char *text, size_t len, int first_line,
                      const char *path, diags *dg, const folio_yaml **root);
const folio_yaml *yaml_get(const folio_yaml *map, const char *key);
/* Normalise a YAML date to ISO 8601; NULL when it is not a date. */
char *date_normalize(arena *a, const char *s);

/* ---- structure.c: find papers and sections in the block list */
void structure_build(folio_doc *doc, const folio_node *blocks, diags *dg);
folio_role role_of(const char *title);
/* The arXiv id of a link, with its version when the link gives one. */
const char *arxiv_id_of(arena *a, const char *url);
/* Two arXiv ids of one paper, whatever their versions (or equal ids). */
int arxiv_same(const char *x, const char *y);
/* Liquid output of a page variable ("{{ page.title }}") gets its value as
 * the MARKUP node's child; any other output stays hidden, with one
 * warning a post.  name_date: the date of the file name, or NULL. */
void liquid_page(folio_doc *doc, const folio_node *blocks,
                 const folio_node *footnotes, const char *name_date,
                 const char *src, size_t len, diags *dg);
/* The title Jekyll gives a post without one, from its file name. */
const char *title_from_name(arena *a, const char *path, const char *name);
/* Detect a language tag from the text's scripts. */
const char *lang_detect(const char *s, size_t len);

/* ---- kramdown.c: Markdown as Jekyll renders it, around cmark-gfm */
typedef struct kd_scan {
    char *text; /* the body with placeholders, or NULL when none */
    size_t len;
    struct kd_span *v; /* the spans the placeholders stand for */
    size_t n, cap;
    folio_buf store; /* their text */
    int stars;       /* escaped stars were replaced */
    struct kd_label {
        size_t off, len; /* in store */
        int def;         /* "[^x]:" defining it, else a reference */
    } * labels;          /* footnote labels in order */
    size_t nlabels, labels_cap;
    /* Where the blog may show what folio cannot: the first Liquid tag of
     * each kind (KD_W_*) in the body, len 0 when none. */
    struct kd_warn {
        size_t off, len;
    } warn[3];
} kd_scan;
enum { KD_W_BRANCH, KD_W_INCLUDE, KD_W_UNCLOSED };
/* Find math, Liquid and kramdown markup in a body; 1 when r->text holds
 * a copy with placeholders to parse instead. */
int kd_prescan(const char *s, size_t len, kd_scan *r);
void kd_scan_free(kd_scan *r);
/* Placeholders into MATH and MARKUP nodes, markup blocks, emphasis beside
 * CJK text. */
void kd_post(arena *a, folio_node **blocks, folio_node **footnotes,
             const kd_scan *r);
/* Report r's warnings: body is the text kd_prescan() read, starting on
 * line body_line of path. */
void kd_report(const kd_scan *r, const char *body, size_t len, int body_line,
               const char *path, diags *dg);

/* ---- files.c */
/* The names in dir ending in suffix (no dot files), sorted; NULL and *n = 0
 * when it cannot be read. */
char **list_dir(const char *dir, const char *suffix, size_t *n);
void list_free(char **v, size_t n);
/* The digest name of an input: its file name without .md or .markdown
 * (a pointer into path, *len bytes). */
const char *file_stem(const char *path, size_t *len);

/* ---- the IR dump used by tests and `folio dump` */
void ir_dump(folio_buf *out, const folio_digest *d, int positions);

#endif
