/* pdf.h - the PDF plugin's internal interface (not installed).
 *
 * The files in layers; each calls only the ones below it:
 *
 *   pdf.c     the plugin: options, init/fini, a book written as one
 *             document (document info, saving)
 *   render.c  the IR's blocks and papers laid out on pages
 *   inlines.c the IR's inline nodes as styled text of a paragraph
 *   figure.c, math.c  figures and typeset math, drawn for the renderers
 *   page.c    pages and their furniture: running head, the column flowed
 *             down the pages, contents pages, footers, outline entries
 *   layout.c  paragraphs: styled text, UAX #14 line breaking with widths
 *             measured per code point, drawing lines with links
 *   draw.c    drawing primitives: colours, text written into the page,
 *             rules, destinations
 *   fonts.c   which TrueType face draws which character; fonts found once
 *             per process, loaded into each HPDF_Doc on first use
 *   embed.c   before libharu writes: the faces embedded as subsets, every
 *             stream deflated on two threads
 *   subset.c  a TrueType face cut down to the glyphs drawn
 *   fontcheck.c  a font file checked before libharu reads it
 *   haru.c    every use of libharu's private structures (haru.h)
 *   tag.c     the structure of a tagged PDF (tag.h), called from the
 *             renderers and drawing code
 */
#ifndef FOLIO_PDF_H
#define FOLIO_PDF_H

#include <folio/plugin.h>
#include <hpdf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* ------------------------------------------------------------- fonts */

/* ROLE_MATH: upright math (operators, digits, Greek capitals);
 * ROLE_MATH_IT: italic variables (see math.c for the faces). */
enum { ROLE_REGULAR, ROLE_BOLD, ROLE_MONO, ROLE_MATH, ROLE_MATH_IT, NROLES };

#define MAX_FACES 48

/* pdf_pick() results besides a face index. */
enum { FACE_NONE = -1, FACE_SKIP = -2 };

typedef struct pdf_face {
    char *path;
    int index;             /* face in a .ttc */
    char *family;          /* for the preference and avoid lists */
    void *charset;         /* FcCharSet: what the face covers */
    int bold;              /* a real bold face */
    int hangul_ok, han_ok; /* libharu 2.3.0 draws these whole */
    int hinted;            /* embedded with its hinting instructions */
    int oblique;           /* a real italic or oblique face */
    float scale;           /* drawn at this fraction of the asked size */
    /* Filled on first use, under pdf_fonts.lock: the file mapped once for
     * every document, and the advance widths measured so far (BMP, in
     * 1/1000 em, stored + 1 so 0 means not yet known). */
    int mapped; /* 0 not yet, 1 mapped and checked, -1 unreadable,
                   -2 refused by pdf_font_check (bad says why) */
    const char *bad;
    const unsigned char *data;
    size_t size;
    _Atomic uint16_t *_Atomic widths; /* published once, read unlocked */
    uint16_t *gids;             /* glyph of each BMP code point (flat cmap) */
    struct pdf_facedef *parsed; /* libharu's parse, copied per document */
} pdf_face;

typedef struct pdf_fonts {
    pdf_face *faces;       /* MAX_FACES of them, nfaces filled */
    _Atomic int nfaces;    /* grows once, when the fallbacks are loaded */
    int nnamed;            /* faces named by a preference list */
    _Atomic int fallbacks; /* the fallback faces have been added */
    int role[NROLES];      /* face of each role */
    int han[4], nhan;      /* preferred faces for Han */
    int latin[2][2];       /* [bold][italic]: Latin runs, -1 for none */
    pthread_mutex_t lock;
} pdf_fonts;

int pdf_fonts_init(const folio_host *host, folio_job *job, pdf_fonts *f);
void pdf_fonts_free(pdf_fonts *f);

/* ----------------------------------------------------------- context */

enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_JUSTIFY };

