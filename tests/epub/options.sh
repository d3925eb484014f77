#!/bin/bash
# -O epub.cover, epub.css and epub.toc-depth, and their errors.
. "$TESTS/lib.sh"
INSPECT=$1
bash "$SRC/samples/gen-month.sh" "$T/m" 3 > /dev/null
in=("$T"/m/*.md)

run "$FOLIO" convert -O epub.cover=no -o "$T/nocover.epub" "${in[@]}"
expect_status 0 "epub.cover=no"
"$INSPECT" "$T/nocover.epub" | grep -q 'title.xhtml' && fail "title page still there" || ok "no title page member"
opf=$("$INSPECT" "$T/nocover.epub" OEBPS/content.opf)
grep -q 'title.xhtml\|idref="title"' <<< "$opf" && fail "title page in the package" || ok "no title page in manifest or spine"
grep -q 'titlepage' < <("$INSPECT" "$T/nocover.epub" OEBPS/nav.xhtml) && fail "landmark to a missing title page" || ok "no title page landmark"
run "$FOLIO" convert -O epub.cover=yes -o "$T/cover.epub" "${in[@]}"
"$INSPECT" "$T/cover.epub" | grep -q 'OEBPS/title.xhtml' && ok "epub.cover=yes" || fail "epub.cover=yes: no title page"

printf '@charset "UTF-8";\np.user-rule { color: red; }\n' > "$T/extra.css"
run "$FOLIO" convert -O epub.css="$T/extra.css" -o "$T/css.epub" "${in[@]}"
expect_status 0 "epub.css"
css=$("$INSPECT" "$T/css.epub" OEBPS/style.css)
tail -3 <<< "$css" | grep -q 'p.user-rule { color: red; }' && ok "user stylesheet appended" || fail "user rule missing"
[ "$(grep -c '@charset' <<< "$css")" = 1 ] && head -1 <<< "$css" | grep -q '^@charset' && ok "one @charset, first" || fail "@charset"
grep -q 'word-break: keep-all' <<< "$css" && ok "built-in rules kept" || fail "built-in stylesheet lost"

for d in 1 2 3; do
    run "$FOLIO" convert -O epub.toc-depth=$d -o "$T/d$d.epub" "${in[@]}"
    expect_status 0 "epub.toc-depth=$d"
    nav=$("$INSPECT" "$T/d$d.epub" OEBPS/nav.xhtml)
    p=$(grep -c 'xhtml#p[0-9]*"' <<< "$nav") s=$(grep -c 'xhtml#p[0-9]*-s[0-9]*"' <<< "$nav")
    case $d in
    1) [ "$p" = 0 ] && [ "$s" = 0 ] ;;
    2) [ "$p" = 27 ] && [ "$s" = 0 ] ;;
    3) [ "$p" = 27 ] && [ "$s" -gt 0 ] ;;
    esac && ok "depth $d: $p papers, $s sections" || fail "depth $d: $p papers, $s sections"
    grep -q "<meta name=\"dtb:depth\" content=\"$d\"/>" < <("$INSPECT" "$T/d$d.epub" OEBPS/toc.ncx) &&
        ok "NCX depth $d" || fail "NCX depth for toc-depth=$d"
done

bad() { # description option... ; wants a failure with a message, no output
    local what=$1; shift
    rm -f "$T/bad.epub"
    run "$FOLIO" convert "$@" -o "$T/bad.epub" "${in[@]}"
    [ "$status" != 0 ] && [ ! -e "$T/bad.epub" ] && ok "$what refused" || fail "$what: exit $status"
}
bad "epub.cover=maybe" -O epub.cover=maybe
expect_err 'epub.cover=maybe: expected yes or no' "cover message"
bad "epub.toc-depth=4" -O epub.toc-depth=4
expect_err 'epub.toc-depth=4: expected 1, 2 or 3' "toc-depth message"
bad "epub.toc-depth=x" -O epub.toc-depth=x
bad "a missing stylesheet" -O epub.css="$T/nope.css"
expect_err 'nope.css.*cannot read stylesheet' "stylesheet message"
# A disk that fills up (a file size limit): the spool, the nav or the NCX
# cannot be written.
bash "$SRC/samples/gen-month.sh" "$T/big" 12 > /dev/null
for kib in 40 80; do
    rm -f "$T/bad.epub"
    (trap '' XFSZ; ulimit -f $kib; "$FOLIO" convert -o "$T/bad.epub" "$T"/big/*.md) > /dev/null 2> "$T/err"
    st=$?
    [ $st = 1 ] && [ ! -e "$T/bad.epub" ] && grep -q 'error: cannot write' "$T/err" &&
        ok "write failure at $kib KiB: exit 1, reported, no output" || fail "write failure at $kib KiB: exit $st: $(head -3 "$T/err")"
done
left=$(find "$T" -name '.folio-epub-*' -o -name '.bad.epub.*')
[ -z "$left" ] && ok "nothing left behind after failures" || fail "left: $left"
finish
