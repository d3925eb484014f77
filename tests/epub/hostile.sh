#!/bin/bash
# A hostile digest (hostile.md beside this script): raw HTML with <script>,
# javascript:, data:, file: and vbscript: links, a title and tags holding
# <, &, ]]> and quotes, control characters.  The EPUB must hold no script
# element, no live link but http, https and mailto, and show the raw HTML
# through the core's sanitiser.  (EPUBCheck runs on it in epubcheck.sh.)
. "$TESTS/lib.sh"
INSPECT=$1
H="$T/hostile.epub"
run "$FOLIO" convert -o "$H" "$TESTS/epub/hostile.md"
expect_status 0 "hostile digest converted"
for m in $("$INSPECT" "$H" | awk '$5 ~ /\.(xhtml|opf|ncx)$/ {print $5}'); do
    "$INSPECT" "$H" "$m"
done > "$T/all"
doc=$("$INSPECT" "$H" OEBPS/d001.xhtml)
opf=$("$INSPECT" "$H" OEBPS/content.opf)

grep -qi '<script' "$T/all" && fail "a <script> element: $(grep -i -m1 '<script' "$T/all")" || ok "no <script> element"
grep -qiE '<(img|iframe|object|embed|form|style|svg|math)[ >/]' "$T/all" &&
    fail "an active element: $(grep -iE -m1 '<(img|iframe|object|embed|form|style|svg|math)[ >/]' "$T/all")" || ok "no img, iframe, object, form or style element"
grep -qiE '<[a-z][^>]* on[a-z]+=' "$T/all" && fail "an event attribute" || ok "no event attributes"
# Every link target: the web, mail, or inside the book.
bad=$(grep -o ' \(href\|src\)="[^"]*"' "$T/all" | sed 's/^ [a-z]*="//; s/"$//' |
    grep -vE '^(https?://[^ ]+|mailto:[^ ]+|#[A-Za-z0-9_-]+|(d[0-9]{3}|nav|title)\.xhtml(#[A-Za-z0-9_-]+)?|style\.css|toc\.ncx)$')
[ -z "$bad" ] && ok "only http, https, mailto and book links" || fail "links left: $bad"
grep -qiE '(href|src)="[[:space:]]*(javascript|data|file|vbscript):' "$T/all" && fail "a dangerous scheme is live" || ok "no javascript:, data:, file: or vbscript: link"

# The raw HTML and the dead links are still there, as text.
# Raw HTML: its safe subset rendered, a script never shown, the rest
# (the div's onclick, the iframe) dropped to its text.
grep -q 'alert(&quot;block' <<< "$doc" && fail "a script's content shown" || ok "script block dropped whole"
grep -q '^<div class="raw-html">div block$' <<< "$doc" && ok "raw HTML block as its text" || fail "raw HTML block"
# An <img> is an image (here a missing one: its alt text), its other
# attributes dropped.
grep -q 'inline <span class="image-alt">\[image\]</span> and' <<< "$doc" && ok "inline raw <img> as an image, onerror dropped" || fail "inline raw HTML <img>"
grep -q 'onerror=alert(1)[^&]' <<< "$doc" && fail "onerror left live" || ok "no live onerror"
grep -q '<li>Goal: js, JS, vb,' <<< "$doc" && grep -q 'file, rel, frag,' <<< "$doc" && ok "unsafe links become their text" || fail "unsafe link text"
grep -q '<p class="paper-links">Alphaxiv · Data</p>' <<< "$doc" && ok "unsafe paper links as plain labels" || fail "paper links line"
grep -q 'more -->' "$T/all" && fail "an HTML comment was shown" || ok "HTML comments dropped"
grep -q '<a href="https://example.com/ok"\|<a class="url" href="https://example.com/ok">' <<< "$doc" &&
    grep -q '<a href="mailto:a@example.com">mail</a>' <<< "$doc" && ok "safe links live" || fail "safe links"
grep -q 'href="https://example.com/%25zz?q=%5B1%5D#a%23b"' <<< "$doc" && grep -q 'href="https://example.com/a%20b"' <<< "$doc" &&
    ok "odd URLs made valid" || fail "URL escaping"

# Titles and tags escaped wherever they go.
t='Evil &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; ]]&gt; &quot;quoted&quot; &#39;single&#39; &lt;/title&gt;'
grep -qF "<dc:title>$t</dc:title>" <<< "$opf" && grep -qF "<title>$t</title>" <<< "$doc" &&
    grep -qF "<text>$t</text>" < <("$INSPECT" "$H" OEBPS/toc.ncx) && ok "title escaped in OPF, XHTML and NCX" || fail "title escaping"
grep -qF '<dc:subject>&lt;b&gt;bold&lt;/b&gt;</dc:subject>' <<< "$opf" && grep -qF '<dc:subject>]]&gt;</dc:subject>' <<< "$opf" &&
    grep -qF '<dc:subject>&quot;quote&quot;</dc:subject>' <<< "$opf" && ok "tags escaped" || fail "tag escaping"
grep -q '<h1 class="digest-title">Evil &lt;script&gt;' <<< "$doc" && ok "title shown as text" || fail "h1"
LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f]' "$T/all" && fail "control characters left" || ok "control characters dropped"
grep -q 'an undefined one \[^missing\]' <<< "$doc" && ok "undefined footnote stays text" || fail "undefined footnote"
[ "$(grep -c 'id="fnref1"' <<< "$doc")" = 1 ] && [ "$(grep -o 'href="#fn1"' <<< "$doc" | wc -l)" = 2 ] &&
    ok "a note used twice: two marks, one id" || fail "repeated footnote"
finish
