#!/usr/bin/env python3
"""Check a tagged PDF's structure (PDF/UA-1 requirements folio aims at).

usage: tagcheck.py JSON PDF [--lang L] [--roles R,R..] [--formula TEX]...
                   [--order BODYTEXT] [--dump PAGE]

JSON is `qpdf --json=2 --json-key=qpdf --json-stream-data=inline
--decode-level=generalized PDF`.  Prints "ok ..." / "FAIL ..." lines and
exits 1 on a failure.  --order: a file with the text pdftotext reads in
the body area, whitespace removed; the text of the structure tree's marked
content, in tree order, must be the same.  --dump PAGE prints that page's
part of the tree (role, /Alt, MCIDs) instead of checking.

folio's content streams show text as 2-byte CIDs that are the code points
themselves (above U+F000 an alias of a character beyond the BMP), so the
text of a marked-content sequence is read straight from its strings."""
import base64
import json
import re
import sys

failed = 0


quiet = "--dump" in sys.argv  # the tree only


def ok(msg):
    if not quiet:
        print("ok   " + msg)


def fail(msg):
    global failed
    failed = 1
    if not quiet:
        print("FAIL " + msg)


args = sys.argv[1:]
jpath, pdfname = args[0], args[1]
opts = {"lang": None, "roles": [], "formula": [], "order": None, "dump": None}
i = 2
while i < len(args):
    k = args[i][2:]
    if k == "formula":
        opts["formula"].append(args[i + 1])
    elif k == "roles":
        opts["roles"] = args[i + 1].split(",")
    else:
        opts[k] = args[i + 1]
    i += 2

objs = json.load(open(jpath))["qpdf"][1]


def ref(r):
    return "obj:" + r if isinstance(r, str) and r.endswith(" R") else None


def get(r):
    """The value of an object (a reference resolved), or r itself."""
    k = ref(r)
    if k is None:
        return r
    o = objs.get(k, {})
    return o["value"] if "value" in o else o.get("stream")


def text(s):
    return s[2:] if isinstance(s, str) and s[:2] in ("u:", "b:") else s


trailer = objs["trailer"]["value"]
cat = get(trailer["/Root"])
info = get(trailer.get("/Info")) or {}

# ---------------------------------------------------------------- catalog
mark = get(cat.get("/MarkInfo")) or {}
if mark.get("/Marked") is True:
    ok("/MarkInfo /Marked true")
else:
    fail("/MarkInfo: %r" % mark)
vp = get(cat.get("/ViewerPreferences")) or {}
if vp.get("/DisplayDocTitle") is True:
    ok("/DisplayDocTitle true")
else:
    fail("/ViewerPreferences: %r" % vp)
lang = text(cat.get("/Lang"))
if opts["lang"] is None or lang == opts["lang"]:
    ok("/Lang %s" % lang)
else:
    fail("/Lang %r, wanted %r" % (lang, opts["lang"]))
meta = get(cat.get("/Metadata"))
title = text(info.get("/Title"))
if not meta or meta["dict"].get("/Subtype") != "/XML" or "/Filter" in meta["dict"]:
    fail("no unfiltered XML /Metadata")
else:
    xmp = base64.b64decode(meta["data"]).decode("utf-8")
    esc = (title or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    checks = [
        ("pdfuaid:part 1", "<pdfuaid:part>1</pdfuaid:part>" in xmp),
        ("dc:title as the info /Title",
         bool(title) and '<rdf:li xml:lang="x-default">%s</rdf:li>' % esc in xmp),
        ("dc:language " + str(lang), lang is None or "<rdf:li>%s</rdf:li>" % lang in xmp),
    ]
    for what, good in checks:
        (ok if good else fail)("XMP: " + what)

# ------------------------------------------------------------------ pages
pages = []


def walk_pages(node):
    n = get(node)
    if n.get("/Type") == "/Pages":
        for k in n["/Kids"]:
            walk_pages(k)
    else:
        pages.append(node)


walk_pages(cat["/Pages"])
pageno = {p: i + 1 for i, p in enumerate(pages)}

TOKEN = re.compile(rb"\s*(?:(\()|(<<|>>|\[|\]|<[0-9A-Fa-f\s]*>)|(/[^\s/\[\]()<>{}%]*)|([^\s/\[\]()<>{}%]+))")


def read_string(data, i):
    """A literal string from data[i] (after its '('): bytes and end."""
    out, depth = bytearray(), 1
    while True:
        ch = data[i]
        i += 1
        if ch == 0x5C:  # backslash
            e = data[i]
            i += 1
            if 0x30 <= e <= 0x37:
                v, n = e - 0x30, 1
                while n < 3 and 0x30 <= data[i] <= 0x37:
                    v, n, i = v * 8 + data[i] - 0x30, n + 1, i + 1
                out.append(v & 255)
            else:
                out.append({0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}.get(e, e))
        elif ch == 0x28:
            depth += 1
            out.append(ch)
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i
            out.append(ch)
        else:
            out.append(ch)


PAINT = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"S", b"s", b"B", b"B*",
         b"b", b"b*", b"Do", b"sh"}


