#!/bin/sh
# The SLA notices end to end over SMTP: watchdog --create and --check-sla
# against a real aiosmtpd server on loopback (STARTTLS with AUTH), with the
# server down, dropping the connection after the data, and refusing.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }
make_certs || fail "certificates made" "$(cat "$T/openssl.out")"

start_smtpd --starttls "$CERTS/server.pem" "$CERTS/server.key" --auth 'mailer:s3cret pass'
conf() {
	smtp_config EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
	    "EMAIL_HOST_PASSWORD='s3cret pass'" "EMAIL_SSL_CAFILE=$CERTS/ca.pem" \
	    SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net \
	    RATE_LIMIT_CREATE=0 "$@"
}
conf
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN

# Wait until the background delivery of ticket $1's created notice failed
# and gave it back to the queue, 5 s at most.
wait_bg_failed() {
	i=0
	while [ "$(sql "SELECT CASE WHEN state = 'queued' AND last_error IS NOT NULL THEN 1 ELSE 0 END FROM outbox WHERE ticket_id = $1 AND kind = 'created'")" != 1 ] && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# Wait until the server holds N messages, 5 s at most.
wait_received() {
	i=0
	while [ "$(received_count)" -lt "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

run "$WD" --create --title 'Überfällig: 日本語のチケット with a rather long title to fold' --deadline +90m --assignee admin
expect_rc 0 "--create over SMTP"
id=$out
wait_received 1
[ "$(received_count)" = 1 ] && pass "created notice arrives over STARTTLS" || fail "created notice arrives over STARTTLS" "$(received_count)"

run faketime -f '+45m' "$WD" --check-sla
expect_rc 0 "warning pass over SMTP"
[ -z "$out$err" ] && pass "silent" || fail "silent" "$out$err"
wait_received 3
[ "$(received_count)" = 3 ] && pass "warnings arrive" || fail "warnings arrive" "$(received_count)"

# What arrived, parsed: headers, RFC 2047 subject, QP body, threading.
$PY - "$SMTP_MAILDIR" "$id" <<'PYEOF' && pass "messages as received parse correctly" || fail "messages as received parse correctly"
import email, email.header, os, re, sys
d, tid = sys.argv[1], sys.argv[2]
files = sorted(f for f in os.listdir(d) if f.endswith('.eml'))
root = None
for f in files:
    raw = open(os.path.join(d, f), 'rb').read()
    for line in raw.split(b'\r\n'):
        assert len(line) <= 998
        assert not line.startswith(b'Bcc')
    m = email.message_from_bytes(raw)
    subj = str(email.header.make_header(email.header.decode_header(
        re.sub(r'\r?\n', '', m['Subject']))))
    assert '日本語のチケット' in subj and 'Überfällig' in subj, subj
    for w in re.findall(r'=\?[^?]+\?[BQbq]\?[^?]*\?=', m['Subject']):
        assert len(w) <= 75, w
    body = m.get_payload(decode=True).decode('utf-8')
    assert '#' + tid in body
    if 'New ticket' in subj:
        root = m['Message-ID']
        assert subj.startswith('[watchdog #%s] New ticket: ' % tid), subj
    else:
        assert subj.startswith('[watchdog #%s] SLA warning: ' % tid), subj
        assert re.search(r'\(due \d\d:\d\d [A-Z0-9+-]+\)$', subj), subj
        assert m['In-Reply-To'] == root and m['References'] == root
assert root is not None
PYEOF

# The server is down: the pass exits 75, the notices stay queued.
stop_smtpd
run faketime -f '+95m' "$WD" --check-sla
expect_rc 75 "server down: exit 75"
expect_err "not sent: .*retrying after" "server down: said on stderr"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'missed' AND state = 'queued'")
[ "$n" = 2 ] && pass "server down: the missed notices stay queued" || fail "server down: the missed notices stay queued" "$n"

# Back up, but the first message's connection drops after the data: the
# retry goes out with the same Message-ID.
start_smtpd --starttls "$CERTS/server.pem" "$CERTS/server.key" --auth 'mailer:s3cret pass' --mode drop-after-data
conf
run faketime -f '+100m' "$WD" --check-sla
expect_rc 75 "connection dropped after the data: exit 75"
run faketime -f '+110m' "$WD" --check-sla
expect_rc 0 "the retry is delivered"
ids=$(cat "$SMTP_MAILDIR"/*.eml | grep -i '^Message-ID:' | sort)
total=$(printf '%s\n' "$ids" | wc -l)
uniq=$(printf '%s\n' "$ids" | uniq | wc -l)
[ "$uniq" = 2 ] && [ "$total" = 3 ] && pass "dropped after the data: resent with the same Message-ID" || fail "dropped after the data: resent with the same Message-ID" "$ids"
[ "$(count_connections)" -le 3 ] && pass "one connection per pass (plus the dropped one)" || fail "one connection per pass (plus the dropped one)" "$(count_connections)"

# 451 for the first try, then 250.
start_smtpd --mode fail-once-451
smtp_config SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0
run "$WD" --create --title 'Temp fail' --deadline +3h
wait_bg_failed "$out"
run "$WD" --check-sla
expect_rc 0 "451 left by the background try, sent by the pass"
[ "$(received_count)" = 1 ] && pass "451 then 250: delivered once" || fail "451 then 250: delivered once" "$(received_count)"

# 550: failed for good in the background, reported by the next pass,
# kept, and --check-sla exits 0.
start_smtpd --mode reject-550
smtp_config SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0
run "$WD" --create --title 'Rejected' --deadline +3h
rid=$out
i=0
while [ "$(sql "SELECT state FROM outbox WHERE ticket_id = $rid")" != failed ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
run "$WD" --check-sla
expect_rc 0 "550: not a retry"
expect_err "failed for good: .*550" "550: reported with the server's words"
s=$(sql "SELECT state FROM outbox WHERE ticket_id = $rid")
[ "$s" = failed ] && pass "550: kept as failed" || fail "550: kept as failed" "$s"

# An untrusted certificate: nothing sent, no fallback.
start_smtpd --starttls "$CERTS/untrusted.pem" "$CERTS/untrusted.key"
smtp_config EMAIL_USE_TLS=true SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0
run "$WD" --create --title 'Untrusted' --deadline +3h
wait_bg_failed "$out"
run "$WD" --check-sla
expect_rc 75 "untrusted certificate: retry later"
expect_err "TLS|certificate" "untrusted certificate: said"
[ "$(received_count)" = 0 ] && pass "untrusted certificate: nothing sent" || fail "untrusted certificate: nothing sent"

# kill -9 again and again during --check-sla against a slow SMTP server:
# every notice delivered, at most one repeat per kill, integrity ok.
start_smtpd --delay 0.05
write_config SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net
i=0
while [ $i -lt 30 ]; do
	"$WD" --create --title "Kill loop $i" --deadline +90m > /dev/null
	i=$((i + 1))
done
sql "UPDATE outbox SET state = 'sent'"
smtp_config SLA_WARNING_MINUTES=60 DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0
before=$(received_count)
kills=0
for offset in 40m 46m 52m 58m; do
	faketime -f "+$offset" "$WD" --check-sla & pid=$!
	n0=$(received_count)
	i=0
	while [ "$(received_count)" = "$n0" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
done
faketime -f '+75m' "$WD" --check-sla
faketime -f '+75m' "$WD" --check-sla
ids=$(cat "$SMTP_MAILDIR"/*.eml | grep -i '^Message-ID:.*\.warning\.' | sort)
total=$(printf '%s\n' "$ids" | grep -c .)
uniq=$(printf '%s\n' "$ids" | uniq | grep -c .)
want=$(sql "SELECT count(*) FROM outbox WHERE kind = 'warning' AND ticket_id IN (SELECT id FROM tickets WHERE title LIKE 'Kill loop %')")
left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent' AND kind = 'warning'")
[ "$want" = 30 ] && [ "$uniq" = 30 ] && [ "$left" = 0 ] && pass "SMTP, $kills kills: every warning delivered" || fail "SMTP, $kills kills: every warning delivered" "$uniq distinct of $want, $left left"
[ $((total - uniq)) -le "$kills" ] && pass "SMTP, $kills kills: at most one repeat per kill ($((total - uniq)))" || fail "SMTP, $kills kills: at most one repeat per kill" "$total received, $uniq distinct"
r=$(db_integrity)
[ "$r" = ok ] && pass "SMTP kills: integrity ok" || fail "SMTP kills: integrity ok" "$r"

# A server that never answers: --create still returns at once.
start_smtpd --mode hang
smtp_config EMAIL_TIMEOUT=5 DEFAULT_FROM_EMAIL=watchdog@example.net RATE_LIMIT_CREATE=0
t0=$(date +%s%N)
run "$WD" --create --title 'Hanging server' --deadline +3h
t1=$(date +%s%N)
expect_rc 0 "--create with a hanging server"
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 2000 ] && pass "--create does not wait on the mail server (${ms} ms)" || fail "--create does not wait on the mail server" "${ms} ms"

finish
