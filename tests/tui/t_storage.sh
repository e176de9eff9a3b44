#!/bin/sh
# The terminal UI and the database's locks: the login screen comes up at
# once while another process holds the write lock (opening the database
# reads the schema version, it does not wait for the lock), and logging
# in goes through once the lock is gone.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts

# Another writer holds the write lock for 6 s.
hold_write_lock 6 || fail "another writer took the lock"

tui_start
expect_screen "Account:" "write lock held: the login screen comes up at once" 2
expect_no_screen "busy|EXIT=" "write lock held: no busy error, still running"
wait
tui_login admin 'correct horse 1'
expect_screen "admin +0 open" "lock gone: the login goes through"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
