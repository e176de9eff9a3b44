#!/bin/sh
# f cycles the filter (open, mine, overdue, all), s the order.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
"$WD" --create --title 'Overdue ticket' --deadline @1000000000 > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "Later ticket" "the queue"
tui_keys f
expect_screen "filter: mine" "f: mine"
tui_keys f
expect_screen "filter: overdue" "f: overdue"
expect_gone "Later ticket" "overdue filter hides future tickets"
expect_screen "Overdue ticket" "overdue filter shows the overdue one"
tui_keys f
expect_screen "filter: all" "f: all"
tui_keys f
expect_screen "filter: open" "f: back to open"
tui_keys s
expect_screen "sort: id" "s: sort by id"
tui_keys s
expect_screen "sort: priority" "s: sort by priority"
tui_keys s
expect_screen "sort: updated" "s: sort by updated"
tui_keys s
expect_screen "sort: urgency" "s: back to urgency"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
