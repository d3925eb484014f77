/* a11y.c - EPUB Accessibility 1.1 metadata, claimed from what was written.
 *
 * Every XHTML document is scanned once as it leaves the renderer (headings,
 * images, tables, math, language), so the package states only what holds:
 * alternativeText when every image has a text alternative, MathML when a
 * document has math, and the WCAG 2.1 AA conformance claim only when each
 * condition folio can check is met: every image described, headings that
 * never skip a level, a language on every document, tables with header
 * cells, and folio's own stylesheet (whose contrast the tests pin) without
 * a user's additions. */
#include "epub.h"

#include <string.h>

/* The first byte after "<tag" when s[i..] opens that element. */
static int opens(const char *s, size_t n, size_t i, const char *tag)
{
    size_t k = strlen(tag);
    if (s[i] != '<' || i + 1 + k >= n || memcmp(s + i + 1, tag, k) != 0)
        return 0;
    char c = s[i + 1 + k];
    return c == ' ' || c == '>' || c == '/' || c == '\n';
}

/* The value of attribute name inside the tag starting at s[i] ('<'),
 * with *len set; NULL when absent. */
static const char *attr(const char *s, size_t n, size_t i, const char *name,
                        size_t *len)
{
    size_t k = strlen(name);
    for (size_t j = i + 1; j < n && s[j] != '>'; j++) {
        if (s[j] == '"') { /* skip a quoted value */
            while (++j < n && s[j] != '"')
                ;
            continue;
        }
        if (s[j - 1] == ' ' && j + k + 1 < n && memcmp(s + j, name, k) == 0 &&
            s[j + k] == '=' && s[j + k + 1] == '"') {
            const char *v = s + j + k + 2;
            const char *e = memchr(v, '"', n - (size_t)(v - s));
            *len = e ? (size_t)(e - v) : 0;
            return v;
        }
    }
    return NULL;
}

void a11y_scan(a11y_facts *a, const char *s, size_t n)
{
    int last = 0, skipped = 0, tables = 0, headed = 0;
    size_t alen;
    a->docs++;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '<') continue;
        if (opens(s, n, i, "html")) {
            if (!attr(s, n, i, "xml:lang", &alen) || !alen) a->unlabelled++;
        } else if (i + 3 < n && s[i + 1] == 'h' && s[i + 2] >= '1' &&
                   s[i + 2] <= '6' && (s[i + 3] == '>' || s[i + 3] == ' ')) {
            int level = s[i + 2] - '0';
            /* A document starts at h1; then one level deeper at most. */
            if (level > last + 1) skipped = 1;
            last = level;
        } else if (opens(s, n, i, "img")) {
            a->images++;
            const char *v = attr(s, n, i, "alt", &alen);
            if (v && alen)
                a->described++;
            else if (!v)
                a->no_alt++;
        } else if (opens(s, n, i, "table")) {
            tables++;
        } else if (opens(s, n, i, "th")) {
            headed = tables;
        } else if (opens(s, n, i, "math")) {
            a->math = 1;
        }
    }
    a->skips += skipped;
    a->bare_tables += tables > 0 && headed < tables;
}

/* The summary, in the book's language: what a reader can rely on, and the
 * conformance only when it is claimed. */
static void summary(const folio_host *h, folio_buf *o, const char *lang,
                    int conforms)
{
    static const struct {
        const char *lang, *nav, *meets;
    } S[] = {
        {"ko",
         "일, 논문, 절의 제목으로 이동할 수 있고 차례가 있으며, 읽는 "
         "순서는 문서의 순서와 같습니다.",
         " WCAG 2.1 AA 수준을 충족합니다."},
        {"zh", "可按日期、论文和章节的标题导航，附有目录，阅读顺序即文档顺序。",
         "符合 WCAG 2.1 AA 级。"},
        {"ja",
         "日付、論文、節の見出しで移動でき、目次があり、読む順序は文書の"
         "順序と同じです。",
         "WCAG 2.1 AA に適合します。"},
        {"en",
         "Navigable by the headings of each day, paper and section, with a "
         "table of contents; the reading order is the document order.",
         " Meets WCAG 2.1 Level AA."},
    };
    size_t k = sizeof S / sizeof *S - 1;
    for (size_t i = 0; i < sizeof S / sizeof *S; i++)
        if (strncmp(lang, S[i].lang, 2) == 0 &&
            (lang[2] == 0 || lang[2] == '-'))
            k = i;
    h->buf_puts(o, "<meta property=\"schema:accessibilitySummary\">");
    h->buf_puts(o, S[k].nav);
    if (conforms) h->buf_puts(o, S[k].meets);
    h->buf_puts(o, "</meta>\n");
}

static int a11y_conforms(const a11y_facts *a, int own_css)
{
    return own_css && a->skips == 0 && a->unlabelled == 0 &&
           a->described == a->images && a->bare_tables == 0;
}

void a11y_metadata(const folio_host *h, folio_buf *o, const a11y_facts *a,
                   const char *lang, int own_css)
{
    int conforms = a11y_conforms(a, own_css);
    int all_described = a->described == a->images;
    h->buf_puts(o, "<meta property=\"schema:accessMode\">textual</meta>\n");
    if (a->images)
        h->buf_puts(o, "<meta property=\"schema:accessMode\">visual</meta>\n");
    /* Text alone suffices when every image is described. */
    h->buf_puts(o, all_described
                       ? "<meta property=\"schema:accessModeSufficient\">"
                         "textual</meta>\n"
                       : "<meta property=\"schema:accessModeSufficient\">"
                         "textual,visual</meta>\n");
    static const char *const always[] = {"structuralNavigation",
                                         "tableOfContents", "readingOrder",
                                         "displayTransformability"};
    for (size_t i = 0; i < sizeof always / sizeof *always; i++)
        h->buf_printf(o,
                      "<meta property=\"schema:accessibilityFeature\">%s"
                      "</meta>\n",
                      always[i]);
    if (a->images && all_described)
        h->buf_puts(o, "<meta property=\"schema:accessibilityFeature\">"
                       "alternativeText</meta>\n");
    if (a->math)
        h->buf_puts(o, "<meta property=\"schema:accessibilityFeature\">"
                       "MathML</meta>\n");
    h->buf_puts(o,
                "<meta property=\"schema:accessibilityHazard\">none</meta>\n");
    summary(h, o, lang, conforms);
    if (conforms)
        h->buf_printf(o,
                      "<meta property=\"dcterms:conformsTo\">EPUB "
                      "Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n"
                      "<meta property=\"a11y:certifiedBy\">folio %s "
                      "(automated checks)</meta>\n",
                      h->version);
}
