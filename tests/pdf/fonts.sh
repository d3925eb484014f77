#!/bin/bash
# Fonts: one sentence mixing Hangul, Han, kana, Latin and Greek comes back
# whole from pdftotext; Hangul is never drawn with a font whose Hangul
# libharu 2.3.0 breaks (WenQuanYi, AR PL); Han gets a Han font; every
# font is embedded and subset, and the subsets draw what the faces draw;
# -O pdf.font overrides the body font.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

cat > "$T/mixed.md" << 'MD'
---
title: "혼합 문자 — 混合文字"
lang: ko
---

# 1. Mixed scripts

한국어 문장 안에 中文汉字와 日本語のかなカタカナ, Latin letters, 그리고 Ελληνικά α β γ가 함께 나온다.
MD
run "$FOLIO" convert -t pdf -o "$T/mixed.pdf" "$T/mixed.md"
expect_status 0 "mixed scripts"
pdf_valid "$T/mixed.pdf"
pdf_fonts_embedded "$T/mixed.pdf"
body=$(pdf_body "$T/mixed.pdf")
want="한국어문장안에中文汉字와日本語のかなカタカナ,Latinletters,그리고Ελληνικάαβγ가함께나온다."
grep -qF "$want" <<< "$body" && ok "mixed sentence extracted whole" || fail "mixed sentence: $body"
fonts=$(pdffonts "$T/mixed.pdf" 2> /dev/null)
grep -q "NanumGothic" <<< "$fonts" && ok "Nanum for Hangul" || fail "no Nanum font: $fonts"
grep -q "WenQuanYiZenHei" <<< "$fonts" && ok "WenQuanYi for Han" || fail "no Han font: $fonts"
[ -z "$err" ] && ok "no character left out" || fail "warnings: $err"

# Hangul alone: no WenQuanYi (its Hangul loses strokes in libharu 2.3.0).
printf -- '---\ntitle: 한글\n---\n\n# 1. 제목\n\n가나다라마바사 아자차카타파하 한글 문장입니다.\n' > "$T/hangul.md"
run "$FOLIO" convert -t pdf -o "$T/hangul.pdf" "$T/hangul.md"
fonts=$(pdffonts "$T/hangul.pdf" 2> /dev/null)
grep -q "NanumGothic" <<< "$fonts" && ! grep -qiE "WenQuanYi|UMing|Droid" <<< "$fonts" &&
    ok "Hangul drawn with Nanum only" || fail "Hangul fonts: $fonts"
ink=$(pdf_ink "$T/hangul.pdf" 1)
[ "$ink" -ge 1 ] && ok "Hangul page has ink ($ink per mille)" || fail "Hangul page ink $ink"

# Han alone in a Chinese digest: WenQuanYi draws it.
printf -- '---\ntitle: 汉字\nlang: zh\n---\n\n## 1. 标题\n\n这是一个只有汉字的句子，用来检查字体。\n' > "$T/han.md"
run "$FOLIO" convert -t pdf -o "$T/han.pdf" "$T/han.md"
grep -q "WenQuanYiZenHei" <<< "$(pdffonts "$T/han.pdf" 2> /dev/null)" && ok "Han drawn with WenQuanYi" ||
    fail "Han fonts: $(pdffonts "$T/han.pdf" 2>&1)"
grep -qF "这是一个只有汉字的句子，用来检查字体。" <<< "$(pdf_body "$T/han.pdf")" && ok "Han sentence extracted" ||
    fail "Han sentence not extracted"

# Text is written as strings of two-byte CIDs: bytes that are string
# syntax are escaped.  尊 is 5C 0A (backslash, line feed), 對 5C 0D,
# 倨 and 倩 50 28 and 50 29 (parentheses).
printf -- '---\ntitle: 转义\nlang: zh\n---\n\n## 1. 标题\n\n尊對倨倩 (a\\\\b) 结束。\n' > "$T/esc.md"
run "$FOLIO" convert -t pdf -o "$T/esc.pdf" "$T/esc.md"
pdf_valid "$T/esc.pdf"
grep -qF '尊對倨倩(a\b)结束。' <<< "$(pdf_body "$T/esc.pdf")" && ok "escaped string bytes extracted" ||
    fail "escaped string bytes: $(pdf_body "$T/esc.pdf")"

