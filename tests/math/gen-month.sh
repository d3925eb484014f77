#!/usr/bin/env bash
# gen-month.sh OUTDIR [DAYS] [PAPERS]
#
# A month of digests with math: samples/gen-month.sh's digests, each paper's
# Method section given a paragraph with two inline formulas and a display
# formula from the suite (tests/math/formulas.txt, the well-formed ones,
# taken in turn), as kramdown blogs write them ($...$, $$...$$).
# Deterministic: the same arguments give byte-identical files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: ${0##*/} OUTDIR [DAYS] [PAPERS]" >&2; exit 2; }
out=$1
bash "$here/../../samples/gen-month.sh" "$out" "${2:-30}" "${3:-9}" > /dev/null
for f in "$out"/*.md; do
    awk -v pool="$here/formulas.txt" -v seed="${f##*/}" '
        BEGIN {
            while ((getline l < pool) > 0)
                if (l != "" && l !~ /^[#!]/ && l !~ /\$/) f[n++] = l
            # start where the date points, so the days differ
            k = (substr(seed, 9, 2) + 0) * 37 % n
        }
        { print }
        /^## Method/ {
            a = f[k++ % n]; b = f[k++ % n]; c = f[k++ % n]
            print ""
            print "손실은 $" a "$ 로 정의하고, 갱신은 $" b "$ 로 한다."
            print ""
            print "$$" c "$$"
            print ""
        }' "$f" > "$f.tmp"
    mv "$f.tmp" "$f"
done
