#!/usr/bin/env python3
# gaps.py FILE.html: word gaps of justified lines, from pdftotext -bbox-layout.
# Prints: justified N normal PT max RATIO over1.5 N over2 N.
import re, sys, statistics
# Word gaps of justified lines, from pdftotext -bbox-layout.  A justified
# line ends at the right edge of the column; the normal gap is the median
# gap of the lines that end short of it (not stretched).  A line's ratio
# is its widest gap over normal; the first gap of a line (after a list
# bullet or a run-in label) is left out.  Running heads and feet are left out.
d = open(sys.argv[1], encoding='utf-8').read()
lines = []
for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', d, re.S):
    ph = float(page[0])
    for y0, x1, y1, body in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page[1], re.S):
        if float(y0) < 60 or float(y1) > ph - 60: continue
        ws = [(float(a), float(b)) for a, b in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', body)]
        if len(ws) < 3: continue
        lines.append((round(float(y1) - float(y0), 1), float(x1), [ws[i + 1][0] - ws[i][1] for i in range(1, len(ws) - 1)]))
# Body lines only: the most common line height (headings are taller).
body = statistics.mode(h for h, x, g in lines)
lines = [(x, g) for h, x, g in lines if abs(h - body) < 0.6]
right = max(x for x, g in lines)
full = [max(g) for x, g in lines if x > right - 3]
normal = statistics.median([v for x, g in lines if x < right - 30 for v in g])
r = sorted(v / normal for v in full)
print("justified %d normal %.2f max %.2f over1.5 %d over2 %d" % (len(r), normal, r[-1], sum(x >= 1.5 for x in r), sum(x > 2 for x in r)))
