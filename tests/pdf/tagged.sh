#!/bin/bash
# Tagged PDF (PDF/UA-1 aims): the structure tree of the reference digest,
# a month bound into a book, and a post with figures, a table, lists,
# links, code, a quote, footnotes and math, checked by tagcheck.py from
# qpdf's JSON: catalog entries and XMP, every painting operator inside
# marked content, MCIDs against the parent tree, roles, /Alt, link
# annotations, and the tree's reading order against pdftotext's.  Then
# -O pdf.tagged=no: a valid PDF with none of it.
. "$TESTS/lib.sh"
. "$TESTS/pdf/pdflib.sh"
command -v python3 > /dev/null || { echo "FAIL: python3 is not installed"; exit 1; }
S="$SRC/samples"

# check NAME PDF ARGS...: tagcheck.py's lines as ok/fail.
check() {
    local name=$1 pdf=$2
    shift 2
    qpdf --json=2 --json-key=qpdf --json-stream-data=inline --decode-level=generalized \
        "$pdf" "$T/$name.json" || { fail "$name: qpdf --json"; return; }
    # The body area, as pdf_body cuts it: running heads and page numbers
    # are artifacts, outside the tree.
    pdftotext -q -enc UTF-8 -r 72 -x 0 -y 50 -W 600 -H 746 "$pdf" "$T/$name.txt"
    python3 "$TESTS/pdf/tagcheck.py" "$T/$name.json" "$pdf" --order "$T/$name.txt" "$@" > "$T/$name.out"
    local rc=$?
    while read -r word rest; do
        case "$word" in
        ok) ok "$name: $rest" ;;
        FAIL) fail "$name: $rest" ;;
        esac
    done < "$T/$name.out"
    [ $rc = 0 ] || grep -q FAIL "$T/$name.out" || fail "$name: tagcheck.py exited $rc"
}

# The reference digest.
run "$FOLIO" convert -t pdf -o "$T/ref.pdf" "$S/2025-11-03-daily-papers.md"
expect_status 0 "the reference, tagged"
pdf_valid "$T/ref.pdf"
check ref "$T/ref.pdf" --lang ko --roles Document,H1,H2,H3,P,L,LI,Lbl,LBody,Link

# A Chinese digest: its language.
run "$FOLIO" convert -t pdf -o "$T/zh.pdf" "$S/2025-11-05-daily-papers-zh.md"
expect_status 0 "a Chinese digest, tagged"
check zh "$T/zh.pdf" --lang zh --roles Document,H1,H2,P

# A Korean book with a Chinese day: that day's Sect says so.
run "$FOLIO" convert -t pdf -o "$T/mix.pdf" "$S/2025-11-03-daily-papers.md" "$S/2025-11-05-daily-papers-zh.md"
expect_status 0 "a Korean book with a Chinese day, tagged"
check mix "$T/mix.pdf" --lang ko --roles Document,Sect,TOC,TOCI,H1,H2,H3
langs=$(pdf_qdf "$T/mix.pdf" | grep -a '^  /Lang (' | sort | tr -d ' \n')
[ "$langs" = "/Lang(ko)/Lang(zh)" ] && ok "mix: /Lang ko on the catalog, zh on the Chinese day" ||
    fail "mix: /Lang entries $langs"

# A month: the contents page first in the tree (Sect > H1, H2, TOC > TOCI
# > Link), each row's link annotation in its Link.
bash "$SRC/samples/gen-month.sh" "$T/month" 5 > /dev/null
run "$FOLIO" convert -t pdf -o "$T/month.pdf" "$T/month"
expect_status 0 "a month, tagged"
pdf_valid "$T/month.pdf"
check month "$T/month.pdf" --lang ko --roles Document,Sect,TOC,TOCI,Link,H1,H2,H3,H4,P,L,LI,Lbl,LBody
python3 "$TESTS/pdf/tagcheck.py" "$T/month.json" "$T/month.pdf" --dump 1 > "$T/dump1"
head -3 "$T/dump1" | tr '\n' '|' | grep -q '^Document|  Sect|    H1  MCID 0' &&
    ok "month: the contents page's Sect opens the Document" ||
    fail "month: page 1's tree: $(head -4 "$T/dump1" | tr '\n' '|')"
