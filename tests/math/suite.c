/* The TeX math converter on a formula suite of its own.
 *   math_suite check GOLDEN   compare MathML and linear text with the golden
 *                             file, check every output is well-formed XML
 *                             with MathML arities, measure the share that
 *                             converts without fallback and the speed, and
 *                             run the malformed and oversized inputs
 *   math_suite regen FORMULAS print a golden file for a formula list
 *   math_suite conv TEX       print the MathML and the linear text
 *   math_suite xhtml GOLDEN   print an XHTML chapter of every formula
 * Golden lines: TeX <TAB> MathML <TAB> linear text (newlines as U+2424).
 * Formula lines starting with '!' are malformed on purpose: they must
 * fall back (and are not counted in the coverage). */
#define _POSIX_C_SOURCE 200809L
#include "tex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fails;
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);             \
            printf(__VA_ARGS__);                                               \
            putchar('\n');                                                     \
            fails++;                                                           \
        }                                                                      \
    } while (0)

/* ---- a small well-formedness checker (tags, attributes, entities,
 * UTF-8, XML characters), with the child counts MathML requires. */

static int xml_char_ok(uint32_t cp)
{
    return cp == 9 || cp == 10 || cp == 13 || (cp >= 0x20 && cp < 0xD800) ||
           (cp >= 0xE000 && cp < 0xFFFE) || (cp >= 0x10000 && cp < 0x110000);
}

/* Strict UTF-8 decode; returns the length or 0 when invalid. */
static size_t utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) return *cp = s[0], 1;
    size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (!k || k > n || s[0] > 0xF4) return 0;
    uint32_t c = s[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c < 0xE000))
        return 0;
    *cp = c;
    return k;
}

static const char *core_elems[] = {
    "annotation", "math",   "merror",   "mfrac",   "mi",         "mn",
    "mo",         "mover",  "mphantom", "mroot",   "mrow",       "mspace",
    "msqrt",      "mstyle", "msub",     "msubsup", "msup",       "mtable",
    "mtd",        "mtext",  "mtr",      "munder",  "munderover", "semantics"};

static int arity(const char *name)
{
    static const struct {
        const char *n;
        int k;
    } a[] = {{"mfrac", 2},      {"mroot", 2},   {"msub", 2},
             {"msup", 2},       {"msubsup", 3}, {"munder", 2},
             {"munderover", 3}, {"mover", 2},   {"semantics", 2}};
    for (size_t i = 0; i < sizeof a / sizeof *a; i++)
        if (!strcmp(name, a[i].n)) return a[i].k;
    return -1;
}

/* Returns NULL when well-formed, else a reason. */
static const char *xml_check(const char *doc, size_t n)
{
    const unsigned char *s = (const unsigned char *)doc;
    char stack[256][16];
    int kids[256];
    int sp = 0, roots = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '<') {
            int close = s[i + 1] == '/';
            size_t j = i + 1 + close, st = j;
            while (j < n && ((s[j] >= 'a' && s[j] <= 'z') ||
                             (s[j] >= 'A' && s[j] <= 'Z')))
                j++;
            size_t len = j - st;
            if (!len || len > 15) return "bad tag name";
            char name[16];
            memcpy(name, s + st, len);
            name[len] = 0;
            int known = 0;
            for (size_t k = 0; k < sizeof core_elems / sizeof *core_elems; k++)
                known |= !strcmp(name, core_elems[k]);
            if (!known) return "element outside the MathML Core set";
            if (close) {
                if (j >= n || s[j] != '>') return "bad end tag";
                if (!sp || strcmp(stack[sp - 1], name))
                    return "mismatched end tag";
                int want = arity(name);
                if (want >= 0 && kids[sp - 1] != want)
                    return "wrong child count";
                sp--;
                i = j + 1;
                continue;
            }
            /* attributes */
            for (;;) {
                while (j < n && s[j] == ' ')
                    j++;
                if (j >= n) return "unterminated tag";
                if (s[j] == '>' ||
                    (s[j] == '/' && j + 1 < n && s[j + 1] == '>'))
                    break;
                size_t as = j;
                while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || s[j] == '-' ||
                                 s[j] == ':'))
                    j++;
                if (j == as || j + 1 >= n || s[j] != '=' || s[j + 1] != '"')
                    return "bad attribute";
                j += 2;
                while (j < n && s[j] != '"') {
                    if (s[j] == '<') return "< in attribute";
                    j++;
                }
                if (j >= n) return "unterminated attribute";
                j++;
            }
            if (sp)
                kids[sp - 1]++;
            else
                roots++;
            if (s[j] == '/') {
                i = j + 2;
                continue;
            }
            if (sp == 256) return "too deep";
            strcpy(stack[sp], name);
            kids[sp++] = 0;
            i = j + 1;
            continue;
        }
        if (s[i] == '&') {
            size_t j = i + 1;
            while (j < n && j - i < 12 && s[j] != ';')
                j++;
            if (j >= n || s[j] != ';') return "bad entity";
            size_t len = j - i - 1;
            const char *e = doc + i + 1;
            if (!((len == 3 && !memcmp(e, "amp", 3)) ||
                  (len == 2 && !memcmp(e, "lt", 2)) ||
                  (len == 2 && !memcmp(e, "gt", 2)) ||
                  (len == 4 && !memcmp(e, "quot", 4)) ||
                  (len == 4 && !memcmp(e, "apos", 4)) ||
                  (len > 1 && e[0] == '#')))
                return "unknown entity";
            i = j + 1;
            continue;
        }
        if (s[i] == '>') return "bare >";
        uint32_t cp;
        size_t k = utf8(s + i, n - i, &cp);
        if (!k) return "invalid UTF-8";
        if (!xml_char_ok(cp)) return "character not allowed in XML";
        if (!sp && cp != ' ' && cp != '\n') return "text outside the root";
        i += k;
    }
    if (sp) return "unclosed element";
    if (roots != 1) return "not one root element";
    return NULL;
}

