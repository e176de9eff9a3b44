#!/bin/sh
# The ticket view shows every time in local time, the deadlines of its
# history too; ISO 8601 UTC is for --json.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
d1=$(( $(date +%s) + 7200 ))
d2=$(( d1 + 86400 + 1800 ))
id=$("$WD" --create --title 'Moved deadline' --deadline "@$d1")
"$WD" --update "$id" --deadline "@$d2" > /dev/null
l1=$(TZ=Europe/Berlin date -d "@$d1" '+%Y-%m-%d %H:%M')
l2=$(TZ=Europe/Berlin date -d "@$d2" '+%Y-%m-%d %H:%M')

TZ=Europe/Berlin
tui_start -x 100 -y 30
TZ=UTC
tui_login bob 'battery staple 2'
expect_screen "Moved deadline" "the queue"
tui_keys Enter
expect_screen "History" "the ticket view"
expect_screen "deadline: $l1 -> $l2" "the history's deadlines in local time"
expect_screen "^Deadline: +$l2 *\$" "the deadline field in local time alone"
expect_no_screen "[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z" "no ISO 8601 in the view"
tui_keys q
tui_wait "ID +PRI"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop

# JSON keeps ISO 8601 UTC.
run "$WD" --show "$id" --json
expect_grep "\"deadline\": *\"[0-9-]+T[0-9:]+Z\"" "--show --json: ISO 8601"
finish
