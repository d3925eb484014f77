#!/bin/bash
# Peak memory: a year of digests (365) may cost at most 1.5 times a month
# (30): documents are streamed to disk, only the table of contents waits.
# Skipped under valgrind and AddressSanitizer, whose own memory dominates.
. "$TESTS/lib.sh"
INSPECT=$1
if [ -n "${FOLIO_REAL:-}" ] || ldd "$FOLIO" 2> /dev/null | grep -q libasan; then
    echo "skipped: folio runs under valgrind or ASan"
    exit 0
fi
bash "$SRC/samples/gen-month.sh" "$T/month" 30 > /dev/null
bash "$SRC/samples/gen-month.sh" "$T/year" 365 > /dev/null
# -j 1: one parsing thread, so the numbers do not depend on the cores.
month=$("$INSPECT" --rss "$FOLIO" convert -j 1 -o "$T/month.epub" "$T"/month/*.md) || fail "month"
year=$("$INSPECT" --rss "$FOLIO" convert -j 1 -o "$T/year.epub" "$T"/year/*.md) || fail "year"
echo "peak RSS: month $month KiB, year $year KiB"
[ "$((year * 2))" -le "$((month * 3))" ] && ok "year <= 1.5 x month" || fail "year $year KiB > 1.5 x month $month KiB"
[ "$month" -lt 32768 ] && ok "month under 32 MiB" || fail "month $month KiB"
[ "$("$INSPECT" "$T/year.epub" | grep -c 'OEBPS/d[0-9]*\.xhtml')" = 365 ] && ok "365 documents" || fail "year EPUB incomplete"
finish
