#!/bin/bash
# Decisions made once in the core and lent to plugins: a source line end
# between two Chinese or Japanese characters is no space, between Korean
# words or emoji it is one, in every format alike.
. "$TESTS/lib.sh"
IN="$TESTS/core/cases/2025-11-20-line-joins.md"

check_joins() { # FORMAT TEXT
    grep -q "中文的句子继续写。" <<< "$2" && ok "$1: Han lines joined" || fail "$1: Han lines not joined"
    grep -q "ひらがなの文つづき。" <<< "$2" && ok "$1: kana lines joined" || fail "$1: kana lines not joined"
    grep -q "한국어 문장은 띄어 씁니다." <<< "$2" && ok "$1: Hangul lines keep a space" || fail "$1: Hangul lines joined"
    grep -q "😀 😀" <<< "$2" && ok "$1: emoji lines keep a space" || fail "$1: emoji lines joined"
    grep -q "ＡＢ（注）" <<< "$2" && ok "$1: fullwidth forms joined" || fail "$1: fullwidth forms not joined"
}

run "$FOLIO" convert -t txt -o - "$IN"
expect_status 0 "txt written"
check_joins txt "$out"

run "$FOLIO" convert -t epub -o "$T/j.epub" "$IN"
expect_status 0 "epub written"
x=$(unzip -p "$T/j.epub" '*.xhtml' | sed 's/<[^>]*>//g' | tr '\n' ' ')
check_joins epub "$x"

if command -v pdftotext > /dev/null; then
    run "$FOLIO" convert -t pdf -o "$T/j.pdf" "$IN"
    expect_status 0 "pdf written"
    x=$(pdftotext "$T/j.pdf" - 2> /dev/null | tr -d '\n')
    grep -q "中文的句子继续写。" <<< "$x" && ok "pdf: Han lines joined" || fail "pdf: Han lines not joined"
fi

# Labels: a Korean book's contents are 목차 in both; a Chinese digest
# counts "N 篇论文".
K1="$SRC/samples/2025-11-03-daily-papers.md" K2="$SRC/samples/2025-11-06-no-front-matter.md"
run "$FOLIO" convert -t epub -o "$T/ko.epub" "$K1" "$K2"
expect_status 0 "Korean epub book written"
nav=$(unzip -p "$T/ko.epub" '*nav.xhtml')
grep -q "<h1>목차</h1>" <<< "$nav" && ok "epub: contents are 목차" || fail "epub: contents not 목차"
grep -q "논문 [0-9]*편" <<< "$(unzip -p "$T/ko.epub" '*title.xhtml')" && ok "epub: Korean paper count" || fail "epub: Korean paper count"
if command -v pdftotext > /dev/null; then
    run "$FOLIO" convert -t pdf -o "$T/ko.pdf" "$K1" "$K2"
    expect_status 0 "Korean pdf book written"
    x=$(pdftotext "$T/ko.pdf" - 2> /dev/null)
    grep -q "목차" <<< "$x" && ok "pdf: contents are 목차" || fail "pdf: contents not 목차"
    run "$FOLIO" convert -t pdf -o "$T/zh.pdf" "$SRC/samples/2025-11-05-daily-papers-zh.md"
    x=$(pdftotext "$T/zh.pdf" - 2> /dev/null | tr -d ' ')
    grep -q "[0-9]篇论文" <<< "$x" && ok "pdf: Chinese paper count" || fail "pdf: Chinese paper count"
fi
run "$FOLIO" convert -t epub -o "$T/zh.epub" "$SRC/samples/2025-11-05-daily-papers-zh.md" "$IN"
grep -q "[0-9] 篇论文" <<< "$(unzip -p "$T/zh.epub" '*title.xhtml')" && ok "epub: Chinese paper count" || fail "epub: Chinese paper count"

# Raw HTML as text: inline tags vanish, script, style and comments go
# whole, entities decode, <br> breaks the line; txt and PDF agree.
H="$TESTS/core/cases/2025-11-21-raw-html.md"
run "$FOLIO" convert -t txt -o - "$H"
expect_out "^keepboldtext — AB 'q' end$" "txt: raw HTML as text"
expect_out "^next$" "txt: <br> breaks the line"
grep -q "alert\|gone\|hidden\|p{}" <<< "$out" && fail "txt: script, style or comment shown" || ok "txt: script, style and comment dropped"
if command -v pdftotext > /dev/null; then
    run "$FOLIO" convert -t pdf -o "$T/h.pdf" "$H"
    x=$(pdftotext "$T/h.pdf" - 2> /dev/null)
    grep -qx "keepboldtext — AB 'q' end" <<< "$x" && ok "pdf: raw HTML as text, as txt" || fail "pdf: raw HTML text differs"
    grep -q "alert\|gone\|hidden" <<< "$x" && fail "pdf: script or comment shown" || ok "pdf: script and comment dropped"
fi

# Link blocks: both link paragraphs are the paper's links, shown once on
# its links line and not again in the body.
L="$TESTS/core/cases/2025-11-22-two-link-paragraphs.md"
run "$FOLIO" convert -t txt -o - "$L"
[ "$(grep -c "Project" <<< "$out")" = 1 ] && ok "txt: second link paragraph shown once" || fail "txt: second link paragraph shown $(grep -c Project <<< "$out") times"
run "$FOLIO" convert -t epub -o "$T/l.epub" "$L"
[ "$(unzip -p "$T/l.epub" '*.xhtml' | grep -o 'href="https://example.org/second-link"' | wc -l)" = 1 ] && ok "epub: second link paragraph shown once" || fail "epub: second link paragraph repeated"
if command -v pdftotext > /dev/null; then
    run "$FOLIO" convert -t pdf -o "$T/l.pdf" "$L"
    [ "$(pdftotext "$T/l.pdf" - 2> /dev/null | grep -o "Project" | wc -l)" = 1 ] && ok "pdf: second link paragraph shown once" || fail "pdf: second link paragraph repeated"
fi
finish
