#!/bin/bash
# The samples as PDF handouts: valid, fonts embedded and subset, text that
# pdftotext gives back in reading order, an outline, safe borderless links,
# document info, ink on the page, nothing past the margins; a digest the
# size of the reference on at most 4 A4 pages; the same bytes whether a
# digest is converted alone or in a parallel batch (fonts and widths are
# shared across documents of one process).
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"
S="$SRC/samples"

for f in "$S"/*.md; do
    b=$(basename "$f" .md)
    run "$FOLIO" convert -t pdf -o "$T/$b.pdf" "$f"
    expect_status 0 "convert $b"
    pdf_valid "$T/$b.pdf"
    pdf_fonts_embedded "$T/$b.pdf"
    pdf_in_page "$T/$b.pdf"
done

# pdftotext gives back the Korean and Chinese sentences, in order.
pdf_has_sentences "$T/2025-11-03-daily-papers.pdf" "$S/2025-11-03-daily-papers.md" 20
pdf_has_sentences "$T/2025-11-05-daily-papers-zh.pdf" "$S/2025-11-05-daily-papers-zh.md" 15
pdf_has_sentences "$T/2025-11-06-no-front-matter.pdf" "$S/2025-11-06-no-front-matter.md" 15
body=$(pdf_body "$T/2025-11-03-daily-papers.pdf")
first=$(grep -bo "TempRoute는각토큰의" <<< "$body" | head -1 | cut -d: -f1)
last=$(grep -bo "KoDocVQA는한국어문서" <<< "$body" | head -1 | cut -d: -f1)
[ -n "$first" ] && [ -n "$last" ] && [ "$first" -lt "$last" ] &&
    ok "paper 1 comes before paper 4 in the text" || fail "reading order: $first $last"

# The emoji of sample 03 is drawn from a face that has it (Symbola, from
# fonts-symbola), or else reported once, never drawn as garbage.
run "$FOLIO" convert -t pdf -o "$T/again.pdf" "$S/2025-11-03-daily-papers.md"
if fc-list ':charset=1f3b5:fontformat=TrueType' family | grep -q .; then
    [ "$(grep -c "U+1F3B5" <<< "$err")" = 0 ] && pdftotext -q "$T/again.pdf" - | grep -qF "🎵" &&
        ok "emoji drawn" || fail "emoji: $err"
else
    [ "$(grep -c "U+1F3B5" <<< "$err")" = 1 ] && ok "emoji reported once" || fail "emoji warning: $err"
fi

# Outline: the digest, then its papers; non-ASCII titles readable.
n=$(pdf_outlines "$T/2025-11-03-daily-papers.pdf")
[ "$n" = 5 ] && ok "outline: digest + 4 papers" || fail "outline entries: $n, wanted 5"
qpdf --json --json-key=outlines "$T/2025-11-05-daily-papers-zh.pdf" | grep -qF '"title": "每日论文速递 — 2025-11-05"' &&
    ok "Chinese outline title" || fail "Chinese outline title not found"

# Links: every paper URL is a live link; only http(s)/mailto; no border.
# A link drawn on several lines shares one URI action (/A) among its
# annotations: those actions are read too.
q=$(qpdf --stream-data=uncompress --object-streams=disable "$T/2025-11-03-daily-papers.pdf" - | grep -a "/Subtype /Link\|/S /URI")
for id in 2511.01234 2511.00872 2510.27741 2511.01590; do
    grep -qF "/URI (https://arxiv.org/abs/$id)" <<< "$q" && ok "link to $id" || fail "no link to $id"
done
grep -qF "/URI (https://www.alphaxiv.org/ko/overview/2511.01234)" <<< "$q" && ok "Alphaxiv link" || fail "no Alphaxiv link"
[ -z "$(grep -v '/URI (\(https\?\|mailto\):' <<< "$q" | grep -v '/A [0-9]* 0 R')" ] &&
    ok "only http(s)/mailto links" || fail "other links present"
[ -z "$(grep -F '/Subtype /Link' <<< "$q" | grep -vF '/Border [ 0 0 0 ]')" ] && ok "links have no border" || fail "a link with a border"

# Document info: title, subject, dates from SOURCE_DATE_EPOCH.
info=$(pdfinfo -isodates "$T/2025-11-03-daily-papers.pdf" 2> /dev/null)
grep -q "^Title: *Daily Papers — 2025-11-03$" <<< "$info" && ok "info title" || fail "info title: $info"
grep -q "^Subject: *Research paper digest" <<< "$info" && ok "info subject" || fail "info subject"
grep -q "^CreationDate: *2025-12-03T00:00:00Z" <<< "$info" && ok "creation date from SOURCE_DATE_EPOCH" || fail "creation date: $info"
run "$FOLIO" convert -t pdf --author "Kim Minji" -o "$T/author.pdf" "$S/2025-11-05-daily-papers-zh.md"
pdfinfo "$T/author.pdf" 2> /dev/null | grep -q "^Author: *Kim Minji$" && ok "info author" || fail "info author"

# The page is drawn on: ink, but not a black page.
ink=$(pdf_ink "$T/2025-11-03-daily-papers.pdf" 1)
[ "$ink" -ge 10 ] && [ "$ink" -le 400 ] && ok "page 1 has ink ($ink per mille)" || fail "page 1 ink: $ink per mille"
ink=$(pdf_ink "$T/2025-11-05-daily-papers-zh.pdf" 1)
[ "$ink" -ge 10 ] && [ "$ink" -le 400 ] && ok "Chinese page has ink ($ink per mille)" || fail "Chinese page ink: $ink per mille"

# Compact: a digest the size of the reference (9 papers, ~20 KB of
# Korean) fits on at most 4 A4 pages, with a header and "Page X of Y".
bash "$S/gen-month.sh" "$T/one" 1 > /dev/null
one=$(ls "$T"/one/*.md)
[ "$(wc -c < "$one")" -ge 18000 ] && ok "generated digest is reference-sized" || fail "generated digest too small"
run "$FOLIO" convert -t pdf -o "$T/one.pdf" "$one"
expect_status 0 "convert a reference-sized digest"
p=$(pdf_pages "$T/one.pdf")
[ "$p" -le 4 ] && ok "reference-sized digest on $p pages" || fail "reference-sized digest on $p pages (> 4)"
[ "$(pdf_outlines "$T/one.pdf")" = 10 ] && ok "outline: digest + 9 papers" || fail "outline of the generated digest"
pdftotext -q -f "$p" -l "$p" "$T/one.pdf" - | grep -q "Page $p of $p" && ok "footer Page $p of $p" || fail "footer missing"
pdftotext -q -f 2 -l 2 -y 0 -H 48 -W 600 -x 0 "$T/one.pdf" - | grep -q "Daily Papers — 2025-11-01" &&
    ok "running header on page 2" || fail "running header missing"
pdf_has_sentences "$T/one.pdf" "$one" 60

# A parallel batch gives the same bytes as converting each alone.
run "$FOLIO" convert -t pdf -j 2 -d "$T/batch" "$S"
expect_status 0 "parallel batch"
for f in "$S"/*.md; do
    b=$(basename "$f" .md)
    cmp -s "$T/$b.pdf" "$T/batch/$b.pdf" && ok "$b identical in a batch" || fail "$b differs in a batch"
done
finish
