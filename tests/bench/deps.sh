#!/bin/sh
# The packages only make bench needs (not make check): wrk, the HTTP load
# generator of the watchdog --serve budgets. Installed with apt-get when
# run as root on Debian or Ubuntu (its output in $1, default
# build/bench-deps.log); otherwise the command is printed and it exits 1.
set -eu
log=${1:-build/bench-deps.log}
. "$(dirname "$0")/../../tools/apt.sh"

if ! command -v wrk >/dev/null 2>&1; then
	mkdir -p "$(dirname "$log")"
	apt_provide bench "$log" wrk || exit 1
fi