[ "$(grep -c '^      TOCI' "$T/dump1")" = 5 ] && ok "month: 5 TOCI rows" ||
    fail "month: $(grep -c '^      TOCI' "$T/dump1") TOCI rows for 5 days"

# Three days of math (tests/math/gen-month.sh): each inline and display
# formula a Formula with its TeX as /Alt.
bash "$SRC/tests/math/gen-month.sh" "$T/mathmonth" 3 > /dev/null
run "$FOLIO" convert -t pdf -o "$T/mathmonth.pdf" "$T/mathmonth"
expect_status 0 "three days with math, tagged"
check mathmonth "$T/mathmonth.pdf" --roles Formula,P,L --formula '\Gamma(n) = (n-1)!' \
    --formula 'x \sim \mathcal{N}(0, 1)'
n=$(python3 "$TESTS/pdf/tagcheck.py" "$T/mathmonth.json" "$T/mathmonth.pdf" --dump 2 | grep -c 'Formula  MCID')
[ "$n" -ge 5 ] && ok "mathmonth: $n formulas on page 2" || fail "mathmonth: $n formulas on page 2"

# A post with figures, a table, math, code, a quote, a footnote.
mkdir -p "$T/site"
cp -r "$S/site/." "$T/site/"
cat > "$T/site/_posts/2025-11-12-tagged.md" << 'EOF'
---
layout: post
title: "구조 태그 점검 — 2025-11-12"
date: 2025-11-12 10:00:00 +0900
tags: [papers, a11y]
---

# 1. [Routing with Tables and Formulas](https://arxiv.org/abs/2511.09999)

### Method
손실 $\alpha \le \beta$ 를 최소화하고, 온도 $x^2 + y_{ij}$ 를 함께 학습한다.

$$\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)$$

1. 첫째 단계: 구간 점수를 계산한다.
2. 둘째 단계: 상위 구간만 남긴다.[^2]

![그림 1: 전체 구조](/assets/img/overview.png)

![](/assets/img/chart.jpg)

### Results
| 모델 | 정확도 | 비용 |
|------|-------:|-----:|
| 기준 | 71.2 | 1.0 |
| 제안 | 74.8 | 0.6 |

> 인용: 표의 머리글은 TH로 태그된다.

```
route(x) = top_k(score(x))
```

