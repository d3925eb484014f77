#!/bin/bash
# Batch conversion as scripts use it, in every format found: -j N gives
# the same bytes as -j 1, and a kill -9 in the middle of a large batch
# leaves only complete outputs (plus hidden temporary files), never a
# partial file under an output's name.
. "$TESTS/lib.sh"
formats=$("$FOLIO" formats 2>/dev/null | awk '{print $1}' | paste -sd, -)
[ -n "$formats" ] || { fail "no plugins found"; finish; }
bash "$SRC/samples/gen-month.sh" "$T/in" 24 > /dev/null
cp "$SRC"/samples/*.md "$T/in/"

run "$FOLIO" convert -q -j 1 -t "$formats" -d "$T/j1" "$T/in"
expect_status 0 "-j 1 batch of $(ls "$T/in" | wc -l) digests to $formats"
run "$FOLIO" convert -q -j 2 -t "$formats" -d "$T/j2" "$T/in"
expect_status 0 "-j 2 batch"
if diff -r "$T/j1" "$T/j2" > "$T/diff"; then ok "-j 2 outputs byte-identical to -j 1"; else
    fail "-j outputs differ: $(head -5 "$T/diff")"; fi
n=$(ls "$T/j1" | wc -l); want=$(( $(ls "$T/in" | wc -l) * $(tr , '\n' <<< "$formats" | wc -l) ))
[ "$n" = "$want" ] && ok "$n outputs" || fail "$n outputs, wanted $want"

# Parallel parsing must not race: cmark-gfm keeps its extensions' special
# characters in a process-wide table, so strikethrough and autolinks were
# lost at random with -j 2 until the core serialised cmark's parse.
mkdir "$T/race"
for i in $(seq 1 60); do
    printf -- '---\ntitle: t%d\n---\n# 1. x\n\n~~gone~~ www.example.com, https://a.b, ~~more~~ a@b.co\n' "$i" > "$T/race/d$i.md"
done
"$FOLIO" convert -q -j 1 -t md -d "$T/race1" "$T/race"
same=1
for r in 1 2 3 4 5; do
    "$FOLIO" convert -q -j 2 -t md -d "$T/race2" "$T/race"
    diff -rq "$T/race1" "$T/race2" > /dev/null || same=0
done
[ $same = 1 ] && ok "parallel parses keep strikethrough and autolinks (5 runs)" || fail "-j 2 lost inline extensions"

# kill -9 part-way through: whatever has an output's name is complete.
for attempt in 1 2 3; do
    rm -rf "$T/k"
    "$FOLIO" convert -q -j 2 -t "$formats" -d "$T/k" "$T/in" &
    pid=$!
    sleep 0.$((2 + attempt))
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    done_n=$(ls "$T/k" 2> /dev/null | wc -l)
    [ "$done_n" -gt 0 ] && [ "$done_n" -lt "$want" ] && break
done
ok "killed with $done_n of $want outputs in place"
bad=0
for f in "$T"/k/*; do
    [ -e "$f" ] || continue
    cmp -s "$f" "$T/j1/$(basename "$f")" || { bad=1; fail "partial or wrong output after kill: $(basename "$f")"; }
done
[ $bad = 0 ] && ok "every visible output after kill -9 is complete"
left=$(ls -A "$T/k" 2> /dev/null | grep '^\.' | wc -l)
ok "$left hidden temporary files left by the kill (never under an output's name)"

# Run again with -u: only what is missing or stale is written.
run "$FOLIO" convert -q -u -j 2 -t "$formats" -d "$T/k" "$T/in"
expect_status 0 "-u after the kill"
diff -r -x '.*' "$T/j1" "$T/k" > /dev/null && ok "-u completed the batch" || fail "-u result differs"
touch -d '2001-01-01' "$T"/k/*
before=$(stat -c %Y "$T/k/$(ls "$T/k" | head -1)")
run "$FOLIO" convert -q -u -j 2 -t "$formats" -d "$T/k" "$T/in"
after=$(stat -c %Y "$T/k/$(ls "$T/k" | head -1)")
[ "$before" != "$after" ] && ok "-u rewrites outputs older than their inputs" || fail "-u skipped stale outputs"
run "$FOLIO" convert -q -u -v -j 2 -t "$formats" -d "$T/k" "$T/in"
[ -z "$err" ] && ok "-u skips everything up to date" || fail "-u rewrote: ${err:0:200}"
finish
