/* folio/ir.h - the intermediate representation of a paper digest.
 *
 * The parser (core) builds it; output plugins read it and never change it.
 * Two layers:
 *   - the digest's own structure: book -> digest -> paper -> section;
 *   - a small rich-text tree (folio_node) that holds all the content.
 *
 * Lossless: every block of the body belongs to exactly one place, in
 * document order: the preamble, then for each paper its heading (none for
 * a post that is one paper), its body (blocks before the first section)
 * and its sections (heading + body).  A plugin that walks that order and
 * prints every node reproduces the document.  What kind of post it is
 * (digest, single paper, article) is folio_digest.kind.
 *
 * Memory: all of a digest (strings, nodes, arrays) lives in one arena owned
 * by the host and freed when the host releases the digest.  Every string is
 * UTF-8, NUL-terminated and valid, and holds no code point XML 1.0 forbids
 * (C0 controls but tab, LF and CR; surrogates) and no noncharacter: such
 * input, raw or from a character reference or YAML escape, was replaced by
 * U+FFFD.  The one exception is a digest's path, the bytes given on the
 * command line.
 */
#ifndef FOLIO_IR_H
#define FOLIO_IR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes shape; part of FOLIO_PLUGIN_ABI. */
#define FOLIO_IR_VERSION 3

/* ---------------------------------------------------------------- content */

typedef enum folio_node_type {
    /* Blocks. */
    FOLIO_NODE_PARAGRAPH = 1, /* children: inlines */
    FOLIO_NODE_HEADING,       /* u.heading; children: inlines */
    FOLIO_NODE_BLOCK_QUOTE,   /* children: blocks */
    FOLIO_NODE_LIST,          /* u.list; children: FOLIO_NODE_ITEM */
    FOLIO_NODE_ITEM,          /* u.item; children: blocks */
    FOLIO_NODE_CODE_BLOCK,    /* text: the code, ending in '\n'; u.code */
    FOLIO_NODE_HTML_BLOCK,    /* text: raw HTML as written (never trusted) */
    FOLIO_NODE_THEMATIC_BREAK,
    FOLIO_NODE_TABLE,        /* u.table; children: FOLIO_NODE_TABLE_ROW */
    FOLIO_NODE_TABLE_ROW,    /* u.row; children: FOLIO_NODE_TABLE_CELL */
    FOLIO_NODE_TABLE_CELL,   /* children: inlines */
    FOLIO_NODE_FOOTNOTE_DEF, /* u.footnote; children: blocks */
    FOLIO_NODE_MARKUP_BLOCK, /* text: a block of blog-engine markup (see
                                FOLIO_NODE_MARKUP), lines joined by '\n';
                                children: a PARAGRAPH of what a Liquid
                                page variable prints, else none */

    /* Inlines. */
    FOLIO_NODE_TEXT = 32,     /* text */
    FOLIO_NODE_SOFTBREAK,     /* a line end inside a paragraph */
    FOLIO_NODE_LINEBREAK,     /* a hard line break */
    FOLIO_NODE_CODE,          /* text: inline code */
    FOLIO_NODE_HTML_INLINE,   /* text: raw HTML as written (never trusted) */
    FOLIO_NODE_EMPH,          /* children: inlines */
    FOLIO_NODE_STRONG,        /* children: inlines */
    FOLIO_NODE_STRIKETHROUGH, /* children: inlines */
    FOLIO_NODE_LINK,          /* u.link; children: inlines (the link text) */
    FOLIO_NODE_IMAGE,         /* u.link; children: inlines (the alt text) */
    FOLIO_NODE_FOOTNOTE_REF,  /* u.footnote */
    /* TeX math, never parsed as Markdown.  text: the span exactly as
     * written, delimiters included: "$...$", "$$...$$", "\(...\)",
     * "\[...\]", "\\(...\\)" or "\\[...\\]" (lines inside a quote or
     * list without their container prefix).  Display math when it
     * starts with "$$" or "\[" (see FOLIO_MATH_DISPLAY); as kramdown does,
     * it is set as a display block only when its paragraph holds nothing
     * else, and inline within a line of text. */
    FOLIO_NODE_MATH,
    /* Markup for the blog engine, not content: Liquid tags and output
     * ("{% ... %}", "{{ ... }}"), kramdown attribute lists and extensions
     * ("{: .class}", "{:toc}", "{::options .../}", "{::comment}...
     * {:/comment}"), "<!--more-->", and the ": " that starts a kramdown
     * definition (a definition list is a paragraph: each term a STRONG on
     * a line of its own, a LINEBREAK, then ": " and the definition).
     * text: as written.  Not shown; an md writer keeps it.  children: for
     * Liquid output of a page variable folio knows ("{{ page.title }}",
     * date, author, tags, categories, other simple front-matter keys), a
     * TEXT of what Jekyll prints, shown in its place; else none. */
    FOLIO_NODE_MARKUP
} folio_node_type;