def scan(data, pno):
    """Marked content of a content stream: {mcid: (tag, text)}, the
    artifacts' text, and nesting errors."""
    i, operands, stack, errs = 0, [], [], []
    mcids, art = {}, []
    cur = None  # the innermost sequence: ("mcid", n) or ("art",)
    seqs = []
    while i < len(data):
        m = TOKEN.match(data, i)
        if not m or m.end() == i:
            break
        i = m.end()
        if m.group(1):
            s, i = read_string(data, i)
            operands.append(s)
            continue
        tok = m.group(2) or m.group(3) or m.group(4)
        if m.group(2) or m.group(3) or re.fullmatch(rb"[-+.0-9]+", tok or b""):
            operands.append(tok)
            continue
        op = tok
        if op in (b"BDC", b"BMC"):
            mc = None
            if op == b"BDC":
                d = b" ".join(x for x in operands if isinstance(x, bytes))
                mm = re.search(rb"/MCID (\d+)", d)
                mc = int(mm.group(1)) if mm else None
            if mc is not None:
                if mc in mcids:
                    errs.append("MCID %d twice" % mc)
                mcids[mc] = [operands[0].decode(), ""]
                seqs.append(("mcid", mc))
            else:
                seqs.append(("art",))
            stack.append("M")
        elif op == b"EMC":
            if not stack or stack[-1] != "M":
                errs.append("EMC inside a text object or unopened")
            else:
                stack.pop()
                seqs.pop()
        elif op == b"BT":
            stack.append("T")
        elif op == b"ET":
            if not stack or stack[-1] != "T":
                errs.append("ET across marked content")
            else:
                stack.pop()
        elif op in PAINT:
            if not seqs:
                errs.append("%s outside marked content" % op.decode())
            elif op in (b"Tj", b"'", b'"') and operands and isinstance(operands[-1], bytes):
                s = operands[-1]
                t = "".join(chr(s[k] << 8 | s[k + 1]) for k in range(0, len(s) - 1, 2))
                if seqs[-1][0] == "mcid":
                    mcids[seqs[-1][1]][1] += t
                else:
                    art.append(t)
        operands = []
    if stack:
        errs.append("unclosed at the end: %s" % "".join(stack))
    return mcids, art, errs


page_mcids = {}
nest_errs, unmarked = [], 0
for p in pages:
    pd = get(p)
    if pd.get("/Tabs") != "/S":
        fail("page %d: /Tabs %r" % (pageno[p], pd.get("/Tabs")))
    cs = pd.get("/Contents")
    cs = cs if isinstance(cs, list) else [cs]
    data = b"".join(base64.b64decode(get(c)["data"]) + b"\n" for c in cs)
    mcids, art, errs = scan(data, pageno[p])
    page_mcids[p] = mcids
    for e in errs:
        nest_errs.append("page %d: %s" % (pageno[p], e))
if nest_errs:
    fail("marked content: %s" % "; ".join(nest_errs[:5]))
else:
    ok("every painting operator inside marked content, properly nested, on %d pages" % len(pages))

# ------------------------------------------------------------ the tree
root = get(cat.get("/StructTreeRoot"))
if not root or root.get("/Type") != "/StructTreeRoot":
    fail("no /StructTreeRoot")
    sys.exit(1)
elems = []  # (ref, dict, depth)
tree_mcids = {}  # (page, mcid) -> elem ref
order = []  # (page, mcid) in tree order
objr = {}  # annotation ref -> elem ref
bad = []


def walk(r, parent, depth):
    e = get(r)
    if e.get("/P") != parent:
        bad.append("%s: /P %r, not %r" % (e.get("/S"), e.get("/P"), parent))
    elems.append((r, e, depth))
    pg = e.get("/Pg")
    k = e.get("/K")
    for kid in k if isinstance(k, list) else [k]:
        if isinstance(kid, int):
            key = (pg, kid)
        elif isinstance(kid, dict) and kid.get("/Type") == "/MCR":
            key = (kid.get("/Pg", pg), kid["/MCID"])
        elif isinstance(kid, dict) and kid.get("/Type") == "/OBJR":
            objr[kid["/Obj"]] = r
            continue
        elif ref(kid):
            walk(kid, r, depth + 1)
            continue
        else:
            bad.append("%s: kid %r" % (e.get("/S"), kid))
            continue
        if key in tree_mcids:
            bad.append("MCID %r in two elements" % (key,))
        tree_mcids[key] = r
        order.append(key)


