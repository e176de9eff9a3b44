#!/bin/sh
# SLA_WARNINGS (watchdog.conf(5)): thresholds as durations and shares of
# the time, each once per deadline in time order, only the nearest when a
# pass finds several, none late, each once under two passes at once.
. "$(dirname "$0")/lib.sh"

write_config 'SLA_WARNINGS=75%, 15m'
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
new() { "$WD" --create --title "$1" --deadline "$2"; }
warned() { echo "$(sql "SELECT count(*) FROM outbox WHERE kind = 'warning' AND ticket_id = $1"):$(sql_join , "SELECT seq FROM outbox WHERE kind = 'warning' AND ticket_id = $1 ORDER BY seq")"; }
# Passes run hours ahead: first let the background deliveries of the
# created notices land, or a pass would take their claims for stale.
settle() {
	i=0
	while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
check() { # ticket, want, what
	got=$(warned "$1")
	[ "$got" = "$2" ] && pass "$3" || fail "$3" "got $got, want $2"
}

a=$(new 'Two thresholds' +4h)
b=$(new 'First seen late' +4h)
c=$(new 'Due in ten minutes' +10m)
settle

faketime -f '+8m' "$WD" --check-sla
# c: 15m was past at creation (never late); 75% (7.5 min), the second in
# time order, is sent.
check "$c" '1:2' "a threshold past when the deadline was set is never sent"
faketime -f '+179m' "$WD" --check-sla
check "$a" '0:' "nothing before 75%"
faketime -f '+180m' "$WD" --check-sla
check "$a" '1:1' "75% of 4 h: the first warning at 3 h"
check "$b" '1:1' "the other ticket too"
faketime -f '+200m' "$WD" --check-sla
check "$a" '1:1' "once"
# b: its 15m threshold and a's, at one pass; then b's first pass was late.
d=$(new 'Unseen until late' +4h)
settle
faketime -f '+225m' "$WD" --check-sla
check "$a" '2:1,2' "15 min before: the second warning"
check "$d" '1:2' "a pass finding both sends only the nearest"
faketime -f '+230m' "$WD" --check-sla
check "$d" '1:2' "and the earlier one never after it"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'warning' AND ticket_id = $c")
faketime -f '+11m' "$WD" --check-sla
m=$(sql "SELECT count(*) FROM outbox WHERE kind = 'missed' AND ticket_id = $c")
[ "$m" = 1 ] && pass "then the miss" || fail "then the miss" "$m"

# --- Moving a deadline out measures afresh; past thresholds stay unsent.
run "$WD" --update "$a" --deadline +5h
faketime -f '+224m' "$WD" --check-sla
check "$a" '2:1,2' "a moved deadline: not before its new 75%"
faketime -f '+225m' "$WD" --check-sla
check "$a" '3:1,1,2' "a moved deadline: its 75% again, once"

# --- Two passes at once: each threshold of each ticket exactly once.
i=0; ids=
while [ $i -lt 12 ]; do ids="$ids $(new "Load $i" +8h)"; i=$((i + 1)); done
settle
for off in 360m 465m; do
	faketime -f "+$off" "$WD" --check-sla 2>> "$T/passes.err" & p1=$!
	faketime -f "+$off" "$WD" --check-sla 2>> "$T/passes.err" & p2=$!
	wait $p1; wait $p2
done
bad=0
for id in $ids; do [ "$(warned "$id")" = '2:1,2' ] || bad=$((bad + 1)); done
[ "$bad" = 0 ] && pass "two passes at once: each threshold once" || fail "two passes at once: each threshold once" "$bad tickets wrong"

# --- A bad value: one line, exit 78.
write_config 'SLA_WARNINGS=60m,100%'
run "$WD" --list
expect_rc 78 "a bad SLA_WARNINGS"
expect_err 'SLA_WARNINGS' "the key named"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "one line on stderr" || fail "one line on stderr" "$err"

finish
