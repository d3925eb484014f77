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
finish
