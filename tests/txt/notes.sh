#!/usr/bin/env bash
# Footnotes, autolinks and dates in txt output:
# - a footnote reference reads "[note N]" (never the raw "[^label]", never
#   a link's "[N]"), and the digest ends its text with "Notes", the
#   definitions as "N. text", N from 1 with no gaps (those words in the
#   post's language: "[주석 N]", "주석");
# - a link whose text is its own URL (an autolink, a bare URL) gets no
#   reference number: no "URL [n]" where [n] is that URL;
# - the date reads as the PDF prints it ("2025-11-03 08:15").

. "$TESTS/lib.sh"
. "$TESTS/txt/words.sh"

for f in "$SRC"/samples/*.md "$SRC"/tests/txt/cases/*.md "$SRC"/tests/txt/posts/*.md; do
    n=$(basename "$f" .md)
    run "$FOLIO" convert -t txt -o - "$f"
    [ "$status" = 0 ] || { fail "$n: exit $status: ${err:0:300}"; continue; }
    txt_words "$(txt_lang "$f")"
    body=$(sed "/^$W_NOTES\$/,\$d; /^$W_LINKS\$/,\$d" <<<"$out")
    notes=$(sed -n "/^$W_NOTES\$/,/^$W_LINKS\$/p" <<<"$out")
    links=$(sed -n "/^$W_LINKS\$/,\$p" <<<"$out")

    # Footnotes: as many definitions as the input has (all referenced in
    # these inputs), numbered 1..N, each referenced in the text.
    ndefs=$(grep -cE '^\[\^[^]]+\]:' "$f" || true)
    if grep -qF '[^' <<<"$out"; then fail "$n: a raw [^ reference is left"; fi
    got=$(grep -cE '^[0-9]+\. ' <<<"$notes" || true)
    if [ "$ndefs" != "$got" ]; then
        fail "$n: $ndefs footnotes written, $got notes listed"
    elif [ "$ndefs" -gt 0 ]; then
        for i in $(seq "$ndefs"); do
            grep -qE "^$i\. " <<<"$notes" || fail "$n: note $i is not listed"
            grep -qF "[$W_NOTE $i]" <<<"$body" || fail "$n: [$W_NOTE $i] is never referenced"
        done
        ok "$n: $ndefs footnotes as numbered notes"
    fi

    # "URL [n]" with [n] that same URL: the number repeats the page.
    bad=$(grep -oE '(https?://|www\.)[^ ]+ \[[0-9]+\]' <<<"$body" |
        while read -r url ref; do
            listed=$(grep -F "$ref " <<<"$links" | awk -v r="$ref" '$1 == r { print $2 }')
            case "$listed" in "$url" | "http://$url") echo "$url $ref" ;; esac
        done)
    [ -z "$bad" ] || fail "$n: URLs shown in full still numbered: $bad"
    for u in $(grep -oE '<https?://[^>]+>' "$f" | tr -d '<>'); do
        grep -qF "$u" <<<"$body" || fail "$n: autolink $u is not shown"
    done

    # The date: the day, then hh:mm when the input gives a time.
    d=$(sed -n '1,/^---$/{s/^date: *//p}' "$f" | tr -d '"' | head -1)
    [ -n "$d" ] || continue
    want=${d:0:10}
    [[ "$d" =~ ^....-..-..[T\ ]([0-9][0-9]:[0-9][0-9]) ]] && want="$want ${BASH_REMATCH[1]}"
    grep -qx "$W_DATE: $want" <<<"$out" || fail "$n: no '$W_DATE: $want' line for '$d'"
done

# The same date in the PDF (not under valgrind, where the PDF is too slow).
if [ "$SLOW" != 50 ] && "$FOLIO" formats | grep -q '^pdf' && command -v pdftotext >/dev/null; then
    f=$SRC/tests/txt/posts/2025-11-11-typography.md
    run "$FOLIO" convert -t pdf -o "$T/t.pdf" "$f"
    pdftotext "$T/t.pdf" "$T/t.txt"
    run "$FOLIO" convert -t txt -o - "$f"
    d=$(sed -n 's/^日期: //p' <<<"$out") # a Chinese post
    if [ "$d" = "2025-11-11 08:15" ] && grep -qF "$d" "$T/t.txt"; then
        ok "txt and PDF both print $d"
    else
        fail "txt prints '$d', the PDF: $(grep -m1 2025 "$T/t.txt")"
    fi
fi
finish
