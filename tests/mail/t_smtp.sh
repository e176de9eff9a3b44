#!/bin/sh
# Mail transports through build/mail-send: SMTP against tests/mail/smtpd.py
# on loopback (plain, STARTTLS with AUTH, SMTPS, refusals, failures, one
# connection per pass), and the sendmail, file and console backends.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

mail_prereqs || { finish; exit 0; }
if ! make_certs; then
	fail "test certificates made" "$(cat "$T/openssl.out")"
	finish
	exit 0
fi

FROM=watchdog@example.org
RCPT=owner@example.org
make_message "$T/m1" 1
make_message "$T/m2" 2
crlf "$T/m1" > "$T/m1.crlf"

# expect_count WHAT GOT WANT NAME
expect_count() {
	if [ "$2" = "$3" ]; then pass "$4"; else
		fail "$4" "$1: $2, expected $3"; fi
}

# --- plain SMTP -----------------------------------------------------------
start_smtpd || fail "smtpd starts"
smtp_config
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 0 "plain: sent"
expect_out "sent $T/m1" "plain: one result line"
expect_count "messages" "$(received_count)" 1 "plain: one message arrived"
if cmp -s "$(received 1)" "$T/m1.crlf"; then pass "plain: arrived intact"
else fail "plain: arrived intact" "$(od -c "$(received 1)" | head -5)"; fi
if [ "$(cat "$SMTP_MAILDIR/1.env")" = "$(printf 'from %s\nto %s' "$FROM" "$RCPT")" ]
then pass "plain: envelope from and to"
else fail "plain: envelope from and to" "$(cat "$SMTP_MAILDIR/1.env")"; fi
expect_count "QUIT" "$(count_log '>> QUIT')" 1 "plain: QUIT at close"

# A body with "." and "..x" lines survives dot-stuffing.
printf 'Subject: dots\nMessage-ID: <dots@test>\n\n.\n..x\n.hidden\nend\n.\n' > "$T/dots"
crlf "$T/dots" > "$T/dots.crlf"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/dots"
expect_rc 0 "dots: sent"
if cmp -s "$(received 2)" "$T/dots.crlf"; then pass "dots: body intact after unstuffing"
else fail "dots: body intact after unstuffing" "$(od -c "$(received 2)" | tail -5)"; fi

# Twenty messages, one run, one connection.
start_smtpd
smtp_config
files=
i=1
while [ $i -le 20 ]; do
	make_message "$T/many$i" "many$i"
	files="$files $T/many$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" $files
expect_rc 0 "20 messages: all sent"
expect_count "sent lines" "$(printf '%s\n' "$out" | grep -c '^sent ')" 20 "20 messages: 20 sent lines"
expect_count "messages" "$(received_count)" 20 "20 messages: 20 arrived"
expect_count "connections" "$(count_connections)" 1 "20 messages: over exactly one connection"
expect_count "EHLO" "$(count_log '>> EHLO')" 1 "20 messages: one EHLO"

# A server that closes an idle connection: the next message reconnects.
start_smtpd --idle-timeout 1
smtp_config
MAIL_SEND_PAUSE=2 run "$MAIL_SEND" "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m2"
expect_rc 0 "idle connection closed by the server: both sent"
expect_count "connections" "$(count_connections)" 2 "idle connection closed by the server: reconnected"

# A recipient that tries to smuggle a second RCPT is refused up front.
bad=$(printf 'a@example.org\r\nRCPT TO:<x@y>')
n_conn=$(count_connections)
mail_send "$WATCHDOG_CONFIG" "$FROM" "$bad" "$T/m1"
expect_rc 1 "injection: permanent failure"
expect_grep '^fail .*bad recipient address' "injection: named as a bad recipient"
expect_count "connections" "$(count_connections)" "$n_conn" "injection: nothing reached the server"
expect_count "x@y in log" "$(count_log 'x@y')" 0 "injection: no smuggled RCPT in the log"
bad=$(printf 'a@example.org>\r\nDATA')
mail_send "$WATCHDOG_CONFIG" "$bad" "$RCPT" "$T/m1"
expect_rc 1 "injection: bad sender refused"

