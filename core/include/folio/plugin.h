/* folio/plugin.h - the output plugin ABI.
 *
 * A plugin is a shared object that exports one symbol, folio_plugin_entry,
 * returning a static description (folio_plugin).  The host lends the plugin
 * a table of services (folio_host), so a plugin never links the core and
 * never sees cmark-gfm or libyaml: only the IR of <folio/ir.h> and this.
 *
 * Compatibility: both structs only grow at the end, and each says its own
 * size as it was built, so an older plugin can be told from a newer one.
 * The host refuses a plugin whose abi differs from its own
 * FOLIO_PLUGIN_ABI or whose size is smaller than this ABI's first
 * folio_plugin; a plugin that wants a host field added later checks it with
 * FOLIO_HOST_HAS(host, field), and the host reads a folio_plugin field added
 * later only when FOLIO_PLUGIN_HAS(plugin, field).  Adding fields at the
 * end therefore needs no new ABI; changing or removing one does.
 *
 * <folio/plugin-util.h> has inline helpers built on the host's services.
 *
 * Threads: with -j the host may call write() from several threads at once,
 * each call with its own job, unless the plugin sets FOLIO_PLUGIN_SERIAL.
 */
#ifndef FOLIO_PLUGIN_H
#define FOLIO_PLUGIN_H

#include <folio/ir.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version: changes whenever folio_plugin, folio_host or the IR
 * change incompatibly. */
#define FOLIO_PLUGIN_ABI (200 + FOLIO_IR_VERSION)

/* The one symbol a plugin exports. */
#define FOLIO_PLUGIN_ENTRY "folio_plugin_entry"

#if defined(__GNUC__)
#define FOLIO_EXPORT __attribute__((visibility("default")))
#define FOLIO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FOLIO_EXPORT
#define FOLIO_PRINTF(a, b)
#endif

/* Severity of a report. */
enum { FOLIO_NOTE = 0, FOLIO_WARNING = 1, FOLIO_ERROR = 2 };

/* A growable byte buffer, owned by whoever declared it; grown and freed
 * only through the host's buf_* functions.  data is NUL-terminated once
 * anything was added.  A plugin may shorten it itself (len = n and
 * data[n] = 0, as fu_truncate does). */
/* html_sanitize()'s open elements (see folio_host). */
typedef struct folio_html_state {
    unsigned char tag[16]; /* open elements, outermost first */
    size_t n;
    int block;   /* set by the caller: an HTML block, not inline HTML */
    int fresh;   /* nothing yet in the innermost element */
    int any;     /* something shown */
    int pending; /* a paragraph ended: a <br/> before more text */
} folio_html_state;

typedef struct folio_buf {
    char *data; /* NULL until something is added */
    size_t len; /* bytes used, without the terminating NUL */
    size_t cap; /* bytes allocated */
} folio_buf;

/* One run of a plugin: where its output goes, its options, its messages.
 * Opaque; passed back to the host's functions. */
typedef struct folio_job folio_job;

/* A figure, as the host lends it (the image service below).  The bytes
 * are the file's, unchanged; everything belongs to the host and stays
 * valid until the plugin's write() returns. */
typedef enum folio_image_type {
    FOLIO_IMAGE_UNKNOWN = 0,
    FOLIO_IMAGE_PNG,
    FOLIO_IMAGE_JPEG,
    FOLIO_IMAGE_GIF,
    FOLIO_IMAGE_WEBP,
    FOLIO_IMAGE_SVG
} folio_image_type;

typedef struct folio_image {
    const unsigned char *data; /* the file's bytes, unchanged */
    size_t len;
    int type;                 /* folio_image_type, from the bytes */
    const char *media_type;   /* "image/png", "image/jpeg", "image/gif",
                                 "image/webp", "image/svg+xml" */
    const char *ext;          /* "png", "jpg", "gif", "webp", "svg" */
    int width, height;        /* pixels; an SVG's are 0 when it has none */
    int has_alpha;            /* transparency actually used */
    int components;           /* JPEG: 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK);
                                 PNG: 1-4 channels as stored; else 0 */
    int bit_depth;            /* PNG: 1-16 as stored; JPEG: 8; else 0 */
    int frames;               /* GIF: image blocks (more than 1: animated) */
    unsigned char sha256[32]; /* of data: equal bytes, one stored copy */
    char id[17];              /* the first 16 hex digits of sha256 */
    const char *path;         /* the real path read (or the cached copy of a
                                 fetched URL) */
} folio_image;

