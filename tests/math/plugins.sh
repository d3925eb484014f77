#!/bin/bash
# Math in the outputs: EPUB chapters hold MathML (display and inline) and
# are marked "mathml" in the OPF, EPUBCheck clean; txt gives the linear
# Unicode form, display math indented; md keeps the TeX as written; the PDF
# has the symbols as text (α ∑ ≤, never \alpha) in an embedded math face
# and a real italic; every formula of the suite, inline and display, goes
# through every format.
. "$TESTS/lib.sh"
D="$TESTS/math/digest.md"
spans=$(grep -o '\$\$[^$]*\$\$\|\$[^$]*\$' "$D" | wc -l)

# EPUB
run "$FOLIO" convert -o "$T/d.epub" "$D" "$SRC/samples/2025-11-07-hmm-review.md"
expect_status 0 "EPUB of the math digest"
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/d.epub")
d1="$T/x/OEBPS/d001.xhtml"
n=$(grep -o '<math ' "$d1" | wc -l)
[ "$n" = "$spans" ] && ok "$n math elements for $n spans" || fail "$n math elements, $spans spans"
nb=$(grep -o '<math [^>]*display="block"' "$d1" | wc -l)
[ "$nb" = 5 ] && ok "5 display formulas" || fail "$nb display formulas, wanted 5"
grep -q '<annotation encoding="application/x-tex">\\mathcal{L}(\\theta) = -\\sum_i' "$d1" &&
    ok "TeX annotation" || fail "no TeX annotation"
grep -q '<mfrac>' "$d1" && grep -q '<msqrt>' "$d1" && grep -q '<mtable' "$d1" &&
    ok "fractions, roots, tables as MathML" || fail "MathML structure missing"
m=$(grep -c 'properties="mathml"' "$T/x/OEBPS/content.opf")
[ "$m" = 2 ] && ok "both chapters marked mathml" || fail "$m chapters marked mathml"
if grep -q '<math' "$T/x/OEBPS/nav.xhtml"; then fail "math in the nav"; else ok "nav is plain"; fi
run "$FOLIO" convert -o "$T/plain.epub" "$SRC/samples/2025-11-03-daily-papers.md"
unzip -p "$T/plain.epub" OEBPS/content.opf | grep -q mathml &&
    fail "a book without math marked mathml" || ok "no math, no mathml property"
grep -q 'DejaVu Math TeX Gyre' "$T/x/OEBPS/style.css" && ok "math font in the CSS" ||
    fail "no math font in the CSS"
JAR=/usr/share/java/epubcheck.jar
if command -v java > /dev/null && [ -r "$JAR" ]; then
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar "$JAR" "$T/d.epub" > "$T/ec.log" 2>&1
    grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$T/ec.log" &&
        ok "EPUBCheck clean" || { fail "EPUBCheck"; grep -E '^(ERROR|WARNING|FATAL)' "$T/ec.log" | head; }
else
    fail "EPUBCheck missing"
fi

# txt
run "$FOLIO" convert -t txt "$D"
expect_status 0 "txt"
expect_out 'x² \+ yᵢⱼ' "scripts as Unicode"
expect_out 'α ≤ β' "Greek and relations as Unicode"
expect_out '^    ℒ\(θ\) = −' "display math on its own line, indented"
expect_out '\\unknowncmd' "an unknown command shown as written"
grep -q '\\alpha' <<< "$out" && fail "txt has \\alpha" || ok "txt has no \\alpha"

# md: the TeX exactly as written
run "$FOLIO" convert -t md "$D"
grep -qF '$$\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}, \quad \sqrt{d_k} \le \sqrt[3]{x^2+y^2}$$' <<< "$out" &&
    ok "md keeps the TeX" || fail "md changed the TeX"

# PDF
run "$FOLIO" convert -o "$T/d.pdf" "$D"
expect_status 0 "PDF"
txt=$(pdftotext -enc UTF-8 "$T/d.pdf" -)
for s in α ∑ ≤ √ θ ∫ ∏ ℝ; do
    grep -qF "$s" <<< "$txt" && ok "PDF text has $s" || fail "PDF text lacks $s"
