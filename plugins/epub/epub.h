/* epub.h - what the epub plugin's files share (nothing of it is exported:
 * the plugin is built with hidden visibility).
 *
 * Calls go one way, down this list (a file calls only files below it):
 *   epub.c     the entry point: options, and the run: the archive's plan
 *              (which members, in which order), each digest rendered,
 *              scanned and entered in the nav, then the package
 *   package.c  the book around the documents: package document (OPF),
 *              nav and NCX, title and cover pages, the figures' members
 *   render.c   one digest as an XHTML document, from the IR; the XHTML
 *              helpers every document uses
 *   a11y.c     accessibility metadata, from what the documents hold
 *   archive.c  the zip: members deflated as they are written, temporary
 *              files, the archive written into the host's output
 *   style.c    the stylesheet (data only) */
#ifndef FOLIO_EPUB_H
#define FOLIO_EPUB_H

#include <folio/plugin.h>

#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <zip.h>
#include <zlib.h>

#define MAX_SUBJECTS 256
#define MAX_LANGS 64
#define ZLEVEL 3   /* deflate level of every member */
#define ZOUT 65536 /* deflate output chunk */

/* The book's figures, each stored once (by content: folio_image.id). */
typedef struct epub_images {
    folio_image *v;
    size_t n, cap;
    int cover; /* index of the cover in v, or -1 */
} epub_images;

/* The renderer's state for one document. */
typedef struct rctx {
    const folio_host *h;
    folio_job *job;
    const folio_digest *d;       /* the digest being rendered */
    const char *lang;            /* its language, for label() */
    epub_images *img;            /* NULL: the host lends no images */
    folio_buf *o;                /* the document */
    folio_buf tmp;               /* scratch for hrefs */
    int paper_level;             /* heading level of papers in the source */
    const folio_digest *article; /* an article: its sections get ids */
    size_t nextsec;              /* the next of its sections to meet */
    unsigned char *fn; /* per footnote number: 1 defined, 2 referenced */
    size_t nfn;
    size_t nmath;           /* math nodes written into the document */
    folio_html_state *html; /* raw HTML elements open in this inline run */
} rctx;

/* Members deflated here, as the book is written, rather than by libzip at
 * zip_close: the work overlaps with the host parsing the next digest, and
 * zip_close only copies.  Each stream is raw deflate into a temporary
 * file: the documents one after another (reset between them), the nav and
 * the NCX one each; the NCX's head, known only at the end (its depth), is
 * deflated apart and put in front (a sync flush ends it on a byte, so the
 * two streams simply join). */
typedef struct zstream {
    FILE *f; /* NULL: into mem */
    folio_buf mem;
    z_stream zs;
    int ready;            /* zs initialised */
    zip_uint64_t written; /* compressed bytes so far */
    zip_uint64_t start;   /* where the current member starts */
    zip_uint64_t size;    /* its bytes before compression */
    uLong crc;            /* and their CRC */
    unsigned char *out;   /* deflate output chunk (ZOUT bytes) */
} zstream;

/* The documents are deflated by NDEFLATE threads, each into a stream of
 * its own, document i by thread i % NDEFLATE, while the main thread
 * renders the next ones: the work spreads over the cores, and the members
 * are still added in order, so the bytes do not change.  The main thread
 * waits for a thread to be idle before touching its stream. */
#define NDEFLATE 2
typedef struct zworker {
    struct epub *e;
    zstream s;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cv;
    int started; /* 1: a thread; -1: none, documents deflated at once */
    int busy;    /* a document is being deflated */
    int quit;
    int err;        /* 0, or errno of the failure (EINVAL: zlib) */
    folio_buf in;   /* the document handed over */
    folio_buf name; /* its member name; empty once added */
} zworker;

/* What the written documents hold, for the accessibility metadata
 * (a11y.c). */
typedef struct a11y_facts {
    int docs;        /* documents scanned */
    int unlabelled;  /* documents without xml:lang */
    int skips;       /* documents whose headings skip a level */
    int images;      /* <img> elements */
    int described;   /* of them, with a non-empty alt */
    int no_alt;      /* of them, with no alt attribute at all */
    int bare_tables; /* documents with a table lacking header cells */
    int math;        /* 1 when some document has MathML */
} a11y_facts;

