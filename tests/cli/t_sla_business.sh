#!/bin/sh
# Business-time SLA policies end to end (watchdog(1), SLA POLICIES): a
# deadline across a weekend and a holiday, a ticket opened outside hours,
# the daylight-saving weeks of Europe/Berlin and America/New_York, and
# warning thresholds measured in business time.
. "$(dirname "$0")/lib.sh"

# The deadline of ticket $1 as ISO 8601 UTC.
due() { utc_iso "$(sql "SELECT deadline FROM tickets WHERE id = $1")"; }

# create NAME UTC-TIME PRIORITY: a ticket made at that moment; id in $id.
create() {
	run faketime -f "@$2" "$WD" --create --title "$1" --priority "$3"
	id=$out
	[ "$rc" = 0 ] || fail "$1: created" "exit $rc: $err"
}

# check NAME ID EXPECTED-UTC
check() {
	[ "$(due "$2")" = "$3" ] && pass "$1" || fail "$1" "due $(due "$2"), expected $3"
}

write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'HOLIDAYS=12-25, 12-26, 2027-01-01' 'SLA_POLICY_NORMAL=1d business' \
    'SLA_POLICY_HIGH=2d business' 'SLA_POLICY_URGENT=4h business' \
    'SLA_POLICY_LOW=24h calendar' 'SLA_WARNINGS=75%,60m'
"$WD" --init >/dev/null 2>&1
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN

# Friday 2026-12-04 15:00 CET (14:00Z): one business day is Monday 15:00,
# two are Tuesday 15:00; the weekend does not count.
create 'Fri 1d' '2026-12-04 14:00:00' normal
check "Fri 15:00 + 1d business = Mon 15:00" "$id" 2026-12-07T14:00:00Z
fri1=$id
create 'Fri 2d' '2026-12-04 14:00:00' high
check "Fri 15:00 + 2d business = Tue 15:00" "$id" 2026-12-08T14:00:00Z
create 'Fri 4h' '2026-12-04 14:00:00' urgent
check "Fri 15:00 + 4h business = Mon 11:00" "$id" 2026-12-07T10:00:00Z
create 'Fri 24h calendar' '2026-12-04 14:00:00' low
check "a calendar policy counts the weekend" "$id" 2026-12-05T14:00:00Z

# Across Christmas: Thursday 24 December 15:00 + 1d skips the 25th (a
# Friday, a holiday) and the weekend: Monday 28th 15:00; the 26th is a
# Saturday anyway.
create 'Before Christmas' '2026-12-24 14:00:00' normal
check "across a holiday: Thu 15:00 + 1d = Mon 15:00" "$id" 2026-12-28T14:00:00Z
# Thursday 31 December 16:00 + 4h: one hour on Thursday, New Year's Day
# closed, then three on Monday 4 January: 12:00.
create 'New Year' '2026-12-31 15:00:00' urgent
check "across New Year's Day: Thu 16:00 + 4h = Mon 12:00" "$id" 2027-01-04T11:00:00Z

# Opened outside hours: the clock starts at the next opening.
create 'Saturday' '2026-12-05 09:00:00' urgent
check "opened Saturday: Mon 09:00 + 4h = 13:00" "$id" 2026-12-07T12:00:00Z
create 'Evening' '2026-12-08 19:30:00' urgent
check "opened Tue 20:30: Wed 09:00 + 4h = 13:00" "$id" 2026-12-09T12:00:00Z
create 'Early' '2026-12-09 06:00:00' normal
check "opened Wed 07:00 + 1d = the close of Wed" "$id" 2026-12-09T16:00:00Z

# Daylight saving in Europe/Berlin: Friday 27 March 2026 15:00 CET (14:00Z)
# + 1d = Monday 30 March 15:00 CEST (13:00Z); Friday 23 October 15:00
# CEST (13:00Z) + 1d = Monday 26 October 15:00 CET (14:00Z).
create 'March DST' '2026-03-27 14:00:00' normal
check "Berlin, March: Fri 15:00 CET + 1d = Mon 15:00 CEST" "$id" 2026-03-30T13:00:00Z
create 'October DST' '2026-10-23 13:00:00' normal
check "Berlin, October: Fri 15:00 CEST + 1d = Mon 15:00 CET" "$id" 2026-10-26T14:00:00Z

