#!/bin/sh
# The terminal UI: first run, login failures and success, registration,
# quitting, refusing to run without a terminal.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

run "$WD"
expect_rc 64 "no terminal: usage error"
expect_err "needs a terminal" "no terminal: explained"

# First run: no accounts yet.
tui_start
expect_screen "no accounts yet" "first run screen"
# Enter on the first field moves on: the hint must not promise more.
expect_screen "Enter: next, create" "first run: the hint says Enter moves on"
tui_type admin; tui_keys Enter
tui_type admin@example.org; tui_keys Enter
tui_type 'correct horse 1'; tui_keys Enter
tui_type 'correct horse 2'; tui_keys Enter
expect_screen "do not match" "first run: mismatched passwords refused"
expect_screen "Account: admin" "first run: typed name kept"
# Fill the passwords again (the cursor is back on the password).
tui_type 'correct horse 1'; tui_keys Enter
tui_type 'correct horse 1'; tui_keys Enter
expect_screen "admin +0 open +0 warning +0 missed" "first run: logged in to the queue"
expect_no_screen "correct horse" "passwords never shown"
r=$(sql "SELECT role FROM users WHERE name = 'admin'")
[ "$r" = admin ] && pass "first run creates an administrator" || fail "first run creates an administrator" "$r"
tui_keys q
expect_screen "EXIT=0" "q quits with status 0"
tui_stop

# Login: a wrong password is said on screen and the program stays up.
tui_start
expect_screen "Enter: next, log in" "login: the hint says Enter moves on"
tui_login admin 'wrong horse'
expect_screen "wrong account name or password" "wrong password said on screen"
expect_no_screen "wrong horse" "password not echoed"
tui_keys Escape
tui_login admin 'correct horse 1'
expect_screen "admin +0 open" "login after a failure"
tui_keys q
expect_screen "EXIT=0" "quit after login"
tui_stop

# --user prefills the account name.
tui_start -- --user admin
expect_screen "Account: admin" "--user prefills the name"
tui_stop

# Registration with Ctrl-R; no letter is a command in a text field.
tui_start
tui_wait 'Account:'
tui_type 'qrfn'
expect_screen "Account: qrfn" "letters go into the field"
tui_keys Escape
tui_keys C-r
expect_screen "Register" "Ctrl-R opens registration"
tui_type bob; tui_keys Enter
tui_type bob@example.org; tui_keys Enter
tui_type 'battery staple 2'; tui_keys Enter
tui_type 'battery staple 2'; tui_keys Enter
expect_screen "account bob created" "registration creates the account"
tui_login bob 'battery staple 2'
expect_screen "bob +0 open" "the new account logs in"
tui_stop
r=$(sql "SELECT role FROM users WHERE name = 'bob'")
[ "$r" = user ] && pass "registered account is a user" || fail "registered account is a user" "$r"

write_config ALLOW_REGISTRATION=false
tui_start
tui_wait 'Account:'
tui_keys C-r
expect_screen "registration is turned off" "Ctrl-R when registration is off"
tui_stop

finish
