#!/bin/sh
# The assigned and commented notices end to end over SMTP (watchdog(1),
# NOTIFICATIONS): sent in the background at once, threaded under the
# created message, with the comment's text; queued while the server is
# down and then sent exactly once by two --check-sla passes at once.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }

start_smtpd
conf() {
	smtp_config DEFAULT_FROM_EMAIL=watchdog@example.net TIME_ZONE=Europe/Berlin "$@"
}
conf
setup_accounts

# Wait until the server holds N messages, 10 s at most.
wait_received() {
	i=0
	while [ "$(received_count)" -lt "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
# Wait until no message of ticket $1 is left to send, or the background
# delivery gave them back (last_error set), 10 s at most.
wait_bg_failed() {
	i=0
	while [ "$(sql "SELECT count(*) FROM outbox WHERE ticket_id = $1 AND kind IN ('assigned', 'commented') AND (state <> 'queued' OR last_error IS NULL)")" != 0 ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

export WATCHDOG_TOKEN=$ADMIN_TOKEN
run "$WD" --create --title 'Backups failing on db1' --deadline '2030-06-01T12:00:00Z'
id=$out
wait_received 1
run "$WD" --update "$id" --assignee bob
expect_rc 0 "assign to bob"
wait_received 2
[ "$(received_count)" = 2 ] && pass "the assigned notice arrives at once" || fail "the assigned notice arrives at once" "$(received_count)"

WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --comment "$id" --text 'Tape drive is empty.'
expect_rc 0 "bob comments"
wait_received 3
printf 'Loaded a new tape.\n.\nA line with a lone dot, above.\n' > "$T/comment"
run -i "$(cat "$T/comment")" "$WD" --comment "$id" --text -
expect_rc 0 "admin comments from standard input"
wait_received 4
sleep 0.5
[ "$(received_count)" = 4 ] && pass "one commented notice each, nobody told of their own" || fail "one commented notice each, nobody told of their own" "$(received_count)"

$PY - "$SMTP_MAILDIR" "$id" <<'PYEOF' && pass "assigned and commented notices as received" || fail "assigned and commented notices as received"
import email, os, re, sys
d, tid = sys.argv[1], sys.argv[2]
def text(m):
    return m.get_payload(decode=True).decode().replace('\r\n', '\n')
msgs = []
for f in sorted(os.listdir(d)):
    if f.endswith('.eml'):
        msgs.append(email.message_from_bytes(open(os.path.join(d, f), 'rb').read()))
by = {}
for m in msgs:
    m.subject = re.sub(r'\r?\n', '', m['Subject'])
    by.setdefault(m.subject.split('] ')[1].split(':')[0], []).append(m)
root = by['New ticket'][0]['Message-ID']
a = by['Assigned to you'][0]
assert a['To'] == 'bob@example.org', a['To']
assert a.subject == '[watchdog #%s] Assigned to you: Backups failing on db1 (due 14:00 CEST)' % tid, a.subject
assert a['In-Reply-To'] == root and a['References'] == root
assert 'admin assigned ticket #%s to you.' % tid in text(a)
c = by['New comment by bob'][0]
assert c['To'] == 'admin@example.org', c['To']
assert c['In-Reply-To'] == root and c['References'] == root
assert 'bob commented on ticket #%s:\n\nTape drive is empty.\n' % tid in text(c)
c = by['New comment by admin'][0]
assert c['To'] == 'bob@example.org', c['To']
assert c['In-Reply-To'] == root
body = text(c)
assert 'Loaded a new tape.\n.\nA line with a lone dot, above.\n' in body, body
assert len(set(m['Message-ID'] for m in msgs)) == len(msgs)
PYEOF

# The server is down: the notices wait in the outbox ...
stop_smtpd
export WATCHDOG_TOKEN=$BOB_TOKEN
for n in 1 2 3 4 5; do
	"$WD" --comment "$id" --text "Burst $n" > /dev/null
done
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update "$id" --assignee '' > /dev/null
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update "$id" --assignee bob > /dev/null
wait_bg_failed "$id"
[ "$(sql "SELECT count(*) FROM outbox WHERE state = 'queued' AND kind IN ('assigned', 'commented')")" = 6 ] && pass "notices stay queued while the server is down" || fail "notices stay queued while the server is down" "$(sql "SELECT kind, state, last_error FROM outbox")"
# ... and two passes at once, once it is back, send each exactly once.
start_smtpd
conf
faketime -f '+1h' "$WD" --check-sla > "$T/p1" 2>&1 &
p1=$!
faketime -f '+1h' "$WD" --check-sla > "$T/p2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ "$r1" = 0 ] && [ "$r2" = 0 ] && pass "two passes at once succeed" || fail "two passes at once succeed" "$r1 $r2: $(cat "$T/p1" "$T/p2")"
wait_received 6
sleep 0.5
[ "$(received_count)" = 6 ] && pass "each queued notice arrives exactly once" || fail "each queued notice arrives exactly once" "$(received_count)"
$PY - "$SMTP_MAILDIR" <<'PYEOF' && pass "the burst arrives whole, threaded, one Message-ID each" || fail "the burst arrives whole, threaded, one Message-ID each"
import email, os, sys
d = sys.argv[1]
msgs = [email.message_from_bytes(open(os.path.join(d, f), 'rb').read()) for f in os.listdir(d) if f.endswith('.eml')]
ids = [m['Message-ID'] for m in msgs]
assert len(set(ids)) == 6, ids
bodies = sorted(m.get_payload(decode=True).decode().replace('\r\n', '\n') for m in msgs if 'New comment' in m['Subject'])
assert len(bodies) == 5
for n in range(1, 6):
    assert sum('Burst %d\n' % n in b for b in bodies) == 1, n
assert all(m['To'] == 'admin@example.org' for m in msgs if 'New comment' in m['Subject'])
assert sum('Assigned to you' in m['Subject'] for m in msgs) == 1
assert all(m['In-Reply-To'] and '.created.' in m['In-Reply-To'] for m in msgs)
PYEOF
[ "$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")" = 0 ] && pass "nothing left in the queue" || fail "nothing left in the queue" "$(sql "SELECT kind, state FROM outbox WHERE state <> 'sent'")"

finish