/* Decoded pixels (PNG, GIF's first frame, still WebP; never JPEG). */
typedef struct folio_pixels {
    int width, height;
    unsigned char *rgb;   /* width*height*3 bytes, rows top to bottom */
    unsigned char *alpha; /* width*height bytes, or NULL when opaque */
} folio_pixels;

/* What image() and cover() return. */
enum {
    FOLIO_IMAGE_ERROR = -1, /* refused: the host reported why; show the
                               alt text */
    FOLIO_IMAGE_OK = 0,     /* *out filled */
    FOLIO_IMAGE_REMOTE = 1  /* an http(s) URL not fetched: show the alt text
                               and the URL */
};

typedef struct folio_host {
    unsigned abi;        /* FOLIO_PLUGIN_ABI of the host */
    size_t size;         /* sizeof(folio_host) as the host was built */
    const char *version; /* folio's version, "0.1.0" */

    /* -- the book's digests ---------------------------------------------
     * Parse (or return the already parsed) digest i of book->digests.
     * NULL when i >= book->ndigests, or when the digest cannot be read any
     * more (an error is reported and the output will be discarded).
     * Warnings were reported when the digest was first read and are not
     * repeated.  Every digest returned must be handed back to release(),
     * after which it must not be used; a plugin should hold one digest at
     * a time (in a book of a year the host parses digest i + 1 in the
     * background while i is rendered).  Only from write(), never init(). */
    const folio_digest *(*digest)(folio_job *job, size_t i);
    void (*release)(folio_job *job, const folio_digest *d);

    /* -- output ----------------------------------------------------------
     * Stream output (plugins without FOLIO_PLUGIN_WANTS_PATH): append len
     * bytes.  Returns 0, or -1 on a write error (reported by the host; the
     * plugin should stop and return -1), and -1 from init() (no output
     * yet).  The output appears only if write() then returns 0. */
    int (*write)(folio_job *job, const void *buf, size_t len);
    /* For FOLIO_PLUGIN_WANTS_PATH plugins: the temporary file the plugin
     * must create and fill (a path under a private directory; never the
     * final name); the host renames it into place, or copies it to stdout,
     * when write() returns 0 and no error was reported, and removes it
     * otherwise.  NULL from init(). */
    const char *(*output_path)(folio_job *job);

    /* -- messages and options ---------------------------------------------
     * Report "path:line:col: severity: text" on stderr (and in the report).
     * severity is FOLIO_NOTE, _WARNING or _ERROR (anything else counts as
     * an error).  path NULL means the output; line/col 0 mean unknown.  An
     * error fails the output even if write() returns 0.  Messages are
     * printed later, in input order; control bytes are escaped. */
    void (*report)(folio_job *job, int severity, const char *path, int line,
                   int col, const char *fmt, ...) FOLIO_PRINTF(6, 7);
    /* Value of -O <plugin>.<key>=VALUE (the last one given wins), or NULL.
     * Keys not in folio_plugin.options are warned about by the host before
     * the run; the value is the plugin's to check (report an error from
     * init() to refuse it: one usage error, exit status 2). */
    const char *(*option)(folio_job *job, const char *key);

    /* -- buffers ---------------------------------------------------------
     * Append len bytes, a C string, or printf output to b, keeping it
     * NUL-terminated; free its memory and zero it.  Never fail: out of
     * memory ends the process. */
    void (*buf_put)(folio_buf *b, const void *s, size_t len);
    void (*buf_puts)(folio_buf *b, const char *s);
    void (*buf_printf)(folio_buf *b, const char *fmt, ...) FOLIO_PRINTF(2, 3);
    void (*buf_free)(folio_buf *b);

    /* -- text -----------------------------------------------------------
     * Decode one code point from s (len > 0); returns its byte length
     * (>= 1).  Input is valid UTF-8 (the IR guarantees it). */
    size_t (*utf8_next)(const char *s, size_t len, uint32_t *cp);
    /* Terminal columns of one code point (utf8proc's East Asian width): 0
     * (combining, C0 and C1 controls, unassigned), 1, or 2 (Hangul, Han,
     * kana, fullwidth, emoji). */
    int (*char_width)(uint32_t cp);
    /* Display width of a UTF-8 string: the sum of char_width(). */
    size_t (*str_width)(const char *s, size_t len);
    /* Line-break opportunities (UAX #14) for s: brks[i] describes the
     * position after byte i: FOLIO_BREAK_MUST, _ALLOW, _NO or _INSIDE (not
     * the last byte of a character).  Korean words stay whole: no break
     * next to a Hangul syllable unless after a space (the caller may still
     * break a word longer than a line); no break inside a URL.  brks must
     * hold len bytes; len 0 does nothing.  lang: BCP 47 or NULL. */
    void (*line_breaks)(const char *s, size_t len, const char *lang,
                        char *brks);
    /* Wrap a paragraph of plain text into lines of at most width columns
     * (display width), breaking only where line_breaks allows, and append
     * them to out, each ending in '\n'.  first is the prefix of the first
     * line, rest of the others (both count against width; NULL is "").  A
     * '\n' in s is a forced break; runs of spaces between words become the
     * spaces written, and spaces at a line end are dropped.  A word wider
     * than a line breaks where UAX #14 allows inside it, then at any space;
     * what is left is put alone on a line.  An empty line keeps its prefix
     * without trailing spaces.  Always at least one line (s empty). */
    void (*wrap)(folio_buf *out, const char *s, size_t len, size_t width,
                 const char *first, const char *rest, const char *lang);

    /* -- inlines and links ----------------------------------------------
     * Append the plain text of a list of inlines (links and emphasis as
     * their text, breaks as a space, code, raw HTML and math as written,
     * footnote references as "[N]", markup nodes as nothing). */
    void (*plain_text)(folio_buf *out, const folio_node *inlines);
    /* 1 when url is safe to make a live link: it starts with http://,
     * https:// or mailto: (any case), has something after it and holds no
     * control character; 0 otherwise (and for NULL). */
    int (*url_is_safe)(const char *url);
    /* Append s with &, <, >, " and ' escaped for XML text and attributes
     * (&amp; &lt; &gt; &quot; &#39;); characters XML 1.0 forbids (C0
     * controls but tab, LF, CR; U+FFFE, U+FFFF) are dropped. */
    void (*xml_escape)(folio_buf *out, const char *s, size_t len);
    /* Append url as a valid URI, whatever was written (for PDF URIs and
     * XHTML hrefs; XML-escape it after): percent-encodes spaces, controls,
     * non-ASCII bytes and "<>\^`{|}, a '%' that starts no %XX escape, every
     * '#' after the first, and '[' ']' outside the host of a scheme://host
     * URL.  Existing %XX escapes are kept, so encoding twice changes
     * nothing. */
    void (*url_encode)(folio_buf *out, const char *url);

    /* -- figures (added later: check FOLIO_HOST_HAS(host, image)) --------
     * The image an IMAGE node of digest d names (its u.link.url, as
     * written: a path, a Jekyll Liquid form, an http(s) URL).  The host
     * finds the file (the post's folder, its site root, --resource-path),
     * refuses one outside them, checks the bytes (type from the bytes,
     * limits on bytes and pixels) and, on a problem, reports
     * "post:line:col: warning: REF: why" once per run however many
     * outputs ask.  Each file is read once per book (one cache per book or
     * per input of -d, shared by every output and thread).  Returns
     * FOLIO_IMAGE_OK (*out filled; valid until write() returns),
     * FOLIO_IMAGE_REMOTE or FOLIO_IMAGE_ERROR. */
    int (*image)(folio_job *job, const folio_digest *d, const folio_node *img,
                 folio_image *out);
    /* The book's cover: --cover FILE, else the front matter's image: (a
     * string or {path: ...}) of the first digest that has one.  Returns
     * FOLIO_IMAGE_OK, or FOLIO_IMAGE_ERROR when there is none or it cannot
     * be used (then reported, unless there was none). */
    int (*cover)(folio_job *job, folio_image *out);
    /* Decode img (PNG, GIF, WebP; not JPEG or SVG) to 8-bit RGB plus an
     * alpha plane, within the pixel limit.  Returns 0, or -1 after
     * reporting why.  The plugin frees *out with pixels_free(). */
    int (*image_pixels)(folio_job *job, const folio_image *img,
                        folio_pixels *out);
    void (*pixels_free)(folio_pixels *px);

    /* -- math (FOLIO_NODE_MATH) -------------------------------------------
     * Fields from here on may be missing in an older host: check
     * FOLIO_HOST_HAS(host, math_mathml) etc. before use.  span/len is a
     * math node's text as the IR holds it, delimiters included; any bytes
     * are accepted (unreadable TeX becomes visible error nodes holding its
     * source, never dropped).  Time is linear in len, nesting is bounded.
     * Thread-safe: no shared state.
     *
     * Append one MathML Core <math> element (xmlns set; display="block"
     * when display is 1, inline when 0, as written when -1) with the TeX
     * as an application/x-tex annotation; well-formed XML always.
     * Returns the number of fallbacks (0: converted in full). */
    int (*math_mathml)(folio_buf *out, const char *span, size_t len,
                       int display);
    /* Append a linear Unicode form for plain text (x², xᵢ, a/b, √x,
     * α ≤ β); what has no readable linear form is kept as its TeX.  Rows
     * of align and gather environments are separated by '\n' (no trailing
     * one).  Returns the number of fallbacks. */
    int (*math_text)(folio_buf *out, const char *span, size_t len);
    /* Parse a span into a tree (folio_math_doc in folio/ir.h) for a
     * typesetter.  Never NULL.  The doc's tex may point into span, which
     * must outlive it; everything else belongs to the doc until
     * math_free(). */
    const folio_math_doc *(*math_parse)(const char *span, size_t len);
    void (*math_free)(const folio_math_doc *doc);
    /* -- shared decisions (check with FOLIO_HOST_HAS) ---------------------
     * The script class of a code point (FOLIO_SCRIPT_*), from one table of
     * Unicode blocks: every decision by script goes through it. */
    int (*script)(uint32_t cp);
    /* 1 when a source line end (a soft break) between the characters
     * before and after is no space: both are Han, kana or CJK punctuation
     * and fullwidth forms, as Chinese and Japanese are written.  Korean
     * (Hangul) and Latin keep the space. */
    int (*joins_lines)(uint32_t before, uint32_t after);
    /* A word the output says (FOLIO_LABEL_*) in lang (BCP 47: "ko",
     * "zh-Hant"; the primary subtag decides, and for Chinese a Hant script
     * or a TW, HK or MO region without Hans gives traditional characters),
     * from the host's one table of strings per language; English for a
     * language it lacks (or lang NULL), "" for a key it does not know.
     * Never NULL. */
    const char *(*label)(const char *lang, int key);
    /* "N papers" in lang into buf (cap bytes, truncated like snprintf):
     * "논문 3편", "3 篇论文", "論文 3 本", "1 paper", "3 papers"; "" for
     * 0.  Returns buf. */
    const char *(*count_papers)(const char *lang, size_t n, char *buf,
                                size_t cap);
    /* Append the text of raw HTML (an HTML block or inline), for outputs
     * that cannot show HTML: comments, declarations and script and style
     * elements dropped whole, other tags of HTML elements dropped (a tag
     * whose name is no HTML element, "<Silence>", "<think>", "<EOS>", is
     * text and kept as written), "<br>" a '\n', a block tag (p,
     * div, li, td, h1..h6, ...) a space; entities decoded (&amp; &lt; &gt;
     * &quot; &apos; &nbsp; (a space) &ndash; &mdash; &hellip; &lsquo;
     * &rsquo; &ldquo; &rdquo; &middot; &copy; and numeric ones, U+FFFD for
     * a code point the IR cannot hold); source tabs and line ends become
     * spaces, so a '\n' in the result is always a <br>.  Spaces are not
     * collapsed. */
    void (*html_text)(folio_buf *out, const char *s, size_t len);
    /* 1 when block b of p->body is one whose links the core read into
     * p->url and p->links (p->links_block, every paragraph of links only,
     * every quote of such paragraphs): a plugin that shows the paper's
     * links from the IR skips these blocks, so no format re-decides. */
    int (*is_links_block)(const folio_paper *p, const folio_node *b);
    /* Append raw HTML as well-formed XHTML of a safe subset, for outputs
     * that show HTML: <br>, <sub>, <sup>, <em>/<i> (em), <strong>/<b>
     * (strong), <code>, <a href> with a url_is_safe() URL (else its text);
     * in a block (st->block) also <details>/<summary> and <table>, <tr>,
     * <td>, <th> where XHTML allows them.  <span>, <div> and <p> give their
     * content (a <br/> between paragraphs of a block); every other element
     * its text, <img> its alt text; every attribute but a's href dropped;
     * comments, script and style never shown; tags that are not HTML
     * ("<Silence>") and entities become escaped text, as html_text().
     * st keeps the elements left open across the raw HTML nodes of one
     * inline run ("<sub>", text, "</sub>"): zero it (block set for a
     * block), call once per node, then with s NULL to close what is still
     * open.  st NULL: one self-contained fragment, closed at its end. */
    void (*html_sanitize)(folio_buf *out, const char *s, size_t len,
                          folio_html_state *st);

    /* -- dates (added later: check FOLIO_HOST_HAS(host, date_text); the
     * label keys from FOLIO_LABEL_DATE on came with it) ------------------
     * The one way every output shows a date.  date is an IR date (ISO
     * 8601: "2025-11-04" or "2025-11-04T09:30:00+09:00") or NULL.  Writes
     * into buf (cap bytes; nothing when cap is 0) and returns buf:
     *   "2025-11-04"        the day: lists, ranges, running heads, and
     *                       wherever with_time is 0;
     *   "2025-11-04 09:30"  with_time set and the date has a time (hours
     *                       and minutes as written, the zone dropped): a
     *                       digest's own date line, in formats that show
     *                       the time (txt, PDF);
     *   ""                  date NULL or "";
     *   as written          a date not in YYYY-MM-DD form (an IR date
     *                       never is): its first FOLIO_DATE_MAX - 1 bytes
     *                       at most, control characters as spaces.
     * Never reads past date's NUL; cut like snprintf, but never inside a
     * UTF-8 character, when cap is too small (FOLIO_DATE_MAX always
     * suffices).  Thread-safe. */
    const char *(*date_text)(const char *date, int with_time, char *buf,
                             size_t cap);
    /* Whether a title repeats its date, decided once: NULL when title does
     * not hold the day of date (date_text(date, 0), found as written), or
     * date or title is NULL or has none: show the date beside the title.
     * Otherwise the title without that day and the separators around it
     * (spaces, - : | , ( ) [ ], en and em dashes, middle dots), the parts
     * before and after joined by one space: "Daily Papers — 2025-11-03"
     * gives "Daily Papers"; "" when nothing else is left (the caller
     * decides what to show then).  It is written into buf (cap bytes, cut
     * like date_text()) and buf is returned; with cap 0 (buf may be NULL)
     * title itself is returned, so the call only answers the question. */
    const char *(*title_sans_date)(const char *title, const char *date,
                                   char *buf, size_t cap);
    /* -- math letters and marks (added later: check FOLIO_HOST_HAS(host,
     * math_variant)) -------------------------------------------------------
     * The code point of cp in letter style variant (FOLIO_MATH_V_*, from
     * folio_math.variant): A-Z, a-z, and 0-9 and Greek where Unicode has
     * the style, map to the Mathematical Alphanumeric Symbols (U+1D400
     * on), except the letters Unicode placed earlier in the Letterlike
     * Symbols block (U+2100..214F: script B is U+212C, double-struck R
     * U+211D, italic h U+210E); those holes come back as their BMP code
     * point.  Anything else, and FOLIO_MATH_V_DEFAULT and _NORMAL, gives
     * cp itself.  Pure; never NULL once FOLIO_HOST_HAS(host,
     * math_variant). */
    uint32_t (*math_variant)(uint32_t cp, int variant);
    /* The combining character (UTF-8, static) that puts the accent mark of
     * a FOLIO_MATH_ACCENT node (its text: "^", "~", "‾", "→", "˙", "¨",
     * "ˇ", "˘", "´", "`", "˚", "⃛") on a single letter or digit, as x̂:
     * under set (FOLIO_MATH_F_UNDER) gives U+0332 for "‾" and NULL for
     * the rest; NULL for a mark with no combining form (draw it as a
     * script instead).  Pure; never NULL once FOLIO_HOST_HAS(host,
     * math_combining). */
    const char *(*math_combining)(const char *mark, int under);
} folio_host;