자세한 내용은 [논문](https://example.org/paper)과 각주를 참고한다.[^1][^3]

[^1]: 각주의 본문이다.
[^2]: 둘째 각주.
[^3]: 셋째 각주.
EOF
run "$FOLIO" convert -t pdf -o "$T/post.pdf" "$T/site/_posts/2025-11-12-tagged.md"
expect_status 0 "a post with figures, a table and math, tagged"
pdf_valid "$T/post.pdf"
check post "$T/post.pdf" --lang ko \
    --roles Document,H1,H2,H3,P,L,LI,Lbl,LBody,Table,TR,TH,TD,Link,Figure,Caption,Formula,BlockQuote,Code,Note \
    --formula '\alpha \le \beta' --formula 'x^2 + y_{ij}' \
    --formula '\mathcal{L}(\theta) = -\frac{1}{N}\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)'
python3 "$TESTS/pdf/tagcheck.py" "$T/post.json" "$T/post.pdf" --dump 1 > "$T/dump"
grep -q '^  Figure  MCID [0-9]*  “”  /Alt “그림 1: 전체 구조”' "$T/dump" &&
    ok "post: the figure's /Alt is its alt text" || fail "post: figure: $(grep Figure "$T/dump")"
[ "$(pdfimages -list "$T/post.pdf" | tail -n +3 | wc -l)" = 2 ] &&
    [ "$(grep -c 'Figure' "$T/dump")" = 1 ] && ! grep -q '“”$' "$T/dump" &&
    ok "post: of two images drawn, the one without alt text is an artifact" ||
    fail "post: $(grep -c Figure "$T/dump") Figure elements for one image with alt text: $(grep '“”$' "$T/dump")"
grep -A1 '^  Table' "$T/dump" | grep -q '^    TR' && grep -q '^      TH  MCID [0-9]*  “모델”' "$T/dump" &&
    ok "post: Table > TR > TH" || fail "post: table: $(grep -A3 Table "$T/dump" | tr '\n' '|')"
# The footnote marks side by side: one Reference "2,3" in the paragraph,
# after the Link.
grep -A2 '^  P  MCID [0-9,]*  “자세한 내용은 과 각주를 참고한다.”' "$T/dump" | tail -2 | tr '\n' '|' |
    grep -q '^    Link  MCID [0-9]*  “논문”.*|    Reference  MCID [0-9]*  “2,3”|$' &&
    ok "post: the footnote marks are a Reference in their P" ||
    fail "post: footnote mark: $(grep -B1 -A2 Reference "$T/dump" | tr '\n' '|')"
# Notes are numbered in the order they are referred to: 1 in the list.
grep -A1 '^      LBody  MCID [0-9,]*  “둘째 단계: 상위 구간만 남긴다.”' "$T/dump" |
    grep -q '^        Reference  MCID [0-9]*  “1”' && ok "post: a mark in a list item's body" ||
    fail "post: mark 1: $(grep -B2 Reference "$T/dump" | tr '\n' '|')"
pdf_qdf "$T/post.pdf" | grep -aq '/O /Table' && ok "post: header cells scoped" || fail "post: no TH /Scope"
pdf_qdf "$T/post.pdf" | grep -aq '/BBox \[' && ok "post: a figure's bounding box" || fail "post: no /BBox"
pdf_qdf "$T/post.pdf" | grep -aq '/ListNumbering /Decimal' && ok "post: an ordered list's numbering" ||
    fail "post: no /ListNumbering"

# 4,200 papers: 8,400 kids of the Document (more than libharu's arrays
# could hold safely), each paper in order.
awk 'BEGIN {print "---\ntitle: Many\ndate: 2025-11-05\n---\n"
    for (i = 1; i <= 4200; i++) printf "# %d. Paper %d\n\nText %d.\n\n", i, i, i}' > "$T/many.md"
run "$FOLIO" convert -t pdf -o "$T/many.pdf" "$T/many.md"
expect_status 0 "4,200 papers, tagged"
check many "$T/many.pdf" --roles Document,H1,H2,P

# Untagged on request: valid, and none of the structure.
run "$FOLIO" convert -t pdf -O pdf.tagged=no -o "$T/plain.pdf" "$T/site/_posts/2025-11-12-tagged.md"
expect_status 0 "-O pdf.tagged=no"
pdf_valid "$T/plain.pdf"
n=$(pdf_qdf "$T/plain.pdf" | grep -ac 'StructTreeRoot\|/MarkInfo\|/StructParent\|BDC\|BMC\|pdfuaid')
[ "$n" = 0 ] && ok "untagged: no structure, marks or XMP" || fail "untagged: $n structure lines"
[ "$(pdf_body "$T/plain.pdf")" = "$(pdf_body "$T/post.pdf")" ] &&
    ok "tagged and untagged show the same text" || fail "tagging changed the text"
run "$FOLIO" convert -t pdf -O pdf.tagged=maybe -o "$T/bad.pdf" "$S/2025-11-03-daily-papers.md"
expect_status 1 "-O pdf.tagged=maybe refused"
expect_err "pdf.tagged: 'maybe'" "the bad value named"
finish
