#!/bin/bash
# Outputs are written to a temporary file and renamed when complete: a
# failing plugin, a full disk or a missing directory never leaves a partial
# file and never destroys the previous output.
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$1/plugins-fail:$1/plugins-good"
S="$SRC/samples"

echo "previous good output" > "$T/book.lst"
run "$FOLIO" convert -t failing -o "$T/book.lst" "$S"
expect_status 1 "failing plugin"
expect_err "error: failing on purpose" "plugin's message shown"
expect_err "book.lst: error: not written: the failing plugin \\(.*/plugins-fail/failing.so\\) failed" "failure names the plugin file"
[ "$(cat "$T/book.lst")" = "previous good output" ] && ok "previous output kept" || fail "previous output destroyed"
[ -z "$(ls -A "$T" | grep -v '^book.lst$')" ] && ok "no temporary file left" || fail "left: $(ls -A "$T")"

run "$FOLIO" convert -t titles -o "$T/no/such/dir/book.lst" "$S"
expect_status 1 "missing output directory"
expect_err "book.lst: error: cannot create output" "clear message"

# A full disk, without mounting: a file size limit makes writes fail.
mkdir "$T/full"; echo "old" > "$T/full/book.lst"
for i in $(seq 1 40); do cp "$S/2025-11-03-daily-papers.md" "$T/full/d$i.md"; done
run bash -c "ulimit -f 1; '$FOLIO' convert -t titles -o '$T/full/book.lst' '$T'/full/d*.md"
expect_status 1 "write beyond the size limit fails"
expect_err "book.lst: error: cannot write: File too large" "write error reported"
[ "$(cat "$T/full/book.lst")" = "old" ] && ok "old output kept on a full disk" || fail "old output lost"
[ -z "$(ls -A "$T/full" | grep '^\.')" ] && ok "no temporary file left" || fail "temp left: $(ls -A "$T/full")"

# A device or FIFO as output is written to, never renamed over.
run "$FOLIO" convert -t titles -o /dev/null "$S"
expect_status 0 "-o /dev/null"
[ -c /dev/null ] && ok "/dev/null is still a character device" || fail "/dev/null was replaced"
mkfifo "$T/fifo"; (cat "$T/fifo" > "$T/fromfifo" &)
run "$FOLIO" convert -t titles -o "$T/fifo" "$S"
sleep 0.2
[ -p "$T/fifo" ] && grep -q 'papers)' "$T/fromfifo" && ok "FIFO written through" || fail "FIFO output"
rm -f "$T/fifo" "$T/fromfifo"

# A read-only directory (as an unprivileged user: root writes anywhere).
mkdir "$T/ro"; echo "kept" > "$T/ro/book.lst"; chmod 555 "$T/ro"; chmod 755 "$T"
as=""; [ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod -R a+rX "$SRC/samples" 2>/dev/null
run $as "$FOLIO" convert -t titles -o "$T/ro/book.lst" "$S"
expect_status 1 "read-only output directory"
expect_err "ro/book.lst: error: cannot create output: Permission denied" "read-only message"
[ "$(cat "$T/ro/book.lst")" = kept ] && ok "old output in a read-only directory kept" || fail "read-only: old output changed"
chmod 755 "$T/ro"

# Success replaces the old file atomically.
run "$FOLIO" convert -t titles -o "$T/book.lst" "$S"
expect_status 0 "success"
grep -q 'papers)' "$T/book.lst" && ok "new output in place" || fail "not replaced"
finish
