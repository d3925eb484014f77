/* fonts.c - which TrueType face draws which character.
 *
 * Once per process (init): fontconfig names the faces for body text, bold,
 * code and Han; the first character none of them covers brings in every
 * other TrueType face as a fallback.  Each face comes with the characters
 * it covers.  A face's file is mapped once, on first use,
 * and every document reads its tables from that mapping; the widths
 * measured are kept for the whole process.  libharu parses a face once;
 * later documents get a copy of its definition (an HPDF_FontDef belongs
 * to its HPDF_Doc).
 *
 * libharu 2.3.0 reads TrueType outlines only.  Its own embedding loses
 * composite glyphs, which is how WenQuanYi and AR PL build Hangul (see
 * core/doc/libraries.md); folio's subsets keep them whole (subset.c), but
 * Hangul still comes from a Korean face first: WenQuanYi and AR PL never draw
 * it, nor Droid Sans Fallback Han, so libharu's embedding
 * (FOLIO_PDF_LIBHARU_EMBED) stays correct too.
 */
#include "pdf.h"
#include "haru.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Preference lists: Nanum first for Hangul and Latin (drawn whole by
 * libharu 2.3.0), WenQuanYi Zen Hei (face 0) or AR PL UMing for Han. */
static const char *const BODY[] = {"NanumGothic", "NanumBarunGothic", "UnDotum",
                                   NULL};
static const char *const MONO[] = {"DejaVu Sans Mono", "NanumGothicCoding",
                                   "Liberation Mono", NULL};
/* Latin runs: DejaVu Sans, drawn at 92 % so that its capitals and
 * x-height (0.73 and 0.55 em) sit between NanumGothic's (0.70, 0.50). */
static const char LATIN[] = "DejaVu Sans";
#define LATIN_SCALE 0.92f
static const char *const HAN[] = {"WenQuanYi Zen Hei", "AR PL UMing CN",
                                  "AR PL UMing TW", NULL};
/* Math (math.c): DejaVu Math TeX Gyre has TrueType outlines and every
 * operator, arrow and Greek letter TeX names; its italic letters lie
 * outside the BMP, which libharu's encoder cannot reach, so variables are
 * set in DejaVu Serif Italic, a real italic of a matching design. */
static const char *const MATH[] = {"DejaVu Math TeX Gyre", "DejaVu Serif",
                                   NULL};
static const char *const MATH_IT[] = {"DejaVu Serif", "DejaVu Sans", NULL};
static const char *const NO_HANGUL[] = {"WenQuanYi", "AR PL",
                                        "Droid Sans Fallback", NULL};
static const char *const NO_HAN[] = {"Droid Sans Fallback", NULL};
/* Faces whose glyphs are assembled by their hinting instructions (the
 * "tricky" fonts FreeType lists: DynaLab and MingLiU families) keep them
 * when embedded; every other face is embedded unhinted (subset.c). */
static const char *const TRICKY[] = {"DF",    "DLC",  "HuaTian", "Ming",
                                     "PMing", "cpop", NULL};

static int prefixed(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strncasecmp(s, *list, strlen(*list)) == 0) return 1;
    return 0;
}

static int is_truetype(FcPattern *p)
{
    FcChar8 *fmt;
    return FcPatternGetString(p, FC_FONTFORMAT, 0, &fmt) == FcResultMatch &&
           strcmp((const char *)fmt, "TrueType") == 0;
}

/* Add the face a pattern describes, unless it is there already or is not
 * TrueType.  Returns its index or -1. */
