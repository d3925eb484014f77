#!/bin/bash
# badfonts.sh FONTBREAK: -O pdf.font=FILE with a face damaged one table at
# a time (made here from an installed face by the fontbreak helper): each
# is refused with one clear error naming the file and what is wrong,
# before libharu reads it (its TrueType loader trusts hhea, head, cmap and
# loca: a heap overflow under ASan for the hhea case), and nothing is
# written.  The undamaged copy still works.
. "$TESTS/lib.sh"
FONTBREAK=$1
good=$(fc-match -f '%{file}' 'DejaVu Sans:style=Book' 2> /dev/null)
[ -f "$good" ] || good=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -f "$good" ] || { fail "DejaVu Sans is not installed"; finish; }
printf -- '---\ntitle: Fonts\n---\n\n# 1. A paper\n\nPlain text, HHxx.\n' > "$T/in.md"

cp "$good" "$T/copy.ttf"
run "$FOLIO" convert -t pdf -O pdf.font="$T/copy.ttf" -o "$T/copy.pdf" "$T/in.md"
expect_status 0 "an undamaged copy of $(basename "$good")"

declare -A why=(
    [hhea-metrics]="hhea: numberOfHMetrics"
    [upem-zero]="head: bad unitsPerEm"
    [maxp-zero]="maxp: no glyphs"
    [cmap-end]="cmap: the last segment does not end at U\+FFFF"
    [glyf-length]="a table lies past the end"
    [loca-past]="loca: a glyph lies past the glyf table"
    [name-string]="name: a string lies past its end"
    [truncated]="past the end"
)
for damage in hhea-metrics upem-zero maxp-zero cmap-end glyf-length loca-past name-string truncated; do
    bad="$T/bad-$damage.ttf"
    "$FONTBREAK" "$good" "$bad" "$damage" || { fail "fontbreak $damage"; continue; }
    run "$FOLIO" convert -t pdf -O pdf.font="$bad" -o "$T/$damage.pdf" "$T/in.md"
    expect_status 2 "$damage: refused (a bad -O value is a usage error)"
    # FreeType (through fontconfig) refuses some first; either way the
    # message names the file, and the font check says why when it is
    # the one that refuses.
    if grep -q "not a font file fontconfig can read" <<< "$err"; then
        expect_err "pdf.font: $bad is not a font file" "$damage: refused by fontconfig, named"
    else
        expect_err "pdf.font: $bad is not a usable TrueType font: ${why[$damage]}" "$damage: clear reason"
    fi
    [ "$(grep -c 'error:' <<< "$err")" -le 2 ] && ok "$damage: one error (and the host's)" ||
        fail "$damage: $(grep -c 'error:' <<< "$err") errors"
    grep -qi "libharu\|AddressSanitizer" <<< "$err" && fail "$damage: reached libharu: ${err:0:300}" ||
        ok "$damage: libharu never saw it"
    [ ! -e "$T/$damage.pdf" ] && ok "$damage: nothing written" || fail "$damage: output written"
done
# The issue's case must reach the check (fontconfig takes that face).
"$FONTBREAK" "$good" "$T/h.ttf" hhea-metrics
run "$FOLIO" convert -t pdf -O pdf.font="$T/h.ttf" -o "$T/h.pdf" "$T/in.md"
expect_err "h.ttf is not a usable TrueType font: hhea: numberOfHMetrics is 0 or exceeds numGlyphs" \
    "hhea overflow case refused by the font check"
finish
