#!/usr/bin/env python3
# measure.py FILE.html: the measure of the body text, from pdftotext
# -bbox-layout, in Hangul syllables: the width of the full body lines over
# the advance of one syllable (measured on words of Hangul only, in lines
# that are not stretched).  Prints: lines N syllables M.
import re, sys, statistics
d = open(sys.argv[1], encoding='utf-8').read()
rows = []
for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', d, re.S):
    ph = float(page[0])
    for x0, y0, x1, y1, body in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page[1], re.S):
        if float(y0) < 60 or float(y1) > ph - 60: continue
        ws = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', body)
        rows.append((round(float(y1) - float(y0), 1), float(x0), float(x1), ws))
h = statistics.mode(r[0] for r in rows)
rows = [r for r in rows if abs(r[0] - h) < 0.6]
right = max(r[2] for r in rows)
left = statistics.mode(round(r[1]) for r in rows)
full = [r for r in rows if r[2] > right - 3]
adv = [(float(b) - float(a)) / len(t) for r in rows if r[2] < right - 30
       for a, b, t in r[3] if len(t) >= 3 and all(0xAC00 <= ord(ch) <= 0xD7A3 for ch in t)]
print("lines %d syllables %.1f" % (len(full), (right - left) / statistics.median(adv)))
