#!/bin/bash
# Every output of a run is planned and checked before anything is written:
# an output that is an input, two outputs that are one file, or a book
# written where the next run reads its inputs are usage errors (exit 2)
# naming both, and nothing is written.
. "$TESTS/lib.sh"
export FOLIO_PLUGIN_PATH="$1/plugins-good"
S="$SRC/samples"
cd "$T"
mkdir posts && cp "$S"/*.md posts/ && cp "$S/2025-11-03-daily-papers.md" post.md
sums() { find "$T" -type f -print0 | sort -z | xargs -0 md5sum; }
snap() { before=$(sums); touch "$R/stamp"; sleep 0.01; }
unchanged() { # description: nothing in $T changed, nothing created
    if [ "$(sums)" = "$before" ] && [ -z "$(find "$T" -newer "$R/stamp" 2>/dev/null)" ]; then
        ok "$1: nothing written"; else fail "$1: files changed or created"; fi
}
refused() { # regex description
    expect_status 2 "$2"
    expect_err "^folio: error: .*$1" "$2: names both"
    expect_err "^Try 'folio --help'\.$" "$2: a usage error"
    [ "$(grep -c . <<< "$err")" = 2 ] && ok "$2: one error" || fail "$2: $(wc -l <<< "$err") lines"
    unchanged "$2"
}
snap

# The output is an input: by inode, by path, through a link, through stdin.
run "$FOLIO" convert -t md -o post.md post.md
refused "the book 'post.md' is the input 'post.md'" "-o onto the input"
run "$FOLIO" convert -t md -o ./posts/../post.md "$T/post.md"
refused "is the input" "-o onto the input by another path"
ln -s post.md link.md; snap
run "$FOLIO" convert -t md -o link.md post.md
refused "is the input" "-o onto a symbolic link to the input"
ln post.md hard.md; snap
run "$FOLIO" convert -t md -o hard.md post.md
refused "the book 'hard.md' is the input 'post.md'" "-o onto a hard link to the input"
run bash -c "'$FOLIO' convert -t md -o post.md - < post.md"
refused "is the input '-'" "-o onto the file stdin reads"
run "$FOLIO" convert -t md -d posts posts/
refused "the output 'posts/2025-11-03-daily-papers.md' of 'posts/2025-11-03-daily-papers.md' is the input" "-d onto the inputs"
run "$FOLIO" convert -t md -d . post.md
refused "is the input" "-d . onto the input"
run "$FOLIO" convert -t titles --report post.md -o out.lst post.md
refused "the report 'post.md' is the input 'post.md'" "--report onto an input"
run "$FOLIO" check --report post.md post.md
refused "the report 'post.md' is the input" "check --report onto an input"

# A book in a directory that is an input, with an input's extension.
run "$FOLIO" convert -o posts/book.md posts/
refused "the book 'posts/book.md' is in the input directory 'posts/'" "book where the next run reads it"
run "$FOLIO" convert -t md -o posts/book.markdown posts
refused "input directory" "book.markdown in an input directory"

# Two outputs, one file.
mkdir a c && cp post.md a/x.md && cp post.md c/x.markdown && cp post.md c/x
snap
run "$FOLIO" convert -t titles -d out a/x.md c/x.markdown
refused "the output 'out/x.lst' of 'a/x.md' and the output 'out/x.lst' of 'c/x.markdown' are the same file" "x.md and x.markdown"
run "$FOLIO" convert -t titles -d out a/x.md c/x
refused "same file" "x.md and x"
cp post.md stdin.md; snap
run bash -c "'$FOLIO' convert -t titles -d out stdin.md - < post.md"
refused "same file" "stdin.md and -"
run "$FOLIO" convert -t titles -d out --report out/x.lst a/x.md
refused "the report 'out/x.lst' are the same file|the report 'out/x.lst'.*same file" "report onto an output"
[ ! -e out ] && ok "-d directory not created when refused" || fail "out/ created"

# What is allowed still works: outputs beside inputs with other names.
run "$FOLIO" convert -t titles -d posts posts
expect_status 0 "-d into the input directory, other extension"
[ -s posts/2025-11-03-daily-papers.lst ] && ok "outputs beside inputs" || fail "no output beside inputs"
run "$FOLIO" convert -t md -o book.md posts
expect_status 0 "book.md outside the input directory"
finish
