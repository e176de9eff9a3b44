#!/bin/sh
# DEFAULT_FROM_EMAIL with a display name (as Django takes it), the bare
# address as the SMTP envelope sender; keys set in the environment
# overriding the file (a crontab's EMAIL_PORT=... watchdog --check-sla),
# and --doctor saying where each setting came from (watchdog.conf(5)).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
mail_prereqs || { finish; exit 0; }

wait_received() {
	i=0
	while [ "$(received_count)" -lt "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

start_smtpd || fail "smtpd starts"
smtp_config "DEFAULT_FROM_EMAIL='\"SLA Wätchdog, Ops\" <noreply@example.com>'"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
run "$WD" --create --title 'From check' --deadline +3h
expect_rc 0 "--create with a display name in DEFAULT_FROM_EMAIL"
wait_received 1
[ "$(received_count)" = 1 ] && pass "the created notice arrived" || fail "the created notice arrived" "$(received_count)"
grep -qx 'from noreply@example.com' "$SMTP_MAILDIR/1.env" && pass "envelope sender is the bare address" ||
    fail "envelope sender is the bare address" "$(cat "$SMTP_MAILDIR/1.env")"
r=$($PY - "$(received 1)" <<'PYEOF'
import email, email.header, email.utils, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read())
raw = m['From']
name, addr = email.utils.parseaddr(raw)
name = str(email.header.make_header(email.header.decode_header(name)))
print('%s|%s' % (name, addr))
PYEOF
)
[ "$r" = "SLA Wätchdog, Ops|noreply@example.com" ] && pass "From: display name (RFC 2047) and address" ||
    fail "From: display name (RFC 2047) and address" "$r; $(grep -A1 '^From:' "$(received 1)")"

# The environment overrides the file: the file names a dead port, the
# crontab line the live one.
smtp_config EMAIL_PORT=1 EMAIL_TIMEOUT=3
"$WD" --create --title 'Due soon' --deadline +90m > /dev/null
# 31 minutes on, inside the warning window. libfaketime without the
# faketime wrapper: here the wrapper's second run failed ("sem_open: File
# exists") after a first run whose delivery failed.
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
run env LD_PRELOAD=$FAKETIME_LIB FAKETIME='+31m' "$WD" --check-sla
expect_rc 75 "the file's dead port: --check-sla exits 75"
# (Five minutes on, when the failed messages are due for their retry.)
run env EMAIL_PORT="$SMTP_PORT" LD_PRELOAD=$FAKETIME_LIB FAKETIME='+36m' "$WD" --check-sla
expect_rc 0 "EMAIL_PORT in the environment overrides the file"
wait_received 3
[ "$(received_count)" -ge 3 ] && pass "delivered through the environment's port" || fail "delivered through the environment's port" "$(received_count)"
run env EMAIL_PORT=notaport "$WD" --check-sla
expect_rc 78 "a bad value in the environment exits 78"
expect_err "environment: EMAIL_PORT" "the bad variable is named"
case "$err" in *notaport*) fail "the bad value is not echoed" "$err" ;; *) pass "the bad value is not echoed" ;; esac

# --doctor says where each setting came from, and prints no secret.
chmod 600 "$WATCHDOG_CONFIG"
run env EMAIL_PORT="$SMTP_PORT" EMAIL_HOST_PASSWORD=Sup3rSecretValue EMAIL_USE_TLS=false "$WD" --doctor
expect_grep "^ok   setting EMAIL_PORT: from the environment$" "doctor: EMAIL_PORT from the environment"
expect_grep "^ok   setting EMAIL_HOST_PASSWORD: from the environment$" "doctor: the password's source, not its value"
expect_grep "^ok   setting EMAIL_TIMEOUT: $T/watchdog.conf:[0-9]+$" "doctor: EMAIL_TIMEOUT from the file and line"
expect_grep "^ok   settings: [0-9]+ others at their defaults" "doctor: the rest are defaults"
case "$out$err" in *Sup3rSecretValue*) fail "doctor: no secret printed" ;; *) pass "doctor: no secret printed" ;; esac
finish