/* True for the inline node types. */
#define FOLIO_NODE_IS_INLINE(t) ((t) >= FOLIO_NODE_TEXT)

/* True for a FOLIO_NODE_MATH written as display math: "$$...$$",
 * "\[...\]" or, as kramdown posts write it, "\\[...\\]". */
#define FOLIO_MATH_DISPLAY(n)                                                  \
    ((n)->len >= 4 && ((n)->text[0] == '$'    ? (n)->text[1] == '$'            \
                       : (n)->text[1] == '\\' ? (n)->text[2] == '['            \
                                              : (n)->text[1] == '['))

typedef enum folio_align {
    FOLIO_ALIGN_NONE = 0,
    FOLIO_ALIGN_LEFT,
    FOLIO_ALIGN_CENTER,
    FOLIO_ALIGN_RIGHT
} folio_align;

typedef struct folio_node folio_node;
struct folio_node {
    folio_node_type type;
    const folio_node *next;  /* next sibling, NULL at the end of a list */
    const folio_node *child; /* first child, NULL for leaves */
    int line;                /* 1-based line in the source file, 0 unknown */
    int col;                 /* 1-based column (bytes), 0 unknown */
    const char *text;        /* literal of TEXT, CODE, CODE_BLOCK, HTML_*,
                                MATH, MARKUP*; for a LINK whose destination
                                held Jekyll Liquid that the core resolved
                                into u.link.url, the destination as written
                                (for an output that republishes Markdown);
                                NULL otherwise */
    size_t len;              /* strlen(text), 0 when text is NULL */
    union {
        struct {
            int level;  /* 1..6 */
            int setext; /* 1 when written as underline (=== / ---) */
        } heading;
        struct {
            int ordered; /* 1 for "1." lists, 0 for bullets */
            int start;   /* first number of an ordered list */
            int tight;   /* 1 when items are not separated by blank lines */
            char delim;  /* '.' or ')' for ordered lists */
            char bullet; /* '-', '*' or '+' for bullet lists */
        } list;
        struct {
            int task;    /* 1 for a task-list item ("- [ ] ...") */
            int checked; /* 1 for "- [x] ..." */
        } item;
        struct {
            const char *info; /* info string after the fence ("" if none) */
            int fenced;       /* 0 for an indented code block */
        } code;
        struct {
            const char *url;   /* destination as written, never NULL */
            const char *title; /* title attribute, "" if none */
            int autolink;      /* 1 for <https://...>, 2 for a bare GFM URL
                                  (kramdown leaves those as text) */
        } link;
        struct {
            int ncols;                /* number of columns */
            const folio_align *align; /* ncols entries */
        } table;
        struct {
            int header; /* 1 for the header row */
        } row;
        struct {
            int number;        /* 1-based, in order of first reference */
            const char *label; /* the label as written ("1", "note") */
        } footnote;
    } u;
};

/* ----------------------------------------------------------- front matter */

/* The front matter as a small YAML tree, kept whole so nothing is lost.
 * The root is a FOLIO_YAML_MAP whose children are its entries. */
typedef enum folio_yaml_kind {
    FOLIO_YAML_SCALAR = 1,
    FOLIO_YAML_SEQ,
    FOLIO_YAML_MAP
} folio_yaml_kind;

typedef struct folio_yaml folio_yaml;
struct folio_yaml {
    folio_yaml_kind kind;
    const char *key;         /* key when this is an entry of a map, else NULL */
    const char *value;       /* scalar value ("" for an empty one), else NULL */
    int quoted;              /* scalar was quoted in the source ('x' or "x") */
    const folio_yaml *child; /* first item or entry of a SEQ or MAP */
    const folio_yaml *next;  /* next sibling */
    int line;                /* 1-based line in the source file */
    int col;                 /* 1-based column (bytes) */
};

