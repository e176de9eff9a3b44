#!/bin/sh
# --check-sla and the other writers: a dry run whose output nobody reads
# must not stall them (watchdog(1), --check-sla --dry-run).
. "$(dirname "$0")/lib.sh"

# 60 escalation addresses: each missed notice's line is about 1.5 kB.
esc=$(i=0; while [ $i -lt 60 ]; do printf 'escalation-%02d@example.org,' $i; i=$((i + 1)); done)
write_config EMAIL_BACKEND=console SLA_WARNING_MINUTES=60 "SLA_ESCALATION_EMAILS=${esc%,}"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
i=0
while [ $i -lt 80 ]; do
	"$WD" --create --title "Unread dry run $i" --deadline +30m --assignee admin > /dev/null
	i=$((i + 1))
done


# Wait until process $1 blocks writing to a full pipe, 10 s at most.
wait_pipe_full() {
	j=0
	while [ $j -lt 100 ]; do
		case $(cat /proc/"$1"/wchan 2>/dev/null) in
		*pipe_write*) return 0 ;;
		esac
		sleep 0.1; j=$((j + 1))
	done
	return 1
}

# --- A dry run piped into a reader that never reads (a pager left open).
mkfifo "$T/fifo"
sleep 60 < "$T/fifo" &
reader=$!
faketime -f '+2h' "$WD" --check-sla --dry-run > "$T/fifo" 2> "$T/dry.err" &
dry=$!
if wait_pipe_full "$dry"; then
	pass "dry run: blocked on its unread output"
	run "$WD" --create --title 'While the dry run waits' --deadline +3h
	expect_rc 0 "dry run: a --create meanwhile succeeds"
	printf 'correct horse 1\n' | "$WD" --token --user admin --password-stdin > "$T/token" 2> "$T/token.err"
	[ -s "$T/token" ] && pass "dry run: a login meanwhile succeeds" || fail "dry run: a login meanwhile succeeds" "$(cat "$T/token.err")"
	run "$WD" --check-sla
	expect_rc 0 "dry run: a real pass meanwhile succeeds"
else
	fail "dry run: blocked on its unread output" "$(cat "$T/dry.err")"
fi
kill "$reader" 2>/dev/null
wait "$dry" 2>/dev/null
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'missed'")
[ "$n" = 0 ] && pass "dry run: queued nothing" || fail "dry run: queued nothing" "$n"

# --- libcurl is loaded only by the smtp backend, not at every start.
LD_DEBUG=files "$WD" --check-sla > /dev/null 2> "$T/ld.err"
n=$(grep -c 'file=libcurl' "$T/ld.err")
m=$(grep -c 'file=libsqlite3' "$T/ld.err")
[ "$n" = 0 ] && [ "$m" -gt 0 ] && pass "a pass without smtp loads no libcurl" || fail "a pass without smtp loads no libcurl" "$n libcurl, $m libsqlite3"
# Nor with smtp while there is nothing to send (no server listens there).
sql "UPDATE outbox SET state = 'sent'"
write_config EMAIL_BACKEND=smtp EMAIL_HOST=127.0.0.1 EMAIL_PORT=9 SLA_WARNING_MINUTES=60 "SLA_ESCALATION_EMAILS=${esc%,}"
LD_DEBUG=files "$WD" --check-sla > /dev/null 2> "$T/ld.err"
rc=$?
n=$(grep -c 'file=libcurl' "$T/ld.err")
[ "$rc" = 0 ] && [ "$n" = 0 ] && pass "an smtp pass with nothing to send loads no libcurl" || fail "an smtp pass with nothing to send loads no libcurl" "exit $rc, $n libcurl"

finish
