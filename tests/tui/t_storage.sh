#!/bin/sh
# The terminal UI and the database's locks: the login screen comes up at
# once while another process holds the write lock (opening the database
# reads the schema version, it does not wait for the lock), and logging
# in goes through once the lock is gone.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
db="$T/db/watchdog.db"

# Hold the write lock from the sqlite3 shell for 6 s; returns once held.
rm -f "$T/held"
( printf '.timeout 5000\nBEGIN IMMEDIATE;\n.shell touch %s\n' "$T/held"
  sleep 6; printf 'ROLLBACK;\n' ) | sqlite3 "$db" > /dev/null 2>&1 &
i=0
while [ ! -e "$T/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$T/held" ] || fail "the sqlite3 shell took the lock"

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
