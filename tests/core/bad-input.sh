#!/bin/bash
# Bad input never crashes, hangs or loses data: each case gets a clear
# message and the right exit status, and a batch still converts the rest.
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$BUILD/tests/core/plugins-good"
B="$T/bad"; mkdir -p "$B"
cp "$SRC/samples/2025-11-03-daily-papers.md" "$B/good.md"
printf -- '---\ntitle: ok\ndate: [2025\n---\n# 1. x\n' > "$B/yaml.md"
printf -- '---\ntitle: "ok"\n---\n# 1. caf\xe9 \xff\n\nhello\n' > "$B/utf8.md"
printf -- '# 1. a\0b\n\ntext\0\n' > "$B/nul.md"
: > "$B/empty.md"
printf -- '---\ntitle: only front matter\n---\n' > "$B/fmonly.md"
printf '# 1. Paper\n\ntext\n' > "$B/nofm.md"
cat > "$B/bomb.md" <<'YAML'
---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
---
# 1. x
YAML
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "> "; print "deep quote" }' > "$B/quotes.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "- "; print "deep list" }' > "$B/lists.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*"; printf "x"; for (i = 0; i < 10000; i++) printf "*"; print "" }' > "$B/emph.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; printf "x"; for (i = 0; i < 10000; i++) printf "](u)"; print "" }' > "$B/links.md"
head -c 50000000 /dev/zero | tr '\0' 'a' > "$B/huge.md"
printf -- '---\ntitle: unclosed\n# 1. x\n' > "$B/unclosed.md"

check() { # file exit regex
    run "$FOLIO" check "$B/$1"
    expect_status "$2" "check $1"
    [ -n "$3" ] && expect_err "$3" "$1 message"
}
check yaml.md 1 'yaml.md:[34]:[0-9]+: error: invalid YAML front matter: .* starts at line 3'
check utf8.md 0 'utf8.md:4:9: warning: invalid UTF-8 replaced by U\+FFFD'
check nul.md 0 'nul.md:1:7: warning: NUL byte replaced by U\+FFFD'
check empty.md 0 'empty.md: warning: empty file'
check fmonly.md 0 'fmonly.md: warning: no papers found'
check nofm.md 0 ''
check bomb.md 1 'bomb.md:3:[0-9]+: error: YAML alias .*refused'
check quotes.md 0 'nesting deeper than [0-9]+ levels flattened'
check lists.md 0 'nesting deeper than [0-9]+ levels flattened'
check emph.md 0 ''
check links.md 0 ''
check huge.md 1 'huge.md: error: file of 50000000 bytes is larger than the limit'
check unclosed.md 0 'unclosed.md:1:1: warning: front matter .* never closed'
check missing.md 1 'missing.md: error: cannot open: No such file'

# The replacement character is really in the IR, and nothing else is lost.
"$FOLIO" dump "$B/utf8.md" 2>/dev/null | grep -q 'caf� �' && ok "U+FFFD in the text" || fail "replacement missing"
"$FOLIO" dump "$B/quotes.md" 2>/dev/null | grep -q '"deep quote"' && ok "deep quote content kept" || fail "deep content lost"
"$FOLIO" dump "$B/lists.md" 2>/dev/null | grep -q '"deep list"' && ok "deep list content kept" || fail "deep list lost"
"$FOLIO" dump "$B/fmonly.md" 2>/dev/null | grep -q 'title: "only front matter"' && ok "front-matter-only title" || fail "fm-only title"

# Special files.
mkdir "$B/dir.md"
mkfifo "$B/fifo.md"
ln -s loop.md "$B/loop.md"
check fifo.md 1 'fifo.md: error: not a regular file'
check loop.md 1 'loop.md: error: cannot open: Too many levels of symbolic links'
run "$FOLIO" check "$B/dir.md"; expect_status 2 "a directory with no digests is no input"
expect_err 'dir.md: warning: directory holds no .md files' "directory named like a digest"

# One batch of everything: the good files converted, exit 1.
run "$FOLIO" convert -t titles -d "$T/out" "$B"/*.md
expect_status 1 "batch of bad inputs"
for f in good utf8 nul empty fmonly nofm quotes lists emph links unclosed; do
    [ -s "$T/out/$f.lst" ] || [ "$f" = empty ] || fail "$f not converted in the batch"
done
[ -e "$T/out/empty.lst" ] && ok "empty file converted to an (almost) empty output" || fail "empty.lst missing"
for f in yaml bomb huge; do [ ! -e "$T/out/$f.lst" ] || fail "$f.lst written"; done
ok "batch: good converted, bad skipped"

# Messages never carry raw control characters from the input (an OSC
# sequence in a heading would retitle the terminal), quote only a short
# excerpt of a long line, and show file names that are not UTF-8 with
# their bad bytes as \xNN (also in the JSON report, which stays UTF-8).
mkdir "$T/msg"
printf -- '---\ntitle: t\n---\n# 1. P\n\n## Evil \033]0;PWNED\007 \302\233 \342\200\256 heading\n\ntext\n' > "$T/msg/esc.md"
run "$FOLIO" check "$T/msg/esc.md"
# C0 controls never enter the IR (replaced by U+FFFD on input); C1 and
# bidi controls are escaped in the message.
expect_err "unknown section heading 'Evil .\]0;PWNED. \\\\u009b \\\\u202e heading'" "controls shown escaped"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<< "$err" && fail "raw control character in messages" || ok "no raw control character in messages"
{ printf '# 1. P\n\n## '; head -c 70000 /dev/zero | tr '\0' x; printf '\n\ntext\n'; } > "$T/msg/long.md"
run "$FOLIO" check "$T/msg/long.md"
line=$(grep 'unknown section heading' <<< "$err")
[ ${#line} -lt 400 ] && ok "a 70 KB heading quoted in ${#line} characters" || fail "long message: ${#line} characters"
expect_err "unknown section heading 'x+… \([0-9]+ bytes\) …x+'$" "excerpt keeps start and end"
bad=$(printf 'bad\377\033[31mname.md')
cp "$SRC/samples/2025-11-04-paper-notes.md" "$T/msg/$bad"
printf -- '---\ntitle: [oops\n---\n' > "$T/msg/$bad.bad.md"
run "$FOLIO" convert -t titles -d "$T/msgout" --report "$T/msg.json" "$T/msg/$bad" "$T/msg/$bad.bad.md"
expect_status 1 "non-UTF-8 names converted"
expect_err "msg/bad\\\\xff\\\\x1b\[31mname.md.bad.md:3:1: error: invalid YAML" "non-UTF-8 name escaped in messages"
LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<< "$err" && fail "raw control character from a file name" || ok "file name controls escaped"
iconv -f UTF-8 -t UTF-8 "$T/msg.json" > /dev/null && ok "report is UTF-8" || fail "report not UTF-8"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); p=r["inputs"][0]["path"]; assert p.endswith("bad\\xff\x1b[31mname.md"), p' "$T/msg.json" \
    && ok "report: name with \\xff, control as a JSON escape" || fail "report path: $(grep -o '"path": "[^,]*' "$T/msg.json" | head -2)"
finish
