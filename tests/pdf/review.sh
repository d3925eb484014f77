#!/bin/bash
# Defects a reviewer found in the handout: subheadings larger than their
# section; styled math letters beyond the BMP printed plain; a separator's
# dot or small kana starting a line; an address broken in its host name;
# the author never printed.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

# heads PDF WORD...: for the first line that starts with each WORD, the
# word's height and x, the x of the next line and the gap above it.
heads() {
    pdftotext -q -bbox-layout "$1" "$T/heads.html"
    shift
    python3 - "$T/heads.html" "$@" << 'PY'
import re, sys
d = open(sys.argv[1], encoding='utf-8').read()
lines = [re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', l)
         for l in re.findall(r'<line [^>]*>(.*?)</line>', d, re.S)]
for t in sys.argv[2:]:
    i = next(i for i, l in enumerate(lines) if l and l[0][3] == t)
    w, n = lines[i][0], lines[i + 1][0]
    print(round(float(w[2]) - float(w[1]), 2), round(float(w[0])), round(float(n[0])),
          round(float(n[1]) - float(w[2]), 1))
PY
}

# shifted FILE LANG FILLER TEXT: a post of 40 paragraphs, TEXT after 1 to
# 40 FILLERs, so that each of its characters meets a line end.
shifted() {
    {
        printf -- '---\ntitle: "shifted"\ndate: 2025-11-03\nlang: %s\n---\n\n' "$2"
        for k in $(seq 1 40); do
            printf '%s%s\n\n' "$(printf "%${k}s" | sed "s/ /$3/g")" "$4"
        done
    } > "$1"
}

# layout_lines MD: its PDF's lines (pdftotext -layout) in $lines.
layout_lines() {
    run "$FOLIO" convert -t pdf -o "$T/lines.pdf" "$1"
    expect_status 0 "$(basename "$1") to PDF"
    lines=$(pdftotext -q -layout "$T/lines.pdf" -)
}

# 1. A paper review: "3.1 블록 요약" under "3. 방법" is no larger than its
# section's head, sits in the text column and its text follows at once.
run "$FOLIO" convert -t pdf -o "$T/rev.pdf" "$SRC/samples/2025-11-09-paper-review-ko.md"
expect_status 0 "the Korean paper review"
heads "$T/rev.pdf" 3. 3.1 3.2 > "$T/rev.heads"
{ read -r hsec _; read -r hsub x text gap; read -r hsub2 _; } < "$T/rev.heads"
dx=$((x - text))
awk -v a="$hsec" -v b="$hsub" -v c="$hsub2" 'BEGIN { exit !(b <= a + 0.01 && c <= a + 0.01) }' &&
    ok "3.1 and 3.2 (${hsub}, ${hsub2} pt) no larger than 3. (${hsec} pt)" ||
    fail "subheadings outrank their section: 3. ${hsec} pt, 3.1 ${hsub}, 3.2 ${hsub2}"
[ "$dx" = 0 ] &&
    ok "3.1 in the text column" || fail "3.1 is ${dx} pt from the text column"
awk -v g="$gap" 'BEGIN { exit !(g >= 0 && g < 6) }' &&
    ok "3.1's text follows it (${gap} pt)" || fail "gap of ${gap} pt under 3.1"

# An article: its top headings are display heads in the side column; each
# level below is no larger than the one above, and set in the text column.
cat > "$T/art.md" << 'MD'
---
title: "Notes on attention"
date: 2025-11-03
lang: en
---

## Background

Attention weighs every token against every other one.

### Costs

Quadratic in the length of the input.

#### Memory

The score matrix dominates.

## Variants

Sparse and linear forms trade accuracy for reach.
MD
run "$FOLIO" convert -t pdf -o "$T/art.pdf" "$T/art.md"
expect_status 0 "an article with three heading levels"
heads "$T/art.pdf" Background Costs Memory Attention > "$T/art.heads"
{ read -r h2 x2 _; read -r h3 x3 _; read -r h4 x4 _; read -r _ body _; } < "$T/art.heads"
x2=$((x2 - body)) x3=$((x3 - body)) x4=$((x4 - body))
awk -v a="$h2" -v b="$h3" -v c="$h4" 'BEGIN { exit !(a > b && b > c) }' &&
    ok "article heads shrink a level down (${h2} > ${h3} > ${h4} pt)" ||
    fail "article heads: ${h2}, ${h3}, ${h4} pt"
