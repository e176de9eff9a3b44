#!/bin/sh
# RATE_LIMIT_READ cannot be bypassed: --update and --create with --json
# print the whole ticket, so they count as reads (watchdog(1), RATE
# LIMITS). Past the limit they exit 75 and change nothing.
. "$(dirname "$0")/lib.sh"

setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
id=$("$WD" --create --title 'Read me' --deadline +1h --description 'secret text')
write_config RATE_LIMIT_READ=3/m

n=0
while [ $n -lt 3 ]; do
	run "$WD" --update "$id" --priority normal --json
	[ "$rc" -eq 0 ] || break
	n=$((n + 1))
done
[ $n -eq 3 ] && pass "three no-op --update --json within the limit" || fail "three no-op --update --json within the limit" "stopped after $n: $err"
expect_grep '"description": *"secret text"' "--update --json prints the ticket"
v=$(sql "SELECT version FROM tickets WHERE id = $id")
run "$WD" --update "$id" --priority normal --json
expect_rc 75 "the fourth --update --json hits the read limit"
expect_err "rate limit .*try again in [0-9]+ s" "the limit says when"
[ -z "$out" ] && pass "nothing printed past the limit" || fail "nothing printed past the limit" "$out"
run "$WD" --update "$id" --priority high --json
expect_rc 75 "a real change with --json past the limit exits 75"
[ "$(sql "SELECT priority || ' ' || version FROM tickets WHERE id = $id")" = "normal $v" ] &&
    pass "past the limit: the ticket is unchanged" || fail "past the limit: the ticket is unchanged"
run "$WD" --show "$id"
expect_rc 75 "--show shares the same limit"
before=$(sql "SELECT count(*) FROM tickets")
run "$WD" --create --title 'Another' --deadline +1h --json
expect_rc 75 "--create --json past the read limit exits 75"
[ "$(sql "SELECT count(*) FROM tickets")" = "$before" ] && pass "past the limit: nothing created" ||
    fail "past the limit: nothing created"

# Without --json nothing is shown back, so nothing is read.
run "$WD" --update "$id" --priority high
expect_rc 0 "--update without --json is not a read"
run "$WD" --create --title 'Quiet' --deadline +1h
expect_rc 0 "--create without --json is not a read"

# A refused change does not use up a read.
write_config RATE_LIMIT_READ=1/m
sql "DELETE FROM rate_events"
run "$WD" --update 99999 --priority high --json
expect_rc 1 "--update --json of a missing ticket exits 1"
run "$WD" --show "$id"
expect_rc 0 "a failed --update --json took no read"
finish
