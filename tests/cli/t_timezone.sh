#!/bin/sh
# TIME_ZONE (watchdog.conf(5)): notices show their times in the team's
# zone and name it, whatever the TZ of the process that builds them.
. "$(dirname "$0")/lib.sh"

# A bad zone is a configuration error naming file, line and key.
write_config TIME_ZONE=Mars/Olympus_Mons
run "$WD" --init
expect_rc 78 "unknown TIME_ZONE exits 78"
expect_err "watchdog.conf:[0-9]+: TIME_ZONE: no such time zone" "unknown TIME_ZONE named"
write_config TIME_ZONE=../../../etc/passwd
run "$WD" --init
expect_rc 78 "a path as TIME_ZONE exits 78"
! db_created && pass "bad TIME_ZONE: nothing created" || fail "bad TIME_ZONE: nothing created"

# The caller in New York, the team in Berlin.
write_config TIME_ZONE=Europe/Berlin SLA_WARNING_MINUTES=60
setup_accounts
now=$(date +%s)
d=$(( (now / 60 + 90) * 60 ))
want_hhmm="$(TZ=Europe/Berlin date -d "@$d" '+%H:%M %Z')"
want_full="$(TZ=Europe/Berlin date -d "@$d" '+%Y-%m-%d %H:%M %Z') ($(date -u -d "@$d" '+%Y-%m-%dT%H:%M:%SZ'))"
ny="$(TZ=America/New_York date -d "@$d" '+%H:%M')"
TZ=America/New_York WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --create --title 'Zone check' --deadline "@$d"
expect_rc 0 "ticket created from New York"
# The pass runs 31 minutes ahead: first let the background delivery of
# the created notice land, or the pass would take its claim for stale.
i=0
while ! ls "$T"/mail/new/*created* > /dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
TZ=America/New_York run faketime -f '+31m' "$WD" --check-sla
expect_rc 0 "--check-sla from New York"

# Wait for the warning to land in the Maildir (the created notice too).
files() { grep -l "SLA warning: Zone check" "$T"/mail/new/* 2>/dev/null; }
i=0
while [ -z "$(files)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
f=$(files | head -1)
if [ -n "$f" ]; then
	grep -q "^Subject: .*(due $want_hhmm)" "$f" && pass "subject says due $want_hhmm" ||
	    fail "subject says due $want_hhmm" "$(grep '^Subject' "$f")"
	grep -qF "$want_full" "$f" && pass "body: $want_full" ||
	    fail "body: $want_full" "$(grep 'Deadline' "$f")"
	grep -q "$ny" "$f" && fail "no New York time in the notice" "$ny" ||
	    pass "no New York time in the notice"
else
	fail "the warning arrived" "$(ls "$T/mail/new" 2>&1)"
fi
c=$(grep -l "New ticket: Zone check" "$T"/mail/new/* 2>/dev/null | head -1)
if [ -n "$c" ]; then
	grep -qF "$want_full" "$c" && pass "created notice in Berlin time too" ||
	    fail "created notice in Berlin time too" "$(grep 'Deadline' "$c")"
else
	fail "the created notice arrived"
fi

finish
