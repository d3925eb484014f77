#!/bin/bash
# `cmake --install` gives a working prefix: the binary finds its plugins
# from its own location; headers, pkg-config file, man page and completion
# are there; a plugin built out of tree against them loads.
. "$TESTS/lib.sh"
P="$T/prefix"
cmake --install "$BUILD" --prefix "$P" > "$T/install.log" 2>&1 || { cat "$T/install.log"; fail "install"; finish; }
for f in bin/folio include/folio/ir.h include/folio/plugin.h include/folio/plugin-util.h share/man/man1/folio.1 \
         share/bash-completion/completions/folio; do
    [ -e "$P/$f" ] && ok "installed $f" || fail "missing $f"
done
pc=$(find "$P" -name folio-plugin.pc | head -1)
[ -n "$pc" ] && ok "pkg-config file installed" || fail "no folio-plugin.pc"

# The installed folio lists the installed plugins, not the build tree's.
FOLIO_PLUGIN_PATH= run "$P/bin/folio" formats
expect_status 0 "installed folio formats"
expect_out " $P/lib[^ ]*/folio/txt\.so$" "txt plugin found beside the installed binary"
expect_out " $P/lib[^ ]*/folio/md\.so$" "md plugin found beside the installed binary"

# An out-of-tree plugin, compiled against the installed headers only.
export PKG_CONFIG_PATH="$(dirname "$pc")"
mkdir "$T/oot"
cc -std=c11 -Wall -Wextra -Werror -shared -fPIC $(pkg-config --cflags folio-plugin) \
   -o "$T/oot/counts.so" "$TESTS/core/plugins/outoftree.c" && ok "out-of-tree plugin builds" || fail "out-of-tree build"
FOLIO_PLUGIN_PATH="$T/oot" run "$P/bin/folio" formats
expect_out "^counts +papers and sections per digest +$T/oot/counts.so$" "out-of-tree plugin listed"
FOLIO_PLUGIN_PATH="$T/oot" run "$P/bin/folio" convert -t counts -o - "$SRC/samples/2025-11-04-paper-notes.md"
expect_status 0 "out-of-tree plugin converts"
expect_out "^2025-11-04T09:30:00\+09:00: 3 papers, 11 sections$" "out-of-tree plugin output"
finish