/* A buffer that always holds date_text()'s answer. */
#define FOLIO_DATE_MAX 64

/* label() keys. */
enum {
    FOLIO_LABEL_CONTENTS = 0, /* the table of contents: "목차", "Contents" */
    FOLIO_LABEL_NOTES = 1,    /* the footnotes' heading: "주석", "Notes" */
    /* Added with date_text (an older host gives "" for these).  Words
     * without punctuation: an output adds its own ": ". */
    FOLIO_LABEL_DATE = 2,       /* a date's label: "날짜", "Date" */
    FOLIO_LABEL_DATES = 3,      /* a range of dates' label: "기간", "Dates" */
    FOLIO_LABEL_DATE_TO = 4,    /* between two dates: "~", "至", "to" */
    FOLIO_LABEL_AUTHOR = 5,     /* "저자", "Author" */
    FOLIO_LABEL_TAGS = 6,       /* "태그", "Tags" */
    FOLIO_LABEL_CATEGORIES = 7, /* "카테고리", "Categories" */
    FOLIO_LABEL_LINKS = 8, /* the list of link targets: "링크", "Links" */
    FOLIO_LABEL_PAPER = 9, /* the paper's own link: "논문", "Paper" */
    FOLIO_LABEL_ONE_PAPER = 10, /* a post that is one paper: "논문 한 편",
                                   "one paper" */
    FOLIO_LABEL_NOTE = 11,      /* a footnote reference's word: "[note 1]" */
    FOLIO_LABEL_IMAGE = 12,     /* an image shown as text: "[image: alt]" */
    FOLIO_LABEL_ARTICLE = 13,   /* a post that is an article: "글",
                                   "article" */
    FOLIO_LABEL_DIGESTS = 14, /* "다이제스트", "Digests" (a book's count) */
    FOLIO_LABEL_POSTS = 15,   /* "글", "Posts" (a book's count) */
    FOLIO_LABEL_COUNT
};

