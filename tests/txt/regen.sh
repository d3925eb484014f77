#!/usr/bin/env bash
# Regenerate tests/txt/expected/ from the current build; read the diff
# (git diff tests/txt/expected) before committing it.
#   tests/txt/regen.sh [path/to/folio]
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FOLIO=${1:-${FOLIO:-$SRC/build/bin/folio}}
export SOURCE_DATE_EPOCH=1764720000 LC_ALL=C.UTF-8
. "$SRC/tests/txt/outputs.sh"
rm -f "$SRC"/tests/txt/expected/*.txt
mkdir -p "$SRC/tests/txt/expected"
txt_outputs "$SRC/tests/txt/expected"
ls -l "$SRC/tests/txt/expected"
