#!/bin/sh
# Two hosts on one PostgreSQL database (watchdog(1), SEVERAL HOSTS:
# POSTGRESQL), over SMTP to the loopback server: two --check-sla loops at
# once, as two hosts' crons would run them, and a third that starts a
# pass and kills it with -9 at a random moment, through a simulated day
# in which 24 tickets cross their warning and their deadline. At the end
# every notice arrived (0 lost) and none twice, beyond the one message a
# killed pass may have had in flight (stored by the server, its reply
# not yet read, so not marked sent: a later pass sends it again): the
# doubles are counted against the server's connections that stored a
# message and never said QUIT. And a pass that holds a message (its
# lease, while a slow server takes it) does not hold up the other host's.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
pg_unsupported "it runs in the mail layer, on a PostgreSQL server of its own"
. "$top/tests/pg/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }
pg_private 'touch "$T/stop"; sleep 1; stop_smtpd'
pg_createdb "$PGD" wd
psql_wd() { pg_psql "$PGD" wd "$1"; }
# A slow final reply to DATA widens the window a kill -9 may hit.
start_smtpd --delay 0.05 || { fail "smtpd started"; finish; exit 0; }
smtp_config "DATABASE_URL=$(pg_url "$PGD" wd)" RATE_LIMIT_CREATE=0 \
    SLA_WARNING_MINUTES=60
setup_accounts

# Times: UTC seconds, and as faketime takes them.
B=$(date -u -d '2026-12-07 08:00:00' +%s)
ft() { date -u -d "@$1" '+%Y-%m-%d %H:%M:%S'; }
ms() { date +%s%3N; }
# A random number of milliseconds below $1.
rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }

# 24 tickets, due every 15 minutes from 09:30: each gets a warning an
# hour before its deadline and a missed notice at it.
i=0
while [ $i -lt 24 ]; do
	WATCHDOG_TOKEN=$BOB_TOKEN faketime -f "@$(ft "$B")" "$WD" --create \
	    --title "Two hosts $i" --deadline "@$((B + 5400 + i * 900))" \
	    > /dev/null || fail "--create $i"
	i=$((i + 1))
