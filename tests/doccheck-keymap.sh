#!/bin/sh
# doccheck-keymap.sh: the key bindings of src/keymap.c and the KEY BINDINGS
# section of man/watchdog.1 name the same keys, context by context (Queue,
# Ticket, Help): a key in the table is documented, and the page documents
# no key the table does not have. One line per check is appended to
# $WATCHDOG_RESULTS (PASS/FAIL doc: ...); failures are also printed. Exits
# 1 when a check failed.
set -u
top=${WATCHDOG_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
results=${WATCHDOG_RESULTS:-/dev/null}
table=$top/src/keymap.c
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

# The key names of context $1 (Q, V, A, H) in the table, one a line.
table_keys() {
	sed -n "s/^[[:space:]]*{ $1, .*, ACTION_[A-Z_]*, \"\([^\"]*\)\".*/\1/p" "$table" | sort -u
}

# The key names of subsection $1 of KEY BINDINGS, one a line.
man_keys() {
	awk -v ss="$1" '
		/^\.Sh / { inkeys = ($0 == ".Sh KEY BINDINGS"); insub = 0; next }
		inkeys && /^\.Ss / { insub = ($0 == ".Ss " ss); next }
		inkeys && insub && /^\.It Ic / {
			n = split($0, w, " ")
			for (i = 1; i < n; i++)
				if (w[i] == "Ic") { k = w[i + 1]; sub(/^\\&/, "", k); print k }
		}
	' "$man" | sort -u
}

for ctx in Q:Queue V:Ticket A:Accounts H:Help; do
	c=${ctx%%:*}
	name=${ctx#*:}
	tk=$(table_keys "$c")
	mk=$(man_keys "$name")
	if [ -z "$tk" ] || [ -z "$mk" ]; then
		fail "$name: no keys read (table: $(echo $tk | wc -w), man: $(echo $mk | wc -w))"
		continue
	fi
	missing=$(printf '%s\n' "$tk" | grep -vxF -e "$mk")
	extra=$(printf '%s\n' "$mk" | grep -vxF -e "$tk")
	[ -z "$missing" ] && pass "$name: every key of the table is in watchdog.1" ||
	    fail "$name: keys not in watchdog.1's KEY BINDINGS: $(echo $missing)"
	[ -z "$extra" ] && pass "$name: watchdog.1 documents no key the table lacks" ||
	    fail "$name: watchdog.1 documents keys the table lacks: $(echo $extra)"
done

echo "doccheck-keymap: $npass passed, $nfail failed"
[ $nfail -eq 0 ]
