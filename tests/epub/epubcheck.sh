#!/bin/bash
# EPUBCheck (Debian's epubcheck) must report 0 errors and 0 warnings for:
# every sample alone, all samples bound into one book, a generated month,
# and the hostile digest.  Seven runs of ~5 s, three at a time.
. "$TESTS/lib.sh"
JAR=/usr/share/java/epubcheck.jar
if ! command -v java > /dev/null || [ ! -r "$JAR" ]; then
    fail "EPUBCheck missing: apt-get install epubcheck default-jre-headless"
    finish
fi
mkdir "$T/e"
run "$FOLIO" convert -t epub -d "$T/e" "$SRC"/samples/*.md
expect_status 0 "each sample alone"
run "$FOLIO" convert -o "$T/e/all-samples.epub" "$SRC"/samples/*.md
expect_status 0 "all samples in one book"
bash "$SRC/samples/gen-month.sh" "$T/month" 30 > /dev/null
run "$FOLIO" convert -o "$T/e/month.epub" "$T"/month/*.md
expect_status 0 "a month"
run "$FOLIO" convert -o "$T/e/hostile.epub" "$TESTS/epub/hostile.md"
expect_status 0 "the hostile digest"
# Figures: the sample site (PNG, JPEG, Liquid, HTML <img>, a cover, a
# remote image) and a month with figures.
run "$FOLIO" convert -o "$T/e/site.epub" "$SRC"/samples/site/_posts/*.md
expect_status 0 "the sample site"
if [ -n "${IMAGES_TEST:-}" ]; then
    bash "$TESTS/images/figure-month.sh" "$IMAGES_TEST" "$T/figs" 10 12
    run "$FOLIO" convert -o "$T/e/figure-month.epub" "$T"/figs/_posts/*.md
    expect_status 0 "a month with figures"
fi

# A short-lived JVM: C1 only and the serial collector halve its time and
# memory.
JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m"
ls "$T"/e/*.epub | xargs -P 3 -I{} sh -c 'java '"$JAVA_OPTS"' -jar '"$JAR"' "$1" > "$1.log" 2>&1; echo "exit $?" >> "$1.log"' _ {}
n=0
for f in "$T"/e/*.epub; do
    n=$((n + 1))
    log="$f.log" name=$(basename "$f")
    if grep -q 'No errors or warnings detected' "$log" &&
        grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$log" &&
        ! grep -qE '^(FATAL|ERROR|WARNING)' "$log" && grep -q '^exit 0$' "$log"; then
        ok "EPUBCheck: $name clean"
    else
        fail "EPUBCheck: $name"
        grep -E '^(FATAL|ERROR|WARNING)|Messages:' "$log" | head -20 | sed 's/^/  /'
    fi
done
# each sample, the book, the month, hostile, the site, the figure month
want=$(($(ls "$SRC"/samples/*.md | wc -l) + 4 + ${IMAGES_TEST:+1}))
[ "$n" = "$want" ] && ok "$want EPUBs checked" || fail "checked $n EPUBs, wanted $want"
finish
