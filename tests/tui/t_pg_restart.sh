#!/bin/sh
# A PostgreSQL server restarted under an open terminal interface
# (watchdog(1), SEVERAL HOSTS: POSTGRESQL): the screen stays, the status
# line says the connection was lost and then made again, live refresh
# goes on; a change tried while the server is away fails with a clear
# message and leaves the form's text as it was, and saves once it is back.
# The interface never exits for it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
tui_pg_private
"$WD" --create --title 'Printer on fire' --deadline +5h > /dev/null

tui_start
tui_login bob 'battery staple 2'
expect_screen "Printer on fire" "the queue on PostgreSQL"
expect_screen "bob +1 open" "the counts"

# pg_ctl restart: the sessions are ended; the interface notices, says so,
# and connects again once the server is back.
pg_restart "$PGD" &
restarter=$!
expect_screen "database connection lost, reconnecting\.\.\." \
    "the status line says the connection was lost" 10
wait $restarter || fail "the server restarts"
expect_screen "reconnected to the database" "and that it was made again" 10
expect_screen "Printer on fire" "the screen stayed"
expect_screen "bob +1 open" "the counts stayed"
"$WD" --create --title 'After the restart' --deadline +2h > /dev/null
expect_screen "After the restart" "live refresh goes on (it listens again)" 3
expect_screen "bob +2 open" "the counts follow"

# The server away for a while: a new ticket is refused, the form keeps it.
pg_down "$PGD"
expect_screen "database connection lost, reconnecting\.\.\." \
    "a stopped server is noticed" 5
expect_screen "Printer on fire" "the queue stays on the screen"
tui_keys n
expect_screen "New ticket" "n opens the form meanwhile"
tui_type 'Written while away'
tui_keys Tab
tui_type '+90m'
tui_keys Enter
expect_screen "database connection lost, reconnecting\.\.\. \(nothing was changed\)" \
    "saving says the connection is lost and nothing was changed"
expect_screen "Title: Written while away" "the form keeps the title"
expect_screen "Deadline: \+90m" "and the deadline"
pg_up "$PGD" || fail "the server starts again"
expect_screen "reconnected to the database" "the connection is made again" 10
expect_screen "Title: Written while away" "the form is still open"
tui_keys Enter
expect_sql "SELECT count(*) FROM tickets WHERE title = 'Written while away'" 1 \
    "Enter saves it now"
expect_screen "Written while away" "it is in the queue"

# Live refresh after the second reconnection too.
"$WD" --update "$(sql "SELECT id FROM tickets WHERE title = 'Printer on fire'")" \
    --title 'Printer fixed' > /dev/null
expect_screen "Printer fixed" "live refresh after the server came back" 3
tui_keys q
expect_screen "EXIT=0" "the interface never gave up (exit 0)"
tui_stop
finish
