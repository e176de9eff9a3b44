#!/bin/sh
# A paused ticket in the terminal UI (watchdog(1), SLA POLICIES, Pauses):
# the queue shows it paused with its time left frozen, the ticket view
# "paused, 2h 10m left"; taken back into work, it counts down again.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
write_config
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
# Made and paused within one second (the clock held at this second's
# start), so that a slow machine cannot take a minute off the time left.
now=$(date -u '+%Y-%m-%d %H:%M:%S')
id=$(faketime -f "@$now" "$WD" --create --title 'Waiting on the customer' \
    --deadline +130m)
"$WD" --create --title 'Running' --deadline +5h > /dev/null
# 2h 10m left when the clock stops, and so it stays.
faketime -f "@$now" "$WD" --update "$id" --status on_hold > /dev/null

# The interface runs an hour ahead (libfaketime): the running ticket has
# an hour less, the paused one the same.
for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
	[ -f "$lib" ] && break
done
tui_start -x 120 "LD_PRELOAD=$lib" 'FAKETIME=+1h'
tui_login bob 'battery staple 2'
expect_screen "ID +PRI" "the queue"
expect_screen "on_hold +paused +Waiting on the customer.* 2h 10m left" "the queue: paused, 2h 10m left an hour later"
expect_screen "Running.* 3h 59m left" "a running ticket counts down beside it"
tui_type ":$id"
tui_keys Enter
expect_screen "SLA: +paused" "the view: SLA paused"
expect_screen "Left: +paused, 2h 10m left" "the view: the time left frozen"
tui_keys q
# Back into work from another session: the countdown runs again, and the
# deadline moved out by the time paused.
"$WD" --update "$id" --status in_progress > /dev/null
# (Resumed now, in real time: the deadline moved by the seconds paused.)
expect_screen "in_progress +ok +Waiting on the customer.* 1h (9|10)m left" "resumed: counting down again" 5
expect_no_screen "paused" "resumed: no longer paused"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
