#!/bin/sh
# Resize: 80x24 usable, too small said, back again; ? shows the help.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Soon ticket 打印机' --deadline +30m --assignee admin > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "Soon ticket" "the queue"
tui_keys '?'
expect_screen "cycle the filter" "? shows the help"
tui_keys q
expect_gone "cycle the filter" "q leaves the help"
tm resize-window -t 0 -x 80 -y 24
expect_screen "ID +PRI" "80x24 shows the queue"
w=$(tui_screen | wc -L)
[ "$w" -le 80 ] && pass "no line wider than 80 columns" || fail "no line wider than 80 columns" "$w"
expect_screen "q:quit" "80x24 keeps the hint line"
tm resize-window -t 0 -x 50 -y 10
expect_screen "terminal too small" "too small is said"
tm resize-window -t 0 -x 100 -y 30
expect_screen "ID +PRI" "back to full size"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
