#!/bin/sh
# /: a search narrows the rows and shows in the title bar; Esc clears it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
"$WD" --create --title 'Printer jams' --deadline +3h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "Later ticket" "the queue"
tui_keys /
tui_type 'printer'
tui_keys Enter
expect_screen "search: printer" "search shown in the title bar"
expect_gone "Later ticket" "search narrows the rows"
expect_screen "Printer jams" "search keeps what matches (any case)"
tui_keys /
tui_keys Escape
expect_screen "Later ticket" "Esc clears the search"
expect_no_screen "search:" "no search in the title bar"
tui_keys /
tui_type 'nothing like it'
tui_keys Enter
expect_screen "no tickets match" "no match is said"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