static int add_face(pdf_fonts *f, FcPattern *p)
{
    FcChar8 *file, *family;
    FcCharSet *cs;
    int index = 0, weight = FC_WEIGHT_REGULAR;
    if (f->nfaces >= MAX_FACES || !is_truetype(p) ||
        FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch)
        return -1;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    if (FcPatternGetString(p, FC_FAMILY, 0, &family) != FcResultMatch)
        family = (FcChar8 *)"";
    for (int i = 0; i < f->nfaces; i++)
        if (f->faces[i].index == index &&
            strcmp(f->faces[i].path, (const char *)file) == 0)
            return i;
    pdf_face *fc = &f->faces[f->nfaces];
    memset(fc, 0, sizeof *fc);
    fc->path = strdup((const char *)file);
    fc->family = strdup((const char *)family);
    fc->index = index;
    fc->charset = FcCharSetCopy(cs);
    fc->bold = weight >= FC_WEIGHT_DEMIBOLD;
    fc->hangul_ok = !prefixed(fc->family, NO_HANGUL);
    fc->han_ok = !prefixed(fc->family, NO_HAN);
    fc->hinted = prefixed(fc->family, TRICKY);
    int slant = FC_SLANT_ROMAN;
    FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    fc->oblique = slant != FC_SLANT_ROMAN;
    fc->scale = 1;
    int n = f->nfaces;
    atomic_store_explicit(&f->nfaces, n + 1, memory_order_release);
    return n;
}

/* True when one of p's family names is family. */
static int has_family(FcPattern *p, const char *family)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch;
         i++)
        if (strcasecmp((const char *)s, family) == 0) return 1;
    return 0;
}

/* The first family of a list that fontconfig has, in a weight. */
static int find_named(pdf_fonts *f, FcConfig *cfg, const char *const *list,
                      int weight)
{
    for (; *list; list++) {
        FcPattern *pat = FcPatternCreate();
        FcResult r;
        FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)*list);
        FcPatternAddInteger(pat, FC_WEIGHT, weight);
        FcConfigSubstitute(cfg, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcPattern *m = FcFontMatch(cfg, pat, &r);
        int i = -1;
        if (m && has_family(m, *list)) i = add_face(f, m);
        if (m) FcPatternDestroy(m);
        FcPatternDestroy(pat);
        if (i >= 0) return i;
    }
    return -1;
}

/* The Latin face paired with the Korean body face in a weight and slant,
 * or -1.  Korean faces carry the legacy code pages' ASCII (NanumGothic's
 * U+005C is a won sign) and Latin letters designed as an afterthought. */
static int find_latin(pdf_fonts *f, FcConfig *cfg, int weight, int slant)
{
    FcPattern *pat = FcPatternCreate();
    FcResult r;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)LATIN);
    FcPatternAddInteger(pat, FC_WEIGHT, weight);
    FcPatternAddInteger(pat, FC_SLANT, slant);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcPattern *m = FcFontMatch(cfg, pat, &r);
    int i = -1, got = -1;
    if (m && has_family(m, LATIN) &&
        FcPatternGetInteger(m, FC_SLANT, 0, &got) == FcResultMatch &&
        (got != FC_SLANT_ROMAN) == (slant != FC_SLANT_ROMAN))
        i = add_face(f, m);
    if (m) FcPatternDestroy(m);
    FcPatternDestroy(pat);
    if (i >= 0) f->faces[i].scale = LATIN_SCALE;
    return i;
}

static void face_map(pdf_fonts *f, pdf_face *fc);

/* The first family of a list that has an italic (or oblique) face. */
static int find_italic(pdf_fonts *f, FcConfig *cfg, const char *const *list)
{
    for (; cfg && *list; list++) {
        FcPattern *pat = FcPatternCreate();
        FcResult r;
        FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)*list);
        FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ITALIC);
        FcPatternAddInteger(pat, FC_WEIGHT, FC_WEIGHT_REGULAR);
        FcConfigSubstitute(cfg, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcPattern *m = FcFontMatch(cfg, pat, &r);
        int slant = 0, i = -1;
        if (m && has_family(m, *list) &&
            FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch &&
            slant != FC_SLANT_ROMAN)
            i = add_face(f, m);
        if (m) FcPatternDestroy(m);
        FcPatternDestroy(pat);
        if (i >= 0) return i;
    }
    return -1;
}

