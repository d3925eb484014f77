/* Book metadata, derived from the digests unless given on the command
 * line. */
#include "book.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *common_author(input *const *in, size_t n)
{
    const char *a = n ? in[0]->info.author : NULL;
    for (size_t i = 1; a && i < n; i++)
        if (!in[i]->info.author || strcmp(in[i]->info.author, a) != 0) a = NULL;
    return a;
}

/* A byte that ends a word: ASCII space or punctuation, or the end. */
static int word_end(unsigned char c)
{
    return c == 0 || (c < 0x80 && !isalnum(c));
}

/* Drop trailing separators, dates and dashes ("—" E2 80 94, "–" E2 80 93,
 * "·" C2 B7, "：" EF BC 9A). */
static size_t strip_tail(const char *t, size_t k)
{
    for (;;) {
        if (k && strchr("0123456789-_/:.,;|~ \t", t[k - 1])) {
            k--;
        } else if (k >= 3 && (unsigned char)t[k - 3] == 0xE2 &&
                   (unsigned char)t[k - 2] == 0x80 &&
                   ((unsigned char)t[k - 1] == 0x94 ||
                    (unsigned char)t[k - 1] == 0x93)) {
            k -= 3;
        } else if (k >= 3 && memcmp(t + k - 3, "\xEF\xBC\x9A", 3) == 0) {
            k -= 3;
        } else if (k >= 2 && memcmp(t + k - 2, "\xC2\xB7", 2) == 0) {
            k -= 2;
        } else {
            return k;
        }
    }
}

static const char *const opens[] = {"(",
                                    "[",
                                    "{",
                                    "\xE3\x80\x90" /* 【 */,
                                    "\xE3\x80\x8A" /* 《 */,
                                    "\xE3\x80\x8C" /* 「 */,
                                    "\xEF\xBC\x88"};
static const char *const closes[] = {
    ")",           "]", "}", "\xE3\x80\x91", "\xE3\x80\x8B", "\xE3\x80\x8D",
    "\xEF\xBC\x89"};

/* Where t[0..k) leaves a bracket open: the first unclosed opening, or k
 * when all are balanced. */
static size_t unbalanced(const char *t, size_t k)
{
    size_t stack[16], depth = 0;
    int kinds[16];
    for (size_t i = 0; i < k;) {
        size_t step = 1;
        for (int b = 0; b < 7; b++) {
            size_t n = strlen(opens[b]);
            if (i + n <= k && memcmp(t + i, opens[b], n) == 0) {
                if (depth == 16) return i;
                stack[depth] = i;
                kinds[depth++] = b;
                step = n;
                break;
            }
            n = strlen(closes[b]);
            if (i + n <= k && memcmp(t + i, closes[b], n) == 0) {
                if (!depth || kinds[depth - 1] != b) return 0; /* stray */
                depth--;
                step = n;
                break;
            }
        }
        i += step;
    }
    return depth ? stack[0] : k;
}

/* The shared beginning of every title, cut on a word boundary with its
 * brackets balanced and without a trailing date or separator:
 * "Daily Papers — 2025-12-01" ... -> "Daily Papers".  Sets *skip to the
 * bytes of a bracket that encloses all of it ("[논문 리뷰]" -> "논문 리뷰").
 * 0 when nothing worth a title is shared. */
static size_t title_stem(input *const *in, size_t n, size_t *skip)
{
    const char *t0 = in[0]->info.title;
    size_t k = strlen(t0);
    *skip = 0;
    for (size_t i = 1; i < n; i++) {
        const char *t = in[i]->info.title;
        size_t j = 0;
        while (j < k && t[j] == t0[j])
            j++;
        k = j;
    }
    /* Ends inside a word of some title: back to the last space. */
    int cut = 0;
    for (size_t i = 0; i < n && !cut; i++)
        cut = !word_end((unsigned char)in[i]->info.title[k]);
    if (cut && k && word_end((unsigned char)t0[k - 1]) && t0[k - 1] != '(' &&
        t0[k - 1] != '[')
        cut = 0;
    if (cut)
        while (k && t0[k - 1] != ' ')
            k--;
    for (;;) {
        k = strip_tail(t0, k);
        size_t u = unbalanced(t0, k);
        if (u == k) break;
        k = u;
    }
    /* Something to read: a letter or a non-ASCII character. */
    int letters = 0;
    for (size_t i = 0; i < k; i++)
        letters +=
            isalpha((unsigned char)t0[i]) || (unsigned char)t0[i] >= 0x80;
    if (!letters) return 0;
    for (int b = 0; b < 7; b++) {
        size_t o = strlen(opens[b]), c = strlen(closes[b]);
        if (k > o + c && memcmp(t0, opens[b], o) == 0 &&
            memcmp(t0 + k - c, closes[b], c) == 0 &&
            unbalanced(t0 + o, k - o - c) == k - o - c) {
            *skip = o;
            return k - o - c;
        }
    }
    return k;
}

