/* The words the outputs themselves say, one table of strings per language:
 * every plugin asks the host (label(), count_papers()) so the EPUB and the
 * PDF of a book agree. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

typedef struct labels {
    const char *lang; /* primary language subtag */
    const char *word[FOLIO_LABEL_COUNT];
    const char *paper, *papers; /* printf formats with one %zu */
} labels;

/* Korean says 목차 (the word for a document's table of contents, as zh
 * 目录 and ja 目次); Chinese counts "3 篇论文" (number, classifier, noun). */
static const labels LABELS[] = {
    {"ko", {"목차", "주석"}, "논문 %zu편", "논문 %zu편"},
    {"zh", {"目录", "注释"}, "%zu 篇论文", "%zu 篇论文"},
    {"ja", {"目次", "注"}, "論文 %zu 本", "論文 %zu 本"},
    {"en", {"Contents", "Notes"}, "%zu paper", "%zu papers"},
};

/* The table's entry for a BCP 47 tag ("ko", "zh-Hant"); English when the
 * language has none. */
static const labels *labels_for(const char *lang)
{
    size_t n = sizeof LABELS / sizeof *LABELS;
    for (size_t i = 0; lang && i + 1 < n; i++) {
        size_t l = strlen(LABELS[i].lang);
        if (strncmp(lang, LABELS[i].lang, l) == 0 &&
            (lang[l] == 0 || lang[l] == '-'))
            return &LABELS[i];
    }
    return &LABELS[n - 1];
}

const char *text_label(const char *lang, int key)
{
    if (key < 0 || key >= FOLIO_LABEL_COUNT) return "";
    return labels_for(lang)->word[key];
}

const char *text_count_papers(const char *lang, size_t n, char *buf, size_t cap)
{
    const labels *l = labels_for(lang);
    if (!cap) return buf;
    if (n == 0)
        buf[0] = 0;
    else
        snprintf(buf, cap, n == 1 ? l->paper : l->papers, n);
    return buf;
}
