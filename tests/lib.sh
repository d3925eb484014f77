# Shared by the test scripts: a scratch directory and small assertions.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/folio-test.XXXXXX")
R=$(mktemp -d "${TMPDIR:-/tmp}/folio-run.XXXXXX")
trap 'rm -rf "$T" "$R"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
# Guards against hangs bound CPU time, not wall time: a loaded machine
# slows a correct program down but does not make it use more CPU.  The
# limits scale with FOLIO_TEST_SLOW (set by CMake: asan for sanitizer
# builds, valgrind when folio runs under valgrind); the wall clock is only
# a backstop ten times the CPU limit, for a program blocked without
# spinning.  The largest single command (100,000 papers to PDF) takes
# about 6 s of CPU in a release build.
case "${FOLIO_TEST_SLOW:-}" in
asan) SLOW=5 ;;
valgrind) SLOW=50 ;;
*) SLOW=1 ;;
esac
CPU_LIMIT=$((60 * SLOW))
WALL_LIMIT=$((CPU_LIMIT * 10))
# limit CMD...: CMD under the guards, its output untouched.  SIGXCPU at the
# soft limit (exit 152), SIGKILL ten seconds of CPU later.
limit() {
    (
        # An outer, lower limit stays.
        ulimit -H -t $((CPU_LIMIT + 10)) 2> /dev/null
        ulimit -S -t $CPU_LIMIT 2> /dev/null
        exec timeout -k 10 $WALL_LIMIT "$@"
    )
}
# formats: the format plugins found, one a line; under valgrind only the
# text ones (PDF and EPUB there would take most of an hour).
formats() {
    "$FOLIO" formats 2> /dev/null | awk '{print $1}' |
        if [ "$SLOW" = 50 ]; then grep -x 'txt\|md'; else cat; fi
}
# hung STATUS: did the guards stop the command?
hung() { [ "$1" = 124 ] || [ "$1" = 137 ] || [ "$1" = 152 ]; }
# run CMD...: CMD under the guards; sets $status, $out (stdout) and $err
# (stderr).
run() {
    limit "$@" > "$R/out" 2> "$R/err"
    status=$?
    out=$(cat "$R/out")
    err=$(cat "$R/err")
    hung $status && fail "hung (over $CPU_LIMIT s of CPU or $WALL_LIMIT s): $*"
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
