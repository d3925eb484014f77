#!/bin/bash
# Strings past libharu's 65,535-byte limit: a 70 KB title and a 70 KB URL
# give a valid PDF with one warning each (the title cut at a character
# boundary, the URL left unlinked), never a bare libharu code or a message
# per character, and one such digest does not fail a book.  A long URL
# broken over many lines is stored once (one shared URI action), so size
# and time grow linearly: URLs of 10 KB and 40 KB, under a CPU-time limit.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

title=$(printf '긴 제목 %.0s' $(seq 7000)) # 70,000 bytes
url="https://example.org/$(printf 'abcdefghij/%.0s' $(seq 6400))"
{
    printf -- '---\ntitle: "%s"\ndate: 2025-11-03\n---\n\n' "$title"
    printf '# 1. [%s](%s)\n\nA paper with a very long title.\n' "$title" "$url"
} > "$T/2025-11-03-long.md"
printf -- '---\ntitle: Short day\ndate: 2025-11-04\n---\n\n# 1. A short paper\n\nShortDayText here.\n' \
    > "$T/2025-11-04-short.md"

run "$FOLIO" convert -t pdf -o "$T/long.pdf" "$T/2025-11-03-long.md"
expect_status 0 "a 70 KB title and URL"
expect_err "warning: .* cut to 6553[0-5] bytes" "one warning: the title cut"
expect_err "warning: a link of [0-9]+ bytes .* unlinked" "one warning: the URL unlinked"
[ "$(wc -l <<< "$err")" -le 3 ] && ok "a few lines of messages" || fail "$(wc -l <<< "$err") lines of messages"
grep -qi "error\|libharu" <<< "$err" && fail "an error: ${err:0:300}" || ok "no error, no libharu code"
pdf_valid "$T/long.pdf"
t=$(pdfinfo -enc UTF-8 "$T/long.pdf" | sed -n 's/^Title: *//p')
[ "${#t}" -gt 20000 ] && [ "$(printf %s "$t" | wc -c)" -le 65535 ] && [ "${t:0:4}" = "긴 제목" ] &&
    ok "title kept up to the limit (${#t} characters)" || fail "title: ${t:0:40}… (${#t} characters)"

run "$FOLIO" convert -t pdf -o "$T/book.pdf" "$T/2025-11-03-long.md" "$T/2025-11-04-short.md"
expect_status 0 "a book with one oversized digest"
pdf_valid "$T/book.pdf"
grep -q ShortDayText <<< "$(pdftotext "$T/book.pdf" - 2> /dev/null | tr -d ' ')" &&
    ok "the other digest is in the book" || fail "the other digest is missing"

# URL made of many segments, broken over many lines.
for n in 10000 40000; do
    u=https://example.org/
    i=0
    while [ ${#u} -lt $n ]; do u+=$(printf 'seg%05d/' $i); i=$((i + 1)); done
    printf -- '---\ntitle: u%s\n---\n\n# 1. Paper\n\nSee <%s> here.\n' $n "$u" > "$T/url$n.md"
    run bash -c "ulimit -t 60; exec \"\$@\"" _ "$FOLIO" convert -t pdf -o "$T/url$n.pdf" "$T/url$n.md"
    expect_status 0 "a $n-byte URL"
    size[$n]=$(stat -c %s "$T/url$n.pdf")
    qpdf --qdf --object-streams=disable "$T/url$n.pdf" "$T/q$n.pdf"
    annots=$(grep -ac '/Subtype /Link' "$T/q$n.pdf")
    uris=$(grep -ac '/URI (https://example.org/seg' "$T/q$n.pdf")
    [ "$annots" -gt 10 ] && [ "$uris" = 1 ] && ok "$n-byte URL: $annots link annotations, the address once" ||
        fail "$n-byte URL: $annots annotations, address $uris times"
done
echo "PDF sizes: ${size[10000]} and ${size[40000]} bytes"
[ $((size[40000] * 10)) -le $((size[10000] * 4 * 15)) ] && ok "4x the URL, at most 6x the PDF" ||
    fail "PDF grew from ${size[10000]} to ${size[40000]} bytes"
[ "${size[40000]}" -lt 400000 ] && ok "40 KB URL: PDF under 400 KB" || fail "40 KB URL: ${size[40000]} bytes"
finish