# --- STARTTLS with AUTH, the CA from EMAIL_SSL_CAFILE -----------------------
start_smtpd --starttls "$CERTS/server.pem" "$CERTS/server.key" --auth 'mailer:s3cret pass'
smtp_config EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
    "EMAIL_HOST_PASSWORD='s3cret pass'" "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m2"
expect_rc 0 "starttls+auth: sent"
expect_count "messages" "$(received_count)" 2 "starttls+auth: arrived"
expect_count "auth ok" "$(count_log 'auth ok')" 1 "starttls+auth: authenticated once"
expect_count "connections" "$(count_connections)" 1 "starttls+auth: one connection"
first_tls=$(grep -n ' tls$' "$SMTP_LOG" | head -n 1 | cut -d: -f1)
first_auth=$(grep -n '>> AUTH' "$SMTP_LOG" | head -n 1 | cut -d: -f1)
if [ -n "$first_tls" ] && [ -n "$first_auth" ] && [ "$first_tls" -lt "$first_auth" ]
then pass "starttls+auth: TLS before AUTH"
else fail "starttls+auth: TLS before AUTH" "$(cat "$SMTP_LOG")"; fi
if cmp -s "$(received 1)" "$T/m1.crlf"; then pass "starttls+auth: intact"
else fail "starttls+auth: intact"; fi

# Host name instead of address: the certificate names localhost too.
smtp_config EMAIL_HOST=localhost EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
    "EMAIL_HOST_PASSWORD='s3cret pass'" "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 0 "starttls by host name: sent"

# Wrong password: a failure, and the password is never shown.
smtp_config EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
    "EMAIL_HOST_PASSWORD=Wr0ngPassw0rd" "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
n_before=$(received_count)
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "wrong password: temporary (kept queued until the password is mended)"
expect_grep '^temp .*authentication failed' "wrong password: says authentication failed"
case "$out$err" in
*Wr0ngPassw0rd*) fail "wrong password: not in the output" "$out $err" ;;
*) pass "wrong password: not in the output" ;;
esac
expect_count "messages" "$(received_count)" "$n_before" "wrong password: nothing sent"

# --- STARTTLS required, server offers none --------------------------------
start_smtpd
smtp_config EMAIL_USE_TLS=true "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "no STARTTLS offered: temporary failure"
expect_grep "^temp .*STARTTLS .*does not offer it" "no STARTTLS offered: says so"
expect_count "messages" "$(received_count)" 0 "no STARTTLS offered: nothing sent"
expect_count "MAIL" "$(count_log '>> MAIL')" 0 "no STARTTLS offered: no plain-text fallback"

# --- an untrusted certificate ---------------------------------------------
start_smtpd --starttls "$CERTS/untrusted.pem" "$CERTS/untrusted.key"
smtp_config EMAIL_USE_TLS=true "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "untrusted certificate: temporary failure"
expect_grep '^temp .*certificate' "untrusted certificate: says so"
expect_count "messages" "$(received_count)" 0 "untrusted certificate: nothing sent"
expect_count "MAIL" "$(count_log '>> MAIL')" 0 "untrusted certificate: no fallback"
smtp_config EMAIL_USE_TLS=true
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "self-signed against the system store: temporary failure"

# --- SMTPS ----------------------------------------------------------------
start_smtpd --smtps "$CERTS/server.pem" "$CERTS/server.key" --auth 'mailer:pw'
smtp_config EMAIL_USE_SSL=true EMAIL_HOST_USER=mailer EMAIL_HOST_PASSWORD=pw \
    "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m2"
expect_rc 0 "smtps: sent"
expect_count "messages" "$(received_count)" 2 "smtps: arrived"
expect_count "connections" "$(count_connections)" 1 "smtps: one connection"
start_smtpd --smtps "$CERTS/untrusted.pem" "$CERTS/untrusted.key"
smtp_config EMAIL_USE_SSL=true "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "smtps untrusted: temporary failure"
expect_count "messages" "$(received_count)" 0 "smtps untrusted: nothing sent"

