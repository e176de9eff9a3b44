#!/bin/sh
# Enter opens a ticket, q goes back; r resolves from the queue.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
id=$("$WD" --create --title 'Overdue ticket' --deadline @1000000000)

tui_start
tui_login bob 'battery staple 2'
expect_screen "Overdue ticket" "the queue"
tui_keys g Enter
expect_screen "Ticket #$id" "Enter opens the ticket"
expect_screen "History" "the view shows the history"
tui_keys q
expect_screen "ID +PRI" "q goes back to the queue"
tui_keys g r
expect_screen "ticket #$id resolved" "r resolves"
expect_sql "SELECT status FROM tickets WHERE id = $id" resolved "resolved in the database"
expect_gone "Overdue ticket" "a resolved ticket leaves the open queue"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
