#!/bin/sh
# The business calendar keys of watchdog.conf(5): BUSINESS_HOURS, HOLIDAYS
# and HOLIDAYS_FILE. A bad value is one line naming file, line and key,
# exit 78, and nothing is written.
. "$(dirname "$0")/lib.sh"

"$WD" --init >/dev/null 2>&1
setup_accounts
export WATCHDOG_TOKEN=$ADMIN_TOKEN
run "$WD" --create --title 'Before the calendar' --deadline '+2h'
expect_rc 0 "a ticket to keep"
# Its "created" notice is delivered in the background: wait for that to
# settle before taking the state to compare with.
i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" != 0 ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 100 ] && pass "the created notice settled" ||
    fail "the created notice settled" "$(sql 'SELECT state FROM outbox')"
before=$(db_dump | md5sum)

# A .ics file as calendar programs export them: a yearly two-day holiday.
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//test//EN \
    BEGIN:VEVENT UID:xmas@test 'DTSTART;VALUE=DATE:20201225' \
    'DTEND;VALUE=DATE:20201227' RRULE:FREQ=YEARLY SUMMARY:Christmas \
    END:VEVENT END:VCALENDAR > "$T/holidays.ics"
printf 'Christmas, 12-25\n' > "$T/notes.txt"

# bad KEY=VALUE, then the part of the message that must be there.
check_bad() {
	write_config "$1"
	run "$WD" --create --title 'Never written' --deadline '+2h'
	expect_rc 78 "$1: exit 78"
	expect_err "watchdog\.conf:6: ${1%%=*}: $2" "$1: names file, line, key"
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "$1: one line" ||
	    fail "$1: one line" "$err"
	[ "$(db_dump | md5sum)" = "$before" ] && pass "$1: nothing written" ||
	    fail "$1: nothing written"
}

check_bad 'BUSINESS_HOURS=Mon-Fri 9-17' "'9-17': expected HH:MM-HH:MM"
check_bad 'BUSINESS_HOURS=Mon-Fri 17:00-09:00' "'17:00-09:00': reversed"
check_bad 'BUSINESS_HOURS=Mon-Fri 09:00-13:00 12:00-17:00' \
    "'Mon 12:00-17:00' overlaps 'Mon 09:00-13:00'"
check_bad 'BUSINESS_HOURS=Mon-Fry 09:00-17:00' "'Mon-Fry': expected a day"
check_bad 'HOLIDAYS=2026-02-29' "'2026-02-29': no such date"
check_bad 'HOLIDAYS=12/25' "'12/25': expected MM-DD"
check_bad 'HOLIDAYS=12-25 01-01' "'12-25 01-01': separate dates with a comma"
check_bad "HOLIDAYS_FILE=$T/missing.ics" "$T/missing.ics: No such file"
check_bad "HOLIDAYS_FILE=$T/notes.txt" "$T/notes.txt: not an iCalendar file"
check_bad "HOLIDAYS_FILE=holidays.ics" "must be an absolute path"

# An override from the environment is named as such.
write_config
BUSINESS_HOURS='Mon-Fri 9-17' run "$WD" --list
expect_rc 78 "environment: exit 78"
expect_err "^watchdog: environment: BUSINESS_HOURS: '9-17'" \
    "environment: named"

# Good values work, and the ticket is still there.
write_config 'BUSINESS_HOURS=Mon-Thu 08:00-12:00 13:00-18:00, Fri 08:00-14:00' \
    'HOLIDAYS=12-25, 2026-12-24, 02-29' "HOLIDAYS_FILE=$T/holidays.ics" \
    'TIME_ZONE=America/Los_Angeles'
run "$WD" --list
expect_rc 0 "a good calendar is accepted"
expect_grep "Before the calendar" "the data is as it was"
write_config 'BUSINESS_HOURS=24x7'
run "$WD" --list
expect_rc 0 "24x7 is accepted"

finish
