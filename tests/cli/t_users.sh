#!/bin/sh
# Account administration: --users, --update-user, --password, disabled
# accounts, one-time passwords (watchdog(1), ACCOUNTS).
. "$(dirname "$0")/lib.sh"
setup_accounts
PY=/usr/bin/python3
printf 'battery staple 3\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user carol --email carol@example.org --password-stdin >/dev/null 2>&1
CAROL_TOKEN=$(printf 'battery staple 3\n' | "$WD" --token --user carol --password-stdin)
snapshot() { sql "SELECT name, email, role, disabled_at, must_change_password, password_hash FROM users ORDER BY id"; }

# --users: administrators only.
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --users
expect_rc 0 "--users as an administrator"
expect_grep '^bob	bob@example.org	user	active	' "--users lists bob"
expect_grep '^admin	admin@example.org	admin	active	.*	[0-9]{4}-' "--users shows the last login"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --users --json
printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert [list(a.keys()) for a in d] == [["name", "email", "admin", "disabled", "created_at", "last_login"]] * 3, d
a = {x["name"]: x for x in d}
assert a["admin"]["admin"] is True and a["bob"]["admin"] is False
assert a["bob"]["disabled"] is False
assert a["bob"]["created_at"].endswith("Z") and a["bob"]["last_login"].endswith("Z")
' && pass "--users --json fields" || fail "--users --json fields" "$out"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --users
expect_rc 77 "--users refused to a non-administrator"
expect_err "only an administrator" "--users refusal explained"

# --update-user: e-mail, one's own or (admins) anyone's.
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --update-user bob --email bob@new.example.org
expect_rc 0 "a user changes their own e-mail"
[ "$(sql "SELECT email FROM users WHERE name = 'bob'")" = bob@new.example.org ] && pass "own e-mail stored" || fail "own e-mail stored"
before=$(snapshot)
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --update-user carol --email x@example.org
expect_rc 77 "a user cannot change another account"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --update-user bob --admin
expect_rc 77 "a user cannot make themselves an administrator"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --email 'not an address'
expect_rc 65 "a bad address exits 65"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user nobody --admin
expect_rc 1 "a missing account exits 1"
expect_err "no account named 'nobody'" "the missing account is named"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob
expect_rc 64 "--update-user without a change exits 64"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --admin --no-admin
expect_rc 64 "--admin with --no-admin exits 64"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --disable --enable
expect_rc 64 "--disable with --enable exits 64"
run "$WD" --list --disable
expect_rc 64 "--disable belongs to --update-user"
# The last administrator.
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user admin --no-admin
expect_rc 77 "the last administrator cannot be demoted"
expect_err "last administrator" "last administrator explained"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user admin --disable
expect_rc 77 "the last administrator cannot be disabled"
[ "$(snapshot)" = "$before" ] && pass "refused changes left the accounts as they were" || fail "refused changes left the accounts as they were"

# Administrator role: grant, then the first one may step down.
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user carol --admin
expect_rc 0 "grant administrator"
WATCHDOG_TOKEN=$CAROL_TOKEN run "$WD" --users
expect_rc 0 "the new administrator lists accounts"
WATCHDOG_TOKEN=$CAROL_TOKEN run "$WD" --update-user carol --disable
expect_rc 0 "an administrator who is not the last may be disabled"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user admin --no-admin
expect_rc 77 "the last enabled administrator is protected (the other is disabled)"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user carol --enable
expect_rc 0 "enable again"

# Disabling: tokens refused at once, logins refused, tickets stay.
export WATCHDOG_TOKEN=$BOB_TOKEN
tid=$("$WD" --create --title 'Bob leaves' --deadline +2h)
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --disable
expect_rc 0 "disable bob"
run "$WD" --list
expect_rc 77 "a disabled account's token is refused at once"
expect_err "bob is disabled" "disabled token explained"
run -i 'battery staple 2
' "$WD" --token --user bob --password-stdin
expect_rc 77 "a disabled account cannot log in"
expect_err "bob is disabled" "disabled login explained"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --show "$tid"
expect_rc 0 "a disabled account's tickets stay"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --enable
expect_rc 0 "enable bob"
run "$WD" --list
expect_rc 77 "tokens revoked by the disabling stay revoked"
run -i 'battery staple 2
' "$WD" --token --user bob --password-stdin
expect_rc 0 "an enabled account logs in again"
BOB_TOKEN=$out

