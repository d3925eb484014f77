#!/bin/bash
# The CLI contract of DESIGN.md: commands, options, exit statuses, messages,
# stdin/stdout, books and per-file outputs, reports, config.  Uses the test
# plugin "titles" (one line per digest) so it does not depend on a format.
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$1/plugins-good"
S="$SRC/samples"

run "$FOLIO" --version;            expect_status 0 "--version"; expect_out '^folio [0-9]+\.[0-9]+\.[0-9]+$' "version string"
run "$FOLIO" --help;               expect_status 0 "--help"; expect_out 'folio convert' "help lists convert"
run "$FOLIO";                      expect_status 2 "no command"
run "$FOLIO" frobnicate;           expect_status 2 "unknown command"
run "$FOLIO" convert -t titles;    expect_status 2 "no inputs"
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
