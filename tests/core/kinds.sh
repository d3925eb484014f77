#!/bin/bash
# Kinds of post: which posts are digests, single papers and articles (the
# rules in ir.h), what `folio dump` and `folio check` say, how txt and PDF
# show each kind, and book titles derived from many posts.
. "$TESTS/lib.sh"
ulimit -t 120
S="$SRC/samples"
C="$TESTS/txt/cases"

kind() { "$FOLIO" dump "$1" | sed -n 's/^  kind: //p'; }
expect_kind() { # FILE KIND
    local k
    k=$(kind "$1")
    [ "$k" = "$2" ] && ok "$(basename "$1"): $2" || fail "$(basename "$1"): kind '$k', wanted $2"
}
for f in "$S"/2025-11-0[3-6]-*.md "$C/2025-11-07-features.md" "$C/2025-11-08-list-links.md"; do
    expect_kind "$f" digest
done
expect_kind "$S/2025-11-09-paper-review-ko.md" paper
expect_kind "$C/2025-09-20-paper-note-zh.md" paper
expect_kind "$S/2025-11-10-tokenizer-notes.md" article
expect_kind "$TESTS/core/cases/lone-title.md" article

# dump: a single paper is one paper with the post's title; an article has
# no papers, only sections.
d=$("$FOLIO" dump "$S/2025-11-09-paper-review-ko.md")
[ "$(grep -c '^paper ' <<< "$d")" = 1 ] && grep -q '^  title: "\[논문 리뷰\] 짧은' <<< "$d" &&
    grep -q '^  url: "https://arxiv.org/abs/2508.01472"' <<< "$d" && ok "review: one paper, its title and link" ||
    fail "review as one paper"
roles=$(grep -o '^  section [a-z]*' <<< "$d" | awk '{print $2}' | tr '\n' ' ')
[ "$roles" = "introduction other method results limitations conclusion " ] && ok "review: roles" ||
    fail "review roles: $roles"
d=$("$FOLIO" dump "$C/2025-09-20-paper-note-zh.md")
roles=$(grep -o '^  section [a-z]*' <<< "$d" | awk '{print $2}' | tr '\n' ' ')
[ "$roles" = "other introduction method results limitations conclusion " ] && ok "Chinese note: roles" ||
    fail "Chinese note roles: $roles"
grep -q '^  arxiv: "2509.11873"' <<< "$d" && ok "Chinese note: arXiv id from the front matter" || fail "front-matter arxiv"
d=$("$FOLIO" dump "$S/2025-11-10-tokenizer-notes.md")
[ "$(grep -c '^paper ' <<< "$d")" = 0 ] && [ "$(grep -c '^  section ' <<< "$d")" = 5 ] &&
    ok "article: no papers, 5 sections" || fail "article structure"
# Links in list items under a numbered heading.
d=$("$FOLIO" dump "$C/2025-11-08-list-links.md")
urls=$(sed -n 's/^  url: //p' <<< "$d" | tr '\n' ' ')
[ "$urls" = '"https://arxiv.org/abs/2511.05501" "https://arxiv.org/abs/2511.05502" "https://huggingface.co/papers/2511.05503" "https://arxiv.org/abs/2511.05504" ' ] &&
    ok "digest: every paper's link (list item, autolink item, heading, label)" || fail "list links: $urls"
grep -q '^  link "Code" "https://github.com/example/quiet-grad"' <<< "$d" && ok "labelled item link" || fail "Code link"

# check says the kind.
run "$FOLIO" check "$S/2025-11-09-paper-review-ko.md" "$S/2025-11-10-tokenizer-notes.md" "$C/2025-11-08-list-links.md"
expect_status 0 "check"
expect_err 'paper-review-ko.md: note: single paper, 6 sections, link https://arxiv.org/abs/2508.01472' "check: single paper"
expect_err 'tokenizer-notes.md: note: article, 5 sections' "check: article"
expect_err 'list-links.md: note: digest, 4 papers, 4 with a link' "check: digest"
grep -q 'no papers found\|has no link' <<< "$err" && fail "check warns about papers: $err" || ok "no paper warnings for these"

# Decisions on small posts.
post() { printf '%s\n' "$@" > "$T/$name.md"; }
name=numbered-sections
post "---" "title: Attention notes" "---" "## 1. Introduction" "a" "## 2. Method" "b" "## 3. Results" "c"
expect_kind "$T/$name.md" article
name=link-on-top
post "---" "title: Something" "---" "Paper: <https://arxiv.org/abs/2401.00001>" "" "## Idea" "x" "## Idea" "y"
expect_kind "$T/$name.md" paper
name=meta-key
post "---" "title: Something" "paper: https://openreview.net/forum?id=abc" "---" "## Idea" "x"
expect_kind "$T/$name.md" paper
name=tag-review
post "---" "title: Something" "tags: [논문리뷰]" "---" "## 배경" "x"
expect_kind "$T/$name.md" paper
name=unlinked-digest
post "## 1. Alpha model" "x" "## 2. Beta model" "y"
expect_kind "$T/$name.md" digest
name=review-with-papers
post "---" "title: '[논문 리뷰] 여러 논문'" "---" "## 1. [A](https://arxiv.org/abs/2401.00001)" "## 2. [B](https://arxiv.org/abs/2401.00002)"
expect_kind "$T/$name.md" digest

