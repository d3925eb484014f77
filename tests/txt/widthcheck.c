/* widthcheck WIDTH FILE...: check txt output line by line.
 *
 * Every line must be valid UTF-8 without control characters (or the txt
 * plugin's internal glue, U+FDD0 and U+2060), without trailing spaces, and
 * at most WIDTH display columns wide (utf8proc's widths: Hangul, Han, kana
 * count two) -- unless, after its list/quote/reference markers, it is a
 * single token without spaces (a URL longer than a line).  A heading rule
 * (a line of only '-' or '=' under text) is never exempt: it is exactly as
 * wide as the widest line of the text above it, at most WIDTH.  A file must
 * end in exactly one line end.  Prints one message per problem; exit 1 if any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int problems;

static void bad(const char *file, long line, const char *what)
{
    fprintf(stderr, "%s:%ld: %s\n", file, line, what);
    problems++;
}

/* Skip leading markers: spaces, "> ", "- ", "== ", "1. ", "[x] ", "[3] ",
 * "[^1] ". */
static const char *skip_markers(const char *s, const char *e)
{
    for (;;) {
        const char *p = s;
        if (p < e && *p == ' ') {
            s = p + 1;
            continue;
        }
        if (p < e && *p == '>') {
            s = p + 1;
            continue;
        }
        while (p < e && *p == '=')
            p++;
        if (p == s && p < e && *p == '-') p++;
        if (p == s)
            while (p < e && *p >= '0' && *p <= '9')
                p++;
        if (p > s && p < e && p[-1] >= '0' && p[-1] <= '9' &&
            (*p == '.' || *p == ')'))
            p++;
        if (p == s && p < e && *p == '[') {
            const char *q = memchr(p, ']', (size_t)(e - p));
            if (q && q - p <= 12) p = q + 1;
        }
        if (p > s && p < e && *p == ' ') {
            s = p + 1;
            continue;
        }
        return s;
    }
}

/* Check one line; its display width. */
static long check_line(const char *file, long n, const char *s, size_t len,
                       long width)
{
    long w = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k < 1) {
            bad(file, n, "invalid UTF-8");
            return 0;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            bad(file, n, "control character");
            return 0;
        }
        if (cp == 0xFDD0 || cp == 0x2060) {
            bad(file, n, "glue character left in the text");
            return 0;
        }
        w += utf8proc_charwidth(cp);
        i += (size_t)k;
    }
    if (len && s[len - 1] == ' ') bad(file, n, "trailing space");
    if (w <= width) return w;
    const char *rest = skip_markers(s, s + len);
    if (rest == s + len || memchr(rest, ' ', (size_t)(s + len - rest))) {
        char msg[64];
        snprintf(msg, sizeof msg, "%ld columns, more than %ld", w, width);
        bad(file, n, msg);
    }
    return w;
}

/* A line of only '-' or only '='. */
static int is_rule(const char *s, size_t len)
{
    if (!len || (*s != '-' && *s != '=')) return 0;
    for (size_t i = 1; i < len; i++)
        if (s[i] != *s) return 0;
    return 1;
}

static void check_file(const char *file, long width)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        perror(file);
        problems++;
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0, blank_end = 0, above = 0; /* widest line since a blank */
    int newline = 1;
    while ((len = getline(&line, &cap, f)) > 0) {
        n++;
        newline = line[len - 1] == '\n';
        if (newline) len--;
        if (memchr(line, 0, (size_t)len)) bad(file, n, "NUL byte");
        long w = check_line(file, n, line, (size_t)len, width);
        if (is_rule(line, (size_t)len) && above > 0) {
            long want = above < width ? above : width;
            if (w != want) {
                char msg[80];
                snprintf(msg, sizeof msg,
                         "rule of %ld columns under text %ld wide", w, above);
                bad(file, n, msg);
            }
        }
        above = len == 0 ? 0 : (w > above ? w : above);
        blank_end = len == 0 ? blank_end + 1 : 0;
    }
    if (n == 0)
        bad(file, 0, "empty output");
    else if (!newline)
        bad(file, n, "no line end at the end");
    else if (blank_end)
        bad(file, n, "blank line at the end");
    free(line);
    fclose(f);
    printf("%s: %ld lines\n", file, n);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: widthcheck WIDTH FILE...\n");
        return 2;
    }
    long width = atol(argv[1]);
    for (int i = 2; i < argc; i++)
        check_file(argv[i], width);
    return problems ? 1 : 0;
}
