#!/bin/bash
# The constructs Jekyll's kramdown reads differently from CommonMark, each
# checked on folio's IR (`folio dump`): tildes, math and its guards,
# Liquid and kramdown markup, emphasis beside CJK text; and pathological
# inputs for the pre-scan stay linear.
. "$TESTS/lib.sh"
# dump MARKDOWN: the IR of a small post in $out
dump() { printf '%s\n' "$1" > "$T/in.md"; run "$FOLIO" dump "$T/in.md"; }
has() { # regex description
    if grep -Eq -- "$1" <<< "$out"; then ok "$2"; else
        fail "$2: no /$1/ in"; sed -n '/^preamble/,$p' <<< "$out" | head -20; fi
}
md_same() { # description: md gives back in.md byte for byte
    run "$FOLIO" convert -t md -o - "$T/in.md"
    [ "$out" = "$(cat "$T/in.md")" ] && ok "$1" || fail "$1: $out"
}
hasnt() { # regex description
    if grep -Eq -- "$1" <<< "$out"; then
        fail "$2: /$1/ in"; sed -n '/^preamble/,$p' <<< "$out" | head -20
    else ok "$2"; fi
}

dump '상태 수를 1~2로 줄이고, 약 6.5~9배 빨라졌다. ~~취소~~'
hasnt 'strikethrough.*\n.*1' "single tildes are text"
has '"상태 수를 1~2로 줄이고, 약 6.5~9배 빨라졌다. "' "ranges kept whole"
has '^    strikethrough$' "double tildes strike through"

dump 'Costs $5 and $10, and $x_1 + y^2$ is math; so is $$a_b$$ and \(x\) and \[x^2\] and \\(y\\) and \\[z\\].'
has 'text "Costs \$5 and \$10, and "' "prices are text"
has 'math "\$x_1 \+ y\^2\$"' "inline \$...\$"
has 'math display "\$\$a_b\$\$"' "inline \$\$...\$\$ is display math"
has 'math "\\\\\(x\\\\\)"' '\(...\)'
has 'math display "\\\\\[x\^2\\\\\]"' '\[...\]'
has 'math "\\\\\\\\\(y\\\\\\\\\)"' '\\(...\\) as kramdown posts write it'
has 'math display "\\\\\\\\\[z\\\\\\\\\]"' '\\[...\\]'

dump 'Not math: $ 5$, $5 $, $a$1, `$code$`, \$x\$, \[escaped brackets\] and [link](u) \[1\].'
hasnt '^ *math' "guards: spaces, a digit after, code, escapes, brackets"

dump $'$$\n\\begin{aligned}\na &= b_1 \\\\\n- c &= \\{d\\}\n\n* e\n\\end{aligned}\n$$\n\nafter'
has 'math display "\$\$\\n\\\\begin\{aligned\}\\na &= b_1 \\\\\\\\\\n- c &= \\\\\{d\\\\\}\\n\\n\* e\\n\\\\end\{aligned\}\\n\$\$"' \
    "display math over lines, a blank line, '-' and '*' inside"
has '@?.*text "after"' "the paragraph after it"
dump $'```\n$$a_b$$\n```\n\n    $x_y$ indented code\n\n> quote $$a\n> b$$ end\n\n- item $$c\n  d$$'
has 'code_block info="" "\$\$a_b\$\$\\n"' "no math in fenced code"
has 'code_block info="" "\$x_y\$ indented code\\n"' "no math in indented code"
has 'math display "\$\$a\\nb\$\$"' "math over quoted lines, without the '> '"
has 'math display "\$\$c\\nd\$\$"' "math over item lines, without the indent"

dump $'* TOC\n{:toc}\n\n## One\n{: .cls #id}\n\nText {{ page.title }} and {% include x.html %}.\n<!--more-->\n\n{% raw %}{{ kept }}{% endraw %}\n\n{::options parse_block_html="true" /}\n\n![a]({{ \'/img/x.png\' | relative_url }}) [b]({{ site.baseurl }}/p/) [c]({{ "/q" | absolute_url }})'
has 'markup_block "\* TOC\\n\{:toc\}"' "the toc marker"
has 'markup_block "\{: .cls #id\}"' "a block attribute list"
has 'markup "\{\{ page.title \}\}"' "Liquid output"
has 'markup "\{% include x.html %\}"' "a Liquid tag"
has 'markup(_block)? "<!--more-->"' "<!--more-->"
has 'text "\{\{ kept \}\}"' "raw content is text"
has 'markup_block "\{::options parse_block_html=\\"true\\" /\}"' "a kramdown extension"
has "image url=\"\\{\\{ '/img/x\\.png' \\| relative_url \\}\\}\"" "an image keeps its Liquid as written (the host resolves it)"
has 'link url="/p/"' "site.baseurl resolved"
has 'link url="/q"' "absolute_url resolved"

