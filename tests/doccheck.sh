#!/bin/sh
# doccheck.sh: every key in the table of src/config.c is documented in
# man/watchdog.conf.5 (as ".It Cm KEY ...") and in watchdog.conf.example
# (as "#KEY=..." or "KEY=..."), and neither documents a key that does not
# exist. Run from the top of the tree; one line per check is appended to
# $WATCHDOG_RESULTS (PASS/FAIL doc: ...). Exit 0 when nothing failed.
set -u

src=src/config.c
man=man/watchdog.conf.5
example=watchdog.conf.example
results=${WATCHDOG_RESULTS:-/dev/null}
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

for f in "$src" "$man" "$example"; do
	if [ ! -r "$f" ]; then
		fail "$f is missing"
		echo "doccheck: $npass passed, $nfail failed"
		exit 1
	fi
done

# The table has one key a line: X("NAME", CONFIG_TYPE, ...
keys=$(sed -n 's/^[[:space:]]*X("\([A-Z_][A-Z0-9_]*\)",.*/\1/p' "$src")
if [ -z "$keys" ]; then
	fail "no keys found in the table of $src"
	echo "doccheck: $npass passed, $nfail failed"
	exit 1
fi

for key in $keys; do
	if grep -q "^\.It Cm $key\( \|\$\)" "$man"; then
		pass "$key in watchdog.conf.5"
	else
		fail "$key in watchdog.conf.5 (no '.It Cm $key' entry)"
	fi
	if grep -q "^#\{0,1\}$key=" "$example"; then
		pass "$key in watchdog.conf.example"
	else
		fail "$key in watchdog.conf.example (no '#$key=' line)"
	fi
done

# Nothing documented that the program does not know.
is_key() {
	for k in $keys; do
		[ "$k" = "$1" ] && return 0
	done
	return 1
}

stale=0
for key in $(sed -n 's/^\.It Cm \([A-Z_][A-Z0-9_]*\) Ns =.*/\1/p' "$man"); do
	if ! is_key "$key"; then
		fail "watchdog.conf.5 documents $key, which is not a key"
		stale=1
	fi
done
for key in $(sed -n 's/^#\{0,1\}\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$example"); do
	if ! is_key "$key"; then
		fail "watchdog.conf.example sets $key, which is not a key"
		stale=1
	fi
done
[ $stale -eq 0 ] && pass "no unknown keys in watchdog.conf.5 or the example"

echo "doccheck: $npass passed, $nfail failed"
[ $nfail -eq 0 ]