/* -O pdf.font=PATH: the body face, checked to be TrueType. */
static int add_file(pdf_fonts *f, const folio_host *host, folio_job *job,
                    const char *path)
{
    int count = 0;
    FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
    if (!p) {
        host->report(job, FOLIO_ERROR, NULL, 0, 0,
                     "pdf.font: %s is not a font file fontconfig can read",
                     path);
        return -1;
    }
    int i = -1;
    if (!is_truetype(p))
        host->report(job, FOLIO_ERROR, NULL, 0, 0,
                     "pdf.font: %s has no TrueType outlines (libharu reads "
                     "only those, not CFF/OpenType)",
                     path);
    else
        i = add_face(f, p);
    FcPatternDestroy(p);
    if (i >= 0) { /* checked now: one clear error before any document */
        face_map(f, &f->faces[i]);
        if (f->faces[i].mapped != 1) {
            host->report(job, FOLIO_ERROR, NULL, 0, 0,
                         "pdf.font: %s is not a usable TrueType font: %s", path,
                         f->faces[i].bad ? f->faces[i].bad : "cannot be read");
            i = -1;
        }
    }
    return i;
}

/* The font directories and caches of fontconfig's own fonts.conf without
 * the rule files it includes: parsing those takes about 3.5 ms, a fifth
 * of a handout, and finding faces by family name needs none of them. */
static const char MINIMAL_CONFIG[] =
    "<fontconfig>"
    "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
    "<dir prefix=\"xdg\">fonts</dir><dir>~/.fonts</dir>"
    "<cachedir>/var/cache/fontconfig</cachedir>"
    "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
    "<cachedir>~/.fontconfig</cachedir>"
    "</fontconfig>";

static FcConfig *minimal_config(void)
{
    FcConfig *cfg = FcConfigCreate();
    if (cfg && (!FcConfigParseAndLoadFromMemory(
                    cfg, (const FcChar8 *)MINIMAL_CONFIG, FcFalse) ||
                !FcConfigBuildFonts(cfg))) {
        FcConfigDestroy(cfg);
        cfg = NULL;
    }
    return cfg;
}

/* The first family of a list found with the minimal configuration, else
 * with the full one (loaded on first need into *full). */
static int find_face(pdf_fonts *f, FcConfig *cfg, FcConfig **full,
                     const char *const *list, int weight)
{
    int i = cfg ? find_named(f, cfg, list, weight) : -1;
    if (i < 0 && !*full) *full = FcInitLoadConfigAndFonts();
    if (i < 0 && *full) i = find_named(f, *full, list, weight);
    return i;
}

/* Every other TrueType face, in fontconfig's order for sans-serif, as
 * fallbacks: loaded the first time a character is in no named face.
 * Readers see a face only once it is whole (nfaces is released last). */
static void load_fallbacks(pdf_fonts *f, FcConfig *full)
{
    pthread_mutex_lock(&f->lock);
    if (atomic_load(&f->fallbacks)) {
        pthread_mutex_unlock(&f->lock);
        return;
    }
    FcConfig *cfg = full ? full : FcInitLoadConfigAndFonts();
    FcPattern *pat = FcPatternCreate();
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif");
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult r;
    FcFontSet *set = cfg ? FcFontSort(cfg, pat, FcFalse, NULL, &r) : NULL;
    for (int i = 0; set && i < set->nfont; i++)
        add_face(f, set->fonts[i]);
    if (set) FcFontSetDestroy(set);
    FcPatternDestroy(pat);
    if (cfg && cfg != full) FcConfigDestroy(cfg);
    atomic_store(&f->fallbacks, 1);
    pthread_mutex_unlock(&f->lock);
}

