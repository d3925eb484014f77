#!/bin/bash
# On a phone: an ISO date in a heading, the date line, the contents or the
# title page never splits at its hyphens (it is in a span.date, which the
# stylesheet keeps on one line), and a code line that pre-wrap wraps
# continues past its own indentation rather than at column 0 (a span per
# source line with a hanging indent), while the code's text stays exactly
# the source's.  Checked in the XHTML, then laid out in headless Chromium
# at 390 and 800 px.
. "$TESTS/lib.sh"
INSPECT=$1
printf -- '---\ntitle: "Weekly notes and errata, with the corrections for the week ending 2025-11-09"\ndate: 2025-11-09\nlang: en\n---\n\nA short note.\n' > "$T/second.md"
run "$FOLIO" convert -q -o "$T/w.epub" "$TESTS/epub/wrap.md" "$T/second.md"
expect_status 0 "convert"
mkdir "$T/x"
for m in OEBPS/d001.xhtml OEBPS/d002.xhtml OEBPS/nav.xhtml OEBPS/title.xhtml OEBPS/toc.ncx OEBPS/style.css; do
    "$INSPECT" "$T/w.epub" "$m" > "$T/x/${m#OEBPS/}" || fail "no $m"
done

# The stylesheet: dates on one line; code lines are blocks hanging 2ch.
css=$(tr -s ' \n' ' ' < "$T/x/style.css")
grep -q '\.date { white-space: nowrap; }' <<< "$css" && ok "css: .date nowrap" || fail "css: no .date { white-space: nowrap }"
grep -q 'pre \.line { display: block; padding-left: 2ch; text-indent: -2ch; }' <<< "$css" &&
    ok "css: code lines are blocks with a hanging indent" || fail "css: no pre .line rule"