# txt: no paper heading or count for an article; a single paper shows its
# link and sections.
run "$FOLIO" convert -t txt -o - "$S/2025-11-10-tokenizer-notes.md" "$S/2025-11-09-paper-review-ko.md"
expect_out '^6\. Notes|^1\. Notes from building a byte-level tokenizer \(2025-11-10, article\)$' "txt contents: article"
expect_out '\(2025-11-09, one.paper\)' "txt contents: one paper"
grep -q 'papers)' <<< "$out" && fail "txt counts papers of non-digests" || ok "txt: no paper count"
expect_out '^arXiv: 2508\.01472$' "txt: the review's arXiv line"
expect_out '^== 6\. 결론$' "txt: the review's sections"

# PDF header: the count is a digest's only.
if command -v pdftotext > /dev/null; then
    for f in 2025-11-09-paper-review-ko 2025-11-10-tokenizer-notes 2025-11-03-daily-papers; do
        "$FOLIO" convert -q -t pdf -o "$T/$f.pdf" "$S/$f.md" || fail "pdf of $f"
        pdftotext -l 1 "$T/$f.pdf" "$T/$f.txt"
    done
    grep -q '논문 4편' "$T/2025-11-03-daily-papers.txt" && ok "pdf: digest counts its papers" || fail "pdf digest count"
    grep -qE '논문 [0-9]+편|[0-9]+ papers?' "$T/2025-11-09-paper-review-ko.txt" "$T/2025-11-10-tokenizer-notes.txt" &&
        fail "pdf counts papers of a non-digest" || ok "pdf: no paper count for a review or an article"
    grep -q 'arXiv:2508.01472' "$T/2025-11-09-paper-review-ko.txt" && ok "pdf: the review's link" || fail "pdf review link"
fi

# Book titles from many posts: whole words, balanced brackets.
title() { "$FOLIO" convert -t txt -o - "$@" | sed -n 2p; }
mk() { printf -- '---\ntitle: "%s"\ndate: %s\n---\n%s\n' "$2" "$3" "${4:-본문입니다.}" > "$T/$1.md"; }
mk r1 "[논문 리뷰] Attention Is All You Need" 2025-08-05
mk r2 "[논문 리뷰] BERT: Pre-training" 2026-07-22
t=$(title "$T/r1.md" "$T/r2.md")
[ "$(kind "$T/r1.md")" = paper ] || fail "a [논문 리뷰] post is not a paper"
[ "$t" = "논문 리뷰 — 2025-08-05 – 2026-07-22" ] && ok "title: shared bracket prefix" || fail "title: $t"
mk r3 "[CVPR 2024] Foo" 2025-09-01
t=$(title "$T/r1.md" "$T/r2.md" "$T/r3.md")
# r3 has no headings: an article, so the book is one of posts.
[ "$t" = "글 모음 — 2025-08-05 – 2026-07-22" ] && ok "title: nothing shared, a Korean generic title" || fail "title: $t"
mk r4 "[논문리뷰] GPT-3" 2025-10-01
mk r5 "[Paper Review] LoRA" 2025-10-02
t=$(title "$T/r1.md" "$T/r2.md" "$T/r4.md")
[ "$t" = "논문 모음 — 2025-08-05 – 2026-07-22" ] && ok "title: '[논문' is no title" || fail "title: $t"
t=$(title "$T/r1.md" "$T/r5.md")
[ "$t" = "논문 모음 — 2025-08-05 – 2025-10-02" ] && ok "title: '[' is no title" || fail "title: $t"
mk w1 "Reading transformers" 2025-11-05 "Text."
mk w2 "Reading transducers" 2025-11-06 "Text."
t=$(title "$T/w1.md" "$T/w2.md")
[ "$t" = "Reading — 2025-11" ] && ok "title: cut on a word boundary" || fail "title: $t"
mk p1 "Notes (part one" 2025-11-05 "Text."
mk p2 "Notes (part two" 2025-11-06 "Text."
t=$(title "$T/p1.md" "$T/p2.md")
[ "$t" = "Notes — 2025-11" ] && ok "title: no open bracket" || fail "title: $t"
mk d1 "Daily Papers — 2025-11-01" 2025-11-01 "Text."
mk d2 "Daily Papers — 2025-11-02" 2025-11-02 "Text."
t=$(title "$T/d1.md" "$T/d2.md")
[ "$t" = "Daily Papers — 2025-11" ] && ok "title: date suffix dropped" || fail "title: $t"
finish
