#!/bin/bash
# The test command: install what is missing, build with warnings as
# errors, run the suite with ctest, then again under ASan + UBSan.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/.ci/deps.sh"
deps_install test
jobs=$(nproc)
status=0
for cfg in build:OFF build-asan:ON; do
    dir="$top/${cfg%%:*}"
    cmake -S "$top" -B "$dir" -DFOLIO_WERROR=ON -DFOLIO_SANITIZE="${cfg##*:}" > /dev/null
    cmake --build "$dir" -j "$jobs"
    echo "== ctest in ${cfg%%:*} (sanitizers ${cfg##*:})"
    (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 ctest -j "$jobs" --output-on-failure) || status=1
done
# The text plugins' tests and the hostile input once more with folio under
# valgrind: no errors, no leaks.  Only txt and md, and no generated giants
# (FOLIO_TEST_SLOW=valgrind trims them); about two minutes on an idle
# machine, with CPU-time guards fifty times a native build's.
dir="$top/build-valgrind"
cmake -S "$top" -B "$dir" -DFOLIO_WERROR=ON -DFOLIO_VALGRIND=ON > /dev/null
cmake --build "$dir" -j "$jobs"
echo "== ctest in build-valgrind (txt, md and hostile input under valgrind)"
(cd "$dir" && ctest -j "$jobs" -R '^(txt|md|hostile)_' --output-on-failure) || status=1
exit $status
