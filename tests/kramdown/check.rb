# Compares one post with folio's reading of it, using kramdown as Jekyll
# configures it (GFM input, no hard wraps, Jekyll's defaults otherwise):
#   ruby check.rb ORIGINAL.md FOLIO-MD-OUTPUT.md DUMP-OF-ORIGINAL DUMP-OF-OUTPUT
# Prints one line per check, "bold A B", "math KEPT TOTAL", "html same|diff",
# and exits 1 when any disagrees.
require 'kramdown'
require 'kramdown-parser-gfm'

OPTS = { input: 'GFM', hard_wrap: false, auto_ids: true,
         entity_output: 'as_char', toc_levels: (1..6).to_a,
         smart_quotes: 'lsquo,rsquo,ldquo,rdquo', footnote_nr: 1,
         guess_lang: true, syntax_highlighter: nil }.freeze

def body(text)
  text.sub(/\A---[ \t]*\n.*?^(---|\.\.\.)[ \t]*\n/m, '')
end

# What Jekyll's Liquid makes of links to the site (baseurl ""): the path.
def liquid(text)
  text.gsub(/\{\{-?\s*(['"])(.*?)\1\s*\|\s*(relative_url|absolute_url)\s*-?\}\}/) { Regexp.last_match(2) }
      .gsub(/\{\{-?\s*site\.(baseurl|url)\s*-?\}\}/, '')
end

def html(text)
  Kramdown::Document.new(liquid(body(text)), OPTS).to_html
end

def norm(h)
  h.gsub(/>\s+</, '><').gsub(/\s+/, ' ').strip
end

def unquote(s)
  s.gsub(/\\(x[0-9a-f]{2}|n|.)/) do
    e = Regexp.last_match(1)
    e == 'n' ? "\n" : e.start_with?('x') && e.size == 3 ? e[1..].hex.chr : e
  end
end

def maths(dump)
  dump.lines.filter_map { |l| unquote(Regexp.last_match(1)) if l =~ /^\s*math(?: display)? "(.*)"$/ }
end

orig, out, dorig, dout = ARGV.map { |p| File.read(p, encoding: 'UTF-8') }
ok = true

bold_html = html(orig).scan('<strong>').size
bold_ir = dorig.lines.count { |l| l =~ /^\s*strong$/ }
puts "bold #{bold_ir} #{bold_html}"
ok &&= bold_ir == bold_html

m = maths(dorig)
kept = m.count { |t| out.include?(t) }
same_list = maths(dout) == m
puts "math #{kept} #{m.size}#{same_list ? '' : ' (read back differently)'}"
ok &&= kept == m.size && same_list

a = norm(html(orig))
b = norm(html(out))
if a == b
  puts 'html same'
else
  i = (0...[a.size, b.size].min).find { |k| a[k] != b[k] } || [a.size, b.size].min
  puts 'html diff'
  puts "  original: ...#{a[[i - 60, 0].max, 160]}"
  puts "  folio md: ...#{b[[i - 60, 0].max, 160]}"
  ok = false
end
exit(ok ? 0 : 1)
