#!/bin/bash
# Input the IR must tame: character references and YAML escapes to code
# points XML forbids, file names that are not UTF-8, and the positions of
# messages (front-matter line breaks libyaml counts, CR and CRLF line
# endings, byte order marks, UTF-16).  Every output is valid UTF-8 without
# forbidden code points; messages carry exact path:line:col.
. "$TESTS/lib.sh"
I="$T/in"; mkdir -p "$I"

# Valid UTF-8 holding no C0 control but tab/LF/CR, no surrogate and no
# noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
clean_text() { # file
    iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1 || return 1
    ! LC_ALL=C grep -aqP '[\x00-\x08\x0B\x0C\x0E-\x1F]|\xEF\xBF[\xBE\xBF]|\xEF\xB7[\x90-\xAF]|[\xF0-\xF4][\x8F\x9F\xAF\xBF]\xBF[\xBE\xBF]' "$1"
}
expect_clean() { # file description
    if [ ! -s "$1" ]; then fail "$2: no output"
    elif clean_text "$1"; then ok "$2"
    else fail "$2: invalid UTF-8 or a forbidden code point"; fi
}

# ---- 1. references that decode to what the IR must not hold
cat > "$I/2025-12-01-refs.md" <<'EOF'
---
title: "Refs \x01 \uFFFE \0 \U0001FFFF end"
date: 2025-12-01
author: "A \uFDD0 B"
tags: ["t\x1Bx", ok]
"key \x02": "v"
---
# 1. Heading &#xFFFE; &#xFFFF; &#0; &#x1; &#xD800; &#x110000; &#xFDD0; &#x1FFFF; &#27;

