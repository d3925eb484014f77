# Helpers for the PDF tests, sourced after tests/lib.sh.  They need qpdf
# and poppler-utils (the README's test command installs both).
for tool in qpdf pdftotext pdffonts pdfinfo pdftoppm; do
    command -v $tool > /dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
PW=595; PH=842 # A4 in points, rounded

# pdf_valid FILE: qpdf finds no damage, and poppler reads the whole file
# (fonts, ToUnicode maps, contents) without a warning.
pdf_valid() {
    local o
    if o=$(qpdf --check "$1" 2>&1) && grep -q "No syntax or stream encoding errors" <<< "$o"; then
        ok "qpdf --check $(basename "$1")"
    else
        fail "qpdf --check $(basename "$1"): ${o:0:400}"
    fi
    o=$(pdftotext "$1" /dev/null 2>&1; pdffonts "$1" 2>&1 > /dev/null)
    [ -z "$o" ] && ok "poppler reads $(basename "$1") without a warning" ||
        fail "poppler on $(basename "$1"): ${o:0:300}"
}

# pdf_fonts_embedded FILE: every font embedded and subset, at least one.
pdf_fonts_embedded() {
    local bad n
    n=$(pdffonts "$1" 2> /dev/null | tail -n +3 | wc -l)
    bad=$(pdffonts "$1" 2> /dev/null | tail -n +3 | awk '$(NF-4) != "yes" || $(NF-3) != "yes"')
    if [ "$n" -ge 1 ] && [ -z "$bad" ]; then ok "$n fonts embedded and subset in $(basename "$1")"
    else fail "fonts of $(basename "$1") not all embedded+subset: $bad"; fi
}

pdf_pages() { qpdf --show-npages "$1"; }

# pdf_outlines FILE: number of outline entries.
pdf_outlines() { qpdf --json --json-key=outlines "$1" | grep -c '"title":'; }

# pdf_body FILE [first last]: text of the body area (header and footer cut
# off), whitespace removed, so that line breaks do not matter.
pdf_body() {
    local f=${2:-1} l=${3:-99999}
    pdftotext -q -enc UTF-8 -f "$f" -l "$l" -r 72 -x 0 -y 50 -W 600 -H 746 "$1" - | tr -d ' \n\t\f\r-'
}

# pdf_qdf FILE: the PDF uncompressed, for grepping its objects.
pdf_qdf() { qpdf --qdf --object-streams=disable "$1" -; }

# sentences MD: the Korean and Chinese sentences of a digest, markup and
# whitespace removed, one per line (at least 20 bytes long).
sentences() {
    LC_ALL=C grep -E $'[\xe4-\xed]' "$1" | LC_ALL=C grep -vE '^(\||---|title:|tags:|categories:)' |
        LC_ALL=C sed -E -e 's/^ *([-*+]|[0-9]+\.|>|#+) +//' \
            -e 's/!?\[([^]]*)\]\([^)]*\)/\1/g' -e 's/\*\*|`|\*//g' \
            -e $'s/\xf0[\x80-\xbf][\x80-\xbf][\x80-\xbf]//g' -e $'s/\xef\xb8\x8f//g' \
            -e $'s/(\\. |\xe3\x80\x82)/\\1\\n/g' |
        tr -d ' \t-' | LC_ALL=C awk 'length($0) >= 20'
}

# pdf_has_sentences PDF MD: every sentence of MD is in the PDF's text.
pdf_has_sentences() {
    local text n=0 missing=0 s
    text=$(pdf_body "$1")
    while IFS= read -r s; do
        n=$((n + 1))
        if ! grep -qF -- "$s" <<< "$text"; then
            missing=$((missing + 1))
            [ $missing -le 3 ] && echo "  missing: $s"
        fi
    done < <(sentences "$2")
    if [ $n -ge "${3:-5}" ] && [ $missing = 0 ]; then
        ok "$n sentences of $(basename "$2") extracted in order"
    else
        fail "$(basename "$2"): $missing of $n sentences not found in pdftotext output"
    fi
}

# pdf_ink FILE PAGE [DPI]: dark pixels (grey < 160) of a page rendered at
# 30 dpi (or DPI), as a per mille of the page.
pdf_ink() {
    pdftoppm -q -gray -r "${3:-30}" -f "$2" -l "$2" "$1" "$R/ink"
    local pgm
    pgm=$(ls "$R"/ink*.pgm | head -1)
    local w h
    read -r w h < <(head -c 40 "$pgm" | sed -n 2p)
    tail -c $((w * h)) "$pgm" | od -An -v -tu1 | tr -s ' ' '\n' |
        awk -v n=$((w * h)) '$1 != "" && $1 < 160 {d++} END {print int(d * 1000 / n)}'
    rm -f "$R"/ink*.pgm
}

# pdf_in_page FILE: every word's box lies within the page's margins.
pdf_in_page() {
    local out
    out=$(pdftotext -q -bbox "$1" - | awk -v pw="$PW" '/<word / {
        for (i = 1; i <= NF; i++) { if ($i ~ /^xMin=/) { split($i, a, "\""); x0 = a[2] }
                                    if ($i ~ /^xMax=/) { split($i, a, "\""); x1 = a[2] } }
        if (x0 < 40 || x1 > pw - 40) print x0, x1 }' | head -3)
    if [ -z "$out" ]; then ok "no text outside the margins of $(basename "$1")"
    else fail "text outside the margins of $(basename "$1"): $out"; fi
}