int pdf_fonts_init(const folio_host *host, folio_job *job, pdf_fonts *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    f->faces = calloc(MAX_FACES, sizeof *f->faces);
    FcConfig *cfg = minimal_config(), *full = NULL;
    if (!cfg) full = FcInitLoadConfigAndFonts();
    if (!f->faces || (!cfg && !full)) {
        host->report(job, FOLIO_ERROR, NULL, 0, 0,
                     "cannot load the fontconfig configuration");
        if (full) FcConfigDestroy(full);
        return -1;
    }
    int rc = 0;
    const char *opt = host->option(job, "font");
    int body = -1, bold = -1;
    if (opt && *opt) {
        if ((body = add_file(f, host, job, opt)) < 0) rc = -1;
        bold = body;
    } else {
        body = find_face(f, cfg, &full, BODY, FC_WEIGHT_REGULAR);
        bold = find_face(f, cfg, &full, BODY, FC_WEIGHT_BOLD);
    }
    int mono = find_face(f, cfg, &full, MONO, FC_WEIGHT_REGULAR);
    for (const char *const *h = HAN; *h && f->nhan < 4; h++) {
        const char *one[] = {*h, NULL};
        int i = find_named(f, cfg ? cfg : full, one, FC_WEIGHT_REGULAR);
        if (i >= 0) f->han[f->nhan++] = i;
    }
    if (!f->nhan) {
        int i = find_face(f, NULL, &full, HAN, FC_WEIGHT_REGULAR);
        if (i >= 0) f->han[f->nhan++] = i;
    }
    int math = find_face(f, cfg, &full, MATH, FC_WEIGHT_REGULAR);
    int math_it = find_italic(f, cfg ? cfg : full, MATH_IT);
    for (int b = 0; b < 2; b++)
        for (int it = 0; it < 2; it++)
            f->latin[b][it] =
                opt && *opt
                    ? -1
                    : find_latin(f, cfg ? cfg : full,
                                 b ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR,
                                 it ? FC_SLANT_OBLIQUE : FC_SLANT_ROMAN);
    f->nnamed = f->nfaces;
    if (body < 0 && rc == 0) load_fallbacks(f, full);
    if (cfg) FcConfigDestroy(cfg);
    if (full) FcConfigDestroy(full);

    if (rc == 0 && body < 0) {
        /* No Nanum: fontconfig's first choice that has Latin letters. */
        for (int k = 0; k < f->nfaces && body < 0; k++) {
            int i = (k + f->nnamed) % f->nfaces;
            if (FcCharSetHasChar(f->faces[i].charset, 'a')) body = i;
        }
        if (body < 0) {
            host->report(job, FOLIO_ERROR, NULL, 0, 0,
                         "no TrueType font found through fontconfig "
                         "(install fonts-nanum)");
            rc = -1;
        } else {
            host->report(job, FOLIO_WARNING, NULL, 0, 0,
                         "NanumGothic not found (install fonts-nanum): "
                         "using %s",
                         f->faces[body].family);
        }
    }
    f->role[ROLE_REGULAR] = body;
    f->role[ROLE_BOLD] = bold >= 0 ? bold : body;
    f->role[ROLE_MONO] = mono >= 0 ? mono : body;
    f->role[ROLE_MATH] = math >= 0 ? math : body;
    f->role[ROLE_MATH_IT] = math_it >= 0 ? math_it : f->role[ROLE_MATH];
    return rc;
}

void pdf_fonts_free(pdf_fonts *f)
{
    for (int i = 0; i < f->nfaces; i++) {
        pdf_face *fc = &f->faces[i];
        if (fc->data) munmap((void *)fc->data, fc->size);
        free((void *)fc->widths);
        free(fc->gids);
        haru_facedef_free(fc->parsed);
        FcCharSetDestroy(fc->charset);
        free(fc->path);
        free(fc->family);
    }
    free(f->faces);
    /* fontconfig's own caches (languages, program name, cache files) go
     * with the plugin when it is unloaded: free them first.  No other part
     * of folio uses fontconfig. */
    FcFini();
    pthread_mutex_destroy(&f->lock);
}

/* ------------------------------------------------------ choosing faces */

/* Controls and invisible format characters: never drawn, never warned
 * about (a variation selector after an emoji, a zero-width joiner). */
static int ignorable(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xAD ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFEFF || (c >= 0xE0000 && c <= 0xE01EF);
}

/* script: the host's script class of cp. */
static int usable(const pdf_face *fc, uint32_t cp, int script)
{
    if (script == FOLIO_SCRIPT_HANGUL && !fc->hangul_ok) return 0;
    if (script == FOLIO_SCRIPT_HAN && !fc->han_ok) return 0;
    return FcCharSetHasChar(fc->charset, cp);
}

/* Set in the Latin face next to Korean: Latin, Greek and Cyrillic
 * letters, ASCII and Latin-1 punctuation and digits, general punctuation,
 * currency, letterlike symbols, arrows and mathematical operators. */
static int is_latin(uint32_t c)
{
    return (c >= 0x20 && c < 0x250) || (c >= 0x370 && c < 0x530) ||
           (c >= 0x2010 && c < 0x2060) || (c >= 0x20A0 && c < 0x20D0) ||
           (c >= 0x2100 && c < 0x2150) || (c >= 0x2190 && c < 0x2300);
}