# --- server down ----------------------------------------------------------
start_smtpd
stop_smtpd
smtp_config
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "server down: exit 75"
expect_grep "^temp .*127\.0\.0\.1:$SMTP_PORT: connection refused" "server down: connection refused"

# --- a server that never answers ------------------------------------------
start_smtpd --mode hang
smtp_config EMAIL_TIMEOUT=1
t0=$(date +%s)
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
t1=$(date +%s)
expect_rc 75 "silent server: temporary failure"
if [ $((t1 - t0)) -le 4 ]; then pass "silent server: gives up after EMAIL_TIMEOUT"
else fail "silent server: gives up after EMAIL_TIMEOUT" "took $((t1 - t0)) s"; fi

# --- 451 once, then 250 ---------------------------------------------------
start_smtpd --mode fail-once-451
smtp_config
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m2"
expect_rc 75 "451: run exits 75"
expect_grep "^temp $T/m1: .*451" "451: first message temporary"
expect_grep "^sent $T/m2\$" "451: second message sent"
expect_count "messages" "$(received_count)" 1 "451: one message arrived"
expect_count "connections" "$(count_connections)" 2 "451: fresh connection after the failure"

# --- 550 ------------------------------------------------------------------
start_smtpd --mode reject-550
smtp_config
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 1 "550: permanent failure"
expect_grep "^fail $T/m1: .*server said 550" "550: quotes the server"

# --- dropped after the data -----------------------------------------------
start_smtpd --mode drop-after-data
smtp_config
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m1"
expect_rc 75 "drop after data: run exits 75"
expect_grep "^temp $T/m1: .*connection lost" "drop after data: first send temporary"
expect_grep "^sent $T/m1\$" "drop after data: resend on a new connection"
expect_count "connections" "$(count_connections)" 2 "drop after data: two connections"
id1=$(grep -i '^Message-ID:' "$(received 1)")
id2=$(grep -i '^Message-ID:' "$(received 2)" 2>/dev/null)
if [ -n "$id1" ] && [ "$id1" = "$id2" ]; then pass "drop after data: same Message-ID both times"
else fail "drop after data: same Message-ID both times" "'$id1' '$id2'"; fi

# --- IPv6 loopback, when the host has it ----------------------------------
if start_smtpd --host ::1 2>/dev/null; then
	smtp_config EMAIL_HOST=::1
	mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
	expect_rc 0 "IPv6 literal host: sent"
	smtp_config 'EMAIL_HOST=[::1]'
	mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
	expect_rc 0 "IPv6 host in brackets: sent"
else
	echo "  (no IPv6 loopback: IPv6 checks skipped)"
fi
stop_smtpd

# --- sendmail backend -----------------------------------------------------
# A stand-in that records its arguments, its open descriptors and its
# standard input, writes a line on stderr and exits as $T/sm.rc says.
SM="$T/fake-sendmail"
cat > "$SM" <<EOF
#!/usr/bin/python3
import os, signal, sys
d = "$T"
extra = []
for fd in sorted(int(f) for f in os.listdir("/proc/self/fd")):
    if fd > 2:
        try:
            extra.append("%d -> %s" % (fd, os.readlink("/proc/self/fd/%d" % fd)))
        except OSError:
            pass    # the directory just listed