/* script() values. */
enum {
    FOLIO_SCRIPT_OTHER = 0,
    FOLIO_SCRIPT_LATIN = 1,
    FOLIO_SCRIPT_HANGUL = 2,  /* syllables and every Jamo block */
    FOLIO_SCRIPT_HAN = 3,     /* ideographs and radicals */
    FOLIO_SCRIPT_KANA = 4,    /* hiragana, katakana, halfwidth katakana */
    FOLIO_SCRIPT_CJK_MARK = 5 /* CJK punctuation, symbols, bopomofo,
                                 fullwidth forms */
};

/* line_breaks() values. */
enum {
    FOLIO_BREAK_MUST = 0,
    FOLIO_BREAK_ALLOW = 1,
    FOLIO_BREAK_NO = 2,
    FOLIO_BREAK_INSIDE = 3
};

/* True when the host was built with field f (for fields added later). */
#define FOLIO_HOST_HAS(h, f)                                                   \
    ((h)->size >= offsetof(folio_host, f) + sizeof((h)->f))

/* True when the plugin was built with field f (for fields added later). */
#define FOLIO_PLUGIN_HAS(p, f)                                                 \
    ((p)->size >= offsetof(folio_plugin, f) + sizeof((p)->f))

/* folio_plugin.flags */
enum {
    FOLIO_PLUGIN_BINARY = 1u << 0,     /* output is not text: never to a tty */
    FOLIO_PLUGIN_WANTS_PATH = 1u << 1, /* writes a file itself (libzip,
                                          libharu): use output_path(), not
                                          write(); no stdout unless spooled */
    FOLIO_PLUGIN_SERIAL = 1u << 2      /* write() is not thread-safe */
};

