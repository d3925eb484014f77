#!/bin/bash
# Each plugin's files call one another in one direction: from the object
# files' symbols (nm), the file graph "A calls a function defined in B" has
# no cycle, so the layers the README lists stay layers.
. "$TESTS/lib.sh"
command -v nm > /dev/null || { fail "nm not found"; finish; }
for p in pdf epub txt md; do
    dir="$BUILD/plugins/$p/CMakeFiles/folio_$p.dir"
    [ -d "$dir" ] || continue
    objs=$(ls "$dir"/*.c.o 2> /dev/null)
    [ -n "$objs" ] || { fail "$p: no objects in $dir"; continue; }
    # Lines "D file sym" for definitions, "U file sym" for uses.
    syms=$(for o in $objs; do
        f=$(basename "$o" .c.o)
        nm "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ {print "D", f, $3} $1 == "U" {print "U", f, $2}'
    done)
    edges=$(awk '$1 == "D" {def[$3] = $2} $1 == "U" {use[NR] = $2 " " $3}
        END {for (i in use) {split(use[i], a, " "); if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]]}}' <<< "$syms" | sort -u)
    n=$(wc -l <<< "$objs")
    # tsort reports a cycle on stderr.
    if cyc=$(tsort <<< "$edges" 2>&1 > /dev/null) && [ -z "$cyc" ]; then
        ok "$p: $n files, $(grep -c . <<< "$edges") calls between files, no cycle"
    else
        fail "$p: files call each other in a circle: $cyc"
    fi
done
finish
