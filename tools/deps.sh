#!/bin/sh
# Make sure the build and test packages are present, then write the
# pkg-config flags to the makefile fragment named by $1.
#
# On Debian or Ubuntu, run as root, a missing package is installed with
# apt-get; otherwise the exact command is printed and the build stops.
set -eu
out=${1:?usage: deps.sh OUTPUT}

# package:test pairs; a test is "pc:MODULE" (pkg-config), "cmd:NAME",
# "py:MODULE" (Debian's python3) or "file:PATH".
needs='pkgconf:cmd:pkg-config
libncurses-dev:pc:ncursesw
libsqlite3-dev:pc:sqlite3
libcurl4-openssl-dev:pc:libcurl
libsodium-dev:pc:libsodium
check:pc:check
libsubunit-dev:pc:libsubunit
faketime:cmd:faketime
mandoc:cmd:mandoc
sqlite3:cmd:sqlite3
tmux:cmd:tmux
python3-aiosmtpd:py:aiosmtpd
openssl:cmd:openssl
tzdata:file:/usr/share/zoneinfo/Europe/Berlin
ca-certificates:file:/etc/ssl/certs/ca-certificates.crt'

have() {
	case $1 in
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$2" ;;
	cmd) command -v "$2" >/dev/null 2>&1 ;;
	py) /usr/bin/python3 -c "import $2" >/dev/null 2>&1 ;;
	file) test -e "$2" ;;
	esac
}

missing=
for line in $needs; do
	pkg=${line%%:*}
	rest=${line#*:}
	if ! have "${rest%%:*}" "${rest#*:}"; then
		missing="$missing $pkg"
	fi
done

if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends$missing"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "deps: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2 || true
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >&2
	else
		echo "deps: missing packages:$missing" >&2
		echo "deps: install them with: sudo $cmd" >&2
		exit 1
	fi
fi

tmp=$out.tmp
{
	echo "# Written by tools/deps.sh; remove it to check the packages again."
	echo "PKG_CFLAGS := $(pkg-config --cflags sqlite3 libcurl libsodium)"
	echo "PKG_LIBS := $(pkg-config --libs sqlite3 libcurl libsodium)"
	echo "TUI_CFLAGS := $(pkg-config --cflags ncursesw)"
	echo "TUI_LIBS := $(pkg-config --libs ncursesw)"
	echo "CHECK_CFLAGS := $(pkg-config --cflags check)"
	echo "CHECK_LIBS := $(pkg-config --libs check)"
} > "$tmp"
mv "$tmp" "$out"