typedef struct folio_plugin {
    unsigned abi;           /* FOLIO_PLUGIN_ABI the plugin was built with */
    size_t size;            /* sizeof(folio_plugin) as the plugin was built */
    const char *name;       /* "epub": what -t names; [a-z0-9_] */
    const char *extension;  /* output file extension without dot: "epub" */
    const char *media_type; /* "application/epub+zip" */
    const char *summary;    /* one line for `folio formats` */
    unsigned flags;         /* FOLIO_PLUGIN_* */
    /* Optional: called once per process before any write(); may set
     * *state (fonts loaded once, say).  Returns 0, or -1 after reporting
     * why through host->report(job, ...). */
    int (*init)(const folio_host *host, folio_job *job, void **state);
    /* Optional: frees what init() made. */
    void (*fini)(void *state);
    /* Write the book.  Returns 0 on success, -1 on failure (after
     * reporting it); on failure the host discards the output. */
    int (*write)(const folio_host *host, void *state, folio_job *job,
                 const folio_book *book);
    /* Option keys the plugin understands, NULL-terminated, with a short
     * help each: { "width", "columns of a line (72)", NULL }.  May be
     * NULL. */
    const char *const *options;
} folio_plugin;

/* The one symbol a plugin exports. */
FOLIO_EXPORT const folio_plugin *folio_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* FOLIO_PLUGIN_H */
