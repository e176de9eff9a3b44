#!/bin/sh
# A: the accounts screen of an administrator, with the actions of
# --update-user: e-mail, administrator, disable (asks first), password
# reset (asks first, shows the one-time password once).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts

# Not for an ordinary account.
tui_start -x 100 -y 30
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "bob's queue"
tui_keys A
expect_screen "only an administrator" "A is refused to a non-administrator"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

tui_start -x 100 -y 30
tui_login admin 'correct horse 1'
expect_screen "ID +PRI" "the admin's queue"
tui_keys A
expect_screen "SLA Watchdog  accounts" "A opens the accounts screen"
expect_screen "^ *admin +admin@example.org +admin +active" "admin listed"
expect_screen "bob +bob@example.org +user +active" "bob listed"
# The rows are by name: admin, then bob.
tui_keys j
# m: the e-mail address.
tui_keys m
expect_screen "E-mail:" "m asks for the address"
tui_keys C-u
tui_type 'bob@new.example.org'
tui_keys Enter
expect_sql "SELECT email FROM users WHERE name = 'bob'" "bob@new.example.org" "m changes the e-mail address"
expect_screen "bob +bob@new.example.org" "the row shows it"
# a: administrator.
tui_keys a
expect_sql "SELECT role FROM users WHERE name = 'bob'" "admin" "a makes bob an administrator"
expect_screen "bob +bob@new.example.org +admin" "the row shows it"
tui_keys a
expect_sql "SELECT role FROM users WHERE name = 'bob'" "user" "a again takes it back"
# x: disable, after a question; n keeps it.
tui_keys x
expect_screen "Disable bob\\?" "x asks first"
tui_keys n
expect_gone "Disable bob\\?" "n answers"
expect_sql "SELECT CASE WHEN disabled_at IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'bob'" 1 "n leaves it enabled"
tui_keys x
expect_screen "Disable bob\\?" "x again"
tui_keys y
expect_sql "SELECT CASE WHEN disabled_at IS NOT NULL THEN 1 ELSE 0 END FROM users WHERE name = 'bob'" 1 "y disables bob"
expect_screen "bob +bob@new.example.org +user +disabled" "the row shows it"
WATCHDOG_TOKEN=$BOB_TOKEN run "$WD" --list
expect_rc 77 "bob's token is refused at once"
tui_keys x
expect_screen "Enable bob\\?" "x on a disabled account enables"
tui_keys y
expect_sql "SELECT CASE WHEN disabled_at IS NULL THEN 1 ELSE 0 END FROM users WHERE name = 'bob'" 1 "y enables bob"
# p: reset, the one-time password shown once.
tui_keys p
expect_screen "Reset the password of bob\\?" "p asks first"
tui_keys y
expect_screen "one-time password of bob is [A-Za-z0-9]{16}" "the one-time password is shown"
otp=$(tui_screen | grep -Eo 'bob is [A-Za-z0-9]{16}' | head -1 | cut -c8-)
tui_keys Enter
expect_gone "one-time password of bob" "and goes away"
expect_screen "bob +bob@new.example.org +user +must-change" "the row says it must change"
# The last administrator is protected here too.
tui_keys k a
expect_screen "last administrator" "the last administrator cannot be demoted"
expect_sql "SELECT role FROM users WHERE name = 'admin'" "admin" "admin stays an administrator"
tui_keys q
expect_screen "ID +PRI" "q goes back to the queue"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

run -i "$otp
" "$WD" --token --user bob --password-stdin
expect_rc 77 "the shown one-time password must be changed first"
expect_err "must be changed first" "as the one-time password it is"
expect_sql "SELECT count(*) FROM audit WHERE event IN ('email_changed', 'admin_granted', 'admin_revoked', 'account_disabled', 'account_enabled', 'password_reset') AND name = 'admin'" 6 "the screen's changes are audited as admin's"
finish
