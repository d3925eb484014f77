/* TeX math -> a small presentation tree, and writers over it (MathML for
 * EPUB, a linear Unicode form for plain text).  The tree is meant to move
 * into folio/ir.h once plugins use it; nothing here depends on the core's
 * other internals except the arena and folio_buf. */
#ifndef FOLIO_TEX_H
#define FOLIO_TEX_H

#include "internal.h"

#include <stdint.h>

/* Limits: deeper nesting and longer input fall back to the TeX source. */
#define FOLIO_MATH_MAX_DEPTH 64
#define FOLIO_MATH_MAX_BYTES ((size_t)64 << 10)

typedef enum folio_math_kind {
    FOLIO_MATH_ROW = 1, /* first..next: children in order */
    FOLIO_MATH_IDENT,   /* text: a variable or a function name (mi) */
    FOLIO_MATH_NUMBER,  /* text: digits (mn) */
    FOLIO_MATH_OP,      /* text: an operator, relation, fence (mo) */
    FOLIO_MATH_TEXT,    /* text: \text{...} content (mtext) */
    FOLIO_MATH_SPACE,   /* size: width in mu (1/18 em), may be < 0 */
    FOLIO_MATH_SCRIPT,  /* a: base, b: subscript or NULL, c: superscript or
                           NULL; FOLIO_MATH_F_LIMITS: under/over the base */
    FOLIO_MATH_FRAC,    /* a: numerator, b: denominator; F_BINOM: no rule,
                           in parentheses; size: 0 inherit, 1 display,
                           2 text style */
    FOLIO_MATH_SQRT,    /* a: radicand, b: index or NULL */
    FOLIO_MATH_ACCENT,  /* a: base, text: the mark; F_UNDER: below;
                           F_STRETCHY: as wide as the base */
    FOLIO_MATH_FENCED,  /* a: body (a ROW, may hold F_MIDDLE ops); text:
                           opening, text2: closing delimiter ("" = none) */
    FOLIO_MATH_TABLE,   /* first..next: rows (ROW), each a list of cells
                           (ROW); text: column alignments, one of "lcr"
                           per column, the last repeating; text2: "open
                           close" fences as two UTF-8 strings joined by a
                           tab, or NULL; size: folio_math_env */
    FOLIO_MATH_ERROR,   /* text: TeX source that could not be converted */
    FOLIO_MATH_STYLE    /* a: body; size: 1 display, 2 text, 3 script */
} folio_math_kind;

/* Flags (folio_math.flags). */
enum {
    FOLIO_MATH_F_BIN = 1 << 0,      /* OP: binary operator (+ - ×) */
    FOLIO_MATH_F_REL = 1 << 1,      /* OP: relation (= ≤ →) */
    FOLIO_MATH_F_OPEN = 1 << 2,     /* OP: opening fence */
    FOLIO_MATH_F_CLOSE = 1 << 3,    /* OP: closing fence */
    FOLIO_MATH_F_PUNCT = 1 << 4,    /* OP: punctuation (, ;) */
    FOLIO_MATH_F_LARGE = 1 << 5,    /* OP: big operator (∑ ∫) */
    FOLIO_MATH_F_MOVABLE = 1 << 6,  /* OP/IDENT: limits under/over in
                                       display style (∑, lim) */
    FOLIO_MATH_F_LIMITS = 1 << 7,   /* SCRIPT: munder/mover form;
                                       OP: \limits given */
    FOLIO_MATH_F_NOLIMITS = 1 << 8, /* OP: \nolimits given */
    FOLIO_MATH_F_STRETCHY = 1 << 9, /* OP/ACCENT: stretches */
    FOLIO_MATH_F_FUNC = 1 << 10,    /* IDENT: function name (sin, log) */
    FOLIO_MATH_F_UNDER = 1 << 11,   /* ACCENT: below the base */
    FOLIO_MATH_F_MIDDLE = 1 << 12,  /* OP: \middle delimiter */
    FOLIO_MATH_F_BINOM = 1 << 13,   /* FRAC: binomial */
    FOLIO_MATH_F_SMALL = 1 << 14,   /* TABLE: smallmatrix, substack */
    FOLIO_MATH_F_TAG = 1 << 15,     /* TEXT: an equation tag "(1)" */
    FOLIO_MATH_F_BOXED = 1 << 16,   /* ROW: \boxed */
    FOLIO_MATH_F_PHANTOM = 1 << 17, /* ROW: \phantom (takes space only) */
    FOLIO_MATH_F_PRIME = 1 << 18    /* OP: prime mark(s) */
};

