# Compares one post with folio's reading of it, using kramdown as Jekyll
# configures it (GFM input, no hard wraps, Jekyll's defaults otherwise):
#   ruby check.rb ORIGINAL.md FOLIO-MD-OUTPUT.md DUMP-OF-ORIGINAL DUMP-OF-OUTPUT
# Prints one line per check, "bold A B", "math KEPT TOTAL", "html same|diff",
# and exits 1 when any disagrees.
require 'kramdown'
require 'kramdown-parser-gfm'
require 'yaml'
require 'date'

OPTS = { input: 'GFM', hard_wrap: false, auto_ids: true,
         entity_output: 'as_char', toc_levels: (1..6).to_a,
         smart_quotes: 'lsquo,rsquo,ldquo,rdquo', footnote_nr: 1,
         guess_lang: true, syntax_highlighter: nil }.freeze

def body(text)
  text.sub(/\A---[ \t]*\n.*?^(---|\.\.\.)[ \t]*\n/m, '')
end

# Jekyll's Liquid, for a site served under /blog (a baseurl, so an md
# output that dropped the Liquid of a link is caught): link filters give
# the path; {% if %}/{% unless %} keep the branch the front matter selects
# (a page variable it lacks is false); a loop over what the front matter
# lacks, an include (its file is not here) and a comment give nothing;
# {% raw %} gives its content; {% highlight x %} a code block; a page
# variable the front matter gives as a string, number or list prints it;
# other tags and output nothing.
def liquid(text, page)
  out = +''
  stack = [] # [shown before this block, this branch shown, a branch taken]
  show = true
  tokens = text.split(/(\{%-?.*?-?%\}|\{\{-?.*?-?\}\})/m)
  i = 0
  while i < tokens.size
    t = tokens[i]
    i += 1
    if t =~ /\A\{\{-?\s*(.*?)\s*-?\}\}\z/m
      e = Regexp.last_match(1)
      next unless show
      out << if e =~ /\A(['"])(.*?)\1\s*\|\s*(relative_url|absolute_url)\z/ then "/blog#{Regexp.last_match(2)}"
             elsif e == 'site.baseurl' then '/blog'
             elsif e =~ /\Apage\.(\w+)\z/ && [String, Integer, Float, Array].any? { |k| page[Regexp.last_match(1)].is_a?(k) }
               v = page[Regexp.last_match(1)]
               v.is_a?(Array) ? v.join : v.to_s
             else ''
             end
      next
    end
    unless t =~ /\A\{%-?\s*(\w+)\s*(.*?)\s*-?%\}\z/m
      out << t if show
      next
    end
    tag, arg = Regexp.last_match(1), Regexp.last_match(2)
    truthy = lambda do |cond|
      v = cond =~ /\Apage\.(\w+)\z/ ? page[Regexp.last_match(1)] : nil
      v && v != false && v != ''
    end
    case tag
    when 'if', 'unless'
      c = truthy.call(arg)
      c = !c if tag == 'unless'
      stack << [show, c]
      show &&= c
    when 'elsif', 'else'
      prev, taken = stack.last
      c = !taken && (tag == 'else' || truthy.call(arg))
      stack[-1] = [prev, taken || c]
      show = prev && c
    when 'endif', 'endunless'
      show = stack.empty? ? true : stack.pop[0]
    when 'comment', 'for'
      depth = 1
      endtag = tag == 'comment' ? 'endcomment' : 'endfor'
      while i < tokens.size && depth.positive?
        depth += 1 if tokens[i] =~ /\A\{%-?\s*#{tag}\b/
        depth -= 1 if tokens[i] =~ /\A\{%-?\s*#{endtag}\b/
        i += 1
      end
    when 'raw'
      while i < tokens.size && tokens[i] !~ /\A\{%-?\s*endraw\b/
        out << tokens[i] if show
        i += 1
      end
      i += 1
    when 'highlight'
      out << "~~~~ #{arg.split.first}" if show
    when 'endhighlight'
      out << '~~~~' if show
    end
  end
  out
end

def front(text)
  m = text.match(/\A---[ \t]*\n(.*?)^(---|\.\.\.)[ \t]*\n/m)
  (m && YAML.safe_load(m[1], permitted_classes: [Date, Time])) || {}
rescue StandardError
  {}
end

def html(text)
  Kramdown::Document.new(liquid(body(text), front(text)), OPTS).to_html
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

# folio shows a definition list's terms (<dt>) as strong text
h = html(orig)
bold_html = h.scan('<strong>').size + h.scan('<dt>').size
bold_ir = dorig.lines.count { |l| l =~ /^\s*strong$/ }
puts "bold #{bold_ir} #{bold_html}"
ok &&= bold_ir == bold_html

# What a reader sees: the words of kramdown's page (comments, tags, the
# generated table of contents, image alt text and footnote back links
# left out) against the words of folio's IR (text, code, math, the text of
# raw HTML, footnote marks; markup, link targets and alt text left out).
def words(text)
  text.scan(/[\p{L}\p{N}]+/)
end

def html_words(h)
  t = h.gsub(/<ul id="markdown-toc">.*?<\/ul>/m, ' ').gsub(/<!--.*?-->/m, ' ')
       .gsub(/<a href="#fnref[^"]*"[^>]*>.*?<\/a>/m, ' ').gsub(/<[^>]*>/, ' ')
  words(t.gsub(/&(amp|lt|gt|quot|#39);/, ' '))
end

def ir_words(dump)
  out = []
  skip = nil
  dump.lines.each do |l|
    ind = l[/\A */].size
    next if skip && ind > skip
    skip = nil
    next unless ind >= 2 # the digest's own fields
    skip = ind if l =~ /^\s*image /
    out << Regexp.last_match(1) if l =~ /^\s*footnote_ref (\d+)/ # its mark
    next unless l =~ /^\s*(text|code|code_block|math|html_block|html_inline)\b.*? "((?:[^"\\]|\\.)*)"$/
    t = unquote(Regexp.last_match(2))
    t = t.gsub(/<!--.*?-->/m, ' ').gsub(/<[^>]*>/, ' ') if Regexp.last_match(1).start_with?('html')
    out.concat(words(t.gsub(/&(amp|lt|gt|quot|#39);/, ' ')))
  end
  out
end

kw = html_words(h).sort
fw = ir_words(dorig).sort
puts "words #{kw == fw ? 'same' : 'diff'} #{fw.size} #{kw.size}"
# a difference folio warned about (a Liquid branch, loop or include) is
# reported, not failed
ok &&= kw == fw || ENV['FOLIO_WARNED'] == '1'
unless kw == fw
  a = fw.tally
  b = kw.tally
  odd = (a.keys | b.keys).reject { |k| a[k] == b[k] }
  puts "  words folio/kramdown: #{odd.first(12).map { |k| "#{k} #{a[k] || 0}/#{b[k] || 0}" }.join(', ')}"
end

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