/* ---------------------------------------------------------- the structure */

typedef enum folio_role {
    FOLIO_ROLE_OTHER = 0, /* not one of the usual sections: kept as is */
    FOLIO_ROLE_INTRODUCTION,
    FOLIO_ROLE_METHOD,
    FOLIO_ROLE_RESULTS,
    FOLIO_ROLE_LIMITATIONS,
    FOLIO_ROLE_CONCLUSION
} folio_role;

/* One named link of a paper (the "> [Alphaxiv](...)" quote and the like). */
typedef struct folio_link {
    const char *label; /* link text as plain text */
    const char *url;   /* destination */
} folio_link;

/* A section of a paper: a heading one level below the paper's, or a
 * paragraph that starts with a bold label ("**Summary:** ..."). */
typedef struct folio_section {
    const char *title;         /* plain text of the heading or the label,
                                  trimmed, without a trailing ':' */
    folio_role role;           /* recognised meaning; OTHER when unknown */
    const folio_node *heading; /* the HEADING block as written, or NULL
                                  when the section is a bold label (the
                                  label then stays inside body) */
    const folio_node *body;    /* blocks of the section (may be NULL) */
    int line;                  /* source line where the section starts */
} folio_section;

typedef struct folio_paper {
    int number;                      /* 1 for "1. ...", 0 when unnumbered */
    const char *title;               /* plain text of the title, without the
                                        number ("ViSAudio: End-to-End ...") */
    const folio_node *title_inlines; /* the title as inlines: without the
                                   number, and without the link when the
                                   whole title is a link; for a PAPER post
                                   one TEXT node outside the document */
    const folio_node *heading;       /* the paper's HEADING block as written;
                                        NULL for a PAPER post */
    const char *url;         /* primary URL: the heading's link, else the
                                first link paragraph's or link list's, else
                                the first paper link of the first blocks;
                                for a PAPER post a front-matter paper link
                                or the first paper link near the top wins;
                                NULL if none */
    const char *arxiv_id;    /* "2512.03036" ("2512.03036v2" when the link
                                gives a version) when one can be read from
                                any of its links, else NULL */
    const folio_link *links; /* further links (block quote of links,
                                other links of the link paragraph) */
    size_t nlinks;
    const folio_node *links_block; /* the block in body that holds links
                                   (a quote, a link paragraph or a bullet
                                   list of "Label: <link>" items), or NULL: a
                                   plugin that prints links itself skips it */
    const folio_node *body;        /* blocks before the first section */
    const folio_section *sections;
    size_t nsections;
    int line; /* source line of the heading */
} folio_paper;

/* What kind of post a digest is.  A paper heading (a heading at the paper
 * level, see paper_level) is "linked" when it is numbered ("3. Title", but
 * not a section name such as "1. Introduction") or is itself a link to a
 * paper, and has a paper link (arXiv, Hugging Face papers, alphaXiv,
 * OpenReview, ACL Anthology, DOI, ...) no earlier paper had: in the
 * heading, a link paragraph, a quote of links, or a list of link items
 * ("- **URL**: [...](...)", "- arXiv: <...>") right under it.  Decided in
 * this order:
 *   DIGEST   two or more linked paper headings, or one that is the post's
 *            only paper heading (its subheadings are the sections);
 *   PAPER    the post says it is about one paper: a front-matter key
 *            paper/paper_url/paper_link/arxiv/arxiv_url/arxiv_id, a tag or
 *            category naming a review ("review", "리뷰", "论文笔记", ...), a
 *            title such as "[논문 리뷰] ...", "Paper review: ...", "[Paper]",
 *            "论文阅读：...";
 *   DIGEST   one linked paper heading;
 *   PAPER    a paper link in the first six blocks (before any numbered
 *            paper heading; the title heading aside);
 *   DIGEST   numbered paper headings, fewer than half of them section
 *            names: a digest whose papers have no links;
 *   ARTICLE  otherwise. */
typedef enum folio_kind {
    FOLIO_KIND_DIGEST = 0, /* papers[] are the numbered papers */
    FOLIO_KIND_PAPER,      /* the post is one paper: npapers is 1 and
                              papers[0] has no heading (NULL); its title is
                              the digest's title, its sections are the
                              post's top headings */
    FOLIO_KIND_ARTICLE     /* no papers: every block is in preamble, and
                              sections[] lists its top headings */
} folio_kind;

