#!/bin/bash
# md round trips.  For every sample, hostile case, a generated month and
# the merged book of the samples, x -> md(x) -> md(md(x)):
#   - `folio dump` of x and md(x) are identical (md(x) is written under the
#     same file name in another directory: without front matter the title
#     and date come from the name);
#   - md(md(x)) == md(x) byte for byte.
. "$TESTS/lib.sh"
mkdir -p "$T/in" "$T/one" "$T/two"
cp "$SRC"/samples/*.md "$TESTS"/md/cases/*.md "$TESTS"/kramdown/posts/*.md "$T/in/"
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
# Pathological structure (smaller cousins of tests/hostile's cases).
gen() { awk "BEGIN { $2 }" > "$T/in/$1.md"; }
gen deep-quotes 'for (i = 0; i < 300; i++) printf "> "; print "deep"'
gen deep-lists 'for (i = 0; i < 300; i++) printf "- "; print "deep"'
gen nested-emph 'for (i = 0; i < 3000; i++) printf "*a **a "; printf "b"; for (i = 0; i < 3000; i++) printf " a** a*"; print ""'
gen backticks 'for (i = 1; i < 300; i++) { printf "e"; for (k = 0; k < i; k++) printf "`" }; print ""'
gen footnotes 'for (i = 0; i < 2000; i++) printf "[^%d]", i; print "\n"; for (i = 0; i < 2000; i++) printf "[^%d]: x\n", i'
gen wide-table 'printf "|"; for (i = 0; i < 1000; i++) printf "a|"; printf "\n|"; for (i = 0; i < 1000; i++) printf "-|"; print ""; for (r = 0; r < 5; r++) { printf "|"; for (i = 0; i < 1000; i++) printf "x|"; print "" }'
(cd "$SRC/samples" && limit "$FOLIO" convert -q -t md -o "$T/in/book.md" ./*.md) ||
    fail "binding the samples into one book"
n=$(ls "$T"/in/*.md | wc -l)
[ "$n" -ge 92 ] || fail "only $n inputs"

# One process per direction for all files: -d keeps the names.
(cd "$T/in" && limit "$FOLIO" convert -q -t md -d "$T/one" ./*.md) ||
    fail "md of the inputs"
(cd "$T/one" && limit "$FOLIO" convert -q -t md -d "$T/two" ./*.md) ||
    fail "md of md"
# The dumps compare IRs, two processes a file: under valgrind (which checks
# the conversions above) they run natively.
DUMP=${FOLIO_REAL:-$FOLIO}
same_ir=0 fixed=0
for f in "$T"/in/*.md; do
    name=$(basename "$f")
    # stdout only: warnings about the input (nesting flattened, runs read
    # as text) rightly do not repeat for its normalised copy.
    a=$(cd "$T/in" && "$DUMP" dump "$name" 2>/dev/null)
    b=$(cd "$T/one" && "$DUMP" dump "$name" 2>/dev/null)
    if [ -z "$a" ]; then
        fail "no IR for $name"
    elif [ "$a" = "$b" ]; then
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
