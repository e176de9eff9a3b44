#!/bin/sh
# The queue: title bar, columns, counts, the most urgent on top, wide
# characters, countdowns that tick, a script's change appearing.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
"$WD" --create --title 'Soon ticket 打印机' --deadline +30m --priority urgent --assignee admin > /dev/null
"$WD" --create --title 'Overdue ticket' --deadline @1000000000 > /dev/null

countdown() { tui_screen | grep 'Soon ticket' | grep -Eo '[0-9]+m [0-9]+s left'; }

tui_start
tui_login bob 'battery staple 2'
expect_screen "filter: open +sort: urgency" "title bar"
expect_screen "ID +PRI +STATUS +SLA +TITLE" "column header"
expect_screen "bob +3 open +1 warning +1 missed" "status line counts"
expect_screen "q:quit" "key hint"
expect_screen "Overdue ticket" "rows drawn"
first=$(tui_screen | sed -n 3p)
case "$first" in *"Overdue ticket"*) pass "most urgent on top" ;; *) fail "most urgent on top" "$(tui_screen)" ;; esac
expect_screen "Soon ticket 打印机" "wide characters drawn"
l1=$(countdown)
i=0
l2=$l1
while [ "$l2" = "$l1" ] && [ $i -lt 30 ]; do sleep 0.1; l2=$(countdown); i=$((i + 1)); done
[ -n "$l1" ] && [ -n "$l2" ] && [ "$l1" != "$l2" ] && pass "the countdown ticks ($l1 -> $l2)" || fail "the countdown ticks" "'$l1' '$l2'"
expect_screen "overdue " "overdue countdown"

# A change by a script appears within two seconds.
"$WD" --create --title 'From a script' --deadline +2h > /dev/null
expect_screen "From a script" "a script's ticket appears" 3
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
