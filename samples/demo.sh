#!/bin/bash
# The main job: install what is missing, build, and convert samples/ into
# out/ in every format: one output per post, the sample site with figures,
# and a generated month bound into one book.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/.ci/deps.sh"
deps_install build
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$top/build" -j "$(nproc)"
folio="$top/build/bin/folio"
formats=$("$folio" formats | awk '{print $1}' | paste -sd, -)
out="$top/out"
mkdir -p "$out"
status=0
"$folio" convert -t "$formats" -d "$out" "$top"/samples/*.md || status=$?
# A small Jekyll site with figures (site root found above _posts/).
for f in epub pdf txt md; do
    case ",$formats," in *",$f,"*)
        "$folio" convert -q -o "$out/site.$f" "$top"/samples/site/_posts/*.md || status=$? ;;
    esac
done
# A generated month of reference-sized digests, bound into single books.
month=$(mktemp -d)
trap 'rm -rf "$month"' EXIT
bash "$top/samples/gen-month.sh" "$month" > /dev/null
for f in epub pdf txt md; do
    case ",$formats," in *",$f,"*)
        "$folio" convert -o "$out/november.$f" "$month"/*.md || status=$? ;;
    esac
done
echo "formats: $formats"
ls -l "$out"
exit $status
