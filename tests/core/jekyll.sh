#!/bin/bash
# What a Jekyll blog shows, where folio used to differ: the title of a post
# without one, the arXiv version as written, sections a level deeper than
# expected, and Liquid page variables in the text.
. "$TESTS/lib.sh"
ulimit -t 120
S="$SRC/samples"
field() { "$FOLIO" dump "$1" | sed -n "s/^  $2: //p" | head -1; }

# The title from the file name, as Jekyll's titleize_slug makes it.
t=$(field "$S/2025-11-06-no-front-matter.md" title)
[ "$t" = '"No Front Matter"' ] && ok "no front matter: slug titled" || fail "title $t"
name() { printf 'Some text.\n' > "$T/$1.md"; field "$T/$1.md" title; }
t=$(name "2025-1-5-gpt-4O_notes..")
[ "$t" = '"Gpt 4o Notes"' ] && ok "title: date, '_' and trailing dots" || fail "title $t"
t=$(name "reading-list")
[ "$t" = '"Reading List"' ] && ok "title: a name without a date" || fail "title $t"
t=$(name "2025-01-05")
[ "$t" = '"2025-01-05"' ] && ok "title: a name that is a date stays" || fail "title $t"
t=$("$FOLIO" dump - < "$T/reading-list.md" | sed -n 's/^  title: //p')
[ "$t" = '"stdin"' ] && ok "title: stdin" || fail "stdin title $t"
run "$FOLIO" convert -t txt -o - "$S/2025-11-06-no-front-matter.md"
expect_out '^No Front Matter$' "txt: the titled slug"
grep -q 'no-front-matter' <<< "$out" && fail "txt shows the file name" || ok "txt: no file name"

# The arXiv version, as written.
d=$("$FOLIO" dump "$S/2025-11-06-no-front-matter.md")
grep -q '^  arxiv: "2511.04012v2"$' <<< "$d" && ok "arXiv id keeps v2" || fail "arXiv v2 lost"
grep -q '^  arxiv: "2511.03877"$' <<< "$d" && ok "arXiv id without a version" || fail "arXiv id"
run "$FOLIO" convert -t txt -o - "$S/2025-11-06-no-front-matter.md"
expect_out 'arXiv: 2511\.04012v2' "txt shows arXiv:…v2"
printf -- '---\ntitle: A\ndate: 2025-11-01\n---\n# 1. [X](https://arxiv.org/abs/2511.04012v1)\n\nx\n' > "$T/a.md"
printf -- '---\ntitle: B\ndate: 2025-11-02\n---\n# 1. [X](https://arxiv.org/abs/2511.04012v2)\n\nx\n' > "$T/b.md"
run "$FOLIO" check "$T/a.md" "$T/b.md"
expect_err 'b\.md:5:1: warning: paper 2511\.04012 also appears in .*a\.md:5' "check: v1 and v2 are one paper"

# Sections a level deeper than expected.
d=$("$FOLIO" dump "$S/site/_posts/2025-11-10-figures.md")
roles=$(grep -o '^  section [a-z]*' <<< "$d" | awk '{print $2}' | tr '\n' ' ')
[ "$roles" = "introduction method results limitations conclusion " ] && ok "site: ### sections under # 1." ||
    fail "site roles: $roles"
post() { printf '%s\n' "$@" > "$T/$name.md"; }
name=skips
post "# 1. [A](https://arxiv.org/abs/2401.00001)" "#### Method" "x" "### Results" "y" \
    "# 2. [B](https://arxiv.org/abs/2401.00002)" "## Method" "#### Detail" "z" "## Results"
d=$("$FOLIO" dump "$T/$name.md")
s=$(grep -o '^paper [0-9]*\|^  section [a-z]* "[^"]*"' <<< "$d" | tr '\n' ' ')
[ "$s" = 'paper 1   section results "Results" paper 2   section method "Method"   section results "Results" ' ] &&
    ok "sections: the shallowest deeper level, per paper" || fail "sections: $s"
