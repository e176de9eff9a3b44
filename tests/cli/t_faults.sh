#!/bin/sh
# Faults: a held write lock (waited out, or a clean exit 75), a full disk,
# a read-only database, and kill -9 again and again during --check-sla.
# Nothing is half-written and the database stays intact.
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
count() { sql 'SELECT count(*) FROM tickets'; }

# A short lock is waited out (hold_write_lock waits out a writer still at
# work, such as the background delivery of a --create, first).
hold_write_lock 1 || fail "the write lock is taken"
run "$WD" --create --title 'after a short lock' --deadline +1h
expect_rc 0 "a short write lock is waited out"
wait

# A long lock: a clean exit 75 after the busy timeout, nothing written.
before=$(count)
hold_write_lock 8 || fail "the write lock is taken"
t0=$(date +%s)
run "$WD" --create --title 'during a long lock' --deadline +1h
t1=$(date +%s)
expect_rc 75 "a long write lock: exit 75"
expect_err "database busy .*try again" "a long write lock: said so"
[ $((t1 - t0)) -le 7 ] && pass "a long write lock: no hang ($((t1 - t0)) s)" || fail "a long write lock: no hang" "$((t1 - t0)) s"
wait
[ "$(count)" = "$before" ] && pass "a long write lock: nothing written" || fail "a long write lock: nothing written"

# A full disk: the database on a small tmpfs that is then filled.
if sqlite_only "a full disk under the database file" &&
    [ "$(id -u)" = 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=2m tmpfs "$T/full" 2>/dev/null; then
	write_config "DATABASE_URL=$T/full/watchdog.db"
	setup_accounts
	export WATCHDOG_TOKEN=$BOB_TOKEN
	"$WD" --create --title 'before the disk filled' --deadline +1h > /dev/null
	fdb="$T/full/watchdog.db"
	sleep 0.5
	before=$(sqlite3 "$fdb" 'SELECT count(*) FROM tickets')
	dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
	head -c 60000 /dev/zero | tr '\0' x > "$T/big"
	"$WD" --create --title 'on a full disk' --deadline +1h --description - < "$T/big" > /dev/null 2> "$T/stderr"
	rc=$?
	[ "$rc" -ne 0 ] && pass "full disk: the command fails (exit $rc)" || fail "full disk: the command fails"
	grep -Eq "disk full|full" "$T/stderr" && pass "full disk: said clearly" || fail "full disk: said clearly" "$(cat "$T/stderr")"
	[ "$(wc -l < "$T/stderr")" = 1 ] && pass "full disk: one line" || fail "full disk: one line" "$(cat "$T/stderr")"
	rm -f "$T/full/filler"
	after=$(sqlite3 "$fdb" 'SELECT count(*) FROM tickets')
	[ "$before" = "$after" ] && pass "full disk: nothing half-written" || fail "full disk: nothing half-written" "$before -> $after"
	r=$(sqlite3 "$fdb" 'PRAGMA integrity_check')
	[ "$r" = ok ] && pass "full disk: integrity ok" || fail "full disk: integrity ok" "$r"
	# A read-only file system: a clear error, no crash.
	mount -o remount,ro "$T/full"
	run "$WD" --create --title 'on a read-only disk' --deadline +1h
	[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && pass "read-only: fails cleanly (exit $rc)" || fail "read-only: fails cleanly" "exit $rc"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "read-only: one line" || fail "read-only: one line" "$err"
	umount "$T/full"
	write_config
	export WATCHDOG_TOKEN=$BOB_TOKEN
	# setup_accounts ran on the other database: tokens of the first are kept.
	BOB_TOKEN=$(printf 'battery staple 2\n' | "$WD" --token --user bob --password-stdin)
	export WATCHDOG_TOKEN=$BOB_TOKEN
fi

# kill -9 again and again during --check-sla: every notice goes out once,
# a kill repeats at most the message in flight.
cat > "$T/sendmail" <<SH
#!/bin/sh
cat > "$T/sm.\$\$"
grep -m1 '^Message-ID:' "$T/sm.\$\$" >> "$T/sendmail.ids"
rm -f "$T/sm.\$\$"
sleep 0.05
SH
chmod +x "$T/sendmail"
# The tickets are made with file mail, so that no background delivery
# through the counting sendmail is still running when the passes start.
i=0
while [ $i -lt 40 ]; do
	"$WD" --create --title "kill test $i" --deadline +30m > /dev/null
	i=$((i + 1))
done
sleep 1
sql "UPDATE outbox SET state = 'sent'"
write_config EMAIL_BACKEND=sendmail SENDMAIL_PATH="$T/sendmail" SLA_WARNING_MINUTES=60
: > "$T/sendmail.ids"
kills=0
for offset in 10m 16m 22m 28m 34m; do
	faketime -f "+$offset" "$WD" --check-sla & pid=$!
	sleep 0.4
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
done
faketime -f '+50m' "$WD" --check-sla
faketime -f '+50m' "$WD" --check-sla
total=$(wc -l < "$T/sendmail.ids")
uniq=$(sort -u "$T/sendmail.ids" | wc -l)
# The passes queued warnings and, past the deadline, missed notices.
want=$(sql "SELECT count(*) FROM outbox WHERE kind <> 'created'")
left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
[ "$want" -ge 40 ] && [ "$uniq" = "$want" ] && [ "$left" = 0 ] && pass "after $kills kills every notice is delivered ($uniq)" || fail "after $kills kills every notice is delivered" "$uniq distinct of $want, $left not sent"
[ $((total - uniq)) -le "$kills" ] && pass "at most one repeat per kill ($((total - uniq)) for $kills)" || fail "at most one repeat per kill" "$total sent, $uniq distinct, $kills kills"
r=$(db_integrity)
[ "$r" = ok ] && pass "integrity after the kills" || fail "integrity after the kills" "$r"

# kill -9 in the middle of saves: each save is whole or absent, so the
# version always counts exactly the changes in the history.
write_config
sid=$("$WD" --create --title 'saved under fire' --deadline +1h)
n=0
while [ $n -lt 30 ]; do
	"$WD" --update "$sid" --title "edit $n" > /dev/null 2>&1 & pid=$!
	sleep "0.0$((n % 10))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	n=$((n + 1))
done
v=$(sql "SELECT version FROM tickets WHERE id = $sid")
h=$(sql "SELECT count(*) FROM ticket_history WHERE ticket_id = $sid AND field = 'title'")
[ "$v" = $((h + 1)) ] && pass "kill -9 during saves: version $v matches $h recorded changes" || fail "kill -9 during saves: version matches the history" "version $v, $h changes"
r=$(db_integrity)
[ "$r" = ok ] && pass "integrity after killed saves" || fail "integrity after killed saves" "$r"

finish
