#!/bin/bash
# The EPUB read back: member order and methods, container, package
# metadata, languages per document, and the table of contents' shape
# (book -> day -> paper -> section) for the samples, a generated month and
# a single digest.
. "$TESTS/lib.sh"
INSPECT=$1

# nav_depths FILE.epub: "DEPTH HREF" for every link of the toc nav, DEPTH
# being how many <ol> enclose it (the nav writes one tag per line).
nav_depths() {
    "$INSPECT" "$1" OEBPS/nav.xhtml | awk '
        /<nav epub:type="toc"/ { on = 1 }
        on && /<\/ol>/ { depth-- }
        on && /<ol/ { depth++ }
        on && match($0, /<a href="[^"]*"/) { print depth, substr($0, RSTART + 9, RLENGTH - 10) }
        /<\/nav>/ { on = 0 }'
}
# ids_unique FILE.epub MEMBER: no id twice in one document.
ids_unique() {
    local dup
    dup=$("$INSPECT" "$1" "$2" | grep -o ' id="[^"]*"' | sort | uniq -d)
    [ -z "$dup" ] || fail "$2: duplicate ids: $dup"
}

# ---------------------------------------------------------------- samples
# The four digests these checks were written for, then a single-paper
# review (d005) and an article (d006).
run "$FOLIO" convert -o "$T/book.epub" "$SRC"/samples/2025-11-0[3-6]-*.md \
    "$SRC"/samples/2025-11-09-paper-review-ko.md "$SRC"/samples/2025-11-10-tokenizer-notes.md
expect_status 0 "samples bound into one book"
B="$T/book.epub"
names=$("$INSPECT" "$B" | awk '{print $5}' | tr '\n' ' ')
want="mimetype META-INF/container.xml OEBPS/content.opf OEBPS/nav.xhtml OEBPS/toc.ncx OEBPS/style.css OEBPS/title.xhtml OEBPS/d001.xhtml OEBPS/d002.xhtml OEBPS/d003.xhtml OEBPS/d004.xhtml OEBPS/d005.xhtml OEBPS/d006.xhtml "
[ "$names" = "$want" ] && ok "members in order" || fail "members: $names"
"$INSPECT" "$B" | awk 'NR == 1 && $2 == "stored" && $5 == "mimetype" { ok = 1 } END { exit !ok }' &&
    ok "mimetype first and stored" || fail "mimetype not first or not stored"
"$INSPECT" "$B" | awk 'NR > 1 && $2 != "deflate" { bad = 1 } END { exit bad }' &&
    ok "other members deflated" || fail "a member is not deflated"
[ "$("$INSPECT" "$B" mimetype)" = "application/epub+zip" ] && ok "mimetype content" || fail "mimetype content"
"$INSPECT" "$B" META-INF/container.xml | grep -q 'full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"' &&
    ok "container points at the package" || fail "container.xml"

opf=$("$INSPECT" "$B" OEBPS/content.opf)
ncx=$("$INSPECT" "$B" OEBPS/toc.ncx)
uid=$(grep -o '<dc:identifier id="uid">urn:folio:[^<]*' <<< "$opf" | sed 's/.*>//')
[ -n "$uid" ] && ok "identifier $uid" || fail "no urn:folio identifier"
grep -q "<meta name=\"dtb:uid\" content=\"$uid\"/>" <<< "$ncx" && ok "NCX uid = OPF identifier" || fail "NCX uid differs"
[ "$(grep -c '<meta property="dcterms:modified">2025-12-03T00:00:00Z</meta>' <<< "$opf")" = 1 ] &&
    ok "dcterms:modified once, from SOURCE_DATE_EPOCH" || fail "dcterms:modified"
langs=$(grep -o '<dc:language>[^<]*' <<< "$opf" | sed 's/.*>//' | tr '\n' ' ')
[ "$langs" = "ko en zh " ] && ok "languages: book's first, then each digest's" || fail "dc:language: $langs"
grep -q '<dc:date>2025-11-10</dc:date>' <<< "$opf" && ok "dc:date" || fail "dc:date"
[ "$(grep -c '<dc:subject>papers</dc:subject>' <<< "$opf")" = 1 ] && grep -q '<dc:subject>论文</dc:subject>' <<< "$opf" &&
    ok "subjects from tags, once each" || fail "dc:subject"