walk(root["/K"], cat["/StructTreeRoot"], 0)
if bad:
    fail("tree: " + "; ".join(bad[:5]))
else:
    ok("%d structure elements, each with its parent" % len(elems))

if opts["dump"]:
    pg = pages[int(opts["dump"]) - 1]
    on = {r for (p, m), r in tree_mcids.items() if p == pg}
    keep = set()
    for r, e, d in elems:  # an element with content on the page, and its ancestors
        if r in on:
            x = r
            while x and ref(x) and x not in keep:
                keep.add(x)
                x = get(x).get("/P")
    for r, e, d in elems:
        if r not in keep:
            continue
        mc = [m for (p, m), rr in tree_mcids.items() if rr == r and p == pg]
        alt = text(e.get("/Alt"))
        links = sum(1 for a, rr in objr.items() if rr == r)
        line = "  " * d + e["/S"][1:]
        if mc:
            line += "  MCID " + ",".join(map(str, sorted(mc)))
            body = "".join(page_mcids[pg].get(m, ["", ""])[1] for m in sorted(mc))
            line += "  \u201c%s\u201d" % (body[:48] + ("\u2026" if len(body) > 48 else ""))
        if links:
            line += "  + %d link annotation%s" % (links, "s" * (links > 1))
        if alt:
            line += "  /Alt \u201c%s\u201d" % (alt[:60] + ("\u2026" if len(alt) > 60 else ""))
        print(line)
    sys.exit(0)

roles = {e["/S"][1:] for r, e, d in elems}
missing = [x for x in opts["roles"] if x not in roles]
if missing:
    fail("roles missing: %s (have %s)" % (",".join(missing), ",".join(sorted(roles))))
elif opts["roles"]:
    ok("roles " + ",".join(opts["roles"]))
noalt = [e for r, e, d in elems if e["/S"] in ("/Figure", "/Formula") and not text(e.get("/Alt"))]
nfig = sum(1 for r, e, d in elems if e["/S"] == "/Figure")
if noalt:
    fail("%d figures or formulas without /Alt" % len(noalt))
else:
    ok("%d figures, each with /Alt" % nfig)
alts = [text(e.get("/Alt")) for r, e, d in elems if e["/S"] == "/Formula"]
for tex in opts["formula"]:
    if tex in alts:
        ok("a Formula with /Alt %r" % tex)
    else:
        fail("no Formula with /Alt %r (have %r)" % (tex, alts[:6]))

# Notes (footnotes): each has an /ID that the root's /IDTree maps to it.
notes = [(r, e) for r, e, d in elems if e["/S"] == "/Note"]
if notes:
    names = get(get(root.get("/IDTree", {})).get("/Names", [])) or []
    idtree = {text(names[i]): names[i + 1] for i in range(0, len(names) - 1, 2)}
    keys = [text(names[i]) for i in range(0, len(names) - 1, 2)]
    bad = [r for r, e in notes if not text(e.get("/ID")) or idtree.get(text(e.get("/ID"))) != r]
    if bad or keys != sorted(keys) or len(idtree) != len(notes):
        fail("notes and /IDTree disagree: %d notes, %d names, %d without a match" % (len(notes), len(idtree), len(bad)))
    else:
        ok("%d notes, each with an /ID in the /IDTree" % len(notes))

# Footnote marks: each a Reference inside a paragraph (or a cell, an
# item's body...), its text a note's number (marks side by side, "2,3",
# share one); every note referred to.
def etext(r):
    """The text of an element's marked content, its kids' included."""
    e, out = get(r), ""
    k = e.get("/K")
    for kid in k if isinstance(k, list) else [k]:
        if isinstance(kid, int) or (isinstance(kid, dict) and kid.get("/Type") == "/MCR"):
            p = kid.get("/Pg", e.get("/Pg")) if isinstance(kid, dict) else e.get("/Pg")
            m = kid["/MCID"] if isinstance(kid, dict) else kid
            out += page_mcids.get(p, {}).get(m, ["", ""])[1]
        elif ref(kid):
            out += etext(kid)
    return out


refs = [(r, e) for r, e, d in elems if e["/S"] == "/Reference"]
if notes or refs:
    numbers = set()
    for r, e in notes:
        k = e.get("/K")
        first = (k if isinstance(k, list) else [k])[0]
        if ref(first) and get(first).get("/S") == "/Lbl":
            numbers.add(etext(first).strip().rstrip("."))
    errs, seen = [], set()
    for r, e in refs:
        t = etext(r)
        parent = get(e.get("/P")).get("/S")
        if not t or not set(t.split(",")) <= numbers:
            errs.append("Reference %r is no note's number (%s)" % (t, ",".join(sorted(numbers))))
        if parent not in ("/P", "/LBody", "/TD", "/TH", "/Note", "/Caption", "/H1", "/H2", "/H3", "/H4", "/Link"):
            errs.append("Reference %r in a %s" % (t, parent))
        seen |= set(t.split(","))
    if numbers - seen:
        errs.append("notes never referred to: %s" % ",".join(sorted(numbers - seen)))
    if errs:
        fail("footnote marks: " + "; ".join(errs[:5]))
    else:
        ok("%d footnote marks, each a Reference with a note's number, for %d notes" % (len(refs), len(notes)))