int pdf_pick(const pdf_ctx *c, int role, int italic, uint32_t cp)
{
    pdf_fonts *f = c->fonts;
    if (ignorable(cp)) return FACE_SKIP;
    int order[8], n = 0;
    int cjk = strncmp(c->lang, "zh", 2) == 0 || strncmp(c->lang, "ja", 2) == 0;
    /* Chinese and Japanese keep their own quotes, dashes and ellipses. */
    /* Math keeps its own faces (math.c): no Latin pairing there. */
    if ((role == ROLE_REGULAR || role == ROLE_BOLD) && is_latin(cp) &&
        !(cjk && cp >= 0x2010 && cp < 0x2060)) {
        int l = f->latin[role == ROLE_BOLD][italic != 0];
        if (l < 0 && italic) l = f->latin[role == ROLE_BOLD][0];
        if (l >= 0) order[n++] = l;
    }
    int cjk_lang =
        strncmp(c->lang, "zh", 2) == 0 || strncmp(c->lang, "ja", 2) == 0;
    /* CJK punctuation, full-width forms and kana: Chinese and Japanese set
     * them with the Han face, Korean with the body face. */
    int script = c->host->script(cp);
    int han_first =
        script == FOLIO_SCRIPT_HAN ||
        ((script == FOLIO_SCRIPT_CJK_MARK || script == FOLIO_SCRIPT_KANA) &&
         cjk_lang);
    if (han_first)
        for (int i = 0; i < f->nhan; i++)
            order[n++] = f->han[i];
    order[n++] = f->role[role];
    if (role != ROLE_REGULAR) order[n++] = f->role[ROLE_REGULAR];
    for (int i = 0; i < n; i++)
        if (order[i] >= 0 && usable(&f->faces[order[i]], cp, script))
            return order[i];
    /* Symbols: the Latin face before any fallback. */
    int l = f->latin[role == ROLE_BOLD][0];
    if (l >= 0 && usable(&f->faces[l], cp, script)) return l;
    /* Then fontconfig's fallbacks, and last the other named faces. */
    if (!atomic_load_explicit(&f->fallbacks, memory_order_acquire))
        load_fallbacks(f, NULL);
    int nfaces = atomic_load_explicit(&f->nfaces, memory_order_acquire);
    for (int i = f->nnamed; i < nfaces; i++)
        if (usable(&f->faces[i], cp, script)) return i;
    for (int i = 0; i < f->nnamed; i++)
        if (usable(&f->faces[i], cp, script)) return i;
    return FACE_NONE;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* The glyph of a code point beyond the BMP, from the face's (3,10)
 * format 12 cmap; 0 for none.  Every offset is checked against the file. */
static unsigned glyph32(const pdf_face *fc, uint32_t cp)
{
    const unsigned char *d = fc->data;
    size_t n = fc->size, base = 0;
    if (fc->mapped != 1 || n < 12) return 0;
    if (memcmp(d, "ttcf", 4) == 0) {
        if (n < 16 || be32(d + 8) <= (uint32_t)fc->index ||
            16 + 4 * (size_t)fc->index + 4 > n)
            return 0;
        base = be32(d + 12 + 4 * (size_t)fc->index);
        if (base + 12 > n) return 0;
    }
    unsigned ntab = (unsigned)(d[base + 4] << 8 | d[base + 5]);
    size_t cmap = 0;
    for (unsigned i = 0; i < ntab; i++) {
        size_t r = base + 12 + 16 * (size_t)i;
        if (r + 16 > n) return 0;
        if (memcmp(d + r, "cmap", 4) == 0) cmap = be32(d + r + 8);
    }
    if (!cmap || cmap + 4 > n) return 0;
    unsigned nsub = (unsigned)(d[cmap + 2] << 8 | d[cmap + 3]);
    for (unsigned i = 0; i < nsub; i++) {
        size_t r = cmap + 4 + 8 * (size_t)i;
        if (r + 8 > n) return 0;
        unsigned pid = (unsigned)(d[r] << 8 | d[r + 1]);
        unsigned eid = (unsigned)(d[r + 2] << 8 | d[r + 3]);
        size_t t = cmap + be32(d + r + 4);
        if (pid != 3 || eid != 10 || t + 16 > n || d[t] || d[t + 1] != 12)
            continue;
        uint32_t ngroups = be32(d + t + 12);
        if (ngroups > (n - t - 16) / 12) return 0;
        size_t lo = 0, hi = ngroups; /* groups are sorted */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const unsigned char *g = d + t + 16 + 12 * mid;
            if (cp < be32(g))
                hi = mid;
            else if (cp > be32(g + 4))
                lo = mid + 1;
            else
                return (unsigned)(be32(g + 8) + (cp - be32(g)));
        }
    }
    return 0;
}

