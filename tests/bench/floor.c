/* The floor for context: how long cmark-gfm takes just to parse the same
 * bytes, and zlib to compress them.  folio cannot be faster than parsing.
 *   floor FILE...   prints "parse_ms deflate_ms bytes" (best of 5) */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    char **data = calloc((size_t)argc, sizeof *data);
    size_t *len = calloc((size_t)argc, sizeof *len), total = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) return 1;
        fseek(f, 0, SEEK_END);
        len[i] = (size_t)ftell(f);
        rewind(f);
        data[i] = malloc(len[i] + 1);
        if (fread(data[i], 1, len[i], f) != len[i]) return 1;
        fclose(f);
        total += len[i];
    }
    cmark_gfm_core_extensions_ensure_registered();
    double best_parse = 1e9, best_zip = 1e9;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 1; i < argc; i++) {
            cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
            const char *exts[] = {"table", "strikethrough", "autolink",
                                  "tasklist"};
            for (int e = 0; e < 4; e++)
                cmark_parser_attach_syntax_extension(
                    p, cmark_find_syntax_extension(exts[e]));
            cmark_parser_feed(p, data[i], len[i]);
            cmark_node_free(cmark_parser_finish(p));
            cmark_parser_free(p);
        }
        double t1 = now();
        for (int i = 1; i < argc; i++) {
            uLongf n = compressBound(len[i]);
            Bytef *out = malloc(n);
            compress2(out, &n, (const Bytef *)data[i], len[i], 6);
            free(out);
        }
        double t2 = now();
        if (t1 - t0 < best_parse) best_parse = t1 - t0;
        if (t2 - t1 < best_zip) best_zip = t2 - t1;
    }
    printf("%.2f %.2f %zu\n", best_parse, best_zip, total);
    for (int i = 1; i < argc; i++)
        free(data[i]);
    free(data);
    free(len);
    return 0;
}