/* ---- conversions */

typedef struct conv {
    folio_buf ml, txt;
    int errors;
} conv;

static void convert(conv *c, const char *tex, size_t len, int display)
{
    folio_tex t;
    c->ml.len = c->txt.len = 0;
    tex_parse(&t, tex, len);
    mathml_write(&c->ml, &t, display);
    mathtext_write(&c->txt, &t);
    c->errors = t.errors;
    tex_free(&t);
}

/* The linear text on one line: newlines as U+2424. */
static void one_line(folio_buf *out, const folio_buf *in)
{
    out->len = 0;
    for (size_t i = 0; i < in->len; i++)
        if (in->data[i] == '\n')
            buf_puts(out, "\xE2\x90\xA4");
        else
            buf_putc(out, in->data[i]);
    if (!out->data) buf_put(out, "", 0);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    folio_buf b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, k);
    fclose(f);
    *n = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static int regen(const char *path)
{
    size_t n;
    char *data = slurp(path, &n);
    conv c = {0};
    folio_buf line = {0};
    for (char *p = data, *e; p < data + n; p = e + 1) {
        e = strchr(p, '\n');
        if (!e) e = data + n;
        *e = 0;
        if (!*p || *p == '#') continue;
        const char *tex = *p == '!' ? p + 1 : p;
        convert(&c, tex, strlen(tex), 1);
        one_line(&line, &c.txt);
        printf("%s\t%s\t%s\n", p, c.ml.data, line.data);
    }
    free(data);
    buf_free(&c.ml);
    buf_free(&c.txt);
    buf_free(&line);
    return 0;
}

/* Inputs built here: too big or too deep for a file line. */
static void malformed(conv *c)
{
    folio_buf b = {0};
    /* 10,000 nested braces, balanced and not */
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '{');
    buf_putc(&b, 'x');
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '}');
    convert(c, b.data, b.len, 1);
    CHECK(c->errors > 0, "deep braces fall back");
    CHECK(!xml_check(c->ml.data, c->ml.len), "deep braces: %s",
          xml_check(c->ml.data, c->ml.len));
    CHECK(strstr(c->ml.data, "<merror>") != NULL, "deep braces visible");
    convert(c, b.data, 10001, 1);
    CHECK(c->errors > 0 && !xml_check(c->ml.data, c->ml.len),
          "unclosed deep braces");
    /* the same depth through commands, \left, \over and environments */
    const char *units[] = {"\\frac{1}", "\\sqrt",          "\\left(",
                           "x^",        "\\begin{matrix}", "a \\over ",
                           "\\hat",     "\\displaystyle "};
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        b.len = 0;
        for (int i = 0; i < 5000; i++)
            buf_puts(&b, units[u]);
        buf_putc(&b, 'x');
        convert(c, b.data, b.len, 0);
        CHECK(!xml_check(c->ml.data, c->ml.len), "%s x5000: %s", units[u],
              xml_check(c->ml.data, c->ml.len));
        CHECK(c->txt.len > 0, "%s x5000 has a text form", units[u]);
    }
    /* Nested and doubled scripts: the text form stays linear (each script
     * was once linearised again at every level: exponential). */
    b.len = 0;
    buf_putc(&b, 'a');
    for (int i = 0; i < 60; i++)
        buf_puts(&b, "^{b");
    for (int i = 0; i < 60; i++)
        buf_putc(&b, '}');
    convert(c, b.data, b.len, 1);
    CHECK(c->errors == 0 && c->txt.len < 4 * b.len, "60 nested scripts: %zu",
          c->txt.len);
    b.len = 0;
    for (int i = 0; i < 200; i++)
        buf_puts(&b, "x+^^^^^^^^i)");
    convert(c, b.data, b.len, 1);
    CHECK(c->errors > 0 && c->txt.len < 4 * b.len, "doubled scripts: %zu",
          c->txt.len);
    CHECK(c->ml.len < 100 * b.len && !xml_check(c->ml.data, c->ml.len),
          "doubled scripts MathML");
    /* huge input: one fallback, the source kept */
    b.len = 0;
    while (b.len < FOLIO_MATH_MAX_BYTES + 10)
        buf_puts(&b, "x+");
    convert(c, b.data, b.len, 1);
    CHECK(c->errors == 1, "huge input is one fallback");
    CHECK(!xml_check(c->ml.data, c->ml.len), "huge input well-formed");
    CHECK(c->txt.len == b.len, "huge input kept as its source");
    /* bytes that are not text */
    const char bad[] = "x\x01y\xff\xfe\x00z\xef\xbf\xbf<&>\"";
    convert(c, bad, sizeof bad - 1, 0);
    CHECK(!xml_check(c->ml.data, c->ml.len), "control and invalid bytes: %s",
          xml_check(c->ml.data, c->ml.len));
    buf_free(&b);
}

