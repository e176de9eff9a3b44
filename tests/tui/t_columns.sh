#!/bin/sh
# Columns stay where they are: the countdown is padded and right-aligned,
# and the layout follows the terminal's width, not the rows shown.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_accounts
printf 'correct horse 9\n' | WATCHDOG_TOKEN=$ADMIN_TOKEN "$WD" --add-user \
    helpdesk-night-shift --email night@example.org --password-stdin >/dev/null 2>&1
export WATCHDOG_TOKEN=$BOB_TOKEN
"$WD" --create --title 'Later ticket' --deadline +5h > /dev/null
# "28m 0s left" about 60 seconds from now, then "27m 59s left": time
# for the terminal to start and the login to be accepted, even on a busy
# machine (15 seconds were once not enough).
"$WD" --create --title 'Ticking ticket' --deadline "@$(( $(date +%s) + 28 * 60 + 60 ))" > /dev/null

# The header line, and the column where the ticking countdown ends.
header() { tui_screen | sed -n 2p; }
left_end() {
	tui_screen | grep 'Ticking ticket' | awk '{ print index($0, " left") }'
}

tui_start -x 100 -y 30
tui_login bob 'battery staple 2'
if tui_wait "28m 0s left" 90; then
	h1=$(header)
	e1=$(left_end)
	# The next second (or the one after, on a busy machine).
	if tui_wait "27m 5[89]s left" 3; then
		h2=$(header)
		e2=$(left_end)
		[ "$h1" = "$h2" ] && pass "the header stays across 28m 0s -> 27m 59s" ||
		    fail "the header stays across 28m 0s -> 27m 59s" "'$h1' -> '$h2'"
		[ -n "$e1" ] && [ "$e1" = "$e2" ] && pass "the countdown stays right-aligned ($e1)" ||
		    fail "the countdown stays right-aligned" "'$e1' -> '$e2'"
	else
		fail "27m 59s follows 28m 0s" "$(tui_screen)"
	fi
else
	fail "28m 0s left shown" "$(tui_screen)"
fi

# A ticket with a long assignee moves nothing.
h1=$(header)
"$WD" --create --title 'Long assignee' --deadline +6h --assignee helpdesk-night-shift > /dev/null
expect_screen "Long assignee" "a script's ticket appears" 3
h2=$(header)
[ "$h1" = "$h2" ] && pass "the header stays as a ticket is added" ||
    fail "the header stays as a ticket is added" "'$h1' -> '$h2'"
expect_screen "helpdes… " "a long assignee is cut"

# Resize: laid out again for the new width.
tm resize-window -t 0 -x 80 -y 24
expect_screen "ID +PRI" "80x24 shows the queue"
w=$(tui_screen | wc -L)
[ "$w" -le 80 ] && pass "no line wider than 80 columns" || fail "no line wider than 80 columns" "$w"
expect_screen " LEFT$" "the LEFT header ends at the edge at 80 columns"
tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
