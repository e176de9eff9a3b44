#!/bin/sh
# doccheck-keys.sh: every key of the forms, dialogs, prompt and login
# screens is in the KEY BINDINGS section of the manual.
#
# The names come from the table in src/formkeys.c: the first string of each
# row ({ CTX, KEY, ACTION, "name", ...). Each must appear in the KEY
# BINDINGS section of man/watchdog.1 as "Ic name" (with the mdoc escape
# "\&" a name may need). One line per check is appended to the file named
# by $WATCHDOG_RESULTS (PASS/FAIL doc: ...); failures are also printed.
# Exits 1 when a check failed, else 0.
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
results=${WATCHDOG_RESULTS:-/dev/null}
table=$top/src/formkeys.c
man=$top/man/watchdog.1
npass=0
nfail=0

pass() {
	echo "PASS doc: $1" >> "$results"
	npass=$((npass + 1))
}
fail() {
	echo "FAIL doc: $1" >> "$results"
	echo "  FAIL doc: $1"
	nfail=$((nfail + 1))
}

names=$(sed -n 's/^[[:space:]]*{ [A-Z][A-Z], [^"]*"\([^"]*\)".*/\1/p' "$table" | sort -u)
if [ -z "$names" ]; then
	fail "no keys found in the table of $table"
	echo "doccheck-keys: $npass passed, $nfail failed"
	exit 1
fi
# The section, with the "Ic" words one a line and "\&" taken away.
section=$(sed -n '/^\.Sh KEY BINDINGS/,/^\.Sh /p' "$man" |
    sed 's/\\&//g' | tr ' ' '\n' | awk 'p { print; p = 0 } $0 == "Ic" { p = 1 }')
for name in $names; do
	if printf '%s\n' "$section" | grep -Fqx -- "$name"; then
		pass "form key $name in watchdog.1"
	else
		fail "form key $name not in the KEY BINDINGS of watchdog.1 (as Ic $name)"
	fi
done
echo "doccheck-keys: $npass passed, $nfail failed"
[ $nfail -eq 0 ]
