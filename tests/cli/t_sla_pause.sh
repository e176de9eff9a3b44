#!/bin/sh
# Pausing the SLA clock (watchdog(1), SLA POLICIES): a ticket in a status
# of SLA_PAUSE_STATUSES gets no notices and is "paused" with its time left
# frozen; leaving the status moves the deadline out by the paused time in
# the ticket's clock, recorded in the history, and paused_seconds adds up.
. "$(dirname "$0")/lib.sh"

write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'SLA_POLICY_URGENT=4h business' 'SLA_POLICY_LOW=1d calendar' \
    'SLA_WARNINGS=60m'
"$WD" --init >/dev/null 2>&1
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN

# at UTC-TIME CMD...: run the binary at that moment.
at() { t=$1; shift; run faketime -f "@$t" "$WD" "$@"; }
due() { utc_iso "$(sql "SELECT deadline FROM tickets WHERE id = $1")"; }
field() { printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print(d['$1'])"; }
notices() { sql "SELECT count(*) FROM outbox WHERE ticket_id = $1 AND kind IN ('warning', 'missed')"; }
# The created notices go in the background: let them settle before a pass,
# which would otherwise race that delivery for the same message.
settle() {
	i=0
	while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending') AND kind = 'created'")" != 0 ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Monday 7 December 2026 09:00 CET: an urgent ticket, due 13:00 (12:00Z).
at '2026-12-07 08:00:00' --create --title 'Waiting on the customer' --priority urgent
id=$out
[ "$(due "$id")" = 2026-12-07T12:00:00Z ] && pass "due Monday 13:00" || fail "due Monday 13:00" "$(due "$id")"

# On hold at 10:50: paused, 2h 10m left, frozen.
at '2026-12-07 09:50:00' --update "$id" --status on_hold
expect_rc 0 "on hold"
at '2026-12-07 11:00:00' --show "$id" --json
[ "$(field sla_state)" = paused ] && pass "JSON: sla_state paused" || fail "JSON: sla_state paused" "$out"
at '2026-12-07 16:00:00' --list --columns id,left --no-headers
expect_grep "^ *$id +paused, 2h 10m left$" "--list: paused, 2h 10m left, frozen"
at '2026-12-07 16:00:00' --list --sla paused --ids
expect_out "$id" "--list --sla paused finds it"
at '2026-12-07 16:00:00' --list --sla missed --ids
expect_out "" "--list --sla missed does not"

# No notices while paused, past the deadline too.
settle
at '2026-12-07 11:30:00' --check-sla
at '2026-12-07 13:00:00' --check-sla
expect_rc 0 "pass while paused"
[ "$(notices "$id")" = 0 ] && pass "paused: no warning, no missed notice" || fail "paused: no warning, no missed notice" "$(notices "$id")"

# Back to work at 15:50: five business hours paused; 13:00 + 5h business
# is Tuesday 10:00 (09:00Z).
at '2026-12-07 14:50:00' --update "$id" --status in_progress --json
expect_rc 0 "resumed"
[ "$(field paused_seconds)" = 18000 ] && pass "paused_seconds 5h" || fail "paused_seconds 5h" "$out"
[ "$(due "$id")" = 2026-12-08T09:00:00Z ] && pass "deadline moved by 5 business hours: Tue 10:00" || fail "deadline moved by 5 business hours: Tue 10:00" "$(due "$id")"
at '2026-12-07 14:50:00' --show "$id"
expect_grep "bob +paused: 2026-12-07T09:50:00Z -> 2026-12-07T14:50:00Z, 5h 0m business" "history: who, from, to, how long"
expect_grep "bob +deadline: 2026-12-07T12:00:00Z -> 2026-12-08T09:00:00Z" "history: the deadline moved"
# The warning comes 60 business minutes before the new deadline: Tue 09:00.
at '2026-12-07 15:59:00' --check-sla
[ "$(notices "$id")" = 0 ] && pass "resumed: no warning before its time" || fail "resumed: no warning before its time" "$(notices "$id")"
at '2026-12-08 08:00:00' --check-sla
[ "$(notices "$id")" -ge 1 ] && pass "resumed: the warning at Tue 09:00" || fail "resumed: the warning at Tue 09:00" "$(notices "$id")"

# Two pause statuses in a row count once; pauses add up; wall-clock time
# on a calendar policy.
write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'SLA_POLICY_LOW=1d calendar' 'SLA_PAUSE_STATUSES=on_hold, open'
at '2026-12-09 08:00:00' --create --title 'Low' --priority low --status in_progress
low=$out
[ "$(due "$low")" = 2026-12-10T08:00:00Z ] && pass "low: due a day later" || fail "low: due a day later" "$(due "$low")"
at '2026-12-09 09:00:00' --update "$low" --status on_hold
at '2026-12-09 10:00:00' --update "$low" --status open
at '2026-12-09 11:00:00' --update "$low" --status in_progress --json
[ "$(field paused_seconds)" = 7200 ] && pass "on_hold then open: 2h, counted once" || fail "on_hold then open: 2h, counted once" "$out"
[ "$(due "$low")" = 2026-12-10T10:00:00Z ] && pass "calendar policy: moved 2 wall-clock hours" || fail "calendar policy: moved 2 wall-clock hours" "$(due "$low")"
[ "$(sql "SELECT count(*) FROM ticket_history WHERE ticket_id = $low AND field = 'paused'")" = 1 ] && pass "one pause in the history" || fail "one pause in the history"
at '2026-12-09 20:00:00' --update "$low" --status on_hold
at '2026-12-09 20:30:00' --update "$low" --status resolved --json
[ "$(field paused_seconds)" = 9000 ] && pass "paused_seconds adds up" || fail "paused_seconds adds up" "$out"
[ "$(field sla_state)" = met ] && pass "resolved from a pause: met against the moved deadline" || fail "resolved from a pause: met" "$out"

# A deadline set by hand moves the same way (wall-clock time).
at '2026-12-09 08:00:00' --create --title 'By hand' --deadline '2026-12-09T12:00:00Z' --status on_hold
hand=$out
at '2026-12-09 09:30:00' --update "$hand" --status in_progress
[ "$(due "$hand")" = 2026-12-09T13:30:00Z ] && pass "by hand: moved by the 90 minutes paused" || fail "by hand: moved by the 90 minutes paused" "$(due "$hand")"

# A new deadline given while leaving the pause stands as given.
at '2026-12-09 10:00:00' --update "$hand" --status on_hold
at '2026-12-09 11:00:00' --update "$hand" --status open --deadline '2026-12-09T18:00:00Z'
[ "$(due "$hand")" = 2026-12-09T18:00:00Z ] && pass "a deadline given on resuming stands" || fail "a deadline given on resuming stands" "$(due "$hand")"

# A bad SLA_PAUSE_STATUSES: one line, exit 78.
write_config 'SLA_PAUSE_STATUSES=on_hold, resolved'
before=$(db_dump | md5sum)
run "$WD" --list
expect_rc 78 "resolved cannot pause: exit 78"
expect_err 'SLA_PAUSE_STATUSES' "the key named"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "one line on stderr" || fail "one line on stderr" "$err"
[ "$(db_dump | md5sum)" = "$before" ] && pass "nothing written" || fail "nothing written"

finish