/* One run: a book into one EPUB. */
typedef struct epub {
    const folio_host *h;
    folio_job *job;
    const folio_book *book;
    const char *lang; /* the book's language, valid */
    int cover;        /* title page */
    int depth;        /* toc levels: 1..3 */
    int multi;        /* several digests: days at the top of the toc */
    int width;        /* digits of document numbers */
    zip_t *z;
    time_t mtime;
    folio_buf doc;        /* the digest document being written */
    folio_buf nav, ncx;   /* pieces of the nav and NCX, per digest */
    zstream navz, ncxz;   /* nav, NCX: deflated as they go */
    zstream ncxhead;      /* the NCX head, deflated at the end */
    zworker zw[NDEFLATE]; /* deflate the documents */
    size_t ndocs;         /* documents handed to them */
    int ncx_depth;
    int play;      /* NCX playOrder */
    folio_buf lab; /* scratch label */
    folio_buf css, opf, title;
    int user_css;       /* -O epub.css added rules folio cannot check */
    a11y_facts a11y;    /* what the documents hold */
    folio_buf subjects; /* NUL-separated, unique */
    size_t nsubjects;
    folio_buf langs; /* NUL-separated, unique, the book's first */
    size_t nlangs;
    folio_buf mathdocs; /* a byte per digest: 1 when it holds MathML */
    rctx r;
    epub_images images;  /* the book's figures */
    folio_buf coverpage; /* cover.xhtml, when the book has a cover */
} epub;

/* How a member's data is stored. */
enum { STORED, DEFLATED, PREDEFLATED };

/* package.c (called by epub.c) */
/* Digest i's document: d001.xhtml ("" for ext: its manifest id). */
void doc_name(epub *e, folio_buf *b, size_t i, const char *ext);
/* The nav and NCX, deflated as they go into streams of their own (the
 * caller adds them as members): begun, one digest's entries at a time,
 * ended with the NCX's head (e->ncxhead). */
int nav_begin(epub *e);
int nav_digest(epub *e, const folio_digest *d, size_t i, const char *lang);
int nav_end(epub *e);
void cover_page(epub *e); /* into e->coverpage, when the book has a cover */
void title_page(epub *e); /* into e->title */
int add_images(epub *e);  /* every figure's member */
void package(epub *e);    /* content.opf into e->opf, once all is known */

/* render.c (called by epub.c and package.c): digest d as an XHTML document
 * into c->o; c->nmath counts its math elements (the manifest marks such
 * documents "mathml"). */
void render_digest(rctx *c, const folio_book *book, const folio_digest *d,
                   const char *lang);

/* render.c: register an image (stored once); its member name under
 * OEBPS/ ("img/ID.EXT") into b.  Returns its index. */
size_t image_register(epub_images *im, const folio_image *f);
void image_href(const folio_host *h, folio_buf *b, const folio_image *f);

/* render.c: the XHTML helpers. */
int blank(const char *s);
void putn(const folio_host *h, folio_buf *o, const char *a, size_t n,
          const char *b);
void xhtml_head(const folio_host *h, folio_buf *o, const char *lang,
                const char *title);

/* a11y.c (called by epub.c and package.c) */
void a11y_scan(a11y_facts *a, const char *xhtml, size_t len);
void a11y_metadata(const folio_host *h, folio_buf *o, const a11y_facts *a,
                   const char *lang, int own_css);

/* archive.c (called by epub.c and package.c) */
int fail(epub *e, const char *fmt, const char *arg); /* reports an error */
void cleanup(epub *e); /* closes the streams and their files */
int open_archive(epub *e, const char *path);
int close_archive(epub *e); /* on failure the caller discards e->z */
time_t zip_time(long long t);
int add_buf(epub *e, const char *name, const folio_buf *b, int how,
            zip_int64_t idx, zip_int64_t *out);
int add_text(epub *e, const char *name, const char *s, int how);
int z_open(epub *e, zstream *s, int tofile);
int z_buf(epub *e, zstream *s, folio_buf *b, int flush);
int z_docs_start(epub *e); /* the deflate threads and their files */
/* The next document, member `name`: b is handed over (swapped for an empty
 * buffer); an earlier document's member may be added meanwhile. */
int z_doc(epub *e, folio_buf *b, const char *name);
int z_docs_end(epub *e); /* every document added, in order */
int z_add(epub *e, zstream *s, const char *name, zip_int64_t idx,
          const zstream *head);

/* style.c */
extern const char folio_epub_css[];

#endif
