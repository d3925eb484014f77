#!/bin/bash
# SIGINT, SIGTERM and SIGHUP in the middle of a batch: every temporary the
# run made is removed (the host's .NAME.XXXXXX folders, the EPUB plugin's
# folder inside them, stdout spools), then folio dies of the signal (exit
# status 128 + its number, as the shell reports it).
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$1/plugins-good:$1/plugins-path"
S="$SRC/samples"
mkdir "$T/in"
for i in $(seq 1 300); do cp "$S/2025-11-03-daily-papers.md" "$T/in/d$i.md"; done
set -m # background jobs keep SIGINT (without job control they ignore it)

temps() { ls -A "$1" 2>/dev/null | grep -c '^\.\|^folio-' ; }
has_temps() { [ "$(temps "$1")" -gt 0 ]; }
# wait_for CMD...: poll up to 300 s (generous: sanitizer builds are slow)
wait_for() { # PID CMD...: until CMD holds or PID is gone
    local pid=$1; shift
    for _ in $(seq 1 3000); do
        "$@" && return 0
        kill -0 "$pid" 2> /dev/null || return 1
        sleep 0.1
    done
    return 1
}

# kill_midway SIG DIR FOLIO-ARGS...: start a batch, wait until a temporary
# exists, send SIG, check the status and that no temporary is left.
kill_midway() {
    local sig=$1 dir=$2 num; shift 2
    num=$(kill -l "$sig")
    "$FOLIO" "$@" > "$R/out" 2> "$R/err" &
    local pid=$!
    if wait_for $pid has_temps "$dir"; then
        kill -"$sig" $pid; wait $pid; status=$?
        [ "$status" = $((128 + num)) ] && ok "SIG$sig: exit $status" || fail "SIG$sig: exit $status, wanted $((128 + num)); $(head -c 300 "$R/err")"
    else
        kill -KILL $pid; wait $pid; fail "SIG$sig: no temporary ever seen"
    fi
    [ "$(temps "$dir")" = 0 ] && ok "SIG$sig: no temporary left in $(basename "$dir")" || fail "SIG$sig: left: $(ls -A "$dir" | grep '^\.\|^folio-' | head -5 | tr '\n' ' ')"
    for f in "$dir"/*; do
        [ -e "$f" ] || continue
        [ -s "$f" ] || { fail "SIG$sig: empty output $f"; return; }
    done
}

# The test plugin sleeps before each digest, so temporaries are always
# there to be found and the batch is long whatever the machine.
export TESTPLUG_SLEEP_MS=20
kill_midway INT "$T/o1" convert -j 2 -t titles -d "$T/o1" "$T/in"
kill_midway TERM "$T/o2" convert -j 2 -t pathw -d "$T/o2" "$T/in"
mkdir "$T/o3" "$T/spool"
kill_midway HUP "$T/o3" convert -t titles -o "$T/o3/book.lst" "$T/in"
# a path-writing plugin to stdout goes through a spool in TMPDIR
TMPDIR="$T/spool" kill_midway TERM "$T/spool" convert -t pathw -o - "$T/in"
unset TESTPLUG_SLEEP_MS

# The real plugins: the EPUB plugin's own folder goes with the host's.
for fmt in epub pdf; do
    FOLIO_PLUGIN_PATH= kill_midway INT "$T/$fmt" convert -q -j 2 -t $fmt -d "$T/$fmt" "$T/in"
done
finish
