# shellcheck shell=bash
# Sourced by golden.sh and regen.sh: txt_outputs DIR writes every golden
# output into DIR.  Needs FOLIO (the binary) and SRC (the source tree).
txt_outputs() {
    local dir=$1 f
    local inputs=("$SRC"/samples/*.md "$SRC"/tests/txt/cases/*.md)
    # tests/txt/posts: alone only (they are not in the IR goldens' cases).
    for f in "${inputs[@]}" "$SRC"/tests/txt/posts/*.md; do
        "$FOLIO" convert -t txt -o - "$f" >"$dir/$(basename "$f" .md).txt" ||
            { echo "FAIL: folio convert -t txt $f" >&2; return 1; }
    done
    # All inputs bound into one book, at the default width and at 40.
    "$FOLIO" convert -t txt -o - "${inputs[@]}" >"$dir/book.txt" ||
        { echo "FAIL: book" >&2; return 1; }
    "$FOLIO" convert -t txt -O txt.width=40 -o - "${inputs[@]}" >"$dir/book-w40.txt" ||
        { echo "FAIL: book at width 40" >&2; return 1; }
}
