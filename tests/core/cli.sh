#!/bin/bash
# The CLI contract of folio(1) (core/folio.1): commands, options, exit statuses, messages,
# stdin/stdout, books and per-file outputs, reports, config.  Uses the test
# plugin "titles" (one line per digest) so it does not depend on a format.
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$1/plugins-good"
S="$SRC/samples"

run "$FOLIO" --version;            expect_status 0 "--version"; expect_out '^folio [0-9]+\.[0-9]+\.[0-9]+$' "version string"
run "$FOLIO" --help;               expect_status 0 "--help"; expect_out 'folio convert' "help lists convert"
run "$FOLIO";                      expect_status 2 "no command"
run "$FOLIO" frobnicate;           expect_status 2 "unknown command"
run "$FOLIO" convert -t titles < /dev/null; expect_status 0 "no inputs: standard input read"
expect_err "^-: warning: empty file" "no inputs: the empty stdin was read"
if command -v script > /dev/null; then
    script -qec "'$FOLIO' convert -t titles" /dev/null < /dev/null > "$T/tty-in.log" 2>&1
    grep -q "^folio: error: no input files (standard input is a terminal)" "$T/tty-in.log" \
        && ok "no inputs and stdin a terminal: usage error" || fail "tty stdin: $(head -c 300 "$T/tty-in.log")"
fi
run bash -c "'$FOLIO' convert -t titles < '$S/2025-11-04-paper-notes.md'"
expect_status 0 "no inputs, stdin a file"; expect_out '^Paper Notes — November 4, 2025' "stdin converted without '-'"
run "$FOLIO" convert -t nosuch "$S/2025-11-03-daily-papers.md"
expect_status 2 "unknown format"; expect_err "unknown format 'nosuch'" "names the format"
run "$FOLIO" convert -j 0 -t titles "$S"; expect_status 2 "-j 0 refused"
run "$FOLIO" convert -O novalue -t titles "$S"; expect_status 2 "-O without =VALUE"
run "$FOLIO" convert "$S"; expect_status 2 "no format and no -o extension"
run "$FOLIO" convert -o "$T/x.lst" -d "$T/d" "$S"; expect_status 2 "-o with -d"

run "$FOLIO" formats; expect_status 0 "formats"
expect_out "^titles +test plugin.* $1/plugins-good/titles.so$" "formats shows name, summary, path"

# stdin to stdout
run bash -c "'$FOLIO' convert -t titles - < '$S/2025-11-04-paper-notes.md'"
expect_status 0 "stdin to stdout"; expect_out '^Paper Notes — November 4, 2025 \(3 papers\)$' "stdin parsed"

# a book: inputs in order, directories expanded sorted
run "$FOLIO" convert -o "$T/book.lst" "$S"
expect_status 0 "book from a directory (format from -o extension)"
n=$(wc -l < "$T/book.lst"); [ "$n" = "$(ls "$S"/*.md | wc -l)" ] && ok "one line per digest" || fail "book has $n lines"
head -1 "$T/book.lst" | grep -q '^Daily Papers — 2025-11-03' && ok "sorted order" || fail "order: $(head -1 "$T/book.lst")"

# mixed good and bad: the others converted, exit 1, path:line:col message
printf -- '---\ntitle: [oops\n---\n# 1. x\n' > "$T/bad.md"
cp "$S/2025-11-03-daily-papers.md" "$T/good1.md"; cp "$S/2025-11-05-daily-papers-zh.md" "$T/good2.md"
run "$FOLIO" convert -t titles -d "$T/out" "$T/good1.md" "$T/bad.md" "$T/good2.md"
expect_status 1 "a bad input among good ones"
expect_err "bad.md:[0-9]+:[0-9]+: error: invalid YAML" "path:line:col: error: message"
[ -s "$T/out/good1.lst" ] && [ -s "$T/out/good2.lst" ] && ok "good inputs converted" || fail "good outputs missing"
[ ! -e "$T/out/bad.lst" ] && ok "no output for the bad input" || fail "bad input produced output"

# the same with -o: a book of the good ones, exit 1
run "$FOLIO" convert -o "$T/b2.lst" "$T/good1.md" "$T/bad.md" "$T/good2.md"
expect_status 1 "book with a bad input"
[ "$(wc -l < "$T/b2.lst")" = 2 ] && ok "book holds the two good digests" || fail "book: $(cat "$T/b2.lst")"

# --fail-fast stops at the first failure
run "$FOLIO" convert --fail-fast -j 1 -t titles -d "$T/ff" "$T/bad.md" "$T/good1.md"
expect_status 1 "--fail-fast"
[ ! -e "$T/ff/good1.lst" ] && ok "--fail-fast stopped before the next input" || fail "--fail-fast went on"

