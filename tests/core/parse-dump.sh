#!/bin/bash
# The parser: `folio dump --positions` of every sample and parser case
# (and of the txt cases) compared with the expected IR.  REGEN=1 rewrites
# the expected files.
set -u
fail=0
for f in "$SRC"/samples/*.md "$TESTS"/core/cases/*.md "$TESTS"/txt/cases/*.md; do
    name=$(basename "$f" .md)
    exp="$TESTS/core/expected/$name.ir"
    got=$(cd "$(dirname "$f")" && "$FOLIO" dump --positions "$(basename "$f")" 2>&1)
    if [ "${REGEN:-}" = 1 ]; then
        printf '%s\n' "$got" > "$exp"
        continue
    fi
    if ! diff -u "$exp" <(printf '%s\n' "$got") > /tmp/folio-diff.$$; then
        echo "FAIL: IR of $name differs from $exp:"
        head -40 /tmp/folio-diff.$$
        fail=1
    fi
done
rm -f /tmp/folio-diff.$$
[ $fail = 0 ] && echo "all IR dumps match"
exit $fail