# ------------------------------------------------------ the parent tree
ptree = {}


def number_tree(node):
    node = get(node)
    nums = get(node.get("/Nums")) or []
    ptree.update({nums[k]: nums[k + 1] for k in range(0, len(nums), 2)})
    for kid in get(node.get("/Kids")) or []:
        number_tree(kid)


number_tree(root["/ParentTree"])
if len(ptree) == root.get("/ParentTreeNextKey"):
    ok("/ParentTreeNextKey %d" % len(ptree))
else:
    fail("/ParentTreeNextKey %r for %d keys" % (root.get("/ParentTreeNextKey"), len(ptree)))
content = {(p, m) for p in pages for m in page_mcids[p]}
errs = []
for p in pages:
    pd = get(p)
    sp = pd.get("/StructParents")
    mc = page_mcids[p]
    if sp is None:
        if mc:
            errs.append("page %d: MCIDs but no /StructParents" % pageno[p])
        continue
    arr = get(ptree.get(sp))
    if not isinstance(arr, list) or len(arr) != len(mc) or set(mc) != set(range(len(arr))):
        errs.append("page %d: parent tree %d entries, MCIDs %s" %
                    (pageno[p], len(arr or []), sorted(mc)[:8]))
        continue
    for m in mc:
        if tree_mcids.get((p, m)) != arr[m]:
            errs.append("page %d MCID %d: parent %r, tree %r" %
                        (pageno[p], m, arr[m], tree_mcids.get((p, m))))
if set(tree_mcids) != content:
    errs.append("%d MCIDs in the tree only, %d in content only" %
                (len(set(tree_mcids) - content), len(content - set(tree_mcids))))
if errs:
    fail("MCIDs: " + "; ".join(errs[:5]))
else:
    ok("%d MCIDs: each in the content once, in one element and in the parent tree" % len(content))

nlinks, errs = 0, []
for p in pages:
    for a in get(p).get("/Annots") or []:
        ad = get(a)
        if ad.get("/Subtype") != "/Link":
            continue
        nlinks += 1
        sp = ad.get("/StructParent")
        if sp is None or ptree.get(sp) != objr.get(a) or objr.get(a) is None:
            errs.append("annotation %s: /StructParent %r" % (a, sp))
        elif get(objr[a])["/S"] != "/Link":
            errs.append("annotation %s in a %s" % (a, get(objr[a])["/S"]))
        if not text(ad.get("/Contents")):
            errs.append("annotation %s without /Contents" % a)
if errs:
    fail("links: " + "; ".join(errs[:5]))
else:
    ok("%d link annotations, each in a Link element with /Contents" % nlinks)

# ------------------------------------------------------------ the order
if opts["order"]:
    want = open(opts["order"], encoding="utf-8").read()
    got = "".join(page_mcids[p][m][1] for p, m in order if m in page_mcids[p])
    # Characters beyond the BMP are drawn as aliases (U+F000..U+F0FF).
    # Accents are left out: poppler turns a spacing accent drawn over a
    # letter (a formula's breve) into a combining one.
    accents = r"\u0300-\u036f\u02b0-\u02ff\u00a8\u00af\u00b4\u00b8"
    got = re.sub(r"[\s\-\u00ad\uf000-\uf0ff" + accents + "]", "", got)
    want = re.sub(r"[\s\-\u00ad\U00010000-\U0010ffff" + accents + "]", "", want)
    # A display formula is two-dimensional: pdftotext reads it line by
    # line (a fraction's numerator after what stands beside it).  The
    # characters of formulas are left out of both texts.
    fchars = set()
    for (p, m), r in tree_mcids.items():
        if get(r)["/S"] == "/Formula" and m in page_mcids[p]:
            fchars |= set(page_mcids[p][m][1])
    got = "".join(ch for ch in got if ch not in fchars)
    want = "".join(ch for ch in want if ch not in fchars)
    if got == want:
        ok("structure order is pdftotext's (%d characters)" % len(got))
    else:
        k = next((j for j in range(min(len(got), len(want))) if got[j] != want[j]),
                 min(len(got), len(want)))
        fail("structure order differs at %d of %d/%d: tree \u2026%s\u2026 pdftotext \u2026%s\u2026"
             % (k, len(got), len(want), got[max(0, k - 30):k + 40], want[max(0, k - 30):k + 40]))
sys.exit(failed)
