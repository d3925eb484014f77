#!/bin/bash
# The same inputs and SOURCE_DATE_EPOCH give the same bytes: runs at other
# times, into other directories, with other -j and in other time zones
# compare equal; member names are fixed and every member carries the
# SOURCE_DATE_EPOCH time.
. "$TESTS/lib.sh"
INSPECT=$1
export TZ=UTC # zip times are local times: read them back in UTC
bash "$SRC/samples/gen-month.sh" "$T/m" 5 > /dev/null
in=("$T"/m/*.md "$SRC"/samples/*.md)
mkdir "$T/a" "$T/b"
run "$FOLIO" convert -o "$T/a/book.epub" "${in[@]}"
expect_status 0 "first run"
sleep 1.1 # another second: file times of the temporary files differ
(cd "$T/b" && "$FOLIO" convert -j 1 -o other-name.epub "${in[@]}") || fail "second run"
cmp "$T/a/book.epub" "$T/b/other-name.epub" && ok "byte-identical" || fail "two runs differ"
for tz in KST-9 EST5EDT; do
    TZ=$tz "$FOLIO" convert -o "$T/$tz.epub" "${in[@]}" || fail "run in $tz"
    cmp -s "$T/a/book.epub" "$T/$tz.epub" && ok "the same in time zone $tz" || fail "time zone $tz changes the bytes"
done

"$INSPECT" "$T/a/book.epub" > "$T/list"
awk -v t="$SOURCE_DATE_EPOCH" '$4 != t { bad = 1; print "  " $0 } END { exit bad }' "$T/list" &&
    ok "every member dated SOURCE_DATE_EPOCH" || fail "member times differ from $SOURCE_DATE_EPOCH"
awk '{print $5}' "$T/list" | grep -vE '^(mimetype|META-INF/container\.xml|OEBPS/(content\.opf|nav\.xhtml|toc\.ncx|style\.css|title\.xhtml|d[0-9]{3}\.xhtml))$' > "$T/odd"
[ -s "$T/odd" ] && fail "unexpected member names: $(cat "$T/odd")" || ok "fixed member names"

SOURCE_DATE_EPOCH=1767225600 "$FOLIO" convert -o "$T/later.epub" "${in[@]}" || fail "run with another date"
"$INSPECT" "$T/later.epub" OEBPS/content.opf | grep -q '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' &&
    ok "another SOURCE_DATE_EPOCH changes dcterms:modified" || fail "dcterms:modified ignores SOURCE_DATE_EPOCH"
"$INSPECT" "$T/later.epub" | awk '$4 != 1767225600 { bad = 1 } END { exit bad }' && ok "and the member times" || fail "member times"
finish
