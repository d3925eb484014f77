#!/bin/bash
# `cpack -G DEB` gives two packages: folio (binary, plugins, man page,
# completion, library and font dependencies) and folio-dev (headers and the
# .pc).  apt accepts both for installation (simulated: the test never
# changes the machine), and the files unpacked into a scratch root convert
# a sample and build an out-of-tree plugin.
. "$TESTS/lib.sh"
command -v cpack > /dev/null || { fail "cpack not found"; finish; }
(cd "$BUILD" && cpack -G DEB -B "$T/pkg") > "$T/cpack.log" 2>&1 ||
    { cat "$T/cpack.log"; fail "cpack -G DEB"; finish; }
deb=$(ls "$T"/pkg/folio_*.deb 2> /dev/null | head -1)
dev=$(ls "$T"/pkg/folio-dev_*.deb 2> /dev/null | head -1)
[ -n "$deb" ] && ok "runtime package built" || { fail "no folio_*.deb"; finish; }
[ -n "$dev" ] && ok "dev package built" || { fail "no folio-dev_*.deb"; finish; }

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/folio ./usr/share/man/man1/folio.1 \
         ./usr/share/bash-completion/completions/folio; do
    grep -qx -- "$f" <<< "$files" && ok "folio.deb has $f" || fail "folio.deb lacks $f"
done
for p in epub pdf txt md; do
    grep -Eq "^\./usr/lib/([^/]+/)?folio/$p\.so$" <<< "$files" &&
        ok "folio.deb has the $p plugin" || fail "folio.deb lacks the $p plugin"
done
grep -q 'include' <<< "$files" && fail "headers in the runtime package" || ok "no headers in the runtime package"
devfiles=$(dpkg-deb -c "$dev" | awk '{print $6}')
for f in ./usr/include/folio/ir.h ./usr/include/folio/plugin.h ./usr/include/folio/plugin-util.h; do
    grep -qx -- "$f" <<< "$devfiles" && ok "folio-dev has $f" || fail "folio-dev lacks $f"
done
grep -q 'folio-plugin\.pc$' <<< "$devfiles" && ok "folio-dev has the .pc" || fail "folio-dev lacks the .pc"

depends=$(dpkg-deb -f "$deb" Depends)
for d in libcmark-gfm0 libhpdf libzip libyaml libunibreak libutf8proc libfontconfig fonts-nanum \
         libpng16-16 libjpeg62-turbo libcurl4 libgif7 libwebp7; do
    grep -q "$d" <<< "$depends" && ok "depends on $d" || fail "Depends lacks $d: $depends"
done
[ "$(dpkg-deb -f "$dev" Depends)" = "folio (= $(dpkg-deb -f "$deb" Version))" ] &&
    ok "folio-dev depends on the same folio" || fail "folio-dev Depends: $(dpkg-deb -f "$dev" Depends)"

# apt resolves both packages on this machine (simulation, as any user).
if command -v apt-get > /dev/null; then
    if apt-get -s -o Debug::NoLocking=1 install "$deb" "$dev" > "$T/apt.log" 2>&1; then
        grep -q '^Inst folio ' "$T/apt.log" && ok "apt would install folio" ||
            fail "apt plan lacks folio: $(tail -3 "$T/apt.log")"
    else
        fail "apt-get -s install: $(tail -3 "$T/apt.log")"
    fi
fi

# Unpacked, the binary finds its plugins relative to itself.
root="$T/root"
dpkg-deb -x "$deb" "$root" && dpkg-deb -x "$dev" "$root" || fail "unpack"
FOLIO_PLUGIN_PATH= run "$root/usr/bin/folio" formats
expect_status 0 "packaged folio formats"
for p in epub pdf txt md; do
    expect_out "^$p .* $root/usr/lib/([^/]+/)?folio/$p\.so$" "packaged $p plugin found"
done
FOLIO_PLUGIN_PATH= run "$root/usr/bin/folio" convert -q -t txt,epub -d "$T/out" "$SRC/samples/2025-11-03-daily-papers.md"
expect_status 0 "packaged folio converts a sample"
[ -s "$T/out/2025-11-03-daily-papers.txt" ] && [ -s "$T/out/2025-11-03-daily-papers.epub" ] &&
    ok "packaged outputs written" || fail "packaged outputs missing"

pc=$(find "$root" -name folio-plugin.pc | head -1)
mkdir -p "$T/oot"
cc -std=c11 -Wall -Wextra -Werror -shared -fPIC \
   $(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags folio-plugin) \
   -o "$T/oot/counts.so" "$TESTS/core/plugins/outoftree.c" &&
    ok "out-of-tree plugin builds against folio-dev" || fail "out-of-tree build against folio-dev"
FOLIO_PLUGIN_PATH="$T/oot" run "$root/usr/bin/folio" convert -t counts -o - "$SRC/samples/2025-11-04-paper-notes.md"
expect_status 0 "packaged folio runs the out-of-tree plugin"
finish
