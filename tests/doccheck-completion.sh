#!/bin/sh
# doccheck-completion.sh: the bash completion (contrib/watchdog.bash)
# offers exactly the modes and options of the tables in src/cli/cli.c, and
# the values of the tables behind --status and --priority (src/ticket.c),
# --sla (src/ticket_query.c) and --columns (src/cli/cli_list.c). One line
# per check is appended to $WATCHDOG_RESULTS (PASS/FAIL doc: ...);
# failures are also printed. Exits 1 when a check failed.
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
results=${WATCHDOG_RESULTS:-/dev/null}
comp=$top/contrib/watchdog.bash
nfail=0

pass() { echo "PASS doc: $1" >> "$results"; }
fail() {
	echo "FAIL doc: $1" >> "$results"
	echo "  FAIL doc: $1"
	nfail=$((nfail + 1))
}

# The lines of the C array whose definition matches $2 in file $1, up to "};".
table_rows() {
	awk -v start="$2" '
		$0 ~ start { inside = 1; next }
		inside && /^};/ { inside = 0 }
		inside { print }
	' "$1"
}

# The words of the completion's variable $1, sorted, one a line.
comp_words() {
	bash -c ". '$comp'; printf '%s\n' \$$1" | sort
}

# compare NAME EXPECTED ACTUAL: the same sorted word lists.
compare() {
	if [ -z "$2" ]; then
		fail "$1: nothing read from the program's table"
	elif [ "$2" = "$3" ]; then
		pass "$1: the completion matches the table"
	else
		fail "$1: the completion differs from the table: $(printf '%s\n' "$2" > "${TMPDIR:-/tmp}/dc.$$.a"; printf '%s\n' "$3" > "${TMPDIR:-/tmp}/dc.$$.b"; diff "${TMPDIR:-/tmp}/dc.$$.a" "${TMPDIR:-/tmp}/dc.$$.b" | grep '^[<>]' | tr '\n' ' '; rm -f "${TMPDIR:-/tmp}/dc.$$.a" "${TMPDIR:-/tmp}/dc.$$.b")"
	fi
}

cli=$top/src/cli/cli.c
options=$(table_rows "$cli" '^static const struct cli_option_def cli_options\[\] = \{' |
    sed -n 's/^[[:space:]]*{[[:space:]]*"\([^"]*\)".*/--\1/p' | sort)
modes=$(table_rows "$cli" '^static const struct cli_mode_def cli_modes\[[A-Z_]*\] = \{' |
    sed -n 's/^[[:space:]]*\[[A-Z_]*\][[:space:]]*=[[:space:]]*{[[:space:]]*"\([^"]*\)".*/--\1/p' | sort)
compare options "$options" "$(comp_words _watchdog_options)"
compare modes "$modes" "$(comp_words _watchdog_modes)"

# A NULL-terminated array of strings: every quoted word in it.
strings() { table_rows "$1" "$2" | grep -o '"[^"]*"' | tr -d '"' | sort; }
compare statuses "$(strings "$top/src/ticket.c" '^const char \*const ticket_statuses\[\] = \{')" \
    "$(comp_words _watchdog_statuses)"
compare priorities "$(strings "$top/src/ticket.c" '^const char \*const ticket_priorities\[\] = \{')" \
    "$(comp_words _watchdog_priorities)"
compare "sla states" "$(strings "$top/src/ticket_query.c" '^static const char \*const tq_sla_names\[\] = \{')" \
    "$(comp_words _watchdog_slas)"
compare columns "$(table_rows "$top/src/cli/cli_list.c" '^static const struct list_column list_columns\[\] = \{' |
    sed -n 's/^[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p' | sort)" "$(comp_words _watchdog_columns)"

[ "$nfail" -eq 0 ] && echo "  doccheck-completion: ok" || echo "  doccheck-completion: $nfail failed"
[ "$nfail" -eq 0 ]
