#!/bin/bash
# figure-month.sh IMAGES_TEST OUT DAYS [FIGS]: a Jekyll site OUT (_posts/
# and assets/img/) of DAYS generated digests (samples/gen-month.sh) with
# figures: each paper's Method shows one of FIGS (default 24) distinct
# 1200x800 figures, PNG and JPEG in turn (so some repeat), and its Results
# the same chart, as a site-absolute path, a Liquid path or an HTML <img>.
set -eu
driver=$1 out=$2 days=$3 figs=${4:-24}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/_posts" "$out/assets/img"
bash "$top/samples/gen-month.sh" "$out/_posts" "$days" > /dev/null
"$driver" figs "$out/assets/img" "$figs"
"$driver" sample "$out/assets/img"
for f in "$out"/_posts/*.md; do
    awk -v figs="$figs" -v seed="$(basename "$f" | tr -dc 0-9)" '
        /^## Method/ {
            print; k = (seed + n++) % figs
            printf "\n![Figure %d: the method](/assets/img/fig-%d.%s)\n\n", n, k, (k % 2 ? "jpg" : "png")
            next
        }
        /^## Results/ {
            print
            if (n % 2) print "\n![The results chart]({{ '\''/assets/img/chart-alpha.png'\'' | relative_url }})\n"
            else print "\n<img src=\"{{ site.baseurl }}/assets/img/chart.jpg\" alt=\"The results chart\">\n"
            next
        }
        { print }' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done
