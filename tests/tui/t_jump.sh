#!/bin/sh
# Jump to a ticket as the notices say ("watchdog, then #N"): # and :
# open ticket N, whatever the filter; / also finds a ticket by #N.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
for i in 1 2 3 4 5; do
	"$WD" --create --title "Filler $i" --deadline +${i}h > /dev/null
done
six=$("$WD" --create --title 'Printer on fire' --deadline +9h)
"$WD" --update "$six" --status resolved > /dev/null

# The created notice names the way to open it.
i=0
while ! grep -qs 'Printer on fire' "$T"/mail/new/* && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
mail=$(grep -ls 'Printer on fire' "$T"/mail/new/* | head -1)
if [ -n "$mail" ] && tr -d '\r' < "$mail" | grep -q "To open it: watchdog, then #$six\$"; then
	pass "the notice says: watchdog, then #$six"
else
	fail "the notice says: watchdog, then #$six" "$(grep -h 'open it' "$T"/mail/new/* 2>/dev/null)"
fi

tui_start
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "the queue"
expect_no_screen "Printer on fire" "resolved: not in the open queue"
# What the notice says, typed as it says it.
tui_type "#$six"
tui_keys Enter
expect_screen "Ticket #$six: Printer on fire" "#$six opens ticket $six"
tui_keys q
expect_screen "ID +PRI" "q goes back to the queue"
tui_type ":3"
tui_keys Enter
expect_screen "Ticket #3: Filler 3" ":3 opens ticket 3"
tui_keys q
tui_wait "ID +PRI"
tui_type "#99"
tui_keys Enter
expect_screen "no ticket #99" "a ticket that does not exist is said"
expect_screen "ID +PRI" "and the queue stays"
tui_type "#x"
tui_keys Enter
expect_screen "not a ticket number: x" "not a number is said"

# / finds a ticket by its id as well as by its words.
tui_keys f f f
expect_screen "filter: all" "filter all"
tui_keys /
tui_type "#$six"
tui_keys Enter
expect_screen "search: #$six" "search for #$six"
expect_screen "Printer on fire" "/#$six finds ticket $six"
expect_no_screen "Filler" "/#$six finds only it"
tui_keys /
tui_keys C-u
tui_type "2"
tui_keys Enter
expect_screen "Filler 2" "a bare number finds the id"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
