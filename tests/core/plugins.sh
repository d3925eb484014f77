#!/bin/bash
# Plugin loading: refusals name the file; only the binary's own directory
# and absolute FOLIO_PLUGIN_PATH entries are searched.
. "$TESTS/lib.sh"
P="$1"
S="$SRC/samples/2025-11-03-daily-papers.md"

FOLIO_PLUGIN_PATH="$P/plugins-badabi" run "$FOLIO" convert -t badabi -o - "$S"
expect_status 2 "wrong ABI refused"
expect_err "plugins-badabi/badabi.so: error: plugin refused: built for plugin ABI [0-9]+, this folio needs ABI [0-9]+" "ABI message names the file"

FOLIO_PLUGIN_PATH="$P/plugins-nosym" run "$FOLIO" convert -t nosym -o - "$S"
expect_status 2 "missing entry symbol refused"
expect_err "plugins-nosym/nosym.so: error: plugin refused: not a folio plugin: no 'folio_plugin_entry' symbol" "symbol message names the file"

FOLIO_PLUGIN_PATH="$P/plugins-badabi:$P/plugins-good" run "$FOLIO" formats
expect_err "badabi.so: error: plugin refused" "formats reports the refused plugin"
expect_out "^titles " "formats still lists the good plugin"

# A relative FOLIO_PLUGIN_PATH entry is ignored; so is the current directory.
cd "$P" && FOLIO_PLUGIN_PATH="plugins-good" run "$FOLIO" convert -t titles -o - "$S"
expect_status 2 "relative FOLIO_PLUGIN_PATH not searched"
expect_err "ignoring relative directory 'plugins-good'" "relative entry warned about"
cd "$P/plugins-good" && FOLIO_PLUGIN_PATH= run "$FOLIO" convert -t titles -o - "$S"
expect_status 2 "current directory not searched"

# The build tree's folio finds the build tree's plugins.
FOLIO_PLUGIN_PATH= run "$FOLIO" formats
expect_out " $BUILD/lib[^ ]*/folio/[a-z]+\.so$" "build tree plugins found beside the binary"
finish