open(d + "/sm.fds", "w").write("".join(e + "\\n" for e in extra))
open(d + "/sm.args", "w").write("\\n".join(sys.argv[1:]))
open(d + "/sm.in", "wb").write(sys.stdin.buffer.read())
rc = open(d + "/sm.rc").read().strip()
sys.stderr.write("fake sendmail: exit %s\\n" % rc)
sys.stderr.flush()
if rc == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(int(rc))
EOF
chmod 755 "$SM"
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$SM"
echo 0 > "$T/sm.rc"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 0 "sendmail exit 0: sent"
if [ "$(cat "$T/sm.args")" = "$(printf -- '-t\n-i')" ]; then pass "sendmail: run with -t -i"
else fail "sendmail: run with -t -i" "$(cat "$T/sm.args")"; fi
if cmp -s "$T/sm.in" "$T/m1"; then pass "sendmail: message on stdin with LF ends"
else fail "sendmail: message on stdin with LF ends" "$(od -c "$T/sm.in" | head -3)"; fi
extra=$(cat "$T/sm.fds")
if [ -z "$extra" ]; then pass "sendmail: no descriptors beyond 0-2"
else fail "sendmail: no descriptors beyond 0-2" "$extra"; fi
echo 75 > "$T/sm.rc"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "sendmail exit 75: temporary"
expect_grep '^temp ' "sendmail exit 75: temp line"
echo 1 > "$T/sm.rc"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 1 "sendmail exit 1: permanent"
expect_grep '^fail .*exit 1: fake sendmail: exit 1' "sendmail exit 1: cause quotes its stderr"
echo kill > "$T/sm.rc"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "sendmail killed by a signal: temporary"
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/no-such-sendmail"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "sendmail missing: temporary"
expect_grep '^temp .*no-such-sendmail: cannot run' "sendmail missing: says so"

# --- file backend (Maildir) -----------------------------------------------
write_config EMAIL_BACKEND=file "EMAIL_FILE_PATH=$T/maildir/inbox"
(umask 022; "$MAIL_SEND" "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1" "$T/m2" > "$T/stdout" 2>&1)
rc=$?
out=$(cat "$T/stdout")
expect_rc 0 "file: sent"
expect_count "files in new/" "$(ls "$T/maildir/inbox/new" 2>/dev/null | wc -l | tr -d ' ')" 2 "file: two files in new/"
expect_count "files in tmp/" "$(ls -A "$T/maildir/inbox/tmp" 2>/dev/null | wc -l | tr -d ' ')" 0 "file: tmp/ left empty"
[ -d "$T/maildir/inbox/cur" ] && pass "file: cur/ made" || fail "file: cur/ made"
expect_count "mode of new/" "$(stat -c %a "$T/maildir/inbox/new")" 750 "file: directories 0770 less the umask"
first=$(ls "$T/maildir/inbox/new" | head -n 1)
if grep -q '<1@test>' "$T/maildir/inbox/new/"*; then
	f=$(grep -l '<1@test>' "$T/maildir/inbox/new/"*)
	if cmp -s "$f" "$T/m1.crlf"; then pass "file: message kept as given (CRLF)"
	else fail "file: message kept as given (CRLF)"; fi
else
	fail "file: message kept as given (CRLF)" "not found"
fi
case $first in
1@test.?*) pass "file: named after the Message-ID, then the host" ;;
*) fail "file: named after the Message-ID, then the host" "$first" ;;
esac
# The same message again (a pass killed before it recorded the delivery)
# replaces its copy instead of doubling it.
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 0 "file: sent again"
expect_count "files in new/" "$(ls "$T/maildir/inbox/new" 2>/dev/null | wc -l | tr -d ' ')" 2 "file: a repeat replaces its copy"
printf 'Subject: no id\r\n\r\nbody\r\n' > "$T/noid"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/noid"
expect_rc 0 "file: a message without a Message-ID"
n=$(ls "$T/maildir/inbox/new" | grep -c '^[0-9]*\.[0-9]*_[0-9]*_[0-9a-f]*\.')
expect_count "unique names" "$n" 1 "file: without a Message-ID, a unique name time.pid_counter_random.host"
: > "$T/not-a-dir"
write_config EMAIL_BACKEND=file "EMAIL_FILE_PATH=$T/not-a-dir/mail"
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 75 "file: unusable Maildir is temporary"
expect_grep "^temp .*$T/not-a-dir/mail" "file: failure names the path"

# --- console backend ------------------------------------------------------
write_config EMAIL_BACKEND=console
mail_send "$WATCHDOG_CONFIG" "$FROM" "$RCPT" "$T/m1"
expect_rc 0 "console: sent"
expect_grep '^Subject: \[watchdog #1\] test$' "console: message printed"
expect_grep '^-{70,}$' "console: separator line"
case $out in
*"$(printf '\r')"*) fail "console: LF line ends" ;;
*) pass "console: LF line ends" ;;
esac

finish
