#!/bin/bash
# A month bound with -o: a contents page first (one row a day, with the
# day's page number), each day starting a new page, page numbers running
# through, an outline book -> day -> paper.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

bash "$SRC/samples/gen-month.sh" "$T/month" 30 > /dev/null
run "$FOLIO" convert -t pdf -o "$T/month.pdf" "$T/month"
expect_status 0 "a month into one PDF"
M="$T/month.pdf"
pdf_valid "$M"
pdf_fonts_embedded "$M"
pages=$(pdf_pages "$M")
[ "$pages" -ge 31 ] && [ "$pages" -le 121 ] && ok "$pages pages" || fail "$pages pages for 30 days"

# Outline: the book, 30 days, 9 papers a day.
n=$(pdf_outlines "$M")
[ "$n" = 301 ] && ok "outline: book + 30 days + 270 papers" || fail "outline entries: $n, wanted 301"
qpdf --json --json-key=outlines "$M" | grep -q '"title": "Daily Papers — 2025-11-17"' &&
    ok "a day in the outline" || fail "day missing from the outline"

# The contents page: 30 rows "date title page"; each day begins on its
# page, with its title first; page numbers increase.
toc=$(pdftotext -q -layout -f 1 -l 1 "$M" -)
grep -q "목차" <<< "$toc" && ok "contents heading" || fail "no contents heading"
rows=$(grep -E "^ *2025-11-[0-9]{2} +Daily Papers .* 9편 +[0-9]+$" <<< "$toc")
[ "$(wc -l <<< "$rows")" = 30 ] && ok "30 contents rows" || fail "contents rows: $(wc -l <<< "$rows")"
prev=1 bad=0
while read -r date rest; do
    page=${rest##* }
    [ "$page" -gt "$prev" ] || bad=1
    prev=$page
    first=$(pdf_body "$M" "$page" "$page" | head -c 100)
    case "$first" in
    DailyPapers—"${date//-/}"*) ;; # pdf_body drops spaces and hyphens
    *) bad=1; echo "  page $page does not start $date: $first" ;;
    esac
    if [ "$page" -gt 2 ]; then # the page before is not the contents
        pdftotext -q -f $((page - 1)) -l $((page - 1)) -r 72 -x 0 -y 50 -W 600 -H 746 "$M" - |
            grep -q "Daily Papers — $date" && { bad=1; echo "  $date also on the page before"; }
    fi
done <<< "$rows"
[ $bad = 0 ] && ok "every day starts its own page, as the contents say" || fail "contents and day pages disagree"
[ "$prev" -le "$pages" ] && ok "last day on page $prev of $pages" || fail "last day past the end"

# Page numbers run through the whole book, contents included.
pdftotext -q -f 1 -l 1 "$M" - | grep -q "Page 1 of $pages" && ok "Page 1 of $pages" || fail "footer of page 1"
pdftotext -q -f "$pages" -l "$pages" "$M" - | grep -q "Page $pages of $pages" &&
    ok "Page $pages of $pages" || fail "footer of the last page"

# The contents rows are links to the days.
links=$(qpdf --stream-data=uncompress --object-streams=disable "$M" - | grep -a "/Subtype /Link" | grep -c "/Dest ")
[ "$links" -ge 30 ] && ok "$links internal links" || fail "internal links: $links"
finish