grep -q '<dc:creator' <<< "$opf" && fail "creator without a book author" || ok "no creator when the book has no author"
spine=$(grep -o '<itemref idref="[^"]*"' <<< "$opf" | sed 's/.*="//; s/"//' | tr '\n' ' ')
[ "$spine" = "title nav d001 d002 d003 d004 d005 d006 " ] && ok "spine order" || fail "spine: $spine"
for pair in d001:ko d002:en d003:zh d004:ko d005:ko d006:en; do
    doc=${pair%:*} lang=${pair#*:}
    "$INSPECT" "$B" "OEBPS/$doc.xhtml" | grep -q "<html [^>]*xml:lang=\"$lang\" lang=\"$lang\">" &&
        ok "$doc in $lang" || fail "$doc: not marked $lang"
    ids_unique "$B" "OEBPS/$doc.xhtml"
done
nav=$("$INSPECT" "$B" OEBPS/nav.xhtml)
grep -q '<li xml:lang="en" lang="en"><a href="d002.xhtml"><span class="date">2025-11-04</span> · Paper Notes — November 4, 2025</a>' <<< "$nav" &&
    ok "a day in another language is marked, with its date" || fail "nav entry of the English digest"
grep -q '<a href="d002.xhtml#p2-s1">Summary</a>' <<< "$nav" && ok "bold-label sections in the toc" || fail "label sections"
# Every toc link lands on an id of its document.
while read -r depth href; do
    doc=${href%%#*} frag=${href#*#}
    [ "$doc" = "$href" ] && continue
    "$INSPECT" "$B" "OEBPS/$doc" | grep -q " id=\"$frag\"" || fail "toc link $href has no target"
done < <(nav_depths "$B")
ok "toc links have targets"
d2=$("$INSPECT" "$B" OEBPS/d002.xhtml)
grep -q '<a class="noteref" epub:type="noteref" href="#fn1" id="fnref1">1</a>' <<< "$d2" &&
    grep -q '<li id="fn1" epub:type="footnote"' <<< "$d2" && ok "footnotes as EPUB 3 notes" || fail "footnotes"
grep -q '<li class="task done"><span class="box">☑</span>' <<< "$d2" && grep -q '<span class="box">☐</span>' <<< "$d2" &&
    ok "task items as boxes" || fail "task items"
grep -q '<pre><code class="language-python"><span class="line">def select' <<< "$d2" && ok "code block" || fail "code block"
grep -q '<p class="paper-links"><a href="https://arxiv.org/abs/2511.02118">arXiv:2511.02118</a></p>' <<< "$d2" &&
    ok "arXiv id shown, linked" || fail "paper link line"
grep -q '<h1 class="digest-title">Paper Notes — November 4, 2025</h1>' <<< "$d2" &&
    [ "$(grep -c '<h1' <<< "$d2")" = 1 ] && ok "one h1: the digest's title (the lone heading is not repeated)" || fail "digest title"
d1=$("$INSPECT" "$B" OEBPS/d001.xhtml)
grep -q '<th class="al-r">' <<< "$d1" && grep -q '<td class="al-r">41.3</td>' <<< "$d1" && ok "tables with alignment" || fail "table"
grep -q '<a href="https://www.alphaxiv.org/ko/overview/2511.01234">Alphaxiv</a>' <<< "$d1" && ok "further links kept" || fail "Alphaxiv link"
grep -q '<blockquote>' <<< "$d1" && fail "the link quote was printed twice" || ok "link quote folded into the links line"
title=$("$INSPECT" "$B" OEBPS/title.xhtml)
grep -q '<p class="book-dates"><span class="date">2025-11-03</span> – <span class="date">2025-11-10</span></p>' <<< "$title" && grep -q '논문 13편' <<< "$title" &&
    ok "title page: dates and count" || fail "title page"

# Kinds of post: a single-paper review (d005) and an article (d006).
d5=$("$INSPECT" "$B" OEBPS/d005.xhtml)
d6=$("$INSPECT" "$B" OEBPS/d006.xhtml)
grep -q 'paper-title' <<< "$d5" && fail "the single paper repeats its title" || ok "single paper: no paper heading"
grep -q '<a href="https://arxiv.org/abs/2508.01472">arXiv:2508.01472</a>' <<< "$d5" &&
    ok "single paper: its link line" || fail "single paper link line"
[ "$(grep -c '<section class="part" id="p1-s[0-9]*">' <<< "$d5")" = 6 ] && grep -q '<h2>1. 서론 (Introduction)</h2>' <<< "$d5" &&
    ok "single paper: 6 sections as h2" || fail "single paper sections"
grep -qE 'paper-title|class="paper"|class="num"' <<< "$d6" && fail "the article has papers" || ok "article: no papers, no numbering"
[ "$(grep -c '<h2 id="s[0-9]*">' <<< "$d6")" = 5 ] && grep -q '<h2 id="s1">Attempt 1: plain byte pairs</h2>' <<< "$d6" &&
    grep -q '<h3>Setup</h3>' <<< "$d6" && ok "article: 5 top headings with ids" || fail "article headings"
# Contents: day -> section for a paper, day -> heading for an article.
nav=$("$INSPECT" "$B" OEBPS/nav.xhtml)
grep -q '<a href="d005.xhtml#p1-s3">3. 방법</a>' <<< "$nav" && ok "nav: paper day -> section" || fail "nav of the single paper"
grep -q '<a href="d006.xhtml#s5">Conclusion</a>' <<< "$nav" && ! grep -q 'd006.xhtml#p' <<< "$nav" &&
    ok "nav: article day -> heading" || fail "nav of the article"
run "$FOLIO" convert -o "$T/article.epub" "$SRC/samples/2025-11-10-tokenizer-notes.md"
expect_status 0 "one article"
"$INSPECT" "$T/article.epub" OEBPS/title.xhtml | grep -qE 'book-count|papers' && fail "article title page counts papers" ||
    ok "article title page: no paper count"

# ------------------------------------------------------------------ month
bash "$SRC/samples/gen-month.sh" "$T/month" 30 > /dev/null
run "$FOLIO" convert -o "$T/month.epub" "$T"/month/*.md
expect_status 0 "a month into one book"
M="$T/month.epub"
nav_depths "$M" > "$T/depths"
days=$(awk '$1 == 1' "$T/depths" | grep -c '^1 d[0-9]*\.xhtml$')
papers=$(awk '$1 == 2' "$T/depths" | grep -c '#p[0-9]*$')
sections=$(awk '$1 == 3' "$T/depths" | grep -c '#p[0-9]*-s[0-9]*$')
total=$(wc -l < "$T/depths")
[ "$days" = 30 ] && [ "$papers" = 270 ] && [ $((days + papers + sections)) = "$total" ] && [ "$sections" -gt 0 ] &&
    ok "toc: 30 days > 270 papers > $sections sections" || fail "toc shape: $days days, $papers papers, $sections sections of $total"
for i in $(seq -f %03g 1 30); do
    n=$(grep -c "^2 d$i\.xhtml#p[0-9]*$" "$T/depths")
    [ "$n" = 9 ] || fail "day $i has $n papers, not 9"
done
ok "9 papers under each day"
grep -q '<ol hidden="hidden">' < <("$INSPECT" "$M" OEBPS/nav.xhtml) && ok "sections hidden on the contents page" || fail "sections not hidden"
mncx=$("$INSPECT" "$M" OEBPS/toc.ncx)
points=$(grep -c '<navPoint ' <<< "$mncx")
[ "$points" = "$total" ] && ok "NCX has the same $points entries" || fail "NCX: $points navPoints, nav $total"
grep -o 'playOrder="[0-9]*"' <<< "$mncx" | sed 's/[^0-9]//g' | awk '$1 != NR { bad = 1 } END { exit bad }' &&
    ok "NCX playOrder 1..$points" || fail "NCX playOrder"
grep -q '<meta name="dtb:depth" content="3"/>' <<< "$mncx" && ok "NCX depth 3" || fail "NCX depth"
[ "$("$INSPECT" "$M" OEBPS/content.opf | grep -c '<itemref ')" = 32 ] && ok "spine: title, contents, 30 days" || fail "spine size"
"$INSPECT" "$M" OEBPS/title.xhtml | grep -q '<span class="date">2025-11-01</span> – <span class="date">2025-11-30</span>' && ok "title page date range" || fail "month title page"

# ---------------------------------------------------------- one digest
run "$FOLIO" convert -o "$T/one.epub" "$T/month/2025-11-07-daily-papers.md"
expect_status 0 "a single digest"
nav_depths "$T/one.epub" > "$T/one"
[ "$(awk '$1 == 1' "$T/one" | grep -c '#p[0-9]*$')" = 9 ] && [ "$(awk '$1 == 1' "$T/one" | wc -l)" = 9 ] &&
    ok "single digest: its papers at the top" || fail "single digest toc: $(head -3 "$T/one")"
"$INSPECT" "$T/one.epub" OEBPS/nav.xhtml | grep -q '<ol hidden' && fail "single digest hides sections" || ok "single digest shows sections"

# ------------------------------------------------ -d, stdout, leftovers
run "$FOLIO" convert -t epub -j 4 -d "$T/each" "$SRC"/samples/*.md
expect_status 0 "-d: one EPUB per digest"
for f in "$SRC"/samples/*.md; do
    e="$T/each/$(basename "$f" .md).epub"
    "$INSPECT" "$e" | awk 'NR == 1 && $5 == "mimetype" { ok = 1 } END { exit !ok }' || fail "$e missing or bad"
done
ok "each output is an EPUB"
mkdir "$T/tmpdir"
TMPDIR="$T/tmpdir" "$FOLIO" convert -t epub -o - "$SRC/samples/2025-11-03-daily-papers.md" > "$T/stdout.epub" 2> "$T/err" || fail "-o -: $(cat "$T/err")"
"$FOLIO" convert -o "$T/file.epub" "$SRC/samples/2025-11-03-daily-papers.md"
cmp -s "$T/stdout.epub" "$T/file.epub" && ok "-o - gives the same bytes" || fail "-o - differs from -o FILE"
left=$(find "$T" -name '.folio-epub-*'; ls -A "$T/tmpdir")
[ -z "$left" ] && ok "no temporary directories left" || fail "left behind: $left"
finish
