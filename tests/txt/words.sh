# shellcheck shell=bash
# Sourced by the txt tests.  txt_lang FILE: the language folio gives a
# post.  txt_words LANG: the words txt says in LANG, as W_NOTES (the notes'
# heading), W_LINKS (the links' heading), W_DATE (the date's label) and
# W_NOTE (a footnote reference, "[note 1]").  Written here again, not read
# from the host's table, so a change to that table shows in the tests.
txt_lang() {
    "$FOLIO" dump "$1" | sed -n 's/^  lang: \([^ ]*\).*/\1/p' | head -1
}
txt_words() {
    case $1 in
    ko*) W_NOTES=주석 W_LINKS=링크 W_DATE=날짜 W_NOTE=주석 ;;
    zh-Hant* | zh-TW* | zh-HK* | zh-MO*) W_NOTES=註釋 W_LINKS=連結 W_DATE=日期 W_NOTE=註 ;;
    zh*) W_NOTES=注释 W_LINKS=链接 W_DATE=日期 W_NOTE=注 ;;
    ja*) W_NOTES=注 W_LINKS=リンク W_DATE=日付 W_NOTE=注 ;;
    *) W_NOTES=Notes W_LINKS=Links W_DATE=Date W_NOTE=note ;;
    esac
}
