#!/bin/bash
# The hostile-input corpus: every case has an expected outcome (exit status
# and message) checked for `folio check` and for every format plugin found.
# Large and special cases are generated here rather than committed.
. "$TESTS/lib.sh"
C="$T/corpus"; mkdir -p "$C"
cp "$TESTS"/hostile/cases/*.md "$C/"
# Generated cases (pathological Markdown behind the cmark-gfm CVEs, sizes).
gen() { awk "BEGIN { $2 }" > "$C/$1.md"; }
# Under valgrind the committed cases and the special files only: the
# generated ones are sized to stress a native build.
[ "${FOLIO_TEST_SLOW:-}" = valgrind ] && gen() { :; }
gen many-papers   'for (i = 1; i <= 100000; i++) printf "# %d. Paper %d\n\nText.\n\n", i, i'
gen html-pi       'for (i = 0; i < 50000; i++) printf "a <?"; print ""'
gen cdata         'for (i = 0; i < 30000; i++) printf "a <![CDATA["; print ""'
gen bang-bracket  'for (i = 0; i < 30000; i++) printf "![[]()"; print ""'
gen autolink-www  'printf "www."; for (i = 0; i < 50000; i++) printf "a."; for (i = 0; i < 30000; i++) printf " www.a_"; print ""'
gen wide-table    'printf "|"; for (i = 0; i < 10000; i++) printf "a|"; printf "\n|"; for (i = 0; i < 10000; i++) printf "-|"; print ""; for (r = 0; r < 20; r++) { printf "|"; for (i = 0; i < 10000; i++) printf "x|"; print "" }'
gen nested-emph   'for (i = 0; i < 30000; i++) printf "*a **a "; printf "b"; for (i = 0; i < 30000; i++) printf " a** a*"; print ""'
gen html-comments 'printf "a"; for (i = 0; i < 50000; i++) printf "<!--"; print ""'
gen brackets      'for (i = 0; i < 50000; i++) printf "["; printf "a"; for (i = 0; i < 50000; i++) printf "]"; print ""'
gen quotes        'for (i = 0; i < 10000; i++) printf "> "; print "deep"'
gen lists         'for (i = 0; i < 10000; i++) printf "- "; print "deep"'
gen backticks     'for (i = 1; i < 2500; i++) { printf "e"; for (k = 0; k < i; k++) printf "`" }; print ""'
gen unclosed-link 'for (i = 0; i < 30000; i++) printf "[a](<b"; print ""'
gen footnotes     'for (i = 0; i < 20000; i++) printf "[^%d]", i; print "\n"; for (i = 0; i < 20000; i++) printf "[^%d]: x\n", i'
head -c 50000000 /dev/zero | tr '\0' 'a' > "$C/huge.md"
mkdir "$C/dir.md"; mkfifo "$C/fifo.md"; ln -s loop.md "$C/loop.md"
echo "# 1. secret" > "$C/unreadable.md"; chmod 000 "$C/unreadable.md"

# case: exit status of `check`, and a message it must print (or "").
declare -A want_status want_msg
expect() { want_status[$1]=$2; want_msg[$1]=$3; }
expect injection      0 ''
expect emoji          0 ''
expect emoji-only     0 'emoji-only.md: warning: no papers found'
expect long-word      0 ''
expect mixed-scripts  0 ''
expect many-papers    0 ''
expect html-pi        0 "warning: block with 50000 '<': read as literal text"
expect cdata          0 "warning: block with 30000 '<': read as literal text"
expect bang-bracket   0 "warning: block with 60000 '\[': read as literal text"
expect autolink-www   0 "warning: block with [0-9]+ 'www.' or '@': bare URLs are not linked"
expect wide-table     0 "warning: block with 10001 '\|': read as literal text"
expect nested-emph    0 ''
expect html-comments  0 ''
expect brackets       0 ''
expect quotes         0 'warning: nesting deeper than 100 levels flattened'
expect lists          0 'warning: nesting deeper than 100 levels flattened'
expect backticks      0 ''
expect unclosed-link  0 ''
expect footnotes      0 ''
expect huge           1 'huge.md: error: file of 50000000 bytes is larger than the limit of 16 MiB'
expect fifo           1 'fifo.md: error: not a regular file'
expect loop           1 'loop.md: error: cannot open: Too many levels of symbolic links'
if [ "$(id -u)" = 0 ]; then
    # root reads anything: make the file unreadable by reading it as nobody.
    AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 755 "$T" "$C"
else
    AS_NOBODY=""
fi

formats=$(formats)
for f in "$C"/*.md; do
    name=$(basename "$f" .md)
    [ -d "$f" ] || [ "$name" = unreadable ] && continue
    run "$FOLIO" check "$f"
    expect_status "${want_status[$name]}" "check $name"
    [ -n "${want_msg[$name]}" ] && expect_err "${want_msg[$name]}" "$name message"
    grep -q 'AddressSanitizer\|runtime error' <<< "$err" && fail "$name: sanitizer report"
    for fmt in $formats; do
        run "$FOLIO" convert -t "$fmt" -d "$T/out-$fmt" "$f"
        [ "$status" = "${want_status[$name]}" ] || fail "$fmt $name: exit $status: ${err:0:300}"
        if [ "$status" = 0 ]; then
            ext=$(ls "$T/out-$fmt/$name".* 2>/dev/null | head -1)
            [ -s "$ext" ] || fail "$fmt $name: no output"
        fi
    done
done
ok "every case through: $(echo $formats)"

# An unreadable file, a directory named like a digest.
if [ -n "$AS_NOBODY" ]; then
    run $AS_NOBODY "$FOLIO" check "$C/unreadable.md"
else
    run "$FOLIO" check "$C/unreadable.md"
fi
expect_status 1 "unreadable file"; expect_err 'unreadable.md: error: cannot open: Permission denied' "unreadable message"
run "$FOLIO" check "$C/dir.md"
expect_status 2 "directory named like a digest (no digests inside)"
expect_err 'dir.md: warning: directory holds no .md files' "directory message"
finish
