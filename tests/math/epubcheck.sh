#!/bin/bash
# EPUBCheck must report 0 errors and 0 warnings for an EPUB whose chapter
# holds every formula of the suite as MathML, display and inline (the
# chapter marked "mathml" in the OPF).
. "$TESTS/lib.sh"
JAR=/usr/share/java/epubcheck.jar
if ! command -v java > /dev/null || [ ! -r "$JAR" ] || ! command -v zip > /dev/null; then
    fail "EPUBCheck or zip missing: apt-get install epubcheck default-jre-headless zip"
    finish
fi
d="$T/book"
mkdir -p "$d/META-INF" "$d/OEBPS"
printf 'application/epub+zip' > "$d/mimetype"
cat > "$d/META-INF/container.xml" << 'X'
<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
X
cat > "$d/OEBPS/content.opf" << 'X'
<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:5a4d2f0e-0c1b-4c8e-9a57-1d2b3c4d5e6f</dc:identifier><dc:title>Math suite</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml" properties="mathml"/></manifest><spine><itemref idref="c1"/></spine></package>
X
cat > "$d/OEBPS/nav.xhtml" << 'X'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body><nav epub:type="toc"><ol><li><a href="c1.xhtml">Math</a></li></ol></nav></body></html>
X
run "$BUILD/bin/math_suite" xhtml "$TESTS/math/golden.tsv"
expect_status 0 "chapter written"
cp "$R/out" "$d/OEBPS/c1.xhtml"
n=$(grep -c '<math ' "$d/OEBPS/c1.xhtml")
[ "$n" -ge 400 ] && ok "$n math elements" || fail "only $n math elements"
(cd "$d" && zip -X0q ../m.epub mimetype && zip -Xrq9 ../m.epub META-INF OEBPS)
timeout 300 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar "$JAR" "$T/m.epub" > "$T/log" 2>&1
if grep -q 'No errors or warnings detected' "$T/log"; then ok "EPUBCheck: 0 errors, 0 warnings"; else
    fail "EPUBCheck:"; head -20 "$T/log"; fi
finish