# -j 1 and -j 2 give identical outputs
"$FOLIO" convert -q -j 1 -t titles -d "$T/j1" "$S" && "$FOLIO" convert -q -j 2 -t titles -d "$T/j2" "$S"
diff -r "$T/j1" "$T/j2" > /dev/null && ok "-j 1 == -j 2" || fail "-j outputs differ"

# -u skips outputs newer than their input
touch -d '2000-01-01' "$T/good1.md"
run "$FOLIO" convert -u -v -t titles -d "$T/out" "$T/good1.md"
expect_status 0 "-u"
[ -z "$err" ] && ok "-u wrote nothing (up to date)" || fail "-u: $err"
touch "$T/good1.md"; sleep 0.01
run "$FOLIO" convert -u -v -t titles -d "$T/out" "$T/good1.md"
expect_err "good1.md -> .*good1.lst" "-u rewrites a stale output"

# --report: JSON with each input's status
run "$FOLIO" convert -t titles -d "$T/r" --report "$T/report.json" "$T/good1.md" "$T/bad.md"
grep -q '"status": "ok"' "$T/report.json" && grep -q '"status": "failed"' "$T/report.json" \
    && grep -q '"message": "invalid YAML' "$T/report.json" && ok "--report statuses and errors" \
    || fail "report: $(cat "$T/report.json")"
run "$FOLIO" convert -t titles -d "$T/r" --report - "$T/good1.md"
expect_out '"schema": 1' "--report - goes to stdout"

# -O for an unknown key is warned about
run "$FOLIO" convert -t titles -O titles.nope=1 -o "$T/o.lst" "$S"
expect_err "warning: unknown option -O titles.nope" "unknown -O key warned"

# folio.yaml gives defaults; the command line wins; unknown keys warned
mkdir "$T/cfg" && cd "$T/cfg" && printf 'formats: [titles]\noutput-dir: fromcfg\ncolour: blue\n' > folio.yaml
run "$FOLIO" convert "$S/2025-11-03-daily-papers.md"
expect_status 0 "folio.yaml formats and output-dir"
[ -s fromcfg/2025-11-03-daily-papers.lst ] && ok "config output-dir used" || fail "config not applied"
expect_err "folio.yaml:3:1: warning: unknown key 'colour'" "unknown config key warned"
run "$FOLIO" convert -d cli "$S/2025-11-03-daily-papers.md"
[ -s cli/2025-11-03-daily-papers.lst ] && ok "command line wins over config" || fail "-d did not win"
run "$FOLIO" convert --config /nonexistent.yaml "$S"; expect_status 2 "missing --config file"
cd /

# check: lints, exit 0; an unparsable file exits 1
run "$FOLIO" check "$S"; expect_status 0 "check samples"
expect_err "unknown section heading 'Takeaways'" "check: unknown section heading"
cp "$S/2025-11-03-daily-papers.md" "$T/2025-11-09-again.md"
run "$FOLIO" check "$S/2025-11-03-daily-papers.md" "$T/2025-11-09-again.md"
expect_err "paper 2511.01234 also appears in" "check: same paper on two days"
run "$FOLIO" check "$T/bad.md"; expect_status 1 "check: unparsable file"
# A progress bar on a terminal (script(1) gives a pseudo-terminal), none
# otherwise.
if command -v script > /dev/null; then
    script -qec "env -u CI '$FOLIO' convert -t titles -d '$T/tty' '$S'" /dev/null > "$T/tty.log" 2>&1
    grep -q "\[#*.*\] [0-9]*/$(ls "$S"/*.md | wc -l)" "$T/tty.log" && ok "progress bar on a terminal" || fail "no progress bar: $(head -c 300 "$T/tty.log" | od -c | head -3)"
    run "$FOLIO" convert -t titles -d "$T/notty" "$S"
    [ -z "$err" ] && ok "no progress bar when stderr is not a terminal" || fail "progress on a pipe: $err"
fi

# Usage errors: one line, then where to look; never the whole help.
for args in "" "frobnicate" "convert --bogus" "convert -x" "convert -t" "convert -j abc -t titles x" \
            "convert -O novalue -t titles x" "formats --bogus" "convert -o a.lst -d b x"; do
    run "$FOLIO" $args
    expect_status 2 "usage error: folio $args"
    if [ "$(sed -n 1p <<< "$err" | grep -c '^folio: error: ')" = 1 ] && [ "$(sed -n 2p <<< "$err")" = "Try 'folio --help'." ] \
        && [ "$(wc -l <<< "$err")" = 2 ]; then ok "folio $args: one line and the pointer"; else fail "folio $args: $err"; fi
