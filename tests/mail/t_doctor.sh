#!/bin/sh
# --doctor's mail check against tests/mail/smtpd.py: it connects, says EHLO
# (STARTTLS and AUTH when set) and QUIT, sends nothing, and never prints
# the password; the sendmail and file backends are looked at, not run.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

mail_prereqs || { finish; exit 0; }
if ! make_certs; then
	fail "test certificates made" "$(cat "$T/openssl.out")"
	finish
	exit 0
fi
"$WD" --init > /dev/null

# doctor: run --doctor with the configuration as written (kept private).
doctor() {
	chmod 600 "$WATCHDOG_CONFIG"
	run "$WD" --doctor
}

start_smtpd || fail "smtpd starts"
smtp_config
doctor
expect_rc 0 "plain: --doctor exits 0"
expect_grep "^ok   mail: smtp 127.0.0.1:$SMTP_PORT: the server answered EHLO$" "plain: ok line"
sleep 0.3
[ "$(count_log '>> EHLO')" = 1 ] && pass "plain: EHLO" || fail "plain: EHLO" "$(cat "$SMTP_LOG")"
[ "$(count_log '>> QUIT')" = 1 ] && pass "plain: QUIT" || fail "plain: QUIT" "$(cat "$SMTP_LOG")"
[ "$(count_log '>> (MAIL|RCPT|DATA)')" = 0 ] && pass "plain: nothing sent" || fail "plain: nothing sent" "$(cat "$SMTP_LOG")"

start_smtpd --starttls "$CERTS/server.pem" "$CERTS/server.key" --auth 'mailer:s3cret pass'
smtp_config EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
    "EMAIL_HOST_PASSWORD='s3cret pass'" "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
doctor
expect_rc 0 "starttls+auth: --doctor exits 0"
expect_grep "^ok   mail: smtp 127.0.0.1:$SMTP_PORT \(STARTTLS\): the server answered EHLO and accepted the login$" "starttls+auth: ok line"
sleep 0.3
[ "$(count_log 'auth ok')" = 1 ] && pass "starttls+auth: logged in" || fail "starttls+auth: logged in" "$(cat "$SMTP_LOG")"
[ "$(count_log '>> QUIT')" = 1 ] && pass "starttls+auth: QUIT over TLS" || fail "starttls+auth: QUIT over TLS" "$(cat "$SMTP_LOG")"

smtp_config EMAIL_USE_TLS=true EMAIL_HOST_USER=mailer \
    "EMAIL_HOST_PASSWORD=Wr0ngPassw0rd" "EMAIL_SSL_CAFILE=$CERTS/ca.pem"
doctor
expect_rc 1 "wrong password: --doctor exits 1"
expect_grep "^FAIL mail: smtp .*authentication failed" "wrong password: FAIL line"
case "$out$err" in
*Wr0ngPassw0rd* | *mailer*) fail "wrong password: no secret printed" "$out" ;;
*) pass "wrong password: no secret printed" ;;
esac

stop_smtpd
doctor
expect_rc 1 "server down: --doctor exits 1"
expect_grep "^FAIL mail: smtp 127.0.0.1:$SMTP_PORT \\(STARTTLS\\): 127.0.0.1:$SMTP_PORT: connection refused$" "server down: FAIL line"

# sendmail: the program must be there and executable by the user.
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/no-such-sendmail"
doctor
expect_rc 1 "sendmail missing: exits 1"
expect_grep "^FAIL mail: sendmail $T/no-such-sendmail: .*No such file" "sendmail missing: FAIL line"
printf '#!/bin/sh\ncat > /dev/null\n' > "$T/sendmail"
chmod 755 "$T/sendmail"
write_config EMAIL_BACKEND=sendmail "SENDMAIL_PATH=$T/sendmail"
doctor
expect_rc 0 "sendmail: exits 0"
expect_grep "^ok   mail: sendmail $T/sendmail: executable$" "sendmail: ok line"

# file: a Maildir not made yet is fine when it can be made.
write_config EMAIL_BACKEND=file "EMAIL_FILE_PATH=$T/new-mail/box"
doctor
expect_rc 0 "file, not made yet: exits 0"
expect_grep "^ok   mail: file $T/new-mail/box: not there yet" "file, not made yet: ok line"
[ ! -e "$T/new-mail" ] && pass "file: --doctor makes nothing" || fail "file: --doctor makes nothing"

finish
