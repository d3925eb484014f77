#!/bin/bash
# md golden files, byte exact: every sample and hostile case converted
# alone (expected/NAME.md), and all samples bound into one book with -o
# (expected/book.md).  REGEN=1 rewrites the expected files.  Run with the
# default parallelism: byte-exact goldens also guard the core's cmark-gfm
# lock (parallel parses once lost strikethrough and autolinks).
. "$TESTS/lib.sh"
exp="$TESTS/md/expected"
check() { # NAME GOT
    if [ "${REGEN:-}" = 1 ]; then
        cp "$2" "$exp/$1"
    elif cmp -s "$exp/$1" "$2"; then
        ok "$1 matches"
    else
        fail "$1 differs from expected/$1:"
        diff -u "$exp/$1" "$2" | head -30
    fi
}

for f in "$SRC"/samples/*.md "$TESTS"/md/cases/*.md; do
    name=$(basename "$f")
    run "$FOLIO" convert -t md -o "$T/$name" "$f"
    expect_status 0 "convert $name"
    check "$name" "$T/$name"
done

# Run from the samples directory so the book holds no absolute paths.
(cd "$SRC/samples" && limit "$FOLIO" convert -q -t md -o "$T/book.md" ./*.md)
[ $? = 0 ] || fail "binding the samples into one book"
check book.md "$T/book.md"

# To stdout as well, and one output per input with -d.
run "$FOLIO" convert -t md -o - "$SRC/samples/2025-11-04-paper-notes.md"
if [ "$out" = "$(cat "$exp/2025-11-04-paper-notes.md")" ]; then
    ok "-o - writes the same to stdout"
else fail "-o - differs from the file output"; fi
run "$FOLIO" convert -t md -d "$T/dir" "$SRC"/samples/*.md
expect_status 0 "-d writes one file per input"
for f in "$SRC"/samples/*.md; do
    name=$(basename "$f")
    cmp -s "$T/dir/$name" "$exp/$name" || fail "-d output of $name differs"
done
finish
