#!/bin/sh
# NO_COLOR: no colour escape sequences, the SLA words still there.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
"$WD" --create --title 'Overdue ticket' --deadline @1000000000 > /dev/null

tui_start NO_COLOR=1
tui_login bob 'battery staple 2'
expect_screen "Overdue ticket" "the queue"
if tm capture-pane -p -e -t 0 | grep -Eq '\[(3[0-7]|9[0-7]|38;5;)[0-9;]*m'; then
	fail "NO_COLOR: no colours" "$(tm capture-pane -p -e -t 0 | head -5)"
else
	pass "NO_COLOR: no colours"
fi
expect_screen "missed|breached" "NO_COLOR: state words shown"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
