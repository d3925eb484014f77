#!/usr/bin/env bash
# Every URL of every input is in its output's "Links" list as "[n] URL",
# or shown in full in the text (an autolink or bare URL, which gets no
# number); every listed number is referenced in the text; every arXiv paper shows
# its id (an article's citations aside).
set -eu
. "$TESTS/txt/words.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0

for f in "$SRC"/samples/*.md "$SRC"/tests/txt/cases/*.md "$SRC"/tests/txt/posts/*.md; do
    n=$(basename "$f" .md)
    out=$tmp/$n.txt
    "$FOLIO" convert -t txt -o "$out" "$f"
    # The URLs written in the input: link destinations, <autolinks> and
    # bare http(s) URLs (without trailing punctuation, as GFM reads them).
    {
        grep -oE '\]\([^) ]+' "$f" | sed 's/^](//' || true
        grep -oE '<https?://[^>]+>' "$f" | tr -d '<>' || true
        grep -oE 'https?://[^] )>"<]+' "$f" | sed 's/[.,;:!?]*$//' || true
    } | grep -v '^{' | sort -u >"$tmp/urls" # Liquid targets: tests/kramdown
    # The list: lines "[n] URL" after the "Links" heading (in the post's
    # language).
    txt_words "$(txt_lang "$f")"
    sed -n "/^$W_LINKS\$/,\$p" "$out" | sed -n 's/^\[\([0-9]*\)\] \([^ ]*\).*/\1 \2/p' >"$tmp/list"
    sed "/^$W_LINKS\$/,\$d" "$out" >"$tmp/body"
    while read -r url; do
        checked=$((checked + 1))
        if ! awk -v u="$url" '$2 == u { found = 1 } END { exit !found }' "$tmp/list" &&
            ! grep -qF -- "$url" "$tmp/body"; then
            echo "FAIL: $n: $url is neither in the Links list nor in the text" >&2
            fail=1
        fi
    done <"$tmp/urls"
    # Numbers 1..N, each referenced as "[n]" before the list.
    i=0
    while read -r num url; do
        i=$((i + 1))
        [ "$num" = "$i" ] || { echo "FAIL: $n: link $num listed as number $i" >&2; fail=1; }
        grep -qF "[$num]" "$tmp/body" ||
            { echo "FAIL: $n: [$num] ($url) is never referenced" >&2; fail=1; }
    done <"$tmp/list"
    # An article cites papers but has none of its own.
    kind=$("$FOLIO" dump "$f" | sed -n 's/^  kind: //p')
    [ "$kind" = article ] && continue
    for id in $(grep -oE 'arxiv\.org/abs/[0-9]{4}\.[0-9]{4,5}' "$f" | sed 's|.*/||' | sort -u); do
        grep -qx "arXiv: $id.*" "$out" || { echo "FAIL: $n: no 'arXiv: $id' line" >&2; fail=1; }
    done
done
[ "$checked" -ge 30 ] || { echo "FAIL: only $checked URLs found in the inputs" >&2; fail=1; }
[ $fail = 0 ] && echo "ok: $checked URLs listed"
exit $fail