dump $'{% highlight python linenos %}\nx = {{ 1 }} * 2  # ~~~\n{% endhighlight %}\n\n> {% highlight c %}\n> int x;\n> {% endhighlight %}\n\n{% highlight ruby %}\nno end'
has 'markup_block "\{% highlight python linenos %\}"' "a highlight tag"
has 'code_block info="python" "x = \{\{ 1 \}\} \* 2  # ~~~\\n"' "its content is code, as written"
has 'markup_block "\{% endhighlight %\}"' "the closing tag"
has 'code_block info="c" "int x;\\n"' "highlight in a quote"
has 'markup "\{% highlight ruby %\}"' "an unclosed highlight is a tag"
printf '%s\n' "$(sed -n '/^preamble/,$p' <<< "$out")" > "$T/hl.ir"
run "$FOLIO" convert -t md -o - "$T/in.md"
[ "$out" = "$(cat "$T/in.md")" ] && ok "md writes highlight blocks as they were" || fail "md of highlight: $out"

dump '**용어**를 배우고 이것은**굵게**다. **은닉마코프모델(HMMs)**을 쓴다. **重要**的，*강조*는'
[ "$(grep -c '^ *strong$' <<< "$out")" = 4 ] && ok "four strong beside CJK" || fail "strong beside CJK: $out"
has '^    emph$' "emphasis beside CJK"
dump 'a **b** c, 2 * 3 * 4, **foo(bar)**baz, **a, \*\*x\*\* 가'
[ "$(grep -c '^ *strong$' <<< "$out")" = 1 ] && ok "CommonMark cases without CJK unchanged" ||
    fail "ASCII cases: $out"
has '\*\*a, \*\*x\*\* 가"' "escaped stars never pair"
dump '**가 ** 나** and **나 **'
[ "$(grep -c '^ *strong$' <<< "$out")" = 1 ] && has 'text "가 \*\* 나"' "a run after a space does not close (as kramdown)" ||
    fail "space before a closer: $out"

# kramdown extensions: a comment is markup (hidden), nomarkdown raw HTML.
dump $'a\n\n{::comment}\nhidden **x**\n\nstill hidden\n{:/comment}\n\nShown {::comment}no{:/comment} here {::comment /} and {::comment}y{:/}.\n\n{::comment}\nnever closed'
has 'markup_block "\{::comment\}\\nhidden \*\*x\*\*\\n\\nstill hidden\\n\{:/comment\}"' "a comment block over a blank line"
hasnt 'strong' "nothing in a comment is read"
has 'markup "\{::comment\}no\{:/comment\}"' "an inline comment"
has 'markup "\{::comment /\}"' "a self-closed comment"
has 'markup "\{::comment\}y\{:/\}"' "the generic closer"
has 'text "\{::comment\}"' "an unclosed comment is text, as kramdown shows it"
dump $'{::nomarkdown}\n<table><tr><td>*a*</td></tr></table>\n{:/nomarkdown}\n\nx {::nomarkdown}<b>*y*</b>{:/nomarkdown} z\n\n> {::nomarkdown}\n> <i>q</i>\n> {:/nomarkdown}'
has '^  markup_block "\{::nomarkdown\}"' "nomarkdown: its tag is markup"
has '^  html_block "<table><tr><td>\*a\*</td></tr></table>\\n"' "its content raw HTML, never Markdown"
has '^  markup_block "\{:/nomarkdown\}"' "its closing tag"
has 'html_inline "<b>\*y\*</b>"' "inline nomarkdown is raw inline HTML"
has '^    html_block "<i>q</i>\\n"' "nomarkdown in a quote"
hasnt 'emph' "no emphasis inside nomarkdown"
md_same "md writes comments and nomarkdown as written"

# Definition lists: each term strong on its own line, ": " kept as markup.
dump $'용어\n: 첫 정의 **굵게**\n: 둘째 정의\n이어진 줄\n\nT1\nT2\n: d\n\n: not a list\n\nText\nx : y'
has '^    strong$' "a term is strong"
[ "$(grep -c '^    markup ": "$' <<< "$out")" = 3 ] && ok "three definitions" || fail "definitions: $out"
[ "$(grep -c '^    linebreak$' <<< "$out")" = 4 ] && ok "each term and definition on a line" ||
    fail "line breaks: $out"