long pdf_cid(pdf_ctx *c, uint32_t cp)
{
    if (cp <= 0xFFFF) return (long)cp;
    for (int i = 0; i < c->nalias; i++)
        if (c->alias[i] == cp) return (long)(ALIAS_CID + (unsigned)i);
    if (c->nalias == (int)(sizeof c->alias / sizeof *c->alias)) return -1;
    c->alias[c->nalias] = cp;
    return (long)(ALIAS_CID + (unsigned)c->nalias++);
}

uint32_t pdf_cid_text(const pdf_ctx *c, unsigned cid)
{
    if (cid >= ALIAS_CID && cid - ALIAS_CID < (unsigned)c->nalias)
        return c->alias[cid - ALIAS_CID];
    return cid;
}

unsigned pdf_cid_glyph(pdf_ctx *c, int face, unsigned cid)
{
    uint32_t cp = pdf_cid_text(c, cid);
    pdf_face *fc = &c->fonts->faces[face];
    if (cp > 0xFFFF) return glyph32(fc, cp);
    if (fc->gids) return fc->gids[cp];
    return HPDF_TTFontDef_GetGlyphid(haru_font_def(c->dfonts[face]),
                                     (HPDF_UINT16)cp);
}

void pdf_warn_char(pdf_ctx *c, uint32_t cp, int line)
{
    for (int i = 0; i < c->nwarned; i++)
        if (c->warned[i] == cp) return;
    if (c->nwarned == (int)(sizeof c->warned / sizeof *c->warned)) {
        c->unwarned++;
        return;
    }
    c->warned[c->nwarned++] = cp;
    c->host->report(c->job, FOLIO_WARNING, c->d ? c->d->path : NULL, line, 0,
                    "U+%04X is in no usable font: left out of the PDF",
                    (unsigned)cp);
}

/* -------------------------------------------- faces in a document */

/* Map a face's file and make its width cache, once per process. */
static void face_map(pdf_fonts *f, pdf_face *fc)
{
    pthread_mutex_lock(&f->lock);
    if (!fc->mapped) {
        fc->mapped = -1;
        atomic_store_explicit(&fc->widths, calloc(0x10000, sizeof(uint16_t)),
                              memory_order_release);
        int fd = open(fc->path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 12 &&
            (unsigned long long)st.st_size < 0x7fffffffull) {
            void *p =
                mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                fc->data = p;
                fc->size = (size_t)st.st_size;
                /* libharu trusts the tables: check them first. */
                fc->bad = pdf_font_check(p, fc->size, (unsigned)fc->index);
                fc->mapped = fc->bad ? -2 : 1;
            }
        }
        if (fd >= 0) close(fd);
    }
    pthread_mutex_unlock(&f->lock);
}

/* A libharu stream over a face's mapping (the font definition owns it). */
static HPDF_Stream mapped_stream(pdf_ctx *c, const pdf_face *fc)
{
    return haru_mem_reader(haru_mmgr(c->doc), fc->data, fc->size);
}

/* Parse (or copy) a mapped face into this document, as
 * HPDF_LoadTTFontFromFile2 does from a file, and give it the flat cmap.
 * Returns the definition. */