Text &#xFFFF; and [link &#x1;](https://example.com/&#xFFFE;x "title &#xFFFF;") and
![image &#x2;](https://example.com/i.png "&#xFFFE;") and `code &#x1;` and a note[^n&#x1;].

```py&#x1;
code block &#xFFFE;
```

| a &#xFFFE; | b |
| --- | --- |
| &#x1; | &#65535; |

[^n&#x1;]: The note &#xFFFE;.
EOF
# The raw bytes of the same code points, as a file may hold them.
printf -- '---\ntitle: raw\ndate: 2025-12-02\n---\n# 1. Raw \x01 \x1b]0;x\x07 \xef\xbf\xbe \xef\xb7\x90 \xf4\x8f\xbf\xbf \xed\xa0\x80 end\n\nbody \x0c \x0b\n' > "$I/2025-12-02-raw.md"

run "$FOLIO" check "$I/2025-12-01-refs.md"
expect_status 0 "references to forbidden code points: a warning, not a failure"
expect_err '2025-12-01-refs.md:8:14: warning: character reference to a code point not allowed in text replaced by U\+FFFD' "warning at the first bad reference of the heading"
expect_err "2025-12-01-refs.md:10:6: warning: character reference" "warning at the first bad reference of the paragraph"
expect_err '2025-12-01-refs.md:2:8: warning: front matter escape to a code point not allowed in text replaced by U\+FFFD' "warning at the bad YAML escape"
run "$FOLIO" check "$I/2025-12-02-raw.md"
expect_err '2025-12-02-raw.md:5:10: warning: control character U\+0001 replaced by U\+FFFD' "raw control character at its column"
expect_err '2025-12-02-raw.md:5:12: warning: control character U\+001B replaced by U\+FFFD' "raw ESC at its column"

run "$FOLIO" dump "$I/2025-12-01-refs.md" "$I/2025-12-02-raw.md"
printf '%s\n' "$out" > "$T/dump"
expect_clean "$T/dump" "the IR (dump) holds only allowed text"
grep -q 'title: "Refs � � � � end"' "$T/dump" && ok "YAML escapes replaced in the title" || fail "title: $(grep -m1 title: "$T/dump")"
grep -q 'text "1. Heading � � � � � � � � �"' "$T/dump" && ok "every bad reference one U+FFFD (cmark-gfm's own U+FFFD kept)" ||
    fail "heading: $(grep -m1 'text "1. Heading' "$T/dump")"

formats=$(formats)
for fmt in $formats; do
    run "$FOLIO" convert -t "$fmt" -d "$T/out-$fmt" "$I/2025-12-01-refs.md" "$I/2025-12-02-raw.md"
    expect_status 0 "$fmt: converted"
    case $fmt in
    txt | md)
        for f in "$T/out-$fmt"/*; do expect_clean "$f" "$fmt: $(basename "$f") is clean UTF-8"; done ;;
    pdf)
        for f in "$T/out-$fmt"/*.pdf; do
            qpdf --check "$f" > /dev/null 2>&1 && ok "pdf: $(basename "$f") valid (qpdf)" || fail "pdf: qpdf --check $(basename "$f")"
            pdftotext -q -enc UTF-8 "$f" "$f.txt" && grep -q 'Heading\|Raw' "$f.txt" && ok "pdf: text extracted" || fail "pdf: no text"
        done ;;
    esac
done

# ---- 2. a file name that is not UTF-8 becomes a clean title
name=$'2025-12-03-caf\xe9-\xff'
printf '# 1. Paper\n\nText.\n' > "$I/$name.md"
run "$FOLIO" convert -t txt -o "$T/name.txt" "$I/$name.md"
expect_status 0 "a file name that is not UTF-8"
expect_clean "$T/name.txt" "its txt output is clean UTF-8"
[ "$(head -1 "$T/name.txt")" = "Caf� �" ] && ok "title from the name, bytes replaced" || fail "title: $(head -1 "$T/name.txt" | od -c | head -2)"
run "$FOLIO" convert -t md -o "$T/name.md" "$I/$name.md"
expect_clean "$T/name.md" "md output of it is clean UTF-8"

# A book's title is the digests' common stem: titles that differ inside a
# character ("한국", "한글") share bytes of it, which must not end the title.
mkdir "$I/stem"
printf -- '---\ntitle: 한국 A\ndate: 2025-01-01\n---\n# 1. x\n' > "$I/stem/a.md"
printf -- '---\ntitle: 한글 B\ndate: 2025-01-02\n---\n# 1. y\n' > "$I/stem/b.md"
run "$FOLIO" convert -t md -o "$T/stem.md" "$I/stem/a.md" "$I/stem/b.md"
expect_clean "$T/stem.md" "a book title from a partial stem is clean UTF-8"
# No word is cut: the two share no whole word, so the title is generic.
grep -q '^title: "Digests — 2025-01"$' "$T/stem.md" && ok "the stem never ends inside a word or a character" || fail "stem: $(grep -m1 title: "$T/stem.md")"

# EPUBCheck, once, on a book of all three (references, raw bytes, name).
JAR=/usr/share/java/epubcheck.jar
if command -v java > /dev/null && [ -r "$JAR" ] && grep -qx epub <<< "$formats"; then
    run "$FOLIO" convert -o "$T/all.epub" "$I/2025-12-01-refs.md" "$I/2025-12-02-raw.md" "$I/$name.md"
    expect_status 0 "epub: a book of the three"
    limit java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar "$JAR" "$T/all.epub" > "$T/check.log" 2>&1
    grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$T/check.log" && ok "EPUBCheck: no fatal, error or warning" ||
        { fail "EPUBCheck"; grep -E '^(FATAL|ERROR|WARNING)|Messages:' "$T/check.log" | head -10; }
elif grep -qx epub <<< "$formats"; then
    fail "EPUBCheck missing: apt-get install epubcheck default-jre-headless"
fi

# ---- 3. positions
# A control character at line 5, column 13 of the front matter, and a DEL
# there (libyaml refuses it; its reader gave no line, reported as 2:1).
printf -- '---\ntitle: a\nauthor: b\ntags: [x]\nfoo: bar bad\x01here\n---\n# 1. P\n' > "$I/ctl.md"
run "$FOLIO" check "$I/ctl.md"
expect_status 0 "control character in front matter: replaced"
expect_err '^[^ ]*ctl.md:5:13: warning: control character U\+0001 replaced by U\+FFFD$' "control character at 5:13"
printf -- '---\ntitle: a\nauthor: b\ntags: [x]\nfoo: bar bad\x7fhere\n---\n# 1. P\n' > "$I/del.md"
run "$FOLIO" check "$I/del.md"
expect_status 1 "DEL in front matter: libyaml refuses it"
expect_err 'del.md:5:13: error: invalid YAML front matter: control characters are not allowed' "DEL at 5:13"

# U+2028, U+2029 and NEL are line breaks to libyaml, not to an editor.
printf -- '---\ntitle: "a\xe2\x80\xa8b"\nx: "c\xc2\x85d"\nz: "e\xe2\x80\xa9f"\ndate: 2025-13-01\n---\n# 1. P\n' > "$I/ls.md"
run "$FOLIO" check "$I/ls.md"
expect_err 'ls.md:5:1: warning: date .2025-13-01. is not a valid date' "warning at the file's line after U+2028, NEL and U+2029"
printf -- '---\nx: "\xe2\x80\xa8\xc2\x85"\n한: @x\n---\n# 1. P\n' > "$I/ls2.md"
run "$FOLIO" check "$I/ls2.md"
expect_status 1 "YAML error after line separators"
expect_err 'ls2.md:3:6: error: invalid YAML front matter: found character that cannot start any token .* starts at line 3$' "error at the file's line and byte column"

# The same mapping serves folio.yaml, read as it is (a BOM, CR endings).
mkdir "$I/cfg"; printf '# 1. a\n' > "$I/cfg/a.md"
printf '\xef\xbb\xbftitle: x\rjobs: 2\rfoo: @\r' > "$I/cfg/folio.yaml"
run bash -c "cd '$I/cfg' && exec '$FOLIO' check a.md"
expect_err '^folio.yaml:3:6: error: .*cannot start any token' "folio.yaml with a BOM and CR endings: exact position"

# CR and CRLF line endings: front matter kept, lines counted as an editor does.
for le in cr crlf; do
    nl=$'\r'; [ $le = crlf ] && nl=$'\r\n'
    printf -- "---${nl}title: ${le} title${nl}date: 2025-01-02${nl}---${nl}# 1. P${nl}${nl}text \x01 x${nl}" > "$I/$le.md"
    run "$FOLIO" check "$I/$le.md"
    expect_status 0 "$le line endings"
    expect_err "$le.md:7:6: warning: control character U\+0001 replaced by U\+FFFD" "$le: position exact"
    grep -q 'front matter' <<< "$err" && fail "$le: front matter: $err"
    run "$FOLIO" dump "$I/$le.md"
    expect_out "title: \"$le title\"" "$le: front matter read"
    expect_out 'date: "2025-01-02"' "$le: date read"
done

# Byte order marks: UTF-8's skipped (columns count after it), UTF-16's
# converted, UTF-32 refused.
printf -- '---\ntitle: 한국어 제목\ndate: 2025-01-03\n---\n# 1. 논문\n\n본문 \x01 text\n' > "$I/u8.md"
{ printf '\xef\xbb\xbf'; cat "$I/u8.md"; } > "$I/bom8.md"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$I/u8.md"; } > "$I/le16.md"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$I/u8.md"; } > "$I/be16.md"
run "$FOLIO" convert -t md -o "$T/u8.out" "$I/u8.md"
for f in bom8 le16 be16; do
    run "$FOLIO" convert -t md -o "$T/$f.out" "$I/$f.md"
    expect_status 0 "$f converted"
    expect_err "$f.md:7:8: warning: control character U\+0001 replaced by U\+FFFD" "$f: position exact"
    cmp -s "$T/u8.out" "$T/$f.out" && ok "$f: same output as UTF-8" || fail "$f: output differs from UTF-8"
done
printf '\xef\xbb\xbf# 1. a\xff b\n' > "$I/bom-col.md"
run "$FOLIO" check "$I/bom-col.md"
expect_err 'bom-col.md:1:7: warning: invalid UTF-8 replaced by U\+FFFD' "a BOM is not a column"
{ printf '\xff\xfe\0\0'; iconv -f UTF-8 -t UTF-32LE "$I/u8.md"; } > "$I/le32.md"
run "$FOLIO" check "$I/le32.md"
expect_status 1 "UTF-32 refused"
expect_err 'le32.md:1:1: error: UTF-32 text is not supported' "UTF-32 message"
finish
