#!/bin/bash
# Every C source and header is as clang-format (with the project's
# .clang-format) would write it; lists the files that are not.
. "$TESTS/lib.sh"
if ! command -v clang-format > /dev/null; then
    fail "clang-format is not installed"
    finish
fi
cd "$SRC"
n=0
while IFS= read -r f; do
    n=$((n + 1))
    clang-format --dry-run --Werror "$f" > /dev/null 2>&1 || fail "not formatted (clang-format -i): $f"
done < <(find core plugins tests samples -name '*.[ch]' | sort)
[ $n -gt 20 ] && ok "$n sources checked" || fail "only $n sources found"
finish
