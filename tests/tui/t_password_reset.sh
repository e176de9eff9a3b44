#!/bin/sh
# After --update-user --reset-password, the login screen asks for a new
# password (twice) before the queue; the one-time password then no longer
# works. A disabled account cannot log in.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
otp=$(WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update-user bob --reset-password 2>/dev/null)

tui_start
tui_login bob "$otp"
expect_screen "choose a new one" "the login asks for a new password"
expect_no_screen "ID +PRI" "not in the queue yet"
tui_type 'fresh stable horse 4'
tui_keys Enter
tui_type 'fresh stable horse 5'
tui_keys Enter
expect_screen "do not match" "passwords that differ are refused"
tui_type 'short'
tui_keys Enter
tui_type 'short'
tui_keys Enter
expect_screen "at least" "the password policy applies"
tui_type 'fresh stable horse 4'
tui_keys Enter
tui_type 'fresh stable horse 4'
tui_keys Enter
expect_screen "ID +PRI" "the queue once the new password is set"
expect_sql "SELECT must_change_password FROM users WHERE name = 'bob'" 0 "no longer must change"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

run -i 'fresh stable horse 4
' "$WD" --token --user bob --password-stdin
expect_rc 0 "the new password works for --token"
run -i "$otp
" "$WD" --token --user bob --password-stdin
expect_rc 77 "the one-time password is gone"

# --token at a terminal after a reset asks for the new password too.
otp=$(WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update-user bob --reset-password 2>/dev/null)
tui_start -- --token --user bob
expect_screen "^Password:" "--token asks for the password"
tui_type "$otp"
tui_keys Enter
expect_screen "was reset: choose a new one" "--token asks for a new password after a reset"
expect_screen "^New password:" "the new password prompt"
tui_type 'third stable horse 6'
tui_keys Enter
expect_screen "^Again:" "asked twice"
tui_type 'third stable horse 6'
tui_keys Enter
expect_screen "EXIT=0" "--token succeeds once the password is set"
expect_screen "^wdt_" "and prints the token"
tui_stop
expect_sql "SELECT must_change_password FROM users WHERE name = 'bob'" 0 "the forced change is stored"
run -i 'third stable horse 6
' "$WD" --token --user bob --password-stdin
expect_rc 0 "the password chosen at --token works"

# A disabled account is refused at the login screen.
WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --update-user bob --disable > /dev/null
tui_start
tui_login bob 'third stable horse 6'
expect_screen "bob is disabled" "a disabled account cannot log in"
expect_no_screen "ID +PRI" "no queue for a disabled account"
tui_keys C-c
expect_screen "EXIT=" "quit"
tui_stop
finish