static void delims(void)
{
    static const struct {
        const char *in, *out;
        int display;
    } d[] = {{"$x$", "x", 0},     {"$$x^2$$", "x^2", 1},
             {"\\(a\\)", "a", 0}, {"\\[a+b\\]", "a+b", 1},
             {"x", "x", 0},       {"$", "$", 0},
             {"$$", "", 0}};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        size_t s, e;
        int disp;
        tex_strip_delims(d[i].in, strlen(d[i].in), &s, &e, &disp);
        CHECK(e - s == strlen(d[i].out) &&
                  !memcmp(d[i].in + s, d[i].out, e - s) && disp == d[i].display,
              "strip %s", d[i].in);
    }
}

static void one_call(void)
{
    folio_buf b = {0};
    CHECK(tex_to_mathml(&b, "$$x^2$$", 7, -1) == 0 &&
              strstr(b.data, "display=\"block\"") &&
              strstr(b.data, "<msup><mi>x</mi><mn>2</mn></msup>") &&
              strstr(b.data, ">x^2</annotation>"),
          "tex_to_mathml $$x^2$$: %s", b.data);
    b.len = 0;
    CHECK(tex_to_mathml(&b, "\\(\\alpha\\)", 10, -1) == 0 &&
              strstr(b.data, "display=\"inline\"") &&
              strstr(b.data, "<mi>α</mi>"),
          "tex_to_mathml \\(\\alpha\\): %s", b.data);
    b.len = 0;
    CHECK(tex_to_mathml(&b, "$x$", 3, 1) == 0 &&
              strstr(b.data, "display=\"block\""),
          "forced display");
    b.len = 0;
    CHECK(tex_to_text(&b, "$\\frac{a}{b}$", 13) == 0 && !strcmp(b.data, "a/b"),
          "tex_to_text: %s", b.data);
    b.len = 0;
    CHECK(tex_to_text(&b, "$\\nosuch$", 9) == 1 && !strcmp(b.data, "\\nosuch"),
          "fallback counted: %s", b.data);
    folio_tex *t = tex_new("\\[\\sum_i x_i\\]", 14);
    CHECK(t->display == 1 && t->errors == 0 && t->root &&
              t->root->kind == FOLIO_MATH_ROW && t->root->first &&
              t->root->first->kind == FOLIO_MATH_SCRIPT &&
              (t->root->first->flags & FOLIO_MATH_F_LIMITS),
          "tex_new tree");
    tex_delete(t);
    buf_free(&b);
}

