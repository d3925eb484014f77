#!/bin/bash
# $FOLIO for a FOLIO_VALGRIND build: folio under valgrind; any error or
# leak fails the command (exit 99).
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
    --track-origins=yes "$FOLIO_REAL" "$@"
