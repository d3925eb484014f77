/* The words the outputs themselves say and the names of section roles, one
 * table of strings per language, and the one way a date is shown: every
 * plugin asks the host (label(), count_papers(), date_text(),
 * title_sans_date()) so the formats of a book agree.  Adding a language is
 * one entry of LABELS. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct labels {
    const char *lang; /* primary subtag, or "zh-Hant" (see labels_for) */
    const char *word[FOLIO_LABEL_COUNT];
    const char *paper, *papers; /* printf formats with one %zu */
    /* Section titles that name a role, "|name|name|", lowercase: a title
     * is recognised in any language, whatever the digest's. */
    const char *role[FOLIO_ROLE_CONCLUSION + 1];
} labels;

/* Korean says 목차 (the word for a document's table of contents, as zh
 * 目录 and ja 目次); Chinese counts "3 篇论文" (number, classifier, noun).
 * English is last: the fallback. */
static const labels LABELS[] = {
    {"ko",
     {[FOLIO_LABEL_CONTENTS] = "목차",
      [FOLIO_LABEL_NOTES] = "주석",
      [FOLIO_LABEL_DATE] = "날짜",
      [FOLIO_LABEL_DATES] = "기간",
      [FOLIO_LABEL_DATE_TO] = "~",
      [FOLIO_LABEL_AUTHOR] = "저자",
      [FOLIO_LABEL_TAGS] = "태그",
      [FOLIO_LABEL_CATEGORIES] = "카테고리",
      [FOLIO_LABEL_LINKS] = "링크",
      [FOLIO_LABEL_PAPER] = "논문",
      [FOLIO_LABEL_ONE_PAPER] = "논문 한 편",
      [FOLIO_LABEL_NOTE] = "주석",
      [FOLIO_LABEL_IMAGE] = "그림",
      [FOLIO_LABEL_ARTICLE] = "글",
      [FOLIO_LABEL_DIGESTS] = "다이제스트",
      [FOLIO_LABEL_POSTS] = "글"},
     "논문 %zu편",
     "논문 %zu편",
     {[FOLIO_ROLE_INTRODUCTION] = "|서론|소개|도입|배경|개요|",
      [FOLIO_ROLE_METHOD] = "|방법|방법론|제안 방법|접근법|접근 방법|",
      [FOLIO_ROLE_RESULTS] = "|결과|실험 결과|실험|",
      [FOLIO_ROLE_LIMITATIONS] = "|한계|한계점|제한점|",
      [FOLIO_ROLE_CONCLUSION] = "|결론|맺음말|"}},
    {"zh",
     {[FOLIO_LABEL_CONTENTS] = "目录",
      [FOLIO_LABEL_NOTES] = "注释",
      [FOLIO_LABEL_DATE] = "日期",
      [FOLIO_LABEL_DATES] = "日期",
      [FOLIO_LABEL_DATE_TO] = "至",
      [FOLIO_LABEL_AUTHOR] = "作者",
      [FOLIO_LABEL_TAGS] = "标签",
      [FOLIO_LABEL_CATEGORIES] = "分类",
      [FOLIO_LABEL_LINKS] = "链接",
      [FOLIO_LABEL_PAPER] = "论文",
      [FOLIO_LABEL_ONE_PAPER] = "一篇论文",
      [FOLIO_LABEL_NOTE] = "注",
      [FOLIO_LABEL_IMAGE] = "图片",
      [FOLIO_LABEL_ARTICLE] = "文章",
      [FOLIO_LABEL_DIGESTS] = "摘要",
      [FOLIO_LABEL_POSTS] = "文章"},
     "%zu 篇论文",
     "%zu 篇论文",
     {[FOLIO_ROLE_INTRODUCTION] = "|引言|简介|介绍|背景|概述|导言|",
      [FOLIO_ROLE_METHOD] = "|方法|方法论|",
      [FOLIO_ROLE_RESULTS] = "|结果|实验结果|",
      [FOLIO_ROLE_LIMITATIONS] = "|局限|局限性|限制|不足|",
      [FOLIO_ROLE_CONCLUSION] = "|结论|总结|结语|"}},
    {"zh-Hant",
     {[FOLIO_LABEL_CONTENTS] = "目錄",
      [FOLIO_LABEL_NOTES] = "註釋",
      [FOLIO_LABEL_DATE] = "日期",
      [FOLIO_LABEL_DATES] = "日期",
      [FOLIO_LABEL_DATE_TO] = "至",
      [FOLIO_LABEL_AUTHOR] = "作者",
      [FOLIO_LABEL_TAGS] = "標籤",
      [FOLIO_LABEL_CATEGORIES] = "分類",
      [FOLIO_LABEL_LINKS] = "連結",
      [FOLIO_LABEL_PAPER] = "論文",
      [FOLIO_LABEL_ONE_PAPER] = "一篇論文",
      [FOLIO_LABEL_NOTE] = "註",
      [FOLIO_LABEL_IMAGE] = "圖片",
      [FOLIO_LABEL_ARTICLE] = "文章",
      [FOLIO_LABEL_DIGESTS] = "摘要",
      [FOLIO_LABEL_POSTS] = "文章"},
     "%zu 篇論文",
     "%zu 篇論文",
     {[FOLIO_ROLE_INTRODUCTION] = "|引言|導言|簡介|背景|概述|",
      [FOLIO_ROLE_METHOD] = "|方法|方法論|",
      [FOLIO_ROLE_RESULTS] = "|結果|實驗結果|",
      [FOLIO_ROLE_LIMITATIONS] = "|局限|局限性|限制|不足|",
      [FOLIO_ROLE_CONCLUSION] = "|結論|結語|"}},
    {"ja",
     {[FOLIO_LABEL_CONTENTS] = "目次",
      [FOLIO_LABEL_NOTES] = "注",
      [FOLIO_LABEL_DATE] = "日付",
      [FOLIO_LABEL_DATES] = "期間",
      [FOLIO_LABEL_DATE_TO] = "～",
      [FOLIO_LABEL_AUTHOR] = "著者",
      [FOLIO_LABEL_TAGS] = "タグ",
      [FOLIO_LABEL_CATEGORIES] = "カテゴリー",
      [FOLIO_LABEL_LINKS] = "リンク",
      [FOLIO_LABEL_PAPER] = "論文",
      [FOLIO_LABEL_ONE_PAPER] = "論文 1 本",
      [FOLIO_LABEL_NOTE] = "注",
      [FOLIO_LABEL_IMAGE] = "画像",
      [FOLIO_LABEL_ARTICLE] = "記事",
      [FOLIO_LABEL_DIGESTS] = "ダイジェスト",
      [FOLIO_LABEL_POSTS] = "記事"},
     "論文 %zu 本",
     "論文 %zu 本",
     {[FOLIO_ROLE_INTRODUCTION] = "|はじめに|序論|導入|",
      [FOLIO_ROLE_METHOD] = "|手法|提案手法|",
      [FOLIO_ROLE_RESULTS] = "|結果|実験結果|",
      [FOLIO_ROLE_LIMITATIONS] = "|限界|制限|",
      [FOLIO_ROLE_CONCLUSION] = "|まとめ|結論|"}},
    {"en",
     {[FOLIO_LABEL_CONTENTS] = "Contents",
      [FOLIO_LABEL_NOTES] = "Notes",
      [FOLIO_LABEL_DATE] = "Date",
      [FOLIO_LABEL_DATES] = "Dates",
      [FOLIO_LABEL_DATE_TO] = "to",
      [FOLIO_LABEL_AUTHOR] = "Author",
      [FOLIO_LABEL_TAGS] = "Tags",
      [FOLIO_LABEL_CATEGORIES] = "Categories",
      [FOLIO_LABEL_LINKS] = "Links",
      [FOLIO_LABEL_PAPER] = "Paper",
      [FOLIO_LABEL_ONE_PAPER] = "one paper",
      [FOLIO_LABEL_NOTE] = "note",
      [FOLIO_LABEL_IMAGE] = "image",
      [FOLIO_LABEL_ARTICLE] = "article",
      [FOLIO_LABEL_DIGESTS] = "Digests",
      [FOLIO_LABEL_POSTS] = "Posts"},
     "%zu paper",
     "%zu papers",
     {[FOLIO_ROLE_INTRODUCTION] = "|introduction|intro|background|overview|",
      [FOLIO_ROLE_METHOD] =
          "|method|methods|methodology|approach|proposed method|",
      [FOLIO_ROLE_RESULTS] = "|results|result|experiments|experimental "
                             "results|evaluation|findings|",
      [FOLIO_ROLE_LIMITATIONS] = "|limitations|limitation|limits|weaknesses|",
      [FOLIO_ROLE_CONCLUSION] = "|conclusion|conclusions|"}},
};