done
run "$FOLIO" convert -t titles --report - "$S"
expect_status 2 "--report - with the book on stdout"
expect_err "^folio: error: --report - and the output both go to standard output" "report and book both on stdout"
run "$FOLIO" convert -t titles --report - -o - "$S"
expect_status 2 "--report - with -o -"
# Every message of folio itself says folio: error or folio: warning.
run "$FOLIO" convert -t titles -O titles.nope=1 -O epub.x=1 -o "$T/m.lst" "$S"
bad=$(grep -v '^folio: \(error\|warning\): ' <<< "$err")
[ -z "$bad" ] && ok "folio's own messages are prefixed" || fail "unprefixed: $bad"
FOLIO_PLUGIN_PATH="rel:$1/plugins-good" run "$FOLIO" convert -t titles -o "$T/m.lst" "$S"
expect_err "^folio: warning: FOLIO_PLUGIN_PATH: ignoring relative directory 'rel'" "FOLIO_PLUGIN_PATH warning prefixed"
# A bad -O value is one usage error, whatever the number of outputs; a
# startup warning is freed (LeakSanitizer in the ASan build).
FOLIO_PLUGIN_PATH= run "$FOLIO" convert -t txt -O txt.width=abc -d "$T/ow" "$S"
expect_status 2 "bad -O value"
[ "$(grep -c 'txt.width=abc' <<< "$err")" = 1 ] && ok "bad -O value: one error" || fail "bad -O: $err"
[ ! -e "$T/ow" ] && ok "bad -O value: nothing written" || fail "bad -O value: $T/ow created"
FOLIO_PLUGIN_PATH= run "$FOLIO" convert -t txt -O txt.nope=1 -o "$T/w.txt" "$S"
expect_status 0 "unknown -O key is a warning"
expect_err "^folio: warning: unknown option -O txt.nope" "unknown txt option warned"
# -d creates missing parent directories.
run "$FOLIO" convert -t titles -d "$T/deep/er/out" "$S/2025-11-03-daily-papers.md"
expect_status 0 "-d with missing parents"
[ -s "$T/deep/er/out/2025-11-03-daily-papers.lst" ] && ok "-d created its parents" || fail "-d parents not made"
touch "$T/plain"
run "$FOLIO" convert -t titles -d "$T/plain/out" "$S/2025-11-03-daily-papers.md"
expect_status 1 "-d under a file"; expect_err "plain/out: error: cannot create directory" "-d under a file reported"

# folio.yaml values are checked like the flags they stand for.
mkdir "$T/cfg2" && cd "$T/cfg2"
cfg_error() { # yaml regex description
    printf '%b' "$1" > folio.yaml
    run "$FOLIO" convert -o "$T/cfg2.lst" "$S"
    expect_status 2 "$3"
    expect_err "^folio.yaml:$2" "$3: position and message"
    [ ! -e "$T/cfg2.lst" ] && ok "$3: nothing written" || { fail "$3: written"; rm -f "$T/cfg2.lst"; }
}
cfg_error 'jobs: abc\n' "1:1: error: jobs: wants a number from 1 to 1024, not 'abc'" "jobs: abc"
cfg_error 'title: x\njobs: -5\n' "2:1: error: jobs: wants a number" "jobs: -5"
cfg_error 'jobs: 4x\n' "1:1: error: jobs:" "jobs: 4x"
cfg_error 'title: [a]\n' "1:1: error: 'title' wants a single value" "title: [a]"
cfg_error 'author: {a: b}\n' "1:1: error: 'author' wants a single value" "author: a map"
cfg_error 'formats: [titles, titles]\n' "1:[0-9]+: error: formats: 'titles' is given twice" "duplicate formats"
cfg_error 'formats: pdf, pdf\n' "1:1: error: formats: 'pdf' is given twice" "duplicate formats, one string"
cfg_error 'formats: []\n' "1:1: error: formats: the list is empty" "empty formats"
cfg_error 'formats: [[a]]\n' "1:[0-9]+: error: formats: each item is a format name" "nested formats"
cfg_error 'options: 3\n' "1:1: error: options: wants a map" "options not a map"
printf 'formats: [titles]\njobs: 2\ntitle: Fine\n' > folio.yaml
run "$FOLIO" convert -o "$T/cfg-ok.lst" "$S"
expect_status 0 "a good folio.yaml"
cd /

# The man page and --help name the same long options.
help_opts=$("$FOLIO" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
man_opts=$(sed 's/\\-/-/g' "$SRC/core/folio.1" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ "$help_opts" = "$man_opts" ] && ok "man page and --help agree" || fail "options differ: $(diff <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')"
for o in $help_opts; do grep -q -- "$o" "$SRC/core/folio.bash-completion" || fail "completion lacks $o"; done
# Every option of every installed plugin is in the man page.
FOLIO_PLUGIN_PATH= "$FOLIO" formats -v | grep -oE -- '-O [a-z]+\.[a-z-]+' | while read -r _ key; do
    sed 's/\\-/-/g' "$SRC/core/folio.1" | grep -q "^\.B $key" || echo "$key"
done > "$T/undocumented"
[ -s "$T/undocumented" ] && fail "plugin options not in the man page: $(cat "$T/undocumented")" || ok "plugin options documented"
finish
