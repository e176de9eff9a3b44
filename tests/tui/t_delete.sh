#!/bin/sh
# d asks first: n keeps the ticket, y deletes it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
id=$("$WD" --create --title 'Doomed ticket' --deadline +1h)

tui_start
tui_login bob 'battery staple 2'
expect_screen "Doomed ticket" "the queue"
tui_keys g d
expect_screen "Delete ticket #$id" "d asks first"
tui_keys n
expect_screen "ticket #$id kept" "n says it is kept"
expect_gone "Delete ticket #" "n keeps it"
expect_sql "SELECT count(*) FROM tickets WHERE id = $id" 1 "n: still in the database"
tui_keys d
expect_screen "Delete ticket #$id" "d asks again"
tui_keys y
expect_screen "ticket #$id deleted" "y deletes"
expect_sql "SELECT count(*) FROM tickets WHERE id = $id" 0 "y: gone from the database"
expect_gone "Doomed ticket" "y: gone from the queue"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
