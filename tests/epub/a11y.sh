#!/bin/bash
# EPUB Accessibility 1.1: the package's metadata is complete, and it claims
# WCAG 2.1 AA exactly when the conditions folio can check hold (recomputed
# here from the documents); axe-core's WCAG and best-practice rules find no
# violation in any document, run in headless Chromium.
. "$TESTS/lib.sh"
INSPECT=$1
opf() { "$INSPECT" "$1" OEBPS/content.opf; }
members() { "$INSPECT" "$1" | awk '$5 ~ /\.xhtml$/ {print $5}'; }

# conditions FILE.epub: "ok" when every document declares its language,
# its headings start at h1 and never skip a level, every image has
# non-empty alt text and every table a header cell; else what fails.
conditions() {
    local m why=""
    for m in $(members "$1"); do
        "$INSPECT" "$1" "$m" > "$T/doc.xhtml"
        grep -q '<html[^>]* xml:lang="[^"]' "$T/doc.xhtml" || why="$why $m:lang"
        grep -o '<h[1-6][ >]' "$T/doc.xhtml" | awk -v m="$m" '{ l = substr($0, 3, 1) + 0; if (l > last + 1) { print m ":skip"; exit } last = l }' > "$T/skip"
        why="$why $(cat "$T/skip")"
        grep -o '<img [^>]*>' "$T/doc.xhtml" | grep -v 'alt="[^"]' | head -1 | grep -q . && why="$why $m:alt"
        t=$(grep -c '<table' "$T/doc.xhtml"); h=$(grep -o '<table.*</table>' "$T/doc.xhtml" | grep -c '<th')
        [ "$t" -gt 0 ] && ! grep -q '<th[ >]' "$T/doc.xhtml" && why="$why $m:th"
    done
    why=$(echo $why)
    echo "${why:-ok}"
}

run "$FOLIO" convert -q -o "$T/book.epub" "$SRC"/samples/*.md
expect_status 0 "samples into one book"
o=$(opf "$T/book.epub")
for want in 'accessMode">textual' 'accessModeSufficient">textual' 'accessibilityFeature">structuralNavigation' \
    'accessibilityFeature">tableOfContents' 'accessibilityFeature">readingOrder' \
    'accessibilityFeature">displayTransformability' 'accessibilityHazard">none'; do
    grep -q "schema:$want" <<< "$o" && ok "metadata: $want" || fail "metadata lacks $want"
done
grep -q 'schema:accessibilitySummary">[^<]*순서' <<< "$o" && ok "summary in the book's language (ko)" ||
    fail "summary: $(grep accessibilitySummary <<< "$o")"
cond=$(conditions "$T/book.epub")
if [ "$cond" = ok ]; then
    grep -q 'dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA<' <<< "$o" &&
        ok "conformance claimed, and its conditions hold" || fail "conditions hold but no conformsTo"
else
    grep -q 'conformsTo' <<< "$o" && fail "conformance claimed although: $cond" || ok "no claim: $cond"
fi
[ "$cond" = ok ] && ok "samples meet the checked conditions" || fail "samples: $cond"
nmath=$(for m in $(members "$T/book.epub"); do "$INSPECT" "$T/book.epub" "$m"; done | grep -c '<math')
if [ "$nmath" -gt 0 ]; then grep -q 'accessibilityFeature">MathML' <<< "$o" && ok "MathML declared ($nmath lines with math)" || fail "math without the MathML feature"
else grep -q 'accessibilityFeature">MathML' <<< "$o" && fail "MathML declared without math" || ok "no MathML, none declared"; fi

# A user's stylesheet cannot be checked for contrast: no claim.
printf 'body { color: #777; background: #888; }\n' > "$T/grey.css"
run "$FOLIO" convert -q -O epub.css="$T/grey.css" -o "$T/css.epub" "$SRC/samples/2025-11-04-paper-notes.md"
expect_status 0 "book with a user stylesheet"
o=$(opf "$T/css.epub")
grep -q 'conformsTo' <<< "$o" && fail "conformance claimed with a user stylesheet" || ok "no claim with a user stylesheet"
grep -q 'schema:accessibilitySummary">[^<]*reading order' <<< "$o" && ! grep -q 'accessibilitySummary">[^<]*WCAG' <<< "$o" &&
    ok "summary without the claim (en)" || fail "summary: $(grep accessibilitySummary <<< "$o")"

# A table without a header row (an HTML table in the source is not one:
# build it with a GFM table, whose first row is the header, then check the
# claim follows the recomputed conditions).
printf -- '---\ntitle: Tables\nlang: en\n---\n# Tables\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' > "$T/table.md"
run "$FOLIO" convert -q -o "$T/table.epub" "$T/table.md"
cond=$(conditions "$T/table.epub"); o=$(opf "$T/table.epub")
if [ "$cond" = ok ]; then grep -q conformsTo <<< "$o" && ok "table post: claim with header cells" || fail "table post: no claim"
else grep -q conformsTo <<< "$o" && fail "table post: claim although $cond" || ok "table post: no claim ($cond)"; fi

# axe-core over every document, in Chromium.
if ! command -v chromium > /dev/null || ! command -v npm > /dev/null; then
    fail "chromium and npm are needed (.ci/deps.sh installs them)"
    finish
fi
AXE="$BUILD/tests/axe-core/node_modules/axe-core/axe.min.js"
if [ ! -s "$AXE" ]; then
    mkdir -p "$BUILD/tests/axe-core"
    (cd "$BUILD/tests/axe-core" && npm install --silent --no-audit --no-fund --no-save axe-core@4 > "$T/npm.log" 2>&1) ||
        { fail "npm install axe-core: $(tail -3 "$T/npm.log")"; finish; }
fi
mkdir -p "$T/x"
for book in book css table; do
    rm -rf "$T/x"/*
    for m in $(members "$T/$book.epub"); do "$INSPECT" "$T/$book.epub" "$m" > "$T/x/$(basename "$m")"; done
    "$INSPECT" "$T/$book.epub" OEBPS/style.css > "$T/x/style.css"
    cp "$AXE" "$T/x/axe.min.js"
    for f in "$T"/x/*.xhtml; do
        # The page reports axe's violations into its own DOM, which
        # Chromium prints once virtual time has run out.
        sed -i 's#</head>#<script src="axe.min.js"></script><script>//<![CDATA[\nwindow.addEventListener("load", function () { axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(function (r) { var p = document.createElementNS("http://www.w3.org/1999/xhtml", "pre"); p.textContent = "AXE-RESULT " + r.passes.length + " " + JSON.stringify(r.violations.map(function (v) { return v.id + ":" + v.nodes.length; })); document.body.appendChild(p); }); });\n//]]></script></head>#' "$f"
        res=$(limit chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$T/chrome" --allow-file-access-from-files --virtual-time-budget=30000 \
            --dump-dom "file://$f" 2> /dev/null | grep -o 'AXE-RESULT [0-9]* .*\]' | tail -1)
        name="$book/$(basename "$f")"
        if [ -z "$res" ]; then fail "$name: axe did not report"
        elif [ "$book" = css ]; then
            # The grey stylesheet is why that book claims nothing: axe agrees.
            grep -q 'color-contrast' <<< "$res" && ok "$name: axe finds the grey stylesheet's contrast" ||
                fail "$name: axe missed a 1.3:1 contrast: $res"
        elif [ "${res##* }" = "[]" ]; then ok "$name: axe, ${res#AXE-RESULT } (passes, violations)"
        else fail "$name: axe violations ${res##* }"; fi
    done
done
finish