has 'text "둘째 정의"' "a definition's text without ': '"
has 'text ": not a list"' "no term, no list"
has 'text "x : y"' "a colon inside a line is text"
md_same "md writes definition lists as written"

# Liquid: a comment hidden whole; branches, loops and includes kept or
# hidden with one warning each per file, naming the line.
dump $'intro\n\n{% comment %}\nsecret **s**\n{% endcomment %}\n\n{% if page.x %}\nA\n{% else %}\nB\n{% endif %}\n\n{%- for p in site.posts -%}\nC\n{% endfor %}\n\n{% include a.html %} {% include b.html %}\n\n{% unless x %}D{% endunless %}'
has 'markup_block "\{% comment %\}\\nsecret \*\*s\*\*\\n\{% endcomment %\}"' "a Liquid comment is one markup block"
has 'text "A"' "every branch is kept"
has 'text "B"' "the else branch too"
has 'text "C"' "a loop body is kept once"
expect_err "in.md:7:1: warning: Liquid \{% if page.x %\} is not evaluated" "a warning names the first branch's line"
expect_err "in.md:17:1: warning: Liquid \{% include a.html %\} is not shown" "includes are warned about"
[ "$(grep -c 'warning' <<< "$err")" = 2 ] && ok "one warning of each kind per file" || fail "warnings: $err"
dump $'a {% raw %}{{ b }}\n\nc {% comment %} d'
expect_err "in.md:1:3: warning: Liquid \{% raw %\} is not closed" "an unclosed raw is warned about"
has 'text "\{\{ b \}\}"' "after an unclosed raw, text as written"
dump $'c {% comment %} d'
has 'markup "\{% comment %\}"' "an unclosed Liquid comment hides only its tag"
has 'text " d"' "and what follows it is shown"
dump $'{% highlight c %}\nint x;'
expect_err "in.md:1:1: warning: Liquid \{% highlight c %\} is not closed" "an unclosed highlight is warned about"

# Link targets: resolved in the IR, written back as written by md.
dump $'[a]({{ site.baseurl }}/p/) [b]({{ \'/q\' | relative_url }}) [c](/r) [d]({% post_url 2025-01-01-x %})'
has 'link url="/p/" "\{\{ site.baseurl \}\}/p/"' "the IR has the path and the written target"
has 'link url="/r"$' "a plain target has no second form"
has 'link url="/2025/01/01/x.html" "\{% post_url 2025-01-01-x %\}"' "post_url: Jekyll's default permalink"
md_same "md writes every link target as written (baseurl kept)"

# Linear time on inputs made to defeat the pre-scan's searches.
gen() { awk "BEGIN { $2 }" > "$T/$1.md"; }
gen dollars   'for (i = 0; i < 200000; i++) printf "$a "; print ""'
gen ddollars  'for (i = 0; i < 200000; i++) printf "$$a "; print ""'
gen parens    'for (i = 0; i < 200000; i++) printf "\\\\(a "; print ""'
gen liquid    'for (i = 0; i < 100000; i++) printf "{%% a {{ b {: c "; print ""'
gen backticks 'for (i = 1; i < 2500; i++) { printf "e"; for (k = 0; k < i; k++) printf "`" }; print ""'
gen stars     'for (i = 0; i < 100000; i++) printf "**가 "; print ""'
gen display   'print "$$"; for (i = 0; i < 200000; i++) print "\\[a"'
gen comments  'for (i = 0; i < 100000; i++) printf "{::comment} {::nomarkdown}x "; print ""'
gen lcomments 'for (i = 0; i < 100000; i++) printf "{%% comment %%} {%% endcommen "; print ""'
gen percents  'for (i = 0; i < 500000; i++) printf "{%%"; print ""'
gen rawopen   'print "{% raw %}"; for (i = 0; i < 100000; i++) print "{%% endraw {{ x }} {: y"'
gen deflist   'print "term"; for (i = 0; i < 100000; i++) print ": def {::comment}"'
gen ifs       'for (i = 0; i < 100000; i++) print "{% if a %}\n{% include x %}\n{% highlight c %}"'
for c in dollars ddollars parens liquid backticks stars display comments lcomments percents rawopen deflist ifs; do
    (ulimit -t 10; "$FOLIO" check -q "$T/$c.md" > /dev/null 2>&1)
    [ $? -le 1 ] && ok "$c: in time" || fail "$c: took too long or crashed"
done
finish
