#!/bin/sh
# watchdog --explain ID (watchdog(1), SLA POLICIES): the policy, the
# creation, each business interval counted, the holiday and closed days
# skipped, the pause and the changes, the deadline and every notice with
# what became of it; as text line by line, and as JSON.
. "$(dirname "$0")/lib.sh"

write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'HOLIDAYS=12-25' 'SLA_POLICY_NORMAL=1d business' 'SLA_WARNINGS=75%,60m' \
    'SLA_ESCALATION=0m:lead@example.com, 2h:manager@example.com' \
    'SLA_MISSED_REPEAT=1d' 'QUIET_OUTSIDE_BUSINESS_HOURS=true'
"$WD" --init >/dev/null 2>&1
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
at() { t=$1; shift; run faketime -f "@$t" "$WD" "$@"; }
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

# Thursday 24 December 15:00 CET, one business day: Monday 28th 15:00;
# an hour on hold on Monday moves it to 16:00; the miss is mailed at
# Tuesday's pass, with the 2h step held from Monday 18:00.
at '2026-12-24 14:00:00' --create --title 'Before Christmas'
id=$out
at '2026-12-28 11:10:00' --update "$id" --status on_hold
at '2026-12-28 12:10:00' --update "$id" --status open
# Before Tuesday's pass, on Monday at 18:30 CET: the miss is due at the
# next pass, the 2h step held by quiet hours to Tuesday 09:00.
at '2026-12-28 17:30:00' --explain "$id"
expect_grep '^  missed     0     2026-12-28 16:00 CET  due$' "Monday evening: the miss due"
expect_grep '^  escalation 2     2026-12-28 18:00 CET  held until 2026-12-29 09:00 CET$' "Monday evening: the step held"
settle
at '2026-12-29 12:00:00' --check-sla
expect_rc 0 "the pass"
at '2026-12-29 12:30:00' --explain "$id"
expect_rc 0 "--explain"
cat > "$T/want" <<EOT
Ticket #$id: Before Christmas
Policy:   normal 1d business
Created:  2026-12-24 15:00 CET (2026-12-24T14:00:00Z)
Business time counted in Europe/Berlin:
  2026-12-24 15:00 CET - 17:00 CET  120 min
  2026-12-25  holiday, skipped: 12-25
  2026-12-26  closed, skipped
  2026-12-27  closed, skipped
  2026-12-28 09:00 CET - 16:00 CET  420 min
Pauses and changes:
  2026-12-28 12:10 CET  bob  status: open -> on_hold
  2026-12-28 13:10 CET  bob  status: on_hold -> open
  2026-12-28 13:10 CET  bob  paused: 2026-12-28T11:10:00Z -> 2026-12-28T12:10:00Z, 1h 0m business
  2026-12-28 13:10 CET  bob  deadline: 2026-12-28T14:00:00Z -> 2026-12-28T15:00:00Z
Deadline: 2026-12-28 16:00 CET (2026-12-28T15:00:00Z)
Notices:
  warning    1     2026-12-28 13:45 CET  skipped
  warning    2     2026-12-28 15:00 CET  skipped
  missed     0     2026-12-28 16:00 CET  sent at 2026-12-29 13:00 CET
  escalation 2     2026-12-28 18:00 CET  sent at 2026-12-29 13:00 CET
  repeat     1001  2026-12-29 16:00 CET  pending
EOT
printf '%s\n' "$out" > "$T/got"
n=0
while IFS= read -r want; do
	n=$((n + 1))
	got=$(sed -n "${n}p" "$T/got")
	[ "$got" = "$want" ] && pass "line $n: $want" || fail "line $n: $want" "got: $got"
done < "$T/want"
[ "$(wc -l < "$T/got")" = "$n" ] && pass "nothing more" || fail "nothing more" "$(cat "$T/got")"

# Tuesday 18:00 CET, no pass since: the first repeat is due.
at '2026-12-29 17:00:00' --explain "$id"
expect_grep '^  repeat     1001  2026-12-29 16:00 CET  due$' "Tuesday evening: the repeat due"

# JSON: the same as data.
at '2026-12-29 12:30:00' --explain "$id" --json
expect_rc 0 "--explain --json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["policy"] == "normal 1d business", d
assert d["created_at"] == "2026-12-24T14:00:00Z", d
assert d["deadline"] == "2026-12-28T15:00:00Z", d
assert d["paused_seconds"] == 3600, d
assert [i["kind"] for i in d["intervals"]] == ["open", "holiday", "closed", "closed", "open"], d
assert sum(i["minutes"] for i in d["intervals"]) == 540, d
assert d["intervals"][1]["day"] == "2026-12-25", d
assert [c["field"] for c in d["changes"]] == ["status", "status", "paused", "deadline"], d
assert [(n["notice"], n["state"]) for n in d["notices"]] == [("warning", "skipped"), ("warning", "skipped"), ("missed", "sent"), ("escalation", "sent"), ("repeat", "pending")], d["notices"]
' && pass "JSON: the same as data" || fail "JSON: the same as data" "$out"

# A deadline by hand: no calendar counted.
at '2026-12-29 12:00:00' --create --title 'By hand' --deadline '2026-12-30T10:00:00Z'
hand=$out
at '2026-12-29 12:00:00' --explain "$hand"
expect_grep '^Policy:   none \(deadline set by hand\)$' "by hand: no policy"
expect_grep '^Wall-clock time \(Europe/Berlin\), no business calendar counted\.$' "by hand: wall-clock"

# Bad ids: one line, 65; a missing ticket: 1.
at '2026-12-29 12:00:00' --explain x
expect_rc 65 "a bad id: 65"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "a bad id: one line" || fail "a bad id: one line" "$err"
at '2026-12-29 12:00:00' --explain 999
expect_rc 1 "no such ticket: 1"

finish
