#!/bin/bash
# libharu's private structures are reached from one file of the PDF plugin,
# plugins/pdf/haru.c: no other source there (or the font fuzz target)
# includes libharu's internal headers or dereferences a libharu object's
# fields, and haru.c refuses to compile against a libharu other than 2.3.x.
# $1: the directory of libharu's headers.
. "$TESTS/lib.sh"
cd "$SRC"
inc="${1:-/usr/include}"
files=$(ls plugins/pdf/*.[ch] tests/fuzz/fuzz_font.c | grep -v '^plugins/pdf/haru\.c$')
[ "$(wc -w <<< "$files")" -gt 10 ] && ok "$(wc -w <<< "$files") sources checked" || fail "sources: $files"
hdr=$(grep -nE '#include *[<"]hpdf_(doc|pages|font|fontdef|objects|streams)\.h' $files)
[ -z "$hdr" ] && ok "no internal libharu header outside haru.c" || fail "internal header: $hdr"
# Fields of libharu's objects (the plugin's own structures use none of
# these names).
fields='->(attr|stream|mmgr|xref|page_list|fontdef|glyph_tbl|filter|write_fn|free_fn|descriptor|descendant_font|map_stream|base_font)\b'
use=$(grep -nE -- "$fields" $files)
[ -z "$use" ] && ok "no libharu field dereferenced outside haru.c" || fail "private field: $use"
grep -qE -- "$fields" plugins/pdf/haru.c && ok "haru.c holds them" || fail "the pattern finds nothing in haru.c"

# The version check: haru.c against a copy of libharu's headers, as is
# (compiles) and claiming 2.4.0 (a clear error).
CC=${CC:-cc}
if ! command -v "$CC" > /dev/null || [ ! -f "$inc/hpdf_version.h" ]; then
    fail "no compiler ($CC) or no libharu headers in $inc"
    finish
fi
mkdir -p "$T/same" "$T/newer"
cp "$inc"/hpdf*.h "$T/same/"
cp "$inc"/hpdf*.h "$T/newer/"
sed -i 's/^#define HPDF_MINOR_VERSION .*/#define HPDF_MINOR_VERSION 4/' "$T/newer/hpdf_version.h"
flags=(-std=c11 -fsyntax-only -Icore/include -Iplugins/pdf plugins/pdf/haru.c)
run "$CC" -I"$T/same" "${flags[@]}"
expect_status 0 "haru.c compiles against libharu's headers"
run "$CC" -I"$T/newer" "${flags[@]}"
[ "$status" != 0 ] && grep -q "libharu 2.3.x" <<< "$err" &&
    ok "haru.c refuses libharu 2.4 with a clear error" || fail "2.4 headers: status $status: $err"
finish
