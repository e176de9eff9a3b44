#!/bin/sh
# Make sure the build and test packages are present, then write the
# pkg-config flags to the makefile fragment named by $1.
#
# On Debian or Ubuntu, run as root, a missing package is installed with
# apt-get: one line a step, the output of apt-get and dpkg in deps.log
# beside $1, shown only when a step fails. Otherwise the packages and the
# command that installs them are printed and it exits 1, writing nothing.
set -eu
out=${1:?usage: deps.sh OUTPUT}
log=$(dirname "$out")/deps.log
. "$(dirname "$0")/apt.sh"

# package:test pairs; a test is "pc:MODULE" (pkg-config), "cmd:NAME",
# "py:MODULE" (Debian's python3), "file:PATH" or "glob:PATTERN".
needs='pkgconf:cmd:pkg-config
libncurses-dev:pc:ncursesw
libsqlite3-dev:pc:sqlite3
libcurl4-openssl-dev:pc:libcurl
libsodium-dev:pc:libsodium
libssl-dev:pc:libcrypto
libical-dev:pc:libical
libmicrohttpd-dev:pc:libmicrohttpd
libpq-dev:pc:libpq
postgresql:glob:/usr/lib/postgresql/*/bin/initdb
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

# Succeed when the test $1 (pc, cmd, py, file, glob) passes for $2.
have() {
	case $1 in
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$2" ;;
	cmd) command -v "$2" >/dev/null 2>&1 ;;
	py) /usr/bin/python3 -c "import $2" >/dev/null 2>&1 ;;
	file) test -e "$2" ;;
	glob) for f in $2; do test -e "$f" && return 0; done; return 1 ;;
	esac
}

# Print the missing packages, each after a space.
missing_packages() {
	for line in $needs; do
		pkg=${line%%:*}
		rest=${line#*:}
		if ! have "${rest%%:*}" "${rest#*:}"; then
			printf ' %s' "$pkg"
		fi
	done
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086
	apt_provide deps "$log" $missing || exit 1
	missing=$(missing_packages)
	if [ -n "$missing" ]; then
		echo "deps: still missing after apt-get install:$missing" \
		    "(its output is in $log)" >&2
		exit 1
	fi
fi

tmp=$out.tmp
{
	echo "# Written by tools/deps.sh; remove it to check the packages again."
	echo "PKG_CFLAGS := $(pkg-config --cflags sqlite3 libcurl libsodium)"
	echo "PKG_LIBS := $(pkg-config --libs sqlite3 libcurl libsodium)"
	# libcrypto (PBKDF2 for the Django hashes --import-django brings
	# over) is loaded at the first check of such a hash (django_hash.c).
	echo "PKG_CFLAGS += $(pkg-config --cflags libcrypto)"
	# libical is loaded when HOLIDAYS_FILE is read (calendar_ics.c).
	echo "PKG_CFLAGS += $(pkg-config --cflags libical)"
	# libmicrohttpd: the HTTP API (src/api/), loaded when watchdog
	# --serve starts (api_mhd.c).
	echo "API_CFLAGS := $(pkg-config --cflags libmicrohttpd)"
	# libpq is loaded when DATABASE_URL names PostgreSQL (db_pg.c).
	echo "PKG_CFLAGS += $(pkg-config --cflags libpq)"
	echo "TUI_CFLAGS := $(pkg-config --cflags ncursesw)"
	echo "TUI_LIBS := $(pkg-config --libs ncursesw)"
	echo "CHECK_CFLAGS := $(pkg-config --cflags check)"
	echo "CHECK_LIBS := $(pkg-config --libs check)"
} > "$tmp"
mv "$tmp" "$out"
