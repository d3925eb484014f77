#!/bin/bash
# Typography of the handout: backslashes and other ASCII from a Latin face
# (NanumGothic's U+005C is a won sign), Latin runs in DejaVu Sans paired
# with the Korean face, real obliques for Latin italics; justified Korean
# without wide word gaps; a measure of about 45 syllables; section heads
# in a side column, the same in every paper; running heads without a
# repeated title or date; long addresses broken only after / . - ? &;
# task items as ballot boxes; no double gap for a character left out.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"

cat > "$T/bs.md" << 'MD'
---
title: "경로 시험"
date: 2025-11-03
lang: ko
---

경로는 C:\Users\kim 이며, 명령은 \frac 입니다. *기울임 italic* 와 **굵게 bold**.
MD
run "$FOLIO" convert -t pdf -o "$T/bs.pdf" "$T/bs.md"
expect_status 0 "post with backslashes"
pdf_valid "$T/bs.pdf"
txt=$(pdftotext -q "$T/bs.pdf" -)
grep -qF 'C:\Users\kim' <<< "$txt" && grep -qF '\frac' <<< "$txt" &&
    ok "backslashes come back from pdftotext" || fail "backslashes: $txt"
fonts=$(pdffonts "$T/bs.pdf" 2> /dev/null)
grep -q "+DejaVuSans,Book" <<< "$fonts" && ok "Latin runs in DejaVu Sans" || fail "no Latin face: $fonts"
grep -q "+DejaVuSans-Bold" <<< "$fonts" && ok "bold Latin in DejaVu Sans Bold" || fail "no bold Latin face: $fonts"
grep -q "+DejaVuSans-Oblique" <<< "$fonts" && ok "italic Latin in DejaVu Sans Oblique" || fail "no oblique: $fonts"
grep -q "+NanumGothic " <<< "$fonts" && ok "Hangul still in NanumGothic" || fail "no Nanum: $fonts"
# The backslash is drawn from DejaVu: the Nanum subset has no U+005C.
pdf_qdf "$T/bs.pdf" > "$T/bs.qdf"
nanum_uni=$(python3 - "$T/bs.qdf" << 'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
objs = dict(re.findall(rb'\n(\d+) 0 obj\n(.*?)\nendobj', d, re.S))
tu = [m.group(1) for o in objs.values() if b'/BaseFont /FOLI' in o and
      b'NanumGothic' in o for m in [re.search(rb'/ToUnicode (\d+) 0 R', o)] if m]
bad = 0
for t in tu:  # bfrange lines: <lo> <hi> <unicode>
    for lo, hi in re.findall(rb'<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4})> <', objs.get(t, b'')):
        bad += int(lo, 16) <= 0x5C <= int(hi, 16)
print(len(tu), bad)
PY
)
[ "${nanum_uni#* }" = 0 ] && [ "${nanum_uni% *}" -ge 1 ] && ok "no backslash drawn by NanumGothic" ||
    fail "Nanum ToUnicode: $nanum_uni"

# Justified Korean: no word gap beyond twice the normal one (the slack
# goes to the spaces, then between syllables, then ragged), measured on
# the reference sample and a generated reference-sized day.
run "$FOLIO" convert -t pdf -o "$T/ref.pdf" "$SRC/samples/2025-11-03-daily-papers.md"
bash "$SRC/samples/gen-month.sh" "$T/day" 1 > /dev/null
run "$FOLIO" convert -t pdf -o "$T/day.pdf" "$T"/day/*.md
for f in ref day; do
    pdftotext -q -bbox-layout "$T/$f.pdf" "$T/$f.html"
    read -r _ n _ normal _ max _ _ _ over2 <<< "$(python3 "$TESTS/pdf/gaps.py" "$T/$f.html")"
    [ "${n:-0}" -ge 20 ] && [ "$over2" = 0 ] && awk -v m="$max" 'BEGIN { exit !(m <= 2) }' &&
        ok "$f: $n justified lines, widest gap ${max}x normal ($normal pt)" ||
        fail "$f: $n justified lines, $over2 with a gap over 2x normal (widest ${max}x)"
done
# The measure: about 40-45 Hangul syllables a line (56 before), and the
# reference sample still on at most 4 pages.
for f in ref day; do
    read -r _ n _ syl <<< "$(python3 "$TESTS/pdf/measure.py" "$T/$f.html")"
    awk -v s="$syl" 'BEGIN { exit !(s >= 40 && s <= 45.5) }' &&
        ok "$f: a line holds $syl syllables" || fail "$f: a line holds $syl syllables"
done
p=$(pdf_pages "$T/ref.pdf")
[ "$p" -le 4 ] && ok "reference sample on $p pages" || fail "reference sample on $p pages"

# Section heads: every one in the side column (the same x, left of the
# text), Introduction like the others, four papers with five each.
python3 - "$T/ref.html" << 'PY' > "$T/heads"
import re, sys, statistics
d = open(sys.argv[1], encoding='utf-8').read()
words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', d)
body = statistics.mode(round(float(x)) for x, t in words)
for name in ("Introduction", "Method", "Results", "Limitations", "Conclusion"):
    xs = sorted(set(round(float(x)) for x, t in words if t == name))
    print(name, sum(t == name for x, t in words), len(xs), xs[0] if xs else -1, body)
PY
while read -r name n nx x body; do
    [ "$n" = 4 ] && [ "$nx" = 1 ] && [ "$x" -lt $((body - 30)) ] &&
        ok "$name: 4 heads at x=$x, left of the text (x=$body)" ||
        fail "$name: $n heads at $nx places (x=$x, text at $body)"
done < "$T/heads"
xs=$(awk '{ print $4 }' "$T/heads" | sort -u | wc -l)
[ "$xs" = 1 ] && ok "every section head in one column" || fail "section heads at $xs places"

# Running heads: none on the opening page; then the day on the left and
# the paper on the right, the date once.
runhead() { pdftotext -q -f "$2" -l "$2" -y 0 -H 45 -W 600 -x 0 "$1" - | tr -s '\n\f' '  ' | sed 's/^ *//; s/ *$//'; }
[ -z "$(runhead "$T/ref.pdf" 1)" ] && ok "no running head on the opening page" || fail "head on page 1: $(runhead "$T/ref.pdf" 1)"
h=$(runhead "$T/ref.pdf" 2)
grep -q '^Daily Papers — 2025-11-03 [0-9]\. [A-Z]' <<< "$h" && [ "$(grep -o 2025-11-03 <<< "$h" | wc -l)" = 1 ] &&
    ok "page 2 head: $h" || fail "page 2 head: $h"

