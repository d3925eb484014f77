#!/bin/bash
# Markdown as Jekyll renders it: every sample and every post here, read by
# folio and by kramdown (Jekyll's renderer, GFM input, after the Liquid
# model of check.rb) must agree on bold text and on the words a reader
# sees (unless folio warned that the blog may show more), keep every TeX
# span byte for byte in the md output, and the md output must render to
# the same HTML as the original (whitespace aside).
. "$TESTS/lib.sh"
if ! ruby -rkramdown -rkramdown-parser-gfm -e '' 2> /dev/null; then
    fail "ruby-kramdown and ruby-kramdown-parser-gfm are needed (.ci/deps.sh test)"
    finish
fi
posts=0 bold=0 math=0 maths=0 same=0 strong_ir=0 strong_kd=0 words=0
for f in "$SRC"/samples/*.md "$TESTS"/kramdown/posts/*.md; do
    name=$(basename "$f")
    posts=$((posts + 1))
    run "$FOLIO" dump "$f"
    expect_status 0 "dump $name"
    printf '%s\n' "$out" > "$T/$name.ir"
    warned=$([ -n "$err" ] && echo 1)
    run "$FOLIO" convert -q -t md -o "$T/$name" "$f"
    expect_status 0 "md of $name"
    run "$FOLIO" dump "$T/$name"
    printf '%s\n' "$out" > "$T/$name.md.ir"
    (ulimit -t 60; FOLIO_WARNED=$warned ruby "$TESTS/kramdown/check.rb" "$f" "$T/$name" \
        "$T/$name.ir" "$T/$name.md.ir") > "$T/check" 2>&1
    rc=$?
    read -r _ ir html < <(grep '^bold ' "$T/check")
    [ -n "$ir" ] && [ "$ir" = "$html" ] && bold=$((bold + 1))
    strong_ir=$((strong_ir + ${ir:-0})) strong_kd=$((strong_kd + ${html:-0}))
    read -r _ kept total _ < <(grep '^math ' "$T/check")
    math=$((math + ${kept:-0})) maths=$((maths + ${total:-0}))
    grep -q '^html same' "$T/check" && same=$((same + 1))
    grep -q '^words same' "$T/check" && words=$((words + 1))
    if [ $rc = 0 ]; then
        ok "$name: kramdown agrees ($(paste -sd, "$T/check"))"
    else
        fail "$name: kramdown disagrees:"
        cat "$T/check"
    fi
done
echo "summary: bold count equal in $bold of $posts posts ($strong_ir bold in folio's IR," \
    "$strong_kd in kramdown's HTML);" \
    "words shown equal in $words of $posts;" \
    "math spans kept $math of $maths; republished HTML equal in $same of $posts"
[ "$posts" -ge 16 ] || fail "only $posts posts"
[ "$words" -ge 15 ] || fail "words equal in only $words posts"
[ "$maths" -ge 35 ] || fail "only $maths math spans"
finish
