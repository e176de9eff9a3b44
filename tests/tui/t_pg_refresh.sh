#!/bin/sh
# Live refresh on PostgreSQL (watchdog(1), SEVERAL HOSTS: POSTGRESQL):
# every committed change sends a NOTIFY, the terminal interface LISTENs,
# and another session's change shows in it within two seconds, as on
# SQLite: a ticket created, changed or commented from the command line,
# a change made in another terminal interface; the SLA pass notifies too.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
tui_pg_private
id=$("$WD" --create --title 'Printer on fire' --deadline +5h)

# A second interface, on the same server: session "b" of the tmux server.
b_screen() { tm capture-pane -p -t b; }
b_wait() {
	i=0
	while [ $i -lt $(( ${2:-5} * 10 )) ]; do
		b_screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tui_start
tui_login bob 'battery staple 2'
expect_screen "Printer on fire" "the queue on PostgreSQL"

# From the command line: within two seconds, with no key pressed.
"$WD" --create --title 'Made by a script' --deadline +2h > /dev/null
expect_screen "Made by a script" "a --create shows within two seconds" 2
expect_screen "bob +2 open" "and the counts follow"
"$WD" --update "$id" --title 'Printer no longer on fire' > /dev/null
expect_screen "Printer no longer on fire" "an --update shows within two seconds" 2

# In the ticket view: a comment from the command line.
tui_keys "#"
tui_type "$id"
tui_keys Enter
expect_screen "Ticket #$id" "the ticket view"
"$WD" --comment "$id" --text 'Commented by a script' > /dev/null
expect_screen "^    Commented by a script" "a --comment shows within two seconds" 2
tui_keys q
expect_screen "ID +PRI" "back in the queue"

# Another terminal interface: its change shows in the first, and the
# other way round.
tm new-session -d -s b -x 100 -y 30 "sh '$T/tui.sh'"
b_wait 'Account:' 5
tm send-keys -t b -l admin
tm send-keys -t b Enter
tm send-keys -t b -l 'correct horse 1'
tm send-keys -t b Enter
if b_wait "Made by a script" 5; then pass "a second interface"; else
	fail "a second interface" "$(b_screen)"; fi
tm send-keys -t b n
b_wait "New ticket" 5
tm send-keys -t b -l 'From the other terminal'
tm send-keys -t b Tab
tm send-keys -t b -l '+3h'
tm send-keys -t b Enter
expect_sql "SELECT count(*) FROM tickets WHERE title = 'From the other terminal'" 1 \
    "the second interface saves a ticket"
expect_screen "From the other terminal" "it shows in the first within two seconds" 2
tui_keys n
expect_screen "New ticket" "the first opens a form"
tui_type 'From the first terminal'
tui_keys Tab
tui_type '+4h'
tui_keys Enter
if b_wait "From the first terminal" 2; then
	pass "the first's ticket shows in the second within two seconds"
else
	fail "the first's ticket shows in the second within two seconds" "$(b_screen)"
fi

# The SLA pass commits its changes with a NOTIFY too: a session that
# listens hears it (psql prints it after its next command).
# listen SECONDS: a psql session that listens that long, in the
# background ($listener), its output in $T/listen.out.
listen() {
	printf 'LISTEN watchdog;\nSELECT pg_sleep(%s);\nSELECT 1;\n' "$1" |
	    "$(pg_bindir)/psql" -X -q -A -t -h "$PGD" -U postgres -d wd \
	    > "$T/listen.out" 2>&1 &
	listener=$!
}
"$WD" --create --title 'Soon due' --deadline +10m > /dev/null
listen 3
sleep 1
"$WD" --check-sla > /dev/null 2>&1
wait $listener
if grep -q 'notification "watchdog" received' "$T/listen.out"; then
	pass "the SLA pass notifies the listeners"
else
	fail "the SLA pass notifies the listeners" "$(cat "$T/listen.out")"
fi
# A session that only reads notifies no one.
listen 2
sleep 0.5
"$WD" --list > /dev/null
wait $listener
if grep -q 'notification' "$T/listen.out"; then
	fail "a reader notifies no one" "$(cat "$T/listen.out")"
else
	pass "a reader notifies no one"
fi

# A save that mails keeps the interface's session: the background
# delivery's fork leaves a PostgreSQL connection open (watchdog(1)).
tm kill-session -t b
sessions="SELECT string_agg(pid::text, ' ') FROM pg_stat_activity WHERE datname = 'wd' AND backend_type = 'client backend' AND application_name <> 'psql'"
i=0
while [ $i -lt 50 ]; do
	p1=$(sql "$sessions")
	case "$p1" in '' | *' '*) ;; *) break ;; esac
	sleep 0.1
	i=$((i + 1))
done
tui_keys n
expect_screen "New ticket" "a form, to save a ticket that mails"
tui_type 'Mailed from the interface'
tui_keys Tab
tui_type '+4h'
tui_keys Enter
expect_screen "Mailed from the interface" "saved, in the queue"
mail_has 'Mailed from the interface' && pass "its notice was delivered" ||
    fail "its notice was delivered"
expect_sql "$sessions" "$p1" "the interface kept its session ($p1) across the delivery"
"$WD" --create --title 'Seen after the save' --deadline +2h > /dev/null
expect_screen "Seen after the save" "and still hears the others within two seconds" 2

tui_keys q
expect_screen "EXIT=0" "quit"
tui_stop
finish
