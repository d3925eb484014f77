/* Unit tests of the core's helpers: widths, line breaks, wrapping,
 * escaping, URLs, dates (read and shown), roles, labels, arXiv ids,
 * language detection, the kramdown pre-scan. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);             \
            fails++;                                                           \
        }                                                                      \
    } while (0)

static const char *wrap(const char *s, size_t width, const char *first,
                        const char *rest)
{
    static folio_buf b;
    b.len = 0;
    text_wrap(&b, s, strlen(s), width, first, rest, "ko");
    return b.data;
}

static void widths(void)
{
    CHECK(text_str_width("abc", 3) == 3);
    CHECK(text_str_width("한국어", strlen("한국어")) == 6);
    CHECK(text_str_width("中文かな", strlen("中文かな")) == 8);
    CHECK(text_str_width("e\xCC\x81", 3) == 1); /* combining acute */
    CHECK(text_char_width(0x1F600) == 2);
}

static void breaks(void)
{
    const char *s = "한국어 단어는 붙어 있다";
    size_t n = strlen(s);
    char brks[64];
    text_line_breaks(s, n, "ko", brks);
    /* No break inside 한국어 (after byte 2 = end of 한). */
    CHECK(brks[2] == FOLIO_BREAK_NO || brks[2] == FOLIO_BREAK_INSIDE);
    CHECK(brks[9] == FOLIO_BREAK_ALLOW); /* after "한국어 " */
    const char *z = "中文可以断开";
    text_line_breaks(z, strlen(z), "zh", brks);
    CHECK(brks[2] == FOLIO_BREAK_ALLOW);
    /* Strict breaking: small kana and the prolonged sound mark never start
     * a line ("シ|ョ" and "ネ|ー" stay together), other kana may. */
    const char *k = "ハルシネーション";
    text_line_breaks(k, strlen(k), "ja", brks);
    CHECK(brks[2] == FOLIO_BREAK_ALLOW);  /* ハ|ル */
    CHECK(brks[11] == FOLIO_BREAK_NO);    /* ネ|ー */
    CHECK(brks[17] == FOLIO_BREAK_NO);    /* シ|ョ */
    CHECK(brks[14] == FOLIO_BREAK_ALLOW); /* ー|シ */
    /* Flags (regional indicators) abort libunibreak 1.1 unless handled. */
    const char *f = "a 🇰🇷🇨🇳 b";
    text_line_breaks(f, strlen(f), "en", brks);
    CHECK(brks[5] != FOLIO_BREAK_ALLOW); /* inside the first flag */
    /* U+FFFF is libunibreak 1.1's end-of-text marker: must not abort. */
    const char *ff = "a \xEF\xBF\xBF b c";
    text_line_breaks(ff, strlen(ff), "en", brks);
    CHECK(brks[strlen(ff) - 1] == FOLIO_BREAK_MUST);
}

static void wrapping(void)
{
    CHECK(strcmp(wrap("aaa bbb ccc", 7, "", ""), "aaa bbb\nccc\n") == 0);
    CHECK(strcmp(wrap("aaa bbb ccc", 9, "- ", "  "), "- aaa bbb\n  ccc\n") ==
          0);
    /* A token wider than the line stands alone; nothing is split. */
    CHECK(strcmp(wrap("a https://example.com/long b", 10, "", ""),
                 "a\nhttps://example.com/long\nb\n") == 0);
    /* Korean wraps between words, by display width. */
    CHECK(strcmp(wrap("가나다 라마바 사아자", 14, "", ""),
                 "가나다 라마바\n사아자\n") == 0);
    /* A Korean word longer than a line may break between syllables. */
    CHECK(strcmp(wrap("가나다라마바사아", 8, "", ""), "가나다라\n마바사아\n") ==
          0);
    /* Forced breaks; empty lines lose the prefix's trailing space. */
    CHECK(strcmp(wrap("a\n\nb", 10, "> ", "> "), "> a\n>\n> b\n") == 0);
    CHECK(strcmp(wrap("", 10, "x ", "x "), "x\n") == 0);
}