/* Letter styles (folio_math.variant); writers map letters and digits to
 * the Mathematical Alphanumeric Symbols with folio_math_variant_cp(). */
typedef enum folio_math_variant {
    FOLIO_MATH_V_DEFAULT = 0, /* italic for one letter, upright otherwise */
    FOLIO_MATH_V_NORMAL,      /* upright: \mathrm, capital Greek */
    FOLIO_MATH_V_BOLD,
    FOLIO_MATH_V_ITALIC,
    FOLIO_MATH_V_BOLD_ITALIC,
    FOLIO_MATH_V_DOUBLE_STRUCK,
    FOLIO_MATH_V_SCRIPT,
    FOLIO_MATH_V_BOLD_SCRIPT,
    FOLIO_MATH_V_FRAKTUR,
    FOLIO_MATH_V_BOLD_FRAKTUR,
    FOLIO_MATH_V_SANS,
    FOLIO_MATH_V_SANS_BOLD,
    FOLIO_MATH_V_SANS_ITALIC,
    FOLIO_MATH_V_MONO
} folio_math_variant;

/* Table environments (TABLE size). */
typedef enum folio_math_env {
    FOLIO_MATH_ENV_MATRIX = 0, /* matrix family, array, substack */
    FOLIO_MATH_ENV_CASES,      /* cases: value & condition */
    FOLIO_MATH_ENV_ALIGN,      /* align, aligned, split: r l r l ... */
    FOLIO_MATH_ENV_GATHER      /* gather, equation, bare \\ rows */
} folio_math_env;

typedef struct folio_math folio_math;
struct folio_math {
    unsigned char kind;    /* folio_math_kind */
    unsigned char variant; /* folio_math_variant (IDENT, NUMBER, TEXT) */
    int size;              /* see the kinds */
    unsigned flags;        /* FOLIO_MATH_F_* */
    const char *text;      /* UTF-8, NUL-terminated; see the kinds */
    const char *text2;
    folio_math *a, *b, *c; /* operands; see the kinds */
    folio_math *first;     /* ROW, TABLE: children */
    folio_math *next;      /* next sibling */
    uint32_t src, srclen;  /* the node's span in the TeX source */
};

typedef struct folio_tex {
    arena arena;      /* owns every node and string */
    folio_math *root; /* a ROW (or a TABLE for bare rows); never NULL */
    const char *src;  /* the TeX given to tex_parse (not copied) */
    size_t srclen;
    int errors;  /* fallbacks (ERROR nodes and repairs) */
    int display; /* tex_new: 1 for $$ and \[ spans */
} folio_tex;

/* Find the TeX inside a delimited span: "$x$", "$$x$$", "\(x\)", "\[x\]"
 * (anything else is taken whole).  Sets [*start, *end) and *display (1 for
 * $$ and \[, else 0). */
void tex_strip_delims(const char *s, size_t len, size_t *start, size_t *end,
                      int *display);

/* Parse TeX math (without delimiters).  Never fails: what cannot be read
 * becomes ERROR nodes holding its source.  Linear in len. */
void tex_parse(folio_tex *t, const char *src, size_t len);
void tex_free(folio_tex *t);

/* The code point of cp in a letter style (cp itself when there is none). */
uint32_t folio_math_variant_cp(uint32_t cp, int variant);

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

/* Self-check for the tests: the command table is sorted (1) or not (0). */
int tex_table_sorted(void);

#endif