# Open every hour of the week: a business hour is a real hour, so 24h from
# Saturday 28 March 12:00 CET is Sunday 13:00 CEST (23 clock hours on the
# short day), and from Saturday 24 October 12:00 CEST Sunday 11:00 CET.
write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Sun 00:00-24:00' \
    'SLA_POLICY_NORMAL=24h business'
create 'Round the clock, March' '2026-03-28 11:00:00' normal
check "Berlin, March, every hour open: 24h business = 24 real hours" "$id" 2026-03-29T11:00:00Z
create 'Round the clock, October' '2026-10-24 10:00:00' normal
check "Berlin, October, every hour open: 24h business = 24 real hours" "$id" 2026-10-25T10:00:00Z

# America/New_York: summer time begins Sunday 8 March 2026 and ends
# Sunday 1 November.
write_config 'TIME_ZONE=America/New_York' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'SLA_POLICY_NORMAL=1d business' 'SLA_POLICY_URGENT=4h business'
create 'New York, March' '2026-03-06 20:00:00' normal
check "New York, March: Fri 15:00 EST + 1d = Mon 15:00 EDT" "$id" 2026-03-09T19:00:00Z
create 'New York, November' '2026-10-30 19:00:00' normal
check "New York, November: Fri 15:00 EDT + 1d = Mon 15:00 EST" "$id" 2026-11-02T20:00:00Z
create 'New York, evening' '2026-11-02 23:00:00' urgent
check "New York: opened Mon 18:00 EST + 4h = Tue 13:00" "$id" 2026-11-03T18:00:00Z

# Warnings in business time, on the first ticket (Fri 15:00 CET to Mon
# 15:00 CET, eight business hours): 75% is six business hours in, Monday
# 13:00 (12:00Z), not Sunday 21:00 as wall-clock time would have it; 60m
# is Monday 14:00 (13:00Z).
write_config 'TIME_ZONE=Europe/Berlin' 'BUSINESS_HOURS=Mon-Fri 09:00-17:00' \
    'HOLIDAYS=12-25, 12-26, 2027-01-01' 'SLA_POLICY_NORMAL=1d business' \
    'SLA_WARNINGS=75%,60m'
# warnings ID: the thresholds queued for ticket ID.
warnings() { sql_join , "SELECT DISTINCT seq FROM outbox WHERE ticket_id = $1 AND kind = 'warning' ORDER BY seq"; }
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
pass_at() { settle; run faketime -f "@$1" "$WD" --check-sla; expect_rc 0 "pass at $1"; }
pass_at '2026-12-06 20:00:00'
[ "$(warnings "$fri1")" = "" ] && pass "Sunday 21:00: no warning yet" || fail "Sunday 21:00: no warning yet" "$(warnings "$fri1")"
pass_at '2026-12-07 11:59:00'
[ "$(warnings "$fri1")" = "" ] && pass "Monday 12:59: no warning yet" || fail "Monday 12:59: no warning yet" "$(warnings "$fri1")"
pass_at '2026-12-07 12:00:00'
[ "$(warnings "$fri1")" = 1 ] && pass "Monday 13:00: the 75% warning" || fail "Monday 13:00: the 75% warning" "$(warnings "$fri1")"
pass_at '2026-12-07 12:59:00'
[ "$(warnings "$fri1")" = 1 ] && pass "Monday 13:59: not the 60m one yet" || fail "Monday 13:59: not the 60m one yet" "$(warnings "$fri1")"
pass_at '2026-12-07 13:00:00'
[ "$(warnings "$fri1")" = 1,2 ] && pass "Monday 14:00: the 60m warning" || fail "Monday 14:00: the 60m warning" "$(warnings "$fri1")"

# A deadline just after an opening: 60 business minutes before Monday
# 09:30 are Friday 16:30, before the weekend.
create 'Fri 09:30' '2026-12-11 08:30:00' normal
check "Fri 09:30 + 1d = Mon 09:30" "$id" 2026-12-14T08:30:00Z
pass_at '2026-12-11 15:29:00'
[ "$(warnings "$id")" = 1 ] && pass "Fri 16:29: the 75% warning (Fri 15:30)" || fail "Fri 16:29: the 75% warning (Fri 15:30)" "$(warnings "$id")"
pass_at '2026-12-11 15:30:00'
[ "$(warnings "$id")" = 1,2 ] && pass "Fri 16:30: the 60m warning, 60 business minutes before Mon 09:30" || fail "Fri 16:30: the 60m warning" "$(warnings "$id")"

finish
