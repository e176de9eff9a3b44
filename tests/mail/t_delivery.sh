#!/bin/sh
# Delivery without faults against aiosmtpd on loopback: a pass that runs
# longer than the lease shares the queue with a second pass and no message
# goes out twice (watchdog(1), --check-sla).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }

# Message-IDs the server received more than once.
doubled() {
	$PY - "$SMTP_MAILDIR" <<'PYEOF'
import collections, email, os, sys
d = sys.argv[1]
ids = collections.Counter(
    email.message_from_bytes(open(os.path.join(d, f), 'rb').read())['Message-ID']
    for f in os.listdir(d) if f.endswith('.eml') and not f.startswith('.'))
print(sum(n - 1 for n in ids.values()))
PYEOF
}

# Wait until the server holds N messages, $2 seconds at most (default 5).
wait_received() {
	i=0
	while [ "$(received_count)" -lt "$1" ] && [ $i -lt $((${2:-5} * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# Wait until process $1 has ended, 60 s at most.
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}

# --- A pass longer than the lease (EMAIL_TIMEOUT=1: 10 s), and a second
# pass started while the first one sends its last message, claimed after
# its own start plus the lease.
N=22
write_config EMAIL_BACKEND=console
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
i=0
while [ $i -lt $N ]; do
	"$WD" --create --title "Slow server $i" --deadline +3h > /dev/null
	i=$((i + 1))
done
n=$(sql "SELECT count(*) FROM outbox WHERE state = 'queued'")
[ "$n" = $N ] && pass "lease: $N notices queued" || fail "lease: $N notices queued" "$n"

start_smtpd --delay 0.5
smtp_config EMAIL_TIMEOUT=1
"$WD" --check-sla > "$T/pass1.out" 2> "$T/pass1.err" &
p1=$!
# The server answers the last message 0.5 s after it stored it.
wait_received $N 30
"$WD" --check-sla > "$T/pass2.out" 2> "$T/pass2.err" &
p2=$!
wait_gone $p1
wait_gone $p2
wait $p1; rc1=$?
wait $p2; rc2=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && pass "lease: both passes succeed" ||
    fail "lease: both passes succeed" "exit $rc1 and $rc2: $(cat "$T/pass1.err" "$T/pass2.err")"
d=$(doubled)
[ "$d" = 0 ] && pass "lease: no message delivered twice" || fail "lease: no message delivered twice" "$d doubled"
n=$(received_count)
[ "$n" = $N ] && pass "lease: every notice delivered once" || fail "lease: every notice delivered once" "$n received"
n=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
[ "$n" = 0 ] && pass "lease: all marked sent" || fail "lease: all marked sent" "$n not sent"
stop_smtpd

# --- One send longer than the lease: a sendmail that keeps talking on
# its standard error for as long as the test wants. Its lease is renewed
# while it goes on, so a second pass after the first lease finds nothing.
{
	echo '#!/bin/sh'
	echo "grep -m1 '^Message-ID:' >> '$T/long.ids'"
	echo 'cat > /dev/null'
	echo 'i=0'
	echo "while [ ! -e '$T/long.stop' ] && [ \$i -lt 60 ]; do echo . >&2; sleep 0.5; i=\$((i + 1)); done"
} > "$T/long-sendmail"
chmod +x "$T/long-sendmail"
: > "$T/long.ids"
write_config EMAIL_BACKEND=console
run "$WD" --create --title 'One long send' --deadline +3h
lid=$out
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/long-sendmail" EMAIL_TIMEOUT=1
"$WD" --check-sla > /dev/null 2> "$T/long1.err" &
p1=$!
i=0
while [ ! -s "$T/long.ids" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
first=$(sql "SELECT next_attempt_at FROM outbox WHERE ticket_id = $lid AND state = 'sending'")
# Until the first lease has run out (10 s).
i=0
while [ "$(date +%s)" -le "${first:-0}" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
run "$WD" --check-sla
expect_rc 0 "long send: a second pass meanwhile"
touch "$T/long.stop"
wait_gone $p1
wait $p1; rc1=$?
[ "$rc1" = 0 ] && pass "long send: the first pass succeeds" || fail "long send: the first pass succeeds" "exit $rc1: $(cat "$T/long1.err")"
n=$(wc -l < "$T/long.ids")
[ "$n" = 1 ] && pass "long send: sent once, its lease renewed" || fail "long send: sent once, its lease renewed" "$n sends: $(cat "$T/long.ids")"
s=$(sql "SELECT state FROM outbox WHERE ticket_id = $lid")
[ "$s" = sent ] && pass "long send: recorded sent" || fail "long send: recorded sent" "$s"

# Wait until ticket $1's created notice is in state $2, 10 s at most.
wait_state() {
	i=0
	while [ "$(sql "SELECT state FROM outbox WHERE ticket_id = $1 AND kind = 'created'")" != "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# --- 550 to the background send after --create: final on that path too.
start_smtpd --mode reject-550
smtp_config
run "$WD" --create --title 'Refused in the background' --deadline +3h
expect_rc 0 "550 in the background: --create succeeds"
rid=$out
wait_state "$rid" failed
s=$(sql "SELECT state || ' ' || attempts FROM outbox WHERE ticket_id = $rid")
[ "$s" = "failed 1" ] && pass "550 in the background: kept as failed" || fail "550 in the background: kept as failed" "$s"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue
expect_grep "#$rid +created +failed .*bob@example.org" "550 in the background: --mail-queue lists it"
expect_grep "550 .*mailbox unavailable" "550 in the background: --mail-queue says why"
run "$WD" --check-sla
expect_rc 0 "550 in the background: the next pass exits 0"
expect_err "^watchdog: mail to bob@example.org about #$rid \(created\) failed for good: .*550.*; kept as failed" \
    "550 in the background: the next pass reports it"
n=$(printf '%s\n' "$err" | grep -c .)
[ "$n" = 1 ] && pass "550 in the background: one line" || fail "550 in the background: one line" "$err"
n=$(count_log '>> RCPT')
[ "$n" = 1 ] && pass "550 in the background: never tried again" || fail "550 in the background: never tried again" "$n RCPT"
run "$WD" --check-sla
[ "$rc" = 0 ] && [ -z "$out$err" ] && pass "550 in the background: reported once" || fail "550 in the background: reported once" "exit $rc: $err"
stop_smtpd

# --- A malformed template in TEMPLATE_DIR fails its notices, not the
# tickets: created, kept as failed with the template's error, reported.
mkdir -p "$T/templates"
printf 'Subject: [watchdog #{{id}}] {{title}}\n\nDue {{deadline_local}}.\n' > "$T/templates/warning.txt"
printf 'Subject: [watchdog #{{id}}] {{title}}\n\nMissed {{deadline_local}}.\n' > "$T/templates/missed.txt"
printf 'No subject line here\n\n{{title}}\n' > "$T/templates/created.txt"
write_config "TEMPLATE_DIR=$T/templates" SLA_WARNING_MINUTES=60
rm -rf "$T/mail"
run "$WD" --create --title 'Broken template' --deadline +3h
expect_rc 0 "template: --create succeeds"
tid=$out
s=$(sql "SELECT state || ' ' || reported FROM outbox WHERE ticket_id = '$tid' AND kind = 'created'")
[ "$s" = "failed 0" ] && pass "template: notice kept as failed" || fail "template: notice kept as failed" "$s"
n=$(sql "SELECT count(*) FROM tickets WHERE id = '$tid'")
[ "$n" = 1 ] && pass "template: ticket created" || fail "template: ticket created" "$n"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue
expect_grep "#$tid +created +failed" "template: --mail-queue lists it"
expect_grep "templates/created.txt.*Subject" "template: --mail-queue names the file"
chmod 600 "$WATCHDOG_CONFIG"
run "$WD" --doctor
expect_grep "^FAIL template created: .*templates/created.txt.*Subject" "template: --doctor fails it"
expect_grep "^ok   template warning: " "template: --doctor passes the good ones"
expect_grep "^ok   template assigned: built in" "template: --doctor says a missing assigned.txt is built in"
printf 'No subject line here\n\n{{comment}}\n' > "$T/templates/commented.txt"
run "$WD" --doctor
expect_grep "^FAIL template commented: .*templates/commented.txt" "template: --doctor fails a bad commented.txt"
rm -f "$T/templates/commented.txt"
run faketime -f '+150m' "$WD" --check-sla
expect_rc 0 "template: the next pass exits 0"
expect_err "^watchdog: mail to bob@example.org about #$tid \\(created\\) failed for good: .*created.txt.*; kept as failed" \
    "template: the next pass reports it"
n=$(printf '%s\n' "$err" | grep -c .)
[ "$n" = 1 ] && pass "template: one line" || fail "template: one line" "$err"
n=$(grep -l "^Subject: \[watchdog #$tid\] Broken template" "$T"/mail/new/* 2>/dev/null | wc -l)
[ "$n" = 1 ] && pass "template: the warning goes out" || fail "template: the warning goes out" "$n messages"
run faketime -f '+155m' "$WD" --check-sla
[ "$rc" = 0 ] && [ -z "$err" ] && pass "template: reported once" || fail "template: reported once" "exit $rc: $err"
run "$WD" --doctor
expect_rc 1 "template: --doctor exits 1"

# --- The children that signals ignored by the caller must not reach:
# sendmail and the background delivery start with every signal at its
# default (SigIgn, SigBlk of /proc/PID/status: hex masks).
# Whether process $1 ignores SIGHUP, SIGINT or SIGTERM (bits 0, 1, 14).
ignores_term() {
	m=$(awk '$1 == "SigIgn:" { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ $((0x${m:-0} & 0x4003)) -ne 0 ]
}
{
	echo '#!/bin/sh'
	echo "awk '\$1 == \"SigIgn:\" || \$1 == \"SigBlk:\" { print \$1, \$2 }' /proc/self/status > '$T/sendmail.status'"
	echo 'fds=; for f in /proc/$$/fd/*; do [ -e "$f" ] && [ "$(readlink "$f")" != "$0" ] && fds="$fds ${f##*/}"; done'
	echo "echo \"\$fds\" > '$T/sendmail.fds'"
	echo 'cat > /dev/null'
} > "$T/sendmail"
chmod +x "$T/sendmail"
write_config EMAIL_BACKEND=console
run "$WD" --create --title 'Signals of sendmail' --deadline +3h
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/sendmail"
run sh -c "trap '' TERM HUP INT; exec \"\$0\" --check-sla" "$WD"
expect_rc 0 "sendmail: the pass succeeds"
# Its descriptors but 0-2 and the one its shell reads the script on.
st=$(tr '\n' ' ' < "$T/sendmail.status" 2>/dev/null)
fds=$(cat "$T/sendmail.fds" 2>/dev/null)
# Signals 1-31; the C library keeps 32 and 33 to itself (whatever the
# caller of the test did with them).
blk=$(awk '$1 == "SigBlk:" { print $2 }' "$T/sendmail.status" 2>/dev/null)
ign=$(awk '$1 == "SigIgn:" { print $2 }' "$T/sendmail.status" 2>/dev/null)
[ -n "$blk" ] && [ -n "$ign" ] && [ $((0x$blk & 0x7fffffff)) -eq 0 ] &&
    [ $((0x$ign & 0x7fffffff)) -eq 0 ] && pass "sendmail: default signals" || fail "sendmail: default signals" "$st"
[ "$fds" = " 0 1 2" ] && pass "sendmail: descriptors 0-2 only" || fail "sendmail: descriptors 0-2 only" "$fds"

start_smtpd --mode hang
smtp_config EMAIL_TIMEOUT=5
title="Signals of the background delivery $$"
sh -c "trap '' TERM HUP INT; exec \"\$0\" --create --title '$title' --deadline +3h" "$WD" > /dev/null
# The detached worker: the process whose arguments hold the title.
bg=
i=0
while [ -z "$bg" ] && [ $i -lt 50 ]; do
	for f in /proc/[0-9]*/cmdline; do
		if tr '\0' ' ' 2>/dev/null < "$f" | grep -qF -- "$title"; then
			bg=${f#/proc/}; bg=${bg%/cmdline}
		fi
	done
	[ -n "$bg" ] || { sleep 0.1; i=$((i + 1)); }
done
if [ -n "$bg" ]; then
	ignores_term "$bg" && fail "background delivery: default signals" "$(grep SigIgn "/proc/$bg/status")" || pass "background delivery: default signals"
	kill -TERM "$bg" 2>/dev/null
	i=0
	while kill -0 "$bg" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -0 "$bg" 2>/dev/null && fail "background delivery: SIGTERM ends it" || pass "background delivery: SIGTERM ends it"
else
	fail "background delivery: default signals" "no background process found"
fi
stop_smtpd

finish