static HPDF_FontDef load_mapped(pdf_ctx *c, int face, pdf_face *fc)
{
    pdf_fonts *f = c->fonts;
    HPDF_Stream s = mapped_stream(c, fc);
    if (!s) return NULL;
    pthread_mutex_lock(&f->lock);
    const struct pdf_facedef *kept = fc->parsed;
    pthread_mutex_unlock(&f->lock);
    HPDF_FontDef def;
    if (kept) {
        def = haru_facedef_copy(haru_mmgr(c->doc), kept, s);
    } else {
        def = memcmp(fc->data, "ttcf", 4) == 0
                  ? HPDF_TTFontDef_Load2(haru_mmgr(c->doc), s,
                                         (HPDF_UINT)fc->index, 1)
                  : HPDF_TTFontDef_Load(haru_mmgr(c->doc), s, 1);
        pthread_mutex_lock(&f->lock);
        if (def && !fc->gids) fc->gids = haru_gid_table(def);
        pthread_mutex_unlock(&f->lock);
    }
    if (!def) return NULL;
    if (HPDF_Doc_RegisterFontDef(c->doc, def) != HPDF_OK)
        return NULL; /* libharu freed it */
    if (!kept && fc->gids) {
        pthread_mutex_lock(&f->lock);
        if (!fc->parsed && (fc->parsed = haru_facedef_share(def)))
            c->donor[face] = def;
        pthread_mutex_unlock(&f->lock);
    }
    /* gids exist only for a face with a format 4 cmap, and a kept parse
     * only for a face with gids. */
    if (fc->gids) {
        if (haru_flat_cmap(def, fc->gids) != 0) return NULL;
        c->lent[face] = def;
    }
    /* A subset tag of six capitals, one per face. */
    char tag[7] = "FOLIOA";
    tag[4] = (char)('A' + face / 26 % 26);
    tag[5] = (char)('A' + face % 26);
    HPDF_TTFontDef_SetTagName(def, tag);
    return def;
}

HPDF_Font pdf_face_font(pdf_ctx *c, int face)
{
    if (face < 0 || c->facefailed[face]) return NULL;
    if (c->dfonts[face]) return c->dfonts[face];
    pdf_face *fc = &c->fonts->faces[face];
    face_map(c->fonts, fc);
    const char *name = NULL;
    HPDF_Font font = NULL;
    if (fc->mapped != 1) {
        /* libharu never reads a file that was not checked. */
        c->failed = 1;
        c->facefailed[face] = 1;
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "font %s (face %d) refused: %s", fc->path, fc->index,
                        fc->bad ? fc->bad : "cannot be read");
        return NULL;
    }
    HPDF_FontDef def = load_mapped(c, face, fc);
    name = def ? haru_fontdef_name(def) : NULL;
    /* Ours unless the tests compare with libharu's own embedding. */
    if (def && !c->libharu_embed) font = pdf_type0_font(c, def);
    if (name && !font && c->libharu_embed)
        font = HPDF_GetFont(c->doc, name, "UTF-8");
    if (!font) {
        c->failed = 1;
        c->facefailed[face] = 1; /* one message, not one per character */
        c->host->report(c->job, FOLIO_ERROR, NULL, 0, 0,
                        "libharu cannot load the font %s (face %d)", fc->path,
                        fc->index);
        return NULL;
    }
    return c->dfonts[face] = font;
}

float pdf_advance(pdf_ctx *c, int face, uint32_t cp)
{
    pdf_face *fc = &c->fonts->faces[face];
    _Atomic uint16_t *widths =
        atomic_load_explicit(&fc->widths, memory_order_acquire);
    if (cp > 0xFFFF) { /* by its glyph: libharu measures the BMP only */
        HPDF_Font font = pdf_face_font(c, face);
        unsigned gid = font ? glyph32(fc, cp) : 0;
        if (!gid) return 500;
        return (float)HPDF_TTFontDef_GetGidWidth(haru_font_def(font),
                                                 (HPDF_UINT16)gid);
    }
    if (widths && cp <= 0xFFFF) {
        unsigned w = atomic_load_explicit(&widths[cp], memory_order_relaxed);
        if (w) return (float)(w - 1);
    }
    HPDF_Font font = pdf_face_font(c, face);
    if (!font) return 500;
    HPDF_INT w = HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)cp);
    if (w < 0 || w > 4000) w = 500;
    if ((widths = atomic_load_explicit(&fc->widths, memory_order_acquire)))
        atomic_store_explicit(&widths[cp], (uint16_t)(w + 1),
                              memory_order_relaxed);
    return (float)w;
}