typedef struct pdf_ctx {
    const folio_host *host;
    folio_job *job;
    pdf_fonts *fonts;
    HPDF_Doc doc;
    int failed; /* libharu reported an error */
    unsigned long err, detail;
    HPDF_Font *dfonts; /* per face, loaded into this document lazily */
    int libharu_embed; /* FOLIO_PDF_LIBHARU_EMBED: libharu's fonts */
    HPDF_FontDef lent[MAX_FACES];  /* definitions lent a face's gids */
    HPDF_FontDef donor[MAX_FACES]; /* parses shared with the kept ones */
    uint64_t *drawn[MAX_FACES];    /* per face, a bit per CID drawn */
    HPDF_Encoder utf8;

    /* Page geometry (points). */
    float pw, ph, ml, mr, mt, mb;
    HPDF_Page page;   /* current page, NULL before the first */
    float y;          /* top of the next line box */
    HPDF_Page *pages; /* every body page, in order */
    size_t npages, cap;
    size_t first_page; /* number of the first body page (1-based) */

    /* The digest being laid out. */
    const folio_digest *d;
    HPDF_Outline day_mark; /* its bookmark, parent of an article's */
    size_t next_sec;       /* the article section heading to meet next */
    const char *lang;
    const char *head_left, *head_right; /* running header */
    char head_date[FOLIO_DATE_MAX];
    char head_buf[256]; /* the right-hand head: day or paper */
    int no_head;        /* the next page opens a day: no running head */
    int book;           /* several days: the book's title heads the pages */
    float size;         /* body text size */
    unsigned rgb;       /* body text colour */
    unsigned bg;        /* background of the lines, 0 for none */
    const char *book_author; /* the book's author, or NULL */
    int sec_level;           /* heading level of the sections here, or 0 */
    float sec_size;          /* and the size of their heads */

    /* Indentation and decorations of the current block. */
    float left;    /* indent from the left margin */
    float bars[8]; /* x of block-quote bars */
    int nbars;
    int depth;

    /* A list label waiting for the next line drawn. */
    char marker[32];
    float marker_x;

    /* Code points beyond the BMP drawn here: CID ALIAS_CID + k draws
     * alias[k] (CIDs are 16 bits; libharu knows only the BMP). */
    uint32_t alias[256];
    int nalias;

    /* Characters no font covers, reported once each. */
    uint32_t warned[16];
    int nwarned, unwarned;
    unsigned char facefailed[MAX_FACES]; /* reported: not tried again */
    int warned_long, warned_url;         /* a string cut, a URL unlinked */
    folio_buf bounded;                   /* pdf_bound()'s copy */

    /* Figures: one XObject per distinct image (figure.c). */
    struct pdf_imgcache *imgs;
    size_t nimgs, capimgs;
    int figures_after; /* the inlines' images are drawn after them */

    struct pdf_tag *tag; /* the structure (tag.c), NULL when untagged */
} pdf_ctx;

/* Before HPDF_Free: take back the glyph tables lent to this document's
 * font definitions, and the arrays of a parse kept for the process
 * (haru.c). */
void pdf_fonts_unlend(pdf_ctx *c);
/* A face's font in this document (loaded on first use), or NULL. */
HPDF_Font pdf_face_font(pdf_ctx *c, int face);
/* The face that draws cp in a role, upright or italic: a face index,
 * FACE_NONE or FACE_SKIP. */
int pdf_pick(const pdf_ctx *c, int role, int italic, uint32_t cp);
/* Advance of cp in a face, in 1/1000 em. */
float pdf_advance(pdf_ctx *c, int face, uint32_t cp);
/* The first CID standing for a code point beyond the BMP (Private Use
 * Area: a face drawing those code points too in a document would clash). */
#define ALIAS_CID 0xF000u
/* The CID that draws cp in this document: cp itself in the BMP, else an
 * alias (assigned on first use), or -1 when the aliases are all taken. */
long pdf_cid(pdf_ctx *c, uint32_t cp);
/* The glyph of a CID in a face (aliases resolved through the face's
 * format 12 cmap), 0 for none. */
unsigned pdf_cid_glyph(pdf_ctx *c, int face, unsigned cid);
/* The code point a CID stands for. */
uint32_t pdf_cid_text(const pdf_ctx *c, unsigned cid);
/* Report once that cp cannot be drawn. */
void pdf_warn_char(pdf_ctx *c, uint32_t cp, int line);

/* ------------------------------------------------------- draw.c */

void pdf_rgb(HPDF_Page page, unsigned rgb, int stroke);
/* Inside a text object: the next text starts at (x, y), slanted by skew
 * (0 or 0.2).  Written straight into the page's contents: libharu's
 * Tm operator formats six reals to five decimals. */
void pdf_text_at(pdf_ctx *c, float skew, float x, float y);
/* Inside a text object, in the current font (the face's, set with
 * HPDF_Page_SetFontAndSize): len bytes of UTF-8, all drawn by face.
 * Written as a string of CIDs (libharu's UTF-8 encoder makes a CID of
 * each BMP code point), the glyphs marked for the subset; libharu's
 * ShowText would measure the text again and write it in hex. */