static int check(const char *path)
{
    size_t n;
    char *data = slurp(path, &n);
    conv c = {0};
    folio_buf line = {0};
    int total = 0, clean = 0, bad_total = 0;
    char **texs = NULL;
    size_t ntex = 0;
    for (char *p = data, *e; p < data + n; p = e + 1) {
        e = strchr(p, '\n');
        if (!e) e = data + n;
        *e = 0;
        if (!*p) continue;
        char *t1 = strchr(p, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            CHECK(0, "golden line without two tabs: %.60s", p);
            continue;
        }
        *t1 = *t2 = 0;
        int expect_bad = *p == '!';
        const char *tex = expect_bad ? p + 1 : p;
        texs = realloc(texs, (ntex + 1) * sizeof *texs);
        texs[ntex++] = (char *)tex;
        convert(&c, tex, strlen(tex), 1);
        one_line(&line, &c.txt);
        const char *why = xml_check(c.ml.data, c.ml.len);
        CHECK(!why, "%s: %s", tex, why);
        CHECK(!strcmp(c.ml.data, t1 + 1), "MathML of %s\n  got  %s\n  want %s",
              tex, c.ml.data, t1 + 1);
        CHECK(!strcmp(line.data, t2 + 1), "text of %s\n  got  %s\n  want %s",
              tex, line.data, t2 + 1);
        if (expect_bad) {
            bad_total++;
            CHECK(c.errors > 0 && strstr(c.ml.data, "<merror>"),
                  "malformed %s falls back visibly", tex);
        } else {
            total++;
            clean += c.errors == 0;
            if (c.errors) printf("fallback: %s\n", tex);
        }
        /* Inline form: the same tree, only the display attribute. */
        convert(&c, tex, strlen(tex), 0);
        CHECK(strstr(c.ml.data, "display=\"inline\"") &&
                  !xml_check(c.ml.data, c.ml.len),
              "inline %s", tex);
    }
    /* Coverage: an honest floor just under the measured share, so a
     * regression shows. */
    double share = total ? 100.0 * clean / total : 0;
    printf("formulas: %d well-formed (%d without fallback, %.1f %%), %d "
           "malformed\n",
           total, clean, share, bad_total);
    CHECK(total >= 200, "suite has at least 200 formulas (%d)", total);
    CHECK(share >= 98.0, "share without fallback %.1f %% >= 98 %%", share);
    CHECK(bad_total >= 10, "malformed cases (%d)", bad_total);

    /* Speed: the suite repeated; printed, never asserted. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long count = 0;
    folio_buf ml = {0}, txt = {0};
    for (int r = 0; r < 20; r++)
        for (size_t i = 0; i < ntex; i++) {
            folio_tex t;
            tex_parse(&t, texs[i], strlen(texs[i]));
            ml.len = txt.len = 0;
            mathml_write(&ml, &t, 1);
            mathtext_write(&txt, &t);
            tex_free(&t);
            count++;
        }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs =
        (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("speed: %ld conversions (parse + MathML + text) in %.3f s: %.0f "
           "formulas/s\n",
           count, secs, secs > 0 ? count / secs : 0);
    buf_free(&ml);
    buf_free(&txt);

    malformed(&c);
    delims();
    one_call();
    CHECK(tex_table_sorted(), "command table sorted");
    free(texs);
    free(data);
    buf_free(&c.ml);
    buf_free(&c.txt);
    buf_free(&line);
    printf("%s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}

/* An XHTML chapter with every golden formula, display and inline (for
 * EPUBCheck and for looking at in a browser). */
static int xhtml(const char *path)
{
    size_t n;
    char *data = slurp(path, &n);
    conv c = {0};
    puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
         "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Math"
         "</title><style>math{font-family:\"DejaVu Math TeX Gyre\",math}"
         "</style></head><body>");
    for (char *p = data, *e; p < data + n; p = e + 1) {
        e = strchr(p, '\n');
        if (!e) e = data + n;
        *e = 0;
        char *tab = strchr(p, '\t');
        if (!tab) continue;
        *tab = 0;
        const char *tex = *p == '!' ? p + 1 : p;
        convert(&c, tex, strlen(tex), 1);
        printf("<div>%s</div>\n", c.ml.data);
        convert(&c, tex, strlen(tex), 0);
        printf("<p>Inline %s in text.</p>\n", c.ml.data);
    }
    puts("</body></html>");
    free(data);
    buf_free(&c.ml);
    buf_free(&c.txt);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "xhtml")) return xhtml(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "check")) return check(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "regen")) return regen(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "conv")) {
        conv c = {0};
        size_t s, e;
        int disp;
        tex_strip_delims(argv[2], strlen(argv[2]), &s, &e, &disp);
        convert(&c, argv[2] + s, e - s, disp);
        printf("%s\n%s\nerrors: %d\n", c.ml.data, c.txt.data, c.errors);
        const char *why = xml_check(c.ml.data, c.ml.len);
        if (why) printf("NOT WELL-FORMED: %s\n", why);
        buf_free(&c.ml);
        buf_free(&c.txt);
        return 0;
    }
    fprintf(stderr,
            "usage: math_suite check GOLDEN | regen FORMULAS | conv TEX | "
            "xhtml GOLDEN\n");
    return 2;
}
