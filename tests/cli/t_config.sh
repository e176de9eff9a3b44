#!/bin/sh
# Configuration: lookup order, errors naming file, line and key, .env.
. "$(dirname "$0")/lib.sh"

printf 'EMAIL_PROT=25\n' > "$T/bad.conf"
run "$WD" --config "$T/bad.conf" --init
expect_rc 78 "unknown key exits 78"
expect_err "bad.conf:1: .*EMAIL_PROT.*did you mean EMAIL_PORT" "near miss suggested"

printf '# comment\n\nEMAIL_PORT = 99999\n' > "$T/bad.conf"
run "$WD" --config "$T/bad.conf" --init
expect_rc 78 "bad value exits 78"
expect_err "bad.conf:3: EMAIL_PORT" "bad value names line and key"
case "$err" in *99999*) fail "value not echoed" "$err" ;; *) pass "value not echoed" ;; esac

printf 'EMAIL_HOST_PASSWORD="s3cret\n' > "$T/bad.conf"
run "$WD" --config "$T/bad.conf" --init
expect_rc 78 "unterminated quote exits 78"
case "$err" in *s3cret*) fail "password not echoed" "$err" ;; *) pass "password not echoed" ;; esac

printf 'DATABASE_URL=mysql://u@h/db\n' > "$T/bad.conf"
run "$WD" --config "$T/bad.conf" --init
expect_rc 78 "another engine's URL exits 78"
expect_err "unsupported scheme" "another engine refused clearly"

printf 'EMAIL_HOST=smtp.example.org\nEMAIL_HOST_USER=me\nEMAIL_HOST_PASSWORD=pw\n' > "$T/bad.conf"
run "$WD" --config "$T/bad.conf" --init
expect_rc 78 "SMTP AUTH without TLS is refused"
expect_err "bad.conf:2: EMAIL_HOST_USER: .*in clear" "AUTH without TLS explained"

run "$WD" --config "$T/missing.conf" --init
expect_rc 78 "missing --config file exits 78"
expect_err "missing.conf" "missing file named"

WATCHDOG_CONFIG="$T/missing.conf" run "$WD" --init
expect_rc 78 "missing WATCHDOG_CONFIG file exits 78"

# --config wins over WATCHDOG_CONFIG.
cat > "$T/good.conf" <<CONF
DATABASE_URL=sqlite:///$T/other/db.sqlite
CONF
run "$WD" --config "$T/good.conf" --init
expect_rc 0 "--config file used"
[ -f "$T/other/db.sqlite" ] && pass "sqlite:/// URL honoured" || fail "sqlite:/// URL honoured"

# A Django .env works as it is.
cat > "$T/django.env" <<CONF
SECRET_KEY='django-insecure-abc\$%^&*'
DEBUG=True
DATABASE_URL=sqlite:///$T/django/db.sqlite3
EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
EMAIL_HOST=smtp.example.org
EMAIL_PORT=587
EMAIL_USE_TLS=True
EMAIL_HOST_USER=watchdog@example.org
EMAIL_HOST_PASSWORD="app password"
DEFAULT_FROM_EMAIL=watchdog@example.org
SLA_WARNING_MINUTES=30
CONF
run "$WD" --config "$T/django.env" --init
expect_rc 0 "Django .env accepted"

# --db overrides DATABASE_URL.
run "$WD" --db "$T/flag.db" --init
expect_rc 0 "--db accepted"
[ -f "$T/flag.db" ] && pass "--db path used" || fail "--db path used"

finish
