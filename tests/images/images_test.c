/* Figures: sniffing, validation, limits, resolution, containment, the
 * cache and its threads, decoding; and (with "fetch") libcurl against the
 * loopback server of fetch.sh.  Builds its own sample site in a temporary
 * folder.
 *   images_test                     the offline checks
 *   images_test fetch URL CACHE     fetches from the server at URL
 *   images_test cached URL CACHE    the same URLs with the server gone
 *   images_test png FILE            writes the PNG the server serves
 *   images_test sample DIR          writes samples/site's images */
#include "fetch.h"
#include "gen.h"
#include "image.h"
#include "resolve.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails, checks;
#define CHECK(cond)                                                            \
    do {                                                                       \
        checks++;                                                              \
        if (!(cond)) {                                                         \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);             \
            fails++;                                                           \
        }                                                                      \
    } while (0)
/* The message must contain s. */
#define CHECK_MSG(m, s)                                                        \
    do {                                                                       \
        checks++;                                                              \
        if (!strstr((m), (s))) {                                               \
            printf("FAIL %s:%d: message \"%s\" lacks \"%s\"\n", __FILE__,      \
                   __LINE__, (m), (s));                                        \
            fails++;                                                           \
        }                                                                      \
    } while (0)

static char root[4096]; /* the temporary folder */
static char site[4200], post[4300];

static const char *at(const char *rel)
{
    static char bufs[8][4400];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", root, rel);
    return b;
}

static void mkdir_p(const char *rel)
{
    char p[4400];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (char *c = p + strlen(root) + 1;; c++) {
        if (*c != '/' && *c) continue;
        char s = *c;
        *c = 0;
        mkdir(p, 0755);
        *c = s;
        if (!s) break;
    }
}

