#!/usr/bin/env bash
# Every sample and case converts byte for byte to tests/txt/expected/,
# alone, bound into a book, and bound at width 40.
# After an intended change: tests/txt/regen.sh, then read the diff.
set -eu
. "$TESTS/txt/outputs.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

txt_outputs "$tmp" 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
fail=0 n=0
for exp in "$TESTS"/txt/expected/*.txt; do
    name=$(basename "$exp")
    n=$((n + 1))
    if ! cmp -s "$exp" "$tmp/$name"; then
        echo "FAIL: $name differs from the golden:" >&2
        diff -u "$exp" "$tmp/$name" | head -40 >&2 || true
        fail=1
    fi
done
for out in "$tmp"/*.txt; do
    [ -e "$TESTS/txt/expected/$(basename "$out")" ] ||
        { echo "FAIL: no golden for $(basename "$out") (run tests/txt/regen.sh)" >&2; fail=1; }
done
[ "$n" -ge 7 ] || { echo "FAIL: only $n goldens" >&2; fail=1; }
[ $fail = 0 ] && echo "ok: $n goldens match"
exit $fail