[ "$x2" -lt -30 ] && [ "$x3" = 0 ] && [ "$x4" = 0 ] &&
    ok "## in the side column, ### and #### in the text column" ||
    fail "article heads at x ${x2}, ${x3}, ${x4} from the text"

# 2. Letter styles beyond the BMP drawn from the math face.
cat > "$T/math.md" << 'MD'
---
title: "Styled letters"
date: 2025-11-03
lang: en
---

Noise $w \sim \mathcal{N}(0, Q)$ over $\mathbb{R}^n$, an algebra $\mathfrak{g}$ and a vector $\mathbf{x}$.

$$\mathcal{N}(\mathbf{x}) = \mathfrak{g}$$
MD
run "$FOLIO" convert -t pdf -o "$T/math.pdf" "$T/math.md"
expect_status 0 "styled math letters"
pdf_valid "$T/math.pdf"
txt=$(pdftotext -q "$T/math.pdf" -)
for s in 𝒩 ℝ 𝔤 𝐱; do
    grep -qF "$s" <<< "$txt" && ok "$s drawn and extracted" || fail "$s missing: ${txt:0:200}"
done
grep -q "in no usable font" <<< "$err" && fail "a styled letter left out: $err" || ok "no letter left out"

# 3. A month: no line starts with the dot of a " · " separator.
bash "$SRC/samples/gen-month.sh" "$T/month" > /dev/null
run "$FOLIO" convert -t pdf -o "$T/month.pdf" "$T/month"
expect_status 0 "a generated month"
n=$(pdftotext -q -layout "$T/month.pdf" - | grep -c '^ *·')
[ "$n" = 0 ] && ok "no line of the month starts with ·" || fail "$n lines start with ·"

# 4. Addresses break after / . - ? & but never after a dot of the host.
shifted "$T/url.md" ko xxx ' 설정은 https://github.com/example-geo-lab/geotok-satellite-tokenizer/blob/main/docs/configs/pretraining.yaml 에 있다.'
for f in "$T/url.md" "$SRC/samples/2025-11-06-no-front-matter.md"; do
    layout_lines "$f"
    bad=$(grep -cE '(://|www\.)[^/ ]*\.$' <<< "$lines")
    cut=$(grep -cE '://$|/$|-$' <<< "$lines")
    [ "$bad" = 0 ] && [ "$cut" -ge 1 ] && ok "$(basename "$f"): no break in a host name ($cut after a mark)" ||
        fail "$(basename "$f"): $bad lines end inside a host, $cut after a mark"
done

# 5. The author in the header; in a book the shared author once, on the
# contents page.
run "$FOLIO" convert -t pdf -o "$T/notes.pdf" "$SRC/samples/2025-11-04-paper-notes.md"
head=$(pdftotext -q -f 1 -l 1 -layout "$T/notes.pdf" - | sed -n 2p)
grep -q '^2025-11-04 .* · Mina Seo · 3 papers' <<< "$head" && ok "author in the header: $head" ||
    fail "header: $head"
run "$FOLIO" convert -t pdf -o "$T/site.pdf" "$SRC"/samples/site/_posts/*.md
pdftotext -q -layout "$T/site.pdf" - | grep -q ' · 서민아 · ' && ok "a day's own author in a book" ||
    fail "서민아 missing from the site book"
bash "$SRC/samples/gen-month.sh" "$T/m2" 2 > /dev/null
run "$FOLIO" convert -t pdf --author "Mina Seo" -o "$T/m2.pdf" "$T/m2"
n=$(pdftotext -q -layout "$T/m2.pdf" - | grep -c 'Mina Seo')
c=$(pdftotext -q -f 1 -l 1 -layout "$T/m2.pdf" - | grep -c 'Mina Seo')
[ "$n" = 1 ] && [ "$c" = 1 ] && ok "the book's author once, on the contents page" ||
    fail "book author $n times, $c on the contents page"

# 6. Small kana, the prolonged sound mark and closing marks never start a
# line (strict breaking), at every offset of a Japanese word.
shifted "$T/kana.md" zh 中 '日语里叫作「ハルシネーション」，チェックとキャッシュ。'
for f in "$T/kana.md" "$SRC/samples/2025-11-05-daily-papers-zh.md"; do
    layout_lines "$f"
    bad=$(grep -E '^ *[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー」』）】，。、：；！？]' <<< "$lines")
    [ -z "$bad" ] && grep -q 'シ' <<< "$lines" && ok "$(basename "$f"): no line starts with small kana or a closing mark" ||
        fail "$(basename "$f"): lines start with: $bad"
done
finish
