#!/bin/sh
# The SLA notices end to end: --create and --check-sla with the clock moved
# by faketime, delivered to a Maildir (the file backend), through sendmail
# and to the console; retries, giving up, dry runs, concurrent passes and
# kill -9 in the middle of a pass.
. "$(dirname "$0")/../cli/lib.sh"
PY=/usr/bin/python3
write_config SLA_WARNING_MINUTES=60 SLA_ESCALATION_EMAILS=boss@example.org,oncall@example.org \
    DEFAULT_FROM_EMAIL=watchdog@example.net
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
maildir="$T/mail"

mails() { find "$maildir/new" -type f 2>/dev/null | wc -l; }
# Wait until the Maildir holds N messages (background delivery), 5 s at most.
wait_mails() {
	i=0
	while [ "$(mails)" -lt "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
# How many messages in the Maildir have a (decoded, unfolded) header line
# matching the regular expression $1, such as "Subject: .*SLA missed".
grep_mail() {
	$PY - "$maildir/new" "$1" <<'PYEOF'
import email, email.header, os, re, sys
d, pat = sys.argv[1], re.compile(sys.argv[2])
n = 0
for f in os.listdir(d) if os.path.isdir(d) else []:
    m = email.message_from_bytes(open(os.path.join(d, f), 'rb').read())
    lines = ['%s: %s' % (k, str(email.header.make_header(email.header.decode_header(
             re.sub(r'\r?\n', '', v))))) for k, v in m.items()]
    n += any(pat.search(l) for l in lines)
print(n)
PYEOF
}

run "$WD" --create --title 'Backups failing on db1' --deadline +90m --assignee admin
expect_rc 0 "--create"
id=$out
wait_mails 1
[ "$(mails)" = 1 ] && pass "created notice delivered in the background" || fail "created notice delivered in the background" "$(mails) mails"
[ "$(grep_mail "Subject: \[watchdog #$id\] New ticket: Backups failing on db1")" = 1 ] && pass "created subject" || fail "created subject"
[ "$(grep_mail 'To: bob@example.org')" = 1 ] && pass "created notice to the owner" || fail "created notice to the owner"

run "$WD" --check-sla
expect_rc 0 "--check-sla with nothing due"
[ -z "$out$err" ] && pass "--check-sla is silent when all is well" || fail "--check-sla is silent when all is well" "$out$err"

run faketime -f '+45m' "$WD" --check-sla --dry-run
expect_rc 0 "--dry-run"
expect_grep "would queue warning notice for #$id Backups failing on db1 to bob@example.org, admin@example.org" "--dry-run says what it would send"
[ "$(mails)" = 1 ] && pass "--dry-run sends nothing" || fail "--dry-run sends nothing"
n=$(sql "SELECT count(*) FROM outbox WHERE kind='warning'")
[ "$n" = 0 ] && pass "--dry-run queues nothing" || fail "--dry-run queues nothing" "$n"

run faketime -f '+45m' "$WD" --check-sla
expect_rc 0 "warning pass"
[ -z "$out$err" ] && pass "warning pass silent" || fail "warning pass silent" "$out$err"
[ "$(grep_mail "SLA warning: Backups failing on db1 \\(due ")" = 2 ] && pass "warning to owner and assignee" || fail "warning to owner and assignee"
run faketime -f '+50m' "$WD" --check-sla --verbose
expect_grep "queued 0 warning and 0 missed messages; sent 0" "second pass queues nothing"
[ "$(grep_mail "SLA warning")" = 2 ] && pass "warning once per deadline" || fail "warning once per deadline"

run faketime -f '+95m' "$WD" --check-sla --verbose
expect_rc 0 "missed pass"
expect_grep "queued 0 warning and 4 missed messages; sent 4, retrying 0, failed 0" "missed pass summary"
[ "$(grep_mail "SLA missed: Backups failing on db1 \\(overdue since ")" = 4 ] && pass "missed to owner, assignee and escalation" || fail "missed to owner, assignee and escalation"
[ "$(grep_mail 'To: oncall@example.org')" = 1 ] && pass "escalation address" || fail "escalation address"

# Threading and format, read back by Python's e-mail parser.
for f in "$maildir"/new/*; do
	$PY - "$f" "$id" <<'PYEOF' || { fail "message format of $(basename "$f")"; continue; }
import email, email.header, sys
raw = open(sys.argv[1], 'rb').read()
assert b'\r\n' in raw and b'\n' not in raw.replace(b'\r\n', b''), "CRLF line ends"
for line in raw.split(b'\r\n'):
    assert len(line) <= 998, "line too long"
m = email.message_from_bytes(raw)
for h in ('Date', 'From', 'To', 'Subject', 'Message-ID', 'MIME-Version', 'Content-Type'):
    assert m[h], h
assert m['From'] == 'watchdog@example.net'
assert m.get_content_charset() == 'utf-8'
root = '<wd.%s.created.' % sys.argv[2]
if 'New ticket' in m['Subject']:
    assert m['Message-ID'].startswith(root) and m['In-Reply-To'] is None
else:
    assert m['In-Reply-To'].startswith(root) and m['References'].startswith(root)
body = m.get_payload(decode=True).decode('utf-8')
assert '#%s' % sys.argv[2] in body and 'Backups failing on db1' in body
PYEOF
done
pass "every message parses with the RFC 5322 headers"

# Moving the deadline re-arms; resolving stops the notices.
run faketime -f '+95m' "$WD" --update "$id" --deadline '+3h'
run faketime -f '+4h' "$WD" --check-sla
[ "$(grep_mail 'SLA warning')" = 4 ] && pass "moved deadline re-arms the warning" || fail "moved deadline re-arms the warning" "$(grep_mail 'SLA warning')"
run faketime -f '+4h' "$WD" --update "$id" --status resolved
run faketime -f '+6h' "$WD" --check-sla
[ "$(grep_mail 'SLA missed')" = 4 ] && pass "resolved ticket stays quiet" || fail "resolved ticket stays quiet"

# Hostile text cannot add headers or end the data early.
printf 'first line\n.\nafter a lone dot\nBcc: evil@example.org\n' > "$T/desc"
run -i "$(cat "$T/desc")" "$WD" --create --title 'Subject: pwned' --deadline +3h --description -
hid=$out
wait_mails 10
f=$(grep -l "New ticket: Subject: pwned" "$maildir"/new/* | head -n 1)
$PY - "$f" <<'PYEOF' && pass "user text stays in the body" || fail "user text stays in the body"
import email, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read())
assert m['Bcc'] is None
body = m.get_payload(decode=True).decode()
assert '\n.\n' in body.replace('\r\n', '\n'), body
PYEOF

# --mail-queue: administrators only.
run "$WD" --mail-queue
expect_rc 77 "--mail-queue refuses a user"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue
expect_rc 0 "--mail-queue for an administrator"
expect_out "the mail queue is empty" "--mail-queue empty after delivery"

# sendmail that fails for now: queued, retried with backoff, exit 75.
cat > "$T/sendmail" <<SH
#!/bin/sh
[ -f "$T/sendmail.rc" ] && rc=\$(cat "$T/sendmail.rc") || rc=0
cat > "$T/sendmail.last.\$\$"
echo "\$*" >> "$T/sendmail.args"
grep -m1 '^Message-ID:' "$T/sendmail.last.\$\$" >> "$T/sendmail.ids"
rm -f "$T/sendmail.last.\$\$"
exit \$rc
SH
chmod +x "$T/sendmail"
write_config SLA_WARNING_MINUTES=60 EMAIL_BACKEND=sendmail SENDMAIL_PATH="$T/sendmail" \
    DEFAULT_FROM_EMAIL=watchdog@example.net
# Wait until ticket $1's created notice is back in the queue after the
# background delivery failed (it leaves failures for --check-sla).
wait_released() {
	i=0
	while [ $i -lt 50 ]; do
		r=$(sql "SELECT state, CASE WHEN last_error IS NOT NULL THEN 1 ELSE 0 END FROM outbox WHERE ticket_id = $1 AND kind = 'created'")
		[ "$r" = "queued|1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
echo 75 > "$T/sendmail.rc"
run "$WD" --create --title 'Queue me' --deadline +3h
qid=$out
wait_released "$qid" && pass "a failed background delivery is left for --check-sla" || fail "a failed background delivery is left for --check-sla"
run "$WD" --check-sla
expect_rc 75 "--check-sla exits 75 while mail must be retried"
expect_err "not sent: .*retrying after" "the retry is reported on stderr"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && pass "one line per problem" || fail "one line per problem" "$err"
grep -q -- '-t -i' "$T/sendmail.args" && pass "sendmail runs with -t -i" || fail "sendmail runs with -t -i"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue --json
printf '%s' "$out" | $PY -c '
import json, sys
q = json.load(sys.stdin)
assert len(q) == 1 and q[0]["state"] == "retrying" and q[0]["attempts"] == 1, q
assert q[0]["last_error"], q
' && pass "--mail-queue --json shows the retry" || fail "--mail-queue --json shows the retry" "$out"
run "$WD" --check-sla
expect_rc 75 "not retried before its time"
[ -z "$err" ] && pass "nothing tried, nothing said" || fail "nothing tried, nothing said" "$err"
echo 0 > "$T/sendmail.rc"
run faketime -f '+10m' "$WD" --check-sla
expect_rc 0 "retried and sent after the backoff"
n=$(grep -c "wd.$qid.created" "$T/sendmail.ids")
u=$(grep "wd.$qid.created" "$T/sendmail.ids" | sort -u | wc -l)
[ "$n" = 3 ] && [ "$u" = 1 ] && pass "every try has the same Message-ID" || fail "every try has the same Message-ID" "$n tries, $u ids"

# sendmail that refuses for good: failed, reported, kept.
echo 1 > "$T/sendmail.rc"
run "$WD" --create --title 'Bounce me' --deadline +3h
wait_released "$out"
run "$WD" --check-sla
expect_rc 0 "a permanent failure is not a retry"
expect_err "failed for good: .*kept as failed" "giving up is reported"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --mail-queue
expect_grep "failed" "--mail-queue lists the failed message"

# The console backend prints the messages.
write_config EMAIL_BACKEND=console DEFAULT_FROM_EMAIL=watchdog@example.net
run "$WD" --create --title 'To the console' --deadline +1h
run "$WD" --check-sla
expect_grep "^Subject: \[watchdog #[0-9]+\] New ticket: To the console" "console backend prints the message"

# Two passes at once send each message exactly once (of the Load tickets:
# the one above is resolved, so that its missed notice does not count).
"$WD" --update "$(sql "SELECT id FROM tickets WHERE title = 'To the console'")" --status resolved > /dev/null
write_config SLA_WARNING_MINUTES=60 EMAIL_BACKEND=sendmail SENDMAIL_PATH="$T/sendmail" \
    DEFAULT_FROM_EMAIL=watchdog@example.net
echo 0 > "$T/sendmail.rc"
i=0
while [ $i -lt 30 ]; do
	"$WD" --create --title "Load $i" --deadline +90m > /dev/null
	i=$((i + 1))
done
sleep 1
sql "UPDATE outbox SET state = 'sent'"
: > "$T/sendmail.ids"
faketime -f +40m "$WD" --check-sla & p1=$!
faketime -f +40m "$WD" --check-sla & p2=$!
wait $p1; wait $p2
total=$(wc -l < "$T/sendmail.ids")
uniq=$(sort -u "$T/sendmail.ids" | wc -l)
[ "$total" = 30 ] && [ "$uniq" = 30 ] && pass "two passes at once: each message once" || fail "two passes at once: each message once" "$total sent, $uniq distinct"

# kill -9 in the middle of a pass loses nothing, repeats at most one.
: > "$T/sendmail.ids"
sed -i 's/^exit /sleep 0.1; exit /' "$T/sendmail"
faketime -f '+100m' "$WD" --check-sla & pk=$!
# Kill it once it has started sending (each message takes 0.1 s).
i=0
while [ ! -s "$T/sendmail.ids" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
kill -9 $pk 2>/dev/null
wait $pk 2>/dev/null
before=$(wc -l < "$T/sendmail.ids")
[ "$before" -gt 0 ] && [ "$before" -lt 30 ] && pass "the pass was killed in the middle" || fail "the pass was killed in the middle" "$before sent"
faketime -f '+110m' "$WD" --check-sla
faketime -f '+110m' "$WD" --check-sla
total=$(wc -l < "$T/sendmail.ids")
uniq=$(sort -u "$T/sendmail.ids" | wc -l)
[ "$uniq" = 30 ] && pass "after kill -9 every missed notice is delivered" || fail "after kill -9 every missed notice is delivered" "$uniq distinct (killed after $before)"
[ $((total - uniq)) -le 1 ] && pass "kill -9 repeats at most one message" || fail "kill -9 repeats at most one message" "$total sent, $uniq distinct"
r=$(db_integrity)
[ "$r" = ok ] && pass "integrity after kill -9" || fail "integrity after kill -9" "$r"


finish