# Liquid page variables are shown; any other output stays hidden, with one
# warning a post naming the first.
run "$FOLIO" convert -t txt -o - "$S/2025-11-08-kramdown-notes.md"
expect_out 'Liquid output such as Notes on Kalman filters is replaced by' "kramdown sample: {{ page.title }}"
grep -q 'not shown' <<< "$err" && fail "kramdown sample warns: $err" || ok "kramdown sample: no warning"
run "$FOLIO" convert -t md -o - "$S/2025-11-08-kramdown-notes.md"
expect_out 'Liquid output such as \{\{ page\.title \}\} is replaced' "md keeps {{ page.title }} as written"
cat > "$T/2025-11-12-vars.md" << 'P'
---
title: "Liquid test"
date: 2025-11-12 08:30:00 +0900
author: Kim
tags: [alpha, beta]
venue: ICLR 2026
extra: [a, b]
---
Title {{ page.title }}, date {{page.date}}, by {{ page.author }}.
Tags {{ page.tags }}, cats [{{ page.categories }}], venue {{ page.venue | relative_url }}.
Hidden: {{ site.title }} and {{ page.title | upcase }} and {{ page.url }} and {{ page.extra }} and {{ page.nope }}.

{{ page.venue }}
P
run "$FOLIO" convert -t txt -o - "$T/2025-11-12-vars.md"
flat=$(tr '\n' ' ' <<< "$out")
grep -q 'Title Liquid test, date 2025-11-12 08:30:00 +0900, by Kim\. Tags alphabeta, cats \[\], venue ICLR 2026\.' <<< "$flat" &&
    ok "txt: page variables" || fail "txt: page variables: $out"
grep -q ' Hidden: and and and and \. ' <<< "$flat" && ok "txt: other Liquid hidden" || fail "txt: hidden: $out"
expect_out '^ICLR 2026$' "txt: a variable alone on its line"
expect_err '2025-11-12-vars\.md:11:9: warning: Liquid \{\{ site\.title \}\} not shown \(and 4 more in this post\)' "one warning, its line and column"
[ "$(grep -c 'Liquid' <<< "$err")" = 1 ] && ok "one Liquid warning" || fail "Liquid warnings: $err"
run "$FOLIO" convert -t md -o - "$T/2025-11-12-vars.md"
expect_out '^Title \{\{ page\.title \}\}, date \{\{page\.date\}\}, by \{\{ page\.author \}\}\.$' "md: Liquid as written"
expect_out '^\{\{ page\.venue \}\}$' "md: a Liquid line as written"
printf 'A {{ page.title }} and {{ page.date }}.\n' > "$T/2025-11-13-bare-notes.md"
run "$FOLIO" convert -t txt -o - "$T/2025-11-13-bare-notes.md"
expect_out '^A Bare Notes and 2025-11-13\.$' "no front matter: Jekyll's title, the name's date"
if command -v unzip > /dev/null; then
    "$FOLIO" convert -q -t epub -o "$T/v.epub" "$T/2025-11-12-vars.md" || fail "epub"
    unzip -p "$T/v.epub" '*.xhtml' | grep -q 'Title Liquid test, date 2025-11-12' &&
        ok "epub: page variables" || fail "epub lacks the page variables"
fi
if command -v pdftotext > /dev/null; then
    "$FOLIO" convert -q -t pdf -o "$T/v.pdf" "$T/2025-11-12-vars.md" || fail "pdf"
    pdftotext "$T/v.pdf" - | tr '\n' ' ' | grep -q 'Title Liquid test, date 2025-11-12 08:30:00 +0900, by Kim\.' &&
        ok "pdf: page variables" || fail "pdf lacks the page variables: $(pdftotext "$T/v.pdf" - | head -5)"
    pdftotext "$T/v.pdf" - | grep -qx 'ICLR 2026' && ok "pdf: a variable alone on its line" || fail "pdf: the Liquid line"
fi
finish
