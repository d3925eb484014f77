/* tag.h - the structure of a tagged PDF (PDF/UA-1), kept in tag.c.
 *
 * The renderer opens and closes structure elements around what it lays
 * out (pdf_tag_begin / pdf_tag_end); whatever the drawing code emits
 * while one is open is wrapped in a marked-content sequence with the next
 * MCID of its page (pdf_tag_mark before a text object or a picture).
 * Page furniture is drawn inside an artifact "element" (TAG_HEADER,
 * TAG_FOOTER) and decorations call pdf_tag_artifact.  Every call does
 * nothing when tagging is off (-O pdf.tagged=no: c->tag is NULL). */
#ifndef FOLIO_PDF_TAG_H
#define FOLIO_PDF_TAG_H

#include "pdf.h"

/* Artifacts of pagination, opened like elements. */
#define TAG_HEADER "#Header"
#define TAG_FOOTER "#Footer"
/* Any other artifact (an image without alternate text). */
#define TAG_ARTIFACT "#Artifact"

/* Tagging on unless -O pdf.tagged=no: 0, or -1 (reported) on a bad value
 * or no memory.  Opens the Document element. */
int pdf_tag_init(pdf_ctx *c);
/* Close the last marked content and write the structure tree, the parent
 * tree, the catalog's entries and the XMP metadata (title as the info
 * dictionary's, the book's language). */
void pdf_tag_finish(pdf_ctx *c, const folio_book *book, const char *title);
void pdf_tag_free(pdf_ctx *c);

/* A structure element (standard role: "P", "L", "TD"...) as the next child
 * of the open one. */
void pdf_tag_begin(pdf_ctx *c, const char *role);
/* The same with alternate text (len bytes of UTF-8). */
void pdf_tag_begin_alt(pdf_ctx *c, const char *role, const char *alt,
                       size_t len);
/* The contents: first child of the Document, though drawn last. */
void pdf_tag_begin_first(pdf_ctx *c, const char *role);
/* A heading at an outline depth: 1 the day, 2 a paper, 3 a section
 * (one more in a book, whose title is H1); never more than one below the
 * heading before. */
void pdf_tag_heading(pdf_ctx *c, int depth);
/* The open L's numbering attribute ("Decimal", "Disc", "Circle"). */
void pdf_tag_numbering(pdf_ctx *c, const char *how);
/* A list label: an Lbl before the body of the innermost open LI. */
void pdf_tag_label(pdf_ctx *c);
void pdf_tag_end(pdf_ctx *c);
/* The open element is display math: a Formula with its TeX as /Alt. */
void pdf_tag_formula(pdf_ctx *c, const char *tex, size_t len);
/* An image drawn now in [x0, x1] x [y0, y1]: a Figure with its alt text
 * (ended with pdf_tag_end), or an artifact when it has none; marked. */
void pdf_tag_figure(pdf_ctx *c, const folio_node *n, float x0, float y0,
                    float x1, float y1);
/* Its bounding box on the page (a Figure's layout attribute). */
void pdf_tag_bbox(pdf_ctx *c, float x0, float y0, float x1, float y1);

/* Before drawing outside a text object, or before BT: the page's marked
 * content is the open element's (or an artifact when none is open). */
void pdf_tag_mark(pdf_ctx *c);
/* Before a decoration (quote bar, code background, table rule). */
void pdf_tag_artifact(pdf_ctx *c);
/* Before a rule: part of a formula, else a decoration. */
void pdf_tag_rule(pdf_ctx *c);

/* Lines with links or inline math are marked run by run inside their text
 * object: pdf_tag_line (before BT) says so with 1, else marks the line as
 * pdf_tag_mark does and returns 0; then pdf_tag_run before each run and
 * pdf_tag_close before ET. */
int pdf_tag_line(pdf_ctx *c, const pdf_para *p, size_t from, size_t to);
void pdf_tag_run(pdf_ctx *c, const pdf_para *p, size_t glyph);
void pdf_tag_close(pdf_ctx *c);
/* Spans [from, p->nspans) of p are inline math with this TeX. */
void pdf_tag_math(pdf_ctx *c, const pdf_para *p, size_t from, const char *tex,
                  size_t len);
/* The text of p from byte at on is a footnote mark: a Reference (PDF 1.7
 * has no key tying it to its Note; the Note's /ID is in the IDTree). */
void pdf_tag_reference(pdf_ctx *c, const pdf_para *p, size_t at);
/* The annotation of link in p: in that link's Link element. */
void pdf_tag_link_annot(pdf_ctx *c, const pdf_para *p, int link,
                        HPDF_Annotation a);
/* An annotation of the open element, described by alt. */
void pdf_tag_annot(pdf_ctx *c, HPDF_Annotation a, const char *alt);
/* p is freed: forget its links and formulas. */
void pdf_tag_para_free(pdf_ctx *c, const pdf_para *p);

#endif /* FOLIO_PDF_TAG_H */