# --password: old, then new twice.
run -i 'battery staple 2
new stable horse 9
new stable horse 9
' "$WD" --password --user bob --password-stdin
expect_rc 0 "--password changes it"
run -i 'new stable horse 9
' "$WD" --token --user bob --password-stdin
expect_rc 0 "the new password works"
run -i 'battery staple 2
' "$WD" --token --user bob --password-stdin
expect_rc 77 "the old password no longer works"
before=$(snapshot)
run -i 'new stable horse 9
other stable horse 1
other stable horse 2
' "$WD" --password --user bob --password-stdin
expect_rc 65 "new passwords that differ exit 65"
run -i 'new stable horse 9
12345678
12345678
' "$WD" --password --user bob --password-stdin
expect_rc 65 "the password policy applies"
run -i 'wrong password here
other stable horse 1
other stable horse 1
' "$WD" --password --user bob --password-stdin
expect_rc 77 "a wrong old password exits 77"
[ "$(snapshot)" = "$before" ] && pass "refused password changes stored nothing" || fail "refused password changes stored nothing"

# --reset-password: a one-time password, to be changed at once.
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user bob --reset-password
expect_rc 0 "reset bob's password"
expect_grep '^[A-Za-z0-9]{16}$' "the one-time password alone on stdout"
otp=$out
expect_err "one-time password of bob" "the one-time password is announced on stderr"
run -i "$otp
" "$WD" --token --user bob --password-stdin
expect_rc 77 "a script cannot log in with a one-time password"
expect_err "was reset and must be changed first" "forced change explained"
run -i 'new stable horse 9
' "$WD" --token --user bob --password-stdin
expect_rc 77 "the old password is gone after a reset"
run -i "$otp
fresh stable horse 4
fresh stable horse 4
" "$WD" --password --user bob --password-stdin
expect_rc 0 "--password replaces the one-time password"
run -i 'fresh stable horse 4
' "$WD" --token --user bob --password-stdin
expect_rc 0 "the chosen password logs in without a forced change"

# Every change is in the audit trail.
events=$(sql_join , "SELECT DISTINCT event FROM audit WHERE event IN ('email_changed', 'admin_granted', 'account_disabled', 'account_enabled', 'password_changed', 'password_reset', 'login_refused') ORDER BY event")
[ "$events" = "account_disabled,account_enabled,admin_granted,email_changed,login_refused,password_changed,password_reset" ] && pass "account changes are audited" || fail "account changes are audited" "$events"
sql "SELECT detail FROM audit" | grep -q 'horse' && fail "no password in the audit trail" || pass "no password in the audit trail"

# A name that is not UTF-8 is no account, on either engine (PostgreSQL
# refuses such bytes: they never reach it).
B=$(printf 'x\377y')
run -i 'battery staple 2
' "$WD" --token --user "$B" --password-stdin
expect_rc 77 "a name that is not UTF-8: --token exit 77"
expect_err "wrong account name or password" "a name that is not UTF-8: --token says so"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --update-user "$B" --enable
expect_rc 1 "a name that is not UTF-8: --update-user exit 1"
expect_err "no account named" "a name that is not UTF-8: --update-user says so"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --revoke-tokens "$B"
expect_rc 1 "a name that is not UTF-8: --revoke-tokens exit 1"
expect_err "no account named" "a name that is not UTF-8: --revoke-tokens says so"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --list --assignee "$B"
expect_rc 65 "a name that is not UTF-8: --list --assignee exit 65"
expect_err "no account named" "a name that is not UTF-8: --assignee says so"

finish
