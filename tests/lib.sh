# Shared by the test scripts: a scratch directory and small assertions.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/folio-test.XXXXXX")
R=$(mktemp -d "${TMPDIR:-/tmp}/folio-run.XXXXXX")
trap 'rm -rf "$T" "$R"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
# run CMD...: runs it with a 20 s guard against hangs; sets $status, $out
# (stdout) and $err (stderr).
run() {
    timeout 20 "$@" > "$R/out" 2> "$R/err"
    status=$?
    out=$(cat "$R/out")
    err=$(cat "$R/err")
    [ $status = 124 ] && fail "hung: $*"
    return 0
}
expect_status() { # N description
    if [ "$status" = "$1" ]; then ok "$2 (exit $1)"; else
        fail "$2: exit $status, wanted $1"; echo "  stderr: ${err:0:600}"; fi
}
expect_err() { # regex description
    if grep -Eq -- "$1" <<< "$err"; then ok "$2"; else
        fail "$2: stderr lacks /$1/"; echo "  stderr: ${err:0:600}"; fi
}
expect_out() { # regex description
    if grep -Eq -- "$1" <<< "$out"; then ok "$2"; else
        fail "$2: stdout lacks /$1/"; echo "  stdout: ${out:0:600}"; fi
}
finish() {
    if [ "$FAILS" = 0 ]; then echo "all passed"; exit 0; fi
    echo "$FAILS failed"; exit 1
}
