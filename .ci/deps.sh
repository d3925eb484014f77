# Installs the Debian 12 packages folio needs, only those missing.
#   deps_install build   compilers, libraries and fonts (build and run)
#   deps_install test    the above plus the validators the tests use
# Sourced by samples/demo.sh and tests/run.sh.
DEPS_BUILD="build-essential cmake pkg-config libcmark-gfm-dev
  libcmark-gfm-extensions-dev libyaml-dev libzip-dev libhpdf-dev
  libunibreak-dev libutf8proc-dev libfontconfig-dev zlib1g-dev fonts-nanum
  fonts-wqy-zenhei libpng-dev libjpeg62-turbo-dev libcurl4-openssl-dev
  libgif-dev libwebp-dev fonts-dejavu-core fonts-symbola"
DEPS_TEST="epubcheck default-jre-headless qpdf poppler-utils valgrind clang-format chromium
  zip python3 ruby-kramdown ruby-kramdown-parser-gfm"

deps_install() {
    local want="$DEPS_BUILD" missing=""
    [ "$1" = test ] && want="$want $DEPS_TEST"
    for p in $want; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing:$missing"
    $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing > /dev/null
}