static void write_text(const char *rel, const char *text)
{
    FILE *f = fopen(at(rel), "wb");
    if (!f) {
        perror(rel);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static void write_bytes(const char *rel, const unsigned char *b, size_t n)
{
    FILE *f = fopen(at(rel), "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

static const char *safe_svg =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- a diagram -->\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"120\" "
    "height=\"60\" viewBox=\"0 0 240 120\">\n"
    "  <defs><linearGradient id=\"g\"><stop offset=\"0\" "
    "stop-color=\"#fff\"/></linearGradient></defs>\n"
    "  <style><![CDATA[ rect { fill: url(#g); } ]]></style>\n"
    "  <rect x=\"0\" y=\"0\" width=\"240\" height=\"120\"/>\n"
    "  <use xlink:href=\"#g\"/>\n"
    "  <text x=\"10\" y=\"50\">A &amp; B &#xD55C;</text>\n"
    "</svg>\n";

static void build_site(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/folio-images.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        exit(2);
    }
    mkdir_p("blog/_posts/2025");
    mkdir_p("blog/assets/img");
    mkdir_p("blog/assets/bad");
    mkdir_p("outside");
    mkdir_p("loose");
    mkdir_p("res/assets/img");
    snprintf(site, sizeof site, "%s/blog", root);
    snprintf(post, sizeof post, "%s/blog/_posts/2025-11-10-figures.md", root);
    write_text("blog/_posts/2025-11-10-figures.md",
               "---\ntitle: Figures\n---\n![a](/assets/img/alpha.png)\n");
    write_text("blog/_posts/2025/2025-11-11-nested.md", "x\n");
    write_text("loose/post.md", "x\n");

    int w = 96, h = 64;
    unsigned char *px = malloc((size_t)w * h * 4);
    gen_picture(w, h, 1, px);
    gen_png(at("blog/assets/img/alpha.png"), w, h, px, 1, 0);
    gen_png(at("blog/assets/img/interlaced.png"), w, h, px, 1, 1);
    gen_png(at("blog/assets/img/alpha.png.copy"), w, h, px, 1, 0);
    gen_png(at("blog/assets/img/그림 1.png"), w, h, px, 1, 0);
    gen_png(at("outside/secret.png"), w, h, px, 1, 0);
    gen_png(at("res/assets/img/only-in-res.png"), w, h, px, 1, 0);
    gen_webp_lossless(at("blog/assets/img/real.webp"), w, h, px);
    gen_picture(w, h, 0, px);
    gen_png(at("blog/assets/img/opaque-rgba.png"), w, h, px, 1, 0);
    gen_png(at("blog/assets/img/opaque.png"), w, h, px, 0, 0);
    gen_png(at("blog/assets/img/wrong.jpg"), w, h, px, 0, 0);
    gen_jpeg(at("blog/assets/img/photo.jpg"), w, h, px, 0, 0);
    gen_jpeg(at("blog/assets/img/gray.jpeg"), w, h, px, 1, 1);
    gen_png_palette(at("blog/assets/img/palette.png"), 1);
    gen_png_palette(at("blog/assets/img/palette-opaque.png"), 0);
    gen_gif(at("blog/assets/img/anim.gif"), 40, 30, 1, 3);
    gen_gif(at("blog/assets/img/still.gif"), 40, 30, 0, 1);
    gen_webp(at("blog/assets/img/pic.webp"), 300, 200, 1);
    write_text("blog/assets/img/diagram.svg", safe_svg);
    free(px);

    /* Bad files. */
    size_t n;
    unsigned char *b = slurp(at("blog/assets/img/alpha.png"), &n);
    write_bytes("blog/assets/bad/truncated.png", b, n / 2);
    b[60] ^= 0xFF; /* inside IDAT: the CRC no longer matches */
    write_bytes("blog/assets/bad/crc.png", b, n);
    free(b);
    b = slurp(at("blog/assets/img/photo.jpg"), &n);
    write_bytes("blog/assets/bad/truncated.jpg", b, n * 2 / 3);
    /* A damaged header: the first marker segment's length runs past the
     * end of the file. */
    b[4] = 0xFF, b[5] = 0xFF;
    write_bytes("blog/assets/bad/corrupt.jpg", b, 64);
    free(b);
    gen_png_header_only(at("blog/assets/bad/bomb.png"), 30000, 30000);
    gen_png_header_only(at("blog/assets/bad/wide.png"), 100000, 1);
    static const unsigned char gif_bomb[] = {
        'G', 'I', 'F', '8', '9', 'a', 0x30, 0x75, 0x30, 0x75, 0, 0, 0, 0x3B};
    write_bytes("blog/assets/bad/bomb.gif", gif_bomb, sizeof gif_bomb);
    write_text("blog/assets/bad/notes.png", "just some text, not an image\n");
    write_text("blog/assets/bad/empty.png", "");
    /* Over the byte limit without taking the disk: a sparse file. */
    FILE *f = fopen(at("blog/assets/bad/huge.png"), "wb");
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    fclose(f);
    if (truncate(at("blog/assets/bad/huge.png"), 40L << 20) != 0)
        perror("truncate");
    mkdir_p("blog/assets/bad/dir.png");
    if (mkfifo(at("blog/assets/bad/fifo.png"), 0644) != 0) perror("mkfifo");
    gen_png_palette(at("blog/assets/bad/locked.png"), 0);
    chmod(at("blog/assets/bad/locked.png"), 0);
    if (symlink(at("outside/secret.png"), at("blog/assets/img/escape.png")) !=
        0)
        perror("symlink");
    if (symlink("/etc/passwd", at("blog/assets/img/passwd.png")) != 0)
        perror("symlink");
    if (symlink("alpha.png", at("blog/assets/img/inside-link.png")) != 0)
        perror("symlink");

    static const struct {
        const char *name, *text;
    } svgs[] = {
        {"script.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>"
                       "alert(1)</script></svg>"},
        {"onload.svg",
         "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"},
        {"href.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image "
                     "xlink:href=\"http://evil.example/x.png\"/></svg>"},
        {"css.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect "
                    "style=\"fill: url('https://evil.example/p')\"/></svg>"},
        {"import.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>"
                       "@import 'http://x/y.css';</style></svg>"},
        {"foreign.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">"
                        "<foreignObject><p>x</p></foreignObject></svg>"},
        {"doctype.svg", "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a "
                        "\"aaaa\">]>\n<svg>&a;</svg>"},
        {"unclosed.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>"
                         "</svg>"},
        {"js.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><a "
                   "href=\"javascript:alert(1)\">x</a></svg>"},
        {"pi.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><?php x ?>"
                   "</svg>"},
    };
    for (size_t i = 0; i < sizeof svgs / sizeof svgs[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "blog/assets/bad/%s", svgs[i].name);
        write_text(rel, svgs[i].text);
    }
}

static void rm_rf(const char *path)
{
    char cmd[4400];
    chmod(at("blog/assets/bad/locked.png"), 0644);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) printf("cleanup of %s failed\n", path);
}

static folio_image_ctx *ctx;

/* Load ref for the main post; returns the result code. */
static int load(const char *ref, folio_image *img, char *msg)
{
    return folio_image_load(ctx, post, ref, img, msg, 512);
}

static void good_images(void)
{
    folio_image img;
    char msg[512];
    CHECK(load("/assets/img/alpha.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(msg[0] == 0);
    CHECK(img.type == FOLIO_IMAGE_PNG && img.width == 96 && img.height == 64);
    CHECK(img.has_alpha == 1 && img.components == 4 && img.bit_depth == 8);
    CHECK(strcmp(img.media_type, "image/png") == 0 &&
          strcmp(img.ext, "png") == 0);
    CHECK(img.len > 100 && img.data[1] == 'P');
    CHECK(strstr(img.path, "/blog/assets/img/alpha.png") != NULL);
    CHECK(strlen(img.id) == 16);

    CHECK(load("/assets/img/interlaced.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 1 && img.width == 96);
    CHECK(load("/assets/img/opaque-rgba.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 1); /* an alpha channel, all opaque: decode says */
    CHECK(load("/assets/img/opaque.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 0 && img.components == 3);
    CHECK(load("/assets/img/palette.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 1 && img.width == 4 && img.bit_depth == 2);
    CHECK(load("/assets/img/palette-opaque.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 0);

    CHECK(load("/assets/img/photo.jpg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(msg[0] == 0);
    CHECK(img.type == FOLIO_IMAGE_JPEG && img.width == 96 && img.height == 64 &&
          img.components == 3 && img.has_alpha == 0);
    CHECK(strcmp(img.media_type, "image/jpeg") == 0);
    CHECK(load("/assets/img/gray.jpeg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.components == 1 && msg[0] == 0);

    CHECK(load("/assets/img/anim.gif", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_GIF && img.width == 40 && img.height == 30 &&
          img.has_alpha == 1 && img.frames == 3);
    CHECK(load("/assets/img/still.gif", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.has_alpha == 0 && img.frames == 1);
    CHECK(load("/assets/img/pic.webp", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_WEBP && img.width == 300 &&
          img.height == 200 && img.has_alpha == 1 &&
          strcmp(img.media_type, "image/webp") == 0);
    CHECK(load("/assets/img/diagram.svg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_SVG && img.width == 120 && img.height == 60 &&
          strcmp(img.media_type, "image/svg+xml") == 0);
}

static void references(void)
{
    folio_image img;
    char msg[512];
    /* Relative to the post's folder, to the site root, Liquid, encoded. */
    CHECK(load("../assets/img/alpha.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("assets/img/alpha.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("{{ '/assets/img/alpha.png' | relative_url }}", &img, msg) ==
          FOLIO_IMAGE_OK);
    CHECK(load("{{\"/assets/img/alpha.png\"|absolute_url}}", &img, msg) ==
          FOLIO_IMAGE_OK);
    CHECK(load("{{ site.baseurl }}/assets/img/alpha.png", &img, msg) ==
          FOLIO_IMAGE_OK);
    CHECK(load("{{ site.url }}{{ site.baseurl }}/assets/img/photo.jpg", &img,
               msg) == FOLIO_IMAGE_OK &&
          img.type == FOLIO_IMAGE_JPEG);
    CHECK(load("{{- site.baseurl -}}/assets/img/alpha.png", &img, msg) ==
          FOLIO_IMAGE_OK);
    CHECK(load("{% link assets/img/alpha.png %}", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("<{{ '/assets/img/alpha.png' | prepend: site.baseurl }}>", &img,
               msg) == FOLIO_IMAGE_OK);
    CHECK(load("/assets/img/%EA%B7%B8%EB%A6%BC%201.png", &img, msg) ==
          FOLIO_IMAGE_OK);
    CHECK(load("/assets/img/그림 1.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("/assets/img/alpha.png?v=2#fig", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("  /assets/img/inside-link.png ", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(load("{{ page.image }}", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "Liquid");

    /* A nested post finds the same site root. */
    char nested[4400];
    snprintf(nested, sizeof nested, "%s/blog/_posts/2025/2025-11-11-nested.md",
             root);
    CHECK(folio_image_load(ctx, nested, "/assets/img/alpha.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    char *sr = folio_site_root(nested);
    CHECK(sr && strcmp(sr + strlen(sr) - 5, "/blog") == 0);
    free(sr);
    CHECK(folio_site_root(at("loose/post.md")) == NULL);

    /* Outside _posts: site-absolute needs a resource path. */
    CHECK(folio_image_load(ctx, at("loose/post.md"), "/assets/img/alpha.png",
                           &img, msg, sizeof msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "resource-path");
    char rp[13000];
    snprintf(rp, sizeof rp, "%s/nonexistent:%s/res:%s", root, root, site);
    folio_image_opts o = {.resource_path = rp};
    folio_image_ctx *c2 = folio_image_ctx_new(&o);
    CHECK(folio_image_load(c2, at("loose/post.md"), "/assets/img/alpha.png",
                           &img, msg, sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_load(c2, at("loose/post.md"),
                           "/assets/img/only-in-res.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_load(c2, post, "assets/img/only-in-res.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    folio_image_ctx_free(c2);

    /* Remote: not fetched by default; other schemes refused. */
    CHECK(load("https://example.com/x.png", &img, msg) == FOLIO_IMAGE_REMOTE);
    CHECK(msg[0] == 0);
    CHECK(load("HTTP://example.com/x.png", &img, msg) == FOLIO_IMAGE_REMOTE);
    CHECK(load("//example.com/x.png", &img, msg) == FOLIO_IMAGE_REMOTE);
    CHECK(load("data:image/png;base64,iVBORw0KGgo=", &img, msg) ==
          FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "data:");
    CHECK(load("file:///etc/passwd", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK(load("javascript:alert(1)", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK(load("", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK(load("/a%00b.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "NUL");

    char *out;
    char m[256];
    CHECK(folio_ref_normalize("{{ '/x/y.png' | relative_url }}?a#b", &out, m,
                              sizeof m) == FOLIO_REF_LOCAL);
    CHECK(strcmp(out, "/x/y.png") == 0);
    free(out);
    CHECK(folio_ref_normalize("//cdn.example/a.png", &out, m, sizeof m) ==
          FOLIO_REF_REMOTE);
    CHECK(strcmp(out, "https://cdn.example/a.png") == 0);
    free(out);

    /* Liquid in a post's body, before cmark sees it. */
    static const char body[] =
        "![a]({{ '/assets/x.png' | relative_url }}) and {{ site.url }}\n"
        "<img src=\"{{ site.url }}{{ site.baseurl }}/y.png\">\n"
        "`{{ '/code' | relative_url }}` {% link assets/z.png %} {{ page.x }}\n"
        "```\n{{ site.baseurl }}/fenced\n```\n"
        "{{- site.baseurl -}}/after";
    static const char want[] =
        "![a](/assets/x.png) and {{ site.url }}\n"
        "<img src=\"/y.png\">\n"
        "`{{ '/code' | relative_url }}` /assets/z.png {{ page.x }}\n"
        "```\n{{ site.baseurl }}/fenced\n```\n"
        "/after";
    size_t ln = 0;
    folio_liquid_edit *ed;
    size_t ned;
    char *lq = folio_liquid_paths(body, sizeof body - 1, &ln, &ed, &ned);
    CHECK(lq && ln == sizeof want - 1 && strcmp(lq, want) == 0);
    if (lq && strcmp(lq, want) != 0) printf("got: %s\n", lq);
    /* Each edit maps a replacement back to the expression as written. */
    CHECK(ned == 5);
    if (lq && ned == 5) {
        CHECK(ed[0].out_off == 5 && ed[0].out_len == 13 &&
              memcmp(lq + 5, "/assets/x.png", 13) == 0);
        CHECK(ed[0].in_off == 5 &&
              memcmp(body + ed[0].in_off,
                     "{{ '/assets/x.png' | relative_url }}",
                     ed[0].in_len) == 0);
        CHECK(ed[1].out_len == 0 && ed[2].out_len == 0);
        CHECK(memcmp(body + ed[3].in_off, "{% link assets/z.png %}",
                     ed[3].in_len) == 0 &&
              memcmp(lq + ed[3].out_off, "/assets/z.png", ed[3].out_len) == 0);
    }
    free(lq);
    free(ed);
    CHECK(folio_liquid_paths("no liquid {{ x }}", 17, &ln, NULL, NULL) == NULL);

    /* HTML <img>. */
    const char *html = "<p align=\"center\"><IMG width=300 alt='A &amp; B "
                       "&#xD55C;' src=\"/assets/img/alpha.png\" /></p>"
                       "<img src=x.png>";
    char *src, *alt;
    size_t end;
    CHECK(folio_html_img(html, strlen(html), &src, &alt, &end) == 1);
    CHECK(src && strcmp(src, "/assets/img/alpha.png") == 0);
    CHECK(alt && strcmp(alt, "A & B \xED\x95\x9C") == 0);
    CHECK(load(src, &img, msg) == FOLIO_IMAGE_OK);
    free(src), free(alt);
    CHECK(folio_html_img(html + end, strlen(html) - end, &src, &alt, NULL) ==
          1);
    CHECK(src && strcmp(src, "x.png") == 0 && alt && alt[0] == 0);
    free(src), free(alt);
    CHECK(folio_html_img("<p>no image</p>", 15, &src, &alt, NULL) == 0);
    CHECK(src == NULL && alt == NULL);
}

static void bad_images(void)
{
    folio_image img;
    char msg[512];
    CHECK(load("/assets/img/missing.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "/assets/img/missing.png: not found");

    CHECK(load("/assets/bad/truncated.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "corrupt PNG");
    CHECK(load("/assets/bad/crc.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "corrupt PNG");
    CHECK(load("/assets/bad/truncated.jpg", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "corrupt JPEG");
    CHECK(load("/assets/bad/corrupt.jpg", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "corrupt JPEG");

    CHECK(load("/assets/bad/bomb.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "30000x30000 pixels is over the limit");
    CHECK(load("/assets/bad/wide.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK(load("/assets/bad/bomb.gif", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "30000x30000");

    CHECK(load("/assets/img/wrong.jpg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_PNG &&
          strcmp(img.media_type, "image/png") == 0);
    CHECK_MSG(msg, "a PNG image, not JPEG as its name says");

    CHECK(load("/assets/bad/notes.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "not a PNG, JPEG, GIF, WebP or SVG image");
    CHECK(load("/assets/bad/empty.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "empty");

    CHECK(load("/assets/bad/huge.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "41943040 bytes is over the limit");
    CHECK(load("/assets/bad/dir.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "not a regular file");
    CHECK(load("/assets/bad/fifo.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "not a regular file");
    /* As root chmod 000 does not stop reading: then the file loads. */
    int r = load("/assets/bad/locked.png", &img, msg);
    if (geteuid() != 0) {
        CHECK(r == FOLIO_IMAGE_ERROR);
        CHECK_MSG(msg, "Permission denied");
    } else {
        CHECK(r == FOLIO_IMAGE_OK);
        /* Root reads anything: check the refusal as nobody, in a child. */
        chmod(root, 0755);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(4);
            folio_image_ctx *c = folio_image_ctx_new(NULL);
            r = folio_image_load(c, post, "/assets/bad/locked.png", &img, msg,
                                 sizeof msg);
            int good = r == FOLIO_IMAGE_ERROR &&
                       strstr(msg, "cannot be read: Permission denied");
            if (!good) printf("as nobody: %d %s\n", r, msg);
            /* A readable file still loads as nobody. */
            good &= folio_image_load(c, post, "/assets/img/alpha.png", &img,
                                     msg, sizeof msg) == FOLIO_IMAGE_OK;
            folio_image_ctx_free(c);
            fflush(stdout);
            _exit(good ? 0 : 1);
        }
        int status = -1;
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
            puts("note: cannot become nobody here; unreadable file not "
                 "checked");
        else
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        chmod(root, 0700);
    }

    CHECK(load("../../../../../../../../../../etc/passwd", &img, msg) ==
          FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "outside the post's folder, the site root and the "
                   "resource paths");
    CHECK(load("../../outside/secret.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "outside");
    CHECK(load("/../outside/secret.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "outside");
    CHECK(load("/assets/img/escape.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "outside");
    CHECK(load("/assets/img/passwd.png", &img, msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "(it is /etc/passwd)");
    CHECK(load("%2e%2e/%2e%2e/outside/secret.png", &img, msg) ==
          FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "outside");

    static const struct {
        const char *file, *why;
    } svgs[] = {
        {"script.svg", "<script>"},
        {"onload.svg", "event attribute (onload)"},
        {"href.svg", "external reference (xlink:href="},
        {"css.svg", "external reference (url("},
        {"import.svg", "@import"},
        {"foreign.svg", "<foreignObject>"},
        {"doctype.svg", "DOCTYPE"},
        {"unclosed.svg", "mismatched end tag"},
        {"js.svg", "javascript:"},
        {"pi.svg", "processing instruction"},
    };
    for (size_t i = 0; i < sizeof svgs / sizeof svgs[0]; i++) {
        char ref[256];
        snprintf(ref, sizeof ref, "/assets/bad/%s", svgs[i].file);
        CHECK(load(ref, &img, msg) == FOLIO_IMAGE_ERROR);
        CHECK_MSG(msg, svgs[i].why);
    }

    /* The cover: a path from the command line (no containment). */
    CHECK(folio_image_load_path(ctx, at("outside/secret.png"), &img, msg,
                                sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_load_path(ctx, at("outside/none.png"), &img, msg,
                                sizeof msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "not found");
}

static void limits(void)
{
    folio_image img;
    char msg[512];
    /* The book's total: the second image does not fit. */
    size_t n;
    free(slurp(at("blog/assets/img/alpha.png"), &n));
    folio_image_opts o = {.max_total = n + 10};
    folio_image_ctx *c = folio_image_ctx_new(&o);
    CHECK(folio_image_load(c, post, "/assets/img/alpha.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_load(c, post, "/assets/img/photo.jpg", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "in total");
    /* A refused image gives its bytes back. */
    folio_image_stats st;
    folio_image_ctx_stats(c, &st);
    CHECK(st.bytes_held == n);
    folio_image_ctx_free(c);

    folio_image_opts o2 = {.max_pixels = 1000, .max_bytes = 4096};
    c = folio_image_ctx_new(&o2);
    CHECK(folio_image_load(c, post, "/assets/img/alpha.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "96x64 pixels is over the limit (1000 pixels");
    CHECK(folio_image_load(c, post, "/assets/img/palette.png", &img, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    folio_image_ctx_free(c);
}

static void cache_and_dedup(void)
{
    folio_image a, b;
    char msg[512];
    folio_image_ctx *c = folio_image_ctx_new(NULL);
    for (int i = 0; i < 5; i++)
        CHECK(folio_image_load(c, post, "/assets/img/alpha.png", &a, msg,
                               sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_load(c, post, "../assets/img/alpha.png", &b, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(a.data == b.data); /* one copy of the bytes */
    folio_image_stats st;
    folio_image_ctx_stats(c, &st);
    CHECK(st.files_read == 1 && st.hits == 5);
    CHECK(st.bytes_held == a.len);
    /* Another file with equal bytes: read again, but the same hash. */
    CHECK(folio_image_load(c, post, "/assets/img/alpha.png.copy", &b, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(a.data != b.data && memcmp(a.sha256, b.sha256, 32) == 0 &&
          strcmp(a.id, b.id) == 0);
    CHECK(folio_image_load(c, post, "/assets/img/opaque.png", &b, msg,
                           sizeof msg) == FOLIO_IMAGE_OK);
    CHECK(memcmp(a.sha256, b.sha256, 32) != 0);
    /* A bad file is read once too. */
    for (int i = 0; i < 3; i++)
        CHECK(folio_image_load(c, post, "/assets/bad/truncated.png", &b, msg,
                               sizeof msg) == FOLIO_IMAGE_ERROR);
    folio_image_ctx_stats(c, &st);
    CHECK(st.files_read == 4);
    folio_image_ctx_free(c);

    unsigned char h[32];
    folio_sha256("abc", 3, h);
    CHECK(h[0] == 0xba && h[1] == 0x78 && h[31] == 0xad);
    folio_sha256("", 0, h);
    CHECK(h[0] == 0xe3 && h[1] == 0xb0 && h[31] == 0x55);
    /* 56 bytes: the padding spills into a second block. */
    folio_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                 h);
    CHECK(h[0] == 0x24 && h[1] == 0x8d && h[31] == 0xc1);
}

static const char *thread_refs[] = {
    "/assets/img/alpha.png", "/assets/img/photo.jpg",
    "/assets/img/anim.gif",  "/assets/img/diagram.svg",
    "/assets/bad/bomb.png",  "{{ '/assets/img/alpha.png' | relative_url }}"};

static void *worker(void *arg)
{
    folio_image_ctx *c = arg;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < sizeof thread_refs / sizeof thread_refs[0];
             i++) {
            folio_image img;
            char msg[256];
            int r = folio_image_load(c, post, thread_refs[i], &img, msg,
                                     sizeof msg);
            if (r != (i == 4 ? FOLIO_IMAGE_ERROR : FOLIO_IMAGE_OK))
                __atomic_add_fetch(&fails, 1, __ATOMIC_RELAXED);
        }
    return NULL;
}

static void threads(void)
{
    folio_image_ctx *c = folio_image_ctx_new(NULL);
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, worker, c);
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    folio_image_stats st;
    folio_image_ctx_stats(c, &st);
    CHECK(st.files_read == 5); /* each file once, across 6 threads */
    CHECK(st.hits == 6 * 20 * 6 - 5);
    folio_image_ctx_free(c);
}

static void decoding(void)
{
    folio_image img;
    folio_pixels px;
    char msg[512];
    CHECK(load("/assets/img/alpha.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    CHECK(px.width == 96 && px.height == 64 && px.rgb && px.alpha);
    unsigned char *want = malloc(96 * 64 * 4);
    gen_picture(96, 64, 1, want);
    int same = 1;
    for (int i = 0; i < 96 * 64; i++)
        same &= px.rgb[3 * i] == want[4 * i] &&
                px.rgb[3 * i + 2] == want[4 * i + 2] &&
                px.alpha[i] == want[4 * i + 3];
    CHECK(same);
    CHECK(px.alpha[0] == 0); /* the rounded corner */
    folio_pixels_free(&px);
    CHECK(load("/assets/img/interlaced.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    same = px.alpha != NULL;
    for (int i = 0; same && i < 96 * 64; i++)
        same &= px.rgb[3 * i + 1] == want[4 * i + 1] &&
                px.alpha[i] == want[4 * i + 3];
    CHECK(same);
    folio_pixels_free(&px);
    CHECK(load("/assets/img/opaque-rgba.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    CHECK(px.rgb && px.alpha == NULL);
    folio_pixels_free(&px);
    CHECK(load("/assets/img/palette.png", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    /* Pixel (0,0) is index 0: white, transparent; (1,0) index 1: red. */
    CHECK(px.alpha && px.alpha[0] == 0 && px.alpha[1] == 255);
    CHECK(px.rgb[3] == 200 && px.rgb[4] == 0);
    folio_pixels_free(&px);
    CHECK(load("/assets/img/photo.jpg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == -1);
    CHECK(px.rgb == NULL);
    CHECK_MSG(msg, "JPEG passes through");

    /* WebP (libwebp): lossless, so every pixel comes back. */
    CHECK(load("/assets/img/real.webp", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_WEBP && img.width == 96 && img.has_alpha);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    same = px.rgb && px.alpha && px.width == 96 && px.height == 64;
    for (int i = 0; same && i < 96 * 64; i++)
        same &= px.alpha[i] == want[4 * i + 3] &&
                (want[4 * i + 3] == 0 || px.rgb[3 * i] == want[4 * i]);
    CHECK(same);
    folio_pixels_free(&px);
    /* A header without image data. */
    CHECK(load("/assets/img/pic.webp", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == -1);
    CHECK_MSG(msg, "corrupt WebP");
    free(want);

    /* GIF (giflib): the first frame; colour (x/4 + y/4) % 4, 0 clear. */
    CHECK(load("/assets/img/anim.gif", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    CHECK(px.width == 40 && px.height == 30 && px.alpha);
    if (px.alpha) {
        CHECK(px.alpha[0] == 0 && px.alpha[4] == 255);
        CHECK(px.rgb[12] == 211 && px.rgb[13] == 84 && px.rgb[14] == 0);
        size_t i = 29 * 40 + 39; /* (39/4 + 29/4) % 4 = 0: clear */
        CHECK(px.alpha[i] == 0);
    }
    folio_pixels_free(&px);
    CHECK(load("/assets/img/still.gif", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == 0);
    CHECK(px.rgb && px.alpha == NULL && px.rgb[0] == 255 &&
          px.rgb[3 * 8] == 52);
    folio_pixels_free(&px);
    CHECK(load("/assets/img/diagram.svg", &img, msg) == FOLIO_IMAGE_OK);
    CHECK(folio_image_decode(&img, &px, msg, sizeof msg) == -1);
}

static void sniffing(void)
{
    CHECK(folio_image_sniff((const unsigned char *)"\xFF\xD8\xFF\xE0", 4) ==
          FOLIO_IMAGE_JPEG);
    CHECK(folio_image_sniff((const unsigned char *)"GIF87a", 6) ==
          FOLIO_IMAGE_GIF);
    CHECK(folio_image_sniff((const unsigned char *)"\xEF\xBB\xBF  <svg>", 11) ==
          FOLIO_IMAGE_SVG);
    CHECK(folio_image_sniff((const unsigned char *)"<html><svg>", 11) ==
          FOLIO_IMAGE_UNKNOWN);
    CHECK(folio_image_type_from_name("a/b.JPEG") == FOLIO_IMAGE_JPEG);
    CHECK(folio_image_type_from_name("a.b/c") == FOLIO_IMAGE_UNKNOWN);
    CHECK(folio_image_type_from_name("x.svg") == FOLIO_IMAGE_SVG);
}

/* ---- fetching (fetch.sh runs the server) */

static void fetching(const char *base, const char *cache, int server_up)
{
    char url[512], msg[512], *path;
    int net;
    folio_fetch_opts o = {.cache_dir = cache,
                          .allow_http = 1,
                          .connect_timeout_ms = 2000,
                          .timeout_ms = 1500,
                          .max_bytes = 64 << 10};
    snprintf(url, sizeof url, "%s/ok.png", base);
    CHECK(folio_fetch(&o, url, &path, &net, msg, sizeof msg) == 0);
    CHECK(path && net == server_up);
    if (path) {
        size_t n;
        unsigned char *b = slurp(path, &n);
        CHECK(b && n > 100 && b[1] == 'P');
        free(b);
        CHECK(strncmp(path, cache, strlen(cache)) == 0);
        free(path);
    }
    /* Through the context, with the name's type checked. */
    folio_image_opts io = {
        .fetch = 1, .allow_http = 1, .cache_dir = cache, .timeout_ms = 1500};
    folio_image_ctx *c = folio_image_ctx_new(&io);
    folio_image img;
    CHECK(folio_image_load(c, post, url, &img, msg, sizeof msg) ==
          FOLIO_IMAGE_OK);
    CHECK(img.type == FOLIO_IMAGE_PNG && img.width == 96 && msg[0] == 0);
    CHECK(folio_image_load(c, post, url, &img, msg, sizeof msg) ==
          FOLIO_IMAGE_OK);
    folio_image_stats st;
    folio_image_ctx_stats(c, &st);
    CHECK(st.fetched == 0); /* the first folio_fetch filled the cache */
    CHECK(st.files_read == 1 && st.hits == 1);
    folio_image_ctx_free(c);
    if (!server_up) {
        snprintf(url, sizeof url, "%s/never-fetched.png", base);
        CHECK(folio_fetch(&o, url, &path, &net, msg, sizeof msg) == -1);
        return;
    }

    /* https only unless allowed. */
    folio_fetch_opts strict = o;
    strict.allow_http = 0;
    snprintf(url, sizeof url, "%s/other.png", base);
    CHECK(folio_fetch(&strict, url, &path, &net, msg, sizeof msg) == -1);
    CHECK_MSG(msg, "https only");
    CHECK(folio_fetch(&o, "ftp://127.0.0.1/x.png", &path, &net, msg,
                      sizeof msg) == -1);
    /* Plain http, even when allowed, reaches loopback addresses only:
     * refused by name, or at the socket after a redirect. */
    CHECK(folio_fetch(&o, "http://192.0.2.1/x.png", &path, &net, msg,
                      sizeof msg) == -1);
    CHECK_MSG(msg, "https only");
    snprintf(url, sizeof url, "%s/away.png", base);
    CHECK(folio_fetch(&o, url, &path, &net, msg, sizeof msg) == -1);
    CHECK(net == 0 && path == NULL);
    CHECK_MSG(msg, "Couldn't connect"); /* refused, never timed out */

    static const struct {
        const char *path, *why;
    } bad[] = {
        {"/404.png", "HTTP status 404"},
        {"/big-length.png", "larger than 65536 bytes"},
        {"/big-stream.png", "larger than 65536 bytes"},
        {"/loop.png", "more than 3 redirects"},
        {"/redirect/4", "more than 3 redirects"},
        {"/to-ftp.png", "redirected to a scheme other than"},
        {"/slow.png", "timed out"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(url, sizeof url, "%s%s", base, bad[i].path);
        path = NULL;
        CHECK(folio_fetch(&o, url, &path, &net, msg, sizeof msg) == -1);
        CHECK(path == NULL);
        CHECK_MSG(msg, bad[i].why);
    }
    snprintf(url, sizeof url, "%s/redirect/3", base);
    CHECK(folio_fetch(&o, url, &path, &net, msg, sizeof msg) == 0);
    free(path);

    /* A page that is no image: refused and not kept in the cache. */
    c = folio_image_ctx_new(&io);
    snprintf(url, sizeof url, "%s/page.png", base);
    CHECK(folio_image_load(c, post, url, &img, msg, sizeof msg) ==
          FOLIO_IMAGE_ERROR);
    CHECK_MSG(msg, "not a PNG, JPEG");
    folio_image_ctx_free(c);
    char *dir = folio_fetch_cache_dir(&o);
    unsigned char h[32];
    folio_sha256(url, strlen(url), h);
    char file[4400];
    int k = snprintf(file, sizeof file, "%s/", dir);
    for (int i = 0; i < 32; i++)
        k += snprintf(file + k, 3, "%02x", h[i]);
    struct stat sb;
    CHECK(stat(file, &sb) != 0);
    free(dir);
}

static int write_sample(const char *dir)
{
    char p[4400];
    int w = 480, h = 270;
    unsigned char *px = malloc((size_t)w * h * 4);
    gen_picture(w, h, 1, px);
    snprintf(p, sizeof p, "%s/chart-alpha.png", dir);
    int r = gen_png(p, w, h, px, 1, 0);
    gen_picture(w, h, 0, px);
    snprintf(p, sizeof p, "%s/chart.jpg", dir);
    r |= gen_jpeg(p, w, h, px, 0, 0);
    free(px);
    w = 240, h = 135;
    px = malloc((size_t)w * h * 4);
    gen_picture(w, h, 0, px);
    snprintf(p, sizeof p, "%s/overview.png", dir);
    r |= gen_png(p, w, h, px, 0, 0);
    free(px);
    return r;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "png") == 0) {
        unsigned char *px = malloc(96 * 64 * 4);
        gen_picture(96, 64, 1, px);
        int r = gen_png(argv[2], 96, 64, px, 1, 0);
        free(px);
        return r != 0;
    }
    if (argc == 3 && strcmp(argv[1], "seeds") == 0) {
        /* Small image seeds for the fuzz corpus (tests/fuzz/regress). */
        build_site();
        static const char *seeds[][2] = {
            {"blog/assets/img/interlaced.png", "image-interlaced.png"},
            {"blog/assets/img/palette.png", "image-palette.png"},
            {"blog/assets/img/gray.jpeg", "image-progressive.jpg"},
            {"blog/assets/img/anim.gif", "image-anim.gif"},
            {"blog/assets/img/pic.webp", "image-header.webp"},
            {"blog/assets/img/real.webp", "image-lossless.webp"},
            {"blog/assets/img/still.gif", "image-still.gif"},
            {"blog/assets/img/diagram.svg", "image-diagram.svg"},
            {"blog/assets/bad/bomb.png", "image-bomb.png"},
            {"blog/assets/bad/href.svg", "image-href.svg"}};
        int r = 0;
        for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
            size_t n;
            unsigned char *b = slurp(at(seeds[i][0]), &n);
            char p[4400];
            snprintf(p, sizeof p, "%s/%s", argv[2], seeds[i][1]);
            FILE *f = fopen(p, "wb");
            r |= !b || !f || fwrite(b, 1, n, f) != n;
            if (f) fclose(f);
            free(b);
        }
        rm_rf(root);
        return r;
    }
    if (argc == 3 && strcmp(argv[1], "sample") == 0)
        return write_sample(argv[2]) != 0;
    if (argc == 4 && strcmp(argv[1], "figs") == 0) {
        /* N figures of 1200x800 for a month (the bench, EPUBCheck): PNG
         * (every other one with transparency) and JPEG, each distinct. */
        int n = atoi(argv[3]), w = 1200, h = 800, r = 0;
        unsigned char *px = malloc((size_t)w * h * 4);
        for (int i = 0; i < n && px && !r; i++) {
            char p[4400];
            gen_picture(w, h, i % 4 == 0, px);
            for (int k = 0; k < 40; k++) /* a mark that makes it unique */
                memset(px + ((size_t)(20 + k) * w + 20 + (size_t)i * 8) * 4,
                       0x20, 8 * 4);
            snprintf(p, sizeof p, "%s/fig-%d.%s", argv[2], i,
                     i % 2 ? "jpg" : "png");
            r = i % 2 ? gen_jpeg(p, w, h, px, 0, i % 3 == 0)
                      : gen_png(p, w, h, px, i % 4 == 0, 0);
        }
        free(px);
        return r != 0 || !px;
    }
    if (argc == 3 && strcmp(argv[1], "more") == 0) {
        /* A GIF and a WebP with transparency, for the CLI tests. */
        char p[4400];
        snprintf(p, sizeof p, "%s/dots.gif", argv[2]);
        int r = gen_gif(p, 120, 80, 1, 1);
        snprintf(p, sizeof p, "%s/dots.webp", argv[2]);
        r |= gen_webp(p, 120, 80, 1);
        /* A decompression bomb: a header claiming 30000x30000. */
        snprintf(p, sizeof p, "%s/bomb.png", argv[2]);
        return (r | gen_png_header_only(p, 30000, 30000)) != 0;
    }
    build_site();
    ctx = folio_image_ctx_new(NULL);
    if (argc == 4 &&
        (strcmp(argv[1], "fetch") == 0 || strcmp(argv[1], "cached") == 0)) {
        fetching(argv[2], argv[3], strcmp(argv[1], "fetch") == 0);
    } else {
        sniffing();
        good_images();
        references();
        bad_images();
        limits();
        cache_and_dedup();
        threads();
        decoding();
    }
    folio_image_ctx_free(ctx);
    rm_rf(root);
    if (fails) {
        printf("%d of %d checks failed\n", fails, checks);
        return 1;
    }
    printf("all %d image checks passed\n", checks);
    return 0;
}