done
grep -qF '\alpha' <<< "$txt" && fail "PDF text has \\alpha" || ok "PDF text has no \\alpha"
grep -qF '\sum' <<< "$txt" && fail "PDF text has \\sum" || ok "PDF text has no \\sum"
grep -qF '\unknowncmd' <<< "$txt" && ok "PDF shows an unknown command" || fail "unknown command lost"
fonts=$(pdffonts "$T/d.pdf")
grep -q 'DejaVuMathTeXGyre.*yes yes' <<< "$fonts" && ok "math face embedded" ||
    fail "no embedded math face: $fonts"
grep -q 'DejaVuSerif-Italic.*yes yes' <<< "$fonts" && ok "italic face embedded" ||
    fail "no embedded italic face"
# Fractions and radicals draw rules: a display page has line strokes.
qpdf --qdf --object-streams=disable "$T/d.pdf" "$T/q.pdf" 2> /dev/null
grep -c ' l$' "$T/q.pdf" | awk '{ exit !($1 >= 8) }' && ok "rules drawn" ||
    fail "too few rules for the fractions and radicals"

# Letter styles: the PDF draws the styled letters Unicode has in the BMP
# (the core's one table, host->math_variant), as txt does; italic keeps
# the italic face, and styles outside the BMP stay plain letters.
printf -- '---\ntitle: Styles\n---\n# Styles\n\nSee $\\mathbb{R} + \\mathcal{B} + \\mathcal{e} + \\mathfrak{I} + \\mathit{h} + \\mathbf{x}$ here.\n' > "$T/styles.md"
run "$FOLIO" convert -o "$T/styles.pdf" "$T/styles.md"
expect_status 0 "PDF of letter styles"
pdftotext -enc UTF-8 "$T/styles.pdf" - | grep -qF 'See ℝ + ℬ + ℯ + ℑ + h + x here.' &&
    ok "PDF letter styles from the host's table" || fail "PDF letter styles: $(pdftotext -enc UTF-8 "$T/styles.pdf" - | head -3)"
run "$FOLIO" convert -t txt "$T/styles.md"
expect_out 'See ℝ \+ ℬ \+ ℯ \+ ℑ \+ h \+ 𝐱 here\.' "txt letter styles agree"

# Accents on one letter: the PDF puts the host's combining marks
# (host->math_combining), the same txt writes; \underline is a line below.
printf -- '---\ntitle: Accents\n---\n# Accents\n\nSee $\\bar{x} + \\underline{y} + \\mathring{A} + \\hat{a} + \\vec{v} + \\overline{z}$ here.\n' > "$T/acc.md"
run "$FOLIO" convert -t txt "$T/acc.md"
want=$(grep '^See ' <<< "$out")
[ "$want" = "$(printf 'See x\xcc\x84 + y\xcc\xb2 + A\xcc\x8a + a\xcc\x82 + v\xe2\x83\x97 + z\xcc\x84 here.')" ] &&
    ok "txt accents" || fail "txt accents: $want"
run "$FOLIO" convert -o "$T/acc.pdf" "$T/acc.md"
expect_status 0 "PDF of accents"
got=$(pdftotext -enc UTF-8 "$T/acc.pdf" - | grep '^See ')
[ "$got" = "$want" ] && ok "PDF accents as txt's" || fail "PDF accents: $got, txt: $want"

# Every formula of the suite, malformed ones too, in every format.
{
    printf -- '---\ntitle: Suite\n---\n# Suite\n\n'
    grep -v '^#' "$TESTS/math/formulas.txt" | grep -v '^$' | grep -v '\$' | sed 's/^!//' |
        while IFS= read -r f; do printf 'Inline $%s$ here.\n\n$$%s$$\n\n' "$f" "$f"; done
} > "$T/all.md"
for fmt in $(formats); do
    run "$FOLIO" convert -t "$fmt" -o "$T/all-out.$fmt" "$T/all.md"
    expect_status 0 "every formula as $fmt"
done
[ -f "$T/all-out.pdf" ] && pdftotext "$T/all-out.pdf" - | grep -q '∑' && ok "suite PDF has ∑" || fail "suite PDF"
finish
