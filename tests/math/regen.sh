#!/bin/bash
# Rewrite golden.tsv from formulas.txt with the built math_suite; review
# the diff before committing it.
#   tests/math/regen.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cmake --build "$build" --target math_suite > /dev/null
"$build/bin/math_suite" regen "$here/formulas.txt" > "$here/golden.tsv"
echo "$(wc -l < "$here/golden.tsv") formulas in golden.tsv"