#define NLABELS (sizeof LABELS / sizeof *LABELS)

/* The subtag of a BCP 47 tag after its primary one equals s (any case). */
static int has_subtag(const char *lang, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = strchr(lang, '-'); p; p = strchr(p + 1, '-'))
        if (strncasecmp(p + 1, s, n) == 0 && (p[1 + n] == 0 || p[1 + n] == '-'))
            return 1;
    return 0;
}

/* Chinese in traditional characters: zh-Hant, or Taiwan, Hong Kong and
 * Macau without a script subtag. */
static int hant(const char *lang)
{
    if (has_subtag(lang, "hant")) return 1;
    if (has_subtag(lang, "hans")) return 0;
    return has_subtag(lang, "tw") || has_subtag(lang, "hk") ||
           has_subtag(lang, "mo");
}

/* The table's entry for a BCP 47 tag ("ko", "zh-Hant"); English when the
 * language has none. */
static const labels *labels_for(const char *lang)
{
    for (size_t i = 0; lang && i + 1 < NLABELS; i++) {
        const char *e = LABELS[i].lang, *script = strchr(e, '-');
        size_t l = script ? (size_t)(script - e) : strlen(e);
        if (strncasecmp(lang, e, l) != 0 || (lang[l] != 0 && lang[l] != '-'))
            continue;
        if (strcmp(e, "zh") == 0 && hant(lang)) continue; /* the next one */
        return &LABELS[i];
    }
    return &LABELS[NLABELS - 1];
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

folio_role labels_role(const char *pattern)
{
    for (size_t i = 0; i < NLABELS; i++)
        for (int r = FOLIO_ROLE_INTRODUCTION; r <= FOLIO_ROLE_CONCLUSION; r++)
            if (strstr(LABELS[i].role[r], pattern)) return (folio_role)r;
    return FOLIO_ROLE_OTHER;
}

/* ---- dates */

/* Copy n bytes of s into buf (cap > 0), cut before a character that does
 * not fit whole; returns buf. */
static char *copy_whole(char *buf, size_t cap, const char *s, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = 0;
    return buf;
}

/* s matches shape ('d' a digit, else that byte); stops at s's NUL. */
static int shaped(const char *s, const char *shape)
{
    for (; *shape; s++, shape++)
        if (*shape == 'd' ? !(*s >= '0' && *s <= '9') : *s != *shape) return 0;
    return 1;
}

const char *text_date_text(const char *date, int with_time, char *buf,
                           size_t cap)
{
    if (!cap) return buf;
    buf[0] = 0;
    if (!date) return buf;
    if (shaped(date, "dddd-dd-dd")) {
        char out[17];
        memcpy(out, date, 10);
        size_t n = 10;
        /* shaped() stops at the NUL, so date[10] is safe to test. */
        if (with_time && (date[10] == 'T' || date[10] == ' ') &&
            shaped(date + 11, "dd:dd")) {
            out[10] = ' ';
            memcpy(out + 11, date + 11, 5);
            n = 16;
        }
        return copy_whole(buf, cap, out, n);
    }
    /* Not ISO: as written, bounded, controls as spaces. */
    size_t n = strnlen(date, FOLIO_DATE_MAX - 1);
    copy_whole(buf, cap, date, n);
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F) *p = ' ';
    return buf;
}

