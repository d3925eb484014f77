#!/usr/bin/env bash
# -O txt.width: 20..1000 accepted and obeyed; anything else is an error
# (exit 2, a usage error: one message naming the option, no output file).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
in=$SRC/samples/2025-11-04-paper-notes.md
fail=0

for w in abc '' 19 0 1001 72x -40 ' 40' 99999999999999999999; do
    rc=0
    "$FOLIO" convert -t txt -O "txt.width=$w" -o "$tmp/out.txt" "$in" 2>"$tmp/err" || rc=$?
    if [ "$rc" != 2 ]; then
        echo "FAIL: -O txt.width='$w' exited $rc, not 2" >&2
        fail=1
    fi
    grep -q 'txt.width' "$tmp/err" || { echo "FAIL: -O txt.width='$w': no message naming the option" >&2; fail=1; }
    [ ! -e "$tmp/out.txt" ] || { echo "FAIL: -O txt.width='$w' left an output file" >&2; fail=1; }
    rm -f "$tmp/out.txt"
done

# Narrower means more lines; 1000 leaves the preamble on one line.
prev=0
for w in 1000 72 33 20; do
    "$FOLIO" convert -t txt -O "txt.width=$w" -o "$tmp/$w.txt" "$in"
    n=$(wc -l <"$tmp/$w.txt")
    [ "$n" -gt "$prev" ] || { echo "FAIL: width $w gives $n lines, not more than $prev" >&2; fail=1; }
    prev=$n
done
grep -q '^Three papers caught my eye.*corrections are welcome\.$' "$tmp/1000.txt" ||
    { echo "FAIL: width 1000 still wraps the preamble" >&2; fail=1; }
cmp -s "$tmp/72.txt" <("$FOLIO" convert -t txt -o - "$in") ||
    { echo "FAIL: the default width is not 72" >&2; fail=1; }
[ $fail = 0 ] && echo "ok: txt.width validated"
exit $fail
