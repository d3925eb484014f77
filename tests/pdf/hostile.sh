#!/bin/bash
# Hostile input: raw HTML, script links, a 1,000-letter word, emoji, deep
# nesting and a wide table still give a valid PDF, with no javascript:
# (or vbscript:, data:) URI, nothing past the margins, and a warning for
# each character no font can draw.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

long=$(printf 'a%.0s' $(seq 1000))
{
    printf -- '---\ntitle: "<script>alert(1)</script> 위험한 입력"\n---\n\n'
    printf '# 1. [Evil title](javascript:alert(1))\n\n'
    printf '<div onclick="alert(1)"><script>alert("x")</script>Visible text in a div</div>\n\n'
    printf 'A [js link](javascript:alert(document.cookie)), [JS](JAVASCRIPT:alert(2)), <javascript:alert(3)>, '
    printf '[data](data:text/html;base64,PHNjcmlwdD4=), [vb](vbscript:msgbox), [mail](mailto:a@example.org) '
    printf 'and [위키](https://ko.wikipedia.org/wiki/논문 "t").\n\n'
    printf 'Inline <img src=x onerror=alert(1)> html and <b>bold</b>.\n\n'
    printf 'Long: %s end.\n\n' "$long"
    printf 'https://example.org/%s\n\n' "$long"
    printf 'Emoji 😀 and flag 🇰🇷 and ZWJ 👩‍💻 and ☺️ here.\n\n'
    for i in $(seq 40); do printf '%*s- level %d\n' $((i * 2 - 2)) '' "$i"; done
    printf '\n'
    for i in $(seq 40); do printf '>'; done
    printf ' deep quote\n\n'
    printf '|'; for i in $(seq 30); do printf ' c%d |' "$i"; done; printf '\n|'
    for i in $(seq 30); do printf -- '---|'; done; printf '\n|'
    for i in $(seq 30); do printf ' 값%d |' "$i"; done; printf '\n\n'
    printf '```\n%s\n\tTab\n```\n' "$long"
    printf '\n| big | small |\n|---|---|\n| %s | x |\n' "$(printf 'cell%.0s ' $(seq 1500))"
} > "$T/hostile.md"

run "$FOLIO" convert -t pdf -o "$T/hostile.pdf" "$T/hostile.md"
expect_status 0 "hostile digest converted"
H="$T/hostile.pdf"
pdf_valid "$H"
pdf_fonts_embedded "$H"
pdf_in_page "$H"

qpdf --stream-data=uncompress --object-streams=disable "$H" "$T/plain.pdf"
q="$T/plain.pdf"
if grep -aiqE "/URI \((javascript|vbscript|data):" "$q"; then fail "a script URI in the PDF"; else ok "no javascript:, vbscript: or data: URI"; fi
if grep -aqE "/(JS|JavaScript|Launch|OpenAction|AA) " "$q"; then fail "an action that runs something"; else ok "no JavaScript or Launch action"; fi
grep -aqF "/URI (mailto:a@example.org)" "$q" && ok "mailto link kept" || fail "mailto link missing"
grep -aqF "/URI (https://ko.wikipedia.org/wiki/%EB%85%BC%EB%AC%B8)" "$q" &&
    ok "non-ASCII URL percent-encoded" || fail "percent-encoded link missing"

body=$(pdf_body "$H")
grep -qF "Visibletextinadiv" <<< "$body" && ok "text of raw HTML kept" || fail "raw HTML text lost"
grep -qE 'alert\("x"\)|onerror|onclick|<b>' <<< "$body" && fail "script or tags shown" || ok "script and tags not shown"
[ "$(grep -oE 'a{1000}' <<< "$body" | wc -l)" -ge 2 ] && ok "1,000-letter word broken across lines, all there" ||
    fail "long word lost"
grep -qF "deepquote" <<< "$body" && ok "deep quote shown" || fail "deep quote lost"
grep -qF "level40" <<< "$body" && ok "deep list shown" || fail "deep list lost"
[ "$(grep -o "값" <<< "$body" | wc -l)" -ge 30 ] && ok "wide table shown" || fail "wide table lost"
[ "$(grep -o "cell" <<< "$body" | wc -l)" = 1500 ] && ok "a cell taller than a page shown whole" ||
    fail "tall cell: $(grep -o "cell" <<< "$body" | wc -l) of 1500 words"
# Emoji: drawn from a fallback face that has them (Symbola), else
# reported once each.
for cp in 1F600 1F469 1F4BB; do
    if fc-list ":charset=${cp,,}:fontformat=TrueType" family | grep -q .; then
        [ "$(grep -c "U+$cp" <<< "$err")" = 0 ] && grep -qF "$(printf "\\U000$cp")" <<< "$body" &&
            ok "U+$cp drawn" || fail "U+$cp: $err"
        continue
    fi
    [ "$(grep -c "U+$cp" <<< "$err")" = 1 ] && ok "U+$cp reported once" || fail "U+$cp warnings: $err"
done
grep -q "U+FE0F\|U+200D" <<< "$err" && fail "invisible characters reported" || ok "invisible characters skipped silently"
finish