static void escaping(void)
{
    folio_buf b = {0};
    text_xml_escape(&b, "<a href=\"x\">&'\x01</a>", 20);
    CHECK(strcmp(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;") ==
          0);
    b.len = 0;
    /* U+FF02 (EF BC 82) kept, U+FFFE and U+FFFF dropped, tab and newline
     * kept, a trailing lone 0xEF byte left alone. */
    static const char odd[] = "\xEF\xBC\x82\xEF\xBF\xBE"
                              "a\tb\n\xEF\xBF\xBF\x1F>\xEF";
    text_xml_escape(&b, odd, sizeof odd - 1);
    CHECK(strcmp(b.data, "\xEF\xBC\x82"
                         "a\tb\n&gt;\xEF") == 0);
    b.len = 0;
    text_url_encode(&b, "https://a.b/한 x\"");
    CHECK(strcmp(b.data, "https://a.b/%ED%95%9C%20x%22") == 0);
    b.len = 0;
    text_url_encode(&b, "https://[::1]/a%zz#b#c[d]%41");
    CHECK(strcmp(b.data, "https://[::1]/a%25zz#b%23c%5Bd%5D%41") == 0);
    buf_free(&b);
    CHECK(text_url_is_safe("https://x"));
    CHECK(text_url_is_safe("HTTP://x"));
    CHECK(text_url_is_safe("mailto:a@b"));
    CHECK(!text_url_is_safe("javascript:alert(1)"));
    CHECK(!text_url_is_safe("data:text/html,x"));
    CHECK(!text_url_is_safe("file:///etc/passwd"));
    CHECK(!text_url_is_safe("https://x\ny"));
    CHECK(!text_url_is_safe("https://"));
}

static void parsing_helpers(void)
{
    arena a = {0};
    CHECK(strcmp(date_normalize(&a, "2025-12-03"), "2025-12-03") == 0);
    CHECK(strcmp(date_normalize(&a, "2025-12-03 08:15:00"),
                 "2025-12-03T08:15:00") == 0);
    CHECK(strcmp(date_normalize(&a, "2025-12-03T08:15:00+0900"),
                 "2025-12-03T08:15:00+09:00") == 0);
    CHECK(strcmp(date_normalize(&a, "2025-12-03 08:15 Z"),
                 "2025-12-03T08:15:00Z") == 0);
    CHECK(date_normalize(&a, "2025-02-29") == NULL);
    CHECK(date_normalize(&a, "2024-02-29") != NULL);
    CHECK(date_normalize(&a, "yesterday") == NULL);
    CHECK(date_normalize(&a, "2025-12-03 25:00") == NULL);
    CHECK(role_of("Introduction") == FOLIO_ROLE_INTRODUCTION);
    CHECK(role_of("  methods:") == FOLIO_ROLE_METHOD);
    CHECK(role_of("2. Results") == FOLIO_ROLE_RESULTS);
    CHECK(role_of("한계") == FOLIO_ROLE_LIMITATIONS);
    CHECK(role_of("结论") == FOLIO_ROLE_CONCLUSION);
    CHECK(role_of("Takeaways") == FOLIO_ROLE_OTHER);
    CHECK(role_of("method|results") == FOLIO_ROLE_OTHER);
    CHECK(strcmp(arxiv_id_of(&a, "https://arxiv.org/abs/2512.03036"),
                 "2512.03036") == 0);
    CHECK(strcmp(arxiv_id_of(&a, "https://arxiv.org/pdf/2512.03036v2"),
                 "2512.03036v2") == 0);
    CHECK(strcmp(arxiv_id_of(&a, "https://arxiv.org/pdf/2512.03036v12.pdf"),
                 "2512.03036v12") == 0);
    CHECK(strcmp(arxiv_id_of(&a, "https://arxiv.org/abs/2512.03036v"),
                 "2512.03036") == 0);
    CHECK(arxiv_same("2512.03036v2", "2512.03036"));
    CHECK(arxiv_same("2512.03036v1", "2512.03036v2"));
    CHECK(!arxiv_same("2512.03036", "2512.03037v1"));
    CHECK(!arxiv_same("https://a/v1", "https://a/v2"));
    CHECK(strcmp(arxiv_id_of(&a, "https://huggingface.co/papers/2511.0001"),
                 "2511.0001") == 0);
    CHECK(strcmp(arxiv_id_of(&a,
                             "https://www.alphaxiv.org/ko/overview/2512.03036"),
                 "2512.03036") == 0);
    CHECK(arxiv_id_of(&a, "https://example.com/overview/2512.03036") == NULL);
    CHECK(arxiv_id_of(&a, "https://arxiv.org/abs/12.3") == NULL);
    arena_free(&a);
    CHECK(strcmp(lang_detect("Hello world", 11), "en") == 0);
    CHECK(strcmp(
              lang_detect("본 연구는 new model", strlen("본 연구는 new model")),
              "ko") == 0);
    CHECK(strcmp(lang_detect("本研究提出", strlen("本研究提出")), "zh") == 0);
    CHECK(strcmp(lang_detect("これは研究です", strlen("これは研究です")),
                 "ja") == 0);
    const char *mostly_en =
        "This English digest quotes one Korean word, 한국, once in a long "
        "paragraph of English text about models and data.";
    CHECK(strcmp(lang_detect(mostly_en, strlen(mostly_en)), "en") == 0);
}

static int nbad;
static void count_bad(void *ctx, int line, int col, const char *what)
{
    (void)ctx, (void)line, (void)col, (void)what;
    nbad++;
}

/* The UTF-8 check keeps every valid sequence (its fast path covers three
 * bytes) and replaces the rest with U+FFFD. */
static void sanitizing(void)
{
    static const char good[] = "a \xEA\xB0\x80 \xED\x9E\xA3 \xE4\xB8\xAD "
                               "\xEF\xBC\x82 \xF0\x9F\x98\x80";
    size_t n = 0;
    nbad = 0;
    CHECK(text_sanitize_utf8(good, sizeof good - 1, &n, 1, count_bad, NULL) ==
          NULL);
    CHECK(nbad == 0);
    /* The decoder shares the three-byte fast path. */
    uint32_t cp = 0;
    CHECK(text_utf8_next("\xED\x9E\xA3", 3, &cp) == 3 && cp == 0xD7A3);
    CHECK(text_utf8_next("\xED\xA0\x80", 3, &cp) == 1 && cp == 0xFFFD);
    CHECK(text_utf8_next("\xE1\x80", 2, &cp) == 1 && cp == 0xFFFD);
    /* A surrogate, U+FFFE, an overlong and a truncated sequence. */
    static const char bad[] = "\xED\xA0\x80|\xEF\xBF\xBE|\xE0\x80\x80|\xE1\x80";
    char *out = text_sanitize_utf8(bad, sizeof bad - 1, &n, 1, count_bad, NULL);
    CHECK(out != NULL);
    if (out) {
        /* Each bad byte is one U+FFFD, a noncharacter is one in all. */
        static const char want[] = "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
                                   "\xEF\xBF\xBD|"
                                   "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
                                   "\xEF\xBF\xBD\xEF\xBF\xBD";
        CHECK(n == sizeof want - 1 && memcmp(out, want, n) == 0);
        free(out);
    }
    CHECK(nbad == 3); /* reported three times, then quiet */
}

static char *clean(const char *s, size_t len, int lines, size_t *n)
{
    return text_sanitize_utf8(s, len, n, lines, NULL, NULL);
}

/* What the IR never holds: controls XML forbids, surrogates, every
 * noncharacter; tab, LF, CR, DEL, C1 controls and U+FFFD stay. */
static void forbidden(void)
{
    CHECK(text_cp_forbidden(0) && text_cp_forbidden(1) &&
          text_cp_forbidden(0x1B) && text_cp_forbidden(0x0C));
    CHECK(!text_cp_forbidden('\t') && !text_cp_forbidden('\n') &&
          !text_cp_forbidden('\r') && !text_cp_forbidden(' '));
    CHECK(!text_cp_forbidden(0x7F) && !text_cp_forbidden(0x85) &&
          !text_cp_forbidden(0xFFFD) && !text_cp_forbidden(0x10FFFD));
    CHECK(text_cp_forbidden(0xD800) && text_cp_forbidden(0xDFFF) &&
          text_cp_forbidden(0xFDD0) && text_cp_forbidden(0xFDEF) &&
          text_cp_forbidden(0xFFFE) && text_cp_forbidden(0x1FFFF) &&
          text_cp_forbidden(0x10FFFF) && text_cp_forbidden(0x110000));
    CHECK(!text_cp_forbidden(0xFDCF) && !text_cp_forbidden(0xFDF0));
    size_t n = 0;
    /* U+FDD0 is three bytes the fast path must not wave through. */
    static const char nc[] = "a\xEF\xB7\x90"
                             "b\xEF\xB7\xB0"
                             "c\xF0\x9F\xBF\xBE"
                             "d";
    char *out = clean(nc, sizeof nc - 1, 0, &n);
    CHECK(out && n == 13 &&
          memcmp(out,
                 "a\xEF\xBF\xBD"
                 "b\xEF\xB7\xB0"
                 "c\xEF\xBF\xBD"
                 "d",
                 n) == 0);
    free(out);
    /* cmark-gfm writes &#xFFFE; as a lone 0xFE byte. */
    out = clean("x\xFEy\x01z\x1B", 6, 0, &n);
    CHECK(out && n == 12 &&
          memcmp(out, "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD", n) == 0);
    free(out);
    /* A control's position is its own line and column. */
    nbad = 0;
    out = text_sanitize_utf8("ab\ncd\x01", 6, &n, 1, count_bad, NULL);
    CHECK(out && nbad == 1);
    free(out);
    /* Line endings: only a whole file's are normalised. */
    out = clean("a\r\nb\rc\r", 7, 1, &n);
    CHECK(out && n == 6 && memcmp(out, "a\nb\nc\n", n) == 0);
    free(out);
    CHECK(clean("a\r\nb\rc", 6, 0, &n) == NULL);
    out = clean("\r", 1, 1, &n);
    CHECK(out && n == 1 && out[0] == '\n');
    free(out);
}

/* References cmark-gfm passes on as forbidden code points, found in the
 * source for the warning's position. */
static void bad_refs(void)
{
    static const char s[] =
        "&#0; &#xD800; &#x110000; &#65; &#xFFFE &#12345678; "
        "&#x1; &#65535; &#XfdD0;";
    size_t len = sizeof s - 1, end = 0;
    size_t at = text_find_bad_ref(s, len, 0, &end);
    CHECK(at == (size_t)(strstr(s, "&#x1;") - s) && end == at + 5);
    at = text_find_bad_ref(s, len, end, &end);
    CHECK(at == (size_t)(strstr(s, "&#65535;") - s));
    at = text_find_bad_ref(s, len, end, &end);
    CHECK(at == (size_t)(strstr(s, "&#XfdD0;") - s));
    CHECK(text_find_bad_ref(s, len, end, &end) == len);
}

static void utf16(void)
{
    size_t n = 0;
    /* "a한" then 😀 as a pair, a lone high surrogate, an odd byte. */
    static const char le[] = "a\0\x5C\xD5\x3D\xD8\x00\xDE\x00\xD8z\0!";
    char *out = text_from_utf16(le, sizeof le - 1, 0, &n);
    static const char want[] = "a\xED\x95\x9C\xF0\x9F\x98\x80\xEF\xBF\xBDz"
                               "\xEF\xBF\xBD";
    CHECK(n == sizeof want - 1 && memcmp(out, want, n) == 0);
    free(out);
    static const char be[] = "\0a\xD5\x5C";
    out = text_from_utf16(be, 4, 1, &n);
    CHECK(n == 4 && memcmp(out, "a\xED\x95\x9C", 4) == 0);
    free(out);
}

/* Raw HTML: what is HTML (known elements only), its text, and the safe
 * subset as well-formed XHTML whatever the nesting. */
static const char *html(int sanitize, int block, const char *s)
{
    static folio_buf b;
    b.len = 0;
    folio_html_state st = {.block = block};
    if (sanitize) {
        text_html_sanitize(&b, s, strlen(s), &st);
        text_html_sanitize(&b, NULL, 0, &st);
    } else {
        text_html_text(&b, s, strlen(s));
    }
    buf_putc(&b, 0);
    return b.data;
}

static void raw_html(void)
{
    CHECK(text_html_element("a") && text_html_element("wbr") &&
          text_html_element("details") && !text_html_element("silence") &&
          !text_html_element("think") && !text_html_element("eos"));
    CHECK(strcmp(html(0, 0, "<Silence> <b>x</b><br/><T5>"),
                 "<Silence> x\n<T5>") == 0);
    CHECK(strcmp(html(0, 0, "a<script>x</script><scripts>b<!-- c -->"),
                 "a<scripts>b") == 0);
    CHECK(strcmp(html(0, 0, "<p title=\"a>b\">x</p>"), " x ") == 0);
    /* Mis-nested, stray and misplaced tags never break the XHTML. */
    CHECK(strcmp(html(1, 0, "<b><i>x</b>y</i></sub>"),
                 "<strong><em>x</em></strong>y") == 0);
    CHECK(strcmp(html(1, 0, "<table><tr><td>x"), "x") == 0);
    CHECK(strcmp(html(1, 1, "<b><table><tr><td>x"), "<strong>x</strong>") == 0);
    CHECK(strcmp(html(1, 1, "<td>x</td><tr>y"), "xy") == 0);
    CHECK(strcmp(html(1, 1, "<details>a<summary>s</summary></details>"),
                 "<details>as</details>") == 0);
    CHECK(strcmp(html(1, 0,
                      "<a href=\"https://x\"><a href=\"https://y\">"
                      "t</a></a>"),
                 "<a href=\"https://x\">t</a>") == 0);
    CHECK(strcmp(html(1, 0, "<a href=' javascript:x' onclick=y>t</a>"), "t") ==
          0);
    CHECK(strcmp(html(1, 0, "<img src=x onerror=y alt=\"a<b\">&amp;&bogus;"),
                 "a&lt;b&amp;&amp;bogus;") == 0);
    CHECK(strcmp(html(1, 0, "<Silence>"), "&lt;Silence&gt;") == 0);
}

/* date_text: the day, the time when asked and given, malformed dates
 * bounded and never read past their end. */
static void dates(void)
{
    char b[FOLIO_DATE_MAX];
    CHECK(strcmp(text_date_text("2025-11-04", 1, b, sizeof b), "2025-11-04") ==
          0);
    CHECK(strcmp(text_date_text("2025-11-04T09:30:00+09:00", 1, b, sizeof b),
                 "2025-11-04 09:30") == 0);
    CHECK(strcmp(text_date_text("2025-11-04T09:30:00+09:00", 0, b, sizeof b),
                 "2025-11-04") == 0);
    CHECK(strcmp(text_date_text("2025-11-04 09:30", 1, b, sizeof b),
                 "2025-11-04 09:30") == 0);
    CHECK(*text_date_text(NULL, 1, b, sizeof b) == 0);
    CHECK(*text_date_text("", 1, b, sizeof b) == 0);
    /* Cut short: no time, or half a time. */
    CHECK(strcmp(text_date_text("2025-11-04T", 1, b, sizeof b), "2025-11-04") ==
          0);
    CHECK(strcmp(text_date_text("2025-11-04T09:3", 1, b, sizeof b),
                 "2025-11-04") == 0);
    /* Not ISO: as written, controls as spaces, bounded. */
    CHECK(strcmp(text_date_text("2025-1-4", 1, b, sizeof b), "2025-1-4") == 0);
    CHECK(strcmp(text_date_text("yester\nday", 0, b, sizeof b), "yester day") ==
          0);
    CHECK(strcmp(text_date_text("2025", 1, b, sizeof b), "2025") == 0);
    char longd[200];
    memset(longd, '9', sizeof longd - 1);
    longd[sizeof longd - 1] = 0;
    CHECK(strlen(text_date_text(longd, 1, b, sizeof b)) == FOLIO_DATE_MAX - 1);
    /* A date exactly at the end of its memory, without the time the
     * shape asks for (ASan reads past it if the code does). */
    char *tight = malloc(11);
    memcpy(tight, "2025-11-04", 11);
    CHECK(strcmp(text_date_text(tight, 1, b, sizeof b), "2025-11-04") == 0);
    free(tight);
    /* Small buffers: cut, never inside a character. */
    char s4[4];
    CHECK(strcmp(text_date_text("2025-11-04", 0, s4, sizeof s4), "202") == 0);
    CHECK(strcmp(text_date_text("어제", 0, s4, sizeof s4), "어") == 0);
    char s3[3];
    CHECK(strcmp(text_date_text("어제", 0, s3, sizeof s3), "") == 0);
    CHECK(text_date_text("2025-11-04", 0, NULL, 0) == NULL);

    /* title_sans_date: NULL when the title lacks the day. */
    char t[64];
    CHECK(text_title_sans_date("Daily Papers", "2025-11-03", t, sizeof t) ==
          NULL);
    CHECK(text_title_sans_date("Daily", NULL, t, sizeof t) == NULL);
    CHECK(text_title_sans_date(NULL, "2025-11-03", t, sizeof t) == NULL);
    CHECK(strcmp(text_title_sans_date("Daily Papers \xE2\x80\x94 2025-11-03",
                                      "2025-11-03T08:15:00", t, sizeof t),
                 "Daily Papers") == 0);
    CHECK(strcmp(text_title_sans_date("[2025-11-03] 논문 · 모음", "2025-11-03",
                                      t, sizeof t),
                 "논문 · 모음") == 0);
    CHECK(strcmp(text_title_sans_date("A - 2025-11-03 - B", "2025-11-03", t,
                                      sizeof t),
                 "A B") == 0);
    CHECK(strcmp(text_title_sans_date("2025-11-03", "2025-11-03", t, sizeof t),
                 "") == 0);
    const char *title = "Notes 2025-11-03";
    CHECK(text_title_sans_date(title, "2025-11-03", NULL, 0) == title);
    /* Cut at a character: "논문" is 6 bytes, 5 leave only 논. */
    char t5[5];
    CHECK(strcmp(text_title_sans_date("논문 2025-11-03 끝", "2025-11-03", t5,
                                      sizeof t5),
                 "논") == 0);
}

/* One table of words per language; roles named in any language. */
static void labels(void)
{
    CHECK(strcmp(text_label("ko", FOLIO_LABEL_CONTENTS), "목차") == 0);
    CHECK(strcmp(text_label("ko-KR", FOLIO_LABEL_DATE), "날짜") == 0);
    CHECK(strcmp(text_label("zh", FOLIO_LABEL_CONTENTS), "目录") == 0);
    CHECK(strcmp(text_label("zh-Hans-TW", FOLIO_LABEL_CONTENTS), "目录") == 0);
    CHECK(strcmp(text_label("zh-Hant", FOLIO_LABEL_CONTENTS), "目錄") == 0);
    CHECK(strcmp(text_label("zh-TW", FOLIO_LABEL_LINKS), "連結") == 0);
    CHECK(strcmp(text_label("zh-hk", FOLIO_LABEL_TAGS), "標籤") == 0);
    CHECK(strcmp(text_label("ja", FOLIO_LABEL_AUTHOR), "著者") == 0);
    CHECK(strcmp(text_label("fr", FOLIO_LABEL_NOTES), "Notes") == 0);
    CHECK(strcmp(text_label(NULL, FOLIO_LABEL_DATE), "Date") == 0);
    CHECK(strcmp(text_label("kok", FOLIO_LABEL_DATE), "Date") == 0);
    CHECK(strcmp(text_label("ko", FOLIO_LABEL_COUNT), "") == 0);
    CHECK(strcmp(text_label("ko", -1), "") == 0);
    /* Every key has a word in every language. */
    static const char *const langs[] = {"ko", "zh", "zh-Hant", "ja", "en"};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
        for (int k = 0; k < FOLIO_LABEL_COUNT; k++)
            CHECK(text_label(langs[i], k) && *text_label(langs[i], k));
    char c[64];
    CHECK(strcmp(text_count_papers("ko", 3, c, sizeof c), "논문 3편") == 0);
    CHECK(strcmp(text_count_papers("zh-TW", 3, c, sizeof c), "3 篇論文") == 0);
    CHECK(strcmp(text_count_papers("en", 1, c, sizeof c), "1 paper") == 0);
    CHECK(strcmp(text_count_papers("en", 0, c, sizeof c), "") == 0);
    /* The names structure.c knew before the table moved, all still known. */
    static const struct {
        folio_role role;
        const char *names;
    } old[] = {
        {FOLIO_ROLE_INTRODUCTION,
         "introduction|intro|background|overview|서론|소개|도입|배경|개요|"
         "引言|简介|介绍|背景|概述|导言|導言|簡介|はじめに|序論|導入"},
        {FOLIO_ROLE_METHOD,
         "method|methods|methodology|approach|proposed method|방법|방법론|"
         "제안 방법|접근법|접근 방법|方法|方法论|方法論|手法|提案手法"},
        {FOLIO_ROLE_RESULTS,
         "results|result|experiments|experimental results|evaluation|"
         "findings|결과|실험 결과|실험|结果|实验结果|實驗結果|結果|実験結果"},
        {FOLIO_ROLE_LIMITATIONS,
         "limitations|limitation|limits|weaknesses|한계|한계점|제한점|局限|"
         "局限性|限制|不足|限界|制限"},
        {FOLIO_ROLE_CONCLUSION, "conclusion|conclusions|결론|맺음말|结论|"
                                "結論|总结|結語|结语|まとめ"},
    };
    size_t known = 0;
    for (size_t i = 0; i < sizeof old / sizeof *old; i++) {
        char name[64];
        for (const char *p = old[i].names; *p;) {
            size_t n = strcspn(p, "|");
            memcpy(name, p, n);
            name[n] = 0;
            if (role_of(name) != old[i].role) {
                printf("FAIL: role of '%s'\n", name);
                fails++;
            }
            known++;
            p += n + (p[n] == '|');
        }
    }
    CHECK(known == 72);
    CHECK(role_of("결론 (Conclusion)") == FOLIO_ROLE_CONCLUSION);
    CHECK(role_of("Summary") == FOLIO_ROLE_OTHER);
    CHECK(role_of("|결론|") == FOLIO_ROLE_OTHER);
}

/* The kramdown pre-scan: extensions need their closer, Liquid block tags
 * are remembered for one warning each. */
static void kramdown_scan(void)
{
    kd_scan r;
    const char *s = "x {::comment} y {::nomarkdown}z";
    CHECK(kd_prescan(s, strlen(s), &r) == 0); /* unclosed: text */
    kd_scan_free(&r);
    s = "a {::comment}\n\nb{:/} {::nomarkdown}<b>{:/nomarkdown}";
    CHECK(kd_prescan(s, strlen(s), &r) == 1);
    CHECK(r.n == 2);
    kd_scan_free(&r);
    s = "a\n{% if x %}\nb\n{% include y %} {% if z %}\n{% raw %}{{ c }}";
    CHECK(kd_prescan(s, strlen(s), &r) == 1);
    CHECK(r.warn[KD_W_BRANCH].off == 2 && r.warn[KD_W_BRANCH].len == 10);
    CHECK(r.warn[KD_W_INCLUDE].off == 15);
    CHECK(r.warn[KD_W_UNCLOSED].off == 42 && r.warn[KD_W_UNCLOSED].len == 9);
    kd_scan_free(&r);
    s = "{% comment %}\n{% if x %}\n{% endcomment %}";
    CHECK(kd_prescan(s, strlen(s), &r) == 1);
    CHECK(r.n == 1 && !r.warn[KD_W_BRANCH].len); /* inside a comment */
    kd_scan_free(&r);
}

int main(void)
{
    widths();
    breaks();
    wrapping();
    escaping();
    parsing_helpers();
    sanitizing();
    forbidden();
    bad_refs();
    utf16();
    raw_html();
    dates();
    labels();
    kramdown_scan();
    if (fails) {
        printf("%d failed\n", fails);
        return 1;
    }
    puts("all unit checks passed");
    return 0;
}
