#!/bin/sh
# doccheck-options.sh: every mode and option of the command line is in the
# manual, and README.md names the two commands a newcomer needs.
#
# The names come from the tables in src/cli/cli.c: the first string of each
# row of cli_options[] ({ "name", ...) and the option field of each entry of
# cli_modes[] ([CLI_MODE_X] = { "name", ...). Each must appear in
# man/watchdog.1 as "Fl Fl name". One line per check is appended to the
# file named by $WATCHDOG_RESULTS (PASS/FAIL doc: ...); failures are also
# printed. Exits 1 when a check failed, else 0.
#
# Run from anywhere: it works on the tree above its own directory, or on
# $WATCHDOG_TOP when that is set (tests/run.sh sets it).
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
results=${WATCHDOG_RESULTS:-/dev/null}
cli=$top/src/cli/cli.c
man=$top/man/watchdog.1
readme=$top/README.md
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

# The lines of the C array whose definition line matches $1, up to "};".
table_rows() {
	awk -v start="$1" '
		$0 ~ start { inside = 1; next }
		inside && /^};/ { inside = 0 }
		inside { print }
	' "$cli"
}

for f in "$cli" "$man" "$readme"; do
	if [ ! -r "$f" ]; then
		fail "${f#"$top"/} is missing"
	fi
done

if [ -r "$cli" ]; then
	options=$(table_rows '^static const struct cli_option_def cli_options\[\] = \{' |
	    sed -n 's/^[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p')
	modes=$(table_rows '^static const struct cli_mode_def cli_modes\[[A-Z_]*\] = \{' |
	    sed -n 's/^[[:space:]]*\[[A-Z_]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p')
	# An empty list means the tables changed shape: say so, do not pass.
	[ -n "$options" ] && pass "options read from cli_options[]" ||
	    fail "no options read from cli_options[] in src/cli/cli.c"
	[ -n "$modes" ] && pass "modes read from cli_modes[]" ||
	    fail "no modes read from cli_modes[] in src/cli/cli.c"

	if [ -r "$man" ]; then
		for name in $modes $options; do
			case $name in
			*[!a-z0-9-]*)
				fail "--$name: unexpected characters in the name"
				continue
				;;
			esac
			# "Fl Fl name" followed by the end of the word.
			if grep -Eq "Fl Fl $name([^A-Za-z0-9_-]|\$)" "$man"; then
				pass "--$name in watchdog.1"
			else
				fail "--$name not in watchdog.1 (as Fl Fl $name)"
			fi
		done
	fi
fi

if [ -r "$readme" ]; then
	for cmd in 'make check' 'make run'; do
		if grep -Fq "$cmd" "$readme"; then
			pass "README.md mentions $cmd"
		else
			fail "README.md does not mention $cmd"
		fi
	done
fi

echo "  doccheck-options: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
