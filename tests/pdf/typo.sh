#!/bin/bash
# Typography of the handout: backslashes and other ASCII from a Latin face
# (NanumGothic's U+005C is a won sign), Latin runs in DejaVu Sans paired
# with the Korean face, real obliques for Latin italics.
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
finish
