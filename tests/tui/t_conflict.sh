#!/bin/sh
# An edit saved after a script changed the ticket: the conflict dialog
# shows what changed, r reloads, and nothing is silently overwritten.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
soon=$("$WD" --create --title 'Soon ticket 打印机' --deadline +30m --priority urgent --assignee admin)
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "Soon ticket" "the queue"
tui_keys g e
expect_screen "Edit ticket #$soon" "e opens the edit form"
tui_type ' (edited)'
"$WD" --update "$soon" --priority low > /dev/null
tui_keys Enter
expect_screen "changed by someone else" "conflict dialog"
expect_screen "priority: urgent -> low" "conflict shows what changed"
tui_keys r
expect_screen "Edit ticket #$soon" "r reloads the form"
tui_keys Enter
expect_screen "Soon ticket 打印机 \(edited\)" "re-applied edit saved"
expect_sql "SELECT title || '|' || priority FROM tickets WHERE id = $soon" "Soon ticket 打印机 (edited)|low" "nothing silently overwritten"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
