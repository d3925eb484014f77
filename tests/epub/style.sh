#!/bin/bash
# The stylesheet works under the reader's themes (light, dark, sepia) and on
# a phone: no opaque background or fixed text colour a night theme cannot
# override, the one fixed colour (links) at 4.5:1 or better against a light
# and a dark page, code at 0.9 em in a named monospace stack, side margins
# that do not shrink to a few pixels.
. "$TESTS/lib.sh"
INSPECT="$1"
run "$FOLIO" convert -q -t epub -o "$T/s.epub" "$SRC/samples/2025-11-04-paper-notes.md"
expect_status 0 "convert"
css=$("$INSPECT" "$T/s.epub" OEBPS/style.css)
[ -n "$css" ] || { fail "no style.css"; finish; }
# One declaration a line, comments dropped.
decl=$(sed 's#/\*.*\*/##g' <<< "$css" | tr '{};' '\n\n\n' | sed 's/^ *//; s/ *$//' | grep ':' )

grep -q 'color-scheme: light dark' <<< "$decl" && ok "canvas follows the light/dark preference" ||
    fail "no color-scheme: light dark"
grep -q '@media (prefers-color-scheme: dark)' <<< "$css" && ok "a dark-scheme rule" || fail "no prefers-color-scheme: dark"

# Backgrounds: none, or translucent.
bad=$(grep -E '^background(-color)?:' <<< "$decl" | grep -Ev 'background(-color)?: (none|transparent|rgba\([^)]*, 0?\.[0-9]+\))$')
[ -z "$bad" ] && ok "no opaque background" || fail "opaque background: $bad"
# Text colours: inherited, except the link colours.
colours=$(grep -E '^color:' <<< "$decl" | sort -u)
others=$(grep -Ev '^color: (inherit|currentColor)$' <<< "$colours")
[ "$(wc -l <<< "$others")" = 2 ] && ok "only the link colour is fixed (light and dark)" ||
    fail "fixed colours: $others"
# Borders: translucent grey only.
bad=$(grep -E '^border[a-z-]*:.*#' <<< "$decl")
[ -z "$bad" ] && ok "borders translucent" || fail "opaque border colour: $bad"

# WCAG contrast of the two link colours: light against white, dark
# against Chromium's dark canvas (#121212).
contrast() { # fg bg (#rrggbb)
    awk -v a="$1" -v b="$2" 'function lin(c) { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ^ 2.4 }
        function hex(s, i) { return index("0123456789abcdef", tolower(substr(s, i, 1))) - 1 }
        function lum(s) { return 0.2126 * lin(hex(s,2)*16+hex(s,3)) + 0.7152 * lin(hex(s,4)*16+hex(s,5)) + 0.0722 * lin(hex(s,6)*16+hex(s,7)) }
        BEGIN { x = lum(a) + 0.05; y = lum(b) + 0.05; r = x > y ? x / y : y / x; printf "%.2f\n", r }'
}
light=$(sed -n 's/^color: \(#[0-9a-fA-F]\{6\}\)$/\1/p' <<< "$decl" | head -1)
dark=$(sed -n '/prefers-color-scheme: dark/,/}/p' <<< "$css" | grep -o '#[0-9a-fA-F]\{6\}' | head -1)
for pair in "$light #ffffff light" "$light #f4ecd8 sepia" "$dark #121212 dark"; do
    set -- $pair
    r=$(contrast "$1" "$2")
    awk -v r="$r" 'BEGIN { exit !(r >= 4.5) }' && ok "links $1 on $3 $2: $r:1" || fail "links $1 on $3 $2: $r:1 < 4.5"
done

# Code: 0.9 em, a named monospace face first (a bare "monospace" starts
# browsers from 13 px).
grep -Eq '^font-family: "DejaVu Sans Mono".*monospace, monospace$' <<< "$(tr -s ' \n' ' ' <<< "$css" | tr '{};' '\n\n\n' | sed 's/^ *//; s/ *$//')" &&
    ok "named monospace stack" || fail "code font stack"
code=$(sed 's#/\*.*\*/##g' <<< "$css" | tr -d '\n' | grep -o 'code *{[^}]*}' | head -1)
grep -q 'font-size: 0.9em' <<< "$code" && ok "code at 0.9em" || fail "code size: $code"
grep -Eq '^font-family: monospace$' <<< "$decl" && fail "a bare monospace family" || ok "no bare monospace family"
# Side margins: at least 1em (a bare 3 % is 12 px on a phone).
body=$(sed 's#/\*.*\*/##g' <<< "$css" | tr -d '\n' | grep -o 'body *{[^}]*}' | head -1)
grep -q 'margin: 0 1em;' <<< "$body" && grep -q 'margin: 0 max(1em, 4%);' <<< "$body" &&
    ok "side margins at least 1em" || fail "body margins: $body"
finish
