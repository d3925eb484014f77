#!/bin/bash
# fsize.sh FORMAT (pdf or epub): a write that fails late.  Under a file-size
# limit just around the output's size (the disk filling in its last
# kilobyte), with SIGXFSZ ignored so that write() fails with EFBIG, the
# plugin reports the failure: exit 1, a clear error, the previous output
# byte-identical, no temporary left.  At the output's exact size it works.
. "$TESTS/lib.sh"
fmt=$1
export SOURCE_DATE_EPOCH=1700000000 TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/out"
in="$SRC/samples/2025-11-03-daily-papers.md"
dest="$T/out/book.$fmt"
"$FOLIO" convert -q -t "$fmt" -o "$T/good.$fmt" "$in" || fail "reference output"
size=$(stat -c %s "$T/good.$fmt")
[ "$size" -gt 8192 ] || fail "reference output too small: $size bytes"

# limited BYTES: the conversion into $dest under RLIMIT_FSIZE = BYTES.
limited() {
    run bash -c "trap '' XFSZ; exec prlimit --fsize=$1 \"\$@\"" _ \
        "$FOLIO" convert -t "$fmt" -o "$dest" "$in"
}
for limit in $((size - 1)) $((size - 1024)) $((size - 4096)) $((size / 2)); do
    printf 'previous\n' > "$dest"
    limited "$limit"
    expect_status 1 "$fmt under a $limit-byte limit ($size needed)"
    expect_err "error: .*(File too large|cannot write)" "$fmt: the write error is reported"
    [ "$(cat "$dest")" = previous ] && ok "$fmt: previous output untouched" ||
        fail "$fmt: previous output replaced under a $limit-byte limit"
    left=$(ls -A "$T/out" "$TMPDIR" | grep -v -e "^book.$fmt\$" -e '^$' -e ':$')
    [ -z "$left" ] && ok "$fmt: no temporary left" || fail "$fmt: left behind: $left"
done
limited "$size"
expect_status 0 "$fmt under a limit of exactly its size"
cmp -s "$dest" "$T/good.$fmt" && ok "$fmt: complete output" || fail "$fmt: output differs"
finish