# Every ISO date in a heading, the date line, a contents entry or the
# title page's dates is inside an element of class "date".
date='[0-9]{4}-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?)?'
spots=$(cat "$T"/x/*.xhtml | grep -E '<h[1-6]|class="digest-date"|<a href|class="book-dates"')
wrapped=$(grep -Eo "<(span|time) class=\"date\"[^>]*>$date</(span|time)>" <<< "$spots" | wc -l)
bare=$(sed -E 's#<(span|time) class="date"[^>]*>[^<]*</(span|time)>##g; s#<[^>]*>##g' <<< "$spots" | grep -Eo "$date")
[ -z "$bare" ] && ok "$wrapped dates in headings, date lines, contents and title page, all in span.date" ||
    fail "dates outside span.date: $(echo $bare)"
[ "$wrapped" -ge 9 ] || fail "only $wrapped dates wrapped, wanted 9 or more"
grep -q '<h1 class="digest-title">Daily Papers — <span class="date">2025-11-03</span></h1>' "$T/x/d001.xhtml" &&
    ok "title: text as written, date in a span" || fail "title: $(grep '<h1' "$T/x/d001.xhtml")"
grep -q '<h3[^>]*>Method (revised <span class="date">2025-11-02 10:15:00</span>)</h3>' "$T/x/d001.xhtml" &&
    ok "date with a time kept whole" || fail "section heading: $(grep '<h3' "$T/x/d001.xhtml")"
grep -q 'as run on 2025-11-03:' "$T/x/d001.xhtml" && ok "body text untouched" || fail "body text changed"
grep -q '<span' "$T/x/toc.ncx" && fail "markup in the NCX's labels" || ok "NCX labels plain"

# Code: one span.line per source line, the line end inside it, the
# hanging indent its indentation plus 2 columns (in a line with a tab,
# rounded up to a tab stop); the text as written.
src=$(awk '/^```python/ {on = 1; next} /^```/ {on = 0} on' "$TESTS/epub/wrap.md")
pre=$(awk '/<pre>/ {on = 1} on; /<\/pre>/ {on = 0}' "$T/x/d001.xhtml")
nlines=$(printf '%s\n' "$src" | wc -l)
nspans=$(grep -o '<span class="line"' <<< "$pre" | wc -l)
[ "$nspans" = "$nlines" ] && ok "$nspans source lines, $nspans spans" || fail "$nlines source lines, $nspans spans"
text=$(sed -E 's#<[^>]*>##g; s#&lt;#<#g; s#&gt;#>#g; s#&quot;#"#g; s#&apos;#'"'"'#g; s/&#39;/'"'"'/g; s#&amp;#\&#g' <<< "$pre")
[ "$text" = "$src" ] && ok "code text exactly as written" || { fail "code text differs"; diff <(echo "$src") <(echo "$text") | head; }
for want in 'class="line">def select' 'padding-left: 6ch; text-indent: -6ch">    scores' \
    'padding-left: 16ch; text-indent: -16ch">	return' 'padding-left: 8ch; text-indent: -8ch">x	= mid' 'padding-left: 10ch; text-indent: -10ch">        if a &lt; b'; do
    grep -qF "$want" <<< "$pre" && ok "hang: $want" || fail "no $want"
done

# Layout in Chromium: each date one line box; each wrapped code line's
# continuations start past its indentation; tabs keep their width;
# selecting a block copies it.
if ! command -v chromium > /dev/null; then
    fail "chromium is needed (.ci/deps.sh installs it)"
    finish
fi
cp "$TESTS/epub/wrap.js" "$TESTS/epub/wrap-frame.html" "$T/x/"
for f in d001 d002 nav title; do
    sed -i 's#</head>#<script src="wrap.js"></script></head>#' "$T/x/$f.xhtml"
done
for width in 390 800; do
    for f in d001 d002 nav title; do
        res=$(limit chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$T/chrome" --allow-file-access-from-files --hide-scrollbars \
            --window-size=1000,844 --virtual-time-budget=10000 \
            --dump-dom "file://$T/x/wrap-frame.html?$f.xhtml,$width" 2> /dev/null | sed -n '/WRAP-RESULT/,/WRAP-END/p')
        name="$f at $width px"
        if [ -z "$res" ]; then fail "$name: no layout report"; continue; fi
        grep -q "^WIDTH $width$" <<< "$res" || fail "$name: viewport $(grep WIDTH <<< "$res")"
        # (0 lines: a hidden entry, the sections in a many-day contents.)
        split=$(awk '$1 == "DATE" && $3 > 1' <<< "$res")
        ndates=$(awk '$1 == "DATE" && $3 == 1' <<< "$res" | wc -l)
        [ "$ndates" -gt 0 ] && [ -z "$split" ] && ok "$name: $ndates dates, each on one line" ||
            fail "$name: dates split over lines: $(echo $split) ($ndates dates)"
        grep -q '^CODE' <<< "$res" || continue
        # CODE indent lines hang: a wrapped line (lines > 1) must hang
        # past its indentation.
        flat=$(awk '$1 == "CODE" && $3 > 1 && $4 <= $2' <<< "$res")
        wraps=$(awk '$1 == "CODE" && $3 > 1' <<< "$res" | wc -l)
        [ -z "$flat" ] && ok "$name: $wraps wrapped code lines, each continuing past its indentation" ||
            fail "$name: continuations not past the indentation (CODE indent lines hang): $(echo $flat)"
        [ "$width" = 390 ] && [ "$wraps" -lt 4 ] && fail "$name: only $wraps code lines wrap at 390 px"
        # TAB column measured: tabs reach their stops despite the hang.
        short=$(awk '$1 == "TAB" && $2 != $3' <<< "$res")
        ntabs=$(grep -c '^TAB' <<< "$res")
        [ "$ntabs" -ge 2 ] && [ -z "$short" ] && ok "$name: $ntabs tabs reach their tab stops" ||
            fail "$name: tabs off their stops (TAB column measured): $(echo $short) ($ntabs tabs)"
        grep -q '^COPY same$' <<< "$res" && ok "$name: code copies out as written" ||
            fail "$name: $(grep '^COPY' <<< "$res")"
    done
done
finish
