#!/bin/bash
# Display math leftovers: wide accents (\widehat, \widetilde, arrows over
# several letters) span their base as strokes, not a glyph scaled up into
# the line above; a list item that starts with a display formula has its
# marker on the formula's (first) baseline, not lost or pushed down.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

# post FILE BODY: a post whose body is BODY.
post() {
    printf -- '---\ntitle: "wide"\ndate: 2025-11-03\n---\n\nSome text first.\n\n%s\n' "$2" > "$1"
}
pdf() { # NAME BODY: $T/NAME.pdf from BODY
    post "$T/$1.md" "$2"
    run "$FOLIO" convert -t pdf -o "$T/$1.pdf" "$T/$1.md"
    expect_status 0 "$1 to PDF"
}

# accent NAME REF WORD: the box (width height gap, in ems of the formula's
# size) of what NAME.pdf draws around WORD that REF.pdf (WORD alone) does
# not, the two aligned on WORD, and WORD's width.
accent() {
    for f in "$1" "$2"; do
        pdftotext -q -bbox-layout "$T/$f.pdf" "$T/$f.html"
        pdftoppm -q -r 144 -gray -f 1 -l 1 "$T/$f.pdf" "$T/$f"
    done
    python3 - "$T/$1" "$T/$2" "$3" << 'PY'
import re, sys, glob
def word(base, w):
    d = open(base + '.html', encoding='utf-8').read()
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', d):
        if m.group(5) == w:
            return [float(v) * 2 for v in m.groups()[:4]]  # 144 dpi pixels
    sys.exit('no word %s in %s' % (w, base))
def pgm(base):
    data = open(glob.glob(base + '*.pgm')[0], 'rb').read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    px = parts[4]
    return w, h, lambda x, y: 0 <= x < w and 0 <= y < h and px[y * w + x] < 128
wa, wr = word(sys.argv[1], sys.argv[3]), word(sys.argv[2], sys.argv[3])
W, H, a = pgm(sys.argv[1])
_, _, r = pgm(sys.argv[2])
dx, dy = round(wa[0] - wr[0]), round(wa[3] - wr[3])
em = 12.1 * 2  # the display size, 1.1 x 11 pt, in pixels
xs, ys = [], []
for y in range(int(wa[1] - 2.5 * em), int(wa[3]) + 1):
    for x in range(int(wa[0] - em), int(wa[2] + em)):
        if a(x, y) and not any(r(x - dx + i, y - dy + j)
                               for i in (-1, 0, 1) for j in (-1, 0, 1)):
            xs.append(x); ys.append(y)
if not xs:
    print(0, 0, 0, round((wa[2] - wa[0]) / em, 2)); sys.exit()
print(round((max(xs) - min(xs)) / em, 2), round((max(ys) - min(ys)) / em, 2),
      round((wa[1] - max(ys)) / em, 2), round((wa[2] - wa[0]) / em, 2))
PY
}

pdf ref '$$abcdef$$'
for a in widehat widetilde overrightarrow; do
    pdf "$a" "\$\$\\$a{abcdef}\$\$"
    read -r w h gap base < <(accent "$a" ref abcdef)
    awk -v w="$w" -v b="$base" 'BEGIN { exit !(w >= 0.9 * b && w <= 1.05 * b) }' &&
        ok "\\$a spans its base ($w em over $base em)" ||
        fail "\\$a is $w em wide over a base of $base em"
    awk -v h="$h" -v g="$gap" 'BEGIN { exit !(h > 0.05 && h <= 0.4 && g > -0.3 && g < 0.6) }' &&
        ok "\\$a is $h em tall, just over its base" ||
        fail "\\$a is $h em tall, $gap em above its base's box"
done
# One letter keeps the accent's glyph (text extraction sees it).
pdf one '$$\widehat{a}$$'
pdftotext -q "$T/one.pdf" - | grep -q '\^' && ok "\\widehat{a} is the glyph" ||
    fail "\\widehat{a} lost its glyph"
pdftotext -q "$T/widehat.pdf" - | grep -q 'abcdef' && ok "the wide hat's base reads as text" ||
    fail "no abcdef in the text of \\widehat{abcdef}"
pdf_valid "$T/widetilde.pdf"

# marker PDF MARK WORD: the baseline gap (pt) between MARK's word and
# WORD's first word, by their boxes' bottoms.
marker() {
    pdftotext -q -bbox-layout "$1" "$T/m.html"
    python3 - "$T/m.html" "$2" "$3" << 'PY'
import re, sys
d = open(sys.argv[1], encoding='utf-8').read()
ws = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', d)
def y(w):
    for a, b, t in ws:
        if t == w:
            return (float(a) + float(b)) / 2
    return float('nan')
print(round(y(sys.argv[2]) - y(sys.argv[3]), 1))
PY
}
near() { awk -v d="$1" 'BEGIN { exit !(d == d && d > -3 && d < 3) }'; }
pdf item '- $$x = \frac{a}{b}$$
- plain'
d=$(marker "$T/item.pdf" "•" "x")
near "$d" && ok "a bullet beside its formula ($d pt)" || fail "bullet $d pt from its formula's line"
pdf item2 '- $$y = 1$$

  more text in the item'
d=$(marker "$T/item2.pdf" "•" "y")
near "$d" && ok "a bullet beside its formula, not its next paragraph ($d pt)" ||
    fail "bullet $d pt from its formula's line"
pdf rows '1. $$\begin{aligned} p &= q \\ r &= s \\ t &= u \end{aligned}$$
2. two'
d=$(marker "$T/rows.pdf" "1." "p")
near "$d" && ok "a number on the first of aligned rows ($d pt)" ||
    fail "number $d pt from the first row"
pdf_valid "$T/rows.pdf"

[ $FAILS = 0 ]
