#!/bin/bash
# Figures end to end through the CLI: a Jekyll site (_posts/ and assets/)
# to EPUB and PDF with its PNG (opaque and transparent), JPEG, GIF, WebP,
# an HTML <img> and a Liquid path; every bad image a warning at
# post:line:col with the rest converted (exit 0); --resource-path,
# folio.yaml, --cover, the front matter's image:.
# usage: cli.sh IMAGES_TEST EPUB_INSPECT
. "$TESTS/lib.sh"
DRIVER=$1
INSPECT=$2
S="$T/site"
mkdir -p "$S/_posts" "$S/assets/img"
cp "$SRC/samples/site/_posts/2025-11-10-figures.md" "$S/_posts/"
"$DRIVER" sample "$S/assets/img" && "$DRIVER" more "$S/assets/img" || fail "writing the images"

# ---- the sample site
run "$FOLIO" convert -t epub,pdf -o "$T/site.epub" "$S"/_posts/*.md
expect_status 0 "the sample site to EPUB and PDF"
[ -z "$err" ] && ok "no warnings for good figures" || fail "warnings: $err"
"$INSPECT" "$T/site.epub" > "$T/members"
imgs=$(grep -c ' OEBPS/img/' "$T/members")
[ "$imgs" = 3 ] && ok "3 distinct images stored once (5 uses and the cover)" || fail "$imgs image members: $(cat "$T/members")"
grep ' OEBPS/img/' "$T/members" | grep -v ' stored ' && fail "an image recompressed" || ok "images stored, not deflated"
opf=$("$INSPECT" "$T/site.epub" OEBPS/content.opf)
grep -q 'media-type="image/png" properties="cover-image"' <<< "$opf" && ok "the front matter's image: is the cover" || fail "no cover-image: $opf"
grep -q 'media-type="image/jpeg"' <<< "$opf" && ok "JPEG media type" || fail "no image/jpeg"
grep -q '<itemref idref="cover"/>' <<< "$opf" && ok "a cover page first in the spine" || fail "no cover page"
doc=$("$INSPECT" "$T/site.epub" OEBPS/d001.xhtml)
n=$(grep -o '<figure><img src="img/[0-9a-f]*\.\(png\|jpg\)" alt="그림 [1-4]:[^"]*"' <<< "$doc" | wc -l)
[ "$n" = 4 ] && ok "4 figures with their alt text (Markdown, Liquid, HTML <img>)" || fail "$n figures"
n=$(grep -o '<figcaption>그림 [1-4]' <<< "$doc" | wc -l)
[ "$n" = 4 ] && ok "4 captions" || fail "$n captions"
grep -q 'image-alt">\[원격 그림\]</span> <a class="url" href="https://example.com/figures/remote.png">' <<< "$doc" && ok "a remote image: alt text and URL" || fail "remote image"
grep -q 'max-width: 100%' < <("$INSPECT" "$T/site.epub" OEBPS/style.css) && ok "images fit the page" || fail "no max-width"
if command -v pdfimages > /dev/null; then
    pdfimages -list "$T/site.pdf" > "$T/list"
    [ "$(grep -c ' jpeg ' "$T/list")" = 2 ] && ok "JPEG passed through (DCT), drawn twice" || fail "jpeg: $(cat "$T/list")"
    [ "$(grep ' jpeg ' "$T/list" | awk '{print $11}' | sort -u | wc -l)" = 1 ] && ok "the JPEG drawn twice is one object" || fail "JPEG stored twice"
    grep -q ' smask ' "$T/list" && ok "PNG transparency as a soft mask" || fail "no smask"
fi
if command -v pdftotext > /dev/null; then
    txt=$(pdftotext "$T/site.pdf" -)
    grep -q '그림 4: HTML img' <<< "$txt" && ok "captions extractable from the PDF" || fail "no caption text"
    tr -d '\n' <<< "$txt" | grep -q 'https://example.com/figures/remote.png' && ok "PDF: the remote image's URL" || fail "no remote URL"
fi

# ---- GIF and WebP
cat > "$S/_posts/2025-11-11-more.md" << 'MD'
---
title: More
---
![dots gif](/assets/img/dots.gif)

![dots webp](../assets/img/dots.webp)
MD
run "$FOLIO" convert -t epub,pdf -o "$T/more.epub" "$S/_posts/2025-11-11-more.md"
expect_status 0 "GIF and WebP"
opf=$("$INSPECT" "$T/more.epub" OEBPS/content.opf)
grep -q 'image/gif' <<< "$opf" && grep -q 'image/webp' <<< "$opf" && ok "GIF and WebP media types" || fail "gif/webp: $opf"
if command -v pdfimages > /dev/null; then
    n=$(pdfimages -list "$T/more.pdf" | grep -c ' image ')
    [ "$n" = 2 ] && ok "GIF and WebP drawn in the PDF (decoded)" || fail "$n images in more.pdf"
fi

# ---- bad images: each a warning at post:line:col, the rest converted
B="$S/_posts/2025-11-12-bad.md"
head -c 300 "$S/assets/img/chart.jpg" > "$S/assets/img/truncated.jpg"
head -c 2000 /dev/urandom > "$S/assets/img/corrupt.png"
cp "$S/assets/img/overview.png" "$S/assets/img/really-png.jpg"
truncate -s 40M "$S/assets/img/huge.png"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>' > "$S/assets/img/evil.svg"
printf 'not an image at all\n' > "$S/assets/img/text.png"
ln -s /etc/hostname "$S/assets/img/outside.png"
cat > "$B" << 'MD'
---
title: Bad figures
---
Before.

![missing one](/assets/img/missing.png)

![corrupt one](/assets/img/corrupt.png)

![truncated one](/assets/img/truncated.jpg)

![bomb one](/assets/img/bomb.png)

![escaping one](../../../../../../../../etc/passwd)

![symlink out](/assets/img/outside.png)

![wrong type](/assets/img/really-png.jpg)

![huge one](/assets/img/huge.png)

![evil svg](/assets/img/evil.svg)

![not an image](/assets/img/text.png)

After the figures.
MD
run "$FOLIO" convert -t epub,pdf -o "$T/bad.epub" "$B"
expect_status 0 "bad images are warnings"
for spec in "6:1:.*missing.png" "8:1:.*corrupt.png" "10:1:.*truncated.jpg" "12:1:.*bomb.png.*30000" \
    "14:1:.*etc/passwd" "16:1:.*outside.png" "18:1:.*really-png.jpg" "20:1:.*huge.png" \
    "22:1:.*evil.svg" "24:1:.*text.png"; do
    expect_err "2025-11-12-bad.md:$spec" "warning at $spec"
done
n=$(grep -c 'warning' <<< "$err")
[ "$n" = 10 ] && ok "each problem reported once for two outputs" || fail "$n warnings: $err"
doc=$("$INSPECT" "$T/bad.epub" OEBPS/d001.xhtml)
for alt in "missing one" "corrupt one" "truncated one" "bomb one" "escaping one" "symlink out" "huge one" "evil svg" "not an image"; do
    grep -q "\[$alt\]" <<< "$doc" || fail "alt text '$alt' not in its place"
done
ok "the alt text in place of each bad image"
grep -q '<p>After the figures.</p>' <<< "$doc" && ok "the rest converted" || fail "the rest lost"
grep -q 'alt="wrong type"' <<< "$doc" && ok "a PNG named .jpg used as a PNG" || fail "wrong-type image not used"
[ -s "$T/bad.pdf" ] && ok "the PDF written" || fail "no PDF"
"$INSPECT" "$T/bad.epub" | grep -q 'passwd\|hostname' && fail "a file outside the site embedded" || ok "nothing from outside the site"
run "$FOLIO" convert -t epub -d "$T/d" "$B"
expect_status 0 "bad images with -d"

# ---- --resource-path, folio.yaml, --cover
mkdir -p "$T/loose" "$T/res/assets"
cp "$S/assets/img/chart.jpg" "$T/res/assets/c.jpg"
printf -- '---\ntitle: Loose\n---\n![c](/assets/c.jpg)\n' > "$T/loose/post.md"
run "$FOLIO" convert -t epub -o "$T/loose.epub" "$T/loose/post.md"
expect_status 0 "a site-absolute path with no site root"
expect_err "post.md:4:1: warning: .*c.jpg" "not found without --resource-path"
run "$FOLIO" convert -t epub -o "$T/loose.epub" --resource-path "$T/nowhere:$T/res" "$T/loose/post.md"
expect_status 0 "--resource-path"
[ -z "$err" ] && "$INSPECT" "$T/loose.epub" | grep -q 'OEBPS/img/.*\.jpg' && ok "found through --resource-path" || fail "resource path: $err"
(cd "$T/loose" && printf 'resource-path: [%s]\n' "$T/res" > folio.yaml &&
    "$FOLIO" convert -t epub -o "$T/loose2.epub" post.md 2> "$T/yerr")
[ ! -s "$T/yerr" ] && "$INSPECT" "$T/loose2.epub" | grep -q 'OEBPS/img/' && ok "folio.yaml resource-path" || fail "folio.yaml: $(cat "$T/yerr")"
run "$FOLIO" convert -t epub -o "$T/cover.epub" --cover "$S/assets/img/dots.gif" "$T/loose/post.md" --resource-path "$T/res"
expect_status 0 "--cover"
"$INSPECT" "$T/cover.epub" OEBPS/content.opf | grep -q 'image/gif" properties="cover-image"' && ok "--cover is the cover" || fail "--cover"

# ---- libcurl is opened only when an image is fetched: folio does not
# load it (and the thirty libraries it brings) at start
if command -v readelf > /dev/null; then
    readelf -d "$FOLIO" | grep NEEDED | grep -q curl &&
        fail "folio loads libcurl at start" || ok "libcurl not loaded at start"
fi

# ---- --fetch-images, against a server on the loopback (plain http is
# allowed for tests only, by FOLIO_TEST_ALLOW_HTTP)
if command -v python3 > /dev/null; then
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
    "$DRIVER" png "$T/ok.png"
    python3 "$TESTS/images/server.py" "$T/ok.png" > "$T/port" 2> "$T/server.err" &
    server=$!
    for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
    port=$(head -1 "$T/port")
    printf -- '---\ntitle: Remote\n---\n![far](http://127.0.0.1:%s/ok.png)\n' "$port" > "$T/loose/remote.md"
    run "$FOLIO" convert -t epub -o "$T/r0.epub" "$T/loose/remote.md"
    expect_status 0 "a remote image, not fetched"
    "$INSPECT" "$T/r0.epub" | grep -q 'OEBPS/img/' && fail "fetched without --fetch-images" || ok "not fetched by default"
    run "$FOLIO" convert -t epub -o "$T/r1.epub" --fetch-images --image-cache "$T/icache" "$T/loose/remote.md"
    expect_status 0 "plain http refused"
    expect_err "remote.md:4:1: warning: .*http" "plain http is a warning"
    FOLIO_TEST_ALLOW_HTTP=1 run "$FOLIO" convert -t epub,pdf -o "$T/r2.epub" --fetch-images --image-cache "$T/icache" "$T/loose/remote.md"
    expect_status 0 "--fetch-images"
    "$INSPECT" "$T/r2.epub" | grep -q 'OEBPS/img/.*\.png' && ok "the fetched image embedded" || fail "not embedded: $err"
    [ "$(find "$T/icache" -type f | wc -l)" = 1 ] && ok "fetched once into --image-cache for two outputs" || fail "cache: $(find "$T/icache" -type f)"
    # the test switch reaches only a loopback address (no request is made:
    # the name is refused before curl starts)
    printf -- '---\ntitle: Far\n---\n![far](http://example.invalid/ok.png)\n' > "$T/loose/far.md"
    FOLIO_TEST_ALLOW_HTTP=1 run "$FOLIO" convert -t epub -o "$T/r4.epub" --fetch-images --image-cache "$T/icache" "$T/loose/far.md"
    expect_status 0 "plain http elsewhere, switch set"
    expect_err "far.md:4:1: warning: .*plain http" "the test switch allows loopback only"
    kill "$server" 2> /dev/null
    wait "$server" 2> /dev/null
    FOLIO_TEST_ALLOW_HTTP=1 run "$FOLIO" convert -t epub -o "$T/r3.epub" --fetch-images --image-cache "$T/icache" "$T/loose/remote.md"
    "$INSPECT" "$T/r3.epub" | grep -q 'OEBPS/img/.*\.png' && ok "served from the cache, server gone" || fail "cache not used: $err"
fi
finish
