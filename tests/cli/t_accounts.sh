#!/bin/sh
# Accounts, passwords, tokens, lockout, registration.
. "$(dirname "$0")/lib.sh"

pw() { printf '%s\n' "$@"; }

run -i "$(pw 'correct horse 1')" "$WD" --add-user admin --email admin@example.org --password-stdin
expect_rc 0 "first --add-user needs no authentication"
expect_grep "first account, so it is an administrator" "first account is an administrator"
r=$(sql "SELECT role FROM users WHERE name='admin'")
[ "$r" = admin ] && pass "role admin stored" || fail "role admin stored" "$r"

run -i "$(pw 'battery staple 2')" "$WD" --add-user bob --email bob@example.org --password-stdin --user nobody
expect_rc 77 "second --add-user without an admin is refused"

run -i "$(pw 'correct horse 1')" "$WD" --token --user admin --password-stdin
expect_rc 0 "--token with the right password"
ADMIN_TOKEN=$out
printf '%s\n' "$ADMIN_TOKEN" | grep -Eq '^wdt_[A-Za-z0-9_-]{43}$' && pass "token is shell-safe" || fail "token is shell-safe" "$ADMIN_TOKEN"
[ -z "$err" ] && pass "--token prints only the token" || fail "--token prints only the token" "$err"
# Stored as a 32-byte hash, never as the 47 characters of the token.
n=$(sql "SELECT count(*) || ' ' || sum(CASE WHEN length(hash) = 32 THEN 1 ELSE 0 END) FROM tokens")
[ "$n" = "1 1" ] && pass "token not stored in clear" || fail "token not stored in clear" "$n"

# An administrator adds accounts with a token...
WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'battery staple 2')" "$WD" --add-user bob --email bob@example.org --password-stdin
expect_rc 0 "admin token adds an account"
# ...or with the password: first line the admin's, second the new one's.
run -i "$(pw 'correct horse 1' 'carol secret 3')" "$WD" --add-user carol --email carol@example.org --admin --user admin --password-stdin
expect_rc 0 "admin password adds an administrator"
r=$(sql "SELECT role FROM users WHERE name='carol'")
[ "$r" = admin ] && pass "--admin honoured" || fail "--admin honoured" "$r"

run -i "$(pw 'battery staple 2')" "$WD" --token --user bob --password-stdin
BOB_TOKEN=$out
WATCHDOG_TOKEN=$BOB_TOKEN run -i "$(pw 'dave secret 44')" "$WD" --add-user dave --email dave@example.org --password-stdin
expect_rc 77 "a user's token cannot add accounts"
expect_err "only an administrator" "refusal explained"

WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'dave secret 44')" "$WD" --add-user 'dave;rm' --email dave@example.org --password-stdin
expect_rc 65 "bad account name is invalid data"
WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'dave secret 44')" "$WD" --add-user dave --email 'dave@example.org>' --password-stdin
expect_rc 65 "bad e-mail is invalid data"
WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'password1')" "$WD" --add-user dave --email dave@example.org --password-stdin
expect_rc 65 "common password refused"
expect_err "too common" "common password explained"
WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'short')" "$WD" --add-user dave --email dave@example.org --password-stdin
expect_rc 65 "short password refused"
WATCHDOG_TOKEN=$ADMIN_TOKEN run -i "$(pw 'battery staple 2')" "$WD" --add-user BOB --email bob@example.org --password-stdin
expect_rc 65 "taken name refused"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --add-user dave --email dave@example.org --password-stdin
expect_rc 64 "no password on stdin is a usage error"
n=$(sql "SELECT count(*) FROM users")
[ "$n" = 3 ] && pass "failed --add-user wrote nothing" || fail "failed --add-user wrote nothing" "$n"
run "$WD" --add-user dave --email dave@example.org --user admin
expect_rc 64 "no terminal and no --password-stdin"
expect_err "password-stdin" "points at --password-stdin"

# Registration.
run -i "$(pw 'erin secret 55')" "$WD" --register erin --email erin@example.org --password-stdin
expect_rc 0 "--register when allowed"
r=$(sql "SELECT role FROM users WHERE name='erin'")
[ "$r" = user ] && pass "registered account is a user" || fail "registered account is a user" "$r"
write_config 'ALLOW_REGISTRATION=no'
run -i "$(pw 'fred secret 66')" "$WD" --register fred --email fred@example.org --password-stdin
expect_rc 77 "--register when turned off"
write_config

# Wrong passwords, unknown accounts, lockout per Unix user.
run -i "$(pw 'wrong horse')" "$WD" --token --user bob --password-stdin
expect_rc 77 "wrong password exits 77"
e1=$err
run -i "$(pw 'wrong horse')" "$WD" --token --user nosuchuser --password-stdin
expect_rc 77 "unknown account exits 77"
[ "$e1" = "$err" ] && pass "same message for unknown account" || fail "same message for unknown account" "$e1 / $err"
write_config LOGIN_MAX_FAILURES=3 LOGIN_LOCKOUT_MINUTES=10
run -i "$(pw 'wrong horse')" "$WD" --token --user bob --password-stdin
run -i "$(pw 'wrong horse')" "$WD" --token --user bob --password-stdin
expect_err "locked .* until" "third failure locks the account"
run -i "$(pw 'battery staple 2')" "$WD" --token --user bob --password-stdin
expect_rc 77 "locked account refuses the right password"
expect_err "locked" "lockout said"
run -i "$(pw 'battery staple 2')" faketime -f '+11m' "$WD" --token --user bob --password-stdin
expect_rc 0 "lock ends after LOGIN_LOCKOUT_MINUTES"
n=$(sql "SELECT count(*) FROM audit WHERE event IN ('login','login_failed','lockout','login_locked')")
[ "$n" -ge 8 ] && pass "logins audited" || fail "logins audited" "$n"
write_config

# Tokens: missing, unknown, revoked.
run "$WD" --list
expect_rc 77 "no token exits 77"
expect_err "WATCHDOG_TOKEN" "missing token explained"
WATCHDOG_TOKEN=wdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA run "$WD" --list
expect_rc 77 "unknown token exits 77"
WATCHDOG_TOKEN="not a token" run "$WD" --list
expect_rc 77 "malformed token exits 77"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --revoke-tokens admin
expect_rc 77 "a user cannot revoke another's tokens"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --revoke-tokens
expect_rc 0 "--revoke-tokens revokes your own"
expect_grep "revoked 2 tokens of bob" "count of revoked tokens"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --list
expect_rc 77 "revoked token exits 77"
expect_err "revoked" "revocation explained"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --revoke-tokens bob
expect_rc 0 "an administrator revokes another's tokens"
WATCHDOG_TOKEN=$ADMIN_TOKEN run "$WD" --revoke-tokens nosuch
expect_rc 1 "unknown account to revoke"

finish
