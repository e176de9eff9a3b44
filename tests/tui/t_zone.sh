#!/bin/sh
# Times on the screen name their zone once, in the title bar, from the
# local zone's abbreviation at the time shown.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Zoned ticket' --deadline +3h > /dev/null

zone() { TZ=$1 date '+%Z'; }

for tz in Europe/Berlin America/New_York UTC; do
	want="times in $(zone $tz)"
	TZ=$tz
	tui_start -x 100 -y 30
	TZ=UTC
	tui_login bob 'battery staple 2'
	expect_screen "sort: .*$want *\$" "$tz: the queue says $want"
	tui_keys Enter
	expect_screen "Ticket #1: .*$want *\$" "$tz: the ticket view says $want"
	tui_keys q
	tui_wait "ID +PRI"
	tui_keys q
	tui_wait "EXIT=0"
	tui_stop
done
finish
