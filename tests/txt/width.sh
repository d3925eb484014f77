#!/usr/bin/env bash
# Every line of every txt output fits its width (display columns, Hangul
# and Han counting two) unless it is a lone token wider than a line; heading
# rules as wide as the text above them, never past the width; no
# trailing spaces, no control characters, one line end at the end.
# Over the samples, cases and posts, a generated month, at widths 72, 40 and 20.
#   width.sh path/to/txt_widthcheck
set -eu
check=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/w72" "$tmp/w40" "$tmp/w20"

# The checker itself must catch what it is for.
printf 'ok line\n%s\n' "$(printf 'word %.0s' $(seq 20))" >"$tmp/bad1"
printf '가나다라마바사아자차카타파하 가나다라마바사아자차카타파하\n' >"$tmp/bad2"
printf 'trailing space \n' >"$tmp/bad3"
printf 'no final line end' >"$tmp/bad4"
printf 'esc \033[31m red\n' >"$tmp/bad5"
# Heading rules: never past the width, even under a lone long token, and
# exactly as wide as the text above (display columns).
printf 'https://example.com/%s\n%s\n' "$(printf 'x%.0s' $(seq 50))" \
    "$(printf -- '-%.0s' $(seq 70))" >"$tmp/bad6"
printf '가나다\n===\n' >"$tmp/bad7"
for b in bad1 bad2 bad3 bad4 bad5 bad6 bad7; do
    if "$check" 40 "$tmp/$b" >/dev/null 2>&1; then
        echo "FAIL: the width checker accepts $b" >&2
        exit 1
    fi
done
printf '%s\n' '- [1] https://example.com/a/long/url/that/is/wider/than/forty/columns' \
    '> https://example.com/another/long/url/wider/than/forty' \
    "https://example.com/$(printf 'x%.0s' $(seq 50))" "$(printf -- '-%.0s' $(seq 40))" \
    '' '가나다 title' '============' >"$tmp/good"
"$check" 40 "$tmp/good" >/dev/null || { echo "FAIL: checker rejects a lone token" >&2; exit 1; }

for f in "$SRC"/samples/*.md "$SRC"/tests/txt/cases/*.md "$SRC"/tests/txt/posts/*.md; do
    n=$(basename "$f" .md)
    "$FOLIO" convert -t txt -o "$tmp/w72/$n.txt" "$f"
    "$FOLIO" convert -t txt -O txt.width=40 -o "$tmp/w40/$n.txt" "$f"
    "$FOLIO" convert -t txt -O txt.width=20 -o "$tmp/w20/$n.txt" "$f"
done

bash "$SRC/samples/gen-month.sh" "$tmp/month" 30 >/dev/null
"$FOLIO" convert -t txt -d "$tmp/m72" "$tmp/month"
"$FOLIO" convert -t txt -O txt.width=40 -d "$tmp/m40" "$tmp/month"
"$FOLIO" convert -t txt -O txt.width=40 -o "$tmp/w40/month.txt" "$tmp/month"
n72=$(find "$tmp/m72" -name "*.txt" | wc -l)
[ "$n72" = 30 ] || { echo "FAIL: $n72 outputs for 30 generated digests" >&2; exit 1; }

"$check" 72 "$tmp"/w72/*.txt "$tmp"/m72/*.txt >"$tmp/log72"
"$check" 40 "$tmp"/w40/*.txt "$tmp"/m40/*.txt >"$tmp/log40"
"$check" 20 "$tmp"/w20/*.txt >"$tmp/log20"
lines=$(cat "$tmp"/log* | awk '{ n += $2 } END { print n }')
files=$(cat "$tmp"/log* | wc -l)
echo "ok: $files outputs, $lines lines within their widths"