/* A title for posts that share none: by language and by kind. */
static const char *generic_title(const char *lang, int articles)
{
    static const struct {
        const char *lang, *papers, *posts;
    } names[] = {
        {"ko",
         "\xEB\x85\xBC\xEB\xAC\xB8 \xEB\xAA\xA8\xEC\x9D\x8C", /* 논문 모음 */
         "\xEA\xB8\x80 \xEB\xAA\xA8\xEC\x9D\x8C"},            /* 글 모음 */
        {"zh",
         "\xE8\xAE\xBA\xE6\x96\x87\xE5\x90\x88\xE9\x9B\x86",  /* 论文合集 */
         "\xE6\x96\x87\xE7\xAB\xA0\xE5\x90\x88\xE9\x9B\x86"}, /* 文章合集 */
        {"ja", "\xE8\xAB\x96\xE6\x96\x87\xE9\x9B\x86",        /* 論文集 */
         "\xE8\xA8\x98\xE4\xBA\x8B\xE9\x9B\x86"},             /* 記事集 */
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strncmp(lang, names[i].lang, 2) == 0)
            return articles ? names[i].posts : names[i].papers;
    return articles ? "Posts" : "Digests";
}

void book_derive(folio_book *b, input *const *in, size_t n, const run_opts *o,
                 arena *a)
{
    memset(b, 0, sizeof *b);
    folio_digest_info *v = arena_alloc(a, sizeof *v * (n ? n : 1));
    const char *first = NULL, *last = NULL;
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        v[i] = in[i]->info;
        const char *d = v[i].date;
        if (d && (!first || strcmp(d, first) < 0)) first = d;
        if (d && (!last || strcmp(d, last) > 0)) last = d;
        h = (h ^ in[i]->hash) * 1099511628211ULL;
    }
    b->digests = v;
    b->ndigests = n;
    b->date = last ? arena_strdup(a, last) : NULL;

    if (o->lang) {
        b->lang = o->lang;
    } else {
        /* The most common language; the first on a tie. */
        size_t best = 0, bestn = 0;
        for (size_t i = 0; i < n; i++) {
            size_t c = 0;
            for (size_t j = 0; j < n; j++)
                c += strcmp(v[i].lang, v[j].lang) == 0;
            if (c > bestn) {
                best = i;
                bestn = c;
            }
            if (bestn * 2 > n) break;
        }
        b->lang = n ? v[best].lang : "en";
    }
    if (o->title) {
        b->title = o->title;
    } else if (n == 1) {
        b->title = v[0].title;
    } else {
        size_t skip = 0, k = title_stem(in, n, &skip);
        int articles = 0; /* any article makes the book one of posts */
        for (size_t i = 0; i < n; i++)
            articles |= v[i].kind == FOLIO_KIND_ARTICLE;
        folio_buf t = {0};
        if (k)
            buf_put(&t, v[0].title + skip, k);
        else
            buf_puts(&t, generic_title(b->lang, articles));
        if (first && last && strncmp(first, last, 7) == 0)
            buf_printf(&t, " \xE2\x80\x94 %.7s", first);
        else if (first && last)
            buf_printf(&t, " \xE2\x80\x94 %.10s \xE2\x80\x93 %.10s", first,
                       last);
        b->title = arena_strdup(a, t.data);
        buf_free(&t);
    }
    b->author = o->author ? o->author : common_author(in, n);

    char id[64];
    snprintf(id, sizeof id, "urn:folio:%016llx", h);
    b->identifier = arena_strdup(a, id);

    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char mod[32];
    strftime(mod, sizeof mod, "%Y-%m-%dT%H:%M:%SZ", &tm);
    b->modified = arena_strdup(a, mod);
    b->epoch = (long long)t;
}