done
# The "created" notices go in the background: let them.
i=0
while [ "$(psql_wd "SELECT count(*) FROM outbox WHERE state <> 'sent'")" != 0 ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

# The simulated clock all three read before each pass.
echo "$B" > "$T/now"
# host NAME: passes in a loop until $T/stop; "exit-status ms" a line.
host() {
	while [ ! -e "$T/stop" ]; do
		t0=$(ms)
		WATCHDOG_TOKEN= faketime -f "@$(ft "$(cat "$T/now")")" "$WD" \
		    --check-sla > /dev/null 2>> "$T/$1.err"
		echo "$? $(( $(ms) - t0 ))" >> "$T/$1"
	done
}
# killer: start a pass, kill -9 it 0-300 ms later; "killed" a line for
# each pass that was still running.
killer() {
	while [ ! -e "$T/stop" ]; do
		WATCHDOG_TOKEN= faketime -f "@$(ft "$(cat "$T/now")")" "$WD" \
		    --check-sla > /dev/null 2>&1 &
		k=$!
		sleep "0.$(printf '%03d' "$(rnd 300)")"
		kill -9 $k 2>/dev/null && echo killed >> "$T/killer"
		wait $k 2>/dev/null
	done
}
: > "$T/a"; : > "$T/b"; : > "$T/killer"
host a &
ha=$!
host b &
hb=$!
killer &
hk=$!
# The day, ten minutes at a time, up to 10 minutes past the last deadline.
t=$B
end=$((B + 5400 + 23 * 900 + 600))
while [ $t -lt $end ]; do
	t=$((t + 600))
	echo "$t" > "$T/now.tmp"
	mv "$T/now.tmp" "$T/now"
	sleep 0.3
done
touch "$T/stop"
wait $ha $hb $hk
kills=$(wc -l < "$T/killer")
passes=$(cat "$T/a" "$T/b" | wc -l)
[ "$(cat "$T/a" "$T/b" | awk '$1 != 0' | wc -l)" -eq 0 ] &&
    pass "the two hosts' $passes passes all exit 0 ($kills passes killed)" ||
    fail "the two hosts' passes all exit 0" "$(cat "$T/a.err" "$T/b.err" | sort | uniq -c)"
slowest=$(cat "$T/a" "$T/b" | awk '$2 > m { m = $2 } END { print m + 0 }')
[ "$slowest" -lt 5000 ] && pass "no pass waited on another ($slowest ms the slowest)" ||
    fail "no pass waited on another" "$slowest ms"
[ "$kills" -gt 0 ] && pass "passes were killed in the middle" ||
    fail "passes were killed in the middle"

# What a killed pass left claimed goes once its lease is over (EMAIL_TIMEOUT
# 5 s, 10 steps): a last pass an hour later.
WATCHDOG_TOKEN= run faketime -f "@$(ft $((end + 3600)))" "$WD" --check-sla
expect_rc 0 "a last pass sends what a killed pass left claimed"
[ "$(psql_wd "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] &&
    pass "the outbox is empty" ||
    fail "the outbox is empty" "$(psql_wd "SELECT id, kind, state FROM outbox WHERE state <> 'sent'")"
[ "$(psql_wd "SELECT count(*) FROM outbox WHERE kind IN ('warning', 'missed')")" = 48 ] &&
    pass "48 notices queued, none twice" ||
    fail "48 notices queued, none twice" "$(psql_wd "SELECT kind, count(*) FROM outbox GROUP BY kind")"

# What the server received: per ticket and kind, how many; and the
# connections that stored a message and never said QUIT (a killed pass).
$PY - "$SMTP_MAILDIR" "$SMTP_LOG" > "$T/got" <<'PYEOF'
import collections, email, os, re, sys
d, log = sys.argv[1], sys.argv[2]
c = collections.Counter()
for f in os.listdir(d):
    if not f.endswith('.eml'):
        continue
    m = email.message_from_bytes(open(os.path.join(d, f), 'rb').read())
    subj = re.sub(r'\s+', ' ', str(m['Subject']))
    r = re.search(r'SLA (warning|missed): Two hosts (\d+)', subj)
    if r:
        c[(int(r.group(2)), r.group(1))] += 1
stored, quit = set(), set()
for line in open(log):
    w = line.split()
    if len(w) >= 2 and w[1] == 'stored':
        stored.add(w[0])
    if len(w) >= 3 and w[1] == '>>' and w[2].upper() == 'QUIT':
        quit.add(w[0])
lost = sum(1 for i in range(24) for k in ('warning', 'missed') if c[(i, k)] == 0)
doubled = sum(n - 1 for n in c.values() if n > 1)
most = max(c.values()) if c else 0
print(lost, doubled, most, len(stored - quit))
PYEOF
read -r lost doubled most inflight < "$T/got"
[ "$lost" -eq 0 ] && pass "0 of 48 notices lost" || fail "0 of 48 notices lost" "$lost lost"
[ "$most" -le 2 ] && [ "$doubled" -le "$inflight" ] &&
    pass "$doubled sent twice, within the $inflight in flight at a kill -9" ||
    fail "none sent twice beyond those in flight at a kill -9" \
    "doubled $doubled, most copies $most, in flight $inflight"

# A pass that holds a message does not hold up the other host: host A's
# server takes 4 s to answer; host B's pass, started meanwhile, takes the
# other messages and ends while A still holds its one.
"$PYTHON" "$SMTPD_PY" --port 0 --port-file "$T/slow.port" --maildir "$T/slow" \
    --log "$T/slow.log" --delay 4 --lifetime 60 > /dev/null 2>&1 &
slow=$!
mkdir -p "$T/slow"
i=0
while [ ! -s "$T/slow.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cp "$T/watchdog.conf" "$T/b.conf"
sed "s/^EMAIL_PORT=.*/EMAIL_PORT=$(cat "$T/slow.port")/" "$T/b.conf" > "$T/a.conf"
C=$((end + 7200))
i=0
while [ $i -lt 3 ]; do
	WATCHDOG_TOKEN=$BOB_TOKEN faketime -f "@$(ft "$C")" "$WD" --create \
	    --title "Held $i" --deadline "@$((C + 7200))" > /dev/null
	i=$((i + 1))
done
i=0
while [ "$(psql_wd "SELECT count(*) FROM outbox WHERE state <> 'sent'")" != 0 ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
WATCHDOG_CONFIG=$T/a.conf WATCHDOG_TOKEN= faketime -f "@$(ft $((C + 3900)))" \
    "$WD" --check-sla > "$T/pa.out" 2>&1 &
pa=$!
i=0
while [ "$(grep -c stored "$T/slow.log" 2>/dev/null)" != 1 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
t0=$(ms)
WATCHDOG_CONFIG=$T/b.conf WATCHDOG_TOKEN= run faketime -f "@$(ft $((C + 3900)))" \
    "$WD" --check-sla
t1=$(ms)
kill -0 $pa 2>/dev/null && a_running=1 || a_running=0
expect_rc 0 "host B's pass while host A holds a message"
[ $a_running -eq 1 ] && [ $((t1 - t0)) -lt 3000 ] &&
    pass "host B's pass ends ($((t1 - t0)) ms) while host A still holds its message" ||
    fail "host B's pass ends while host A still holds its message" \
    "$((t1 - t0)) ms, A running: $a_running"
wait $pa
[ $? -eq 0 ] && pass "host A's pass ends too" || fail "host A's pass ends too" "$(cat "$T/pa.out")"
kill $slow 2>/dev/null
wait $slow 2>/dev/null
held() { cat "$T/slow/"*.eml "$SMTP_MAILDIR/"*.eml 2>/dev/null | grep -c "^Subject: .*SLA warning: Held $1"; }
[ "$(held 0)$(held 1)$(held 2)" = 111 ] && [ "$(grep -c stored "$T/slow.log")" = 1 ] &&
    pass "the 3 warnings went once each, 1 by host A and 2 by host B" ||
    fail "the 3 warnings went once each" "$(held 0)$(held 1)$(held 2), A: $(grep -c stored "$T/slow.log")"

finish