# A book of three days: no head on the contents' first page nor on a day's
# opening page; elsewhere the book's title, the day and the paper.
bash "$SRC/samples/gen-month.sh" "$T/m3" 3 > /dev/null
run "$FOLIO" convert -t pdf -o "$T/m3.pdf" "$T/m3"
expect_status 0 "a book of three days"
np=$(pdf_pages "$T/m3.pdf")
bare=0 bad=""
for p in $(seq 1 "$np"); do
    h=$(runhead "$T/m3.pdf" "$p")
    if [ -z "$h" ]; then
        bare=$((bare + 1))
    elif ! grep -q '^Daily Papers — 2025-11 2025-11-0[1-3] · [0-9]\. ' <<< "$h" ||
        [ "$(grep -o '2025-11-0[1-3]' <<< "$h" | wc -l)" != 1 ]; then
        bad="$bad [$p: $h]"
    fi
done
[ "$bare" = 4 ] && [ -z "$bad" ] && ok "heads on $((np - 4)) of $np pages, none on the contents and the 3 openings" ||
    fail "$bare pages without a head (want 4); wrong heads:$bad"
rows=$(pdftotext -q -f 1 -l 1 -layout "$T/m3.pdf" - | grep '^ *2025-11-0')
[ "$(wc -l <<< "$rows")" = 3 ] && ! grep -q 'Papers — 2025' <<< "$rows" &&
    ok "contents rows give the date once" || fail "contents rows: $rows"
cat > "$T/t5.md" << 'MD'
---
title: "기호와 주소"
date: 2025-11-03
lang: ko
---

# 1. [A long address https://example.com/research/papers/2025/very-long-directory-name/another.segment/file-name.html?query=value&other=thing in a heading](https://example.com/a)

- [x] 끝난 일
- [ ] 남은 일

음악 ͸ 기호와 수식 𝑘 그리고 별 ★ 🎵 입니다.
MD
run "$FOLIO" convert -t pdf -o "$T/t5.pdf" "$T/t5.md"
expect_status 0 "symbols and a long address"
txt=$(pdftotext -q "$T/t5.pdf" -)
grep -qF "☑ 끝난 일" <<< "$txt" && grep -qF "☐ 남은 일" <<< "$txt" &&
    ok "task items as ☑ and ☐" || fail "task items: $txt"
pdftotext -q -bbox-layout "$T/t5.pdf" "$T/t5.html"
python3 - "$T/t5.html" << 'PY' > "$T/t5.out"
import re, sys
d = open(sys.argv[1], encoding='utf-8').read()
lines = [re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', l)
         for l in re.findall(r'<line [^>]*>(.*?)</line>', d, re.S)]
# The heading's lines that hold a piece of the address end after a mark.
ends = [l[-1][2][-1] for l in lines if any('example.com' in w[2] or 'segment' in w[2] for w in l)]
print("ends", ''.join(ends[:-1]) or "none", len(ends))
# U+0378 (unassigned) is in no face.
for l in lines:
    for a, b in zip(l, l[1:]):
        if a[2] == '음악':
            print("gap", round(float(b[0]) - float(a[1]), 2))
PY
ends=$(awk '$1 == "ends" { print $2, $3 }' "$T/t5.out")
[ "${ends#* }" -ge 2 ] && grep -q '^[-/.?&]* ' <<< "$ends" &&
    ok "the address breaks after a mark (line ends: ${ends% *})" || fail "address line ends: $ends"
gap=$(awk '$1 == "gap" { print $2 }' "$T/t5.out")
awk -v g="$gap" 'BEGIN { exit !(g > 0 && g < 4) }' &&
    ok "one gap (${gap} pt) where U+0378 was left out" || fail "gap where U+0378 was: $gap"
grep -q "U+0378 is in no usable font" <<< "$err" && ok "U+0378 reported" || fail "U+0378 not reported: $err"
# Beyond the BMP: U+1D458 from a DejaVu face that has it, the emoji from a
# fallback face (Symbola, fonts-symbola) when one is installed.
grep -qF "수식 𝑘 그리고" <<< "$txt" && ok "U+1D458 drawn and extracted" || fail "U+1D458: $txt"
fonts=$(pdffonts "$T/t5.pdf" 2> /dev/null)
grep -q "+DejaVu\(MathTeXGyre\|Serif\)" <<< "$fonts" && ok "U+1D458 from DejaVu" || fail "no DejaVu face for U+1D458: $fonts"
if fc-list ':charset=1f3b5:fontformat=TrueType' family | grep -q .; then
    grep -qF "★ 🎵 입니다" <<< "$txt" && ! grep -q "U+1F3B5" <<< "$err" &&
        ok "emoji drawn from a fallback face" || fail "emoji: $txt $err"
else
    grep -q "U+1F3B5" <<< "$err" && ok "emoji reported (no face has it)" || fail "emoji not reported: $err"
fi
finish
