#!/bin/bash
# Build the fuzz targets with clang + libFuzzer + ASan/UBSan and run each
# for SECONDS (default 600), seeded from samples/ and regress/.  New
# crashes land in tests/fuzz/crashes/; minimise them and move them into
# regress/ once fixed, so ctest replays them.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}; shift || true
build="$top/build-fuzz"
CC=clang cmake -S "$top" -B "$build" -DFOLIO_FUZZ=ON -DFOLIO_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j "$(nproc)" > /dev/null
targets=${*:-$(cd "$build/bin" && ls fuzz_* | sed "s/^fuzz_//")}
mkdir -p "$top/tests/fuzz/crashes"
for t in $targets; do
    corpus="$build/corpus/$t"; mkdir -p "$corpus"
    if [ "$t" = subset ]; then # seeds: the faces folio embeds in the samples' PDFs
        pdfs=$(mktemp -d)
        "$build/bin/folio" convert -q -t pdf -d "$pdfs" "$top"/samples/*.md || true
        for pdf in "$pdfs"/*.pdf; do
            for o in $(seq 1 $(qpdf --show-npages "$pdf" > /dev/null && qpdf --show-xref "$pdf" | wc -l)); do
                qpdf --show-object=$o "$pdf" 2> /dev/null | grep -q Length1 &&
                    qpdf --show-object=$o --filtered-stream-data "$pdf" > "$corpus/$(basename "$pdf" .pdf)-$o.ttf"
            done
        done
        rm -rf "$pdfs"
    fi
    echo "== fuzz_$t for ${secs}s"
    maxlen=262144
    [ "$t" = subset ] && maxlen=1048576 # overlapping-glyph faces need ~0.6 MB to wrap 32 bits
    "$build/bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=$maxlen -artifact_prefix="$top/tests/fuzz/crashes/$t-" \
        -print_final_stats=1 "$corpus" "$top/samples" "$top/tests/fuzz/regress" 2>&1 |
        grep -E '^#[0-9]+ +(DONE|INITED)|stat::(number_of_executed_units|new_units_added)|ERROR|SUMMARY' || true
done
