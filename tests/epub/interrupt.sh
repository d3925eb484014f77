#!/bin/bash
# interrupt.sh FORMAT (epub or pdf): SIGINT in the middle of a book.  The
# plugin's own temporaries have no name from the moment they are made
# (seen open in /proc while $TMPDIR stays empty), so the kill leaves no
# temporary file and no .folio-epub-* folder behind.
. "$TESTS/lib.sh"
fmt=$1
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/out"
bash "$SRC/samples/gen-month.sh" "$T/year" 400 > /dev/null
caught=0
set -m # a background job of a script otherwise ignores SIGINT
for try in 1 2 3 4 5; do
    rm -rf "$T/out"/* "$T/out"/.[!.]*
    "$FOLIO" convert -q -j 1 -t "$fmt" -o "$T/out/book.$fmt" "$T"/year/*.md 2> "$R/err" &
    pid=$!
    seen="" hit=0
    # Until it ends.  ls fails now and then while it runs (an fd closed
    # while being listed), so liveness comes from kill -0, not from ls.
    while kill -0 "$pid" 2> /dev/null; do
        fds=$(ls -l "/proc/$pid/fd" 2> /dev/null || true)
        # Midway: epub's temporaries are open (or, before they had no
        # name, its folder exists); pdf: the host's output is open.
        if [ "$fmt" = epub ]; then
            grep -q "$TMPDIR/" <<< "$fds" || ls -A "$T/out" | grep -q folio-epub
        else
            grep -q "$T/out/" <<< "$fds" || ls -A "$T/out" | grep -q .
        fi && { hit=1; seen=$(ls -A "$TMPDIR"); break; }
    done
    kill -INT "$pid" 2> /dev/null
    wait "$pid"
    status=$?
    # 130: killed by SIGINT, or exited as the shell convention says.
    [ "$hit$status" = 1130 ] && { caught=1; break; }
done
[ "$caught" = 1 ] && ok "$fmt: interrupted midway (try $try)" ||
    fail "$fmt: never caught running (last: seen midway $hit, exit $status)"
[ -z "$seen" ] && ok "$fmt: temporaries unnamed while open" || fail "$fmt: named temporaries: $seen"
left=$(ls -A "$TMPDIR"; find "$T" -name '.folio-epub-*')
[ -z "$left" ] && ok "$fmt: nothing left in \$TMPDIR, no .folio-epub-* folder" ||
    fail "$fmt: left behind: $left"
finish