void pdf_show(pdf_ctx *c, int face, const char *s, size_t len);
void pdf_hrule(pdf_ctx *c, float x0, float x1, float y, float w, unsigned rgb);
/* A destination at a height of a page that keeps the reader's zoom. */
HPDF_Destination pdf_dest(pdf_ctx *c, HPDF_Page page, float top);
/* libharu refuses a string object (document info, outline entry, URI)
 * over 65,535 bytes, and the document with it.  s, or a copy cut at a
 * character boundary (valid until the next call), with one warning per
 * document. */
const char *pdf_bound(pdf_ctx *c, const char *s, const char *what);

/* ------------------------------------------------------------ layout */

typedef struct pdf_style {
    unsigned char role; /* ROLE_* */
    unsigned char italic, strike, super;
    float size;   /* points */
    unsigned rgb; /* 0xRRGGBB */
    int link;     /* index in pdf_para.links, -1 for none */
} pdf_style;

typedef struct pdf_span {
    size_t start; /* byte where this style begins */
    pdf_style st;
} pdf_span;

/* One code point of a paragraph, measured. */
typedef struct pdf_glyph {
    uint32_t off, cp;
    int face; /* or FACE_NONE / FACE_SKIP: not drawn */
    int span;
    float w;           /* advance in points */
    unsigned char brk; /* FOLIO_BREAK_* after this character */
} pdf_glyph;

typedef struct pdf_line {
    size_t start, end; /* glyphs [start, end), trailing spaces cut */
    float width, size; /* natural width; largest font size */
    int last;          /* ends the paragraph or a hard break */
} pdf_line;

typedef struct pdf_para {
    folio_buf text;
    pdf_span *spans;
    size_t nspans, capspans;
    const char **links; /* URLs, safe ones only */
    size_t nlinks, caplinks;
    /* Per link, made on the first annotation after pdf_para_break: its
     * runs (a style run on a line), and for one of several runs (a long
     * URL broken over lines) the URI action they all share. */
    unsigned *linkruns;
    void **actions;
    pdf_style cur; /* style of the next text added */
    int pre;       /* keep spaces and line ends (code) */
    int line;      /* source line, for warnings */
    int align;
    float leading; /* line box = size * leading */
    /* Filled by pdf_para_break(). */
    pdf_glyph *g;
    size_t ng;
    pdf_line *lines;
    size_t nlines;
} pdf_para;

void pdf_para_init(pdf_para *p, const pdf_style *st, float leading);
void pdf_para_free(pdf_ctx *c, pdf_para *p);
void pdf_para_text(pdf_ctx *c, pdf_para *p, const char *s, size_t len);
int pdf_para_link(pdf_para *p, const pdf_ctx *c, const char *url);
void pdf_para_bold_label(pdf_para *p, size_t from);
/* Measure and break into lines of at most width points. */
void pdf_para_break(pdf_ctx *c, pdf_para *p, float width);
/* Widest unbreakable piece and the whole text on one line, in points. */
void pdf_para_widths(pdf_ctx *c, pdf_para *p, float *minw, float *maxw);
/* Draw line i with its baseline at y, in a box [x, x + width). */
void pdf_line_draw(pdf_ctx *c, pdf_para *p, size_t i, float x, float y,
                   float width);

/* ------------------------------------------------------- page.c */

void pdf_new_page(pdf_ctx *c);
/* Start a new page unless h points fit above the bottom margin. */
void pdf_need(pdf_ctx *c, float h);
/* Leave h points of space (drawing block-quote bars through it). */
void pdf_vspace(pdf_ctx *c, float h);
/* Lay out a paragraph in the current column, line by line. */
void pdf_flow(pdf_ctx *c, pdf_para *p, float space_after);
/* The pending list marker (c->marker) at baseline base, then cleared. */
void pdf_draw_marker(pdf_ctx *c, float base, float size);
/* Before the first body page: the number of contents pages n days take,
 * then (pdf_contents) those pages, once the days' first pages are known. */
size_t pdf_contents_pages(const pdf_ctx *c, size_t n);
void pdf_contents(pdf_ctx *c, const folio_book *book, const size_t *starts,
                  size_t ncont, HPDF_Outline root);
/* "Page X of Y" on every page. */
void pdf_footers(pdf_ctx *c, size_t ncont);
/* An outline entry for title, to the current page at top. */
HPDF_Outline pdf_outline(pdf_ctx *c, HPDF_Outline parent, const char *title,
                         float top);
