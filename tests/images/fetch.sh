#!/bin/bash
# Remote images: libcurl against a server on 127.0.0.1 (server.py): an
# image, 404, Content-Length and streamed bodies over the cap, a redirect
# loop, four redirects, a redirect to ftp:, a slow answer; then the same
# URL with the server gone, served from the cache.
# usage: fetch.sh IMAGES_TEST
. "$TESTS/lib.sh"
DRIVER=$1
ulimit -t 120
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1
command -v python3 > /dev/null || { echo "python3 missing"; exit 1; }

"$DRIVER" png "$T/ok.png" || fail "writing the served PNG"
python3 "$TESTS/images/server.py" "$T/ok.png" > "$T/port" 2> "$T/server.err" &
server=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
port=$(head -1 "$T/port")
[ -n "$port" ] || { fail "server did not start"; cat "$T/server.err"; finish; }
base="http://127.0.0.1:$port"

timeout 120 "$DRIVER" fetch "$base" "$T/cache" > "$R/out" 2>&1
status=$?
cat "$R/out"
[ $status = 0 ] && ok "fetches against the loopback server" || fail "fetch checks (exit $status)"
kill "$server" 2> /dev/null
wait "$server" 2> /dev/null

# The cache: one file for ok.png (named by the URL's hash), no temporaries.
n=$(find "$T/cache" -type f | wc -l)
[ "$n" -ge 1 ] && ok "cache holds $n file(s)" || fail "empty cache"
if find "$T/cache" -name '*.tmp*' | grep -q .; then fail "temporary left in the cache"; else ok "no temporaries"; fi
[ "$(stat -c %a "$T/cache")" = 700 ] && ok "cache folder is private" || fail "cache folder mode $(stat -c %a "$T/cache")"

timeout 120 "$DRIVER" cached "$base" "$T/cache" > "$R/out" 2>&1
status=$?
cat "$R/out"
[ $status = 0 ] && ok "served from the cache with the server stopped" || fail "cache checks (exit $status)"
finish
