/* TeX math -> a small presentation tree, and writers over it (MathML for
 * EPUB, a linear Unicode form for plain text).  The tree is meant to move
 * into folio/ir.h once plugins use it; nothing here depends on the core's
 * other internals except the arena and folio_buf. */
#ifndef FOLIO_TEX_H
#define FOLIO_TEX_H

#include "internal.h"

#include <folio/ir.h>

#include <stdint.h>

/* Limits: deeper nesting and longer input fall back to the TeX source. */
#define FOLIO_MATH_MAX_DEPTH 64
#define FOLIO_MATH_MAX_BYTES ((size_t)64 << 10)

typedef struct folio_tex {
    arena arena;      /* owns every node and string */
    folio_math *root; /* a ROW (or a TABLE for bare rows); never NULL */
    const char *src;  /* the TeX given to tex_parse (not copied) */
    size_t srclen;
    int errors;  /* fallbacks (ERROR nodes and repairs) */
    int display; /* tex_new: 1 for $$ and \[ spans */
} folio_tex;

/* Find the TeX inside a delimited span: "$x$", "$$x$$", "\(x\)", "\[x\]",
 * "\\(x\\)", "\\[x\\]" (anything else is taken whole).  Sets [*start,
 * *end) and *display (1 for $$ and \[, else 0). */
void tex_strip_delims(const char *s, size_t len, size_t *start, size_t *end,
                      int *display);

/* Parse TeX math (without delimiters).  Never fails: what cannot be read
 * becomes ERROR nodes holding its source.  Linear in len. */
void tex_parse(folio_tex *t, const char *src, size_t len);
void tex_free(folio_tex *t);

/* The code point of cp in a letter style (cp itself when there is none). */
uint32_t folio_math_variant_cp(uint32_t cp, int variant);

/* The combining character (UTF-8) that puts an accent mark (an ACCENT
 * node's text) on one letter, under it when under is set; NULL when there
 * is none. */
const char *folio_math_combining(const char *mark, int under);

/* MathML presentation markup: one <math> element with the TeX source as an
 * application/x-tex annotation. */
void mathml_write(folio_buf *out, const folio_tex *t, int display);

/* A linear Unicode form for plain text (x², xᵢ, a/b, √x, [a, b; c, d]);
 * constructs with no readable linear form are written as their TeX.  Rows
 * of align/gather tables are separated by '\n'. */
void mathtext_write(folio_buf *out, const folio_tex *t);

/* One call each for a math span as the IR holds it (TeX with its
 * delimiters; display from $$ or \[ unless display >= 0 forces it).
 * Returns the number of fallbacks (0: converted in full). */
int tex_to_mathml(folio_buf *out, const char *span, size_t len, int display);
int tex_to_text(folio_buf *out, const char *span, size_t len);

/* A math span (with delimiters) parsed into a malloc'd folio_tex, for a
 * typesetter that walks the tree; tex_delete frees it.  Never NULL. */
folio_tex *tex_new(const char *span, size_t len);
void tex_delete(folio_tex *t);

/* The host services math_parse and math_free (folio/plugin.h). */
const folio_math_doc *tex_doc_new(const char *span, size_t len);
void tex_doc_free(const folio_math_doc *doc);

/* Self-check for the tests: the command table is sorted (1) or not (0). */
int tex_table_sorted(void);

#endif
