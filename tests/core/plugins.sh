#!/bin/bash
# Plugin loading: refusals name the file; only the binary's own directory
# and absolute FOLIO_PLUGIN_PATH entries are searched.
. "$TESTS/lib.sh"
P="$1"
S="$SRC/samples/2025-11-03-daily-papers.md"

FOLIO_PLUGIN_PATH="$P/plugins-badabi" run "$FOLIO" convert -t badabi -o - "$S"
expect_status 2 "wrong ABI refused"
expect_err "plugins-badabi/badabi.so: error: plugin refused: built for plugin ABI [0-9]+, this folio needs ABI [0-9]+" "ABI message names the file"

# A description without its size (an older folio_plugin) is told apart.
FOLIO_PLUGIN_PATH="$P/plugins-nosize" run "$FOLIO" convert -t nosize -o - "$S"
expect_status 2 "description without a size refused"
expect_err "plugins-nosize/nosize.so: error: plugin refused: its description is 0 bytes, this folio needs at least [0-9]+" "size message names the file"

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

# A format name is [a-z0-9_]+, never a path: from -t, from the -o
# extension and from folio.yaml alike.  evil.so here would print PWNED.
mkdir "$T/cwd" && cd "$T/cwd"
cp "$P/plugins-good/titles.so" evil.so
for t in ../../../../proc/self/cwd/evil /proc/self/cwd/evil ./evil Titles 'titles,../evil' 'a b'; do
    FOLIO_PLUGIN_PATH="$P/plugins-good" run "$FOLIO" convert -t "$t" -o - "$S"
    expect_status 2 "-t '$t' refused"
    expect_err "^folio: error: .*is not a format name" "-t '$t': not a format name"
    [ -z "$out" ] && ok "-t '$t': nothing run" || fail "-t '$t' ran: $out"
done
FOLIO_PLUGIN_PATH="$P/plugins-good" run "$FOLIO" convert -o "book.x/../evil" "$S"
expect_status 2 "-o extension with a slash refused"
printf 'formats: [../../../../proc/self/cwd/evil]\n' > folio.yaml
FOLIO_PLUGIN_PATH="$P/plugins-good" run "$FOLIO" convert -o - "$S"
expect_status 2 "folio.yaml formats: a path refused"
expect_err "^folio.yaml:1:[0-9]+: error: formats: '../../../../proc/self/cwd/evil' is not a format name" "folio.yaml: position and name"
[ -z "$out" ] && ok "folio.yaml: nothing run" || fail "folio.yaml path ran: $out"
rm folio.yaml

# A truncated or damaged plugin is refused with a message before dlopen
# (the dynamic loader would die of SIGBUS mapping the missing pages).
mkdir "$T/trunc"
size=$(stat -c %s "$P/plugins-good/titles.so")
for keep in 10 100 1000 $((size / 2)) $((size - 100)); do
    head -c $keep "$P/plugins-good/titles.so" > "$T/trunc/titles.so"
    FOLIO_PLUGIN_PATH="$T/trunc" run "$FOLIO" convert -t titles -o - "$S"
    expect_status 2 "plugin cut to $keep of $size bytes refused"
    expect_err "trunc/titles.so: error: plugin refused: (not an ELF|truncated)" "cut to $keep: message names the file"
done
printf 'not a plugin' > "$T/trunc/titles.so"
FOLIO_PLUGIN_PATH="$T/trunc" run "$FOLIO" convert -t titles -o - "$S"
expect_err "titles.so: error: plugin refused: not an ELF" "a text file refused"
FOLIO_PLUGIN_PATH="$T/trunc:$P/plugins-good" run "$FOLIO" formats
expect_status 1 "formats: a damaged plugin is an error"
expect_out "^titles " "formats: the good plugin still listed"
expect_err "trunc/titles.so: error: plugin refused" "formats names the damaged file"

# Plugin files and directories others may change are warned about.
mkdir "$T/open" && cp "$P/plugins-good/titles.so" "$T/open/"
chmod 755 "$T/open"; chmod 664 "$T/open/titles.so"
# Group-writable is fine for the owner's private group (as ssh allows)...
FOLIO_PLUGIN_PATH="$T/open" run "$FOLIO" convert -t titles -o - "$S"
expect_status 0 "plugin writable by a private group loads"
grp=""; for g in $(id -G) 65534; do
    [ "$g" != "$(id -g)" ] && chgrp "$g" "$T/open/titles.so" 2> /dev/null && grp=$g && break
done
if [ -n "$grp" ]; then # ...not for a group others are in.
    FOLIO_PLUGIN_PATH="$T/open" run "$FOLIO" convert -t titles -o - "$S"
    expect_status 0 "group-writable plugin still loads"
    expect_err "open/titles.so: warning: plugin file is writable by its group" "group-writable file warned"
else
    echo "skipped: no other group to give the plugin file"
fi
chmod 646 "$T/open/titles.so"
FOLIO_PLUGIN_PATH="$T/open" run "$FOLIO" convert -t titles -o - "$S"
expect_err "open/titles.so: warning: plugin file is writable by others" "world-writable file warned"
chmod 644 "$T/open/titles.so"; chmod 777 "$T/open"
FOLIO_PLUGIN_PATH="$T/open" run "$FOLIO" convert -t titles -o - "$S"
expect_err "open: warning: plugin directory is writable by others" "world-writable directory warned"
chmod 755 "$T/open"
FOLIO_PLUGIN_PATH="$T/open" run "$FOLIO" convert -t titles -o - "$S"
[ -z "$err" ] && ok "no warning for a private plugin" || fail "warned: $err"

# The build tree's folio finds the build tree's plugins.
FOLIO_PLUGIN_PATH= run "$FOLIO" formats
expect_out " $BUILD/lib[^ ]*/folio/[a-z]+\.so$" "build tree plugins found beside the binary"
finish