static int title_sep(char ch)
{
    return ch == ' ' || ch == '-' || ch == ':' || ch == '|' || ch == ',' ||
           ch == '(' || ch == ')' || ch == '[' || ch == ']';
}

/* Bytes of the separator at s (n bytes left): ASCII ones, the en and em
 * dashes (E2 80 93 and 94) and the middle dot (C2 B7); 0 if none. */
static size_t sep_at(const char *s, size_t n)
{
    if (n >= 1 && title_sep(s[0])) return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
        return 3;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xB7)
        return 2;
    return 0;
}

const char *text_title_sans_date(const char *title, const char *date, char *buf,
                                 size_t cap)
{
    char day[FOLIO_DATE_MAX];
    text_date_text(date, 0, day, sizeof day);
    const char *at = title && *day ? strstr(title, day) : NULL;
    if (!at) return NULL;
    if (!cap) return title;
    /* Before the day: back over separators; after it: skip them. */
    size_t a = (size_t)(at - title), b = a + strlen(day), n = strlen(title);
    while (a > 0) {
        size_t k = 0;
        for (size_t w = 1; w <= 3 && w <= a && !k; w++)
            if (sep_at(title + a - w, w) == w) k = w;
        if (!k) break;
        a -= k;
    }
    for (size_t k; b < n && (k = sep_at(title + b, n - b));)
        b += k;
    /* The part before, a space if both parts are there, the part after. */
    size_t used = 0;
    const char *part[3] = {title, a && b < n ? " " : "", title + b};
    size_t len[3] = {a, a && b < n ? 1 : 0, n - b};
    buf[0] = 0;
    for (int i = 0; i < 3 && used + 1 < cap; i++) {
        copy_whole(buf + used, cap - used, part[i], len[i]);
        size_t got = strlen(buf + used);
        used += got;
        if (got < len[i]) break; /* cut: nothing after a cut */
    }
    return buf;
}