# -O pdf.font: the body font from a file; Hangul still never from
# WenQuanYi even when it is the font asked for.
myeongjo=$(fc-match -f '%{file}' NanumMyeongjo)
run "$FOLIO" convert -t pdf -O pdf.font="$myeongjo" -o "$T/mj.pdf" "$T/hangul.md"
expect_status 0 "pdf.font=NanumMyeongjo"
grep -q "NanumMyeongjo" <<< "$(pdffonts "$T/mj.pdf" 2> /dev/null)" && ok "NanumMyeongjo embedded" ||
    fail "pdf.font not used: $(pdffonts "$T/mj.pdf" 2>&1)"
wqy=$(fc-match -f '%{file}' "WenQuanYi Zen Hei")
run "$FOLIO" convert -t pdf -O pdf.font="$wqy" -o "$T/wqy.pdf" "$T/mixed.md"
expect_status 0 "pdf.font=wqy-zenhei.ttc"
fonts=$(pdffonts "$T/wqy.pdf" 2> /dev/null)
grep -q "WenQuanYi" <<< "$fonts" && grep -q "NanumGothic" <<< "$fonts" &&
    ok "WenQuanYi body font, Hangul still from Nanum" || fail "fonts with pdf.font=wqy: $fonts"
grep -qF "$want" <<< "$(pdf_body "$T/wqy.pdf")" && ok "mixed sentence with pdf.font" || fail "mixed sentence lost with pdf.font"

# Subsets (plugins/pdf/subset.c): each face is cut down to the glyphs
# drawn and renumbered.  Pages look exactly as with libharu's own
# embedding of the same faces (which keeps every glyph's cmap, hmtx and
# loca entries), and the files are a fraction of the size.
for md in mixed hangul han; do
    FOLIO_PDF_LIBHARU_EMBED=1 run "$FOLIO" convert -t pdf -o "$T/$md-lh.pdf" "$T/$md.md"
    pdftoppm -q -r 60 "$T/$md.pdf" "$R/$md-sub"
    pdftoppm -q -r 60 "$T/$md-lh.pdf" "$R/$md-lh"
    same=1
    for p in "$R/$md-sub"*; do cmp -s "$p" "$R/$md-lh${p#"$R/$md-sub"}" || same=0; done
    [ $same = 1 ] && ok "$md.pdf renders as with libharu's embedding" || fail "$md.pdf: subset renders differently"
    a=$(stat -c %s "$T/$md.pdf") b=$(stat -c %s "$T/$md-lh.pdf")
    [ $((a * 3)) -le "$b" ] && ok "$md.pdf: $a bytes (libharu's embedding: $b)" || fail "$md.pdf: $a bytes, libharu's embedding $b"
done
# Composite glyphs (accents placed on a base letter, in DejaVu): libharu
# 2.3.0's embedding loses their base letter; the subset keeps the whole
# glyph, so a line of ǻ has more ink than a line of a.
for ch in a ǻ; do
    { printf -- '---\ntitle: t\n---\n\n```\n'
      for i in $(seq 30); do printf "%0.s$ch" $(seq 60); echo; done
      printf '```\n'; } > "$T/comp-$ch.md"
    run "$FOLIO" convert -t pdf -o "$T/comp-$ch.pdf" "$T/comp-$ch.md"
done
ink_a=$(pdf_ink "$T/comp-a.pdf" 1 150) ink_c=$(pdf_ink "$T/comp-ǻ.pdf" 1 150)
[ "$ink_c" -gt "$ink_a" ] && ok "composite glyph drawn whole (ink $ink_c > $ink_a)" ||
    fail "composite glyph ǻ has ink $ink_c, plain a $ink_a"

# A face whose loca points many glyphs at the same bytes (fontconfig and
# libharu take it; a subset of it would add up to more than the face, to
# gigabytes for a larger one): a clear error, nothing written.
printf -- '---\ntitle: t\n---\n\n# 1. abc\n\nabc\n' > "$T/abc.md"
run "$FOLIO" convert -t pdf -O pdf.font="$TESTS/pdf/overlapping-glyphs.ttf" -o "$T/ov.pdf" "$T/abc.md"
expect_status 2 "face with overlapping glyphs (a bad -O value is a usage error)"
expect_err "overlapping-glyphs.ttf .*(cannot be embedded|not a usable TrueType font)" "clear message for a malformed face"
[ ! -e "$T/ov.pdf" ] && ok "no output with a malformed face" || fail "output written with a malformed face"

run "$FOLIO" convert -t pdf -O pdf.font="$T/mixed.md" -o "$T/bad.pdf" "$T/mixed.md"
expect_status 2 "pdf.font that is not a font (a bad -O value: usage error)"
expect_err "pdf.font: .*not a font" "clear message for a bad font file"
[ ! -e "$T/bad.pdf" ] && ok "no output with a bad font" || fail "output written with a bad font"
finish
