#!/usr/bin/env bash
# The words txt says come from the host's one table of strings per
# language: a Korean post says "날짜:", "저자:", "주석", "링크", a Korean
# book "기간:", "목차" and "논문 2편"; traditional Chinese (zh-TW) its own
# characters; English stays as it was.  The hanging indent under a label
# is as wide as the label is on screen.

. "$TESTS/lib.sh"

post() { # FILE LANG DATE TITLE
    cat >"$1" <<EOT
---
title: "$4"
date: $3
lang: $2
author: 김연구
tags: [alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota, kappa]
categories: [리뷰]
---
# 1. [첫 번째 논문](https://arxiv.org/abs/2511.00001)

요약 문장입니다.[^a] 자세한 내용은 [프로젝트](https://example.com/p)에 있다.

![구조도](fig.png)

# 2. [두 번째 논문](https://arxiv.org/abs/2511.00002)

두 번째 요약입니다.

[^a]: 각주 내용.
EOT
}

post "$T/2025-11-03-ko.md" ko "2025-11-03 08:15" "하루 논문"
post "$T/2025-11-04-ko.md" ko "2025-11-04" "다음 날 논문 2025-11-04"
post "$T/2025-11-05-tw.md" zh-TW "2025-11-05" "每日論文"
post "$T/2025-11-06-ja.md" ja "2025-11-06" "今日の論文"
post "$T/2025-11-07-en.md" en "2025-11-07T09:30:00+09:00" "Daily"

run "$FOLIO" convert -t txt -O txt.width=40 -o - "$T/2025-11-03-ko.md"
expect_status 0 "a Korean post"
for line in "날짜: 2025-11-03 08:15" "저자: 김연구" "카테고리: 리뷰" "주석" "링크" \
    "[그림: 구조도] [3]"; do
    grep -qxF -- "$line" <<<"$out" && ok "ko: '$line'" || fail "ko: no line '$line'"
done
grep -qF "[주석 1]" <<<"$out" && ok "ko: [주석 1]" || fail "ko: no [주석 1]"
# "태그: " is 6 columns wide: the tags go on under the first one.
tags=$(sed -n '/^태그: /,/^카테고리: /p' <<<"$out" | sed '1d;$d')
if [ "$(wc -l <<<"$tags")" -ge 2 ] && ! grep -qvE '^      [a-z]' <<<"$tags"; then
    ok "ko: tags indented under the label"
else fail "ko: tags not indented by 6 columns: $tags"; fi
grep -qE 'Date|Author|Notes|Links|note|image' <<<"$out" && fail "ko: English words left: $out"

run "$FOLIO" convert -t txt -o - "$T/2025-11-05-tw.md"
for line in "日期: 2025-11-05" "作者: 김연구" "分類: 리뷰" "註釋" "連結"; do
    grep -qxF -- "$line" <<<"$out" && ok "zh-TW: '$line'" || fail "zh-TW: no line '$line'"
done
grep -qF "[註 1]" <<<"$out" && ok "zh-TW: [註 1]" || fail "zh-TW: no [註 1]"

run "$FOLIO" convert -t txt -o - "$T/2025-11-06-ja.md"
for line in "日付: 2025-11-06" "著者: 김연구" "注" "リンク"; do
    grep -qxF -- "$line" <<<"$out" && ok "ja: '$line'" || fail "ja: no line '$line'"
done

run "$FOLIO" convert -t txt -o - "$T/2025-11-07-en.md"
for line in "Date: 2025-11-07 09:30" "Author: 김연구" "Notes" "Links" "[image: 구조도] [3]"; do
    grep -qxF -- "$line" <<<"$out" && ok "en: '$line'" || fail "en: no line '$line'"
done

# A Korean book: its range, count, contents and each post's papers; the
# day is not repeated after a title that holds it.
run "$FOLIO" convert -t txt --lang ko -o - "$T/2025-11-03-ko.md" "$T/2025-11-04-ko.md"
expect_status 0 "a Korean book"
for line in "기간: 2025-11-03 ~ 2025-11-04" "다이제스트: 2" "목차" \
    "1. 하루 논문 (2025-11-03, 논문 2편)" "2. 다음 날 논문 2025-11-04 (논문 2편)"; do
    grep -qxF -- "$line" <<<"$out" && ok "ko book: '$line'" || fail "ko book: no line '$line'"
done
finish
