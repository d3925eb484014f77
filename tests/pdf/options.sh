#!/bin/bash
# Options and output handling: -O pdf.paper=letter, a bad paper size, an
# unknown key, the same bytes on every run (SOURCE_DATE_EPOCH), -d writes
# one PDF per input, -o FILE.pdf picks the format.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"
D="$SRC/samples/2025-11-03-daily-papers.md"

run "$FOLIO" convert -t pdf -o "$T/a4.pdf" "$D"
pdfinfo "$T/a4.pdf" 2> /dev/null | grep -q "^Page size: *595.276 x 841.89 pts (A4)" && ok "A4 by default" || fail "not A4"
run "$FOLIO" convert -t pdf -O pdf.paper=letter -o "$T/letter.pdf" "$D"
expect_status 0 "pdf.paper=letter"
pdfinfo "$T/letter.pdf" 2> /dev/null | grep -q "^Page size: *612 x 792 pts (letter)" && ok "letter pages" || fail "not letter"
pdf_valid "$T/letter.pdf"
[ "$(pdf_pages "$T/letter.pdf")" -le 3 ] && ok "letter: $(pdf_pages "$T/letter.pdf") pages" || fail "letter page count"

run "$FOLIO" convert -t pdf -O pdf.paper=b5 -o "$T/b5.pdf" "$D"
expect_status 1 "unknown paper size"
expect_err "pdf.paper: unknown page size 'b5'" "paper size named in the message"
[ ! -e "$T/b5.pdf" ] && ok "nothing written" || fail "output written for a bad paper size"

run "$FOLIO" convert -t pdf -O pdf.bogus=1 -o "$T/bogus.pdf" "$D"
expect_err "unknown option -O pdf.bogus" "unknown option warned about"

# Reproducible: the same input gives the same bytes.
run "$FOLIO" convert -t pdf -o "$T/again.pdf" "$D"
cmp -s "$T/a4.pdf" "$T/again.pdf" && ok "same bytes on a second run" || fail "output differs between runs"

# -d: one PDF per input, each one valid.
run "$FOLIO" convert -t pdf -d "$T/out" "$SRC/samples"
expect_status 0 "one PDF per input"
want=$(ls "$SRC"/samples/*.md | wc -l)
[ "$(ls "$T/out"/*.pdf | wc -l)" = "$want" ] && ok "$want PDFs" || fail "PDFs: $(ls "$T/out")"
for f in "$T/out"/*.pdf; do pdf_valid "$f"; done

# The format follows the -o extension.
run "$FOLIO" convert -o "$T/by-ext.pdf" "$D"
expect_status 0 "format from the .pdf extension"
head -c 5 "$T/by-ext.pdf" | grep -q "%PDF-" && ok "a PDF from the extension" || fail "not a PDF"
finish
