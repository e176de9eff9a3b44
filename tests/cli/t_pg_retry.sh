#!/bin/sh
# A PostgreSQL server that goes away (watchdog(1), SEVERAL HOSTS:
# POSTGRESQL): a server that stays away is tried a few times, then the
# command exits 75 with one line that says how often and how long, within
# the ten seconds watchdog(1) states; a server restarted in the middle of
# a --check-sla (between two messages it sends) and during a loop of
# passes is reconnected to, and every notice goes out once.
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the cli layer, on a PostgreSQL server of its own"
. "$top/tests/pg/lib.sh"

pg_private
pg_createdb "$PGD" wd
URL=$(pg_url "$PGD" wd)
psql_wd() { pg_psql "$PGD" wd "$1"; }
pg_ctl_do() {
	pg_as "$(pg_bindir)/pg_ctl" -D "$PGD/data" -w -t 30 "$@" \
	    > /dev/null 2>&1
}
now_ms() { date +%s%3N; }

# pg_bounce N: stop the server (fast: its sessions are ended) and start
# it again N seconds later, in the background, with the options pg_start
# gave it; $PGD/started appears then. In a file, for the sendmail below.
cat > "$T/bounce.sh" <<EOF
top=$top
. "$top/tests/pg/lib.sh"
pg_bounce() {
	rm -f "$PGD/started"
	pg_as "\$(pg_bindir)/pg_ctl" -D "$PGD/data" -m fast -w -t 30 stop \\
	    > /dev/null 2>&1 || return 1
	setsid sh -c "sleep \$1; . $T/bounce.sh; pg_as \\\$(pg_bindir)/pg_ctl \\
	    -D $PGD/data -l $PGD/server.log -w -t 30 -o '-c listen_addresses= \\
	    -c unix_socket_directories=$PGD -c fsync=off' start &&
	    : > $PGD/started" < /dev/null > /dev/null 2>&1 &
}
EOF
. "$T/bounce.sh"
# Wait (10 s at most) until the server is back.
wait_started() {
	i=0
	while [ ! -e "$PGD/started" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$PGD/started" ]
}

# The sendmail of these tests: each message into $T/sent; once armed, the
# next one stops the database server for a second, while the pass goes on
# to its next message.
mkdir -p "$T/sent"
cat > "$T/sendmail" <<EOF
#!/bin/sh
cat > "$T/sent/\$\$.\$(date +%s%N)"
[ -e "$T/arm" ] || exit 0
rm -f "$T/arm"
. "$T/bounce.sh"
pg_bounce 1 && : > "$T/stopped"
exit 0
EOF
chmod +x "$T/sendmail"
write_config "DATABASE_URL=$URL" EMAIL_BACKEND=sendmail \
    "SENDMAIL_PATH=$T/sendmail"
run "$WD" --init
expect_rc 0 "--init on the private server"
setup_accounts
# Subjects of the SLA notices that went out, one a line.
notices() {
	cat "$T/sent/"* 2>/dev/null | grep '^Subject: .*SLA missed: Late' | sort
}
# Wait until the background deliveries of the "created" notices are done.
settle() {
	i=0
	while [ "$(psql_wd "SELECT count(*) FROM outbox WHERE state <> 'sent'")" != 0 ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# A restart between two messages of one pass: the pass goes on.
i=0
while [ $i -lt 4 ]; do
	WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --create --title "Late $i" \
	    --deadline +10m > /dev/null
	i=$((i + 1))
done
settle
rm -f "$T/sent/"*
: > "$T/arm"
WATCHDOG_TOKEN= run faketime -f '+20m' "$WD" --check-sla
wait_started
[ -e "$T/stopped" ] && [ -e "$PGD/started" ] &&
    pass "the server was stopped and started again during the pass" ||
    fail "the server was stopped and started again during the pass"
expect_rc 0 "the pass goes on after the server's restart"
[ -z "$err" ] && pass "and says nothing of it" || fail "and says nothing of it" "$err"
[ "$(notices | wc -l)" -eq 4 ] && [ "$(notices | uniq | wc -l)" -eq 4 ] &&
    pass "each of the 4 missed notices went out once" ||
    fail "each of the 4 missed notices went out once" "$(notices)"
[ "$(psql_wd "SELECT count(*) FROM outbox WHERE kind = 'missed' AND state = 'sent'")" = 4 ] &&
    pass "and each is marked sent" ||
    fail "and each is marked sent" "$(psql_wd "SELECT id, kind, state FROM outbox")"
# Later passes, past any lease, send none of them again.
WATCHDOG_TOKEN= run faketime -f '+2h' "$WD" --check-sla
expect_rc 0 "a later pass"
[ "$(notices | wc -l)" -eq 4 ] && pass "sends none of them again" ||
    fail "sends none of them again" "$(notices)"

# A loop of passes (as cron runs them) while the server restarts: every
# pass exits 0, or 75 with the line; the loop goes on, and the notices
# of tickets that cross their deadline meanwhile go out once.
write_config "DATABASE_URL=$URL"
rm -f "$T/loop"
i=0
while [ $i -lt 3 ]; do
	WATCHDOG_TOKEN=$BOB_TOKEN "$WD" --create --title "Loop $i" \
	    --deadline +90m > /dev/null
	i=$((i + 1))
done
# The created notices go out in the background now: let them, before
# the passes 45 minutes on take over their leases.
settle
(
	k=0
	while [ $k -lt 25 ]; do
		WATCHDOG_TOKEN= faketime -f '+45m' "$WD" --check-sla \
		    > /dev/null 2> "$T/loop.err.$k"
		echo "$k $?" >> "$T/loop"
		sleep 0.1
		k=$((k + 1))
	done
) &
loop=$!
i=0
while [ "$(cat "$T/loop" 2>/dev/null | wc -l)" -lt 5 ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
pg_bounce 1 && pass "the server stops for a second during the loop" ||
    fail "the server stops for a second during the loop"
wait $loop
[ "$(wc -l < "$T/loop")" -eq 25 ] && pass "the loop ran all its passes" ||
    fail "the loop ran all its passes" "$(cat "$T/loop")"
bad=$(awk '$2 != 0 && $2 != 75' "$T/loop")
[ -z "$bad" ] && pass "every pass exits 0 or 75" ||
    fail "every pass exits 0 or 75" "$bad"
ok=1
for k in $(awk '$2 == 75 { print $1 }' "$T/loop"); do
	grep -Eq "is not answering: .*\(tried [0-9]+ times in [0-9]+ s\)" \
	    "$T/loop.err.$k" || ok=0
done
[ $ok -eq 1 ] && pass "a pass that gave up says why, once" ||
    fail "a pass that gave up says why, once" "$(cat "$T/loop.err."*)"
[ "$(tail -n 5 "$T/loop" | awk '$2 != 0' | wc -l)" -eq 0 ] &&
    pass "the passes after the restart succeed" ||
    fail "the passes after the restart succeed" "$(cat "$T/loop")"
n=$(psql_wd "SELECT count(*) FROM outbox WHERE kind = 'warning' AND state = 'sent'")
d=$(psql_wd "SELECT count(*) FROM (SELECT ticket_id FROM outbox WHERE kind = 'warning' GROUP BY ticket_id, recipient HAVING count(*) > 1) x")
[ "$n" -eq 3 ] && [ "$d" -eq 0 ] && [ "$(ls "$T/mail/new" | xargs -I{} cat "$T/mail/new/{}" | grep -c '^Subject: .*SLA warning: Loop')" -eq 3 ] &&
    pass "the 3 warnings went out once each" ||
    fail "the 3 warnings went out once each" "sent $n, doubled $d"

# A server that stays away: exit 75 with one line, within 10 seconds.
wait_started && pass "the server is back" || fail "the server is back"
pg_ctl_do -m immediate stop
t0=$(now_ms)
WATCHDOG_TOKEN= run "$WD" --check-sla
t1=$(now_ms)
expect_rc 75 "a server that stays away: exit 75"
expect_err "^watchdog: the database server at postgresql:///wd\?host=.*&user=postgres is not answering: .* \(tried 5 times in [0-9]+ s\)" \
    "the line names the server and how often and long it tried"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "one line" ||
    fail "one line" "$err"
[ $((t1 - t0)) -ge 1000 ] && [ $((t1 - t0)) -le 12000 ] &&
    pass "tried for a while, given up within 10 s ($((t1 - t0)) ms)" ||
    fail "tried for a while, given up within 10 s" "$((t1 - t0)) ms"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --list
expect_rc 75 "--list too exits 75"
expect_err "is not answering" "and says why"

finish