/* Set the right-hand running head (num and title, or the day's). */
void pdf_set_head(pdf_ctx *c, const char *num, const char *title);

/* The current column (its indent from the left margin) and the body
 * style at the current size and colour. */
static inline pdf_style body(const pdf_ctx *c)
{
    pdf_style st = {ROLE_REGULAR, 0, 0, 0, c->size, c->rgb, -1};
    return st;
}

static inline float column_x(const pdf_ctx *c)
{
    return c->ml + c->left;
}

static inline float column_w(const pdf_ctx *c)
{
    return c->pw - c->ml - c->mr - c->left;
}

/* ------------------------------------------- subset.c and embed.c */

typedef struct pdf_subset_out {
    unsigned char *data; /* the new face (malloc'd) */
    size_t size;
    uint16_t *newgid; /* new glyph of each old one, 0 if dropped */
    unsigned nglyphs; /* old glyph count: newgid's length */
} pdf_subset_out;

/* Cut face index of a TrueType file (or collection) down to the glyphs
 * flagged in used[0..nused) plus .notdef and composite components, with
 * or without the TrueType hinting instructions.  Returns 0, or -1 when
 * the face has no TrueType outlines or memory runs out. */
int pdf_subset(const unsigned char *font, size_t size, unsigned index,
               const unsigned char *used, unsigned nused, int hints,
               pdf_subset_out *out);

/* NULL when face index of a font file is safe to hand to libharu 2.3.0
 * and to folio's own readers: every table they read lies in the file and
 * agrees with numGlyphs (fontcheck.c).  Else why not, in a few words. */
const char *pdf_font_check(const unsigned char *font, size_t size,
                           unsigned index);

/* Deflate one stream now (a decoded figure: its raw pixels are not held
 * until the document is saved).  Returns 0 or -1. */
int pdf_deflate_now(pdf_ctx *c, HPDF_Dict dict);
/* Before HPDF_SaveToFile: embed the faces used as subsets and deflate
 * every stream on a few threads (sets c->failed on failure). */
void pdf_embed(pdf_ctx *c);
/* A face's font for this document: the Type0 font and its CIDFontType2,
 * their widths, map, ToUnicode and descriptor left for pdf_embed to fill.
 * HPDF_GetFont would build all of those for the whole BMP first (haru.c). */
HPDF_Font pdf_type0_font(pdf_ctx *c, HPDF_FontDef def);

/* ------------------------------------------------------- math.c */

/* An inline math node as styled runs of p: italic variables, upright
 * operators, raised and lowered smaller scripts, a/b, √x. */
void pdf_math_inline(pdf_ctx *c, pdf_para *p, const folio_node *n);
/* A paragraph holding only display math: typeset centred in the column
 * from the host's tree and returns 1; else 0 (nothing drawn). */
int pdf_math_display(pdf_ctx *c, const folio_node *para);

/* ------------------------------------------------------ figure.c */

/* The host's image for an IMAGE node: FOLIO_IMAGE_OK only when it can be
 * drawn (PNG, JPEG, GIF, WebP), else _REMOTE or _ERROR. */
int pdf_image(pdf_ctx *c, const folio_node *n, folio_image *f);
/* 1 when n is drawn as a picture (so its alt text is not written). */
int pdf_image_drawn(pdf_ctx *c, const folio_node *n);
/* Draw n as a figure in the column [x, x + w), with its caption.
 * Returns 0 when it cannot be drawn (nothing done). */
int pdf_figure(pdf_ctx *c, const folio_node *n, float x, float w);
/* The height n takes as a figure (0 when it cannot be drawn), to keep a
 * heading with it. */
float pdf_figure_height(pdf_ctx *c, const folio_node *n, float w);
void pdf_images_free(pdf_ctx *c);

/* ----------------------------------------------------- inlines.c */

void pdf_para_inlines(pdf_ctx *c, pdf_para *p, const folio_node *n);

/* ------------------------------------------------------ render.c */

void pdf_digest(pdf_ctx *c, const folio_digest *d, HPDF_Outline parent);
/* Sizes (points) and colours shared by the files. */
#define BODY_SIZE 9.0f
#define LEADING 1.45f
#define SMALL_SIZE 7.5f
/* The side-head column, in ems of the body text. */
#define SIDE_EMS 9.5f
#define TEXT_RGB 0x1a1a1au
#define GREY_RGB 0x6b6b6bu
#define LINK_RGB 0x1a4d8fu
#define ACCENT_RGB 0x1f3a5fu

#endif /* FOLIO_PDF_H */
