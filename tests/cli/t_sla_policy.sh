#!/bin/sh
# SLA policies (watchdog(1), SLA POLICIES): the deadline of a ticket
# created without one, set by hand, back to auto, a priority change, no
# policy, and a bad SLA_POLICY_ value.
. "$(dirname "$0")/lib.sh"

write_config SLA_WARNING_MINUTES=60 'SLA_POLICY_URGENT=4h calendar' 'SLA_POLICY_NORMAL=2d calendar'
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
# Seconds from creation to deadline, and the stored policy, of ticket $1.
span() { sql "SELECT deadline - created_at FROM tickets WHERE id = $1"; }
policy() { sql "SELECT coalesce(sla_policy, '-') FROM tickets WHERE id = $1"; }

# --- No --deadline: the policy's, shown as such.
run "$WD" --create --title 'Printer on fire' --priority urgent --json
expect_rc 0 "create: no deadline, urgent"
id=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["sla_policy"] == "urgent 4h calendar", d
assert d["paused_seconds"] == 0, d
assert d["sla_state"] == "ok", d
' && pass "create: JSON sla_policy and paused_seconds" || fail "create: JSON sla_policy and paused_seconds" "$out"
[ "$(span "$id")" = 14400 ] && pass "create: deadline 4 h after creation" || fail "create: deadline 4 h after creation" "$(span "$id")"
run "$WD" --show "$id"
expect_grep '^Policy: +urgent 4h calendar$' "show: the policy"

# --- An explicit deadline overrides it: set by hand.
run "$WD" --create --title 'Given a deadline' --priority urgent --deadline +1h --json
expect_rc 0 "create: an explicit deadline"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["sla_policy"] is None, d
' && pass "create: by hand, sla_policy null" || fail "create: by hand, sla_policy null" "$out"
hand=$(sql "SELECT max(id) FROM tickets")
run "$WD" --show "$hand"
expect_grep '^Policy: +none \(deadline set by hand\)$' "show: set by hand"

# --- No deadline and no policy for the priority: 65, nothing created.
before=$(sql "SELECT count(*) FROM tickets")
run "$WD" --create --title 'High, no policy' --priority high
expect_rc 65 "create: no policy for high"
expect_err 'SLA_POLICY_HIGH' "create: the missing policy named"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "create: one line on stderr" || fail "create: one line on stderr" "$err"
[ "$(sql "SELECT count(*) FROM tickets")" = "$before" ] && pass "create: nothing created" || fail "create: nothing created"

# --- A priority change recomputes from the creation, an hour later.
run faketime -f '+1h' "$WD" --update "$id" --priority normal
expect_rc 0 "update: priority normal"
[ "$(span "$id")" = 172800 ] && pass "update: 2 days from the creation" || fail "update: 2 days from the creation" "$(span "$id")"
[ "$(policy "$id")" = "normal 2d calendar" ] && pass "update: the new policy" || fail "update: the new policy" "$(policy "$id")"

# --- By hand, then auto again; each recorded in the history.
run "$WD" --update "$id" --deadline +3h
expect_rc 0 "update: a deadline by hand"
[ "$(policy "$id")" = - ] && pass "update: by hand leaves the policy" || fail "update: by hand leaves the policy" "$(policy "$id")"
run "$WD" --update "$id" --priority urgent
[ "$(policy "$id")" = - ] && [ "$(span "$id")" != 14400 ] && pass "update: a hand deadline stays on a priority change" || fail "update: a hand deadline stays on a priority change" "$(span "$id")"
run "$WD" --update "$id" --deadline auto
expect_rc 0 "update: --deadline auto"
[ "$(span "$id")" = 14400 ] && [ "$(policy "$id")" = "urgent 4h calendar" ] && pass "update: auto returns to the policy" || fail "update: auto returns to the policy" "$(span "$id") $(policy "$id")"
run "$WD" --show "$id"
expect_grep 'sla_policy: - -> urgent 4h calendar' "show: the history names the return"
v=$(sql "SELECT version FROM tickets WHERE id = $hand")
run "$WD" --update "$hand" --priority high --deadline auto
expect_rc 65 "update: auto without a policy"
[ "$(sql "SELECT version || priority FROM tickets WHERE id = $hand")" = "${v}urgent" ] && pass "update: refused, nothing changed" || fail "update: refused, nothing changed"

# --- The warning of a policy deadline comes on time.
run faketime -f '+181m' "$WD" --check-sla
expect_rc 0 "pass: 59 min before the policy deadline"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'warning' AND ticket_id = $id")
[ "$n" -ge 1 ] && pass "pass: the warning is queued" || fail "pass: the warning is queued" "$n"

# --- A bad value: one line, exit 78, data untouched.
write_config 'SLA_POLICY_LOW=4 weeks'
run "$WD" --list
expect_rc 78 "config: a bad SLA_POLICY_LOW"
expect_err 'SLA_POLICY_LOW' "config: the key named"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "config: one line on stderr" || fail "config: one line on stderr" "$err"

finish