typedef struct folio_digest {
    const char *path;        /* the input path as given ("-" for stdin) */
    const char *name;        /* file name without directory and ".md"
                                ("stdin" for stdin): a stem for outputs */
    const char *title;       /* front matter, else a lone top heading,
                                else the file name as Jekyll titles it
                                ("No Front Matter"); never NULL */
    const char *date;        /* ISO 8601 ("2025-12-03" or
                                "2025-12-03T08:15:00[+09:00]"): front
                                matter, else the file name's YYYY-MM-DD-
                                prefix; NULL when neither has one */
    const char *lang;        /* BCP 47 ("ko", "zh", "ja", "en"): front
                                matter, else detected; never NULL */
    int lang_detected;       /* 1 when lang was detected, not declared */
    const char *author;      /* front matter "author" if a scalar, or NULL */
    const char *const *tags; /* front matter "tags" (list or one string) */
    size_t ntags;
    const char *const *categories; /* front matter "categories" */
    size_t ncategories;
    const folio_yaml *meta; /* the whole front matter (root MAP), or NULL
                               when the file has none */
    const folio_node *title_heading; /* the lone top heading that titles the
                                   digest (it is also the first block of
                                   preamble), or NULL */
    const folio_node *preamble;      /* blocks before the first paper */
    const folio_paper *papers;
    size_t npapers;
    int paper_level; /* heading level of papers (1 or 2), 0 if none; for a
                        PAPER one less than its sections' level (0 when
                        they are level 1) */
    const folio_node *footnotes; /* FOOTNOTE_DEF blocks, in reference order */
    size_t source_bytes;         /* size of the input */
    /* Added in IR version 2. */
    folio_kind kind;
    const folio_section *sections; /* ARTICLE only: its top-level headings
                                      (the lowest level used, the title
                                      heading aside), in order.  Each
                                      heading is a block of preamble and
                                      body is NULL: a section runs from
                                      its heading to the next one's. */
    size_t nsections;
} folio_digest;

/* What every plugin receives: one digest, or many bound into one book.
 * Digests are not all held in memory: a plugin asks the host for digest i
 * (folio_host.digest) and hands it back (folio_host.release) when done, so
 * a year of digests costs the memory of one.  The summaries below are
 * always there. */
typedef struct folio_digest_info {
    const char *path; /* as in folio_digest */
    const char *name;
    const char *title;
    const char *date;
    const char *lang;
    const char *author;
    size_t npapers;
    folio_kind kind; /* added in IR version 2 */
} folio_digest_info;

typedef struct folio_book {
    const char *title;      /* --title, else the digest's title (one
                               digest) or derived from the dates */
    const char *author;     /* --author, else a shared front-matter
                               author, else NULL */
    const char *lang;       /* --lang, else the most common digest lang */
    const char *identifier; /* stable: "urn:folio:" + hash of contents */
    const char *date;       /* latest digest date (ISO 8601) or NULL */
    const char *modified;   /* "CCYY-MM-DDThh:mm:ssZ": SOURCE_DATE_EPOCH
                               when set, else the current time */
    long long epoch;        /* the same instant in seconds since 1970 */
    const folio_digest_info *digests; /* ndigests summaries, in input order */
    size_t ndigests;
} folio_book;

/* ------------------------------------------------------------------ math */

/* A TeX math span as a small presentation tree, built by the host's
 * math_parse() (see folio/plugin.h) for plugins that typeset it.  Nodes
 * and strings belong to the folio_math_doc; pointers a kind does not use
 * are NULL. */
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
 * the Mathematical Alphanumeric Symbols with the host's math_variant(). */
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

/* A parsed math span (host->math_parse). */
typedef struct folio_math_doc {
    const folio_math *root; /* a ROW (or a TABLE for bare rows); never NULL */
    const char *tex;        /* the TeX without its delimiters, valid UTF-8
                               (may point into the span given to
                               math_parse: valid while both live) */
    size_t texlen;
    int errors;  /* fallbacks: ERROR nodes and repairs; 0 = converted in full */
    int display; /* 1 when written as display math ($$ or \[) */
} folio_math_doc;

#ifdef __cplusplus
}
#endif

#endif /* FOLIO_IR_H */
