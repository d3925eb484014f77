#!/bin/bash
# md round trips.  For every sample, hostile case, a generated month and
# the merged book of the samples, x -> md(x) -> md(md(x)):
#   - `folio dump` of x and md(x) are identical (md(x) is written under the
#     same file name in another directory: without front matter the title
#     and date come from the name);
#   - md(md(x)) == md(x) byte for byte.
# -j1: parallel parsing is not deterministic yet (see golden.sh).
. "$TESTS/lib.sh"
mkdir -p "$T/in" "$T/one" "$T/two"
cp "$SRC"/samples/*.md "$TESTS"/md/cases/*.md "$T/in/"
bash "$SRC/samples/gen-month.sh" "$T/month" 30 > /dev/null ||
    fail "gen-month.sh failed"
cp "$T"/month/*.md "$T/in/"
# Small tricky documents, one a line in printf %b notation (found by
# fuzzing: escapes, bare autolinks, emphasis runs, list and HTML edges).
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%b' "$line" > "$T/in/$(printf 'snippet-%03d' $i).md"
done < "$TESTS/md/snippets.txt"
[ "$i" -ge 50 ] || fail "only $i snippets"
(cd "$SRC/samples" && timeout 20 "$FOLIO" convert -j1 -q -t md -o "$T/in/book.md" ./*.md) ||
    fail "binding the samples into one book"
n=$(ls "$T"/in/*.md | wc -l)
[ "$n" -ge 86 ] || fail "only $n inputs"

# One process per direction for all files: -d keeps the names.
(cd "$T/in" && timeout 60 "$FOLIO" convert -j1 -q -t md -d "$T/one" ./*.md) ||
    fail "md of the inputs"
(cd "$T/one" && timeout 60 "$FOLIO" convert -j1 -q -t md -d "$T/two" ./*.md) ||
    fail "md of md"
same_ir=0 fixed=0
for f in "$T"/in/*.md; do
    name=$(basename "$f")
    a=$(cd "$T/in" && "$FOLIO" dump "$name" 2>&1)
    b=$(cd "$T/one" && "$FOLIO" dump "$name" 2>&1)
    if [ "$a" = "$b" ]; then
        same_ir=$((same_ir + 1))
    else
        fail "IR of md($name) differs from the IR of $name:"
        diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -20
    fi
    if cmp -s "$T/one/$name" "$T/two/$name"; then
        fixed=$((fixed + 1))
    else
        fail "md(md($name)) != md($name):"
        diff "$T/one/$name" "$T/two/$name" | head -20
    fi
done
ok "$same_ir of $n files keep their IR, $fixed of $n are fixpoints"

# The hostile case must really be hostile: escapes and odd constructs in
# the output, so a plugin that dropped them could not pass.
h="$T/one/2025-12-31-hostile.md"
for want in '1986\. A great year' '2025\) also' '\- not a bullet' \
    '\[not a link]' '2 \* 3 \* 4' '`a\|b`' '````' '~~~info `with` backticks' \
    '[spaces](<https://example.com/a b>)' '&#xA0;no-break' '> > nested quote' \
    '- [ ] ' '[^2]: Second note' 'Setext heading' '==='; do
    grep -qF -- "$want" "$h" || fail "hostile output lacks: $want"
done
finish
