#!/bin/sh
# n: a new ticket through the form; a bad deadline is said in the form;
# the created notice goes out without waiting.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "the queue"
tui_keys n
expect_screen "New ticket" "n opens the form"
tui_type 'Made in the form'
tui_keys Tab
tui_type 'soon'
tui_keys Enter
expect_screen "bad deadline" "a bad deadline is said in the form"
expect_screen "Made in the form" "typed title kept"
tui_keys C-u
tui_type '+3h'
tui_keys Enter
expect_gone "New ticket" "the form closes"
expect_screen "Made in the form" "new ticket in the queue"
expect_sql "SELECT count(*) FROM tickets WHERE title = 'Made in the form'" 1 "form creates the ticket"
i=0
while [ "$(grep -l 'Made in the form' "$T"/mail/new/* 2>/dev/null | wc -l)" = 0 ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
[ $i -lt 30 ] && pass "created notice delivered without waiting" || fail "created notice delivered without waiting"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
